"""The bundled DejaVu fonts registered with reportlab (its built-in fonts have no Cyrillic)."""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from daryn_desktop.paths import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
CONDENSED = "DejaVuSansCondensed"
CONDENSED_BOLD = "DejaVuSansCondensed-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf",
          ITALIC: "DejaVuSans-Oblique.ttf", CONDENSED: "DejaVuSansCondensed.ttf",
          CONDENSED_BOLD: "DejaVuSansCondensed-Bold.ttf"}

_lock = threading.Lock()
_done = False


def register_fonts() -> None:
    """Register the fonts once per process (batch printing runs on a worker thread)."""
    global _done
    with _lock:
        if _done:
            return
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
        # <b> and <i> in paragraphs pick the matching face; there is no bold oblique file.
        for family, bold in ((REGULAR, BOLD), (CONDENSED, CONDENSED_BOLD)):
            addMapping(family, 0, 0, family)
            addMapping(family, 1, 0, bold)
            addMapping(family, 0, 1, ITALIC)
            addMapping(family, 1, 1, bold)
        _done = True
