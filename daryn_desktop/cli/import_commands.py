"""``daryn import``: class lists, schools, staff and results from spreadsheets; templates;
undoing an import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from daryn_desktop.cli.commands import _open
from daryn_desktop.cli.roadmap_commands import _school_id
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import EventKind, EventLevel
from daryn_desktop.core.imports import values as v
from daryn_desktop.core.imports.fields import ImportKind
from daryn_desktop.core.imports.layout import parse_map_option
from daryn_desktop.core.imports.plan import ImportPlan, RowStatus
from daryn_desktop.core.imports.results import EventInfo
from daryn_desktop.core.progress import Progress
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _, ngettext
from daryn_desktop.reports.import_files import rejected_path, write_rejected, write_template
from daryn_desktop.spreadsheets.importer import ImportRequest, plan_import, run_import
from daryn_desktop.storage.imports import MSG_UNDONE, recent_batches, undo_import
from daryn_desktop.storage.registry import default_author


class BadOption(UserError):
    message = N_("{option}: {reason}")


class NoImports(UserError):
    message = N_("No import was made in this database.")


def _progress(report: Progress) -> None:
    if sys.stderr.isatty() and report.message:
        print(f"\r{report.message[:100]:<100}", end="", file=sys.stderr, flush=True)


def _event(args: argparse.Namespace) -> EventInfo:
    def word(enum, value, option):
        if value is None:
            return None
        try:
            return v.word(enum, value)
        except v.CellProblem as exc:
            raise BadOption(option=option, reason=_(exc.message).format(**exc.params)) from exc

    year = None
    if args.year:
        try:
            year = AcademicYear.parse(args.year).label
        except ValueError as exc:
            raise BadOption(option="--year", reason=str(exc)) from exc
    day = None
    if args.date:
        try:
            day = v.a_date(args.date)
        except v.CellProblem as exc:
            raise BadOption(option="--date", reason=_(exc.message).format(**exc.params)) from exc
    return EventInfo(name=args.event, level=word(EventLevel, args.level, "--level"),
                     kind=word(EventKind, args.event_kind, "--event-kind")
                     or EventKind.SUBJECT_OLYMPIAD,
                     academic_year=year, date=day, subject=args.subject)


def _print_plan(plan: ImportPlan) -> None:
    print(_("{file}, sheet “{sheet}”: {summary}.").format(
        file=plan.file_name, sheet=plan.sheet, summary=plan.summary()))
    if plan.layout.header_rows:
        print(_("Header in row {row}; columns: {columns}.").format(
            row=plan.layout.header_rows[0] + 1,
            columns=", ".join(f"{plan.layout.header_of(c)} → {key}" for c, key in sorted(
                plan.layout.mapping.items()) if key != "ignore")))
    if plan.new_schools:
        print(_("New schools: {names}.").format(names=", ".join(plan.new_schools)))
    if plan.row_counts.skipped or plan.row_counts.headings:
        print(_("Rows read as titles, sub-headings or totals: {count}.").format(
            count=plan.row_counts.skipped + plan.row_counts.headings))
    for row in plan.rows:
        if row.status == RowStatus.REJECTED:
            print(_("Row {row}: {reason}").format(row=row.number, reason=row.reason()))
        elif row.warnings:
            print(_("Row {row} (imported): {note}").format(row=row.number, note=row.notes()))


def import_rows(args: argparse.Namespace) -> int:
    kind = ImportKind(args.kind)
    overrides = parse_map_option(args.map or [])
    event = _event(args) if kind == ImportKind.RESULTS else EventInfo()
    with _open(args) as store:
        request = ImportRequest(Path(args.file), kind, sheet=args.sheet, overrides=overrides,
                                school_id=_school_id(store, args.school) if args.school else None,
                                create_schools=args.create_schools, event=event)
        plan = plan_import(store, request, progress=_progress)
        if sys.stderr.isatty():
            print(file=sys.stderr)
        _print_plan(plan)
        if args.dry_run:
            print(_("Dry run: nothing was written."))
            return 0
        batch = run_import(store, plan, author=default_author(), progress=_progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if batch is None:
        print(_("Nothing to change: the registry already holds everything in the file."))
    else:
        print(_("Imported. To take it back: daryn import undo {id}").format(id=batch.id))
    if plan.rejected:
        path = write_rejected(plan, rejected_path(args.file))
        print(ngettext("{count} row was not imported; it is in {path} with its reason.",
                       "{count} rows were not imported; they are in {path} with their reasons.",
                       len(plan.rejected)).format(count=len(plan.rejected), path=path))
    return 0


def import_template(args: argparse.Namespace) -> int:
    with _open(args) as store:
        path = write_template(store, ImportKind(args.kind), args.out)
    print(_("Wrote the template to {path}.").format(path=path))
    return 0


def import_undo(args: argparse.Namespace) -> int:
    with _open(args) as store:
        batch_id = args.batch
        if batch_id == "last":
            batches = recent_batches(store, 1)
            if not batches:
                raise NoImports()
            batch_id = batches[0].id
        result = undo_import(store, batch_id, author=default_author())
    print(_(MSG_UNDONE).format(restored=result.restored, taken=result.taken_back,
                                kept=result.kept))
    return 0


def import_history(args: argparse.Namespace) -> int:
    with _open(args) as store:
        batches = recent_batches(store, args.limit)
    for b in batches:
        state = _("undone {date}").format(date=format_date(b.undone_at.date())) \
            if b.undone_at else ""
        print(f"{b.id}  {format_date(b.at.date())}  {b.kind:<8}  {b.file_name}  "
              + _("{new} new, {changed} changed, {rejected} rejected").format(
                  new=b.new, changed=b.changed, rejected=b.rejected) + f"  {state}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``daryn import …`` to the command line."""
    p = sub.add_parser("import", help=_("import class lists, schools, staff or results from"
                                        " Excel or CSV"))
    kinds = p.add_subparsers(dest="import_command", required=True, metavar="KIND")
    for kind, text in ((ImportKind.PUPILS, _("a class list (pupils)")),
                       (ImportKind.SCHOOLS, _("a list of schools")),
                       (ImportKind.STAFF, _("a list of teachers and specialists")),
                       (ImportKind.RESULTS, _("the results of an event"))):
        q = kinds.add_parser(kind.value, help=text)
        q.add_argument("file", metavar="FILE", help=_(".xlsx, .xls, .ods or .csv"))
        q.add_argument("--sheet", help=_("the sheet to read (default: the first)"))
        q.add_argument("--school", metavar="ID",
                       help=_("the school of rows that name none"))
        q.add_argument("--map", action="append", metavar="Column=field",
                       help=_("read a column as a field (may be repeated; field “-” leaves"
                              " a column out)"))
        q.add_argument("--dry-run", action="store_true",
                       help=_("only show what would be imported"))
        if kind in (ImportKind.PUPILS, ImportKind.STAFF):
            q.add_argument("--create-schools", action="store_true",
                           help=_("create the schools the list names that are not registered"
                                  " (their settlement is found from the name)"))
        else:
            q.set_defaults(create_schools=False)
        if kind == ImportKind.RESULTS:
            q.add_argument("--event", help=_("the event, when the rows do not name it"))
            q.add_argument("--level", help=_("its level (облыстық, республикалық …)"))
            q.add_argument("--event-kind", help=_("its kind (default: subject olympiad)"))
            q.add_argument("--year", metavar="YYYY-YYYY", help=_("its academic year"))
            q.add_argument("--date", help=_("its date (dd.mm.yyyy)"))
            q.add_argument("--subject", help=_("its subject, when the rows do not name it"))
        q.set_defaults(func=import_rows, kind=kind.value)

    q = kinds.add_parser("template", help=_("an empty list to fill in, with kk/ru headers and"
                                            " a codes sheet"))
    q.add_argument("kind", choices=[k.value for k in ImportKind])
    q.add_argument("--out", required=True, metavar="FILE.xlsx")
    q.set_defaults(func=import_template)

    q = kinds.add_parser("undo", help=_("take an import back as one unit"))
    q.add_argument("batch", metavar="ID|last", help=_("the import's id, or “last”"))
    q.set_defaults(func=import_undo)

    q = kinds.add_parser("history", help=_("the imports made in this database"))
    q.add_argument("--limit", type=int, default=20)
    q.set_defaults(func=import_history)

