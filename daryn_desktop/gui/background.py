"""Work whose outcome the window shows but need not wait for: off the UI thread, newest wins."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from daryn_desktop.core.progress import CancelToken
from daryn_desktop.gui import tasks

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
    if tasks.is_synchronous():
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
        if tasks.is_synchronous():  # tests and scripted screenshots: at once, on this thread
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
