"""Every table as Excel: the registry with its filters (every matching row), road maps, due
activities, a school's list."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from daryn_desktop.core.enums import Role
from daryn_desktop.demo.generator import generate
from daryn_desktop.i18n import set_language
from daryn_desktop.reports.tables_xlsx import (
    save_activities,
    save_registry,
    save_road_maps,
    save_school_list,
)
from daryn_desktop.storage.registry import SortColumn
from daryn_desktop.storage.roadmaps import RoadMapFilter, RoadMaps
from daryn_desktop.storage.search import PupilQuery, count_pupils


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from daryn_desktop.storage.database import create_store
    from daryn_desktop.storage.keyring import TEST_KDF
    from tests.conftest import PASSWORD

    path = tmp_path_factory.mktemp("tables") / "demo.db"
    store, _code = create_store(path, PASSWORD, role=Role.REGION, region_kato="150000000",
                                name="Ақтөбе-Дарын", kdf=TEST_KDF)
    generate(store, 1500, seed=5)
    yield store
    store.close()


def _rows(path):
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    book.close()
    return rows


def test_the_registry_with_its_filters_and_every_matching_row(demo, tmp_path):
    set_language("kk")
    query = PupilQuery(grade=9)
    seen = []
    path = tmp_path / "оқушылар.xlsx"
    written = save_registry(demo, query, path, columns=["name", "iin", "grade", "categories"],
                            progress=seen.append)
    assert written == count_pupils(demo, query) > 0
    rows = _rows(path)
    assert rows[0][0] == "Дарынды оқушылар" and "9-сынып" in rows[2][0]
    assert rows[4] == ["Аты-жөні", "ЖСН", "Сынып", "Санаттары"]
    data = rows[5:5 + written]
    assert all(str(r[2]).startswith("9") for r in data)
    assert all(len(str(r[1])) == 12 for r in data)  # IINs as text, leading zeros kept
    assert seen and seen[-1].done == written
    everyone = save_registry(demo, PupilQuery(), tmp_path / "all.xlsx",
                             sort=SortColumn.IIN)
    assert everyone == count_pupils(demo, PupilQuery()) > 1000  # far more than one screen
    iins = [r[1] for r in _rows(tmp_path / "all.xlsx")[5:5 + everyone]]
    assert iins == sorted(iins)


def test_road_maps_due_activities_and_a_school_list(demo, tmp_path):
    maps = RoadMaps(demo)
    flt = RoadMapFilter()
    count = save_road_maps(demo, flt, tmp_path / "maps.xlsx")
    assert count == maps.count(flt) > 200  # more than one page of the list
    today = date.today()
    total = maps.count_overdue(today)
    written = save_activities(demo, "Overdue", lambda limit, offset: maps.overdue(
        today, limit=limit, offset=offset), total, tmp_path / "overdue.xlsx")
    assert written == total
    school = demo.db.execute("SELECT school_id FROM pupils GROUP BY school_id"
                             " ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    listed = save_school_list(demo, school, tmp_path / "school.xlsx")
    active = demo.db.execute("SELECT count(*) FROM pupils WHERE school_id = ? AND status ="
                             " 'active'", [school]).fetchone()[0]
    assert listed == active
    assert _rows(tmp_path / "school.xlsx")[4][0] == "№"


def test_a_long_list_walks_the_tables_and_gives_the_same_rows(demo, monkeypatch):
    from daryn_desktop.storage import registry_export
    from daryn_desktop.storage.registry import ordered_keys

    keys = ordered_keys(demo, PupilQuery(include_archived=True))
    by_key = list(registry_export.iter_registry_rows(demo, keys))
    monkeypatch.setattr(registry_export, "WALK_FROM", 10)
    walked = list(registry_export.iter_registry_rows(demo, keys))
    assert walked == by_key and len(walked) == len(keys)
    assert any(r.categories for r in walked) and any(r.road_map_status for r in walked)
