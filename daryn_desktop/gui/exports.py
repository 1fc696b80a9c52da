"""*Save as Excel…*: asks where, then writes the table off the UI thread with progress and
Cancel (a cancelled export leaves no file)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.gui.tasks import start_task, user_errors
from daryn_desktop.i18n import _, ngettext

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

#: ``work(path, report, cancel)`` writes the file and returns how many rows it holds.
ExportWork = Callable[[Path, Callable[[Progress], None], CancelToken], int]


def ask_xlsx_path(parent: QWidget, suggested: str, title: str | None = None) -> Path | None:
    """The file to write, chosen by the person; None when they cancelled."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, title or _("Save as Excel"), suggested, _("Excel workbooks (*.xlsx)"))
    if not path:
        return None
    if not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    return Path(path)


def save_as_excel(parent: QWidget, suggested: str, work: ExportWork,
                  on_saved: Callable[[Path], object] | None = None) -> None:
    """Ask for a file and write it off the UI thread; ``on_saved(path)`` once it is written
    (not called when the person cancelled or the file could not be written)."""
    path = ask_xlsx_path(parent, suggested)
    if path is None:
        return

    def done(count: int) -> None:
        QMessageBox.information(parent, _("Save as Excel"), ngettext(
            "Saved {count} row to {path}.", "Saved {count} rows to {path}.", count).format(
                count=count, path=path))
        if on_saved is not None:
            on_saved(path)

    start_task(parent, _("Saving the spreadsheet…"),
               lambda report, cancel: work(path, report, cancel), done,
               user_errors(lambda exc: QMessageBox.warning(parent, _("Save as Excel"),
                                                           exc.translated()),
                           cancelled=lambda _exc: None), writes_data=False)


def excel_button(parent: QWidget, name: str, slot: Callable[[], object],
                 text: str | None = None) -> QPushButton:
    """A *Save as Excel…* button with an object name, connected without Qt's checked flag."""
    button = QPushButton(text or _("Save as Excel…"), parent)
    button.setObjectName(name)
    button.clicked.connect(lambda: slot())
    return button


def save_conflicts(parent: QWidget, store: Store) -> None:
    """Every field waiting for a person's decision, with each place's value and when."""
    from daryn_desktop.gui.editor.history_tab import FIELD_NAMES, RecordNames, field_value
    from daryn_desktop.reports.tables_xlsx import save_rows
    from daryn_desktop.sync.conflicts import list_conflicts

    def work(path: Path, report: Callable[[Progress], None], cancel: CancelToken) -> int:
        names = RecordNames(store)
        found = list_conflicts(store)
        rows = []
        for c in found:
            field = _(FIELD_NAMES[c.col]) if c.col in FIELD_NAMES else c.col
            for candidate in c.candidates:
                when = datetime.fromtimestamp(candidate.written_ms / 1000, timezone.utc)
                rows.append([c.record, field,
                             field_value(c.tbl, c.col, candidate.value, names),
                             candidate.source, candidate.author or "",
                             when.strftime("%d.%m.%Y %H:%M"),
                             _("shown") if candidate.shown else ""])
        return save_rows(path, _("Conflicts"), [
            _("Record"), _("Field"), _("Value"), _("Where"), _("Who"), _("When"), _("Shown")],
            rows, heading=[store.installation.name], total=len(rows), progress=report,
            cancel=cancel)

    return save_as_excel(parent, _("conflicts.xlsx"), work)
