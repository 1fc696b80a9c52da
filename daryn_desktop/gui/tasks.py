"""The one way to run work off the UI thread: operations, in two kinds.

* A **task** (:func:`start_task`) is work the person waits for — an import, a sync, a backup:
  it starts and returns at once; its outcome comes back later, on the UI thread, to
  ``on_done(result)`` or ``on_error(exception)``. Meanwhile a progress dialog offers Cancel and
  the window takes no clicks nor keys (no second operation can start half-way through the
  first), and a change notice (``gui/changes.py``) follows when it is over. One task at a
  time, so writes stay serialised.
* A **background job** (:class:`BackgroundRunner`) is work whose outcome the window shows but
  need not wait for — what an export will hold, a statistics table: it comes back as a
  signal, and the newest request wins (an older one is cancelled and never delivered).

:func:`set_synchronous` runs both at once on the calling thread (tests, screenshots).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ClassVar, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from daryn_desktop.core.progress import Cancelled, CancelToken, Progress
from daryn_desktop.errors import UserError
from daryn_desktop.gui import changes
from daryn_desktop.i18n import _

T = TypeVar("T")
TaskWork = Callable[[Callable[[Progress], None], CancelToken], T]
#: The dialog appears only for work that lasts longer than this, to avoid flicker.
SHOW_AFTER_MS = 600
POLL_MS = 50

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="daryn-task")
_synchronous = False
_running = 0


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


def _raise(exc: Exception) -> None:
    raise exc


def user_errors(handle: Callable[[UserError], object], *,
                cancelled: Callable[[Cancelled], object] | None = None
                ) -> Callable[[Exception], None]:
    """An ``on_error`` for :func:`start_task`: a :class:`UserError` goes to ``handle`` (a
    cancel to ``cancelled`` when given), any other error on to the program's error handler."""

    def on_error(exc: Exception) -> None:
        if cancelled is not None and isinstance(exc, Cancelled):
            cancelled(exc)
        elif isinstance(exc, UserError):
            handle(exc)
        else:
            raise exc

    return on_error


def start_task(parent: QWidget | None, title: str, work: TaskWork[T],
               on_done: Callable[[T], object],
               on_error: Callable[[Exception], object] = _raise, *,
               writes_data: bool = True) -> None:
    """Start ``work(report, cancel)`` on the worker thread and return at once.

    ``work`` reports with ``report(Progress(...))`` and checks ``cancel`` between steps. When
    it is over, on the UI thread, ``on_done(result)`` is called — or ``on_error(exception)``
    (a :class:`~daryn_desktop.errors.UserError`, :class:`Cancelled`, or an unexpected error,
    which by default goes on to the program's error handler). Until then the window takes
    no input but the progress dialog's Cancel. A task that ``writes_data`` (the default) is
    followed by a change notice naming no table, as it may write outside the write path; one
    that only reads the database (a file written, a printout) says so and sends none.
    """
    notice = changes.notify_changed if writes_data else _no_notice
    if _synchronous:
        try:
            result = work(lambda _progress: None, CancelToken())
        except Exception as exc:
            notice()
            on_error(exc)
            return
        notice()
        on_done(result)
        return
    _Task(parent, title, work, on_done, on_error, notice)


def _no_notice() -> None:
    """What a task that only reads sends when it is over: nothing."""


def run_task(parent: QWidget | None, title: str, work: TaskWork[T]) -> T:
    """Run a task and wait for its outcome, which is returned (or raised) here.

    The waiting spins a local event loop, re-entered by whatever the person does unless the
    input gate of :func:`start_task` holds; kept only for the start-up screens (the demo
    database made, the password's key derived), which run before the main window exists and
    return the opened store to the code that starts the program.
    """
    outcome: list[tuple[bool, Any]] = []
    loop = QEventLoop()

    def finish(ok: bool, value: Any) -> None:
        outcome.append((ok, value))
        loop.quit()

    start_task(parent, title, work, lambda result: finish(True, result),
               lambda exc: finish(False, exc))
    while not outcome:
        loop.exec()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


class _Finished(QObject):
    """Carries "the work is over" from the worker thread to the UI thread (queued)."""

    finished = Signal()


class _Task(QObject):
    """One task under way: its worker future, progress dialog and input gate."""

    #: Tasks under way, kept alive until their outcome is delivered.
    live: ClassVar[set[_Task]] = set()

    def __init__(self, parent: QWidget | None, title: str, work: TaskWork[Any],
                 on_done: Callable[[Any], object], on_error: Callable[[Exception], object],
                 notice: Callable[[], None]):
        super().__init__()
        global _running
        self.on_done, self.on_error, self.notice = on_done, on_error, notice
        self.cancel = CancelToken()
        self.latest: list[Progress] = []
        self.dialog = dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        dialog.canceled.connect(self.cancel.cancel)
        _Task.live.add(self)
        _running += 1
        _gate().hold(dialog)
        # Shown after a moment even when the work reports no progress (QProgressDialog on its
        # own appears only from a progress report), so that Cancel is always within reach.
        self.show_timer = QTimer(self)
        self.show_timer.setSingleShot(True)
        self.show_timer.setInterval(SHOW_AFTER_MS)
        self.show_timer.timeout.connect(self._show)
        self.show_timer.start()
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        self.timer.start()
        # Queued: the signal comes from the worker thread; the outcome is read on this one.
        self.relay = _Finished()
        self.relay.finished.connect(self._finish, Qt.ConnectionType.QueuedConnection)
        relay = self.relay
        self.future: Future[Any] = _executor.submit(work, self.latest.append, self.cancel)
        self.future.add_done_callback(lambda _future: relay.finished.emit())

    def _show(self) -> None:
        if not self.future.done():
            self.dialog.show()

    def _poll(self) -> None:
        dialog = self.dialog
        if dialog.wasCanceled():
            self.cancel.cancel()
        if self.latest:
            p = self.latest[-1]
            self.latest.clear()
            if p.total:
                dialog.setMaximum(p.total)
                dialog.setValue(min(p.done, p.total))
            if p.message:
                dialog.setLabelText(p.message)

    def _finish(self) -> None:
        global _running
        if self not in _Task.live:
            return
        _Task.live.discard(self)
        _running -= 1
        self.timer.stop()
        self.show_timer.stop()
        _gate().release(self.dialog)
        self.dialog.reset()
        self.dialog.deleteLater()
        self.deleteLater()
        # Tasks are the long writes (imports, sync, restores), some outside the write path:
        # views look again once the task is over, whatever its outcome.
        self.notice()
        try:
            result = self.future.result()
        except Exception as exc:
            self.on_error(exc)
            return
        self.on_done(result)


#: What a person does with mouse and keyboard: refused while a task runs.
_INPUT = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick, QEvent.Type.KeyPress, QEvent.Type.KeyRelease,
    QEvent.Type.Wheel, QEvent.Type.Shortcut, QEvent.Type.ShortcutOverride,
    QEvent.Type.ContextMenu, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd, QEvent.Type.Drop,
})


class _InputGate(QObject):
    """While a task runs, the windows take no clicks, keys nor close buttons — only the
    task's progress dialog does (its Cancel). Nothing is disabled, so a short task does not
    make the window flicker grey."""

    def __init__(self) -> None:
        super().__init__()
        self.dialogs: list[QProgressDialog] = []

    def hold(self, dialog: QProgressDialog) -> None:
        app = QApplication.instance()
        if not self.dialogs and app is not None:
            app.installEventFilter(self)
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self.dialogs.append(dialog)

    def release(self, dialog: QProgressDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
            app = QApplication.instance()
            if not self.dialogs and app is not None:
                app.removeEventFilter(self)
                QApplication.restoreOverrideCursor()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind == QEvent.Type.Close:
            # A window closed by its title bar would take the task's callbacks with it.
            return event.spontaneous() and not self._inside_dialog(watched)
        if kind in _INPUT:
            return not self._inside_dialog(watched)
        return False

    def _inside_dialog(self, watched: QObject) -> bool:
        for dialog in self.dialogs:
            if isinstance(watched, QWidget):
                if watched is dialog or dialog.isAncestorOf(watched):
                    return True
            elif isinstance(watched, QWindow) and watched is dialog.windowHandle():
                return True
        return False


_the_gate: _InputGate | None = None


def _gate() -> _InputGate:
    global _the_gate
    if _the_gate is None:
        _the_gate = _InputGate()
    return _the_gate


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
