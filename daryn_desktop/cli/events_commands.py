"""``daryn events``, ``daryn support`` and ``daryn staff``: the calendar, results, support.

    daryn events list [--year Y] [--json]
    daryn events coming [--days N] [--json]
    daryn events new --template rural_olympiad [--year Y]
    daryn events results EVENT_ID [--stage STAGE] [--json | --out FILE.xlsx]
    daryn events team-list STAGE_ID [--school ID] [--lang kk|ru] --out FILE.pdf
    daryn events school-history --school ID [--min-level L] [--lang kk|ru] --out FILE.pdf
    daryn support eligible --measure scholarship|forum|… [--year Y] [--json | --out FILE.xlsx]
    daryn support list [--measure M] [--year Y] [--order N] [--json]
    daryn support forum-list [--year Y] [--lang kk|ru] --out FILE.pdf
    daryn support scholarship-list --order N [--year Y] [--lang kk|ru] --out FILE.pdf
    daryn staff untrained [--years 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from daryn_desktop.cli.arguments import file_ending, whole_number
from daryn_desktop.cli.commands import _open
from daryn_desktop.cli.roadmap_commands import DOCUMENT_LANGUAGES, _school_id, _year
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import EventLevel, SupportMeasure
from daryn_desktop.core.events import EventStage, EventTemplate
from daryn_desktop.core.staffdev import TRAINING_PERIOD_YEARS
from daryn_desktop.core.support import REGISTER_MEASURES, describe_rule
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _, ngettext
from daryn_desktop.reports.events_pdf import (
    print_forum_list,
    print_scholarship_list,
    print_school_history,
    print_team_list,
)
from daryn_desktop.reports.tables_xlsx import save_rows
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.events import Events, ResultRow
from daryn_desktop.storage.staffdev import StaffDevelopment
from daryn_desktop.storage.support import Support

LEVELS = [level.value for level in EventLevel]
MEASURES = [m.value for m in REGISTER_MEASURES]


class UnknownEvent(UserError):
    message = N_("No event has the id {value}.")
    hint = N_("“daryn events list” shows the ids.")


class UnknownStage(UserError):
    message = N_("The event has no stage “{value}”.")
    hint = N_("Give the stage's id or its level: school, district, regional, republican,"
              " international.")


class UnknownOrder(UserError):
    message = N_("No scholarship was granted by an order “{order}”; the orders: {known}.")


class AmbiguousId(UserError):
    message = N_("“{value}” is the beginning of more than one id.")
    hint = N_("Give more of the id (the lists show it whole).")


def _find(store: Store, table: str, value: str) -> str | None:
    """A full id, or the one id of ``table`` that starts with ``value`` (8 characters or more)."""
    value = value.strip().lower()
    if store.db.execute(f"SELECT 1 FROM [{table}] WHERE id = ?", [value]).fetchone():
        return value
    if len(value) >= 8:
        found = store.db.execute(f"SELECT id FROM [{table}] WHERE id LIKE ? LIMIT 2",
                                 [value + "%"]).fetchall()
        if len(found) == 1:
            return found[0][0]
        if found:
            raise AmbiguousId(value=value)
    return None


def _event_id(store: Store, value: str) -> str:
    found = _find(store, "events", value)
    if found is None:
        raise UnknownEvent(value=value)
    return found


def _stage(events: Events, event_id: str, value: str) -> EventStage:
    for stage in events.stages(event_id):
        if value in (stage.id, stage.level.value) or (len(value) >= 8 and
                                                      stage.id.startswith(value.lower())):
            return stage
    raise UnknownStage(value=value)


def _dump(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _period(start: date | None, end: date | None) -> str:
    if start and end and start != end:
        return f"{format_date(start)}–{format_date(end)}"
    return format_date(start or end) or "…"


# -- events ----------------------------------------------------------------------------------
def _stage_json(stage: EventStage) -> dict[str, Any]:
    return {"id": stage.id, "level": stage.level.value, "name": stage.name,
            "start": _iso(stage.start_date), "end": _iso(stage.end_date),
            "registration_deadline": _iso(stage.registration_deadline), "venue": stage.venue}


def events_list(args: argparse.Namespace) -> int:
    year = None if args.all_years else _year(args.year)
    with _open(args) as store:
        rows = Events(store).list_events(year)
    if args.json:
        _dump([{"id": r.event.id, "name": r.event.name, "kind": r.event.kind.value,
                "level": r.event.level.value, "academic_year": r.event.academic_year,
                "subjects": r.event.subject, "grades": [r.event.grade_from, r.event.grade_to],
                "organiser": r.event.organiser, "district": r.event.district_kato,
                "participants": r.participants, "stages": [_stage_json(s) for s in r.stages]}
               for r in rows])
        return 0
    for r in rows:
        print(f"{r.event.id}  {r.event.academic_year}  {r.event.name}  ({r.event.level.label})")
        for s in r.stages:
            deadline = (_("registration until {date}").format(
                date=format_date(s.registration_deadline)) if s.registration_deadline else "")
            print(f"    {s.title():<28} {_period(s.start_date, s.end_date):<24} {deadline}"
                  f"  {s.id}")
    print(ngettext("{count} event", "{count} events", len(rows)).format(count=len(rows)))
    return 0


def events_coming(args: argparse.Namespace) -> int:
    with _open(args) as store:
        dates = Events(store).coming(date.today(), days=args.days)
    if args.json:
        _dump([{"date": d.day.isoformat(), "what": d.kind.value, "event_id": d.event.id,
                "event": d.event.name, "stage_id": d.stage.id, "stage": d.stage.level.value}
               for d in dates])
        return 0
    for d in dates:
        print(f"{format_date(d.day)}  {d.kind.label:<22} {d.event.name} — {d.stage.title()}")
    if not dates:
        print(_("Nothing is coming up."))
    return 0


def events_new(args: argparse.Namespace) -> int:
    with _open(args) as store:
        event = Events(store).create_from_template(EventTemplate(args.template),
                                                   _year(args.year))
        stages = Events(store).stages(event.id)
    print(_("Created “{name}” ({year}) with {count} stages: {id}").format(
        name=event.name, year=event.academic_year, count=len(stages), id=event.id))
    return 0


def _result_json(row: ResultRow) -> dict[str, Any]:
    p = row.participant
    return {"participant_id": p.id, "pupil_id": p.pupil_id, "pupil": row.full_name,
            "iin": row.iin, "grade": row.grade, "school": row.school_name,
            "subject": p.subject, "teacher": row.teacher_name, "withdrawn": p.withdrawn,
            "award": row.award.value if row.award else None, "score": row.score,
            "place": row.place}


def events_results(args: argparse.Namespace) -> int:
    with _open(args) as store:
        events = Events(store)
        event = events.event(_event_id(store, args.event))
        stage_id = _stage(events, event.id, args.stage).id if args.stage else None
        found = events.event_results(event.id, stage_id)
    if args.out:
        lines = [[stage.title(), r.full_name, r.iin, f"{r.grade}{r.class_letter or ''}",
                  r.school_name, r.participant.subject or "", r.teacher_name or "", r.score,
                  r.place, r.award.label if r.award else "",
                  _("yes") if r.participant.withdrawn else ""]
                 for stage, results in found for r in results]
        save_rows(args.out, event.name, [
            _("Stage"), _("Pupil"), _("IIN"), _("Grade"), _("School"), _("Subject"),
            _("Preparing teacher"), _("Score"), _("Place"), _("Award"),
            _("Did not take part")], lines, heading=[event.academic_year])
        print(_("Wrote the spreadsheet {path}.").format(path=args.out))
        return 0
    if args.json:
        _dump({"event": {"id": event.id, "name": event.name,
                         "academic_year": event.academic_year},
               "stages": [{**_stage_json(s), "results": [_result_json(r) for r in rows]}
                          for s, rows in found]})
        return 0
    print(f"{event.name} ({event.academic_year})")
    for stage, rows in found:
        print(f"\n{stage.title()}, {_period(stage.start_date, stage.end_date)}")
        for r in rows:
            result = (r.award.label if r.award else
                      _("did not take part") if r.participant.withdrawn else "—")
            score = f"{r.score:g}" if r.score is not None else ""
            print(f"  {r.full_name:<36} {r.grade:>3}  {r.school_name[:40]:<40}"
                  f" {r.participant.subject or '':<16} {score:>6}  {result}")
        print("  " + ngettext("{count} participant", "{count} participants",
                              len(rows)).format(count=len(rows)))
    return 0


def events_team_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        stage_id = _find(store, "event_stages", args.stage)
        if stage_id is None:
            raise UnknownStage(value=args.stage)
        school = _school_id(store, args.school) if args.school else None
        path = print_team_list(store, stage_id, args.out, lang=args.doc_lang, school_id=school)
    print(_("Wrote the list to {path}.").format(path=path))
    return 0


def events_school_history(args: argparse.Namespace) -> int:
    with _open(args) as store:
        path = print_school_history(store, _school_id(store, args.school), args.out,
                                    min_level=EventLevel(args.min_level), lang=args.doc_lang)
    print(_("Wrote the list to {path}.").format(path=path))
    return 0


# -- support ---------------------------------------------------------------------------------
def support_eligible(args: argparse.Namespace) -> int:
    measure = SupportMeasure(args.measure)
    year = _year(args.year)
    with _open(args) as store:
        support = Support(store)
        rule = support.rule(measure)
        found = support.eligible(measure, year)
    if args.out:
        save_rows(args.out, measure.label, [
            _("Pupil"), _("Grade"), _("School"), _("District"), _("Target groups"),
            _("Qualifying result"), _("Results")], [
            [c.pupil.full_name, c.pupil.grade, c.pupil.school_name, c.pupil.district_kato,
             ", ".join(_(g) for g in c.pupil.groups),
             f"{c.basis.event_name} — {c.basis.level.label}, {c.basis.award.label}",
             c.results] for c in found], heading=[year, *describe_rule(rule)])
        print(_("Wrote the spreadsheet {path}.").format(path=args.out))
        return 0
    if args.json:
        _dump({"measure": measure.value, "academic_year": year, "rule": json.loads(
            rule.to_json()), "candidates": [
            {"pupil_id": c.pupil.pupil_id, "pupil": c.pupil.full_name, "grade": c.pupil.grade,
             "school": c.pupil.school_name, "district": c.pupil.district_kato,
             "groups": [_(g) for g in c.pupil.groups], "results": c.results,
             "basis": {"achievement_id": c.basis.achievement_id, "event": c.basis.event_name,
                       "level": c.basis.level.value, "award": c.basis.award.value,
                       "academic_year": c.basis.academic_year, "subject": c.basis.subject}}
            for c in found]})
        return 0
    print(_("{measure}, {year}. The rule:").format(measure=measure.label, year=year))
    for line in describe_rule(rule):
        print(f"  – {line}")
    print()
    for c in found:
        print(f"{c.pupil.full_name:<36} {c.pupil.grade:>3}  {c.pupil.school_name[:40]:<40}"
              f"  {c.basis.event_name} — {c.basis.level.label}, {c.basis.award.label}")
    print(ngettext("{count} candidate", "{count} candidates", len(found)).format(
        count=len(found)))
    return 0


def support_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rows = Support(store).rows(
            measure=SupportMeasure(args.measure) if args.measure else None,
            academic_year=_year(args.year) if args.year else None, order_number=args.order)
    if args.json:
        _dump([{"id": r.record.id, "pupil_id": r.record.pupil_id, "pupil": r.full_name,
                "school": r.school_name, "measure": r.record.measure.value,
                "academic_year": r.record.academic_year, "status": r.record.status.value,
                "kind": r.record.kind.value if r.record.kind else None,
                "title": r.record.title, "amount": r.record.amount,
                "start": _iso(r.record.start_date), "end": _iso(r.record.end_date),
                "place": r.record.place, "order_number": r.record.order_number,
                "order_date": _iso(r.record.order_date),
                "activity_id": r.record.activity_id} for r in rows])
        return 0
    for r in rows:
        print(f"{r.full_name:<36} {r.record.measure.label:<28} {r.record.status.label:<12}"
              f" {r.record.order_number or ''}")
    print(ngettext("{count} record", "{count} records", len(rows)).format(count=len(rows)))
    return 0


def support_forum_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        path = print_forum_list(store, args.out, academic_year=_year(args.year),
                                lang=args.doc_lang)
    print(_("Wrote the list to {path}.").format(path=path))
    return 0


def support_scholarship_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        year = _year(args.year) if args.year else None
        known = Support(store).order_numbers(SupportMeasure.SCHOLARSHIP, year)
        if args.order not in known:  # a typing slip would print an empty order
            raise UnknownOrder(order=args.order, known=", ".join(known) or "—")
        path = print_scholarship_list(store, args.out, order_number=args.order,
                                      academic_year=_year(args.year) if args.year else None,
                                      lang=args.doc_lang)
    print(_("Wrote the list to {path}.").format(path=path))
    return 0


def staff_untrained(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rows = StaffDevelopment(store).overview(untrained_only=True, years=args.years)
    if args.json:
        _dump([{"staff_id": r.staff.id, "name": r.staff.full_name, "role": r.staff.role.value,
                "school": r.school_name, "last_trained": _iso(r.last_trained)} for r in rows])
        return 0
    for r in rows:
        last = format_date(r.last_trained) if r.last_trained else _("never")
        print(f"{r.staff.full_name:<36} {r.staff.role.label:<14} {last:<12}"
              f" {r.school_name or ''}")
    print(ngettext("{count} person", "{count} people", len(rows)).format(count=len(rows)))
    return 0


def _out(q: argparse.ArgumentParser) -> None:
    q.add_argument("--lang", dest="doc_lang", choices=DOCUMENT_LANGUAGES,
                   help=_("language of the document (default: the program's)"))
    q.add_argument("--out", required=True, metavar="FILE.pdf", type=file_ending(".pdf"),
                   help=_("the PDF to write"))


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``daryn events``, ``daryn support`` and ``daryn staff`` to the command line."""
    year_help = _("academic year (default: the current one)")
    p = sub.add_parser("events", help=_("the events calendar and the results of its stages"))
    commands = p.add_subparsers(dest="events_command", required=True, metavar="COMMAND")
    q = commands.add_parser("list", help=_("the events of an academic year with their stages"))
    q.add_argument("--year", metavar="YYYY-YYYY", help=year_help)
    q.add_argument("--all-years", action="store_true", help=_("events of every year"))
    q.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    q.set_defaults(func=events_list)
    q = commands.add_parser("coming", help=_("registration deadlines and stages coming up"))
    q.add_argument("--days", type=whole_number(1, 3660), default=60, metavar="N",
                   help=_("how many days ahead (default: 60)"))
    q.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    q.set_defaults(func=events_coming)
    q = commands.add_parser("new", help=_("create an event with its stages from a template"))
    q.add_argument("--template", required=True, choices=[t.value for t in EventTemplate])
    q.add_argument("--year", metavar="YYYY-YYYY", help=year_help)
    q.set_defaults(func=events_new)
    q = commands.add_parser("results", help=_("the participants and results of an event"))
    q.add_argument("event", metavar="EVENT_ID")
    q.add_argument("--stage", metavar="STAGE",
                   help=_("one stage: its id or level (school, district, regional …)"))
    q.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    q.add_argument("--out", metavar="FILE.xlsx", type=file_ending(".xlsx"),
                   help=_("the spreadsheet to write (instead of the text)"))
    q.set_defaults(func=events_results)
    q = commands.add_parser("team-list", help=_("a stage's team list as an application (PDF)"))
    q.add_argument("stage", metavar="STAGE_ID")
    q.add_argument("--school", metavar="ID", help=_("only the pupils of this school"))
    _out(q)
    q.set_defaults(func=events_team_list)
    q = commands.add_parser("school-history", help=_("a school's results, year by year (PDF)"))
    q.add_argument("--school", required=True, metavar="ID")
    q.add_argument("--min-level", choices=LEVELS, default=EventLevel.SCHOOL.value,
                   help=_("the lowest level listed (default: school)"))
    _out(q)
    q.set_defaults(func=events_school_history)

    p = sub.add_parser("support", help=_("the support register and its eligibility lists"))
    commands = p.add_subparsers(dest="support_command", required=True, metavar="COMMAND")
    q = commands.add_parser("eligible", help=_("who is eligible for a measure, and why"))
    q.add_argument("--measure", required=True, choices=MEASURES)
    q.add_argument("--year", metavar="YYYY-YYYY", help=year_help)
    q.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    q.add_argument("--out", metavar="FILE.xlsx", type=file_ending(".xlsx"),
                   help=_("the spreadsheet to write (instead of the text)"))
    q.set_defaults(func=support_eligible)
    q = commands.add_parser("list", help=_("records of the support register"))
    q.add_argument("--measure", choices=MEASURES)
    q.add_argument("--year", metavar="YYYY-YYYY")
    q.add_argument("--order", metavar="NUMBER", help=_("only the records of this order"))
    q.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    q.set_defaults(func=support_list)
    q = commands.add_parser("forum-list", help=_("the forum invitation list (PDF)"))
    q.add_argument("--year", metavar="YYYY-YYYY", help=year_help)
    _out(q)
    q.set_defaults(func=support_forum_list)
    q = commands.add_parser("scholarship-list", help=_("the scholarship list of an order (PDF)"))
    q.add_argument("--order", required=True, metavar="NUMBER")
    q.add_argument("--year", metavar="YYYY-YYYY")
    _out(q)
    q.set_defaults(func=support_scholarship_list)

    p = sub.add_parser("staff", help=_("teachers' and psychologists' professional development"))
    commands = p.add_subparsers(dest="staff_command", required=True, metavar="COMMAND")
    q = commands.add_parser("untrained", help=_("staff with no course in the last years"))
    q.add_argument("--years", type=whole_number(1, 50), default=TRAINING_PERIOD_YEARS,
                   metavar="N",
                   help=_("how many years back (default: 3)"))
    q.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    q.set_defaults(func=staff_untrained)
