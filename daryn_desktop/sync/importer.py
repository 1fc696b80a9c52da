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
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from daryn_desktop.core.enums import Role
from daryn_desktop.core.progress import CancelToken, Progress, cyclic_gc_paused
from daryn_desktop.files import explain_os_error, os_reason
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.storage import syncstate
from daryn_desktop.storage.apply import ApplyResult, RemoteChange, ReusedVersionIds
from daryn_desktop.sync import bundle, crypto, departures, figures, payload, rollback, stream
from daryn_desktop.sync.errors import (
    AnotherRegion,
    BadHeader,
    BadSignature,
    BundleRefused,
    CannotDecrypt,
    Damaged,
    FromOurselves,
    InnerMismatch,
    NewerFormat,
    NotAddressedToUs,
    RevokedKey,
    SenderRolledBack,
    TamperedPayload,
    TooLarge,
    Truncated,
    UnknownSender,
    Unreadable,
)
from daryn_desktop.sync.folders import archive_file, quarantine
from daryn_desktop.sync.identity import age_secrets, own_keys
from daryn_desktop.sync.peers import add_peer_key, peer_key
from daryn_desktop.sync.purge import apply_purge, tombstones, verify_purge

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

IMPORTED, ALREADY, REFUSED = "imported", "already_imported", "refused"
#: Versions applied at a time, all in the one transaction of the import: a district's
#: first bundle (a million versions) is never held whole in memory.
APPLY_BATCH = 20_000
#: A small payload keeps the versions its checking read decoded: applied from there, it is
#: not decrypted and decoded a second time. Small means up to this size (encrypted and
#: compressed; an edit bundle of a day's work is a few tens of KB) and, as decoded, up to
#: :data:`KEEP_CHECKED_VERSIONS` versions holding up to :data:`KEEP_CHECKED_TEXT` characters
#: of values: about 10 MB of memory at most, however well a payload compresses. Past either,
#: the versions are let go and read again, a batch at a time.
KEEP_CHECKED_PAYLOAD = 1 << 20
KEEP_CHECKED_VERSIONS = 5_000
KEEP_CHECKED_TEXT = 2 << 20
#: SQLite's page cache while attachments are stored (KiB).
BLOB_CACHE_KIB = 8 * 1024


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

    path: Path
    header: dict[str, Any]
    #: The manifest and the attachments' names; the versions were checked and counted
    #: (and, but for a small payload's, let go: read again, a batch at a time, to be applied).
    content: payload.Payload
    sender_site: str
    new_keys: list[tuple[str, str]]  # (kind, public) learnt from an endorsement
    size: int
    payload_offset: int
    file_sha256: str  # of the whole file as checked: the archived copy must be the same
    #: From the region to a district: the pupils removed here that the bundle moves back.
    returns: departures.Returns | None = None
    #: The versions as the checking read decoded them, for a small payload (else None:
    #: they are read again to be applied).
    versions: list[RemoteChange] | None = None


def _endorsed_keys(store: Store, header: dict[str, Any]) -> tuple[str, str, list[tuple[str, str]]]:
    """The public signing key for an unknown ``from_key`` vouched for by a known old key:
    (that key, the site of the old key, the keys learnt). The endorsement is a statement
    signed by the old key; the header itself is checked with the new key afterwards."""
    endorse = header.get("endorse")
    if not isinstance(endorse, dict):
        raise UnknownSender()
    try:
        statement = {k: endorse[k] for k in ("site", "sign_key", "age", "by")}
        signature = crypto.unb64(endorse["sig"])
        old = peer_key(store, str(statement["by"]))
    except (KeyError, ValueError, TypeError):
        raise UnknownSender() from None
    if old is None or old.kind != "sign":
        raise UnknownSender()
    if not crypto.verify(old.public, signature, crypto.canonical(statement)):
        raise BadSignature()
    if old.status == "revoked":
        raise RevokedKey()
    if (statement["site"] != old.site_id
            or crypto.key_id(str(statement["sign_key"])) != header.get("from_key")):
        raise BadSignature()
    return (statement["sign_key"], old.site_id,
            [("sign", statement["sign_key"]), ("age", statement["age"])])


def _authenticate(store: Store, head: bundle.Head) -> tuple[str, list[tuple[str, str]]]:
    """Check the header's signature; returns the sender's site and the keys learnt.

    Nothing of the header but the signer's key id is used before its signature is checked:
    a damaged or forged header is refused as such, not for what its fields say.
    """
    header = head.header
    from_key = header.get("from_key")
    if not isinstance(from_key, str):
        raise Damaged()
    own = {k.key_id: k for k in own_keys(store, "sign")}
    if from_key in own:
        if not crypto.verify(own[from_key].public, head.signature, head.signed):
            raise BadSignature()
        raise FromOurselves()
    key = peer_key(store, from_key)
    new_keys: list[tuple[str, str]] = []
    if key is None:
        public, site, new_keys = _endorsed_keys(store, header)
    else:
        public, site = key.public, key.site_id
    if not crypto.verify(public, head.signature, head.signed):
        raise BadSignature()
    # The header is now the signer's own words.
    if (key is not None and key.kind != "sign") or site != header.get("from"):
        # Signed with one installation's key while claiming to be another.
        raise BadSignature()
    if key is not None and key.status == "revoked":
        raise RevokedKey()
    status = syncstate.peer_status(store.db, site)
    if status is None:
        raise UnknownSender()
    if status == "revoked":
        raise RevokedKey()
    return site, new_keys


def _judge_header(store: Store, header: dict[str, Any]) -> tuple[int, str]:
    """The signed header's fields: a newer format, values no bundle has (ids that could
    name a file elsewhere), another region, another recipient. Returns the payload's
    length and SHA-256."""
    try:
        version, min_reader = int(header["v"]), int(header["min_reader"])
    except (KeyError, ValueError, TypeError):
        raise BadHeader() from None
    if version > bundle.FORMAT_VERSION or min_reader > bundle.FORMAT_VERSION:
        raise NewerFormat()
    try:
        length = header["payload_len"]
        ids_ok = bool(all(bundle.ID.fullmatch(header[k]) for k in ("bundle", "from", "to"))
                      and all(bundle.KEY_ID.fullmatch(header[k])
                              for k in ("from_key", "to_key"))
                      and bundle.KATO.fullmatch(header["region"])
                      and re.fullmatch(r"[0-9a-f]{64}", header["payload_sha256"])
                      and type(length) is int and length >= 0
                      and type(header["created"]) is int)
    except (KeyError, TypeError):
        ids_ok = False
    if not ids_ok:
        raise BadHeader()
    me = store.installation
    if header["region"] != me.region_kato:
        raise AnotherRegion(region=header["region"])
    if header["to_key"] not in {k.key_id for k in own_keys(store, "age")}:
        raise NotAddressedToUs()
    return length, header["payload_sha256"]


def _hashes(source: BinaryIO, offset: int, size: int) -> tuple[str, str]:
    """SHA-256 of the whole file and of its payload (from ``offset``), in one reading."""
    whole, part = hashlib.sha256(), hashlib.sha256()
    source.seek(0)
    position = 0
    while position < size:
        piece = source.read(min(stream.PIECE, size - position))
        if not piece:
            raise Truncated()
        whole.update(piece)
        if position + len(piece) > offset:
            part.update(piece[max(offset - position, 0):])
        position += len(piece)
    return whole.hexdigest(), part.hexdigest()


def _decrypt(store: Store, source: BinaryIO, offset: int, length: int, expected: str,
             reader: payload.PayloadReader) -> None:
    """Stream the payload through age into ``reader``; the bytes read must still be the
    ones whose hash was checked (the file may change on a shared folder meanwhile)."""
    section = stream.Section(source, offset, length)
    try:
        crypto.decrypt_stream(section, reader.stream, age_secrets(store))
    except crypto.DecryptError:
        raise CannotDecrypt() from None
    except payload.NewerPayload:
        raise NewerFormat() from None
    except (stream.StreamError, payload.PayloadError):
        raise InnerMismatch() from None
    if section.hasher.hexdigest() != expected:
        raise TamperedPayload()


def verify_bundle(store: Store, path: Path) -> Verified:
    """Every check of the pipeline up to decryption; raises the reason of a refusal.

    The file is never read whole: first its magic and header, then (signature checked,
    header judged, sizes agreeing) its payload's hash piece by piece, then the payload is
    decrypted and unpacked as a stream. Versions and attachments are checked and forgotten
    here (a small payload's versions are kept, see ``KEEP_CHECKED_PAYLOAD``), and read again
    when they are applied and stored; the proof of what was checked
    (the SHA-256 of the manifest and of each block of versions) lets that second reading
    skip the checks of each line, for the same bytes only.
    """
    try:
        with open(path, "rb") as source:
            size = os.fstat(source.fileno()).st_size
            if size > bundle.MAX_BUNDLE:
                raise TooLarge()
            head = bundle.read_head(source, size)
            sender, new_keys = _authenticate(store, head)
            length, expected = _judge_header(store, head.header)
            if size - head.header_end < length:
                raise Truncated()
            if size - head.header_end > length:
                raise TamperedPayload()
            file_sha256, payload_sha256 = _hashes(source, head.header_end, size)
            if payload_sha256 != expected:
                raise TamperedPayload()
            returns = (departures.Returns(store) if _from_region(store, sender) else None)
            kept: list[RemoteChange] | None = [] if length <= KEEP_CHECKED_PAYLOAD else None
            text = 0

            def checked(changes: list[RemoteChange]) -> None:
                nonlocal kept, text
                if returns is not None:
                    returns.see(changes)
                if kept is not None:
                    text += sum(len(c.data_json) if c.data_json is not None else _text_of(c)
                                for c in changes)
                    kept.extend(changes)
                    if len(kept) > KEEP_CHECKED_VERSIONS or text > KEEP_CHECKED_TEXT:
                        kept = None  # not small after all: read again to be applied

            reader = payload.PayloadReader(changes=checked)
            _decrypt(store, source, head.header_end, length, expected, reader)
    except OSError as exc:
        raise Unreadable(reason=os_reason(exc)) from None
    try:
        content = reader.payload()
    except payload.NewerPayload:
        raise NewerFormat() from None
    except payload.PayloadError:
        raise InnerMismatch() from None
    manifest, header = content.manifest, head.header
    for inner, outer in (("bundle", "bundle"), ("from", "from"), ("to", "to"),
                         ("from_key", "from_key"), ("to_key", "to_key"), ("region", "region"),
                         ("schema", "schema")):
        if manifest.get(inner) != header.get(outer):
            raise InnerMismatch()
    return Verified(Path(path), header, content, sender, new_keys, size, head.header_end,
                    file_sha256, returns, kept)


def _text_of(change: RemoteChange) -> int:
    """The characters of a version's texts (one of an older payload, without its JSON)."""
    return sum(len(value) for value in change.data.values() if isinstance(value, str))


def _from_region(store: Store, sender: str) -> bool:
    """Whether ``sender`` is the region and this installation a district."""
    return (syncstate.peer_role(store.db, sender) == Role.REGION.value
            and store.installation.role is Role.DISTRICT)


def _read_again(store: Store, verified: Verified,
                apply: Callable[[list[RemoteChange]], None]) -> None:
    """Read a verified bundle once more: its versions go to ``apply`` a batch at a time,
    then (after them in the payload) the attachments not held yet are stored one at a time.
    What is read must be what was checked when the bundle was verified: its manifest and
    each block of versions the same bytes (SHA-256) before any of them is applied, its
    attachments the same names, its encrypted payload the signed hash. A small payload
    without attachments is not read again: its versions, as checked, are applied."""
    if verified.versions is not None and not verified.content.blob_names:
        held, verified.versions = verified.versions, None  # freed once they are applied
        for start in range(0, len(held), APPLY_BATCH):
            apply(held[start:start + APPLY_BATCH])
        return
    batch: list[RemoteChange] = []
    before: list[int] = []  # the page cache's size, once the attachments begin

    def flush() -> None:
        if batch:
            apply(batch[:])
            batch.clear()

    def versions(changes: list[RemoteChange]) -> None:
        batch.extend(changes)
        if len(batch) >= APPLY_BATCH:
            flush()

    def wanted(digest: str) -> bool:
        if not before:
            flush()
            # Attachment pages are written once and not read again: a small page cache
            # (SQLite writes the rest out to the -wal file) keeps memory flat however many
            # there are.
            before.append(syncstate.cache_size(store.db, BLOB_CACHE_KIB))
        return not syncstate.has_blob(store.db, digest)

    def received(digest: str, body: bytes) -> None:
        syncstate.add_blobs(store.db, [(digest, body)])

    # The versions must be the bytes checked in verify_bundle (their proof), and are not
    # checked line by line again.
    reader = payload.PayloadReader(changes=versions, received=received, wanted=wanted,
                                   proof=verified.content.proof)
    header = verified.header
    try:
        with open(verified.path, "rb") as source:
            _decrypt(store, source, verified.payload_offset, header["payload_len"],
                     header["payload_sha256"], reader)
        content = reader.payload()
    except (OSError, stream.StreamError, payload.PayloadError, InnerMismatch, CannotDecrypt,
            NewerFormat):
        raise TamperedPayload() from None  # it was checked a moment ago: changed since
    finally:
        if before:
            syncstate.restore_cache_size(store.db, before[0])
    flush()
    if (content.count != verified.content.count
            or content.blob_names != verified.content.blob_names):
        raise TamperedPayload()


def import_bundle(store: Store, path: Path, *,
                  progress: Callable[[Progress], None] | None = None,
                  cancel: CancelToken | None = None) -> ImportOutcome:
    """Import one bundle file; a refusal is reported in the outcome (and quarantined)."""
    # A district's first bundle is a million parsed versions, none of them cyclic garbage.
    with cyclic_gc_paused():
        return _import_bundle(store, Path(path), progress, cancel)


def _refuse(store: Store, path: Path, refusal: BundleRefused,
            outcome: ImportOutcome | None = None) -> ImportOutcome:
    """The outcome of a refused file, kept in the quarantine with the reason as shown."""
    message = refusal.translated()
    kept = None
    try:
        kept = quarantine(store, path, refusal.code, message)
    except OSError as exc:
        message += " " + _("It could not be kept in the quarantine folder: {reason}").format(
            reason=explain_os_error(exc).translated())
    return ImportOutcome(path, REFUSED, bundle_id=outcome.bundle_id if outcome else None,
                         sender=outcome.sender if outcome else None, reason=refusal.code,
                         message=message, quarantine_path=kept)


def _import_bundle(store: Store, path: Path, progress: Callable[[Progress], None] | None,
                   cancel: CancelToken | None) -> ImportOutcome:
    report = progress or (lambda _p: None)
    report(Progress(0, 3, _("Checking {file}…").format(file=path.name)))
    try:
        verified = verify_bundle(store, path)
    except BundleRefused as refusal:
        return _refuse(store, path, refusal)
    header = verified.header
    outcome = ImportOutcome(path, IMPORTED, bundle_id=header["bundle"],
                            sender=_sender_name(store, verified.sender_site))
    if syncstate.imported_bundle(store.db, header["bundle"]):
        outcome.status = ALREADY
        return outcome
    if cancel:
        cancel.raise_if_cancelled()
    report(Progress(1, 3, _("Applying {file}…").format(file=path.name)))
    try:
        try:
            archive_file(store, path, header["bundle"], verified.file_sha256)
        except OSError as exc:  # a full disk: told, and nothing imported
            raise explain_os_error(exc) from exc
        _apply(store, verified, path, outcome)
    except ReusedVersionIds:
        return _refuse(store, path, SenderRolledBack(), outcome)
    except BundleRefused as refusal:
        return _refuse(store, path, refusal, outcome)
    report(Progress(3, 3, _("Done.")))
    return outcome


def _sender_name(store: Store, site: str) -> str:
    return syncstate.peer_name(store.db, site) or site


def _apply(store: Store, verified: Verified, path: Path, outcome: ImportOutcome) -> None:
    header, content = verified.header, verified.content
    manifest = content.manifest
    sender = verified.sender_site
    sender_role = syncstate.peer_role(store.db, sender)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    # Versions of a filtered stream may reference rows not sent (or purged): foreign keys
    # are checked by the integrity report instead of refusing the whole bundle.
    syncstate.foreign_keys(store.db, False)
    try:
        with store.bulk_cache(), store.transaction() as writer:
            # A database put back from an older copy: see sync/rollback.py.
            ack = rollback.reposition_if_acked_beyond(store, sender, int(manifest["ack"]))
            acked = min(ack, syncstate.their_ack(store.db, sender))
            outcome.renumbered = rollback.renumber_if_rolled_back(
                store, writer, held=manifest.get("held"), acked=acked)
            for kind, public in verified.new_keys:
                add_peer_key(store, sender, kind, public)
            if sender_role == Role.REGION.value:
                outcome.purged = _apply_purges(store, manifest.get("purges") or [], sender)
            writer.materialize_pending()
            from_region = verified.returns is not None
            if verified.returns is not None:
                verified.returns.welcome(store)
            result = ApplyResult()

            def apply(changes: list[RemoteChange]) -> None:
                # The marks are read again: a batch may pass a purge or a move on to new rows.
                writer.apply_remote(changes, received_from=sender, tombstones=tombstones(store),
                                    away=departures.away(store), result=result)

            _read_again(store, verified, apply)
            digests = sorted(set(content.blob_names) | set(content.blobs))
            if content.blobs:  # read whole (a payload decoded in memory)
                syncstate.add_blobs(store.db, list(content.blobs.items()))
            if digests:
                syncstate.peer_holds_blobs(store.db, sender, digests)
            _record_acks(store, sender, header, manifest, ack)
            figures.receive(store, sender, header["bundle"], manifest)
            if from_region:
                territory = manifest.get("territory") if manifest.get("restores") else None
                moved = departures.remove_departed(
                    store, sender, territory=set(territory) if territory is not None else None)
                outcome.moved_away, outcome.moving = moved.removed, moved.waiting
            syncstate.record_bundle(
                store.db, bundle_id=header["bundle"], direction="in", peer_site=sender, at=now,
                file_name=path.name, size=verified.size, since=int(manifest["since"]),
                upto=int(manifest["upto"]), changes=result.received, applied=result.new,
                blobs=digests)
    finally:
        syncstate.foreign_keys(store.db, True)
    outcome.received, outcome.new_changes = result.received, result.new
    outcome.conflicts, outcome.tables = result.conflicts_touched, result.tables


def _apply_purges(store: Store, purges: list[dict[str, Any]], sender: str) -> int:
    done = syncstate.purge_ids(store.db)
    count = 0
    for purge in purges:
        if not isinstance(purge, dict) or purge.get("purge_id") in done:
            continue
        key = peer_key(store, str(purge.get("signer_key")))
        if (key is None or key.site_id != sender or key.kind != "sign"
                or purge.get("region_kato") != store.installation.region_kato
                or not verify_purge(purge, key.public)):
            continue  # not a purge the region signed: ignored, never applied
        syncstate.save_purge(store.db, purge)
        apply_purge(store, purge)
        count += 1
    return count


def _record_acks(store: Store, sender: str, header: dict[str, Any],
                 manifest: dict[str, Any], ack: int) -> None:
    """Remember what the sender confirmed of ours (``ack``), and what we now hold of theirs."""
    since, upto = int(manifest["since"]), int(manifest["upto"])
    created = int(header["created"])
    our_ack, their_hlc, restore = syncstate.ack_state(store.db, sender)
    # Their stream has no gap on our side only if this bundle starts at or below what we
    # held; otherwise keep our acknowledgement and let them send the gap again.
    if since <= our_ack:
        our_ack = max(our_ack, upto)
    if created > their_hlc:
        # The newest bundle's statement wins (it may go down after a restore: resend).
        syncstate.save_their_ack(store.db, sender, ack, created)
        # Attachment bodies in our bundles up to that point are now known to be there.
        syncstate.peer_holds_blobs(store.db, sender,
                                   syncstate.blobs_sent_upto(store.db, sender, ack))
        if restore == 2:  # a restore was sent after the request: is it acknowledged?
            restored = syncstate.last_restore_sent(store.db, sender)
            if restored is not None and ack >= restored:
                syncstate.set_restore_requested(store.db, sender, 0)
        escrow = manifest.get("escrow")
        if (store.installation.role is Role.DISTRICT and isinstance(escrow, str)
                and crypto.is_age_recipient(escrow)):
            # The region's newest escrow key (after "keys escrow" made a new one): bundles
            # from here on are encrypted to it. The region vouches for it: the payload's
            # hash is in its signed header.
            syncstate.set_peer_escrow(store.db, sender, escrow)
        if manifest.get("want_restore") and store.installation.role is Role.REGION:
            # The district's database is an older copy: it wants everything of its own back.
            syncstate.set_restore_requested(store.db, sender, 1)
    syncstate.save_our_ack(store.db, sender, our_ack)
    if manifest.get("restores") and store.installation.role is Role.DISTRICT:
        syncstate.set_local(store.db, rollback.RESTORE_WANTED, None)


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
