"""Concurrent edits kept for a person: list the fields with several heads, and settle one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.clock import unpack
from daryn_desktop.storage.changelog import decode_id, encode_id
from daryn_desktop.storage.writer import SETTLED_BY_RULE, Head, needs_person, winner

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store


@dataclass(frozen=True)
class Candidate:
    """One of the concurrent values of a field, with where and when it was written."""

    value: Any
    site: str
    seq: int
    source: str
    author: str | None
    written_ms: int
    shown: bool


@dataclass(frozen=True)
class Conflict:
    tbl: str
    row_id: str
    col: str
    record: str
    candidates: tuple[Candidate, ...]


def _site_names(store: Store) -> dict[str, str]:
    names = {r[0]: r[1] for r in store.db.execute("SELECT site_id, name FROM peers")}
    names[store.site_id] = store.installation.name
    return names


def _record_label(store: Store, tbl: str, row_id: str) -> str:
    """A person's way to recognise the record: the pupil's name, or the school's."""
    db = store.db
    pupil_id = None
    if tbl == "pupils":
        pupil_id = row_id
    elif tbl in ("schools", "staff", "events"):
        col = "name" if tbl != "staff" else "surname || ' ' || given_name"
        found = db.execute(f"SELECT {col} FROM [{tbl}] WHERE id = ?", [row_id]).fetchone()
        return found[0] if found else row_id
    else:
        cols = [r[1] for r in db.execute(f"PRAGMA table_info([{tbl}])")]
        if "pupil_id" in cols:
            found = db.execute(f"SELECT pupil_id FROM [{tbl}] WHERE id = ?", [row_id]).fetchone()
            pupil_id = found[0] if found else None
        elif "road_map_id" in cols:
            found = db.execute(f"SELECT r.pupil_id FROM [{tbl}] t JOIN road_maps r ON"
                               " r.id = t.road_map_id WHERE t.id = ?", [row_id]).fetchone()
            pupil_id = found[0] if found else None
    if pupil_id:
        found = db.execute("SELECT surname || ' ' || given_name FROM pupils WHERE id = ?",
                           [pupil_id]).fetchone()
        if found:
            return found[0]
    return row_id


def _heads(store: Store, tbl: str, row_id: str, col: str) -> list[Head]:
    return [Head(*r) for r in store.db.execute(
        "SELECT s.site_id, h.seq, h.hlc, h.prio, h.value FROM log_heads h JOIN sites s"
        " ON s.num = h.site WHERE h.tbl = ? AND h.row_id = ? AND h.col = ?",
        [tbl, encode_id(row_id), col])]


def list_conflicts(store: Store, *, limit: int | None = None) -> list[Conflict]:
    """Fields whose concurrent versions wait for a person, most recent first.

    Fields a rule settles (an activity started in one place and done in another) are not
    listed: every installation shows the value the rule picks.
    """
    names = _site_names(store)
    out: list[Conflict] = []
    for tbl, stored_id, col in store.db.execute(
            "SELECT tbl, row_id, col FROM log_heads GROUP BY tbl, row_id, col"
            " HAVING count(*) > 1 ORDER BY max(hlc) DESC").fetchall():
        if limit is not None and len(out) >= limit:
            break
        row_id = decode_id(stored_id)
        heads = _heads(store, tbl, row_id, col)
        if not needs_person(tbl, col, heads):
            continue
        shown = winner(heads, tbl, col)
        candidates = []
        for head in sorted(heads, key=lambda h: (h is not shown, -h.hlc)):
            author = store.db.execute(
                "SELECT author FROM change_log WHERE site = (SELECT num FROM sites WHERE"
                " site_id = ?) AND origin_seq = ?", [head.site, head.seq]).fetchone()
            candidates.append(Candidate(head.value, head.site, head.seq,
                                        names.get(head.site, head.site[:8]),
                                        author[0] if author else None, unpack(head.hlc)[0],
                                        head is shown))
        out.append(Conflict(tbl, row_id, col, _record_label(store, tbl, row_id),
                            tuple(candidates)))
    return out


def count_conflicts(store: Store) -> int:
    """How many fields wait for a person (cheap: the status bar shows it)."""
    # quote() tells NULL, numbers and text apart: only heads that disagree count.
    total = store.db.execute("SELECT count(*) FROM (SELECT 1 FROM log_heads GROUP BY tbl,"
                             " row_id, col HAVING count(DISTINCT quote(value)) > 1)").fetchone()[0]
    for tbl, col in SETTLED_BY_RULE:
        for (row_id,) in store.db.execute(
                "SELECT row_id FROM log_heads WHERE tbl = ? AND col = ? GROUP BY row_id"
                " HAVING count(DISTINCT quote(value)) > 1", [tbl, col]).fetchall():
            if not needs_person(tbl, col, _heads(store, tbl, decode_id(row_id), col)):
                total -= 1
    return total


def resolve(store: Store, conflict: Conflict, value: Any, *, author: str | None = None) -> None:
    """Keep ``value`` (usually one of the candidates): a new version superseding them all."""
    with store.transaction(author) as writer:
        writer.resolve(conflict.tbl, conflict.row_id, conflict.col, value)
