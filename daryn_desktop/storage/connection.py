"""Connecting to the encrypted database: its key, pragmas, Kazakh collation and write lock."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import sqlcipher3
from sqlite_utils import Database

from daryn_desktop.i18n.collation import collate_kazakh, sort_key
from daryn_desktop.storage import changelog
from daryn_desktop.storage.failures import explain_failure

#: How long a write waits for another program's write to finish before saying the database
#: is busy (a window saving a pupil while ``daryn sync import`` runs, or the other way round).
BUSY_TIMEOUT_MS = 10_000


def as_sqlite(conn: sqlcipher3.Connection) -> sqlite3.Connection:
    """SQLCipher's connection as the standard one sqlite-utils is typed for (the same API)."""
    return cast("sqlite3.Connection", conn)


class LockingDatabase(Database):
    """sqlite-utils' database whose transactions take the write lock as they begin.

    A deferred ``BEGIN`` reads first and asks for the lock at its first write; if another
    program wrote in between, SQLite cannot wait for it and fails at once with "database is
    locked". ``BEGIN IMMEDIATE`` waits (up to the busy timeout) before reading anything.
    """

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


def connect(path: Path, key: bytes, salt: bytes | None = None) -> Database:
    """An unlocked connection; ``salt`` (the key ring's note of the file's salt) lets a
    refusal tell a wrong key file from a damaged database."""
    conn = None
    try:
        conn = sqlcipher3.connect(str(path), check_same_thread=False)
        # SQLCipher would print its own lines ("ERROR CORE sqlcipher_page_cipher: hmac check
        # failed") beside the program's message for a wrong key file or a damaged file.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlcipher3.Error as exc:
        if conn is not None:
            conn.close()
        raise explain_failure(exc, path, salt=salt) from exc
    conn.create_collation("KAZAKH", collate_kazakh)
    conn.create_function("kk_sort_key", 1, sort_key, deterministic=True)
    changelog.register_functions(conn)
    # No sqlite-utils plugins: none is part of the program, and looking for them scans every
    # installed package (a tenth of a second at each start).
    return LockingDatabase(as_sqlite(conn), execute_plugins=False)
