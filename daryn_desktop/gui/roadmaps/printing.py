"""Preview and print a PDF made by the reports layer, exactly as it is saved (via PDFium)."""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from daryn_desktop.i18n import _

#: Pages are rasterised at this resolution at most (sharp on paper, light on memory).
MAX_DPI = 300


def page_images(data: bytes, dpi: float):
    """The pages of the PDF ``data`` as images, one at a time."""
    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, prefer_bgrx=True)
            # BGRX in memory is Qt's RGB32 on little-endian machines; copy() detaches the
            # image from PDFium's buffer, which is freed with the bitmap.
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGB32).copy()
            bitmap.close()
            page.close()
            yield image
    finally:
        document.close()


def paint_pdf(printer: QPrinter, data: bytes) -> int:
    """Draw every page of ``data`` on ``printer``; returns the number of pages."""
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    dpi = min(printer.resolution(), MAX_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    count = 0
    try:
        for count, image in enumerate(page_images(data, dpi), start=1):
            if count > 1:
                printer.newPage()
            target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            painter.drawImage(target, image)
    finally:
        painter.end()
    return count


def preview_pdf(parent: QWidget | None, data: bytes, title: str) -> None:
    """Qt's print preview of the document, from which it can also be printed."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(_("Print preview — {title}").format(title=title))
    dialog.paintRequested.connect(lambda p: paint_pdf(p, data))
    dialog.resize(900, 1000)
    dialog.exec()


def print_pdf(parent: QWidget | None, data: bytes, title: str) -> bool:
    """The system print dialog, then the document to the chosen printer."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    return paint_pdf(printer, data) > 0
