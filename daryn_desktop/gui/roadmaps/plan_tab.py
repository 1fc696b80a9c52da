"""The road-map editor's Plan tab: the activities table beside the goals, and their editing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.entities import Activity, Goal
from daryn_desktop.core.enums import ActivityStatus, SupportMeasure
from daryn_desktop.gui.buttons import button
from daryn_desktop.gui.roadmaps.delegates import DateDelegate, EnumDelegate, QuarterDelegate
from daryn_desktop.gui.roadmaps.models import ActivityTableModel, GoalTableModel
from daryn_desktop.i18n import _

#: The most lines of wrapped text a row of the plan shows.
MAX_LINES = 2


class PlanTab(QWidget):
    """The activities, which are edited most, with the goals beside them.

    Edits stay in the two models until the editor saves them; ``changed`` says one was made.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.road_map_id = ""
        goals_box = self._build_goals()
        acts_box = self._build_activities()
        # Rows follow their wrapped text: measured once after a load, an edit or a column
        # resize, not on every layout pass as ResizeToContents would (that doubled the time
        # to open a road map).
        self._fit_rows_timer = QTimer(self)
        self._fit_rows_timer.setSingleShot(True)
        self._fit_rows_timer.setInterval(0)
        self._fit_rows_timer.timeout.connect(self._fit_rows)
        for table, model in ((self.activity_table, self.activity_model),
                             (self.goal_table, self.goal_model)):
            table.horizontalHeader().sectionResized.connect(self._refit_rows)
            model.modelReset.connect(self._refit_rows)
            model.dataChanged.connect(self._refit_rows)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("roadMapPlanSplitter")
        self.splitter.addWidget(acts_box)
        self.splitter.addWidget(goals_box)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1000, 250])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.splitter)

    def _build_goals(self) -> QGroupBox:
        self.goal_model = GoalTableModel(self)
        self.goal_model.on_change = self.changed.emit
        self.goal_table = QTableView()
        self.goal_table.setObjectName("roadMapGoals")
        self.goal_table.setModel(self.goal_model)
        self.goal_table.setWordWrap(True)
        goal_header = self.goal_table.horizontalHeader()
        goal_header.setSectionResizeMode(GoalTableModel.TEXT, QHeaderView.ResizeMode.Stretch)
        goal_header.setSectionResizeMode(GoalTableModel.ACHIEVED,
                                         QHeaderView.ResizeMode.ResizeToContents)
        self.add_goal_button = button(_("Add goal"), "roadMapAddGoal", self.add_goal)
        self.remove_goal_button = button(_("Remove goal"), "roadMapRemoveGoal", self.remove_goal)
        goals_box = QGroupBox(_("Goals for the year"))
        goals_layout = QVBoxLayout(goals_box)
        goals_layout.setContentsMargins(6, 6, 6, 6)
        goals_layout.addWidget(self.goal_table)
        row = QHBoxLayout()
        row.addWidget(self.add_goal_button)
        row.addWidget(self.remove_goal_button)
        row.addStretch(1)
        goals_layout.addLayout(row)
        return goals_box

    def _build_activities(self) -> QGroupBox:
        self.activity_model = ActivityTableModel(self)
        self.activity_model.on_change = self.changed.emit
        self.activity_table = QTableView()
        self.activity_table.setObjectName("roadMapActivities")
        self.activity_table.setModel(self.activity_model)
        self.activity_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.activity_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                            | QAbstractItemView.EditTrigger.EditKeyPressed
                                            | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self._delegates = [EnumDelegate(SupportMeasure, self), EnumDelegate(ActivityStatus, self),
                           DateDelegate(self), QuarterDelegate(self)]
        m = ActivityTableModel
        self.activity_table.setItemDelegateForColumn(m.MEASURE, self._delegates[0])
        self.activity_table.setItemDelegateForColumn(m.STATUS, self._delegates[1])
        self.activity_table.setItemDelegateForColumn(m.START, self._delegates[2])
        self.activity_table.setItemDelegateForColumn(m.DUE, self._delegates[2])
        self.activity_table.setItemDelegateForColumn(m.QUARTER, self._delegates[3])
        self.activity_table.setWordWrap(True)
        self.activity_table.verticalHeader().setDefaultSectionSize(
            self.fontMetrics().height() + 10)
        self._size_activity_columns()
        self.add_activity_button = button(_("Add activity"), "roadMapAddActivity",
                                          self.add_activity)
        self.remove_activity_button = button(_("Remove activity"), "roadMapRemoveActivity",
                                             self.remove_activity)
        self.up_button = button(_("Move up"), "roadMapUp", lambda: self.move_activity(-1))
        self.down_button = button(_("Move down"), "roadMapDown", lambda: self.move_activity(1))
        acts_box = QGroupBox(_("Plan of activities"))
        acts_layout = QVBoxLayout(acts_box)
        acts_layout.setContentsMargins(6, 6, 6, 6)
        acts_layout.addWidget(self.activity_table)
        row = QHBoxLayout()
        for b in (self.add_activity_button, self.remove_activity_button, self.up_button,
                  self.down_button):
            row.addWidget(b)
        row.addStretch(1)
        acts_layout.addLayout(row)
        return acts_box

    def _size_activity_columns(self) -> None:
        """Columns wide enough for their headers and for every status, in this language."""
        m = ActivityTableModel
        header = self.activity_table.horizontalHeader()
        metrics = self.activity_table.fontMetrics()
        padding = 2 * self.activity_table.style().pixelMetric(
            QStyle.PixelMetric.PM_FocusFrameHMargin) + 16
        statuses = max(metrics.horizontalAdvance(s.label) for s in ActivityStatus) + padding
        dates = metrics.horizontalAdvance("00.00.0000") + padding
        wanted = {m.MEASURE: 130, m.RESPONSIBLE: 110, m.START: dates, m.DUE: dates,
                  m.QUARTER: metrics.horizontalAdvance("III") + padding, m.STATUS: statuses,
                  m.RESULT: 140}
        for column in range(m.RESULT + 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        for column, width in wanted.items():
            header.resizeSection(column, max(width, header.sectionSizeFromContents(column).width()))
        # The activity's title gets what is left; the person can widen any column.
        header.setSectionResizeMode(m.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)

    def _refit_rows(self, *_args: object) -> None:
        self._fit_rows_timer.start()

    def _fit_rows(self) -> None:
        # Wrapped text shows at most MAX_LINES lines a row (the whole of it in the cell's
        # tooltip and editor), so that a long title never pushes the plan off the screen.
        limit = MAX_LINES * self.fontMetrics().lineSpacing() + 10
        for table in (self.activity_table, self.goal_table):
            table.resizeRowsToContents()
            for row in range(table.model().rowCount()):
                if table.rowHeight(row) > limit:
                    table.setRowHeight(row, limit)

    # -- content ---------------------------------------------------------------------------
    def show_plan(self, road_map_id: str, goals: list[Goal], activities: list[Activity],
                  year: AcademicYear) -> None:
        """Show a road map's goals and activities (copies: they are edited in place)."""
        self.road_map_id = road_map_id
        self.goal_model.set_goals(goals)
        self.activity_model.set_activities(activities, year)

    def set_editable(self, plan: bool, progress: bool) -> None:
        """The plan (what is done, when) and the progress (status, result) each editable?"""
        for model in (self.goal_model, self.activity_model):
            model.plan_editable, model.progress_editable = plan, progress
        for b in (self.add_goal_button, self.remove_goal_button, self.add_activity_button,
                  self.remove_activity_button, self.up_button, self.down_button):
            b.setEnabled(plan)

    # -- editing ---------------------------------------------------------------------------
    def add_goal(self) -> None:
        goals = self.goal_model.goals
        goals.append(Goal(road_map_id=self.road_map_id, text="", position=len(goals)))
        self.goal_model.set_goals(goals)
        self._edit_new_row(self.goal_table, GoalTableModel.TEXT)

    def remove_goal(self) -> None:
        goals = self.goal_model.goals
        if _drop_current(self.goal_table, goals):
            self.goal_model.set_goals(goals)
            self.changed.emit()

    def add_activity(self) -> None:
        acts = self.activity_model.activities
        acts.append(Activity(road_map_id=self.road_map_id, measure=SupportMeasure.OTHER,
                             title="", due_quarter=1, position=len(acts)))
        self.activity_model.set_activities(acts, self.activity_model.year)
        self._edit_new_row(self.activity_table, ActivityTableModel.TITLE)

    def _edit_new_row(self, table: QTableView, column: int) -> None:
        """A row was added at the end: say so, and start typing in its ``column``."""
        self.changed.emit()
        model = table.model()
        index = model.index(model.rowCount() - 1, column)
        table.setCurrentIndex(index)
        table.edit(index)

    def remove_activity(self) -> None:
        acts = self.activity_model.activities
        if _drop_current(self.activity_table, acts):
            self.activity_model.set_activities(acts, self.activity_model.year)
            self.changed.emit()

    def move_activity(self, step: int) -> None:
        row = self.activity_table.currentIndex().row()
        acts = self.activity_model.activities
        target = row + step
        if 0 <= row < len(acts) and 0 <= target < len(acts):
            acts[row], acts[target] = acts[target], acts[row]
            self.activity_model.set_activities(acts, self.activity_model.year)
            self.activity_table.selectRow(target)
            self.changed.emit()


def _drop_current(table: QTableView, items: list[Any]) -> bool:
    """Remove the item on the table's current row from ``items``; whether there was one."""
    row = table.currentIndex().row()
    if 0 <= row < len(items):
        del items[row]
        return True
    return False
