"""``daryn import results FILE --stage``: a stage's protocol from a spreadsheet with Kazakh
headers, entered in the stage as its results grid enters it — dry run, real run, a second
run that changes nothing, undo, and the file imported again."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from daryn_desktop.cli.main import main
from daryn_desktop.core import entities as e
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import Award, EventLevel, StaffRole
from daryn_desktop.core.events import EventTemplate, participant_id, result_id
from daryn_desktop.storage.database import open_store
from daryn_desktop.storage.events import Events
from tests.conftest import PASSWORD
from tests.helpers import add_pupil, add_school, make_iin
from tests.spreadsheet_files import write_protocol

YEAR = AcademicYear.containing(date.today()).label


def _run(path, *args, lang="en") -> int:
    return main(["--lang", lang, "--db", str(path), *args])


@pytest.fixture
def district(tmp_path, monkeypatch, capsys):
    """A district with the rural olympiad's school and district stages, six pupils of one
    school (two of them entered in the school stage already), their teacher, and a second
    school with a teacher of the same name."""
    monkeypatch.setenv("DARYN_PASSWORD", PASSWORD)
    path = tmp_path / "district.db"
    assert _run(path, "init", "--role", "district", "--region", "150000000", "--district",
                "153200000", "--name", "Алға") == 0
    store = open_store(path, password=PASSWORD)
    events = Events(store)
    event = events.create_from_template(EventTemplate.RURAL_OLYMPIAD, YEAR)
    school_stage, district_stage = events.stages(event.id)
    school = add_school(store, "Қарабұлақ орта мектебі")
    other_school = add_school(store, "Бестамақ орта мектебі")
    teacher = store.repos.staff.add(e.Staff(surname="Жұмабаева", given_name="Гүлнар",
                                            role=StaffRole.TEACHER, school_id=school.id))
    store.repos.staff.add(e.Staff(surname="Жұмабаева", given_name="Гүлнар",
                                  role=StaffRole.TEACHER, school_id=other_school.id))
    names = [("Әбілқайыров", "Ұлықбек"), ("Сейітова", "Айгүл"), ("Нұрланова", "Әсел"),
             ("Қасымов", "Дәулет"), ("Өмірбекова", "Іңкәр"), ("Ғабитов", "Шыңғыс")]
    pupils = [add_pupil(store, school, s, g, serial=i, grade=9)
              for i, (s, g) in enumerate(names, start=1)]
    # Registered for the school stage before it was held (no subject: the olympiad has many).
    events.add_participants(school_stage.id, [pupils[0].id, pupils[3].id])
    store.close()
    capsys.readouterr()
    return path, event, school_stage, district_stage, pupils, teacher


def _protocol(path, pupils):
    """The school stage's protocol with the mistakes protocols have."""
    a, _b, c, d, f, g = pupils
    school = "Қарабұлақ орта мектебі"
    return write_protocol(path, [
        [1, "Әбілқайыров Ұлықбек", a.iin, school, "9А", "Математика", 48, 1, "",
         "Жұмабаева Г."],
        [2, "Сейітова Айгүл", "", school, "9А", "Физика", "35,5", "2", "Диплом II дәрежелі",
         "Жұмабаева Гүлнар"],
        [3, "Нұрланова Әсел", c.iin, school, "9Б", "Биология", 20, "", "", ""],
        [4, "Қасымов Дәулет", d.iin, school, "9Б", "Химия", "", "қатыспады", "", ""],
        [5, "Өмірбекова Іңкәр", f.iin, school, "9А", "Тарих", 41, "III орын", "",
         "Петров В."],
        [6, "Белгісіз Бала", make_iin("090101", 5, 900), school, "9А", "Физика", 10, "", "",
         ""],
        [7, "Әбілқайыров Ұлықбек", a.iin, school, "9А", "математика", 30, "", "", ""],
        [8, "Ғабитов Шыңғыс", g.iin, school, "9А", "Физика", -5, "", "", ""],
    ])


def _results(path, stage_id):
    store = open_store(path, password=PASSWORD)
    try:
        return {r.full_name: r for r in Events(store).results(stage_id)}
    finally:
        store.close()


def test_a_stage_protocol_dry_run_real_run_again_undo_and_again(district, tmp_path, capsys):
    path, event, school_stage, _district_stage, pupils, teacher = district
    protocol = _protocol(tmp_path / "хаттама.xlsx", pupils)
    args = ["import", "results", str(protocol), "--stage", school_stage.id]

    assert _run(path, *args, "--dry-run", lang="kk") == 0
    out = capsys.readouterr().out
    assert "4 жаңа, 1 өзгерген, 0 өзгермеген, 3 қабылданбаған" in out
    assert _results(path, school_stage.id)["Әбілқайыров Ұлықбек"].award is None

    assert _run(path, *args) == 0
    out = capsys.readouterr().out
    assert "Results of the stage:" in out and "School" in out
    assert "4 new, 1 changed, 0 unchanged, 3 rejected" in out
    assert "Row 9: No registered pupil matches this row" in out
    assert "Row 10: The same result as in row 4" in out
    assert "Row 11: Балл: The score cannot be negative." in out
    assert "Row 8 (imported): Дайындаған мұғалім: No teacher called “Петров В.”" in out
    assert "daryn import undo" in out
    rejected = openpyxl.load_workbook(tmp_path / "хаттама.xlsx.rejected.xlsx").active
    assert [r[1] for r in rejected.iter_rows(min_row=5, values_only=True)] == [
        "Белгісіз Бала", "Әбілқайыров Ұлықбек", "Ғабитов Шыңғыс"]

    rows = _results(path, school_stage.id)
    first = rows["Әбілқайыров Ұлықбек"]
    # The entry made when the pupil was registered takes the subject: no second entry.
    assert first.participant.id == participant_id(school_stage.id, pupils[0].id, None)
    assert (first.participant.subject, first.participant.teacher_id) == ("Математика",
                                                                        teacher.id)
    assert (first.award, first.score, first.place) == (Award.PLACE_1, 48, 1)
    second = rows["Сейітова Айгүл"]  # found by name and school; her school's teacher
    assert (second.award, second.score, second.place) == (Award.DIPLOMA_2, 35.5, 2)
    assert second.participant.teacher_id == teacher.id
    assert second.participant.id == participant_id(school_stage.id, pupils[1].id, "Физика")
    assert (rows["Нұрланова Әсел"].award, rows["Нұрланова Әсел"].place) == (
        Award.PARTICIPANT, None)
    absent = rows["Қасымов Дәулет"]
    assert absent.participant.withdrawn and absent.award is None
    fifth = rows["Өмірбекова Іңкәр"]
    assert (fifth.award, fifth.place, fifth.participant.teacher_id) == (Award.PLACE_3, 3, None)
    assert "Ғабитов Шыңғыс" not in rows
    # Each result is the pupil's achievement, exactly as the grid writes it.
    store = open_store(path, password=PASSWORD)
    (achievement,) = store.repos.achievements.for_parent(pupils[1].id)
    store.close()
    assert achievement.id == result_id(second.participant.id)
    assert (achievement.event_id, achievement.stage_id, achievement.level) == (
        event.id, school_stage.id, EventLevel.SCHOOL)
    assert (achievement.subject, achievement.teacher_id, achievement.award) == (
        "Физика", teacher.id, Award.DIPLOMA_2)

    assert _run(path, *args) == 0
    out = capsys.readouterr().out
    assert "0 new, 0 changed, 5 unchanged, 3 rejected" in out
    assert "Nothing to change" in out

    assert _run(path, "import", "undo", "last") == 0
    assert "The import was undone" in capsys.readouterr().out
    rows = _results(path, school_stage.id)
    assert all(r.award is None for r in rows.values())
    assert rows["Әбілқайыров Ұлықбек"].participant.subject is None
    assert rows["Әбілқайыров Ұлықбек"].participant.teacher_id is None
    assert not rows["Әбілқайыров Ұлықбек"].participant.withdrawn  # registered before: kept
    assert not rows["Қасымов Дәулет"].participant.withdrawn
    # Entries the import made are marked "did not take part"; their results removed.
    assert rows["Сейітова Айгүл"].participant.withdrawn
    store = open_store(path, password=PASSWORD)
    assert store.repos.achievements.for_parent(pupils[1].id) == []
    store.close()

    assert _run(path, *args) == 0
    out = capsys.readouterr().out
    assert "0 new, 5 changed, 0 unchanged, 3 rejected" in out
    rows = _results(path, school_stage.id)
    assert rows["Сейітова Айгүл"].award == Award.DIPLOMA_2
    assert not rows["Сейітова Айгүл"].participant.withdrawn
    assert rows["Әбілқайыров Ұлықбек"].award == Award.PLACE_1


def test_the_stage_is_chosen_by_level_or_is_the_only_one(district, tmp_path, capsys):
    path, event, _school_stage, district_stage, pupils, _teacher = district
    book = openpyxl.Workbook()
    book.active.append(["ЖСН", "Пән", "Орны"])
    book.active.append([pupils[2].iin, "Биология", "1"])
    protocol = tmp_path / "district.xlsx"
    book.save(protocol)
    assert _run(path, "import", "results", str(protocol), "--event", event.id[:8],
                "--stage", "district") == 0
    assert "1 new" in capsys.readouterr().out
    assert _results(path, district_stage.id)["Нұрланова Әсел"].award == Award.PLACE_1
    assert _run(path, "import", "results", str(protocol), "--event", event.id,
                "--level", "аудандық", "--dry-run") == 0
    assert "0 new, 0 changed, 1 unchanged" in capsys.readouterr().out


def test_wrong_options_are_one_clear_line(district, tmp_path, capsys):
    path, event, school_stage, _district_stage, pupils, _teacher = district
    book = openpyxl.Workbook()
    book.active.append(["ЖСН", "Орны"])
    book.active.append([pupils[2].iin, "1"])
    protocol = tmp_path / "p.xlsx"
    book.save(protocol)
    assert _run(path, "import", "results", str(protocol), "--stage", "0123456789ab") == 1
    err = capsys.readouterr().err
    assert "No stage of an event has the id 0123456789ab" in err and "Traceback" not in err
    assert _run(path, "import", "results", str(protocol), "--stage", school_stage.id,
                "--year", YEAR) == 1
    assert "--year: the stage gives the event" in capsys.readouterr().err
    assert _run(path, "import", "results", str(protocol), "--event", event.id,
                "--stage", "republican") == 1
    assert "The event has no stage “republican”" in capsys.readouterr().err
    # A name that is no calendar event's id: the results of an event not in the calendar.
    assert _run(path, "import", "results", str(protocol), "--event", "Аудандық байқау",
                "--level", "district", "--dry-run") == 0
    assert "Results of the stage" not in capsys.readouterr().out
    # An event of the calendar named by its name: the results would miss its stage.
    assert _run(path, "import", "results", str(protocol), "--event", f" {event.name.upper()}",
                "--level", "district", "--dry-run") == 0
    out = capsys.readouterr().out
    assert f"is an event of the calendar: to enter these results in its stage, give --event" \
           f" {event.id}" in out


def test_a_stage_protocol_to_fill_in_lists_its_participants_and_reads_back(district, tmp_path,
                                                                          capsys):
    path, event, school_stage, _district_stage, pupils, _teacher = district
    out = tmp_path / "protocol.xlsx"
    assert _run(path, "import", "template", "results", "--event", event.id, "--stage",
                "school", "--out", str(out), lang="kk") == 0
    capsys.readouterr()
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("Кезең хаттамасы: ")
    header = rows[3]
    assert header == ["Тегі / Фамилия", "Аты / Имя", "Әкесінің аты / Отчество", "ЖСН / ИИН",
                      "Мектеп / Школа", "Сынып / Класс", "Пән / Предмет", "Балл",
                      "Орны / Место", "Марапаты / Награда",
                      "Дайындаған мұғалім / Подготовивший учитель"]
    assert [(r[0], r[3]) for r in rows[4:]] == [("Әбілқайыров", pupils[0].iin),
                                              ("Қасымов", pupils[3].iin)]
    # The jury fills it in and sends it back.
    sheet.cell(5, 7, "Математика")
    sheet.cell(5, 8, 44)
    sheet.cell(5, 9, 2)
    sheet.cell(6, 7, "Химия")
    sheet.cell(6, 8, 12)
    book.save(out)
    assert _run(path, "import", "results", str(out), "--stage", school_stage.id) == 0
    assert "2 new, 0 changed, 0 unchanged, 0 rejected" in capsys.readouterr().out
    rows = _results(path, school_stage.id)
    assert (rows["Әбілқайыров Ұлықбек"].award, rows["Әбілқайыров Ұлықбек"].place) == (
        Award.PLACE_2, 2)
    assert (rows["Қасымов Дәулет"].award, rows["Қасымов Дәулет"].score) == (
        Award.PARTICIPANT, 12)
    # The protocol made again holds what was recorded: imported back, it changes nothing.
    again = tmp_path / "again.xlsx"
    assert _run(path, "import", "template", "results", "--stage", school_stage.id,
                "--out", str(again)) == 0
    assert _run(path, "import", "results", str(again), "--stage", school_stage.id) == 0
    assert "0 new, 0 changed, 2 unchanged, 0 rejected" in capsys.readouterr().out
    assert _run(path, "import", "template", "pupils", "--stage", school_stage.id,
                "--out", str(again)) == 1
    assert "--stage" in capsys.readouterr().err
