"""A district's territory: the records it holds, those entering and those leaving it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from daryn_desktop.storage.changelog import LogCodec, sql_decode_id, sql_encode_id
from daryn_desktop.storage.schema import SYNCED_COLUMNS
from daryn_desktop.storage.syncstate.common import _one
from daryn_desktop.storage.syncstate.versions import max_position

if TYPE_CHECKING:
    from sqlite_utils import Database


# -- a district's territory (see sync/scope.py) --------------------------------------------------
PUPIL_CHILDREN = ("guardians", "pupil_categories", "giftedness_areas", "diagnostics",
                  "achievements", "road_maps", "attachments", "participants",
                  "research_projects", "support_records")
ROAD_MAP_CHILDREN = ("goals", "activities", "reviews", "amendments")
REGION_WIDE = ("events",)
#: The calendar: the region's events go to every district, a district's to itself only.
CALENDAR = ("events", "event_stages")
_TERRITORIAL = {"schools", "pupils", "staff", "staff_trainings", *PUPIL_CHILDREN,
                *ROAD_MAP_CHILDREN, *CALENDAR}
#: Staff referenced from these (table, column) pairs belong to the referring record's district.
STAFF_REFERENCES = (("road_maps", "coordinator_id"), ("road_maps", "mentor_id"),
                    ("road_maps", "psychologist_id"), ("achievements", "teacher_id"),
                    ("activities", "responsible_id"), ("diagnostics", "staff_id"),
                    ("participants", "teacher_id"), ("research_projects", "supervisor_id"))
#: Events referenced from these (table, column) pairs reach the referring record's district
#: (a pupil moved in brings the events of its results, even another district's own).
EVENT_REFERENCES = (("achievements", "event_id"), ("research_projects", "event_id"))


#: Records whose leaving a district is announced to it: a pupil moved to another district's
#: school, and a school the region placed in another district (its pupils go with it).
_ANNOUNCED = "('pupils', 'schools')"


def territory_pupils(db: Database) -> list[str]:
    """The pupils of the temporary scope (see :mod:`~daryn_desktop.sync.scope`), sorted."""
    return [r[0] for r in db.execute(
        "SELECT row_id FROM temp.sync_scope WHERE tbl = 'pupils' ORDER BY row_id")]


def pupil_records(db: Database, pupil_id: str) -> list[tuple[str, str]]:
    """A pupil and every record under it, as (table, id), parents before dependants."""
    rows: list[tuple[str, str]] = [("pupils", pupil_id)]
    for table in PUPIL_CHILDREN:
        rows += [(table, r[0]) for r in db.execute(
            f"SELECT id FROM [{table}] WHERE pupil_id = ?", [pupil_id])]
    maps = [r for t, r in rows if t == "road_maps"]
    for table in ROAD_MAP_CHILDREN:
        for map_id in maps:
            rows += [(table, r[0]) for r in db.execute(
                f"SELECT id FROM [{table}] WHERE road_map_id = ?", [map_id])]
    return rows


def fill_scope(db: Database, district_kato: str, district_sites: list[str]) -> None:
    """Fill the temporary table ``sync_scope(tbl, row_id)`` with the records of the district
    ``district_kato``, whose installations are ``district_sites`` (see sync/scope.py)."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS sync_scope (tbl TEXT NOT NULL,"
               " row_id TEXT NOT NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID")
    db.execute("DELETE FROM temp.sync_scope")

    def add(sql: str, params: Sequence[Any] = ()) -> None:
        db.execute(f"INSERT OR IGNORE INTO temp.sync_scope (tbl, row_id) {sql}", list(params))

    add("SELECT 'schools', id FROM schools WHERE district_kato = ?", [district_kato])
    add("SELECT 'pupils', p.id FROM pupils p JOIN schools s ON s.id = p.school_id"
        " WHERE s.district_kato = ?", [district_kato])
    for table in PUPIL_CHILDREN:
        add(f"SELECT '{table}', id FROM [{table}] WHERE pupil_id IN"
            " (SELECT row_id FROM temp.sync_scope WHERE tbl = 'pupils')")
    for table in ROAD_MAP_CHILDREN:
        add(f"SELECT '{table}', id FROM [{table}] WHERE road_map_id IN"
            " (SELECT row_id FROM temp.sync_scope WHERE tbl = 'road_maps')")
    # Reference data (the events calendar, road-map templates, any table added later that
    # does not hang under a pupil) is the same for the whole region.
    for table in sorted(set(SYNCED_COLUMNS) - _TERRITORIAL):
        add(f"SELECT '{table}', id FROM [{table}]")
    # The calendar: the region's events, the district's own, and those its records refer to
    # (with all their stages, so that a result always comes with its stage and event).
    add("SELECT 'events', id FROM events WHERE district_kato IS NULL OR district_kato = ?",
        [district_kato])
    for table, column in EVENT_REFERENCES:
        add(f"SELECT 'events', e.id FROM [{table}] t JOIN events e ON e.id = t.[{column}]"
            f" WHERE t.id IN (SELECT row_id FROM temp.sync_scope WHERE tbl = '{table}')")
    add("SELECT 'events', s.event_id FROM participants p JOIN event_stages s ON"
        " s.id = p.stage_id JOIN events e ON e.id = s.event_id WHERE p.id IN"
        " (SELECT row_id FROM temp.sync_scope WHERE tbl = 'participants')")
    add("SELECT 'event_stages', id FROM event_stages WHERE event_id IN"
        " (SELECT row_id FROM temp.sync_scope WHERE tbl = 'events')")
    add("SELECT 'staff', id FROM staff WHERE school_id IN"
        " (SELECT row_id FROM temp.sync_scope WHERE tbl = 'schools')")
    for table, column in STAFF_REFERENCES:
        add(f"SELECT 'staff', [{column}] FROM [{table}] WHERE [{column}] IS NOT NULL AND id IN"
            f" (SELECT row_id FROM temp.sync_scope WHERE tbl = '{table}')")
    codec = LogCodec(db)
    sites = [n for n in map(codec.known_site, district_sites) if n is not None] or [-1]
    marks = ",".join("?" * len(sites))
    # Staff without a school: the region's own (region-wide) and those the district made.
    inserts = codec.shapes_of("staff", op="insert") or [-1]
    add("SELECT 'staff', s.id FROM staff s WHERE s.school_id IS NULL AND EXISTS (SELECT 1 FROM"
        f" change_log c WHERE c.row_id = {sql_encode_id('s.id')} AND c.shape IN"
        f" ({','.join('?' * len(inserts))}) AND (c.received_from IS NULL OR c.received_from IN"
        f" ({marks})))", [*inserts, *sites])
    # A person's courses and seminars go with the person.
    add("SELECT 'staff_trainings', id FROM staff_trainings WHERE staff_id IN"
        " (SELECT row_id FROM temp.sync_scope WHERE tbl = 'staff')")
    # Tables of a newer program version: what the district's own installations wrote.
    newer = [s for t in sorted(codec.tables() - set(SYNCED_COLUMNS)) for s in codec.shapes_of(t)]
    if newer:
        add(f"SELECT DISTINCT sh.tbl, {sql_decode_id('c.row_id')} FROM change_log c JOIN"
            f" log_shapes sh ON sh.num = c.shape WHERE c.shape IN ({','.join('?' * len(newer))})"
            f" AND c.received_from IN ({marks})", [*newer, *sites])


def _territory_tables(db: Database) -> None:
    for name in ("sync_fresh", "sync_departed"):
        db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (tbl TEXT NOT NULL,"
                   " row_id TEXT NOT NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID")
        db.execute(f"DELETE FROM temp.{name}")


def record_territory(db: Database, peer_site: str, their_ack: int) -> tuple[int, int]:
    """Compare the scope with what ``peer_site`` was counted to hold (``peer_scope``),
    remember the records that entered and the pupils that left, and fill ``sync_fresh``
    and ``sync_departed``; returns their sizes. Runs in a transaction of its own."""
    _territory_tables(db)
    with db.atomic():
        mark = entry_mark(db, peer_site)
        gone = ("peer_site = ? AND tbl != '' AND NOT EXISTS (SELECT 1 FROM temp.sync_scope s"
                " WHERE s.tbl = peer_scope.tbl AND s.row_id = peer_scope.row_id)")
        db.execute("INSERT OR IGNORE INTO peer_departures (peer_site, tbl, row_id, since_seq)"
                   f" SELECT peer_site, tbl, row_id, ? FROM peer_scope WHERE {gone} AND"
                   f" tbl IN {_ANNOUNCED}", [mark, peer_site])
        db.execute(f"DELETE FROM peer_scope WHERE {gone}", [peer_site])
        # A record that came back is no longer leaving (it is fresh again instead).
        db.execute("DELETE FROM peer_departures WHERE peer_site = ? AND EXISTS (SELECT 1 FROM"
                   " temp.sync_scope s WHERE s.tbl = peer_departures.tbl AND"
                   " s.row_id = peer_departures.row_id)", [peer_site])
        # Announced and acknowledged: the district holds the move.
        db.execute("DELETE FROM peer_departures WHERE peer_site = ? AND since_seq <= ?",
                   [peer_site, their_ack])
        db.execute("INSERT OR IGNORE INTO peer_scope (peer_site, tbl, row_id, since_seq)"
                   " SELECT ?, tbl, row_id, ? FROM temp.sync_scope", [peer_site, mark])
        # A row with no table marks the baseline as taken, even for an empty territory.
        db.execute("INSERT OR IGNORE INTO peer_scope (peer_site, tbl, row_id, since_seq)"
                   " VALUES (?, '', '', 0)", [peer_site])
        fresh = db.execute("INSERT INTO temp.sync_fresh (tbl, row_id) SELECT tbl, row_id FROM"
                           " peer_scope WHERE peer_site = ? AND since_seq > ?",
                           [peer_site, their_ack]).rowcount
        departed = db.execute("INSERT INTO temp.sync_departed (tbl, row_id) SELECT tbl,"
                              " row_id FROM peer_departures WHERE peer_site = ?",
                              [peer_site]).rowcount
    return int(fresh), int(departed)


def find_territory_changes(db: Database, peer_site: str, their_ack: int) -> tuple[int, int]:
    """What :func:`record_territory` would record, found without writing (temp tables
    only)."""
    _territory_tables(db)
    mark = entry_mark(db, peer_site)
    # Known records keep their position, the others would enter at today's.
    fresh = db.execute("INSERT INTO temp.sync_fresh (tbl, row_id) SELECT s.tbl, s.row_id"
                       " FROM temp.sync_scope s LEFT JOIN peer_scope p ON p.peer_site = ?"
                       " AND p.tbl = s.tbl AND p.row_id = s.row_id"
                       " WHERE coalesce(p.since_seq, ?) > ?",
                       [peer_site, mark, their_ack]).rowcount
    # Pupils announced and not yet acknowledged, and those leaving now.
    outside = ("NOT EXISTS (SELECT 1 FROM temp.sync_scope s WHERE s.tbl = d.tbl AND"
               " s.row_id = d.row_id)")
    departed = db.execute(
        "INSERT OR IGNORE INTO temp.sync_departed (tbl, row_id) SELECT tbl, row_id"
        f" FROM peer_departures d WHERE peer_site = ? AND since_seq > ? AND {outside}"
        " UNION SELECT tbl, row_id FROM peer_scope d WHERE peer_site = ? AND"
        f" tbl IN {_ANNOUNCED} AND {outside}", [peer_site, their_ack, peer_site]).rowcount
    return int(fresh), int(departed)


def entry_mark(db: Database, peer_site: str) -> int:
    """The position at which a record entering the district's territory now is recorded."""
    known = _one(db, "SELECT 1 FROM peer_scope WHERE peer_site = ? LIMIT 1", [peer_site])
    # The first time a district is counted, what it holds is taken as its baseline.
    return max_position(db) if known else 0
