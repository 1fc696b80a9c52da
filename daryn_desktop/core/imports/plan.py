"""What an import would do: per row new, changed, unchanged or rejected, with its writes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from daryn_desktop.core.events import ResultLine
from daryn_desktop.core.findings import Finding, Severity
from daryn_desktop.core.imports.fields import ImportKind
from daryn_desktop.core.imports.layout import Layout, RowCounts
from daryn_desktop.i18n import N_, _


class RowStatus(str, Enum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return _(STATUS_LABELS[self])


STATUS_LABELS = {RowStatus.NEW: N_("New"), RowStatus.CHANGED: N_("Changed"),
                 RowStatus.UNCHANGED: N_("Unchanged"), RowStatus.REJECTED: N_("Rejected")}


@dataclass(frozen=True)
class Problem:
    """A reason a row is rejected (an error) or worth a look (a warning), with its column."""

    column: str | None
    finding: Finding

    @property
    def is_error(self) -> bool:
        return self.finding.severity == Severity.ERROR

    @property
    def text(self) -> str:
        """The reason in the current language."""
        return self.finding.text


@dataclass(frozen=True)
class Insert:
    """A new record: the table and its values (with the id made for it)."""

    table: str
    values: dict[str, Any]

    @property
    def row_id(self) -> str:
        return str(self.values["id"])


@dataclass(frozen=True)
class Update:
    """Fields of a record to change: column → (value now, value after)."""

    table: str
    row_id: str
    fields: dict[str, tuple[Any, Any]]


@dataclass(frozen=True)
class StageEntry:
    """A line of a stage's results, written as the results grid writes it (the stage's own
    save works out the entry and the achievement when the import is made)."""

    stage_id: str
    line: ResultLine

    @property
    def table(self) -> str:
        return "participants"


Write = Insert | Update
ImportWrite = Insert | Update | StageEntry


@dataclass(frozen=True)
class Change:
    """A field as the preview shows it: which, and its value before and after (as text)."""

    field: str
    old: str
    new: str


@dataclass
class RowOutcome:
    """One data row of the file and what importing it would do."""

    number: int
    status: RowStatus
    #: Who or what the row is about, for the preview ("Әбілқайыров Ұлықбек, 7А").
    label: str
    raw: tuple[Any, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    writes: list[ImportWrite] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def reason(self) -> str:
        """Every error of the row in one line of the current language."""
        return _joined(self.errors)

    def notes(self) -> str:
        return _joined(self.warnings)

    def reject(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.status = RowStatus.REJECTED
        self.writes = []
        self.changes = []


def _joined(problems: list[Problem]) -> str:
    """Sentences joined with semicolons: "ЖСН: …; Туған күні: …"."""
    texts = [_format(p) for p in problems]
    return "; ".join([*(t.rstrip(".") for t in texts[:-1]), *texts[-1:]])


def _format(problem: Problem) -> str:
    if problem.column:
        return _("{column}: {reason}").format(column=problem.column, reason=problem.text)
    return problem.text


@dataclass
class ImportPlan:
    """Everything an import would do, row by row, before anything is written."""

    kind: ImportKind
    layout: Layout
    rows: list[RowOutcome]
    row_counts: RowCounts = field(default_factory=RowCounts)
    #: Records the rows need that the import creates first: the schools a class list names
    #: that are not registered yet (created only after a person confirmed it).
    prelude: list[Insert] = field(default_factory=list)
    file_name: str = ""
    sheet: str = ""
    #: Where the rows go when that is not the registry itself: "Olympiad — District stage
    #: (14.10.2025–15.10.2025)" for a stage's results.
    into: str = ""
    #: The registry's position when the rows were checked against it (storage's
    #: ``registry_position``); the plan is written only if nothing changed since.
    made_at: str = ""

    @property
    def new_schools(self) -> list[str]:
        return [str(w.values["name"]) for w in self.prelude if w.table == "schools"]

    def counts(self) -> Counter[RowStatus]:
        found: Counter[RowStatus] = Counter({s: 0 for s in RowStatus})
        found.update(r.status for r in self.rows)
        return found

    @property
    def rejected(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.status == RowStatus.REJECTED]

    def writes(self) -> list[ImportWrite]:
        out: list[ImportWrite] = []
        for row in self.rows:
            if row.status in (RowStatus.NEW, RowStatus.CHANGED):
                out.extend(row.writes)
        return out

    def summary(self) -> str:
        """"5 new, 2 changed, 30 unchanged, 1 rejected" in the current language."""
        c = self.counts()
        return _("{new} new, {changed} changed, {unchanged} unchanged, {rejected} rejected").format(
            new=c[RowStatus.NEW], changed=c[RowStatus.CHANGED], unchanged=c[RowStatus.UNCHANGED],
            rejected=c[RowStatus.REJECTED])
