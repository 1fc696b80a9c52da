"""The support register on a real file: eligibility from results, granting and road maps."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import (
    ActivityStatus,
    Award,
    EventLevel,
    FamilyCategory,
    RoadMapStatus,
    Role,
    StaffRole,
    SupportMeasure,
)
from daryn_desktop.core.events import EventTemplate, ResultLine
from daryn_desktop.core.support import (
    DEFAULT_RULES,
    ScholarshipKind,
    SupportRecord,
    SupportStatus,
)
from daryn_desktop.storage.events import Events
from daryn_desktop.storage.roadmaps import RoadMaps
from daryn_desktop.storage.support import InvalidRecord, NothingChosen, Support
from tests.helpers import add_pupil, add_school

M = SupportMeasure
TODAY = date(2026, 2, 16)
YEAR = "2025-2026"
TOWN = "151010000"  # Ақтөбе қаласы: not rural
RURAL = "153239100"


@pytest.fixture
def region(make_store):
    return make_store("region.db", role=Role.REGION)


def _regional_results(store, awards: dict[str, Award | None]) -> dict[str, e.Pupil]:
    """Pupils with a result each at the regional stage of this year's rural olympiad."""
    rural = add_school(store)
    town = add_school(store, name="№5 мектеп-гимназия", settlement=TOWN)
    pupils = {}
    for i, name in enumerate(awards, start=1):
        school = town if name.startswith("town") else rural
        pupil = add_pupil(store, school, "Оқушы", name, serial=i, grade=9,
                          settlement_kato=school.settlement_kato)
        pupils[name] = pupil
    events = Events(store)
    event = events.create_from_template(EventTemplate.RURAL_OLYMPIAD, YEAR)
    regional = events.stages(event.id)[2]
    events.save_results(regional.id, [ResultLine(pupil_id=pupils[n].id, award=a)
                                      for n, a in awards.items()])
    return pupils


def _plan(maps: RoadMaps, road_map_id: str, activity: e.Activity) -> None:
    """A goal and the activity, signed on 1 October."""
    maps.save(road_map_id, goals=[e.Goal(road_map_id=road_map_id, text="Облыстық кезеңде жүлде")],
              activities=[activity])
    maps.sign(road_map_id, on=date(2025, 10, 1))


def test_the_scholarship_list_holds_exactly_the_qualifying_target_group_winners(region):
    pupils = _regional_results(region, {
        "rural": Award.PLACE_1, "rural_participant": Award.PARTICIPANT,
        "town": Award.PLACE_2, "town_large": Award.PLACE_3, "town_old_category": Award.PLACE_1,
        "rural_registered": None})
    repos = region.repos
    repos.categories.add(e.CategoryRecord(pupil_id=pupils["town_large"].id,
                                          category=FamilyCategory.LARGE_FAMILY,
                                          since=date(2020, 1, 1)))
    repos.categories.add(e.CategoryRecord(pupil_id=pupils["town_old_category"].id,
                                          category=FamilyCategory.SOCIAL_ASSISTANCE,
                                          since=date(2022, 1, 1), until=date(2023, 1, 1)))
    support = Support(region)
    found = support.eligible(M.SCHOLARSHIP, YEAR, today=TODAY)
    assert [(c.pupil.full_name, c.pupil.groups) for c in found] == [
        ("Оқушы rural", ["Rural area"]), ("Оқушы town_large", ["Large family"])]
    assert all(c.basis.level == EventLevel.REGIONAL for c in found)
    # A pupil with a scholarship this year is left out; a cancelled one is not.
    granted = support.grant([(pupils["rural"].id, found[0].basis.achievement_id)],
                            SupportRecord("", M.SCHOLARSHIP, YEAR, kind=ScholarshipKind.STATE,
                                          amount=20000, order_number="245",
                                          order_date=date(2025, 10, 1)), on=TODAY)
    assert [c.pupil.full_name for c in support.eligible(M.SCHOLARSHIP, YEAR, today=TODAY)] == [
        "Оқушы town_large"]
    cancelled = dataclasses.replace(granted.records[0], status=SupportStatus.CANCELLED)
    support.save(cancelled, on=TODAY)
    assert len(support.eligible(M.SCHOLARSHIP, YEAR, today=TODAY)) == 2
    # An archived pupil is never offered.
    repos.pupils.archive(pupils["rural"].id, "Көшті")
    assert [c.pupil.full_name for c in support.eligible(M.SCHOLARSHIP, YEAR, today=TODAY)] == [
        "Оқушы town_large"]


def test_granting_completes_the_pupils_planned_activity(region):
    pupils = _regional_results(region, {"rural": Award.PLACE_1})
    pupil = pupils["rural"]
    maps = RoadMaps(region)
    road_map = maps.create(pupil.id, YEAR)
    planned = e.Activity(road_map_id=road_map.id, measure=M.SCHOLARSHIP,
                         title="Облыс әкімінің атаулы стипендиясына ұсыну", due_quarter=2)
    _plan(maps, road_map.id, planned)
    support = Support(region)
    (candidate,) = support.eligible(M.SCHOLARSHIP, YEAR, today=TODAY)
    granted = support.grant([(pupil.id, candidate.basis.achievement_id)], SupportRecord(
        "", M.SCHOLARSHIP, YEAR, kind=ScholarshipKind.NAMED, title="Облыс әкімінің стипендиясы",
        amount=25000, start_date=date(2025, 10, 1), end_date=date(2026, 5, 31),
        order_number="245", order_date=date(2025, 9, 30)), on=TODAY)
    assert (granted.activities_completed, granted.activities_added, granted.amendments) == (
        1, 0, 0)
    (record,) = granted.records
    assert record.activity_id == planned.id and record.achievement_id == (
        candidate.basis.achievement_id)
    activity = region.repos.activities.get(planned.id)
    assert activity.status == ActivityStatus.DONE
    assert activity.result == ("Атаулы стипендия, «Облыс әкімінің стипендиясы»,"
                               " 25\u00a0000\u00a0₸ айына, 01.10.2025–31.05.2026,"
                               " 30.09.2025 № 245 бұйрық")
    (row,) = support.rows(measure=M.SCHOLARSHIP, order_number="245")
    assert row.full_name == "Оқушы rural" and row.basis_level == EventLevel.REGIONAL


def test_granting_without_a_plan_adds_the_activity_to_a_new_draft(region):
    school = add_school(region)
    region.repos.staff.add(e.Staff(surname="Үйлестіруші", given_name="Ақмарал",
                                   role=StaffRole.COORDINATOR))
    pupil = add_pupil(region, school, "Жаңа", "Оқушы")
    granted = Support(region).grant([(pupil.id, None)], SupportRecord(
        "", M.HEALTH_CAMP, YEAR, place="«Ақкемер» санаторийі", start_date=date(2026, 7, 1),
        end_date=date(2026, 7, 18)), on=TODAY)
    assert (granted.road_maps_created, granted.activities_added) == (1, 1)
    road_map = RoadMaps(region).for_pupil(pupil.id, YEAR)
    assert road_map.status == RoadMapStatus.DRAFT
    (activity,) = region.repos.activities.current_for(road_map.id)
    assert (activity.measure, activity.status) == (M.HEALTH_CAMP, ActivityStatus.DONE)
    assert activity.responsible == "Үйлестіруші А."
    assert (activity.start_date, activity.due_date) == (date(2026, 7, 1), date(2026, 7, 18))


def test_granting_on_a_signed_plan_is_an_amendment_and_a_closed_plan_is_left(region):
    school = add_school(region)
    signed, closed = (add_pupil(region, school, "Қол", n, serial=i)
                      for i, n in enumerate(("Қойылған", "Жабылған"), 1))
    maps = RoadMaps(region)
    for pupil in (signed, closed):
        road_map = maps.create(pupil.id, YEAR)
        _plan(maps, road_map.id, e.Activity(road_map_id=road_map.id, measure=M.CLUB,
                                            title="Үйірме", due_quarter=4))
    maps.close(maps.for_pupil(closed.id, YEAR).id, on=date(2026, 1, 10))
    granted = Support(region).grant(
        [(signed.id, None), (closed.id, None)],
        SupportRecord("", M.FORUM, YEAR, title="«Сен үздіксің!»", start_date=date(2026, 4, 24)),
        on=TODAY)
    assert (granted.activities_added, granted.amendments, granted.closed) == (1, 1, 1)
    road_map = maps.for_pupil(signed.id, YEAR)
    (amendment,) = region.repos.amendments.for_parent(road_map.id)
    assert amendment.reason == "Қолдау шарасы берілді: «Сен үздіксің!» форумы"
    assert amendment.summary.startswith("Іс-шара қосылды: ««Сен үздіксің!»»")
    by_pupil = {r.record.pupil_id: r.record for r in Support(region).rows(measure=M.FORUM)}
    assert by_pupil[closed.id].activity_id is None and by_pupil[signed.id].activity_id


def test_an_applications_outcome_carries_on_to_the_activity(region):
    pupil = add_pupil(region, add_school(region), "Болашақ", "Назарбаевшы", grade=6)
    support = Support(region)
    (record,) = support.grant([(pupil.id, None)], SupportRecord(
        "", M.SPECIALISED_SCHOOL, YEAR, status=SupportStatus.APPLIED,
        place="Назарбаев Зияткерлік мектебі"), on=TODAY).records
    activity = region.repos.activities.get(record.activity_id)
    assert activity.status == ActivityStatus.IN_PROGRESS
    support.save(dataclasses.replace(record, status=SupportStatus.ADMITTED), on=TODAY)
    activity = region.repos.activities.get(record.activity_id)
    assert activity.status == ActivityStatus.DONE and "қабылданды" in activity.result
    with pytest.raises(InvalidRecord):
        support.save(dataclasses.replace(record, status=SupportStatus.GRANTED))
    with pytest.raises(NothingChosen):
        support.grant([], record)


def test_rules_are_edited_and_reset(region):
    support = Support(region)
    assert support.is_default(M.FORUM)
    wider = dataclasses.replace(DEFAULT_RULES[M.FORUM], min_level=EventLevel.DISTRICT)
    support.save_rule(wider)
    assert support.rule(M.FORUM) == wider and not support.is_default(M.FORUM)
    support.save_rule(dataclasses.replace(wider, years=2))
    assert support.rule(M.FORUM).years == 2
    support.reset_rule(M.FORUM)
    assert support.rule(M.FORUM) == DEFAULT_RULES[M.FORUM]
    pupils = _regional_results(region, {"district_winner": Award.PLACE_1})
    assert len(support.eligible(M.FORUM, YEAR, today=TODAY)) == 1
    assert pupils
