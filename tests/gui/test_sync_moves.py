"""The Sync section tells a district coordinator that the region moved a pupil away."""

from __future__ import annotations

import os

import pytest

from daryn_desktop.core import entities as e
from daryn_desktop.gui import tasks
from daryn_desktop.i18n import current_language, set_language
from daryn_desktop.sync.export import export_bundle, recipients_for_export
from daryn_desktop.sync.importer import import_bundle
from tests.helpers import add_pupil, add_school
from tests.integration.sync.conftest import make_world

SHOTS = os.environ.get("DARYN_SCREENSHOTS")


@pytest.fixture(autouse=True)
def _synchronous_tasks_in_kazakh():
    tasks.set_synchronous(True)
    before = current_language()
    set_language("kk")
    yield
    set_language(before)
    tasks.set_synchronous(False)


def _carry(source, target, tmp_path):
    to = target.site_id if source.installation.role.value == "region" else None
    made = export_bundle(source, tmp_path / "stick", recipients_for_export(source, to)[0])
    return import_bundle(target, made.path)


def test_the_import_result_says_which_pupils_went_to_another_district(make_store, qtbot,
                                                                      tmp_path):
    from daryn_desktop.gui.sync.section import SyncSection

    region, (alga, mugalzhar) = make_world(make_store, 2)
    school = add_school(alga)
    pupils = [add_pupil(alga, school, "Қайратұлы", name, serial=n)
              for n, name in enumerate(("Әлішер", "Інжу", "Ғалым"), 1)]
    for district in (alga, mugalzhar):
        _carry(district, region, tmp_path)
        _carry(region, district, tmp_path)
        _carry(district, region, tmp_path)
    kandyagash = region.repos.schools.add(e.School(
        name="Қандыағаш №1 мектеп-гимназиясы", settlement_kato="154820100",
        district_kato="154800000"))
    for pupil in pupils[:2]:
        region.repos.pupils.update(pupil.id, school_id=kandyagash.id)
    widget = SyncSection(alga)
    qtbot.addWidget(widget)
    widget.resize(1000, 560)
    made = export_bundle(region, tmp_path / "stick",
                         recipients_for_export(region, alga.site_id)[0])
    widget.import_files([made.path])  # inline here: the outcome is shown on return
    assert widget.results_table.rowCount() == 1
    detail = widget.results_table.item(0, 2).text()
    assert "2 оқушы басқа ауданға ауысты, мұнда жойылды" in detail
    assert alga.db.execute("SELECT given_name FROM pupils").fetchall() == [("Ғалым",)]
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, "sync-moved-away.png"))
