"""The list "gifted pupils of school X" with their categories, areas and road-map status (PDF)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import FamilyCategory, GiftednessKind, RoadMapStatus
from daryn_desktop.core.roadmap import document_language
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.i18n import N_, gettext_for
from daryn_desktop.reports.fonts import REGULAR, register_fonts
from daryn_desktop.reports.listdoc import numbered_canvas, write_atomically
from daryn_desktop.reports.pdf_cells import document_styles, grid_style, para
from daryn_desktop.reports.roadmap_pdf import PAGE_OF
from daryn_desktop.storage.school_list import school_list_pupils

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

LIST_TITLE = N_("LIST OF GIFTED PUPILS")


@dataclass
class _Line:
    name: str
    grade: str
    birth: str
    areas: str
    categories: str
    road_map: str


def school_list_lines(store: Store, school_id: str, year: AcademicYear, _,
                      on: date) -> list[_Line]:
    """The lines of the list (the PDF here, the spreadsheet in reports/tables_xlsx.py)."""
    places = gazetteer()
    today = on.isoformat()
    out = []
    for p in school_list_pupils(store, school_id, year.label):
        labels = [_(FamilyCategory(c.category).label_id) for c in p.categories
                  if (c.since is None or c.since <= today)
                  and (c.until is None or today <= c.until)]
        if p.settlement_kato and places.is_rural(p.settlement_kato):
            labels.insert(0, _("Rural area"))
        out.append(_Line(
            name=" ".join(part for part in (p.surname, p.given_name, p.patronymic) if part),
            grade=f"{p.grade}{p.class_letter or ''}",
            birth=format_date(date.fromisoformat(p.birth_date)) if p.birth_date else "",
            areas="; ".join(f"{_(GiftednessKind(k).label_id)}: {f}" for k, f in p.areas),
            categories="; ".join(labels),
            road_map=(_(RoadMapStatus(p.road_map_status).label_id) if p.road_map_status
                      else _("none"))))
    return out


def print_pupil_list(store: Store, school_id: str, out: str | os.PathLike[str], *,
                     academic_year: str | None = None, lang: str | None = None,
                     generated: date | None = None) -> Path:
    """Write the list of the school's pupils (landscape A4) and return its path."""
    register_fonts()
    generated = generated or date.today()
    school = store.repos.schools.get(school_id)
    year = (AcademicYear.parse(academic_year) if academic_year
            else AcademicYear.containing(generated))
    lang = lang or document_language(None, school.language)
    _ = gettext_for(lang)
    s = document_styles()
    places = gazetteer()
    district = places.find(school.district_kato)
    region = places.region_of(school.district_kato) if district else None
    lines = school_list_lines(store, school_id, year, _, generated)

    where = ", ".join(p.name(lang) for p in (region, district) if p is not None)
    story = [Paragraph(escape(_(LIST_TITLE)), s.title),
             Paragraph(escape(school.name), s.subtitle),
             Paragraph(escape(where), s.subtitle),
             Paragraph(escape(_("{year} academic year").format(
                 year=f"{year.start}–{year.start + 1}")), s.subtitle),
             Spacer(1, 5 * mm)]
    head = [para(h, s.head) for h in ("№", _("Surname, name, patronymic"), _("Grade"),
                                    _("Date of birth"), _("Areas of giftedness"),
                                    _("Categories"), _("Road map"))]
    rows = [[para(str(i), s.cell), para(x.name, s.cell_bold), para(x.grade, s.cell),
             para(x.birth, s.cell), para(x.areas, s.cell), para(x.categories, s.cell),
             para(x.road_map, s.cell)] for i, x in enumerate(lines, start=1)]
    width = landscape(A4)[0] - 40 * mm
    widths = [9 * mm, 58 * mm, 14 * mm, 22 * mm, 0, 70 * mm, 25 * mm]
    widths[4] = width - sum(widths)
    if rows:
        table = Table([head, *rows], colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(grid_style()))
        story.append(table)
    else:
        story.append(para(_("No pupils."), s.body))
    story += [Spacer(1, 6 * mm), Paragraph(escape(_("Total: {count}").format(count=len(lines))),
                                           s.body)]

    footer = _("Generated on {date} with Daryn Desktop").format(date=format_date(generated))

    canvas = numbered_canvas(footer, _(PAGE_OF), landscape(A4)[0])

    def build(out: BinaryIO) -> None:
        doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=20 * mm,
                                rightMargin=20 * mm, topMargin=15 * mm, bottomMargin=18 * mm,
                                title=_(LIST_TITLE), author="Daryn Desktop",
                                initialFontName=REGULAR)
        doc.build(story, canvasmaker=canvas)

    return write_atomically(Path(out), build)
