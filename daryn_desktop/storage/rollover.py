"""The new academic year in the database: previewed first, then written as one batch through
the write path, so that the region receives it as ordinary changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import PupilStatus, RoadMapStatus
from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.core.rollover import (
    BASIC_SCHOOL_GRADE,
    MSG_GRADUATED,
    MSG_LEFT_AFTER_9,
    PupilGrade,
    RolloverPlan,
    check_target,
    plan_rollover,
)
from daryn_desktop.i18n import N_, _
from daryn_desktop.storage.roadmaps import RoadMaps

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

#: ``local_state`` key: the academic year the last rollover moved the registry to.
STATE_KEY = "registry_year"
PROGRESS_EVERY = 200
MSG_PROGRESS = N_("Moving to the new year: {done} of {total}…")
MSG_DONE = N_("The registry is in {year}. Moved up: {promoted}; left school: {left}; road maps"
              " closed: {closed}; drafts started: {drafts}.")

# Pupils of districts that keep their own installation: that district moves them up and
# the region receives the grades with its bundles (a region moving them too would count
# the year twice).
_OWN_PUPILS = """
SELECT p.id, p.grade FROM pupils p JOIN schools s ON s.id = p.school_id
WHERE p.status = 'active' AND s.district_kato NOT IN (
    SELECT district_kato FROM peers WHERE role = 'district' AND status = 'trusted'
    AND district_kato IS NOT NULL)
"""


@dataclass
class RolloverPreview:
    """What the move to ``plan.to_year`` would do, before anything is written."""

    plan: RolloverPlan
    #: Road maps of the closing year that are not closed yet.
    open_maps: list[str] = field(default_factory=list)
    #: Of those, the ones of pupils who stay and have no road map for the new year yet:
    #: next year's draft can be started from them ("continue from last year").
    continuable: list[str] = field(default_factory=list)
    #: Pupils in other districts' hands (a region's paired districts), left alone.
    left_to_districts: int = 0


@dataclass(frozen=True)
class RolloverResult:
    promoted: int
    graduated: int
    closed_maps: int
    continued_maps: int


def registry_year(store: Store) -> AcademicYear | None:
    text = store.state(STATE_KEY)
    return AcademicYear.parse(text) if text else None


def grade_nine_pupils(store: Store) -> list[tuple[str, str, str]]:
    """Studying pupils of grade 9 (id, name and class, school), who may leave after it."""
    return [(r[0], f"{r[1]} {r[2]}, {r[3]}{r[4] or ''}", r[5]) for r in store.db.execute(
        "SELECT p.id, p.surname, p.given_name, p.grade, p.class_letter, s.name FROM pupils p"
        " JOIN schools s ON s.id = p.school_id WHERE p.status = 'active' AND p.grade = ?"
        " ORDER BY s.sort_key, p.class_letter, p.sort_key", [BASIC_SCHOOL_GRADE])]


def preview_rollover(store: Store, to: AcademicYear, *, leaving_after_9: Iterable[str] = (),
                     today: date | None = None) -> RolloverPreview:
    """Grades before and after, who leaves, and the road maps to close and to continue."""
    check_target(to, registry_year(store), today or date.today())
    pupils = [PupilGrade(pid, grade) for pid, grade in store.db.execute(_OWN_PUPILS)]
    everyone = store.db.execute("SELECT count(*) FROM pupils WHERE status = 'active'"
                                ).fetchone()[0]
    plan = plan_rollover(pupils, to, leaving_after_9=leaving_after_9)
    closing = to.previous().label
    staying = set(plan.promotions)
    own = {p.id for p in pupils}
    open_maps, continuable = [], []
    for map_id, pupil_id, status in store.db.execute(
            "SELECT id, pupil_id, status FROM road_maps WHERE academic_year = ?", [closing]):
        if pupil_id not in own:
            continue
        if status != RoadMapStatus.CLOSED.value:
            open_maps.append(map_id)
        if pupil_id in staying:
            continuable.append(map_id)
    has_next = {r[0] for r in store.db.execute(
        "SELECT pupil_id FROM road_maps WHERE academic_year = ?", [to.label])}
    pupil_of = dict(store.db.execute(
        "SELECT id, pupil_id FROM road_maps WHERE academic_year = ?", [closing]).fetchall())
    continuable = [m for m in continuable if pupil_of[m] not in has_next]
    return RolloverPreview(plan, open_maps, continuable, everyone - len(pupils))


def apply_rollover(store: Store, preview: RolloverPreview, *, close_maps: bool = True,
                   continue_maps: bool = True, author: str | None = None,
                   progress: Callable[[Progress], None] | None = None,
                   cancel: CancelToken | None = None, today: date | None = None
                   ) -> RolloverResult:
    """Write the move as one transaction: grades, leavers archived, road maps closed and
    continued; the registry's year is remembered so that it is not moved twice."""
    today = today or date.today()
    plan = preview.plan
    check_target(plan.to_year, registry_year(store), today)
    maps = RoadMaps(store)
    closing = plan.from_year.label
    continued = preview.continuable if continue_maps else []
    closed = preview.open_maps if close_maps else []
    total = len(plan.promotions) + len(plan.leaving) + len(closed) + len(continued)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if done % PROGRESS_EVERY == 0 or done == total:
            if cancel is not None:
                cancel.raise_if_cancelled()
            if progress is not None:
                progress(Progress(done, total, _(MSG_PROGRESS).format(done=done, total=total)))

    with store.transaction(author) as w:
        # Next year's drafts first: they copy the plan of the road map before it is closed.
        for map_id in continued:
            maps.continue_to_next_year(map_id, writer=w)
            step()
        for map_id in closed:
            maps.close(map_id, on=today, writer=w)
            step()
        for pupil_id, grade in plan.promotions.items():
            w.update("pupils", pupil_id, {"grade": grade})
            step()
        for ids, message in ((plan.graduates, MSG_GRADUATED), (plan.leavers, MSG_LEFT_AFTER_9)):
            reason = _(message).format(year=closing)
            for pupil_id in ids:
                w.update("pupils", pupil_id, {"status": PupilStatus.ARCHIVED,
                                              "archive_reason": reason})
                step()
        w.db.execute("INSERT OR REPLACE INTO local_state (key, value) VALUES (?, ?)",
                     [STATE_KEY, plan.to_year.label])
    return RolloverResult(len(plan.promotions), len(plan.leaving), len(closed), len(continued))
