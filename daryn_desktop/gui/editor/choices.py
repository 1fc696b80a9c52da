"""Lists the editor's pickers share (schools), read once and kept until the database changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from daryn_desktop.storage.registry import SchoolInfo, data_token, school_info, school_infos

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store


class SharedChoices:
    """The schools for every editor opened from one section: a region has over a thousand,
    and reading and listing them again for each pupil opened would be most of its cost."""

    def __init__(self, store: Store):
        self.store = store
        self._token: tuple[int, int] | None = None
        self._schools: dict[str, SchoolInfo] = {}
        self._model: QStandardItemModel | None = None

    def _check(self) -> None:
        token = data_token(self.store)
        if token != self._token:
            self._schools = {s.id: s for s in school_infos(self.store)}
            self._model = None
            self._token = token

    def schools(self) -> dict[str, SchoolInfo]:
        self._check()
        return self._schools

    def school(self, school_id: str | None) -> SchoolInfo | None:
        if not school_id:
            return None
        found = self.schools().get(school_id)
        if found is None:  # an archived school still shows on its old pupils
            found = school_info(self.store, school_id)
        return found

    def school_model(self) -> QStandardItemModel:
        """The schools as a model for combo boxes (text = name, user data = id)."""
        self._check()
        if self._model is None:
            model = QStandardItemModel()
            for info in self._schools.values():
                item = QStandardItem(info.name)
                item.setData(info.id, Qt.ItemDataRole.UserRole)
                model.appendRow(item)
            self._model = model
        return self._model

    def forget(self) -> None:
        self._token = None
