"""*File → Import from Excel…*: the file and sheet, the columns (guessed, with the first rows
shown), the check of every row (new, changed, unchanged, rejected with its reason), the
import with progress and Cancel, and a summary with *Undo this import*."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import EventKind, EventLevel
from daryn_desktop.core.imports.fields import IGNORE, KIND_LABELS, ImportKind, fields_of
from daryn_desktop.core.imports.layout import Layout, NoHeader, find_layout, layout_at
from daryn_desktop.core.imports.plan import ImportPlan, RowOutcome, RowStatus
from daryn_desktop.core.imports.results import EventInfo
from daryn_desktop.core.imports.text import cell_text
from daryn_desktop.errors import UserError
from daryn_desktop.gui.exports import ask_xlsx_path
from daryn_desktop.gui.imports.stage_choice import StageChoice
from daryn_desktop.gui.tasks import start_task, user_errors
from daryn_desktop.gui.widgets import SearchCombo, fill_enum_combo
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.reports.import_files import rejected_path, write_rejected
from daryn_desktop.spreadsheets.importer import ImportRequest, plan_import, read
from daryn_desktop.spreadsheets.reading import SheetData
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.imports import MSG_UNDONE, ImportBatch, undo_import
from daryn_desktop.storage.registry import current_academic_year, default_author, school_infos

#: Rows read for the mapping page (the header is looked for among the first 40).
PREVIEW_ROWS = 60
#: Data rows shown under the mapping.
SAMPLE_ROWS = 8
FILE_FILTER = "*.xlsx *.xlsm *.xls *.ods *.csv *.txt *.htm *.html"

_REJECTED = QBrush(QColor("#fbd5d5"))
_WARNED = QBrush(QColor("#fff1c2"))
_CHANGED = QBrush(QColor("#dcebfa"))
_NEW = QBrush(QColor("#ddf3de"))


def _error(parent: QWidget, exc: UserError) -> None:
    QMessageBox.warning(parent, _("Import from Excel"), exc.translated())


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


class MappingPage(QWizardPage):
    """Each column of the file with the field it is read as (guessed, and changeable)."""

    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.setObjectName("importMappingPage")
        self.wiz = wizard
        self.setTitle(_("The columns"))
        self.setSubTitle(_("Check what each column holds; change a guess in the list above"
                           " the column. Columns left as “—” are not imported."))
        self.header_row = QSpinBox(self)
        self.header_row.setObjectName("importHeaderRow")
        self.header_row.setRange(0, PREVIEW_ROWS)
        self.header_row.setSpecialValueText(_("no header"))
        self.table = QTableWidget(self)
        self.table.setObjectName("importMapping")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.message = QLabel(self)
        self.message.setObjectName("importMappingMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000;")
        top = QHBoxLayout()
        top.addWidget(QLabel(_("The header is in row:"), self))
        top.addWidget(self.header_row)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.header_row.valueChanged.connect(lambda value: self._header_moved(value))
        self._combos: list[QComboBox] = []

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        data, kind = self.wiz.data, self.wiz.file_page.current_kind()
        assert data is not None
        if self.wiz.table_layout is None or self.wiz.table_layout.kind != kind:
            try:
                self.wiz.table_layout = find_layout(data.rows, kind)
            except NoHeader as exc:
                self.wiz.table_layout = layout_at(data.rows, kind, None)
                self.message.setText(exc.translated())
        layout = self.wiz.table_layout
        self.header_row.blockSignals(True)
        self.header_row.setValue(layout.header_rows[-1] + 1 if layout.header_rows else 0)
        self.header_row.blockSignals(False)
        self._fill()

    def _header_moved(self, value: int) -> None:
        data = self.wiz.data
        if data is None:
            return
        self.wiz.table_layout = layout_at(data.rows, self.wiz.file_page.current_kind(),
                                    value - 1 if value else None)
        self._fill()

    def _fill(self) -> None:
        layout, data = self.wiz.table_layout, self.wiz.data
        assert layout is not None and data is not None
        fields = fields_of(layout.kind)
        width = max([len(layout.headers), *(len(r) for r in data.rows[:PREVIEW_ROWS])])
        samples = [r for r in data.rows[layout.first_data_row:] if any(
            cell_text(v) for v in r)][:SAMPLE_ROWS]
        self.table.clear()
        self.table.setColumnCount(width)
        self.table.setRowCount(1 + len(samples))
        self.table.setHorizontalHeaderLabels([layout.header_of(c) for c in range(width)])
        self.table.setVerticalHeaderLabels(["", *(str(layout.first_data_row + i + 1)
                                                  for i in range(len(samples)))])
        self._combos = []
        for column in range(width):
            combo = QComboBox(self.table)
            combo.setObjectName(f"importField_{column}")
            combo.addItem("—", IGNORE)
            for f in fields:
                combo.addItem(_(f.label), f.key)
            index = combo.findData(layout.mapping.get(column, IGNORE))
            combo.setCurrentIndex(max(index, 0))
            combo.currentIndexChanged.connect(lambda _i: self._mapping_changed())
            self.table.setCellWidget(0, column, combo)
            self._combos.append(combo)
            for row, values in enumerate(samples, start=1):
                text = cell_text(values[column]) if column < len(values) else ""
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        for column in range(width):
            self.table.setColumnWidth(column, min(max(self.table.columnWidth(column), 120), 260))
        self._mapping_changed()

    def _mapping_changed(self) -> None:
        layout = self.wiz.table_layout
        assert layout is not None
        mapping = {c: combo.currentData() for c, combo in enumerate(self._combos)
                   if combo.currentData() != IGNORE}
        # A field chosen for one column is taken from the column that had it.
        seen: dict[str, int] = {}
        for column, key in sorted(mapping.items()):
            seen[key] = column
        mapping = {column: key for key, column in seen.items()}
        self.wiz.table_layout = Layout(layout.kind, layout.header_rows, layout.headers, mapping)
        try:
            self.wiz.table_layout.check()
            self.message.setText("")
        except UserError as exc:
            self.message.setText(exc.translated())
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return not self.message.text()


class PreviewPage(QWizardPage):
    """Every row checked before anything is written: what it adds, changes or why not."""

    FILTERS = (None, RowStatus.NEW, RowStatus.CHANGED, RowStatus.UNCHANGED, RowStatus.REJECTED)

    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self._imported = self._validating = False
        self.setObjectName("importPreviewPage")
        self.wiz = wizard
        self.setTitle(_("The check"))
        self.setSubTitle(_("Nothing is written yet. Rejected rows are not imported; the rest"
                           " are, in one step that can be undone."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Import"))
        self.counts = QLabel(self)
        self.counts.setObjectName("importCounts")
        self.counts.setWordWrap(True)
        self.show_box = QComboBox(self)
        self.show_box.setObjectName("importShow")
        for text in (_("All rows"), _("New"), _("Changed"), _("Unchanged"), _("Rejected")):
            self.show_box.addItem(text)
        self.create_schools = QCheckBox(_("Create the schools the list names that are not"
                                          " registered yet"), self)
        self.create_schools.setObjectName("importCreateSchools")
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("importPreviewTable")
        self.table.setHorizontalHeaderLabels([_("Row"), _("Result"), _("Record"),
                                              _("What happens, or why not")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((55, 125, 230)):
            self.table.setColumnWidth(column, width)
        self.save_rejected = QPushButton(_("Save the rejected rows…"), self)
        self.save_rejected.setObjectName("importSaveRejected")
        self.save_rejected.clicked.connect(lambda: self.wiz.save_rejected())
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(QLabel(_("Show:"), self))
        top.addWidget(self.show_box)
        bottom = QHBoxLayout()
        bottom.addWidget(self.create_schools, 1)
        bottom.addWidget(self.save_rejected)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.show_box.currentIndexChanged.connect(lambda _i: self._fill())
        self.create_schools.toggled.connect(lambda _checked: self.initializePage())

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        kind = self.wiz.file_page.current_kind()
        self.create_schools.setVisible(kind in (ImportKind.PUPILS, ImportKind.STAFF))
        self.wiz.plan = None
        self._imported = False
        request = self.wiz.file_page.request()
        request.create_schools = self.create_schools.isChecked()
        table_layout = self.wiz.table_layout
        store = self.wiz.store
        self._fill()
        start_task(self, _("Checking every row…"), lambda report, cancel:
                   plan_import(store, request, layout=table_layout, progress=report,
                               cancel=cancel),
                   self._checked, user_errors(
                       self._not_checked,
                       cancelled=lambda _exc: self._not_checked(_("The check was cancelled."))),
                   writes_data=False)

    def _checked(self, plan: ImportPlan) -> None:
        self.wiz.plan = plan
        self._fill()
        self.completeChanged.emit()

    def _not_checked(self, why: UserError | str) -> None:
        self.counts.setText(why if isinstance(why, str) else why.translated())
        self._fill()
        self.completeChanged.emit()

    def _fill(self) -> None:
        plan = self.wiz.plan
        self.table.setRowCount(0)
        self.save_rejected.setEnabled(bool(plan and plan.rejected))
        if plan is None:
            return
        text = plan.summary()
        if plan.into:
            text = _("Results of the stage: {stage}").format(stage=plan.into) + "\n" + text
        if plan.new_schools:
            text += "\n" + _("New schools: {names}.").format(names=", ".join(plan.new_schools))
        if not plan.writes() and not plan.prelude:
            text += "\n" + _("Nothing to change: the registry already holds everything in the"
                             " file.")
        self.counts.setText(text)
        wanted = self.FILTERS[self.show_box.currentIndex()]
        rows = [r for r in plan.rows if wanted is None or r.status == wanted]
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            self._put(index, row)
        # Heights for the wrapped reasons once the last column has its stretched width.
        QTimer.singleShot(0, self.table.resizeRowsToContents)

    def _put(self, index: int, row: RowOutcome) -> None:
        brush: QBrush | None
        if row.status == RowStatus.REJECTED:
            details, brush = row.reason(), _REJECTED
        else:
            lines = [_("{field}: {old} → {new}").format(field=_(c.field), old=c.old, new=c.new)
                     for c in row.changes]
            if row.warnings:
                lines.append(row.notes())
            details = "\n".join(lines)
            brush = (_WARNED if row.warnings else _NEW if row.status == RowStatus.NEW
                     else _CHANGED if row.status == RowStatus.CHANGED else None)
        for column, text in enumerate((str(row.number), row.status.label, row.label, details)):
            item = QTableWidgetItem(text)
            if brush is not None:
                item.setBackground(brush)
            self.table.setItem(index, column, item)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        plan = self.wiz.plan
        return plan is not None and bool(plan.writes() or plan.prelude)

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        """Refused until the import is written: it starts here, and once it is done the
        wizard goes on by itself to the summary (at once when tasks run inline)."""
        if self._imported:
            return True
        plan, store = self.wiz.plan, self.wiz.store
        if plan is None:
            return False
        self._validating = True
        try:
            start_task(self, _("Importing…"), lambda report, cancel: _apply(
                store, plan, report, cancel), self._applied, user_errors(
                    lambda exc: _error(self, exc),
                    cancelled=lambda _exc: QMessageBox.information(
                        self, _("Import from Excel"),
                        _("The import was cancelled: nothing was written."))))
        finally:
            self._validating = False
        return self._imported

    def _applied(self, batch: ImportBatch | None) -> None:
        self.wiz.batch = batch
        self._imported = True
        if not self._validating:
            self.wiz.next()


def _apply(store: Store, plan: ImportPlan, report, cancel) -> ImportBatch | None:
    from daryn_desktop.spreadsheets.importer import run_import

    return run_import(store, plan, author=default_author(), progress=report, cancel=cancel)


class SummaryPage(QWizardPage):
    """What was imported, with the undo."""

    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.setObjectName("importSummaryPage")
        self.wiz = wizard
        self.setTitle(_("Imported"))
        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.undo_button = QPushButton(_("Undo this import"), self)
        self.undo_button.setObjectName("importUndo")
        self.undo_button.clicked.connect(lambda: self.undo())
        self.rejected_button = QPushButton(_("Save the rejected rows…"), self)
        self.rejected_button.setObjectName("importSaveRejectedAfter")
        self.rejected_button.clicked.connect(lambda: self.wiz.save_rejected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.rejected_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        plan, batch = self.wiz.plan, self.wiz.batch
        assert plan is not None
        if plan.into:
            lines = [_("The stage {stage} now holds the protocol's results: {summary}.").format(
                stage=plan.into, summary=plan.summary())]
        else:
            lines = [_("The registry now holds the list: {summary}.").format(
                summary=plan.summary())]
        if plan.rejected:
            lines.append(ngettext(
                "{count} row was not imported: save it, correct it and import it again.",
                "{count} rows were not imported: save them, correct them and import them"
                " again.", len(plan.rejected)).format(count=len(plan.rejected)))
        lines.append(_("Everything imported travels to the region with the next bundle; an"
                       " undo does too."))
        self.summary.setText("\n\n".join(lines))
        self.undo_button.setEnabled(batch is not None)
        self.rejected_button.setEnabled(bool(plan.rejected))

    def undo(self) -> None:
        batch = self.wiz.batch
        if batch is None:
            return
        question = (_("Take back everything this import did? The results it entered are"
                      " removed, pupils it entered in the stage are marked as not taking"
                      " part, fields it changed get their old values back.")
                    if self.wiz.plan is not None and self.wiz.plan.into else
                    _("Take back everything this import did? Pupils it added are archived as"
                      " “import undone”, fields it changed get their old values back."))
        if QMessageBox.question(self, _("Undo this import"), question) \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            result = undo_import(self.wiz.store, batch.id, author=default_author())
        except UserError as exc:
            _error(self, exc)
            return
        self.undo_button.setEnabled(False)
        self.summary.setText(_(MSG_UNDONE).format(
            restored=result.restored, taken=result.taken_back, kept=result.kept))


class ImportWizard(QWizard):
    """The import wizard; ``batch`` is the import made (None when nothing was written)."""

    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 kind: ImportKind = ImportKind.PUPILS, stage_id: str | None = None):
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle(_("Import from Excel"))
        self.store = store
        self.data: SheetData | None = None
        self.table_layout: Layout | None = None
        self.plan: ImportPlan | None = None
        self.batch: ImportBatch | None = None
        self.file_page = FilePage(self)
        self.file_page.kind.setCurrentIndex(self.file_page.kind.findData(kind.value))
        if stage_id is not None:
            # Opened from a stage's results grid: its protocol goes into that stage.
            self.file_page.kind.setCurrentIndex(
                self.file_page.kind.findData(ImportKind.RESULTS.value))
            self.file_page.calendar.select(stage_id)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.summary_page = SummaryPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.summary_page):
            self.addPage(page)
        for button, name in ((QWizard.WizardButton.BackButton, "importBack"),
                             (QWizard.WizardButton.NextButton, "importNext"),
                             (QWizard.WizardButton.CommitButton, "importCommit"),
                             (QWizard.WizardButton.FinishButton, "importFinish"),
                             (QWizard.WizardButton.CancelButton, "importCancel")):
            self.button(button).setObjectName(name)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        # After the import the only ways out are Finish and Undo: nothing is left to cancel.
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.resize(1000, 680)

    def save_rejected(self) -> Path | None:
        plan = self.plan
        if plan is None or not plan.rejected:
            return None
        suggested = rejected_path(self.file_page.path.text()).name
        path = ask_xlsx_path(self, suggested, _("Save the rejected rows"))
        if path is None:
            return None
        try:
            write_rejected(plan, path)
        except UserError as exc:
            _error(self, exc)
            return None
        return path

    def request(self) -> ImportRequest:
        return self.file_page.request()

