"""Concurrent edits: the heads of a field, who wrote them, and what the record is called."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from daryn_desktop.storage.syncstate.common import _one

if TYPE_CHECKING:
    from sqlite_utils import Database


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
