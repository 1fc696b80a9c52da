"""Change capture on the write path: versions per field, supersedes links, field heads."""

from __future__ import annotations

import json

import pytest

from daryn_desktop.core.merge import Head, merge_heads, winner
from daryn_desktop.storage.apply import RemoteChange
from tests.helpers import add_pupil, add_school


def _heads(store, row_id, col):
    return store.db.execute("SELECT origin_site, origin_seq, value FROM field_heads WHERE"
                            " row_id = ? AND col = ? ORDER BY 2", [row_id, col]).fetchall()


def test_an_insert_is_its_fields_implicit_head_and_costs_no_extra_rows(store):
    school = add_school(store)
    add_pupil(store, school, "Сейітова", "Айгерім")
    assert store.db.execute("SELECT count(*) FROM field_heads").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM version_links").fetchone()[0] == 0


def test_an_update_supersedes_the_heads_it_saw(store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Сейітова", "Айгерім")
    store.repos.pupils.update(pupil.id, grade=8, class_letter="Ә")
    store.repos.pupils.update(pupil.id, grade=9)
    rows = store.db.execute("SELECT origin_seq, op, supersedes FROM changes WHERE tbl ="
                            " 'pupils' ORDER BY seq").fetchall()
    insert_seq = rows[0][0]
    first = json.loads(rows[1][2])
    assert first == {"grade": [[store.site_id, insert_seq]],
                     "class_letter": [[store.site_id, insert_seq]]}
    assert json.loads(rows[2][2]) == {"grade": [[store.site_id, rows[1][0]]]}
    assert _heads(store, pupil.id, "grade") == [(store.site_id, rows[2][0], 9)]
    links = store.db.execute("SELECT base_seq, col, child_seq FROM version_links"
                             " ORDER BY child_seq, col").fetchall()
    assert links == [(insert_seq, "class_letter", rows[1][0]), (insert_seq, "grade", rows[1][0]),
                     (rows[1][0], "grade", rows[2][0])]


def test_a_failed_transaction_leaves_no_versions(store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ким", "Анна")
    with pytest.raises(RuntimeError), store.transaction() as w:
        w.update("pupils", pupil.id, {"grade": 3})
        raise RuntimeError("power cut")
    assert store.db.execute("SELECT count(*) FROM field_heads").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM version_links").fetchone()[0] == 0


def _remote(site, seq, row_id, op, data, hlc, supersedes=None, prio=0):
    return RemoteChange(site, seq, hlc, "pupils", row_id, op, data, None, "", prio,
                        supersedes or {})


def test_concurrent_remote_versions_are_both_kept_and_the_winner_is_shown(store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ким", "Анна")
    insert = store.db.execute("SELECT origin_site, origin_seq FROM changes WHERE row_id = ?",
                              [pupil.id]).fetchone()
    other = "f" * 32
    with store.transaction() as w:
        w.apply_remote([_remote(other, 1, pupil.id, "update", {"grade": 10}, 1 << 40,
                                {"grade": [tuple(insert)]})], received_from=other)
    store.repos.pupils.update(pupil.id, grade=10)  # same value: no new version
    assert store.repos.pupils.get(pupil.id).grade == 10
    # A version concurrent with the one above (it saw only the insert): a conflict.
    with store.transaction() as w:
        w.apply_remote([_remote("e" * 32, 1, pupil.id, "update", {"grade": 11}, 1 << 30,
                                {"grade": [tuple(insert)]})], received_from=other)
    assert sorted(h[2] for h in _heads(store, pupil.id, "grade")) == [10, 11]
    assert store.repos.pupils.get(pupil.id).grade == 10  # the later clock is shown


def test_an_update_arriving_before_its_insert_is_kept_and_applied_when_the_row_comes(store):
    add_school(store)
    school_id = store.repos.schools.all()[0].id
    other, row = "a" * 32, "b" * 32
    insert = _remote(other, 1, row, "insert", {"surname": "Ақан", "given_name": "Ерлан",
                                               "iin": "120315600016", "school_id": school_id,
                                               "grade": 5}, 100)
    update = _remote(other, 2, row, "update", {"grade": 6}, 200, {"grade": [(other, 1)]})
    with store.transaction() as w:
        w.apply_remote([update], received_from=other)
    assert store.repos.pupils.find(row) is None
    with store.transaction() as w:
        w.apply_remote([insert], received_from=other)
    assert store.repos.pupils.get(row).grade == 6
    assert _heads(store, row, "grade") == [(other, 2, 6)]


def test_the_merge_rule_is_order_free_and_the_winner_total():
    a, b, c = Head("a", 1, 5, 0, "x"), Head("b", 1, 5, 0, "y"), Head("c", 1, 1, 1, "z")
    assert winner([a, b]) is b and winner([b, a]) is b
    assert winner([a, b, c]) is c  # a region version wins whatever the clocks say
    assert merge_heads([a], b, set(), superseded=False) == [a, b]
    assert merge_heads([a, b], c, {("a", 1)}, superseded=False) == [b, c]
    assert merge_heads([a], b, {("a", 1)}, superseded=True) == []
