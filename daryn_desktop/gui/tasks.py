"""The one way to run work off the UI thread: operations, in two kinds.

* A **task** (:func:`run_task`) is work the person waits for — an import, a sync, a backup:
  a progress dialog with Cancel, the result returned where it was asked for, and a change
  notice (``gui/changes.py``) when it is over. One task at a time, so writes stay serialised.
* A **background job** (:class:`BackgroundRunner`) is work whose outcome the window shows but
  need not wait for — what an export will hold, a statistics table: it comes back as a
  signal, and the newest request wins (an older one is cancelled and never delivered).

:func:`set_synchronous` runs both at once on the calling thread (tests, screenshots).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.gui import changes
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

    Background jobs then run at once, too.
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
    try:
        if _synchronous:
            return work(lambda _progress: None, cancel)
        latest: list[Progress] = []
        _running += 1
        try:
            return _run_in_worker(parent, title, work, cancel, latest)
        finally:
            _running -= 1
    finally:
        # Tasks are the long writes (imports, sync, restores), some outside the write path:
        # views look again once the task is over, whatever its outcome.
        changes.notify_changed()


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


# -- background jobs: newest wins ------------------------------------------------------------
Work = Callable[[CancelToken], Any]

#: One thread: background jobs queue behind each other instead of competing for the two
#: cores with the window; a superseded job is cancelled, so it does not hold the queue up.
_workers = ThreadPoolExecutor(max_workers=1, thread_name_prefix="daryn-background")


class _Request:
    """One call of :meth:`BackgroundRunner.start`: its cancel token, then its outcome."""

    def __init__(self) -> None:
        self.cancel = CancelToken()
        self.result: Any = None
        self.error: Exception | None = None


class _Latest:
    """A runner's newest request. Plain Python, so that it can still be cancelled from the
    runner's ``destroyed`` signal, when the runner itself can no longer be used."""

    def __init__(self) -> None:
        self.request: _Request | None = None

    def replace(self, request: _Request | None) -> None:
        if self.request is not None:
            self.request.cancel.cancel()
            _undelivered.discard(self.request)
        self.request = request


#: Requests whose outcome has not come back yet (cancelled all at once when quitting).
_undelivered: set[_Request] = set()


class _Relay(QObject):
    """Carries finished requests from the worker thread to the UI thread (a queued signal).

    There is one, made on the UI thread and never deleted: a worker may finish after the
    widget that asked has gone, and must then still have a live object to emit from.
    """

    delivered = Signal(object)


_relay: _Relay | None = None


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
        app = QCoreApplication.instance()
        if app is not None:
            # Jobs still running at exit are abandoned, so that quitting does not wait.
            app.aboutToQuit.connect(cancel_all)
    return _relay


def cancel_all() -> None:
    """Cancel every request whose outcome has not come back (the application is quitting)."""
    for request in list(_undelivered):
        request.cancel.cancel()


def run_after_queued(work: Callable[[], Any]) -> None:
    """Run ``work`` on the background worker once the jobs queued before it are done (at
    once in synchronous mode): e.g. closing a connection that those jobs may still use."""
    if is_synchronous():
        work()
        return
    try:
        _workers.submit(work)
    except RuntimeError:
        # The interpreter is shutting down and the worker with it (widgets destroyed at
        # exit): nothing else can use the connection any more, so do it here.
        work()


class BackgroundRunner(QObject):
    """Runs ``work(cancel)`` on a worker thread; the outcome comes back as a signal.

    Each :meth:`start` supersedes the request before it: the older one is cancelled and
    its outcome, should it still arrive, is dropped, so only the newest is delivered —
    ``finished(result)``, or ``failed(exception)`` (a UserError or any other error).
    ``work`` runs on another thread: it must not touch widgets nor the window's database
    connection (see :meth:`Store.reopen`), and should stop when ``cancel`` is set. When
    the runner is destroyed with its widget, its request is cancelled and never delivered.
    """

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        latest = self._latest = _Latest()
        self.destroyed.connect(lambda *_args: latest.replace(None))
        _the_relay().delivered.connect(self._deliver)

    @property
    def busy(self) -> bool:
        """Whether a request waits for its outcome."""
        return self._latest.request is not None

    def start(self, work: Work) -> None:
        request = _Request()
        self._latest.replace(request)
        if is_synchronous():  # tests and scripted screenshots: at once, on this thread
            _run(request, work)
            self._deliver(request)
            return
        _undelivered.add(request)
        _workers.submit(_run_and_relay, request, work, _the_relay())

    def cancel(self) -> None:
        """Give up the request under way: its outcome will not be delivered."""
        self._latest.replace(None)

    def _deliver(self, request: _Request) -> None:
        if request is not self._latest.request:
            return  # superseded, cancelled, or another runner's
        self._latest.request = None
        if request.error is not None:
            self.failed.emit(request.error)
        else:
            self.finished.emit(request.result)


def _run(request: _Request, work: Work) -> None:
    try:
        request.result = work(request.cancel)
    except Exception as exc:  # handed to the UI thread, which decides what to show
        request.error = exc


def _run_and_relay(request: _Request, work: Work, relay: _Relay) -> None:
    if not request.cancel.cancelled:
        _run(request, work)
    _undelivered.discard(request)
    if not request.cancel.cancelled:
        relay.delivered.emit(request)
