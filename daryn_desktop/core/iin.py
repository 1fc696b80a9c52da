"""The individual identification number (IIN, ЖСН/ИИН): check digit, decoding and validation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import Sex
from daryn_desktop.core.findings import Finding, error, warning
from daryn_desktop.i18n import N_

IIN_LENGTH = 12
FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
#: The 7th digit: the first year of the hundred the birth year falls in, and the sex.
CENTURY_DIGITS: dict[int, tuple[int, Sex]] = {
    1: (1800, Sex.MALE),
    2: (1800, Sex.FEMALE),
    3: (1900, Sex.MALE),
    4: (1900, Sex.FEMALE),
    5: (2000, Sex.MALE),
    6: (2000, Sex.FEMALE),
}

FIELD = "iin"

MSG_LENGTH = N_("The IIN must have 12 digits.")
MSG_CHECK_DIGIT = N_("The IIN's check digit is wrong: check the number.")
MSG_NO_CHECK_DIGIT = N_("No IIN can begin with these 11 digits: check the number.")
MSG_CENTURY_DIGIT = N_("The 7th digit of the IIN must be from 1 to 6: check the number.")
MSG_DATE_DIFFERS = N_(
    "The IIN encodes the date of birth {iin_date}, but {entered_date} was entered. "
    "IINs issued since 2013 need not match the birth data, so this can be right: check both."
)
MSG_SEX_MALE_ENTERED_FEMALE = N_(
    "The IIN's 7th digit means male, but female was entered. "
    "IINs issued since 2013 need not match the birth data, so this can be right: check both."
)
MSG_SEX_FEMALE_ENTERED_MALE = N_(
    "The IIN's 7th digit means female, but male was entered. "
    "IINs issued since 2013 need not match the birth data, so this can be right: check both."
)
MSG_DATE_IMPOSSIBLE = N_("The first six digits of the IIN are not a date of birth.")

# ASCII only: str.isdigit() and "\d" would let Arabic-Indic or full-width digits through.
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")
_ELEVEN_DIGITS = re.compile(r"[0-9]{11}")
# What people paste from Word, Excel or a PDF between the digit groups: spaces of every kind
# (including no-break and zero-width ones, and the BOM Excel puts at the start of a CSV) and
# every sort of dash.
_SEPARATORS = re.compile(
    r"[\s\u00a0\u2007\u202f\u200b\ufeff\-\u2010\u2011\u2012\u2013\u2014\u2212]"
)


@dataclass(frozen=True)
class IinInfo:
    """What the first seven digits of an IIN say; ``None`` where they say nothing sensible."""

    birth_date: date | None
    sex: Sex | None
    #: The first year of the hundred the birth year falls in: 1800, 1900 or 2000.
    century: int | None


def normalize_iin(text: str) -> str:
    """``text`` without the spaces and dashes people type or paste between digit groups."""
    return _SEPARATORS.sub("", text)


def check_digit_and_pass(first11: str) -> tuple[int | None, int]:
    """The check digit for ``first11`` and the pass (1 or 2) that produced it.

    The digit is ``None`` when the second pass also gives 10: no IIN is issued then.
    """
    if not _ELEVEN_DIGITS.fullmatch(first11):
        raise ValueError(f"expected 11 ASCII digits, got {first11!r}")
    digits = [int(c) for c in first11]
    first = sum(d * w for d, w in zip(digits, FIRST_WEIGHTS, strict=True)) % 11
    if first != 10:
        return first, 1
    second = sum(d * w for d, w in zip(digits, SECOND_WEIGHTS, strict=True)) % 11
    return (None if second == 10 else second), 2


def check_digit(first11: str) -> int | None:
    """The 12th digit of an IIN beginning with ``first11``, or ``None`` if none is issued."""
    return check_digit_and_pass(first11)[0]


def parse_iin(iin: str) -> IinInfo:
    """Decode the birth date and sex (YYMMDD and the 7th digit); the check digit is not checked.

    Raises ``ValueError`` unless ``iin`` is 12 ASCII digits (normalise it first).
    """
    if not _TWELVE_DIGITS.fullmatch(iin):
        raise ValueError(f"expected 12 ASCII digits, got {iin!r}")
    decoded = CENTURY_DIGITS.get(int(iin[6]))
    if decoded is None:
        return IinInfo(birth_date=None, sex=None, century=None)
    century, sex = decoded
    try:
        birth_date: date | None = date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        birth_date = None  # e.g. 310299: 31 February
    return IinInfo(birth_date=birth_date, sex=sex, century=century)


def _structural_errors(iin: str) -> list[Finding]:
    """Errors that make ``iin`` a wrong number, whatever else was entered."""
    if not _TWELVE_DIGITS.fullmatch(iin):
        return [error(FIELD, MSG_LENGTH)]
    found: list[Finding] = []
    expected = check_digit(iin[:11])
    if expected is None:
        found.append(error(FIELD, MSG_NO_CHECK_DIGIT))
    elif expected != int(iin[11]):
        found.append(error(FIELD, MSG_CHECK_DIGIT))
    if int(iin[6]) not in CENTURY_DIGITS:
        found.append(error(FIELD, MSG_CENTURY_DIGIT))
    return found


def validate_iin(
    iin: str, *, birth_date: date | None = None, sex: Sex | None = None
) -> list[Finding]:
    """Errors for a number that cannot be an IIN; warnings where it disagrees with the person.

    ``iin`` is validated as given, so normalise it with :func:`normalize_iin` before both
    validating and storing it. An empty ``iin`` gives no finding: whether the IIN is required
    is the caller's rule. Since 2013 an IIN need not encode its holder's birth date or sex,
    so a disagreement with ``birth_date`` or ``sex`` is only a warning.
    """
    if iin == "":
        return []
    found = _structural_errors(iin)
    if found:
        # The date and sex read from a mistyped number mean nothing: the error says it all.
        return found
    info = parse_iin(iin)
    if info.birth_date is None:
        found.append(warning(FIELD, MSG_DATE_IMPOSSIBLE))
    elif birth_date is not None and info.birth_date != birth_date:
        found.append(
            warning(
                FIELD,
                MSG_DATE_DIFFERS,
                iin_date=format_date(info.birth_date),
                entered_date=format_date(birth_date),
            )
        )
    if sex is not None and info.sex is not None and info.sex != sex:
        message = (
            MSG_SEX_MALE_ENTERED_FEMALE if info.sex == Sex.MALE else MSG_SEX_FEMALE_ENTERED_MALE
        )
        found.append(warning(FIELD, message))
    return found


def suggested_birth_date_and_sex(iin: str) -> tuple[date | None, Sex | None]:
    """The birth date and sex to pre-fill once a valid IIN is typed; ``(None, None)`` otherwise.

    Only a number without errors is decoded, so a half-typed or mistyped IIN suggests nothing.
    """
    if iin == "" or _structural_errors(iin):
        return None, None
    info = parse_iin(iin)
    return info.birth_date, info.sex
