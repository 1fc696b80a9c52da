"""The change log as stored: compact rows, and the values the records already hold left out.

The log (``change_log``) has one row per group of field versions written together. To keep
the file small it stores:

* site ids as small numbers (``sites``), local to this database: bundles and the
  ``changes`` view still speak of the 32-character ids;
* record ids made by :func:`~daryn_desktop.core.ids.new_id` (32 lowercase hex digits) as
  their 16 bytes; any other id as its text;
* the table, the operation and the names of the fields written as one small number
  (``log_shapes``);
* the time of writing as Unix seconds when its text is the usual UTC form, else the text;
* **no second copy of a value the record already holds.** ``data`` is a JSON object of the
  fields kept in the log; a field of the shape missing from it has exactly the value the
  record's row holds now (``NULL``: every field). Before a row's field changes, the write
  path (:class:`~daryn_desktop.storage.writer.Writer`) writes the value it had back into
  every version that left it out (:meth:`LogCodec.keep_values`), so a superseded value is
  never lost; erasing a record erases its versions with it.

Readers get the versions back as they were written: :meth:`LogCodec.versions` in bulk, and
the ``changes`` view (the old table's columns, for occasional queries and tests).

A migration that changes or drops a synced column of existing rows must first call
:func:`keep_all_values` for that table, so that the versions keep what they wrote.
"""

from __future__ import annotations

import functools
import json
import operator
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

#: The tables of the log and its bookkeeping: what a database holds beyond its records.
LOG_TABLES = ("change_log", "sites", "log_shapes", "log_links", "log_heads",
              "pending_columns")

#: Rows looked up at once by id (SQLite's limit of bound parameters is far above it).
_CHUNK = 500

# Made once: json.dumps would build an encoder for every row of a bulk insert.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


#: The same text for a dict whose keys are already in sorted order (no sorting again).
_IN_ORDER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _inserted(cursor: sqlite3.Cursor) -> int:
    """The row id an INSERT gave its new row."""
    if cursor.lastrowid is None:  # only for statements other than INSERT
        raise RuntimeError("not an INSERT")
    return cursor.lastrowid


def _made_once() -> Callable[[Any], str]:
    """``_ENCODER.encode`` without building the C encoder again for every call (most of the
    cost of encoding a version's two fields): the same text, checked once here."""
    make = getattr(json.encoder, "c_make_encoder", None)
    try:
        # No marker dict: a value read from JSON or from a row has no cycles.
        encoder = make(None, _ENCODER.default, json.encoder.encode_basestring, None,
                       ":", ",", True, False, True)
    except TypeError:  # no C accelerator, or another signature
        return _ENCODER.encode
    sample = {"b": [[1, 2]], "a": "Әә\n\"", "c": None, "d": 1.5, "e": True}

    def encode(data: Any) -> str:
        return "".join(encoder(data, 0))

    return encode if encode(sample) == _ENCODER.encode(sample) else _ENCODER.encode


_ENCODE = _made_once()


def log_json(data: Any) -> str:
    """The change log's text of a value (a version's fields, the versions it supersedes):
    canonical JSON, keys sorted, no spaces, letters as they are."""
    return _ENCODE(data)


# -- ids and times ------------------------------------------------------------------------------
def encode_id(row_id: str) -> bytes | str:
    """A record id as stored in the log: 16 bytes for 32 lowercase hex digits, else the text."""
    if len(row_id) == 32:
        # Decoded in C and checked by encoding back (fromhex also takes capitals and
        # spaces): thousands of ids per import, a regular expression each cost more.
        try:
            stored = bytes.fromhex(row_id)
        except ValueError:
            return row_id
        if stored.hex() == row_id:
            return stored
    return row_id


def decode_id(stored: bytes | str) -> str:
    return stored.hex() if isinstance(stored, bytes) else stored


def sql_encode_id(expr: str) -> str:
    """SQL turning the text id ``expr`` into its stored form (as :func:`encode_id`)."""
    return (f"CASE WHEN length({expr}) = 32 AND NOT {expr} GLOB '*[^0-9a-f]*'"
            f" THEN unhex({expr}) ELSE {expr} END")


def sql_decode_id(expr: str) -> str:
    return f"CASE WHEN typeof({expr}) = 'blob' THEN lower(hex({expr})) ELSE {expr} END"


_UTC_TEXT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


@functools.lru_cache(maxsize=4096)
def encode_at(at: str) -> int | str:
    """The time of a version: Unix seconds when ``at`` is the usual UTC text, else ``at``."""
    if _UTC_TEXT.fullmatch(at):
        seconds = int(datetime.fromisoformat(at).timestamp())
        if decode_at(seconds) == at:
            return seconds
    return at


@functools.lru_cache(maxsize=4096)
def decode_at(stored: int | str) -> str:
    if isinstance(stored, int):
        return datetime.fromtimestamp(stored, timezone.utc).isoformat(timespec="seconds")
    return stored


# -- which values a row gives back exactly ------------------------------------------------------
def _affinity(declared: str) -> frozenset[type]:
    """The Python types a column of this declared type stores unchanged (SQLite §3.1)."""
    text = declared.upper()
    if "INT" in text:
        return frozenset({int, type(None)})
    if any(word in text for word in ("CHAR", "CLOB", "TEXT")):
        return frozenset({str, type(None)})
    if not text or "BLOB" in text:
        return frozenset({str, int, float, type(None)})
    if any(word in text for word in ("REAL", "FLOA", "DOUB")):
        return frozenset({float, type(None)})
    # NUMERIC turns text that looks like a number, and whole floats, into integers.
    return frozenset({int, type(None)})


@dataclass(frozen=True)
class Shape:
    """What a log row wrote: the table, the operation and the names of its fields."""

    num: int
    tbl: str
    op: str
    cols: tuple[str, ...]


def _picker(cols: Sequence[str], place: dict[str, int],
            ) -> Callable[[Sequence[Any]], tuple[Any, ...]] | None:
    """A function taking the values of ``cols`` (in order) from a row read with the columns
    numbered ``place``; None when the row lacks one of them."""
    if not cols or any(c not in place for c in cols):
        return None
    if len(cols) == 1:
        first = place[cols[0]]
        return lambda values: (values[first],)
    return operator.itemgetter(*(place[c] for c in cols))


@dataclass
class LoggedRows:
    """Every log row of some records, as read for an import: stored id → rows of
    ``(seq, shape, stored id, data)``."""

    rows: dict[bytes | str, list[tuple[int, int, bytes | str, str | None]]]


class LogCodec:
    """This database's numbering of sites and shapes, read once per unit of work.

    Not kept across transactions: a number given in a transaction that rolls back may be
    given again to another site or shape.
    """

    def __init__(self, db: Database):
        self.db = db
        self._site_nums: dict[str, int] = {site: num for num, site in db.execute(
            "SELECT num, site_id FROM sites")}
        self._sites: dict[int, str] = {num: site for site, num in self._site_nums.items()}
        self._shapes: dict[int, Shape] = {}
        self._shape_nums: dict[tuple[str, str, tuple[str, ...]], int] = {}
        for num, tbl, op, cols in db.execute("SELECT num, tbl, op, cols FROM log_shapes"):
            self._remember_shape(Shape(num, tbl, op, tuple(json.loads(cols))))
        self._types: dict[str, dict[str, frozenset[type]]] = {}

    # sites ------------------------------------------------------------------------------------
    def site_num(self, site: str) -> int:
        """The number of ``site``, given now if it has none."""
        num = self._site_nums.get(site)
        if num is None:
            num = _inserted(self.db.execute("INSERT INTO sites (site_id) VALUES (?)", [site]))
            self._site_nums[site] = num
            self._sites[num] = site
        return num

    def known_site(self, site: str) -> int | None:
        """The number of ``site``, or None when no version of it was ever held here."""
        return self._site_nums.get(site)

    def site(self, num: int | None) -> str | None:
        return None if num is None else self._sites[num]

    # shapes -----------------------------------------------------------------------------------
    def _remember_shape(self, shape: Shape) -> None:
        self._shapes[shape.num] = shape
        self._shape_nums[(shape.tbl, shape.op, shape.cols)] = shape.num

    def shape_num(self, tbl: str, op: str, cols: Iterable[str]) -> int:
        key = (tbl, op, tuple(sorted(cols)))
        num = self._shape_nums.get(key)
        if num is None:
            num = _inserted(self.db.execute(
                "INSERT INTO log_shapes (tbl, op, cols) VALUES (?, ?, ?)",
                [tbl, op, json.dumps(list(key[2]))]))
            self._remember_shape(Shape(num, *key))
        return num

    def shape(self, num: int) -> Shape:
        return self._shapes[num]

    def shapes_of(self, tbl: str, *, op: str | None = None, col: str | None = None) -> list[int]:
        """The numbers of the shapes of ``tbl`` (of one operation, naming one field)."""
        return [s.num for s in self._shapes.values() if s.tbl == tbl
                and (op is None or s.op == op) and (col is None or col in s.cols)]

    def tables(self) -> set[str]:
        return {s.tbl for s in self._shapes.values()}

    # superseded versions ----------------------------------------------------------------------
    def encode_supersedes(self, supersedes: Mapping[str, Sequence[Sequence[Any]]] | None,
                          ) -> str | None:
        if not supersedes:
            return None
        return log_json({col: [[self.site_num(site), seq] for site, seq in ids]
                         for col, ids in supersedes.items()})

    def links(self, child: tuple[str, int], supersedes: Mapping[str, Sequence[Sequence[Any]]],
              ) -> list[tuple[int, int, str, int, int]]:
        """Rows of ``log_links``: the versions ``child`` supersedes, per field."""
        child_num = self.site_num(child[0])
        return [(self.site_num(site), seq, col, child_num, child[1])
                for col, ids in supersedes.items() for site, seq in ids]

    def superseded(self, stored: str) -> dict[str, list[list[Any]]]:
        """The versions a stored ``supersedes`` names: ``{column: [[site id, seq], ...]}``."""
        return {col: [[self._sites[num], seq] for num, seq in ids]
                for col, ids in json.loads(stored).items()}

    # values left out --------------------------------------------------------------------------
    def _column_types(self, tbl: str) -> dict[str, frozenset[type]]:
        found = self._types.get(tbl)
        if found is None:
            found = {r[1]: _affinity(r[2] or "") for r in self.db.execute(
                f"PRAGMA table_info([{tbl}])")}
            self._types[tbl] = found
        return found

    def held_exactly(self, tbl: str, names: Sequence[str],
                     columns: Iterable[Sequence[Any]]) -> bool:
        """Whether rows of ``tbl`` given these values (one sequence per field of ``names``)
        hold them exactly as written, so that the log may leave them out."""
        types = self._column_types(tbl)
        for name, values in zip(names, columns):
            allowed = types.get(name)
            if allowed is None or not allowed.issuperset(map(type, values)):
                return False
        return True

    def current_values(self, tbl: str, ids: Sequence[str],
                       cols: set[str]) -> tuple[list[str], dict[str, tuple[Any, ...]]]:
        """The current values of ``cols`` (the names returned, in order) of the rows ``ids``
        of ``tbl``: id → values."""
        names = sorted(cols & set(self._column_types(tbl)))
        out: dict[str, tuple[Any, ...]] = {}
        if not names or not ids:
            return names, out
        select = ", ".join(f"[{c}]" for c in names)
        rows = self.db.execute(f"SELECT max(rowid) FROM [{tbl}]").fetchone()[0] or 0
        if len(ids) * 8 >= rows:
            # A good part of the table (an export): one pass over it beats a lookup each.
            wanted = set(ids)
            out = {row[0]: row[1:] for row in self.db.execute(f"SELECT id, {select} FROM [{tbl}]")
                   if row[0] in wanted}
            return names, out
        for start in range(0, len(ids), _CHUNK):
            part = ids[start:start + _CHUNK]
            marks = ",".join("?" * len(part))
            for row in self.db.execute(f"SELECT id, {select} FROM [{tbl}] WHERE id IN ({marks})",
                                       list(part)):
                out[row[0]] = row[1:]
        return names, out

    def fields(self, entries: Sequence[tuple[int, str, str | None]],
               known: dict[str, dict[str, dict[str, Any]]] | None = None,
               ) -> list[tuple[dict[str, Any], bool]]:
        """The fields each version wrote, from ``(shape, row id, data)`` as stored, and
        whether ``data`` held them all (then it is their log text as it is).

        ``known``: rows already read (table → id → columns), not read again.
        """
        known = known or {}
        parsed: list[dict[str, Any] | None] = []
        wanted: dict[str, set[str]] = {}
        wanted_shapes: set[int] = set()
        nothing: dict[str, Any] = {}
        for shape_num, row_id, data in entries:
            shape = self._shapes[shape_num]
            kept = json.loads(data) if data is not None else None
            parsed.append(kept)
            if (kept is None or len(kept) < len(shape.cols)) and \
                    row_id not in known.get(shape.tbl, nothing):
                found = wanted.get(shape.tbl)
                if found is None:
                    found = wanted[shape.tbl] = set()
                found.add(row_id)
                wanted_shapes.add(shape_num)
        cols_of: dict[str, set[str]] = {}
        for shape_num in wanted_shapes:
            cols_of.setdefault(self._shapes[shape_num].tbl, set()).update(
                self._shapes[shape_num].cols)
        read = {tbl: self.current_values(tbl, sorted(ids), cols_of[tbl])
                for tbl, ids in wanted.items()}
        places = {tbl: {name: i for i, name in enumerate(names)}
                  for tbl, (names, _rows) in read.items()}
        # A version that kept nothing takes every field from its row (most of a district's
        # first bundle): the row's values picked in the shape's order, per shape.
        picks: dict[int, Callable[[Sequence[Any]], tuple[Any, ...]] | None] = {}
        out: list[tuple[dict[str, Any], bool]] = []
        for (shape_num, row_id, _data), kept in zip(entries, parsed):
            shape = self._shapes[shape_num]
            if kept is not None and len(kept) >= len(shape.cols):
                out.append((kept, True))
                continue
            if kept is None and shape.tbl in read and shape.tbl not in known:
                values = read[shape.tbl][1].get(row_id)
                if values is not None:
                    if shape_num not in picks:
                        picks[shape_num] = _picker(shape.cols, places[shape.tbl])
                    pick = picks[shape_num]
                    if pick is not None:
                        out.append((dict(zip(shape.cols, pick(values))), False))
                        continue
            kept = kept or {}
            row = known.get(shape.tbl, {}).get(row_id)
            if row is not None:
                out.append(({c: kept[c] if c in kept else row.get(c) for c in shape.cols},
                            False))
                continue
            values = read[shape.tbl][1].get(row_id) if shape.tbl in read else None
            place = places.get(shape.tbl, {})
            # In the shape's (sorted) order, which is the log's order of keys.
            out.append(({c: kept[c] if c in kept else
                         (values[place[c]] if values is not None and c in place else None)
                         for c in shape.cols}, False))
        return out

    def versions(self, rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """Stored log rows ``(site, origin_seq, hlc, shape, row_id, data, author, at, prio,
        supersedes)`` as the old log's ``(origin_site, origin_seq, hlc, tbl, row_id, op,
        data JSON, author, at, prio, supersedes)``, the last as ``{column: [[site id, seq],
        ...]}`` (or None)."""
        rows = list(rows)
        ids = [decode_id(r[4]) for r in rows]
        fields = self.fields([(r[3], row_id, r[5]) for r, row_id in zip(rows, ids)])
        out = []
        for r, row_id, (data, whole) in zip(rows, ids, fields):
            shape = self._shapes[r[3]]
            # All from the row: plain values in the shape's sorted order, so encoded as they
            # are they give the log's canonical text.
            text = r[5] if whole else _IN_ORDER.encode(data) if r[5] is None else log_json(data)
            out.append((self._sites[r[0]], r[1], r[2], shape.tbl, row_id, shape.op, text,
                        r[6], decode_at(r[7]), r[8],
                        None if r[9] is None else self.superseded(r[9])))
        return out

    def keep_values(self, tbl: str, row_id: str, current: dict[str, Any],
                    cols: Iterable[str]) -> None:
        """Write the row's current values of ``cols`` into every version of it that left
        them out: called before the row's fields ``cols`` change."""
        self.keep_values_of(tbl, {row_id: (current, cols)})

    def keep_values_of(self, tbl: str,
                       rows: dict[str, tuple[dict[str, Any], Iterable[str]]],
                       logged: LoggedRows | None = None) -> None:
        """:meth:`keep_values` for many rows of ``tbl``: id → (current values, fields).

        ``logged``: every log row of some of these records, read already (not read again).
        """
        changing = {encode_id(row_id): (current, set(cols))
                    for row_id, (current, cols) in rows.items()}
        every = set().union(*(cols for _current, cols in changing.values()))
        shapes = {s for s in self.shapes_of(tbl) if every & set(self._shapes[s].cols)}
        if not shapes:
            return
        found: list[tuple[int, int, bytes | str, str | None]] = []
        keys = list(changing)
        if logged is not None:
            found = [r for key in keys for r in logged.rows.get(key, ()) if r[1] in shapes]
            keys = [key for key in keys if key not in logged.rows]
        ordered = sorted(shapes)
        for start in range(0, len(keys), _CHUNK):
            part = keys[start:start + _CHUNK]
            found += self.db.execute(
                "SELECT seq, shape, row_id, data FROM change_log WHERE row_id IN"
                f" ({','.join('?' * len(part))}) AND shape IN"
                f" ({','.join('?' * len(ordered))})", [*part, *ordered]).fetchall()
        updates = []
        shape_cols = {s: frozenset(self._shapes[s].cols) for s in shapes}
        for seq, shape_num, row_id, data in found:
            current, cols = changing[row_id]
            kept = json.loads(data) if data is not None else {}
            # The few fields changing, not every field of the shape (the text sorts them).
            in_shape = shape_cols[shape_num]
            missing = [c for c in cols if c in in_shape and c not in kept]
            if missing:
                kept.update((c, current.get(c)) for c in missing)
                updates.append((log_json(kept), seq))
        if updates:
            updates.sort(key=operator.itemgetter(1))  # by position: the table's order
            self.db.conn.executemany("UPDATE change_log SET data = ? WHERE seq = ?", updates)


def keep_all_values(db: Database, tbl: str) -> int:
    """Write every value the versions of ``tbl`` left out into them (before a migration
    changes that table's synced values). Returns the number of log rows written."""
    codec = LogCodec(db)
    shapes = codec.shapes_of(tbl)
    if not shapes:
        return 0
    marks = ",".join("?" * len(shapes))
    rows = db.execute("SELECT seq, shape, row_id, data FROM change_log WHERE shape IN"
                      f" ({marks})", shapes).fetchall()
    fields = codec.fields([(shape, decode_id(row_id), data) for _s, shape, row_id, data in rows])
    updates = [(log_json(f), seq) for (seq, _shape, _row, _data), (f, whole) in zip(rows, fields)
               if not whole]
    db.conn.executemany("UPDATE change_log SET data = ? WHERE seq = ?", updates)
    return len(updates)


# -- SQL functions for the ``changes`` view -------------------------------------------------------
def register_functions(conn: Any) -> None:
    """The functions the ``changes`` view uses, on a new connection."""

    from sqlite_utils import Database

    cached: dict[str, Any] = {}

    def codec() -> LogCodec:
        # Read again only when the database may have changed (here or elsewhere), not for
        # every row of a query over the view.
        key = (conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
        if cached.get("key") != key:
            cached.update(key=key, codec=LogCodec(Database(conn, execute_plugins=False)))
        current: LogCodec = cached["codec"]
        return current

    def fields(shape_num: int, row_id: Any, data: str | None) -> str:
        return log_json(codec().fields([(shape_num, decode_id(row_id), data)])[0][0])

    def supersedes(stored: str | None) -> str | None:
        return None if stored is None else log_json(codec().superseded(stored))

    conn.create_function("log_fields", 3, fields)
    conn.create_function("log_supersedes", 1, supersedes)
