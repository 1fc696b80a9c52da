"""This installation's keys: created once, rotated on request, old ones kept for old bundles.

Private keys live in the ``sync_keys`` table of the encrypted database, so they are wrapped
under the password like everything else. A regional centre also has an offline *escrow* key
to which every bundle is encrypted as well: only its public half stays in the database; the
secret is shown once, to be printed and locked in a safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from daryn_desktop.core.enums import Role
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


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _insert_key(store: Store, kind: str, public: str, secret: str,
                endorsement: str | None = None) -> str:
    kid = crypto.key_id(public)
    store.db.execute(
        "INSERT INTO sync_keys (key_id, kind, public, secret, status, created_at, endorsement)"
        " VALUES (?, ?, ?, ?, 'current', ?, ?)", [kid, kind, public, secret, _now(), endorsement])
    return kid


def ensure_identity(store: Store) -> None:
    """Create this installation's signing and age keys (and a region's escrow key) if missing.

    Idempotent: an installation that has its keys is left as it is. A new region's escrow
    secret waits in the database until :func:`forget_escrow_secret` (after printing).
    """
    with store.db.atomic():
        kinds = {r[0] for r in store.db.execute(
            "SELECT kind FROM sync_keys WHERE status = 'current'")}
        if "sign" not in kinds:
            _insert_key(store, "sign", *crypto.new_signing_key())
        if "age" not in kinds:
            _insert_key(store, "age", *crypto.new_age_key())
        if store.installation.role is Role.REGION and current_escrow(store) is None:
            _new_escrow(store)


def own_keys(store: Store, kind: str, *, current_only: bool = False) -> list[OwnKey]:
    sql = "SELECT key_id, kind, public, secret, status, endorsement FROM sync_keys WHERE kind = ?"
    if current_only:
        sql += " AND status = 'current'"
    sql += " ORDER BY status = 'current' DESC, created_at DESC"
    return [OwnKey(*row) for row in store.db.execute(sql, [kind])]


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
        store.db.execute("UPDATE sync_keys SET status = 'retired', retired_at = ?"
                         " WHERE status = 'current'", [_now()])
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
    row = store.db.execute("SELECT key_id, recipient, pending_secret FROM escrow_keys"
                           " WHERE status = 'current' ORDER BY created_at DESC").fetchone()
    return EscrowKey(*row) if row else None


def _new_escrow(store: Store) -> EscrowKey:
    recipient, secret = crypto.new_age_key()
    kid = crypto.key_id(recipient)
    store.db.execute("UPDATE escrow_keys SET status = 'retired' WHERE status = 'current'")
    store.db.execute("INSERT INTO escrow_keys (key_id, recipient, pending_secret, status,"
                     " created_at) VALUES (?, ?, ?, 'current', ?)",
                     [kid, recipient, secret, _now()])
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
        store.db.execute("UPDATE escrow_keys SET pending_secret = NULL")


def escrow_recipients(store: Store) -> list[str]:
    escrow = current_escrow(store)
    return [escrow.recipient] if escrow else []
