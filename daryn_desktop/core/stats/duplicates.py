"""The same child in two records: found by IIN (certain) or by name and birth date (probable).

At the region, two districts may each have registered a child who moved, or who attends
activities in both. The rules:

* the same IIN and the same surname and given name: **the same child** — counted once,
  listed for a person, who keeps one record and archives the other "as a duplicate of …";
* the same IIN but different names: **an IIN clash** — a typing mistake in one of them, or
  two children; listed, never merged automatically, counted as two records;
* different (or missing) IINs but the same name and birth date: **probable** — listed only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

SAME_CHILD, IIN_CLASH, PROBABLE = "same_child", "iin_clash", "probable"
KIND_ORDER = (SAME_CHILD, IIN_CLASH, PROBABLE)


class Person(NamedTuple):
    """What the rules look at of a pupil record."""

    id: str
    iin: str
    surname: str
    given_name: str
    birth_date: str | None
    active: bool


@dataclass(frozen=True)
class DuplicateGroup:
    kind: str
    #: The records, active ones first, then by id.
    pupil_ids: tuple[str, ...]
    iin: str = ""


def name_key(surname: str, given_name: str) -> str:
    """A name compared without case, ё/е, hyphens, spaces and punctuation."""
    text = unicodedata.normalize("NFC", f"{surname} {given_name}").casefold().replace("ё", "е")
    return " ".join("".join(ch if ch.isalpha() else " " for ch in text).split())


def _valid_iin(iin: str | None) -> bool:
    return bool(iin) and len(iin or "") == 12 and (iin or "").isdigit()


def _ordered(people: Iterable[Person]) -> tuple[str, ...]:
    return tuple(p.id for p in sorted(people, key=lambda p: (not p.active, p.id)))


def find_duplicates(people: Iterable[Person]) -> list[DuplicateGroup]:
    """Every group of records the rules find (records archived as duplicates left out)."""
    by_iin: dict[str, list[Person]] = {}
    by_name: dict[tuple[str, str], list[Person]] = {}
    for person in people:
        if _valid_iin(person.iin):
            by_iin.setdefault(person.iin, []).append(person)
        if person.birth_date:
            key = (name_key(person.surname, person.given_name), person.birth_date)
            by_name.setdefault(key, []).append(person)
    groups: list[DuplicateGroup] = []
    for iin, found in by_iin.items():
        if len(found) < 2:
            continue
        names: dict[str, list[Person]] = {}
        for person in found:
            names.setdefault(name_key(person.surname, person.given_name), []).append(person)
        for same in names.values():
            if len(same) > 1:
                groups.append(DuplicateGroup(SAME_CHILD, _ordered(same), iin))
        if len(names) > 1:
            groups.append(DuplicateGroup(IIN_CLASH, _ordered(found), iin))
    for found in by_name.values():
        if len(found) < 2 or len({p.iin for p in found}) < 2:
            continue  # one IIN: already a certain group above (or no group at all)
        if len({p.iin for p in found if _valid_iin(p.iin)}) == 1 and all(
                _valid_iin(p.iin) for p in found):
            continue
        groups.append(DuplicateGroup(PROBABLE, _ordered(found)))
    groups.sort(key=lambda g: (KIND_ORDER.index(g.kind), g.iin, g.pupil_ids))
    return groups


def counted_once(groups: Iterable[DuplicateGroup]) -> dict[str, str]:
    """For every record of the same child but the first: the record it is counted as."""
    out: dict[str, str] = {}
    for group in groups:
        if group.kind == SAME_CHILD:
            first = group.pupil_ids[0]
            for other in group.pupil_ids[1:]:
                out[other] = first
    return out
