"""Walk everything: every section, every tab, every button and menu item, every dialog.

The main window opens on a demo database of a regional centre paired with a district, in
Kazakh, Russian and English. The walk visits each section (found in ``gui/sections.py``, so
new sections are walked too), presses every enabled button and menu item once, opens a pupil
in each state of the year's road map (none, draft, active, signed, closed) and presses
everything in every tab, and opens a road map from the Road maps list. Dialogs are answered
No or Cancel, save dialogs get a temporary path (``walker.py``). The walk fails on any
exception, on any crash log, and on a "…" button that acts without asking. Every signal
connection made meanwhile is checked: none may reach a slot whose optional parameter the
signal's argument would fill (``connections.py``).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest tests/gui -k walk
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import RoadMapStatus, Role
from daryn_desktop.core.templates import Track
from daryn_desktop.demo.generator import generate
from daryn_desktop.gui.main_window import MainWindow
from daryn_desktop.paths import app_paths
from daryn_desktop.storage.roadmaps import RoadMaps
from daryn_desktop.sync.card import card_bytes, parse_card
from daryn_desktop.sync.identity import ensure_identity
from daryn_desktop.sync.peers import trust_card
from tests.gui.conftest import type_text
from tests.gui.connections import ConnectionRecorder
from tests.gui.walker import Walker

pytestmark = pytest.mark.usefixtures("tasks_inline")

YEAR = AcademicYear.containing(date.today()).label
STATUSES = (None, RoadMapStatus.DRAFT, RoadMapStatus.ACTIVE, RoadMapStatus.SIGNED,
            RoadMapStatus.CLOSED)


@pytest.fixture
def demo(make_store):
    """A regional centre's demo data, paired with one of its districts."""
    region = make_store("region.db", role=Role.REGION)
    district = make_store("district.db")
    for store in (region, district):
        ensure_identity(store)
    trust_card(region, parse_card(card_bytes(district)))
    trust_card(district, parse_card(card_bytes(region)))
    generate(region, 40, seed=7)
    return region


def _pupil_with(store, status: RoadMapStatus | None) -> str:
    """A pupil whose road map of this year has ``status`` (made so if none has)."""
    if status is None:
        row = store.db.execute(
            "SELECT p.id FROM pupils p WHERE p.status = 'active' AND NOT EXISTS (SELECT 1"
            " FROM road_maps r WHERE r.pupil_id = p.id AND r.academic_year = ?)"
            " ORDER BY p.sort_key LIMIT 1", [YEAR]).fetchone()
        return row[0]
    row = store.db.execute(
        "SELECT r.pupil_id FROM road_maps r JOIN pupils p ON p.id = r.pupil_id"
        " WHERE r.academic_year = ? AND r.status = ? AND p.status = 'active'"
        " ORDER BY p.sort_key LIMIT 1", [YEAR, status.value]).fetchone()
    if row:
        return row[0]
    maps = RoadMaps(store)
    pupil_id = _pupil_with(store, None)
    road_map = maps.create(pupil_id, YEAR, track=Track.OLYMPIAD)
    if status != RoadMapStatus.DRAFT:
        maps.start(road_map.id)
    if status in (RoadMapStatus.SIGNED, RoadMapStatus.CLOSED):
        maps.sign(road_map.id)
    if status == RoadMapStatus.CLOSED:
        maps.close(road_map.id, comment="Жыл қорытындысы")
    return pupil_id


def _open_by_search(qtbot, window, store, pupil_id):
    """Type the pupil's IIN in the registry's search and press Enter (the one match opens)."""
    section = window.show_section("pupils")
    iin = store.repos.pupils.get(pupil_id).iin
    section.search.clear()
    section.search.setFocus()
    type_text(section.search, iin)
    QTest.keyClick(section.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: section.editor is not None, timeout=3000)
    return section.editor


@pytest.fixture(params=["kk", "ru", "en"])
def language(request, qapp):
    """The walk is made in each language of the interface."""
    from daryn_desktop.gui.app import apply_language

    apply_language(qapp, request.param)
    yield request.param
    apply_language(qapp, "en")


def test_walk_everything(qtbot, demo, tmp_path, monkeypatch, language):
    store = demo
    # Every connect() made from here on is noted (every widget the walk makes).
    recorder = ConnectionRecorder(monkeypatch)
    walker = Walker(monkeypatch, tmp_path / "walk",
                    lambda: store.db.execute("SELECT count(*) FROM change_log").fetchone()[0])
    # Pupils with a road map first: one made for a status must not be the one without.
    pupils = {status: _pupil_with(store, status) for status in reversed(STATUSES)}
    window = MainWindow(store, data_dir=str(tmp_path / "home"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    try:
        # Every section (as listed by the navigation: new ones are walked too).
        for key in window.section_keys():
            page = window.show_section(key)
            walker.walk(page)
        walker.trigger_menus(window)
        for action in window.go_actions:
            walker.press(action)
        # A pupil in each state of this year's road map, every tab of the editor.
        for status, pupil_id in pupils.items():
            editor = _open_by_search(qtbot, window, store, pupil_id)
            editor.tabs.setCurrentWidget(editor.road_map_page)
            assert editor.road_map_editor is not None
            shown = editor.road_map_editor.data
            assert (shown.status if shown else None) == status
            walker.walk_window(editor, again=True)
            assert not editor.isVisible()
        # A road map opened from the Road maps list.
        page = window.show_section("road_maps")
        view = page.list_view
        rect = view.visualRect(page.list_model.index(0, 0))
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert "roadMapDialog" in walker.dialogs
    finally:
        walker.close()
    # No button, menu item or list reaches a slot whose optional parameter the signal fills;
    # no "…" button acted without asking (both said at once when something is wrong).
    assert len(recorder.connections) > 300, len(recorder.connections)
    assert {"connections": recorder.mistakes(), "walk": walker.failures} == {
        "connections": [], "walk": []}
    # What the walk reached (so that a silent change of the program cannot shrink it).
    for name in ("pupilEditor", "signDialog", "closeYearDialog", "reopenDialog", "backupDialog",
                 "roadMapTemplates", "schoolsDialog", "staffListDialog", "guideWindow",
                 "shortcutsDialog", "archiveDialog", "savedBox"):
        assert name in walker.dialogs, name
    for name in ("roadMapSavePdf", "roadMapSign", "roadMapClose", "roadMapReopen",
                 "importCardButton", "syncExportButton", "saveCardButton", "backupButton"):
        assert name in walker.pressed, name
    assert not list(app_paths().logs.glob("crash-*.log"))
    QApplication.processEvents()


def test_walk_check_of_connections_finds_a_slot_that_takes_the_signals_argument(qtbot,
                                                                                 monkeypatch):
    """The check the walk makes, on the mistake that broke "Save as PDF…"."""
    from PySide6.QtWidgets import QPushButton, QWidget

    class Page(QWidget):
        def save_pdf(self, path=None):
            pass

        def refresh(self, _checked=False, *, full=False):
            pass

    recorder = ConnectionRecorder(monkeypatch)
    page = Page()
    qtbot.addWidget(page)
    button = QPushButton("Save as PDF…", page)
    button.setObjectName("savePdf")
    button.clicked.connect(page.save_pdf)
    button.clicked.connect(page.refresh)
    button.clicked.connect(lambda: page.save_pdf())
    assert recorder.mistakes() == [
        "savePdf.clicked → test_walk_check_of_connections_finds_a_slot_that_takes_the_signals"
        "_argument.<locals>.Page.save_pdf: the signal's argument fills the optional parameter"
        " “path”"]
