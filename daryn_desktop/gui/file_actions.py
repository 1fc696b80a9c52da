"""The File menu's spreadsheet actions: *Import from Excel…* and *New academic year…*."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from daryn_desktop.i18n import _

if TYPE_CHECKING:
    from daryn_desktop.gui.main_window import MainWindow


def _refresh_registry(window: MainWindow) -> None:
    """Show what the import or the new year changed when the person looks again."""
    page = getattr(window, "page", None)
    if callable(page):
        registry = page("pupils")
        hook = getattr(registry, "on_shown", None)
        if callable(hook):
            filters = getattr(registry, "filters", None)
            if filters is not None:
                filters.load_places()
            hook()


def import_action(window: MainWindow) -> QAction:
    """*File → Import from Excel…* (Ctrl+I): the import wizard."""
    action = QAction(_("&Import from Excel…"), window)
    action.setObjectName("actionImportExcel")
    action.setShortcut(QKeySequence("Ctrl+I"))

    def run() -> None:
        from daryn_desktop.gui.imports.wizard import ImportWizard

        ImportWizard(window.store, window).exec()
        _refresh_registry(window)

    action.triggered.connect(lambda: run())
    return action


def new_year_action(window: MainWindow) -> QAction:
    """*File → New academic year…*: grades up, leavers archived, road maps carried over."""
    action = QAction(_("&New academic year…"), window)
    action.setObjectName("actionNewYear")

    def run() -> None:
        from daryn_desktop.gui.rollover import RolloverDialog

        RolloverDialog(window.store, window).exec()
        _refresh_registry(window)

    action.triggered.connect(lambda: run())
    return action
