"""The Reports section: a double-click on a figure shows exactly the pupils behind it."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QTableView

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import FamilyCategory, Sex
from daryn_desktop.core.stats.pupil_tables import H1_TITLE
from daryn_desktop.gui.main_window import MainWindow
from daryn_desktop.i18n import gettext_for
from tests.gui.conftest import activate
from tests.helpers import add_pupil, add_school

pytestmark = pytest.mark.usefixtures("tasks_inline")


@pytest.fixture
def window(qtbot, store):
    school = add_school(store)
    town = add_school(store, "Қалалық мектеп", settlement="153220100")
    today = date.today()
    add_pupil(store, school, "Әбілқайыров", "Ұлықбек", serial=1, sex=Sex.MALE,
              consent_date=today)
    girl = add_pupil(store, school, "Бекова", "Аружан", serial=2, sex=Sex.FEMALE,
                     consent_date=today)
    add_pupil(store, town, "Жұмабек", "Іңкәр", serial=3, sex=Sex.FEMALE, consent_date=today)
    store.repos.categories.add(e.CategoryRecord(girl.id, FamilyCategory.LARGE_FAMILY))
    win = MainWindow(store, section="reports")
    qtbot.addWidget(win)
    activate(qtbot, win)
    return win


def _cell(view: QTableView, row_label: str, header: str):
    model = view.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in
               range(model.columnCount())]
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == row_label or model.index(row, 1).data() == row_label:
            return model.index(row, headers.index(header))
    raise AssertionError(f"no row {row_label}")


def test_overview_then_double_click_opens_exactly_the_pupils_behind(window):
    assert window.findChild(QLabel, "overview_total").text() == "3"
    window.page("reports").tabs.setCurrentIndex(1)
    view = window.findChild(QTableView, "reportTableView")
    assert window.findChild(QComboBox, "reportTable").currentData() == "T1"
    kk = gettext_for("kk")  # the report's language, chosen apart from the interface's
    index = _cell(view, kk(H1_TITLE), kk(Sex.FEMALE.label_id))
    assert index.data() == "1"
    rect = view.visualRect(index)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_section() == "pupils"
    table = window.findChild(QTableView, "pupilTable")
    names = [table.model().index(r, 0).data() for r in range(table.model().rowCount())]
    assert names == ["Бекова Аружан"]
    chip = window.findChild(QPushButton, "filterOnlyIds")
    assert chip.isVisible() and "(1)" in chip.text()
    QTest.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert table.model().rowCount() == 3 and not chip.isVisible()


def test_buttons_with_dialogs_cancelled_do_nothing(window, monkeypatch):
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

    from daryn_desktop.gui.reports.weights import WeightsDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    monkeypatch.setattr(WeightsDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    section = window.page("reports")
    section.tabs.setCurrentIndex(1)
    before = section.store.state("stats.teacher_weights")
    for key in ("T1", "T4", "duplicates"):
        section.table_combo.setCurrentIndex(section.table_combo.findData(key))
        for name in ("reportSaveExcel", "reportSavePdf", "reportPrint", "reportWeights",
                     "reportKeepRecord"):
            button = window.findChild(QPushButton, name)
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert section.store.state("stats.teacher_weights") == before


def test_weights_edited_rank_the_teachers_again(window, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from daryn_desktop.gui.reports.weights import WeightsDialog

    def accept(dialog):
        dialog.findChild(type(dialog.levels["international"]),
                         "weightLevel_international").setValue(50)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(WeightsDialog, "exec", accept)
    section = window.page("reports")
    section.tabs.setCurrentIndex(1)
    section.table_combo.setCurrentIndex(section.table_combo.findData("T4"))
    QTest.mouseClick(window.findChild(QPushButton, "reportWeights"), Qt.MouseButton.LeftButton)
    from daryn_desktop.storage.statistics import teacher_weights

    assert teacher_weights(section.store).level["international"] == 50


def test_save_as_excel_writes_the_chosen_table(window, tmp_path, monkeypatch):
    import openpyxl
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "t1.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.page("reports").tabs.setCurrentIndex(1)
    QTest.mouseClick(window.findChild(QPushButton, "reportSaveExcel"), Qt.MouseButton.LeftButton)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0].startswith("T1") and book.sheetnames[-1]


def test_a_write_elsewhere_counts_the_shown_figures_again(window, store, qtbot):
    """A pupil added through the store (as an import or the editor would) shows in the
    overview and in the table on screen without pressing anything."""
    section = window.page("reports")
    section.tabs.setCurrentIndex(1)
    view = window.findChild(QTableView, "reportTableView")
    kk = gettext_for("kk")
    qtbot.waitUntil(lambda: view.model().rowCount() > 0, timeout=3000)
    assert _cell(view, kk(H1_TITLE), kk(Sex.FEMALE.label_id)).data() == "1"
    school = add_school(store, "Екінші мектеп")
    girl = add_pupil(store, school, "Сәрсенова", "Әсел", serial=4, sex=Sex.FEMALE,
                     consent_date=date.today())
    store.repos.categories.add(e.CategoryRecord(girl.id, FamilyCategory.LOW_INCOME))
    qtbot.waitUntil(lambda: _cell(view, kk(H1_TITLE), kk(Sex.FEMALE.label_id)).data() == "2",
                    timeout=5000)
    section.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.findChild(QLabel, "overview_total").text() == "4",
                    timeout=5000)


def test_save_as_pdf_writes_on_the_worker_and_says_so_when_done(window, tmp_path, monkeypatch,
                                                                 qtbot):
    from PySide6.QtWidgets import QFileDialog

    from daryn_desktop.gui import tasks

    tasks.set_synchronous(False)  # the real worker thread: the press returns at once
    target = tmp_path / "т1.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    section = window.page("reports")
    section.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: section.report is not None, timeout=5000)
    QTest.mouseClick(window.findChild(QPushButton, "reportSavePdf"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: str(target) in section.status.text(), timeout=10000)
    assert target.read_bytes().startswith(b"%PDF")


def test_a_chart_of_a_few_children_has_a_whole_number_at_every_tick(window, qtbot):
    from PySide6.QtCharts import QChartView, QValueAxis

    window.page("reports").tabs.setCurrentIndex(1)
    view = window.page("reports").findChild(QChartView)
    qtbot.waitUntil(lambda: any(isinstance(a, QValueAxis) for a in view.chart().axes()),
                    timeout=5000)
    axis = next(a for a in view.chart().axes() if isinstance(a, QValueAxis))
    # Labels in whole numbers: one tick per child, none between (no "0 0 0 0 0 1").
    assert axis.min() == 0 and axis.max() == int(axis.max())
    assert axis.tickCount() == int(axis.max()) + 1


def test_save_as_excel_on_a_full_stick_says_so_and_leaves_nothing(window, tmp_path,
                                                                  monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from tests.filesystems import fill, small_disk

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, _title, text, *a, **k: warnings.append(text))
    window.page("reports").tabs.setCurrentIndex(1)
    with small_disk(tmp_path / "stick", "1m") as stick:
        fill(stick)
        target = stick / "т1.xlsx"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
        QTest.mouseClick(window.findChild(QPushButton, "reportSaveExcel"),
                         Qt.MouseButton.LeftButton)
        assert len(warnings) == 1 and str(target) in warnings[0]
        assert "no space left" in warnings[0]
        assert [p.name for p in stick.iterdir()] == ["filler"]
