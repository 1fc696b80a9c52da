"""The road-map service: create, edit, sign, amend, close, continue; lists and due activities.

Every write goes through ``store.transaction()`` (the logged write path) and is atomic: an
amendment is written in the same transaction as the changes it records.

**The signed version.** Signing stores a JSON snapshot of the whole printed document (the
plan and the pupil as the plan describes them) in ``road_maps.signed_snapshot``, a synced
column, so the version a school head signed stays printable as signed on this computer and
at the region even after amendments, a change of school or a new grade. Reviews and
amendments are not in it: they are added after signing and are printed from the database.
Rebuilding the signed version from the change log instead was rejected: the log is the sync
machinery's, and a restored or merged database need not hold a complete history.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from daryn_desktop.core import roadmap as rules
from daryn_desktop.core.academic import AcademicYear, YearCalendar
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.entities import (
    Achievement,
    Activity,
    Amendment,
    CategoryRecord,
    Diagnostic,
    GiftednessArea,
    Goal,
    Guardian,
    Pupil,
    Review,
    RoadMap,
    School,
    Staff,
)
from daryn_desktop.core.enums import ActivityStatus, RoadMapStatus, StaffRole
from daryn_desktop.core.findings import Finding, has_errors
from daryn_desktop.core.roadmap import RoadMapDocument
from daryn_desktop.core.templates import (
    TRACK_FOR_KIND,
    Responsible,
    RoadMapTemplate,
    Track,
    apply_template,
    builtin_template,
    validate_template,
)
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _, gettext_for
from daryn_desktop.storage.repositories import NotFound
from daryn_desktop.storage.rows import from_row, to_db, to_row
from daryn_desktop.storage.search import match_expression

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store
    from daryn_desktop.storage.writer import Writer

SNAPSHOT_VERSION = 1
#: The summary of the amendment that records a reopening (in the document's language).
MSG_REOPENED = N_("Reopened: “{old}” → “{new}”")
#: An amendment's summary lists at most this many changes, then "and N more".
SUMMARY_ITEMS = 12


class RoadMapExists(UserError):
    message = N_("{name} already has a road map for {year}.")


class NoRoadMap(UserError):
    message = N_("{name} has no road map for {year}.")


class InvalidEntries(UserError):
    message = N_("Some entries are not valid: {details}")


class ReviewsNotAllowed(UserError):
    message = N_("Reviews are written for active and signed road maps, not for one that is"
                 " “{status}”.")


class NoSignedVersion(UserError):
    message = N_("There is no signed version of this road map to print.")


def calendar_for(year: AcademicYear) -> YearCalendar:
    """The quarters of ``year`` (the default dates until coordinators can store their own)."""
    return YearCalendar.default(year)


def _invalid(findings: Iterable[Finding]) -> InvalidEntries:
    return InvalidEntries(details="; ".join(f.text for f in findings if f.is_error))


# -- what the editor shows -------------------------------------------------------------------
@dataclass
class RoadMapData:
    """One road map with its current goals, activities, reviews and amendments."""

    road_map: RoadMap
    goals: list[Goal]
    activities: list[Activity]
    reviews: list[Review]
    amendments: list[Amendment]
    has_signed_version: bool
    #: Who signed the version kept at signing (as written in the sign dialog), if known.
    signed_by: str | None = None

    @property
    def status(self) -> RoadMapStatus:
        return self.road_map.status

    @property
    def open_activities(self) -> list[Activity]:
        """Activities still planned or in progress (not done, not cancelled)."""
        return [a for a in self.activities if rules.is_open(a)]


@dataclass
class SaveResult:
    changed: bool
    amendment: Amendment | None = None


@dataclass(frozen=True)
class RoadMapFilter:
    """Which road maps a list, a count or a batch covers (None means "any")."""

    academic_year: str | None = None
    status: str | None = None
    school_id: str | None = None
    district_kato: str | None = None
    text: str = ""
    pupil_ids: tuple[str, ...] | None = None
    include_archived_pupils: bool = False

    def where(self) -> tuple[str, list[Any]]:
        """The condition over ``road_maps r``, ``pupils p`` and ``schools s``."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.academic_year:
            clauses.append("r.academic_year = ?")
            params.append(self.academic_year)
        if self.status:
            clauses.append("r.status = ?")
            params.append(to_db(self.status))
        if self.school_id:
            clauses.append("p.school_id = ?")
            params.append(self.school_id)
        if self.district_kato:
            clauses.append("s.district_kato = ?")
            params.append(self.district_kato)
        if not self.include_archived_pupils:
            clauses.append("p.status = 'active'")
        if self.pupil_ids is not None:
            clauses.append("p.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(self.pupil_ids)))
        expression = match_expression(self.text)
        if expression:
            clauses.append("p.id IN (SELECT r2.pupil_id FROM pupil_search f JOIN"
                           " pupil_search_rows r2 ON r2.num = f.rowid WHERE pupil_search MATCH ?)")
            params.append(expression)
        return (" AND ".join(clauses) or "1"), params


def _full_name(surname: str, given: str, patronymic: str | None) -> str:
    return " ".join(p for p in (surname, given, patronymic) if p)


@dataclass(frozen=True)
class RoadMapRow:
    """One line of the road-map list."""

    id: str
    pupil_id: str
    academic_year: str
    status: RoadMapStatus
    signed_date: date | None
    pupil_name: str
    grade: str
    school_name: str
    activities: int
    done: int


@dataclass(frozen=True)
class DueActivityRow:
    """An open activity with its effective due date, across all pupils."""

    activity_id: str
    road_map_id: str
    pupil_id: str
    pupil_name: str
    grade: str
    school_name: str
    academic_year: str
    title: str
    measure: str
    responsible: str | None
    status: ActivityStatus
    due: date
    by_quarter: int | None


_MAP_ROW_SQL = """
SELECT r.id, r.pupil_id, r.academic_year, r.status, r.signed_date, p.surname, p.given_name,
       p.patronymic, p.grade, p.class_letter, s.name,
       (SELECT count(*) FROM activities a INDEXED BY activities_road_map
        WHERE a.road_map_id = r.id AND a.removed = 0),
       (SELECT count(*) FROM activities a INDEXED BY activities_road_map
        WHERE a.road_map_id = r.id AND a.removed = 0 AND a.status = 'done')
FROM pupils p INDEXED BY {pupil_index}
     CROSS JOIN road_maps r INDEXED BY road_maps_pupil ON r.pupil_id = p.id
     JOIN schools s ON s.id = p.school_id
WHERE {where}
ORDER BY p.sort_key, p.id, r.academic_year
"""
# Pupils are the outer loop (CROSS JOIN), walked in name order through an index, so that a
# page of the list stops after its rows and never sorts (and counts the activities of) the
# whole year's road maps; the indexes are named because the planner, without statistics,
# may otherwise prefer a covering index that leads to a full sort.


def _pupil_index(flt: RoadMapFilter) -> str:
    return "pupils_school" if flt.school_id else "pupils_sort"

# "Due" and "overdue" are read in two steps: the matching activities in order, using only
# covering indexes (migration 0003), then the details of one page of them. On an encrypted
# database every row fetched from a table costs a page decryption, so the first step must
# not touch the tables.
_OPEN = ("a.status IN ('planned', 'in_progress') AND a.removed = 0"
         " AND r.status IN ('draft', 'active', 'signed')")
_BY_ACTIVITY = """activities a {index}
     JOIN road_maps r {lookup} ON r.id = a.road_map_id
     JOIN pupils p ON p.id = r.pupil_id
     JOIN schools s ON s.id = p.school_id"""
# Old years (all quarters over): few open activities, found from their road maps.
_BY_ROAD_MAP = """road_maps r INDEXED BY road_maps_year
     CROSS JOIN activities a ON a.road_map_id = r.id
     JOIN pupils p ON p.id = r.pupil_id
     JOIN schools s ON s.id = p.school_id"""
_DUE_DETAILS = """
SELECT a.id, r.id, p.id, p.surname, p.given_name, p.patronymic, p.grade, p.class_letter,
       s.name, r.academic_year, a.title, a.measure, a.responsible, a.status
FROM activities a JOIN road_maps r ON r.id = a.road_map_id JOIN pupils p ON p.id = r.pupil_id
     JOIN schools s ON s.id = p.school_id
WHERE a.id IN (SELECT value FROM json_each(?))
"""


class RoadMaps:
    """Road maps of one store."""

    def __init__(self, store: Store):
        self.store = store
        self.repos = store.repos
        self._has_due_indexes: bool | None = None

    # -- reading -------------------------------------------------------------------------
    def get(self, road_map_id: str) -> RoadMap:
        return self.repos.road_maps.get(road_map_id)

    def for_pupil(self, pupil_id: str, academic_year: str) -> RoadMap | None:
        return self.repos.road_maps.for_year(pupil_id, academic_year)

    def load(self, road_map_id: str) -> RoadMapData:
        """Everything the editor shows of one road map."""
        r = self.repos
        road_map = r.road_maps.get(road_map_id)
        snapshot = r.road_maps.signed_snapshot(road_map_id)
        return RoadMapData(
            road_map=road_map,
            goals=r.goals.current_for(road_map_id),
            activities=r.activities.current_for(road_map_id),
            reviews=r.reviews.for_parent(road_map_id),
            amendments=r.amendments.for_parent(road_map_id),
            has_signed_version=snapshot is not None,
            signed_by=snapshot_signed_by(snapshot) if snapshot else None)

    def _pupil_name(self, pupil_id: str) -> str:
        pupil = self.repos.pupils.find(pupil_id)
        return pupil.full_name if pupil else pupil_id

    def document_language(self, pupil: Pupil) -> str:
        school = self.repos.schools.find(pupil.school_id)
        return rules.document_language(pupil.language, school.language if school else None)

    # -- creating ------------------------------------------------------------------------
    def suggested_track(self, pupil_id: str) -> Track | None:
        areas = self.repos.giftedness.for_parent(pupil_id)
        return TRACK_FOR_KIND.get(areas[0].kind) if areas else None

    def create(self, pupil_id: str, academic_year: str, *, track: Track | None = None,
               author: str | None = None) -> RoadMap:
        """A new draft for the pupil and year, optionally filled from the track's template."""
        year = AcademicYear.parse(academic_year)
        pupil = self.repos.pupils.get(pupil_id)
        if self.for_pupil(pupil_id, year.label) is not None:
            raise RoadMapExists(name=pupil.full_name, year=year.label)
        areas = self.repos.giftedness.for_parent(pupil_id)
        road_map = self.draft_for(pupil, year)
        goals: list[Goal] = []
        activities: list[Activity] = []
        if track is not None:
            lang = self.document_language(pupil)
            template = self.template(track, lang)
            kinds = [k for k, t in TRACK_FOR_KIND.items() if t == track]
            matching = [a for a in areas if a.kind in kinds] or areas
            field_name = matching[0].field if matching else "…"
            goals, activities = apply_template(
                template, road_map.id, calendar_for(year), field_name=field_name,
                people=self._people(road_map))
        with self.store.transaction(author) as w:
            w.insert("road_maps", to_row(road_map))
            w.insert_many("goals", [to_row(g) for g in goals])
            w.insert_many("activities", [to_row(a) for a in activities])
        return road_map

    def draft_for(self, pupil: Pupil, year: AcademicYear) -> RoadMap:
        """A new, unsaved, empty draft of the pupil's road map for ``year``: the pupil's
        interests, and the people of last year's plan or of the pupil's school."""
        areas = self.repos.giftedness.for_parent(pupil.id)
        previous = self.for_pupil(pupil.id, year.previous().label)
        return RoadMap(
            pupil_id=pupil.id, academic_year=year.label,
            interests=", ".join(dict.fromkeys(a.field for a in areas)) or None,
            coordinator_id=(previous.coordinator_id if previous else None)
            or self._staff_id(StaffRole.COORDINATOR, None),
            mentor_id=(previous.mentor_id if previous else None)
            or self._mentor_id(pupil.school_id, [a.field for a in areas]),
            psychologist_id=self._staff_id(StaffRole.PSYCHOLOGIST, pupil.school_id))

    def _staff_id(self, role: StaffRole, school_id: str | None) -> str | None:
        sql = "SELECT id FROM staff WHERE role = ? AND archived = 0"
        params: list[Any] = [role.value]
        if school_id:
            sql += " AND school_id = ?"
            params.append(school_id)
        row = self.store.db.execute(sql + " ORDER BY sort_key LIMIT 1", params).fetchone()
        return row[0] if row else None

    def _mentor_id(self, school_id: str, fields: list[str]) -> str | None:
        """A mentor of the school, preferably one who teaches the pupil's subject."""
        rows = self.store.db.execute(
            "SELECT id, subject FROM staff WHERE school_id = ? AND role = 'mentor'"
            " AND archived = 0 ORDER BY sort_key", [school_id]).fetchall()
        wanted = {f.casefold() for f in fields}
        for staff_id, subject in rows:
            if subject and subject.casefold() in wanted:
                return staff_id
        return rows[0][0] if rows else None

    def _people(self, road_map: RoadMap) -> dict[Responsible, tuple[str | None, str | None]]:
        people: dict[Responsible, tuple[str | None, str | None]] = {}
        for role, staff_id in ((Responsible.MENTOR, road_map.mentor_id),
                               (Responsible.PSYCHOLOGIST, road_map.psychologist_id),
                               (Responsible.COORDINATOR, road_map.coordinator_id)):
            staff = self.repos.staff.find(staff_id) if staff_id else None
            people[role] = (staff.id, staff.short_name) if staff else (None, None)
        return people

    def continue_to_next_year(self, road_map_id: str, *, author: str | None = None,
                              writer: Writer | None = None) -> RoadMap:
        """Next year's draft with the open goals and the activities not yet done.

        The people and the descriptive fields are carried over too; the old road map is
        left as it is (close it separately when its year is over). With ``writer`` it is
        written in that transaction (the year rollover's one batch).
        """
        old = self.load(road_map_id)
        year = AcademicYear.parse(old.road_map.academic_year).next()
        if self.for_pupil(old.road_map.pupil_id, year.label) is not None:
            raise RoadMapExists(name=self._pupil_name(old.road_map.pupil_id), year=year.label)
        src = old.road_map
        new = RoadMap(pupil_id=src.pupil_id, academic_year=year.label,
                      identification=src.identification, strengths=src.strengths,
                      interests=src.interests, coordinator_id=src.coordinator_id,
                      mentor_id=src.mentor_id, psychologist_id=src.psychologist_id)
        goals = rules.continued_goals(old.goals, new.id)
        activities = rules.continued_activities(old.activities, new.id)
        with self._writer(writer, author) as w:
            w.insert("road_maps", to_row(new))
            w.insert_many("goals", [to_row(g) for g in goals])
            w.insert_many("activities", [to_row(a) for a in activities])
        return new

    @contextmanager
    def _writer(self, writer: Writer | None, author: str | None) -> Iterator[Writer]:
        """The caller's open transaction, or a new one."""
        if writer is not None:
            yield writer
        else:
            with self.store.transaction(author) as w:
                yield w

    def continue_from_last_year(self, pupil_id: str, academic_year: str, *,
                                author: str | None = None) -> RoadMap:
        """The road map of ``academic_year`` continued from the year before."""
        year = AcademicYear.parse(academic_year)
        previous = self.for_pupil(pupil_id, year.previous().label)
        if previous is None:
            raise NoRoadMap(name=self._pupil_name(pupil_id), year=year.previous().label)
        return self.continue_to_next_year(previous.id, author=author)

    # -- editing -------------------------------------------------------------------------
    def save(self, road_map_id: str, *, fields: dict[str, Any] | None = None,
             goals: Sequence[Goal] | None = None, activities: Sequence[Activity] | None = None,
             reason: str | None = None, on: date | None = None,
             author: str | None = None) -> SaveResult:
        """Write the edited plan: the road map's ``fields`` and the full new lists of goals and
        activities (in their order; ``None`` leaves a list as it is).

        Entries missing from a list are removed, new ones added, changed ones updated. On a
        signed road map a change of the plan needs ``reason`` and is recorded as the next
        numbered amendment, dated ``on`` (today by default), with a summary of the changes
        in the document's language; progress (status, result, achieved) needs none.
        """
        on = on or date.today()
        current = self.load(road_map_id)
        road_map = current.road_map
        rules.check_editable(road_map.status)
        year = AcademicYear.parse(road_map.academic_year)
        unknown = set(fields or {}) - rules.PLAN_FIELDS - {"note"}
        if unknown:
            raise KeyError(f"not editable road-map fields: {sorted(unknown)}")
        fields = {k: v for k, v in (fields or {}).items()
                  if to_db(v) != to_db(getattr(road_map, k))}

        findings = rules.validate_road_map(dataclasses.replace(road_map, **fields))
        new_goals = [dataclasses.replace(g, road_map_id=road_map_id, position=i)
                     for i, g in enumerate(goals)] if goals is not None else None
        new_acts = [dataclasses.replace(a, road_map_id=road_map_id, position=i)
                    for i, a in enumerate(activities)] if activities is not None else None
        for g in new_goals or []:
            findings += rules.validate_goal(g)
        for a in new_acts or []:
            findings += rules.validate_activity(a, year)
        if has_errors(findings):
            raise _invalid(findings)

        diff = _PlanDiff(fields, current.goals, new_goals, current.activities, new_acts)
        if diff.empty:
            return SaveResult(changed=False)
        amendment = None
        if rules.needs_amendment(road_map.status) and diff.changes_plan:
            if has_errors(rules.validate_reason(reason)):
                raise rules.AmendmentReasonRequired()
            pupil = self.repos.pupils.get(road_map.pupil_id)
            in_document_language = gettext_for(self.document_language(pupil))
            amendment = Amendment(road_map_id=road_map_id, number=self._next_number(road_map_id),
                                  date=on, reason=(reason or "").strip(),
                                  summary=diff.summary(in_document_language,
                                                       self._staff_names(diff)))
        with self.store.transaction(author) as w:
            diff.write(w, road_map_id)
            if amendment is not None:
                w.insert("amendments", to_row(amendment))
        return SaveResult(changed=True, amendment=amendment)

    def _next_number(self, road_map_id: str) -> int:
        row = self.store.db.execute("SELECT max(number) FROM amendments WHERE road_map_id = ?",
                                    [road_map_id]).fetchone()
        return (row[0] or 0) + 1

    def _staff_names(self, diff: _PlanDiff) -> dict[str, str]:
        ids = {v for k, v in diff.fields.items() if k.endswith("_id") and v}
        ids |= {v for k, v in diff.old_fields.items() if k.endswith("_id") and v}
        names = {}
        for staff_id in ids:
            staff = self.repos.staff.find(staff_id)
            if staff:
                names[staff_id] = staff.short_name
        return names

    def add_activity(self, road_map_id: str, activity: Activity, *, reason: str | None = None,
                     on: date | None = None, author: str | None = None) -> SaveResult:
        data = self.load(road_map_id)
        return self.save(road_map_id, activities=[*data.activities, activity], reason=reason,
                         on=on, author=author)

    def update_activity(self, road_map_id: str, activity_id: str, *, reason: str | None = None,
                        on: date | None = None, author: str | None = None,
                        **changes: Any) -> SaveResult:
        data = self.load(road_map_id)
        if activity_id not in {a.id for a in data.activities}:
            raise NotFound()
        acts = [dataclasses.replace(a, **changes) if a.id == activity_id else a
                for a in data.activities]
        return self.save(road_map_id, activities=acts, reason=reason, on=on, author=author)

    def add_review(self, road_map_id: str, quarter: int, text: str, *, on: date | None = None,
                   author: str | None = None) -> Review:
        """Append a quarterly review (reviews are never edited: a correction is a new one)."""
        road_map = self.get(road_map_id)
        if not rules.reviews_allowed(road_map.status):
            raise ReviewsNotAllowed(status=road_map.status.label)
        review = Review(road_map_id=road_map_id, quarter=quarter, text=text.strip(),
                        date=on or date.today(), author=(author or "").strip() or None)
        findings = rules.validate_review(review)
        if has_errors(findings):
            raise _invalid(findings)
        with self.store.transaction(author) as w:
            w.insert("reviews", to_row(review))
        return review

    # -- lifecycle -----------------------------------------------------------------------
    def start(self, road_map_id: str, *, author: str | None = None) -> RoadMap:
        """Draft → active: the plan is being carried out (signatures may follow)."""
        road_map = self.get(road_map_id)
        rules.check_transition(road_map.status, RoadMapStatus.ACTIVE)
        with self.store.transaction(author) as w:
            w.update("road_maps", road_map_id, {"status": RoadMapStatus.ACTIVE})
        return self.get(road_map_id)

    def sign(self, road_map_id: str, *, on: date | None = None, signed_by: str | None = None,
             author: str | None = None) -> RoadMap:
        """Mark the plan signed on ``on`` and keep a snapshot of the document as signed.

        ``signed_by`` names the people who signed (kept in the snapshot, so it travels and
        is printed with the version as signed); the window always asks for it.
        """
        on = on or date.today()
        data = self.load(road_map_id)
        rules.check_transition(data.status, RoadMapStatus.SIGNED)
        problems = rules.sign_problems(data.road_map, data.goals, data.activities)
        if problems:
            raise rules.NotReadyToSign(problems="; ".join(_(p) for p in problems))
        if signed_by is not None:
            findings = rules.validate_signing(on, signed_by)
            if has_errors(findings):
                raise _invalid(findings)
        signed = dataclasses.replace(data.road_map, status=RoadMapStatus.SIGNED, signed_date=on)
        document = self._document(signed, data.goals, data.activities, [], [])
        snapshot = snapshot_json(document, on, signed_by=(signed_by or "").strip() or None)
        with self.store.transaction(author) as w:
            w.update("road_maps", road_map_id, {"status": RoadMapStatus.SIGNED,
                                                "signed_date": on, "signed_snapshot": snapshot})
        return self.get(road_map_id)

    def close(self, road_map_id: str, *, on: date | None = None, comment: str | None = None,
              author: str | None = None, writer: Writer | None = None) -> RoadMap:
        """Close the road map (its year is over, or the pupil left): it becomes read-only.

        ``comment`` is the year's result in a few words, kept in the road map's note (the
        window always asks for it); reopening with a reason undoes a closing made by mistake.
        """
        road_map = self.get(road_map_id)
        rules.check_transition(road_map.status, RoadMapStatus.CLOSED)
        fields: dict[str, Any] = {"status": RoadMapStatus.CLOSED,
                                  "closed_date": on or date.today()}
        if comment is not None:
            findings = rules.validate_closing(comment)
            if has_errors(findings):
                raise _invalid(findings)
            fields["note"] = comment.strip()
        with self._writer(writer, author) as w:
            w.update("road_maps", road_map_id, fields)
        return self.get(road_map_id)

    def reopen(self, road_map_id: str, *, reason: str, on: date | None = None,
               author: str | None = None) -> Amendment:
        """Open a signed or closed road map again, for a reason kept as the next amendment.

        A signed one becomes active (its signed version stays printable until it is signed
        anew); a closed one returns to signed, or to active if it was never signed. The
        status change and the amendment are written in one transaction through the logged
        write path, so they reach the region like any other edit.
        """
        on = on or date.today()
        data = self.load(road_map_id)
        road_map = data.road_map
        target = rules.reopened_status(road_map.status,
                                       was_signed=road_map.signed_date is not None)
        if has_errors(rules.validate_reason(reason)):
            raise rules.AmendmentReasonRequired()
        pupil = self.repos.pupils.get(road_map.pupil_id)
        t = gettext_for(self.document_language(pupil))
        summary = t(MSG_REOPENED).format(old=t(road_map.status.label_id),
                                         new=t(target.label_id))
        amendment = Amendment(road_map_id=road_map_id, number=self._next_number(road_map_id),
                              date=on, reason=reason.strip(), summary=summary)
        fields: dict[str, Any] = {"status": target}
        if road_map.status == RoadMapStatus.CLOSED:
            fields["closed_date"] = None
        else:  # signed → active: to be signed again
            fields["signed_date"] = None
        with self.store.transaction(author) as w:
            w.update("road_maps", road_map_id, fields)
            w.insert("amendments", to_row(amendment))
        return amendment

    # -- the printed document ------------------------------------------------------------
    def document(self, road_map_id: str, *, as_signed: bool = False) -> RoadMapDocument:
        """The document to print: the current version, or the version as it was signed."""
        r = self.repos
        if as_signed:
            text = r.road_maps.signed_snapshot(road_map_id)
            if not text:
                raise NoSignedVersion()
            document = snapshot_document(text)
        else:
            data = self.load(road_map_id)
            document = self._document(data.road_map, data.goals, data.activities, [], [])
        # Reviews and amendments come after signing: always the current ones.
        document.reviews = r.reviews.for_parent(road_map_id)
        document.amendments = r.amendments.for_parent(road_map_id)
        return document

    def _document(self, road_map: RoadMap, goals: list[Goal], activities: list[Activity],
                  reviews: list[Review], amendments: list[Amendment]) -> RoadMapDocument:
        r = self.repos
        pupil = r.pupils.get(road_map.pupil_id)
        school = r.schools.get(pupil.school_id)
        year = AcademicYear.parse(road_map.academic_year)
        # How the ability showed: results of this year and the year before.
        achievements = r.achievements.where(
            "pupil_id = ? AND academic_year IN (?, ?) AND removed = 0",
            [pupil.id, year.label, year.previous().label], "academic_year DESC, date DESC")
        head_id = self._staff_id(StaffRole.SCHOOL_HEAD, school.id)
        return RoadMapDocument(
            road_map=road_map, pupil=pupil, school=school, goals=goals, activities=activities,
            reviews=reviews, amendments=amendments,
            categories=r.categories.for_parent(pupil.id),
            areas=r.giftedness.for_parent(pupil.id),
            diagnostics=r.diagnostics.for_parent(pupil.id), achievements=achievements,
            guardians=r.guardians.for_parent(pupil.id),
            coordinator=r.staff.find(road_map.coordinator_id) if road_map.coordinator_id else None,
            mentor=r.staff.find(road_map.mentor_id) if road_map.mentor_id else None,
            psychologist=(r.staff.find(road_map.psychologist_id)
                          if road_map.psychologist_id else None),
            school_head=r.staff.find(head_id) if head_id else None)

    # -- lists ---------------------------------------------------------------------------
    def list(self, flt: RoadMapFilter, *, limit: int = 200, offset: int = 0) -> list[RoadMapRow]:
        where, params = flt.where()
        sql = _MAP_ROW_SQL.format(where=where, pupil_index=_pupil_index(flt)) + " LIMIT ? OFFSET ?"
        return [RoadMapRow(id=row[0], pupil_id=row[1], academic_year=row[2],
                           status=RoadMapStatus(row[3]),
                           signed_date=date.fromisoformat(row[4]) if row[4] else None,
                           pupil_name=_full_name(row[5], row[6], row[7]),
                           grade=f"{row[8]}{row[9] or ''}", school_name=row[10],
                           activities=row[11], done=row[12])
                for row in self.store.db.execute(sql, [*params, limit, offset]).fetchall()]

    def count(self, flt: RoadMapFilter) -> int:
        where, params = flt.where()
        sql = ("SELECT count(*) FROM pupils p"
               " CROSS JOIN road_maps r INDEXED BY road_maps_pupil ON r.pupil_id = p.id"
               f" JOIN schools s ON s.id = p.school_id WHERE {where}")
        return self.store.db.execute(sql, params).fetchone()[0]

    def ids(self, flt: RoadMapFilter) -> list[str]:
        """The ids of the matching road maps in print order (pupils in Kazakh order)."""
        where, params = flt.where()
        sql = (f"SELECT r.id FROM pupils p INDEXED BY {_pupil_index(flt)}"
               " CROSS JOIN road_maps r INDEXED BY road_maps_pupil ON r.pupil_id = p.id"
               f" JOIN schools s ON s.id = p.school_id WHERE {where}"
               " ORDER BY p.sort_key, p.id, r.academic_year")
        return [row[0] for row in self.store.db.execute(sql, params).fetchall()]

    def years(self) -> list[str]:
        """Academic years that have road maps, newest first."""
        db = self.store.db
        low = db.execute("SELECT min(academic_year) FROM road_maps").fetchone()[0]
        high = db.execute("SELECT max(academic_year) FROM road_maps").fetchone()[0]
        if not low:
            return []
        first, last = AcademicYear.parse(low), AcademicYear.parse(high)
        return [AcademicYear(y).label for y in range(last.start, first.start - 1, -1)]

    # -- due and overdue across all pupils ------------------------------------------------
    def _quarter_ends(self) -> dict[str, list[tuple[int, str]]]:
        """The last day of every quarter of every year that has road maps (ISO dates)."""
        out = {}
        for label in self.years():
            cal = calendar_for(AcademicYear.parse(label))
            out[label] = [(q.number, q.end.isoformat()) for q in cal.quarters]
        return out

    def _hints(self, index: str) -> dict[str, str]:
        """Index hints for the due queries; none on a database made by an unreleased draft of
        migration 0003 (without these indexes): slower there, but still right."""
        if self._has_due_indexes is None:
            names = {r[0] for r in self.store.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()}
            self._has_due_indexes = {"activities_open_due", "activities_open_quarter",
                                     "road_maps_lookup"} <= names
        if not self._has_due_indexes:
            return {"index": "", "lookup": ""}
        return {"index": f"INDEXED BY {index}", "lookup": "INDEXED BY road_maps_lookup"}

    def _due_query(self, date_cond: str, date_params: list[Any],
                   ends: dict[str, list[tuple[int, str]]], flt: RoadMapFilter,
                   old_years: bool) -> tuple[str, list[Any]]:
        """Activity id, due date, quarter and pupil sort key of the matching open activities.

        One part for activities with a due date; for activities due by a quarter, one part
        per year whose quarters are partly over (by activity, the quarter numbers known) and,
        with ``old_years``, one for the years entirely over (by road map).
        """
        where, params = flt.where()
        columns = "a.id AS id, {due} AS due, {q} AS q, p.sort_key AS sk"
        parts = [f"SELECT {columns.format(due='a.due_date', q='NULL')}"
                 f" FROM {_BY_ACTIVITY.format(**self._hints('activities_open_due'))}"
                 f" WHERE {_OPEN} AND a.due_date {date_cond} AND {where}"]
        sql_params: list[Any] = [*date_params, *params]
        whole = [y for y, qs in ends.items() if old_years and len(qs) == 4]
        for year, quarters in ends.items():
            if not quarters or year in whole:
                continue
            case = "CASE a.due_quarter " + " ".join(
                f"WHEN {int(n)} THEN '{d}'" for n, d in quarters) + " END"
            marks = ", ".join(str(int(n)) for n, _d in quarters)
            parts.append(f"SELECT {columns.format(due=case, q='a.due_quarter')}"
                         f" FROM {_BY_ACTIVITY.format(**self._hints('activities_open_quarter'))}"
                         f" WHERE {_OPEN} AND a.due_date IS NULL AND a.due_quarter IN ({marks})"
                         f" AND r.academic_year = ? AND {where}")
            sql_params += [year, *params]
        if whole:
            case = "CASE " + " ".join(
                f"WHEN r.academic_year = ? AND a.due_quarter = {int(n)} THEN '{d}'"
                for y in whole for n, d in ends[y]) + " END"
            case_params = [y for y in whole for _n, _d in ends[y]]
            marks = ", ".join("?" for _ in whole)
            parts.append(f"SELECT {columns.format(due=case, q='a.due_quarter')}"
                         f" FROM {_BY_ROAD_MAP} WHERE r.academic_year IN ({marks})"
                         f" AND {_OPEN} AND a.due_date IS NULL AND a.due_quarter IS NOT NULL"
                         f" AND {where}")
            sql_params += [*case_params, *whole, *params]
        return " UNION ALL ".join(parts), sql_params

    def _due_rows(self, sql: str, params: list[Any], limit: int,
                  offset: int) -> list[DueActivityRow]:
        db = self.store.db
        page = db.execute(f"SELECT id, due, q FROM ({sql}) ORDER BY due, sk, id LIMIT ? OFFSET ?",
                          [*params, limit, offset]).fetchall()
        details = {row[0]: row for row in db.execute(
            _DUE_DETAILS, [json.dumps([r[0] for r in page])]).fetchall()}
        rows = []
        for activity_id, due, quarter in page:
            row = details[activity_id]
            rows.append(DueActivityRow(
                activity_id=row[0], road_map_id=row[1], pupil_id=row[2],
                pupil_name=_full_name(row[3], row[4], row[5]), grade=f"{row[6]}{row[7] or ''}",
                school_name=row[8], academic_year=row[9], title=row[10], measure=row[11],
                responsible=row[12], status=ActivityStatus(row[13]),
                due=date.fromisoformat(due), by_quarter=quarter))
        return rows

    def _count(self, sql: str, params: list[Any]) -> int:
        return self.store.db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]

    def _month_query(self, year: int, month: int, flt: RoadMapFilter) -> tuple[str, list[Any]]:
        first, last = (d.isoformat() for d in rules.month_bounds(year, month))
        ends = {y: [(n, d) for n, d in qs if first <= d <= last]
                for y, qs in self._quarter_ends().items()}
        return self._due_query("BETWEEN ? AND ?", [first, last], ends, flt, old_years=False)

    def _overdue_query(self, today: date, flt: RoadMapFilter) -> tuple[str, list[Any]]:
        ends = {y: [(n, d) for n, d in qs if d < today.isoformat()]
                for y, qs in self._quarter_ends().items()}
        return self._due_query("< ?", [today.isoformat()], ends, flt, old_years=True)

    def due_in_month(self, year: int, month: int, flt: RoadMapFilter | None = None, *,
                     limit: int = 200, offset: int = 0) -> list[DueActivityRow]:
        """Open activities due in the month (by date, or by a quarter ending in it)."""
        sql, params = self._month_query(year, month, flt or RoadMapFilter())
        return self._due_rows(sql, params, limit, offset)

    def count_due_in_month(self, year: int, month: int,
                           flt: RoadMapFilter | None = None) -> int:
        return self._count(*self._month_query(year, month, flt or RoadMapFilter()))

    def overdue(self, today: date | None = None, flt: RoadMapFilter | None = None, *,
                limit: int = 200, offset: int = 0) -> list[DueActivityRow]:
        """Open activities whose due date (or quarter) has passed, oldest first."""
        sql, params = self._overdue_query(today or date.today(), flt or RoadMapFilter())
        return self._due_rows(sql, params, limit, offset)

    def count_overdue(self, today: date | None = None, flt: RoadMapFilter | None = None) -> int:
        return self._count(*self._overdue_query(today or date.today(), flt or RoadMapFilter()))

    # -- templates -----------------------------------------------------------------------
    def template(self, track: Track, language: str) -> RoadMapTemplate:
        """The coordinator's template for the track and language, else the built-in one."""
        row = self.store.db.execute(
            "SELECT id, items FROM road_map_templates WHERE track = ? AND language = ?"
            " AND archived = 0 ORDER BY rowid DESC LIMIT 1", [track.value, language]).fetchone()
        if row:
            return RoadMapTemplate.from_json(track, language, row[1], row[0])
        return builtin_template(track, language, gettext_for(language))

    def save_template(self, template: RoadMapTemplate, *,
                      author: str | None = None) -> RoadMapTemplate:
        """Store an edited template (it replaces the built-in one for its track and language)."""
        findings = validate_template(template)
        if has_errors(findings):
            raise _invalid(findings)
        current = self.template(template.track, template.language)
        with self.store.transaction(author) as w:
            if current.id is not None:
                w.update("road_map_templates", current.id, {"items": template.items_json()})
                template_id = current.id
            else:
                template_id = w.insert("road_map_templates", {
                    "track": template.track.value, "language": template.language,
                    "items": template.items_json(), "archived": False})
        return dataclasses.replace(template, id=template_id)

    def reset_template(self, track: Track, language: str, *, author: str | None = None) -> None:
        """Go back to the built-in template (the edited one is archived, not deleted)."""
        rows = self.store.db.execute(
            "SELECT id FROM road_map_templates WHERE track = ? AND language = ? AND archived = 0",
            [track.value, language]).fetchall()
        if rows:
            with self.store.transaction(author) as w:
                for (template_id,) in rows:
                    w.update("road_map_templates", template_id, {"archived": True})


# -- what changed, for the writes and the amendment's summary ---------------------------------
_ACTIVITY_FIELD_LABELS = {
    "measure": N_("type"), "title": N_("title"), "responsible": N_("responsible"),
    "start_date": N_("start"), "due_date": N_("due date"), "due_quarter": N_("quarter"),
    "status": N_("status"), "result": N_("result"),
}
_MAP_FIELD_LABELS = {
    "identification": N_("How the ability was identified"),
    "strengths": N_("Strengths"), "interests": N_("Interests"),
    "coordinator_id": N_("Coordinator"), "mentor_id": N_("Mentor"),
    "psychologist_id": N_("Psychologist"),
}


def _shown(value: Any, t) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return format_date(value)
    if hasattr(value, "label_id"):
        return _(value.label_id)
    return str(value)


class _PlanDiff:
    """The difference between the stored plan and the edited one."""

    def __init__(self, fields: dict[str, Any], old_goals: list[Goal], goals: list[Goal] | None,
                 old_acts: list[Activity], acts: list[Activity] | None):
        self.fields = fields
        self.old_fields: dict[str, Any] = {}
        self.goal_adds: list[Goal] = []
        self.goal_removes: list[Goal] = []
        self.goal_changes: list[tuple[Goal, Goal, dict[str, Any]]] = []
        self.act_adds: list[Activity] = []
        self.act_removes: list[Activity] = []
        self.act_changes: list[tuple[Activity, Activity, dict[str, Any]]] = []
        if goals is not None:
            self.goal_adds, self.goal_removes, self.goal_changes = _compare(old_goals, goals)
        if acts is not None:
            self.act_adds, self.act_removes, self.act_changes = _compare(old_acts, acts)

    @property
    def empty(self) -> bool:
        return not (self.fields or self.goal_adds or self.goal_removes or self.goal_changes
                    or self.act_adds or self.act_removes or self.act_changes)

    @property
    def changes_plan(self) -> bool:
        if set(self.fields) & rules.PLAN_FIELDS:
            return True
        if self.goal_adds or self.goal_removes or self.act_adds or self.act_removes:
            return True
        if any(set(ch) & rules.GOAL_PLAN_FIELDS for _o, _n, ch in self.goal_changes):
            return True
        for _old, _new, changed in self.act_changes:
            if set(changed) & rules.ACTIVITY_PLAN_FIELDS:
                return True
            if changed.get("status") == ActivityStatus.CANCELLED.value:
                return True
        return False

    def write(self, w: Writer, road_map_id: str) -> None:
        if self.fields:
            w.update("road_maps", road_map_id, self.fields)
        for table, adds, removes, changes in (
                ("goals", self.goal_adds, self.goal_removes, self.goal_changes),
                ("activities", self.act_adds, self.act_removes, self.act_changes)):
            for entity in removes:
                w.update(table, entity.id, {"removed": True})
            for _old, new, changed in changes:
                w.update(table, new.id, changed)
            if adds:
                w.insert_many(table, [to_row(e) for e in adds])

    def summary(self, _, staff_names: dict[str, str]) -> str:
        """What changed, in the language of ``_`` (the document's), for the amendment."""
        items: list[str] = []
        for key, value in self.fields.items():
            if key not in _MAP_FIELD_LABELS:
                continue
            if key.endswith("_id"):
                items.append(_("{field}: {new}").format(
                    field=_(_MAP_FIELD_LABELS[key]),
                    new=staff_names.get(value, "—") if value else "—"))
            else:
                items.append(_("{field}: changed").format(field=_(_MAP_FIELD_LABELS[key])))
        for goal in self.goal_adds:
            items.append(_("Goal added: «{text}»").format(text=goal.text))
        for goal in self.goal_removes:
            items.append(_("Goal removed: «{text}»").format(text=goal.text))
        for old, new, changed in self.goal_changes:
            if "text" in changed:
                items.append(_("Goal changed: «{old}» → «{new}»").format(old=old.text,
                                                                          new=new.text))
        for act in self.act_adds:
            items.append(_("Activity added: «{title}»").format(title=act.title))
        for act in self.act_removes:
            items.append(_("Activity removed: «{title}»").format(title=act.title))
        reordered = False
        for old, new, changed in self.act_changes:
            if changed.get("status") == ActivityStatus.CANCELLED.value:
                items.append(_("Activity cancelled: «{title}»").format(title=old.title))
            parts = []
            for key in rules.ACTIVITY_PLAN_FIELDS - {"position", "responsible_id"}:
                if key in changed:
                    parts.append(_("{field} {old} → {new}").format(
                        field=_(_ACTIVITY_FIELD_LABELS[key]), old=_shown(getattr(old, key), _),
                        new=_shown(getattr(new, key), _)))
            if parts:
                items.append(_("Activity «{title}»: {changes}").format(
                    title=old.title, changes=", ".join(sorted(parts))))
            reordered = reordered or "position" in changed
        if reordered:
            items.append(_("Order of the activities changed"))
        if len(items) > SUMMARY_ITEMS:
            more = len(items) - SUMMARY_ITEMS
            items = [*items[:SUMMARY_ITEMS], _("and {count} more").format(count=more)]
        return "; ".join(items)


def _compare(old: Sequence[Any], new: Sequence[Any]) -> tuple[list, list, list]:
    old_by_id = {e.id: e for e in old}
    new_ids = {e.id for e in new}
    adds = [e for e in new if e.id not in old_by_id]
    removes = [e for e in old if e.id not in new_ids]
    changes = []
    for entity in new:
        before = old_by_id.get(entity.id)
        if before is None:
            continue
        a, b = to_row(before), to_row(entity)
        changed = {k: v for k, v in b.items() if k != "id" and a.get(k) != v}
        if changed:
            changes.append((before, entity, changed))
    return adds, removes, changes


# -- the snapshot taken at signing ---------------------------------------------------------
_LISTS: dict[str, type] = {
    "goals": Goal, "activities": Activity, "categories": CategoryRecord,
    "areas": GiftednessArea, "diagnostics": Diagnostic, "achievements": Achievement,
    "guardians": Guardian,
}
_PEOPLE = ("coordinator", "mentor", "psychologist", "school_head")


def snapshot_json(document: RoadMapDocument, taken: date, *,
                  signed_by: str | None = None) -> str:
    """The document as JSON (compact: it travels in sync bundles)."""
    data: dict[str, Any] = {"v": SNAPSHOT_VERSION, "taken": taken.isoformat(),
                            "road_map": to_row(document.road_map),
                            "pupil": to_row(document.pupil), "school": to_row(document.school)}
    if signed_by:
        # An optional key: older programs read the snapshot without it.
        data["signed_by"] = signed_by
    for name in _LISTS:
        data[name] = [to_row(e) for e in getattr(document, name)]
    for name in _PEOPLE:
        person = getattr(document, name)
        data[name] = to_row(person) if person is not None else None
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def snapshot_signed_by(text: str) -> str | None:
    """Who signed, as written when signing (None in snapshots taken without it)."""
    value = json.loads(text).get("signed_by")
    return value if isinstance(value, str) and value else None


def snapshot_document(text: str) -> RoadMapDocument:
    """Read :func:`snapshot_json` back as the signed version of the document."""
    data = json.loads(text)
    lists: dict[str, list[Any]] = {
        name: [from_row(cls, row) for row in data.get(name, [])] for name, cls in _LISTS.items()}
    people = {name: from_row(Staff, data[name]) if data.get(name) else None
              for name in _PEOPLE}
    return RoadMapDocument(
        road_map=from_row(RoadMap, data["road_map"]), pupil=from_row(Pupil, data["pupil"]),
        school=from_row(School, data["school"]), as_signed=True,
        snapshot_date=date.fromisoformat(data["taken"]), **lists, **people)

