"""The registry's rows for a whole list at once (an export of every matching pupil).

The registry on screen reads a block of rows at a time by key (:func:`registry_rows`); for
100,000 pupils that is thousands of scattered page reads, each decrypted. A long list is read
instead by walking each table once (pupils, categories, areas, achievements, road maps), in
the order the pages lie, and the rows are put in the list's order in memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING

from daryn_desktop.core.territory import gazetteer
from daryn_desktop.storage.registry import RegistryRow, current_academic_year, registry_rows

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

#: From this many rows on, walking the tables once is cheaper than looking rows up by key.
WALK_FROM = 3000
#: Rows looked up by key at a time in a short list (a thousand make SQLite walk them all).
BLOCK = 500


def iter_registry_rows(store: Store, keys: Sequence[int], *, academic_year: str | None = None,
                       today: date | None = None) -> Iterator[RegistryRow]:
    """The registry rows of ``keys`` (numbers of :func:`ordered_keys`), in that order."""
    today = today or date.today()
    year = academic_year or current_academic_year(today)
    if len(keys) < WALK_FROM:
        for start in range(0, len(keys), BLOCK):
            yield from registry_rows(store, keys[start:start + BLOCK], academic_year=year,
                                     today=today)
        return
    db = store.db
    wanted = set(keys)
    base = {}
    for row in db.execute(
            "SELECT r.num, p.id, p.surname, p.given_name, p.patronymic, p.iin, p.grade,"
            " p.class_letter, p.status, s.name, s.district_kato,"
            " coalesce(p.settlement_kato, s.settlement_kato)"
            " FROM pupil_search_rows r JOIN pupils p ON p.id = r.pupil_id"
            " JOIN schools s ON s.id = p.school_id"):
        if row[0] in wanted:
            base[row[0]] = row
    ids = {row[1] for row in base.values()}
    categories: dict[str, list[str]] = {}
    for pupil_id, category in db.execute(
            "SELECT pupil_id, category FROM pupil_categories WHERE removed = 0"
            " AND (until IS NULL OR until >= ?) ORDER BY rowid", [today.isoformat()]):
        if pupil_id in ids and category not in categories.setdefault(pupil_id, []):
            categories[pupil_id].append(category)
    areas: dict[str, list[tuple[str, str]]] = {}
    for pupil_id, kind, area in db.execute(
            "SELECT pupil_id, kind, field FROM giftedness_areas WHERE removed = 0"
            " ORDER BY rowid"):
        if pupil_id in ids:
            areas.setdefault(pupil_id, []).append((kind, area))
    achievements = dict(db.execute(
        "SELECT pupil_id, count(*) FROM achievements WHERE removed = 0 GROUP BY pupil_id"))
    road_maps: dict[str, str] = {}
    for pupil_id, status in db.execute(
            "SELECT pupil_id, status FROM road_maps WHERE academic_year = ? ORDER BY rowid",
            [year]):
        road_maps[pupil_id] = status  # the last one, as the registry on screen shows
    places = gazetteer()
    rural: dict[str | None, bool | None] = {}
    for key in keys:
        found = base.get(key)
        if found is None:
            continue  # removed meanwhile (a purge)
        (num, pid, surname, given, patronymic, iin, grade, letter, status, school, district,
         settlement) = found
        if settlement not in rural:
            place = places.find(settlement)
            rural[settlement] = place.is_rural if place is not None else None
        yield RegistryRow(
            key=num, id=pid, surname=surname, given_name=given, patronymic=patronymic,
            iin=iin, grade=grade, class_letter=letter, status=status, school_name=school,
            district_kato=district, settlement_kato=settlement, rural=rural[settlement],
            categories=tuple(categories.get(pid, ())), giftedness=tuple(areas.get(pid, ())),
            achievements=achievements.get(pid, 0), road_map_status=road_maps.get(pid))
