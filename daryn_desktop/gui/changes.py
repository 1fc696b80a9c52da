"""Change notices: one Qt signal that tells the window's views the data has changed.

Views listen to :func:`notices` instead of polling the database. The signal is emitted after
every write transaction of the window's store (:func:`watch`, whichever thread wrote: Qt
queues it to the UI thread), after every task (:func:`~daryn_desktop.gui.tasks.run_task`:
imports, sync, backups, which also write outside the write path), and when the window
becomes active again after another program (the ``daryn`` command) changed the database.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # the unlock screen uses tasks (hence this module) before storage loads
    from daryn_desktop.storage.database import Store


class ChangeNotices(QObject):
    """The hub (one per application, made on the UI thread)."""

    #: The database may have changed: views that show it look again.
    changed = Signal()


_hub: ChangeNotices | None = None
#: Stores already watched (a window rebuilt for another language watches its store again).
_watched: weakref.WeakSet[Store] = weakref.WeakSet()


def notices() -> ChangeNotices:
    """The hub; first called on the UI thread (by :func:`watch`), so it lives there."""
    global _hub
    if _hub is None:
        _hub = ChangeNotices()
    return _hub


def notify_changed() -> None:
    """Tell every view the data may have changed."""
    notices().changed.emit()


def watch(store: Store) -> None:
    """Emit a notice after each write transaction committed on ``store``."""
    hub = notices()
    if store not in _watched:
        _watched.add(store)
        store.on_change(hub.changed.emit)
