"""The Sync section's Keys tab: key backups, new keys, revoking a lost installation."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.enums import Role
from daryn_desktop.errors import UserError
from daryn_desktop.gui.buttons import button
from daryn_desktop.gui.files import offer_to_open, open_file, save_file
from daryn_desktop.gui.sync.dialogs import PassphraseDialog
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.storage.database import Store
from daryn_desktop.sync import backup, peers
from daryn_desktop.sync.identity import rotate_keys


class KeysTab(QWidget):
    """Back up and test keys, make new ones; a region also revokes installations."""

    #: Keys were made or an installation revoked (the section refreshes every tab).
    changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("A key backup lets a new PC read bundles made for this one."
                                  " Keep the file and its passphrase apart.")))
        row = QHBoxLayout()
        save = button(_("Back up the keys…"), "syncBackupKeys", self.backup_keys)
        check = button(_("Test a key backup…"), "syncCheckBackup", self.check_backup)
        rotate = button(_("Make new keys"), "syncRotateKeys", self.rotate)
        for pushed in (save, check, rotate):
            row.addWidget(pushed)
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

    def refresh(self, all_peers: list[peers.Peer]) -> None:
        self.revoke_combo.clear()
        for peer in all_peers:
            if not peer.revoked:
                self.revoke_combo.addItem(peer.name, peer.site_id)

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
            self.changed.emit()

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
            self.changed.emit()
