"""The import wizard's last page: what was imported, with *Undo this import*."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from daryn_desktop.errors import UserError
from daryn_desktop.gui.imports.errors import import_error
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.storage.imports import MSG_UNDONE, undo_import
from daryn_desktop.storage.registry import default_author

if TYPE_CHECKING:
    from daryn_desktop.gui.imports.wizard import ImportWizard


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
            import_error(self, exc)
            return
        self.undo_button.setEnabled(False)
        self.summary.setText(_(MSG_UNDONE).format(
            restored=result.restored, taken=result.taken_back, kept=result.kept))
