"""The Sync section's Overview tab: what is pending, the paired installations, the bundles
sent and received, and the shared folders with *Sync now*."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.enums import Role
from daryn_desktop.gui.files import choose_folder
from daryn_desktop.gui.labels import ElidedLabel
from daryn_desktop.gui.sync.common import (
    acknowledgements,
    confirmed_lines,
    fill_table,
    make_table,
)
from daryn_desktop.gui.tasks import start_task, user_errors
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.health import SILENT_DAYS, silent_districts, unacknowledged_changes
from daryn_desktop.storage.syncstate.bundles import recent_bundles
from daryn_desktop.sync import peers, transport


class OverviewTab(QWidget):
    """Status and history; *Sync now* exchanges bundles through the shared folders."""

    #: Something was written (the section refreshes every tab).
    changed = Signal()
    #: Bundles were imported: (outcomes, lines of what they confirmed).
    imported = Signal(object, object)

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        self.pending_label = QLabel()
        self.pending_label.setObjectName("syncPending")
        self.conflicts_label = QLabel()
        layout.addWidget(self.pending_label)
        layout.addWidget(self.conflicts_label)
        if store.installation.role is Role.REGION:
            explained = _("A district's edits are kept here once its bundle is imported; the"
                          " next bundle sent to the district confirms what arrived.")
        else:
            explained = _("An edit is safe once the region has acknowledged it: the region's"
                          " next bundle confirms what it received.")
        explanation = QLabel(explained)
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        #: Shown while nothing is paired: where to start.
        self.no_peers = QLabel(_("No installation is paired yet: exchange key cards in the"
                                 " Pairing tab first."))
        self.no_peers.setObjectName("syncNoPeers")
        self.no_peers.setWordWrap(True)
        layout.addWidget(self.no_peers)
        self.peers_table = make_table([_("Installation"), _("Role"), _("State"),
                                       _("Last import"), _("Last export")], "syncPeers")
        layout.addWidget(self.peers_table)
        self.history_table = make_table([_("When"), _("Direction"), _("Installation"),
                                         _("Changes"), _("Size"), _("File")], "syncHistory")
        layout.addWidget(QLabel(_("Bundle history")))
        layout.addWidget(self.history_table, 1)
        box = QGroupBox(_("Shared folder (when a connection exists)"))
        form = QFormLayout(box)
        self.outbox_label, self.inbox_label = (
            ElidedLabel(mode=Qt.TextElideMode.ElideMiddle) for _side in range(2))
        form.addRow(_("Outbox:"), self._folder_row(self.outbox_label, outbox=True))
        form.addRow(_("Inbox:"), self._folder_row(self.inbox_label, outbox=False))
        self.sync_now_button = QPushButton(_("Sync now"))
        self.sync_now_button.setObjectName("syncNowButton")
        self.sync_now_button.clicked.connect(lambda _checked=False: self.sync_now())
        form.addRow(self.sync_now_button)
        layout.addWidget(box)

    def _folder_row(self, label: QLabel, *, outbox: bool) -> QWidget:
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(label, 1)
        button = QPushButton(_("Change…"))
        button.setObjectName("syncOutboxChange" if outbox else "syncInboxChange")
        button.clicked.connect(lambda _checked=False: self._choose_folder(outbox))
        h.addWidget(button)
        return row

    def _choose_folder(self, outbox: bool) -> None:
        current_out, current_in = transport.folders(self.store)
        chosen = choose_folder(self, _("Choose a folder"),
                               start=current_out if outbox else current_in)
        if chosen:
            transport.set_folders(self.store, chosen if outbox else current_out,
                                  current_in if outbox else chosen)
            self.changed.emit()

    def sync_now(self) -> None:
        acks = acknowledgements(self.store)
        store = self.store
        start_task(self, _("Synchronising…"),
                   lambda report, cancel: transport.sync_now(store, progress=report,
                                                             cancel=cancel),
                   lambda run: self._synced(run, acks),
                   user_errors(lambda exc: QMessageBox.warning(self, _("Sync"),
                                                               exc.translated())))

    def _synced(self, run: transport.SyncRun, acks: dict[str, int]) -> None:
        lines = [_("Exported {count} changes for “{name}”.").format(count=r.changes,
                                                                    name=r.peer.name)
                 for r in run.exported]
        confirmed = confirmed_lines(self.store, acks)
        lines += [o.describe() for o in run.imported] + run.errors
        lines += [_("Nothing new for “{name}”: no file written.").format(name=p.name)
                  for p in run.nothing_new]
        lines += confirmed
        self.imported.emit(run.imported, confirmed)
        self.changed.emit()
        QMessageBox.information(self, _("Sync"), "\n".join(lines) or _("Nothing to do."))

    def refresh(self, all_peers: list[peers.Peer], conflict_count: int) -> None:
        store = self.store
        if store.installation.role is Role.REGION:
            silent = silent_districts(store)
            self.pending_label.setText(ngettext(
                "{count} district silent for more than {days} days",
                "{count} districts silent for more than {days} days", len(silent)).format(
                    count=len(silent), days=SILENT_DAYS) + (": " + ", ".join(
                        name for name, _last in silent[:10]) if silent else ""))
        else:
            pending = unacknowledged_changes(store)
            self.pending_label.setText(ngettext(
                "{count} change not yet acknowledged by the region",
                "{count} changes not yet acknowledged by the region", pending).format(
                    count=pending))
        self.conflicts_label.setText(ngettext(
            "{count} conflict waits for a decision", "{count} conflicts wait for a decision",
            conflict_count).format(count=conflict_count))
        self.no_peers.setVisible(not all_peers)
        fill_table(self.peers_table, [
            [p.name, _role_label(p.role), _("revoked") if p.revoked else _("paired"),
             p.last_import_at or "—", p.last_export_at or "—"] for p in all_peers])
        names = {p.site_id: p.name for p in all_peers}
        fill_table(self.history_table, [
            [at, _("sent") if direction == "out" else _("received"),
             names.get(site, site[:8]), count, size, name]
            for at, direction, site, count, size, name in recent_bundles(store.db)])
        outbox, inbox = transport.folders(store)
        self.outbox_label.setText(str(outbox))
        self.inbox_label.setText(str(inbox))


def _role_label(role: str) -> str:
    """A peer's role as the person reads it (a role of a later version as it is stored)."""
    try:
        return Role(role).label
    except ValueError:
        return role
