"""Which records a district's installation receives from the region: its own territory.

A regional centre holds every district's children; each district gets back only the
records of its schools (pupils and everything under them), the staff it works with, and
the region-wide reference data (the events calendar, region staff). The tables and the SQL
that finds them are in ``storage/syncstate/territory.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from daryn_desktop.storage import syncstate

if TYPE_CHECKING:
    from sqlite_utils import Database

    from daryn_desktop.storage.database import Store

def pupil_records(db: Database, pupil_id: str) -> list[tuple[str, str]]:
    """A pupil and every record under it, as (table, id), parents before dependants."""
    return syncstate.pupil_records(db, pupil_id)


def build_scope(store: Store, district_kato: str, district_sites: list[str]) -> None:
    """Fill the temporary table ``sync_scope(tbl, row_id)`` with the district's records:
    its schools, their pupils and everything under them, the staff it works with, the
    region-wide reference data and the events its records refer to."""
    syncstate.fill_scope(store.db, district_kato, district_sites)


@dataclass(frozen=True)
class TerritoryChanges:
    """What changed in a district's territory since the district last acknowledged."""

    fresh: int  # records new to it: sent with all their versions (``temp.sync_fresh``)
    departed: int  # pupils that left it: their record's versions go too (``temp.sync_departed``)


def mark_changes(store: Store, peer_site: str, their_ack: int, *,
                 remember: bool = True) -> TerritoryChanges:
    """Fill ``sync_fresh`` and ``sync_departed`` for the district's next bundle.

    A record that enters the territory (a pupil moved by the region to one of the district's
    schools, with everything under it) must reach the district with all its versions, not
    only those above the district's acknowledgement. A pupil that leaves it must be
    announced, so that the district removes its copy: the versions of the pupil's own record
    (its new school among them) are sent again; so are a school's when the region places it
    in another district. The region remembers per district which
    records it has counted as its (``peer_scope``) and which pupils left (``peer_departures``),
    each with the log position when it noticed; both are repeated until the district
    acknowledges a bundle made after that, so a lost bundle is made good by the next one.

    With ``remember=False`` (the preview of the next bundle) the same records are found
    without writing anything: the preview runs on a connection of its own beside the
    window's, and while it held the write lock the window's own saves would fail.
    """
    found = (syncstate.record_territory(store.db, peer_site, their_ack) if remember
             else syncstate.find_territory_changes(store.db, peer_site, their_ack))
    return TerritoryChanges(*found)
