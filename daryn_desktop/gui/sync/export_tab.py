"""The Sync section's Export tab: the bundle for one installation, written to a stick or folder.

What will go is worked out on a worker thread: for a regional centre it covers a district's
territory, seconds for a large district.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPushButton, QWidget

from daryn_desktop.core.progress import CancelToken
from daryn_desktop.errors import UserError
from daryn_desktop.gui.crash import record_details
from daryn_desktop.gui.files import choose_folder
from daryn_desktop.gui.tasks import BackgroundRunner, start_task, user_errors
from daryn_desktop.i18n import N_, _, ngettext
from daryn_desktop.paths import app_paths
from daryn_desktop.storage.database import Store, explain_failure, is_sqlite_error
from daryn_desktop.sync import export, peers, transport
from daryn_desktop.sync.export import ExportPlan, ExportResult

CHOOSE_FOLDER = "__choose__"
#: Names of the kinds of records, as a person calls them (the tables behind them).
TABLE_LABELS = {
    "schools": N_("schools"), "staff": N_("staff"), "pupils": N_("pupils"),
    "guardians": N_("guardians"), "pupil_categories": N_("family categories"),
    "giftedness_areas": N_("giftedness areas"), "diagnostics": N_("diagnostics"),
    "events": N_("events"), "achievements": N_("achievements"), "road_maps": N_("road maps"),
    "goals": N_("goals"), "activities": N_("activities"), "reviews": N_("reviews"),
    "amendments": N_("amendments"), "attachments": N_("attachments"),
    "event_stages": N_("event stages"), "participants": N_("participants of events"),
    "research_projects": N_("research projects"), "support_records": N_("support records"),
    "support_rules": N_("eligibility rules"), "staff_trainings": N_("staff courses"),
}


def _work_out_plan(store: Store, peer: peers.Peer, cancel: CancelToken) -> ExportPlan:
    """What the next bundle to ``peer`` holds, worked out on a worker thread (hence on a
    connection of its own); a newer request cancels it."""
    with store.reopen() as own, own.stopped_by(cancel):
        return export.plan_export(own, peer)


class ExportTab(QWidget):
    """Choose the installation and where to write; see what will go; export."""

    #: A bundle was written (the section refreshes every tab).
    changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self._planner = BackgroundRunner(self)
        self._planner.finished.connect(self._show_plan)
        self._planner.failed.connect(self._show_plan_failure)
        form = QFormLayout(self)
        self.recipient_combo = QComboBox()
        self.recipient_combo.setObjectName("syncRecipient")
        self.recipient_combo.currentIndexChanged.connect(self._update_plan)
        form.addRow(_("For:"), self.recipient_combo)
        self.destination_combo = QComboBox()
        self.destination_combo.setObjectName("syncDestination")
        form.addRow(_("Write to:"), self.destination_combo)
        self.plan_label = QLabel()
        self.plan_label.setObjectName("syncPlan")
        self.plan_label.setWordWrap(True)
        form.addRow(_("What will go:"), self.plan_label)
        self.export_button = QPushButton(_("Export"))
        self.export_button.setObjectName("syncExportButton")
        self.export_button.clicked.connect(lambda _checked=False: self.export())
        form.addRow(self.export_button)
        self.export_result = QLabel()
        self.export_result.setObjectName("syncExportResult")
        self.export_result.setWordWrap(True)
        form.addRow(self.export_result)

    def refresh(self) -> None:
        """List the installations a bundle can be written for, keeping the one chosen."""
        current = self.recipient_combo.currentData()
        self.recipient_combo.blockSignals(True)
        self.recipient_combo.clear()
        try:
            for peer in export.recipients_for_export(self.store):
                self.recipient_combo.addItem(peer.name, peer.site_id)
        except UserError:
            pass
        index = self.recipient_combo.findData(current)
        self.recipient_combo.setCurrentIndex(max(index, 0))
        self.recipient_combo.blockSignals(False)
        self._fill_destinations()
        self._update_plan()

    def select_recipient(self, site_id: str) -> None:
        self.recipient_combo.setCurrentIndex(max(self.recipient_combo.findData(site_id), 0))

    def _fill_destinations(self) -> None:
        chosen = self.destination_combo.currentData()
        self.destination_combo.clear()
        for drive in transport.removable_drives():
            self.destination_combo.addItem(_("USB stick {path}").format(path=drive), str(drive))
        outbox, _inbox = transport.folders(self.store)
        self.destination_combo.addItem(_("Outbox {path}").format(path=outbox), str(outbox))
        self.destination_combo.addItem(_("Choose a folder…"), CHOOSE_FOLDER)
        # The person's choice stays while it is still offered (a stick still plugged in).
        self.destination_combo.setCurrentIndex(max(self.destination_combo.findData(chosen), 0))

    def _current_peer(self) -> peers.Peer | None:
        site = self.recipient_combo.currentData()
        return peers.get_peer(self.store, site) if site else None

    def _update_plan(self) -> None:
        peer = self._current_peer()
        if peer is None:
            self._planner.cancel()
            self.plan_label.setText(_("Pair with the other installation first (Pairing tab)."))
            self.export_button.setEnabled(False)
            return
        # Export stays possible meanwhile: it works out its own selection.
        self.export_button.setEnabled(True)
        self.plan_label.setText(_("Working out what will go…"))
        self._planner.start(partial(_work_out_plan, self.store, peer))

    def _show_plan(self, plan: ExportPlan) -> None:
        parts = [f"{_(TABLE_LABELS[t]) if t in TABLE_LABELS else t}: {count}"
                 for t, count in sorted(plan.tables.items())]
        text = ngettext("{count} change not yet acknowledged", "{count} changes not yet"
                        " acknowledged", plan.changes).format(count=plan.changes)
        self.plan_label.setText(text + (" — " + ", ".join(parts) if parts else ""))

    def _show_plan_failure(self, error: Exception) -> None:
        if is_sqlite_error(error):
            error = explain_failure(error, self.store.path)
        if isinstance(error, UserError):
            self.plan_label.setText(error.translated())
            return
        # A bug: logged as the crash dialog would, but told in the line, not in a dialog.
        _log, where = record_details(app_paths(), type(error), error, error.__traceback__)
        self.plan_label.setText(_("What will go could not be worked out.") + " " + where)

    def export(self) -> None:
        """Write the bundle for the chosen installation to the chosen stick or folder."""
        if self._current_peer() is None:
            return
        choice = self.destination_combo.currentData()
        if choice == CHOOSE_FOLDER:
            folder = choose_folder(self, _("Where to write the bundle"))
            if folder is None:
                return
        else:
            folder = Path(choice)
        self.export_to(folder)

    def export_to(self, folder: Path) -> None:
        """Write the bundle for the chosen installation into ``folder`` and check it."""
        peer = self._current_peer()
        if peer is None:
            return
        store = self.store
        start_task(self, _("Writing the bundle…"),
                   lambda report, cancel: export.export_bundle(store, folder, peer,
                                                               progress=report, cancel=cancel),
                   self._exported,
                   user_errors(lambda exc: self.export_result.setText(exc.translated())))

    def _exported(self, result: ExportResult) -> None:
        self.export_result.setText(ngettext(
            "{count} change written to {file} and checked. Safe to remove the stick.",
            "{count} changes written to {file} and checked. Safe to remove the stick.",
            result.changes).format(count=result.changes, file=result.path))
        self.changed.emit()
