"""Records which Python callables the widgets connect their signals to, and finds slots that
a signal's argument would fill by mistake.

Qt's ``clicked(bool)``, ``triggered(bool)``, ``activated(int)`` … pass their argument to a
connected Python callable that accepts one, so ``clicked.connect(self.save_pdf)`` calls
``save_pdf(False)``: a ``path=None`` parameter receives ``False``. A parameter that receives
a signal's argument is fine when it has no default (the slot wants the value) or when its
name says it is there to take it (``checked``, or a name starting with ``_``).

While a :class:`ConnectionRecorder` is installed, the signals below are read through a
descriptor that notes every ``connect()`` made from Python, whatever widget makes it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QDialogButtonBox

#: Signals with an argument that a slot could receive by mistake: (class, name) → arguments.
SIGNALS: dict[tuple[type, str], int] = {
    (QAbstractButton, "clicked"): 1, (QAbstractButton, "toggled"): 1,
    (QAction, "triggered"): 1, (QAction, "toggled"): 1,
    (QComboBox, "activated"): 1, (QComboBox, "currentIndexChanged"): 1,
    (QComboBox, "textActivated"): 1,
    (QAbstractItemView, "activated"): 1, (QAbstractItemView, "clicked"): 1,
    (QAbstractItemView, "doubleClicked"): 1, (QDialogButtonBox, "clicked"): 1,
}
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


@dataclass(frozen=True)
class Connection:
    sender: str
    signal: str
    slot: Any
    arguments: int

    def mistake(self) -> str | None:
        """Why the signal's argument would land in a parameter meant for something else."""
        try:
            signature = inspect.signature(self.slot)
        except (TypeError, ValueError):
            return None  # a Qt slot written in C++: Qt matches its signature itself
        positional = [p for p in signature.parameters.values() if p.kind in _POSITIONAL]
        for parameter in positional[:self.arguments]:
            if (parameter.default is not inspect.Parameter.empty
                    and parameter.name != "checked" and not parameter.name.startswith("_")):
                # Not repr(): the slot's widget may be gone by now.
                name = getattr(self.slot, "__qualname__", None) or type(self.slot).__name__
                return (f"{self.sender}.{self.signal} → {name}: the signal's argument fills"
                        f" the optional parameter “{parameter.name}”")
        return None


class _Instance:
    """A widget's signal, as code sees it: ``connect`` is noted, the rest is the real one."""

    def __init__(self, real: Any, owner: Any, name: str, recorder: ConnectionRecorder,
                 arguments: int):
        self._real, self._owner, self._name = real, owner, name
        self._recorder, self._arguments = recorder, arguments

    def connect(self, slot: Any, *args: Any, **kwargs: Any) -> Any:
        sender = self._owner.objectName() or type(self._owner).__name__
        self._recorder.connections.append(Connection(sender, self._name, slot, self._arguments))
        return self._real.connect(slot, *args, **kwargs)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._real, attribute)

    def __getitem__(self, key: Any) -> Any:
        return self._real[key]


class _Recording:
    """A class attribute standing in for a signal while recording."""

    def __init__(self, signal: Any, name: str, recorder: ConnectionRecorder, arguments: int):
        self.signal, self.name, self.recorder, self.arguments = signal, name, recorder, arguments

    def __get__(self, owner: Any, kind: type | None = None) -> Any:
        if owner is None:
            return self.signal
        return _Instance(self.signal.__get__(owner, kind), owner, self.name, self.recorder,
                         self.arguments)

    def __set__(self, owner: Any, value: Any) -> None:
        """Nothing is kept. PySide stores a widget's signal instance on the widget after the
        first look; a data descriptor is asked first every time, so the store (which comes
        here) must not hide it from the second ``connect()`` on."""


class ConnectionRecorder:
    """Install with a pytest ``monkeypatch`` (undone after the test)."""

    def __init__(self, monkeypatch: Any):
        self.connections: list[Connection] = []
        for (cls, name), arguments in SIGNALS.items():
            signal = cls.__dict__[name]
            monkeypatch.setattr(cls, name, _Recording(signal, name, self, arguments))

    def mistakes(self) -> list[str]:
        return sorted({m for c in self.connections if (m := c.mistake()) is not None})
