"""Kazakh alphabetical order and search folding."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from daryn_desktop.i18n.collation import (
    KAZAKH_ALPHABET,
    collate_kazakh,
    name_sort_key,
    search_fold,
    sort_key,
)


def test_alphabet_has_the_42_letters_in_official_order():
    assert len(KAZAKH_ALPHABET) == 42
    assert sorted(KAZAKH_ALPHABET, key=sort_key) == list(KAZAKH_ALPHABET)


def test_kazakh_letters_sort_after_their_russian_neighbours():
    words = ["Ұлан", "Уәли", "Үміт", "Ғалым", "Гүл", "Өмір", "Ораз", "Әлия", "Ахмет", "Іляс",
             "Ыбырай", "Һарун", "Хасен", "Қанат", "Кенже", "Ңғ", "Нұр"]
    assert sorted(words, key=sort_key) == [
        "Ахмет", "Әлия", "Гүл", "Ғалым", "Кенже", "Қанат", "Нұр", "Ңғ", "Ораз", "Өмір", "Уәли",
        "Ұлан", "Үміт", "Хасен", "Һарун", "Ыбырай", "Іляс"]


def test_case_is_ignored():
    assert sort_key("ӘБІЛ") == sort_key("әбіл")
    assert collate_kazakh("Әлия", "әлия") == 0
    assert collate_kazakh("Ахмет", "Әлия") < 0 < collate_kazakh("Әлия", "Ахмет")


def test_surname_sorts_before_given_name():
    assert name_sort_key("Ахмет", "Я") < name_sort_key("Ахметов", "А")


def test_search_fold_keeps_yi_and_folds_yo():
    assert search_fold("Ёлкин йод") == "Елкин йод"


@given(st.lists(st.text(alphabet=KAZAKH_ALPHABET + KAZAKH_ALPHABET.upper() + "abc -", max_size=8)))
def test_sort_key_is_a_total_order_consistent_with_the_comparison(words):
    ordered = sorted(words, key=sort_key)
    for a, b in itertools.pairwise(ordered):
        assert collate_kazakh(a, b) <= 0
