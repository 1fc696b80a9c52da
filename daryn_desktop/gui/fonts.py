"""Registers the bundled font so that Kazakh letters never show as boxes."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from daryn_desktop.paths import resource_path

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
              "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf")
FAMILY = "DejaVu Sans"


def install_fonts(app: QApplication) -> str:
    """Add the bundled fonts to Qt and make DejaVu Sans the application's font."""
    for name in FONT_FILES:
        QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
    font = QFont(FAMILY, app.font().pointSize() if app.font().pointSize() > 0 else 10)
    app.setFont(font)
    return FAMILY
