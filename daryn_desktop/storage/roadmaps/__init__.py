"""The road-map service: create, edit, sign, amend, close, continue; lists and due activities.

One class, :class:`RoadMaps`, made of one part per concern: reading (``reading``), creating
and editing (``editing``, with the amendments' diff in ``amendments``), the statuses
(``lifecycle``), templates (``templates``) and lists (``lists``).

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

from daryn_desktop.storage.roadmaps.base import (
    InvalidEntries,
    NoRoadMap,
    NoSignedVersion,
    ReviewsNotAllowed,
    RoadMapData,
    RoadMapExists,
    SaveResult,
    calendar_for,
)
from daryn_desktop.storage.roadmaps.lifecycle import MSG_REOPENED, RoadMapLifecycle
from daryn_desktop.storage.roadmaps.lists import (
    DueActivityRow,
    RoadMapFilter,
    RoadMapLists,
    RoadMapRow,
)
from daryn_desktop.storage.roadmaps.snapshot import (
    SNAPSHOT_VERSION,
    snapshot_document,
    snapshot_json,
    snapshot_signed_by,
)

__all__ = [
    "MSG_REOPENED", "SNAPSHOT_VERSION", "DueActivityRow", "InvalidEntries", "NoRoadMap",
    "NoSignedVersion", "ReviewsNotAllowed", "RoadMapData", "RoadMapExists", "RoadMapFilter",
    "RoadMapRow", "RoadMaps", "SaveResult", "calendar_for", "snapshot_document", "snapshot_json",
    "snapshot_signed_by",
]


class RoadMaps(RoadMapLifecycle, RoadMapLists):
    """Road maps of one store."""
