"""Reading the cells of one data row with their parsers, collecting reasons by column."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from enum import Enum
from typing import Any, Protocol, TypeVar

from daryn_desktop.core.dates import format_date
from daryn_desktop.core.findings import Finding, error, warning
from daryn_desktop.core.imports.fields import field_by_key
from daryn_desktop.core.imports.layout import DataRow, Layout
from daryn_desktop.core.imports.plan import Change, Problem
from daryn_desktop.core.imports.values import CellProblem, split_full_name
from daryn_desktop.core.imports.values import name_part as _name_part
from daryn_desktop.i18n import _

T = TypeVar("T")


class RowReader:
    """The cells of one row, read field by field; a cell that cannot be read becomes a
    problem named by its column's header."""

    def __init__(self, row: DataRow, layout: Layout):
        self.row = row
        self.layout = layout
        self.problems: list[Problem] = []

    def has(self, key: str) -> bool:
        return key in self.row.cells or key in self.row.context

    def column(self, key: str) -> str | None:
        """The header of the column holding ``key`` (its field's name when none does)."""
        column = self.layout.column_of(key)
        if column is not None:
            return self.layout.header_of(column)
        found = field_by_key(self.layout.kind, key)
        return _(found.label) if found else None

    def read(self, key: str, parser: Callable[..., T | None], *args: Any) -> T | None:
        """The cell of ``key`` (or what a sub-heading above set) through ``parser``."""
        if key in self.row.cells:
            value = self.row.cells[key]
        elif key in self.row.context:
            value = self.row.context[key]
        else:
            return None
        try:
            return parser(*args, value) if args else parser(value)
        except CellProblem as exc:
            self.error(key, exc.message, **exc.params)
            return None

    def error(self, key: str | None, message: str, **params: object) -> None:
        self.problems.append(Problem(self.column(key) if key else None,
                                     error(key or "", message, **params)))

    def warn(self, key: str | None, message: str, **params: object) -> None:
        self.problems.append(Problem(self.column(key) if key else None,
                                     warning(key or "", message, **params)))

    def add_findings(self, findings: Iterable[Finding], columns: dict[str, str]) -> None:
        """Findings of the editor's validation, each under the column of its field."""
        for finding in findings:
            key = columns.get(finding.field, finding.field)
            self.problems.append(Problem(self.column(key), finding))

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems)

    def names(self) -> tuple[str | None, str | None, str | None]:
        """Surname, given name and patronymic, from three columns or from one."""
        surname = self.read("surname", _name_part)
        given = self.read("given_name", _name_part)
        patronymic = self.read("patronymic", _name_part)
        if (surname is None or given is None) and self.has("full_name"):
            parts = self.read("full_name", split_full_name)
            if parts is not None:
                surname = surname or parts[0]
                given = given or parts[1]
                patronymic = patronymic or parts[2]
        return surname, given, patronymic


#: Where the editor's validation names a field that came from another column.
NAME_COLUMNS = {"surname": "surname", "given_name": "given_name", "patronymic": "patronymic",
                "school_id": "school"}


def name_columns(reader: RowReader) -> dict[str, str]:
    """The editor's fields → this row's fields (names typed in one column come from it)."""
    columns = dict(NAME_COLUMNS)
    for key in ("surname", "given_name", "patronymic"):
        if key not in reader.row.cells and reader.has("full_name"):
            columns[key] = "full_name"
    return columns


class Shown(Protocol):
    def __call__(self, column: str, value: Any) -> str: ...


def enum_label(enum: type[Enum], value: object) -> str:
    """The label of the member stored as ``value``; the value itself when unknown."""
    member = enum._value2member_map_.get(value)
    return str(getattr(member, "label", value)) if member is not None else shown(value)


def shown(value: Any) -> str:
    """A stored value as a person reads it in a preview."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Enum) and hasattr(value, "label"):
        return str(value.label)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def changes_of(fields: dict[str, tuple[Any, Any]], labels: dict[str, str],
               show: Shown) -> list[Change]:
    """The changed fields as the preview lists them, old → new."""
    return [Change(labels.get(col, col), show(col, old), show(col, new))
            for col, (old, new) in fields.items()]
