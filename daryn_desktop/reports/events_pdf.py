"""Printed lists of the events and support part, in Kazakh or Russian.

* a stage's team list as an application form (pupils, schools, subjects, teachers);
* the list of pupils invited to the «Сен үздіксің!» forum;
* the list of scholarship holders for an order;
* a school's results history, year by year (the layout of seed 003: year, pupil, grade,
  subject, level, place, teacher).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm

from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import EventLevel, SupportMeasure
from daryn_desktop.core.roadmap import document_language
from daryn_desktop.core.support import SupportStatus, money
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.i18n import N_, current_language, gettext_for
from daryn_desktop.reports.listdoc import ListDocument, TableBlock, write_list
from daryn_desktop.storage.events import Events, school_history
from daryn_desktop.storage.support import Support, SupportRow

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

DOCUMENT_LANGUAGES = ("kk", "ru")

TEAM_TITLE = N_("APPLICATION")
TEAM_FOR = N_("for taking part in «{event}»")
TEAM_STAGE = N_("Stage: {stage}, {dates}")
TEAM_VENUE = N_("Venue: {venue}")
TEAM_FROM = N_("From: {sender}")
FORUM_TITLE = N_("LIST OF PUPILS INVITED TO THE FORUM «СЕН ҮЗДІКСІҢ!»")
SCHOLARSHIP_TITLE = N_("LIST OF SCHOLARSHIP HOLDERS")
SCHOLARSHIP_ORDER = N_("Annex to the order No. {number} of {date}")
HISTORY_TITLE = N_("RESULTS OF THE PUPILS AT OLYMPIADS, PROJECT COMPETITIONS AND CONTESTS")
YEAR = N_("{year} academic year")
SIGN_HEAD = N_("Head of the education department: ______________________ (signature, name)")
SIGN_COORDINATOR = N_("Coordinator: ______________________ (signature, name)")
SIGN_DIRECTOR = N_("School head: ______________________ (signature, name)")
SIGN_DATE = N_("Date: «____» ________________ 20____")
TOTAL = N_("Total: {count}")
TOTAL_MONTHLY = N_("Paid monthly in all: {amount}")
NOTHING = N_("Nobody is on this list.")
# Column headings (some are the screens' own words).
NAME = N_("Surname, name, patronymic")
GRADE = N_("Grade")
SCHOOL = N_("School")
SUBJECT = N_("Subject")
TEACHER = N_("Preparing teacher")
DISTRICT = N_("District")
ACHIEVEMENT = N_("Achievement")
SCHOLARSHIP = N_("Scholarship")
MONTHLY = N_("A month")
PERIOD = N_("Period")
BASIS = N_("Basis")
PUPIL = N_("Pupil")
EVENT = N_("Event")
LEVEL = N_("Level")
RESULT = N_("Result")


def _lang(lang: str | None) -> str:
    """The document's language: the one asked for, else the interface's if kk or ru."""
    if lang in DOCUMENT_LANGUAGES:
        return lang
    return current_language() if current_language() in DOCUMENT_LANGUAGES else "kk"


def _year(label: str) -> str:
    """2025-2026 as documents print it: 2025–2026."""
    return label.replace("-", "–")


def _period(start: date | None, end: date | None) -> str:
    if start and end and start != end:
        return f"{format_date(start)}–{format_date(end)}"
    return format_date(start or end)


def _territory(store: Store, lang: str) -> str:
    inst = store.installation
    places = gazetteer()
    names = [p.name(lang) for p in (places.find(inst.region_kato),
                                     places.find(inst.district_kato or "")) if p is not None]
    return ", ".join([*names, inst.name])


def print_team_list(store: Store, stage_id: str, out: str | os.PathLike[str], *,
                    lang: str | None = None, school_id: str | None = None,
                    generated: date | None = None) -> Path:
    """The pupils entered in a stage (not withdrawn), as an application to the organisers."""
    lang = _lang(lang)
    t = gettext_for(lang)
    events = Events(store)
    stage = events.stage(stage_id)
    event = events.event(stage.event_id)
    rows = [r for r in events.results(stage_id, include_withdrawn=False)
            if school_id is None or r.school_id == school_id]
    lines = [t(TEAM_FOR).format(event=event.name),
             t(TEAM_STAGE).format(stage=stage.name or t(stage.level.label_id),
                                  dates=_period(stage.start_date, stage.end_date) or "…"),
             t(TEAM_VENUE).format(venue=stage.venue) if stage.venue else "",
             t(YEAR).format(year=_year(event.academic_year)),
             t(TEAM_FROM).format(sender=_territory(store, lang))]
    table = TableBlock(
        ["№", t(NAME), t(GRADE), t(SCHOOL), t(SUBJECT),
         t(TEACHER)],
        [8 * mm, 45 * mm, 14 * mm, 0, 25 * mm, 35 * mm],
        [[str(i), r.full_name, f"{r.grade}{r.class_letter or ''}", r.school_name,
          r.participant.subject or "", r.teacher_name or ""] for i, r in enumerate(rows, 1)],
        empty_text=t(NOTHING))
    doc = ListDocument(t(TEAM_TITLE), lines, [table],
                       after=[t(TOTAL).format(count=len(rows))],
                       signatures=[t(SIGN_HEAD), t(SIGN_COORDINATOR), t(SIGN_DATE)])
    return write_list(doc, out, t, generated=generated)


def _basis(row: SupportRow, t: Callable[[str], str]) -> str:
    if row.basis_event is None:
        return ""
    parts = [row.basis_event]
    if row.basis_subject:
        parts.append(row.basis_subject)
    if row.basis_level is not None:
        parts.append(t(row.basis_level.label_id))
    if row.basis_award is not None:
        parts.append(t(row.basis_award.label_id))
    return ", ".join(parts)


def _district(kato: str, lang: str) -> str:
    place = gazetteer().find(kato)
    return place.name(lang) if place else kato


def print_forum_list(store: Store, out: str | os.PathLike[str], *, academic_year: str,
                     lang: str | None = None, generated: date | None = None) -> Path:
    """The pupils invited to the forum in the year, with the result that earned it."""
    lang = _lang(lang)
    t = gettext_for(lang)
    rows = Support(store).rows(measure=SupportMeasure.FORUM, academic_year=academic_year,
                               statuses=[SupportStatus.GRANTED])
    lines = [t(YEAR).format(year=_year(academic_year))]
    firsts = {(r.record.title, r.record.place, r.record.start_date) for r in rows}
    if len(firsts) == 1:
        title, place, start = next(iter(firsts))
        lines = [x for x in (title, ", ".join(p for p in (place, format_date(start)) if p))
                 if x] + lines
    table = TableBlock(
        ["№", t(NAME), t(GRADE), t(SCHOOL), t(DISTRICT),
         t(ACHIEVEMENT)],
        [9 * mm, 55 * mm, 13 * mm, 70 * mm, 40 * mm, 0],
        [[str(i), r.full_name, f"{r.grade}{r.class_letter or ''}", r.school_name,
          _district(r.district_kato, lang), _basis(r, t)] for i, r in enumerate(rows, 1)],
        empty_text=t(NOTHING))
    doc = ListDocument(t(FORUM_TITLE), lines, [table], after=[t(TOTAL).format(count=len(rows))],
                       signatures=[t(SIGN_HEAD), t(SIGN_DATE)], landscape=True)
    return write_list(doc, out, t, generated=generated)


def print_scholarship_list(store: Store, out: str | os.PathLike[str], *, order_number: str,
                           academic_year: str | None = None, lang: str | None = None,
                           generated: date | None = None) -> Path:
    """The scholarship holders of one order, with the amounts and the basis of each."""
    lang = _lang(lang)
    t = gettext_for(lang)
    rows = Support(store).rows(measure=SupportMeasure.SCHOLARSHIP, academic_year=academic_year,
                               order_number=order_number, statuses=[SupportStatus.GRANTED])
    dates = {r.record.order_date for r in rows if r.record.order_date}
    lines = [t(SCHOLARSHIP_ORDER).format(
        number=order_number, date=format_date(min(dates)) if dates else "…")]
    years = sorted({r.record.academic_year for r in rows})
    lines += [t(YEAR).format(year=_year(y)) for y in years]
    table = TableBlock(
        ["№", t(NAME), t(GRADE), t(SCHOOL), t(SCHOLARSHIP),
         t(MONTHLY), t(PERIOD), t(BASIS)],
        [9 * mm, 50 * mm, 12 * mm, 55 * mm, 35 * mm, 24 * mm, 38 * mm, 0],
        [[str(i), r.full_name, f"{r.grade}{r.class_letter or ''}", r.school_name,
          ", ".join(x for x in ((t(r.record.kind.label_id) if r.record.kind else ""),
                                r.record.title or "") if x),
          money(r.record.amount) if r.record.amount else "",
          _period(r.record.start_date, r.record.end_date), _basis(r, t)]
         for i, r in enumerate(rows, 1)],
        empty_text=t(NOTHING))
    total = sum(r.record.amount or 0 for r in rows)
    doc = ListDocument(t(SCHOLARSHIP_TITLE), lines, [table],
                       after=[t(TOTAL).format(count=len(rows)),
                              t(TOTAL_MONTHLY).format(amount=money(total))],
                       signatures=[t(SIGN_HEAD), t(SIGN_DATE)], landscape=True)
    return write_list(doc, out, t, generated=generated)


def print_school_history(store: Store, school_id: str, out: str | os.PathLike[str], *,
                         min_level: EventLevel = EventLevel.SCHOOL, lang: str | None = None,
                         generated: date | None = None) -> Path:
    """The prizes of the school's pupils, academic year by academic year."""
    school = store.repos.schools.get(school_id)
    lang = lang if lang in DOCUMENT_LANGUAGES else document_language(None, school.language)
    t = gettext_for(lang)
    history = school_history(store, school_id, min_level=min_level, today=generated)
    places = gazetteer()
    district = places.find(school.district_kato)
    region = places.region_of(school.district_kato) if district else None
    lines = [school.name, ", ".join(p.name(lang) for p in (region, district) if p is not None)]
    blocks = []
    years = sorted({h.academic_year for h in history})
    for year in years:
        items = [h for h in history if h.academic_year == year]
        blocks.append(TableBlock(
            ["№", t(PUPIL), t(GRADE), t(SUBJECT), t(EVENT), t(LEVEL), t(RESULT),
             t(TEACHER)],
            [8 * mm, 50 * mm, 12 * mm, 32 * mm, 0, 30 * mm, 36 * mm, 42 * mm],
            [[str(i), h.pupil_name, str(h.grade) if h.grade is not None else "",
              h.subject or "", h.event_name, t(h.level.label_id), t(h.award.label_id),
              h.teacher_name or ""] for i, h in enumerate(items, 1)],
            heading=t(YEAR).format(year=_year(year))))
    if not blocks:
        blocks.append(TableBlock([], [], [], empty_text=t(NOTHING)))
    doc = ListDocument(t(HISTORY_TITLE), lines, blocks,
                       after=[t(TOTAL).format(count=len(history))],
                       signatures=[t(SIGN_DIRECTOR), t(SIGN_DATE)], landscape=True)
    return write_list(doc, out, t, generated=generated)
