"""Plain-text paragraphs and ruled tables for the A4 documents: hyphenating cells, safe rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag

from daryn_desktop.reports.fonts import (
    BOLD,
    CONDENSED,
    CONDENSED_BOLD,
    ITALIC,
    REGULAR,
)

# The styles name these fonts: whoever draws with them registers them first, from here too.
from daryn_desktop.reports.fonts import register_fonts as register_fonts
from daryn_desktop.reports.hyphen import fit_words

PAGE_WIDTH, PAGE_HEIGHT = A4
# Official documents leave a wide left margin for binding into a folder.
LEFT, RIGHT, TOP, BOTTOM = 25 * mm, 12 * mm, 14 * mm, 18 * mm
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
GRID = colors.HexColor("#6b6b6b")
HEADER_FILL = colors.HexColor("#e6e6e6")
#: The tallest a table row may be. A taller one (a 6,000-character "strengths", an
#: 8,000-character goal) goes on in the rows below, so that no row is ever taller than a
#: page, which reportlab cannot lay out.
MAX_ROW_HEIGHT = (PAGE_HEIGHT - TOP - BOTTOM) / 3
#: The cells' left and right padding together (see ``grid_style``).
CELL_PADDING = 6


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


class Cell(Paragraph):
    """A paragraph of plain text (escaped: a pupil's data is never markup) that wraps at
    spaces; a word wider than its column is hyphenated at a syllable boundary (see
    ``hyphen``) instead of being cut anywhere."""

    def __init__(self, text: str | None, style: ParagraphStyle, *args: object,
                 **kwargs: object):
        # reportlab makes the pieces of a split paragraph with text None and their frags.
        self._plain = text
        self._fitted_width: float | None = None
        self._wrapped: tuple[float, tuple[float, float]] | None = None
        if text is not None and not args and not kwargs:
            frags = plain_frags(text, style)
            if frags is not None:
                kwargs = {"frags": frags}
        super().__init__(None if text is None else _markup(text), style, *args, **kwargs)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # A table wraps each cell up to three times at the same width (to measure the rows,
        # to split the table, to draw): the lines depend on the width alone, so they are
        # broken once. reportlab's split drops ``blPara`` when the paragraph moves on whole.
        wrapped = self._wrapped
        if wrapped is not None and wrapped[0] == avail_width and "blPara" in self.__dict__:
            return wrapped[1]
        if self._plain is not None and self._fitted_width != avail_width:
            style = self.style
            fitted = fit_words(self._plain, avail_width, _measure(style.fontName,
                                                                  style.fontSize))
            if fitted != self._plain:
                frags = plain_frags(fitted, style)
                if frags is None:
                    Paragraph.__init__(self, _markup(fitted), style)
                else:
                    Paragraph.__init__(self, None, style, frags=frags)
            self._fitted_width = avail_width
        size = super().wrap(avail_width, avail_height)
        self._wrapped = (avail_width, size)
        return size


#: Characters that make reportlab's parser do more than keep the text as it is.
_NOT_PLAIN = frozenset("<>&\n\t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029")
_template_frags: dict[int, tuple[ParagraphStyle, ParaFrag]] = {}


def plain_frags(text: str, style: ParagraphStyle) -> list[ParaFrag] | None:
    """The fragments reportlab's parser makes of ``text`` in ``style``, without parsing, for
    text of one line with nothing to parse (None for any other text: it is parsed).

    Parsing is most of the cost of a table cell, and nearly every cell is plain text. Of
    such text the parser makes one fragment carrying the style's font, with the runs of
    white space collapsed and the ends stripped; that fragment is made once per style and
    copied with the text.
    """
    if not text or not _NOT_PLAIN.isdisjoint(text) or style.textTransform:
        return None
    text = cleanBlockQuotedText(text)  # what the parser does first
    if not text:
        return None
    known = _template_frags.get(id(style))
    if known is None or known[0] is not style:
        frags = Paragraph("x", style).frags
        if len(frags) != 1:
            return None
        known = _template_frags[id(style)] = (style, frags[0])
    return [known[1].clone(text=text)]


@lru_cache(maxsize=64)
def _measure(font: str, size: float) -> Callable[[str], float]:
    """The width of a word in ``font`` at ``size``, remembered: cells repeat their words."""

    @lru_cache(maxsize=20000)
    def width(word: str) -> float:
        return stringWidth(word, font, size)

    return width


def text_para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text that wraps at spaces only (headings, notes, footers)."""
    return Paragraph(escape(text), style, frags=plain_frags(text, style))


def para(text: str | None, style: ParagraphStyle, *, empty: str = "—") -> Paragraph:
    """A paragraph of plain text (``empty`` when there is none)."""
    return Cell(text or empty, style)


@dataclass(frozen=True, slots=True)
class CellText:
    """The plain text of a table cell in ``style``; ``grid`` makes it a string the table
    draws itself when it fits one line, else a ``Cell``."""

    text: str
    style: ParagraphStyle


def cell(text: str | None, style: ParagraphStyle, *, empty: str = "—") -> CellText:
    """A table cell of plain text (``empty`` when there is none)."""
    return CellText(text or empty, style)


#: How a table draws a string cell: font name, size, leading, alignment.
_Look = tuple[str, float, float, str]
_ALIGN = {TA_LEFT: "LEFT", TA_CENTER: "CENTER"}
_looks: dict[int, tuple[ParagraphStyle, _Look | None]] = {}


def _look(style: ParagraphStyle) -> _Look | None:
    """How a paragraph in ``style`` draws a line, as a table's cell style can say it (None
    for a style that draws more than a table string can: indents, colour, background)."""
    known = _looks.get(id(style))
    if known is not None and known[0] is style:
        return known[1]
    simple = (style.alignment in _ALIGN and style.textColor == colors.black
              and not any(getattr(style, name, None) for name in (
                  "leftIndent", "rightIndent", "firstLineIndent", "backColor", "borderWidth",
                  "textTransform", "autoLeading")))
    look = (style.fontName, style.fontSize, style.leading, _ALIGN[style.alignment]) if (
        simple) else None
    _looks[id(style)] = (style, look)
    return look


class _Drawn(str):
    """A cell's text that the table draws as a string, with the look it needs."""

    look: _Look


def _as_string(text: str, look: _Look, width: float) -> _Drawn | None:
    """``text`` as a string cell if a paragraph would draw the same: every line (at a line
    break) already free of runs of white space and narrower than ``width``."""
    font, size = look[0], look[1]
    if not text:
        # Nothing drawn, and a row of one line in the same look is no taller for it.
        drawn = _Drawn(text)
        drawn.look = look
        return drawn
    measure = _measure(font, size)
    for line in text.split("\n"):
        # Collapsing white space leaves nothing to collapse: one plain space between words;
        # no soft hyphen (a paragraph hides it) and no no-break space (it does not collapse).
        if not line or " ".join(line.split()) != line or "\xad" in line or (
                measure(line) > width - 0.01):
            return None
    drawn = _Drawn(text)
    drawn.look = look
    return drawn


def table_cells(rows: Sequence[Sequence[object]], widths: Sequence[float], padding: float
                ) -> list[list[object]]:
    """``rows`` with each ``CellText`` made a string (when it fits one line per line break)
    or a ``Cell``. A table draws a string far faster than it lays out a paragraph."""
    out = []
    for row in rows:
        new_row: list[object] = []
        for value, width in zip(row, widths):
            if isinstance(value, CellText):
                look = _look(value.style)
                drawn = None if look is None else _as_string(value.text, look,
                                                             width - padding)
                value = drawn if drawn is not None else Cell(value.text, value.style)
            new_row.append(value)
        out.append(new_row)
    return out


def looks_style(rows: Sequence[Sequence[object]], default: _Look, header_rows: int
                ) -> list[tuple]:
    """Table style commands that give each string cell of ``rows`` its look where it is not
    ``default``: the header rows in runs along the row, the others down the column."""
    commands: list[tuple] = []
    names = ("FONTNAME", "FONTSIZE", "LEADING", "ALIGN")

    def emit(look: _Look, start: tuple[int, int], end: tuple[int, int]) -> None:
        for name, value, usual in zip(names, look, default):
            if value != usual:
                commands.append((name, start, end, value))

    def looks(cells: Sequence[object]) -> list[_Look]:
        return [c.look if isinstance(c, _Drawn) else default for c in cells]

    def runs(values: list[_Look]) -> Iterator[tuple[_Look, int, int]]:
        begin = 0
        for n in range(1, len(values) + 1):
            if n == len(values) or values[n] != values[begin]:
                if values[begin] != default:
                    yield values[begin], begin, n - 1
                begin = n

    for r in range(min(header_rows, len(rows))):
        for look, first, last in runs(looks(rows[r])):
            emit(look, (first, r), (last, r))
    body = rows[header_rows:]
    for c in range(len(rows[0]) if rows else 0):
        for look, first, last in runs(looks([row[c] for row in body])):
            emit(look, (c, first + header_rows), (c, last + header_rows))
    return commands


def _row_pieces(cell: object, width: float) -> list[object]:
    """A cell as pieces no taller than ``MAX_ROW_HEIGHT`` (itself, if it is not)."""
    if not isinstance(cell, Paragraph) or cell.wrap(width, PAGE_HEIGHT * 100)[1] <= (
            MAX_ROW_HEIGHT):
        return [cell]
    pieces: list[object] = []
    rest: Paragraph = cell
    while rest.wrap(width, PAGE_HEIGHT * 100)[1] > MAX_ROW_HEIGHT:
        parts = rest.split(width, MAX_ROW_HEIGHT)
        if len(parts) < 2:
            break
        pieces.append(parts[0])
        rest = parts[1]
    pieces.append(rest)
    return pieces


def page_safe_rows(rows: list[list[object]], widths: Sequence[float]) -> list[list[object]]:
    """``rows`` with every row taller than ``MAX_ROW_HEIGHT`` continued in rows below it
    (the other cells of a continuation left empty), so that a table of any text fits the
    pages; ordinary rows are not touched (and are never split across a page)."""
    out: list[list[object]] = []
    for row in rows:
        pieces = [_row_pieces(cell, width - CELL_PADDING) for cell, width in zip(row, widths)]
        count = max(len(p) for p in pieces)
        out += [[p[n] if n < len(p) else "" for p in pieces] for n in range(count)]
    return out


@dataclass
class _Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    head: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    section: ParagraphStyle
    approve: ParagraphStyle
    note: ParagraphStyle


def document_styles() -> _Styles:
    # Soft hyphens (put into words wider than their column, see Cell) break with a hyphen.
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5,
                          embeddedHyphenation=1)
    cell = ParagraphStyle("cell", fontName=CONDENSED, fontSize=8.5, leading=10.4,
                          embeddedHyphenation=1)
    return _Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        cell=cell,
        cell_bold=ParagraphStyle("cellBold", parent=cell, fontName=CONDENSED_BOLD),
        head=ParagraphStyle("head", parent=cell, fontName=CONDENSED_BOLD, alignment=TA_CENTER),
        title=ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19,
                             alignment=TA_CENTER, spaceBefore=4),
        subtitle=ParagraphStyle("subtitle", fontName=REGULAR, fontSize=10.5, leading=13,
                                alignment=TA_CENTER),
        section=ParagraphStyle("section", fontName=BOLD, fontSize=10.5, leading=13,
                               spaceBefore=9, spaceAfter=4),
        approve=ParagraphStyle("approve", fontName=REGULAR, fontSize=9.5, leading=13,
                               alignment=TA_LEFT),
        note=ParagraphStyle("note", fontName=ITALIC, fontSize=8.5, leading=11,
                            alignment=TA_CENTER, textColor=colors.HexColor("#333333")),
    )


def grid(rows: Sequence[Sequence[object]], widths: Sequence[float], header_rows: int = 1,
         **options: object) -> Table:
    """A ruled table of ``rows`` whose every row fits a page (see ``page_safe_rows``); the
    header rows repeat on each page the table runs over."""
    cells = page_safe_rows(table_cells(rows, widths, CELL_PADDING), widths)
    table = Table(cells, colWidths=list(widths), repeatRows=header_rows, **options)
    table.setStyle(TableStyle(grid_style(header_rows)
                              + looks_style(cells, GRID_LOOK, header_rows)))
    return table


#: How ``grid_style`` draws a string cell.
GRID_LOOK: _Look = (CONDENSED, 8.5, 10.4, "LEFT")


def grid_style(header_rows: int = 1) -> list[tuple]:
    style: list[tuple] = [
        # Plain-text cells (numbers, dates: nothing to wrap, and much faster than paragraphs)
        # in the cell font; reportlab's default would be Helvetica, which has no Cyrillic.
        ("FONTNAME", (0, 0), (-1, -1), CONDENSED),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("LEADING", (0, 0), (-1, -1), 10.4),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        style += [("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
                  ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE")]
    return style
