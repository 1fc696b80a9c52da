"""``daryn-desktop --self-test``: the windowed program checks its Qt side, offscreen.

The counterpart of ``daryn self-test`` (database, PDF, sync), which does not load Qt. Here:
the Qt platform and the bundled font with every Kazakh letter, Qt's own translations, the
product's icons, and the main window opened on a throw-away database with every section
shown (sections are imported by name, so this proves that the build holds them) and closed.
Nothing is written to the person's data folder. One line per check; exit code 0 only if
all passed. A windowed program on Windows has no console, so the lines can also go to a file
(``--self-test REPORT``), with a screenshot of the main window beside it (same name, .png).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daryn_desktop import APP_NAME, __version__
from daryn_desktop.checks import format_traceback, run_check_list
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import DEFAULT_LANGUAGE, N_, _, set_language

#: Letters of the Kazakh alphabet that Russian lacks: the font must draw every one of them.
KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
SURNAME, GIVEN_NAME = "Әбілқайыров", "Ұлықбек"
#: How long the main window may take to show the pupil (a few milliseconds normally).
WINDOW_TIMEOUT_S = 10.0


class CheckFailed(UserError):
    """A check saw something wrong; the message says what."""


@dataclass
class Workspace:
    folder: Path
    screenshot: Path | None = None
    cleanup: list[Callable[[], None]] = field(default_factory=list)
    window: Any = None  # the MainWindow, once open


def expect(condition: object, message: str, **params: Any) -> None:
    if not condition:
        raise CheckFailed(message, **params)


def _app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


def check_font(ws: Workspace) -> str:
    """Qt starts and draws Kazakh letters with the bundled font (the wheels ship none)."""
    from PySide6.QtGui import QFontInfo, QFontMetrics, QGuiApplication

    from daryn_desktop.gui.fonts import FAMILY, install_fonts

    app = _app()
    install_fonts(app)
    family = QFontInfo(app.font()).family()
    expect(family == FAMILY, N_("the font in use is {family}, not the bundled one"),
           family=family)
    metrics = QFontMetrics(app.font())
    missing = [ch for ch in KAZAKH_LETTERS if not metrics.inFontUcs4(ord(ch))]
    expect(not missing, N_("the font has no {letters}"), letters=" ".join(missing))
    return _("platform {platform}, {family}").format(
        platform=QGuiApplication.platformName(), family=family)


def check_qt_translations(ws: Workspace) -> str:
    """Qt's own dialogs (buttons, file choosers) can speak Kazakh and Russian."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for lang in ("kk", "ru"):
        expect(QTranslator().load(QLocale(lang), "qtbase", "_", folder),
               N_("Qt's {lang} translation is missing from {folder}"), lang=lang, folder=folder)
    return "qtbase_kk, qtbase_ru"


def check_icons(ws: Workspace) -> str:
    """The application and bundle icons load in every size."""
    from daryn_desktop.gui.icons import ICON_SIZES, app_icon, bundle_icon

    for name, icon in (("app", app_icon()), ("bundle", bundle_icon())):
        sizes = sorted(s.width() for s in icon.availableSizes())
        expect(sizes == sorted(ICON_SIZES), N_("the {name} icon has the sizes {sizes}"),
               name=name, sizes=sizes)
    return _("{count} sizes each").format(count=len(ICON_SIZES))


def _wait(condition: Callable[[], bool], timeout: float = WINDOW_TIMEOUT_S) -> bool:
    app = _app()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def check_main_window(ws: Workspace) -> str:
    """The main window opens on a throw-away database and shows the pupil in the registry.

    Its line is printed as soon as the window is usable: ``benchmarks/build.py`` times the
    start of the built program by it.
    """
    from PySide6.QtWidgets import QLineEdit, QTableView

    from daryn_desktop.core import entities as e
    from daryn_desktop.core.enums import Role
    from daryn_desktop.core.iin import check_digit
    from daryn_desktop.gui.main_window import MainWindow
    from daryn_desktop.storage.database import create_store
    from daryn_desktop.storage.keyring import TEST_KDF

    # The real key derivation is the CLI self-test's business; this database is scaffolding.
    store, _code = create_store(ws.folder / "daryn.db", "self-test only 7", role=Role.DISTRICT,
                                region_kato="150000000", district_kato="153200000",
                                name="Өзін-өзі тексеру", kdf=TEST_KDF)
    ws.cleanup.append(store.close)
    school = store.repos.schools.add(e.School(name="Ақай ауылының орта мектебі",
                                              settlement_kato="153239100",
                                              district_kato="153200000"))
    first = "12031560001"
    iin = first + str(check_digit(first))
    store.repos.pupils.add(e.Pupil(surname=SURNAME, given_name=GIVEN_NAME, iin=iin,
                                   school_id=school.id, grade=7))
    window = MainWindow(store, data_dir=str(ws.folder / "data"))
    ws.cleanup.append(window.deleteLater)
    window.show()
    expect(window.objectName() == "mainWindow", N_("the main window is not named mainWindow"))
    search = window.findChild(QLineEdit, "pupilSearch")
    table = window.findChild(QTableView, "pupilTable")
    if search is None or table is None:
        raise CheckFailed(N_("the pupil list or its search field is missing"))

    def shows_pupil() -> bool:
        model = table.model()
        return model.rowCount() > 0 and SURNAME in str(model.index(0, 0).data())

    expect(_wait(shows_pupil), N_("the pupil list did not show the pupil"))
    ws.window = window
    return _("the pupil is listed")


def check_sections(ws: Workspace) -> str:
    """Every section of the main window opens (each is imported by name), then it closes."""
    window = ws.window
    expect(window is not None, N_("the main window is not open"))
    shown = 0
    for key in window.section_keys():
        window.show_section(key)  # makes the page: its module is imported by name
        _app().processEvents()
        shown += 1
    window.show_section(window.section_keys()[0])
    _app().processEvents()
    if ws.screenshot is not None:
        window.grab().save(str(ws.screenshot))
    window.close()
    _app().processEvents()
    expect(not window.isVisible(), N_("the main window did not close"))
    return _("{count} sections shown, closed").format(count=shown)


CHECKS: tuple[tuple[str, Callable[[Workspace], str]], ...] = (
    (N_("Qt and the bundled font"), check_font),
    (N_("Qt's own translations"), check_qt_translations),
    (N_("Icons"), check_icons),
    (N_("Main window"), check_main_window),
    (N_("Sections of the main window"), check_sections),
)


def run_checks(ws: Workspace, write: Callable[[str], None]) -> bool:
    """Run :data:`CHECKS`, one line each; True if all passed (later ones skip after a fail)."""
    started = time.perf_counter()
    ok = run_check_list(CHECKS, ws, write, on_bug=lambda: write(format_traceback()))
    if not ok:
        write(_("Self-test of {app} {version} (window) FAILED.").format(
            app=APP_NAME, version=__version__))
    else:
        write(_("Self-test of {app} {version} (window) passed: {count} checks in {seconds} s.")
              .format(app=APP_NAME, version=__version__, count=len(CHECKS),
                      seconds=f"{time.perf_counter() - started:.1f}"))
    return ok


def self_test(report: str | None = None, *, lang: str | None = None) -> int:
    """Run the window checks offscreen; the exit code of ``daryn-desktop --self-test``."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    app: QCoreApplication | None = QApplication.instance()
    if app is None:
        # No window may appear, and the test must also run where there is no screen (CI).
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QApplication([sys.argv[0]])
    set_language(lang or DEFAULT_LANGUAGE)
    report_path = Path(report) if report else None
    if report_path is not None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []

    def write(line: str) -> None:
        lines.append(line)
        if sys.stdout is not None:  # a windowed program on Windows has no console
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    folder = Path(tempfile.mkdtemp(prefix="daryn-self-test-"))
    ws = Workspace(folder, screenshot=report_path.with_suffix(".png") if report_path else None)
    try:
        ok = run_checks(ws, write)
    finally:
        for step in reversed(ws.cleanup):
            step()
        app.processEvents()
        shutil.rmtree(folder, ignore_errors=True)
    if report_path is not None:
        report_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0 if ok else 1
