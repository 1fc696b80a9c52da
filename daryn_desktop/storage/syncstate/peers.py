"""Paired installations: their keys, acknowledgements and the figures held of each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from daryn_desktop.storage.syncstate.common import _one, now_text

if TYPE_CHECKING:
    from sqlite_utils import Database


#: ``(key_id, site_id, kind, public, status)`` of a peer's key.
PeerKeyRow = tuple[str, str, str, str, str]
#: The columns of a peer as :class:`~daryn_desktop.sync.peers.Peer` takes them.
PEER_COLUMNS = ("site_id, role, region_kato, district_kato, name, escrow, status, trusted_at,"
                " their_ack, our_ack, restore_requested, last_import_at, last_export_at")


# -- peers --------------------------------------------------------------------------------------
def peer_rows(db: Database, site_id: str | None = None) -> list[tuple[Any, ...]]:
    """Rows of ``PEER_COLUMNS``: one peer, or all (regions first, by name)."""
    if site_id is not None:
        return [tuple(r) for r in db.execute(
            f"SELECT {PEER_COLUMNS} FROM peers WHERE site_id = ?", [site_id])]
    return [tuple(r) for r in db.execute(
        f"SELECT {PEER_COLUMNS} FROM peers ORDER BY role DESC, name")]


def save_peer(db: Database, site_id: str, role: str, region_kato: str,
              district_kato: str | None, name: str, escrow: str | None) -> None:
    """Trust a peer: a new one, or one paired before (trusted again, its card's details)."""
    if _one(db, "SELECT 1 FROM peers WHERE site_id = ?", [site_id]):
        db.execute("UPDATE peers SET name = ?, district_kato = ?, escrow = ?,"
                   " status = 'trusted', revoked_at = NULL WHERE site_id = ?",
                   [name, district_kato, escrow, site_id])
    else:
        db.execute(
            "INSERT INTO peers (site_id, role, region_kato, district_kato, name, escrow,"
            " status, trusted_at) VALUES (?, ?, ?, ?, ?, ?, 'trusted', ?)",
            [site_id, role, region_kato, district_kato, name, escrow, now_text()])


def add_peer_key(db: Database, key_id: str, site_id: str, kind: str, public: str) -> None:
    """Make ``key_id`` the peer's current key of ``kind``; earlier ones become old keys."""
    db.execute("UPDATE peer_keys SET status = 'old' WHERE site_id = ? AND kind = ?"
               " AND status = 'current' AND key_id != ?", [site_id, kind, key_id])
    db.execute("INSERT OR IGNORE INTO peer_keys (key_id, site_id, kind, public, status,"
               " added_at) VALUES (?, ?, ?, ?, 'current', ?)",
               [key_id, site_id, kind, public, now_text()])


def peer_key(db: Database, key_id: str) -> PeerKeyRow | None:
    row = db.execute("SELECT key_id, site_id, kind, public, status FROM peer_keys"
                     " WHERE key_id = ?", [key_id]).fetchone()
    return (row[0], row[1], row[2], row[3], row[4]) if row else None


def current_peer_key(db: Database, site_id: str, kind: str) -> PeerKeyRow | None:
    row = db.execute("SELECT key_id, site_id, kind, public, status FROM peer_keys"
                     " WHERE site_id = ? AND kind = ? AND status = 'current'",
                     [site_id, kind]).fetchone()
    return (row[0], row[1], row[2], row[3], row[4]) if row else None


def revoke_peer(db: Database, site_id: str) -> None:
    db.execute("UPDATE peers SET status = 'revoked', revoked_at = ? WHERE site_id = ?",
               [now_text(), site_id])
    db.execute("UPDATE peer_keys SET status = 'revoked' WHERE site_id = ?", [site_id])


def peer_status(db: Database, site_id: str) -> str | None:
    value = _one(db, "SELECT status FROM peers WHERE site_id = ?", [site_id])
    return None if value is None else str(value)


def peer_role(db: Database, site_id: str) -> str:
    return str(_one(db, "SELECT role FROM peers WHERE site_id = ?", [site_id]))


def peer_name(db: Database, site_id: str) -> str | None:
    value = _one(db, "SELECT name FROM peers WHERE site_id = ?", [site_id])
    return None if value is None else str(value)


def peer_names(db: Database) -> dict[str, str]:
    return {r[0]: r[1] for r in db.execute("SELECT site_id, name FROM peers")}


def their_ack(db: Database, site_id: str) -> int:
    return int(_one(db, "SELECT their_ack FROM peers WHERE site_id = ?", [site_id]))


def district_sites(db: Database, district_kato: str | None) -> list[str]:
    """The installations paired as districts of ``district_kato`` (several PCs over time)."""
    return [r[0] for r in db.execute(
        "SELECT site_id FROM peers WHERE role = 'district' AND district_kato = ?",
        [district_kato])]


def set_restore_requested(db: Database, site_id: str, value: int, *,
                          only_from: int | None = None) -> None:
    """``restore_requested`` of a peer: 0 none, 1 requested, 2 sent (``only_from``: only
    when it is that now)."""
    if only_from is None:
        db.execute("UPDATE peers SET restore_requested = ? WHERE site_id = ?", [value, site_id])
    else:
        db.execute("UPDATE peers SET restore_requested = ? WHERE site_id = ? AND"
                   " restore_requested = ?", [value, site_id, only_from])


def ack_state(db: Database, site_id: str) -> tuple[int, int, int]:
    """``(our_ack, their_ack_hlc, restore_requested)`` of a peer."""
    row = db.execute("SELECT our_ack, their_ack_hlc, restore_requested FROM peers"
                     " WHERE site_id = ?", [site_id]).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def save_their_ack(db: Database, site_id: str, ack: int, hlc: int) -> None:
    """What the peer says it holds of ours, as of its bundle's clock ``hlc``."""
    db.execute("UPDATE peers SET their_ack = ?, their_ack_hlc = ? WHERE site_id = ?",
               [ack, hlc, site_id])


def save_our_ack(db: Database, site_id: str, our_ack: int) -> None:
    """What we hold of the peer's, after an import."""
    db.execute("UPDATE peers SET our_ack = ?, last_import_at = ? WHERE site_id = ?",
               [our_ack, now_text(), site_id])


def set_peer_escrow(db: Database, site_id: str, escrow: str) -> None:
    db.execute("UPDATE peers SET escrow = ? WHERE site_id = ?", [escrow, site_id])


# -- the district's figures at the region -------------------------------------------------------
def held_figures(db: Database, peer_site: str) -> str | None:
    value = _one(db, "SELECT figures FROM district_figures WHERE peer_site = ?", [peer_site])
    return None if value is None else str(value)
