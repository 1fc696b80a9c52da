"""Push buttons named for tests and connected so that ``clicked``'s bool reaches no slot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QPushButton, QWidget


def button(text: str, name: str, slot: Callable[[], Any], parent: QWidget | None = None,
           *, tip: str | None = None) -> QPushButton:
    """A push button with an object name, connected without the ``checked`` argument."""
    b = QPushButton(text, parent)
    b.setObjectName(name)
    if tip:
        b.setToolTip(tip)
    b.clicked.connect(lambda _checked=False: slot())
    return b
