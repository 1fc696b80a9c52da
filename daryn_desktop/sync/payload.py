"""The encrypted inside of a bundle: a ZIP with a manifest, the versions and attachment bodies.

A ZIP (deflated) so that, after ``age -d`` with the escrow key, IT staff can open it with
any archiver: ``manifest.json`` (ids repeated from the signed header, cursors and
acknowledgements, purges), ``changes.jsonl`` (one version group per line) and
``blobs/<sha256>``. Site ids are written once in the manifest and referred to by index.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from daryn_desktop.storage.apply import RemoteChange
from daryn_desktop.sync.payload_format import (
    BLOB_DIR,
    CHANGES,
    MANIFEST,
    MAX_BLOB,
    MAX_CHANGES_TEXT,
    MAX_EXTRA,
    MAX_MANIFEST,
    MAX_UNPACKED,
    PAYLOAD_FORMAT,
    READABLE_FORMATS,
    NewerPayload,
    PayloadError,
    _dumps,
    decode_changes,
    encode_changes,
)
from daryn_desktop.sync.payload_proof import ChangeLines, Proof, ProvenLines, _digest
from daryn_desktop.sync.stream import Collect, Hashed, Sink, StreamError, ZipStream

# The format's names and the line readers are used as ``payload.<name>`` by sync and
# its tests: they stay importable from here.
__all__ = [
    "CHANGES", "MANIFEST", "PAYLOAD_FORMAT", "ChangeLines", "NewerPayload", "Payload",
    "PayloadError", "PayloadReader", "Proof", "ProvenLines", "decode", "decode_changes",
    "encode", "encode_changes",
]

#: An attachment's entry: named by the SHA-256 of its bytes, and nothing else.
_BLOB_NAME = re.compile(r"blobs/([0-9a-f]{64})")


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
