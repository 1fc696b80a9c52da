"""CSV files as Excel, LibreOffice and the electronic diaries save them: the encoding and the
delimiter are found from the content, never assumed."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter

#: Delimiters tried, the likelier first when two fit equally (a ";" file often has decimal
#: commas in it, a tab file commas and semicolons in its text).
DELIMITERS = ("\t", ";", ",")
#: Lines looked at to tell the delimiter.
SAMPLE_LINES = 60

# Bytes that KZ-1048 and Windows-1251 read differently: Kazakh letters in KZ-1048 (Қ қ Һ һ
# Ұ ұ Ә ә Ө ө Ғ ғ Ү ү Ң ң), Serbian, Macedonian and Ukrainian ones in Windows-1251
# (Ќ ќ Ћ ћ Ў ў Ј ј Ґ ґ Є є Ї ї Ѕ ѕ) that a Kazakh or Russian list never holds.
_KAZAKH_BYTES = frozenset(b"\x8d\x8e\x9d\x9e\xa1\xa2\xa3\xa5\xaa\xaf\xb4\xba\xbc\xbd\xbe\xbf")
_SEP_LINE = re.compile(r"sep=(.)")


def detect_encoding(data: bytes) -> str:
    """The encoding a CSV was saved in: UTF-8 (with or without BOM), UTF-16, KZ-1048 or
    Windows-1251 — whichever reads Kazakh letters as Kazakh letters."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-16-le", "utf-16-be"):
        if looks_like_utf16(data, encoding):
            return encoding
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return "utf-8"
    if any(b in _KAZAKH_BYTES for b in data):
        return "kz1048"
    return "cp1251"


def looks_like_utf16(data: bytes, encoding: str) -> bool:
    """UTF-16 without a BOM: every other byte is 0 (Latin) or 4 (Cyrillic), and the text
    decoded is letters, digits, punctuation and line breaks."""
    sample = data[:4096]
    sample = sample[:len(sample) - len(sample) % 2]
    if len(sample) < 8:
        return False
    high = sample[1::2] if encoding == "utf-16-le" else sample[0::2]
    if sum(1 for b in high if b in (0, 4)) < 0.9 * len(high):
        return False
    try:
        text = sample.decode(encoding)
    except UnicodeDecodeError:
        return False
    return sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t") > 0.95 * len(text)


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a stray broken byte or two (a file cut and pasted together)."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    wide = sum(1 for ch in text if ord(ch) > 0x7F) - broken
    return wide > 20 * max(broken, 1)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with."""
    encoding = detect_encoding(data)
    errors = "replace" if encoding == "utf-8" else "strict"
    try:
        return data.decode(encoding, errors=errors), encoding
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace"), encoding


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the most lines into the same number (above one) of fields."""
    lines = [line for line in text.splitlines() if line.strip()][:SAMPLE_LINES]
    best, best_score = DELIMITERS[-1], (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(io.StringIO("\n".join(lines)),
                                                 delimiter=delimiter)]
        counts = Counter(w for w in widths if w > 1)
        if not counts:
            continue
        width, agreeing = counts.most_common(1)[0]
        score = (agreeing, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(data: bytes) -> tuple[list[tuple[str, ...]], str, str]:
    """The rows of a CSV file (empty lines kept, so row numbers are the file's lines), the
    encoding and the delimiter found."""
    text, encoding = decode(data)
    text = text.lstrip("\ufeff")
    rows: list[tuple[str, ...]] = []
    first, _newline, rest = text.partition("\n")
    hint = _SEP_LINE.fullmatch(first.rstrip("\r"))
    if hint:  # Excel's "sep=;" line: it names the delimiter and holds no data
        text, delimiter = rest, hint.group(1)
        rows.append(())
    else:
        delimiter = detect_delimiter(text)
    rows += [tuple(row) for row in csv.reader(io.StringIO(text, newline=""),
                                              delimiter=delimiter)]
    return rows, encoding, delimiter
