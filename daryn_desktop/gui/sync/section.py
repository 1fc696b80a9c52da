"""The Sync section: one tab each for status and history, pairing, export, import, conflicts
and keys (a module per tab); the section refreshes them all after any of them writes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from daryn_desktop.gui import changes
from daryn_desktop.gui.labels import wrap_labels
from daryn_desktop.gui.sync.conflicts_tab import ConflictsTab
from daryn_desktop.gui.sync.export_tab import CHOOSE_FOLDER, ExportTab
from daryn_desktop.gui.sync.import_tab import ImportTab
from daryn_desktop.gui.sync.keys_tab import KeysTab
from daryn_desktop.gui.sync.overview_tab import OverviewTab
from daryn_desktop.gui.sync.pairing_tab import PairingTab
from daryn_desktop.i18n import _
from daryn_desktop.storage.database import Store
from daryn_desktop.sync import peers
from daryn_desktop.sync.identity import ensure_identity

__all__ = ["CHOOSE_FOLDER", "SyncSection"]


class SyncSection(QWidget):
    """Everything about exchanging bundles with the region (or the districts)."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("syncSection")
        self.store = store
        ensure_identity(store)
        self.setAcceptDrops(True)
        self.overview = OverviewTab(store)
        self.pairing = PairingTab(store)
        self.export_page = ExportTab(store)
        self.import_page = ImportTab(store)
        self.conflicts_page = ConflictsTab(store)
        self.keys = KeysTab(store)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.overview, _("Overview"))
        self.tabs.addTab(self.pairing, _("Pairing"))
        self.tabs.addTab(self.export_page, _("Export to a stick"))
        self.tabs.addTab(self.import_page, _("Import"))
        self.tabs.addTab(self.conflicts_page, _("Conflicts"))
        self.tabs.addTab(self.keys, _("Keys"))
        for tab in (self.overview, self.export_page, self.import_page, self.conflicts_page,
                    self.keys):
            tab.changed.connect(self.refresh)
            # Some of sync's writes (pairing, keys, folders) are outside the write path.
            tab.changed.connect(changes.notify_changed)
        self.overview.imported.connect(self.import_page.show_results)
        self.import_page.results_shown.connect(
            lambda: self.tabs.setCurrentWidget(self.import_page))
        self.pairing.paired.connect(self._paired)
        # The widgets callers and tests look at, where they were before the tabs had modules.
        self.recipient_combo = self.export_page.recipient_combo
        self.destination_combo = self.export_page.destination_combo
        self.plan_label = self.export_page.plan_label
        self.export_button = self.export_page.export_button
        self.export_result = self.export_page.export_result
        self.results_table = self.import_page.results_table
        self.conflicts_table = self.conflicts_page.conflicts_table
        self.candidates = self.conflicts_page.candidates
        self.keys_message = self.keys.keys_message
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.refresh()
        wrap_labels(self.tabs, skip=("fingerprint",))  # long Kazakh and Russian explanations

    def _paired(self, site_id: str) -> None:
        changes.notify_changed()
        self.refresh()
        self.export_page.select_recipient(site_id)

    def import_files(self, paths: list[Path]) -> None:
        """Import bundles (chosen, dropped, or given to the program when it started)."""
        self.import_page.import_files(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        self.import_files([p for p in paths if p.suffix == ".dsb"])

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        all_peers = peers.peers(self.store)
        waiting = self.conflicts_page.refresh()
        self.overview.refresh(all_peers, waiting)
        self.pairing.refresh()
        self.export_page.refresh()
        self.keys.refresh(all_peers)
