"""Validation findings: an error blocks saving, a warning only asks the user to look again."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from enum import Enum

from daryn_desktop.i18n import N_, _


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclasses.dataclass(frozen=True)
class Finding:
    """One problem with one field of a record.

    ``message`` stays an untranslated message id (marked with ``N_`` where it is defined) so
    that a finding can be kept, logged or shown later in whatever language is current then.
    """

    field: str
    severity: Severity
    message: str
    # Left out of the hash so that findings can go into sets although a dict is unhashable;
    # equal findings still hash alike, since the other fields then agree too.
    params: dict[str, object] = dataclasses.field(default_factory=dict, hash=False)

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    @property
    def text(self) -> str:
        """The message in the current language, with its named placeholders filled in."""
        return _(self.message).format(**self.params)


def error(field: str, message: str, **params: object) -> Finding:
    """An error finding; shorthand for validators."""
    return Finding(field, Severity.ERROR, message, dict(params))


def warning(field: str, message: str, **params: object) -> Finding:
    """A warning finding; shorthand for validators."""
    return Finding(field, Severity.WARNING, message, dict(params))


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.ERROR]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.WARNING]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == Severity.ERROR for f in findings)


MSG_REQUIRED = N_("This field is required.")
MSG_TOO_LONG = N_("At most {max} characters.")


def check_text(found: list[Finding], name: str, value: str | None, limit: int, *,
               required: bool = False) -> None:
    """Add an error to ``found`` if the text is missing (when required) or too long."""
    text = (value or "").strip()
    if not text:
        if required:
            found.append(error(name, MSG_REQUIRED))
    elif len(text) > limit:
        found.append(error(name, MSG_TOO_LONG, max=limit))
