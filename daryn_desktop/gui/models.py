"""Qt item models over the store; rows are fetched a page at a time, never all at once."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from daryn_desktop.i18n import _
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.search import PupilQuery, PupilRow, count_pupils, search_pupils

PAGE = 200
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class PupilTableModel(QAbstractTableModel):
    """The registry: the pupils matching a query, in Kazakh order, loaded lazily by page."""

    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self.store = store
        self.query = PupilQuery()
        self._rows: list[PupilRow] = []
        self._total = 0
        self.refresh()

    def headers(self) -> list[str]:
        return [_("Full name"), _("IIN"), _("Grade"), _("School")]

    def refresh(self, query: PupilQuery | None = None) -> None:
        self.beginResetModel()
        if query is not None:
            self.query = query
        self._total = count_pupils(self.store, self.query)
        self._rows = search_pupils(self.store, self.query, limit=PAGE)
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else 4

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802 - Qt API
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802 - Qt API
        more = search_pupils(self.store, self.query, limit=PAGE, offset=len(self._rows))
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        row = self._rows[index.row()]
        return (row.full_name, row.iin, f"{row.grade}{row.class_letter or ''}",
                row.school_name)[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None
