"""The Reports section's first page: the year's headline figures and the districts' bundles."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import Role
from daryn_desktop.core.progress import CancelToken
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.model import PlaceName, label_text
from daryn_desktop.core.stats.pupil_tables import H1_TITLE, H2_TITLE
from daryn_desktop.errors import UserError
from daryn_desktop.gui.tasks import BackgroundRunner
from daryn_desktop.i18n import _, current_language
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.statistics import default_request
from daryn_desktop.storage.stats_cache import cached_overview, data_position, remember_overview
from daryn_desktop.storage.stats_overview import headline_overview

SILENT = QColor("#b3261e")


def _work(store: Store, cancel: CancelToken) -> dict:
    # Only the headline figures, counted by SQLite on the worker's own connection: the
    # overview never waits for the six tables.
    with store.reopen() as own, own.stopped_by(cancel):
        return headline_overview(own, default_request(own, ()))


def _figure(value: object) -> str:
    return f"{value:,}".replace(",", "\u00a0") if isinstance(value, int) else "—"


def _change(now: object, before: object) -> str:
    if not isinstance(now, int) or not isinstance(before, int):
        return ""
    diff = now - before
    return _("{sign}{diff} since last year").format(sign="+" if diff > 0 else "",
                                                    diff=_figure(diff))


class OverviewPage(QWidget):
    """Headline numbers of T1, T2 and T5 with the change since last year, overdue work, and
    at the region each district's last bundle (silent ones in red)."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reportsOverview")
        self.store = store
        #: The figures shown (None until the first are counted).
        self.figures_shown: dict | None = None
        self._position = ""
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.grid = QGridLayout()
        self.figures: dict[str, tuple[QLabel, QLabel]] = {}
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.8)
        big.setBold(True)
        for number, (key, text) in enumerate((
                ("total", _("Identified gifted children")),
                ("H1", _(H1_TITLE)), ("H2", _(H2_TITLE)),
                ("covered", _("Pupils with a support measure planned")),
                ("maps", _("Pupils with a road map this year")),
                ("overdue", _("Overdue activities")))):
            value, change = QLabel("…"), QLabel("")
            value.setObjectName(f"overview_{key}")
            value.setFont(big)
            caption = QLabel(text)
            caption.setWordWrap(True)
            # Top-aligned: a caption of one line starts where its neighbour of three does.
            caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            row, column = divmod(number, 3)
            self.grid.addWidget(value, row * 3, column)
            self.grid.addWidget(caption, row * 3 + 1, column)
            self.grid.addWidget(change, row * 3 + 2, column)
            self.figures[key] = (value, change)
        self.districts = QTableWidget(0, 3)
        self.districts.setObjectName("overviewDistricts")
        self.districts.setHorizontalHeaderLabels([_("District"), _("Last bundle received"),
                                                  _("Days since")])
        self.districts.verticalHeader().hide()
        self.districts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.districts.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.districts.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.grid)
        self.districts_title = QLabel(_("Bundles from the districts (red: nothing for more than"
                                        " {days} days)").format(days=d.SILENT_DAYS))
        layout.addWidget(self.districts_title)
        layout.addWidget(self.districts, 1)
        layout.addWidget(self.note)
        region = store.installation.role is Role.REGION
        self.districts.setVisible(region)
        self.districts_title.setVisible(region)
        if not region:
            layout.addStretch(1)
        self._runner = BackgroundRunner(self)
        self._runner.finished.connect(self._counted)
        self._runner.failed.connect(
            lambda error: self.note.setText(error.translated() if isinstance(error, UserError)
                                            else str(error)))

    def refresh(self) -> None:
        """Show the figures: at once when nothing changed since they were last counted (a
        region's 100,000 pupils take seconds to count), otherwise counted anew off the UI
        thread."""
        self.title.setText(_("Academic year {year}, as of today").format(
            year=AcademicYear.containing(date.today()).label))
        self._position = data_position(self.store)
        cached = cached_overview(self.store, self._position)
        if cached is not None:
            self._runner.cancel()
            self.show_figures(cached)
            return
        self.note.setText(_("Counting…"))
        position = self._position
        self._runner.start(lambda cancel: (position, _work(self.store, cancel)))

    def _counted(self, outcome: tuple[str, dict]) -> None:
        position, figures = outcome
        remember_overview(self.store, position, figures)
        self.note.setText("")
        self.show_figures(figures)

    def show_figures(self, figures: dict) -> None:
        self.figures_shown = figures
        lang = current_language()
        for key in ("total", "H1", "H2", "covered", "maps", "overdue"):
            now, before = figures.get(key, (None, None))
            value, change = self.figures[key]
            value.setText(_figure(now))
            change.setText(_change(now, before) if before is not None else "")
        rows = figures.get("districts", [])
        self.districts.setRowCount(len(rows))
        for number, row in enumerate(rows):
            days, last, paired = row.get("days"), row.get("last"), row.get("paired")
            texts = [label_text(PlaceName(row.get("code") or ""), _, lang),
                     str(last) if last is not None
                     else _("no installation paired") if not paired else "—",
                     str(days) if days is not None else "—"]
            silent = paired and (days is None or days > d.SILENT_DAYS)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if silent:
                    item.setForeground(QBrush(SILENT))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.districts.setItem(number, column, item)
