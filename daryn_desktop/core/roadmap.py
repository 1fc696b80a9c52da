"""Rules of the individual road map: lifecycle, what may change when, checks, continuing it.

The lifecycle is draft → active → signed → closed (a draft may be signed directly, and any
road map that is not closed may be closed, e.g. when the pupil leaves). Nothing one click
does is final: a signed or closed road map can be *reopened* by the coordinator with a
reason, recorded as a numbered amendment (see :func:`reopened_status`). Before signing
everything may be edited freely. After signing the *plan* (goals, activities, their dates
and responsible people, the descriptive fields) changes only by a numbered amendment with a
date and a reason, while the *progress* (an activity's status and result, a goal marked as
achieved) is recorded freely: marking an activity done is carrying out the signed plan, not
changing it. Cancelling an activity does change the plan. A closed road map is read-only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from daryn_desktop.core.academic import AcademicYear, YearCalendar
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.entities import (
    Achievement,
    Activity,
    Amendment,
    CategoryRecord,
    Diagnostic,
    GiftednessArea,
    Goal,
    Guardian,
    Pupil,
    Review,
    RoadMap,
    School,
    Staff,
)
from daryn_desktop.core.enums import ActivityStatus, Language, RoadMapStatus
from daryn_desktop.core.findings import Finding, check_text, error, warning
from daryn_desktop.core.ids import new_id
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_

S = RoadMapStatus

#: Allowed status changes. Closing is possible from every other state (a pupil may leave
#: before the plan is signed); nothing leaves the closed state.
TRANSITIONS: dict[RoadMapStatus, frozenset[RoadMapStatus]] = {
    S.DRAFT: frozenset({S.ACTIVE, S.SIGNED, S.CLOSED}),
    S.ACTIVE: frozenset({S.SIGNED, S.CLOSED}),
    S.SIGNED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

#: Road-map fields that are part of the plan (printed, so changed only by amendment once signed).
PLAN_FIELDS = frozenset({"identification", "strengths", "interests", "coordinator_id",
                         "mentor_id", "psychologist_id"})
#: Activity fields that make up the plan; ``status`` and ``result`` record progress.
ACTIVITY_PLAN_FIELDS = frozenset({"measure", "title", "responsible", "responsible_id",
                                  "start_date", "due_date", "due_quarter", "position"})
ACTIVITY_PROGRESS_FIELDS = frozenset({"status", "result"})
GOAL_PLAN_FIELDS = frozenset({"text", "position"})
GOAL_PROGRESS_FIELDS = frozenset({"achieved"})

OPEN_STATUSES = frozenset({ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS})

#: How far along each status is: of two statuses set in two places without either seeing
#: the other, the further one is what happened (one PC marked it started, the other done).
_STATUS_RANK = {ActivityStatus.PLANNED.value: 0, ActivityStatus.IN_PROGRESS.value: 1,
                ActivityStatus.DONE.value: 2, ActivityStatus.CANCELLED.value: 2}


def settle_status(values: Iterable[str]) -> str | None:
    """The status that concurrent edits of an activity settle on without a person.

    Progress goes one way (planned < in progress < done) and a cancellation outranks an
    activity not yet done; only "done" against "cancelled" needs a person (None). Unknown
    values (from a newer program) also leave it to a person.
    """
    found = set(values)
    if not found <= _STATUS_RANK.keys() or {ActivityStatus.DONE.value,
                                            ActivityStatus.CANCELLED.value} <= found:
        return None
    return max(found, key=lambda v: _STATUS_RANK[v])

# Lengths that keep every printed table row shorter than a page (so no row is ever cut).
MAX_TITLE = 300
MAX_RESULT = 1000
MAX_RESPONSIBLE = 120
MAX_GOAL = 500
MAX_TEXT = 2000
MAX_REASON = 500

MSG_REQUIRED = N_("This field is required.")
MSG_TOO_LONG = N_("At most {max} characters.")
MSG_NO_DUE = N_("Give a due date or a quarter.")
MSG_QUARTER = N_("The quarter must be from 1 to 4.")
MSG_START_AFTER_DUE = N_("The activity starts ({start}) after it is due ({due}).")
MSG_OUTSIDE_YEAR = N_("The date {date} is outside the academic year {year}.")
MSG_REVIEW_FUTURE = N_("The date of the review is in the future.")
MSG_SIGN_FUTURE = N_("The date of signing is in the future.")
MSG_SIGNED_BY = N_("Write who signed the road map.")
MSG_CLOSING_COMMENT = N_("Write the year's result: it is kept with the closed road map.")


class TransitionRefused(UserError):
    message = N_("A road map with the status “{current}” cannot become “{target}”.")


class RoadMapClosed(UserError):
    message = N_("This road map is closed and can no longer be changed.")


class AmendmentReasonRequired(UserError):
    message = N_("The road map is signed: every change of the plan is an amendment.")
    hint = N_("Give the reason for the amendment.")


class NotReadyToSign(UserError):
    message = N_("The road map cannot be signed yet: {problems}")


class NotReopenable(UserError):
    message = N_("Only a signed or closed road map can be reopened; this one is “{status}”.")


def reopened_status(status: RoadMapStatus, *, was_signed: bool) -> RoadMapStatus:
    """The status a road map returns to when it is reopened (with a reason, as an amendment).

    A signed one becomes active again: its plan can be corrected freely and signed anew (the
    version signed before stays printable). A closed one goes back to where it was before
    closing: signed if it had been signed, else active.
    """
    if status == S.SIGNED:
        return S.ACTIVE
    if status == S.CLOSED:
        return S.SIGNED if was_signed else S.ACTIVE
    raise NotReopenable(status=status.label)


def can_transition(current: RoadMapStatus, target: RoadMapStatus) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: RoadMapStatus, target: RoadMapStatus) -> None:
    """Raise :class:`TransitionRefused` unless ``current`` may become ``target``."""
    if not can_transition(current, target):
        raise TransitionRefused(current=current.label, target=target.label)


def check_editable(status: RoadMapStatus) -> None:
    if status == S.CLOSED:
        raise RoadMapClosed()


def needs_amendment(status: RoadMapStatus) -> bool:
    """Whether a change of the plan must be recorded as an amendment."""
    return status == S.SIGNED


def is_open(activity: Activity) -> bool:
    """Planned or in progress: still to be done."""
    return activity.status in OPEN_STATUSES


def reviews_allowed(status: RoadMapStatus) -> bool:
    """Reviews record how a plan is carried out: not for drafts, not after closing."""
    return status in (S.ACTIVE, S.SIGNED)


def due_by(activity: Activity, calendar: YearCalendar) -> date | None:
    """When the activity is due: its date, else the last day of its quarter."""
    if activity.due_date is not None:
        return activity.due_date
    if activity.due_quarter and 1 <= activity.due_quarter <= len(calendar.quarters):
        return calendar.quarters[activity.due_quarter - 1].end
    return None


def is_overdue(activity: Activity, calendar: YearCalendar, today: date) -> bool:
    due = due_by(activity, calendar)
    return is_open(activity) and due is not None and due < today


# -- checks ----------------------------------------------------------------------------------
_text = check_text


def validate_activity(activity: Activity, year: AcademicYear) -> list[Finding]:
    """Errors that block saving an activity, and warnings about dates outside the year."""
    found: list[Finding] = []
    _text(found, "title", activity.title, MAX_TITLE, required=True)
    _text(found, "responsible", activity.responsible, MAX_RESPONSIBLE)
    _text(found, "result", activity.result, MAX_RESULT)
    if activity.due_quarter is not None and not 1 <= activity.due_quarter <= 4:
        found.append(error("due_quarter", MSG_QUARTER))
    if activity.due_date is None and activity.due_quarter is None:
        found.append(error("due_date", MSG_NO_DUE))
    if activity.start_date and activity.due_date and activity.start_date > activity.due_date:
        found.append(error("start_date", MSG_START_AFTER_DUE,
                           start=format_date(activity.start_date),
                           due=format_date(activity.due_date)))
    for name in ("start_date", "due_date"):
        d = getattr(activity, name)
        if d is not None and not year.first_day <= d <= year.last_day:
            found.append(warning(name, MSG_OUTSIDE_YEAR, date=format_date(d), year=year.label))
    return found


def validate_goal(goal: Goal) -> list[Finding]:
    found: list[Finding] = []
    _text(found, "text", goal.text, MAX_GOAL, required=True)
    return found


def validate_review(review: Review, *, today: date | None = None) -> list[Finding]:
    found: list[Finding] = []
    if not 1 <= review.quarter <= 4:
        found.append(error("quarter", MSG_QUARTER))
    _text(found, "text", review.text, MAX_TEXT, required=True)
    if review.date > (today or date.today()):
        found.append(error("date", MSG_REVIEW_FUTURE))
    return found


def validate_reason(reason: str | None) -> list[Finding]:
    found: list[Finding] = []
    _text(found, "reason", reason, MAX_REASON, required=True)
    return found


def validate_signing(on: date, signed_by: str | None, *,
                     today: date | None = None) -> list[Finding]:
    """The signing date may not lie ahead, and the people who signed must be named."""
    found: list[Finding] = []
    if on > (today or date.today()):
        found.append(error("date", MSG_SIGN_FUTURE))
    if not (signed_by or "").strip():
        found.append(error("signed_by", MSG_SIGNED_BY))
    else:
        _text(found, "signed_by", signed_by, MAX_REASON)
    return found


def validate_closing(comment: str | None) -> list[Finding]:
    """Closing the year needs its result in a few words (the comment kept with the map)."""
    found: list[Finding] = []
    if not (comment or "").strip():
        found.append(error("note", MSG_CLOSING_COMMENT))
    else:
        _text(found, "note", comment, MAX_TEXT)
    return found


def validate_road_map(road_map: RoadMap) -> list[Finding]:
    found: list[Finding] = []
    for name in ("identification", "strengths", "interests"):
        _text(found, name, getattr(road_map, name), MAX_TEXT)
    return found


MSG_SIGN_NO_GOALS = N_("it has no goals")
MSG_SIGN_NO_ACTIVITIES = N_("it has no activities")
MSG_SIGN_INVALID = N_("some entries have errors")


def sign_problems(road_map: RoadMap, goals: Sequence[Goal],
                  activities: Sequence[Activity]) -> list[str]:
    """Why a plan cannot be signed (untranslated message ids); empty when it can."""
    problems = []
    if not goals:
        problems.append(MSG_SIGN_NO_GOALS)
    if not activities:
        problems.append(MSG_SIGN_NO_ACTIVITIES)
    year = AcademicYear.parse(road_map.academic_year)
    findings = validate_road_map(road_map)
    for g in goals:
        findings += validate_goal(g)
    for a in activities:
        findings += validate_activity(a, year)
    if any(f.is_error for f in findings):
        problems.append(MSG_SIGN_INVALID)
    return problems


# -- continuing into the next year -----------------------------------------------------------
def shift_one_year(d: date | None) -> date | None:
    """The same day a year later (29 February becomes 28 February)."""
    if d is None:
        return None
    try:
        return d.replace(year=d.year + 1)
    except ValueError:
        return d.replace(year=d.year + 1, day=28)


def continued_goals(goals: Iterable[Goal], road_map_id: str) -> list[Goal]:
    """The goals not yet achieved, as new goals of the next year's road map."""
    kept = [g for g in sorted(goals, key=lambda g: g.position) if not g.achieved]
    return [Goal(road_map_id=road_map_id, text=g.text, position=i) for i, g in enumerate(kept)]


def continued_activities(activities: Iterable[Activity], road_map_id: str) -> list[Activity]:
    """Activities still planned or in progress, planned again a year later.

    Done and cancelled ones stay in the old plan. Dates move by one year so that an
    olympiad stage or a summer camp keeps its place in the school year; the status starts
    again as planned and the result is empty.
    """
    kept = [a for a in sorted(activities, key=lambda a: a.position) if is_open(a)]
    return [dataclasses.replace(a, id=new_id(), road_map_id=road_map_id,
                                status=ActivityStatus.PLANNED, result=None,
                                start_date=shift_one_year(a.start_date),
                                due_date=shift_one_year(a.due_date), position=i)
            for i, a in enumerate(kept)]


# -- the printed document --------------------------------------------------------------------
def document_language(pupil_language: Language | None,
                      school_language: Language | None = None) -> str:
    """The language a road map is printed in by default: the pupil's language of instruction.

    Russian-medium pupils get Russian; everyone else Kazakh, the state language (mixed
    schools and the Uzbek, Uyghur and Tajik schools write official documents in it too).
    """
    lang = pupil_language or school_language
    return "ru" if lang == Language.RUSSIAN else "kk"


@dataclass
class RoadMapDocument:
    """Everything printed on one road map: the plan, and the pupil as the plan describes them.

    Built from the database for the current version, or read back from the snapshot taken
    at signing for the signed version (reviews and amendments are always the current ones,
    since they are added after signing).
    """

    road_map: RoadMap
    pupil: Pupil
    school: School
    goals: list[Goal] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    categories: list[CategoryRecord] = field(default_factory=list)
    areas: list[GiftednessArea] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    achievements: list[Achievement] = field(default_factory=list)
    guardians: list[Guardian] = field(default_factory=list)
    coordinator: Staff | None = None
    mentor: Staff | None = None
    psychologist: Staff | None = None
    school_head: Staff | None = None
    #: True when this is the version as signed (read from the snapshot).
    as_signed: bool = False
    #: The day the snapshot was taken (the signing date), for the signed version.
    snapshot_date: date | None = None

    @property
    def year(self) -> AcademicYear:
        return AcademicYear.parse(self.road_map.academic_year)

    def categories_on(self, day: date) -> list[CategoryRecord]:
        return [c for c in self.categories if c.is_current(day)]


def quarter_end(calendar: YearCalendar, quarter: int) -> date:
    return calendar.quarters[quarter - 1].end


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a calendar month."""
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)
