"""The results tab: one grid per stage — participants, scores, places, awards, teachers."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
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
from daryn_desktop.core.enums import Award
from daryn_desktop.core.events import (
    PLACE_AWARDS,
    EventStage,
    ResultLine,
    next_stage,
    previous_stage,
    validate_result,
)
from daryn_desktop.errors import UserError
from daryn_desktop.gui.events.calendar import period
from daryn_desktop.gui.events.common import (
    DISPLAY,
    EDIT,
    ERROR_BRUSH,
    ROOT,
    ChoiceDelegate,
    Index,
    button,
    cell,
    dialog_buttons,
    save_pdf,
    save_xlsx,
    show_error,
    staff_choices,
    table_view,
    table_widget,
    year_combo,
)
from daryn_desktop.gui.widgets import SearchCombo
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.reports.events_pdf import print_team_list
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.events import Events, ResultRow
from daryn_desktop.storage.registry import default_author, school_infos
from daryn_desktop.storage.search import PupilQuery, search_pupils

CHECK = Qt.ItemDataRole.CheckStateRole
WINNER_BRUSH = QBrush(QColor("#e3f4e1"))
#: At most this many pupils are listed for a search in the "add pupils" dialog.
SEARCH_LIMIT = 200


class ResultsModel(QAbstractTableModel):
    """A stage's participants as editable result lines."""

    PUPIL, GRADE, SCHOOL, SUBJECT, TEACHER, SCORE, PLACE, AWARD, WITHDRAWN = range(9)
    EDITABLE = (SUBJECT, TEACHER, SCORE, PLACE, AWARD)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[ResultRow] = []
        self.lines: list[ResultLine] = []
        self.teachers: dict[str, str] = {}
        self.changed: Callable[[], None] = lambda: None

    def load(self, rows: list[ResultRow], teachers: dict[str, str]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.lines = [r.line() for r in rows]
        self.teachers = teachers
        self.endResetModel()

    @property
    def dirty(self) -> list[ResultLine]:
        """The lines that differ from what is stored."""
        return [line for row, line in zip(self.rows, self.lines) if line != row.line()]

    def problems(self, i: int) -> dict[str, str]:
        """The errors of line ``i`` by column attribute."""
        return {f.field: f.text for f in validate_result(self.lines[i]) if f.is_error}

    def has_errors(self) -> bool:
        return any(self.problems(i) for i in range(len(self.lines)))

    def rowCount(self, parent: Index = ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else 9

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return (_("Pupil"), _("Grade"), _("School"), _("Subject"), _("Preparing teacher"),
                    _("Score"), _("Place"), _("Award"), _("Did not take part"))[section]
        if role == DISPLAY:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in self.EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        if index.column() == self.WITHDRAWN:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    _ATTRS = ("", "", "", "subject", "teacher_id", "score", "place", "award", "withdrawn")

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        row, line = self.rows[index.row()], self.lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._ATTRS[column] in self.problems(index.row()):
                return ERROR_BRUSH
            return WINNER_BRUSH if line.award is not None and line.award.is_prize else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.problems(index.row()).get(self._ATTRS[column])
        if column == self.WITHDRAWN:
            if role == CHECK:
                return Qt.CheckState.Checked if line.withdrawn else Qt.CheckState.Unchecked
            return None
        if role not in (DISPLAY, EDIT):
            return None
        if column == self.PUPIL:
            return row.full_name
        if column == self.GRADE:
            return f"{row.grade}{row.class_letter or ''}"
        if column == self.SCHOOL:
            return row.school_name
        if column == self.SUBJECT:
            return line.subject or ""
        if column == self.TEACHER:
            if role == EDIT:
                return line.teacher_id
            return self.teachers.get(line.teacher_id or "", row.teacher_name or "")
        if column == self.SCORE:
            return "" if line.score is None else f"{line.score:g}"
        if column == self.PLACE:
            return "" if line.place is None else str(line.place)
        if column == self.AWARD:
            if role == EDIT:
                return line.award.value if line.award else None
            return line.award.label if line.award else ""
        return None

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        i, column = index.row(), index.column()
        line = self.lines[i]
        if column == self.WITHDRAWN and role == CHECK:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            new = dataclasses.replace(line, withdrawn=checked)
        elif role != EDIT:
            return False
        elif column == self.SUBJECT:
            new = dataclasses.replace(line, subject=str(value or "").strip() or None)
        elif column == self.TEACHER:
            new = dataclasses.replace(line, teacher_id=value or None)
        elif column == self.SCORE:
            text = str(value or "").strip().replace(",", ".")
            try:
                new = dataclasses.replace(line, score=float(text) if text else None)
            except ValueError:
                return False
        elif column == self.PLACE:
            text = str(value or "").strip()
            if text and not text.isdigit():
                return False
            place = int(text) if text else None
            award = line.award
            if award is None and place in PLACE_AWARDS:
                award = PLACE_AWARDS[place]  # the usual award for the place; it can be changed
            new = dataclasses.replace(line, place=place, award=award)
        elif column == self.AWARD:
            new = dataclasses.replace(line, award=Award(value) if value else None)
        else:
            return False
        self.lines[i] = new
        self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))
        self.changed()
        return True


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


class ResultsTab(QWidget):
    """Pick an event and a stage; enter participants and results; advance the winners."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("resultsTab")
        self.store = store
        self.events = Events(store)
        self.stages: list[EventStage] = []
        self.year = year_combo("resultsYear", self.events.years(), self)
        self.event_box = QComboBox(self)
        self.event_box.setObjectName("resultsEvent")
        self.event_box.setMinimumWidth(300)
        self.event_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.event_box.setMinimumContentsLength(30)
        self.stage = QComboBox(self)
        self.stage.setObjectName("resultsStage")
        top = QHBoxLayout()
        for label, widget in ((_("Year:"), self.year), (_("Event:"), self.event_box),
                              (_("Stage:"), self.stage)):
            top.addWidget(QLabel(label, self))
            top.addWidget(widget)
        top.addStretch(1)
        self.info = QLabel(self)
        self.info.setObjectName("resultsInfo")
        self.info.setWordWrap(True)
        self.model = ResultsModel(self)
        self.model.changed = self._edited
        self.grid = table_view("resultsGrid", self.model, editable=True, parent=self)
        self.grid.verticalHeader().show()
        #: The staff a pupil's teacher is chosen from, by school (read when first needed).
        self._school_staff: dict[str, list[tuple[str, Any]]] = {}
        self.grid.setItemDelegateForColumn(ResultsModel.TEACHER,
                                           ChoiceDelegate(self._teachers_for, self))
        self.grid.setItemDelegateForColumn(
            ResultsModel.AWARD, ChoiceDelegate(lambda _index: [("—", None), *((a.label, a.value)
                                                                         for a in Award)], self))
        for column, width in enumerate((220, 50, 200, 120, 170, 55, 55, 150, 90)):
            self.grid.setColumnWidth(column, width)
        self.add_button = button(_("&Add pupils…"), "resultsAdd", self.add_pupils, self)
        self.winners_button = button(_("Add the &winners of the previous stage"),
                                     "resultsAddWinners", self.add_previous_winners, self)
        self.advance_button = button(_("Ad&vance the winners to the next stage"),
                                     "resultsAdvance", self.advance, self)
        self.import_button = button(_("&Import results from Excel…"), "resultsImport",
                                    self.import_results, self,
                                    tip=_("A protocol of this stage (Excel, CSV): each row's"
                                          " pupil, score, place, award and teacher, with a"
                                          " check before anything is written"))
        # save() takes an optional list: called without one here (button() passes nothing).
        self.save_button = button(_("&Save the results"), "resultsSave", lambda: self.save(),
                                  self)
        self.discard_button = button(_("&Discard the changes"), "resultsDiscard", self.discard,
                                     self)
        self.print_button = button(_("&Team list (PDF)…"), "resultsTeamList", self.print_team,
                                   self, tip=_("The stage's participants as an application"
                                               " form, in Kazakh or Russian"))
        self.lang = QComboBox(self)
        self.lang.setObjectName("resultsDocumentLanguage")
        self.lang.addItem("қазақша", "kk")
        self.lang.addItem("русский", "ru")
        entries = QHBoxLayout()
        for b in (self.add_button, self.winners_button, self.advance_button,
                  self.import_button):
            entries.addWidget(b)
        entries.addStretch(1)
        self.xlsx_button = button(_("Save as E&xcel…"), "resultsXlsx", self.save_excel, self)
        saving = QHBoxLayout()
        saving.addWidget(self.lang)
        saving.addWidget(self.print_button)
        saving.addWidget(self.xlsx_button)
        saving.addStretch(1)
        for w in (self.discard_button, self.save_button):
            saving.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.info)
        layout.addWidget(self.grid, 1)
        layout.addLayout(entries)
        layout.addLayout(saving)
        self.year.currentIndexChanged.connect(lambda _i: self._load_events())
        self.event_box.currentIndexChanged.connect(lambda _i: self._load_stages())
        self.stage.currentIndexChanged.connect(lambda _i: self.load())
        self._loading = False
        self._load_events()

    # -- choosing --------------------------------------------------------------------------
    def _load_events(self, select: str | None = None) -> None:
        self._loading = True
        self.event_box.clear()
        for row in self.events.list_events(self.year.currentData()):
            self.event_box.addItem(row.event.name, row.event.id)
        if select is not None:
            self.event_box.setCurrentIndex(max(self.event_box.findData(select), 0))
        self._loading = False
        self._load_stages()

    def _load_stages(self, select: str | None = None) -> None:
        if self._loading:
            return
        self._loading = True
        event_id = self.event_box.currentData()
        self.stages = self.events.stages(event_id) if event_id else []
        self.stage.clear()
        for stage in self.stages:
            self.stage.addItem(f"{stage.title()} ({period(stage.start_date, stage.end_date)})",
                               stage.id)
        if select is not None:
            self.stage.setCurrentIndex(max(self.stage.findData(select), 0))
        elif self.stages:
            self.stage.setCurrentIndex(self._default_stage())
        self._loading = False
        self.load()

    def _default_stage(self) -> int:
        """The last stage that has participants, else the first."""
        for i in range(len(self.stages) - 1, -1, -1):
            if self.events.has_participants(self.stages[i].id):
                return i
        return 0

    def show_event(self, event_id: str, stage_id: str | None = None) -> None:
        """Open the results of an event (from the calendar)."""
        if not self.can_leave():
            return
        event = self.events.event(event_id)
        self.year.blockSignals(True)
        if self.year.findData(event.academic_year) < 0:
            self.year.addItem(event.academic_year, event.academic_year)
        self.year.setCurrentIndex(self.year.findData(event.academic_year))
        self.year.blockSignals(False)
        self._load_events(select=event_id)
        if stage_id is not None:
            self._load_stages(select=stage_id)

    def current_stage(self) -> EventStage | None:
        stage_id = self.stage.currentData()
        return next((s for s in self.stages if s.id == stage_id), None)

    def current_event(self) -> Event | None:
        event_id = self.event_box.currentData()
        return self.events.event(event_id) if event_id else None

    # -- the grid --------------------------------------------------------------------------
    def load(self) -> None:
        if self._loading:
            return
        stage = self.current_stage()
        rows = self.events.results(stage.id) if stage else []
        self._school_staff = {}
        self.model.load(rows, {})
        self._update()

    def _teachers_for(self, index: Index) -> list[tuple[str, Any]]:
        """The staff of the pupil's school and the district office's, for the teacher picker."""
        school = self.model.rows[index.row()].school_id
        if school not in self._school_staff:
            choices = staff_choices(self.store, school_id=school)
            self._school_staff[school] = choices
            self.model.teachers.update({value: text for text, value in choices if value})
        return self._school_staff[school]

    def _edited(self) -> None:
        self._update()

    def _update(self) -> None:
        stage = self.current_stage()
        rows = self.model.rows
        has_stage = stage is not None
        if stage is None:
            self.info.setText(_("Choose an event and its stage. An event is added on the"
                                " Calendar tab."))
        else:
            winners = sum(1 for line in self.model.lines if line.award and line.award.is_prize)
            taking = sum(1 for line in self.model.lines if not line.withdrawn)
            recorded = sum(1 for line in self.model.lines if line.award is not None)
            parts = [f"{stage.title()}: {period(stage.start_date, stage.end_date) or '…'}"]
            if stage.registration_deadline:
                parts.append(_("registration until {date}").format(
                    date=period(stage.registration_deadline, None)))
            if stage.venue:
                parts.append(stage.venue)
            counts = _("{taking} taking part, {recorded} results, {winners} winners").format(
                taking=taking, recorded=recorded, winners=winners)
            self.info.setText(" · ".join([*parts, counts]))
        dirty = bool(self.model.dirty)
        errors = self.model.has_errors()
        following = next_stage(self.stages, stage.id) if stage else None
        before = previous_stage(self.stages, stage.id) if stage else None
        self.add_button.setEnabled(has_stage)
        self.import_button.setEnabled(has_stage)
        self.winners_button.setEnabled(before is not None)
        self.advance_button.setEnabled(following is not None and not dirty and any(
            r.award is not None and r.award.is_prize for r in rows))
        self.save_button.setEnabled(dirty and not errors)
        self.discard_button.setEnabled(dirty)
        self.print_button.setEnabled(has_stage and bool(rows))
        self.xlsx_button.setEnabled(has_stage and bool(rows))

    def can_leave(self) -> bool:
        """Asked before another stage is shown or the window closes: unsaved results?"""
        if not self.model.dirty:
            return True
        answer = QMessageBox.question(
            self, _("Results"), _("The results of this stage are not saved. Save them?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.discard()
            return True
        return False

    def save(self, extra: list[ResultLine] | None = None) -> bool:
        stage = self.current_stage()
        if stage is None or self.model.has_errors():
            return False
        lines = [*self.model.dirty, *(extra or [])]
        if not lines:
            return True
        try:
            self.events.save_results(stage.id, lines, author=default_author())
        except UserError as exc:
            show_error(self, exc)
            return False
        self.load()
        return True

    def discard(self) -> None:
        self.model.load(self.model.rows, self.model.teachers)
        self._update()

    # -- actions ---------------------------------------------------------------------------
    def add_pupils(self) -> None:
        stage, event = self.current_stage(), self.current_event()
        if stage is None or event is None:
            return
        dialog = AddPupilsDialog(self.store, event, stage, self)
        if not dialog.exec() or not dialog.chosen:
            return
        present = {r.pupil_id for r in self.model.rows}
        subject = event.subject if event.subject and "," not in event.subject else None
        new = [ResultLine(pupil_id=p, subject=subject) for p in dialog.chosen
               if p not in present]
        self.save(extra=new)

    def import_results(self) -> None:
        """The import wizard for this stage's protocol; the grid shows what it entered."""
        from daryn_desktop.gui.imports.wizard import ImportWizard

        stage = self.current_stage()
        if stage is None or not self.can_leave():
            return
        ImportWizard(self.store, self, stage_id=stage.id).exec()
        self.load()

    def add_previous_winners(self) -> None:
        stage = self.current_stage()
        if stage is None:
            return
        try:
            winners = self.events.previous_winners(stage.id)
        except UserError as exc:
            show_error(self, exc)
            return
        present = {(r.pupil_id, (r.participant.subject or "").casefold())
                   for r in self.model.rows}
        new = [ResultLine(pupil_id=w.pupil_id, subject=w.participant.subject,
                          teacher_id=w.participant.teacher_id,
                          project_id=w.participant.project_id)
               for w in winners
               if (w.pupil_id, (w.participant.subject or "").casefold()) not in present]
        if not new:
            QMessageBox.information(self, _("Results"), _("Every winner of the previous stage"
                                                          " is already here."))
            return
        self.save(extra=new)

    def advance(self) -> None:
        stage = self.current_stage()
        if stage is None or not self.can_leave():
            return
        try:
            done = self.events.advance_winners(stage.id, author=default_author())
        except UserError as exc:
            show_error(self, exc)
            return
        text = ngettext("{count} winner entered in the stage “{stage}”.",
                        "{count} winners entered in the stage “{stage}”.",
                        done.added).format(count=done.added, stage=done.stage.title())
        if done.already:
            text += " " + ngettext("{count} was there already.", "{count} were there already.",
                                   done.already).format(count=done.already)
        QMessageBox.information(self, _("Results"), text)
        self._load_stages(select=done.stage.id)

    def print_team(self) -> None:
        stage = self.current_stage()
        if stage is None:
            return None
        lang = self.lang.currentData()
        return save_pdf(self, _("Save the team list as PDF"), f"team_list_{lang}.pdf",
                        lambda path: print_team_list(self.store, stage.id, path, lang=lang))

    def save_excel(self) -> None:
        """The stage's results as they are shown (unsaved edits included)."""
        stage = self.current_stage()
        if stage is None:
            return None
        m = self.model
        headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
        rows = []
        for row, line in zip(m.rows, m.lines):
            rows.append([row.full_name, f"{row.grade}{row.class_letter or ''}", row.school_name,
                         line.subject or "", m.teachers.get(line.teacher_id or "",
                                                            row.teacher_name or ""),
                         line.score, line.place, line.award.label if line.award else "",
                         _("yes") if line.withdrawn else ""])
        return save_xlsx(self, stage.title(), "results.xlsx", headers, rows,
                         heading=[self.event_box.currentText(), self.info.text()])

    def refresh(self) -> None:
        """Shown again: the lists may have changed elsewhere (keeps unsaved edits)."""
        if self.model.dirty:
            return
        event_id, stage_id = self.event_box.currentData(), self.stage.currentData()
        self._load_events(select=event_id)
        if stage_id is not None:
            self._load_stages(select=stage_id)
