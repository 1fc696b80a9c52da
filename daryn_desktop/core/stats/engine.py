"""Computing the named tables from the register's data, and hiding small counts in files."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.duplicates import find_duplicates
from daryn_desktop.core.stats.facts import Register, RegisterData
from daryn_desktop.core.stats.model import COUNT, Cell, Report, Table, Territory
from daryn_desktop.core.stats.pupil_tables import t1, t2, t5
from daryn_desktop.core.stats.quality_tables import duplicates_table, t6
from daryn_desktop.core.stats.result_tables import t3, t4


class UnknownTable(ValueError):
    """A table key that is not one of T1–T6 or "duplicates"."""


def parse_tables(text: str | None, *, names: bool = False) -> tuple[str, ...]:
    """Table keys from "T1,T3" (any case); all aggregate tables for nothing.

    ``names`` adds the lists that name people (T4 and the duplicates), which are otherwise
    produced only when named.
    """
    if not text:
        return d.AGGREGATE_TABLES + (d.PERSONAL_TABLES if names else ())
    wanted = []
    for part in text.split(","):
        key = part.strip()
        found = next((k for k in d.ALL_TABLES if k.casefold() == key.casefold()), None)
        if found is None:
            raise UnknownTable(key)
        if found not in wanted:
            wanted.append(found)
    if names:
        wanted += [k for k in d.PERSONAL_TABLES if k not in wanted]
    return tuple(k for k in d.ALL_TABLES if k in wanted)


class Counted:
    """The register of a territory, read once and ready to count any table from (the
    children it makes and the duplicates among them are worked out once)."""

    def __init__(self, data: RegisterData):
        self.data = data
        self.groups = find_duplicates(data.sync.people)
        self.register = Register(data, self.groups)


def compute(data: RegisterData | Counted, territory: Territory, tables: Iterable[str], *,
            weights: d.TeacherWeights | None = None,
            pupil_names: Callable[[Iterable[str]], dict[str, str]] | None = None,
            program_version: str = "", computed_at: str = "") -> Report:
    """The tables asked for, in the order of :data:`~definitions.ALL_TABLES`."""
    wanted = set(tables)
    counted = data if isinstance(data, Counted) else Counted(data)
    data, groups, register = counted.data, counted.groups, counted.register
    year, as_of = data.year, data.as_of
    made: list[Table] = []
    for key in d.ALL_TABLES:
        if key not in wanted:
            continue
        if key == d.T1:
            made.append(t1(register, year, as_of))
        elif key == d.T2:
            made.append(t2(register, year, as_of))
        elif key == d.T3:
            made.append(t3(register, year, as_of))
        elif key == d.T4:
            made.append(t4(register, year, as_of, weights or d.TeacherWeights(),
                           pupil_names or (lambda ids: {})))
        elif key == d.T5:
            made.append(t5(register, year, as_of, by_school=territory.level != "region"))
        elif key == d.T6:
            made.append(t6(register, groups, as_of))
        elif key == d.DUPLICATES:
            made.append(duplicates_table(data, groups))
    return Report(territory, year.label, as_of, made, program_version, computed_at)


def suppressed(tables: Sequence[Table], below: int) -> list[Table]:
    """Copies of the tables with counts above 0 and below ``below`` hidden (and whatever is
    worked out from them). Lists that name people are left as they are."""
    if below <= 1:
        return list(tables)
    out = []
    for table in tables:
        if table.personal:
            out.append(table)
            continue
        table = copy.deepcopy(table)
        counts = {c.key for c in table.columns if c.kind == COUNT}
        dependent = [c for c in table.columns if c.depends]
        for row in table.rows:
            for key in counts:
                cell = row.cells.get(key)
                if (cell is not None and isinstance(cell.value, int)
                        and 0 < cell.value < below):
                    row.cells[key] = Cell(None, cell.members, hidden=True)
            for column in dependent:
                if any(row.cells.get(k, Cell(None)).hidden for k in column.depends):
                    cell = row.cells.get(column.key, Cell(None))
                    row.cells[column.key] = Cell(None, cell.members, hidden=True)
        out.append(table)
    return out


def overview_figures(report: Report) -> dict[str, Any]:
    """The few numbers the Reports overview shows (no people), from T1, T2, T5 and T6."""
    t1, t2, t5 = (report.table(k) for k in (d.T1, d.T2, d.T5))
    figures: dict[str, Any] = {
        "year": report.academic_year, "as_of": report.as_of.isoformat(),
        "total": (t1.row("total").value("total"), t1.row("total").value("prev_total")),
        "H1": (t1.row("H1").value("total"), t1.row("H1").value("prev_total")),
        "H2": (t1.row("H2").value("total"), t1.row("H2").value("prev_total")),
        "covered": (t2.row("any").value("planned"), t2.row("any").value("prev_planned")),
        "maps": (t5.row("total").value("with_map"), t5.row("total").value("prev_with_map")),
        "overdue": (t5.row("total").value("overdue_activities"), None),
        "districts": [],
    }
    if any(t.key == d.T6 for t in report.tables):
        for row in report.table(d.T6).rows:
            if row.kind == "total":
                continue
            label, last = row.labels[0], row.value("last_bundle")
            figures["districts"].append({
                "code": getattr(label, "code", ""), "last": last if isinstance(last, str) else None,
                "days": row.value("days"), "paired": row.value("unacknowledged") is not None})
    return figures
