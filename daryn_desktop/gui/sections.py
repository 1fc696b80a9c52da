"""The main window's sections: an ordered registry whose pages are found by module path.

Each section names its page as ``"package.module:Class"``; the class is constructed as
``Class(store, parent=None)`` the first time the section is shown. A section whose factory is
``None``, or whose module does not exist (yet), shows a plain page saying that the part is not
ready and what it will hold. Nothing else in the GUI refers to the modules of other parts, so
a part plugs in by setting its entry here and nowhere else.

The pupil editor's "Road map" tab is found the same way through :data:`ROAD_MAP_EDITOR`,
constructed as ``Class(store, pupil_id, parent=None)`` with the object name ``roadMapEditor``.

A page may define ``on_shown()`` (called each time its section becomes current, e.g. to
refresh counts) and ``can_leave() -> bool`` (asked before the window closes or the language
changes; return False to keep the person on the page, e.g. after "Cancel" on unsaved edits).
A page that shows a search or filters may define ``view_state() -> dict`` and
``restore_view_state(state)``: a language switch rebuilds the window, and the new page is
given back what the old one showed.

Every button and action of a page is pressed by the walk-everything test
(``tests/gui/test_walk.py``), which answers the dialogs it opens with Cancel or No and gives
save dialogs a temporary path. A dialog that needs another answer (say, text typed before
its Cancel) is named in that test's ``ANSWERS`` table by its object name.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from daryn_desktop.i18n import N_, _

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store


@dataclass(frozen=True)
class Section:
    """One entry of the main window's navigation."""

    key: str
    #: The title in the navigation, an untranslated message id (translated when shown).
    title: str
    #: ``"module:Class"`` constructed as ``Class(store, parent=None)``, or None (not ready).
    factory: str | None
    #: What the section will hold, shown on the "not ready yet" page (a message id).
    coming: str


SECTIONS: tuple[Section, ...] = (
    Section("pupils", N_("Pupils"), "daryn_desktop.gui.registry.section:PupilsSection",
            N_("The registry of gifted pupils with search, filters and the pupil editor.")),
    Section("road_maps", N_("Road maps"), "daryn_desktop.gui.roadmaps.section:RoadMapsSection",
            N_("Individual road maps of the pupils for each academic year: goals, activities,"
               " quarterly reviews, signing and printing.")),
    Section("events", N_("Events & achievements"),
            "daryn_desktop.gui.events.section:EventsSection",
            N_("The calendar of olympiads, contests and competitions, and the pupils'"
               " results at them.")),
    Section("sync", N_("Sync"), "daryn_desktop.gui.sync.section:SyncSection",
            N_("Exchanging encrypted, signed bundles with the region on a USB stick or"
               " a shared folder.")),
    Section("reports", N_("Reports"), "daryn_desktop.gui.reports.section:ReportsSection",
            N_("The decree's statistics and lists for the region, as PDF and spreadsheets.")),
    Section("settings", N_("Settings"), "daryn_desktop.gui.settings_page:SettingsSection",
            N_("Language, schools, staff, password and the health of the database.")),
)

#: The pupil editor's "Road map" tab: ``Class(store, pupil_id, parent=None)``.
ROAD_MAP_EDITOR = "daryn_desktop.gui.roadmaps.editor:RoadMapEditor"


def section(key: str) -> Section:
    """The section with this key; ``KeyError`` for an unknown one."""
    for entry in SECTIONS:
        if entry.key == key:
            return entry
    raise KeyError(key)


def resolve(path: str | None) -> Any | None:
    """The class named by ``"module:Class"``, or None when no path is set or the module is missing.

    Only the absence of the named module itself (or of its package) counts as "not ready": an
    import error inside an existing module, or a missing class, is a bug and is raised.
    """
    if not path:
        return None
    module_name, _sep, attribute = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing and (module_name == missing or module_name.startswith(missing + ".")):
            return None
        raise
    return getattr(module, attribute)


class NotReadyPage(QWidget):
    """What a section shows until its part of the program is built."""

    def __init__(self, entry: Section, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"notReady_{entry.key}")
        title = QLabel(_(entry.title))
        title.setObjectName("notReadyTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        text = QLabel(_("This part of the program is not ready yet. It will hold: {what}").format(
            what=_(entry.coming)))
        text.setObjectName("notReadyText")
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for label in (title, text):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch(2)


def create_page(entry: Section, store: Store, parent: QWidget | None = None) -> QWidget:
    """The page of a section: its part's widget, or the "not ready yet" page."""
    factory = resolve(entry.factory)
    if factory is None:
        return NotReadyPage(entry, parent)
    return factory(store, parent=parent)


def is_ready(entry: Section) -> bool:
    """Whether the section's part exists in this build."""
    return resolve(entry.factory) is not None


@runtime_checkable
class HostedEditor(Protocol):
    """What the pupil editor asks of the road-map editor in its tab (its Save saves both)."""

    @property
    def dirty(self) -> bool: ...

    def save(self) -> bool: ...

    def discard(self) -> None: ...


def create_road_map_editor(store: Store, pupil_id: str,
                           parent: QWidget | None = None) -> QWidget | None:
    """The road-map editor for the pupil editor's tab, or None while that part is missing."""
    factory = resolve(ROAD_MAP_EDITOR)
    if factory is None:
        return None
    return factory(store, pupil_id, parent=parent)
