"""Legal erasure of a child's record: a purge signed by the region, leaving id-only tombstones.

Archiving is the normal way to remove a pupil (a field like any other). A purge, for a
legal request, deletes the record, everything under it and all their versions, on every
installation; the tombstones it leaves (table and id, nothing personal) make every later
version of those rows — from an old stick, say — be dropped on arrival.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.enums import Role
from daryn_desktop.core.ids import new_id
from daryn_desktop.storage import syncstate
from daryn_desktop.sync import crypto
from daryn_desktop.sync.errors import OnlyRegion
from daryn_desktop.sync.identity import signing_key
from daryn_desktop.sync.scope import pupil_records

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

PURGEABLE = ("pupils",)
_SIGNED_FIELDS = ("purge_id", "tbl", "row_id", "at", "region_kato")


def _statement(purge: dict[str, Any]) -> bytes:
    return crypto.canonical({k: purge[k] for k in _SIGNED_FIELDS})


def purge_record(store: Store, table: str, row_id: str) -> dict[str, Any]:
    """Purge one pupil here and sign the purge so that every installation does the same."""
    inst = store.installation
    if inst.role is not Role.REGION:
        raise OnlyRegion()
    if table not in PURGEABLE:
        raise ValueError(f"{table} records cannot be purged")
    signer = signing_key(store)
    purge = {"purge_id": new_id(), "tbl": table, "row_id": row_id,
             "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
             "region_kato": inst.region_kato, "signer_key": signer.key_id}
    purge["signature"] = crypto.b64(crypto.sign(signer.secret, _statement(purge)))
    with store.transaction() as _writer:
        syncstate.save_purge(store.db, purge)
        apply_purge(store, purge)
    return purge


def verify_purge(purge: dict[str, Any], signer_public: str) -> bool:
    try:
        return crypto.verify(signer_public, crypto.unb64(purge["signature"]), _statement(purge))
    except (KeyError, ValueError, TypeError):
        return False


def apply_purge(store: Store, purge: dict[str, Any]) -> int:
    """Delete the purged row, its dependants and their versions; leave tombstones.

    Must run inside ``store.transaction()`` (the write path's permission to delete).
    Returns the number of rows deleted.
    """
    rows = (pupil_records(store.db, purge["row_id"]) if purge["tbl"] == "pupils"
            else [(purge["tbl"], purge["row_id"])])
    deleted = erase_records(store, rows)
    syncstate.add_tombstones(store.db, rows, purge["purge_id"])
    return deleted


def erase_records(store: Store, rows: list[tuple[str, str]]) -> int:
    """Delete records with all their versions (and attachment bodies nothing else uses).

    ``rows`` lists parents before their dependants. Must run inside ``store.transaction()``.
    The change log's positions are never reused: a peer that acknowledged up to a deleted
    position must still receive what is written after it (see ``Writer``'s log positions).
    Returns the number of rows deleted.
    """
    return syncstate.erase_records(store.db, rows)


def tombstones(store: Store) -> dict[tuple[str, str], str]:
    return syncstate.tombstones(store.db)
