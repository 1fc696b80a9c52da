"""Signing with who signed, closing the year with its result, reopening with a reason."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from daryn_desktop.core import roadmap as rules
from daryn_desktop.core.enums import RoadMapStatus
from daryn_desktop.core.templates import Track
from daryn_desktop.storage.roadmaps import InvalidEntries, RoadMaps, snapshot_signed_by
from tests.integration.reports.fixtures import YEAR, gifted_pupil

S = RoadMapStatus


@pytest.fixture
def maps(store):
    return RoadMaps(store)


@pytest.fixture
def road_map(store, maps):
    _school, pupil = gifted_pupil(store)
    return maps.create(pupil.id, YEAR, track=Track.OLYMPIAD)


def _logged(store, table, row_id):
    return [json.loads(r[0]) for r in store.db.execute(
        "SELECT data FROM changes WHERE tbl = ? AND row_id = ? ORDER BY seq", [table, row_id])]


def test_who_signed_is_kept_with_the_signed_version(store, maps, road_map):
    with pytest.raises(InvalidEntries):
        maps.sign(road_map.id, signed_by="   ")
    with pytest.raises(InvalidEntries):
        maps.sign(road_map.id, on=date.today() + timedelta(days=1), signed_by="Оспанов Е.")
    assert maps.get(road_map.id).status == S.DRAFT
    maps.sign(road_map.id, signed_by="Оспанов Е. (үйлестіруші)\nӘбілқайырова С. (анасы)")
    data = maps.load(road_map.id)
    assert data.signed_by == "Оспанов Е. (үйлестіруші)\nӘбілқайырова С. (анасы)"
    assert snapshot_signed_by(store.repos.road_maps.signed_snapshot(road_map.id)) == (
        data.signed_by)
    # It travels with the snapshot, a synced field.
    assert "Оспанов Е." in _logged(store, "road_maps", road_map.id)[-1]["signed_snapshot"]


def test_closing_the_year_keeps_its_result(store, maps, road_map):
    with pytest.raises(InvalidEntries):
        maps.close(road_map.id, comment=" ")
    maps.close(road_map.id, comment="Аудандық олимпиадада II орын")
    closed = maps.get(road_map.id)
    assert (closed.status, closed.note) == (S.CLOSED, "Аудандық олимпиадада II орын")
    assert _logged(store, "road_maps", road_map.id)[-1]["note"] == "Аудандық олимпиадада II орын"


def test_a_closed_road_map_reopens_where_it_was_with_the_reason_as_an_amendment(
        store, maps, road_map):
    maps.sign(road_map.id, signed_by="Оспанов Е.")
    maps.close(road_map.id, comment="Жыл аяқталды")
    with pytest.raises(rules.AmendmentReasonRequired):
        maps.reopen(road_map.id, reason=" ")
    amendment = maps.reopen(road_map.id, reason="Қате жабылды")
    reopened = maps.get(road_map.id)
    assert (reopened.status, reopened.closed_date) == (S.SIGNED, None)
    assert reopened.signed_date is not None
    assert (amendment.number, amendment.reason) == (1, "Қате жабылды")
    # In the document's language (the pupil learns in Kazakh).
    assert amendment.summary == "Қайта ашылды: «Жабылған» → «Қол қойылған»"
    # Both the status and the amendment are in the change log that sync sends.
    assert _logged(store, "road_maps", road_map.id)[-1] == {"closed_date": None,
                                                            "status": "signed"}
    assert _logged(store, "amendments", amendment.id)[0]["reason"] == "Қате жабылды"


def test_a_signed_road_map_reopens_as_active_and_is_signed_anew(store, maps, road_map):
    maps.sign(road_map.id, on=date.today() - timedelta(days=3))
    maps.reopen(road_map.id, reason="Жоспарды қайта келісу")
    data = maps.load(road_map.id)
    assert (data.status, data.road_map.signed_date) == (S.ACTIVE, None)
    assert data.has_signed_version  # the version signed before stays printable
    maps.sign(road_map.id)
    assert maps.get(road_map.id).signed_date == date.today()
    maps.close(road_map.id, comment="Бітті")
    maps.reopen(road_map.id, reason="Тағы бір себеп")
    assert [a.number for a in maps.load(road_map.id).amendments] == [1, 2]


def test_a_draft_or_an_active_road_map_is_not_reopened(maps, road_map):
    with pytest.raises(rules.NotReopenable):
        maps.reopen(road_map.id, reason="Себеп")
    maps.start(road_map.id)
    with pytest.raises(rules.NotReopenable):
        maps.reopen(road_map.id, reason="Себеп")


def test_a_closed_draft_reopens_as_active(maps, road_map):
    maps.close(road_map.id, comment="Оқушы кетті")
    maps.reopen(road_map.id, reason="Оқушы қайта оралды")
    assert maps.get(road_map.id).status == S.ACTIVE
