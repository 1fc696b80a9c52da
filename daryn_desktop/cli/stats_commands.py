"""``daryn stats``: the decree's statistics (T1–T6) as JSON, a spreadsheet or a PDF."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from daryn_desktop.cli.commands import _open
from daryn_desktop.cli.roadmap_commands import (
    DOCUMENT_LANGUAGES,
    UnknownSchool,
    _year,
    district_code,
)
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import parse_date
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.engine import UnknownTable, parse_tables
from daryn_desktop.core.stats.model import Territory
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _, current_language
from daryn_desktop.reports.statistics import to_json, write_json, write_xlsx
from daryn_desktop.reports.statistics_pdf import write_pdf
from daryn_desktop.storage.statistics import (
    Request,
    home_territory,
    teacher_weights,
)
from daryn_desktop.storage.stats_prepared import compute_report


class BadTables(UserError):
    message = N_("There is no table “{name}”: choose from {choices}.")


class BadOutput(UserError):
    message = N_("Write the statistics to a file ending in .xlsx, .pdf or .json, or use --json.")


class BadDate(UserError):
    message = N_("“{text}” is not a date: write it as dd.mm.yyyy.")



def _suppress_below(text: str) -> int:
    """K of ``--suppress-below``: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a count: write a whole number, 0 or more.").format(value=text))
    return value

def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help=_("the decree's statistics (tables T1–T6)"))
    p.add_argument("--year", metavar="YYYY-YYYY", help=_("academic year (default: this one)"))
    p.add_argument("--as-of", metavar="DD.MM.YYYY",
                   help=_("count as of this day (default: today, or the year's last day)"))
    where = p.add_mutually_exclusive_group()
    where.add_argument("--district", metavar="KATO", help=_("only this district"))
    where.add_argument("--school", metavar="ID", help=_("only this school"))
    p.add_argument("--table", metavar="T1,T2,…",
                   help=_("tables to produce (default: T1,T2,T3,T5,T6; T4 and “duplicates”"
                          " name people and come only when asked for)"))
    p.add_argument("--names", action="store_true",
                   help=_("add the lists with names (T4 and duplicates)"))
    p.add_argument("--lang", dest="report_lang", choices=DOCUMENT_LANGUAGES,
                   help=_("language of the report (default: the messages' language)"))
    p.add_argument("--suppress-below", type=_suppress_below, metavar="K",
                   help=_("withhold counts from 1 to K-1 (default for files: {k}; 0 shows"
                          " every count)").format(k=d.DEFAULT_SUPPRESS_BELOW))
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    out.add_argument("--out", metavar="FILE", help=_("write FILE.xlsx, FILE.pdf or FILE.json"))
    p.set_defaults(func=stats)


def _territory(store, args) -> Territory:
    if args.school is not None:  # "" too: not the whole territory by mistake
        school = store.repos.schools.find(args.school.strip())
        if school is None:
            raise UnknownSchool(value=args.school)
        return Territory("school", school.id, school.name)
    if args.district is not None:
        return Territory("district", district_code(store, args.district))
    return home_territory(store)


def stats(args: argparse.Namespace) -> int:
    lang = args.report_lang or ("ru" if current_language() == "ru" else "kk")
    try:
        tables = parse_tables(args.table, names=args.names)
    except UnknownTable as exc:
        raise BadTables(name=str(exc), choices=", ".join(d.ALL_TABLES)) from None
    suffix = Path(args.out).suffix.lower() if args.out else ""
    if args.out and suffix not in (".xlsx", ".pdf", ".json"):
        raise BadOutput()
    # Files leave the office: small counts are withheld unless told otherwise. The JSON on
    # the screen is for scripts on this computer.
    below = args.suppress_below if args.suppress_below is not None else (
        d.DEFAULT_SUPPRESS_BELOW if args.out else 0)
    year = AcademicYear.parse(_year(args.year))
    if args.as_of:
        try:
            as_of = parse_date(args.as_of)
        except ValueError:
            raise BadDate(text=args.as_of) from None
    else:
        as_of = d.default_as_of(year, date.today())
    with _open(args) as store:
        request = Request(_territory(store, args), year, as_of, tables)
        report = compute_report(store, request)
        weights = teacher_weights(store)
    if args.json:
        json.dump(to_json(report, lang=lang, suppress_below=below), sys.stdout,
                  ensure_ascii=False, indent=1)
        print()
        return 0
    if suffix == ".xlsx":
        path = write_xlsx(report, args.out, lang=lang, suppress_below=below, weights=weights)
    elif suffix == ".pdf":
        path = write_pdf(report, args.out, lang=lang, suppress_below=below)
    else:
        path = write_json(report, args.out, lang=lang, suppress_below=below)
    print(_("Written: {path} ({count} tables)").format(path=path, count=len(report.tables)))
    return 0
