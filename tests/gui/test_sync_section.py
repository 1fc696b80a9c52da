"""The Sync section: pairing, export to a folder, import with per-file results, conflicts."""

from __future__ import annotations

import os

import pytest

from daryn_desktop.core.enums import Role
from daryn_desktop.gui import tasks
from daryn_desktop.sync.card import write_card
from daryn_desktop.sync.identity import ensure_identity
from tests.helpers import add_pupil, add_school

SHOTS = os.environ.get("DARYN_SCREENSHOTS")


@pytest.fixture(autouse=True)
def _synchronous_tasks():
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def two(make_store):
    region = make_store("region.db", role=Role.REGION)
    district = make_store("district.db")
    ensure_identity(region)
    ensure_identity(district)
    return region, district


def _shot(widget, name):
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


def test_pairing_export_import_and_a_conflict_through_the_screens(two, qtbot, tmp_path,
                                                                 monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from daryn_desktop.gui.sync import section as module
    from daryn_desktop.gui.sync.section import SyncSection

    region, district = two
    # Comparing fingerprints is a person's job: the dialog is accepted here.
    monkeypatch.setattr(module.CompareFingerprints, "exec", lambda self: True)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    at_district, at_region = SyncSection(district), SyncSection(region)
    for widget in (at_district, at_region):
        qtbot.addWidget(widget)
        widget.resize(900, 600)
    assert at_district.import_card(write_card(region, tmp_path / "r.dkc"))
    assert at_region.import_card(write_card(district, tmp_path / "d.dkc"))
    school = add_school(district, "Қарабұлақ мектебі")
    pupil = add_pupil(district, school, "Әбілқайыров", "Ұлықбек")
    at_district.refresh()
    assert "2 changes" in at_district.plan_label.text()
    at_district.tabs.setCurrentIndex(2)
    _shot(at_district, "sync-export")
    button = at_district.findChild(type(at_district.export_button), "syncExportButton")
    assert button is at_district.export_button
    made = at_district.export(tmp_path / "stick")
    assert "Safe to remove" in at_district.export_result.text()
    outcomes = at_region.import_files([made.path, made.path])
    assert [o.status for o in outcomes] == ["imported", "already_imported"]
    assert at_region.results_table.item(0, 1).text() == "imported"
    _shot(at_region, "sync-import")
    # A concurrent edit on both sides becomes a conflict a person settles on the screen.
    back = at_region.export(tmp_path / "stick")
    at_district.import_files([back.path])
    region.repos.pupils.update(pupil.id, phone="+7 705")
    district.repos.pupils.update(pupil.id, phone="+7 702")
    at_region.import_files([at_district.export(tmp_path / "stick").path])
    assert at_region.conflicts_table.rowCount() == 1
    # The field as the editor names it, not the database column.
    assert at_region.conflicts_table.item(0, 1).text() == "Phone"
    at_region.tabs.setCurrentIndex(4)
    at_region.conflicts_table.selectRow(0)
    assert at_region.candidates.count() == 2
    _shot(at_region, "sync-conflicts")
    at_region.candidates.setCurrentRow(1)
    at_region.keep_selected()
    assert at_region.conflicts_table.rowCount() == 0
    assert region.repos.pupils.get(pupil.id).phone == "+7 702"


def test_a_refused_file_shows_its_reason(two, qtbot, tmp_path):
    from daryn_desktop.gui.sync.section import SyncSection

    _region, district = two
    widget = SyncSection(district)
    qtbot.addWidget(widget)
    junk = tmp_path / "junk.dsb"
    junk.write_bytes(b"not a bundle at all")
    (outcome,) = widget.import_files([junk])
    assert outcome.status == "refused"
    assert widget.results_table.item(0, 1).text() == "refused"
    assert "not a Daryn sync bundle" in widget.results_table.item(0, 2).text()
    _shot(widget, "sync-refused")
