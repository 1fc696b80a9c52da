"""The road-map document on A4: layout of one road map, and chunks of several, with reportlab.

A road map starts on a new page; every page carries the pupil's name, the year, "page i / n"
counted within that road map, and the date the document was generated. The total page count
is drawn through a PDF form defined once the road map's last page is known, so that a chunk
is laid out in a single pass.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.entities import Activity, Staff
from daryn_desktop.core.enums import RoadMapStatus
from daryn_desktop.core.roadmap import RoadMapDocument
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.i18n import N_, gettext_for
from daryn_desktop.reports.fonts import (
    BOLD,
    CONDENSED,
    CONDENSED_BOLD,
    ITALIC,
    REGULAR,
    register_fonts,
)
from daryn_desktop.reports.hyphen import fit_words

PAGE_WIDTH, PAGE_HEIGHT = A4
# Official documents leave a wide left margin for binding into a folder.
LEFT, RIGHT, TOP, BOTTOM = 25 * mm, 12 * mm, 14 * mm, 18 * mm
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
GRID = colors.HexColor("#6b6b6b")
HEADER_FILL = colors.HexColor("#e6e6e6")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

# Message ids of the document (translated with the document's language, not the UI's).
TITLE = N_("INDIVIDUAL ROAD MAP")
SUBTITLE = N_("for supporting and developing the abilities of a gifted pupil")
PAGE_OF = N_("Page {page} / {pages}")
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


def table_cells(rows: list[list[object]], widths: Sequence[float], padding: float
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


def looks_style(rows: list[list[object]], default: _Look, header_rows: int) -> list[tuple]:
    """Table style commands that give each string cell of ``rows`` its look where it is not
    ``default``: the header rows in runs along the row, the others down the column."""
    commands: list[tuple] = []
    names = ("FONTNAME", "FONTSIZE", "LEADING", "ALIGN")

    def emit(look: _Look, start: tuple[int, int], end: tuple[int, int]) -> None:
        for name, value, usual in zip(names, look, default):
            if value != usual:
                commands.append((name, start, end, value))

    def looks(cells: list[object]) -> list[_Look]:
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


def grid(rows: list[list[object]], widths: Sequence[float], header_rows: int = 1,
         **options: object) -> Table:
    """A ruled table of ``rows`` whose every row fits a page (see ``page_safe_rows``); the
    header rows repeat on each page the table runs over."""
    rows = page_safe_rows(table_cells(rows, widths, CELL_PADDING), widths)
    table = Table(rows, colWidths=list(widths), repeatRows=header_rows, **options)
    table.setStyle(TableStyle(grid_style(header_rows)
                              + looks_style(rows, GRID_LOOK, header_rows)))
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


@dataclass
class _PageInfo:
    """What the page decoration of the current road map needs."""

    running_title: str
    watermark: str | None
    form_name: str
    generated: str
    page_of: str
    page: int = 0


class _MapStart(Flowable):
    """Zero-size marker at the start of a road map (or the end of a chunk, with ``info=None``).

    When drawn it closes the previous road map by defining its page-count form, and makes
    ``info`` the current one for the page decoration.
    """

    def __init__(self, layout: RoadMapLayout, info: _PageInfo | None, starts: list[int]):
        super().__init__()
        self.layout, self.info, self.starts = layout, info, starts
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if self.info is not None:
            self.starts.append(self.canv.getPageNumber() - 1)
        self.layout.start_map(self.canv, self.info)


_streams_lock = threading.Lock()


@contextmanager
def _binary_streams() -> Iterator[None]:
    """reportlab writes the compressed streams as they are, not also as ASCII85 text.

    ASCII85 (a quarter more bytes, for 7-bit mail of old) is the slowest step of saving a
    chunk without reportlab's C accelerator. The setting is global in reportlab: switched
    for the time of one build only, and one build at a time (printing runs on a worker).
    """
    with _streams_lock:
        previous = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = previous


class RoadMapLayout:
    """Lays out road-map documents; each in its own language ("kk", "ru" or "en").

    ``lang`` is the language of documents given without one. Documents of different
    languages share one PDF (and so one embedding of the fonts).
    """

    def __init__(self, lang: str = "kk", *, generated: date | None = None):
        register_fonts()
        self.default_lang = lang
        self._use(lang)
        self.generated = generated or date.today()
        self.s = document_styles()
        self._current: _PageInfo | None = None
        self._closing = False
        self._count = 0

    # -- page decoration -------------------------------------------------------------------
    def start_map(self, canv: Canvas, info: _PageInfo | None) -> None:
        if info is None:
            # The end of the chunk: its last page is decorated after this marker is drawn,
            # so the last road map is closed then.
            self._closing = True
            return
        self._close(canv)
        self._current = info

    def _close(self, canv: Canvas) -> None:
        """Define the page-count form of the road map that has just ended."""
        previous, self._current = self._current, None
        if previous is not None:
            canv.beginForm(previous.form_name)
            canv.setFont(REGULAR, 7.5)
            canv.drawString(0, 0, str(previous.page))
            canv.endForm()

    def _decorate(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        info = self._current
        if info is None:
            return
        info.page += 1
        canv.saveState()
        if info.watermark:
            canv.setFont(BOLD, 64)
            canv.setFillColor(colors.Color(0.55, 0.55, 0.55, alpha=0.16))
            canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canv.rotate(50)
            canv.drawCentredString(0, 0, info.watermark)
            canv.rotate(-50)
            canv.translate(-PAGE_WIDTH / 2, -PAGE_HEIGHT / 2)
        canv.setFillColor(colors.black)
        canv.setStrokeColor(GRID)
        canv.setLineWidth(0.4)
        if info.page > 1:
            canv.setFont(REGULAR, 7.5)
            canv.drawString(LEFT, PAGE_HEIGHT - TOP + 4 * mm, info.running_title)
            top = PAGE_HEIGHT - TOP + 3 * mm
            canv.line(LEFT, top, PAGE_WIDTH - RIGHT, top)
        y = BOTTOM - 9 * mm
        canv.line(LEFT, y + 3.5 * mm, PAGE_WIDTH - RIGHT, y + 3.5 * mm)
        canv.setFont(REGULAR, 7.5)
        canv.drawString(LEFT, y, info.running_title)
        canv.drawString(LEFT, y - 3.4 * mm, info.generated)
        # "Page 3 / {pages}": the total is a form defined when the road map ends.
        before, _sep, after = info.page_of.partition("{pages}")
        before = before.format(page=info.page)
        after = after.format(page=info.page)
        total_width = canv.stringWidth("000", REGULAR, 7.5)
        x_end = PAGE_WIDTH - RIGHT
        after_width = canv.stringWidth(after, REGULAR, 7.5)
        x_total = x_end - after_width - total_width
        canv.drawRightString(x_total, y, before)
        canv.saveState()
        canv.translate(x_total, y)
        canv.doForm(info.form_name)
        canv.restoreState()
        if after:
            canv.drawRightString(x_end, y, after)
        canv.restoreState()
        if self._closing:
            self._closing = False
            self._close(canv)

    # -- building --------------------------------------------------------------------------
    def _use(self, lang: str) -> None:
        self.lang = lang
        self.t: Callable[[str], str] = gettext_for(lang)

    def render(self, documents: Sequence[RoadMapDocument],
               languages: Sequence[str] | None = None) -> tuple[bytes, list[int]]:
        """One PDF of ``documents`` (in ``languages``, one per document, or the default
        language) and the index of each one's first page in it."""
        self._use(languages[0] if languages else self.default_lang)
        buffer = BytesIO()
        doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT,
                              topMargin=TOP, bottomMargin=BOTTOM, title=self.t(TITLE),
                              author="Daryn Desktop", creator="Daryn Desktop",
                              initialFontName=REGULAR)
        frame = Frame(LEFT, BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - TOP - BOTTOM, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate("page", [frame], onPageEnd=self._decorate)])
        story: list[Flowable] = []
        starts: list[int] = []
        self._current, self._closing = None, False
        for i, document in enumerate(documents):
            self._use(languages[i] if languages else self.default_lang)
            if i:
                story.append(PageBreak())
            story.append(_MapStart(self, self._page_info(document), starts))
            story += self.story(document)
        story.append(_MapStart(self, None, starts))
        with _binary_streams():
            doc.build(story)
        return buffer.getvalue(), starts

    def _page_info(self, document: RoadMapDocument) -> _PageInfo:
        _ = self.t
        self._count += 1
        watermark = None
        if document.road_map.status == RoadMapStatus.DRAFT and not document.as_signed:
            watermark = _("DRAFT")
        running = " · ".join((_("Individual road map"), document.pupil.full_name,
                              _("{year} academic year").format(year=self._year(document))))
        return _PageInfo(running_title=running, watermark=watermark,
                         form_name=f"pages{self._count}",
                         generated=_("Generated on {date} with Daryn Desktop").format(
                             date=format_date(self.generated)),
                         page_of=_(PAGE_OF))

    def _year(self, document: RoadMapDocument) -> str:
        year = AcademicYear.parse(document.road_map.academic_year)
        return f"{year.start}–{year.start + 1}"

    # -- one road map --------------------------------------------------------------------
    def story(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        out: list[Flowable] = [self._approval(d), Spacer(1, 4 * mm),
                               text_para(_(TITLE), s.title),
                               text_para(_(SUBTITLE), s.subtitle),
                               text_para(_("{year} academic year").format(
                                   year=self._year(d)), s.subtitle)]
        version = self._version_line(d)
        if version:
            out += [Spacer(1, 1.5 * mm), text_para(version, s.note)]
        out += [Spacer(1, 4 * mm), self._place_table(d)]
        out += self._pupil_section(d)
        out += self._identification_section(d)
        out += self._strengths_section(d)
        out += self._goals_section(d)
        out += self._activities_section(d)
        out += self._reviews_section(d)
        out += self._amendments_section(d)
        out.append(self._signatures(d))
        return out

    def _version_line(self, d: RoadMapDocument) -> str | None:
        _ = self.t
        if d.as_signed:
            return _("Version as signed on {date}").format(date=format_date(d.snapshot_date))
        if d.road_map.status == RoadMapStatus.DRAFT:
            return _("Draft: not yet signed")
        if d.amendments:
            return _("Current version, with the amendments listed in section 7")
        return None

    def _section(self, number: int, title: str) -> list[Flowable]:
        # A heading never stays alone at the bottom of a page.
        return [CondPageBreak(28 * mm), text_para(f"{number}. {title}", self.s.section)]

    def _approval(self, d: RoadMapDocument) -> Flowable:
        _, s = self.t, self.s
        head = d.school_head.short_name if d.school_head else ""
        approved = escape(_("APPROVED"))
        lines = [f"<font name='{BOLD}'>{approved}</font>",
                 escape(_("School head")),
                 escape(d.school.name),
                 f"_______________ {escape(head)}",
                 escape(_("“___” ____________ 20___"))]
        block = Paragraph("<br/>".join(lines), s.approve)
        table = Table([["", block]], colWidths=[TEXT_WIDTH - 72 * mm, 72 * mm])
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return table

    def _place_table(self, d: RoadMapDocument) -> Flowable:
        _, s = self.t, self.s
        places = gazetteer()
        district = places.find(d.school.district_kato)
        region = places.region_of(d.school.district_kato) if district else None
        rows = [
            (_("Region"), region.name(self.lang) if region else "—"),
            (_("District (city)"), district.name(self.lang) if district else "—"),
            (_("School"), d.school.name),
            (_("Academic year"), self._year(d)),
        ]
        data = [[cell(k, s.cell_bold), cell(v, s.cell)] for k, v in rows]
        return grid(data, [45 * mm, TEXT_WIDTH - 45 * mm], 0)

    def _person(self, staff: Staff | None) -> str:
        if staff is None:
            return "—"
        return staff.full_name

    def _pupil_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        pupil = d.pupil
        places = gazetteer()
        settlement = places.find(pupil.settlement_kato or d.school.settlement_kato)
        where = "—"
        if settlement is not None:
            kind = _("rural area") if settlement.is_rural else _("urban area")
            where = f"{settlement.name(self.lang)} ({kind})"
        on = d.snapshot_date or self.generated
        categories = "; ".join(self._category(c) for c in d.categories_on(on)) or "—"
        guardians = "\n".join(
            ", ".join(p for p in (g.full_name, _(g.relation.label_id) if g.relation else "",
                                  g.phone or "") if p)
            for g in d.guardians) or "—"
        language = pupil.language or d.school.language
        rows = [
            (_("Surname, name, patronymic"), pupil.full_name),
            (_("IIN"), pupil.iin),
            (_("Date of birth"), format_date(pupil.birth_date) or "—"),
            (_("Grade"), pupil.grade_label),
            (_("Language of instruction"), _(language.label_id) if language else "—"),
            (_("Place of residence"), where),
            (_("Family category"), categories),
            (_("Parents or guardians"), guardians),
            (_("Coordinator"), self._person(d.coordinator)),
            (_("Mentor"), self._person(d.mentor)),
            (_("Psychologist"), self._person(d.psychologist)),
        ]
        data = [[cell(k, s.cell_bold), cell(v, s.cell)] for k, v in rows]
        data[0][1] = cell(pupil.full_name, s.cell_bold)
        table = grid(data, [45 * mm, TEXT_WIDTH - 45 * mm], 0)
        return [*self._section(1, _("Information about the pupil")), table]

    def _category(self, record) -> str:
        label = self.t(record.category.label_id)
        if record.since:
            _ = self.t
            return _("{category} (since {date})").format(category=label,
                                                               date=format_date(record.since))
        return label

    def _identification_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        out = self._section(2, _("How the ability was identified"))
        if d.road_map.identification:
            out += [para(d.road_map.identification, s.body), Spacer(1, 2 * mm)]
        if d.diagnostics:
            head = [cell(h, s.head) for h in (_("Date"), _("Method"), _("Result"),
                                            _("Conducted by"))]
            rows = [[format_date(x.date), cell(_(x.method.label_id), s.cell),
                     cell(x.result, s.cell), cell(x.conducted_by, s.cell)] for x in d.diagnostics]
            out.append(grid([head, *rows], [20 * mm, 45 * mm, TEXT_WIDTH - 105 * mm, 40 * mm]))
        if d.achievements:
            out.append(Spacer(1, 2 * mm))
            head = [cell(h, s.head) for h in (_("Year"), _("Event"), _("Level"), _("Result"))]
            rows = [[a.academic_year,
                     cell(a.event_name + (f" ({a.subject})" if a.subject else ""), s.cell),
                     cell(_(a.level.label_id), s.cell), cell(_(a.award.label_id), s.cell)]
                    for a in d.achievements]
            out.append(grid([head, *rows], [20 * mm, TEXT_WIDTH - 95 * mm, 35 * mm, 40 * mm]))
        if not (d.road_map.identification or d.diagnostics or d.achievements):
            out.append(para("—", s.body))
        return out

    def _strengths_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        areas = "; ".join(f"{_(a.kind.label_id)}: {a.field}" for a in d.areas) or "—"
        rows = [(_("Areas of giftedness"), areas),
                (_("Strengths"), d.road_map.strengths or "—"),
                (_("Interests"), d.road_map.interests or "—")]
        table = grid([[cell(k, s.cell_bold), cell(v, s.cell)] for k, v in rows],
                     [45 * mm, TEXT_WIDTH - 45 * mm], 0)
        return [*self._section(3, _("Strengths, interests and areas of giftedness")), table]

    def _goals_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        out = self._section(4, _("Goals for the year"))
        if not d.goals:
            return [*out, para("—", s.body)]
        head = [cell("№", s.head), cell(_("Goal"), s.head), cell(_("Achieved"), s.head)]
        rows = [[str(i), cell(g.text, s.cell),
                 cell(_("yes") if g.achieved else "", s.cell, empty="")]
                for i, g in enumerate(d.goals, start=1)]
        return [*out, grid([head, *rows], [9 * mm, TEXT_WIDTH - 34 * mm, 25 * mm])]

    def _dates(self, a: Activity) -> str:
        _ = self.t
        start = format_date(a.start_date)
        if a.due_date is not None:
            due = format_date(a.due_date)
            if start and start != due:
                return f"{start} –\n{due}"
            return due
        if a.due_quarter:
            quarter = _("quarter {number}").format(number=ROMAN.get(a.due_quarter,
                                                                    str(a.due_quarter)))
            return f"{start} –\n{quarter}" if start else quarter
        return start or "—"

    def _activities_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        out = self._section(5, _("Plan of activities"))
        if not d.activities:
            return [*out, para("—", s.body)]
        head = [cell(h, s.head) for h in ("№", _("Type of support"), _("Activity"),
                                        _("Responsible"), _("Dates"), _("Status"),
                                        _("Result"))]
        rows = []
        for i, a in enumerate(d.activities, start=1):
            rows.append([str(i), cell(_(a.measure.label_id), s.cell),
                         cell(a.title, s.cell), cell(a.responsible, s.cell), self._dates(a),
                         cell(_(a.status.label_id), s.cell),
                         cell(a.result, s.cell, empty="")])
        # "Ответственный", the widest header word, fits the responsible column.
        widths = [7 * mm, 26 * mm, 0, 26 * mm, 21 * mm, 25 * mm, 28 * mm]
        widths[2] = TEXT_WIDTH - sum(widths)
        # Rows are never split across pages (a too tall one is continued below instead).
        return [*out, grid([head, *rows], widths, splitInRow=0)]

    def _reviews_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        out = self._section(6, _("Quarterly reviews"))
        if not d.reviews:
            return [*out, para(_("No reviews yet."), s.body)]
        head = [cell(h, s.head) for h in (_("Quarter"), _("Date"), _("Progress and changes"),
                                        _("Author"))]
        rows = [[ROMAN.get(r.quarter, str(r.quarter)), format_date(r.date), cell(r.text, s.cell),
                 cell(r.author, s.cell)]
                for r in d.reviews]
        # "Четверть" fits the quarter column.
        return [*out, grid([head, *rows], [17 * mm, 20 * mm, TEXT_WIDTH - 77 * mm, 40 * mm])]

    def _amendments_section(self, d: RoadMapDocument) -> list[Flowable]:
        _, s = self.t, self.s
        out = self._section(7, _("Amendments after signing"))
        if not d.amendments:
            return [*out, para(_("None."), s.body)]
        head = [cell(h, s.head) for h in ("№", _("Date"), _("Reason"), _("What changed"))]
        rows = [[str(a.number), format_date(a.date),
                 cell(a.reason, s.cell), cell(a.summary, s.cell)] for a in d.amendments]
        return [*out, grid([head, *rows], [9 * mm, 20 * mm, 50 * mm, TEXT_WIDTH - 79 * mm])]

    def _signatures(self, d: RoadMapDocument) -> Flowable:
        _, s = self.t, self.s
        guardian = d.guardians[0].full_name if d.guardians else ""

        def short(staff: Staff | None) -> str:
            return staff.short_name if staff else ""

        people = [(_("Coordinator"), short(d.coordinator)),
                  (_("Mentor (class teacher)"), short(d.mentor)),
                  (_("Psychologist"), short(d.psychologist)),
                  (_("Parent or guardian"), guardian),
                  (_("School head"), short(d.school_head))]
        blank = "________________"
        rows = [[cell(_("Role"), s.head), cell(_("Full name"), s.head),
                 cell(_("Signature"), s.head), cell(_("Date"), s.head)]]
        for role, name in people:
            rows.append([cell(role, s.cell), cell(name, s.cell, empty=""), cell(blank, s.cell),
                         cell(_("“___” ________ 20___"), s.cell)])
        widths = [45 * mm, 45 * mm, 38 * mm, TEXT_WIDTH - 128 * mm]
        # Left padding 2 and reportlab's right padding 6; its font size 10 and leading 12.
        rows = table_cells(rows, widths, 2 + 6)
        table = Table(rows, colWidths=widths)
        style = [("FONTNAME", (0, 0), (-1, -1), REGULAR),
                 ("LINEBELOW", (0, 0), (-1, 0), 0.6, GRID),
                 ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                 ("TOPPADDING", (0, 1), (-1, -1), 7),
                 ("LEFTPADDING", (0, 0), (-1, -1), 2)]
        table.setStyle(TableStyle(style + looks_style(rows, (REGULAR, 10, 12, "LEFT"), 0)))
        signed = d.road_map.signed_date
        footer = (_("Signed on {date}").format(date=format_date(signed)) if signed
                  else _("Date of signing: “___” ____________ 20___"))
        return KeepTogether([CondPageBreak(60 * mm),
                             text_para(_("Signatures"), s.section), table,
                             Spacer(1, 3 * mm), text_para(footer, s.body),
                             text_para(_("The parent or guardian has read the road map"
                                         " and agrees with it."), s.small)])

