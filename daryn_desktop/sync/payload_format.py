"""The payload's format: entry names and limits, and the versions' lines encoded and decoded.

A line of ``changes.jsonl`` (format 2) is the version's fields exactly as the change log
holds them (a JSON object, keys sorted, no spaces), a tab, then a JSON array of the rest:
``[site index, seq, clock difference, table, row id, "i" or "u", author, at, priority]``
and, for an update, ``{column: [[site index, seq], ...]}`` of the versions it supersedes.
The importer stores the fields' text in its own log as it came, after checking that it is
the canonical text of the object it parses to. Format 1, written by earlier versions of the
program, had the fields inside the array, after the operation; it is still read.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from typing import Any

from daryn_desktop.storage.apply import RemoteChange
from daryn_desktop.storage.changelog import log_json

PAYLOAD_FORMAT = 2
#: The formats this version reads: bundles written before format 2 may still be on a stick.
READABLE_FORMATS = (1, 2)
MANIFEST = "manifest.json"
CHANGES = "changes.jsonl"
BLOB_DIR = "blobs/"
#: The unpacked payload may not exceed this (a guard against a "zip bomb" from a peer).
MAX_UNPACKED = 4 * 1024**3
#: Limits of the parts read into memory: the manifest (cursors, acknowledgements, a
#: restore's list of pupils), the versions' text (a region's full restore of 100,000 pupils
#: is a few hundred megabytes), one attachment (the editor takes at most 20 MB), any other
#: entry a later version may add.
MAX_MANIFEST = 64 * 1024**2
MAX_CHANGES_TEXT = 1024**3
MAX_BLOB = 64 * 1024**2
MAX_EXTRA = 16 * 1024**2


class PayloadError(ValueError):
    """The payload is not what a bundle holds."""


class NewerPayload(PayloadError):
    """The payload is of a format this version does not know yet."""


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
#: Ids JSON writes as they are, between quotes.
_PLAIN_ID = re.compile(r"[0-9A-Za-z_.:-]*")


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


def encode_changes(rows: list[tuple[Any, ...]]) -> tuple[list[str], str]:
    """Rows of ``changes`` (origin_site, origin_seq, hlc, tbl, row_id, op, data JSON, author,
    at, prio, supersedes as JSON or already parsed) as lines of format 2; returns (site list,
    text)."""
    sites: dict[str, int] = {}

    def index(site: str) -> int:
        return sites.setdefault(site, len(sites))

    # The texts of the few distinct tables, authors and times, encoded once each.
    texts: dict[Any, str] = {}

    def text(value: Any) -> str:
        found = texts.get(value)
        if found is None:
            found = texts[value] = _dumps(value)
        return found

    lines = []
    last_hlc = 0
    for site, seq, hlc, tbl, row_id, op, data, author, at, prio, supersedes in rows:
        # The clock as a difference from the previous line: consecutive versions are close.
        meta = [index(site), seq, hlc - last_hlc, tbl, row_id, op[0], author, at, prio]
        last_hlc = hlc
        if supersedes:
            parsed = json.loads(supersedes) if isinstance(supersedes, str) else supersedes
            meta.append({col: [[index(s), q] for s, q in ids] for col, ids in parsed.items()})
        elif (type(seq) is int and type(hlc) is int and type(prio) is int
              and type(row_id) is str and _PLAIN_ID.fullmatch(row_id)):
            # The usual line, written without the encoder: the same text as _dumps(meta).
            lines.append(f"{data}\t[{meta[0]},{seq},{meta[2]},{text(tbl)},\"{row_id}\","
                         f"{text(op[0])},{text(author)},{text(at)},{prio}]")
            continue
        # data is the log's text: canonical JSON, which holds no tab and no newline.
        lines.append(f"{data}\t{_dumps(meta)}")
    return list(sites), "\n".join(lines)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# NaN and Infinity are Python's extension of JSON: SQLite's JSON functions would refuse a log
# row holding one, so a bundle holding one is refused.
_DECODER = json.JSONDecoder(parse_constant=_no_constant)
_OPS = {"i": "insert", "u": "update"}


def _supersedes(sites: list[str], sup: Any) -> dict[str, list[tuple[str, int]]]:
    if type(sup) is not dict:
        raise TypeError("the superseded versions are not an object")
    out = {}
    for col, ids in sup.items():
        pairs = []
        for site, seq in ids:
            if type(site) is not int or site < 0 or type(seq) is not int:
                raise TypeError("a superseded version is not [site index, seq]")
            pairs.append((sites[site], seq))
        out[col] = pairs
    return out


def _decode_v1(sites: list[str], text: str) -> list[RemoteChange]:
    """Format 1: one JSON array per line, the fields inside it."""
    out: list[RemoteChange] = []
    _decode_v1_lines(sites, text.split("\n"), 1, 0, out)
    return out


def _decode_v1_lines(sites: list[str], lines: list[str], first: int, last_hlc: int,
                     out: list[RemoteChange]) -> int:
    """Decode ``lines`` of format 1 (the first is line number ``first``) onto ``out``;
    returns the clock of the last one."""
    for number, raw in enumerate(lines, first):
        if not raw:
            continue
        try:
            # raw_decode skips json.loads's whitespace scans; a line must still be exactly one
            # JSON value.
            item, end = _DECODER.raw_decode(raw)
            if end != len(raw):
                raise ValueError("text after the change")
            site_idx, seq, hlc_delta, tbl, row_id, op, data, author, at, prio = item[:10]
            if type(data) is not dict:
                raise TypeError("the fields of a change are not an object")
            sup = _supersedes(sites, item[10]) if len(item) > 10 else {}
            hlc = last_hlc + int(hlc_delta)
            last_hlc = hlc
            change = RemoteChange(
                origin_site=sites[site_idx], origin_seq=int(seq), hlc=hlc, tbl=str(tbl),
                row_id=str(row_id), op=_OPS[op], data=data, author=author, at=str(at),
                prio=int(prio), supersedes=sup)
        except (ValueError, KeyError, IndexError, TypeError, RecursionError) as exc:
            raise PayloadError(f"line {number}: {exc}") from None
        out.append(change)
    return last_hlc


def _first_bad(texts: list[str], first: int, check: Callable[[str], Any]) -> PayloadError:
    """The error for the first line (numbered from ``first``) whose text fails ``check``."""
    for number, text in enumerate(texts, first):
        try:
            check(text)
        except (ValueError, TypeError, RecursionError) as exc:
            return PayloadError(f"line {number}: {exc}")
    return PayloadError("changes")


def _one_value(text: str) -> Any:
    value, end = _DECODER.raw_decode(text)
    if end != len(text):
        raise ValueError("text after the value")
    return value


def _load_lines(texts: list[str], first: int) -> tuple[list[Any], str]:
    """The JSON values of some lines' texts, each of which must be exactly one value.

    One parse of them all, joined into one array, is much faster than a parse per line (one
    call, and the keys are made once). Joined by bare commas, a line could end inside a value
    that the next one closes; so they are joined by a string drawn now, which a file written
    earlier cannot contain: finding all of them at the top of the array, each between two
    values, proves that every line was exactly one value. Returns that array (the lines'
    values at even positions) and its text.
    """
    nonce = secrets.token_hex(16)
    joined = "[" + f',"{nonce}",'.join(texts) + "]"
    try:
        values = _DECODER.decode(joined)
    except (ValueError, RecursionError):
        values = None
    if (values is None or len(values) != max(2 * len(texts) - 1, 0)
            or values[1::2] != [nonce] * (len(texts) - 1)):
        raise _first_bad(texts, first, _one_value)
    return values, joined


def _canonical(text: str) -> None:
    data = _one_value(text)
    if type(data) is not dict:
        raise TypeError("the fields of a change are not an object")
    if log_json(data) != text:
        raise ValueError("the fields are not in canonical form")


#: Lines decoded together: a few megabytes of text, so that what was just parsed is still in
#: the processor's cache when it is checked and used (a million at once is half as fast).
_LINES_AT_ONCE = 10_000


def _decode_v2(sites: list[str], text: str) -> list[RemoteChange]:
    """Format 2: ``fields<TAB>rest`` per line (see the module's docstring)."""
    lines = text.split("\n") if text else []
    out: list[RemoteChange] = []
    last_hlc = 0
    for start in range(0, len(lines), _LINES_AT_ONCE):
        last_hlc = _decode_v2_lines(sites, lines[start:start + _LINES_AT_ONCE], start + 1,
                                    last_hlc, out)
    return out


def _decode_v2_lines(sites: list[str], lines: list[str], first: int, last_hlc: int,
                     out: list[RemoteChange]) -> int:
    """Decode ``lines`` (the first is line number ``first``) onto ``out``; returns the clock of
    the last one."""
    pairs = [line.split("\t") for line in lines]
    if any(len(pair) != 2 for pair in pairs):
        number = next(n for n, pair in enumerate(pairs, first) if len(pair) != 2)
        raise PayloadError(f"line {number}: not fields, a tab and the version")
    fields_texts = [pair[0] for pair in pairs]
    values, joined = _load_lines(fields_texts, first)
    fields = values[0::2]
    # Each line must be the canonical text of an object, to go into the log as it is. The
    # parsed array encoded again by the log's encoder gives back exactly the joined text only
    # then: where a line and its object's encoding first differed, one would be the other and
    # more, but past its complete object an encoding has nothing, a line (exactly one value)
    # at most spaces, and the joined text a comma or the closing bracket. One encoding for
    # all the lines is a quarter faster than one a line.
    try:
        canonical = (all(type(data) is dict for data in fields)
                     and log_json(values) == joined)
    except RecursionError:
        canonical = False
    if not canonical:
        raise _first_bad(fields_texts, first, _canonical)
    del values, joined
    metas = _load_lines([pair[1] for pair in pairs], first)[0][0::2]
    append = out.append
    for number, (data, meta, data_json) in enumerate(zip(fields, metas, fields_texts), first):
        try:
            if type(meta) is not list:
                raise TypeError("the version is not an array")
            if len(meta) == 9:
                site, seq, delta, tbl, row_id, op, author, at, prio = meta
                sup = {}
            else:
                site, seq, delta, tbl, row_id, op, author, at, prio, sup = meta
                sup = _supersedes(sites, sup)
            if not (type(site) is int and site >= 0 and type(seq) is int
                    and type(delta) is int and type(tbl) is str and type(row_id) is str
                    and (author is None or type(author) is str) and type(at) is str
                    and type(prio) is int):
                raise TypeError("a value of the version has the wrong type")
            last_hlc += delta
            append(RemoteChange(sites[site], seq, last_hlc, tbl, row_id, _OPS[op], data,
                                author, at, prio, sup, data_json))
        except (ValueError, KeyError, IndexError, TypeError, RecursionError) as exc:
            raise PayloadError(f"line {number}: {exc}") from None
    return last_hlc


def decode_changes(sites: list[str], text: str, fmt: int = PAYLOAD_FORMAT,
                   ) -> list[RemoteChange]:
    if fmt == 1:
        return _decode_v1(sites, text)
    return _decode_v2(sites, text)
