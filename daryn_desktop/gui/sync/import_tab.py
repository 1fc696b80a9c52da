"""The Sync section's Import tab: bundles chosen or dropped, and what each one did."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from daryn_desktop.gui.files import open_files
from daryn_desktop.gui.sync.common import (
    acknowledgements,
    confirmed_lines,
    fill_table,
    make_table,
)
from daryn_desktop.gui.tasks import start_task, user_errors
from daryn_desktop.i18n import _
from daryn_desktop.storage.database import Store
from daryn_desktop.sync import importer


class ImportTab(QWidget):
    """Import bundles and list the outcome of each, with what the other side confirmed."""

    #: Bundles were imported (the section refreshes every tab).
    changed = Signal()
    #: New results are in the table (the section brings this tab to the front).
    results_shown = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Choose bundle files (.dsb), or drop them here.")))
        self.import_button = QPushButton(_("Import bundles…"))
        self.import_button.setObjectName("syncImportButton")
        self.import_button.clicked.connect(lambda _checked=False: self.choose_and_import())
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.results_table = make_table([_("File"), _("Result"), _("Details")],
                                        "syncImportResults")
        layout.addWidget(self.results_table, 1)
        self.confirmed_label = QLabel()
        self.confirmed_label.setObjectName("syncConfirmed")
        self.confirmed_label.setWordWrap(True)
        layout.addWidget(self.confirmed_label)

    def choose_and_import(self) -> None:
        """Choose bundle files (on a stick first) and import them."""
        paths = open_files(self, _("Import bundles"), _("Sync bundles (*.dsb)"),
                           prefer_stick=True)
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[Path]) -> None:
        """Import bundles (chosen, dropped, or given to the program when it started)."""
        if not paths:
            return
        store = self.store
        acks = acknowledgements(store)

        def done(outcomes: list[importer.ImportOutcome]) -> None:
            self.show_results(outcomes, confirmed_lines(store, acks))
            self.changed.emit()

        # A full disk, a database busy in another program: said, and nothing imported.
        start_task(self, _("Importing bundles…"),
                   lambda report, cancel: importer.import_files(store, paths, progress=report,
                                                                cancel=cancel),
                   done, user_errors(lambda exc: QMessageBox.warning(self, _("Sync"),
                                                                     exc.translated())))

    def show_results(self, outcomes: list[importer.ImportOutcome],
                     confirmed: list[str] | None = None) -> None:
        labels = {importer.IMPORTED: _("imported"), importer.ALREADY: _("already imported"),
                  importer.REFUSED: _("refused")}
        rows = []
        for o in outcomes:
            if o.status == importer.IMPORTED:
                detail = _("{new} new of {count} changes from {sender}").format(
                    new=o.new_changes, count=o.received, sender=o.sender) + o.moves_text()
            else:
                detail = o.message
            rows.append([o.path.name, labels[o.status], detail])
        fill_table(self.results_table, rows)
        self.confirmed_label.setText("\n".join(confirmed or []) or (_(
            "The bundles confirmed nothing new of your changes.") if outcomes else ""))
        self.results_shown.emit()
