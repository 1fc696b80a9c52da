"""The built program's figures: its size, and how fast it starts, next to the source run.

    installer/build                     # first: dist/daryn-desktop and its archive
    python -m benchmarks.build          # then: sizes and start times (5 runs each)
    python -m benchmarks.build --runs 9 --dist /other/dist

Figures:
* size of the one-folder build (files counted once; PyInstaller links some twice) and of
  its archive;
* start of the built ``daryn-desktop`` to an interactive main window: a fresh process each
  time, timed from its launch to the self-test's "Main window" line (Qt offscreen, fonts,
  translations, a throw-away database with one pupil, the registry listing it). Next to it,
  the same from the source checkout (``python -m daryn_desktop.gui.app``) and a bare PySide6
  window from source (the floor of DESIGN §6), all in the same run; the budget is 1.5 s;
* ``daryn --version`` (the console program's own start) and the whole ``daryn self-test``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
EXE = ".exe" if sys.platform == "win32" else ""
START_BUDGET_S = 1.5
BARE_WINDOW = (
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QLabel, QMainWindow\n"
    "app = QApplication([])\n"
    "w = QMainWindow(); w.setCentralWidget(QLabel('Daryn')); w.resize(1280, 760); w.show()\n"
    "QTimer.singleShot(0, lambda: (print('[ok]      Main window', flush=True), app.quit()))\n"
    "app.exec()\n"
)


def _env() -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DARYN_DB", None)
    return env


def time_to_line(command: list[str], prefix: str = "[ok]      Main window") -> float:
    """Seconds from launching ``command`` to its first output line starting with ``prefix``."""
    begin = time.perf_counter()
    with subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True, encoding="utf-8") as child:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith(prefix):
                seen = time.perf_counter() - begin
                break
        else:
            raise RuntimeError(f"{command[0]} never printed {prefix!r}")
        child.stdout.read()
        if child.wait() != 0:
            raise RuntimeError(f"{' '.join(command)} failed")
    return seen


def time_run(command: list[str]) -> float:
    begin = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=_env(), check=True, capture_output=True)
    return time.perf_counter() - begin


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def _median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    folder = args.dist / "daryn-desktop"
    gui, cli = folder / f"daryn-desktop{EXE}", folder / f"daryn{EXE}"
    if not gui.exists():
        print(f"No build in {folder}: run installer/build first.", file=sys.stderr)
        return 1
    archives = sorted(p for p in args.dist.glob("daryn-desktop-*")
                      if p.suffix in (".gz", ".zip", ".exe"))
    built, source, bare, cli_start, cli_test = [], [], [], [], []
    for _ in range(args.runs):
        # Interleaved, so that a busy moment of the machine hits all of them alike.
        built.append(time_to_line([str(gui), "--lang", "en", "--self-test"]))
        source.append(time_to_line([sys.executable, "-m", "daryn_desktop.gui.app", "--lang",
                                    "en", "--self-test"]))
        bare.append(time_to_line([sys.executable, "-c", BARE_WINDOW]))
        cli_start.append(time_run([str(cli), "--version"]))
        cli_test.append(time_run([str(cli), "--lang", "en", "self-test"]))
    figures = {
        "build_mb": round(folder_size(folder) / 2**20, 1),
        "archives_mb": {p.name: round(p.stat().st_size / 2**20, 1) for p in archives},
        "start_built_ms": _median_ms(built),
        "start_source_ms": _median_ms(source),
        "bare_window_source_ms": _median_ms(bare),
        "start_built_vs_bare_ratio": round(statistics.median(built) / statistics.median(bare),
                                           2),
        "start_budget_s": START_BUDGET_S,
        "daryn_version_ms": _median_ms(cli_start),
        "daryn_self_test_ms": _median_ms(cli_test),
        "runs": args.runs,
    }
    print(f"build folder              {figures['build_mb']} MB")
    for name, size in figures["archives_mb"].items():
        print(f"  {name:<40} {size} MB")
    print(f"start to main window      built {figures['start_built_ms']} ms,"
          f" source {figures['start_source_ms']} ms,"
          f" bare PySide6 window (source) {figures['bare_window_source_ms']} ms"
          f" → ×{figures['start_built_vs_bare_ratio']} (budget {START_BUDGET_S} s)")
    print(f"daryn --version           {figures['daryn_version_ms']} ms")
    print(f"daryn self-test           {figures['daryn_self_test_ms']} ms")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "build.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    within = statistics.median(built) <= START_BUDGET_S
    print("within the start budget" if within else "OVER the start budget")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
