"""The editor's list tabs: family and categories, giftedness and diagnostics, achievements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import (
    Award,
    DiagnosticMethod,
    EventKind,
    EventLevel,
    FamilyCategory,
    GiftednessKind,
    GuardianRelation,
)
from daryn_desktop.gui.editor.record_table import CHOICE, DATE, ENUM, ColumnSpec, RecordTable
from daryn_desktop.gui.widgets import DateField, FieldMessage
from daryn_desktop.i18n import N_, _
from daryn_desktop.storage.registry import current_academic_year

if TYPE_CHECKING:
    from daryn_desktop.gui.editor.host import RecordHost
    from daryn_desktop.storage.registry import PupilRecord


class FamilyTab(QWidget):
    """Family categories (each with dates and a note), guardians, consent."""

    def __init__(self, editor: RecordHost, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = editor
        self.categories = RecordTable(
            editor, "categories", _("Categories of the family (decree No. 997)"), [
                ColumnSpec("category", N_("Category"), ENUM, FamilyCategory, width=260,
                           optional=False),
                ColumnSpec("since", N_("Since"), DATE, width=100),
                ColumnSpec("until", N_("Until"), DATE, width=100),
                ColumnSpec("note", N_("Note (document, number)"), width=200),
            ],
            lambda r: e.CategoryRecord(pupil_id=r.pupil.id,
                                       category=FamilyCategory.LARGE_FAMILY),
            self, add_text=_("&Add category"),
            remove_hint=_("A saved category is ended, not removed: enter the date in “Until”."))
        self.guardians = RecordTable(
            editor, "guardians", _("Parents and guardians"), [
                ColumnSpec("full_name", N_("Full name"), width=220, optional=False),
                ColumnSpec("relation", N_("Relation"), ENUM, GuardianRelation, width=120),
                ColumnSpec("phone", N_("Phone"), width=140),
                ColumnSpec("workplace", N_("Workplace"), width=160),
                ColumnSpec("notes", N_("Notes"), width=120),
            ],
            lambda r: e.Guardian(pupil_id=r.pupil.id, full_name=""),
            self, add_text=_("Add &guardian"))
        self.consent = QCheckBox(_("&Consent to the processing of personal data is signed"),
                                 self)
        self.consent.setObjectName("consentGiven")
        self.consent_date = DateField(self)
        self.consent_date.setObjectName("consentDate")
        consent_date_label = QLabel(_("Consent &date"), self)
        consent_date_label.setBuddy(self.consent_date.line)
        self.consent_message = FieldMessage(self)

        consent = QHBoxLayout()
        consent.addWidget(self.consent)
        consent.addSpacing(20)
        consent.addWidget(consent_date_label)
        consent.addWidget(self.consent_date)
        consent.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.categories, 3)
        layout.addWidget(self.guardians, 3)
        layout.addLayout(consent)
        layout.addWidget(self.consent_message)

        self.consent.toggled.connect(self._consent_changed)
        self.consent_date.edited.connect(self._consent_date_changed)

    def load(self, record: PupilRecord) -> None:
        self.categories.reload()
        self.guardians.reload()
        self.consent.setChecked(record.pupil.consent_given)
        if self.consent_date.value() != record.pupil.consent_date or not record.pupil.consent_date:
            self.consent_date.set_value(record.pupil.consent_date)

    def _consent_changed(self, checked: bool) -> None:
        if self.editor.loading or self.editor.record.pupil.consent_given == checked:
            return

        def change(record: PupilRecord) -> None:
            record.pupil.consent_given = checked

        self.editor.edit("pupil.consent_given", change, merge=False)

    def _consent_date_changed(self) -> None:
        value = self.consent_date.value()
        if self.editor.loading:
            return
        if self.editor.record.pupil.consent_date == value:
            self.editor.refresh_state()  # the text may have stopped (or started) being a date
            return

        def change(record: PupilRecord) -> None:
            record.pupil.consent_date = value

        self.editor.edit("pupil.consent_date", change)


class GiftednessTab(QWidget):
    """Areas of giftedness and how they were identified."""

    def __init__(self, editor: RecordHost, parent: QWidget | None = None):
        super().__init__(parent)
        self.areas = RecordTable(
            editor, "giftedness", _("Areas of giftedness"), [
                ColumnSpec("kind", N_("Kind"), ENUM, GiftednessKind, width=200, optional=False),
                ColumnSpec("field", N_("Subject or field"), width=240, optional=False),
                ColumnSpec("note", N_("Note"), width=200),
            ],
            lambda r: e.GiftednessArea(pupil_id=r.pupil.id, kind=GiftednessKind.INTELLECTUAL,
                                       field=""),
            self, add_text=_("&Add area"))
        self.diagnostics = RecordTable(
            editor, "diagnostics", _("Diagnostics: how the ability was identified"), [
                ColumnSpec("method", N_("Method"), ENUM, DiagnosticMethod, width=230,
                           optional=False),
                ColumnSpec("date", N_("Date"), DATE, width=100),
                ColumnSpec("result", N_("Result"), width=220),
                ColumnSpec("conducted_by", N_("Conducted by"), width=160),
                ColumnSpec("staff_id", N_("Specialist"), CHOICE,
                           choices=editor.staff_choices, width=180),
            ],
            lambda r: e.Diagnostic(pupil_id=r.pupil.id,
                                   method=DiagnosticMethod.TEACHER_NOMINATION),
            self, add_text=_("Add &diagnostic"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.areas, 1)
        layout.addWidget(self.diagnostics, 1)

    def load(self, record: PupilRecord) -> None:
        self.areas.reload()
        self.diagnostics.reload()


class AchievementsTab(QWidget):
    """Results at olympiads, contests and competitions, with the teacher who prepared them."""

    def __init__(self, editor: RecordHost, parent: QWidget | None = None):
        super().__init__(parent)
        self.achievements = RecordTable(
            editor, "achievements", _("Achievements"), [
                ColumnSpec("event_name", N_("Event"), width=230, optional=False),
                ColumnSpec("event_kind", N_("Kind of event"), ENUM, EventKind, width=150,
                           optional=False),
                ColumnSpec("level", N_("Level"), ENUM, EventLevel, width=110, optional=False),
                ColumnSpec("award", N_("Award"), ENUM, Award, width=120, optional=False),
                ColumnSpec("academic_year", N_("Academic year"), width=95, optional=False),
                ColumnSpec("subject", N_("Subject"), width=120),
                ColumnSpec("date", N_("Date"), DATE, width=90),
                ColumnSpec("teacher_id", N_("Preparing teacher"), CHOICE,
                           choices=editor.staff_choices, width=160),
            ],
            lambda r: e.Achievement(pupil_id=r.pupil.id, event_name="",
                                    event_kind=EventKind.SUBJECT_OLYMPIAD,
                                    level=EventLevel.SCHOOL,
                                    academic_year=current_academic_year(),
                                    award=Award.PARTICIPANT),
            self, add_text=_("&Add achievement"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.achievements)

    def load(self, record: PupilRecord) -> None:
        self.achievements.reload()
