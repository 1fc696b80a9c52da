"""The ``daryn`` command end to end, on real encrypted files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from daryn_desktop.cli.main import main
from daryn_desktop.storage.database import open_store
from tests.conftest import PASSWORD
from tests.helpers import add_pupil, add_school


@pytest.fixture
def db(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DARYN_PASSWORD", PASSWORD)
    path = tmp_path / "district.db"
    assert main(["--lang", "en", "--db", str(path), "init", "--role", "district",
                 "--region", "150000000", "--district", "153200000",
                 "--name", "Алға аудандық білім бөлімі"]) == 0
    return path


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_init_creates_the_database_and_shows_the_recovery_code_once(db, capsys):
    out = capsys.readouterr().out
    assert "Recovery code" in out
    code = out.split("Recovery code", 1)[1].splitlines()[1].strip()
    store = open_store(db, recovery_code=code)
    assert store.installation.district_kato == "153200000"
    store.close()


def test_init_refuses_a_district_outside_the_region_and_writes_nothing(tmp_path, monkeypatch,
                                                                         capsys):
    monkeypatch.setenv("DARYN_PASSWORD", PASSWORD)
    path = tmp_path / "bad.db"
    code = main(["--lang", "en", "--db", str(path), "init", "--role", "district", "--region",
                 "150000000", "--district", "751110000", "--name", "x"])
    assert code == 1
    assert "does not belong to region" in capsys.readouterr().err
    assert not path.exists()


def test_pupils_list_finds_a_pupil_whatever_the_case(db, capsys):
    store = open_store(db, password=PASSWORD)
    school = add_school(store, "Қарабұлақ орта мектебі")
    add_pupil(store, school, "Әбілқайыров", "Ұлықбек")
    add_pupil(store, school, "Ёлкина", "Мария", serial=2)
    store.close()
    capsys.readouterr()
    for typed, surname in [("әбілқайыров", "Әбілқайыров"), ("ӘБІЛҚАЙЫРОВ", "Әбілқайыров"),
                           ("ұлық", "Әбілқайыров"), ("ёлкина", "Ёлкина"), ("ЕЛКИНА", "Ёлкина")]:
        assert main(["--db", str(db), "pupils", "list", "--search", typed, "--json"]) == 0
        found = _json(capsys)
        assert [p["surname"] for p in found] == [surname], typed
        assert found[0]["school"] == "Қарабұлақ орта мектебі"


def test_doctor_reports_a_healthy_database(db, capsys):
    capsys.readouterr()
    assert main(["--db", str(db), "doctor", "--json"]) == 0
    report = _json(capsys)
    assert report["healthy"] is True
    assert report["problems"] == []
    assert report["installation"]["role"] == "district"
    assert report["pending_migrations"] == []
    assert main(["--lang", "kk", "--db", str(db), "doctor"]) == 0
    assert "Алға ауданы" in capsys.readouterr().out


def test_wrong_password_is_one_translated_line_and_exit_1(db, capsys, monkeypatch):
    monkeypatch.setenv("DARYN_PASSWORD", "wrong password")
    capsys.readouterr()
    assert main(["--lang", "en", "--db", str(db), "pupils", "list"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "password is wrong" in err[0]
    assert main(["--lang", "ru", "--db", str(db), "pupils", "list"]) == 1
    assert "password is wrong" not in capsys.readouterr().err


def test_missing_database_is_reported_without_asking_for_a_password(tmp_path, capsys):
    assert main(["--lang", "en", "--db", str(tmp_path / "none.db"), "doctor"]) == 1
    assert "There is no database" in capsys.readouterr().err


def test_passwd_with_the_recovery_code(db, capsys, monkeypatch):
    out = capsys.readouterr().out
    code = out.split("Recovery code", 1)[1].splitlines()[1].strip()
    monkeypatch.setenv("DARYN_RECOVERY_CODE", code)
    monkeypatch.setenv("DARYN_NEW_PASSWORD", "after recovery 1")
    assert main(["--db", str(db), "passwd", "--recovery"]) == 0
    open_store(db, password="after recovery 1").close()


def test_python_dash_m_runs_the_same_command(db):
    done = subprocess.run([sys.executable, "-m", "daryn_desktop", "--lang", "en", "--db",
                           str(db), "pupils", "list", "--json"], capture_output=True,
                          text=True, env={"DARYN_PASSWORD": PASSWORD, "PATH": ""}, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
