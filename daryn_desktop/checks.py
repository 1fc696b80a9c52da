"""Run a list of named self-test checks in order, one translated line per check."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from daryn_desktop.errors import UserError
from daryn_desktop.i18n import _

W = TypeVar("W")


def run_check_list(checks: Sequence[tuple[str, Callable[[W], Any]]], workspace: W,
                   write: Callable[[str], None],
                   on_bug: Callable[[], None] | None = None) -> bool:
    """Run ``checks`` (untranslated title, function returning a detail) on ``workspace``.

    After the first failure the rest are listed as not run: they usually depend on it, and a
    coordinator reading the report should see the one cause, not a cascade. ``on_bug`` is
    called inside the handler of an unexpected exception (to print or keep the traceback).
    Returns True if every check passed.
    """
    failed = False
    for title, check in checks:
        if failed:
            write(_("[not run] {check}").format(check=_(title)))
            continue
        begin = time.perf_counter()
        try:
            detail = check(workspace)
        except UserError as exc:
            failed = True
            write(_("[FAILED]  {check}: {reason}").format(check=_(title),
                                                          reason=exc.translated()))
        except Exception as exc:  # a bug or a missing part of the build: say which
            failed = True
            write(_("[FAILED]  {check}: {reason}").format(
                check=_(title), reason=f"{type(exc).__name__}: {exc}"))
            if on_bug is not None:
                on_bug()
        else:
            write(_("[ok]      {check}: {detail} ({ms} ms)").format(
                check=_(title), detail=detail, ms=round((time.perf_counter() - begin) * 1000)))
    return not failed


def format_traceback() -> str:
    """The current exception's traceback, for a report."""
    return traceback.format_exc().rstrip()
