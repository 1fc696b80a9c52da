"""Pupils moved to another district: the records kept out and the versions that moved them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from daryn_desktop.storage.syncstate.common import now_text

if TYPE_CHECKING:
    from sqlite_utils import Database


# -- pupils moved to another district (see sync/departures.py) ------------------------------------
def moved_rows(db: Database) -> dict[tuple[str, str], str]:
    """Records removed because their pupil moved away: (table, id) → the pupil's id."""
    return {(t, r): p for t, r, p in db.execute("SELECT tbl, row_id, pupil_id FROM moved_rows")}


def moved_away(db: Database) -> dict[str, tuple[int, int]]:
    """The pupils removed here: id → (prio, hlc) of the version that took each away."""
    return {p: (prio, hlc) for p, prio, hlc in db.execute(
        "SELECT pupil_id, prio, hlc FROM moved_away")}


def forget_moved(db: Database, pupil_ids: Sequence[str]) -> None:
    """Pupils moved back: no longer kept out."""
    db.conn.executemany("DELETE FROM moved_rows WHERE pupil_id = ?", [(p,) for p in pupil_ids])
    db.conn.executemany("DELETE FROM moved_away WHERE pupil_id = ?", [(p,) for p in pupil_ids])


def school_ids_of_district(db: Database, district_kato: str | None) -> set[str]:
    return {r[0] for r in db.execute("SELECT id FROM schools WHERE district_kato = ?",
                                     [district_kato])}


def pupils_elsewhere(db: Database, district_kato: str | None) -> list[tuple[str, str]]:
    """``(pupil id, school id)`` of the pupils at a school not of ``district_kato``."""
    return [(r[0], r[1]) for r in db.execute(
        "SELECT p.id, p.school_id FROM pupils p LEFT JOIN schools s ON s.id = p.school_id"
        " WHERE p.school_id IS NOT NULL AND (s.district_kato IS NULL OR s.district_kato != ?)",
        [district_kato]).fetchall()]


def pupil_schools(db: Database) -> list[tuple[str, str]]:
    """``(pupil id, school id)`` of every pupil."""
    return [(r[0], r[1]) for r in db.execute("SELECT id, school_id FROM pupils")]


def written_here_after(db: Database, stored_id: bytes | str, shapes: Sequence[int],
                       seq: int) -> bool:
    """Whether a version of these shapes of the record was written here above ``seq``."""
    return bool(shapes) and db.execute(
        "SELECT 1 FROM change_log WHERE row_id = ? AND shape IN"
        f" ({','.join('?' * len(shapes))}) AND received_from IS NULL AND seq > ? LIMIT 1",
        [stored_id, *shapes, seq]).fetchone() is not None


def strongest_version(db: Database, stored_id: bytes | str,
                      shapes: Sequence[int]) -> tuple[int, int] | None:
    """``(prio, hlc)`` of the strongest version of these shapes of the record."""
    row = db.execute(
        "SELECT prio, hlc FROM change_log WHERE row_id = ? AND shape IN"
        f" ({','.join('?' * len(shapes))}) ORDER BY prio DESC, hlc DESC LIMIT 1",
        [stored_id, *shapes]).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def remember_moved(db: Database, pupil_id: str, school_id: str, prio: int, hlc: int,
                   records: Sequence[tuple[str, str]]) -> None:
    """A pupil removed because it moved away, with its records: kept out from now on."""
    db.execute("INSERT OR REPLACE INTO moved_away (pupil_id, school_id, prio, hlc, at)"
               " VALUES (?, ?, ?, ?, ?)", [pupil_id, school_id, prio, hlc, now_text()])
    db.conn.executemany("INSERT OR IGNORE INTO moved_rows (tbl, row_id, pupil_id)"
                        " VALUES (?, ?, ?)", [(t, r, pupil_id) for t, r in records])
