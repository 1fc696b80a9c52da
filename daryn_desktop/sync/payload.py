"""The encrypted inside of a bundle: a ZIP with a manifest, the versions and attachment bodies.

A ZIP (deflated) so that, after ``age -d`` with the escrow key, IT staff can open it with
any archiver: ``manifest.json`` (ids repeated from the signed header, cursors and
acknowledgements, purges), ``changes.jsonl`` (one version group per line) and
``blobs/<sha256>``. Site ids are written once in the manifest and referred to by index.

A line of ``changes.jsonl`` (format 2) is the version's fields exactly as the change log
holds them (a JSON object, keys sorted, no spaces), a tab, then a JSON array of the rest:
``[site index, seq, clock difference, table, row id, "i" or "u", author, at, priority]``
and, for an update, ``{column: [[site index, seq], ...]}`` of the versions it supersedes.
The importer stores the fields' text in its own log as it came, after checking that it is
the canonical text of the object it parses to. Format 1, written by earlier versions of the
program, had the fields inside the array, after the operation; it is still read.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from daryn_desktop.storage.apply import RemoteChange
from daryn_desktop.storage.changelog import log_json
from daryn_desktop.sync.stream import Collect, Hashed, Sink, StreamError, ZipStream

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
#: An attachment's entry: named by the SHA-256 of its bytes, and nothing else.
_BLOB_NAME = re.compile(r"blobs/([0-9a-f]{64})")


class PayloadError(ValueError):
    """The payload is not what a bundle holds."""


class NewerPayload(PayloadError):
    """The payload is of a format this version does not know yet."""


@dataclass
class Payload:
    manifest: dict[str, Any]
    changes: list[RemoteChange] = field(default_factory=list)
    #: Attachment bodies, when the payload was read whole (:func:`decode`).
    blobs: dict[str, bytes] = field(default_factory=dict)
    #: The digests of the attachments in the payload, in order; when it was read as a
    #: stream their bodies were checked but not kept (see :class:`PayloadReader`).
    blob_names: list[str] = field(default_factory=list)
    #: Entries this version does not use, by name (small ones only).
    extras: dict[str, bytes] = field(default_factory=dict)
    #: The number of versions (also when they were handed on as they were read).
    count: int = 0
    #: What was checked, when the versions were handed on as they were read.
    proof: Proof | None = None


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
        if self._newlines >= _LINES_AT_ONCE or len(self._buffer) >= _BYTES_AT_ONCE:
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
        for start in range(0, len(lines), _LINES_AT_ONCE):
            self._decode_lines(lines[start:start + _LINES_AT_ONCE])

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


def encode(manifest: dict[str, Any], changes_text: str, blobs: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr(MANIFEST, _dumps(manifest))
        zf.writestr(CHANGES, changes_text)
        for digest, data in sorted(blobs.items()):
            # Attachments are mostly scans (already compressed): store them as they are.
            zf.writestr(BLOB_DIR + digest, data, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


class PayloadReader:
    """Collects a payload from its ZIP as a stream (see :mod:`~daryn_desktop.sync.stream`).

    The manifest and the versions are kept; each attachment is checked against its name
    (the SHA-256 of its bytes) and, unless ``keep_blobs``, forgotten at once. With
    ``received``, each body goes to ``received(digest, body)`` (which ``wanted(digest)`` may
    skip), for storing them one at a time; without ``changes`` too, only attachments are
    read. With ``changes``,
    the versions are not kept either: they are decoded as they arrive and handed to
    ``changes(batch)`` a few thousand at a time (the manifest must come first, as this
    program writes it), and the payload has only their number and the :class:`Proof` of
    what was checked. Given that ``proof`` (a second reading of the same payload), the
    manifest and the versions must be the very bytes checked, and are not checked again.
    """

    def __init__(self, *, keep_blobs: bool = False,
                 received: Callable[[str, bytes], None] | None = None,
                 wanted: Callable[[str], bool] | None = None,
                 changes: Callable[[list[RemoteChange]], None] | None = None,
                 proof: Proof | None = None):
        self._keep = keep_blobs
        self._proof = proof
        self._received = received
        self._wanted = wanted
        self._changes = changes
        self._lines: ChangeLines | ProvenLines | None = None
        self._parts: dict[str, Collect] = {}
        self._blobs: dict[str, bytes] = {}
        self.blob_names: list[str] = []
        self.stream = ZipStream(self._sink_for, max_unpacked=MAX_UNPACKED)

    def _sink_for(self, name: str) -> Sink | None:
        if name.startswith(BLOB_DIR):
            found = _BLOB_NAME.fullmatch(name)
            if found is None or found.group(1) in self.blob_names:
                raise PayloadError("attachment name")
            digest = found.group(1)
            self.blob_names.append(digest)
            if self._received is not None:
                if self._wanted is not None and not self._wanted(digest):
                    return None
                return Hashed(digest, MAX_BLOB, keep=True, received=self._received)
            return Hashed(digest, MAX_BLOB, keep=self._keep, received=self._blobs.__setitem__)
        if name in self._parts:
            raise PayloadError(f"{name} twice")
        if self._received is not None and self._changes is None:
            return None  # reading attachments only
        if name == CHANGES and self._changes is not None:
            if self._lines is not None:
                raise PayloadError(f"{name} twice")
            if MANIFEST not in self._parts:
                raise PayloadError(f"{MANIFEST} after {CHANGES}")
            if (self._proof is not None
                    and _digest(self._part(MANIFEST)) != self._proof.manifest):
                raise PayloadError(f"{MANIFEST} changed since it was checked")
            fmt, sites = self._format(self._manifest())
            if self._proof is not None:
                self._lines = ProvenLines(sites, fmt, self._changes, self._proof.blocks)
            else:
                self._lines = ChangeLines(sites, fmt, self._changes)
            return self._lines
        limit = {MANIFEST: MAX_MANIFEST, CHANGES: MAX_CHANGES_TEXT}.get(name, MAX_EXTRA)
        self._parts[name] = Collect(limit, name)
        return self._parts[name]

    def _part(self, name: str) -> bytes:
        part = self._parts.get(name)
        if part is None or part.done is None:
            raise PayloadError(f"{name} missing")
        return part.done

    def _manifest(self) -> dict[str, Any]:
        try:
            manifest = json.loads(self._part(MANIFEST))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PayloadError(str(exc)) from None
        if not isinstance(manifest, dict):
            raise PayloadError("manifest")
        return manifest

    @staticmethod
    def _format(manifest: dict[str, Any]) -> tuple[int, list[str]]:
        """The manifest's payload format and site list, if this version reads them."""
        fmt, sites = manifest.get("format"), manifest.get("sites")
        if type(fmt) is int and fmt > PAYLOAD_FORMAT:
            raise NewerPayload("format")
        if (type(fmt) is not int or fmt not in READABLE_FORMATS
                or type(sites) is not list
                or not all(type(site) is str for site in sites)):
            raise PayloadError("manifest")
        return fmt, sites

    def payload(self) -> Payload:
        """The payload read (after the stream ended)."""
        count = 0
        proof = None
        try:
            self.stream.close()
            manifest = self._manifest()
            fmt, sites = self._format(manifest)
            if self._changes is not None:
                if self._lines is None:
                    raise PayloadError(f"{CHANGES} missing")
                changes: list[RemoteChange] = []
                count = self._lines.count
                if isinstance(self._lines, ChangeLines):
                    proof = Proof(_digest(self._part(MANIFEST)), tuple(self._lines.blocks))
            else:
                text = self._part(CHANGES).decode()
                del self._parts[CHANGES]  # the text is not needed beside its versions
                changes = decode_changes(sites, text, fmt)
                count = len(changes)
        except (StreamError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PayloadError(str(exc)) from None
        extras = {name: part.done or b"" for name, part in self._parts.items()
                  if name not in (MANIFEST, CHANGES)}
        return Payload(manifest, changes, dict(self._blobs), list(self.blob_names), extras,
                       count, proof)


def decode(data: bytes) -> Payload:
    """A payload held whole in memory (attachments kept): small ones, and tests."""
    reader = PayloadReader(keep_blobs=True)
    try:
        for start in range(0, len(data), 64 * 1024):
            reader.stream.write(data[start:start + 64 * 1024])
    except StreamError as exc:
        raise PayloadError(str(exc)) from None
    return reader.payload()
