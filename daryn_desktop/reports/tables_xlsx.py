"""Every table of the program as Excel: the registry (its search and filters, every matching
row), road maps, due and overdue activities, a school's gifted pupils, and any list of rows.

Rows are read a block at a time and streamed into the file, so 100,000 pupils take little
memory; headers and texts are in the interface language.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import FamilyCategory, GiftednessKind, Labeled, RoadMapStatus
from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.i18n import N_, _, current_language
from daryn_desktop.reports.pupil_list import school_list_lines
from daryn_desktop.reports.xlsx import Column, Workbook
from daryn_desktop.storage.registry import (
    RegistryRow,
    SortColumn,
    current_academic_year,
    ordered_keys,
)
from daryn_desktop.storage.registry_export import iter_registry_rows
from daryn_desktop.storage.roadmaps import DueActivityRow, RoadMapFilter, RoadMaps
from daryn_desktop.storage.search import PupilQuery

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

ProgressSink = Callable[[Progress], None]
#: Rows of a paged list (road maps, activities) read at a time.
BLOCK = 1000

#: The registry's columns as an export names them (the same as the table on screen).
REGISTRY_COLUMNS: dict[str, str] = {
    "name": N_("Full name"), "iin": N_("IIN"), "school": N_("School"), "grade": N_("Grade"),
    "place": N_("Rural / urban"), "categories": N_("Categories"),
    "giftedness": N_("Giftedness areas"), "achievements": N_("Achievements"),
    "road_map": N_("Road map"),
}
_NARROW = {"iin": 14.0, "grade": 8.0, "place": 12.0, "achievements": 12.0}


def _label(enum: type[Labeled], value: str | None) -> str:
    if value is None:
        return ""
    member = enum._value2member_map_.get(value)
    return member.label if isinstance(member, Labeled) else value


def _place(row: RegistryRow) -> str:
    return "" if row.rural is None else (_("Rural") if row.rural else _("Urban"))


def _road_map(row: RegistryRow) -> str:
    if row.road_map_status is None:
        return _("No road map")
    return _label(RoadMapStatus, row.road_map_status)


#: How each column's value is made from a row (looked up once per column, not per cell).
_CELLS: dict[str, Callable[[RegistryRow], Any]] = {
    "name": lambda row: row.full_name,
    "iin": lambda row: row.iin,
    "school": lambda row: row.school_name,
    "grade": lambda row: row.grade_label,
    "place": _place,
    "categories": lambda row: ", ".join(_label(FamilyCategory, c) for c in row.categories),
    "giftedness": lambda row: ", ".join(area for _kind, area in row.giftedness),
    "achievements": lambda row: row.achievements or None,
    "road_map": _road_map,
}


def registry_cell(row: RegistryRow, key: str) -> Any:
    """What the registry shows in column ``key`` for ``row`` (numbers stay numbers)."""
    return _CELLS[key](row)


def describe_query(store: Store, query: PupilQuery) -> str:
    """The search and filters of a list in words, for the heading of an export."""
    parts: list[str] = []
    if query.text.strip():
        parts.append(_("search “{text}”").format(text=query.text.strip()))
    places = gazetteer()
    if query.district_kato:
        place = places.find(query.district_kato)
        parts.append(place.name(current_language()) if place else query.district_kato)
    if query.school_id:
        school = store.repos.schools.find(query.school_id)
        parts.append(school.name if school else query.school_id)
    if query.grade is not None:
        parts.append(_("grade {grade}").format(grade=query.grade))
    if query.category:
        parts.append(_label(FamilyCategory, query.category))
    if query.giftedness_kind:
        parts.append(_label(GiftednessKind, query.giftedness_kind))
    if query.road_map_status:
        parts.append(_("no road map") if query.road_map_status == "none"
                     else _label(RoadMapStatus, query.road_map_status))
    if query.only_archived:
        parts.append(_("archived pupils"))
    elif query.include_archived:
        parts.append(_("studying and archived pupils"))
    return "; ".join(parts) if parts else _("all studying pupils")


def save_registry(store: Store, query: PupilQuery, path: str | os.PathLike[str], *,
                  columns: Sequence[str] | None = None, sort: SortColumn = SortColumn.NAME,
                  descending: bool = False, progress: ProgressSink | None = None,
                  cancel: CancelToken | None = None, today: date | None = None) -> int:
    """Every pupil matching ``query`` (not only those on screen), in the registry's order and
    columns; returns how many were written."""
    today = today or date.today()
    keys = list(columns or REGISTRY_COLUMNS)
    year = current_academic_year(today)
    order = ordered_keys(store, query, sort, descending)
    heading = [_("Gifted pupils"), store.installation.name,
               _("{filters}. Made on {date}; academic year {year}.").format(
                   filters=describe_query(store, query), date=format_date(today), year=year)]
    sheet_columns = [Column(_(REGISTRY_COLUMNS[k]), width=_NARROW.get(k),
                            text=k == "iin") for k in keys]

    cells = [_CELLS[k] for k in keys]

    def rows() -> Iterator[list[Any]]:
        for row in iter_registry_rows(store, order, academic_year=year, today=today):
            yield [cell(row) for cell in cells]

    with Workbook(path) as book:
        sheet = book.sheet(_("Pupils"), sheet_columns, heading=heading)
        written = sheet.append_all(rows(), progress=progress, cancel=cancel, total=len(order))
        sheet.note(_("Total: {count}").format(count=written))
    return written


def save_rows(path: str | os.PathLike[str], title: str, headers: Sequence[str],
              rows: Iterable[Sequence[Any]], *, heading: Sequence[str] = (),
              total: int | None = None, progress: ProgressSink | None = None,
              cancel: CancelToken | None = None) -> int:
    """Any list as one sheet: a title, its headers and rows (already in the right language)."""
    with Workbook(path) as book:
        sheet = book.sheet(title, [Column(h) for h in headers],
                           heading=[title, *heading])
        written = sheet.append_all(rows, progress=progress, cancel=cancel, total=total)
        sheet.note(_("Total: {count}").format(count=written))
    return written


def _pages(fetch: Callable[[int, int], list[Any]], size: int = BLOCK) -> Iterator[Any]:
    offset = 0
    while True:
        page = fetch(size, offset)
        yield from page
        if len(page) < size:
            return
        offset += size


def save_road_maps(store: Store, flt: RoadMapFilter, path: str | os.PathLike[str], *,
                   progress: ProgressSink | None = None,
                   cancel: CancelToken | None = None) -> int:
    """The road-map list of a filter, every matching road map."""
    maps = RoadMaps(store)
    headers = [_("Pupil"), _("Grade"), _("School"), _("Academic year"), _("Status"),
               _("Activities done"), _("Activities"), _("Signed")]
    rows = ([r.pupil_name, r.grade, r.school_name, r.academic_year, r.status.label, r.done,
             r.activities, format_date(r.signed_date)]
            for r in _pages(lambda limit, offset: maps.list(flt, limit=limit, offset=offset)))
    heading = [store.installation.name, _("Made on {date}.").format(
        date=format_date(date.today()))]
    return save_rows(path, _("Road maps"), headers, rows, heading=heading,
                     total=maps.count(flt), progress=progress, cancel=cancel)


def save_activities(store: Store, title: str,
                    fetch: Callable[[int, int], list[DueActivityRow]], total: int,
                    path: str | os.PathLike[str], *, progress: ProgressSink | None = None,
                    cancel: CancelToken | None = None) -> int:
    """Open activities across pupils (due this month, overdue), from a paged query."""
    headers = [_("Due"), _("Quarter"), _("Pupil"), _("Grade"), _("School"), _("Academic year"),
               _("Activity"), _("Responsible"), _("Status")]
    rows = ([r.due, r.by_quarter, r.pupil_name, r.grade, r.school_name, r.academic_year,
             r.title, r.responsible or "", r.status.label] for r in _pages(fetch))
    heading = [store.installation.name, _("Made on {date}.").format(
        date=format_date(date.today()))]
    return save_rows(path, title, headers, rows, heading=heading, total=total,
                     progress=progress, cancel=cancel)


def save_school_list(store: Store, school_id: str, path: str | os.PathLike[str], *,
                     academic_year: str | None = None) -> int:
    """The list of a school's gifted pupils (the same lines as its PDF), as Excel."""
    today = date.today()
    year = AcademicYear.parse(academic_year) if academic_year else AcademicYear.containing(today)
    school = store.repos.schools.get(school_id)
    lines = school_list_lines(store, school_id, year, _, today)
    headers = ["№", _("Surname, name, patronymic"), _("Grade"), _("Date of birth"),
               _("Areas of giftedness"), _("Categories"), _("Road map")]
    rows = ([i, x.name, x.grade, x.birth, x.areas, x.categories, x.road_map]
            for i, x in enumerate(lines, start=1))
    heading = [school.name, _("{year} academic year").format(year=year.label)]
    return save_rows(path, _("Gifted pupils"), headers, rows, heading=heading, total=len(lines))
