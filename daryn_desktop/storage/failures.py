"""Why the database cannot be used, told apart: a read-only file, folder or disk, a missing
permission, a full disk, a lock held by another program, a key file of another database, a
file that is not a Daryn database, and real damage. Only real damage suggests a backup."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import suppress
from pathlib import Path

from daryn_desktop.errors import UserError
from daryn_desktop.files import (
    DiskFull,
    ReadOnlyDisk,
    ReadOnlyFile,
    explain_os_error,
    is_readonly_mount,
)
from daryn_desktop.i18n import N_
from daryn_desktop.storage.keyring import SALT_BYTES


class NotADatabase(UserError):
    message = N_("{path} cannot be opened: the key file beside it does not open it.")
    hint = N_("Check that the .keys file beside it is the one that belongs to this database"
              " (they are copied together). Do not replace the database with an older copy"
              " before that is checked: the file itself may be sound.")


class KeyFileMismatch(NotADatabase):
    message = N_("The key file beside {path} belongs to another database, so this one cannot"
                 " be opened.")
    hint = N_("Put this database's own .keys file beside it (every backup keeps the two"
              " together). If the key file is its own, the database file itself is damaged:"
              " put back a backup.")


class DatabaseDamaged(NotADatabase):
    message = N_("{path} is damaged: its key file belongs to it, but its contents cannot be"
                 " read.")
    hint = N_("Keep the damaged file, and restore the database and its .keys file from the"
              " newest backup (the “backups” folder beside it).")


class NotDarynDatabase(NotADatabase):
    message = N_("{path} is not a Daryn Desktop database (it is not encrypted).")
    hint = N_("Choose the daryn.db file of your installation.")


class DatabaseLocked(UserError):
    message = N_("The database {path} is busy: another program (Daryn Desktop or a “daryn”"
                 " command) is writing to it.")
    hint = N_("Wait until the other program has finished, or close it, and try again."
              " Nothing was changed.")


class DatabaseUnavailable(UserError):
    message = N_("The database could not be used: {reason}.")
    hint = N_("Close other copies of Daryn Desktop and check that the disk is not full.")


#: SQLite's result codes (``sqlite_errorname``'s prefix) that say something about the file
#: rather than about the program: these are told to a person.
_FILE_CODES = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_READONLY",
               "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_IOERR", "SQLITE_NOTADB",
               "SQLITE_CORRUPT", "SQLITE_AUTH")
_WRITE_CODES = ("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM",
                "SQLITE_IOERR")
#: The first bytes of an SQLite file that is not encrypted.
_PLAIN_SQLITE = b"SQLite format 3\x00"


def _code(exc: BaseException) -> str:
    name = getattr(exc, "sqlite_errorname", None) or ""
    if name:
        return name
    text = str(exc).lower()  # an older driver without result codes: go by the message
    for needle, code in (("locked", "SQLITE_BUSY"), ("disk is full", "SQLITE_FULL"),
                         ("readonly", "SQLITE_READONLY"), ("unable to open", "SQLITE_CANTOPEN"),
                         ("not a database", "SQLITE_NOTADB"), ("malformed", "SQLITE_CORRUPT"),
                         ("disk i/o", "SQLITE_IOERR")):
        if needle in text:
            return code
    return ""


def is_file_failure(exc: BaseException) -> bool:
    return _code(exc).startswith(_FILE_CODES)


def is_write_failure(exc: BaseException) -> bool:
    """Whether SQLite could not write a file (full, read-only, gone): when a copy is made,
    the copy's fault, not the database's it was read from."""
    return _code(exc).startswith(_WRITE_CODES)


def explain_failure(exc: BaseException, path: Path, *, salt: bytes | None = None) -> UserError:
    """What a failure to use the database at ``path`` means for a person.

    Read-only file, folder or disk, missing permission, a full disk, a lock held by another
    program, a key file that belongs to another database and real damage each get their own
    message, so that nobody restores an old backup over a good database because a stick was
    write-protected. ``salt``: see :func:`~daryn_desktop.storage.connection.connect`.
    """
    if isinstance(exc, UserError):
        return exc
    if isinstance(exc, OSError):
        return explain_os_error(exc, path)
    code = _code(exc)
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return DatabaseLocked(path=str(path))
    if code.startswith("SQLITE_FULL"):
        return DiskFull(path=str(path))
    if code.startswith("SQLITE_NOTADB"):
        return _unreadable(path, salt)
    if code.startswith("SQLITE_CORRUPT"):
        return DatabaseDamaged(path=str(path))
    if code.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_IOERR",
                        "SQLITE_AUTH")):
        found = _probe_writable(path)
        if found is not None:
            return found
    return DatabaseUnavailable(reason=str(exc))


def _unreadable(path: Path, salt: bytes | None) -> UserError:
    """A file the key does not open: another database's key file, or damage."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_PLAIN_SQLITE))
        size = path.stat().st_size
    except OSError as exc:
        return explain_os_error(exc, path)
    if head == _PLAIN_SQLITE:
        return NotDarynDatabase(path=str(path))
    if size < 1024 or size % 1024:
        return DatabaseDamaged(path=str(path))  # cut short: pages are whole kibibytes
    if salt is None:
        return NotADatabase(path=str(path))  # a key file from before salts were noted
    if head[:SALT_BYTES] == salt:
        return DatabaseDamaged(path=str(path))
    return KeyFileMismatch(path=str(path))


def _probe_writable(path: Path) -> UserError | None:
    """Why the database (its file or its folder, where SQLite keeps the -wal and -shm files)
    cannot be written, found by looking and trying; None if nothing is wrong there."""
    folder = path.parent
    if is_readonly_mount(path):
        return ReadOnlyDisk(path=str(path))
    for target in (path, folder):
        if target.exists() and not os.stat(target).st_mode & 0o200:
            return ReadOnlyFile(path=str(target))
    try:
        if path.exists():
            with open(path, "r+b"):
                pass
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return explain_os_error(exc, exc.filename or folder)
    with suppress(OSError):
        if shutil.disk_usage(folder).free < 1024 * 1024:
            return DiskFull(path=str(path))
    return None
