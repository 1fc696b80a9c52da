"""The calendar tab: what is coming up, the year's events, and the event editor with stages."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date, parse_date
from daryn_desktop.core.entities import Event
from daryn_desktop.core.enums import EventKind, EventLevel
from daryn_desktop.core.events import (
    DISTRICT_LEVELS,
    TEMPLATES,
    EventStage,
    EventTemplate,
    event_from_template,
    validate_event,
)
from daryn_desktop.core.findings import Finding
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.errors import UserError
from daryn_desktop.gui.changes import Reloader
from daryn_desktop.gui.events.common import (
    DISPLAY,
    EDIT,
    ERROR_BRUSH,
    ROOT,
    ChoiceDelegate,
    Index,
    button,
    cell,
    confirm,
    dialog_buttons,
    fill,
    grade_box,
    grade_of,
    headers_of,
    row_data,
    save_xlsx,
    show_error,
    table_view,
    table_widget,
    texts_of,
    year_combo,
)
from daryn_desktop.gui.roadmaps.delegates import DateDelegate
from daryn_desktop.gui.widgets import FieldMessage, fill_enum_combo, set_combo_value
from daryn_desktop.i18n import _, current_language, ngettext
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.events import EventRow, Events
from daryn_desktop.storage.registry import default_author

#: How far ahead "coming up" looks.
COMING_DAYS = 120
#: What the calendar shows: a write to one of these reloads it.
CALENDAR_TABLES = ("events", "event_stages", "participants")


def period(start: date | None, end: date | None) -> str:
    if start and end and start != end:
        return f"{format_date(start)}–{format_date(end)}"
    return format_date(start or end)


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


class EventDialog(QDialog):
    """An event and its stages. The region's events are read-only in a district."""

    def __init__(self, store: Store, event: Event | None = None,
                 parent: QWidget | None = None, *, year: str | None = None):
        super().__init__(parent)
        self.setObjectName("eventDialog")
        self.store = store
        self.events = Events(store)
        self.saved_event: Event | None = None
        inst = store.installation
        self.district_only = inst.district_kato is not None and inst.role.value == "district"
        new = event is None
        if event is None:
            event = Event(name="", kind=EventKind.SUBJECT_OLYMPIAD,
                          level=EventLevel.DISTRICT if self.district_only else EventLevel.REGIONAL,
                          academic_year=year or AcademicYear.containing(date.today()).label)
        self.edited = event
        self.editable = new or self.events.may_edit(event)
        self.setWindowTitle(_("New event") if new else _("Event — {name}").format(
            name=event.name))

        self.name = QLineEdit(event.name, self)
        self.name.setObjectName("eventName")
        self.kind = QComboBox(self)
        self.kind.setObjectName("eventKind")
        fill_enum_combo(self.kind, EventKind)
        set_combo_value(self.kind, event.kind)
        self.year = QLineEdit(event.academic_year, self)
        self.year.setObjectName("eventYear")
        self.subjects = QLineEdit(event.subject or "", self)
        self.subjects.setObjectName("eventSubjects")
        self.grade_from = grade_box("eventGradeFrom", event.grade_from, self)
        self.grade_to = grade_box("eventGradeTo", event.grade_to, self)
        self.organiser = QLineEdit(event.organiser or "", self)
        self.organiser.setObjectName("eventOrganiser")
        self.note = QLineEdit(event.note or "", self)
        self.note.setObjectName("eventNote")
        grades = QHBoxLayout()
        grades.addWidget(self.grade_from)
        grades.addWidget(QLabel("–", self))
        grades.addWidget(self.grade_to)
        grades.addStretch(1)
        form = QFormLayout()
        for label, widget in ((_("&Name"), self.name), (_("&Kind"), self.kind),
                              (_("Academic &year"), self.year), (_("S&ubjects"), self.subjects),
                              (_("&Grades"), grades), (_("&Organiser"), self.organiser),
                              (_("N&ote"), self.note)):
            title = QLabel(label, self)
            title.setBuddy(self.grade_from if isinstance(widget, QHBoxLayout) else widget)
            form.addRow(title, widget)

        self.model = StagesModel(self)
        self.model.set_stages(self.events.stages(event.id) if not new else [
            EventStage(event_id=event.id, level=EventLevel.SCHOOL)])
        self.model.editable = self.editable
        self.model.changed = self._stages_edited
        self.table = table_view("eventStages", self.model, editable=self.editable, parent=self)
        levels = DISTRICT_LEVELS if self.district_only else tuple(EventLevel)
        level_choices = [(lv.label, lv.value) for lv in levels]
        self.table.setItemDelegateForColumn(
            StagesModel.LEVEL, ChoiceDelegate(lambda _index: level_choices, self.table))
        for column in (StagesModel.START, StagesModel.END, StagesModel.DEADLINE):
            self.table.setItemDelegateForColumn(column, DateDelegate(self.table))
        for column, width in enumerate((150, 150, 95, 95, 115, 200)):
            self.table.setColumnWidth(column, width)
        stage_buttons = QHBoxLayout()
        for text, name, slot in ((_("&Add stage"), "eventAddStage", self.add_stage),
                                 (_("&Remove stage"), "eventRemoveStage", self.remove_stage),
                                 (_("Move &up"), "eventStageUp", lambda: self.move_stage(-1)),
                                 (_("Move &down"), "eventStageDown", lambda: self.move_stage(1))):
            b = button(text, name, slot, self)
            b.setEnabled(self.editable)
            stage_buttons.addWidget(b)
        stage_buttons.addStretch(1)

        self.message = FieldMessage(self)
        self.message.setObjectName("eventMessage")
        self.notice = QLabel(self)
        self.notice.setObjectName("eventReadOnly")
        self.notice.setWordWrap(True)
        self.notice.setVisible(not self.editable)
        self.notice.setText(_("The regional centre published this event: it is the same in every"
                              " district and only the region changes it. Enter your pupils'"
                              " results on the Results tab."))
        buttons = dialog_buttons(self, _("&Save"), "eventSave", self.save, "eventCancel",
                                 cancel_text=None if self.editable else _("Close"))
        save_button = buttons.findChild(QPushButton, "eventSave")
        assert save_button is not None  # made by dialog_buttons
        self.save_button = save_button
        self.save_button.setEnabled(self.editable)
        fields: tuple[QWidget, ...] = (self.name, self.kind, self.year, self.subjects,
                                       self.grade_from, self.grade_to, self.organiser, self.note)
        for field in fields:
            field.setEnabled(self.editable)

        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Stages, from the lowest level up:"), self))
        layout.addWidget(self.table, 1)
        layout.addLayout(stage_buttons)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(900, 620)
        for line in (self.name, self.year):
            line.textChanged.connect(lambda _text: self.check())

    def current(self) -> Event:
        """The event as the form shows it."""
        return dataclasses.replace(
            self.edited, name=self.name.text().strip(), kind=EventKind(self.kind.currentData()),
            academic_year=self.year.text().strip(), subject=self.subjects.text().strip() or None,
            grade_from=grade_of(self.grade_from), grade_to=grade_of(self.grade_to),
            organiser=self.organiser.text().strip() or None,
            note=self.note.text().strip() or None)

    def findings(self) -> list[Finding]:
        event = self.current()
        district_only = self.district_only and (event.district_kato is not None
                                                or self.edited.district_kato is None)
        return validate_event(event, self.model.stages, district_only=district_only)

    def check(self) -> bool:
        """Show the problems; True when the event can be saved."""
        found = self.findings()
        self.model.errors = {(int(f.field.split(".")[1]), f.field.split(".")[2])
                             for f in found if f.field.startswith("stages.") and f.is_error
                             and f.field.count(".") == 2}
        self.model.layoutChanged.emit()
        errors = [f.text for f in found if f.is_error]
        warnings = [f.text for f in found if not f.is_error]
        self.message.show_message("\n".join(errors or warnings), is_error=bool(errors))
        self.save_button.setEnabled(self.editable and not errors)
        return not errors

    def _stages_edited(self) -> None:
        self.check()

    def add_stage(self) -> None:
        stages = self.model.stages
        last = stages[-1] if stages else None
        levels = DISTRICT_LEVELS if self.district_only else tuple(EventLevel)
        level = levels[0]
        if last is not None:
            higher = [lv for lv in levels if lv.rank > last.level.rank]
            level = higher[0] if higher else last.level
        self.model.set_stages([*stages, EventStage(event_id=self.edited.id, level=level,
                                                   position=len(stages))])
        self.table.selectRow(len(stages))
        self.check()

    def remove_stage(self) -> None:
        row = self.table.currentIndex().row()
        if 0 <= row < len(self.model.stages):
            stages = list(self.model.stages)
            del stages[row]
            self.model.set_stages(stages)
            self.check()

    def move_stage(self, step: int) -> None:
        row = self.table.currentIndex().row()
        target = row + step
        stages = list(self.model.stages)
        if 0 <= row < len(stages) and 0 <= target < len(stages):
            stages[row], stages[target] = stages[target], stages[row]
            self.model.set_stages(stages)
            self.table.selectRow(target)
            self.check()

    def save(self) -> None:
        if not self.editable or not self.check():
            return
        try:
            self.saved_event = self.events.save_event(self.current(), self.model.stages,
                                                      author=default_author())
        except UserError as exc:
            show_error(self, exc)
            return
        self.accept()


class TemplateDialog(QDialog):
    """A recurring event made in one step: the template, the year, the dates it will get."""

    def __init__(self, store: Store, parent: QWidget | None = None, *, year: str | None = None):
        super().__init__(parent)
        self.setObjectName("templateDialog")
        self.setWindowTitle(_("New event from a template"))
        self.store = store
        self.created: Event | None = None
        self.template = QComboBox(self)
        self.template.setObjectName("templateChoice")
        fill_enum_combo(self.template, EventTemplate)
        self.year = year_combo("templateYear", [], self)
        if year:
            self.year.setCurrentIndex(max(self.year.findData(year), 0))
        self.preview = table_widget("templatePreview", [_("Stage"), _("Dates"),
                                                        _("Registration until"), _("Venue")],
                                    self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        if store.installation.role.value == "district":
            self.note.setText(_("A district makes the school and district stages; the regional"
                                " centre publishes the rest of its calendar."))
        form = QFormLayout()
        form.addRow(_("&Template"), self.template)
        form.addRow(_("Academic &year"), self.year)
        buttons = dialog_buttons(self, _("&Create"), "templateCreate", self.create_event,
                                 "templateCancel")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.template.currentIndexChanged.connect(lambda _i: self.show_preview())
        self.year.currentIndexChanged.connect(lambda _i: self.show_preview())
        self.show_preview()
        self.resize(760, 360)

    def show_preview(self) -> None:
        template = EventTemplate(self.template.currentData())
        year = AcademicYear.parse(self.year.currentData())
        _event, stages = event_from_template(template, year)
        if self.store.installation.role.value == "district":
            stages = [s for s in stages if s.level in DISTRICT_LEVELS]
        fill(self.preview, [[s.level.label, period(s.start_date, s.end_date),
                             format_date(s.registration_deadline), s.venue or ""]
                            for s in stages])
        self.preview.resizeColumnsToContents()
        spec = TEMPLATES[template]
        self.preview.setToolTip(_("Grades {first}–{last}").format(first=spec.grade_from,
                                                                  last=spec.grade_to))

    def create_event(self) -> None:
        try:
            self.created = Events(self.store).create_from_template(
                EventTemplate(self.template.currentData()), self.year.currentData(),
                author=default_author())
        except UserError as exc:
            show_error(self, exc)
            return
        self.accept()


class CalendarTab(QWidget):
    """What is coming up, then the year's events; the editor and the templates."""

    #: Asks the section to open the results of an event (its id).
    results_wanted = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("calendarTab")
        self.store = store
        self.events = Events(store)
        self.rows: list[EventRow] = []
        self.year = year_combo("calendarYear", self.events.years(), self)
        self.search = QLineEdit(self)
        self.search.setObjectName("calendarSearch")
        self.search.setPlaceholderText(_("Search by name, subject or organiser"))
        self.search.setClearButtonEnabled(True)
        self.cancelled = QCheckBox(_("Show cancelled"), self)
        self.cancelled.setObjectName("calendarShowCancelled")
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Year:"), self))
        top.addWidget(self.year)
        top.addWidget(self.search, 1)
        top.addWidget(self.cancelled)

        self.coming = table_widget("calendarComing", [_("Date"), _("What"), _("Event"),
                                                      _("Stage"), _("Venue")], self)
        self.coming.doubleClicked.connect(lambda _i: self._open_coming())
        self.table = table_widget("calendarEvents", [
            _("Event"), _("Kind"), _("Level"), _("Grades"), _("Stages and dates"),
            _("Participants"), _("Published by")], self)
        self.table.doubleClicked.connect(lambda _i: self.edit_event())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        coming_box = QWidget(self)
        coming_layout = QVBoxLayout(coming_box)
        coming_layout.setContentsMargins(0, 0, 0, 0)
        self.coming_title = QLabel(self)
        coming_layout.addWidget(self.coming_title)
        coming_layout.addWidget(self.coming)
        events_box = QWidget(self)
        events_layout = QVBoxLayout(events_box)
        events_layout.setContentsMargins(0, 0, 0, 0)
        self.count = QLabel(self)
        self.count.setObjectName("calendarCount")
        events_layout.addWidget(self.count)
        events_layout.addWidget(self.table)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(coming_box)
        split.addWidget(events_box)
        split.setSizes([220, 420])

        self.new_button = button(_("&New event…"), "calendarNew", self.new_event, self)
        self.template_button = button(_("From a &template…"), "calendarTemplate",
                                      self.from_template, self,
                                      tip=_("The rural-school olympiad and other recurring"
                                            " events, with all their stages, in one step"))
        self.edit_button = button(_("&Open…"), "calendarEdit", self.edit_event, self)
        self.results_button = button(_("&Results…"), "calendarResults", self.open_results, self)
        self.archive_button = button(_("Ca&ncel the event"), "calendarArchive", self.archive,
                                     self)
        bottom = QHBoxLayout()
        for b in (self.new_button, self.template_button, self.edit_button, self.results_button,
                  self.archive_button):
            bottom.addWidget(b)
        bottom.addStretch(1)
        bottom.addWidget(button(_("Save as E&xcel…"), "calendarXlsx", self.save_excel, self))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.cancelled.toggled.connect(lambda _c: self.refresh())
        # Written elsewhere (an event's dialog, an import of a protocol): shown without asking.
        self.reloader = Reloader(self, store, CALENDAR_TABLES, self.refresh)
        self.refresh()

    def _publisher(self, event: Event) -> str:
        if event.district_kato is None:
            return _("Regional centre")
        place = gazetteer().find(event.district_kato)
        return place.name(current_language()) if place else event.district_kato

    def refresh(self) -> None:
        self.reloader.fresh()
        today = date.today()
        coming = self.events.coming(today, days=COMING_DAYS)
        self.coming_title.setText(_("Coming up in the next {days} days: registration deadlines"
                                    " and stages").format(days=COMING_DAYS))
        fill(self.coming, [[format_date(d.day), d.kind.label, d.event.name, d.stage.title(),
                            d.stage.venue or ""] for d in coming],
             data=[d.event.id for d in coming])
        for row, d in enumerate(coming):
            if d.day <= today + timedelta(days=7):
                for column in range(self.coming.columnCount()):
                    cell(self.coming, row, column).setFont(_bold(self.coming.font()))
        self.coming.resizeColumnsToContents()
        self.rows = self.events.list_events(self.year.currentData(), text=self.search.text(),
                                            include_archived=self.cancelled.isChecked())
        table_rows = []
        for r in self.rows:
            e = r.event
            grades = ("–".join(str(g) for g in (e.grade_from, e.grade_to) if g is not None)
                      if e.grade_from is not None or e.grade_to is not None else "")
            stages = "; ".join(f"{s.title()} {period(s.start_date, s.end_date)}".strip()
                               for s in r.stages)
            name = e.name if not e.archived else _("{name} (cancelled)").format(name=e.name)
            table_rows.append([name, e.kind.label, e.level.label, grades, stages,
                               str(r.participants), self._publisher(e)])
        fill(self.table, table_rows, data=[r.event.id for r in self.rows])
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 380))
        self.table.setColumnWidth(4, min(self.table.columnWidth(4), 420))
        self.count.setText(ngettext("{count} event in the year", "{count} events in the year",
                                    len(self.rows)).format(count=len(self.rows)))
        self._selection_changed()

    def save_excel(self) -> None:
        year = self.year.currentData()
        return save_xlsx(self, _("Events"), f"events_{year}.xlsx", headers_of(self.table),
                         texts_of(self.table), heading=[_("{year} academic year").format(
                             year=year)])

    def _selection_changed(self) -> None:
        row = self.current_row()
        for b in (self.edit_button, self.results_button):
            b.setEnabled(row is not None)
        self.archive_button.setEnabled(row is not None and row.editable
                                       and not row.event.archived)

    def current_row(self) -> EventRow | None:
        event_id = row_data(self.table)
        return next((r for r in self.rows if r.event.id == event_id), None)

    def new_event(self) -> None:
        EventDialog(self.store, None, self, year=self.year.currentData()).exec()

    def from_template(self) -> None:
        dialog = TemplateDialog(self.store, self, year=self.year.currentData())
        if dialog.exec() and dialog.created is not None:
            self.year.setCurrentIndex(max(self.year.findData(dialog.created.academic_year), 0))

    def edit_event(self) -> None:
        row = self.current_row()
        if row is None:
            return
        EventDialog(self.store, row.event, self).exec()

    def open_results(self) -> None:
        row = self.current_row()
        if row is not None:
            self.results_wanted.emit(row.event.id)

    def _open_coming(self) -> None:
        event_id = row_data(self.coming)
        if event_id:
            self.results_wanted.emit(event_id)

    def archive(self) -> None:
        row = self.current_row()
        if row is None:
            return
        if not confirm(self, _("Cancel the event"),
                       _("Cancel “{name}”? It stays in the database with its results, but is no"
                         " longer listed.").format(name=row.event.name)):
            return
        try:
            self.events.archive_event(row.event.id, author=default_author())
        except UserError as exc:
            show_error(self, exc)


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold
