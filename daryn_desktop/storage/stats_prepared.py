"""Counting the statistics tables: one report, or a register read once and counted by table."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from daryn_desktop import __version__
from daryn_desktop.core.progress import CancelToken, cyclic_gc_paused
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.engine import Counted, compute
from daryn_desktop.core.stats.model import Report
from daryn_desktop.storage.statistics import Request, load, pupil_names, teacher_weights
from daryn_desktop.storage.stats_cache import data_position

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store


def compute_report(store: Store, request: Request) -> Report:
    """The requested tables for the request's territory, year and date."""
    # Hundreds of thousands of rows and counted lists, none of them cyclic garbage.
    with cyclic_gc_paused():
        return _compute_report(store, request)


def _compute_report(store: Store, request: Request) -> Report:
    return report_from(store, Counted(load(store, request)), request)


class Prepared:
    """What a window counts tables from: the register of one territory, year and day, read
    once on a connection of its own and kept while nothing changes, so that choosing
    another table counts only that table. Use it on one thread; :meth:`close` at the end."""

    def __init__(self, store: Store):
        self._source = store
        self._own: Store | None = None
        self._key: tuple[Any, ...] | None = None
        self._counted: Counted | None = None

    def report(self, request: Request, cancel: CancelToken) -> Report:
        if self._own is None:
            self._own = self._source.reopen()
        own = self._own
        with own.stopped_by(cancel), cyclic_gc_paused():
            key = (request.territory, request.year, request.as_of, data_position(own))
            if key != self._key or self._counted is None:
                self._counted = None  # the old one's memory goes before the new one's comes
                self._counted = Counted(load(own, replace(request, tables=d.ALL_TABLES)))
                self._key = key
            return report_from(own, self._counted, request)

    def close(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own = None
        self._counted = None


def report_from(store: Store, counted: Counted, request: Request) -> Report:
    """The request's tables counted from a register already read."""
    return compute(counted, request.territory, request.tables, weights=teacher_weights(store),
                   pupil_names=lambda ids: pupil_names(store, ids),
                   program_version=__version__,
                   computed_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
