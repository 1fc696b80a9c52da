"""The product's own icons for Qt: the application (window, taskbar) and the bundle files."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from daryn_desktop.paths import resource_path

#: The sizes rendered from the SVG sources by ``tools/render_icons.py``.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
APP_ICON = "daryn"
BUNDLE_ICON = "daryn-bundle"


def product_icon(name: str) -> QIcon:
    """An icon with every rendered size, so that Qt never has to scale a large one down."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource_path("icons", f"{name}-{size}.png")
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon


def app_icon() -> QIcon:
    return product_icon(APP_ICON)


def bundle_icon() -> QIcon:
    return product_icon(BUNDLE_ICON)
