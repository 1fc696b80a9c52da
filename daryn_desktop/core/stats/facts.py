"""The register as the statistics see it: rows read from the store, and the children they make.

Storage reads what the tables need once (:class:`RegisterData`); :class:`Register` then
turns records into children — one child per record, except the records of the same child
(same IIN and name), which count as one — and answers who was in the register on a day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.stats.definitions import target_groups
from daryn_desktop.core.stats.duplicates import DuplicateGroup, Person, counted_once

#: Road-map statuses from the least to the most advanced (two records of one child: the
#: more advanced map is the child's).
MAP_ORDER = {"draft": 0, "active": 1, "signed": 2, "closed": 3}


class PupilRow(NamedTuple):
    id: str
    iin: str
    sex: str | None
    grade: int
    status: str
    school_id: str
    consent_given: int
    consent_date: str | None
    duplicate_of: str | None


class SchoolInfo(NamedTuple):
    name: str
    district: str
    settlement: str
    rural: bool
    archived: bool


class MapRow(NamedTuple):
    id: str
    year: str
    status: str


class AchievementRow(NamedTuple):
    pupil_id: str
    year: str
    level: str
    award: str
    subject: str | None
    teacher_id: str | None
    #: The record's number in the store, to ask for its event's name (see ``event_names``).
    number: int


class PeerInfo(NamedTuple):
    """A paired district installation as T6 shows it."""

    site_id: str
    district: str
    name: str
    last_import_at: str | None
    #: Our changes the district has not acknowledged yet.
    unacknowledged: int
    #: The district's changes we hold but have not yet confirmed in a bundle back.
    waiting: int
    revoked: bool


@dataclass
class SyncData:
    """What T6 reads of sync: peers, conflicts, the districts' own figures."""

    peers: list[PeerInfo] = field(default_factory=list)
    conflicts: dict[str, int] = field(default_factory=dict)  # district -> fields waiting
    #: district -> (when received, the figures the district computed for itself)
    figures: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    #: Possible duplicates found by the store (records sharing an IIN, or a name and birth
    #: date), with what the rules need to tell them apart.
    people: list[Person] = field(default_factory=list)


@dataclass
class RegisterData:
    """Everything the tables are computed from, read in one go for one territory."""

    year: AcademicYear
    #: The academic year the stored grades are for (the one in progress).
    current_year: AcademicYear
    as_of: date
    pupils: list[PupilRow]
    schools: dict[str, SchoolInfo]
    categories: dict[str, list[tuple[str, str | None, str | None]]]
    road_maps: dict[str, list[MapRow]]  # pupil -> maps of every year
    #: road map -> (measures planned, measures done): activities not cancelled / done.
    measures: dict[str, tuple[frozenset[str], frozenset[str]]]
    #: road map -> open activities overdue on ``as_of``.
    overdue: dict[str, int]
    reviews: set[tuple[str, int]]  # (road map, quarter)
    achievements: list[AchievementRow]  # of ``year``, and the prizes of the year before
    teachers: dict[str, tuple[str, str | None]]  # staff id -> (full name, school id)
    #: pupil -> the day the record was entered, for records with no earlier dated fact.
    entered: dict[str, str]
    #: pupil (archived or left) -> the day it stopped studying.
    left: dict[str, str]
    sync: SyncData = field(default_factory=SyncData)
    #: The names of events by achievement number: read when a table needs them (the
    #: teachers' results, one child's results entered in two records).
    event_names: Callable[[Iterable[int]], dict[int, str]] = lambda _numbers: {}


class Child:
    """One child: a pupil record, or the records of the same child counted once."""

    __slots__ = ("categories", "id", "known_since", "left", "maps", "records", "school")

    def __init__(self, child_id: str, records: list[PupilRow], school: SchoolInfo,
                 known_since: str, left: str | None,
                 categories: list[tuple[str, str | None, str | None]],
                 maps: tuple[MapRow, ...]):
        self.id = child_id  # the record the child is counted as
        self.records = records
        self.school = school
        self.known_since = known_since  # ISO date
        self.left = left  # ISO date; None while studying
        self.categories = categories
        # The child's road maps, one per academic year (a tuple: lighter than a dictionary
        # for the one or two a child has, in a register of 100,000).
        self.maps = maps

    def map_for(self, year: str) -> MapRow | None:
        """The child's road map of the academic year ``year``, if any."""
        for road_map in self.maps:
            if road_map[1] == year:
                return road_map
        return None

    @property
    def row(self) -> PupilRow:
        return self.records[0]

    @property
    def district(self) -> str:
        return self.school.district

    @property
    def school_id(self) -> str:
        return self.records[0].school_id

    def in_register(self, on: str) -> bool:
        return self.known_since <= on and (self.left is None or self.left > on)

    def categories_on(self, on: str) -> frozenset[str]:
        categories = self.categories
        if not categories:
            return _NONE
        if len(categories) == 1:  # most children: one set object per category, shared
            category, since, until = categories[0]
            if (since is None or since <= on) and (until is None or until >= on):
                found = _ONE.get(category)
                if found is None:
                    found = _ONE[category] = frozenset((category,))
                return found
            return _NONE
        return frozenset(c for c, since, until in categories
                         if (since is None or since <= on) and (until is None or until >= on))


_NONE: frozenset[str] = frozenset()
_ONE: dict[str, frozenset[str]] = {}
_NO_CATEGORIES: list[tuple[str, str | None, str | None]] = []
_UNKNOWN_SCHOOL = SchoolInfo("", "", "", False, True)


class Register:
    """The children of a territory (records of the same child merged), ready for counting."""

    def __init__(self, data: RegisterData, groups: Iterable[DuplicateGroup] = (), *,
                 rows: list[PupilRow] | None = None):
        """``rows``: only these records (a district of the region), duplicates among them."""
        self.data = data
        pupils = data.pupils if rows is None else rows
        if rows is not None:
            scope = {r.id for r in rows}
            groups = [DuplicateGroup(g.kind, kept, g.iin) for g in groups
                      if len(kept := tuple(p for p in g.pupil_ids if p in scope)) > 1]
        same = counted_once(groups)
        self._first_days: dict[str, str] = {}
        merged: dict[str, list[PupilRow]] = {}
        #: record id -> the child's id, for records counted as another (see :meth:`child_id`)
        self.child_of: dict[str, str] = {}
        self.children: list[Child] = []
        firsts = set(same.values())
        single = [row for row in pupils if not row.duplicate_of
                  and not (row.id in same or row.id in firsts)]
        for row in pupils:
            if row.duplicate_of:
                continue  # archived as a duplicate by a person: the other record counts
            if row.id in same:
                merged.setdefault(same[row.id], []).append(row)
                self.child_of[row.id] = same[row.id]
            elif row.id in firsts:
                merged.setdefault(row.id, []).append(row)
        self._singles(single)
        for child_id, child_rows in merged.items():
            self.children.append(self._child(child_id, child_rows))
        self._on: dict[str, list[Child]] = {}
        #: Results worked out once and used by several tables (see result_tables.py).
        self.memo: dict[object, object] = {}
        self._facts: dict[str, list[tuple[Child, frozenset[str], frozenset[str]]]] = {}

    def child_id(self, record_id: str) -> str:
        """The child a record counts as (itself, unless it is another record of one child)."""
        return self.child_of.get(record_id, record_id)

    def _first_day(self, label: str) -> str:
        found = self._first_days.get(label)
        if found is None:
            found = self._first_days[label] = AcademicYear.parse(label).first_day.isoformat()
        return found

    def _singles(self, rows: list[PupilRow]) -> None:
        """Children of one record each (nearly all of them): the quick way of :meth:`_child`,
        with everything it looks up bound once (a region has 100,000 of them)."""
        data = self.data
        entered, road_maps = data.entered.get, data.road_maps.get
        schools, left, categories = data.schools.get, data.left.get, data.categories.get
        first_day, order = self._first_day, MAP_ORDER.get
        append = self.children.append
        for row in rows:
            pupil_id = row[0]
            since = row[7] or "9999"  # the consent date
            found = entered(pupil_id)
            if found and found < since:
                since = found
            maps: tuple[MapRow, ...] = ()
            found_maps = road_maps(pupil_id)
            if found_maps:
                if len(found_maps) == 1:  # most children: one road map
                    maps = (found_maps[0],)
                    first = first_day(found_maps[0][1])
                else:
                    by_year: dict[str, MapRow] = {}
                    for road_map in found_maps:
                        held = by_year.get(road_map[1])
                        if held is None or order(road_map[2], 0) > order(held[2], 0):
                            by_year[road_map[1]] = road_map
                    maps = tuple(by_year.values())
                    first = first_day(min(by_year))
                if first < since:
                    since = first
            append(Child(pupil_id, [row], schools(row[5], _UNKNOWN_SCHOOL),
                         "0000" if since == "9999" else since,
                         None if row[4] == "active" else left(pupil_id, "0000"),
                         categories(pupil_id, _NO_CATEGORIES), maps))

    def _child(self, child_id: str, rows: list[PupilRow]) -> Child:
        data = self.data
        if len(rows) > 1:
            rows.sort(key=lambda r: r.id != child_id)
        first = rows[0]
        school = data.schools.get(first.school_id, _UNKNOWN_SCHOOL)
        since: list[str] = []
        gone: str | None = None
        studying = False
        categories: list[tuple[str, str | None, str | None]] = []
        maps: dict[str, MapRow] = {}
        for row in rows:
            if row.consent_date:
                since.append(row.consent_date)
            entered = data.entered.get(row.id)
            if entered:
                since.append(entered)
            for road_map in data.road_maps.get(row.id, ()):
                since.append(self._first_day(road_map.year))
                held = maps.get(road_map.year)
                if held is None or MAP_ORDER.get(road_map.status, 0) > MAP_ORDER.get(
                        held.status, 0):
                    maps[road_map.year] = road_map
            found = data.categories.get(row.id)
            if found:
                categories = found if len(rows) == 1 else categories + found
            if row.status == "active":
                studying = True
            else:
                left = data.left.get(row.id, "0000")
                gone = left if gone is None or left > gone else gone
        # Studying while any of its records is; otherwise left on the last leaving day.
        return Child(child_id, rows, school, min(since) if since else "0000",
                     None if studying else gone, categories, tuple(maps.values()))

    def on(self, day: date) -> list[Child]:
        """The children in the register on ``day``."""
        text = day.isoformat()
        found = self._on.get(text)
        if found is None:
            found = self._on[text] = [c for c in self.children if c.in_register(text)]
        return found

    def facts_on(self, day: date) -> list[tuple[Child, frozenset[str], frozenset[str]]]:
        """The children on ``day`` with their family categories and target groups then."""
        text = day.isoformat()
        found = self._facts.get(text)
        if found is None:
            found = []
            groups: dict[tuple[bool, frozenset[str]], frozenset[str]] = {}
            for child in self.on(day):
                cats = child.categories_on(text)
                key = (child.school.rural, cats)
                target = groups.get(key)
                if target is None:
                    target = groups[key] = frozenset(target_groups(*key))
                found.append((child, cats, target))
            self._facts[text] = found
        return found
