"""Starting the application: arguments, language, fonts, unlocking the database, main window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox

from daryn_desktop import APP_NAME, __version__
from daryn_desktop.core.enums import Role
from daryn_desktop.errors import UserError
from daryn_desktop.gui.fonts import install_fonts
from daryn_desktop.gui.tasks import run_task
from daryn_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, set_language
from daryn_desktop.paths import app_paths
from daryn_desktop.storage.database import Store, create_store, open_store
from daryn_desktop.storage.keyring import WrongPassword

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
    return parser.parse_args(list(argv))


def install_translators(app: QApplication, lang: str) -> None:
    """Qt's own dialogs (buttons, file pickers) in the same language as ours."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase",):
        translator = QTranslator(app)
        if translator.load(QLocale(lang), name, "_", folder):
            app.installTranslator(translator)
    QLocale.setDefault(QLocale(lang))


def open_demo(data_dir: str | None) -> Store:
    """The demo database, created and filled with synthetic pupils the first time."""
    from daryn_desktop.demo.generator import generate

    path = app_paths(data_dir).demo_db
    if path.exists():
        return open_store(path, password=DEMO_PASSWORD)
    store, _code = create_store(path, DEMO_PASSWORD, role=Role.REGION, region_kato=DEMO_REGION,
                                name=_("Demo installation"))
    try:
        run_task(None, _("Preparing the demo database…"),
                 lambda report, cancel: generate(store, DEMO_PUPILS, progress=report,
                                                 cancel=cancel))
    except BaseException:
        store.close()
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink(missing_ok=True)
        raise
    return store


def unlock(path: Path) -> Store | None:
    """Ask for the password until it is right or the person gives up."""
    message = _("Password for {name}:").format(name=path.name)
    while True:
        password, ok = QInputDialog.getText(None, APP_NAME, message, QLineEdit.EchoMode.Password)
        if not ok:
            return None
        try:
            return open_store(path, password=password)
        except WrongPassword as exc:
            message = exc.translated() + "\n" + _("Password for {name}:").format(name=path.name)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    lang = args.lang or DEFAULT_LANGUAGE
    set_language(lang)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    install_fonts(app)
    install_translators(app, lang)
    try:
        db_path = Path(args.db) if args.db else app_paths(args.data_dir).default_db
        if args.demo or (not args.db and not db_path.exists()):
            store = open_demo(args.data_dir)
        else:
            store = unlock(db_path)
            if store is None:
                return 1
    except UserError as exc:
        QMessageBox.critical(None, APP_NAME, exc.translated())
        return 1
    from daryn_desktop.gui.main_window import MainWindow

    window = MainWindow(store)
    window.show()
    try:
        return app.exec()
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
