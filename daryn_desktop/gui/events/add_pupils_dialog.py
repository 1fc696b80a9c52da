"""The dialog that picks pupils for a stage or a project: by search or a whole school."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.entities import Event
from daryn_desktop.core.events import EventStage
from daryn_desktop.gui.events.common import cell, dialog_buttons, table_widget
from daryn_desktop.gui.widgets import SearchCombo
from daryn_desktop.i18n import _
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.events import Events
from daryn_desktop.storage.registry import school_infos
from daryn_desktop.storage.search import PupilQuery, search_pupils

#: At most this many pupils are listed for a search in the "add pupils" dialog.
SEARCH_LIMIT = 200


class AddPupilsDialog(QDialog):
    """Pupils to enter in a stage: found by name, IIN or school words, or a whole school."""

    def __init__(self, store: Store, event: Event | None, stage: EventStage | None,
                 parent: QWidget | None = None, *, single: bool = False):
        super().__init__(parent)
        self.setObjectName("addPupilsDialog")
        self.single = single
        self.setWindowTitle(_("Choose the pupil") if single or stage is None else
                            _("Add pupils — {stage}").format(stage=stage.title()))
        self.store = store
        self.for_event = event
        self.chosen: list[str] = []
        self.search = QLineEdit(self)
        self.search.setObjectName("addPupilsSearch")
        self.search.setPlaceholderText(_("Name, IIN or school"))
        self.search.setClearButtonEnabled(True)
        self.found = table_widget("addPupilsFound", [_("Pupil"), _("Grade"), _("School")], self)
        by_search = QWidget(self)
        layout = QVBoxLayout(by_search)
        layout.addWidget(self.search)
        layout.addWidget(self.found, 1)
        self.school = SearchCombo(self)
        self.school.setObjectName("addPupilsSchool")
        self.school.set_items([(s.name, s.id) for s in school_infos(store)])
        self.school_pupils = table_widget("addPupilsOfSchool", [_("Pupil"), _("Grade"),
                                                                _("School")], self)
        grades = ""
        if event is not None and (event.grade_from is not None or event.grade_to is not None):
            grades = _("Only grades {first}–{last}, as the event is for them.").format(
                first=event.grade_from if event.grade_from is not None else 0,
                last=event.grade_to if event.grade_to is not None else 11)
        by_school = QWidget(self)
        school_layout = QVBoxLayout(by_school)
        school_layout.addWidget(self.school)
        school_layout.addWidget(QLabel(grades, self))
        school_layout.addWidget(self.school_pupils, 1)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("addPupilsTabs")
        self.tabs.addTab(by_search, _("By search"))
        self.tabs.addTab(by_school, _("A whole school"))
        buttons = dialog_buttons(self, _("&Choose") if single else _("&Add the ticked pupils"),
                                 "addPupilsOk", self.add, "addPupilsCancel")
        main = QVBoxLayout(self)
        main.addWidget(self.tabs, 1)
        main.addWidget(buttons)
        self.search.textChanged.connect(lambda _t: self.search_pupils())
        self.school.currentIndexChanged.connect(lambda _i: self.load_school())
        self.resize(760, 520)

    @staticmethod
    def _fill(table: Any, rows: list[tuple[str, str, str, str]], checked: bool) -> None:
        table.setRowCount(len(rows))
        for r, (pupil_id, name, grade, school) in enumerate(rows):
            first = QTableWidgetItem(name)
            first.setData(Qt.ItemDataRole.UserRole, pupil_id)
            first.setFlags(first.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            first.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            table.setItem(r, 0, first)
            table.setItem(r, 1, QTableWidgetItem(grade))
            table.setItem(r, 2, QTableWidgetItem(school))
        table.resizeColumnsToContents()

    def search_pupils(self) -> None:
        text = self.search.text().strip()
        found = search_pupils(self.store, PupilQuery(text=text), limit=SEARCH_LIMIT) if text else []
        self._fill(self.found, [(p.id, p.full_name, f"{p.grade}{p.class_letter or ''}",
                                 p.school_name) for p in found], checked=len(found) == 1)

    def load_school(self) -> None:
        school_id = self.school.value()
        ids = Events(self.store).pupils_of_school(school_id, self.for_event) if school_id else []
        checked = not self.single
        rows = []
        for pupil_id in ids:
            pupil = self.store.repos.pupils.get(pupil_id)
            rows.append((pupil.id, pupil.full_name, pupil.grade_label, self.school.currentText()))
        self._fill(self.school_pupils, rows, checked=checked)

    @staticmethod
    def _ticked(table: QTableWidget) -> list[str]:
        return [cell(table, r, 0).data(Qt.ItemDataRole.UserRole) for r in range(table.rowCount())
                if cell(table, r, 0).checkState() == Qt.CheckState.Checked]

    def add(self) -> None:
        self.chosen = list(dict.fromkeys([*self._ticked(self.found),
                                          *self._ticked(self.school_pupils)]))
        if not self.chosen or (self.single and len(self.chosen) != 1):
            QMessageBox.information(self, self.windowTitle(),
                                    _("Tick one pupil.") if self.single
                                    else _("Tick at least one pupil."))
            return
        self.accept()
