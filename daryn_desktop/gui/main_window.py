"""The main window: section navigation, menus with shortcuts, and the status bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

from daryn_desktop import APP_NAME, __version__
from daryn_desktop.core.enums import Role
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.gui import changes, file_actions, sections, tasks
from daryn_desktop.gui.labels import ElidedLabel
from daryn_desktop.gui.language import apply_language
from daryn_desktop.gui.section_stack import SectionArea, SectionStack
from daryn_desktop.gui.widgets import fit_to_screen
from daryn_desktop.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    N_,
    _,
    current_language,
    ngettext,
    translator,
)
from daryn_desktop.paths import app_paths
from daryn_desktop.settings import load_settings, update_settings
from daryn_desktop.storage import syncstate
from daryn_desktop.storage.health import SILENT_DAYS, silent_districts, unacknowledged_changes
from daryn_desktop.storage.registry import data_token, use_browsing_cache

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

#: How often the status bar looks whether the database changed (cheap: one PRAGMA).


#: The navigation list's narrowest width, in pixels (wider when a language needs it).
NAV_MIN_WIDTH = 210
#: ... and its widest: longer names wrap onto two lines.
NAV_MAX_WIDTH = 230
#: The window's largest minimum size: it fits a 1366×768 laptop screen with its frame,
#: title bar and a task bar. A page that would need more scrolls inside the window.
LARGEST_WINDOW = QSize(1280, 720)
#: The name the demo database is created with (in the language of the moment).
DEMO_NAME = N_("Demo installation")


def installation_name(name: str) -> str:
    """The installation's name for the window title: a demo database's name follows the
    interface language (it was stored in the language it was made in)."""
    if any(name == translator(lang).gettext(DEMO_NAME) for lang in LANGUAGES):
        return _(DEMO_NAME)
    return name


class MainWindow(QMainWindow):
    """Sections on the left, the current section's page on the right."""

    #: Emitted with the new window after a language switch rebuilt the interface.
    replaced = Signal(object)

    def __init__(self, store: Store, *, section: str = "pupils", data_dir: str | None = None,
                 view_state: dict[str, object] | None = None):
        super().__init__()
        self.setObjectName("mainWindow")
        self.store = store
        self.data_dir = data_dir
        use_browsing_cache(store)
        self._replacing = False
        self._closed = False
        self._pages: dict[str, QWidget] = {}
        inst = store.installation
        self.setWindowTitle(_("{app} — {name}").format(app=APP_NAME,
                                                        name=installation_name(inst.name)))

        self.nav = QListWidget(self)
        self.nav.setObjectName("sectionList")
        self.nav.setStyleSheet("QListWidget { font-size: 11pt; }"
                               " QListWidget::item { padding: 9px 8px; }")
        self.stack = SectionStack(self)
        self.stack.setObjectName("sectionStack")
        self.go_actions: list[QAction] = []
        for number, entry in enumerate(sections.SECTIONS, start=1):
            shortcut = QKeySequence(f"Ctrl+{number}")
            item = QListWidgetItem(_(entry.title), self.nav)
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            item.setToolTip(shortcut.toString(QKeySequence.SequenceFormat.NativeText))
            placeholder = QWidget(self.stack)
            self.stack.addWidget(placeholder)
            action = QAction(_(entry.title).replace("&", "&&"), self)
            action.setShortcut(shortcut)
            action.triggered.connect(lambda _c=False, key=entry.key: self.show_section(key))
            self.go_actions.append(action)
            self.addAction(action)  # works even when the menu bar is hidden
        # As wide as the longest section name in this language, up to NAV_MAX_WIDTH: a longer
        # name (Kazakh and Russian ones are long) wraps onto a second line rather than
        # making the window too wide for a 1366×768 screen. No name is cut, no scroll bar.
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setWordWrap(True)
        self.nav.setResizeMode(QListWidget.ResizeMode.Adjust)
        widest = self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 12
        self.nav.setFixedWidth(min(max(NAV_MIN_WIDTH, widest), NAV_MAX_WIDTH))
        self.nav.currentRowChanged.connect(self._row_changed)
        body = QWidget(self)
        layout = QHBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.nav)
        # The page's room: a 1366×768 screen less the window's frame, title, menu, status
        # and task bars, and the navigation. A page that needs more scrolls.
        self.area = SectionArea(self.stack, QSize(
            LARGEST_WINDOW.width() - self.nav.width() - 14, LARGEST_WINDOW.height() - 90),
            body)
        layout.addWidget(self.area, 1)
        self.setCentralWidget(body)
        self._build_menus()

        place = gazetteer().find(inst.district_kato or inst.region_kato)
        territory = place.name(current_language()) if place else ""
        # Elided when the window is narrow (the full text is the tooltip): long Kazakh and
        # Russian messages must not make the window wider than a laptop's screen.
        self.db_label = ElidedLabel(_("Database: {path}").format(path=store.path.name), self)
        self.db_label.setObjectName("statusDatabase")
        self.db_label.setToolTip(str(store.path))
        self.role_label = ElidedLabel(_("{role} — {territory}").format(
            role=inst.role.label, territory=territory), self)
        self.role_label.setObjectName("statusRole")
        self.pending_label = ElidedLabel("…", self)
        self.pending_label.setObjectName("pendingChanges")
        status = self.statusBar()
        status.addWidget(self.db_label)
        status.addWidget(self.role_label)
        status.addPermanentWidget(self.pending_label)
        self._status_token: tuple[int, int] | None = None
        # Refreshed on change notices, not on a timer: once for a burst of notices, after
        # the writes that sent them, and after the window is on screen (on a large change
        # log counting takes a moment).
        self._status_soon = QTimer(self)
        self._status_soon.setSingleShot(True)
        self._status_soon.setInterval(0)
        self._status_soon.timeout.connect(self.refresh_status)
        changes.watch(store)
        changes.notices().changed.connect(self._status_soon.start)
        self._status_soon.start()

        self._view_state = dict(view_state or {})
        self._restore_geometry()
        self.show_section(section)

    # -- menus -----------------------------------------------------------------------------
    def _add_action(self, menu: QMenu, name: str, text: str, slot: Callable[[], object],
                    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
                    ) -> QAction:
        """One menu item: its object name, text, slot (called without arguments) and key."""
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        # One line per item: other parts add theirs here the same way.
        self.file_menu = file_menu = bar.addMenu(_("&File"))
        self._add_action(file_menu, "fileSchools", _("&Schools…"), self.show_schools,
                         "Ctrl+Shift+S")
        self._add_action(file_menu, "fileStaff", _("&Teachers and specialists…"),
                         self.show_staff, "Ctrl+Shift+T")
        file_menu.addAction(file_actions.import_action(self))
        file_menu.addAction(file_actions.new_year_action(self))
        file_menu.addSeparator()
        self._add_action(file_menu, "fileBackup", _("&Back up the database…"), self.backup,
                         "Ctrl+Shift+B")
        file_menu.addSeparator()
        # Ctrl+Q everywhere (Windows defines no standard Quit key).
        quit_action = self._add_action(file_menu, "fileQuit", _("&Quit"), self.close, "Ctrl+Q")
        quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)

        go_menu = bar.addMenu(_("&Go"))
        for action in self.go_actions:
            go_menu.addAction(action)

        language_menu = bar.addMenu(_("&Language"))
        group = QActionGroup(self)
        for lang in LANGUAGES:
            action = QAction(LANGUAGE_NAMES[lang], self)
            action.setCheckable(True)
            action.setChecked(lang == current_language())
            action.setObjectName(f"language_{lang}")
            action.triggered.connect(lambda _c=False, code=lang: self.switch_language(code))
            group.addAction(action)
            language_menu.addAction(action)

        help_menu = bar.addMenu(_("&Help"))
        self._add_action(help_menu, "helpGuide", _("&Guide"), self.show_guide,
                         QKeySequence.StandardKey.HelpContents)
        self._add_action(help_menu, "helpShortcuts", _("&Keyboard shortcuts"),
                         self.show_shortcuts, "Ctrl+F1")
        help_menu.addSeparator()
        self._add_action(help_menu, "helpAbout", _("&About {app}").format(app=APP_NAME),
                         self.show_about)

    # -- sections --------------------------------------------------------------------------
    def section_keys(self) -> list[str]:
        return [entry.key for entry in sections.SECTIONS]

    def current_section(self) -> str:
        return self.section_keys()[max(self.nav.currentRow(), 0)]

    def page(self, key: str) -> QWidget:
        """The page of a section, made the first time it is needed."""
        page = self._pages.get(key)
        if page is None:
            index = self.section_keys().index(key)
            page = sections.create_page(sections.section(key), self.store, self.stack)
            old = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            if old is not None:  # the placeholder put there when the window was built
                self.stack.removeWidget(old)
                old.deleteLater()
            self._pages[key] = page
            # Rebuilt in another language: the page shows what the old one showed.
            restore = getattr(page, "restore_view_state", None)
            if key in self._view_state and callable(restore):
                restore(self._view_state.pop(key))
        return page

    def show_section(self, key: str) -> QWidget:
        row = self.section_keys().index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # calls _row_changed
        else:
            self._row_changed(row)
        page = self._pages[key]
        # Chosen from the keyboard: the page's main field gets the focus (the search box).
        page.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return page

    def view_state(self) -> dict[str, object]:
        """What each page shows (search text, filters), to be shown again after the window
        is rebuilt in another language; pages that were never opened keep theirs."""
        state = dict(self._view_state)
        for key, page in self._pages.items():
            hook = getattr(page, "view_state", None)
            if callable(hook):
                state[key] = hook()
        return state

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        key = self.section_keys()[row]
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        hook = getattr(page, "on_shown", None)
        if callable(hook):
            hook()

    def _pages_can_leave(self) -> bool:
        for page in self._pages.values():
            hook = getattr(page, "can_leave", None)
            if callable(hook) and not hook():
                return False
        return True

    # -- status bar ------------------------------------------------------------------------
    def refresh_status(self) -> None:
        if tasks.is_running():
            return  # a task is using the database; look again next time
        if self._closed:
            return  # a late timer after the window (and perhaps the database) closed
        token = data_token(self.store)
        if token == self._status_token:
            return
        self._status_token = token
        if self.store.installation.role is Role.REGION:
            # What matters at a regional centre: districts that have gone quiet.
            silent = silent_districts(self.store)
            if silent:
                text = ngettext("{count} district silent for more than {days} days",
                                "{count} districts silent for more than {days} days",
                                len(silent)).format(count=len(silent), days=SILENT_DAYS)
            # The peers' rows from storage: the sync package (with its cryptography) is not
            # loaded for the status bar of a window just opened.
            elif not any(row[1] == "district" for row in syncstate.peer_rows(self.store.db)):
                text = _("No district is paired yet (Sync → Pairing)")
            else:
                text = _("Every paired district sent a bundle in the last {days} days").format(
                    days=SILENT_DAYS)
            self.pending_label.setText(text)
            self.pending_label.set_details("\n".join(
                _("{name}: last bundle {when}").format(name=name, when=(last or "—")[:10])
                for name, last in silent[:20]))
            return
        pending = unacknowledged_changes(self.store)
        self.pending_label.setText(ngettext(
            "{count} change not yet acknowledged by the region",
            "{count} changes not yet acknowledged by the region", pending).format(
                count=f"{pending:,}".replace(",", "\u00a0")))

    # -- dialogs ---------------------------------------------------------------------------
    def show_schools(self) -> None:
        from daryn_desktop.gui.schools import SchoolsDialog

        SchoolsDialog(self.store, self).exec()

    def show_staff(self) -> None:
        from daryn_desktop.gui.staff import StaffListDialog

        StaffListDialog(self.store, self).exec()

    def show_shortcuts(self) -> None:
        from daryn_desktop.gui.shortcuts import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def show_guide(self) -> None:
        from daryn_desktop.gui.guide import show_guide

        show_guide(self)

    def backup(self) -> None:
        from daryn_desktop.gui.backup import BackupDialog

        BackupDialog(self.store, self).exec()

    def show_about(self) -> None:
        QMessageBox.about(self, _("About {app}").format(app=APP_NAME), _(
            "{app} {version}\nThe registry and individual road maps of gifted children"
            " (decree No. 997). Works offline; the database is encrypted.").format(
                app=APP_NAME, version=__version__))

    # -- language --------------------------------------------------------------------------
    def switch_language(self, lang: str) -> MainWindow | None:
        """Rebuild the interface in another language at once; the choice is remembered."""
        if lang == current_language():
            return self
        if not self._pages_can_leave():
            for action in self.findChildren(QAction):
                if action.objectName() == f"language_{current_language()}":
                    action.setChecked(True)
            return None
        app = QApplication.instance()
        apply_language(app if isinstance(app, QApplication) else None, lang)
        update_settings(app_paths(self.data_dir), language=lang)
        self._save_geometry()
        window = MainWindow(self.store, section=self.current_section(), data_dir=self.data_dir,
                            view_state=self.view_state())
        window.show()
        self._replacing = True
        self.close()
        self.replaced.emit(window)
        return window

    # -- geometry and closing ----------------------------------------------------------------
    def _restore_geometry(self) -> None:
        settings = load_settings(app_paths(self.data_dir))
        if settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(settings.window_geometry.encode()))
        else:
            # No larger than the screen's free area (a 1366×768 laptop less its task bar).
            fit_to_screen(self, QSize(1280, 760))
        if settings.window_state:
            self.restoreState(QByteArray.fromBase64(settings.window_state.encode()))

    def _save_geometry(self) -> None:
        update_settings(app_paths(self.data_dir),
                        window_geometry=self.saveGeometry().toBase64().toStdString(),
                        window_state=self.saveState().toBase64().toStdString())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        # Another program (the daryn command) may have written while the window was in the
        # background: its changes show when the person comes back.
        if (event.type() == QEvent.Type.ActivationChange and self.isActiveWindow()
                and not self._closed and not tasks.is_running()
                and data_token(self.store) != self._status_token):
            changes.notify_changed()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self._replacing:
            if not self._pages_can_leave():
                event.ignore()
                return
            self._save_geometry()
        self._status_soon.stop()
        self._closed = True
        event.accept()
