"""The editor's History tab: who changed what in the pupil's record, and when."""

from __future__ import annotations

from datetime import date, timezone
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import (
    AttachmentKind,
    Award,
    DiagnosticMethod,
    EventKind,
    EventLevel,
    FamilyCategory,
    GiftednessKind,
    GuardianRelation,
    Labeled,
    Language,
    PupilStatus,
    Sex,
    SupportMeasure,
)
from daryn_desktop.core.fields import FIELD_NAMES
from daryn_desktop.core.support import ScholarshipKind, SupportStatus
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.gui.models import label_of
from daryn_desktop.i18n import N_, _, current_language
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import HistoryEntry, pupil_history

#: What each kind of record is called in the history.
RECORD_NAMES = {
    "pupils": N_("Profile"),
    "guardians": N_("Parent or guardian"),
    "pupil_categories": N_("Family category"),
    "giftedness_areas": N_("Giftedness area"),
    "diagnostics": N_("Diagnostic"),
    "achievements": N_("Achievement"),
    "attachments": N_("Attachment"),
    "participants": N_("Taking part in an event"),
    "research_projects": N_("Research project"),
    "support_records": N_("Support measure"),
}

#: Fields whose values are enumeration members, per record kind where names clash.
_ENUMS: dict[str, type[Labeled]] = {
    "sex": Sex, "language": Language, "status": PupilStatus, "relation": GuardianRelation,
    "category": FamilyCategory, "method": DiagnosticMethod, "event_kind": EventKind,
    "level": EventLevel, "award": Award, "measure": SupportMeasure,
}
_KIND_ENUMS: dict[str, type[Labeled]] = {"giftedness_areas": GiftednessKind,
                                         "attachments": AttachmentKind,
                                         "support_records": ScholarshipKind}
_STATUS_ENUMS: dict[str, type[Labeled]] = {"support_records": SupportStatus}
#: Internal links that mean nothing to a person.
_HIDDEN = {"pupil_id", "sha256", "event_id", "stage_id", "project_id", "achievement_id",
           "activity_id"}
_DATES = {"birth_date", "consent_date", "since", "until", "date", "start_date", "end_date",
          "order_date"}


class HistoryTab(QWidget):
    """The change log of the pupil's record, newest first."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels([_("When"), _("Who"), _("Record"), _("Changes")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((130, 110, 150)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel(_("Nothing has been saved for this pupil yet."), self)
        self.empty.setObjectName("historyEmpty")
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def load(self, pupil_id: str | None) -> None:
        entries = pupil_history(self.store, pupil_id) if pupil_id else []
        self.empty.setVisible(not entries)
        self.table.setRowCount(len(entries))
        names = RecordNames(self.store)
        for row, entry in enumerate(entries):
            local = entry.at.replace(tzinfo=entry.at.tzinfo or timezone.utc).astimezone()
            when = f"{format_date(local.date())} {local:%H:%M}"
            what = _(RECORD_NAMES.get(entry.table, entry.table))
            if entry.op == "insert":
                what = _("{record} (added)").format(record=what)
            cells = (when, entry.author or "—", what, describe(entry, names))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)


class RecordNames:
    """Names of the schools and staff that records refer to by id."""

    def __init__(self, store: Store):
        self.store = store
        self._cache: dict[tuple[str, str], str] = {}

    def school(self, school_id: str) -> str:
        key = ("school", school_id)
        if key not in self._cache:
            found = self.store.repos.schools.find(school_id)
            self._cache[key] = found.name if found else school_id
        return self._cache[key]

    def staff(self, staff_id: str) -> str:
        key = ("staff", staff_id)
        if key not in self._cache:
            found = self.store.repos.staff.find(staff_id)
            self._cache[key] = found.full_name if found else staff_id
        return self._cache[key]


def field_value(table: str, name: str, value: Any, names: RecordNames) -> str:
    """A stored value as a person reads it: labels, names and dates instead of codes and ids."""
    if value is None or value == "":
        return "—"
    if name == "consent_given":
        return _("yes") if value else _("no")
    if name == "school_id":
        return names.school(str(value))
    if name == "settlement_kato":
        place = gazetteer().find(str(value))
        return place.name(current_language()) if place else str(value)
    if name in ("teacher_id", "staff_id", "supervisor_id"):
        return names.staff(str(value))
    if name == "kind" and table in _KIND_ENUMS:
        return label_of(_KIND_ENUMS[table], str(value))
    if name == "status" and table in _STATUS_ENUMS:
        return label_of(_STATUS_ENUMS[table], str(value))
    if name in ("withdrawn", "removed"):
        return _("yes") if value else _("no")
    if name in _ENUMS:
        return label_of(_ENUMS[name], str(value))
    if name in _DATES:
        try:
            return format_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def describe(entry: HistoryEntry, names: RecordNames) -> str:
    """The fields written, as "Grade: 8; Class letter: Б"."""
    parts = []
    for name, value in entry.fields.items():
        if name in _HIDDEN:
            continue
        label = _(FIELD_NAMES[name]) if name in FIELD_NAMES else name
        shown = field_value(entry.table, name, value, names)
        parts.append(_("{field}: {value}").format(field=label, value=shown))
    return "; ".join(parts)
