"""The main window's "Events & achievements" section: calendar, results, support, projects,
and the professional development of staff, each on a tab."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from daryn_desktop.gui.events.calendar import CalendarTab
from daryn_desktop.gui.events.projects import ProjectsTab
from daryn_desktop.gui.events.results import ResultsTab
from daryn_desktop.gui.events.staffdev import StaffDevelopmentTab
from daryn_desktop.gui.events.support import SupportTab
from daryn_desktop.i18n import _
from daryn_desktop.storage.database import Store


class EventsSection(QWidget):
    """The events calendar with the results of its stages, and the support of the winners."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("eventsSection")
        self.store = store
        self.calendar = CalendarTab(store, self)
        self.results = ResultsTab(store, self)
        self.support = SupportTab(store, self)
        self.projects = ProjectsTab(store, self)
        self.staff = StaffDevelopmentTab(store, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("eventsTabs")
        for page, title in ((self.calendar, _("Calendar")), (self.results, _("Results")),
                            (self.support, _("Support measures")),
                            (self.projects, _("Research projects")),
                            (self.staff, _("Staff development"))):
            self.tabs.addTab(page, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.calendar.results_wanted.connect(self.open_results)
        self._current = 0
        self.tabs.currentChanged.connect(self._tab_changed)

    def open_results(self, event_id: str) -> None:
        """Show the results grid of an event (from the calendar)."""
        self.tabs.setCurrentWidget(self.results)
        self.results.show_event(event_id)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(self._current) is self.results and index != self._current \
                and not self.results.can_leave():
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(self._current)
            self.tabs.blockSignals(False)
            return
        self._current = index
        self._refresh(index)

    def _refresh(self, index: int) -> None:
        page = self.tabs.widget(index)
        refresh = getattr(page, "refresh", None)
        if refresh is not None:
            refresh()

    def on_shown(self) -> None:
        """Called each time the section becomes current: the data may have changed."""
        self._refresh(self.tabs.currentIndex())

    def can_leave(self) -> bool:
        """Unsaved results ask before the window closes or the language changes."""
        return self.results.can_leave()
