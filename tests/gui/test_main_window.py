"""The main window: the registry list, search as you type with Kazakh letters, status bar."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QTableView

from daryn_desktop.gui.main_window import MainWindow
from daryn_desktop.i18n import set_language
from tests.gui.conftest import type_text
from tests.helpers import add_pupil, add_school


def _window(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    return window


def _names(window):
    model = window.findChild(QTableView, "pupilTable").model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_registry_lists_pupils_in_kazakh_order_with_a_count(qtbot, store):
    school = add_school(store)
    for i, (surname, given) in enumerate([("Өмірбеков", "Дәулет"), ("Ахметов", "Ерқанат"),
                                          ("Әбілқайыров", "Ұлықбек")]):
        add_pupil(store, school, surname, given, serial=i + 1)
    window = _window(qtbot, store)
    assert window.objectName() == "mainWindow"
    assert _names(window) == ["Ахметов Ерқанат", "Әбілқайыров Ұлықбек", "Өмірбеков Дәулет"]
    assert window.findChild(QLabel, "pupilCount").text() == "3 pupils"


def test_typing_kazakh_letters_filters_the_table(qtbot, store):
    school = add_school(store)
    add_pupil(store, school, "Әбілқайыров", "Ұлықбек", serial=1)
    add_pupil(store, school, "Ахметов", "Ерқанат", serial=2)
    window = _window(qtbot, store)
    search = window.findChild(QLineEdit, "pupilSearch")
    search.setFocus()
    type_text(search, "ҰЛЫҚ")
    assert search.text() == "ҰЛЫҚ"
    qtbot.waitUntil(lambda: _names(window) == ["Әбілқайыров Ұлықбек"], timeout=2000)
    assert window.findChild(QLabel, "pupilCount").text() == "1 pupil"


def test_many_pupils_are_fetched_lazily(qtbot, store):
    school = add_school(store)
    with store.transaction() as w:
        w.insert_many("pupils", [
            {"surname": f"Оқушы{i:04d}", "given_name": "Аты", "iin": f"{i:012d}",
             "school_id": school.id, "grade": 5} for i in range(650)])
    window = _window(qtbot, store)
    table = window.findChild(QTableView, "pupilTable")
    assert table.model().rowCount() < 650
    assert window.findChild(QLabel, "pupilCount").text() == "650 pupils"


def test_the_window_speaks_kazakh(qtbot, store):
    set_language("kk")
    window = _window(qtbot, store)
    header = window.findChild(QTableView, "pupilTable").model().headerData
    from PySide6.QtCore import Qt

    assert header(0, Qt.Orientation.Horizontal) != "Full name"
