"""Where the table is in a sheet: the header row (or two), what each column holds, which rows
are data and which are titles, sub-headings, numbering or totals."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from daryn_desktop.core.imports.fields import (
    IGNORE,
    IGNORED_NAMES,
    REQUIRED,
    Field,
    ImportKind,
    fields_of,
)
from daryn_desktop.core.imports.text import cell_text, fold, header_key, is_blank
from daryn_desktop.core.imports.values import CellProblem, grade_and_letter
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _

#: Rows looked at for the header: titles, addresses and signatures of a form come first.
HEADER_SEARCH_ROWS = 40
_EXACT, _PART = 3, 2
_TOTAL_WORDS = ("барлығы", "барлык", "итого", "всего", "total", "жиыны")
_GRADE_HEADING = re.compile(r"сынып|класс|grade|class", re.IGNORECASE)
_SCHOOL_HEADING = re.compile(r"мектеп|школ|гимназ|лицей|school", re.IGNORECASE)
_COLUMN_LETTERS = re.compile(r"[A-Za-z]{1,3}")


class NoHeader(UserError):
    message = N_("No row of the sheet names the columns of a {kind} list (for example {example}).")
    hint = N_("Check that you chose the right sheet and kind of list, or name the columns with"
              " --map \"Column=field\".")


class UnknownField(UserError):
    message = N_("“{field}” is not a field of this kind of list; known fields: {known}.")


class UnknownColumn(UserError):
    message = N_("The sheet has no column “{column}”.")


class MissingField(UserError):
    message = N_("No column holds the {field}: the list cannot be read without it.")
    hint = N_("Choose the column in the mapping, or name it with --map \"Column=field\".")


EXAMPLES = {
    ImportKind.PUPILS: "Аты-жөні / ФИО, ЖСН / ИИН, Сынып / Класс",
    ImportKind.SCHOOLS: "Мектеп атауы / Название школы, Елді мекен / Населённый пункт",
    ImportKind.STAFF: "Аты-жөні / ФИО, Лауазымы / Должность, Мектеп / Школа",
    ImportKind.RESULTS: "Аты-жөні / ФИО, Пән / Предмет, Орны / Место",
}


@dataclass
class Layout:
    """The table found in a sheet."""

    kind: ImportKind
    #: Indexes (from 0) of the rows that make the header; empty when there is none.
    header_rows: tuple[int, ...]
    #: The header of each column as shown (both rows of a two-row header).
    headers: list[str]
    #: Column index → field key (``IGNORE`` for a column deliberately left out).
    mapping: dict[int, str] = field(default_factory=dict)

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1 if self.header_rows else 0

    def column_of(self, key: str) -> int | None:
        return next((c for c, k in self.mapping.items() if k == key), None)

    def header_of(self, column: int) -> str:
        if column < len(self.headers) and self.headers[column]:
            return self.headers[column]
        return column_letter(column)

    def check(self) -> None:
        """Raise :class:`MissingField` when a field the kind cannot do without is unmapped."""
        mapped = set(self.mapping.values())
        for group in REQUIRED[self.kind]:
            if not mapped.intersection(group):
                fields = {f.key: f for f in fields_of(self.kind)}
                raise MissingField(field=" / ".join(_(fields[k].label) for k in group))


def column_letter(index: int) -> str:
    """Excel's name of a column: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _letter_index(text: str) -> int:
    value = 0
    for ch in text.upper():
        value = value * 26 + ord(ch) - 64
    return value - 1


def _ignored_keys() -> frozenset[str]:
    return frozenset(header_key(n) for n in IGNORED_NAMES)


def match_header(text: str, fields: Sequence[Field]) -> tuple[str | None, int]:
    """The field a header names and how surely (3 exact, 2 a part of it), or (None, 0)."""
    key = header_key(text)
    if not key:
        return None, 0
    if key in _ignored_keys():
        return IGNORE, _EXACT
    candidates = [key]
    # A template's bilingual header ("Тегі / Фамилия") names the field in either language.
    if "/" in text:
        candidates += [header_key(part) for part in text.split("/") if header_key(part)]
    for f in fields:
        keys = f.header_keys
        if any(c in keys for c in candidates):
            return f.key, _EXACT
    best: tuple[str | None, int] = (None, 0)
    longest = 0
    for f in fields:
        for k in f.header_keys:
            if len(k) >= 5 and len(k) > longest and (key.startswith(k) or key.endswith(k)):
                best, longest = (f.key, _PART), len(k)
    return best


def _row_matches(row: Sequence[object], fields: Sequence[Field]) -> list[tuple[str | None, int]]:
    return [match_header(cell_text(v), fields) if not is_blank(v) else (None, 0) for v in row]


def _resolve(matches: Sequence[tuple[str | None, int]]) -> dict[int, str]:
    """Column → field, each field in one column only (the surest, then the leftmost)."""
    chosen: dict[str, tuple[int, int]] = {}
    mapping: dict[int, str] = {}
    for column, (key, score) in enumerate(matches):
        if key is None:
            continue
        if key == IGNORE:
            mapping[column] = IGNORE
            continue
        held = chosen.get(key)
        if held is None or score > held[1]:
            chosen[key] = (column, score)
    for key, (column, _score) in chosen.items():
        mapping[column] = key
    return mapping


def _count(mapping: Mapping[int, str]) -> int:
    return sum(1 for k in mapping.values() if k != IGNORE)


def find_layout(rows: Sequence[Sequence[object]], kind: ImportKind) -> Layout:
    """The header row (or pair of rows) among the first rows and the guessed mapping.

    Raises :class:`NoHeader` when no row names at least two known columns (one when the
    sheet has only one column).
    """
    fields = fields_of(kind)
    best: Layout | None = None
    best_count = 0
    scanned = [list(r) for r in rows[:HEADER_SEARCH_ROWS]]
    matches = [_row_matches(r, fields) for r in scanned]
    for index, row in enumerate(scanned):
        mapping = _resolve(matches[index])
        count = _count(mapping)
        header_rows: tuple[int, ...] = (index,)
        headers = [cell_text(v) for v in row]
        if index + 1 < len(scanned):
            below = matches[index + 1]
            width = max(len(row), len(below))
            combined = [below[c] if c < len(below) and below[c][0] is not None
                        else (matches[index][c] if c < len(row) else (None, 0))
                        for c in range(width)]
            merged = _resolve(combined)
            if _count(_resolve(below)) >= 2 and _count(merged) > max(count, _count(
                    _resolve(below))):
                mapping, count, header_rows = merged, _count(merged), (index, index + 1)
                under = scanned[index + 1]
                headers = [" / ".join(t for t in (
                    cell_text(row[c]) if c < len(row) else "",
                    cell_text(under[c]) if c < len(under) else "") if t)
                    for c in range(width)]
        if count > best_count:
            best, best_count = Layout(kind, header_rows, headers, mapping), count
    widest = max((len(r) for r in scanned), default=0)
    if best is None or best_count < min(2, widest):
        raise NoHeader(kind=kind.value, example=EXAMPLES[kind])
    return best


def layout_at(rows: Sequence[Sequence[object]], kind: ImportKind, header_row: int | None
              ) -> Layout:
    """The layout with the header in row ``header_row`` (from 0; None: no header at all,
    the columns named by their letters and every row data), its columns guessed."""
    width = max((len(r) for r in rows[:HEADER_SEARCH_ROWS]), default=0)
    if header_row is None:
        return Layout(kind, (), [column_letter(c) for c in range(width)], {})
    row = list(rows[header_row]) if header_row < len(rows) else []
    headers = [cell_text(row[c]) if c < len(row) else "" for c in range(width)]
    return Layout(kind, (header_row,), headers, _resolve(_row_matches(row, fields_of(kind))))


def apply_overrides(layout: Layout, overrides: Mapping[str, str]) -> Layout:
    """``layout`` with columns named by their header (or letter) set to the fields given.

    A field given here is taken from every other column; "-" or "ignore" leaves a column out.
    """
    fields = {f.key for f in fields_of(layout.kind)}
    mapping = dict(layout.mapping)
    for column_text, key in overrides.items():
        key = key.strip()
        if key in ("-", ""):
            key = IGNORE
        if key != IGNORE and key not in fields:
            raise UnknownField(field=key, known=", ".join(sorted(fields)))
        column = _find_column(layout, column_text)
        if key != IGNORE:
            for other, held in list(mapping.items()):
                if held == key:
                    del mapping[other]
        mapping[column] = key
    return Layout(layout.kind, layout.header_rows, layout.headers, mapping)


def _find_column(layout: Layout, text: str) -> int:
    wanted = fold(text)
    for column, header in enumerate(layout.headers):
        if header and (fold(header) == wanted or header_key(header) == header_key(text)):
            return column
    if _COLUMN_LETTERS.fullmatch(text.strip()):
        return _letter_index(text.strip())
    raise UnknownColumn(column=text)


def parse_map_option(items: Iterable[str]) -> dict[str, str]:
    """``["ФИО=full_name", "C=iin"]`` → ``{"ФИО": "full_name", "C": "iin"}``."""
    found: dict[str, str] = {}
    for item in items:
        column, sep, key = item.rpartition("=")
        if not sep or not column.strip():
            raise UnknownColumn(column=item)
        found[column.strip()] = key.strip()
    return found


# -- data rows --------------------------------------------------------------------------------
@dataclass(frozen=True)
class DataRow:
    """A row of the table: its number as the spreadsheet shows it (from 1), its cells by
    field, and what sub-headings above it said (a grade, a school)."""

    number: int
    cells: dict[str, object]
    context: dict[str, object]
    raw: tuple[object, ...]


@dataclass
class RowCounts:
    """Rows that were not data: sub-headings, titles, numbering, totals, blank ones."""

    skipped: int = 0
    headings: int = 0


def data_rows(layout: Layout, rows: Iterable[Sequence[object]], *,
              counts: RowCounts | None = None) -> Iterator[DataRow]:
    """The data rows below the header, with sub-headings ("7 «А» сынып") carried down."""
    counts = counts if counts is not None else RowCounts()
    context: dict[str, object] = {}
    header_texts = {h.strip() for h in layout.headers if h and h.strip()}
    key_columns = {c for c, k in layout.mapping.items()
                   if k in ("full_name", "surname", "iin", "name")}
    for number, row in enumerate(rows, start=1):
        if number <= layout.first_data_row:
            continue
        values = tuple(row)
        filled = [(c, v) for c, v in enumerate(values) if not is_blank(v)]
        if not filled:
            continue
        if _is_numbering(filled) or _repeats_header(filled, header_texts) or _is_total(filled):
            counts.skipped += 1
            continue
        if len(filled) == 1:
            column, value = filled[0]
            heading = _heading(cell_text(value)) if layout.kind != ImportKind.SCHOOLS else None
            if heading is not None:
                context = {**context, **heading}
                counts.headings += 1
                continue
            # A title, a caption ("Сынып жетекшісі: …") or a signature line, not a pupil.
            shown = cell_text(value)
            if (column not in key_columns or len(shown.split()) > 4 or ":" in shown
                    or "__" in shown):
                counts.skipped += 1
                continue
        cells: dict[str, object] = {}
        for column, key in layout.mapping.items():
            if key != IGNORE and column < len(values) and not is_blank(values[column]):
                cells[key] = values[column]
        yield DataRow(number, cells, dict(context), values)


def _is_numbering(filled: list[tuple[int, object]]) -> bool:
    """The row "1 2 3 4 …" many forms print under the header."""
    if len(filled) < 3 or not cell_text(filled[1][1]).isdigit():
        return False
    try:
        numbers = [int(cell_text(v)) for _c, v in filled]
    except ValueError:
        return False
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _repeats_header(filled: list[tuple[int, object]], header_texts: set[str]) -> bool:
    """The header printed again on every page of a long list."""
    same = sum(1 for _c, v in filled if isinstance(v, str) and v.strip() in header_texts)
    return same >= 2


def _is_total(filled: list[tuple[int, object]]) -> bool:
    first = fold(cell_text(filled[0][1])).rstrip(":")
    return any(first.startswith(word) for word in _TOTAL_WORDS) and len(filled) <= 3


def _heading(text: str) -> dict[str, object] | None:
    """What a one-cell sub-heading sets for the rows under it: a grade, or a school."""
    if _GRADE_HEADING.search(text):
        try:
            grade, letter = grade_and_letter(text)
        except CellProblem:
            grade = None
        if grade is not None:
            return {"grade": grade, "class_letter": letter}
    if _SCHOOL_HEADING.search(text) and len(text.split()) <= 12:
        return {"school": text}
    return None
