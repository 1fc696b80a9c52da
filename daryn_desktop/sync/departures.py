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
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from daryn_desktop.sync.purge import erase_records
from daryn_desktop.sync.scope import pupil_records

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store
    from daryn_desktop.storage.writer import RemoteChange


@dataclass(frozen=True)
class Departures:
    removed: int  # pupils erased here in this import
    waiting: int  # pupils that left, kept until the region acknowledges what was written here


def away(store: Store) -> dict[tuple[str, str], str]:
    """Records removed because their pupil moved away: (table, id) → the pupil's id."""
    return {(t, r): p for t, r, p in store.db.execute(
        "SELECT tbl, row_id, pupil_id FROM moved_rows")}


def _our_schools(store: Store, changes: list[RemoteChange]) -> set[str]:
    district = store.installation.district_kato
    ours = {r[0] for r in store.db.execute("SELECT id FROM schools WHERE district_kato = ?",
                                           [district])}
    # A school opened by the region arrives in the same bundle as the pupils it receives.
    ours |= {c.row_id for c in changes
             if c.tbl == "schools" and c.data.get("district_kato") == district}
    return ours


def welcome_back(store: Store, changes: list[RemoteChange]) -> int:
    """Forget the removal of pupils that these versions move back to one of our schools.

    Only a version of the school that wins over the one that took the pupil away counts
    (the region's, written after it: a hybrid clock orders a version after everything its
    writer had seen), not an old one from a delayed stick. Returns the number let back in.
    """
    gone = {p: (prio, hlc) for p, prio, hlc in store.db.execute(
        "SELECT pupil_id, prio, hlc FROM moved_away")}
    if not gone:
        return 0
    back = set()
    ours: set[str] | None = None
    for change in changes:
        left_by = gone.get(change.row_id) if change.tbl == "pupils" else None
        if (left_by is None or (change.prio, change.hlc) <= left_by
                or "school_id" not in change.data):
            continue
        if ours is None:
            ours = _our_schools(store, changes)
        if change.data["school_id"] in ours:
            back.add(change.row_id)
    store.db.conn.executemany("DELETE FROM moved_rows WHERE pupil_id = ?", [(p,) for p in back])
    store.db.conn.executemany("DELETE FROM moved_away WHERE pupil_id = ?", [(p,) for p in back])
    return len(back)


def remove_departed(store: Store, region_site: str) -> Departures:
    """Erase the pupils now at another district's school (inside ``store.transaction()``)."""
    db = store.db
    left = db.execute(
        "SELECT p.id, p.school_id FROM pupils p LEFT JOIN schools s ON s.id = p.school_id"
        " WHERE p.school_id IS NOT NULL AND (s.district_kato IS NULL OR s.district_kato != ?)",
        [store.installation.district_kato]).fetchall()
    if not left:
        return Departures(0, 0)
    acked = db.execute("SELECT their_ack FROM peers WHERE site_id = ?",
                       [region_site]).fetchone()[0]
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    removed = waiting = 0
    for pupil_id, school_id in left:
        records = pupil_records(db, pupil_id)
        if any(db.execute("SELECT 1 FROM changes WHERE tbl = ? AND row_id = ? AND"
                          " received_from IS NULL AND seq > ? LIMIT 1",
                          [tbl, row_id, acked]).fetchone() for tbl, row_id in records):
            waiting += 1
            continue
        # The version that took it away: the strongest of its school's versions.
        prio, hlc = db.execute(
            "SELECT prio, hlc FROM changes WHERE tbl = 'pupils' AND row_id = ? AND"
            " json_type(data, '$.school_id') IS NOT NULL ORDER BY prio DESC, hlc DESC LIMIT 1",
            [pupil_id]).fetchone() or (0, 0)
        erase_records(store, records)
        db.execute("INSERT OR REPLACE INTO moved_away (pupil_id, school_id, prio, hlc, at)"
                   " VALUES (?, ?, ?, ?, ?)", [pupil_id, school_id, prio, hlc, now])
        db.conn.executemany("INSERT OR IGNORE INTO moved_rows (tbl, row_id, pupil_id)"
                            " VALUES (?, ?, ?)", [(t, r, pupil_id) for t, r in records])
        removed += 1
    return Departures(removed, waiting)
