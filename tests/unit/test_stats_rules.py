"""The statistics' rules without a database: duplicates, target groups, bands, suppression."""

from __future__ import annotations

from datetime import date

import pytest

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.duplicates import (
    IIN_CLASH,
    PROBABLE,
    SAME_CHILD,
    Person,
    counted_once,
    find_duplicates,
    name_key,
)
from daryn_desktop.core.stats.engine import UnknownTable, parse_tables, suppressed
from daryn_desktop.core.stats.model import COUNT, SHARE, Cell, Column, Msg, Row, Table

IIN = "120315612345"


def test_same_iin_and_name_is_one_child_whatever_the_case_and_yo():
    groups = find_duplicates([
        Person("b", IIN, "Әбілқайыров", "Ұлықбек", "2012-03-15", True),
        Person("a", IIN, "ӘБІЛҚАЙЫРОВ", "ұлықбек", "2012-03-15", True),
    ])
    assert [(g.kind, g.pupil_ids) for g in groups] == [(SAME_CHILD, ("a", "b"))]
    assert counted_once(groups) == {"b": "a"}
    assert name_key("Сёмин", "Иван-Павел") == name_key("семин", "иван павел")


def test_same_iin_different_names_is_flagged_never_merged():
    groups = find_duplicates([Person("a", IIN, "Бекова", "Аружан", None, True),
                              Person("b", IIN, "Сейтов", "Ерлан", None, True)])
    assert [g.kind for g in groups] == [IIN_CLASH]
    assert counted_once(groups) == {}


def test_a_clash_beside_a_real_pair_keeps_the_pair_counted_once():
    groups = find_duplicates([Person("a", IIN, "Бекова", "Аружан", None, True),
                              Person("b", IIN, "Бекова", "Аружан", None, False),
                              Person("c", IIN, "Сейтов", "Ерлан", None, True)])
    assert [g.kind for g in groups] == [SAME_CHILD, IIN_CLASH]
    # The active record is the one kept in the count.
    assert counted_once(groups) == {"b": "a"}


def test_same_name_and_birth_with_other_iins_is_only_probable():
    groups = find_duplicates([Person("a", IIN, "Бекова", "Аружан", "2012-03-15", True),
                              Person("b", "", "Бекова", "Аружан", "2012-03-15", True),
                              Person("c", "120315612346", "Бекова", "Аружан", "2012-03-16",
                                     True)])
    assert [(g.kind, g.pupil_ids) for g in groups] == [(PROBABLE, ("a", "b"))]
    assert counted_once(groups) == {}


def test_target_groups_and_grade_bands():
    assert d.target_groups(True, frozenset()) == {d.RURAL, d.ANY_TARGET}
    assert d.target_groups(False, frozenset({"social_assistance"})) == {d.LOW_INCOME,
                                                                        d.ANY_TARGET}
    assert d.target_groups(False, frozenset({"orphan"})) == set()
    assert [d.grade_band(g) for g in (0, 1, 4, 5, 9, 10, 12)] == [
        "band_0", "band_1_4", "band_1_4", "band_5_9", "band_5_9", "band_10_12", "band_10_12"]
    assert d.grade_in_year(7, AcademicYear(2026), AcademicYear(2025)) == 6


def test_as_of_dates():
    year = AcademicYear(2025)
    assert d.default_as_of(year, date(2026, 12, 2)) == date(2026, 8, 31)
    assert d.default_as_of(year, date(2025, 12, 2)) == date(2025, 12, 2)
    assert d.year_earlier(date(2028, 2, 29)) == date(2027, 2, 28)


def test_tables_are_asked_for_by_name():
    assert parse_tables(None) == d.AGGREGATE_TABLES
    assert parse_tables("t4,T1") == ("T1", "T4")
    assert parse_tables("T2", names=True) == ("T2", "T4", "duplicates")
    with pytest.raises(UnknownTable):
        parse_tables("T9")


def test_suppression_blanks_1_to_k_minus_1_and_what_depends_on_them():
    table = Table("T2", Msg("x"), (Msg("y"),), [
        Column("n", Msg("n"), COUNT), Column("share", Msg("s"), SHARE, depends=("n",))])
    for key, n in (("zero", 0), ("one", 1), ("two", 2), ("three", 3)):
        table.rows.append(Row(key, (Msg(key),), {"n": Cell(n, ["p"] * n),
                                                 "share": Cell(n / 10)}))
    hidden = {r.key: (r.cells["n"].hidden, r.cells["share"].hidden)
              for r in suppressed([table], 3)[0].rows}
    assert hidden == {"zero": (False, False), "one": (True, True), "two": (True, True),
                      "three": (False, False)}
    assert table.row("one").cells["n"].value == 1  # the original is untouched
    personal = Table("T4", Msg("x"), (), [Column("n", Msg("n"))], personal=True)
    assert suppressed([personal], 3)[0] is personal


def test_teacher_weights_round_trip_and_survive_damage():
    weights = d.TeacherWeights()
    weights.level["international"] = 12.5
    weights.target_groups_only = False
    again = d.TeacherWeights.from_json(weights.to_json())
    assert again.level["international"] == 12.5 and not again.target_groups_only
    assert again.points("international", "gold") == 12.5 * 3
    assert d.TeacherWeights.from_json("{not json").level == d.TeacherWeights().level
