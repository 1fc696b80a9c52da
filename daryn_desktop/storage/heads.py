"""The heads of fields as stored: explicit rows of ``log_heads``, or a row's one insert.

A field's current versions (its *heads*, see ``core/merge.py``) are explicit in ``log_heads``
(the view ``field_heads`` reads them with site ids) except in the common case of a field
whose one version is its row's insert: that insert is its implicit head (this keeps bulk
inserts as cheap as before). :class:`HeadCache` reads the heads of many rows at once and
writes back only those that changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.merge import Head
from daryn_desktop.storage.changelog import LogCodec, LoggedRows, decode_id, encode_id
from daryn_desktop.storage.records import chunks

if TYPE_CHECKING:
    from sqlite_utils import Database


# The primary key of a row of ``log_heads`` (ids as stored: bytes or text, never both for
# one table, so the order is total in practice; the text sorts after bytes otherwise).
def _head_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    tbl, stored, col, site, seq = row[:5]
    return (tbl, isinstance(stored, str), stored, col, site, seq)


class _RowFields(Mapping[str, Any]):
    """The fields of an insert the log left to its row: the row's values, read when asked
    (as ``LogCodec.fields`` gives them: a column the row lacks reads as None)."""

    __slots__ = ("cols", "row")

    def __init__(self, cols: frozenset[str], row: dict[str, Any]):
        self.cols = cols
        self.row = row

    def __getitem__(self, col: str) -> Any:
        if col not in self.cols:
            raise KeyError(col)
        return self.row.get(col)

    def __contains__(self, col: object) -> bool:
        return col in self.cols

    def __iter__(self) -> Iterator[str]:
        return iter(self.cols)

    def __len__(self) -> int:
        return len(self.cols)


class HeadCache:
    """The heads of the fields of some rows, loaded in batches and written back once."""

    def __init__(self, db: Database, codec: LogCodec,
                 current: dict[str, dict[str, dict[str, Any]]] | None = None,
                 whole_from: int | None = None):
        self.db = db
        self.codec = codec
        #: Log rows from this position on that keep data hold every field they wrote (the
        #: versions being applied): ``logged`` leaves them out, there is nothing to keep.
        self.whole_from = whole_from
        #: Rows already read (table → id → columns), for the values the log left out.
        self.current = current
        self.explicit: dict[tuple[str, str, str], list[Head]] = {}
        #: The columns with explicit heads by row, made when ``columns`` is first asked after
        #: a change (it asks for each of many rows; a scan of every head each time was
        #: quadratic), None until then.
        self._explicit_cols: dict[tuple[str, str], set[str]] | None = None
        self.inserts: dict[tuple[str, str], list[tuple[Head, Mapping[str, Any]]]] = {}
        self.loaded: set[tuple[str, str]] = set()
        self.dirty: set[tuple[str, str, str]] = set()
        #: Fields with explicit heads in the database (the others have none to delete).
        self.stored: set[tuple[str, str, str]] = set()
        #: Every log row of the rows loaded, by table.
        self.logged: dict[str, LoggedRows] = {}
        self._shape_columns: dict[int, frozenset[str]] = {}

    def load(self, rows: Iterable[tuple[str, str]]) -> None:
        by_table: dict[str, list[str]] = {}
        for tbl, row_id in rows:
            if (tbl, row_id) not in self.loaded:
                self.loaded.add((tbl, row_id))
                by_table.setdefault(tbl, []).append(row_id)
        if by_table:
            self._explicit_cols = None  # heads of more rows to come
        for tbl, ids in by_table.items():
            for part in chunks(ids):
                marks = ",".join("?" * len(part))
                stored = list(map(encode_id, part))
                for stored_id, col, site, seq, hlc, prio, value in self.db.execute(
                        "SELECT row_id, col, site, seq, hlc, prio, value"
                        f" FROM log_heads WHERE tbl = ? AND row_id IN ({marks})",
                        [tbl, *stored]):
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
                for stored_id in stored:
                    logged.rows.setdefault(stored_id, [])
                inserts = set(self.codec.shapes_of(tbl, op="insert"))
                found = []
                whole_from = self.whole_from
                sql = ("SELECT row_id, site, origin_seq, hlc, prio, shape, data, seq"
                       f" FROM change_log WHERE row_id IN ({marks})")
                params: list[Any] = stored
                if whole_from is not None:
                    # The versions being applied are not read back, but for their inserts:
                    # the rest keep every field, they have nothing to keep (decided from
                    # the index alone, the rows themselves not read).
                    ordered = sorted(inserts)
                    sql += f" AND (seq < ? OR shape IN ({','.join('?' * len(ordered))}))"
                    params = [*stored, whole_from, *ordered]
                for r in self.db.execute(sql, params):
                    if r[5] in shapes:
                        if whole_from is None or r[7] < whole_from or r[6] is None:
                            logged.rows[r[0]].append((r[7], r[5], r[0], r[6]))
                        if r[5] in inserts:
                            found.append(r)
                ids = [decode_id(r[0]) for r in found]
                # An insert whose every field its row holds (most of them) reads its values
                # from that row when asked: an edit bundle asks for two fields of each.
                row_now = (self.current or {}).get(tbl, {})
                held = [r[6] is None and row_id in row_now for r, row_id in zip(found, ids)]
                fields = iter(self.codec.fields(
                    [(r[5], row_id, r[6]) for r, row_id, whole in zip(found, ids, held)
                     if not whole], self.current))
                for r, row_id, whole in zip(found, ids, held):
                    values: Mapping[str, Any] = (
                        _RowFields(self._columns(r[5]), row_now[row_id]) if whole
                        else next(fields)[0])
                    self.inserts.setdefault((tbl, row_id), []).append(
                        (Head(self.codec.site(r[1]) or "", r[2], r[3], r[4], None), values))

    def _columns(self, shape: int) -> frozenset[str]:
        cols = self._shape_columns.get(shape)
        if cols is None:
            cols = self._shape_columns[shape] = frozenset(self.codec.shape(shape).cols)
        return cols

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
        self._explicit_cols = None
        self.dirty.add((tbl, row_id, col))

    def put_all(self, fields: dict[tuple[str, str, str], list[Head]]) -> None:
        """:meth:`put` for many fields: (table, row id, column) → heads."""
        self.explicit.update(fields)
        self._explicit_cols = None
        self.dirty.update(fields)

    def add_insert(self, tbl: str, row_id: str, head: Head, values: Mapping[str, Any],
                   ) -> None:
        known = self.inserts.setdefault((tbl, row_id), [])
        if all(h.id != head.id for h, _values in known):
            known.append((head, values))

    def columns(self, tbl: str, row_id: str) -> set[str]:
        if self._explicit_cols is None:
            self._explicit_cols = {}
            for t, r, c in self.explicit:
                self._explicit_cols.setdefault((t, r), set()).add(c)
        cols = set(self._explicit_cols.get((tbl, row_id), ()))
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
            inserted = self.inserts.get((tbl, row_id), ())
            if len(heads) == 1 and len(inserted) == 1:  # the usual case, without sets
                first, (insert, values) = heads[0], inserted[0]
                if col in values and first.seq == insert.seq and first.site == insert.site:
                    continue  # the row's one insert is the head again: nothing to keep
            elif len(heads) <= len(inserted):  # else more heads than the row's inserts
                implicit_ids = {(h.site, h.seq) for h, values in inserted if col in values}
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
            # In the table's order: each page written once. Ids all bytes (the usual case)
            # sort as they are; the keys are unique, so the values are never compared.
            if all(type(stored) is bytes for stored in stored_ids.values()):
                inserts.sort()
            else:
                inserts.sort(key=_head_key)
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO log_heads (tbl, row_id, col, site, seq, hlc, prio,"
                " value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", inserts)
        self.stored.update(self.dirty)
        self.dirty.clear()
