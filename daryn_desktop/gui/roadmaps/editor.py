"""The road-map editor of one pupil: year, status actions, plan, reviews, amendments, printing.

Edits are kept in the editor until Save. Before signing everything is editable; a signed
road map records progress (status, result, achieved goals) freely, and its plan becomes
editable after "Amend", to be saved as a numbered amendment with a reason.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
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
from daryn_desktop.gui.roadmaps.delegates import DateDelegate, EnumDelegate, QuarterDelegate
from daryn_desktop.gui.roadmaps.models import ROMAN, ActivityTableModel, GoalTableModel
from daryn_desktop.gui.roadmaps.printing import preview_pdf, print_pdf
from daryn_desktop.i18n import _
from daryn_desktop.reports.batch import describe, print_road_maps
from daryn_desktop.reports.roadmap_pdf import RoadMapLayout
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.roadmaps import RoadMapData, RoadMaps

S = RoadMapStatus
_TEXT_FIELDS = (("identification", "How the ability was identified"),
                ("strengths", "Strengths"), ("interests", "Interests"))
_PEOPLE = (("coordinator_id", StaffRole.COORDINATOR), ("mentor_id", StaffRole.MENTOR),
           ("psychologist_id", StaffRole.PSYCHOLOGIST))


def show_error(parent: QWidget, exc: UserError) -> None:
    QMessageBox.warning(parent, _("Road map"), exc.translated())


class DateDialog(QDialog):
    """Asks for one date (of signing, or of closing), today by default."""

    def __init__(self, title: str, label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setDisplayFormat("dd.MM.yyyy")
        self.date_edit.setCalendarPopup(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(label, self.date_edit)
        layout.addRow(buttons)

    @property
    def value(self) -> date:
        return self.date_edit.date().toPython()


class RoadMapEditor(QWidget):
    """One pupil's road maps, one academic year at a time (object name ``roadMapEditor``)."""

    #: Emitted after anything was written (so lists elsewhere can refresh).
    saved = Signal()

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
    def _build(self) -> None:
        self.title = QLabel(f"<b>{self.pupil.full_name}</b>")
        self.year_box = QComboBox()
        self.year_box.setObjectName("roadMapYear")
        self.year_box.currentIndexChanged.connect(self._year_changed)
        self.status_label = QLabel()
        self.status_label.setObjectName("roadMapStatus")

        def button(name: str, text: str, slot) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(slot)
            return b

        self.create_button = button("roadMapCreate", _("Create…"), self.create)
        self.continue_button = button("roadMapContinue", _("Continue from last year"),
                                      self.continue_last_year)
        self.start_button = button("roadMapStart", _("Start work"), self.start)
        self.sign_button = button("roadMapSign", _("Sign…"), self.sign)
        self.amend_button = button("roadMapAmend", _("Amend"), self.amend)
        self.close_button = button("roadMapClose", _("Close…"), self.close_map)
        self.save_button = button("roadMapSave", _("Save"), self.save)
        self.discard_button = button("roadMapDiscard", _("Discard changes"), self.discard)
        self.preview_button = button("roadMapPreview", _("Print preview"), self.preview)
        self.print_button = button("roadMapPrint", _("Print…"), self.print_document)
        self.pdf_button = button("roadMapSavePdf", _("Save as PDF…"), self.save_pdf)
        self.as_signed = QComboBox()
        self.as_signed.setObjectName("roadMapPrintVersion")
        self.as_signed.addItem(_("Current version"), False)
        self.as_signed.addItem(_("Version as signed"), True)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(QLabel(_("Academic year:")))
        top.addWidget(self.year_box)
        top.addWidget(self.status_label)
        actions = QHBoxLayout()
        for b in (self.create_button, self.continue_button, self.start_button, self.sign_button,
                  self.amend_button, self.close_button):
            actions.addWidget(b)
        actions.addStretch(1)
        for w in (self.as_signed, self.preview_button, self.print_button, self.pdf_button):
            actions.addWidget(w)

        # The plan: descriptive fields and people, goals, activities.
        self.text_edits: dict[str, QPlainTextEdit] = {}
        fields_box = QGroupBox(_("The pupil's abilities"))
        form = QFormLayout(fields_box)
        for name, label in _TEXT_FIELDS:
            edit = QPlainTextEdit()
            edit.setObjectName(f"roadMap_{name}")
            edit.setFixedHeight(48)
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

        self.goal_model = GoalTableModel(self)
        self.goal_model.on_change = self._changed
        self.goal_table = QTableView()
        self.goal_table.setObjectName("roadMapGoals")
        self.goal_table.setModel(self.goal_model)
        self.goal_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        self.add_goal_button = button("roadMapAddGoal", _("Add goal"), self.add_goal)
        self.remove_goal_button = button("roadMapRemoveGoal", _("Remove goal"), self.remove_goal)
        goals_box = QGroupBox(_("Goals for the year"))
        goals_layout = QVBoxLayout(goals_box)
        goals_layout.addWidget(self.goal_table)
        row = QHBoxLayout()
        row.addWidget(self.add_goal_button)
        row.addWidget(self.remove_goal_button)
        row.addStretch(1)
        goals_layout.addLayout(row)

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
        header = self.activity_table.horizontalHeader()
        header.setSectionResizeMode(m.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(m.RESULT, QHeaderView.ResizeMode.Stretch)
        self.activity_table.setWordWrap(True)
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
        self.add_activity_button = button("roadMapAddActivity", _("Add activity"),
                                          self.add_activity)
        self.remove_activity_button = button("roadMapRemoveActivity", _("Remove activity"),
                                             self.remove_activity)
        self.up_button = button("roadMapUp", _("Move up"), lambda: self.move_activity(-1))
        self.down_button = button("roadMapDown", _("Move down"), lambda: self.move_activity(1))
        acts_box = QGroupBox(_("Plan of activities"))
        acts_layout = QVBoxLayout(acts_box)
        acts_layout.addWidget(self.activity_table)
        row = QHBoxLayout()
        for b in (self.add_activity_button, self.remove_activity_button, self.up_button,
                  self.down_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.discard_button)
        row.addWidget(self.save_button)
        acts_layout.addLayout(row)

        # The activities are what is edited most: they get the space the window gains, and
        # the person can drag the divider to see more of them.
        upper = QWidget()
        upper_layout = QHBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(fields_box, 3)
        upper_layout.addWidget(goals_box, 2)
        self.plan_splitter = QSplitter(Qt.Orientation.Vertical)
        self.plan_splitter.setObjectName("roadMapPlanSplitter")
        self.plan_splitter.addWidget(upper)
        self.plan_splitter.addWidget(acts_box)
        self.plan_splitter.setStretchFactor(0, 0)
        self.plan_splitter.setStretchFactor(1, 1)
        self.plan_splitter.setChildrenCollapsible(False)
        plan = QWidget()
        plan_layout = QVBoxLayout(plan)
        plan_layout.addWidget(self.plan_splitter)

        # Reviews: one box per quarter; each new review is appended, never edited.
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
                         lambda _c=False, q=quarter: self.add_review(q))
            layout.addWidget(view, 1)
            layout.addWidget(edit)
            layout.addWidget(add)
            self.review_views[quarter], self.review_edits[quarter] = view, edit
            self.review_buttons[quarter] = add
            reviews_layout.addWidget(box)

        self.amendment_table = QTableWidget(0, 4)
        self.amendment_table.setObjectName("roadMapAmendments")
        self.amendment_table.setHorizontalHeaderLabels(
            ["№", _("Date"), _("Reason"), _("What changed")])
        self.amendment_table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        self.amendment_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.amendment_table.setWordWrap(True)

        self.tabs = QTabWidget()
        self.tabs.addTab(plan, _("Plan"))
        self.tabs.addTab(reviews, _("Quarterly reviews"))
        self.tabs.addTab(self.amendment_table, _("Amendments"))
        self.empty_label = QLabel()
        self.empty_label.setObjectName("roadMapEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tabs, 1)

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

    def _year_changed(self) -> None:
        if self._dirty and not self._confirm_discard():
            self.year_box.blockSignals(True)
            self.year_box.setCurrentIndex(self.year_box.findData(self.data.road_map.academic_year))
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
        self._dirty = False
        self._update_state()

    def _show_reviews(self) -> None:
        by_quarter: dict[int, list[str]] = {q: [] for q in range(1, 5)}
        for review in self.data.reviews:
            by_quarter.setdefault(review.quarter, []).append(
                f"{format_date(review.date)} — {review.author or ''}\n{review.text}")
        for quarter, view in self.review_views.items():
            view.setText("\n\n".join(by_quarter.get(quarter, [])) or _("No review yet."))
            self.review_edits[quarter].clear()

    def _refit_rows(self, *_args: object) -> None:
        self._fit_rows_timer.start()

    def _fit_rows(self) -> None:
        self.activity_table.resizeRowsToContents()
        self.goal_table.resizeRowsToContents()

    def _show_amendments(self) -> None:
        table = self.amendment_table
        table.setRowCount(len(self.data.amendments))
        for row, a in enumerate(self.data.amendments):
            for column, text in enumerate((str(a.number), format_date(a.date), a.reason,
                                           a.summary or "")):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeRowsToContents()

    def _update_state(self) -> None:
        data = self.data
        has = data is not None
        status = data.status if has else None
        self.tabs.setVisible(has)
        self.empty_label.setVisible(not has)
        if not has:
            previous = self.maps.for_pupil(
                self.pupil.id, AcademicYear.parse(self.academic_year).previous().label)
            self.empty_label.setText(_("There is no road map for {year} yet.").format(
                year=self.academic_year))
            self.continue_button.setEnabled(previous is not None)
        self.status_label.setText(status.label if status else "")
        self.create_button.setVisible(not has)
        self.continue_button.setVisible(not has)
        self.start_button.setVisible(status == S.DRAFT)
        self.sign_button.setVisible(status in (S.DRAFT, S.ACTIVE))
        self.amend_button.setVisible(status == S.SIGNED)
        self.amend_button.setEnabled(not self.amending)
        self.close_button.setVisible(has and status != S.CLOSED)
        for w in (self.preview_button, self.print_button, self.pdf_button):
            w.setEnabled(has)
        self.as_signed.setVisible(has and data.has_signed_version)
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
        allowed = has and rules.reviews_allowed(status)
        for quarter in range(1, 5):
            self.review_edits[quarter].setEnabled(allowed)
            self.review_buttons[quarter].setEnabled(allowed)
        self.save_button.setEnabled(self._dirty)
        self.discard_button.setEnabled(self._dirty)
        self.save_button.setText(_("Save amendment…") if self.amending else _("Save"))

    def _changed(self) -> None:
        if self._loading:
            return
        self._dirty = True
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
        goals.append(Goal(road_map_id=self.data.road_map.id, text="", position=len(goals)))
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
        year = AcademicYear.parse(self.data.road_map.academic_year)
        acts.append(Activity(road_map_id=self.data.road_map.id, measure=SupportMeasure.OTHER,
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
                                    activities=self.activity_model.activities, reason=reason)
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
    def _run(self, action) -> bool:
        try:
            action()
        except UserError as exc:
            show_error(self, exc)
            return False
        self.load()
        self.saved.emit()
        return True

    def _suggest_track(self) -> Track | None:
        tracks = list(Track)
        labels = [_("Empty road map")] + [t.label for t in tracks]
        suggested = self.maps.suggested_track(self.pupil.id)
        current = tracks.index(suggested) + 1 if suggested else 0
        choice, ok = QInputDialog.getItem(self, _("New road map"), _("Start from the template:"),
                                          labels, current, False)
        if not ok:
            raise _Cancelled()
        index = labels.index(choice)
        return tracks[index - 1] if index else None

    def create(self, track: Track | None = None, *, ask: bool = True) -> None:
        try:
            chosen = self._suggest_track() if ask else track
        except _Cancelled:
            return
        self._run(lambda: self.maps.create(self.pupil.id, self.academic_year, track=chosen))

    def continue_last_year(self) -> None:
        self._run(lambda: self.maps.continue_from_last_year(self.pupil.id, self.academic_year))

    def _save_first(self) -> bool:
        return not self._dirty or self.save()

    def start(self) -> None:
        if self._save_first():
            self._run(lambda: self.maps.start(self.data.road_map.id))

    def sign(self, on: date | None = None) -> None:
        if not self._save_first():
            return
        if on is None:
            dialog = DateDialog(_("Sign the road map"), _("Date of signing:"), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            on = dialog.value
        self._run(lambda: self.maps.sign(self.data.road_map.id, on=on))

    def amend(self) -> None:
        self.amending = True
        self._update_state()

    def close_map(self, on: date | None = None) -> None:
        if not self._save_first():
            return
        if on is None:
            dialog = DateDialog(_("Close the road map"), _("Date of closing:"), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            on = dialog.value
        self._run(lambda: self.maps.close(self.data.road_map.id, on=on))

    def add_review(self, quarter: int) -> None:
        text = self.review_edits[quarter].toPlainText()
        author = self.people["mentor_id"].currentText()
        self._run(lambda: self.maps.add_review(self.data.road_map.id, quarter, text,
                                               author=author if author != "—" else None))

    # -- printing --------------------------------------------------------------------------
    def _printed(self) -> bool:
        return bool(self.as_signed.currentData()) and self.data.has_signed_version

    def pdf_bytes(self) -> bytes:
        """The road map as the PDF that is printed and saved."""
        document = self.maps.document(self.data.road_map.id, as_signed=self._printed())
        layout = RoadMapLayout(self.maps.document_language(self.pupil))
        return layout.render([document])[0]

    def _title(self) -> str:
        return f"{self.pupil.full_name} {self.data.road_map.academic_year}"

    def preview(self) -> None:
        if self._save_first():
            preview_pdf(self, self.pdf_bytes(), self._title())

    def print_document(self) -> None:
        if self._save_first():
            print_pdf(self, self.pdf_bytes(), self._title())

    def save_pdf(self, path: str | None = None) -> Path | None:
        if not self._save_first():
            return None
        if path is None:
            suggested = f"{self.pupil.surname}_{self.pupil.given_name}_" \
                        f"{self.data.road_map.academic_year}.pdf"
            path, _filter = QFileDialog.getSaveFileName(self, _("Save as PDF"), suggested,
                                                        _("PDF documents (*.pdf)"))
            if not path:
                return None
        try:
            result = print_road_maps(self.store, [self.data.road_map.id], path,
                                     as_signed=self._printed())
        except UserError as exc:
            show_error(self, exc)
            return None
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(describe(result), 8000)
        return result.path


class _Cancelled(Exception):
    """The person closed a question without choosing."""
