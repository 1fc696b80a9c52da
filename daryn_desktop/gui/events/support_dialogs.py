"""The support tab's dialogs: a measure's details for a grant or one record, and its rule."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.enums import EventKind, EventLevel, SupportMeasure
from daryn_desktop.core.findings import has_errors
from daryn_desktop.core.support import (
    DEFAULT_RULES,
    STATUSES,
    EligibilityRule,
    ScholarshipKind,
    SupportRecord,
    SupportStatus,
    describe_rule,
    validate_record,
)
from daryn_desktop.errors import UserError
from daryn_desktop.gui.events.common import button, dialog_buttons, grade_box, grade_of, show_error
from daryn_desktop.gui.widgets import DateField, FieldMessage
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import default_author
from daryn_desktop.storage.support import Support

M = SupportMeasure
#: Which fields each measure's form shows.
_FIELDS = {
    M.SCHOLARSHIP: ("kind", "title", "amount", "period", "order"),
    M.SUMMER_CAMP: ("title", "place", "period", "order"),
    M.HEALTH_CAMP: ("title", "place", "period", "order"),
    M.FORUM: ("title", "place", "period"),
    M.GRANT: ("title", "place", "order"),
    M.SPECIALISED_SCHOOL: ("place", "period"),
}


class RecordDialog(QDialog):
    """The details of a measure: for granting to chosen pupils, or to correct one record."""

    def __init__(self, measure: SupportMeasure, academic_year: str, parent: QWidget | None = None,
                 *, record: SupportRecord | None = None, count: int = 0):
        super().__init__(parent)
        self.setObjectName("supportRecordDialog")
        self.measure = measure
        self.record = record or SupportRecord("", measure, academic_year,
                                              status=STATUSES[measure][0])
        if record is None:
            self.setWindowTitle(ngettext("{measure}: grant to {count} pupil",
                                         "{measure}: grant to {count} pupils", count).format(
                measure=measure.label, count=count))
        else:
            self.setWindowTitle(_("{measure} — the record").format(measure=measure.label))
        fields = _FIELDS[measure]
        r = self.record
        self.status = QComboBox(self)
        self.status.setObjectName("supportStatus")
        statuses = STATUSES[measure] if record is not None else STATUSES[measure][:-1]
        for status in statuses:
            self.status.addItem(status.label, status.value)
        self.status.setCurrentIndex(max(self.status.findData(r.status.value), 0))
        self.kind = QComboBox(self)
        self.kind.setObjectName("supportKind")
        for kind in ScholarshipKind:
            self.kind.addItem(kind.label, kind.value)
        if r.kind is not None:
            self.kind.setCurrentIndex(self.kind.findData(r.kind.value))
        self.title = QLineEdit(r.title or "", self)
        self.title.setObjectName("supportTitle")
        self.amount = QSpinBox(self)
        self.amount.setObjectName("supportAmount")
        self.amount.setRange(0, 10_000_000)
        self.amount.setSingleStep(1000)
        self.amount.setSuffix(" ₸")
        self.amount.setSpecialValueText("—")
        self.amount.setValue(r.amount or 0)
        self.place = QLineEdit(r.place or "", self)
        self.place.setObjectName("supportPlace")
        self.start = DateField(self)
        self.start.setObjectName("supportStart")
        self.start.set_value(r.start_date)
        self.end = DateField(self)
        self.end.setObjectName("supportEnd")
        self.end.set_value(r.end_date)
        self.order_number = QLineEdit(r.order_number or "", self)
        self.order_number.setObjectName("supportOrderNumber")
        self.order_date = DateField(self)
        self.order_date.setObjectName("supportOrderDate")
        self.order_date.set_value(r.order_date)
        self.note = QLineEdit(r.note or "", self)
        self.note.setObjectName("supportNote")
        form = QFormLayout()
        if len(statuses) > 1:
            form.addRow(_("Status"), self.status)
        if "kind" in fields:
            form.addRow(_("Scholarship"), self.kind)
        if "title" in fields:
            form.addRow(_("Name (of the scholarship, camp, forum)"), self.title)
        if "amount" in fields:
            form.addRow(_("Monthly amount"), self.amount)
        if "place" in fields:
            form.addRow(_("Specialised school") if measure == M.SPECIALISED_SCHOOL
                        else _("Place"), self.place)
        if "period" in fields:
            dates = QHBoxLayout()
            dates.addWidget(self.start)
            dates.addWidget(QLabel("–", self))
            dates.addWidget(self.end)
            form.addRow(_("Period (from – to)"), dates)
        if "order" in fields:
            order = QHBoxLayout()
            order.addWidget(self.order_number)
            order.addWidget(QLabel(_("of"), self))
            order.addWidget(self.order_date)
            form.addRow(_("Order No."), order)
        form.addRow(_("Note"), self.note)
        self.message = FieldMessage(self)
        self.message.setObjectName("supportMessage")
        explain = QLabel(_("Saving writes a record for each pupil and completes (or adds) the"
                           " matching activity of the pupil's road map for the year.")
                         if record is None else "", self)
        explain.setWordWrap(True)
        buttons = dialog_buttons(self, _("&Grant") if record is None else _("&Save"),
                                 "supportRecordOk", self.accept_record, "supportRecordCancel")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explain)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def current(self) -> SupportRecord:
        fields = _FIELDS[self.measure]
        return dataclasses.replace(
            self.record, status=SupportStatus(self.status.currentData()),
            kind=ScholarshipKind(self.kind.currentData()) if "kind" in fields else None,
            title=self.title.text().strip() or None,
            amount=(self.amount.value() or None) if "amount" in fields else None,
            place=self.place.text().strip() or None,
            start_date=self.start.value(), end_date=self.end.value(),
            order_number=self.order_number.text().strip() or None,
            order_date=self.order_date.value(), note=self.note.text().strip() or None)

    def accept_record(self) -> None:
        bad_dates = [f.error() for f in (self.start, self.end, self.order_date) if f.error()]
        if bad_dates:
            self.message.show_message(str(bad_dates[0]))
            return
        record = self.current()
        found = validate_record(record)
        if has_errors(found):
            self.message.show_message("\n".join(f.text for f in found if f.is_error))
            return
        self.record = record
        self.accept()


class RuleDialog(QDialog):
    """A measure's eligibility rule: every condition a switch, described in words."""

    def __init__(self, store: Store, measure: SupportMeasure, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("supportRuleDialog")
        self.setWindowTitle(_("Who is eligible — {measure}").format(measure=measure.label))
        self.store = store
        self.measure = measure
        self.support = Support(store)
        rule = self.support.rule(measure)
        self.level = QComboBox(self)
        self.level.setObjectName("ruleMinLevel")
        for level in EventLevel:
            self.level.addItem(level.label, level.value)
        self.prize_only = QCheckBox(_("Only prize-winners"), self)
        self.prize_only.setObjectName("rulePrizeOnly")
        self.target = QCheckBox(_("Only pupils of the decree's target groups"), self)
        self.target.setObjectName("ruleTargetGroups")
        self.exclude = QCheckBox(_("Leave out pupils who already have the measure this year"),
                                 self)
        self.exclude.setObjectName("ruleExcludeGranted")
        self.kinds: dict[EventKind, QCheckBox] = {}
        kinds = QGridLayout()
        for i, kind in enumerate(EventKind):
            box = QCheckBox(kind.label, self)
            box.setObjectName(f"ruleKind_{kind.value}")
            self.kinds[kind] = box
            kinds.addWidget(box, i // 2, i % 2)
        self.grade_from = grade_box("ruleGradeFrom", None, self)
        self.grade_to = grade_box("ruleGradeTo", None, self)
        self.years = QSpinBox(self)
        self.years.setObjectName("ruleYears")
        self.years.setRange(1, 3)
        grades = QHBoxLayout()
        grades.addWidget(self.grade_from)
        grades.addWidget(QLabel("–", self))
        grades.addWidget(self.grade_to)
        grades.addStretch(1)
        form = QFormLayout()
        form.addRow(_("Lowest level of the event"), self.level)
        form.addRow("", self.prize_only)
        form.addRow(_("Kinds of event (none ticked: every kind)"), kinds)
        form.addRow("", self.target)
        form.addRow(_("Grades"), grades)
        form.addRow(_("Academic years counted"), self.years)
        form.addRow("", self.exclude)
        self.description = QLabel(self)
        self.description.setObjectName("ruleDescription")
        self.description.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        buttons.addButton(button(_("&Save"), "ruleSave", self.save, self),
                          QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(button(_("&Reset to the default"), "ruleReset", self.reset, self),
                          QDialogButtonBox.ButtonRole.ResetRole)
        buttons.addButton(button(_("Cancel"), "ruleCancel", self.reject, self),
                          QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.description)
        layout.addWidget(buttons)
        self.show_rule(rule)
        for box in (self.prize_only, self.target, self.exclude, *self.kinds.values()):
            box.toggled.connect(lambda _c: self._describe())
        for spin in (self.grade_from, self.grade_to, self.years):
            spin.valueChanged.connect(lambda _v: self._describe())
        self.level.currentIndexChanged.connect(lambda _i: self._describe())

    def show_rule(self, rule: EligibilityRule) -> None:
        self.level.setCurrentIndex(self.level.findData(rule.min_level.value))
        self.prize_only.setChecked(rule.prize_only)
        self.target.setChecked(rule.target_groups_only)
        self.exclude.setChecked(rule.exclude_granted)
        for kind, box in self.kinds.items():
            box.setChecked(kind in rule.kinds)
        self.grade_from.setValue(-1 if rule.grade_from is None else rule.grade_from)
        self.grade_to.setValue(-1 if rule.grade_to is None else rule.grade_to)
        self.years.setValue(rule.years)
        self._describe()

    def rule(self) -> EligibilityRule:
        return EligibilityRule(
            self.measure, EventLevel(self.level.currentData()), self.prize_only.isChecked(),
            tuple(k for k, box in self.kinds.items() if box.isChecked()),
            self.target.isChecked(), grade_of(self.grade_from), grade_of(self.grade_to),
            self.years.value(), self.exclude.isChecked())

    def _describe(self) -> None:
        self.description.setText("\n".join(f"• {line}" for line in describe_rule(self.rule())))

    def save(self) -> None:
        try:
            self.support.save_rule(self.rule(), author=default_author())
        except UserError as exc:
            show_error(self, exc)
            return
        self.accept()

    def reset(self) -> None:
        self.show_rule(DEFAULT_RULES.get(self.measure, EligibilityRule(self.measure)))
