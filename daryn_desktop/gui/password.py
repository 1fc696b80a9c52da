"""Password inputs: a new password typed twice with a strength hint, and the change dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.errors import UserError
from daryn_desktop.gui.tasks import start_task, user_errors
from daryn_desktop.gui.widgets import ERROR_COLOR, FieldMessage
from daryn_desktop.i18n import N_, _
from daryn_desktop.storage.keyring import (
    DEFAULT_KDF,
    MIN_PASSWORD_LENGTH,
    KdfParams,
    password_strength,
)

STRENGTH_TEXTS = (N_("Too short: at least {min} characters."), N_("Weak"), N_("Fair"),
                  N_("Good"), N_("Strong"))
STRENGTH_COLORS = ("#b00020", "#c75000", "#a08000", "#4a8a00", "#1f7a1f")


class NewPasswordFields(QWidget):
    """A new password, typed twice, with a live strength hint; ``password()`` when valid."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.first = QLineEdit(self)
        self.first.setObjectName("newPassword")
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit(self)
        self.second.setObjectName("repeatPassword")
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = QProgressBar(self)
        self.meter.setObjectName("passwordStrength")
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.hint = QLabel(self)
        self.hint.setObjectName("passwordHint")
        self.mismatch = FieldMessage(self)
        self.mismatch.setObjectName("passwordMismatch")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        first_label = QLabel(_("New &password"), self)
        first_label.setBuddy(self.first)
        second_label = QLabel(_("&Repeat it"), self)
        second_label.setBuddy(self.second)
        form.addRow(first_label, self.first)
        form.addRow("", self.meter)
        form.addRow("", self.hint)
        form.addRow(second_label, self.second)
        form.addRow("", self.mismatch)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        score = password_strength(self.first.text())
        self.meter.setValue(score if self.first.text() else 0)
        self.meter.setStyleSheet(
            f"QProgressBar::chunk {{ background: {STRENGTH_COLORS[score]}; }}")
        if self.first.text():
            self.hint.setText(_(STRENGTH_TEXTS[score]).format(min=MIN_PASSWORD_LENGTH))
        else:
            self.hint.setText(_("At least {min} characters; a few words with a digit are easy"
                                " to remember and hard to guess.").format(min=MIN_PASSWORD_LENGTH))
        differs = bool(self.second.text()) and self.second.text() != self.first.text()
        self.mismatch.show_message(_("The two passwords differ.") if differs else None)
        self.changed.emit()

    def password(self) -> str | None:
        """The new password when it is long enough and typed the same twice; else None."""
        text = self.first.text()
        if len(text) < MIN_PASSWORD_LENGTH or self.second.text() != text:
            return None
        return text


class ChangePasswordDialog(QDialog):
    """Change the password with the old one, or set a new one with the recovery code."""

    def __init__(self, db_path: Path, parent: QWidget | None = None, *,
                 with_recovery_code: bool = False, kdf: KdfParams = DEFAULT_KDF):
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self.kdf = kdf
        self.db_path = db_path
        self.with_code = with_recovery_code
        self.setWindowTitle(_("Set a new password with the recovery code") if with_recovery_code
                            else _("Change the password"))
        self.proof = QLineEdit(self)
        self.proof.setObjectName("recoveryCode" if with_recovery_code else "oldPassword")
        if not with_recovery_code:
            self.proof.setEchoMode(QLineEdit.EchoMode.Password)
        else:
            self.proof.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.fields = NewPasswordFields(self)
        self.error = QLabel(self)
        self.error.setObjectName("passwordError")
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.setWordWrap(True)
        explanation = QLabel(
            _("Type the recovery code printed when the database was created. The data is not"
              " re-encrypted: only the key is locked under the new password.")
            if with_recovery_code else
            _("The data is not re-encrypted: only the key is locked under the new password."),
            self)
        explanation.setWordWrap(True)
        form = QFormLayout()
        label = QLabel(_("Recovery &code") if with_recovery_code else _("Current pass&word"), self)
        label.setBuddy(self.proof)
        form.addRow(label, self.proof)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.fields)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.fields.changed.connect(self._update)
        self.proof.textChanged.connect(self._update)
        self._update()
        self.resize(520, self.sizeHint().height())

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.proof.text()) and self.fields.password() is not None)

    def apply(self) -> None:
        """Change the password off the UI thread; the dialog closes once it is changed."""
        new = self.fields.password()
        if new is None or not self.proof.text():
            return
        proof = self.proof.text()
        kwargs = {"recovery_code": proof} if self.with_code else {"old_password": proof}
        # sqlite-utils comes with the database module: not needed until the password changes.
        from daryn_desktop.storage.database import change_password

        db_path, kdf = self.db_path, self.kdf
        start_task(self, _("Changing the password…"),
                   lambda _report, _cancel: change_password(db_path, new, kdf=kdf, **kwargs),
                   lambda _done: self.accept(), user_errors(self._failed))

    def _failed(self, exc: UserError) -> None:
        self.error.setText(exc.translated())
        self.proof.selectAll()
        self.proof.setFocus()
