"""Schools in a list: finding the registered one a row names, its settlement, and the plan of a
schools list (name, KATO settlement, language of instruction)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from daryn_desktop.core.entities import School
from daryn_desktop.core.enums import Language
from daryn_desktop.core.ids import is_id, new_id
from daryn_desktop.core.imports import values as v
from daryn_desktop.core.imports.directory import Directory, SchoolRef, school_key
from daryn_desktop.core.imports.layout import DataRow, Layout
from daryn_desktop.core.imports.plan import Insert, RowOutcome, RowStatus, Update
from daryn_desktop.core.imports.rows import RowReader, changes_of, enum_label, shown
from daryn_desktop.core.imports.text import fold
from daryn_desktop.core.territory import SETTLEMENT, Place, gazetteer
from daryn_desktop.i18n import N_, _, current_language

MSG_NO_SCHOOL = N_("No school is given: add a school column or choose the school of the list.")
MSG_UNKNOWN_SCHOOL = N_(
    "“{name}” is not a school of the registry: add it under File → Schools or import the"
    " schools first.")
MSG_TWO_SCHOOLS = N_(
    "Several schools are called “{name}”: write the school's code from the template's codes"
    " sheet instead.")
MSG_ARCHIVED_SCHOOL = N_("The school “{name}” is archived.")
MSG_UNKNOWN_SETTLEMENT = N_("No settlement of the {area} is called “{name}”: write its KATO code.")
MSG_TWO_SETTLEMENTS = N_(
    "Several settlements of the {area} are called “{name}”: write the KATO code of the right"
    " one.")
MSG_NOT_A_SETTLEMENT = N_("{code} is not a settlement in the KATO classifier.")
MSG_OUTSIDE_DISTRICT = N_("The settlement {name} is not in this installation's district.")
MSG_NO_SETTLEMENT = N_(
    "The settlement is not given and cannot be told from the name: add a settlement column.")
MSG_NO_NAME = N_("The school's name is missing.")
MSG_SAME_SCHOOL = N_("The same school as in row {other}.")

_KATO = re.compile(r"\d{9}")
_RU_PREFIXES = re.compile(r"^(с\.|п\.|г\.|ст\.|село|посёлок|поселок|город|аул|ауыл)\s*",
                          re.IGNORECASE)
_KK_SUFFIXES = re.compile(r"\s+(а\.|к\.|қ\.|ауылы|ауыл|қаласы|кенті|селосы)$", re.IGNORECASE)

COLUMN_LABELS = {"name": N_("School name"), "settlement_kato": N_("Settlement"),
                 "district_kato": N_("District"), "language": N_("Language of instruction"),
                 "small_ungraded": N_("Small ungraded school"), "address": N_("Address"),
                 "phone": N_("Phone")}


def _scope(directory: Directory) -> tuple[str, list[Place]]:
    """The area settlements are looked for in (the district, else the region) and its
    inhabited settlements."""
    places = gazetteer()
    area = directory.district_kato or directory.region_kato
    if directory.district_kato:
        settlements = places.settlements(directory.district_kato)
    else:
        settlements = [s for d in places.districts(directory.region_kato)
                       for s in places.settlements(d.code)]
    return area, settlements


def _bare(text: str) -> str:
    return fold(_KK_SUFFIXES.sub("", _RU_PREFIXES.sub("", text.strip())))


def find_settlement(text: str, directory: Directory) -> Place:
    """The settlement a cell names: a KATO code, or a name within the installation's area.

    Raises ``CellProblem`` when there is none or several (villages share names).
    """
    places = gazetteer()
    code = text.strip()
    if _KATO.fullmatch(code):
        place = places.find(code)
        if place is None or place.level != SETTLEMENT:
            raise v.CellProblem(MSG_NOT_A_SETTLEMENT, code=code)
        return place
    area, settlements = _scope(directory)
    wanted = _bare(text)
    found = [s for s in settlements if wanted in {fold(n) for n in s.bare_names()}]
    if len(found) > 1:
        found = [s for s in found if s.is_inhabited or not s.is_rural] or found
    area_name = places.get(area).name("kk") if area in places else area
    if not found:
        raise v.CellProblem(MSG_UNKNOWN_SETTLEMENT, area=area_name, name=text.strip())
    if len(found) > 1:
        raise v.CellProblem(MSG_TWO_SETTLEMENTS, area=area_name, name=text.strip())
    return found[0]


def guess_settlement(school_name: str, directory: Directory) -> Place | None:
    """The one settlement of the area whose name is in the school's ("Қарабұлақ орта
    мектебі" → Қарабұлақ), or None when none or several are."""
    _area, settlements = _scope(directory)
    words = f" {fold(school_name)} "
    found = {s.code: s for s in settlements if s.is_inhabited or not s.is_rural
             for name in s.bare_names() if len(name) > 2 and f" {fold(name)} " in words}
    return next(iter(found.values())) if len(found) == 1 else None


@dataclass
class SchoolResolver:
    """Finds the registered school each row names, or (when allowed) plans a new one."""

    directory: Directory
    default_id: str | None = None
    create: bool = False
    created: dict[str, Insert] = field(default_factory=dict)

    def resolve(self, reader: RowReader, key: str = "school", *,
                required: bool = True) -> SchoolRef | None:
        text = reader.read(key, v.text)
        if text is None:
            if self.default_id:
                return self.directory.school(self.default_id)
            if required:
                reader.error(key, MSG_NO_SCHOOL)
            return None
        found = ([s] if is_id(text) and (s := self.directory.school(text)) else
                 self.directory.schools(text))
        active = [s for s in found if not s.archived] or found
        if len(active) == 1:
            return active[0]
        if len(active) > 1:
            reader.error(key, MSG_TWO_SCHOOLS, name=text)
            return None
        planned = self.created.get(school_key(text))
        if planned is not None:
            return _ref(planned)
        place = guess_settlement(text, self.directory) if self.create else None
        if place is None:
            reader.error(key, MSG_UNKNOWN_SCHOOL, name=text)
            return None
        school = School(name=text, settlement_kato=place.code,
                        district_kato=place.parent or "", language=Language.KAZAKH)
        insert = Insert("schools", _school_values(school))
        self.created[school_key(text)] = insert
        return _ref(insert)


def _ref(insert: Insert) -> SchoolRef:
    values = insert.values
    return SchoolRef(values["id"], values["name"], values["settlement_kato"],
                     values["district_kato"], values["language"])


def _school_values(school: School) -> dict[str, object]:
    return {"id": school.id, "name": school.name, "settlement_kato": school.settlement_kato,
            "district_kato": school.district_kato, "language": school.language.value,
            "small_ungraded": int(school.small_ungraded), "address": school.address,
            "phone": school.phone, "archived": 0}


def school_label(directory: Directory, school_id: object) -> str:
    found = directory.school(str(school_id)) if school_id else None
    return found.name if found else shown(school_id)


# -- a list of schools -----------------------------------------------------------------------
def plan_schools(rows: Iterable[DataRow], layout: Layout, directory: Directory
                 ) -> list[RowOutcome]:
    """What importing a list of schools would do, row by row."""
    outcomes: list[RowOutcome] = []
    seen: dict[str, int] = {}
    places = gazetteer()
    for row in rows:
        reader = RowReader(row, layout)
        name = reader.read("name", v.text)
        outcome = RowOutcome(row.number, RowStatus.NEW, name or "", row.raw)
        outcomes.append(outcome)
        if name is None:
            reader.error("name", MSG_NO_NAME)
        place: Place | None = None
        settlement_text = reader.read("settlement", v.text)
        if settlement_text is not None:
            try:
                place = find_settlement(settlement_text, directory)
            except v.CellProblem as exc:
                reader.error("settlement", exc.message, **exc.params)
        elif name is not None:
            place = guess_settlement(name, directory)
        language = reader.read("language", v.word, Language)
        small = reader.read("small_ungraded", v.yes_no)
        address = reader.read("address", v.text)
        phone = reader.read("phone", v.text)
        code = reader.read("id", v.text)
        existing = _existing_school(reader, directory, name, code, place)
        if place is None and existing is None and not reader.failed:
            reader.error("settlement", MSG_NO_SETTLEMENT)
        district = places.district_of(place.code) if place else None
        if (place is not None and directory.district_kato
                and (district is None or district.code != directory.district_kato)):
            reader.error("settlement", MSG_OUTSIDE_DISTRICT, name=place.name("kk"))
        key = f"{school_key(name or '')}|{place.code if place else ''}"
        if name and key in seen:
            reader.error("name", MSG_SAME_SCHOOL, other=seen[key])
        elif name:
            seen[key] = row.number
        outcome.problems = reader.problems
        if reader.failed or name is None:
            outcome.status = RowStatus.REJECTED
            continue
        wanted: dict[str, object] = {"name": name}
        if place is not None and district is not None:
            wanted |= {"settlement_kato": place.code, "district_kato": district.code}
        if language is not None:
            wanted["language"] = language.value
        if small is not None:
            wanted["small_ungraded"] = int(small)
        for column, value in (("address", address), ("phone", phone)):
            if value is not None:
                wanted[column] = value
        if existing is None:
            school = School(name=name, settlement_kato=str(wanted["settlement_kato"]),
                            district_kato=str(wanted["district_kato"]),
                            language=language or Language.KAZAKH, small_ungraded=bool(small),
                            address=address, phone=phone, id=new_id())
            outcome.writes = [Insert("schools", _school_values(school))]
            continue
        diff = {c: (existing.values.get(c), new) for c, new in wanted.items()
                if existing.values.get(c) != new}
        if diff:
            outcome.status = RowStatus.CHANGED
            outcome.writes = [Update("schools", existing.id, diff)]
            outcome.changes = changes_of(diff, COLUMN_LABELS, _show_school_value)
        else:
            outcome.status = RowStatus.UNCHANGED
    return outcomes


@dataclass
class _Existing:
    id: str
    values: dict[str, object]


def _existing_school(reader: RowReader, directory: Directory, name: str | None,
                     code: str | None, place: Place | None) -> _Existing | None:
    found: list[SchoolRef] = []
    if code and (by_id := directory.school(code)) is not None:
        found = [by_id]
    elif name:
        found = directory.schools(name)
        if place is not None and len(found) > 1:
            found = [s for s in found if s.settlement_kato == place.code]
    if len(found) > 1:
        reader.error("name", MSG_TWO_SCHOOLS, name=name or code or "")
        return None
    if not found:
        return None
    return _Existing(found[0].id, directory.school_values(found[0].id))


def _show_school_value(column: str, value: object) -> str:
    if column in ("settlement_kato", "district_kato") and value:
        place = gazetteer().find(str(value))
        return place.name(current_language()) if place else str(value)
    if column == "language" and value:
        return enum_label(Language, value)
    if column == "small_ungraded":
        return _("yes") if value else _("no")
    return shown(value)
