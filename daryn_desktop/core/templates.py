"""Road-map templates: default goals and activities per track, applied to a new road map.

The built-in templates are written once in English message ids and translated into the
document's language when used, so a Kazakh and a Russian school get their own wording. A
coordinator may edit a template; the edited copy is stored in the database per track and
language and is used instead of the built-in one until it is reset.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from daryn_desktop.core.academic import YearCalendar
from daryn_desktop.core.entities import Activity, Goal
from daryn_desktop.core.enums import GiftednessKind, Labeled, SupportMeasure
from daryn_desktop.core.findings import Finding, error
from daryn_desktop.core.roadmap import MAX_GOAL, MAX_TITLE
from daryn_desktop.i18n import N_

M = SupportMeasure
#: Written in a template where the pupil's subject or field goes ("olympiad in {field}").
FIELD = "{field}"
MAX_ITEMS = 40


class Track(Labeled):
    """The kinds of plan a template is made for."""

    OLYMPIAD = "olympiad", N_("Olympiad track")
    SCIENCE_PROJECT = "science_project", N_("Scientific project")
    CREATIVE = "creative", N_("Creative")
    SPORT = "sport", N_("Sport")
    TECHNICAL = "technical", N_("Technical")


#: The track suggested for a pupil's first area of giftedness.
TRACK_FOR_KIND = {
    GiftednessKind.INTELLECTUAL: Track.OLYMPIAD,
    GiftednessKind.CREATIVE: Track.CREATIVE,
    GiftednessKind.SPORT: Track.SPORT,
    GiftednessKind.TECHNICAL: Track.TECHNICAL,
}


class Responsible(Labeled):
    """Who carries out a template's activity; resolved to a person of the road map."""

    MENTOR = "mentor", N_("Mentor")
    PSYCHOLOGIST = "psychologist", N_("Psychologist")
    COORDINATOR = "coordinator", N_("Coordinator")


@dataclass
class TemplateActivity:
    """One activity of a template, timed by quarters (1–4) or for the summer after the year."""

    measure: SupportMeasure
    title: str
    start_quarter: int | None = None
    due_quarter: int | None = None
    summer: bool = False
    responsible: Responsible = Responsible.MENTOR

    def to_dict(self) -> dict[str, Any]:
        return {"measure": self.measure.value, "title": self.title,
                "start_quarter": self.start_quarter, "due_quarter": self.due_quarter,
                "summer": self.summer, "responsible": self.responsible.value}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TemplateActivity:
        return cls(measure=SupportMeasure(data["measure"]), title=str(data["title"]),
                   start_quarter=data.get("start_quarter"), due_quarter=data.get("due_quarter"),
                   summer=bool(data.get("summer")),
                   responsible=Responsible(data.get("responsible") or "mentor"))


@dataclass
class RoadMapTemplate:
    """Goals and activities to start a road map with, in one language."""

    track: Track
    language: str
    goals: list[str] = field(default_factory=list)
    activities: list[TemplateActivity] = field(default_factory=list)
    #: The id of the stored (edited) template; None for a built-in one.
    id: str | None = None

    @property
    def is_builtin(self) -> bool:
        return self.id is None

    def items_json(self) -> str:
        return json.dumps({"goals": self.goals,
                           "activities": [a.to_dict() for a in self.activities]},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, track: Track, language: str, text: str,
                  template_id: str | None = None) -> RoadMapTemplate:
        data = json.loads(text)
        return cls(track=track, language=language, goals=[str(g) for g in data.get("goals", [])],
                   activities=[TemplateActivity.from_dict(a) for a in data.get("activities", [])],
                   id=template_id)


MSG_QUARTERS = N_("Quarters must be from 1 to 4, the first not after the last.")
MSG_TOO_MANY = N_("A template may hold at most {max} goals and activities.")


def validate_template(template: RoadMapTemplate) -> list[Finding]:
    found: list[Finding] = []
    if len(template.goals) + len(template.activities) > MAX_ITEMS:
        found.append(error("items", MSG_TOO_MANY, max=MAX_ITEMS))
    for i, goal in enumerate(template.goals):
        text = goal.strip()
        if not text:
            found.append(error(f"goal_{i}", N_("This field is required.")))
        elif len(text) > MAX_GOAL:
            found.append(error(f"goal_{i}", N_("At most {max} characters."), max=MAX_GOAL))
    for i, item in enumerate(template.activities):
        text = item.title.strip()
        if not text:
            found.append(error(f"activity_{i}", N_("This field is required.")))
        elif len(text) > MAX_TITLE:
            found.append(error(f"activity_{i}", N_("At most {max} characters."), max=MAX_TITLE))
        if not item.summer:
            quarters = [q for q in (item.start_quarter, item.due_quarter) if q is not None]
            if (item.due_quarter is None or any(not 1 <= q <= 4 for q in quarters)
                    or (item.start_quarter or 1) > item.due_quarter):
                found.append(error(f"activity_{i}", MSG_QUARTERS))
    return found


# -- the built-in templates (English message ids, translated when used) ---------------------
def _a(measure: SupportMeasure, title: str, start: int | None, due: int | None = None,
       who: Responsible = Responsible.MENTOR) -> TemplateActivity:
    if start is None:
        return TemplateActivity(measure, title, summer=True, responsible=who)
    return TemplateActivity(measure, title, start, due or start, responsible=who)


_PSY, _COORD = Responsible.PSYCHOLOGIST, Responsible.COORDINATOR

BUILTIN: dict[Track, tuple[list[str], list[TemplateActivity]]] = {
    Track.OLYMPIAD: (
        [N_("Reach the regional stage of the republican olympiad in {field}"),
         N_("Win a prize at the district stage of the olympiad in {field}"),
         N_("Keep an average mark of at least 4.5 in {field}")],
        [_a(M.OLYMPIAD_PREPARATION, N_("Individual olympiad preparation in {field}"), 1, 3),
         _a(M.COMPETITION, N_("School and district stages of the olympiad in {field}"), 1, 2),
         _a(M.DISTANCE_COURSE, N_("Distance olympiad course in {field}"), 2, 3),
         _a(M.PSYCHOLOGICAL_TRAINING, N_("Training: managing stress at competitions"), 2,
            who=_PSY),
         _a(M.VISIT, N_("Visit to a regional museum or exhibition"), 3, who=_COORD),
         _a(M.SUMMER_CAMP, N_("Summer subject camp in {field}"), None, who=_COORD)]),
    Track.SCIENCE_PROJECT: (
        [N_("Write and defend a research project in {field}"),
         N_("Take part in the regional competition of scientific projects")],
        [_a(M.CLUB, N_("Research club: choosing the topic and the supervisor"), 1),
         _a(M.OTHER, N_("Research work on the project in {field}"), 1, 3),
         _a(M.PSYCHOLOGICAL_TRAINING, N_("Training: speaking in public"), 2, who=_PSY),
         _a(M.COMPETITION, N_("District and regional stages of the competition of scientific"
                              " projects"), 3),
         _a(M.VISIT, N_("Visit to a university laboratory or a museum"), 3, who=_COORD),
         _a(M.SUMMER_CAMP, N_("Summer research school"), None, who=_COORD)]),
    Track.CREATIVE: (
        [N_("Develop the abilities in {field} and prepare a solo programme"),
         N_("Win a prize at a regional creative contest")],
        [_a(M.CLUB, N_("Creative club ({field})"), 1, 4),
         _a(M.PSYCHOLOGICAL_TRAINING, N_("Training: confidence on stage"), 1, who=_PSY),
         _a(M.COMPETITION, N_("District and regional creative contests in {field}"), 2, 3),
         _a(M.VISIT, N_("Visit to a theatre, museum or exhibition"), 2, who=_COORD),
         _a(M.FORUM, N_("Regional forum «Сен үздіксің!»"), 4, who=_COORD),
         _a(M.HEALTH_CAMP, N_("Voucher to a health camp"), None, who=_COORD)]),
    Track.SPORT: (
        [N_("Improve the results in {field} and win a prize at the regional competition"),
         N_("Meet the standard of a sports rank in {field}")],
        [_a(M.CLUB, N_("Training in a sports section ({field})"), 1, 4),
         _a(M.COMPETITION, N_("District and regional competitions in {field}"), 2, 3),
         _a(M.PSYCHOLOGICAL_TRAINING, N_("Training: motivation and coping with pressure"), 2,
            who=_PSY),
         _a(M.FORUM, N_("Regional forum «Сен үздіксің!»"), 4, who=_COORD),
         _a(M.HEALTH_CAMP, N_("Voucher to a health camp or sanatorium"), None, who=_COORD)]),
    Track.TECHNICAL: (
        [N_("Build and present a technical project in {field}"),
         N_("Take part in a regional robotics competition or hackathon")],
        [_a(M.CLUB, N_("Technical club ({field})"), 1, 4),
         _a(M.TECHNOPARK, N_("Project at the children's technopark"), 2, 3),
         _a(M.DISTANCE_COURSE, N_("Distance course in programming"), 2),
         _a(M.COMPETITION, N_("Robotics competition or hackathon"), 3, who=_COORD),
         _a(M.SUMMER_CAMP, N_("Summer technical camp"), None, who=_COORD)]),
}


def builtin_template(track: Track, language: str,
                     translate: Callable[[str], str]) -> RoadMapTemplate:
    """The built-in template of ``track`` worded in ``language`` (``translate`` is its ``_``)."""
    goals, activities = BUILTIN[track]
    return RoadMapTemplate(
        track=track, language=language, goals=[translate(g) for g in goals],
        activities=[TemplateActivity(a.measure, translate(a.title), a.start_quarter,
                                     a.due_quarter, a.summer, a.responsible)
                    for a in activities])


def _fill(text: str, field_name: str) -> str:
    # Only {field} is replaced: a coordinator's text may contain other braces.
    return text.replace(FIELD, field_name).strip()


def summer_after(calendar: YearCalendar) -> tuple[date, date]:
    """June and July after the year's lessons: the time of summer and health camps."""
    y = calendar.year.start + 1
    return date(y, 6, 1), date(y, 7, 31)


def apply_template(template: RoadMapTemplate, road_map_id: str, calendar: YearCalendar, *,
                   field_name: str, people: Mapping[Responsible, tuple[str | None, str | None]],
                   first_position: int = 0) -> tuple[list[Goal], list[Activity]]:
    """Goals and activities of a new road map from ``template``.

    ``field_name`` replaces ``{field}`` (the pupil's subject, sport or art); ``people`` maps
    each responsible role to the staff id and printed name of that person on this road map.
    """
    goals = [Goal(road_map_id=road_map_id, text=_fill(text, field_name),
                  position=first_position + i)
             for i, text in enumerate(template.goals)]
    activities = []
    for i, item in enumerate(template.activities):
        staff_id, name = people.get(item.responsible, (None, None))
        activity = Activity(road_map_id=road_map_id, measure=item.measure,
                            title=_fill(item.title, field_name), responsible=name,
                            responsible_id=staff_id, position=first_position + i)
        if item.summer:
            activity.start_date, activity.due_date = summer_after(calendar)
        else:
            start_q = item.start_quarter or item.due_quarter or 1
            activity.start_date = calendar.quarters[start_q - 1].start
            activity.due_quarter = item.due_quarter or start_q
        activities.append(activity)
    return goals, activities
