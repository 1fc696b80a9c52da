"""``daryn roadmap``: print road maps and the school list to PDF; list due and overdue work."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from daryn_desktop.cli.arguments import file_ending
from daryn_desktop.cli.commands import _open
from daryn_desktop.core.academic import MSG_YEAR_FORMAT, AcademicYear
from daryn_desktop.core.dates import FIRST_YEAR, LAST_YEAR, format_date
from daryn_desktop.core.ids import is_id
from daryn_desktop.core.progress import Progress
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _, current_language, ngettext
from daryn_desktop.reports.batch import describe, print_road_maps
from daryn_desktop.reports.pupil_list import print_pupil_list
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.roadmaps import RoadMapFilter, RoadMaps

DOCUMENT_LANGUAGES = ("kk", "ru")


class UnknownPupil(UserError):
    message = N_("No pupil has the id or IIN {value}.")


class UnknownDistrict(UserError):
    message = N_("{code} is not a district's KATO code.")


class DistrictElsewhere(UserError):
    message = N_("{name} ({code}) is not a district of this installation's territory: its"
                 " pupils are not in this database.")


class UnknownSchool(UserError):
    message = N_("No school has the id {value}.")


class BadYear(UserError):
    message = MSG_YEAR_FORMAT


class BadMonth(UserError):
    message = N_("“{text}” is not a month: write it as 2025-11.")


def _year(text: str | None) -> str:
    if not text:
        return AcademicYear.containing(date.today()).label
    try:
        return AcademicYear.parse(text).label
    except ValueError as exc:
        raise BadYear(text=text) from exc


def _pupil_id(store: Store, value: str) -> str:
    value = value.strip()
    if is_id(value) and store.repos.pupils.find(value) is not None:
        return value
    # An IIN as it is often written or pasted: in groups of digits ("0801 0155 3057").
    compact = "".join(value.split())
    pupil = store.repos.pupils.by_iin(compact if compact.isdigit() else value)
    if pupil is None:
        raise UnknownPupil(value=value)
    return pupil.id


def district_code(store: Store, value: str) -> str:
    """A district of this installation's territory, by its KATO code."""
    code = value.strip()
    place = gazetteer().find(code)
    if place is None or place.level != "district":
        raise UnknownDistrict(code=value)
    inst = store.installation
    if place.parent != inst.region_kato or (inst.district_kato and code != inst.district_kato):
        raise DistrictElsewhere(code=code, name=place.name(current_language()))
    return code


def _school_id(store: Store, value: str) -> str:
    if store.repos.schools.find(value.strip()) is None:
        raise UnknownSchool(value=value)
    return value.strip()


def _progress(report: Progress) -> None:
    if sys.stderr.isatty():
        print(f"\r{report.message[:100]:<100}", end="", file=sys.stderr, flush=True)


def roadmap_pdf(args: argparse.Namespace) -> int:
    year = _year(args.year)
    with _open(args) as store:
        maps = RoadMaps(store)
        if args.pupil:
            ids = tuple(_pupil_id(store, v) for v in args.pupil)
            flt = RoadMapFilter(academic_year=year, pupil_ids=ids, include_archived_pupils=True)
        elif args.school:
            flt = RoadMapFilter(academic_year=year, school_id=_school_id(store, args.school))
        else:
            flt = RoadMapFilter(academic_year=year,
                                district_kato=district_code(store, args.district))
        road_maps = maps.ids(flt)
        result = print_road_maps(store, road_maps, args.out, lang=args.doc_lang,
                                 as_signed=args.signed, progress=_progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    first, *left_out = describe(result).split("\n")
    print(first)
    for line in left_out:  # a road map that could not be laid out: the others are printed
        print(line, file=sys.stderr)
    return 1 if left_out else 0


def roadmap_list_pdf(args: argparse.Namespace) -> int:
    with _open(args) as store:
        path = print_pupil_list(store, _school_id(store, args.school), args.out,
                                academic_year=_year(args.year), lang=args.doc_lang)
    print(_("Wrote the list to {path}.").format(path=path))
    return 0


def _due_json(rows) -> list[dict]:
    return [{"activity_id": r.activity_id, "road_map_id": r.road_map_id, "pupil_id": r.pupil_id,
             "pupil": r.pupil_name, "grade": r.grade, "school": r.school_name,
             "academic_year": r.academic_year, "title": r.title, "measure": r.measure,
             "responsible": r.responsible, "status": r.status.value, "due": r.due.isoformat(),
             "quarter": r.by_quarter} for r in rows]


def _print_due(rows, total: int, as_json: bool) -> None:
    if as_json:
        json.dump(_due_json(rows), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return
    for r in rows:
        print(f"{format_date(r.due)}  {r.pupil_name:<36}  {r.grade:>4}  {r.title}")
    print(ngettext("{shown} of {count} activity", "{shown} of {count} activities", total).format(
        shown=len(rows), count=total))


def roadmap_due(args: argparse.Namespace) -> int:
    today = date.today()
    if args.month:
        try:
            year_text, month_text = args.month.split("-")
            year, month = int(year_text), int(month_text)
            date(year, month, 1)
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise ValueError(year)
        except ValueError as exc:
            raise BadMonth(text=args.month) from exc
    else:
        year, month = today.year, today.month
    with _open(args) as store:
        maps = RoadMaps(store)
        flt = RoadMapFilter(school_id=_school_id(store, args.school) if args.school else None)
        rows = maps.due_in_month(year, month, flt, limit=args.limit)
        total = maps.count_due_in_month(year, month, flt)
    _print_due(rows, total, args.json)
    return 0


def roadmap_overdue(args: argparse.Namespace) -> int:
    with _open(args) as store:
        maps = RoadMaps(store)
        flt = RoadMapFilter(school_id=_school_id(store, args.school) if args.school else None)
        rows = maps.overdue(date.today(), flt, limit=args.limit)
        total = maps.count_overdue(date.today(), flt)
    _print_due(rows, total, args.json)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``daryn roadmap …`` to the command line."""
    p = sub.add_parser("roadmap", help=_("individual road maps: print, due and overdue work"))
    commands = p.add_subparsers(dest="roadmap_command", required=True, metavar="COMMAND")

    q = commands.add_parser("pdf", help=_("print road maps to one PDF"))
    which = q.add_mutually_exclusive_group(required=True)
    which.add_argument("--pupil", action="append", metavar="ID|IIN",
                       help=_("a pupil's id or IIN (may be repeated)"))
    which.add_argument("--school", metavar="ID", help=_("all road maps of a school"))
    which.add_argument("--district", metavar="KATO", help=_("all road maps of a district"))
    q.add_argument("--year", metavar="YYYY-YYYY",
                   help=_("academic year (default: the current one)"))
    q.add_argument("--lang", dest="doc_lang", choices=DOCUMENT_LANGUAGES,
                   help=_("language of the document (default: each pupil's language of"
                          " instruction)"))
    q.add_argument("--signed", action="store_true",
                   help=_("print signed road maps as they were signed"))
    q.add_argument("--out", required=True, metavar="FILE.pdf", type=file_ending(".pdf"),
                   help=_("the PDF to write"))
    q.set_defaults(func=roadmap_pdf)

    q = commands.add_parser("list-pdf", help=_("the list of a school's gifted pupils as PDF"))
    q.add_argument("--school", required=True, metavar="ID")
    q.add_argument("--year", metavar="YYYY-YYYY",
                   help=_("academic year (default: the current one)"))
    q.add_argument("--lang", dest="doc_lang", choices=DOCUMENT_LANGUAGES,
                   help=_("language of the document (default: the school's)"))
    q.add_argument("--out", required=True, metavar="FILE.pdf", type=file_ending(".pdf"),
                   help=_("the PDF to write"))
    q.set_defaults(func=roadmap_list_pdf)

    for name, func, text in (
            ("due", roadmap_due, _("activities due in a month, across all pupils")),
            ("overdue", roadmap_overdue, _("activities past their due date, across all pupils"))):
        q = commands.add_parser(name, help=text)
        if name == "due":
            q.add_argument("--month", metavar="YYYY-MM", help=_("default: this month"))
        q.add_argument("--school", metavar="ID")
        q.add_argument("--limit", type=int, default=100)
        q.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
        q.set_defaults(func=func)
