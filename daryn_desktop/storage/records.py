"""Rows of the synced tables as the write path writes them in bulk: derived columns, inserts
and updates grouped by column set (the change log is written by the callers)."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from daryn_desktop.i18n.collation import name_sort_key, sort_key

if TYPE_CHECKING:
    from sqlite_utils import Database

    from daryn_desktop.storage.changelog import LogCodec, LoggedRows

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

#: SQLite's limit of bound parameters is 32766 nowadays; stay far below for old builds.
CHUNK = 500


@functools.cache
def column_set(synced: tuple[str, ...]) -> frozenset[str]:
    """The synced columns as a set, for looking up one field at a time (cached)."""
    return frozenset(synced)


@functools.cache
def allowed_columns(synced: tuple[str, ...]) -> frozenset[str]:
    """The columns an insert may name: the synced ones and the id (cached per column list)."""
    return frozenset(synced) | {"id"}


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    """``items`` in parts small enough for one statement's parameters."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def insert_table_rows(db: Database, table: str, rows: list[dict[str, Any]]) -> None:
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


def current_rows(db: Database, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The rows of ``table`` among ``ids``, by id, with every column."""
    out: dict[str, dict[str, Any]] = {}
    for part in chunks(ids):
        cursor = db.execute(
            f"SELECT * FROM [{table}] WHERE id IN ({','.join('?' * len(part))})", list(part))
        names = [d[0] for d in cursor.description]
        for found in cursor:
            row = dict(zip(names, found))
            out[row["id"]] = row
    return out


def set_many(db: Database, codec: LogCodec, table: str, wanted: dict[str, dict[str, Any]],
             current: dict[str, dict[str, Any]], logged: LoggedRows | None = None) -> None:
    """Give rows of ``table`` new field values (``wanted``: id → fields), the values
    they had kept in the versions that left them out; one statement per column set."""
    changed: dict[str, dict[str, Any]] = {}
    for row_id, values in wanted.items():
        now = current[row_id]
        diff = {k: v for k, v in values.items()
                if not (type(v) is type(now.get(k)) and v == now.get(k))}
        if diff:
            changed[row_id] = diff
    if not changed:
        return
    codec.keep_values_of(table, {row_id: (current[row_id], diff)
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
        db.conn.executemany(f"UPDATE [{table}] SET {assignments} WHERE id = ?", params)
