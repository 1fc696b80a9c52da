"""Starting: the first-run wizard, the demo database, unlocking and the recovery code."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWizard

from daryn_desktop.gui import app as gui_app
from daryn_desktop.gui import tasks
from daryn_desktop.gui.unlock import UnlockDialog
from daryn_desktop.gui.wizard import FirstRunWizard
from daryn_desktop.i18n import current_language, translator
from daryn_desktop.paths import app_paths
from daryn_desktop.storage.database import open_store
from daryn_desktop.storage.keyring import TEST_KDF
from tests.conftest import PASSWORD
from tests.gui.conftest import activate, type_text

pytestmark = pytest.mark.usefixtures("tasks_inline")

NEW_PASSWORD = "жаңа құпия сөз 2025"


def _next(wizard: QWizard) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()


def _choose(qtbot, combo, typed: str) -> None:
    """Type a few letters into a picker and take the first match, as a person would."""
    combo.setFocus()
    type_text(combo.lineEdit(), typed)
    completer = combo.completer()
    qtbot.waitUntil(lambda: completer.popup().isVisible(), timeout=2000)
    assert completer.completionCount() >= 1
    QTest.keyClick(completer.popup(), Qt.Key.Key_Down)
    QTest.keyClick(completer.popup(), Qt.Key.Key_Return)


@pytest.mark.parametrize("on_worker", [False, True], ids=["inline", "worker"])
def test_the_wizard_creates_an_encrypted_database_and_shows_the_code_once(qtbot, tmp_path,
                                                                          monkeypatch,
                                                                          on_worker):
    paths = app_paths(tmp_path)
    wizard = FirstRunWizard(paths, kdf=TEST_KDF)
    qtbot.addWidget(wizard)
    activate(qtbot, wizard)
    next_button = wizard.button(QWizard.WizardButton.NextButton)

    # Language: the choice applies at once, to our texts and to Qt's.
    wizard.language_page.buttons["ru"].click()
    assert current_language() == "ru"
    assert wizard.role_page.district.text() == translator("ru").gettext("District coordinator")
    wizard.language_page.buttons["en"].click()
    _next(wizard)

    # Role, then the territory from KATO with type-to-search.
    assert wizard.currentPage() is wizard.role_page
    wizard.role_page.district.setChecked(True)
    _next(wizard)
    territory = wizard.territory_page
    assert not next_button.isEnabled()
    # In English the places have their English names (Latin letters, "Region", "District").
    _choose(qtbot, territory.region, "aktob")
    assert territory.region.value() == "150000000"
    assert not next_button.isEnabled()  # a district coordinator needs the district too
    _choose(qtbot, territory.district, "alga")
    assert territory.district.value() == "153200000"
    assert next_button.isEnabled()
    _next(wizard)

    assert wizard.name_page.name.text() == "Education department of Alga District"
    _next(wizard)

    page = wizard.password_page
    create = wizard.button(QWizard.WizardButton.CommitButton)
    type_text(page.fields.first, "short")
    assert page.fields.hint.text() == "Too short: at least 8 characters."
    assert not create.isEnabled()
    page.fields.first.clear()
    type_text(page.fields.first, NEW_PASSWORD)
    type_text(page.fields.second, NEW_PASSWORD[:-1] + "6")
    assert page.fields.mismatch.text() == "The two passwords differ."
    assert not create.isEnabled()
    page.fields.second.clear()
    type_text(page.fields.second, NEW_PASSWORD)
    assert page.fields.hint.text() in ("Good", "Strong")
    assert create.isEnabled()
    if on_worker:  # as in the program: the click returns at once, the wizard goes on later
        monkeypatch.setattr(tasks, "_synchronous", False)
        create.click()
        assert wizard.currentPage() is page
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.code_page, timeout=20000)
    else:
        create.click()

    assert wizard.currentPage() is wizard.code_page
    code = wizard.code_page.code.text()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){5}", code)
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    assert "recovery code" in wizard.code_page.recovery_sheet().toPlainText()
    wizard.code_page.confirm.setChecked(True)
    assert finish.isEnabled()
    finish.click()
    assert wizard.result() == QWizard.DialogCode.Accepted

    store = wizard.store
    assert store.installation.district_kato == "153200000"
    assert store.installation.name == "Education department of Alga District"
    assert store.db.execute("SELECT count(*) FROM sync_keys").fetchone()[0] >= 2
    path = store.path
    assert path == paths.default_db
    store.close()
    open_store(path, password=NEW_PASSWORD).close()
    open_store(path, recovery_code=code.lower()).close()


def test_the_wizard_can_open_the_demo_database(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(gui_app, "DEMO_PUPILS", 30)
    wizard = FirstRunWizard(app_paths(tmp_path),
                            open_demo=lambda parent: gui_app.open_demo(str(tmp_path), parent))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.language_page.demo_button.click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    store = wizard.store
    try:
        assert store.path == app_paths(tmp_path).demo_db
        assert store.repos.pupils.count() == 30
    finally:
        store.close()


def test_unlock_with_a_wrong_then_the_right_password(qtbot, store):
    path = store.path
    store.close()
    dialog = UnlockDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.open_button.isEnabled()
    type_text(dialog.password, "wrong password")
    dialog.open_button.click()
    assert dialog.error.isVisible()
    assert dialog.error.text() == ("The password is wrong. Check the keyboard layout and Caps"
                                   " Lock, or use the recovery code.")
    assert dialog.isVisible() and dialog.store is None
    assert dialog.password.selectedText() == "wrong password"
    dialog.password.clear()
    type_text(dialog.password, PASSWORD)
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == UnlockDialog.DialogCode.Accepted
    assert dialog.store is not None
    assert dialog.store.installation.name == "Тест"
    dialog.store.close()


def test_a_forgotten_password_is_replaced_with_the_recovery_code(qtbot, store):
    path, code = store.path, store.recovery_code
    store.close()
    dialog = UnlockDialog(path, kdf=TEST_KDF)
    qtbot.addWidget(dialog)
    dialog.show()
    seen = {}

    def fill_in():
        recovery = QApplication.activeModalWidget()
        seen["title"] = recovery.windowTitle()
        ok = recovery.buttons.button(QDialogButtonBox.StandardButton.Ok)
        type_text(recovery.proof, "0000-0000-0000-0000-0000-0000")
        type_text(recovery.fields.first, NEW_PASSWORD)
        type_text(recovery.fields.second, NEW_PASSWORD)
        ok.click()  # a wrong code: the dialog stays and says why
        seen["error"] = recovery.error.text()
        recovery.proof.clear()
        type_text(recovery.proof, code)
        ok.click()

    QTimer.singleShot(0, fill_in)
    dialog.forgot.click()
    assert seen == {"title": "Set a new password with the recovery code",
                    "error": "The recovery code is wrong. Type it exactly as printed; dashes"
                             " and case do not matter."}
    assert dialog.error.text() == ("The password was changed. Type the new password to open"
                                   " the database.")
    type_text(dialog.password, NEW_PASSWORD)
    dialog.open_button.click()
    assert dialog.store is not None
    dialog.store.close()


def test_the_program_starts_with_the_wizard_and_then_unlocks(qtbot, tmp_path, monkeypatch):
    """The start-up choice: no database → wizard; a known database → unlock screen."""
    shown = []
    monkeypatch.setattr(FirstRunWizard, "exec", lambda self: shown.append("wizard") or 0)
    monkeypatch.setattr(UnlockDialog, "exec", lambda self: shown.append("unlock") or 0)
    args = gui_app.parse_args(["--data-dir", str(tmp_path)])
    paths = app_paths(tmp_path)
    from daryn_desktop.settings import load_settings

    assert gui_app.choose_store(args, paths, load_settings(paths)) is None
    paths.default_db.parent.mkdir(parents=True, exist_ok=True)
    paths.default_db.write_bytes(b"")
    assert gui_app.choose_store(args, paths, load_settings(paths)) is None
    assert shown == ["wizard", "unlock"]


def test_a_new_computer_starts_from_the_backup_of_the_registry(qtbot, store, tmp_path,
                                                               monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QLabel

    from daryn_desktop.storage.backups import make_backup
    from tests.conftest import PASSWORD
    from tests.gui.conftest import press, when_shown
    from tests.helpers import add_pupil, add_school

    add_pupil(store, add_school(store), "Әбілқайыров", "Ұлықбек", serial=1)
    backup = make_backup(store, tmp_path).path
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(backup), "")))
    new_pc = tmp_path / "new-pc"
    wizard = FirstRunWizard(app_paths(new_pc), kdf=TEST_KDF)
    qtbot.addWidget(wizard)
    wizard.show()

    def restore(dialog):
        press(dialog, "restoreChoose")
        dialog.password.setText(PASSWORD)
        press(dialog, "restoreCheck")
        assert dialog.findChild(QLabel, "restoreWhatHappens").text().startswith(
            "The backup becomes the database")
        press(dialog, "restoreAccept")

    when_shown(restore, "restoreDialog")
    press(wizard, "wizardRestoreBackup")
    assert wizard.result() == wizard.DialogCode.Accepted
    assert wizard.store is not None and wizard.store.path == new_pc / "daryn.db"
    assert [p.surname for p in wizard.store.repos.pupils.where("1", [], "sort_key")] == [
        "Әбілқайыров"]
    wizard.store.close()


@pytest.mark.parametrize("typed", [True, False], ids=["typed", "Open pressed at once"])
def test_the_main_window_is_prepared_once(qtbot, store, typed):
    """While the password is typed (once the unlock screen is on view: the key derivation
    then runs alone), or, when Open comes first, while the key is derived; once, whatever
    wrong passwords come before the right one."""
    path = store.path
    store.close()
    prepared = []
    dialog = UnlockDialog(path, prepare=lambda: prepared.append("main window"))
    qtbot.addWidget(dialog)
    dialog.show()
    if typed:
        qtbot.waitUntil(lambda: prepared == ["main window"], timeout=5000)
    type_text(dialog.password, "wrong password")
    QTest.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible()
    dialog.password.clear()
    type_text(dialog.password, PASSWORD)
    QTest.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.wait(10)  # the timer that would have prepared it a second time
    assert dialog.result() == UnlockDialog.DialogCode.Accepted
    assert prepared == ["main window"]
    dialog.store.close()


def test_open_pressed_as_the_screen_appears_does_not_wait_for_the_window(qtbot, store):
    """A password pasted and Open pressed the moment the screen is painted: the loading the
    paint began goes on beside the key derivation, and the worker opens the database as
    soon as the database module is there, not after the main window's modules."""
    import threading

    from PySide6.QtCore import QEvent, QObject

    path = store.path
    store.close()
    warmed = threading.Event()
    beside = []

    def prepare():  # the main window's modules: still loading when the database is open
        beside.append(warmed.wait(5))

    dialog = UnlockDialog(path, prepare=prepare, warm_up=lambda _s: warmed.set())
    qtbot.addWidget(dialog)

    class PressOpen(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and not beside and not self.done:
                self.done = True
                dialog.password.setText(PASSWORD)
                QTimer.singleShot(0, lambda: QTest.mouseClick(dialog.open_button,
                                                              Qt.MouseButton.LeftButton))
            return False

    press = PressOpen(dialog)
    press.done = False
    dialog.installEventFilter(press)
    tasks.set_synchronous(False)  # as in the program
    try:
        dialog.show()
        qtbot.waitUntil(lambda: dialog.result() == UnlockDialog.DialogCode.Accepted,
                        timeout=10_000)
    finally:
        tasks.set_synchronous(True)
    assert beside == [True]
    dialog.store.close()


def test_the_key_is_derived_on_the_worker_while_the_window_is_prepared(qtbot, store):
    """As in the program (tasks on the worker thread): the UI thread prepares the main
    window meanwhile, the worker warms the database up; a wrong password only says so."""
    import threading

    from daryn_desktop.gui import tasks

    path = store.path
    store.close()
    threads, warmed = [], []
    dialog = UnlockDialog(path, prepare=lambda: threads.append(threading.current_thread()),
                          warm_up=lambda s: warmed.append((s.path, threading.current_thread())))
    qtbot.addWidget(dialog)
    dialog.show()
    tasks.set_synchronous(False)  # as in the program; the fixture's setting comes back below
    try:
        type_text(dialog.password, "wrong password")
        dialog.open_button.click()
        assert dialog.error.text().startswith("The password is wrong.")
        assert dialog.store is None
        dialog.password.clear()
        type_text(dialog.password, PASSWORD)
        dialog.open_button.click()
    finally:
        tasks.set_synchronous(True)
    assert dialog.result() == UnlockDialog.DialogCode.Accepted
    assert dialog.store.installation.name == "Тест"
    assert threads == [threading.main_thread()]
    assert [p for p, _thread in warmed] == [path]
    assert warmed[0][1] is not threading.main_thread()
    dialog.store.close()


#: The program started as a person starts it, until its first screen is painted; the
#: modules loaded by then are printed (the unlock screen loads the rest after it is on view,
#: while the password is typed). The screen's exec() is replaced so that it returns.
FIRST_SCREEN = """
import json, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QDialog
from daryn_desktop.gui import app

class FirstPaint(QObject):
    modules = None

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is self.parent() and self.modules is None:
            self.modules = sorted(sys.modules)
        return False

def shown(dialog):
    watch = FirstPaint(dialog)
    dialog.installEventFilter(watch)
    dialog.show()
    while watch.modules is None:
        QApplication.processEvents()
    print(json.dumps({"screen": dialog.objectName(), "modules": watch.modules}))
    return 0

QDialog.exec = shown
sys.exit(app.main(sys.argv[1:]))
"""

#: What the first screen must not wait for: loaded when first used, or while the key is
#: derived after the password was typed.
HEAVY = ("reportlab", "openpyxl", "sqlite_utils", "sqlcipher3", "pypdf", "pyrage",
         "PySide6.QtCharts", "daryn_desktop.sync", "daryn_desktop.reports",
         "daryn_desktop.spreadsheets", "daryn_desktop.storage.database",
         "daryn_desktop.gui.main_window")


@pytest.mark.parametrize("database", [True, False], ids=["unlock screen", "first-run wizard"])
def test_the_first_screen_appears_before_the_heavy_modules_are_loaded(store, tmp_path,
                                                                      database):
    import json
    import os
    import subprocess
    import sys

    path = store.path
    store.close()
    args = ["--data-dir", str(tmp_path / "data")]
    if database:
        args += ["--db", str(path)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DARYN_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", FIRST_SCREEN, *args], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # the screen was closed: no database chosen
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["screen"] == ("unlockDialog" if database else "firstRunWizard")
    loaded = [m for m in seen["modules"]
              if any(m == heavy or m.startswith(heavy + ".") for heavy in HEAVY)]
    assert loaded == []
    assert "PySide6.QtWidgets" in seen["modules"]  # the screen was really made


def test_the_main_window_needs_nothing_from_the_module_that_starts_the_program():
    """``gui/app.py`` makes the main window; the window imports nothing of it (no circle),
    not even inside a method: it switches the language through ``gui/language.py``."""
    import ast
    from pathlib import Path

    from daryn_desktop.gui import main_window

    tree = ast.parse(Path(main_window.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert "daryn_desktop.gui.language" in imported
    assert not [name for name in imported if name and name.startswith("daryn_desktop.gui.app")]
    assert gui_app.apply_language is main_window.apply_language  # one language switch


def test_a_new_regional_centre_is_told_to_pair_its_districts(qtbot, make_store):
    """The status bar of a region without a paired district, read from storage alone."""
    from PySide6.QtWidgets import QLabel

    from daryn_desktop.core.enums import Role
    from daryn_desktop.gui.main_window import MainWindow

    region = make_store("region.db", role=Role.REGION)
    window = MainWindow(region)
    qtbot.addWidget(window)
    window.show()
    pending = window.findChild(QLabel, "pendingChanges")
    qtbot.waitUntil(lambda: pending.text() != "…", timeout=2000)
    assert pending.text() == "No district is paired yet (Sync → Pairing)"
