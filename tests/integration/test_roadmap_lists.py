"""Road-map lists with filters, and "due this month" / "overdue" across all pupils."""

from __future__ import annotations

from datetime import date

import pytest

from daryn_desktop.core.enums import ActivityStatus, RoadMapStatus
from daryn_desktop.storage.roadmaps import RoadMapFilter, RoadMaps
from tests.helpers import add_school
from tests.integration.reports.fixtures import YEAR, activity, gifted_pupil


@pytest.fixture
def world(store):
    """Three pupils in two schools; maps in two years; activities due by date and quarter."""
    maps = RoadMaps(store)
    school_a, ayan = gifted_pupil(store, surname="Сапаров", given="Аян", serial=1)
    _same, bota = gifted_pupil(store, surname="Әлиева", given="Бота", serial=2, school=school_a)
    school_b = add_school(store, name="Ақсай ауылының мектебі")
    _b, dana = gifted_pupil(store, surname="Иванова", given="Дана", serial=3, school=school_b)
    out = {}
    for pupil in (ayan, bota, dana):
        road_map = maps.create(pupil.id, YEAR)
        out[pupil.surname] = road_map
    m = out["Сапаров"].id
    maps.save(m, activities=[
        activity(m, "Қараша олимпиадасы", due_date=date(2025, 11, 20), due_quarter=None),
        activity(m, "Тоқсан бойы дайындық", due_quarter=1),
        activity(m, "Желтоқсан жобасы", due_date=date(2025, 12, 10), due_quarter=None),
        activity(m, "Орындалған", due_date=date(2025, 11, 5), due_quarter=None,
                 status=ActivityStatus.DONE)])
    b = out["Әлиева"].id
    maps.save(b, activities=[activity(b, "Екінші тоқсан", due_quarter=2),
                             activity(b, "Қарашадағы сайыс", due_date=date(2025, 11, 2),
                                      due_quarter=None, status=ActivityStatus.IN_PROGRESS)])
    d = out["Иванова"].id
    maps.save(d, activities=[activity(d, "Ноябрьский турнир", due_date=date(2025, 11, 28),
                                      due_quarter=None)])
    # Last year's map of Аян, closed: its open activity is no longer anyone's task.
    old = maps.create(ayan.id, "2024-2025")
    maps.save(old.id, activities=[activity(old.id, "Былтырғы", due_quarter=3)])
    maps.close(old.id)
    return maps, out, school_a, school_b


def _titles(rows):
    return [r.title for r in rows]


def test_due_this_month_by_date_and_by_a_quarter_ending_in_it(world):
    maps, _out, school_a, _b = world
    # The default calendar ends quarter 1 of 2025-2026 on 26.10.2025 and quarter 2 on 28.12.
    november = maps.due_in_month(2025, 11)
    assert _titles(november) == ["Қарашадағы сайыс", "Қараша олимпиадасы", "Ноябрьский турнир"]
    assert maps.count_due_in_month(2025, 11) == 3
    december = maps.due_in_month(2025, 12)
    assert _titles(december) == ["Желтоқсан жобасы", "Екінші тоқсан"]
    assert december[1].due == date(2025, 12, 28) and december[1].by_quarter == 2
    assert _titles(maps.due_in_month(2025, 11, RoadMapFilter(school_id=school_a.id))) == [
        "Қарашадағы сайыс", "Қараша олимпиадасы"]
    assert _titles(maps.due_in_month(2025, 10)) == ["Тоқсан бойы дайындық"]


def test_overdue_across_all_pupils_oldest_first(world):
    maps, _out, _a, school_b = world
    rows = maps.overdue(date(2025, 11, 25))
    assert _titles(rows) == ["Тоқсан бойы дайындық", "Қарашадағы сайыс", "Қараша олимпиадасы"]
    assert rows[0].pupil_name.startswith("Сапаров Аян") and rows[0].due == date(2025, 10, 26)
    assert maps.count_overdue(date(2025, 11, 25)) == 3
    assert maps.overdue(date(2025, 11, 25), limit=1, offset=1)[0].title == "Қарашадағы сайыс"
    assert maps.overdue(date(2025, 11, 25), RoadMapFilter(school_id=school_b.id)) == []
    assert maps.count_overdue(date(2025, 9, 1)) == 0


def test_list_with_filters_in_kazakh_order(world):
    maps, out, school_a, _b = world
    year = RoadMapFilter(academic_year=YEAR)
    rows = maps.list(year)
    assert [r.pupil_name.split()[0] for r in rows] == ["Әлиева", "Иванова", "Сапаров"]
    assert maps.count(year) == 3
    sap = rows[2]
    assert (sap.activities, sap.done, sap.status) == (4, 1, RoadMapStatus.DRAFT)
    assert maps.count(RoadMapFilter(academic_year=YEAR, school_id=school_a.id)) == 2
    maps.start(out["Иванова"].id)
    assert [r.pupil_name for r in maps.list(RoadMapFilter(academic_year=YEAR,
                                                          status="active"))] == [
        "Иванова Дана Серікұлы"]
    assert maps.count(RoadMapFilter()) == 4  # both years
    assert maps.count(RoadMapFilter(text="сапар")) == 2
    assert maps.ids(RoadMapFilter(pupil_ids=(out["Сапаров"].pupil_id,))) == [
        m for m in maps.ids(RoadMapFilter()) if m in {out["Сапаров"].id,
                                                      *maps.ids(RoadMapFilter(
                                                          academic_year="2024-2025"))}]
    assert maps.years() == ["2025-2026", "2024-2025"]


def test_due_queries_read_only_covering_indexes(store, world):
    maps = world[0]
    for sql, params in (maps._overdue_query(date(2025, 11, 25), RoadMapFilter()),
                        maps._month_query(2025, 12, RoadMapFilter())):
        plan = " | ".join(r[3] for r in store.db.execute(f"EXPLAIN QUERY PLAN {sql}",
                                                           params).fetchall())
        assert "activities_open_due" in plan and "road_maps_lookup" in plan, plan
        assert "SCAN a" not in plan and "SCAN p" not in plan, plan
    overdue_plan = " | ".join(r[3] for r in store.db.execute(
        "EXPLAIN QUERY PLAN " + maps._overdue_query(date(2025, 11, 25), RoadMapFilter())[0],
        maps._overdue_query(date(2025, 11, 25), RoadMapFilter())[1]).fetchall())
    # Last year's quarters are all over: its open activities are found from its road maps.
    assert "road_maps_year" in overdue_plan and "activities_open_quarter" in overdue_plan
