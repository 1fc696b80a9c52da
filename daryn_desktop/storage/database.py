"""Creating and opening the encrypted database, and the open database itself (``Store``)."""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path

import sqlcipher3
from sqlite_utils import Database

from daryn_desktop.core.clock import HybridClock
from daryn_desktop.core.entities import Installation
from daryn_desktop.core.enums import Role
from daryn_desktop.core.progress import Cancelled, CancelToken
from daryn_desktop.core.validation import check_installation_name
from daryn_desktop.errors import UserError
from daryn_desktop.files import (
    PRIVATE_DIR,
    explain_os_error,
    make_private,
    open_private,
    private_dir,
    sync_folder,
)
from daryn_desktop.i18n import N_
from daryn_desktop.paths import app_paths
from daryn_desktop.storage import migrations, syncstate
from daryn_desktop.storage.connection import connect
from daryn_desktop.storage.copies import backup_file

# The failures are also imported from here by the layers above: re-exported (`name as name`).
from daryn_desktop.storage.failures import DatabaseDamaged as DatabaseDamaged
from daryn_desktop.storage.failures import DatabaseLocked as DatabaseLocked
from daryn_desktop.storage.failures import DatabaseUnavailable as DatabaseUnavailable
from daryn_desktop.storage.failures import KeyFileMismatch as KeyFileMismatch
from daryn_desktop.storage.failures import NotADatabase as NotADatabase
from daryn_desktop.storage.failures import NotDarynDatabase as NotDarynDatabase
from daryn_desktop.storage.failures import explain_failure as explain_failure
from daryn_desktop.storage.failures import is_file_failure as is_file_failure
from daryn_desktop.storage.keyring import (
    DEFAULT_KDF,
    SALT_BYTES,
    KdfParams,
    Keyring,
    keyring_path,
    load_keyring,
    save_keyring,
)
from daryn_desktop.storage.rows import from_row, to_row
from daryn_desktop.storage.schema import SYNCED_TABLES
from daryn_desktop.storage.writer import Writer


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

class DirectWriteRefused(sqlcipher3.DatabaseError):
    """A programming error: a synced table was written outside the write path."""


class Store:
    """An open database: the installation, the write path and the repositories."""

    def __init__(self, path: Path, db: Database, key: bytes):
        self.path = path
        self.db = db
        # Kept so that work on another thread can have a connection of its own (reopen).
        self._key = key
        self._optimize_on_close = True
        self._writing = False
        #: Called after every committed write transaction (see :meth:`on_change`).
        self._change_listeners: list[Callable[[frozenset[str] | None], None]] = []
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
        with self.failures_explained(), self.db.atomic():
            self.db.execute("INSERT OR REPLACE INTO local_state (key, value) VALUES (?, ?)",
                            [key, value])

    # -- writing ----------------------------------------------------------------------------
    def _authorize(self, action: int, arg1: str | None, arg2: str | None, db_name: str | None,
                   trigger: str | None) -> int:
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

    def on_change(self, listener: Callable[[frozenset[str] | None], None]) -> None:
        """Call ``listener(tables)`` after each write transaction commits (on the writing
        thread), so that a window can tell its views without asking the database again and
        again. ``tables`` are those the writer wrote, or None when it wrote none itself (a
        purge deletes rows directly): then anything may have changed."""
        self._change_listeners.append(listener)

    @contextmanager
    def transaction(self, author: str | None = None) -> Iterator[Writer]:
        """One atomic unit of work: everything written in the block commits or nothing does.

        The write lock is taken first (``BEGIN IMMEDIATE``, waiting for another program's
        write to finish); only then are the next sequence number and the clock read, so two
        programs writing to one database never give two changes the same number. A failure
        of the disk or the lock is raised as a message a person can act on.
        """
        if self._writing:
            raise RuntimeError("nested write transactions are not supported")
        hlc_before = self.clock.last
        self._writing = True
        try:
            with self.failures_explained(), self.db.atomic():
                seq = int(self.state("origin_seq") or 1)
                # Another program may have written since this connection last did.
                self.clock.observe(int(self.state("hlc") or 0))
                writer = Writer(self.db, site_id=self.site_id, author=author,
                                clock=self.clock, next_seq=seq)
                yield writer
                syncstate.save_clock(self.db, self.clock.last, writer.next_seq)
        except BaseException:
            self.clock.last = hlc_before
            raise
        finally:
            self._writing = False
        tables = frozenset(writer.tables) or None
        for listener in self._change_listeners:
            listener(tables)

    @contextmanager
    def failures_explained(self) -> Iterator[None]:
        """SQLite's and the file system's failures (full disk, read-only disk, a lock held
        by another program, damage) raised as messages instead of raw errors."""
        try:
            yield
        except (sqlcipher3.OperationalError, sqlcipher3.DatabaseError) as exc:
            if isinstance(exc, DirectWriteRefused) or not is_file_failure(exc):
                raise
            raise explain_failure(exc, self.path) from exc
        except OSError as exc:
            raise explain_os_error(exc) from exc

    # -- other threads ---------------------------------------------------------------------
    def reopen(self) -> Store:
        """Another connection to the same database, for work on another thread.

        A connection must be used by one thread only. The copy is already unlocked and
        migrated; close it when done (it is a context manager). It is for reading: the
        write path (:meth:`transaction`) keeps its clock and sequence on this connection.
        """
        other = Store(self.path, connect(self.path, self._key), self._key)
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
                # Only if nobody else is writing: ANALYZE needs the write lock, and waiting
                # the full busy timeout for it made a reading command (statistics, doctor)
                # take ten seconds more beside a long import. Next time will do.
                self.db.conn.execute("PRAGMA busy_timeout = 0")
                self.db.conn.execute("PRAGMA optimize")
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _migrate(path: Path, db: Database, key: bytes | None = None) -> list[str]:
    migrations.check_not_newer(db)
    pending = migrations.pending_names(db)
    if not pending:
        return []
    if migrations.applied_names(db):
        backup_file(path, path.parent / "backups", f"before-{pending[0]}", db, key)
    migrations.MIGRATIONS.apply(db)
    if migrations.VACUUM_AFTER & set(pending):
        db.execute("VACUUM")  # give back the space the old form took
    return pending


#: The name a new database is made under. It gets its own name only after its key file
#: exists, so an interrupted set-up never leaves a database without its key file.
CREATING_SUFFIX = ".creating"


def creating_path(path: Path) -> Path:
    return path.with_name(path.name + CREATING_SUFFIX)


def sqlite_files(path: Path) -> list[Path]:
    """The database file and the files SQLite keeps beside it."""
    return [path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))]


def _set_aside_unused_key_file(path: Path) -> None:
    """A key file without its database (a set-up interrupted before the database got its
    name, or a database moved elsewhere) is renamed, never overwritten or deleted."""
    ring = keyring_path(path)
    if ring.exists():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        ring.rename(ring.with_name(f"{ring.name}.unused-{stamp}-{secrets.token_hex(2)}"))


def create_store(path: str | os.PathLike[str], password: str, *, role: Role, region_kato: str,
                 name: str, district_kato: str | None = None,
                 kdf: KdfParams = DEFAULT_KDF) -> tuple[Store, str]:
    """Create a new encrypted database; returns it open and the recovery code to show once.

    The database is made under a temporary name and renamed last, after its key file was
    written: killed at any moment, this leaves both files or neither (at worst a key file
    alone, which the next set-up puts aside). Both are readable by their owner only.
    """
    path = Path(path)
    if path.exists():
        raise DatabaseExists(path=str(path))
    name = check_installation_name(name)
    ring, key, code = Keyring.create(password, kdf)
    tmp = creating_path(path)
    wrote_key = False
    try:
        private_dir(path.parent)
        if path.parent == app_paths().data:
            make_private(path.parent, PRIVATE_DIR)  # the program's own data folder
        _set_aside_unused_key_file(path)
        for leftover in sqlite_files(tmp):  # an interrupted set-up's: it never held data
            leftover.unlink(missing_ok=True)
        # Owner-only from the first byte; SQLite gives its -wal and -shm files the same mode.
        open_private(tmp, exclusive=True).close()
        db = connect(tmp, key)
        try:
            migrations.MIGRATIONS.apply(db)
            inst = Installation(role=role, region_kato=region_kato,
                                district_kato=district_kato, name=name,
                                created_at=datetime.now(timezone.utc).isoformat(
                                    timespec="seconds"))
            with db.atomic():
                db.table("installation").insert(to_row(inst))
        finally:
            db.conn.close()  # the last connection folds the -wal file into the database
        with open(tmp, "rb") as fh:
            salt = fh.read(SALT_BYTES)
        save_keyring(path, ring.with_salt(salt))
        wrote_key = True
        os.replace(tmp, path)
        sync_folder(path.parent)
    except BaseException as exc:
        for leftover in sqlite_files(tmp):
            leftover.unlink(missing_ok=True)
        if wrote_key and not path.exists():
            keyring_path(path).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise explain_os_error(exc) from exc
        if isinstance(exc, sqlcipher3.Error) and is_file_failure(exc):
            raise explain_failure(exc, path) from exc
        raise
    return Store(path, connect(path, key, salt), key), code


def orphan_database(path: Path) -> bool:
    """Whether ``path`` is a database without its key file: left by a set-up of an earlier
    version that was interrupted (its key file was written last), or whose key file was
    lost. Nobody can open it."""
    return path.is_file() and not keyring_path(path).exists()


def set_aside_orphan(path: Path) -> Path:
    """Move a database without its key file (and SQLite's files beside it) into the
    ``backups`` folder, out of the way of a new set-up; returns where it went. It is kept,
    not deleted, in case its key file turns up after all."""
    folder = private_dir(path.parent / "backups")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{stamp}-without-key-file{path.suffix}"
    for source in sqlite_files(path):
        if source.exists():
            os.replace(source, Path(str(target) + str(source)[len(str(path)):]))
    return target


def _tighten(path: Path) -> None:
    """Owner-only modes for a database made by an earlier version (POSIX; best effort)."""
    for file in (*sqlite_files(path), keyring_path(path)):
        if file.exists():
            make_private(file)


def open_store(path: str | os.PathLike[str], *, password: str | None = None,
               recovery_code: str | None = None, key: bytes | None = None,
               ring: Keyring | None = None) -> Store:
    """Open (and if needed migrate) an existing database with its password or recovery code.

    A ``key`` already unwrapped from the database's key ``ring`` (the key derivation done
    elsewhere, e.g. on another thread) may be given with that ring instead.
    """
    path = Path(path)
    if not path.exists():
        raise DatabaseMissing(path=str(path))
    if key is None:
        ring = load_keyring(path)
        key = ring.recover(recovery_code) if recovery_code is not None else ring.unlock(
            password or "")
    db = connect(path, key, ring.salt if ring else None)
    try:
        _migrate(path, db, key)
    except BaseException as exc:
        db.conn.close()
        if isinstance(exc, OSError) or (isinstance(exc, sqlcipher3.Error)
                                        and is_file_failure(exc)):
            raise explain_failure(exc, path) from exc
        raise
    if ring is not None and ring.salt is None:
        _note_salt(path, ring)
    _tighten(path)
    return Store(path, db, key)


def _note_salt(path: Path, ring: Keyring) -> None:
    """Remember the file's salt in a key ring made before salts were noted (best effort: a
    read-only disk still opens)."""
    try:
        with open(path, "rb") as fh:
            salt = fh.read(SALT_BYTES)
        if len(salt) == SALT_BYTES:
            save_keyring(path, ring.with_salt(salt))
    except OSError:
        pass


def change_password(path: str | os.PathLike[str], new_password: str, *,
                    old_password: str | None = None, recovery_code: str | None = None,
                    kdf: KdfParams = DEFAULT_KDF) -> None:
    """Re-wrap the database key under a new password (proved by the old one or the code)."""
    path = Path(path)
    if not path.exists():
        raise DatabaseMissing(path=str(path))
    ring = load_keyring(path)
    key = ring.recover(recovery_code) if recovery_code is not None else ring.unlock(
        old_password or "")
    try:
        save_keyring(path, ring.with_password(key, new_password, kdf))
    except OSError as exc:
        raise explain_os_error(exc, keyring_path(path)) from exc


def is_sqlite_error(exc: BaseException) -> bool:
    return isinstance(exc, (sqlcipher3.Error, sqlite3.Error))
