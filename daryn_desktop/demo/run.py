"""What the parts of one demo run share: the seeded draws, the dates, the shapes they pass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from daryn_desktop.core.academic import AcademicYear, Quarter, YearCalendar
from daryn_desktop.demo.draws import DemoRandom
from daryn_desktop.demo.people import Names
from daryn_desktop.demo.territory import Site

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store


@dataclass
class School:
    """A school as its pupils need it: where it stands, its language and who works there."""

    id: str
    district: str
    site: Site
    language: str
    small: bool
    #: Teachers by subject key: (id, short name).
    teachers: dict[str, list[tuple[str, str]]]
    mentors: list[tuple[str, str]]
    psychologist: tuple[str, str]
    #: Settlements nearby whose children travel to this school.
    catchment: list[Site]


@dataclass(frozen=True)
class PlanYear:
    """What road maps need of an academic year, worked out once instead of per pupil."""

    start: int
    label: str
    first_day: date
    last_day: date
    quarters: tuple[Quarter, ...]
    #: Quarters over by today: the ones a review can be written for.
    past_quarters: tuple[Quarter, ...]
    #: Whether the year's road maps are closed (a past year).
    closed: bool
    #: When plans are signed: in the first weeks of the year.
    sign_from: date
    sign_to: date

    @classmethod
    def make(cls, year: AcademicYear, today: date, *, closed: bool) -> PlanYear:
        quarters = YearCalendar.default(year).quarters
        return cls(year.start, year.label, year.first_day, year.last_day, quarters,
                   tuple(q for q in quarters if q.end < today), closed,
                   year.first_day + timedelta(days=10), year.first_day + timedelta(days=60))


@dataclass(frozen=True)
class Stage:
    """A stage of this year's calendar, as the results of its entries need it."""

    event_id: str
    stage_id: str
    event_name: str
    start: date
    last: date


@dataclass(frozen=True)
class Prize:
    """A prize of this year: its achievement, the level's rank and the kind of event."""

    achievement_id: str | None
    rank: int
    kind: str


@dataclass(frozen=True)
class Area:
    """A giftedness area of a pupil."""

    key: str
    kind: str
    name: str  # in the pupil's language
    subject: str  # who teaches it (a key of words.TEACHER_SUBJECTS)


@dataclass(frozen=True)
class PupilContext:
    """What a pupil's road maps and support depend on."""

    school: School
    grade: int
    li: int  # 0: Kazakh texts, 1: Russian
    areas: list[Area]
    best: int  # rank of the best prize level, -1 for none
    categories: list[str]

    def with_grade(self, grade: int) -> PupilContext:
        """The same pupil in another grade (last year's road map)."""
        return PupilContext(self.school, grade, self.li, self.areas, self.best, self.categories)


class Run:
    """One run: everything random comes from ``self.rng`` in a fixed order."""

    def __init__(self, store: Store, seed: int, year: AcademicYear, today: date) -> None:
        self.store = store
        self.rng = DemoRandom(seed)
        self.year = year
        self.today = today
        self.names = Names()
        self.current = PlanYear.make(year, today, closed=year.last_day < today)
        self.previous = PlanYear.make(year.previous(), today, closed=True)
        self.consent_from = year.first_day - timedelta(days=400)
        self.consent_to = year.first_day + timedelta(days=45)
        self.diagnostics_from = year.first_day - timedelta(days=365)
        self.used_iins: set[str] = {
            row[0] for row in store.db.execute("SELECT iin FROM pupils").fetchall()}
        self.schools: list[School] = []
        self.coordinators: dict[str, tuple[str, str]] = {}
        #: This year's calendar: the stage each entry of ``words.EVENTS`` is, by (name, level).
        self.calendar: dict[tuple[str, str], Stage] = {}


class Part:
    """A part of the run (schools, pupils, road maps…) with the run's shared state at hand."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.rng = run.rng
        self.year = run.year
        self.today = run.today
        self.names = run.names
        self.current = run.current

    def _past(self, start: date, end: date) -> date:
        """A random day from ``start`` to ``end``, but not after today (``start`` if need be)."""
        end = min(end, self.today)
        span = (end - start).days
        return start + timedelta(days=self.rng.randrange(span + 1)) if span > 0 else start

    def _teacher(self, school: School, subject: str) -> tuple[str, str]:
        """Who teaches ``subject`` at the school; a mentor or another teacher if nobody does."""
        found = school.teachers.get(subject)
        if found:
            return self.rng.choice(found)
        if school.mentors:
            return self.rng.choice(school.mentors)
        return self.rng.choice(next(iter(school.teachers.values())))
