"""Moving bundles through folders: a USB stick, or an outbox and inbox on a shared folder.

"Sync now" writes a bundle for every paired installation into the outbox and imports every
bundle in the inbox that is addressed to us and not yet imported. A shared folder may hold
other installations' bundles too: those are left alone, not quarantined.
"""

from __future__ import annotations

import os
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.sync import bundle
from daryn_desktop.sync.errors import SyncError
from daryn_desktop.sync.export import ExportResult, export_bundle, recipients_for_export
from daryn_desktop.sync.folders import quarantine_dir, sync_dir
from daryn_desktop.sync.identity import own_keys
from daryn_desktop.sync.importer import ImportOutcome, import_bundle

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

OUTBOX_KEY, INBOX_KEY = "sync_outbox", "sync_inbox"


@dataclass
class SyncRun:
    exported: list[ExportResult] = field(default_factory=list)
    imported: list[ImportOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def folders(store: Store) -> tuple[Path, Path]:
    """The outbox and inbox (settings, or ``sync/outbox`` and ``sync/inbox`` by default)."""
    outbox = store.state(OUTBOX_KEY) or str(sync_dir(store) / "outbox")
    inbox = store.state(INBOX_KEY) or str(sync_dir(store) / "inbox")
    return Path(outbox), Path(inbox)


def set_folders(store: Store, outbox: Path, inbox: Path) -> None:
    store.set_state(OUTBOX_KEY, str(outbox))
    store.set_state(INBOX_KEY, str(inbox))


def pending_in(store: Store, folder: Path) -> list[Path]:
    """Bundles in ``folder`` addressed to this installation and not yet imported or refused."""
    if not folder.is_dir():
        return []
    ours = {k.key_id for k in own_keys(store, "age")}
    done = {r[0] for r in store.db.execute(
        "SELECT bundle_id FROM bundle_log WHERE direction = 'in'")}
    refused = {p.name.split("-", 2)[-1] for p in quarantine_dir(store).glob(f"*{bundle.SUFFIX}")}
    found = []
    for path in sorted(folder.glob(f"*{bundle.SUFFIX}")):
        if path.name in refused:
            continue
        try:
            with open(path, "rb") as fh:
                head = fh.read(bundle.PREFIX_BYTES + bundle.MAX_HEADER + bundle.SIGNATURE_BYTES)
        except OSError:
            continue
        header = bundle.peek_header(head)
        if header is None:
            found.append(path)  # not readable: import it so that the reason is recorded
        elif header.get("to_key") in ours and header.get("bundle") not in done:
            found.append(path)
    return found


def sync_now(store: Store, *, progress: Callable[[Progress], None] | None = None,
             cancel: CancelToken | None = None) -> SyncRun:
    """Export to the outbox for every paired installation, then import the inbox."""
    run = SyncRun()
    outbox, inbox = folders(store)
    report = progress or (lambda _p: None)
    try:
        targets = recipients_for_export(store)
    except SyncError as exc:
        run.errors.append(exc.translated())
        targets = []
    incoming = pending_in(store, inbox)
    total = len(targets) + len(incoming)
    step = 0
    for peer in targets:
        if cancel:
            cancel.raise_if_cancelled()
        report(Progress(step, total, peer.name))
        run.exported.append(export_bundle(store, outbox, peer, cancel=cancel))
        step += 1
    for path in incoming:
        if cancel:
            cancel.raise_if_cancelled()
        report(Progress(step, total, path.name))
        run.imported.append(import_bundle(store, path, cancel=cancel))
        step += 1
    report(Progress(total, total))
    return run


def removable_drives() -> list[Path]:
    """Mounted removable drives (USB sticks) where a bundle can be written."""
    if sys.platform == "win32":
        import ctypes

        drives = []
        mask = ctypes.windll.kernel32.GetLogicalDrives()
        for n, letter in enumerate(string.ascii_uppercase):
            root = f"{letter}:\\"
            # 2 = DRIVE_REMOVABLE
            if mask & (1 << n) and ctypes.windll.kernel32.GetDriveTypeW(root) == 2:
                drives.append(Path(root))
        return drives
    user = os.environ.get("USER") or os.environ.get("USERNAME") or ""
    bases = [Path("/Volumes")] if sys.platform == "darwin" else [
        Path("/media") / user, Path("/run/media") / user, Path("/media")]
    found = []
    for base in bases:
        if base.is_dir():
            for entry in sorted(base.iterdir()):
                if entry.is_dir() and os.path.ismount(entry) and entry not in found:
                    found.append(entry)
    return found
