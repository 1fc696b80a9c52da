"""The queries behind the registry and the editor (storage/registry.py), without widgets.

(They live beside the GUI tests because the registry screen is their only user; they need
no Qt and may move to tests/integration/.)
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import (
    Award,
    EventKind,
    EventLevel,
    FamilyCategory,
    GiftednessKind,
    PupilStatus,
    RoadMapStatus,
)
from daryn_desktop.paths import app_paths
from daryn_desktop.settings import Settings, load_settings, save_settings, update_settings
from daryn_desktop.storage.registry import (
    PupilRecord,
    SortColumn,
    current_academic_year,
    load_record,
    ordered_keys,
    pupil_history,
    registry_rows,
    save_record,
    validate_children,
)
from daryn_desktop.storage.repositories import DuplicateIin
from daryn_desktop.storage.search import PupilQuery
from tests.helpers import add_pupil, add_school, make_iin

URBAN_SETTLEMENT = "153220100"  # the town of Alga (not rural)


def _names(store, query=None, sort=SortColumn.NAME, descending=False):
    keys = ordered_keys(store, query or PupilQuery(), sort, descending)
    return [r.surname for r in registry_rows(store, keys)]


@pytest.fixture
def pupils(store):
    village = add_school(store, "Қарабұлақ орта мектебі")
    town = add_school(store, "Абай атындағы №5 мектеп-гимназия", settlement=URBAN_SETTLEMENT)
    made = {
        "Өмірбеков": add_pupil(store, village, "Өмірбеков", "Дәулет", serial=1, grade=9),
        "Ахметов": add_pupil(store, town, "Ахметов", "Ерқанат", serial=2, grade=5),
        "Әбілқайыров": add_pupil(store, village, "Әбілқайыров", "Ұлықбек", serial=3, grade=7),
    }
    return store, village, town, made


def test_rows_come_in_kazakh_order_and_other_sorts(pupils):
    store, *_ = pupils
    assert _names(store) == ["Ахметов", "Әбілқайыров", "Өмірбеков"]
    assert _names(store, descending=True) == ["Өмірбеков", "Әбілқайыров", "Ахметов"]
    assert _names(store, sort=SortColumn.GRADE) == ["Ахметов", "Әбілқайыров", "Өмірбеков"]
    # Schools in Kazakh order: "Абай …" before "Қарабұлақ …", then names within a school.
    assert _names(store, sort=SortColumn.SCHOOL) == ["Ахметов", "Әбілқайыров", "Өмірбеков"]


def test_a_row_has_every_column_the_registry_shows(pupils):
    store, _village, _town, made = pupils
    pupil = made["Әбілқайыров"]
    today = date(2025, 11, 1)
    with store.transaction() as w:
        w.insert("pupil_categories", {"pupil_id": pupil.id, "category": "large_family"})
        w.insert("pupil_categories", {"pupil_id": pupil.id, "category": "orphan",
                                      "until": "2024-01-01"})  # ended: not shown
        w.insert("giftedness_areas", {"pupil_id": pupil.id, "kind": "intellectual",
                                      "field": "Математика"})
        for award in ("place_1", "participant"):
            w.insert("achievements", {"pupil_id": pupil.id, "event_name": "Олимпиада",
                                      "event_kind": "subject_olympiad", "level": "district",
                                      "academic_year": "2025-2026", "award": award})
        w.insert("road_maps", {"pupil_id": pupil.id, "academic_year": "2025-2026",
                               "status": "signed"})
    keys = ordered_keys(store, PupilQuery())
    rows = {r.surname: r for r in registry_rows(store, keys, academic_year="2025-2026",
                                                 today=today)}
    row = rows["Әбілқайыров"]
    assert row.school_name == "Қарабұлақ орта мектебі"
    assert row.rural is True
    assert rows["Ахметов"].rural is False
    assert row.categories == ("large_family",)
    assert row.giftedness == (("intellectual", "Математика"),)
    assert row.achievements == 2
    assert row.road_map_status == "signed"
    assert rows["Ахметов"].road_map_status is None
    assert row.grade_label == "7"


def test_filters_narrow_the_keys(pupils):
    store, village, _town, made = pupils
    with store.transaction() as w:
        w.insert("pupil_categories", {"pupil_id": made["Ахметов"].id,
                                      "category": "social_assistance"})
        w.insert("giftedness_areas", {"pupil_id": made["Өмірбеков"].id, "kind": "sport",
                                      "field": "Күрес"})
        w.insert("road_maps", {"pupil_id": made["Өмірбеков"].id,
                               "academic_year": current_academic_year(), "status": "active"})
    year = current_academic_year()
    assert _names(store, PupilQuery(school_id=village.id)) == ["Әбілқайыров", "Өмірбеков"]
    assert _names(store, PupilQuery(grade=5)) == ["Ахметов"]
    assert _names(store, PupilQuery(category="social_assistance")) == ["Ахметов"]
    assert _names(store, PupilQuery(giftedness_kind="sport")) == ["Өмірбеков"]
    assert _names(store, PupilQuery(road_map_status="active", academic_year=year)) == [
        "Өмірбеков"]
    assert _names(store, PupilQuery(road_map_status="none", academic_year=year)) == [
        "Ахметов", "Әбілқайыров"]
    assert _names(store, PupilQuery(district_kato="153200000", text="ұлық")) == ["Әбілқайыров"]
    store.repos.pupils.archive(made["Ахметов"].id, "Көшіп кетті")
    assert _names(store) == ["Әбілқайыров", "Өмірбеков"]
    assert _names(store, PupilQuery(only_archived=True)) == ["Ахметов"]
    assert _names(store, PupilQuery(include_archived=True)) == [
        "Ахметов", "Әбілқайыров", "Өмірбеков"]


def _record(store, school, **pupil):
    values = {"surname": "Сейітқызы", "given_name": "Аружан", "iin": make_iin(serial=40),
              "school_id": school.id, "grade": 6, **pupil}
    return PupilRecord(pupil=e.Pupil(**values))


def test_a_record_is_saved_whole_and_edits_write_only_what_changed(store):
    school = add_school(store)
    record = _record(store, school)
    record.categories.append(e.CategoryRecord(pupil_id=record.pupil.id,
                                              category=FamilyCategory.LARGE_FAMILY,
                                              since=date(2024, 9, 1)))
    record.giftedness.append(e.GiftednessArea(pupil_id=record.pupil.id,
                                              kind=GiftednessKind.CREATIVE, field="Домбыра"))
    record.attachments.append(e.Attachment(pupil_id=record.pupil.id, sha256="ab" * 32,
                                           filename="диплом.png", mime="image/png", size=3))
    record.new_files["ab" * 32] = b"png"
    save_record(store, record, author="coordinator")

    loaded = load_record(store, record.pupil.id)
    assert loaded.pupil.full_name == "Сейітқызы Аружан"
    assert [c.category for c in loaded.categories] == [FamilyCategory.LARGE_FAMILY]
    assert store.repos.attachments.content("ab" * 32) == b"png"

    edited = loaded.copy()
    edited.pupil.grade = 7
    edited.achievements.append(e.Achievement(
        pupil_id=record.pupil.id, event_name="«Зерде»", event_kind=EventKind.SCIENCE_PROJECTS,
        level=EventLevel.REGIONAL, academic_year="2025-2026", award=Award.DIPLOMA_2))
    save_record(store, edited, original=loaded, author="coordinator")
    history = pupil_history(store, record.pupil.id)
    newest = history[0]
    assert {h.table for h in history} >= {"pupils", "pupil_categories", "giftedness_areas",
                                          "attachments", "achievements"}
    updates = [h for h in history if h.table == "pupils" and h.op == "update"]
    assert [u.fields for u in updates] == [{"grade": 7}]
    assert newest.author == "coordinator"


def test_a_failed_save_writes_nothing(store):
    school = add_school(store)
    first = _record(store, school)
    save_record(store, first)
    changes_before = store.db.execute("SELECT count(*) FROM changes").fetchone()[0]
    twin = _record(store, school, surname="Басқа")  # the same IIN as the first
    twin.categories.append(e.CategoryRecord(pupil_id=twin.pupil.id,
                                            category=FamilyCategory.ORPHAN))
    with pytest.raises(DuplicateIin):
        save_record(store, twin)
    assert store.db.execute("SELECT count(*) FROM changes").fetchone()[0] == changes_before
    assert store.repos.pupils.find(twin.pupil.id) is None
    # An attachment without its content is a bug; the whole save is rolled back.
    broken = _record(store, school, iin=make_iin(serial=41))
    broken.attachments.append(e.Attachment(pupil_id=broken.pupil.id, sha256="cd" * 32,
                                           filename="x.pdf", mime="application/pdf", size=1))
    with pytest.raises(KeyError):
        save_record(store, broken)
    assert store.repos.pupils.find(broken.pupil.id) is None


def test_children_are_validated(store):
    school = add_school(store)
    record = _record(store, school)
    record.guardians.append(e.Guardian(pupil_id=record.pupil.id, full_name=" "))
    record.achievements.append(e.Achievement(
        pupil_id=record.pupil.id, event_name="", event_kind=EventKind.OTHER,
        level=EventLevel.SCHOOL, academic_year="2025", award=Award.PARTICIPANT))
    record.categories.append(e.CategoryRecord(pupil_id=record.pupil.id,
                                              category=FamilyCategory.OTHER,
                                              since=date(2025, 1, 2), until=date(2024, 1, 1)))
    fields = {f.field for f in validate_children(record)}
    assert fields == {"guardians.0.full_name", "achievements.0.event_name",
                      "achievements.0.academic_year", "categories.0.until"}


def test_archiving_is_in_the_history(pupils):
    store, _village, _town, made = pupils
    pupil = made["Ахметов"]
    store.repos.pupils.archive(pupil.id, "Басқа ауданға көшті", status=PupilStatus.LEFT)
    entry = pupil_history(store, pupil.id)[0]
    assert entry.fields == {"status": "left", "archive_reason": "Басқа ауданға көшті"}
    assert RoadMapStatus.SIGNED.value == "signed"


def test_settings_survive_a_restart_and_a_damaged_file(tmp_path):
    paths = app_paths(tmp_path)
    assert load_settings(paths) == Settings()
    update_settings(paths, language="ru", last_database=str(tmp_path / "d.db"))
    assert load_settings(paths).language == "ru"
    paths.settings_file.write_text("{not json", encoding="utf-8")
    assert load_settings(paths) == Settings()
    paths.settings_file.write_text(json.dumps({"language": "xx", "window_geometry": 5,
                                               "unknown": "y"}), encoding="utf-8")
    assert load_settings(paths) == Settings()
    save_settings(paths, Settings(language="kk"))
    assert json.loads(paths.settings_file.read_text(encoding="utf-8"))["language"] == "kk"
    with pytest.raises(KeyError):
        update_settings(paths, colour="blue")
