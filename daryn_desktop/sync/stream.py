"""Reading a bundle's file and payload as a stream, so that memory does not grow with it.

A bundle can be large (attachments) or hostile (a gigabyte of junk). Its file is read in
small pieces: hashed piece by piece, and decrypted by age into :class:`ZipStream`, which
takes the decrypted ZIP apart entry by entry as it arrives, handing each entry's bytes to a
sink chosen by its name, and never holds more than a piece and the entries asked for.

The payload ZIP is written by ``zipfile`` into memory, which puts every entry's sizes and
CRC in its local header; that is all a front-to-back reading needs (the central directory
at the end repeats them and is skipped).
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO, Protocol

#: Pieces read from a file at once.
PIECE = 1024 * 1024
_LOCAL = b"PK\x03\x04"
_CENTRAL = (b"PK\x01\x02", b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07")
_LOCAL_FIXED = struct.Struct("<4sHHHHHIIIHH")
#: Most decompressed bytes produced from one piece at a time (a "zip bomb" is cut short).
_OUT_STEP = 1024 * 1024


class StreamError(ValueError):
    """The stream is not a ZIP this program writes, or breaks a limit."""


class Sink(Protocol):
    """Where the bytes of one ZIP entry go."""

    def write(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class Collect:
    """Keeps an entry's bytes in memory, up to ``limit``."""

    def __init__(self, limit: int, name: str = ""):
        self.limit, self.name = limit, name
        self.parts: list[bytes] = []
        self.size = 0
        self.done: bytes | None = None

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise StreamError(f"{self.name or 'entry'} larger than {self.limit} bytes")
        self.parts.append(data)

    def close(self) -> None:
        self.done = b"".join(self.parts)
        self.parts = []


class Hashed:
    """Checks that an entry's bytes have the SHA-256 ``digest``; keeps them (up to
    ``limit``) only if ``keep``, handing them to ``received`` once complete and checked."""

    def __init__(self, digest: str, limit: int, *, keep: bool = False,
                 received: Callable[[str, bytes], None] | None = None):
        self.digest, self.limit, self.keep, self.received = digest, limit, keep, received
        self.hasher = hashlib.sha256()
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise StreamError(f"attachment larger than {self.limit} bytes")
        self.hasher.update(data)
        if self.keep:
            self.parts.append(data)

    def close(self) -> None:
        if self.hasher.hexdigest() != self.digest:
            raise StreamError("an attachment does not match its hash")
        if self.keep and self.received is not None:
            body = b"".join(self.parts)
            self.parts = []
            self.received(self.digest, body)


class ZipStream:
    """A ZIP archive taken apart as it is written into this object (by ``write``).

    ``sink_for(name)`` gives the sink of each entry, or None to skip its bytes. At most
    ``max_unpacked`` bytes are unpacked in all.
    """

    def __init__(self, sink_for: Callable[[str], Sink | None], *, max_unpacked: int):
        self._sink_for = sink_for
        self._max_unpacked = max_unpacked
        self._unpacked = 0
        self._buffer = bytearray()
        self._entry: _Entry | None = None
        self._finished = False
        self.names: list[str] = []

    def write(self, data: bytes) -> int:
        if self._finished:
            return len(data)  # the central directory and what follows: not needed
        self._buffer += data
        while self._step():
            pass
        return len(data)

    def flush(self) -> None:
        """File-like objects are flushed by their writers; nothing is buffered for that."""

    def close(self) -> None:
        """The end of the stream: every entry must be complete."""
        if not self._finished or self._entry is not None:
            raise StreamError("the archive ends in the middle")

    # -- one step of the reading ----------------------------------------------------------
    def _step(self) -> bool:
        if self._finished:
            self._buffer.clear()
            return False
        if self._entry is not None:
            return self._data()
        if len(self._buffer) < 4:
            return False
        signature = bytes(self._buffer[:4])
        if signature in _CENTRAL:
            self._finished = True
            self._buffer.clear()
            return False
        if signature != _LOCAL:
            raise StreamError("not a ZIP entry")
        if len(self._buffer) < _LOCAL_FIXED.size:
            return False
        (_sig, _version, flags, method, _time, _date, crc, packed, unpacked, name_len,
         extra_len) = _LOCAL_FIXED.unpack_from(self._buffer)
        end = _LOCAL_FIXED.size + name_len + extra_len
        if len(self._buffer) < end:
            return False
        if flags & 0x01 or flags & 0x08 or method not in (0, 8):
            # Encrypted, sizes after the data, or a method this program never writes.
            raise StreamError("an entry this program does not write")
        raw_name = bytes(self._buffer[_LOCAL_FIXED.size:_LOCAL_FIXED.size + name_len])
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437")
        if 0xFFFFFFFF in (packed, unpacked):
            packed, unpacked = _zip64_sizes(
                bytes(self._buffer[_LOCAL_FIXED.size + name_len:end]), packed, unpacked)
        del self._buffer[:end]
        self.names.append(name)
        self._entry = _Entry(name, method, crc, packed, unpacked, self._sink_for(name))
        return True

    def _data(self) -> bool:
        entry = self._entry
        assert entry is not None
        if entry.remaining and not self._buffer:
            return False
        piece = bytes(self._buffer[:entry.remaining])
        del self._buffer[:len(piece)]
        entry.remaining -= len(piece)
        for out in entry.unpack(piece, last=entry.remaining == 0):
            self._unpacked += len(out)
            if self._unpacked > self._max_unpacked:
                raise StreamError("the archive unpacks to more than the limit")
            entry.feed(out)
        if entry.remaining:
            return False
        entry.finish()
        self._entry = None
        return True


class _Entry:
    """One entry being read: its bytes unpacked, counted and checked against its CRC."""

    def __init__(self, name: str, method: int, crc: int, packed: int, unpacked: int,
                 sink: Sink | None):
        self.name, self.crc, self.unpacked, self.sink = name, crc, unpacked, sink
        self.remaining = packed
        self.inflater = zlib.decompressobj(-15) if method == 8 else None
        self.seen_crc = 0
        self.seen = 0

    def unpack(self, piece: bytes, *, last: bool) -> Iterator[bytes]:
        """The unpacked bytes of ``piece``, a step at a time (a small piece of a "zip bomb"
        is never unpacked whole before the limit is checked)."""
        if self.inflater is None:
            if piece:
                yield piece
            return
        data = piece
        while data:
            chunk = self.inflater.decompress(data, _OUT_STEP)
            if chunk:
                yield chunk
            data = self.inflater.unconsumed_tail
        if last:
            rest = self.inflater.flush()
            if rest:
                yield rest
            if not self.inflater.eof:
                raise StreamError("a compressed entry ends in the middle")

    def feed(self, data: bytes) -> None:
        self.seen += len(data)
        if self.seen > self.unpacked:
            raise StreamError("an entry is larger than its header says")
        self.seen_crc = zlib.crc32(data, self.seen_crc)
        if self.sink is not None:
            self.sink.write(data)

    def finish(self) -> None:
        if self.seen != self.unpacked or self.seen_crc != self.crc:
            raise StreamError(f"entry {self.name} is damaged")
        if self.sink is not None:
            self.sink.close()


def _zip64_sizes(extra: bytes, packed: int, unpacked: int) -> tuple[int, int]:
    """The real sizes from a ZIP64 extra field (entries of 4 GiB and more)."""
    at = 0
    while at + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, at)
        if tag == 0x0001:
            values = list(struct.unpack_from(f"<{size // 8}Q", extra, at + 4))
            if unpacked == 0xFFFFFFFF:
                unpacked = values.pop(0)
            if packed == 0xFFFFFFFF:
                packed = values.pop(0)
            return packed, unpacked
        at += 4 + size
    raise StreamError("ZIP64 sizes missing")


class Section:
    """A readable stream of ``length`` bytes of ``source`` from ``offset`` on, hashed as it
    is read (SHA-256 in ``hasher``): what age decrypts, checked against the signed hash."""

    def __init__(self, source: BinaryIO, offset: int, length: int):
        self._source = source
        self._source.seek(offset)
        self._left = length
        self.hasher = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0 or size > self._left:
            size = self._left
        data = self._source.read(min(size, PIECE))
        self._left -= len(data)
        self.hasher.update(data)
        return data

    def readable(self) -> bool:
        return True


def sha256_of(source: BinaryIO, offset: int, length: int) -> str:
    """The SHA-256 of ``length`` bytes of ``source`` from ``offset``, read piece by piece."""
    section = Section(source, offset, length)
    while section.read(PIECE):
        pass
    return section.hasher.hexdigest()
