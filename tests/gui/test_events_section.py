"""The Events & achievements section driven by clicks: calendar, results grid, support,
research projects and staff development."""

from __future__ import annotations

import dataclasses
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QPushButton, QTabWidget

from daryn_desktop.core import entities as e
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import (
    ActivityStatus,
    Award,
    EventLevel,
    Role,
    StaffRole,
    SupportMeasure,
)
from daryn_desktop.core.events import EventTemplate, ResultLine
from daryn_desktop.core.staffdev import ResearchProject, StaffTraining
from daryn_desktop.gui.main_window import MainWindow
from daryn_desktop.storage.events import Events
from daryn_desktop.storage.roadmaps import RoadMaps
from daryn_desktop.storage.staffdev import Projects, StaffDevelopment
from daryn_desktop.storage.support import Support
from tests.gui.conftest import activate, type_text
from tests.helpers import add_pupil, add_school

pytestmark = pytest.mark.usefixtures("tasks_inline")
YEAR = AcademicYear.containing(date.today()).label


@pytest.fixture
def region(make_store):
    return make_store("region.db", role=Role.REGION)


def _window(qtbot, store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    activate(qtbot, window)
    return window


def _section(qtbot, store):
    window = _window(qtbot, store)
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    section = window.stack.currentWidget()
    assert section.objectName() == "eventsSection"
    return window, section


def _click(parent, name: str) -> None:
    found = parent.findChild(QPushButton, name)
    assert found is not None, name
    assert found.isEnabled(), name
    QTest.mouseClick(found, Qt.MouseButton.LeftButton)


def _in_dialog(name: str, act) -> None:
    """Act on the modal dialog ``name`` as soon as it is shown."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == name, dialog
        act(dialog)

    QTimer.singleShot(0, run)


def _cells(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def _pupils(store, count: int, school=None, grade: int = 9, first: int = 1):
    school = school or add_school(store)
    return school, [add_pupil(store, school, "Оқушы", f"Бала{i:02d}", serial=i, grade=grade)
                    for i in range(first, first + count)]


def test_the_section_is_built_and_the_rural_olympiad_comes_from_a_template(qtbot, region):
    _w, section = _section(qtbot, region)
    calendar = section.calendar
    assert calendar.table.rowCount() == 0

    def create(dialog):
        choice = dialog.findChild(type(dialog.template), "templateChoice")
        choice.setCurrentIndex(choice.findData(EventTemplate.RURAL_OLYMPIAD.value))
        assert dialog.preview.rowCount() == 4
        _click(dialog, "templateCreate")

    _in_dialog("templateDialog", create)
    _click(calendar, "calendarTemplate")
    assert _cells(calendar.table, 0) == ["Republican olympiad for pupils of rural schools"]
    assert calendar.table.item(0, 4).text().count(";") == 3  # four stages
    assert calendar.table.item(0, 6).text() == "Regional centre"


def test_an_event_is_written_in_the_editor_and_its_mistakes_are_shown(qtbot, region):
    _w, section = _section(qtbot, region)

    def write(dialog):
        save = dialog.findChild(QPushButton, "eventSave")
        type_text(dialog.name, "Математикадан қалалық олимпиада")
        model = dialog.model
        model.setData(model.index(0, model.START), "12.11.2025")
        model.setData(model.index(0, model.END), "10.11.2025")
        assert not save.isEnabled()
        assert "ends (10.11.2025) before it starts (12.11.2025)" in dialog.message.text()
        model.setData(model.index(0, model.END), "13.11.2025")
        _click(dialog, "eventAddStage")
        assert model.stages[1].level == EventLevel.DISTRICT
        model.setData(model.index(1, model.START), "01.12.2025")
        dialog.year.setText("2025-2026")
        assert save.isEnabled()
        _click(dialog, "eventSave")

    _in_dialog("eventDialog", write)
    _click(section.calendar, "calendarNew")
    (event,) = [r.event for r in Events(region).list_events("2025-2026")]
    assert event.name == "Математикадан қалалық олимпиада" and event.level == EventLevel.DISTRICT
    assert [s.level for s in Events(region).stages(event.id)] == [EventLevel.SCHOOL,
                                                                  EventLevel.DISTRICT]


def test_a_district_sees_the_regions_event_read_only(qtbot, store, region):
    published = Events(region).create_from_template(EventTemplate.RURAL_OLYMPIAD, YEAR)
    with store.transaction() as w:
        w.insert("events", {k: v for k, v in dataclasses.asdict(published).items()
                            if k != "date"} | {"kind": published.kind.value,
                                               "level": published.level.value})
        for stage in Events(region).stages(published.id):
            w.insert("event_stages", {"id": stage.id, "event_id": stage.event_id,
                                      "level": stage.level.value,
                                      "start_date": stage.start_date.isoformat()})
    _w, section = _section(qtbot, store)
    calendar = section.calendar
    calendar.table.selectRow(0)
    assert not calendar.findChild(QPushButton, "calendarArchive").isEnabled()
    seen = []

    def look(dialog):
        seen.append((dialog.notice.isVisible(), dialog.save_button.isEnabled(),
                     dialog.name.isEnabled()))
        _click(dialog, "eventCancel")

    _in_dialog("eventDialog", look)
    _click(calendar, "calendarEdit")
    assert seen == [(True, False, False)]


def test_results_are_entered_in_the_grid_and_winners_advance(qtbot, region, tmp_path,
                                                             monkeypatch, answer):
    events = Events(region)
    event = events.create_from_template(EventTemplate.RURAL_OLYMPIAD, YEAR)
    school, pupils = _pupils(region, 5)
    _pupils(region, 2, school, grade=4, first=50)  # not of the event's grades 5–11
    teacher = region.repos.staff.add(e.Staff(surname="Әбенова", given_name="Сәуле",
                                             role=StaffRole.TEACHER, school_id=school.id))
    region.repos.staff.add(e.Staff(surname="Үйлестіруші", given_name="Ақмарал",
                                   role=StaffRole.COORDINATOR))
    region.repos.staff.add(e.Staff(surname="Басқа", given_name="Мұғалім", role=StaffRole.TEACHER,
                                   school_id=add_school(region, name="Басқа мектеп").id))
    _w, section = _section(qtbot, region)
    section.calendar.table.selectRow(0)
    _click(section.calendar, "calendarResults")
    results = section.results
    assert section.tabs.currentWidget() is results
    assert results.event_box.currentData() == event.id
    assert results.stage.currentIndex() == 0  # nobody entered yet: the first stage

    def add_school_pupils(dialog):
        dialog.tabs.setCurrentIndex(1)
        dialog.school.set_value(school.id)
        assert dialog.school_pupils.rowCount() == 5
        _click(dialog, "addPupilsOk")

    _in_dialog("addPupilsDialog", add_school_pupils)
    _click(results, "resultsAdd")
    grid, model = results.grid, results.model
    assert model.rowCount() == 5
    # Places typed into the grid: 1 → 1st place (the award follows), and so on.
    for row, key in ((0, Qt.Key.Key_1), (1, Qt.Key.Key_2), (2, Qt.Key.Key_4)):
        grid.setFocus()
        grid.setCurrentIndex(model.index(row, model.PLACE))
        QTest.keyClick(grid, key)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert [line.award for line in model.lines[:3]] == [Award.PLACE_1, Award.PLACE_2, None]
    # The teacher is picked from the pupil's school's staff (and the district office's).
    cell = grid.visualRect(model.index(0, model.TEACHER)).center()
    QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    QTest.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    picker = grid.indexWidget(model.index(0, model.TEACHER))  # the cell's open editor
    assert [picker.itemText(i) for i in range(picker.count())] == [
        "—", "Әбенова Сәуле", "Үйлестіруші Ақмарал"]
    picker.setCurrentIndex(1)
    QTest.keyClick(picker, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.lines[0].teacher_id == teacher.id, timeout=2000)
    assert model.data(model.index(0, model.TEACHER)) == "Әбенова Сәуле"
    model.setData(model.index(2, model.AWARD), Award.PARTICIPANT.value)
    model.setData(model.index(4, model.WITHDRAWN), Qt.CheckState.Checked.value,
                  Qt.ItemDataRole.CheckStateRole)
    assert results.findChild(QPushButton, "resultsSave").isEnabled()
    _click(results, "resultsSave")
    stored = {r.full_name: r.award for r in events.results(results.stage.currentData())}
    assert events.results(results.stage.currentData())[0].teacher_name == "Әбенова Сәуле"
    assert stored == {"Оқушы Бала01": Award.PLACE_1, "Оқушы Бала02": Award.PLACE_2,
                      "Оқушы Бала03": Award.PARTICIPANT, "Оқушы Бала04": None,
                      "Оқушы Бала05": None}
    assert len(region.repos.achievements.for_parent(pupils[0].id)) == 1

    _click(results, "resultsAdvance")
    assert answer.asked[-1] == "2 winners entered in the stage “District or city”."
    assert results.stage.currentIndex() == 1
    assert [r.full_name for r in results.model.rows] == ["Оқушы Бала01", "Оқушы Бала02"]

    target = tmp_path / "team.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    _click(results, "resultsTeamList")
    text = "".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert "Оқушы Бала01" in text and "Оқушы Бала03" not in text

    sheet = tmp_path / "results.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(sheet), "")))
    results.stage.setCurrentIndex(0)
    _click(results, "resultsXlsx")
    rows = list(openpyxl.load_workbook(sheet).active.iter_rows(values_only=True))
    first = rows.index(tuple(results.model.headerData(c, Qt.Orientation.Horizontal)
                             for c in range(9))) + 1
    assert [(r[0], r[6], r[7]) for r in rows[first:first + 3]] == [
        ("Оқушы Бала01", 1, "1st place"), ("Оқушы Бала02", 2, "2nd place"),
        ("Оқушы Бала03", 4, "Participant")]


def test_unsaved_results_are_asked_about_before_leaving(qtbot, region, answer):
    events = Events(region)
    events.create_from_template(EventTemplate.RURAL_OLYMPIAD, YEAR)
    event = events.list_events(YEAR)[0].event
    _school, pupils = _pupils(region, 2)
    events.add_participants(events.stages(event.id)[0].id, [p.id for p in pupils])
    _w, section = _section(qtbot, region)
    section.open_results(event.id)
    model = section.results.model
    model.setData(model.index(0, model.SCORE), "42,5")
    assert not section.results.save_button.isEnabled()  # a score needs an award
    model.setData(model.index(0, model.AWARD), Award.PARTICIPANT.value)
    answer(answer.button.Cancel)
    section.tabs.setCurrentWidget(section.support)
    assert section.tabs.currentWidget() is section.results  # kept: the person said Cancel
    answer(answer.button.Save)
    assert section.can_leave()
    assert events.results(events.stages(event.id)[0].id)[0].score == 42.5


def test_scholarship_candidates_are_granted_and_the_activity_completed(qtbot, region,
                                                                       answer):
    events = Events(region)
    event = events.create_from_template(EventTemplate.RURAL_OLYMPIAD, YEAR)
    regional = events.stages(event.id)[2]
    _school, pupils = _pupils(region, 3)
    events.save_results(regional.id, [
        ResultLine(pupil_id=pupils[0].id, award=Award.PLACE_1),
        ResultLine(pupil_id=pupils[1].id, award=Award.DIPLOMA_2),
        ResultLine(pupil_id=pupils[2].id, award=Award.PARTICIPANT)])
    maps = RoadMaps(region)
    road_map = maps.create(pupils[0].id, YEAR)
    activity = e.Activity(road_map_id=road_map.id, measure=SupportMeasure.SCHOLARSHIP,
                          title="Стипендияға ұсыну", due_quarter=2)
    maps.add_activity(road_map.id, activity)
    _w, section = _section(qtbot, region)
    section.tabs.setCurrentWidget(section.support)
    support = section.support
    support.measure.setCurrentIndex(support.measure.findData(SupportMeasure.SCHOLARSHIP.value))
    assert _cells(support.eligible, 0) == ["Оқушы Бала01", "Оқушы Бала02"]
    assert "Regional" in support.eligible.item(0, 5).text()
    support.eligible.item(0, 0).setCheckState(Qt.CheckState.Checked)

    def fill(dialog):
        dialog.amount.setValue(25000)
        type_text(dialog.order_number, "245")
        dialog.order_date.set_value(date.today())
        _click(dialog, "supportRecordOk")

    _in_dialog("supportRecordDialog", fill)
    _click(support, "supportGrant")
    assert answer.asked[-1].startswith("Granted to 1 pupil.")
    assert region.repos.activities.get(activity.id).status == ActivityStatus.DONE
    assert _cells(support.eligible, 0) == ["Оқушы Бала02"]
    assert support.tabs.currentIndex() == 1
    assert _cells(support.register, 0) == ["Оқушы Бала01"]
    assert support.register.item(0, 4).text() == "Done"
    assert support.order.findData("245") > 0

    def widen(dialog):
        dialog.prize_only.setChecked(False)
        assert "Any result, participation included." in dialog.description.text()
        _click(dialog, "ruleSave")

    _in_dialog("supportRuleDialog", widen)
    support.tabs.setCurrentIndex(0)
    _click(support, "supportRule")
    assert _cells(support.eligible, 0) == ["Оқушы Бала02", "Оқушы Бала03"]
    assert not Support(region).is_default(SupportMeasure.SCHOLARSHIP)


def test_a_project_is_entered_in_its_competition(qtbot, region):
    events = Events(region)
    competition = events.create_from_template(EventTemplate.SCIENCE_PROJECTS, YEAR)
    school, (pupil,) = _pupils(region, 1)
    supervisor = region.repos.staff.add(e.Staff(surname="Мұғалім", given_name="Әлия",
                                                role=StaffRole.TEACHER, school_id=school.id))
    Projects(region).save(ResearchProject(pupil_id=pupil.id, academic_year=YEAR,
                                          topic="Ауыл топырағы", section="Биология",
                                          supervisor_id=supervisor.id))
    _w, section = _section(qtbot, region)
    section.tabs.setCurrentWidget(section.projects)
    projects = section.projects
    assert _cells(projects.table, 3) == ["Ауыл топырағы"]
    projects.table.selectRow(0)

    def enter(dialog):
        dialog.competition.setCurrentIndex(dialog.competition.findData(competition.id))
        assert dialog.stage.count() == 4
        type_text(dialog.mentor, "Сейітов Б.")
        _click(dialog, "projectEnter")
        assert dialog.stages.rowCount() == 1
        _click(dialog, "projectSave")

    _in_dialog("projectDialog", enter)
    _click(projects, "projectsEdit")
    assert projects.table.item(0, 7).text() == "School level"
    (row,) = events.results(events.stages(competition.id)[0].id)
    assert row.participant.project_id and row.teacher_name == "Мұғалім Әлия"


def test_staff_not_trained_in_three_years_and_a_course_added(qtbot, region, tmp_path,
                                                             monkeypatch):
    school = add_school(region)
    people = [region.repos.staff.add(e.Staff(surname=s, given_name="Сәуле",
                                             role=StaffRole.TEACHER, school_id=school.id))
              for s in ("Әбенова", "Бекова")]
    StaffDevelopment(region).save_training(StaffTraining(
        staff_id=people[0].id, title="Дарынды балалармен жұмыс", hours=72,
        start_date=date.today().replace(day=1), end_date=date.today()))
    _w, section = _section(qtbot, region)
    section.tabs.setCurrentWidget(section.staff)
    staff = section.staff
    assert _cells(staff.table, 0) == ["Әбенова Сәуле", "Бекова Сәуле"]
    staff.untrained.click()
    assert _cells(staff.table, 0) == ["Бекова Сәуле"]
    staff.table.selectRow(0)

    def write(dialog):
        type_text(dialog.title, "Олимпиадаға дайындау")
        dialog.hours.setValue(36)
        dialog.start.set_value(date.today())
        _click(dialog, "trainingSave")

    _in_dialog("trainingDialog", write)
    _click(staff, "staffDevAdd")
    assert staff.table.rowCount() == 0  # trained now: the filter leaves her out
    staff.untrained.click()
    assert _cells(staff.table, 4) == ["72", "36"]
    sheet = tmp_path / "staff.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(sheet), "")))
    _click(staff, "staffDevXlsx")
    rows = list(openpyxl.load_workbook(sheet).active.iter_rows(values_only=True))
    first = rows.index(tuple(staff.table.horizontalHeaderItem(c).text()
                             for c in range(staff.table.columnCount()))) + 1
    assert [r[:2] for r in rows[first:first + 2]] == [("Әбенова Сәуле", "Teacher"),
                                                      ("Бекова Сәуле", "Teacher")]
    assert rows[first + 1][4] == 36  # hours stay a number


def test_every_button_of_the_section_survives_a_press_with_its_dialogs_cancelled(
        qtbot, region, monkeypatch):
    events = Events(region)
    event = events.create_from_template(EventTemplate.RURAL_OLYMPIAD, YEAR)
    _school, pupils = _pupils(region, 2)
    events.save_results(events.stages(event.id)[0].id, [
        ResultLine(pupil_id=pupils[0].id, award=Award.PLACE_1)])
    region.repos.staff.add(e.Staff(surname="Әбенова", given_name="Сәуле",
                                   role=StaffRole.TEACHER))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    _w, section = _section(qtbot, region)

    def cancel_dialogs():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            dialog.reject()

    timer = QTimer()
    timer.timeout.connect(cancel_dialogs)
    timer.start(20)
    pressed = []
    try:
        tabs = section.findChild(QTabWidget, "eventsTabs")
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            page = tabs.widget(index)
            for table_name in ("calendarEvents", "staffDevTable", "projectsTable"):
                table = page.findChild(type(section.calendar.table), table_name)
                if table is not None and table.rowCount():
                    table.selectRow(0)
            for b in page.findChildren(QPushButton):
                assert b.objectName(), b.text()
                if b.isEnabled() and b.isVisible():
                    QTest.mouseClick(b, Qt.MouseButton.LeftButton)
                    pressed.append(b.objectName())
    finally:
        timer.stop()
    assert {"calendarNew", "calendarTemplate", "resultsAdd", "supportRule",
            "staffDevAdd"} <= set(pressed)


def test_an_event_written_elsewhere_shows_in_the_calendar_and_a_hidden_one_waits(qtbot, region):
    _w, section = _section(qtbot, region)
    calendar = section.calendar
    assert calendar.table.rowCount() == 0
    # As an import of a calendar or another window would: through the store, no button here.
    Events(region).create_from_template(EventTemplate.RURAL_OLYMPIAD, YEAR)
    qtbot.waitUntil(lambda: calendar.table.rowCount() == 1, timeout=3000)
    # Not on screen: only marked; read again when its tab is shown.
    section.tabs.setCurrentIndex(section.tabs.indexOf(section.projects))
    Events(region).create_from_template(EventTemplate.RURAL_OLYMPIAD, YEAR)
    qtbot.wait(50)
    assert calendar.reloader.stale and calendar.table.rowCount() == 1
    section.tabs.setCurrentIndex(section.tabs.indexOf(calendar))
    qtbot.waitUntil(lambda: calendar.table.rowCount() == 2, timeout=3000)
    assert not calendar.reloader.stale
