"""The import wizard's first page: the kind of list, the file, its sheet, the rows' event."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import EventKind, EventLevel
from daryn_desktop.core.imports.fields import KIND_LABELS, ImportKind
from daryn_desktop.core.imports.results import EventInfo
from daryn_desktop.errors import UserError
from daryn_desktop.gui.imports.stage_choice import StageChoice
from daryn_desktop.gui.tasks import start_task, user_errors
from daryn_desktop.gui.widgets import SearchCombo, fill_enum_combo
from daryn_desktop.i18n import _
from daryn_desktop.spreadsheets.importer import ImportRequest, read
from daryn_desktop.spreadsheets.reading import SheetData
from daryn_desktop.storage.registry import current_academic_year, school_infos

if TYPE_CHECKING:
    from daryn_desktop.gui.imports.wizard import ImportWizard

#: Rows read for the mapping page (the header is looked for among the first 40).
PREVIEW_ROWS = 60
FILE_FILTER = "*.xlsx *.xlsm *.xls *.ods *.csv *.txt *.htm *.html"


class FilePage(QWizardPage):
    """What to import: the kind of list, the file, its sheet, and what the rows leave out."""

    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.setObjectName("importFilePage")
        self.wiz = wizard
        self.setTitle(_("The file"))
        self.setSubTitle(_("Excel (.xlsx, .xls), OpenDocument (.ods) or CSV in any encoding:"
                           " the program finds the header and the columns itself."))
        self.kind = QComboBox(self)
        self.kind.setObjectName("importKind")
        for kind in ImportKind:
            self.kind.addItem(_(KIND_LABELS[kind]), kind.value)
        self.path = QLineEdit(self)
        self.path.setObjectName("importPath")
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(_("No file chosen"))
        choose = QPushButton(_("Choose…"), self)
        choose.setObjectName("importChooseFile")
        choose.clicked.connect(lambda: self.choose_file())
        self.sheet = QComboBox(self)
        self.sheet.setObjectName("importSheet")
        self.info = QLabel(self)
        self.info.setObjectName("importFileInfo")
        self.info.setWordWrap(True)
        self.school = SearchCombo(self, none_text=_("— as each row says —"))
        self.school.setObjectName("importSchool")
        self.school.set_items([(s.name, s.id) for s in school_infos(wizard.store)])

        self.event_box = QGroupBox(_("The event of the protocol (when the rows do not name it)"),
                                   self)
        self.event_box.setObjectName("importEventBox")
        self.calendar = StageChoice(wizard.store, self.event_box)
        self.event_name = QLineEdit(self.event_box)
        self.event_name.setObjectName("importEvent")
        self.level = QComboBox(self.event_box)
        self.level.setObjectName("importLevel")
        fill_enum_combo(self.level, EventLevel, any_text=_("— as each row says —"))
        self.event_kind = QComboBox(self.event_box)
        self.event_kind.setObjectName("importEventKind")
        fill_enum_combo(self.event_kind, EventKind)
        self.year = QLineEdit(current_academic_year(), self.event_box)
        self.year.setObjectName("importYear")
        self.subject = QLineEdit(self.event_box)
        self.subject.setObjectName("importSubject")
        self.event_form = QFormLayout(self.event_box)
        self.event_form.addRow(_("Event of the calendar:"), self.calendar)
        self.event_form.addRow(_("Stage:"), self.calendar.stage)
        self.event_form.addRow(_("Event:"), self.event_name)
        self.event_form.addRow(_("Level:"), self.level)
        self.event_form.addRow(_("Kind of event:"), self.event_kind)
        self.event_form.addRow(_("Academic year:"), self.year)
        self.event_form.addRow(_("Subject:"), self.subject)
        self.stage_note = QLabel(_("The rows are entered in the stage as in its results grid:"
                                   " each pupil's score, place, award and teacher."),
                                 self.event_box)
        self.stage_note.setObjectName("importStageNote")
        self.stage_note.setWordWrap(True)
        self.event_form.addRow("", self.stage_note)
        self.calendar_hint = QLabel(self.event_box)
        self.calendar_hint.setObjectName("importCalendarHint")
        self.calendar_hint.setWordWrap(True)
        self.calendar_hint.setStyleSheet("color: #8a5a00;")
        self.event_form.addRow("", self.calendar_hint)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(choose)
        form = QFormLayout()
        form.addRow(_("What the list holds:"), self.kind)
        form.addRow(_("File:"), file_row)
        form.addRow(_("Sheet:"), self.sheet)
        form.addRow("", self.info)
        form.addRow(_("School of the rows that name none:"), self.school)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.event_box)
        layout.addStretch(1)
        template = QLabel(_("No list yet? <i>daryn import template</i> makes an empty one with"
                            " the columns and drop-down lists."), self)
        template.setEnabled(False)
        layout.addWidget(template)

        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.calendar.changed.connect(lambda: self._stage_changed())
        self.event_name.textChanged.connect(lambda _text: self._stage_changed())
        self.sheet.activated.connect(lambda _i: self.load(self.sheet.currentText()))
        self._kind_changed()

    def current_kind(self) -> ImportKind:
        return ImportKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        self.event_box.setVisible(kind == ImportKind.RESULTS)
        self.school.setEnabled(kind != ImportKind.SCHOOLS)
        self.wiz.table_layout = None
        self._stage_changed()

    def _stage_changed(self) -> None:
        """A calendar event's stage gives the event, its level, kind and year: only the
        subject of rows that name none is asked then."""
        in_calendar = self.calendar.stage_id() is not None
        asked: tuple[QWidget, ...] = (self.event_name, self.level, self.event_kind, self.year)
        for widget in asked:
            self.event_form.setRowVisible(widget, not in_calendar)
        for widget in (self.calendar.stage, self.stage_note):
            self.event_form.setRowVisible(widget, in_calendar)
        # Results of an event of the calendar belong in its stage, not beside it.
        named = None if in_calendar else self.calendar.find_event(self.event_name.text())
        self.calendar_hint.setText(_("“{name}” is an event of the calendar: choose it above,"
                                     " so that the results are entered in its stage.").format(
            name=self.calendar.event_combo.itemText(named)) if named is not None else "")
        self.event_form.setRowVisible(self.calendar_hint, named is not None)
        if in_calendar:
            self.subject.setPlaceholderText(self.calendar.event_subject() or "")

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the spreadsheet"), "",
            _("Spreadsheets ({patterns})").format(patterns=FILE_FILTER) + ";;"
            + _("All files (*)"))
        if path:
            self.path.setText(path)
            self.load(None)

    def load(self, sheet: str | None) -> None:
        """Read the first rows of the file (off the UI thread) for the mapping."""
        path = Path(self.path.text())
        request = ImportRequest(path, self.current_kind(), sheet=sheet)
        start_task(self, _("Reading the file…"),
                   lambda report, cancel: read(request, limit=PREVIEW_ROWS, progress=report,
                                               cancel=cancel),
                   self._loaded, user_errors(self._unreadable, cancelled=lambda _exc: None),
                   writes_data=False)

    def _unreadable(self, exc: UserError) -> None:
        self.wiz.data = None
        self.info.setText(exc.translated())
        self.completeChanged.emit()

    def _loaded(self, data: SheetData) -> None:
        self.wiz.data, self.wiz.table_layout = data, None
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItems(data.sheets)
        self.sheet.setCurrentText(data.name)
        self.sheet.blockSignals(False)
        self.info.setText(data.details)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.wiz.data is not None

    def request(self) -> ImportRequest:
        kind = self.current_kind()
        event = EventInfo()
        stage_id = self.calendar.stage_id() if kind == ImportKind.RESULTS else None
        if stage_id is not None:
            event = EventInfo(subject=self.subject.text().strip() or None)
        elif kind == ImportKind.RESULTS:
            year = self.year.text().strip()
            try:
                year = AcademicYear.parse(year).label if year else ""
            except ValueError:
                year = ""
            event = EventInfo(name=self.event_name.text().strip() or None,
                              level=(EventLevel(self.level.currentData())
                                     if self.level.currentData() else None),
                              kind=EventKind(self.event_kind.currentData()),
                              academic_year=year or None,
                              subject=self.subject.text().strip() or None)
        return ImportRequest(Path(self.path.text()), kind,
                             sheet=self.sheet.currentText() or None,
                             school_id=self.school.value() if kind != ImportKind.SCHOOLS
                             else None, event=event, stage_id=stage_id)
