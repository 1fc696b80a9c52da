"""Printing a statistics PDF (A4 landscape) through the system's print dialog."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from daryn_desktop.gui.roadmaps.printing import MAX_DPI, page_images


def print_landscape(parent: QWidget | None, data: bytes, title: str) -> bool:
    """The print dialog, then every page of the landscape PDF ``data`` to the printer."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        for number, image in enumerate(page_images(data, min(printer.resolution(), MAX_DPI))):
            if number:
                printer.newPage()
            painter.drawImage(QRectF(printer.pageLayout().fullRectPixels(printer.resolution())),
                              image)
    finally:
        painter.end()
    return True
