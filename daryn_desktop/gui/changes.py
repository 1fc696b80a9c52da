"""Change notices: Qt signals that tell the window's views the data has changed, and which tables.

Views listen to :func:`notices` instead of polling the database (a :class:`Reloader` keeps one
in step). A notice is sent after every write transaction of the window's store (:func:`watch`,
whichever thread wrote: Qt queues it to the UI thread) naming the tables written, after every
task (:func:`~daryn_desktop.gui.tasks.start_task`: imports, sync, backups, which also write
outside the write path), and when the window becomes active again after another program (the
``daryn`` command) changed the database; those two name no table: anything may have changed.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # the unlock screen uses tasks (hence this module) before storage loads
    from daryn_desktop.storage.database import Store


class ChangeNotices(QObject):
    """The hub (one per application, made on the UI thread)."""

    #: The database may have changed: views that show it look again.
    changed = Signal()
    #: The same notice with the tables written (a frozenset), or None when it may be any.
    tables_changed = Signal(object)

    def notify(self, tables: frozenset[str] | None = None) -> None:
        """Send a notice (from any thread: listeners on the UI thread get it queued)."""
        self.changed.emit()
        self.tables_changed.emit(tables)


_hub: ChangeNotices | None = None
#: Stores already watched (a window rebuilt for another language watches its store again).
_watched: weakref.WeakSet[Store] = weakref.WeakSet()


def notices() -> ChangeNotices:
    """The hub; first called on the UI thread (by :func:`watch`), so it lives there."""
    global _hub
    if _hub is None:
        _hub = ChangeNotices()
    return _hub


def notify_changed(tables: Iterable[str] | None = None) -> None:
    """Tell every view the data may have changed (in ``tables``, or anywhere)."""
    notices().notify(frozenset(tables) if tables is not None else None)


def watch(store: Store) -> None:
    """Send a notice after each write transaction committed on ``store``."""
    hub = notices()
    if store not in _watched:
        _watched.add(store)
        store.on_change(hub.notify)


class Reloader(QObject):
    """Keeps a view in step with the data: a notice that names one of its tables marks it
    stale, and a stale view reloads at once if it is on screen, else when it is next shown.

    Notices that come in a burst (a dialog saving several records) cause one reload, after
    the writes that sent them; none happens while a task holds the database (the task's own
    notice, when it is over, brings the view up to date).
    """

    def __init__(self, view: QWidget, store: Store, tables: Iterable[str],
                 reload: Callable[[], object]):
        super().__init__(view)
        watch(store)
        self._view = view
        self._tables = frozenset(tables)
        self._reload = reload
        self.stale = False
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self._reload_if_shown)
        notices().tables_changed.connect(self._noticed)
        view.installEventFilter(self)

    def fresh(self) -> None:
        """The view has just read the data itself (e.g. a new search)."""
        self.stale = False

    def reload_if_stale(self) -> bool:
        """Reload now if a notice came since the last reading; whether it did."""
        if not self.stale:
            return False
        self.stale = False
        self._reload()
        return True

    def _noticed(self, tables: frozenset[str] | None) -> None:
        if tables is not None and not tables & self._tables:
            return
        self.stale = True
        self._soon.start()

    def _reload_if_shown(self) -> None:
        from daryn_desktop.gui import tasks  # tasks import this module

        if self._view.isVisible() and not tasks.is_running():
            self.reload_if_stale()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self._view and event.type() == QEvent.Type.Show and self.stale:
            self._soon.start()
        return False
