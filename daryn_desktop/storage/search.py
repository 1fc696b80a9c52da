"""Finding pupils: full-text search (name, IIN, school) with filters, in Kazakh order."""

from __future__ import annotations

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
        if not self.include_archived:
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
            clauses.append("p.id IN (SELECT pupil_id FROM pupil_categories WHERE category = ?)")
            params.append(self.category)
        if self.giftedness_kind:
            clauses.append("p.id IN (SELECT pupil_id FROM giftedness_areas WHERE kind = ?)")
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


_ROW_SQL = """
SELECT p.id, p.surname, p.given_name, p.patronymic, p.iin, p.grade, p.class_letter,
       s.name, p.status
FROM pupils p JOIN schools s ON s.id = p.school_id
WHERE {where} ORDER BY p.sort_key, p.id LIMIT ? OFFSET ?
"""


def search_pupils(store: Store, query: PupilQuery, *, limit: int = 100,
                  offset: int = 0) -> list[PupilRow]:
    """Pupils matching ``query`` in Kazakh alphabetical order, one page at a time."""
    where, params = query.where()
    cursor = store.db.execute(_ROW_SQL.format(where=where), [*params, limit, offset])
    return [PupilRow(*r) for r in cursor.fetchall()]


def count_pupils(store: Store, query: PupilQuery) -> int:
    where, params = query.where()
    sql = f"SELECT count(*) FROM pupils p JOIN schools s ON s.id = p.school_id WHERE {where}"
    return store.db.execute(sql, params).fetchone()[0]


def pupil_ids(store: Store, query: PupilQuery) -> list[str]:
    """The ids of all matching pupils in display order (for lazy models and batch work)."""
    where, params = query.where()
    sql = (f"SELECT p.id FROM pupils p JOIN schools s ON s.id = p.school_id WHERE {where}"
           " ORDER BY p.sort_key, p.id")
    return [r[0] for r in store.db.execute(sql, params).fetchall()]
