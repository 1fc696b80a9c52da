"""A demo pupil with guardians, categories, areas and diagnostics, then results and plans."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from daryn_desktop.core.enums import DiagnosticMethod, GuardianRelation
from daryn_desktop.core.ids import new_id
from daryn_desktop.core.iin import check_digit
from daryn_desktop.demo import names as words
from daryn_desktop.demo.achievements import Achievements
from daryn_desktop.demo.draws import Choice, pairs
from daryn_desktop.demo.people import feminine, phone
from daryn_desktop.demo.roadmaps import RoadMaps
from daryn_desktop.demo.run import Area, Part, PupilContext, Run, School
from daryn_desktop.demo.support import Support
from daryn_desktop.demo.values import (
    ACTIVE,
    ASSISTANCE,
    DISABILITY,
    EMERGENCY,
    FEMALE,
    INTERVIEW,
    KK,
    LARGE,
    LOW_INCOME,
    MALE,
    MIXED,
    NO_CARE,
    ORPHAN,
    PSYCH_TEST,
    QABILET,
    RU,
    SINGLE,
)

#: The tables a chunk of pupils fills, parents first (schools and staff are written before).
TABLES = ("schools", "staff", "pupils", "guardians", "pupil_categories", "giftedness_areas",
          "diagnostics", "research_projects", "participants", "achievements", "road_maps",
          "goals", "activities", "reviews", "support_records")

#: Share of children with Kazakh names by the school's language: about three in four overall.
KAZAKH_SHARE = {KK: 0.9, MIXED: 0.55, RU: 0.25}


class Pupils(Part):
    """Makes pupils one after another, each with everything that belongs to them."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.used_iins = run.used_iins
        self.previous = run.previous
        self.consent_from, self.consent_to = run.consent_from, run.consent_to
        self.diagnostics_from = run.diagnostics_from
        self.achievements = Achievements(run)
        self.road_maps = RoadMaps(run)
        self.support = Support(run)
        # Weighted choices used for every pupil, built once.
        school_weights = []
        for school in self.run.schools:
            base = 0.35 if school.small else 1.0 if school.site.rural else 1.8
            school_weights.append(base * self.rng.uniform(0.6, 1.4))
        self.school_choice = Choice(self.run.schools, school_weights)
        # More gifted pupils are identified in the upper grades, where olympiads begin.
        grade_weights = (3, 4, 6, 7, 9, 10, 11, 12, 13, 12, 11)
        self.grades = Choice(range(1, 12), grade_weights)
        self.small_grades = Choice(range(1, 10), grade_weights[:9])
        self.area_counts = Choice((1, 2, 3), (45, 38, 17))
        self.area_kinds = Choice(
            (words.INTELLECTUAL, words.CREATIVE, words.SPORT, words.TECHNICAL), (55, 18, 17, 10))
        self.fields_by_kind = {
            kind: Choice([f for f in words.FIELDS if f[1] == kind],
                         [f[5] for f in words.FIELDS if f[1] == kind])
            for kind in (words.INTELLECTUAL, words.CREATIVE, words.SPORT, words.TECHNICAL)}
        self.methods = pairs([
            (DiagnosticMethod.TEACHER_NOMINATION.value, 25),
            (DiagnosticMethod.OLYMPIAD_RESULT.value, 20),
            (DiagnosticMethod.PSYCHOLOGICAL_TEST.value, 20), (DiagnosticMethod.QABILET.value, 15),
            (DiagnosticMethod.PORTFOLIO.value, 10), (DiagnosticMethod.INTERVIEW.value, 7),
            (DiagnosticMethod.OTHER.value, 3)])

    def pupil(self, t: dict[str, list[dict[str, Any]]]) -> None:
        """Add one new pupil's rows, and those of all their records, to ``t`` (by table)."""
        rng = self.rng
        rand = rng.random
        school = self.school_choice.pick(rng)
        grade = (self.small_grades if school.small else self.grades).pick(rng)
        female = rand() < 0.52
        lang = school.language
        kazakh = rand() < KAZAKH_SHARE[lang]
        if lang == MIXED:
            lang = KK if kazakh and rand() < 0.7 else RU
        li = 1 if lang == RU else 0
        surname, given, patronymic, father_surname, father = self.names.child(rng, kazakh, female)
        birth = self._birth_date(grade)
        site = school.site if rand() < 0.85 else rng.choice(school.catchment)
        pupil_id = new_id()
        iin = self._iin(birth, female)
        row: dict[str, Any] = {
            "id": pupil_id, "surname": surname, "given_name": given, "iin": iin,
            "birth_date": birth, "sex": FEMALE if female else MALE, "school_id": school.id,
            "grade": grade, "language": lang, "settlement_kato": site.code, "status": ACTIVE,
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
            row["phone"] = phone(rng)
        if rand() < 0.04:
            row["notes"] = rng.choice(words.PUPIL_NOTES)[li]
        t["pupils"].append(row)

        categories = self._categories(pupil_id, birth, li, t["pupil_categories"])
        self._guardians(pupil_id, categories, kazakh, father_surname, father, li, t["guardians"])
        areas = self._areas(pupil_id, li, t["giftedness_areas"])
        self._diagnostics(pupil_id, school, areas, li, t["diagnostics"])
        project = self.achievements.project(pupil_id, school, grade, areas, li,
                                            t["research_projects"])
        best, prizes = self.achievements.make(pupil_id, school, grade, site.rural, areas, li, t,
                                              project)
        ctx = PupilContext(school, grade, li, areas, best, categories)
        activities: list[dict[str, Any]] = []
        if rand() < 0.85:
            first = len(t["activities"])
            self.road_maps.make(pupil_id, ctx, self.current, t)
            activities = t["activities"][first:]
        if grade >= 2 and rand() < 0.15:
            self.road_maps.make(pupil_id, ctx.with_grade(grade - 1), self.previous, t)
        if prizes and (site.rural or categories):
            self.support.make(pupil_id, ctx, prizes, activities, t)

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
    def _categories(self, pupil_id: str, birth: date, li: int,
                    rows: list[dict[str, Any]]) -> list[str]:
        rng = self.rng
        rand = rng.random
        found: list[str] = []
        large = rand() < 0.30
        if large:
            found.append(LARGE)
        # Large families receive targeted assistance more often; overall about one child in five.
        if rand() < (0.35 if large else 0.1357):
            found.append(ASSISTANCE)
        if rand() < 0.10:
            found.append(LOW_INCOME)
        r = rand()
        if r < 0.01:
            found.append(ORPHAN)
        elif r < 0.022:
            found.append(NO_CARE)
        elif r < 0.07:
            found.append(SINGLE)
        if rand() < 0.02:
            found.append(DISABILITY)
        if rand() < 0.004:
            found.append(EMERGENCY)
        for category in found:
            # Social assistance is renewed often, so its evidence is recent; a family becomes
            # large, or a child an orphan, years before.
            days = 730 if category == ASSISTANCE else 2900
            since = max(birth, self.today - timedelta(days=30 + rng.randrange(days)))
            row: dict[str, Any] = {"pupil_id": pupil_id, "category": category, "since": since}
            if rand() < 0.4:
                row["note"] = rng.choice(words.CATEGORY_NOTES[category])[li].format(
                    n=rng.randint(4, 8) if category == LARGE
                    else rng.randint(100, 9999))
            rows.append(row)
        return found

    def _guardians(self, pupil_id: str, categories: list[str], kazakh: bool,
                   father_surname: str, father: str, li: int,
                   rows: list[dict[str, Any]]) -> None:
        rng = self.rng
        rand = rng.random
        names = self.names
        if ORPHAN in categories or NO_CARE in categories:
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
                mum_surname = feminine(father_surname)
                _s, mum_given, mum_patronymic = names.adult(rng, kazakh, True)
                mum = f"{mum_surname} {mum_given} {mum_patronymic}"
            else:
                mum = " ".join(names.adult(rng, kazakh, True))
            if SINGLE in categories:
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
                row["phone"] = phone(rng)
            if rand() < 0.6:
                row["workplace"] = rng.choice(workplaces)
            rows.append(row)

    def _areas(self, pupil_id: str, li: int, rows: list[dict[str, Any]]) -> list[Area]:
        rng = self.rng
        count = self.area_counts.pick(rng)
        areas: list[Area] = []
        keys: list[str] = []
        while len(areas) < count:
            kind = self.area_kinds.pick(rng)
            key, _kind, kk, ru, subject, _w = self.fields_by_kind[kind].pick(rng)
            if key in keys:
                continue
            keys.append(key)
            area = Area(key, kind, (kk, ru)[li], subject)
            areas.append(area)
            rows.append({"pupil_id": pupil_id, "kind": kind, "field": area.name})
        return areas
    def _diagnostics(self, pupil_id: str, school: School, areas: list[Area], li: int,
                     rows: list[dict[str, Any]]) -> None:
        rng = self.rng
        for _i in range(1 if rng.random() < 0.55 else 2):
            method = self.methods.pick(rng)
            area = rng.choice(areas)
            if method in (PSYCH_TEST, QABILET, INTERVIEW):
                staff_id, who = school.psychologist
            else:
                staff_id, who = self._teacher(school, area.subject)
            text = rng.choice(words.DIAGNOSTIC_RESULTS[method])[li]
            rows.append({
                "pupil_id": pupil_id, "method": method,
                "date": self._past(self.diagnostics_from, self.current.last_day),
                "result": text.format(field=area.name, score=rng.randint(105, 135)
                                      if method == PSYCH_TEST
                                      else rng.randint(5, 15)),
                "conducted_by": who, "staff_id": staff_id,
            })
