"""The ``daryn`` command never shows a raw traceback: bad options, full and read-only
disks, a closed pipe, odd names; and the options and messages the README promises."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from daryn_desktop.cli.main import main
from daryn_desktop.storage.database import open_store
from daryn_desktop.storage.keyring import keyring_path
from tests.conftest import PASSWORD
from tests.filesystems import fill, set_read_only, small_disk
from tests.helpers import add_pupil, add_school
from tests.integration.sync.conftest import make_world

INIT = ["init", "--role", "district", "--region", "150000000", "--district", "153200000",
        "--name", "Алға аудандық білім бөлімі"]


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv("DARYN_PASSWORD", PASSWORD)
    monkeypatch.setenv("DARYN_LANG", "en")


def _refused(capsys, *args) -> str:
    """Run the command, which must end with exit code 1 and one line, no traceback."""
    assert main(list(args)) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith((".part", ".tmp", ".creating"))]


@pytest.fixture
def db(make_store):
    """A district's database (made with the tests' fast key derivation)."""
    store = make_store("daryn.db")
    store.close()
    return store.path


# -- 9: options and mistakes on the command line -------------------------------------------
def test_an_unknown_language_is_one_line_and_exit_code_1(capsys, tmp_path):
    err = _refused(capsys, "--lang", "xx", "--db", str(tmp_path / "x.db"), "doctor")
    assert "xx" in err and "--lang" in err


def test_a_negative_number_of_demo_pupils_is_refused_in_one_line(capsys, tmp_path):
    err = _refused(capsys, "--db", str(tmp_path / "demo.db"), "demo", "--pupils", "-5")
    assert "between 1 and" in err and "-5" in err
    assert not (tmp_path / "demo.db").exists()


def test_global_options_work_after_the_sub_command(db, capsys):
    store = open_store(db, password=PASSWORD)
    add_pupil(store, add_school(store), "Әбілқайыров", "Ұлықбек")
    store.close()
    assert main(["pupils", "list", "--db", str(db), "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert "Әбілқайыров" in out and "1 ученик" in out
    assert main(["doctor", "--data-dir", str(db.parent), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["path"] == str(db)


def test_output_into_a_closed_pipe_ends_quietly(db):
    store = open_store(db, password=PASSWORD)
    school = add_school(store)
    for n in range(300):
        add_pupil(store, school, "Оқушы", f"Нөмір{n}", serial=10 * n + 1)
    store.close()
    env = {**os.environ, "DARYN_PASSWORD": PASSWORD}
    proc = subprocess.Popen([sys.executable, "-m", "daryn_desktop", "--db", str(db), "pupils",
                             "list", "--limit", "1000", "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    assert proc.stdout.readline()  # like "| head -1": read a line, then go away
    proc.stdout.close()
    with proc.stderr:
        err = proc.stderr.read().decode()
    assert proc.wait(60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err and err == ""


def test_a_region_with_a_district_is_refused_and_nothing_is_made(capsys, tmp_path):
    path = tmp_path / "region.db"
    err = _refused(capsys, "--db", str(path), "init", "--role", "region", "--region",
                   "150000000", "--district", "153200000", "--name", "Ақтөбе")
    assert "--district" in err
    assert not path.exists() and not keyring_path(path).exists()


@pytest.mark.parametrize("name", ["", "   ", "Ә" * 10_000])
def test_an_empty_or_huge_installation_name_is_refused(capsys, tmp_path, name):
    path = tmp_path / "daryn.db"
    err = _refused(capsys, "--db", str(path), *INIT[:-1], name)
    assert "1 to 200 characters" in err
    assert not path.exists()


# -- 9: full and read-only disks -------------------------------------------------------------
def test_demo_on_a_full_disk_says_so_and_leaves_no_half_files(tmp_path, capsys):
    with small_disk(tmp_path / "small", "2m") as disk:
        err = _refused(capsys, "--db", str(disk / "daryn.db"), "demo", "--pupils", "3000")
        assert "no space left" in err
        assert _leftovers(disk) == []


def test_demo_data_never_goes_into_a_paired_or_a_real_database(paired, db, tmp_path, capsys):
    _region, district = paired
    err = _refused(capsys, "--db", str(district), "demo", "--pupils", "5")
    assert "paired with another installation" in err and "--db demo.db" in err
    with open_store(district, password=PASSWORD) as store:
        assert store.repos.pupils.count() == 1  # the district's one pupil, no more
    with open_store(db, password=PASSWORD) as store:  # unpaired, with a real pupil
        add_pupil(store, add_school(store), "Сейітова", "Айгерім")
    err = _refused(capsys, "--db", str(db), "demo", "--pupils", "5")
    assert "not demo data" in err
    # A demo database takes more demo data.
    demo = tmp_path / "demo.db"
    assert main(["--db", str(demo), "demo", "--pupils", "3"]) == 0
    assert main(["--db", str(demo), "demo", "--pupils", "2"]) == 0
    with open_store(demo, password=PASSWORD) as store:
        assert store.repos.pupils.count() == 5


@pytest.mark.parametrize("args", [
    ["stats", "--year", "1000-1001", "--json"],
    ["stats", "--as-of", "01.01.0001", "--json"],
    ["stats", "--out", ""],
    ["import", "template", "pupils", "--out", ""],
    ["events", "coming", "--days", "3000000"],
    ["events", "coming", "--days", "-5"],
    ["staff", "untrained", "--years", "3000"],
    ["roadmap", "due", "--month", "9999-12"],
    ["import", "template", "pupils", "--out", "t.csv"],
    ["support", "eligible", "--measure", "scholarship", "--out", "r.pdf"],
    ["support", "forum-list", "--out", "f.xlsx"],
    ["pupils", "list", "--out", "p.pdf"],
])
def test_values_out_of_any_sensible_range_are_one_line_not_a_traceback(db, capsys, args):
    _refused(capsys, "--db", str(db), *args)


def test_a_district_elsewhere_an_empty_school_and_an_unknown_order_are_refused(db, capsys):
    err = _refused(capsys, "--db", str(db), "stats", "--district", "751210000", "--json")
    assert "not a district of this installation's territory" in err
    err = _refused(capsys, "--db", str(db), "roadmap", "pdf", "--district", "999", "--out",
                   "r.pdf")
    assert "not a district's KATO code" in err
    _refused(capsys, "--db", str(db), "stats", "--school", "", "--json")
    err = _refused(capsys, "--db", str(db), "support", "scholarship-list", "--order", "nope",
                   "--out", "s.pdf")
    assert "“nope”" in err
    _refused(capsys, "--db", str(db), "restore", str(db.parent), "--yes")
    assert main(["--db", str(db), "import", "history"]) == 0
    assert "No import was made" in capsys.readouterr().out


def test_an_iin_written_in_groups_finds_the_pupil(db, capsys, tmp_path):
    from daryn_desktop.core.academic import AcademicYear
    from daryn_desktop.core.templates import Track
    from daryn_desktop.storage.roadmaps import RoadMaps

    with open_store(db, password=PASSWORD) as store:
        pupil = add_pupil(store, add_school(store), "Әбілқайыров", "Ұлықбек")
        RoadMaps(store).create(pupil.id, AcademicYear.containing(date.today()).label,
                               track=Track.OLYMPIAD)
    grouped = f"{pupil.iin[:4]} {pupil.iin[4:8]} {pupil.iin[8:]}"
    assert main(["--db", str(db), "roadmap", "pdf", "--pupil", grouped, "--out",
                 str(tmp_path / "r.pdf")]) == 0
    assert "Printed 1 road map" in capsys.readouterr().out


def test_passwd_on_a_full_disk_keeps_the_old_key_file(tmp_path, capsys, monkeypatch):
    with small_disk(tmp_path / "small", "3m") as disk:
        assert main(["--db", str(disk / "daryn.db"), *INIT]) == 0
        capsys.readouterr()
        before = keyring_path(disk / "daryn.db").read_bytes()
        fill(disk)
        monkeypatch.setenv("DARYN_NEW_PASSWORD", "a brand new secret")
        err = _refused(capsys, "--db", str(disk / "daryn.db"), "passwd")
        assert "no space left" in err
        assert keyring_path(disk / "daryn.db").read_bytes() == before
        assert _leftovers(disk) == []


def test_passwd_on_a_read_only_disk_says_read_only(tmp_path, capsys, monkeypatch):
    with small_disk(tmp_path / "stick") as stick:
        assert main(["--db", str(stick / "daryn.db"), *INIT]) == 0
        capsys.readouterr()
        set_read_only(stick)
        try:
            monkeypatch.setenv("DARYN_NEW_PASSWORD", "a brand new secret")
            err = _refused(capsys, "--db", str(stick / "daryn.db"), "passwd")
        finally:
            set_read_only(stick, False)
        assert "read-only disk" in err and "damaged" in err  # "… is not damaged"
        assert "not damaged" in err


@pytest.fixture
def paired(make_store):
    """A region and a district paired (their key cards trusted), the district with a pupil."""
    region, (district,) = make_world(make_store, 1)
    add_pupil(district, add_school(district), "Әбілқайыров", "Ұлықбек")
    for store in (region, district):
        store.close()
    return region.path, district.path


def test_sync_export_to_a_full_stick_says_so_and_leaves_no_part_file(paired, tmp_path, capsys):
    _region, district = paired
    with small_disk(tmp_path / "stick", "1m") as stick:
        fill(stick)
        err = _refused(capsys, "--db", str(district), "sync", "export", "--out", str(stick))
        assert "no space left" in err
        assert _leftovers(stick) == [] and not list(stick.glob("*.dsb"))


def test_sync_import_onto_a_full_disk_says_so_and_leaves_no_part_file(paired, tmp_path, capsys):
    region, district = paired
    assert main(["--db", str(district), "sync", "export", "--out", str(tmp_path)]) == 0
    (made,) = tmp_path.glob("*.dsb")
    with small_disk(tmp_path / "small", "3m") as disk:
        for file in (region, keyring_path(region)):
            (disk / file.name).write_bytes(file.read_bytes())
        fill(disk)
        capsys.readouterr()
        err = _refused(capsys, "--db", str(disk / region.name), "sync", "import", str(made))
        assert "no space left" in err
        assert _leftovers(disk) == []


def test_a_244_character_file_name_is_quarantined_and_the_next_file_imported(
        paired, tmp_path, capsys):
    region, district = paired
    assert main(["--db", str(district), "sync", "export", "--out", str(tmp_path)]) == 0
    (made,) = tmp_path.glob("*.dsb")
    odd = tmp_path / ("x" * 240 + ".dsb")  # 244 characters
    odd.write_bytes(b"junk" * 10)
    capsys.readouterr()
    assert main(["--db", str(region), "sync", "import", str(odd), str(made)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "refused" in captured.err
    assert "imported" in captured.out
    kept = list((region.parent / "sync" / "quarantine").glob("*.dsb"))
    assert len(kept) == 1 and kept[0].read_bytes() == odd.read_bytes()


# -- 12: details of the command line ---------------------------------------------------------
def test_pupils_list_says_when_it_shows_fewer_than_all(db, capsys):
    store = open_store(db, password=PASSWORD)
    school = add_school(store)
    for n in range(12):
        add_pupil(store, school, "Оқушы", f"Нөмір{n}", serial=10 * n + 1)
    store.close()
    assert main(["--db", str(db), "pupils", "list", "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "5 of 12 pupils shown; --limit 0 shows all" in out
    assert main(["--db", str(db), "pupils", "list", "--limit", "0"]) == 0
    out = capsys.readouterr().out
    assert out.count("Оқушы") == 12 and out.strip().endswith("12 of 12 pupils")
    with pytest.raises(SystemExit):
        main(["pupils", "list", "--help"])
    assert "0 shows all" in capsys.readouterr().out


def test_keys_backup_names_the_variable_it_reads(db, capsys, monkeypatch):
    with pytest.raises(SystemExit):
        main(["keys", "backup", "--help"])
    assert "DARYN_BACKUP_PASSPHRASE" in capsys.readouterr().out
    with open(os.devnull) as no_terminal:  # nobody to ask for the passphrase
        monkeypatch.setattr(sys, "stdin", no_terminal)
        err = _refused(capsys, "--db", str(db), "keys", "backup", "--out", str(db.parent / "k"))
    assert "DARYN_BACKUP_PASSPHRASE" in err


def test_control_characters_in_names_are_never_printed_raw(db, capsys):
    store = open_store(db, password=PASSWORD)
    pupil = add_pupil(store, add_school(store), "Әбілқайыров", "Ұлықбек")
    # A database written by an earlier version may still hold them.
    store._writing = True
    store.db.execute("UPDATE pupils SET surname = ? WHERE id = ?",
                     ["Ә\x1b[2J\x07\u202eвокы", pupil.id])
    store._writing = False
    store.close()
    assert main(["--db", str(db), "pupils", "list"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\u001b[2J\\u0007\\u202eвокы" in out
    assert main(["--db", str(db), "pupils", "list", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["surname"] == "Ә\x1b[2J\x07\u202eвокы"  # JSON keeps the value, escaped


def test_doctor_explains_a_database_without_its_key_file_and_moves_it_aside(db, capsys):
    keyring_path(db).unlink()  # as an interrupted set-up of an earlier version left it
    err = _refused(capsys, "--db", str(db), "doctor")
    assert "has no key file" in err and "--remove-orphan" in err
    assert main(["--db", str(db), "doctor", "--remove-orphan"]) == 0
    assert "moved to" in capsys.readouterr().out
    assert not db.exists() and len(list((db.parent / "backups").glob("*.db"))) == 1
    assert main(["--db", str(db), *INIT]) == 0  # set up again
    open_store(db, password=PASSWORD).close()


def test_a_key_file_given_as_the_database_is_refused_and_never_moved(db, capsys):
    keys = keyring_path(db)
    for command in (["doctor"], ["doctor", "--remove-orphan"], ["backup", "--out", "x"]):
        err = _refused(capsys, "--db", str(keys), *command)
        assert "is a key file, not a database" in err and str(db) in err
    assert keys.exists()
    assert main(["--db", str(db), "doctor"]) == 0  # the database still opens with it


def test_init_over_a_database_without_its_key_file_points_to_doctor(db, capsys):
    keyring_path(db).unlink()
    err = _refused(capsys, "--db", str(db), *INIT)
    assert "--remove-orphan" in err
