"""A statistics table (core/stats) as a Qt item model, in the report's language."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from daryn_desktop.core.stats.model import Cell, Table
from daryn_desktop.i18n import _
from daryn_desktop.reports.statistics import BOLD_ROWS, render

Index = QModelIndex | QPersistentModelIndex
_EMPHASIS = QColor("#eef2f6")


class StatsTableModel(QAbstractTableModel):
    """Label columns, then the table's columns; bold rows for headlines and totals."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.table: Table | None = None
        self._rows: list[tuple[str, list[Any]]] = []
        self._headers: list[str] = []
        self._labels = 0

    def set_table(self, table: Table | None, lang: str) -> None:
        self.beginResetModel()
        self.table = table
        if table is None:
            self._rows, self._headers, self._labels = [], [], 0
        else:
            shown = render(table, lang)
            self._rows, self._headers = shown.rows, shown.headers
            self._labels = len(table.label_titles)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if section < len(self._headers) else None
        return None

    def cell(self, index: Index) -> Cell | None:
        """The cell behind ``index`` (None for a label column)."""
        if self.table is None or not index.isValid() or index.column() < self._labels:
            return None
        row = self.table.rows[index.row()]
        column = self.table.columns[index.column() - self._labels]
        return row.cells.get(column.key)

    def row_label(self, row: int) -> str:
        return " — ".join(str(v) for v in self._rows[row][1][:self._labels] if v)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        kind, values = self._rows[index.row()]
        value = values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return ""
            column_kind = (self.table.columns[index.column() - self._labels].kind
                           if self.table and index.column() >= self._labels else "label")
            if column_kind == "share" and isinstance(value, float):
                return f"{value:.1%}"
            if isinstance(value, float):
                return f"{value:g}"
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and kind in BOLD_ROWS:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and kind in BOLD_ROWS:
            return QBrush(_EMPHASIS)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() < self._labels:
            return str(value) if value else None  # the whole name, cut on screen
        if role == Qt.ItemDataRole.ToolTipRole:
            cell = self.cell(index)
            if cell is not None and cell.has_members:
                return _("Double-click to see the pupils behind this figure")
        return None
