"""The demo generator writes realistic, reproducible data through the write path only."""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from daryn_desktop.core.academic import AcademicYear, YearCalendar
from daryn_desktop.core.enums import (
    ActivityStatus,
    Award,
    DiagnosticMethod,
    EventKind,
    EventLevel,
    FamilyCategory,
    GiftednessKind,
    RoadMapStatus,
    Role,
    StaffRole,
    SupportMeasure,
)
from daryn_desktop.core.iin import check_digit, parse_iin
from daryn_desktop.core.progress import Cancelled, CancelToken, Progress
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.demo import generator, names
from daryn_desktop.demo.generator import DemoSummary, generate
from daryn_desktop.storage.database import Store, create_store
from daryn_desktop.storage.keyring import TEST_KDF

AKTOBE = "150000000"
ALGA_DISTRICT = "153200000"
ALMATY_ALATAU = "751210000"  # a district of Almaty city: no settlement level below it
N = 2000
SEED = 7
#: A fixed "today" in the third quarter, so that two quarters are over and reviews exist.
TODAY = date(2026, 2, 16)
YEAR = AcademicYear(2025)
PASSWORD = "password123"


def _store(path: Path, role: Role = Role.REGION, district: str | None = None) -> Store:
    store, _code = create_store(path, PASSWORD, role=role, region_kato=AKTOBE,
                                district_kato=district, name="Демо", kdf=TEST_KDF)
    return store


def _rows(store: Store, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cursor = store.db.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def _count(store: Store, sql: str, params: Any = ()) -> int:
    return store.db.execute(sql, params).fetchone()[0]


def _district(code: str) -> str:
    place = gazetteer().district_of(code)
    assert place is not None, code
    return place.code


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary]]:
    store = _store(tmp_path_factory.mktemp("demo") / "region.db")
    summary = generate(store, N, seed=SEED, today=TODAY)
    yield store, summary
    store.close()


@pytest.fixture(scope="module")
def db(region: tuple[Store, DemoSummary]) -> Store:
    return region[0]


@pytest.fixture(scope="module")
def pupils(db: Store) -> list[dict[str, Any]]:
    return _rows(db, "SELECT * FROM pupils")


#: An id as the demo writes it (new rows: 32 hex digits from the clock and chance).
_ID = re.compile(r"\b[0-9a-f]{32}\b")


def _content(store: Store) -> dict[str, Counter[tuple[Any, ...]]]:
    """Every row of every table the demo fills, in any order, with each id that names a pupil
    replaced by the pupil's IIN and every other id by "#": the ids come from the clock (and
    the order of rows from the chunks), the rest from the seed."""
    iins = dict(store.db.execute("SELECT id, iin FROM pupils").fetchall())

    def mask(value: Any) -> Any:
        if isinstance(value, str):
            return _ID.sub(lambda m: iins.get(m.group(0), "#"), value)
        return value

    return {table: Counter(tuple(mask(v) for v in row)
                           for row in store.db.execute(f"SELECT * FROM [{table}]"))
            for table in DemoSummary().counts}


# --- volume and the write path ---------------------------------------------------------------


def test_counts_match_the_tables_and_every_row_is_logged(
        region: tuple[Store, DemoSummary]) -> None:
    store, summary = region
    assert summary.pupils == N
    assert summary.seconds > 0
    for table, count in summary.counts.items():
        assert count > 0, table
        assert _count(store, f"SELECT count(*) FROM [{table}]") == count, table
    # Every row went through Writer.insert_many, which logs each one in `changes`.
    assert _count(store, "SELECT count(*) FROM changes") == summary.total_rows
    logged = dict(store.db.execute("SELECT tbl, count(*) FROM changes GROUP BY tbl").fetchall())
    assert logged == summary.counts
    assert store.integrity_problems() == []


def test_same_seed_gives_the_same_data(tmp_path: Path, db: Store,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # In smaller chunks this time: chunking and the helper thread must not change the data.
    monkeypatch.setattr(generator, "CHUNK", 300)
    again = _store(tmp_path / "again.db")
    try:
        generate(again, N, seed=SEED, today=TODAY)
        assert _content(again) == _content(db)
    finally:
        again.close()


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    first, second = _store(tmp_path / "a.db"), _store(tmp_path / "b.db")
    try:
        generate(first, 100, seed=1, today=TODAY)
        generate(second, 100, seed=2, today=TODAY)
        assert _content(first)["pupils"] != _content(second)["pupils"]
    finally:
        first.close()
        second.close()


# --- pupils ----------------------------------------------------------------------------------


def test_iins_are_valid_unique_and_match_birth_date_sex_and_grade(
        pupils: list[dict[str, Any]]) -> None:
    iins = [p["iin"] for p in pupils]
    assert len(set(iins)) == len(iins)
    for p in pupils:
        iin = p["iin"]
        assert re.fullmatch(r"[0-9]{12}", iin)
        assert check_digit(iin[:11]) == int(iin[11])
        info = parse_iin(iin)
        assert info.birth_date is not None
        assert info.birth_date.isoformat() == p["birth_date"]
        assert info.sex is not None and info.sex.value == p["sex"]
        assert iin[6] == ("6" if p["sex"] == "female" else "5")  # born in the 2000s
        born = info.birth_date
        first_september = YEAR.first_day
        age = first_september.year - born.year - (
            (first_september.month, first_september.day) < (born.month, born.day))
        assert age - (6 + p["grade"]) in (0, 1), p
        assert 1 <= p["grade"] <= 11


def test_names_are_kazakh_and_russian_spelled_right(pupils: list[dict[str, Any]]) -> None:
    letters = set("".join(p["surname"] + p["given_name"] + (p["patronymic"] or "")
                          for p in pupils).lower())
    assert set("әғқңөұүі") <= letters
    assert any("һ" in name.lower() for name in names.KAZAKH_BOYS_RARE + names.KAZAKH_GIRLS_RARE)

    def kazakh(p: dict[str, Any]) -> bool:
        return any((part or "").endswith(("ұлы", "қызы"))
                   for part in (p["surname"], p["patronymic"]))

    share = sum(map(kazakh, pupils)) / len(pupils)
    assert 0.65 <= share <= 0.85
    kazakh_in_kk = [p["language"] == "kk" for p in pupils if kazakh(p)]
    assert sum(kazakh_in_kk) / len(kazakh_in_kk) > 0.75

    for p in pupils:
        surname, patronymic = p["surname"], p["patronymic"]
        if p["sex"] == "female":
            assert not surname.endswith(("ов", "ев", "ёв", "ин", "ұлы", "ский")), surname
            assert patronymic is None or patronymic.endswith(("қызы", "вна", "чна")), patronymic
        else:
            assert not surname.endswith(("ова", "ева", "ина", "қызы", "ская")), surname
            assert patronymic is None or patronymic.endswith(("ұлы", "ич")), patronymic
    assert len({p["given_name"] for p in pupils}) >= 200
    assert len({p["surname"] for p in pupils}) >= 300


def test_consent_and_languages(pupils: list[dict[str, Any]]) -> None:
    given = [p for p in pupils if p["consent_given"]]
    assert abs(len(given) / len(pupils) - 0.95) <= 0.03
    assert all(p["consent_date"] and p["consent_date"] <= TODAY.isoformat() for p in given)
    assert all(p["consent_date"] is None for p in pupils if not p["consent_given"])
    languages = Counter(p["language"] for p in pupils)
    assert set(languages) == {"kk", "ru"}
    assert languages["kk"] > languages["ru"]


def test_family_categories_in_the_decrees_proportions(db: Store,
                                                      pupils: list[dict[str, Any]]) -> None:
    rows = _rows(db, "SELECT * FROM pupil_categories")
    by_category: dict[str, set[str]] = {}
    for row in rows:
        by_category.setdefault(row["category"], set()).add(row["pupil_id"])
        assert row["since"] and row["since"] <= TODAY.isoformat()
    share = {c: len(ids) / len(pupils) for c, ids in by_category.items()}
    assert abs(share[FamilyCategory.LARGE_FAMILY.value] - 0.30) <= 0.03
    assert abs(share[FamilyCategory.SOCIAL_ASSISTANCE.value] - 0.20) <= 0.03
    for rare in (FamilyCategory.LOW_INCOME, FamilyCategory.ORPHAN,
                 FamilyCategory.NO_PARENTAL_CARE, FamilyCategory.DISABILITY):
        assert 0 < share.get(rare.value, 0) < 0.15, rare
    assert any(row["note"] for row in rows)
    assert not (by_category[FamilyCategory.ORPHAN.value]
                & by_category[FamilyCategory.NO_PARENTAL_CARE.value])


def test_guardians_have_kazakhstani_mobile_numbers(db: Store) -> None:
    per_pupil = Counter(r["pupil_id"] for r in _rows(db, "SELECT pupil_id FROM guardians"))
    assert len(per_pupil) == N
    assert set(per_pupil.values()) == {1, 2}
    phones = [r["phone"] for r in _rows(db, "SELECT phone FROM guardians WHERE phone IS NOT NULL")]
    assert phones
    assert all(re.fullmatch(r"\+7 7\d\d \d{3} \d\d \d\d", phone) for phone in phones)


# --- places, schools and staff ---------------------------------------------------------------


def test_schools_stand_in_real_places_of_the_territory(db: Store,
                                                       pupils: list[dict[str, Any]]) -> None:
    gaz = gazetteer()
    schools = {s["id"]: s for s in _rows(db, "SELECT * FROM schools")}
    assert N / 120 <= len(schools) <= N / 60
    districts = {d.code for d in gaz.districts(AKTOBE)}
    assert {s["district_kato"] for s in schools.values()} == districts  # at least one each
    for school in schools.values():
        place = gaz.get(school["settlement_kato"])
        assert _district(place.code) == school["district_kato"]
        assert school["language"] in ("kk", "ru", "mixed")
        if school["small_ungraded"]:
            assert "шағын жинақты" in school["name"] or "Малокомплектная" in school["name"]
            assert place.is_rural
    assert any(s["small_ungraded"] for s in schools.values())
    rural_schools = [s for s in schools.values() if gaz.is_rural(s["settlement_kato"])]
    assert len(rural_schools) / len(schools) > 0.7
    kk = [s for s in rural_schools if s["language"] == "kk"]
    assert len(kk) / len(rural_schools) > 0.6

    for p in pupils:
        school = schools[p["school_id"]]
        assert _district(p["settlement_kato"]) == school["district_kato"]
    rural = sum(gaz.is_rural(p["settlement_kato"]) for p in pupils)
    assert rural / len(pupils) > 0.6


def test_every_school_has_its_staff(db: Store) -> None:
    schools = [r["id"] for r in _rows(db, "SELECT id FROM schools")]
    staff = _rows(db, "SELECT * FROM staff")
    by_school: dict[str | None, Counter[str]] = {}
    for person in staff:
        by_school.setdefault(person["school_id"], Counter())[person["role"]] += 1
        if person["role"] in (StaffRole.TEACHER.value, StaffRole.MENTOR.value):
            assert person["subject"]
    for school in schools:
        roles = by_school[school]
        assert roles[StaffRole.TEACHER.value] >= 5
        assert roles[StaffRole.PSYCHOLOGIST.value] == 1
        assert roles[StaffRole.SCHOOL_HEAD.value] == 1
        assert roles[StaffRole.MENTOR.value] >= 1
    # One coordinator per district, attached to no school.
    assert by_school[None][StaffRole.COORDINATOR.value] == len(gazetteer().districts(AKTOBE))


# --- giftedness, diagnostics, achievements ---------------------------------------------------


def test_areas_of_giftedness_in_the_pupils_language(db: Store) -> None:
    rows = _rows(db, "SELECT g.pupil_id, g.kind, g.field, p.language FROM giftedness_areas g "
                     "JOIN pupils p ON p.id = g.pupil_id")
    assert set(Counter(r["pupil_id"] for r in rows).values()) == {1, 2, 3}
    assert {r["kind"] for r in rows} == {k.value for k in GiftednessKind}
    kazakh = {f[2] for f in names.FIELDS}
    russian = {f[3] for f in names.FIELDS}
    for r in rows:
        assert r["field"] in (kazakh if r["language"] == "kk" else russian), r
    assert "Қазақ күресі" in {r["field"] for r in rows}


def test_diagnostics(db: Store) -> None:
    rows = _rows(db, "SELECT * FROM diagnostics")
    assert set(Counter(r["pupil_id"] for r in rows).values()) == {1, 2}
    methods = {m.value for m in DiagnosticMethod}
    for r in rows:
        assert r["method"] in methods
        assert r["date"] and r["date"] <= TODAY.isoformat()
        assert r["result"] and r["conducted_by"] and r["staff_id"]


def test_achievements_at_every_level_with_fitting_awards(db: Store) -> None:
    rows = _rows(db, "SELECT a.*, p.school_id AS pupil_school, s.school_id AS teacher_school "
                     "FROM achievements a JOIN pupils p ON p.id = a.pupil_id "
                     "JOIN staff s ON s.id = a.teacher_id")
    assert len(rows) == _count(db, "SELECT count(*) FROM achievements")  # all have a teacher
    per_pupil = Counter(r["pupil_id"] for r in rows)
    assert max(per_pupil.values()) <= 6
    assert len(per_pupil) < N  # some pupils have none yet
    levels = Counter(r["level"] for r in rows)
    assert set(levels) == {level.value for level in EventLevel}
    assert 0 < levels[EventLevel.INTERNATIONAL.value] < 0.1 * len(rows)
    medals = {Award.GOLD.value, Award.SILVER.value, Award.BRONZE.value}
    years = {YEAR.label, YEAR.previous().label, YEAR.previous().previous().label}
    kinds = {k.value for k in EventKind}
    awards = Counter(r["award"] for r in rows)
    assert awards[Award.PARTICIPANT.value] == max(awards.values())
    for r in rows:
        assert r["teacher_school"] == r["pupil_school"]
        assert r["event_kind"] in kinds
        assert r["academic_year"] in years
        assert r["date"] <= TODAY.isoformat()
        assert AcademicYear.containing(date.fromisoformat(r["date"])).label == r["academic_year"]
        if r["award"] in medals:
            assert r["level"] in (EventLevel.REPUBLICAN.value, EventLevel.INTERNATIONAL.value)
    names_seen = {r["event_name"] for r in rows}
    assert "Республикалық пән олимпиадасы" in names_seen
    assert any("«Зерде»" in name for name in names_seen)


# --- road maps -------------------------------------------------------------------------------


def test_road_maps_of_this_year_and_last(db: Store) -> None:
    maps = _rows(db, "SELECT * FROM road_maps")
    current = [m for m in maps if m["academic_year"] == YEAR.label]
    previous = [m for m in maps if m["academic_year"] == YEAR.previous().label]
    assert len(current) + len(previous) == len(maps)
    assert abs(len(current) / N - 0.85) <= 0.04
    assert 0 < len(previous) < len(current)
    assert len({m["pupil_id"] for m in current}) == len(current)  # one per pupil and year
    statuses = Counter(m["status"] for m in current)
    assert set(statuses) == {RoadMapStatus.DRAFT.value, RoadMapStatus.ACTIVE.value,
                             RoadMapStatus.SIGNED.value}
    for m in current:
        assert (m["signed_date"] is not None) == (m["status"] == RoadMapStatus.SIGNED.value)
        assert m["closed_date"] is None
        assert m["coordinator_id"] and m["mentor_id"] and m["psychologist_id"]
    for m in previous:
        assert m["status"] == RoadMapStatus.CLOSED.value
        assert m["signed_date"] < m["closed_date"] <= TODAY.isoformat()


def test_goals_activities_and_reviews(db: Store) -> None:
    maps = {m["id"]: m for m in _rows(db, "SELECT * FROM road_maps")}
    goals = Counter(r["road_map_id"] for r in _rows(db, "SELECT road_map_id FROM goals"))
    assert set(goals) == set(maps)
    assert set(goals.values()) <= {2, 3, 4}

    activities = _rows(db, "SELECT * FROM activities")
    per_map = Counter(a["road_map_id"] for a in activities)
    assert set(per_map) == set(maps)
    assert min(per_map.values()) >= 5 and max(per_map.values()) <= 12
    assert {a["measure"] for a in activities} == {m.value for m in SupportMeasure}
    years = {YEAR.label: YEAR, YEAR.previous().label: YEAR.previous()}
    today = TODAY.isoformat()
    for a in activities:
        year = years[maps[a["road_map_id"]]["academic_year"]]
        assert a["title"] and a["responsible"] and a["responsible_id"]
        if a["due_quarter"] is None:
            start, due = a["start_date"], a["due_date"]
            assert year.first_day.isoformat() <= start <= due <= year.last_day.isoformat()
        else:
            assert a["start_date"] is None and a["due_date"] is None
            quarter = YearCalendar.default(year).quarters[a["due_quarter"] - 1]
            start, due = quarter.start.isoformat(), quarter.end.isoformat()
        status = a["status"]
        if due < today:
            assert status != ActivityStatus.PLANNED.value, a
        if start > today:
            assert status in (ActivityStatus.PLANNED.value, ActivityStatus.CANCELLED.value), a
        if status in (ActivityStatus.DONE.value, ActivityStatus.CANCELLED.value):
            assert a["result"]
    statuses = Counter(a["status"] for a in activities)
    assert set(statuses) == {s.value for s in ActivityStatus}
    assert statuses[ActivityStatus.CANCELLED.value] < 0.1 * len(activities)

    reviews = _rows(db, "SELECT * FROM reviews")
    per_map_reviews = Counter(r["road_map_id"] for r in reviews)
    for map_id, m in maps.items():
        if m["status"] == RoadMapStatus.DRAFT.value:
            assert map_id not in per_map_reviews
        else:
            assert 1 <= per_map_reviews[map_id] <= 3
    for r in reviews:
        year = years[maps[r["road_map_id"]]["academic_year"]]
        quarter = YearCalendar.default(year).quarters[r["quarter"] - 1]
        assert quarter.end.isoformat() < r["date"] <= today
        assert r["text"] and r["author"]


# --- other territories, progress and cancel --------------------------------------------------


def test_district_installation_keeps_to_its_district(tmp_path: Path) -> None:
    store = _store(tmp_path / "district.db", Role.DISTRICT, ALGA_DISTRICT)
    try:
        reports: list[Progress] = []
        summary = generate(store, 150, progress=reports.append)  # today and year: the real ones
        assert summary.pupils == 150
        assert {r["district_kato"] for r in _rows(store, "SELECT * FROM schools")} == {
            ALGA_DISTRICT}
        assert reports[0].done == 0 and reports[-1].done == reports[-1].total == 150
        year = AcademicYear.containing(date.today()).label
        assert _count(store, "SELECT count(*) FROM road_maps WHERE academic_year = ?",
                      [year]) > 100
        # A second run adds pupils without repeating an IIN.
        generate(store, 150, seed=2)
        assert _count(store, "SELECT count(DISTINCT iin) FROM pupils") == 300
    finally:
        store.close()


def test_a_city_without_settlements_uses_its_district_code(tmp_path: Path) -> None:
    store, _code = create_store(tmp_path / "almaty.db", PASSWORD, role=Role.DISTRICT,
                                region_kato="750000000", district_kato=ALMATY_ALATAU,
                                name="Алатау", kdf=TEST_KDF)
    try:
        generate(store, 120, today=TODAY)
        schools = _rows(store, "SELECT * FROM schools")
        assert {s["settlement_kato"] for s in schools} == {ALMATY_ALATAU}
        assert not any(s["small_ungraded"] for s in schools)
    finally:
        store.close()


def test_cancel_keeps_the_chunks_already_written(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator, "CHUNK", 50)
    store = _store(tmp_path / "cancel.db")
    token = CancelToken()

    def report(progress: Progress) -> None:
        if progress.done >= 50:
            token.cancel()

    cache_size = _count(store, "PRAGMA cache_size")
    try:
        with pytest.raises(Cancelled):
            generate(store, 200, progress=report, cancel=token, today=TODAY)
        assert _count(store, "SELECT count(*) FROM pupils") == 50
        # What the run changed for speed is put back.
        assert _count(store, "PRAGMA cache_size") == cache_size
        assert gc.isenabled()
        assert _count(store, "SELECT count(*) FROM changes") == sum(
            _count(store, f"SELECT count(*) FROM [{t}]") for t in DemoSummary().counts)
    finally:
        store.close()
