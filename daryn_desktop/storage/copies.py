"""Consistent copies of the open database: online backup, a read-only look, copies kept."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import sqlcipher3
from sqlite_utils import Database

from daryn_desktop.core.progress import Cancelled, CancelToken
from daryn_desktop.files import make_private, private_dir
from daryn_desktop.storage.connection import as_sqlite
from daryn_desktop.storage.failures import NotADatabase
from daryn_desktop.storage.keyring import keyring_path

#: How many backups made before migrations are kept.
KEEP_BACKUPS = 5
#: Pages copied per step of an online backup (about 1.5 MB): progress and Cancel between.
BACKUP_PAGES_PER_STEP = 400
#: SQLCipher keeps a file's salt in its first bytes.
_SALT_BYTES = 16


def copy_database(db: Database, key: bytes, target: Path, *, source: Path | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  cancel: CancelToken | None = None) -> None:
    """A consistent copy of the open database ``db`` in the new file ``target``, encrypted
    with the same key, made while the program keeps working (SQLite's online backup, never
    a copy of a live file). With the ``source`` file the copy gets its salt too, so that the
    key file's note of the salt fits the copy. ``progress(done, total)`` is told the pages
    copied; ``cancel`` stops the copy (:class:`Cancelled`; the caller removes the unfinished
    file). The copy keeps a rollback journal: one file that opens read-only on a stick.
    """
    raw = key.hex()
    if source is not None:
        with open(source, "rb") as fh:  # written once, when the file was made
            raw += fh.read(_SALT_BYTES).hex()
    dest = sqlcipher3.connect(str(target), check_same_thread=False)
    try:
        dest.execute(f"PRAGMA key = \"x'{raw}'\"")

        def step(_status: int, remaining: int, total: int) -> None:
            if cancel is not None and cancel.cancelled:
                raise Cancelled()
            if progress is not None:
                progress(total - remaining, total)

        db.conn.backup(as_sqlite(dest), pages=BACKUP_PAGES_PER_STEP, progress=step)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()


def open_copy(path: Path, key: bytes) -> Database:
    """Open a copy made by :func:`copy_database` read-only (to check it; nothing is written)."""
    conn = sqlcipher3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                              check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")  # a damaged copy is told, not logged
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise NotADatabase(path=str(path)) from exc
    return Database(as_sqlite(conn), execute_plugins=False)


def backup_file(path: Path, backups_dir: Path, label: str, db: Database | None = None,
                key: bytes | None = None) -> Path:
    """Copy the encrypted file and its key ring into ``backups_dir``; keep the newest few.

    With the open ``db`` and its ``key`` the copy is made by SQLite's online backup
    (:func:`copy_database`); a file nobody has open is copied as it is.
    """
    private_dir(backups_dir)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = backups_dir / f"{path.stem}-{stamp}-{label}{path.suffix}"
    try:
        if db is not None and key is not None:
            copy_database(db, key, target, source=path)
        else:
            if db is not None:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copy2(path, target)
        make_private(target)
        shutil.copy2(keyring_path(path), keyring_path(target))
        make_private(keyring_path(target))
    except BaseException:
        for copy in (target, keyring_path(target)):
            copy.unlink(missing_ok=True)
        raise
    olds = sorted(backups_dir.glob(f"{path.stem}-*{path.suffix}"))
    for old in olds[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
        keyring_path(old).unlink(missing_ok=True)
    return target
