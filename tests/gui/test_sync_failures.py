"""The Sync section tells a failure a person can act on (a full disk) instead of crashing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QPushButton

from daryn_desktop.files import DiskFull
from daryn_desktop.gui.sync.section import SyncSection
from daryn_desktop.sync import importer
from tests.integration.sync.conftest import make_world

pytestmark = pytest.mark.usefixtures("tasks_inline")


def test_an_import_onto_a_full_disk_is_told_in_a_message(make_store, qtbot, tmp_path,
                                                         monkeypatch, answer):
    region, _districts = make_world(make_store, 1)
    bundle = tmp_path / "x.dsb"
    bundle.write_bytes(b"DARYNSB1")

    def full(*_args, **_kwargs):
        raise DiskFull(path=str(region.path))

    monkeypatch.setattr(importer, "import_files", full)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *_a, **_k: ([str(bundle)], "")))
    section = SyncSection(region)
    qtbot.addWidget(section)
    button = section.findChild(QPushButton, "syncImportButton")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(answer.asked) == 1 and "no space left" in answer.asked[0]
