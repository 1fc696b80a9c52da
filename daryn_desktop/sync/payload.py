"""The encrypted inside of a bundle: a ZIP with a manifest, the versions and attachment bodies.

A ZIP (deflated) so that, after ``age -d`` with the escrow key, IT staff can open it with
any archiver: ``manifest.json`` (ids repeated from the signed header, cursors and
acknowledgements, purges), ``changes.jsonl`` (one version group per line) and
``blobs/<sha256>``. Site ids are written once in the manifest and referred to by index.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from daryn_desktop.storage.writer import RemoteChange

PAYLOAD_FORMAT = 1
MANIFEST = "manifest.json"
CHANGES = "changes.jsonl"
BLOB_DIR = "blobs/"
#: The unpacked payload may not exceed this (a guard against a "zip bomb" from a peer).
MAX_UNPACKED = 4 * 1024**3


class PayloadError(ValueError):
    """The payload is not what a bundle holds."""


@dataclass
class Payload:
    manifest: dict[str, Any]
    changes: list[RemoteChange] = field(default_factory=list)
    blobs: dict[str, bytes] = field(default_factory=dict)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def encode_changes(rows: list[tuple]) -> tuple[list[str], str]:
    """Rows of ``changes`` (origin_site, origin_seq, hlc, tbl, row_id, op, data JSON, author,
    at, prio, supersedes JSON) as JSON lines; returns (site list, text)."""
    sites: dict[str, int] = {}

    def index(site: str) -> int:
        return sites.setdefault(site, len(sites))

    lines = []
    last_hlc = 0
    for site, seq, hlc, tbl, row_id, op, data, author, at, prio, supersedes in rows:
        sup = None
        if supersedes:
            sup = {col: [[index(s), q] for s, q in ids]
                   for col, ids in json.loads(supersedes).items()}
        # The clock as a difference from the previous line: consecutive versions are close.
        line = [index(site), seq, hlc - last_hlc, tbl, row_id, op[0], data, author, at, prio]
        last_hlc = hlc
        if sup:
            line.append(sup)
        lines.append(_line(line))
    return list(sites), "\n".join(lines)


_SLOT = "\x00data\x00"
_SLOT_JSON = json.dumps(_SLOT)


def _line(line: list[Any]) -> str:
    # data is already JSON text: splice it in rather than parse and quote it again.
    data = line[6]
    return _dumps([*line[:6], _SLOT, *line[7:]]).replace(_SLOT_JSON, data, 1)


_DECODER = json.JSONDecoder()


def _as_dict(data: Any) -> dict[str, Any]:
    if type(data) is not dict:
        raise TypeError("the fields of a change are not an object")
    return data


def decode_changes(sites: list[str], text: str) -> list[RemoteChange]:
    out = []
    last_hlc = 0
    ops = {"i": "insert", "u": "update"}
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw:
            continue
        try:
            # raw_decode skips json.loads's whitespace scans (a million lines in a big bundle);
            # a line must still be exactly one JSON value.
            item, end = _DECODER.raw_decode(raw)
            if end != len(raw):
                raise ValueError("text after the change")
            site_idx, seq, hlc_delta, tbl, row_id, op, data, author, at, prio = item[:10]
            sup = item[10] if len(item) > 10 else {}
            hlc = last_hlc + int(hlc_delta)
            last_hlc = hlc
            change = RemoteChange(
                origin_site=sites[site_idx], origin_seq=int(seq), hlc=hlc, tbl=str(tbl),
                row_id=str(row_id), op=ops[op], data=_as_dict(data), author=author, at=str(at),
                prio=int(prio),
                supersedes={str(col): [(sites[s], int(q)) for s, q in ids]
                            for col, ids in sup.items()})
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise PayloadError(f"line {number}: {exc}") from None
        out.append(change)
    return out


def encode(manifest: dict[str, Any], changes_text: str, blobs: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr(MANIFEST, _dumps(manifest))
        zf.writestr(CHANGES, changes_text)
        for digest, data in sorted(blobs.items()):
            # Attachments are mostly scans (already compressed): store them as they are.
            zf.writestr(BLOB_DIR + digest, data, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def decode(data: bytes) -> Payload:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(info.file_size for info in zf.infolist()) > MAX_UNPACKED:
                raise PayloadError("too large")
            manifest = json.loads(zf.read(MANIFEST))
            if not isinstance(manifest, dict) or manifest.get("format") != PAYLOAD_FORMAT:
                raise PayloadError("manifest")
            changes = decode_changes(list(manifest["sites"]), zf.read(CHANGES).decode())
            blobs = {}
            for name in zf.namelist():
                if name.startswith(BLOB_DIR):
                    digest = name[len(BLOB_DIR):]
                    body = zf.read(name)
                    if hashlib.sha256(body).hexdigest() != digest:
                        raise PayloadError("blob hash")
                    blobs[digest] = body
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(str(exc)) from None
    return Payload(manifest, changes, blobs)
