"""Background work: done off the UI thread, only the newest outcome delivered, errors too."""

from __future__ import annotations

import threading
import time

from daryn_desktop.errors import UserError

WAIT_MS = 5000


def _runner(qtbot):
    from PySide6.QtWidgets import QWidget

    from daryn_desktop.gui.tasks import BackgroundRunner

    owner = QWidget()
    qtbot.addWidget(owner)
    runner = BackgroundRunner(owner)
    results, errors = [], []
    runner.finished.connect(results.append)
    runner.failed.connect(errors.append)
    return owner, runner, results, errors


def test_the_work_runs_on_another_thread_and_its_result_comes_back_on_this_one(qtbot):
    _owner, runner, results, _errors = _runner(qtbot)
    delivered_on = []
    runner.finished.connect(lambda _r: delivered_on.append(threading.current_thread()))
    runner.start(lambda _cancel: threading.current_thread())
    assert runner.busy
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    assert results[0] is not threading.main_thread()
    assert delivered_on == [threading.main_thread()]
    assert not runner.busy


class _Held:
    """Work that starts, then waits to be released (or cancelled, if it heeds that)."""

    def __init__(self, *, heeds_cancel: bool = False, result: str = "old"):
        self.heeds_cancel, self.result = heeds_cancel, result
        self.started, self.release, self.finished = (threading.Event(), threading.Event(),
                                                      threading.Event())
        self.token = None

    def __call__(self, cancel):
        self.token = cancel
        self.started.set()
        try:
            while not (self.release.is_set() or (self.heeds_cancel and cancel.cancelled)):
                time.sleep(0.01)
            return self.result
        finally:
            self.finished.set()

    def start_on(self, runner) -> _Held:
        runner.start(self)
        assert self.started.wait(WAIT_MS / 1000)
        return self


def test_a_superseded_request_is_cancelled_and_its_outcome_never_shown(qtbot):
    _owner, runner, results, _errors = _runner(qtbot)
    held = _Held().start_on(runner)
    runner.start(lambda _cancel: "new")
    assert held.token.cancelled
    held.release.set()
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    qtbot.wait(100)  # time for a stale outcome to arrive, were it sent
    assert results == ["new"]


def test_errors_are_delivered_expected_or_not(qtbot):
    _owner, runner, results, errors = _runner(qtbot)

    def refuse(_cancel):
        raise UserError("Not now.")

    runner.start(refuse)
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert errors[0].translated() == "Not now."

    def bug(_cancel):
        raise ZeroDivisionError

    runner.start(bug)
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=WAIT_MS)
    assert isinstance(errors[1], ZeroDivisionError)
    assert results == []


def test_closing_the_window_while_work_runs_cancels_it_and_delivers_nothing(qtbot):
    owner, runner, results, errors = _runner(qtbot)
    held = _Held(heeds_cancel=True).start_on(runner)
    owner.close()
    owner.deleteLater()
    qtbot.waitUntil(held.finished.is_set, timeout=WAIT_MS)  # it was told to stop
    qtbot.wait(100)
    assert held.token.cancelled
    assert results == [] and errors == []


def test_quitting_cancels_every_request_under_way(qtbot):
    from daryn_desktop.gui import tasks

    _owner, runner, _results, _errors = _runner(qtbot)
    held = _Held().start_on(runner)
    tasks.cancel_all()
    assert held.token.cancelled
    held.release.set()
    qtbot.waitUntil(lambda: not tasks._undelivered, timeout=WAIT_MS)


def test_work_queued_after_the_workers_stopped_still_runs(monkeypatch):
    """At interpreter exit the worker is gone before the widgets: closing a section's
    connection from its ``destroyed`` signal must still happen, not raise."""
    from concurrent.futures import ThreadPoolExecutor

    from daryn_desktop.gui import tasks

    stopped = ThreadPoolExecutor(max_workers=1)
    stopped.shutdown()
    monkeypatch.setattr(tasks, "_workers", stopped)
    monkeypatch.setattr(tasks, "is_synchronous", lambda: False)
    done = []
    tasks.run_after_queued(lambda: done.append(True))
    assert done == [True]
