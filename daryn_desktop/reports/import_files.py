"""Spreadsheets around an import: the rejected rows with their reasons, to correct and import
again, and a template per kind of list with Kazakh and Russian headers, a codes sheet and
drop-down lists."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import (
    Award,
    EventKind,
    EventLevel,
    FamilyCategory,
    GiftednessKind,
    Labeled,
    Language,
    Sex,
    StaffRole,
)
from daryn_desktop.core.events import describe_stage
from daryn_desktop.core.imports.fields import Field, ImportKind, fields_of
from daryn_desktop.core.imports.plan import ImportPlan
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.i18n import N_, _, gettext_for
from daryn_desktop.reports.xlsx import Column, Workbook
from daryn_desktop.storage.events import Events

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

REJECTED_SUFFIX = ".rejected.xlsx"


def rejected_path(source: str | os.PathLike[str]) -> Path:
    """Where the rejected rows of ``source`` go: ``class.xlsx`` → ``class.xlsx.rejected.xlsx``."""
    source = Path(source)
    return source.with_name(source.name + REJECTED_SUFFIX)


def write_rejected(plan: ImportPlan, path: str | os.PathLike[str], *,
                   generated: date | None = None) -> Path:
    """The rejected rows as they were, with a column of reasons (in the interface language)
    and their row numbers in the original file; a heading says where they came from."""
    rejected = plan.rejected
    width = max([len(plan.layout.headers), *(len(r.raw) for r in rejected)], default=0)
    headers = [plan.layout.header_of(c) if c < len(plan.layout.headers)
               and plan.layout.headers[c] else "" for c in range(width)]
    columns = [Column(h or " ") for h in headers]
    columns += [Column(_("Reason"), wrap=True, width=60), Column(_("Row in the file"), width=12)]
    heading = [_("Rows of {file} that were not imported").format(file=plan.file_name),
               _("Correct them and import this file again. Made on {date}.").format(
                   date=format_date(generated or date.today()))]
    with Workbook(path) as book:
        sheet = book.sheet(_("Not imported"), columns, heading=heading)
        for row in rejected:
            cells = list(row.raw[:width]) + [None] * (width - len(row.raw))
            sheet.append([*cells, row.reason(), row.number])
    return Path(path)


# -- templates --------------------------------------------------------------------------------
TEMPLATE_TITLES = {
    ImportKind.PUPILS: N_("Class list for import"),
    ImportKind.SCHOOLS: N_("Schools for import"),
    ImportKind.STAFF: N_("Teachers and specialists for import"),
    ImportKind.RESULTS: N_("Results of an event for import"),
}
#: Which list of the codes sheet each column offers, and whether other text is allowed
#: (several categories in one cell, a subject not in the list).
_CHOICES: dict[str, tuple[str, bool]] = {
    "sex": ("sex", True), "school": ("schools", True), "language": ("languages", True),
    "categories": ("categories", False), "area_kind": ("kinds", True),
    "role": ("roles", True), "award": ("awards", True), "level": ("levels", True),
    "small_ungraded": ("yes_no", True), "settlement": ("settlements", False),
}
_TEXT_FIELDS = frozenset({"iin", "phone", "grade", "class_letter"})


def _both(member: Labeled) -> list[str]:
    kk, ru = gettext_for("kk")(member.label_id), gettext_for("ru")(member.label_id)
    return [kk] if kk == ru else [kk, ru]


def _words(enum: type[Labeled]) -> list[str]:
    return [w for member in enum for w in _both(member)]


def _code_lists(store: Store) -> dict[str, tuple[str, list[list[object]]]]:
    """The codes sheet's lists: title and rows (the first column is what a cell takes)."""
    inst = store.installation
    schools = store.repos.schools.in_district(inst.district_kato) if inst.district_kato \
        else store.repos.schools.where("archived = 0", (), "sort_key")
    places = gazetteer()
    districts = [inst.district_kato] if inst.district_kato else [
        d.code for d in places.districts(inst.region_kato)]
    settlements = [s for d in districts for s in places.settlements(d)
                   if s.is_inhabited or not s.is_rural]
    return {
        "schools": (_("Schools"), [[s.name, s.id] for s in schools]),
        "settlements": (_("Settlements"), [[s.name("kk"), s.code, s.name("ru")]
                                           for s in settlements]),
        "categories": (_("Family categories"), [[w] for w in _words(FamilyCategory)]),
        "kinds": (_("Kinds of giftedness"), [[w] for w in _words(GiftednessKind)]),
        "levels": (_("Levels of events"), [[w] for w in _words(EventLevel)]),
        "awards": (_("Places and awards"), [[w] for w in _words(Award)]),
        "event_kinds": (_("Kinds of events"), [[w] for w in _words(EventKind)]),
        "roles": (_("Positions"), [[w] for w in _words(StaffRole)]),
        "languages": (_("Languages of instruction"), [[w] for w in _words(Language)]),
        "sex": (_("Sex"), [[w] for w in _words(Sex)]),
        "yes_no": (_("Yes or no"), [["иә"], ["жоқ"], ["да"], ["нет"]]),
    }


def _header(field: Field) -> str:
    kk, ru = field.template
    return kk if kk == ru else f"{kk} / {ru}"


#: Columns a stage's protocol leaves out: the stage gives the event and its level, the IIN
#: finds the pupil.
_STAGE_LEFT_OUT = frozenset({"event", "level", "birth_date"})


def write_template(store: Store, kind: ImportKind, path: str | os.PathLike[str], *,
                   stage_id: str | None = None) -> Path:
    """An empty list of ``kind`` to fill in: Kazakh / Russian headers the importer knows,
    a codes sheet (the district's schools with their codes, categories, areas, levels,
    awards …) and drop-down lists in the cells that take one of them.

    With ``stage_id``, the protocol of a stage of a calendar event: its title names the
    stage, and its rows are the stage's participants (with the results recorded so far),
    for the jury to fill in the scores, places and awards and send back to be imported.
    """
    fields = [f for f in fields_of(kind) if f.in_template
              and not (stage_id and f.key in _STAGE_LEFT_OUT)]
    rows = _stage_rows(store, stage_id, fields) if stage_id else []
    lists = _code_lists(store)
    used = [name for name in lists if name in {_CHOICES[f.key][0] for f in fields
                                               if f.key in _CHOICES}]
    if kind == ImportKind.RESULTS:
        used.append("event_kinds")
    with Workbook(path) as book:
        heading = [_(TEMPLATE_TITLES[kind]),
                   _("Fill one row per record under the header; the lists are on the sheet"
                     " “{codes}”. Dates as dd.mm.yyyy.").format(codes=_("Codes"))]
        if stage_id:
            heading = [_("Protocol of the stage: {stage}").format(
                stage=_stage_title(store, stage_id)),
                _("Fill in each participant's score, place and award; the lists are on the"
                  " sheet “{codes}”.").format(codes=_("Codes"))]
        sheet = book.sheet(_(TEMPLATE_TITLES[kind]),
                           [Column(_header(f), text=f.key in _TEXT_FIELDS) for f in fields],
                           heading=heading)
        for row in rows:
            sheet.append(row)
        sheet.close()
        codes_columns: list[Column] = []
        starts: dict[str, int] = {}
        for name in used:
            title, rows = lists[name]
            starts[name] = len(codes_columns)
            width = max((len(r) for r in rows), default=1)
            codes_columns += [Column(title if i == 0 else _("Code") if i == 1 else "")
                              for i in range(width)]
        if not codes_columns:
            return Path(path)
        codes = book.sheet(_("Codes"), codes_columns)
        depth = max(len(lists[n][1]) for n in used)
        for index in range(depth):
            line: list[object] = [None] * len(codes_columns)
            for name in used:
                rows = lists[name][1]
                if index < len(rows):
                    for offset, value in enumerate(rows[index]):
                        line[starts[name] + offset] = value
            codes.append(line)
        for column, f in enumerate(fields):
            if f.key not in _CHOICES:
                continue
            name, strict = _CHOICES[f.key]
            count = len(lists[name][1])
            if count == 0:
                continue
            source = codes.range_of(starts[name], 2, count + 1)
            sheet.choices(column, source, strict=strict,
                          prompt=None if strict else _("Choose from the list or type several,"
                                                       " separated by commas."))
    return Path(path)


def _stage_title(store: Store, stage_id: str) -> str:
    events = Events(store)
    stage = events.stage(stage_id)
    return describe_stage(events.event(stage.event_id), stage)


def _stage_rows(store: Store, stage_id: str, fields: list[Field]) -> list[list[object]]:
    """The stage's participants as rows of its protocol, with what is recorded so far (so
    that the file imported back unchanged changes nothing)."""
    out = []
    for row in Events(store).results(stage_id, include_withdrawn=False):
        pupil = store.repos.pupils.get(row.pupil_id)
        values: dict[str, object] = {
            "surname": pupil.surname, "given_name": pupil.given_name,
            "patronymic": pupil.patronymic, "iin": pupil.iin, "school": row.school_name,
            "grade": f"{row.grade}{row.class_letter or ''}", "subject": row.participant.subject,
            "score": row.score, "place": row.place,
            "award": row.award.label if row.award else None, "teacher": row.teacher_name}
        out.append([values.get(f.key) for f in fields])
    return out
