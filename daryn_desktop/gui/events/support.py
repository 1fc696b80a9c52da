"""The support tab: eligibility lists by the measures' rules, granting, and the register."""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import Qt
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
    QMessageBox,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.enums import ActivityStatus, EventKind, EventLevel, SupportMeasure
from daryn_desktop.core.findings import has_errors
from daryn_desktop.core.support import (
    DEFAULT_RULES,
    REGISTER_MEASURES,
    STATUSES,
    Candidate,
    EligibilityRule,
    ScholarshipKind,
    SupportRecord,
    SupportStatus,
    describe_record,
    describe_rule,
    validate_record,
)
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.errors import UserError
from daryn_desktop.gui.events.common import (
    button,
    cell,
    dialog_buttons,
    fill,
    grade_box,
    grade_of,
    headers_of,
    row_data,
    save_pdf,
    save_xlsx,
    show_error,
    table_widget,
    texts_of,
    year_combo,
)
from daryn_desktop.gui.tasks import start_task
from daryn_desktop.gui.widgets import DateField, FieldMessage
from daryn_desktop.i18n import _, current_language, ngettext
from daryn_desktop.reports.events_pdf import print_forum_list, print_scholarship_list
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import default_author
from daryn_desktop.storage.support import Support, SupportRow

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


def _district(kato: str) -> str:
    place = gazetteer().find(kato)
    return place.name(current_language()) if place else kato


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


class SupportTab(QWidget):
    """A measure and a year: who is eligible (and why), granting, and the register."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("supportTab")
        self.store = store
        self.support = Support(store)
        self.candidates: list[Candidate] = []
        self.records: list[SupportRow] = []
        self.measure = QComboBox(self)
        self.measure.setObjectName("supportMeasure")
        for measure in REGISTER_MEASURES:
            self.measure.addItem(measure.label, measure.value)
        self.year = year_combo("supportYear", [], self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Measure:"), self))
        top.addWidget(self.measure)
        top.addWidget(QLabel(_("Year:"), self))
        top.addWidget(self.year)
        top.addStretch(1)

        # Eligible pupils.
        self.rule_text = QLabel(self)
        self.rule_text.setObjectName("supportRuleText")
        self.rule_text.setWordWrap(True)
        self.eligible = table_widget("supportEligible", [
            _("Pupil"), _("Grade"), _("School"), _("District"), _("Target groups"),
            _("Qualifying result"), _("Results")], self)
        self.eligible_count = QLabel(self)
        self.eligible_count.setObjectName("supportEligibleCount")
        self.rule_button = button(_("&Rule…"), "supportRule", self.edit_rule, self)
        self.all_button = button(_("Tick &all"), "supportTickAll", lambda: self._tick(True), self)
        self.none_button = button(_("Untick all"), "supportTickNone", lambda: self._tick(False),
                                  self)
        self.grant_button = button(_("&Grant to the ticked…"), "supportGrant", self.grant, self,
                                   tip=_("Nothing is granted until you confirm here."))
        eligible_box = QWidget(self)
        box = QVBoxLayout(eligible_box)
        head = QHBoxLayout()
        head.addWidget(self.rule_text, 1)
        head.addWidget(self.rule_button, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(head)
        box.addWidget(self.eligible, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.eligible_count, 1)
        for b in (button(_("Save as E&xcel…"), "supportEligibleXlsx",
                         lambda: self._excel(self.eligible, _("Eligible")), self),
                  self.all_button, self.none_button, self.grant_button):
            actions.addWidget(b)
        box.addLayout(actions)

        # The register.
        self.order = QComboBox(self)
        self.order.setObjectName("supportOrder")
        self.register = table_widget("supportRecords", [
            _("Pupil"), _("Grade"), _("School"), _("Status"), _("Road map"), _("Details"),
            _("Qualifying result")], self)
        self.register.doubleClicked.connect(lambda _i: self.edit_record())
        self.register_count = QLabel(self)
        self.edit_button = button(_("&Edit…"), "supportEdit", self.edit_record, self)
        self.lang = QComboBox(self)
        self.lang.setObjectName("supportDocumentLanguage")
        self.lang.addItem("қазақша", "kk")
        self.lang.addItem("русский", "ru")
        self.scholarship_pdf = button(_("&Scholarship list of the order (PDF)…"),
                                      "supportScholarshipPdf", self.print_scholarships, self)
        self.forum_pdf = button(_("&Forum invitation list (PDF)…"), "supportForumPdf",
                                self.print_forum, self)
        register_box = QWidget(self)
        box = QVBoxLayout(register_box)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Order:"), self))
        filters.addWidget(self.order)
        filters.addStretch(1)
        box.addLayout(filters)
        box.addWidget(self.register, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.register_count, 1)
        for w in (button(_("Save as E&xcel…"), "supportRegisterXlsx",
                         lambda: self._excel(self.register, _("Register")), self),
                  self.edit_button, self.lang, self.scholarship_pdf, self.forum_pdf):
            actions.addWidget(w)
        box.addLayout(actions)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("supportTabs")
        self.tabs.addTab(eligible_box, _("Eligible"))
        self.tabs.addTab(register_box, _("Register"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.measure.currentIndexChanged.connect(lambda _i: self.refresh())
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.order.currentIndexChanged.connect(lambda _i: self.load_register())
        # Filled when the tab is first shown (the section refreshes the current tab).

    def _excel(self, table: QTableWidget, what: str) -> None:
        measure, year = self.current_measure(), self.year.currentData()
        return save_xlsx(self, what, f"{measure.value}_{year}.xlsx", headers_of(table),
                         texts_of(table), heading=[measure.label, year])

    def current_measure(self) -> SupportMeasure:
        return SupportMeasure(self.measure.currentData())

    def refresh(self) -> None:
        self.load_eligible()
        self.load_orders()
        self.load_register()

    # -- eligibility -----------------------------------------------------------------------
    def load_eligible(self) -> None:
        measure = self.current_measure()
        rule = self.support.rule(measure)
        own = "" if self.support.is_default(measure) else " " + _("(changed from the default)")
        self.rule_text.setText(_("Who is offered{own}:").format(own=own) + "\n" + "\n".join(
            f"• {line}" for line in describe_rule(rule)))
        year = self.year.currentData()
        # A region's results of a year are many: worked out off the window's thread.
        support = self.support
        start_task(self, _("Finding the eligible pupils…"),
                   lambda _report, _cancel: support.eligible(measure, year),
                   self._show_eligible, writes_data=False)

    def _show_eligible(self, candidates: list[Candidate]) -> None:
        self.candidates = candidates
        rows = []
        for c in self.candidates:
            basis = c.basis
            result = ", ".join(x for x in (basis.event_name, basis.subject, basis.level.label,
                                           basis.award.label, basis.academic_year) if x)
            rows.append([c.pupil.full_name, str(c.pupil.grade), c.pupil.school_name,
                         _district(c.pupil.district_kato),
                         ", ".join(_(g) for g in c.pupil.groups), result, str(c.results)])
        fill(self.eligible, rows, data=[c.pupil.pupil_id for c in self.candidates])
        for r in range(self.eligible.rowCount()):
            item = cell(self.eligible, r, 0)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.eligible.resizeColumnsToContents()
        for column, widest in ((0, 260), (2, 240), (4, 220), (5, 420)):
            self.eligible.setColumnWidth(column, min(self.eligible.columnWidth(column), widest))
        self.eligible_count.setText(ngettext("{count} pupil eligible", "{count} pupils eligible",
                                             len(self.candidates)).format(
            count=len(self.candidates)))
        self.grant_button.setEnabled(bool(self.candidates))
        self.tabs.setTabText(0, _("Eligible ({count})").format(count=len(self.candidates)))

    def _tick(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for r in range(self.eligible.rowCount()):
            cell(self.eligible, r, 0).setCheckState(state)

    def ticked(self) -> list[Candidate]:
        out = []
        for r in range(self.eligible.rowCount()):
            if cell(self.eligible, r, 0).checkState() == Qt.CheckState.Checked:
                out.append(self.candidates[r])
        return out

    def grant(self) -> None:
        chosen = self.ticked()
        if not chosen:
            QMessageBox.information(self, _("Support"), _("Tick the pupils to grant the measure"
                                                          " to."))
            return
        measure = self.current_measure()
        dialog = RecordDialog(measure, self.year.currentData(), self, count=len(chosen))
        if not dialog.exec():
            return
        try:
            done = self.support.grant([(c.pupil.pupil_id, c.basis.achievement_id)
                                       for c in chosen], dialog.record, on=date.today(),
                                      author=default_author())
        except UserError as exc:
            show_error(self, exc)
            return
        lines = [ngettext("Granted to {count} pupil.", "Granted to {count} pupils.",
                          len(done.records)).format(count=len(done.records)),
                 _("Road maps: {completed} activities completed, {added} added ({created} new"
                   " drafts, {amendments} amendments).").format(
                     completed=done.activities_completed, added=done.activities_added,
                     created=done.road_maps_created, amendments=done.amendments)]
        if done.closed:
            lines.append(ngettext("{count} road map is closed and was left as it is.",
                                  "{count} road maps are closed and were left as they are.",
                                  done.closed).format(count=done.closed))
        QMessageBox.information(self, _("Support"), "\n".join(lines))
        self.refresh()
        self.tabs.setCurrentIndex(1)

    def edit_rule(self) -> None:
        if RuleDialog(self.store, self.current_measure(), self).exec():
            self.load_eligible()

    # -- the register ----------------------------------------------------------------------
    def load_orders(self) -> None:
        measure = self.current_measure()
        self.order.blockSignals(True)
        current = self.order.currentData()
        self.order.clear()
        self.order.addItem(_("All"), None)
        for number in self.support.order_numbers(measure, self.year.currentData()):
            self.order.addItem(_("No. {number}").format(number=number), number)
        self.order.setCurrentIndex(max(self.order.findData(current), 0))
        self.order.blockSignals(False)

    def load_register(self) -> None:
        measure = self.current_measure()
        self.records = self.support.rows(measure=measure, academic_year=self.year.currentData(),
                                         order_number=self.order.currentData())
        rows = []
        for r in self.records:
            result = ", ".join(x for x in (r.basis_event, r.basis_subject,
                                           r.basis_level.label if r.basis_level else None,
                                           r.basis_award.label if r.basis_award else None) if x)
            rows.append([r.full_name, f"{r.grade}{r.class_letter or ''}", r.school_name,
                         r.record.status.label, _activity_label(r.activity_status),
                         describe_record(r.record), result])
        fill(self.register, rows, data=[r.record.id for r in self.records])
        self.register.resizeColumnsToContents()
        for column, widest in ((0, 260), (2, 240), (5, 380), (6, 300)):
            self.register.setColumnWidth(column, min(self.register.columnWidth(column), widest))
        self.register_count.setText(ngettext("{count} record", "{count} records",
                                             len(self.records)).format(count=len(self.records)))
        self.tabs.setTabText(1, _("Register ({count})").format(count=len(self.records)))
        self.edit_button.setEnabled(bool(self.records))
        self.scholarship_pdf.setVisible(measure == M.SCHOLARSHIP)
        self.scholarship_pdf.setEnabled(self.order.currentData() is not None)
        self.forum_pdf.setVisible(measure == M.FORUM)
        self.forum_pdf.setEnabled(bool(self.records))

    def edit_record(self) -> None:
        record_id = row_data(self.register)
        row = next((r for r in self.records if r.record.id == record_id), None)
        if row is None:
            return
        dialog = RecordDialog(row.record.measure, row.record.academic_year, self,
                              record=row.record)
        if not dialog.exec():
            return
        try:
            self.support.save(dialog.record, author=default_author())
        except UserError as exc:
            show_error(self, exc)
            return
        self.refresh()

    def print_scholarships(self) -> None:
        number = self.order.currentData()
        if number is None:
            return None
        lang = self.lang.currentData()
        year = self.year.currentData()
        return save_pdf(self, _("Save the scholarship list as PDF"),
                        f"scholarships_{number}_{lang}.pdf",
                        lambda path: print_scholarship_list(self.store, path, order_number=number,
                                                            academic_year=year, lang=lang))

    def print_forum(self) -> None:
        lang = self.lang.currentData()
        year = self.year.currentData()
        return save_pdf(self, _("Save the forum invitation list as PDF"),
                        f"forum_{year}_{lang}.pdf",
                        lambda path: print_forum_list(self.store, path, academic_year=year,
                                                      lang=lang))


def _activity_label(status: ActivityStatus | None) -> str:
    return status.label if status is not None else "—"
