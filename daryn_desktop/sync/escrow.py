"""The printed escrow key of a regional centre: the secret as text and as a QR code.

The sheet goes into a safe. With it, IT staff can open any bundle by hand with the standard
``age`` tool, or restore a region whose PC died.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from daryn_desktop.files import write_atomic
from daryn_desktop.i18n import _
from daryn_desktop.paths import resource_path

_FONT = "DejaVuSans"


def _register_font() -> str:
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(_FONT, str(resource_path("fonts", "DejaVuSans.ttf"))))
    mono = "DejaVuSansMono"
    path = resource_path("fonts", "DejaVuSansMono.ttf")
    if path.exists():
        if mono not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(mono, str(path)))
        return mono
    return _FONT


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` that fit ``width``; a long unbroken key is cut anywhere."""
    lines: list[str] = []
    for line in simpleSplit(text, font, size, width):
        while pdfmetrics.stringWidth(line, font, size) > width:
            cut = len(line)
            while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


def terminal_qr(secret: str) -> str:
    """The QR code drawn with block characters, for a terminal."""
    out = io.StringIO()
    segno.make(secret, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def write_escrow_sheet(path: Path, secret: str, recipient: str, region_name: str) -> Path:
    """An A4 PDF with the escrow secret key in large text and as a QR code.

    Readable by its owner only (it holds the secret), written atomically; its fonts are
    embedded (reportlab's default Helvetica, which is not, is never used).
    """
    mono = _register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, initialFontName=_FONT)
    width, height = A4
    y = height - 25 * mm
    pdf.setFont(_FONT, 16)
    pdf.drawString(20 * mm, y, _("Escrow key of the regional centre"))
    y -= 9 * mm
    pdf.setFont(_FONT, 11)
    text_width = width - 40 * mm
    for paragraph in (region_name,
                      _("Printed on {date}").format(date=date.today().strftime("%d.%m.%Y")),
                      _("Keep this sheet in a safe. Whoever holds it can read every sync"
                        " bundle."),
                      _("Public key (for checking): {recipient}").format(recipient=recipient)):
        for line in _wrap(paragraph, _FONT, 11, text_width):
            pdf.drawString(20 * mm, y, line)
            y -= 6 * mm
    y -= 4 * mm
    pdf.setFont(mono, 10)
    # The secret is long: print it in two halves so that it fits the page.
    half = len(secret) // 2
    for part in (secret[:half], secret[half:]):
        pdf.drawString(20 * mm, y, part)
        y -= 6 * mm
    qr = segno.make(secret, error="m")
    matrix = list(qr.matrix)
    module = 2.2 * mm
    size = len(matrix) * module
    top = y - 8 * mm
    left = (width - size) / 2
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(left + c * module, top - (r + 1) * module, module, module, stroke=0,
                         fill=1)
    y = top - size - 10 * mm
    pdf.setFont(_FONT, 9)
    for line in _wrap(_("To open a bundle by hand: cut off its signed header (see the README)"
                        " and run “age -d -i key.txt”, where key.txt holds the key above on"
                        " one line."), _FONT, 9, text_width):
        pdf.drawString(20 * mm, y, line)
        y -= 5 * mm
    pdf.showPage()
    pdf.save()
    return write_atomic(Path(path), buffer.getvalue())
