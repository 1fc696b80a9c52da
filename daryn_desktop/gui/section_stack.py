"""The main window's pages: sized by the page shown, and scrolled rather than widening the window.

A plain QStackedWidget asks for the room of the widest page ever opened, so one wide page
would widen every section; and a page wider than the screen would push the window past a
1366×768 laptop's edge. Here only the page shown counts, and a page that needs more room
than a laptop's screen has scrolls inside the window instead.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QWidget


class SectionStack(QStackedWidget):
    """A stack of pages whose size hints are those of the page shown."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        page = self.currentWidget()
        if page is None:
            return super().minimumSizeHint()
        return page.minimumSizeHint().expandedTo(page.minimumSize())

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        """None asked: the scroll area would take the stack's height for a width (the
        preferred height of its tallest page) as the least it may have, and scroll a page
        that fits. The page's own layout shares the height it gets among its rows."""
        return -1


class SectionArea(QScrollArea):
    """The stack inside a frameless scroll area: it asks for the room of the page shown, but
    never more than ``largest``; a page that needs more scrolls (scroll bars only then)."""

    def __init__(self, stack: SectionStack, largest: QSize, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sectionScroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setWidget(stack)
        self.largest = largest
        stack.currentChanged.connect(lambda _index: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        stack = self.widget()
        if stack is None:
            return super().minimumSizeHint()
        return stack.minimumSizeHint().boundedTo(self.largest).expandedTo(
            super().minimumSizeHint())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        stack = self.widget()
        return stack.sizeHint() if stack is not None else super().sizeHint()

    def needs_scrolling(self) -> bool:
        """Whether the page shown is larger than the room it has (it scrolls)."""
        stack = self.widget()
        if stack is None:
            return False
        need = stack.minimumSizeHint()
        room = self.viewport().size()
        return need.width() > room.width() or need.height() > room.height()
