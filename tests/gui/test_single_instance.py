"""One window per database: a second start (a double-clicked bundle while the window is open)
hands its files to the running window instead of opening the database twice."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalServer

from daryn_desktop.gui.single import Arrivals, Listener, server_name
from daryn_desktop.sync.export import export_bundle, recipients_for_export
from tests.conftest import PASSWORD
from tests.helpers import add_pupil, add_school
from tests.integration.sync.conftest import make_world

pytestmark = pytest.mark.usefixtures("tasks_inline")


#: The running program, for the test: its database opened with the password (instead of the
#: unlock dialog), long work inline, and a line on standard output at each step.
FIRST = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from daryn_desktop.gui import app, tasks
from daryn_desktop.storage.database import open_store

db, data, password = sys.argv[1:4]
tasks.set_synchronous(True)

def choose_store(*_args):
    QTimer.singleShot(60_000, QApplication.closeAllWindows)  # never hang a test run
    print("LISTENING", flush=True)
    return open_store(db, password=password)

real = app.pass_on_imports

def pass_on_imports(window, files):
    real(window, files)
    logged = window.store.db.execute(
        "SELECT bundle_id FROM bundle_log WHERE direction = 'in'").fetchall()
    print("IMPORTED", " ".join(row[0] for row in logged), flush=True)
    window.close()  # the last window: the program ends as when a person closes it

app.choose_store, app.pass_on_imports = choose_store, pass_on_imports
sys.exit(app.main(["--data-dir", data]))
"""


def _start(*args: str, code: str | None = None) -> subprocess.Popen:
    if code is None:
        code = ("import sys; from daryn_desktop.gui.app import main; "
                f"sys.exit(main({list(args)!r}))")
        args = ()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_second_start_hands_its_bundle_to_the_open_window(make_store, tmp_path):
    region, (district,) = make_world(make_store, 1)
    add_pupil(district, add_school(district), "Әбілқайыров", "Ұлықбек")
    made = export_bundle(district, tmp_path / "stick", recipients_for_export(district)[0])
    region.close()
    data = tmp_path / "data"
    data.mkdir()
    first = _start(str(region.path), str(data), PASSWORD, code=FIRST)
    try:
        assert first.stdout.readline().strip() == "LISTENING", first.stderr.read()
        # A double-clicked bundle: the file association starts the program again.
        second = _start("--data-dir", str(data), "--import", str(made.path))
        try:
            assert second.wait(30) == 0, second.stderr.read()
        finally:
            second.kill()
            second.communicate()
        out, err = first.communicate(timeout=60)
    finally:
        first.kill()
    assert f"IMPORTED {made.bundle_id}" in out, err
    assert first.returncode == 0, err


def test_files_handed_over_while_unlocking_wait_for_the_window(qtbot):
    listener = Listener()
    delivered: list[list[str]] = []
    fronted: list[bool] = []
    arrivals = Arrivals(listener, delivered.append, early=lambda: fronted.append(True))
    listener.received.emit(["/a.dsb"])
    listener.received.emit(["/b.dsb"])
    assert delivered == [] and fronted == [True, True]
    arrivals.ready()
    assert delivered == [["/a.dsb", "/b.dsb"]]
    listener.received.emit(["/c.dsb"])
    assert delivered[-1] == ["/c.dsb"]


@pytest.mark.skipif(os.name != "posix", reason="a crashed program's socket file (Unix)")
def test_the_socket_left_by_a_crashed_program_is_taken_over(tmp_path):
    name = server_name(tmp_path)
    probe = QLocalServer()
    assert probe.listen(name)
    path = probe.fullServerName()
    probe.close()
    stale = socket.socket(socket.AF_UNIX)  # bound, never listening: like a crash left it
    stale.bind(path)
    try:
        listener = Listener()
        assert listener.listen(name)
        assert Path(path).exists()
    finally:
        stale.close()


def test_each_database_and_data_folder_has_its_own_name(tmp_path):
    names = {server_name(tmp_path / "a.db"), server_name(tmp_path / "b.db"),
             server_name(tmp_path)}
    assert len(names) == 3 and server_name(tmp_path / "x" / ".." / "a.db") in names


def test_a_listening_program_is_never_displaced(tmp_path):
    name = server_name(tmp_path / "same.db")
    first, second = Listener(), Listener()
    assert first.listen(name)
    assert not second.listen(name)  # the first one answers: its socket is not taken over
    assert first.listen(name)
