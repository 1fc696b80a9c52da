"""Rules of a stage's protocol import: places and awards as protocols write them, and which
stage a protocol brought today belongs to."""

from __future__ import annotations

from datetime import date

import pytest

from daryn_desktop.core.entities import Event
from daryn_desktop.core.enums import Award, EventKind, EventLevel
from daryn_desktop.core.events import EventStage, current_stage, describe_stage
from daryn_desktop.core.imports import values as v


@pytest.mark.parametrize(("cell", "place", "award", "absent"), [
    (1, 1, None, False), (2.0, 2, None, False), ("3", 3, None, False),
    ("I", 1, None, False), ("II орын", 2, None, False), ("3-е место", 3, None, False),
    ("1 место", 1, None, False), ("IV", 4, None, False), ("2nd", 2, None, False),
    ("Диплом I дәрежелі", None, Award.DIPLOMA_1, False),
    ("бірінші орын", None, Award.PLACE_1, False), ("Гран при", None, Award.GRAND_PRIX, False),
    ("қатысушы", None, Award.PARTICIPANT, False), ("Алтын", None, Award.GOLD, False),
    ("қатыспады", None, None, True), ("Неявка", None, None, True), ("н/я", None, None, True),
])
def test_a_place_cell_reads_as_a_place_an_award_or_an_absence(cell, place, award, absent):
    assert v.place_or_award(cell) == v.PlaceCell(place, award, absent)


@pytest.mark.parametrize("cell", ["абв", 0, 1.5, "жоқ орын"])
def test_a_place_cell_that_is_neither_is_a_problem(cell):
    with pytest.raises(v.CellProblem) as caught:
        v.place_or_award(cell)
    assert "is not a place" in caught.value.message
    assert v.place_or_award(None) is None and v.place_or_award("  ") is None


def test_an_award_cell_reads_an_award_or_an_absence():
    assert v.award_or_absent("II дәрежелі диплом") == v.PlaceCell(award=Award.DIPLOMA_2)
    assert v.award_or_absent("не участвовал") == v.PlaceCell(absent=True)
    with pytest.raises(v.CellProblem):
        v.award_or_absent("бесінші")


def _stages() -> list[EventStage]:
    spans = [(EventLevel.SCHOOL, date(2025, 9, 15), date(2025, 9, 19)),
             (EventLevel.DISTRICT, date(2025, 10, 14), date(2025, 10, 15)),
             (EventLevel.REGIONAL, date(2025, 11, 18), date(2025, 11, 19))]
    return [EventStage("e", level, start_date=start, end_date=end, position=i)
            for i, (level, start, end) in enumerate(spans)]


@pytest.mark.parametrize(("today", "level"), [
    (date(2025, 9, 1), None),                      # before the first stage: ask
    (date(2025, 9, 16), EventLevel.SCHOOL),        # under way
    (date(2025, 10, 1), EventLevel.SCHOOL),        # held; the next not begun
    (date(2025, 10, 15), EventLevel.DISTRICT),
    (date(2026, 3, 1), EventLevel.REGIONAL),       # the last one held
])
def test_the_stage_of_a_protocol_brought_today(today, level):
    found = current_stage(_stages(), today)
    assert (found.level if found else None) == level


def test_an_event_of_one_stage_needs_no_dates():
    only = EventStage("e", EventLevel.DISTRICT)
    assert current_stage([only], date(2025, 1, 1)) is only
    assert current_stage([], date(2025, 1, 1)) is None
    removed = [*_stages()[:1], EventStage("e", EventLevel.DISTRICT, removed=True)]
    assert current_stage(removed, date(2025, 1, 1)) is removed[0]


def test_a_stage_is_named_with_its_event_and_dates():
    event = Event(name="Олимпиада", kind=EventKind.SUBJECT_OLYMPIAD, level=EventLevel.REGIONAL,
                  academic_year="2025-2026")
    school, district, _regional = _stages()
    assert describe_stage(event, district) == "Олимпиада — District or city (14.10.2025–15.10.2025)"
    assert describe_stage(event, EventStage("e", EventLevel.SCHOOL, name="Мектеп кезеңі")) == (
        "Олимпиада — Мектеп кезеңі")
    assert school.level == EventLevel.SCHOOL
