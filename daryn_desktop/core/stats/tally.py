"""Counting people into the cells of a table, remembering who went where.

People are first sorted by their *signature* — everything about them that decides which
cells they count in (district, place, sex, grade band, categories …) — which is one
dictionary step per person. Each signature then says which cells it counts in, and a
cell's people are the lists of the signatures that count there: a region of 100,000
children has a few thousand signatures, so the tables are filled in a blink.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from daryn_desktop.core.stats.model import SHARE, Cell, Column, Row, share
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.i18n.collation import sort_key

#: Which (row, column) cells a signature counts in.
Expand = Callable[[Any], Iterable[tuple[str, str]]]


class Tally:
    """People grouped by signature, then spread over cells."""

    def __init__(self) -> None:
        self.groups: dict[Any, list[str]] = {}
        # A missing cell made by the dictionary itself: one step per (group, cell) pair.
        self.cells: dict[tuple[str, str], list[list[str]]] = defaultdict(list)

    def add(self, signature: Any, member: str) -> None:
        found = self.groups.get(signature)
        if found is None:
            self.groups[signature] = [member]
        else:
            found.append(member)

    def spread(self, expand: Expand) -> Tally:
        """Put every group into the cells its signature counts in (call once, after adding)."""
        cells = self.cells
        for signature, members in self.groups.items():
            for key in expand(signature):
                cells[key].append(members)
        return self

    def count(self, row: str, column: str) -> int:
        return sum(map(len, self.cells.get((row, column), ())))

    def cell(self, row: str, column: str, *, distinct: bool = False) -> Cell:
        return Cell.of(self.cells.get((row, column)), distinct=distinct)

    def fill(self, row: Row, columns: Iterable[Column], *, distinct: bool = False) -> Row:
        """Count the cells of ``row`` for every column not yet set (shares are set later)."""
        for column in columns:
            if column.kind != SHARE and column.key not in row.cells:
                row.cells[column.key] = self.cell(row.key, column.key, distinct=distinct)
        return row


def share_cell(part: Cell, whole: int) -> Cell:
    """The share ``part`` is of ``whole``; the people behind it are those of ``part``."""
    cell = Cell(share(int(part.value or 0), whole))
    cell._parts, cell._members = part._parts, part._members
    return cell


def ordered_districts(codes: Iterable[str]) -> list[str]:
    """District codes in the Kazakh alphabetical order of their names."""
    places = gazetteer()

    def key(code: str) -> tuple[str, str]:
        place = places.find(code)
        return sort_key(place.name_kk if place else code), code

    return sorted(set(codes), key=key)
