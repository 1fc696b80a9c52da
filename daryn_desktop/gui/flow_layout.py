"""A layout that puts its widgets side by side and wraps them onto more rows when narrow.

Rows of filters and buttons are long in Kazakh and Russian; laid out in one fixed row they
would make the main window wider than a 1366×768 laptop screen. A :class:`FlowLayout` asks
only for the room of its widest widget and takes as many rows as the width allows.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QStyle, QWidget


class FlowLayout(QLayout):
    """Widgets left to right at their preferred widths, wrapped onto the next row when the
    row is full. A widget that may grow horizontally (a search field) takes the room left
    in its row; a widget wider than the whole row is narrowed to it (not below its
    minimum)."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int | None = None):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        if parent is None:
            self.setContentsMargins(0, 0, 0, 0)
        if spacing is not None:
            self.setSpacing(spacing)

    # -- QLayout's item list ---------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # -- sizes -----------------------------------------------------------------------------
    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt API
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Everything in one row (what the layout would like)."""
        visible = self._visible()
        width = sum(item.sizeHint().width() for item in visible)
        width += self._spacing() * max(len(visible) - 1, 0)
        height = max((item.sizeHint().height() for item in visible), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt API
        """As narrow as the widest widget (the rest goes to other rows)."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt API
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    # -- the arrangement ---------------------------------------------------------------------
    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _spacing(self) -> int:
        spacing = self.spacing()
        if spacing >= 0:
            return spacing
        parent = self.parentWidget()
        style = parent.style() if parent is not None else None
        if style is None:
            return 6
        return max(style.pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing, None,
                                     parent), 6)

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        """Place the items inside ``rect`` (when ``apply``); returns the height they take."""
        margins: QMargins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        room = max(area.width(), 1)
        gap = self._spacing()
        rows: list[list[tuple[QLayoutItem, int]]] = [[]]
        used = 0
        for item in self._visible():
            width = max(min(item.sizeHint().width(), room), item.minimumSize().width())
            if rows[-1] and used + gap + width > room:
                rows.append([])
                used = 0
            used += (gap if rows[-1] else 0) + width
            rows[-1].append((item, width))
        y = area.y()
        for row in rows:
            if not row:
                continue
            widths = self._share(row, room, gap)
            height = max(item.sizeHint().height() for item, _w in row)
            x = area.x()
            for (item, _w), width in zip(row, widths, strict=True):
                if apply:
                    item.setGeometry(QRect(QPoint(x, y), QSize(width, height)))
                x += width + gap
            y += height + gap
        return max(y - gap - area.y(), 0) + margins.top() + margins.bottom()

    @staticmethod
    def _share(row: list[tuple[QLayoutItem, int]], room: int, gap: int) -> list[int]:
        """The row's widths, the room left shared by the widgets that may grow."""
        widths = [width for _item, width in row]
        left = room - sum(widths) - gap * (len(row) - 1)
        growing = [i for i, (item, _w) in enumerate(row)
                   if item.expandingDirections() & Qt.Orientation.Horizontal]
        if left > 0 and growing:
            share, extra = divmod(left, len(growing))
            for n, i in enumerate(growing):
                widths[i] += share + (1 if n < extra else 0)
        return widths
