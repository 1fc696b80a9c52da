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
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from daryn_desktop.sync import crypto
from daryn_desktop.sync.errors import NewerFormat, NotABundle, Truncated

MAGIC = b"DARYNSB1"
#: The header's ``v`` and ``min_reader``. 2: the payload's versions are in format 2 (see
#: ``payload.py``), so a reader of format 1 refuses the bundle as newer, not as damaged; this
#: version still reads bundles of format 1.
FORMAT_VERSION = 2
MAX_HEADER = 64 * 1024
SIGNATURE_BYTES = 64
#: FAT32 cannot hold files of 4 GiB; bundles are read into memory, so stay well below.
MAX_BUNDLE = 2 * 1024**3
SUFFIX = ".dsb"
PREFIX_BYTES = len(MAGIC) + 4


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


def split(data: bytes) -> Sealed:
    """The parts of a bundle, or the reason it is not one (garbage, cut short, newer)."""
    if len(data) < PREFIX_BYTES:
        if MAGIC.startswith(data[: len(MAGIC)]) and data:
            raise Truncated()
        raise NotABundle()
    if data[: len(MAGIC)] != MAGIC:
        if data[:7] == MAGIC[:7]:
            # "DARYNSB2" and later: a format this version does not read.
            raise NewerFormat()
        raise NotABundle()
    length = int.from_bytes(data[len(MAGIC) : PREFIX_BYTES], "big")
    if length == 0 or length > MAX_HEADER:
        raise NotABundle()
    end = PREFIX_BYTES + length
    if len(data) < end + SIGNATURE_BYTES:
        raise Truncated()
    try:
        header = json.loads(data[PREFIX_BYTES:end].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise NotABundle() from None
    if not isinstance(header, dict):
        raise NotABundle()
    return Sealed(header, data[:end], data[end : end + SIGNATURE_BYTES],
                  data[end + SIGNATURE_BYTES :])


def peek_header(data: bytes) -> dict[str, Any] | None:
    """The header of what looks like a bundle, unverified (for sorting an inbox), or None."""
    try:
        return split(data).header
    except Exception:  # anything unreadable is simply not ours to sort
        return None
