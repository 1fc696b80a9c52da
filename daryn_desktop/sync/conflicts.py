"""Concurrent edits kept for a person: list the fields with several heads, and settle one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.clock import unpack
from daryn_desktop.core.merge import SETTLED_BY_RULE, Head, needs_person, winner
from daryn_desktop.storage import syncstate
from daryn_desktop.storage.changelog import decode_id, encode_id

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
    names = syncstate.peer_names(store.db)
    names[store.site_id] = store.installation.name
    return names


def _record_label(store: Store, tbl: str, row_id: str) -> str:
    """A person's way to recognise the record: the pupil's name, or the school's."""
    return syncstate.record_label(store.db, tbl, row_id) or row_id


def _heads(store: Store, tbl: str, row_id: str, col: str) -> list[Head]:
    return [Head(*r) for r in syncstate.field_heads(store.db, tbl, encode_id(row_id), col)]


def list_conflicts(store: Store, *, limit: int | None = None) -> list[Conflict]:
    """Fields whose concurrent versions wait for a person, most recent first.

    Fields a rule settles (an activity started in one place and done in another) are not
    listed: every installation shows the value the rule picks.
    """
    names = _site_names(store)
    out: list[Conflict] = []
    for tbl, stored_id, col in syncstate.fields_with_heads(store.db):
        if limit is not None and len(out) >= limit:
            break
        row_id = decode_id(stored_id)
        heads = _heads(store, tbl, row_id, col)
        if not needs_person(tbl, col, heads):
            continue
        shown = winner(heads, tbl, col)
        candidates = []
        for head in sorted(heads, key=lambda h: (h is not shown, -h.hlc)):
            author = syncstate.version_author(store.db, head.site, head.seq)
            candidates.append(Candidate(head.value, head.site, head.seq,
                                        names.get(head.site, head.site[:8]),
                                        author, unpack(head.hlc)[0], head is shown))
        out.append(Conflict(tbl, row_id, col, _record_label(store, tbl, row_id),
                            tuple(candidates)))
    return out


def count_conflicts(store: Store) -> int:
    """How many fields wait for a person (cheap: the status bar shows it)."""
    # Only heads that disagree count.
    total = syncstate.disagreeing_fields(store.db)
    for tbl, col in SETTLED_BY_RULE:
        for row_id in syncstate.disagreeing_rows(store.db, tbl, col):
            if not needs_person(tbl, col, _heads(store, tbl, decode_id(row_id), col)):
                total -= 1
    return total


def resolve(store: Store, conflict: Conflict, value: Any, *, author: str | None = None) -> None:
    """Keep ``value`` (usually one of the candidates): a new version superseding them all."""
    with store.transaction(author) as writer:
        writer.resolve(conflict.tbl, conflict.row_id, conflict.col, value)
