"""The import wizard's check page: every row checked before anything is written, then the import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from daryn_desktop.core.imports.fields import ImportKind
from daryn_desktop.core.imports.plan import ImportPlan, RowOutcome, RowStatus
from daryn_desktop.errors import UserError
from daryn_desktop.gui.imports.errors import import_error
from daryn_desktop.gui.tasks import start_task, user_errors
from daryn_desktop.i18n import _
from daryn_desktop.spreadsheets.importer import plan_import
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.imports import ImportBatch, RegistryChanged
from daryn_desktop.storage.registry import default_author

if TYPE_CHECKING:
    from daryn_desktop.gui.imports.wizard import ImportWizard

_REJECTED = QBrush(QColor("#fbd5d5"))
_WARNED = QBrush(QColor("#fff1c2"))
_CHANGED = QBrush(QColor("#dcebfa"))
_NEW = QBrush(QColor("#ddf3de"))


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
                    self._not_applied,
                    cancelled=lambda _exc: QMessageBox.information(
                        self, _("Import from Excel"),
                        _("The import was cancelled: nothing was written."))))
        finally:
            self._validating = False
        return self._imported

    def _not_applied(self, exc: UserError) -> None:
        import_error(self, exc)
        if isinstance(exc, RegistryChanged):
            self.initializePage()  # checked again against the registry as it is now

    def _applied(self, batch: ImportBatch | None) -> None:
        self.wiz.batch = batch
        self._imported = True
        if not self._validating:
            self.wiz.next()


def _apply(store: Store, plan: ImportPlan, report, cancel) -> ImportBatch | None:
    from daryn_desktop.spreadsheets.importer import run_import

    return run_import(store, plan, author=default_author(), progress=report, cancel=cancel)
