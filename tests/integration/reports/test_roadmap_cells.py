"""Road-map table cells drawn as strings (the fast way) land on the page exactly where, in
the font and size, the paragraphs they replace would have put them."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from daryn_desktop.reports import pdf_cells as rp

LETTERS = "ӘҒҚҢӨҰҮҺІ әғқңөұүһі"


@pytest.fixture(scope="module")
def styles():
    rp.register_fonts()
    return rp.document_styles()


def _rows(s) -> tuple[list[list[object]], int]:
    """A table with a header row, one-line, wrapping, multi-line, empty and untidy cells."""
    head = [rp.cell(h, s.head) for h in ("№", "Мероприятие", "Ответственный")]
    rows = [
        ["1", rp.cell(LETTERS, s.cell), rp.cell("Ұлықбек Ә.", s.cell)],
        ["2", rp.cell("Мамандандырылған мектепке дайындық " * 6, s.cell),
         rp.cell("Ата\nАна", s.cell)],
        ["3", rp.cell("екі  бос орын", s.cell), rp.cell("", s.cell, empty="")],
        ["4", rp.cell("Жауапкершілігі жоғарылатылған", s.cell_bold),
         rp.cell("тасымал\xadдау", s.cell)],
    ]
    return [head, *rows], 1


def _as_paragraphs(rows: list[list[object]]) -> list[list[object]]:
    return [[rp.Cell(v.text, v.style) if isinstance(v, rp.CellText) else v for v in row]
            for row in rows]


def _placed(table: Table) -> list[tuple[str, float, float, str, float]]:
    """Every piece of text on the page: text, x, y, font, size."""
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([table])
    found: list[tuple[str, float, float, str, float]] = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        name = str(font["/BaseFont"]).split("+")[-1] if font else ""
        found.append((text.strip(), round(x, 2), round(y, 2), name, round(size * tm[0], 2)))

    for page in PdfReader(BytesIO(buffer.getvalue())).pages:
        page.extract_text(visitor_text=visit)
    return sorted(found, key=lambda t: (-t[2], t[1]))


def test_string_cells_draw_what_the_paragraphs_drew(styles):
    rows, header_rows = _rows(styles)
    widths = [9 * mm, 60 * mm, 26 * mm]
    fast = rp.grid(rows, widths, header_rows)
    slow = Table(rp.page_safe_rows(_as_paragraphs(rows), widths), colWidths=widths,
                 repeatRows=header_rows)
    slow.setStyle(TableStyle(rp.grid_style(header_rows)))
    drawn, expected = _placed(fast), _placed(slow)
    assert drawn == expected
    assert any(LETTERS in text for text, *_rest in drawn)
    assert {font for *_rest, font, _size in drawn} >= {"DejaVuSansCondensed",
                                                       "DejaVuSansCondensed-Bold"}


def test_a_key_column_in_bold_draws_what_the_paragraphs_drew(styles):
    s = styles
    rows = [[rp.cell(k, s.cell_bold), rp.cell(v, s.cell)] for k, v in (
        ("Тегі, аты, әкесінің аты", "Әбілқайыров Ұлықбек Ғалымұлы"), ("ЖСН", "120304500123"),
        ("Ата-анасы", "Әбілқайырова Гүлнұр, анасы, +7 701 000 00 00\nӘбілқайыров Ғалым"))]
    widths = [45 * mm, 120 * mm]
    slow = Table(rp.page_safe_rows(_as_paragraphs(rows), widths), colWidths=widths)
    slow.setStyle(TableStyle(rp.grid_style(0)))
    assert _placed(rp.grid(rows, widths, 0)) == _placed(slow)


def test_only_plain_one_line_text_becomes_a_string(styles):
    s = styles
    width = 30 * mm
    cells = rp.table_cells([[rp.cell("Ұлықбек", s.cell), rp.cell("Ұлықбек " * 10, s.cell),
                             rp.cell("екі  бос", s.cell), rp.cell("a\xa0b", s.cell),
                             rp.cell("тасымал\xadдау", s.cell), rp.cell(None, s.head),
                             rp.cell("Ата\nАна", s.cell_bold)]], [width] * 7,
                           rp.CELL_PADDING)[0]
    assert [isinstance(c, str) for c in cells] == [True, False, False, False, False, True, True]
    assert cells[0] == "Ұлықбек" and cells[5] == "—" and cells[6] == "Ата\nАна"
    # The table is told the look of the header and bold cells; the others are its default.
    style = rp.looks_style([cells], rp.GRID_LOOK, 1)
    assert sorted(style) == [("ALIGN", (5, 0), (5, 0), "CENTER"),
                             ("FONTNAME", (5, 0), (5, 0), rp.CONDENSED_BOLD),
                             ("FONTNAME", (6, 0), (6, 0), rp.CONDENSED_BOLD)]
    # Below the header, cells of one look down a column take one command.
    column = rp.looks_style([["№"], cells[6:7], cells[6:7], cells[0:1]], rp.GRID_LOOK, 1)
    assert column == [("FONTNAME", (0, 1), (0, 2), rp.CONDENSED_BOLD)]
    assert not any(start[0] < 5 for _name, start, _end, _value in style)
