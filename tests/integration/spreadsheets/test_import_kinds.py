"""Schools, staff and results of an event from spreadsheets; templates that read back."""

from __future__ import annotations

import openpyxl
import pytest

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import Award, EventLevel, StaffRole
from daryn_desktop.core.imports.fields import ImportKind
from daryn_desktop.core.imports.plan import RowStatus
from daryn_desktop.core.imports.results import EventInfo
from daryn_desktop.reports.import_files import write_template
from daryn_desktop.spreadsheets.importer import ImportRequest, plan_import, run_import
from daryn_desktop.storage.imports import undo_import
from tests.helpers import add_pupil, add_school
from tests.spreadsheet_files import write_rows

_sheet = write_rows


def _import(store, path, kind, **options):
    plan = plan_import(store, ImportRequest(path, kind, **options))
    return plan, run_import(store, plan)


def test_schools_by_settlement_name_or_kato_code(store, tmp_path):
    path = _sheet(tmp_path / "schools.xlsx", [
        ["Алға ауданының мектептері"],
        ["Мектеп атауы", "Елді мекен", "Оқыту тілі", "Шағын жинақты"],
        ["Бестамақ орта мектебі", "Бестамақ", "қазақ", "жоқ"],
        ["Средняя школа с. Болгарка", "с.Болгарка", "рус", "да"],
        ["Қарабұлақ негізгі мектебі", "153239100", "аралас", ""],
        ["Ақтау мектебі", "Ақтау", "қазақ", ""],  # a town of another region
        ["Алға №1 мектеп-гимназиясы", "", "", ""],  # the name says "Алға": the town
    ])
    plan, batch = _import(store, path, ImportKind.SCHOOLS)
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.NEW, RowStatus.NEW,
                                             RowStatus.REJECTED, RowStatus.NEW]
    assert "Ақтау" in plan.rows[3].reason()
    schools = {s.name: s for s in store.repos.schools.all()}
    assert schools["Средняя школа с. Болгарка"].settlement_kato == "153248300"
    assert schools["Средняя школа с. Болгарка"].small_ungraded
    assert schools["Қарабұлақ негізгі мектебі"].language.value == "mixed"
    assert schools["Алға №1 мектеп-гимназиясы"].settlement_kato == "153220100"
    again, second = _import(store, path, ImportKind.SCHOOLS)
    assert again.counts()[RowStatus.UNCHANGED] == 4 and second is None
    undo_import(store, batch.id)
    assert all(s.archived for s in store.repos.schools.all())


def test_staff_with_positions_and_schools(store, tmp_path):
    school = add_school(store, "Қарабұлақ орта мектебі")
    path = _sheet(tmp_path / "staff.xlsx", [
        ["Аты-жөні", "Лауазымы", "Мектеп", "Пәні"],
        ["Сейітова Айгүл Бекқызы", "мұғалім", "Қарабұлақ орта мектебі", "Математика"],
        ["Иванов Пётр", "педагог-психолог", "Қарабұлақ орта мектебі", ""],
        ["Жұмабаев Асқар", "әдіскер", "", ""],
        ["Нұрланов", "мұғалім", "", ""],
    ])
    plan, _batch = _import(store, path, ImportKind.STAFF)
    assert [r.status for r in plan.rows] == [RowStatus.NEW] * 3 + [RowStatus.REJECTED]
    people = {s.surname: s for s in store.repos.staff.all()}
    assert people["Сейітова"].role == StaffRole.TEACHER
    assert people["Сейітова"].school_id == school.id and people["Сейітова"].subject == "Математика"
    assert people["Иванов"].role == StaffRole.PSYCHOLOGIST
    assert people["Жұмабаев"].role == StaffRole.COORDINATOR and people["Жұмабаев"].school_id is None
    path2 = _sheet(tmp_path / "staff2.xlsx", [
        ["Аты-жөні", "Лауазымы", "Мектеп", "Пәні"],
        ["Сейітова Айгүл Бекқызы", "тәлімгер", "Қарабұлақ орта мектебі", "Математика"]])
    plan2, _ = _import(store, path2, ImportKind.STAFF)
    assert plan2.rows[0].status == RowStatus.CHANGED
    assert store.repos.staff.get(people["Сейітова"].id).role == StaffRole.MENTOR


def test_results_of_a_protocol_become_achievements_and_an_undo_removes_them(store, tmp_path):
    school = add_school(store, "Қарабұлақ орта мектебі")
    winner = add_pupil(store, school, "Әбілқайыров", "Ұлықбек", serial=1, grade=9)
    second = add_pupil(store, school, "Сейітова", "Айгүл", serial=2, grade=9)
    teacher = store.repos.staff.add(e.Staff(surname="Жұмабаева", given_name="Гүлнар",
                                            role=StaffRole.TEACHER, school_id=school.id))
    path = _sheet(tmp_path / "protocol.xlsx", [
        ["Пән олимпиадасының аудандық кезеңінің хаттамасы"],
        ["№", "Қатысушының аты-жөні", "ЖСН", "Мектеп", "Пән", "Балл", "Орын",
         "Дайындаған мұғалім"],
        [1, "Әбілқайыров Ұлықбек", winner.iin, "", "Математика", 87, "I орын",
         "Жұмабаева Г."],
        [2, "Сейітова Айгүл", "", "Қарабұлақ орта мектебі", "Физика", 64.5, "",
         "Петров В."],
        [3, "Белгісіз Бала", "", "Қарабұлақ орта мектебі", "Физика", 10, "", ""],
    ])
    event = EventInfo(name="Пән олимпиадасының аудандық кезеңі", level=EventLevel.DISTRICT,
                      academic_year="2025-2026")
    plan, batch = _import(store, path, ImportKind.RESULTS, event=event)
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.NEW, RowStatus.REJECTED]
    assert "No registered pupil" in plan.rows[2].reason()
    assert "Петров В." in plan.rows[1].notes()
    first = store.repos.achievements.for_parent(winner.id)[0]
    assert (first.award, first.level, first.subject, first.teacher_id, first.note) == (
        Award.PLACE_1, EventLevel.DISTRICT, "Математика", teacher.id, "Score: 87")
    other = store.repos.achievements.for_parent(second.id)[0]
    assert other.award == Award.PARTICIPANT and other.note == "Score: 64.5; Prepared by Петров В."
    again, none = _import(store, path, ImportKind.RESULTS, event=event)
    assert again.counts()[RowStatus.UNCHANGED] == 2 and none is None
    undo_import(store, batch.id)
    assert store.repos.achievements.for_parent(winner.id) == []
    assert store.db.execute("SELECT count(*) FROM achievements WHERE removed = 1"
                            ).fetchone()[0] == 2


def test_a_protocol_without_its_event_says_so(store, tmp_path):
    school = add_school(store)
    pupil = add_pupil(store, school, "Әбілқайыров", "Ұлықбек", serial=1)
    path = _sheet(tmp_path / "p.xlsx", [["ЖСН", "Орын"], [pupil.iin, "2"]])
    plan = plan_import(store, ImportRequest(path, ImportKind.RESULTS))
    assert plan.rows[0].status == RowStatus.REJECTED
    assert "event is not named" in plan.rows[0].reason()


@pytest.mark.parametrize("kind", list(ImportKind))
def test_templates_have_bilingual_headers_codes_and_lists_and_read_back(store, tmp_path, kind):
    add_school(store, "Қарабұлақ орта мектебі")
    path = write_template(store, kind, tmp_path / f"{kind.value}.xlsx")
    book = openpyxl.load_workbook(path)
    main, codes = book.worksheets
    header = [c.value for c in main[4]]
    assert all(" / " in h or h in ("ЖСН / ИИН",) or h for h in header)
    assert main.data_validations.dataValidation
    assert codes.max_row > 1
    if kind == ImportKind.PUPILS:
        assert "Тегі / Фамилия" in header and "ЖСН / ИИН" in header
        schools = [row[0] for row in codes.iter_rows(min_row=2, values_only=True) if row[0]]
        assert "Қарабұлақ орта мектебі" in schools
        main.append(["Әбілқайыров", "Ұлықбек", None, "120315500012", "15.03.2012", "Ер",
                     "Қарабұлақ орта мектебі", "7", "А"])
        book.save(path)
        plan = plan_import(store, ImportRequest(path, ImportKind.PUPILS))
        assert plan.layout.header_rows == (3,)
        assert [r.status for r in plan.rows] == [RowStatus.NEW], plan.rows[0].reason()
