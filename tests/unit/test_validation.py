"""Validation of a pupil's record: required fields, IIN, dates, consent."""

from __future__ import annotations

from datetime import date

from daryn_desktop.core.entities import Pupil
from daryn_desktop.core.enums import Sex
from daryn_desktop.core.findings import errors, warnings
from daryn_desktop.core.validation import validate_pupil
from daryn_desktop.i18n import set_language

TODAY = date(2026, 11, 22)


def _pupil(**overrides) -> Pupil:
    values = dict(surname="Сейітова", given_name="Айгерім", iin="120315601232", school_id="s",
                  grade=8, birth_date=date(2012, 3, 15), sex=Sex.FEMALE, consent_given=True,
                  consent_date=date(2026, 9, 1))
    values.update(overrides)
    return Pupil(**values)


def test_a_complete_record_has_no_findings():
    assert validate_pupil(_pupil(), today=TODAY) == []


def test_required_fields_are_errors_on_their_fields():
    found = validate_pupil(_pupil(surname=" ", given_name="", iin="", school_id="", grade=None),
                           today=TODAY)
    assert {f.field for f in errors(found)} == {"surname", "given_name", "iin", "school_id",
                                                "grade"}


def test_invalid_iin_is_an_error_and_a_disagreeing_birth_date_a_warning():
    assert [f.field for f in errors(validate_pupil(_pupil(iin="120315601236"), today=TODAY))] \
        == ["iin"]
    found = validate_pupil(_pupil(birth_date=date(2012, 3, 16)), today=TODAY)
    assert errors(found) == []
    assert [f.field for f in warnings(found)] == ["iin"]


def test_consent_needs_its_date_and_missing_consent_is_a_warning():
    assert [f.field for f in errors(validate_pupil(_pupil(consent_date=None), today=TODAY))] \
        == ["consent_date"]
    found = validate_pupil(_pupil(consent_given=False, consent_date=None), today=TODAY)
    assert errors(found) == [] and [f.field for f in warnings(found)] == ["consent_given"]


def test_grade_and_age_limits():
    assert [f.field for f in errors(validate_pupil(_pupil(grade=13), today=TODAY))] == ["grade"]
    found = validate_pupil(_pupil(birth_date=date(1990, 1, 1), iin="900101300007"), today=TODAY)
    assert "birth_date" in {f.field for f in warnings(found)}


def test_messages_are_translated_into_kazakh_and_russian():
    finding = errors(validate_pupil(_pupil(surname=""), today=TODAY))[0]
    set_language("kk")
    kk = finding.text
    set_language("ru")
    ru = finding.text
    set_language("en")
    assert finding.text == "This field is required."
    assert kk != finding.text and ru != finding.text and kk != ru
