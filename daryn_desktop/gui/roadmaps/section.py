"""The main window's "Road maps" section: the list with filters, due and overdue work, printing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import RoadMapStatus
from daryn_desktop.gui.changes import Reloader
from daryn_desktop.gui.exports import excel_button, save_as_excel
from daryn_desktop.gui.files import offer_to_open, save_file
from daryn_desktop.gui.flow_layout import FlowLayout
from daryn_desktop.gui.roadmaps.editor import RoadMapEditor, show_error
from daryn_desktop.gui.roadmaps.models import DueTableModel, RoadMapListModel
from daryn_desktop.gui.roadmaps.templates_dialog import TemplatesDialog
from daryn_desktop.gui.tasks import start_task, user_errors
from daryn_desktop.gui.widgets import fit_to_screen
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.reports.batch import describe, print_road_maps
from daryn_desktop.reports.pupil_list import print_pupil_list
from daryn_desktop.reports.tables_xlsx import save_activities, save_road_maps, save_school_list
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.roadmaps import RoadMapFilter, RoadMaps

SEARCH_DELAY_MS = 150
#: What the lists show: a write to one of these reloads them.
ROAD_MAP_TABLES = ("road_maps", "goals", "activities", "reviews", "amendments", "pupils",
                   "schools", "staff")
#: How many characters of a school's name the school filter shows.
SCHOOL_CHARS = 22


class RoadMapDialog(QDialog):
    """A pupil's road-map editor in its own window, opened from the lists.

    It fills a small screen (at least eight activities show at 1366×768) and has one
    *Save* (also ``Ctrl+S``), the editor's own.
    """

    def __init__(self, store: Store, pupil_id: str, academic_year: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("roadMapDialog")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.editor = RoadMapEditor(store, pupil_id, self, academic_year=academic_year)
        self.setWindowTitle(_("Road map — {name}").format(name=self.editor.pupil.full_name))
        save = QAction(_("Save"), self)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.triggered.connect(lambda _checked=False: self.editor.save())
        self.addAction(save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.editor)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(1280, 860))

    def reject(self) -> None:
        if self.editor.can_leave():
            super().reject()


class RoadMapsSection(QWidget):
    """All road maps: filters by year, status and school; due this month; overdue."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("roadMapsSection")
        self.store = store
        self.maps = RoadMaps(store)

        self.year_box = QComboBox()
        self.year_box.setObjectName("roadMapsYear")
        current = AcademicYear.containing(date.today())
        years = sorted({*self.maps.years(), current.label, current.next().label}, reverse=True)
        self.year_box.addItem(_("All years"), None)
        for label in years:
            self.year_box.addItem(label, label)
        self.year_box.setCurrentIndex(self.year_box.findData(current.label))
        self.status_box = QComboBox()
        self.status_box.setObjectName("roadMapsStatus")
        self.status_box.addItem(_("Any status"), None)
        for status in RoadMapStatus:
            self.status_box.addItem(status.label, status.value)
        self.school_box = QComboBox()
        self.school_box.setObjectName("roadMapsSchool")
        self.school_box.addItem(_("All schools"), None)
        # A school's full name («… атындағы жалпы білім беретін мектеп-гимназиясы» КММ) is
        # long: the box stays narrow (its list is as wide as the names).
        self.school_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.school_box.setMinimumContentsLength(SCHOOL_CHARS)
        for school in store.repos.schools.all():
            if not school.archived:
                self.school_box.addItem(school.name, school.id)
        self.search = QLineEdit()
        self.search.setObjectName("roadMapsSearch")
        self.search.setPlaceholderText(_("Search by name or IIN"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.search.fontMetrics().averageCharWidth() * 20)

        filters = QHBoxLayout()
        for label, widget in ((_("Year:"), self.year_box), (_("Status:"), self.status_box),
                              (_("School:"), self.school_box)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)

        self.list_model = RoadMapListModel(self.maps, self)
        self.list_view = self._table("roadMapsList", self.list_model)
        self.due_model = DueTableModel(
            lambda limit, offset: self.maps.due_in_month(*self._month(), self._due_filter(),
                                                         limit=limit, offset=offset),
            lambda: self.maps.count_due_in_month(*self._month(), self._due_filter()), self)
        self.due_view = self._table("roadMapsDue", self.due_model)
        self.overdue_model = DueTableModel(
            lambda limit, offset: self.maps.overdue(date.today(), self._due_filter(),
                                                    limit=limit, offset=offset),
            lambda: self.maps.count_overdue(date.today(), self._due_filter()), self)
        self.overdue_view = self._table("roadMapsOverdue", self.overdue_model)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.list_view, _("Road maps"))
        self.tabs.addTab(self.due_view, _("Due this month"))
        self.tabs.addTab(self.overdue_view, _("Overdue"))

        self.count_label = QLabel()
        self.count_label.setObjectName("roadMapsCount")
        self.print_button = QPushButton(_("Print the list's road maps…"))
        self.print_button.setObjectName("roadMapsPrint")
        self.print_button.clicked.connect(lambda _checked=False: self.print_batch())
        self.pupils_pdf_button = QPushButton(_("Gifted pupils of the school (PDF)…"))
        self.pupils_pdf_button.setObjectName("roadMapsPupilList")
        self.pupils_pdf_button.clicked.connect(lambda _checked=False: self.print_school_list())
        self.templates_button = QPushButton(_("Templates…"))
        self.templates_button.setObjectName("roadMapsTemplates")
        self.templates_button.clicked.connect(lambda _checked=False: self.edit_templates())
        self.excel_button = excel_button(self, "roadMapsSaveExcel", self.save_excel)
        self.pupils_excel_button = excel_button(
            self, "roadMapsPupilListExcel", self.save_school_list_excel,
            _("Gifted pupils of the school (Excel)…"))
        # The buttons wrap onto a second row in a narrow window (their Kazakh and Russian
        # texts are long): one row would not fit a 1366×768 screen.
        buttons = FlowLayout()
        for b in (self.templates_button, self.excel_button, self.pupils_excel_button,
                  self.pupils_pdf_button, self.print_button):
            buttons.addWidget(b)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignTop)
        bottom.addLayout(buttons, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        for box in (self.year_box, self.status_box, self.school_box):
            box.currentIndexChanged.connect(self.refresh)
        # Written elsewhere (the road-map dialog, the registry, a sync): shown without asking.
        self.reloader = Reloader(self, store, ROAD_MAP_TABLES, self.refresh)
        self.refresh()

    def _table(self, name: str, model) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        view.doubleClicked.connect(lambda index, m=model: self._open_row(m, index.row()))
        return view

    # -- filters ---------------------------------------------------------------------------
    def current_filter(self) -> RoadMapFilter:
        return RoadMapFilter(academic_year=self.year_box.currentData(),
                             status=self.status_box.currentData(),
                             school_id=self.school_box.currentData(), text=self.search.text())

    def _due_filter(self) -> RoadMapFilter:
        return RoadMapFilter(school_id=self.school_box.currentData(), text=self.search.text())

    @staticmethod
    def _month() -> tuple[int, int]:
        today = date.today()
        return today.year, today.month

    def refresh(self) -> None:
        self.reloader.fresh()
        self._read_on = date.today()
        self.list_model.refresh(self.current_filter())
        self.due_model.refresh()
        self.overdue_model.refresh()
        self.tabs.setTabText(1, _("Due this month ({count})").format(count=self.due_model.total))
        self.tabs.setTabText(2, _("Overdue ({count})").format(count=self.overdue_model.total))
        self.count_label.setText(ngettext("{count} road map", "{count} road maps",
                                          self.list_model.total).format(
            count=self.list_model.total))
        self.print_button.setEnabled(self.list_model.total > 0)
        self.pupils_pdf_button.setEnabled(self.school_box.currentData() is not None)
        self.pupils_excel_button.setEnabled(self.school_box.currentData() is not None)

    def on_shown(self) -> None:
        """Called by the main window each time the section is shown: read again if the data
        changed meanwhile, or the day did (what is due this month, what is overdue)."""
        if not self.reloader.reload_if_stale() and date.today() != self._read_on:
            self.refresh()

    def view_state(self) -> dict[str, object]:
        """The filters, kept when the window is rebuilt in another language."""
        return {"year": self.year_box.currentData(), "status": self.status_box.currentData(),
                "school": self.school_box.currentData(), "search": self.search.text(),
                "tab": self.tabs.currentIndex()}

    def restore_view_state(self, state: dict[str, object]) -> None:
        for key, box in (("year", self.year_box), ("status", self.status_box),
                         ("school", self.school_box)):
            index = box.findData(state.get(key))
            if index >= 0:
                box.blockSignals(True)
                box.setCurrentIndex(index)
                box.blockSignals(False)
        self.search.setText(str(state.get("search") or ""))
        tab = state.get("tab")
        if isinstance(tab, int):
            self.tabs.setCurrentIndex(tab)
        self.refresh()

    # -- opening ---------------------------------------------------------------------------
    def _open_row(self, model, row: int) -> None:
        item = model.rows[row]
        dialog = RoadMapDialog(self.store, item.pupil_id, item.academic_year, self)
        dialog.exec()

    # -- printing --------------------------------------------------------------------------
    def print_batch(self) -> None:
        """Ask where, then print every road map of the current filter into one PDF."""
        path = save_file(self, _("Save the road maps as PDF"), _("road_maps") + ".pdf",
                         _("PDF documents (*.pdf)"))
        if path is not None:
            self.write_batch(path)

    def write_batch(self, path: Path) -> None:
        """All road maps of the current filter into one PDF, off the UI thread."""
        ids, store = self.maps.ids(self.current_filter()), self.store
        start_task(self, _("Printing road maps…"),
                   lambda report, cancel: print_road_maps(store, ids, str(path), progress=report,
                                                          cancel=cancel),
                   lambda result: offer_to_open(self, _("Road maps"), describe(result),
                                                result.path),
                   user_errors(lambda exc: show_error(self, exc)), writes_data=False)

    def print_school_list(self) -> None:
        """Ask where, then print the list of the chosen school's gifted pupils."""
        if self.school_box.currentData() is None:
            return
        path = save_file(self, _("Save the list as PDF"), _("gifted_pupils") + ".pdf",
                         _("PDF documents (*.pdf)"))
        if path is not None:
            self.write_school_list(path)

    def write_school_list(self, path: Path) -> None:
        school_id = self.school_box.currentData()
        if school_id is None:
            return
        store, year = self.store, self.year_box.currentData()
        start_task(self, _("Printing the list…"),
                   lambda _report, _cancel: print_pupil_list(store, school_id, str(path),
                                                             academic_year=year),
                   lambda written: offer_to_open(
                       self, _("Road maps"),
                       _("The list was saved to {path}.").format(path=written), Path(written)),
                   user_errors(lambda exc: show_error(self, exc)), writes_data=False)

    def save_excel(self) -> None:
        """The list on the current tab (road maps, due this month, overdue), every row."""
        tab = self.tabs.currentIndex()
        if tab == 0:
            flt = self.current_filter()
            return save_as_excel(self, _("road_maps.xlsx"), lambda path, report, cancel:
                                 save_road_maps(self.store, flt, path, progress=report,
                                                cancel=cancel))
        model = self.due_model if tab == 1 else self.overdue_model
        title = self.tabs.tabText(tab)
        return save_as_excel(self, _("activities.xlsx"), lambda path, report, cancel:
                             save_activities(self.store, title, model.fetch, model.count(),
                                             path, progress=report, cancel=cancel))

    def save_school_list_excel(self) -> None:
        school_id = self.school_box.currentData()
        if school_id is None:
            return None
        year = self.year_box.currentData()
        return save_as_excel(self, _("gifted_pupils.xlsx"), lambda path, _report, _cancel:
                             save_school_list(self.store, school_id, path, academic_year=year))

    def edit_templates(self) -> None:
        TemplatesDialog(self.store, self).exec()
