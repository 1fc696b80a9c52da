"""Backing up the database to a stick or another disk, and putting a backup back.

The work is ``storage/backups.py``'s: a consistent copy made while the program runs, checked
before it gets its name; a restore that proves the backup opens before the current database
is set aside (never deleted).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TypedDict

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.dates import format_date
from daryn_desktop.errors import UserError
from daryn_desktop.gui.files import choose_folder, open_file, open_in_system, start_folder
from daryn_desktop.gui.tasks import start_task, user_errors
from daryn_desktop.gui.widgets import ERROR_COLOR, bold
from daryn_desktop.i18n import _
from daryn_desktop.storage.backups import (
    BackupInfo,
    inspect_backup,
    make_backup,
    restore_backup,
)
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.keyring import (
    RECOVERY_CODE_GROUPS,
    WrongPassword,
    normalize_recovery_code,
)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def describe_backup(info: BackupInfo) -> str:
    """What a backup holds, for a person choosing or checking one."""
    when = format_date(date.fromisoformat(info.last_change[:10])) if info.last_change else "—"
    return _("{installation}: {pupils} pupils, {road_maps} road maps; the newest change"
             " from {date}; {size} MB.").format(
        installation=info.installation, pupils=info.pupils, road_maps=info.road_maps,
        date=when, size=_megabytes(info.size))


def looks_like_recovery_code(text: str) -> bool:
    """Whether the text has the shape of a recovery code (six groups of four)."""
    return len(normalize_recovery_code(text).replace("-", "")) == 4 * RECOVERY_CODE_GROUPS


class Secret(TypedDict, total=False):
    """What opens a database: its password or its recovery code (keyword arguments)."""

    password: str
    recovery_code: str


def _open_with(path: Path, secret: str) -> tuple[BackupInfo, Secret]:
    """Open the backup with ``secret`` as its password, else as its recovery code."""
    try:
        return inspect_backup(path, password=secret), {"password": secret}
    except WrongPassword:
        if not looks_like_recovery_code(secret):
            raise
    return inspect_backup(path, recovery_code=secret), {"recovery_code": secret}


def _message(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class BackupDialog(QDialog):
    """Choose a folder (a USB stick first), copy, check, say where the backup is."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("backupDialog")
        self.setWindowTitle(_("Back up the database"))
        self.store = store
        self.folder = start_folder(prefer_stick=True)
        self.made: BackupInfo | None = None
        explain = QLabel(_(
            "A backup is a copy of the database and its key file, made while you work and"
            " checked afterwards. Keep it on a USB stick or another disk, away from this"
            " computer: if the computer dies or the file is damaged, the backup brings the"
            " registry back. It opens with the password (or the recovery code) the database"
            " has now."))
        explain.setWordWrap(True)
        self.folder_label = QLabel(str(self.folder))
        self.folder_label.setObjectName("backupFolder")
        self.folder_label.setWordWrap(True)
        change = QPushButton(_("Change…"))
        change.setObjectName("backupChooseFolder")
        change.clicked.connect(lambda _checked=False: self.choose())
        row = QHBoxLayout()
        row.addWidget(self.folder_label, 1)
        row.addWidget(change)
        form = QFormLayout()
        form.addRow(_("Folder:"), row)
        self.result_label = _message("backupResult")
        self.open_folder = QPushButton(_("Open the folder"))
        self.open_folder.setObjectName("backupOpenFolder")
        self.open_folder.clicked.connect(lambda _checked=False: self.show_folder())
        self.open_folder.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.start_button = self.buttons.addButton(_("Back up"),
                                                   QDialogButtonBox.ButtonRole.ActionRole)
        self.start_button.setObjectName("backupStart")
        self.start_button.clicked.connect(lambda _checked=False: self.back_up())
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(bold(QLabel(_("Back up the database")), 1.2))
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addWidget(self.open_folder)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(600)

    def choose(self) -> None:
        chosen = choose_folder(self, _("Where to keep the backup"), start=self.folder)
        if chosen is not None:
            self.folder = chosen
            self.folder_label.setText(str(chosen))

    def back_up(self) -> None:
        """Make the backup in the chosen folder (off the UI thread), then say where it is."""
        store, folder, name = self.store, self.folder, _("daryn-backup")
        start_task(self, _("Backing up the database…"),
                   lambda report, cancel: make_backup(store, folder, name=name,
                                                      progress=report, cancel=cancel),
                   self._backed_up, user_errors(self._failed))

    def _failed(self, exc: UserError) -> None:
        self.result_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.result_label.setText(exc.translated())

    def _backed_up(self, info: BackupInfo) -> None:
        self.made = info
        self.result_label.setStyleSheet("")
        self.result_label.setText(_(
            "The backup was written and checked: it opens.\n{file}\n{keys}\n{facts}").format(
                file=info.path, keys=info.keys_path, facts=describe_backup(info)))
        self.open_folder.show()

    def show_folder(self) -> None:
        open_in_system(self.made.path.parent if self.made else self.folder)


class RestoreDialog(QDialog):
    """Put a backup in the place of the database: check it first, say what will happen."""

    def __init__(self, target: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(_("Restore from a backup"))
        self.target = target
        self.backup: Path | None = None
        self.checked: BackupInfo | None = None
        self._secret: Secret = {}
        self.kept: Path | None = None
        explain = QLabel(_(
            "Choose the backup's .db file (its .keys file must be beside it) and type the"
            " password the database had when the backup was made (or its recovery code)."
            " The backup is checked before anything changes."))
        explain.setWordWrap(True)
        self.file_label = QLabel(_("No backup chosen yet."))
        self.file_label.setObjectName("restoreFile")
        self.file_label.setWordWrap(True)
        choose = QPushButton(_("Choose the backup…"))
        choose.setObjectName("restoreChoose")
        choose.clicked.connect(lambda _checked=False: self.choose())
        row = QHBoxLayout()
        row.addWidget(self.file_label, 1)
        row.addWidget(choose)
        self.password = QLineEdit()
        self.password.setObjectName("restorePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        check = QPushButton(_("Check the backup"))
        check.setObjectName("restoreCheck")
        check.clicked.connect(lambda _checked=False: self.check())
        form = QFormLayout()
        form.addRow(_("Backup:"), row)
        form.addRow(_("Its password or recovery code:"), self.password)
        form.addRow("", check)
        self.facts = _message("restoreFacts")
        self.warning = _message("restoreWhatHappens")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(_("Restore"),
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreAccept")
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self.restore)
        self.buttons.rejected.connect(self.reject)
        self.password.textChanged.connect(self._forget_check)
        layout = QVBoxLayout(self)
        layout.addWidget(bold(QLabel(_("Restore from a backup")), 1.2))
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.facts)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)

    def choose(self) -> None:
        chosen = open_file(self, _("Choose the backup"), _("Daryn databases (*.db)"),
                           prefer_stick=True)
        if chosen is not None:
            self.backup = chosen
            self.file_label.setText(str(chosen))
            self._forget_check()

    def _forget_check(self) -> None:
        self.checked = None
        self.restore_button.setEnabled(False)
        self.warning.clear()

    def check(self) -> None:
        """Prove the backup opens with the password; then say what restoring will do."""
        if self.backup is None:
            self.facts.setText(_("Choose the backup first."))
            return
        secret, backup = self.password.text(), self.backup
        start_task(self, _("Checking the backup…"), lambda _r, _c: _open_with(backup, secret),
                   self._checked, user_errors(self._failed), writes_data=False)

    def _failed(self, exc: UserError) -> None:
        self.facts.setStyleSheet(f"color: {ERROR_COLOR};")
        self.facts.setText(exc.translated())

    def _checked(self, opened: tuple[BackupInfo, Secret]) -> None:
        info, self._secret = opened
        self.checked = info
        self.facts.setStyleSheet("")
        self.facts.setText(_("The backup opens. {facts}").format(facts=describe_backup(info)))
        if self.target.exists():
            self.warning.setText(_(
                "Restoring puts this backup in the place of the database {path}. The current"
                " database is not deleted: it is set aside in the “backups” folder beside it."
                " Whatever was entered after the backup was made is not in it; after the next"
                " exchange with the region, what the region had received comes back.").format(
                    path=self.target))
        else:
            self.warning.setText(_("The backup becomes the database {path}.").format(
                path=self.target))
        self.restore_button.setEnabled(True)

    def restore(self) -> None:
        if self.checked is None or self.backup is None:
            return
        secret, backup, target = self._secret, self.backup, self.target
        start_task(self, _("Restoring the backup…"),
                   lambda _r, _c: restore_backup(backup, target, **secret),
                   self._restored, user_errors(self._failed))

    def _restored(self, kept: Path | None) -> None:
        self.kept = kept
        self.accept()

    @property
    def restored_secret(self) -> Secret:
        """``password=`` or ``recovery_code=``: what opened the restored database."""
        return self._secret.copy()

    @property
    def restored_password(self) -> str | None:
        """The password the restored database opens with (None if the code was used)."""
        return self._secret.get("password")
