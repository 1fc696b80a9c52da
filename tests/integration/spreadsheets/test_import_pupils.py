"""Class lists into the registry: matching, only what differs, one batch, undo, rejections."""

from __future__ import annotations

import openpyxl
import pytest

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import PupilStatus, Sex
from daryn_desktop.core.imports.fields import ImportKind
from daryn_desktop.core.imports.plan import RowStatus
from daryn_desktop.core.progress import Cancelled, CancelToken
from daryn_desktop.i18n import set_language
from daryn_desktop.reports.import_files import rejected_path, write_rejected
from daryn_desktop.spreadsheets.importer import ImportRequest, plan_import, run_import
from daryn_desktop.storage.imports import AlreadyUndone, recent_batches, undo_import
from daryn_desktop.storage.schema import SYNCED_COLUMNS
from tests.helpers import add_pupil, add_school, make_iin
from tests.spreadsheet_files import HEADER_KK, pupil_rows, write_big_xlsx, write_xlsx


def _changes(store) -> int:
    return store.db.execute("SELECT count(*) FROM changes").fetchone()[0]


def _snapshot(store) -> dict:
    """Everything a person sees of the pupils: their fields, categories and areas."""
    cols = ", ".join(SYNCED_COLUMNS["pupils"])
    pupils = {r[0]: r[1:] for r in store.db.execute(f"SELECT id, {cols} FROM pupils")}
    cats = sorted(store.db.execute(
        "SELECT pupil_id, category FROM pupil_categories WHERE removed = 0").fetchall())
    areas = sorted(store.db.execute(
        "SELECT pupil_id, kind, field FROM giftedness_areas WHERE removed = 0").fetchall())
    return {"pupils": pupils, "categories": cats, "areas": areas}


def _import(store, path, **options):
    plan = plan_import(store, ImportRequest(path, ImportKind.PUPILS, **options))
    return plan, run_import(store, plan)


@pytest.fixture
def school(store):
    return add_school(store, "Қарабұлақ орта мектебі")


def test_a_new_installation_is_filled_and_a_second_import_changes_nothing(store, school,
                                                                           tmp_path):
    rows = list(pupil_rows(30))
    path = write_xlsx(tmp_path / "7А.xlsx", rows)
    plan, batch = _import(store, path, school_id=school.id)
    assert plan.layout.header_rows == (3,)
    assert plan.counts()[RowStatus.NEW] == 30 and not plan.rejected
    assert batch is not None and batch.new == 30
    pupil = store.repos.pupils.by_iin(rows[0][2])
    assert (pupil.surname, pupil.given_name, pupil.grade, pupil.class_letter) == (
        "Әбілқайыров", "Ұлықбек", 7, "А")
    assert pupil.birth_date.strftime("%d.%m.%Y") == rows[0][3]
    assert pupil.sex == Sex.MALE  # from the IIN: the list has no column for it
    assert [c.category.value for c in store.repos.categories.for_parent(pupil.id)] == [
        "large_family"]
    assert [(a.kind.value, a.field) for a in store.repos.giftedness.for_parent(pupil.id)] == [
        ("intellectual", "Математика")]
    before = _changes(store)
    again, second = _import(store, path, school_id=school.id)
    assert again.summary() == "0 new, 0 changed, 30 unchanged, 0 rejected"
    assert second is None and _changes(store) == before


def test_only_the_fields_that_differ_are_written_and_the_pupil_is_found_by_iin(store, school,
                                                                               tmp_path):
    known = add_pupil(store, school, "Әбілқайыров", "Ұлықбек", grade=6, serial=7,
                      class_letter="Б", phone="+7 701 000 00 00")
    path = write_xlsx(tmp_path / "list.xlsx", [
        [1, "Әбілқайыров Ұлықбек", known.iin, "15.03.2012", "7А", "", ""]], title_rows=False)
    before = _changes(store)
    plan, batch = _import(store, path, school_id=school.id)
    row = plan.rows[0]
    assert row.status == RowStatus.CHANGED
    assert {(c.field, c.old, c.new) for c in row.changes} == {
        ("Grade", "6", "7"), ("Class letter", "Б", "А"),
        ("Date of birth", "—", "15.03.2012")}
    assert _changes(store) == before + 1  # one version with the three fields
    reloaded = store.repos.pupils.get(known.id)
    assert (reloaded.grade, reloaded.class_letter, reloaded.phone) == (7, "А",
                                                                      "+7 701 000 00 00")
    assert batch.changed == 1


def test_a_pupil_registered_with_another_iin_is_found_by_name_and_birth_date(store, school,
                                                                            tmp_path):
    from datetime import date

    known = add_pupil(store, school, "Сейітова", "Айгүл", serial=3,
                      birth_date=date(2012, 3, 15), sex=Sex.FEMALE)
    right_iin = make_iin("120315", 6, 500)
    path = write_xlsx(tmp_path / "list.xlsx", [
        [1, "СЕЙІТОВА АЙГҮЛ", right_iin, "15.03.2012", "7А", "", ""]], title_rows=False)
    plan, _batch = _import(store, path, school_id=school.id)
    assert plan.rows[0].status == RowStatus.CHANGED
    assert ("IIN", known.iin, right_iin) in {(c.field, c.old, c.new) for c in plan.rows[0].changes}
    assert store.repos.pupils.get(known.id).iin == right_iin


def test_two_registered_pupils_that_match_are_never_guessed_between(store, school, tmp_path):
    from datetime import date

    for serial in (1, 2):
        add_pupil(store, school, "Ахметов", "Ерқанат", serial=serial,
                  birth_date=date(2012, 3, 16))
    path = write_xlsx(tmp_path / "list.xlsx", [
        [1, "Ахметов Ерқанат", make_iin("120316", 5, 900), "16.03.2012", "7А", "", ""]],
        title_rows=False)
    plan, batch = _import(store, path, school_id=school.id)
    assert plan.rows[0].status == RowStatus.REJECTED
    assert "Several registered pupils (2)" in plan.rows[0].reason()
    assert batch is None


def test_two_pupils_with_one_iin_in_the_file_are_both_rejected(store, school, tmp_path):
    iin = make_iin("120315", 5, 42)
    path = write_xlsx(tmp_path / "list.xlsx", [
        [1, "Әбілқайыров Ұлықбек", iin, "15.03.2012", "7А", "", ""],
        [2, "Қасымов Дәулет", iin, "15.03.2012", "7А", "", ""],
        [3, "Нұрланова Әсел", make_iin("120315", 6, 43), "15.03.2012", "7А", "", ""],
        [4, "Нұрланова Әсел", make_iin("120315", 6, 43), "15.03.2012", "7А", "", ""],
    ])
    plan, _batch = _import(store, path, school_id=school.id)
    statuses = [(r.number, r.status) for r in plan.rows]
    assert statuses == [(5, RowStatus.REJECTED), (6, RowStatus.REJECTED), (7, RowStatus.NEW),
                        (8, RowStatus.REJECTED)]
    assert "also given to Қасымов Дәулет in row 6" in plan.rows[0].reason()
    assert "same pupil as in row 7" in plan.rows[3].reason()
    assert store.repos.pupils.count() == 1


def test_an_iin_that_disagrees_with_the_birth_date_is_imported_with_a_warning(store, school,
                                                                              tmp_path):
    iin = make_iin("120315", 5, 1)
    path = write_xlsx(tmp_path / "list.xlsx", [
        [1, "Әбілқайыров Ұлықбек", iin, "16.03.2012", "7А", "", ""]], title_rows=False)
    plan, batch = _import(store, path, school_id=school.id)
    row = plan.rows[0]
    assert row.status == RowStatus.NEW and batch is not None
    assert "15.03.2012" in row.notes() and "16.03.2012" in row.notes()


def test_bad_rows_are_rejected_with_their_column_and_written_to_a_file_in_kazakh(
        store, school, tmp_path):
    set_language("kk")
    rows = [
        [1, "Әбілқайыров Ұлықбек", make_iin("120315", 5, 1), "15.03.2012", "7А", "", ""],
        [2, "Қасымов Дәулет", "120315500019", "15.03.2012", "7А", "", ""],  # check digit
        [3, "Нұрланова Әсел", make_iin("120315", 6, 3), "31.02.2012", "7А", "", ""],
        [4, "Сейітова", make_iin("120315", 6, 4), "15.03.2012", "14", "", ""],
        [5, "Ким Виктор", make_iin("120315", 5, 5), "15.03.2012", "7А", "бай", ""],
    ]
    path = write_xlsx(tmp_path / "7А.xlsx", rows)
    plan, _batch = _import(store, path, school_id=school.id)
    rejected = {r.number: r.reason() for r in plan.rejected}
    assert set(rejected) == {6, 7, 8, 9}
    assert rejected[6].startswith("ЖСН:") and "бақылау" in rejected[6]
    assert rejected[7].startswith("Туған күні:") and "31.02.2012" in rejected[7]
    assert "Аты-жөні:" in rejected[8] and "Сынып:" in rejected[8]
    assert rejected[9].startswith("Санаты:")
    out = write_rejected(plan, rejected_path(path))
    assert out.name == "7А.xlsx.rejected.xlsx"
    sheet = openpyxl.load_workbook(out).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = values[3]
    assert header[:len(HEADER_KK)] == list(HEADER_KK)
    assert header[-2:] == ["Себебі", "Файлдағы жол"]
    assert [v[1] for v in values[4:8]] == [r[1] for r in rows[1:]]
    assert values[4][-2] == rejected[6] and values[4][-1] == 6
    # The rejected file reads back as a class list (its extra columns are left out).
    again = plan_import(store, ImportRequest(out, ImportKind.PUPILS, school_id=school.id))
    assert len(again.rows) == 4


def test_schools_named_in_the_list_are_found_or_created_when_confirmed(store, school,
                                                                     tmp_path):
    rows = [[1, "Әбілқайыров Ұлықбек", make_iin("120315", 5, 1), "15.03.2012", "7А",
             "Қарабұлақ орта мектебі"],
            [2, "Қасымов Дәулет", make_iin("120315", 5, 2), "15.03.2012", "7А",
             "Бестамақ орта мектебі"]]
    header = ("№", "Аты-жөні", "ЖСН", "Туған күні", "Сынып", "Мектеп")
    path = write_xlsx(tmp_path / "list.xlsx", rows, header=header)
    plan, _ = _import(store, path, school_id=None)
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.REJECTED]
    assert "Бестамақ орта мектебі" in plan.rows[1].reason()
    undo_import(store, recent_batches(store, 1)[0].id)
    plan, batch = _import(store, path, create_schools=True)
    assert plan.new_schools == ["Бестамақ орта мектебі"]
    created = [s for s in store.repos.schools.all() if s.name == "Бестамақ орта мектебі"]
    assert created[0].settlement_kato == "153235100"  # the village Бестамақ of Алға district
    # The pupil of the undone import comes back to the registry; the other one is new.
    assert (batch.new, batch.changed) == (1, 1)
    assert store.db.execute("SELECT count(*) FROM pupils WHERE status = 'active'").fetchone()[0] \
        == 2


def test_undo_restores_exactly_and_travels_as_changes(store, school, tmp_path):
    known = add_pupil(store, school, "Ахметов", "Ерқанат", grade=6, serial=9)
    with store.transaction() as w:
        w.insert("pupil_categories", {"pupil_id": known.id, "category": "orphan"})
    rows = [[1, "Ахметов Ерқанат", known.iin, "15.03.2012", "7А", "көп балалы", "Шахмат"],
            *pupil_rows(5, start=100)]
    path = write_xlsx(tmp_path / "list.xlsx", rows)
    before = _snapshot(store)
    changes_before = _changes(store)
    _plan, batch = _import(store, path, school_id=school.id)
    assert batch.new == 5 and batch.changed == 1
    result = undo_import(store, batch.id)
    assert result.kept == 0 and result.restored >= 2
    after = _snapshot(store)
    new_ids = set(after["pupils"]) - set(before["pupils"])
    assert len(new_ids) == 5
    status_at = SYNCED_COLUMNS["pupils"].index("status")
    for pid in new_ids:
        assert after["pupils"][pid][status_at] == PupilStatus.ARCHIVED.value
        assert store.repos.pupils.get(pid).archive_reason == "Import undone"
    assert {k: v for k, v in after["pupils"].items() if k not in new_ids} == before["pupils"]
    assert [c for c in after["categories"] if c[0] not in new_ids] == before["categories"]
    assert [a for a in after["areas"] if a[0] not in new_ids] == before["areas"]
    # The undo is ordinary changes of the change log (so it syncs), newer than the import.
    assert _changes(store) > changes_before + 1
    with pytest.raises(AlreadyUndone):
        undo_import(store, batch.id)


def test_undo_keeps_a_field_changed_again_after_the_import(store, school, tmp_path):
    known = add_pupil(store, school, "Ахметов", "Ерқанат", grade=6, serial=9)
    path = write_xlsx(tmp_path / "list.xlsx", [
        [1, "Ахметов Ерқанат", known.iin, "15.03.2012", "7А", "", ""]])
    _plan, batch = _import(store, path, school_id=school.id)
    store.repos.pupils.update(known.id, grade=8)
    result = undo_import(store, batch.id)
    pupil = store.repos.pupils.get(known.id)
    assert (pupil.grade, pupil.class_letter, pupil.birth_date) == (8, None, None)
    assert result.kept == 1 and result.restored == 2


def test_cancel_leaves_nothing_written(store, school, tmp_path):
    path = write_xlsx(tmp_path / "list.xlsx", list(pupil_rows(1200)))
    plan = plan_import(store, ImportRequest(path, ImportKind.PUPILS, school_id=school.id))
    before = _changes(store)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        run_import(store, plan, cancel=token)
    assert store.repos.pupils.count() == 0 and _changes(store) == before
    assert recent_batches(store) == []


def test_a_pupil_added_in_the_editor_with_other_records_is_left_alone(store, school, tmp_path):
    known = add_pupil(store, school, "Ахметов", "Ерқанат", grade=7, serial=9)
    store.repos.guardians.add(e.Guardian(pupil_id=known.id, full_name="Ахметова Гүлнар"))
    path = write_xlsx(tmp_path / "list.xlsx", [
        [1, "Ахметов Ерқанат", known.iin, "", "7", "", ""]], title_rows=False)
    plan, batch = _import(store, path, school_id=school.id)
    assert plan.rows[0].status == RowStatus.UNCHANGED and batch is None


@pytest.mark.slow
def test_a_list_of_50000_pupils(store, school, tmp_path):
    path = write_big_xlsx(tmp_path / "big.xlsx", 50_000)
    plan, batch = _import(store, path, school_id=school.id)
    counts = plan.counts()
    assert counts[RowStatus.NEW] + counts[RowStatus.REJECTED] == 50_000
    assert counts[RowStatus.REJECTED] < 50
    assert store.repos.pupils.count() == counts[RowStatus.NEW] == batch.new


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_registry_saved_as_excel_reads_back_with_nothing_to_change(store, school, tmp_path,
                                                                        lang):
    from daryn_desktop.reports.tables_xlsx import save_registry
    from daryn_desktop.storage.search import PupilQuery

    set_language(lang)
    _import(store, write_xlsx(tmp_path / "7А.xlsx", list(pupil_rows(20))), school_id=school.id)
    out = tmp_path / "registry.xlsx"
    assert save_registry(store, PupilQuery(), out) == 20
    plan = plan_import(store, ImportRequest(out, ImportKind.PUPILS))
    assert plan.counts()[RowStatus.UNCHANGED] == 20, [r.reason() for r in plan.rows]
    assert {"full_name", "iin", "school", "grade", "categories", "areas"} <= set(
        plan.layout.mapping.values())
