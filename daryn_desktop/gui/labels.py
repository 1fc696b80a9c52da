"""Labels that never make their window wider than a laptop's screen: one-line labels elided
with "…" (the full text in the tooltip), and explanations that wrap onto more lines.

The status bar's messages are long in Kazakh and Russian ("Әзірге бірде-бір аудан
жұптастырылмаған (Синхрондау → Жұптастыру)"); a plain QLabel is as wide as its text, and
so would be the main window.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

#: How many average characters the label keeps at its narrowest.
MIN_CHARS = 12


class ElidedLabel(QLabel):
    """``text()`` is always the full text; what is drawn is elided to the label's width.
    ``set_details(text)`` adds lines to the tooltip (shown below the full text)."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *,
                 min_chars: int = MIN_CHARS,
                 mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight):
        super().__init__(text, parent)
        self._min_chars = min_chars
        #: A folder's path keeps its beginning and its end (ElideMiddle).
        self._mode = mode
        self._details = ""
        self._own_tip = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._update_tooltip()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        self._update_tooltip()

    def setToolTip(self, text: str) -> None:  # noqa: N802 - Qt API
        """A tooltip of its own (a path) is kept; the full text is added when elided."""
        self._own_tip = text
        self._update_tooltip()

    def set_details(self, text: str) -> None:
        self._details = text
        self._update_tooltip()

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def elided_text(self) -> str:
        """What is drawn at the label's present width."""
        return self.fontMetrics().elidedText(self.text(), self._mode,
                                             self.contentsRect().width())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        metrics = self.fontMetrics()
        full = super().minimumSizeHint()
        narrow = metrics.averageCharWidth() * self._min_chars + metrics.horizontalAdvance("…")
        margins = self.contentsMargins()
        return QSize(min(full.width(), narrow + margins.left() + margins.right()),
                     full.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment() | Qt.AlignmentFlag.AlignVCenter),
                         self.elided_text())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        lines = [self._own_tip] if self._own_tip else []
        if self.text() and self.is_elided():
            lines.append(self.text())
        if self._details:
            lines.append(self._details)
        super().setToolTip("\n".join(lines))


def wrap_labels(root: QWidget, *, skip: tuple[str, ...] = ()) -> None:
    """Let every text label under ``root`` wrap onto more lines instead of widening its page
    (called once the page is built; ``skip`` names labels, by object name, that must stay on
    one line, such as a fingerprint read aloud)."""
    for label in root.findChildren(QLabel):
        if isinstance(label, ElidedLabel) or label.objectName() in skip:
            continue
        if not label.wordWrap() and label.pixmap().isNull():
            label.setWordWrap(True)
