"""The support measures of every road map as the statistics read them (T2) equal a plain
reading of the activities, a measure this version does not know included."""

from __future__ import annotations

import pytest

from daryn_desktop.core.enums import Role, SupportMeasure
from daryn_desktop.demo.generator import generate
from daryn_desktop.storage import migrations
from daryn_desktop.storage.database import create_store
from daryn_desktop.storage.keyring import TEST_KDF
from daryn_desktop.storage.statistics import _measures


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("measures") / "demo.db"
    store, _code = create_store(path, "correct horse 7", role=Role.REGION,
                                region_kato="150000000", name="Облыс", kdf=TEST_KDF)
    generate(store, 120, seed=5)
    yield store
    store.close()


def _plain(store) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Per road map: measures of activities neither removed nor cancelled, and those done."""
    planned: dict[str, set[str]] = {}
    done: dict[str, set[str]] = {}
    for road_map_id, measure, status, removed in store.db.execute(
            "SELECT road_map_id, measure, status, removed FROM activities").fetchall():
        if removed or status == "cancelled":
            continue
        planned.setdefault(road_map_id, set()).add(measure)
        if status == "done":
            done.setdefault(road_map_id, set()).add(measure)
    return {k: (frozenset(v), frozenset(done.get(k, ()))) for k, v in planned.items()}


def test_measures_of_every_road_map_equal_a_plain_reading(store):
    expected = _plain(store)
    assert expected, "the demo has road maps with activities"
    assert any(done for _planned, done in expected.values())
    assert _measures(store) == expected


def test_a_measure_this_version_does_not_know_is_kept_by_its_text(store):
    road_map_id, = store.db.execute(
        "SELECT road_map_id FROM activities WHERE removed = 0 AND status != 'cancelled'"
        " LIMIT 1").fetchone()
    with store.transaction() as writer:
        writer.insert("activities", {"road_map_id": road_map_id, "measure": "мұражай_түні",
                                     "title": "Мұражай түні", "status": "done",
                                     "position": 99})
    found = _measures(store)
    assert "мұражай_түні" in found[road_map_id][0]
    assert "мұражай_түні" in found[road_map_id][1]
    assert found == _plain(store)


def _live_activities(store, count: int) -> list[tuple[str, str]]:
    return store.db.execute(
        "SELECT id, road_map_id FROM activities WHERE removed = 0 AND status != 'cancelled'"
        " ORDER BY id LIMIT ?", [count]).fetchall()


def test_the_measures_follow_every_kind_of_change_to_the_activities(store):
    """Done, cancelled, removed, given another measure, moved to another road map, deleted
    (a purge), and a road map deleted with its activities: the road maps' measures (kept by
    triggers) still equal a plain reading after each."""
    (done, _m1), (cancelled, _m2), (removed, _m3), (renamed, _m4), (moved, source) = (
        _live_activities(store, 5))
    target, = store.db.execute("SELECT id FROM road_maps WHERE id != ? LIMIT 1",
                               [source]).fetchone()
    changes = [("status", done, "done"), ("status", cancelled, "cancelled"),
               ("removed", removed, 1), ("measure", renamed, "grant"),
               ("road_map_id", moved, target)]
    for column, activity, value in changes:
        with store.transaction() as writer:
            writer.update("activities", activity, {column: value})
        assert _measures(store) == _plain(store), column
    with store.transaction():
        store.db.execute("DELETE FROM activities WHERE id = ?", [done])
    assert _measures(store) == _plain(store)
    with store.transaction():
        store.db.execute("DELETE FROM activities WHERE road_map_id = ?", [target])
        store.db.execute("DELETE FROM road_maps WHERE id = ?", [target])
    assert _measures(store) == _plain(store)
    assert not store.db.execute("SELECT 1 FROM road_map_measures WHERE road_map_id = ?",
                                [target]).fetchall()


def test_the_migration_counts_the_road_maps_written_before_it(store):
    # An activity whose road map has not arrived (a bundle applied with foreign keys off):
    # counted as the triggers count it, ready for its road map.
    store.db.execute("PRAGMA foreign_keys = OFF")
    with store.transaction():
        store.db.execute("INSERT INTO activities (id, road_map_id, measure, title, status)"
                         " VALUES ('orphan-activity', 'road-map-to-come', 'club', 'Шахмат',"
                         " 'done')")
    store.db.execute("PRAGMA foreign_keys = ON")
    expected = _plain(store)
    assert expected["road-map-to-come"] == (frozenset({"club"}), frozenset({"club"}))
    with store.transaction():
        for trigger in ("activities_measures_insert", "activities_measures_update",
                        "activities_measures_delete", "road_maps_measures_delete"):
            store.db.execute(f"DROP TRIGGER {trigger}")
        store.db.execute("DROP TABLE road_map_measures")
        migrations.road_map_measures(store.db)
    assert _measures(store) == expected


def test_every_support_measure_has_its_own_bit():
    """A measure added to the program needs a migration that gives it a bit (until then its
    road maps are read by their activities' text, which is slower but right)."""
    assert tuple(m.value for m in SupportMeasure) == migrations.MEASURE_BITS
