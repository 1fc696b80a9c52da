"""The facts of a school's list of gifted pupils: its active pupils, their areas and categories.

Two queries for the whole school whatever its size: the pupils (with their road map's status
in the year), then their areas and categories together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store


@dataclass
class ListedCategory:
    """A family category with the dates it holds between (ISO text, open ends are None)."""

    category: str
    since: str | None
    until: str | None


@dataclass
class ListedPupil:
    """One active pupil of the school as the list shows them."""

    id: str
    surname: str
    given_name: str
    patronymic: str | None
    grade: int
    class_letter: str | None
    birth_date: str | None
    settlement_kato: str | None
    road_map_status: str | None  # None: no road map in the year
    areas: list[tuple[str, str]] = field(default_factory=list)  # (kind, field), in entry order
    categories: list[ListedCategory] = field(default_factory=list)  # in entry order


def school_list_pupils(store: Store, school_id: str, academic_year: str) -> list[ListedPupil]:
    """The school's active pupils in Kazakh alphabetical order, each with areas and categories."""
    db = store.db
    pupils = [ListedPupil(*row) for row in db.execute(
        "SELECT p.id, p.surname, p.given_name, p.patronymic, p.grade, p.class_letter,"
        " p.birth_date, p.settlement_kato,"
        " (SELECT m.status FROM road_maps m WHERE m.pupil_id = p.id AND m.academic_year = ?"
        "  LIMIT 1)"
        " FROM pupils p WHERE p.school_id = ? AND p.status = 'active' ORDER BY p.sort_key, p.id",
        [academic_year, school_id])]
    by_id = {p.id: p for p in pupils}
    # Both child tables in one pass; "a" rows are areas, "c" rows categories.
    rows = db.execute(
        "SELECT 'a', g.pupil_id, g.kind, g.field, NULL, g.rowid AS n FROM giftedness_areas g"
        " JOIN pupils p ON p.id = g.pupil_id"
        " WHERE p.school_id = ? AND p.status = 'active' AND g.removed = 0"
        " UNION ALL"
        " SELECT 'c', c.pupil_id, c.category, c.since, c.until, c.rowid FROM pupil_categories c"
        " JOIN pupils p ON p.id = c.pupil_id"
        " WHERE p.school_id = ? AND p.status = 'active' AND c.removed = 0"
        " ORDER BY 1, 2, n", [school_id, school_id])
    for tag, pupil_id, first, second, third, _n in rows:
        pupil = by_id[pupil_id]
        if tag == "a":
            pupil.areas.append((first, second))
        else:
            pupil.categories.append(ListedCategory(first, second, third))
    return pupils
