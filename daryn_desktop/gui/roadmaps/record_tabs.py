"""The road-map editor's other tabs: the pupil's abilities and the people responsible, the
quarterly reviews, and the amendments."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.dates import format_date
from daryn_desktop.core.entities import Amendment, Review
from daryn_desktop.core.enums import StaffRole
from daryn_desktop.gui.buttons import button
from daryn_desktop.gui.roadmaps.models import ROMAN
from daryn_desktop.i18n import _
from daryn_desktop.storage.database import Store

TEXT_FIELDS = (("identification", "How the ability was identified"),
               ("strengths", "Strengths"), ("interests", "Interests"))
PEOPLE = (("coordinator_id", StaffRole.COORDINATOR), ("mentor_id", StaffRole.MENTOR),
          ("psychologist_id", StaffRole.PSYCHOLOGIST))


class AboutTab(QWidget):
    """The pupil's abilities and the people responsible: printed, part of the plan."""

    changed = Signal()

    def __init__(self, store: Store, school_id: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.text_edits: dict[str, QPlainTextEdit] = {}
        form = QFormLayout(self)
        for name, label in TEXT_FIELDS:
            edit = QPlainTextEdit()
            edit.setObjectName(f"roadMap_{name}")
            edit.setTabChangesFocus(True)
            edit.textChanged.connect(self.changed.emit)
            self.text_edits[name] = edit
            form.addRow(_(label), edit)
        self.people: dict[str, QComboBox] = {}
        for name, role in PEOPLE:
            box = QComboBox()
            box.setObjectName(f"roadMap_{name}")
            box.addItem("—", None)
            for staff in store.repos.staff.all(role=role.value, serving_school=school_id):
                box.addItem(staff.full_name, staff.id)
            box.currentIndexChanged.connect(lambda _i: self.changed.emit())
            self.people[name] = box
            form.addRow(role.label, box)

    def fields(self) -> dict[str, object]:
        """The texts and the people chosen, as the road map stores them."""
        fields: dict[str, object] = {name: edit.toPlainText().strip() or None
                                     for name, edit in self.text_edits.items()}
        fields.update({name: box.currentData() for name, box in self.people.items()})
        return fields

    def set_editable(self, editable: bool) -> None:
        for edit in self.text_edits.values():
            edit.setReadOnly(not editable)
        for box in self.people.values():
            box.setEnabled(editable)


class ReviewsTab(QWidget):
    """One box per quarter; each new review is appended, never edited."""

    #: *Add review* was pressed under a quarter (1 to 4).
    review_wanted = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        reviews_layout = QHBoxLayout(self)
        self.views: dict[int, QLabel] = {}
        self.edits: dict[int, QPlainTextEdit] = {}
        self.buttons: dict[int, QPushButton] = {}
        for quarter in range(1, 5):
            box = QGroupBox(_("Quarter {number}").format(number=ROMAN[quarter]))
            layout = QVBoxLayout(box)
            view = QLabel()
            view.setWordWrap(True)
            view.setAlignment(Qt.AlignmentFlag.AlignTop)
            view.setTextFormat(Qt.TextFormat.PlainText)
            edit = QPlainTextEdit()
            edit.setObjectName(f"roadMapReview{quarter}")
            edit.setPlaceholderText(_("Progress and changes in this quarter"))
            add = button(_("Add review"), f"roadMapAddReview{quarter}",
                         partial(self.review_wanted.emit, quarter))
            layout.addWidget(view, 1)
            layout.addWidget(edit)
            layout.addWidget(add)
            self.views[quarter], self.edits[quarter] = view, edit
            self.buttons[quarter] = add
            reviews_layout.addWidget(box)

    def show_reviews(self, reviews: list[Review]) -> None:
        by_quarter: dict[int, list[str]] = {q: [] for q in range(1, 5)}
        for review in reviews:
            by_quarter.setdefault(review.quarter, []).append(
                f"{format_date(review.date)} — {review.author or ''}\n{review.text}")
        for quarter, view in self.views.items():
            view.setText("\n\n".join(by_quarter.get(quarter, [])) or _("No review yet."))
            self.edits[quarter].clear()

    def set_allowed(self, allowed: bool) -> None:
        for quarter in range(1, 5):
            self.edits[quarter].setEnabled(allowed)
            self.buttons[quarter].setEnabled(allowed)


class AmendmentsTable(QTableWidget):
    """The numbered amendments of a signed plan: when, why and what changed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 4, parent)
        self.setObjectName("roadMapAmendments")
        self.setHorizontalHeaderLabels(["№", _("Date"), _("Reason"), _("What changed")])
        self.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(2, 260)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)

    def show_amendments(self, amendments: list[Amendment]) -> None:
        self.setRowCount(len(amendments))
        for row, a in enumerate(amendments):
            for column, text in enumerate((str(a.number), format_date(a.date), a.reason,
                                           a.summary or "")):
                self.setItem(row, column, QTableWidgetItem(text))
        self.resizeRowsToContents()
