"""How the events pages write a span of dates: one date, or the first and the last."""

from __future__ import annotations

from datetime import date

from daryn_desktop.core.dates import format_date


def period(start: date | None, end: date | None) -> str:
    if start and end and start != end:
        return f"{format_date(start)}–{format_date(end)}"
    return format_date(start or end)
