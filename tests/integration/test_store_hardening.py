"""The database under stress: read-only and full disks, two writers, interrupted set-ups,
key files that belong elsewhere, and who may read the files."""

from __future__ import annotations

import errno
import multiprocessing
import os
import shutil
import sqlite3
import stat
import threading

import pytest
import sqlcipher3

from daryn_desktop.core.enums import Role
from daryn_desktop.files import DiskFull, NoPermission, ReadOnlyDisk, ReadOnlyFile
from daryn_desktop.storage import connection, copies, database, failures
from daryn_desktop.storage.database import (
    DatabaseDamaged,
    DatabaseExists,
    DatabaseLocked,
    KeyFileMismatch,
    NotADatabase,
    NotDarynDatabase,
    create_store,
    creating_path,
    open_store,
)
from daryn_desktop.storage.keyring import TEST_KDF, Keyring, keyring_path, load_keyring
from tests.conftest import AKTOBE, PASSWORD
from tests.filesystems import fill, set_read_only, small_disk
from tests.helpers import add_pupil, add_school


def _create(path, **kw):
    return create_store(path, PASSWORD, role=Role.DISTRICT, region_kato=AKTOBE,
                        district_kato="153200000", name="Тест", kdf=TEST_KDF, **kw)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# -- 2: failures told apart ----------------------------------------------------------------
def test_a_read_only_disk_is_reported_as_read_only_never_as_damage(tmp_path):
    with small_disk(tmp_path / "stick") as stick:
        store, _code = _create(stick / "daryn.db")
        add_school(store)
        store.close()
        set_read_only(stick)
        try:
            with pytest.raises(ReadOnlyDisk) as err:
                open_store(stick / "daryn.db", password=PASSWORD)
        finally:
            set_read_only(stick, False)
        text = err.value.translated()
        assert "read-only" in text and "not damaged" in text
        assert "backup" not in text.lower() and "damaged or" not in text
        open_store(stick / "daryn.db", password=PASSWORD).close()  # nothing was harmed


def test_a_full_disk_during_a_write_is_told_and_nothing_is_half_written(tmp_path):
    with small_disk(tmp_path / "small", "3m") as disk:
        store, _code = _create(disk / "daryn.db")
        school = add_school(store)
        fill(disk)
        with pytest.raises(DiskFull) as err, store.transaction() as writer:
            for n in range(3000):  # far more than the few bytes left
                writer.insert("pupils", {"surname": "Әбілқайыров" * 5, "given_name": str(n),
                                         "iin": f"{n:012d}", "school_id": school.id,
                                         "grade": 7, "notes": "ұ" * 400})
        assert "no space left" in err.value.translated()
        assert store.repos.pupils.count() == 0
        (disk / "filler").unlink()
        add_pupil(store, school, "Сейітова", "Айгерім")  # works again once there is room
        store.close()


def _sqlite_refuses(monkeypatch, statement: str, message: str) -> None:
    """SQLite's own refusal at ``statement``, as it comes when the operating system says no
    (which it never says to root, who runs these tests)."""
    real = sqlcipher3.connect

    class Refusing:
        def __init__(self, *args, **kwargs):
            self._conn = real(*args, **kwargs)

        def execute(self, sql, *args):
            if sql.startswith(statement):
                raise sqlcipher3.OperationalError(message)
            return self._conn.execute(sql, *args)

        def close(self):
            self._conn.close()

    monkeypatch.setattr(database.sqlcipher3, "connect", Refusing)


def test_a_read_only_file_is_told_as_such(tmp_path, monkeypatch):
    """The file is really marked read-only; SQLite's refusal is simulated (root writes)."""
    store, _code = _create(tmp_path / "daryn.db")
    store.close()
    os.chmod(tmp_path / "daryn.db", 0o444)
    _sqlite_refuses(monkeypatch, "PRAGMA journal_mode", "attempt to write a readonly database")
    with pytest.raises(ReadOnlyFile) as err:
        open_store(tmp_path / "daryn.db", password=PASSWORD)
    assert "marked read-only" in err.value.translated()


def test_a_missing_permission_is_told_as_such(tmp_path, monkeypatch):
    """Root has every permission: SQLite's refusal and the operating system's answer to the
    program's own try (a file beside the database) are simulated."""
    store, _code = _create(tmp_path / "daryn.db")
    store.close()

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "x"))

    _sqlite_refuses(monkeypatch, "SELECT count(*)", "unable to open database file")
    monkeypatch.setattr(failures.tempfile, "TemporaryFile", refuse)
    with pytest.raises(NoPermission) as err:
        open_store(tmp_path / "daryn.db", password=PASSWORD)
    assert "not allowed" in err.value.translated()


def test_another_databases_key_file_and_real_damage_are_told_apart(tmp_path):
    one, _ = _create(tmp_path / "one.db")
    two, _ = _create(tmp_path / "two.db")
    one.close()
    two.close()
    saved = keyring_path(one.path).read_bytes()
    shutil.copy(keyring_path(two.path), keyring_path(one.path))
    with pytest.raises(KeyFileMismatch) as err:
        open_store(one.path, password=PASSWORD)
    assert "belongs to another database" in err.value.translated()
    # The key file first: a backup is only for when the key file is the database's own.
    assert "own .keys file" in err.value.translated()
    keyring_path(one.path).write_bytes(saved)
    with open(one.path, "r+b") as fh:  # page 1 damaged after its salt
        fh.seek(100)
        fh.write(b"\xff" * 64)
    with pytest.raises(DatabaseDamaged) as err:
        open_store(one.path, password=PASSWORD)
    assert "damaged" in err.value.translated() and "backup" in err.value.translated()


def test_a_cut_short_file_and_a_plain_sqlite_file_have_their_own_messages(tmp_path):
    store, _ = _create(tmp_path / "daryn.db")
    store.close()
    data = store.path.read_bytes()
    store.path.write_bytes(data[:5000])
    with pytest.raises(DatabaseDamaged):
        open_store(store.path, password=PASSWORD)
    store.path.unlink()
    plain = sqlite3.connect(store.path)
    plain.execute("CREATE TABLE t (a)")
    plain.commit()
    plain.close()
    with pytest.raises(NotDarynDatabase):
        open_store(store.path, password=PASSWORD)


def test_a_key_file_from_before_salts_learns_its_salt_at_the_next_open(tmp_path):
    store, _ = _create(tmp_path / "daryn.db")
    store.close()
    ring = load_keyring(store.path)
    old = Keyring(ring.key_id, ring.password_wrap, ring.recovery_wrap)
    keyring_path(store.path).write_text(old.to_json(), encoding="utf-8")
    other, _ = _create(tmp_path / "other.db")
    other.close()
    old_other = load_keyring(other.path)
    keyring_path(other.path).write_text(
        Keyring(old_other.key_id, old_other.password_wrap, old_other.recovery_wrap).to_json(),
        encoding="utf-8")
    shutil.copy(keyring_path(other.path), keyring_path(store.path))
    with pytest.raises(NotADatabase) as err:  # no salt noted: cannot tell, says both
        open_store(store.path, password=PASSWORD)
    assert type(err.value) is NotADatabase and "may be sound" in err.value.translated()
    keyring_path(store.path).write_text(old.to_json(), encoding="utf-8")
    open_store(store.path, password=PASSWORD).close()
    assert load_keyring(store.path).salt == store.path.read_bytes()[:16]


# -- 3: two writers --------------------------------------------------------------------------
def test_a_second_writer_waits_for_the_first_and_both_keep_their_work(store):
    school = add_school(store)
    other = open_store(store.path, password=PASSWORD)
    first_writing, second_done, errors = threading.Event(), threading.Event(), []

    def second() -> None:
        first_writing.wait()
        try:
            add_pupil(other, school, "Сейітова", "Айгерім", serial=2)
        except Exception as exc:  # reported below
            errors.append(exc)
        second_done.set()

    thread = threading.Thread(target=second)
    thread.start()
    with store.transaction() as writer:
        writer.insert("pupils", {"surname": "Әбілқайыров", "given_name": "Ұлықбек",
                                 "iin": "120315600016", "school_id": school.id, "grade": 7})
        first_writing.set()
        assert not second_done.wait(0.5)  # the second program waits for the lock
    thread.join(10)
    assert not errors, errors
    rows = store.db.execute("SELECT origin_seq FROM changes ORDER BY origin_seq").fetchall()
    assert [r[0] for r in rows] == [1, 2, 3]  # the school, then one pupil each
    assert store.repos.pupils.count() == 2
    other.close()


def test_a_writer_that_waited_too_long_gets_a_clear_message(store, monkeypatch):
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    other = open_store(store.path, password=PASSWORD)
    with store.transaction(), pytest.raises(DatabaseLocked) as err:
        add_school(other)
    assert "another program" in err.value.translated()
    assert other.repos.schools.count() == 0
    add_school(other)  # free again
    other.close()


def test_a_reader_closes_at_once_while_another_program_writes(store):
    """Closing runs PRAGMA optimize, which may want the write lock: it must not wait the
    busy timeout for it (a statistics command beside a long import took ten seconds more)."""
    import threading

    reader = open_store(store.path, password=PASSWORD)
    reader.repos.schools.count()
    closed = threading.Event()
    store.db.conn.execute("BEGIN IMMEDIATE")  # the other program's write lock, held
    try:
        threading.Thread(target=lambda: (reader.close(), closed.set()), daemon=True).start()
        # Well under the 10-second busy timeout it would otherwise wait.
        assert closed.wait(connection.BUSY_TIMEOUT_MS / 2000)
    finally:
        store.db.conn.execute("ROLLBACK")


def _add_pupils(path: str, first: int, count: int) -> None:
    store = open_store(path, password=PASSWORD)
    school = store.repos.schools.all()[0]
    for n in range(first, first + count):
        add_pupil(store, school, "Оқушы", f"№{n}", serial=n)
    store.close()


def test_two_programs_writing_at_once_both_succeed(store):
    add_school(store)
    path = str(store.path)
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_add_pupils, args=(path, first, 25))
               for first in (1, 200)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert store.repos.pupils.count() == 50
    seqs = [r[0] for r in store.db.execute("SELECT origin_seq FROM changes ORDER BY 1")]
    assert seqs == list(range(1, 52))


# -- 5: an interrupted set-up leaves both files or neither -----------------------------------
def _interrupted_create(path: str, where: str) -> None:
    """Set up a database, killed at ``where`` (no clean-up runs: like kill -9)."""
    def die(*args, **kwargs):
        os._exit(9)

    if where == "file appears":
        real = database.open_private

        def after_creating(*args, **kwargs):
            real(*args, **kwargs).close()
            os._exit(9)

        database.open_private = after_creating
    elif where == "before the key file":
        database.save_keyring = die
    elif where == "before the rename":
        database.os.replace = die
    _create(database.Path(path))


@pytest.mark.parametrize("where", ["file appears", "before the key file", "before the rename"])
def test_a_set_up_killed_midway_never_leaves_a_database_without_its_key_file(tmp_path, where):
    path = tmp_path / "daryn.db"
    worker = multiprocessing.get_context("fork").Process(
        target=_interrupted_create, args=(str(path), where))
    worker.start()
    worker.join(60)
    assert worker.exitcode == 9
    assert not path.exists()  # never a database without its key file
    store, _code = _create(path)  # and the set-up can simply run again
    assert store.installation.name == "Тест"
    assert not creating_path(path).exists()
    store.close()
    open_store(path, password=PASSWORD).close()


def test_an_existing_database_is_still_never_overwritten(store):
    with pytest.raises(DatabaseExists):
        _create(store.path)


# -- 6: owner-only files ---------------------------------------------------------------------
@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions (Windows: the user profile)")
def test_the_database_its_key_file_backups_and_folder_are_owner_only(tmp_path):
    old = os.umask(0o022)  # the usual umask, which would give 0644 and 0755
    try:
        data = tmp_path / "data"
        store, _code = _create(data / "daryn.db")
        add_school(store)
        backup = copies.backup_file(store.path, data / "backups", "test", store.db)
        store.close()
    finally:
        os.umask(old)
    assert _mode(data) == 0o700
    assert _mode(data / "backups") == 0o700
    for path in (data / "daryn.db", keyring_path(data / "daryn.db"), backup,
                 keyring_path(backup)):
        assert _mode(path) == 0o600, path


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions (Windows: the user profile)")
def test_a_database_of_an_earlier_version_is_made_owner_only_when_opened(store):
    store.close()
    for path in (store.path, keyring_path(store.path)):
        os.chmod(path, 0o644)
    open_store(store.path, password=PASSWORD).close()
    assert _mode(store.path) == 0o600 and _mode(keyring_path(store.path)) == 0o600
