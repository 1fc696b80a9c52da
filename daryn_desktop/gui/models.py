"""The registry's Qt model: the matching pupils' keys in order, their columns read lazily.

A query gives only the row numbers of the matching pupils (an integer array: 800 kB for
100,000 pupils); the view asks for the rows it shows and the model reads them a block at a
time, keeping a bounded number of blocks. The scroll bar is exact, the count is free, and no
widget is made per row.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor

from daryn_desktop.core.enums import FamilyCategory, GiftednessKind, Labeled, RoadMapStatus
from daryn_desktop.i18n import N_, _
from daryn_desktop.storage.registry import (
    RegistryRow,
    SortColumn,
    count_matching,
    current_academic_year,
    data_token,
    ordered_keys,
    registry_rows,
)
from daryn_desktop.storage.search import PupilQuery

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
#: Rows read from the database at a time (a little more than a screen: the first screen of
#: a search is one read), and how many such blocks are kept.
BLOCK = 30
KEEP_BLOCKS = 130
#: Rows read at first in name order without search text; the rest of the order is read
#: when the person scrolls past them.
FIRST_ROWS = 200
#: Results of queries without search text (the slow ones: a scan of every pupil) are kept
#: until the database changes, so that clearing the search box is instant.
KEEP_RESULTS = 4

PUPIL_ID_ROLE = Qt.ItemDataRole.UserRole + 1

# Roles as plain ints, compared for every cell painted.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_PUPIL_ID = int(PUPIL_ID_ROLE)
_ROLES = frozenset((_DISPLAY, _TOOLTIP, _ALIGNMENT, _FOREGROUND, _PUPIL_ID))
_CENTER = int(Qt.AlignmentFlag.AlignCenter)


class Column(int, Enum):
    NAME = 0
    IIN = 1
    SCHOOL = 2
    GRADE = 3
    PLACE = 4
    CATEGORIES = 5
    GIFTEDNESS = 6
    ACHIEVEMENTS = 7
    ROAD_MAP = 8


_CENTERED = frozenset((Column.GRADE.value, Column.ACHIEVEMENTS.value))
_ARCHIVED_COLOR = QColor("#777777")

HEADERS = {
    Column.NAME: N_("Full name"),
    Column.IIN: N_("IIN"),
    Column.SCHOOL: N_("School"),
    Column.GRADE: N_("Grade"),
    Column.PLACE: N_("Rural / urban"),
    Column.CATEGORIES: N_("Categories"),
    Column.GIFTEDNESS: N_("Giftedness areas"),
    Column.ACHIEVEMENTS: N_("Achievements"),
    Column.ROAD_MAP: N_("Road map"),
}
SORTABLE = {Column.NAME: SortColumn.NAME, Column.IIN: SortColumn.IIN,
            Column.SCHOOL: SortColumn.SCHOOL, Column.GRADE: SortColumn.GRADE}


def label_of(enum: type[Labeled], value: str | None) -> str:
    """The translated label of a stored value; the value itself if this version lacks it."""
    if value is None:
        return ""
    try:
        return enum(value).label
    except ValueError:
        return value


def format_count(n: int) -> str:
    """1234567 as "1 234 567" (thin no-break spaces, as Kazakh and Russian texts group digits)."""
    return f"{n:,}".replace(",", "\u00a0")


#: A registry row with its display texts, one per column.
_Entry = tuple[RegistryRow, tuple[str, ...]]


class RegistryModel(QAbstractTableModel):
    """The pupils matching a query, in Kazakh alphabetical (or another chosen) order."""

    def __init__(self, store: Store, parent=None, *, query: PupilQuery | None = None):
        super().__init__(parent)
        self.store = store
        self.query = query or PupilQuery()
        self.sort_column = SortColumn.NAME
        self.descending = False
        self.academic_year = current_academic_year()
        self._keys = array("q")
        self._total = 0
        self._last_number = -1
        self._last_block: list[_Entry | None] = []
        self._blocks: OrderedDict[int, list[_Entry | None]] = OrderedDict()
        self._results: OrderedDict[tuple, tuple[tuple[int, int] | None, array, int]] = (
            OrderedDict())
        self.refresh()

    def _forget_rows(self) -> None:
        self._blocks.clear()
        self._last_number, self._last_block = -1, []

    # -- queries ---------------------------------------------------------------------------
    def _result_key(self) -> tuple:
        return (repr(self.query), self.sort_column, self.descending)

    def _load_keys(self) -> None:
        """Run the query: the whole order, or (in name order) the count and a first screen."""
        cacheable = not self.query.text.strip()
        token = data_token(self.store) if cacheable else None
        if cacheable:
            cached = self._results.get(self._result_key())
            if cached is not None and cached[0] == token:
                self._results.move_to_end(self._result_key())
                _token, self._keys, self._total = cached
                return
        if self.sort_column == SortColumn.NAME:
            # The match may be most of the registry (no text, or a letter or two typed):
            # count it and read the first screens along the name index; the full order
            # waits until it is needed (scrolling further).
            self._total = count_matching(self.store, self.query)
            self._keys = ordered_keys(self.store, self.query, self.sort_column,
                                      self.descending, limit=FIRST_ROWS)
        else:
            self._keys = ordered_keys(self.store, self.query, self.sort_column, self.descending)
            self._total = len(self._keys)
        if cacheable:
            self._remember(token)

    def _remember(self, token: tuple[int, int] | None) -> None:
        self._results[self._result_key()] = (token, self._keys, self._total)
        while len(self._results) > KEEP_RESULTS:
            self._results.popitem(last=False)

    def _complete_keys(self) -> None:
        """Read the whole order of a result that so far has only its first screens."""
        if len(self._keys) >= self._total:
            return
        token = data_token(self.store)
        self._keys = ordered_keys(self.store, self.query, self.sort_column, self.descending)
        if len(self._keys) != self._total:
            # Another connection wrote since the count: run the query again once the view
            # has finished painting (a reset in the middle of a paint is not allowed).
            QTimer.singleShot(0, self.refresh)
            return
        if not self.query.text.strip():
            self._remember(token)

    def refresh(self, query: PupilQuery | None = None) -> None:
        """Run ``query`` (or the current one again, e.g. after a save) and show its rows."""
        if query is not None:
            self.query = query
        self.beginResetModel()
        self._load_keys()
        self._forget_rows()
        self.endResetModel()

    def set_sort(self, column: SortColumn, descending: bool = False) -> None:
        self.sort_column, self.descending = column, descending
        self.refresh()

    @property
    def total(self) -> int:
        return self._total

    # -- rows ------------------------------------------------------------------------------
    def row(self, row: int) -> RegistryRow | None:
        """The registry row at a position, read from the database with its block if needed."""
        entry = self._entry(row)
        return entry[0] if entry is not None else None

    def _entry(self, row: int) -> _Entry | None:
        """The row and its display texts (computed once per block: painting asks for every
        cell's texts many times)."""
        if not 0 <= row < self._total:
            return None
        number = row // BLOCK
        if number == self._last_number:
            return self._last_block[row - number * BLOCK]
        if row >= len(self._keys):
            self._complete_keys()
            if row >= len(self._keys):
                return None
        block = self._blocks.get(number)
        if block is None:
            keys = self._keys[number * BLOCK:(number + 1) * BLOCK]
            fetched = {r.key: r for r in registry_rows(self.store, keys,
                                                        academic_year=self.academic_year)}
            block = []
            for key in keys:
                found = fetched.get(key)
                block.append(None if found is None else (
                    found, tuple(self._display(found, column) for column in Column)))
            self._blocks[number] = block
            while len(self._blocks) > KEEP_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(number)
        self._last_number, self._last_block = number, block
        return block[row - number * BLOCK]

    def pupil_id(self, row: int) -> str | None:
        found = self.row(row)
        return found.id if found else None

    def position_of(self, key: int) -> int | None:
        """Where a pupil is in the current order (None when the query does not match them)."""
        for attempt in range(2):
            try:
                return self._keys.index(key)
            except ValueError:
                if attempt or len(self._keys) >= self._total:
                    return None
                self._complete_keys()
        return None

    # -- Qt API ----------------------------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(Column)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES or not index.isValid():
            return None
        entry = self._entry(index.row())
        if entry is None:
            return None
        found, texts = entry
        if role == _DISPLAY:
            return texts[index.column()]
        if role == _PUPIL_ID:
            return found.id
        if role == _ALIGNMENT:
            return _CENTER if index.column() in _CENTERED else None
        if role == _FOREGROUND:
            return _ARCHIVED_COLOR if found.status != "active" else None
        return self._tooltip(found, Column(index.column()))

    def _display(self, row: RegistryRow, column: Column) -> str:
        if column == Column.NAME:
            return row.full_name
        if column == Column.IIN:
            return row.iin
        if column == Column.SCHOOL:
            return row.school_name
        if column == Column.GRADE:
            return row.grade_label
        if column == Column.PLACE:
            if row.rural is None:
                return ""
            return _("Rural") if row.rural else _("Urban")
        if column == Column.CATEGORIES:
            return ", ".join(label_of(FamilyCategory, c) for c in row.categories)
        if column == Column.GIFTEDNESS:
            return ", ".join(area for _kind, area in row.giftedness)
        if column == Column.ACHIEVEMENTS:
            return str(row.achievements) if row.achievements else ""
        if column == Column.ROAD_MAP:
            if row.road_map_status is None:
                return _("No road map")
            return label_of(RoadMapStatus, row.road_map_status)
        return ""

    def _tooltip(self, row: RegistryRow, column: Column) -> str | None:
        if column == Column.GIFTEDNESS and row.giftedness:
            return "\n".join(_("{kind}: {area}").format(kind=label_of(GiftednessKind, kind),
                                                        area=area)
                             for kind, area in row.giftedness)
        if column == Column.CATEGORIES and row.categories:
            return "\n".join(label_of(FamilyCategory, c) for c in row.categories)
        if column == Column.NAME and row.status != "active":
            return _("Archived")
        if column == Column.ROAD_MAP:
            return _("Road map for {year}").format(year=self.academic_year)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[Column(section)])
        if role == Qt.ItemDataRole.ToolTipRole and Column(section) in SORTABLE:
            return _("Click to sort by this column")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sortable = SORTABLE.get(Column(column)) if 0 <= column < len(Column) else None
        if sortable is None:
            return
        self.set_sort(sortable, order == Qt.SortOrder.DescendingOrder)
