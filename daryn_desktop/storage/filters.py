"""The one way a filter becomes SQL: conditions joined by AND, with their parameters in order.

The registry's filters (:class:`~daryn_desktop.storage.search.PupilQuery`, also behind the
statistics' "show these pupils"), their indexed variant in search, and the road-map lists and
exports (:class:`~daryn_desktop.storage.roadmaps.RoadMapFilter`) all build their condition
with :class:`Where`; the road-map filter takes its pupil conditions from ``PupilQuery``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


class Where:
    """A condition under construction."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> None:
        """AND ``clause``, whose ``?`` take ``params``."""
        self.clauses.append(clause)
        self.params.extend(params)

    def one_of(self, column: str, values: Iterable[Any]) -> None:
        """``column`` is one of ``values`` (any number of them: passed as one JSON array)."""
        self.add(f"{column} IN (SELECT value FROM json_each(?))", json.dumps(list(values)))

    def include(self, condition: tuple[str, list[Any]]) -> None:
        """AND another built condition (as :meth:`sql` returns it), unless it is empty."""
        sql, params = condition
        if sql != "1":
            self.add(sql, *params)

    def sql(self) -> tuple[str, list[Any]]:
        """The condition and its parameters; ``"1"`` (always true) when nothing was added."""
        return (" AND ".join(self.clauses) or "1"), self.params
