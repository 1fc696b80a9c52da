"""Identifiers made where a row is made: time-ordered UUIDs (version 7, RFC 9562)."""

from __future__ import annotations

import os
import time
import uuid


def new_id() -> str:
    """A new UUIDv7 as 32 hex digits.

    The leading 48-bit millisecond timestamp keeps new rows close together in SQLite's
    B-trees (fast bulk inserts) while 74 random bits keep ids unique across installations.
    """
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= ((rand >> 62) & 0xFFF) << 64  # 12 random bits
    value |= 0b10 << 62  # RFC 4122 variant
    value |= rand & ((1 << 62) - 1)
    return f"{value:032x}"


def is_id(text: str) -> bool:
    """Whether ``text`` looks like an id made by :func:`new_id` (or any UUID in hex)."""
    if len(text) != 32:
        return False
    try:
        uuid.UUID(hex=text)
    except ValueError:
        return False
    return True
