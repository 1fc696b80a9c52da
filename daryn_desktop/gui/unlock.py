"""The unlock screen shown at later starts: the password, or a new one via the recovery code.

It is on screen before the heavy parts of the program are loaded. Once it is painted, the UI
thread loads the database module (sqlite-utils) and runs ``prepare`` (the main window's
modules) while the person types the password, so that after "Open" the key derivation
(Argon2id, the slow step, on the worker thread) runs alone: beside the loading it took a
third longer on two cores. If "Open" comes first, the loading runs beside the derivation.
As soon as the worker has both the key and the database module, it opens the database and
runs ``warm_up``, so that the window is built at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent
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
from daryn_desktop.gui.tasks import is_synchronous, run_task
from daryn_desktop.gui.widgets import ERROR_COLOR, bold
from daryn_desktop.i18n import _

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store
    from daryn_desktop.storage.keyring import KdfParams, Keyring


def derive_key(db_path: Path, password: str) -> tuple[Keyring, bytes] | None:
    """The database key unwrapped with the password (the slow Argon2id step, for the worker
    thread), with its key ring; None when there is no database (opening then says so)."""
    from daryn_desktop.storage.keyring import load_keyring

    if not db_path.exists():
        return None
    ring = load_keyring(db_path)
    return ring, ring.unlock(password)


def _load_database_module() -> None:
    """The database module with sqlite-utils (the largest part of what opening needs) and the
    registry's queries (a warm-up on the worker may use them)."""
    import daryn_desktop.storage.database
    import daryn_desktop.storage.registry
    import daryn_desktop.storage.repositories  # noqa: F401 - every open store has them


class UnlockDialog(QDialog):
    """Asks for the password until the database opens or the person gives up."""

    def __init__(self, db_path: Path, parent: QWidget | None = None, *,
                 kdf: KdfParams | None = None, prepare: Callable[[], object] | None = None,
                 warm_up: Callable[[Store], object] | None = None):
        super().__init__(parent)
        self.setObjectName("unlockDialog")
        self.db_path = db_path
        #: The cost of a new password set with the recovery code (None: the default).
        self.kdf = kdf
        #: Loads what comes after the unlock: run once, on the UI thread, while the
        #: password is typed (or, if "Open" comes first, while the key is derived).
        self._prepare = prepare
        #: Given the database just opened, on the worker: fills caches the window will use.
        self.warm_up = warm_up
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
        self._painted = False
        #: Set once the database module is loaded (or failed to load: the worker then loads
        #: it itself), whichever call of ``_load`` got there first.
        self._module_loaded = threading.Event()
        self.setMinimumWidth(520)
        self.resize(520, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # On screen: what opening needs is loaded while the password is typed.
            QTimer.singleShot(0, self, self._load)

    def try_open(self) -> bool:
        """Open with the typed password; a wrong one only says so."""
        password = self.password.text()
        if not password:
            return False
        # Modules are imported on the UI thread (never by two threads at once): the key
        # derivation's now, the database's and the main window's while the key is derived
        # (unless they were loaded while the password was typed).
        import daryn_desktop.storage.keyring  # noqa: F401

        title = _("Opening the database…")
        # The worker opens the database as soon as it has the key and the database module
        # is loaded, while the UI thread may still load the main window's modules.

        def unlock(_report: object, _cancel: object) -> Store:
            unlocked = derive_key(self.db_path, password)
            if is_synchronous():  # on this very thread: nothing else loads the modules
                self._load()
            else:
                self._module_loaded.wait()
            return self._open(password, unlocked)

        # Runs in the task's event loop, beside the worker (if not done on screen already).
        QTimer.singleShot(0, self, self._load)
        try:
            self.store = run_task(self, title, unlock)
            self._load()  # when the database opened before the timer
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

    def _open(self, password: str, unlocked: tuple[Keyring, bytes] | None) -> Store:
        """Open the database with its key (on the worker) and warm it up for the window."""
        from daryn_desktop.storage.database import open_store

        ring, key = unlocked if unlocked is not None else (None, None)
        store = open_store(self.db_path, password=password, key=key, ring=ring)
        if self.warm_up is not None:
            try:
                self.warm_up(store)
            except BaseException:
                store.close()
                raise
        return store

    def _load(self) -> None:
        """What opening needs (the worker may go on from there), then what comes after it
        (``prepare``, once)."""
        try:
            _load_database_module()
        finally:
            self._module_loaded.set()
        prepare, self._prepare = self._prepare, None
        if prepare is not None:
            prepare()

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
        from daryn_desktop.gui.password import ChangePasswordDialog
        from daryn_desktop.storage.keyring import DEFAULT_KDF

        dialog = ChangePasswordDialog(self.db_path, self, with_recovery_code=True,
                                      kdf=self.kdf or DEFAULT_KDF)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.error.setText(_("The password was changed. Type the new password to open the"
                                 " database."))
            self.error.setStyleSheet("")
            self.error.show()
            self.adjustSize()
            self.password.clear()
            self.password.setFocus()
