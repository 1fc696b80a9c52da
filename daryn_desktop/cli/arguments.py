"""Option values of the command line checked as they are read: numbers within the range that
makes sense for each, file names with the ending of what is written."""

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


def file_ending(suffix: str) -> Callable[[str], str]:
    """An argparse ``type``: a file name ending in ``suffix`` (any case), as what is written
    is (a PDF named .xlsx would open nowhere)."""

    def parse(text: str) -> str:
        if not text.lower().endswith(suffix) or len(text.strip()) <= len(suffix):
            raise argparse.ArgumentTypeError(
                _("“{value}”: the file written is {suffix}, so its name must end in {suffix}.")
                .format(value=text, suffix=suffix))
        return text

    return parse
