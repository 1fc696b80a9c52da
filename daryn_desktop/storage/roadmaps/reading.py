"""Reading one road map: what the editor shows, the people on it, the printed document."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
from daryn_desktop.core.roadmap import RoadMapDocument

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store
    from daryn_desktop.storage.writer import Writer
from daryn_desktop.storage.roadmaps.base import NoSignedVersion, RoadMapData
from daryn_desktop.storage.roadmaps.snapshot import snapshot_document, snapshot_signed_by


class RoadMapReader:
    """Reading road maps of one store (the base of the service)."""

    def __init__(self, store: Store):
        self.store = store
        self.repos = store.repos

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

    def _staff_id(self, role: StaffRole, school_id: str | None) -> str | None:
        sql = "SELECT id FROM staff WHERE role = ? AND archived = 0"
        params: list[Any] = [role.value]
        if school_id:
            sql += " AND school_id = ?"
            params.append(school_id)
        row = self.store.db.execute(sql + " ORDER BY sort_key LIMIT 1", params).fetchone()
        return row[0] if row else None

    @contextmanager
    def _writer(self, writer: Writer | None, author: str | None) -> Iterator[Writer]:
        """The caller's open transaction, or a new one."""
        if writer is not None:
            yield writer
        else:
            with self.store.transaction(author) as w:
                yield w

    def _next_number(self, road_map_id: str) -> int:
        row = self.store.db.execute("SELECT max(number) FROM amendments WHERE road_map_id = ?",
                                    [road_map_id]).fetchone()
        return (row[0] or 0) + 1

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
