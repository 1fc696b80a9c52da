"""The pupil editor: tabs over one record, inline validation, undo/redo, save, archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import PupilStatus, Role
from daryn_desktop.core.findings import Finding, error
from daryn_desktop.core.validation import validate_pupil
from daryn_desktop.errors import UserError
from daryn_desktop.gui import sections
from daryn_desktop.gui.editor.attachments_tab import AttachmentsTab
from daryn_desktop.gui.editor.choices import SharedChoices
from daryn_desktop.gui.editor.edit_command import EditCommand
from daryn_desktop.gui.editor.history_tab import FIELD_NAMES, HistoryTab
from daryn_desktop.gui.editor.lists_tabs import AchievementsTab, FamilyTab, GiftednessTab
from daryn_desktop.gui.editor.profile_tab import ProfileTab
from daryn_desktop.gui.editor.pupil_data import PupilData
from daryn_desktop.gui.editor.pupil_dialogs import ArchiveDialog, PurgeDialog
from daryn_desktop.gui.widgets import ERROR_COLOR, bold, fit_to_screen
from daryn_desktop.i18n import N_, _, ngettext
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import (
    PupilRecord,
    default_author,
    load_record,
    save_record,
    validate_children,
)

#: Tabs in order: (key, title message id).
TABS = (("profile", N_("Profile")), ("family", N_("Family & categories")),
        ("giftedness", N_("Giftedness & diagnostics")), ("achievements", N_("Achievements")),
        ("attachments", N_("Attachments")), ("history", N_("History")),
        ("road_map", N_("Road map")))
#: Which tab shows which field of the pupil (the rest are on the Profile tab).
_FIELD_TABS = {"consent_given": "family", "consent_date": "family"}
_LIST_TABS = {"guardians": "family", "categories": "family", "giftedness": "giftedness",
              "diagnostics": "giftedness", "achievements": "achievements",
              "attachments": "attachments"}
#: Fields a new record must have; their "required" errors wait until they are touched.
_REQUIRED = ("surname", "given_name", "iin", "school_id", "grade")


class PupilEditor(QDialog, PupilData):
    """Edits a pupil (or a new one) and everything recorded about them; saves all at once."""

    saved = Signal(str)

    def __init__(self, store: Store, pupil_id: str | None, parent: QWidget | None = None, *,
                 school_id: str | None = None, choices: SharedChoices | None = None):
        super().__init__(parent)
        self.setObjectName("pupilEditor")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.store = store
        self.loading = False
        self.touched: set[str] = set()
        self.choices = choices or SharedChoices(store)
        self._staff: dict[str | None, list[tuple[str, str]]] = {}
        self.original: PupilRecord | None = load_record(store, pupil_id) if pupil_id else None
        if self.original is not None:
            self.record = self.original.copy()
        else:
            self.record = PupilRecord(pupil=e.Pupil(
                surname="", given_name="", iin="", school_id=school_id or "",
                grade=None))  # type: ignore[arg-type]  # chosen by the person
            if school_id:
                self.record.pupil.language = self.profile_language_of(school_id)
        self.baseline = self.record.copy()
        self.undo_stack = QUndoStack(self)

        self.title = bold(QLabel(self), 1.3)
        self.title.setObjectName("editorTitle")
        self.banner = QLabel(self)
        self.banner.setObjectName("archivedBanner")
        self.banner.setStyleSheet("background: #fff3cd; padding: 6px;")
        self.banner.setWordWrap(True)
        self.restore_button = QPushButton(_("Return to the registry"), self)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.clicked.connect(lambda _checked=False: self.restore_pupil())

        self.profile = ProfileTab(self)
        self.family = FamilyTab(self)
        self.giftedness = GiftednessTab(self)
        self.achievements = AchievementsTab(self)
        self.attachments = AttachmentsTab(self)
        self.history = HistoryTab(store, self)
        self.road_map_page = QWidget(self)
        self.road_map_page.setObjectName("roadMapPage")
        self.road_map_layout = QVBoxLayout(self.road_map_page)
        self.road_map_editor: QWidget | None = None
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("editorTabs")
        pages = {"profile": self.profile, "family": self.family,
                 "giftedness": self.giftedness, "achievements": self.achievements,
                 "attachments": self.attachments, "history": self.history,
                 "road_map": self.road_map_page}
        for number, (key, title) in enumerate(TABS, start=1):
            # "&" in a tab title would become a keyboard mnemonic; "&&" shows it as it is.
            index = self.tabs.addTab(pages[key], _(title).replace("&", "&&"))
            self.tabs.setTabToolTip(index, f"Ctrl+{number}")
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _c=False, i=index: self.tabs.setCurrentIndex(i))
            self.addAction(action)
        self.tabs.currentChanged.connect(self._tab_changed)

        self.save_action = self._action(_("&Save"), QKeySequence.StandardKey.Save, self.save)
        self.undo_action = self._action(_("&Undo"), QKeySequence.StandardKey.Undo, self.undo)
        self.redo_action = self._action(_("&Redo"), QKeySequence.StandardKey.Redo, self.redo)
        # All the platform's Redo keys (Ctrl+Y and Ctrl+Shift+Z here).
        self.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)
        self.save_button = self._button(self.save_action, "saveButton")
        self.undo_button = self._button(self.undo_action, "undoButton")
        self.redo_button = self._button(self.redo_action, "redoButton")
        self.archive_button = QPushButton(_("&Archive…"), self)
        self.archive_button.setObjectName("archiveButton")
        self.archive_button.clicked.connect(lambda _checked=False: self.archive())
        # A regional centre may erase a record for a legal request (see PurgeDialog).
        self.purge_button = QPushButton(_("Erase (legal request)…"), self)
        self.purge_button.setObjectName("purgeButton")
        self.purge_button.clicked.connect(lambda _checked=False: self.purge())
        self.purge_button.setVisible(store.installation.role is Role.REGION
                                     and self.original is not None)
        self.close_button = QPushButton(_("Close (Esc)"), self)
        self.close_button.setObjectName("closeButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(lambda _checked=False: self.reject())
        self.problems = QLabel(self)
        self.problems.setObjectName("editorProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(f"color: {ERROR_COLOR};")
        # No slot on the stack's signals: the stack also signals while the dialog is being
        # destroyed. Every change of the stack goes through edit(), restore() or a save,
        # which refresh the state themselves.

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        banner = QHBoxLayout()
        banner.addWidget(self.banner, 1)
        banner.addWidget(self.restore_button)
        buttons = QHBoxLayout()
        for button in (self.undo_button, self.redo_button, self.archive_button,
                       self.purge_button):
            buttons.addWidget(button)
        buttons.addWidget(self.problems, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        # Large enough for the road map's plan; never larger than a small laptop's screen.
        fit_to_screen(self, QSize(1320, 840))

        self._load_all()
        self._route_undo_shortcuts()
        self.refresh_state()
        self.profile.surname.setFocus()

    # -- construction helpers --------------------------------------------------------------
    def _action(self, text: str, key: QKeySequence.StandardKey,
                slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(key)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _button(self, action: QAction, name: str) -> QPushButton:
        # The first of the keys the shortcut list gives (one truth for both).
        bindings = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        shortcut = next((k for k in bindings if "Ctrl+" in k), bindings[0] if bindings else "")
        button = QPushButton(_("{action} ({shortcut})").format(
            action=action.text(), shortcut=shortcut), self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(action.trigger)
        return button

    def _route_undo_shortcuts(self) -> None:
        # Text fields have their own Ctrl+Z that would only undo inside one field; the
        # editor's Undo covers the whole record, so those keys are passed on to it.
        for widget in self.findChildren(QLineEdit) + self.findChildren(QPlainTextEdit):
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.ShortcutOverride and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
                or event.matches(QKeySequence.StandardKey.Save)):
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    # -- editing ---------------------------------------------------------------------------
    def edit(self, key: str, change: Callable[[PupilRecord], None], *, merge: bool = True,
             reload: bool = False) -> None:
        """Apply a change to the record as one undoable step."""
        if self.loading:
            return
        before = self.record.copy()
        change(self.record)
        if self.record == before:
            return
        self.touched.add(key.split(".")[1] if key.startswith("pupil.") else key.split(".")[0])
        self.undo_stack.push(EditCommand(self, key, before, self.record.copy(), merge))
        if reload or not key.startswith("pupil."):
            self._load_all()
        self.refresh_state()

    def undo(self) -> None:
        self.undo_stack.undo()
        self.refresh_state()  # again: the stack's position changes after the command ran

    def redo(self) -> None:
        self.undo_stack.redo()
        self.refresh_state()

    def restore(self, snapshot: PupilRecord) -> None:
        """Show a state from the undo history."""
        self.record = snapshot.copy()
        self._load_all()
        self.refresh_state()

    def _load_all(self) -> None:
        self.loading = True
        try:
            for tab in (self.profile, self.family, self.giftedness, self.achievements,
                        self.attachments):
                tab.load(self.record)
        finally:
            self.loading = False

    @property
    def dirty(self) -> bool:
        """Unsaved changes to the pupil or, on the Road map tab, to the road map."""
        return self.record != self.baseline or self.road_map_dirty

    @property
    def road_map_dirty(self) -> bool:
        editor = self.road_map_editor
        return editor is not None and bool(getattr(editor, "dirty", False))

    # -- validation ------------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        """Everything wrong with the record now, including text that is not a date."""
        found = validate_pupil(self.record.pupil) + validate_children(self.record)
        for field, widget in (("birth_date", self.profile.birth_date),
                              ("consent_date", self.family.consent_date)):
            problem = widget.error()
            if problem:
                found = [f for f in found if f.field != field]
                found.append(error(field, "{text}", text=problem))
        iin = self.record.pupil.iin
        if iin and not any(f.field == "iin" and f.is_error for f in found):
            other = self.store.repos.pupils.by_iin(iin)
            if other is not None and other.id != self.record.pupil.id:
                found.append(error("iin", N_("A pupil with IIN {iin} is already registered:"
                                             " {name}."), iin=iin, name=other.full_name))
        return found

    def _visible(self, finding: Finding) -> bool:
        # A new pupil's empty required fields are not shouted about before they are touched;
        # the summary still says what is missing.
        return not (self.original is None and finding.field in _REQUIRED
                    and finding.field not in self.touched
                    and not getattr(self.record.pupil, finding.field))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.refresh_state()

    def refresh_state(self) -> None:
        # A hidden editor is closing or its window is (with the database, at the very end).
        if not self.isVisible():
            return
        findings = self.findings()
        errors = [f for f in findings if f.is_error]
        profile: dict[str, tuple[str, bool]] = {}
        lists: dict[str, dict[tuple[int, str], str]] = {name: {} for name in _LIST_TABS}
        tabs_with_errors: set[str] = set()
        for finding in sorted(findings, key=lambda f: not f.is_error):
            parts = finding.field.split(".")
            if len(parts) == 3 and parts[0] in lists:
                lists[parts[0]][(int(parts[1]), parts[2])] = finding.text
                tabs_with_errors.add(_LIST_TABS[parts[0]])
                continue
            if finding.is_error:
                tabs_with_errors.add(_FIELD_TABS.get(finding.field, "profile"))
            if self._visible(finding) and finding.field not in profile:
                profile[finding.field] = (finding.text, finding.is_error)
        self.profile.show_findings(profile)
        consent = profile.get("consent_date") or profile.get("consent_given")
        self.family.consent_message.show_message(consent[0] if consent else None,
                                                 is_error=consent[1] if consent else True)
        self.family.categories.show_errors(lists["categories"])
        self.family.guardians.show_errors(lists["guardians"])
        self.giftedness.areas.show_errors(lists["giftedness"])
        self.giftedness.diagnostics.show_errors(lists["diagnostics"])
        self.achievements.achievements.show_errors(lists["achievements"])
        self.attachments.files.show_errors(lists["attachments"])
        for index, (key, _title) in enumerate(TABS):
            self.tabs.tabBar().setTabTextColor(
                index, QColor(ERROR_COLOR) if key in tabs_with_errors else QColor())

        missing = [f for f in errors if not self._visible(f)]
        if missing:
            self.problems.setText(_("To save, fill in: {fields}.").format(fields=", ".join(
                _(FIELD_NAMES[f.field]) for f in missing)))
        elif errors:
            self.problems.setText(ngettext_problems(len(errors)))
        else:
            self.problems.clear()
        # One Save for the window: it saves the pupil and the road map. Undo and redo are the
        # form's; on the Road map tab they would act on a hidden form.
        on_profile = self.tabs.currentWidget() is not self.road_map_page
        pupil_ok = not errors or self.record == self.baseline
        self.save_action.setEnabled(self.dirty and pupil_ok)
        self.save_button.setEnabled(self.save_action.isEnabled())
        self.undo_action.setEnabled(on_profile and self.undo_stack.canUndo())
        self.redo_action.setEnabled(on_profile and self.undo_stack.canRedo())
        self.undo_button.setEnabled(self.undo_action.isEnabled())
        self.redo_button.setEnabled(self.redo_action.isEnabled())
        archived = self.original is not None and self.original.pupil.status != PupilStatus.ACTIVE
        self.archive_button.setEnabled(self.original is not None and not archived
                                       and not self.dirty)
        self.archive_button.setVisible(not archived)
        self.archive_button.setToolTip(_("Save or undo the changes first.") if self.dirty else "")
        self.banner.setVisible(archived)
        self.restore_button.setVisible(archived)
        if archived and self.original is not None:
            pupil = self.original.pupil
            self.banner.setText(_("{status}. Reason: {reason}").format(
                status=pupil.status.label, reason=pupil.archive_reason or "—"))
        name = self.record.pupil.full_name.strip()
        title = name or _("New pupil")
        self.title.setText(title)
        self.setWindowTitle(("* " if self.dirty else "") + title)

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> bool:
        """Save the record if it is valid, and the road map's edits; True when all is saved."""
        if self.record != self.baseline:
            if any(f.is_error for f in self.findings()):
                self.touched.update(_REQUIRED)
                self.refresh_state()
                return False
            try:
                save_record(self.store, self.record, original=self.original,
                            author=default_author())
            except UserError as exc:
                QMessageBox.warning(self, _("The pupil was not saved"), exc.translated())
                return False
            self._reload_saved(self.record.pupil.id)
            self.saved.emit(self.record.pupil.id)
        editor = self.road_map_editor
        if (self.road_map_dirty and isinstance(editor, sections.HostedEditor)
                and not editor.save()):
            return False
        self.refresh_state()
        return True

    def _reload_saved(self, pupil_id: str) -> None:
        self.original = load_record(self.store, pupil_id)
        self.record = self.original.copy()
        self.baseline = self.record.copy()
        self.undo_stack.clear()
        self.forget_choices()
        self._load_all()
        if self.tabs.currentWidget() is self.history:
            self.history.load(pupil_id)
        self._show_road_map()
        self.refresh_state()

    # -- archive ---------------------------------------------------------------------------
    def archive(self) -> bool:
        """Ask for the reason and archive the pupil (records are never deleted)."""
        if self.original is None or self.dirty:
            return False
        dialog = ArchiveDialog(self.record.pupil.full_name, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.archive_with(dialog.reason(), dialog.status())

    def archive_with(self, reason: str, status: PupilStatus = PupilStatus.ARCHIVED) -> bool:
        if self.original is None or not reason.strip():
            return False
        pupil_id = self.original.pupil.id
        self.store.repos.pupils.archive(pupil_id, reason.strip(), status=status,
                                        author=default_author())
        self._reload_saved(pupil_id)
        self.saved.emit(pupil_id)
        return True

    def purge(self) -> bool:
        """Erase the pupil everywhere, after the IIN is typed to confirm (region only)."""
        if self.original is None:
            return False
        dialog = PurgeDialog(self.original.pupil, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        from daryn_desktop.sync.purge import purge_record

        pupil_id = self.original.pupil.id
        try:
            purge_record(self.store, "pupils", pupil_id)
        except UserError as exc:
            QMessageBox.warning(self, _("The pupil was not erased"), exc.translated())
            return False
        self.baseline = self.record.copy()  # nothing left to save or to ask about
        self.saved.emit(pupil_id)
        super().reject()
        return True

    def restore_pupil(self) -> None:
        if self.original is None:
            return
        pupil_id = self.original.pupil.id
        self.store.repos.pupils.restore(pupil_id, author=default_author())
        self._reload_saved(pupil_id)
        self.saved.emit(pupil_id)

    # -- tabs shown on demand --------------------------------------------------------------
    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        self.refresh_state()
        if widget is self.history:
            self.history.load(self.pupil_id)
        elif widget is self.road_map_page:
            self._show_road_map()

    def _show_road_map(self) -> None:
        if self.road_map_editor is not None or self.tabs.currentWidget() is not self.road_map_page:
            return
        while self.road_map_layout.count():
            item = self.road_map_layout.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        if self.pupil_id is None:
            self.road_map_layout.addWidget(QLabel(
                _("Save the pupil first; then the road map can be written here."), self))
            return
        editor = sections.create_road_map_editor(self.store, self.pupil_id, self.road_map_page)
        if editor is None:
            entry = sections.section("road_maps")
            self.road_map_layout.addWidget(sections.NotReadyPage(entry, self.road_map_page))
            return
        self.road_map_editor = editor
        self.road_map_layout.setContentsMargins(0, 0, 0, 0)
        self.road_map_layout.addWidget(editor)
        # The window's one Save (Ctrl+S) saves the road map too, so it shows none of its own.
        hide_save = getattr(editor, "use_host_save", None)
        if callable(hide_save):
            hide_save()
        changed = getattr(editor, "dirty_changed", None)
        if changed is not None:
            changed.connect(lambda _dirty: self.refresh_state())

    # -- closing ---------------------------------------------------------------------------
    def confirm_discard(self) -> bool:
        """True when the editor may close: nothing unsaved, or saved, or discarded on request."""
        if not self.dirty:
            return True
        answer = QMessageBox.question(
            self, _("Unsaved changes"),
            _("The changes to {name} are not saved. Save them?").format(
                name=self.record.pupil.full_name.strip() or _("the new pupil")),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        editor = self.road_map_editor
        if (answer == QMessageBox.StandardButton.Discard and self.road_map_dirty
                and isinstance(editor, sections.HostedEditor)):
            editor.discard()
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        if self.confirm_discard():
            self.baseline = self.record.copy()  # nothing more to ask about
            super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.confirm_discard():
            self.baseline = self.record.copy()
            event.accept()
        else:
            event.ignore()


def ngettext_problems(count: int) -> str:
    return ngettext("Correct {count} problem to save.", "Correct {count} problems to save.",
                    count).format(count=count)
