"""A class list: each row read, checked with the editor's rules, matched with the registered
pupil (by IIN, then by name and date of birth) and turned into the writes that differ."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from daryn_desktop.core.dates import format_date
from daryn_desktop.core.entities import Pupil
from daryn_desktop.core.enums import FamilyCategory, GiftednessKind, Language, PupilStatus, Sex
from daryn_desktop.core.findings import Finding
from daryn_desktop.core.ids import new_id
from daryn_desktop.core.iin import suggested_birth_date_and_sex
from daryn_desktop.core.imports import values as v
from daryn_desktop.core.imports.directory import Directory, KnownRecord, person_key
from daryn_desktop.core.imports.layout import DataRow, Layout
from daryn_desktop.core.imports.plan import (
    Change,
    ImportWrite,
    Insert,
    RowOutcome,
    RowStatus,
    Update,
)
from daryn_desktop.core.imports.rows import RowReader, changes_of, name_columns, shown
from daryn_desktop.core.imports.schools import SchoolResolver, school_label
from daryn_desktop.core.imports.text import cell_text, fold
from daryn_desktop.core.validation import validate_pupil
from daryn_desktop.i18n import N_

MSG_SAME_PUPIL = N_("The same pupil as in row {other}.")
MSG_IIN_TWICE = N_("The IIN {iin} is also given to {name} in row {other}: one of the rows is"
                   " wrong.")
MSG_SEVERAL_BY_IIN = N_("Several registered pupils ({count}) have the IIN {iin}: correct the"
                        " registry first.")
MSG_SEVERAL_BY_NAME = N_("Several registered pupils ({count}) are called {name} and were born"
                         " on {date}: add the IIN to tell them apart.")
MSG_SAME_REGISTERED = N_("Row {other} is about the same registered pupil.")
MSG_NO_CONSENT = N_("There is no consent to the processing of personal data.")

#: The pupil's fields an import may set (never the status or the archive reason).
IMPORTED = ("surname", "given_name", "patronymic", "iin", "birth_date", "sex", "school_id",
            "grade", "class_letter", "language", "phone", "address", "notes", "consent_given",
            "consent_date")

COLUMN_LABELS = {
    "surname": N_("Surname"), "given_name": N_("Given name"), "patronymic": N_("Patronymic"),
    "iin": N_("IIN"), "birth_date": N_("Date of birth"), "sex": N_("Sex"),
    "school_id": N_("School"), "grade": N_("Grade"), "class_letter": N_("Class letter"),
    "language": N_("Language of instruction"), "phone": N_("Phone"), "address": N_("Address"),
    "notes": N_("Notes"), "consent_given": N_("Consent"), "consent_date": N_("Consent date"),
    "status": N_("Status"), "archive_reason": N_("Reason for archiving"),
}
LABEL_CATEGORY = N_("Family categories")
LABEL_AREA = N_("Giftedness areas")

#: The editor's fields → the fields of a list (for naming the column of a reason).
_COLUMNS = {"iin": "iin", "birth_date": "birth_date", "grade": "grade",
            "class_letter": "class_letter", "consent_date": "consent_date", "sex": "sex"}


@dataclass
class PupilOptions:
    #: The school of rows that name none (a class list of one school).
    school_id: str | None = None
    #: Schools the registry does not know are created (after a person confirmed).
    create_schools: bool = False
    today: date = field(default_factory=date.today)


@dataclass
class _Draft:
    row: DataRow
    reader: RowReader
    outcome: RowOutcome
    fields: dict[str, Any]
    categories: list[FamilyCategory]
    areas: list[tuple[GiftednessKind, str]]
    match: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return person_key(self.fields.get("surname"), self.fields.get("given_name"))


def _read(row: DataRow, layout: Layout, schools: SchoolResolver) -> _Draft:
    reader = RowReader(row, layout)
    surname, given, patronymic = reader.names()
    found: dict[str, Any] = {"surname": surname, "given_name": given, "patronymic": patronymic}
    found["iin"] = reader.read("iin", v.iin)
    found["birth_date"] = reader.read("birth_date", v.a_date)
    found["sex"] = reader.read("sex", v.word, Sex)
    school = schools.resolve(reader)
    found["school_id"] = school.id if school else None
    grade_letter = reader.read("grade", v.grade_and_letter)
    if grade_letter is not None:
        found["grade"], found["class_letter"] = grade_letter
    letter = reader.read("class_letter", v.class_letter)
    if letter is not None:
        found["class_letter"] = letter
    found["language"] = reader.read("language", v.word, Language)
    for key in ("phone", "address", "notes"):
        found[key] = reader.read(key, v.text)
    consent = reader.read("consent_date", v.a_date)
    if consent is not None:
        found["consent_given"], found["consent_date"] = True, consent
    categories = list(reader.read("categories", v.words, FamilyCategory) or [])
    for category in FamilyCategory:
        if reader.read(f"category:{category.value}", v.yes_no) and category not in categories:
            categories.append(category)
    kind = reader.read("area_kind", v.word, GiftednessKind)
    areas = reader.read("areas", v.areas, kind) or []
    fields = {k: value for k, value in found.items() if value is not None}
    grade = fields.get("grade")
    label = " ".join(p for p in (surname, given) if p) or cell_text(
        row.cells.get("full_name") or row.cells.get("surname"))
    if grade is not None:
        label = f"{label}, {grade}{fields.get('class_letter') or ''}"
    outcome = RowOutcome(row.number, RowStatus.NEW, label, row.raw)
    return _Draft(row, reader, outcome, fields, categories, areas)


def plan_pupils(rows: Iterable[DataRow], layout: Layout, directory: Directory,
                options: PupilOptions | None = None) -> tuple[list[RowOutcome], list[Insert]]:
    """What importing a class list would do, row by row, and the schools it would create."""
    options = options or PupilOptions()
    schools = SchoolResolver(directory, options.school_id, options.create_schools)
    drafts = [_read(row, layout, schools) for row in rows]
    _same_iin_in_file(drafts)
    _match(drafts, directory)
    known = directory.pupils({d.match for d in drafts if d.match})
    for draft in drafts:
        _plan(draft, known.get(draft.match) if draft.match else None, directory, options)
    return [d.outcome for d in drafts], list(schools.created.values())


def _same_iin_in_file(drafts: list[_Draft]) -> None:
    """Two rows with one IIN: the same pupil twice (the second is left out), or two pupils
    of whom one has a wrong number (both are left out: which one is wrong is not known)."""
    by_iin: dict[str, list[_Draft]] = {}
    for draft in drafts:
        iin = draft.fields.get("iin")
        if iin:
            by_iin.setdefault(iin, []).append(draft)
    for iin, group in by_iin.items():
        if len(group) < 2:
            continue
        first = group[0]
        if all(d.key == first.key for d in group):
            for d in group[1:]:
                d.reader.error("iin", MSG_SAME_PUPIL, other=first.row.number)
            continue
        for d in group:
            other = next(o for o in group if o is not d)
            d.reader.error("iin", MSG_IIN_TWICE, iin=iin, other=other.row.number,
                           name=other.outcome.label.split(",")[0])


def _match(drafts: list[_Draft], directory: Directory) -> None:
    """The registered pupil of each row: by IIN, else by name and date of birth; never a
    guess between two."""
    claimed: dict[str, int] = {}
    for draft in drafts:
        if draft.reader.failed:
            continue
        iin = draft.fields.get("iin")
        ids = directory.pupils_by_iin(iin) if iin else []
        if len(ids) > 1:
            draft.reader.error("iin", MSG_SEVERAL_BY_IIN, count=len(ids), iin=iin)
            continue
        if not ids and draft.fields.get("birth_date") and all(draft.key):
            ids = directory.pupils_by_name_birth(*draft.key, draft.fields["birth_date"])
            if len(ids) > 1:
                draft.reader.error(None, MSG_SEVERAL_BY_NAME, count=len(ids),
                                   name=draft.outcome.label.split(",")[0],
                                   date=format_date(draft.fields["birth_date"]))
                continue
        if ids:
            if ids[0] in claimed:
                draft.reader.error(None, MSG_SAME_REGISTERED, other=claimed[ids[0]])
                continue
            claimed[ids[0]] = draft.row.number
            draft.match = ids[0]


def _validate(draft: _Draft, pupil: Pupil, today: date) -> None:
    """The editor's checks; a column that already has a reason gets no second one."""
    columns = {**_COLUMNS, **name_columns(draft.reader)}
    blamed = {p.column for p in draft.reader.problems if p.is_error}
    findings: list[Finding] = [
        f for f in validate_pupil(pupil, today=today) if f.message != MSG_NO_CONSENT
        and draft.reader.column(columns.get(f.field, f.field)) not in blamed]
    draft.reader.add_findings(findings, columns)


def _plan(draft: _Draft, known: KnownRecord | None, directory: Directory,
          options: PupilOptions) -> None:
    outcome, reader = draft.outcome, draft.reader
    settable = {k: value for k, value in draft.fields.items() if k in IMPORTED}
    if known is None:
        # A missing grade stays None here: validate_pupil reports it as required.
        pupil = Pupil(surname=settable.get("surname") or "",
                      given_name=settable.get("given_name") or "",
                      iin=settable.get("iin") or "", school_id=settable.get("school_id") or "",
                      grade=settable.get("grade"),  # type: ignore[arg-type]
                      id=new_id())
        pupil = dataclasses.replace(pupil, **{k: value for k, value in settable.items()
                                              if k not in ("grade",)})
        if pupil.birth_date is None or pupil.sex is None:
            birth, sex = suggested_birth_date_and_sex(pupil.iin)
            pupil.birth_date = pupil.birth_date or birth
            pupil.sex = pupil.sex or sex
        before = None
    else:
        before = Pupil(**known.values)
        pupil = dataclasses.replace(before, **settable)
        if known.id in directory.undone_pupils() and before.status != PupilStatus.ACTIVE:
            # Its import was undone and the list brings it back: studying again.
            pupil.status, pupil.archive_reason = PupilStatus.ACTIVE, None
            settable |= {"status": pupil.status, "archive_reason": None}
    _validate(draft, pupil, options.today)
    outcome.problems = reader.problems
    if reader.failed:
        outcome.status = RowStatus.REJECTED
        return
    pupil_id = pupil.id
    children: list[Insert] = []
    held_categories = known.categories if known else set()
    for category in draft.categories:
        if category.value not in held_categories:
            children.append(Insert("pupil_categories", {"id": new_id(), "pupil_id": pupil_id,
                                                        "category": category}))
            outcome.changes.append(Change(LABEL_CATEGORY, "—", category.label))
    held_areas = known.areas if known else set()
    for kind, area in draft.areas:
        if (kind.value, fold(area)) not in held_areas:
            children.append(Insert("giftedness_areas", {"id": new_id(), "pupil_id": pupil_id,
                                                        "kind": kind, "field": area}))
            outcome.changes.append(Change(LABEL_AREA, "—", f"{area} ({kind.label})"))
    if before is None:
        values = {f.name: getattr(pupil, f.name) for f in dataclasses.fields(pupil)}
        outcome.status = RowStatus.NEW
        outcome.writes = [Insert("pupils", values), *children]
        outcome.changes = []
        return
    diff = {k: (getattr(before, k), getattr(pupil, k)) for k in settable
            if getattr(before, k) != getattr(pupil, k)}
    writes: list[ImportWrite] = [Update("pupils", pupil_id, diff)] if diff else []
    writes += children

    def show(column: str, value: object) -> str:
        return school_label(directory, value) if column == "school_id" else shown(value)

    outcome.changes = changes_of(diff, COLUMN_LABELS, show) + outcome.changes
    outcome.writes = writes
    outcome.status = RowStatus.CHANGED if writes else RowStatus.UNCHANGED
