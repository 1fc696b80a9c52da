"""The ``daryn demo`` generator: schools, staff, pupils and road maps that look like real ones."""

from __future__ import annotations

import random
import threading
import time
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from itertools import accumulate, chain
from itertools import count as itertools_count
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from daryn_desktop.core.academic import AcademicYear, Quarter, YearCalendar
from daryn_desktop.core.enums import (
    ActivityStatus,
    Award,
    DiagnosticMethod,
    EventLevel,
    FamilyCategory,
    GuardianRelation,
    Language,
    PupilStatus,
    RoadMapStatus,
    Role,
    Sex,
    StaffRole,
    SupportMeasure,
)
from daryn_desktop.core.events import (
    EventTemplate,
    event_from_template,
    participant_id,
    result_id,
)
from daryn_desktop.core.ids import new_id
from daryn_desktop.core.iin import check_digit
from daryn_desktop.core.progress import CancelToken, Progress, cyclic_gc_paused
from daryn_desktop.core.support import (
    ScholarshipKind,
    SupportRecord,
    SupportStatus,
    describe_record,
)
from daryn_desktop.core.territory import Gazetteer, Place, gazetteer
from daryn_desktop.demo import names as words
from daryn_desktop.i18n import N_, _, gettext_for
from daryn_desktop.storage.rows import to_row

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

T = TypeVar("T")

#: Pupils written per transaction, with everything that belongs to them. Big enough that the
#: commit cost is spread thin, small enough that Cancel answers within a second or two.
CHUNK = 2000
#: Gifted pupils per school on average (the brief: one school per 60–120 of them).
PUPILS_PER_SCHOOL = 90

MSG_PROGRESS = N_("Generating demo pupils…")

# Regions where Russian-language schools are common.
_NORTHERN_REGIONS = ("110000000", "350000000", "390000000", "550000000", "590000000",
                     "630000000", "100000000")

# Enum values as plain strings: the write path stores values, and passing them ready saves a
# conversion per column on millions of rows.
_KK, _RU, _MIXED = Language.KAZAKH.value, Language.RUSSIAN.value, Language.MIXED.value
_MALE, _FEMALE = Sex.MALE.value, Sex.FEMALE.value
_ACTIVE = PupilStatus.ACTIVE.value
_PLANNED, _IN_PROGRESS, _DONE, _CANCELLED = (
    ActivityStatus.PLANNED.value, ActivityStatus.IN_PROGRESS.value, ActivityStatus.DONE.value,
    ActivityStatus.CANCELLED.value)
_LEVELS = [level.value for level in EventLevel]  # school … international, in rank order
_LARGE, _ASSISTANCE, _LOW_INCOME, _ORPHAN, _NO_CARE, _SINGLE, _DISABILITY, _EMERGENCY = (
    c.value for c in (FamilyCategory.LARGE_FAMILY, FamilyCategory.SOCIAL_ASSISTANCE,
                      FamilyCategory.LOW_INCOME, FamilyCategory.ORPHAN,
                      FamilyCategory.NO_PARENTAL_CARE, FamilyCategory.SINGLE_PARENT,
                      FamilyCategory.DISABILITY, FamilyCategory.EMERGENCY))
_DRAFT, _ACTIVE_MAP, _SIGNED, _CLOSED = (
    s.value for s in (RoadMapStatus.DRAFT, RoadMapStatus.ACTIVE, RoadMapStatus.SIGNED,
                      RoadMapStatus.CLOSED))
_PSYCH_TEST, _QABILET, _INTERVIEW = (
    m.value for m in (DiagnosticMethod.PSYCHOLOGICAL_TEST, DiagnosticMethod.QABILET,
                      DiagnosticMethod.INTERVIEW))
_OLYMPIAD_PREP = SupportMeasure.OLYMPIAD_PREPARATION.value
_CLUB = SupportMeasure.CLUB.value
_TECHNOPARK = SupportMeasure.TECHNOPARK.value
_SUMMER_CAMP = SupportMeasure.SUMMER_CAMP.value
_TRAINING = SupportMeasure.PSYCHOLOGICAL_TRAINING.value
_FORUM = SupportMeasure.FORUM.value
_VISIT = SupportMeasure.VISIT.value
_HEALTH_CAMP = SupportMeasure.HEALTH_CAMP.value
_SCHOLARSHIP = SupportMeasure.SCHOLARSHIP.value
_GRANT = SupportMeasure.GRANT.value
_SPECIALISED = SupportMeasure.SPECIALISED_SCHOOL.value
_DISTANCE = SupportMeasure.DISTANCE_COURSE.value
_COMPETITION = SupportMeasure.COMPETITION.value
_OTHER = SupportMeasure.OTHER.value

_TABLES = ("schools", "staff", "pupils", "guardians", "pupil_categories", "giftedness_areas",
           "diagnostics", "research_projects", "participants", "achievements", "road_maps",
           "goals", "activities", "reviews", "support_records")


@dataclass
class DemoSummary:
    """How many rows of each table a run wrote, and how long it took."""

    schools: int = 0
    staff: int = 0
    pupils: int = 0
    guardians: int = 0
    pupil_categories: int = 0
    giftedness_areas: int = 0
    diagnostics: int = 0
    achievements: int = 0
    road_maps: int = 0
    goals: int = 0
    activities: int = 0
    reviews: int = 0
    events: int = 0
    event_stages: int = 0
    staff_trainings: int = 0
    participants: int = 0
    research_projects: int = 0
    support_records: int = 0
    #: Wall-clock seconds of the whole run.
    seconds: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        """Rows written per table."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "seconds"}

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


class _Random(random.Random):
    """``random.Random`` with cheaper integer draws.

    ``choice``, ``randrange`` and ``randint`` scale ``random()`` instead of drawing exact
    unbiased integers: about three times faster, which matters at a million draws a run, and
    the bias (below 2**-40) is of no consequence for demo data. Still seeded, still
    reproducible, and never the module-level generator.
    """

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


class _Choice(Generic[T]):
    """A weighted choice with the cumulative weights computed once (random.choices redoes it)."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]):
        if not items or len(items) != len(weights):
            raise ValueError("a weighted choice needs items with one weight each")
        self._items = list(items)
        self._cum = list(accumulate(weights))
        self._total = self._cum[-1]

    def pick(self, rng: random.Random) -> T:
        return self._items[bisect(self._cum, rng.random() * self._total)]


def _pairs(pairs: Sequence[tuple[T, float]]) -> _Choice[T]:
    return _Choice([p[0] for p in pairs], [p[1] for p in pairs])


# --- people ----------------------------------------------------------------------------------


def _kazakh_surnames(root: str) -> tuple[str, str]:
    """The male and female surname made from an ancestor's name (Жұмабай → Жұмабаев/-ева)."""
    if root.endswith("й"):
        male = root[:-1] + "ев"
    elif root.endswith("и"):
        male = root + "ев"
    elif root.endswith(("ы", "і")):
        male = root[:-1] + "иев"
    elif root.endswith("а"):
        male = root[:-1] + "ин"
    else:
        male = root + "ов"
    return male, male + "а"


def _feminine(surname: str) -> str:
    """The female form of a Russian-type surname; others (Ким, Шмидт, Коваленко) do not change."""
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith(("ский", "цкий")):
        return surname[:-2] + "ая"
    return surname


def _unchanged(surnames: Sequence[str]) -> tuple[tuple[str, str], ...]:
    return tuple((s, s) for s in surnames)


#: Surname, given name, patronymic (if any), the father's surname and given name.
_ChildName = tuple[str, str, str | None, str, str]


@dataclass(frozen=True)
class _Group:
    """An origin of names: surnames (male, female), given names, fathers and women's names."""

    surnames: tuple[tuple[str, str], ...]
    boys: _Choice[str]
    girls: _Choice[str]
    fathers: tuple[tuple[str, str, str], ...]
    women: tuple[str, ...]


class _Names:
    """Draws full names of children and adults in the proportions of Kazakhstan's schools."""

    def __init__(self) -> None:
        roots = words.KAZAKH_SURNAME_ROOTS
        self.kz_surnames = tuple(_kazakh_surnames(r) for r in roots)
        self.kz_roots = roots
        # The rare Һ names: about one Kazakh boy or girl in a hundred, as in life.
        self.kz_boys = _Choice(words.KAZAKH_BOYS + words.KAZAKH_BOYS_RARE,
                               [1.0] * len(words.KAZAKH_BOYS) + [0.5] * len(words.KAZAKH_BOYS_RARE))
        self.kz_girls = _Choice(
            words.KAZAKH_GIRLS + words.KAZAKH_GIRLS_RARE,
            [1.0] * len(words.KAZAKH_GIRLS) + [0.5] * len(words.KAZAKH_GIRLS_RARE))
        russian = tuple((s, _feminine(s)) for s in words.RUSSIAN_SURNAMES)
        ru_boys = _Choice(words.RUSSIAN_BOYS, [1.0] * len(words.RUSSIAN_BOYS))
        ru_girls = _Choice(words.RUSSIAN_GIRLS, [1.0] * len(words.RUSSIAN_GIRLS))
        turkic_boys = _Choice(words.TURKIC_BOYS + words.RUSSIAN_BOYS,
                              [2.0] * len(words.TURKIC_BOYS) + [0.3] * len(words.RUSSIAN_BOYS))
        turkic_girls = _Choice(words.TURKIC_GIRLS + words.RUSSIAN_GIRLS,
                               [2.0] * len(words.TURKIC_GIRLS) + [0.3] * len(words.RUSSIAN_GIRLS))
        turkic = tuple((s, _feminine(s)) for s in words.TURKIC_SURNAMES)
        # Non-Kazakh families: Russians most, then Tatars/Uzbeks/Uyghurs, Koreans, Ukrainians,
        # Germans.
        self.others = _pairs([
            (_Group(russian, ru_boys, ru_girls, words.RUSSIAN_FATHERS, words.RUSSIAN_WOMEN), 62),
            (_Group(turkic, turkic_boys, turkic_girls,
                    words.TURKIC_FATHERS + words.RUSSIAN_FATHERS[:8],
                    words.RUSSIAN_WOMEN + words.TURKIC_GIRLS), 15),
            (_Group(_unchanged(words.KOREAN_SURNAMES), ru_boys, ru_girls, words.RUSSIAN_FATHERS,
                    words.RUSSIAN_WOMEN), 8),
            (_Group(_unchanged(words.UKRAINIAN_SURNAMES), ru_boys, ru_girls, words.RUSSIAN_FATHERS,
                    words.RUSSIAN_WOMEN), 8),
            (_Group(_unchanged(words.GERMAN_SURNAMES), ru_boys, ru_girls, words.RUSSIAN_FATHERS,
                    words.RUSSIAN_WOMEN), 7),
        ])

    def child(self, rng: random.Random, kazakh: bool, female: bool) -> _ChildName:
        """Surname, given name, patronymic, and the father's surname and given name."""
        if kazakh:
            i = rng.randrange(len(self.kz_surnames))
            father = rng.choice(words.KAZAKH_MEN)
            given = (self.kz_girls if female else self.kz_boys).pick(rng)
            if rng.random() < 0.06:
                # A growing number of families write the -ұлы/-қызы form as the surname; such a
                # child has no separate patronymic.
                root = self.kz_roots[i]
                surname = root + ("қызы" if female else "ұлы")
                return surname, given, None, root + "ұлы", father
            male, fem = self.kz_surnames[i]
            patronymic = father + ("қызы" if female else "ұлы")
            return (fem if female else male), given, patronymic, male, father
        group = self.others.pick(rng)
        male, fem = rng.choice(group.surnames)
        father, son_of, daughter_of = rng.choice(group.fathers)
        given = (group.girls if female else group.boys).pick(rng)
        return (fem if female else male), given, (daughter_of if female else son_of), male, father

    def adult(self, rng: random.Random, kazakh: bool, female: bool) -> tuple[str, str, str]:
        """Surname, given name and patronymic of a parent or a member of staff."""
        if kazakh:
            male, fem = rng.choice(self.kz_surnames)
            father = rng.choice(words.KAZAKH_MEN)
            if female:
                return fem, rng.choice(words.KAZAKH_WOMEN), father + "қызы"
            return male, rng.choice(words.KAZAKH_MEN), father + "ұлы"
        group = self.others.pick(rng)
        male, fem = rng.choice(group.surnames)
        _father, son_of, daughter_of = rng.choice(group.fathers)
        if female:
            return fem, rng.choice(group.women), daughter_of
        return male, rng.choice(group.fathers)[0], son_of


def _short(surname: str, given: str, patronymic: str | None) -> str:
    """Surname and initials, as signature blocks print them (Сейітова А.Б.)."""
    initials = "".join(f"{p[0]}." for p in (given, patronymic) if p)
    return f"{surname} {initials}"


def _phone(rng: random.Random) -> str:
    n = rng.randrange(10_000_000)
    code = rng.choice(words.MOBILE_CODES)
    return f"+7 {code} {n // 10000:03d} {n // 100 % 100:02d} {n % 100:02d}"


# --- territory -------------------------------------------------------------------------------



@dataclass(frozen=True)
class _Site:
    """A place a school can stand in: a settlement, or a city given by its district's code."""

    code: str
    district: str
    name_kk: str
    name_ru: str
    rural: bool
    weight: float


def _bare_names(place: Place) -> tuple[str, str]:
    return place.bare_names()


#: Weights of a school site: a city (shared by its city districts), a town, the centre of a
#: rural okrug (its first village, KATO code ending in 100), and any other village.
_CITY_WEIGHT, _TOWN_WEIGHT, _CENTRE_WEIGHT, _VILLAGE_WEIGHT = 30.0, 4.0, 2.0, 1.0


def _district_sites(gaz: Gazetteer, district: Place, region: Place | None) -> list[_Site]:
    """Where schools of a district may stand, each with a weight for how many it gets."""
    settlements = gaz.settlements(district.code)
    city = district.name_kk.endswith("Қ.Ә.") or (region is not None and region.type_code == 1)
    sites: list[_Site] = []
    # A city administration lists either its city districts (Ақтөбе: Алматы ауданы, Астана
    # ауданы), which share the city's weight, or only the towns and villages around it.
    city_parts = [s for s in settlements if not s.is_rural and s.name_kk.endswith("ауданы")]
    for s in settlements:
        kk, ru = _bare_names(s)
        if not s.is_rural:
            weight = (_CITY_WEIGHT / len(city_parts) if city and s in city_parts
                      else _TOWN_WEIGHT)
            sites.append(_Site(s.code, district.code, kk, ru, False, weight))
        elif s.is_inhabited:
            weight = _CENTRE_WEIGHT if s.code.endswith("100") else _VILLAGE_WEIGHT
            sites.append(_Site(s.code, district.code, kk, ru, True, weight))
    if city and not city_parts:
        # Big cities have no settlement level in the classifier: the city administration's
        # (or city district's) own code stands for the city.
        kk, ru = _bare_names(district)
        if region is not None and region.type_code == 1:
            kk, ru = _bare_names(region)
        sites.append(_Site(district.code, district.code, kk, ru, False, _CITY_WEIGHT))
    if not sites:
        # A district with no recognisable village (should not happen): use its settlements as
        # they are, or the district itself.
        sites = [_Site(s.code, district.code, *_bare_names(s), s.is_rural, 1.0)
                 for s in settlements]
        if not sites:
            kk, ru = _bare_names(district)
            sites = [_Site(district.code, district.code, kk, ru, False, 1.0)]
    return sites


def _allocate(total: int, weights: Sequence[float], rng: random.Random) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder; ties broken at random)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], rng.random()))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


# --- schools and staff -----------------------------------------------------------------------


@dataclass
class _School:
    id: str
    district: str
    site: _Site
    language: str
    small: bool
    #: Teachers by subject key: (id, short name).
    teachers: dict[str, list[tuple[str, str]]]
    mentors: list[tuple[str, str]]
    psychologist: tuple[str, str]
    #: Settlements nearby whose children travel to this school.
    catchment: list[_Site]


#: Share of children with Kazakh names by the school's language: about three in four overall.
_KAZAKH_SHARE = {_KK: 0.9, _MIXED: 0.55, _RU: 0.25}
_KAZAKH_STAFF_SHARE = {_KK: 0.95, _MIXED: 0.7, _RU: 0.4}

_SCHOOL_LANGUAGES = {
    # (northern region, rural): weights of kk, mixed, ru
    (False, True): (72, 16, 12),
    (False, False): (45, 27, 28),
    (True, True): (45, 25, 30),
    (True, False): (28, 30, 42),
}


class _Generator:
    """One run: everything random comes from ``self.rng`` in a fixed order."""

    def __init__(self, store: Store, seed: int, year: AcademicYear, today: date) -> None:
        self.store = store
        self.rng = _Random(seed)
        self.year = year
        self.today = today
        self.names = _Names()
        self.gaz = gazetteer()
        self.current = _Year.make(year, today, closed=year.last_day < today)
        self.previous = _Year.make(year.previous(), today, closed=True)
        self.consent_from = year.first_day - timedelta(days=400)
        self.consent_to = year.first_day + timedelta(days=45)
        self.diagnostics_from = year.first_day - timedelta(days=365)
        self.used_iins: set[str] = {
            row[0] for row in store.db.execute("SELECT iin FROM pupils").fetchall()}
        self.schools: list[_School] = []
        self.coordinators: dict[str, tuple[str, str]] = {}
        #: This year's calendar: the stage each entry of ``words.EVENTS`` is, by (name, level).
        self.calendar: dict[tuple[str, str], _Stage] = {}
        #: The scholarship order of each district this year: (number, date).
        self.orders: dict[str, tuple[str, date]] = {}
        self._build_event_index()

    # -- territory and schools ------------------------------------------------------------
    def districts(self) -> list[tuple[Place, list[_Site]]]:
        inst = self.store.installation
        gaz = self.gaz
        region = gaz.find(inst.region_kato)
        if inst.role == Role.DISTRICT and inst.district_kato:
            district = gaz.get(inst.district_kato)
            return [(district, _district_sites(gaz, district, gaz.region_of(district.code)))]
        if region is None:
            raise ValueError(f"unknown region {inst.region_kato!r}")
        return [(d, _district_sites(gaz, d, region)) for d in gaz.districts(region.code)]

    def make_schools(self, pupils: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """School and staff rows; fills ``self.schools`` and ``self.coordinators``."""
        rng = self.rng
        districts = self.districts()
        n_schools = max(1, round(pupils / PUPILS_PER_SCHOOL))
        weights = [sum(s.weight for s in sites) for _d, sites in districts]
        if n_schools >= len(districts):
            # Every district gets one school first; the rest follow the settlement weights.
            counts = [1 + c for c in _allocate(n_schools - len(districts), weights, rng)]
        else:
            counts = _allocate(n_schools, weights, rng)
        northern = self.store.installation.region_kato in _NORTHERN_REGIONS
        school_rows: list[dict[str, Any]] = []
        staff_rows: list[dict[str, Any]] = []
        for (district, sites), count in zip(districts, counts):
            if count == 0:
                continue
            coordinator = self._staff(staff_rows, StaffRole.COORDINATOR, None, _KK, None)
            self.coordinators[district.code] = coordinator
            site_choice = _Choice(sites, [s.weight for s in sites])
            rural_sites = [s for s in sites if s.rural]
            taken: set[str] = set()
            # School numbers in a district: shuffled low ones first, then as many as needed.
            low = max(12, 2 * count)
            numbers = chain(rng.sample(range(1, low + 1), low), itertools_count(low + 1))
            for _i in range(count):
                site = site_choice.pick(rng)
                lang = _Choice((_KK, _MIXED, _RU), _SCHOOL_LANGUAGES[northern, site.rural]
                               ).pick(rng)
                # Small ungraded schools are common in the villages away from okrug centres.
                centre = site.code.endswith("100")
                small = site.rural and rng.random() < (0.1 if centre else 0.45)
                name = self._school_name(site, lang, small, taken, numbers)
                taken.add(name)
                school_id = new_id()
                school_rows.append({"id": school_id, "name": name, "settlement_kato": site.code,
                                    "district_kato": district.code, "language": lang,
                                    "small_ungraded": small})
                teachers, mentors, psychologist = self._school_staff(
                    staff_rows, school_id, lang, small, not site.rural)
                # Children of the smaller villages of the same rural okrug (same first six
                # digits of KATO) come to this school too.
                catchment = [site]
                if site.rural:
                    catchment += [s for s in rural_sites
                                  if s.code[:6] == site.code[:6] and s.code != site.code][:3]
                self.schools.append(_School(school_id, district.code, site, lang, small,
                                            teachers, mentors, psychologist, catchment))
        return school_rows, staff_rows

    def _school_name(self, site: _Site, lang: str, small: bool, taken: set[str],
                     numbers: Iterator[int]) -> str:
        rng = self.rng
        russian = lang == _RU or (lang == _MIXED and rng.random() < 0.4)
        for _attempt in range(4):
            patron_kk, patron_ru = rng.choice(words.SCHOOL_PATRONS)
            r = rng.random()
            if russian:
                if small:
                    name = f"Малокомплектная школа с. {site.name_ru}"
                elif not site.rural:
                    name = (f"Средняя школа №{next(numbers)} имени {patron_ru}" if r < 0.5 else
                            f"Школа-гимназия №{next(numbers)}" if r < 0.75 else
                            f"Школа-лицей №{next(numbers)}")
                else:
                    name = (f"Средняя школа с. {site.name_ru}" if r < 0.45 else
                            f"Средняя школа №{next(numbers)} имени {patron_ru}" if r < 0.8 else
                            f"Основная средняя школа с. {site.name_ru}")
            elif small:
                name = f"{site.name_kk} шағын жинақты мектебі"
            elif not site.rural:
                name = (f"№{next(numbers)} жалпы білім беретін мектеп" if r < 0.45 else
                        f"{patron_kk} атындағы №{next(numbers)} мектеп-гимназия" if r < 0.65 else
                        f"№{next(numbers)} мектеп-лицей" if r < 0.8 else
                        f"{patron_kk} атындағы орта мектеп")
            else:
                name = (f"{site.name_kk} орта мектебі" if r < 0.4 else
                        f"{patron_kk} атындағы орта мектеп" if r < 0.7 else
                        f"№{next(numbers)} жалпы білім беретін мектеп" if r < 0.85 else
                        f"{site.name_kk} негізгі орта мектебі")
            if name not in taken:
                return name
        # Names repeat in a district only by accident of the draw; a number settles it.
        return (f"Средняя школа №{next(numbers)}" if russian
                else f"№{next(numbers)} жалпы білім беретін мектеп")

    def _staff(self, rows: list[dict[str, Any]], role: StaffRole, school_id: str | None,
               lang: str, subject: str | None, female_share: float = 0.75) -> tuple[str, str]:
        rng = self.rng
        kazakh = rng.random() < _KAZAKH_STAFF_SHARE[lang]
        surname, given, patronymic = self.names.adult(rng, kazakh, rng.random() < female_share)
        staff_id = new_id()
        row: dict[str, Any] = {"id": staff_id, "surname": surname, "given_name": given,
                               "patronymic": patronymic, "role": role.value}
        if school_id is not None:
            row["school_id"] = school_id
        if subject is not None:
            row["subject"] = subject
        if rng.random() < 0.7:
            row["phone"] = _phone(rng)
        rows.append(row)
        return staff_id, _short(surname, given, patronymic)

    def _school_staff(self, rows: list[dict[str, Any]], school_id: str, lang: str, small: bool,
                      urban: bool) -> tuple[dict[str, list[tuple[str, str]]],
                                            list[tuple[str, str]], tuple[str, str]]:
        rng = self.rng
        li = 1 if lang == _RU else 0
        subjects = list(words.TEACHER_SUBJECTS)
        if small:
            chosen = subjects[:5]
        elif urban:
            chosen = subjects
        else:
            extra = subjects[words.CORE_SUBJECTS:]
            chosen = subjects[:words.CORE_SUBJECTS] + rng.sample(extra, rng.randint(3, len(extra)))
        teachers: dict[str, list[tuple[str, str]]] = {}
        for key, kk, ru in chosen:
            # Larger schools have two teachers of the main subjects.
            count = 2 if urban and key in ("mathematics", "kazakh", "english") else 1
            for _i in range(count):
                teachers.setdefault(key, []).append(
                    self._staff(rows, StaffRole.TEACHER, school_id, lang, (kk, ru)[li]))
        mentors = []
        for _i in range(1 if small else rng.randint(1, 2)):
            key, kk, ru = rng.choice(chosen)
            mentors.append(self._staff(rows, StaffRole.MENTOR, school_id, lang, (kk, ru)[li]))
        psychologist = self._staff(rows, StaffRole.PSYCHOLOGIST, school_id, lang, None, 0.9)
        self._staff(rows, StaffRole.SCHOOL_HEAD, school_id, lang, None, 0.5)
        if not small and rng.random() < 0.6:
            self._staff(rows, StaffRole.DEPUTY_HEAD, school_id, lang, None)
        return teachers, mentors, psychologist

    # -- events ---------------------------------------------------------------------------
    def _build_event_index(self) -> None:
        """Events by (field, level, grade, rural), so that a draw is one dictionary lookup."""
        index: dict[tuple[str, str, int, bool], list[tuple[Any, ...]]] = {}
        for event in words.EVENTS:
            _kind, level, _kk, _ru, kinds, keys, low, high, rural_only = event
            for key, kind, *_rest in words.FIELDS:
                if kind not in kinds or (keys and key not in keys):
                    continue
                for grade in range(low, high + 1):
                    for rural in (False, True):
                        if rural_only and not rural:
                            continue
                        index.setdefault((key, level, grade, rural), []).append(event)
        self.events = index

    def make_calendar(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """This academic year's events with their stages, as the region publishes them.

        The rural-school olympiad comes from the program's four-stage template; the stages
        of the other olympiads and contests are grouped into events (``words.EVENT_SERIES``);
        the rest are events of one stage. Dated by the usual months of each level, in order.
        """
        year = self.year
        event_rows: list[dict[str, Any]] = []
        stage_rows: list[dict[str, Any]] = []
        entries = {e[2]: e for e in words.EVENTS}
        event, stages = event_from_template(EventTemplate.RURAL_OLYMPIAD, year,
                                            translate=gettext_for("kk"))
        event_rows.append(to_row(event))
        stage_rows += [to_row(st) for st in stages]
        by_level = {st.level.value: st for st in stages}
        for name in words.RURAL_OLYMPIAD_STAGES:
            entry = entries[name]
            st = by_level[entry[1]]
            assert st.start_date is not None and st.end_date is not None
            self.calendar[name, entry[1]] = _Stage(event.id, st.id, event.name, st.start_date,
                                                   st.end_date)
        grouped = {name for series in words.EVENT_SERIES for name in series}
        grouped |= set(words.RURAL_OLYMPIAD_STAGES)
        series = [*words.EVENT_SERIES, *((e[2],) for e in words.EVENTS if e[2] not in grouped)]
        for i, names in enumerate(series):
            members = [entries[name] for name in names]
            top = members[-1]
            event_id = new_id()
            event_rows.append({
                "id": event_id, "name": top[2], "kind": top[0], "level": top[1],
                "academic_year": year.label, "organiser": words.ORGANISERS[top[1]],
                "grade_from": min(m[6] for m in members),
                "grade_to": max(m[7] for m in members)})
            previous_end: date | None = None
            for position, member in enumerate(members):
                level = member[1]
                months = words.EVENT_MONTHS[level]
                month = months[i % len(months)]
                start = date(year.start if month >= 9 else year.start + 1, month, 8 + i * 3 % 18)
                if previous_end is not None and start <= previous_end:
                    start = previous_end + timedelta(days=21)
                start += timedelta(days=(7 - start.weekday()) % 7 if start.weekday() >= 5 else 0)
                start = min(start, year.last_day - timedelta(days=5))
                local = level in (words.SCHOOL, words.DISTRICT)
                end = start + timedelta(days=1 if local else 2)
                stage_id = new_id()
                stage_rows.append({
                    "id": stage_id, "event_id": event_id, "level": level, "position": position,
                    "start_date": start, "end_date": end,
                    "registration_deadline": start - timedelta(days=7 if local else 14),
                    "venue": words.VENUES[level]})
                self.calendar[member[2], level] = _Stage(event_id, stage_id, top[2], start, end)
                previous_end = end
            event_rows[-1]["date"] = stage_rows[-len(members)]["start_date"]
        return event_rows, stage_rows

    def make_trainings(self, staff_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Courses and seminars of teachers, mentors, psychologists and coordinators over the
        last five years (some have none for longer: the "not trained" list is never empty)."""
        rng = self.rng
        counts = _Choice((0, 1, 2, 3), (22, 38, 28, 12))
        trained = {StaffRole.TEACHER.value, StaffRole.MENTOR.value,
                   StaffRole.PSYCHOLOGIST.value, StaffRole.COORDINATOR.value}
        rows: list[dict[str, Any]] = []
        for person in staff_rows:
            if person["role"] not in trained:
                continue
            for _i in range(counts.pick(rng)):
                title, organiser, hours = rng.choice(words.TRAININGS)
                end = self.today - timedelta(days=rng.randrange(5 * 365))
                start = end - timedelta(days=max(0, (hours + 7) // 8 - 1))
                kind = "course" if hours >= 36 else "seminar"
                rows.append({"staff_id": person["id"], "kind": kind, "title": title,
                             "organiser": organiser, "hours": hours, "start_date": start,
                             "end_date": end,
                             "certificate_number": f"{rng.randrange(100, 9999)}-{end.year}"})
        return rows

    # -- pupils ---------------------------------------------------------------------------
    def pupil(self, t: dict[str, list[dict[str, Any]]]) -> None:
        """Add one new pupil's rows, and those of all their records, to ``t`` (by table)."""
        rng = self.rng
        rand = rng.random
        school = self.school_choice.pick(rng)
        grade = (self.small_grades if school.small else self.grades).pick(rng)
        female = rand() < 0.52
        lang = school.language
        kazakh = rand() < _KAZAKH_SHARE[lang]
        if lang == _MIXED:
            lang = _KK if kazakh and rand() < 0.7 else _RU
        li = 1 if lang == _RU else 0
        surname, given, patronymic, father_surname, father = self.names.child(rng, kazakh, female)
        birth = self._birth_date(grade)
        site = school.site if rand() < 0.85 else rng.choice(school.catchment)
        pupil_id = new_id()
        iin = self._iin(birth, female)
        row: dict[str, Any] = {
            "id": pupil_id, "surname": surname, "given_name": given, "iin": iin,
            "birth_date": birth, "sex": _FEMALE if female else _MALE, "school_id": school.id,
            "grade": grade, "language": lang, "settlement_kato": site.code, "status": _ACTIVE,
        }
        if patronymic:
            row["patronymic"] = patronymic
        if not school.small:
            row["class_letter"] = rng.choice(("А", "Ә", "Б", "В") if li == 0
                                             else ("А", "Б", "В", "Г"))
        if rand() < 0.95:
            row["consent_given"] = True
            # Consent is collected when a child is first entered, up to a year before.
            row["consent_date"] = self._past(self.consent_from, self.consent_to)
        if grade >= 7 and rand() < 0.4:
            row["phone"] = _phone(rng)
        if rand() < 0.04:
            row["notes"] = rng.choice(words.PUPIL_NOTES)[li]
        t["pupils"].append(row)

        categories = self._categories(pupil_id, birth, li, t["pupil_categories"])
        self._guardians(pupil_id, categories, kazakh, father_surname, father, li, t["guardians"])
        areas = self._areas(pupil_id, li, t["giftedness_areas"])
        self._diagnostics(pupil_id, school, areas, li, t["diagnostics"])
        project = self._project(pupil_id, school, grade, areas, li, t["research_projects"])
        best, prizes = self._achievements(pupil_id, school, grade, site.rural, areas, li, t,
                                          project)
        ctx = _PupilContext(school, grade, li, areas, best, categories)
        activities: list[dict[str, Any]] = []
        if rand() < 0.85:
            first = len(t["activities"])
            self._road_map(pupil_id, ctx, self.current, t)
            activities = t["activities"][first:]
        if grade >= 2 and rand() < 0.15:
            self._road_map(pupil_id, ctx._replace_grade(grade - 1), self.previous, t)
        if prizes and (site.rural or categories):
            self._support(pupil_id, ctx, prizes, activities, t)

    def _birth_date(self, grade: int) -> date:
        # Grade g is about age 6 + g on 1 September; a few started school a year late.
        age = 6 + grade + (1 if self.rng.random() < 0.04 else 0)
        latest = date(self.year.start - age, 9, 1)
        return latest - timedelta(days=self.rng.randrange(365))

    def _iin(self, birth: date, female: bool) -> str:
        century = 5 if birth.year >= 2000 else 3
        head = f"{birth.year % 100:02d}{birth.month:02d}{birth.day:02d}{century + female}"
        used = self.used_iins
        while True:
            first11 = f"{head}{self.rng.randrange(10000):04d}"
            digit = check_digit(first11)
            if digit is None:
                continue  # no IIN is issued with these eleven digits
            iin = f"{first11}{digit}"
            if iin not in used:
                used.add(iin)
                return iin

    def _past(self, start: date, end: date) -> date:
        """A random day from ``start`` to ``end``, but not after today (``start`` if need be)."""
        end = min(end, self.today)
        span = (end - start).days
        return start + timedelta(days=self.rng.randrange(span + 1)) if span > 0 else start

    def _categories(self, pupil_id: str, birth: date, li: int,
                    rows: list[dict[str, Any]]) -> list[str]:
        rng = self.rng
        rand = rng.random
        found: list[str] = []
        large = rand() < 0.30
        if large:
            found.append(_LARGE)
        # Large families receive targeted assistance more often; overall about one child in five.
        if rand() < (0.35 if large else 0.1357):
            found.append(_ASSISTANCE)
        if rand() < 0.10:
            found.append(_LOW_INCOME)
        r = rand()
        if r < 0.01:
            found.append(_ORPHAN)
        elif r < 0.022:
            found.append(_NO_CARE)
        elif r < 0.07:
            found.append(_SINGLE)
        if rand() < 0.02:
            found.append(_DISABILITY)
        if rand() < 0.004:
            found.append(_EMERGENCY)
        for category in found:
            # Social assistance is renewed often, so its evidence is recent; a family becomes
            # large, or a child an orphan, years before.
            days = 730 if category == _ASSISTANCE else 2900
            since = max(birth, self.today - timedelta(days=30 + rng.randrange(days)))
            row: dict[str, Any] = {"pupil_id": pupil_id, "category": category, "since": since}
            if rand() < 0.4:
                row["note"] = rng.choice(words.CATEGORY_NOTES[category])[li].format(
                    n=rng.randint(4, 8) if category == _LARGE
                    else rng.randint(100, 9999))
            rows.append(row)
        return found

    def _guardians(self, pupil_id: str, categories: list[str], kazakh: bool,
                   father_surname: str, father: str, li: int,
                   rows: list[dict[str, Any]]) -> None:
        rng = self.rng
        rand = rng.random
        names = self.names
        if _ORPHAN in categories or _NO_CARE in categories:
            female = rand() < 0.8
            relation = GuardianRelation.GRANDPARENT if rand() < 0.6 else GuardianRelation.GUARDIAN
            people = [(relation, " ".join(names.adult(rng, kazakh, female)))]
        else:
            # The father carries the surname and the given name the patronymic was made from.
            if kazakh:
                grandfather = rng.choice(words.KAZAKH_MEN) + "ұлы"
            else:
                grandfather = names.adult(rng, False, False)[2]
            dad = f"{father_surname} {father} {grandfather}"
            if rand() < 0.5 and not father_surname.endswith("ұлы"):
                # She took her husband's surname (an -ұлы surname cannot be a woman's).
                mum_surname = _feminine(father_surname)
                _s, mum_given, mum_patronymic = names.adult(rng, kazakh, True)
                mum = f"{mum_surname} {mum_given} {mum_patronymic}"
            else:
                mum = " ".join(names.adult(rng, kazakh, True))
            if _SINGLE in categories:
                people = [(GuardianRelation.MOTHER, mum)]
            elif rand() < 0.65:
                people = [(GuardianRelation.MOTHER, mum), (GuardianRelation.FATHER, dad)]
            elif rand() < 0.8:
                people = [(GuardianRelation.MOTHER, mum)]
            else:
                people = [(GuardianRelation.FATHER, dad)]
        workplaces = words.WORKPLACES_RU if li else words.WORKPLACES_KK
        for relation, full_name in people:
            row: dict[str, Any] = {"pupil_id": pupil_id, "full_name": full_name,
                                   "relation": relation.value}
            if rand() < 0.95:
                row["phone"] = _phone(rng)
            if rand() < 0.6:
                row["workplace"] = rng.choice(workplaces)
            rows.append(row)

    def _areas(self, pupil_id: str, li: int, rows: list[dict[str, Any]]) -> list[_Area]:
        rng = self.rng
        count = self.area_counts.pick(rng)
        areas: list[_Area] = []
        keys: list[str] = []
        while len(areas) < count:
            kind = self.area_kinds.pick(rng)
            key, _kind, kk, ru, subject, _w = self.fields_by_kind[kind].pick(rng)
            if key in keys:
                continue
            keys.append(key)
            area = _Area(key, kind, (kk, ru)[li], subject)
            areas.append(area)
            rows.append({"pupil_id": pupil_id, "kind": kind, "field": area.name})
        return areas

    def _teacher(self, school: _School, subject: str) -> tuple[str, str]:
        """Who teaches ``subject`` at the school; a mentor or another teacher if nobody does."""
        found = school.teachers.get(subject)
        if found:
            return self.rng.choice(found)
        if school.mentors:
            return self.rng.choice(school.mentors)
        return self.rng.choice(next(iter(school.teachers.values())))

    def _diagnostics(self, pupil_id: str, school: _School, areas: list[_Area], li: int,
                     rows: list[dict[str, Any]]) -> None:
        rng = self.rng
        for _i in range(1 if rng.random() < 0.55 else 2):
            method = self.methods.pick(rng)
            area = rng.choice(areas)
            if method in (_PSYCH_TEST, _QABILET, _INTERVIEW):
                staff_id, who = school.psychologist
            else:
                staff_id, who = self._teacher(school, area.subject)
            text = rng.choice(words.DIAGNOSTIC_RESULTS[method])[li]
            rows.append({
                "pupil_id": pupil_id, "method": method,
                "date": self._past(self.diagnostics_from, self.current.last_day),
                "result": text.format(field=area.name, score=rng.randint(105, 135)
                                      if method == _PSYCH_TEST
                                      else rng.randint(5, 15)),
                "conducted_by": who, "staff_id": staff_id,
            })

    def _achievements(self, pupil_id: str, school: _School, grade: int, rural: bool,
                      areas: list[_Area], li: int, t: dict[str, list[dict[str, Any]]],
                      project: tuple[str, str] | None) -> tuple[int, list[_Prize]]:
        """Write the pupil's achievements; returns the rank of the best prize level (-1: none)
        and this year's prizes.

        This year's results are results of the calendar's stages: the pupil is a participant
        of the stage, and the achievement is that participant's result (a stage still to
        come has the participant, and no result yet). Earlier years' results were typed in
        before the calendar existed: they name their event only.
        """
        rng = self.rng
        rows = t["achievements"]
        best = -1
        prizes: list[_Prize] = []
        seen: set[tuple[str, str, str]] = set()
        for _i in range(self.achievement_counts.pick(rng)):
            area = rng.choice(areas)
            back = self.years_back.pick(rng)
            if grade - back < 1:
                back = 0
            rank = self.level_ranks.pick(rng)
            # Not every event exists for every field and grade: look downwards from the drawn
            # level first (a district result is likelier than a higher one), then upwards.
            found = None
            for r in [*range(rank, -1, -1), *range(rank + 1, 5)]:
                found = self.events.get((area.key, _LEVELS[r], grade - back, rural))
                if found:
                    rank = r
                    break
            if not found:
                continue
            kind, level, name_kk, name_ru, *_rest = rng.choice(found)
            month = rng.choice(words.EVENT_MONTHS[level])
            start = self.year.start - back
            when = date(start if month >= 9 else start + 1, month, rng.randint(1, 28))
            if when > self.today:
                # Not held yet this year: take last year's edition of the event.
                back += 1
                when = when.replace(year=when.year - 1)
                if back > 2 or grade - back < 1 or when > self.today:
                    continue
            year_label = AcademicYear.containing(when).label
            key = (name_kk, year_label, area.key)
            if key in seen:
                continue
            seen.add(key)
            award = self.awards[kind, level].pick(rng)
            teacher_id, _who = self._teacher(school, area.subject)
            row = {"pupil_id": pupil_id, "event_name": (name_kk, name_ru)[li],
                   "event_kind": kind, "level": level, "academic_year": year_label,
                   "award": award, "subject": area.name, "date": when, "teacher_id": teacher_id}
            stage = self.calendar.get((name_kk, level)) if year_label == self.year.label else None
            if stage is not None:
                entry: dict[str, Any] = {"id": participant_id(stage.stage_id, pupil_id,
                                                              area.name), "pupil_id": pupil_id,
                                         "stage_id": stage.stage_id, "subject": area.name,
                                         "teacher_id": teacher_id}
                if project is not None and kind == "science_projects":
                    entry["project_id"] = project[0]
                t["participants"].append(entry)
                if stage.last > self.today:
                    continue  # registered for a stage still to come: no result yet
                row.update(id=result_id(entry["id"]), event_name=stage.event_name,
                           event_id=stage.event_id, stage_id=stage.stage_id, date=stage.last)
                if kind == "subject_olympiad":
                    row["score"] = _SCORE_FLOOR.get(award, 30) + rng.randint(0, 14)
                if award in _PLACES:
                    row["place"] = _PLACES[award]
            rows.append(row)
            if award not in _NOT_PRIZES:
                best = max(best, rank)
                if year_label == self.year.label:
                    prizes.append(_Prize(row.get("id"), rank, kind))
        return best, prizes

    def _project(self, pupil_id: str, school: _School, grade: int, areas: list[_Area], li: int,
                 rows: list[dict[str, Any]]) -> tuple[str, str] | None:
        """A research project of this year for some pupils of grades 5–11 (seed 003: the
        school's scientific society, with university mentors); returns (id, field key)."""
        rng = self.rng
        topical = [a for a in areas if a.key in words.PROJECT_TOPICS]
        if grade < 5 or not topical or rng.random() >= 0.12:
            return None
        area = rng.choice(topical)
        project_id = new_id()
        supervisor, _who = self._teacher(school, area.subject)
        row: dict[str, Any] = {
            "id": project_id, "pupil_id": pupil_id, "academic_year": self.year.label,
            "topic": rng.choice(words.PROJECT_TOPICS[area.key])[li], "section": area.name,
            "supervisor_id": supervisor}
        if rng.random() < 0.6:
            row["mentor_name"] = " ".join(self.names.adult(rng, rng.random() < 0.8,
                                                           rng.random() < 0.5))
            row["mentor_organisation"] = rng.choice(words.UNIVERSITIES)
        rows.append(row)
        return project_id, area.key

    def _support(self, pupil_id: str, ctx: _PupilContext, prizes: list[_Prize],
                 activities: list[dict[str, Any]], t: dict[str, list[dict[str, Any]]]) -> None:
        """Support this year for a target-group pupil with this year's prizes: scholarships,
        forum invitations, camps, applications to specialised schools — each linked to the
        road-map activity it fulfils when that has begun (``activities``: those of the
        pupil's road map of this year, as written)."""
        rng = self.rng
        rand = rng.random
        year = self.year
        best = max(prizes, key=lambda p: p.rank)
        basis = best.achievement_id
        regional = best.rank >= EventLevel.REGIONAL.rank
        academic = [p for p in prizes if p.kind in ("subject_olympiad", "science_projects")]
        records: list[SupportRecord] = []
        if regional and rand() < 0.6:
            district = ctx.school.district
            if district not in self.orders:
                self.orders[district] = (str(100 + len(self.orders) * 7 + rng.randint(1, 6)),
                                         year.first_day + timedelta(days=rng.randint(25, 40)))
            number, signed = self.orders[district]
            if signed <= self.today:
                named = best.rank >= EventLevel.REPUBLICAN.rank or rand() < 0.3
                records.append(SupportRecord(
                    pupil_id, SupportMeasure.SCHOLARSHIP, year.label,
                    kind=ScholarshipKind.NAMED if named else ScholarshipKind.STATE,
                    title=words.SCHOLARSHIP_TITLES[0] if named else None,
                    amount=rng.choice((15000, 20000, 25000, 30000, 40000)),
                    start_date=date(year.start, 10, 1), end_date=date(year.start + 1, 5, 31),
                    order_number=number, order_date=signed, achievement_id=basis))
        if regional and rand() < 0.5:
            records.append(SupportRecord(
                pupil_id, SupportMeasure.FORUM, year.label, title=words.FORUM_TITLE,
                place=words.FORUM_PLACE, start_date=date(year.start + 1, 4, 24),
                end_date=date(year.start + 1, 4, 24), achievement_id=basis))
        if academic and rand() < 0.15:
            start = date(year.start + 1, 6, 10 + rng.randint(0, 20))
            records.append(SupportRecord(
                pupil_id, SupportMeasure.SUMMER_CAMP, year.label, title=rng.choice(words.CAMPS),
                start_date=start, end_date=start + timedelta(days=14),
                achievement_id=academic[0].achievement_id))
        if set(ctx.categories) & {_ASSISTANCE, _LOW_INCOME, _LARGE} and rand() < 0.12:
            start = date(year.start + 1, 7, 1 + rng.randint(0, 20))
            records.append(SupportRecord(
                pupil_id, SupportMeasure.HEALTH_CAMP, year.label, place=rng.choice(
                    words.HEALTH_CAMPS), start_date=start, end_date=start + timedelta(days=18),
                achievement_id=basis))
        if academic and 4 <= ctx.grade <= 7 and rand() < 0.3:
            decided = date(year.start + 1, 4, 15) <= self.today
            status = (SupportStatus.APPLIED if not decided else
                      SupportStatus.ADMITTED if rand() < 0.55 else SupportStatus.REFUSED)
            records.append(SupportRecord(
                pupil_id, SupportMeasure.SPECIALISED_SCHOOL, year.label, status=status,
                place=rng.choice(words.SPECIALISED_SCHOOLS),
                achievement_id=academic[0].achievement_id))
        if not records:
            return
        t_doc = gettext_for("ru" if ctx.li else "kk")
        for record in records:
            for activity in activities:
                started = activity.get("start_date") or self.current.quarters[
                    activity["due_quarter"] - 1].start
                if (activity["measure"] == record.measure.value and started <= self.today
                        and activity["status"] in (_PLANNED, _IN_PROGRESS)):
                    activity["status"] = (_IN_PROGRESS if record.status == SupportStatus.APPLIED
                                          else _DONE)
                    activity["result"] = describe_record(record, t_doc)
                    record.activity_id = activity.setdefault("id", new_id())
                    break
            t["support_records"].append(to_row(record))

    # -- road maps ------------------------------------------------------------------------
    def _road_map(self, pupil_id: str, ctx: _PupilContext, year: _Year,
                  t: dict[str, list[dict[str, Any]]]) -> str:
        rng = self.rng
        rand = rng.random
        today = self.today
        li = ctx.li
        school = ctx.school
        closed = year.closed
        coordinator = self.coordinators[school.district]
        mentor = rng.choice(school.mentors) if school.mentors else self._teacher(
            school, ctx.areas[0].subject)
        map_id = new_id()
        row: dict[str, Any] = {
            "id": map_id, "pupil_id": pupil_id, "academic_year": year.label,
            "identification": rng.choice(words.IDENTIFICATION)[li],
            "strengths": rng.choice(words.STRENGTHS)[li],
            "interests": ", ".join(a.name for a in ctx.areas),
            "coordinator_id": coordinator[0], "mentor_id": mentor[0],
            "psychologist_id": school.psychologist[0],
        }
        signed_on = self._past(year.sign_from, year.sign_to)
        if closed:
            row["status"] = _CLOSED
            row["signed_date"] = signed_on
            row["closed_date"] = self._past(year.quarters[3].end, year.last_day)
        elif today < year.sign_from:
            row["status"] = _DRAFT
        else:
            r = rand()
            if r < 0.12:
                row["status"] = _DRAFT
            elif r < 0.45:
                row["status"] = _ACTIVE_MAP
            else:
                row["status"] = _SIGNED
                row["signed_date"] = signed_on
        t["road_maps"].append(row)

        # Goals: one or two from the pupil's areas, the rest general or for the grade.
        goal_rows = t["goals"]
        texts: list[str] = []
        for area in ctx.areas[:2]:
            texts.append(rng.choice(words.GOALS[area.kind])[li].format(field=area.name))
        grade_goals = [g for g in words.GRADE_GOALS if g[0] <= ctx.grade <= g[1]]
        if grade_goals and rand() < 0.7:
            _low, _high, kk, ru = rng.choice(grade_goals)
            texts.append((kk, ru)[li])
        for general in rng.sample(words.GENERAL_GOALS, len(words.GENERAL_GOALS)):
            texts.append(general[li])
        wanted = self.goal_counts.pick(rng)
        unique = list(dict.fromkeys(texts))[:wanted]
        for position, text in enumerate(unique):
            goal: dict[str, Any] = {"road_map_id": map_id, "text": text, "position": position}
            if closed and rand() < 0.55:
                goal["achieved"] = True
            goal_rows.append(goal)

        self._activities(map_id, ctx, year, coordinator, mentor, t["activities"])

        if row["status"] != _DRAFT:
            past = year.past_quarters
            if past:
                n = min(len(past), rng.randint(1, 3))
                for q in sorted(rng.sample(past, n), key=lambda q: q.number):
                    area = rng.choice(ctx.areas)
                    t["reviews"].append({
                        "road_map_id": map_id, "quarter": q.number,
                        "text": rng.choice(words.REVIEWS)[li].format(field=area.name),
                        "date": min(today, q.end + timedelta(days=rng.randint(1, 14))),
                        "author": mentor[1] if rand() < 0.6 else coordinator[1],
                    })
        return map_id

    def _activities(self, map_id: str, ctx: _PupilContext, year: _Year,
                    coordinator: tuple[str, str], mentor: tuple[str, str],
                    rows: list[dict[str, Any]]) -> None:
        rng = self.rng
        li = ctx.li
        intellectual = [a for a in ctx.areas if a.kind == words.INTELLECTUAL]
        choice = self.measures_for(ctx)
        count = self.activity_counts.pick(rng)
        made: list[tuple[date, dict[str, Any]]] = []
        seen: set[tuple[str, str]] = set()
        # Every plan starts with the work on the main ability: olympiad preparation or a club.
        measure = _OLYMPIAD_PREP if intellectual else _CLUB
        attempts = 0
        while len(made) < count and attempts < 50:
            attempts += 1
            if made:
                measure = choice.pick(rng)
            olympiad = measure == _OLYMPIAD_PREP
            area = rng.choice(intellectual if olympiad and intellectual else ctx.areas)
            template = rng.choice(words.ACTIVITY_TITLES[measure])[li]
            # One line per measure and area (or per title where the title names no area): two
            # olympiad preparations in the same subject would be the same line twice.
            key = (measure, area.key if "{field}" in template else template)
            if key in seen:
                continue
            seen.add(key)
            title = template.format(field=area.name, club=words.CLUB_WORDS[area.kind][li])
            start, due, quarter = self._activity_dates(measure, year)
            if measure == _TRAINING:
                responsible = ctx.school.psychologist
            elif measure in _COORDINATOR_MEASURES:
                responsible = coordinator
            elif measure in _TEACHER_MEASURES:
                responsible = self._teacher(ctx.school, area.subject)
            else:
                responsible = mentor
            row: dict[str, Any] = {"road_map_id": map_id, "measure": measure, "title": title,
                                   "responsible": responsible[1],
                                   "responsible_id": responsible[0]}
            if quarter is None:
                row["start_date"] = start
                row["due_date"] = due
            else:
                row["due_quarter"] = quarter
            status = self._status(start, due, year.closed)
            row["status"] = status
            if status == _DONE:
                row["result"] = rng.choice(words.ACTIVITY_RESULTS[measure])[li]
            elif status == _CANCELLED:
                row["result"] = rng.choice(words.CANCEL_REASONS)[li]
            made.append((start, row))
        made.sort(key=lambda pair: pair[0])
        for position, (_start, row) in enumerate(made):
            row["position"] = position
            rows.append(row)

    def _activity_dates(self, measure: str, year: _Year) -> tuple[date, date, int | None]:
        """Start, due date and, for activities planned by quarter only, the quarter."""
        rng = self.rng
        q = year.quarters
        y = year.start
        if measure in _QUARTER_MEASURES and rng.random() < 0.7:
            quarter = rng.choice(q)
            return quarter.start, quarter.end, quarter.number
        if measure == _CLUB:
            return q[0].start + timedelta(days=rng.randint(0, 20)), q[3].end, None
        if measure == _OLYMPIAD_PREP:
            start = q[0].start + timedelta(days=rng.randint(7, 40))
            return start, rng.choice((q[1].end, q[2].end)), None
        if measure in (_SUMMER_CAMP, _HEALTH_CAMP):
            start = date(y + 1, 6, 1) + timedelta(days=rng.randint(0, 60))
            return start, start + timedelta(days=rng.choice((14, 18, 21))), None
        if measure == _GRANT:
            return date(y + 1, 6, 1), date(y + 1, 8, rng.randint(5, 20)), None
        if measure == _SPECIALISED:
            start = q[1].start + timedelta(days=rng.randint(0, 30))
            return start, date(y + 1, 3, rng.randint(1, 15)), None
        if measure in (_FORUM, _VISIT,
                       _COMPETITION):
            quarter = rng.choice(q)
            day = _within(quarter, rng)
            return day, day, None
        # Technopark, distance courses and the like: a block of two to four months.
        quarter = rng.choice(q[:3])
        start = _within(quarter, rng)
        return start, start + timedelta(days=rng.randint(45, 120)), None

    def _status(self, start: date, due: date, closed: bool) -> str:
        r = self.rng.random()
        if closed or (start == due and due < self.today):
            # A closed plan has nothing left open, and a one-day event is over: what did not
            # happen was dropped.
            return _DONE if r < 0.9 else _CANCELLED
        if due < self.today:
            return _DONE if r < 0.88 else _IN_PROGRESS if r < 0.94 else _CANCELLED
        if start <= self.today:
            return _IN_PROGRESS if r < 0.92 else _DONE if r < 0.97 else _CANCELLED
        return _PLANNED if r < 0.96 else _CANCELLED

    def measures_for(self, ctx: _PupilContext) -> _Choice[str]:
        """Support measures that suit the pupil: grants in grade 11, scholarships for winners."""
        key = (ctx.grade, ctx.best >= EventLevel.REGIONAL.rank,
               any(a.kind == words.INTELLECTUAL for a in ctx.areas), bool(ctx.categories))
        found = self._measure_choices.get(key)
        if found is None:
            grade, winner, intellectual, vulnerable = key
            weights = dict(_MEASURE_WEIGHTS)
            if not intellectual:
                weights[_OLYMPIAD_PREP] = 0
            if grade != 11:
                weights[_GRANT] = 0
            if not 5 <= grade <= 9:
                weights[_SPECIALISED] = 0
            if not winner:
                weights[_SCHOLARSHIP] = 0
                weights[_FORUM] = 1
            if vulnerable:
                weights[_HEALTH_CAMP] *= 2
            found = _Choice(list(weights), list(weights.values()))
            self._measure_choices[key] = found
        return found

    # -- set-up of the draws --------------------------------------------------------------
    def prepare_draws(self) -> None:
        """Weighted choices used for every pupil, built once."""
        school_weights = []
        for school in self.schools:
            base = 0.35 if school.small else 1.0 if school.site.rural else 1.8
            school_weights.append(base * self.rng.uniform(0.6, 1.4))
        self.school_choice = _Choice(self.schools, school_weights)
        # More gifted pupils are identified in the upper grades, where olympiads begin.
        grade_weights = (3, 4, 6, 7, 9, 10, 11, 12, 13, 12, 11)
        self.grades = _Choice(range(1, 12), grade_weights)
        self.small_grades = _Choice(range(1, 10), grade_weights[:9])
        self.area_counts = _Choice((1, 2, 3), (45, 38, 17))
        self.area_kinds = _Choice(
            (words.INTELLECTUAL, words.CREATIVE, words.SPORT, words.TECHNICAL), (55, 18, 17, 10))
        self.fields_by_kind = {
            kind: _Choice([f for f in words.FIELDS if f[1] == kind],
                          [f[5] for f in words.FIELDS if f[1] == kind])
            for kind in (words.INTELLECTUAL, words.CREATIVE, words.SPORT, words.TECHNICAL)}
        self.methods = _pairs([
            (DiagnosticMethod.TEACHER_NOMINATION.value, 25),
            (DiagnosticMethod.OLYMPIAD_RESULT.value, 20),
            (DiagnosticMethod.PSYCHOLOGICAL_TEST.value, 20), (DiagnosticMethod.QABILET.value, 15),
            (DiagnosticMethod.PORTFOLIO.value, 10), (DiagnosticMethod.INTERVIEW.value, 7),
            (DiagnosticMethod.OTHER.value, 3)])
        self.achievement_counts = _Choice(range(7), (14, 20, 22, 18, 12, 8, 6))
        self.goal_counts = _Choice((2, 3, 4), (45, 40, 15))
        self.years_back = _Choice((0, 1, 2), (45, 35, 20))
        self.level_ranks = _Choice(range(5), (30, 30, 21, 14, 5))
        self.awards = _award_choices()
        # Five to twelve activities, most plans near the lower end (as written in practice).
        self.activity_counts = _Choice(range(5, 13), (40, 25, 12, 8, 5, 4, 3, 3))
        self._measure_choices: dict[tuple[int, bool, bool, bool], _Choice[str]] = {}


class _Prefetcher:
    """Makes the next chunk on a helper thread while SQLite commits the current one.

    The commit (writing and encrypting the WAL pages, the checkpoint) runs in C without the
    GIL, so the helper can generate meanwhile. At other times it waits: letting it run while
    rows are inserted would make the threads fight over the GIL on every row, which is slower
    than no helper at all. Only one thread at a time generates, chunk after chunk, so a seed
    still gives the same data.
    """

    #: Pupils generated between looks at the gate, so that the helper stops soon after.
    BATCH = 20

    def __init__(self, gen: _Generator) -> None:
        self._gen = gen
        self._gate = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._tables: dict[str, list[dict[str, Any]]] | None = None
        self._error: BaseException | None = None

    def start(self, count: int) -> None:
        """Begin the next chunk of ``count`` pupils (made while the gate is open)."""
        self._tables, self._error = None, None
        self._thread = threading.Thread(target=self._work, args=(count,),
                                        name="daryn-demo", daemon=True)
        self._thread.start()

    def _work(self, count: int) -> None:
        try:
            tables: dict[str, list[dict[str, Any]]] = {table: [] for table in _TABLES}
            done = dict.fromkeys(_TABLES, 0)
            made = 0
            while made < count:
                self._gate.wait()
                if self._stopping:
                    return
                batch = min(self.BATCH, count - made)
                for _i in range(batch):
                    self._gen.pupil(tables)
                made += batch
                self._give_ids(tables, done)
            self._tables = tables
        except BaseException as exc:  # handed to the main thread by result()
            self._error = exc

    @staticmethod
    def _give_ids(tables: dict[str, list[dict[str, Any]]], done: dict[str, int]) -> None:
        """Give the rows made since ``done`` (per table) the ids the writer would give them.

        Here, while SQLite commits, rather than on the thread that inserts the rows.
        """
        for table, rows in tables.items():
            for row in rows[done[table]:]:
                if not row.get("id"):
                    row["id"] = new_id()
            done[table] = len(rows)

    def run(self) -> None:
        """Let the helper work (the caller is about to spend time outside Python)."""
        self._gate.set()

    def pause(self) -> None:
        self._gate.clear()

    def result(self) -> dict[str, list[dict[str, Any]]]:
        """The chunk begun by :meth:`start`, waiting for it to be finished."""
        assert self._thread is not None
        self._gate.set()
        self._thread.join()
        self._gate.clear()
        if self._error is not None:
            raise self._error
        assert self._tables is not None
        return self._tables

    def stop(self) -> None:
        """End the helper, finished or not (after an error or a cancel)."""
        self._stopping = True
        self._gate.set()
        if self._thread is not None:
            self._thread.join()


@dataclass(frozen=True)
class _Year:
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
    def make(cls, year: AcademicYear, today: date, *, closed: bool) -> _Year:
        quarters = YearCalendar.default(year).quarters
        return cls(year.start, year.label, year.first_day, year.last_day, quarters,
                   tuple(q for q in quarters if q.end < today), closed,
                   year.first_day + timedelta(days=10), year.first_day + timedelta(days=60))


@dataclass(frozen=True)
class _Stage:
    """A stage of this year's calendar, as the results of its entries need it."""

    event_id: str
    stage_id: str
    event_name: str
    start: date
    last: date


@dataclass(frozen=True)
class _Prize:
    """A prize of this year: its achievement, the level's rank and the kind of event."""

    achievement_id: str | None
    rank: int
    kind: str


@dataclass(frozen=True)
class _Area:
    key: str
    kind: str
    name: str  # in the pupil's language
    subject: str  # who teaches it (a key of words.TEACHER_SUBJECTS)


@dataclass(frozen=True)
class _PupilContext:
    school: _School
    grade: int
    li: int  # 0: Kazakh texts, 1: Russian
    areas: list[_Area]
    best: int  # rank of the best prize level, -1 for none
    categories: list[str]

    def _replace_grade(self, grade: int) -> _PupilContext:
        return _PupilContext(self.school, grade, self.li, self.areas, self.best, self.categories)


def _within(quarter: Quarter, rng: random.Random) -> date:
    return quarter.start + timedelta(days=rng.randrange((quarter.end - quarter.start).days + 1))


_NOT_PRIZES = frozenset(a.value for a in Award if not a.is_prize)
_PLACES = {Award.PLACE_1.value: 1, Award.PLACE_2.value: 2, Award.PLACE_3.value: 3}
#: Olympiad scores (out of 100) from which each award is given, roughly.
_SCORE_FLOOR = {a.value: floor for a, floor in (
    (Award.GOLD, 85), (Award.PLACE_1, 85), (Award.DIPLOMA_1, 85), (Award.SILVER, 72),
    (Award.PLACE_2, 72), (Award.DIPLOMA_2, 72), (Award.BRONZE, 60), (Award.PLACE_3, 60),
    (Award.DIPLOMA_3, 60), (Award.HONOURABLE_MENTION, 50), (Award.CERTIFICATE_OF_MERIT, 45))}
_COORDINATOR_MEASURES = frozenset(m.value for m in (
    SupportMeasure.FORUM, SupportMeasure.VISIT, SupportMeasure.HEALTH_CAMP,
    SupportMeasure.SCHOLARSHIP, SupportMeasure.GRANT, SupportMeasure.SUMMER_CAMP))
_TEACHER_MEASURES = frozenset(m.value for m in (
    SupportMeasure.OLYMPIAD_PREPARATION, SupportMeasure.CLUB, SupportMeasure.COMPETITION,
    SupportMeasure.DISTANCE_COURSE, SupportMeasure.TECHNOPARK))
# Measures a coordinator often plans by quarter rather than by date.
_QUARTER_MEASURES = frozenset(m.value for m in (
    SupportMeasure.PSYCHOLOGICAL_TRAINING, SupportMeasure.SCHOLARSHIP, SupportMeasure.OTHER,
    SupportMeasure.VISIT))
_MEASURE_WEIGHTS: dict[str, float] = {
    _OLYMPIAD_PREP: 14, _CLUB: 16,
    _TECHNOPARK: 6, _SUMMER_CAMP: 7,
    _TRAINING: 10, _FORUM: 4,
    _VISIT: 8, _HEALTH_CAMP: 5,
    _SCHOLARSHIP: 5, _GRANT: 12,
    _SPECIALISED: 10, _DISTANCE: 8,
    _COMPETITION: 12, _OTHER: 4,
}


def _award_choices() -> dict[tuple[str, str], _Choice[str]]:
    """Awards by event kind and level: medals at republican and international olympiads,
    places and diplomas below them, and many participants everywhere."""
    places = [(Award.PLACE_1, 9), (Award.PLACE_2, 13), (Award.PLACE_3, 17),
              (Award.CERTIFICATE_OF_MERIT, 14), (Award.PARTICIPANT, 30)]
    diplomas = [(Award.DIPLOMA_1, 6), (Award.DIPLOMA_2, 9), (Award.DIPLOMA_3, 13)]
    medals = [(Award.GOLD, 7), (Award.SILVER, 11), (Award.BRONZE, 17)]
    table: dict[tuple[str, str], list[tuple[Award, float]]] = {}
    for event in words.EVENTS:
        kind, level = event[0], event[1]
        if (kind, level) in table:
            continue
        olympiad = kind == "subject_olympiad"
        if level == words.INTERNATIONAL:
            pairs = ([*medals, (Award.HONOURABLE_MENTION, 16), (Award.PARTICIPANT, 45)]
                     if olympiad else
                     [*diplomas, (Award.GRAND_PRIX, 1), (Award.CERTIFICATE_OF_MERIT, 10),
                      (Award.PARTICIPANT, 45)])
        elif level == words.REPUBLICAN and olympiad:
            pairs = [*medals, (Award.DIPLOMA_3, 6), (Award.CERTIFICATE_OF_MERIT, 14),
                     (Award.PARTICIPANT, 30)]
        elif kind in ("creative_contest", "festival"):
            pairs = [*places, *diplomas, (Award.GRAND_PRIX, 2)]
        elif kind in ("science_projects", "debate", "intellectual_game"):
            pairs = [*diplomas, (Award.PLACE_1, 3), (Award.CERTIFICATE_OF_MERIT, 14),
                     (Award.PARTICIPANT, 30)]
        elif olympiad:
            pairs = [*places, *diplomas]
        else:  # sport, robotics
            pairs = places
        table[kind, level] = [(award, weight) for award, weight in pairs]
    return {key: _Choice([a.value for a, _w in pairs], [w for _a, w in pairs])
            for key, pairs in table.items()}


def generate(store: Store, pupils: int, *, seed: int = 1, academic_year: str | None = None,
             progress: Callable[[Progress], None] | None = None,
             cancel: CancelToken | None = None, today: date | None = None) -> DemoSummary:
    """Fill ``store`` with ``pupils`` synthetic gifted pupils of its territory.

    Schools (about one per 90 pupils, in real settlements of the installation's district or
    region) and their staff are written first, then the pupils in chunks of ``CHUNK``, each
    with its guardians, categories, areas, diagnostics, achievements and road maps, one
    transaction per chunk. The same ``seed``, number, year and ``today`` give the same data
    (only ids and clocks differ). ``academic_year`` ("2025-2026") defaults to the one
    containing ``today``, itself the real date unless given. A cancelled run keeps the chunks
    already committed.
    """
    if pupils < 0:
        raise ValueError("the number of pupils cannot be negative")
    # The run makes millions of small dicts: the cyclic collector would walk them again and
    # again for nothing (about a tenth of the run time).
    with cyclic_gc_paused(), store.bulk_cache():
        return _generate(store, pupils, seed=seed, academic_year=academic_year,
                         progress=progress, cancel=cancel, today=today)


def _generate(store: Store, pupils: int, *, seed: int, academic_year: str | None,
              progress: Callable[[Progress], None] | None, cancel: CancelToken | None,
              today: date | None) -> DemoSummary:
    started = time.perf_counter()
    today = today or date.today()
    year = AcademicYear.parse(academic_year) if academic_year else AcademicYear.containing(today)
    summary = DemoSummary()
    if cancel is not None:
        cancel.raise_if_cancelled()
    gen = _Generator(store, seed, year, today)
    school_rows, staff_rows = gen.make_schools(pupils)
    event_rows, stage_rows = gen.make_calendar()
    training_rows = gen.make_trainings(staff_rows)
    with store.transaction() as writer:
        summary.schools = writer.insert_many("schools", school_rows)
        summary.staff = writer.insert_many("staff", staff_rows)
        summary.staff_trainings = writer.insert_many("staff_trainings", training_rows)
        summary.events = writer.insert_many("events", event_rows)
        summary.event_stages = writer.insert_many("event_stages", stage_rows)
    gen.prepare_draws()

    message = _(MSG_PROGRESS)
    if progress is not None:
        progress(Progress(0, pupils, message))
    sizes = [min(CHUNK, pupils - start) for start in range(0, pupils, CHUNK)]
    done = 0
    ahead = _Prefetcher(gen)
    try:
        if sizes:
            ahead.start(sizes[0])
        for i, size in enumerate(sizes):
            if cancel is not None:
                cancel.raise_if_cancelled()
            tables = ahead.result()
            if i + 1 < len(sizes):
                ahead.start(sizes[i + 1])
            with store.transaction() as writer:
                # Parents before children: pupils, what hangs on them, then road-map parts.
                for table in _TABLES[2:]:
                    added = writer.insert_many(table, tables[table])
                    setattr(summary, table, getattr(summary, table) + added)
                # The commit, which ends this block, runs without the GIL.
                ahead.run()
            ahead.pause()
            done += size
            if progress is not None:
                progress(Progress(done, pupils, message))
    finally:
        ahead.stop()
    summary.seconds = time.perf_counter() - started
    return summary
