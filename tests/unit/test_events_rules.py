"""The calendar's rules: templates, stage dates and order, who edits, what comes next."""

from __future__ import annotations

import dataclasses
from datetime import date

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.entities import Event
from daryn_desktop.core.enums import Award, EventKind, EventLevel, Role
from daryn_desktop.core.events import (
    DateKind,
    EventStage,
    EventTemplate,
    ResultLine,
    coming_dates,
    event_from_template,
    event_level,
    is_winner,
    may_edit,
    next_stage,
    previous_stage,
    result_id,
    stage_order_key,
    validate_event,
    validate_result,
)
from daryn_desktop.core.ids import is_id, new_id

L = EventLevel
YEAR = AcademicYear(2025)


def _event(**extra) -> Event:
    return Event(name="Аудандық олимпиада", kind=EventKind.SUBJECT_OLYMPIAD, level=L.DISTRICT,
                 academic_year="2025-2026", **extra)


def _stage(event: Event, level: EventLevel, start: date | None, end: date | None = None,
           deadline: date | None = None, **extra) -> EventStage:
    return EventStage(event_id=event.id, level=level, start_date=start, end_date=end,
                      registration_deadline=deadline, **extra)


def _messages(findings) -> list[tuple[str, str, str]]:
    return [(f.field, f.severity.value, f.text) for f in findings]


def test_the_rural_olympiad_template_gives_four_stages_september_to_december():
    event, stages = event_from_template(EventTemplate.RURAL_OLYMPIAD, YEAR)
    assert event.template == "rural_olympiad" and event.academic_year == "2025-2026"
    assert event.level == L.REPUBLICAN and event.kind == EventKind.SUBJECT_OLYMPIAD
    assert (event.grade_from, event.grade_to) == (5, 11)
    assert [s.level for s in stages] == [L.SCHOOL, L.DISTRICT, L.REGIONAL, L.REPUBLICAN]
    assert [s.start_date.month for s in stages] == [9, 10, 11, 12]
    assert [s.position for s in stages] == [0, 1, 2, 3]
    for stage in stages:
        assert stage.event_id == event.id
        assert stage.start_date.weekday() < 5  # a school day
        assert stage.registration_deadline < stage.start_date <= stage.end_date
        assert stage.venue
    assert event.date == stages[0].start_date
    assert validate_event(event, stages) == []


def test_every_template_is_valid_in_any_year():
    for template in EventTemplate:
        for start in (2024, 2025, 2026, 2030):
            event, stages = event_from_template(template, AcademicYear(start))
            assert [f for f in validate_event(event, stages)] == [], (template, start)


def test_a_template_is_worded_in_the_language_it_is_made_in():
    def translate(message: str) -> str:
        return f"«{message}»"

    event, stages = event_from_template(EventTemplate.ZERDE, YEAR, translate=translate)
    assert event.name.startswith("«") and event.organiser.startswith("«")
    assert all(s.venue.startswith("«") for s in stages)


def test_an_event_needs_a_name_a_year_and_a_stage():
    event = dataclasses.replace(_event(), name=" ", academic_year="2025")
    fields = {f.field for f in validate_event(event, [])}
    assert fields == {"name", "academic_year", "stages"}


def test_stage_dates_and_deadlines_are_checked():
    event = _event()
    stages = [
        _stage(event, L.SCHOOL, date(2025, 10, 10), date(2025, 10, 8)),
        _stage(event, L.DISTRICT, date(2025, 11, 3), date(2025, 11, 4), date(2025, 11, 5)),
        _stage(event, L.DISTRICT, date(2025, 11, 4), date(2025, 11, 4)),
        _stage(event, L.SCHOOL, date(2026, 9, 15)),
    ]
    found = _messages(validate_event(event, stages))
    assert ("stages.0.end_date", "error",
            "Stage 1 ends (08.10.2025) before it starts (10.10.2025).") in found
    assert ("stages.1.registration_deadline", "error",
            "The registration deadline of stage 2 (05.11.2025) is after the stage starts"
            " (03.11.2025).") in found
    assert ("stages.2.start_date", "warning",
            "Stage 3 starts (04.11.2025) before stage 2 ends (04.11.2025).") in found
    assert ("stages.3.level", "error",
            "Stage 4 is of a lower level than the stage before it.") in found
    assert ("stages.3.start_date", "warning",
            "Stage 4 (15.09.2026) is outside the academic year 2025-2026.") in found


def test_removed_stages_do_not_count_and_numbers_follow_the_kept_ones():
    event = _event()
    stages = [_stage(event, L.REGIONAL, date(2025, 11, 1), removed=True),
              _stage(event, L.SCHOOL, date(2025, 10, 1), date(2025, 9, 30))]
    assert _messages(validate_event(event, stages)) == [
        ("stages.1.end_date", "error", "Stage 1 ends (30.09.2025) before it starts (01.10.2025).")]
    assert event_level(stages) == L.SCHOOL


def test_a_district_adds_school_and_district_levels_only():
    event = _event(district_kato="153200000")
    ok = [_stage(event, L.SCHOOL, date(2025, 10, 1)), _stage(event, L.DISTRICT, date(2025, 11, 1))]
    assert validate_event(event, ok, district_only=True) == []
    found = validate_event(event, [*ok, _stage(event, L.REGIONAL, date(2025, 12, 1))],
                           district_only=True)
    assert [f.field for f in found] == ["stages.2.level"]
    assert validate_event(event, [*ok, _stage(event, L.REGIONAL, date(2025, 12, 1))]) == []


def test_grades_are_checked():
    found = validate_event(_event(grade_from=9, grade_to=5),
                           [_stage(_event(), L.SCHOOL, None)])
    assert _messages(found) == [("grade_to", "error", "The first grade (9) is above the last (5).")]
    found = validate_event(_event(grade_from=13), [_stage(_event(), L.SCHOOL, None)])
    assert [f.field for f in found] == ["grade_from"]


def test_only_the_region_edits_its_events_and_a_district_its_own():
    region_event = _event()
    own = _event(district_kato="153200000")
    other = _event(district_kato="154800000")
    assert may_edit(region_event, Role.REGION, None)
    assert may_edit(own, Role.REGION, None)
    assert not may_edit(region_event, Role.DISTRICT, "153200000")
    assert may_edit(own, Role.DISTRICT, "153200000")
    assert not may_edit(other, Role.DISTRICT, "153200000")


def test_next_and_previous_stages_skip_removed_ones():
    event = _event()
    a = _stage(event, L.SCHOOL, None, position=0)
    gone = _stage(event, L.DISTRICT, None, position=1, removed=True)
    b = _stage(event, L.REGIONAL, None, position=2)
    stages = [b, gone, a]
    assert next_stage(stages, a.id) is b
    assert next_stage(stages, b.id) is None
    assert previous_stage(stages, b.id) is a
    assert previous_stage(stages, a.id) is None
    assert next_stage(stages, gone.id) is None


def test_winners_are_prize_holders():
    assert is_winner(Award.DIPLOMA_3) and is_winner(Award.GOLD) and is_winner(Award.PLACE_1)
    assert not is_winner(Award.PARTICIPANT)
    assert not is_winner(Award.CERTIFICATE_OF_MERIT)
    assert not is_winner(None)


def test_a_result_id_is_the_same_everywhere_and_a_valid_id():
    participant = new_id()
    assert result_id(participant) == result_id(participant)
    assert result_id(participant) != result_id(new_id())
    assert is_id(result_id(participant)) and result_id(participant) != participant


def test_result_lines_are_checked():
    fine = ResultLine(pupil_id="x", score=12.5, place=1, award=Award.PLACE_1)
    assert validate_result(fine) == []
    bad = ResultLine(pupil_id="x", score=-1, place=0, award=Award.PARTICIPANT, withdrawn=True)
    assert [f.field for f in validate_result(bad)] == ["score", "place", "withdrawn"]
    lost = ResultLine(pupil_id="x", score=40)  # a score is kept with the result only
    assert [f.field for f in validate_result(lost)] == ["award"]


def test_coming_dates_list_deadlines_and_stages_soonest_first():
    today = date(2025, 10, 10)
    olympiad, _stages = event_from_template(EventTemplate.RURAL_OLYMPIAD, YEAR)
    stages = _stages
    cancelled = _event(archived=True)
    events = {olympiad.id: olympiad, cancelled.id: cancelled}
    later = [*stages, _stage(cancelled, L.DISTRICT, date(2025, 10, 20))]
    found = coming_dates(events, later, today)
    assert [(d.day, d.kind, d.stage.level) for d in found][:4] == [
        (date(2025, 10, 14), DateKind.START, L.DISTRICT),
        (date(2025, 11, 8), DateKind.DEADLINE, L.REGIONAL),
        (date(2025, 11, 18), DateKind.START, L.REGIONAL),
        (date(2025, 11, 25), DateKind.DEADLINE, L.REPUBLICAN)]
    assert all(d.event is olympiad for d in found)
    assert [d.day for d in coming_dates(events, later, today, days=20)] == [date(2025, 10, 14)]
    during = coming_dates(events, stages, date(2025, 9, 17))
    assert (during[0].day, during[0].kind) == (date(2025, 9, 17), DateKind.UNDER_WAY)


def test_stages_sort_with_what_comes_next_first():
    event = _event()
    today = date(2025, 11, 1)
    past = _stage(event, L.SCHOOL, date(2025, 9, 20))
    older = _stage(event, L.SCHOOL, date(2025, 9, 10))
    soon = _stage(event, L.DISTRICT, date(2025, 11, 20), deadline=date(2025, 11, 5))
    later = _stage(event, L.REGIONAL, date(2025, 11, 10))
    undated = _stage(event, L.SCHOOL, None)
    ordered = sorted([undated, older, later, past, soon], key=lambda s: stage_order_key(s, today))
    assert ordered == [soon, later, past, older, undated]
