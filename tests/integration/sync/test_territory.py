"""A pupil the region moves to another district reaches that district with its whole history."""

from __future__ import annotations

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import Award, EventKind, EventLevel
from daryn_desktop.core.templates import Track
from daryn_desktop.storage.roadmaps import RoadMaps
from daryn_desktop.sync.export import export_bundle, plan_export, recipients_for_export
from daryn_desktop.sync.importer import IMPORTED, import_bundle
from tests.helpers import add_pupil, add_school
from tests.integration.sync.conftest import make_world

MUGALZHAR, KANDYAGASH = "154800000", "154820100"


def _send(source, target, tmp_path):
    to = target.site_id if source.installation.role.value == "region" else None
    result = export_bundle(source, tmp_path / "stick", recipients_for_export(source, to)[0])
    assert import_bundle(target, result.path).status == IMPORTED
    return result


def _children(store, pupil_id):
    road_map = store.repos.road_maps.for_year(pupil_id, "2026-2027")
    return (len(store.repos.achievements.for_parent(pupil_id)),
            len(store.repos.guardians.for_parent(pupil_id)),
            road_map is not None and len(store.repos.activities.current_for(road_map.id)))


def test_a_pupil_moved_to_another_district_arrives_there_with_everything_under_it(
        make_store, tmp_path):
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
