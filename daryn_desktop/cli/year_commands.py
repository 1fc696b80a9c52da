"""``daryn year rollover``: the new academic year, previewed with --dry-run."""

from __future__ import annotations

import argparse
import sys

from daryn_desktop.cli.commands import _open
from daryn_desktop.cli.roadmap_commands import BadYear, _pupil_id
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.progress import Progress
from daryn_desktop.i18n import _
from daryn_desktop.storage.registry import default_author
from daryn_desktop.storage.rollover import (
    MSG_DONE,
    RolloverPreview,
    apply_rollover,
    preview_rollover,
)


def _progress(report: Progress) -> None:
    if sys.stderr.isatty() and report.message:
        print(f"\r{report.message[:100]:<100}", end="", file=sys.stderr, flush=True)


def print_preview(preview: RolloverPreview, *, close_maps: bool, continue_maps: bool) -> None:
    plan = preview.plan
    print(_("From {old} to {new}:").format(old=plan.from_year.label, new=plan.to_year.label))
    print(f"{_('Grade'):>8}  {_('Now'):>8}  {_('After'):>8}")
    for grade in sorted(set(plan.before) | set(plan.after)):
        label = _("Pre-school class") if grade == 0 else str(grade)
        print(f"{label:>8}  {plan.before.get(grade, 0):>8}  {plan.after.get(grade, 0):>8}")
    print(_("Finish school (archived as graduated): {count}").format(count=len(plan.graduates)))
    if plan.leavers:
        print(_("Leave after grade 9: {count}").format(count=len(plan.leavers)))
    if preview.left_to_districts:
        print(_("Pupils of districts with their own installation, moved up there: {count}")
              .format(count=preview.left_to_districts))
    if close_maps and preview.open_maps:
        print(_("Road maps of {year} still open, to be closed: {count}").format(
            year=plan.from_year.label, count=len(preview.open_maps)))
    else:
        print(_("Road maps of {year} still open: {count}").format(
            year=plan.from_year.label, count=len(preview.open_maps)))
    print(_("Drafts for {year} started from last year's road maps: {count}").format(
        year=plan.to_year.label, count=len(preview.continuable) if continue_maps else 0))


def rollover(args: argparse.Namespace) -> int:
    try:
        target = AcademicYear.parse(args.to)
    except ValueError as exc:
        raise BadYear(text=args.to) from exc
    close_maps, continue_maps = not args.keep_open, not args.no_drafts
    with _open(args) as store:
        leaving = [_pupil_id(store, value) for value in args.leaving or []]
        preview = preview_rollover(store, target, leaving_after_9=leaving)
        print_preview(preview, close_maps=close_maps, continue_maps=continue_maps)
        if args.dry_run:
            print(_("Dry run: nothing was written."))
            return 0
        result = apply_rollover(store, preview, close_maps=close_maps,
                                continue_maps=continue_maps, author=default_author(),
                                progress=_progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(_(MSG_DONE).format(
        year=target.label, promoted=result.promoted, left=result.graduated,
        closed=result.closed_maps, drafts=result.continued_maps))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``daryn year …`` to the command line."""
    p = sub.add_parser("year", help=_("the academic year: move the registry to the next one"))
    commands = p.add_subparsers(dest="year_command", required=True, metavar="COMMAND")
    q = commands.add_parser("rollover", help=_("grades +1, school leavers archived, road maps"
                                               " closed and continued"))
    q.add_argument("--to", required=True, metavar="YYYY-YYYY", help=_("the new academic year"))
    q.add_argument("--dry-run", action="store_true", help=_("only show what would change"))
    q.add_argument("--leaving", action="append", metavar="ID|IIN",
                   help=_("a grade-9 pupil who leaves school (may be repeated)"))
    q.add_argument("--keep-open", action="store_true",
                   help=_("do not close the road maps of the year that ends"))
    q.add_argument("--no-drafts", action="store_true",
                   help=_("do not start next year's drafts from last year's road maps"))
    q.set_defaults(func=rollover)
