"""The school list's lines: every active pupil of the school, read in two queries in all."""

from __future__ import annotations

from datetime import date

from daryn_desktop.core import entities as e
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import FamilyCategory, GiftednessKind
from daryn_desktop.i18n import gettext_for
from daryn_desktop.reports.pupil_list import school_list_lines
from daryn_desktop.storage.roadmaps import RoadMaps
from tests.helpers import add_pupil, add_school
from tests.integration.reports.fixtures import YEAR


def _count_statements(store):
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    return seen


def test_each_pupil_gets_only_their_own_areas_categories_and_road_map(store):
    school = add_school(store)
    other = add_school(store, name="Шоқан Уәлиханов атындағы мектеп")
    r = store.repos
    ainur = add_pupil(store, school, "Әлиева", "Әйгерім", serial=1, grade=8, class_letter="Ә")
    bolat = add_pupil(store, school, "Бекұлы", "Болат", serial=2, grade=6)
    gone = add_pupil(store, school, "Ғалымов", "Қуат", serial=3)
    r.pupils.archive(gone.id, "moved away")
    stranger = add_pupil(store, other, "Іргебаев", "Өмір", serial=4)
    r.giftedness.add(e.GiftednessArea(pupil_id=ainur.id, kind=GiftednessKind.CREATIVE,
                                      field="домбыра"))
    r.giftedness.add(e.GiftednessArea(pupil_id=ainur.id, kind=GiftednessKind.INTELLECTUAL,
                                      field="физика"))
    taken_back = r.giftedness.add(e.GiftednessArea(pupil_id=ainur.id,
                                                   kind=GiftednessKind.SPORT, field="шахмат"))
    r.giftedness.update(taken_back.id, removed=1)
    r.giftedness.add(e.GiftednessArea(pupil_id=stranger.id, kind=GiftednessKind.SPORT,
                                      field="күрес"))
    r.categories.add(e.CategoryRecord(pupil_id=bolat.id, category=FamilyCategory.LARGE_FAMILY,
                                      since=date(2024, 1, 1)))
    r.categories.add(e.CategoryRecord(pupil_id=bolat.id, category=FamilyCategory.ORPHAN,
                                      since=date(2020, 1, 1), until=date(2021, 1, 1)))
    RoadMaps(store).create(ainur.id, YEAR)

    statements = _count_statements(store)
    lines = school_list_lines(store, school.id, AcademicYear.parse(YEAR), gettext_for("en"),
                              date(2025, 11, 1))
    store.db.conn.set_trace_callback(None)

    assert len(statements) <= 2, statements
    assert [x.name for x in lines] == ["Әлиева Әйгерім", "Бекұлы Болат"]
    first, second = lines
    assert first.grade == "8Ә"
    assert first.areas == "Creative: домбыра; Intellectual: физика"
    assert first.road_map == "Draft"
    assert second.areas == ""
    assert "Large family" in second.categories and "Orphan" not in second.categories
    assert second.road_map == "none"
