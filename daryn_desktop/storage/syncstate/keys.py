"""Our signing and encryption keys, and the region's escrow key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from daryn_desktop.storage.syncstate.common import now_text

if TYPE_CHECKING:
    from sqlite_utils import Database


#: ``(key_id, kind, public, secret, status, endorsement)`` of one of our keys.
OwnKeyRow = tuple[str, str, str, str, str, "str | None"]


# -- our keys -----------------------------------------------------------------------------------
def insert_own_key(db: Database, key_id: str, kind: str, public: str, secret: str,
                   endorsement: str | None = None) -> None:
    db.execute(
        "INSERT INTO sync_keys (key_id, kind, public, secret, status, created_at, endorsement)"
        " VALUES (?, ?, ?, ?, 'current', ?, ?)",
        [key_id, kind, public, secret, now_text(), endorsement])


def current_key_kinds(db: Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT kind FROM sync_keys WHERE status = 'current'")}


def own_keys(db: Database, kind: str, *, current_only: bool = False) -> list[OwnKeyRow]:
    """Our keys of ``kind``, current first, newest first."""
    sql = "SELECT key_id, kind, public, secret, status, endorsement FROM sync_keys WHERE kind = ?"
    if current_only:
        sql += " AND status = 'current'"
    sql += " ORDER BY status = 'current' DESC, created_at DESC"
    return [tuple(r) for r in db.execute(sql, [kind])]


def retire_current_keys(db: Database) -> None:
    db.execute("UPDATE sync_keys SET status = 'retired', retired_at = ?"
               " WHERE status = 'current'", [now_text()])


def all_own_keys(db: Database) -> list[tuple[str, str, str, str, str]]:
    """``(key_id, kind, public, secret, status)`` of every key, oldest first (a backup)."""
    return [tuple(r) for r in db.execute(
        "SELECT key_id, kind, public, secret, status FROM sync_keys ORDER BY created_at")]


def restore_own_key(db: Database, key_id: str, kind: str, public: str, secret: str) -> bool:
    """Add a key from a backup unless held; whether it was added."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO sync_keys (key_id, kind, public, secret, status,"
        " created_at) VALUES (?, ?, ?, ?, 'restored', datetime('now'))",
        [key_id, kind, public, secret])
    return cursor.rowcount > 0


# -- the region's escrow key --------------------------------------------------------------------
def current_escrow(db: Database) -> tuple[str, str, str | None] | None:
    """``(key_id, recipient, pending secret)`` of the current escrow key."""
    row = db.execute("SELECT key_id, recipient, pending_secret FROM escrow_keys"
                     " WHERE status = 'current' ORDER BY created_at DESC").fetchone()
    return (row[0], row[1], row[2]) if row else None


def replace_escrow(db: Database, key_id: str, recipient: str, secret: str) -> None:
    db.execute("UPDATE escrow_keys SET status = 'retired' WHERE status = 'current'")
    db.execute("INSERT INTO escrow_keys (key_id, recipient, pending_secret, status,"
               " created_at) VALUES (?, ?, ?, 'current', ?)",
               [key_id, recipient, secret, now_text()])


def forget_escrow_secrets(db: Database) -> None:
    db.execute("UPDATE escrow_keys SET pending_secret = NULL")
