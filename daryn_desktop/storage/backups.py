"""Backups a person makes (to a USB stick or another disk) and putting one back.

A backup is two files side by side, like the database itself: ``NAME.db``, a consistent copy
made by SQLite's online backup while the program runs (still encrypted with the database
key), and ``NAME.db.keys``, the key file that unwraps that key with the password or the
recovery code the database had at that moment. Both are written under temporary names,
checked (the copy opens with the key, SQLite's quick check passes, the installation is
there), flushed, and only then given their names: a backup that exists is a whole one.

Putting a backup back (:func:`restore_backup`) first proves that it opens with the password
or recovery code given, then sets the current database aside in ``backups/`` (it is never
deleted) and copies the backup into its place. Sync copes with a database that went back in
time: the region's next bundle brings back what it had acknowledged (``sync/rollback.py``).
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.errors import UserError
from daryn_desktop.files import (
    FileMissing,
    FolderMissing,
    IsAFolder,
    explain_os_error,
    make_private,
    os_reason,
)
from daryn_desktop.i18n import N_, _
from daryn_desktop.storage.copies import copy_database, open_copy
from daryn_desktop.storage.database import NotADatabase, Store, is_sqlite_error
from daryn_desktop.storage.failures import explain_failure, is_write_failure
from daryn_desktop.storage.keyring import keyring_path, load_keyring

if TYPE_CHECKING:
    from sqlite_utils import Database

#: The file name a backup gets when the caller names none (the GUI and CLI translate it).
DEFAULT_NAME = "daryn-backup"
_PARTIAL = ".partial"
MSG_DAMAGED = N_("its contents are damaged")


class BackupFailed(UserError):
    message = N_("The backup could not be written to {folder}: {reason}.")
    hint = N_("Check that the stick is plugged in, not full and not write-protected.")


class BackupDamaged(UserError):
    message = N_("{path} is not a usable backup: {reason}.")
    hint = N_("Choose another backup: the .db file with its .keys file beside it.")


class BackupKeysMissing(UserError):
    message = N_("The key file {path} of this backup is missing.")
    hint = N_("A backup is two files: copy the .keys file that was made with it beside it.")


class DatabaseInUse(UserError):
    message = N_("{path} is open in another program (Daryn Desktop or a daryn command).")
    hint = N_("Close it there and try again; nothing was changed.")


class RestoreFailed(UserError):
    message = N_("The backup could not be put back: {reason}. The database was left as it"
                 " was.")


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds, read from the backup itself after it was checked."""

    path: Path
    size: int
    installation: str
    role: str
    pupils: int
    road_maps: int
    #: When its newest change was written (UTC, ISO text), or None for an empty database.
    last_change: str | None

    @property
    def keys_path(self) -> Path:
        return keyring_path(self.path)


def backup_name(name: str = DEFAULT_NAME, when: datetime | None = None) -> str:
    """``NAME-YYYY-MM-DD_HH-MM-SS.db``: sortable, and valid on a FAT32 stick."""
    stamp = (when or datetime.now()).strftime("%Y-%m-%d_%H-%M-%S")
    return f"{name}-{stamp}.db"


def _sync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _last_change(db: Database) -> str | None:
    """When the newest change was written (UTC, ISO text), read from the log's own table: a
    copy is opened without the functions that the ``changes`` view needs."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "change_log" not in tables:  # a copy of a database from before the compact log
        newest: str | None = db.execute("SELECT max(at) FROM changes").fetchone()[0]
        return newest
    # Times are Unix seconds, or ISO text in rows converted from the older log.
    seconds = db.execute("SELECT max(CASE WHEN typeof(at) = 'integer' THEN at"
                         " ELSE CAST(strftime('%s', at) AS INTEGER) END) FROM change_log"
                         ).fetchone()[0]
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds")


def _facts(path: Path, key: bytes) -> BackupInfo:
    """Open a copy read-only, check it and read what it holds."""
    db = open_copy(path, key)
    try:
        check = db.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupDamaged(path=str(path), reason=_(MSG_DAMAGED))
        row = db.execute("SELECT name, role FROM installation").fetchone()
        if row is None:
            raise BackupDamaged(path=str(path), reason=_(MSG_DAMAGED))
        pupils = db.execute("SELECT count(*) FROM pupils").fetchone()[0]
        road_maps = db.execute("SELECT count(*) FROM road_maps").fetchone()[0]
        last = _last_change(db)
    except Exception as exc:
        if is_sqlite_error(exc):  # a page that fails its checksum, a cut file
            raise BackupDamaged(path=str(path), reason=_(MSG_DAMAGED)) from exc
        raise
    finally:
        db.conn.close()
    return BackupInfo(path=path, size=path.stat().st_size, installation=row[0], role=row[1],
                      pupils=pupils, road_maps=road_maps, last_change=last)


def make_backup(store: Store, folder: Path, *, name: str = DEFAULT_NAME,
                progress: Callable[[Progress], None] | None = None,
                cancel: CancelToken | None = None) -> BackupInfo:
    """Copy the open database and its key file into ``folder``, check the copy, name it.

    When the folder cannot take it (missing, full, write-protected, a stick taken out)
    nothing is left behind, and the error says so of the backup's file, not of the
    database being copied.
    """
    folder = Path(folder)
    target = folder / backup_name(name)
    partial = target.with_name(target.name + _PARTIAL)
    partial_keys = keyring_path(partial)
    made = [partial, partial_keys]
    try:
        if not folder.is_dir():
            raise FolderMissing(folder=str(folder))
        copy_database(store.db, store._key, partial, source=store.path, cancel=cancel,
                      progress=None if progress is None
                      else lambda done, total: progress(Progress(done, total)))
        shutil.copyfile(keyring_path(store.path), partial_keys)
        for path in made:
            make_private(path)  # owner-only where the disk knows owners (not a FAT stick)
            _sync_file(path)
        if load_keyring(partial) != load_keyring(store.path):
            raise BackupFailed(folder=str(folder), reason=_("the key file differs"))
        _facts(partial, store._key)
        # The key file first: a .db that exists always has its keys beside it.
        os.replace(partial_keys, keyring_path(target))
        made.append(keyring_path(target))
        os.replace(partial, target)
    except OSError as exc:
        _remove(made)
        raise explain_os_error(exc, target) from exc
    except BaseException as exc:
        _remove(made)
        if is_sqlite_error(exc) and is_write_failure(exc):
            raise explain_failure(exc, target) from exc
        raise
    return _facts(target, store._key)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        # A write-protected disk refuses even to remove what is not there: nothing to do.
        with suppress(OSError):
            path.unlink(missing_ok=True)


def inspect_backup(path: Path, *, password: str | None = None,
                   recovery_code: str | None = None) -> BackupInfo:
    """Prove that a backup opens with ``password`` (or ``recovery_code``) and read it.

    Nothing is written to the backup. Raises the key ring's errors for a wrong password,
    :class:`BackupKeysMissing` and :class:`BackupDamaged`.
    """
    path = Path(path)
    if path.is_dir():
        raise IsAFolder(path=str(path))
    if not path.is_file():
        raise FileMissing(path=str(path))
    if not keyring_path(path).is_file():
        raise BackupKeysMissing(path=str(keyring_path(path)))
    ring = load_keyring(path)
    key = ring.recover(recovery_code) if recovery_code is not None else ring.unlock(
        password or "")
    try:
        return _facts(path, key)
    except NotADatabase as exc:
        raise BackupDamaged(path=str(path), reason=exc.translated()) from exc


def _database_files(path: Path) -> list[Path]:
    return [path, keyring_path(path), Path(f"{path}-wal"), Path(f"{path}-shm")]


def restore_backup(backup: Path, target: Path, *, password: str | None = None,
                   recovery_code: str | None = None,
                   keep_dir: Path | None = None) -> Path | None:
    """Put ``backup`` (checked with the password or code) in the place of ``target``.

    The current database at ``target``, if any, is moved into ``keep_dir`` (``backups/``
    beside it by default) as ``before-restore-STAMP-NAME.db`` with its key file, and that
    path is returned; on any failure it is moved back and nothing changes.
    """
    backup, target = Path(backup), Path(target)
    if backup.resolve() == target.resolve():
        raise RestoreFailed(reason=str(backup))
    inspect_backup(backup, password=password, recovery_code=recovery_code)
    if in_use_elsewhere(target):
        # Its writes would go on into the file set aside, and be missing from the restored one.
        raise DatabaseInUse(path=str(target))
    keep_dir = keep_dir or target.parent / "backups"
    moved: list[tuple[Path, Path]] = []
    written: list[Path] = []
    kept: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            keep_dir.mkdir(parents=True, exist_ok=True)
            kept = _reserve_kept_name(keep_dir, target.name)
            written.append(kept)  # the empty placeholder, removed if nothing is moved onto it
            for src, dst in zip(_database_files(target), _database_files(kept)):
                if src.exists():
                    os.replace(src, dst)
                    moved.append((src, dst))
            written.remove(kept)  # the database is in it now
        for src, dst in ((keyring_path(backup), keyring_path(target)), (backup, target)):
            partial = dst.with_name(dst.name + _PARTIAL)
            written.append(partial)
            shutil.copyfile(src, partial)
            make_private(partial)
            _sync_file(partial)
            os.replace(partial, dst)
            written.append(dst)
    except OSError as exc:
        _remove(written)
        for src, dst in moved:
            os.replace(dst, src)
        raise RestoreFailed(reason=os_reason(exc)) from exc
    return kept if moved else None


def _reserve_kept_name(folder: Path, name: str) -> Path:
    """A name for the database set aside that no other file has, made (empty) at once: two
    restores at the same second each get their own, and neither replaces the other's.
    Not named like the copies made before migrations (``daryn-*.db``), which are rotated:
    this one is kept until a person removes it."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        suffix = "" if number == 1 else f"-{number}"
        candidate = folder / f"before-restore-{stamp}{suffix}-{name}"
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(folder))


#: SQLite's "dead man switch" byte in the -shm file: every connection to a database in WAL
#: mode holds a shared lock on it for as long as it is open (the same offset on Unix and
#: Windows).
_SHM_DMS_BYTE = 128


def in_use_elsewhere(path: Path) -> bool:
    """Whether another program has the database at ``path`` open: the byte every open
    connection holds shared cannot be locked exclusively then. A program that was killed
    holds nothing any more (its -shm file stays, unlocked)."""
    try:
        fd = os.open(f"{path}-shm", os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError:
        return False  # no shared memory file: nobody has the database open
    try:
        return not _lock_and_release(fd, _SHM_DMS_BYTE)
    finally:
        os.close(fd)


def _lock_and_release(fd: int, offset: int) -> bool:
    """Whether one byte at ``offset`` can be locked exclusively at once (then released)."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, offset, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            os.lseek(fd, offset, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset, os.SEEK_SET)
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, offset, os.SEEK_SET)
    except OSError:
        return False
    return True
