"""The event editor with its stages, and the dialog that makes an event from a template."""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
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
from daryn_desktop.errors import UserError
from daryn_desktop.gui.events.common import (
    ChoiceDelegate,
    button,
    dialog_buttons,
    fill,
    grade_box,
    grade_of,
    show_error,
    table_view,
    table_widget,
    year_combo,
)
from daryn_desktop.gui.events.dates import period
from daryn_desktop.gui.events.stages_model import StagesModel
from daryn_desktop.gui.roadmaps.delegates import DateDelegate
from daryn_desktop.gui.widgets import FieldMessage, fill_enum_combo, set_combo_value
from daryn_desktop.i18n import _
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.events import Events
from daryn_desktop.storage.registry import default_author


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
