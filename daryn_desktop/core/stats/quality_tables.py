"""T6 (data quality and sync, by district) and the list of children registered twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.duplicates import (
    IIN_CLASH,
    PROBABLE,
    SAME_CHILD,
    DuplicateGroup,
)
from daryn_desktop.core.stats.facts import PupilRow, Register, RegisterData
from daryn_desktop.core.stats.model import (
    NUMBER,
    TEXT,
    TOTAL,
    Cell,
    Column,
    Msg,
    PlaceName,
    Row,
    Table,
)
from daryn_desktop.core.stats.pupil_tables import FIGURE_TITLES, headline_figures
from daryn_desktop.core.stats.tally import Tally, ordered_districts
from daryn_desktop.i18n import N_

KIND_TITLES = {SAME_CHILD: N_("The same child (same IIN and name)"),
               IIN_CLASH: N_("Same IIN, different names"),
               PROBABLE: N_("Probably the same child (same name and birth date)")}
IN_AGREEMENT = N_("in agreement")
NO_FIGURES = N_("no figures received")


def t6_columns() -> list[Column]:
    return [Column("pupils", Msg(N_("Pupils"))),
            Column("last_bundle", Msg(N_("Last bundle received")), TEXT),
            Column("days", Msg(N_("Days since")), NUMBER),
            Column("unacknowledged", Msg(N_("Our changes not yet acknowledged")), NUMBER),
            Column("waiting", Msg(N_("Their changes not yet confirmed back")), NUMBER),
            Column("conflicts", Msg(N_("Conflicts waiting for a person")), NUMBER),
            Column("no_iin", Msg(N_("Without IIN"))),
            Column("no_consent", Msg(N_("Without consent"))),
            Column("no_school", Msg(N_("Without a school in use"))),
            Column("undated_category", Msg(N_("Categories without a date"))),
            Column(SAME_CHILD, Msg(N_("Same child in two records"))),
            Column(IIN_CLASH, Msg(N_("Same IIN, different names"))),
            Column(PROBABLE, Msg(N_("Probable duplicates"))),
            Column("figures", Msg(N_("District's figures")), TEXT)]


def _compare(data: RegisterData, groups: Sequence[DuplicateGroup], district: str,
             rows: list[PupilRow]) -> Cell:
    """The district's own figures (from its last bundle) against the same computed here."""
    received = data.sync.figures.get(district)
    if received is None:
        return Cell(Msg(NO_FIGURES))
    at, figures = received
    try:
        year = AcademicYear.parse(str(figures["year"]))
        as_of = date.fromisoformat(str(figures["as_of"]))
        theirs = {k: int(v) for k, v in figures["figures"].items()}
    except (KeyError, ValueError, TypeError, AttributeError):
        return Cell(Msg(NO_FIGURES))
    if year != data.year:
        return Cell(Msg(N_("figures of {year} received {date}"),
                        (("year", year.label), ("date", format_date(date.fromisoformat(
                            at[:10]))))))
    register = Register(data, groups, rows=rows)
    ours = headline_figures(register, year, as_of)
    differences = [Msg(N_("{figure}: {theirs} there, {ours} here"), (
        ("figure", Msg(FIGURE_TITLES.get(key, key))), ("theirs", theirs[key]),
        ("ours", ours.get(key, 0)))) for key in sorted(theirs) if theirs[key] != ours.get(key)]
    if not differences:
        return Cell(Msg(IN_AGREEMENT))
    return Cell(tuple(differences))


def _districts_of(data: RegisterData, ids: set[str]) -> dict[str, str]:
    """The district of each of these records (by its school; "" for none)."""
    out: dict[str, str] = {}
    if not ids:
        return out
    for row in data.pupils:
        if row[0] in ids:
            school = data.schools.get(row[5])
            out[row[0]] = school.district if school else ""
    return out


def t6(register: Register, groups: Sequence[DuplicateGroup], as_of: date) -> Table:
    """Per district: completeness of the records, exchange with the district, duplicates."""
    data = register.data
    sync = data.sync
    quality = Tally()
    signatures = quality.groups
    by_district: dict[str, list[PupilRow]] = {}
    # The district of a record is asked only for the records of the duplicate groups.
    schools, categories = data.schools.get, data.categories.get
    for row in data.pupils:
        if row[8] or row[4] != "active":  # archived as a duplicate; not studying
            continue
        school = schools(row[5])
        problems: tuple[str, ...] = ()
        if not row[1]:
            problems += ("no_iin",)
        if not row[6]:
            problems += ("no_consent",)
        if school is None or school.archived:
            problems += ("no_school",)
        found = categories(row[0])
        if found and any(since is None for _c, since, _u in found):
            problems += ("undated_category",)
        if problems:
            quality.add((school.district if school else "", problems), row[0])
    for child in register.on(as_of):
        key = (child.school.district, ("pupils",))
        members = signatures.get(key)
        if members is None:
            signatures[key] = [child.id]
        else:
            members.append(child.id)
    if sync.peers:  # the districts' own figures are compared with their records here
        for row in data.pupils:
            if not row[8]:
                school = schools(row[5])
                by_district.setdefault(school.district if school else "", []).append(row)
    district_of = _districts_of(data, {p for g in groups for p in g.pupil_ids})
    for group in groups:
        for district in {district_of.get(p, "") for p in group.pupil_ids}:
            for pupil_id in group.pupil_ids:
                quality.add((district, (group.kind,)), pupil_id)
    tally = quality.spread(lambda s: [(r, c) for r in (s[0], "total")
                                      for c in s[1]])
    districts_seen = {s[0] for s in quality.groups}
    peers = {p.district: p for p in sync.peers}
    districts = ordered_districts(districts_seen | set(peers) | set(sync.conflicts))
    columns = t6_columns()
    table = Table(d.T6, Msg(d.TABLE_TITLES[d.T6]), (Msg(N_("District")),), columns)
    for district in districts:
        line = Row(district, (PlaceName(district) if district else Msg(N_("(unknown)")),))
        tally.fill(line, [c for c in columns if c.kind != "text" and c.kind != NUMBER])
        for kind in (SAME_CHILD, IIN_CLASH, PROBABLE):
            line.cells[kind] = tally.cell(district, kind, distinct=True)
        peer = peers.get(district)
        if peer is not None and peer.last_import_at:
            received = date.fromisoformat(peer.last_import_at[:10])
            line.cells["last_bundle"] = Cell(format_date(received))
            line.cells["days"] = Cell(d.days_between(received, as_of))
        else:
            line.cells["last_bundle"] = Cell(Msg(N_("none")) if peer is not None else None)
            line.cells["days"] = Cell(None)
        line.cells["unacknowledged"] = Cell(peer.unacknowledged if peer else None)
        line.cells["waiting"] = Cell(peer.waiting if peer else None)
        line.cells["conflicts"] = Cell(sync.conflicts.get(district, 0))
        line.cells["figures"] = (_compare(data, groups, district, by_district.get(district, []))
                                if peer is not None else Cell(None))
        table.rows.append(line)
    total = Row("total", (Msg(N_("Total")),), kind=TOTAL)
    tally.fill(total, [c for c in columns if c.kind not in ("text", NUMBER)])
    for kind in (SAME_CHILD, IIN_CLASH, PROBABLE):
        total.cells[kind] = tally.cell("total", kind, distinct=True)
    total.cells["conflicts"] = Cell(sum(sync.conflicts.values()))
    table.rows.append(total)
    table.notes = [Msg(N_("Duplicates count the records involved; the list with names is"
                          " the table “{title}”."), (("title", Msg(d.TABLE_TITLES[
                              d.DUPLICATES])),))]
    return table


def duplicates_table(data: RegisterData, groups: Sequence[DuplicateGroup]) -> Table:
    """Every group of records the duplicate rules found, with names (on request only)."""
    people = {p.id: p for p in data.sync.people}
    rows_by_id = {r.id: r for r in data.pupils if r.id in people}
    columns = [Column("iin", Msg(N_("IIN")), TEXT),
               Column("records", Msg(N_("Records")), TEXT),
               Column("count", Msg(N_("Records in the group")))]
    table = Table(d.DUPLICATES, Msg(d.TABLE_TITLES[d.DUPLICATES]), (Msg(N_("Finding")),),
                  columns, personal=True)
    for number, group in enumerate(groups, start=1):
        parts = []
        for pupil_id in group.pupil_ids:
            person = people.get(pupil_id)
            record = rows_by_id.get(pupil_id)
            school = data.schools.get(record.school_id) if record else None
            parts.append(Msg(N_("{name}, born {birth} — {school}, {district}{state}"), (
                ("name", f"{person.surname} {person.given_name}" if person else pupil_id),
                ("birth", format_date(date.fromisoformat(person.birth_date))
                 if person and person.birth_date else "—"),
                ("school", school.name if school else "?"),
                ("district", PlaceName(school.district) if school else "?"),
                ("state", "" if person is None or person.active else Msg(N_(" (archived)"))))))
        line = Row(f"{group.kind}:{number}", (Msg(KIND_TITLES[group.kind]),))
        line.cells = {"iin": Cell(group.iin or None), "records": Cell(tuple(parts)),
                     "count": Cell(len(group.pupil_ids), group.pupil_ids)}
        table.rows.append(line)
    table.notes = [Msg(N_("Contains personal data: names and IINs of pupils.")),
                   Msg(N_("Keep one record of the same child and archive the other as its"
                          " duplicate (Reports → select the line → Keep one record…)."))]
    return table
