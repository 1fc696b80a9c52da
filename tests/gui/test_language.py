"""Switching the language at once: our texts, Qt's own, and the choice remembered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox, QPushButton, QTableView

from daryn_desktop.gui.main_window import MainWindow
from daryn_desktop.i18n import current_language, translator
from daryn_desktop.paths import app_paths
from daryn_desktop.settings import load_settings
from tests.gui.conftest import activate, type_text
from tests.helpers import add_pupil, add_school

pytestmark = pytest.mark.usefixtures("tasks_inline")


def _header(window) -> str:
    model = window.page("pupils").findChild(QTableView, "pupilTable").model()
    return model.headerData(0, Qt.Orientation.Horizontal)


def test_switching_to_kazakh_rebuilds_the_window_in_kazakh(qtbot, store):
    school = add_school(store)
    for i, name in enumerate(("Ахметов", "Бекова")):
        add_pupil(store, school, name, "Аружан", serial=i + 1)
    window = MainWindow(store)
    qtbot.addWidget(window)
    activate(qtbot, window)
    window.show_section("settings")
    assert _header(window) == "Full name"

    new = window.switch_language("kk")
    qtbot.addWidget(new)
    kk = translator("kk")
    assert current_language() == "kk"
    assert new is not window and new.isVisible() and not window.isVisible()
    assert new.current_section() == "settings"  # the person stays where they were
    assert _header(new) == kk.gettext("Full name") != "Full name"
    count = new.page("pupils").findChild(QLabel, "pupilCount").text()
    assert count == kk.ngettext("{count} pupil", "{count} pupils", 2).format(count=2)
    # Qt's own buttons follow (qtbase_kk).
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Бас тарту"
    # The choice is kept for the next start.
    assert load_settings(app_paths()).language == "kk"

    back = new.switch_language("en")
    qtbot.addWidget(back)
    assert _header(back) == "Full name"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"


def test_unsaved_edits_keep_the_language(qtbot, store, answer):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=1)
    window = MainWindow(store)
    qtbot.addWidget(window)
    activate(qtbot, window)
    editor = window.page("pupils").open_pupil(pupil.id)
    type_text(editor.profile.given_name, "бек")
    asked = answer(QMessageBox.StandardButton.Cancel)
    assert window.switch_language("ru") is None
    assert asked and current_language() == "en"
    assert window.isVisible() and editor.isVisible()


def test_the_settings_page_switches_the_language(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    activate(qtbot, window)
    page = window.show_section("settings")
    replaced = []
    window.replaced.connect(replaced.append)
    page.language.setCurrentIndex(page.language.findData("ru"))
    page.findChild(QPushButton, "applyLanguage").click()
    assert current_language() == "ru"
    assert len(replaced) == 1
    qtbot.addWidget(replaced[0])
    nav = replaced[0].nav
    assert nav.item(0).text() == translator("ru").gettext("Pupils")


def test_a_language_switch_keeps_the_section_the_search_and_the_filters(qtbot, store):
    from PySide6.QtWidgets import QComboBox

    school = add_school(store)
    add_pupil(store, school, "Ахметов", "Ерқанат", serial=1, grade=5)
    add_pupil(store, school, "Ахметова", "Аружан", serial=2, grade=6)
    window = MainWindow(store)
    qtbot.addWidget(window)
    activate(qtbot, window)
    section = window.page("pupils")
    grade = section.findChild(QComboBox, "filterGrade")
    grade.setCurrentIndex(grade.findData(6))
    section.search.setFocus()
    type_text(section.search, "ахмет")
    section.apply()
    maps = window.show_section("road_maps")
    maps.status_box.setCurrentIndex(maps.status_box.findData("signed"))
    replaced = []
    window.replaced.connect(replaced.append)
    window.findChild(QAction, "language_kk").trigger()  # Language → Қазақша
    (rebuilt,) = replaced
    qtbot.addWidget(rebuilt)
    assert rebuilt.current_section() == "road_maps"
    assert rebuilt.page("road_maps").status_box.currentData() == "signed"
    again = rebuilt.page("pupils")
    assert again.search.text() == "ахмет"
    assert again.findChild(QComboBox, "filterGrade").currentData() == 6
    assert again.model.total == 1
    qtbot.addWidget(rebuilt.switch_language("en"))
