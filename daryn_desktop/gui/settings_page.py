"""The Settings section: language, schools and staff, password, and the database's health."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.gui.password import ChangePasswordDialog
from daryn_desktop.gui.tasks import start_task
from daryn_desktop.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_language
from daryn_desktop.paths import app_paths
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.health import health_report


class SettingsSection(QWidget):
    """Preferences and housekeeping of this installation."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("settingsSection")
        self.store = store

        self.language = QComboBox(self)
        self.language.setObjectName("languageChoice")
        for lang in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        self.language.setCurrentIndex(LANGUAGES.index(current_language()))
        apply_language = QPushButton(_("&Apply"), self)
        apply_language.setObjectName("applyLanguage")
        apply_language.clicked.connect(lambda _checked=False: self.apply_language())
        language_box = QGroupBox(_("Language"), self)
        language_row = QHBoxLayout(language_box)
        label = QLabel(_("&Interface language"), self)
        label.setBuddy(self.language)
        language_row.addWidget(label)
        language_row.addWidget(self.language)
        language_row.addWidget(apply_language)
        language_row.addStretch(1)

        schools = QPushButton(_("&Schools…"), self)
        schools.setObjectName("schoolsButton")
        schools.clicked.connect(lambda _checked=False: self.show_schools())
        staff = QPushButton(_("&Teachers and specialists…"), self)
        staff.setObjectName("staffButton")
        staff.clicked.connect(lambda _checked=False: self.show_staff())
        lists_box = QGroupBox(_("Reference lists"), self)
        lists_row = QHBoxLayout(lists_box)
        lists_row.addWidget(schools)
        lists_row.addWidget(staff)
        lists_row.addStretch(1)

        inst = store.installation
        paths = app_paths()
        database_box = QGroupBox(_("Database"), self)
        form = QFormLayout(database_box)
        form.addRow(_("Installation:"), QLabel(inst.name, self))
        form.addRow(_("Role:"), QLabel(inst.role.label, self))
        path_label = QLabel(str(store.path), self)
        path_label.setWordWrap(True)
        form.addRow(_("File:"), path_label)
        form.addRow(_("Crash logs:"), QLabel(str(paths.logs), self))
        password = QPushButton(_("Change the &password…"), self)
        password.setObjectName("changePasswordButton")
        password.clicked.connect(lambda _checked=False: self.change_password())
        check = QPushButton(_("&Check the database"), self)
        check.setObjectName("checkDatabaseButton")
        check.clicked.connect(lambda _checked=False: self.check_database())
        backup = QPushButton(_("&Back up the database…"), self)
        backup.setObjectName("backupButton")
        backup.setToolTip(_("A checked copy of the database and its key file, e.g. on a USB"
                            " stick"))
        backup.clicked.connect(lambda _checked=False: self.back_up())
        buttons = QHBoxLayout()
        buttons.addWidget(backup)
        buttons.addWidget(password)
        buttons.addWidget(check)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.report = QPlainTextEdit(self)
        self.report.setObjectName("healthReport")
        self.report.setReadOnly(True)
        self.report.setPlaceholderText(_("“Check the database” verifies the file's integrity,"
                                         " the schema and the key file."))
        form.addRow(self.report)

        layout = QVBoxLayout(self)
        layout.addWidget(language_box)
        layout.addWidget(lists_box)
        layout.addWidget(database_box, 1)

    def apply_language(self) -> None:
        window = self.window()
        switch = getattr(window, "switch_language", None)
        if callable(switch):
            switch(self.language.currentData())

    def show_schools(self) -> None:
        from daryn_desktop.gui.schools import SchoolsDialog

        SchoolsDialog(self.store, self).exec()

    def show_staff(self) -> None:
        from daryn_desktop.gui.staff import StaffListDialog

        StaffListDialog(self.store, self).exec()

    def back_up(self) -> None:
        from daryn_desktop.gui.backup import BackupDialog

        BackupDialog(self.store, self).exec()

    def change_password(self) -> None:
        ChangePasswordDialog(self.store.path, self).exec()

    def check_database(self) -> None:
        # The integrity check reads the whole file: seconds on a large database.
        lang = current_language()
        store = self.store
        start_task(self, _("Checking the database…"),
                   lambda _r, _c: health_report(store, lang=lang),
                   lambda report: self.report.setPlainText("\n".join(report.lines())),
                   writes_data=False)
