"""The road map's rules: lifecycle, checks, due dates, continuing into the next year."""

from __future__ import annotations

from datetime import date

import pytest

from daryn_desktop.core import roadmap as rules
from daryn_desktop.core.academic import AcademicYear, YearCalendar
from daryn_desktop.core.entities import Activity, Goal, Review, RoadMap
from daryn_desktop.core.enums import ActivityStatus, Language, RoadMapStatus, SupportMeasure

S = RoadMapStatus
YEAR = AcademicYear(2025)
CAL = YearCalendar.default(YEAR)


def _activity(**kw) -> Activity:
    values = {"road_map_id": "m", "measure": SupportMeasure.CLUB, "title": "Робототехника үйірмесі",
              "due_quarter": 2}
    values.update(kw)
    return Activity(**values)


@pytest.mark.parametrize(("current", "target"), [
    (S.DRAFT, S.ACTIVE), (S.DRAFT, S.SIGNED), (S.ACTIVE, S.SIGNED), (S.SIGNED, S.CLOSED),
    (S.ACTIVE, S.CLOSED), (S.DRAFT, S.CLOSED)])
def test_allowed_transitions(current, target):
    rules.check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), [
    (S.SIGNED, S.DRAFT), (S.SIGNED, S.ACTIVE), (S.CLOSED, S.ACTIVE), (S.CLOSED, S.SIGNED),
    (S.ACTIVE, S.DRAFT), (S.SIGNED, S.SIGNED)])
def test_refused_transitions_say_both_states(current, target):
    with pytest.raises(rules.TransitionRefused) as caught:
        rules.check_transition(current, target)
    assert current.label in caught.value.translated()
    assert target.label in caught.value.translated()


def test_only_signed_plans_need_amendments_and_closed_ones_are_read_only():
    assert [s for s in S if rules.needs_amendment(s)] == [S.SIGNED]
    with pytest.raises(rules.RoadMapClosed):
        rules.check_editable(S.CLOSED)
    for status in (S.DRAFT, S.ACTIVE, S.SIGNED):
        rules.check_editable(status)
    assert [s for s in S if rules.reviews_allowed(s)] == [S.ACTIVE, S.SIGNED]


def test_activity_checks():
    assert rules.validate_activity(_activity(), YEAR) == []
    fields = {f.field for f in rules.validate_activity(
        _activity(title=" ", due_quarter=None), YEAR) if f.is_error}
    assert fields == {"title", "due_date"}
    assert [f.field for f in rules.validate_activity(_activity(due_quarter=5), YEAR)] == [
        "due_quarter"]
    late = rules.validate_activity(
        _activity(start_date=date(2026, 3, 1), due_date=date(2026, 2, 1)), YEAR)
    assert [f.field for f in late if f.is_error] == ["start_date"]
    assert "01.03.2026" in late[0].text
    outside = rules.validate_activity(_activity(due_date=date(2026, 9, 15)), YEAR)
    assert [(f.field, f.is_error) for f in outside] == [("due_date", False)]
    long_title = rules.validate_activity(_activity(title="ә" * (rules.MAX_TITLE + 1)), YEAR)
    assert [f.field for f in long_title] == ["title"]


def test_goal_review_and_reason_checks():
    assert rules.validate_goal(Goal(road_map_id="m", text="Облыстық кезеңге шығу")) == []
    assert [f.field for f in rules.validate_goal(Goal(road_map_id="m", text=""))] == ["text"]
    review = Review(road_map_id="m", quarter=1, text="Жақсы", date=date(2025, 11, 1))
    assert rules.validate_review(review, today=date(2025, 11, 2)) == []
    bad = Review(road_map_id="m", quarter=0, text="", date=date(2025, 11, 3))
    assert {f.field for f in rules.validate_review(bad, today=date(2025, 11, 2))} == {
        "quarter", "text", "date"}
    assert rules.validate_reason("  ") and not rules.validate_reason("Ата-ананың өтініші")


def test_due_by_uses_the_date_or_the_end_of_the_quarter():
    assert rules.due_by(_activity(due_date=date(2025, 12, 5)), CAL) == date(2025, 12, 5)
    assert rules.due_by(_activity(due_quarter=1), CAL) == date(2025, 10, 26)
    assert rules.due_by(_activity(due_quarter=None), CAL) is None
    assert rules.is_overdue(_activity(due_quarter=1), CAL, date(2025, 10, 27))
    assert not rules.is_overdue(_activity(due_quarter=1), CAL, date(2025, 10, 26))
    done = _activity(due_quarter=1, status=ActivityStatus.DONE)
    assert not rules.is_overdue(done, CAL, date(2026, 1, 1))


def test_sign_problems():
    road_map = RoadMap(pupil_id="p", academic_year="2025-2026")
    goal = Goal(road_map_id=road_map.id, text="Мақсат")
    assert rules.sign_problems(road_map, [goal], [_activity()]) == []
    assert rules.sign_problems(road_map, [], []) == [rules.MSG_SIGN_NO_GOALS,
                                                     rules.MSG_SIGN_NO_ACTIVITIES]
    assert rules.sign_problems(road_map, [goal], [_activity(title="")]) == [
        rules.MSG_SIGN_INVALID]


def test_continuing_keeps_open_goals_and_activities_not_done_a_year_later():
    goals = [Goal(road_map_id="old", text="Жеңіп алу", achieved=True, position=0),
             Goal(road_map_id="old", text="Облысқа шығу", position=1)]
    acts = [_activity(title="Дайындық", status=ActivityStatus.IN_PROGRESS, result="жарты",
                      start_date=date(2025, 9, 10), due_date=date(2026, 2, 29 - 1), position=0),
            _activity(title="Аяқталды", status=ActivityStatus.DONE, position=1),
            _activity(title="Болмады", status=ActivityStatus.CANCELLED, position=2),
            _activity(title="Жоспарда", due_quarter=3, position=3)]
    new_goals = rules.continued_goals(goals, "new")
    assert [(g.text, g.road_map_id, g.position, g.achieved) for g in new_goals] == [
        ("Облысқа шығу", "new", 0, False)]
    new_acts = rules.continued_activities(acts, "new")
    assert [a.title for a in new_acts] == ["Дайындық", "Жоспарда"]
    first = new_acts[0]
    assert (first.status, first.result, first.road_map_id) == (ActivityStatus.PLANNED, None, "new")
    assert (first.start_date, first.due_date) == (date(2026, 9, 10), date(2027, 2, 28))
    assert new_acts[1].due_quarter == 3 and new_acts[1].position == 1
    assert {a.id for a in new_acts}.isdisjoint({a.id for a in acts})
    assert rules.shift_one_year(date(2024, 2, 29)) == date(2025, 2, 28)


def test_document_language_follows_the_language_of_instruction():
    assert rules.document_language(Language.RUSSIAN) == "ru"
    assert rules.document_language(Language.KAZAKH) == "kk"
    assert rules.document_language(None, Language.RUSSIAN) == "ru"
    assert rules.document_language(Language.MIXED, Language.RUSSIAN) == "kk"
    assert rules.document_language(Language.UZBEK) == "kk"


def test_month_bounds():
    assert rules.month_bounds(2025, 12) == (date(2025, 12, 1), date(2025, 12, 31))
    assert rules.month_bounds(2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))


@pytest.mark.parametrize(("values", "settled"), [
    ({"planned", "in_progress"}, "in_progress"),
    ({"in_progress", "done"}, "done"),
    ({"planned", "in_progress", "done"}, "done"),
    ({"planned", "cancelled"}, "cancelled"),
    ({"in_progress", "cancelled"}, "cancelled"),
    ({"done", "cancelled"}, None),  # a person decides
    ({"done", "postponed"}, None),  # a value of a newer program: a person decides
])
def test_concurrent_statuses_settle_on_the_furthest_along(values, settled):
    assert rules.settle_status(values) == settled
