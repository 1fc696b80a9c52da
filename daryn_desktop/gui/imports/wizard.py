"""*File → Import from Excel…*: the file and sheet, the columns (guessed, with the first rows
shown), the check of every row (new, changed, unchanged, rejected with its reason), the
import with progress and Cancel, and a summary with *Undo this import*."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget, QWizard

from daryn_desktop.core.imports.fields import ImportKind
from daryn_desktop.core.imports.layout import Layout
from daryn_desktop.core.imports.plan import ImportPlan
from daryn_desktop.errors import UserError
from daryn_desktop.gui.exports import ask_xlsx_path
from daryn_desktop.gui.imports.errors import import_error
from daryn_desktop.gui.imports.pages_check import PreviewPage
from daryn_desktop.gui.imports.pages_columns import MappingPage
from daryn_desktop.gui.imports.pages_file import FilePage
from daryn_desktop.gui.imports.pages_summary import SummaryPage
from daryn_desktop.i18n import _
from daryn_desktop.reports.import_files import rejected_path, write_rejected
from daryn_desktop.spreadsheets.importer import ImportRequest
from daryn_desktop.spreadsheets.reading import SheetData
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.imports import ImportBatch


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
            import_error(self, exc)
            return None
        return path

    def request(self) -> ImportRequest:
        return self.file_page.request()
