"""Files the program writes: owner-only permissions, atomic replacement, and OS errors told
as messages a person can act on (a full disk, a write-protected stick, a missing right)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_

#: Owner-only modes on POSIX: the database, its key file, key backups, escrow sheets and
#: bundles hold secrets or personal data. (On Windows the data lives in the user's profile,
#: whose folder is already private; these modes are ignored there.)
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
#: The suffix of a file being written; renamed to its name only once complete.
PART_SUFFIX = ".part"


class DiskFull(UserError):
    message = N_("There is no space left on the disk for {path}.")
    hint = N_("Free some space on that disk (or choose another one) and try again; nothing"
              " was half-written.")


class ReadOnlyDisk(UserError):
    message = N_("{path} is on a read-only disk (for example a write-protected stick or a"
                 " CD).")
    hint = N_("Use a writable disk, or switch off the stick's write protection, and try"
              " again. The file itself is not damaged.")


class ReadOnlyFile(UserError):
    message = N_("{path} is marked read-only.")
    hint = N_("Clear the “read-only” mark in the file's properties, or copy it to a"
              " writable folder. The file itself is not damaged.")


class NoPermission(UserError):
    message = N_("This user account is not allowed to change {path}.")
    hint = N_("Ask whoever manages this PC for access, or keep the data in a folder of your"
              " own profile. The file itself is not damaged.")


class NameTooLong(UserError):
    message = N_("The file name is too long for this disk: {name}")
    hint = N_("Give the file a shorter name and try again.")


class FileFailed(UserError):
    message = N_("{path} could not be used: {reason}.")
    hint = N_("Check the disk and try again.")


def is_readonly_mount(path: Path) -> bool:
    """Whether the file system holding ``path`` (or its nearest existing parent) is mounted
    read-only (always False where the system cannot tell, e.g. Windows)."""
    probe = Path(path)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:
        return False
    try:
        return bool(statvfs(probe).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _marked_readonly(path: Path) -> bool:
    try:
        return not (path.stat().st_mode & stat.S_IWUSR)
    except OSError:
        return False


def explain_os_error(exc: OSError, path: str | os.PathLike[str] | None = None) -> UserError:
    """The message for a failed file operation: what went wrong and what to do."""
    where = Path(path if path is not None else (exc.filename or ""))
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DiskFull(path=str(where))
    denied = code in (errno.EACCES, errno.EPERM)
    if code == errno.EROFS or (denied and is_readonly_mount(where)):
        return ReadOnlyDisk(path=str(where))
    if denied:
        if _marked_readonly(where) or (not where.exists() and _marked_readonly(where.parent)):
            return ReadOnlyFile(path=str(where))
        return NoPermission(path=str(where))
    if code == errno.ENAMETOOLONG:
        return NameTooLong(name=where.name)
    return FileFailed(path=str(where), reason=exc.strerror or str(exc))


def private_dir(path: str | os.PathLike[str]) -> Path:
    """``path`` as a folder, made owner-only if this call creates it (parents included)."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    for made in missing:
        # mkdir's mode is filtered by the umask (and not applied to parents): set it exactly.
        _chmod(made, PRIVATE_DIR)
    return path


def make_private(path: str | os.PathLike[str], mode: int = PRIVATE_FILE) -> None:
    """Restrict an existing file (or, with PRIVATE_DIR, a folder) to its owner (POSIX)."""
    _chmod(Path(path), mode)


def _chmod(path: Path, mode: int) -> None:
    if os.name == "posix":
        # A stick's FAT file system has no owners (nothing to restrict), and a file of
        # another account cannot be changed: neither is an error.
        with suppress(OSError):
            os.chmod(path, mode)


def open_private(path: str | os.PathLike[str], *, exclusive: bool = False) -> BinaryIO:
    """A new file for writing, owner-only from its first byte (never readable by others in
    between, as a chmod after writing would leave it)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, PRIVATE_FILE)
    try:
        _fchmod(fd)
        return os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise


def _fchmod(fd: int) -> None:
    if os.name == "posix":
        with suppress(OSError):
            os.fchmod(fd, PRIVATE_FILE)


def write_atomic(path: str | os.PathLike[str], data: bytes | Iterable[bytes]) -> Path:
    """Write ``data`` under a temporary name, flush it to the device, then rename it: a
    reader (or a stick pulled out too early) never sees half a file under the final name,
    and a failure (a full disk) leaves neither the file nor its temporary copy behind."""
    path = Path(path)
    private_dir(path.parent)
    tmp = path.with_name(path.name + PART_SUFFIX)
    try:
        with open_private(tmp) as fh:
            for chunk in ([data] if isinstance(data, (bytes, bytearray, memoryview)) else data):
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)
    return path


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no folder handles to flush)."""
    if hasattr(os, "O_DIRECTORY"):
        try:
            fd = os.open(folder, os.O_DIRECTORY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass  # some file systems (a stick's) cannot flush a folder: the rename is done
        finally:
            os.close(fd)
