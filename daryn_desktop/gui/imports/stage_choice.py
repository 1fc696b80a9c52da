"""The import wizard's choice of a calendar event and its stage for a protocol of results
(or "not in the calendar", for results that become plain achievements)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from daryn_desktop.core.events import current_stage, stage_period
from daryn_desktop.gui.events.common import year_combo
from daryn_desktop.i18n import _
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.events import Events


class StageChoice(QWidget):
    """A year and an event of the calendar, with ``stage`` to pick one of its stages;
    ``stage_id()`` is None while "not in the calendar" is chosen."""

    changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.events = Events(store)
        self.year = year_combo("importStageYear", self.events.years(), self)
        self.event_combo = QComboBox(self)
        self.event_combo.setObjectName("importCalendarEvent")
        self.event_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.event_combo.setMinimumContentsLength(36)
        #: The stage picker, placed by the owner on a row of its own.
        self.stage = QComboBox(parent)
        self.stage.setObjectName("importStage")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.year)
        row.addWidget(self.event_combo, 1)
        self.year.currentIndexChanged.connect(lambda _i: self._load_events())
        self.event_combo.currentIndexChanged.connect(lambda _i: self._load_stages())
        self.stage.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._load_events()

    def _load_events(self, select: str | None = None) -> None:
        self.event_combo.blockSignals(True)
        self.event_combo.clear()
        self.event_combo.addItem(_("— not in the calendar —"), None)
        for row in self.events.list_events(self.year.currentData()):
            self.event_combo.addItem(row.event.name, row.event.id)
        self.event_combo.setCurrentIndex(max(self.event_combo.findData(select), 0) if select else 0)
        self.event_combo.blockSignals(False)
        self._load_stages()

    def _load_stages(self, select: str | None = None) -> None:
        event_id = self.event_combo.currentData()
        stages = self.events.stages(event_id) if event_id else []
        self.stage.blockSignals(True)
        self.stage.clear()
        for stage in stages:
            dates = stage_period(stage)
            self.stage.addItem(f"{stage.title()} ({dates})" if dates else stage.title(),
                               stage.id)
        chosen = select or (current_stage(stages, date.today()) or
                            (stages[0] if stages else None))
        if chosen is not None:
            stage_id = chosen if isinstance(chosen, str) else chosen.id
            self.stage.setCurrentIndex(max(self.stage.findData(stage_id), 0))
        self.stage.setEnabled(bool(stages))
        self.stage.blockSignals(False)
        self.changed.emit()

    def find_event(self, name: str) -> int | None:
        """The index of the year's calendar event called ``name`` (any case), if any."""
        wanted = " ".join(name.split()).casefold()
        if not wanted:
            return None
        for index in range(1, self.event_combo.count()):
            if " ".join(self.event_combo.itemText(index).split()).casefold() == wanted:
                return index
        return None

    def stage_id(self) -> str | None:
        return self.stage.currentData() if self.event_combo.currentData() else None

    def event_subject(self) -> str | None:
        """The chosen event's subject when it has only one (the subject of every row)."""
        event_id = self.event_combo.currentData()
        subject = self.events.event(event_id).subject if event_id else None
        return subject if subject and "," not in subject else None

    def select(self, stage_id: str) -> None:
        """Show the stage ``stage_id`` (its year and event first)."""
        stage = self.events.stage(stage_id)
        event = self.events.event(stage.event_id)
        self.year.blockSignals(True)
        if self.year.findData(event.academic_year) < 0:
            self.year.addItem(event.academic_year, event.academic_year)
        self.year.setCurrentIndex(self.year.findData(event.academic_year))
        self.year.blockSignals(False)
        self._load_events(select=event.id)
        self._load_stages(select=stage_id)
