"""Purges: their signed records, the tombstones they leave and the erasing of records."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from daryn_desktop.storage.changelog import LogCodec, encode_id
from daryn_desktop.storage.syncstate.common import _one

if TYPE_CHECKING:
    from sqlite_utils import Database


# -- purges -------------------------------------------------------------------------------------
PURGE_COLUMNS = ("purge_id", "tbl", "row_id", "at", "region_kato", "signer_key", "signature")


def purge_ids(db: Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT purge_id FROM purges")}


def purge_rows(db: Database) -> list[dict[str, Any]]:
    """Every purge, oldest first, as the bundle carries it."""
    return [dict(zip(PURGE_COLUMNS, r)) for r in db.execute(
        f"SELECT {', '.join(PURGE_COLUMNS)} FROM purges ORDER BY at")]


def save_purge(db: Database, purge: dict[str, Any]) -> None:
    db.execute(
        f"INSERT INTO purges ({', '.join(PURGE_COLUMNS)})"
        f" VALUES ({', '.join(':' + c for c in PURGE_COLUMNS)})",
        {k: purge[k] for k in PURGE_COLUMNS})


# -- erasing records (see sync/purge.py) ---------------------------------------------------------
def add_tombstones(db: Database, rows: Sequence[tuple[str, str]], purge_id: str) -> None:
    """Id-only marks of purged records: later versions of them are dropped on arrival."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO tombstones (tbl, row_id, purge_id) VALUES (?, ?, ?)",
        [(table, row_id, purge_id) for table, row_id in rows])


def tombstones(db: Database) -> dict[tuple[str, str], str]:
    """(table, id) → the purge that erased it."""
    return {(t, r): p for t, r, p in db.execute("SELECT tbl, row_id, purge_id FROM tombstones")}


def erase_records(db: Database, rows: Sequence[tuple[str, str]]) -> int:
    """Delete records (parents listed before dependants) with all their versions, heads and
    links, and the attachment bodies nothing else uses; the log's positions are never given
    again. Returns the number of rows deleted."""
    db.execute("INSERT OR REPLACE INTO local_state (key, value) SELECT 'seq_floor',"
               " max(coalesce(max(seq), 0), coalesce((SELECT CAST(value AS INTEGER) FROM"
               " local_state WHERE key = 'seq_floor'), 0)) FROM change_log")
    deleted = 0
    codec = LogCodec(db)
    # Dependants first: with foreign keys on, deleting the pupil first would cascade and
    # hide which attachment bodies became unused.
    for table, row_id in reversed(rows):
        shapes = codec.shapes_of(table)
        of_row = f"row_id = ? AND shape IN ({','.join('?' * len(shapes))})"
        key = [encode_id(row_id), *shapes]
        versions = db.execute(f"SELECT site, origin_seq FROM change_log WHERE {of_row}",
                              key).fetchall()
        # Two statements, each on its own index (an OR of the two would scan every link).
        db.conn.executemany("DELETE FROM log_links WHERE base = ? AND base_seq = ?", versions)
        db.conn.executemany("DELETE FROM log_links WHERE child = ? AND child_seq = ?",
                            versions)
        db.execute(f"DELETE FROM change_log WHERE {of_row}", key)
        db.execute("DELETE FROM log_heads WHERE tbl = ? AND row_id = ?", [table, key[0]])
        digest = (_one(db, "SELECT sha256 FROM attachments WHERE id = ?", [row_id])
                  if table == "attachments" else None)
        cursor = db.execute(f"DELETE FROM [{table}] WHERE id = ?", [row_id])
        deleted += max(cursor.rowcount, 0)
        if digest and _one(db, "SELECT 1 FROM attachments WHERE sha256 = ?", [digest]) is None:
            db.execute("DELETE FROM blobs WHERE sha256 = ?", [digest])
    return deleted
