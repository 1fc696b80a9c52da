"""The support measures of every road map as the statistics read them (T2) equal a plain
reading of the activities, a measure this version does not know included."""

from __future__ import annotations

import pytest

from daryn_desktop.core.enums import Role
from daryn_desktop.demo.generator import generate
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
