"""Every benchmark in one run, and one table: figure, floor, ratio, budget, verdict.

    python -m benchmarks.all                  # the full set (about ten minutes on 2 cores)
    python -m benchmarks.all --readme         # ... and the table into README.md
    python -m benchmarks.all --pupils 20000 --large 0 --pdf 200   # a quicker look

Runs, each in a process of its own and at the sizes of DESIGN §6: ``benchmarks.run`` (demo
data of 100,000 pupils, database size and its floor, search), ``benchmarks.gui`` and
``benchmarks.stats`` and ``benchmarks.spreadsheets`` on the same database (start,
keystrokes, editor, memory; the six statistics tables, their XLSX, the Reports overview;
a class list imported, the registry exported), ``benchmarks.sync`` (1,000 and 50,000
pupils), ``benchmarks.roadmaps`` (a batch of 1,000 road maps) and, when ``installer/build``
has made one, ``benchmarks.build``. Each figure is shown next to the floor measured in the
same run where it has one. The machine's load is shown with the table: figures taken while
other work runs are slower. A benchmark that fails leaves its rows empty and the run goes on;
the exit code is 1 if a figure is over its budget or missing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
README = ROOT / "README.md"
BEGIN, END = "<!-- benchmarks.all: begin -->", "<!-- benchmarks.all: end -->"
PASSWORD = "benchmark-password"


@dataclass(frozen=True)
class Row:
    """One line of the table: where its figure comes from and what it must stay within."""

    figure: str
    source: str
    value: Callable[[dict[str, Any]], float | None]
    unit: str
    #: The budget on the value itself, if any.
    limit: float | None = None
    #: The floor measured in the same run, and the budget on the ratio to it, if any.
    floor: Callable[[dict[str, Any]], float | None] | None = None
    ratio: float | None = None


def _get(*path: str | int) -> Callable[[dict[str, Any]], float | None]:
    def read(figures: dict[str, Any]) -> float | None:
        found: Any = figures
        for key in path:
            try:
                found = found[key]
            except (KeyError, IndexError, TypeError):
                return None
        return found if isinstance(found, (int, float)) else None
    return read


def _per_kib(*path: str) -> Callable[[dict[str, Any]], float | None]:
    read = _get(*path)
    return lambda f: None if (v := read(f)) is None else v / 1024


def _ms_to_s(*path: str) -> Callable[[dict[str, Any]], float | None]:
    read = _get(*path)
    return lambda f: None if (v := read(f)) is None else v / 1000


ROWS = [
    Row("demo data, 100,000 pupils", "run", _get("demo_generation_s"), "s", 120),
    Row("database size per pupil (floor: records without the log)", "run",
        _per_kib("db_bytes_per_pupil"), "KiB", floor=_per_kib("db_floor_bytes_per_pupil"),
        ratio=2),
    Row("search, storage query, median (floor: raw FTS5)", "run", _get("search_median_ms"),
        "ms", floor=_get("raw_fts_median_ms"), ratio=10),
    Row("start to the unlock screen (floor: bare PySide6 window)", "gui",
        _get("start_to_unlock_screen_s"), "s", floor=_get("bare_window_start_s"), ratio=2),
    Row("unlock to interactive, beyond the key derivation (password typed)", "gui",
        _get("unlock_to_interactive_beyond_key_derivation_ms"), "ms", 150),
    Row("  the same, Open pressed the moment the screen appears", "gui",
        _get("the_same_open_pressed_at_once_ms"), "ms"),
    Row("start to interactive window (floor: bare PySide6 window)", "gui",
        _get("app_start_to_interactive_s"), "s", 1.2, floor=_get("bare_window_start_s")),
    Row("search as you type (GUI), median", "gui", _get("search_median_ms"), "ms", 30),
    Row("search as you type (GUI), p95", "gui", _get("search_p95_ms"), "ms", 60),
    Row("  one letter typed, p95", "gui", _get("search_p95_by_typed_length_ms", "1"), "ms", 60),
    Row("  two letters typed, p95", "gui", _get("search_p95_by_typed_length_ms", "2"), "ms",
        60),
    Row("open a pupil in the editor, median", "gui", _get("editor_open_median_ms"), "ms", 100),
    Row("  with its road map tab, median", "gui", _get("editor_with_road_map_tab_median_ms"),
        "ms", 100),
    Row("peak memory, 100,000 pupils open", "gui", _get("peak_rss_mb"), "MB", 250),
    Row("spreadsheet import, 5,000-row class list (floor: openpyxl read + raw write)",
        "spreadsheets", _get("import", "import_s"), "s", 10,
        floor=_get("import", "floor_s"), ratio=5),
    Row("spreadsheet export of the registry, 100,000 pupils", "spreadsheets",
        _get("export", "export_s"), "s", 15, floor=_get("export", "floor_openpyxl_write_s")),
    Row("statistics, the six tables T1–T6 (floor: one GROUP BY count)", "stats",
        _get("six_tables", "s"), "s", 3, floor=_ms_to_s("floor_group_by_ms"), ratio=30),
    Row("  the same (floor: one GROUP BY pass over each table they read)", "stats",
        _get("six_tables", "s"), "s", floor=_ms_to_s("reads_floor_ms")),
    Row("statistics as XLSX", "stats", _get("xlsx", "s"), "s", 5),
    Row("Reports section, overview counted and shown", "stats",
        _get("overview_first_show", "s"), "s", 1),
    Row("bundle bytes per new record", "sync", _get(0, "bytes_per_new_record"), "B", 300),
    Row("bundle bytes per 2-field edit", "sync", _get(0, "edit_bytes_per_2field_edit"), "B",
        70),
    Row("export of 1,000 pupils", "sync", _get(0, "export_s"), "s", 1),
    Row("import of 1,000 pupils (floor: raw triples)", "sync", _get(0, "import_s"), "s",
        floor=_get(0, "raw_triples_s"), ratio=20),
    Row("import of 1,000 two-field edits (floor: raw triples)", "sync",
        _get(0, "edit_import_s"), "s", floor=_get(0, "edit_raw_triples_s"), ratio=20),
    Row("  the same (floor: the edits' log, link, head and record writes, raw)", "sync",
        _get(0, "edit_import_s"), "s", floor=_get(0, "edit_raw_writes_s")),
    Row("import of 50,000 pupils (floor: raw triples)", "sync", _get(1, "import_s"), "s", 60,
        floor=_get(1, "raw_triples_s"), ratio=3),
    Row("  its peak memory (the importing process's RSS)", "sync",
        _get(1, "import_peak_rss_mib"), "MB", 500),
    Row("batch PDF of 1,000 road maps (floor: reportlab plain pages)", "roadmaps",
        _get("batch", "seconds"), "s", 60, floor=_get("batch", "floor_seconds"), ratio=6),
    Row("  its memory, 1,000 against 100 road maps (flat: ≈ 1)", "roadmaps",
        _get("memory", "rss_ratio"), "×", 1.2),
    Row("built program: start to main window", "build", _get("start_built_ms"), "ms", 1500),
]


# -- running the benchmarks --------------------------------------------------------------------
def _run(module: str, args: list[str], log: Path) -> str | None:
    """Run ``python -m benchmarks.<module>``; its output, or None if it failed."""
    print(f"→ benchmarks.{module} {' '.join(args)}", flush=True)
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as err:
        done = subprocess.run([sys.executable, "-m", f"benchmarks.{module}", *args],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True)
    print(f"  {time.perf_counter() - start:.0f} s{'' if done.returncode == 0 else ' (failed)'}",
          flush=True)
    return done.stdout if done.returncode == 0 else None


def _json_file(name: str) -> dict[str, Any]:
    try:
        return json.loads((RESULTS / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _last_json(text: str | None) -> Any:
    """The JSON document that ends the output (after any progress lines), or {}."""
    if not text:
        return {}
    lines = text.splitlines()
    for start in range(len(lines)):
        if lines[start].startswith(("{", "[")):
            try:
                return json.loads("\n".join(lines[start:]))
            except ValueError:
                continue
    return {}


def _json_lines(text: str | None) -> list[dict[str, Any]]:
    out = []
    for line in (text or "").splitlines():
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                out.append(json.loads(line))
    return out


def collect(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Run every benchmark; their figures by source name."""
    figures: dict[str, Any] = {}
    database = work / "bench.db"
    out = _run("run", ["--pupils", str(args.pupils), "--reuse", str(database)],
               work / "run.log")
    figures["run"] = _json_file("latest.json") if out is not None else {}
    if database.exists():
        out = _run("gui", ["--db", str(database), "--password", PASSWORD], work / "gui.log")
        figures["gui"] = _json_file("gui.json") if out is not None else {}
        # Before the spreadsheet benchmark adds its class list: the region as generated.
        out = _run("stats", ["--reuse", str(database)], work / "stats.log")
        figures["stats"] = _json_file("stats.json") if out is not None else {}
        out = _run("spreadsheets", ["--pupils", str(args.pupils), "--reuse", str(database)],
                   work / "spreadsheets.log")
        figures["spreadsheets"] = _json_file("spreadsheets.json") if out is not None else {}
    sync_args = ["--large", str(args.large)]
    figures["sync"] = _json_lines(_run("sync", sync_args, work / "sync.log"))
    figures["roadmaps"] = _last_json(_run(
        "roadmaps", ["--pupils", str(args.pdf), "--batch", str(args.pdf)], work / "roadmaps.log"))
    if (ROOT / "dist" / "daryn-desktop").exists():
        out = _run("build", [], work / "build.log")
        figures["build"] = _json_file("build.json") if out is not None else {}
    return figures


# -- the table --------------------------------------------------------------------------------
def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if value >= 0.1 else f"{value:.4f}"


def table(figures: dict[str, Any]) -> tuple[list[list[str]], bool]:
    """The rows (figure, value, floor, ratio, budget, verdict) and whether all are within."""
    lines, all_within = [], True
    for row in ROWS:
        source = figures.get(row.source)
        if source is None:
            continue  # not run (no build, say)
        value = row.value(source)
        floor = row.floor(source) if row.floor else None
        ratio = value / floor if value is not None and floor else None
        limits = []
        within = value is not None
        if row.limit is not None:
            limits.append(f"≤ {row.limit:g} {row.unit}")
            within = within and value is not None and value <= row.limit
        if row.ratio is not None:
            limits.append(f"≤ {row.ratio:g} ×")
            within = within and ratio is not None and ratio <= row.ratio
        budget = " and ".join(limits)
        all_within &= within
        lines.append([
            row.figure,
            "—" if value is None else f"{_number(value)} {row.unit}",
            "—" if floor is None else f"{_number(floor)} {row.unit}",
            "—" if ratio is None else f"{ratio:.1f} ×",
            budget,
            # A figure shown beside another, without a budget of its own, has no verdict.
            "missing" if value is None else "—" if not limits
            else ("within" if within else "OVER"),
        ])
    return lines, all_within


HEADER = ["figure", "value", "floor", "ratio", "budget", "verdict"]


def as_text(lines: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [HEADER, *lines]) for i in range(len(HEADER))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths))
                     for r in [HEADER, *lines])


def as_markdown(lines: list[list[str]], note: str) -> str:
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in r) + " |" for r in lines]
    return "\n".join(out) + f"\n\n{note}\n"


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def _pace() -> float:
    """Seconds of a fixed pure-Python loop (ten million additions), best of three: the
    processor's speed at the time, for comparing runs. (A shared host varies by a third or
    more from hour to hour, mostly in writing to disk, which this does not show: the floors
    measured beside each figure do.)"""
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return best


def update_readme(markdown: str) -> bool:
    text = README.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        return False
    head, rest = text.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{markdown}{END}{tail}", encoding="utf-8")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pupils", type=int, default=100_000,
                        help="pupils of the database for store, search and window figures")
    parser.add_argument("--large", type=int, default=50_000,
                        help="pupils of the large sync run (0 to skip it)")
    parser.add_argument("--pdf", type=int, default=1000, help="road maps in the batch PDF")
    parser.add_argument("--readme", action="store_true",
                        help="write the table into README.md's performance section")
    args = parser.parse_args()

    load_before, pace_before = _load(), _pace()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="daryn-bench-all-") as tmp:
        figures = collect(args, Path(tmp))
        logs = {p.name: p.read_text(encoding="utf-8")[-2000:] for p in Path(tmp).glob("*.log")}
    minutes = (time.perf_counter() - start) / 60
    lines, within = table(figures)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    note = (f"Measured {when} by `python -m benchmarks.all` ({args.pupils:,} pupils;"
            f" sync {args.large:,}; {args.pdf:,} road maps) in {minutes:.1f} min on"
            f" {platform.system()} {platform.machine()}, {os.cpu_count()} cores; load average"
            f" (1 / 5 / 15 min) {load_before} before, {_load()} after; a fixed Python loop"
            f" {pace_before:.2f} s before, {_pace():.2f} s after.")
    print()
    print(as_text(lines))
    print()
    print(note)
    RESULTS.mkdir(exist_ok=True)
    markdown = as_markdown(lines, note)
    (RESULTS / "all.md").write_text(markdown, encoding="utf-8")
    (RESULTS / "all.json").write_text(json.dumps(
        {"figures": figures, "table": lines, "note": note, "stderr_tails": logs},
        indent=2, ensure_ascii=False), encoding="utf-8")
    if args.readme and not update_readme(markdown):
        print(f"README.md has no {BEGIN} … {END} block: table not written", file=sys.stderr)
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
