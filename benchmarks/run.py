"""Performance figures of DESIGN §6 that exist so far, each next to a floor from the same run.

    python -m benchmarks.run                 # 100,000 pupils (about two minutes to generate)
    python -m benchmarks.run --pupils 20000  # a quicker look
    python -m benchmarks.run --reuse /tmp/bench.db   # keep and reuse the generated database

Figures:
* demo generation time for N pupils (budget: 100k in under 120 s);
* database open time: with the password (Argon2id unwrap + SQLCipher + schema check), and
  the SQLCipher connection alone;
* database size per pupil, next to the floor: the same records without the change log (a
  copy with the log's tables emptied, then VACUUMed); budget ≤ 2 × the floor;
* search latency as a person types (median and p95 over many prefixes of real names, IINs
  and schools, first page of 100 rows plus the total count), next to a raw FTS5 MATCH of
  the same words measured in the same run (the floor); with the page cache the running
  application gives the connection (``use_browsing_cache``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from daryn_desktop.core.enums import Role
from daryn_desktop.demo.generator import generate
from daryn_desktop.storage.changelog import LOG_TABLES
from daryn_desktop.storage.connection import connect
from daryn_desktop.storage.database import create_store, open_store
from daryn_desktop.storage.keyring import load_keyring
from daryn_desktop.storage.registry import use_browsing_cache
from daryn_desktop.storage.search import (
    PupilQuery,
    count_pupils,
    match_expression,
    search_pupils,
)

PASSWORD = "benchmark-password"
RESULTS = Path(__file__).resolve().parent / "results"


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def typed_prefixes(store, rng: random.Random, n: int) -> list[str]:
    """What people type: 2–6 first letters of surnames and given names, IIN and school parts."""
    rows = store.db.execute(
        "SELECT p.surname, p.given_name, p.iin, s.name FROM pupils p JOIN schools s"
        " ON s.id = p.school_id ORDER BY random() LIMIT ?", [n]).fetchall()
    typed = []
    for surname, given, iin, school in rows:
        choice = rng.random()
        if choice < 0.5:
            typed.append(surname[: rng.randint(2, 6)].lower())
        elif choice < 0.7:
            typed.append(f"{surname[:4]} {given[:2]}".lower())
        elif choice < 0.85:
            typed.append(iin[: rng.randint(4, 8)])
        else:
            typed.append(school.split()[0][:5].lower())
    return typed


def measure_search(store, typed: list[str]) -> dict[str, float]:
    app_times, raw_times = [], []
    for text in typed:
        expression = match_expression(text)
        start = time.perf_counter()
        store.db.execute("SELECT rowid FROM pupil_search WHERE pupil_search MATCH ? LIMIT 100",
                         [expression]).fetchall()
        store.db.execute("SELECT count(*) FROM pupil_search WHERE pupil_search MATCH ?",
                         [expression]).fetchone()
        raw_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        query = PupilQuery(text=text)
        search_pupils(store, query, limit=100)
        count_pupils(store, query)
        app_times.append(time.perf_counter() - start)
    return {
        "search_median_ms": _ms(statistics.median(app_times)),
        "search_p95_ms": _ms(_percentile(app_times, 0.95)),
        "raw_fts_median_ms": _ms(statistics.median(raw_times)),
        "raw_fts_p95_ms": _ms(_percentile(raw_times, 0.95)),
        "search_vs_raw_median": round(statistics.median(app_times)
                                      / max(statistics.median(raw_times), 1e-9), 1),
        "queries": len(typed),
    }


def database_size(path: Path, key: bytes, pupils: int, workdir: Path) -> dict[str, float]:
    """Bytes per pupil of the database file, and of its floor: a copy without the change log
    (its tables emptied), VACUUMed, so that only the records, their indexes and search stay."""
    size = os.path.getsize(path)
    floor_path = workdir / "floor.db"
    shutil.copyfile(path, floor_path)
    db = connect(floor_path, key)
    tables = set(db.table_names())
    with db.atomic():
        for table in LOG_TABLES:
            if table in tables:
                db.execute(f"DELETE FROM [{table}]")
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    floor = os.path.getsize(floor_path)
    floor_path.unlink()
    return {"db_bytes_per_pupil": round(size / pupils), "db_floor_bytes_per_pupil":
            round(floor / pupils), "db_vs_floor": round(size / floor, 2), "db_budget": 2.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pupils", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--reuse", type=Path, help="database to reuse (made if missing)")
    args = parser.parse_args()

    figures: dict[str, object] = {"pupils": args.pupils}
    workdir = Path(tempfile.mkdtemp(prefix="daryn-bench-"))
    path = args.reuse or workdir / "bench.db"
    if not path.exists():
        store, _code = create_store(path, PASSWORD, role=Role.REGION, region_kato="150000000",
                                    name="Benchmark")
        start = time.perf_counter()
        generate(store, args.pupils, seed=args.seed)
        figures["demo_generation_s"] = round(time.perf_counter() - start, 1)
        figures["demo_budget_s"] = 120.0 * args.pupils / 100_000
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
    figures["db_size_mb"] = round(os.path.getsize(path) / 1e6, 1)
    key = load_keyring(path).unlock(PASSWORD)
    counted = connect(path, key)
    pupils = counted.execute("SELECT count(*) FROM pupils").fetchone()[0]
    counted.conn.close()
    figures.update(database_size(path, key, pupils, workdir))

    opens, connects = [], []
    for _ in range(3):
        start = time.perf_counter()
        open_store(path, password=PASSWORD).close()
        opens.append(time.perf_counter() - start)
        start = time.perf_counter()
        db = connect(path, key)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        db.conn.close()
        connects.append(time.perf_counter() - start)
    figures["open_with_password_ms"] = _ms(statistics.median(opens))
    figures["connect_only_ms"] = _ms(statistics.median(connects))

    store = open_store(path, password=PASSWORD)
    use_browsing_cache(store)  # as the main window does
    typed = typed_prefixes(store, random.Random(args.seed), args.queries)
    # One pass first: a session of searching has the registry's pages in its cache, for the
    # floor's FTS pages and the application's alike.
    measure_search(store, typed)
    figures.update(measure_search(store, typed))
    figures["search_budget"] = "median <= 30 ms, p95 <= 80 ms"
    store.close()

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2))
    width = max(len(k) for k in figures)
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
