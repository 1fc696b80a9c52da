"""``daryn roadmap`` end to end on a real encrypted file."""

from __future__ import annotations

import json
from datetime import date

import pytest
from pypdf import PdfReader

from daryn_desktop.cli.main import main
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.templates import Track
from daryn_desktop.storage.database import open_store
from daryn_desktop.storage.roadmaps import RoadMaps
from tests.conftest import PASSWORD
from tests.integration.reports.fixtures import activity, gifted_pupil

THIS_YEAR = AcademicYear.containing(date.today()).label


@pytest.fixture
def db(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DARYN_PASSWORD", PASSWORD)
    path = tmp_path / "district.db"
    assert main(["--lang", "en", "--db", str(path), "init", "--role", "district",
                 "--region", "150000000", "--district", "153200000", "--name", "Алға"]) == 0
    store = open_store(path, password=PASSWORD)
    school, pupil = gifted_pupil(store)
    maps = RoadMaps(store)
    road_map = maps.create(pupil.id, THIS_YEAR, track=Track.OLYMPIAD)
    maps.save(road_map.id, activities=[
        *maps.load(road_map.id).activities,
        activity(road_map.id, "Өткен іс", due_date=date.today().replace(day=1), due_quarter=None)])
    store.close()
    capsys.readouterr()
    return path, school, pupil


def test_pdf_of_one_pupil_by_iin(db, tmp_path, capsys):
    path, _school, pupil = db
    out = tmp_path / "one.pdf"
    assert main(["--lang", "en", "--db", str(path), "roadmap", "pdf", "--pupil", pupil.iin,
                 "--out", str(out)]) == 0
    assert "Printed 1 road map" in capsys.readouterr().out
    assert pupil.full_name in PdfReader(out).pages[0].extract_text()


def test_pdf_of_a_school_in_russian(db, tmp_path, capsys):
    path, school, _pupil = db
    out = tmp_path / "school.pdf"
    assert main(["--db", str(path), "--lang", "en", "roadmap", "pdf", "--school", school.id,
                 "--lang", "ru", "--year", THIS_YEAR, "--out", str(out)]) == 0
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert "Подготовка к олимпиаде" in text


def test_bad_input_gets_a_one_line_reason(db, tmp_path, capsys):
    path, school, pupil = db
    out = tmp_path / "x.pdf"
    assert main(["--lang", "en", "--db", str(path), "roadmap", "pdf", "--pupil", "000000000000",
                 "--out", str(out)]) == 1
    assert "No pupil has the id or IIN 000000000000" in capsys.readouterr().err
    assert main(["--lang", "en", "--db", str(path), "roadmap", "pdf", "--school", school.id,
                 "--year", "2025", "--out", str(out)]) == 1
    assert "is not an academic year" in capsys.readouterr().err
    assert main(["--lang", "en", "--db", str(path), "roadmap", "pdf", "--pupil", pupil.id,
                 "--year", "2001-2002", "--out", str(out)]) == 1
    assert "no road maps to print" in capsys.readouterr().err
    assert not out.exists()


def test_list_pdf_and_due_and_overdue(db, tmp_path, capsys):
    path, school, _pupil = db
    out = tmp_path / "list.pdf"
    assert main(["--lang", "en", "--db", str(path), "roadmap", "list-pdf", "--school", school.id,
                 "--out", str(out)]) == 0
    assert "Әбілқайыров" in PdfReader(out).pages[0].extract_text()
    capsys.readouterr()
    month = date.today().strftime("%Y-%m")
    assert main(["--lang", "en", "--db", str(path), "roadmap", "due", "--month", month,
                 "--json"]) == 0
    assert "Өткен іс" in [r["title"] for r in json.loads(capsys.readouterr().out)]
    assert main(["--lang", "en", "--db", str(path), "roadmap", "overdue"]) == 0
    assert "activit" in capsys.readouterr().out
    assert main(["--lang", "en", "--db", str(path), "roadmap", "due", "--month", "2025-13"]) == 1
    assert "is not a month" in capsys.readouterr().err
