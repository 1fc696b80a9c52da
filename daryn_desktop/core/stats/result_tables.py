"""T3 (achievements) and T4 (teachers ranked by their pupils' prizes, measure 15)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, NamedTuple

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import Award, EventLevel
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.core.stats.facts import AchievementRow, Child, Register
from daryn_desktop.core.stats.model import (
    DATA,
    HEADING,
    NUMBER,
    SUBTOTAL,
    TEXT,
    TOTAL,
    Cell,
    Column,
    Msg,
    Row,
    Table,
    Text,
)
from daryn_desktop.core.stats.pupil_tables import PREVIOUS_YEAR
from daryn_desktop.core.stats.tally import Tally
from daryn_desktop.i18n import N_
from daryn_desktop.i18n.collation import sort_key

NO_SUBJECT = N_("(no subject)")
#: The labels of the stored values (a result's award and level as read from the store).
_AWARD_LABELS = {award.value: award.label_id for award in Award}
_LEVEL_LABELS = {level.value: level.label_id for level in EventLevel}


class Result(NamedTuple):
    """One achievement of a child in the register, with the child's target groups."""

    child: Child
    row: AchievementRow
    groups: frozenset[str]


def _results(register: Register, label: str, on: date) -> list[Result]:
    """The achievements of year ``label`` of the children in the register on ``on``; the same
    result entered in both records of one child counts once. Worked out once per register
    (T3 and T4 both need them)."""
    key = ("results", label, on)
    found = register.memo.get(key)
    if found is None:
        found = register.memo[key] = _find_results(register, label, on)
    return found  # type: ignore[return-value]


def _find_results(register: Register, label: str, on: date) -> list[Result]:
    children = {c.id: (c, groups) for c, _cats, groups in register.facts_on(on)}
    child_of = register.child_of
    get = children.get
    rows = register.data.achievements
    # Comprehensions with the look-ups bound: this runs over every result of two years.
    if child_of:
        found_rows = [(row, found) for row in rows if row[1] == label
                      and (found := get(child_of.get(row[0], row[0]))) is not None]
    else:
        found_rows = [(row, found) for row in rows if row[1] == label
                      and (found := get(row[0])) is not None]
    merged = [row[6] for row, (child, _g) in found_rows if len(child.records) > 1]
    if not merged:
        return [Result(child, row, groups) for row, (child, groups) in found_rows]
    events = register.data.event_names(merged)
    seen: set[tuple[Any, ...]] = set()
    out = []
    for row, (child, groups) in found_rows:
        if len(child.records) > 1:
            key = (child.id, row.level, row.award, events.get(row.number, "").casefold(),
                   row.subject)
            if key in seen:
                continue
            seen.add(key)
        out.append(Result(child, row, groups))
    return out


# -- T3 -------------------------------------------------------------------------------------
def t3_columns(year: AcademicYear) -> list[Column]:
    columns = [Column("results", Msg(N_("Results"))), Column("prizes", Msg(N_("Prizes")))]
    columns += [Column(f"degree_{n}", Msg(title)) for n, title in d.DEGREE_TITLES.items()]
    columns += [Column("pupils", Msg(N_("Pupils"))),
                Column("prize_pupils", Msg(N_("Prize-winning pupils"))),
                Column("prev_prizes", Msg(PREVIOUS_YEAR, (("year", year.previous().label),)))]
    return columns


def _subject_key(subject: str | None) -> str:
    return " ".join((subject or "").split()).casefold()


def t3(register: Register, year: AcademicYear, as_of: date) -> Table:
    """Results of the year by level and by subject; prize-winners of the target groups."""
    tally = Tally()
    subjects: dict[str, str] = {}
    # A subject as written -> its key; an award -> (degree, prize): worked out once each.
    subject_keys: dict[str | None, str] = {}
    awards: dict[str, tuple[int, bool]] = {}
    signatures = tally.groups
    for child, row, groups in _results(register, year.label, as_of):
        subject = subject_keys.get(row[4])
        if subject is None:
            subject = subject_keys[row[4]] = _subject_key(row[4])
            subjects.setdefault(subject, " ".join((row[4] or "").split()))
        award = awards.get(row[3])
        if award is None:
            award = awards[row[3]] = (d.degree(row[3]), d.is_prize(row[3]))
        signature = (row[2], subject, *award, groups)
        found = signatures.get(signature)
        if found is None:
            signatures[signature] = [child.id]
        else:
            found.append(child.id)

    def expand(signature: Any) -> Iterable[tuple[str, str]]:
        level, subject, degree, prize, groups = signature
        rows = [f"level:{level}", "total", f"subject:{subject}"]
        columns = ["results", f"degree_{degree}", "pupils"]
        if prize:
            columns += ["prizes", "prize_pupils"]
        cells = [(r, c) for r in rows for c in columns]
        if prize:
            cells += [(f"group:{g}", c) for g in groups for c in columns]
        return cells

    tally.spread(expand)
    previous = Tally()
    for child, row, groups in _results(register, year.previous().label,
                                       d.year_earlier(as_of)):
        if d.is_prize(row[3]):
            subject = subject_keys.get(row[4])
            if subject is None:
                subject = subject_keys[row[4]] = _subject_key(row[4])
                subjects.setdefault(subject, " ".join((row[4] or "").split()))
            previous.add((row[2], subject, groups), child.id)
    previous.spread(lambda s: [(r, "prev_prizes") for r in (
        f"level:{s[0]}", "total", f"subject:{s[1]}", *(f"group:{g}" for g in s[2]))])
    tally.cells.update(previous.cells)
    columns = t3_columns(year)
    table = Table(d.T3, Msg(d.TABLE_TITLES[d.T3]), (Msg(N_("Level, subject or group")),),
                  columns, chart_columns=("prizes", "prev_prizes"))
    rows = [Row(f"level:{level.value}", (Msg(level.label_id),)) for level in EventLevel]
    rows.append(Row("total", (Msg(N_("All levels")),), kind=SUBTOTAL))
    rows.append(Row("heading:subjects", (Msg(N_("By subject")),), kind=HEADING))
    for key in sorted(subjects, key=lambda k: (k == "", sort_key(subjects[k]))):
        rows.append(Row(f"subject:{key}", (Text(subjects[key]) if key else Msg(NO_SUBJECT),)))
    rows.append(Row("heading:groups", (Msg(N_("Prize-winners from the target groups")),),
                    kind=HEADING))
    for group in d.TARGET_GROUPS:
        rows.append(Row(f"group:{group}", (Msg(d.TARGET_GROUP_TITLES[group]),),
                        kind=TOTAL if group == d.ANY_TARGET else DATA))
    for line in rows:
        if line.kind == HEADING:
            continue
        for column in columns:
            # A child with several results counts once among the pupils (and the people
            # behind a count of results are those children, each once).
            line.cells[column.key] = tally.cell(
                line.key, column.key, distinct=column.key in ("pupils", "prize_pupils"))
    table.rows = rows
    return table


# -- T4 -------------------------------------------------------------------------------------
#: How many teachers T4 lists: the decree's "100 best teachers".
TEACHERS_LISTED = 100
HIGH_LEVELS = frozenset({EventLevel.REPUBLICAN.value, EventLevel.INTERNATIONAL.value})


def t4_columns() -> list[Column]:
    return [Column("school", Msg(N_("School")), TEXT),
            Column("prizes", Msg(N_("Prizes"))),
            Column("high_prizes", Msg(N_("Republican and international prizes"))),
            Column("target_prizes", Msg(N_("Prizes of target-group pupils"))),
            Column("pupils", Msg(N_("Pupils prepared"))),
            Column("score", Msg(N_("Score")), NUMBER),
            Column("results", Msg(N_("Pupils and results")), TEXT)]


def t4(register: Register, year: AcademicYear, as_of: date, weights: d.TeacherWeights,
       names: Callable[[Iterable[str]], dict[str, str]]) -> Table:
    """Teachers ranked by the weighted prizes of the pupils they prepared (names: on request).

    ``names`` gives the full names of pupils: asked only for the pupils of the teachers
    listed.
    """
    per_teacher: dict[str, list[Result]] = {}
    for result in _results(register, year.label, as_of):
        row = result.row
        if row.teacher_id and d.is_prize(row.award):
            per_teacher.setdefault(row.teacher_id, []).append(result)
    scored = []
    for teacher_id, results in per_teacher.items():
        counted = [r for r in results if r.groups or not weights.target_groups_only]
        score = sum(weights.points(r.row.level, r.row.award) for r in counted)
        scored.append((score, len(results), teacher_id, results))
    teachers = register.data.teachers
    schools = register.data.schools
    # Measure 15 awards the hundred best: the list stops there (ties at the last place stay),
    # so only the teachers listed are put in the order of their names.
    if len(scored) > TEACHERS_LISTED:
        last = sorted((s[0] for s in scored), reverse=True)[TEACHERS_LISTED - 1]
        scored = [s for s in scored if s[0] >= last]
    scored.sort(key=lambda s: (-s[0], -s[1], sort_key(teachers.get(s[2], ("", None))[0])))
    pupil_names = names({r.child.id for s in scored for r in s[3]})
    events = register.data.event_names([r.row.number for s in scored for r in s[3]])
    columns = t4_columns()
    table = Table(d.T4, Msg(d.TABLE_TITLES[d.T4]), (Msg(N_("Rank")), Msg(N_("Teacher"))),
                  columns, personal=True, teacher_rows=True, chart_columns=("score",))
    for rank, (score, _n, teacher_id, results) in enumerate(scored, start=1):
        name, school_id = teachers.get(teacher_id, ("?", None))
        found = schools.get(school_id or "")
        school = found.name if found is not None else ""
        ids = tuple(sorted({r.child.id for r in results}))
        lines = []
        for r in sorted(results, key=lambda r: (pupil_names.get(r.child.id, ""), r.row.level)):
            lines.append(Msg(N_("{pupil} — {award}, {level}, {event}"), (
                ("pupil", pupil_names.get(r.child.id, "?")),
                ("award", Msg(_AWARD_LABELS[r.row.award])),
                ("level", Msg(_LEVEL_LABELS[r.row.level])),
                ("event", events.get(r.row.number, "")))))
        line = Row(teacher_id, (Text(str(rank)), Text(name)), kind=DATA)
        line.cells = {
            "school": Cell(school),
            "prizes": Cell(len(results), ids),
            "high_prizes": Cell(sum(r.row.level in HIGH_LEVELS for r in results),
                                tuple(sorted({r.child.id for r in results
                                              if r.row.level in HIGH_LEVELS}))),
            "target_prizes": Cell(sum(bool(r.groups) for r in results),
                                  tuple(sorted({r.child.id for r in results if r.groups}))),
            "pupils": Cell(len(ids), ids),
            "score": Cell(round(score, 2), ids),
            "results": Cell(tuple(lines)),
        }
        table.rows.append(line)
    table.notes = [Msg(N_("Contains personal data: names of teachers and pupils.")),
                   Msg(N_("The {count} teachers with the highest scores (measure 15 awards the"
                          " hundred best)."), (("count", len(table.rows)),))]
    if weights.target_groups_only:
        table.notes.append(Msg(N_("The score counts prizes of pupils from the target groups"
                                  " only.")))
    return table
