"""The table model of a stage's results grid: editable result lines checked as they are typed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from daryn_desktop.core.enums import Award
from daryn_desktop.core.events import PLACE_AWARDS, ResultLine, validate_result
from daryn_desktop.gui.events.common import DISPLAY, EDIT, ERROR_BRUSH, ROOT, Index
from daryn_desktop.i18n import _
from daryn_desktop.storage.events import ResultRow

CHECK = Qt.ItemDataRole.CheckStateRole
WINNER_BRUSH = QBrush(QColor("#e3f4e1"))


class ResultsModel(QAbstractTableModel):
    """A stage's participants as editable result lines."""

    PUPIL, GRADE, SCHOOL, SUBJECT, TEACHER, SCORE, PLACE, AWARD, WITHDRAWN = range(9)
    EDITABLE = (SUBJECT, TEACHER, SCORE, PLACE, AWARD)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[ResultRow] = []
        self.lines: list[ResultLine] = []
        self.teachers: dict[str, str] = {}
        self.changed: Callable[[], None] = lambda: None

    def load(self, rows: list[ResultRow], teachers: dict[str, str]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.lines = [r.line() for r in rows]
        self.teachers = teachers
        self.endResetModel()

    @property
    def dirty(self) -> list[ResultLine]:
        """The lines that differ from what is stored."""
        return [line for row, line in zip(self.rows, self.lines) if line != row.line()]

    def problems(self, i: int) -> dict[str, str]:
        """The errors of line ``i`` by column attribute."""
        return {f.field: f.text for f in validate_result(self.lines[i]) if f.is_error}

    def has_errors(self) -> bool:
        return any(self.problems(i) for i in range(len(self.lines)))

    def rowCount(self, parent: Index = ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else 9

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return (_("Pupil"), _("Grade"), _("School"), _("Subject"), _("Preparing teacher"),
                    _("Score"), _("Place"), _("Award"), _("Did not take part"))[section]
        if role == DISPLAY:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in self.EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        if index.column() == self.WITHDRAWN:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    _ATTRS = ("", "", "", "subject", "teacher_id", "score", "place", "award", "withdrawn")

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        row, line = self.rows[index.row()], self.lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._ATTRS[column] in self.problems(index.row()):
                return ERROR_BRUSH
            return WINNER_BRUSH if line.award is not None and line.award.is_prize else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.problems(index.row()).get(self._ATTRS[column])
        if column == self.WITHDRAWN:
            if role == CHECK:
                return Qt.CheckState.Checked if line.withdrawn else Qt.CheckState.Unchecked
            return None
        if role not in (DISPLAY, EDIT):
            return None
        if column == self.PUPIL:
            return row.full_name
        if column == self.GRADE:
            return f"{row.grade}{row.class_letter or ''}"
        if column == self.SCHOOL:
            return row.school_name
        if column == self.SUBJECT:
            return line.subject or ""
        if column == self.TEACHER:
            if role == EDIT:
                return line.teacher_id
            return self.teachers.get(line.teacher_id or "", row.teacher_name or "")
        if column == self.SCORE:
            return "" if line.score is None else f"{line.score:g}"
        if column == self.PLACE:
            return "" if line.place is None else str(line.place)
        if column == self.AWARD:
            if role == EDIT:
                return line.award.value if line.award else None
            return line.award.label if line.award else ""
        return None

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        i, column = index.row(), index.column()
        line = self.lines[i]
        if column == self.WITHDRAWN and role == CHECK:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            new = dataclasses.replace(line, withdrawn=checked)
        elif role != EDIT:
            return False
        elif column == self.SUBJECT:
            new = dataclasses.replace(line, subject=str(value or "").strip() or None)
        elif column == self.TEACHER:
            new = dataclasses.replace(line, teacher_id=value or None)
        elif column == self.SCORE:
            text = str(value or "").strip().replace(",", ".")
            try:
                new = dataclasses.replace(line, score=float(text) if text else None)
            except ValueError:
                return False
        elif column == self.PLACE:
            text = str(value or "").strip()
            if text and not text.isdigit():
                return False
            place = int(text) if text else None
            award = line.award
            if award is None and place in PLACE_AWARDS:
                award = PLACE_AWARDS[place]  # the usual award for the place; it can be changed
            new = dataclasses.replace(line, place=place, award=award)
        elif column == self.AWARD:
            new = dataclasses.replace(line, award=Award(value) if value else None)
        else:
            return False
        self.lines[i] = new
        self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))
        self.changed()
        return True
