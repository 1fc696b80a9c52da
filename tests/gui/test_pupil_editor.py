"""The pupil editor: adding with IIN checks, editing with undo, unsaved changes, archiving."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QTableView

from daryn_desktop.core.enums import PupilStatus
from daryn_desktop.gui import sections
from daryn_desktop.gui.editor.pupil_editor import PupilEditor
from daryn_desktop.gui.main_window import MainWindow
from tests.gui.conftest import activate, type_text
from tests.helpers import add_pupil, add_school, make_iin

pytestmark = pytest.mark.usefixtures("tasks_inline")


@pytest.fixture
def window(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    activate(qtbot, window)
    return window


def _names(window):
    model = window.findChild(QTableView, "pupilTable").model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def _message(editor: PupilEditor, field: str) -> str:
    label = editor.profile.messages[field]
    return label.text() if label.isVisible() else ""


def _retype(qtbot, widget, text):
    widget.setFocus()
    widget.selectAll()
    QTest.keyClick(widget, Qt.Key.Key_Delete)
    type_text(widget, text)


def test_add_a_pupil_with_an_invalid_then_a_valid_iin(qtbot, window, store):
    school = add_school(store, "Қарабұлақ орта мектебі")
    section = window.page("pupils")
    section.apply()
    QTest.keyClick(section.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = section.editor
    assert editor is not None and editor.objectName() == "pupilEditor"
    activate(qtbot, editor)
    assert editor.windowTitle() == "New pupil"
    assert not editor.save_button.isEnabled()
    assert editor.problems.text() == ("To save, fill in: Surname, Given name, IIN, School,"
                                      " Grade.")
    # The empty fields are not marked red before the person has been there.
    assert _message(editor, "surname") == ""

    type_text(editor.profile.surname, "Сейітқызы")
    type_text(editor.profile.given_name, "Аружан")
    editor.profile.school.set_value(school.id)
    editor.profile.grade.setCurrentIndex(editor.profile.grade.findData(6))
    valid = make_iin("120315", 6, 77)
    wrong = valid[:11] + str((int(valid[11]) + 1) % 10)
    type_text(editor.profile.iin, wrong)
    assert _message(editor, "iin") == "The IIN's check digit is wrong: check the number."
    assert not editor.save_button.isEnabled()
    assert editor.tabs.tabBar().tabTextColor(0) == QColor("#b00020")
    assert editor.problems.text() == "Correct 1 problem to save."
    assert editor.profile.suggestion.isHidden()

    _retype(qtbot, editor.profile.iin, valid)
    assert _message(editor, "iin") == ""
    assert editor.profile.suggestion.text() == "The IIN says: born 15.03.2012, female."
    assert editor.profile.use_suggestion.isVisible()
    editor.profile.use_suggestion.click()
    assert editor.profile.birth_date.text() == "15.03.2012"
    assert editor.profile.sex.currentText() == "Female"
    assert not editor.profile.use_suggestion.isVisible()
    assert editor.save_button.isEnabled()
    assert editor.windowTitle() == "* Сейітқызы Аружан"

    QTest.keyClick(editor.profile.surname, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.windowTitle() == "Сейітқызы Аружан"
    assert not editor.save_button.isEnabled()
    saved = store.repos.pupils.by_iin(valid)
    assert saved is not None and saved.birth_date.isoformat() == "2012-03-15"
    assert _names(window) == ["Сейітқызы Аружан"]
    assert section.count_label.text() == "1 pupil"
    assert section.table.currentIndex().row() == 0


def test_a_registered_iin_is_refused_inline(qtbot, window, store):
    school = add_school(store)
    existing = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5)
    editor = window.page("pupils").new_pupil()
    type_text(editor.profile.iin, existing.iin)
    assert _message(editor, "iin") == (f"A pupil with IIN {existing.iin} is already"
                                       " registered: Ахметов Ерқанат.")


def test_a_date_that_is_not_a_date_is_reported(qtbot, window, store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5)
    editor = window.page("pupils").open_pupil(pupil.id)
    type_text(editor.profile.birth_date.line, "31.02.2012")
    assert _message(editor, "birth_date") == ("“31.02.2012” is not a date: write it as"
                                              " dd.mm.yyyy, for example 01.09.2025.")
    assert not editor.save_button.isEnabled()


def test_edit_and_undo_from_the_keyboard(qtbot, window, store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5, grade=7)
    section = window.page("pupils")
    section.apply()
    section.table.setFocus()
    section.table.selectRow(0)
    QTest.keyClick(section.table, Qt.Key.Key_Return)
    editor = section.editor
    activate(qtbot, editor)
    _retype(qtbot, editor.profile.surname, "Ахметжанов")
    editor.profile.grade.setCurrentIndex(editor.profile.grade.findData(8))
    assert editor.windowTitle() == "* Ахметжанов Ерқанат"
    assert editor.save_button.isEnabled()

    # Ctrl+Z inside a text field undoes the editor's last step (the grade), not the typing.
    editor.profile.surname.setFocus()
    QTest.keyClick(editor.profile.surname, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.profile.grade.currentData() == 7
    assert editor.profile.surname.text() == "Ахметжанов"
    QTest.keyClick(editor.profile.surname, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.profile.surname.text() == "Ахметов"
    assert editor.windowTitle() == "Ахметов Ерқанат"
    assert not editor.save_button.isEnabled()
    QTest.keyClick(editor.profile.surname, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.profile.surname.text() == "Ахметжанов"
    editor.save_button.click()
    assert store.repos.pupils.get(pupil.id).surname == "Ахметжанов"
    assert _names(window) == ["Ахметжанов Ерқанат"]

    editor.tabs.setCurrentWidget(editor.history)
    table = editor.history.table
    assert table.item(0, 2).text() == "Profile"
    assert table.item(0, 3).text() == "Surname: Ахметжанов"
    assert table.item(table.rowCount() - 1, 2).text() == "Profile (added)"


def test_unsaved_changes_are_not_lost_silently(qtbot, window, store, answer):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5)
    section = window.page("pupils")
    editor = section.open_pupil(pupil.id)
    _retype(qtbot, editor.profile.given_name, "Ерлан")
    asked = answer(QMessageBox.StandardButton.Cancel)
    editor.reject()
    assert asked == ["The changes to Ахметов Ерлан are not saved. Save them?"]
    assert editor.isVisible()
    assert not section.can_leave()
    answer(QMessageBox.StandardButton.Discard)
    editor.reject()
    assert not editor.isVisible()
    assert store.repos.pupils.get(pupil.id).given_name == "Ерқанат"

    editor = section.open_pupil(pupil.id)
    _retype(qtbot, editor.profile.given_name, "Ерлан")
    answer(QMessageBox.StandardButton.Save)
    editor.reject()
    assert store.repos.pupils.get(pupil.id).given_name == "Ерлан"


def test_archive_with_a_reason_instead_of_delete(qtbot, window, store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5)
    add_pupil(store, school, "Бекова", "Аружан", serial=6)
    section = window.page("pupils")
    section.apply()
    editor = section.open_pupil(pupil.id)

    def fill_the_dialog():
        dialog = QApplication.activeModalWidget()
        assert dialog.objectName() == "archiveDialog"
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        assert not ok.isEnabled()
        type_text(dialog.reason_edit, "Басқа ауданға көшті")
        assert ok.isEnabled()
        dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("left"))
        ok.click()

    QTimer.singleShot(0, fill_the_dialog)
    assert editor.archive()
    assert editor.banner.isVisible()
    assert editor.banner.text() == "Left the school. Reason: Басқа ауданға көшті"
    assert not editor.archive_button.isEnabled()
    assert _names(window) == ["Бекова Аружан"]
    assert section.count_label.text() == "1 pupil"
    stored = store.repos.pupils.get(pupil.id)
    assert stored.status == PupilStatus.LEFT and stored.archive_reason == "Басқа ауданға көшті"

    editor.restore_button.click()
    assert not editor.banner.isVisible()
    assert _names(window) == ["Ахметов Ерқанат", "Бекова Аружан"]


def test_lists_are_edited_in_tables_and_saved_together(qtbot, window, store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5)
    editor = window.page("pupils").open_pupil(pupil.id)
    achievements = editor.achievements.achievements
    achievements.add_button.click()
    model = achievements.model
    assert model.rowCount() == 1
    assert not editor.save_button.isEnabled()  # the event's name is missing
    assert editor.tabs.tabBar().tabTextColor(3) == QColor("#b00020")
    model.setData(model.index(0, 0), "Аудандық математика олимпиадасы")
    model.setData(model.index(0, 3), "place_1")
    assert model.index(0, 3).data() == "1st place"
    categories = editor.family.categories
    categories.add_button.click()
    categories.model.setData(categories.model.index(0, 0), "social_assistance")
    from datetime import date

    categories.model.setData(categories.model.index(0, 1), date(2025, 1, 10))
    assert categories.model.index(0, 1).data() == "10.01.2025"
    assert categories.remove_button.isEnabled()
    assert editor.save_button.isEnabled()
    editor.undo_action.trigger()
    assert categories.model.index(0, 1).data() == ""
    editor.redo_action.trigger()
    editor.save()
    assert [a.event_name for a in store.repos.achievements.for_parent(pupil.id)] == [
        "Аудандық математика олимпиадасы"]
    saved = store.repos.categories.for_parent(pupil.id)
    assert [(c.category.value, c.since) for c in saved] == [("social_assistance",
                                                             date(2025, 1, 10))]
    categories.view.setCurrentIndex(categories.model.index(0, 0))
    assert not categories.remove_button.isEnabled()  # saved records are ended, not removed


def test_attachments_are_checked_previewed_and_stored(qtbot, window, store, tmp_path):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5)
    editor = window.page("pupils").open_pupil(pupil.id)
    tab = editor.attachments
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello", encoding="utf-8")
    assert not tab.add_file(text_file)
    assert tab.message.text() == ("“notes.txt” is not a PDF, JPG or PNG file. Scan the document"
                                  " to PDF, JPG or PNG and add that file.")
    scan = tmp_path / "диплом.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    assert image.save(str(scan))
    assert tab.add_file(scan)
    assert not tab.add_file(scan)
    assert tab.message.text() == "This file is already attached as “диплом.png”."
    editor.tabs.setCurrentWidget(tab)
    tab.files.view.setCurrentIndex(tab.files.model.index(0, 0))
    assert not tab.preview.pixmap().isNull()
    assert editor.save()
    stored = store.repos.attachments.for_parent(pupil.id)
    assert [(a.filename, a.mime) for a in stored] == [("диплом.png", "image/png")]
    assert store.repos.attachments.content(stored[0].sha256) == scan.read_bytes()
    opened = tab.open_current()
    assert opened is not None and Path(opened).read_bytes() == scan.read_bytes()


def test_the_road_map_tab_hosts_the_road_map_editor(qtbot, window, store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5)
    editor = window.page("pupils").open_pupil(pupil.id)
    editor.tabs.setCurrentWidget(editor.road_map_page)
    if sections.resolve(sections.ROAD_MAP_EDITOR) is None:
        page = editor.road_map_page.findChild(QLabel, "notReadyText")
        assert page is not None and page.text().startswith("This part of the program is not")
    else:
        assert editor.road_map_editor is not None
        assert editor.road_map_editor.objectName() == "roadMapEditor"
    new = window.page("pupils").new_pupil()
    new.tabs.setCurrentWidget(new.road_map_page)
    labels = [label.text() for label in new.road_map_page.findChildren(QLabel)]
    assert "Save the pupil first; then the road map can be written here." in labels
