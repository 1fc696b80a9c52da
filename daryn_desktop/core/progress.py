"""Progress reports, cancellation and a paused garbage collector for long work, without Qt."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_


class Cancelled(UserError):
    message = N_("The operation was cancelled.")


@dataclass(frozen=True)
class Progress:
    done: int
    total: int | None = None
    message: str = ""


class CancelToken:
    """Set from the UI thread, checked by the worker between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a bulk job, back as it was after.

    Demo data and a big bundle make millions of small objects (rows, parsed versions) that
    are never cyclic garbage; the collector would walk them again and again for nothing
    (about a fifth of a 50,000-pupil import). Reference counting still frees them as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
