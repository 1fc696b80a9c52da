"""The unlock screen shown at later starts: the password, or a new one via the recovery code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop import APP_NAME
from daryn_desktop.errors import UserError
from daryn_desktop.gui.password import ChangePasswordDialog
from daryn_desktop.gui.tasks import run_task
from daryn_desktop.gui.widgets import ERROR_COLOR, bold
from daryn_desktop.i18n import _
from daryn_desktop.storage.database import Store, open_store
from daryn_desktop.storage.keyring import DEFAULT_KDF, KdfParams


class UnlockDialog(QDialog):
    """Asks for the password until the database opens or the person gives up."""

    def __init__(self, db_path: Path, parent: QWidget | None = None, *,
                 kdf: KdfParams = DEFAULT_KDF):
        super().__init__(parent)
        self.setObjectName("unlockDialog")
        self.db_path = db_path
        self.kdf = kdf
        self.store: Store | None = None
        self.setWindowTitle(APP_NAME)
        title = bold(QLabel(_("Open the database"), self), 1.3)
        where = QLabel(_("Database: {path}").format(path=db_path), self)
        where.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setObjectName("unlockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(self)
        self.error.setObjectName("unlockError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.hide()
        self.forgot = QPushButton(_("&Forgot the password? Use the recovery code"), self)
        self.forgot.setObjectName("forgotPassword")
        self.forgot.setFlat(True)
        self.forgot.setAutoDefault(False)
        self.forgot.clicked.connect(lambda _checked=False: self.use_recovery_code())
        self.restore = QPushButton(_("&Restore from a backup…"), self)
        self.restore.setObjectName("restoreBackup")
        self.restore.setFlat(True)
        self.restore.setAutoDefault(False)
        self.restore.clicked.connect(lambda _checked=False: self.restore_from_backup())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.open_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.open_button.setText(_("&Open"))
        self.buttons.accepted.connect(lambda: self.try_open())
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        label = QLabel(_("&Password"), self)
        label.setBuddy(self.password)
        form.addRow(label, self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.forgot)
        layout.addWidget(self.restore)
        layout.addWidget(self.buttons)
        self.password.textChanged.connect(
            lambda text: self.open_button.setEnabled(bool(text)))
        self.open_button.setEnabled(False)
        self.setMinimumWidth(520)
        self.resize(520, self.sizeHint().height())

    def try_open(self) -> bool:
        """Open with the typed password; a wrong one only says so."""
        password = self.password.text()
        if not password:
            return False
        try:
            self.store = run_task(self, _("Opening the database…"),
                                  lambda _report, _cancel: open_store(self.db_path,
                                                                      password=password))
        except UserError as exc:
            self.error.setText(exc.translated())
            self.error.setStyleSheet(f"color: {ERROR_COLOR};")
            self.error.show()
            self.adjustSize()  # room for the message
            self.password.selectAll()
            self.password.setFocus()
            return False
        self.accept()
        return True

    def restore_from_backup(self) -> None:
        """Put a checked backup in the place of this database, then open it."""
        from daryn_desktop.gui.backup import RestoreDialog

        dialog = RestoreDialog(self.db_path, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.error.setText(_("The backup was put in place. Type its password to open it."))
        self.error.setStyleSheet("")
        self.error.show()
        self.adjustSize()
        self.password.setText(dialog.restored_password or "")
        self.password.setFocus()

    def use_recovery_code(self) -> None:
        dialog = ChangePasswordDialog(self.db_path, self, with_recovery_code=True, kdf=self.kdf)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.error.setText(_("The password was changed. Type the new password to open the"
                                 " database."))
            self.error.setStyleSheet("")
            self.error.show()
            self.adjustSize()
            self.password.clear()
            self.password.setFocus()
