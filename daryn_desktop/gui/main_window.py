"""The main window: the pupil registry with search, and a status bar."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop import APP_NAME
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.gui.models import PupilTableModel
from daryn_desktop.i18n import _, current_language, ngettext
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.health import unacknowledged_changes
from daryn_desktop.storage.search import PupilQuery

#: Typing pauses this long before the search runs, so that fast typists are not slowed down.
SEARCH_DELAY_MS = 120


class MainWindow(QMainWindow):
    def __init__(self, store: Store):
        super().__init__()
        self.setObjectName("mainWindow")
        self.store = store
        inst = store.installation
        place = gazetteer().find(inst.district_kato or inst.region_kato)
        territory = place.name(current_language()) if place else ""
        self.setWindowTitle(f"{APP_NAME} — {inst.name}")

        self.search = QLineEdit()
        self.search.setObjectName("pupilSearch")
        self.search.setPlaceholderText(_("Search by name, IIN or school (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.model = PupilTableModel(store, self)
        self.table = QTableView()
        self.table.setObjectName("pupilTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.count_label = QLabel()
        self.count_label.setObjectName("pupilCount")

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)
        self.setCentralWidget(body)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)

        status = self.statusBar()
        status.addWidget(QLabel(_("Database: {path}").format(path=store.path.name)))
        status.addWidget(QLabel(f"{inst.role.label} — {territory}"))
        pending = unacknowledged_changes(store)
        status.addPermanentWidget(QLabel(ngettext(
            "{count} change not yet acknowledged by the region",
            "{count} changes not yet acknowledged by the region", pending).format(count=pending)))
        self._update_count()
        self.resize(1100, 700)

    def apply_search(self) -> None:
        self.model.refresh(PupilQuery(text=self.search.text()))
        self._update_count()

    def _update_count(self) -> None:
        n = self.model.total
        self.count_label.setText(ngettext("{count} pupil", "{count} pupils", n).format(
            count=f"{n:,}".replace(",", "\u00a0")))
