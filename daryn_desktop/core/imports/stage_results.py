"""The results protocol of a stage of a calendar event: each row's pupil found as for any
protocol (IIN, then name and birth date, or name and school), made into a line of the
stage's results — subject, score, place, award, preparing teacher — the way the results
grid makes one, and checked against what the stage already holds (asked of the stage's own
save, so that the preview shows exactly what the import will write)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from daryn_desktop.core.enums import Award
from daryn_desktop.core.events import PLACE_AWARDS, ResultLine, validate_result
from daryn_desktop.core.imports import values as v
from daryn_desktop.core.imports.directory import Directory, KnownRecord
from daryn_desktop.core.imports.layout import DataRow, Layout
from daryn_desktop.core.imports.plan import (
    Insert,
    RowOutcome,
    RowStatus,
    StageEntry,
    Update,
    Write,
)
from daryn_desktop.core.imports.results import (
    MSG_SAME_RESULT,
    TEACHER_NOTE,
    find_pupil,
    teacher_parts,
    written_place,
)
from daryn_desktop.core.imports.rows import RowReader, changes_of, enum_label, shown
from daryn_desktop.core.imports.schools import SchoolResolver
from daryn_desktop.i18n import N_, _

MSG_SEVERAL_ENTRIES = N_("The pupil takes part in this stage in several subjects ({subjects}):"
                         " add a subject column to say which.")
MSG_TEACHER_NOT_AT_SCHOOL = N_("No teacher called “{name}” works at the pupil's school or the"
                               " education department: choose the teacher in the stage's"
                               " results grid.")
MSG_SEVERAL_TEACHERS = N_("{count} teachers called “{name}” work at the pupil's school: choose"
                          " the teacher in the stage's results grid.")
MSG_GRADE_OUTSIDE = N_("The event is for grades {first}–{last}; the registry has the pupil in"
                       " grade {grade}.")

#: The fields a person sees change in the preview (the rest are copies of the event's data).
COLUMN_LABELS = {"subject": N_("Subject"), "teacher_id": N_("Preparing teacher"),
                 "withdrawn": N_("Did not take part"), "note": N_("Note"),
                 "award": N_("Award"), "score": N_("Score"), "place": N_("Place"),
                 "removed": N_("Result taken back")}
#: The errors of a line (by its attribute) under the row's column that gave it.
_LINE_COLUMNS = {"score": "score", "place": "place", "award": "award", "withdrawn": "award",
                 "note": "note"}


@dataclass(frozen=True)
class StageTarget:
    """The stage a protocol is imported into."""

    stage_id: str
    #: The event's subject when it has one only (the subject of rows that name none).
    subject: str | None = None
    grade_from: int | None = None
    grade_to: int | None = None


@dataclass
class StageOptions:
    target: StageTarget
    #: The school of rows that name none (to find a pupil by name and school).
    school_id: str | None = None
    #: The subject of rows that name none, over the event's.
    subject: str | None = None


@dataclass
class _Row:
    outcome: RowOutcome
    reader: RowReader
    pupil_id: str | None
    subject: str | None
    score: float | None
    cell: v.PlaceCell
    teacher: str | None
    note: str | None
    line: ResultLine | None = None


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


def _entry(row: _Row, entries: Sequence[ResultLine], claimed: set[str | None]
           ) -> ResultLine | None:
    """The pupil's entry in the stage the row is about: the one of its subject; the only one
    when the row names no subject; an entry without a subject that the row's subject fills
    (unless a row above filled it with another subject)."""
    if row.subject is not None:
        found = next((e for e in entries if _same(e.subject, row.subject)), None)
        if found is None:
            blank = [e for e in entries if not e.subject]
            found = (blank[0] if len(blank) == 1 and blank[0].participant_id not in claimed
                     else None)
        return found
    if len(entries) > 1:
        row.reader.error("subject" if row.reader.layout.column_of("subject") is not None
                         else None, MSG_SEVERAL_ENTRIES,
                         subjects=", ".join(sorted(e.subject or "—" for e in entries)))
    return entries[0] if len(entries) == 1 else None


def _teacher(row: _Row, directory: Directory, school_id: str | None) -> str | None:
    """The teacher the row names, found among the staff of the pupil's school, then of the
    education department (staff without a school), as the grid offers them."""
    if row.teacher is None:
        return None
    surname, given = teacher_parts(row.teacher)
    found: list[KnownRecord] = directory.staff(surname, given, school_id) if school_id else []
    if not found:
        found = [s for s in directory.staff(surname, given, None)
                 if s.values.get("school_id") is None]
    if len(found) == 1:
        return found[0].id
    if found:
        row.reader.warn("teacher", MSG_SEVERAL_TEACHERS, count=len(found), name=row.teacher)
    else:
        row.reader.warn("teacher", MSG_TEACHER_NOT_AT_SCHOOL, name=row.teacher)
    return None


def _award(row: _Row, base: ResultLine) -> Award:
    """The row's award: the one written; else the one its place stands for, unless a person
    chose another in the grid; else what the stage holds; a pupil the protocol lists
    without any took part."""
    written = row.cell.award
    if written is not None:
        return written
    if row.cell.place is not None and (base.award is None or base.award in _PLACED):
        return PLACE_AWARDS.get(row.cell.place, Award.PARTICIPANT)
    return base.award or Award.PARTICIPANT


_PLACED = frozenset(PLACE_AWARDS.values())


def _line(row: _Row, base: ResultLine, teacher_id: str | None) -> ResultLine:
    """The stage's line for the row: what the stage holds, with what the row writes over it
    (empty cells never erase)."""
    if row.cell.absent:
        return dataclasses.replace(base, withdrawn=True, award=None, score=None, place=None,
                                   subject=row.subject or base.subject)
    note = row.note or base.note
    if row.teacher and teacher_id is None and base.teacher_id is None and not row.note:
        note = _(TEACHER_NOTE).format(name=row.teacher)
    return dataclasses.replace(
        base, subject=row.subject or base.subject, teacher_id=teacher_id or base.teacher_id,
        score=row.score if row.score is not None else base.score,
        place=row.cell.place if row.cell.place is not None else base.place,
        award=_award(row, base), withdrawn=False, note=note)


def _read(data_row: DataRow, layout: Layout, directory: Directory, schools: SchoolResolver,
          options: StageOptions) -> _Row:
    reader = RowReader(data_row, layout)
    surname, given, _patronymic = reader.names()
    outcome = RowOutcome(data_row.number, RowStatus.NEW,
                         " ".join(p for p in (surname, given) if p), data_row.raw)
    pupil_id = find_pupil(reader, directory, schools)
    return _Row(outcome, reader, pupil_id,
                subject=reader.read("subject", v.text) or options.subject,
                score=reader.read("score", v.number), cell=written_place(reader),
                teacher=reader.read("teacher", v.text), note=reader.read("note", v.text))


def plan_stage_results(rows: Iterable[DataRow], layout: Layout, directory: Directory,
                       options: StageOptions) -> list[RowOutcome]:
    """What importing a stage's protocol would do, row by row; nothing is written."""
    target = options.target
    schools = SchoolResolver(directory, options.school_id)
    read = [_read(r, layout, directory, schools, options) for r in rows]
    pupils = directory.pupils({r.pupil_id for r in read if r.pupil_id})
    entries: dict[str, list[ResultLine]] = {}
    for line in directory.stage_lines(target.stage_id):
        entries.setdefault(line.pupil_id, []).append(line)
    seen: dict[tuple[str, str], int] = {}
    claimed: set[str | None] = set()
    for row in read:
        if row.pupil_id is None or row.reader.failed:
            continue
        pupil = pupils.get(row.pupil_id)
        school_id = pupil.values.get("school_id") if pupil else None
        if pupil and not row.outcome.label:  # found by the IIN alone: named as registered
            row.outcome.label = f"{pupil.values['surname']} {pupil.values['given_name']}"
        _check_grade(row, pupil, target)
        existing = _entry(row, entries.get(row.pupil_id, []), claimed)
        if row.reader.failed:
            continue
        base = existing or ResultLine(pupil_id=row.pupil_id, subject=row.subject or
                                      target.subject)
        line = _line(row, base, _teacher(row, directory, school_id))
        key = (row.pupil_id, (line.subject or "").strip().casefold())
        if key in seen:
            row.reader.error(None, MSG_SAME_RESULT, other=seen[key])
            continue
        seen[key] = row.outcome.number
        if existing is not None:
            claimed.add(existing.participant_id)
        row.reader.add_findings(validate_result(line), _LINE_COLUMNS)
        if not row.reader.failed:
            row.line = line
    valid = [r for r in read if r.line is not None]
    planned = directory.stage_writes(target.stage_id, [r.line for r in valid if r.line])
    for row, writes in zip(valid, planned):
        _judge(row, writes, directory, target)
    for row in read:
        row.outcome.problems = row.reader.problems
        if row.line is None:
            row.outcome.status = RowStatus.REJECTED
    return [r.outcome for r in read]


def _check_grade(row: _Row, pupil: KnownRecord | None, target: StageTarget) -> None:
    grade = pupil.values.get("grade") if pupil else None
    first = target.grade_from if target.grade_from is not None else 0
    last = target.grade_to if target.grade_to is not None else 12
    if grade is not None and not first <= grade <= last:
        row.reader.warn("grade" if row.reader.has("grade") else None, MSG_GRADE_OUTSIDE,
                        first=first, last=last, grade=grade)


def _judge(row: _Row, writes: Sequence[Write], directory: Directory,
           target: StageTarget) -> None:
    """New (a new entry or result), changed (field: old → new) or unchanged."""
    line = row.line
    assert line is not None
    outcome = row.outcome
    outcome.label = f"{outcome.label}: {line.award.label}" if line.award else outcome.label
    if line.withdrawn:
        outcome.label = f"{outcome.label}: {_(COLUMN_LABELS['withdrawn']).lower()}"
    outcome.writes = [StageEntry(target.stage_id, line)] if writes else []
    if not writes:
        outcome.status = RowStatus.UNCHANGED
    elif any(isinstance(w, Insert) for w in writes):
        outcome.status = RowStatus.NEW
    else:
        outcome.status = RowStatus.CHANGED
        fields: dict[str, tuple[Any, Any]] = {}
        for write in writes:
            if isinstance(write, Update):
                fields.update({k: ov for k, ov in write.fields.items() if k in COLUMN_LABELS
                               and not (write.table == "achievements" and k in
                                        ("subject", "teacher_id"))})
        outcome.changes = changes_of(fields, COLUMN_LABELS, _Shown(directory))


class _Shown:
    """A stored value of a stage's result as the preview shows it."""

    def __init__(self, directory: Directory):
        self.directory = directory

    def __call__(self, column: str, value: Any) -> str:
        if column == "award":
            return enum_label(Award, value)
        if column in ("withdrawn", "removed"):
            return shown(bool(value))
        if column == "teacher_id":
            return (self.directory.staff_name(value) if value else None) or shown(value)
        if column == "score" and value is not None:
            return f"{float(value):g}"
        return shown(value)
