"""The log of sync bundles written and imported, as the Sync section's history lists it."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store


class BundleLogEntry(NamedTuple):
    """One bundle sent or received."""

    at: str
    direction: str  # "out" (written) or "in" (imported)
    peer_site: str
    changes: int
    size: int
    file_name: str


def recent_bundles(store: Store, limit: int = 200) -> list[BundleLogEntry]:
    """The latest bundles, newest first."""
    return [BundleLogEntry(*r) for r in store.db.execute(
        "SELECT at, direction, peer_site, changes, size, file_name FROM bundle_log"
        " ORDER BY at DESC LIMIT ?", [limit])]
