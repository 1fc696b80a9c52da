"""Checks of a pupil's record before it is saved, field by field, with translated messages."""

from __future__ import annotations

from datetime import date

from daryn_desktop.core.academic import validate_grade
from daryn_desktop.core.entities import Pupil
from daryn_desktop.core.findings import Finding, error, warning
from daryn_desktop.core.iin import validate_iin
from daryn_desktop.core.text import clean_text
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_

#: Youngest and oldest plausible ages of a pupil (pre-school class to a late grade 12).
MIN_AGE, MAX_AGE = 4, 21
MAX_NAME_LENGTH = 80
#: An installation's name is printed on key cards and in every peer's lists.
MAX_INSTALLATION_NAME = 200


class InvalidInstallationName(UserError):
    message = N_("The installation's name must have 1 to {max} characters (it has {length}).")
    hint = N_("For example: “Алға аудандық білім бөлімі”.")


def check_installation_name(name: str) -> str:
    """The installation's name as it is kept (NFC, one line, no control characters), or
    the reason it cannot be used: empty, or longer than a card and a list can show."""
    cleaned = clean_text(name or "").strip()
    if not cleaned or len(cleaned) > MAX_INSTALLATION_NAME:
        raise InvalidInstallationName(max=MAX_INSTALLATION_NAME, length=len(cleaned))
    return cleaned


def _age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _name_findings(field: str, value: str | None, *, required: bool) -> list[Finding]:
    # Judged as it will be kept: control and invisible characters removed, NFC (so that a
    # name of zero-width spaces is empty, and "й" typed as и + breve counts once).
    text = clean_text(value or "").strip()
    if not text:
        return [error(field, N_("This field is required."))] if required else []
    if len(text) > MAX_NAME_LENGTH:
        return [error(field, N_("At most {max} characters."), max=MAX_NAME_LENGTH)]
    if any(ch.isdigit() for ch in text):
        return [error(field, N_("A name cannot contain digits."))]
    return []


def validate_pupil(pupil: Pupil, *, today: date | None = None) -> list[Finding]:
    """All findings about ``pupil``; saving is allowed when none is an error."""
    today = today or date.today()
    findings: list[Finding] = []
    findings += _name_findings("surname", pupil.surname, required=True)
    findings += _name_findings("given_name", pupil.given_name, required=True)
    findings += _name_findings("patronymic", pupil.patronymic, required=False)
    if not (pupil.iin or "").strip():
        findings.append(error("iin", N_("This field is required.")))
    else:
        findings += validate_iin(pupil.iin, birth_date=pupil.birth_date, sex=pupil.sex)
    if not pupil.school_id:
        findings.append(error("school_id", N_("Choose the pupil's school.")))
    if pupil.grade is None:
        findings.append(error("grade", N_("This field is required.")))
    else:
        findings += validate_grade(pupil.grade)
    if pupil.birth_date is not None:
        if pupil.birth_date > today:
            findings.append(error("birth_date", N_("The birth date is in the future.")))
        else:
            age = _age_on(pupil.birth_date, today)
            if not MIN_AGE <= age <= MAX_AGE:
                findings.append(warning(
                    "birth_date", N_("Check the birth date: the pupil's age would be {age}."),
                    age=age))
    if pupil.class_letter and len(pupil.class_letter.strip()) > 3:
        findings.append(error("class_letter", N_("At most {max} characters."), max=3))
    if pupil.consent_given and pupil.consent_date is None:
        findings.append(error("consent_date", N_("Enter the date the consent was signed.")))
    if pupil.consent_date is not None and pupil.consent_date > today:
        findings.append(error("consent_date", N_("The date is in the future.")))
    if not pupil.consent_given:
        findings.append(warning("consent_given",
                                N_("There is no consent to the processing of personal data.")))
    return findings
