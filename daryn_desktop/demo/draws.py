"""Seeded draws of the demo: cheap integer draws, weighted choices, a day in a quarter."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import accumulate
from typing import Generic, TypeVar

from daryn_desktop.core.academic import Quarter

T = TypeVar("T")


class DemoRandom(random.Random):
    """``random.Random`` with cheaper integer draws.

    ``choice``, ``randrange`` and ``randint`` scale ``random()`` instead of drawing exact
    unbiased integers: about three times faster, which matters at a million draws a run, and
    the bias (below 2**-40) is of no consequence for demo data. Still seeded, still
    reproducible, and never the module-level generator.
    """

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


class Choice(Generic[T]):
    """A weighted choice with the cumulative weights computed once (random.choices redoes it)."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]):
        if not items or len(items) != len(weights):
            raise ValueError("a weighted choice needs items with one weight each")
        self._items = list(items)
        self._cum = list(accumulate(weights))
        self._total = self._cum[-1]

    def pick(self, rng: random.Random) -> T:
        return self._items[bisect(self._cum, rng.random() * self._total)]


def pairs(pairs: Sequence[tuple[T, float]]) -> Choice[T]:
    return Choice([p[0] for p in pairs], [p[1] for p in pairs])


def within(quarter: Quarter, rng: random.Random) -> date:
    return quarter.start + timedelta(days=rng.randrange((quarter.end - quarter.start).days + 1))
