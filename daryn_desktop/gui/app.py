"""Starting the application: arguments, language, fonts, first run or unlock, main window.

The unlock screen (or the first-run wizard) is shown before the heavy parts are loaded:
this module and the unlock screen import only Qt and small modules of our own. The database
(sqlite-utils), the main window and its first section are loaded while the password's key is
derived on the worker thread (:func:`prepare_main_window`); spreadsheets, PDF, the sync stack
and the other sections when they are first used (``gui/sections.py`` names them as strings).
``tests/gui/test_start.py`` checks that the unlock path loads none of them.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from daryn_desktop import APP_ID, APP_NAME, __version__
from daryn_desktop.errors import UserError
from daryn_desktop.gui.fonts import install_fonts
from daryn_desktop.gui.language import apply_language
from daryn_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES, _
from daryn_desktop.paths import HOME_ENV, AppPaths, app_paths
from daryn_desktop.settings import Settings, load_settings, update_settings

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

#: The demo database holds only synthetic children; its password is public.
DEMO_PASSWORD = "daryn-demo"
DEMO_PUPILS = 2000
DEMO_REGION = "150000000"  # Aktobe region

def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="daryn-desktop")
    parser.add_argument("--db", help="database file")
    parser.add_argument("--lang", choices=LANGUAGES, default=None)
    parser.add_argument("--data-dir", help="keep all data in this folder (portable use)")
    parser.add_argument("--demo", action="store_true",
                        help="open the demo database (made on first use)")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    # -- installer (issue 6): checking the built program, opening bundle files ---------------
    parser.add_argument("--self-test", nargs="?", const="", default=None, metavar="REPORT",
                        help=_("check the program offscreen and exit (lines also to REPORT)"))
    # "*": a desktop entry's "--import %F" passes no file when the program is started alone.
    parser.add_argument("--import", dest="import_files", nargs="*", default=[], metavar="FILE",
                        help=_("import these sync bundles once the database is open"))
    return parser.parse_args(list(argv))


def pass_on_imports(window: QWidget, files: Sequence[str]) -> None:
    """Bundles the program was started with (a double-clicked ``.dsb`` file) go to the Sync
    section's ``import_files``, which checks and imports them as if chosen there."""
    show_section = getattr(window, "show_section", None)
    page = show_section("sync") if callable(show_section) else None
    import_files = getattr(page, "import_files", None)
    if callable(import_files):
        import_files([Path(f).resolve() for f in files])


def _front(widget: QWidget) -> None:
    """Bring a window (or dialog) in front of the others, as a second start expects."""
    if widget.isMinimized():
        widget.showNormal()
    widget.raise_()
    widget.activateWindow()


def _start_key(args: argparse.Namespace, paths: AppPaths) -> Path:
    """What a start is about: its --db, the demo database, or else its data folder."""
    if args.db:
        return Path(args.db)
    return paths.demo_db if args.demo else paths.data


def open_demo(data_dir: str | None, parent: QWidget | None = None) -> Store:
    """The demo database, created and filled with synthetic pupils the first time."""
    from daryn_desktop.core.enums import Role
    from daryn_desktop.demo.generator import generate
    from daryn_desktop.gui.tasks import run_task
    from daryn_desktop.storage.database import create_store, open_store
    from daryn_desktop.sync.identity import ensure_identity

    path = app_paths(data_dir).demo_db
    if path.exists():
        return run_task(parent, _("Opening the database…"),
                        lambda _r, _c: open_store(path, password=DEMO_PASSWORD))
    store, _code = create_store(path, DEMO_PASSWORD, role=Role.REGION, region_kato=DEMO_REGION,
                                name=_("Demo installation"))
    try:
        ensure_identity(store)
        run_task(parent, _("Preparing the demo database…"),
                 lambda report, cancel: generate(store, DEMO_PUPILS, progress=report,
                                                 cancel=cancel))
    except BaseException:
        store.close()
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink(missing_ok=True)
        raise
    return store


def choose_store(args: argparse.Namespace, paths: AppPaths, settings: Settings) -> Store | None:
    """The database to work with: the demo, an unlocked one, or a new one from the wizard."""
    if args.demo:
        return open_demo(args.data_dir)
    if args.db:
        db_path = Path(args.db)
    elif settings.last_database and Path(settings.last_database).exists():
        db_path = Path(settings.last_database)
    else:
        db_path = paths.default_db
    if db_path.exists():
        from daryn_desktop.gui.unlock import UnlockDialog

        unlock = UnlockDialog(db_path, prepare=prepare_main_window, warm_up=warm_up)
        if unlock.exec() and unlock.store is not None:
            return unlock.store
        return None
    # The wizard (with the new password's fields and the key derivation's modules) only
    # for a first run: the unlock screen of every later start does not wait for it.
    from daryn_desktop.gui.wizard import FirstRunWizard

    wizard = FirstRunWizard(paths, db_path=db_path,
                            on_language=lambda lang: _remember_language(paths, lang),
                            open_demo=lambda parent: open_demo(args.data_dir, parent))
    wizard.exec()
    return wizard.store


def prepare_main_window() -> None:
    """Load what the main window needs before it has the database: its modules and its first
    section's, the territories (the status bar names the installation's) and the catalogues
    of every language (its title compares the demo database's name in each)."""
    from daryn_desktop.core.territory import gazetteer
    from daryn_desktop.gui import main_window, sections  # noqa: F401
    from daryn_desktop.i18n import translator

    sections.resolve(sections.section("pupils").factory)
    gazetteer()
    for lang in LANGUAGES:
        translator(lang)


def warm_up(store: Store) -> None:
    """On the worker, as the database opens: the registry's first screen (its count, the
    first names in order and their rows) and the district list of its filters are read once,
    so that their pages stay decrypted in the page cache for the window's own first queries."""
    from daryn_desktop.storage.registry import (
        count_matching,
        districts_with_schools,
        ordered_keys,
        registry_rows,
        use_browsing_cache,
    )
    from daryn_desktop.storage.search import PupilQuery

    use_browsing_cache(store)
    query = PupilQuery()
    count_matching(store, query)
    # As many as the registry's model reads at first (its FIRST_ROWS, then a BLOCK of rows).
    keys = ordered_keys(store, query, limit=200)
    registry_rows(store, keys[:30])
    districts_with_schools(store)


def _remember_language(paths: AppPaths, lang: str) -> None:
    apply_language(QApplication.instance(), lang)
    update_settings(paths, language=lang)


def _forget_opened_files(paths: AppPaths) -> None:
    """Attachments written out for the system viewer do not outlive the session."""
    shutil.rmtree(paths.data / "opened", ignore_errors=True)


def _started() -> None:
    """The window is on screen: what the start made (modules, widgets, translations) lives
    as long as the program, so it is kept out of every later collection, which is back."""
    gc.freeze()
    gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    # The start makes hundreds of thousands of objects and frees few: the cyclic collector
    # would walk them some fifty times (about 30 ms between Open and the window). It is off
    # until the window is on screen (``_started``), and back whatever way main ends.
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test is not None:  # installer (issue 6): no data folder, no window on screen
        from daryn_desktop.gui.selftest import self_test

        return self_test(args.self_test or None, lang=args.lang)
    paths = app_paths(args.data_dir)
    if args.data_dir:
        # Every later app_paths() (logs, settings, opened attachments, other parts' screens)
        # then finds the same folder: portable use keeps everything beside the program.
        os.environ[HOME_ENV] = str(paths.data)
    settings = load_settings(paths)
    lang = args.lang or settings.language or DEFAULT_LANGUAGE
    # Sharp text on high-DPI screens at fractional scales (125 %, 150 %) common on laptops.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = cast(QApplication, QApplication.instance()) or QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    from daryn_desktop.gui.icons import app_icon  # installer (issue 6)

    app.setWindowIcon(app_icon())
    install_fonts(app)
    apply_language(app, lang)
    from daryn_desktop.gui.crash import install_excepthook

    install_excepthook(paths)
    from daryn_desktop.gui.single import Arrivals, Listener, hand_over, server_name

    # One window per database: a window already open on it takes this start's files.
    name = server_name(_start_key(args, paths))
    if hand_over(name, args.import_files):
        return 0
    windows: list[QWidget] = []
    listener = Listener(app)
    if not listener.listen(name) and hand_over(name, args.import_files):
        return 0  # another start got there a moment before this one

    def arrived(files: list[str]) -> None:
        if windows:
            _front(windows[0])
            if files:
                QTimer.singleShot(0, lambda: pass_on_imports(windows[0], files))

    def unlocking() -> None:  # the password dialog (or the wizard) comes to the front
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                _front(widget)

    arrivals = Arrivals(listener, arrived, early=unlocking)
    try:
        store = choose_store(args, paths, settings)
    except UserError as exc:
        QMessageBox.critical(None, APP_NAME, exc.translated())
        return 1
    if store is None:
        return 1
    if not args.demo and store.path != paths.demo_db:
        update_settings(paths, last_database=str(store.path))
    from daryn_desktop.gui.main_window import MainWindow

    def keep(window: MainWindow) -> None:
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.replaced.connect(keep)
        windows[:] = [window]
        # Found by the database it shows too (a later start with the same --db).
        listener.listen(server_name(window.store.path))

    window = MainWindow(store, data_dir=args.data_dir)
    keep(window)
    window.show()
    if args.import_files:  # installer (issue 6): a double-clicked bundle file
        QTimer.singleShot(0, lambda: pass_on_imports(window, args.import_files))
    QTimer.singleShot(0, arrivals.ready)  # files handed over while unlocking
    QTimer.singleShot(0, _started)
    try:
        return app.exec()
    finally:
        store.close()
        _forget_opened_files(paths)


if __name__ == "__main__":
    sys.exit(main())
