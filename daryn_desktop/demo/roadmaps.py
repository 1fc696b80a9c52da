"""A demo pupil's road maps: goals, dated activities with their status, quarterly reviews."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from daryn_desktop.core.enums import EventLevel, SupportMeasure
from daryn_desktop.core.ids import new_id
from daryn_desktop.demo import names as words
from daryn_desktop.demo.draws import Choice, within
from daryn_desktop.demo.run import Part, PlanYear, PupilContext, Run
from daryn_desktop.demo.values import (
    ACTIVE_MAP,
    CANCELLED,
    CLOSED,
    CLUB,
    COMPETITION,
    DISTANCE,
    DONE,
    DRAFT,
    FORUM,
    GRANT,
    HEALTH_CAMP,
    IN_PROGRESS,
    OLYMPIAD_PREP,
    OTHER,
    PLANNED,
    SCHOLARSHIP,
    SIGNED,
    SPECIALISED,
    SUMMER_CAMP,
    TECHNOPARK,
    TRAINING,
    VISIT,
)

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
    OLYMPIAD_PREP: 14, CLUB: 16,
    TECHNOPARK: 6, SUMMER_CAMP: 7,
    TRAINING: 10, FORUM: 4,
    VISIT: 8, HEALTH_CAMP: 5,
    SCHOLARSHIP: 5, GRANT: 12,
    SPECIALISED: 10, DISTANCE: 8,
    COMPETITION: 12, OTHER: 4,
}



class RoadMaps(Part):
    """Road maps of this year and the last, with the draws they need built once."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.coordinators = run.coordinators
        self.goal_counts = Choice((2, 3, 4), (45, 40, 15))
        # Five to twelve activities, most plans near the lower end (as written in practice).
        self.activity_counts = Choice(range(5, 13), (40, 25, 12, 8, 5, 4, 3, 3))
        self._measure_choices: dict[tuple[int, bool, bool, bool], Choice[str]] = {}

    def make(self, pupil_id: str, ctx: PupilContext, year: PlanYear,
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
            row["status"] = CLOSED
            row["signed_date"] = signed_on
            row["closed_date"] = self._past(year.quarters[3].end, year.last_day)
        elif today < year.sign_from:
            row["status"] = DRAFT
        else:
            r = rand()
            if r < 0.12:
                row["status"] = DRAFT
            elif r < 0.45:
                row["status"] = ACTIVE_MAP
            else:
                row["status"] = SIGNED
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

        if row["status"] != DRAFT:
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

    def _activities(self, map_id: str, ctx: PupilContext, year: PlanYear,
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
        measure = OLYMPIAD_PREP if intellectual else CLUB
        attempts = 0
        while len(made) < count and attempts < 50:
            attempts += 1
            if made:
                measure = choice.pick(rng)
            olympiad = measure == OLYMPIAD_PREP
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
            if measure == TRAINING:
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
            if status == DONE:
                row["result"] = rng.choice(words.ACTIVITY_RESULTS[measure])[li]
            elif status == CANCELLED:
                row["result"] = rng.choice(words.CANCEL_REASONS)[li]
            made.append((start, row))
        made.sort(key=lambda pair: pair[0])
        for position, (_start, row) in enumerate(made):
            row["position"] = position
            rows.append(row)

    def _activity_dates(self, measure: str, year: PlanYear) -> tuple[date, date, int | None]:
        """Start, due date and, for activities planned by quarter only, the quarter."""
        rng = self.rng
        q = year.quarters
        y = year.start
        if measure in _QUARTER_MEASURES and rng.random() < 0.7:
            quarter = rng.choice(q)
            return quarter.start, quarter.end, quarter.number
        if measure == CLUB:
            return q[0].start + timedelta(days=rng.randint(0, 20)), q[3].end, None
        if measure == OLYMPIAD_PREP:
            start = q[0].start + timedelta(days=rng.randint(7, 40))
            return start, rng.choice((q[1].end, q[2].end)), None
        if measure in (SUMMER_CAMP, HEALTH_CAMP):
            start = date(y + 1, 6, 1) + timedelta(days=rng.randint(0, 60))
            return start, start + timedelta(days=rng.choice((14, 18, 21))), None
        if measure == GRANT:
            return date(y + 1, 6, 1), date(y + 1, 8, rng.randint(5, 20)), None
        if measure == SPECIALISED:
            start = q[1].start + timedelta(days=rng.randint(0, 30))
            return start, date(y + 1, 3, rng.randint(1, 15)), None
        if measure in (FORUM, VISIT,
                       COMPETITION):
            quarter = rng.choice(q)
            day = within(quarter, rng)
            return day, day, None
        # Technopark, distance courses and the like: a block of two to four months.
        quarter = rng.choice(q[:3])
        start = within(quarter, rng)
        return start, start + timedelta(days=rng.randint(45, 120)), None

    def _status(self, start: date, due: date, closed: bool) -> str:
        r = self.rng.random()
        if closed or (start == due and due < self.today):
            # A closed plan has nothing left open, and a one-day event is over: what did not
            # happen was dropped.
            return DONE if r < 0.9 else CANCELLED
        if due < self.today:
            return DONE if r < 0.88 else IN_PROGRESS if r < 0.94 else CANCELLED
        if start <= self.today:
            return IN_PROGRESS if r < 0.92 else DONE if r < 0.97 else CANCELLED
        return PLANNED if r < 0.96 else CANCELLED

    def measures_for(self, ctx: PupilContext) -> Choice[str]:
        """Support measures that suit the pupil: grants in grade 11, scholarships for winners."""
        key = (ctx.grade, ctx.best >= EventLevel.REGIONAL.rank,
               any(a.kind == words.INTELLECTUAL for a in ctx.areas), bool(ctx.categories))
        found = self._measure_choices.get(key)
        if found is None:
            grade, winner, intellectual, vulnerable = key
            weights = dict(_MEASURE_WEIGHTS)
            if not intellectual:
                weights[OLYMPIAD_PREP] = 0
            if grade != 11:
                weights[GRANT] = 0
            if not 5 <= grade <= 9:
                weights[SPECIALISED] = 0
            if not winner:
                weights[SCHOLARSHIP] = 0
                weights[FORUM] = 1
            if vulnerable:
                weights[HEALTH_CAMP] *= 2
            found = Choice(list(weights), list(weights.values()))
            self._measure_choices[key] = found
        return found
