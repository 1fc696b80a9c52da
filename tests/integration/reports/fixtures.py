"""Shared builders for road-map tests: a school with staff and a gifted pupil."""

from __future__ import annotations

from datetime import date

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import (
    DiagnosticMethod,
    FamilyCategory,
    GiftednessKind,
    GuardianRelation,
    Language,
    Sex,
    StaffRole,
    SupportMeasure,
)
from tests.helpers import add_pupil, add_school

YEAR = "2025-2026"


def add_staff(store, surname, given, role, school=None, patronymic=None):
    return store.repos.staff.add(e.Staff(surname=surname, given_name=given, role=role,
                                         patronymic=patronymic,
                                         school_id=school.id if school else None))


def gifted_pupil(store, *, surname="Әбілқайыров", given="Ұлықбек", language=Language.KAZAKH,
                 serial=1, school=None, kind=GiftednessKind.INTELLECTUAL, field="математика"):
    """A pupil with a school, staff, an area, a diagnostic, a category and a guardian."""
    if school is None:
        school = add_school(store)
        add_staff(store, "Сейітова", "Айгүл", StaffRole.MENTOR, school, "Бекқызы")
        add_staff(store, "Нұрланова", "Гүлнар", StaffRole.PSYCHOLOGIST, school)
        add_staff(store, "Жұмабаев", "Қайрат", StaffRole.SCHOOL_HEAD, school, "Өмірұлы")
        add_staff(store, "Оспанов", "Ерлан", StaffRole.COORDINATOR)
    pupil = add_pupil(store, school, surname, given, patronymic="Серікұлы", serial=serial,
                      language=language, birth_date=date(2012, 3, 15), sex=Sex.MALE,
                      settlement_kato="153239100")
    r = store.repos
    r.giftedness.add(e.GiftednessArea(pupil_id=pupil.id, kind=kind, field=field))
    r.diagnostics.add(e.Diagnostic(pupil_id=pupil.id, method=DiagnosticMethod.OLYMPIAD_RESULT,
                                   date=date(2025, 4, 10), result="Аудандық олимпиада, II орын",
                                   conducted_by="Сейітова А.Б."))
    r.categories.add(e.CategoryRecord(pupil_id=pupil.id, category=FamilyCategory.LARGE_FAMILY,
                                      since=date(2024, 1, 1)))
    r.guardians.add(e.Guardian(pupil_id=pupil.id, full_name="Әбілқайырова Сәуле",
                               relation=GuardianRelation.MOTHER, phone="+7 701 123 45 67"))
    return school, pupil


def mentor_of(store, school):
    return next(s for s in store.repos.staff.all(role="mentor") if s.school_id == school.id)


def activity(road_map_id, title, **kw):
    values = {"road_map_id": road_map_id, "measure": SupportMeasure.OLYMPIAD_PREPARATION,
              "title": title, "responsible": "Сейітова А.Б.", "due_quarter": 2}
    values.update(kw)
    return e.Activity(**values)
