"""The decree's statistics as files: a spreadsheet (one sheet per table) and JSON for scripts.

Both are written in the report's language (Kazakh or Russian, whatever the interface's),
with the territory, the academic year, the "as of" date and the program version in their
heading; counts below the privacy threshold are withheld (see ``core/stats/engine.py``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import EventLevel
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.engine import suppressed
from daryn_desktop.core.stats.model import (
    COUNT,
    HEADING,
    NUMBER,
    SHARE,
    Report,
    Table,
    cell_text,
    label_text,
)
from daryn_desktop.files import written_whole
from daryn_desktop.i18n import gettext_for
from daryn_desktop.reports.xlsx import Column, Workbook

#: Kinds of row set in bold in files.
BOLD_ROWS = frozenset({"headline", "subtotal", "total", HEADING})
HIDDEN_MARK = "<{k}"


@dataclass
class Rendered:
    """A table as text and numbers in one language, ready for any file format."""

    key: str
    title: str
    headers: list[str]
    kinds: list[str]  # per column: "label", or the column kind
    rows: list[tuple[str, list[Any]]]  # (row kind, values)
    notes: list[str]
    personal: bool


def render(table: Table, lang: str, *, hidden_mark: str = "") -> Rendered:
    """``table`` in ``lang``; a withheld cell becomes ``hidden_mark`` (or None when empty)."""
    t = gettext_for(lang)
    headers = [label_text(m, t, lang) for m in table.label_titles]
    headers += [label_text(c.title, t, lang) for c in table.columns]
    kinds = ["label"] * len(table.label_titles) + [c.kind for c in table.columns]
    rows = []
    for row in table.rows:
        values: list[Any] = [label_text(label, t, lang) or None for label in row.labels]
        for column in table.columns:
            cell = row.cells.get(column.key)
            if cell is None:
                values.append(None)
            elif cell.hidden:
                values.append(hidden_mark or None)
            else:
                text = cell_text(cell.value, t, lang)
                values.append(cell.value if text is None else text)
        rows.append((row.kind, values))
    return Rendered(table.key, label_text(table.title, t, lang), headers, kinds, rows,
                    [label_text(n, t, lang) for n in table.notes], table.personal)


def heading_lines(report: Report, lang: str, suppress_below: int, *,
                  personal: bool = False) -> list[str]:
    """The lines above every table: territory, year, "as of", program, privacy."""
    t = _ = gettext_for(lang)
    lines = [
        _("Territory: {territory}").format(territory=label_text(report.territory.label, t,
                                                                   lang)),
        _("Academic year: {year}; as of {date}").format(year=report.academic_year,
                                                         date=format_date(report.as_of)),
        _("Daryn Desktop {version}; computed {at}").format(version=report.program_version,
                                                            at=report.computed_at),
    ]
    if personal:
        lines.append(_("Contains personal data: for official use only."))
    elif suppress_below > 1:
        lines.append(_("Counts from 1 to {last} are withheld (shown as “{mark}”) to protect"
                       " the children's privacy.").format(
                           last=suppress_below - 1,
                           mark=HIDDEN_MARK.format(k=suppress_below)))
    return lines


def definitions(lang: str, suppress_below: int, weights: d.TeacherWeights) -> list[tuple[str,
                                                                                         str]]:
    """(topic, text) lines of the Definitions sheet: how each figure is counted."""
    t = _ = gettext_for(lang)
    out = []
    for key, title, msg in d.DEFINITIONS:
        if key == "privacy":
            text = (t(msg.id).format(k=suppress_below) if suppress_below > 1
                    else _("No count is withheld in this file."))
        else:
            text = label_text(msg, t, lang)
        out.append((t(title), text))
    levels = ", ".join(f"{t(EventLevel(k).label_id)} {v:g}" for k, v in weights.level.items())
    degrees = ", ".join(f"{t(d.DEGREE_TITLES[k])} {v:g}" for k, v in
                        sorted(weights.degree.items()))
    text = _("Teacher weights — levels: {levels}; degrees: {degrees}; only target-group"
             " pupils: {only}.").format(levels=levels, degrees=degrees,
                                        only=_("yes") if weights.target_groups_only else _("no"))
    out.append((_("Teacher weights"), text))
    return out


def _number_format(kind: str) -> str | None:
    return {COUNT: "0", SHARE: "0.0%", NUMBER: "0.##"}.get(kind)


def write_xlsx(report: Report, path: str | os.PathLike[str], *, lang: str,
               suppress_below: int = d.DEFAULT_SUPPRESS_BELOW,
               weights: d.TeacherWeights | None = None,
               progress: Callable[[int, int], None] | None = None) -> Path:
    """One sheet per table and a Definitions sheet; the file appears only when complete."""
    _ = gettext_for(lang)
    tables = suppressed(report.tables, suppress_below)
    mark = HIDDEN_MARK.format(k=suppress_below)
    with Workbook(path) as book:
        for number, table in enumerate(tables, start=1):
            shown = render(table, lang, hidden_mark=mark)
            columns = [Column(h, number_format=_number_format(k), wrap=k == "text")
                       for h, k in zip(shown.headers, shown.kinds)]
            heading = [shown.title, *heading_lines(report, lang, suppress_below,
                                                   personal=shown.personal)]
            sheet = book.sheet(f"{shown.key} {shown.title.split('. ', 1)[-1]}", columns,
                               heading=heading)
            for kind, values in shown.rows:
                sheet.append(values, bold=kind in BOLD_ROWS)
            for note in shown.notes:
                sheet.note(note)
            if progress:
                progress(number, len(tables) + 1)
        sheet = book.sheet(_("Definitions"), [Column(_("Topic"), width=28, wrap=True),
                                              Column(_("How it is counted"), width=100,
                                                     wrap=True)],
                           heading=[_("How the figures are counted")])
        for topic, text in definitions(lang, suppress_below, weights or d.TeacherWeights()):
            sheet.append([topic, text])
    return Path(path)


def to_json(report: Report, *, lang: str,
            suppress_below: int = d.DEFAULT_SUPPRESS_BELOW) -> dict[str, Any]:
    """The report as JSON-ready data: labels in ``lang``, withheld counts as null."""
    out_tables = []
    for table in suppressed(report.tables, suppress_below):
        shown = render(table, lang)
        out_tables.append({
            "key": table.key, "title": shown.title, "personal": table.personal,
            "columns": [{"key": c.key, "title": h, "kind": c.kind} for c, h in
                        zip(table.columns, shown.headers[len(table.label_titles):])],
            "label_titles": shown.headers[:len(table.label_titles)],
            "rows": [{"key": row.key, "kind": kind,
                      "labels": values[:len(table.label_titles)],
                      "values": dict(zip((c.key for c in table.columns),
                                         values[len(table.label_titles):]))}
                     for row, (kind, values) in zip(table.rows, shown.rows)],
            "notes": shown.notes,
        })
    t = gettext_for(lang)
    return {"program": "Daryn Desktop", "version": report.program_version,
            "computed_at": report.computed_at, "language": lang,
            "territory": {"level": report.territory.level, "code": report.territory.code,
                          "name": label_text(report.territory.label, t, lang)},
            "academic_year": report.academic_year, "as_of": report.as_of.isoformat(),
            "suppress_below": suppress_below, "tables": out_tables}


def write_json(report: Report, path: str | os.PathLike[str], *, lang: str,
               suppress_below: int = d.DEFAULT_SUPPRESS_BELOW) -> Path:
    text = json.dumps(to_json(report, lang=lang, suppress_below=suppress_below),
                      ensure_ascii=False, indent=1)
    with written_whole(path) as part:
        part.write_text(text, encoding="utf-8")
    return Path(path)

