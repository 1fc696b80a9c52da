"""Small dialogs of the Sync section: comparing fingerprints, typing a passphrase twice."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.i18n import _
from daryn_desktop.storage.keyring import MIN_PASSWORD_LENGTH
from daryn_desktop.sync.card import KeyCard


def fingerprint_label(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setBold(True)
    label.setFont(font)
    label.setObjectName("fingerprint")
    return label


class CompareFingerprints(QDialog):
    """Shown before pairing: the card's fingerprint, to compare with what is read aloud."""

    def __init__(self, card: KeyCard, own_fingerprint: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("compareFingerprints")
        self.setWindowTitle(_("Pair with “{name}”").format(name=card.name))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Call the other side and ask them to read their fingerprint"
                                  " aloud. Pair only if every digit is the same:")))
        layout.addWidget(fingerprint_label(card.fingerprint))
        layout.addWidget(QLabel(_("They should hear this one from you:")))
        layout.addWidget(QLabel(own_fingerprint))
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton(_("The digits are the same: pair"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class PassphraseDialog(QDialog):
    """A passphrase typed twice (or once, to open an existing backup)."""

    def __init__(self, title: str, *, confirm: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(title)
        self.confirm = confirm
        form = QFormLayout(self)
        self.first = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.second = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        form.addRow(_("Passphrase:"), self.first)
        if confirm:
            form.addRow(_("Repeat it:"), self.second)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check(self) -> None:
        if self.confirm and len(self.first.text()) < MIN_PASSWORD_LENGTH:
            self.error.setText(_("The passphrase must have at least {min} characters.").format(
                min=MIN_PASSWORD_LENGTH))
        elif self.confirm and self.first.text() != self.second.text():
            self.error.setText(_("The two passphrases differ."))
        else:
            self.accept()

    @property
    def passphrase(self) -> str:
        return self.first.text()
