"""The road-map lists: road maps by filter, and open activities due or overdue across pupils."""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from daryn_desktop.core import roadmap as rules
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import ActivityStatus, RoadMapStatus
from daryn_desktop.storage.filters import Where
from daryn_desktop.storage.rows import to_db
from daryn_desktop.storage.search import PupilQuery

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

from daryn_desktop.storage.roadmaps.base import calendar_for


@dataclass(frozen=True)
class RoadMapFilter:
    """Which road maps a list, a count or a batch covers (None means "any")."""

    academic_year: str | None = None
    status: str | None = None
    school_id: str | None = None
    district_kato: str | None = None
    text: str = ""
    pupil_ids: tuple[str, ...] | None = None
    include_archived_pupils: bool = False

    def where(self) -> tuple[str, list[Any]]:
        """The condition over ``road_maps r``, ``pupils p`` and ``schools s``."""
        w = Where()
        if self.academic_year:
            w.add("r.academic_year = ?", self.academic_year)
        if self.status:
            w.add("r.status = ?", to_db(self.status))
        # Which pupils: the registry's own filter, so both mean the same by each condition.
        w.include(PupilQuery(text=self.text, school_id=self.school_id,
                             district_kato=self.district_kato, only_ids=self.pupil_ids,
                             include_archived=self.include_archived_pupils).where())
        return w.sql()


def _full_name(surname: str, given: str, patronymic: str | None) -> str:
    return " ".join(p for p in (surname, given, patronymic) if p)


@dataclass(frozen=True)
class RoadMapRow:
    """One line of the road-map list."""

    id: str
    pupil_id: str
    academic_year: str
    status: RoadMapStatus
    signed_date: date | None
    pupil_name: str
    grade: str
    school_name: str
    activities: int
    done: int


@dataclass(frozen=True)
class DueActivityRow:
    """An open activity with its effective due date, across all pupils."""

    activity_id: str
    road_map_id: str
    pupil_id: str
    pupil_name: str
    grade: str
    school_name: str
    academic_year: str
    title: str
    measure: str
    responsible: str | None
    status: ActivityStatus
    due: date
    by_quarter: int | None


_MAP_ROW_SQL = """
SELECT r.id, r.pupil_id, r.academic_year, r.status, r.signed_date, p.surname, p.given_name,
       p.patronymic, p.grade, p.class_letter, s.name,
       (SELECT count(*) FROM activities a INDEXED BY activities_road_map
        WHERE a.road_map_id = r.id AND a.removed = 0),
       (SELECT count(*) FROM activities a INDEXED BY activities_road_map
        WHERE a.road_map_id = r.id AND a.removed = 0 AND a.status = 'done')
FROM pupils p INDEXED BY {pupil_index}
     CROSS JOIN road_maps r INDEXED BY road_maps_pupil ON r.pupil_id = p.id
     JOIN schools s ON s.id = p.school_id
WHERE {where}
ORDER BY p.sort_key, p.id, r.academic_year
"""
# Pupils are the outer loop (CROSS JOIN), walked in name order through an index, so that a
# page of the list stops after its rows and never sorts (and counts the activities of) the
# whole year's road maps; the indexes are named because the planner, without statistics,
# may otherwise prefer a covering index that leads to a full sort.


def _pupil_index(flt: RoadMapFilter) -> str:
    return "pupils_school" if flt.school_id else "pupils_sort"

# "Due" and "overdue" are read in two steps: the matching activities in order, using only
# covering indexes (migration 0003), then the details of one page of them. On an encrypted
# database every row fetched from a table costs a page decryption, so the first step must
# not touch the tables.
_OPEN = ("a.status IN ('planned', 'in_progress') AND a.removed = 0"
         " AND r.status IN ('draft', 'active', 'signed')")
_BY_ACTIVITY = """activities a {index}
     JOIN road_maps r {lookup} ON r.id = a.road_map_id
     JOIN pupils p ON p.id = r.pupil_id
     JOIN schools s ON s.id = p.school_id"""
# Old years (all quarters over): few open activities, found from their road maps.
_BY_ROAD_MAP = """road_maps r INDEXED BY road_maps_year
     CROSS JOIN activities a ON a.road_map_id = r.id
     JOIN pupils p ON p.id = r.pupil_id
     JOIN schools s ON s.id = p.school_id"""
_DUE_DETAILS = """
SELECT a.id, r.id, p.id, p.surname, p.given_name, p.patronymic, p.grade, p.class_letter,
       s.name, r.academic_year, a.title, a.measure, a.responsible, a.status
FROM activities a JOIN road_maps r ON r.id = a.road_map_id JOIN pupils p ON p.id = r.pupil_id
     JOIN schools s ON s.id = p.school_id
WHERE a.id IN (SELECT value FROM json_each(?))
"""



class RoadMapLists:
    """The list part of the road-map service."""

    store: Store
    #: Whether the due queries' indexes exist (looked up once).
    _has_due_indexes: bool | None = None

    # Annotations below say ``builtins.list``: in this class ``list`` is the method.
    def list(self, flt: RoadMapFilter, *, limit: int = 200, offset: int = 0) -> list[RoadMapRow]:
        where, params = flt.where()
        sql = _MAP_ROW_SQL.format(where=where, pupil_index=_pupil_index(flt)) + " LIMIT ? OFFSET ?"
        return [RoadMapRow(id=row[0], pupil_id=row[1], academic_year=row[2],
                           status=RoadMapStatus(row[3]),
                           signed_date=date.fromisoformat(row[4]) if row[4] else None,
                           pupil_name=_full_name(row[5], row[6], row[7]),
                           grade=f"{row[8]}{row[9] or ''}", school_name=row[10],
                           activities=row[11], done=row[12])
                for row in self.store.db.execute(sql, [*params, limit, offset]).fetchall()]

    def count(self, flt: RoadMapFilter) -> int:
        where, params = flt.where()
        sql = ("SELECT count(*) FROM pupils p"
               " CROSS JOIN road_maps r INDEXED BY road_maps_pupil ON r.pupil_id = p.id"
               f" JOIN schools s ON s.id = p.school_id WHERE {where}")
        return int(self.store.db.execute(sql, params).fetchone()[0])

    def ids(self, flt: RoadMapFilter) -> builtins.list[str]:
        """The ids of the matching road maps in print order (pupils in Kazakh order)."""
        where, params = flt.where()
        sql = (f"SELECT r.id FROM pupils p INDEXED BY {_pupil_index(flt)}"
               " CROSS JOIN road_maps r INDEXED BY road_maps_pupil ON r.pupil_id = p.id"
               f" JOIN schools s ON s.id = p.school_id WHERE {where}"
               " ORDER BY p.sort_key, p.id, r.academic_year")
        return [row[0] for row in self.store.db.execute(sql, params).fetchall()]

    def years(self) -> builtins.list[str]:
        """Academic years that have road maps, newest first."""
        db = self.store.db
        low = db.execute("SELECT min(academic_year) FROM road_maps").fetchone()[0]
        high = db.execute("SELECT max(academic_year) FROM road_maps").fetchone()[0]
        if not low:
            return []
        first, last = AcademicYear.parse(low), AcademicYear.parse(high)
        return [AcademicYear(y).label for y in range(last.start, first.start - 1, -1)]

    # -- due and overdue across all pupils ------------------------------------------------
    def _quarter_ends(self) -> dict[str, builtins.list[tuple[int, str]]]:
        """The last day of every quarter of every year that has road maps (ISO dates)."""
        out = {}
        for label in self.years():
            cal = calendar_for(AcademicYear.parse(label))
            out[label] = [(q.number, q.end.isoformat()) for q in cal.quarters]
        return out

    def _hints(self, index: str) -> dict[str, str]:
        """Index hints for the due queries; none on a database made by an unreleased draft of
        migration 0003 (without these indexes): slower there, but still right."""
        if self._has_due_indexes is None:
            names = {r[0] for r in self.store.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()}
            self._has_due_indexes = {"activities_open_due", "activities_open_quarter",
                                     "road_maps_lookup"} <= names
        if not self._has_due_indexes:
            return {"index": "", "lookup": ""}
        return {"index": f"INDEXED BY {index}", "lookup": "INDEXED BY road_maps_lookup"}

    def _due_query(self, date_cond: str, date_params: builtins.list[Any],
                   ends: dict[str, builtins.list[tuple[int, str]]], flt: RoadMapFilter,
                   old_years: bool) -> tuple[str, builtins.list[Any]]:
        """Activity id, due date, quarter and pupil sort key of the matching open activities.

        One part for activities with a due date; for activities due by a quarter, one part
        per year whose quarters are partly over (by activity, the quarter numbers known) and,
        with ``old_years``, one for the years entirely over (by road map).
        """
        where, params = flt.where()
        columns = "a.id AS id, {due} AS due, {q} AS q, p.sort_key AS sk"
        parts = [f"SELECT {columns.format(due='a.due_date', q='NULL')}"
                 f" FROM {_BY_ACTIVITY.format(**self._hints('activities_open_due'))}"
                 f" WHERE {_OPEN} AND a.due_date {date_cond} AND {where}"]
        sql_params: builtins.list[Any] = [*date_params, *params]
        whole = [y for y, qs in ends.items() if old_years and len(qs) == 4]
        for year, quarters in ends.items():
            if not quarters or year in whole:
                continue
            case = "CASE a.due_quarter " + " ".join(
                f"WHEN {int(n)} THEN '{d}'" for n, d in quarters) + " END"
            marks = ", ".join(str(int(n)) for n, _d in quarters)
            parts.append(f"SELECT {columns.format(due=case, q='a.due_quarter')}"
                         f" FROM {_BY_ACTIVITY.format(**self._hints('activities_open_quarter'))}"
                         f" WHERE {_OPEN} AND a.due_date IS NULL AND a.due_quarter IN ({marks})"
                         f" AND r.academic_year = ? AND {where}")
            sql_params += [year, *params]
        if whole:
            case = "CASE " + " ".join(
                f"WHEN r.academic_year = ? AND a.due_quarter = {int(n)} THEN '{d}'"
                for y in whole for n, d in ends[y]) + " END"
            case_params = [y for y in whole for _n, _d in ends[y]]
            marks = ", ".join("?" for _ in whole)
            parts.append(f"SELECT {columns.format(due=case, q='a.due_quarter')}"
                         f" FROM {_BY_ROAD_MAP} WHERE r.academic_year IN ({marks})"
                         f" AND {_OPEN} AND a.due_date IS NULL AND a.due_quarter IS NOT NULL"
                         f" AND {where}")
            sql_params += [*case_params, *whole, *params]
        return " UNION ALL ".join(parts), sql_params

    def _due_rows(self, sql: str, params: builtins.list[Any], limit: int,
                  offset: int) -> builtins.list[DueActivityRow]:
        db = self.store.db
        page = db.execute(f"SELECT id, due, q FROM ({sql}) ORDER BY due, sk, id LIMIT ? OFFSET ?",
                          [*params, limit, offset]).fetchall()
        details = {row[0]: row for row in db.execute(
            _DUE_DETAILS, [json.dumps([r[0] for r in page])]).fetchall()}
        rows = []
        for activity_id, due, quarter in page:
            row = details[activity_id]
            rows.append(DueActivityRow(
                activity_id=row[0], road_map_id=row[1], pupil_id=row[2],
                pupil_name=_full_name(row[3], row[4], row[5]), grade=f"{row[6]}{row[7] or ''}",
                school_name=row[8], academic_year=row[9], title=row[10], measure=row[11],
                responsible=row[12], status=ActivityStatus(row[13]),
                due=date.fromisoformat(due), by_quarter=quarter))
        return rows

    def _count(self, sql: str, params: builtins.list[Any]) -> int:
        return int(self.store.db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])

    def _month_query(self, year: int, month: int,
                     flt: RoadMapFilter) -> tuple[str, builtins.list[Any]]:
        first, last = (d.isoformat() for d in rules.month_bounds(year, month))
        ends = {y: [(n, d) for n, d in qs if first <= d <= last]
                for y, qs in self._quarter_ends().items()}
        return self._due_query("BETWEEN ? AND ?", [first, last], ends, flt, old_years=False)

    def _overdue_query(self, today: date, flt: RoadMapFilter) -> tuple[str, builtins.list[Any]]:
        ends = {y: [(n, d) for n, d in qs if d < today.isoformat()]
                for y, qs in self._quarter_ends().items()}
        return self._due_query("< ?", [today.isoformat()], ends, flt, old_years=True)

    def due_in_month(self, year: int, month: int, flt: RoadMapFilter | None = None, *,
                     limit: int = 200, offset: int = 0) -> builtins.list[DueActivityRow]:
        """Open activities due in the month (by date, or by a quarter ending in it)."""
        sql, params = self._month_query(year, month, flt or RoadMapFilter())
        return self._due_rows(sql, params, limit, offset)

    def count_due_in_month(self, year: int, month: int,
                           flt: RoadMapFilter | None = None) -> int:
        return self._count(*self._month_query(year, month, flt or RoadMapFilter()))

    def overdue(self, today: date | None = None, flt: RoadMapFilter | None = None, *,
                limit: int = 200, offset: int = 0) -> builtins.list[DueActivityRow]:
        """Open activities whose due date (or quarter) has passed, oldest first."""
        sql, params = self._overdue_query(today or date.today(), flt or RoadMapFilter())
        return self._due_rows(sql, params, limit, offset)

    def count_overdue(self, today: date | None = None, flt: RoadMapFilter | None = None) -> int:
        return self._count(*self._overdue_query(today or date.today(), flt or RoadMapFilter()))
