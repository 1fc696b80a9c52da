"""What the pupil editor's tabs ask of it: schools, staff, the district, which rows are new."""

from __future__ import annotations

from daryn_desktop.core.enums import Language
from daryn_desktop.gui.editor.choices import SharedChoices
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import PupilRecord, SchoolInfo


class PupilData:
    """The editor's answers to its tabs (see RecordHost), read from the record and the store."""

    store: Store
    choices: SharedChoices
    record: PupilRecord
    original: PupilRecord | None
    _staff: dict[str | None, list[tuple[str, str]]]

    def profile_language_of(self, school_id: str) -> Language | None:
        """The language a new pupil of the school learns in (None for a mixed school)."""
        school = self.store.repos.schools.find(school_id)
        if school is None or school.language == Language.MIXED:
            return None
        return school.language

    @property
    def pupil_id(self) -> str | None:
        return self.original.pupil.id if self.original else None

    def school(self, school_id: str | None) -> SchoolInfo | None:
        return self.choices.school(school_id)

    def forget_choices(self) -> None:
        self.choices.forget()
        self._staff.clear()

    def staff_choices(self) -> list[tuple[str, str]]:
        """Teachers and specialists of the pupil's school and of the district office."""
        school_id = self.record.pupil.school_id or None
        if school_id not in self._staff:
            people = self.store.repos.staff.where(
                "archived = 0 AND (school_id IS NULL OR school_id = ?)", [school_id or ""],
                "sort_key")
            self._staff[school_id] = [(f"{p.full_name} ({p.role.label})", p.id) for p in people]
        choices = list(self._staff[school_id])
        known = {value for _t, value in choices}
        referenced = {a.teacher_id for a in self.record.achievements} | {
            d.staff_id for d in self.record.diagnostics}
        for staff_id in sorted(i for i in referenced if i and i not in known):
            person = self.store.repos.staff.find(staff_id)
            if person is not None:
                choices.append((person.full_name, person.id))
        return choices

    def default_district(self) -> str | None:
        school = self.school(self.record.pupil.school_id)
        return school.district_kato if school else self.store.installation.district_kato

    def is_new_item(self, list_name: str, row: int) -> bool:
        items = getattr(self.record, list_name)
        if not 0 <= row < len(items):
            return False
        saved = {item.id for item in getattr(self.original, list_name)} if self.original else set()
        return items[row].id not in saved
