"""Backups made while the program works, checked, and put back: storage and the CLI."""

from __future__ import annotations

import json
import os

import pytest

from daryn_desktop.cli.main import main
from daryn_desktop.core.progress import Cancelled, CancelToken
from daryn_desktop.files import DiskFull, FolderMissing, ReadOnlyDisk
from daryn_desktop.storage.backups import (
    BackupDamaged,
    BackupKeysMissing,
    DatabaseInUse,
    inspect_backup,
    make_backup,
    restore_backup,
)
from daryn_desktop.storage.database import open_store
from daryn_desktop.storage.keyring import WrongPassword, keyring_path
from tests.conftest import PASSWORD
from tests.filesystems import fill, set_read_only, small_disk
from tests.helpers import add_pupil, add_school


@pytest.fixture
def filled(store):
    school = add_school(store, "Қарабұлақ мектебі")
    add_pupil(store, school, "Әбілқайыров", "Ұлықбек", serial=1)
    return store


def _surnames(path, **secret):
    with open_store(path, **secret) as store:
        return [p.surname for p in store.repos.pupils.where("1", [], "sort_key")]


def test_a_backup_is_a_checked_copy_with_its_key_file(filled, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    info = make_backup(filled, stick)
    assert info.path.parent == stick and info.path.name.startswith("daryn-backup-")
    assert info.keys_path.read_bytes() == keyring_path(filled.path).read_bytes()
    assert (info.pupils, info.installation) == (1, "Тест")
    # Nothing half-written is left, and the copy is one self-contained file (no -wal).
    assert sorted(p.name for p in stick.iterdir()) == [info.path.name, info.keys_path.name]
    # The same salt as the database (the key file notes it) …
    assert info.path.read_bytes()[:16] == filled.path.read_bytes()[:16]
    # … and encrypted like the database: nothing readable without the password.
    assert b"SQLite format" not in info.path.read_bytes()[:100]
    assert "Әбілқайыров".encode() not in info.path.read_bytes()
    # It opens with the password the database has, and holds what was committed.
    assert inspect_backup(info.path, password=PASSWORD).pupils == 1
    assert _surnames(info.path, password=PASSWORD) == ["Әбілқайыров"]


def test_a_backup_made_while_writing_holds_every_committed_change(filled, tmp_path):
    school = filled.repos.schools.all()[0]
    add_pupil(filled, school, "Бекова", "Аружан", serial=2)  # in the WAL, not checkpointed
    info = make_backup(filled, tmp_path)
    assert info.pupils == 2


def test_a_backup_that_cannot_be_written_leaves_nothing(filled, tmp_path):
    with pytest.raises(FolderMissing):
        make_backup(filled, tmp_path / "no such stick")
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        make_backup(filled, tmp_path, cancel=cancel)
    assert [p.name for p in tmp_path.iterdir() if "backup" in p.name] == []


def test_a_full_or_write_protected_stick_is_told_of_the_backup_not_the_database(filled,
                                                                               tmp_path):
    with small_disk(tmp_path / "stick", "1m") as stick:
        fill(stick)
        with pytest.raises(DiskFull) as full:
            make_backup(filled, stick)
        assert full.value.params["path"].startswith(str(stick))  # not the database's disk
        assert [p.name for p in stick.iterdir()] == ["filler"]
        (stick / "filler").unlink()
        set_read_only(stick)
        try:
            with pytest.raises(ReadOnlyDisk) as protected:
                make_backup(filled, stick)
            assert protected.value.params["path"].startswith(str(stick))
        finally:
            set_read_only(stick, False)
        assert list(stick.iterdir()) == []
        assert make_backup(filled, stick).pupils == 1  # a good stick takes it


def test_a_backup_is_put_back_and_the_replaced_database_is_kept(filled, tmp_path):
    info = make_backup(filled, tmp_path)
    add_pupil(filled, filled.repos.schools.all()[0], "Бекова", "Аружан", serial=2)
    path = filled.path
    filled.close()
    with pytest.raises(WrongPassword):
        restore_backup(info.path, path, password="wrong password")
    assert _surnames(path, password=PASSWORD) == ["Әбілқайыров", "Бекова"]  # untouched
    kept = restore_backup(info.path, path, password=PASSWORD)
    assert _surnames(path, password=PASSWORD) == ["Әбілқайыров"]
    assert kept.parent == path.parent / "backups" and keyring_path(kept).exists()
    assert _surnames(kept, password=PASSWORD) == ["Әбілқайыров", "Бекова"]


def test_a_database_open_in_another_program_is_not_replaced(filled, tmp_path):
    """Its writes would go on into the file set aside: the restore waits for it to close."""
    import subprocess
    import sys

    info = make_backup(filled, tmp_path)
    path = filled.path
    filled.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\nfrom daryn_desktop.storage.database import open_store"
         f"\nstore = open_store({str(path)!r}, password={PASSWORD!r})\nprint('open', flush=True)"
         "\nsys.stdin.read()\nstore.close()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseInUse):
            restore_backup(info.path, path, password=PASSWORD)
        assert not (path.parent / "backups").exists()  # nothing was moved
    finally:
        holder.communicate("")
    assert restore_backup(info.path, path, password=PASSWORD) is not None  # closed: it goes


def test_two_restores_at_the_same_second_each_keep_what_they_replaced(filled, tmp_path,
                                                                      monkeypatch):
    from daryn_desktop.storage import backups

    first = make_backup(filled, tmp_path)
    add_pupil(filled, filled.repos.schools.all()[0], "Бекова", "Аружан", serial=2)
    path = filled.path
    filled.close()

    class Frozen(backups.datetime):  # type: ignore[misc]
        @classmethod
        def now(cls, tz=None):
            return backups.datetime(2026, 12, 3, 9, 20, 8, tzinfo=tz)

    monkeypatch.setattr(backups, "datetime", Frozen)
    kept_first = restore_backup(first.path, path, password=PASSWORD)
    kept_second = restore_backup(first.path, path, password=PASSWORD)
    assert kept_first != kept_second
    assert _surnames(kept_first, password=PASSWORD) == ["Әбілқайыров", "Бекова"]
    assert _surnames(kept_second, password=PASSWORD) == ["Әбілқайыров"]


def test_a_backup_without_its_key_file_or_damaged_is_refused(filled, tmp_path):
    info = make_backup(filled, tmp_path)
    keys = info.keys_path.read_bytes()
    info.keys_path.unlink()
    with pytest.raises(BackupKeysMissing):
        inspect_backup(info.path, password=PASSWORD)
    info.keys_path.write_bytes(keys)
    data = bytearray(info.path.read_bytes())
    data[5000:9000] = os.urandom(4000)
    info.path.write_bytes(bytes(data))
    with pytest.raises(BackupDamaged):
        inspect_backup(info.path, password=PASSWORD)


def test_the_backup_and_restore_commands(filled, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DARYN_PASSWORD", PASSWORD)
    db = str(filled.path)
    filled.close()
    stick = tmp_path / "stick"
    stick.mkdir()
    assert main(["--lang", "en", "--db", db, "backup", "--out", str(stick), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["pupils"] == 1 and made["file"].startswith(str(stick))
    assert main(["--lang", "en", "--db", db, "backup", "--out", str(stick)]) == 0
    assert "Backup written and checked (it opens)" in capsys.readouterr().out
    # Without --yes (and no one to ask) nothing is replaced.
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["--lang", "en", "--db", db, "restore", made["file"]]) == 1
    assert "pass --yes" in capsys.readouterr().err
    assert main(["--lang", "en", "--db", db, "restore", made["file"], "--yes", "--json"]) == 0
    restored = json.loads(capsys.readouterr().out)
    assert restored["restored_to"] == db and restored["set_aside"].endswith(".db")
    assert main(["--lang", "en", "--db", db, "restore", str(stick / "missing.db")]) == 1
    assert "missing.db was not found" in capsys.readouterr().err
