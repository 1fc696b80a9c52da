"""The main window: sections, the registry with Kazakh search and order, filters, status bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableView,
    QWidget,
)

from daryn_desktop.gui import sections
from daryn_desktop.gui.main_window import MainWindow
from daryn_desktop.gui.models import BLOCK
from tests.gui.conftest import activate, press, type_text, when_shown
from tests.helpers import add_pupil, add_school

pytestmark = pytest.mark.usefixtures("tasks_inline")


def _window(qtbot, store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    activate(qtbot, window)
    return window


def _names(window):
    model = window.findChild(QTableView, "pupilTable").model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def _count(window) -> str:
    return window.findChild(QLabel, "pupilCount").text()


def test_registry_lists_pupils_in_kazakh_order_with_a_count(qtbot, store):
    school = add_school(store)
    for i, (surname, given) in enumerate([("Өмірбеков", "Дәулет"), ("Ахметов", "Ерқанат"),
                                          ("Әбілқайыров", "Ұлықбек")]):
        add_pupil(store, school, surname, given, serial=i + 1)
    window = _window(qtbot, store)
    assert window.objectName() == "mainWindow"
    assert _names(window) == ["Ахметов Ерқанат", "Әбілқайыров Ұлықбек", "Өмірбеков Дәулет"]
    assert _count(window) == "3 pupils"


def test_a_write_elsewhere_shows_in_the_registry_without_refresh(qtbot, store):
    school = add_school(store)
    add_pupil(store, school, "Ахметов", "Ерқанат", serial=1)
    window = _window(qtbot, store)
    assert _names(window) == ["Ахметов Ерқанат"]
    # As another part of the window (an import, the road-map dialog) would: through the store.
    add_pupil(store, school, "Әбілқайыров", "Ұлықбек", serial=2)
    qtbot.waitUntil(lambda: _names(window) == ["Ахметов Ерқанат", "Әбілқайыров Ұлықбек"],
                    timeout=3000)
    assert _count(window) == "2 pupils"


def test_a_write_to_tables_the_registry_does_not_show_leaves_it_alone(qtbot, store):
    from daryn_desktop.gui import changes

    window = _window(qtbot, store)
    reloader = window.page("pupils").reloader
    changes.notify_changed({"road_map_templates"})
    assert not reloader.stale
    changes.notify_changed({"pupils"})
    assert reloader.stale
    qtbot.waitUntil(lambda: not reloader.stale, timeout=3000)  # on screen: read at once


def test_typing_kazakh_letters_filters_the_table(qtbot, store):
    school = add_school(store)
    add_pupil(store, school, "Әбілқайыров", "Ұлықбек", serial=1)
    add_pupil(store, school, "Ахметов", "Ерқанат", serial=2)
    add_pupil(store, school, "Ұлықбеков", "Арман", serial=3)
    window = _window(qtbot, store)
    search = window.findChild(QLineEdit, "pupilSearch")
    search.setFocus()
    type_text(search, "ҰЛЫҚ")
    assert search.text() == "ҰЛЫҚ"
    qtbot.waitUntil(lambda: _names(window) == ["Әбілқайыров Ұлықбек", "Ұлықбеков Арман"],
                    timeout=2000)
    assert _count(window) == "Found: 2 pupils"
    type_text(search, " әбі")
    qtbot.waitUntil(lambda: _names(window) == ["Әбілқайыров Ұлықбек"], timeout=2000)
    assert _count(window) == "Found: 1 pupil"
    search.clear()
    qtbot.waitUntil(lambda: len(_names(window)) == 3, timeout=2000)
    assert _count(window) == "3 pupils"


def test_many_pupils_are_read_a_block_at_a_time(qtbot, store):
    school = add_school(store)
    with store.transaction() as w:
        w.insert_many("pupils", [
            {"surname": f"Оқушы{i:04d}", "given_name": "Аты", "iin": f"{i:012d}",
             "school_id": school.id, "grade": 5} for i in range(650)])
    window = _window(qtbot, store)
    model = window.findChild(QTableView, "pupilTable").model()
    assert model.rowCount() == 650  # the scroll bar is exact …
    assert len(model._blocks) <= 2  # … but only the rows on screen were read
    assert len(model._keys) < 650  # and only the first screens' order
    assert model.index(649, 0).data() == "Оқушы0649 Аты"
    assert len(model._keys) == 650
    assert len(model._blocks) <= 3
    assert _count(window) == "650 pupils"
    assert BLOCK < 650


def test_filters_and_sorting(qtbot, store):
    village = add_school(store, "Қарабұлақ орта мектебі")
    town = add_school(store, "Абай атындағы мектеп-гимназия", settlement="153220100")
    add_pupil(store, village, "Өмірбеков", "Дәулет", serial=1, grade=9)
    ahmetov = add_pupil(store, town, "Ахметов", "Ерқанат", serial=2, grade=5)
    add_pupil(store, village, "Бекова", "Аружан", serial=3, grade=5)
    with store.transaction() as w:
        w.insert("pupil_categories", {"pupil_id": ahmetov.id, "category": "large_family"})
    window = _window(qtbot, store)
    school = window.findChild(QComboBox, "filterSchool")
    school.setCurrentIndex(school.findData(village.id))
    assert _names(window) == ["Бекова Аружан", "Өмірбеков Дәулет"]
    assert _count(window) == "Found: 2 pupils"
    grade = window.findChild(QComboBox, "filterGrade")
    grade.setCurrentIndex(grade.findData(5))
    assert _names(window) == ["Бекова Аружан"]
    window.page("pupils").filters.clear()
    assert len(_names(window)) == 3
    category = window.findChild(QComboBox, "filterCategory")
    category.setCurrentIndex(category.findData("large_family"))
    table = window.findChild(QTableView, "pupilTable")
    assert _names(window) == ["Ахметов Ерқанат"]
    assert table.model().index(0, 5).data() == "Large family"
    assert table.model().index(0, 4).data() == "Urban"
    window.page("pupils").filters.clear()
    # Sorting by the grade column (a click on its header).
    header = table.horizontalHeader()
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(3) + 5, 5))
    assert _names(window) == ["Ахметов Ерқанат", "Бекова Аружан", "Өмірбеков Дәулет"]
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(3) + 5, 5))
    assert _names(window) == ["Өмірбеков Дәулет", "Бекова Аружан", "Ахметов Ерқанат"]


def test_archived_filter_shows_only_archived_pupils(qtbot, store):
    school = add_school(store)
    gone = add_pupil(store, school, "Ахметов", "Ерқанат", serial=1)
    add_pupil(store, school, "Бекова", "Аружан", serial=2)
    store.repos.pupils.archive(gone.id, "Көшіп кетті")
    window = _window(qtbot, store)
    assert _names(window) == ["Бекова Аружан"]
    status = window.findChild(QComboBox, "filterStatus")
    status.setCurrentIndex(status.findData("archived"))
    assert _names(window) == ["Ахметов Ерқанат"]
    status.setCurrentIndex(status.findData("everyone"))
    assert _names(window) == ["Ахметов Ерқанат", "Бекова Аружан"]


def test_sections_navigation_and_not_ready_pages(qtbot, store):
    window = _window(qtbot, store)
    nav = window.findChild(QListWidget, "sectionList")
    titles = [nav.item(i).text() for i in range(nav.count())]
    assert titles == ["Pupils", "Road maps", "Events & achievements", "Sync", "Reports",
                      "Settings"]
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget().objectName() == "eventsSection"
    # A part not built yet says what it will hold.
    for entry in sections.SECTIONS:
        if not sections.is_ready(entry):
            page = window.show_section(entry.key)
            assert page.objectName() == f"notReady_{entry.key}"
            text = page.findChild(QLabel, "notReadyText").text()
            assert text.startswith("This part of the program is not ready yet.")
    QTest.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget().objectName() == "settingsSection"
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget().objectName() == "pupilsSection"
    for entry in sections.SECTIONS:
        page = window.show_section(entry.key)
        assert page is window.stack.currentWidget()


def test_status_bar_names_database_role_and_pending_changes(qtbot, store):
    school = add_school(store)
    add_pupil(store, school, "Ахметов", "Ерқанат", serial=1)
    window = _window(qtbot, store)
    assert window.findChild(QLabel, "statusDatabase").text() == "Database: daryn.db"
    assert window.findChild(QLabel, "statusRole").text().startswith("District coordinator — ")
    pending = window.findChild(QLabel, "pendingChanges")
    qtbot.waitUntil(lambda: "acknowledged" in pending.text(), timeout=2000)
    from daryn_desktop.storage.health import unacknowledged_changes

    count = unacknowledged_changes(store)
    assert pending.text().startswith(f"{count} change")


def test_ctrl_f_and_enter_go_from_search_to_the_editor(qtbot, store):
    school = add_school(store)
    add_pupil(store, school, "Ахметов", "Ерқанат", serial=1)
    add_pupil(store, school, "Бекова", "Аружан", serial=2)
    window = _window(qtbot, store)
    section = window.page("pupils")
    section.table.setFocus()
    QTest.keyClick(section.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert section.search.hasFocus()
    # Two pupils: Enter goes to the list, and Enter there opens the selected one.
    QTest.keyClick(section.search, Qt.Key.Key_Return)
    assert section.table.hasFocus() and section.editor is None
    assert section.table.currentIndex().row() == 0
    QTest.keyClick(section.table, Qt.Key.Key_Return)
    assert section.editor is not None and section.editor.profile.surname.text() == "Ахметов"
    press(section.editor, "closeButton")
    # One found: Enter in the search box opens them at once.
    section.search.setFocus()
    type_text(section.search, "бекова")
    QTest.keyClick(section.search, Qt.Key.Key_Return)
    assert section.editor is not None
    assert section.editor.objectName() == "pupilEditor"
    assert section.editor.profile.surname.text() == "Бекова"


def test_an_empty_registry_says_what_to_do_first(qtbot, store):
    window = _window(qtbot, store)
    section = window.page("pupils")
    steps = section.findChild(QWidget, "firstSteps")
    assert steps.isVisible()
    press(section, "firstStepsGuide")
    qtbot.waitUntil(lambda: any(w.objectName() == "guideWindow" and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=2000)
    guide = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "guideWindow")
    assert "First start" in guide.browser.toPlainText()
    guide.close()
    add_pupil(store, add_school(store), "Ахметов", "Ерқанат", serial=1)
    section.on_shown()
    assert not steps.isVisible()


def test_a_regional_centre_is_told_which_districts_are_silent(qtbot, make_store):
    from daryn_desktop.core.enums import Role
    from daryn_desktop.sync.card import card_bytes, parse_card
    from daryn_desktop.sync.identity import ensure_identity
    from daryn_desktop.sync.peers import trust_card

    region = make_store("region.db", role=Role.REGION)
    district = make_store("district.db")
    for store in (region, district):
        ensure_identity(store)
    trust_card(region, parse_card(card_bytes(district)))
    window = _window(qtbot, region)
    pending = window.findChild(QLabel, "pendingChanges")
    qtbot.waitUntil(lambda: "silent" in pending.text(), timeout=2000)
    assert pending.text() == "1 district silent for more than 30 days"
    assert "acknowledged" not in pending.text()


def test_the_window_title_and_the_region_follow_the_language(qtbot, make_store, qapp):
    from daryn_desktop.core.enums import Role
    from daryn_desktop.gui.app import apply_language
    from daryn_desktop.i18n import translator

    kk = translator("kk")
    store = make_store("demo.db", role=Role.REGION)
    with store.db.conn:  # named as the demo database is when made in Kazakh
        store.db.conn.execute("UPDATE installation SET name = ?",
                              [kk.gettext("Demo installation")])
    window = _window(qtbot, store)
    assert window.windowTitle() == "Daryn Desktop — Demo installation"
    assert window.findChild(QLabel, "statusRole").text() == "Regional centre — Aktobe Region"
    apply_language(qapp, "kk")
    try:
        other = _window(qtbot, store)
        assert other.windowTitle() == f"Daryn Desktop — {kk.gettext('Demo installation')}"
        assert other.findChild(QLabel, "statusRole").text().endswith("Ақтөбе облысы")
    finally:
        apply_language(qapp, "en")


def test_f1_opens_the_guide_and_ctrl_f1_the_keys_with_the_editors_redo_key(qtbot, store):
    from PySide6.QtWidgets import QTableWidget

    window = _window(qtbot, store)
    seen = []

    def read_keys(dialog):
        table = dialog.findChild(QTableWidget, "shortcutsTable")
        seen.append({table.item(r, 1).text(): table.item(r, 0).text()
                     for r in range(table.rowCount())})
        dialog.reject()

    when_shown(read_keys, "shortcutsDialog")
    QTest.keyClick(window, Qt.Key.Key_F1, Qt.KeyboardModifier.ControlModifier)
    keys = seen[0]
    editor = window.page("pupils").new_pupil()
    redo = editor.redo_button.text()  # "Redo (Ctrl+Y)" or "Redo (Ctrl+Shift+Z)"
    first_key = redo[redo.index("(") + 1:-1]
    assert keys["Redo in the pupil editor"].split(" or ")[0] == first_key
    assert keys["Search pupils"] == "Ctrl+F" and keys["Pupils"] == "Ctrl+1"
    editor.reject()
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: any(w.objectName() == "guideWindow" and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=2000)
    guide = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "guideWindow")
    text = guide.browser.toPlainText()
    assert "A road map from start to signature" in text
    assert f"{keys['Redo in the pupil editor']}" in text  # the same list in the guide
    guide.close()


def _pending_count(store) -> str:
    from daryn_desktop.storage.health import unacknowledged_changes

    return f"{unacknowledged_changes(store)} change"


def _status_shown(qtbot, store):
    """The window, its pending-changes label, and the label's first text once counted."""
    window = _window(qtbot, store)
    pending = window.findChild(QLabel, "pendingChanges")
    qtbot.waitUntil(lambda: pending.text().startswith(_pending_count(store)), timeout=2000)
    return window, pending, pending.text()


def test_the_status_bar_follows_writes_by_change_notices_not_by_a_timer(qtbot, store):
    school = add_school(store)
    _, pending, before = _status_shown(qtbot, store)
    add_pupil(store, school, "Сәрсенбаев", "Нұрәлі", serial=7)
    # Well within the three seconds the old poll took: the write itself sent the notice.
    qtbot.waitUntil(lambda: pending.text() != before, timeout=1000)
    assert pending.text().startswith(_pending_count(store))


def test_another_programs_writes_show_when_the_window_is_active_again(qtbot, store):
    from PySide6.QtWidgets import QWidget

    school = add_school(store)
    window, pending, before = _status_shown(qtbot, store)
    other = QWidget()
    qtbot.addWidget(other)
    activate(qtbot, other)
    with store.reopen() as elsewhere:  # as the daryn command would, on its own connection
        add_pupil(elsewhere, school, "Тілеуберді", "Әсел", serial=8)
    qtbot.wait(200)
    assert pending.text() == before  # no notice crosses processes, and nothing polls
    activate(qtbot, window)
    qtbot.waitUntil(lambda: pending.text() != before, timeout=2000)
    assert pending.text().startswith(_pending_count(store))
