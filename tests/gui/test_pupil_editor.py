"""The pupil editor: adding with IIN checks, editing with undo, unsaved changes, archiving."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMessageBox, QTableView

from daryn_desktop.core.enums import PupilStatus
from daryn_desktop.gui import sections
from daryn_desktop.gui.editor.pupil_editor import PupilEditor
from daryn_desktop.gui.main_window import MainWindow
from tests.gui.conftest import activate, click, press, type_text, when_shown
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


def _open(qtbot, window, pupil):
    """Find the pupil by IIN in the registry's search; Enter opens the one match."""
    section = window.page("pupils")
    section.search.setFocus()
    type_text(section.search, pupil.iin)
    QTest.keyClick(section.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: section.editor is not None, timeout=3000)
    return section.editor


def _new(window):
    section = window.page("pupils")
    press(section, "newPupilButton")
    return section.editor


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
    # The required fields are marked.
    labels = {name: editor.findChild(QLabel, f"label_{name}").text()
              for name in ("surname", "given_name", "iin", "school_id", "grade", "patronymic")}
    assert [name for name, text in labels.items() if text.endswith(" *")] == [
        "surname", "given_name", "iin", "school_id", "grade"]
    assert editor.findChild(QLabel, "requiredNote").text() == "Fields marked * are required."
    assert editor.problems.text() == ("To save, fill in: Surname, Given name, IIN, School,"
                                      " Grade.")
    # The empty fields are not marked red before the person has been there.
    assert _message(editor, "surname") == ""

    type_text(editor.profile.surname, "Сейітқызы")
    type_text(editor.profile.given_name, "Аружан")
    assert editor.profile.language.currentData() is None
    editor.profile.school.set_value(school.id)
    # The language of instruction comes from the school.
    assert editor.profile.language.currentData() == "kk"
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
    click(editor.profile.use_suggestion)
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
    assert saved.language is not None and saved.language.value == "kk"
    assert _names(window) == ["Сейітқызы Аружан"]
    assert section.count_label.text() == "1 pupil"
    assert section.table.currentIndex().row() == 0


def test_a_registered_iin_is_refused_inline(qtbot, window, store):
    school = add_school(store)
    existing = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5)
    editor = _new(window)
    type_text(editor.profile.iin, existing.iin)
    assert _message(editor, "iin") == (f"A pupil with IIN {existing.iin} is already"
                                       " registered: Ахметов Ерқанат.")


def test_a_date_that_is_not_a_date_is_reported(qtbot, window, store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5)
    editor = _open(qtbot, window, pupil)
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
    click(editor.save_button)
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
    editor = _open(qtbot, window, pupil)
    _retype(qtbot, editor.profile.given_name, "Ерлан")
    asked = answer(QMessageBox.StandardButton.Cancel)
    press(editor, "closeButton")
    assert asked == ["The changes to Ахметов Ерлан are not saved. Save them?"]
    assert editor.isVisible()
    assert not section.can_leave()
    answer(QMessageBox.StandardButton.Discard)
    press(editor, "closeButton")
    assert not editor.isVisible()
    assert store.repos.pupils.get(pupil.id).given_name == "Ерқанат"

    section.search.clear()
    editor = _open(qtbot, window, pupil)
    _retype(qtbot, editor.profile.given_name, "Ерлан")
    answer(QMessageBox.StandardButton.Save)
    QTest.keyClick(editor.profile.given_name, Qt.Key.Key_Escape)
    assert store.repos.pupils.get(pupil.id).given_name == "Ерлан"


def test_archive_with_a_reason_instead_of_delete(qtbot, window, store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5)
    add_pupil(store, school, "Бекова", "Аружан", serial=6)
    section = window.page("pupils")
    section.apply()
    editor = _open(qtbot, window, pupil)

    def fill_the_dialog(dialog):
        assert dialog.objectName() == "archiveDialog"
        # It says what will happen: nothing is deleted.
        assert any("nothing is deleted" in label.text()
                   for label in dialog.findChildren(QLabel))
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        assert not ok.isEnabled()
        type_text(dialog.reason_edit, "Басқа ауданға көшті")
        assert ok.isEnabled()
        dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("left"))
        click(ok)

    when_shown(fill_the_dialog)
    press(editor, "archiveButton")
    assert editor.banner.isVisible()
    assert editor.banner.text() == "Left the school. Reason: Басқа ауданға көшті"
    assert not editor.archive_button.isEnabled()
    section.search.clear()
    qtbot.waitUntil(lambda: _names(window) == ["Бекова Аружан"], timeout=2000)
    assert section.count_label.text() == "1 pupil"
    stored = store.repos.pupils.get(pupil.id)
    assert stored.status == PupilStatus.LEFT and stored.archive_reason == "Басқа ауданға көшті"

    press(editor, "restoreButton")
    assert not editor.banner.isVisible()
    assert _names(window) == ["Ахметов Ерқанат", "Бекова Аружан"]


def test_lists_are_edited_in_tables_and_saved_together(qtbot, window, store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5)
    editor = _open(qtbot, window, pupil)
    achievements = editor.achievements.achievements
    editor.tabs.setCurrentWidget(editor.achievements)
    press(editor, "achievementsAdd")
    model = achievements.model
    assert model.rowCount() == 1
    assert not editor.save_button.isEnabled()  # the event's name is missing
    assert editor.tabs.tabBar().tabTextColor(3) == QColor("#b00020")
    model.setData(model.index(0, 0), "Аудандық математика олимпиадасы")
    model.setData(model.index(0, 3), "place_1")
    assert model.index(0, 3).data() == "1st place"
    categories = editor.family.categories
    editor.tabs.setCurrentWidget(editor.family)
    press(editor, "categoriesAdd")
    categories.model.setData(categories.model.index(0, 0), "social_assistance")
    from datetime import date

    categories.model.setData(categories.model.index(0, 1), date(2025, 1, 10))
    assert categories.model.index(0, 1).data() == "10.01.2025"
    assert categories.remove_button.isEnabled()
    assert editor.save_button.isEnabled()
    press(editor, "undoButton")
    assert categories.model.index(0, 1).data() == ""
    press(editor, "redoButton")
    press(editor, "saveButton")
    assert [a.event_name for a in store.repos.achievements.for_parent(pupil.id)] == [
        "Аудандық математика олимпиадасы"]
    saved = store.repos.categories.for_parent(pupil.id)
    assert [(c.category.value, c.since) for c in saved] == [("social_assistance",
                                                             date(2025, 1, 10))]
    categories.view.setCurrentIndex(categories.model.index(0, 0))
    assert not categories.remove_button.isEnabled()  # saved records are ended, not removed


def test_attachments_are_checked_previewed_and_stored(qtbot, window, store, tmp_path,
                                                      monkeypatch):
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog

    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5)
    editor = _open(qtbot, window, pupil)
    tab = editor.attachments
    editor.tabs.setCurrentWidget(tab)
    chosen: list[Path] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(chosen.pop(0)), "")))
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toLocalFile()) or True))

    def add_file(path):
        chosen.append(path)
        press(editor, "addAttachment")

    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello", encoding="utf-8")
    add_file(text_file)
    assert tab.message.text() == ("“notes.txt” is not a PDF, JPG or PNG file. Scan the document"
                                  " to PDF, JPG or PNG and add that file.")
    scan = tmp_path / "диплом.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    assert image.save(str(scan))
    add_file(scan)
    assert tab.files.model.rowCount() == 1
    add_file(scan)
    assert tab.message.text() == "This file is already attached as “диплом.png”."
    tab.files.view.setCurrentIndex(tab.files.model.index(0, 0))
    assert not tab.preview.pixmap().isNull()
    press(editor, "saveButton")
    stored = store.repos.attachments.for_parent(pupil.id)
    assert [(a.filename, a.mime) for a in stored] == [("диплом.png", "image/png")]
    assert store.repos.attachments.content(stored[0].sha256) == scan.read_bytes()
    press(editor, "openAttachment")
    assert len(opened) == 1 and Path(opened[0]).read_bytes() == scan.read_bytes()


def test_the_road_map_tab_hosts_the_road_map_editor(qtbot, window, store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=5)
    editor = _open(qtbot, window, pupil)
    editor.tabs.setCurrentWidget(editor.road_map_page)
    if sections.resolve(sections.ROAD_MAP_EDITOR) is None:
        page = editor.road_map_page.findChild(QLabel, "notReadyText")
        assert page is not None and page.text().startswith("This part of the program is not")
    else:
        assert editor.road_map_editor is not None
        assert editor.road_map_editor.objectName() == "roadMapEditor"
    press(editor, "closeButton")
    new = _new(window)
    new.tabs.setCurrentWidget(new.road_map_page)
    labels = [label.text() for label in new.road_map_page.findChildren(QLabel)]
    assert "Save the pupil first; then the road map can be written here." in labels


def test_a_regional_centre_erases_a_record_only_after_the_iin_is_typed(qtbot, make_store):
    from daryn_desktop.core.enums import Role
    from daryn_desktop.sync.identity import ensure_identity

    region = make_store("region.db", role=Role.REGION)
    ensure_identity(region)
    pupil = add_pupil(region, add_school(region), "Ахметов", "Ерқанат", serial=5)
    editor = PupilEditor(region, pupil.id)
    qtbot.addWidget(editor)
    editor.show()

    def answer(dialog, iin, erase):
        assert dialog.objectName() == "purgeDialog"
        assert any("It cannot be undone" in label.text()
                   for label in dialog.findChildren(QLabel))
        type_text(dialog.confirm, iin)
        assert dialog.erase_button.isEnabled() == erase
        click(dialog.erase_button) if erase else dialog.reject()

    when_shown(lambda dialog: answer(dialog, pupil.iin[:-1], False))
    press(editor, "purgeButton")
    assert region.repos.pupils.find(pupil.id) is not None
    when_shown(lambda dialog: answer(dialog, pupil.iin, True))
    press(editor, "purgeButton")
    assert region.repos.pupils.find(pupil.id) is None
    assert not editor.isVisible()


def test_a_district_has_no_erase_button(qtbot, window, store):
    pupil = add_pupil(store, add_school(store), "Ахметов", "Ерқанат", serial=5)
    editor = _open(qtbot, window, pupil)
    assert not editor.purge_button.isVisible()
