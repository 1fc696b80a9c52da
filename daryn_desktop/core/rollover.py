"""The new academic year: every studying pupil one grade up, school leavers archived as having
finished school, and which year the registry is in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_

#: The last grade of school: who finishes it leaves (grade 12 only in pilot schools).
LAST_GRADE = 11
#: The end of basic school: pupils marked as leaving then go to college or work.
BASIC_SCHOOL_GRADE = 9

MSG_GRADUATED = N_("Finished school in {year}")
MSG_LEFT_AFTER_9 = N_("Finished grade 9 in {year}")


class AlreadyInYear(UserError):
    message = N_("The registry has already been moved to the academic year {year}.")


class OneYearAtATime(UserError):
    message = N_("The registry is in the academic year {current}: it can only be moved to {next}.")


class NotTheNextYear(UserError):
    message = N_("The new academic year can only be {current} or {next}, not {year}.")


@dataclass(frozen=True)
class PupilGrade:
    id: str
    grade: int


@dataclass
class RolloverPlan:
    """Who moves up to which grade and who leaves, with the counts per grade."""

    from_year: AcademicYear
    to_year: AcademicYear
    #: Pupil id → the new grade.
    promotions: dict[str, int] = field(default_factory=dict)
    #: Pupils who finished grade 11 (or 12).
    graduates: list[str] = field(default_factory=list)
    #: Pupils who finished grade 9 and were marked as leaving.
    leavers: list[str] = field(default_factory=list)
    before: Counter[int] = field(default_factory=Counter)
    after: Counter[int] = field(default_factory=Counter)

    @property
    def leaving(self) -> list[str]:
        return [*self.graduates, *self.leavers]


def check_target(to: AcademicYear, current: AcademicYear | None, today: date) -> AcademicYear:
    """The year the registry is moved from; raises when ``to`` is not the next one.

    ``current`` is the year a previous move left the registry in (None before the first):
    then the move may go to this academic year (done in September) or the next one (done
    in the summer, which still belongs to the year that ends).
    """
    if current is not None:
        if to <= current:
            raise AlreadyInYear(year=current.label)
        if to != current.next():
            raise OneYearAtATime(current=current.label, next=current.next().label)
        return current
    now = AcademicYear.containing(today)
    if to not in (now, now.next()):
        raise NotTheNextYear(current=now.label, next=now.next().label, year=to.label)
    return to.previous()


def plan_rollover(pupils: Iterable[PupilGrade], to: AcademicYear, *,
                  leaving_after_9: Iterable[str] = ()) -> RolloverPlan:
    """Grades +1; who finished the last grade (or grade 9, when marked so) leaves."""
    leaving = set(leaving_after_9)
    plan = RolloverPlan(to.previous(), to)
    for pupil in pupils:
        plan.before[pupil.grade] += 1
        if pupil.grade >= LAST_GRADE:
            plan.graduates.append(pupil.id)
        elif pupil.grade == BASIC_SCHOOL_GRADE and pupil.id in leaving:
            plan.leavers.append(pupil.id)
        else:
            plan.promotions[pupil.id] = pupil.grade + 1
            plan.after[pupil.grade + 1] += 1
    return plan
