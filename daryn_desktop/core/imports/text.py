"""Text as it comes out of spreadsheets: folded for comparison, and mixed scripts mended."""

from __future__ import annotations

import re
from datetime import date, datetime

from daryn_desktop.core.text import clean_text

#: Latin letters that look like Cyrillic ones, as typed by mistake inside Cyrillic words
#: ("Aйгүл" with a Latin A); a Latin "i" in a Kazakh word is the letter і, "ə" is ә.
_LOOKALIKES = str.maketrans({
    "A": "А", "a": "а", "B": "В", "C": "С", "c": "с", "E": "Е", "e": "е", "H": "Н",
    "K": "К", "k": "к", "M": "М", "O": "О", "o": "о", "P": "Р", "p": "р", "T": "Т",
    "X": "Х", "x": "х", "y": "у", "Y": "У", "I": "І", "i": "і", "h": "һ",
    "\u0259": "ә", "\u018f": "Ә", "\u0275": "ө", "\u019f": "Ө",
})
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_WORD = re.compile(r"[A-Za-z]")
_SPACES = re.compile(r"\s+")
#: Characters of a header that carry no meaning: everything but letters and digits.
_NOT_ALNUM = re.compile(r"[^\w]|_", re.UNICODE)
#: Text in brackets after a header ("Туған күні (күні.айы.жылы)") is a hint, not the name.
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def collapse(text: str) -> str:
    """``text`` in NFC with runs of whitespace (no-break spaces too) made one space, and
    without control or invisible characters (see ``core.text``)."""
    return _SPACES.sub(" ", clean_text(text.replace("\u00a0", " "))).strip()


def fold(text: str) -> str:
    """For comparing names and words: NFC, case folded, ё as е, single spaces."""
    return collapse(mend_script(text)).casefold().replace("ё", "е")


def header_key(text: str) -> str:
    """A header reduced to its letters and digits, folded ("Аты-жөні" → "атыжөні")."""
    without_hint = _BRACKETED.sub(" ", text)
    key = _NOT_ALNUM.sub("", fold(without_hint))
    if not key:  # a header that is only a bracketed text
        key = _NOT_ALNUM.sub("", fold(text))
    return key


def mend_script(text: str) -> str:
    """Latin look-alike letters inside Cyrillic words replaced by the Cyrillic ones.

    A word written wholly in Latin letters ("Smith") is left as it is.
    """
    if not _LATIN_WORD.search(text) or not _CYRILLIC.search(text):
        return text
    words = re.split(r"(\W+)", text)
    return "".join(w.translate(_LOOKALIKES) if _CYRILLIC.search(w) else w for w in words)


def to_cyrillic(text: str) -> str:
    """Every Latin look-alike letter of ``text`` as the Cyrillic one (class letters: "A" → "А")."""
    return text.translate(_LOOKALIKES)


def cell_text(value: object) -> str:
    """What a cell shows, as text: numbers without a needless ".0", dates as dd.mm.yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
    return collapse(str(value))


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
