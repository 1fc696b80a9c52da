"""The Sync section's Pairing tab: exchange key cards and compare fingerprints aloud."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from daryn_desktop.errors import UserError
from daryn_desktop.gui.buttons import button
from daryn_desktop.gui.files import choose_folder, offer_to_open, open_file
from daryn_desktop.gui.sync.dialogs import CompareFingerprints, fingerprint_label
from daryn_desktop.i18n import _
from daryn_desktop.storage.database import Store
from daryn_desktop.sync import card, peers


class PairingTab(QWidget):
    """This installation's fingerprint and key card; pairing with another's card."""

    #: Paired with the installation of this site id (the section refreshes and selects it).
    paired = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("This installation's fingerprint (read it aloud when"
                                  " pairing):")))
        self.own_fingerprint = fingerprint_label("")
        layout.addWidget(self.own_fingerprint)
        buttons = QHBoxLayout()
        save = button(_("Save my key card…"), "saveCardButton", self.save_card)
        load = button(_("Import a key card…"), "importCardButton", self.import_card)
        buttons.addWidget(save)
        buttons.addWidget(load)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(_("1. Save this card on the stick and take it to the other"
                                  " side.\n2. Import their card here.\n3. On the phone, each"
                                  " reads their fingerprint aloud; pair only if the digits"
                                  " match.")))
        layout.addStretch(1)

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
        # The new installation is listed for export at once; the person sees it there.
        self.paired.emit(other.site_id)
        QMessageBox.information(self, _("Key card"), _(
            "Paired with “{name}”. It is now listed under “Export to a stick”.").format(
                name=other.name))
        return True

    def refresh(self) -> None:
        self.own_fingerprint.setText(card.my_card(self.store).fingerprint)
