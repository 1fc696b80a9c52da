"""The road-map document on A4: layout of one road map, and chunks of several, with reportlab.

A road map starts on a new page; every page carries the pupil's name, the year, "page i / n"
counted within that road map, and the date the document was generated. The total page count
is drawn through a PDF form defined once the road map's last page is known, so that a chunk
is laid out in a single pass.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.entities import Activity, Staff
from daryn_desktop.core.enums import RoadMapStatus
from daryn_desktop.core.roadmap import RoadMapDocument
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.i18n import N_, gettext_for
from daryn_desktop.reports.fonts import (
    BOLD,
    REGULAR,
    register_fonts,
)
from daryn_desktop.reports.pdf_cells import (
    BOTTOM,
    GRID,
    LEFT,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT,
    TEXT_WIDTH,
    TOP,
    cell,
    document_styles,
    grid,
    looks_style,
    para,
    table_cells,
    text_para,
)

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

# Message ids of the document (translated with the document's language, not the UI's).
TITLE = N_("INDIVIDUAL ROAD MAP")
SUBTITLE = N_("for supporting and developing the abilities of a gifted pupil")
PAGE_OF = N_("Page {page} / {pages}")


@dataclass
class _PageInfo:
    """What the page decoration of the current road map needs."""

    running_title: str
    watermark: str | None
    form_name: str
    generated: str
    page_of: str
    page: int = 0


class _MapStart(Flowable):
    """Zero-size marker at the start of a road map (or the end of a chunk, with ``info=None``).

    When drawn it closes the previous road map by defining its page-count form, and makes
    ``info`` the current one for the page decoration.
    """

    def __init__(self, layout: RoadMapLayout, info: _PageInfo | None, starts: list[int]):
        super().__init__()
        self.layout, self.info, self.starts = layout, info, starts
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if self.info is not None:
            self.starts.append(self.canv.getPageNumber() - 1)
        self.layout.start_map(self.canv, self.info)


_streams_lock = threading.Lock()


@contextmanager
def _binary_streams() -> Iterator[None]:
    """reportlab writes the compressed streams as they are, not also as ASCII85 text.

    ASCII85 (a quarter more bytes, for 7-bit mail of old) is the slowest step of saving a
    chunk without reportlab's C accelerator. The setting is global in reportlab: switched
    for the time of one build only, and one build at a time (printing runs on a worker).
    """
    with _streams_lock:
        previous = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = previous


class RoadMapLayout:
    """Lays out road-map documents; each in its own language ("kk", "ru" or "en").

    ``lang`` is the language of documents given without one. Documents of different
    languages share one PDF (and so one embedding of the fonts).
    """

    def __init__(self, lang: str = "kk", *, generated: date | None = None):
        register_fonts()
        self.default_lang = lang
        self._use(lang)
        self.generated = generated or date.today()
        self.s = document_styles()
        self._current: _PageInfo | None = None
        self._closing = False
        self._count = 0

    # -- page decoration -------------------------------------------------------------------
    def start_map(self, canv: Canvas, info: _PageInfo | None) -> None:
        if info is None:
            # The end of the chunk: its last page is decorated after this marker is drawn,
            # so the last road map is closed then.
            self._closing = True
            return
        self._close(canv)
        self._current = info

    def _close(self, canv: Canvas) -> None:
        """Define the page-count form of the road map that has just ended."""
        previous, self._current = self._current, None
        if previous is not None:
            canv.beginForm(previous.form_name)
            canv.setFont(REGULAR, 7.5)
            canv.drawString(0, 0, str(previous.page))
            canv.endForm()

    def _decorate(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        info = self._current
        if info is None:
            return
        info.page += 1
        canv.saveState()
        if info.watermark:
            canv.setFont(BOLD, 64)
            canv.setFillColor(colors.Color(0.55, 0.55, 0.55, alpha=0.16))
            canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canv.rotate(50)
            canv.drawCentredString(0, 0, info.watermark)
            canv.rotate(-50)
            canv.translate(-PAGE_WIDTH / 2, -PAGE_HEIGHT / 2)
        canv.setFillColor(colors.black)
        canv.setStrokeColor(GRID)
        canv.setLineWidth(0.4)
        if info.page > 1:
            canv.setFont(REGULAR, 7.5)
            canv.drawString(LEFT, PAGE_HEIGHT - TOP + 4 * mm, info.running_title)
            top = PAGE_HEIGHT - TOP + 3 * mm
            canv.line(LEFT, top, PAGE_WIDTH - RIGHT, top)
        y = BOTTOM - 9 * mm
        canv.line(LEFT, y + 3.5 * mm, PAGE_WIDTH - RIGHT, y + 3.5 * mm)
        canv.setFont(REGULAR, 7.5)
        canv.drawString(LEFT, y, info.running_title)
        canv.drawString(LEFT, y - 3.4 * mm, info.generated)
        # "Page 3 / {pages}": the total is a form defined when the road map ends.
        before, _sep, after = info.page_of.partition("{pages}")
        before = before.format(page=info.page)
        after = after.format(page=info.page)
        total_width = canv.stringWidth("000", REGULAR, 7.5)
        x_end = PAGE_WIDTH - RIGHT
        after_width = canv.stringWidth(after, REGULAR, 7.5)
        x_total = x_end - after_width - total_width
        canv.drawRightString(x_total, y, before)
        canv.saveState()
        canv.translate(x_total, y)
        canv.doForm(info.form_name)
        canv.restoreState()
        if after:
            canv.drawRightString(x_end, y, after)
        canv.restoreState()
        if self._closing:
            self._closing = False
            self._close(canv)

    # -- building --------------------------------------------------------------------------
    def _use(self, lang: str) -> None:
        self.lang = lang
        self.t: Callable[[str], str] = gettext_for(lang)

    def render(self, documents: Sequence[RoadMapDocument],
               languages: Sequence[str] | None = None) -> tuple[bytes, list[int]]:
        """One PDF of ``documents`` (in ``languages``, one per document, or the default
        language) and the index of each one's first page in it."""
        self._use(languages[0] if languages else self.default_lang)
        buffer = BytesIO()
        doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT,
                              topMargin=TOP, bottomMargin=BOTTOM, title=self.t(TITLE),
                              author="Daryn Desktop", creator="Daryn Desktop",
                              initialFontName=REGULAR)
        frame = Frame(LEFT, BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - TOP - BOTTOM, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate("page", [frame], onPageEnd=self._decorate)])
        story: list[Flowable] = []
        starts: list[int] = []
        self._current, self._closing = None, False
        for i, document in enumerate(documents):
            self._use(languages[i] if languages else self.default_lang)
            if i:
                story.append(PageBreak())
            story.append(_MapStart(self, self._page_info(document), starts))
            story += self.story(document)
        story.append(_MapStart(self, None, starts))
        with _binary_streams():
            doc.build(story)
        return buffer.getvalue(), starts

    def _page_info(self, document: RoadMapDocument) -> _PageInfo:
        _ = self.t
        self._count += 1
        watermark = None
        if document.road_map.status == RoadMapStatus.DRAFT and not document.as_signed:
            watermark = _("DRAFT")
        running = " · ".join((_("Individual road map"), document.pupil.full_name,
                              _("{year} academic year").format(year=self._year(document))))
        return _PageInfo(running_title=running, watermark=watermark,
                         form_name=f"pages{self._count}",
                         generated=_("Generated on {date} with Daryn Desktop").format(
                             date=format_date(self.generated)),
                         page_of=_(PAGE_OF))

    def _year(self, document: RoadMapDocument) -> str:
        year = AcademicYear.parse(document.road_map.academic_year)
        return f"{year.start}–{year.start + 1}"

    # -- one road map --------------------------------------------------------------------
    def story(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        out: list[Flowable] = [self._approval(d), Spacer(1, 4 * mm),
                               text_para(_(TITLE), s.title),
                               text_para(_(SUBTITLE), s.subtitle),
                               text_para(_("{year} academic year").format(
                                   year=self._year(d)), s.subtitle)]
        version = self._version_line(d)
        if version:
            out += [Spacer(1, 1.5 * mm), text_para(version, s.note)]
        out += [Spacer(1, 4 * mm), self._place_table(d)]
        out += self._pupil_section(d)
        out += self._identification_section(d)
        out += self._strengths_section(d)
        out += self._goals_section(d)
        out += self._activities_section(d)
        out += self._reviews_section(d)
        out += self._amendments_section(d)
        out.append(self._signatures(d))
        return out

    def _version_line(self, d: RoadMapDocument) -> str | None:
        _ = self.t
        if d.as_signed:
            return _("Version as signed on {date}").format(date=format_date(d.snapshot_date))
        if d.road_map.status == RoadMapStatus.DRAFT:
            return _("Draft: not yet signed")
        if d.amendments:
            return _("Current version, with the amendments listed in section 7")
        return None

    def _section(self, number: int, title: str) -> list[Flowable]:
        # A heading never stays alone at the bottom of a page.
        return [CondPageBreak(28 * mm), text_para(f"{number}. {title}", self.s.section)]

    def _approval(self, d: RoadMapDocument) -> Flowable:
        _, s = self.t, self.s
        head = d.school_head.short_name if d.school_head else ""
        approved = escape(_("APPROVED"))
        lines = [f"<font name='{BOLD}'>{approved}</font>",
                 escape(_("School head")),
                 escape(d.school.name),
                 f"_______________ {escape(head)}",
                 escape(_("“___” ____________ 20___"))]
        block = Paragraph("<br/>".join(lines), s.approve)
        table = Table([["", block]], colWidths=[TEXT_WIDTH - 72 * mm, 72 * mm])
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return table

    def _place_table(self, d: RoadMapDocument) -> Flowable:
        _, s = self.t, self.s
        places = gazetteer()
        district = places.find(d.school.district_kato)
        region = places.region_of(d.school.district_kato) if district else None
        rows = [
            (_("Region"), region.name(self.lang) if region else "—"),
            (_("District (city)"), district.name(self.lang) if district else "—"),
            (_("School"), d.school.name),
            (_("Academic year"), self._year(d)),
        ]
        data = [[cell(k, s.cell_bold), cell(v, s.cell)] for k, v in rows]
        return grid(data, [45 * mm, TEXT_WIDTH - 45 * mm], 0)

    def _person(self, staff: Staff | None) -> str:
        if staff is None:
            return "—"
        return staff.full_name

    def _pupil_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        pupil = d.pupil
        places = gazetteer()
        settlement = places.find(pupil.settlement_kato or d.school.settlement_kato)
        where = "—"
        if settlement is not None:
            kind = _("rural area") if settlement.is_rural else _("urban area")
            where = f"{settlement.name(self.lang)} ({kind})"
        on = d.snapshot_date or self.generated
        categories = "; ".join(self._category(c) for c in d.categories_on(on)) or "—"
        guardians = "\n".join(
            ", ".join(p for p in (g.full_name, _(g.relation.label_id) if g.relation else "",
                                  g.phone or "") if p)
            for g in d.guardians) or "—"
        language = pupil.language or d.school.language
        rows = [
            (_("Surname, name, patronymic"), pupil.full_name),
            (_("IIN"), pupil.iin),
            (_("Date of birth"), format_date(pupil.birth_date) or "—"),
            (_("Grade"), pupil.grade_label),
            (_("Language of instruction"), _(language.label_id) if language else "—"),
            (_("Place of residence"), where),
            (_("Family category"), categories),
            (_("Parents or guardians"), guardians),
            (_("Coordinator"), self._person(d.coordinator)),
            (_("Mentor"), self._person(d.mentor)),
            (_("Psychologist"), self._person(d.psychologist)),
        ]
        data = [[cell(k, s.cell_bold), cell(v, s.cell)] for k, v in rows]
        data[0][1] = cell(pupil.full_name, s.cell_bold)
        table = grid(data, [45 * mm, TEXT_WIDTH - 45 * mm], 0)
        return [*self._section(1, _("Information about the pupil")), table]

    def _category(self, record) -> str:
        label = self.t(record.category.label_id)
        if record.since:
            _ = self.t
            return _("{category} (since {date})").format(category=label,
                                                               date=format_date(record.since))
        return label

    def _identification_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        out = self._section(2, _("How the ability was identified"))
        if d.road_map.identification:
            out += [para(d.road_map.identification, s.body), Spacer(1, 2 * mm)]
        if d.diagnostics:
            head = [cell(h, s.head) for h in (_("Date"), _("Method"), _("Result"),
                                            _("Conducted by"))]
            rows = [[format_date(x.date), cell(_(x.method.label_id), s.cell),
                     cell(x.result, s.cell), cell(x.conducted_by, s.cell)] for x in d.diagnostics]
            out.append(grid([head, *rows], [20 * mm, 45 * mm, TEXT_WIDTH - 105 * mm, 40 * mm]))
        if d.achievements:
            out.append(Spacer(1, 2 * mm))
            head = [cell(h, s.head) for h in (_("Year"), _("Event"), _("Level"), _("Result"))]
            rows = [[a.academic_year,
                     cell(a.event_name + (f" ({a.subject})" if a.subject else ""), s.cell),
                     cell(_(a.level.label_id), s.cell), cell(_(a.award.label_id), s.cell)]
                    for a in d.achievements]
            out.append(grid([head, *rows], [20 * mm, TEXT_WIDTH - 95 * mm, 35 * mm, 40 * mm]))
        if not (d.road_map.identification or d.diagnostics or d.achievements):
            out.append(para("—", s.body))
        return out

    def _strengths_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        areas = "; ".join(f"{_(a.kind.label_id)}: {a.field}" for a in d.areas) or "—"
        rows = [(_("Areas of giftedness"), areas),
                (_("Strengths"), d.road_map.strengths or "—"),
                (_("Interests"), d.road_map.interests or "—")]
        table = grid([[cell(k, s.cell_bold), cell(v, s.cell)] for k, v in rows],
                     [45 * mm, TEXT_WIDTH - 45 * mm], 0)
        return [*self._section(3, _("Strengths, interests and areas of giftedness")), table]

    def _goals_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        out = self._section(4, _("Goals for the year"))
        if not d.goals:
            return [*out, para("—", s.body)]
        head = [cell("№", s.head), cell(_("Goal"), s.head), cell(_("Achieved"), s.head)]
        rows = [[str(i), cell(g.text, s.cell),
                 cell(_("yes") if g.achieved else "", s.cell, empty="")]
                for i, g in enumerate(d.goals, start=1)]
        return [*out, grid([head, *rows], [9 * mm, TEXT_WIDTH - 34 * mm, 25 * mm])]

    def _dates(self, a: Activity) -> str:
        _ = self.t
        start = format_date(a.start_date)
        if a.due_date is not None:
            due = format_date(a.due_date)
            if start and start != due:
                return f"{start} –\n{due}"
            return due
        if a.due_quarter:
            quarter = _("quarter {number}").format(number=ROMAN.get(a.due_quarter,
                                                                    str(a.due_quarter)))
            return f"{start} –\n{quarter}" if start else quarter
        return start or "—"

    def _activities_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        out = self._section(5, _("Plan of activities"))
        if not d.activities:
            return [*out, para("—", s.body)]
        head = [cell(h, s.head) for h in ("№", _("Type of support"), _("Activity"),
                                        _("Responsible"), _("Dates"), _("Status"),
                                        _("Result"))]
        rows = []
        for i, a in enumerate(d.activities, start=1):
            rows.append([str(i), cell(_(a.measure.label_id), s.cell),
                         cell(a.title, s.cell), cell(a.responsible, s.cell), self._dates(a),
                         cell(_(a.status.label_id), s.cell),
                         cell(a.result, s.cell, empty="")])
        # "Ответственный", the widest header word, fits the responsible column.
        widths = [7 * mm, 26 * mm, 0, 26 * mm, 21 * mm, 25 * mm, 28 * mm]
        widths[2] = TEXT_WIDTH - sum(widths)
        # Rows are never split across pages (a too tall one is continued below instead).
        return [*out, grid([head, *rows], widths, splitInRow=0)]

    def _reviews_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        out = self._section(6, _("Quarterly reviews"))
        if not d.reviews:
            return [*out, para(_("No reviews yet."), s.body)]
        head = [cell(h, s.head) for h in (_("Quarter"), _("Date"), _("Progress and changes"),
                                        _("Author"))]
        rows = [[ROMAN.get(r.quarter, str(r.quarter)), format_date(r.date), cell(r.text, s.cell),
                 cell(r.author, s.cell)]
                for r in d.reviews]
        # "Четверть" fits the quarter column.
        return [*out, grid([head, *rows], [17 * mm, 20 * mm, TEXT_WIDTH - 77 * mm, 40 * mm])]

    def _amendments_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        out = self._section(7, _("Amendments after signing"))
        if not d.amendments:
            return [*out, para(_("None."), s.body)]
        head = [cell(h, s.head) for h in ("№", _("Date"), _("Reason"), _("What changed"))]
        rows = [[str(a.number), format_date(a.date),
                 cell(a.reason, s.cell), cell(a.summary, s.cell)] for a in d.amendments]
        return [*out, grid([head, *rows], [9 * mm, 20 * mm, 50 * mm, TEXT_WIDTH - 79 * mm])]

    def _signatures(self, d: RoadMapDocument) -> Flowable:
        _, s = self.t, self.s
        guardian = d.guardians[0].full_name if d.guardians else ""

        def short(staff: Staff | None) -> str:
            return staff.short_name if staff else ""

        people = [(_("Coordinator"), short(d.coordinator)),
                  (_("Mentor (class teacher)"), short(d.mentor)),
                  (_("Psychologist"), short(d.psychologist)),
                  (_("Parent or guardian"), guardian),
                  (_("School head"), short(d.school_head))]
        blank = "________________"
        rows = [[cell(_("Role"), s.head), cell(_("Full name"), s.head),
                 cell(_("Signature"), s.head), cell(_("Date"), s.head)]]
        for role, name in people:
            rows.append([cell(role, s.cell), cell(name, s.cell, empty=""), cell(blank, s.cell),
                         cell(_("“___” ________ 20___"), s.cell)])
        widths = [45 * mm, 45 * mm, 38 * mm, TEXT_WIDTH - 128 * mm]
        # Left padding 2 and reportlab's right padding 6; its font size 10 and leading 12.
        cells = table_cells(rows, widths, 2 + 6)
        table = Table(cells, colWidths=widths)
        style = [("FONTNAME", (0, 0), (-1, -1), REGULAR),
                 ("LINEBELOW", (0, 0), (-1, 0), 0.6, GRID),
                 ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                 ("TOPPADDING", (0, 1), (-1, -1), 7),
                 ("LEFTPADDING", (0, 0), (-1, -1), 2)]
        table.setStyle(TableStyle(style + looks_style(cells, (REGULAR, 10, 12, "LEFT"), 0)))
        signed = d.road_map.signed_date
        footer = (_("Signed on {date}").format(date=format_date(signed)) if signed
                  else _("Date of signing: “___” ____________ 20___"))
        return KeepTogether([CondPageBreak(60 * mm),
                             text_para(_("Signatures"), s.section), table,
                             Spacer(1, 3 * mm), text_para(footer, s.body),
                             text_para(_("The parent or guardian has read the road map"
                                         " and agrees with it."), s.small)])

