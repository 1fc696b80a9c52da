"""GUI tests: the bundled font is registered once so that rendering matches the product."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fonts(qapp):
    from daryn_desktop.gui.fonts import install_fonts

    install_fonts(qapp)


def type_text(widget, text: str) -> None:
    """Type any text, Kazakh included, one key event per character.

    ``qtbot.keyClicks`` aborts the process on non-ASCII text (a Qt assertion), so each
    character is sent as a key event that carries the text itself.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    for ch in text:
        key = Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, key, ch, Qt.KeyboardModifier.NoModifier)


@pytest.fixture
def tasks_inline():
    """Long work runs inline (use with ``pytestmark = pytest.mark.usefixtures(...)``), so that
    each step can be asserted right after it."""
    from daryn_desktop.gui import tasks

    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


class _Boxes:
    """Answers QMessageBox's static questions and warnings instead of a person."""

    def __init__(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.asked: list[str] = []
        self.button = QMessageBox.StandardButton.Discard

    def __call__(self, button):
        self.button = button
        return self.asked

    def reply(self, _parent, _title, text, *args, **kwargs):
        self.asked.append(text)
        return self.button


@pytest.fixture(autouse=True)
def answer(monkeypatch):
    """A modal message box would block a test for ever: they are answered here (by default
    with "Discard"); ``answer(button)`` chooses the reply and returns the texts asked."""
    from PySide6.QtWidgets import QMessageBox

    boxes = _Boxes()
    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(boxes.reply))
    return boxes


def activate(qtbot, window) -> None:
    """Make ``window`` the active one, as a click would: shortcuts work only there."""
    from PySide6.QtWidgets import QApplication

    window.show()
    window.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


def click(widget) -> None:
    """A left click on a widget, as a person makes it."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def press(parent, name: str) -> None:
    """Click the button called ``name`` (its object name) inside ``parent``."""
    from PySide6.QtWidgets import QAbstractButton

    button = parent.findChild(QAbstractButton, name)
    assert button is not None, f"no button {name}"
    assert button.isVisible() and button.isEnabled(), f"{name} cannot be pressed"
    click(button)


def when_shown(answer, name: str | None = None) -> list:
    """Run ``answer(dialog)`` on the next modal dialog (called ``name``, if given) as soon as
    it is open: the code that opens it blocks in ``exec()`` until ``answer`` closes it.
    Returns a list that receives the dialog, to look at afterwards."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen: list = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible() or (
                name is not None and dialog.objectName() != name):
            QTimer.singleShot(10, look)
            return
        seen.append(dialog)
        answer(dialog)

    QTimer.singleShot(0, look)
    return seen
