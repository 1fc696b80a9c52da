"""Staff development (courses, seminars; prize-winners prepared) and research projects."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from daryn_desktop.core import staffdev as rules
from daryn_desktop.core.entities import Staff
from daryn_desktop.core.enums import Award, EventLevel
from daryn_desktop.core.events import result_id
from daryn_desktop.core.findings import Finding, has_errors
from daryn_desktop.core.staffdev import ResearchProject, StaffTraining
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_
from daryn_desktop.i18n.collation import sort_key
from daryn_desktop.storage.repositories import NotFound
from daryn_desktop.storage.rows import from_row, to_row

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

#: Awards that make a pupil a prize-winner (as ``Award.is_prize``), for SQL.
PRIZES = tuple(a.value for a in Award if a.is_prize)


class InvalidTraining(UserError):
    message = N_("The course cannot be saved: {problems}")


class InvalidProject(UserError):
    message = N_("The project cannot be saved: {problems}")


@dataclass(frozen=True)
class StaffOverview:
    """A member of staff with their development: last course, recent hours, prize-winners."""

    staff: Staff
    school_name: str | None
    last_trained: date | None
    recent_hours: int
    trainings: int
    #: Pupils with a prize the person prepared: of every year, and of the year asked for.
    prize_winners: int
    prize_winners_year: int

    def needs_training(self, today: date, years: int = rules.TRAINING_PERIOD_YEARS) -> bool:
        return rules.needs_training(self.last_trained, today, years)


@dataclass(frozen=True)
class PreparedResult:
    """A prize a pupil won, prepared by a teacher."""

    pupil_name: str
    school_name: str
    event_name: str
    level: EventLevel
    award: Award
    academic_year: str
    subject: str | None


@dataclass(frozen=True)
class ProjectRow:
    project: ResearchProject
    pupil_name: str
    grade: int
    school_name: str
    supervisor_name: str | None
    #: The stages the project went through: (level, event name, award or None), in order.
    stages: tuple[tuple[EventLevel, str, Award | None], ...]

    @property
    def best(self) -> tuple[EventLevel, str, Award | None] | None:
        """The highest stage reached (with its result)."""
        return self.stages[-1] if self.stages else None


def _problems(findings: list[Finding]) -> str:
    return "; ".join(f.text for f in findings if f.is_error)


def _name(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


class StaffDevelopment:
    """Courses and seminars of staff, and what they achieved with their pupils."""

    def __init__(self, store: Store):
        self.store = store
        self.db = store.db

    def trainings(self, staff_id: str) -> list[StaffTraining]:
        """A person's courses, the latest first (removed ones left out)."""
        cursor = self.db.execute(
            "SELECT * FROM staff_trainings WHERE staff_id = ? AND removed = 0 ORDER BY"
            " coalesce(end_date, start_date) DESC, rowid DESC", [staff_id])
        names = [d[0] for d in cursor.description]
        return [from_row(StaffTraining, dict(zip(names, r))) for r in cursor.fetchall()]

    def save_training(self, training: StaffTraining, *, today: date | None = None,
                      author: str | None = None) -> StaffTraining:
        findings = rules.validate_training(training, today=today)
        if has_errors(findings):
            raise InvalidTraining(problems=_problems(findings))
        training = dataclasses.replace(training, title=training.title.strip())
        values = to_row(training)
        row_id = values.pop("id")
        with self.store.transaction(author) as w:
            if self.db.execute("SELECT 1 FROM staff_trainings WHERE id = ?",
                               [row_id]).fetchone():
                w.update("staff_trainings", row_id, values)
            else:
                w.insert("staff_trainings", {**values, "id": row_id})
        return training

    def remove_training(self, training_id: str, *, author: str | None = None) -> None:
        """A course entered by mistake (removal is a synced flag: sync never deletes)."""
        with self.store.transaction(author) as w:
            w.update("staff_trainings", training_id, {"removed": True})

    def overview(self, *, academic_year: str | None = None, role: str | None = None,
                 text: str = "", untrained_only: bool = False, today: date | None = None,
                 years: int = rules.TRAINING_PERIOD_YEARS) -> list[StaffOverview]:
        """Every member of staff (not archived) with their development, in name order."""
        today = today or date.today()
        since = rules.training_due_since(today, years).isoformat()
        clauses, params = ["s.archived = 0"], []
        if role:
            clauses.append("s.role = ?")
            params.append(role)
        for word in text.split():
            clauses.append("instr(s.sort_key, ?) > 0")
            params.append(sort_key(word))
        cursor = self.db.execute(
            "SELECT s.*, sc.name AS school_name FROM staff s LEFT JOIN schools sc ON"
            f" sc.id = s.school_id WHERE {' AND '.join(clauses)} ORDER BY s.sort_key, s.id",
            params)
        names = [d[0] for d in cursor.description]
        people = [dict(zip(names, r)) for r in cursor.fetchall()]
        trained: dict[str, tuple[str | None, int, int]] = {}
        for staff_id, last, hours, count in self.db.execute(
                "SELECT staff_id, max(coalesce(end_date, start_date)) FILTER (WHERE"
                " coalesce(end_date, start_date) <= ?), sum(CASE WHEN coalesce(end_date,"
                " start_date) BETWEEN ? AND ? THEN coalesce(hours, 0) ELSE 0 END), count(*)"
                " FROM staff_trainings WHERE removed = 0 GROUP BY staff_id",
                [today.isoformat(), since, today.isoformat()]):
            trained[staff_id] = (last, hours or 0, count)
        prizes = json.dumps(PRIZES)
        winners = dict(self.db.execute(
            "SELECT teacher_id, count(DISTINCT pupil_id) FROM achievements WHERE teacher_id IS"
            " NOT NULL AND removed = 0 AND award IN (SELECT value FROM json_each(?))"
            " GROUP BY teacher_id",
            [prizes]).fetchall())
        winners_year: dict[str, int] = {}
        if academic_year:
            winners_year = dict(self.db.execute(
                "SELECT teacher_id, count(DISTINCT pupil_id) FROM achievements WHERE"
                " teacher_id IS NOT NULL AND removed = 0 AND academic_year = ? AND award IN"
                " (SELECT value FROM json_each(?)) GROUP BY teacher_id",
                [academic_year, prizes]).fetchall())
        out = []
        for row in people:
            school = row.pop("school_name")
            person = from_row(Staff, row)
            last, hours, count = trained.get(person.id, (None, 0, 0))
            item = StaffOverview(person, school, date.fromisoformat(last) if last else None,
                                 hours, count, winners.get(person.id, 0),
                                 winners_year.get(person.id, 0))
            if untrained_only and not item.needs_training(today, years):
                continue
            out.append(item)
        return out

    def prepared(self, staff_id: str) -> list[PreparedResult]:
        """The prizes won by pupils the person prepared, the latest year first."""
        return [PreparedResult(_name(r[0], r[1], r[2]), r[3], r[4], EventLevel(r[5]),
                               Award(r[6]), r[7], r[8])
                for r in self.db.execute(
                    "SELECT p.surname, p.given_name, p.patronymic, s.name, a.event_name,"
                    " a.level, a.award, a.academic_year, a.subject FROM achievements a JOIN"
                    " pupils p ON p.id = a.pupil_id JOIN schools s ON s.id = p.school_id"
                    " WHERE a.teacher_id = ? AND a.removed = 0 AND a.award IN (SELECT value"
                    " FROM json_each(?))"
                    " ORDER BY a.academic_year DESC, a.date DESC, p.sort_key",
                    [staff_id, json.dumps(PRIZES)])
                if r[5] in EventLevel._value2member_map_
                and r[6] in Award._value2member_map_]


class Projects:
    """Pupils' research projects and the competition stages they went through."""

    def __init__(self, store: Store):
        self.store = store
        self.db = store.db

    def get(self, project_id: str) -> ResearchProject:
        cursor = self.db.execute("SELECT * FROM research_projects WHERE id = ?", [project_id])
        row = cursor.fetchone()
        if row is None:
            raise NotFound()
        return from_row(ResearchProject, dict(zip([d[0] for d in cursor.description], row)))

    def rows(self, *, academic_year: str | None = None, school_id: str | None = None,
             pupil_id: str | None = None) -> list[ProjectRow]:
        clauses, params = ["r.removed = 0"], []
        for column, value in (("r.academic_year", academic_year), ("p.school_id", school_id),
                              ("r.pupil_id", pupil_id)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        cursor = self.db.execute(
            "SELECT r.*, p.surname AS p_surname, p.given_name AS p_given,"
            " p.patronymic AS p_patronymic, p.grade AS p_grade, s.name AS s_name,"
            " t.surname AS t_surname, t.given_name AS t_given, t.patronymic AS t_patronymic"
            " FROM research_projects r JOIN pupils p ON p.id = r.pupil_id JOIN schools s ON"
            " s.id = p.school_id LEFT JOIN staff t ON t.id = r.supervisor_id"
            f" WHERE {' AND '.join(clauses)} ORDER BY r.academic_year DESC, p.sort_key, r.id",
            params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r)) for r in cursor.fetchall()]
        stages = self._stages([r["id"] for r in rows])
        out = []
        for row in rows:
            extra = {k: row.pop(k) for k in list(row) if k.startswith(("p_", "s_", "t_"))}
            project = from_row(ResearchProject, row)
            out.append(ProjectRow(
                project, _name(extra["p_surname"], extra["p_given"], extra["p_patronymic"]),
                extra["p_grade"], extra["s_name"],
                _name(extra["t_surname"], extra["t_given"], extra["t_patronymic"]) or None,
                tuple(stages.get(project.id, ()))))
        return out

    def _stages(self, project_ids: list[str]) -> dict[str, list[tuple[EventLevel, str,
                                                                       Award | None]]]:
        """The stages each project was entered in, from the lowest level up."""
        found: dict[str, list[tuple[EventLevel, str, Award | None, str]]] = {}
        if not project_ids:
            return {}
        entries = self.db.execute(
            "SELECT pa.project_id, pa.id, st.level, e.name, st.position FROM participants pa"
            " JOIN event_stages st ON st.id = pa.stage_id JOIN events e ON e.id = st.event_id"
            " WHERE pa.withdrawn = 0 AND pa.project_id IN (SELECT value FROM json_each(?))",
            [json.dumps(project_ids)]).fetchall()
        results = dict(self.db.execute(
            "SELECT id, award FROM achievements WHERE removed = 0 AND id IN"
            " (SELECT value FROM json_each(?))",
            [json.dumps([result_id(e[1]) for e in entries])]).fetchall())
        for project_id, participant_id, level, event, position in entries:
            if level not in EventLevel._value2member_map_:
                continue
            award = results.get(result_id(participant_id))
            found.setdefault(project_id, []).append(
                (EventLevel(level), event, Award(award) if award else None, f"{position:04d}"))
        return {pid: [(lv, ev, aw) for lv, ev, aw, _pos in sorted(
            items, key=lambda i: (i[0].rank, i[3]))] for pid, items in found.items()}

    def save(self, project: ResearchProject, *, author: str | None = None) -> ResearchProject:
        findings = rules.validate_project(project)
        if has_errors(findings):
            raise InvalidProject(problems=_problems(findings))
        project = dataclasses.replace(project, topic=project.topic.strip())
        values = to_row(project)
        row_id = values.pop("id")
        with self.store.transaction(author) as w:
            if self.db.execute("SELECT 1 FROM research_projects WHERE id = ?",
                               [row_id]).fetchone():
                w.update("research_projects", row_id, values)
            else:
                w.insert("research_projects", {**values, "id": row_id})
        return project

    def remove(self, project_id: str, *, author: str | None = None) -> None:
        with self.store.transaction(author) as w:
            w.update("research_projects", project_id, {"removed": True})
