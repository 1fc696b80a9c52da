"""A demo pupil's results: achievements (this year's in the calendar) and research projects."""

from __future__ import annotations

from datetime import date
from typing import Any

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import Award
from daryn_desktop.core.events import participant_id, result_id
from daryn_desktop.core.ids import new_id
from daryn_desktop.demo import names as words
from daryn_desktop.demo.draws import Choice
from daryn_desktop.demo.run import Area, Part, Prize, Run, School
from daryn_desktop.demo.values import LEVELS

_NOT_PRIZES = frozenset(a.value for a in Award if not a.is_prize)
_PLACES = {Award.PLACE_1.value: 1, Award.PLACE_2.value: 2, Award.PLACE_3.value: 3}
#: Olympiad scores (out of 100) from which each award is given, roughly.
_SCORE_FLOOR = {a.value: floor for a, floor in (
    (Award.GOLD, 85), (Award.PLACE_1, 85), (Award.DIPLOMA_1, 85), (Award.SILVER, 72),
    (Award.PLACE_2, 72), (Award.DIPLOMA_2, 72), (Award.BRONZE, 60), (Award.PLACE_3, 60),
    (Award.DIPLOMA_3, 60), (Award.HONOURABLE_MENTION, 50), (Award.CERTIFICATE_OF_MERIT, 45))}


class Achievements(Part):
    """Achievements and research projects, with the draws they need built once."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.calendar = run.calendar
        self._build_event_index()
        self.achievement_counts = Choice(range(7), (14, 20, 22, 18, 12, 8, 6))
        self.years_back = Choice((0, 1, 2), (45, 35, 20))
        self.level_ranks = Choice(range(5), (30, 30, 21, 14, 5))
        self.awards = _award_choices()

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
    def make(self, pupil_id: str, school: School, grade: int, rural: bool,
             areas: list[Area], li: int, t: dict[str, list[dict[str, Any]]],
             project: tuple[str, str] | None) -> tuple[int, list[Prize]]:
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
        prizes: list[Prize] = []
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
                found = self.events.get((area.key, LEVELS[r], grade - back, rural))
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
                    prizes.append(Prize(row.get("id"), rank, kind))
        return best, prizes

    def project(self, pupil_id: str, school: School, grade: int, areas: list[Area], li: int,
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


def _award_choices() -> dict[tuple[str, str], Choice[str]]:
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
    return {key: Choice([a.value for a, _w in pairs], [w for _a, w in pairs])
            for key, pairs in table.items()}
