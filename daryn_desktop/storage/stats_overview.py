"""The Reports overview's headline figures, counted by SQLite (no table built, no pupil read).

The register "as of" a day follows the rules of :mod:`daryn_desktop.core.stats.facts`: the
records of a territory, those of the same child (same IIN and name) counted once, each child
in the register from its first dated fact until it stopped studying. The children are worked
out once into TEMP tables of this connection and every figure is one ``GROUP``-free sum over
them; only the few records that share an IIN (and the dates read from the change log) pass
through Python. The figures equal those the full tables give (see
``tests/integration/test_stats_overview.py``).
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
    _schools,
    _scope,
    conflicts_by_district,
    peer_infos,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

    from daryn_desktop.storage.database import Store

#: The TEMP tables of one count, dropped when it ends.
_TEMP = ("stats_schools", "stats_merged", "stats_entered", "stats_left", "stats_years",
         "stats_records", "stats_children", "stats_maps", "stats_overdue", "stats_categories")

_NOT_DUPLICATE = "(p.duplicate_of IS NULL OR p.duplicate_of = '')"


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
            iin_records = _prepare(store, request)
            now = _figures_on(store, as_of, year.label, "now")
            before = _figures_on(store, earlier, year.previous().label, "before")
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


def _prepare(store: Store, request: Request) -> list[str]:
    """Fill the TEMP tables: the territory's children, their road maps of the year and the
    year before, their target categories on both days. Returns the records the rules found
    sharing an IIN (the same child, or a clash of names)."""
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
    # A record is in the register from its first dated fact (its consent, its entry, the
    # first day of its first road map's year) until it stopped studying.
    since = ("min(coalesce(nullif(p.consent_date, ''), '9999'),"
             " coalesce((SELECT e.day FROM temp.stats_entered e WHERE e.id = p.id), '9999'),"
             " coalesce((SELECT y.first_day FROM road_maps r JOIN temp.stats_years y"
             " ON y.label = r.academic_year WHERE r.pupil_id = p.id"
             " ORDER BY r.academic_year LIMIT 1), '9999'))")
    left_on = ("CASE WHEN p.status = 'active' THEN NULL ELSE coalesce((SELECT l.day FROM"
               " temp.stats_left l WHERE l.id = p.id), '0000') END")
    _create(db, "stats_children", "child TEXT PRIMARY KEY, since TEXT NOT NULL, left_on TEXT,"
            " rural INTEGER NOT NULL, district TEXT NOT NULL")
    # Nearly every child is one record: read from the statistics' index of the pupils.
    db.execute(
        "INSERT INTO temp.stats_children SELECT x.id,"
        " coalesce(nullif(x.since, '9999'), '0000'), x.left_on,"
        " coalesce(s.rural, 0), coalesce(s.district, '')"
        f" FROM (SELECT p.id AS id, p.school_id AS school_id, {since} AS since,"
        f" {left_on} AS left_on FROM pupils p WHERE {_NOT_DUPLICATE} AND {scope}"
        " AND p.id NOT IN (SELECT record FROM temp.stats_merged)) x"
        " LEFT JOIN temp.stats_schools s ON s.id = x.school_id", params)
    # The records of one child: studying while any is, else gone on the last leaving day;
    # the school of the record the child counts as.
    _create(db, "stats_records", "id TEXT PRIMARY KEY, pos INTEGER NOT NULL, child TEXT NOT NULL,"
            " school_id TEXT, since TEXT NOT NULL, left_on TEXT")
    db.execute(
        f"INSERT INTO temp.stats_records SELECT p.id, p.rowid, m.child, p.school_id, {since},"
        f" {left_on} FROM pupils p JOIN temp.stats_merged m ON m.record = p.id", [])
    db.execute(
        "INSERT INTO temp.stats_children SELECT c.child,"
        " CASE WHEN c.since = '9999' THEN '0000' ELSE c.since END, c.left_on,"
        " coalesce(s.rural, 0), coalesce(s.district, '') FROM (SELECT child, min(since) AS since,"
        " CASE WHEN count(left_on) < count(*) THEN NULL ELSE max(left_on) END AS left_on,"
        " max(CASE WHEN id = child THEN school_id END) AS school_id"
        " FROM temp.stats_records GROUP BY child) c"
        " LEFT JOIN temp.stats_schools s ON s.id = c.school_id")
    # A child's road map of a year: the most advanced of its maps, the first such in the
    # index's order (by id). SQLite takes the other columns from the row of the max().
    order = " ".join(f"WHEN '{status}' THEN {rank}" for status, rank in MAP_ORDER.items())
    planned = ("EXISTS (SELECT 1 FROM activities a INDEXED BY activities_road_map"
               " WHERE a.road_map_id = {map} AND a.removed = 0 AND a.status != 'cancelled')")
    _create(db, "stats_maps", "child TEXT NOT NULL, year TEXT NOT NULL, map_id TEXT NOT NULL,"
            " planned INTEGER NOT NULL, rank INTEGER, PRIMARY KEY (child, year)")
    years = [year.label, year.previous().label]
    db.execute(
        "INSERT INTO temp.stats_maps SELECT r.pupil_id, r.academic_year, r.id,"
        f" {planned.format(map='r.id')}, max(CASE r.status {order} ELSE 0 END)"
        " FROM road_maps r INDEXED BY road_maps_year_pupil WHERE r.academic_year IN (?, ?)"
        " AND r.pupil_id NOT IN (SELECT record FROM temp.stats_merged)"
        " GROUP BY r.academic_year, r.pupil_id", years)
    # Of a child of several records: its own record's maps first, then the others' in the
    # register's order.
    db.execute(
        "INSERT INTO temp.stats_maps SELECT child, year, map_id,"
        f" {planned.format(map='map_id')}, NULL FROM (SELECT r.child AS child,"
        " m.academic_year AS year, m.id AS map_id, row_number() OVER (PARTITION BY r.child,"
        f" m.academic_year ORDER BY CASE m.status {order} ELSE 0 END DESC,"
        " r.id = r.child DESC, r.pos, m.id) AS n FROM temp.stats_records r"
        " JOIN road_maps m ON m.pupil_id = r.id WHERE m.academic_year IN (?, ?)) WHERE n = 1",
        years)
    sql, overdue_params = _overdue_sql(year, as_of)
    _create(db, "stats_overdue", "road_map_id TEXT PRIMARY KEY, n INTEGER")
    db.execute(f"INSERT INTO temp.stats_overdue {sql}", overdue_params)
    # Whether a child is in a large or low-income family, on the day and a year before.
    low = sorted(d.LOW_INCOME_CATEGORIES)
    valid = "(c.since IS NULL OR c.since <= ?) AND (c.until IS NULL OR c.until >= ?)"
    now, before = as_of.isoformat(), d.year_earlier(as_of).isoformat()
    _create(db, "stats_categories", "child TEXT PRIMARY KEY, now INTEGER NOT NULL,"
            " before INTEGER NOT NULL")
    db.execute(
        "INSERT INTO temp.stats_categories SELECT coalesce(m.child, c.pupil_id),"
        f" max({valid}), max({valid}) FROM pupil_categories c"
        " LEFT JOIN temp.stats_merged m ON m.record = c.pupil_id WHERE c.removed = 0"
        f" AND c.category IN ({', '.join('?' * (len(low) + 1))}) GROUP BY 1",
        [now, now, before, before, FamilyCategory.LARGE_FAMILY.value, *low])
    return [pupil_id for group in groups for pupil_id in group.pupil_ids]


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
               iin_records: Iterable[str]) -> list[dict[str, Any]]:
    """Each district's last bundle, as T6 shows it: the districts of the register, of its
    records in use, of the records the duplicate rules group (by IIN, or probably by name
    and birth date), the paired ones and those with conflicts waiting."""
    db = store.db
    on = request.as_of.isoformat()
    seen = {r[0] for r in db.execute(
        "SELECT DISTINCT district FROM temp.stats_children WHERE since <= ?"
        " AND (left_on IS NULL OR left_on > ?)", [on, on])}
    where, params = _scope(request.territory)
    scope = where.format(col="p.id")
    schools = dict(db.execute("SELECT id, district FROM temp.stats_schools").fetchall())
    in_iin_group = set(iin_records)
    quiet: set[str] = set()  # schools whose records are neither in use nor in an IIN group
    for school_id, in_use in db.execute(
            "SELECT p.school_id, max(p.status = 'active' OR p.id IN (SELECT value FROM"
            f" json_each(?))) FROM pupils p WHERE {_NOT_DUPLICATE} AND {scope}"
            " GROUP BY p.school_id", [_json_list(in_iin_group), *params]):
        if in_use:
            seen.add(schools.get(school_id) or "")
        else:
            quiet.add(school_id)
    # A district holding only records no longer in use is listed if one of them is probably
    # of the same child as another record: looked for among those few records alone.
    quiet = {s for s in quiet if (schools.get(s) or "") not in seen}
    if quiet:
        seen |= {schools.get(s) or "" for s in _probable_schools(store, scope, params, quiet)}
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


def _probable_schools(store: Store, scope: str, params: list[Any],
                      schools: Iterable[str]) -> set[str]:
    """The schools of the records in a duplicate group with a record of these schools.

    The rules look at the records sharing an IIN or a name (its sort key) and birth date:
    every record that may be grouped with one of these schools' has the same birth date, so
    only the records born on those days are read (whether an IIN is shared is asked of the
    IIN index)."""
    db = store.db
    births = [birth for (birth,) in db.execute(
        "SELECT DISTINCT p.birth_date FROM pupils p WHERE p.school_id IN (SELECT value FROM"
        f" json_each(?)) AND {_NOT_DUPLICATE} AND {scope} AND p.birth_date IS NOT NULL"
        " AND p.birth_date != ''", [_json_list(sorted(schools)), *params])]
    if not births:
        return set()
    rows = db.execute(
        "SELECT p.id, p.iin, p.surname, p.given_name, p.birth_date, p.status, p.sort_key,"
        f" p.school_id FROM pupils p WHERE p.birth_date IN (SELECT value FROM json_each(?))"
        f" AND {_NOT_DUPLICATE} AND {scope}", [_json_list(births), *params]).fetchall()
    names: dict[tuple[str, str], int] = {}
    for row in rows:
        names[row[6], row[4]] = names.get((row[6], row[4]), 0) + 1
    shared_iins = {iin for (iin,) in db.execute(
        "SELECT p.iin FROM pupils p WHERE p.iin IN (SELECT value FROM json_each(?))"
        f" AND {_NOT_DUPLICATE} AND {scope} GROUP BY p.iin HAVING count(*) > 1",
        [_json_list(sorted({row[1] for row in rows if row[1]})), *params])}
    people = [Person(pid, iin, surname, given, birth, status == "active")
              for pid, iin, surname, given, birth, status, key, _school in rows
              if iin in shared_iins or names[key, birth] > 1]
    school_of = {row[0]: row[7] for row in rows}
    return {school_of[pupil_id] for group in find_duplicates(people)
            for pupil_id in group.pupil_ids}


def _json_list(values: Iterable[str]) -> str:
    return json.dumps(list(values))
