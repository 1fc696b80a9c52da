"""Write the golden databases of the current schema into tests/fixtures/db/<schema>/.

    python tools/make_golden_db.py          # refuses to overwrite an existing folder

Run it once per released schema, before the release, and commit the folder: the tests
(tests/integration/test_golden_databases.py) open every such folder with today's program,
migrate it, and check that nothing was lost and that sync still works between the upgraded
files. A folder once committed is never regenerated (applied migrations never change).

The pair is a regional centre and one of its districts, paired, with a few rounds of
bundles between them: demo pupils with every kind of record, an attachment, a signed and
amended road map, a correction by the region that clashes with a district's edit (a
conflict waiting for a person), and a purge with its tombstone. The password of both is
``golden-password``; the keys are wrapped with cheap test parameters.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from daryn_desktop.core.enums import Role  # noqa: E402
from daryn_desktop.core.roadmap import sign_problems  # noqa: E402
from daryn_desktop.core.templates import Track  # noqa: E402
from daryn_desktop.demo.generator import generate  # noqa: E402
from daryn_desktop.storage import migrations  # noqa: E402
from daryn_desktop.storage.database import create_store  # noqa: E402
from daryn_desktop.storage.keyring import TEST_KDF  # noqa: E402
from daryn_desktop.storage.roadmaps import RoadMaps  # noqa: E402
from daryn_desktop.storage.schema import SYNCED_COLUMNS  # noqa: E402
from daryn_desktop.sync.card import card_bytes, parse_card  # noqa: E402
from daryn_desktop.sync.conflicts import count_conflicts  # noqa: E402
from daryn_desktop.sync.export import export_bundle, recipients_for_export  # noqa: E402
from daryn_desktop.sync.identity import ensure_identity  # noqa: E402
from daryn_desktop.sync.importer import IMPORTED, import_bundle  # noqa: E402
from daryn_desktop.sync.peers import trust_card  # noqa: E402
from daryn_desktop.sync.purge import purge_record  # noqa: E402

PASSWORD = "golden-password"
FIXTURES = ROOT / "tests" / "fixtures" / "db"
REGION, DISTRICT = "150000000", "153200000"


def carry(source, target, stick: Path) -> None:
    to = target.site_id if source.installation.role == Role.REGION else None
    made = export_bundle(source, stick, recipients_for_export(source, to)[0])
    outcome = import_bundle(target, made.path)
    if outcome.status != IMPORTED:
        raise SystemExit(f"bundle refused: {outcome.describe()}")


def sign_and_amend(store) -> None:
    """Sign the first road map that can be signed, then amend its plan once."""
    maps = RoadMaps(store)
    for (road_map_id,) in store.db.execute(
            "SELECT id FROM road_maps WHERE status = 'active' ORDER BY id").fetchall():
        data = maps.load(road_map_id)
        if sign_problems(data.road_map, data.goals, data.activities):
            continue
        maps.sign(road_map_id, on=date(2025, 10, 1))
        first = data.activities[0]
        maps.update_activity(road_map_id, first.id, title=first.title + " (толықтырылды)",
                             reason="Жоспар нақтыланды", on=date(2025, 11, 1))
        return
    raise SystemExit("no road map could be signed")


def records_digest(store, columns: dict[str, list[str]]) -> str:
    """A hash of every synced record's values (the test recomputes it after migrating)."""
    digest = hashlib.sha256()
    for table in sorted(columns):
        names = ", ".join(["id", *columns[table]])
        for row in store.db.execute(f"SELECT {names} FROM [{table}] ORDER BY id"):
            digest.update(json.dumps(row, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


def record_counts(store) -> dict[str, int]:
    return {table: store.db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
            for table in SYNCED_COLUMNS}


def main() -> int:
    schema = migrations.known_names()[-1]
    target = FIXTURES / schema
    if target.exists():
        print(f"{target.relative_to(ROOT)} exists: golden databases are never regenerated.")
        return 1
    work = Path(tempfile.mkdtemp(prefix="golden-"))
    region, _code = create_store(work / "region.db", PASSWORD, role=Role.REGION,
                                 region_kato=REGION, name="Ақтөбе облыстық «Дарын» орталығы",
                                 kdf=TEST_KDF)
    district, _code = create_store(work / "district.db", PASSWORD, role=Role.DISTRICT,
                                   region_kato=REGION, district_kato=DISTRICT,
                                   name="Алға аудандық білім бөлімі", kdf=TEST_KDF)
    for store in (region, district):
        ensure_identity(store)
    trust_card(region, parse_card(card_bytes(district)))
    trust_card(district, parse_card(card_bytes(region)))

    generate(district, 40, seed=7, academic_year="2025-2026", today=date(2025, 11, 20))
    pupils = district.db.execute(
        "SELECT id FROM pupils ORDER BY sort_key, id LIMIT 3").fetchall()
    district.repos.attachments.add_file(pupils[0][0], "диплом.png", "image/png",
                                        b"\x89PNG\r\n\x1a\n golden attachment bytes")
    sign_and_amend(district)
    with district.transaction(author="Аудан") as writer:
        writer.insert("events", {"name": "Ауыл мектептері оқушыларының республикалық олимпиадасы",
                                 "kind": "olympiad", "level": "district",
                                 "academic_year": "2025-2026", "subject": "Математика",
                                 "date": "2025-10-15", "organiser": "Алға аудандық білім бөлімі"})
    maps = RoadMaps(district)
    template = maps.template(Track.OLYMPIAD, "kk")
    maps.save_template(dataclasses.replace(template, activities=template.activities[:-1]))
    stick = work / "stick"
    carry(district, region, stick)
    carry(region, district, stick)

    # The same field changed in both places without either seeing the other: a conflict.
    with region.transaction(author="Облыс") as writer:
        writer.update("pupils", pupils[1][0], {"surname": "Әбілқайырова"})
    with district.transaction(author="Аудан") as writer:
        writer.update("pupils", pupils[1][0], {"surname": "Әбілқайыр"})
    purge_record(region, "pupils", pupils[2][0])
    carry(district, region, stick)
    carry(region, district, stick)

    target.mkdir(parents=True)
    expected = {}
    for name, store in (("region", region), ("district", district)):
        expected[name] = {
            "role": store.installation.role.value,
            "records": record_counts(store),
            "columns": {t: list(c) for t, c in SYNCED_COLUMNS.items()},
            "digest": records_digest(store, {t: list(c) for t, c in SYNCED_COLUMNS.items()}),
            "changes": store.db.execute("SELECT count(*) FROM changes").fetchone()[0],
            "conflicts": count_conflicts(store),
            "tombstones": store.db.execute("SELECT count(*) FROM tombstones").fetchone()[0],
            "surname": store.db.execute("SELECT surname FROM pupils WHERE id = ?",
                                        [pupils[1][0]]).fetchone()[0],
            "pupil": pupils[1][0],
        }
        path = store.path
        store.close()
        for suffix in ("", ".keys"):
            shutil.copy2(f"{path}{suffix}", target / f"{name}.db{suffix}")
    expected["schema"] = schema
    expected["password"] = PASSWORD
    (target / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
