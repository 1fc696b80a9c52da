"""``daryn events``, ``daryn support`` and ``daryn staff`` end to end on a real encrypted file."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from daryn_desktop.cli.main import main
from daryn_desktop.core import entities as e
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import Award, FamilyCategory, StaffRole, SupportMeasure
from daryn_desktop.core.events import ResultLine
from daryn_desktop.core.staffdev import StaffTraining
from daryn_desktop.core.support import ScholarshipKind, SupportRecord
from daryn_desktop.storage.database import open_store
from daryn_desktop.storage.events import Events
from daryn_desktop.storage.staffdev import StaffDevelopment
from daryn_desktop.storage.support import Support
from tests.conftest import PASSWORD
from tests.helpers import add_pupil, add_school

YEAR = AcademicYear.containing(date.today()).label


def _run(path, *args) -> int:
    return main(["--lang", "en", "--db", str(path), *args])


@pytest.fixture
def db(tmp_path, monkeypatch, capsys):
    """A region with this year's rural olympiad and results at its regional stage."""
    monkeypatch.setenv("DARYN_PASSWORD", PASSWORD)
    path = tmp_path / "region.db"
    assert _run(path, "init", "--role", "region", "--region", "150000000",
                "--name", "Ақтөбе Дарын") == 0
    assert _run(path, "events", "new", "--template", "rural_olympiad", "--year", YEAR) == 0
    out = capsys.readouterr().out
    assert "with 4 stages" in out
    store = open_store(path, password=PASSWORD)
    events = Events(store)
    event = events.list_events(YEAR)[0].event
    school = add_school(store)
    teacher = store.repos.staff.add(e.Staff(surname="Әбенова", given_name="Сәуле",
                                            role=StaffRole.TEACHER, school_id=school.id))
    winner = add_pupil(store, school, "Мазан", "Нұрсұлу", serial=1)
    other = add_pupil(store, school, "Серікбаева", "Анар", serial=2)
    store.repos.categories.add(e.CategoryRecord(pupil_id=other.id,
                                                category=FamilyCategory.LARGE_FAMILY))
    regional = events.stages(event.id)[2]
    events.save_results(regional.id, [
        ResultLine(pupil_id=winner.id, subject="Биология", teacher_id=teacher.id,
                   award=Award.PLACE_1, score=91),
        ResultLine(pupil_id=other.id, subject="Тарих", award=Award.PARTICIPANT)])
    Support(store).grant([(winner.id, None)], SupportRecord(
        "", SupportMeasure.SCHOLARSHIP, YEAR, kind=ScholarshipKind.NAMED, amount=25000,
        order_number="245", order_date=date.today()))
    StaffDevelopment(store).save_training(StaffTraining(staff_id=teacher.id, title="Курс",
                                                        end_date=date(2019, 5, 1)))
    store.close()
    capsys.readouterr()
    return path, event, regional, school


def test_events_list_and_results(db, capsys):
    path, event, regional, _school = db
    assert _run(path, "events", "list", "--year", YEAR, "--json") == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["id"] == event.id
    assert [s["level"] for s in listed["stages"]] == ["school", "district", "regional",
                                                      "republican"]
    assert _run(path, "events", "list") == 0
    assert "1 event" in capsys.readouterr().out
    assert _run(path, "events", "results", event.id[:12], "--stage", "regional", "--json") == 0
    found = json.loads(capsys.readouterr().out)
    (stage,) = found["stages"]
    assert stage["id"] == regional.id
    assert [(r["pupil"], r["award"], r["score"], r["teacher"]) for r in stage["results"]] == [
        ("Мазан Нұрсұлу", "place_1", 91, "Әбенова Сәуле"),
        ("Серікбаева Анар", "participant", None, None)]
    assert _run(path, "events", "results", event.id) == 0
    text = capsys.readouterr().out
    assert "Мазан Нұрсұлу" in text and "1st place" in text and "0 participants" in text


def test_scholarship_eligibility_in_words_and_json(db, capsys):
    path, *_rest = db
    assert _run(path, "support", "eligible", "--measure", "forum", "--year", YEAR) == 0
    text = capsys.readouterr().out
    assert "Results at events of the level “Regional” or higher." in text
    assert "Мазан Нұрсұлу" in text and "1 candidate" in text
    assert _run(path, "support", "eligible", "--measure", "scholarship", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["candidates"] == []  # the only prize-winner has her scholarship already
    assert _run(path, "support", "list", "--order", "245", "--json") == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert (record["pupil"], record["amount"], record["kind"]) == ("Мазан Нұрсұлу", 25000,
                                                                  "named")


def test_printed_lists_in_kazakh_and_russian(db, tmp_path, capsys):
    path, _event, regional, school = db
    team = tmp_path / "team.pdf"
    assert _run(path, "events", "team-list", regional.id, "--lang", "kk", "--out",
                str(team)) == 0
    assert "ӨТІНІМ" in PdfReader(team).pages[0].extract_text()
    history = tmp_path / "history.pdf"
    assert _run(path, "events", "school-history", "--school", school.id, "--lang", "ru",
                "--min-level", "regional", "--out", str(history)) == 0
    text = PdfReader(history).pages[0].extract_text()
    assert "РЕЗУЛЬТАТЫ УЧАЩИХСЯ" in text and "Мазан Нұрсұлу" in text
    assert "Серікбаева" not in text  # a participation is not a prize
    order = tmp_path / "order.pdf"
    assert _run(path, "support", "scholarship-list", "--order", "245", "--lang", "kk",
                "--out", str(order)) == 0
    text = " ".join(PdfReader(order).pages[0].extract_text().split())
    assert "СТИПЕНДИАТТАР ТІЗІМІ" in text and "25 000 ₸" in text
    forum = tmp_path / "forum.pdf"
    assert _run(path, "support", "forum-list", "--out", str(forum)) == 0
    assert "Nobody is on this list." in PdfReader(forum).pages[0].extract_text() or \
        "тізімде ешкім жоқ" in PdfReader(forum).pages[0].extract_text()


def test_results_and_candidates_as_spreadsheets(db, tmp_path, capsys):
    path, event, *_rest = db
    out = tmp_path / "results.xlsx"
    assert _run(path, "events", "results", event.id, "--out", str(out)) == 0
    assert capsys.readouterr().out.strip() == f"Wrote the spreadsheet {out}."
    rows = [r for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    header = rows.index(("Stage", "Pupil", "IIN", "Grade", "School", "Subject",
                         "Preparing teacher", "Score", "Place", "Award", "Did not take part"))
    assert [(r[0], r[1], r[7], r[9]) for r in rows[header + 1:header + 3]] == [
        ("Regional", "Мазан Нұрсұлу", 91, "1st place"),
        ("Regional", "Серікбаева Анар", None, "Participant")]
    out = tmp_path / "forum.xlsx"
    assert _run(path, "support", "eligible", "--measure", "forum", "--out", str(out)) == 0
    cells = [c for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)
             for c in r if c]
    assert "Мазан Нұрсұлу" in cells and "Forum «Сен үздіксің!»" in cells


def test_staff_not_trained_for_three_years(db, capsys):
    path, *_rest = db
    assert _run(path, "staff", "untrained", "--json") == 0
    assert [p["name"] for p in json.loads(capsys.readouterr().out)] == ["Әбенова Сәуле"]
    assert _run(path, "staff", "untrained", "--years", "10") == 0
    assert "0 people" in capsys.readouterr().out


def test_bad_input_gets_a_one_line_reason(db, capsys):
    path, event, *_rest = db
    assert _run(path, "events", "results", "0123456789abcdef") == 1
    assert capsys.readouterr().err.strip() == (
        "Error: No event has the id 0123456789abcdef. “daryn events list” shows the ids.")
    assert _run(path, "events", "results", event.id, "--stage", "final") == 1
    assert "The event has no stage “final”." in capsys.readouterr().err
    assert _run(path, "support", "eligible", "--measure", "scholarship", "--year", "2025") == 1
    assert "is not an academic year" in capsys.readouterr().err
