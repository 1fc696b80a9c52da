"""A pupil the region moves to another district reaches that district with its whole history."""

from __future__ import annotations

from dataclasses import dataclass

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import Award, EventKind, EventLevel
from daryn_desktop.core.templates import Track
from daryn_desktop.storage.roadmaps import RoadMaps
from daryn_desktop.sync.export import export_bundle, plan_export, recipients_for_export
from daryn_desktop.sync.importer import IMPORTED, import_bundle
from tests.helpers import add_pupil, add_school
from tests.integration.sync.conftest import carry as _send
from tests.integration.sync.conftest import make_world

MUGALZHAR, KANDYAGASH = "154800000", "154820100"


def _children(store, pupil_id):
    road_map = store.repos.road_maps.for_year(pupil_id, "2026-2027")
    return (len(store.repos.achievements.for_parent(pupil_id)),
            len(store.repos.guardians.for_parent(pupil_id)),
            road_map is not None and len(store.repos.activities.current_for(road_map.id)))


@dataclass
class Move:
    """A region and two districts, Alga holding a pupil with records under it."""

    region: object
    alga: object
    mugalzhar: object
    pupil: object
    school_a: object
    school_b: object
    expected: tuple


def _two_districts(make_store, tmp_path) -> Move:
    region, (alga, mugalzhar) = make_world(make_store, 2)
    school_a = add_school(alga)
    pupil = add_pupil(alga, school_a, "Қайратұлы", "Әлішер", serial=7)
    alga.repos.pupils.update(pupil.id, grade=8)
    alga.repos.guardians.add(e.Guardian(pupil_id=pupil.id, full_name="Жұмабаева Гүлнұр"))
    alga.repos.achievements.add(e.Achievement(
        pupil_id=pupil.id, event_name="Облыстық олимпиада", event_kind=EventKind.SUBJECT_OLYMPIAD,
        level=EventLevel.REGIONAL, academic_year="2026-2027", award=Award.PLACE_2))
    RoadMaps(alga).create(pupil.id, "2026-2027", track=Track.OLYMPIAD)
    school_b = mugalzhar.repos.schools.add(e.School(
        name="Қандыағаш №1 мектеп-гимназиясы", settlement_kato=KANDYAGASH,
        district_kato=MUGALZHAR))
    expected = _children(alga, pupil.id)
    assert expected[0] == 1 and expected[1] == 1 and expected[2] >= 5
    for district in (alga, mugalzhar):
        _send(district, region, tmp_path)
        _send(region, district, tmp_path)
        _send(district, region, tmp_path)  # the region learns what each holds
    assert mugalzhar.repos.pupils.find(pupil.id) is None
    return Move(region, alga, mugalzhar, pupil, school_a, school_b, expected)


def test_a_pupil_moved_to_another_district_arrives_there_with_everything_under_it(
        make_store, tmp_path):
    world = _two_districts(make_store, tmp_path)
    region, alga, mugalzhar = world.region, world.alga, world.mugalzhar
    pupil, school_b, expected = world.pupil, world.school_b, world.expected

    # The family moves to Kandyagash; the regional centre records the new school.
    region.repos.pupils.update(pupil.id, school_id=school_b.id)
    # The preview counts that history too, and records nothing (it runs beside the window's
    # own writes, on a connection of its own).
    remembered = region.db.execute("SELECT * FROM peer_scope ORDER BY 1, 2, 3").fetchall()
    plan = plan_export(region, recipients_for_export(region, mugalzhar.site_id)[0])
    assert region.db.execute("SELECT * FROM peer_scope ORDER BY 1, 2, 3").fetchall() == remembered
    first = export_bundle(region, tmp_path / "lost", recipients_for_export(
        region, mugalzhar.site_id)[0])
    assert first.changes > 5  # the pupil's history, not only the move
    assert plan.changes == first.changes
    # That stick is lost: the next bundle carries the history again.
    _send(region, mugalzhar, tmp_path)
    moved = mugalzhar.repos.pupils.get(pupil.id)
    assert (moved.surname, moved.school_id, moved.grade) == ("Қайратұлы", school_b.id, 8)
    assert _children(mugalzhar, pupil.id) == expected

    # Once Mugalzhar acknowledges it, the history is not sent again.
    _send(mugalzhar, region, tmp_path)
    assert plan_export(region, recipients_for_export(region, mugalzhar.site_id)[0]).changes == 0
    # Later edits at the region follow the pupil to its new district only.
    region.repos.pupils.update(pupil.id, grade=9)
    assert plan_export(region, recipients_for_export(region, mugalzhar.site_id)[0]).changes == 1

    # Alga is told: its copy goes, everything under it too. The preview, which records
    # nothing, counts what the bundle then holds.
    expected_count = plan_export(region, recipients_for_export(region, alga.site_id)[0]).changes
    told = _send(region, alga, tmp_path)
    assert told.changes == expected_count > 0
    assert alga.repos.pupils.find(pupil.id) is None
    assert _children(alga, pupil.id) == (0, 0, False)
    assert told.outcome.moved_away == 1
    assert "removed here" in told.outcome.describe()
    _send(alga, region, tmp_path)
    assert plan_export(region, recipients_for_export(region, alga.site_id)[0]).changes == 0


def test_a_district_that_had_nothing_yet_still_gets_a_moved_pupil_whole(make_store, tmp_path):
    region, (alga, mugalzhar) = make_world(make_store, 2)
    pupil = add_pupil(alga, add_school(alga), "Серікқызы", "Айгүл", serial=3)
    alga.repos.pupils.update(pupil.id, grade=9)
    _send(alga, region, tmp_path)
    # Mugalzhar's installation is new and empty: it has acknowledged the region's bundles.
    _send(region, mugalzhar, tmp_path)
    _send(mugalzhar, region, tmp_path)
    # The region opens a school in Mugalzhar district and moves the pupil there at once.
    school = region.repos.schools.add(e.School(
        name="Қандыағаш №1 мектеп-гимназиясы", settlement_kato=KANDYAGASH,
        district_kato=MUGALZHAR))
    region.repos.pupils.update(pupil.id, school_id=school.id)
    _send(region, mugalzhar, tmp_path)
    moved = mugalzhar.repos.pupils.get(pupil.id)
    assert (moved.given_name, moved.grade, moved.school_id) == ("Айгүл", 9, school.id)


def test_the_district_a_pupil_left_keeps_it_until_the_region_has_its_last_edits(
        make_store, tmp_path):
    world = _two_districts(make_store, tmp_path)
    region, alga, mugalzhar, pupil = world.region, world.alga, world.mugalzhar, world.pupil
    region.repos.pupils.update(pupil.id, school_id=world.school_b.id)
    # Alga, not knowing yet, records the family's new phone number.
    alga.repos.pupils.update(pupil.id, phone="+7 701 555 44 33")
    told = _send(region, alga, tmp_path)
    assert (told.outcome.moved_away, told.outcome.moving) == (0, 1)
    assert alga.repos.pupils.get(pupil.id).phone == "+7 701 555 44 33"
    _send(alga, region, tmp_path)
    _send(region, alga, tmp_path)  # carries the region's acknowledgement of the edit
    assert alga.repos.pupils.find(pupil.id) is None
    _send(region, mugalzhar, tmp_path)
    assert mugalzhar.repos.pupils.get(pupil.id).phone == "+7 701 555 44 33"


def test_a_pupil_moved_back_returns_whole_and_an_old_stick_cannot_return_it_early(
        make_store, tmp_path):
    world = _two_districts(make_store, tmp_path)
    region, alga, pupil = world.region, world.alga, world.pupil
    # A correction made before the move waits on a stick nobody has carried yet.
    region.repos.pupils.update(pupil.id, grade=9)
    late = export_bundle(region, tmp_path / "late", recipients_for_export(
        region, alga.site_id)[0])
    region.repos.pupils.update(pupil.id, school_id=world.school_b.id)
    _send(region, alga, tmp_path)
    _send(alga, region, tmp_path)
    assert alga.repos.pupils.find(pupil.id) is None
    outcome = import_bundle(alga, late.path)
    assert outcome.status == IMPORTED
    assert alga.repos.pupils.find(pupil.id) is None
    assert alga.db.execute("SELECT count(*) FROM changes WHERE row_id = ?",
                           [pupil.id]).fetchone()[0] == 0

    # The family comes back to Alga.
    region.repos.pupils.update(pupil.id, school_id=world.school_a.id)
    _send(region, alga, tmp_path)
    back = alga.repos.pupils.get(pupil.id)
    assert (back.surname, back.school_id, back.grade) == ("Қайратұлы", world.school_a.id, 9)
    assert _children(alga, pupil.id) == world.expected
    # Everything about the pupil is as at the region: records, versions and field heads.
    rows = "SELECT tbl, row_id FROM changes WHERE tbl = 'pupils' AND row_id = ?"
    for store in (alga, region):
        assert store.db.execute(rows, [pupil.id]).fetchall()
    assert (state_digest_of(alga, pupil.id) == state_digest_of(region, pupil.id))


def state_digest_of(store, pupil_id):
    from daryn_desktop.sync.scope import pupil_records

    records = sorted(pupil_records(store.db, pupil_id))
    versions = sorted(store.db.execute(
        "SELECT origin_site, origin_seq, tbl, row_id, data FROM changes WHERE row_id IN"
        f" ({','.join('?' * len(records))})", [r for _t, r in records]).fetchall())
    heads = sorted(store.db.execute(
        "SELECT * FROM field_heads WHERE row_id IN"
        f" ({','.join('?' * len(records))})", [r for _t, r in records]).fetchall())
    return records, versions, heads
