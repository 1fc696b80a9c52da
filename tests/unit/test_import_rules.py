"""Rules of spreadsheet imports without files or a database: cells, words, headers, rows."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from daryn_desktop.core.enums import Award, EventLevel, FamilyCategory, GiftednessKind, Sex
from daryn_desktop.core.imports import values as v
from daryn_desktop.core.imports.fields import IGNORE, ImportKind
from daryn_desktop.core.imports.layout import (
    MissingField,
    NoHeader,
    UnknownField,
    apply_overrides,
    data_rows,
    find_layout,
    layout_at,
    parse_map_option,
)
from daryn_desktop.core.imports.text import fold, header_key, mend_script
from daryn_desktop.i18n import set_language


@pytest.mark.parametrize("text, expected", [
    ("7А", (7, "А")), ("7 «А»", (7, "А")), ("7-а", (7, "А")), ("7 \"Б\" сынып", (7, "Б")),
    ("10 Ә класс", (10, "Ә")), ("7A", (7, "А")), ("VII Б", (7, "Б")), (9, (9, None)),
    (11.0, (11, None)), ("Мектепалды даярлық", (0, None)), ("0", (0, None)),
])
def test_grades_with_their_letters(text, expected):
    assert v.grade_and_letter(text) == expected


def test_a_grade_that_is_none_says_how_to_write_it():
    with pytest.raises(v.CellProblem) as info:
        v.grade_and_letter("жетінші")
    assert info.value.params == {"text": "жетінші"}


@pytest.mark.parametrize("cell, expected", [
    ("Әбілқайыров Ұлықбек Ғабитұлы", ("Әбілқайыров", "Ұлықбек", "Ғабитұлы")),
    ("ӘБІЛҚАЙЫРОВ ҰЛЫҚБЕК", ("Әбілқайыров", "Ұлықбек", None)),
    ("Серік Айгүл Бақыт қызы", ("Серік", "Айгүл", "Бақыт қызы")),
    ("  Иванова   Мария  Петровна ", ("Иванова", "Мария", "Петровна")),
    # A Latin A typed inside a Cyrillic name, and a Latin i for the Kazakh і.
    ("Aхметов Бекзат", ("Ахметов", "Бекзат", None)),
    ("Iлиясова Дина", ("Ілиясова", "Дина", None)),
])
def test_full_names_split_into_three_parts(cell, expected):
    assert v.split_full_name(cell) == expected


def test_one_word_is_not_a_full_name():
    with pytest.raises(v.CellProblem):
        v.split_full_name("Ұлықбек")


def test_mixed_scripts_are_mended_only_inside_cyrillic_words():
    assert mend_script("Aйгүл Smith") == "Айгүл Smith"
    assert mend_script("Нұрлан i Ерлан") == "Нұрлан i Ерлан"  # a Latin word stays Latin
    assert fold("ЁЛКИНА  Мария") == "елкина мария"


@pytest.mark.parametrize("cell, expected", [
    ("120315600016", "120315600016"), ("1203 1560 0016", "120315600016"),
    (51203600123, "051203600123"),  # a number cell lost the leading zero
    (51203600123.0, "051203600123"), ("'051203600123", "051203600123"),
    ("51203600123", "051203600123"), ("120315600016.0", "120315600016"),
])
def test_iins_from_text_and_number_cells(cell, expected):
    assert v.iin(cell) == expected


def test_an_iin_rounded_by_excel_cannot_be_mended():
    with pytest.raises(v.CellProblem) as info:
        v.iin("1,20315E+11")
    assert "rounded" in info.value.message
    with pytest.raises(v.CellProblem):
        v.iin(1.20315e11 + 0.5)


@pytest.mark.parametrize("cell, expected", [
    ("15.03.2012", date(2012, 3, 15)), ("5.3.2012", date(2012, 3, 5)),
    ("2012-03-15", date(2012, 3, 15)), ("15/03/2012", date(2012, 3, 15)),
    ("15.03.2012 0:00:00", date(2012, 3, 15)), (40983, date(2012, 3, 15)),
    ("40983", date(2012, 3, 15)), (datetime(2012, 3, 15, 0, 0), date(2012, 3, 15)),
])
def test_dates_as_spreadsheets_hold_them(cell, expected):
    assert v.a_date(cell) == expected


@pytest.mark.parametrize("cell", ["31.02.2012", "15.03.12", "вчера", 999999])
def test_impossible_or_ambiguous_dates_are_refused(cell):
    with pytest.raises(v.CellProblem):
        v.a_date(cell)


def test_words_of_the_vocabulary_in_kazakh_russian_and_english():
    assert v.word(Sex, "ұл") == Sex.MALE and v.word(Sex, "Ж") == Sex.FEMALE
    assert v.word(Award, "I орын") == Award.PLACE_1
    assert v.word(Award, "Диплом II степени") == Award.DIPLOMA_2
    assert v.word(Award, "алтын медаль") == Award.GOLD
    assert v.word(EventLevel, "Областной") == EventLevel.REGIONAL
    assert v.words(FamilyCategory, "Многодетная семья, Сирота") == [
        FamilyCategory.LARGE_FAMILY, FamilyCategory.ORPHAN]
    # A label with a comma in it is still read whole.
    assert v.words(FamilyCategory, "Семья, пострадавшая от чрезвычайной ситуации") == [
        FamilyCategory.EMERGENCY]
    assert v.words(FamilyCategory, "АӘК; көп балалы") == [
        FamilyCategory.SOCIAL_ASSISTANCE, FamilyCategory.LARGE_FAMILY]
    with pytest.raises(v.CellProblem):
        v.words(FamilyCategory, "көп балалы, бай")


def test_giftedness_areas_get_the_kind_written_or_usual():
    assert v.areas(None, "Математика, Домбыра; Шығармашылық: Вокал, Шахмат (спорт)") == [
        (GiftednessKind.INTELLECTUAL, "Математика"), (GiftednessKind.CREATIVE, "Домбыра"),
        (GiftednessKind.CREATIVE, "Вокал"), (GiftednessKind.SPORT, "Шахмат")]
    assert v.areas(None, "робототехника") == [(GiftednessKind.TECHNICAL, "Робототехника")]


def test_headers_are_known_in_every_spelling():
    assert header_key("Аты-жөні") == header_key("аты жөні") == "атыжөні"
    assert header_key("Туған күні (күні.айы.жылы)") == "туғанкүні"
    rows = [["Т.А.Ә.", "ЖСН/ИИН", "Дата рождения", "Класс", "Сынып жетекшісі"]]
    layout = find_layout(rows, ImportKind.PUPILS)
    assert layout.mapping == {0: "full_name", 1: "iin", 2: "birth_date", 3: "grade",
                              4: IGNORE}


def test_the_header_is_found_below_titles_and_a_numbering_row_is_skipped():
    rows = [
        ["Қарабұлақ орта мектебі"], [], ["7 «А» сынып оқушыларының тізімі"],
        ["№", "Оқушының аты-жөні", "ЖСН", "Туған күні", "Сынып"],
        [1, 2, 3, 4, 5],
        [1, "Әбілқайыров Ұлықбек", "120315600016", "15.03.2012", "7А"],
        ["Барлығы: 1"],
        [None, "Сынып жетекшісі: Сейітова А.Б."],
    ]
    layout = find_layout(rows, ImportKind.PUPILS)
    assert layout.header_rows == (3,)
    found = list(data_rows(layout, rows))
    assert [r.number for r in found] == [6]
    assert found[0].cells["full_name"] == "Әбілқайыров Ұлықбек"


def test_a_two_row_header_with_the_name_split_into_three():
    rows = [
        ["№", "Оқушының аты-жөні", None, None, "ЖСН", "Сынып"],
        [None, "Тегі", "Аты", "Әкесінің аты", None, None],
        [1, "Әбілқайыров", "Ұлықбек", "Ғабитұлы", "120315600016", "7А"],
    ]
    layout = find_layout(rows, ImportKind.PUPILS)
    assert layout.header_rows == (0, 1)
    assert layout.mapping == {1: "surname", 2: "given_name", 3: "patronymic", 4: "iin",
                              5: "grade"}
    assert [r.number for r in data_rows(layout, rows)] == [3]


def test_sub_headings_carry_the_grade_to_the_rows_under_them():
    rows = [
        ["Аты-жөні", "ЖСН"],
        ["7 «А» сынып"],
        ["Әбілқайыров Ұлықбек", "120315600016"],
        ["8 «Б» сынып"],
        ["Сейітова Айгүл", "110101600020"],
    ]
    found = list(data_rows(find_layout(rows, ImportKind.PUPILS), rows))
    assert [(r.number, r.context["grade"], r.context["class_letter"]) for r in found] == [
        (3, 7, "А"), (5, 8, "Б")]


def test_no_header_is_a_clear_error_and_overrides_name_columns():
    rows = [["Әбілқайыров Ұлықбек", "120315600016"], ["Сейітова Айгүл", "110101600020"]]
    with pytest.raises(NoHeader) as info:
        find_layout(rows, ImportKind.PUPILS)
    assert "Аты-жөні" in info.value.translated()
    layout = apply_overrides(layout_at(rows, ImportKind.PUPILS, None),
                             parse_map_option(["A=full_name", "B=iin"]))
    layout.check()
    assert [r.cells["iin"] for r in data_rows(layout, rows)] == ["120315600016",
                                                                 "110101600020"]


def test_overrides_by_header_and_unknown_fields():
    rows = [["ФИО", "Номер", "Класс"]]
    layout = apply_overrides(find_layout(rows, ImportKind.PUPILS),
                             parse_map_option(["Номер=iin", "Класс=-"]))
    assert layout.mapping == {0: "full_name", 1: "iin", 2: IGNORE}
    with pytest.raises(UnknownField):
        apply_overrides(layout, {"Номер": "passport"})


def test_a_list_without_names_cannot_be_read():
    set_language("kk")
    layout = find_layout([["ЖСН", "Сынып", "Туған күні"]], ImportKind.PUPILS)
    with pytest.raises(MissingField) as info:
        layout.check()
    assert "Аты-жөні" in info.value.translated() or "Тегі" in info.value.translated()
