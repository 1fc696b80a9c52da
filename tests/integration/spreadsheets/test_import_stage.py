"""A stage's protocol against what the stage holds: entries found by pupil and subject,
places that follow or leave a chosen award, teachers of the pupil's school or the education
department, and the changes a second protocol makes."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from daryn_desktop.core import entities as e
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import Award, EventKind, EventLevel, StaffRole
from daryn_desktop.core.events import EventStage, ResultLine
from daryn_desktop.core.imports.fields import ImportKind
from daryn_desktop.core.imports.layout import MissingField
from daryn_desktop.core.imports.plan import RowStatus
from daryn_desktop.spreadsheets.importer import ImportRequest, plan_import, run_import
from daryn_desktop.storage.events import Events
from daryn_desktop.storage.imports import undo_import
from tests.helpers import add_pupil, add_school
from tests.spreadsheet_files import write_rows

YEAR = AcademicYear.containing(date.today()).label


_sheet = write_rows


@pytest.fixture
def stage(store):
    """A district olympiad in one subject (grades 7–9) with a single stage."""
    events = Events(store)
    event = events.save_event(
        e.Event(name="Аудандық математика олимпиадасы", kind=EventKind.SUBJECT_OLYMPIAD,
                level=EventLevel.DISTRICT, academic_year=YEAR, subject="Математика",
                grade_from=7, grade_to=9),
        [EventStage("", EventLevel.DISTRICT)])
    return events, events.stages(event.id)[0]


def _plan(store, path, stage_id, **options):
    return plan_import(store, ImportRequest(path, ImportKind.RESULTS, stage_id=stage_id,
                                            **options))


def test_entries_by_pupil_and_subject_and_places_against_chosen_awards(store, stage, tmp_path):
    events, st = stage
    school = add_school(store, "Қарабұлақ орта мектебі")
    a, b, c, d = (add_pupil(store, school, "Оқушы", n, serial=i, grade=8)
                  for i, n in enumerate(("Әсел", "Бекзат", "Ғалия", "Дәулет"), start=1))
    young = add_pupil(store, school, "Кіші", "Бала", serial=9, grade=5)
    department = store.repos.staff.add(e.Staff(surname="Әдіскер", given_name="Нұрлан",
                                               role=StaffRole.COORDINATOR))
    for given in ("Айгүл", "Айжан"):
        store.repos.staff.add(e.Staff(surname="Сейітова", given_name=given,
                                      role=StaffRole.TEACHER, school_id=school.id))
    events.save_results(st.id, [
        ResultLine(pupil_id=a.id, subject=None),
        ResultLine(pupil_id=b.id, subject="Математика", award=Award.PLACE_1, place=1),
        ResultLine(pupil_id=c.id, subject="Математика", award=Award.DIPLOMA_1),
        ResultLine(pupil_id=d.id, subject="Математика"),
        ResultLine(pupil_id=d.id, subject="Физика")])
    path = _sheet(tmp_path / "p.xlsx", [
        ["ЖСН", "Пән", "Балл", "Орны", "Жетекшісі"],
        [a.iin, "Математика", 40, 1, "Әдіскер Н."],     # fills the entry without a subject
        [a.iin, "Физика", 30, 3, "Сейітова А."],        # a second entry; two teachers А.
        [b.iin, "", 35, 2, ""],                          # the only entry; 1st place → 2nd
        [c.iin, "", 44, 2, ""],                          # a diploma chosen stays
        [d.iin, "", 20, "", ""],                         # two entries: which one?
        [young.iin, "", 15, "", ""],                     # not of the event's grades
    ])
    plan = _plan(store, path, st.id)
    status = [r.status for r in plan.rows]
    assert status == [RowStatus.NEW, RowStatus.NEW, RowStatus.CHANGED, RowStatus.CHANGED,
                      RowStatus.REJECTED, RowStatus.NEW]
    assert "several subjects (Математика, Физика)" in plan.rows[4].reason()
    assert "2 teachers called “Сейітова А.”" in plan.rows[1].notes()
    assert "grades 7–9" in plan.rows[5].notes() and "grade 5" in plan.rows[5].notes()
    changes = {(c.field, c.old, c.new) for c in plan.rows[2].changes}
    assert changes == {("Award", "1st place", "2nd place"), ("Score", "—", "35"),
                       ("Place", "1", "2")}
    assert {(c.field, c.old, c.new) for c in plan.rows[3].changes} == {
        ("Score", "—", "44"), ("Place", "—", "2")}
    batch = run_import(store, plan)
    rows = {(r.full_name, r.participant.subject): r for r in events.results(st.id)}
    first = rows[("Оқушы Әсел", "Математика")]
    assert (first.award, first.participant.teacher_id) == (Award.PLACE_1, department.id)
    assert rows[("Оқушы Әсел", "Физика")].award == Award.PLACE_3
    assert rows[("Оқушы Бекзат", "Математика")].award == Award.PLACE_2
    assert (rows[("Оқушы Ғалия", "Математика")].award,
            rows[("Оқушы Ғалия", "Математика")].place) == (Award.DIPLOMA_1, 2)
    assert rows[("Кіші Бала", "Математика")].award == Award.PARTICIPANT  # the event's subject
    assert len(rows) == 7

    undo_import(store, batch.id)
    rows = {(r.full_name, r.participant.subject): r for r in events.results(st.id)}
    assert rows[("Оқушы Бекзат", "Математика")].award == Award.PLACE_1
    assert rows[("Оқушы Бекзат", "Математика")].score is None
    assert rows[("Оқушы Ғалия", "Математика")].place is None
    assert rows[("Оқушы Әсел", None)].award is None
    assert rows[("Оқушы Әсел", "Физика")].participant.withdrawn


def test_a_pupil_found_by_name_and_birth_date_and_the_grid_export_reads_back(store, stage,
                                                                           tmp_path):
    events, st = stage
    school = add_school(store, "Қарабұлақ орта мектебі")
    pupil = add_pupil(store, school, "Сейітова", "Айгүл", serial=3, grade=9,
                      birth_date=date(2011, 4, 2))
    path = _sheet(tmp_path / "p.csv.xlsx", [
        ["Аты-жөні", "Туған күні", "Балл", "Марапаты"],
        ["СЕЙІТОВА АЙГҮЛ", "02.04.2011", "55", "Гран при"]])
    plan = _plan(store, path, st.id)
    assert plan.rows[0].status == RowStatus.NEW
    run_import(store, plan)
    (row,) = events.results(st.id)
    assert (row.pupil_id, row.award, row.score, row.place) == (pupil.id, Award.GRAND_PRIX,
                                                              55, None)
    # The grid's own "Save as Excel" (headers in the interface language) reads back.
    grid = _sheet(tmp_path / "grid.xlsx", [
        ["Pupil", "Grade", "School", "Subject", "Preparing teacher", "Score", "Place", "Award",
         "Did not take part"],
        [row.full_name, "9", row.school_name, "Математика", "", 55, None, "Grand Prix", ""]])
    again = _plan(store, grid, st.id)
    assert again.counts()[RowStatus.UNCHANGED] == 1, again.rows[0].reason()


def test_a_score_without_a_pupil_column_is_refused_with_the_columns_it_needs(store, stage,
                                                                          tmp_path):
    _events, st = stage
    path = _sheet(tmp_path / "p.xlsx", [["Пән", "Балл"], ["Математика", 3]])
    with pytest.raises(MissingField) as caught:
        _plan(store, path, st.id)
    assert caught.value.translated().startswith("No column holds the Full name / Surname / IIN")


def test_a_result_line_stays_the_grids(store, stage):
    """The stage's save plans its writes first: the grid's save of a line is unchanged."""
    events, st = stage
    school = add_school(store)
    pupil = add_pupil(store, school, "Оқушы", "Әсел", serial=1, grade=8)
    events.save_results(st.id, [ResultLine(pupil_id=pupil.id, subject="Математика",
                                           award=Award.PLACE_2, place=2, score=17)])
    (row,) = events.results(st.id)
    planned = events.planned_results(st.id, [row.line()])
    assert planned[0].writes == []
    planned = events.planned_results(st.id, [dataclasses.replace(row.line(), score=18)])
    (write,) = planned[0].writes
    assert (write.table, write.fields) == ("achievements", {"score": (17, 18)})
