"""What the ``daryn`` command prints: never a raw control character, and a closed pipe is
not an error (``daryn pupils list | head``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from daryn_desktop.core.text import printable


class _Printable:
    """A text stream that shows control, bidirectional and invisible characters as escapes
    (``\\u001b``), so that a name holding ESC or the right-to-left override cannot act on
    the terminal. Line breaks and tabs pass; JSON stays valid (its escapes look the same)."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        # A carriage return that starts a write is the program's own progress line.
        lead = "\r" if text.startswith("\r") else ""
        self._stream.write(lead + printable(text[len(lead):]))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextmanager
def guard_output() -> Iterator[None]:
    """Standard output and error made safe for the duration of a command."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Printable(saved[0]), _Printable(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def quiet_broken_pipe() -> int:
    """After the reader of standard output went away: point it at the null device, so that
    the interpreter's last flush does not fail again, and end quietly."""
    stdout = sys.__stdout__
    try:
        if stdout is not None:
            os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0
