"""The events calendar: events with their stages, templates, who may edit them, results.

An event (an olympiad, a competition of projects, a contest) has stages — school, district,
regional, republican … — each with its dates, venue and registration deadline. The regional
centre publishes the region's events (``district_kato`` empty) and every district receives
them; a district adds its own school- and district-level events. Pupils take part in a
stage (a *participant*), and the result of a participant **is** an achievement of the pupil:
the ``achievements`` row whose id is :func:`result_id` of the participant (taken back by its
synced ``removed`` flag), linked to the
event and the stage. Both ids are derived (:func:`participant_id` from the stage, the pupil
and the subject), so that two computers entering the same pupil or recording the same
result write the same record, merged field by field, instead of two.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from daryn_desktop.core.academic import GRADES, AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.entities import Event
from daryn_desktop.core.enums import Award, EventKind, EventLevel, Labeled, Role
from daryn_desktop.core.findings import Finding, check_text, error, warning
from daryn_desktop.core.ids import new_id
from daryn_desktop.i18n import N_, _

MAX_NAME = 300
MAX_TEXT = 1000

#: Levels a district installation may give its own events and their stages.
DISTRICT_LEVELS = (EventLevel.SCHOOL, EventLevel.DISTRICT)

#: How strong an award is, for choosing a pupil's best result (higher is better).
AWARD_RANK: dict[Award, int] = {
    Award.GRAND_PRIX: 9, Award.GOLD: 8, Award.PLACE_1: 8, Award.DIPLOMA_1: 8,
    Award.SILVER: 7, Award.PLACE_2: 7, Award.DIPLOMA_2: 7,
    Award.BRONZE: 6, Award.PLACE_3: 6, Award.DIPLOMA_3: 6,
    Award.HONOURABLE_MENTION: 4, Award.CERTIFICATE_OF_MERIT: 2, Award.PARTICIPANT: 0,
}
#: The award that goes with a place typed in the results grid (when none is chosen yet).
PLACE_AWARDS = {1: Award.PLACE_1, 2: Award.PLACE_2, 3: Award.PLACE_3}

_RESULTS = uuid.UUID("5b0c6f62-7d4e-4a51-9d8e-2f1c0b7a9e13")
_ENTRIES = uuid.UUID("0d3f6a1e-93b4-4c2a-8f57-6a2e1c9b4d70")


def result_id(participant_id: str) -> str:
    """The id of the achievement that is a participant's result (the same everywhere)."""
    return uuid.uuid5(_RESULTS, participant_id).hex


def participant_id(stage_id: str, pupil_id: str, subject: str | None) -> str:
    """The id of a pupil's entry in a stage (with a subject): two computers entering the
    same pupil write one record, merged field by field, instead of a pair."""
    key = f"{stage_id}/{pupil_id}/{(subject or '').strip().casefold()}"
    return uuid.uuid5(_ENTRIES, key).hex


@dataclass
class EventStage:
    """One stage of an event: its level, dates, venue and the registration deadline."""

    event_id: str
    level: EventLevel
    name: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    registration_deadline: date | None = None
    venue: str | None = None
    position: int = 0
    removed: bool = False
    id: str = field(default_factory=new_id)

    @property
    def last_day(self) -> date | None:
        return self.end_date or self.start_date

    def title(self) -> str:
        """What a person calls the stage: its own name, else its level ("Regional")."""
        return self.name or self.level.label


@dataclass
class Participant:
    """A pupil taking part in a stage; the result is the achievement :func:`result_id`."""

    pupil_id: str
    stage_id: str
    subject: str | None = None
    teacher_id: str | None = None
    #: The research project presented, for competitions of projects.
    project_id: str | None = None
    #: Registered but did not take part (kept: sync never deletes).
    withdrawn: bool = False
    note: str | None = None
    id: str = field(default_factory=new_id)


@dataclass
class ResultLine:
    """One line of a stage's results: who, with which teacher, and what they achieved.

    The grid and the spreadsheet importer both hand lists of these to the storage layer
    (``storage/events.py::save_results``). ``participant_id`` is None for a pupil new to the
    stage; ``award`` None while the stage has not been held (no achievement yet).
    """

    pupil_id: str
    subject: str | None = None
    teacher_id: str | None = None
    score: float | None = None
    place: int | None = None
    award: Award | None = None
    withdrawn: bool = False
    note: str | None = None
    project_id: str | None = None
    participant_id: str | None = None


# -- templates ---------------------------------------------------------------------------------
class EventTemplate(Labeled):
    """Calendars that recur every year and are made in one step."""

    RURAL_OLYMPIAD = "rural_olympiad", N_("Olympiad for pupils of rural schools (four stages)")
    SUBJECT_OLYMPIAD = "subject_olympiad", N_("Republican olympiad in general subjects")
    SCIENCE_PROJECTS = "science_projects", N_("Republican competition of scientific projects")
    ZERDE = "zerde", N_("«Зерде» research and creative projects (grades 2–7)")


@dataclass(frozen=True)
class StagePlan:
    """A stage of a template: its level, the usual month and day, length and deadline."""

    level: EventLevel
    month: int
    day: int
    days: int
    deadline_days: int
    venue: str


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    kind: EventKind
    grade_from: int
    grade_to: int
    subjects: str
    organiser: str
    stages: tuple[StagePlan, ...]


_DARYN = N_("Republican scientific-practical centre «Дарын»")
_SMART_SCHOOL = N_("At the schools, on the SMART Daryn platform")
_SMART_DISTRICT = N_("District (city) education department, on the SMART Daryn platform")
_SCHOOLS = N_("At the schools")
_DISTRICT = N_("District (city) education department")
_REGIONAL = N_("Regional scientific-practical centre «Дарын»")
_REPUBLICAN = N_("Republican scientific-practical centre «Дарын», Astana")
L = EventLevel

#: The templates' usual dates; the order of each year may differ, so every date is editable.
TEMPLATES: dict[EventTemplate, TemplateSpec] = {
    # School stage in September, district in October, regional in November, republican in
    # December (the registration system's public reports).
    EventTemplate.RURAL_OLYMPIAD: TemplateSpec(
        N_("Republican olympiad for pupils of rural schools"), EventKind.SUBJECT_OLYMPIAD,
        5, 11,
        N_("mathematics, physics, chemistry, biology, geography, informatics, history of"
           " Kazakhstan, world history, fundamentals of law, Kazakh language and literature,"
           " Russian language and literature, English, German"),
        _DARYN,
        (StagePlan(L.SCHOOL, 9, 16, 5, 7, _SMART_SCHOOL),
         StagePlan(L.DISTRICT, 10, 14, 2, 7, _SMART_DISTRICT),
         StagePlan(L.REGIONAL, 11, 18, 2, 10, _REGIONAL),
         StagePlan(L.REPUBLICAN, 12, 9, 3, 14, _REPUBLICAN))),
    EventTemplate.SUBJECT_OLYMPIAD: TemplateSpec(
        N_("Republican olympiad in general-education subjects"), EventKind.SUBJECT_OLYMPIAD,
        9, 11,
        N_("mathematics, physics, chemistry, biology, informatics, geography, Kazakh language"
           " and literature, Russian language and literature, English, history of Kazakhstan,"
           " fundamentals of law"),
        _DARYN,
        (StagePlan(L.SCHOOL, 10, 13, 5, 7, _SCHOOLS),
         StagePlan(L.DISTRICT, 11, 24, 2, 7, _DISTRICT),
         StagePlan(L.REGIONAL, 1, 20, 3, 10, _REGIONAL),
         StagePlan(L.REPUBLICAN, 3, 23, 5, 14, _REPUBLICAN))),
    EventTemplate.SCIENCE_PROJECTS: TemplateSpec(
        N_("Republican competition of scientific projects"), EventKind.SCIENCE_PROJECTS,
        8, 11, N_("sections of natural, exact and social sciences"), _DARYN,
        (StagePlan(L.SCHOOL, 11, 10, 5, 10, _SCHOOLS),
         StagePlan(L.DISTRICT, 12, 8, 2, 10, _DISTRICT),
         StagePlan(L.REGIONAL, 1, 26, 3, 14, _REGIONAL),
         StagePlan(L.REPUBLICAN, 3, 10, 4, 21, _REPUBLICAN))),
    EventTemplate.ZERDE: TemplateSpec(
        N_("«Зерде» republican competition of research and creative projects"),
        EventKind.SCIENCE_PROJECTS, 2, 7, N_("research and creative projects in every subject"),
        _DARYN,
        (StagePlan(L.SCHOOL, 11, 3, 5, 7, _SCHOOLS),
         StagePlan(L.DISTRICT, 12, 1, 2, 10, _DISTRICT),
         StagePlan(L.REGIONAL, 2, 2, 3, 14, _REGIONAL),
         StagePlan(L.REPUBLICAN, 4, 6, 3, 21, _REPUBLICAN))),
}


def _weekday(d: date) -> date:
    """Stages are held on school days: a Saturday or Sunday moves to the Monday after."""
    return d + timedelta(days=(7 - d.weekday()) % 7) if d.weekday() >= 5 else d


def event_from_template(template: EventTemplate, year: AcademicYear, *,
                        translate: Callable[[str], str] = _,
                        district_kato: str | None = None) -> tuple[Event, list[EventStage]]:
    """A new event of ``year`` with its stages dated by the template (nothing is saved)."""
    spec = TEMPLATES[template]
    event = Event(name=translate(spec.name), kind=spec.kind,
                  level=max((s.level for s in spec.stages), key=lambda lv: lv.rank),
                  academic_year=year.label, subject=translate(spec.subjects),
                  organiser=translate(spec.organiser), grade_from=spec.grade_from,
                  grade_to=spec.grade_to, district_kato=district_kato, template=template.value)
    stages = []
    for position, plan in enumerate(spec.stages):
        calendar_year = year.start if plan.month >= 9 else year.start + 1
        start = _weekday(date(calendar_year, plan.month, plan.day))
        stages.append(EventStage(
            event_id=event.id, level=plan.level, start_date=start,
            end_date=start + timedelta(days=plan.days - 1),
            registration_deadline=start - timedelta(days=plan.deadline_days),
            venue=translate(plan.venue), position=position))
    event.date = stages[0].start_date if stages else None
    return event, stages


# -- rules -------------------------------------------------------------------------------------
MSG_YEAR = N_("Write the academic year as 2025-2026.")
MSG_GRADE = N_("There is no grade {grade}: the grade must be from 0 (pre-school class) to 12.")
MSG_GRADES_ORDER = N_("The first grade ({first}) is above the last ({last}).")
MSG_NO_STAGES = N_("Add at least one stage.")
MSG_STAGE_LEVEL_ORDER = N_("Stage {number} is of a lower level than the stage before it.")
MSG_STAGE_REVERSED = N_("Stage {number} ends ({end}) before it starts ({start}).")
MSG_DEADLINE_LATE = N_("The registration deadline of stage {number} ({deadline}) is after the"
                       " stage starts ({start}).")
MSG_STAGE_OVERLAP = N_("Stage {number} starts ({start}) before stage {previous} ends"
                       " ({previous_end}).")
MSG_STAGE_OUTSIDE_YEAR = N_("Stage {number} ({start}) is outside the academic year {year}.")
MSG_DISTRICT_LEVEL = N_("A district adds events of the school and district level only; the"
                        " regional centre publishes the others.")
MSG_NEGATIVE_SCORE = N_("The score cannot be negative.")
MSG_PLACE = N_("The place is a whole number from 1.")
MSG_SCORE_WITHOUT_AWARD = N_("Choose the award (for example “Participant”) to record the score"
                             " and the place.")
MSG_WITHDRAWN_WITH_RESULT = N_("A pupil who did not take part has no result: clear the award"
                               " or the mark “did not take part”.")


def event_level(stages: Iterable[EventStage]) -> EventLevel | None:
    """An event's level: that of its highest stage (None without stages)."""
    levels = [s.level for s in stages if not s.removed]
    return max(levels, key=lambda lv: lv.rank) if levels else None


def active_stages(stages: Iterable[EventStage]) -> list[EventStage]:
    """The stages not removed, in their order."""
    return sorted((s for s in stages if not s.removed), key=lambda s: (s.position, s.id))



def validate_event(event: Event, stages: Sequence[EventStage], *,
                   district_only: bool = False) -> list[Finding]:
    """Errors that block saving an event with its stages (in their order), and warnings.

    ``district_only``: written by a district installation, which adds school- and
    district-level events only. Stage fields are named ``stages.<index>.<column>``.
    """
    found: list[Finding] = []
    check_text(found, "name", event.name, MAX_NAME, required=True)
    for name in ("subject", "organiser", "note"):
        check_text(found, name, getattr(event, name), MAX_TEXT)
    year: AcademicYear | None = None
    try:
        year = AcademicYear.parse(event.academic_year)
    except ValueError:
        found.append(error("academic_year", MSG_YEAR))
    for name in ("grade_from", "grade_to"):
        grade = getattr(event, name)
        if grade is not None and grade not in GRADES:
            found.append(error(name, MSG_GRADE, grade=grade))
    if (event.grade_from is not None and event.grade_to is not None
            and event.grade_from > event.grade_to):
        found.append(error("grade_to", MSG_GRADES_ORDER, first=event.grade_from,
                           last=event.grade_to))
    live = [(i, s) for i, s in enumerate(stages) if not s.removed]
    if not live:
        found.append(error("stages", MSG_NO_STAGES))
    previous: EventStage | None = None
    for number, (i, stage) in enumerate(live, start=1):
        prefix = f"stages.{i}."
        check_text(found, prefix + "name", stage.name, MAX_NAME)
        check_text(found, prefix + "venue", stage.venue, MAX_TEXT)
        if district_only and stage.level not in DISTRICT_LEVELS:
            found.append(error(prefix + "level", MSG_DISTRICT_LEVEL))
        start, end = stage.start_date, stage.end_date
        if start and end and end < start:
            found.append(error(prefix + "end_date", MSG_STAGE_REVERSED, number=number,
                               start=format_date(start), end=format_date(end)))
        deadline = stage.registration_deadline
        if deadline and start and deadline > start:
            found.append(error(prefix + "registration_deadline", MSG_DEADLINE_LATE,
                               number=number, deadline=format_date(deadline),
                               start=format_date(start)))
        if year is not None and start and not year.first_day <= start <= year.last_day:
            found.append(warning(prefix + "start_date", MSG_STAGE_OUTSIDE_YEAR, number=number,
                                 start=format_date(start), year=year.label))
        if previous is not None:
            if stage.level.rank < previous.level.rank:
                found.append(error(prefix + "level", MSG_STAGE_LEVEL_ORDER, number=number))
            if start and previous.last_day and start <= previous.last_day:
                found.append(warning(prefix + "start_date", MSG_STAGE_OVERLAP, number=number,
                                     start=format_date(start), previous=number - 1,
                                     previous_end=format_date(previous.last_day)))
        previous = stage
    return found


def validate_result(line: ResultLine) -> list[Finding]:
    """Errors of one line of a stage's results."""
    found: list[Finding] = []
    if line.score is not None and line.score < 0:
        found.append(error("score", MSG_NEGATIVE_SCORE))
    if line.place is not None and line.place < 1:
        found.append(error("place", MSG_PLACE))
    if line.withdrawn and line.award is not None:
        found.append(error("withdrawn", MSG_WITHDRAWN_WITH_RESULT))
    if line.award is None and (line.score is not None or line.place is not None):
        found.append(error("award", MSG_SCORE_WITHOUT_AWARD))
    check_text(found, "note", line.note, MAX_TEXT)
    return found


def may_edit(event: Event, role: Role, district_kato: str | None) -> bool:
    """Whether this installation may change the event itself (anyone may enter results).

    The regional centre edits every event; a district only its own, so that the calendar
    the region published stays the same in every district.
    """
    return role == Role.REGION or (event.district_kato is not None
                                   and event.district_kato == district_kato)


def is_winner(award: Award | None) -> bool:
    """A winner or prize-holder of a stage: advanced to the next one."""
    return award is not None and award.is_prize


def _neighbour(stages: Sequence[EventStage], stage_id: str, step: int) -> EventStage | None:
    ordered = active_stages(stages)
    ids = [s.id for s in ordered]
    if stage_id not in ids:
        return None
    i = ids.index(stage_id) + step
    return ordered[i] if 0 <= i < len(ordered) else None


def current_stage(stages: Sequence[EventStage], today: date) -> EventStage | None:
    """The stage whose results are coming in today: the only one, the one under way, else
    the last one that has begun (None before the first, or when dates are missing)."""
    ordered = active_stages(stages)
    if len(ordered) == 1:
        return ordered[0]
    begun = [s for s in ordered if s.start_date and s.start_date <= today]
    under_way = [s for s in begun if s.last_day and today <= s.last_day]
    if under_way:
        return under_way[-1]
    return begun[-1] if begun else None


def stage_period(stage: EventStage) -> str:
    """The stage's dates as a person reads them: "14.10.2025–15.10.2025"."""
    start, end = stage.start_date, stage.end_date
    if start and end and start != end:
        return f"{format_date(start)}–{format_date(end)}"
    return format_date(start or end)


def describe_stage(event: Event, stage: EventStage) -> str:
    """How a person names a stage of an event: "Olympiad — District or city (14.10.2025–
    15.10.2025)"."""
    dates = stage_period(stage)
    if dates:
        return _("{event} — {stage} ({dates})").format(event=event.name, stage=stage.title(),
                                                      dates=dates)
    return _("{event} — {stage}").format(event=event.name, stage=stage.title())


def next_stage(stages: Sequence[EventStage], stage_id: str) -> EventStage | None:
    """The stage after ``stage_id`` in the event's order, if any."""
    return _neighbour(stages, stage_id, 1)


def previous_stage(stages: Sequence[EventStage], stage_id: str) -> EventStage | None:
    """The stage before ``stage_id`` in the event's order, if any."""
    return _neighbour(stages, stage_id, -1)


# -- the calendar ------------------------------------------------------------------------------
class DateKind(Labeled):
    """What happens on a date of the calendar."""

    DEADLINE = "deadline", N_("Registration closes")
    START = "start", N_("Stage begins")
    UNDER_WAY = "under_way", N_("Under way")


@dataclass(frozen=True)
class CalendarDate:
    """A date a coordinator must look at: a registration deadline or a stage."""

    day: date
    kind: DateKind
    event: Event
    stage: EventStage


def coming_dates(events: Mapping[str, Event], stages: Iterable[EventStage], today: date,
                 *, days: int | None = None) -> list[CalendarDate]:
    """Registration deadlines and stages from ``today`` on (within ``days``), soonest first.

    A stage under way today is listed for today; cancelled events and removed stages are not.
    """
    horizon = today + timedelta(days=days) if days is not None else None
    found: list[CalendarDate] = []
    for stage in stages:
        event = events.get(stage.event_id)
        if event is None or event.archived or stage.removed:
            continue
        start, last = stage.start_date, stage.last_day
        if stage.registration_deadline and stage.registration_deadline >= today:
            found.append(CalendarDate(stage.registration_deadline, DateKind.DEADLINE, event,
                                      stage))
        if start and start >= today:
            found.append(CalendarDate(start, DateKind.START, event, stage))
        elif start and last and start <= today <= last:
            found.append(CalendarDate(today, DateKind.UNDER_WAY, event, stage))
    if horizon is not None:
        found = [d for d in found if d.day <= horizon]
    order = {DateKind.UNDER_WAY: 0, DateKind.DEADLINE: 1, DateKind.START: 2}
    found.sort(key=lambda d: (d.day, order[d.kind], d.event.name, d.stage.position))
    return found


def stage_order_key(stage: EventStage, today: date) -> tuple[int, int]:
    """Sorts stages with what comes next first, then the past ones, latest first.

    The key date is the registration deadline while it is still open, else the start.
    """
    deadline = stage.registration_deadline
    key = deadline if deadline and deadline >= today else stage.start_date
    last = stage.last_day
    if key is None:
        return (2, 0)
    if key >= today or (last is not None and last >= today):
        return (0, key.toordinal())
    return (1, -key.toordinal())
