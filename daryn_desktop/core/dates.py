"""Dates as Kazakh documents write them (dd.mm.yyyy), and reading them back from users and files."""

from __future__ import annotations

import re
from datetime import date

from daryn_desktop.i18n import N_, _

# re.ASCII: "\d" would otherwise accept Arabic-Indic and other Unicode digits.
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)

MSG_NOT_A_DATE = N_("“{text}” is not a date: write it as dd.mm.yyyy, for example 01.09.2025.")
MSG_YEAR_OUT_OF_RANGE = N_("“{text}”: the year must be from {first} to {last}.")
#: The years a date of the register can have (birth dates of staff to the end of a plan);
#: beyond them a typing slip such as 01.09.0205 would reach date arithmetic that fails.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def format_date(d: date | None) -> str:
    """``d`` as dd.mm.yyyy, or "" for no date."""
    if d is None:
        return ""
    # Not strftime: its %Y does not pad years before 1000 on every platform.
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def parse_date(text: str) -> date:
    """Read dd.mm.yyyy (one-digit day and month allowed, as spreadsheets write them) or ISO.

    Raises ``ValueError`` with a translated message for anything else, including impossible
    dates such as 31.02.2025. Two-digit years are refused: 01.09.25 could be 1925 or 2025.
    """
    stripped = text.strip()
    dotted = _DOTTED.fullmatch(stripped)
    iso = _ISO.fullmatch(stripped)
    found: date | None = None
    try:
        if dotted:
            day, month, year = (int(g) for g in dotted.groups())
            found = date(year, month, day)
        elif iso:
            year, month, day = (int(g) for g in iso.groups())
            found = date(year, month, day)
    except ValueError:
        pass  # an impossible date gets the same message as a malformed one
    if found is None:
        raise ValueError(_(MSG_NOT_A_DATE).format(text=text))
    if not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise ValueError(_(MSG_YEAR_OUT_OF_RANGE).format(text=text, first=FIRST_YEAR,
                                                         last=LAST_YEAR))
    return found
