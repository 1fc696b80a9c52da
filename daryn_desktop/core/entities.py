"""The records the product keeps, as plain dataclasses (field names are the storage columns)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

from daryn_desktop.core.enums import (
    ActivityStatus,
    AttachmentKind,
    Award,
    DiagnosticMethod,
    EventKind,
    EventLevel,
    FamilyCategory,
    GiftednessKind,
    GuardianRelation,
    Language,
    PupilStatus,
    RoadMapStatus,
    Role,
    Sex,
    StaffRole,
    SupportMeasure,
)
from daryn_desktop.core.ids import new_id
from daryn_desktop.i18n.collation import name_sort_key


def _full_name(surname: str, given_name: str, patronymic: str | None) -> str:
    return " ".join(part for part in (surname, given_name, patronymic) if part)


@dataclass
class Installation:
    """This database's owner: a district coordinator's office or a regional centre."""

    role: Role
    region_kato: str
    name: str
    district_kato: str | None = None
    site_id: str = field(default_factory=new_id)
    id: str = field(default_factory=new_id)
    created_at: str = ""


@dataclass
class School:
    name: str
    settlement_kato: str
    district_kato: str
    language: Language = Language.KAZAKH
    small_ungraded: bool = False
    address: str | None = None
    phone: str | None = None
    archived: bool = False
    id: str = field(default_factory=new_id)


@dataclass
class Staff:
    """A teacher, mentor, psychologist, coordinator or school head."""

    surname: str
    given_name: str
    role: StaffRole
    patronymic: str | None = None
    school_id: str | None = None
    subject: str | None = None
    phone: str | None = None
    archived: bool = False
    id: str = field(default_factory=new_id)

    @property
    def full_name(self) -> str:
        return _full_name(self.surname, self.given_name, self.patronymic)

    @property
    def short_name(self) -> str:
        """Surname and initials, as printed in signature blocks ("Сейітова А.Б.")."""
        initials = "".join(f"{p[0]}." for p in (self.given_name, self.patronymic) if p)
        return f"{self.surname} {initials}".strip()


@dataclass
class Pupil:
    surname: str
    given_name: str
    iin: str
    school_id: str
    grade: int
    patronymic: str | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    class_letter: str | None = None
    language: Language | None = None
    settlement_kato: str | None = None
    status: PupilStatus = PupilStatus.ACTIVE
    archive_reason: str | None = None
    consent_given: bool = False
    consent_date: date | None = None
    phone: str | None = None
    address: str | None = None
    notes: str | None = None
    id: str = field(default_factory=new_id)

    @property
    def full_name(self) -> str:
        return _full_name(self.surname, self.given_name, self.patronymic)

    @property
    def sort_key(self) -> str:
        return name_sort_key(self.surname, self.given_name, self.patronymic)

    @property
    def grade_label(self) -> str:
        return f"{self.grade}{self.class_letter or ''}"


@dataclass
class Guardian:
    pupil_id: str
    full_name: str
    relation: GuardianRelation = GuardianRelation.MOTHER
    phone: str | None = None
    workplace: str | None = None
    notes: str | None = None
    id: str = field(default_factory=new_id)


@dataclass
class CategoryRecord:
    """A family category of a pupil, with the date it was evidenced and a note."""

    pupil_id: str
    category: FamilyCategory
    since: date | None = None
    until: date | None = None
    note: str | None = None
    id: str = field(default_factory=new_id)

    def is_current(self, on: date) -> bool:
        return (self.since is None or self.since <= on) and (self.until is None or on <= self.until)


@dataclass
class GiftednessArea:
    pupil_id: str
    kind: GiftednessKind
    field: str  # the subject, art or sport; it shadows dataclasses.field in this class body
    note: str | None = None
    id: str = dataclasses.field(default_factory=new_id)


@dataclass
class Diagnostic:
    """How an ability was identified: a test, a nomination, a result."""

    pupil_id: str
    method: DiagnosticMethod
    date: date | None = None
    result: str | None = None
    conducted_by: str | None = None
    staff_id: str | None = None
    id: str = field(default_factory=new_id)


@dataclass
class Event:
    """An olympiad, contest or competition in the events calendar."""

    name: str
    kind: EventKind
    level: EventLevel
    academic_year: str
    subject: str | None = None
    date: date | None = None
    organiser: str | None = None
    #: Grades the event is for (both inclusive); None when open to any grade.
    grade_from: int | None = None
    grade_to: int | None = None
    #: The district an event belongs to; None for the regional centre's events, which every
    #: district of the region receives (see ``sync/scope.py``).
    district_kato: str | None = None
    #: The calendar template it was made from (``core.events.EventTemplate``), if any.
    template: str | None = None
    note: str | None = None
    #: Cancelled or entered by mistake: kept (sync never deletes) but no longer listed.
    archived: bool = False
    id: str = field(default_factory=new_id)


@dataclass
class Achievement:
    pupil_id: str
    event_name: str
    event_kind: EventKind
    level: EventLevel
    academic_year: str
    award: Award
    subject: str | None = None
    date: date | None = None
    event_id: str | None = None
    teacher_id: str | None = None
    note: str | None = None
    #: The stage of a calendar event this is the result of (see ``core/events.py``).
    stage_id: str | None = None
    #: Points scored and the place taken, where the organisers publish them.
    score: float | None = None
    place: int | None = None
    id: str = field(default_factory=new_id)


@dataclass
class RoadMap:
    """The individual road map of one pupil for one academic year."""

    pupil_id: str
    academic_year: str
    status: RoadMapStatus = RoadMapStatus.DRAFT
    identification: str | None = None
    strengths: str | None = None
    interests: str | None = None
    coordinator_id: str | None = None
    mentor_id: str | None = None
    psychologist_id: str | None = None
    signed_date: date | None = None
    closed_date: date | None = None
    note: str | None = None
    id: str = field(default_factory=new_id)


@dataclass
class Goal:
    road_map_id: str
    text: str
    achieved: bool = False
    position: int = 0
    id: str = field(default_factory=new_id)


@dataclass
class Activity:
    road_map_id: str
    measure: SupportMeasure
    title: str
    responsible: str | None = None
    responsible_id: str | None = None
    start_date: date | None = None
    due_date: date | None = None
    due_quarter: int | None = None
    status: ActivityStatus = ActivityStatus.PLANNED
    result: str | None = None
    position: int = 0
    id: str = field(default_factory=new_id)


@dataclass
class Review:
    """A quarterly review of a road map; reviews are never edited, only added."""

    road_map_id: str
    quarter: int
    text: str
    date: date
    author: str | None = None
    id: str = field(default_factory=new_id)


@dataclass
class Amendment:
    """A numbered change to a signed road map, with its date and reason."""

    road_map_id: str
    number: int
    date: date
    reason: str
    summary: str | None = None
    id: str = field(default_factory=new_id)


@dataclass
class Attachment:
    """A scanned document of a pupil, stored once by the SHA-256 of its content."""

    pupil_id: str
    sha256: str
    filename: str
    mime: str
    size: int
    kind: AttachmentKind = AttachmentKind.OTHER
    note: str | None = None
    id: str = field(default_factory=new_id)
