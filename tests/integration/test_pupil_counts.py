"""The numbers of pupils the registry opens with (kept by triggers, migration 0016) equal a
plain count of the pupils through every kind of change: new pupils, archived and back,
left the school, purged; and the migration counts the pupils written before it."""

from __future__ import annotations

import pytest

from daryn_desktop.core.enums import Role
from daryn_desktop.demo.generator import generate
from daryn_desktop.storage import migrations
from daryn_desktop.storage.database import create_store
from daryn_desktop.storage.keyring import TEST_KDF
from daryn_desktop.storage.search import PupilQuery, count_pupils
from daryn_desktop.sync.identity import ensure_identity
from daryn_desktop.sync.purge import purge_record
from tests.helpers import add_pupil, add_school


@pytest.fixture()
def store(tmp_path):
    store, _code = create_store(tmp_path / "counts.db", "correct horse 7", role=Role.REGION,
                                region_kato="150000000", name="Облыс", kdf=TEST_KDF)
    ensure_identity(store)
    generate(store, 60, seed=3)
    yield store
    store.close()


def _plain(store) -> tuple[int, int, int]:
    """Active, not active and all pupils, counted from the pupils themselves."""
    statuses = [s for (s,) in store.db.execute("SELECT status FROM pupils")]
    active = sum(1 for s in statuses if s == "active")
    return active, len(statuses) - active, len(statuses)


def _counted(store) -> tuple[int, int, int]:
    return (count_pupils(store, PupilQuery()),
            count_pupils(store, PupilQuery(only_archived=True)),
            count_pupils(store, PupilQuery(include_archived=True)))


def test_the_counts_follow_every_kind_of_change(store):
    assert _counted(store) == _plain(store)
    school = add_school(store, "Құрманғазы атындағы мектеп")
    pupils = [add_pupil(store, school, "Өтегенова", "Ғалия", serial=n) for n in range(1, 5)]
    assert _counted(store) == _plain(store)
    with store.transaction() as w:
        w.update("pupils", pupils[0].id, {"status": "archived"})
        w.update("pupils", pupils[1].id, {"status": "left"})
        w.update("pupils", pupils[2].id, {"status": "archived"})
    assert _counted(store) == _plain(store)
    with store.transaction() as w:
        w.update("pupils", pupils[2].id, {"status": "active"})
        w.update("pupils", pupils[3].id, {"surname": "Үсенова", "school_id": school.id})
    assert _counted(store) == _plain(store)
    purge_record(store, "pupils", pupils[0].id)
    purge_record(store, "pupils", pupils[3].id)
    assert _counted(store) == _plain(store)
    active, others, everyone = _plain(store)
    assert others >= 1 and everyone == active + others  # pupils[1] left the school


def test_the_registry_first_count_reads_the_kept_numbers_not_the_rows(store):
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        everyone = count_pupils(store, PupilQuery())
    finally:
        store.db.conn.set_trace_callback(None)
    assert everyone == _plain(store)[0]
    assert any("pupil_counts" in sql for sql in statements), statements
    assert not any("pupil_search_rows" in sql for sql in statements), statements


def test_a_filtered_count_still_counts_the_rows(store):
    """Only the registry's unfiltered first screen reads the kept numbers."""
    school = store.db.execute("SELECT school_id FROM pupils LIMIT 1").fetchone()[0]
    expected = store.db.execute("SELECT count(*) FROM pupils WHERE school_id = ?"
                                " AND status = 'active'", [school]).fetchone()[0]
    assert count_pupils(store, PupilQuery(school_id=school)) == expected


def test_the_migration_counts_the_pupils_written_before_it(store):
    with store.transaction() as w:
        first = store.db.execute("SELECT id FROM pupils LIMIT 1").fetchone()[0]
        w.update("pupils", first, {"status": "archived"})
    expected = _plain(store)
    with store.transaction():
        for trigger in ("pupil_counts_insert", "pupil_counts_delete", "pupil_counts_update"):
            store.db.execute(f"DROP TRIGGER {trigger}")
        store.db.execute("DROP TABLE pupil_counts")
        migrations.pupil_counts(store.db)
    assert _counted(store) == expected
