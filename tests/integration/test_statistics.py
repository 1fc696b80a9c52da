"""The statistics T1–T6 against counts made independently, in Python over the plain rows."""

from __future__ import annotations

from collections import Counter
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.engine import suppressed
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.demo.generator import generate
from daryn_desktop.reports.statistics import write_xlsx
from daryn_desktop.reports.statistics_pdf import write_pdf
from daryn_desktop.storage.statistics import default_request
from daryn_desktop.storage.stats_prepared import compute_report


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from daryn_desktop.core.enums import Role
    from daryn_desktop.storage.database import create_store
    from daryn_desktop.storage.keyring import TEST_KDF

    path = tmp_path_factory.mktemp("stats") / "demo.db"
    store, _code = create_store(path, "correct horse 7", role=Role.REGION,
                                region_kato="150000000", name="Облыс", kdf=TEST_KDF)
    generate(store, 400, seed=3)
    report = compute_report(store, default_request(store, d.ALL_TABLES))
    yield store, report
    store.close()


def _rows(store, sql):
    cursor = store.db.execute(sql)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def _facts(store, on: date):
    """Per active pupil: district, rural, sex, categories valid on ``on`` — from plain rows."""
    schools = {s["id"]: s for s in _rows(store, "SELECT * FROM schools")}
    cats: dict[str, set] = {}
    for c in _rows(store, "SELECT * FROM pupil_categories WHERE removed = 0"):
        if (c["since"] is None or c["since"] <= on.isoformat()) and (
                c["until"] is None or c["until"] >= on.isoformat()):
            cats.setdefault(c["pupil_id"], set()).add(c["category"])
    out = {}
    places = gazetteer()
    for p in _rows(store, "SELECT * FROM pupils"):
        if p["status"] != "active":
            continue
        school = schools[p["school_id"]]
        out[p["id"]] = (school["district_kato"], places.is_rural(school["settlement_kato"]),
                        p["sex"], frozenset(cats.get(p["id"], ())), p["grade"])
    return out


def test_t1_every_district_cell_matches_an_independent_count(demo):
    store, report = demo
    t1 = report.table(d.T1)
    facts = _facts(store, report.as_of)  # everyone entered today is in the register
    expected = Counter()
    for district, rural, sex, cats, grade in facts.values():
        place = "rural" if rural else "urban"
        low = cats & {"social_assistance", "low_income"}
        headline = ["H1"] if rural else ["H2"] if "large_family" in cats or low else []
        for row in (f"{district}:{place}", f"{district}:all", "total", *headline):
            expected[(row, "total")] += 1
            expected[(row, sex)] += 1
            band = next(k for k, lo, hi, _t in d.GRADE_BANDS if lo <= grade <= hi)
            expected[(row, band)] += 1
            for c in cats:
                expected[(row, c)] += 1
            if not cats:
                expected[(row, "no_category")] += 1
    for row in t1.rows:
        for column in ["total", "male", "female", "no_category", "large_family",
                       "social_assistance", "band_5_9"]:
            assert row.value(column) == expected[(row.key, column)], (row.key, column)
            assert len(row.cells[column].members) == row.value(column)
    assert t1.row("total").value("total") == len(facts)


def test_t2_and_t5_match_counts_over_activities_and_road_maps(demo):
    store, report = demo
    year = report.academic_year
    maps = {m["id"]: m for m in _rows(store, "SELECT * FROM road_maps")
            if m["academic_year"] == year}
    planned, done = Counter(), Counter()
    seen_p, seen_d = set(), set()
    for a in _rows(store, "SELECT * FROM activities"):
        m = maps.get(a["road_map_id"])
        if m is None or a["removed"]:
            continue
        key = (m["pupil_id"], a["measure"])
        if a["status"] != "cancelled" and key not in seen_p:
            seen_p.add(key)
            planned[a["measure"]] += 1
        if a["status"] == "done" and key not in seen_d:
            seen_d.add(key)
            done[a["measure"]] += 1
    t2 = report.table(d.T2)
    for measure in planned:
        assert t2.row(measure).value("planned") == planned[measure]
        assert t2.row(measure).value("done") == done[measure]
    statuses = Counter(m["status"] for m in maps.values())
    total = report.table(d.T5).row("total")
    for status, count in statuses.items():
        assert total.value(status) == count
    assert total.value("with_map") == len(maps)


def test_t3_levels_and_t4_ranking(demo):
    store, report = demo
    rows = [a for a in _rows(store, "SELECT * FROM achievements")
            if a["academic_year"] == report.academic_year and not a["removed"]]
    t3 = report.table(d.T3)
    by_level = Counter(a["level"] for a in rows)
    for level, count in by_level.items():
        assert t3.row(f"level:{level}").value("results") == count
    assert t3.row("total").value("prizes") == sum(d.is_prize(a["award"]) for a in rows)
    t4 = report.table(d.T4)
    assert t4.personal and [r.labels[0].value for r in t4.rows[:3]] == ["1", "2", "3"]
    scores = [r.value("score") for r in t4.rows]
    assert scores == sorted(scores, reverse=True)


def test_suppression_hides_small_counts_and_what_follows_from_them(demo):
    _store, report = demo
    t2 = suppressed([report.table(d.T2)], 3)[0]
    original = report.table(d.T2)
    for row, before in zip(t2.rows, original.rows):
        for key in ("planned", "rural"):
            value = before.value(key)
            hidden = isinstance(value, int) and 0 < value < 3
            assert row.cells[key].hidden == hidden
            if hidden:
                assert row.cells["rural_share"].hidden or key != "rural"


def test_xlsx_and_pdf_read_back_in_kazakh(demo, tmp_path):
    _store, report = demo
    xlsx = write_xlsx(report, tmp_path / "s.xlsx", lang="kk")
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames[0].startswith("T1")
    values = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert any(isinstance(v, str) and "облысы" in v for v in values)
    pdf = write_pdf(report, tmp_path / "s.pdf", lang="kk")
    reader = PdfReader(pdf)
    text = "".join(page.extract_text() for page in reader.pages[:2])
    assert "Ақтөбе облысы" in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert all("/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()
               ["/FontDescriptor"] for f in fonts.values()
               if "/DescendantFonts" in f.get_object())


def test_same_iin_in_two_districts_is_counted_once_and_listed(make_store, tmp_path):
    from daryn_desktop.core import entities as e
    from daryn_desktop.core.enums import Award, EventKind, EventLevel
    from daryn_desktop.storage.statistics import keep_record
    from tests.integration.sync.conftest import carry, make_world

    region, (alga, mugalzhar) = make_world(make_store, 2)
    today = date.today()
    report_year = AcademicYear.containing(today).label
    iin = "120315612345"
    for store, settlement, district in ((alga, "153239100", "153200000"),
                                        (mugalzhar, "154830100", "154800000")):
        school = store.repos.schools.add(e.School(name="Мектеп", settlement_kato=settlement,
                                                  district_kato=district))
        pupil = store.repos.pupils.add(e.Pupil(surname="Әбілқайыров", given_name="Ұлықбек",
                                               iin=iin, school_id=school.id, grade=7,
                                               consent_date=today))
        # The same olympiad result entered in both districts, and one only in the first.
        store.repos.achievements.add(e.Achievement(
            pupil.id, "Облыстық олимпиада", EventKind.SUBJECT_OLYMPIAD, EventLevel.REGIONAL,
            report_year, Award.DIPLOMA_1, subject="Математика"))
        if store is alga:
            store.repos.achievements.add(e.Achievement(
                pupil.id, "«Зерде»", EventKind.SCIENCE_PROJECTS, EventLevel.REGIONAL,
                report_year, Award.DIPLOMA_1, subject="Математика"))
        carry(store, region, tmp_path)
    report = compute_report(region, default_request(region, d.ALL_TABLES))
    assert report.table(d.T1).row("total").value("total") == 1
    regional = report.table(d.T3).row("level:regional")
    assert regional.value("results") == 2 and regional.value("pupils") == 1
    duplicates = report.table(d.DUPLICATES)
    assert len(duplicates.rows) == 1 and duplicates.rows[0].value("count") == 2
    ids = duplicates.rows[0].cells["count"].members
    keep_record(region, ids[0], ids, reason="Дубликат")
    after = compute_report(region, default_request(region, d.ALL_TABLES))
    assert after.table(d.T1).row("total").value("total") == 1
    assert not after.table(d.DUPLICATES).rows
    # The decision travels to the district of the archived record.
    for district in (alga, mugalzhar):
        carry(region, district, tmp_path)
    archived = [s.db.execute("SELECT duplicate_of FROM pupils").fetchone()[0]
                for s in (alga, mugalzhar)]
    assert archived.count(ids[0]) == 1


def test_district_figures_travel_and_are_compared(make_store, tmp_path):
    from daryn_desktop.core import entities as e
    from tests.integration.sync.conftest import carry, make_world

    region, (alga,) = make_world(make_store, 1)
    school = alga.repos.schools.add(e.School(name="Мектеп", settlement_kato="153239100",
                                             district_kato="153200000"))
    alga.repos.pupils.add(e.Pupil(surname="Бекова", given_name="Аружан", iin="120315612345",
                                  school_id=school.id, grade=5, consent_date=date.today()))
    carry(alga, region, tmp_path)
    t6 = compute_report(region, default_request(region, (d.T6,))).table(d.T6)
    assert t6.row("153200000").value("figures").id == "in agreement"
    pupil = region.db.execute("SELECT id FROM pupils").fetchone()[0]
    region.repos.pupils.archive(pupil, "left")
    t6 = compute_report(region, default_request(region, (d.T6,))).table(d.T6)
    differences = t6.row("153200000").value("figures")
    assert isinstance(differences, tuple) and differences


def test_year_before_uses_the_register_of_that_day(demo):
    store, report = demo
    on = d.year_earlier(report.as_of)
    previous = AcademicYear.parse(report.academic_year).previous()
    first = previous.first_day.isoformat()
    known = {p["id"] for p in _rows(store, "SELECT * FROM pupils")
             if p["consent_date"] and p["consent_date"] <= on.isoformat()}
    known |= {m["pupil_id"] for m in _rows(store, "SELECT * FROM road_maps")
              if AcademicYear.parse(m["academic_year"]).first_day.isoformat() <= max(
                  first, on.isoformat()) and m["academic_year"] <= previous.label}
    assert report.table(d.T1).row("total").value("prev_total") == len(known)


def test_t2_coverage_of_the_rural_group_and_t5_reviews_and_overdue(demo):
    from daryn_desktop.core.academic import YearCalendar

    store, report = demo
    year = AcademicYear.parse(report.academic_year)
    on = report.as_of.isoformat()
    facts = _facts(store, report.as_of)
    maps = {m["id"]: m for m in _rows(store, "SELECT * FROM road_maps")
            if m["academic_year"] == year.label}
    covered: dict[str, set] = {}
    quarter_end = {q.number: q.end.isoformat() for q in YearCalendar.default(year).quarters}
    late_pupils, late = set(), 0
    for a in _rows(store, "SELECT * FROM activities"):
        m = maps.get(a["road_map_id"])
        if m is None or a["removed"]:
            continue
        if a["status"] != "cancelled" and facts[m["pupil_id"]][1]:  # rural
            covered.setdefault(a["measure"], set()).add(m["pupil_id"])
        due = a["due_date"] or (quarter_end.get(a["due_quarter"]) if a["due_quarter"] else None)
        if (a["status"] in ("planned", "in_progress") and due and due < on
                and m["status"] in ("draft", "active", "signed")):
            late_pupils.add(m["pupil_id"])
            late += 1
    rural = sum(1 for f in facts.values() if f[1])
    t2 = report.table(d.T2)
    for measure, pupils in covered.items():
        assert t2.row(measure).value("rural") == len(pupils)
        assert t2.row(measure).value("rural_share") == pytest.approx(len(pupils) / rural)
    started = [q.number for q in YearCalendar.default(year).quarters
               if q.start.isoformat() <= on]
    reviewed = {m["pupil_id"] for v in _rows(store, "SELECT * FROM reviews")
                if (m := maps.get(v["road_map_id"])) and started and v["quarter"] == max(started)}
    total = report.table(d.T5).row("total")
    assert total.value("review") == len(reviewed)
    assert total.value("overdue") == len(late_pupils)
    assert total.value("overdue_activities") == late


def test_t6_completeness_by_district(demo):
    store, report = demo
    schools = {s["id"]: s["district_kato"] for s in _rows(store, "SELECT * FROM schools")}
    expected: Counter = Counter()
    for p in _rows(store, "SELECT * FROM pupils"):
        if p["status"] != "active":
            continue
        district = schools[p["school_id"]]
        expected[(district, "pupils")] += 1
        expected[(district, "no_consent")] += not p["consent_given"]
    undated = {c["pupil_id"] for c in _rows(store, "SELECT * FROM pupil_categories")
               if c["since"] is None and not c["removed"]}
    for p in _rows(store, "SELECT * FROM pupils"):
        if p["id"] in undated:
            expected[(schools[p["school_id"]], "undated_category")] += 1
    t6 = report.table(d.T6)
    for row in t6.rows:
        if row.kind == "total":
            continue
        for column in ("pupils", "no_consent", "undated_category"):
            assert row.value(column) == expected[(row.key, column)], (row.key, column)
    assert t6.row("total").value("pupils") == sum(
        v for (_d, k), v in expected.items() if k == "pupils")


def test_a_pupil_archived_today_counts_last_year_but_not_this_year(store):
    from daryn_desktop.core import entities as e

    school = store.repos.schools.add(e.School(name="Мектеп", settlement_kato="153239100",
                                              district_kato="153200000"))
    long_ago = date(date.today().year - 3, 1, 15)
    kept, gone = (store.repos.pupils.add(e.Pupil(
        surname=name, given_name="Аружан", iin=iin, school_id=school.id, grade=5,
        consent_date=long_ago)) for name, iin in (("Бекова", "120315612345"),
                                                  ("Сейтова", "120315612346")))
    store.repos.pupils.archive(gone.id, "Left for another region")
    total = compute_report(store, default_request(store, (d.T1,))).table(d.T1).row("total")
    assert total.cells["total"].members == (kept.id,)
    assert set(total.cells["prev_total"].members) == {kept.id, gone.id}
