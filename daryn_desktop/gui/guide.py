"""The guide shipped with the program: short illustrated pages in the interface language.

The pages are HTML under ``resources/guide/<lang>/index.html`` with screenshots under
``resources/guide/images/`` (made by ``tools/screenshots.py``), shown offline in a
QTextBrowser. The list of keyboard shortcuts is filled in from ``gui/shortcuts.py``, so the
guide and the Help window never disagree.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.gui.shortcuts import shortcut_rows
from daryn_desktop.gui.widgets import fit_to_screen
from daryn_desktop.i18n import LANGUAGES, _, current_language
from daryn_desktop.paths import resource_path

#: Where the generated list of keys goes in each page.
SHORTCUTS_MARK = "<!-- shortcuts -->"
#: The guide open now (one window, raised again rather than opened twice).
_open: GuideWindow | None = None


def guide_page(lang: str) -> Path:
    """The guide's page in ``lang`` (English when a language has none)."""
    page = resource_path("guide", lang, "index.html")
    return page if page.is_file() else resource_path("guide", "en", "index.html")


def guide_html(lang: str) -> str:
    """The page's HTML with the keyboard shortcuts filled in."""
    rows = "".join(f"<tr><td><b>{escape(keys)}</b>&nbsp;&nbsp;</td><td>{escape(what)}</td></tr>"
                   for keys, what in shortcut_rows())
    text = guide_page(lang).read_text(encoding="utf-8")
    return text.replace(SHORTCUTS_MARK, f"<table cellpadding='3'>{rows}</table>")


class GuideWindow(QDialog):
    """The guide, beside the program's window (not modal: one reads and works)."""

    def __init__(self, parent: QWidget | None = None, lang: str | None = None):
        super().__init__(parent)
        self.setObjectName("guideWindow")
        self.setWindowTitle(_("Guide"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.lang = lang if lang in LANGUAGES else current_language()
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("guideBrowser")
        self.browser.setOpenExternalLinks(False)
        page = guide_page(self.lang)
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(page)))
        self.browser.setSearchPaths([str(page.parent)])
        self.browser.setHtml(guide_html(self.lang))
        contents = QPushButton(_("Contents"), self)
        contents.setObjectName("guideContents")
        contents.clicked.connect(lambda _checked=False: self.show_topic(None))
        close = QPushButton(_("Close"), self)
        close.setObjectName("guideClose")
        close.clicked.connect(lambda _checked=False: self.close())
        buttons = QHBoxLayout()
        buttons.addWidget(contents)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        fit_to_screen(self, QSize(780, 860))

    def show_topic(self, anchor: str | None) -> None:
        """Scroll to a topic (``first-start``, ``pupils``, ``road-map``, ``printing``,
        ``sync``, ``trouble``, ``keys``), or to the top."""
        if anchor:
            self.browser.scrollToAnchor(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)


def show_guide(parent: QWidget | None, anchor: str | None = None) -> GuideWindow:
    """Open the guide (or bring it forward) in the interface language, at ``anchor``."""
    global _open
    if _open is None or _open.lang != current_language():
        _open = GuideWindow(parent.window() if parent is not None else None)
        _open.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _open.destroyed.connect(_forget)
    _open.show()
    _open.raise_()
    _open.activateWindow()
    _open.show_topic(anchor)
    return _open


def _forget() -> None:
    global _open
    _open = None
