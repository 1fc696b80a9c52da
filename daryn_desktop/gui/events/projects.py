"""The research projects tab: topic, section, supervisor, external mentor, stages passed."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import EventKind
from daryn_desktop.core.events import ResultLine
from daryn_desktop.core.findings import has_errors
from daryn_desktop.core.staffdev import ResearchProject, validate_project
from daryn_desktop.errors import UserError
from daryn_desktop.gui.events.calendar import period
from daryn_desktop.gui.events.common import (
    button,
    confirm,
    dialog_buttons,
    fill,
    headers_of,
    row_data,
    save_xlsx,
    show_error,
    staff_choices,
    table_widget,
    year_combo,
)
from daryn_desktop.gui.events.results import AddPupilsDialog
from daryn_desktop.gui.widgets import FieldMessage, SearchCombo
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.events import Events
from daryn_desktop.storage.registry import default_author
from daryn_desktop.storage.staffdev import ProjectRow, Projects


def stages_text(row: ProjectRow) -> str:
    """"District → Regional (Diploma of the II degree)": the stages a project went through."""
    return " → ".join(level.label for level, _event, _award in row.stages)


def result_text(row: ProjectRow) -> str:
    best = row.best
    if best is None:
        return ""
    level, _event, award = best
    return f"{level.label}: {award.label}" if award else level.label


class ProjectDialog(QDialog):
    """One project; it can be entered in a stage of its competition from here."""

    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 project: ResearchProject | None = None, year: str | None = None):
        super().__init__(parent)
        self.setObjectName("projectDialog")
        self.store = store
        self.projects = Projects(store)
        self.events = Events(store)
        current = AcademicYear.containing(date.today()).label
        self.project = project or ResearchProject(pupil_id="", academic_year=year or current,
                                                  topic="")
        self.setWindowTitle(_("Research project") if project else _("New research project"))
        self.pupil = QLabel(self)
        self.pupil.setObjectName("projectPupil")
        choose = button(_("C&hoose the pupil…"), "projectChoosePupil", self.choose_pupil, self)
        choose.setEnabled(project is None)
        pupil_line = QHBoxLayout()
        pupil_line.addWidget(self.pupil, 1)
        pupil_line.addWidget(choose)
        p = self.project
        self.topic = QLineEdit(p.topic, self)
        self.topic.setObjectName("projectTopic")
        self.section = QLineEdit(p.section or "", self)
        self.section.setObjectName("projectSection")
        self.year = QLineEdit(p.academic_year, self)
        self.year.setObjectName("projectYear")
        self.supervisor = SearchCombo(self, none_text="—")
        self.supervisor.setObjectName("projectSupervisor")
        self.supervisor.set_items(staff_choices(store)[1:], p.supervisor_id)
        self.mentor = QLineEdit(p.mentor_name or "", self)
        self.mentor.setObjectName("projectMentor")
        self.mentor_org = QLineEdit(p.mentor_organisation or "", self)
        self.mentor_org.setObjectName("projectMentorOrganisation")
        self.competition = QComboBox(self)
        self.competition.setObjectName("projectEvent")
        self.note = QLineEdit(p.note or "", self)
        self.note.setObjectName("projectNote")
        form = QFormLayout()
        for label, widget in ((_("Pupil"), pupil_line), (_("&Topic"), self.topic),
                              (_("&Section"), self.section),
                              (_("Academic &year"), self.year),
                              (_("School &supervisor"), self.supervisor),
                              (_("External &mentor"), self.mentor),
                              (_("Mentor's &organisation"), self.mentor_org),
                              (_("&Competition"), self.competition), (_("N&ote"), self.note)):
            form.addRow(label, widget)
        self.stages = table_widget("projectStages", [_("Stage"), _("Event"), _("Result")], self)
        self.stage = QComboBox(self)
        self.stage.setObjectName("projectStage")
        enter = button(_("&Enter in this stage"), "projectEnter", self.enter, self,
                       tip=_("Adds the project's pupil to the stage's results grid"))
        enter_line = QHBoxLayout()
        enter_line.addWidget(QLabel(_("Stage of the competition:"), self))
        enter_line.addWidget(self.stage, 1)
        enter_line.addWidget(enter)
        self.message = FieldMessage(self)
        buttons = dialog_buttons(self, _("&Save"), "projectSave", self.save, "projectCancel")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Stages the project went through:"), self))
        layout.addWidget(self.stages, 1)
        layout.addLayout(enter_line)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.competition.currentIndexChanged.connect(lambda _i: self._load_stages())
        self._load_events()
        self._show()
        self.resize(720, 620)

    def _load_events(self) -> None:
        self.competition.clear()
        self.competition.addItem("—", None)
        for row in self.events.list_events(self.project.academic_year):
            if row.event.kind == EventKind.SCIENCE_PROJECTS:
                self.competition.addItem(row.event.name, row.event.id)
        self.competition.setCurrentIndex(max(self.competition.findData(self.project.event_id), 0))

    def _load_stages(self) -> None:
        self.stage.clear()
        event_id = self.competition.currentData()
        for stage in self.events.stages(event_id) if event_id else []:
            self.stage.addItem(f"{stage.title()} ({period(stage.start_date, stage.end_date)})",
                               stage.id)

    def _show(self) -> None:
        if self.project.pupil_id:
            pupil = self.store.repos.pupils.find(self.project.pupil_id)
            self.pupil.setText(f"{pupil.full_name}, {pupil.grade_label}" if pupil else "—")
        else:
            self.pupil.setText(_("not chosen"))
        rows = [r for r in self.projects.rows(pupil_id=self.project.pupil_id)
                if r.project.id == self.project.id] if self.project.pupil_id else []
        stages = rows[0].stages if rows else ()
        fill(self.stages, [[level.label, event, award.label if award else "—"]
                           for level, event, award in stages])
        self.stages.resizeColumnsToContents()

    def choose_pupil(self) -> None:
        dialog = AddPupilsDialog(self.store, None, None, self, single=True)
        if dialog.exec() and dialog.chosen:
            self.project = dataclasses.replace(self.project, pupil_id=dialog.chosen[0])
            self._show()

    def current(self) -> ResearchProject:
        return dataclasses.replace(
            self.project, topic=self.topic.text().strip(),
            section=self.section.text().strip() or None, academic_year=self.year.text().strip(),
            supervisor_id=self.supervisor.value(), mentor_name=self.mentor.text().strip() or None,
            mentor_organisation=self.mentor_org.text().strip() or None,
            event_id=self.competition.currentData(), note=self.note.text().strip() or None)

    def _write(self) -> bool:
        project = self.current()
        if not project.pupil_id:
            self.message.show_message(_("Choose the pupil."))
            return False
        found = validate_project(project)
        if has_errors(found):
            self.message.show_message("\n".join(f.text for f in found if f.is_error))
            return False
        try:
            self.project = self.projects.save(project, author=default_author())
        except UserError as exc:
            show_error(self, exc)
            return False
        return True

    def enter(self) -> None:
        stage_id = self.stage.currentData()
        if stage_id is None:
            QMessageBox.information(self, self.windowTitle(),
                                    _("Choose the competition and its stage first."))
            return
        if not self._write():
            return
        p = self.project
        try:
            self.events.save_results(stage_id, [ResultLine(
                pupil_id=p.pupil_id, subject=p.section, teacher_id=p.supervisor_id,
                project_id=p.id)], author=default_author())
        except UserError as exc:
            show_error(self, exc)
            return
        self._show()

    def save(self) -> None:
        if self._write():
            self.accept()


#: At most this many projects are listed (the year filter narrows it; Excel has them all).
MAX_LISTED = 1000


class ProjectsTab(QWidget):
    """The year's research projects with the stages each went through."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("projectsTab")
        self.store = store
        self.projects = Projects(store)
        self.rows: list[ProjectRow] = []
        self._lines: list[list[Any]] = []
        self.year = year_combo("projectsYear", [], self, any_text=_("All years"))
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Year:"), self))
        top.addWidget(self.year)
        top.addStretch(1)
        self.table = table_widget("projectsTable", [
            _("Pupil"), _("Grade"), _("School"), _("Topic"), _("Section"), _("Supervisor"),
            _("External mentor"), _("Stages passed"), _("Result")], self)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.count = QLabel(self)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        open_button = button(_("&Open…"), "projectsEdit", self.edit, self)
        # Opening needs a chosen project: the button waits for one.
        open_button.setEnabled(False)
        self.table.itemSelectionChanged.connect(
            lambda: open_button.setEnabled(self.current() is not None))
        for b in (button(_("Save as E&xcel…"), "projectsXlsx", self.save_excel, self),
                  button(_("&New project…"), "projectsNew", self.new, self),
                  open_button, button(_("&Remove"), "projectsRemove", self.remove, self)):
            bottom.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        # Filled when the tab is first shown (the section refreshes the current tab).

    def refresh(self) -> None:
        found = self.projects.rows(academic_year=self.year.currentData())
        self._lines = [[r.pupil_name, r.grade, r.school_name, r.project.topic,
                        r.project.section or "", r.supervisor_name or "",
                        ", ".join(x for x in (r.project.mentor_name,
                                              r.project.mentor_organisation) if x),
                        stages_text(r), result_text(r)] for r in found]
        self.rows = found[:MAX_LISTED]
        fill(self.table, self._lines[:MAX_LISTED], data=[r.project.id for r in self.rows])
        self.table.resizeColumnsToContents()
        for column in (2, 3, 6):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 280))
        self.count.setText(ngettext("{count} project", "{count} projects",
                                    len(found)).format(count=len(found)))

    def save_excel(self) -> None:
        return save_xlsx(self, _("Research projects"), "research_projects.xlsx",
                         headers_of(self.table), self._lines, heading=[self.year.currentText()])

    def current(self) -> ProjectRow | None:
        project_id = row_data(self.table)
        return next((r for r in self.rows if r.project.id == project_id), None)

    def new(self) -> None:
        if ProjectDialog(self.store, self, year=self.year.currentData()).exec():
            self.refresh()

    def edit(self) -> None:
        row = self.current()
        if row is not None and ProjectDialog(self.store, self, project=row.project).exec():
            self.refresh()

    def remove(self) -> None:
        row = self.current()
        if row is None:
            return
        if confirm(self, _("Research projects"),
                   _("Remove the project “{topic}”?").format(topic=row.project.topic)):
            self.projects.remove(row.project.id, author=default_author())
            self.refresh()
