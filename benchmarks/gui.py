"""The GUI's figures of DESIGN §6, on a large demo database, each against its budget.

    python -m benchmarks.gui                       # /tmp/daryn-gui-100k.db, made if missing
    python -m benchmarks.gui --db /tmp/other.db --password secret
    python -m benchmarks.gui --pupils 20000        # a quicker look (a new database)
    python -m benchmarks.gui --start-only          # the start alone

Figures:
* the start, in a fresh process each time, as a person starts the program (``gui.app.main``
  on the database): start to the unlock screen on view, next to a bare PySide6 window started
  in the same way in the same run (the floor); then, the password typed as a person types it
  (Open pressed a second after the screen appeared: the program loads the window's modules
  meanwhile), unlock to an interactive main window (the registry with its count and first
  rows painted, the deferred status-bar count done), next to the password's key derivation
  (Argon2id, a deliberate cost of about 0.3 s) measured alone in the same process; and the
  whole start without the typing. The same, with Open pressed the moment the screen appears
  (a password pasted at once: the loading then runs beside the key derivation), is shown
  beside it without a budget. The process's CPU time is shown beside the wall times (a busy
  machine stretches the latter). Translations and modules are compiled first, as the build
  does;
* search-as-you-type: every keystroke of realistic typing (prefixes of surnames, given names,
  IINs and schools), measured from the text change to the table repainted (query + model
  refresh + the visible rows read);
* opening a pupil who has a road map in the editor (to the editor painted), and with its
  Road map tab shown as well;
* peak memory (RSS) of a process that opened the 100,000-pupil registry, searched, scrolled
  to the end and opened editors.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from daryn_desktop.gui.registry.section import PupilsSection

DEFAULT_DB = Path("/tmp/daryn-gui-100k.db")
PASSWORD = "benchmark-password"
RESULTS = Path(__file__).resolve().parent / "results"
#: DESIGN §6 (start as issue 18 restates it).
BUDGETS = {"unlock_screen_ratio": 2.0, "after_key_derivation_ms": 150.0, "start_s": 1.2}
#: From the unlock screen on view to Open pressed: a person typing a password of 8 or more
#: characters (and pressing Enter) needs at least a second.
TYPING_MS = 1000
BUDGET_TEXT = ("start to the unlock screen <= 2 x a bare window; unlock to interactive <= the"
               " key derivation + 150 ms; whole start <= 1.2 s; search median <= 30 ms,"
               " p95 <= 80 ms; editor <= 100 ms; peak RSS <= 300 MB")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- child processes ---------------------------------------------------------------------------
def _child_bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.setCentralWidget(QLabel("Daryn"))
    window.resize(1280, 760)
    window.show()
    QTimer.singleShot(0, lambda: (print("READY", flush=True), app.quit()))
    app.exec()


def _child_start(db: str, password: str, typing_ms: int) -> None:
    """The program's own start (``gui.app.main``) on ``db``: the unlock screen, the password
    typed and Open pressed ``typing_ms`` after it is on view, the main window until it is
    interactive.

    Prints ``UNLOCK`` when the unlock screen is on screen, ``READY {steps}`` when the window
    is interactive, then ``KDF {ms}``: the password's key derivation alone, for comparison.
    """
    marks = {"start": time.perf_counter()}
    cpu_start = time.process_time()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from daryn_desktop.gui import app as gui_app

    marks["imports"] = time.perf_counter()
    cpu: dict[str, float] = {}

    def on_view(dialog: QWidget) -> None:
        # After the first paint: the person sees the unlock screen, and types.
        marks["unlock_screen"] = time.perf_counter()
        cpu["unlock_screen"] = time.process_time()
        print("UNLOCK", flush=True)
        QTimer.singleShot(typing_ms, lambda: unlock(dialog))

    def unlock(dialog: QWidget) -> None:
        dialog.password.setText(password)  # type: ignore[attr-defined]
        marks["open_pressed"] = time.perf_counter()
        cpu["open_pressed"] = time.process_time()
        cpu["ui_open_pressed"] = time.thread_time()
        dialog.open_button.click()  # type: ignore[attr-defined]

    def ready() -> None:
        # Runs after the first paint and the deferred start-up work (the status-bar count).
        marks["interactive"] = time.perf_counter()
        steps = {name: _ms(marks[name] - marks["start"]) for name in marks}
        # CPU time of the process (all its threads), which a busy machine does not stretch.
        steps["cpu_to_unlock_screen"] = _ms(cpu["unlock_screen"] - cpu_start)
        steps["cpu_unlock_to_interactive"] = _ms(time.process_time() - cpu["open_pressed"])
        # ... and of the UI thread alone (the worker derives the key and opens the database
        # beside it): on a quiet machine the longer of the two sets the wall time.
        steps["cpu_ui_thread_unlock_to_interactive"] = _ms(time.thread_time()
                                                           - cpu["ui_open_pressed"])
        print("READY " + json.dumps(steps), flush=True)
        QApplication.closeAllWindows()

    class Watch(QObject):
        """Notes when the unlock screen and the main window appear."""

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Show and isinstance(obj, QWidget):
                name = obj.objectName()
                if name == "unlockDialog" and "unlock_screen" not in marks:
                    marks["unlock_shown"] = time.perf_counter()
                    QTimer.singleShot(0, lambda: on_view(obj))
                elif name == "mainWindow" and "shown" not in marks:
                    marks["shown"] = time.perf_counter()
                    QTimer.singleShot(0, lambda: QTimer.singleShot(0, ready))
            return False

    watch = Watch()
    real_choose_store = gui_app.choose_store

    def choose_store(*args, **kwargs):  # the application exists now; the screens do not
        marks["qt"] = time.perf_counter()
        QApplication.instance().installEventFilter(watch)
        return real_choose_store(*args, **kwargs)

    gui_app.choose_store = choose_store
    code = gui_app.main(["--db", db])
    if code != 0 or "interactive" not in marks:
        raise SystemExit(f"the program ended with {code} before its window was interactive")
    from daryn_desktop.storage.keyring import load_keyring

    ring = load_keyring(Path(db))
    start = time.perf_counter()
    ring.unlock(password)
    print(f"KDF {_ms(time.perf_counter() - start)}", flush=True)


def _child_work(db: str, password: str, typed: list[str], pupils: list[str]) -> None:
    """Search, editor and memory figures, measured inside one running application."""
    import resource

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from daryn_desktop.gui import sections
    from daryn_desktop.gui.app import apply_language
    from daryn_desktop.gui.fonts import install_fonts
    from daryn_desktop.gui.main_window import MainWindow
    from daryn_desktop.storage.database import open_store

    app = QApplication([])
    install_fonts(app)
    apply_language(app, "kk")
    store = open_store(db, password=password)
    window = MainWindow(store)
    window.resize(1280, 760)
    window.show()
    app.processEvents()
    section = cast("PupilsSection", window.page("pupils"))

    def repaint() -> None:
        section.table.viewport().repaint()  # asks the model for every visible cell
        app.processEvents()

    keystrokes: list[float] = []
    per_length: dict[int, list[float]] = {}
    for text in typed:
        for end in range(1, len(text) + 1):
            start = time.perf_counter()
            section.search.setText(text[:end])
            section.apply()
            repaint()
            elapsed = time.perf_counter() - start
            keystrokes.append(elapsed)
            per_length.setdefault(min(end, 4), []).append(elapsed)
        start = time.perf_counter()
        section.search.clear()
        section.apply()
        repaint()
        keystrokes.append(time.perf_counter() - start)

    section.search.clear()
    section.apply()
    scroll = section.table.verticalScrollBar()
    for fraction in (0.25, 0.5, 0.75, 1.0):
        scroll.setValue(int(scroll.maximum() * fraction))
        repaint()

    editor_times, with_map_times = [], []
    has_road_map_editor = sections.resolve(sections.ROAD_MAP_EDITOR) is not None
    for pupil_id in pupils:
        start = time.perf_counter()
        editor = section.open_pupil(pupil_id)
        app.processEvents()
        editor.repaint()
        editor_times.append(time.perf_counter() - start)
        editor.tabs.setCurrentWidget(editor.road_map_page)
        editor.repaint()
        app.processEvents()
        with_map_times.append(time.perf_counter() - start)
        editor.reject()
        app.processEvents()
        # As the running event loop would: the closed editor is deleted.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    figures = {
        "keystrokes": len(keystrokes),
        "search_median_ms": _ms(statistics.median(keystrokes)),
        "search_p95_ms": _ms(_percentile(keystrokes, 0.95)),
        "search_max_ms": _ms(max(keystrokes)),
        "search_median_by_typed_length_ms": {
            (f"{n}+" if n == 4 else str(n)): _ms(statistics.median(v))
            for n, v in sorted(per_length.items())},
        "search_p95_by_typed_length_ms": {
            (f"{n}+" if n == 4 else str(n)): _ms(_percentile(v, 0.95))
            for n, v in sorted(per_length.items())},
        "editor_open_median_ms": _ms(statistics.median(editor_times)),
        "editor_open_max_ms": _ms(max(editor_times)),
        "editor_with_road_map_tab_median_ms": _ms(statistics.median(with_map_times)),
        "editor_with_road_map_tab_max_ms": _ms(max(with_map_times)),
        "road_map_editor_present": has_road_map_editor,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print("FIGURES " + json.dumps(figures), flush=True)
    window.close()
    store.close()


# -- the parent: set-up and timing -------------------------------------------------------------
def _run_child(args: list[str], env: dict[str, str]) -> tuple[float, str, dict[str, float]]:
    """Wall time from spawning a child to its READY/FIGURES line, that line, and the wall
    times of the lines before it (``UNLOCK``) and after it (``KDF``: its value)."""
    start = time.perf_counter()
    seen: dict[str, float] = {}
    with subprocess.Popen([sys.executable, "-m", "benchmarks.gui", *args],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                          env=env, cwd=Path(__file__).resolve().parent.parent) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("UNLOCK"):
                seen["unlock"] = time.perf_counter() - start
            if line.startswith(("READY", "FIGURES")):
                elapsed = time.perf_counter() - start
                for rest in child.stdout:
                    if rest.startswith("KDF "):
                        seen["kdf_ms"] = float(rest.split()[1])
                child.wait()
                if child.returncode == 0:
                    return elapsed, line.strip(), seen
        child.wait()
    raise RuntimeError(f"benchmark child {args[:2]} failed (exit {child.returncode})")


def _ensure_database(path: Path, password: str, pupils: int) -> None:
    if path.exists():
        return
    from daryn_desktop.core.enums import Role
    from daryn_desktop.demo.generator import generate
    from daryn_desktop.storage.database import create_store

    print(f"making {path} with {pupils} pupils (once; reused by later runs)…")
    store, _code = create_store(path, password, role=Role.REGION, region_kato="150000000",
                                name="Benchmark")
    with store:
        generate(store, pupils, seed=1)


def _samples(path: Path, password: str, seed: int, words: int, editors: int):
    from benchmarks.run import typed_prefixes
    from daryn_desktop.storage.database import open_store

    with open_store(path, password=password) as store:
        typed = typed_prefixes(store, random.Random(seed), words)
        pupils = [r[0] for r in store.db.execute(
            "SELECT pupil_id FROM road_maps ORDER BY random() LIMIT ?", [editors])]
        total = store.db.execute("SELECT count(*) FROM pupils").fetchone()[0]
    return typed, pupils, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--pupils", type=int, default=100_000,
                        help="pupils in a database made because --db does not exist")
    parser.add_argument("--starts", type=int, default=5, help="starts of each kind")
    parser.add_argument("--words", type=int, default=60, help="searches typed")
    parser.add_argument("--editors", type=int, default=25, help="pupils opened")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start-only", action="store_true",
                        help="measure the start only (no search, editor or memory figures)")
    parser.add_argument("--child", choices=("bare", "start", "work"), help=argparse.SUPPRESS)
    parser.add_argument("--payload", help=argparse.SUPPRESS)
    parser.add_argument("--typing-ms", type=int, default=TYPING_MS, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "bare":
        _child_bare()
        return 0
    if args.child == "start":
        _child_start(str(args.db), args.password, args.typing_ms)
        return 0
    if args.child == "work":
        payload = json.loads(Path(args.payload).read_text(encoding="utf-8"))
        _child_work(str(args.db), args.password, payload["typed"], payload["pupils"])
        return 0

    _ensure_database(args.db, args.password, args.pupils)
    typed, pupils, total = _samples(args.db, args.password, args.seed, args.words, args.editors)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "DARYN_HOME": str(Path("/tmp") / "daryn-bench-home")}

    _compile_catalogues()
    start_args = ["--child", "start", "--db", str(args.db), "--password", args.password]
    at_once_args = [*start_args, "--typing-ms", "0"]
    bare, to_unlock, app_starts, steps, kdf, at_once = [], [], [], [], [], []
    _run_child(["--child", "bare"], env)  # warm the file cache for both kinds alike
    _run_child(start_args, env)
    for _ in range(args.starts):
        bare.append(_run_child(["--child", "bare"], env)[0])
        elapsed, line, seen = _run_child(start_args, env)
        step = json.loads(line.split(" ", 1)[1])
        # The whole start as the program makes it, the person's typing taken out.
        app_starts.append(elapsed - (step["open_pressed"] - step["unlock_screen"]) / 1000)
        to_unlock.append(seen["unlock"])
        kdf.append(seen["kdf_ms"])
        steps.append(step)
        _elapsed, line, seen = _run_child(at_once_args, env)
        step = json.loads(line.split(" ", 1)[1])
        at_once.append(step["interactive"] - step["open_pressed"] - seen["kdf_ms"])
    inside = {name: statistics.median(s[name] for s in steps) for name in steps[0]}
    unlocking = statistics.median(s["interactive"] - s["open_pressed"] for s in steps)
    kdf_ms = statistics.median(kdf)
    start_s, bare_s = statistics.median(app_starts), statistics.median(bare)
    unlock_s = statistics.median(to_unlock)
    figures: dict[str, object] = {
        "pupils": total,
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "bare_window_start_s": round(bare_s, 3),
        "start_to_unlock_screen_s": round(unlock_s, 3),
        "start_to_unlock_screen_vs_bare": round(unlock_s / bare_s, 2),
        "key_derivation_ms": round(kdf_ms, 1),
        "unlock_to_interactive_ms": round(unlocking, 1),
        "unlock_to_interactive_beyond_key_derivation_ms": round(unlocking - kdf_ms, 1),
        "the_same_open_pressed_at_once_ms": round(statistics.median(at_once), 1),
        "app_start_to_interactive_s": round(start_s, 3),
        "app_start_vs_bare": round(start_s / bare_s, 2),
        "app_start_steps_ms (inside the process)": inside,
    }
    verdicts = {
        "start_to_unlock_screen": unlock_s <= BUDGETS["unlock_screen_ratio"] * bare_s,
        "unlock_to_interactive": unlocking - kdf_ms <= BUDGETS["after_key_derivation_ms"],
        "start_to_interactive": start_s <= BUDGETS["start_s"],
    }
    if args.start_only:
        figures["start_within_budget"] = verdicts
        _report(figures)
        return 0

    payload = RESULTS / "gui-payload.json"
    RESULTS.mkdir(exist_ok=True)
    payload.write_text(json.dumps({"typed": typed, "pupils": pupils}), encoding="utf-8")
    _elapsed, line, _seen = _run_child(["--child", "work", "--db", str(args.db), "--password",
                                 args.password, "--payload", str(payload)], env)
    payload.unlink()
    work = json.loads(line.split(" ", 1)[1])

    figures.update(work)
    figures["start_within_budget"] = verdicts
    figures["budgets"] = BUDGET_TEXT
    _report(figures)
    return 0


def _report(figures: dict[str, object]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "gui.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    width = max(len(k) for k in figures)
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")


def _compile_catalogues() -> None:
    """The translations and the modules as the built program has them: compiled ``.mo``
    files and bytecode, both made by the build (a source checkout otherwise compiles its
    ``.po`` files at every start, and every module too where PYTHONDONTWRITEBYTECODE is set)."""
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "tools/i18n.py", "compile"], check=True, cwd=root)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "daryn_desktop", "benchmarks"],
                   check=True, cwd=root, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    sys.exit(main())
