"""T1 (identified children), T2 (support measures) and T5 (road maps): counts of children."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from daryn_desktop.core.academic import AcademicYear, YearCalendar
from daryn_desktop.core.enums import FamilyCategory, RoadMapStatus, Sex, SupportMeasure
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.facts import Child, Register
from daryn_desktop.core.stats.model import (
    COUNT,
    DATA,
    HEADLINE,
    NUMBER,
    SHARE,
    SUBTOTAL,
    TOTAL,
    Cell,
    Column,
    Label,
    Msg,
    PlaceName,
    Row,
    Table,
    Text,
)
from daryn_desktop.core.stats.tally import Tally, ordered_districts, share_cell
from daryn_desktop.i18n import N_
from daryn_desktop.i18n.collation import sort_key

RURAL_ROW, URBAN_ROW, ALL_ROW = "rural", "urban", "all"
H1, H2, GRAND = "H1", "H2", "total"
H1_TITLE = N_("Gifted pupils living in rural areas (rural schools)")
H2_TITLE = N_("Gifted pupils of urban schools from large and low-income families")
PREVIOUS_YEAR = N_("Previous year ({year})")
DISTRICT_TITLE = N_("District")


def _c(key: str, title: str, kind: str = COUNT, depends: tuple[str, ...] = (),
       **params: object) -> Column:
    return Column(key, Msg(title, tuple(params.items())), kind, depends=depends)


# -- T1 -------------------------------------------------------------------------------------
def t1_columns(year: AcademicYear) -> list[Column]:
    columns = [_c("total", N_("Total")),
               _c(Sex.MALE.value, Sex.MALE.label_id), _c(Sex.FEMALE.value, Sex.FEMALE.label_id)]
    columns += [_c(key, title) for key, _low, _high, title in d.GRADE_BANDS]
    columns += [_c(c.value, c.label_id) for c in FamilyCategory]
    columns += [_c(d.ANY_TARGET, d.TARGET_GROUP_TITLES[d.ANY_TARGET]),
                _c("no_category", N_("No family category")),
                _c("prev_total", PREVIOUS_YEAR, year=year.previous().label),
                _c("change", N_("Change"), NUMBER, ("total", "prev_total"))]
    return columns


def _t1_rows(district: str, rural: bool, h2: bool) -> list[str]:
    rows = [f"{district}:{RURAL_ROW if rural else URBAN_ROW}", f"{district}:{ALL_ROW}", GRAND]
    if rural:
        rows.append(H1)
    elif h2:
        rows.append(H2)
    return rows


def _is_h2(rural: bool, groups: frozenset[str]) -> bool:
    return not rural and (d.LARGE in groups or d.LOW_INCOME in groups)


def t1(register: Register, year: AcademicYear, as_of: date) -> Table:
    """Identified gifted children by district × rural/urban, with every breakdown."""
    tally = Tally()
    shift = register.data.current_year.start - year.start
    bands: dict[int, str] = {}
    signatures = tally.groups
    for child, cats, groups in register.facts_on(as_of):
        record, school = child.records[0], child.school
        band = bands.get(record[3])  # the grade
        if band is None:
            band = bands[record[3]] = d.grade_band(record[3] - shift)
        key = (school.district, school.rural, record[2], band, cats, groups)
        found = signatures.get(key)
        if found is None:
            signatures[key] = [child.id]
        else:
            found.append(child.id)

    def expand(signature: Any) -> Iterable[tuple[str, str]]:
        district, rural, sex, band, cats, groups = signature
        columns = ["total", band, *cats]
        if sex:
            columns.append(sex)
        if groups:
            columns.append(d.ANY_TARGET)
        if not cats:
            columns.append("no_category")
        return [(r, c) for r in _t1_rows(district, rural, _is_h2(rural, groups))
                for c in columns]

    tally.spread(expand)
    previous = Tally()
    for child, _cats, groups in register.facts_on(d.year_earlier(as_of)):
        rural = child.school.rural
        previous.add((child.district, rural, _is_h2(rural, groups)), child.id)
    previous.spread(lambda s: [(r, "prev_total") for r in _t1_rows(*s)])
    tally.cells.update(previous.cells)
    districts = {s[0] for s in tally.groups} | {s[0] for s in previous.groups}
    columns = t1_columns(year)
    table = Table(d.T1, Msg(d.TABLE_TITLES[d.T1]), (Msg(DISTRICT_TITLE), Msg(N_("Place"))),
                  columns, chart_columns=("total", "prev_total"))
    rows = [Row(H1, (Msg(H1_TITLE), Text("")), kind=HEADLINE),
            Row(H2, (Msg(H2_TITLE), Text("")), kind=HEADLINE)]
    for district in ordered_districts(districts):
        place = PlaceName(district)
        rows += [Row(f"{district}:{RURAL_ROW}", (place, Msg(N_("Rural"))), kind=DATA),
                 Row(f"{district}:{URBAN_ROW}", (place, Msg(N_("Urban"))), kind=DATA),
                 Row(f"{district}:{ALL_ROW}", (place, Msg(N_("Total"))), kind=SUBTOTAL)]
    rows.append(Row(GRAND, (Msg(N_("Total")), Text("")), kind=TOTAL))
    for row in rows:
        tally.fill(row, columns)
        row.cells["change"] = Cell(int(row.value("total") or 0) - int(row.value("prev_total")
                                                                       or 0))
    table.rows = rows
    table.notes = [Msg(N_("Rural or urban: the school's settlement. A child may be in several"
                          " family categories."))]
    return table


# -- T2 -------------------------------------------------------------------------------------
BASE_ROW, ANY_MEASURE = "register", "any"


def t2_columns(year: AcademicYear) -> list[Column]:
    columns = [_c("planned", N_("Pupils with it planned")),
               _c("done", N_("Pupils with it done"))]
    for group in d.TARGET_GROUPS:
        columns.append(_c(group, d.TARGET_GROUP_TITLES[group]))
        columns.append(_c(f"{group}_share", N_("{group}: share"), SHARE, (group,),
                          group=Msg(d.TARGET_GROUP_TITLES[group])))
    columns.append(_c("prev_planned", PREVIOUS_YEAR, year=year.previous().label))
    return columns


def _measures(child: Child, register: Register, label: str
              ) -> tuple[frozenset[str], frozenset[str]]:
    road_map = child.map_for(label)
    if road_map is None:
        return frozenset(), frozenset()
    return register.data.measures.get(road_map.id, (frozenset(), frozenset()))


def t2(register: Register, year: AcademicYear, as_of: date) -> Table:
    """Pupils covered by each support measure this year, by target group, with shares."""
    # Children are grouped by the measures planned with their target groups, and apart by
    # the measures done: two dictionary steps a child; each group then counts in the rows
    # of its measures (a few thousand groups for 100,000 children).
    tally = Tally()
    signatures = tally.groups
    measures = register.data.measures
    label = year.label
    empty: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())

    for child, _cats, groups in register.facts_on(as_of):
        planned, done = empty
        for road_map in child.maps:  # the one of this year (Child.map_for, inlined)
            if road_map[1] == label:
                planned, done = measures.get(road_map[0], empty)
                break
        child_id = child.id
        key: tuple[object, ...] = ("planned", planned, groups)
        found = signatures.get(key)
        if found is None:
            signatures[key] = [child_id]
        else:
            found.append(child_id)
        if done:
            key = ("done", done)
            found = signatures.get(key)
            if found is None:
                signatures[key] = [child_id]
            else:
                found.append(child_id)

    def expand(signature: Any) -> Iterable[tuple[str, str]]:
        if signature[0] == "done":
            return [(row, "done") for row in (ANY_MEASURE, *signature[1])]
        _kind, planned, groups = signature
        rows = (BASE_ROW, ANY_MEASURE, *planned) if planned else (BASE_ROW,)
        columns = ("planned", *groups)
        return [(row, column) for row in rows for column in columns]

    tally.spread(expand)
    prev_label = year.previous().label
    previous = Tally()
    for child, _cats, _groups in register.facts_on(d.year_earlier(as_of)):
        earlier = child.map_for(prev_label)
        then = measures.get(earlier[0], empty)[0] if earlier else None
        if then:
            previous.add(then, child.id)
    previous.spread(lambda planned: [(r, "prev_planned") for r in (*planned, ANY_MEASURE)])
    tally.cells.update(previous.cells)
    columns = t2_columns(year)
    table = Table(d.T2, Msg(d.TABLE_TITLES[d.T2]), (Msg(N_("Support measure")),
                                                     Msg(N_("Decree measure"))),
                  columns, chart_columns=("planned", "done"))
    rows = [Row(BASE_ROW, (Msg(N_("Pupils in the register (base of the shares)")), Text("")),
                kind=SUBTOTAL)]
    for measure in SupportMeasure:
        rows.append(Row(measure.value, (Msg(measure.label_id),
                                        Text(str(d.DECREE_MEASURE[measure]))), kind=DATA))
    rows.append(Row(ANY_MEASURE, (Msg(N_("Any support measure")), Text("")), kind=TOTAL))
    for row in rows:
        tally.fill(row, columns)
        for group in d.TARGET_GROUPS:
            whole = tally.count(BASE_ROW, group)
            row.cells[f"{group}_share"] = share_cell(row.cells[group], whole)
    rows[0].cells["done"] = Cell(None)
    rows[0].cells["prev_planned"] = Cell(None)
    table.rows = rows
    return table


# -- T5 -------------------------------------------------------------------------------------
def t5_columns(year: AcademicYear) -> list[Column]:
    columns = [_c("pupils", N_("Pupils")), _c("with_map", N_("With a road map")),
               _c("none", N_("No road map"))]
    columns += [_c(s.value, s.label_id) for s in RoadMapStatus]
    columns += [_c("review", N_("With a review this quarter")),
                _c("overdue", N_("With overdue activities")),
                _c("overdue_activities", N_("Overdue activities"), NUMBER, ("overdue",)),
                _c("prev_with_map", PREVIOUS_YEAR, year=year.previous().label)]
    return columns


def quarter_number(year: AcademicYear, on: date) -> int | None:
    """The quarter ``on`` falls in, or the last one before it; None before the first."""
    started = [q.number for q in YearCalendar.default(year).quarters if q.start <= on]
    return max(started) if started else None


def t5(register: Register, year: AcademicYear, as_of: date, *, by_school: bool) -> Table:
    """Road maps of the year by status, reviews this quarter and overdue work, by unit."""
    tally = Tally()
    late: dict[str, int] = {}
    quarter = quarter_number(year, as_of)
    data = register.data
    units: dict[str, tuple[Any, ...]] = {}

    def unit(child: Child) -> str:
        key = child.school_id if by_school else child.district
        if key not in units:
            units[key] = ((Text(child.school.name), PlaceName(child.district)) if by_school
                          else (PlaceName(child.district), Text("")))
        return key

    label, overdue_of, reviews = year.label, data.overdue.get, data.reviews
    signatures = tally.groups
    for child in register.on(as_of):
        key = child.records[0][5] if by_school else child.school.district
        if key not in units:
            unit(child)
        signature: tuple[Any, ...] = (key, None, False, False)
        for road_map in child.maps:  # the one of this year (Child.map_for, inlined)
            if road_map[1] == label:
                overdue = overdue_of(road_map[0], 0)
                if overdue:
                    late[key] = late.get(key, 0) + overdue
                    late[GRAND] = late.get(GRAND, 0) + overdue
                reviewed = quarter is not None and (road_map[0], quarter) in reviews
                signature = (key, road_map[2], reviewed, bool(overdue))
                break
        found = signatures.get(signature)
        if found is None:
            signatures[signature] = [child.id]
        else:
            found.append(child.id)

    def expand(signature: Any) -> Iterable[tuple[str, str]]:
        key, status, reviewed, overdue = signature
        columns = ["pupils"] + (["none"] if status is None else ["with_map", status])
        columns += (["review"] if reviewed else []) + (["overdue"] if overdue else [])
        return [(r, c) for r in (key, GRAND) for c in columns]

    tally.spread(expand)
    prev = year.previous().label
    previous = Tally()
    for child in register.on(d.year_earlier(as_of)):
        if child.map_for(prev) is not None:
            previous.add(unit(child), child.id)
    previous.spread(lambda key: [(key, "prev_with_map"), (GRAND, "prev_with_map")])
    tally.cells.update(previous.cells)
    columns = t5_columns(year)
    labels: tuple[Label, ...] = ((Msg(N_("School")), Msg(DISTRICT_TITLE)) if by_school
                                 else (Msg(DISTRICT_TITLE), Text("")))
    table = Table(d.T5, Msg(d.TABLE_TITLES[d.T5]), labels, columns,
                  chart_columns=("with_map", "prev_with_map"))
    ordered = (sorted(units, key=lambda k: sort_key(units[k][0].value)) if by_school
               else ordered_districts(units))
    rows = [Row(key, units[key], kind=DATA) for key in ordered]
    rows.append(Row(GRAND, (Msg(N_("Total")), Text("")), kind=TOTAL))
    for row in rows:
        tally.fill(row, columns)
        overdue_cell = row.cells["overdue"]
        row.cells["overdue_activities"] = Cell(late.get(row.key, 0),
                                               parts=overdue_cell._parts)
    table.rows = rows
    if quarter is not None:
        table.notes = [Msg(N_("This quarter: quarter {number} of {year}."),
                           (("number", quarter), ("year", year.label)))]
    return table


# -- the headline figures a district sends to the region ------------------------------------
def headline_figures(register: Register, year: AcademicYear, as_of: date) -> dict[str, int]:
    """T1, T2 and T5 figures that need nothing but the register (compared at the region)."""
    figures = dict.fromkeys(("T1.total", "T1.rural", "T1.urban_target", "T2.planned",
                             "T2.done", "T5.with_map", "T5.signed"), 0)
    for child, _cats, groups in register.facts_on(as_of):
        rural = child.school.rural
        figures["T1.total"] += 1
        figures["T1.rural"] += rural
        figures["T1.urban_target"] += _is_h2(rural, groups)
        planned, done = _measures(child, register, year.label)
        figures["T2.planned"] += bool(planned)
        figures["T2.done"] += bool(done)
        road_map = child.map_for(year.label)
        figures["T5.with_map"] += road_map is not None
        figures["T5.signed"] += road_map is not None and road_map.status == "signed"
    return figures


FIGURE_TITLES = {
    "T1.total": N_("identified children"), "T1.rural": H1_TITLE,
    "T1.urban_target": H2_TITLE, "T2.planned": N_("pupils with a support measure planned"),
    "T2.done": N_("pupils with a support measure done"),
    "T5.with_map": N_("pupils with a road map"), "T5.signed": N_("signed road maps"),
}
