"""The versions of a payload read as they stream in: checked once, then proven."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from daryn_desktop.storage.apply import RemoteChange
from daryn_desktop.sync import payload_format
from daryn_desktop.sync.payload_format import (
    _DECODER,
    _OPS,
    CHANGES,
    MAX_CHANGES_TEXT,
    PayloadError,
    _decode_v1_lines,
    _decode_v2_lines,
    _supersedes,
)
from daryn_desktop.sync.stream import StreamError

#: The most bytes of versions' text held before they are decoded (with long lines, fewer
#: than ``_LINES_AT_ONCE`` of them).
_BYTES_AT_ONCE = 8 * 1024 * 1024


@dataclass(frozen=True)
class Proof:
    """What a first reading of a payload checked, for a second reading to trust: the
    SHA-256 of the manifest, and the length and SHA-256 of each block of whole lines of
    the versions, in order (a few dozen for a million versions). A second reading that
    finds the same bytes again need not check them again."""

    manifest: bytes
    blocks: tuple[tuple[int, bytes], ...]


def _digest(data: bytes | memoryview) -> bytes:
    return hashlib.sha256(data).digest()


class ChangeLines:
    """The ``changes.jsonl`` entry decoded and checked as it streams in, a few thousand
    lines at a time: each batch of versions goes to ``received`` and is not kept here, so
    that a bundle of a million versions never has them all in memory. ``count`` is the
    number decoded; ``blocks`` the length and SHA-256 of each block of lines decoded (see
    :class:`Proof`)."""

    def __init__(self, sites: list[str], fmt: int,
                 received: Callable[[list[RemoteChange]], None],
                 limit: int = MAX_CHANGES_TEXT):
        self.sites, self.fmt, self.received, self.limit = sites, fmt, received, limit
        self.size = 0
        self.count = 0
        self.blocks: list[tuple[int, bytes]] = []
        # The text not decoded yet: whole lines and the line begun. Kept as bytes and cut
        # into lines only when decoded (an object per line costs as much as decoding it).
        self._buffer = bytearray()
        self._newlines = 0
        self._first = 1
        self._last_hlc = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise StreamError(f"{CHANGES} larger than {self.limit} bytes")
        self._buffer += data
        newlines = data.count(b"\n")
        if not newlines:
            return
        self._newlines += newlines
        # The batch size is read from its module each time: one setting for whole texts
        # (decode_changes) and streamed ones.
        if (self._newlines >= payload_format._LINES_AT_ONCE
                or len(self._buffer) >= _BYTES_AT_ONCE):
            cut = self._buffer.rfind(b"\n")
            with memoryview(self._buffer) as view:
                self._block(view[:cut])
            del self._buffer[:cut + 1]
            self._newlines = 0

    def close(self) -> None:
        if self.size:  # an empty text has no lines; otherwise what follows the last newline is one
            with memoryview(self._buffer) as view:
                self._block(view)
            self._buffer = bytearray()

    def _block(self, block: memoryview) -> None:
        """Decode whole lines (``block`` holds no newline at its end)."""
        self.blocks.append((len(block), _digest(block)))
        try:
            # One decoding of them all (lines hold no newline byte, in UTF-8 or not).
            lines = str(block, "utf-8").split("\n")
        except UnicodeDecodeError:
            raise self._first_undecodable(bytes(block).split(b"\n")) from None
        at_once = payload_format._LINES_AT_ONCE
        for start in range(0, len(lines), at_once):
            self._decode_lines(lines[start:start + at_once])

    def _decode_lines(self, texts: list[str]) -> None:
        out: list[RemoteChange] = []
        decode = _decode_v1_lines if self.fmt == 1 else _decode_v2_lines
        self._last_hlc = decode(self.sites, texts, self._first, self._last_hlc, out)
        self._first += len(texts)
        self.count += len(out)
        self.received(out)

    def _first_undecodable(self, lines: list[bytes]) -> PayloadError:
        for number, line in enumerate(lines, self._first):
            try:
                line.decode()
            except UnicodeDecodeError as exc:
                return PayloadError(f"line {number}: {exc}")
        return PayloadError(CHANGES)


class ProvenLines:
    """The ``changes.jsonl`` entry read a second time, after :class:`ChangeLines` checked
    it: each block of lines must have the length and SHA-256 the first reading recorded
    (a file on a stick or a shared folder may have changed in between), and is then
    decoded without checking each line again. Anything else raises :class:`PayloadError`
    before a version of the block is handed on."""

    def __init__(self, sites: list[str], fmt: int,
                 received: Callable[[list[RemoteChange]], None],
                 blocks: tuple[tuple[int, bytes], ...]):
        self.sites, self.fmt, self.received = sites, fmt, received
        self.size = 0
        self.count = 0
        self._blocks = blocks
        self._next = 0
        self._buffer = bytearray()
        self._last_hlc = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)
        self._buffer += data
        # Every block but the last was followed by a newline; the last one ended the text.
        while self._next < len(self._blocks) - 1:
            length, digest = self._blocks[self._next]
            if len(self._buffer) <= length:
                return
            with memoryview(self._buffer) as view:
                if view[length] != 0x0A or _digest(view[:length]) != digest:
                    raise PayloadError(f"{CHANGES} changed since it was checked")
                text = str(view[:length], "utf-8")
            del self._buffer[:length + 1]
            self._next += 1
            self._decode(text)
        if not self._blocks or len(self._buffer) > self._blocks[-1][0]:
            raise PayloadError(f"{CHANGES} changed since it was checked")

    def close(self) -> None:
        if not self.size and not self._blocks:
            return
        if self._next != len(self._blocks) - 1:
            raise PayloadError(f"{CHANGES} changed since it was checked")
        length, digest = self._blocks[-1]
        with memoryview(self._buffer) as view:
            if len(view) != length or _digest(view) != digest:
                raise PayloadError(f"{CHANGES} changed since it was checked")
            text = str(view, "utf-8")
        self._buffer = bytearray()
        self._next += 1
        self._decode(text)

    def _decode(self, text: str) -> None:
        out: list[RemoteChange] = []
        if self.fmt == 1:
            self._last_hlc = _decode_v1_lines(self.sites, text.split("\n"), 1, self._last_hlc,
                                              out)
        else:
            self._last_hlc = _decode_v2_proven(self.sites, text, self._last_hlc, out)
        self.count += len(out)
        self.received(out)


def _decode_v2_proven(sites: list[str], text: str, last_hlc: int,
                      out: list[RemoteChange]) -> int:
    """Decode lines of format 2 that were checked before (by :func:`_decode_v2_lines`) onto
    ``out``; returns the clock of the last one.

    Each line being exactly one object, a tab and one array, with no other tab or newline,
    the whole text becomes one JSON array of them (fields, version, fields, version…) by
    putting commas for tabs and newlines: one parse of it all, and no check of the fields'
    canonical text.
    """
    texts = text.replace("\t", "\n").split("\n")
    values = _DECODER.decode("[" + text.replace("\t", ",").replace("\n", ",") + "]")
    if len(values) != len(texts):
        raise PayloadError(f"{CHANGES} is not what was checked")
    append = out.append
    for data, meta, data_json in zip(values[0::2], values[1::2], texts[0::2]):
        site, seq, delta, tbl, row_id, op, author, at, prio, *rest = meta
        last_hlc += delta
        append(RemoteChange(sites[site], seq, last_hlc, tbl, row_id, _OPS[op], data, author,
                            at, prio, _supersedes(sites, rest[0]) if rest else {}, data_json))
    return last_hlc
