"""This installation's keys: created once, rotated on request, old ones kept for old bundles.

Private keys live in the ``sync_keys`` table of the encrypted database, so they are wrapped
under the password like everything else. A regional centre also has an offline *escrow* key
to which every bundle is encrypted as well: only its public half stays in the database; the
secret is shown once, to be printed and locked in a safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from daryn_desktop.core.enums import Role
from daryn_desktop.storage import syncstate
from daryn_desktop.sync import crypto

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store


@dataclass(frozen=True)
class OwnKey:
    key_id: str
    kind: str
    public: str
    secret: str
    status: str
    endorsement: str | None = None


def _insert_key(store: Store, kind: str, public: str, secret: str,
                endorsement: str | None = None) -> str:
    kid = crypto.key_id(public)
    syncstate.insert_own_key(store.db, kid, kind, public, secret, endorsement)
    return kid


def ensure_identity(store: Store) -> None:
    """Create this installation's signing and age keys (and a region's escrow key) if missing.

    Idempotent: an installation that has its keys is left as it is. A new region's escrow
    secret waits in the database until :func:`forget_escrow_secret` (after printing).
    """
    with store.db.atomic():
        kinds = syncstate.current_key_kinds(store.db)
        if "sign" not in kinds:
            _insert_key(store, "sign", *crypto.new_signing_key())
        if "age" not in kinds:
            _insert_key(store, "age", *crypto.new_age_key())
        if store.installation.role is Role.REGION and current_escrow(store) is None:
            _new_escrow(store)


def own_keys(store: Store, kind: str, *, current_only: bool = False) -> list[OwnKey]:
    return [OwnKey(*row) for row in syncstate.own_keys(store.db, kind,
                                                       current_only=current_only)]


def signing_key(store: Store) -> OwnKey:
    keys = own_keys(store, "sign", current_only=True)
    if not keys:
        ensure_identity(store)
        keys = own_keys(store, "sign", current_only=True)
    return keys[0]


def age_key(store: Store) -> OwnKey:
    keys = own_keys(store, "age", current_only=True)
    if not keys:
        ensure_identity(store)
        keys = own_keys(store, "age", current_only=True)
    return keys[0]


def has_identity(store: Store) -> bool:
    return bool(own_keys(store, "sign", current_only=True))


def age_secrets(store: Store) -> list[str]:
    """Every age identity we hold, current first: old bundles stay readable after rotation."""
    return [k.secret for k in own_keys(store, "age")]


def rotate_keys(store: Store) -> tuple[str, str]:
    """New signing and age keys; the old ones are kept (retired) to read old bundles.

    The new keys are endorsed by the old signing key, and every bundle carries that
    endorsement, so paired installations accept the new keys without pairing again.
    Returns the new (signing, age) key ids.
    """
    old = signing_key(store)
    sign_public, sign_secret = crypto.new_signing_key()
    age_public, age_secret = crypto.new_age_key()
    statement = {"site": store.site_id, "sign_key": sign_public, "age": age_public,
                 "by": old.key_id}
    endorsement = crypto.canonical({**statement,
                                    "sig": crypto.b64(crypto.sign(old.secret,
                                                                  crypto.canonical(statement)))})
    with store.db.atomic():
        syncstate.retire_current_keys(store.db)
        sign_id = _insert_key(store, "sign", sign_public, sign_secret, endorsement.decode())
        age_id = _insert_key(store, "age", age_public, age_secret)
    return sign_id, age_id


# -- the region's escrow key -------------------------------------------------------------------
@dataclass(frozen=True)
class EscrowKey:
    key_id: str
    recipient: str
    pending_secret: str | None


def current_escrow(store: Store) -> EscrowKey | None:
    row = syncstate.current_escrow(store.db)
    return EscrowKey(*row) if row else None


def _new_escrow(store: Store) -> EscrowKey:
    recipient, secret = crypto.new_age_key()
    kid = crypto.key_id(recipient)
    syncstate.replace_escrow(store.db, kid, recipient, secret)
    return EscrowKey(kid, recipient, secret)


def new_escrow_key(store: Store) -> EscrowKey:
    """A new escrow key for a regional centre (the old public key is retired)."""
    from daryn_desktop.sync.errors import OnlyRegion

    if store.installation.role is not Role.REGION:
        raise OnlyRegion()
    with store.db.atomic():
        return _new_escrow(store)


def forget_escrow_secret(store: Store) -> None:
    """Erase the escrow secret from the database once it has been printed."""
    with store.db.atomic():
        syncstate.forget_escrow_secrets(store.db)


def escrow_recipients(store: Store) -> list[str]:
    escrow = current_escrow(store)
    return [escrow.recipient] if escrow else []
