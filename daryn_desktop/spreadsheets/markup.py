"""Tables written as markup: an HTML page saved with an .xls name (what many web systems
export), and an OpenDocument spreadsheet (.ods, LibreOffice's own format)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from html.parser import HTMLParser
from typing import IO, Any
from xml.etree.ElementTree import iterparse

Rows = list[tuple[Any, ...]]

#: A repeated empty row or cell is written once with a count (LibreOffice fills a sheet to
#: its last row that way); more than this many are only ever blank padding.
_MAX_REPEAT = 1000


class _TableParser(HTMLParser):
    """Collects every <table> as rows of cell texts (colspan filled with empty cells)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Rows] = []
        self._depth = 0
        self._row: list[Any] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            self.tables.append([])
        elif tag == "tr" and self._depth:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()) or None)
            self._row.extend([None] * (min(self._span, 100) - 1))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self.tables:
                self.tables[-1].append(tuple(self._row))
            self._row = None
        elif tag == "table" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(text: str) -> list[Rows]:
    """The tables of an HTML page, each as rows of cell texts."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    return [t for t in parser.tables if t]


# -- OpenDocument -----------------------------------------------------------------------------
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _repeat(element: Any, attribute: str) -> int:
    value = element.get(_q(_TABLE, attribute))
    return int(value) if value and value.isdigit() else 1


def _cell_value(cell: Any) -> Any:
    kind = cell.get(_q(_OFFICE, "value-type"))
    if kind in ("float", "percentage", "currency"):
        raw = cell.get(_q(_OFFICE, "value"))
        number = float(raw) if raw is not None else None
        return int(number) if number is not None and number.is_integer() else number
    if kind == "date":
        raw = cell.get(_q(_OFFICE, "date-value")) or ""
        try:
            return datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw)
        except ValueError:
            return raw
    if kind == "boolean":
        return cell.get(_q(_OFFICE, "boolean-value")) == "true"
    texts = ["".join(p.itertext()) for p in cell.iter(_q(_TEXT, "p"))]
    return "\n".join(texts) or None


def ods_sheets(stream: IO[bytes]) -> Iterator[tuple[str, Rows]]:
    """The sheets of an OpenDocument spreadsheet, read as a stream of its content."""
    with zipfile.ZipFile(stream) as archive, archive.open("content.xml") as content:
        rows: Rows = []
        name, pending = "", 0
        for event, element in iterparse(content, events=("start", "end")):
            tag = element.tag
            if event == "start" and tag == _q(_TABLE, "table"):
                name, rows, pending = element.get(_q(_TABLE, "name")) or "", [], 0
            elif event == "end" and tag == _q(_TABLE, "table-row"):
                cells: list[Any] = []
                for cell in element:
                    if cell.tag not in (_q(_TABLE, "table-cell"),
                                        _q(_TABLE, "covered-table-cell")):
                        continue
                    value = _cell_value(cell)
                    count = _repeat(cell, "number-columns-repeated")
                    cells.extend([value] * min(count, _MAX_REPEAT))
                while cells and cells[-1] is None:
                    cells.pop()
                count = _repeat(element, "number-rows-repeated")
                if not cells:
                    pending += count  # blank rows count only if something follows them
                else:
                    rows.extend([()] * min(pending, _MAX_REPEAT * 100))
                    pending = 0
                    rows.extend([tuple(cells)] * min(count, _MAX_REPEAT))
                element.clear()
            elif event == "end" and tag == _q(_TABLE, "table"):
                yield name, rows
                element.clear()
