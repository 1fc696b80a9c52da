"""``daryn pupils list``'s filters and ``--out FILE.xlsx``: the registry's list as Excel."""

from __future__ import annotations

import argparse
import sys

from daryn_desktop.cli.arguments import file_ending
from daryn_desktop.cli.roadmap_commands import _school_id
from daryn_desktop.core.enums import FamilyCategory, GiftednessKind, Labeled, RoadMapStatus
from daryn_desktop.core.imports import values as v
from daryn_desktop.core.progress import Progress
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _, ngettext
from daryn_desktop.reports.tables_xlsx import REGISTRY_COLUMNS, save_registry
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import current_academic_year
from daryn_desktop.storage.search import PupilQuery


class BadFilter(UserError):
    message = N_("{option}: {reason}")


def add_list_options(parser: argparse.ArgumentParser) -> None:
    """The registry's filters and the spreadsheet output, on ``daryn pupils list``."""
    parser.add_argument("--school", metavar="ID", help=_("only this school's pupils"))
    parser.add_argument("--district", metavar="KATO", help=_("only this district's pupils"))
    parser.add_argument("--grade", type=int, help=_("only this grade"))
    parser.add_argument("--category", help=_("only this family category (көп балалы …)"))
    parser.add_argument("--giftedness", help=_("only this kind of giftedness"))
    parser.add_argument("--road-map", metavar="STATUS",
                        help=_("only road maps of this status this year, or “none”"))
    parser.add_argument("--archived", action="store_true", help=_("only archived pupils"))
    parser.add_argument("--out", metavar="FILE.xlsx", type=file_ending(".xlsx"),
                        help=_("write every matching pupil to a spreadsheet"))
    parser.add_argument("--columns", metavar="A,B,…",
                        help=_("columns of the spreadsheet: {names}").format(
                            names=",".join(REGISTRY_COLUMNS)))


def _word(enum: type[Labeled], value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        found = v.word(enum, value)
        return None if found is None else found.value
    except v.CellProblem as exc:
        raise BadFilter(option=option, reason=_(exc.message).format(**exc.params)) from exc


def list_query(store: Store, args: argparse.Namespace) -> PupilQuery:
    """The registry's query from the command line's search and filters."""
    road_map = getattr(args, "road_map", None)
    if road_map is not None and road_map != "none":
        road_map = _word(RoadMapStatus, road_map, "--road-map")
    return PupilQuery(
        text=args.search, include_archived=args.all,
        only_archived=getattr(args, "archived", False),
        school_id=_school_id(store, args.school) if getattr(args, "school", None) else None,
        district_kato=getattr(args, "district", None), grade=getattr(args, "grade", None),
        category=_word(FamilyCategory, getattr(args, "category", None), "--category"),
        giftedness_kind=_word(GiftednessKind, getattr(args, "giftedness", None),
                              "--giftedness"),
        road_map_status=road_map, academic_year=current_academic_year() if road_map else None)


def _progress(report: Progress) -> None:
    if sys.stderr.isatty():
        print(f"\r{report.done:>8}", end="", file=sys.stderr, flush=True)


def save_list(store: Store, query: PupilQuery, args: argparse.Namespace) -> int:
    columns = None
    if args.columns:
        columns = [c.strip() for c in args.columns.split(",") if c.strip()]
        unknown = [c for c in columns if c not in REGISTRY_COLUMNS]
        if unknown:
            raise BadFilter(option="--columns", reason=", ".join(unknown))
    count = save_registry(store, query, args.out, columns=columns, progress=_progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(ngettext("Wrote {count} pupil to {path}.", "Wrote {count} pupils to {path}.",
                   count).format(count=count, path=args.out))
    return 0
