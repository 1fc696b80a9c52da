"""The Reports section: an overview of the year, then every table with its chart.

Tables are computed off the UI thread on a connection of their own (newest request wins);
a double-click on a figure opens the Pupils section on exactly the pupils behind it.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import Role
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.model import Report, Territory, label_text
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.errors import UserError
from daryn_desktop.gui import tasks
from daryn_desktop.gui.changes import Reloader
from daryn_desktop.gui.reports.chart import StatsChart
from daryn_desktop.gui.reports.model import StatsTableModel
from daryn_desktop.gui.reports.overview import OverviewPage
from daryn_desktop.gui.reports.printing import print_landscape
from daryn_desktop.gui.reports.weights import WeightsDialog
from daryn_desktop.gui.tasks import BackgroundRunner, run_after_queued
from daryn_desktop.i18n import _, current_language, gettext_for
from daryn_desktop.reports.statistics import write_xlsx
from daryn_desktop.reports.statistics_pdf import write_pdf
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import districts_with_schools
from daryn_desktop.storage.statistics import (
    Request,
    home_territory,
    keep_record,
    record_choices,
    save_teacher_weights,
    teacher_weights,
)
from daryn_desktop.storage.stats_prepared import Prepared

#: Academic years offered: this one and the four before.
YEARS_BACK = 4
#: Characters the table and school pickers show (a school's full name is 50–80 long; the
#: pickers stay narrow on a 1366×768 screen, their lists as wide as the names).
PICKER_CHARS = 22
#: What the figures are counted from: a notice naming one of them counts them again.
STATS_TABLES = ("pupils", "schools", "pupil_categories", "achievements", "road_maps",
                "activities", "reviews", "staff", "peers", "bundle_log", "district_figures",
                "purges")


def _narrow(combo: QComboBox, chars: int = PICKER_CHARS) -> None:
    """A picker as wide as ``chars`` characters, whatever its entries, the whole current
    entry in its tooltip."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    combo.currentTextChanged.connect(combo.setToolTip)


def _list_fits(combo: QComboBox) -> None:
    """The picker's list as wide as its longest entry (some styles keep it as narrow as the
    picker itself)."""
    view = combo.view()
    view.setMinimumWidth(view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width()
                         + 2 * view.frameWidth())


class ReportsSection(QWidget):
    """Overview first; then a table, its territory, year and language, with a chart."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reportsSection")
        self.store = store
        self.report: Report | None = None
        self.today = date.today()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("reportsTabs")
        self.overview = OverviewPage(store, self)
        self.tabs.addTab(self.overview, _("Overview"))
        self.tabs.addTab(self._tables_page(), _("Tables"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        # Read on the worker thread and kept there: another table of the same territory,
        # year and day is counted without reading the register again.
        prepared = self._prepared = Prepared(store)
        # Closed on the worker, after the job that may still be using its connection.
        self.destroyed.connect(lambda *_args: run_after_queued(prepared.close))
        self._runner = BackgroundRunner(self)
        self._runner.finished.connect(self._show_report)
        self._runner.failed.connect(self._show_failure)
        self._shown_once = False
        self.reloader = Reloader(self, store, STATS_TABLES, self._data_changed)

    # -- the tables page ---------------------------------------------------------------------
    def _tables_page(self) -> QWidget:
        page = QWidget()
        self.table_combo = QComboBox()
        self.table_combo.setObjectName("reportTable")
        for key in d.ALL_TABLES:
            self.table_combo.addItem(_(d.TABLE_TITLES[key]), key)
        self.district_combo = QComboBox()
        self.district_combo.setObjectName("reportDistrict")
        self.school_combo = QComboBox()
        self.school_combo.setObjectName("reportSchool")
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("reportYear")
        current = AcademicYear.containing(self.today)
        for back in range(YEARS_BACK + 1):
            label = AcademicYear(current.start - back).label
            self.year_combo.addItem(label, label)
        self.lang_combo = QComboBox()
        self.lang_combo.setObjectName("reportLanguage")
        self.lang_combo.addItem("Қазақша", "kk")
        self.lang_combo.addItem("Русский", "ru")
        self.lang_combo.setCurrentIndex(1 if current_language() == "ru" else 0)
        self.lang_combo.setToolTip(_("Language of the report (not of the program)"))
        for combo in (self.table_combo, self.district_combo, self.school_combo):
            _narrow(combo)
        _list_fits(self.table_combo)
        self._fill_districts()

        self.view = QTableView()
        self.view.setObjectName("reportTableView")
        self.model = StatsTableModel(self.view)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header = self.view.horizontalHeader()
        header.setDefaultSectionSize(84)
        # Kazakh headers are long: they wrap on three lines instead of being cut.
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter
                                   | Qt.AlignmentFlag(Qt.TextFlag.TextWordWrap.value))
        header.setFixedHeight(self.fontMetrics().height() * 3 + 10)
        self.view.doubleClicked.connect(lambda index: self.open_pupils(index))
        self.chart = StatsChart()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([640, 420])

        self.status = QLabel()
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        buttons = []
        for name, text, slot in (
                ("reportSaveExcel", _("Save as Excel…"), self.save_excel),
                ("reportSavePdf", _("Save as PDF…"), self.save_pdf),
                ("reportPrint", _("Print…"), self.print_report),
                ("reportWeights", _("Weights…"), self.edit_weights),
                ("reportKeepRecord", _("Keep one record…"), self.keep_one_record)):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(lambda _c=False, s=slot: s())
            buttons.append(button)
        self.keep_button = buttons[-1]
        self.weights_button = buttons[-2]
        self.weights_button.setToolTip(_("How teachers are scored in T4 (measure 15)"))
        self.suppress = QSpinBox()
        self.suppress.setObjectName("reportSuppress")
        self.suppress.setRange(0, 20)
        self.suppress.setValue(d.DEFAULT_SUPPRESS_BELOW)
        self.suppress.setPrefix(_("Withhold counts below "))
        self.suppress.setToolTip(_("In saved and printed files, counts above 0 and below this"
                                   " number are withheld so that no child can be recognised;"
                                   " 0 shows every count. The screen always shows them."))
        self.keep_button.setToolTip(_("The same child in two records: keep one and archive the"
                                      " other as its duplicate"))

        choosers = QGridLayout()
        for column, (title, widget) in enumerate((
                (_("Table"), self.table_combo), (_("District"), self.district_combo),
                (_("School"), self.school_combo), (_("Academic year"), self.year_combo),
                (_("Report language"), self.lang_combo))):
            choosers.addWidget(QLabel(title), 0, column)
            choosers.addWidget(widget, 1, column)
        choosers.setColumnStretch(0, 3)
        choosers.setColumnStretch(2, 2)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.suppress)
        for button in buttons:
            row.addWidget(button)
        layout = QVBoxLayout(page)
        layout.addLayout(choosers)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)
        self.table_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.district_combo.currentIndexChanged.connect(lambda _i: self._district_changed())
        self.school_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.year_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.lang_combo.currentIndexChanged.connect(lambda _i: self._show_current())
        return page

    def _fill_districts(self) -> None:
        inst = self.store.installation
        places = gazetteer()
        lang = current_language()
        self.district_combo.blockSignals(True)
        self.district_combo.clear()
        if inst.role is Role.REGION:
            region = places.find(inst.region_kato)
            self.district_combo.addItem(region.name(lang) if region else inst.region_kato, None)
            for code in districts_with_schools(self.store):
                place = places.find(code)
                self.district_combo.addItem(place.name(lang) if place else code, code)
        else:
            place = places.find(inst.district_kato or "")
            self.district_combo.addItem(place.name(lang) if place else "", inst.district_kato)
        self.district_combo.blockSignals(False)
        self.district_combo.setToolTip(self.district_combo.currentText())
        _list_fits(self.district_combo)
        self._fill_schools()

    def _fill_schools(self) -> None:
        district = self.district_combo.currentData()
        self.school_combo.blockSignals(True)
        self.school_combo.clear()
        self.school_combo.addItem(_("All schools"), None)
        if district:
            for name, school_id in self.store.repos.schools.choices(district):
                self.school_combo.addItem(name, (school_id, name))
        self.school_combo.blockSignals(False)
        self.school_combo.setToolTip(self.school_combo.currentText())
        _list_fits(self.school_combo)

    def _district_changed(self) -> None:
        self._fill_schools()
        self.refresh()

    def request(self) -> Request:
        """What the choosers ask for."""
        year = AcademicYear.parse(self.year_combo.currentData())
        school = self.school_combo.currentData()
        district = self.district_combo.currentData()
        if school:
            territory = Territory("school", school[0], school[1])
        elif district and self.store.installation.role is Role.REGION:
            territory = Territory("district", district)
        else:
            territory = home_territory(self.store)
        return Request(territory, year, d.default_as_of(year, self.today),
                       (self.table_combo.currentData(),))

    # -- computing -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Compute the chosen table again (off the UI thread)."""
        request = self.request()
        self.status.setText(_("Counting…"))
        prepared = self._prepared
        self._runner.start(lambda cancel: prepared.report(request, cancel))

    def _show_report(self, report: Report) -> None:
        self.report = report
        self._show_current()

    def _show_failure(self, error: Exception) -> None:
        self.status.setText(error.translated() if isinstance(error, UserError) else str(error))

    def report_lang(self) -> str:
        return self.lang_combo.currentData()

    def _show_current(self) -> None:
        report = self.report
        table = report.tables[0] if report and report.tables else None
        lang = self.report_lang()
        self.model.set_table(table, lang)
        self.chart.show_table(table, lang)
        for column in range(len(table.label_titles) if table else 0):
            self.view.resizeColumnToContents(column)
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), 240))
        self.keep_button.setVisible(table is not None and table.key == d.DUPLICATES)
        self.weights_button.setVisible(table is not None and table.key == d.T4)
        if report is not None and table is not None:
            t = gettext_for(lang)
            lines = [label_text(n, t, lang) for n in table.notes]
            lines.insert(0, _("{territory}, {year}, as of {date}. Double-click a figure to see"
                              " the pupils behind it.").format(
                territory=label_text(report.territory.label, t, lang), year=report.academic_year,
                date=report.as_of.strftime("%d.%m.%Y")))
            self.status.setText("\n".join(lines))

    # -- the pupils behind a figure ----------------------------------------------------------
    def open_pupils(self, index) -> None:
        cell = self.model.cell(index)
        if cell is None or not cell.members:
            return
        header = self.model.headerData(index.column(), Qt.Orientation.Horizontal)
        label = f"{self.model.row_label(index.row())} — {header}"
        window = self.window()
        show = getattr(window, "show_section", None)
        if show is None:
            return
        pupils = show("pupils")
        pupils.show_only(cell.members, label)

    # -- files and paper ---------------------------------------------------------------------
    def _whole_report(self) -> Report | None:
        """The chosen table for the chosen territory and year (already computed)."""
        if self.report is None:
            QMessageBox.information(self, _("Reports"), _("The table is still being counted."))
        return self.report

    def _suppress(self) -> int:
        # Files leave the office: small counts are withheld (lists with names are not counts).
        return self.suppress.value()

    def save_excel(self) -> None:
        report = self._whole_report()
        if report is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save as Excel"), f"{report.tables[0].key}-{report.academic_year}.xlsx",
            _("Excel workbook (*.xlsx)"))
        if not path:
            return
        weights = teacher_weights(self.store)
        self._run_file(lambda: write_xlsx(report, path, lang=self.report_lang(),
                                          suppress_below=self._suppress(), weights=weights),
                       path)

    def save_pdf(self) -> None:
        report = self._whole_report()
        if report is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save as PDF"), f"{report.tables[0].key}-{report.academic_year}.pdf",
            _("PDF document (*.pdf)"))
        if not path:
            return
        self._run_file(lambda: write_pdf(report, path, lang=self.report_lang(),
                                         suppress_below=self._suppress()), path)

    def _run_file(self, write, path: str) -> None:
        tasks.start_task(self, _("Writing {file}…").format(file=path),
                         lambda _report, _cancel: write(),
                         lambda _result: self.status.setText(
                             _("Saved: {path}").format(path=path)),
                         tasks.user_errors(self._file_failed), writes_data=False)

    def _file_failed(self, error: UserError) -> None:
        QMessageBox.warning(self, _("Reports"), error.translated())

    def print_report(self) -> None:
        report = self._whole_report()
        if report is None:
            return
        # The folder outlives this method: the PDF is written on the worker, printed after.
        folder = Path(tempfile.mkdtemp(prefix="daryn-print-"))
        path = folder / "report.pdf"
        title = _(d.TABLE_TITLES[report.tables[0].key])

        def printed(_result: object) -> None:
            try:
                print_landscape(self, path.read_bytes(), title)
            finally:
                shutil.rmtree(folder, ignore_errors=True)

        def failed(error: Exception) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            tasks.user_errors(self._file_failed)(error)

        tasks.start_task(self, _("Preparing the printout…"), lambda _r, _c: write_pdf(
            report, path, lang=self.report_lang(), suppress_below=self._suppress()),
            printed, failed, writes_data=False)

    def edit_weights(self) -> None:
        """Change the points by level and degree that rank the teachers of T4."""
        dialog = WeightsDialog(teacher_weights(self.store), self)
        if dialog.exec() == WeightsDialog.DialogCode.Accepted:
            save_teacher_weights(self.store, dialog.weights())
            self.refresh()

    # -- the same child in two records -------------------------------------------------------
    def keep_one_record(self) -> None:
        """For the selected line of the duplicates list: keep one record, archive the rest."""
        index = self.view.currentIndex()
        table = self.model.table
        if table is None or table.key != d.DUPLICATES or not index.isValid():
            QMessageBox.information(self, _("Reports"),
                                    _("Select a line of the list of duplicates first."))
            return
        row = table.rows[index.row()]
        ids = list(row.cells["count"].members)
        names = record_choices(self.store, ids)
        choices = [f"{name} — {school}" for _id, name, school in names]
        choice, ok = QInputDialog.getItem(self, _("Keep one record"),
                                          _("Which record is the child's? The others are"
                                            " archived as its duplicates."), choices, 0, False)
        if not ok:
            return
        keep = names[choices.index(choice)]
        keep_record(self.store, keep[0], ids, reason=_("Duplicate of {name} ({school})").format(
            name=keep[1], school=keep[2]))
        self.refresh()

    # -- section hooks -----------------------------------------------------------------------
    def _data_changed(self) -> None:
        """What the figures are counted from changed: count them again (only the overview
        until the tables page has been opened)."""
        self.overview.refresh()
        if self._shown_once:
            self.refresh()

    def on_shown(self) -> None:
        self.overview.refresh()
        if not self._shown_once:
            self._shown_once = True
            self.refresh()

