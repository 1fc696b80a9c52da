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
  renamed at the end, so a full disk or a cancelled export leaves no half-written file;
* a column may offer a drop-down list of the values it takes (:meth:`Sheet.choices`), as the
  import templates do, and be kept as text so that Excel leaves leading zeros alone.

openpyxl makes the package (styles, column widths, frozen panes, lists, the workbook); the
rows themselves are written here as plain XML into a file of their own and joined with
openpyxl's sheet when the workbook is saved: openpyxl turns every cell into an object and
then into XML, which made 100,000 rows take longer than a person should wait.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from openpyxl import Workbook as _OpenpyxlWorkbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.files import written_whole

#: Rows looked at before the column widths are fixed (write-only sheets need them first).
SAMPLE_ROWS = 200
#: Column widths, in characters of the default font.
MIN_WIDTH, MAX_WIDTH, MAX_HEADER_WIDTH = 6.0, 60.0, 28.0
#: How often (in rows) progress is reported and cancellation looked at.
PROGRESS_EVERY = 1000
DATE_FORMAT = "DD.MM.YYYY"
TEXT_FORMAT = "@"
#: Rows below the header that a drop-down list covers (a template is filled by hand).
CHOICE_ROWS = 2000

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


class _StopsAfterFailure:
    """The file a workbook is zipped into, taking nothing more once a write has failed.

    openpyxl leaves its zip archive open when a write fails (a full disk, a stick taken
    out); the archive, collected later, writes its directory again (into a file closed by
    then), which fails again and is reported past the program's own message. After the
    first failure nothing here touches the file: writes only move a position the archive's
    clean-up can reckon with, so it ends silently and the failure is told once.
    """

    def __init__(self, raw: IO[bytes]):
        self._raw = raw
        # Kept here: asking a buffered file where it is may flush it, and fail once more.
        self._position = 0
        self._failed = False

    def write(self, data: bytes) -> int:
        if not self._failed:
            self._attempt(self._raw.write, data)
        self._position += len(data)
        return len(data)

    def flush(self) -> None:
        if not self._failed:
            self._attempt(self._raw.flush)

    def seek(self, offset: int, whence: int = 0) -> int:
        if not self._failed:
            self._position = self._attempt(self._raw.seek, offset, whence)
        elif whence == 0:
            self._position = offset
        return self._position

    def _attempt(self, step: Callable[..., Any], *args: Any) -> Any:
        # A seek or a flush of a buffered file writes too: any of them may be the one to fail.
        try:
            return step(*args)
        except OSError:
            self._failed = True
            raise

    def tell(self) -> int:
        return self._position

    def seekable(self) -> bool:
        return True


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
    #: The column is text: what is typed stays as typed (an IIN keeps its leading zero).
    text: bool = False


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
        self._rows = _RowStream(len(self.columns))
        self._styles: dict[tuple[Any, ...], int] = {}

    @property
    def header_row(self) -> int:
        """The number of the header's row (1 when there is no heading block above it)."""
        return len(self._heading) + (1 if self._heading else 0) + 1

    def range_of(self, column: int, first: int, last: int) -> str:
        """An absolute reference to cells of a column (from 0) of this sheet, for formulas."""
        letter = get_column_letter(column + 1)
        return f"{quote_sheetname(self._ws.title)}!${letter}${first}:${letter}${last}"

    def choices(self, column: int, source: str, *, strict: bool = True,
                prompt: str | None = None, rows: int = CHOICE_ROWS) -> None:
        """A drop-down list in the cells of ``column`` (from 0) under the header.

        ``source`` is a reference to the values (:meth:`range_of` of another sheet).
        ``strict`` refuses anything else; otherwise other text (several values separated
        by commas) is allowed too.
        """
        first = self.header_row + 1
        letter = get_column_letter(column + 1)
        check = DataValidation(type="list", formula1=source, allow_blank=True,
                               showErrorMessage=strict, showInputMessage=bool(prompt),
                               errorStyle="stop" if strict else "information")
        if prompt:
            check.prompt = clean_text(prompt)[:255]
        check.add(f"{letter}{first}:{letter}{first + rows - 1}")
        self._ws.data_validations.append(check)

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
        self._rows.skip()
        self._rows.write([(clean_text(text), 0)])

    def discard(self) -> None:
        """End the sheet's stream without a file (see :meth:`Workbook.discard`)."""
        self._closed = True
        self._rows.discard()
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

    def finish(self) -> None:
        """Let openpyxl write the sheet without rows, then put the rows into it."""
        self.close()
        self._ws.close()
        self._rows.join_into(self._ws._writer.out)

    def _style(self, key: tuple[Any, ...]) -> int:
        """The workbook's number of a cell style: (bold, title, header, wrap, number format)."""
        found = self._styles.get(key)
        if found is None:
            bold, title, header, wrap, number_format = key
            cell = WriteOnlyCell(self._ws)
            if title:
                cell.font = _TITLE
            elif bold or header:
                cell.font = _BOLD
            if header:
                cell.fill, cell.border, cell.alignment = _HEADER_FILL, _HEADER_BORDER, \
                    _HEADER_ALIGN
            elif wrap:
                cell.alignment = _WRAP
            if number_format:
                cell.number_format = number_format
            found = self._styles[key] = cell.style_id
        return found

    # -- inside ----------------------------------------------------------------------------
    def _flush_sample(self) -> None:
        if self._sample is not None:
            self._start()

    def _start(self) -> None:
        """Fix widths, write the heading and header, then the rows held back so far."""
        sample, self._sample = self._sample or [], None
        ws = self._ws
        for index, column in enumerate(self.columns, start=1):
            dimension = ws.column_dimensions[get_column_letter(index)]
            dimension.width = self._width(column, [row[index - 1] for row, _bold in sample])
            if column.text:
                dimension.number_format = TEXT_FORMAT
        # Sheet properties go out with the first row: set them before anything is written.
        header_row = self.header_row
        ws.freeze_panes = f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        for line_no, line in enumerate(self._heading):
            style = self._style((line_no > 0, line_no == 0, False, False, None))
            self._rows.write([(clean_text(line), style)])
        if self._heading:
            self._rows.skip()
        header = self._style((True, False, True, False, None))
        self._rows.write([(clean_text(column.title), header) for column in self.columns])
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
        cells: list[tuple[Any, int]] = []
        for value, column in zip(values, self.columns):
            kind = type(value)
            if kind is str:
                if _ILLEGAL.search(value):
                    value = clean_text(value)
            elif column.text and kind in (int, float):
                value, kind = str(value), str
            elif value is not None and kind not in (int, float, date, datetime, bool):
                value, kind = _cell_value(value), str
            if value is None:
                cells.append((None, 0))
                continue
            if kind is str:
                number_format = TEXT_FORMAT if column.text else None
            elif kind in (date, datetime):
                number_format = DATE_FORMAT
            else:
                number_format = column.number_format
            plain = not bold and number_format is None and not (kind is str and column.wrap)
            cells.append((value, 0 if plain else self._style(
                (bold, False, False, kind is str and column.wrap, number_format))))
        self._rows.write(cells)
        self.rows_written += 1


class _RowStream:
    """Rows as the XML of a sheet's ``<sheetData>``, in a temporary file of their own."""

    def __init__(self, width: int):
        self._letters = [get_column_letter(i + 1) for i in range(max(width, 1))]
        self._row = 0
        self._file: IO[str] | None = None
        self._path: str | None = None

    def _out(self) -> IO[str]:
        if self._file is None:
            fd, self._path = tempfile.mkstemp(prefix="daryn-rows-", suffix=".xml")
            self._file = os.fdopen(fd, "w", encoding="utf-8", newline="")
        return self._file

    def skip(self) -> None:
        self._row += 1

    def write(self, cells: Sequence[tuple[Any, int]]) -> None:
        """One row: (value, style number) per column; None leaves a cell out."""
        self._row += 1
        number = self._row
        parts = [f'<row r="{number}">']
        for letter, (value, style) in zip(self._letters, cells):
            if value is None:
                continue
            ref = f'{letter}{number}"' + (f' s="{style}"' if style else "")
            kind = type(value)
            if kind is str:
                space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() \
                    else ""
                parts.append(f'<c r="{ref} t="inlineStr"><is><t{space}>{escape(value)}</t></is>'
                             "</c>")
            elif kind is bool:
                parts.append(f'<c r="{ref} t="b"><v>{int(value)}</v></c>')
            elif kind in (date, datetime):
                parts.append(f'<c r="{ref}><v>{_serial(value)}</v></c>')
            elif kind is float and not math.isfinite(value):
                continue  # no number in a spreadsheet: better an empty cell than a broken file
            else:
                parts.append(f'<c r="{ref}><v>{value!r}</v></c>')
        parts.append("</row>")
        self._out().write("".join(parts))

    def join_into(self, sheet_path: str) -> None:
        """Put the rows into openpyxl's sheet file, in place of its empty ``<sheetData>``."""
        with open(sheet_path, "rb") as fh:
            sheet = fh.read()
        found = _EMPTY_SHEET_DATA.search(sheet)
        if found is None:
            raise RuntimeError("openpyxl wrote a sheet without sheetData")
        if self._file is not None:
            self._file.close()
        with open(sheet_path, "wb") as out:
            out.write(sheet[:found.start()])
            out.write(b"<sheetData>")
            if self._path is not None:
                with open(self._path, "rb") as rows:
                    while chunk := rows.read(1 << 20):
                        out.write(chunk)
            out.write(b"</sheetData>")
            out.write(sheet[found.end():])
        self.discard()

    def discard(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
        if self._path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._path)
        self._file = self._path = None


_EMPTY_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_EPOCH = datetime(1899, 12, 30)


def _serial(value: date | datetime) -> str:
    """A date as Excel counts days (from 30 December 1899), with the time as a fraction."""
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        return repr(delta.days + delta.seconds / 86400)
    return str((value - _EPOCH.date()).days)


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
        if not self._sheets:
            self.sheet("Sheet", [Column("")])
        try:
            with written_whole(self.path) as part:
                for sheet in self._sheets:
                    sheet.finish()
                with open(part, "wb") as raw:
                    self._book.save(_StopsAfterFailure(raw))
        except BaseException:
            self.discard()
            raise
        return self.path

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.save()
        else:
            self.discard()
