"""A district's side of a pupil the region moved to another district: remove the copy here.

The region announces a move by sending the versions of the pupil's record, the new school
among them (see ``scope.mark_changes``). After a bundle from the region is applied, every
pupil whose school is not one of this district's schools has left: its record and
everything under it are erased here, with their versions — but only once the region has
acknowledged every version written here about them, so that nothing typed here is lost.
Until then the pupil stays and is counted as waiting. What was removed is remembered
(``moved_away``, ``moved_rows``) so that an old stick cannot bring it back; a later move
back to one of this district's schools lifts that, and the region then sends the pupil's
whole history again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from daryn_desktop.storage import syncstate
from daryn_desktop.storage.changelog import LogCodec, encode_id
from daryn_desktop.sync.purge import erase_records
from daryn_desktop.sync.scope import pupil_records

if TYPE_CHECKING:
    from daryn_desktop.storage.apply import RemoteChange
    from daryn_desktop.storage.database import Store


@dataclass(frozen=True)
class Departures:
    removed: int  # pupils erased here in this import
    waiting: int  # pupils that left, kept until the region acknowledges what was written here


def away(store: Store) -> dict[tuple[str, str], str]:
    """Records removed because their pupil moved away: (table, id) → the pupil's id."""
    return syncstate.moved_rows(store.db)


class Returns:
    """Pupils removed here that a bundle from the region may move back to our schools.

    The bundle's versions are seen batch by batch as it is read (:meth:`see`), keeping only
    what matters: per pupil removed here, the strongest version of its school, and the
    schools of this district the region opened. :meth:`welcome` then decides, before the
    versions are applied.
    """

    def __init__(self, store: Store):
        self.gone = syncstate.moved_away(store.db)
        self.district = store.installation.district_kato
        #: pupil id → (prio, hlc, school id) of the strongest version of its school seen.
        self.strongest: dict[str, tuple[int, int, Any]] = {}
        #: A school opened by the region arrives in the same bundle as the pupils it receives.
        self.new_schools: set[str] = set()

    def see(self, changes: list[RemoteChange]) -> None:
        if not self.gone:
            return
        gone, strongest, district = self.gone, self.strongest, self.district
        for change in changes:
            if change.tbl == "pupils":
                if change.row_id in gone and "school_id" in change.data:
                    known = strongest.get(change.row_id)
                    if known is None or (change.prio, change.hlc) > known[:2]:
                        strongest[change.row_id] = (change.prio, change.hlc,
                                                    change.data["school_id"])
            elif change.tbl == "schools" and change.data.get("district_kato") == district:
                self.new_schools.add(change.row_id)

    def welcome(self, store: Store) -> int:
        """Forget the removal of pupils these versions move back to one of our schools.

        Per pupil, the strongest version of its school in the bundle decides (a pupil moved
        back and away again stays away), and only if it wins over the one that took the
        pupil away (the region's, written after it: a hybrid clock orders a version after
        everything its writer had seen) — not an old one from a delayed stick. Returns the
        number let back in.
        """
        if not self.strongest:
            return 0
        gone = syncstate.moved_away(store.db)
        ours = syncstate.school_ids_of_district(store.db, self.district) | self.new_schools
        back = [p for p, (prio, hlc, school) in self.strongest.items()
                if p in gone and (prio, hlc) > gone[p] and school in ours]
        syncstate.forget_moved(store.db, back)
        return len(back)


def remove_departed(store: Store, region_site: str, *,
                    territory: set[str] | None = None) -> Departures:
    """Erase the pupils now at another district's school (inside ``store.transaction()``).

    ``territory``: with a restore, the ids of every pupil the region counts as ours; a pupil
    held here that is not among them has left too, whatever its school says here.
    """
    db = store.db
    left = syncstate.pupils_elsewhere(db, store.installation.district_kato)
    unlisted: set[str] = set()
    if territory is not None:
        known = {p for p, _s in left}
        extra = [(p, school) for p, school in syncstate.pupil_schools(db)
                 if p not in territory and p not in known]
        unlisted = {p for p, _s in extra}
        left += extra
    if not left:
        return Departures(0, 0)
    acked = syncstate.their_ack(db, region_site)
    codec = LogCodec(db)

    def ours_unacknowledged(tbl: str, row_id: str) -> bool:
        return syncstate.written_here_after(db, encode_id(row_id), codec.shapes_of(tbl), acked)

    # The versions of a pupil that wrote its school.
    schooled = codec.shapes_of("pupils", col="school_id") or [-1]
    removed = waiting = 0
    for pupil_id, school_id in left:
        records = pupil_records(db, pupil_id)
        if any(ours_unacknowledged(tbl, row_id) for tbl, row_id in records):
            # Kept until the region has our edits; a pupil only missing from the list may
            # simply be new here (the region has not received it yet).
            waiting += pupil_id not in unlisted
            continue
        # The version that took it away: the strongest of its school's versions.
        prio, hlc = syncstate.strongest_version(db, encode_id(pupil_id), schooled) or (0, 0)
        erase_records(store, records)
        syncstate.remember_moved(db, pupil_id, school_id, prio, hlc, records)
        removed += 1
    return Departures(removed, waiting)
