"""The events calendar in the database: events and stages, participants and their results.

Every write goes through ``store.transaction()`` (the logged write path) and is atomic. A
result is written as the pupil's achievement with the id :func:`core.events.result_id` of
the participant, so that it shows in the pupil editor, the registry and the statistics like
any achievement. :meth:`Events.save_results` takes plain :class:`~core.events.ResultLine`
rows: the results grid and a spreadsheet importer both use it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from daryn_desktop.core import events as rules
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.entities import Event
from daryn_desktop.core.enums import Award, EventLevel, Role
from daryn_desktop.core.events import (
    CalendarDate,
    EventStage,
    EventTemplate,
    Participant,
    ResultLine,
    result_id,
)
from daryn_desktop.core.findings import Finding, has_errors
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _
from daryn_desktop.storage.repositories import NotFound
from daryn_desktop.storage.rows import from_row, to_db, to_row
from daryn_desktop.storage.stage_results import LineWrites, LogEntry, apply_writes, plan_lines

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store
    from daryn_desktop.storage.writer import Writer


class InvalidEvent(UserError):
    message = N_("The event cannot be saved: {problems}")


class NotYourEvent(UserError):
    message = N_("“{name}” was published by the regional centre; only the region changes it.")
    hint = N_("Results of your pupils can still be entered.")


class StageInUse(UserError):
    message = N_("The stage “{stage}” has participants and cannot be removed.")


class InvalidResults(UserError):
    message = N_("The results cannot be saved: {problems}")


class NoNextStage(UserError):
    message = N_("“{stage}” is the last stage of the event: there is nowhere to advance.")


class NoPreviousStage(UserError):
    message = N_("“{stage}” is the first stage of the event.")


def _problems(findings: Iterable[Finding], prefix: str = "") -> str:
    return "; ".join(f"{prefix}{f.text}" for f in findings if f.is_error)


@dataclass(frozen=True)
class EventRow:
    """One event of the calendar list, with its stages and what comes next."""

    event: Event
    stages: tuple[EventStage, ...]
    participants: int
    editable: bool

    @property
    def first_day(self) -> date | None:
        days = [s.start_date for s in self.stages if s.start_date]
        return min(days) if days else self.event.date

    @property
    def last_day(self) -> date | None:
        days = [s.last_day for s in self.stages if s.last_day]
        return max(days) if days else self.event.date


@dataclass(frozen=True)
class ResultRow:
    """A participant of a stage with the pupil's data and the result, if recorded."""

    participant: Participant
    full_name: str
    iin: str
    grade: int
    class_letter: str | None
    school_id: str
    school_name: str
    district_kato: str
    status: str
    teacher_name: str | None
    award: Award | None
    score: float | None
    place: int | None

    @property
    def pupil_id(self) -> str:
        return self.participant.pupil_id

    @property
    def has_result(self) -> bool:
        return self.award is not None

    def line(self) -> ResultLine:
        """The row as a line to edit and save back."""
        p = self.participant
        return ResultLine(pupil_id=p.pupil_id, subject=p.subject, teacher_id=p.teacher_id,
                          score=self.score, place=self.place, award=self.award,
                          withdrawn=p.withdrawn, note=p.note, project_id=p.project_id,
                          participant_id=p.id)


@dataclass(frozen=True)
class SaveSummary:
    added: int = 0
    changed: int = 0
    results: int = 0


@dataclass(frozen=True)
class Advanced:
    """What "advance the winners" did: how many were added to which stage."""

    stage: EventStage
    added: int
    already: int


@dataclass(frozen=True)
class HistoryLine:
    """A result of a school's pupil, as the school's history of results lists it."""

    academic_year: str
    pupil_name: str
    #: The grade the pupil was in that year (worked out from today's grade).
    grade: int | None
    subject: str | None
    event_name: str
    level: EventLevel
    award: Award
    place: int | None
    teacher_name: str | None


_RESULT_SQL = """
SELECT pa.id, pa.pupil_id, pa.stage_id, pa.subject, pa.teacher_id, pa.project_id,
       pa.withdrawn, pa.note,
       p.surname, p.given_name, p.patronymic, p.iin, p.grade, p.class_letter, p.school_id,
       s.name, s.district_kato, p.status,
       t.surname, t.given_name, t.patronymic
FROM participants pa
JOIN pupils p ON p.id = pa.pupil_id
JOIN schools s ON s.id = p.school_id
LEFT JOIN staff t ON t.id = pa.teacher_id
WHERE {where}
ORDER BY {order}
"""


def _name(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


class Events:
    """The events calendar of one store."""

    def __init__(self, store: Store):
        self.store = store
        self.db = store.db

    # -- who may do what -------------------------------------------------------------------
    def may_edit(self, event: Event) -> bool:
        inst = self.store.installation
        return rules.may_edit(event, inst.role, inst.district_kato)

    @property
    def district_only(self) -> bool:
        """A district installation adds district- and school-level events only."""
        return self.store.installation.role == Role.DISTRICT

    # -- reading ---------------------------------------------------------------------------
    def event(self, event_id: str) -> Event:
        row = self._rows("SELECT * FROM events WHERE id = ?", [event_id])
        if not row:
            raise NotFound()
        return from_row(Event, row[0])

    def stages(self, event_id: str, *, include_removed: bool = False) -> list[EventStage]:
        """The stages of an event in their order."""
        clause = "" if include_removed else " AND removed = 0"
        return [from_row(EventStage, r) for r in self._rows(
            f"SELECT * FROM event_stages WHERE event_id = ?{clause} ORDER BY position, id",
            [event_id])]

    def stage(self, stage_id: str) -> EventStage:
        row = self._rows("SELECT * FROM event_stages WHERE id = ?", [stage_id])
        if not row:
            raise NotFound()
        return from_row(EventStage, row[0])

    def years(self) -> list[str]:
        """The academic years that have events, the latest first."""
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT academic_year FROM events ORDER BY academic_year DESC")]

    def list_events(self, academic_year: str | None = None, *, text: str = "",
                    include_archived: bool = False) -> list[EventRow]:
        """The events of a year (all years: None) with their stages, by their first date."""
        clauses, params = ["1"], []
        if academic_year:
            clauses.append("academic_year = ?")
            params.append(academic_year)
        if not include_archived:
            clauses.append("archived = 0")
        events = [from_row(Event, r) for r in self._rows(
            f"SELECT * FROM events WHERE {' AND '.join(clauses)}", params)]
        words = text.casefold().split()
        if words:
            events = [e for e in events
                      if all(w in f"{e.name} {e.subject or ''} {e.organiser or ''}".casefold()
                             for w in words)]
        stages = self._stages_of([e.id for e in events])
        counts = dict(self.db.execute(
            "SELECT s.event_id, count(*) FROM participants p JOIN event_stages s ON"
            " s.id = p.stage_id WHERE p.withdrawn = 0 GROUP BY s.event_id").fetchall())
        rows = [EventRow(e, tuple(stages.get(e.id, ())), counts.get(e.id, 0), self.may_edit(e))
                for e in events]
        rows.sort(key=lambda r: (r.first_day or date.max, r.event.name))
        return rows

    def _stages_of(self, event_ids: Sequence[str]) -> dict[str, list[EventStage]]:
        found: dict[str, list[EventStage]] = {}
        for part in range(0, len(event_ids), 500):
            ids = list(event_ids[part:part + 500])
            marks = ",".join("?" * len(ids))
            for r in self._rows(f"SELECT * FROM event_stages WHERE removed = 0 AND event_id IN"
                                f" ({marks}) ORDER BY position, id", ids):
                stage = from_row(EventStage, r)
                found.setdefault(stage.event_id, []).append(stage)
        return found

    def coming(self, today: date, *, days: int | None = None) -> list[CalendarDate]:
        """Registration deadlines and stages from ``today`` on, the soonest first."""
        events = {e.id: e for e in (from_row(Event, r) for r in self._rows(
            "SELECT * FROM events WHERE archived = 0 AND id IN (SELECT event_id FROM"
            " event_stages WHERE removed = 0 AND (coalesce(end_date, start_date) >= ? OR"
            " registration_deadline >= ?))", [today.isoformat(), today.isoformat()]))}
        stages = [s for stages in self._stages_of(list(events)).values() for s in stages]
        return rules.coming_dates(events, stages, today, days=days)

    def _rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r)) for r in cursor.fetchall()]

    # -- writing events --------------------------------------------------------------------
    def validate(self, event: Event, stages: Sequence[EventStage]) -> list[Finding]:
        district_only = self.district_only and event.district_kato is not None
        return rules.validate_event(event, stages, district_only=district_only)

    def has_participants(self, stage_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM participants WHERE stage_id = ? LIMIT 1",
                               [stage_id]).fetchone() is not None

    def save_event(self, event: Event, stages: Sequence[EventStage], *,
                   author: str | None = None) -> Event:
        """Write a new or edited event with the full list of its stages, in their order.

        Stages missing from the list are marked removed (refused while they have
        participants); the event's level and date follow its stages. Results already
        recorded take the event's new name, kind, year and their stage's level and date.
        """
        known = self.db.execute("SELECT 1 FROM events WHERE id = ?", [event.id]).fetchone()
        inst = self.store.installation
        if known is None and inst.role == Role.DISTRICT:
            event = dataclasses.replace(event, district_kato=inst.district_kato)
        if known is not None and not self.may_edit(self.event(event.id)):
            raise NotYourEvent(name=event.name)
        stages = [dataclasses.replace(s, event_id=event.id, position=i)
                  for i, s in enumerate(st for st in stages if not st.removed)]
        findings = self.validate(event, stages)
        if has_errors(findings):
            raise InvalidEvent(problems=_problems(findings))
        level = rules.event_level(stages)
        first = [s.start_date for s in stages if s.start_date]
        event = dataclasses.replace(event, name=event.name.strip(),
                                    level=level or event.level,
                                    date=min(first) if first else event.date)
        old = {s.id: s for s in self.stages(event.id, include_removed=True)} if known else {}
        gone = [s for s in old.values() if not s.removed and s.id not in {x.id for x in stages}]
        for stage in gone:
            if self.has_participants(stage.id):
                raise StageInUse(stage=stage.title())
        with self.store.transaction(author) as w:
            row = to_row(event)
            row_id = row.pop("id")
            if known is None:
                w.insert("events", {**row, "id": row_id})
            else:
                w.update("events", row_id, row)
            for stage in stages:
                values = to_row(stage)
                stage_id = values.pop("id")
                if stage_id in old:
                    w.update("event_stages", stage_id, values)
                else:
                    w.insert("event_stages", {**values, "id": stage_id})
            for stage in gone:
                w.update("event_stages", stage.id, {"removed": True})
            self._refresh_results(w, event, stages)
        return event

    def _refresh_results(self, w: Writer, event: Event, stages: Sequence[EventStage]) -> None:
        """Keep the copies of the event's data in its results (achievements) current."""
        for stage in stages:
            wanted = {"event_name": event.name, "event_kind": to_db(event.kind),
                      "level": to_db(stage.level), "academic_year": event.academic_year,
                      "date": to_db(stage.last_day or event.date), "event_id": event.id}
            cols = ", ".join(wanted)
            for row in self.db.execute(
                    f"SELECT id, {cols} FROM achievements WHERE stage_id = ?", [stage.id]):
                current = dict(zip(wanted, row[1:]))
                changed = {k: v for k, v in wanted.items() if current[k] != v}
                if changed:
                    w.update("achievements", row[0], changed)

    def create_from_template(self, template: EventTemplate, academic_year: str, *,
                             author: str | None = None) -> Event:
        """The template's event and stages for the year, saved in one step."""
        inst = self.store.installation
        district = inst.district_kato if inst.role == Role.DISTRICT else None
        event, stages = rules.event_from_template(template, AcademicYear.parse(academic_year),
                                                  district_kato=district)
        if district is not None:
            # A district keeps the stages it runs itself; the region publishes the rest.
            stages = [s for s in stages if s.level in rules.DISTRICT_LEVELS]
        return self.save_event(event, stages, author=author)

    def archive_event(self, event_id: str, *, archived: bool = True,
                      author: str | None = None) -> None:
        event = self.event(event_id)
        if not self.may_edit(event):
            raise NotYourEvent(name=event.name)
        with self.store.transaction(author) as w:
            w.update("events", event_id, {"archived": archived})

    # -- participants and results ----------------------------------------------------------
    def results(self, stage_id: str, *, include_withdrawn: bool = True) -> list[ResultRow]:
        """The participants of a stage with their results, in Kazakh alphabetical order."""
        where = "pa.stage_id = ?" + ("" if include_withdrawn else " AND pa.withdrawn = 0")
        return self._result_rows(where, [stage_id], "p.sort_key, pa.id")

    def _result_rows(self, where: str, params: list[Any], order: str) -> list[ResultRow]:
        rows = self.db.execute(_RESULT_SQL.format(where=where, order=order), params).fetchall()
        ids = {result_id(r[0]): r[0] for r in rows}
        awards: dict[str, tuple[Any, ...]] = {}
        for chunk in _chunks(list(ids)):
            for achievement_id, award, score, place in self.db.execute(
                    "SELECT id, award, score, place FROM achievements WHERE removed = 0 AND id"
                    " IN (SELECT value FROM json_each(?))", [json.dumps(chunk)]):
                awards[ids[achievement_id]] = (award, score, place)
        out = []
        for r in rows:
            participant = Participant(id=r[0], pupil_id=r[1], stage_id=r[2], subject=r[3],
                                      teacher_id=r[4], project_id=r[5], withdrawn=bool(r[6]),
                                      note=r[7])
            award, score, place = awards.get(r[0], (None, None, None))
            out.append(ResultRow(participant, _name(r[8], r[9], r[10]), r[11], r[12], r[13],
                                 r[14], r[15], r[16], r[17], _name(r[18], r[19], r[20]) or None,
                                 Award(award) if award else None, score, place))
        return out

    def event_results(self, event_id: str, stage_id: str | None = None) -> list[
            tuple[EventStage, list[ResultRow]]]:
        """The results of every stage of an event (or one), stage by stage."""
        stages = self.stages(event_id)
        if stage_id is not None:
            stages = [s for s in stages if s.id == stage_id]
        return [(s, self.results(s.id)) for s in stages]

    def save_results(self, stage_id: str, lines: Sequence[ResultLine], *,
                     author: str | None = None) -> SaveSummary:
        """Write a stage's results: participants, and an achievement for each recorded award.

        A line without ``participant_id`` joins the stage (or updates the pupil's entry if
        the pupil takes part already with the same subject). A line without an award takes
        a recorded result back (its achievement is marked removed). Everything is saved or
        nothing is.
        """
        with self.store.transaction(author) as w:
            planned, _log = self.write_results(w, stage_id, lines)
        return SaveSummary(added=sum(p.joins for p in planned),
                           changed=sum(p.entry_changed for p in planned),
                           results=sum(p.result_written for p in planned))

    def write_results(self, w: Writer, stage_id: str, lines: Sequence[ResultLine]
                      ) -> tuple[list[LineWrites], list[LogEntry]]:
        """:meth:`save_results` inside the caller's transaction (an import records its own
        batch with it): the writes of each line, and what they changed field by field."""
        event, stage = self._checked(stage_id, lines)
        planned = plan_lines(self.db, event, stage, lines)
        return planned, apply_writes(w, planned)

    def planned_results(self, stage_id: str, lines: Sequence[ResultLine]) -> list[LineWrites]:
        """What :meth:`save_results` would write for each line; nothing is written."""
        event, stage = self._checked(stage_id, lines)
        return plan_lines(self.db, event, stage, lines)

    def _checked(self, stage_id: str, lines: Sequence[ResultLine]) -> tuple[Event, EventStage]:
        """The stage and its event, once every line is valid and names a registered pupil."""
        stage = self.stage(stage_id)
        event = self.event(stage.event_id)
        problems: list[str] = []
        for number, line in enumerate(lines, start=1):
            text = _problems(rules.validate_result(line))
            if text:
                problems.append(_("line {number}: {problems}").format(number=number,
                                                                     problems=text))
        if problems:
            raise InvalidResults(problems="; ".join(problems))
        pupils = {r[0] for r in self.db.execute(
            "SELECT id FROM pupils WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps([line.pupil_id for line in lines])])}
        if any(line.pupil_id not in pupils for line in lines):
            raise NotFound()
        return event, stage

    def add_participants(self, stage_id: str, pupil_ids: Iterable[str], *,
                         author: str | None = None) -> int:
        """Pupils join the stage (those already in it stay as they are; a withdrawn one
        is taken back). Returns how many joined."""
        stage = self.stage(stage_id)
        event = self.event(stage.event_id)
        subject = event.subject if event.subject and "," not in event.subject else None
        current = {r.pupil_id: r for r in self.results(stage_id)}
        lines = []
        for pupil_id in dict.fromkeys(pupil_ids):
            row = current.get(pupil_id)
            if row is None:
                lines.append(ResultLine(pupil_id=pupil_id, subject=subject))
            elif row.participant.withdrawn and not row.has_result:
                lines.append(dataclasses.replace(row.line(), withdrawn=False))
        if lines:
            self.save_results(stage_id, lines, author=author)
        return len(lines)

    def winners(self, stage_id: str) -> list[ResultRow]:
        """The stage's winners and prize-holders (who go on to the next stage)."""
        return [r for r in self.results(stage_id, include_withdrawn=False)
                if rules.is_winner(r.award)]

    def advance_winners(self, stage_id: str, *, author: str | None = None) -> Advanced:
        """Enter the stage's winners in the next stage, with their subject, teacher and
        project, in one step. Pupils already there are left as they are."""
        stage = self.stage(stage_id)
        following = rules.next_stage(self.stages(stage.event_id), stage_id)
        if following is None:
            raise NoNextStage(stage=stage.title())
        there = {(r.pupil_id, (r.participant.subject or "").casefold())
                 for r in self.results(following.id)}
        lines = []
        already = 0
        for row in self.winners(stage_id):
            p = row.participant
            if (p.pupil_id, (p.subject or "").casefold()) in there:
                already += 1
                continue
            lines.append(ResultLine(pupil_id=p.pupil_id, subject=p.subject,
                                    teacher_id=p.teacher_id, project_id=p.project_id))
        if lines:
            self.save_results(following.id, lines, author=author)
        return Advanced(following, len(lines), already)

    def previous_winners(self, stage_id: str) -> list[ResultRow]:
        """The winners of the stage before ``stage_id`` (to add them all at once)."""
        stage = self.stage(stage_id)
        before = rules.previous_stage(self.stages(stage.event_id), stage_id)
        if before is None:
            raise NoPreviousStage(stage=stage.title())
        return self.winners(before.id)

    def pupils_of_school(self, school_id: str, event: Event | None = None) -> list[str]:
        """The school's pupils of the event's grades (active ones), in name order."""
        clauses = ["school_id = ?", "status = 'active'"]
        params: list[Any] = [school_id]
        if event is not None and event.grade_from is not None:
            clauses.append("grade >= ?")
            params.append(event.grade_from)
        if event is not None and event.grade_to is not None:
            clauses.append("grade <= ?")
            params.append(event.grade_to)
        return [r[0] for r in self.db.execute(
            f"SELECT id FROM pupils WHERE {' AND '.join(clauses)} ORDER BY sort_key, id",
            params)]


_HISTORY_SQL = """
SELECT a.academic_year, p.surname, p.given_name, p.patronymic, p.grade, a.subject,
       a.event_name, a.level, a.award, a.place, t.surname, t.given_name, t.patronymic
FROM achievements a JOIN pupils p ON p.id = a.pupil_id
LEFT JOIN staff t ON t.id = a.teacher_id
WHERE p.school_id = ? AND a.removed = 0 AND a.level IN (SELECT value FROM json_each(?))
"""


def school_history(store: Store, school_id: str, *, min_level: EventLevel = EventLevel.SCHOOL,
                   prizes_only: bool = True, today: date | None = None) -> list[HistoryLine]:
    """The results of the school's pupils (archived ones too), year by year, the highest
    level and the best award first within a year."""
    current = AcademicYear.containing(today or date.today())
    levels = [lv.value for lv in EventLevel if lv.rank >= min_level.rank]
    out = []
    for r in store.db.execute(_HISTORY_SQL, [school_id, json.dumps(levels)]):
        if r[8] not in Award._value2member_map_:
            continue
        award = Award(r[8])
        if prizes_only and not award.is_prize:
            continue
        try:
            back = current.start - AcademicYear.parse(r[0]).start
        except ValueError:
            continue
        grade = r[4] - back if r[4] - back >= 0 else None
        out.append(HistoryLine(r[0], _name(r[1], r[2], r[3]), grade, r[5], r[6],
                               EventLevel(r[7]), award, r[9], _name(r[10], r[11], r[12]) or None))
    out.sort(key=lambda h: (h.academic_year, -h.level.rank, -rules.AWARD_RANK.get(h.award, 0),
                            h.pupil_name))
    return out


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
