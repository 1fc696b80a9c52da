"""The staff development tab: courses and seminars, and the prize-winners each prepared."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import StaffRole
from daryn_desktop.core.findings import has_errors
from daryn_desktop.core.progress import CancelToken
from daryn_desktop.core.staffdev import (
    TRAINING_PERIOD_YEARS,
    StaffTraining,
    TrainingKind,
    validate_training,
)
from daryn_desktop.errors import UserError
from daryn_desktop.gui.events.calendar import period
from daryn_desktop.gui.events.common import (
    button,
    cell,
    confirm,
    dialog_buttons,
    fill,
    headers_of,
    row_data,
    save_xlsx,
    show_error,
    table_widget,
    year_combo,
)
from daryn_desktop.gui.tasks import BackgroundRunner
from daryn_desktop.gui.widgets import DateField, FieldMessage, fill_enum_combo, set_combo_value
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import default_author
from daryn_desktop.storage.staffdev import StaffDevelopment, StaffOverview

#: Above this many people the list shows the first ones (the search narrows it).
MAX_LISTED = 1000
SEARCH_DELAY_MS = 300


class TrainingDialog(QDialog):
    """A course or seminar of one person."""

    def __init__(self, store: Store, training: StaffTraining, parent: QWidget | None = None, *,
                 person: str = ""):
        super().__init__(parent)
        self.setObjectName("trainingDialog")
        self.store = store
        self.training = training
        self.setWindowTitle(_("Course or seminar — {name}").format(name=person))
        self.kind = QComboBox(self)
        self.kind.setObjectName("trainingKind")
        fill_enum_combo(self.kind, TrainingKind)
        set_combo_value(self.kind, training.kind)
        self.title = QLineEdit(training.title, self)
        self.title.setObjectName("trainingTitle")
        self.organiser = QLineEdit(training.organiser or "", self)
        self.organiser.setObjectName("trainingOrganiser")
        self.hours = QSpinBox(self)
        self.hours.setObjectName("trainingHours")
        self.hours.setRange(0, 2000)
        self.hours.setSpecialValueText("—")
        self.hours.setValue(training.hours or 0)
        self.start = DateField(self)
        self.start.setObjectName("trainingStart")
        self.start.set_value(training.start_date)
        self.end = DateField(self)
        self.end.setObjectName("trainingEnd")
        self.end.set_value(training.end_date)
        self.certificate = QLineEdit(training.certificate_number or "", self)
        self.certificate.setObjectName("trainingCertificate")
        self.note = QLineEdit(training.note or "", self)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel("–", self))
        dates.addWidget(self.end)
        form = QFormLayout()
        for label, widget in ((_("&Kind"), self.kind), (_("&Title"), self.title),
                              (_("&Organiser"), self.organiser), (_("&Hours"), self.hours),
                              (_("Dates (from – to)"), dates),
                              (_("&Certificate No."), self.certificate), (_("N&ote"), self.note)):
            form.addRow(label, widget)
        self.message = FieldMessage(self)
        buttons = dialog_buttons(self, _("&Save"), "trainingSave", self.save, "trainingCancel")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def current(self) -> StaffTraining:
        return dataclasses.replace(
            self.training, kind=TrainingKind(self.kind.currentData()),
            title=self.title.text().strip(), organiser=self.organiser.text().strip() or None,
            hours=self.hours.value() or None, start_date=self.start.value(),
            end_date=self.end.value(), certificate_number=self.certificate.text().strip() or None,
            note=self.note.text().strip() or None)

    def save(self) -> None:
        bad = [f.error() for f in (self.start, self.end) if f.error()]
        if bad:
            self.message.show_message(str(bad[0]))
            return
        training = self.current()
        found = validate_training(training)
        if has_errors(found):
            self.message.show_message("\n".join(f.text for f in found if f.is_error))
            return
        try:
            self.training = StaffDevelopment(self.store).save_training(training,
                                                                       author=default_author())
        except UserError as exc:
            show_error(self, exc)
            return
        self.accept()


class StaffDevelopmentTab(QWidget):
    """Teachers and psychologists: their last course, recent hours and prize-winners."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("staffDevelopmentTab")
        self.store = store
        self.dev = StaffDevelopment(store)
        self._reader = BackgroundRunner(self)
        self._reader.finished.connect(self._show)
        self._reader.failed.connect(self._not_read)
        self.people: list[StaffOverview] = []
        self._rows: list[list[Any]] = []
        self._courses: list[StaffTraining] = []
        self.role = QComboBox(self)
        self.role.setObjectName("staffDevRole")
        fill_enum_combo(self.role, StaffRole, any_text=_("All roles"))
        self.search = QLineEdit(self)
        self.search.setObjectName("staffDevSearch")
        self.search.setPlaceholderText(_("Search by name"))
        self.search.setClearButtonEnabled(True)
        self.untrained = QCheckBox(ngettext(
            "Not trained in the last {count} year", "Not trained in the last {count} years",
            TRAINING_PERIOD_YEARS).format(count=TRAINING_PERIOD_YEARS), self)
        self.untrained.setObjectName("staffDevUntrained")
        self.year = year_combo("staffDevYear", [], self)
        top = QHBoxLayout()
        top.addWidget(self.role)
        top.addWidget(self.search, 1)
        top.addWidget(self.untrained)
        top.addWidget(QLabel(_("Prize-winners of:"), self))
        top.addWidget(self.year)
        self.table = table_widget("staffDevTable", [
            _("Full name"), _("Role"), _("School"), _("Last course"),
            ngettext("Hours in {count} year", "Hours in {count} years",
                     TRAINING_PERIOD_YEARS).format(count=TRAINING_PERIOD_YEARS),
            _("Courses"), _("Prize-winners prepared"), _("Of them this year")], self)
        self.table.itemSelectionChanged.connect(self.load_person)
        self.count = QLabel(self)
        self.count.setObjectName("staffDevCount")
        self.trainings = table_widget("staffDevTrainings", [
            _("Kind"), _("Title"), _("Organiser"), _("Hours"), _("Dates"), _("Certificate No.")],
            self)
        self.trainings.doubleClicked.connect(lambda _i: self.edit_training())
        self.prepared = table_widget("staffDevPrepared", [
            _("Year"), _("Pupil"), _("Event"), _("Level"), _("Award")], self)
        self.add_button = button(_("&Add a course…"), "staffDevAdd", self.add_training, self)
        self.edit_button = button(_("&Edit the course…"), "staffDevEdit", self.edit_training,
                                  self)
        self.remove_button = button(_("&Remove the course"), "staffDevRemove",
                                    self.remove_training, self)
        courses_box = QWidget(self)
        courses_layout = QVBoxLayout(courses_box)
        courses_layout.setContentsMargins(0, 0, 0, 0)
        self.person_title = QLabel(self)
        courses_layout.addWidget(self.person_title)
        courses_layout.addWidget(self.trainings, 1)
        actions = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            actions.addWidget(b)
        actions.addStretch(1)
        courses_layout.addLayout(actions)
        prepared_box = QWidget(self)
        prepared_layout = QVBoxLayout(prepared_box)
        prepared_layout.setContentsMargins(0, 0, 0, 0)
        prepared_layout.addWidget(QLabel(_("Prize-winners prepared (decree measures 5 and 15):"),
                                         self))
        prepared_layout.addWidget(self.prepared, 1)
        person = QSplitter(Qt.Orientation.Horizontal, self)
        person.addWidget(courses_box)
        person.addWidget(prepared_box)
        listing = QWidget(self)
        listing_layout = QVBoxLayout(listing)
        listing_layout.setContentsMargins(0, 0, 0, 0)
        listing_layout.addWidget(self.table, 1)
        under = QHBoxLayout()
        under.addWidget(self.count, 1)
        under.addWidget(button(_("Save as E&xcel…"), "staffDevXlsx", self.save_excel, self))
        listing_layout.addLayout(under)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(listing)
        split.addWidget(person)
        split.setSizes([430, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.role.currentIndexChanged.connect(lambda _i: self.refresh())
        # Typing waits for a pause: a region's list is read anew for each search.
        self._typing = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._typing.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._typing.start())
        self.untrained.toggled.connect(lambda _c: self.refresh())
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        # Filled when the tab is first shown (the section refreshes the current tab).

    def refresh(self) -> None:
        year, role = self.year.currentData(), self.role.currentData()
        text, untrained = self.search.text(), self.untrained.isChecked()
        # Thousands of people in a region, each with courses and results: off the UI thread.
        # A background job rather than a task: the person may go on typing, and only the
        # newest search is shown.
        store = self.store

        def work(cancel: CancelToken) -> list[StaffOverview]:
            with store.reopen() as own, own.stopped_by(cancel):
                return StaffDevelopment(own).overview(academic_year=year, role=role, text=text,
                                                      untrained_only=untrained)

        self._reader.start(work)

    def _not_read(self, error: Exception) -> None:
        if not isinstance(error, UserError):
            raise error
        show_error(self, error)

    def _show(self, found: list[StaffOverview]) -> None:
        self.people = found[:MAX_LISTED]
        self._rows = [self._row(p) for p in found]
        fill(self.table, self._rows[:MAX_LISTED], data=[p.staff.id for p in self.people])
        today = date.today()
        for r, p in enumerate(self.people):
            if p.needs_training(today):
                cell(self.table, r, 3).setForeground(Qt.GlobalColor.darkRed)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), 260))
        self.count.setText(_("Shown {shown} of {total}").format(shown=len(self.people),
                                                                total=len(found)))
        self.load_person()

    @staticmethod
    def _row(p: StaffOverview) -> list[Any]:
        last = format_date(p.last_trained) if p.last_trained else _("never")
        return [p.staff.full_name, p.staff.role.label,
                p.school_name or _("District education office"), last, p.recent_hours,
                p.trainings, p.prize_winners, p.prize_winners_year]

    def save_excel(self) -> None:
        """Every person of the list (not only the first ones shown)."""
        return save_xlsx(self, _("Staff development"), "staff_development.xlsx",
                         headers_of(self.table), self._rows,
                         heading=[self.untrained.text()] if self.untrained.isChecked() else ())

    def current(self) -> StaffOverview | None:
        staff_id = row_data(self.table)
        return next((p for p in self.people if p.staff.id == staff_id), None)

    def load_person(self) -> None:
        person = self.current()
        self.add_button.setEnabled(person is not None)
        if person is None:
            self.person_title.setText(_("Choose a person in the list to see their courses."))
            self._courses = []
            fill(self.trainings, [])
            fill(self.prepared, [])
            self.edit_button.setEnabled(False)
            self.remove_button.setEnabled(False)
            return
        self.person_title.setText(_("Courses and seminars of {name}:").format(
            name=person.staff.full_name))
        courses = self.dev.trainings(person.staff.id)
        fill(self.trainings, [[t.kind.label, t.title, t.organiser or "",
                               str(t.hours or ""), period(t.start_date, t.end_date),
                               t.certificate_number or ""] for t in courses],
             data=[t.id for t in courses])
        self.trainings.resizeColumnsToContents()
        self.trainings.setColumnWidth(1, min(self.trainings.columnWidth(1), 260))
        self._courses = courses
        prepared = self.dev.prepared(person.staff.id)
        fill(self.prepared, [[r.academic_year, r.pupil_name, r.event_name, r.level.label,
                              r.award.label] for r in prepared])
        self.prepared.resizeColumnsToContents()
        self.edit_button.setEnabled(bool(courses))
        self.remove_button.setEnabled(bool(courses))

    def _training(self) -> StaffTraining | None:
        training_id = row_data(self.trainings)
        return next((t for t in self._courses if t.id == training_id), None)

    def add_training(self) -> None:
        person = self.current()
        if person is None:
            return
        dialog = TrainingDialog(self.store, StaffTraining(staff_id=person.staff.id, title=""),
                                self, person=person.staff.full_name)
        if dialog.exec():
            self._reload(person.staff.id)

    def edit_training(self) -> None:
        person, training = self.current(), self._training()
        if person is None or training is None:
            return
        if TrainingDialog(self.store, training, self, person=person.staff.full_name).exec():
            self._reload(person.staff.id)

    def remove_training(self) -> None:
        person, training = self.current(), self._training()
        if person is None or training is None:
            return
        if confirm(self, _("Staff development"),
                   _("Remove “{title}” from the person's courses?").format(title=training.title)):
            self.dev.remove_training(training.id, author=default_author())
            self._reload(person.staff.id)

    def _reload(self, staff_id: str) -> None:
        self.refresh()
        for r in range(self.table.rowCount()):
            if row_data(self.table, r) == staff_id:
                self.table.selectRow(r)
                break
