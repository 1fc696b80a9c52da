"""The main window: section navigation, menus with shortcuts, and the status bar."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from daryn_desktop import APP_NAME, __version__
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.gui import file_actions, sections, tasks
from daryn_desktop.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_language, ngettext
from daryn_desktop.paths import app_paths
from daryn_desktop.settings import load_settings, update_settings
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.health import unacknowledged_changes
from daryn_desktop.storage.registry import data_token, use_browsing_cache

#: How often the status bar looks whether the database changed (cheap: one PRAGMA).
STATUS_POLL_MS = 3000


#: The navigation list's narrowest width, in pixels (wider when a language needs it).
NAV_MIN_WIDTH = 210

class MainWindow(QMainWindow):
    """Sections on the left, the current section's page on the right."""

    #: Emitted with the new window after a language switch rebuilt the interface.
    replaced = Signal(object)

    def __init__(self, store: Store, *, section: str = "pupils", data_dir: str | None = None):
        super().__init__()
        self.setObjectName("mainWindow")
        self.store = store
        self.data_dir = data_dir
        use_browsing_cache(store)
        self._replacing = False
        self._pages: dict[str, QWidget] = {}
        inst = store.installation
        self.setWindowTitle(_("{app} — {name}").format(app=APP_NAME, name=inst.name))

        self.nav = QListWidget(self)
        self.nav.setObjectName("sectionList")
        self.nav.setStyleSheet("QListWidget { font-size: 11pt; }"
                               " QListWidget::item { padding: 9px 8px; }")
        self.stack = QStackedWidget(self)
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
        # As wide as the longest section name in this language (Kazakh names are long), so
        # that none is cut and no scroll bar appears.
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widest = self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 12
        self.nav.setFixedWidth(max(NAV_MIN_WIDTH, widest))
        self.nav.currentRowChanged.connect(self._row_changed)
        body = QWidget(self)
        layout = QHBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self._build_menus()

        place = gazetteer().find(inst.district_kato or inst.region_kato)
        territory = place.name(current_language()) if place else ""
        self.db_label = QLabel(_("Database: {path}").format(path=store.path.name), self)
        self.db_label.setObjectName("statusDatabase")
        self.db_label.setToolTip(str(store.path))
        self.role_label = QLabel(_("{role} — {territory}").format(role=inst.role.label,
                                                                  territory=territory), self)
        self.role_label.setObjectName("statusRole")
        self.pending_label = QLabel("…", self)
        self.pending_label.setObjectName("pendingChanges")
        status = self.statusBar()
        status.addWidget(self.db_label)
        status.addWidget(self.role_label)
        status.addPermanentWidget(self.pending_label)
        self._status_token: tuple[int, int] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(STATUS_POLL_MS)
        self._timer.timeout.connect(self.refresh_status)
        self._timer.start()
        # Counted after the window is on screen: on a large change log it takes a moment.
        QTimer.singleShot(0, self.refresh_status)

        self._restore_geometry()
        self.show_section(section)

    # -- menus -----------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        schools = QAction(_("&Schools…"), self)
        schools.setShortcut(QKeySequence("Ctrl+Shift+S"))
        schools.triggered.connect(self.show_schools)
        staff = QAction(_("&Teachers and specialists…"), self)
        staff.setShortcut(QKeySequence("Ctrl+Shift+T"))
        staff.triggered.connect(self.show_staff)
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        quit_action.triggered.connect(self.close)
        for action in (schools, staff):
            file_menu.addAction(action)
        file_menu.addAction(file_actions.import_action(self))
        file_menu.addAction(file_actions.new_year_action(self))
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

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
        keys = QAction(_("&Keyboard shortcuts"), self)
        keys.setShortcut(QKeySequence.StandardKey.HelpContents)
        keys.triggered.connect(self.show_shortcuts)
        about = QAction(_("&About {app}").format(app=APP_NAME), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(keys)
        help_menu.addAction(about)

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
            self.stack.removeWidget(old)
            old.deleteLater()
            self._pages[key] = page
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
        token = data_token(self.store)
        if token == self._status_token:
            return
        self._status_token = token
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
        lines = [_("Keyboard shortcuts"), ""]
        for number, entry in enumerate(sections.SECTIONS, start=1):
            lines.append(f"Ctrl+{number}\t{_(entry.title)}")
        lines += [
            _("{key}\tSearch pupils").format(key="Ctrl+F"),
            _("{key}\tNew pupil").format(key="Ctrl+N"),
            _("{key}\tOpen the selected pupil").format(key="Enter"),
            _("{key}\tSave the pupil").format(key="Ctrl+S"),
            _("{key}\tUndo / redo in the pupil editor").format(key="Ctrl+Z / Ctrl+Y"),
            _("{key}\tTabs of the pupil editor").format(key="Ctrl+1 … Ctrl+7"),
            _("{key}\tClose the editor or dialog").format(key="Esc"),
            _("{key}\tSchools").format(key="Ctrl+Shift+S"),
            _("{key}\tTeachers and specialists").format(key="Ctrl+Shift+T"),
            _("{key}\tQuit").format(key="Ctrl+Q"),
        ]
        box = QMessageBox(QMessageBox.Icon.Information, _("Keyboard shortcuts"),
                          "\n".join(lines[2:]), QMessageBox.StandardButton.Close, self)
        box.setObjectName("shortcutsBox")
        box.exec()

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
        from daryn_desktop.gui.app import apply_language

        apply_language(QApplication.instance(), lang)
        update_settings(app_paths(self.data_dir), language=lang)
        self._save_geometry()
        window = MainWindow(self.store, section=self.current_section(), data_dir=self.data_dir)
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
            self.resize(1280, 760)
        if settings.window_state:
            self.restoreState(QByteArray.fromBase64(settings.window_state.encode()))

    def _save_geometry(self) -> None:
        update_settings(app_paths(self.data_dir),
                        window_geometry=bytes(self.saveGeometry().toBase64()).decode(),
                        window_state=bytes(self.saveState().toBase64()).decode())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self._replacing:
            if not self._pages_can_leave():
                event.ignore()
                return
            self._save_geometry()
        self._timer.stop()
        event.accept()
