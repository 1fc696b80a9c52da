"""Academic years, their four quarters (тоқсан) and school grades."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from daryn_desktop.core.dates import FIRST_YEAR, LAST_YEAR, MSG_YEAR_OUT_OF_RANGE, format_date
from daryn_desktop.core.findings import Finding, error
from daryn_desktop.i18n import N_, _

#: The month an academic year begins in. The year runs from 1 September to 31 August: lessons
#: end on 25 May, but the summer that follows (summer subject camps, health camps — decree
#: measures 9 and 13) is the last part of that year's road map, not a prelude to the next one.
START_MONTH = 9

#: School grades: 0 is the pre-school class, then 1–11 (12 where 12-year schooling is tried).
GRADES = range(0, 13)
PRE_SCHOOL_GRADE = 0

MSG_YEAR_FORMAT = N_("“{text}” is not an academic year: write it as 2025-2026.")
MSG_YEAR_NOT_CONSECUTIVE = N_(
    "“{text}” is not an academic year: its second year must follow the first, as in {example}."
)
MSG_QUARTER_COUNT = N_("The school calendar must have four quarters (it has {count}).")
MSG_QUARTER_NUMBER = N_(
    "Quarter {position} in the list has the number {number}: number the quarters 1 to 4 in order."
)
MSG_QUARTER_REVERSED = N_("Quarter {number} ends ({end}) before it starts ({start}).")
MSG_QUARTER_OUTSIDE_YEAR = N_(
    "Quarter {number} ({start} – {end}) is not within the academic year {year} "
    "({year_start} – {year_end})."
)
MSG_QUARTER_OVERLAP = N_(
    "Quarter {number} starts ({start}) before quarter {previous} ends ({previous_end})."
)
MSG_GRADE = N_("There is no grade {grade}: the grade must be from 0 (pre-school class) to 12.")

# ASCII digits; a hyphen, an en dash (as printed documents write it) or an em dash.
_YEAR_LABEL = re.compile(r"([0-9]{4})\s*[-\u2013\u2014]\s*([0-9]{4})")
_SUNDAY = 6


@dataclass(frozen=True, order=True)
class AcademicYear:
    """An academic year, named by the calendar year in which it begins (2025 for 2025-2026)."""

    start: int

    def __post_init__(self) -> None:
        # Four-digit years only, so that every label parses back to the same year.
        if isinstance(self.start, bool) or not isinstance(self.start, int):
            raise TypeError(f"an academic year starts in an int year, not {self.start!r}")
        if not 1000 <= self.start <= 9998:
            raise ValueError(f"academic year start out of range: {self.start}")

    @property
    def label(self) -> str:
        """The usual name, "2025-2026" (an ASCII hyphen, so that it is safe in file names)."""
        return f"{self.start}-{self.start + 1}"

    @property
    def first_day(self) -> date:
        return date(self.start, START_MONTH, 1)

    @property
    def last_day(self) -> date:
        return date(self.start + 1, START_MONTH, 1) - timedelta(days=1)

    @classmethod
    def parse(cls, text: str) -> AcademicYear:
        """Read "2025-2026" or "2025–2026"; ``ValueError`` (translated message) otherwise."""
        match = _YEAR_LABEL.fullmatch(text.strip())
        if not match:
            raise ValueError(_(MSG_YEAR_FORMAT).format(text=text))
        first, second = int(match.group(1)), int(match.group(2))
        if second != first + 1 or first > 9998:
            raise ValueError(
                _(MSG_YEAR_NOT_CONSECUTIVE).format(text=text, example=f"{first}-{first + 1}")
            )
        if not FIRST_YEAR <= first < LAST_YEAR:
            # The year before (compared in the statistics) must exist too.
            raise ValueError(_(MSG_YEAR_OUT_OF_RANGE).format(text=text, first=FIRST_YEAR,
                                                             last=LAST_YEAR))
        return cls(first)

    @classmethod
    def containing(cls, d: date, start_month: int = START_MONTH) -> AcademicYear:
        """The academic year ``d`` falls in.

        With the default September start, June–August belong to the year that is ending
        (31 August 2026 is in 2025-2026, 1 September 2026 in 2026-2027); see ``START_MONTH``.
        """
        if not 1 <= start_month <= 12:
            raise ValueError(f"start_month must be 1..12, not {start_month}")
        return cls(d.year if d.month >= start_month else d.year - 1)

    def next(self) -> AcademicYear:
        return AcademicYear(self.start + 1)

    def previous(self) -> AcademicYear:
        return AcademicYear(self.start - 1)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Quarter:
    """One quarter (тоқсан), ``number`` 1–4, from ``start`` to ``end`` inclusive.

    Not checked on construction: custom dates are checked by :meth:`YearCalendar.validate`,
    which reports every problem at once instead of failing on the first.
    """

    number: int
    start: date
    end: date

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end


def _sunday_on_or_before(d: date) -> date:
    return d - timedelta(days=(d.weekday() - _SUNDAY) % 7)


def _sunday_on_or_after(d: date) -> date:
    return d + timedelta(days=(_SUNDAY - d.weekday()) % 7)


def _monday_on_or_after(d: date) -> date:
    return d + timedelta(days=-d.weekday() % 7)


def _weekday_or_next_monday(d: date) -> date:
    return d if d.weekday() < 5 else _monday_on_or_after(d)


@dataclass(frozen=True)
class YearCalendar:
    """The quarters of one academic year; set each year by order, so coordinators may edit it."""

    year: AcademicYear
    quarters: tuple[Quarter, ...]

    @classmethod
    def default(cls, year: AcademicYear) -> YearCalendar:
        """Typical dates (about 8, 8, 10 and 8 weeks), to be corrected when the order is out.

        The rules follow recent orders: lessons begin on 1 September (2 September when it is
        a Sunday); the first quarter ends on the last Sunday of October and a week of autumn
        holidays follows; the second ends on the Sunday on or after 28 December, but within
        the calendar year; after the winter holidays and Orthodox Christmas (7 January, a day
        off) the third begins on 8 January (the next Monday if that is a weekend) and ends on
        18 March, before Nauryz (21–23 March); the fourth begins on the Monday on or after
        27 March, so the spring holidays last 9 to 15 days, and ends on 25 May.
        For 2025-2026 this gives 01.09–26.10, 03.11–28.12, 08.01–18.03 and 30.03–25.05.
        """
        y = year.start
        q1_start = date(y, 9, 1)
        if q1_start.weekday() == _SUNDAY:
            q1_start += timedelta(days=1)
        q1_end = _sunday_on_or_before(date(y, 10, 31))
        q2_start = q1_end + timedelta(days=8)
        q2_end = min(_sunday_on_or_after(date(y, 12, 28)), date(y, 12, 31))
        q3_start = _weekday_or_next_monday(date(y + 1, 1, 8))
        q3_end = date(y + 1, 3, 18)
        q4_start = _monday_on_or_after(date(y + 1, 3, 27))
        q4_end = date(y + 1, 5, 25)
        return cls(
            year,
            (
                Quarter(1, q1_start, q1_end),
                Quarter(2, q2_start, q2_end),
                Quarter(3, q3_start, q3_end),
                Quarter(4, q4_start, q4_end),
            ),
        )

    def quarter_of(self, d: date) -> Quarter | None:
        """The quarter ``d`` falls in; ``None`` in the holidays and the summer."""
        for quarter in self.quarters:
            if quarter.contains(d):
                return quarter
        return None

    def quarter_containing_or_next(self, d: date) -> Quarter | None:
        """The quarter ``d`` falls in or, in the holidays, the one that follows them.

        ``None`` after the last quarter has ended: the next quarter is another year's.
        """
        current = self.quarter_of(d)
        if current is not None:
            return current
        later = [q for q in self.quarters if q.start > d]
        return min(later, key=lambda q: q.start) if later else None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form with ISO dates, to store a coordinator's own dates."""
        return {
            "year": self.year.label,
            "quarters": [
                {"number": q.number, "start": q.start.isoformat(), "end": q.end.isoformat()}
                for q in self.quarters
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> YearCalendar:
        """Read :meth:`to_dict`'s form back; call :meth:`validate` on the result.

        Raises ``ValueError`` when the data is not of that form at all. That means damaged
        storage, not a user's mistake, so the message is for developers and not translated.
        """
        try:
            year = AcademicYear.parse(str(data["year"]))
            raw = data["quarters"]
            if not isinstance(raw, (list, tuple)):
                raise TypeError(f"quarters must be a list, not {type(raw).__name__}")
            quarters = tuple(_quarter_from_dict(item) for item in raw)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"invalid school calendar data: {exc!r}") from exc
        return cls(year, quarters)

    def validate(self) -> list[Finding]:
        """Errors if the quarters are not four, numbered 1–4, in order, apart and in the year."""
        found: list[Finding] = []
        if len(self.quarters) != 4:
            found.append(error("quarters", MSG_QUARTER_COUNT, count=len(self.quarters)))
        first, last = self.year.first_day, self.year.last_day
        previous: Quarter | None = None
        for position, quarter in enumerate(self.quarters, start=1):
            field = f"quarter_{position}"
            start, end = format_date(quarter.start), format_date(quarter.end)
            if quarter.number != position:
                found.append(
                    error(field, MSG_QUARTER_NUMBER, number=quarter.number, position=position)
                )
            if quarter.end < quarter.start:
                found.append(
                    error(field, MSG_QUARTER_REVERSED, number=quarter.number, start=start, end=end)
                )
            if quarter.start < first or quarter.end > last:
                found.append(
                    error(
                        field,
                        MSG_QUARTER_OUTSIDE_YEAR,
                        number=quarter.number,
                        start=start,
                        end=end,
                        year=self.year.label,
                        year_start=format_date(first),
                        year_end=format_date(last),
                    )
                )
            if previous is not None and quarter.start <= previous.end:
                found.append(
                    error(
                        field,
                        MSG_QUARTER_OVERLAP,
                        number=quarter.number,
                        start=start,
                        previous=previous.number,
                        previous_end=format_date(previous.end),
                    )
                )
            previous = quarter
        return found


def _quarter_from_dict(item: object) -> Quarter:
    if not isinstance(item, Mapping):
        raise TypeError(f"a quarter must be a mapping, not {type(item).__name__}")
    number = item["number"]
    if isinstance(number, bool) or not isinstance(number, int):
        raise TypeError(f"a quarter number must be an int, not {number!r}")
    # date.fromisoformat on Python 3.10 accepts exactly YYYY-MM-DD, as to_dict writes.
    return Quarter(number, date.fromisoformat(item["start"]), date.fromisoformat(item["end"]))


def validate_grade(grade: int | None) -> list[Finding]:
    """An error unless ``grade`` is 0 (pre-school class) to 12; no grade is the caller's rule."""
    if grade is None:
        return []
    if isinstance(grade, bool) or not isinstance(grade, int) or grade not in GRADES:
        return [error("grade", MSG_GRADE, grade=grade)]
    return []
