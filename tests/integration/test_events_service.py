"""The calendar on a real encrypted file: events and stages, results, winners, rights."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from daryn_desktop.core.entities import Event, Staff
from daryn_desktop.core.enums import Award, EventKind, EventLevel, Role, StaffRole
from daryn_desktop.core.events import EventStage, EventTemplate, ResultLine, result_id
from daryn_desktop.storage.events import (
    Events,
    InvalidEvent,
    InvalidResults,
    NoNextStage,
    NotYourEvent,
    StageInUse,
    school_history,
)
from daryn_desktop.storage.registry import load_record, registry_rows
from daryn_desktop.storage.repositories import NotFound
from daryn_desktop.storage.search import PupilQuery, ordered_numbers
from tests.helpers import add_pupil, add_school

L = EventLevel


@pytest.fixture
def region(make_store):
    return make_store("region.db", role=Role.REGION)


def _olympiad(events: Events) -> tuple[Event, list[EventStage]]:
    event = events.create_from_template(EventTemplate.RURAL_OLYMPIAD, "2025-2026")
    return event, events.stages(event.id)


def test_the_rural_olympiad_is_made_in_one_step(region):
    events = Events(region)
    event, stages = _olympiad(events)
    assert [s.level for s in stages] == [L.SCHOOL, L.DISTRICT, L.REGIONAL, L.REPUBLICAN]
    assert event.district_kato is None  # the region's: every district receives it
    (row,) = events.list_events("2025-2026")
    assert row.event.id == event.id and row.editable and len(row.stages) == 4
    assert events.list_events("2024-2025") == []
    coming = events.coming(date(2025, 9, 1), days=30)
    assert [(d.day, d.kind.value) for d in coming] == [(date(2025, 9, 9), "deadline"),
                                                        (date(2025, 9, 16), "start")]


def test_a_district_edits_its_own_events_only(store, region):
    district = Events(store)
    event = district.create_from_template(EventTemplate.ZERDE, "2025-2026")
    stages = district.stages(event.id)
    assert event.district_kato == "153200000"
    # A district runs the school and district stages; the region publishes the others.
    assert [s.level for s in stages] == [L.SCHOOL, L.DISTRICT]
    assert event.level == L.DISTRICT
    regional = EventStage(event_id=event.id, level=L.REGIONAL, start_date=date(2026, 2, 2))
    with pytest.raises(InvalidEvent) as caught:
        district.save_event(event, [*stages, regional])
    assert "school and district level only" in caught.value.translated()
    # An event as published by the region arrives with no district: it is read-only here.
    published = dataclasses.replace(event, id="0" * 32, district_kato=None)
    region_events = Events(region)
    region_events.save_event(published, [dataclasses.replace(s, id=s.id[::-1]) for s in stages])
    with store.transaction() as w:
        row = region.db.execute("SELECT * FROM events WHERE id = ?", [published.id]).fetchone()
        names = [d[0] for d in region.db.execute("SELECT * FROM events LIMIT 0").description]
        w.insert("events", {k: v for k, v in zip(names, row) if k != "sort_key"})
    assert not district.may_edit(district.event(published.id))
    with pytest.raises(NotYourEvent):
        district.save_event(district.event(published.id), [])
    with pytest.raises(NotYourEvent):
        district.archive_event(published.id)


def test_saving_an_event_checks_it_and_keeps_its_results_current(region):
    events = Events(region)
    event, stages = _olympiad(events)
    with pytest.raises(InvalidEvent):
        events.save_event(dataclasses.replace(event, name=""), stages)
    school = add_school(region)
    pupil = add_pupil(region, school, "Әлиев", "Нұрлан", serial=1)
    events.add_participants(stages[0].id, [pupil.id])
    (row,) = events.results(stages[0].id)
    events.save_results(stages[0].id, [dataclasses.replace(row.line(), award=Award.PLACE_1)])
    renamed = dataclasses.replace(event, name="Ауыл мектептерінің олимпиадасы")
    moved = [dataclasses.replace(stages[0], end_date=date(2025, 9, 22), level=L.SCHOOL),
             *stages[1:]]
    events.save_event(renamed, moved)
    achievement = region.repos.achievements.get(result_id(row.participant.id))
    assert achievement.event_name == "Ауыл мектептерінің олимпиадасы"
    assert achievement.date == date(2025, 9, 22)
    # A stage with participants cannot go; one without can (a synced "removed" flag).
    with pytest.raises(StageInUse):
        events.save_event(renamed, moved[1:])
    events.save_event(renamed, moved[:3])
    assert [s.level for s in events.stages(event.id)] == [L.SCHOOL, L.DISTRICT, L.REGIONAL]
    assert events.event(event.id).level == L.REGIONAL
    events.archive_event(event.id)
    assert events.list_events("2025-2026") == []


def test_results_are_achievements_seen_in_the_editor_and_the_registry(region):
    events = Events(region)
    event, stages = _olympiad(events)
    school = add_school(region)
    teacher_pupils = [add_pupil(region, school, "Оқушы", name, serial=i)
                      for i, name in enumerate(("Әсел", "Бекзат", "Ғалия", "Дәулет"), 1)]
    assert events.add_participants(stages[0].id, [p.id for p in teacher_pupils]) == 4
    assert events.add_participants(stages[0].id, [teacher_pupils[0].id]) == 0  # already in
    rows = {r.full_name: r for r in events.results(stages[0].id)}
    lines = [dataclasses.replace(rows["Оқушы Әсел"].line(), award=Award.PLACE_1, score=48,
                                 place=1, subject="Математика"),
             dataclasses.replace(rows["Оқушы Бекзат"].line(), award=Award.DIPLOMA_3, score=31),
             dataclasses.replace(rows["Оқушы Ғалия"].line(), award=Award.PARTICIPANT),
             dataclasses.replace(rows["Оқушы Дәулет"].line(), withdrawn=True)]
    summary = events.save_results(stages[0].id, lines)
    assert summary.results == 3
    record = load_record(region, teacher_pupils[0].id)
    (achievement,) = record.achievements
    assert (achievement.event_id, achievement.stage_id) == (event.id, stages[0].id)
    assert (achievement.level, achievement.award, achievement.score, achievement.place) == (
        L.SCHOOL, Award.PLACE_1, 48, 1)
    assert achievement.subject == "Математика"
    keys = ordered_numbers(region, PupilQuery())
    counts = {r.full_name: r.achievements for r in registry_rows(region, keys)}
    assert counts == {"Оқушы Әсел": 1, "Оқушы Бекзат": 1, "Оқушы Ғалия": 1, "Оқушы Дәулет": 0}
    # Saving the same lines again writes nothing new.
    again = events.save_results(stages[0].id, [r.line() for r in events.results(stages[0].id)])
    assert again == type(again)(0, 0, 0)


def test_a_recorded_result_is_changed_or_taken_back(region):
    events = Events(region)
    _event, stages = _olympiad(events)
    pupil = add_pupil(region, add_school(region), "Сәрсенов", "Ерлан")
    events.add_participants(stages[0].id, [pupil.id])
    (row,) = events.results(stages[0].id)
    events.save_results(stages[0].id, [dataclasses.replace(row.line(), award=Award.PLACE_2)])
    (row,) = events.results(stages[0].id)
    with pytest.raises(InvalidResults) as caught:
        events.save_results(stages[0].id, [dataclasses.replace(row.line(), withdrawn=True)])
    assert caught.value.translated().startswith("The results cannot be saved: line 1:")
    # Entered by mistake: taken back, the achievement marked removed (sync never deletes).
    events.save_results(stages[0].id, [dataclasses.replace(row.line(), award=None)])
    assert events.results(stages[0].id)[0].award is None
    removed = "SELECT removed FROM achievements WHERE id = ?"
    assert region.db.execute(removed, [result_id(row.participant.id)]).fetchone() == (1,)
    assert load_record(region, pupil.id).achievements == []
    assert school_history(region, pupil.school_id, prizes_only=False) == []
    events.save_results(stages[0].id, [dataclasses.replace(row.line(), award=Award.PLACE_1)])
    assert events.results(stages[0].id)[0].award == Award.PLACE_1
    assert region.db.execute(removed, [result_id(row.participant.id)]).fetchone() == (0,)
    with pytest.raises(NotFound):
        events.save_results(stages[0].id, [ResultLine(pupil_id="f" * 32)])


def test_lines_from_a_spreadsheet_join_or_update_by_pupil_and_subject(region):
    events = Events(region)
    _event, stages = _olympiad(events)
    school = add_school(region)
    a = add_pupil(region, school, "Ахмет", "Аян", serial=1)
    b = add_pupil(region, school, "Бек", "Дана", serial=2)
    summary = events.save_results(stages[0].id, [
        ResultLine(pupil_id=a.id, subject="Физика", award=Award.PLACE_3, score=20),
        ResultLine(pupil_id=a.id, subject="Химия", award=Award.PARTICIPANT),
        ResultLine(pupil_id=b.id, subject="Физика"),
        ResultLine(pupil_id=b.id, subject="физика", award=Award.PLACE_1)])  # the same entry
    assert (summary.added, summary.results) == (3, 3)
    again = events.save_results(stages[0].id, [
        ResultLine(pupil_id=a.id, subject="Физика", award=Award.PLACE_2, score=25)])
    assert (again.added, again.results) == (0, 1)
    rows = events.results(stages[0].id)
    assert sorted((r.full_name, r.participant.subject, r.award.value) for r in rows) == [
        ("Ахмет Аян", "Физика", "place_2"), ("Ахмет Аян", "Химия", "participant"),
        ("Бек Дана", "физика", "place_1")]


def test_winners_advance_to_the_next_stage_in_one_step(region):
    events = Events(region)
    _event, stages = _olympiad(events)
    school = add_school(region)
    teacher = region.repos.staff.add(Staff(surname="Жақсылықова", given_name="Гүлмира",
                                           role=StaffRole.TEACHER, school_id=school.id))
    pupils = [add_pupil(region, school, "Оқушы", f"№{i}", serial=i) for i in range(1, 7)]
    awards = [Award.PLACE_1, Award.PLACE_2, Award.DIPLOMA_3, Award.CERTIFICATE_OF_MERIT,
              Award.PARTICIPANT, None]
    events.save_results(stages[0].id, [
        ResultLine(pupil_id=p.id, subject="Биология", teacher_id=teacher.id, award=award)
        for p, award in zip(pupils, awards)])
    assert [r.full_name for r in events.winners(stages[0].id)] == [
        "Оқушы №1", "Оқушы №2", "Оқушы №3"]
    done = events.advance_winners(stages[0].id)
    assert (done.stage.id, done.added, done.already) == (stages[1].id, 3, 0)
    following = events.results(stages[1].id)
    assert {(r.full_name, r.participant.subject, r.participant.teacher_id, r.award)
            for r in following} == {(f"Оқушы №{i}", "Биология", teacher.id, None)
                                    for i in (1, 2, 3)}
    assert events.advance_winners(stages[0].id).already == 3  # twice changes nothing
    assert [r.full_name for r in events.previous_winners(stages[1].id)] == [
        "Оқушы №1", "Оқушы №2", "Оқушы №3"]
    with pytest.raises(NoNextStage):
        events.advance_winners(stages[3].id)


def test_a_schools_history_lists_prizes_year_by_year_with_the_grade_then(region):
    events = Events(region)
    school = add_school(region)
    pupil = add_pupil(region, school, "Мазан", "Нұрсұлу", grade=10)
    older = events.create_from_template(EventTemplate.SCIENCE_PROJECTS, "2023-2024")
    newer = events.create_from_template(EventTemplate.SCIENCE_PROJECTS, "2025-2026")
    for event, award in ((older, Award.DIPLOMA_1), (newer, Award.PARTICIPANT)):
        stage = events.stages(event.id)[3]
        events.save_results(stage.id, [ResultLine(pupil_id=pupil.id, subject="Биология",
                                                  award=award)])
    lines = school_history(region, school.id, today=date(2026, 2, 1))
    assert [(h.academic_year, h.pupil_name, h.grade, h.level, h.award) for h in lines] == [
        ("2023-2024", "Мазан Нұрсұлу", 8, L.REPUBLICAN, Award.DIPLOMA_1)]
    assert len(school_history(region, school.id, prizes_only=False)) == 2
    assert school_history(region, school.id, min_level=L.INTERNATIONAL) == []


def test_an_event_of_another_kind_keeps_its_subject_for_new_participants(region):
    events = Events(region)
    event = Event(name="Математикадан аудандық олимпиада", kind=EventKind.SUBJECT_OLYMPIAD,
                  level=L.DISTRICT, academic_year="2025-2026", subject="Математика")
    stage = EventStage(event_id=event.id, level=L.DISTRICT, start_date=date(2025, 11, 12))
    events.save_event(event, [stage])
    pupil = add_pupil(region, add_school(region), "Серікова", "Іңкәр")
    events.add_participants(stage.id, [pupil.id])
    assert events.results(stage.id)[0].participant.subject == "Математика"
