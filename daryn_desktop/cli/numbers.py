"""Whole-number options of the command line, each within the range that makes sense for it."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from daryn_desktop.i18n import _


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type``: a whole number from ``low`` to ``high``, or a one-line message
    (a number of days in the millions would reach date arithmetic that fails)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                _("“{value}” is not a number from {low} to {high}.").format(
                    value=text, low=low, high=high))
        return value

    return parse
