"""The support register in the database: eligibility lists, granting, the records and rules.

Granting writes, in one transaction, the support record and the road-map activity it
fulfils: an open activity of the same measure in the pupil's road map of that year is
completed (its status and result are progress, not a change of the plan); without one, an
activity is added — to a draft made for the purpose if the pupil has no road map yet, and as
a numbered amendment if the road map is signed. A closed road map is left alone.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from daryn_desktop.core import roadmap as road_rules
from daryn_desktop.core import support as rules
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.entities import Activity, Amendment
from daryn_desktop.core.enums import (
    ActivityStatus,
    Award,
    EventKind,
    EventLevel,
    FamilyCategory,
    RoadMapStatus,
    StaffRole,
    SupportMeasure,
)
from daryn_desktop.core.findings import has_errors
from daryn_desktop.core.ids import new_id
from daryn_desktop.core.support import (
    Candidate,
    EligibilityRule,
    PupilFact,
    ResultFact,
    SupportRecord,
    SupportStatus,
)
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, gettext_for
from daryn_desktop.storage.repositories import NotFound
from daryn_desktop.storage.roadmaps import RoadMaps
from daryn_desktop.storage.rows import from_row, to_row

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store
    from daryn_desktop.storage.writer import Writer


#: The reason of the amendment that adds a granted measure to a signed road map.
REASON = N_("Support measure granted: {measure}")
#: Marked in storage/roadmaps/amendments.py, where amendments are summarised.
ACTIVITY_ADDED = "Activity added: «{title}»"


class InvalidRecord(UserError):
    message = N_("The support record cannot be saved: {problems}")


class NothingChosen(UserError):
    message = N_("Choose at least one pupil.")


@dataclass(frozen=True)
class SupportRow:
    """A record of the register with what the lists show of the pupil and the basis."""

    record: SupportRecord
    full_name: str
    grade: int
    class_letter: str | None
    school_name: str
    district_kato: str
    sort_key: str
    #: The qualifying result, as "event — level — award" parts (None when not recorded).
    basis_event: str | None
    basis_level: EventLevel | None
    basis_award: Award | None
    basis_subject: str | None
    #: The status of the road-map activity the record fulfils (None: none linked).
    activity_status: ActivityStatus | None = None


@dataclass(frozen=True)
class Granted:
    """What granting did: the records written and the road maps touched."""

    records: tuple[SupportRecord, ...]
    activities_completed: int
    activities_added: int
    road_maps_created: int
    amendments: int
    #: Pupils whose road map of the year is closed (no activity was touched).
    closed: int


_ROW_SQL = """
SELECT r.*, p.surname, p.given_name, p.patronymic, p.grade, p.class_letter, s.name,
       s.district_kato, p.sort_key, a.event_name, a.level, a.award, a.subject, act.status
FROM support_records r JOIN pupils p ON p.id = r.pupil_id JOIN schools s ON s.id = p.school_id
LEFT JOIN achievements a ON a.id = r.achievement_id
LEFT JOIN activities act ON act.id = r.activity_id AND act.removed = 0
WHERE {where} ORDER BY p.sort_key, r.measure, r.id
"""


class Support:
    """The support register of one store."""

    def __init__(self, store: Store):
        self.store = store
        self.db = store.db

    # -- rules -----------------------------------------------------------------------------
    def rule(self, measure: SupportMeasure) -> EligibilityRule:
        """The rule in force: the coordinators' own if saved, else the built-in one."""
        row = self.db.execute("SELECT rule FROM support_rules WHERE measure = ? AND archived = 0"
                              " ORDER BY rowid DESC LIMIT 1", [measure.value]).fetchone()
        if row is None:
            return rules.DEFAULT_RULES.get(measure, EligibilityRule(measure))
        return EligibilityRule.from_json(measure, row[0])

    def is_default(self, measure: SupportMeasure) -> bool:
        return self.rule(measure) == rules.DEFAULT_RULES.get(measure, EligibilityRule(measure))

    def save_rule(self, rule: EligibilityRule, *, author: str | None = None) -> None:
        with self.store.transaction(author) as w:
            found = self.db.execute("SELECT id FROM support_rules WHERE measure = ? AND"
                                    " archived = 0 ORDER BY rowid DESC LIMIT 1",
                                    [rule.measure.value]).fetchone()
            if found:
                w.update("support_rules", found[0], {"rule": rule.to_json()})
            else:
                w.insert("support_rules", {"measure": rule.measure.value,
                                           "rule": rule.to_json()})

    def reset_rule(self, measure: SupportMeasure, *, author: str | None = None) -> None:
        """Back to the built-in rule (the saved one is archived, as sync never deletes)."""
        ids = [r[0] for r in self.db.execute(
            "SELECT id FROM support_rules WHERE measure = ? AND archived = 0", [measure.value])]
        if ids:
            with self.store.transaction(author) as w:
                for rule_id in ids:
                    w.update("support_rules", rule_id, {"archived": True})

    # -- eligibility -----------------------------------------------------------------------
    def eligible(self, measure: SupportMeasure, academic_year: str, *,
                 rule: EligibilityRule | None = None,
                 today: date | None = None) -> list[Candidate]:
        """The candidates the measure's rule finds in the recorded results of the year."""
        rule = rule or self.rule(measure)
        year = AcademicYear.parse(academic_year)
        today = today or date.today()
        years = rules.years_counted(rule, year)
        levels = [lv.value for lv in EventLevel if lv.rank >= rule.min_level.rank]
        # The rule's conditions that SQL can check are checked there (the rest, and all of
        # them again, by the rule itself): most results are participations of low levels.
        where = ["p.status = 'active'", "a.removed = 0",
                 "a.academic_year IN (SELECT value FROM json_each(?))",
                 "a.level IN (SELECT value FROM json_each(?))"]
        params: list[Any] = [json.dumps(years), json.dumps(levels)]
        if rule.prize_only:
            where.append("a.award IN (SELECT value FROM json_each(?))")
            params.append(json.dumps([a.value for a in Award if a.is_prize]))
        if rule.kinds:
            where.append("a.event_kind IN (SELECT value FROM json_each(?))")
            params.append(json.dumps([k.value for k in rule.kinds]))
        if rule.grade_from is not None:
            where.append("p.grade >= ?")
            params.append(rule.grade_from)
        if rule.grade_to is not None:
            where.append("p.grade <= ?")
            params.append(rule.grade_to)
        sql = ("SELECT a.id, a.pupil_id, a.event_name, a.event_kind, a.level, a.award,"
               " a.academic_year, a.subject, a.date FROM achievements a JOIN pupils p ON"
               f" p.id = a.pupil_id WHERE {' AND '.join(where)}")
        results = []
        kinds = {k.value: k for k in EventKind}
        awards = {a.value: a for a in Award}
        level_of = {lv.value: lv for lv in EventLevel}
        for r in self.db.execute(sql, params):
            if r[3] not in kinds or r[5] not in awards:
                continue  # a value of a newer program: not judged here
            results.append(ResultFact(r[0], r[1], r[2], kinds[r[3]], level_of[r[4]],
                                      awards[r[5]], r[6], r[7],
                                      date.fromisoformat(r[8]) if r[8] else None))
        pupils = self._pupil_facts({r.pupil_id for r in results}, today)
        already = [r[0] for r in self.db.execute(
            "SELECT DISTINCT pupil_id FROM support_records WHERE measure = ? AND"
            " academic_year = ? AND status NOT IN ('cancelled', 'refused')",
            [measure.value, year.label])]
        return rules.find_candidates(rule, year, pupils, results, already=already)

    def _pupil_facts(self, pupil_ids: Iterable[str], today: date) -> dict[str, PupilFact]:
        ids = list(pupil_ids)
        if not ids:
            return {}
        places = gazetteer()
        categories: dict[str, list[FamilyCategory]] = {}
        known = {c.value for c in FamilyCategory}
        for pupil_id, category in self.db.execute(
                "SELECT pupil_id, category FROM pupil_categories WHERE pupil_id IN"
                " (SELECT value FROM json_each(?)) AND (since IS NULL OR since <= ?) AND"
                " (until IS NULL OR until >= ?) AND removed = 0 ORDER BY rowid",
                [json.dumps(ids), today.isoformat(), today.isoformat()]):
            found = categories.setdefault(pupil_id, [])
            if category in known and FamilyCategory(category) not in found:
                found.append(FamilyCategory(category))
        facts = {}
        for (pid, surname, given, patronymic, grade, school, district, settlement,
             sort_key) in self.db.execute(
                "SELECT p.id, p.surname, p.given_name, p.patronymic, p.grade, s.name,"
                " s.district_kato, coalesce(p.settlement_kato, s.settlement_kato), p.sort_key"
                " FROM pupils p JOIN schools s ON s.id = p.school_id WHERE p.status = 'active'"
                " AND p.id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]):
            name = " ".join(x for x in (surname, given, patronymic) if x)
            facts[pid] = PupilFact(pid, name, grade, school, district,
                                   bool(settlement and places.is_rural(settlement)),
                                   tuple(categories.get(pid, ())), sort_key)
        return facts

    # -- the register ----------------------------------------------------------------------
    def record(self, record_id: str) -> SupportRecord:
        cursor = self.db.execute("SELECT * FROM support_records WHERE id = ?", [record_id])
        row = cursor.fetchone()
        if row is None:
            raise NotFound()
        return from_row(SupportRecord, dict(zip([d[0] for d in cursor.description], row)))

    def rows(self, *, measure: SupportMeasure | None = None, academic_year: str | None = None,
             order_number: str | None = None, pupil_id: str | None = None,
             statuses: Sequence[SupportStatus] | None = None) -> list[SupportRow]:
        """Records of the register (with the pupil and the basis), in name order."""
        clauses, params = ["1"], []
        for column, value in (("r.measure", measure.value if measure else None),
                              ("r.academic_year", academic_year),
                              ("r.order_number", order_number), ("r.pupil_id", pupil_id)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if statuses:
            clauses.append("r.status IN (SELECT value FROM json_each(?))")
            params.append(json.dumps([s.value for s in statuses]))
        cursor = self.db.execute(_ROW_SQL.format(where=" AND ".join(clauses)), params)
        names = [d[0] for d in cursor.description]
        width = len(names) - 13
        out = []
        for row in cursor.fetchall():
            record = from_row(SupportRecord, dict(zip(names[:width], row[:width])))
            (surname, given, patronymic, grade, letter, school, district, sort_key, event,
             level, award, subject, activity) = row[width:]
            out.append(SupportRow(
                record, " ".join(x for x in (surname, given, patronymic) if x), grade, letter,
                school, district, sort_key, event,
                EventLevel(level) if level in {lv.value for lv in EventLevel} else None,
                Award(award) if award in {a.value for a in Award} else None, subject,
                ActivityStatus(activity) if activity in {a.value for a in ActivityStatus}
                else None))
        return out

    def order_numbers(self, measure: SupportMeasure, academic_year: str | None = None) -> list[
            str]:
        sql = ("SELECT DISTINCT order_number FROM support_records WHERE measure = ? AND"
               " order_number IS NOT NULL")
        params: list[Any] = [measure.value]
        if academic_year:
            sql += " AND academic_year = ?"
            params.append(academic_year)
        return [r[0] for r in self.db.execute(sql + " ORDER BY order_number", params)]

    def grant(self, pupils: Sequence[tuple[str, str | None]], template: SupportRecord, *,
              on: date | None = None, author: str | None = None) -> Granted:
        """Give the measure of ``template`` to each pupil of ``pupils`` (pupil id, the id of
        the qualifying achievement or None): a record each, and the road-map activity.

        Everything is written in one transaction, or nothing is.
        """
        if not pupils:
            raise NothingChosen()
        on = on or date.today()
        findings = rules.validate_record(template)
        if has_errors(findings):
            raise InvalidRecord(problems="; ".join(f.text for f in findings if f.is_error))
        records = [dataclasses.replace(template, id=new_id(), pupil_id=pid, achievement_id=basis)
                   for pid, basis in dict(pupils).items()]
        tally = {"completed": 0, "added": 0, "created": 0, "amendments": 0, "closed": 0}
        maps = RoadMaps(self.store)
        with self.store.transaction(author) as w:
            for record in records:
                record.activity_id = self._fulfil(w, maps, record, on, tally)
                w.insert("support_records", to_row(record))
        return Granted(tuple(records), tally["completed"], tally["added"], tally["created"],
                       tally["amendments"], tally["closed"])

    def save(self, record: SupportRecord, *, on: date | None = None,
             author: str | None = None) -> dict[str, Any]:
        """Write an edited record; a new status carries on to its road-map activity."""
        findings = rules.validate_record(record)
        if has_errors(findings):
            raise InvalidRecord(problems="; ".join(f.text for f in findings if f.is_error))
        self.record(record.id)  # NotFound for a record that is not (or no longer) here
        on = on or date.today()
        maps = RoadMaps(self.store)
        tally = {"completed": 0, "added": 0, "created": 0, "amendments": 0, "closed": 0}
        with self.store.transaction(author) as w:
            # The activity follows the record: its status, and the result text.
            record.activity_id = self._fulfil(w, maps, record, on, tally)
            values = to_row(record)
            values.pop("id")
            return w.update("support_records", record.id, values)

    def _fulfil(self, w: Writer, maps: RoadMaps, record: SupportRecord, on: date,
                tally: dict[str, int]) -> str | None:
        """Complete (or add) the road-map activity of ``record``; returns its id."""
        status = rules.activity_status(record)
        if status is None:
            return record.activity_id
        pupil = self.store.repos.pupils.get(record.pupil_id)
        t = gettext_for(maps.document_language(pupil))
        result = rules.describe_record(record, t)
        if record.activity_id:
            found = self.db.execute(
                "SELECT a.status, r.status FROM activities a JOIN road_maps r ON"
                " r.id = a.road_map_id WHERE a.id = ? AND a.removed = 0",
                [record.activity_id]).fetchone()
            if found is not None:
                if found[1] != RoadMapStatus.CLOSED.value:
                    w.update("activities", record.activity_id,
                             {"status": status.value, "result": result})
                    tally["completed"] += 1
                return record.activity_id
        year = AcademicYear.parse(record.academic_year)
        road_map = maps.for_pupil(record.pupil_id, year.label)
        if road_map is None:
            road_map = maps.draft_for(pupil, year)
            w.insert("road_maps", to_row(road_map))
            tally["created"] += 1
        elif road_map.status == RoadMapStatus.CLOSED:
            tally["closed"] += 1
            return None
        open_ones = [a for a in self.store.repos.activities.current_for(road_map.id)
                     if a.measure == record.measure and road_rules.is_open(a)]
        if open_ones:
            activity = open_ones[0]
            w.update("activities", activity.id, {"status": status.value, "result": result})
            tally["completed"] += 1
            return activity.id
        position = self.db.execute("SELECT coalesce(max(position), -1) + 1 FROM activities"
                                   " WHERE road_map_id = ?", [road_map.id]).fetchone()[0]
        title = record.title or t(record.kind.label_id if record.kind
                                  else record.measure.label_id)
        coordinator = road_map.coordinator_id or self._coordinator()
        staff = self.store.repos.staff.find(coordinator) if coordinator else None
        activity = Activity(road_map_id=road_map.id, measure=record.measure, title=title,
                            responsible=staff.short_name if staff else None,
                            responsible_id=staff.id if staff else None,
                            start_date=record.start_date or on,
                            due_date=record.end_date or record.start_date or on,
                            status=status, result=result, position=position)
        w.insert("activities", to_row(activity))
        tally["added"] += 1
        if road_rules.needs_amendment(road_map.status):
            number = self.db.execute("SELECT coalesce(max(number), 0) + 1 FROM amendments"
                                     " WHERE road_map_id = ?", [road_map.id]).fetchone()[0]
            amendment = Amendment(
                road_map_id=road_map.id, number=number, date=on,
                reason=t(REASON).format(measure=t(record.measure.label_id)),
                summary=t(ACTIVITY_ADDED).format(title=title))
            w.insert("amendments", to_row(amendment))
            tally["amendments"] += 1
        return activity.id

    def _coordinator(self) -> str | None:
        row = self.db.execute("SELECT id FROM staff WHERE role = ? AND archived = 0 ORDER BY"
                              " sort_key LIMIT 1", [StaffRole.COORDINATOR.value]).fetchone()
        return row[0] if row else None
