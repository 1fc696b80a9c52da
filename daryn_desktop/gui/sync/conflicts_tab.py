"""The Sync section's Conflicts tab: fields changed in two places, and choosing the value."""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.gui.editor.history_tab import FIELD_NAMES, RecordNames, field_value
from daryn_desktop.gui.exports import excel_button, save_conflicts
from daryn_desktop.gui.sync.common import fill_table, make_table
from daryn_desktop.i18n import _
from daryn_desktop.storage.database import Store
from daryn_desktop.sync import conflicts


class ConflictsTab(QWidget):
    """The conflicts waiting for a person, the candidate values of the selected one."""

    #: A conflict was resolved (the section refreshes every tab).
    changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self._conflicts: list[conflicts.Conflict] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("The same field was changed in two places without either"
                                  " seeing the other. The value shown first is displayed for"
                                  " now; choose the right one.")))
        self.conflicts_table = make_table([_("Record"), _("Field"), _("Shown value")],
                                          "syncConflicts")
        self.conflicts_table.itemSelectionChanged.connect(self._show_candidates)
        layout.addWidget(self.conflicts_table, 1)
        self.candidates = QListWidget()
        self.candidates.setObjectName("syncCandidates")
        layout.addWidget(self.candidates)
        self.keep_button = QPushButton(_("Keep the selected value"))
        self.keep_button.setObjectName("syncKeepValue")
        self.keep_button.clicked.connect(lambda _checked=False: self.keep_selected())
        layout.addWidget(self.keep_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(excel_button(self, "syncConflictsSaveExcel",
                                      lambda: save_conflicts(self, self.store)),
                         0, Qt.AlignmentFlag.AlignLeft)

    def refresh(self) -> int:
        """List the conflicts again; return how many wait."""
        self._conflicts = conflicts.list_conflicts(self.store, limit=500)
        names = RecordNames(self.store)
        fill_table(self.conflicts_table, [
            [c.record, _(FIELD_NAMES[c.col]) if c.col in FIELD_NAMES else c.col,
             field_value(c.tbl, c.col, c.candidates[0].value, names)] for c in self._conflicts])
        return len(self._conflicts)

    def _show_candidates(self) -> None:
        self.candidates.clear()
        row = self.conflicts_table.currentRow()
        if not 0 <= row < len(self._conflicts):
            return
        conflict = self._conflicts[row]
        names = RecordNames(self.store)
        for candidate in conflict.candidates:
            when = datetime.fromtimestamp(candidate.written_ms / 1000, timezone.utc)
            text = _("{value} — {source}, {when}").format(
                value=field_value(conflict.tbl, conflict.col, candidate.value, names),
                source=candidate.source,
                when=when.strftime("%d.%m.%Y %H:%M"))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, candidate.value)
            self.candidates.addItem(item)
        self.candidates.setCurrentRow(0)

    def keep_selected(self) -> None:
        row = self.conflicts_table.currentRow()
        item = self.candidates.currentItem()
        if not 0 <= row < len(self._conflicts) or item is None:
            return
        conflicts.resolve(self.store, self._conflicts[row],
                          item.data(Qt.ItemDataRole.UserRole))
        self.changed.emit()
