"""Demo schools in real settlements of the territory, their staff and its training."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from itertools import chain
from itertools import count as itertools_count
from typing import Any

from daryn_desktop.core.enums import Role, StaffRole
from daryn_desktop.core.ids import new_id
from daryn_desktop.core.territory import Place, gazetteer
from daryn_desktop.demo import names as words
from daryn_desktop.demo.draws import Choice
from daryn_desktop.demo.people import phone, short_name
from daryn_desktop.demo.run import Part, Run, School
from daryn_desktop.demo.territory import Site, allocate, district_sites
from daryn_desktop.demo.values import KK, MIXED, RU

#: Gifted pupils per school on average (the brief: one school per 60–120 of them).
PUPILS_PER_SCHOOL = 90

# Regions where Russian-language schools are common.
_NORTHERN_REGIONS = ("110000000", "350000000", "390000000", "550000000", "590000000",
                     "630000000", "100000000")
#: Share of staff with Kazakh names by the school's language.
_KAZAKH_STAFF_SHARE = {KK: 0.95, MIXED: 0.7, RU: 0.4}

_SCHOOL_LANGUAGES = {
    # (northern region, rural): weights of kk, mixed, ru
    (False, True): (72, 16, 12),
    (False, False): (45, 27, 28),
    (True, True): (45, 25, 30),
    (True, False): (28, 30, 42),
}


class Schools(Part):
    """Schools with their teachers, mentors, psychologist and heads, and district coordinators."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.store = run.store
        self.gaz = gazetteer()
        self.schools = run.schools
        self.coordinators = run.coordinators

    def districts(self) -> list[tuple[Place, list[Site]]]:
        inst = self.store.installation
        gaz = self.gaz
        region = gaz.find(inst.region_kato)
        if inst.role == Role.DISTRICT and inst.district_kato:
            district = gaz.get(inst.district_kato)
            return [(district, district_sites(gaz, district, gaz.region_of(district.code)))]
        if region is None:
            raise ValueError(f"unknown region {inst.region_kato!r}")
        return [(d, district_sites(gaz, d, region)) for d in gaz.districts(region.code)]

    def make_schools(self, pupils: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """School and staff rows; fills ``self.schools`` and ``self.coordinators``."""
        rng = self.rng
        districts = self.districts()
        n_schools = max(1, round(pupils / PUPILS_PER_SCHOOL))
        weights = [sum(s.weight for s in sites) for _d, sites in districts]
        if n_schools >= len(districts):
            # Every district gets one school first; the rest follow the settlement weights.
            counts = [1 + c for c in allocate(n_schools - len(districts), weights, rng)]
        else:
            counts = allocate(n_schools, weights, rng)
        northern = self.store.installation.region_kato in _NORTHERN_REGIONS
        school_rows: list[dict[str, Any]] = []
        staff_rows: list[dict[str, Any]] = []
        for (district, sites), count in zip(districts, counts):
            if count == 0:
                continue
            coordinator = self._staff(staff_rows, StaffRole.COORDINATOR, None, KK, None)
            self.coordinators[district.code] = coordinator
            site_choice = Choice(sites, [s.weight for s in sites])
            rural_sites = [s for s in sites if s.rural]
            taken: set[str] = set()
            # School numbers in a district: shuffled low ones first, then as many as needed.
            low = max(12, 2 * count)
            numbers = chain(rng.sample(range(1, low + 1), low), itertools_count(low + 1))
            for _i in range(count):
                site = site_choice.pick(rng)
                lang = Choice((KK, MIXED, RU), _SCHOOL_LANGUAGES[northern, site.rural]
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
                self.schools.append(School(school_id, district.code, site, lang, small,
                                           teachers, mentors, psychologist, catchment))
        return school_rows, staff_rows

    def _school_name(self, site: Site, lang: str, small: bool, taken: set[str],
                     numbers: Iterator[int]) -> str:
        rng = self.rng
        russian = lang == RU or (lang == MIXED and rng.random() < 0.4)
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
            row["phone"] = phone(rng)
        rows.append(row)
        return staff_id, short_name(surname, given, patronymic)

    def _school_staff(self, rows: list[dict[str, Any]], school_id: str, lang: str, small: bool,
                      urban: bool) -> tuple[dict[str, list[tuple[str, str]]],
                                            list[tuple[str, str]], tuple[str, str]]:
        rng = self.rng
        li = 1 if lang == RU else 0
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
    def make_trainings(self, staff_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Courses and seminars of teachers, mentors, psychologists and coordinators over the
        last five years (some have none for longer: the "not trained" list is never empty)."""
        rng = self.rng
        counts = Choice((0, 1, 2, 3), (22, 38, 28, 12))
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
