"""The sections registry: pages found by module path, "not ready yet" for missing parts."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from daryn_desktop.gui import sections
from daryn_desktop.gui.sections import NotReadyPage, Section, create_page, resolve


def test_the_sections_are_in_the_agreed_order():
    assert [s.key for s in sections.SECTIONS] == [
        "pupils", "road_maps", "events", "sync", "reports", "settings"]
    assert sections.section("road_maps").factory == (
        "daryn_desktop.gui.roadmaps.section:RoadMapsSection")
    assert sections.section("sync").factory == "daryn_desktop.gui.sync.section:SyncSection"
    assert sections.ROAD_MAP_EDITOR == "daryn_desktop.gui.roadmaps.editor:RoadMapEditor"
    with pytest.raises(KeyError):
        sections.section("nothing")


def test_a_missing_part_shows_what_it_will_hold(qtbot, store):
    entry = Section("later", "Later", "daryn_desktop.gui.not_written_yet:Page",
                    "Something useful.")
    assert resolve(entry.factory) is None
    page = create_page(entry, store)
    qtbot.addWidget(page)
    assert isinstance(page, NotReadyPage)
    assert page.findChild(QLabel, "notReadyTitle").text() == "Later"
    assert page.findChild(QLabel, "notReadyText").text() == (
        "This part of the program is not ready yet. It will hold: Something useful.")
    assert resolve(None) is None
    assert isinstance(create_page(Section("x", "X", None, "Y."), store), NotReadyPage)


def test_a_broken_part_is_an_error_not_a_missing_one(tmp_path, monkeypatch):
    package = tmp_path / "brokenpart"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "page.py").write_text("import no_such_dependency_here\n", encoding="utf-8")
    (package / "fine.py").write_text("class Page:\n    pass\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError):
        resolve("brokenpart.page:Page")
    with pytest.raises(AttributeError):
        resolve("brokenpart.fine:Missing")
    assert resolve("brokenpart.fine:Page").__name__ == "Page"
    for name in ("brokenpart", "brokenpart.page", "brokenpart.fine"):
        sys.modules.pop(name, None)


def test_pages_are_built_with_the_store_and_a_parent(qtbot, store, tmp_path, monkeypatch):
    (tmp_path / "partpage.py").write_text(
        "from PySide6.QtWidgets import QWidget\n"
        "class Page(QWidget):\n"
        "    def __init__(self, store, parent=None):\n"
        "        super().__init__(parent)\n"
        "        self.store = store\n"
        "class Editor(QWidget):\n"
        "    def __init__(self, store, pupil_id, parent=None):\n"
        "        super().__init__(parent)\n"
        "        self.setObjectName('roadMapEditor')\n"
        "        self.pupil_id = pupil_id\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    parent = QWidget()
    qtbot.addWidget(parent)
    page = create_page(Section("p", "P", "partpage:Page", "."), store, parent)
    assert page.store is store and page.parent() is parent
    monkeypatch.setattr(sections, "ROAD_MAP_EDITOR", "partpage:Editor")
    editor = sections.create_road_map_editor(store, "pupil-1", parent)
    assert editor.pupil_id == "pupil-1" and editor.objectName() == "roadMapEditor"
    monkeypatch.setattr(sections, "ROAD_MAP_EDITOR", "no_such_part.editor:RoadMapEditor")
    assert sections.create_road_map_editor(store, "pupil-1") is None
    sys.modules.pop("partpage", None)
