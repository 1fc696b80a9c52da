"""Opening whatever a coordinator calls a spreadsheet: Excel .xlsx (streamed) and .xls, CSV in
any usual encoding and delimiter, OpenDocument .ods, and HTML tables saved as .xls.

The kind of file is told from its content, not from its name: electronic diaries save HTML
as ".xls", and people rename files. Anything else gets a message that says what to do.
"""

from __future__ import annotations

import codecs
import csv
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.errors import UserError
from daryn_desktop.files import os_reason
from daryn_desktop.i18n import N_, _
from daryn_desktop.spreadsheets.csv_text import looks_like_utf16, read_csv
from daryn_desktop.spreadsheets.markup import html_tables, ods_sheets

#: Rows between two looks at Cancel (and progress reports) while a sheet is read.
PROGRESS_EVERY = 2000

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


class CannotReadFile(UserError):
    message = N_("{name} could not be read: {reason}.")


class EmptyFile(UserError):
    message = N_("The file {name} is empty.")


class EmptySheet(UserError):
    message = N_("The sheet “{sheet}” of {name} has no rows.")


class NotASpreadsheet(UserError):
    message = N_("{name} is not a spreadsheet: the program reads Excel workbooks (.xlsx,"
                 " .xls), OpenDocument spreadsheets (.ods) and CSV files.")


class SaveAsXlsx(UserError):
    message = N_("{name} is saved as {format}, which the program cannot read.")
    hint = N_("Open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx).")


class PasswordProtected(UserError):
    message = N_("{name} is protected with a password.")
    hint = N_("Open it in Excel, remove the password (File → Info → Protect Workbook) and save"
              " it again.")


class PackedTooTightly(UserError):
    message = N_("{name} holds a part that unpacks from {packed} KB to {size} MB: no"
                 " spreadsheet program writes a list like that.")
    hint = N_("Open it in Excel or LibreOffice and save it again, or ask for the list anew.")


#: A part of a workbook that unpacks to more than this, at more than ``_MAX_RATIO`` times its
#: packed size, is refused before it is read: spreadsheets compress about 5 to 20 times, and
#: a file made to unpack to gigabytes (one cell of a billion letters) would take minutes and
#: all the memory of the PC.
_BIG_PART, _MAX_RATIO = 32 * 1024 * 1024, 200
#: No part larger than this is read, however it is packed.
_HUGE_PART = 1024 * 1024 * 1024


def _check_packing(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for item in archive.infolist():
            size, packed = item.file_size, max(item.compress_size, 1)
            if size > _HUGE_PART or (size > _BIG_PART and size > _MAX_RATIO * packed):
                raise PackedTooTightly(name=path.name, packed=max(packed // 1024, 1),
                                       size=size // (1024 * 1024))


class UnknownSheet(UserError):
    message = N_("{name} has no sheet “{sheet}”; its sheets: {sheets}.")


@dataclass
class SheetData:
    """A sheet's rows: ``rows[i]`` is the row numbered ``i + 1`` in the spreadsheet."""

    name: str
    rows: list[tuple[Any, ...]]
    #: How the file was read ("UTF-8, ;" for a CSV), for the preview.
    details: str = ""
    #: Every sheet of the file, in order.
    sheets: list[str] = field(default_factory=list)


def _kind(path: Path, head: bytes) -> str:
    if head.startswith(_ZIP):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype")[:80] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError):
            return "unknown"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            return "xlsb"
        if b"spreadsheet" in mimetype and "content.xml" in names:
            return "ods"
        return "zip"
    if head.startswith(_OLE2):
        return "encrypted" if _ENCRYPTED_PACKAGE in head else "xls"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
            text.startswith(b"<") and b"<table" in head.lower()):
        return "html"
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "xml2003"
    if text.startswith((b"%pdf", b"\x89png", b"\xff\xd8\xff", b"gif8", b"{\\rtf")):
        return "unknown"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or any(
            looks_like_utf16(head, e) for e in ("utf-16-le", "utf-16-be")):
        return "csv"
    sample = head[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return "unknown" if controls > len(sample) // 50 else "csv"


def _report(progress: Callable[[Progress], None] | None, cancel: CancelToken | None,
            count: int) -> None:
    if count % PROGRESS_EVERY == 0:
        if cancel is not None:
            cancel.raise_if_cancelled()
        if progress is not None:
            progress(Progress(count, None))


def _pick(name: str, sheets: list[str], wanted: str | None) -> str:
    if wanted is None:
        return sheets[0]
    if wanted in sheets:
        return wanted
    folded = {s.casefold(): s for s in sheets}
    if wanted.casefold() in folded:
        return folded[wanted.casefold()]
    raise UnknownSheet(name=name, sheet=wanted, sheets=", ".join(sheets))


def _xlsx(path: Path, sheet: str | None, limit: int | None,
          progress: Callable[[Progress], None] | None,
          cancel: CancelToken | None) -> SheetData:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        names = [ws.title for ws in book.worksheets]
        chosen = _pick(path.name, names, sheet)
        ws = book[chosen]
        # Some programs write a wrong size into the file; the rows themselves are the truth.
        ws.reset_dimensions()
        rows: list[tuple[Any, ...]] = []
        for count, values in enumerate(ws.iter_rows(values_only=True), start=1):
            rows.append(_trimmed(values))
            if limit is not None and count >= limit:
                break
            _report(progress, cancel, count)
        return SheetData(chosen, rows, "Excel (.xlsx)", names)
    finally:
        book.close()


def _trimmed(values: Any) -> tuple[Any, ...]:
    row = list(values)
    while row and (row[-1] is None or row[-1] == ""):
        row.pop()
    return tuple(row)


def _xls(path: Path, sheet: str | None, limit: int | None) -> SheetData:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:  # xlrd's errors for a damaged or foreign OLE2 file vary
        if "encrypt" in str(exc).lower():
            raise PasswordProtected(name=path.name) from exc
        raise NotASpreadsheet(name=path.name) from exc
    try:
        names = book.sheet_names()
        chosen = _pick(path.name, names, sheet)
        ws = book.sheet_by_name(chosen)
        rows = []
        for r in range(ws.nrows if limit is None else min(ws.nrows, limit)):
            values: list[Any] = []
            for cell in ws.row(r):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        values.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    except (ValueError, OverflowError):
                        values.append(cell.value)
                elif cell.ctype == xlrd.XL_CELL_NUMBER:
                    values.append(int(cell.value) if float(cell.value).is_integer()
                                  else cell.value)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    values.append(None)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    values.append(bool(cell.value))
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    values.append(None)
                else:
                    values.append(cell.value)
            rows.append(_trimmed(values))
        return SheetData(chosen, rows, "Excel 97–2003 (.xls)", names)
    finally:
        book.release_resources()


def _ods(path: Path, sheet: str | None) -> SheetData:
    with open(path, "rb") as stream:
        sheets = list(ods_sheets(stream))
    names = [n for n, _rows in sheets]
    if not names:
        raise EmptyFile(name=path.name)
    chosen = _pick(path.name, names, sheet)
    rows = next(r for n, r in sheets if n == chosen)
    return SheetData(chosen, rows, "OpenDocument (.ods)", names)


_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16",
                   "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "kz1048": "KZ-1048",
                   "cp1251": "Windows-1251"}
_DELIMITER_NAMES = {";": "«;»", ",": "«,»", "\t": N_("tab")}


def _csv(path: Path, data: bytes) -> SheetData:
    rows, encoding, delimiter = read_csv(data)
    details = f"CSV, {_ENCODING_NAMES.get(encoding, encoding)}, {_(_DELIMITER_NAMES[delimiter])}"
    return SheetData(path.stem, [_trimmed(r) for r in rows], details, [path.stem])


def _html(path: Path, data: bytes, sheet: str | None) -> SheetData:
    from daryn_desktop.spreadsheets.csv_text import decode

    text, _encoding = decode(data)
    tables = html_tables(text)
    if not tables:
        raise NotASpreadsheet(name=path.name)
    names = [f"{index}" for index in range(1, len(tables) + 1)]
    chosen = _pick(path.name, names, sheet)
    return SheetData(chosen, [_trimmed(r) for r in tables[names.index(chosen)]], "HTML", names)


def read_sheet(path: str | os.PathLike[str], sheet: str | None = None, *,
               limit: int | None = None, progress: Callable[[Progress], None] | None = None,
               cancel: CancelToken | None = None) -> SheetData:
    """The rows of one sheet (the first when ``sheet`` is None); at most ``limit`` rows.

    Raises a :class:`~daryn_desktop.errors.UserError` with what to do for an empty file,
    a file that is no spreadsheet, a protected workbook or one in a format not read here.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise CannotReadFile(name=path.name, reason=os_reason(exc)) from exc
    if size == 0:
        raise EmptyFile(name=path.name)
    kind = _kind(path, head)
    try:
        if kind in ("xlsx", "ods"):
            _check_packing(path)
        if kind == "xlsx":
            data = _xlsx(path, sheet, limit, progress, cancel)
        elif kind == "xls":
            data = _xls(path, sheet, limit)
        elif kind == "ods":
            data = _ods(path, sheet)
        elif kind in ("csv", "html"):
            raw = path.read_bytes()
            data = _csv(path, raw) if kind == "csv" else _html(path, raw, sheet)
        elif kind == "encrypted":
            raise PasswordProtected(name=path.name)
        elif kind == "xlsb":
            raise SaveAsXlsx(name=path.name, format="Excel Binary (.xlsb)")
        elif kind == "xml2003":
            raise SaveAsXlsx(name=path.name, format="XML Spreadsheet 2003")
        else:
            raise NotASpreadsheet(name=path.name)
    except UserError:
        raise
    except OSError as exc:
        raise CannotReadFile(name=path.name, reason=os_reason(exc)) from exc
    except csv.Error as exc:
        if "field limit" not in str(exc):
            raise CannotReadFile(name=path.name, reason=str(exc)) from exc
        raise CannotReadFile(name=path.name, reason=_(
            "a cell holds more than {count} characters, which no list has").format(
                count=csv.field_size_limit())) from exc
    except Exception as exc:  # a damaged file: zip, XML or OLE structure broken
        raise CannotReadFile(name=path.name, reason=type(exc).__name__) from exc
    whole = limit is None or len(data.rows) < limit
    if limit is not None:
        data.rows = data.rows[:limit]
    if whole and not any(any(v is not None and v != "" for v in row) for row in data.rows):
        raise EmptySheet(name=path.name, sheet=data.name)
    return data


def sheet_names(path: str | os.PathLike[str]) -> list[str]:
    """The sheets of a file (one for a CSV), for choosing one."""
    return read_sheet(path, limit=1).sheets
