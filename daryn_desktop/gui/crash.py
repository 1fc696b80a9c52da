"""Unexpected errors: a log file in the data folder and a dialog that says where it is."""

from __future__ import annotations

import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QApplication, QMessageBox

from daryn_desktop import APP_NAME, __version__
from daryn_desktop.errors import UserError
from daryn_desktop.files import private_dir
from daryn_desktop.i18n import _
from daryn_desktop.paths import AppPaths

#: Crash logs kept; older ones are removed so that the folder does not grow for ever.
KEEP_LOGS = 20


def write_crash_log(folder: Path, exc_type: type[BaseException], exc: BaseException,
                    tb: TracebackType | None) -> Path:
    """Write the error with the program's and the system's versions; returns the file."""
    private_dir(folder)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"crash-{stamp}.log"
    lines = [
        f"{APP_NAME} {__version__}",
        f"Python {platform.python_version()}, PySide6 {pyside_version},"
        f" {platform.platform()}",
        datetime.now().isoformat(timespec="seconds"),
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    path.write_text("\n".join(line.rstrip("\n") for line in lines) + "\n", encoding="utf-8")
    for old in sorted(folder.glob("crash-*.log"))[:-KEEP_LOGS]:
        old.unlink(missing_ok=True)
    return path


def record_details(paths: AppPaths, exc_type: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> tuple[Path | None, str]:
    """Write the crash log; returns it (None if it could not be written) and a sentence
    that tells the person where it is."""
    try:
        log = write_crash_log(paths.logs, exc_type, exc, tb)
    except OSError:
        return None, _("The details could not be written to the log folder.")
    return log, _("The details were written to {path}. Please send this file to whoever"
                  " supports the program in your region.").format(path=log)


def show_error(exc_type: type[BaseException], exc: BaseException,
               tb: TracebackType | None, paths: AppPaths) -> Path | None:
    """Tell the person what happened: an expected error's message, or where the log is."""
    parent = QApplication.activeWindow()
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, APP_NAME, exc.translated())
        return None
    log, where = record_details(paths, exc_type, exc, tb)
    box = QMessageBox(QMessageBox.Icon.Critical, _("Unexpected error"),
                      _("Something went wrong in the program. Your saved data is safe; the"
                        " change you were making may not have been saved.\n\n{details}").format(
                            details=where),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("crashDialog")
    box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
    box.exec()
    return log


def install_excepthook(paths: AppPaths) -> None:
    """Route every uncaught exception (including those in Qt slots) to :func:`show_error`."""
    previous = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException,
             tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        try:
            show_error(exc_type, exc, tb, paths)
        except Exception:  # the dialog itself failed: at least keep the default report
            previous(exc_type, exc, tb)

    sys.excepthook = hook
