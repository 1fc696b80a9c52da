"""How the decree's figures are counted: target groups, grade bands, measures, teacher weights.

Everything a person may ask "how is this counted?" about is defined here, once, and the
spreadsheet's *Definitions* sheet is written from the same texts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import Award, EventLevel, FamilyCategory, SupportMeasure
from daryn_desktop.core.stats.model import Msg
from daryn_desktop.i18n import N_

# -- the tables -----------------------------------------------------------------------------
T1, T2, T3, T4, T5, T6, DUPLICATES = "T1", "T2", "T3", "T4", "T5", "T6", "duplicates"
#: Tables of counts, produced by default; they name nobody.
AGGREGATE_TABLES = (T1, T2, T3, T5, T6)
#: Lists that name people: produced only when asked for by name.
PERSONAL_TABLES = (T4, DUPLICATES)
ALL_TABLES = (T1, T2, T3, T4, T5, T6, DUPLICATES)
#: The tables whose headline figures a district sends to the region in its bundles.
HEADLINE_TABLES = (T1, T2, T5)

TABLE_TITLES = {
    T1: N_("T1. Identified gifted children (measure 1)"),
    T2: N_("T2. Support measures (measures 6, 8–14, 16, 17)"),
    T3: N_("T3. Achievements"),
    T4: N_("T4. Teachers who prepared prize-winners (measure 15)"),
    T5: N_("T5. Individual road maps"),
    T6: N_("T6. Data quality and sync"),
    DUPLICATES: N_("T6. The same child in two records"),
}

# -- target groups --------------------------------------------------------------------------
RURAL, LARGE, LOW_INCOME, ANY_TARGET = "rural", "large", "low_income", "any_target"
#: The decree's target groups: rural (from the school's settlement), large families, and
#: low-income families — receiving targeted social assistance or with income below the
#: subsistence minimum, two separate facts that both count.
TARGET_GROUPS = (RURAL, LARGE, LOW_INCOME, ANY_TARGET)
TARGET_GROUP_TITLES = {
    RURAL: N_("Rural schools"),
    LARGE: N_("Large families"),
    LOW_INCOME: N_("Low-income families"),
    ANY_TARGET: N_("Any target group"),
}
LOW_INCOME_CATEGORIES = frozenset({FamilyCategory.SOCIAL_ASSISTANCE.value,
                                   FamilyCategory.LOW_INCOME.value})


def target_groups(rural: bool, categories: frozenset[str] | set[str]) -> set[str]:
    """The target groups of a child living in a rural (or urban) place with these categories."""
    found = set()
    if rural:
        found.add(RURAL)
    if FamilyCategory.LARGE_FAMILY.value in categories:
        found.add(LARGE)
    if categories & LOW_INCOME_CATEGORIES:
        found.add(LOW_INCOME)
    if found:
        found.add(ANY_TARGET)
    return found


# -- grade bands ----------------------------------------------------------------------------
#: Pre-school class, primary (1–4), basic (5–9) and upper (10–11, 12 where tried) school.
GRADE_BANDS = (("band_0", 0, 0, N_("Pre-school class")),
               ("band_1_4", 1, 4, N_("Grades 1–4")),
               ("band_5_9", 5, 9, N_("Grades 5–9")),
               ("band_10_12", 10, 12, N_("Grades 10–12")))


def grade_band(grade: int) -> str:
    for key, low, high, _title in GRADE_BANDS:
        if low <= grade <= high:
            return key
    return GRADE_BANDS[0][0] if grade < 0 else GRADE_BANDS[-1][0]


def grade_in_year(grade: int, current: AcademicYear, year: AcademicYear) -> int:
    """The grade a pupil, now in ``grade`` (in ``current``), was or will be in ``year``."""
    return grade - (current.start - year.start)


# -- support measures -----------------------------------------------------------------------
#: The decree's measure number of each activity type (measure 6 is the broad "coverage by
#: activities in science, culture, art and sport").
DECREE_MEASURE = {
    SupportMeasure.OLYMPIAD_PREPARATION: 6, SupportMeasure.CLUB: 6,
    SupportMeasure.COMPETITION: 6, SupportMeasure.DISTANCE_COURSE: 6, SupportMeasure.OTHER: 6,
    SupportMeasure.TECHNOPARK: 8, SupportMeasure.SUMMER_CAMP: 9,
    SupportMeasure.PSYCHOLOGICAL_TRAINING: 10, SupportMeasure.FORUM: 11,
    SupportMeasure.VISIT: 12, SupportMeasure.HEALTH_CAMP: 13, SupportMeasure.SCHOLARSHIP: 14,
    SupportMeasure.GRANT: 16, SupportMeasure.SPECIALISED_SCHOOL: 17,
}
#: Activity statuses that count as "planned" (anything not cancelled) and as "done".
PLANNED_STATUSES = frozenset({"planned", "in_progress", "done"})
DONE_STATUS = "done"
OPEN_STATUSES = frozenset({"planned", "in_progress"})
#: Road maps whose open activities can be overdue (a closed one is over).
LIVE_ROAD_MAPS = frozenset({"draft", "active", "signed"})

# -- awards ---------------------------------------------------------------------------------
#: Awards grouped by degree: first (1st place, diploma of the I degree, gold, Grand Prix) …
AWARD_DEGREE = {
    Award.GRAND_PRIX: 1, Award.PLACE_1: 1, Award.DIPLOMA_1: 1, Award.GOLD: 1,
    Award.PLACE_2: 2, Award.DIPLOMA_2: 2, Award.SILVER: 2,
    Award.PLACE_3: 3, Award.DIPLOMA_3: 3, Award.BRONZE: 3,
    Award.HONOURABLE_MENTION: 4,
    Award.CERTIFICATE_OF_MERIT: 5, Award.PARTICIPANT: 5,
}
DEGREE_TITLES = {1: N_("1st degree"), 2: N_("2nd degree"), 3: N_("3rd degree"),
                 4: N_("Honourable mention"), 5: N_("Participation")}


_PRIZE = {a.value: a.is_prize for a in Award}
#: The awards that are prizes (the year before is compared by its prizes only).
PRIZE_AWARDS = tuple(sorted(award for award, prize in _PRIZE.items() if prize))
_DEGREE = {a.value: n for a, n in AWARD_DEGREE.items()}


def is_prize(award: str) -> bool:
    return _PRIZE.get(award, False)


def degree(award: str) -> int:
    return _DEGREE.get(award, 5)


# -- teacher weighting (measure 15) ---------------------------------------------------------
@dataclass
class TeacherWeights:
    """Points for a prize by the event's level times points for the award's degree.

    The defaults follow the decree's measure 15 — teachers who prepared prize-winners of
    republican and international events from rural, large and low-income families: higher
    levels weigh much more, school-level results nothing, and only pupils of a target group
    count. A regional centre may change every number (Reports → Weights…).
    """

    level: dict[str, float] = field(default_factory=lambda: {
        EventLevel.SCHOOL.value: 0.0, EventLevel.DISTRICT.value: 1.0,
        EventLevel.REGIONAL.value: 2.0, EventLevel.REPUBLICAN.value: 5.0,
        EventLevel.INTERNATIONAL.value: 10.0})
    degree: dict[int, float] = field(default_factory=lambda: {1: 3.0, 2: 2.0, 3: 1.0, 4: 0.5})
    target_groups_only: bool = True

    def points(self, level: str, award: str) -> float:
        return self.level.get(level, 0.0) * self.degree.get(degree(award), 0.0)

    def to_json(self) -> str:
        return json.dumps({"level": self.level, "degree": {str(k): v for k, v in
                                                           self.degree.items()},
                           "target_groups_only": self.target_groups_only}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> TeacherWeights:
        """Weights saved by :meth:`to_json`; the defaults for nothing or anything damaged."""
        weights = cls()
        if not text:
            return weights
        try:
            data = json.loads(text)
            level = {str(k): float(v) for k, v in data["level"].items()}
            deg = {int(k): float(v) for k, v in data["degree"].items()}
            only = bool(data["target_groups_only"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return weights
        weights.level.update({k: v for k, v in level.items() if k in weights.level})
        weights.degree.update({k: v for k, v in deg.items() if k in weights.degree})
        weights.target_groups_only = only
        return weights


# -- dates ----------------------------------------------------------------------------------
def default_as_of(year: AcademicYear, today: date) -> date:
    """Today within the year; its last day for a past year; its first day for a future one."""
    return min(max(today, year.first_day), year.last_day)


def year_earlier(d: date) -> date:
    """The same day a year before (28 February for 29 February)."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


#: A district that sent nothing for longer than this stands out on the Overview.
SILENT_DAYS = 30


def days_between(earlier: date, later: date) -> int:
    return (later - earlier) // timedelta(days=1)


# -- privacy --------------------------------------------------------------------------------
#: Counts below this are blanked in files that leave the office, unless told otherwise.
DEFAULT_SUPPRESS_BELOW = 3

# -- the Definitions sheet ------------------------------------------------------------------
#: (key, title, text) of each rule, in the order of the Definitions sheet.
DEFINITIONS: tuple[tuple[str, str, Msg], ...] = (
    ("register", N_("The register on a day"), Msg(N_(
        "A child is in the register as of a date when the record was known by then (the"
        " earliest of: the consent date, the first day of its first road map's academic year,"
        " the day the record was entered) and was studying then (not archived or left before"
        " that day). Records archived as duplicates are never counted."))),
    ("once", N_("A child counted once"), Msg(N_(
        "The same child registered twice (the same IIN and the same name) is counted once:"
        " in the district of one of the records until a person keeps one and archives the"
        " other as a duplicate. Equal IINs with different names are listed for a person and"
        " counted as two records; they are never merged automatically."))),
    ("rural", N_("Rural or urban"), Msg(N_(
        "Rural or urban follows from the school's settlement in the KATO classifier."))),
    ("categories", N_("Family categories"), Msg(N_(
        "A family category counts when its dates cover the “as of” date (no start date:"
        " since always; no end date: still valid)."))),
    ("groups", N_("Target groups"), Msg(N_(
        "Target groups: rural schools; large families; low-income families (receiving"
        " targeted social assistance or with income below the subsistence minimum). “Any"
        " target group” is a child in at least one of them."))),
    ("headline", N_("Measure 1"), Msg(N_(
        "Measure 1 asks for two figures: gifted pupils living in rural areas (pupils of"
        " rural schools), and gifted pupils of urban schools from large and low-income"
        " families."))),
    ("grades", N_("Grade bands"), Msg(N_(
        "Grade bands use the grade in that academic year: the present grade, less one for"
        " each year back."))),
    ("previous", N_("Previous year"), Msg(N_(
        "“Previous year” is the same figure for the academic year before, as of the same"
        " day one year earlier."))),
    ("measures", N_("Support measures"), Msg(N_(
        "Support measures are the activity types of the road maps of that academic year:"
        " “planned” is a pupil with at least one such activity not cancelled, “done” with"
        " at least one done. The share is of all pupils of the group in the register."))),
    ("achievements", N_("Achievements and prizes"), Msg(N_(
        "Achievements are results of that academic year. Prizes are every award but"
        " participation and certificates of merit; “1st degree” is a first place, a diploma"
        " of the I degree, a gold medal or a Grand Prix."))),
    ("teachers", N_("Teachers' scores"), Msg(N_(
        "A teacher's score adds, for each prize of a pupil they prepared, the points of the"
        " event's level times the points of the award's degree (see the weights below);"
        " teachers are ranked by score."))),
    ("road_maps", N_("Road maps"), Msg(N_(
        "Road maps of that academic year by status. “Review this quarter” is a review"
        " written for the quarter the “as of” date falls in (or the last one before it);"
        " an activity is overdue when it is planned or in progress and its due date, or"
        " the end of its quarter, is before the “as of” date."))),
    ("quality", N_("Data quality and sync"), Msg(N_(
        "T6 counts, per district, the records a coordinator should complete, the bundles"
        " exchanged, the changes not yet acknowledged, the conflicts waiting for a person"
        " and the children registered twice; “District's figures” compares the T1, T2 and"
        " T5 figures the district sent in its last bundle with the same figures computed"
        " here."))),
    ("privacy", N_("Privacy"), Msg(N_(
        "Counts above 0 and below {k} are blanked in files meant to leave the office, so"
        " that a small village's figure cannot identify a child; totals are computed from"
        " all records."))),
)
