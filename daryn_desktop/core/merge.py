"""The merge rules of sync, per field: which versions stay current, which one a record shows.

A field's *heads* are its versions that no known version was written after seeing. A version
written after seeing another supersedes it; versions written without seeing each other are
both kept (a conflict for a person unless they agree or a rule of the domain settles them),
and a deterministic winner (region priority, clock, site) is what the record shows. Pure
functions: the storage layer reads and writes the heads (``storage/heads.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from daryn_desktop.core.roadmap import settle_status

#: A version of a group of fields: (origin site, origin sequence number).
VersionId = tuple[str, int]


class Head(NamedTuple):
    """One current version of a field (a named tuple: an import makes thousands)."""

    site: str
    seq: int
    hlc: int
    prio: int
    value: Any

    @property
    def id(self) -> VersionId:
        return (self.site, self.seq)


#: Fields whose concurrent values settle by a rule of the domain instead of waiting for a
#: person: (table, column) → a function of the values giving the one to show, or None.
SETTLED_BY_RULE: dict[tuple[str, str], Callable[[Iterable[Any]], Any | None]] = {
    ("activities", "status"): settle_status,
}


def _by_rule(tbl: str | None, col: str | None, heads: Sequence[Head]) -> Any | None:
    rule = SETTLED_BY_RULE.get((tbl or "", col or ""))
    return rule(h.value for h in heads) if rule and len(heads) > 1 else None


def winner(heads: Sequence[Head], tbl: str | None = None, col: str | None = None) -> Head:
    """The version a record shows among concurrent ones: region first, then clock, then site.

    A field settled by a rule (``SETTLED_BY_RULE``, given ``tbl`` and ``col``) shows the
    value the rule picks. Total and the same everywhere, so every installation shows the
    same value.
    """
    if len(heads) == 1:
        return heads[0]  # the usual case: no concurrent versions
    settled = _by_rule(tbl, col, heads)
    if settled is not None:
        heads = [h for h in heads if h.value == settled]
    return max(heads, key=lambda h: (h.prio, h.hlc, h.site, h.seq))


def needs_person(tbl: str, col: str, heads: Sequence[Head]) -> bool:
    """Whether the concurrent versions of a field wait for a person to choose.

    Not when they agree (two places typed the same) or a rule settles them.
    """
    if len(heads) < 2:
        return False  # the usual case: one version
    return len({h.value for h in heads}) > 1 and _by_rule(tbl, col, heads) is None


def merge_heads(heads: list[Head], new: Head, supersedes: set[VersionId],
                superseded: bool) -> list[Head]:
    """The heads of a field after learning of version ``new``.

    ``supersedes``: the versions ``new`` was written after seeing; ``superseded``: whether a
    known version was written after seeing ``new``. The result depends only on the set of
    versions known, not on the order they arrived in (the property tests check this).
    """
    kept = [h for h in heads if h.id not in supersedes and h.id != new.id]
    return kept if superseded else [*kept, new]
