"""The issue's scenario end to end: a region publishes the rural olympiad; two districts get
it in their next bundles; one enters school-stage results for 30 pupils and advances the
winners; the region sees them after the next bundle, lists the scholarship candidates,
grants one (completing the road-map activity), and the lists print in Kazakh and Russian."""

from __future__ import annotations

import dataclasses
from datetime import date

from pypdf import PdfReader

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import (
    ActivityStatus,
    Award,
    EventLevel,
    FamilyCategory,
    StaffRole,
    SupportMeasure,
)
from daryn_desktop.core.events import EventTemplate, result_id
from daryn_desktop.core.support import ScholarshipKind, SupportRecord
from daryn_desktop.reports.events_pdf import (
    print_forum_list,
    print_school_history,
    print_team_list,
)
from daryn_desktop.storage.events import Events
from daryn_desktop.storage.roadmaps import RoadMaps
from daryn_desktop.storage.support import Support
from tests.helpers import add_pupil, add_school
from tests.integration.sync.conftest import carry, make_world

YEAR = "2025-2026"
TODAY = date(2026, 2, 16)
TOWN = "151010000"


def _text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_a_published_olympiad_reaches_two_districts_and_their_results_come_back(
        make_store, tmp_path):
    region, (alga, mugalzhar) = make_world(make_store, 2)
    # The region publishes the olympiad (and a district adds one of its own, for itself).
    olympiad = Events(region).create_from_template(EventTemplate.RURAL_OLYMPIAD, YEAR)
    own = Events(mugalzhar).create_from_template(EventTemplate.ZERDE, YEAR)
    carry(mugalzhar, region, tmp_path)
    for district in (alga, mugalzhar):
        carry(region, district, tmp_path)
    for district in (alga, mugalzhar):
        copy = Events(district)
        assert copy.event(olympiad.id).name == olympiad.name
        assert [s.level for s in copy.stages(olympiad.id)] == [
            EventLevel.SCHOOL, EventLevel.DISTRICT, EventLevel.REGIONAL, EventLevel.REPUBLICAN]
        assert not copy.may_edit(copy.event(olympiad.id))  # the region's calendar
    # Mugalzhar's own event stays Mugalzhar's: the region has it, Alga does not.
    assert Events(region).event(own.id).district_kato == mugalzhar.installation.district_kato
    assert alga.db.execute("SELECT count(*) FROM events WHERE id = ?", [own.id]).fetchone() == (0,)

    # Alga enters the school stage: 30 pupils of two schools, one grid, then the winners on.
    events = Events(alga)
    school_stage, district_stage = events.stages(olympiad.id)[:2]
    rural = add_school(alga)
    town = add_school(alga, name="№3 мектеп-гимназия", settlement=TOWN)
    teacher = alga.repos.staff.add(e.Staff(surname="Әбенова", given_name="Сәуле",
                                           role=StaffRole.TEACHER, school_id=rural.id))
    pupils = [add_pupil(alga, rural if i % 3 else town, "Оқушы", f"Бала{i:02d}", serial=i,
                        grade=9, settlement_kato=(rural if i % 3 else town).settlement_kato)
              for i in range(1, 31)]
    assert events.add_participants(school_stage.id, [p.id for p in pupils]) == 30
    awards = {0: Award.PLACE_1, 1: Award.PLACE_2, 2: Award.PLACE_3, 3: Award.DIPLOMA_1}
    lines = []
    for i, row in enumerate(events.results(school_stage.id)):
        lines.append(dataclasses.replace(row.line(), subject="Математика", teacher_id=teacher.id,
                                         score=50 - i, award=awards.get(i, Award.PARTICIPANT)))
    events.save_results(school_stage.id, lines)
    advanced = events.advance_winners(school_stage.id)
    assert (advanced.stage.id, advanced.added) == (district_stage.id, 4)
    winners = {r.pupil_id for r in events.winners(school_stage.id)}
    carry(alga, region, tmp_path)

    # The region sees the 30 results and the 4 pupils entered in the district stage.
    at_region = Events(region)
    results = at_region.results(school_stage.id)
    assert len(results) == 30
    assert sum(r.award is not None and r.award.is_prize for r in results) == 4
    assert {r.pupil_id for r in at_region.results(district_stage.id)} == winners
    winner = next(r for r in results if r.award == Award.PLACE_1)
    assert region.repos.achievements.get(result_id(winner.participant.id)).teacher_id == (
        teacher.id)

    # Later the regional stage is held: two of Alga's pupils win a prize there (the region
    # enters the results of its own stage), and one town pupil is from a large family.
    regional = at_region.stages(olympiad.id)[2]
    finalists = [r.pupil_id for r in results[:3]]  # two rural pupils, one in town
    town_pupil = next(p for p in finalists if region.repos.pupils.get(p).school_id == town.id)
    region.repos.categories.add(e.CategoryRecord(pupil_id=town_pupil,
                                                 category=FamilyCategory.LARGE_FAMILY,
                                                 since=date(2021, 5, 1)))
    at_region.add_participants(regional.id, [*finalists, results[5].pupil_id])
    lines = []
    for row in at_region.results(regional.id):
        award = Award.PARTICIPANT if row.pupil_id == results[5].pupil_id else Award.DIPLOMA_2
        lines.append(dataclasses.replace(row.line(), award=award))
    at_region.save_results(regional.id, lines)
    support = Support(region)
    candidates = support.eligible(SupportMeasure.SCHOLARSHIP, YEAR, today=TODAY)
    assert sorted(c.pupil.pupil_id for c in candidates) == sorted(finalists)
    assert all(c.basis.level == EventLevel.REGIONAL for c in candidates)

    # One pupil has a scholarship planned in the road map: granting completes it.
    chosen = candidates[0]
    maps = RoadMaps(alga)
    road_map = maps.create(chosen.pupil.pupil_id, YEAR)
    planned = e.Activity(road_map_id=road_map.id, measure=SupportMeasure.SCHOLARSHIP,
                         title="Атаулы стипендияға ұсыну", due_quarter=3)
    maps.add_activity(road_map.id, planned)
    carry(alga, region, tmp_path)
    granted = support.grant([(chosen.pupil.pupil_id, chosen.basis.achievement_id)],
                            SupportRecord("", SupportMeasure.SCHOLARSHIP, YEAR,
                                          kind=ScholarshipKind.NAMED, amount=30000,
                                          order_number="12", order_date=date(2026, 1, 20)),
                            on=TODAY)
    assert granted.activities_completed == 1
    support.grant([(c.pupil.pupil_id, c.basis.achievement_id) for c in candidates],
                  SupportRecord("", SupportMeasure.FORUM, YEAR, title="«Сен үздіксің!»",
                                place="Ақтөбе қ.", start_date=date(2026, 4, 24)), on=TODAY)
    carry(region, alga, tmp_path)
    assert alga.repos.activities.get(planned.id).status == ActivityStatus.DONE
    assert len(Support(alga).rows(measure=SupportMeasure.SCHOLARSHIP)) == 1
    # Mugalzhar gets none of Alga's pupils, results or support.
    carry(region, mugalzhar, tmp_path)
    for table in ("participants", "support_records", "pupils"):
        assert mugalzhar.db.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table

    # The team list, the forum list and a school's history print in Kazakh and Russian.
    for lang, words in (("kk", ("ӨТІНІМ", "Сынып", "Дайындаған")),
                        ("ru", ("ЗАЯВКА", "Класс", "Подготовивший"))):
        team = print_team_list(alga, district_stage.id, tmp_path / f"team-{lang}.pdf",
                               lang=lang)
        text = _text(team)
        for word in words:
            assert word in text, (lang, word)
        assert text.count("Оқушы Бала") == 4
        forum = _text(print_forum_list(region, tmp_path / f"forum-{lang}.pdf",
                                       academic_year=YEAR, lang=lang))
        assert forum.count("Оқушы Бала") == 3
        history = _text(print_school_history(region, rural.id, tmp_path / f"h-{lang}.pdf",
                                             lang=lang, generated=TODAY))
        assert "Әбенова Сәуле" in history and "2025–2026" in history
    assert "СЕН ҮЗДІКСІҢ" in _text(tmp_path / "forum-kk.pdf")
