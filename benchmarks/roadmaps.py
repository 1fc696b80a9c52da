"""Road-map figures of DESIGN §6: batch PDF of 1,000 road maps (≤ 60 s, memory flat), and more.

    python -m benchmarks.roadmaps                      # 1,000 demo pupils (~1,000 road maps)
    python -m benchmarks.roadmaps --pupils 100000      # also the due/overdue queries at scale
    python -m benchmarks.roadmaps --reuse /tmp/rm.db   # keep and reuse the generated database

Figures:
* batch PDF of the current year's road maps into one file: seconds, pages, bytes, against
  the 60 s budget; the floor is reportlab writing the same number of plain text pages;
* memory of the batch at 100 and at 1,000 road maps, each in a fresh process: peak RSS and
  the tracemalloc peak (Python allocations), and their ratio (flat means about 1);
* loading one road map for the editor (``RoadMaps.load`` + ``document``), median and p95,
  against the 100 ms budget of "open a pupil with road map in the editor";
* "due this month" and "overdue" across all pupils (first page and count), median.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

from daryn_desktop.core.enums import Role
from daryn_desktop.demo.generator import generate
from daryn_desktop.storage.database import create_store, open_store
from daryn_desktop.storage.keyring import TEST_KDF
from daryn_desktop.storage.roadmaps import RoadMapFilter, RoadMaps

PASSWORD = "benchmark-password"
BUDGET_S = 60.0
EDITOR_BUDGET_MS = 100.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _ids(store, count: int) -> list[str]:
    maps = RoadMaps(store)
    year = store.db.execute("SELECT max(academic_year) FROM road_maps").fetchone()[0]
    ids = maps.ids(RoadMapFilter(academic_year=year))
    if len(ids) < count:
        ids += [i for i in maps.ids(RoadMapFilter()) if i not in set(ids)]
    return ids[:count]


def child(db: str, count: int, out: str, measure_memory: bool) -> dict:
    """One batch in this process (run as a subprocess, so that its peak RSS is its own)."""
    import resource

    from daryn_desktop.reports.batch import print_road_maps

    store = open_store(db, password=PASSWORD)
    ids = _ids(store, count)
    if measure_memory:
        tracemalloc.start()
    start = time.perf_counter()
    result = print_road_maps(store, ids, out)
    seconds = time.perf_counter() - start
    peak_py = tracemalloc.get_traced_memory()[1] if measure_memory else None
    store.close()
    return {"road_maps": result.road_maps, "pages": result.pages, "seconds": seconds,
            "bytes": Path(out).stat().st_size, "tracemalloc_peak": peak_py,
            "rss_peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def _run_child(db: str, count: int, out: str, memory: bool) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.roadmaps", "--child", str(count), "--db", db,
           "--out", out] + (["--memory"] if memory else [])
    done = subprocess.run(cmd, capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


def floor_pages(pages: int, out: str) -> float:
    """reportlab alone: ``pages`` pages of plain text in the same font, one file."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from daryn_desktop.reports.fonts import REGULAR, register_fonts

    register_fonts()
    start = time.perf_counter()
    canvas = Canvas(out, pagesize=A4, initialFontName=REGULAR)
    for page in range(pages):
        canvas.setFont(REGULAR, 9)
        for line in range(60):
            canvas.drawString(70, 800 - line * 12, f"Әбілқайыров Ұлықбек {page} {line} ғқңөұүһі")
        canvas.showPage()
    canvas.save()
    return time.perf_counter() - start


def measure_load(store, samples: int = 200) -> dict:
    maps = RoadMaps(store)
    ids = [r[0] for r in store.db.execute(
        "SELECT id FROM road_maps ORDER BY random() LIMIT ?", [samples]).fetchall()]
    times = []
    for road_map_id in ids:
        start = time.perf_counter()
        maps.load(road_map_id)
        maps.document(road_map_id)
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(times), 2),
            "p95_ms": round(_percentile(times, 0.95), 2)}


def measure_due(store, repeats: int = 5) -> dict:
    maps = RoadMaps(store)
    today = date.today()
    out = {}
    for name, rows, count in (
            ("due_this_month", lambda: maps.due_in_month(today.year, today.month),
             lambda: maps.count_due_in_month(today.year, today.month)),
            ("overdue", lambda: maps.overdue(today), lambda: maps.count_overdue(today)),
            ("list_first_page", lambda: maps.list(RoadMapFilter(academic_year=_year(store))),
             lambda: maps.count(RoadMapFilter(academic_year=_year(store))))):
        times = []
        total = 0
        for _ in range(repeats):
            start = time.perf_counter()
            rows()
            total = count()
            times.append((time.perf_counter() - start) * 1000)
        out[name] = {"median_ms": round(statistics.median(times), 1), "rows": total}
    return out


def _year(store) -> str:
    return store.db.execute("SELECT max(academic_year) FROM road_maps").fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.roadmaps")
    parser.add_argument("--pupils", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--reuse", metavar="DB", help="generate once into DB and reuse it")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.db, args.child, args.out, args.memory)))
        return 0

    work = Path(tempfile.mkdtemp(prefix="daryn-bench-rm-"))
    db = Path(args.reuse) if args.reuse else work / "bench.db"
    if not db.exists():
        store, _code = create_store(db, PASSWORD, role=Role.REGION, region_kato="150000000",
                                    name="Benchmark", kdf=TEST_KDF)
        start = time.perf_counter()
        generate(store, args.pupils, seed=1)
        print(f"generated {args.pupils} pupils in {time.perf_counter() - start:.1f} s")
        store.close()
    store = open_store(db, password=PASSWORD)
    figures: dict = {"pupils": store.repos.pupils.count(),
                     "road_maps": store.repos.road_maps.count(),
                     "activities": store.repos.activities.count()}
    figures["editor_load"] = measure_load(store)
    figures["queries"] = measure_due(store)
    store.close()

    big = _run_child(str(db), args.batch, str(work / "big.pdf"), memory=False)
    floor = floor_pages(big["pages"], str(work / "floor.pdf"))
    figures["batch"] = {**big, "floor_seconds": round(floor, 2),
                        "ratio_to_floor": round(big["seconds"] / floor, 1),
                        "budget_seconds": BUDGET_S,
                        "within_budget": big["seconds"] <= BUDGET_S}
    small_mem = _run_child(str(db), args.small, str(work / "small.pdf"), memory=True)
    big_mem = _run_child(str(db), args.batch, str(work / "big2.pdf"), memory=True)
    figures["memory"] = {
        f"tracemalloc_peak_{args.small}": small_mem["tracemalloc_peak"],
        f"tracemalloc_peak_{args.batch}": big_mem["tracemalloc_peak"],
        "tracemalloc_ratio": round(big_mem["tracemalloc_peak"] / small_mem["tracemalloc_peak"],
                                   2),
        f"rss_peak_{args.small}": small_mem["rss_peak"],
        f"rss_peak_{args.batch}": big_mem["rss_peak"],
        "rss_ratio": round(big_mem["rss_peak"] / small_mem["rss_peak"], 2),
    }
    figures["editor_load"]["budget_ms"] = EDITOR_BUDGET_MS
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    for leftover in work.glob("*.pdf"):
        leftover.unlink()
    if not args.reuse:
        for leftover in work.iterdir():
            leftover.unlink()
        os.rmdir(work)
    return 0


if __name__ == "__main__":
    random.seed(1)
    sys.exit(main())
