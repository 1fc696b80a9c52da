"""The bundle file: magic, signed header, Ed25519 signature, age-encrypted payload.

::

    offset      size  field
    0           8     magic "DARYNSB1"
    8           4     header length n (big-endian, at most 64 KiB)
    12          n     header: canonical JSON (sorted keys, no spaces), UTF-8
    12+n        64    Ed25519 signature over bytes 0 … 12+n
    76+n        …     age v1 ciphertext (X25519 recipients) to the end of the file

The header holds only ids, keys, the region code, clocks and the SHA-256 and length of the
ciphertext: no names of children, schools or villages. It is checked (signature first)
before a single byte of the ciphertext is parsed. The ciphertext opens with the standard
``age`` tool: ``tail -c +$((77+n)) FILE | age -d -i escrow-key.txt > payload.zip``.

A file is judged from its first bytes: the magic, then the header (at most 64 KiB). A
gigabyte of junk is refused after reading eight bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, BinaryIO

from daryn_desktop.sync import crypto
from daryn_desktop.sync.errors import Damaged, NewerFormat, NotABundle, Truncated

MAGIC = b"DARYNSB1"
#: The header's ``v`` and ``min_reader``. 2: the payload's versions are in format 2 (see
#: ``payload_format.py``), so a reader of format 1 refuses the bundle as newer, not as damaged; this
#: version still reads bundles of format 1.
FORMAT_VERSION = 2
MAX_HEADER = 64 * 1024
SIGNATURE_BYTES = 64
#: FAT32 cannot hold files of 4 GiB; a larger file is refused before it is read.
MAX_BUNDLE = 2 * 1024**3
SUFFIX = ".dsb"
PREFIX_BYTES = len(MAGIC) + 4
#: The most of a file read before its signature is checked.
MAX_HEAD = PREFIX_BYTES + MAX_HEADER + SIGNATURE_BYTES

#: What the ids of a signed header must look like before any of them names a file or is
#: looked up: a bundle id and site ids are 32 hex digits, key ids 16, a region 9 digits.
ID = re.compile(r"[0-9a-f]{32}")
KEY_ID = re.compile(r"[0-9a-f]{16}")
KATO = re.compile(r"[0-9]{9}")


@dataclass(frozen=True)
class Sealed:
    """A bundle split into its parts (structure checked, nothing verified yet)."""

    header: dict[str, Any]
    signed: bytes
    signature: bytes
    ciphertext: bytes

    @property
    def header_end(self) -> int:
        return len(self.signed) + SIGNATURE_BYTES


def seal(header: dict[str, Any], payload: bytes, *, sign_secret: str,
         recipients: list[str]) -> bytes:
    """The bytes of a bundle file: ``header`` completed with the payload's hash and length."""
    ciphertext = crypto.encrypt(payload, recipients)
    full = {**header, "v": FORMAT_VERSION, "min_reader": FORMAT_VERSION,
            "payload_sha256": hashlib.sha256(ciphertext).hexdigest(),
            "payload_len": len(ciphertext)}
    header_bytes = crypto.canonical(full)
    if len(header_bytes) > MAX_HEADER:
        raise ValueError("bundle header too large")
    signed = MAGIC + len(header_bytes).to_bytes(4, "big") + header_bytes
    return signed + crypto.sign(sign_secret, signed) + ciphertext


@dataclass(frozen=True)
class Head:
    """The start of a bundle file: its header and signature (nothing verified yet)."""

    header: dict[str, Any]
    signed: bytes
    signature: bytes

    @property
    def header_end(self) -> int:
        return len(self.signed) + SIGNATURE_BYTES


def _judge_magic(first: bytes, size: int) -> None:
    """Refuse a file whose first bytes are not this format's magic, with the true reason."""
    if first == MAGIC:
        return
    if len(first) < len(MAGIC) and size == len(first):
        if first and MAGIC.startswith(first):
            raise Truncated()
        raise NotABundle()
    version = first[7:8]
    if first[:7] == MAGIC[:7] and version.isdigit() and version > MAGIC[7:8]:
        # "DARYNSB2" and later: a format this version does not read.
        raise NewerFormat()
    if sum(a == b for a, b in zip(first, MAGIC)) >= len(MAGIC) - 2:
        raise Damaged()  # a byte or two of the magic changed: a bundle, damaged
    raise NotABundle()


def parse_head(prefix: bytes, size: int) -> Head:
    """The header of a bundle from the first bytes of its file (``size`` bytes in all), or
    the reason it is none: not a bundle, cut short, newer, damaged."""
    _judge_magic(prefix[:len(MAGIC)], size)
    if size < PREFIX_BYTES:
        raise Truncated()
    length = int.from_bytes(prefix[len(MAGIC):PREFIX_BYTES], "big")
    if length == 0 or length > MAX_HEADER:
        raise Damaged()
    end = PREFIX_BYTES + length
    if size < end + SIGNATURE_BYTES or len(prefix) < end + SIGNATURE_BYTES:
        raise Truncated()
    try:
        header = json.loads(prefix[PREFIX_BYTES:end].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise Damaged() from None
    if not isinstance(header, dict):
        raise Damaged()
    return Head(header, bytes(prefix[:end]), bytes(prefix[end:end + SIGNATURE_BYTES]))


def read_head(source: BinaryIO, size: int) -> Head:
    """The header of the bundle file ``source`` (of ``size`` bytes): the magic is read
    first, then the header's length, then the header and its signature; never more."""
    source.seek(0)
    prefix = source.read(PREFIX_BYTES)
    _judge_magic(prefix[:len(MAGIC)], size)
    if len(prefix) == PREFIX_BYTES:
        length = int.from_bytes(prefix[len(MAGIC):], "big")
        if 0 < length <= MAX_HEADER:
            prefix += source.read(length + SIGNATURE_BYTES)
    return parse_head(prefix, size)


def split(data: bytes) -> Sealed:
    """The parts of a bundle held in memory, or the reason it is not one."""
    head = parse_head(data[:MAX_HEAD], len(data))
    return Sealed(head.header, head.signed, head.signature, data[head.header_end:])


def peek_header(data: bytes) -> dict[str, Any] | None:
    """The header of what looks like a bundle, unverified (for sorting an inbox), or None."""
    try:
        return parse_head(data[:MAX_HEAD], len(data)).header
    except Exception:  # anything unreadable is simply not ours to sort
        return None
