"""IIN check digit, decoding and validation; also the Finding helpers the validation returns."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from daryn_desktop.core import iin as iin_module
from daryn_desktop.core.enums import Sex
from daryn_desktop.core.findings import Finding, Severity, errors, has_errors, warnings
from daryn_desktop.core.iin import (
    FIRST_WEIGHTS,
    IinInfo,
    check_digit,
    check_digit_and_pass,
    normalize_iin,
    parse_iin,
    suggested_birth_date_and_sex,
    validate_iin,
)

# The synthetic values of the IIN reference notes (shared/reference/README.md).
VALID_FIRST_PASS = "120315601232"
VALID = "140901504567"
VALID_SECOND_PASS = "130407500211"
WRONG_CHECK_DIGIT = "120315601236"

# Don't write a .hypothesis folder into the source tree.
_SETTINGS = settings(database=None, max_examples=400)


def messages(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings]


def with_check_digit(first6: str, seventh: str) -> str:
    """A valid IIN from a birth part and 7th digit, trying serials until a check digit exists."""
    for serial in range(10_000):
        first11 = f"{first6}{seventh}{serial:04d}"
        digit = check_digit(first11)
        if digit is not None:
            return first11 + str(digit)
    raise AssertionError("no serial gives a check digit")  # pragma: no cover


def passes_check(iin: str) -> bool:
    return check_digit(iin[:11]) == int(iin[11])


# --- the reference values -------------------------------------------------------------------


@pytest.mark.parametrize("value", [VALID_FIRST_PASS, VALID, VALID_SECOND_PASS])
def test_reference_values_are_valid(value: str) -> None:
    assert check_digit(value[:11]) == int(value[11])
    assert validate_iin(value) == []


def test_first_pass_decides_for_120315601232() -> None:
    assert check_digit_and_pass(VALID_FIRST_PASS[:11]) == (2, 1)


def test_130407500211_is_validated_by_the_second_weights() -> None:
    digits = [int(c) for c in VALID_SECOND_PASS[:11]]
    # Worked out independently of the module: the first pass gives 10, so it cannot decide.
    assert sum(d * w for d, w in zip(digits, FIRST_WEIGHTS, strict=True)) % 11 == 10
    assert check_digit_and_pass(VALID_SECOND_PASS[:11]) == (1, 2)


def test_wrong_check_digit_is_an_error() -> None:
    findings = validate_iin(WRONG_CHECK_DIGIT)
    assert messages(findings) == [iin_module.MSG_CHECK_DIGIT]
    assert all(f.severity == Severity.ERROR and f.field == "iin" for f in findings)


def test_impossible_check_digit_is_an_error() -> None:
    # Find 11 digits whose second pass also gives 10: no IIN is issued with them.
    first11 = next(
        f"{n:06d}50000" for n in range(1_000_000) if check_digit(f"{n:06d}50000") is None
    )
    assert check_digit_and_pass(first11) == (None, 2)
    for last in "0123456789":
        assert iin_module.MSG_NO_CHECK_DIGIT in messages(validate_iin(first11 + last))


# --- form ------------------------------------------------------------------------------------


def test_empty_is_not_an_error_here() -> None:
    assert validate_iin("") == []
    assert suggested_birth_date_and_sex("") == (None, None)


@pytest.mark.parametrize(
    "value",
    [
        "12031560123",  # 11 digits
        "1203156012320",  # 13 digits
        "12031560123A",
        "1203156O1232",  # a letter O for a zero
        "1203 1560 1232",  # not normalised
        "١٢٠٣١٥٦٠١٢٣٢",  # Arabic-Indic digits: str.isdigit() would accept them
        "１２０３１５６０１２３２",  # full-width digits
    ],
)
def test_not_twelve_digits_is_an_error(value: str) -> None:
    findings = validate_iin(value)
    assert messages(findings) == [iin_module.MSG_LENGTH]
    assert has_errors(findings)
    assert suggested_birth_date_and_sex(value) == (None, None)


@pytest.mark.parametrize(
    "text",
    [
        "1203 1560 1232",
        " 120315601232 ",
        "120315\u00a0601232",  # no-break space, as Word and Excel paste it
        "120315\u202f601232",  # narrow no-break space
        "120315-601232",
        "120315\u2013601232",  # en dash
        "\ufeff120315\t601232\n",
    ],
)
def test_normalize_iin(text: str) -> None:
    assert normalize_iin(text) == VALID_FIRST_PASS


def test_normalize_keeps_other_characters_for_validation_to_refuse() -> None:
    assert normalize_iin("12031560123A") == "12031560123A"


# --- decoding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seventh", "year", "sex"),
    [
        ("1", 1899, Sex.MALE),
        ("2", 1899, Sex.FEMALE),
        ("3", 1999, Sex.MALE),
        ("4", 1999, Sex.FEMALE),
        ("5", 2099, Sex.MALE),
        ("6", 2099, Sex.FEMALE),
    ],
)
def test_seventh_digit_gives_century_and_sex(seventh: str, year: int, sex: Sex) -> None:
    value = with_check_digit("990315", seventh)
    assert parse_iin(value) == IinInfo(birth_date=date(year, 3, 15), sex=sex, century=year - 99)
    assert validate_iin(value) == []
    assert suggested_birth_date_and_sex(value) == (date(year, 3, 15), sex)


def test_reference_values_decode() -> None:
    assert parse_iin(VALID_FIRST_PASS) == IinInfo(date(2012, 3, 15), Sex.FEMALE, 2000)
    assert parse_iin(VALID) == IinInfo(date(2014, 9, 1), Sex.MALE, 2000)
    assert parse_iin(VALID_SECOND_PASS) == IinInfo(date(2013, 4, 7), Sex.MALE, 2000)


@pytest.mark.parametrize("seventh", ["0", "7", "8", "9"])
def test_bad_seventh_digit(seventh: str) -> None:
    value = with_check_digit("120315", seventh)
    assert parse_iin(value) == IinInfo(birth_date=None, sex=None, century=None)
    assert messages(validate_iin(value)) == [iin_module.MSG_CENTURY_DIGIT]
    assert suggested_birth_date_and_sex(value) == (None, None)


def test_impossible_date_decodes_to_none_and_warns() -> None:
    value = with_check_digit("310299", "4")  # the 99th day of February
    assert parse_iin(value) == IinInfo(birth_date=None, sex=Sex.FEMALE, century=1900)
    findings = validate_iin(value, birth_date=date(1931, 2, 9))
    assert messages(findings) == [iin_module.MSG_DATE_IMPOSSIBLE]
    assert findings[0].severity == Severity.WARNING
    assert suggested_birth_date_and_sex(value) == (None, Sex.FEMALE)


def test_february_29_only_in_leap_years() -> None:
    assert parse_iin(with_check_digit("120229", "5")).birth_date == date(2012, 2, 29)
    assert parse_iin(with_check_digit("130229", "5")).birth_date is None


def test_parse_iin_refuses_malformed_input() -> None:
    with pytest.raises(ValueError):
        parse_iin("12031560123")


def test_check_digit_refuses_malformed_input() -> None:
    with pytest.raises(ValueError):
        check_digit("1203156012")


# --- disagreements with what was entered: warnings, since 2013 -------------------------------


def test_birth_date_disagreement_is_a_warning_not_an_error() -> None:
    findings = validate_iin(VALID_FIRST_PASS, birth_date=date(2012, 3, 16), sex=Sex.FEMALE)
    assert not has_errors(findings)
    [finding] = warnings(findings)
    assert finding.field == "iin"
    assert finding.message == iin_module.MSG_DATE_DIFFERS
    assert finding.params == {"iin_date": "15.03.2012", "entered_date": "16.03.2012"}
    assert "15.03.2012" in finding.text
    assert "16.03.2012" in finding.text
    assert "{" not in finding.text


def test_sex_disagreement_is_a_warning() -> None:
    female_entered = validate_iin(VALID, birth_date=date(2014, 9, 1), sex=Sex.FEMALE)
    assert messages(female_entered) == [iin_module.MSG_SEX_MALE_ENTERED_FEMALE]
    assert warnings(female_entered) == female_entered
    male_entered = validate_iin(VALID_FIRST_PASS, sex=Sex.MALE)
    assert messages(male_entered) == [iin_module.MSG_SEX_FEMALE_ENTERED_MALE]
    assert not has_errors(male_entered)


def test_agreement_gives_nothing() -> None:
    assert validate_iin(VALID, birth_date=date(2014, 9, 1), sex=Sex.MALE) == []


def test_no_warnings_about_a_wrong_number() -> None:
    # A mistyped number decodes to nonsense: only the error is worth showing.
    findings = validate_iin(WRONG_CHECK_DIGIT, birth_date=date(2000, 1, 1), sex=Sex.MALE)
    assert messages(findings) == [iin_module.MSG_CHECK_DIGIT]
    assert suggested_birth_date_and_sex(WRONG_CHECK_DIGIT) == (None, None)


# --- properties ------------------------------------------------------------------------------

_digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
_first11 = st.text(alphabet="0123456789", min_size=11, max_size=11)
# Eleven digits whose 7th digit is a real century-and-sex digit.
_first11_well_formed = st.tuples(
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.sampled_from("123456"),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
).map("".join)


@_SETTINGS
@given(_first11_well_formed)
def test_appending_the_check_digit_validates(first11: str) -> None:
    digit = check_digit(first11)
    assume(digit is not None)
    assert not has_errors(validate_iin(first11 + str(digit)))


@_SETTINGS
@given(_first11, st.integers(min_value=0, max_value=11), _digits)
def test_single_digit_changes(first11: str, position: int, new: str) -> None:
    """What a single changed digit does to a valid IIN.

    "Every single-digit change is caught" does NOT hold for this algorithm, for two reasons:

    * the 11th weight of the first pass is 11 ≡ 0 (mod 11), so whenever the first pass
      decides, the 11th digit (the last serial digit) is not checked at all:
      120315601232 → 120315601202 still passes;
    * a change can move the decision from one pass to the other, and the other pass can
      happen to give the same check digit (about 1 change in 120 at positions 1–10):
      130407500211 (second pass) → 140407500211 (first pass) still passes.

    What does hold, and is asserted: a change of the 12th digit is always caught; a change
    at positions 1–10 is caught whenever the same pass decides before and after (their
    weights are 1–10 in the first pass and 3–11, 1, 2 in the second, all invertible
    mod 11, and a change of at most 9 is never a multiple of 11); and a change of the 11th
    digit is caught whenever the second pass decides (its weight there is 2).
    """
    digit = check_digit(first11)
    assume(digit is not None)
    valid = first11 + str(digit)
    assume(valid[position] != new)
    changed = valid[:position] + new + valid[position + 1 :]
    if not passes_check(changed):
        return
    assert position != 11, "a changed check digit must always be caught"
    pass_before = check_digit_and_pass(valid[:11])[1]
    pass_after = check_digit_and_pass(changed[:11])[1]
    if position == 10:
        assert pass_before == pass_after == 1
    else:
        assert pass_before != pass_after


def test_the_known_blind_spots() -> None:
    # The two ways a single changed digit slips through, documented above.
    assert passes_check("120315601202")
    assert check_digit_and_pass("13040750021")[1] == 2
    assert check_digit_and_pass("14040750021") == (1, 1)
    assert passes_check("140407500211")


@pytest.mark.parametrize("value", [VALID_FIRST_PASS, VALID, VALID_SECOND_PASS])
def test_changing_the_check_digit_is_always_caught(value: str) -> None:
    for new in "0123456789":
        if new != value[11]:
            assert has_errors(validate_iin(value[:11] + new))


# --- findings helpers ------------------------------------------------------------------------


def test_finding_helpers() -> None:
    e = Finding("iin", Severity.ERROR, iin_module.MSG_LENGTH)
    w = Finding("iin", Severity.WARNING, iin_module.MSG_DATE_IMPOSSIBLE)
    assert errors([e, w]) == [e]
    assert warnings([e, w]) == [w]
    assert has_errors([e, w])
    assert not has_errors([w])
    assert e.is_error and not w.is_error
    assert e.params == {}
    assert Severity.ERROR == "error" and Severity.WARNING == "warning"
    # Findings with params can still go into a set.
    assert len({w, Finding("iin", Severity.WARNING, "x {a}", {"a": 1})}) == 2
    assert Finding("f", Severity.WARNING, "x {a}", {"a": 1}).text == "x 1"
