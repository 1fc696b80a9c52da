"""The results tab: one grid per stage — participants, scores, places, awards, teachers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from daryn_desktop.core.entities import Event
from daryn_desktop.core.enums import Award
from daryn_desktop.core.events import EventStage, ResultLine, next_stage, previous_stage
from daryn_desktop.errors import UserError
from daryn_desktop.gui.events.add_pupils_dialog import AddPupilsDialog
from daryn_desktop.gui.events.common import (
    ChoiceDelegate,
    Index,
    button,
    save_pdf,
    save_xlsx,
    show_error,
    staff_choices,
    table_view,
    year_combo,
)
from daryn_desktop.gui.events.dates import period
from daryn_desktop.gui.events.results_model import ResultsModel
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.reports.events_pdf import print_team_list
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.events import Events
from daryn_desktop.storage.registry import default_author


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
