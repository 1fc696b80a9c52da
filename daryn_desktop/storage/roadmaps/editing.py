"""Creating road maps (from templates, continued from last year) and editing their plan."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from daryn_desktop.core import roadmap as rules
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.entities import (
    Activity,
    Amendment,
    Goal,
    Pupil,
    Review,
    RoadMap,
)
from daryn_desktop.core.enums import StaffRole
from daryn_desktop.core.findings import has_errors
from daryn_desktop.core.templates import (
    TRACK_FOR_KIND,
    Responsible,
    Track,
    apply_template,
)
from daryn_desktop.i18n import gettext_for
from daryn_desktop.storage.repositories import NotFound
from daryn_desktop.storage.rows import to_db, to_row

if TYPE_CHECKING:
    from daryn_desktop.storage.writer import Writer
from daryn_desktop.storage.roadmaps.amendments import PlanDiff
from daryn_desktop.storage.roadmaps.base import (
    NoRoadMap,
    ReviewsNotAllowed,
    RoadMapExists,
    SaveResult,
    calendar_for,
    invalid_entries,
)
from daryn_desktop.storage.roadmaps.reading import RoadMapReader
from daryn_desktop.storage.roadmaps.templates import RoadMapTemplates


class RoadMapEditing(RoadMapReader, RoadMapTemplates):
    """Creating and editing road maps."""

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

    def _mentor_id(self, school_id: str, fields: list[str]) -> str | None:
        """A mentor of the school, preferably one who teaches the pupil's subject."""
        rows = self.store.db.execute(
            "SELECT id, subject FROM staff WHERE school_id = ? AND role = 'mentor'"
            " AND archived = 0 ORDER BY sort_key", [school_id]).fetchall()
        wanted = {f.casefold() for f in fields}
        for staff_id, subject in rows:
            if subject and subject.casefold() in wanted:
                return str(staff_id)
        return str(rows[0][0]) if rows else None

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
            raise invalid_entries(findings)

        diff = PlanDiff(fields, current.goals, new_goals, current.activities, new_acts)
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

    def _staff_names(self, diff: PlanDiff) -> dict[str, str]:
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
            raise invalid_entries(findings)
        with self.store.transaction(author) as w:
            w.insert("reviews", to_row(review))
        return review
