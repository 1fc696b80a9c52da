"""The JSON snapshot of the printed document kept at signing, and reading it back."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.entities import (
    Achievement,
    Activity,
    CategoryRecord,
    Diagnostic,
    GiftednessArea,
    Goal,
    Guardian,
    Pupil,
    RoadMap,
    School,
    Staff,
)
from daryn_desktop.core.roadmap import RoadMapDocument
from daryn_desktop.storage.rows import from_row, to_row

if TYPE_CHECKING:
    pass


SNAPSHOT_VERSION = 1


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
    # Any: each list is of its own entity (see _LISTS), which one dict's type cannot say.
    lists: dict[str, Any] = {
        name: [from_row(cls, row) for row in data.get(name, [])] for name, cls in _LISTS.items()}
    people: dict[str, Any] = {name: from_row(Staff, data[name]) if data.get(name) else None
              for name in _PEOPLE}
    return RoadMapDocument(
        road_map=from_row(RoadMap, data["road_map"]), pupil=from_row(Pupil, data["pupil"]),
        school=from_row(School, data["school"]), as_signed=True,
        snapshot_date=date.fromisoformat(data["taken"]), **lists, **people)
