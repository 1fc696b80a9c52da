"""Statistics figures of DESIGN §6: T1–T6 for a 100,000-pupil region, their files, the section.

    python -m benchmarks.stats                       # 100,000 pupils (about two minutes to make)
    python -m benchmarks.stats --pupils 20000        # a quicker look
    python -m benchmarks.stats --reuse /tmp/st.db    # generate once and reuse the database

Figures (each the median of a few runs on a warm page cache, as in a running program, next
to a floor measured in the same run):
* the floor: one ``GROUP BY`` count over the pupils (``SELECT sex, count(*) FROM pupils
  GROUP BY sex``: one pass over the table);
* the six tables (T1, T2, T3, T4, T5, T6) read and counted from the store: seconds and the
  ratio to the floor (budget: 3 s and 30 × the floor);
* beside it, a floor of what the tables must read: one ``GROUP BY`` pass over each table
  they count from (pupils, family categories, road maps, the road maps' measures,
  achievements), the sum of the medians; the six tables read all of these, where the
  floor above reads the pupils alone;
* writing them as XLSX (budget 5 s) and as PDF;
* the Reports section: from opening the section to its first view (the overview's figures)
  on screen (budget 1 s), in a fresh window whose work runs as it does in the program (on
  the worker thread): when the overview must be counted, and when the figures of an earlier
  opening are still valid (nothing written since, the same day) and are shown at once.

Each figure is printed with its ratio to the floor and its budget, with the machine's load
average (the figures of a loaded machine are slower, the ratios less so).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from daryn_desktop.core.enums import Role
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.demo.generator import generate
from daryn_desktop.reports.statistics import write_xlsx
from daryn_desktop.reports.statistics_pdf import write_pdf
from daryn_desktop.storage.database import create_store, open_store
from daryn_desktop.storage.keyring import TEST_KDF
from daryn_desktop.storage.registry import use_browsing_cache
from daryn_desktop.storage.statistics import default_request
from daryn_desktop.storage.stats_cache import OVERVIEW_KEY
from daryn_desktop.storage.stats_prepared import compute_report

T = TypeVar("T")
PASSWORD = "benchmark-password"
RESULTS = Path(__file__).resolve().parent / "results"
SIX = (d.T1, d.T2, d.T3, d.T4, d.T5, d.T6)
#: One pass over each table the six tables count from (see the module's description).
READS_FLOOR = ("SELECT sex, count(*) FROM pupils GROUP BY sex",
               "SELECT category, count(*) FROM pupil_categories GROUP BY category",
               "SELECT status, count(*) FROM road_maps GROUP BY status",
               "SELECT done, count(*) FROM road_map_measures GROUP BY done",
               "SELECT level, count(*) FROM achievements GROUP BY level")
TABLES_BUDGET_S, TABLES_RATIO, XLSX_BUDGET_S, FIRST_TABLE_BUDGET_S = 3.0, 30.0, 5.0, 1.0


def _median(runs: int, work: Callable[[], T]) -> tuple[float, T]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure_section(db: Path, *, remembered: bool) -> float:
    """Seconds from creating the Reports section to its first table (the overview's figures)
    on screen, with the work on the worker thread as in the program; ``remembered``: with
    the figures of an earlier opening still valid (nothing changed since), else counted."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from daryn_desktop.gui.fonts import install_fonts
    from daryn_desktop.gui.reports.section import ReportsSection
    from daryn_desktop.gui.tasks import run_after_queued

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_fonts(app)
    store = open_store(db, password=PASSWORD)
    use_browsing_cache(store)
    if not remembered:
        store.set_state(OVERVIEW_KEY, None)
    try:
        start = time.perf_counter()
        section = ReportsSection(store)
        section.resize(1280, 760)
        section.show()
        # The event loop waits as the program's does (no polling that would take the
        # interpreter from the worker thread), until the figures are on screen.
        loop = QEventLoop()
        section.overview._runner.finished.connect(lambda _result: QTimer.singleShot(0, loop.quit))
        QTimer.singleShot(120_000, loop.quit)
        section.on_shown()
        if section.overview.figures_shown is None:
            loop.exec()
        app.processEvents()
        elapsed = time.perf_counter() - start
        section.close()
        section.deleteLater()
        app.processEvents()
        # The next opening starts, as the first one does in the program, with the worker
        # idle: the Tables page this section began counting after its overview is done.
        idle = threading.Event()
        run_after_queued(idle.set)
        idle.wait(600)
        return elapsed
    finally:
        store.close()


def _figure(seconds: float, floor: float, budget_s: float,
            ratio_budget: float | None = None) -> dict[str, object]:
    """A figure with its ratio to the floor of the same run and its budget."""
    within = seconds <= budget_s and (ratio_budget is None or seconds / floor <= ratio_budget)
    budget = f"<= {budget_s} s" + (f" and <= {ratio_budget} x floor" if ratio_budget else "")
    return {"s": round(seconds, 2), "ratio_to_floor": round(seconds / floor, 1),
            "budget": budget, "within_budget": within}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stats", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pupils", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", type=Path, help="database to reuse (made if missing)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="daryn-bench-stats-"))
    db = args.reuse or work / "bench.db"
    if not db.exists():
        store, _code = create_store(db, PASSWORD, role=Role.REGION, region_kato="150000000",
                                    name="Benchmark", kdf=TEST_KDF)
        start = time.perf_counter()
        generate(store, args.pupils, seed=1)
        print(f"generated {args.pupils} pupils in {time.perf_counter() - start:.1f} s",
              file=sys.stderr)
        store.close()
    store = open_store(db, password=PASSWORD)
    use_browsing_cache(store)
    request = default_request(store, SIX)
    compute_report(store, request)  # warm the page cache, as a running program has it
    floor, _rows = _median(args.runs * 3, lambda: store.db.execute(
        "SELECT sex, count(*) FROM pupils GROUP BY sex").fetchall())
    reads_floor = sum(_median(args.runs * 3, lambda sql=sql: store.db.execute(sql).fetchall())[0]
                      for sql in READS_FLOOR)
    tables, report = _median(args.runs, lambda: compute_report(store, request))
    xlsx, _path = _median(args.runs, lambda: write_xlsx(report, work / "stats.xlsx", lang="kk"))
    pdf, _path = _median(args.runs, lambda: write_pdf(report, work / "stats.pdf", lang="kk"))
    figures: dict[str, object] = {
        "pupils": store.repos.pupils.count(),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "floor_group_by_ms": round(floor * 1000, 1),
        "reads_floor_ms": round(reads_floor * 1000, 1),
    }
    store.close()
    counted = statistics.median(measure_section(db, remembered=False) for _ in range(args.runs))
    remembered = statistics.median(measure_section(db, remembered=True)
                                   for _ in range(args.runs))
    checks = {
        "six_tables": _figure(tables, floor, TABLES_BUDGET_S, TABLES_RATIO),
        "xlsx": _figure(xlsx, floor, XLSX_BUDGET_S),
        "overview_first_show": _figure(counted, floor, FIRST_TABLE_BUDGET_S),
    }
    figures.update(checks)
    figures["six_tables"]["ratio_to_reads_floor"] = round(tables / reads_floor, 1)
    figures["overview_remembered_s"] = round(remembered, 2)
    figures["pdf_s"] = round(pdf, 2)
    figures["xlsx_bytes"] = (work / "stats.xlsx").stat().st_size
    figures["pdf_bytes"] = (work / "stats.pdf").stat().st_size
    figures["within_budget"] = all(c["within_budget"] for c in checks.values())
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "stats.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    for leftover in work.glob("stats.*"):
        leftover.unlink()
    if not args.reuse:
        for leftover in work.iterdir():
            leftover.unlink()
        os.rmdir(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
