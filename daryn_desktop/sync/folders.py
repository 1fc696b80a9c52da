"""Where sync keeps files beside the database: archive, quarantine, default outbox and inbox."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store


def sync_dir(store: Store) -> Path:
    """``sync/`` beside the database file (``<data>/sync`` for the default database)."""
    return store.path.parent / "sync"


def archive_dir(store: Store) -> Path:
    return sync_dir(store) / "archive"


def quarantine_dir(store: Store) -> Path:
    return sync_dir(store) / "quarantine"


def write_atomic(path: Path, data: bytes) -> None:
    """Write under a temporary name, flush to the device, then rename: a reader (or a stick
    pulled out too early) never sees half a file under the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (not on Windows)
        fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def archive(store: Store, data: bytes, bundle_id: str, suffix: str) -> Path:
    """Keep an imported bundle as it arrived (write-once: an existing copy is kept)."""
    target = archive_dir(store) / f"{bundle_id}{suffix}"
    if not target.exists():
        write_atomic(target, data)
    return target


def quarantine(store: Store, source: Path, reason_code: str, message: str) -> Path:
    """Keep a refused file, with a note of why; nothing is ever deleted from here."""
    folder = quarantine_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{stamp}-{source.name}"
    n = 1
    while target.exists():
        target = folder / f"{stamp}-{n}-{source.name}"
        n += 1
    try:
        shutil.copy2(source, target)
    except OSError:
        target.write_bytes(b"")  # the source vanished: still record the refusal
    note = {"file": source.name, "from": str(source), "reason": reason_code,
            "message": message, "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    target.with_name(target.name + ".json").write_text(
        json.dumps(note, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


def quarantined(store: Store) -> list[dict]:
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
