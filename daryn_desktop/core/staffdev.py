"""Professional development of teachers and psychologists (decree measure 4) and projects.

A training is a course, seminar, conference or master class a member of staff attended,
with its organiser, hours, dates and certificate. "Not trained in the last three years"
is the usual check before the year's plan of courses. Research projects (seed 003: the
school's «Дарын» scientific society) are here too: a pupil's topic with the school
supervisor and an external mentor; the stages a project went through are its entries in
the calendar's competitions (``Participant.project_id``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import Labeled
from daryn_desktop.core.findings import Finding, check_text, error, warning
from daryn_desktop.core.ids import new_id
from daryn_desktop.i18n import N_

#: "Not trained in the last N years": courses are due every three years.
TRAINING_PERIOD_YEARS = 3
MAX_TEXT = 300
MAX_NOTE = 1000
MAX_HOURS = 2000


class TrainingKind(Labeled):
    COURSE = "course", N_("Course")
    SEMINAR = "seminar", N_("Seminar")
    CONFERENCE = "conference", N_("Conference")
    MASTER_CLASS = "master_class", N_("Master class")
    INTERNSHIP = "internship", N_("Internship")


@dataclass
class StaffTraining:
    """A course or seminar one member of staff attended."""

    staff_id: str
    title: str
    kind: TrainingKind = TrainingKind.COURSE
    organiser: str | None = None
    hours: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    certificate_number: str | None = None
    note: str | None = None
    removed: bool = False
    id: str = field(default_factory=new_id)

    @property
    def finished(self) -> date | None:
        return self.end_date or self.start_date


@dataclass
class ResearchProject:
    """A pupil's research project: topic, section, supervisor and an external mentor."""

    pupil_id: str
    academic_year: str
    topic: str
    section: str | None = None
    #: The school's supervisor (a member of staff).
    supervisor_id: str | None = None
    #: The external mentor, often of a university, and where they work.
    mentor_name: str | None = None
    mentor_organisation: str | None = None
    #: The competition the project is prepared for.
    event_id: str | None = None
    note: str | None = None
    removed: bool = False
    id: str = field(default_factory=new_id)


MSG_HOURS = N_("The hours must be a whole number from 1 to {max}.")
MSG_REVERSED = N_("The end ({end}) is before the start ({start}).")
MSG_FUTURE = N_("The course ends in the future ({date}): is the date right?")
MSG_YEAR = N_("Write the academic year as 2025-2026.")



def validate_training(training: StaffTraining, *, today: date | None = None) -> list[Finding]:
    found: list[Finding] = []
    check_text(found, "title", training.title, MAX_TEXT, required=True)
    for name in ("organiser", "certificate_number"):
        check_text(found, name, getattr(training, name), MAX_TEXT)
    check_text(found, "note", training.note, MAX_NOTE)
    if training.hours is not None and not 1 <= training.hours <= MAX_HOURS:
        found.append(error("hours", MSG_HOURS, max=MAX_HOURS))
    start, end = training.start_date, training.end_date
    if start and end and end < start:
        found.append(error("end_date", MSG_REVERSED, start=format_date(start),
                           end=format_date(end)))
    finished = training.finished
    if finished and finished > (today or date.today()):
        found.append(warning("end_date", MSG_FUTURE, date=format_date(finished)))
    return found


def validate_project(project: ResearchProject) -> list[Finding]:
    found: list[Finding] = []
    check_text(found, "topic", project.topic, MAX_TEXT, required=True)
    for name in ("section", "mentor_name", "mentor_organisation"):
        check_text(found, name, getattr(project, name), MAX_TEXT)
    check_text(found, "note", project.note, MAX_NOTE)
    try:
        AcademicYear.parse(project.academic_year)
    except ValueError:
        found.append(error("academic_year", MSG_YEAR))
    return found


def last_trained(trainings: Iterable[StaffTraining], today: date | None = None) -> date | None:
    """When the person last finished a course (removed and future ones do not count)."""
    today = today or date.today()
    days = [t.finished for t in trainings
            if not t.removed and t.finished is not None and t.finished <= today]
    return max(days) if days else None


def training_due_since(today: date, years: int = TRAINING_PERIOD_YEARS) -> date:
    """The day from which a course counts as recent: ``years`` before ``today``."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def needs_training(last: date | None, today: date, years: int = TRAINING_PERIOD_YEARS) -> bool:
    """Not trained in the last ``years`` years (or never)."""
    return last is None or last < training_due_since(today, years)
