"""Qt item models of the road-map screens: goals, activities, road-map and due lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date, parse_date
from daryn_desktop.core.entities import Activity, Goal
from daryn_desktop.core.enums import ActivityStatus, SupportMeasure
from daryn_desktop.core.findings import Finding
from daryn_desktop.core.roadmap import validate_activity, validate_goal
from daryn_desktop.i18n import _
from daryn_desktop.storage.roadmaps import DueActivityRow, RoadMapFilter, RoadMapRow

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
EDIT = Qt.ItemDataRole.EditRole
DISPLAY = Qt.ItemDataRole.DisplayRole
ERROR_BRUSH = QBrush(QColor("#fde2e2"))
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
PAGE = 200


class GoalTableModel(QAbstractTableModel):
    """The goals being edited: text, and whether each was achieved."""

    TEXT, ACHIEVED = range(2)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.goals: list[Goal] = []
        self.plan_editable = True
        self.progress_editable = True
        self.on_change: Callable[[], None] = lambda: None

    def set_goals(self, goals: list[Goal]) -> None:
        self.beginResetModel()
        self.goals = goals
        self.endResetModel()

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.goals)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return (_("Goal"), _("Achieved"))[section]
        if role == DISPLAY:
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.TEXT and self.plan_editable:
            return base | Qt.ItemFlag.ItemIsEditable
        if index.column() == self.ACHIEVED and self.progress_editable:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: _Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        goal = self.goals[index.row()]
        if index.column() == self.TEXT:
            if role in (DISPLAY, EDIT):
                return goal.text
            if role == Qt.ItemDataRole.BackgroundRole and validate_goal(goal):
                return ERROR_BRUSH
        if index.column() == self.ACHIEVED and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if goal.achieved else Qt.CheckState.Unchecked
        return None

    def setData(self, index: _Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802
        goal = self.goals[index.row()]
        if index.column() == self.TEXT and role == EDIT:
            goal.text = str(value).strip()
        elif index.column() == self.ACHIEVED and role == Qt.ItemDataRole.CheckStateRole:
            goal.achieved = Qt.CheckState(value) == Qt.CheckState.Checked
        else:
            return False
        self.dataChanged.emit(index, index)
        self.on_change()
        return True


class ActivityTableModel(QAbstractTableModel):
    """The activities being edited, with inline editing of every column."""

    MEASURE, TITLE, RESPONSIBLE, START, DUE, QUARTER, STATUS, RESULT = range(8)
    PLAN_COLUMNS = frozenset({MEASURE, TITLE, RESPONSIBLE, START, DUE, QUARTER})
    PROGRESS_COLUMNS = frozenset({STATUS, RESULT})
    #: The column that shows a finding about a field (the others have none).
    COLUMN_OF_FIELD: ClassVar[dict[str, int]] = {
        "title": TITLE, "responsible": RESPONSIBLE, "start_date": START, "due_date": DUE,
        "due_quarter": QUARTER, "result": RESULT}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.activities: list[Activity] = []
        self._cells: list[tuple[tuple[str, ...], dict[int, list[Finding]]]] = []
        self.year = AcademicYear.containing(date.today())
        self.plan_editable = True
        self.progress_editable = True
        self.on_change: Callable[[], None] = lambda: None

    def set_activities(self, activities: list[Activity], year: AcademicYear) -> None:
        self.beginResetModel()
        self.activities, self.year = activities, year
        self._cells = [self._row_cells(a) for a in activities]
        self.endResetModel()

    def _row_cells(self, a: Activity) -> tuple[tuple[str, ...], dict[int, list[Finding]]]:
        """What a row shows and its findings per column, worked out once per change: a view
        sized to its contents asks for every cell many times."""
        shown = (a.measure.label, a.title, a.responsible or "", format_date(a.start_date),
                 format_date(a.due_date), ROMAN.get(a.due_quarter or 0, ""), a.status.label,
                 a.result or "")
        problems: dict[int, list[Finding]] = {}
        for finding in validate_activity(a, self.year):
            column = self.COLUMN_OF_FIELD.get(finding.field)
            if column is not None:
                problems.setdefault(column, []).append(finding)
        return shown, problems

    def headers(self) -> list[str]:
        return [_("Type of support"), _("Activity"), _("Responsible"), _("Start"), _("Due date"),
                _("Quarter"), _("Status"), _("Result")]

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.activities)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else 8

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        if role == DISPLAY:
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = index.column()
        if (column in self.PLAN_COLUMNS and self.plan_editable) or (
                column in self.PROGRESS_COLUMNS and self.progress_editable):
            return base | Qt.ItemFlag.ItemIsEditable
        # Cancelling changes the plan; the status stays editable for progress otherwise.
        return base

    def data(self, index: _Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == DISPLAY:
            return self._cells[index.row()][0][column]
        if role == EDIT:
            a = self.activities[index.row()]
            return (a.measure, a.title, a.responsible or "", format_date(a.start_date),
                    format_date(a.due_date), a.due_quarter, a.status, a.result or "")[column]
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole):
            problems = self._cells[index.row()][1].get(column)
            if problems:
                if role == Qt.ItemDataRole.ToolTipRole:
                    return "\n".join(f.text for f in problems)
                return ERROR_BRUSH if any(f.is_error for f in problems) else None
            if role == Qt.ItemDataRole.ToolTipRole and column in (self.TITLE, self.RESULT,
                                                                  self.MEASURE):
                # The whole text, for a row cut to its first lines.
                return self._cells[index.row()][0][column] or None
        return None

    def setData(self, index: _Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802
        if role != EDIT or not index.isValid():
            return False
        a = self.activities[index.row()]
        column = index.column()
        try:
            if column == self.MEASURE:
                a.measure = SupportMeasure(value)
            elif column == self.TITLE:
                a.title = str(value).strip()
            elif column == self.RESPONSIBLE:
                a.responsible = str(value).strip() or None
            elif column in (self.START, self.DUE):
                text = str(value or "").strip()
                parsed = parse_date(text) if text else None
                if column == self.START:
                    a.start_date = parsed
                else:
                    a.due_date = parsed
            elif column == self.QUARTER:
                a.due_quarter = int(value) if value else None
            elif column == self.STATUS:
                a.status = ActivityStatus(value)
            elif column == self.RESULT:
                a.result = str(value).strip() or None
        except ValueError:
            return False
        self._cells[index.row()] = self._row_cells(a)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 7))
        self.on_change()
        return True


class _PagedTableModel(QAbstractTableModel):
    """Rows from a query, loaded a page at a time as the view scrolls (never all at once)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Any] = []
        self.total = 0

    # what a subclass provides
    def fetch(self, limit: int, offset: int) -> list[Any]:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def headers(self) -> list[str]:
        raise NotImplementedError

    def refresh(self) -> None:
        self.beginResetModel()
        self.total = self.count()
        self.rows = self.fetch(PAGE, 0)
        self.endResetModel()

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.headers())

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802 - Qt API
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802 - Qt API
        more = self.fetch(PAGE, len(self.rows))
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None


class RoadMapListModel(_PagedTableModel):
    """Road maps matching a filter."""

    def __init__(self, maps, parent=None):
        super().__init__(parent)
        self.maps = maps
        self.filter = RoadMapFilter()

    def refresh(self, flt: RoadMapFilter | None = None) -> None:
        if flt is not None:
            self.filter = flt
        super().refresh()

    def fetch(self, limit: int, offset: int) -> list[RoadMapRow]:
        return self.maps.list(self.filter, limit=limit, offset=offset)

    def count(self) -> int:
        return self.maps.count(self.filter)

    def headers(self) -> list[str]:
        return [_("Pupil"), _("Grade"), _("School"), _("Academic year"), _("Status"),
                _("Done"), _("Signed")]

    def data(self, index: _Index, role: int = DISPLAY) -> Any:
        if role != DISPLAY or not index.isValid():
            return None
        r = self.rows[index.row()]
        return (r.pupil_name, r.grade, r.school_name, r.academic_year, r.status.label,
                f"{r.done} / {r.activities}", format_date(r.signed_date))[index.column()]


class DueTableModel(_PagedTableModel):
    """Open activities across all pupils (due this month, or overdue)."""

    def __init__(self, fetch: Callable[[int, int], list[DueActivityRow]],
                 count: Callable[[], int], parent=None):
        super().__init__(parent)
        self._fetch, self._count = fetch, count

    def fetch(self, limit: int, offset: int) -> list[DueActivityRow]:
        return self._fetch(limit, offset)

    def count(self) -> int:
        return self._count()

    def headers(self) -> list[str]:
        return [_("Due"), _("Pupil"), _("Grade"), _("School"), _("Activity"),
                _("Responsible"), _("Status")]

    def data(self, index: _Index, role: int = DISPLAY) -> Any:
        if role != DISPLAY or not index.isValid():
            return None
        r = self.rows[index.row()]
        due = format_date(r.due)
        if r.by_quarter:
            due = _("{date} (quarter {number})").format(date=due, number=ROMAN[r.by_quarter])
        return (due, r.pupil_name, r.grade, r.school_name, r.title, r.responsible or "",
                r.status.label)[index.column()]
