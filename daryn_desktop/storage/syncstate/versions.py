"""The change log as sync reads it, and our versions renumbered after a rollback."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from daryn_desktop.storage.syncstate.common import _one
from daryn_desktop.storage.syncstate.local import set_local

if TYPE_CHECKING:
    from sqlite_utils import Database


# -- the change log, as sync reads it -----------------------------------------------------------
def max_position(db: Database) -> int:
    return int(_one(db, "SELECT coalesce(max(seq), 0) FROM change_log"))


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
