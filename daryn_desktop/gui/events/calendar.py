"""The calendar tab: what is coming up and the year's events; it opens the event editor."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.dates import format_date
from daryn_desktop.core.entities import Event
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.errors import UserError
from daryn_desktop.gui.changes import Reloader
from daryn_desktop.gui.events.common import (
    button,
    cell,
    confirm,
    fill,
    headers_of,
    row_data,
    save_xlsx,
    show_error,
    table_widget,
    texts_of,
    year_combo,
)
from daryn_desktop.gui.events.dates import period
from daryn_desktop.gui.events.event_dialogs import EventDialog, TemplateDialog
from daryn_desktop.i18n import _, current_language, ngettext
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.events import EventRow, Events
from daryn_desktop.storage.registry import default_author

#: How far ahead "coming up" looks.
COMING_DAYS = 120
#: What the calendar shows: a write to one of these reloads it.
CALENDAR_TABLES = ("events", "event_stages", "participants")


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
