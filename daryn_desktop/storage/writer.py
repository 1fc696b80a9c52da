"""The one write path: every change to a synced row goes through here and is logged.

Each insert or update of a synced table writes, in the same transaction, one row of the
``changes`` log: which row, which fields and their new values, the hybrid logical clock,
and this installation's ``(site, seq)``. Sync sends that log; the editor's History tab
reads it. A connection authorizer (see ``database.py``) refuses any other write to these
tables, so nothing can bypass the log by accident.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.clock import HybridClock
from daryn_desktop.core.ids import new_id
from daryn_desktop.i18n.collation import name_sort_key, sort_key
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


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


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
        self._at = datetime.now(timezone.utc).isoformat(timespec="seconds")

    # -- public API ------------------------------------------------------------------------
    def insert(self, table: str, values: dict[str, Any]) -> str:
        """Insert one row (an ``id`` is made if missing) and log it; returns the id."""
        row = self._prepare(table, values)
        self._insert_rows(table, [row])
        return row["id"]

    def insert_many(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Insert many rows with one statement each for the table and the log."""
        prepared = [self._prepare(table, values) for values in rows]
        if prepared:
            self._insert_rows(table, prepared)
        return len(prepared)

    def update(self, table: str, row_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Change some fields of a row; only fields whose value differs are written and logged.

        Returns the fields that changed (empty when nothing did).
        """
        if table in APPEND_ONLY:
            raise AppendOnly(table)
        columns = SYNCED_COLUMNS[table]
        unknown = set(values) - set(columns)
        if unknown:
            raise KeyError(f"{table} has no synced columns {sorted(unknown)}")
        current = self._current(table, row_id)
        changed = {k: to_db(v) for k, v in values.items() if to_db(v) != current.get(k)}
        if not changed:
            return {}
        derived = DERIVED.get(table)
        extra: dict[str, Any] = {}
        if derived and set(derived[0]) & set(changed):
            extra = derived[1]({**current, **changed})
        assignments = ", ".join(f"[{k}] = ?" for k in [*changed, *extra])
        self.db.execute(f"UPDATE [{table}] SET {assignments} WHERE id = ?",
                        [*changed.values(), *extra.values(), row_id])
        self._log([(table, row_id, "update", changed)])
        return changed

    # -- internals -------------------------------------------------------------------------
    def _prepare(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        columns = SYNCED_COLUMNS[table]
        unknown = set(values) - set(columns) - {"id"}
        if unknown:
            raise KeyError(f"{table} has no synced columns {sorted(unknown)}")
        row = {c: to_db(values.get(c)) for c in columns if c in values}
        row["id"] = values.get("id") or new_id()
        return row

    def _insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
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
            self.db.conn.executemany(sql, params)
        self._log([(table, row["id"], "insert", {k: v for k, v in row.items() if k != "id"})
                   for row in rows])

    def _current(self, table: str, row_id: str) -> dict[str, Any]:
        cursor = self.db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
        names = [d[0] for d in cursor.description]
        found = cursor.fetchone()
        if found is None:
            raise KeyError(f"no row {row_id} in {table}")
        return dict(zip(names, found))

    def _log(self, entries: list[tuple[str, str, str, dict[str, Any]]]) -> None:
        params = []
        for table, row_id, op, data in entries:
            params.append((self.site_id, self.next_seq, self.clock.now(), table, row_id, op,
                           _dump(data), self.author, self._at))
            self.next_seq += 1
        self.db.conn.executemany(
            "INSERT INTO changes (origin_site, origin_seq, hlc, tbl, row_id, op, data, author, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", params)
