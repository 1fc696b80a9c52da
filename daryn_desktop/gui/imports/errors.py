"""The import wizard's warning of a refused file, check, import or undo."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from daryn_desktop.errors import UserError
from daryn_desktop.i18n import _


def import_error(parent: QWidget, exc: UserError) -> None:
    QMessageBox.warning(parent, _("Import from Excel"), exc.translated())
