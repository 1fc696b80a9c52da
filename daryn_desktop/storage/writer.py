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
person), and a deterministic winner (region priority, clock, site) is what the record shows
(the rules: ``core/merge.py``; the heads as stored: ``heads.py``). :meth:`Writer.apply_remote`
applies versions received from other installations through the same bookkeeping, without
logging them as local changes (``apply.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.clock import HybridClock
from daryn_desktop.core.ids import new_id
from daryn_desktop.core.merge import Head, VersionId
from daryn_desktop.core.text import clean_fields
from daryn_desktop.storage.apply import ApplyResult, RemoteApply, RemoteChange
from daryn_desktop.storage.changelog import LogCodec, encode_at, encode_id, log_json
from daryn_desktop.storage.heads import HeadCache
from daryn_desktop.storage.records import DERIVED, allowed_columns, insert_table_rows
from daryn_desktop.storage.rows import PLAIN_TYPES, to_db
from daryn_desktop.storage.schema import APPEND_ONLY, SYNCED_COLUMNS

if TYPE_CHECKING:
    from sqlite_utils import Database


def _now_text() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class AppendOnly(Exception):
    """A programming error: reviews and amendments are added, never changed."""



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

    def positions(self, count: int) -> range:
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
        heads = HeadCache(self.db, self.codec)
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
        allowed = allowed_columns(SYNCED_COLUMNS[table])
        if not allowed.issuperset(values):
            unknown = set(values) - allowed
            raise KeyError(f"{table} has no synced columns {sorted(unknown)}")
        row = clean_fields({c: v if type(v) in PLAIN_TYPES else to_db(v)
                            for c, v in values.items() if c != "id"})
        row["id"] = values.get("id") or new_id()
        return row

    def _insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        self.tables.add(table)
        insert_table_rows(self.db, table, rows)
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
        # Rows of a batch are mostly alike: their shape, and whether the row holds their
        # values exactly (which depends on the values' types alone), are worked out once for
        # each kind of row instead of once for each of thousands of rows.
        shapes: dict[tuple[str, str, tuple[str, ...]], int] = {}
        exact: dict[tuple[str, tuple[str, ...], tuple[type, ...]], bool] = {}
        for position, (table, row_id, op, data) in zip(self.positions(len(entries)),
                                                       entries):
            names = tuple(data)
            kind = (table, names, tuple(map(type, data.values())))
            held = exact.get(kind)
            if held is None:
                held = exact[kind] = codec.held_exactly(table, names,
                                                        ([v] for v in data.values()))
            shape = shapes.get((table, op, names))
            if shape is None:
                shape = shapes[(table, op, names)] = codec.shape_num(table, op, names)
            params.append((position, site, self.next_seq, stamp, shape, encode_id(row_id),
                           None if held else log_json(data), self.author, at, self.prio, sup))
            self.next_seq += 1
        self.db.conn.executemany(
            "INSERT INTO change_log (seq, site, origin_seq, hlc, shape, row_id, data, author,"
            " at, prio, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", params)


    # -- applying other installations' versions (apply.py) -----------------------------------
    def apply_remote(self, changes: Iterable[RemoteChange], *, received_from: str,
                     tombstones: dict[tuple[str, str], str] | None = None,
                     away: dict[tuple[str, str], str] | None = None,
                     result: ApplyResult | None = None) -> ApplyResult:
        """Merge versions written elsewhere; nothing is logged as a local change (see
        :meth:`RemoteApply.apply`)."""
        return RemoteApply(self).apply(changes, received_from=received_from,
                                       tombstones=tombstones, away=away, result=result)

    def materialize_pending(self) -> int:
        """Apply the stored versions of columns this program now knows (after an upgrade).

        Returns the number of fields written.
        """
        return RemoteApply(self).materialize_pending()
