"""Schema migrations: from empty to latest, idempotent, newer refused, backup first."""

from __future__ import annotations

import pytest

from daryn_desktop.storage import migrations
from daryn_desktop.storage.database import open_store
from daryn_desktop.storage.keyring import keyring_path
from tests.conftest import PASSWORD
from tests.helpers import add_pupil, add_school


def test_a_new_database_has_every_migration_applied(store):
    assert migrations.applied_names(store.db) == migrations.known_names()
    assert migrations.pending_names(store.db) == []
    tables = set(store.db.table_names())
    assert {"pupils", "schools", "road_maps", "activities", "change_log", "pupil_search"} <= tables
    assert "changes" in store.db.view_names()  # the log's old columns, for reading


def test_applying_again_is_a_no_op(store):
    schema_before = store.db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    migrations.MIGRATIONS.apply(store.db)
    assert store.db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() \
        == schema_before
    assert len(migrations.applied_names(store.db)) == len(migrations.known_names())


def test_a_database_from_a_newer_version_is_refused_with_a_clear_message(store):
    with store.db.atomic():
        store.db["_sqlite_migrations"].insert({"migration_set": "daryn",
                                               "name": "9999_from_the_future",
                                               "applied_at": "2031-01-01"})
    path = store.path
    store.close()
    with pytest.raises(migrations.NewerSchema) as err:
        open_store(path, password=PASSWORD)
    assert "newer version" in err.value.translated()
    assert "9999_from_the_future" in err.value.translated()


@pytest.fixture
def extra_migration():
    """Register a throw-away migration after the real ones, as a future release would."""

    @migrations.MIGRATIONS(name="9000_test_add_column")
    def add_column(db):
        db.execute("ALTER TABLE schools ADD COLUMN test_extra TEXT")

    yield "9000_test_add_column"
    migrations.MIGRATIONS._migrations[:] = [
        m for m in migrations.MIGRATIONS._migrations if m.name != "9000_test_add_column"]


def test_the_file_is_backed_up_before_migrating_and_data_survives(store, extra_migration):
    school = add_school(store)
    add_pupil(store, school, "Құдайбергенова", "Аружан")
    path = store.path
    store.close()
    reopened = open_store(path, password=PASSWORD)
    assert extra_migration in migrations.applied_names(reopened.db)
    assert "test_extra" in reopened.db["schools"].columns_dict
    assert reopened.repos.pupils.count() == 1
    reopened.close()
    backups = sorted((path.parent / "backups").glob("*.db"))
    assert len(backups) == 1 and extra_migration in backups[0].name
    assert keyring_path(backups[0]).exists()
    # The backup is the database as it was before: it opens without the new column.
    migrations.MIGRATIONS._migrations[:] = [
        m for m in migrations.MIGRATIONS._migrations if m.name != extra_migration]
    old = open_store(backups[0], password=PASSWORD)
    assert "test_extra" not in old.db["schools"].columns_dict
    assert old.repos.pupils.count() == 1
    old.close()


def test_a_failing_migration_changes_nothing(store):
    @migrations.MIGRATIONS(name="9001_test_broken")
    def broken(db):
        db.execute("ALTER TABLE schools ADD COLUMN half_done TEXT")
        raise RuntimeError("bug in a migration")

    try:
        path = store.path
        store.close()
        with pytest.raises(RuntimeError):
            open_store(path, password=PASSWORD)
    finally:
        migrations.MIGRATIONS._migrations[:] = [
            m for m in migrations.MIGRATIONS._migrations if m.name != "9001_test_broken"]
    reopened = open_store(path, password=PASSWORD)
    assert "half_done" not in reopened.db["schools"].columns_dict
    assert "9001_test_broken" not in migrations.applied_names(reopened.db)
    reopened.close()
