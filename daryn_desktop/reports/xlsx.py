"""Spreadsheets (XLSX) written row by row: a heading block, a styled header, rows, totals.

Every table the program hands out as Excel goes through :class:`Workbook`, so that they all
look alike and behave alike:

* rows are streamed (openpyxl's write-only mode): 100,000 rows take little memory and none
  is ever cut off;
* column widths are worked out from the header and the first rows, wide enough for long
  Kazakh headers (which wrap) and capped, so that a sheet opens readable in Excel and
  LibreOffice;
* the header rows stay frozen on screen and repeat on every printed page;
* text is always text: a value that starts with ``=`` is not turned into a formula (a name
  typed as ``=HYPERLINK(…)`` must not become a link), and characters XML cannot hold are
  dropped instead of failing the whole file;
* the file appears only when it is complete: it is written under a temporary name and
  renamed at the end, so a full disk or a cancelled export leaves no half-written file.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook as _OpenpyxlWorkbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_

#: Rows looked at before the column widths are fixed (write-only sheets need them first).
SAMPLE_ROWS = 200
#: Column widths, in characters of the default font.
MIN_WIDTH, MAX_WIDTH, MAX_HEADER_WIDTH = 6.0, 60.0, 28.0
#: How often (in rows) progress is reported and cancellation looked at.
PROGRESS_EVERY = 1000
DATE_FORMAT = "DD.MM.YYYY"

# Control characters that XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel's sheet names: at most 31 characters, none of these.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
_THIN = Side(style="thin", color="9AA8B5")
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")


class CannotWriteSpreadsheet(UserError):
    message = N_("The spreadsheet could not be written to {path}: {reason}.")
    hint = N_("Choose another folder, or check that the disk is not full and the file is not"
              " open in another program.")


@dataclass(frozen=True)
class Column:
    """One column of a sheet."""

    #: The header, already translated into the document's language.
    title: str
    #: Width in characters; None works it out from the header and the first rows.
    width: float | None = None
    #: An Excel number format (``"0"``, ``"0.0%"``, ``"#,##0.00"``); dates get DD.MM.YYYY.
    number_format: str | None = None
    #: Whether the totals row sums this column.
    total: bool = False
    #: Long text wraps inside the cell instead of running over the next ones.
    wrap: bool = False


def clean_text(value: str) -> str:
    """``value`` without the characters a spreadsheet cannot hold."""
    return _ILLEGAL.sub("", value)


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique Excel sheet name made from ``title``."""
    base = _SHEET_FORBIDDEN.sub(" ", clean_text(title)).strip(" '") or "Sheet"
    base = base[:31]
    used = {name.casefold() for name in taken}
    name, number = base, 2
    while name.casefold() in used:
        suffix = f" ({number})"
        name = base[:31 - len(suffix)] + suffix
        number += 1
    return name


def _display_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (date, datetime)):
        return 10
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


class Sheet:
    """A sheet being written; get one from :meth:`Workbook.sheet`."""

    def __init__(self, ws: WriteOnlyWorksheet, columns: Sequence[Column],
                 heading: Sequence[str]):
        self._ws = ws
        self.columns = list(columns)
        self._heading = list(heading)
        self._sample: list[tuple[Sequence[Any], bool]] | None = []
        self._sums: list[float] = [0.0] * len(self.columns)
        self.rows_written = 0
        self._closed = False

    # -- rows ------------------------------------------------------------------------------
    def append(self, values: Sequence[Any], *, bold: bool = False) -> None:
        """Add one data row (as many values as columns; None leaves a cell empty).

        ``bold`` sets the row apart (a subtotal or a headline figure of a table).
        """
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        for index, (value, column) in enumerate(zip(values, self.columns)):
            if column.total and isinstance(value, (int, float)) and not isinstance(value, bool):
                self._sums[index] += value
        if self._sample is not None:
            self._sample.append((values, bold))
            if len(self._sample) >= SAMPLE_ROWS:
                self._start()
            return
        self._write(values, bold=bold)

    def append_all(self, rows: Iterable[Sequence[Any]], *,
                   progress: Callable[[Progress], None] | None = None,
                   cancel: CancelToken | None = None, total: int | None = None) -> int:
        """Add every row of ``rows``, reporting progress; returns how many were added."""
        count = 0
        for count, values in enumerate(rows, start=1):
            self.append(values)
            if count % PROGRESS_EVERY == 0:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                if progress is not None:
                    progress(Progress(count, total))
        if progress is not None:
            progress(Progress(count, total))
        return count

    def totals(self, label: str) -> None:
        """A bold last row: ``label`` in the first column, the sums of the total columns."""
        values: list[Any] = [None] * len(self.columns)
        for index, column in enumerate(self.columns):
            if column.total:
                total = self._sums[index]
                values[index] = int(total) if float(total).is_integer() else total
        values[0] = label
        self._flush_sample()
        self._write(values, bold=True)

    def note(self, text: str) -> None:
        """A line of text under the table (a footnote, a definition)."""
        self._flush_sample()
        cell = WriteOnlyCell(self._ws, value=clean_text(text))
        cell.data_type = "s"
        self._ws.append([])
        self._ws.append([cell])

    def discard(self) -> None:
        """End the sheet's stream without a file (see :meth:`Workbook.discard`)."""
        self._closed = True
        with contextlib.suppress(Exception):
            self._ws.close()
        stream = getattr(self._ws, "_writer", None)  # openpyxl's temporary part file
        if stream is not None:
            with contextlib.suppress(OSError, TypeError):
                os.unlink(stream.out)

    def close(self) -> None:
        if not self._closed:
            self._flush_sample()
            self._closed = True

    # -- inside ----------------------------------------------------------------------------
    def _flush_sample(self) -> None:
        if self._sample is not None:
            self._start()

    def _start(self) -> None:
        """Fix widths, write the heading and header, then the rows held back so far."""
        sample, self._sample = self._sample or [], None
        ws = self._ws
        for index, column in enumerate(self.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = self._width(
                column, [row[index - 1] for row, _bold in sample])
        # Sheet properties go out with the first row: set them before anything is written.
        header_row = len(self._heading) + (1 if self._heading else 0) + 1
        ws.freeze_panes = f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        for line_no, line in enumerate(self._heading):
            cell = WriteOnlyCell(ws, value=clean_text(line))
            cell.data_type = "s"
            cell.font = _TITLE if line_no == 0 else _BOLD
            ws.append([cell])
        if self._heading:
            ws.append([])
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(ws, value=clean_text(column.title))
            cell.data_type = "s"
            cell.font, cell.fill = _BOLD, _HEADER_FILL
            cell.border, cell.alignment = _HEADER_BORDER, _HEADER_ALIGN
            header.append(cell)
        ws.append(header)
        for values, bold in sample:
            self._write(values, bold=bold)

    def _width(self, column: Column, values: list[Any]) -> float:
        if column.width is not None:
            return column.width
        longest_word = max((len(word) for word in column.title.split()), default=0)
        header = max(min(len(column.title), MAX_HEADER_WIDTH), longest_word)
        data = max((_display_length(v) for v in values), default=0)
        return max(MIN_WIDTH, min(MAX_WIDTH, max(header, data) + 2))

    def _write(self, values: Sequence[Any], *, bold: bool = False) -> None:
        ws = self._ws
        row: list[Any] = []
        for value, column in zip(values, self.columns):
            value = _cell_value(value)
            plain = (value is None or (isinstance(value, (int, float)) and not column.number_format)
                     or (isinstance(value, str) and not column.wrap and not value.startswith("=")))
            if plain and not bold:
                row.append(value)  # openpyxl's own fast path: no cell object, no style
                continue
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                if column.wrap:
                    cell.alignment = _WRAP
            elif isinstance(value, (date, datetime)):
                cell.number_format = DATE_FORMAT
            elif column.number_format and value is not None:
                cell.number_format = column.number_format
            if bold:
                cell.font = _BOLD
            row.append(cell)
        ws.append(row)
        self.rows_written += 1


def _cell_value(value: Any) -> Any:
    if value is None or isinstance(value, (int, float, date, datetime)):
        return value
    return clean_text(str(value))


class Workbook:
    """An XLSX file written sheet by sheet; it appears at ``path`` only when complete.

    Use it as a context manager: leaving the block normally saves the file, an exception
    (cancellation included) leaves nothing behind.
    """

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._book = _OpenpyxlWorkbook(write_only=True)
        self._sheets: list[Sheet] = []

    def sheet(self, title: str, columns: Sequence[Column], *,
              heading: Sequence[str] = ()) -> Sheet:
        """A new sheet named after ``title``, with an optional heading block above the table."""
        name = sheet_title(title, self._book.sheetnames)
        sheet = Sheet(self._book.create_sheet(name), columns, heading)
        self._sheets.append(sheet)
        return sheet

    def discard(self) -> None:
        """Give up the file: nothing is written and openpyxl's temporary files are removed."""
        for sheet in self._sheets:
            sheet.discard()

    def save(self) -> Path:
        for sheet in self._sheets:
            sheet.close()
        if not self._sheets:
            self.sheet("Sheet", [Column("")]).close()
        part = self.path.with_name(self.path.name + ".part")
        try:
            self._book.save(part)
            os.replace(part, self.path)
        except OSError as exc:
            self.discard()
            with contextlib.suppress(OSError):
                part.unlink()
            raise CannotWriteSpreadsheet(path=str(self.path),
                                         reason=exc.strerror or str(exc)) from exc
        return self.path

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.save()
        else:
            self.discard()
