"""Sync's own tables (keys, peers, the bundle journal, acknowledgements): their SQL, typed.

``sync/`` decides; this module reads and writes. Rows come back as plain tuples of known
types (the layer below ``sync`` knows none of its classes). Functions that write expect
to run inside the caller's transaction unless they say otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from daryn_desktop.storage.changelog import LogCodec, encode_id, sql_decode_id, sql_encode_id
from daryn_desktop.storage.schema import SYNCED_COLUMNS

if TYPE_CHECKING:
    from sqlite_utils import Database

#: ``(key_id, kind, public, secret, status, endorsement)`` of one of our keys.
OwnKeyRow = tuple[str, str, str, str, str, "str | None"]
#: ``(key_id, site_id, kind, public, status)`` of a peer's key.
PeerKeyRow = tuple[str, str, str, str, str]
#: The columns of a peer as :class:`~daryn_desktop.sync.peers.Peer` takes them.
PEER_COLUMNS = ("site_id, role, region_kato, district_kato, name, escrow, status, trusted_at,"
                " their_ack, our_ack, restore_requested, last_import_at, last_export_at")


def now_text() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _one(db: Database, sql: str, params: Sequence[Any] = ()) -> Any:
    """The first column of the first row (None when there is none)."""
    row = db.execute(sql, list(params)).fetchone()
    return None if row is None else row[0]


# -- the clock and counters ---------------------------------------------------------------------
def save_clock(db: Database, hlc: int, origin_seq: int | None = None) -> None:
    """Keep the hybrid clock (and the next version number) for the next transaction and
    for other programs on this database: the one place both are written."""
    rows = [("hlc", str(hlc))]
    if origin_seq is not None:
        rows.insert(0, ("origin_seq", str(origin_seq)))
    db.conn.executemany("INSERT OR REPLACE INTO local_state (key, value) VALUES (?, ?)", rows)


def set_local(db: Database, key: str, value: str | None) -> None:
    """A row of ``local_state`` (None deletes it)."""
    if value is None:
        db.execute("DELETE FROM local_state WHERE key = ?", [key])
    else:
        db.execute("INSERT OR REPLACE INTO local_state (key, value) VALUES (?, ?)", [key, value])


# -- our keys -----------------------------------------------------------------------------------
def insert_own_key(db: Database, key_id: str, kind: str, public: str, secret: str,
                   endorsement: str | None = None) -> None:
    db.execute(
        "INSERT INTO sync_keys (key_id, kind, public, secret, status, created_at, endorsement)"
        " VALUES (?, ?, ?, ?, 'current', ?, ?)",
        [key_id, kind, public, secret, now_text(), endorsement])


def current_key_kinds(db: Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT kind FROM sync_keys WHERE status = 'current'")}


def own_keys(db: Database, kind: str, *, current_only: bool = False) -> list[OwnKeyRow]:
    """Our keys of ``kind``, current first, newest first."""
    sql = "SELECT key_id, kind, public, secret, status, endorsement FROM sync_keys WHERE kind = ?"
    if current_only:
        sql += " AND status = 'current'"
    sql += " ORDER BY status = 'current' DESC, created_at DESC"
    return [tuple(r) for r in db.execute(sql, [kind])]


def retire_current_keys(db: Database) -> None:
    db.execute("UPDATE sync_keys SET status = 'retired', retired_at = ?"
               " WHERE status = 'current'", [now_text()])


def all_own_keys(db: Database) -> list[tuple[str, str, str, str, str]]:
    """``(key_id, kind, public, secret, status)`` of every key, oldest first (a backup)."""
    return [tuple(r) for r in db.execute(
        "SELECT key_id, kind, public, secret, status FROM sync_keys ORDER BY created_at")]


def restore_own_key(db: Database, key_id: str, kind: str, public: str, secret: str) -> bool:
    """Add a key from a backup unless held; whether it was added."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO sync_keys (key_id, kind, public, secret, status,"
        " created_at) VALUES (?, ?, ?, ?, 'restored', datetime('now'))",
        [key_id, kind, public, secret])
    return cursor.rowcount > 0


# -- the region's escrow key --------------------------------------------------------------------
def current_escrow(db: Database) -> tuple[str, str, str | None] | None:
    """``(key_id, recipient, pending secret)`` of the current escrow key."""
    row = db.execute("SELECT key_id, recipient, pending_secret FROM escrow_keys"
                     " WHERE status = 'current' ORDER BY created_at DESC").fetchone()
    return (row[0], row[1], row[2]) if row else None


def replace_escrow(db: Database, key_id: str, recipient: str, secret: str) -> None:
    db.execute("UPDATE escrow_keys SET status = 'retired' WHERE status = 'current'")
    db.execute("INSERT INTO escrow_keys (key_id, recipient, pending_secret, status,"
               " created_at) VALUES (?, ?, ?, 'current', ?)",
               [key_id, recipient, secret, now_text()])


def forget_escrow_secrets(db: Database) -> None:
    db.execute("UPDATE escrow_keys SET pending_secret = NULL")


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


# -- the journal of bundles ---------------------------------------------------------------------
def record_bundle(db: Database, *, bundle_id: str, direction: str, peer_site: str, at: str,
                  file_name: str, size: int, since: int, upto: int, changes: int,
                  applied: int, blobs: Iterable[str]) -> None:
    """One bundle written (``direction`` 'out', then the peer's ``last_export_at`` too) or
    imported ('in'): the one place ``bundle_log`` rows are made."""
    db.execute(
        "INSERT INTO bundle_log (bundle_id, direction, peer_site, at, file_name, size, since,"
        " upto, changes, applied, blobs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [bundle_id, direction, peer_site, at, file_name, size, since, upto, changes, applied,
         " ".join(blobs) or None])
    if direction == "out":
        db.execute("UPDATE peers SET last_export_at = ? WHERE site_id = ?", [at, peer_site])


def imported_bundle(db: Database, bundle_id: str) -> bool:
    return _one(db, "SELECT 1 FROM bundle_log WHERE bundle_id = ? AND direction = 'in'",
                [bundle_id]) is not None


def imported_bundles(db: Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT bundle_id FROM bundle_log WHERE direction = 'in'")}


def written_bundles(db: Database) -> list[tuple[str, str, int]]:
    """``(bundle_id, peer_site, upto)`` of the bundles written here, oldest first."""
    return [(r[0], r[1], r[2]) for r in db.execute(
        "SELECT bundle_id, peer_site, upto FROM bundle_log WHERE direction = 'out'"
        " ORDER BY rowid")]


#: ``(at, direction, peer_site, changes, size, file_name)`` of a bundle in the journal.
BundleLogRow = tuple[str, str, str, int, int, str]


def recent_bundles(db: Database, limit: int = 200) -> list[BundleLogRow]:
    """The latest bundles written and imported, newest first (the Sync section's history)."""
    return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in db.execute(
        "SELECT at, direction, peer_site, changes, size, file_name FROM bundle_log"
        " ORDER BY at DESC LIMIT ?", [limit])]


def sent_upto(db: Database, peer_site: str) -> int:
    """The highest log position this database ever put in a bundle for ``peer_site``."""
    return int(_one(db, "SELECT coalesce(max(upto), 0) FROM bundle_log WHERE"
                        " direction = 'out' AND peer_site = ?", [peer_site]))


def last_restore_sent(db: Database, peer_site: str) -> int | None:
    """The end of the newest restore (a bundle from 0) sent to ``peer_site``."""
    value = _one(db, "SELECT max(upto) FROM bundle_log WHERE direction = 'out' AND"
                     " peer_site = ? AND since = 0", [peer_site])
    return None if value is None else int(value)


def blobs_sent_upto(db: Database, peer_site: str, upto: int) -> list[str]:
    """The attachments carried by the bundles to ``peer_site`` up to position ``upto``."""
    return [d for (blobs,) in db.execute(
        "SELECT blobs FROM bundle_log WHERE direction = 'out' AND peer_site = ? AND"
        " upto <= ? AND blobs IS NOT NULL", [peer_site, upto]).fetchall()
        for d in blobs.split()]


# -- attachments --------------------------------------------------------------------------------
def has_blob(db: Database, digest: str) -> bool:
    return _one(db, "SELECT 1 FROM blobs WHERE sha256 = ?", [digest]) is not None


def blob(db: Database, digest: str) -> bytes | None:
    value = _one(db, "SELECT data FROM blobs WHERE sha256 = ?", [digest])
    return None if value is None else bytes(value)


def add_blobs(db: Database, bodies: Iterable[tuple[str, bytes]]) -> None:
    db.conn.executemany("INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)", bodies)


def peer_holds_blobs(db: Database, peer_site: str, digests: Iterable[str]) -> None:
    db.conn.executemany("INSERT OR IGNORE INTO peer_blobs (peer_site, sha256) VALUES (?, ?)",
                        [(peer_site, d) for d in digests])


def blobs_of_peer(db: Database, peer_site: str) -> set[str]:
    return {r[0] for r in db.execute("SELECT sha256 FROM peer_blobs WHERE peer_site = ?",
                                     [peer_site])}


def cache_size(db: Database, kib: int | None = None) -> int:
    """SQLite's page cache (negative: KiB); set to ``-kib`` when given. Returns the size
    it had."""
    before = int(db.conn.execute("PRAGMA cache_size").fetchone()[0])
    if kib is not None:
        db.conn.execute(f"PRAGMA cache_size = {-int(kib)}")
    return before


def restore_cache_size(db: Database, size: int) -> None:
    db.conn.execute(f"PRAGMA cache_size = {int(size)}")


def foreign_keys(db: Database, on: bool) -> None:
    db.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


# -- purges -------------------------------------------------------------------------------------
PURGE_COLUMNS = ("purge_id", "tbl", "row_id", "at", "region_kato", "signer_key", "signature")


def purge_ids(db: Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT purge_id FROM purges")}


def purge_rows(db: Database) -> list[dict[str, Any]]:
    """Every purge, oldest first, as the bundle carries it."""
    return [dict(zip(PURGE_COLUMNS, r)) for r in db.execute(
        f"SELECT {', '.join(PURGE_COLUMNS)} FROM purges ORDER BY at")]


def save_purge(db: Database, purge: dict[str, Any]) -> None:
    db.execute(
        f"INSERT INTO purges ({', '.join(PURGE_COLUMNS)})"
        f" VALUES ({', '.join(':' + c for c in PURGE_COLUMNS)})",
        {k: purge[k] for k in PURGE_COLUMNS})


# -- the district's figures at the region -------------------------------------------------------
def held_figures(db: Database, peer_site: str) -> str | None:
    value = _one(db, "SELECT figures FROM district_figures WHERE peer_site = ?", [peer_site])
    return None if value is None else str(value)


# -- the change log, as sync reads it -----------------------------------------------------------
def max_position(db: Database) -> int:
    return int(_one(db, "SELECT coalesce(max(seq), 0) FROM change_log"))


def territory_pupils(db: Database) -> list[str]:
    """The pupils of the temporary scope (see :mod:`~daryn_desktop.sync.scope`), sorted."""
    return [r[0] for r in db.execute(
        "SELECT row_id FROM temp.sync_scope WHERE tbl = 'pupils' ORDER BY row_id")]


def count_by_shape(db: Database, where: str, params: Sequence[Any]) -> list[tuple[int, int]]:
    """``(shape, count)`` of the log rows ``c`` chosen by ``where`` (FROM … WHERE …)."""
    return [(r[0], r[1]) for r in db.execute(
        f"SELECT c.shape, count(*) {where} GROUP BY c.shape", list(params))]


#: The stored columns of a log row as :meth:`LogCodec.versions` reads them.
LOG_COLUMNS = ("c.site, c.origin_seq, c.hlc, c.shape, c.row_id, c.data, c.author, c.at,"
               " c.prio, c.supersedes")


def log_rows(db: Database, where: str, params: Sequence[Any]) -> Iterable[Sequence[Any]]:
    """The stored log rows ``c`` chosen by ``where`` (FROM … WHERE …), in log order."""
    rows: Iterable[Sequence[Any]] = db.execute(
        f"SELECT {LOG_COLUMNS} {where} ORDER BY c.seq", list(params))
    return rows


# -- an older copy of the database (see sync/rollback.py) -----------------------------------------
def newest_version_of(db: Database, site_num: int) -> tuple[int, int] | None:
    """``(origin_seq, hlc)`` of the newest version of the site numbered ``site_num``."""
    row = db.execute("SELECT origin_seq, hlc FROM change_log WHERE site = ? ORDER BY"
                     " origin_seq DESC LIMIT 1", [site_num]).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def version_clock(db: Database, site_num: int, origin_seq: int) -> int | None:
    value = _one(db, "SELECT hlc FROM change_log WHERE site = ? AND origin_seq = ?",
                 [site_num, origin_seq])
    return None if value is None else int(value)


def top_position(db: Database, at_least: int) -> int:
    """The highest log position ever given (or ``at_least``, if higher)."""
    return int(_one(db, "SELECT max(coalesce(max(seq), 0), ?, coalesce((SELECT CAST(value AS"
                        " INTEGER) FROM local_state WHERE key = 'seq_floor'), 0))"
                        " FROM change_log", [at_least]))


def positions_after(db: Database, seq: int) -> list[int]:
    return [r[0] for r in db.execute("SELECT seq FROM change_log WHERE seq > ? ORDER BY seq",
                                     [seq])]


def move_positions(db: Database, moves: Iterable[tuple[int, int]], floor: int) -> None:
    """Give log rows new positions (``(new, old)``), and never give one up to ``floor``
    again."""
    db.conn.executemany("UPDATE change_log SET seq = ? WHERE seq = ?", moves)
    set_local(db, "seq_floor", str(floor))


def own_unreceived_after(db: Database, site_num: int, seq: int,
                         ) -> list[tuple[int, int, str | None, int, bytes | str]]:
    """``(seq, origin_seq, supersedes, shape, stored row id)`` of the versions written here
    above position ``seq``, in log order."""
    return [(r[0], r[1], r[2], r[3], r[4]) for r in db.execute(
        "SELECT seq, origin_seq, supersedes, shape, row_id FROM change_log WHERE"
        " site = ? AND received_from IS NULL AND seq > ? ORDER BY seq", [site_num, seq])]


def renumber_versions(db: Database, site_num: int,
                      moves: Sequence[tuple[int, int, str | None, int]],
                      heads: Sequence[tuple[int, str, bytes | str, int]],
                      renamed: dict[int, int], floor: int) -> None:
    """Our versions under new numbers: log rows ``(position, number, supersedes, old
    position)``, field heads ``(number, table, stored row id, old number)``, and the links
    between our own versions (``renamed``: old number → new)."""
    db.conn.executemany("UPDATE change_log SET seq = ?, origin_seq = ?, supersedes = ?"
                        " WHERE seq = ?", moves)
    db.conn.executemany(
        "UPDATE log_heads SET seq = ? WHERE tbl = ? AND row_id = ? AND site = ? AND seq = ?",
        [(new, tbl, row, site_num, old) for new, tbl, row, old in heads])
    pairs = [(new, site_num, old) for old, new in renamed.items()]
    # Links from the peer's versions name the numbers as the peer knew them and stay.
    db.conn.executemany("UPDATE log_links SET child_seq = ? WHERE child = ? AND child_seq = ?",
                        pairs)
    db.conn.executemany("UPDATE log_links SET base_seq = ? WHERE base = ? AND base_seq = ?"
                        " AND child = base", pairs)
    set_local(db, "seq_floor", str(floor))


# -- concurrent edits (see sync/conflicts.py) ----------------------------------------------------
def record_label(db: Database, tbl: str, row_id: str) -> str | None:
    """A person's way to recognise a record: the pupil's name (of the record, or of the
    pupil it belongs to), a school's or event's name, a staff member's; None if unknown."""
    pupil_id = None
    if tbl == "pupils":
        pupil_id = row_id
    elif tbl in ("schools", "staff", "events"):
        col = "name" if tbl != "staff" else "surname || ' ' || given_name"
        value = _one(db, f"SELECT {col} FROM [{tbl}] WHERE id = ?", [row_id])
        return None if value is None else str(value)
    else:
        cols = [r[1] for r in db.execute(f"PRAGMA table_info([{tbl}])")]
        if "pupil_id" in cols:
            pupil_id = _one(db, f"SELECT pupil_id FROM [{tbl}] WHERE id = ?", [row_id])
        elif "road_map_id" in cols:
            pupil_id = _one(db, f"SELECT r.pupil_id FROM [{tbl}] t JOIN road_maps r ON"
                                " r.id = t.road_map_id WHERE t.id = ?", [row_id])
    if pupil_id:
        name = _one(db, "SELECT surname || ' ' || given_name FROM pupils WHERE id = ?",
                    [pupil_id])
        if name:
            return str(name)
    return None


def field_heads(db: Database, tbl: str, stored_id: bytes | str,
                col: str) -> list[tuple[str, int, int, int, Any]]:
    """``(site id, seq, hlc, prio, value)`` of the explicit heads of a field."""
    return [(r[0], r[1], r[2], r[3], r[4]) for r in db.execute(
        "SELECT s.site_id, h.seq, h.hlc, h.prio, h.value FROM log_heads h JOIN sites s"
        " ON s.num = h.site WHERE h.tbl = ? AND h.row_id = ? AND h.col = ?",
        [tbl, stored_id, col])]


def fields_with_heads(db: Database) -> list[tuple[str, bytes | str, str]]:
    """``(table, stored id, column)`` of the fields with several heads, most recent first."""
    return [(r[0], r[1], r[2]) for r in db.execute(
        "SELECT tbl, row_id, col FROM log_heads GROUP BY tbl, row_id, col"
        " HAVING count(*) > 1 ORDER BY max(hlc) DESC").fetchall()]


def version_author(db: Database, site_id: str, origin_seq: int) -> str | None:
    value = _one(db, "SELECT author FROM change_log WHERE site = (SELECT num FROM sites WHERE"
                     " site_id = ?) AND origin_seq = ?", [site_id, origin_seq])
    return None if value is None else str(value)


def disagreeing_fields(db: Database) -> int:
    """How many fields have heads of different values (quote() tells NULL, numbers and text
    apart)."""
    return int(_one(db, "SELECT count(*) FROM (SELECT 1 FROM log_heads GROUP BY tbl,"
                        " row_id, col HAVING count(DISTINCT quote(value)) > 1)"))


def disagreeing_rows(db: Database, tbl: str, col: str) -> list[bytes | str]:
    """The stored ids of the rows of ``tbl`` whose field ``col`` has disagreeing heads."""
    return [r[0] for r in db.execute(
        "SELECT row_id FROM log_heads WHERE tbl = ? AND col = ? GROUP BY row_id"
        " HAVING count(DISTINCT quote(value)) > 1", [tbl, col]).fetchall()]


# -- pupils moved to another district (see sync/departures.py) ------------------------------------
def moved_rows(db: Database) -> dict[tuple[str, str], str]:
    """Records removed because their pupil moved away: (table, id) → the pupil's id."""
    return {(t, r): p for t, r, p in db.execute("SELECT tbl, row_id, pupil_id FROM moved_rows")}


def moved_away(db: Database) -> dict[str, tuple[int, int]]:
    """The pupils removed here: id → (prio, hlc) of the version that took each away."""
    return {p: (prio, hlc) for p, prio, hlc in db.execute(
        "SELECT pupil_id, prio, hlc FROM moved_away")}


def forget_moved(db: Database, pupil_ids: Sequence[str]) -> None:
    """Pupils moved back: no longer kept out."""
    db.conn.executemany("DELETE FROM moved_rows WHERE pupil_id = ?", [(p,) for p in pupil_ids])
    db.conn.executemany("DELETE FROM moved_away WHERE pupil_id = ?", [(p,) for p in pupil_ids])


def school_ids_of_district(db: Database, district_kato: str | None) -> set[str]:
    return {r[0] for r in db.execute("SELECT id FROM schools WHERE district_kato = ?",
                                     [district_kato])}


def pupils_elsewhere(db: Database, district_kato: str | None) -> list[tuple[str, str]]:
    """``(pupil id, school id)`` of the pupils at a school not of ``district_kato``."""
    return [(r[0], r[1]) for r in db.execute(
        "SELECT p.id, p.school_id FROM pupils p LEFT JOIN schools s ON s.id = p.school_id"
        " WHERE p.school_id IS NOT NULL AND (s.district_kato IS NULL OR s.district_kato != ?)",
        [district_kato]).fetchall()]


def pupil_schools(db: Database) -> list[tuple[str, str]]:
    """``(pupil id, school id)`` of every pupil."""
    return [(r[0], r[1]) for r in db.execute("SELECT id, school_id FROM pupils")]


def written_here_after(db: Database, stored_id: bytes | str, shapes: Sequence[int],
                       seq: int) -> bool:
    """Whether a version of these shapes of the record was written here above ``seq``."""
    return bool(shapes) and db.execute(
        "SELECT 1 FROM change_log WHERE row_id = ? AND shape IN"
        f" ({','.join('?' * len(shapes))}) AND received_from IS NULL AND seq > ? LIMIT 1",
        [stored_id, *shapes, seq]).fetchone() is not None


def strongest_version(db: Database, stored_id: bytes | str,
                      shapes: Sequence[int]) -> tuple[int, int] | None:
    """``(prio, hlc)`` of the strongest version of these shapes of the record."""
    row = db.execute(
        "SELECT prio, hlc FROM change_log WHERE row_id = ? AND shape IN"
        f" ({','.join('?' * len(shapes))}) ORDER BY prio DESC, hlc DESC LIMIT 1",
        [stored_id, *shapes]).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def remember_moved(db: Database, pupil_id: str, school_id: str, prio: int, hlc: int,
                   records: Sequence[tuple[str, str]]) -> None:
    """A pupil removed because it moved away, with its records: kept out from now on."""
    db.execute("INSERT OR REPLACE INTO moved_away (pupil_id, school_id, prio, hlc, at)"
               " VALUES (?, ?, ?, ?, ?)", [pupil_id, school_id, prio, hlc, now_text()])
    db.conn.executemany("INSERT OR IGNORE INTO moved_rows (tbl, row_id, pupil_id)"
                        " VALUES (?, ?, ?)", [(t, r, pupil_id) for t, r in records])


# -- a district's territory (see sync/scope.py) --------------------------------------------------
PUPIL_CHILDREN = ("guardians", "pupil_categories", "giftedness_areas", "diagnostics",
                  "achievements", "road_maps", "attachments", "participants",
                  "research_projects", "support_records")
ROAD_MAP_CHILDREN = ("goals", "activities", "reviews", "amendments")
REGION_WIDE = ("events",)
#: The calendar: the region's events go to every district, a district's to itself only.
CALENDAR = ("events", "event_stages")
_TERRITORIAL = {"schools", "pupils", "staff", "staff_trainings", *PUPIL_CHILDREN,
                *ROAD_MAP_CHILDREN, *CALENDAR}
#: Staff referenced from these (table, column) pairs belong to the referring record's district.
STAFF_REFERENCES = (("road_maps", "coordinator_id"), ("road_maps", "mentor_id"),
                    ("road_maps", "psychologist_id"), ("achievements", "teacher_id"),
                    ("activities", "responsible_id"), ("diagnostics", "staff_id"),
                    ("participants", "teacher_id"), ("research_projects", "supervisor_id"))
#: Events referenced from these (table, column) pairs reach the referring record's district
#: (a pupil moved in brings the events of its results, even another district's own).
EVENT_REFERENCES = (("achievements", "event_id"), ("research_projects", "event_id"))


#: Records whose leaving a district is announced to it: a pupil moved to another district's
#: school, and a school the region placed in another district (its pupils go with it).
_ANNOUNCED = "('pupils', 'schools')"


def pupil_records(db: Database, pupil_id: str) -> list[tuple[str, str]]:
    """A pupil and every record under it, as (table, id), parents before dependants."""
    rows: list[tuple[str, str]] = [("pupils", pupil_id)]
    for table in PUPIL_CHILDREN:
        rows += [(table, r[0]) for r in db.execute(
            f"SELECT id FROM [{table}] WHERE pupil_id = ?", [pupil_id])]
    maps = [r for t, r in rows if t == "road_maps"]
    for table in ROAD_MAP_CHILDREN:
        for map_id in maps:
            rows += [(table, r[0]) for r in db.execute(
                f"SELECT id FROM [{table}] WHERE road_map_id = ?", [map_id])]
    return rows


def fill_scope(db: Database, district_kato: str, district_sites: list[str]) -> None:
    """Fill the temporary table ``sync_scope(tbl, row_id)`` with the records of the district
    ``district_kato``, whose installations are ``district_sites`` (see sync/scope.py)."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS sync_scope (tbl TEXT NOT NULL,"
               " row_id TEXT NOT NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID")
    db.execute("DELETE FROM temp.sync_scope")

    def add(sql: str, params: Sequence[Any] = ()) -> None:
        db.execute(f"INSERT OR IGNORE INTO temp.sync_scope (tbl, row_id) {sql}", list(params))

    add("SELECT 'schools', id FROM schools WHERE district_kato = ?", [district_kato])
    add("SELECT 'pupils', p.id FROM pupils p JOIN schools s ON s.id = p.school_id"
        " WHERE s.district_kato = ?", [district_kato])
    for table in PUPIL_CHILDREN:
        add(f"SELECT '{table}', id FROM [{table}] WHERE pupil_id IN"
            " (SELECT row_id FROM temp.sync_scope WHERE tbl = 'pupils')")
    for table in ROAD_MAP_CHILDREN:
        add(f"SELECT '{table}', id FROM [{table}] WHERE road_map_id IN"
            " (SELECT row_id FROM temp.sync_scope WHERE tbl = 'road_maps')")
    # Reference data (the events calendar, road-map templates, any table added later that
    # does not hang under a pupil) is the same for the whole region.
    for table in sorted(set(SYNCED_COLUMNS) - _TERRITORIAL):
        add(f"SELECT '{table}', id FROM [{table}]")
    # The calendar: the region's events, the district's own, and those its records refer to
    # (with all their stages, so that a result always comes with its stage and event).
    add("SELECT 'events', id FROM events WHERE district_kato IS NULL OR district_kato = ?",
        [district_kato])
    for table, column in EVENT_REFERENCES:
        add(f"SELECT 'events', e.id FROM [{table}] t JOIN events e ON e.id = t.[{column}]"
            f" WHERE t.id IN (SELECT row_id FROM temp.sync_scope WHERE tbl = '{table}')")
    add("SELECT 'events', s.event_id FROM participants p JOIN event_stages s ON"
        " s.id = p.stage_id JOIN events e ON e.id = s.event_id WHERE p.id IN"
        " (SELECT row_id FROM temp.sync_scope WHERE tbl = 'participants')")
    add("SELECT 'event_stages', id FROM event_stages WHERE event_id IN"
        " (SELECT row_id FROM temp.sync_scope WHERE tbl = 'events')")
    add("SELECT 'staff', id FROM staff WHERE school_id IN"
        " (SELECT row_id FROM temp.sync_scope WHERE tbl = 'schools')")
    for table, column in STAFF_REFERENCES:
        add(f"SELECT 'staff', [{column}] FROM [{table}] WHERE [{column}] IS NOT NULL AND id IN"
            f" (SELECT row_id FROM temp.sync_scope WHERE tbl = '{table}')")
    codec = LogCodec(db)
    sites = [n for n in map(codec.known_site, district_sites) if n is not None] or [-1]
    marks = ",".join("?" * len(sites))
    # Staff without a school: the region's own (region-wide) and those the district made.
    inserts = codec.shapes_of("staff", op="insert") or [-1]
    add("SELECT 'staff', s.id FROM staff s WHERE s.school_id IS NULL AND EXISTS (SELECT 1 FROM"
        f" change_log c WHERE c.row_id = {sql_encode_id('s.id')} AND c.shape IN"
        f" ({','.join('?' * len(inserts))}) AND (c.received_from IS NULL OR c.received_from IN"
        f" ({marks})))", [*inserts, *sites])
    # A person's courses and seminars go with the person.
    add("SELECT 'staff_trainings', id FROM staff_trainings WHERE staff_id IN"
        " (SELECT row_id FROM temp.sync_scope WHERE tbl = 'staff')")
    # Tables of a newer program version: what the district's own installations wrote.
    newer = [s for t in sorted(codec.tables() - set(SYNCED_COLUMNS)) for s in codec.shapes_of(t)]
    if newer:
        add(f"SELECT DISTINCT sh.tbl, {sql_decode_id('c.row_id')} FROM change_log c JOIN"
            f" log_shapes sh ON sh.num = c.shape WHERE c.shape IN ({','.join('?' * len(newer))})"
            f" AND c.received_from IN ({marks})", [*newer, *sites])



def _territory_tables(db: Database) -> None:
    for name in ("sync_fresh", "sync_departed"):
        db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (tbl TEXT NOT NULL,"
                   " row_id TEXT NOT NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID")
        db.execute(f"DELETE FROM temp.{name}")


def record_territory(db: Database, peer_site: str, their_ack: int) -> tuple[int, int]:
    """Compare the scope with what ``peer_site`` was counted to hold (``peer_scope``),
    remember the records that entered and the pupils that left, and fill ``sync_fresh``
    and ``sync_departed``; returns their sizes. Runs in a transaction of its own."""
    _territory_tables(db)
    with db.atomic():
        mark = entry_mark(db, peer_site)
        gone = ("peer_site = ? AND tbl != '' AND NOT EXISTS (SELECT 1 FROM temp.sync_scope s"
                " WHERE s.tbl = peer_scope.tbl AND s.row_id = peer_scope.row_id)")
        db.execute("INSERT OR IGNORE INTO peer_departures (peer_site, tbl, row_id, since_seq)"
                   f" SELECT peer_site, tbl, row_id, ? FROM peer_scope WHERE {gone} AND"
                   f" tbl IN {_ANNOUNCED}", [mark, peer_site])
        db.execute(f"DELETE FROM peer_scope WHERE {gone}", [peer_site])
        # A record that came back is no longer leaving (it is fresh again instead).
        db.execute("DELETE FROM peer_departures WHERE peer_site = ? AND EXISTS (SELECT 1 FROM"
                   " temp.sync_scope s WHERE s.tbl = peer_departures.tbl AND"
                   " s.row_id = peer_departures.row_id)", [peer_site])
        # Announced and acknowledged: the district holds the move.
        db.execute("DELETE FROM peer_departures WHERE peer_site = ? AND since_seq <= ?",
                   [peer_site, their_ack])
        db.execute("INSERT OR IGNORE INTO peer_scope (peer_site, tbl, row_id, since_seq)"
                   " SELECT ?, tbl, row_id, ? FROM temp.sync_scope", [peer_site, mark])
        # A row with no table marks the baseline as taken, even for an empty territory.
        db.execute("INSERT OR IGNORE INTO peer_scope (peer_site, tbl, row_id, since_seq)"
                   " VALUES (?, '', '', 0)", [peer_site])
        fresh = db.execute("INSERT INTO temp.sync_fresh (tbl, row_id) SELECT tbl, row_id FROM"
                           " peer_scope WHERE peer_site = ? AND since_seq > ?",
                           [peer_site, their_ack]).rowcount
        departed = db.execute("INSERT INTO temp.sync_departed (tbl, row_id) SELECT tbl,"
                              " row_id FROM peer_departures WHERE peer_site = ?",
                              [peer_site]).rowcount
    return int(fresh), int(departed)


def find_territory_changes(db: Database, peer_site: str, their_ack: int) -> tuple[int, int]:
    """What :func:`record_territory` would record, found without writing (temp tables
    only)."""
    _territory_tables(db)
    mark = entry_mark(db, peer_site)
    # Known records keep their position, the others would enter at today's.
    fresh = db.execute("INSERT INTO temp.sync_fresh (tbl, row_id) SELECT s.tbl, s.row_id"
                       " FROM temp.sync_scope s LEFT JOIN peer_scope p ON p.peer_site = ?"
                       " AND p.tbl = s.tbl AND p.row_id = s.row_id"
                       " WHERE coalesce(p.since_seq, ?) > ?",
                       [peer_site, mark, their_ack]).rowcount
    # Pupils announced and not yet acknowledged, and those leaving now.
    outside = ("NOT EXISTS (SELECT 1 FROM temp.sync_scope s WHERE s.tbl = d.tbl AND"
               " s.row_id = d.row_id)")
    departed = db.execute(
        "INSERT OR IGNORE INTO temp.sync_departed (tbl, row_id) SELECT tbl, row_id"
        f" FROM peer_departures d WHERE peer_site = ? AND since_seq > ? AND {outside}"
        " UNION SELECT tbl, row_id FROM peer_scope d WHERE peer_site = ? AND"
        f" tbl IN {_ANNOUNCED} AND {outside}", [peer_site, their_ack, peer_site]).rowcount
    return int(fresh), int(departed)


def entry_mark(db: Database, peer_site: str) -> int:
    """The position at which a record entering the district's territory now is recorded."""
    known = _one(db, "SELECT 1 FROM peer_scope WHERE peer_site = ? LIMIT 1", [peer_site])
    # The first time a district is counted, what it holds is taken as its baseline.
    return max_position(db) if known else 0


# -- erasing records (see sync/purge.py) ---------------------------------------------------------
def add_tombstones(db: Database, rows: Sequence[tuple[str, str]], purge_id: str) -> None:
    """Id-only marks of purged records: later versions of them are dropped on arrival."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO tombstones (tbl, row_id, purge_id) VALUES (?, ?, ?)",
        [(table, row_id, purge_id) for table, row_id in rows])


def tombstones(db: Database) -> dict[tuple[str, str], str]:
    """(table, id) → the purge that erased it."""
    return {(t, r): p for t, r, p in db.execute("SELECT tbl, row_id, purge_id FROM tombstones")}


def erase_records(db: Database, rows: Sequence[tuple[str, str]]) -> int:
    """Delete records (parents listed before dependants) with all their versions, heads and
    links, and the attachment bodies nothing else uses; the log's positions are never given
    again. Returns the number of rows deleted."""
    db.execute("INSERT OR REPLACE INTO local_state (key, value) SELECT 'seq_floor',"
               " max(coalesce(max(seq), 0), coalesce((SELECT CAST(value AS INTEGER) FROM"
               " local_state WHERE key = 'seq_floor'), 0)) FROM change_log")
    deleted = 0
    codec = LogCodec(db)
    # Dependants first: with foreign keys on, deleting the pupil first would cascade and
    # hide which attachment bodies became unused.
    for table, row_id in reversed(rows):
        shapes = codec.shapes_of(table)
        of_row = f"row_id = ? AND shape IN ({','.join('?' * len(shapes))})"
        key = [encode_id(row_id), *shapes]
        versions = db.execute(f"SELECT site, origin_seq FROM change_log WHERE {of_row}",
                              key).fetchall()
        # Two statements, each on its own index (an OR of the two would scan every link).
        db.conn.executemany("DELETE FROM log_links WHERE base = ? AND base_seq = ?", versions)
        db.conn.executemany("DELETE FROM log_links WHERE child = ? AND child_seq = ?",
                            versions)
        db.execute(f"DELETE FROM change_log WHERE {of_row}", key)
        db.execute("DELETE FROM log_heads WHERE tbl = ? AND row_id = ?", [table, key[0]])
        digest = (_one(db, "SELECT sha256 FROM attachments WHERE id = ?", [row_id])
                  if table == "attachments" else None)
        cursor = db.execute(f"DELETE FROM [{table}] WHERE id = ?", [row_id])
        deleted += max(cursor.rowcount, 0)
        if digest and _one(db, "SELECT 1 FROM attachments WHERE sha256 = ?", [digest]) is None:
            db.execute("DELETE FROM blobs WHERE sha256 = ?", [digest])
    return deleted
