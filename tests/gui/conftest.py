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
