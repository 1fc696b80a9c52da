"""Finding pupils: full-text search (name, IIN, school) with filters, in Kazakh order."""

from __future__ import annotations

import json
import re
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from daryn_desktop.i18n.collation import search_fold
from daryn_desktop.storage.filters import Where

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
        w = Where()
        expression = match_expression(self.text)
        if expression:
            w.add("p.id IN (SELECT m.pupil_id FROM pupil_search f JOIN pupil_search_rows m"
                  " ON m.num = f.rowid WHERE pupil_search MATCH ?)", expression)
        if self.only_ids is not None:
            w.one_of("p.id", self.only_ids)
        if self.only_archived:
            w.add("p.status != 'active'")
        elif not self.include_archived:
            w.add("p.status = 'active'")
        if self.school_id:
            w.add("p.school_id = ?", self.school_id)
        if self.district_kato:
            w.add("s.district_kato = ?", self.district_kato)
        if self.grade is not None:
            w.add("p.grade = ?", self.grade)
        if self.category:
            w.add("p.id IN (SELECT pupil_id FROM pupil_categories WHERE category = ?"
                  " AND removed = 0)", self.category)
        if self.giftedness_kind:
            w.add("p.id IN (SELECT pupil_id FROM giftedness_areas WHERE kind = ?"
                  " AND removed = 0)", self.giftedness_kind)
        if self.road_map_status and self.academic_year:
            if self.road_map_status == "none":
                w.add("p.id NOT IN (SELECT pupil_id FROM road_maps WHERE academic_year = ?)",
                      self.academic_year)
            else:
                w.add("p.id IN (SELECT pupil_id FROM road_maps WHERE academic_year = ?"
                      " AND status = ?)", self.academic_year, self.road_map_status)
        return w.sql()


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
#: faster than looking every match up and sorting it (each lookup may read and decrypt a page
#: of its own; measured on 100,000 demo pupils).
LOOKUP_MATCHES = 2000
#: Up to this many matches are handed to SQLite as a list; above it the matches are tested
#: in memory (or, with filters, by FTS inside the query).
BROAD_MATCHES = 2000

_ROW_SQL = """
SELECT p.id, p.surname, p.given_name, p.patronymic, p.iin, p.grade, p.class_letter,
       s.name, p.status
FROM pupils p JOIN schools s ON s.id = p.school_id WHERE p.id IN ({marks})
"""


@dataclass(frozen=True)
class _Match:
    """The pupils a search text matches (their numbers), read once per text and data."""

    key: tuple[Any, ...]
    nums: frozenset[int]
    #: The numbers as JSON, when few enough to look up one by one (see ``BROAD_MATCHES``).
    listed: str | None
    #: Numbers of the pupils archived or gone (few), to leave out of the active ones.
    inactive: frozenset[int]
    #: The highest number given to a pupil: about how many there are.
    rows: int


_LAST_MATCH: weakref.WeakKeyDictionary[Store, _Match] = weakref.WeakKeyDictionary()


def _text_match(store: Store, expression: str) -> _Match:
    """The FTS match of ``expression``: one FTS query serves the page, the order and the
    count of a keystroke (the registry asks for them one after another)."""
    db = store.db
    # data_version changes when another connection commits, total_changes when this one
    # writes: either may change what matches.
    key = (expression, db.execute("PRAGMA data_version").fetchone()[0], db.conn.total_changes)
    found = _LAST_MATCH.get(store)
    if found is not None and found.key == key:
        return found
    nums = [r[0] for r in db.execute("SELECT rowid FROM pupil_search WHERE pupil_search MATCH ?",
                                     [expression])]
    inactive = frozenset(r[0] for r in db.execute(
        "SELECT num FROM pupil_search_rows WHERE active = 0"))
    rows = db.execute("SELECT coalesce(max(num), 0) FROM pupil_search_rows").fetchone()[0]
    found = _Match(key, frozenset(nums), json.dumps(nums) if len(nums) <= BROAD_MATCHES
                   else None, inactive, rows)
    _LAST_MATCH[store] = found
    return found


def _index_where(query: PupilQuery, match: _Match | None) -> tuple[str, list[Any]]:
    """The query's condition over ``pupil_search_rows r`` (the ordered copy of pupils).

    A unary ``+`` tells SQLite which index not to use: for a broad search it must walk
    ``r`` in name order and test each row against the matches; for a narrow one it must
    look the few matches up and sort them.
    """
    broad = match is None or len(match.nums) > LOOKUP_MATCHES
    plus = "+" if broad else ""
    w = Where()
    if match is not None:
        if match.listed is not None:
            w.add("r.num IN (SELECT value FROM json_each(?))", match.listed)
        else:
            w.add(f"{plus}r.num IN (SELECT rowid FROM pupil_search WHERE pupil_search MATCH ?)",
                  match.key[0])
    unplus = "" if broad else "+"
    if query.only_ids is not None:
        w.one_of("r.pupil_id", query.only_ids)
    if query.only_archived:
        w.add(f"{unplus}r.active = 0")
    elif not query.include_archived:
        w.add(f"{unplus}r.active = 1")
    if query.school_id:
        w.add("r.school_id = ?", query.school_id)
    if query.district_kato:
        w.add("r.school_id IN (SELECT id FROM schools WHERE district_kato = ?)",
              query.district_kato)
    if query.grade is not None:
        w.add("r.grade = ?", query.grade)
    # The remaining filters live in other tables; reuse their definition over pupils.
    rest = PupilQuery(category=query.category, giftedness_kind=query.giftedness_kind,
                      road_map_status=query.road_map_status,
                      academic_year=query.academic_year, include_archived=True)
    rest_where, rest_params = rest.where()
    w.include((rest_where.replace("p.id", "r.pupil_id"), rest_params))
    return w.sql()


def _only_text(query: PupilQuery) -> bool:
    """Whether the query filters by nothing but its text and whether pupils are active."""
    return not any((query.school_id, query.district_kato, query.grade is not None,
                    query.category, query.giftedness_kind, query.road_map_status,
                    query.only_ids is not None))


def _walk(store: Store, match: _Match, limit: int | None, descending: bool,
          column: str) -> list[Any]:
    """Active pupils matching a broad text, in name order: the name-ordered index is walked
    and each row tested against the matches in memory, stopping after ``limit``."""
    direction = " DESC" if descending else ""
    only_num = column == "num"
    cursor = store.db.execute(
        f"SELECT num{'' if only_num else ', ' + column} FROM pupil_search_rows WHERE active = 1"
        f" ORDER BY sort_key{direction}, pupil_id{direction}")
    out: list[Any] = []
    nums = match.nums
    # Rows read at a time: about as many as should hold ``limit`` matches.
    size = 5000 if limit is None else min(50_000, max(
        500, limit * match.rows * 5 // (4 * max(len(nums), 1))))
    while limit is None or len(out) < limit:
        part = cursor.fetchmany(size)
        if not part:
            break
        if only_num:
            out += [num for (num,) in part if num in nums]
        else:
            out += [value for num, value in part if num in nums]
    cursor.close()
    return out if limit is None else out[:limit]


def _walked(store: Store, query: PupilQuery) -> _Match | None:
    """The match of a broad text-only search, whose order is found in memory (or None)."""
    expression = match_expression(query.text)
    match = _text_match(store, expression) if expression else None
    if match is not None and match.listed is None and _only_text(query) \
            and not (query.include_archived or query.only_archived):
        return match
    return None


def _order_sql(store: Store, query: PupilQuery, columns: str, limit: int | None,
               offset: int = 0, descending: bool = False) -> tuple[str, list[Any]]:
    """SQL giving ``columns`` of ``pupil_search_rows r`` for the matches in Kazakh order."""
    expression = match_expression(query.text)
    match = _text_match(store, expression) if expression else None
    where, params = _index_where(query, match)
    broad = match is None or len(match.nums) > LOOKUP_MATCHES
    direction = " DESC" if descending else ""
    order = (f"r.sort_key{direction}, r.pupil_id{direction}" if broad
             else f"+r.sort_key{direction}, r.pupil_id{direction}")
    sql = f"SELECT {columns} FROM pupil_search_rows r WHERE {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return sql, params


def _ordered(store: Store, query: PupilQuery, column: str, limit: int | None,
             offset: int = 0, descending: bool = False) -> list[Any]:
    """``column`` of ``pupil_search_rows`` for the matching pupils in Kazakh order."""
    walked = _walked(store, query)
    if walked is not None:
        return _walk(store, walked, None if limit is None else offset + limit, descending,
                     column)[offset:]
    sql, params = _order_sql(store, query, f"r.{column}", limit, offset, descending)
    return [r[0] for r in store.db.execute(sql, params)]


def _ordered_ids(store: Store, query: PupilQuery, limit: int | None = None,
                 offset: int = 0) -> list[str]:
    return _ordered(store, query, "pupil_id", limit, offset)


def ordered_numbers(store: Store, query: PupilQuery, limit: int | None = None, *,
                    descending: bool = False) -> list[int]:
    """Like :func:`pupil_ids` (optionally only the first ``limit``), but the pupils' numbers
    in ``pupil_search_rows``: small stable integers, so that a lazy registry model can hold
    the order of 100,000 pupils in 800 kB and read their rows by number."""
    return _ordered(store, query, "num", limit, descending=descending)


def search_pupils(store: Store, query: PupilQuery, *, limit: int = 100,
                  offset: int = 0) -> list[PupilRow]:
    """Pupils matching ``query`` in Kazakh alphabetical order, one page at a time."""
    if _walked(store, query) is None:
        # The page and its rows in one statement: the order first, then only its rows read.
        sql, params = _order_sql(store, query, "r.pupil_id, r.sort_key", limit, offset)
        return [PupilRow(*r) for r in store.db.execute(
            "SELECT p.id, p.surname, p.given_name, p.patronymic, p.iin, p.grade,"
            f" p.class_letter, s.name, p.status FROM ({sql}) o JOIN pupils p ON"
            " p.id = o.pupil_id JOIN schools s ON s.id = p.school_id"
            " ORDER BY o.sort_key, o.pupil_id", params)]
    ids = _ordered_ids(store, query, limit, offset)
    if not ids:
        return []
    rows = {r[0]: PupilRow(*r) for r in store.db.execute(
        _ROW_SQL.format(marks=", ".join("?" * len(ids))), ids)}
    return [rows[i] for i in ids if i in rows]


def count_pupils(store: Store, query: PupilQuery) -> int:
    """How many pupils match ``query``."""
    expression = match_expression(query.text)
    match = _text_match(store, expression) if expression else None
    if match is not None and _only_text(query):
        # Most pupils are active: every match minus the few others (or only those).
        others = len(match.nums & match.inactive)
        if query.include_archived:
            return len(match.nums)
        return others if query.only_archived else len(match.nums) - others
    if match is None and _only_text(query):
        # Everyone (the registry's first screen): the numbers kept by triggers (0016).
        wanted = ("" if query.include_archived
                  else " WHERE active = 0" if query.only_archived else " WHERE active = 1")
        return int(store.db.execute(f"SELECT coalesce(sum(n), 0) FROM pupil_counts{wanted}"
                                    ).fetchone()[0])
    where, params = _index_where(query, match)
    return int(store.db.execute(f"SELECT count(*) FROM pupil_search_rows r WHERE {where}",
                                params).fetchone()[0])


def pupil_ids(store: Store, query: PupilQuery) -> list[str]:
    """The ids of all matching pupils in display order (for lazy models and batch work)."""
    return _ordered_ids(store, query)
