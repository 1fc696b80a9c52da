"""Reading what the statistics count (T1–T6) from the store, and the writes they lead to.

Every table is counted in Python over rows read here in a handful of queries, each a
single pass over a table or a covering index: on an encrypted database every page read is
a decryption, so the queries read each table once and never row by row.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.entities import Staff
from daryn_desktop.core.enums import PupilStatus, Role, StaffRole
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.duplicates import Person, find_duplicates
from daryn_desktop.core.stats.facts import (
    AchievementRow,
    MapRow,
    PupilRow,
    Register,
    RegisterData,
    SchoolInfo,
    SyncData,
)
from daryn_desktop.core.stats.model import Territory
from daryn_desktop.core.stats.pupil_tables import headline_figures, quarter_number
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.storage.changelog import LogCodec, decode_at, decode_id, encode_id
from daryn_desktop.storage.migrations import MEASURE_BITS, OTHER_MEASURE_BIT
from daryn_desktop.storage.roadmaps import calendar_for
from daryn_desktop.storage.stats_sync import conflicts_by_district, district_figures, peer_infos

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

WEIGHTS_KEY = "stats.teacher_weights"


@dataclass(frozen=True)
class Request:
    """What to compute: a territory, an academic year, an "as of" date, which tables."""

    territory: Territory
    year: AcademicYear
    as_of: date
    tables: tuple[str, ...]


def default_request(store: Store, tables: Iterable[str] = d.AGGREGATE_TABLES, *,
                    year: AcademicYear | None = None, as_of: date | None = None,
                    territory: Territory | None = None) -> Request:
    """This installation's own territory, the academic year in progress, as of today."""
    today = date.today()
    year = year or AcademicYear.containing(today)
    return Request(territory or home_territory(store), year,
                   as_of or d.default_as_of(year, today), tuple(tables))


def home_territory(store: Store) -> Territory:
    inst = store.installation
    if inst.role is Role.REGION or not inst.district_kato:
        return Territory("region", inst.region_kato)
    return Territory("district", inst.district_kato)


def school_territory(store: Store, school_id: str) -> Territory:
    school = store.repos.schools.get(school_id)
    return Territory("school", school.id, school.name)


# -- the rows ---------------------------------------------------------------------------------
def _scope(territory: Territory) -> tuple[str, list[Any]]:
    """A condition on a pupil id column ``{col}`` keeping the territory's pupils."""
    if territory.level == "school":
        return "{col} IN (SELECT id FROM pupils WHERE school_id = ?)", [territory.code]
    if territory.level == "district":
        return ("{col} IN (SELECT p.id FROM pupils p WHERE p.school_id IN"
                " (SELECT id FROM schools WHERE district_kato = ?))", [territory.code])
    return "1", []


def _pupils(store: Store, territory: Territory, share: Share) -> list[PupilRow]:
    where, params = _scope(territory)
    # No names: the few records that may be of one child are read with theirs (see
    # :func:`_people`), the names of the pupils a list shows when it is made.
    return [PupilRow(pid, iin, share(sex), grade, share(status), share(school), consent,
                     consent_date, duplicate_of)
            for (pid, iin, sex, grade, status, school, consent, consent_date, duplicate_of)
            in store.db.execute(
        "SELECT p.id, p.iin, p.sex, p.grade, p.status, p.school_id, p.consent_given,"
        " p.consent_date, p.duplicate_of FROM pupils p"
        f" WHERE {where.format(col='p.id')}",
        params)]


Share = Callable[[Any], Any]


class _Shared(dict[Any, Any]):
    """Values seen, each the first object read with that value (see :func:`_sharer`)."""

    def __missing__(self, value: Any) -> Any:
        self[value] = value
        return value


def _sharer() -> Share:
    """One object for each distinct value (SQLite gives a new string for every cell): the
    same school, year, status or pupil id read a hundred thousand times is kept once. A
    lookup is the dictionary's own (no Python call but for a value not seen yet)."""
    return _Shared().__getitem__


def _schools(store: Store) -> dict[str, SchoolInfo]:
    places = gazetteer()
    return {r[0]: SchoolInfo(r[1], r[2], r[3], places.is_rural(r[3]), bool(r[4]))
            for r in store.db.execute(
                "SELECT id, name, district_kato, settlement_kato, archived FROM schools")}


def _categories(store: Store, where: str, params: list[Any], share: Share,
                ids: dict[str, str]) -> dict[str, list[tuple[str, str | None, str | None]]]:
    """Per pupil (``ids``: the pupils' own id objects): (family category, since, until) of its
    categories not removed."""
    out: dict[str, list[tuple[str, str | None, str | None]]] = {}
    held = out.get
    for pupil_id, category, since, until in store.db.execute(
            "SELECT pupil_id, category, since, until FROM pupil_categories"
            f" WHERE removed = 0 AND {where.format(col='pupil_id')}", params):
        item = (share(category), share(since), share(until))
        found = held(pupil_id)
        if found is None:
            out[ids.get(pupil_id, pupil_id)] = [item]
        else:
            found.append(item)
    return out


def _measure_set(mask: int) -> frozenset[str]:
    return frozenset(m for i, m in enumerate(MEASURE_BITS) if mask >> i & 1)


def _measures(store: Store) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Per road map: the measures planned (activities not cancelled) and those done.

    Read from ``road_map_measures``, where triggers keep each road map's measures as bits
    of two numbers (migration 0015): one short row per road map with anything planned.
    """
    out = {}
    # Many road maps have the same measures: one set object for each number seen.
    sets: dict[int, frozenset[str]] = {0: frozenset()}
    others = []
    for road_map_id, planned, done in store.db.execute(
            "SELECT road_map_id, planned, done FROM road_map_measures"):
        if planned & OTHER_MEASURE_BIT:
            others.append(road_map_id)
            continue
        first = sets.get(planned)
        if first is None:
            first = sets[planned] = _measure_set(planned)
        second = sets.get(done)
        if second is None:
            second = sets[done] = _measure_set(done)
        out[road_map_id] = (first, second)
    if others:  # a measure of a later version: these road maps' measures as they are stored
        texts: dict[str, tuple[set[str], set[str]]] = {}
        for road_map_id, measure, status in store.db.execute(
                "SELECT road_map_id, measure, status FROM activities WHERE removed = 0"
                " AND status != 'cancelled' AND road_map_id IN"
                " (SELECT value FROM json_each(?))", [json.dumps(others)]):
            planned_set, done_set = texts.setdefault(road_map_id, (set(), set()))
            planned_set.add(measure)
            if status == "done":
                done_set.add(measure)
        for road_map_id, (planned_set, done_set) in texts.items():
            out[road_map_id] = (frozenset(planned_set), frozenset(done_set))
    return out


def _overdue_sql(year: AcademicYear, as_of: date) -> tuple[str, list[Any]]:
    """A query of (road map of ``year``, its open activities whose due date or quarter is
    over on ``as_of``)."""
    live = ", ".join(f"'{s}'" for s in sorted(d.LIVE_ROAD_MAPS))
    ended = [q.number for q in calendar_for(year).quarters if q.end < as_of]
    parts = ["SELECT a.road_map_id FROM activities a INDEXED BY activities_open_due"
             " WHERE a.status IN ('planned', 'in_progress') AND a.removed = 0"
             " AND a.due_date < ?"]
    params: list[Any] = [as_of.isoformat()]
    if ended:
        parts.append("SELECT a.road_map_id FROM activities a INDEXED BY activities_open_quarter"
                     " WHERE a.status IN ('planned', 'in_progress') AND a.removed = 0"
                     " AND a.due_date IS NULL"
                     f" AND a.due_quarter IN ({', '.join(str(n) for n in ended)})")
    return (f"SELECT o.road_map_id, count(*) FROM ({' UNION ALL '.join(parts)}) o"
            " JOIN road_maps r ON r.id = o.road_map_id WHERE r.academic_year = ?"
            f" AND r.status IN ({live}) GROUP BY o.road_map_id", [*params, year.label])


def _overdue(store: Store, year: AcademicYear, as_of: date) -> dict[str, int]:
    """Per road map of ``year``: open activities whose due date or quarter is over."""
    sql, params = _overdue_sql(year, as_of)
    return {road_map_id: count for road_map_id, count in store.db.execute(sql, params)}


def _reviews(store: Store, year: AcademicYear, as_of: date) -> set[tuple[str, int]]:
    """(road map, quarter) of the reviews written for the quarter of ``as_of`` (T5)."""
    quarter = quarter_number(year, as_of)
    if quarter is None:
        return set()
    return {(r[0], quarter) for r in store.db.execute(
        "SELECT road_map_id FROM reviews WHERE quarter = ?", [quarter])}


#: Records looked up in the change log per statement (SQLite's limit of parameters is 999).
_LOG_CHUNK = 400


def _pupil_versions(store: Store, ids: list[str], columns: str, shapes: list[int], *,
                    grouped: bool = False) -> list[tuple[Any, ...]]:
    """``columns`` of the change log's versions of these pupils of these shapes, read
    through the log's index (row id, shape), a few hundred pupils a statement."""
    if not shapes:
        return []
    shape_marks = ", ".join("?" * len(shapes))
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), _LOG_CHUNK):
        chunk = [encode_id(i) for i in ids[start:start + _LOG_CHUNK]]
        rows += store.db.execute(
            f"SELECT {columns} FROM change_log WHERE row_id IN ({', '.join('?' * len(chunk))})"
            f" AND shape IN ({shape_marks})" + (" GROUP BY row_id" if grouped else ""),
            [*chunk, *shapes]).fetchall()
    return rows


def _entered(store: Store, ids: list[str]) -> dict[str, str]:
    """When each record was first written (the change log), for records with no dated fact."""
    if not ids:
        return {}
    codec = LogCodec(store.db)
    # The first version's position from the index alone, then the time of just those.
    firsts = {decode_id(row_id): seq for row_id, seq in _pupil_versions(
        store, ids, "row_id, min(seq)", codec.shapes_of("pupils"), grouped=True)}
    times = dict(store.db.execute(
        "SELECT seq, at FROM change_log WHERE seq IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(firsts.values()))]).fetchall())
    return {row_id: decode_at(times[seq])[:10] for row_id, seq in firsts.items()
            if seq in times}


def _left(store: Store, ids: list[str]) -> dict[str, str]:
    """The day each record (archived or left now) last stopped studying, from the log."""
    if not ids:
        return {}
    codec = LogCodec(store.db)
    versions = sorted(_pupil_versions(store, ids, "hlc, seq, shape, row_id, data, at",
                                      codec.shapes_of("pupils", col="status")))
    fields = codec.fields([(shape, decode_id(row_id), data)
                           for _h, _s, shape, row_id, data, _at in versions])
    out: dict[str, str] = {}
    state: dict[str, str] = {}
    for (_h, _s, _shape, stored_id, _data, at), (values, _whole) in zip(versions, fields):
        status, row_id = values.get("status"), decode_id(stored_id)
        if status is None:
            continue
        if status != PupilStatus.ACTIVE.value and state.get(row_id, "active") == "active":
            out[row_id] = decode_at(at)[:10]
        state[row_id] = status
    return out


def _people(store: Store, territory: Territory, *, probable: bool) -> list[Person]:
    """Records that may be of the same child: sharing an IIN, or (``probable``) a name and
    birth date, among the territory's records not archived as duplicates.

    The values shared by several records come from the indexes of IINs and of names alone;
    only the records with one of them are read, and the rules below decide among them.
    """
    db = store.db
    iins = [r[0] for r in db.execute(
        "SELECT iin FROM pupils INDEXED BY pupils_iin WHERE iin != ''"
        " GROUP BY iin HAVING count(*) > 1")]
    names = [r[0] for r in db.execute(
        "SELECT sort_key FROM pupils INDEXED BY pupils_sort GROUP BY sort_key"
        " HAVING count(*) > 1")] if probable else []
    if not iins and not names:
        return []
    where, params = _scope(territory)
    rows = db.execute(
        "SELECT p.id, p.iin, p.surname, p.given_name, p.birth_date, p.status, p.sort_key,"
        " p.duplicate_of FROM pupils p WHERE (p.iin IN (SELECT value FROM json_each(?))"
        " OR p.sort_key IN (SELECT value FROM json_each(?)))"
        f" AND {where.format(col='p.id')} ORDER BY p.rowid",
        [json.dumps(iins), json.dumps(names), *params]).fetchall()
    rows = [r for r in rows if not r[7]]  # archived as a duplicate by a person
    iin_count = Counter(r[1] for r in rows if r[1])
    name_count = Counter((r[6], r[4]) for r in rows if probable and r[4])
    return [Person(pid, iin, surname, given, birth, status == "active")
            for pid, iin, surname, given, birth, status, key, _dup in rows
            if iin_count[iin] > 1 or name_count[key, birth] > 1]


def _sync(store: Store, people: list[Person]) -> SyncData:
    return SyncData(peer_infos(store), conflicts_by_district(store), district_figures(store),
                    people)


def load(store: Store, request: Request) -> RegisterData:
    """Everything the requested tables count, for the request's territory."""
    db = store.db
    year, as_of, territory = request.year, request.as_of, request.territory
    years = [year.label, year.previous().label]
    where, params = _scope(territory)
    share = _sharer()
    pupils = _pupils(store, territory, share)
    ids = {p.id: p.id for p in pupils}  # each pupil's id kept once, however often read
    road_maps: dict[str, list[MapRow]] = {}
    held = road_maps.get
    make_map = MapRow._make
    # The year and the status come out of SQLite as new strings each time: ``share`` keeps
    # one of each; the rest of the row is taken as it is (no per-column Python step).
    for pupil_id, map_id, label, status in db.execute(
            "SELECT pupil_id, id, academic_year, status FROM road_maps INDEXED BY"
            f" road_maps_lookup WHERE {where.format(col='pupil_id')}", params):
        found = held(pupil_id)
        road_map = make_map((map_id, share(label), share(status)))
        if found is None:
            road_maps[ids.get(pupil_id, pupil_id)] = [road_map]
        else:
            found.append(road_map)
    undated = [p.id for p in pupils if not p.consent_date and p.id not in road_maps]
    tables = set(request.tables)
    achievements: list[AchievementRow] = []
    if tables & {d.T3, d.T4}:
        # A year at a time, in the index's order: the year is not read for every result. Of
        # the year before only its prizes are compared (T3), and only they are read.
        prizes = ", ".join(f"'{award}'" for award in d.PRIZE_AWARDS)
        for label in sorted(set(years)):
            only_prizes = f" AND award IN ({prizes})" if label != year.label else ""
            achievements += [
                AchievementRow(ids.get(pupil_id, pupil_id), label, share(level), share(award),
                               share(subject), share(teacher), number)
                for pupil_id, level, award, subject, teacher, number in db.execute(
                    # The index alone (migration 0012): no look-up of each result's row.
                    "SELECT pupil_id, level, award, subject, teacher_id, rowid"
                    " FROM achievements INDEXED BY achievements_stats"
                    f" WHERE academic_year = ? AND removed = 0{only_prizes}"
                    f" AND {where.format(col='pupil_id')}", [label, *params])]
    teachers: dict[str, tuple[str, str | None]] = {}
    if d.T4 in tables:
        for staff_id, surname, given, patronymic, school_id in db.execute(
                "SELECT id, surname, given_name, patronymic, school_id FROM staff"):
            teachers[staff_id] = (Staff(surname, given, StaffRole.TEACHER, patronymic=patronymic)
                                  .full_name, school_id)
    quality = bool(tables & {d.T6, d.DUPLICATES})
    people = _people(store, territory, probable=quality)
    sync = _sync(store, people) if quality else SyncData(people=people)
    return RegisterData(
        year=year, current_year=AcademicYear.containing(date.today()), as_of=as_of,
        pupils=pupils, schools=_schools(store),
        categories=_categories(store, where, params, share, ids),
        road_maps=road_maps,
        measures=_measures(store) if tables & {d.T2, d.T6} else {},
        overdue=_overdue(store, year, as_of) if d.T5 in tables else {},
        reviews=_reviews(store, year, as_of) if d.T5 in tables else set(),
        achievements=achievements, teachers=teachers,
        entered=_entered(store, undated),
        left=_left(store, [p.id for p in pupils if p.status != PupilStatus.ACTIVE.value]),
        sync=sync, event_names=lambda numbers: event_names(store, numbers))


def event_names(store: Store, numbers: Iterable[int]) -> dict[int, str]:
    """The event names of these achievements (by their numbers in the store)."""
    return dict(store.db.execute(
        "SELECT rowid, event_name FROM achievements WHERE rowid IN"
        " (SELECT value FROM json_each(?))", [json.dumps(sorted(set(numbers)))]).fetchall())


def pupil_names(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """Full names of these pupils (for the lists that name people)."""
    return {pid: " ".join(p for p in (surname, given, patronymic) if p)
            for pid, surname, given, patronymic in store.db.execute(
                "SELECT id, surname, given_name, patronymic FROM pupils WHERE id IN"
                " (SELECT value FROM json_each(?))", [json.dumps(sorted(set(ids)))])}


# -- the teacher weights (measure 15) ---------------------------------------------------------
def teacher_weights(store: Store) -> d.TeacherWeights:
    return d.TeacherWeights.from_json(store.state(WEIGHTS_KEY))


def save_teacher_weights(store: Store, weights: d.TeacherWeights) -> None:
    store.set_state(WEIGHTS_KEY, weights.to_json())


# -- the district's own figures (carried in its bundles) --------------------------------------
def own_figures(store: Store, *, today: date | None = None) -> dict[str, Any]:
    """This district's T1/T2/T5 headline figures for the year in progress, as of today."""
    today = today or date.today()
    year = AcademicYear.containing(today)
    request = Request(home_territory(store), year, d.default_as_of(year, today), (d.T2,))
    data = load(store, request)
    figures = headline_figures(Register(data, find_duplicates(data.sync.people)), year,
                               request.as_of)
    return {"year": year.label, "as_of": request.as_of.isoformat(),
            "computed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "district": store.installation.district_kato, "figures": figures}


# -- children registered twice ----------------------------------------------------------------
def record_choices(store: Store, ids: Iterable[str]) -> list[tuple[str, str, str]]:
    """(id, name, school) of these records, for a person choosing which one to keep."""
    return [tuple(r) for r in store.db.execute(
        "SELECT p.id, p.surname || ' ' || p.given_name, s.name FROM pupils p JOIN schools s"
        " ON s.id = p.school_id WHERE p.id IN (SELECT value FROM json_each(?)) ORDER BY p.id",
        [json.dumps(list(ids))])]


def keep_record(store: Store, keep_id: str, others: Iterable[str], *, reason: str,
                author: str | None = None) -> int:
    """Keep ``keep_id`` as the child's record and archive ``others`` as its duplicates,
    through the write path, so that the decision travels to the districts in bundles."""
    count = 0
    with store.transaction(author) as writer:
        for other in others:
            if other == keep_id:
                continue
            writer.update("pupils", other, {"status": PupilStatus.ARCHIVED.value,
                                             "archive_reason": reason,
                                             "duplicate_of": keep_id})
            count += 1
    return count
