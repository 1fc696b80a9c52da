"""Moving bundles through folders: a USB stick, or an outbox and inbox on a shared folder.

"Sync now" imports every bundle in the inbox that is addressed to us and not yet imported,
then writes a bundle for every paired installation that has something new to send into the
outbox, and removes from the outbox the bundles the other side has acknowledged. Importing
first means the bundles written carry the acknowledgement of what just arrived, so one
round settles both sides. A shared folder may hold other installations' bundles too: those
are left alone, not quarantined.
"""

from __future__ import annotations

import os
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.storage import syncstate
from daryn_desktop.sync import bundle
from daryn_desktop.sync.errors import SyncError
from daryn_desktop.sync.export import (
    ExportResult,
    export_bundle,
    nothing_to_send,
    recipients_for_export,
)
from daryn_desktop.sync.folders import quarantined, sync_dir
from daryn_desktop.sync.identity import own_keys
from daryn_desktop.sync.importer import ImportOutcome, import_bundle
from daryn_desktop.sync.peers import Peer, get_peer, peers

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

OUTBOX_KEY, INBOX_KEY = "sync_outbox", "sync_inbox"


@dataclass
class SyncRun:
    exported: list[ExportResult] = field(default_factory=list)
    imported: list[ImportOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Installations nothing new was written for (no file made).
    nothing_new: list[Peer] = field(default_factory=list)
    #: Our bundles removed from the outbox because their recipient acknowledged them.
    removed: list[Path] = field(default_factory=list)


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
    done = syncstate.imported_bundles(store.db)
    refused = {note.get("from") for note in quarantined(store)}
    found = []
    for path in sorted(folder.glob(f"*{bundle.SUFFIX}")):
        if str(path) in refused:
            continue
        header = _peek(path)
        if header is None:
            found.append(path)  # not readable: import it so that the reason is recorded
        elif header.get("to_key") in ours and header.get("bundle") not in done:
            found.append(path)
    return found


def _peek(path: Path) -> dict[str, Any] | None:
    """The unverified header of a file in a shared folder (None if it has none)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(bundle.MAX_HEAD)
    except OSError:
        return None
    return bundle.peek_header(head)


def sync_now(store: Store, *, progress: Callable[[Progress], None] | None = None,
             cancel: CancelToken | None = None) -> SyncRun:
    """Import the inbox, then export what is new to the outbox, then tidy the outbox."""
    run = SyncRun()
    outbox, inbox = folders(store)
    report = progress or (lambda _p: None)
    incoming = pending_in(store, inbox)
    try:
        targets = recipients_for_export(store)
    except SyncError as exc:
        run.errors.append(exc.translated())
        targets = []
    total = len(targets) + len(incoming)
    step = 0
    for path in incoming:
        if cancel:
            cancel.raise_if_cancelled()
        report(Progress(step, total, path.name))
        run.imported.append(import_bundle(store, path, cancel=cancel))
        step += 1
    for peer in targets:
        if cancel:
            cancel.raise_if_cancelled()
        report(Progress(step, total, peer.name))
        peer = get_peer(store, peer.site_id)  # what the imports just acknowledged
        if nothing_to_send(store, peer):
            run.nothing_new.append(peer)
        else:
            run.exported.append(export_bundle(store, outbox, peer, cancel=cancel))
        step += 1
    run.removed = remove_acknowledged(store, outbox)
    report(Progress(total, total))
    return run


def remove_acknowledged(store: Store, folder: Path) -> list[Path]:
    """Delete from a shared ``folder`` the bundles this installation wrote that their
    recipient has acknowledged (it holds every version in them) and that a newer bundle to
    the same recipient replaces (the newest also carries the latest acknowledgement, which
    nothing tells us was read yet). Files of others stay."""
    if not folder.is_dir():
        return []
    acked = {p.site_id: p.their_ack for p in peers(store)}
    written = {bundle_id: (peer, upto)
               for bundle_id, peer, upto in syncstate.written_bundles(store.db)}
    newest = {peer: bundle_id for bundle_id, (peer, _upto) in written.items()}
    removed = []
    for path in sorted(folder.glob(f"*{bundle.SUFFIX}")):
        header = _peek(path)
        if header is None or header.get("from") != store.site_id:
            continue
        bundle_id = str(header.get("bundle"))
        sent = written.get(bundle_id)
        if (sent is None or path.name != f"{bundle_id}{bundle.SUFFIX}"
                or acked.get(sent[0], -1) < sent[1] or newest[sent[0]] == bundle_id):
            continue
        try:
            path.unlink()
        except OSError:
            continue  # a read-only share: it stays, harmless
        removed.append(path)
    return removed


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
