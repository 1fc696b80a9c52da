"""The decree's statistics as a PDF: A4 landscape, a chart per headline table, page x / y."""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.engine import suppressed
from daryn_desktop.core.stats.model import DATA, SUBTOTAL, Report
from daryn_desktop.core.stats.model import Table as StatTable
from daryn_desktop.files import open_whole
from daryn_desktop.i18n import gettext_for
from daryn_desktop.reports.fonts import BOLD, CONDENSED, CONDENSED_BOLD, REGULAR, register_fonts
from daryn_desktop.reports.roadmap_pdf import PAGE_OF
from daryn_desktop.reports.statistics import (
    BOLD_ROWS,
    HIDDEN_MARK,
    Rendered,
    heading_lines,
    render,
)

PAGE = landscape(A4)
MARGIN = 12 * mm
WIDTH = PAGE[0] - 2 * MARGIN
SERIES_COLOURS = (colors.HexColor("#2f6f9f"), colors.HexColor("#b8c9d9"))
GRID = colors.HexColor("#7d8a96")
BOLD_FILL = colors.HexColor("#eef2f6")
HEADER_FILL = colors.HexColor("#dde7f0")
#: The tables drawn as a chart, and which rows make its bars.
CHART_ROWS = {d.T1: (SUBTOTAL,), d.T2: (DATA,), d.T3: (DATA,), d.T5: (DATA,)}
#: Width of a character of the table's font, in mm (for the widths of text columns).
CHAR_MM = 1.6
#: At most this many bars groups in a chart (the largest first when there are more).
MAX_BARS = 24


class _NumberedCanvas(Canvas):
    """Draws "page x / y" on every page once the number of pages is known."""

    page_text = PAGE_OF
    page_words = staticmethod(lambda text: text)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(REGULAR, 7.5)
            self.drawRightString(PAGE[0] - MARGIN, 7 * mm, self.page_words(self.page_text).format(
                page=self._pageNumber, pages=total))
            super().showPage()
        super().save()


def chart(table: StatTable, shown: Rendered, lang: str, width: float) -> Drawing | None:
    """Bars of the table's two chart columns by district (or measure, level): this year
    next to the year before, or planned next to done."""
    kinds = CHART_ROWS.get(table.key)
    if not kinds or len(table.chart_columns) < 2:
        return None
    labels_n = len(table.label_titles)
    index = {c.key: i for i, c in enumerate(table.columns)}
    picked = [(row, values) for row, (kind, values) in zip(table.rows, shown.rows)
              if kind in kinds]
    if not picked:
        return None
    first, second = (index[k] for k in table.chart_columns[:2])

    def number(value: object) -> float:
        return float(value) if isinstance(value, (int, float)) else 0.0

    picked.sort(key=lambda p: -number(p[1][labels_n + first]))
    picked = picked[:MAX_BARS]
    height = 62 * mm
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    bars.x, bars.y = 12 * mm, 22 * mm
    bars.width, bars.height = width - 60 * mm, height - 28 * mm
    bars.data = [[number(v[labels_n + first]) for _r, v in picked],
                 [number(v[labels_n + second]) for _r, v in picked]]
    bars.categoryAxis.categoryNames = [str(v[0])[:18] for _r, v in picked]
    bars.categoryAxis.labels.fontName = CONDENSED
    bars.categoryAxis.labels.fontSize = 6
    bars.categoryAxis.labels.angle = 30
    bars.categoryAxis.labels.boxAnchor = "ne"
    bars.valueAxis.labels.fontName = CONDENSED
    bars.valueAxis.labels.fontSize = 6.5
    bars.valueAxis.valueMin = 0
    bars.groupSpacing = 4
    for number_, colour in enumerate(SERIES_COLOURS):
        bars.bars[number_].fillColor = colour
        bars.bars[number_].strokeColor = None
    drawing.add(bars)
    legend = Legend()
    legend.x, legend.y = width - 45 * mm, height - 10 * mm
    legend.fontName, legend.fontSize = CONDENSED, 7
    legend.alignment = "right"
    legend.colorNamePairs = [(SERIES_COLOURS[0], shown.headers[labels_n + first][:40]),
                             (SERIES_COLOURS[1], shown.headers[labels_n + second][:40])]
    drawing.add(legend)
    drawing.add(String(0, height - 4 * mm, shown.title, fontName=BOLD, fontSize=7.5))
    return drawing


def _grid(shown: Rendered) -> Table:
    cell = ParagraphStyle("cell", fontName=CONDENSED, fontSize=6.8, leading=8)
    head = ParagraphStyle("head", parent=cell, fontName=CONDENSED_BOLD)
    labels = sum(1 for k in shown.kinds if k == "label")
    # Label and text columns as wide as their longest line needs (within limits), numbers
    # share what is left; a column of short labels (a rank) stays narrow.
    caps = {"label": 48 * mm, "text": 90 * mm}
    widths: list[float] = []
    for index, kind in enumerate(shown.kinds):
        if kind in caps:
            longest = max((len(str(values[index] or "")) for _k, values in shown.rows),
                          default=0)
            longest = max(longest, max((len(w) for w in shown.headers[index].split()),
                                       default=0))
            widths.append(min(caps[kind], max(12 * mm, longest * CHAR_MM * mm)))
        else:
            widths.append(0.0)
    numbers = widths.count(0.0)
    left = WIDTH - sum(widths)
    if numbers and left < numbers * 11 * mm:
        # Too wide: the text columns give way so that every number keeps 11 mm.
        texts = sum(widths)
        scale = max(0.3, (WIDTH - numbers * 11 * mm) / texts) if texts else 1.0
        widths = [w * scale for w in widths]
        left = WIDTH - sum(widths)
    widths = [w or left / max(numbers, 1) for w in widths]
    data = [[Paragraph(escape(h), head) for h in shown.headers]]
    style = [("FONTNAME", (0, 0), (-1, -1), CONDENSED), ("FONTSIZE", (0, 0), (-1, -1), 6.8),
             ("GRID", (0, 0), (-1, -1), 0.4, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
             ("ALIGN", (labels, 1), (-1, -1), "RIGHT"),
             ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    for number, (kind, values) in enumerate(shown.rows, start=1):
        line = []
        for value, k in zip(values, shown.kinds):
            if value is None:
                line.append("")
            elif k in ("label", "text"):
                line.append(Paragraph(escape(str(value)), cell))
            elif k == "share" and isinstance(value, float):
                line.append(f"{value:.1%}")
            elif isinstance(value, float):
                line.append(f"{value:g}")
            else:
                line.append(str(value))
        data.append(line)
        if kind in BOLD_ROWS:
            style += [("FONTNAME", (0, number), (-1, number), CONDENSED_BOLD),
                      ("BACKGROUND", (0, number), (-1, number), BOLD_FILL)]
    grid = Table(data, colWidths=widths, repeatRows=1)
    grid.setStyle(TableStyle(style))
    return grid


def write_pdf(report: Report, path: str | os.PathLike[str], *, lang: str,
              suppress_below: int = d.DEFAULT_SUPPRESS_BELOW) -> Path:
    """Every table of ``report``, each on new pages after its heading and chart."""
    register_fonts()
    _ = gettext_for(lang)
    path = Path(path)
    title = ParagraphStyle("title", fontName=BOLD, fontSize=12, leading=15, spaceAfter=3)
    small = ParagraphStyle("small", fontName=REGULAR, fontSize=7.5, leading=9.5)
    story: list = []
    mark = HIDDEN_MARK.format(k=suppress_below)
    for number, table in enumerate(suppressed(report.tables, suppress_below)):
        shown = render(table, lang, hidden_mark=mark)
        if number:
            story.append(PageBreak())
        story.append(Paragraph(escape(shown.title), title))
        for line in heading_lines(report, lang, suppress_below, personal=shown.personal):
            story.append(Paragraph(escape(line), small))
        story.append(Spacer(1, 3 * mm))
        drawing = chart(table, shown, lang, WIDTH)
        if drawing is not None:
            story += [drawing, Spacer(1, 3 * mm)]
        story.append(_grid(shown))
        for note in shown.notes:
            story.append(Paragraph(escape(note), small))
    canvas = type("StatsCanvas", (_NumberedCanvas,), {"page_words": staticmethod(_)})
    with open_whole(path) as out:
        doc = SimpleDocTemplate(out, pagesize=PAGE, leftMargin=MARGIN,
                                rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=14 * mm,
                                title=_("Statistics of gifted children"), author="Daryn Desktop")
        doc.build(story, canvasmaker=canvas)
    return path
