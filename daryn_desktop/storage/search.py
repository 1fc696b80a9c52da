"""Finding pupils: full-text search (name, IIN, school) with filters, in Kazakh order."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from daryn_desktop.i18n.collation import search_fold

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

_TOKEN = re.compile(r"\w+", re.UNICODE)


def match_expression(text: str) -> str | None:
    """An FTS5 query: every word of ``text`` must start a word of the name, IIN or school.

    Each word is quoted (so nothing a person types is taken as FTS syntax) and used as a
    prefix. Returns None when ``text`` has no words.
    """
    words = _TOKEN.findall(search_fold(text))
    if not words:
        return None
    return " ".join('"{}"*'.format(w.replace('"', '""')) for w in words)


@dataclass
class PupilQuery:
    """What the registry shows: a search text and filters (None means "any")."""

    text: str = ""
    district_kato: str | None = None
    school_id: str | None = None
    grade: int | None = None
    category: str | None = None
    giftedness_kind: str | None = None
    road_map_status: str | None = None
    #: ``"none"`` for pupils without a road map in ``academic_year``.
    academic_year: str | None = None
    include_archived: bool = False
    #: Only pupils who are archived or have left (the registry's "Archived" filter).
    only_archived: bool = False
    #: Exactly these pupils (the people behind a figure of a report); None: no such limit.
    only_ids: tuple[str, ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition over ``pupils p`` (joined with ``schools s``) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        expression = match_expression(self.text)
        if expression:
            clauses.append("p.id IN (SELECT r.pupil_id FROM pupil_search f JOIN pupil_search_rows"
                           " r ON r.num = f.rowid WHERE pupil_search MATCH ?)")
            params.append(expression)
        if self.only_ids is not None:
            clauses.append("p.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(self.only_ids))
        if self.only_archived:
            clauses.append("p.status != 'active'")
        elif not self.include_archived:
            clauses.append("p.status = 'active'")
        if self.school_id:
            clauses.append("p.school_id = ?")
            params.append(self.school_id)
        if self.district_kato:
            clauses.append("s.district_kato = ?")
            params.append(self.district_kato)
        if self.grade is not None:
            clauses.append("p.grade = ?")
            params.append(self.grade)
        if self.category:
            clauses.append("p.id IN (SELECT pupil_id FROM pupil_categories WHERE category = ?"
                           " AND removed = 0)")
            params.append(self.category)
        if self.giftedness_kind:
            clauses.append("p.id IN (SELECT pupil_id FROM giftedness_areas WHERE kind = ?"
                           " AND removed = 0)")
            params.append(self.giftedness_kind)
        if self.road_map_status and self.academic_year:
            if self.road_map_status == "none":
                clauses.append("p.id NOT IN (SELECT pupil_id FROM road_maps WHERE"
                               " academic_year = ?)")
                params.append(self.academic_year)
            else:
                clauses.append("p.id IN (SELECT pupil_id FROM road_maps WHERE academic_year = ?"
                               " AND status = ?)")
                params += [self.academic_year, self.road_map_status]
        return (" AND ".join(clauses) or "1"), params


@dataclass(frozen=True)
class PupilRow:
    """One line of the registry."""

    id: str
    surname: str
    given_name: str
    patronymic: str | None
    iin: str
    grade: int
    class_letter: str | None
    school_name: str
    status: str

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


#: Above this many text matches, walking the name-ordered index and stopping after a page is
#: faster than fetching every match and sorting it (measured on 100,000 demo pupils).
BROAD_MATCHES = 2000

_ROW_SQL = """
SELECT p.id, p.surname, p.given_name, p.patronymic, p.iin, p.grade, p.class_letter,
       s.name, p.status
FROM pupils p JOIN schools s ON s.id = p.school_id WHERE p.id IN ({marks})
"""


def fts_matches(store: Store, expression: str) -> int:
    """How many pupils the search words match, before any filter (a cheap FTS count)."""
    return store.db.execute("SELECT count(*) FROM pupil_search WHERE pupil_search MATCH ?",
                            [expression]).fetchone()[0]


def _index_where(query: PupilQuery, expression: str | None,
                 broad: bool) -> tuple[str, list[Any]]:
    """The query's condition over ``pupil_search_rows r`` (the ordered copy of pupils).

    A unary ``+`` tells SQLite which index not to use: for a broad search it must walk
    ``r`` in name order and test each row against the matches; for a narrow one it must
    look the few matches up and sort them.
    """
    plus = "+" if broad else ""
    clauses: list[str] = []
    params: list[Any] = []
    if expression:
        clauses.append(f"{plus}r.num IN (SELECT rowid FROM pupil_search WHERE pupil_search"
                       " MATCH ?)")
        params.append(expression)
    unplus = "" if broad else "+"
    if query.only_ids is not None:
        clauses.append("r.pupil_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(query.only_ids))
    if query.only_archived:
        clauses.append(f"{unplus}r.active = 0")
    elif not query.include_archived:
        clauses.append(f"{unplus}r.active = 1")
    if query.school_id:
        clauses.append("r.school_id = ?")
        params.append(query.school_id)
    if query.district_kato:
        clauses.append("r.school_id IN (SELECT id FROM schools WHERE district_kato = ?)")
        params.append(query.district_kato)
    if query.grade is not None:
        clauses.append("r.grade = ?")
        params.append(query.grade)
    # The remaining filters live in other tables; reuse their definition over pupils.
    rest = PupilQuery(category=query.category, giftedness_kind=query.giftedness_kind,
                      road_map_status=query.road_map_status,
                      academic_year=query.academic_year, include_archived=True)
    rest_where, rest_params = rest.where()
    if rest_where != "1":
        clauses.append(rest_where.replace("p.id", "r.pupil_id"))
        params += rest_params
    return (" AND ".join(clauses) or "1"), params


def _ordered_ids(store: Store, query: PupilQuery, limit: int | None = None,
                 offset: int = 0) -> list[str]:
    expression = match_expression(query.text)
    broad = expression is None or fts_matches(store, expression) > BROAD_MATCHES
    where, params = _index_where(query, expression, broad)
    order = "r.sort_key, r.pupil_id" if broad else "+r.sort_key, r.pupil_id"
    sql = f"SELECT r.pupil_id FROM pupil_search_rows r WHERE {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return [r[0] for r in store.db.execute(sql, params)]


def ordered_numbers(store: Store, query: PupilQuery, limit: int | None = None, *,
                    descending: bool = False) -> list[int]:
    """Like :func:`pupil_ids` (optionally only the first ``limit``), but the pupils' numbers
    in ``pupil_search_rows``: small stable integers, so that a lazy registry model can hold
    the order of 100,000 pupils in 800 kB and read their rows by number."""
    expression = match_expression(query.text)
    broad = expression is None or fts_matches(store, expression) > BROAD_MATCHES
    where, params = _index_where(query, expression, broad)
    direction = " DESC" if descending else ""
    order = (f"r.sort_key{direction}, r.pupil_id{direction}" if broad
             else f"+r.sort_key{direction}, r.pupil_id{direction}")
    sql = f"SELECT r.num FROM pupil_search_rows r WHERE {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params = [*params, limit]
    return [r[0] for r in store.db.execute(sql, params)]


def search_pupils(store: Store, query: PupilQuery, *, limit: int = 100,
                  offset: int = 0) -> list[PupilRow]:
    """Pupils matching ``query`` in Kazakh alphabetical order, one page at a time."""
    ids = _ordered_ids(store, query, limit, offset)
    if not ids:
        return []
    rows = {r[0]: PupilRow(*r) for r in store.db.execute(
        _ROW_SQL.format(marks=", ".join("?" * len(ids))), ids)}
    return [rows[i] for i in ids if i in rows]


def count_pupils(store: Store, query: PupilQuery) -> int:
    """How many pupils match ``query``."""
    expression = match_expression(query.text)
    only_status = not any((query.school_id, query.district_kato, query.grade is not None,
                           query.category, query.giftedness_kind, query.road_map_status,
                           query.only_ids is not None))
    if expression and only_status:
        # Most pupils are active: count all matches (cheap in FTS) minus the few others.
        total = fts_matches(store, expression)
        if query.include_archived:
            return total
        keep = 0 if query.only_archived else 1
        others = store.db.execute(
            "SELECT count(*) FROM pupil_search_rows WHERE active = ? AND num IN"
            " (SELECT rowid FROM pupil_search WHERE pupil_search MATCH ?)",
            [1 - keep, expression]).fetchone()[0]
        return total - others
    broad = expression is None or fts_matches(store, expression) > BROAD_MATCHES
    where, params = _index_where(query, expression, broad)
    return store.db.execute(f"SELECT count(*) FROM pupil_search_rows r WHERE {where}",
                            params).fetchone()[0]


def pupil_ids(store: Store, query: PupilQuery) -> list[str]:
    """The ids of all matching pupils in display order (for lazy models and batch work)."""
    return _ordered_ids(store, query)
