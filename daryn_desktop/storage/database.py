"""Creating and opening the encrypted database: the only place that connects to it."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path

import sqlcipher3
from sqlite_utils import Database

from daryn_desktop.core.clock import HybridClock
from daryn_desktop.core.entities import Installation
from daryn_desktop.core.enums import Role
from daryn_desktop.core.progress import Cancelled, CancelToken
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_
from daryn_desktop.i18n.collation import collate_kazakh, sort_key
from daryn_desktop.storage import changelog, migrations
from daryn_desktop.storage.keyring import (
    DEFAULT_KDF,
    KdfParams,
    Keyring,
    keyring_path,
    load_keyring,
    save_keyring,
)
from daryn_desktop.storage.rows import from_row, to_row
from daryn_desktop.storage.schema import SYNCED_TABLES
from daryn_desktop.storage.writer import Writer

#: How many backups made before migrations are kept.
KEEP_BACKUPS = 5


class DatabaseMissing(UserError):
    message = N_("There is no database at {path}.")
    hint = N_("Create one with “daryn init” or choose another file.")


class DatabaseExists(UserError):
    message = N_("A database already exists at {path}; it was left untouched.")


#: Page cache for large loads, in MiB (see :meth:`Store.bulk_cache`).
BULK_CACHE_MIB = 128
#: SQLite steps between two looks at a cancel request (see :meth:`Store.stopped_by`): one
#: every few milliseconds, too rare to slow a query down.
CANCEL_CHECK_STEPS = 100_000

class NotADatabase(UserError):
    message = N_("{path} cannot be opened: the key file does not match it or the file is damaged.")
    hint = N_("Restore the database and its .keys file from a backup.")


class DatabaseUnavailable(UserError):
    message = N_("The database could not be used: {reason}.")
    hint = N_("Close other copies of Daryn Desktop and check that the disk is not full.")


class DirectWriteRefused(sqlcipher3.DatabaseError):
    """A programming error: a synced table was written outside the write path."""


def _connect(path: Path, key: bytes) -> Database:
    conn = sqlcipher3.connect(str(path), check_same_thread=False)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise NotADatabase(path=str(path)) from exc
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.create_collation("KAZAKH", collate_kazakh)
    conn.create_function("kk_sort_key", 1, sort_key, deterministic=True)
    changelog.register_functions(conn)
    return Database(conn)


class Store:
    """An open database: the installation, the write path and the repositories."""

    def __init__(self, path: Path, db: Database, key: bytes):
        self.path = path
        self.db = db
        # Kept so that work on another thread can have a connection of its own (reopen).
        self._key = key
        self._optimize_on_close = True
        self._writing = False
        self.clock = HybridClock(int(self.state("hlc") or 0))
        db.conn.set_authorizer(self._authorize)
        from daryn_desktop.storage.repositories import Repositories

        self.repos = Repositories(self)

    # -- the installation -------------------------------------------------------------------
    @property
    def installation(self) -> Installation:
        row = self.db.execute("SELECT * FROM installation").fetchone()
        if row is None:
            raise DatabaseUnavailable(reason="no installation record")
        names = [d[0] for d in self.db.execute("SELECT * FROM installation LIMIT 0").description]
        return from_row(Installation, dict(zip(names, row)))

    @property
    def site_id(self) -> str:
        return self.installation.site_id

    # -- key/value state --------------------------------------------------------------------
    def state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM local_state WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str | None) -> None:
        with self.db.atomic():
            self.db.execute("INSERT OR REPLACE INTO local_state (key, value) VALUES (?, ?)",
                            [key, value])

    # -- writing ----------------------------------------------------------------------------
    def _authorize(self, action: int, arg1, arg2, db_name, trigger) -> int:
        # Triggers (the search index) are allowed; direct writes to synced tables are not,
        # unless they come from the write path.
        if (action in (sqlcipher3.SQLITE_INSERT, sqlcipher3.SQLITE_UPDATE,
                       sqlcipher3.SQLITE_DELETE)
                and arg1 in SYNCED_TABLES and not self._writing and trigger is None):
            return sqlcipher3.SQLITE_DENY
        return sqlcipher3.SQLITE_OK

    @contextmanager
    def bulk_cache(self, mib: int = BULK_CACHE_MIB) -> Iterator[None]:
        """A bigger page cache for a large load (demo data, a big bundle), restored after.

        The random-order indexes (names, IINs, change-log rows) outgrow a small cache long
        before 100,000 pupils, and every miss is a page read and a decryption. SQLite
        allocates the cache lazily, so a small load does not pay for it.
        """
        before = self.db.conn.execute("PRAGMA cache_size").fetchone()[0]
        if before < 0 and -before >= mib * 1024:
            yield  # already large enough (e.g. the registry's browsing cache)
            return
        self.db.conn.execute(f"PRAGMA cache_size = {-mib * 1024}")
        try:
            yield
        finally:
            self.db.conn.execute(f"PRAGMA cache_size = {int(before)}")

    @contextmanager
    def transaction(self, author: str | None = None) -> Iterator[Writer]:
        """One atomic unit of work: everything written in the block commits or nothing does."""
        if self._writing:
            raise RuntimeError("nested write transactions are not supported")
        seq = int(self.state("origin_seq") or 1)
        writer = Writer(self.db, site_id=self.site_id, author=author, clock=self.clock,
                        next_seq=seq)
        hlc_before = self.clock.last
        self._writing = True
        try:
            with self.db.atomic():
                yield writer
                self.db.conn.executemany(
                    "INSERT OR REPLACE INTO local_state (key, value) VALUES (?, ?)",
                    [("origin_seq", str(writer.next_seq)), ("hlc", str(self.clock.last))])
        except BaseException:
            self.clock.last = hlc_before
            raise
        finally:
            self._writing = False

    # -- other threads ---------------------------------------------------------------------
    def reopen(self) -> Store:
        """Another connection to the same database, for work on another thread.

        A connection must be used by one thread only. The copy is already unlocked and
        migrated; close it when done (it is a context manager). It is for reading: the
        write path (:meth:`transaction`) keeps its clock and sequence on this connection.
        """
        other = Store(self.path, _connect(self.path, self._key), self._key)
        # Statistics are left to the long-lived connection: PRAGMA optimize may run ANALYZE,
        # a write that would contend with the window's own.
        other._optimize_on_close = False
        return other

    @contextmanager
    def stopped_by(self, cancel: CancelToken) -> Iterator[None]:
        """Statements on this connection stop soon after ``cancel`` is set, with Cancelled.

        SQLite asks the handler from inside a running statement, on the thread using the
        connection, so a long query is abandoned without another thread touching it; an
        open transaction is rolled back by whoever opened it.
        """
        self.db.conn.set_progress_handler(lambda: cancel.cancelled, CANCEL_CHECK_STEPS)
        try:
            yield
        except sqlcipher3.OperationalError as exc:
            if cancel.cancelled:
                raise Cancelled() from exc
            raise
        finally:
            self.db.conn.set_progress_handler(None, 0)

    # -- housekeeping -----------------------------------------------------------------------
    def integrity_problems(self) -> list[str]:
        """SQLite's integrity check and foreign-key check; empty when healthy."""
        problems = [r[0] for r in self.db.execute("PRAGMA integrity_check").fetchall()
                    if r[0] != "ok"]
        problems += [f"foreign key: {r[0]} row {r[1]} → {r[2]}"
                     for r in self.db.execute("PRAGMA foreign_key_check").fetchall()]
        return problems

    def close(self) -> None:
        if self._optimize_on_close:
            with suppress(sqlcipher3.Error):
                self.db.conn.execute("PRAGMA optimize")
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _classify(exc: sqlcipher3.Error) -> UserError:
    return DatabaseUnavailable(reason=str(exc))


def backup_file(path: Path, backups_dir: Path, label: str, db: Database | None = None) -> Path:
    """Copy the encrypted file and its key ring into ``backups_dir``; keep the newest few."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    if db is not None:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = backups_dir / f"{path.stem}-{stamp}-{label}{path.suffix}"
    shutil.copy2(path, target)
    shutil.copy2(keyring_path(path), keyring_path(target))
    olds = sorted(backups_dir.glob(f"{path.stem}-*{path.suffix}"))
    for old in olds[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
        keyring_path(old).unlink(missing_ok=True)
    return target


def _migrate(path: Path, db: Database) -> list[str]:
    migrations.check_not_newer(db)
    pending = migrations.pending_names(db)
    if not pending:
        return []
    if migrations.applied_names(db):
        backup_file(path, path.parent / "backups", f"before-{pending[0]}", db)
    migrations.MIGRATIONS.apply(db)
    if migrations.VACUUM_AFTER & set(pending):
        db.execute("VACUUM")  # give back the space the old form took
    return pending


def create_store(path: str | os.PathLike[str], password: str, *, role: Role, region_kato: str,
                 name: str, district_kato: str | None = None,
                 kdf: KdfParams = DEFAULT_KDF) -> tuple[Store, str]:
    """Create a new encrypted database; returns it open and the recovery code to show once."""
    path = Path(path)
    if path.exists() or keyring_path(path).exists():
        raise DatabaseExists(path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    ring, key, code = Keyring.create(password, kdf)
    try:
        db = _connect(path, key)
        migrations.MIGRATIONS.apply(db)
        inst = Installation(role=role, region_kato=region_kato, district_kato=district_kato,
                            name=name,
                            created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        with db.atomic():
            db["installation"].insert(to_row(inst))
        save_keyring(path, ring)
    except BaseException:
        # Nothing half-made stays behind: no database without its key, no key without data.
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), keyring_path(path)):
            leftover.unlink(missing_ok=True)
        raise
    return Store(path, db, key), code


def open_store(path: str | os.PathLike[str], *, password: str | None = None,
               recovery_code: str | None = None, key: bytes | None = None) -> Store:
    """Open (and if needed migrate) an existing database with its password or recovery code."""
    path = Path(path)
    if not path.exists():
        raise DatabaseMissing(path=str(path))
    if key is None:
        ring = load_keyring(path)
        key = ring.recover(recovery_code) if recovery_code is not None else ring.unlock(
            password or "")
    db = _connect(path, key)
    try:
        _migrate(path, db)
    except BaseException:
        db.conn.close()
        raise
    return Store(path, db, key)


def change_password(path: str | os.PathLike[str], new_password: str, *,
                    old_password: str | None = None, recovery_code: str | None = None,
                    kdf: KdfParams = DEFAULT_KDF) -> None:
    """Re-wrap the database key under a new password (proved by the old one or the code)."""
    path = Path(path)
    ring = load_keyring(path)
    key = ring.recover(recovery_code) if recovery_code is not None else ring.unlock(
        old_password or "")
    save_keyring(path, ring.with_password(key, new_password, kdf))


def is_sqlite_error(exc: BaseException) -> bool:
    return isinstance(exc, (sqlcipher3.Error, sqlite3.Error))
