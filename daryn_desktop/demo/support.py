"""Support for a demo pupil's prizes, each linked to the road-map activity it fulfils."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from daryn_desktop.core.enums import EventLevel, SupportMeasure
from daryn_desktop.core.ids import new_id
from daryn_desktop.core.support import (
    ScholarshipKind,
    SupportRecord,
    SupportStatus,
    describe_record,
)
from daryn_desktop.demo import names as words
from daryn_desktop.demo.run import Part, Prize, PupilContext, Run
from daryn_desktop.demo.values import ASSISTANCE, DONE, IN_PROGRESS, LARGE, LOW_INCOME, PLANNED
from daryn_desktop.i18n import gettext_for
from daryn_desktop.storage.rows import to_row


class Support(Part):
    """Scholarships, forum invitations, camps and applications to specialised schools."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        #: The scholarship order of each district this year: (number, date).
        self.orders: dict[str, tuple[str, date]] = {}

    def make(self, pupil_id: str, ctx: PupilContext, prizes: list[Prize],
             activities: list[dict[str, Any]], t: dict[str, list[dict[str, Any]]]) -> None:
        """Support this year for a target-group pupil with this year's prizes: scholarships,
        forum invitations, camps, applications to specialised schools — each linked to the
        road-map activity it fulfils when that has begun (``activities``: those of the
        pupil's road map of this year, as written)."""
        rng = self.rng
        rand = rng.random
        year = self.year
        best = max(prizes, key=lambda p: p.rank)
        basis = best.achievement_id
        regional = best.rank >= EventLevel.REGIONAL.rank
        academic = [p for p in prizes if p.kind in ("subject_olympiad", "science_projects")]
        records: list[SupportRecord] = []
        if regional and rand() < 0.6:
            district = ctx.school.district
            if district not in self.orders:
                self.orders[district] = (str(100 + len(self.orders) * 7 + rng.randint(1, 6)),
                                         year.first_day + timedelta(days=rng.randint(25, 40)))
            number, signed = self.orders[district]
            if signed <= self.today:
                named = best.rank >= EventLevel.REPUBLICAN.rank or rand() < 0.3
                records.append(SupportRecord(
                    pupil_id, SupportMeasure.SCHOLARSHIP, year.label,
                    kind=ScholarshipKind.NAMED if named else ScholarshipKind.STATE,
                    title=words.SCHOLARSHIP_TITLES[0] if named else None,
                    amount=rng.choice((15000, 20000, 25000, 30000, 40000)),
                    start_date=date(year.start, 10, 1), end_date=date(year.start + 1, 5, 31),
                    order_number=number, order_date=signed, achievement_id=basis))
        if regional and rand() < 0.5:
            records.append(SupportRecord(
                pupil_id, SupportMeasure.FORUM, year.label, title=words.FORUM_TITLE,
                place=words.FORUM_PLACE, start_date=date(year.start + 1, 4, 24),
                end_date=date(year.start + 1, 4, 24), achievement_id=basis))
        if academic and rand() < 0.15:
            start = date(year.start + 1, 6, 10 + rng.randint(0, 20))
            records.append(SupportRecord(
                pupil_id, SupportMeasure.SUMMER_CAMP, year.label, title=rng.choice(words.CAMPS),
                start_date=start, end_date=start + timedelta(days=14),
                achievement_id=academic[0].achievement_id))
        if set(ctx.categories) & {ASSISTANCE, LOW_INCOME, LARGE} and rand() < 0.12:
            start = date(year.start + 1, 7, 1 + rng.randint(0, 20))
            records.append(SupportRecord(
                pupil_id, SupportMeasure.HEALTH_CAMP, year.label, place=rng.choice(
                    words.HEALTH_CAMPS), start_date=start, end_date=start + timedelta(days=18),
                achievement_id=basis))
        if academic and 4 <= ctx.grade <= 7 and rand() < 0.3:
            decided = date(year.start + 1, 4, 15) <= self.today
            status = (SupportStatus.APPLIED if not decided else
                      SupportStatus.ADMITTED if rand() < 0.55 else SupportStatus.REFUSED)
            records.append(SupportRecord(
                pupil_id, SupportMeasure.SPECIALISED_SCHOOL, year.label, status=status,
                place=rng.choice(words.SPECIALISED_SCHOOLS),
                achievement_id=academic[0].achievement_id))
        if not records:
            return
        t_doc = gettext_for("ru" if ctx.li else "kk")
        for record in records:
            for activity in activities:
                started = activity.get("start_date") or self.current.quarters[
                    activity["due_quarter"] - 1].start
                if (activity["measure"] == record.measure.value and started <= self.today
                        and activity["status"] in (PLANNED, IN_PROGRESS)):
                    activity["status"] = (IN_PROGRESS if record.status == SupportStatus.APPLIED
                                          else DONE)
                    activity["result"] = describe_record(record, t_doc)
                    record.activity_id = activity.setdefault("id", new_id())
                    break
            t["support_records"].append(to_row(record))
