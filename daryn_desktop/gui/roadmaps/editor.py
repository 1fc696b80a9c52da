"""The road-map editor of one pupil: year, status actions, plan, reviews, amendments, printing.

Edits are kept in the editor until Save. Before signing everything is editable; a signed
road map records progress (status, result, achieved goals) freely, and its plan becomes
editable after "Amend", to be saved as a numbered amendment with a reason. Signing, closing
the year and reopening each ask first (``lifecycle.py``). Every button reaches a slot that
takes no argument, so Qt's ``clicked(bool)`` can never fill a parameter by mistake.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core import roadmap as rules
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.entities import Activity, Goal
from daryn_desktop.core.enums import ActivityStatus, RoadMapStatus, StaffRole, SupportMeasure
from daryn_desktop.core.templates import Track
from daryn_desktop.errors import UserError
from daryn_desktop.gui.buttons import button
from daryn_desktop.gui.files import offer_to_open, save_file
from daryn_desktop.gui.flow_layout import FlowLayout
from daryn_desktop.gui.roadmaps.delegates import DateDelegate, EnumDelegate, QuarterDelegate
from daryn_desktop.gui.roadmaps.lifecycle import CloseYearDialog, ReopenDialog, SignDialog
from daryn_desktop.gui.roadmaps.models import ROMAN, ActivityTableModel, GoalTableModel
from daryn_desktop.gui.roadmaps.printing import preview_pdf, print_pdf
from daryn_desktop.i18n import _
from daryn_desktop.reports.batch import describe, print_road_maps
from daryn_desktop.reports.roadmap_pdf import RoadMapLayout
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import default_author
from daryn_desktop.storage.roadmaps import RoadMapData, RoadMaps

S = RoadMapStatus
#: The most lines of wrapped text a row of the plan shows.
MAX_LINES = 2
_TEXT_FIELDS = (("identification", "How the ability was identified"),
                ("strengths", "Strengths"), ("interests", "Interests"))
_PEOPLE = (("coordinator_id", StaffRole.COORDINATOR), ("mentor_id", StaffRole.MENTOR),
           ("psychologist_id", StaffRole.PSYCHOLOGIST))


def show_error(parent: QWidget, exc: UserError) -> None:
    QMessageBox.warning(parent, _("Road map"), exc.translated())


class RoadMapEditor(QWidget):
    """One pupil's road maps, one academic year at a time (object name ``roadMapEditor``).

    A window that hosts the editor and has a *Save* of its own (the pupil editor) calls
    :meth:`use_host_save` and saves the road map with it: a window never shows two Saves.
    """

    #: Emitted after anything was written (so lists elsewhere can refresh).
    saved = Signal()
    #: Emitted when the unsaved state changes (the host's Save follows it).
    dirty_changed = Signal(bool)

    def __init__(self, store: Store, pupil_id: str, parent: QWidget | None = None, *,
                 academic_year: str | None = None):
        super().__init__(parent)
        self.setObjectName("roadMapEditor")
        self.store = store
        self.maps = RoadMaps(store)
        self.pupil = store.repos.pupils.get(pupil_id)
        self.data: RoadMapData | None = None
        self.amending = False
        self._dirty = False
        self._loading = False
        self._build()
        self._fill_years(academic_year or AcademicYear.containing(date.today()).label)
        self.load()

    # -- layout ----------------------------------------------------------------------------
    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        """A button whose slot takes no argument (clicked's bool goes nowhere)."""
        return button(text, name, slot)

    def _build(self) -> None:
        actions = self._build_actions()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("roadMapTabs")
        self.tabs.addTab(self._build_plan(), _("Plan"))
        self.tabs.addTab(self._build_about(), _("The pupil's abilities"))
        self.tabs.addTab(self._build_reviews(), _("Quarterly reviews"))
        self.tabs.addTab(self._build_amendments(), _("Amendments"))
        self.empty_label = QLabel()
        self.empty_label.setObjectName("roadMapEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(actions)
        layout.addWidget(self.details_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tabs, 1)
        self.save_row = QWidget()
        bottom = QHBoxLayout(self.save_row)
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addStretch(1)
        bottom.addWidget(self.discard_button)
        bottom.addWidget(self.save_button)
        layout.addWidget(self.save_row)

    def _build_actions(self) -> QHBoxLayout:
        """The top row: the year and its status, what can be done with it, and printing."""
        button = self._button
        self.year_box = QComboBox()
        self.year_box.setObjectName("roadMapYear")
        self.year_box.currentIndexChanged.connect(self._year_changed)
        self.status_label = QLabel()
        self.status_label.setObjectName("roadMapStatus")
        self.status_label.setStyleSheet("font-weight: bold; padding: 2px 8px;"
                                        " border: 1px solid #888; border-radius: 3px;")
        self.details_label = QLabel()
        self.details_label.setObjectName("roadMapStatusDetails")
        self.details_label.setWordWrap(True)
        self.details_label.setTextFormat(Qt.TextFormat.PlainText)

        self.create_button = button("roadMapCreate", _("Create…"), self.create_road_map)
        self.continue_button = button("roadMapContinue", _("Continue from last year"),
                                      self.continue_last_year)
        self.start_button = button("roadMapStart", _("Start work"), self.start)
        self.sign_button = button("roadMapSign", _("Sign…"), self.sign)
        self.amend_button = button("roadMapAmend", _("Amend"), self.amend)
        self.close_button = button("roadMapClose", _("Close the year…"), self.close_year)
        self.reopen_button = button("roadMapReopen", _("Reopen…"), self.reopen)
        self.save_button = button("roadMapSave", _("Save"), self.save)
        self.discard_button = button("roadMapDiscard", _("Discard changes"), self.discard)
        self.preview_button = button("roadMapPreview", _("Print preview"), self.preview)
        self.print_button = button("roadMapPrint", _("Print…"), self.print_document)
        self.pdf_button = button("roadMapSavePdf", _("Save as PDF…"), self.save_pdf)
        self.as_signed = QComboBox()
        self.as_signed.setObjectName("roadMapPrintVersion")
        self.as_signed.addItem(_("Current version"), False)
        self.as_signed.addItem(_("Version as signed"), True)

        # (The pupil's name is in the window's title.) Each group wraps onto a second row when
        # narrow, so that the editor fits a 1366×768 screen in Kazakh and Russian too.
        lifecycle, printing = FlowLayout(), FlowLayout()
        lifecycle.addWidget(QLabel(_("Academic year:")))
        lifecycle.addWidget(self.year_box)
        lifecycle.addWidget(self.status_label)
        for b in (self.create_button, self.continue_button, self.start_button, self.sign_button,
                  self.amend_button, self.close_button, self.reopen_button):
            lifecycle.addWidget(b)
        for w in (self.as_signed, self.preview_button, self.print_button, self.pdf_button):
            printing.addWidget(w)
        actions = QHBoxLayout()
        actions.addLayout(lifecycle, 1)
        actions.addSpacing(8)
        actions.addLayout(printing)
        return actions

    def _build_plan(self) -> QWidget:
        """The plan tab: the activities, which are edited most, with the goals beside them."""
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
        self.plan_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.plan_splitter.setObjectName("roadMapPlanSplitter")
        self.plan_splitter.addWidget(acts_box)
        self.plan_splitter.addWidget(goals_box)
        self.plan_splitter.setStretchFactor(0, 4)
        self.plan_splitter.setStretchFactor(1, 1)
        self.plan_splitter.setSizes([1000, 250])
        self.plan_splitter.setChildrenCollapsible(False)
        plan = QWidget()
        plan_layout = QVBoxLayout(plan)
        plan_layout.setContentsMargins(0, 4, 0, 0)
        plan_layout.addWidget(self.plan_splitter)

        return plan

    def _build_goals(self) -> QGroupBox:
        button = self._button
        self.goal_model = GoalTableModel(self)
        self.goal_model.on_change = self._changed
        self.goal_table = QTableView()
        self.goal_table.setObjectName("roadMapGoals")
        self.goal_table.setModel(self.goal_model)
        self.goal_table.setWordWrap(True)
        goal_header = self.goal_table.horizontalHeader()
        goal_header.setSectionResizeMode(GoalTableModel.TEXT, QHeaderView.ResizeMode.Stretch)
        goal_header.setSectionResizeMode(GoalTableModel.ACHIEVED,
                                         QHeaderView.ResizeMode.ResizeToContents)
        self.add_goal_button = button("roadMapAddGoal", _("Add goal"), self.add_goal)
        self.remove_goal_button = button("roadMapRemoveGoal", _("Remove goal"), self.remove_goal)
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
        button = self._button
        self.activity_model = ActivityTableModel(self)
        self.activity_model.on_change = self._changed
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
        self.add_activity_button = button("roadMapAddActivity", _("Add activity"),
                                          self.add_activity)
        self.remove_activity_button = button("roadMapRemoveActivity", _("Remove activity"),
                                             self.remove_activity)
        self.up_button = button("roadMapUp", _("Move up"), lambda: self.move_activity(-1))
        self.down_button = button("roadMapDown", _("Move down"), lambda: self.move_activity(1))
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

    def _build_about(self) -> QWidget:
        # The pupil's abilities and the people responsible: printed, part of the plan.
        self.text_edits: dict[str, QPlainTextEdit] = {}
        about = QWidget()
        form = QFormLayout(about)
        for name, label in _TEXT_FIELDS:
            edit = QPlainTextEdit()
            edit.setObjectName(f"roadMap_{name}")
            edit.setTabChangesFocus(True)
            edit.textChanged.connect(self._changed)
            self.text_edits[name] = edit
            form.addRow(_(label), edit)
        self.people: dict[str, QComboBox] = {}
        for name, role in _PEOPLE:
            box = QComboBox()
            box.setObjectName(f"roadMap_{name}")
            box.addItem("—", None)
            for staff in self.store.repos.staff.all(role=role.value,
                                                    serving_school=self.pupil.school_id):
                box.addItem(staff.full_name, staff.id)
            box.currentIndexChanged.connect(self._changed)
            self.people[name] = box
            form.addRow(role.label, box)

        return about

    def _build_reviews(self) -> QWidget:
        """Reviews: one box per quarter; each new review is appended, never edited."""
        button = self._button
        reviews = QWidget()
        reviews_layout = QHBoxLayout(reviews)
        self.review_views: dict[int, QLabel] = {}
        self.review_edits: dict[int, QPlainTextEdit] = {}
        self.review_buttons: dict[int, QPushButton] = {}
        for quarter in range(1, 5):
            box = QGroupBox(_("Quarter {number}").format(number=ROMAN[quarter]))
            layout = QVBoxLayout(box)
            view = QLabel()
            view.setWordWrap(True)
            view.setAlignment(Qt.AlignmentFlag.AlignTop)
            view.setTextFormat(Qt.TextFormat.PlainText)
            edit = QPlainTextEdit()
            edit.setObjectName(f"roadMapReview{quarter}")
            edit.setPlaceholderText(_("Progress and changes in this quarter"))
            add = button(f"roadMapAddReview{quarter}", _("Add review"),
                         partial(self.add_review, quarter))
            layout.addWidget(view, 1)
            layout.addWidget(edit)
            layout.addWidget(add)
            self.review_views[quarter], self.review_edits[quarter] = view, edit
            self.review_buttons[quarter] = add
            reviews_layout.addWidget(box)

        return reviews

    def _build_amendments(self) -> QTableWidget:
        self.amendment_table = QTableWidget(0, 4)
        self.amendment_table.setObjectName("roadMapAmendments")
        self.amendment_table.setHorizontalHeaderLabels(
            ["№", _("Date"), _("Reason"), _("What changed")])
        self.amendment_table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        self.amendment_table.setColumnWidth(2, 260)
        self.amendment_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.amendment_table.setWordWrap(True)

        return self.amendment_table

    @property
    def current(self) -> RoadMapData:
        """The road map shown; only used where one is (its actions are hidden otherwise)."""
        if self.data is None:
            raise RuntimeError("no road map is shown")
        return self.data

    def use_host_save(self) -> None:
        """The hosting window's Save saves the road map: this editor shows none of its own."""
        self.save_row.hide()

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

    def _fill_years(self, wanted: str) -> None:
        current = AcademicYear.containing(date.today())
        years = set(self.store.repos.road_maps.years_of(self.pupil.id))
        years |= {current.label, current.next().label, wanted}
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for label in sorted(years, reverse=True):
            self.year_box.addItem(label, label)
        self.year_box.setCurrentIndex(self.year_box.findData(wanted))
        self.year_box.blockSignals(False)

    # -- state -----------------------------------------------------------------------------
    @property
    def academic_year(self) -> str:
        return self.year_box.currentData()

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def _year_changed(self) -> None:
        if self._dirty and not self._confirm_discard():
            self.year_box.blockSignals(True)
            self.year_box.setCurrentIndex(self.year_box.findData(self.current.road_map.academic_year))
            self.year_box.blockSignals(False)
            return
        self.load()

    def load(self) -> None:
        """(Re)read the road map of the selected year and show it."""
        self._loading = True
        road_map = self.maps.for_pupil(self.pupil.id, self.academic_year)
        self.data = self.maps.load(road_map.id) if road_map else None
        self.amending = False
        data = self.data
        if data is not None:
            year = AcademicYear.parse(data.road_map.academic_year)
            for name, edit in self.text_edits.items():
                edit.setPlainText(getattr(data.road_map, name) or "")
            for name, box in self.people.items():
                box.setCurrentIndex(max(box.findData(getattr(data.road_map, name)), 0))
            self.goal_model.set_goals([dataclasses.replace(g) for g in data.goals])
            self.activity_model.set_activities([dataclasses.replace(a) for a in data.activities],
                                               year)
            self._show_reviews()
            self._show_amendments()
        self._loading = False
        self._set_dirty(False)
        self._update_state()

    def _show_reviews(self) -> None:
        by_quarter: dict[int, list[str]] = {q: [] for q in range(1, 5)}
        for review in self.current.reviews:
            by_quarter.setdefault(review.quarter, []).append(
                f"{format_date(review.date)} — {review.author or ''}\n{review.text}")
        for quarter, view in self.review_views.items():
            view.setText("\n\n".join(by_quarter.get(quarter, [])) or _("No review yet."))
            self.review_edits[quarter].clear()

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

    def _show_amendments(self) -> None:
        table = self.amendment_table
        table.setRowCount(len(self.current.amendments))
        for row, a in enumerate(self.current.amendments):
            for column, text in enumerate((str(a.number), format_date(a.date), a.reason,
                                           a.summary or "")):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeRowsToContents()

    def _details(self) -> str:
        """What the status means for this road map: when and by whom it was signed or closed."""
        data = self.data
        if data is None:
            return ""
        road_map = data.road_map
        if data.status == S.SIGNED:
            people = "; ".join((data.signed_by or "").splitlines()) or "—"
            return _("Signed on {date} by: {people}. The plan changes only by amendment.").format(
                date=format_date(road_map.signed_date), people=people)
        if data.status == S.CLOSED:
            return _("The year was closed on {date}. The year's result: {note}").format(
                date=format_date(road_map.closed_date), note=road_map.note or "—")
        if data.status == S.DRAFT:
            return _("Draft: everything can be changed. Sign it when the plan is agreed.")
        return ""

    def _update_state(self) -> None:
        data = self.data
        has = data is not None
        status = data.status if data is not None else None
        self.tabs.setVisible(has)
        self.empty_label.setVisible(not has)
        if not has:
            previous = self.maps.for_pupil(
                self.pupil.id, AcademicYear.parse(self.academic_year).previous().label)
            self.empty_label.setText(_("There is no road map for {year} yet.").format(
                year=self.academic_year))
            self.continue_button.setEnabled(previous is not None)
        self.status_label.setText(status.label if status else "")
        self.status_label.setVisible(has)
        details = self._details()
        self.details_label.setText(details)
        self.details_label.setVisible(bool(details))
        self.create_button.setVisible(not has)
        self.continue_button.setVisible(not has)
        self.start_button.setVisible(status == S.DRAFT)
        self.sign_button.setVisible(status in (S.DRAFT, S.ACTIVE))
        self.amend_button.setVisible(status == S.SIGNED)
        self.amend_button.setEnabled(not self.amending)
        self.close_button.setVisible(has and status != S.CLOSED)
        self.reopen_button.setVisible(status in (S.SIGNED, S.CLOSED))
        for w in (self.preview_button, self.print_button, self.pdf_button):
            w.setEnabled(has)
        self.as_signed.setVisible(data is not None and data.has_signed_version)
        plan = status in (S.DRAFT, S.ACTIVE) or (status == S.SIGNED and self.amending)
        progress = status in (S.DRAFT, S.ACTIVE, S.SIGNED)
        for model in (self.goal_model, self.activity_model):
            model.plan_editable, model.progress_editable = plan, progress
        for edit in self.text_edits.values():
            edit.setReadOnly(not plan)
        for box in self.people.values():
            box.setEnabled(plan)
        for b in (self.add_goal_button, self.remove_goal_button, self.add_activity_button,
                  self.remove_activity_button, self.up_button, self.down_button):
            b.setEnabled(plan)
        allowed = status is not None and rules.reviews_allowed(status)
        for quarter in range(1, 5):
            self.review_edits[quarter].setEnabled(allowed)
            self.review_buttons[quarter].setEnabled(allowed)
        self.save_button.setEnabled(self._dirty)
        self.discard_button.setEnabled(self._dirty)
        self.save_button.setText(_("Save amendment…") if self.amending else _("Save"))

    def _changed(self) -> None:
        if self._loading:
            return
        self._set_dirty(True)
        self._update_state()

    def _confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self, _("Road map"), _("The road map has unsaved changes. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def can_leave(self) -> bool:
        """Asked by the main window before it closes or switches language."""
        return not self._dirty or self._confirm_discard()

    # -- editing ---------------------------------------------------------------------------
    def add_goal(self) -> None:
        goals = self.goal_model.goals
        goals.append(Goal(road_map_id=self.current.road_map.id, text="", position=len(goals)))
        self.goal_model.set_goals(goals)
        self._changed()
        index = self.goal_model.index(len(goals) - 1, GoalTableModel.TEXT)
        self.goal_table.setCurrentIndex(index)
        self.goal_table.edit(index)

    def remove_goal(self) -> None:
        row = self.goal_table.currentIndex().row()
        if 0 <= row < len(self.goal_model.goals):
            goals = self.goal_model.goals
            del goals[row]
            self.goal_model.set_goals(goals)
            self._changed()

    def add_activity(self) -> None:
        acts = self.activity_model.activities
        year = AcademicYear.parse(self.current.road_map.academic_year)
        acts.append(Activity(road_map_id=self.current.road_map.id, measure=SupportMeasure.OTHER,
                             title="", due_quarter=1, position=len(acts)))
        self.activity_model.set_activities(acts, year)
        self._changed()
        index = self.activity_model.index(len(acts) - 1, ActivityTableModel.TITLE)
        self.activity_table.setCurrentIndex(index)
        self.activity_table.edit(index)

    def remove_activity(self) -> None:
        row = self.activity_table.currentIndex().row()
        acts = self.activity_model.activities
        if 0 <= row < len(acts):
            del acts[row]
            self.activity_model.set_activities(acts, self.activity_model.year)
            self._changed()

    def move_activity(self, step: int) -> None:
        row = self.activity_table.currentIndex().row()
        acts = self.activity_model.activities
        target = row + step
        if 0 <= row < len(acts) and 0 <= target < len(acts):
            acts[row], acts[target] = acts[target], acts[row]
            self.activity_model.set_activities(acts, self.activity_model.year)
            self.activity_table.selectRow(target)
            self._changed()

    def _fields(self) -> dict[str, object]:
        fields: dict[str, object] = {name: edit.toPlainText().strip() or None
                                     for name, edit in self.text_edits.items()}
        fields.update({name: box.currentData() for name, box in self.people.items()})
        return fields

    def save(self) -> bool:
        """Write the edits (asking for the amendment's reason on a signed road map)."""
        if self.data is None or not self._dirty:
            return True
        reason = None
        if self.data.status == S.SIGNED and self.amending:
            reason, ok = QInputDialog.getMultiLineText(
                self, _("Amendment"), _("Reason for the amendment (printed on the road map):"))
            if not ok:
                return False
        try:
            result = self.maps.save(self.data.road_map.id, fields=self._fields(),
                                    goals=self.goal_model.goals,
                                    activities=self.activity_model.activities, reason=reason,
                                    author=default_author())
        except UserError as exc:
            show_error(self, exc)
            return False
        self.load()
        if result.amendment is not None:
            QMessageBox.information(self, _("Amendment"), _(
                "Saved as amendment No. {number}.").format(number=result.amendment.number))
        self.saved.emit()
        return True

    def discard(self) -> None:
        self.load()

    # -- lifecycle -------------------------------------------------------------------------
    def _run(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except UserError as exc:
            show_error(self, exc)
            return False
        self.load()
        self.saved.emit()
        return True

    def create_road_map(self) -> None:
        """Ask which template to start from, then create the year's draft."""
        tracks = list(Track)
        labels = [_("Empty road map")] + [t.label for t in tracks]
        suggested = self.maps.suggested_track(self.pupil.id)
        current = tracks.index(suggested) + 1 if suggested else 0
        choice, ok = QInputDialog.getItem(self, _("New road map"), _("Start from the template:"),
                                          labels, current, False)
        if not ok or choice not in labels:
            return
        index = labels.index(choice)
        self.create_from(tracks[index - 1] if index else None)

    def create_from(self, track: Track | None) -> bool:
        """Create the year's draft from ``track``'s template (an empty one for None)."""
        return self._run(lambda: self.maps.create(self.pupil.id, self.academic_year,
                                                  track=track, author=default_author()))

    def continue_last_year(self) -> None:
        self._run(lambda: self.maps.continue_from_last_year(self.pupil.id, self.academic_year,
                                                            author=default_author()))

    def _save_first(self) -> bool:
        return not self._dirty or self.save()

    def start(self) -> None:
        if self._save_first():
            self._run(lambda: self.maps.start(self.current.road_map.id, author=default_author()))

    def _signatories(self) -> list[str]:
        """Who usually signs, as the dialog suggests it: the people named, the parents."""
        lines = []
        for name, role in _PEOPLE:
            box = self.people[name]
            if box.currentData():
                lines.append(_("{role}: {name}").format(role=role.label, name=box.currentText()))
        for guardian in self.store.repos.guardians.for_parent(self.pupil.id)[:1]:
            lines.append(_("{role}: {name}").format(role=guardian.relation.label,
                                                    name=guardian.full_name))
        return lines

    def sign(self) -> None:
        """Ask for the date and who signed (saying what is frozen), then sign."""
        if not self._save_first():
            return
        dialog = SignDialog(self.current, self.pupil.full_name, self._signatories(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(lambda: self.maps.sign(self.current.road_map.id, on=dialog.on,
                                             signed_by=dialog.people, author=default_author()))

    def amend(self) -> None:
        self.amending = True
        self._update_state()

    def close_year(self) -> None:
        """Ask for confirmation and the year's result, then close the road map."""
        if not self._save_first():
            return
        dialog = CloseYearDialog(self.current, self.pupil.full_name, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(lambda: self.maps.close(self.current.road_map.id, on=dialog.on,
                                              comment=dialog.text, author=default_author()))

    def reopen(self) -> None:
        """Ask for the reason, then open a signed or closed road map again."""
        if not self._save_first():
            return
        dialog = ReopenDialog(self.current, self.pupil.full_name, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(lambda: self.maps.reopen(self.current.road_map.id, reason=dialog.text,
                                               author=default_author()))

    def add_review(self, quarter: int) -> None:
        text = self.review_edits[quarter].toPlainText()
        author = self.people["mentor_id"].currentText()
        self._run(lambda: self.maps.add_review(self.current.road_map.id, quarter, text,
                                               author=author if author != "—" else None))

    # -- printing --------------------------------------------------------------------------
    def _printed(self) -> bool:
        return bool(self.as_signed.currentData()) and self.current.has_signed_version

    def pdf_bytes(self) -> bytes:
        """The road map as the PDF that is printed and saved."""
        document = self.maps.document(self.current.road_map.id, as_signed=self._printed())
        layout = RoadMapLayout(self.maps.document_language(self.pupil))
        return layout.render([document])[0]

    def _title(self) -> str:
        return f"{self.pupil.full_name} {self.current.road_map.academic_year}"

    def preview(self) -> None:
        if self._save_first():
            preview_pdf(self, self.pdf_bytes(), self._title())

    def print_document(self) -> None:
        if self._save_first():
            print_pdf(self, self.pdf_bytes(), self._title())

    def save_pdf(self) -> None:
        """Ask where, write the PDF, and offer to open it."""
        if not self._save_first():
            return
        suggested = f"{self.pupil.surname}_{self.pupil.given_name}_" \
                    f"{self.current.road_map.academic_year}.pdf"
        path = save_file(self, _("Save as PDF"), suggested, _("PDF documents (*.pdf)"))
        if path is not None:
            self.write_pdf(path)

    def write_pdf(self, path: Path) -> Path | None:
        """Write the road map (as chosen: current or signed version) to ``path``."""
        try:
            result = print_road_maps(self.store, [self.current.road_map.id], str(path),
                                     as_signed=self._printed())
        except UserError as exc:
            show_error(self, exc)
            return None
        offer_to_open(self, _("Save as PDF"), describe(result), result.path)
        return result.path
