"""This database's own state: the clock and counters, the page cache, foreign keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


# -- the clock and counters ---------------------------------------------------------------------
def save_clock(db: Database, hlc: int, origin_seq: int | None = None) -> None:
    """Keep the hybrid clock (and the next version number) for the next transaction and
    for other programs on this database: the one place both are written."""
    rows = [("hlc", str(hlc))]
    if origin_seq is not None:
        rows.insert(0, ("origin_seq", str(origin_seq)))
    db.conn.executemany("INSERT OR REPLACE INTO local_state (key, value) VALUES (?, ?)", rows)


def set_local(db: Database, key: str, value: str | None) -> None:
    """A row of ``local_state`` (None deletes it)."""
    if value is None:
        db.execute("DELETE FROM local_state WHERE key = ?", [key])
    else:
        db.execute("INSERT OR REPLACE INTO local_state (key, value) VALUES (?, ?)", [key, value])


def cache_size(db: Database, kib: int | None = None) -> int:
    """SQLite's page cache (negative: KiB); set to ``-kib`` when given. Returns the size
    it had."""
    before = int(db.conn.execute("PRAGMA cache_size").fetchone()[0])
    if kib is not None:
        db.conn.execute(f"PRAGMA cache_size = {-int(kib)}")
    return before


def restore_cache_size(db: Database, size: int) -> None:
    db.conn.execute(f"PRAGMA cache_size = {int(size)}")


def foreign_keys(db: Database, on: bool) -> None:
    db.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")
