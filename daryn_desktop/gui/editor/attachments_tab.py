"""The editor's Attachments tab: scanned diplomas and consent forms (PDF, JPG, PNG)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import AttachmentKind
from daryn_desktop.errors import UserError
from daryn_desktop.files import open_private, os_reason, private_dir
from daryn_desktop.gui.editor.record_table import ENUM, TEXT, ColumnSpec, RecordTable
from daryn_desktop.gui.files import open_file
from daryn_desktop.gui.widgets import FieldMessage
from daryn_desktop.i18n import N_, _
from daryn_desktop.paths import app_paths

if TYPE_CHECKING:
    from daryn_desktop.gui.editor.host import RecordHost
    from daryn_desktop.storage.registry import PupilRecord

#: Scans larger than this are refused: the database travels on USB sticks.
MAX_BYTES = 20 * 1024 * 1024
#: Accepted file types, recognised by their first bytes (not by the name).
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"),
              (b"\x89PNG\r\n\x1a\n", "image/png"))


class UnsupportedFile(UserError):
    message = N_("“{name}” is not a PDF, JPG or PNG file.")
    hint = N_("Scan the document to PDF, JPG or PNG and add that file.")


class FileTooLarge(UserError):
    message = N_("“{name}” is {size} MB; attachments can be at most {max} MB.")
    hint = N_("Scan with a lower resolution or in grey.")


class AlreadyAttached(UserError):
    message = N_("This file is already attached as “{name}”.")


def sniff_mime(data: bytes) -> str | None:
    """The MIME type of a PDF, JPEG or PNG by its content; None for anything else."""
    for signature, mime in SIGNATURES:
        if data.startswith(signature):
            return mime
    return None


def opened_files_dir() -> Path:
    """Where attachments are written for the system viewer (emptied when the program ends)."""
    return app_paths().data / "opened"


def _safe_name(name: str) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .")
    return cleaned[:100] or "attachment"


class AttachmentsTab(QWidget):
    """Documents of the pupil, with a preview of the selected one."""

    def __init__(self, editor: RecordHost, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = editor
        self.files = RecordTable(
            editor, "attachments", _("Attached documents"), [
                ColumnSpec("filename", N_("File"), TEXT, width=240, optional=False),
                ColumnSpec("kind", N_("Document"), ENUM, AttachmentKind, width=220,
                           optional=False),
                ColumnSpec("note", N_("Note"), width=160),
            ],
            lambda r: None, self)
        self.files.add_button.hide()
        self.files.remove_button.setText(_("Remove"))
        self.add_button = QPushButton(_("&Add a file…"), self)
        self.add_button.setObjectName("addAttachment")
        self.add_button.clicked.connect(lambda _checked=False: self.choose_file())
        self.open_button = QPushButton(_("&Open in the viewer"), self)
        self.open_button.setObjectName("openAttachment")
        self.open_button.clicked.connect(lambda _checked=False: self.open_current())
        self.message = FieldMessage(self)
        self.preview = QLabel(self)
        self.preview.setObjectName("attachmentPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumWidth(220)
        self.preview.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.files, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.message)
        left_layout.addWidget(QLabel(_("PDF, JPG or PNG, up to {max} MB. The files are kept"
                                       " inside the encrypted database.").format(
                                           max=MAX_BYTES // (1024 * 1024)), self))
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.files.view.selectionModel().currentChanged.connect(lambda *_a: self.show_preview())

    def load(self, record: PupilRecord) -> None:
        self.files.reload()
        self.show_preview()

    # -- adding ----------------------------------------------------------------------------
    def choose_file(self) -> None:
        chosen = open_file(self, _("Add a scanned document"),
                           _("Documents (*.pdf *.jpg *.jpeg *.png)"))
        if chosen is not None:
            self.add_file(chosen)

    def add_file(self, path: Path, kind: AttachmentKind = AttachmentKind.OTHER) -> bool:
        """Attach a file to the record being edited (stored when the pupil is saved)."""
        try:
            attachment, data = self._read(path, kind)
        except UserError as exc:
            self.message.show_message(exc.translated())
            return False
        except OSError as exc:
            self.message.show_message(_("The file could not be read: {reason}").format(
                reason=os_reason(exc)))
            return False
        self.message.show_message(None)

        def change(record: PupilRecord) -> None:
            record.new_files[attachment.sha256] = data
            record.attachments.append(attachment)

        self.editor.edit("attachments.add", change, merge=False)
        self.files.view.setCurrentIndex(self.files.model.index(self.files.model.rowCount() - 1,
                                                               0))
        return True

    def _read(self, path: Path, kind: AttachmentKind) -> tuple[e.Attachment, bytes]:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FileTooLarge(name=path.name, size=round(size / (1024 * 1024), 1),
                               max=MAX_BYTES // (1024 * 1024))
        data = path.read_bytes()
        mime = sniff_mime(data)
        if mime is None:
            raise UnsupportedFile(name=path.name)
        digest = hashlib.sha256(data).hexdigest()
        for existing in self.editor.record.attachments:
            if existing.sha256 == digest:
                raise AlreadyAttached(name=existing.filename)
        attachment = e.Attachment(pupil_id=self.editor.record.pupil.id, sha256=digest,
                                  filename=path.name, mime=mime, size=len(data), kind=kind)
        return attachment, data

    # -- viewing ---------------------------------------------------------------------------
    def current(self) -> e.Attachment | None:
        index = self.files.view.currentIndex()
        items = self.editor.record.attachments
        return items[index.row()] if index.isValid() and index.row() < len(items) else None

    def content(self, attachment: e.Attachment) -> bytes:
        data = self.editor.record.new_files.get(attachment.sha256)
        return data if data is not None else self.editor.store.repos.attachments.content(
            attachment.sha256)

    def show_preview(self) -> None:
        attachment = self.current()
        self.open_button.setEnabled(attachment is not None)
        if attachment is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(_("Select a document to see it here."))
            return
        size_kb = max(1, round(attachment.size / 1024))
        if attachment.mime.startswith("image/"):
            pixmap = QPixmap()
            if pixmap.loadFromData(self.content(attachment)):
                self.preview.setPixmap(pixmap.scaled(
                    self.preview.width() or 300, max(self.preview.height(), 300),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation))
                return
        self.preview.setPixmap(QPixmap())
        self.preview.setText(_("{name}\nPDF document, {size} KB.\nUse “Open in the viewer” to"
                               " read it.").format(name=attachment.filename, size=size_kb))

    def open_current(self) -> Path | None:
        """Write the selected document to a private folder and open it in the system viewer."""
        attachment = self.current()
        if attachment is None:
            return None
        folder = private_dir(opened_files_dir())
        target = folder / f"{attachment.sha256[:8]}-{_safe_name(attachment.filename)}"
        with open_private(target) as fh:  # a pupil's document: for this user's eyes only
            fh.write(self.content(attachment))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        return target
