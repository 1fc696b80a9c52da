"""A list of teachers and specialists with their school and position."""

from __future__ import annotations

from collections.abc import Iterable

from daryn_desktop.core.entities import Staff
from daryn_desktop.core.enums import StaffRole
from daryn_desktop.core.ids import new_id
from daryn_desktop.core.imports import values as v
from daryn_desktop.core.imports.directory import Directory, person_key
from daryn_desktop.core.imports.layout import DataRow, Layout
from daryn_desktop.core.imports.plan import Insert, RowOutcome, RowStatus, Update
from daryn_desktop.core.imports.rows import RowReader, changes_of, enum_label, shown
from daryn_desktop.core.imports.schools import SchoolResolver, school_label
from daryn_desktop.core.validation import MAX_NAME_LENGTH
from daryn_desktop.i18n import N_

MSG_REQUIRED = N_("This field is required.")
MSG_TOO_LONG = N_("At most {max} characters.")
MSG_SEVERAL_STAFF = N_("Several registered people ({count}) are called {name} at this school:"
                       " correct the list of teachers and specialists first.")
MSG_SAME_PERSON = N_("The same person as in row {other}.")

COLUMN_LABELS = {"surname": N_("Surname"), "given_name": N_("Given name"),
                 "patronymic": N_("Patronymic"), "role": N_("Position"),
                 "school_id": N_("School"), "subject": N_("Subject"), "phone": N_("Phone")}


def plan_staff(rows: Iterable[DataRow], layout: Layout, directory: Directory, *,
               school_id: str | None = None, create_schools: bool = False
               ) -> tuple[list[RowOutcome], list[Insert]]:
    """What importing a list of staff would do, row by row, and the schools it would create."""
    schools = SchoolResolver(directory, school_id, create_schools)
    outcomes: list[RowOutcome] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for row in rows:
        reader = RowReader(row, layout)
        surname, given, patronymic = reader.names()
        outcome = RowOutcome(row.number, RowStatus.NEW,
                             " ".join(p for p in (surname, given, patronymic) if p), row.raw)
        outcomes.append(outcome)
        for key, value in (("surname", surname), ("given_name", given)):
            if not value:
                reader.error(key if reader.has(key) else "full_name", MSG_REQUIRED)
            elif len(value) > MAX_NAME_LENGTH:
                reader.error(key, MSG_TOO_LONG, max=MAX_NAME_LENGTH)
        role = reader.read("role", v.word, StaffRole) or StaffRole.TEACHER
        school = schools.resolve(reader, required=False)
        subject, phone = reader.read("subject", v.text), reader.read("phone", v.text)
        wanted: dict[str, object] = {"surname": surname, "given_name": given,
                                     "patronymic": patronymic, "role": role,
                                     "school_id": school.id if school else None,
                                     "subject": subject, "phone": phone}
        wanted = {k: value for k, value in wanted.items()
                  if value is not None or k == "school_id"}
        identity = (*person_key(surname, given), (patronymic or "").casefold(),
                    str(wanted["school_id"] or ""))
        if identity in seen and not reader.failed:
            reader.error(None, MSG_SAME_PERSON, other=seen[identity])
        seen.setdefault(identity, row.number)
        found = [] if reader.failed else directory.staff(
            surname or "", given, str(wanted["school_id"]) if wanted["school_id"] else None)
        if patronymic:
            exact = [s for s in found if (s.values.get("patronymic") or "").casefold()
                     == patronymic.casefold()]
            found = exact or [s for s in found if not s.values.get("patronymic")]
        if len(found) > 1:
            reader.error(None, MSG_SEVERAL_STAFF, count=len(found), name=outcome.label)
        outcome.problems = reader.problems
        if reader.failed:
            outcome.status = RowStatus.REJECTED
            continue
        if not found:
            staff = Staff(surname=surname or "", given_name=given or "", role=role,
                          patronymic=patronymic, school_id=school.id if school else None,
                          subject=subject, phone=phone, id=new_id())
            outcome.writes = [Insert("staff", {"id": staff.id, "surname": staff.surname,
                                               "given_name": staff.given_name,
                                               "patronymic": staff.patronymic,
                                               "role": staff.role, "school_id": staff.school_id,
                                               "subject": staff.subject, "phone": staff.phone,
                                               "archived": 0})]
            continue
        existing = found[0]
        diff = {k: (existing.values.get(k), value) for k, value in wanted.items()
                if k != "school_id" and _stored(value) != existing.values.get(k)}
        if diff:

            def show(column: str, value: object) -> str:
                if column == "role":
                    return enum_label(StaffRole, _stored(value))
                return school_label(directory, value) if column == "school_id" else shown(value)

            outcome.status = RowStatus.CHANGED
            outcome.writes = [Update("staff", existing.id, diff)]
            outcome.changes = changes_of(diff, COLUMN_LABELS, show)
        else:
            outcome.status = RowStatus.UNCHANGED
    return outcomes, list(schools.created.values())


def _stored(value: object) -> object:
    return value.value if isinstance(value, StaffRole) else value
