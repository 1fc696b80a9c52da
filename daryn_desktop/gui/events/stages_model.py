"""The table model of an event's stages in the event editor: levels, dates and venues."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtWidgets import QWidget

from daryn_desktop.core.dates import format_date, parse_date
from daryn_desktop.core.enums import EventLevel
from daryn_desktop.core.events import EventStage
from daryn_desktop.gui.events.common import DISPLAY, EDIT, ERROR_BRUSH, ROOT, Index
from daryn_desktop.i18n import _


class StagesModel(QAbstractTableModel):
    """The stages of the event being edited, in their order."""

    LEVEL, NAME, START, END, DEADLINE, VENUE = range(6)
    _DATES: ClassVar[dict[int, str]] = {START: "start_date", END: "end_date",
                                        DEADLINE: "registration_deadline"}

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.stages: list[EventStage] = []
        self.editable = True
        self.errors: set[tuple[int, str]] = set()
        self.changed: Callable[[], None] = lambda: None

    def set_stages(self, stages: list[EventStage]) -> None:
        self.beginResetModel()
        self.stages = stages
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.stages)

    def columnCount(self, parent: Index = ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return (_("Level"), _("Own name (optional)"), _("Starts"), _("Ends"),
                    _("Registration until"), _("Venue"))[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if self.editable else base

    def _attr(self, column: int) -> str:
        return ("level", "name", "start_date", "end_date", "registration_deadline",
                "venue")[column]

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        stage = self.stages[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.BackgroundRole:
            return ERROR_BRUSH if (index.row(), self._attr(column)) in self.errors else None
        if role not in (DISPLAY, EDIT):
            return None
        if column == self.LEVEL:
            return stage.level.label if role == DISPLAY else stage.level
        if column in self._DATES:
            return format_date(getattr(stage, self._DATES[column]))
        return getattr(stage, self._attr(column)) or ""

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802
        if not index.isValid() or role != EDIT:
            return False
        stage = self.stages[index.row()]
        column = index.column()
        if column == self.LEVEL:
            new = dataclasses.replace(stage, level=EventLevel(value))
        elif column in self._DATES:
            text = str(value or "").strip()
            try:
                day = parse_date(text) if text else None
            except ValueError:
                return False
            changes: dict[str, Any] = {self._DATES[column]: day}
            new = dataclasses.replace(stage, **changes)
        else:
            changes = {self._attr(column): str(value).strip() or None}
            new = dataclasses.replace(stage, **changes)
        self.stages[index.row()] = new
        self.dataChanged.emit(index, index)
        self.changed()
        return True
