"""Kazakh alphabetical order and case-folded text for search (Kazakh, Russian and Latin)."""

from __future__ import annotations

import unicodedata

#: The Kazakh Cyrillic alphabet in its official order (it contains the Russian one).
KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"

# Letters are mapped to private, order-preserving code points so that a plain binary
# comparison (SQLite's default, an index, Python's str order) follows the Kazakh alphabet.
# Digits and punctuation keep their own (lower) code points and so sort first; Latin letters
# come after Cyrillic ones, then everything else.
_CYRILLIC_BASE = 0x1000
_LATIN_BASE = 0x1100
_OTHER_BASE = 0x2000
_SEPARATOR = "\x01"

_ORDER = {ch: chr(_CYRILLIC_BASE + i) for i, ch in enumerate(KAZAKH_ALPHABET)}
_ORDER.update({ch: chr(_LATIN_BASE + i) for i, ch in enumerate("abcdefghijklmnopqrstuvwxyz")})


def _fold(text: str) -> str:
    # NFC keeps й, ё and the Kazakh letters whole; casefold handles both alphabets.
    return unicodedata.normalize("NFC", text).casefold()


def sort_key(text: str | None) -> str:
    """A string whose binary order is the Kazakh alphabetical order of ``text``, case ignored."""
    if not text:
        return ""
    out = []
    for ch in _fold(text):
        mapped = _ORDER.get(ch)
        if mapped is None:
            code = ord(ch)
            mapped = chr(_OTHER_BASE + code) if 0x80 <= code < 0xD000 else ch
        out.append(mapped)
    return "".join(out)


def name_sort_key(*parts: str | None) -> str:
    """Sort key of a person's name: surname first, then given name, then patronymic."""
    return _SEPARATOR.join(sort_key(p) for p in parts)


def collate_kazakh(a: str | None, b: str | None) -> int:
    """A comparison function with the signature SQLite's ``create_collation`` expects."""
    ka, kb = sort_key(a), sort_key(b)
    return (ka > kb) - (ka < kb)


def search_fold(text: str | None) -> str:
    """Text as stored in and looked up from the search index.

    Case is folded by the index itself; here ``ё`` becomes ``е`` because most people type
    ``е`` for it, while ``й`` stays distinct from ``и`` (they are different letters).
    """
    if not text:
        return ""
    return unicodedata.normalize("NFC", text).replace("ё", "е").replace("Ё", "Е")
