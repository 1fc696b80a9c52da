"""Writing a bundle for a paired installation: everything it has not acknowledged.

District → region: every version written here above the region's acknowledgement.
Region → district: the versions of the district's records (its territory, see ``scope``)
above the district's acknowledgement, including other installations' versions (region
corrections, a previous PC of the same district), all purges, and the region's own
acknowledgement of the district. A new PC of a district has acknowledged nothing, so its
first bundle is a full restore; a restore can also be requested for an existing one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from daryn_desktop import __version__
from daryn_desktop.core.enums import Role
from daryn_desktop.core.ids import new_id
from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.i18n import _
from daryn_desktop.storage import migrations, syncstate
from daryn_desktop.storage.changelog import LogCodec, sql_encode_id
from daryn_desktop.sync import bundle, crypto, figures, payload, rollback, stream
from daryn_desktop.sync.errors import NoPeer, PeerRevoked, VerifyFailed
from daryn_desktop.sync.folders import write_atomic
from daryn_desktop.sync.identity import age_key, escrow_recipients, signing_key
from daryn_desktop.sync.peers import Peer, current_peer_key, get_peer, peers, region_peer
from daryn_desktop.sync.scope import build_scope, mark_changes

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

def _of_records(temp_table: str) -> str:
    """SQL joining the log ``c`` to the records listed in ``temp_table`` (tbl, row_id)."""
    return (f"JOIN change_log c ON c.row_id = {sql_encode_id('x.row_id')}"
            " JOIN log_shapes sh ON sh.num = c.shape AND sh.tbl = x.tbl").replace(
        "x.", f"{temp_table}.")


@dataclass
class ExportPlan:
    """What the next bundle to ``peer`` will hold (shown before exporting)."""

    peer: Peer
    since: int
    upto: int
    full: bool
    changes: int
    tables: dict[str, int] = field(default_factory=dict)


@dataclass
class ExportResult:
    path: Path
    bundle_id: str
    peer: Peer
    since: int
    upto: int
    changes: int
    blobs: int
    size: int
    tables: dict[str, int]
    verified: bool


def recipients_for_export(store: Store, to: str | None = None) -> list[Peer]:
    """The peers a bundle can be made for: a district's region, or the region's districts."""
    if to is not None:
        from daryn_desktop.sync.peers import find_peer

        peer = find_peer(store, to)
        if peer.revoked:
            raise PeerRevoked(name=peer.name)
        return [peer]
    if store.installation.role is Role.DISTRICT:
        return [region_peer(store)]
    found = [p for p in peers(store) if p.role == Role.DISTRICT.value and not p.revoked]
    if not found:
        raise NoPeer()
    return found


def _max_seq(store: Store) -> int:
    return syncstate.max_position(store.db)


def _selection(store: Store, peer: Peer, since: int, full: bool, *,
               remember: bool = True) -> tuple[str, list[Any]]:
    """The SQL (FROM … WHERE …) choosing the versions for ``peer`` above ``since``.

    ``remember=False`` chooses the same without recording the district's territory (a
    preview: see :func:`~daryn_desktop.sync.scope.mark_changes`).
    """
    if store.installation.role is Role.DISTRICT:
        return "FROM change_log c WHERE c.received_from IS NULL AND c.seq > ?", [since]
    sites = syncstate.district_sites(store.db, peer.district_kato) or [peer.site_id]
    build_scope(store, peer.district_kato or "", sites)
    moves = mark_changes(store, peer.site_id, since, remember=remember)
    # The peer's number in our log (-1: nothing of it held, so nothing to leave out).
    num = LogCodec(store.db).known_site(peer.site_id) or -1
    scoped = f"FROM temp.sync_scope {_of_records('sync_scope')} WHERE c.seq > ?"
    params: list[Any] = [since]
    if not full:
        # What the district wrote itself (or received from its own other PC) it holds.
        scoped += " AND c.site != ? AND (c.received_from IS NULL OR c.received_from != ?)"
        params += [num, num]
    # A requested restore (``full``) repeats the district's own versions too (its database
    # may be an old backup); the importer skips those it already holds.
    if not (moves.departed or (since and moves.fresh)):
        return scoped, params
    parts = [f"SELECT c.* {scoped}"]
    if since and moves.fresh:
        # Records new to the district's territory go with their whole history, its own
        # versions included: a pupil that comes back was removed there when it left.
        parts.append(f"SELECT c.* FROM temp.sync_fresh {_of_records('sync_fresh')}"
                     " WHERE c.seq <= ?")
        params.append(since)
    if moves.departed:
        # A pupil that left (or a school): its record's versions, the move among them, tell
        # the district, in a restore too (it may hold the pupil from before).
        parts.append(f"SELECT c.* FROM temp.sync_departed {_of_records('sync_departed')}"
                     " WHERE c.site != ?")
        params.append(num)
    return f"FROM ({' UNION ALL '.join(parts)}) c WHERE 1", params


def _since(peer: Peer, full: bool) -> int:
    return 0 if full or peer.restore_requested else peer.their_ack


def _statement(store: Store, peer: Peer, since: int, full: bool) -> dict[str, Any]:
    """What a bundle to ``peer`` says besides its versions: acknowledgements, restores,
    purges and (from a region) its current escrow key. A bundle with no versions is worth
    writing only when this changed since the last one (see :func:`nothing_to_send`)."""
    me = store.installation
    region = me.role is Role.REGION
    escrow = escrow_recipients(store) if region else []
    return {
        "ack": peer.our_ack,
        # The recipient's own versions we hold: tells it if its database went back in time.
        "held": rollback.held_of(store, peer.site_id),
        # A district whose database was an older copy asks for everything of its own; the
        # region says when a bundle is such a restore (the district's own versions included).
        "want_restore": not region and store.state(rollback.RESTORE_WANTED) == "1",
        "restores": region and since == 0 and bool(full or peer.restore_requested),
        "purges": _purges(store) if region else [],
        # The region's escrow key, so that districts encrypt to a new one after a rotation
        # (the payload's hash is in the signed header: the region vouches for it).
        "escrow": escrow[0] if escrow else None,
    }


def _sent_key(peer: Peer) -> str:
    return f"sent_statement:{peer.site_id}"


def nothing_to_send(store: Store, peer: Peer) -> bool:
    """Whether a bundle to ``peer`` now would carry nothing new: no versions, and the same
    acknowledgements (and the rest of :func:`_statement`) as the last one written."""
    since = _since(peer, False)
    if plan_export(store, peer).changes:
        return False
    said = crypto.canonical(_statement(store, peer, since, False)).decode()
    return store.state(_sent_key(peer)) == said


def plan_export(store: Store, peer: Peer, *, full: bool = False) -> ExportPlan:
    """What the next bundle to ``peer`` would hold; reads only, so that it can run on a
    connection of its own while the window writes."""
    since = _since(peer, full)
    where, params = _selection(store, peer, since, full or peer.restore_requested,
                               remember=False)
    codec = LogCodec(store.db)
    tables: dict[str, int] = {}
    for shape, count in syncstate.count_by_shape(store.db, where, params):
        tbl = codec.shape(shape).tbl
        tables[tbl] = tables.get(tbl, 0) + count
    return ExportPlan(peer, since, _max_seq(store), since == 0, sum(tables.values()), tables)


def export_bundle(store: Store, out_dir: Path, peer: Peer, *, full: bool = False,
                  progress: Callable[[Progress], None] | None = None,
                  cancel: CancelToken | None = None) -> ExportResult:
    """Write the bundle for ``peer`` into ``out_dir`` (atomically) and verify it."""
    if peer.revoked:
        raise PeerRevoked(name=peer.name)
    report = progress or (lambda _p: None)
    report(Progress(0, 3, _("Collecting changes…")))
    since = _since(peer, full)
    upto = _max_seq(store)
    where, params = _selection(store, peer, since, full or peer.restore_requested)
    rows = LogCodec(store.db).versions(syncstate.log_rows(store.db, where, params))
    if cancel:
        cancel.raise_if_cancelled()
    tables: dict[str, int] = {}
    for row in rows:
        tables[row[3]] = tables.get(row[3], 0) + 1
    sites, changes_text = payload.encode_changes(rows)
    blobs = _blobs_to_send(store, peer, rows)
    me = store.installation
    statement = _statement(store, peer, since, full)
    restores = statement["restores"]
    bundle_id = new_id()
    signer = signing_key(store)
    their_age = current_peer_key(store, peer.site_id, "age")
    header: dict[str, Any] = {
        "bundle": bundle_id, "from": me.site_id, "from_key": signer.key_id,
        "to": peer.site_id, "to_key": their_age.key_id, "region": me.region_kato,
        "created": store.clock.now(), "schema": migrations.schema_version(store.db)}
    if signer.endorsement:
        header["endorse"] = json.loads(signer.endorsement)
    manifest = {
        "format": payload.PAYLOAD_FORMAT, "bundle": bundle_id, "from": me.site_id,
        "to": peer.site_id, "from_key": signer.key_id, "to_key": their_age.key_id,
        "region": me.region_kato, "role": me.role.value, "schema": header["schema"],
        "since": since, "upto": upto, "full": since == 0,
        "sites": sites, "tables": tables, "blobs": sorted(blobs), "app": __version__,
        "sender_age": age_key(store).public, **statement,
        # The district's own headline figures, compared at the region (T6).
        figures.KEY: figures.for_bundle(store),
    }
    if restores:
        # Everything the district should hold: it removes pupils it holds from before that
        # are no longer its own (the announcement of their leaving may be long gone).
        manifest["territory"] = syncstate.territory_pupils(store.db)
    report(Progress(1, 3, _("Encrypting and signing…")))
    plain = payload.encode(manifest, changes_text, blobs)
    recipients = [their_age.public]
    recipients += [peer.escrow] if me.role is Role.DISTRICT and peer.escrow else []
    recipients += escrow_recipients(store) if me.role is Role.REGION else []
    data = bundle.seal(header, plain, sign_secret=signer.secret, recipients=recipients)
    if cancel:
        cancel.raise_if_cancelled()
    report(Progress(2, 3, _("Writing and checking the file…")))
    out_dir = Path(out_dir)
    path = out_dir / f"{bundle_id}{bundle.SUFFIX}"
    write_atomic(path, data)
    verify_written(path, hashlib.sha256(data).hexdigest(), signer.public)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with store.db.atomic():
        syncstate.set_local(store.db, _sent_key(peer), crypto.canonical(statement).decode())
        syncstate.record_bundle(
            store.db, bundle_id=bundle_id, direction="out", peer_site=peer.site_id, at=now,
            file_name=path.name, size=len(data), since=since, upto=upto, changes=len(rows),
            applied=0, blobs=sorted(blobs))
        if restores:
            # Requested (1) → sent (2): only an acknowledgement of a restore made after the
            # request settles it (see importer._record_acks).
            syncstate.set_restore_requested(store.db, peer.site_id, 2, only_from=1)
        syncstate.save_clock(store.db, store.clock.last)
    report(Progress(3, 3, _("Done.")))
    return ExportResult(path, bundle_id, get_peer(store, peer.site_id), since, upto, len(rows),
                        len(blobs), len(data), tables, True)


def verify_written(path: Path, expected_sha256: str, signer_public: str) -> None:
    """Read the file back from the device, a piece at a time, and check it before saying
    "safe to remove": the bytes written, the signature and the payload's hash."""
    try:
        with open(path, "rb") as source:
            size = os.fstat(source.fileno()).st_size
            head = bundle.read_head(source, size)
            whole = stream.sha256_of(source, 0, size)
            payload_sha256 = stream.sha256_of(source, head.header_end,
                                              size - head.header_end)
    except Exception:
        raise VerifyFailed(path=str(path)) from None
    if (whole != expected_sha256 or not crypto.verify(signer_public, head.signature, head.signed)
            or payload_sha256 != head.header["payload_sha256"]):
        raise VerifyFailed(path=str(path))


def _blobs_to_send(store: Store, peer: Peer, rows: list[tuple[Any, ...]],
                  ) -> dict[str, bytes]:
    """Attachment bodies of the attachments in the bundle that the peer does not hold."""
    wanted = set()
    for row in rows:
        if row[3] == "attachments" and row[5] == "insert":
            digest = json.loads(row[6]).get("sha256")
            if digest:
                wanted.add(digest)
    if not wanted:
        return {}
    held = syncstate.blobs_of_peer(store.db, peer.site_id)
    out = {}
    for digest in sorted(wanted - held):
        found = syncstate.blob(store.db, digest)
        if found is not None:
            out[digest] = found
    return out


def _purges(store: Store) -> list[dict[str, Any]]:
    return syncstate.purge_rows(store.db)
