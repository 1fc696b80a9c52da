"""The lists of the events and support part as spreadsheets (through the shared writer)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from daryn_desktop.reports.xlsx import Column, Workbook

#: Columns with longer texts than this (in the first rows) wrap inside their cells.
WRAP_FROM = 40


def write_table(path: str | os.PathLike[str], title: str, headers: Sequence[str],
                rows: Iterable[Sequence[Any]], *, heading: Sequence[str] = ()) -> Path:
    """One sheet: a heading block, the header and the rows, exactly as the screen lists them.

    Numbers stay numbers (scores, amounts, hours) so that a spreadsheet can sum them.
    """
    rows = list(rows)
    columns = []
    for index, header in enumerate(headers):
        longest = max((len(str(row[index])) for row in rows[:200] if row[index] is not None),
                      default=0)
        columns.append(Column(header, wrap=longest > WRAP_FROM))
    with Workbook(path) as book:
        sheet = book.sheet(title, columns, heading=heading)
        sheet.append_all(rows)
    return Path(path)
