"""What a statistics table is: columns, rows, cells that know the people behind them.

A table is computed once and shown in any language: its labels are message ids, names of
places (KATO codes) or proper names, turned into text by :func:`label_text` with the
report's language, which need not be the interface's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any

from daryn_desktop.core.territory import gazetteer

#: Kinds of column: a count of people, a share (0..1), a number (a score), a text.
COUNT, SHARE, NUMBER, TEXT = "count", "share", "number", "text"
#: Kinds of row: ordinary data, a headline indicator, a subtotal, the grand total, a heading.
DATA, HEADLINE, SUBTOTAL, TOTAL, HEADING = "data", "headline", "subtotal", "total", "heading"


@dataclass(frozen=True)
class Msg:
    """A translatable message id with named placeholders."""

    id: str
    params: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class PlaceName:
    """A region, district or settlement, named in the report's language."""

    code: str


@dataclass(frozen=True)
class Text:
    """A proper name (a school, a teacher) or any text shown as it is."""

    value: str


Label = Msg | PlaceName | Text


def cell_text(value: Any, t: Callable[[str], str], lang: str) -> str | None:
    """A cell's value as text when it is not a number (None for numbers and empty cells)."""
    if value is None or isinstance(value, (int, float)):
        return None
    if isinstance(value, tuple):
        return "; ".join(label_text(v, t, lang) for v in value)
    return label_text(value, t, lang)


def label_text(label: Label | str | None, t: Callable[[str], str], lang: str) -> str:
    """A label as text: ``t`` translates message ids, ``lang`` chooses the name of a place."""
    if label is None:
        return ""
    if isinstance(label, str):
        return label
    if isinstance(label, Text):
        return label.value
    if isinstance(label, PlaceName):
        place = gazetteer().find(label.code)
        return place.name(lang) if place else label.code
    params = {k: label_text(v, t, lang) if isinstance(v, (Msg, PlaceName, Text)) else v
              for k, v in label.params}
    text = t(label.id)
    return text.format(**params) if params else text


@dataclass(frozen=True)
class Column:
    key: str
    title: Msg
    kind: str = COUNT
    #: Whether a column of counts is summed on the total row of a spreadsheet.
    summable: bool = False
    #: Columns this one is worked out from: hidden for privacy when one of them is.
    depends: tuple[str, ...] = ()


class Cell:
    """A figure and who stands behind it (pupil ids; for a teacher, the pupils prepared).

    The people are kept as the lists they were counted from and joined only when asked
    for, so that counting 100,000 children into hundreds of cells copies nothing.
    """

    __slots__ = ("_members", "_parts", "hidden", "value")

    def __init__(self, value: Any, members: Iterable[str] = (), *, hidden: bool = False,
                 parts: list[list[str]] | None = None):
        #: A number, a text, a message (translated when shown), several messages, or None.
        self.value = value
        #: Withheld for privacy in files that leave the office.
        self.hidden = hidden
        self._parts = parts
        self._members: tuple[str, ...] | None = None if parts is not None else tuple(members)

    @classmethod
    def of(cls, parts: list[list[str]] | None, *, distinct: bool = False) -> Cell:
        """A count of the people in ``parts`` (each once when ``distinct``)."""
        parts = parts or []
        if distinct:
            # Counted now, listed only when asked (:attr:`members` lists each once, too).
            return cls(len(set(chain.from_iterable(parts))), parts=parts)
        return cls(sum(map(len, parts)), parts=parts)

    @property
    def members(self) -> tuple[str, ...]:
        if self._members is None:
            self._members = tuple(dict.fromkeys(chain.from_iterable(self._parts or ())))
        return self._members

    @property
    def has_members(self) -> bool:
        """Whether anyone stands behind the figure (without listing them)."""
        if self._members is not None:
            return bool(self._members)
        return any(self._parts or ())

    def withheld(self) -> Cell:
        """The same people, the value hidden."""
        cell = Cell(None, hidden=True, parts=self._parts)
        cell._members = self._members
        return cell

    def __repr__(self) -> str:
        return f"Cell({self.value!r})"


@dataclass
class Row:
    key: str
    labels: tuple[Label, ...]
    cells: dict[str, Cell] = field(default_factory=dict)
    kind: str = DATA

    def value(self, column: str) -> Any:
        cell = self.cells.get(column)
        return cell.value if cell is not None else None


@dataclass
class Table:
    """One named table (T1 …) for a territory, an academic year and an "as of" date."""

    key: str
    title: Msg
    #: Titles of the label columns on the left (district, place …).
    label_titles: tuple[Label, ...]
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    #: Lists naming people (teachers, pupils) say so and are produced only when asked.
    personal: bool = False
    #: Footnotes under the table (how it is counted is on the Definitions sheet).
    notes: list[Msg] = field(default_factory=list)
    #: Which column a chart of this table shows, by row (None: no chart).
    chart_columns: tuple[str, ...] = ()
    #: Whether the pupils behind a cell are teachers' pupils (T4) rather than counted pupils.
    teacher_rows: bool = False

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)


@dataclass(frozen=True)
class Territory:
    """Where the figures are counted: the whole database (region), a district or a school."""

    level: str  # "region" | "district" | "school"
    code: str | None = None  # KATO of the region or district; the school's id
    school_name: str | None = None

    @property
    def label(self) -> Label:
        if self.level == "school":
            return Text(self.school_name or self.code or "")
        return PlaceName(self.code or "")


@dataclass
class Report:
    """Several tables computed together, with what they were computed for."""

    territory: Territory
    academic_year: str
    as_of: date
    tables: list[Table]
    program_version: str
    computed_at: str = ""

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def share(part: int, whole: int) -> float | None:
    """``part / whole``, or None when there is nothing to divide by."""
    return part / whole if whole else None


def members_sorted(ids: Sequence[str] | set[str]) -> tuple[str, ...]:
    return tuple(sorted(ids))
