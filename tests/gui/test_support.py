"""Schools and staff for the editor's pickers, the task runner, and the crash dialog."""

from __future__ import annotations

import sys
import threading
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from daryn_desktop.core.enums import StaffRole
from daryn_desktop.core.progress import Cancelled, Progress
from daryn_desktop.errors import UserError
from daryn_desktop.gui import tasks
from daryn_desktop.gui.crash import install_excepthook, show_error
from daryn_desktop.gui.main_window import MainWindow
from daryn_desktop.gui.schools import SchoolDialog, SchoolsDialog
from daryn_desktop.gui.staff import StaffDialog, StaffListDialog
from daryn_desktop.paths import app_paths
from tests.gui.conftest import activate, type_text
from tests.helpers import add_pupil, add_school


@pytest.fixture
def window(qtbot, store):
    window = MainWindow(store)
    qtbot.addWidget(window)
    activate(qtbot, window)
    return window


def test_a_school_added_to_a_settlement_is_offered_in_the_editor(qtbot, store, window):
    dialog = SchoolDialog(store, window)
    qtbot.addWidget(dialog)
    assert not dialog.district.isEnabled()  # a district office adds schools in its district
    dialog.save()
    assert dialog.message.text() == ("Enter the school's name.\nChoose the settlement from the"
                                     " list (type a few letters).")
    type_text(dialog.name, "Ақай негізгі мектебі")
    dialog.settlement.set_value("153239100")  # Ақай ауылы
    assert dialog.place_kind.text() == "A rural settlement"
    dialog.save()
    school = dialog.school
    assert school is not None and school.district_kato == "153200000"
    assert store.repos.schools.get(school.id).name == "Ақай негізгі мектебі"

    listing = SchoolsDialog(store, window)
    qtbot.addWidget(listing)
    assert [listing.table.item(r, 0).text() for r in range(listing.table.rowCount())] == [
        "Ақай негізгі мектебі"]
    assert listing.table.item(0, 2).text() == "Rural"

    editor = window.page("pupils").new_pupil()
    combo = editor.profile.school
    assert combo.findData(school.id) >= 0
    combo.set_value(school.id)
    assert editor.profile.place_kind.text() == "Rural"


def test_staff_are_offered_as_preparing_teachers(qtbot, store, window):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ахметов", "Ерқанат", serial=1)
    dialog = StaffDialog(store, window)
    qtbot.addWidget(dialog)
    type_text(dialog.surname, "Сейітова")
    type_text(dialog.given_name, "Әйгерім")
    dialog.role.setCurrentIndex(dialog.role.findData(StaffRole.TEACHER.value))
    dialog.school.set_value(school.id)
    dialog.subject.setText("Математика")
    dialog.save()
    teacher = dialog.person
    assert store.repos.staff.get(teacher.id).full_name == "Сейітова Әйгерім"

    listing = StaffListDialog(store, window)
    qtbot.addWidget(listing)
    type_text(listing.search, "сейіт")
    assert listing.table.rowCount() == 1
    assert listing.table.item(0, 0).text() == "Сейітова Әйгерім"
    type_text(listing.search, "x")
    assert listing.table.rowCount() == 0

    editor = window.page("pupils").open_pupil(pupil.id)
    assert ("Сейітова Әйгерім (Teacher)", teacher.id) in editor.staff_choices()
    table = editor.achievements.achievements
    table.add_button.click()
    model = table.model
    model.setData(model.index(0, 0), "Облыстық олимпиада")
    model.setData(model.index(0, 7), teacher.id)
    assert model.index(0, 7).data() == "Сейітова Әйгерім (Teacher)"
    assert editor.save()
    assert store.repos.achievements.for_parent(pupil.id)[0].teacher_id == teacher.id


def test_a_task_returns_at_once_and_its_outcome_comes_back_on_the_ui_thread(qtbot):
    seen, results = [], []

    def work(report, cancel):
        for i in range(5):
            report(Progress(i, 5, "step"))
            time.sleep(0.02)
            seen.append(i)
        return threading.current_thread()

    tasks.start_task(None, "Working", work,
                     lambda worker: results.append((worker, threading.current_thread())))
    assert tasks.is_running() and not results  # no waiting here: the caller goes on
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    worker, delivered_on = results[0]
    assert worker is not threading.main_thread()
    assert delivered_on is threading.main_thread()
    assert seen == [0, 1, 2, 3, 4]
    assert not tasks.is_running()


def test_a_task_can_be_cancelled_from_its_progress_dialog(qtbot):
    errors = []

    def endless(report, cancel):
        while True:
            cancel.raise_if_cancelled()
            time.sleep(0.01)

    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    def dialog():
        shown = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QProgressDialog) and w.isVisible()]
        return shown[0] if shown else None

    tasks.start_task(None, "Endless", endless, lambda _r: None, errors.append)
    # The dialog appears only for work that lasts (600 ms); then the person presses Cancel.
    qtbot.waitUntil(lambda: dialog() is not None, timeout=5000)
    QTest.mouseClick(dialog().findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], Cancelled)
    assert not tasks.is_running()


def test_while_a_task_runs_the_window_takes_no_clicks(qtbot):
    from PySide6.QtWidgets import QPushButton, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    other = QPushButton("Another operation", window)
    other.setObjectName("another")
    pressed, done = [], []
    other.clicked.connect(lambda: pressed.append(True))
    window.show()
    release = threading.Event()
    tasks.start_task(window, "Held", lambda _report, _cancel: release.wait(5), done.append)
    QTest.mouseClick(window.findChild(QPushButton, "another"), Qt.MouseButton.LeftButton)
    assert pressed == []  # refused: a second operation cannot start half-way through the first
    release.set()
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    QTest.mouseClick(window.findChild(QPushButton, "another"), Qt.MouseButton.LeftButton)
    assert pressed == [True]


def test_the_waiting_form_returns_the_result_or_raises_the_error(qtbot):
    assert tasks.run_task(None, "Working", lambda _report, _cancel: "done") == "done"

    def failing(_report, _cancel):
        raise UserError("Ақау: файл ашылмады")

    with pytest.raises(UserError):
        tasks.run_task(None, "Failing", failing)
    assert not tasks.is_running()


def test_an_unexpected_error_is_logged_and_explained(qtbot, monkeypatch):
    shown = {}

    def fake_exec(box):
        shown["text"] = box.text()
        shown["details"] = box.detailedText()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    try:
        raise RuntimeError("the disk said no")
    except RuntimeError:
        exc_type, exc, tb = sys.exc_info()
    log = show_error(exc_type, exc, tb, app_paths())
    assert log is not None and log.parent == app_paths().logs
    content = log.read_text(encoding="utf-8")
    assert "RuntimeError: the disk said no" in content and "Daryn Desktop" in content
    assert str(log) in shown["text"]
    assert shown["text"].startswith("Something went wrong in the program.")
    assert "RuntimeError" in shown["details"]

    # An expected error is only explained, not logged as a crash.
    asked = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda _p, _t, text, *a: asked.append(text)))
    assert show_error(UserError, UserError("Bad input."), None, app_paths()) is None
    assert asked == ["Bad input."]

    previous = sys.excepthook
    install_excepthook(app_paths())
    try:
        assert sys.excepthook is not previous
    finally:
        sys.excepthook = previous
