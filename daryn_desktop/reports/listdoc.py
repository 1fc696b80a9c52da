"""A printed list on A4: title lines, tables (one per group), totals and signature lines.

The lists of the events and support part (a stage's team list, the forum invitations, the
scholarship order's list, a school's results history) share this layout: written to a
temporary file and renamed, with "page i / n" and the date generated on every page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from daryn_desktop.core.dates import format_date
from daryn_desktop.files import open_whole
from daryn_desktop.i18n import N_
from daryn_desktop.reports.fonts import REGULAR, register_fonts
from daryn_desktop.reports.pdf_cells import document_styles, grid_style, para
from daryn_desktop.reports.roadmap_pdf import PAGE_OF

GENERATED = N_("Generated on {date} with Daryn Desktop")
MARGIN = 20 * mm


@dataclass
class TableBlock:
    """One table of the document, under an optional heading."""

    headers: Sequence[str]
    #: Column widths in points; one 0 takes the rest of the line.
    widths: Sequence[float]
    rows: Sequence[Sequence[str]]
    heading: str | None = None
    #: The column printed in bold (the person's name), if any.
    bold_column: int | None = 1
    empty_text: str = ""


@dataclass
class ListDocument:
    title: str
    lines: Sequence[str]
    blocks: Sequence[TableBlock]
    #: Lines after the tables (totals, notes).
    after: Sequence[str] = ()
    #: Signature lines: "Head of the department ____________".
    signatures: Sequence[str] = ()
    landscape: bool = False
    metadata_title: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def numbered_canvas(footer: str, page_of: str, page_width: float) -> type[Canvas]:
    """A canvas that draws the footer and "page i / n" once the page count is known."""

    class _Numbered(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(REGULAR, 7.5)
                self.drawString(MARGIN, 10 * mm, footer)
                self.drawRightString(page_width - MARGIN, 10 * mm,
                                     page_of.format(page=number, pages=len(self._pages)))
                super().showPage()
            super().save()

    return _Numbered


def write_atomically(path: Path, build: Callable[[BinaryIO], None]) -> Path:
    """Build the file under a temporary name and rename it: never half a document."""
    with open_whole(path) as out:
        build(out)
    return path


def write_list(doc: ListDocument, out: str | os.PathLike[str], translate: Callable[[str], str],
               *, generated: date | None = None) -> Path:
    """Write ``doc`` as a PDF (texts already in the document's language)."""
    register_fonts()
    generated = generated or date.today()
    s = document_styles()
    size = landscape(A4) if doc.landscape else A4
    width = size[0] - 2 * MARGIN
    story: list[Any] = [Paragraph(escape(doc.title), s.title)]
    story += [Paragraph(escape(line), s.subtitle) for line in doc.lines if line]
    story.append(Spacer(1, 5 * mm))
    for block in doc.blocks:
        parts: list[Any] = []
        if block.heading:
            parts.append(Paragraph(escape(block.heading), s.section))
        widths = list(block.widths)
        if 0 in widths:
            widths[widths.index(0)] = width - sum(widths)
        if block.rows:
            rows = [[para(text, s.cell_bold if i == block.bold_column else s.cell)
                     for i, text in enumerate(row)] for row in block.rows]
            table = Table([[para(h, s.head) for h in block.headers], *rows], colWidths=widths,
                          repeatRows=1)
            table.setStyle(TableStyle(grid_style()))
            parts.append(table)
        else:
            parts.append(para(block.empty_text, s.body))
        # A heading never stays alone at the bottom of a page.
        story.append(KeepTogether(parts[:2]) if block.heading else parts[0])
        story += parts[2:] if block.heading else parts[1:]
    if doc.after:
        story.append(Spacer(1, 4 * mm))
        story += [Paragraph(escape(line), s.body) for line in doc.after]
    if doc.signatures:
        story.append(Spacer(1, 10 * mm))
        for line in doc.signatures:
            story += [Paragraph(escape(line), s.approve), Spacer(1, 5 * mm)]
    footer = translate(GENERATED).format(date=format_date(generated))
    canvas = numbered_canvas(footer, translate(PAGE_OF), size[0])

    def build(out: BinaryIO) -> None:
        pdf = SimpleDocTemplate(out, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN,
                                topMargin=15 * mm, bottomMargin=18 * mm,
                                title=doc.metadata_title or doc.title, author="Daryn Desktop",
                                initialFontName=REGULAR)
        pdf.build(story, canvasmaker=canvas)

    return write_atomically(Path(out), build)
