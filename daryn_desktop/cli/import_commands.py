"""``daryn import``: class lists, schools, staff and results from spreadsheets; templates;
undoing an import."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TypeVar

from daryn_desktop.cli.arguments import file_ending
from daryn_desktop.cli.commands import _open
from daryn_desktop.cli.events_commands import UnknownEvent, _find, _stage
from daryn_desktop.cli.roadmap_commands import _school_id
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import EventKind, EventLevel
from daryn_desktop.core.events import current_stage, stage_period
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
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.events import Events
from daryn_desktop.storage.imports import (
    MSG_UNDONE,
    RegistryChanged,
    recent_batches,
    undo_import,
)
from daryn_desktop.storage.registry import default_author

E = TypeVar("E", bound=Enum)


class BadOption(UserError):
    message = N_("{option}: {reason}")


class NoImports(UserError):
    message = N_("No import was made in this database.")


class NoSuchStage(UserError):
    message = N_("No stage of an event has the id {value}.")
    hint = N_("“daryn events list” shows the events with their stages' ids.")


class ChooseStage(UserError):
    message = N_("Which stage of “{event}” are these the results of? {stages}")
    hint = N_("Add --stage with the stage's level (for example --stage district) or its id.")


class NotWithStage(UserError):
    message = N_("{option}: the stage gives the event, its level, kind, year and dates; leave"
                 " {option} out.")


def _progress(report: Progress) -> None:
    if sys.stderr.isatty() and report.message:
        print(f"\r{report.message[:100]:<100}", end="", file=sys.stderr, flush=True)


def _word(enum: type[E], value: str | None, option: str) -> E | None:
    if value is None:
        return None
    try:
        return v.word(enum, value)
    except v.CellProblem as exc:
        raise BadOption(option=option, reason=_(exc.message).format(**exc.params)) from exc


def _event(args: argparse.Namespace) -> EventInfo:
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
    return EventInfo(name=args.event, level=_word(EventLevel, args.level, "--level"),
                     kind=_word(EventKind, args.event_kind, "--event-kind")
                     or EventKind.SUBJECT_OLYMPIAD,
                     academic_year=year, date=day, subject=args.subject)


def _print_plan(plan: ImportPlan) -> None:
    if plan.into:
        print(_("Results of the stage: {stage}").format(stage=plan.into))
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


def _stage_id(store: Store, args: argparse.Namespace) -> str | None:
    """The stage of a calendar event a protocol of results goes into: ``--stage`` (its id, or
    its level with ``--event``), or ``--event`` with the id of a calendar event (the stage of
    ``--level``, else its only stage or the one under way or last begun); None when the
    event is not in the calendar (its results become plain achievements)."""
    event_id = _find(store, "events", args.event) if args.event else None
    if args.stage is None and event_id is None:
        return None
    if args.stage is not None and args.event and event_id is None:
        raise UnknownEvent(value=args.event)
    others = [("--year", args.year), ("--event-kind", args.event_kind), ("--date", args.date)]
    if args.stage is not None:
        others.append(("--level", args.level))
    for option, value in others:
        if value:
            raise NotWithStage(option=option)
    events = Events(store)
    if args.stage is not None and event_id is None:
        found = _find(store, "event_stages", args.stage)
        if found is None:
            raise NoSuchStage(value=args.stage)
        return found
    assert event_id is not None
    if args.stage is not None:
        return _stage(events, event_id, args.stage).id
    level = _word(EventLevel, args.level, "--level")
    if level is not None:
        return _stage(events, event_id, level.value).id
    stages = events.stages(event_id)
    chosen = current_stage(stages, date.today())
    if chosen is None:
        raise ChooseStage(event=events.event(event_id).name, stages="; ".join(
            f"{s.level.value} ({stage_period(s) or '…'})" for s in stages))
    return chosen.id


def _calendar_hint(store: Store, name: str, year: str | None) -> None:
    """Results of an event of the calendar belong in its stage: say so when a protocol names
    one by its name (its results would become achievements beside the stage's grid)."""
    wanted = " ".join(name.split()).casefold()
    for row in Events(store).list_events(year):
        if " ".join(row.event.name.split()).casefold() == wanted:
            print(_("“{name}” is an event of the calendar: to enter these results in its stage,"
                    " give --event {id} (with --stage LEVEL).").format(name=row.event.name,
                                                                     id=row.event.id))
            return


#: Times an import checks its file again when another program wrote meanwhile.
_ATTEMPTS = 3


def import_rows(args: argparse.Namespace) -> int:
    kind = ImportKind(args.kind)
    overrides = parse_map_option(args.map or [])
    with _open(args) as store:
        stage_id = _stage_id(store, args) if kind == ImportKind.RESULTS else None
        if stage_id is not None:
            event = EventInfo(subject=args.subject)
        else:
            event = _event(args) if kind == ImportKind.RESULTS else EventInfo()
        request = ImportRequest(Path(args.file), kind, sheet=args.sheet, overrides=overrides,
                                school_id=_school_id(store, args.school) if args.school else None,
                                create_schools=args.create_schools, event=event,
                                stage_id=stage_id)
        for attempt in range(1, _ATTEMPTS + 1):
            plan = plan_import(store, request, progress=_progress)
            if sys.stderr.isatty():
                print(file=sys.stderr)
            if attempt == 1:
                if kind == ImportKind.RESULTS and stage_id is None and args.event:
                    _calendar_hint(store, args.event, event.academic_year)
                _print_plan(plan)
            if args.dry_run:
                print(_("Dry run: nothing was written."))
                return 0
            # Before anything is written: a folder that cannot take them (a write-protected
            # stick) stops the import, instead of failing once the rows are in.
            rejected = (write_rejected(plan, args.rejected or rejected_path(args.file))
                        if plan.rejected else None)
            try:
                batch = run_import(store, plan, author=default_author(), progress=_progress)
                break
            except RegistryChanged:
                # Another program wrote meanwhile: the file is checked again against what is
                # there now (a list imported twice at once finds its pupils the second time).
                if attempt == _ATTEMPTS:
                    raise
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if batch is None:
        print(_("Nothing to change: the registry already holds everything in the file."))
    else:
        print(_("Imported. To take it back: daryn import undo {id}").format(id=batch.id))
    if rejected is not None:
        print(ngettext("{count} row was not imported; it is in {path} with its reason.",
                       "{count} rows were not imported; they are in {path} with their reasons.",
                       len(plan.rejected)).format(count=len(plan.rejected), path=rejected))
    return 0


def import_template(args: argparse.Namespace) -> int:
    kind = ImportKind(args.kind)
    with _open(args) as store:
        if args.event and _find(store, "events", args.event) is None:
            raise UnknownEvent(value=args.event)
        stage_id = _stage_id(store, args) if kind == ImportKind.RESULTS else None
        if stage_id is None and (args.stage or args.event):
            raise BadOption(option="--stage", reason=_("a protocol is made for a stage of a"
                                                       " calendar event's results"))
        path = write_template(store, kind, args.out, stage_id=stage_id)
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
    if not batches:
        print(_("No import was made in this database yet."))
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
        q.add_argument("--rejected", metavar="FILE.xlsx",
                       help=_("where the rows not imported go (default: FILE.rejected.xlsx"
                              " beside the file)"))
        q.add_argument("--dry-run", action="store_true",
                       help=_("only show what would be imported"))
        if kind in (ImportKind.PUPILS, ImportKind.STAFF):
            q.add_argument("--create-schools", action="store_true",
                           help=_("create the schools the list names that are not registered"
                                  " (their settlement is found from the name)"))
        else:
            q.set_defaults(create_schools=False)
        if kind == ImportKind.RESULTS:
            q.add_argument("--stage", metavar="STAGE_ID",
                           help=_("the stage of a calendar event the protocol is of: its"
                                  " results are entered there as in its grid (an id from"
                                  " “daryn events list”, or a level with --event)"))
            q.add_argument("--event", help=_("the calendar event's id (its stage under way,"
                                             " or the one of --level or --stage); or the name"
                                             " of an event not in the calendar, when the rows"
                                             " do not name it"))
            q.add_argument("--level", help=_("its level (облыстық, республикалық …)"))
            q.add_argument("--event-kind", help=_("its kind (default: subject olympiad)"))
            q.add_argument("--year", metavar="YYYY-YYYY", help=_("its academic year"))
            q.add_argument("--date", help=_("its date (dd.mm.yyyy)"))
            q.add_argument("--subject", help=_("its subject, when the rows do not name it"))
        q.set_defaults(func=import_rows, kind=kind.value)

    q = kinds.add_parser("template", help=_("an empty list to fill in, with kk/ru headers and"
                                            " a codes sheet"))
    q.add_argument("kind", choices=[k.value for k in ImportKind])
    q.add_argument("--out", required=True, metavar="FILE.xlsx", type=file_ending(".xlsx"))
    q.add_argument("--stage", metavar="STAGE_ID",
                   help=_("results: the protocol of a stage of a calendar event, with its"
                          " participants listed (its id, or its level with --event)"))
    q.add_argument("--event", metavar="EVENT_ID", help=_("results: the calendar event"))
    q.set_defaults(func=import_template, level=None, year=None, event_kind=None, date=None)

    q = kinds.add_parser("undo", help=_("take an import back as one unit"))
    q.add_argument("batch", metavar="ID|last", help=_("the import's id, or “last”"))
    q.set_defaults(func=import_undo)

    q = kinds.add_parser("history", help=_("the imports made in this database"))
    q.add_argument("--limit", type=int, default=20)
    q.set_defaults(func=import_history)

