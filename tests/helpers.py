"""Small builders of records for tests."""

from __future__ import annotations

from daryn_desktop.core import entities as e
from daryn_desktop.core.iin import check_digit

ALGA = "153200000"


def make_iin(birth: str = "120315", century_sex: int = 6, serial: int = 123) -> str:
    """A valid IIN with the given YYMMDD, 7th digit and serial (skips impossible serials)."""
    while True:
        first = f"{birth}{century_sex}{serial:04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
        serial += 1


def add_school(store, name="Абай атындағы орта мектеп", settlement="153239100"):
    return store.repos.schools.add(e.School(name=name, settlement_kato=settlement,
                                            district_kato=ALGA))


def add_pupil(store, school, surname, given, *, patronymic=None, serial=1, grade=7, **extra):
    pupil = e.Pupil(surname=surname, given_name=given, patronymic=patronymic,
                    iin=make_iin(serial=serial), school_id=school.id, grade=grade, **extra)
    return store.repos.pupils.add(pupil)
