"""Databases of every released schema open with today's program, lose nothing, and still sync.

Each folder under ``tests/fixtures/db/`` was written by ``tools/make_golden_db.py`` with the
program of that schema: a regional centre and a district, paired, after a few rounds of
bundles (demo records, an attachment, a signed and amended road map, a conflict waiting for
a person, a purge). The files are never regenerated: applied migrations never change, and
every later one must carry these databases forward.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from daryn_desktop.storage import migrations
from daryn_desktop.storage.database import open_store
from daryn_desktop.sync.conflicts import count_conflicts
from daryn_desktop.sync.export import export_bundle, recipients_for_export
from daryn_desktop.sync.importer import IMPORTED, import_bundle

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "db"
GOLDEN = sorted(p for p in FIXTURES.iterdir() if (p / "expected.json").exists())


def _schema(db) -> list[tuple[str, str, str]]:
    rows = db.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
                      " AND name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()
    return [(kind, name, " ".join(sql.split())) for kind, name, sql in rows]


def _digest(store, columns: dict[str, list[str]]) -> str:
    digest = hashlib.sha256()
    for table in sorted(columns):
        names = ", ".join(["id", *columns[table]])
        for row in store.db.execute(f"SELECT {names} FROM [{table}] ORDER BY id"):
            digest.update(json.dumps(list(row), ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


@pytest.fixture(params=GOLDEN, ids=[p.name for p in GOLDEN])
def golden(request, tmp_path):
    """The golden pair copied into the test's folder, with what they held."""
    for file in request.param.iterdir():
        shutil.copy2(file, tmp_path / file.name)
    expected = json.loads((tmp_path / "expected.json").read_text(encoding="utf-8"))
    return tmp_path, expected


def test_there_is_a_golden_database_of_the_current_release():
    assert GOLDEN, "tests/fixtures/db holds no golden database"


def test_every_golden_database_migrates_and_keeps_its_records(golden, make_store):
    folder, expected = golden
    fresh = make_store("fresh.db")
    for name in ("region", "district"):
        want = expected[name]
        store = open_store(folder / f"{name}.db", password=expected["password"])
        assert migrations.applied_names(store.db) == migrations.known_names()
        assert _schema(store.db) == _schema(fresh.db)
        assert store.integrity_problems() == []
        assert _digest(store, want["columns"]) == want["digest"]
        for table, count in want["records"].items():
            assert store.db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0] == count
        assert count_conflicts(store) == want["conflicts"]
        assert store.db.execute("SELECT count(*) FROM tombstones").fetchone()[0] \
            == want["tombstones"]
        store.close()
        backups = list((folder / "backups").glob(f"{name}*.db"))
        if migrations.known_names()[-1] != expected["schema"]:
            assert backups, "the file is copied before it is migrated"


def test_upgraded_databases_still_sync_both_ways(golden):
    folder, expected = golden
    region = open_store(folder / "region.db", password=expected["password"])
    district = open_store(folder / "district.db", password=expected["password"])
    pupil = expected["district"]["pupil"]
    with district.transaction(author="Аудан") as writer:
        writer.update("pupils", pupil, {"notes": "Жаңартудан кейін"})
    with region.transaction(author="Облыс") as writer:
        writer.update("pupils", pupil, {"address": "Алға қ., Абай к-сі, 5"})
    stick = folder / "stick"
    made = export_bundle(district, stick, recipients_for_export(district)[0])
    assert import_bundle(region, made.path).status == IMPORTED
    made = export_bundle(region, stick, recipients_for_export(region, district.site_id)[0])
    assert import_bundle(district, made.path).status == IMPORTED
    for store in (region, district):
        row = store.db.execute("SELECT notes, address FROM pupils WHERE id = ?",
                               [pupil]).fetchone()
        assert tuple(row) == ("Жаңартудан кейін", "Алға қ., Абай к-сі, 5")
    region.close()
    district.close()
