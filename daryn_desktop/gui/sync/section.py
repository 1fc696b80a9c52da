"""The Sync section: status and history, pairing, export, import, conflicts and keys."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.enums import Role
from daryn_desktop.core.progress import CancelToken
from daryn_desktop.errors import UserError
from daryn_desktop.gui.background import BackgroundRunner
from daryn_desktop.gui.crash import record_details
from daryn_desktop.gui.editor.history_tab import FIELD_NAMES, RecordNames, field_value
from daryn_desktop.gui.exports import excel_button, save_conflicts
from daryn_desktop.gui.files import choose_folder, offer_to_open, open_file, open_files, save_file
from daryn_desktop.gui.labels import ElidedLabel, wrap_labels
from daryn_desktop.gui.sync.dialogs import CompareFingerprints, PassphraseDialog, fingerprint_label
from daryn_desktop.gui.tasks import run_task
from daryn_desktop.i18n import N_, _, ngettext
from daryn_desktop.paths import app_paths
from daryn_desktop.storage.database import Store, explain_failure, is_sqlite_error
from daryn_desktop.storage.health import (
    SILENT_DAYS,
    own_changes_between,
    silent_districts,
    unacknowledged_changes,
)
from daryn_desktop.sync import backup, card, conflicts, export, importer, peers, transport
from daryn_desktop.sync.identity import ensure_identity, rotate_keys

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


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))


def _work_out_plan(store: Store, peer: peers.Peer, cancel: CancelToken) -> export.ExportPlan:
    """What the next bundle to ``peer`` holds, worked out on a worker thread (hence on a
    connection of its own); a newer request cancels it."""
    with store.reopen() as own, own.stopped_by(cancel):
        return export.plan_export(own, peer)


class SyncSection(QWidget):
    """Everything about exchanging bundles with the region (or the districts)."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("syncSection")
        self.store = store
        ensure_identity(store)
        self.setAcceptDrops(True)
        # For a regional centre the plan works out the district's territory: seconds for a
        # large district, so it is not done on the UI thread.
        self._planner = BackgroundRunner(self)
        self._planner.finished.connect(self._show_plan)
        self._planner.failed.connect(self._show_plan_failure)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._overview_tab(), _("Overview"))
        self.tabs.addTab(self._pairing_tab(), _("Pairing"))
        self.tabs.addTab(self._export_tab(), _("Export to a stick"))
        self.tabs.addTab(self._import_tab(), _("Import"))
        self.tabs.addTab(self._conflicts_tab(), _("Conflicts"))
        self.tabs.addTab(self._keys_tab(), _("Keys"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.refresh()
        wrap_labels(self.tabs, skip=("fingerprint",))  # long Kazakh and Russian explanations

    # -- overview --------------------------------------------------------------------------
    def _overview_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.pending_label = QLabel()
        self.pending_label.setObjectName("syncPending")
        self.conflicts_label = QLabel()
        layout.addWidget(self.pending_label)
        layout.addWidget(self.conflicts_label)
        layout.addWidget(QLabel(_("An edit is safe once the region has acknowledged it: the"
                                  " region's next bundle confirms what it received.")))
        self.peers_table = _table([_("Installation"), _("Role"), _("State"),
                                   _("Last import"), _("Last export")], "syncPeers")
        layout.addWidget(self.peers_table)
        self.history_table = _table([_("When"), _("Direction"), _("Installation"),
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
        return page

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
            self.refresh()

    def sync_now(self) -> None:
        acks = self._acks()
        try:
            run = run_task(self, _("Synchronising…"),
                           lambda report, cancel: transport.sync_now(self.store, progress=report,
                                                                     cancel=cancel))
        except UserError as exc:
            QMessageBox.warning(self, _("Sync"), exc.translated())
            return
        lines = [_("Exported {count} changes for “{name}”.").format(count=r.changes,
                                                                    name=r.peer.name)
                 for r in run.exported]
        confirmed = self._confirmed(acks)
        lines += [o.describe() for o in run.imported] + run.errors
        lines += [_("Nothing new for “{name}”: no file written.").format(name=p.name)
                  for p in run.nothing_new]
        lines += confirmed
        self.show_results(run.imported, confirmed)
        self.refresh()
        QMessageBox.information(self, _("Sync"), "\n".join(lines) or _("Nothing to do."))

    # -- pairing ---------------------------------------------------------------------------
    def _pairing_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(_("This installation's fingerprint (read it aloud when"
                                  " pairing):")))
        self.own_fingerprint = fingerprint_label("")
        layout.addWidget(self.own_fingerprint)
        buttons = QHBoxLayout()
        save = QPushButton(_("Save my key card…"))
        save.setObjectName("saveCardButton")
        save.clicked.connect(lambda _checked=False: self.save_card())
        load = QPushButton(_("Import a key card…"))
        load.setObjectName("importCardButton")
        load.clicked.connect(lambda _checked=False: self.import_card())
        buttons.addWidget(save)
        buttons.addWidget(load)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(_("1. Save this card on the stick and take it to the other"
                                  " side.\n2. Import their card here.\n3. On the phone, each"
                                  " reads their fingerprint aloud; pair only if the digits"
                                  " match.")))
        layout.addStretch(1)
        return page

    def save_card(self) -> None:
        """Write this installation's key card where the person chooses (a stick first)."""
        target = choose_folder(self, _("Where to save the key card"))
        if target is not None:
            path = card.write_card(self.store, target)
            offer_to_open(self, _("Key card"),
                          _("Key card written to {path}.").format(path=path), path)

    def import_card(self) -> None:
        """Choose another installation's key card and pair after comparing fingerprints."""
        chosen = open_file(self, _("Key card"), _("Key cards (*.dkc)"), prefer_stick=True)
        if chosen is not None:
            self.pair_with_card(chosen)

    def pair_with_card(self, path: Path) -> bool:
        """Read the card, show both fingerprints to compare, pair if the person confirms."""
        try:
            other = card.read_card(path)
            peers.check_card(self.store, other)
        except UserError as exc:
            QMessageBox.warning(self, _("Key card"), exc.translated())
            return False
        dialog = CompareFingerprints(other, card.my_card(self.store).fingerprint, self)
        if not dialog.exec():
            return False
        peers.trust_card(self.store, other)
        self.refresh()
        # The new installation is listed for export at once; the person sees it there.
        self.recipient_combo.setCurrentIndex(max(self.recipient_combo.findData(other.site_id), 0))
        QMessageBox.information(self, _("Key card"), _(
            "Paired with “{name}”. It is now listed under “Export to a stick”.").format(
                name=other.name))
        return True

    # -- export ----------------------------------------------------------------------------
    def _export_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
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
        return page

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

    def _show_plan(self, plan: export.ExportPlan) -> None:
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

    def export_to(self, folder: Path) -> export.ExportResult | None:
        """Write the bundle for the chosen installation into ``folder`` and check it."""
        peer = self._current_peer()
        if peer is None:
            return None
        try:
            result = run_task(self, _("Writing the bundle…"),
                              lambda report, cancel: export.export_bundle(
                                  self.store, folder, peer, progress=report, cancel=cancel))
        except UserError as exc:
            self.export_result.setText(exc.translated())
            return None
        self.export_result.setText(ngettext(
            "{count} change written to {file} and checked. Safe to remove the stick.",
            "{count} changes written to {file} and checked. Safe to remove the stick.",
            result.changes).format(count=result.changes, file=result.path))
        self.refresh()
        return result

    # -- import ----------------------------------------------------------------------------
    def _import_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(_("Choose bundle files (.dsb), or drop them here.")))
        self.import_button = QPushButton(_("Import bundles…"))
        self.import_button.setObjectName("syncImportButton")
        self.import_button.clicked.connect(lambda _checked=False: self.choose_and_import())
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.results_table = _table([_("File"), _("Result"), _("Details")], "syncImportResults")
        layout.addWidget(self.results_table, 1)
        self.confirmed_label = QLabel()
        self.confirmed_label.setObjectName("syncConfirmed")
        self.confirmed_label.setWordWrap(True)
        layout.addWidget(self.confirmed_label)
        return page

    def choose_and_import(self) -> None:
        """Choose bundle files (on a stick first) and import them."""
        paths = open_files(self, _("Import bundles"), _("Sync bundles (*.dsb)"),
                           prefer_stick=True)
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[Path]) -> list[importer.ImportOutcome]:
        """Import bundles (chosen, dropped, or given to the program when it started)."""
        if not paths:
            return []
        acks = self._acks()
        try:
            outcomes = run_task(self, _("Importing bundles…"),
                                lambda report, cancel: importer.import_files(
                                    self.store, paths, progress=report, cancel=cancel))
        except UserError as exc:  # a full disk, a database busy in another program
            QMessageBox.warning(self, _("Sync"), exc.translated())
            return []
        self.show_results(outcomes, self._confirmed(acks))
        self.refresh()
        return outcomes

    def _acks(self) -> dict[str, int]:
        """How far each paired installation has confirmed this one's change log."""
        return {p.site_id: p.their_ack for p in peers.peers(self.store)}

    def _confirmed(self, before: dict[str, int]) -> list[str]:
        """What the bundles just imported acknowledged: one line per installation."""
        lines = []
        for peer in peers.peers(self.store):
            count = own_changes_between(self.store, before.get(peer.site_id, 0), peer.their_ack)
            if count:
                lines.append(ngettext(
                    "“{name}” confirmed it holds {count} more of your changes.",
                    "“{name}” confirmed it holds {count} more of your changes.",
                    count).format(name=peer.name, count=count))
        return lines

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
        _fill(self.results_table, rows)
        self.confirmed_label.setText("\n".join(confirmed or []) or (_(
            "The bundles confirmed nothing new of your changes.") if outcomes else ""))
        self.tabs.setCurrentIndex(3)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        self.import_files([p for p in paths if p.suffix == ".dsb"])

    # -- conflicts -------------------------------------------------------------------------
    def _conflicts_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(_("The same field was changed in two places without either"
                                  " seeing the other. The value shown first is displayed for"
                                  " now; choose the right one.")))
        self.conflicts_table = _table([_("Record"), _("Field"), _("Shown value")],
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
        layout.addWidget(excel_button(page, "syncConflictsSaveExcel",
                                      lambda: save_conflicts(self, self.store)),
                         0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _show_candidates(self) -> None:
        self.candidates.clear()
        row = self.conflicts_table.currentRow()
        if not 0 <= row < len(self._conflicts):
            return
        from datetime import datetime, timezone

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
        self.refresh()

    # -- keys ------------------------------------------------------------------------------
    def _keys_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(_("A key backup lets a new PC read bundles made for this one."
                                  " Keep the file and its passphrase apart.")))
        row = QHBoxLayout()
        save = QPushButton(_("Back up the keys…"))
        save.setObjectName("syncBackupKeys")
        save.clicked.connect(lambda _checked=False: self.backup_keys())
        check = QPushButton(_("Test a key backup…"))
        check.setObjectName("syncCheckBackup")
        check.clicked.connect(lambda _checked=False: self.check_backup())
        rotate = QPushButton(_("Make new keys"))
        rotate.setObjectName("syncRotateKeys")
        rotate.clicked.connect(lambda _checked=False: self.rotate())
        for button in (save, check, rotate):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.revoke_box = QGroupBox(_("Revoke a lost or stolen installation"))
        box = QHBoxLayout(self.revoke_box)
        self.revoke_combo = QComboBox()
        self.revoke_button = QPushButton(_("Revoke"))
        self.revoke_button.setObjectName("syncRevoke")
        self.revoke_button.clicked.connect(lambda _checked=False: self.revoke())
        box.addWidget(self.revoke_combo, 1)
        box.addWidget(self.revoke_button)
        layout.addWidget(self.revoke_box)
        self.revoke_box.setVisible(self.store.installation.role is Role.REGION)
        self.keys_message = QLabel()
        self.keys_message.setWordWrap(True)
        layout.addWidget(self.keys_message)
        layout.addStretch(1)
        return page

    def backup_keys(self) -> None:
        target = save_file(self, _("Key backup"), _("daryn-keys") + ".dkb",
                           _("Key backups (*.dkb)"), prefer_stick=True)
        if target is None:
            return
        dialog = PassphraseDialog(_("Passphrase for the key backup"), confirm=True, parent=self)
        if dialog.exec():
            path = backup.write_key_backup(self.store, target, dialog.passphrase)
            message = _("Key backup written to {path}.").format(path=path)
            self.keys_message.setText(message)
            offer_to_open(self, _("Key backup"), message, path)

    def check_backup(self) -> None:
        source = open_file(self, _("Key backup"), _("Key backups (*.dkb)"), prefer_stick=True)
        if source is None:
            return
        dialog = PassphraseDialog(_("Passphrase of the key backup"), confirm=False, parent=self)
        if dialog.exec():
            try:
                keys = backup.read_key_backup(source, dialog.passphrase)
            except UserError as exc:
                self.keys_message.setText(exc.translated())
                return
            self.keys_message.setText(ngettext("The backup opens: {count} key.",
                                               "The backup opens: {count} keys.",
                                               len(keys)).format(count=len(keys)))

    def rotate(self) -> None:
        answer = QMessageBox.question(self, _("Make new keys"), _(
            "New keys will be made; the old ones are kept to read old bundles. Continue?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            rotate_keys(self.store)
            self.refresh()

    def revoke(self) -> None:
        site = self.revoke_combo.currentData()
        if not site:
            return
        peer = peers.get_peer(self.store, site)
        answer = QMessageBox.question(self, _("Revoke"), _(
            "Revoke “{name}”? From now on its bundles are refused and nothing more is"
            " written for it. Do this only for a lost or stolen computer: it cannot be undone,"
            " and the district then needs a new installation, paired again.").format(
                name=peer.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            peers.revoke(self.store, site)
            self.refresh()

    # -- refreshing ------------------------------------------------------------------------
    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
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
        self._conflicts = conflicts.list_conflicts(store, limit=500)
        self.conflicts_label.setText(ngettext(
            "{count} conflict waits for a decision", "{count} conflicts wait for a decision",
            len(self._conflicts)).format(count=len(self._conflicts)))
        all_peers = peers.peers(store)
        _fill(self.peers_table, [[p.name, p.role, _("revoked") if p.revoked else _("paired"),
                                  p.last_import_at or "—", p.last_export_at or "—"]
                                 for p in all_peers])
        names = {p.site_id: p.name for p in all_peers}
        history = store.db.execute(
            "SELECT at, direction, peer_site, changes, size, file_name FROM bundle_log"
            " ORDER BY at DESC LIMIT 200").fetchall()
        _fill(self.history_table, [[at, _("sent") if d == "out" else _("received"),
                                    names.get(site, site[:8]), n, size, name]
                                   for at, d, site, n, size, name in history])
        outbox, inbox = transport.folders(store)
        self.outbox_label.setText(str(outbox))
        self.inbox_label.setText(str(inbox))
        self.own_fingerprint.setText(card.my_card(store).fingerprint)
        current = self.recipient_combo.currentData()
        self.recipient_combo.blockSignals(True)
        self.recipient_combo.clear()
        try:
            for peer in export.recipients_for_export(store):
                self.recipient_combo.addItem(peer.name, peer.site_id)
        except UserError:
            pass
        index = self.recipient_combo.findData(current)
        self.recipient_combo.setCurrentIndex(max(index, 0))
        self.recipient_combo.blockSignals(False)
        self._fill_destinations()
        self._update_plan()
        names = RecordNames(self.store)
        _fill(self.conflicts_table, [
            [c.record, _(FIELD_NAMES[c.col]) if c.col in FIELD_NAMES else c.col,
             field_value(c.tbl, c.col, c.candidates[0].value, names)] for c in self._conflicts])
        self.revoke_combo.clear()
        for peer in all_peers:
            if not peer.revoked:
                self.revoke_combo.addItem(peer.name, peer.site_id)
