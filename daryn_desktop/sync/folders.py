"""Where sync keeps files beside the database: archive, quarantine, default outbox and inbox."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from daryn_desktop.files import private_dir, write_atomic
from daryn_desktop.sync import bundle
from daryn_desktop.sync.errors import BadHeader, TamperedPayload
from daryn_desktop.sync.stream import PIECE

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

#: A refused file larger than this is noted in the quarantine but not copied there: a
#: gigabyte of junk must not fill the disk twice. It stays where it was (never deleted).
QUARANTINE_COPY_MAX = 128 * 1024**2
#: The longest name a quarantined copy keeps of its file's (with the time stamp before it
#: and ".json" after its note, well within the 255 bytes file systems allow).
_KEPT_NAME_BYTES = 150
#: Characters Windows and FAT32 refuse in file names, and controls.
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def sync_dir(store: Store) -> Path:
    """``sync/`` beside the database file (``<data>/sync`` for the default database)."""
    return store.path.parent / "sync"


def archive_dir(store: Store) -> Path:
    return sync_dir(store) / "archive"


def quarantine_dir(store: Store) -> Path:
    return sync_dir(store) / "quarantine"


__all__ = ["archive_file", "quarantine", "quarantined", "write_atomic"]


def _pieces(path: Path, hasher: Any = None) -> Iterator[bytes]:
    with open(path, "rb") as source:
        while piece := source.read(PIECE):
            if hasher is not None:
                hasher.update(piece)
            yield piece


def archive_file(store: Store, source: Path, bundle_id: str, sha256: str) -> Path:
    """Keep an imported bundle as it arrived (write-once: an existing copy is kept).

    ``bundle_id`` comes from the bundle's header: it names a file only if it is an id
    (never "../x"). The copy must have the SHA-256 the file had when it was checked.
    """
    if not bundle.ID.fullmatch(bundle_id):
        raise BadHeader()
    target = archive_dir(store) / f"{bundle_id}{bundle.SUFFIX}"
    if target.exists():
        return target
    hasher = hashlib.sha256()
    write_atomic(target, _pieces(source, hasher))
    if hasher.hexdigest() != sha256:
        target.unlink(missing_ok=True)  # the file changed after it was checked
        raise TamperedPayload()
    return target


def kept_name(name: str) -> str:
    """A file's name as a quarantined copy keeps it: characters no file system takes
    replaced, and shortened (its suffix kept) so that a 244-character name still fits."""
    cleaned = _NOT_IN_NAMES.sub("_", name).strip(" .") or "file"
    if len(cleaned.encode("utf-8")) <= _KEPT_NAME_BYTES:
        return cleaned
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = cleaned, ""
    tail = f"…{'.' + suffix if suffix else ''}"
    room = _KEPT_NAME_BYTES - len(tail.encode("utf-8"))
    while len(stem.encode("utf-8")) > room:
        stem = stem[:-1]
    return stem + tail


def quarantine(store: Store, source: Path, reason_code: str, message: str) -> Path:
    """Keep a refused file, with a note of why (the reason as it was shown); nothing is ever
    deleted from here. A file too large to be a bundle is noted but not copied: the note
    says where it is. Returns the copy (or the note, when not copied)."""
    folder = private_dir(quarantine_dir(store))
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    name = kept_name(source.name)
    target = folder / f"{stamp}-{name}"
    n = 1
    while target.exists() or target.with_name(target.name + ".json").exists():
        target = folder / f"{stamp}-{n}-{name}"
        n += 1
    try:
        size = source.stat().st_size
    except OSError:
        size = None  # the source vanished: still record the refusal
    copied = size is not None and size <= QUARANTINE_COPY_MAX
    if copied:
        try:
            write_atomic(target, _pieces(source))
        except FileNotFoundError:
            copied = False
    note_path = target.with_name(target.name + ".json")
    note = {"file": source.name, "from": str(source), "reason": reason_code,
            "message": message, "size": size, "copied": copied,
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    write_atomic(note_path, json.dumps(note, ensure_ascii=False, indent=2).encode("utf-8"))
    return target if copied else note_path


def quarantined(store: Store) -> list[dict[str, Any]]:
    """The refused files with their reasons, newest first."""
    folder = quarantine_dir(store)
    if not folder.exists():
        return []
    notes = []
    for note in folder.glob("*.json"):
        try:
            data = json.loads(note.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        data["path"] = str(note.with_suffix(""))
        notes.append(data)
    return sorted(notes, key=lambda n: n.get("at", ""), reverse=True)
