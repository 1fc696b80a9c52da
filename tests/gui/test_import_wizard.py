"""The import wizard, Save as Excel… and the new academic year, driven by clicks."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QWizard,
)

from daryn_desktop.gui.imports.wizard import ImportWizard
from daryn_desktop.gui.main_window import MainWindow
from daryn_desktop.gui.rollover import RolloverDialog
from tests.helpers import add_school
from tests.spreadsheet_files import pupil_rows, write_xlsx

pytestmark = pytest.mark.usefixtures("tasks_inline")


def click(widget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def _button(wizard, name):
    return wizard.findChild(QPushButton, name)


@pytest.fixture
def class_list(store, tmp_path):
    school = add_school(store, "Қарабұлақ орта мектебі")
    rows = [*pupil_rows(12),
            [13, "Қасымов Дәулет", "120315500019", "15.03.2012", "7А", "", ""]]
    return write_xlsx(tmp_path / "7А.xlsx", rows), school


def test_the_wizard_imports_a_class_list_and_undoes_it(qtbot, store, class_list, monkeypatch,
                                                       answer, tmp_path):
    path, school = class_list
    wizard = ImportWizard(store)
    qtbot.addWidget(wizard)
    wizard.show()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    school_box = wizard.findChild(QComboBox, "importSchool")
    school_box.setCurrentIndex(school_box.findData(school.id))
    click(_button(wizard, "importChooseFile"))
    assert "Excel" in wizard.findChild(QLabel, "importFileInfo").text()
    assert _button(wizard, "importNext").isEnabled()
    click(_button(wizard, "importNext"))
    assert wizard.currentPage().objectName() == "importMappingPage"
    mapping = wizard.findChild(QTableWidget, "importMapping")
    assert mapping.horizontalHeaderItem(1).text() == "Аты-жөні"
    assert mapping.item(1, 1).text() == "Әбілқайыров Ұлықбек"
    names = wizard.findChild(QComboBox, "importField_1")
    assert names.currentData() == "full_name"
    # Leaving out the names makes the list unreadable: Next waits.
    names.setCurrentIndex(names.findData("ignore"))
    assert not _button(wizard, "importNext").isEnabled()
    names.setCurrentIndex(names.findData("full_name"))
    click(_button(wizard, "importNext"))
    assert wizard.currentPage().objectName() == "importPreviewPage"
    counts = wizard.findChild(QLabel, "importCounts").text()
    assert counts.startswith("12 new, 0 changed, 0 unchanged, 1 rejected")
    table = wizard.findChild(QTableWidget, "importPreviewTable")
    show = wizard.findChild(QComboBox, "importShow")
    show.setCurrentIndex(4)  # rejected rows only
    assert table.rowCount() == 1 and "check digit" in table.item(0, 3).text()
    assert store.repos.pupils.count() == 0  # nothing written by the check
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert commit.objectName() == "importCommit" and commit.isEnabled()
    click(commit)
    assert wizard.currentPage().objectName() == "importSummaryPage"
    assert store.repos.pupils.count() == 12
    answer(QMessageBox.StandardButton.Yes)
    click(_button(wizard, "importUndo"))
    assert store.db.execute("SELECT count(*) FROM pupils WHERE status = 'active'"
                            ).fetchone()[0] == 0
    assert "undone" in wizard.findChild(QLabel, "importSummary").text()
    saved = tmp_path / "rejected.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(saved), "")))
    click(_button(wizard, "importSaveRejectedAfter"))
    assert openpyxl.load_workbook(saved).active.max_row >= 5


def test_with_the_work_on_a_worker_thread_each_step_waits_for_its_outcome(qtbot, store,
                                                                          class_list,
                                                                          monkeypatch):
    """As in the program: reading, checking and importing run off the UI thread, each
    button press returns at once, and the wizard goes on when the outcome comes back."""
    from daryn_desktop.gui import tasks

    monkeypatch.setattr(tasks, "_synchronous", False)
    path, school = class_list
    wizard = ImportWizard(store)
    qtbot.addWidget(wizard)
    wizard.show()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    school_box = wizard.findChild(QComboBox, "importSchool")
    school_box.setCurrentIndex(school_box.findData(school.id))
    click(_button(wizard, "importChooseFile"))
    qtbot.waitUntil(lambda: _button(wizard, "importNext").isEnabled(), timeout=10000)
    click(_button(wizard, "importNext"))
    click(_button(wizard, "importNext"))
    assert wizard.currentPage().objectName() == "importPreviewPage"
    counts = wizard.findChild(QLabel, "importCounts")
    qtbot.waitUntil(lambda: counts.text().startswith("12 new"), timeout=10000)
    click(wizard.button(QWizard.WizardButton.CommitButton))
    # Refused until the rows are written; then the wizard goes on by itself.
    qtbot.waitUntil(lambda: wizard.currentPage().objectName() == "importSummaryPage",
                    timeout=10000)
    assert store.repos.pupils.count() == 12
    assert not tasks.is_running()


def test_cancelled_dialogs_change_nothing(qtbot, store, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    wizard = ImportWizard(store)
    qtbot.addWidget(wizard)
    wizard.show()
    click(_button(wizard, "importChooseFile"))
    assert not _button(wizard, "importNext").isEnabled()
    window = MainWindow(store)
    qtbot.addWidget(window)
    click(window.findChild(QPushButton, "registrySaveExcel"))
    assert not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob("*.part"))


def test_the_empty_registry_offers_the_import_and_saves_as_excel(qtbot, store, class_list,
                                                                 monkeypatch, tmp_path):
    path, school = class_list
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    empty = window.findChild(type(window.page("pupils")), "pupilsSection").empty_bar
    assert empty.isVisible()
    opened = []
    monkeypatch.setattr(ImportWizard, "exec", lambda self: opened.append(self) or 0)
    click(window.findChild(QPushButton, "registryImportButton"))
    assert len(opened) == 1
    # A list imported elsewhere; the registry then saves every row as Excel.
    from daryn_desktop.core.imports.fields import ImportKind
    from daryn_desktop.spreadsheets.importer import ImportRequest, plan_import, run_import

    run_import(store, plan_import(store, ImportRequest(path, ImportKind.PUPILS,
                                                       school_id=school.id)))
    window.page("pupils").on_shown()
    assert not empty.isVisible()
    out = tmp_path / "registry.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "")))
    click(window.findChild(QPushButton, "registrySaveExcel"))
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[4][0] == "Full name" and len([r for r in rows[5:] if r[1]]) == 12


def test_the_file_menu_opens_the_wizard_and_the_new_year(qtbot, store, monkeypatch):
    window = MainWindow(store)
    qtbot.addWidget(window)
    opened = []
    monkeypatch.setattr(ImportWizard, "exec", lambda self: opened.append("import") or 0)
    monkeypatch.setattr(RolloverDialog, "exec", lambda self: opened.append("year") or 0)
    window.findChild(type(window.go_actions[0]), "actionImportExcel").trigger()
    window.findChild(type(window.go_actions[0]), "actionNewYear").trigger()
    assert opened == ["import", "year"]


def test_the_new_year_dialog_previews_then_moves(qtbot, store, monkeypatch):
    school = add_school(store)
    from tests.helpers import add_pupil

    add_pupil(store, school, "Әбілқайыров", "Ұлықбек", grade=11, serial=1)
    nine = add_pupil(store, school, "Сейітова", "Айгүл", grade=9, serial=2)
    add_pupil(store, school, "Ахметов", "Ерқанат", grade=7, serial=3)
    dialog = RolloverDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    grades = dialog.findChild(QTableWidget, "rolloverGrades")
    assert grades.rowCount() == 6  # grades 7 to 11 before or after, and the total
    leavers = dialog.leavers
    assert leavers.count() == 1
    leavers.item(0).setCheckState(Qt.CheckState.Checked)
    assert "1 pupil leaves after grade 9" in dialog.findChild(QLabel, "rolloverSummary").text()
    assert dialog.findChild(QCheckBox, "rolloverCloseMaps").isChecked()
    click(dialog.findChild(QPushButton, "rolloverApply"))
    assert dialog.outcome is not None and dialog.outcome.graduated == 2
    assert store.repos.pupils.get(nine.id).status.value == "archived"
    assert store.db.execute("SELECT grade FROM pupils WHERE surname = 'Ахметов'"
                            ).fetchone()[0] == 8
