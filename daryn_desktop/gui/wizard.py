"""The first-run wizard: language, role, territory, name, password, and the recovery code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from daryn_desktop import APP_NAME
from daryn_desktop.core.enums import Role
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.errors import UserError
from daryn_desktop.gui.password import NewPasswordFields
from daryn_desktop.gui.tasks import start_task, user_errors
from daryn_desktop.gui.widgets import ERROR_COLOR, SearchCombo
from daryn_desktop.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_language
from daryn_desktop.paths import AppPaths
from daryn_desktop.storage.keyring import DEFAULT_KDF, KdfParams

if TYPE_CHECKING:
    from daryn_desktop.gui.backup import Secret
    from daryn_desktop.storage.database import Store

PAGE_LANGUAGE, PAGE_ROLE, PAGE_TERRITORY, PAGE_NAME, PAGE_PASSWORD, PAGE_CODE = range(6)


class WizardPage(QWizardPage):
    """A page of the first-start wizard, whose texts are set again when the language changes."""

    def retranslate(self) -> None:
        raise NotImplementedError


class LanguagePage(WizardPage):
    def __init__(self, wizard: FirstRunWizard):
        super().__init__()
        self.owner = wizard
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.buttons: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        for lang in LANGUAGES:
            button = QRadioButton(LANGUAGE_NAMES[lang], self)
            button.setObjectName(f"wizardLanguage_{lang}")
            button.setChecked(lang == current_language())
            button.toggled.connect(lambda on, code=lang: self._toggled(on, code))
            self.buttons[lang] = button
            layout.addWidget(button)
        layout.addSpacing(20)
        self.demo_text = QLabel(self)
        self.demo_text.setWordWrap(True)
        self.demo_button = QPushButton(self)
        self.demo_button.setObjectName("demoButton")
        self.demo_button.clicked.connect(lambda _checked=False: self.owner.open_demo())
        layout.addWidget(self.demo_text)
        demo_row = QHBoxLayout()
        demo_row.addWidget(self.demo_button)
        demo_row.addStretch(1)
        layout.addLayout(demo_row)
        # A new computer for an existing registry: put the backup back instead of starting anew.
        self.restore_text = QLabel(self)
        self.restore_text.setWordWrap(True)
        self.restore_button = QPushButton(self)
        self.restore_button.setObjectName("wizardRestoreBackup")
        self.restore_button.clicked.connect(lambda _checked=False: self.owner.restore_backup())
        layout.addWidget(self.restore_text)
        restore_row = QHBoxLayout()
        restore_row.addWidget(self.restore_button)
        restore_row.addStretch(1)
        layout.addLayout(restore_row)
        layout.addStretch(1)

    def _toggled(self, on: bool, lang: str) -> None:
        if on:
            self.owner.set_language(lang)

    def retranslate(self) -> None:
        self.setTitle(_("Welcome to {app}").format(app=APP_NAME))
        self.setSubTitle(_("Choose the language of the program. It can be changed later in"
                           " the Language menu."))
        self.intro.setText(_("This program keeps the registry of gifted children and their"
                             " individual road maps. Everything stays on this computer, in an"
                             " encrypted database."))
        self.demo_text.setText(_("Only want to look around? The demo database holds"
                                 " synthetic children, not real ones."))
        self.demo_button.setText(_("Open the &demo database"))
        self.restore_text.setText(_("Moving to a new computer? Put the backup of your database"
                                    " back instead of starting anew."))
        self.restore_button.setText(_("&Restore from a backup…"))


class RolePage(WizardPage):
    def __init__(self, wizard: FirstRunWizard):
        super().__init__()
        self.district = QRadioButton(self)
        self.district.setObjectName("roleDistrict")
        self.district.setChecked(True)
        self.region = QRadioButton(self)
        self.region.setObjectName("roleRegion")
        self.district_text = QLabel(self)
        self.region_text = QLabel(self)
        layout = QVBoxLayout(self)
        for button, text in ((self.district, self.district_text),
                             (self.region, self.region_text)):
            text.setWordWrap(True)
            text.setContentsMargins(24, 0, 0, 10)
            layout.addWidget(button)
            layout.addWidget(text)
        layout.addStretch(1)

    def role(self) -> Role:
        return Role.REGION if self.region.isChecked() else Role.DISTRICT

    def retranslate(self) -> None:
        self.setTitle(_("Who works with this program?"))
        self.setSubTitle(_("The role decides what this installation sends and receives."))
        self.district.setText(Role.DISTRICT.label)
        self.region.setText(Role.REGION.label)
        self.district_text.setText(_("A district or city education department: keeps the"
                                     " district's gifted pupils and sends them to the region."))
        self.region_text.setText(_("A regional “Daryn” centre: gathers the districts' data and"
                                   " prepares the region's statistics."))


class TerritoryPage(WizardPage):
    def __init__(self, wizard: FirstRunWizard):
        super().__init__()
        self.owner = wizard
        self.region = SearchCombo(self)
        self.region.setObjectName("regionPicker")
        self.district = SearchCombo(self)
        self.district.setObjectName("districtPicker")
        self.region_label = QLabel(self)
        self.region_label.setBuddy(self.region)
        self.district_label = QLabel(self)
        self.district_label.setBuddy(self.district)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.region_label, self.region)
        form.addRow(self.district_label, self.district)
        form.addRow("", self.hint)
        self.region.currentIndexChanged.connect(lambda _i: self._region_changed())
        self.region.editTextChanged.connect(lambda _t: self.completeChanged.emit())
        self.district.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())
        self.district.editTextChanged.connect(lambda _t: self.completeChanged.emit())

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        needs_district = self.owner.role_page.role() == Role.DISTRICT
        self.district.setVisible(needs_district)
        self.district_label.setVisible(needs_district)
        self.completeChanged.emit()

    def _fill_regions(self) -> None:
        lang = current_language()
        chosen = self.region.value()
        self.region.blockSignals(True)
        self.region.set_items([(p.name(lang), p.code) for p in gazetteer().regions()], chosen)
        self.region.blockSignals(False)
        self._fill_districts()

    def _fill_districts(self) -> None:
        lang = current_language()
        region = self.region.value()
        chosen = self.district.value()
        places = gazetteer().districts(region) if region else []
        self.district.set_items([(p.name(lang), p.code) for p in places], chosen)

    def _region_changed(self) -> None:
        self._fill_districts()
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        if not self.region.value():
            return False
        return self.owner.role_page.role() == Role.REGION or bool(self.district.value())

    def retranslate(self) -> None:
        self.setTitle(_("Where do you work?"))
        self.setSubTitle(_("Type a few letters of the name to find it in the KATO list."))
        self.region_label.setText(_("&Region"))
        self.district_label.setText(_("&District or city"))
        self.hint.setText(_("The list follows the state classifier of administrative-"
                            "territorial units (KATO)."))
        self._fill_regions()


class NamePage(WizardPage):
    def __init__(self, wizard: FirstRunWizard):
        super().__init__()
        self.owner = wizard
        self.name = QLineEdit(self)
        self.name.setObjectName("installationName")
        self.name_label = QLabel(self)
        self.name_label.setBuddy(self.name)
        self.location = QLabel(self)
        self.location.setWordWrap(True)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(self)
        form.addRow(self.name_label, self.name)
        form.addRow("", self.location)
        self.name.textChanged.connect(lambda _t: self.completeChanged.emit())

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        if not self.name.text().strip():
            self.name.setText(self.owner.suggested_name())
        self.location.setText(_("The database will be kept in {path}").format(
            path=self.owner.db_path))

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return bool(self.name.text().strip())

    def retranslate(self) -> None:
        self.setTitle(_("The name of this installation"))
        self.setSubTitle(_("It is printed on documents and shown to the region when data"
                           " arrives from you."))
        self.name_label.setText(_("&Name"))


class PasswordPage(WizardPage):
    def __init__(self, wizard: FirstRunWizard):
        super().__init__()
        self.owner = wizard
        self._validating = False
        self.fields = NewPasswordFields(self)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("wizardError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.fields)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.fields.changed.connect(self.completeChanged.emit)
        # After this page the database exists: there is no going back to change it.
        self.setCommitPage(True)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.fields.password() is not None

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        """Refused until the database exists: its creation starts here, and once it is
        made the wizard goes on by itself (at once when tasks run inline)."""
        if self.owner.store is not None:
            return True
        self._validating = True
        try:
            self.owner.create_database(self.fields.password() or "", self._created,
                                       lambda exc: self.error.setText(exc.translated()))
        finally:
            self._validating = False
        return self.owner.store is not None

    def _created(self) -> None:
        if not self._validating:
            self.owner.next()

    def retranslate(self) -> None:
        self.setTitle(_("A password for the database"))
        self.setSubTitle(_("The database is encrypted; without the password nobody can read"
                           " it, not even from a copy."))
        self.explanation.setText(_("You will type this password every time the program"
                                   " starts. Next you will get a recovery code for the case"
                                   " the password is forgotten."))
        self.setButtonText(QWizard.WizardButton.CommitButton, _("&Create the database"))


class RecoveryCodePage(WizardPage):
    def __init__(self, wizard: FirstRunWizard):
        super().__init__()
        self.owner = wizard
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.code = QLabel(self)
        self.code.setObjectName("recoveryCode")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(self.font().pointSizeF() * 1.8)
        font.setBold(True)
        self.code.setFont(font)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setStyleSheet("border: 2px dashed #888; padding: 14px;")
        self.print_button = QPushButton(self)
        self.print_button.setObjectName("printCodeButton")
        self.print_button.clicked.connect(self.print_code)
        self.confirm = QCheckBox(self)
        self.confirm.setObjectName("codeWrittenDown")
        self.confirm.toggled.connect(lambda _on: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.code)
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addSpacing(12)
        layout.addWidget(self.confirm)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        self.code.setText(self.owner.recovery_code or "")

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return self.confirm.isChecked()

    def print_code(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.recovery_sheet().print_(printer)

    def recovery_sheet(self) -> QTextDocument:
        """The page to print: what the code is for, the installation and the code itself."""
        document = QTextDocument()
        document.setDefaultFont(QFont("DejaVu Sans", 12))
        owner = self.owner
        title = _("{app}: recovery code").format(app=APP_NAME)
        lines = [_("Installation: {name}").format(name=owner.name_page.name.text().strip()),
                 _("Database: {path}").format(path=owner.db_path)]
        advice = _("With this code the database can be opened if the password is forgotten."
                   " Keep the sheet in a safe place, away from the computer.")
        body = "".join(f"<p>{_escape(line)}</p>" for line in lines)
        document.setHtml(f"<h2>{_escape(title)}</h2>{body}"
                         f"<p style='font-size:20pt; font-family:monospace'><b>"
                         f"{_escape(owner.recovery_code or '')}</b></p><p>{_escape(advice)}</p>")
        return document

    def retranslate(self) -> None:
        self.setTitle(_("Your recovery code"))
        self.setSubTitle(_("It is shown only this once."))
        self.explanation.setText(_("Print this code or write it down, and keep it in a safe"
                                   " place. With it the database can be opened when the"
                                   " password is forgotten; without the password and the code"
                                   " the data cannot be recovered by anyone."))
        self.print_button.setText(_("&Print…"))
        self.confirm.setText(_("I have &written the code down or printed it"))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class FirstRunWizard(QWizard):
    """Creates the database and the installation (or opens the demo database)."""

    def __init__(self, paths: AppPaths, *, db_path: Path | None = None,
                 kdf: KdfParams = DEFAULT_KDF,
                 on_language: Callable[[str], None] | None = None,
                 open_demo: Callable[[QWidget], Store] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self.paths = paths
        self.db_path = db_path or paths.default_db
        self.kdf = kdf
        self.on_language = on_language
        self.demo_opener = open_demo
        self.store: Store | None = None
        self.recovery_code: str | None = None
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.language_page = LanguagePage(self)
        self.role_page = RolePage(self)
        self.territory_page = TerritoryPage(self)
        self.name_page = NamePage(self)
        self.password_page = PasswordPage(self)
        self.code_page = RecoveryCodePage(self)
        for page_id, page in enumerate((self.language_page, self.role_page, self.territory_page,
                                        self.name_page, self.password_page, self.code_page)):
            self.setPage(page_id, page)
        self.retranslate()
        self.resize(720, 560)

    def pages(self) -> list[WizardPage]:
        return [self.language_page, self.role_page, self.territory_page, self.name_page,
                self.password_page, self.code_page]

    def retranslate(self) -> None:
        self.setWindowTitle(_("{app} — first start").format(app=APP_NAME))
        for page in self.pages():
            page.retranslate()
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< &Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("&Start working"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))

    def set_language(self, lang: str) -> None:
        if self.on_language is not None:
            self.on_language(lang)
        else:
            from daryn_desktop.i18n import set_language

            set_language(lang)
        self.retranslate()

    def suggested_name(self) -> str:
        code = self.territory_page.district.value() if self.role_page.role() == Role.DISTRICT \
            else self.territory_page.region.value()
        place = gazetteer().find(code)
        if place is None:
            return ""
        name = place.name(current_language())
        if self.role_page.role() == Role.REGION:
            return _("“Daryn” centre of {region}").format(region=name)
        return _("Education department of {district}").format(district=name)

    def create_database(self, password: str, on_created: Callable[[], object],
                        on_error: Callable[[UserError], object]) -> None:
        """Create the encrypted database, the installation and its keys (off the UI thread);
        then ``on_created()``, or ``on_error(error)`` when it could not be made."""
        role = self.role_page.role()
        region = self.territory_page.region.value()
        district = self.territory_page.district.value() if role == Role.DISTRICT else None
        name = self.name_page.name.text().strip()
        # Loaded here rather than at the start, so that the wizard appears at once; and on
        # the UI thread rather than in the worker.
        from daryn_desktop.storage.database import create_store
        from daryn_desktop.sync.identity import ensure_identity

        def work(_report, _cancel) -> tuple[Store, str]:
            store, code = create_store(self.db_path, password, role=role, region_kato=region,
                                       district_kato=district, name=name, kdf=self.kdf)
            try:
                ensure_identity(store)
            except BaseException:
                store.close()
                raise
            return store, code

        def created(made: tuple[Store, str]) -> None:
            self.store, self.recovery_code = made
            on_created()

        start_task(self, _("Creating the encrypted database…"), work, created,
                   user_errors(on_error))

    def open_demo(self) -> None:
        if self.demo_opener is None:
            return
        try:
            self.store = self.demo_opener(self)
        except UserError as exc:
            QMessageBox.warning(self, APP_NAME, exc.translated())
            return
        self.accept()

    def restore_backup(self) -> None:
        """Put a checked backup where the database goes and open it (a new PC)."""
        from daryn_desktop.gui.backup import RestoreDialog

        dialog = RestoreDialog(self.db_path, self)
        if dialog.exec() != RestoreDialog.DialogCode.Accepted:
            return
        secret = dialog.restored_secret
        from daryn_desktop.storage.database import open_store

        db_path = self.db_path
        start_task(self, _("Opening the database…"),
                   lambda _r, _c: open_store(db_path, password=secret.get("password"),
                                             recovery_code=secret.get("recovery_code")),
                   lambda store: self._restored(store, secret),
                   user_errors(lambda exc: QMessageBox.warning(self, APP_NAME, exc.translated())))

    def _restored(self, store: Store, secret: Secret) -> None:
        self.store = store
        if "recovery_code" in secret:
            QMessageBox.information(self, APP_NAME, _(
                "The backup was opened with its recovery code. At the next start choose"
                " “Forgot the password? Use the recovery code” to set a new password."))
        self.accept()

    def reject(self) -> None:
        # Once the database exists its recovery code must not be lost by a careless click.
        if self.store is not None and self.recovery_code and not self.code_page.confirm.isChecked():
            answer = QMessageBox.question(
                self, APP_NAME, _("The recovery code will not be shown again. Close anyway?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
