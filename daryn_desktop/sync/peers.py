"""Paired installations: trusting a key card, their keys, revoking one, acknowledgements."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.enums import Role
from daryn_desktop.core.validation import check_installation_name
from daryn_desktop.storage import syncstate
from daryn_desktop.sync.card import KeyCard, normalize_fingerprint
from daryn_desktop.sync.errors import (
    CardOfAnotherRegion,
    CardOfOurselves,
    CardWrongRole,
    FingerprintMismatch,
    NoRegionPeer,
    OnlyRegion,
    UnknownPeer,
)

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store


@dataclass(frozen=True)
class Peer:
    site_id: str
    role: str
    region_kato: str
    district_kato: str | None
    name: str
    escrow: str | None
    status: str
    trusted_at: str
    their_ack: int
    our_ack: int
    restore_requested: bool
    last_import_at: str | None
    last_export_at: str | None

    @property
    def revoked(self) -> bool:
        return self.status == "revoked"


@dataclass(frozen=True)
class PeerKey:
    key_id: str
    site_id: str
    kind: str
    public: str
    status: str


def check_card(store: Store, card: KeyCard) -> None:
    """Refuse a card this installation must not pair with (star topology, same region)."""
    inst = store.installation
    if card.site_id == inst.site_id:
        raise CardOfOurselves()
    if card.region_kato != inst.region_kato:
        raise CardOfAnotherRegion(region=card.region_kato)
    wanted = Role.REGION.value if inst.role is Role.DISTRICT else Role.DISTRICT.value
    if card.role != wanted:
        raise CardWrongRole()


def trust_card(store: Store, card: KeyCard, *, fingerprint: str | None = None) -> Peer:
    """Pair with the installation of ``card`` (after the fingerprints were compared).

    ``fingerprint``, when given, is what the other side read aloud and must match. Pairing
    again with a newer card of the same installation keeps its old keys as old keys.
    """
    check_card(store, card)
    if fingerprint is not None and normalize_fingerprint(fingerprint) != card.fingerprint:
        raise FingerprintMismatch()
    # The name as shown in lists: one line, no control characters (see core.text).
    card = replace(card, name=check_installation_name(card.name))
    with store.db.atomic():
        syncstate.save_peer(store.db, card.site_id, card.role, card.region_kato,
                            card.district_kato, card.name, card.escrow)
        add_peer_key(store, card.site_id, "sign", card.sign_key)
        add_peer_key(store, card.site_id, "age", card.age_recipient)
    return get_peer(store, card.site_id)


def add_peer_key(store: Store, site_id: str, kind: str, public: str) -> None:
    """Make ``public`` the peer's current key of ``kind``; earlier ones become old keys."""
    from daryn_desktop.sync.crypto import key_id

    syncstate.add_peer_key(store.db, key_id(public), site_id, kind, public)


def _peer(row: tuple[Any, ...]) -> Peer:
    values = list(row)
    values[10] = bool(values[10])
    return Peer(*values)


def peers(store: Store) -> list[Peer]:
    return [_peer(r) for r in syncstate.peer_rows(store.db)]


def get_peer(store: Store, site_id: str) -> Peer:
    rows = syncstate.peer_rows(store.db, site_id)
    if not rows:
        raise UnknownPeer(site=site_id)
    return _peer(rows[0])


def find_peer(store: Store, text: str) -> Peer:
    """A peer by site id (or its first characters), or by its exact name."""
    matches = [p for p in peers(store) if p.site_id.startswith(text) or p.name == text]
    if len(matches) != 1:
        raise UnknownPeer(site=text)
    return matches[0]


def region_peer(store: Store) -> Peer:
    """A district's regional centre (the newest trusted one)."""
    found = [p for p in peers(store) if p.role == Role.REGION.value and not p.revoked]
    if not found:

        raise NoRegionPeer()
    return sorted(found, key=lambda p: p.trusted_at)[-1]


def peer_key(store: Store, key_id: str) -> PeerKey | None:
    row = syncstate.peer_key(store.db, key_id)
    return PeerKey(*row) if row else None


def current_peer_key(store: Store, site_id: str, kind: str) -> PeerKey:
    row = syncstate.current_peer_key(store.db, site_id, kind)
    if row is None:
        raise UnknownPeer(site=site_id)
    return PeerKey(*row)


def revoke(store: Store, site_id: str) -> Peer:
    """A regional centre revokes a lost or stolen installation: its bundles are refused
    from now on and nothing more is encrypted to it."""
    if store.installation.role is not Role.REGION:
        raise OnlyRegion()
    peer = get_peer(store, site_id)
    with store.db.atomic():
        syncstate.revoke_peer(store.db, peer.site_id)
    return get_peer(store, site_id)


def request_restore(store: Store, site_id: str) -> None:
    """The next bundle to this peer repeats everything of its district (a new PC)."""
    with store.db.atomic():
        syncstate.set_restore_requested(store.db, site_id, 1)
