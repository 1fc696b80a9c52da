"""A road map reopened at the district reaches the region like any other change."""

from __future__ import annotations

from daryn_desktop.core.enums import RoadMapStatus
from daryn_desktop.core.templates import Track
from daryn_desktop.storage.roadmaps import RoadMaps
from daryn_desktop.sync.export import export_bundle, recipients_for_export
from daryn_desktop.sync.importer import IMPORTED, import_bundle
from tests.integration.reports.fixtures import YEAR, gifted_pupil


def test_a_reopened_road_map_and_its_reason_travel_to_the_region(world, tmp_path):
    region, district = world
    _school, pupil = gifted_pupil(district)
    maps = RoadMaps(district)
    road_map = maps.create(pupil.id, YEAR, track=Track.SPORT)
    maps.sign(road_map.id, signed_by="Оспанов Е.")
    maps.close(road_map.id, comment="Жыл аяқталды")
    maps.reopen(road_map.id, reason="Қате жабылды")
    peer = recipients_for_export(district)[0]
    outcome = import_bundle(region, export_bundle(district, tmp_path, peer).path)
    assert outcome.status == IMPORTED, outcome.describe()
    there = RoadMaps(region).load(road_map.id)
    assert there.status == RoadMapStatus.SIGNED and there.road_map.note == "Жыл аяқталды"
    assert [(a.number, a.reason) for a in there.amendments] == [(1, "Қате жабылды")]
    assert there.signed_by == "Оспанов Е."
