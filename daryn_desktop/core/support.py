"""The support register (decree measures 8–17) and the rules of its eligibility lists.

A support record is one measure granted to (or applied for by) one pupil: a scholarship
with its monthly amount, period and order; a summer-camp or health-camp voucher with the
place and dates; an invitation to the «Сен үздіксің!» forum; a grant; an application to a
specialised school with its outcome. Each is linked to the road-map activity it fulfils.

Eligibility lists are worked out from the recorded results by a rule per measure: the
lowest level of the event, prize-winners only or not, which kinds of event, the decree's
target groups only, the grades, how many academic years count, and whether pupils who
already have the measure this year are left out. The defaults below follow the decree; a
coordinator may change them, and each candidate is shown with the result that qualifies
them. Nothing is granted until a person confirms.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from daryn_desktop.core.academic import GRADES, AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import (
    ActivityStatus,
    Award,
    EventKind,
    EventLevel,
    FamilyCategory,
    Labeled,
    SupportMeasure,
)
from daryn_desktop.core.events import AWARD_RANK
from daryn_desktop.core.findings import Finding, check_text, error, warning
from daryn_desktop.core.ids import new_id
from daryn_desktop.i18n import N_, _, ngettext

M = SupportMeasure
#: The measures kept in the register, in the decree's order.
REGISTER_MEASURES = (M.SUMMER_CAMP, M.FORUM, M.HEALTH_CAMP, M.SCHOLARSHIP, M.GRANT,
                     M.SPECIALISED_SCHOOL)
MAX_TEXT = 300
MAX_NOTE = 1000


class SupportStatus(Labeled):
    GRANTED = "granted", N_("Granted")
    APPLIED = "applied", N_("Applied")
    ADMITTED = "admitted", N_("Admitted")
    REFUSED = "refused", N_("Refused")
    CANCELLED = "cancelled", N_("Cancelled")


class ScholarshipKind(Labeled):
    NAMED = "named", N_("Named scholarship")
    STATE = "state", N_("State scholarship")


#: The statuses a record of each kind may have; the first is what a new record gets.
STATUSES: dict[SupportMeasure, tuple[SupportStatus, ...]] = {
    measure: (SupportStatus.GRANTED, SupportStatus.CANCELLED) for measure in REGISTER_MEASURES}
STATUSES[M.SPECIALISED_SCHOOL] = (SupportStatus.APPLIED, SupportStatus.ADMITTED,
                                  SupportStatus.REFUSED, SupportStatus.CANCELLED)


@dataclass
class SupportRecord:
    """One support measure for one pupil in one academic year."""

    pupil_id: str
    measure: SupportMeasure
    academic_year: str
    status: SupportStatus = SupportStatus.GRANTED
    #: Scholarships: named or state.
    kind: ScholarshipKind | None = None
    #: The scholarship's name, the camp's, the forum's, the grant's programme.
    title: str | None = None
    #: A scholarship's monthly amount, in tenge.
    amount: int | None = None
    #: The scholarship's period, the camp's or the forum's dates.
    start_date: date | None = None
    end_date: date | None = None
    #: Where: the camp or sanatorium, the forum's venue, the specialised school.
    place: str | None = None
    order_number: str | None = None
    order_date: date | None = None
    #: The result that made the pupil eligible.
    achievement_id: str | None = None
    #: The road-map activity the record fulfils.
    activity_id: str | None = None
    note: str | None = None
    id: str = field(default_factory=new_id)


MSG_YEAR = N_("Write the academic year as 2025-2026.")
MSG_NOT_IN_REGISTER = N_("“{measure}” is not kept in the support register.")
MSG_STATUS = N_("A record of “{measure}” cannot have the status “{status}”.")
MSG_AMOUNT = N_("The monthly amount must be a positive number of tenge.")
MSG_NO_AMOUNT = N_("Enter the monthly amount of the scholarship.")
MSG_PERIOD_REVERSED = N_("The end ({end}) is before the start ({start}).")
MSG_NO_SCHOOL = N_("Enter the specialised school.")
PER_MONTH = N_("{amount} a month")
ORDER = N_("order No. {number} of {date}")



def validate_record(record: SupportRecord) -> list[Finding]:
    """Errors that block saving a support record, and warnings."""
    found: list[Finding] = []
    if record.measure not in REGISTER_MEASURES:
        found.append(error("measure", MSG_NOT_IN_REGISTER, measure=record.measure.label))
        return found
    try:
        AcademicYear.parse(record.academic_year)
    except ValueError:
        found.append(error("academic_year", MSG_YEAR))
    if record.status not in STATUSES[record.measure]:
        found.append(error("status", MSG_STATUS, measure=record.measure.label,
                           status=record.status.label))
    for name in ("title", "place", "order_number"):
        check_text(found, name, getattr(record, name), MAX_TEXT)
    check_text(found, "note", record.note, MAX_NOTE)
    if record.amount is not None and record.amount <= 0:
        found.append(error("amount", MSG_AMOUNT))
    if (record.measure == M.SCHOLARSHIP and record.amount is None
            and record.status == SupportStatus.GRANTED):
        found.append(warning("amount", MSG_NO_AMOUNT))
    if record.start_date and record.end_date and record.end_date < record.start_date:
        found.append(error("end_date", MSG_PERIOD_REVERSED, start=format_date(record.start_date),
                           end=format_date(record.end_date)))
    if record.measure == M.SPECIALISED_SCHOOL and not (record.place or "").strip():
        found.append(error("place", MSG_NO_SCHOOL))
    return found


def activity_status(record: SupportRecord) -> ActivityStatus | None:
    """The status the record gives the road-map activity it fulfils (None: leave it).

    Granting completes the activity; an application under way keeps it in progress; the
    specialised school's answer, either way, completes it. A cancelled record leaves the
    activity to a person (it may have been planned before the grant and still be wanted).
    """
    if record.status == SupportStatus.APPLIED:
        return ActivityStatus.IN_PROGRESS
    if record.status == SupportStatus.CANCELLED:
        return None
    return ActivityStatus.DONE


def money(amount: int) -> str:
    """Tenge with thin groups of three digits, as documents print them (25 000 ₸)."""
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0₸"


def describe_record(record: SupportRecord, translate: Callable[[str], str] = _) -> str:
    """One line for the activity's result and the lists, in ``translate``'s language."""
    t = translate
    parts = [t(record.kind.label_id) if record.kind else t(record.measure.label_id)]
    if record.title:
        parts.append(f"«{record.title}»" if "«" not in record.title else record.title)
    if record.amount:
        parts.append(t(PER_MONTH).format(amount=money(record.amount)))
    if record.place:
        parts.append(record.place)
    if record.start_date or record.end_date:
        parts.append(f"{format_date(record.start_date)}–{format_date(record.end_date)}")
    if record.order_number:
        parts.append(t(ORDER).format(
            number=record.order_number, date=format_date(record.order_date) or "…"))
    if record.status != SupportStatus.GRANTED:
        parts.append(t(record.status.label_id).lower())
    return ", ".join(parts)


# -- eligibility -------------------------------------------------------------------------------
@dataclass(frozen=True)
class EligibilityRule:
    """Who is offered for a measure: pupils with a qualifying result.

    A result qualifies when its event is of ``min_level`` or higher, of one of ``kinds``
    (any kind when empty), and, with ``prize_only``, a prize (not a participation or a
    certificate of merit); it must be of the academic year asked for or, with ``years`` = 2,
    of the year before too. With ``target_groups_only`` the pupil must be in one of the
    decree's groups (living in a rural area, or a family category). ``grade_from`` and
    ``grade_to`` bound the pupil's present grade. With ``exclude_granted``, pupils who have
    the measure this academic year (not cancelled or refused) are left out.
    """

    measure: SupportMeasure
    min_level: EventLevel = EventLevel.REGIONAL
    prize_only: bool = True
    kinds: tuple[EventKind, ...] = ()
    target_groups_only: bool = True
    grade_from: int | None = None
    grade_to: int | None = None
    years: int = 1
    exclude_granted: bool = True

    def to_json(self) -> str:
        return json.dumps({
            "min_level": self.min_level.value, "prize_only": self.prize_only,
            "kinds": [k.value for k in self.kinds],
            "target_groups_only": self.target_groups_only, "grade_from": self.grade_from,
            "grade_to": self.grade_to, "years": self.years,
            "exclude_granted": self.exclude_granted}, sort_keys=True)

    @classmethod
    def from_json(cls, measure: SupportMeasure, text: str) -> EligibilityRule:
        """Read :meth:`to_json`'s form; what is missing or unknown keeps the default."""
        base = DEFAULT_RULES.get(measure, cls(measure))
        try:
            data: dict[str, Any] = json.loads(text)
        except ValueError:
            return base
        if not isinstance(data, dict):
            return base
        changes: dict[str, Any] = {}
        if data.get("min_level") in {lv.value for lv in EventLevel}:
            changes["min_level"] = EventLevel(data["min_level"])
        for name in ("prize_only", "target_groups_only", "exclude_granted"):
            if isinstance(data.get(name), bool):
                changes[name] = data[name]
        if isinstance(data.get("kinds"), list):
            known = {k.value for k in EventKind}
            changes["kinds"] = tuple(EventKind(k) for k in data["kinds"] if k in known)
        for name in ("grade_from", "grade_to"):
            value = data.get(name)
            if value is None or (isinstance(value, int) and value in GRADES):
                changes[name] = value
        if data.get("years") in (1, 2, 3):
            changes["years"] = data["years"]
        return replace(base, **changes)


_SCIENCE_AND_SPORT = (EventKind.SUBJECT_OLYMPIAD, EventKind.SCIENCE_PROJECTS,
                      EventKind.SPORT_COMPETITION)
_ACADEMIC = (EventKind.SUBJECT_OLYMPIAD, EventKind.SCIENCE_PROJECTS)

#: The decree's measures as rules (measure 14: prize-winners of regional, republican and
#: international olympiads, project and sport competitions; 11: the year's winners of
#: intellectual, creative and sport events; 9: summer subject camps for olympiad and project
#: prize-winners; 13: health camps; 16: grants for school leavers; 17: specialised schools,
#: which admit to grades 5–8 in spring).
DEFAULT_RULES: dict[SupportMeasure, EligibilityRule] = {
    M.SCHOLARSHIP: EligibilityRule(M.SCHOLARSHIP, EventLevel.REGIONAL, kinds=_SCIENCE_AND_SPORT),
    M.FORUM: EligibilityRule(M.FORUM, EventLevel.REGIONAL),
    M.SUMMER_CAMP: EligibilityRule(M.SUMMER_CAMP, EventLevel.DISTRICT, kinds=_ACADEMIC),
    M.HEALTH_CAMP: EligibilityRule(M.HEALTH_CAMP, EventLevel.DISTRICT),
    M.GRANT: EligibilityRule(M.GRANT, EventLevel.REGIONAL, grade_from=11, grade_to=11,
                             years=2),
    M.SPECIALISED_SCHOOL: EligibilityRule(M.SPECIALISED_SCHOOL, EventLevel.DISTRICT,
                                          kinds=_ACADEMIC, grade_from=4, grade_to=7, years=2),
}


def describe_rule(rule: EligibilityRule) -> list[str]:
    """The rule in words, one condition a line (current language)."""
    lines = [_("Results at events of the level “{level}” or higher.").format(
        level=rule.min_level.label)]
    lines.append(_("Only prize-winners (places, diplomas, medals, Grand Prix).")
                 if rule.prize_only else _("Any result, participation included."))
    if rule.kinds:
        lines.append(_("Kinds of event: {kinds}.").format(
            kinds=", ".join(k.label for k in rule.kinds)))
    else:
        lines.append(_("Events of every kind."))
    if rule.years > 1:
        lines.append(ngettext(
            "Results of the academic year asked for and of the year before it.",
            "Results of the academic year asked for and of the {count} years before it.",
            rule.years - 1).format(count=rule.years - 1))
    else:
        lines.append(_("Results of the academic year asked for."))
    if rule.target_groups_only:
        lines.append(_("Only pupils of the decree's target groups: living in a rural area, or"
                       " from a large, low-income or other family category."))
    if rule.grade_from is not None or rule.grade_to is not None:
        lines.append(_("Pupils of grades {first}–{last}.").format(
            first=rule.grade_from if rule.grade_from is not None else 0,
            last=rule.grade_to if rule.grade_to is not None else 11))
    if rule.exclude_granted:
        lines.append(_("Pupils who already have this measure in the year are left out."))
    return lines


@dataclass(frozen=True)
class ResultFact:
    """What eligibility needs of one achievement."""

    achievement_id: str
    pupil_id: str
    event_name: str
    event_kind: EventKind
    level: EventLevel
    award: Award
    academic_year: str
    subject: str | None = None
    date: date | None = None


@dataclass(frozen=True)
class PupilFact:
    """What eligibility needs of one pupil (active pupils only are offered)."""

    pupil_id: str
    full_name: str
    grade: int
    school_name: str
    district_kato: str
    rural: bool
    categories: tuple[FamilyCategory, ...] = ()
    sort_key: str = ""

    @property
    def groups(self) -> list[str]:
        """The target groups the pupil is in, as message ids (rural first)."""
        found = [N_("Rural area")] if self.rural else []
        return found + [c.label_id for c in self.categories]

    @property
    def in_target_group(self) -> bool:
        return self.rural or bool(self.categories)


@dataclass(frozen=True)
class Candidate:
    """A pupil a rule offers, with the best result that qualifies them."""

    pupil: PupilFact
    basis: ResultFact
    #: How many results qualify (the basis is the best of them).
    results: int = 1


def years_counted(rule: EligibilityRule, year: AcademicYear) -> list[str]:
    """The academic years whose results count for ``year``, latest first."""
    return [AcademicYear(year.start - i).label for i in range(max(1, rule.years))]


#: Each level's rank, looked up once (``EventLevel.rank`` searches the members each time).
LEVEL_RANK = {level: i for i, level in enumerate(EventLevel)}


def qualifies(rule: EligibilityRule, result: ResultFact, years: Iterable[str]) -> bool:
    """Whether one result meets the rule's conditions on results."""
    if result.academic_year not in years:
        return False
    if LEVEL_RANK[result.level] < LEVEL_RANK[rule.min_level]:
        return False
    if rule.prize_only and not result.award.is_prize:
        return False
    return not rule.kinds or result.event_kind in rule.kinds


def result_strength(result: ResultFact) -> tuple[int, int, str, str]:
    """Orders results: the highest level first, then the best award, then the latest."""
    return (LEVEL_RANK[result.level], AWARD_RANK.get(result.award, 0), result.academic_year,
            result.date.isoformat() if result.date else "")


def find_candidates(rule: EligibilityRule, year: AcademicYear, pupils: Mapping[str, PupilFact],
                    results: Iterable[ResultFact], *,
                    already: Iterable[str] = ()) -> list[Candidate]:
    """The pupils ``rule`` offers for ``year``, in the order of their names.

    ``pupils``: the active pupils (others are never offered); ``already``: ids of pupils who
    have the measure this year (left out when the rule says so).
    """
    years = set(years_counted(rule, year))
    excluded = set(already) if rule.exclude_granted else set()
    best: dict[str, ResultFact] = {}
    counts: dict[str, int] = {}
    for result in results:
        pupil = pupils.get(result.pupil_id)
        if pupil is None or pupil.pupil_id in excluded or not qualifies(rule, result, years):
            continue
        if rule.target_groups_only and not pupil.in_target_group:
            continue
        if rule.grade_from is not None and pupil.grade < rule.grade_from:
            continue
        if rule.grade_to is not None and pupil.grade > rule.grade_to:
            continue
        counts[pupil.pupil_id] = counts.get(pupil.pupil_id, 0) + 1
        held = best.get(pupil.pupil_id)
        if held is None or result_strength(result) > result_strength(held):
            best[pupil.pupil_id] = result
    found = [Candidate(pupils[pid], basis, counts[pid]) for pid, basis in best.items()]
    found.sort(key=lambda c: (c.pupil.sort_key, c.pupil.full_name, c.pupil.pupil_id))
    return found
