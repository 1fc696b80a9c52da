"""Importing bundles: check everything first, then apply in one transaction, or refuse.

The order of checks follows DESIGN §3: size and magic → a known, unrevoked signer → the
signature → addressed to us, in our region → the payload's length and hash → decrypt (with
current and old keys) → the inner ids equal the header → archive the raw file → apply in
one transaction. Any failure raises a specific :class:`BundleRefused`; the database is
unchanged and the file is copied into the quarantine folder (never deleted).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.enums import Role
from daryn_desktop.core.progress import CancelToken, Progress, cyclic_gc_paused
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.storage.writer import ReusedVersionIds
from daryn_desktop.sync import bundle, crypto, departures, figures, payload, rollback
from daryn_desktop.sync.errors import (
    AnotherRegion,
    BadSignature,
    BundleRefused,
    CannotDecrypt,
    FromOurselves,
    InnerMismatch,
    NewerFormat,
    NotABundle,
    NotAddressedToUs,
    RevokedKey,
    SenderRolledBack,
    TamperedPayload,
    TooLarge,
    Truncated,
    UnknownSender,
)
from daryn_desktop.sync.folders import archive, quarantine
from daryn_desktop.sync.identity import age_secrets, own_keys
from daryn_desktop.sync.peers import add_peer_key, peer_key
from daryn_desktop.sync.purge import apply_purge, tombstones, verify_purge

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

IMPORTED, ALREADY, REFUSED = "imported", "already_imported", "refused"


@dataclass
class ImportOutcome:
    """What happened to one file."""

    path: Path
    status: str
    bundle_id: str | None = None
    sender: str | None = None
    reason: str | None = None
    message: str = ""
    new_changes: int = 0
    received: int = 0
    conflicts: int = 0
    purged: int = 0
    moved_away: int = 0  # pupils now in another district, removed here
    moving: int = 0  # pupils now in another district, kept until the region has our edits
    renumbered: int = 0  # our versions given new numbers: this database was an older copy
    tables: dict[str, int] = field(default_factory=dict)
    quarantine_path: Path | None = None

    def describe(self) -> str:
        """One translated line for the person."""
        if self.status == IMPORTED:
            text = _("{file}: imported — {new} new of {count} changes from {sender}").format(
                file=self.path.name, new=self.new_changes, count=self.received,
                sender=self.sender or "?")
            return text + self.moves_text()
        if self.status == ALREADY:
            return _("{file}: already imported earlier; nothing changed").format(
                file=self.path.name)
        return _("{file}: refused — {reason}").format(file=self.path.name, reason=self.message)

    def moves_text(self) -> str:
        """What the region's bundle moved away, as a suffix of the outcome's line (or "")."""
        text = ""
        if self.moved_away:
            text += "; " + ngettext(
                "{count} pupil moved to another district and was removed here",
                "{count} pupils moved to another district and were removed here",
                self.moved_away).format(count=self.moved_away)
        if self.moving:
            text += "; " + ngettext(
                "{count} pupil moved to another district; removed here once the region"
                " has this installation's changes",
                "{count} pupils moved to another district; removed here once the region"
                " has this installation's changes", self.moving).format(count=self.moving)
        return text


@dataclass
class Verified:
    """A bundle whose every check passed, ready to apply."""

    data: bytes
    header: dict[str, Any]
    content: payload.Payload
    sender_site: str
    new_keys: list[tuple[str, str]]  # (kind, public) learnt from an endorsement


def _endorsed_keys(store: Store, header: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    """The public signing key for an unknown ``from_key`` vouched for by a known old key."""
    endorse = header.get("endorse")
    if not isinstance(endorse, dict):
        raise UnknownSender()
    try:
        statement = {k: endorse[k] for k in ("site", "sign_key", "age", "by")}
        signature = crypto.unb64(endorse["sig"])
    except (KeyError, ValueError, TypeError):
        raise UnknownSender() from None
    old = peer_key(store, statement["by"])
    if old is None or old.kind != "sign" or old.site_id != header.get("from"):
        raise UnknownSender()
    if old.status == "revoked":
        raise RevokedKey()
    if (crypto.key_id(statement["sign_key"]) != header.get("from_key")
            or statement["site"] != header.get("from")
            or not crypto.verify(old.public, signature, crypto.canonical(statement))):
        raise BadSignature()
    return statement["sign_key"], [("sign", statement["sign_key"]), ("age", statement["age"])]


def verify_bundle(store: Store, data: bytes) -> Verified:
    """Every check of the pipeline up to decryption; raises the reason of a refusal."""
    if len(data) > bundle.MAX_BUNDLE:
        raise TooLarge()
    sealed = bundle.split(data)
    header = sealed.header
    try:
        version, min_reader = int(header["v"]), int(header["min_reader"])
        sender, to_key, region = str(header["from"]), str(header["to_key"]), str(header["region"])
        from_key = str(header["from_key"])
        expected_len, expected_hash = int(header["payload_len"]), str(header["payload_sha256"])
    except (KeyError, ValueError, TypeError):
        raise NotABundle() from None
    if version > bundle.FORMAT_VERSION or min_reader > bundle.FORMAT_VERSION:
        raise NewerFormat()
    me = store.installation
    if sender == me.site_id:
        raise FromOurselves()
    if region != me.region_kato:
        raise AnotherRegion(region=region)
    key = peer_key(store, from_key)
    new_keys: list[tuple[str, str]] = []
    if key is None:
        public, new_keys = _endorsed_keys(store, header)
    else:
        if key.kind != "sign" or key.site_id != sender:
            # Signed with one installation's key while claiming to be another.
            raise BadSignature()
        if key.status == "revoked":
            raise RevokedKey()
        public = key.public
    status = store.db.execute("SELECT status FROM peers WHERE site_id = ?", [sender]).fetchone()
    if status is None:
        raise UnknownSender()
    if status[0] == "revoked":
        raise RevokedKey()
    if not crypto.verify(public, sealed.signature, sealed.signed):
        raise BadSignature()
    if to_key not in {k.key_id for k in own_keys(store, "age")}:
        raise NotAddressedToUs()
    if len(sealed.ciphertext) < expected_len:
        raise Truncated()
    if (len(sealed.ciphertext) > expected_len
            or hashlib.sha256(sealed.ciphertext).hexdigest() != expected_hash):
        raise TamperedPayload()
    try:
        plain = crypto.decrypt(sealed.ciphertext, age_secrets(store))
    except crypto.DecryptError:
        raise CannotDecrypt() from None
    try:
        content = payload.decode(plain)
    except payload.NewerPayload:
        raise NewerFormat() from None
    except payload.PayloadError:
        raise InnerMismatch() from None
    manifest = content.manifest
    for inner, outer in (("bundle", "bundle"), ("from", "from"), ("to", "to"),
                         ("from_key", "from_key"), ("to_key", "to_key"), ("region", "region"),
                         ("schema", "schema")):
        if manifest.get(inner) != header.get(outer):
            raise InnerMismatch()
    return Verified(data, header, content, sender, new_keys)


def import_bundle(store: Store, path: Path, *,
                  progress: Callable[[Progress], None] | None = None,
                  cancel: CancelToken | None = None) -> ImportOutcome:
    """Import one bundle file; a refusal is reported in the outcome (and quarantined)."""
    # A district's first bundle is a million parsed versions, none of them cyclic garbage.
    with cyclic_gc_paused():
        return _import_bundle(store, Path(path), progress, cancel)


def _import_bundle(store: Store, path: Path, progress: Callable[[Progress], None] | None,
                   cancel: CancelToken | None) -> ImportOutcome:
    report = progress or (lambda _p: None)
    report(Progress(0, 3, _("Checking {file}…").format(file=path.name)))
    try:
        try:
            size = path.stat().st_size
            if size > bundle.MAX_BUNDLE:
                raise TooLarge()
            data = path.read_bytes()
        except OSError:
            raise NotABundle() from None
        verified = verify_bundle(store, data)
    except BundleRefused as refusal:
        kept = quarantine(store, path, refusal.code, refusal.message)
        return ImportOutcome(path, REFUSED, reason=refusal.code, message=refusal.translated(),
                             quarantine_path=kept)
    header = verified.header
    outcome = ImportOutcome(path, IMPORTED, bundle_id=header["bundle"],
                            sender=_sender_name(store, verified.sender_site))
    if store.db.execute("SELECT 1 FROM bundle_log WHERE bundle_id = ? AND direction = 'in'",
                        [header["bundle"]]).fetchone():
        outcome.status = ALREADY
        return outcome
    if cancel:
        cancel.raise_if_cancelled()
    report(Progress(1, 3, _("Applying {file}…").format(file=path.name)))
    archive(store, data, header["bundle"], bundle.SUFFIX)
    try:
        _apply(store, verified, path, outcome)
    except ReusedVersionIds:
        refusal = SenderRolledBack()
        kept = quarantine(store, path, refusal.code, refusal.message)
        return ImportOutcome(path, REFUSED, bundle_id=header["bundle"], sender=outcome.sender,
                             reason=refusal.code, message=refusal.translated(),
                             quarantine_path=kept)
    report(Progress(3, 3, _("Done.")))
    return outcome


def _sender_name(store: Store, site: str) -> str:
    row = store.db.execute("SELECT name FROM peers WHERE site_id = ?", [site]).fetchone()
    return row[0] if row else site


def _apply(store: Store, verified: Verified, path: Path, outcome: ImportOutcome) -> None:
    header, content = verified.header, verified.content
    manifest = content.manifest
    sender = verified.sender_site
    sender_role = store.db.execute("SELECT role FROM peers WHERE site_id = ?",
                                   [sender]).fetchone()[0]
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    # Versions of a filtered stream may reference rows not sent (or purged): foreign keys
    # are checked by the integrity report instead of refusing the whole bundle.
    store.db.execute("PRAGMA foreign_keys = OFF")
    try:
        with store.bulk_cache(), store.transaction() as writer:
            # A database put back from an older copy: see sync/rollback.py.
            ack = rollback.reposition_if_acked_beyond(store, sender, int(manifest["ack"]))
            acked = min(ack, store.db.execute("SELECT their_ack FROM peers WHERE site_id = ?",
                                              [sender]).fetchone()[0])
            outcome.renumbered = rollback.renumber_if_rolled_back(
                store, writer, held=manifest.get("held"), acked=acked)
            for kind, public in verified.new_keys:
                add_peer_key(store, sender, kind, public)
            if sender_role == Role.REGION.value:
                outcome.purged = _apply_purges(store, manifest.get("purges") or [], sender)
            writer.materialize_pending()
            from_region = (sender_role == Role.REGION.value
                           and store.installation.role is Role.DISTRICT)
            if from_region:
                departures.welcome_back(store, content.changes)
            result = writer.apply_remote(content.changes, received_from=sender,
                                         tombstones=tombstones(store),
                                         away=departures.away(store))
            if content.blobs:
                store.db.conn.executemany(
                    "INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)",
                    list(content.blobs.items()))
                store.db.conn.executemany(
                    "INSERT OR IGNORE INTO peer_blobs (peer_site, sha256) VALUES (?, ?)",
                    [(sender, d) for d in content.blobs])
            _record_acks(store, sender, header, manifest, ack)
            figures.receive(store, sender, header["bundle"], manifest)
            if from_region:
                territory = manifest.get("territory") if manifest.get("restores") else None
                moved = departures.remove_departed(
                    store, sender, territory=set(territory) if territory is not None else None)
                outcome.moved_away, outcome.moving = moved.removed, moved.waiting
            store.db.execute(
                "INSERT INTO bundle_log (bundle_id, direction, peer_site, at, file_name, size,"
                " since, upto, changes, applied, blobs) VALUES (?, 'in', ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?)", [header["bundle"], sender, now, path.name, len(verified.data),
                        int(manifest["since"]), int(manifest["upto"]), result.received,
                        result.new, " ".join(sorted(content.blobs)) or None])
    finally:
        store.db.execute("PRAGMA foreign_keys = ON")
    outcome.received, outcome.new_changes = result.received, result.new
    outcome.conflicts, outcome.tables = result.conflicts_touched, result.tables


def _apply_purges(store: Store, purges: list[dict[str, Any]], sender: str) -> int:
    done = {r[0] for r in store.db.execute("SELECT purge_id FROM purges")}
    count = 0
    for purge in purges:
        if not isinstance(purge, dict) or purge.get("purge_id") in done:
            continue
        key = peer_key(store, str(purge.get("signer_key")))
        if (key is None or key.site_id != sender or key.kind != "sign"
                or purge.get("region_kato") != store.installation.region_kato
                or not verify_purge(purge, key.public)):
            continue  # not a purge the region signed: ignored, never applied
        store.db.execute(
            "INSERT INTO purges (purge_id, tbl, row_id, at, region_kato, signer_key, signature)"
            " VALUES (:purge_id, :tbl, :row_id, :at, :region_kato, :signer_key, :signature)",
            {k: purge[k] for k in ("purge_id", "tbl", "row_id", "at", "region_kato",
                                   "signer_key", "signature")})
        apply_purge(store, purge)
        count += 1
    return count


def _record_acks(store: Store, sender: str, header: dict[str, Any],
                 manifest: dict[str, Any], ack: int) -> None:
    """Remember what the sender confirmed of ours (``ack``), and what we now hold of theirs."""
    since, upto = int(manifest["since"]), int(manifest["upto"])
    created = int(header["created"])
    row = store.db.execute("SELECT our_ack, their_ack_hlc, restore_requested FROM peers"
                           " WHERE site_id = ?", [sender]).fetchone()
    our_ack, their_hlc, restore = row
    # Their stream has no gap on our side only if this bundle starts at or below what we
    # held; otherwise keep our acknowledgement and let them send the gap again.
    if since <= our_ack:
        our_ack = max(our_ack, upto)
    if created > their_hlc:
        # The newest bundle's statement wins (it may go down after a restore: resend).
        store.db.execute("UPDATE peers SET their_ack = ?, their_ack_hlc = ? WHERE site_id = ?",
                         [ack, created, sender])
        # Attachment bodies in our bundles up to that point are now known to be there.
        for (blobs,) in store.db.execute(
                "SELECT blobs FROM bundle_log WHERE direction = 'out' AND peer_site = ? AND"
                " upto <= ? AND blobs IS NOT NULL", [sender, ack]).fetchall():
            store.db.conn.executemany(
                "INSERT OR IGNORE INTO peer_blobs (peer_site, sha256) VALUES (?, ?)",
                [(sender, d) for d in blobs.split()])
        if restore == 2:  # a restore was sent after the request: is it acknowledged?
            restored = store.db.execute(
                "SELECT max(upto) FROM bundle_log WHERE direction = 'out' AND peer_site = ?"
                " AND since = 0", [sender]).fetchone()[0]
            if restored is not None and ack >= restored:
                store.db.execute("UPDATE peers SET restore_requested = 0 WHERE site_id = ?",
                                 [sender])
        if manifest.get("want_restore") and store.installation.role is Role.REGION:
            # The district's database is an older copy: it wants everything of its own back.
            store.db.execute("UPDATE peers SET restore_requested = 1 WHERE site_id = ?",
                             [sender])
    store.db.execute("UPDATE peers SET our_ack = ?, last_import_at = ? WHERE site_id = ?",
                     [our_ack, datetime.now(timezone.utc).isoformat(timespec="seconds"), sender])
    if manifest.get("restores") and store.installation.role is Role.DISTRICT:
        store.db.execute("DELETE FROM local_state WHERE key = ?", [rollback.RESTORE_WANTED])


def import_files(store: Store, paths: Iterable[Path], *,
                 progress: Callable[[Progress], None] | None = None,
                 cancel: CancelToken | None = None) -> list[ImportOutcome]:
    """Import several files; bundles are independent, so order does not matter."""
    outcomes = []
    paths = list(paths)
    for number, path in enumerate(paths):
        if cancel:
            cancel.raise_if_cancelled()
        if progress:
            progress(Progress(number, len(paths), _("Importing {file}…").format(
                file=Path(path).name)))
        outcomes.append(import_bundle(store, Path(path), cancel=cancel))
    return outcomes


def describe_header(data: bytes) -> str:
    """The header of a bundle as JSON text, for people investigating a refused file."""
    header = bundle.peek_header(data)
    return json.dumps(header, indent=2) if header is not None else ""
