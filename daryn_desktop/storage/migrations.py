"""The ordered, recorded schema changes; applied at open, after a backup of the file."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from sqlite_utils import Database, Migrations

from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_
from daryn_desktop.storage import changelog
from daryn_desktop.storage.schema import SYNCED_COLUMNS

MIGRATION_SET = "daryn"
MIGRATIONS = Migrations(MIGRATION_SET)


class NewerSchema(UserError):
    message = N_("This database was made by a newer version of Daryn Desktop ({names}).")
    hint = N_("Install the newest version of the program to open it.")


# --- 0001 ----------------------------------------------------------------------------------
_INITIAL = """
CREATE TABLE installation (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('district', 'region')),
    region_kato TEXT NOT NULL,
    district_kato TEXT,
    name TEXT NOT NULL,
    site_id TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE local_state (key TEXT PRIMARY KEY, value TEXT);

-- One row per write of a synced row: the version log that sync sends and the history the
-- editor shows. seq is the local order; (origin_site, origin_seq) identifies it everywhere.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY,
    origin_site TEXT NOT NULL,
    origin_seq INTEGER NOT NULL,
    hlc INTEGER NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('insert', 'update')),
    data TEXT NOT NULL,
    author TEXT,
    at TEXT NOT NULL,
    UNIQUE (origin_site, origin_seq)
);
CREATE INDEX changes_row ON changes (tbl, row_id);

CREATE TABLE schools (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    settlement_kato TEXT NOT NULL,
    district_kato TEXT NOT NULL,
    language TEXT NOT NULL,
    small_ungraded INTEGER NOT NULL DEFAULT 0,
    address TEXT,
    phone TEXT,
    archived INTEGER NOT NULL DEFAULT 0,
    sort_key TEXT NOT NULL DEFAULT ''
);
CREATE INDEX schools_district ON schools (district_kato, sort_key);

CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    surname TEXT NOT NULL,
    given_name TEXT NOT NULL,
    patronymic TEXT,
    role TEXT NOT NULL,
    school_id TEXT,
    subject TEXT,
    phone TEXT,
    archived INTEGER NOT NULL DEFAULT 0,
    sort_key TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_school ON staff (school_id);
CREATE INDEX staff_sort ON staff (sort_key);

CREATE TABLE pupils (
    id TEXT PRIMARY KEY,
    surname TEXT NOT NULL,
    given_name TEXT NOT NULL,
    patronymic TEXT,
    iin TEXT NOT NULL,
    birth_date TEXT,
    sex TEXT,
    school_id TEXT NOT NULL REFERENCES schools (id) DEFERRABLE INITIALLY DEFERRED,
    grade INTEGER NOT NULL,
    class_letter TEXT,
    language TEXT,
    settlement_kato TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    archive_reason TEXT,
    consent_given INTEGER NOT NULL DEFAULT 0,
    consent_date TEXT,
    phone TEXT,
    address TEXT,
    notes TEXT,
    sort_key TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pupils_sort ON pupils (sort_key);
CREATE INDEX pupils_school ON pupils (school_id, sort_key);
CREATE INDEX pupils_iin ON pupils (iin);

CREATE TABLE guardians (
    id TEXT PRIMARY KEY,
    pupil_id TEXT NOT NULL REFERENCES pupils (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    full_name TEXT NOT NULL, relation TEXT,
    phone TEXT, workplace TEXT, notes TEXT
);
CREATE INDEX guardians_pupil ON guardians (pupil_id);

CREATE TABLE pupil_categories (
    id TEXT PRIMARY KEY,
    pupil_id TEXT NOT NULL REFERENCES pupils (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    category TEXT NOT NULL, since TEXT,
    until TEXT, note TEXT
);
CREATE INDEX pupil_categories_pupil ON pupil_categories (pupil_id);
CREATE INDEX pupil_categories_category ON pupil_categories (category, pupil_id);

CREATE TABLE giftedness_areas (
    id TEXT PRIMARY KEY,
    pupil_id TEXT NOT NULL REFERENCES pupils (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL, field TEXT NOT NULL,
    note TEXT
);
CREATE INDEX giftedness_pupil ON giftedness_areas (pupil_id);
CREATE INDEX giftedness_kind ON giftedness_areas (kind, pupil_id);

CREATE TABLE diagnostics (
    id TEXT PRIMARY KEY,
    pupil_id TEXT NOT NULL REFERENCES pupils (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    method TEXT NOT NULL, date TEXT, result TEXT,
    conducted_by TEXT, staff_id TEXT
);
CREATE INDEX diagnostics_pupil ON diagnostics (pupil_id);

CREATE TABLE events (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, level TEXT NOT NULL,
    academic_year TEXT NOT NULL, subject TEXT, date TEXT, organiser TEXT
);

CREATE TABLE achievements (
    id TEXT PRIMARY KEY,
    pupil_id TEXT NOT NULL REFERENCES pupils (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    event_name TEXT NOT NULL,
    event_kind TEXT NOT NULL, level TEXT NOT NULL, academic_year TEXT NOT NULL,
    award TEXT NOT NULL, subject TEXT, date TEXT, event_id TEXT, teacher_id TEXT, note TEXT
);
CREATE INDEX achievements_pupil ON achievements (pupil_id);
CREATE INDEX achievements_teacher ON achievements (teacher_id);

CREATE TABLE road_maps (
    id TEXT PRIMARY KEY,
    pupil_id TEXT NOT NULL REFERENCES pupils (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    academic_year TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft', identification TEXT, strengths TEXT, interests TEXT,
    coordinator_id TEXT, mentor_id TEXT, psychologist_id TEXT, signed_date TEXT,
    closed_date TEXT, note TEXT
);
-- Not UNIQUE: two installations may create the same pupil-year concurrently; the
-- repository keeps one per pupil and year, and sync shows such pairs as conflicts.
CREATE INDEX road_maps_pupil ON road_maps (pupil_id, academic_year);
CREATE INDEX road_maps_year ON road_maps (academic_year, status);

CREATE TABLE goals (
    id TEXT PRIMARY KEY,
    road_map_id TEXT NOT NULL REFERENCES road_maps (id) ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED,
    text TEXT NOT NULL,
    achieved INTEGER NOT NULL DEFAULT 0, position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX goals_road_map ON goals (road_map_id, position);

CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    road_map_id TEXT NOT NULL REFERENCES road_maps (id) ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED,
    measure TEXT NOT NULL, title TEXT NOT NULL,
    responsible TEXT, responsible_id TEXT, start_date TEXT, due_date TEXT, due_quarter INTEGER,
    status TEXT NOT NULL DEFAULT 'planned', result TEXT, position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX activities_road_map ON activities (road_map_id, position);
CREATE INDEX activities_due ON activities (status, due_date);

CREATE TABLE reviews (
    id TEXT PRIMARY KEY,
    road_map_id TEXT NOT NULL REFERENCES road_maps (id) ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED,
    quarter INTEGER NOT NULL,
    text TEXT NOT NULL, date TEXT NOT NULL, author TEXT
);
CREATE INDEX reviews_road_map ON reviews (road_map_id, quarter);

CREATE TABLE amendments (
    id TEXT PRIMARY KEY,
    road_map_id TEXT NOT NULL REFERENCES road_maps (id) ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED,
    number INTEGER NOT NULL, date TEXT NOT NULL,
    reason TEXT NOT NULL, summary TEXT
);
CREATE INDEX amendments_road_map ON amendments (road_map_id, number);

CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    pupil_id TEXT NOT NULL REFERENCES pupils (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    sha256 TEXT NOT NULL, filename TEXT NOT NULL,
    mime TEXT NOT NULL, size INTEGER NOT NULL, kind TEXT NOT NULL, note TEXT
);
CREATE INDEX attachments_pupil ON attachments (pupil_id);
-- Content-addressed file bodies; shared by attachments with the same content.
CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL);

-- Search over name, IIN and school. The FTS table is contentless (it stores only the index);
-- pupil_search_rows gives each pupil a stable integer, because a rowid of a table with a
-- text primary key may change on VACUUM.
CREATE TABLE pupil_search_rows (
    num INTEGER PRIMARY KEY, pupil_id TEXT NOT NULL UNIQUE,
    -- Copies of the pupil's order and most used filters, kept by triggers, so that a search
    -- matching half of 100,000 pupils can walk this small table in order and stop after a
    -- page instead of sorting every match.
    sort_key TEXT NOT NULL DEFAULT '', active INTEGER NOT NULL DEFAULT 1, school_id TEXT,
    grade INTEGER
);
CREATE INDEX pupil_search_rows_order ON pupil_search_rows (active, sort_key, pupil_id);
CREATE INDEX pupil_search_rows_school ON pupil_search_rows (school_id, sort_key);
CREATE VIRTUAL TABLE pupil_search USING fts5 (
    name, iin, school, content='', contentless_delete=1, tokenize='unicode61'
);
"""

# ё is indexed as е (see i18n.collation.search_fold); the same replace is done on queries.
def _folded(sql: str) -> str:
    return f"replace(replace({sql}, 'ё', 'е'), 'Ё', 'Е')"


_NAME = _folded("{p}.surname || ' ' || {p}.given_name || ' ' || coalesce({p}.patronymic, '')")
_INDEX_PUPIL = (
    "INSERT INTO pupil_search (rowid, name, iin, school) VALUES ({num}, " + _NAME.format(p="new")
    + ", new.iin, " + _folded("coalesce((SELECT name FROM schools WHERE id = new.school_id), '')")
    + ");"
)
_UNINDEX_PUPIL = ("DELETE FROM pupil_search WHERE rowid = "
                  "(SELECT num FROM pupil_search_rows WHERE pupil_id = old.id);")
_SEARCH_TRIGGERS = f"""
CREATE TRIGGER pupils_search_insert AFTER INSERT ON pupils BEGIN
    INSERT INTO pupil_search_rows (pupil_id, sort_key, active, school_id, grade)
        VALUES (new.id, new.sort_key, new.status = 'active', new.school_id, new.grade);
    {_INDEX_PUPIL.format(num="last_insert_rowid()")}
END;
CREATE TRIGGER pupils_search_update AFTER UPDATE OF surname, given_name, patronymic, iin,
        school_id ON pupils BEGIN
    {_UNINDEX_PUPIL}
    {_INDEX_PUPIL.format(num="(SELECT num FROM pupil_search_rows WHERE pupil_id = new.id)")}
END;
CREATE TRIGGER pupils_order_update AFTER UPDATE OF sort_key, status, school_id, grade ON pupils
BEGIN
    UPDATE pupil_search_rows SET sort_key = new.sort_key, active = new.status = 'active',
        school_id = new.school_id, grade = new.grade WHERE pupil_id = new.id;
END;
CREATE TRIGGER pupils_search_delete AFTER DELETE ON pupils BEGIN
    {_UNINDEX_PUPIL}
    DELETE FROM pupil_search_rows WHERE pupil_id = old.id;
END;
CREATE TRIGGER schools_search_rename AFTER UPDATE OF name ON schools BEGIN
    DELETE FROM pupil_search WHERE rowid IN (
        SELECT num FROM pupil_search_rows WHERE school_id = new.id);
    INSERT INTO pupil_search (rowid, name, iin, school)
        SELECT r.num, {_NAME.format(p="p")}, p.iin, {_folded("new.name")}
        FROM pupils p JOIN pupil_search_rows r ON r.pupil_id = p.id WHERE p.school_id = new.id;
END;
"""


def _executescript(db: Database, script: str) -> None:
    """Run a script statement by statement: executescript() would commit the migration."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


@MIGRATIONS(name="0001_initial")
def initial(db: Database) -> None:
    _executescript(db, _INITIAL)
    _executescript(db, _SEARCH_TRIGGERS)


def known_names() -> list[str]:
    return [m.name for m in MIGRATIONS._migrations]


def pending_names(db: Database) -> list[str]:
    return [m.name for m in MIGRATIONS.pending(db)]


def applied_names(db: Database) -> list[str]:
    return [m.name for m in MIGRATIONS.applied(db)]


def check_not_newer(db: Database) -> None:
    """Refuse a database that has migrations this build does not know."""
    unknown = [name for name in applied_names(db) if name not in set(known_names())]
    if unknown:
        raise NewerSchema(names=", ".join(unknown))


def schema_version(db: Database) -> str:
    names = applied_names(db)
    return names[-1] if names else "(empty)"


# --- 0002 ----------------------------------------------------------------------------------
# Sync: per-field versions on top of the change log, identities and keys, peers and their
# acknowledgements, bundle history, tombstones of purged records.
_SYNC = """
-- A row of changes is a group of field versions: version (origin_site, origin_seq, column).
-- prio: 1 when written by a regional centre (its corrections win concurrent edits);
-- supersedes: JSON {column: [[site, seq], ...]}, the heads of each field the writer had seen;
-- received_from: the peer site that delivered it (NULL when written here).
ALTER TABLE changes ADD COLUMN prio INTEGER NOT NULL DEFAULT 0;
ALTER TABLE changes ADD COLUMN supersedes TEXT;
ALTER TABLE changes ADD COLUMN received_from TEXT;

-- Which version of a field supersedes which (kept so that a version arriving after its
-- successor is known to be superseded, whatever the order of delivery).
CREATE TABLE version_links (
    base_site TEXT NOT NULL, base_seq INTEGER NOT NULL, col TEXT NOT NULL,
    child_site TEXT NOT NULL, child_seq INTEGER NOT NULL,
    PRIMARY KEY (base_site, base_seq, col, child_site, child_seq)
) WITHOUT ROWID;

-- The current heads of a field when they are not simply the row's one insert: after an
-- update, or while concurrent versions are in conflict (more than one head).
CREATE TABLE field_heads (
    tbl TEXT NOT NULL, row_id TEXT NOT NULL, col TEXT NOT NULL,
    origin_site TEXT NOT NULL, origin_seq INTEGER NOT NULL,
    hlc INTEGER NOT NULL, prio INTEGER NOT NULL, value,
    PRIMARY KEY (tbl, row_id, col, origin_site, origin_seq)
) WITHOUT ROWID;

-- Columns received from a newer program version: kept in the log, applied after an upgrade.
CREATE TABLE pending_columns (tbl TEXT NOT NULL, col TEXT NOT NULL, PRIMARY KEY (tbl, col))
    WITHOUT ROWID;

-- This installation's own key pairs: 'sign' (Ed25519) and 'age' (X25519). The database is
-- encrypted under the password, so the private keys are too. Old keys stay for old bundles.
CREATE TABLE sync_keys (
    key_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('sign', 'age')),
    public TEXT NOT NULL,
    secret TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('current', 'retired', 'restored')),
    created_at TEXT NOT NULL,
    retired_at TEXT,
    endorsement TEXT
);

-- A region's offline escrow keys: only the public half stays; the secret is held here only
-- until it has been printed.
CREATE TABLE escrow_keys (
    key_id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    pending_secret TEXT,
    status TEXT NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'retired')),
    created_at TEXT NOT NULL
);

-- Installations we are paired with, and what each side has acknowledged of the other.
-- their_ack: the highest of OUR change-log positions the peer confirmed it applied;
-- our_ack: the highest of THEIR positions we applied (sent back in every bundle).
CREATE TABLE peers (
    site_id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    region_kato TEXT NOT NULL,
    district_kato TEXT,
    name TEXT NOT NULL,
    escrow TEXT,
    status TEXT NOT NULL DEFAULT 'trusted' CHECK (status IN ('trusted', 'revoked')),
    trusted_at TEXT NOT NULL,
    revoked_at TEXT,
    their_ack INTEGER NOT NULL DEFAULT 0,
    their_ack_hlc INTEGER NOT NULL DEFAULT 0,
    our_ack INTEGER NOT NULL DEFAULT 0,
    restore_requested INTEGER NOT NULL DEFAULT 0,
    last_import_at TEXT,
    last_export_at TEXT
);
CREATE TABLE peer_keys (
    key_id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES peers (site_id),
    kind TEXT NOT NULL CHECK (kind IN ('sign', 'age')),
    public TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'old', 'revoked')),
    added_at TEXT NOT NULL
);
CREATE INDEX peer_keys_site ON peer_keys (site_id, kind, status);

-- Every bundle written or imported (refused ones live in the quarantine folder instead).
CREATE TABLE bundle_log (
    bundle_id TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    peer_site TEXT NOT NULL,
    at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    since INTEGER NOT NULL,
    upto INTEGER NOT NULL,
    changes INTEGER NOT NULL,
    applied INTEGER NOT NULL DEFAULT 0,
    blobs TEXT,
    PRIMARY KEY (bundle_id, direction)
);

-- Blobs (attachment bodies) a peer is known to hold, so they are not sent again.
CREATE TABLE peer_blobs (peer_site TEXT NOT NULL, sha256 TEXT NOT NULL,
                         PRIMARY KEY (peer_site, sha256)) WITHOUT ROWID;

-- Legal purges, signed by the region, and the tombstones they leave: ids only, no personal
-- data, so that an old stick cannot bring the record back.
CREATE TABLE purges (
    purge_id TEXT PRIMARY KEY,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    at TEXT NOT NULL,
    region_kato TEXT NOT NULL,
    signer_key TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE TABLE tombstones (tbl TEXT NOT NULL, row_id TEXT NOT NULL, purge_id TEXT NOT NULL,
                         PRIMARY KEY (tbl, row_id)) WITHOUT ROWID;
"""


@MIGRATIONS(name="0002_sync")
def sync(db: Database) -> None:
    _executescript(db, _SYNC)


# --- 0003 ----------------------------------------------------------------------------------
# Road maps: the snapshot taken at signing, soft removal of goals and activities (the write
# path has no delete, and a removal must travel to the region like any other change),
# coordinators' own templates, and covering indexes for "due this month" / "overdue".
_ROAD_MAPS = """
-- JSON of the document as it was signed (see storage/roadmaps.py); NULL until signed.
ALTER TABLE road_maps ADD COLUMN signed_snapshot TEXT;
ALTER TABLE goals ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;

-- A coordinator's edited template for one track and document language; the built-in one
-- is used while there is none (or it is archived: "reset to default").
CREATE TABLE road_map_templates (
    id TEXT PRIMARY KEY,
    track TEXT NOT NULL,
    language TEXT NOT NULL,
    items TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX road_map_templates_track ON road_map_templates (track, language, archived);

-- Covering indexes for "due this month" and "overdue" across all pupils: the activities
-- still open by due date or by quarter, and the columns those lists need of a road map, so
-- that counting them reads (and decrypts) no activity or road-map row.
CREATE INDEX activities_open_due ON activities (status, due_date, road_map_id)
    WHERE removed = 0;
CREATE INDEX activities_open_quarter ON activities (status, due_quarter, road_map_id)
    WHERE due_date IS NULL AND removed = 0;
CREATE INDEX road_maps_lookup ON road_maps (id, status, academic_year, pupil_id);
"""


@MIGRATIONS(name="0003_road_maps")
def road_maps(db: Database) -> None:
    _executescript(db, _ROAD_MAPS)


# --- 0004 ----------------------------------------------------------------------------------
# Records entering a district's territory (a pupil moved to a school of another district):
# the region remembers, per district installation, which records it has counted as that
# district's, so that a record arriving there is sent with all its versions (see
# sync/scope.py::mark_changes).
_PEER_SCOPE = """
-- since_seq: the region's change-log position when the record entered the district's scope.
CREATE TABLE peer_scope (
    peer_site TEXT NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL,
    since_seq INTEGER NOT NULL,
    PRIMARY KEY (peer_site, tbl, row_id)
) WITHOUT ROWID;
"""


@MIGRATIONS(name="0004_peer_scope")
def peer_scope(db: Database) -> None:
    _executescript(db, _PEER_SCOPE)


# --- 0005 ----------------------------------------------------------------------------------
# Pupils who leave a district's territory (the region moves them to a school of another
# district): the region keeps announcing the move to the district it left until that
# district acknowledges it; the district removes its copy (see sync/departures.py) and
# remembers which records went, so that an old stick does not bring them back.
_DEPARTURES = """
-- A pupil, or a school the region placed in another district, that left; since_seq: the
-- region's change-log position when it noticed.
CREATE TABLE peer_departures (
    peer_site TEXT NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL,
    since_seq INTEGER NOT NULL,
    PRIMARY KEY (peer_site, tbl, row_id)
) WITHOUT ROWID;

-- A pupil removed here because the region moved it away, with the priority and clock of
-- the version of its school that won then: only a version that wins over it brings it back.
CREATE TABLE moved_away (
    pupil_id TEXT PRIMARY KEY, school_id TEXT, prio INTEGER NOT NULL, hlc INTEGER NOT NULL,
    at TEXT NOT NULL
) WITHOUT ROWID;
-- Every record removed with such a pupil (the pupil itself, what hangs under it).
CREATE TABLE moved_rows (
    tbl TEXT NOT NULL, row_id TEXT NOT NULL, pupil_id TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;
CREATE INDEX moved_rows_pupil ON moved_rows (pupil_id);

-- Erasing a record's versions (a purge, a pupil moved away) finds the links that name them
-- as the later version too.
CREATE INDEX version_links_child ON version_links (child_site, child_seq);
"""


@MIGRATIONS(name="0005_departures")
def departures(db: Database) -> None:
    _executescript(db, _DEPARTURES)


# --- 0007 ----------------------------------------------------------------------------------
# Statistics: a pupil archived by a person as a duplicate of another record of the same
# child (synced, so the decision reaches both districts), the headline figures each district
# sends in its bundles (the region's own record, not synced), and the activities' road-map
# index widened to cover what the statistics read of every activity (measure and status), so
# that counting them reads the index alone — the same index, no extra one to maintain.
_DUPLICATES = """
ALTER TABLE pupils ADD COLUMN duplicate_of TEXT;
CREATE TABLE district_figures (
    peer_site TEXT PRIMARY KEY,
    bundle_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    figures TEXT NOT NULL
);
DROP INDEX activities_road_map;
CREATE INDEX activities_road_map ON activities (road_map_id, position, removed, status, measure);
"""


@MIGRATIONS(name="0007_duplicates")
def duplicates(db: Database) -> None:
    _executescript(db, _DUPLICATES)


# --- 0008 ----------------------------------------------------------------------------------
# Spreadsheet imports: a record of each import made here (local, never synced), with every
# record it created and every field it changed, so that "Undo this import" can revert it as
# one unit through the write path; and a synced "removed" flag on the pupil's records an
# import may add to a pupil already registered (categories, giftedness areas, achievements),
# since an undo must take those away again and a removal must travel like any other edit.
_IMPORTS = """
CREATE TABLE import_batches (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sheet TEXT,
    at TEXT NOT NULL,
    author TEXT,
    new INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    undone_at TEXT
);
-- col NULL: the import created the record; otherwise it changed col from old to new.
CREATE TABLE import_writes (
    batch_id TEXT NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    col TEXT,
    old_value,
    new_value,
    PRIMARY KEY (batch_id, position)
) WITHOUT ROWID;
ALTER TABLE pupil_categories ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE giftedness_areas ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE achievements ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
"""


@MIGRATIONS(name="0008_imports")
def imports(db: Database) -> None:
    _executescript(db, _IMPORTS)


# --- 0011 ----------------------------------------------------------------------------------
# A compact change log (see storage/changelog.py): site ids as small numbers, record ids as
# 16 bytes, table, operation and field names as one number, times as seconds, and no second
# copy of a value the record's row holds. ``changes`` becomes a view with the old columns.
_COMPACT_LOG = """
CREATE TABLE sites (num INTEGER PRIMARY KEY, site_id TEXT NOT NULL UNIQUE);
CREATE TABLE log_shapes (
    num INTEGER PRIMARY KEY, tbl TEXT NOT NULL, op TEXT NOT NULL, cols TEXT NOT NULL,
    UNIQUE (tbl, op, cols)
);
-- seq: the local log position; (site, origin_seq) identifies the version everywhere;
-- data: the fields the row does not hold (NULL: it holds them all); at: Unix seconds, or
-- the text as received; supersedes: {column: [[site, seq], ...]} with site numbers.
CREATE TABLE change_log (
    seq INTEGER PRIMARY KEY,
    site INTEGER NOT NULL,
    origin_seq INTEGER NOT NULL,
    hlc INTEGER NOT NULL,
    shape INTEGER NOT NULL,
    row_id NOT NULL,
    data TEXT,
    author TEXT,
    at NOT NULL,
    prio INTEGER NOT NULL DEFAULT 0,
    supersedes TEXT,
    received_from INTEGER
);
CREATE UNIQUE INDEX change_log_version ON change_log (site, origin_seq);
CREATE INDEX change_log_row ON change_log (row_id, shape);
-- Which version of a field supersedes which, with site numbers (was version_links).
CREATE TABLE log_links (
    base INTEGER NOT NULL, base_seq INTEGER NOT NULL, col TEXT NOT NULL,
    child INTEGER NOT NULL, child_seq INTEGER NOT NULL,
    PRIMARY KEY (base, base_seq, col, child, child_seq)
) WITHOUT ROWID;
CREATE INDEX log_links_child ON log_links (child, child_seq);
-- The explicit heads of fields, with site numbers and stored ids (was field_heads).
CREATE TABLE log_heads (
    tbl TEXT NOT NULL, row_id NOT NULL, col TEXT NOT NULL, site INTEGER NOT NULL,
    seq INTEGER NOT NULL, hlc INTEGER NOT NULL, prio INTEGER NOT NULL, value,
    PRIMARY KEY (tbl, row_id, col, site, seq)
) WITHOUT ROWID;

-- The registry's columns of a screen of pupils read from indexes alone: a keystroke's first
-- screen then reads no giftedness, category, achievement or road-map row (random pages,
-- each decrypted).
DROP INDEX giftedness_pupil;
CREATE INDEX giftedness_pupil ON giftedness_areas (pupil_id, removed, kind, field);
DROP INDEX pupil_categories_pupil;
CREATE INDEX pupil_categories_pupil ON pupil_categories (pupil_id, removed, until, category);
DROP INDEX achievements_pupil;
CREATE INDEX achievements_pupil ON achievements (pupil_id, removed);
DROP INDEX road_maps_pupil;
CREATE INDEX road_maps_pupil ON road_maps (pupil_id, academic_year, status);
"""

_CHANGES_VIEW = f"""
CREATE VIEW changes AS SELECT
    c.seq AS seq, s.site_id AS origin_site, c.origin_seq AS origin_seq, c.hlc AS hlc,
    sh.tbl AS tbl, {changelog.sql_decode_id("c.row_id")} AS row_id, sh.op AS op,
    log_fields(c.shape, c.row_id, c.data) AS data, c.author AS author,
    CASE WHEN typeof(c.at) = 'integer'
        THEN strftime('%Y-%m-%dT%H:%M:%S+00:00', c.at, 'unixepoch') ELSE c.at END AS at,
    c.prio AS prio, log_supersedes(c.supersedes) AS supersedes, r.site_id AS received_from
FROM change_log c JOIN sites s ON s.num = c.site JOIN log_shapes sh ON sh.num = c.shape
    LEFT JOIN sites r ON r.num = c.received_from;
CREATE VIEW version_links AS SELECT
    b.site_id AS base_site, l.base_seq AS base_seq, l.col AS col, c.site_id AS child_site,
    l.child_seq AS child_seq
FROM log_links l JOIN sites b ON b.num = l.base JOIN sites c ON c.num = l.child;
CREATE VIEW field_heads AS SELECT
    h.tbl AS tbl, {changelog.sql_decode_id("h.row_id")} AS row_id, h.col AS col,
    s.site_id AS origin_site, h.seq AS origin_seq, h.hlc AS hlc, h.prio AS prio,
    h.value AS value
FROM log_heads h JOIN sites s ON s.num = h.site;
"""

#: Old log rows converted at once.
_MIGRATE_CHUNK = 5000


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def _compact_rows(codec: changelog.LogCodec, db: Database,
                  rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Old log rows as new ones, leaving out the values the records hold exactly."""
    by_table: dict[str, set[str]] = {}
    parsed = []
    for row in rows:
        data = json.loads(row[7])
        parsed.append(data)
        if row[4] in SYNCED_COLUMNS and isinstance(data, dict):
            by_table.setdefault(row[4], set()).add(row[5])
    current: dict[str, dict[str, dict[str, object]]] = {}
    for tbl, ids in by_table.items():
        names, values = codec.current_values(tbl, sorted(ids), set(SYNCED_COLUMNS[tbl]))
        current[tbl] = {row_id: dict(zip(names, found)) for row_id, found in values.items()}
    out = []
    for (seq, site, origin_seq, hlc, tbl, row_id, op, text, author, at, prio, sup,
         received), data in zip(rows, parsed):
        record = current.get(tbl, {}).get(row_id)
        if isinstance(data, dict) and record is not None:
            kept = {k: v for k, v in data.items() if not (k in record and _same(record[k], v))}
            stored = None if not kept else text if len(kept) == len(data) else \
                changelog.log_json(kept)
            cols = list(data)
        else:
            stored, cols = text, list(data) if isinstance(data, dict) else []
        out.append((seq, codec.site_num(site), origin_seq, hlc, codec.shape_num(tbl, op, cols),
                    changelog.encode_id(row_id), stored, author, changelog.encode_at(at), prio,
                    codec.encode_supersedes(json.loads(sup)) if sup else None,
                    codec.site_num(received) if received is not None else None))
    return out


@MIGRATIONS(name="0011_compact_log")
def compact_log(db: Database) -> None:
    _executescript(db, _COMPACT_LOG)
    codec = changelog.LogCodec(db)
    # The installation's own site first: number 1.
    for (site,) in db.execute("SELECT site_id FROM installation").fetchall():
        codec.site_num(site)
    last = 0
    while True:
        rows = db.execute(
            "SELECT seq, origin_site, origin_seq, hlc, tbl, row_id, op, data, author, at, prio,"
            " supersedes, received_from FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
            [last, _MIGRATE_CHUNK]).fetchall()
        if not rows:
            break
        last = rows[-1][0]
        db.conn.executemany(
            "INSERT INTO change_log (seq, site, origin_seq, hlc, shape, row_id, data, author,"
            " at, prio, supersedes, received_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _compact_rows(codec, db, rows))
    db.execute("DROP TABLE changes")
    db.execute("INSERT OR IGNORE INTO sites (site_id) SELECT base_site FROM version_links"
               " UNION SELECT child_site FROM version_links")
    db.execute("INSERT INTO log_links (base, base_seq, col, child, child_seq) SELECT b.num,"
               " l.base_seq, l.col, c.num, l.child_seq FROM version_links l JOIN sites b ON"
               " b.site_id = l.base_site JOIN sites c ON c.site_id = l.child_site")
    db.execute("DROP TABLE version_links")
    db.execute("INSERT OR IGNORE INTO sites (site_id) SELECT origin_site FROM field_heads")
    db.execute("INSERT INTO log_heads (tbl, row_id, col, site, seq, hlc, prio, value) SELECT"
               f" h.tbl, {changelog.sql_encode_id('h.row_id')}, h.col, s.num, h.origin_seq,"
               " h.hlc, h.prio, h.value FROM field_heads h JOIN sites s ON"
               " s.site_id = h.origin_site")
    db.execute("DROP TABLE field_heads")
    _executescript(db, _CHANGES_VIEW)


#: Migrations after which the file is compacted (VACUUM), outside their transaction.
VACUUM_AFTER = frozenset({"0011_compact_log"})


# --- 0006 ----------------------------------------------------------------------------------
# The events calendar with stages, participants and results per stage (a result is an
# achievement, linked to its stage), research projects, the support register with its
# eligibility rules, and the trainings of staff (see core/events.py, core/support.py,
# core/staffdev.py). All synced; the territory rules are in sync/scope.py.
_EVENTS = """
-- district_kato: NULL for the regional centre's events (every district receives them).
ALTER TABLE events ADD COLUMN grade_from INTEGER;
ALTER TABLE events ADD COLUMN grade_to INTEGER;
ALTER TABLE events ADD COLUMN district_kato TEXT;
ALTER TABLE events ADD COLUMN template TEXT;
ALTER TABLE events ADD COLUMN note TEXT;
ALTER TABLE events ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
CREATE INDEX events_year ON events (academic_year, district_kato);

-- A result of a stage is an achievement; its id is derived from the participant's.
ALTER TABLE achievements ADD COLUMN stage_id TEXT;
ALTER TABLE achievements ADD COLUMN score REAL;
ALTER TABLE achievements ADD COLUMN place INTEGER;
CREATE INDEX achievements_stage ON achievements (stage_id) WHERE stage_id IS NOT NULL;
CREATE INDEX achievements_year_level ON achievements (academic_year, level, pupil_id);

CREATE TABLE event_stages (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    level TEXT NOT NULL,
    name TEXT,
    start_date TEXT, end_date TEXT, registration_deadline TEXT, venue TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_stages_event ON event_stages (event_id, position);

CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    pupil_id TEXT NOT NULL REFERENCES pupils (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    stage_id TEXT NOT NULL,
    subject TEXT, teacher_id TEXT, project_id TEXT,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    note TEXT
);
CREATE INDEX participants_stage ON participants (stage_id);
CREATE INDEX participants_pupil ON participants (pupil_id);

CREATE TABLE research_projects (
    id TEXT PRIMARY KEY,
    pupil_id TEXT NOT NULL REFERENCES pupils (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    academic_year TEXT NOT NULL,
    topic TEXT NOT NULL, section TEXT, supervisor_id TEXT,
    mentor_name TEXT, mentor_organisation TEXT, event_id TEXT, note TEXT,
    removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX research_projects_pupil ON research_projects (pupil_id);
CREATE INDEX research_projects_year ON research_projects (academic_year);

CREATE TABLE support_records (
    id TEXT PRIMARY KEY,
    pupil_id TEXT NOT NULL REFERENCES pupils (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    measure TEXT NOT NULL,
    academic_year TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'granted',
    kind TEXT, title TEXT, amount INTEGER, start_date TEXT, end_date TEXT, place TEXT,
    order_number TEXT, order_date TEXT, achievement_id TEXT, activity_id TEXT, note TEXT
);
CREATE INDEX support_records_pupil ON support_records (pupil_id);
CREATE INDEX support_records_measure ON support_records (measure, academic_year);

-- A coordinator's own eligibility rule for a measure (JSON, see core/support.py); the
-- built-in one holds while there is none (or it is archived: "reset to the default").
CREATE TABLE support_rules (
    id TEXT PRIMARY KEY,
    measure TEXT NOT NULL,
    rule TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX support_rules_measure ON support_rules (measure, archived);

CREATE TABLE staff_trainings (
    id TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'course',
    title TEXT NOT NULL, organiser TEXT, hours INTEGER,
    start_date TEXT, end_date TEXT, certificate_number TEXT, note TEXT,
    removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX staff_trainings_staff ON staff_trainings (staff_id);
"""


@MIGRATIONS(name="0006_events")
def events(db: Database) -> None:
    _executescript(db, _EVENTS)


# --- 0012 ----------------------------------------------------------------------------------
# Statistics read from indexes alone: the year's achievements with what T3 and T4 count of
# them (instead of a look-up of each row), the year's road maps by pupil with their status
# (the Reports overview picks each child's map of the year from it), and what decides
# whether a pupil record is in the register (a fraction of the pupils' wide rows to read).
_STATS_INDEXES = """
CREATE INDEX pupils_stats ON pupils (school_id, status, consent_date, duplicate_of, id);
CREATE INDEX achievements_stats ON achievements
    (academic_year, removed, pupil_id, level, award, subject, teacher_id);
CREATE INDEX road_maps_year_pupil ON road_maps (academic_year, pupil_id, status, id);
"""


@MIGRATIONS(name="0012_stats_indexes")
def stats_indexes(db: Database) -> None:
    _executescript(db, _STATS_INDEXES)


# --- 0013 ----------------------------------------------------------------------------------
# The Reports overview counts the pupils in the order of their ids, where each child's road
# maps and categories (indexed by pupil) are found next to the previous child's: what decides
# whether a record is in the register, read from an index in that order instead of the rows;
# and whether a road map has anything planned, asked of an index of the activities that are
# (half the pages of the activities' own index, each a decryption on a fresh connection).
_OVERVIEW_INDEXES = """
CREATE INDEX pupils_overview ON pupils (id, school_id, status, consent_date, duplicate_of);
CREATE INDEX activities_planned ON activities (road_map_id)
    WHERE removed = 0 AND status != 'cancelled';
"""


@MIGRATIONS(name="0013_overview_indexes")
def overview_indexes(db: Database) -> None:
    _executescript(db, _OVERVIEW_INDEXES)


# --- 0014 ----------------------------------------------------------------------------------
# A new grade (every pupil's, each school year; most of an edit bundle) rewrote the search
# order's copy of the pupil's order and filters, and with it both of that table's indexes:
# a grade alone now sets only the grade, which no index holds.
_GRADE_ORDER = """
DROP TRIGGER pupils_order_update;
CREATE TRIGGER pupils_order_update AFTER UPDATE OF sort_key, status, school_id ON pupils
BEGIN
    UPDATE pupil_search_rows SET sort_key = new.sort_key, active = new.status = 'active',
        school_id = new.school_id, grade = new.grade WHERE pupil_id = new.id;
END;
CREATE TRIGGER pupils_grade_update AFTER UPDATE OF grade ON pupils BEGIN
    UPDATE pupil_search_rows SET grade = new.grade WHERE pupil_id = new.id;
END;
"""


@MIGRATIONS(name="0014_sync_grade_order")
def grade_order(db: Database) -> None:
    _executescript(db, _GRADE_ORDER)


# --- 0015 ----------------------------------------------------------------------------------
# Each road map's support measures, planned (an activity not cancelled) and done, as two
# numbers with a bit per measure, kept by triggers as activities are written: T2 and the
# overview read one short row per road map instead of grouping half a million activities
# (most of the statistics' reading). Derived data, never synced. An activity added (nearly
# every write: new road maps, bundles) only sets its bit; a change or removal counts its road
# map's few activities again; the overview asks it whether a road map has anything planned,
# so the index of planned activities kept for that (0013) goes. The bits are those of
# :data:`MEASURE_BITS` as this migration wrote them; a measure added later is the "other"
# bit until a migration of its own.
MEASURE_BITS = ("olympiad_preparation", "club", "technopark", "summer_camp",
                "psychological_training", "forum", "visit", "health_camp", "scholarship",
                "grant", "specialised_school", "distance_course", "competition", "other")
#: The bit of a measure that is none of :data:`MEASURE_BITS` (the reader lists those).
OTHER_MEASURE_BIT = 1 << len(MEASURE_BITS)


def _measure_bit_sql(column: str) -> str:
    """SQL giving the bit of the measure in ``column``."""
    return (f"CASE {column} " + " ".join(f"WHEN '{m}' THEN {1 << i}"
                                         for i, m in enumerate(MEASURE_BITS))
            + f" ELSE {OTHER_MEASURE_BIT} END")


def _road_map_measures_sql() -> str:
    bit = _measure_bit_sql("a.measure")
    recount = (
        "INSERT INTO road_map_measures SELECT a.road_map_id,"
        f" CAST(total(DISTINCT {bit}) AS INTEGER),"
        f" CAST(total(DISTINCT CASE WHEN a.status = 'done' THEN {bit} END) AS INTEGER)"
        " FROM activities a WHERE {which} AND a.removed = 0"
        " AND a.status != 'cancelled'"
        " GROUP BY a.road_map_id;")
    new_bit = _measure_bit_sql("new.measure")
    return f"""
CREATE TABLE road_map_measures (
    road_map_id TEXT PRIMARY KEY, planned INTEGER NOT NULL, done INTEGER NOT NULL
) WITHOUT ROWID;
{recount.format(which="1")}
DROP INDEX IF EXISTS activities_planned;
CREATE TRIGGER activities_measures_insert AFTER INSERT ON activities
WHEN new.removed = 0 AND new.status != 'cancelled' BEGIN
    INSERT INTO road_map_measures VALUES (new.road_map_id, {new_bit},
        CASE WHEN new.status = 'done' THEN {new_bit} ELSE 0 END)
    ON CONFLICT (road_map_id) DO UPDATE SET planned = planned | excluded.planned,
        done = done | excluded.done;
END;
CREATE TRIGGER activities_measures_update
AFTER UPDATE OF road_map_id, measure, status, removed ON activities BEGIN
    DELETE FROM road_map_measures WHERE road_map_id IN (old.road_map_id, new.road_map_id);
    {recount.format(which="a.road_map_id IN (old.road_map_id, new.road_map_id)")}
END;
CREATE TRIGGER activities_measures_delete AFTER DELETE ON activities BEGIN
    DELETE FROM road_map_measures WHERE road_map_id = old.road_map_id;
    {recount.format(which="a.road_map_id = old.road_map_id")}
END;
CREATE TRIGGER road_maps_measures_delete AFTER DELETE ON road_maps BEGIN
    DELETE FROM road_map_measures WHERE road_map_id = old.id;
END;
"""


@MIGRATIONS(name="0015_road_map_measures")
def road_map_measures(db: Database) -> None:
    _executescript(db, _road_map_measures_sql())


# --- 0016 ----------------------------------------------------------------------------------
# The registry opens on every active pupil: counting them walked an index of 100,000 names
# (34 ms with the pages still encrypted, the largest part of the start after the key). The
# number of pupils by ``active`` is kept here by triggers on the search's ordered copy, which
# follows every insert, archive and removal of a pupil.
_PUPIL_COUNTS_SQL = """
CREATE TABLE pupil_counts (active INTEGER PRIMARY KEY, n INTEGER NOT NULL);
INSERT INTO pupil_counts SELECT active, count(*) FROM pupil_search_rows GROUP BY active;
CREATE TRIGGER pupil_counts_insert AFTER INSERT ON pupil_search_rows BEGIN
    INSERT INTO pupil_counts VALUES (new.active, 1)
    ON CONFLICT (active) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER pupil_counts_delete AFTER DELETE ON pupil_search_rows BEGIN
    UPDATE pupil_counts SET n = n - 1 WHERE active = old.active;
END;
CREATE TRIGGER pupil_counts_update AFTER UPDATE OF active ON pupil_search_rows
WHEN old.active IS NOT new.active BEGIN
    UPDATE pupil_counts SET n = n - 1 WHERE active = old.active;
    INSERT INTO pupil_counts VALUES (new.active, 1)
    ON CONFLICT (active) DO UPDATE SET n = n + 1;
END;
"""


@MIGRATIONS(name="0016_pupil_counts")
def pupil_counts(db: Database) -> None:
    _executescript(db, _PUPIL_COUNTS_SQL)
