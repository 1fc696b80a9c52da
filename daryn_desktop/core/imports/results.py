"""Results of an event (an olympiad protocol): each row's pupil found in the registry and the
place or award recorded as an achievement, with the teacher who prepared the pupil."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.entities import Achievement
from daryn_desktop.core.enums import Award, EventKind, EventLevel
from daryn_desktop.core.events import PLACE_AWARDS
from daryn_desktop.core.ids import new_id
from daryn_desktop.core.imports import values as v
from daryn_desktop.core.imports.directory import Directory, KnownAchievement, person_key
from daryn_desktop.core.imports.layout import DataRow, Layout
from daryn_desktop.core.imports.plan import Insert, RowOutcome, RowStatus, Update
from daryn_desktop.core.imports.rows import RowReader, changes_of, enum_label, shown
from daryn_desktop.core.imports.schools import SchoolResolver
from daryn_desktop.core.imports.text import fold
from daryn_desktop.i18n import N_, _

MSG_NO_PUPIL = N_("No registered pupil matches this row: import the class list first, or add"
                  " the IIN.")
MSG_SEVERAL_PUPILS = N_("Several registered pupils ({count}) match this row: add the IIN to"
                        " tell them apart.")
MSG_NO_EVENT = N_("The event is not named: add an event column or give the event of the list.")
MSG_BAD_YEAR = N_("“{text}” is not an academic year: write it as 2025-2026.")
MSG_SAME_RESULT = N_("The same result as in row {other}.")
MSG_ABSENT = N_("The pupil did not take part: there is no result to record.")
MSG_NO_TEACHER = N_("No teacher called “{name}” is registered: the name is kept in the note.")
SCORE_NOTE = N_("Score: {score}")
TEACHER_NOTE = N_("Prepared by {name}")

COLUMN_LABELS = {"award": N_("Place or award"), "teacher_id": N_("Preparing teacher"),
                 "date": N_("Date"), "note": N_("Note"), "event_kind": N_("Kind of event")}


@dataclass
class EventInfo:
    """The event of a whole protocol, when its rows do not name it (the title above does)."""

    name: str | None = None
    level: EventLevel | None = None
    kind: EventKind = EventKind.SUBJECT_OLYMPIAD
    academic_year: str | None = None
    date: date | None = None
    subject: str | None = None


@dataclass
class ResultOptions:
    event: EventInfo = field(default_factory=EventInfo)
    school_id: str | None = None
    today: date = field(default_factory=date.today)


def achievement_from(pupil_id: str, event: EventInfo, award: Award, *, subject: str | None,
                     teacher_id: str | None = None, note: str | None = None,
                     event_id: str | None = None) -> Achievement:
    """The achievement a result makes: the one place results become achievements (an event's
    stage can be added here when events have stages)."""
    return Achievement(
        pupil_id=pupil_id, event_name=event.name or "", event_kind=event.kind,
        level=event.level or EventLevel.SCHOOL,
        academic_year=event.academic_year or AcademicYear.containing(date.today()).label,
        award=award, subject=subject, date=event.date, event_id=event_id,
        teacher_id=teacher_id, note=note, id=new_id())


def _year(reader: RowReader, default: str | None, today: date) -> str:
    text = reader.read("academic_year", v.text)
    if text:
        try:
            return AcademicYear.parse(text).label
        except ValueError:
            reader.error("academic_year", MSG_BAD_YEAR, text=text)
    return default or AcademicYear.containing(today).label


def find_pupil(reader: RowReader, directory: Directory, schools: SchoolResolver) -> str | None:
    """The registered pupil a row names: by IIN, then by name and birth date, or by name and
    school; a row that matches none or several is an error (never a guess)."""
    surname, given, _patronymic = reader.names()
    iin = reader.read("iin", v.iin)
    birth = reader.read("birth_date", v.a_date)
    school = schools.resolve(reader, required=False)
    if reader.failed:
        return None
    ids = directory.pupils_by_iin(iin) if iin else []
    if not ids and surname and given:
        if birth is not None:
            ids = directory.pupils_by_name_birth(*person_key(surname, given), birth)
        elif school is not None:
            ids = directory.pupils_by_name_school(*person_key(surname, given), school.id)
    if len(ids) > 1:
        reader.error(None, MSG_SEVERAL_PUPILS, count=len(ids))
        return None
    if not ids:
        reader.error(None, MSG_NO_PUPIL)
        return None
    return ids[0]


def teacher_parts(written: str) -> tuple[str, str | None]:
    """Surname and given name (or its initial) of a teacher as a protocol writes one
    ("Сейітова А.Б.", "Сейітова Айгүл Бекқызы")."""
    words = (v.name_part(written) or "").replace(".", ". ").split()
    surname = words[0] if words else ""
    given = words[1].rstrip(".") if len(words) > 1 else None
    return surname, given


def _teacher(reader: RowReader, directory: Directory, school_id: str | None
             ) -> tuple[str | None, str | None]:
    """The registered teacher a cell names ("Сейітова А.Б." or the full name), and the name
    as written when none (or several) is found."""
    written = reader.read("teacher", v.text)
    if written is None:
        return None, None
    surname, given = teacher_parts(written)
    found = directory.staff(surname, given, school_id) or directory.staff(surname, given, None)
    if len(found) == 1:
        return found[0].id, None
    reader.warn("teacher", MSG_NO_TEACHER, name=written)
    return None, written


def written_place(reader: RowReader) -> v.PlaceCell:
    """The place and the award a row writes, from a place column, an award column or both
    (the award only when one is written: "1" is a place, "I орын" both)."""
    place = reader.read("place", v.place_or_award) or v.PlaceCell()
    award = reader.read("award", v.award_or_absent) or v.PlaceCell()
    written = award.award or place.award
    number = place.place
    if number is None:
        number = next((n for n, a in PLACE_AWARDS.items() if a == written), None)
    return v.PlaceCell(number, written, place.absent or award.absent)


def read_place(reader: RowReader) -> v.PlaceCell:
    """The place and the award of a row; the award a place stands for when only the place is
    written ("1" → 1st place), as the results grid fills it."""
    cell = written_place(reader)
    if cell.award is None and cell.place in PLACE_AWARDS:
        return dataclasses.replace(cell, award=PLACE_AWARDS[cell.place])
    return cell


def plan_results(rows: Iterable[DataRow], layout: Layout, directory: Directory,
                 options: ResultOptions | None = None) -> list[RowOutcome]:
    """What importing a protocol of results would do, row by row."""
    options = options or ResultOptions()
    schools = SchoolResolver(directory, options.school_id)
    staged: list[tuple[RowOutcome, RowReader, str | None, Achievement | None]] = []
    for row in rows:
        reader = RowReader(row, layout)
        outcome = RowOutcome(row.number, RowStatus.NEW, "", row.raw)
        surname, given, _patronymic = reader.names()
        outcome.label = " ".join(p for p in (surname, given) if p)
        pupil_id = find_pupil(reader, directory, schools)
        event = EventInfo(
            name=reader.read("event", v.text) or options.event.name,
            level=reader.read("level", v.word, EventLevel) or options.event.level,
            kind=reader.read("event_kind", v.word, EventKind) or options.event.kind,
            academic_year=_year(reader, options.event.academic_year, options.today),
            date=reader.read("date", v.a_date) or options.event.date)
        if not event.name:
            reader.error("event" if layout.column_of("event") is not None else None,
                         MSG_NO_EVENT)
        # A protocol lists every participant; an empty place means took part.
        cell = read_place(reader)
        award = cell.award
        if cell.absent:
            reader.error("award" if reader.has("award") else "place", MSG_ABSENT)
        elif award is None and not reader.failed:
            award = Award.PARTICIPANT
        subject = reader.read("subject", v.text) or options.event.subject
        score = reader.read("score", v.number)
        teacher_id, teacher_name = _teacher(reader, directory, None)
        notes = [reader.read("note", v.text)]
        if score is not None:
            notes.append(_(SCORE_NOTE).format(score=_number(score)))
        if teacher_name:
            notes.append(_(TEACHER_NOTE).format(name=teacher_name))
        note = "; ".join(n for n in notes if n) or None
        achievement = None
        if pupil_id and award and event.name:
            achievement = achievement_from(pupil_id, event, award, subject=subject,
                                           teacher_id=teacher_id, note=note)
            outcome.label = f"{outcome.label}: {award.label}"
        staged.append((outcome, reader, pupil_id, achievement))
    held = directory.achievements({p for _o, _r, p, _a in staged if p})
    seen: dict[tuple[str, str, str, str, str], int] = {}
    outcomes = []
    for outcome, reader, pupil_id, achievement in staged:
        outcomes.append(outcome)
        if achievement is not None and pupil_id:
            key = (pupil_id, fold(achievement.event_name), achievement.academic_year,
                   fold(achievement.subject or ""), achievement.level.value)
            if key in seen:
                reader.error(None, MSG_SAME_RESULT, other=seen[key])
            seen.setdefault(key, outcome.number)
        outcome.problems = reader.problems
        if reader.failed or achievement is None or pupil_id is None:
            outcome.status = RowStatus.REJECTED
            continue
        existing = _existing(held.get(pupil_id, []), achievement)
        if existing is None:
            outcome.writes = [Insert("achievements", _values(achievement))]
            continue
        wanted = {"award": achievement.award.value, "teacher_id": achievement.teacher_id,
                  "date": achievement.date.isoformat() if achievement.date else None,
                  "note": achievement.note, "event_kind": achievement.event_kind.value}
        diff = {k: (existing.values.get(k), value) for k, value in wanted.items()
                if value is not None and existing.values.get(k) != value}
        if diff:
            outcome.status = RowStatus.CHANGED
            outcome.writes = [Update("achievements", existing.id, diff)]
            outcome.changes = changes_of(diff, COLUMN_LABELS, _show)
        else:
            outcome.status = RowStatus.UNCHANGED
    return outcomes


def _existing(held: list[KnownAchievement], new: Achievement) -> KnownAchievement | None:
    key = (fold(new.event_name), new.academic_year, fold(new.subject or ""), new.level.value)
    return next((a for a in held if a.key() == key), None)


def _values(a: Achievement) -> dict[str, Any]:
    return {"id": a.id, "pupil_id": a.pupil_id, "event_name": a.event_name,
            "event_kind": a.event_kind, "level": a.level, "academic_year": a.academic_year,
            "award": a.award, "subject": a.subject, "date": a.date, "event_id": a.event_id,
            "teacher_id": a.teacher_id, "note": a.note}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _show(column: str, value: object) -> str:
    if column == "award":
        return enum_label(Award, value)
    if column == "date" and value:
        return format_date(date.fromisoformat(str(value)))
    return shown(value)
