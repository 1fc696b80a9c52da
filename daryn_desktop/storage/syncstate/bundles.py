"""The journal of bundles written and imported, and the attachment bodies they carry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from daryn_desktop.storage.syncstate.common import _one

if TYPE_CHECKING:
    from sqlite_utils import Database


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
