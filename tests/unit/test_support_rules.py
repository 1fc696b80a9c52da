"""Eligibility rules of the support measures, support records, and staff development."""

from __future__ import annotations

import dataclasses
from datetime import date

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import (
    ActivityStatus,
    Award,
    EventKind,
    EventLevel,
    FamilyCategory,
    SupportMeasure,
)
from daryn_desktop.core.staffdev import (
    ResearchProject,
    StaffTraining,
    last_trained,
    needs_training,
    validate_project,
    validate_training,
)
from daryn_desktop.core.support import (
    DEFAULT_RULES,
    EligibilityRule,
    PupilFact,
    ResultFact,
    ScholarshipKind,
    SupportRecord,
    SupportStatus,
    activity_status,
    describe_record,
    describe_rule,
    find_candidates,
    validate_record,
)
from daryn_desktop.i18n import gettext_for

M = SupportMeasure
L = EventLevel
YEAR = AcademicYear(2025)


def _pupil(pid: str, *, rural: bool = True, grade: int = 9, categories=()) -> PupilFact:
    return PupilFact(pid, f"Оқушы {pid}", grade, "Мектеп", "153200000", rural,
                     tuple(categories), pid)


def _result(pid: str, level: EventLevel, award: Award, *, kind=EventKind.SUBJECT_OLYMPIAD,
            year: str = "2025-2026", name: str = "Олимпиада", rid: str | None = None,
            day: date | None = None) -> ResultFact:
    return ResultFact(rid or f"{pid}-{level.value}-{award.value}-{year}", pid, name, kind,
                      level, award, year, "Математика", day)


def test_scholarship_list_holds_exactly_the_target_group_prize_winners():
    rule = DEFAULT_RULES[M.SCHOLARSHIP]
    pupils = {p.pupil_id: p for p in (
        _pupil("rural"), _pupil("large", rural=False, categories=[FamilyCategory.LARGE_FAMILY]),
        _pupil("town", rural=False), _pupil("district"), _pupil("participant"),
        _pupil("creative"), _pupil("last_year"), _pupil("granted"))}
    results = [
        _result("rural", L.REGIONAL, Award.PLACE_2),
        _result("large", L.INTERNATIONAL, Award.BRONZE),
        _result("town", L.REPUBLICAN, Award.GOLD),  # not in a target group
        _result("district", L.DISTRICT, Award.PLACE_1),  # level too low
        _result("participant", L.REGIONAL, Award.PARTICIPANT),  # no prize
        _result("participant", L.REGIONAL, Award.CERTIFICATE_OF_MERIT),
        _result("creative", L.REGIONAL, Award.PLACE_1, kind=EventKind.CREATIVE_CONTEST),
        _result("last_year", L.REGIONAL, Award.PLACE_1, year="2024-2025"),
        _result("granted", L.REGIONAL, Award.PLACE_1),
        _result("gone", L.REGIONAL, Award.PLACE_1),  # not an active pupil
    ]
    found = find_candidates(rule, YEAR, pupils, results, already=["granted"])
    assert [c.pupil.pupil_id for c in found] == ["large", "rural"]
    assert found[0].basis.level == L.INTERNATIONAL
    assert found[0].pupil.groups == ["Large family"]
    assert found[1].pupil.groups == ["Rural area"]


def test_the_best_result_is_the_basis_and_all_qualifying_ones_are_counted():
    rule = DEFAULT_RULES[M.FORUM]
    pupils = {"a": _pupil("a")}
    results = [_result("a", L.REGIONAL, Award.PLACE_3, day=date(2025, 12, 1)),
               _result("a", L.REGIONAL, Award.PLACE_1, day=date(2025, 11, 1)),
               _result("a", L.REPUBLICAN, Award.DIPLOMA_3, kind=EventKind.SPORT_COMPETITION),
               _result("a", L.SCHOOL, Award.PLACE_1)]
    (candidate,) = find_candidates(rule, YEAR, pupils, results)
    assert candidate.basis.level == L.REPUBLICAN and candidate.results == 3


def test_rule_switches_change_who_is_offered():
    pupils = {"town": _pupil("town", rural=False), "granted": _pupil("granted"),
              "small": _pupil("small", grade=3)}
    results = [_result(p, L.DISTRICT, Award.PARTICIPANT, kind=EventKind.FESTIVAL)
               for p in pupils]
    strict = EligibilityRule(M.HEALTH_CAMP, L.REGIONAL)
    assert find_candidates(strict, YEAR, pupils, results) == []
    loose = EligibilityRule(M.HEALTH_CAMP, L.SCHOOL, prize_only=False, target_groups_only=False,
                            exclude_granted=False, grade_from=5)
    found = find_candidates(loose, YEAR, pupils, results, already=["granted"])
    assert [c.pupil.pupil_id for c in found] == ["granted", "town"]


def test_grants_count_two_years_and_grade_eleven_only():
    rule = DEFAULT_RULES[M.GRANT]
    pupils = {"eleven": _pupil("eleven", grade=11), "ten": _pupil("ten", grade=10)}
    results = [_result("eleven", L.REGIONAL, Award.PLACE_1, year="2024-2025"),
               _result("ten", L.REGIONAL, Award.PLACE_1)]
    assert [c.pupil.pupil_id for c in find_candidates(rule, YEAR, pupils, results)] == ["eleven"]
    old = [_result("eleven", L.REGIONAL, Award.PLACE_1, year="2023-2024")]
    assert find_candidates(rule, YEAR, pupils, old) == []


def test_a_rule_survives_its_text_form_and_bad_text_keeps_the_default():
    rule = EligibilityRule(M.FORUM, L.DISTRICT, prize_only=False,
                           kinds=(EventKind.DEBATE, EventKind.FESTIVAL), target_groups_only=False,
                           grade_from=5, grade_to=9, years=2, exclude_granted=False)
    assert EligibilityRule.from_json(M.FORUM, rule.to_json()) == rule
    assert EligibilityRule.from_json(M.FORUM, "not json") == DEFAULT_RULES[M.FORUM]
    odd = EligibilityRule.from_json(M.FORUM, '{"min_level": "galactic", "kinds": ["debate",'
                                              ' "chess"], "years": 9, "grade_from": 40}')
    assert odd.min_level == DEFAULT_RULES[M.FORUM].min_level
    assert odd.kinds == (EventKind.DEBATE,)
    assert odd.years == 1 and odd.grade_from is None


def test_a_rule_is_described_in_words():
    lines = describe_rule(DEFAULT_RULES[M.SCHOLARSHIP])
    assert lines[0] == "Results at events of the level “Regional” or higher."
    assert "Kinds of event: Subject olympiad, Competition of scientific projects, Sport" \
           " competition." in lines
    assert any("target groups" in line for line in lines)
    grant = describe_rule(DEFAULT_RULES[M.GRANT])
    assert "Pupils of grades 11–11." in grant
    assert "Results of the academic year asked for and of the year before it." in grant


def test_records_are_checked_by_measure():
    ok = SupportRecord("p", M.SCHOLARSHIP, "2025-2026", kind=ScholarshipKind.STATE, amount=20000)
    assert validate_record(ok) == []
    no_amount = dataclasses.replace(ok, amount=None)
    assert [(f.field, f.severity.value) for f in validate_record(no_amount)] == [
        ("amount", "warning")]
    bad = dataclasses.replace(ok, amount=-5, status=SupportStatus.ADMITTED,
                              start_date=date(2026, 5, 1), end_date=date(2025, 10, 1))
    assert {f.field for f in validate_record(bad)} == {"amount", "status", "end_date"}
    school = SupportRecord("p", M.SPECIALISED_SCHOOL, "2025-2026", status=SupportStatus.APPLIED)
    assert [f.field for f in validate_record(school)] == ["place"]
    assert [f.field for f in validate_record(
        SupportRecord("p", M.CLUB, "2025-2026"))] == ["measure"]


def test_granting_completes_the_activity_and_an_application_keeps_it_going():
    record = SupportRecord("p", M.SPECIALISED_SCHOOL, "2025-2026", status=SupportStatus.APPLIED,
                           place="НЗМ")
    assert activity_status(record) == ActivityStatus.IN_PROGRESS
    for status in (SupportStatus.ADMITTED, SupportStatus.REFUSED):
        assert activity_status(dataclasses.replace(record, status=status)) == ActivityStatus.DONE
    assert activity_status(dataclasses.replace(record, status=SupportStatus.CANCELLED)) is None
    assert activity_status(SupportRecord("p", M.FORUM, "2025-2026")) == ActivityStatus.DONE


def test_a_record_reads_as_one_line_in_the_documents_language():
    record = SupportRecord("p", M.SCHOLARSHIP, "2025-2026", kind=ScholarshipKind.NAMED,
                           title="Облыс әкімінің атаулы стипендиясы", amount=25000,
                           start_date=date(2025, 10, 1), end_date=date(2026, 5, 31),
                           order_number="245", order_date=date(2025, 9, 30))
    assert describe_record(record) == (
        "Named scholarship, «Облыс әкімінің атаулы стипендиясы», 25\u00a0000\u00a0₸ a month,"
        " 01.10.2025–31.05.2026, order No. 245 of 30.09.2025")
    russian = describe_record(record, gettext_for("ru"))
    assert russian.startswith("Именная стипендия") and "приказ № 245" in russian


def test_not_trained_in_the_last_three_years():
    today = date(2026, 2, 16)
    old = StaffTraining("s", "Курс", start_date=date(2022, 10, 1), end_date=date(2022, 10, 10))
    recent = StaffTraining("s", "Семинар", start_date=date(2024, 3, 1))
    removed = dataclasses.replace(recent, end_date=date(2025, 12, 1), removed=True)
    future = StaffTraining("s", "Курс", start_date=date(2026, 6, 1))
    assert last_trained([old, removed, future], today) == date(2022, 10, 10)
    assert needs_training(last_trained([old, removed, future], today), today)
    assert not needs_training(last_trained([old, recent], today), today)
    assert needs_training(None, today)
    assert not needs_training(date(2023, 2, 16), today)
    assert needs_training(date(2023, 2, 15), today)


def test_trainings_and_projects_are_checked():
    training = StaffTraining("s", " ", hours=0, start_date=date(2025, 5, 2),
                             end_date=date(2025, 5, 1))
    assert {f.field for f in validate_training(training, today=date(2026, 1, 1))} == {
        "title", "hours", "end_date"}
    soon = StaffTraining("s", "Курс", end_date=date(2026, 3, 1))
    assert [(f.field, f.severity.value) for f in validate_training(
        soon, today=date(2026, 1, 1))] == [("end_date", "warning")]
    project = ResearchProject("p", "2025", " ")
    assert {f.field for f in validate_project(project)} == {"topic", "academic_year"}
