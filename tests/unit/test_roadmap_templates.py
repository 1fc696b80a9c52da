"""Road-map templates: built-in ones per track, applying them, storing edited ones as JSON."""

from __future__ import annotations

from datetime import date

import pytest

from daryn_desktop.core.academic import AcademicYear, YearCalendar
from daryn_desktop.core.enums import GiftednessKind, SupportMeasure
from daryn_desktop.core.templates import (
    BUILTIN,
    TRACK_FOR_KIND,
    Responsible,
    RoadMapTemplate,
    TemplateActivity,
    Track,
    apply_template,
    builtin_template,
    validate_template,
)
from daryn_desktop.i18n import gettext_for

CAL = YearCalendar.default(AcademicYear(2025))
PEOPLE = {Responsible.MENTOR: ("m1", "Сейітова А.Б."),
          Responsible.PSYCHOLOGIST: ("p1", "Нұрланова Г.К."),
          Responsible.COORDINATOR: ("c1", "Оспанов Е.Т.")}


@pytest.mark.parametrize("track", list(Track))
def test_every_track_has_a_valid_builtin_template(track):
    template = builtin_template(track, "kk", gettext_for("kk"))
    assert template.is_builtin and template.goals and len(template.activities) >= 4
    assert validate_template(template) == []


def test_every_giftedness_kind_suggests_a_track():
    assert set(TRACK_FOR_KIND) == set(GiftednessKind)


def test_applying_a_template_fills_the_field_the_dates_and_the_people():
    template = builtin_template(Track.OLYMPIAD, "en", gettext_for("en"))
    goals, acts = apply_template(template, "map", CAL, field_name="математика", people=PEOPLE)
    assert goals[0].text == "Reach the regional stage of the republican olympiad in математика"
    assert [g.position for g in goals] == list(range(len(goals)))
    prep = acts[0]
    assert prep.measure == SupportMeasure.OLYMPIAD_PREPARATION
    assert prep.title == "Individual olympiad preparation in математика"
    assert (prep.start_date, prep.due_quarter, prep.due_date) == (CAL.quarters[0].start, 3, None)
    assert (prep.responsible, prep.responsible_id) == ("Сейітова А.Б.", "m1")
    training = next(a for a in acts if a.measure == SupportMeasure.PSYCHOLOGICAL_TRAINING)
    assert training.responsible == "Нұрланова Г.К."
    camp = next(a for a in acts if a.measure == SupportMeasure.SUMMER_CAMP)
    assert (camp.start_date, camp.due_date, camp.due_quarter) == (
        date(2026, 6, 1), date(2026, 7, 31), None)
    assert all(a.road_map_id == "map" for a in acts + goals)


def test_a_coordinators_text_may_hold_other_braces():
    template = RoadMapTemplate(
        Track.SPORT, "kk", goals=["{x} және {field}"],
        activities=[TemplateActivity(SupportMeasure.CLUB, "Үйірме {}", 1, 4)])
    goals, acts = apply_template(template, "map", CAL, field_name="күрес", people={})
    assert goals[0].text == "{x} және күрес"
    assert acts[0].title == "Үйірме {}" and acts[0].responsible is None


def test_templates_survive_json():
    template = builtin_template(Track.TECHNICAL, "ru", gettext_for("ru"))
    back = RoadMapTemplate.from_json(Track.TECHNICAL, "ru", template.items_json(), "id1")
    assert back.goals == template.goals and back.activities == template.activities
    assert back.id == "id1" and not back.is_builtin


def test_template_checks():
    bad = RoadMapTemplate(Track.CREATIVE, "kk", goals=[""], activities=[
        TemplateActivity(SupportMeasure.CLUB, "Үйірме", 3, 2),
        TemplateActivity(SupportMeasure.CLUB, "", 1, 1),
        TemplateActivity(SupportMeasure.HEALTH_CAMP, "Лагерь", summer=True)])
    assert [f.field for f in validate_template(bad)] == ["goal_0", "activity_0", "activity_1"]
    many = RoadMapTemplate(Track.SPORT, "kk", goals=["мақсат"] * 41)
    assert [f.field for f in validate_template(many)] == ["items"]


def test_builtin_titles_are_message_ids_marked_for_translation():
    # Every text of a built-in template is translated when used, never stored as is.
    for goals, acts in BUILTIN.values():
        assert all(isinstance(g, str) and g for g in goals)
        assert all(a.title for a in acts)
