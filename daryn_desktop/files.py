"""Files the program writes: owner-only permissions, atomic replacement, and OS errors told
as messages a person can act on (a full disk, a write-protected stick, a missing right)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _

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


class FileInUse(UserError):
    message = N_("{path} is open in another program (a spreadsheet or a PDF viewer?).")
    hint = N_("Close it there, or choose another name, and try again.")


class DiskGone(UserError):
    message = N_("The disk holding {path} stopped answering (was the stick taken out?).")
    hint = N_("Put the stick back in (or check the disk) and try again; nothing was"
              " half-written.")


class FolderMissing(UserError):
    message = N_("The folder {folder} does not exist (or its disk was taken out).")
    hint = N_("Choose an existing folder, or put the stick back in, and try again.")


class FileMissing(UserError):
    message = N_("{path} was not found (or its disk was taken out).")
    hint = N_("Check the name and the disk, and try again.")


class IsAFolder(UserError):
    message = N_("{path} is a folder, not a file.")
    hint = N_("Choose a file name inside it (or another name) and try again.")


class NoFileName(UserError):
    message = N_("No file name was given.")
    hint = N_("Give the name of the file to write, for example list.xlsx.")


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


#: Windows' ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION.
_SHARING_VIOLATIONS = (32, 33)


def explain_os_error(exc: OSError, path: str | os.PathLike[str] | None = None) -> UserError:
    """The message for a failed file operation: what went wrong and what to do."""
    where = Path(path if path is not None else (exc.filename or ""))
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DiskFull(path=str(where))
    # Windows: a file another program holds open (Excel keeps its files locked).
    if getattr(exc, "winerror", None) in _SHARING_VIOLATIONS:
        return FileInUse(path=str(where))
    denied = code in (errno.EACCES, errno.EPERM)
    if code == errno.EROFS or (denied and is_readonly_mount(where)):
        return ReadOnlyDisk(path=str(where))
    if denied:
        if _marked_readonly(where) or (not where.exists() and _marked_readonly(where.parent)):
            return ReadOnlyFile(path=str(where))
        return NoPermission(path=str(where))
    if code == errno.ENAMETOOLONG:
        return NameTooLong(name=where.name)
    if code in (errno.EIO, errno.ENODEV, errno.ENXIO):
        return DiskGone(path=str(where))
    if code == errno.EISDIR:
        return IsAFolder(path=str(where))
    if code == errno.ENOENT:
        if where.parent != where and not where.parent.exists():
            return FolderMissing(folder=str(where.parent))
        return FileMissing(path=str(where))
    return FileFailed(path=str(where), reason=exc.strerror or str(exc))


_REASONS = {
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is write-protected"),
    errno.EACCES: N_("access is denied"),
    errno.EPERM: N_("access is denied"),
    errno.ENOENT: N_("the file or its folder is not there"),
    errno.EIO: N_("the disk stopped answering (was the stick taken out?)"),
    errno.ENODEV: N_("the disk stopped answering (was the stick taken out?)"),
    errno.ENXIO: N_("the disk stopped answering (was the stick taken out?)"),
    errno.ENAMETOOLONG: N_("the name is too long"),
    errno.EISDIR: N_("it is a folder, not a file"),
}


def os_reason(exc: OSError) -> str:
    """What went wrong, in a few words of the person's language, for a message that names
    the file itself ("… could not be read: {reason}")."""
    if getattr(exc, "winerror", None) in _SHARING_VIOLATIONS:
        return _("the file is open in another program")
    found = _REASONS.get(exc.errno or 0)
    return _(found) if found else (exc.strerror or str(exc))


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
    path = _named(path)
    private_dir(path.parent)
    tmp = path.with_name(path.name + PART_SUFFIX)
    try:
        with open_private(tmp) as fh:
            for chunk in ([data] if isinstance(data, (bytes, bytearray, memoryview)) else data):
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with suppress(OSError):  # a write-protected disk refuses even that: nothing to remove
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename in (None, str(tmp)):
            raise _naming(exc, path) from exc
        raise
    sync_folder(path.parent)
    return path


def _named(path: str | os.PathLike[str]) -> Path:
    """``path``, refused when it names no file ("" or a folder's trailing separator)."""
    found = Path(path)
    if not str(path).strip() or not found.name:
        raise NoFileName()
    return found


def _naming(exc: OSError, path: Path) -> OSError:
    """The same failure said of ``path``: a failed write names no file, and a failed open
    or rename names the temporary one; the person chose ``path``."""
    if os.name == "nt":
        return OSError(exc.errno, exc.strerror, str(path), getattr(exc, "winerror", None))
    return OSError(exc.errno, exc.strerror, str(path))


@contextmanager
def written_whole(path: str | os.PathLike[str]) -> Iterator[Path]:
    """The temporary name to write ``path`` under, for a library that writes to a file name
    (a PDF, a workbook): when the block ends without an error the file is flushed to the
    device and renamed to ``path``; otherwise it is removed, so that neither half a file
    nor its temporary copy is ever left. A failure of the disk (full, write-protected, a
    stick taken out, a missing folder) comes out as the message for ``path``
    (:func:`explain_os_error`), in the person's language."""
    path = _named(path)
    part = path.with_name(path.name + PART_SUFFIX)
    try:
        yield part
        with open(part, "rb+") as written:  # the library has closed it; flush what it wrote
            os.fsync(written.fileno())
        os.replace(part, path)
    except BaseException as exc:
        with suppress(OSError):
            part.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise explain_os_error(exc, path) from exc
        raise
    sync_folder(path.parent)


@contextmanager
def open_whole(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """:func:`written_whole` with the file open for writing, for a library that writes to a
    file object (reportlab): the file is closed here, and closed all the same when a write
    fails (closing flushes, which on a full disk fails once more, unheard)."""
    with written_whole(path) as part:
        out = open(part, "wb")  # noqa: SIM115 - closed below on every path
        try:
            yield out
        except BaseException:
            with suppress(OSError):
                out.close()
            raise
        out.close()


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
