"""The road-map editor of one pupil: the year and its status, loading and saving, the status
actions and printing; its tabs are in ``plan_tab.py`` and ``record_tabs.py``.

Edits are kept in the editor until Save. Before signing everything is editable; a signed
road map records progress (status, result, achieved goals) freely, and its plan becomes
editable after "Amend", to be saved as a numbered amendment with a reason. Signing, closing
the year and reopening each ask first (``lifecycle.py``). Every button reaches a slot that
takes no argument, so Qt's ``clicked(bool)`` can never fill a parameter by mistake.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core import roadmap as rules
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import RoadMapStatus
from daryn_desktop.core.templates import Track
from daryn_desktop.errors import UserError
from daryn_desktop.gui.buttons import button
from daryn_desktop.gui.files import offer_to_open, save_file
from daryn_desktop.gui.flow_layout import FlowLayout
from daryn_desktop.gui.roadmaps.lifecycle import CloseYearDialog, ReopenDialog, SignDialog
from daryn_desktop.gui.roadmaps.plan_tab import PlanTab
from daryn_desktop.gui.roadmaps.printing import preview_pdf, print_pdf
from daryn_desktop.gui.roadmaps.record_tabs import PEOPLE, AboutTab, AmendmentsTable, ReviewsTab
from daryn_desktop.i18n import _
from daryn_desktop.reports.batch import describe, print_road_maps
from daryn_desktop.reports.roadmap_pdf import RoadMapLayout
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import default_author
from daryn_desktop.storage.roadmaps import RoadMapData, RoadMaps

S = RoadMapStatus


def show_error(parent: QWidget, exc: UserError) -> None:
    QMessageBox.warning(parent, _("Road map"), exc.translated())


class RoadMapEditor(QWidget):
    """One pupil's road maps, one academic year at a time (object name ``roadMapEditor``).

    A window that hosts the editor and has a *Save* of its own (the pupil editor) calls
    :meth:`use_host_save` and saves the road map with it: a window never shows two Saves.
    """

    #: Emitted after anything was written (so lists elsewhere can refresh).
    saved = Signal()
    #: Emitted when the unsaved state changes (the host's Save follows it).
    dirty_changed = Signal(bool)

    def __init__(self, store: Store, pupil_id: str, parent: QWidget | None = None, *,
                 academic_year: str | None = None):
        super().__init__(parent)
        self.setObjectName("roadMapEditor")
        self.store = store
        self.maps = RoadMaps(store)
        self.pupil = store.repos.pupils.get(pupil_id)
        self.data: RoadMapData | None = None
        self.amending = False
        self._dirty = False
        self._loading = False
        self._build()
        self._fill_years(academic_year or AcademicYear.containing(date.today()).label)
        self.load()

    # -- layout ----------------------------------------------------------------------------
    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        """A button whose slot takes no argument (clicked's bool goes nowhere)."""
        return button(text, name, slot)

    def _build(self) -> None:
        actions = self._build_actions()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("roadMapTabs")
        self.plan = PlanTab()
        self.plan.changed.connect(self._changed)
        self.about = AboutTab(self.store, self.pupil.school_id)
        self.about.changed.connect(self._changed)
        self.reviews = ReviewsTab()
        self.reviews.review_wanted.connect(self.add_review)
        self.amendment_table = AmendmentsTable()
        self.tabs.addTab(self.plan, _("Plan"))
        self.tabs.addTab(self.about, _("The pupil's abilities"))
        self.tabs.addTab(self.reviews, _("Quarterly reviews"))
        self.tabs.addTab(self.amendment_table, _("Amendments"))
        # What the tests and the hosting windows reach for by name.
        self.plan_splitter = self.plan.splitter
        self.goal_model, self.goal_table = self.plan.goal_model, self.plan.goal_table
        self.activity_model = self.plan.activity_model
        self.activity_table = self.plan.activity_table
        self.add_activity_button = self.plan.add_activity_button
        self.review_views, self.review_edits = self.reviews.views, self.reviews.edits
        self.empty_label = QLabel()
        self.empty_label.setObjectName("roadMapEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(actions)
        layout.addWidget(self.details_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tabs, 1)
        self.save_row = QWidget()
        bottom = QHBoxLayout(self.save_row)
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addStretch(1)
        bottom.addWidget(self.discard_button)
        bottom.addWidget(self.save_button)
        layout.addWidget(self.save_row)

    def _build_actions(self) -> QHBoxLayout:
        """The top row: the year and its status, what can be done with it, and printing."""
        button = self._button
        self.year_box = QComboBox()
        self.year_box.setObjectName("roadMapYear")
        self.year_box.currentIndexChanged.connect(self._year_changed)
        self.status_label = QLabel()
        self.status_label.setObjectName("roadMapStatus")
        self.status_label.setStyleSheet("font-weight: bold; padding: 2px 8px;"
                                        " border: 1px solid #888; border-radius: 3px;")
        self.details_label = QLabel()
        self.details_label.setObjectName("roadMapStatusDetails")
        self.details_label.setWordWrap(True)
        self.details_label.setTextFormat(Qt.TextFormat.PlainText)

        self.create_button = button("roadMapCreate", _("Create…"), self.create_road_map)
        self.continue_button = button("roadMapContinue", _("Continue from last year"),
                                      self.continue_last_year)
        self.start_button = button("roadMapStart", _("Start work"), self.start)
        self.sign_button = button("roadMapSign", _("Sign…"), self.sign)
        self.amend_button = button("roadMapAmend", _("Amend"), self.amend)
        self.close_button = button("roadMapClose", _("Close the year…"), self.close_year)
        self.reopen_button = button("roadMapReopen", _("Reopen…"), self.reopen)
        self.save_button = button("roadMapSave", _("Save"), self.save)
        self.discard_button = button("roadMapDiscard", _("Discard changes"), self.discard)
        self.preview_button = button("roadMapPreview", _("Print preview"), self.preview)
        self.print_button = button("roadMapPrint", _("Print…"), self.print_document)
        self.pdf_button = button("roadMapSavePdf", _("Save as PDF…"), self.save_pdf)
        self.as_signed = QComboBox()
        self.as_signed.setObjectName("roadMapPrintVersion")
        self.as_signed.addItem(_("Current version"), False)
        self.as_signed.addItem(_("Version as signed"), True)

        # (The pupil's name is in the window's title.) Each group wraps onto a second row when
        # narrow, so that the editor fits a 1366×768 screen in Kazakh and Russian too.
        lifecycle, printing = FlowLayout(), FlowLayout()
        lifecycle.addWidget(QLabel(_("Academic year:")))
        lifecycle.addWidget(self.year_box)
        lifecycle.addWidget(self.status_label)
        for b in (self.create_button, self.continue_button, self.start_button, self.sign_button,
                  self.amend_button, self.close_button, self.reopen_button):
            lifecycle.addWidget(b)
        for w in (self.as_signed, self.preview_button, self.print_button, self.pdf_button):
            printing.addWidget(w)
        actions = QHBoxLayout()
        actions.addLayout(lifecycle, 1)
        actions.addSpacing(8)
        actions.addLayout(printing)
        return actions

    @property
    def current(self) -> RoadMapData:
        """The road map shown; only used where one is (its actions are hidden otherwise)."""
        if self.data is None:
            raise RuntimeError("no road map is shown")
        return self.data

    def use_host_save(self) -> None:
        """The hosting window's Save saves the road map: this editor shows none of its own."""
        self.save_row.hide()

    def _fill_years(self, wanted: str) -> None:
        current = AcademicYear.containing(date.today())
        years = set(self.store.repos.road_maps.years_of(self.pupil.id))
        years |= {current.label, current.next().label, wanted}
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for label in sorted(years, reverse=True):
            self.year_box.addItem(label, label)
        self.year_box.setCurrentIndex(self.year_box.findData(wanted))
        self.year_box.blockSignals(False)

    # -- state -----------------------------------------------------------------------------
    @property
    def academic_year(self) -> str:
        return self.year_box.currentData()

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def _year_changed(self) -> None:
        if self._dirty and not self._confirm_discard():
            self.year_box.blockSignals(True)
            self.year_box.setCurrentIndex(self.year_box.findData(self.current.road_map.academic_year))
            self.year_box.blockSignals(False)
            return
        self.load()

    def load(self) -> None:
        """(Re)read the road map of the selected year and show it."""
        self._loading = True
        road_map = self.maps.for_pupil(self.pupil.id, self.academic_year)
        self.data = self.maps.load(road_map.id) if road_map else None
        self.amending = False
        data = self.data
        if data is not None:
            year = AcademicYear.parse(data.road_map.academic_year)
            for name, edit in self.about.text_edits.items():
                edit.setPlainText(getattr(data.road_map, name) or "")
            for name, box in self.about.people.items():
                box.setCurrentIndex(max(box.findData(getattr(data.road_map, name)), 0))
            self.plan.show_plan(data.road_map.id, [dataclasses.replace(g) for g in data.goals],
                                [dataclasses.replace(a) for a in data.activities], year)
            self.reviews.show_reviews(data.reviews)
            self.amendment_table.show_amendments(data.amendments)
        self._loading = False
        self._set_dirty(False)
        self._update_state()

    def _details(self) -> str:
        """What the status means for this road map: when and by whom it was signed or closed."""
        data = self.data
        if data is None:
            return ""
        road_map = data.road_map
        if data.status == S.SIGNED:
            people = "; ".join((data.signed_by or "").splitlines()) or "—"
            return _("Signed on {date} by: {people}. The plan changes only by amendment.").format(
                date=format_date(road_map.signed_date), people=people)
        if data.status == S.CLOSED:
            return _("The year was closed on {date}. The year's result: {note}").format(
                date=format_date(road_map.closed_date), note=road_map.note or "—")
        if data.status == S.DRAFT:
            return _("Draft: everything can be changed. Sign it when the plan is agreed.")
        return ""

    def _update_state(self) -> None:
        data = self.data
        has = data is not None
        status = data.status if data is not None else None
        self.tabs.setVisible(has)
        self.empty_label.setVisible(not has)
        if not has:
            previous = self.maps.for_pupil(
                self.pupil.id, AcademicYear.parse(self.academic_year).previous().label)
            self.empty_label.setText(_("There is no road map for {year} yet.").format(
                year=self.academic_year))
            self.continue_button.setEnabled(previous is not None)
        self.status_label.setText(status.label if status else "")
        self.status_label.setVisible(has)
        details = self._details()
        self.details_label.setText(details)
        self.details_label.setVisible(bool(details))
        self.create_button.setVisible(not has)
        self.continue_button.setVisible(not has)
        self.start_button.setVisible(status == S.DRAFT)
        self.sign_button.setVisible(status in (S.DRAFT, S.ACTIVE))
        self.amend_button.setVisible(status == S.SIGNED)
        self.amend_button.setEnabled(not self.amending)
        self.close_button.setVisible(has and status != S.CLOSED)
        self.reopen_button.setVisible(status in (S.SIGNED, S.CLOSED))
        for w in (self.preview_button, self.print_button, self.pdf_button):
            w.setEnabled(has)
        self.as_signed.setVisible(data is not None and data.has_signed_version)
        plan = status in (S.DRAFT, S.ACTIVE) or (status == S.SIGNED and self.amending)
        progress = status in (S.DRAFT, S.ACTIVE, S.SIGNED)
        self.plan.set_editable(plan, progress)
        self.about.set_editable(plan)
        self.reviews.set_allowed(status is not None and rules.reviews_allowed(status))
        self.save_button.setEnabled(self._dirty)
        self.discard_button.setEnabled(self._dirty)
        self.save_button.setText(_("Save amendment…") if self.amending else _("Save"))

    def _changed(self) -> None:
        if self._loading:
            return
        self._set_dirty(True)
        self._update_state()

    def _confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self, _("Road map"), _("The road map has unsaved changes. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def can_leave(self) -> bool:
        """Asked by the main window before it closes or switches language."""
        return not self._dirty or self._confirm_discard()

    def save(self) -> bool:
        """Write the edits (asking for the amendment's reason on a signed road map)."""
        if self.data is None or not self._dirty:
            return True
        reason = None
        if self.data.status == S.SIGNED and self.amending:
            reason, ok = QInputDialog.getMultiLineText(
                self, _("Amendment"), _("Reason for the amendment (printed on the road map):"))
            if not ok:
                return False
        try:
            result = self.maps.save(self.data.road_map.id, fields=self.about.fields(),
                                    goals=self.goal_model.goals,
                                    activities=self.activity_model.activities, reason=reason,
                                    author=default_author())
        except UserError as exc:
            show_error(self, exc)
            return False
        self.load()
        if result.amendment is not None:
            QMessageBox.information(self, _("Amendment"), _(
                "Saved as amendment No. {number}.").format(number=result.amendment.number))
        self.saved.emit()
        return True

    def discard(self) -> None:
        self.load()

    # -- lifecycle -------------------------------------------------------------------------
    def _run(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except UserError as exc:
            show_error(self, exc)
            return False
        self.load()
        self.saved.emit()
        return True

    def create_road_map(self) -> None:
        """Ask which template to start from, then create the year's draft."""
        tracks = list(Track)
        labels = [_("Empty road map")] + [t.label for t in tracks]
        suggested = self.maps.suggested_track(self.pupil.id)
        current = tracks.index(suggested) + 1 if suggested else 0
        choice, ok = QInputDialog.getItem(self, _("New road map"), _("Start from the template:"),
                                          labels, current, False)
        if not ok or choice not in labels:
            return
        index = labels.index(choice)
        self.create_from(tracks[index - 1] if index else None)

    def create_from(self, track: Track | None) -> bool:
        """Create the year's draft from ``track``'s template (an empty one for None)."""
        return self._run(lambda: self.maps.create(self.pupil.id, self.academic_year,
                                                  track=track, author=default_author()))

    def continue_last_year(self) -> None:
        self._run(lambda: self.maps.continue_from_last_year(self.pupil.id, self.academic_year,
                                                            author=default_author()))

    def _save_first(self) -> bool:
        return not self._dirty or self.save()

    def start(self) -> None:
        if self._save_first():
            self._run(lambda: self.maps.start(self.current.road_map.id, author=default_author()))

    def _signatories(self) -> list[str]:
        """Who usually signs, as the dialog suggests it: the people named, the parents."""
        lines = []
        for name, role in PEOPLE:
            box = self.about.people[name]
            if box.currentData():
                lines.append(_("{role}: {name}").format(role=role.label, name=box.currentText()))
        for guardian in self.store.repos.guardians.for_parent(self.pupil.id)[:1]:
            lines.append(_("{role}: {name}").format(role=guardian.relation.label,
                                                    name=guardian.full_name))
        return lines

    def sign(self) -> None:
        """Ask for the date and who signed (saying what is frozen), then sign."""
        if not self._save_first():
            return
        dialog = SignDialog(self.current, self.pupil.full_name, self._signatories(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(lambda: self.maps.sign(self.current.road_map.id, on=dialog.on,
                                             signed_by=dialog.people, author=default_author()))

    def amend(self) -> None:
        self.amending = True
        self._update_state()

    def close_year(self) -> None:
        """Ask for confirmation and the year's result, then close the road map."""
        if not self._save_first():
            return
        dialog = CloseYearDialog(self.current, self.pupil.full_name, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(lambda: self.maps.close(self.current.road_map.id, on=dialog.on,
                                              comment=dialog.text, author=default_author()))

    def reopen(self) -> None:
        """Ask for the reason, then open a signed or closed road map again."""
        if not self._save_first():
            return
        dialog = ReopenDialog(self.current, self.pupil.full_name, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(lambda: self.maps.reopen(self.current.road_map.id, reason=dialog.text,
                                               author=default_author()))

    def add_review(self, quarter: int) -> None:
        text = self.reviews.edits[quarter].toPlainText()
        author = self.about.people["mentor_id"].currentText()
        self._run(lambda: self.maps.add_review(self.current.road_map.id, quarter, text,
                                               author=author if author != "—" else None))

    # -- printing --------------------------------------------------------------------------
    def _printed(self) -> bool:
        return bool(self.as_signed.currentData()) and self.current.has_signed_version

    def pdf_bytes(self) -> bytes:
        """The road map as the PDF that is printed and saved."""
        document = self.maps.document(self.current.road_map.id, as_signed=self._printed())
        layout = RoadMapLayout(self.maps.document_language(self.pupil))
        return layout.render([document])[0]

    def _title(self) -> str:
        return f"{self.pupil.full_name} {self.current.road_map.academic_year}"

    def preview(self) -> None:
        if self._save_first():
            preview_pdf(self, self.pdf_bytes(), self._title())

    def print_document(self) -> None:
        if self._save_first():
            print_pdf(self, self.pdf_bytes(), self._title())

    def save_pdf(self) -> None:
        """Ask where, write the PDF, and offer to open it."""
        if not self._save_first():
            return
        suggested = f"{self.pupil.surname}_{self.pupil.given_name}_" \
                    f"{self.current.road_map.academic_year}.pdf"
        path = save_file(self, _("Save as PDF"), suggested, _("PDF documents (*.pdf)"))
        if path is not None:
            self.write_pdf(path)

    def write_pdf(self, path: Path) -> Path | None:
        """Write the road map (as chosen: current or signed version) to ``path``."""
        try:
            result = print_road_maps(self.store, [self.current.road_map.id], str(path),
                                     as_signed=self._printed())
        except UserError as exc:
            show_error(self, exc)
            return None
        offer_to_open(self, _("Save as PDF"), describe(result), result.path)
        return result.path
