"""Formatting and reading dates as dd.mm.yyyy (and ISO)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daryn_desktop.core.dates import FIRST_YEAR, LAST_YEAR, format_date, parse_date


def test_format_date() -> None:
    assert format_date(date(2025, 9, 1)) == "01.09.2025"
    assert format_date(date(2026, 12, 31)) == "31.12.2026"
    assert format_date(None) == ""
    assert format_date(date(999, 1, 2)) == "02.01.0999"  # padded on every platform
    assert format_date(datetime(2025, 9, 1, 13, 45)) == "01.09.2025"


@pytest.mark.parametrize(
    "text",
    ["01.09.2025", "1.9.2025", "1.09.2025", " 01.09.2025 ", "2025-09-01", "\t2025-09-01\n"],
)
def test_parse_date(text: str) -> None:
    assert parse_date(text) == date(2025, 9, 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "31.02.2025",  # impossible
        "29.02.2025",  # not a leap year
        "00.01.2025",
        "01.13.2025",
        "01.09.25",  # two-digit year: 1925 or 2025?
        "2025/09/01",
        "01/09/2025",
        "2025-9-1",
        "2025-09-01T00:00:00",
        "01.09.2025 10:00",
        "01-09-2025",
        "сегодня",
        "０１.０９.２０２５",  # full-width digits
    ],
)
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_parse_date_message_names_the_text() -> None:
    with pytest.raises(ValueError, match=r"31\.02\.2025"):
        parse_date("31.02.2025")


def test_leap_day() -> None:
    assert parse_date("29.02.2024") == date(2024, 2, 29)


@settings(database=None)
@given(st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(LAST_YEAR, 12, 31)))
def test_round_trip(d: date) -> None:
    assert parse_date(format_date(d)) == d
    assert parse_date(d.isoformat()) == d


@pytest.mark.parametrize("text", ["01.01.0001", "31.12.1899", "01.01.2101", "9999-12-31"])
def test_a_year_no_register_holds_is_refused_with_the_range(text: str) -> None:
    with pytest.raises(ValueError, match="1900 to 2100"):
        parse_date(text)
