"""The deliberate steps of a road map's life: signing, closing the year, reopening.

Each asks for what makes the step meaningful (the date and who signed; the year's result;
the reason for reopening) and says beforehand what will happen, so that no single click
freezes or closes a child's plan.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core import roadmap as rules
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import RoadMapStatus
from daryn_desktop.gui.roadmaps.models import ROMAN
from daryn_desktop.gui.widgets import ERROR_COLOR, QT_DATE_FORMAT, bold
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.storage.roadmaps import RoadMapData

#: At most this many items are listed in a dialog; the rest are counted.
LISTED = 12


def _day(value: QDate) -> date:
    """A QDate as a Python date."""
    return date(value.year(), value.month(), value.day())


def _date_edit(name: str, *, latest: date | None = None) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setObjectName(name)
    edit.setDisplayFormat(QT_DATE_FORMAT)
    edit.setCalendarPopup(True)
    if latest is not None:
        edit.setMaximumDate(QDate(latest.year, latest.month, latest.day))
    return edit


def _text_edit(name: str, placeholder: str, height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _listing(lines: list[str]) -> str:
    """Lines as a bullet list, at most :data:`LISTED` of them, then how many more."""
    shown = [f"• {line}" for line in lines[:LISTED]]
    if len(lines) > LISTED:
        shown.append(_("… and {count} more").format(count=len(lines) - LISTED))
    return "\n".join(shown)


def _when(activity_due: date | None, quarter: int | None) -> str:
    if activity_due is not None:
        return format_date(activity_due)
    return _("quarter {number}").format(number=ROMAN.get(quarter or 0, "—"))


class _StepDialog(QDialog):
    """A dialog whose main button is enabled only while :meth:`ready` says so."""

    def __init__(self, name: str, title: str, accept_text: str, parent: QWidget | None):
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.accept_button: QPushButton = self.buttons.addButton(
            accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setObjectName(f"{name}Accept")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.setMinimumWidth(560)

    def ready(self) -> bool:
        return True

    def update_state(self) -> None:
        self.accept_button.setEnabled(self.ready())


class SignDialog(_StepDialog):
    """Sign: the date and who signed, and what the signature freezes."""

    def __init__(self, data: RoadMapData, pupil_name: str, signatories: list[str],
                 parent: QWidget | None = None):
        super().__init__("signDialog", _("Sign the road map"), _("Sign"), parent)
        problems = rules.sign_problems(data.road_map, data.goals, data.activities)
        self.problems = [_(p) for p in problems]
        head = bold(QLabel(_("{name} — road map for {year}").format(
            name=pupil_name, year=data.road_map.academic_year)))
        frozen = _wrapped(_(
            "Signing keeps the road map exactly as it is now: the goals, the activities with"
            " their dates and responsible people, the pupil's abilities and the people"
            " named in it. Afterwards the progress (an activity's status and result, a goal"
            " achieved) is recorded as usual, but every change of the plan becomes a"
            " numbered amendment with its reason. A signature made by mistake can be"
            " taken back with “Reopen…”, which is recorded too."))
        goals = [g.text for g in data.goals]
        activities = [f"{a.title} — {_when(a.due_date, a.due_quarter)}"
                      for a in data.activities]
        what = QLabel(
            ngettext("{count} goal:", "{count} goals:", len(goals)).format(count=len(goals))
            + "\n" + _listing(goals) + "\n"
            + ngettext("{count} activity:", "{count} activities:", len(activities)).format(
                count=len(activities)) + "\n" + _listing(activities))
        what.setObjectName("signFrozen")
        what.setWordWrap(True)
        self.problem_label = _wrapped(_("It cannot be signed yet: {problems}.").format(
            problems="; ".join(self.problems)))
        self.problem_label.setObjectName("signProblems")
        self.problem_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.problem_label.setVisible(bool(problems))
        self.date_edit = _date_edit("signDate", latest=date.today())
        self.signed_by = _text_edit(
            "signSignedBy", _("One person per line: who signed and in what role"), 96)
        self.signed_by.setPlainText("\n".join(signatories))
        form = QFormLayout()
        form.addRow(_("Date of signing:"), self.date_edit)
        form.addRow(_("Signed by:"), self.signed_by)
        for widget in (head, frozen, what, self.problem_label):
            self.layout_.addWidget(widget)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.buttons)
        self.signed_by.textChanged.connect(self.update_state)
        self.update_state()

    def ready(self) -> bool:
        return not self.problems and bool(self.signed_by.toPlainText().strip())

    @property
    def on(self) -> date:
        return _day(self.date_edit.date())

    @property
    def people(self) -> str:
        lines = [line.strip() for line in self.signed_by.toPlainText().splitlines()]
        return "\n".join(line for line in lines if line)


class CloseYearDialog(_StepDialog):
    """Close the year: how much is not done, a confirmation and the year's result."""

    def __init__(self, data: RoadMapData, pupil_name: str, parent: QWidget | None = None):
        super().__init__("closeYearDialog", _("Close the year: the road map"),
                         _("Close the year"), parent)
        year = AcademicYear.parse(data.road_map.academic_year)
        head = bold(QLabel(_("{name} — road map for {year}").format(
            name=pupil_name, year=year.label)))
        explain = _wrapped(_(
            "Closing ends the road map's year: it becomes read-only and is printed as the"
            " year's record. Close it when the year is over or the pupil has left. If it is"
            " closed by mistake, “Reopen…” opens it again (with a reason, kept in the"
            " amendments)."))
        self.layout_.addWidget(head)
        self.layout_.addWidget(explain)
        if date.today() < year.last_day:
            early = _wrapped(_("The academic year {year} is not over yet: it ends on"
                               " {date}.").format(year=year.label,
                                                  date=format_date(year.last_day)))
            early.setObjectName("closeYearEarly")
            early.setStyleSheet(f"color: {ERROR_COLOR};")
            self.layout_.addWidget(early)
        open_acts = data.open_activities
        self.confirm: QCheckBox | None = None
        if open_acts:
            count = QLabel(ngettext(
                "{count} activity is not done (planned or in progress):",
                "{count} activities are not done (planned or in progress):",
                len(open_acts)).format(count=len(open_acts)) + "\n" + _listing(
                    [f"{a.title} — {a.status.label}" for a in open_acts]))
            count.setObjectName("closeYearOpen")
            count.setWordWrap(True)
            self.layout_.addWidget(count)
            self.confirm = QCheckBox(_("Close the year although they are not done"))
            self.confirm.setObjectName("closeYearConfirm")
            self.confirm.toggled.connect(self.update_state)
        else:
            done = QLabel(_("Every activity is done or cancelled."))
            done.setObjectName("closeYearOpen")
            self.layout_.addWidget(done)
        self.date_edit = _date_edit("closeYearDate", latest=date.today())
        self.comment = _text_edit("closeYearComment", _(
            "The year's result in a few words: what was achieved, what goes on next year"))
        form = QFormLayout()
        form.addRow(_("Date of closing:"), self.date_edit)
        form.addRow(_("The year's result:"), self.comment)
        self.layout_.addLayout(form)
        if self.confirm is not None:
            self.layout_.addWidget(self.confirm)
        self.layout_.addWidget(self.buttons)
        self.comment.textChanged.connect(self.update_state)
        self.update_state()

    def ready(self) -> bool:
        confirmed = self.confirm is None or self.confirm.isChecked()
        return confirmed and bool(self.text.strip())

    @property
    def text(self) -> str:
        return self.comment.toPlainText().strip()

    @property
    def on(self) -> date:
        return _day(self.date_edit.date())


class ReopenDialog(_StepDialog):
    """Reopen a signed or closed road map, for a reason kept as an amendment."""

    def __init__(self, data: RoadMapData, pupil_name: str, parent: QWidget | None = None):
        super().__init__("reopenDialog", _("Reopen the road map"), _("Reopen"), parent)
        road_map = data.road_map
        target = rules.reopened_status(road_map.status,
                                       was_signed=road_map.signed_date is not None)
        head = bold(QLabel(_("{name} — road map for {year}").format(
            name=pupil_name, year=road_map.academic_year)))
        if road_map.status == RoadMapStatus.SIGNED:
            what = _("The road map becomes “{status}” again: its plan can be changed freely"
                     " and it must be signed anew. The version signed on {date} stays"
                     " printable until then.").format(
                status=target.label, date=format_date(road_map.signed_date))
        else:
            what = _("The road map becomes “{status}” again and can be edited; close the"
                     " year again when it is over.").format(status=target.label)
        number = max((a.number for a in data.amendments), default=0) + 1
        recorded = _("The reason is kept as amendment No. {number}, printed with the road"
                     " map and sent to the region with the next bundle.").format(number=number)
        for text in (what, recorded):
            self.layout_.addWidget(_wrapped(text))
        self.reason = _text_edit("reopenReason", _("Why the road map is opened again"))
        form = QFormLayout()
        form.addRow(_("Reason:"), self.reason)
        self.layout_.insertWidget(0, head)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.buttons)
        self.reason.textChanged.connect(self.update_state)
        self.update_state()

    def ready(self) -> bool:
        return bool(self.text)

    @property
    def text(self) -> str:
        return self.reason.toPlainText().strip()
