"""Academic years, the quarter calendar and grades."""

from __future__ import annotations

import json
from datetime import date
from itertools import pairwise

import pytest

from daryn_desktop.core import academic
from daryn_desktop.core.academic import (
    GRADES,
    AcademicYear,
    Quarter,
    YearCalendar,
    validate_grade,
)
from daryn_desktop.core.findings import Severity

Y2025 = AcademicYear(2025)


# --- AcademicYear ----------------------------------------------------------------------------


def test_label_and_str() -> None:
    assert Y2025.label == "2025-2026"
    assert str(Y2025) == "2025-2026"
    assert f"{Y2025}" == "2025-2026"


@pytest.mark.parametrize("text", ["2025-2026", "2025–2026", "2025—2026", " 2025 - 2026 "])
def test_parse(text: str) -> None:
    assert AcademicYear.parse(text) == Y2025


def test_parse_round_trips_the_label() -> None:
    for start in (1999, 2000, 2025, 2099):
        assert AcademicYear.parse(AcademicYear(start).label) == AcademicYear(start)


def test_parse_refuses_non_consecutive_years() -> None:
    # The message suggests the year that was probably meant.
    with pytest.raises(ValueError, match="2025-2026"):
        AcademicYear.parse("2025-2027")
    with pytest.raises(ValueError):
        AcademicYear.parse("2026-2025")


@pytest.mark.parametrize("text", ["", "2025", "25-26", "2025/2026", "2025-2026-2027", "abcd-efgh"])
def test_parse_refuses_other_forms(text: str) -> None:
    with pytest.raises(ValueError):
        AcademicYear.parse(text)


def test_construction_checks_the_year() -> None:
    with pytest.raises(ValueError):
        AcademicYear(99)
    with pytest.raises(TypeError):
        AcademicYear("2025")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2026, 8, 31), 2025),  # the summer belongs to the year that is ending
        (date(2026, 9, 1), 2026),
        (date(2026, 5, 25), 2025),  # the last day of lessons
        (date(2026, 6, 15), 2025),  # summer camps: still 2025-2026's road map
        (date(2025, 12, 31), 2025),
        (date(2026, 1, 1), 2025),
        (date(2025, 9, 1), 2025),
        (date(2025, 8, 31), 2024),
    ],
)
def test_containing(day: date, start: int) -> None:
    year = AcademicYear.containing(day)
    assert year == AcademicYear(start)
    assert year.first_day <= day <= year.last_day


def test_containing_with_another_start_month() -> None:
    assert AcademicYear.containing(date(2026, 1, 1), start_month=1) == AcademicYear(2026)
    assert AcademicYear.containing(date(2026, 6, 30), start_month=7) == AcademicYear(2025)
    with pytest.raises(ValueError):
        AcademicYear.containing(date(2026, 1, 1), start_month=13)


def test_first_and_last_day() -> None:
    assert Y2025.first_day == date(2025, 9, 1)
    assert Y2025.last_day == date(2026, 8, 31)
    assert Y2025.next().first_day == date(2026, 9, 1)


def test_next_previous_and_order() -> None:
    assert Y2025.next() == AcademicYear(2026)
    assert Y2025.previous() == AcademicYear(2024)
    assert Y2025.next().previous() == Y2025
    assert AcademicYear(2024) < Y2025 < AcademicYear(2026)
    assert sorted([AcademicYear(2026), AcademicYear(2024), Y2025])[0] == AcademicYear(2024)
    assert len({Y2025, AcademicYear(2025)}) == 1


# --- YearCalendar.default --------------------------------------------------------------------


def test_default_2025_2026() -> None:
    calendar = YearCalendar.default(Y2025)
    assert calendar.year == Y2025
    assert calendar.quarters == (
        Quarter(1, date(2025, 9, 1), date(2025, 10, 26)),
        Quarter(2, date(2025, 11, 3), date(2025, 12, 28)),
        Quarter(3, date(2026, 1, 8), date(2026, 3, 18)),
        Quarter(4, date(2026, 3, 30), date(2026, 5, 25)),
    )


@pytest.mark.parametrize("start", range(2000, 2051))
def test_default_calendar_is_valid_in_order_and_typical(start: int) -> None:
    calendar = YearCalendar.default(AcademicYear(start))
    assert calendar.validate() == []
    assert [q.number for q in calendar.quarters] == [1, 2, 3, 4]
    for earlier, later in pairwise(calendar.quarters):
        assert earlier.end < later.start  # a holiday between every two quarters
    assert calendar.quarters[0].start in (date(start, 9, 1), date(start, 9, 2))
    assert calendar.quarters[-1].end == date(start + 1, 5, 25)
    weeks = [((q.end - q.start).days + 1) / 7 for q in calendar.quarters]
    for actual, typical in zip(weeks, (8, 8, 10, 8), strict=True):
        assert abs(actual - typical) <= 1, weeks


@pytest.mark.parametrize(
    ("day", "number"),
    [
        (date(2025, 9, 1), 1),
        (date(2025, 10, 26), 1),
        (date(2025, 10, 27), None),  # autumn holidays
        (date(2025, 11, 3), 2),
        (date(2025, 12, 31), None),  # winter holidays
        (date(2026, 1, 7), None),
        (date(2026, 1, 8), 3),
        (date(2026, 3, 22), None),  # spring holidays, Nauryz
        (date(2026, 5, 25), 4),
        (date(2026, 5, 26), None),  # summer
        (date(2026, 8, 31), None),
    ],
)
def test_quarter_of(day: date, number: int | None) -> None:
    quarter = YearCalendar.default(Y2025).quarter_of(day)
    assert (quarter.number if quarter else None) == number


@pytest.mark.parametrize(
    ("day", "number"),
    [
        (date(2025, 8, 31), 1),
        (date(2025, 9, 15), 1),
        (date(2025, 10, 27), 2),
        (date(2026, 1, 1), 3),
        (date(2026, 3, 20), 4),
        (date(2026, 5, 25), 4),
        (date(2026, 6, 1), None),  # the next quarter is in another year's calendar
    ],
)
def test_quarter_containing_or_next(day: date, number: int | None) -> None:
    quarter = YearCalendar.default(Y2025).quarter_containing_or_next(day)
    assert (quarter.number if quarter else None) == number


# --- custom calendars ------------------------------------------------------------------------


def custom() -> YearCalendar:
    return YearCalendar(
        Y2025,
        (
            Quarter(1, date(2025, 9, 2), date(2025, 10, 24)),
            Quarter(2, date(2025, 11, 5), date(2025, 12, 27)),
            Quarter(3, date(2026, 1, 12), date(2026, 3, 17)),
            Quarter(4, date(2026, 4, 1), date(2026, 5, 29)),
        ),
    )


def test_custom_calendar_round_trips_through_json() -> None:
    calendar = custom()
    data = calendar.to_dict()
    assert data["year"] == "2025-2026"
    assert data["quarters"][0] == {"number": 1, "start": "2025-09-02", "end": "2025-10-24"}  # type: ignore[index]
    restored = YearCalendar.from_dict(json.loads(json.dumps(data)))
    assert restored == calendar
    assert restored.validate() == []


def test_default_round_trips() -> None:
    calendar = YearCalendar.default(AcademicYear(2030))
    assert YearCalendar.from_dict(calendar.to_dict()) == calendar


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"year": "2025-2026"},
        {"year": "2025-2027", "quarters": []},
        {"year": "2025-2026", "quarters": "Q1"},
        {"year": "2025-2026", "quarters": [{"number": 1, "start": "2025-09-01"}]},
        {"year": "2025-2026", "quarters": [{"number": "1", "start": "2025-09-01", "end": "x"}]},
        {"year": "2025-2026", "quarters": [{"number": 1, "start": "01.09.2025", "end": "x"}]},
        {"year": "2025-2026", "quarters": [1, 2, 3, 4]},
    ],
)
def test_from_dict_refuses_damaged_data(data: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        YearCalendar.from_dict(data)


def test_invalid_calendar_gives_findings() -> None:
    calendar = YearCalendar(
        Y2025,
        (
            Quarter(1, date(2025, 8, 25), date(2025, 10, 26)),  # starts before the year
            Quarter(2, date(2025, 10, 20), date(2025, 12, 28)),  # overlaps the first
            Quarter(4, date(2026, 3, 18), date(2026, 1, 8)),  # misnumbered and reversed
        ),
    )
    findings = calendar.validate()
    assert all(f.severity == Severity.ERROR for f in findings)
    got = {(f.field, f.message) for f in findings}
    assert got == {
        ("quarters", academic.MSG_QUARTER_COUNT),
        ("quarter_1", academic.MSG_QUARTER_OUTSIDE_YEAR),
        ("quarter_2", academic.MSG_QUARTER_OVERLAP),
        ("quarter_3", academic.MSG_QUARTER_NUMBER),
        ("quarter_3", academic.MSG_QUARTER_REVERSED),
    }
    for finding in findings:
        assert "{" not in finding.text  # every placeholder has its parameter
    outside = next(f for f in findings if f.message == academic.MSG_QUARTER_OUTSIDE_YEAR)
    assert outside.params["start"] == "25.08.2025"
    assert outside.params["year"] == "2025-2026"


def test_quarter_after_the_summer_is_outside_the_year() -> None:
    calendar = YearCalendar(
        Y2025, (*custom().quarters[:3], Quarter(4, date(2026, 4, 1), date(2026, 9, 2)))
    )
    assert [f.message for f in calendar.validate()] == [academic.MSG_QUARTER_OUTSIDE_YEAR]


def test_quarters_out_of_order_are_reported() -> None:
    q = custom().quarters
    calendar = YearCalendar(Y2025, (q[0], q[2], q[1], q[3]))
    messages = {f.message for f in calendar.validate()}
    assert messages == {academic.MSG_QUARTER_NUMBER, academic.MSG_QUARTER_OVERLAP}


# --- grades ----------------------------------------------------------------------------------


def test_grades() -> None:
    assert list(GRADES) == list(range(13))
    for grade in range(0, 13):
        assert validate_grade(grade) == []
    assert validate_grade(None) == []


@pytest.mark.parametrize("grade", [-1, 13, 100, True])
def test_invalid_grades(grade: int) -> None:
    [finding] = validate_grade(grade)
    assert finding.field == "grade"
    assert finding.severity == Severity.ERROR
    assert finding.message == academic.MSG_GRADE
    assert str(grade) in finding.text
