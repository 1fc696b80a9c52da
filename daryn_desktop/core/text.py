"""Text as it is kept: one Unicode form, and no characters that act on a terminal or hide.

Names arrive typed, pasted from a web page, from spreadsheets and in bundles. Some
characters in them do harm without being seen: ESC, BEL and NUL drive a terminal; CR moves
its cursor; the right-to-left override and its kin reorder what is displayed (an IIN that
reads differently from what it is); zero-width characters make two equal-looking names
differ; a lone surrogate cannot be stored at all. Every text is normalised to NFC (the
composed form Kazakh keyboards produce), and such characters are removed.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters never kept: C0 and C1 controls (a line break and a tab only in texts of
#: several lines), bidirectional embeddings, overrides and isolates, zero-width characters
#: and the byte-order mark, and lone surrogates.
_UNSAFE_SINGLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\ud800-\udfff]")
_UNSAFE_MULTI = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\ud800-\udfff]")
#: Fields of one line (names, codes, numbers): a line break or tab there becomes a space.
#: Every other text (notes, goals, reviews) may have several lines.
SINGLE_LINE_FIELDS = frozenset({
    "surname", "given_name", "patronymic", "name", "full_name", "iin", "class_letter",
    "phone", "email", "filename", "mime", "sha256", "event_name", "subject", "field",
    "organiser", "workplace", "title", "responsible", "conducted_by", "author",
    "academic_year"})
_BREAKS = re.compile("\r\n?")
_SPACES = re.compile("[\t\n\r\u2028\u2029]+")


def has_unsafe_characters(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` holds a character :func:`clean_text` would remove."""
    return bool((_UNSAFE_MULTI if multiline else _UNSAFE_SINGLE).search(text))


def clean_text(text: str, *, multiline: bool = False) -> str:
    """``text`` in NFC without control, bidirectional-override or invisible characters.

    A single line (``multiline=False``, names) has line breaks and tabs turned into a space;
    a text of several lines keeps them (Windows' CR LF becomes LF).
    """
    if text.isprintable():  # the common case: no control, format or separator character
        if text.isascii() or unicodedata.is_normalized("NFC", text):
            return text
        return unicodedata.normalize("NFC", text)
    if multiline:
        text = _BREAKS.sub("\n", text)
        text = _UNSAFE_MULTI.sub("", text)
    else:
        text = _SPACES.sub(" ", text)
        text = _UNSAFE_SINGLE.sub("", text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: every character :func:`clean_text` would
    remove (line breaks and tabs excepted) shown as an escape such as ``\\u001b`` or
    ``\\u202e`` instead of acting on the terminal."""
    return _UNSAFE_MULTI.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}"


def clean_fields(values: dict[str, object]) -> dict[str, object]:
    """``values`` with every text cleaned (:func:`clean_text`; single-line fields by name);
    the same dict when nothing changed."""
    out: dict[str, object] | None = None
    for key, value in values.items():
        # Most values are plain printable ASCII (ids, codes, dates): nothing to clean, and no
        # call made (bulk writes pass millions of them here).
        if type(value) is str and not (value.isascii() and value.isprintable()):
            cleaned = clean_text(value, multiline=key not in SINGLE_LINE_FIELDS)
            if cleaned != value:
                if out is None:
                    out = dict(values)
                out[key] = cleaned
    return values if out is None else out
