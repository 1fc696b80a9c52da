"""Small input widgets shared by the screens: dates as dd.mm.yyyy, pickers with type-to-search."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QRect, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from daryn_desktop.core.dates import format_date, parse_date
from daryn_desktop.core.enums import Labeled
from daryn_desktop.i18n import _

#: Colours of inline messages: errors block saving, warnings only ask to look again.
ERROR_COLOR = "#b00020"
WARNING_COLOR = "#8a5a00"
#: Qt's spelling of the date format the product uses everywhere (dd.mm.yyyy).
QT_DATE_FORMAT = "dd.MM.yyyy"


class DateField(QWidget):
    """An optional date typed as dd.mm.yyyy, with a calendar for mouse users.

    Empty means "no date". Text that is not a date keeps the field invalid (``error()`` says
    why) rather than silently becoming some other date, as a QDateEdit would.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(_("dd.mm.yyyy"))
        self.line.setMaxLength(10)
        self.line.textChanged.connect(lambda _text: self.edited.emit())
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip(_("Choose in a calendar"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing is the keyboard way
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        # The calendar is made on first use: forms have several date fields and most of
        # them are typed into.
        self.calendar: QCalendarWidget | None = None
        self._menu = QMenu(self.button)
        self._menu.aboutToShow.connect(self._sync_calendar)
        self.button.setMenu(self._menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)

    def _sync_calendar(self) -> None:
        if self.calendar is None:
            self.calendar = QCalendarWidget(self._menu)
            self.calendar.setGridVisible(True)
            action = QWidgetAction(self._menu)
            action.setDefaultWidget(self.calendar)
            self._menu.addAction(action)
            self.calendar.clicked.connect(lambda qd: self._pick_and_close(qd))
        value = self.value()
        if value is not None:
            self.calendar.setSelectedDate(QDate(value.year, value.month, value.day))

    def _pick_and_close(self, qdate: QDate) -> None:
        self.set_value(date(qdate.year(), qdate.month(), qdate.day()))
        self._menu.close()

    def text(self) -> str:
        return self.line.text()

    def value(self) -> date | None:
        """The date, or None when empty or not a date (see :meth:`error`)."""
        text = self.line.text().strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            return None

    def error(self) -> str | None:
        """Why the text is not a date (translated), or None."""
        text = self.line.text().strip()
        if not text:
            return None
        try:
            parse_date(text)
        except ValueError as exc:
            return str(exc)
        return None

    def set_value(self, value: date | None) -> None:
        self.line.setText(format_date(value))


class SearchCombo(QComboBox):
    """A picker over a long list (places, schools, staff) that filters as one types.

    Items carry a value (a code or an id); ``value()`` is None until an item is chosen.
    """

    def __init__(self, parent: QWidget | None = None, *, none_text: str | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._none_text = none_text
        completer = QCompleter(self)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setModel(self.model())
        self.setCompleter(completer)
        self._completer = completer
        line = self.lineEdit()
        assert line is not None  # an editable combo box always has its line edit
        line.setPlaceholderText(_("Type to search…"))

    def showPopup(self) -> None:  # noqa: N802 - Qt API
        # The list as wide as its longest entry, measured when it opens: a picker kept
        # narrower than its entries (a school's full name) must not cut them in its list.
        # No wider than the screen, though: a longer name is cut there.
        view = self.view()
        wanted = (view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width()
                  + 2 * view.frameWidth())
        view.setMinimumWidth(min(wanted, self.screen().availableGeometry().width()))
        super().showPopup()

    def set_items(self, items: Iterable[tuple[str, Any]], value: Any = None) -> None:
        """Replace the list with ``(text, value)`` pairs and select ``value``."""
        self.blockSignals(True)
        self.clear()
        if self._none_text is not None:
            self.addItem(self._none_text, None)
        for text, item_value in items:
            self.addItem(text, item_value)
        self.blockSignals(False)
        self.set_value(value)

    def set_model_items(self, model: QAbstractItemModel, value: Any = None) -> None:
        """Show a (shared, read-only) model whose items carry their value as user data."""
        self.blockSignals(True)
        self.setModel(model)
        self._completer.setModel(model)
        self.blockSignals(False)
        self.set_value(value)

    def value(self) -> Any:
        index = self.currentIndex()
        if index < 0 or self.itemText(index) != self.currentText():
            return None
        return self.itemData(index)

    def set_value(self, value: Any) -> None:
        index = self.findData(value) if value is not None else (
            0 if self._none_text is not None else -1)
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")


def fill_enum_combo(combo: QComboBox, enum: type[Labeled], *, any_text: str | None = None,
                    extra: Iterable[tuple[str, Any]] = ()) -> None:
    combo.clear()
    if any_text is not None:
        combo.addItem(any_text, None)
    for member in enum:
        combo.addItem(member.label, member.value)
    for text, value in extra:
        combo.addItem(text, value)


def set_combo_value(combo: QComboBox, value: Any) -> None:
    index = combo.findData(value.value if isinstance(value, Labeled) else value)
    combo.setCurrentIndex(max(index, 0) if combo.count() else -1)


class FieldMessage(QLabel):
    """The inline message under a field: red for an error, amber for a warning."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text: str | None, *, is_error: bool = True) -> None:
        if not text:
            self.clear()
            self.hide()
            return
        color = ERROR_COLOR if is_error else WARNING_COLOR
        self.setStyleSheet(f"color: {color};")
        self.setText(text)
        self.show()


def bold(label: QLabel, scale: float = 1.0) -> QLabel:
    font = label.font()
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


#: Room left for the window's title bar and frame, which Qt's sizes do not include.
WINDOW_FRAME = QSize(16, 40)


def fit_to_screen(window: QWidget, preferred: QSize, available: QRect | None = None) -> QSize:
    """Size a window as ``preferred``, but never larger than the screen's free area.

    On the small laptop screens common in district offices (1366×768) an editor then fills
    the screen instead of hiding its lower part under the task bar. ``available`` is the
    screen's free area (that of the window's screen when None). Returns the size set.
    """
    if available is None:
        screen = window.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else QRect(
            0, 0, preferred.width(), preferred.height())
    room = available.size() - WINDOW_FRAME
    size = preferred.boundedTo(room).expandedTo(window.minimumSize())
    window.resize(size)
    return size
