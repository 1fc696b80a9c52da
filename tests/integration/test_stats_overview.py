"""The Reports overview counted by SQLite gives exactly the figures of the full tables."""

from __future__ import annotations

import json
from datetime import date

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.engine import overview_figures
from daryn_desktop.core.stats.model import Territory
from daryn_desktop.demo.generator import generate
from daryn_desktop.storage.statistics import default_request
from daryn_desktop.storage.stats_overview import headline_overview
from daryn_desktop.storage.stats_prepared import compute_report

OVERVIEW_TABLES = (d.T1, d.T2, d.T5, d.T6)


def _both(store, **request) -> tuple[dict, dict]:
    """The figures from the tables and from SQL, as the overview stores them (JSON)."""
    tables = overview_figures(compute_report(store, default_request(store, OVERVIEW_TABLES,
                                                                    **request)))
    counted = headline_overview(store, default_request(store, OVERVIEW_TABLES, **request))
    return (json.loads(json.dumps(tables, ensure_ascii=False)),
            json.loads(json.dumps(counted, ensure_ascii=False)))


def test_overview_of_a_demo_region_equals_the_tables_for_any_year_territory_and_day(
        make_store):
    from daryn_desktop.core.enums import Role

    demo = make_store("demo.db", role=Role.REGION, region="150000000")
    generate(demo, 600, seed=11)
    tables, counted = _both(demo)
    assert counted == tables
    assert counted["total"][0] > 0 and counted["maps"][0] > 0 and counted["districts"]
    this_year = AcademicYear.containing(date.today())
    for back in (1, 2):
        tables, counted = _both(demo, year=AcademicYear(this_year.start - back))
        assert counted == tables, back
    district = demo.db.execute("SELECT district_kato FROM schools s WHERE EXISTS (SELECT 1"
                               " FROM pupils p WHERE p.school_id = s.id) LIMIT 1").fetchone()[0]
    tables, counted = _both(demo, territory=Territory("district", district),
                            as_of=this_year.first_day.replace(month=12, day=1))
    assert counted == tables and counted["total"][0] > 0


def test_records_of_one_child_and_archived_ones_count_as_the_tables_do(make_store, tmp_path):
    from daryn_desktop.core import entities as e
    from tests.integration.sync.conftest import carry, make_world

    region, (alga, mugalzhar) = make_world(make_store, 2)
    long_ago = date(date.today().year - 3, 1, 15)
    for store, settlement, district, when in (
            (alga, "153239100", "153200000", long_ago),
            (mugalzhar, "154830100", "154800000", date.today())):
        school = store.repos.schools.add(e.School(name="Мектеп", settlement_kato=settlement,
                                                  district_kato=district))
        store.repos.pupils.add(e.Pupil(surname="Әбілқайыров", given_name="Ұлықбек",
                                       iin="120315612345", school_id=school.id, grade=7,
                                       consent_date=when))
        if store is alga:
            gone = store.repos.pupils.add(e.Pupil(
                surname="Сейтова", given_name="Аружан", iin="120315612346",
                school_id=school.id, grade=5, consent_date=long_ago))
            store.repos.pupils.archive(gone.id, "Left for another region")
        carry(store, region, tmp_path)
    tables, counted = _both(region)
    assert counted == tables
    # One child of two records; the one gone counted a year ago.
    assert counted["total"] == [1, 2] and counted["H1"] == [1, 2]
    assert [row["code"] for row in counted["districts"]] == ["153200000", "154800000"]


def test_a_district_whose_only_records_are_probable_duplicates_has_its_row(make_store):
    """Records of probably one child (same name and birth date, other IINs) in two
    districts: the district that holds only such a record, no longer studying, still has
    its row at the region, as in T6; a district with nothing but a record gone does not."""
    from daryn_desktop.core import entities as e
    from daryn_desktop.core.enums import Role

    region = make_store("region.db", role=Role.REGION, region="150000000")
    long_ago = date(date.today().year - 3, 1, 15)
    born = date(date.today().year - 14, 3, 15)
    schools = {district: region.repos.schools.add(e.School(
        name=f"№{n} жалпы білім беретін мектеп", settlement_kato=settlement,
        district_kato=district)) for n, (settlement, district) in enumerate((
            ("153239100", "153200000"), ("154830100", "154800000"),
            ("155630100", "155600000")), start=1)}
    region.repos.pupils.add(e.Pupil(
        surname="Әбілқайыров", given_name="Ұлықбек", iin="120315612345", birth_date=born,
        school_id=schools["153200000"].id, grade=7, consent_date=long_ago))
    # The same name in capitals, another IIN, in Mugalzhar, archived.
    moved = region.repos.pupils.add(e.Pupil(
        surname="ӘБІЛҚАЙЫРОВ", given_name="Ұлықбек", iin="120315698765", birth_date=born,
        school_id=schools["154800000"].id, grade=7, consent_date=long_ago))
    region.repos.pupils.archive(moved.id, "Moved to another district")
    # Khromtau: one record of a child who left, the same of no one else.
    gone = region.repos.pupils.add(e.Pupil(
        surname="Сейтова", given_name="Аружан", iin="130512654321", birth_date=born,
        school_id=schools["155600000"].id, grade=6, consent_date=long_ago))
    region.repos.pupils.archive(gone.id, "Left for another region")
    tables, counted = _both(region)
    assert counted == tables
    assert [row["code"] for row in counted["districts"]] == ["153200000", "154800000"]
    # Probably one child, never merged: the three records counted a year ago, one today.
    assert counted["total"] == [1, 3]


def test_a_childs_most_advanced_map_and_its_first_dated_fact_count_as_in_the_tables(
        make_store):
    """Two road maps of one child in a year: the signed one counts, with what is planned and
    overdue in it (not in the draft beside it). A child whose consent came this year counts a
    year ago from last year's road map; one with no dated fact from the day it was entered."""
    from datetime import timedelta

    from daryn_desktop.core import entities as e
    from daryn_desktop.core.enums import ActivityStatus, RoadMapStatus, Role
    from daryn_desktop.core.enums import SupportMeasure as M

    store = make_store("region.db", role=Role.REGION, region="150000000")
    today = date.today()
    year = AcademicYear.containing(today)
    town = store.repos.schools.add(e.School(name="Қалалық №3 мектеп-гимназия",
                                            settlement_kato="153220100",
                                            district_kato="153200000"))
    village = store.repos.schools.add(e.School(name="Ауылдық мектеп",
                                               settlement_kato="153239100",
                                               district_kato="153200000"))
    two_maps = store.repos.pupils.add(e.Pupil(
        surname="Өтегенова", given_name="Гүлнұр", iin="110512600123", school_id=town.id,
        grade=8, consent_date=date(today.year - 3, 1, 15)))
    signed = store.repos.road_maps.add(e.RoadMap(two_maps.id, year.label,
                                                 RoadMapStatus.SIGNED))
    store.repos.activities.add(e.Activity(signed.id, M.CLUB, "Шахмат үйірмесі",
                                          due_date=today - timedelta(days=7),
                                          status=ActivityStatus.CANCELLED))
    draft = store.repos.road_maps.add(e.RoadMap(two_maps.id, year.label))
    store.repos.activities.add(e.Activity(draft.id, M.OLYMPIAD_PREPARATION,
                                          "Олимпиадаға дайындық",
                                          due_date=today - timedelta(days=7)))
    late_consent = store.repos.pupils.add(e.Pupil(
        surname="Құрманғазиев", given_name="Нұрсұлтан", iin="120301500456",
        school_id=village.id, grade=6, consent_date=today))
    last_year = store.repos.road_maps.add(e.RoadMap(late_consent.id, year.previous().label,
                                                    RoadMapStatus.CLOSED))
    store.repos.activities.add(e.Activity(last_year.id, M.SUMMER_CAMP, "Жазғы лагерь",
                                          status=ActivityStatus.DONE))
    store.repos.pupils.add(e.Pupil(surname="Іңкәрова", given_name="Әсем", iin="",
                                   school_id=village.id, grade=5))
    tables, counted = _both(store)
    assert counted == tables
    assert counted["total"] == [3, 2] and counted["H1"] == [2, 1]
    assert counted["maps"] == [1, 1] and counted["covered"] == [0, 1]
    assert counted["overdue"] == [0, None]
    assert [row["code"] for row in counted["districts"]] == ["153200000"]
