"""This academic year's demo events and their stages, dated as a region publishes them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from daryn_desktop.core.events import EventTemplate, event_from_template
from daryn_desktop.core.ids import new_id
from daryn_desktop.demo import names as words
from daryn_desktop.demo.run import Part, Run, Stage
from daryn_desktop.i18n import gettext_for
from daryn_desktop.storage.rows import to_row


class Calendar(Part):
    """Fills the run's calendar: the stage each entry of ``words.EVENTS`` is this year."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.calendar = run.calendar

    def make(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """This academic year's events with their stages, as the region publishes them.

        The rural-school olympiad comes from the program's four-stage template; the stages
        of the other olympiads and contests are grouped into events (``words.EVENT_SERIES``);
        the rest are events of one stage. Dated by the usual months of each level, in order.
        """
        year = self.year
        event_rows: list[dict[str, Any]] = []
        stage_rows: list[dict[str, Any]] = []
        entries = {e[2]: e for e in words.EVENTS}
        event, stages = event_from_template(EventTemplate.RURAL_OLYMPIAD, year,
                                            translate=gettext_for("kk"))
        event_rows.append(to_row(event))
        stage_rows += [to_row(st) for st in stages]
        by_level = {st.level.value: st for st in stages}
        for name in words.RURAL_OLYMPIAD_STAGES:
            entry = entries[name]
            st = by_level[entry[1]]
            assert st.start_date is not None and st.end_date is not None
            self.calendar[name, entry[1]] = Stage(event.id, st.id, event.name, st.start_date,
                                                  st.end_date)
        grouped = {name for series in words.EVENT_SERIES for name in series}
        grouped |= set(words.RURAL_OLYMPIAD_STAGES)
        series = [*words.EVENT_SERIES, *((e[2],) for e in words.EVENTS if e[2] not in grouped)]
        for i, names in enumerate(series):
            members = [entries[name] for name in names]
            top = members[-1]
            event_id = new_id()
            event_rows.append({
                "id": event_id, "name": top[2], "kind": top[0], "level": top[1],
                "academic_year": year.label, "organiser": words.ORGANISERS[top[1]],
                "grade_from": min(m[6] for m in members),
                "grade_to": max(m[7] for m in members)})
            previous_end: date | None = None
            for position, member in enumerate(members):
                level = member[1]
                months = words.EVENT_MONTHS[level]
                month = months[i % len(months)]
                start = date(year.start if month >= 9 else year.start + 1, month, 8 + i * 3 % 18)
                if previous_end is not None and start <= previous_end:
                    start = previous_end + timedelta(days=21)
                start += timedelta(days=(7 - start.weekday()) % 7 if start.weekday() >= 5 else 0)
                start = min(start, year.last_day - timedelta(days=5))
                local = level in (words.SCHOOL, words.DISTRICT)
                end = start + timedelta(days=1 if local else 2)
                stage_id = new_id()
                stage_rows.append({
                    "id": stage_id, "event_id": event_id, "level": level, "position": position,
                    "start_date": start, "end_date": end,
                    "registration_deadline": start - timedelta(days=7 if local else 14),
                    "venue": words.VENUES[level]})
                self.calendar[member[2], level] = Stage(event_id, stage_id, top[2], start, end)
                previous_end = end
            event_rows[-1]["date"] = stage_rows[-len(members)]["start_date"]
        return event_rows, stage_rows
