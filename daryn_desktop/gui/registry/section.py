"""The Pupils section: search as you type, filters, the lazily filled table and a live count."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.gui.changes import Reloader
from daryn_desktop.gui.editor.choices import SharedChoices
from daryn_desktop.gui.exports import excel_button, save_as_excel
from daryn_desktop.gui.models import Column, RegistryModel, format_count
from daryn_desktop.gui.registry.filters import FilterBar
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.storage.registry import has_pupils, key_of

if TYPE_CHECKING:
    from daryn_desktop.gui.editor.pupil_editor import PupilEditor
    from daryn_desktop.storage.database import Store

#: What the list shows or filters by: a write to one of these reloads it.
REGISTRY_TABLES = ("pupils", "schools", "pupil_categories", "giftedness_areas", "achievements",
                   "road_maps", "participants", "research_projects", "support_records",
                   "attachments", "guardians", "diagnostics")
#: Typing pauses this long before the search runs, so that a fast typist is not slowed down.
SEARCH_DELAY_MS = 80
#: A search starts from the second character: one letter or digit matches most of a large
#: registry, which would only make the first keystroke slow.
MIN_SEARCH_CHARS = 2
#: The table's columns as the spreadsheet export names them.
EXPORT_COLUMNS = {Column.NAME: "name", Column.IIN: "iin", Column.SCHOOL: "school",
                  Column.GRADE: "grade", Column.PLACE: "place", Column.CATEGORIES: "categories",
                  Column.GIFTEDNESS: "giftedness", Column.ACHIEVEMENTS: "achievements",
                  Column.ROAD_MAP: "road_map"}
COLUMN_WIDTHS = {Column.NAME: 230, Column.IIN: 100, Column.SCHOOL: 200, Column.GRADE: 55,
                 Column.PLACE: 70, Column.CATEGORIES: 140, Column.GIFTEDNESS: 130,
                 Column.ACHIEVEMENTS: 90, Column.ROAD_MAP: 90}


def shortcut_text(sequence: QKeySequence | QKeySequence.StandardKey) -> str:
    """A shortcut as the person's keyboard shows it ("Ctrl+F")."""
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


class PupilsSection(QWidget):
    """The registry of pupils (the main window's first section)."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pupilsSection")
        self.store = store
        self.editor: PupilEditor | None = None
        self.choices = SharedChoices(store)
        # Written elsewhere (an editor, an import, another section): shown without Refresh.
        self.reloader = Reloader(self, store, REGISTRY_TABLES, self._reread)

        self.search = QLineEdit(self)
        self.search.setObjectName("pupilSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(_("Search by name, IIN or school ({shortcut})").format(
            shortcut=shortcut_text(QKeySequence.StandardKey.Find)))
        self.search.installEventFilter(self)
        self.setFocusProxy(self.search)

        self.new_action = QAction(_("&New pupil"), self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_action.triggered.connect(self.new_pupil)
        self.open_action = QAction(_("&Open pupil"), self)
        self.open_action.triggered.connect(self.open_current)
        self.find_action = QAction(_("Find"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_action.triggered.connect(self.focus_search)
        self.addActions([self.new_action, self.open_action, self.find_action])

        new_button = QPushButton(_("&New pupil ({shortcut})").format(
            shortcut=shortcut_text(QKeySequence.StandardKey.New)), self)
        new_button.setObjectName("newPupilButton")
        new_button.clicked.connect(self.new_action.trigger)
        self.open_button = QPushButton(_("Open (Enter)"), self)
        self.open_button.setObjectName("openPupilButton")
        self.open_button.clicked.connect(lambda _checked=False: self.open_current())

        self.filters = FilterBar(store, self)
        self.model = RegistryModel(store, self, query=self.filters.query())
        self.table = QTableView(self)
        self.table.setObjectName("pupilTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSortIndicator(Column.NAME, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self.model.sort)
        header.setStretchLastSection(True)
        for column, width in COLUMN_WIDTHS.items():
            # Never narrower than the header's words in this language («Ауыл / қала»).
            self.table.setColumnWidth(column, max(width, header.sectionSizeFromContents(
                column).width()))
        self.table.activated.connect(lambda index: self.open_row(index.row()))

        self.count_label = QLabel(self)
        self.count_label.setObjectName("pupilCount")
        self.count_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(new_button)
        top.addWidget(self.open_button)
        self.empty_bar = self._first_steps()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.empty_bar)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        hint = QLabel(_("Enter opens the selected pupil; {new} adds one.").format(
            new=shortcut_text(QKeySequence.StandardKey.New)), self)
        hint.setEnabled(False)
        bottom.addWidget(hint)
        bottom.addWidget(excel_button(self, "registrySaveExcel", self.save_excel))
        layout.addLayout(bottom)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.filters.changed.connect(self.apply)
        self._update_count()

    def _first_steps(self) -> QWidget:
        """Shown while the registry is empty (a new installation): where to begin."""
        box = QFrame(self)
        box.setObjectName("firstSteps")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setStyleSheet("QFrame#firstSteps { background: #eef5ff; }")
        title = QLabel(_("What to do first"), box)
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        text = QLabel(_("The registry is empty. First add the schools of your territory (File"
                        " → Schools) and their teachers. Then the pupils: import the class lists"
                        " the schools keep as Excel files (Kundelik, BilimClass, НОБД), or add"
                        " them one by one with “New pupil”. The guide shows every step with"
                        " pictures, and how to pair with the region."), box)
        text.setWordWrap(True)
        guide = QPushButton(_("Open the guide: first steps"), box)
        guide.setObjectName("firstStepsGuide")
        guide.clicked.connect(lambda _checked=False: self.show_first_steps())
        add = QPushButton(_("Add the first pupil"), box)
        add.setObjectName("firstStepsNewPupil")
        add.clicked.connect(self.new_action.trigger)
        lists = excel_button(box, "registryImportButton", self.import_lists,
                             _("Import class lists from Excel…"))
        buttons = QHBoxLayout()
        buttons.addWidget(lists)
        buttons.addWidget(add)
        buttons.addWidget(guide)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addLayout(buttons)
        box.hide()
        return box

    def show_first_steps(self) -> None:
        from daryn_desktop.gui.guide import show_guide

        show_guide(self, "first-start")

    # -- searching -------------------------------------------------------------------------
    def apply(self) -> None:
        """Run the search text and the filters now."""
        self._run_search(reread=False)

    def _reread(self) -> None:
        """The data changed: the places offered and the list are read again."""
        self.filters.load_places()
        self._run_search(reread=True)

    def _run_search(self, *, reread: bool) -> None:
        self._timer.stop()
        query = self.filters.query(self.search_text())
        # A keystroke that does not change the search (a first letter, a trailing space)
        # leaves the table as it is, unless the data changed.
        if reread or query != self.model.query or self.reloader.stale:
            self.model.refresh(query)
            self.reloader.fresh()
        self._update_count()
        if self.model.total and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def search_text(self) -> str:
        """The text searched for: what is typed, once it is long enough to mean something."""
        text = self.search.text().strip()
        return text if len(text) >= MIN_SEARCH_CHARS else ""

    def _update_count(self) -> None:
        n = self.model.total
        # Only a registry with no pupil at all (not a search that finds none).
        self.empty_bar.setVisible(n == 0 and not has_pupils(self.store))
        text = ngettext("{count} pupil", "{count} pupils", n).format(count=format_count(n))
        if self.filters.is_filtering() or self.search_text():
            text = _("Found: {count}").format(count=text)
        elif self.search.text().strip():
            text = _("{count} — type one more letter to search").format(count=text)
        self.count_label.setText(text)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # From the search box, Down and Enter go to the results, as in a browser's address bar.
        if (watched is self.search and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            if self._timer.isActive():
                self.apply()
            if self.model.total == 1 and event.key() != Qt.Key.Key_Down:
                # The one pupil found is the one meant: Enter opens them at once.
                self.table.selectRow(0)
                self.open_row(0)
                return True
            if self.model.total:
                self.table.setFocus(Qt.FocusReason.TabFocusReason)
                if not self.table.currentIndex().isValid():
                    self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    def show_only(self, ids: tuple[str, ...], label: str) -> None:
        """Show exactly these pupils (the people behind a report's figure), with a chip
        that names the figure and gives everyone back when pressed."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.filters.clear()
        self.filters.set_only(tuple(ids), label)

    # -- spreadsheets ----------------------------------------------------------------------
    def save_excel(self) -> None:
        """Every pupil of the current search and filters, with the visible columns."""
        # openpyxl is loaded when a spreadsheet is made, not at the start.
        from daryn_desktop.reports.tables_xlsx import save_registry

        columns = [EXPORT_COLUMNS[c] for c in Column if not self.table.isColumnHidden(c)]
        query, model = self.model.query, self.model
        return save_as_excel(self, _("pupils.xlsx"), lambda path, report, cancel: save_registry(
            self.store, query, path, columns=columns, sort=model.sort_column,
            descending=model.descending, progress=report, cancel=cancel))

    def import_lists(self) -> None:
        from daryn_desktop.gui.imports.wizard import ImportWizard

        ImportWizard(self.store, self).exec()

    # -- the editor ------------------------------------------------------------------------
    def open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.open_row(index.row())

    def open_row(self, row: int) -> None:
        pupil_id = self.model.pupil_id(row)
        if pupil_id:
            self.open_pupil(pupil_id)

    def open_pupil(self, pupil_id: str | None) -> PupilEditor:
        """Open the editor (for a new pupil when ``pupil_id`` is None)."""
        # Imported on first use: the registry shows sooner when the program starts.
        from daryn_desktop.gui.editor.pupil_editor import PupilEditor

        editor = PupilEditor(self.store, pupil_id, self, school_id=self.filters.school.value(),
                             choices=self.choices)
        editor.saved.connect(self._after_save)
        editor.finished.connect(lambda _result: self._editor_closed(editor))
        self.editor = editor
        editor.open()
        return editor

    def new_pupil(self) -> PupilEditor:
        return self.open_pupil(None)

    def _editor_closed(self, editor: PupilEditor) -> None:
        if self.editor is editor:
            self.editor = None
        editor.deleteLater()
        self.table.setFocus()

    def _after_save(self, pupil_id: str) -> None:
        self.filters.load_places()
        self.apply()
        self.select_pupil(pupil_id)

    def select_pupil(self, pupil_id: str) -> bool:
        """Select a pupil's row if the current search and filters show it."""
        key = key_of(self.store, pupil_id)
        position = self.model.position_of(key) if key is not None else None
        if position is None:
            return False
        index = self.model.index(position, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    # -- section hooks ---------------------------------------------------------------------
    def view_state(self) -> dict[str, object]:
        """The search text and the filters, kept when the window is rebuilt in another
        language."""
        return {"search": self.search.text(), "filters": self.filters.values()}

    def restore_view_state(self, state: dict[str, object]) -> None:
        filters = state.get("filters")
        if isinstance(filters, dict):
            self.filters.set_values(filters)
        search = state.get("search")
        if isinstance(search, str) and search:
            self.search.setText(search)
            self.apply()

    def on_shown(self) -> None:
        """Show changes made elsewhere (another section, an import) when coming back."""
        self.reloader.reload_if_stale()

    def can_leave(self) -> bool:
        return self.editor is None or self.editor.confirm_discard()
