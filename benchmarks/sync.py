"""Sync figures of DESIGN §6, each next to a floor measured in the same run.

    python -m benchmarks.sync                # 1,000 pupils, then 50,000 (about 3 minutes)
    python -m benchmarks.sync --large 0      # only the 1,000-pupil figures

A district installation is filled by the demo generator (pupils with guardians, categories,
achievements, road maps with activities and reviews), paired with a regional centre, and:
* exports everything (a first bundle): bytes per new pupil-record, and per pupil with all
  its records; export time (budget: 1,000 pupils ≤ 1 s, ≤ 300 B per new record);
* the region imports it (in a process of its own: its peak RSS is the import's): time,
  and the ratio to a raw ``executemany`` of the same data as
  (row, column, value) triples into a plain table of an encrypted database (budget ≤ 20×);
* a 2-field edit of every pupil (grade and class letter): bytes per edit (budget ≤ 70 B),
  export and import time, ratio to the raw triples of the same edits, and to a second floor:
  the writes such an import cannot do without (each edit's log row, links, heads and the
  record's values) as raw statements on the same database;
* the region's answers to the district: the first (everything of its territory, as for a
  new PC) and one after the edits (the territory worked out again, little to send);
* the same for 50,000 pupils (budget: region import ≤ 60 s).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from daryn_desktop.core.enums import Role
from daryn_desktop.demo.generator import generate
from daryn_desktop.storage.changelog import LogCodec
from daryn_desktop.storage.connection import connect
from daryn_desktop.storage.database import Store, create_store, open_store
from daryn_desktop.storage.keyring import TEST_KDF
from daryn_desktop.sync.card import card_bytes, parse_card
from daryn_desktop.sync.export import export_bundle
from daryn_desktop.sync.identity import ensure_identity
from daryn_desktop.sync.importer import import_bundle
from daryn_desktop.sync.peers import get_peer, trust_card

PASSWORD = "benchmark-password"


def _raw_triples_seconds(folder: Path, triples: list[tuple[str, str, object]]) -> float:
    """The floor: one executemany of (row, column, value) into an encrypted database."""
    db = connect(folder / f"raw-{len(triples)}-{time.perf_counter_ns()}.db", b"k" * 32)
    db.execute("CREATE TABLE triples (row_id TEXT, col TEXT, value, PRIMARY KEY (row_id, col))"
               " WITHOUT ROWID")
    start = time.perf_counter()
    with db.atomic():
        db.conn.executemany("INSERT INTO triples VALUES (?, ?, ?)", triples)
    elapsed = time.perf_counter() - start
    db.conn.close()
    return elapsed


def _raw_edit_writes_seconds(store: Store, since: int) -> float:
    """A second floor for the import of edits: the writes it cannot do without, as raw
    statements on the importing database itself, after the import (the same tables, indexes,
    triggers and page cache): each edit's log row, its links to the versions it supersedes,
    its fields' heads (the old ones deleted) and the record's new values; one
    ``executemany`` each, in one transaction of the write path, as the import's. The copies
    are numbered past everything held."""
    db = store.db
    versions = db.execute(
        "SELECT seq, site, origin_seq, hlc, shape, row_id, data, author, at, prio, supersedes,"
        " received_from FROM change_log WHERE seq > ? ORDER BY seq", [since]).fetchall()
    links = db.execute(
        "SELECT l.base, l.base_seq, l.col, l.child, l.child_seq FROM log_links l JOIN change_log"
        " c ON l.child = c.site AND l.child_seq = c.origin_seq WHERE c.seq > ?",
        [since]).fetchall()
    heads = db.execute(
        "SELECT h.tbl, h.row_id, h.col, h.site, h.seq, h.hlc, h.prio, h.value FROM log_heads h"
        " JOIN change_log c ON h.site = c.site AND h.seq = c.origin_seq WHERE c.seq > ?",
        [since]).fetchall()
    shift = db.execute("SELECT max(seq) FROM change_log").fetchone()[0]
    apart = 1 << 40  # origin numbers no installation has reached
    log_rows = [(seq + shift, site, origin + apart, *rest)
                for seq, site, origin, *rest in versions]
    link_rows = [(*link[:4], link[4] + apart) for link in links]
    old_heads = [h[:3] for h in heads]
    head_rows = [(*h[:4], h[4] + apart, *h[5:]) for h in heads]
    by_columns: dict[tuple[str, ...], list[list[object]]] = {}
    for _seq, _site, _origin, _hlc, _shape, row_id, data, *_rest in versions:
        fields = json.loads(data)
        by_columns.setdefault(tuple(fields), []).append([*fields.values(), row_id.hex()])
    start = time.perf_counter()
    with store.transaction():  # as the import's (the write path may write synced tables)
        db.conn.executemany("INSERT INTO change_log (seq, site, origin_seq, hlc, shape, row_id,"
                            " data, author, at, prio, supersedes, received_from) VALUES"
                            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", log_rows)
        db.conn.executemany("INSERT INTO log_links VALUES (?, ?, ?, ?, ?)", link_rows)
        db.conn.executemany("DELETE FROM log_heads WHERE tbl = ? AND row_id = ? AND col = ?",
                            old_heads)
        db.conn.executemany("INSERT INTO log_heads VALUES (?, ?, ?, ?, ?, ?, ?, ?)", head_rows)
        for columns, params in by_columns.items():
            assignments = ", ".join(f"[{c}] = ?" for c in columns)
            db.conn.executemany(f"UPDATE pupils SET {assignments} WHERE id = ?", params)
    return time.perf_counter() - start


def _import_in_child(store: Store, bundle: Path) -> tuple[Store, dict[str, float]]:
    """Import ``bundle`` into ``store`` in a process of its own, so that its peak memory is
    the import's (not the generator's): the store is closed here and opened again after.
    Returns the store and the child's figures (seconds, peak RSS, RSS before the import)."""
    path, key = store.path, store._key
    store.close()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.sync", "--child-import", str(path), str(bundle)],
        input=key.hex(), capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(done.stderr)
    return open_store(path, key=key), json.loads(done.stdout.splitlines()[-1])


def _memory_mib(field: str) -> float:
    """This process's ``VmHWM`` (peak) or ``VmRSS`` (now) in MiB, from ``/proc``.

    Not ``getrusage``: Linux starts a child's ``ru_maxrss`` at its parent's size when it
    was forked, so a child of the large benchmark process would report the parent's.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _child_import(path: str, bundle: str) -> None:
    """The child's side of :func:`_import_in_child` (the key comes on standard input)."""
    store = open_store(path, key=bytes.fromhex(sys.stdin.read().strip()))
    before = _memory_mib("VmRSS")
    start = time.perf_counter()
    outcome = import_bundle(store, Path(bundle))
    seconds = time.perf_counter() - start
    peak = _memory_mib("VmHWM")
    store.close()
    print(json.dumps({"status": outcome.status, "describe": outcome.describe(),
                      "seconds": seconds, "peak_rss_mib": peak, "rss_before_mib": before},
                     ensure_ascii=False))


def _triples(store, since_seq: int) -> list[tuple[str, str, object]]:
    out = []
    versions = LogCodec(store.db).versions(store.db.execute(
        "SELECT site, origin_seq, hlc, shape, row_id, data, author, at, prio, supersedes"
        " FROM change_log WHERE seq > ? ORDER BY seq", [since_seq]))
    for _site, _seq, _hlc, tbl, row_id, _op, data, *_rest in versions:
        out += [(f"{tbl}:{row_id}", col, value) for col, value in json.loads(data).items()]
    return out


def run(pupils: int, folder: Path) -> dict[str, float]:
    folder.mkdir(parents=True, exist_ok=True)
    region, _ = create_store(folder / "region.db", PASSWORD, role=Role.REGION,
                             region_kato="150000000", name="Ақтөбе-Дарын", kdf=TEST_KDF)
    district, _ = create_store(folder / "district.db", PASSWORD, role=Role.DISTRICT,
                               region_kato="150000000", district_kato="153200000", name="Алға",
                               kdf=TEST_KDF)
    for store in (region, district):
        ensure_identity(store)
    trust_card(region, parse_card(card_bytes(district)))
    trust_card(district, parse_card(card_bytes(region)))
    generate(district, pupils, seed=1)
    records = district.db.execute("SELECT count(*) FROM changes").fetchone()[0]
    to_region = get_peer(district, region.site_id)

    start = time.perf_counter()
    first = export_bundle(district, folder / "stick", to_region)
    export_s = time.perf_counter() - start
    region, child = _import_in_child(region, first.path)
    import_s = child["seconds"]
    assert child["status"] == "imported", child["describe"]
    raw_s = _raw_triples_seconds(folder, _triples(district, 0))

    # The region's answer carries its acknowledgement: the next bundle holds only edits.
    start = time.perf_counter()
    back = export_bundle(region, folder / "stick", get_peer(region, district.site_id))
    restore_s = time.perf_counter() - start
    import_bundle(district, back.path)
    mark = district.db.execute("SELECT max(seq) FROM changes").fetchone()[0]
    rng = random.Random(2)
    ids = [r[0] for r in district.db.execute("SELECT id FROM pupils")]
    with district.transaction() as w:
        for pupil_id in ids:
            w.update("pupils", pupil_id, {"grade": rng.randint(1, 11),
                                          "class_letter": rng.choice("АӘБВГҒ")})
    edits = district.db.execute("SELECT count(*) FROM changes WHERE seq > ?",
                                [mark]).fetchone()[0]
    start = time.perf_counter()
    second = export_bundle(district, folder / "stick", get_peer(district, region.site_id))
    edit_export_s = time.perf_counter() - start
    region_mark = region.db.execute("SELECT max(seq) FROM change_log").fetchone()[0]
    start = time.perf_counter()
    outcome = import_bundle(region, second.path)
    edit_import_s = time.perf_counter() - start
    assert outcome.status == "imported" and outcome.new_changes == edits
    edit_raw_s = _raw_triples_seconds(folder, _triples(district, mark))
    # The region's next answer: the district's territory is worked out again (which records
    # are its, which are new to it) even when there is little to send.
    start = time.perf_counter()
    export_bundle(region, folder / "stick", get_peer(region, district.site_id))
    answer_s = time.perf_counter() - start
    # Last: it adds copies of the edits to the region's database, which is not used after.
    edit_writes_s = _raw_edit_writes_seconds(region, region_mark)
    region.close()
    district.close()
    return {
        "pupils": pupils, "records": records,
        "bundle_bytes": first.size,
        "bytes_per_new_record": round(first.size / records, 1),
        "bytes_per_pupil_with_all_records": round(first.size / pupils, 1),
        "export_s": round(export_s, 3), "import_s": round(import_s, 3),
        "raw_triples_s": round(raw_s, 4), "import_vs_raw_triples": round(import_s / raw_s, 1),
        "import_peak_rss_mib": child["peak_rss_mib"],
        "import_rss_before_mib": child["rss_before_mib"],
        "edit_bytes_per_2field_edit": round(second.size / edits, 1),
        "edit_export_s": round(edit_export_s, 3), "edit_import_s": round(edit_import_s, 3),
        "edit_raw_triples_s": round(edit_raw_s, 4),
        "edit_import_vs_raw_triples": round(edit_import_s / edit_raw_s, 1),
        "edit_raw_writes_s": round(edit_writes_s, 4),
        "edit_import_vs_raw_writes": round(edit_import_s / edit_writes_s, 1),
        "region_full_answer_s": round(restore_s, 3), "region_answer_s": round(answer_s, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sync")
    parser.add_argument("--pupils", type=int, default=1000)
    parser.add_argument("--large", type=int, default=50000,
                        help="a second, larger run (0 to skip)")
    parser.add_argument("--child-import", nargs=2, metavar=("DATABASE", "BUNDLE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_import:
        _child_import(*args.child_import)
        return
    with tempfile.TemporaryDirectory(prefix="daryn-sync-bench-") as tmp:
        for n in [args.pupils, *([args.large] if args.large else [])]:
            print(json.dumps(run(n, Path(tmp) / str(n)), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
