"""One PDF file written as it grows: pages of many small PDFs appended, memory kept flat.

reportlab keeps a whole document in memory until it is saved, which for a batch of
thousands of road maps would grow without bound. So a batch is rendered in small chunks,
and each chunk's pages are copied here into the output file at once: objects are renumbered
and written, and only their file offsets (eight bytes each), the page numbers and the
bookmarks stay in memory. Streams are copied still compressed, byte for byte.

The output is written under a temporary name and renamed only by :meth:`finish`, so a
cancelled or failed batch leaves no half-written file behind.
"""

from __future__ import annotations

import os
from array import array
from contextlib import suppress
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

_HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


def _text_string(text: str) -> bytes:
    """A PDF text string in UTF-16 (works for every Kazakh letter in every viewer)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


class PdfStreamWriter:
    """Appends whole PDFs (bytes) to one output file, page by page, with bookmarks."""

    def __init__(self, path: str | os.PathLike[str], *, title: str = ""):
        self.path = Path(path)
        self._part = self.path.with_name(self.path.name + ".part")
        self._out: BinaryIO = open(self._part, "wb")  # noqa: SIM115 - closed by finish/abort
        self._out.write(_HEADER)
        self._offsets = array("Q", [0])  # index: object number; 0 is the free entry
        self._pages = array("Q")  # object numbers of the pages, in order
        self._bookmarks: list[tuple[str, int]] = []  # (title, page object number)
        self._title = title
        self._catalog = self._allocate()
        self._tree = self._allocate()

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def _allocate(self) -> int:
        self._offsets.append(0)
        return len(self._offsets) - 1

    def _begin(self, number: int) -> None:
        self._offsets[number] = self._out.tell()
        self._out.write(b"%d 0 obj\n" % number)

    def _end(self) -> None:
        self._out.write(b"\nendobj\n")

    # -- copying the objects of one PDF --------------------------------------------------
    def append(self, data: bytes, bookmarks: list[tuple[str, int]] | None = None) -> int:
        """Copy every page of the PDF ``data``; ``bookmarks`` are (title, page index in it).

        Returns the number of pages added.
        """
        reader = PdfReader(BytesIO(data))
        numbers: dict[int, int] = {}
        queue: list[int] = []

        def renumber(ref: IndirectObject) -> int:
            new = numbers.get(ref.idnum)
            if new is None:
                new = numbers[ref.idnum] = self._allocate()
                queue.append(ref.idnum)
            return new

        first = len(self._pages)
        page_refs = []
        for page in reader.pages:
            ref = page.indirect_reference
            assert ref is not None  # pages of a parsed file are always indirect objects
            page_refs.append(ref.idnum)
            self._pages.append(renumber(ref))
        pages = set(page_refs)
        while queue:
            old = queue.pop()
            obj = reader.get_object(old)
            self._begin(numbers[old])
            if old in pages:
                # Inherited attributes were copied onto the page by pypdf; its parent is ours.
                assert isinstance(obj, DictionaryObject)  # a page object is a dictionary
                own = DictionaryObject({k: v for k, v in obj.items() if k != "/Parent"})
                self._out.write(self._serialise(own, renumber, parent=self._tree))
            else:
                self._out.write(self._serialise(obj, renumber))
            self._end()
        for title, index in bookmarks or []:
            self._bookmarks.append((title, self._pages[first + index]))
        return len(self._pages) - first

    def _serialise(self, obj: PdfObject | None, renumber, parent: int | None = None) -> bytes:
        if isinstance(obj, IndirectObject):
            return b"%d 0 R" % renumber(obj)
        if isinstance(obj, StreamObject):
            head = {k: v for k, v in obj.items() if k != "/Length"}
            data = obj._data  # still encoded: copied byte for byte
            body = self._dictionary(head, renumber, extra=b"/Length %d" % len(data))
            return body + b"\nstream\n" + data + b"\nendstream"
        if isinstance(obj, DictionaryObject):
            extra = b"/Parent %d 0 R" % parent if parent is not None else b""
            return self._dictionary(obj, renumber, extra=extra)
        if isinstance(obj, ArrayObject):
            return b"[" + b" ".join(self._serialise(v, renumber) for v in obj) + b"]"
        buffer = BytesIO()
        if obj is None:
            return b"null"
        obj.write_to_stream(buffer)
        return buffer.getvalue()

    def _dictionary(self, items, renumber, extra: bytes = b"") -> bytes:
        parts = [b"<<"]
        for key, value in items.items():
            name = BytesIO()
            NameObject(key).write_to_stream(name)
            parts.append(name.getvalue() + b" " + self._serialise(value, renumber))
        if extra:
            parts.append(extra)
        parts.append(b">>")
        return b"\n".join(parts)

    # -- closing -------------------------------------------------------------------------
    def _write_outline(self) -> int | None:
        if not self._bookmarks:
            return None
        root = self._allocate()
        items = [self._allocate() for _ in self._bookmarks]
        for i, (title, page) in enumerate(self._bookmarks):
            self._begin(items[i])
            fields = [b"/Title " + _text_string(title), b"/Parent %d 0 R" % root,
                      b"/Dest [%d 0 R /XYZ null null null]" % page]
            if i > 0:
                fields.append(b"/Prev %d 0 R" % items[i - 1])
            if i + 1 < len(items):
                fields.append(b"/Next %d 0 R" % items[i + 1])
            self._out.write(b"<< " + b" ".join(fields) + b" >>")
            self._end()
        self._begin(root)
        self._out.write(b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>"
                        % (items[0], items[-1], len(items)))
        self._end()
        return root

    def finish(self) -> Path:
        """Write the page tree, bookmarks, cross-reference table; rename into place."""
        try:
            self._begin(self._tree)
            kids = b" ".join(b"%d 0 R" % n for n in self._pages)
            self._out.write(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self._pages)))
            self._end()
            outline = self._write_outline()
            self._begin(self._catalog)
            catalog = b"<< /Type /Catalog /Pages %d 0 R" % self._tree
            if outline:
                catalog += b" /Outlines %d 0 R /PageMode /UseOutlines" % outline
            self._out.write(catalog + b" >>")
            self._end()
            info = self._allocate()
            self._begin(info)
            stamp = datetime.now(timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
            self._out.write(b"<< /Producer " + _text_string("Daryn Desktop") + b" /Title "
                            + _text_string(self._title) + b" /CreationDate (" + stamp.encode()
                            + b") >>")
            self._end()
            xref = self._out.tell()
            self._out.write(b"xref\n0 %d\n0000000000 65535 f \n" % len(self._offsets))
            self._out.write(b"".join(b"%010d 00000 n \n" % off for off in self._offsets[1:]))
            self._out.write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n"
                            b"%%%%EOF\n" % (len(self._offsets), self._catalog, info, xref))
            self._out.flush()
            os.fsync(self._out.fileno())
            self._out.close()
            os.replace(self._part, self.path)
        except BaseException:
            self.abort()
            raise
        return self.path

    def abort(self) -> None:
        """Drop the partial output."""
        # Closing flushes what is buffered, which fails again on a full disk or a stick taken
        # out; the file is closed all the same, and its removal is what matters here.
        with suppress(OSError):
            self._out.close()
        with suppress(OSError):
            self._part.unlink(missing_ok=True)

    def __enter__(self) -> PdfStreamWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()
