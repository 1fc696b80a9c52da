"""Enum values of the demo as plain strings, ready for the write path."""

from __future__ import annotations

from daryn_desktop.core.enums import (
    ActivityStatus,
    DiagnosticMethod,
    EventLevel,
    FamilyCategory,
    Language,
    PupilStatus,
    RoadMapStatus,
    Sex,
    SupportMeasure,
)

# Enum values as plain strings: the write path stores values, and passing them ready saves a
# conversion per column on millions of rows.
KK, RU, MIXED = Language.KAZAKH.value, Language.RUSSIAN.value, Language.MIXED.value
MALE, FEMALE = Sex.MALE.value, Sex.FEMALE.value
ACTIVE = PupilStatus.ACTIVE.value
PLANNED, IN_PROGRESS, DONE, CANCELLED = (
    ActivityStatus.PLANNED.value, ActivityStatus.IN_PROGRESS.value, ActivityStatus.DONE.value,
    ActivityStatus.CANCELLED.value)
LEVELS = [level.value for level in EventLevel]  # school … international, in rank order
LARGE, ASSISTANCE, LOW_INCOME, ORPHAN, NO_CARE, SINGLE, DISABILITY, EMERGENCY = (
    c.value for c in (FamilyCategory.LARGE_FAMILY, FamilyCategory.SOCIAL_ASSISTANCE,
                      FamilyCategory.LOW_INCOME, FamilyCategory.ORPHAN,
                      FamilyCategory.NO_PARENTAL_CARE, FamilyCategory.SINGLE_PARENT,
                      FamilyCategory.DISABILITY, FamilyCategory.EMERGENCY))
DRAFT, ACTIVE_MAP, SIGNED, CLOSED = (
    s.value for s in (RoadMapStatus.DRAFT, RoadMapStatus.ACTIVE, RoadMapStatus.SIGNED,
                      RoadMapStatus.CLOSED))
PSYCH_TEST, QABILET, INTERVIEW = (
    m.value for m in (DiagnosticMethod.PSYCHOLOGICAL_TEST, DiagnosticMethod.QABILET,
                      DiagnosticMethod.INTERVIEW))
OLYMPIAD_PREP = SupportMeasure.OLYMPIAD_PREPARATION.value
CLUB = SupportMeasure.CLUB.value
TECHNOPARK = SupportMeasure.TECHNOPARK.value
SUMMER_CAMP = SupportMeasure.SUMMER_CAMP.value
TRAINING = SupportMeasure.PSYCHOLOGICAL_TRAINING.value
FORUM = SupportMeasure.FORUM.value
VISIT = SupportMeasure.VISIT.value
HEALTH_CAMP = SupportMeasure.HEALTH_CAMP.value
SCHOLARSHIP = SupportMeasure.SCHOLARSHIP.value
GRANT = SupportMeasure.GRANT.value
SPECIALISED = SupportMeasure.SPECIALISED_SCHOOL.value
DISTANCE = SupportMeasure.DISTANCE_COURSE.value
COMPETITION = SupportMeasure.COMPETITION.value
OTHER = SupportMeasure.OTHER.value
