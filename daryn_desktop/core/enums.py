"""The vocabulary of the decree and of the schools, as enumerations with translatable labels."""

from __future__ import annotations

from enum import Enum

from daryn_desktop.i18n import N_, _


class Labeled(str, Enum):
    """A string enumeration whose members carry an untranslated label (translated on display)."""

    _value_: str
    label_id: str

    # `label` defaults only for the type checker's sake: a lookup such as `Role("district")` is
    # answered by Enum's metaclass from its value map and never reaches this method, which runs
    # once per member, with the (value, label) pair of its definition.
    def __new__(cls, value: str, label: str = "") -> Labeled:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label_id = label
        return obj

    @property
    def label(self) -> str:
        """The member's name in the current language."""
        return _(self.label_id)

    def __str__(self) -> str:
        return self._value_


class Role(Labeled):
    DISTRICT = "district", N_("District coordinator")
    REGION = "region", N_("Regional centre")


class Sex(Labeled):
    MALE = "male", N_("Male")
    FEMALE = "female", N_("Female")


class Language(Labeled):
    """Language of instruction of a school or a pupil."""

    KAZAKH = "kk", N_("Kazakh")
    RUSSIAN = "ru", N_("Russian")
    MIXED = "mixed", N_("Kazakh and Russian")
    UZBEK = "uz", N_("Uzbek")
    UYGHUR = "ug", N_("Uyghur")
    TAJIK = "tg", N_("Tajik")
    ENGLISH = "en", N_("English")


class PupilStatus(Labeled):
    ACTIVE = "active", N_("Studying")
    ARCHIVED = "archived", N_("Archived")
    LEFT = "left", N_("Left the school")


class FamilyCategory(Labeled):
    """The decree's target groups (a child may belong to several); rural follows from the place."""

    LARGE_FAMILY = "large_family", N_("Large family")
    SOCIAL_ASSISTANCE = "social_assistance", N_("Receives targeted social assistance")
    LOW_INCOME = "low_income", N_("Income below the subsistence minimum")
    ORPHAN = "orphan", N_("Orphan")
    NO_PARENTAL_CARE = "no_parental_care", N_("Without parental care")
    DISABILITY = "disability", N_("Child with a disability")
    SINGLE_PARENT = "single_parent", N_("Single-parent family")
    EMERGENCY = "emergency", N_("Family after an emergency")
    OTHER = "other", N_("Other")


class GiftednessKind(Labeled):
    INTELLECTUAL = "intellectual", N_("Intellectual")
    CREATIVE = "creative", N_("Creative")
    SPORT = "sport", N_("Sport")
    TECHNICAL = "technical", N_("Scientific and technical")


class DiagnosticMethod(Labeled):
    OLYMPIAD_RESULT = "olympiad_result", N_("Olympiad or competition result")
    TEACHER_NOMINATION = "teacher_nomination", N_("Teacher nomination")
    PSYCHOLOGICAL_TEST = "psychological_test", N_("Psychological test")
    PORTFOLIO = "portfolio", N_("Portfolio")
    QABILET = "qabilet", N_("Qabilet ability diagnostics")
    INTERVIEW = "interview", N_("Interview")
    OTHER = "other", N_("Other")


class EventKind(Labeled):
    SUBJECT_OLYMPIAD = "subject_olympiad", N_("Subject olympiad")
    SCIENCE_PROJECTS = "science_projects", N_("Competition of scientific projects")
    CREATIVE_CONTEST = "creative_contest", N_("Creative contest")
    SPORT_COMPETITION = "sport_competition", N_("Sport competition")
    DEBATE = "debate", N_("Debate tournament")
    FESTIVAL = "festival", N_("Festival")
    INTELLECTUAL_GAME = "intellectual_game", N_("Intellectual game")
    OTHER = "other", N_("Other")


class EventLevel(Labeled):
    """Levels in increasing order; comparisons use ``rank``."""

    SCHOOL = "school", N_("School level")
    DISTRICT = "district", N_("District or city")
    REGIONAL = "regional", N_("Regional")
    REPUBLICAN = "republican", N_("Republican")
    INTERNATIONAL = "international", N_("International")

    @property
    def rank(self) -> int:
        return list(EventLevel).index(self)


class Award(Labeled):
    PLACE_1 = "place_1", N_("1st place")
    PLACE_2 = "place_2", N_("2nd place")
    PLACE_3 = "place_3", N_("3rd place")
    DIPLOMA_1 = "diploma_1", N_("Diploma of the I degree")
    DIPLOMA_2 = "diploma_2", N_("Diploma of the II degree")
    DIPLOMA_3 = "diploma_3", N_("Diploma of the III degree")
    GOLD = "gold", N_("Gold medal")
    SILVER = "silver", N_("Silver medal")
    BRONZE = "bronze", N_("Bronze medal")
    GRAND_PRIX = "grand_prix", N_("Grand Prix")
    HONOURABLE_MENTION = "honourable_mention", N_("Honourable mention")
    CERTIFICATE_OF_MERIT = "certificate_of_merit", N_("Certificate of merit")
    PARTICIPANT = "participant", N_("Participant")

    @property
    def is_prize(self) -> bool:
        """Whether the award makes the child a winner or prize holder (scholarships, ranking)."""
        return self not in (Award.PARTICIPANT, Award.CERTIFICATE_OF_MERIT)


class RoadMapStatus(Labeled):
    DRAFT = "draft", N_("Draft")
    ACTIVE = "active", N_("Active")
    SIGNED = "signed", N_("Signed")
    CLOSED = "closed", N_("Closed")


class SupportMeasure(Labeled):
    """Activity types of a road map: the decree's support measures."""

    OLYMPIAD_PREPARATION = "olympiad_preparation", N_("Olympiad preparation")
    CLUB = "club", N_("Club")
    TECHNOPARK = "technopark", N_("Technopark project")
    SUMMER_CAMP = "summer_camp", N_("Summer subject camp")
    PSYCHOLOGICAL_TRAINING = "psychological_training", N_("Psychological training")
    FORUM = "forum", N_("Forum «Сен үздіксің!»")
    VISIT = "visit", N_("Museum, exhibition or sacred-place visit")
    HEALTH_CAMP = "health_camp", N_("Health-camp voucher")
    SCHOLARSHIP = "scholarship", N_("Scholarship")
    GRANT = "grant", N_("Higher-education grant")
    SPECIALISED_SCHOOL = "specialised_school", N_("Support for admission to a specialised school")
    DISTANCE_COURSE = "distance_course", N_("Distance course")
    COMPETITION = "competition", N_("Competition participation")
    OTHER = "other", N_("Other")


class ActivityStatus(Labeled):
    PLANNED = "planned", N_("Planned")
    IN_PROGRESS = "in_progress", N_("In progress")
    DONE = "done", N_("Done")
    CANCELLED = "cancelled", N_("Cancelled")


class StaffRole(Labeled):
    TEACHER = "teacher", N_("Teacher")
    MENTOR = "mentor", N_("Mentor")
    PSYCHOLOGIST = "psychologist", N_("Psychologist")
    COORDINATOR = "coordinator", N_("Coordinator")
    SCHOOL_HEAD = "school_head", N_("School head")
    DEPUTY_HEAD = "deputy_head", N_("Deputy head")


class GuardianRelation(Labeled):
    MOTHER = "mother", N_("Mother")
    FATHER = "father", N_("Father")
    GUARDIAN = "guardian", N_("Guardian")
    GRANDPARENT = "grandparent", N_("Grandparent")
    OTHER = "other", N_("Other relative")


class AttachmentKind(Labeled):
    DIPLOMA = "diploma", N_("Diploma or certificate of merit")
    CONSENT = "consent", N_("Signed consent form")
    DIAGNOSTIC = "diagnostic", N_("Diagnostic report")
    OTHER = "other", N_("Other document")
