"""What an import needs to know of the records already registered (provided by storage)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from daryn_desktop.core.imports.text import fold, header_key

if TYPE_CHECKING:
    from daryn_desktop.core.events import ResultLine
    from daryn_desktop.core.imports.plan import Write


def school_key(name: str) -> str:
    """A school's name reduced for matching: "№ 5 орта мектеп" = "№5 Орта мектеп"."""
    return header_key(name.replace("№", " "))


def person_key(surname: str | None, given: str | None) -> tuple[str, str]:
    return fold(surname or ""), fold(given or "")


@dataclass(frozen=True)
class SchoolRef:
    id: str
    name: str
    settlement_kato: str
    district_kato: str
    language: str | None = None
    archived: bool = False


@dataclass
class KnownRecord:
    """A registered record: its stored values (as the database holds them) and, for a pupil,
    the categories and giftedness areas it already has."""

    id: str
    values: dict[str, Any]
    categories: set[str] = field(default_factory=set)
    areas: set[tuple[str, str]] = field(default_factory=set)


@dataclass(frozen=True)
class KnownAchievement:
    id: str
    pupil_id: str
    event_name: str
    academic_year: str
    subject: str | None
    level: str
    values: dict[str, Any]

    def key(self) -> tuple[str, str, str, str]:
        return (fold(self.event_name), self.academic_year, fold(self.subject or ""), self.level)


class Directory(Protocol):
    """Look-ups an import makes; :mod:`daryn_desktop.storage.imports` provides them."""

    #: The installation's district (None for a regional centre) and region.
    district_kato: str | None
    region_kato: str

    def schools(self, text: str) -> list[SchoolRef]:
        """Schools whose id is ``text`` or whose name matches it (:func:`school_key`)."""
        ...

    def school(self, school_id: str) -> SchoolRef | None: ...

    def school_values(self, school_id: str) -> dict[str, Any]:
        """The stored values of a registered school."""
        ...

    def pupils_by_iin(self, iin: str) -> list[str]: ...

    def pupils_by_name_birth(self, surname: str, given: str, birth: date) -> list[str]: ...

    def pupils_by_name_school(self, surname: str, given: str, school_id: str) -> list[str]: ...

    def pupils(self, ids: Iterable[str]) -> dict[str, KnownRecord]:
        """Current values of these pupils, with their categories and areas."""
        ...

    def undone_pupils(self) -> set[str]:
        """Pupils created by imports that were undone since (archived as "import undone")."""
        ...

    def staff(self, surname: str, given: str | None, school_id: str | None) -> list[KnownRecord]:
        """Staff of that name (``given`` may be an initial) at the school (None: any)."""
        ...

    def achievements(self, pupil_ids: Iterable[str]) -> dict[str, list[KnownAchievement]]: ...

    def staff_name(self, staff_id: str) -> str | None:
        """The full name of a member of staff (archived ones too)."""
        ...

    def stage_lines(self, stage_id: str) -> list[ResultLine]:
        """The entries of a stage of a calendar event, as lines of its results."""
        ...

    def stage_writes(self, stage_id: str, lines: Sequence[ResultLine]) -> list[list[Write]]:
        """What saving ``lines`` in the stage would write, line by line (nothing written)."""
        ...
