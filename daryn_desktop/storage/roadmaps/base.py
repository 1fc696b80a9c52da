"""What the parts of the road-map service share: its errors, the editor's data, the calendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from daryn_desktop.core import roadmap as rules
from daryn_desktop.core.academic import AcademicYear, YearCalendar
from daryn_desktop.core.entities import (
    Activity,
    Amendment,
    Goal,
    Review,
    RoadMap,
)
from daryn_desktop.core.enums import RoadMapStatus
from daryn_desktop.core.findings import Finding
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_

if TYPE_CHECKING:
    pass


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


def invalid_entries(findings: Iterable[Finding]) -> InvalidEntries:
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
