"""The one way to run long work off the UI thread, with a progress dialog and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.i18n import _

T = TypeVar("T")
#: The dialog appears only for work that lasts longer than this, to avoid flicker.
SHOW_AFTER_MS = 600
POLL_MS = 50

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="daryn-task")
_synchronous = False
_running = 0


class _Waker(QObject):
    """Tells the UI thread at once that the worker finished (polling alone would add up to
    POLL_MS to every task, the unlock included)."""

    finished = Signal()


_waker: _Waker | None = None


def _the_waker() -> _Waker:
    """One for the program, made on the UI thread: a finished task may still signal it
    after its own run_task returned."""
    global _waker
    if _waker is None:
        _waker = _Waker()
    return _waker


def is_running() -> bool:
    """Whether a task is under way (timers must then leave the database alone)."""
    return _running > 0


def set_synchronous(enabled: bool) -> None:
    """Run tasks directly on the calling thread (tests and scripted screenshots only).

    Background work (``gui/background.py``) then runs at once, too.
    """
    global _synchronous
    _synchronous = enabled


def is_synchronous() -> bool:
    """Whether work runs directly on the calling thread (see :func:`set_synchronous`)."""
    return _synchronous


def run_task(parent: QWidget | None, title: str,
             work: Callable[[Callable[[Progress], None], CancelToken], T]) -> T:
    """Run ``work(report, cancel)`` on the worker thread while the UI stays responsive.

    ``work`` reports with ``report(Progress(...))`` and checks ``cancel`` between steps. The
    result (or the exception) is returned (raised) here, on the UI thread. Only one task
    runs at a time, so database access stays serialised.
    """
    global _running
    cancel = CancelToken()
    if _synchronous:
        return work(lambda _progress: None, cancel)
    latest: list[Progress] = []
    _running += 1
    try:
        return _run_in_worker(parent, title, work, cancel, latest)
    finally:
        _running -= 1


def _run_in_worker(parent: QWidget | None, title: str, work: Callable[..., T],
                   cancel: CancelToken, latest: list[Progress]) -> T:
    waker = _the_waker()
    future: Future[Any] = _executor.submit(work, latest.append, cancel)
    future.add_done_callback(lambda _future: waker.finished.emit())

    dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.canceled.connect(cancel.cancel)
    # Shown after a moment even when the work reports no progress (QProgressDialog on its
    # own appears only from a progress report), so that Cancel is always within reach.
    show_timer = QTimer(dialog)
    show_timer.setSingleShot(True)
    show_timer.setInterval(SHOW_AFTER_MS)
    show_timer.timeout.connect(lambda: None if future.done() else dialog.show())
    show_timer.start()
    loop = QEventLoop()

    def poll() -> None:
        if dialog.wasCanceled():
            cancel.cancel()
        if latest:
            p = latest[-1]
            latest.clear()
            if p.total:
                dialog.setMaximum(p.total)
                dialog.setValue(min(p.done, p.total))
            if p.message:
                dialog.setLabelText(p.message)
        if future.done():
            loop.quit()

    timer = QTimer()
    timer.setInterval(POLL_MS)
    timer.timeout.connect(poll)
    timer.start()
    # Queued: the signal comes from the worker thread and quits the loop on this one.
    wake = waker.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    poll()
    while not future.done():  # an earlier task's late signal may quit the loop too soon
        loop.exec()
    QObject.disconnect(wake)
    timer.stop()
    dialog.reset()
    dialog.deleteLater()
    return future.result()
