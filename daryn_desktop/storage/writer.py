"""The one write path: every change to a synced row goes through here and is logged.

Each insert or update of a synced table writes, in the same transaction, one row of the
change log (``change_log``, see ``changelog.py``; the view ``changes`` reads it with its
full columns): which row, which fields and their new values, the hybrid logical clock, and
this installation's ``(site, seq)``. Sync sends that log; the editor's History tab reads
it. A connection authorizer (see ``database.py``) refuses any other write to these tables,
so nothing can bypass the log by accident.

A row of the log is a group of field *versions*: version ``(origin_site, origin_seq, column)``.
An update records, per field, the versions it supersedes (the field's heads the writer had
seen), so that sync can merge per field: a version written after seeing another wins over
it; versions written without seeing each other are both kept as heads (a conflict for a
person), and a deterministic winner (region priority, clock, site) is what the record shows.
The heads of a field are explicit in ``log_heads`` (the view ``field_heads`` reads them with
site ids) except in the common case of a row written once, whose one insert is its implicit
head (this keeps bulk inserts as cheap as before). :meth:`Writer.apply_remote` applies
versions received from other installations through the same bookkeeping, without logging
them as local changes.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.clock import HybridClock
from daryn_desktop.core.ids import new_id
from daryn_desktop.core.roadmap import settle_status
from daryn_desktop.core.text import clean_fields
from daryn_desktop.i18n.collation import name_sort_key, sort_key
from daryn_desktop.storage.changelog import (
    LogCodec,
    LoggedRows,
    decode_id,
    encode_at,
    encode_id,
    log_json,
)
from daryn_desktop.storage.rows import to_db
from daryn_desktop.storage.schema import APPEND_ONLY, SYNCED_COLUMNS

if TYPE_CHECKING:
    from sqlite_utils import Database

# Columns computed from others whenever a row is written; never logged, never synced.
DERIVED: dict[str, tuple[tuple[str, ...], Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "pupils": (("surname", "given_name", "patronymic"),
               lambda r: {"sort_key": name_sort_key(r["surname"], r["given_name"],
                                                    r.get("patronymic"))}),
    "staff": (("surname", "given_name", "patronymic"),
              lambda r: {"sort_key": name_sort_key(r["surname"], r["given_name"],
                                                   r.get("patronymic"))}),
    "schools": (("name",), lambda r: {"sort_key": sort_key(r["name"])}),
}

#: Rows that belong to a parent (column → parent table): a purged parent, or a pupil moved
#: to another district, takes them along (see ``apply_remote``).
PARENT_COLUMNS = {"pupil_id": "pupils", "road_map_id": "road_maps"}
#: SQLite's limit of bound parameters is 32766 nowadays; stay far below for old builds.
_CHUNK = 500

VersionId = tuple[str, int]


@functools.cache
def _allowed_columns(synced: tuple[str, ...]) -> frozenset[str]:
    """The columns an insert may name: the synced ones and the id (cached per column list)."""
    return frozenset(synced) | {"id"}


__all__ = ["log_json"]  # the log's JSON, used by sync too


def _now_text() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class ReusedVersionIds(Exception):
    """Versions arrived under numbers already held for other versions from the same origin:
    that installation's database went back to an older copy (see ``sync/rollback.py``)."""


class AppendOnly(Exception):
    """A programming error: reviews and amendments are added, never changed."""


@dataclass(frozen=True)
class Head:
    """One current version of a field."""

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


@dataclass(slots=True)
class RemoteChange:
    """One row of another installation's change log, as a bundle carries it."""

    origin_site: str
    origin_seq: int
    hlc: int
    tbl: str
    row_id: str
    op: str
    data: dict[str, Any]
    author: str | None = None
    at: str = ""
    prio: int = 0
    supersedes: dict[str, list[VersionId]] = field(default_factory=dict)
    #: ``log_json(data)`` when the reader already has it (the text a bundle carried, checked
    #: to be exactly that): stored in the log as it is instead of being encoded again.
    data_json: str | None = None

    @property
    def id(self) -> VersionId:
        return (self.origin_site, self.origin_seq)


# Getters for whole batches of remote versions (a million in a district's first bundle).
_VERSION = operator.attrgetter("origin_site", "origin_seq")
_HLC = operator.attrgetter("hlc")
_TABLE = operator.attrgetter("tbl")


@dataclass
class ApplyResult:
    """What applying remote versions did."""

    received: int = 0
    new: int = 0
    duplicates: int = 0
    dropped_purged: int = 0
    dropped_away: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    conflicts_touched: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    #: The fields touched that need a person, as (table, row id, column): when one import
    #: applies its versions batch by batch, a field touched again counts once, as it stands.
    conflict_fields: set[tuple[str, str, str]] = field(default_factory=set, repr=False)


# The primary key of a row of ``log_heads`` (ids as stored: bytes or text, never both for
# one table, so the order is total in practice; the text sorts after bytes otherwise).
def _head_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    tbl, stored, col, site, seq = row[:5]
    return (tbl, isinstance(stored, str), stored, col, site, seq)


class _HeadCache:
    """The heads of the fields of some rows, loaded in batches and written back once."""

    def __init__(self, db: Database, codec: LogCodec,
                 current: dict[str, dict[str, dict[str, Any]]] | None = None):
        self.db = db
        self.codec = codec
        #: Rows already read (table → id → columns), for the values the log left out.
        self.current = current
        self.explicit: dict[tuple[str, str, str], list[Head]] = {}
        self.inserts: dict[tuple[str, str], list[tuple[Head, dict[str, Any]]]] = {}
        self.loaded: set[tuple[str, str]] = set()
        self.dirty: set[tuple[str, str, str]] = set()
        #: Fields with explicit heads in the database (the others have none to delete).
        self.stored: set[tuple[str, str, str]] = set()
        #: Every log row of the rows loaded, by table.
        self.logged: dict[str, LoggedRows] = {}

    def load(self, rows: Iterable[tuple[str, str]]) -> None:
        by_table: dict[str, list[str]] = {}
        for tbl, row_id in rows:
            if (tbl, row_id) not in self.loaded:
                self.loaded.add((tbl, row_id))
                by_table.setdefault(tbl, []).append(row_id)
        for tbl, ids in by_table.items():
            for part in _chunks(ids):
                marks = ",".join("?" * len(part))
                for stored_id, col, site, seq, hlc, prio, value in self.db.execute(
                        "SELECT row_id, col, site, seq, hlc, prio, value"
                        f" FROM log_heads WHERE tbl = ? AND row_id IN ({marks})",
                        [tbl, *map(encode_id, part)]):
                    key = (tbl, decode_id(stored_id), col)
                    self.explicit.setdefault(key, []).append(
                        Head(self.codec.site(site) or "", seq, hlc, prio, value))
                    self.stored.add(key)
                shapes = set(self.codec.shapes_of(tbl))
                if not shapes:
                    continue
                # Every version of these rows, read once: the inserts are implicit heads,
                # and the rest is kept for writing values back (LogCodec.keep_values_of).
                logged = self.logged.setdefault(tbl, LoggedRows({}))
                stored = list(map(encode_id, part))
                for stored_id in stored:
                    logged.rows.setdefault(stored_id, [])
                inserts = set(self.codec.shapes_of(tbl, op="insert"))
                found = []
                for r in self.db.execute(
                        "SELECT row_id, site, origin_seq, hlc, prio, shape, data, seq"
                        f" FROM change_log WHERE row_id IN ({marks})", stored):
                    if r[5] in shapes:
                        logged.rows[r[0]].append((r[7], r[5], r[0], r[6]))
                        if r[5] in inserts:
                            found.append(r)
                ids = [decode_id(r[0]) for r in found]
                fields = self.codec.fields([(r[5], row_id, r[6]) for r, row_id in zip(found, ids)],
                                           self.current)
                for (_r, site, seq, hlc, prio, *_rest), row_id, (values, _whole) in zip(
                        found, ids, fields):
                    self.inserts.setdefault((tbl, row_id), []).append(
                        (Head(self.codec.site(site) or "", seq, hlc, prio, None), values))

    def implicit(self, tbl: str, row_id: str, col: str) -> list[Head]:
        inserts = self.inserts.get((tbl, row_id))
        if not inserts:
            return []
        return [Head(h.site, h.seq, h.hlc, h.prio, values[col])
                for h, values in inserts if col in values]

    def get(self, tbl: str, row_id: str, col: str) -> list[Head]:
        key = (tbl, row_id, col)
        if key in self.explicit:
            return self.explicit[key]
        return self.implicit(tbl, row_id, col)

    def put(self, tbl: str, row_id: str, col: str, heads: list[Head]) -> None:
        self.explicit[(tbl, row_id, col)] = heads
        self.dirty.add((tbl, row_id, col))

    def add_insert(self, tbl: str, row_id: str, head: Head, values: dict[str, Any]) -> None:
        known = self.inserts.setdefault((tbl, row_id), [])
        if all(h.id != head.id for h, _values in known):
            known.append((head, values))

    def columns(self, tbl: str, row_id: str) -> set[str]:
        cols = {c for (t, r, c) in self.explicit if t == tbl and r == row_id}
        for _h, values in self.inserts.get((tbl, row_id), []):
            cols.update(values)
        return cols

    def flush(self) -> None:
        deletes, inserts = [], []
        site_nums: dict[str, int] = {}
        stored_ids: dict[str, bytes | str] = {}
        for key in self.dirty:
            tbl, row_id, col = key
            heads = self.explicit[key]
            stored_id = stored_ids.get(row_id)
            if stored_id is None:
                stored_id = stored_ids[row_id] = encode_id(row_id)
            if key in self.stored:
                deletes.append((tbl, stored_id, col))
            implicit_ids = {(h.site, h.seq) for h, values in self.inserts.get((tbl, row_id), ())
                            if col in values}
            if len(heads) == len(implicit_ids) and {h.id for h in heads} == implicit_ids:
                continue  # the row's one insert is the head again: nothing to keep
            for h in heads:
                site = site_nums.get(h.site)
                if site is None:
                    site = site_nums[h.site] = self.codec.site_num(h.site)
                inserts.append((tbl, stored_id, col, site, h.seq, h.hlc, h.prio, h.value))
        if deletes:
            self.db.conn.executemany(
                "DELETE FROM log_heads WHERE tbl = ? AND row_id = ? AND col = ?", deletes)
        if inserts:
            inserts.sort(key=_head_key)  # in the table's order: each page written once
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO log_heads (tbl, row_id, col, site, seq, hlc, prio,"
                " value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", inserts)
        self.stored.update(self.dirty)
        self.dirty.clear()


class Writer:
    """Writes synced rows and their change log inside one open transaction."""

    def __init__(self, db: Database, *, site_id: str, author: str | None, clock: HybridClock,
                 next_seq: int):
        self.db = db
        self.site_id = site_id
        self.author = author
        self.clock = clock
        self.next_seq = next_seq
        self._at = _now_text()
        self._prio: int | None = None
        self._next_position: int | None = None
        self._codec: LogCodec | None = None
        #: Tables written through this writer (the window's views learn which changed).
        self.tables: set[str] = set()

    @property
    def codec(self) -> LogCodec:
        """The log's numbering of sites and shapes, for this transaction."""
        if self._codec is None:
            self._codec = LogCodec(self.db)
        return self._codec

    @property
    def prio(self) -> int:
        """1 for a regional centre: its corrections win over concurrent district edits."""
        if self._prio is None:
            row = self.db.execute("SELECT role FROM installation").fetchone()
            self._prio = 1 if row and row[0] == "region" else 0
        return self._prio

    def _positions(self, count: int) -> range:
        """Change-log positions (``changes.seq``) for ``count`` new rows.

        Never one used before, even when its row was erased (a purge, a pupil moved away):
        a peer that acknowledged up to that position would otherwise miss what comes next.
        """
        if self._next_position is None:
            self._next_position = self.db.execute(
                "SELECT max(coalesce(max(seq), 0), coalesce((SELECT CAST(value AS INTEGER)"
                " FROM local_state WHERE key = 'seq_floor'), 0)) + 1 FROM change_log",
            ).fetchone()[0]
        start = self._next_position
        self._next_position += count
        return range(start, start + count)

    # -- public API ------------------------------------------------------------------------
    def insert(self, table: str, values: dict[str, Any]) -> str:
        """Insert one row (an ``id`` is made if missing) and log it; returns the id."""
        row = self._prepare(table, values)
        self._insert_rows(table, [row])
        row_id: str = row["id"]
        return row_id

    def insert_many(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Insert many rows with one statement each for the table and the log."""
        prepared = [self._prepare(table, values) for values in rows]
        if prepared:
            self._insert_rows(table, prepared)
        return len(prepared)

    def update(self, table: str, row_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Change some fields of a row; only fields whose value differs are written and logged.

        Each written field supersedes all its current heads (the writer saw them all), so an
        edit also settles a conflict on that field. Returns the fields that changed.
        """
        if table in APPEND_ONLY:
            raise AppendOnly(table)
        self._check_columns(table, values)
        current = self._current(table, row_id)
        values = clean_fields({k: to_db(v) for k, v in values.items()})
        changed = {k: v for k, v in values.items() if v != current.get(k)}
        if not changed:
            return {}
        self._write_versions(table, row_id, current, changed)
        return changed

    def resolve(self, table: str, row_id: str, column: str, value: Any) -> None:
        """Settle a conflict: a new version of ``column`` superseding every current head,
        written even when ``value`` is the one already shown."""
        self._check_columns(table, {column: value})
        current = self._current(table, row_id)
        self._write_versions(table, row_id, current, clean_fields({column: to_db(value)}))

    # -- internals -------------------------------------------------------------------------
    def _check_columns(self, table: str, values: dict[str, Any]) -> None:
        unknown = set(values) - set(SYNCED_COLUMNS[table])
        if unknown:
            raise KeyError(f"{table} has no synced columns {sorted(unknown)}")

    def _write_versions(self, table: str, row_id: str, current: dict[str, Any],
                        changed: dict[str, Any]) -> None:
        self.tables.add(table)
        derived = DERIVED.get(table)
        extra: dict[str, Any] = {}
        if derived and set(derived[0]) & set(changed):
            extra = derived[1]({**current, **changed})
        self.codec.keep_values(table, row_id, current, changed)
        assignments = ", ".join(f"[{k}] = ?" for k in [*changed, *extra])
        self.db.execute(f"UPDATE [{table}] SET {assignments} WHERE id = ?",
                        [*changed.values(), *extra.values(), row_id])
        heads = _HeadCache(self.db, self.codec)
        heads.load([(table, row_id)])
        seq, hlc = self.next_seq, self.clock.now()
        supersedes = {col: sorted(h.id for h in heads.get(table, row_id, col)) for col in changed}
        for col, value in changed.items():
            heads.put(table, row_id, col, [Head(self.site_id, seq, hlc, self.prio, value)])
        self._log([(table, row_id, "update", changed)], hlc=hlc,
                  supersedes={k: v for k, v in supersedes.items() if v})
        links = self.codec.links((self.site_id, seq), supersedes)
        if links:
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO log_links (base, base_seq, col, child, child_seq)"
                " VALUES (?, ?, ?, ?, ?)", links)
        heads.flush()

    def _prepare(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        allowed = _allowed_columns(SYNCED_COLUMNS[table])
        if not allowed.issuperset(values):
            unknown = set(values) - allowed
            raise KeyError(f"{table} has no synced columns {sorted(unknown)}")
        row = clean_fields({c: to_db(v) for c, v in values.items() if c != "id"})
        row["id"] = values.get("id") or new_id()
        return row

    def _insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        self.tables.add(table)
        _insert_table_rows(self.db, table, rows)
        self._log([(table, row["id"], "insert", {k: v for k, v in row.items() if k != "id"})
                   for row in rows])

    def _current(self, table: str, row_id: str) -> dict[str, Any]:
        cursor = self.db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
        names = [d[0] for d in cursor.description]
        found = cursor.fetchone()
        if found is None:
            raise KeyError(f"no row {row_id} in {table}")
        return dict(zip(names, found))

    def _log(self, entries: list[tuple[str, str, str, dict[str, Any]]], *, hlc: int | None = None,
             supersedes: dict[str, list[VersionId]] | None = None) -> None:
        """Log versions whose values the rows now hold (so the log leaves them out)."""
        codec = self.codec
        params = []
        sup = codec.encode_supersedes(supersedes)
        site, at = codec.site_num(self.site_id), encode_at(self._at)
        # One timestamp for the batch: its versions are told apart by their sequence numbers.
        stamp = hlc or self.clock.now()
        for position, (table, row_id, op, data) in zip(self._positions(len(entries)),
                                                       entries):
            names = list(data)
            held = codec.held_exactly(table, names, ([v] for v in data.values()))
            params.append((position, site, self.next_seq, stamp,
                           codec.shape_num(table, op, names), encode_id(row_id),
                           None if held else log_json(data), self.author, at, self.prio, sup))
            self.next_seq += 1
        self.db.conn.executemany(
            "INSERT INTO change_log (seq, site, origin_seq, hlc, shape, row_id, data, author,"
            " at, prio, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", params)

    # -- applying other installations' versions ---------------------------------------------
    def apply_remote(self, changes: Iterable[RemoteChange], *, received_from: str,
                     tombstones: dict[tuple[str, str], str] | None = None,
                     away: dict[tuple[str, str], str] | None = None,
                     result: ApplyResult | None = None) -> ApplyResult:
        """Merge versions written elsewhere; nothing is logged as a local change.

        Idempotent (a version already known is skipped by its ``(site, seq)``) and
        order-independent. Versions of purged rows (``tombstones``: (table, id) → purge id)
        and of rows removed because their pupil moved to another district (``away``:
        (table, id) → pupil id) are dropped, as are new rows under such a parent.

        A large bundle is applied a batch at a time, each call adding to the same
        ``result`` (the marks of rows dropped are read again for each batch: those a batch
        passes on to new rows are stored).
        """
        result = result if result is not None else ApplyResult()
        incoming = list(changes)
        result.received += len(incoming)
        fresh = self._unknown_versions(incoming)
        result.duplicates += len(incoming) - len(fresh)
        kept = self._drop_marked(fresh, tombstones or {}, away or {}, result)
        result.new += len(kept)
        if not kept:
            return result
        _clean_remote(kept)
        # The clock only moves forward: observing the latest is observing them all.
        self.clock.observe(max(map(_HLC, kept)))
        for tbl, count in Counter(map(_TABLE, kept)).items():
            result.tables[tbl] = result.tables.get(tbl, 0) + count
        fast, slow = self._split_fast_inserts(kept)
        self._record_remote(kept, received_from, self._held_by_rows(fast))
        unknown: set[tuple[str, str]] = set()
        for tbl, group in fast.items():
            self._insert_remote_rows(tbl, group, unknown)
            result.rows_inserted += len(group)
        if slow:
            inserted, updated = self._apply_slow(slow, result.conflict_fields)
            result.rows_inserted += inserted
            result.rows_updated += updated
            result.conflicts_touched = len(result.conflict_fields)
            unknown |= _unknown_columns(slow)
        if unknown:
            # Columns of a newer schema stay in the log only (see materialize_pending).
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO pending_columns (tbl, col) VALUES (?, ?)", sorted(unknown))
        return result

    def _drop_marked(self, changes: list[RemoteChange], tombstones: dict[tuple[str, str], str],
                     away: dict[tuple[str, str], str],
                     result: ApplyResult) -> list[RemoteChange]:
        """The versions of rows neither purged nor moved away (nor new rows under those)."""
        if not tombstones and not away:
            return changes
        tombstones, away = dict(tombstones), dict(away)
        kept: list[RemoteChange] = []
        new_tombs: list[tuple[str, str, str]] = []
        new_away: list[tuple[str, str, str]] = []
        for change in changes:
            if _mark_of(change, tombstones, new_tombs) is not None:
                result.dropped_purged += 1
            elif _mark_of(change, away, new_away) is not None:
                result.dropped_away += 1
            else:
                kept.append(change)
        if new_tombs:
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO tombstones (tbl, row_id, purge_id) VALUES (?, ?, ?)",
                new_tombs)
        if new_away:
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO moved_rows (tbl, row_id, pupil_id) VALUES (?, ?, ?)",
                new_away)
        return kept

    def _unknown_versions(self, incoming: list[RemoteChange]) -> list[RemoteChange]:
        """The versions not yet in the log (and each only once)."""
        ids = list(map(_VERSION, incoming))
        by_site: dict[str, list[int]] = {}
        if ids and all(site == ids[0][0] for site, _seq in ids):
            by_site[ids[0][0]] = [seq for _site, seq in ids]  # the usual case: one site
        else:
            for site, seq in ids:
                by_site.setdefault(site, []).append(seq)
        known: dict[VersionId, int] = {}
        for site, seqs in by_site.items():
            num = self.codec.known_site(site)
            if num is None:
                continue  # nothing of that installation held yet
            known.update(((site, seq), hlc) for seq, hlc in self.db.execute(
                "SELECT origin_seq, hlc FROM change_log WHERE site = ? AND origin_seq"
                " BETWEEN ? AND ?", [num, min(seqs), max(seqs)]))
        if not known and len(set(ids)) == len(ids):
            return incoming  # the usual case: all new, each once
        fresh = []
        for change, version in zip(incoming, ids):
            held = known.get(version)
            if held is None:
                known[version] = change.hlc
                fresh.append(change)
            elif held != change.hlc:
                # The same number, another edit: never drop it as a duplicate.
                raise ReusedVersionIds(change.origin_site)
        return fresh

    def _held_by_rows(self, fast: dict[str, list[RemoteChange]]) -> set[int]:
        """The new rows (by ``id()`` of their change) that will hold exactly the values of
        their insert, so that the log leaves them out."""
        held: set[int] = set()
        synced_of = SYNCED_COLUMNS
        for tbl, group in fast.items():
            by_names: dict[tuple[str, ...], list[RemoteChange]] = {}
            for change in group:
                by_names.setdefault(tuple(change.data), []).append(change)
            synced = synced_of[tbl]
            for names, same in by_names.items():
                if not set(names) <= set(synced):
                    continue  # a newer schema's fields stay in the log
                columns = zip(*(c.data.values() for c in same))
                if self.codec.held_exactly(tbl, names, columns):
                    held.update(map(id, same))
        return held

    def _record_remote(self, changes: list[RemoteChange], received_from: str,
                       held: set[int]) -> None:
        codec = self.codec
        sender = codec.site_num(received_from)
        sites: dict[str, int] = {}
        shapes: dict[tuple[str, str, tuple[str, ...]], int] = {}

        def row(position: int, c: RemoteChange) -> tuple[Any, ...]:
            site = sites.get(c.origin_site)
            if site is None:
                site = sites[c.origin_site] = codec.site_num(c.origin_site)
            key = (c.tbl, c.op, tuple(c.data))
            shape = shapes.get(key)
            if shape is None:
                shape = shapes[key] = codec.shape_num(*key)
            data = None if id(c) in held else c.data_json or log_json(c.data)
            return (position, site, c.origin_seq, c.hlc, shape, encode_id(c.row_id), data,
                    c.author, encode_at(c.at), c.prio, codec.encode_supersedes(c.supersedes),
                    sender)

        self.db.conn.executemany(
            "INSERT INTO change_log (seq, site, origin_seq, hlc, shape, row_id, data, author,"
            " at, prio, supersedes, received_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row(position, c) for position, c in zip(self._positions(len(changes)), changes)))
        links = [link for c in changes if c.supersedes
                 for link in codec.links((c.origin_site, c.origin_seq), c.supersedes)]
        if links:
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO log_links (base, base_seq, col, child, child_seq)"
                " VALUES (?, ?, ?, ?, ?)", links)

    def _split_fast_inserts(self, changes: list[RemoteChange],
                            ) -> tuple[dict[str, list[RemoteChange]], list[RemoteChange]]:
        """New rows of known tables that nothing else touches are inserted in bulk."""
        candidates: dict[str, list[RemoteChange]] = {}
        for change in changes:
            if change.op == "insert" and change.tbl in SYNCED_COLUMNS:
                candidates.setdefault(change.tbl, []).append(change)
        # Rows that exist or have heads already, and rows inserted twice in this batch (two
        # installations, one id), need the slow path.
        excluded: set[tuple[str, str]] = set()
        for tbl, group in candidates.items():
            ids = [c.row_id for c in group]
            if len(set(ids)) != len(ids):
                counts = Counter(ids)
                excluded.update((tbl, row_id) for row_id, n in counts.items() if n > 1)
            excluded.update((tbl, row_id) for row_id in self._touched_rows(tbl, ids))
        fast = candidates
        if excluded:
            fast = {}
            for tbl, group in candidates.items():
                free = [c for c in group if (tbl, c.row_id) not in excluded]
                if free:
                    fast[tbl] = free
        slow = [c for c in changes if c.op != "insert" or c.tbl not in SYNCED_COLUMNS
                or (c.tbl, c.row_id) in excluded]
        return fast, slow

    def _touched_rows(self, tbl: str, ids: list[str]) -> set[str]:
        """Those of ``ids`` that are rows of ``tbl`` already or have explicit field heads."""
        found: set[str] = set()
        # Nothing there yet is the usual case of a region's first bundle of a district (its
        # first batch; the later ones find rows but, as a rule, no heads).
        rows = self.db.execute(f"SELECT 1 FROM [{tbl}] LIMIT 1").fetchone() is not None
        heads = self.db.execute("SELECT 1 FROM log_heads WHERE tbl = ? LIMIT 1",
                                [tbl]).fetchone() is not None
        if not rows and not heads:
            return found
        for part in _chunks(ids):
            marks = ",".join("?" * len(part))
            if rows:
                found.update(r[0] for r in self.db.execute(
                    f"SELECT id FROM [{tbl}] WHERE id IN ({marks})", list(part)))
            if heads:
                found.update(decode_id(r[0]) for r in self.db.execute(
                    f"SELECT DISTINCT row_id FROM log_heads WHERE tbl = ? AND row_id IN"
                    f" ({marks})", [tbl, *map(encode_id, part)]))
        return found

    def _insert_remote_rows(self, table: str, changes: list[RemoteChange],
                            unknown: set[tuple[str, str]]) -> None:
        """Insert new rows straight from their insert versions, grouped by column set.

        Columns of a newer schema stay in the log only; they are added to ``unknown``.
        """
        self.tables.add(table)
        synced = SYNCED_COLUMNS[table]
        allowed = _allowed_columns(synced)
        derived = DERIVED.get(table)
        groups: dict[tuple[str, ...], list[RemoteChange]] = {}
        for change in changes:
            groups.setdefault(tuple(change.data), []).append(change)
        for names, group in groups.items():
            cols = [name for name in names if name in synced]
            unknown.update((table, name) for name in names if name not in allowed)
            all_cols = [*cols, "id", *(["sort_key"] if derived else [])]
            sql = "INSERT INTO [{}] ({}) VALUES ({})".format(
                table, ", ".join(f"[{c}]" for c in all_cols), ", ".join("?" for _ in all_cols))
            if len(cols) == len(names):  # the usual case: same schema both sides
                if derived:
                    key = derived[1]
                    params = [(*c.data.values(), c.row_id, key(c.data)["sort_key"])
                              for c in group]
                else:
                    params = [(*c.data.values(), c.row_id) for c in group]
            else:
                params = [(*[c.data[name] for name in cols], c.row_id,
                           *([derived[1](c.data)["sort_key"]] if derived else []))
                          for c in group]
            self.db.conn.executemany(sql, params)

    def _apply_slow(self, changes: list[RemoteChange],
                    conflicts: set[tuple[str, str, str]]) -> tuple[int, int]:
        """Per-field merge of updates (and of inserts of rows already touched); the fields
        touched that need a person are added to ``conflicts`` (the others taken out)."""
        ids: dict[str, set[str]] = {}
        for c in changes:
            ids.setdefault(c.tbl, set()).add(c.row_id)
        # The rows touched, read once: for the values the log left out, and to update them.
        rows_now = {tbl: self._current_rows(tbl, sorted(found)) for tbl, found in ids.items()
                    if tbl in SYNCED_COLUMNS}
        heads = _HeadCache(self.db, self.codec, rows_now)
        heads.load({(c.tbl, c.row_id) for c in changes})
        # Inserts applied in this batch are the rows' implicit heads from now on; the
        # ones being merged here join as they are processed.
        superseded: set[tuple[str, int, str]] = set()
        by_site: dict[str, list[int]] = {}
        for c in changes:
            by_site.setdefault(c.origin_site, []).append(c.origin_seq)
        for site, seqs in by_site.items():
            num = self.codec.known_site(site)
            if num is None:
                continue
            for part in _chunks(sorted(set(seqs))):
                marks = ",".join("?" * len(part))
                superseded.update((site, seq, col) for seq, col in self.db.execute(
                    f"SELECT base_seq, col FROM log_links WHERE base = ? AND base_seq"
                    f" IN ({marks})", [num, *part]))
        touched: dict[tuple[str, str], set[str]] = {}
        inserted_here: set[tuple[str, str]] = set()
        for c in changes:
            key = (c.tbl, c.row_id)
            for col, value in c.data.items():
                new = Head(c.origin_site, c.origin_seq, c.hlc, c.prio, value)
                current = heads.get(c.tbl, c.row_id, col)
                bases = {(site, seq) for site, seq in c.supersedes.get(col, [])}
                merged = merge_heads(list(current), new, bases,
                                     (c.origin_site, c.origin_seq, col) in superseded)
                heads.put(c.tbl, c.row_id, col, merged)
                touched.setdefault(key, set()).add(col)
            if c.op == "insert":
                heads.add_insert(c.tbl, c.row_id, Head(c.origin_site, c.origin_seq, c.hlc,
                                                       c.prio, None), c.data)
                inserted_here.add(key)
        heads.flush()
        by_table: dict[str, list[tuple[str, set[str]]]] = {}
        for (tbl, row_id), cols in touched.items():
            for col in cols:
                if needs_person(tbl, col, heads.get(tbl, row_id, col)):
                    conflicts.add((tbl, row_id, col))
                else:
                    conflicts.discard((tbl, row_id, col))
            if tbl in SYNCED_COLUMNS:
                by_table.setdefault(tbl, []).append((row_id, cols))
        inserted = updated = 0
        for tbl, rows in by_table.items():
            known = SYNCED_COLUMNS[tbl]
            existing = rows_now[tbl]
            wanted: dict[str, dict[str, Any]] = {}
            new_rows = []
            for row_id, cols in rows:
                if row_id in existing:
                    values = {c: winner(h, tbl, c).value for c in cols if c in known
                              and (h := heads.get(tbl, row_id, c))}
                    if values:
                        wanted[row_id] = values
                elif (tbl, row_id) in inserted_here:
                    row = {c: winner(h, tbl, c).value for c in heads.columns(tbl, row_id)
                           if c in known and (h := heads.get(tbl, row_id, c))}
                    row["id"] = row_id
                    new_rows.append(row)
            self._set_many(tbl, wanted, existing, heads.logged.get(tbl))
            updated += len(wanted)
            if new_rows:
                _insert_table_rows(self.db, tbl, new_rows)
                inserted += len(new_rows)
        return inserted, updated

    def _current_rows(self, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The rows of ``table`` among ``ids``, by id, with every column."""
        out: dict[str, dict[str, Any]] = {}
        for part in _chunks(ids):
            cursor = self.db.execute(
                f"SELECT * FROM [{table}] WHERE id IN ({','.join('?' * len(part))})", list(part))
            names = [d[0] for d in cursor.description]
            for found in cursor:
                row = dict(zip(names, found))
                out[row["id"]] = row
        return out

    def _set_many(self, table: str, wanted: dict[str, dict[str, Any]],
                  current: dict[str, dict[str, Any]], logged: LoggedRows | None = None) -> None:
        """Give rows of ``table`` new field values (``wanted``: id → fields), the values
        they had kept in the versions that left them out; one statement per column set."""
        self.tables.add(table)
        changed: dict[str, dict[str, Any]] = {}
        for row_id, values in wanted.items():
            now = current[row_id]
            diff = {k: v for k, v in values.items()
                    if not (type(v) is type(now.get(k)) and v == now.get(k))}
            if diff:
                changed[row_id] = diff
        if not changed:
            return
        self.codec.keep_values_of(table, {row_id: (current[row_id], diff)
                                          for row_id, diff in changed.items()}, logged)
        derived = DERIVED.get(table)
        groups: dict[tuple[str, ...], list[list[Any]]] = {}
        for row_id, diff in changed.items():
            extra: dict[str, Any] = {}
            if derived and set(derived[0]) & set(diff):
                extra = derived[1]({**current[row_id], **diff})
            groups.setdefault((*diff, *extra), []).append(
                [*diff.values(), *extra.values(), row_id])
        for names, params in groups.items():
            params.sort(key=operator.itemgetter(-1))  # by id: the table's order
            assignments = ", ".join(f"[{k}] = ?" for k in names)
            self.db.conn.executemany(f"UPDATE [{table}] SET {assignments} WHERE id = ?", params)

    def materialize_pending(self) -> int:
        """Apply the stored versions of columns this program now knows (after an upgrade).

        Returns the number of fields written.
        """
        written = 0
        for tbl, col in self.db.execute("SELECT tbl, col FROM pending_columns").fetchall():
            if col not in SYNCED_COLUMNS.get(tbl, ()):
                continue
            shapes = self.codec.shapes_of(tbl, col=col)
            row_ids = [decode_id(r[0]) for r in self.db.execute(
                "SELECT DISTINCT row_id FROM change_log WHERE shape IN"
                f" ({','.join('?' * len(shapes))})", shapes)]
            heads = _HeadCache(self.db, self.codec)
            heads.load((tbl, r) for r in row_ids)
            for row_id in row_ids:
                found = heads.get(tbl, row_id, col)
                if found and self.db.execute(f"SELECT 1 FROM [{tbl}] WHERE id = ?",
                                             [row_id]).fetchone():
                    self._set_many(tbl, {row_id: {col: winner(found, tbl, col).value}},
                                   self._current_rows(tbl, [row_id]))
                    written += 1
            self.db.execute("DELETE FROM pending_columns WHERE tbl = ? AND col = ?", [tbl, col])
        return written


def _mark_of(change: RemoteChange, marks: dict[tuple[str, str], str],
             inherited: list[tuple[str, str, str]]) -> str | None:
    """The mark (a purge, a pupil moved away) that keeps ``change`` out, if any.

    A new row under a marked parent takes the parent's mark; it is added to ``marks`` and
    to ``inherited`` (to be stored) so that the rest of the batch sees it too.
    """
    key = (change.tbl, change.row_id)
    mark = marks.get(key)
    if mark is None and change.op == "insert":
        for col, parent_table in PARENT_COLUMNS.items():
            parent = change.data.get(col)
            if parent is not None and (parent_table, parent) in marks:
                mark = marks[key] = marks[(parent_table, parent)]
                inherited.append((*key, mark))
                break
    return mark


#: What a version's JSON text shows of a character ``clean_fields`` may remove: an escaped
#: control character (``\u001b``, ``\r``, and the line breaks and tabs single-line fields
#: lose) or a C1, bidirectional or invisible one as it is. Most versions have none.
_SUSPECT = re.compile(r'\\u00[01]|\\[bfnrt]|[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064'
                      r'\u2066-\u2069\ufeff]')


def _clean_remote(changes: list[RemoteChange]) -> None:
    """Clean the texts of versions from elsewhere as local writes are cleaned (a bundle
    from an older program, or a hostile one, may hold control characters).

    The version keeps its number; every installation but its origin keeps the cleaned text.
    Only versions whose text shows a suspect character are looked at value by value.
    """
    for change in changes:
        text = change.data_json
        if (text is not None and not _SUSPECT.search(text)
                and (text.isascii() or unicodedata.is_normalized("NFC", text))):
            continue
        cleaned = clean_fields(change.data)
        if cleaned is not change.data:
            change.data = cleaned
            change.data_json = None


def _unknown_columns(changes: list[RemoteChange]) -> set[tuple[str, str]]:
    """The (table, column) pairs of ``changes`` that this version does not know."""
    unknown: set[tuple[str, str]] = set()
    allowed: dict[str, frozenset[str]] = {}
    for c in changes:
        known = allowed.get(c.tbl)
        if known is None:
            known = allowed[c.tbl] = _allowed_columns(SYNCED_COLUMNS.get(c.tbl, ()))
        if not known.issuperset(c.data):
            unknown.update((c.tbl, col) for col in c.data if col not in known)
    return unknown


def _insert_table_rows(db: Database, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows into a user table, grouped by column set, with derived columns."""
    derived = DERIVED.get(table)
    # Rows may name different subsets of columns; group them so that each group is one
    # executemany with a fixed column list.
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    for cols, group in groups.items():
        all_cols = list(cols) + (["sort_key"] if derived else [])
        sql = "INSERT INTO [{}] ({}) VALUES ({})".format(
            table, ", ".join(f"[{c}]" for c in all_cols), ", ".join("?" for _ in all_cols))
        params = []
        for row in group:
            values = [row[c] for c in cols]
            if derived:
                values.append(derived[1](row)["sort_key"])
            params.append(values)
        db.conn.executemany(sql, params)
