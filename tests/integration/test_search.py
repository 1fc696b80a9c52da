"""Search over name, IIN and school, case-insensitive in Kazakh, Russian and Latin; Kazakh order."""

from __future__ import annotations

import pytest

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import FamilyCategory, GiftednessKind
from daryn_desktop.storage.search import (
    PupilQuery,
    count_pupils,
    match_expression,
    pupil_ids,
    search_pupils,
)
from tests.helpers import add_pupil, add_school

NAMES = [
    ("Әбілқайыров", "Ұлықбек", "Нұрланұлы"),
    ("Ғалымжанова", "Іңкәр", "Серікқызы"),
    ("Өмірбеков", "Дәулет", None),
    ("Ёлкин", "Иван", "Петрович"),
    ("Иванова", "Анна", "Сергеевна"),
    ("Ахметов", "Ерқанат", None),
    ("Ыбыраев", "Һарун", None),
    ("Үмбетова", "Жұлдыз", None),
    ("Ұлықбеков", "Арман", None),
    ("Kim", "Alexander", None),
]


@pytest.fixture
def registry(store):
    kz = add_school(store, "Абай атындағы Қарабұлақ орта мектебі")
    ru = add_school(store, "Средняя школа №5 имени Гагарина")
    pupils = {}
    for i, (surname, given, patronymic) in enumerate(NAMES):
        school = ru if surname in ("Ёлкин", "Иванова", "Kim") else kz
        pupils[surname] = add_pupil(store, school, surname, given, patronymic=patronymic,
                                    serial=100 + i, grade=5 + i % 5)
    return store, pupils, kz, ru


def _surnames(store, text, **filters):
    return [r.surname for r in search_pupils(store, PupilQuery(text=text, **filters))]


@pytest.mark.parametrize("typed", ["әбіл", "ӘБІЛ", "ӘбІл", "ұлықбек нұрлан", "НҰРЛАНҰЛЫ"])
def test_kazakh_letters_match_in_any_case(registry, typed):
    store, *_ = registry
    assert "Әбілқайыров" in _surnames(store, typed)


def test_words_are_prefixes_of_any_part_of_the_name(registry):
    store, *_ = registry
    assert _surnames(store, "іңк ғалым") == ["Ғалымжанова"]
    assert _surnames(store, "ұлықбек") == ["Әбілқайыров", "Ұлықбеков"]


@pytest.mark.parametrize("typed", ["ИВАНОВА", "анна серг", "ёлкин", "елкин", "ЕЛКИН"])
def test_russian_names_match_in_any_case_and_yo_matches_ye(registry, typed):
    store, *_ = registry
    assert _surnames(store, typed)[0] in {"Иванова", "Ёлкин"}


def test_iin_prefix_and_school_name_are_searched(registry):
    store, pupils, _kz, _ru = registry
    iin = pupils["Өмірбеков"].iin
    assert _surnames(store, iin) == ["Өмірбеков"]
    assert len(_surnames(store, "гагарин")) == 3
    assert set(_surnames(store, "қарабұлақ")) == {p.surname for p in pupils.values()} - {
        "Ёлкин", "Иванова", "Kim"}


def test_latin_names_are_found_and_sorted_after_cyrillic(registry):
    store, *_ = registry
    assert _surnames(store, "KIM") == ["Kim"]
    assert _surnames(store, "")[-1] == "Kim"


def test_listing_follows_the_kazakh_alphabet(registry):
    store, *_ = registry
    assert _surnames(store, "") == [
        "Ахметов", "Әбілқайыров", "Ғалымжанова", "Ёлкин", "Иванова", "Өмірбеков", "Ұлықбеков",
        "Үмбетова", "Ыбыраев", "Kim"]


def test_renaming_a_school_updates_the_search(registry):
    store, _, kz, _ = registry
    store.repos.schools.update(kz.id, name="Жаңа мектеп")
    assert _surnames(store, "қарабұлақ") == []
    assert len(_surnames(store, "жаңа")) == 7


def test_editing_a_name_updates_the_search(registry):
    store, pupils, *_ = registry
    store.repos.pupils.update(pupils["Ахметов"].id, surname="Ахметжанов")
    assert _surnames(store, "ахметжан") == ["Ахметжанов"]


def test_text_that_looks_like_query_syntax_is_taken_literally(registry):
    store, *_ = registry
    for typed in ['"', "NOT", "a OR b", "*", "(", "әбіл)", "NEAR(x y)"]:
        search_pupils(store, PupilQuery(text=typed))
    assert match_expression('  "  ') is None


def test_filters_combine_with_search_and_count_agrees(registry):
    store, pupils, _kz, ru = registry
    with store.transaction() as w:
        store.repos.categories.add(e.CategoryRecord(pupils["Ахметов"].id,
                                                    FamilyCategory.LARGE_FAMILY), writer=w)
        store.repos.giftedness.add(e.GiftednessArea(pupils["Ахметов"].id,
                                                    GiftednessKind.SPORT, "Қазақ күресі"), writer=w)
    q = PupilQuery(category=FamilyCategory.LARGE_FAMILY.value)
    assert [r.surname for r in search_pupils(store, q)] == ["Ахметов"]
    assert count_pupils(store, PupilQuery(school_id=ru.id)) == 3
    assert count_pupils(store, PupilQuery(giftedness_kind="sport", text="ахм")) == 1
    assert count_pupils(store, PupilQuery(district_kato="153200000")) == len(NAMES)
    grade = pupils["Ахметов"].grade
    assert all(r.grade == grade for r in search_pupils(store, PupilQuery(grade=grade)))


def test_archived_pupils_are_hidden_unless_asked_for(registry):
    store, pupils, *_ = registry
    store.repos.pupils.archive(pupils["Kim"].id, "Moved")
    assert "Kim" not in _surnames(store, "")
    assert "Kim" in _surnames(store, "", include_archived=True)


def test_road_map_filter(registry):
    store, pupils, *_ = registry
    store.repos.road_maps.add(e.RoadMap(pupils["Ахметов"].id, "2026-2027"))
    with_map = PupilQuery(road_map_status="draft", academic_year="2026-2027")
    without = PupilQuery(road_map_status="none", academic_year="2026-2027")
    assert [r.surname for r in search_pupils(store, with_map)] == ["Ахметов"]
    assert count_pupils(store, without) == len(NAMES) - 1


def test_pages_and_ids_follow_the_same_order(registry):
    store, *_ = registry
    ids = pupil_ids(store, PupilQuery())
    paged = [r.id for off in (0, 4, 8) for r in search_pupils(store, PupilQuery(), limit=4,
                                                              offset=off)]
    assert paged == ids


def _order_copies_agree(store) -> bool:
    """The search order's copies of each pupil's order and filters equal the pupil's."""
    return store.db.execute(
        "SELECT count(*) FROM pupils p JOIN pupil_search_rows r ON r.pupil_id = p.id"
        " WHERE r.sort_key IS NOT p.sort_key OR r.active IS NOT (p.status = 'active')"
        " OR r.school_id IS NOT p.school_id OR r.grade IS NOT p.grade").fetchone()[0] == 0


def test_a_new_grade_alone_moves_the_pupil_between_grade_filters(registry):
    store, pupils, *_schools = registry
    pupil = pupils["Өмірбеков"].id
    old = store.db.execute("SELECT grade FROM pupils WHERE id = ?", [pupil]).fetchone()[0]
    with store.transaction() as w:
        w.update("pupils", pupil, {"grade": 11, "class_letter": "Ә"})
    assert "Өмірбеков" in _surnames(store, "", grade=11)
    assert "Өмірбеков" not in _surnames(store, "", grade=old)
    assert _order_copies_agree(store)


def test_a_new_name_school_and_grade_together_keep_order_and_filters(registry):
    store, pupils, _kz, ru = registry
    pupil = pupils["Ахметов"].id
    with store.transaction() as w:
        w.update("pupils", pupil, {"surname": "Бекова", "school_id": ru.id, "grade": 10})
    assert _surnames(store, "бекова", school_id=ru.id, grade=10) == ["Бекова"]
    assert _order_copies_agree(store)
    with store.transaction() as w:
        w.update("pupils", pupil, {"status": "archived"})
    assert "Бекова" not in _surnames(store, "")
    assert _order_copies_agree(store)
