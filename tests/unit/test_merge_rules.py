"""The per-field merge rules of sync (core/merge.py), without a database."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from daryn_desktop.core.merge import Head, merge_heads, needs_person, winner


def _head(site: str, seq: int, hlc: int = 0, prio: int = 0, value: object = None) -> Head:
    return Head(site, seq, hlc, prio, value)


def test_one_head_never_waits_for_a_person():
    assert not needs_person("pupils", "grade", [_head("a", 1, value=7)])
    assert not needs_person("pupils", "grade", [])


def test_concurrent_values_wait_for_a_person_unless_they_agree():
    typed = [_head("a", 1, value="Әбілқайыр"), _head("b", 1, value="Әбілқайыров")]
    assert needs_person("pupils", "surname", typed)
    same = [_head("a", 1, value="Ұлықбек"), _head("b", 1, value="Ұлықбек")]
    assert not needs_person("pupils", "given_name", same)


def test_an_activity_status_settles_by_its_rule():
    heads = [_head("a", 1, hlc=5, value="planned"), _head("b", 1, hlc=1, value="done")]
    assert not needs_person("activities", "status", heads)
    assert winner(heads, "activities", "status").value == "done"  # not the later clock
    both = [_head("a", 1, value="done"), _head("b", 1, value="cancelled")]
    assert needs_person("activities", "status", both)


def test_the_region_wins_over_a_later_district_edit():
    district = _head("d", 1, hlc=100, prio=0, value=5)
    region = _head("r", 1, hlc=1, prio=1, value=6)
    assert winner([district, region]) is region
    assert winner([region, district]) is region


_VERSIONS = st.lists(st.tuples(st.sampled_from("abc"), st.integers(1, 4)), unique=True,
                     min_size=1, max_size=6)


@given(_VERSIONS)
def test_concurrent_versions_all_stay_heads_in_any_order(versions):
    """Versions written without seeing each other are all kept, whatever the order they
    arrive in, and every installation shows the same winner."""
    heads_seen = []
    for order in itertools.islice(itertools.permutations(versions), 6):
        heads: list[Head] = []
        for site, seq in order:
            heads = merge_heads(heads, _head(site, seq, hlc=seq, value=f"{site}{seq}"), set(),
                                superseded=False)
        heads_seen.append(heads)
    assert all({h.id for h in heads} == set(versions) for heads in heads_seen)
    assert len({winner(heads).id for heads in heads_seen}) == 1


def test_a_version_written_after_seeing_another_replaces_it():
    first = _head("a", 1, value=1)
    second = _head("b", 1, value=2)
    assert merge_heads([first], second, {first.id}, superseded=False) == [second]
    # Learning of the first after the second (delivered late) keeps only the second.
    assert merge_heads([second], first, set(), superseded=True) == [second]
