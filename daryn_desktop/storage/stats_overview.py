"""The Reports overview's headline figures, counted by SQLite (no table built, no pupil read).

The register "as of" a day follows the rules of :mod:`daryn_desktop.core.stats.facts`: the
records of a territory, those of the same child (same IIN and name) counted once, each child
in the register from its first dated fact until it stopped studying. Nearly every child is
one record: those are counted in one pass over the pupils' statistics index, school by
school, each child's road map of the year looked up as the pass reaches it. The few records
of one child are worked out into TEMP tables of this connection and counted apart; only
they (and the dates read from the change log) pass through Python. The figures equal those
the full tables give (see ``tests/integration/test_stats_overview.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import FamilyCategory, Role
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.duplicates import Person, counted_once, find_duplicates
from daryn_desktop.core.stats.facts import MAP_ORDER
from daryn_desktop.core.stats.tally import ordered_districts
from daryn_desktop.storage.statistics import (
    Request,
    _entered,
    _left,
    _overdue_sql,
    _people,
    _schools,
    _scope,
)
from daryn_desktop.storage.stats_sync import conflicts_by_district, peer_infos

if TYPE_CHECKING:
    from sqlite_utils import Database

    from daryn_desktop.storage.database import Store

#: The TEMP tables of one count, dropped when it ends.
_TEMP = ("stats_schools", "stats_merged", "stats_entered", "stats_left", "stats_years",
         "stats_records", "stats_children", "stats_maps", "stats_overdue", "stats_categories")

_NOT_DUPLICATE = "(p.duplicate_of IS NULL OR p.duplicate_of = '')"
_FIGURES = ("total", "H1", "H2", "maps", "covered", "overdue")
#: A road map's status as a rank (the most advanced map of a year is the child's).
_RANK = "CASE {col} " + " ".join(f"WHEN '{status}' THEN {rank}"
                                 for status, rank in MAP_ORDER.items()) + " ELSE 0 END"
_TOP_RANK = max(MAP_ORDER.values())
assert 0 <= _TOP_RANK < 10  # one digit: the rank is sorted as text before the map's id
#: Whether a road map has anything planned: its row of measures (migration 0015) is there.
_PLANNED = "EXISTS (SELECT 1 FROM road_map_measures m WHERE m.road_map_id = {map})"
_TARGET = sorted({FamilyCategory.LARGE_FAMILY.value, *d.LOW_INCOME_CATEGORIES})


def headline_overview(store: Store, request: Request) -> dict[str, Any]:
    """The overview's figures (as :func:`~daryn_desktop.core.stats.engine.overview_figures`
    gives them from T1, T2, T5 and, at the region, T6) for the request's territory and day.

    Reads only; its TEMP tables live on the store's connection while it runs (use a
    connection of the worker's own, see :meth:`Store.reopen`)."""
    db = store.db
    year, as_of = request.year, request.as_of
    earlier = d.year_earlier(as_of)
    # A few MB of TEMP tables, kept in memory rather than in an (encrypted) temporary file
    # (the setting can change only outside a transaction, and drops every TEMP table).
    outer = db.conn.in_transaction
    temp_store = db.execute("PRAGMA temp_store").fetchone()[0]
    if not outer:
        db.execute("PRAGMA temp_store = MEMORY")
    try:
        # A page cache that holds the indexes read (a fresh connection's small one would
        # read and decrypt the road maps' activities again for every child).
        with store.bulk_cache():
            iin_records, merged = _prepare(store, request)
            now, before = _single_children(store, request, merged)
            for totals, more in ((now, _figures_on(store, as_of, year.label, "now")),
                                 (before, _figures_on(store, earlier, year.previous().label,
                                                      "before"))):
                for key in _FIGURES:
                    totals[key] += more[key]
            figures: dict[str, Any] = {
                "year": year.label, "as_of": as_of.isoformat(),
                "total": (now["total"], before["total"]), "H1": (now["H1"], before["H1"]),
                "H2": (now["H2"], before["H2"]),
                "covered": (now["covered"], before["covered"]),
                "maps": (now["maps"], before["maps"]), "overdue": (now["overdue"], None),
                "districts": [],
            }
            if store.installation.role is Role.REGION:
                figures["districts"] = _districts(store, request, iin_records)
            return figures
    finally:
        for name in _TEMP:
            db.execute(f"DROP TABLE IF EXISTS temp.{name}")
        if not outer:
            if db.conn.in_transaction:
                db.conn.commit()  # of the TEMP tables only: nothing else was written
            db.execute(f"PRAGMA temp_store = {int(temp_store)}")


def _prepare(store: Store, request: Request) -> tuple[list[str], bool]:
    """Fill the TEMP tables: the schools, the records of one child and those children
    (their road maps of the year and the year before, their target categories on both
    days), the change log's dates, the overdue activities. Returns the records the rules
    found sharing an IIN (the same child, or a clash of names), and whether some records
    are of one child."""
    db = store.db
    conn = db.conn
    year, as_of = request.year, request.as_of
    where, params = _scope(request.territory)
    scope = where.format(col="p.id")
    for name in _TEMP:
        db.execute(f"DROP TABLE IF EXISTS temp.{name}")
    _create(db, "stats_schools", "id TEXT PRIMARY KEY, district TEXT, rural INTEGER NOT NULL")
    conn.executemany("INSERT INTO temp.stats_schools VALUES (?, ?, ?)",
                     [(k, s.district, int(s.rural)) for k, s in _schools(store).items()])
    # Records of the same child: only records sharing an IIN can be (the candidates come
    # from the IIN index alone; the rules decide among the few).
    people = [Person(pid, iin, surname, given, birth, status == "active")
              for pid, iin, surname, given, birth, status in db.execute(
                  "SELECT p.id, p.iin, p.surname, p.given_name, p.birth_date, p.status"
                  " FROM pupils p WHERE p.iin IN (SELECT iin FROM pupils WHERE iin != ''"
                  f" GROUP BY iin HAVING count(*) > 1) AND {_NOT_DUPLICATE} AND {scope}",
                  params)]
    groups = find_duplicates(people)
    same = counted_once(groups)
    merged = {**{child: child for child in same.values()}, **same}
    _create(db, "stats_merged", "record TEXT PRIMARY KEY, child TEXT NOT NULL")
    conn.executemany("INSERT INTO temp.stats_merged VALUES (?, ?)", sorted(merged.items()))
    # The dates only the change log knows: when a record with no dated fact was entered,
    # when a record no longer studying stopped.
    undated, gone = [], []
    for pupil_id, left, no_date in db.execute(
            "SELECT p.id, p.status != 'active', (p.consent_date IS NULL OR p.consent_date = '')"
            " AND NOT EXISTS (SELECT 1 FROM road_maps r WHERE r.pupil_id = p.id) FROM pupils p"
            " WHERE (p.status != 'active' OR p.consent_date IS NULL OR p.consent_date = '')"
            f" AND {scope}", params):
        if left:
            gone.append(pupil_id)
        if no_date:
            undated.append(pupil_id)
    _create(db, "stats_entered", "id TEXT PRIMARY KEY, day TEXT NOT NULL")
    conn.executemany("INSERT INTO temp.stats_entered VALUES (?, ?)",
                     sorted(_entered(store, undated).items()))
    _create(db, "stats_left", "id TEXT PRIMARY KEY, day TEXT NOT NULL")
    conn.executemany("INSERT INTO temp.stats_left VALUES (?, ?)",
                     sorted(_left(store, gone).items()))
    _create(db, "stats_years", "label TEXT PRIMARY KEY, first_day TEXT")
    conn.executemany("INSERT INTO temp.stats_years VALUES (?, ?)",
                     [(label, _first_day(label)) for (label,) in db.execute(
                         "SELECT DISTINCT academic_year FROM road_maps")])
    sql, overdue_params = _overdue_sql(year, as_of)
    _create(db, "stats_overdue", "road_map_id TEXT PRIMARY KEY, n INTEGER")
    db.execute(f"INSERT INTO temp.stats_overdue {sql}", overdue_params)
    _create(db, "stats_records", "id TEXT PRIMARY KEY, pos INTEGER NOT NULL, child TEXT NOT NULL,"
            " school_id TEXT, since TEXT NOT NULL, left_on TEXT")
    _create(db, "stats_children", "child TEXT PRIMARY KEY, since TEXT NOT NULL, left_on TEXT,"
            " rural INTEGER NOT NULL, district TEXT NOT NULL")
    _create(db, "stats_maps", "child TEXT NOT NULL, year TEXT NOT NULL, map_id TEXT NOT NULL,"
            " planned INTEGER NOT NULL, PRIMARY KEY (child, year)")
    _create(db, "stats_categories", "child TEXT PRIMARY KEY, now INTEGER NOT NULL,"
            " before INTEGER NOT NULL")
    if merged:
        _merged_children(store, request)
    return [pupil_id for group in groups for pupil_id in group.pupil_ids], bool(merged)


def _since(record: str) -> str:
    """A record's first dated fact: its consent, its entry (known for a record with no
    other), the first day of its first road map's year; '9999' for none."""
    return (f"min(coalesce(nullif({record}.consent_date, ''), '9999'),"
            f" coalesce((SELECT e.day FROM temp.stats_entered e WHERE e.id = {record}.id),"
            " '9999'), coalesce((SELECT y.first_day FROM road_maps r JOIN temp.stats_years y"
            f" ON y.label = r.academic_year WHERE r.pupil_id = {record}.id"
            " ORDER BY r.academic_year LIMIT 1), '9999'))")


def _left_on(record: str) -> str:
    """The day a record stopped studying (NULL while it studies)."""
    return (f"CASE WHEN {record}.status = 'active' THEN NULL ELSE coalesce((SELECT l.day FROM"
            f" temp.stats_left l WHERE l.id = {record}.id), '0000') END")


def _merged_children(store: Store, request: Request) -> None:
    """The children of several records: studying while any record is, else gone on the
    last leaving day; the school of the record the child counts as; its road maps (its own
    record's first, then the others' in the register's order) and target categories."""
    db = store.db
    db.execute(
        f"INSERT INTO temp.stats_records SELECT p.id, p.rowid, m.child, p.school_id,"
        f" {_since('p')}, {_left_on('p')} FROM pupils p JOIN temp.stats_merged m"
        " ON m.record = p.id", [])
    db.execute(
        "INSERT INTO temp.stats_children SELECT c.child,"
        " CASE WHEN c.since = '9999' THEN '0000' ELSE c.since END, c.left_on,"
        " coalesce(s.rural, 0), coalesce(s.district, '') FROM (SELECT child, min(since) AS since,"
        " CASE WHEN count(left_on) < count(*) THEN NULL ELSE max(left_on) END AS left_on,"
        " max(CASE WHEN id = child THEN school_id END) AS school_id"
        " FROM temp.stats_records GROUP BY child) c"
        " LEFT JOIN temp.stats_schools s ON s.id = c.school_id")
    year = request.year
    db.execute(
        "INSERT INTO temp.stats_maps SELECT child, year, map_id,"
        f" {_PLANNED.format(map='map_id')} FROM (SELECT r.child AS child,"
        " m.academic_year AS year, m.id AS map_id, row_number() OVER (PARTITION BY r.child,"
        f" m.academic_year ORDER BY {_RANK.format(col='m.status')} DESC,"
        " r.id = r.child DESC, r.pos, m.id) AS n FROM temp.stats_records r"
        " JOIN road_maps m ON m.pupil_id = r.id WHERE m.academic_year IN (?, ?)) WHERE n = 1",
        [year.label, year.previous().label])
    valid = "(c.since IS NULL OR c.since <= ?) AND (c.until IS NULL OR c.until >= ?)"
    now, before = request.as_of.isoformat(), d.year_earlier(request.as_of).isoformat()
    db.execute(
        f"INSERT INTO temp.stats_categories SELECT m.child, max({valid}), max({valid})"
        " FROM temp.stats_merged m JOIN pupil_categories c ON c.pupil_id = m.record"
        f" WHERE c.removed = 0 AND c.category IN ({', '.join('?' * len(_TARGET))})"
        " GROUP BY m.child", [now, now, before, before, *_TARGET])


def _single_children(store: Store, request: Request, merged: bool) -> tuple[dict[str, int],
                                                                            dict[str, int]]:
    """The figures of the children of one record on the day and a year before, in one pass
    over the pupils in the order of their ids: each child's first dated fact, its road map
    of each year (the most advanced, the first by id among equals) and what is planned or
    overdue in it, its target categories (in a town's school only) are looked up for the
    children that need them as the pass reaches them; in that order the look-ups of one
    child land next to the previous child's (road maps and categories are kept by pupil)."""
    db = store.db
    year, as_of = request.year, request.as_of
    where, params = _scope(request.territory)
    if len(params) > 1:
        raise ValueError("a territory of one code")
    scope = where.format(col="p.id").replace("?", ":territory")
    # A record whose consent is a year old is in the register on both days: its road maps
    # need not be asked when it began (the figures compare the day only with the two days).
    since = (f"CASE WHEN p.consent_date > '' AND p.consent_date <= :before"
             f" THEN p.consent_date ELSE {_since('p')} END")
    not_merged = " AND p.id NOT IN (SELECT record FROM temp.stats_merged)" if merged else ""
    present = ("(x.since = '9999' OR x.since <= :{day}) AND (x.left_on IS NULL"
               " OR x.left_on > :{day})")
    road_map = ("(SELECT substr(min(({top} - {rank}) || r.id), 2) FROM road_maps r"
                " INDEXED BY road_maps_year_pupil WHERE r.academic_year = :{label}"
                " AND r.pupil_id = x.id)")
    rank = _RANK.format(col="r.status")
    target = ("EXISTS (SELECT 1 FROM pupil_categories c WHERE c.pupil_id = y.id"
              f" AND c.removed = 0 AND c.category IN ({', '.join(repr(c) for c in _TARGET)})"
              " AND (c.since IS NULL OR c.since <= :{day}) AND (c.until IS NULL"
              " OR c.until >= :{day}))")
    sums = []
    for day, overdue in (("now", True), ("before", False)):
        column = f"y.map_{day}"
        sums += [f"sum(y.in_{day})", f"sum(y.in_{day} AND y.rural)",
                 f"sum(CASE WHEN y.in_{day} AND NOT y.rural THEN {target.format(day=day)} END)",
                 f"sum({column} IS NOT NULL)",
                 f"sum(CASE WHEN {column} IS NOT NULL THEN {_PLANNED.format(map=column)} END)"]
        if overdue:
            sums.append(f"sum(CASE WHEN {column} IS NOT NULL THEN (SELECT o.n FROM"
                        f" temp.stats_overdue o WHERE o.road_map_id = {column}) END)")
    # Each level a co-routine in the ids' order (LIMIT -1: not merged into the next, so
    # that what a child's look-up found is used by every sum without looking it up again).
    sql = (
        f"SELECT {', '.join(sums)} FROM ("
        "SELECT x.id AS id, x.rural AS rural,"
        f" {present.format(day='now')} AS in_now, {present.format(day='before')} AS in_before,"
        f" CASE WHEN {present.format(day='now')} THEN"
        f" {road_map.format(top=_TOP_RANK, rank=rank, label='year')} END AS map_now,"
        f" CASE WHEN {present.format(day='before')} THEN"
        f" {road_map.format(top=_TOP_RANK, rank=rank, label='previous')} END AS map_before"
        " FROM (SELECT p.id AS id, p.school_id IN (SELECT id FROM temp.stats_schools"
        f" WHERE rural) AS rural, {since} AS since, {_left_on('p')} AS left_on"
        f" FROM pupils p INDEXED BY pupils_overview WHERE {_NOT_DUPLICATE} AND {scope}"
        f"{not_merged} ORDER BY p.id LIMIT -1) x ORDER BY x.id LIMIT -1) y")
    values = {"now": as_of.isoformat(), "before": d.year_earlier(as_of).isoformat(),
              "year": year.label, "previous": year.previous().label}
    if params:
        values["territory"] = params[0]
    row = [value or 0 for value in db.execute(sql, values).fetchone()]
    return (dict(zip(_FIGURES, row[:6], strict=True)),
            dict(zip(_FIGURES, [*row[6:], 0], strict=True)))


def _schools_seen(store: Store, request: Request,
                  iin_records: list[str]) -> dict[str, bool]:
    """Each school with records (not archived as duplicates) of the territory: whether one
    of them is in use (studying, sharing an IIN) or in the register on the day."""
    where, params = _scope(request.territory)
    on = request.as_of.isoformat()
    # A record no longer studying counts there if it stopped after the day (rare: the
    # first dated fact is asked of those alone).
    present = (f"(coalesce((SELECT l.day FROM temp.stats_left l WHERE l.id = p.id), '0000')"
               f" > :on AND ({_since('p')} = '9999' OR {_since('p')} <= :on))")
    return {school_id: bool(seen) for school_id, seen in store.db.execute(
        "SELECT p.school_id, max(p.status = 'active' OR p.id IN (SELECT value FROM"
        f" json_each(:shared)) OR {present})"
        f" FROM pupils p INDEXED BY pupils_stats WHERE {_NOT_DUPLICATE}"
        f" AND {where.format(col='p.id').replace('?', ':territory')} GROUP BY p.school_id",
        {"on": on, "shared": _json_list(iin_records),
         **({"territory": params[0]} if params else {})})}


def _create(db: Database, name: str, columns: str) -> None:
    """A TEMP table keyed by its primary key (no rowid beside it)."""
    db.execute(f"CREATE TEMP TABLE {name} ({columns}) WITHOUT ROWID")


def _first_day(label: str) -> str | None:
    try:
        return AcademicYear.parse(label).first_day.isoformat()
    except ValueError:
        return None


def _figures_on(store: Store, day: date, label: str, column: str) -> dict[str, int]:
    """T1's total, H1 and H2, T2's pupils with a measure planned, T5's pupils with a road
    map of ``label`` and its overdue activities, for the children in the register on ``day``
    (``column``: which day's family categories, "now" or "before")."""
    on = day.isoformat()
    total, rural, urban_target, maps, covered, overdue = store.db.execute(
        "SELECT count(*), coalesce(sum(c.rural), 0),"
        f" coalesce(sum(NOT c.rural AND coalesce(k.{column}, 0)), 0),"
        " coalesce(sum(m.map_id IS NOT NULL), 0), coalesce(sum(coalesce(m.planned, 0)), 0),"
        " coalesce(sum(o.n), 0) FROM temp.stats_children c"
        " LEFT JOIN temp.stats_categories k ON k.child = c.child"
        " LEFT JOIN temp.stats_maps m ON m.child = c.child AND m.year = ?"
        " LEFT JOIN temp.stats_overdue o ON o.road_map_id = m.map_id"
        " WHERE c.since <= ? AND (c.left_on IS NULL OR c.left_on > ?)",
        [label, on, on]).fetchone()
    return {"total": total, "H1": rural, "H2": urban_target, "maps": maps,
            "covered": covered, "overdue": overdue}


def _districts(store: Store, request: Request,
               iin_records: list[str]) -> list[dict[str, Any]]:
    """Each district's last bundle, as T6 shows it: the districts of the register, of its
    records in use (studying, or sharing an IIN), of the records the duplicate rules group
    (by IIN, or probably by name and birth date), the paired ones and those with conflicts
    waiting."""
    db = store.db
    on = request.as_of.isoformat()
    district_of = dict(db.execute("SELECT id, district FROM temp.stats_schools").fetchall())
    # The children of several records (each record shares an IIN: its school is in use).
    seen = {r[0] for r in db.execute(
        "SELECT DISTINCT district FROM temp.stats_children WHERE since <= ?"
        " AND (left_on IS NULL OR left_on > ?)", [on, on])}
    schools = _schools_seen(store, request, iin_records)
    seen |= {district_of.get(school_id) or "" for school_id, used in schools.items() if used}
    # A district holding only records no longer in use is listed if one of them is probably
    # of the same child as another record: looked for among those few records alone.
    quiet = {school_id for school_id in schools
             if (district_of.get(school_id) or "") not in seen}
    if quiet:
        grouped = [pupil_id for group in find_duplicates(
            _people(store, request.territory, probable=True)) for pupil_id in group.pupil_ids]
        seen |= {district_of.get(school_id) or "" for (school_id,) in db.execute(
            "SELECT school_id FROM pupils WHERE id IN (SELECT value FROM json_each(?))",
            [_json_list(grouped)])}
    peers = {p.district: p for p in peer_infos(store)}
    conflicts = conflicts_by_district(store)
    out = []
    for district in ordered_districts(seen | set(peers) | set(conflicts)):
        peer = peers.get(district)
        last: str | None = None
        days: int | None = None
        if peer is not None and peer.last_import_at:
            received = date.fromisoformat(peer.last_import_at[:10])
            last, days = format_date(received), d.days_between(received, request.as_of)
        out.append({"code": district, "last": last, "days": days, "paired": peer is not None})
    return out


def _json_list(values: Iterable[str]) -> str:
    return json.dumps(list(values))
