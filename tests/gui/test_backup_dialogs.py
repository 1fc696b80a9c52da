"""Backing up from Settings and the File menu; restoring from the unlock screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QLabel

from daryn_desktop.gui.main_window import MainWindow
from daryn_desktop.gui.unlock import UnlockDialog
from daryn_desktop.storage.backups import make_backup
from daryn_desktop.storage.database import open_store
from daryn_desktop.storage.keyring import TEST_KDF
from tests.conftest import PASSWORD
from tests.gui.conftest import activate, click, press, type_text, when_shown
from tests.helpers import add_pupil, add_school

pytestmark = pytest.mark.usefixtures("tasks_inline")


@pytest.fixture
def folders(monkeypatch, tmp_path):
    """The folder chosen in folder dialogs, and what was opened in the system."""
    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(stick)))
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    return stick, opened


def test_settings_backs_up_to_the_chosen_folder_and_says_where(qtbot, store, folders):
    stick, opened = folders
    add_pupil(store, add_school(store), "Әбілқайыров", "Ұлықбек", serial=1)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    page = window.show_section("settings")
    said = []

    def back_up(dialog):
        assert dialog.objectName() == "backupDialog"
        press(dialog, "backupChooseFolder")
        assert dialog.findChild(QLabel, "backupFolder").text() == str(stick)
        press(dialog, "backupStart")
        said.append(dialog.findChild(QLabel, "backupResult").text())
        press(dialog, "backupOpenFolder")
        dialog.reject()

    when_shown(back_up)
    press(page, "backupButton")
    (made,) = stick.glob("*.db")
    assert said[0].startswith("The backup was written and checked: it opens.")
    assert str(made) in said[0] and "1 pupils" in said[0]
    assert made.with_name(made.name + ".keys").exists()
    assert opened == [str(stick)]


def test_ctrl_shift_b_opens_the_backup_from_the_file_menu(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    activate(qtbot, window)
    seen = when_shown(lambda dialog: dialog.reject())
    QTest.keyClick(window, Qt.Key.Key_B,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert seen[0].objectName() == "backupDialog"


def test_the_unlock_screen_restores_a_checked_backup(qtbot, store, tmp_path, monkeypatch):
    school = add_school(store)
    add_pupil(store, school, "Әбілқайыров", "Ұлықбек", serial=1)
    backup = make_backup(store, tmp_path).path
    add_pupil(store, school, "Бекова", "Аружан", serial=2)  # after the backup
    path = store.path
    store.close()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(backup), "")))
    unlock = UnlockDialog(path, kdf=TEST_KDF)
    qtbot.addWidget(unlock)
    unlock.show()
    checked = []

    def restore(dialog):
        assert dialog.objectName() == "restoreDialog"
        press(dialog, "restoreChoose")
        dialog.password.setFocus()
        type_text(dialog.password, "wrong password")
        press(dialog, "restoreCheck")
        assert dialog.findChild(QLabel, "restoreFacts").text().startswith(
            "The password is wrong.")
        assert not dialog.restore_button.isEnabled()
        dialog.password.clear()
        type_text(dialog.password, PASSWORD)
        press(dialog, "restoreCheck")
        checked.append(dialog.findChild(QLabel, "restoreFacts").text())
        checked.append(dialog.findChild(QLabel, "restoreWhatHappens").text())
        click(dialog.restore_button)

    when_shown(restore)
    press(unlock, "restoreBackup")
    assert checked[0].startswith("The backup opens. Тест: 1 pupils")
    assert "is not deleted: it is set aside" in checked[1]
    assert unlock.findChild(QLabel, "unlockError").text() == (
        "The backup was put in place. Type its password to open it.")
    click(unlock.open_button)
    assert unlock.store is not None
    assert [p.surname for p in unlock.store.repos.pupils.where("1", [], "sort_key")] == [
        "Әбілқайыров"]
    unlock.store.close()
    (kept,) = (path.parent / "backups").glob("before-restore-*.db")
    with open_store(kept, password=PASSWORD) as old:
        assert len(old.repos.pupils.where("1", [], "sort_key")) == 2
