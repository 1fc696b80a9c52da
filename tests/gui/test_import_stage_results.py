"""A stage's protocol imported by clicks: in the import wizard with the calendar event and
stage chosen, and from the stage's results grid (*Import results from Excel…*)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QWizard,
)

from daryn_desktop.core import entities as e
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import Award, StaffRole
from daryn_desktop.core.events import EventTemplate
from daryn_desktop.gui.imports.wizard import ImportWizard
from daryn_desktop.gui.main_window import MainWindow
from daryn_desktop.storage.events import Events
from tests.gui.conftest import activate, type_text
from tests.helpers import add_pupil, add_school
from tests.spreadsheet_files import write_protocol

pytestmark = pytest.mark.usefixtures("tasks_inline")
YEAR = AcademicYear.containing(date.today()).label
SCHOOL = "Қарабұлақ орта мектебі"


def click(widget) -> None:
    assert widget is not None and widget.isEnabled()
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def olympiad(store, tmp_path):
    """The rural olympiad's school stage with one pupil registered, four pupils, their
    teacher, and the stage's protocol."""
    events = Events(store)
    event = events.create_from_template(EventTemplate.RURAL_OLYMPIAD, YEAR)
    stage = events.stages(event.id)[0]
    school = add_school(store, SCHOOL)
    teacher = store.repos.staff.add(e.Staff(surname="Жұмабаева", given_name="Гүлнар",
                                            role=StaffRole.TEACHER, school_id=school.id))
    pupils = [add_pupil(store, school, s, g, serial=i, grade=9) for i, (s, g) in enumerate(
        (("Әбілқайыров", "Ұлықбек"), ("Сейітова", "Айгүл"), ("Нұрланова", "Әсел"),
         ("Қасымов", "Дәулет")), start=1)]
    events.add_participants(stage.id, [pupils[0].id])
    path = write_protocol(tmp_path / "хаттама.xlsx", [
        [1, "Әбілқайыров Ұлықбек", pupils[0].iin, SCHOOL, "9А", "Математика", 48, 1, "",
         "Жұмабаева Г."],
        [2, "Сейітова Айгүл", "", SCHOOL, "9А", "Физика", 35.5, 2, "Диплом II дәрежелі", ""],
        [3, "Нұрланова Әсел", pupils[2].iin, SCHOOL, "9Б", "Биология", 20, "", "", ""],
        [4, "Белгісіз Бала", "", SCHOOL, "9А", "Физика", 10, "", "", ""],
    ])
    return events, event, stage, pupils, teacher, path


def _drive(wizard, monkeypatch, path, checked=None) -> None:
    """Choose the file, accept the guessed columns, look at the check, import, finish."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    click(wizard.findChild(QPushButton, "importChooseFile"))
    click(wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentPage().objectName() == "importMappingPage"
    click(wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentPage().objectName() == "importPreviewPage"
    if checked is not None:
        checked(wizard)
    click(wizard.button(QWizard.WizardButton.CommitButton))
    assert wizard.currentPage().objectName() == "importSummaryPage"


def test_the_wizard_enters_a_protocol_in_the_chosen_stage_and_undoes_it(
        qtbot, store, olympiad, monkeypatch, answer):
    events, event, stage, pupils, teacher, path = olympiad
    wizard = ImportWizard(store)
    qtbot.addWidget(wizard)
    wizard.show()
    kind = wizard.findChild(QComboBox, "importKind")
    kind.setCurrentIndex(kind.findData("results"))
    name = wizard.findChild(QLineEdit, "importEvent")
    assert name.isVisible()  # not in the calendar: the event is named by hand
    hint = wizard.findChild(QLabel, "importCalendarHint")
    assert not hint.isVisible()
    name.setFocus()
    type_text(name, event.name.lower())
    assert hint.isVisible() and "is an event of the calendar" in hint.text()
    calendar = wizard.findChild(QComboBox, "importCalendarEvent")
    calendar.setCurrentIndex(calendar.findData(event.id))
    stages = wizard.findChild(QComboBox, "importStage")
    stages.setCurrentIndex(stages.findData(stage.id))
    assert stages.count() == 2 and not name.isVisible() and not hint.isVisible()
    assert wizard.findChild(QLabel, "importStageNote").isVisible()

    def checked(wizard):
        mapping = wizard.mapping_page.table
        assert mapping.horizontalHeaderItem(7).text() == "Орны"
        counts = wizard.findChild(QLabel, "importCounts").text()
        assert counts.splitlines()[0].startswith("Results of the stage: ")
        assert "School level" in counts.splitlines()[0]
        assert counts.splitlines()[1] == "3 new, 0 changed, 0 unchanged, 1 rejected"
        table = wizard.findChild(QTableWidget, "importPreviewTable")
        assert [table.item(r, 2).text() for r in range(table.rowCount())] == [
            "Әбілқайыров Ұлықбек: 1st place", "Сейітова Айгүл: Diploma of the II degree",
            "Нұрланова Әсел: Participant", "Белгісіз Бала"]
        assert "No registered pupil" in table.item(3, 3).text()
        assert events.results(stage.id)[0].award is None  # nothing written by the check

    _drive(wizard, monkeypatch, path, checked)
    assert "now holds the protocol's results" in wizard.findChild(QLabel, "importSummary").text()
    rows = {r.full_name: r for r in events.results(stage.id)}
    assert (rows["Әбілқайыров Ұлықбек"].award, rows["Әбілқайыров Ұлықбек"].score) == (
        Award.PLACE_1, 48)
    assert rows["Әбілқайыров Ұлықбек"].participant.teacher_id == teacher.id
    assert rows["Сейітова Айгүл"].award == Award.DIPLOMA_2
    assert len(store.repos.achievements.for_parent(pupils[2].id)) == 1

    answer(QMessageBox.StandardButton.Yes)
    click(wizard.findChild(QPushButton, "importUndo"))
    assert "results it entered are removed" in answer.asked[-1]
    assert all(r.award is None for r in events.results(stage.id))
    assert store.repos.achievements.for_parent(pupils[2].id) == []
    assert "undone" in wizard.findChild(QLabel, "importSummary").text()


def test_the_results_grid_imports_its_stage_protocol(qtbot, store, olympiad, monkeypatch):
    _events, event, stage, _pupils, _teacher, path = olympiad
    window = MainWindow(store)
    qtbot.addWidget(window)
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    section = window.stack.currentWidget()
    section.open_results(event.id)
    results = section.results
    assert results.stage.currentData() == stage.id
    assert [r.full_name for r in results.model.rows] == ["Әбілқайыров Ұлықбек"]
    seen = []

    def act() -> None:
        wizard = QApplication.activeModalWidget()
        assert wizard is not None and wizard.objectName() == "importWizard"
        # Opened for this stage: the kind and the stage are chosen already.
        seen.append((wizard.findChild(QComboBox, "importKind").currentData(),
                     wizard.findChild(QComboBox, "importStage").currentData()))
        _drive(wizard, monkeypatch, path)
        click(wizard.button(QWizard.WizardButton.FinishButton))

    QTimer.singleShot(0, act)
    click(results.findChild(QPushButton, "resultsImport"))
    assert seen == [("results", stage.id)]
    # The grid shows what the import entered.
    shown = {r.full_name: r.award for r in results.model.rows}
    assert shown == {"Әбілқайыров Ұлықбек": Award.PLACE_1,
                     "Сейітова Айгүл": Award.DIPLOMA_2, "Нұрланова Әсел": Award.PARTICIPANT}
    assert "3 results" in results.info.text()
