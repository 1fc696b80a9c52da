"""The per-district sync facts the statistics show: paired districts, waiting conflicts, figures."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.enums import Role
from daryn_desktop.core.stats.facts import PeerInfo

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store


def peer_infos(store: Store) -> list[PeerInfo]:
    """The paired district installations, with what is unacknowledged or waiting."""
    me = store.installation
    db = store.db
    peers = []
    for site, district, name, last_in, their_ack, status in db.execute(
            "SELECT site_id, district_kato, name, last_import_at, their_ack, status FROM peers"
            " ORDER BY name").fetchall():
        district = district or (me.district_kato if me.role is Role.DISTRICT else None)
        if not district:
            continue
        unacked = db.execute("SELECT count(*) FROM change_log WHERE received_from IS NULL"
                             " AND seq > ?", [their_ack]).fetchone()[0]
        waiting = db.execute(
            "SELECT coalesce(sum(applied), 0) FROM bundle_log WHERE direction = 'in' AND"
            " peer_site = ? AND at > coalesce((SELECT max(at) FROM bundle_log WHERE"
            " direction = 'out' AND peer_site = ?), '')", [site, site]).fetchone()[0]
        peers.append(PeerInfo(site, district, name, last_in, unacked, waiting,
                              status == "revoked"))
    return peers


def conflicts_by_district(store: Store) -> dict[str, int]:
    """Fields waiting for a person, counted in the district of the pupil they belong to."""
    out: dict[str, int] = {}
    for tbl, row_id in store.db.execute(
            "SELECT tbl, row_id FROM field_heads GROUP BY tbl, row_id, col"
            " HAVING count(DISTINCT quote(value)) > 1").fetchall():
        district = _district_of_record(store, tbl, row_id) or ""
        out[district] = out.get(district, 0) + 1
    return out


_PUPIL_OF = {
    "pupils": "SELECT ?",
    "road_maps": "SELECT pupil_id FROM road_maps WHERE id = ?",
}


def _district_of_record(store: Store, tbl: str, row_id: str) -> str | None:
    db = store.db
    if tbl == "schools":
        found = db.execute("SELECT district_kato FROM schools WHERE id = ?", [row_id]).fetchone()
        return found[0] if found else None
    columns = {r[1] for r in db.execute(f"PRAGMA table_info([{tbl}])")}
    if tbl in _PUPIL_OF:
        sql = _PUPIL_OF[tbl]
    elif "pupil_id" in columns:
        sql = f"SELECT pupil_id FROM [{tbl}] WHERE id = ?"
    elif "road_map_id" in columns:
        sql = (f"SELECT r.pupil_id FROM [{tbl}] t JOIN road_maps r ON r.id = t.road_map_id"
               " WHERE t.id = ?")
    else:
        return None
    found = db.execute("SELECT s.district_kato FROM pupils p JOIN schools s ON s.id ="
                       f" p.school_id WHERE p.id = ({sql})", [row_id]).fetchone()
    return found[0] if found else None


def save_district_figures(store: Store, site_id: str, bundle_id: str,
                          figures: dict[str, Any]) -> None:
    """Keep the figures of a district's newest bundle (not a synced table: the region's own)."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    store.db.execute(
        "INSERT OR REPLACE INTO district_figures (peer_site, bundle_id, received_at, figures)"
        " VALUES (?, ?, ?, ?)", [site_id, bundle_id, now, json.dumps(figures,
                                                                       ensure_ascii=False)])


def district_figures(store: Store) -> dict[str, tuple[str, dict[str, Any]]]:
    """district KATO -> (when received, figures) of each district's newest bundle."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for district, received, text in store.db.execute(
            "SELECT p.district_kato, f.received_at, f.figures FROM district_figures f"
            " JOIN peers p ON p.site_id = f.peer_site ORDER BY f.received_at"):
        try:
            figures = json.loads(text)
        except ValueError:
            continue
        if district and isinstance(figures, dict):
            out[district] = (received, figures)
    return out
