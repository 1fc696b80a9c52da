"""The pupil registry's queries: ordered keys, row columns, filter choices, history, records.

The registry shows up to hundreds of thousands of pupils, so it never loads them all: a
query returns only the keys of the matching pupils in display order (their numbers in the
search's ordered copy ``pupil_search_rows``: a compact integer array), and the columns are
read a block of rows at a time for the rows on screen (:func:`registry_rows`).
"""

from __future__ import annotations

import copy
import getpass
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple

from daryn_desktop.core import entities as e
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.findings import Finding, error
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.i18n import N_
from daryn_desktop.storage.changelog import LogCodec, decode_at, decode_id, encode_id
from daryn_desktop.storage.rows import to_row
from daryn_desktop.storage.search import PupilQuery, count_pupils, ordered_numbers

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store
    from daryn_desktop.storage.writer import Writer


def current_academic_year(today: date | None = None) -> str:
    """The label of the academic year in progress ("2025-2026")."""
    return AcademicYear.containing(today or date.today()).label


def default_author() -> str | None:
    """Who is recorded as the author of edits made on this computer: the login name."""
    try:
        return getpass.getuser() or None
    except Exception:  # no login name in some service or container set-ups
        return None


# -- ordering ---------------------------------------------------------------------------------
class SortColumn(str, Enum):
    """The columns the registry can be sorted by (names in Kazakh alphabetical order)."""

    NAME = "name"
    IIN = "iin"
    SCHOOL = "school"
    GRADE = "grade"


# Orders other than by name; a unary "+" keeps SQLite from walking the name index and then
# visiting every row in name order (random reads, slower than one scan and a sort).
_ORDER = {
    SortColumn.IIN: "p.iin, r.pupil_id",
    SortColumn.SCHOOL: "s.sort_key, +r.sort_key, r.pupil_id",
    SortColumn.GRADE: "p.grade, p.class_letter, +r.sort_key, r.pupil_id",
}


def ordered_keys(store: Store, query: PupilQuery, sort: SortColumn = SortColumn.NAME,
                 descending: bool = False, *, limit: int | None = None) -> array[int]:
    """The keys (numbers in ``pupil_search_rows``) of the matching pupils in display order.

    In name order (the usual one) this walks the ordered copy of the pupils that search
    keeps; ``limit`` then stops after the first rows, which is what the registry shows first.
    """
    if sort == SortColumn.NAME:
        return array("q", ordered_numbers(store, query, limit, descending=descending))
    where, params = query.where()
    join = " JOIN schools s ON s.id = p.school_id"
    sql = (f"SELECT r.num FROM pupil_search_rows r JOIN pupils p ON p.id = r.pupil_id{join}"
           f" WHERE {where} ORDER BY {_ORDER[sort]}")
    keys = array("q", (r[0] for r in store.db.execute(sql, params)))
    if descending:
        keys.reverse()
    return keys[:limit] if limit is not None else keys


def count_matching(store: Store, query: PupilQuery) -> int:
    """How many pupils match ``query`` (without reading their order)."""
    return count_pupils(store, query)


#: SQLite's page cache for an interactive session, in MiB. The default (8 MiB) holds a small
#: part of the pages of 100,000 pupils, and every search then decrypts them again; with the
#: registry's pages cached a search is several times faster.
BROWSING_CACHE_MIB = 64


def use_browsing_cache(store: Store, mib: int = BROWSING_CACHE_MIB) -> None:
    """Give the connection a page cache large enough for the registry (grows only as used)."""
    store.db.execute(f"PRAGMA cache_size = -{int(mib) * 1024}")


def data_token(store: Store) -> tuple[int, int]:
    """Changes whenever the database changes (here or through another connection), so that
    cached query results can be checked cheaply."""
    version = store.db.execute("PRAGMA data_version").fetchone()[0]
    return version, store.db.conn.total_changes


# -- rows -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegistryRow:
    """One line of the registry, with what the coordinator needs to see at a glance."""

    key: int
    id: str
    surname: str
    given_name: str
    patronymic: str | None
    iin: str
    grade: int
    class_letter: str | None
    status: str
    school_name: str
    district_kato: str
    settlement_kato: str | None
    #: True for a rural settlement, False for a town, None when the place is unknown.
    rural: bool | None
    categories: tuple[str, ...]
    giftedness: tuple[tuple[str, str], ...]
    achievements: int
    #: The status of this academic year's road map; None when there is none.
    road_map_status: str | None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    @property
    def grade_label(self) -> str:
        return f"{self.grade}{self.class_letter or ''}"


def _placeholders(n: int) -> str:
    return ", ".join("?" * n)


def registry_rows(store: Store, keys: Sequence[int], *, academic_year: str | None = None,
                  today: date | None = None) -> list[RegistryRow]:
    """The registry columns of the pupils with these keys, in the order given (missing keys,
    e.g. of pupils removed meanwhile by a purge, are skipped)."""
    if not keys:
        return []
    today = today or date.today()
    year = academic_year or current_academic_year(today)
    wanted = list(keys)
    marks = _placeholders(len(wanted))
    base = store.db.execute(
        "SELECT r.num, p.id, p.surname, p.given_name, p.patronymic, p.iin, p.grade,"
        " p.class_letter, p.status, s.name, s.district_kato,"
        " coalesce(p.settlement_kato, s.settlement_kato)"
        " FROM pupil_search_rows r JOIN pupils p ON p.id = r.pupil_id"
        f" JOIN schools s ON s.id = p.school_id WHERE r.num IN ({marks})", wanted).fetchall()
    ids = [r[1] for r in base]
    id_marks = _placeholders(len(ids))
    categories: dict[str, list[str]] = {}
    for pupil_id, category in store.db.execute(
            f"SELECT pupil_id, category FROM pupil_categories WHERE pupil_id IN ({id_marks})"
            " AND (until IS NULL OR until >= ?) AND removed = 0 ORDER BY rowid",
            [*ids, today.isoformat()]):
        if category not in categories.setdefault(pupil_id, []):
            categories[pupil_id].append(category)
    areas: dict[str, list[tuple[str, str]]] = {}
    for pupil_id, kind, area in store.db.execute(
            f"SELECT pupil_id, kind, field FROM giftedness_areas WHERE pupil_id IN ({id_marks})"
            " AND removed = 0 ORDER BY rowid", ids):
        areas.setdefault(pupil_id, []).append((kind, area))
    achievements = dict(store.db.execute(
        f"SELECT pupil_id, count(*) FROM achievements WHERE pupil_id IN ({id_marks})"
        " AND removed = 0 GROUP BY pupil_id", ids).fetchall())
    road_maps = dict(store.db.execute(
        f"SELECT pupil_id, status FROM road_maps WHERE pupil_id IN ({id_marks})"
        " AND academic_year = ? ORDER BY rowid", [*ids, year]).fetchall())
    places = gazetteer()
    by_key: dict[int, RegistryRow] = {}
    for (key, pid, surname, given, patronymic, iin, grade, letter, status, school,
         district, settlement) in base:
        place = places.find(settlement)
        by_key[key] = RegistryRow(
            key=key, id=pid, surname=surname, given_name=given, patronymic=patronymic,
            iin=iin, grade=grade, class_letter=letter, status=status, school_name=school,
            district_kato=district, settlement_kato=settlement,
            rural=place.is_rural if place is not None else None,
            categories=tuple(categories.get(pid, ())), giftedness=tuple(areas.get(pid, ())),
            achievements=achievements.get(pid, 0), road_map_status=road_maps.get(pid))
    return [by_key[k] for k in wanted if k in by_key]


def key_of(store: Store, pupil_id: str) -> int | None:
    """A pupil's key in the registry's order (see :func:`ordered_keys`)."""
    row = store.db.execute("SELECT num FROM pupil_search_rows WHERE pupil_id = ?",
                           [pupil_id]).fetchone()
    return row[0] if row else None


# -- filter choices ---------------------------------------------------------------------------
class SchoolInfo(NamedTuple):
    """What pickers need of a school (lighter than the entity: a region has thousands)."""

    id: str
    name: str
    settlement_kato: str
    district_kato: str


def school_infos(store: Store) -> list[SchoolInfo]:
    """The schools in use (not archived), in Kazakh alphabetical order."""
    return [SchoolInfo(*r) for r in store.db.execute(
        "SELECT id, name, settlement_kato, district_kato FROM schools WHERE archived = 0"
        " ORDER BY sort_key")]


def school_info(store: Store, school_id: str) -> SchoolInfo | None:
    """One school, archived or not (an archived school still shows on its old pupils)."""
    row = store.db.execute(
        "SELECT id, name, settlement_kato, district_kato FROM schools WHERE id = ?",
        [school_id]).fetchone()
    return SchoolInfo(*row) if row else None


def active_pupils_per_school(store: Store) -> dict[str, int]:
    """How many active pupils each school has (schools without any are absent)."""
    return {school_id: n for school_id, n in store.db.execute(
        "SELECT school_id, count(*) FROM pupils WHERE status = 'active' GROUP BY school_id")}


def has_pupils(store: Store) -> bool:
    """Whether the registry holds any pupil at all (of any status)."""
    return store.db.execute("SELECT 1 FROM pupils LIMIT 1").fetchone() is not None


def districts_with_schools(store: Store) -> list[str]:
    """KATO codes of the districts that have schools in this database."""
    return [r[0] for r in store.db.execute(
        "SELECT DISTINCT district_kato FROM schools WHERE archived = 0 ORDER BY district_kato")]


# -- history ----------------------------------------------------------------------------------
#: The pupil's own tables whose changes make up the editor's History tab.
HISTORY_TABLES = ("guardians", "pupil_categories", "giftedness_areas", "diagnostics",
                  "achievements", "attachments", "participants", "research_projects",
                  "support_records")


@dataclass(frozen=True)
class HistoryEntry:
    """One write of one record: who, when, which record, which fields got which values."""

    at: datetime
    author: str | None
    table: str
    row_id: str
    op: str
    fields: dict[str, Any]
    origin_site: str


def pupil_history(store: Store, pupil_id: str, *, limit: int = 1000) -> list[HistoryEntry]:
    """The change log of a pupil and the records that belong to the pupil, newest first."""
    codec = LogCodec(store.db)
    records = [("pupils", pupil_id)]
    for table in HISTORY_TABLES:
        records += [(table, r[0]) for r in store.db.execute(
            f"SELECT id FROM [{table}] WHERE pupil_id = ?", [pupil_id])]
    found = []
    for table, row_id in records:
        shapes = codec.shapes_of(table)
        if shapes:
            found += store.db.execute(
                "SELECT hlc, seq, site, origin_seq, shape, row_id, data, author, at"
                f" FROM change_log WHERE row_id = ? AND shape IN ({','.join('?' * len(shapes))})",
                [encode_id(row_id), *shapes]).fetchall()
    found = sorted(found, key=lambda r: (r[0], r[1]), reverse=True)[:limit]
    fields = codec.fields([(r[4], decode_id(r[5]), r[6]) for r in found])
    entries = []
    for (_hlc, _seq, site, _n, shape, row_id, _data, author, at), (values, _whole) in zip(
            found, fields):
        entries.append(HistoryEntry(datetime.fromisoformat(decode_at(at)), author,
                                    codec.shape(shape).tbl, decode_id(row_id),
                                    codec.shape(shape).op, values, codec.site(site) or ""))
    return entries


# -- the pupil's whole record -----------------------------------------------------------------
@dataclass
class PupilRecord:
    """A pupil with everything the editor shows, edited as one unit and saved at once."""

    pupil: e.Pupil
    guardians: list[e.Guardian] = field(default_factory=list)
    categories: list[e.CategoryRecord] = field(default_factory=list)
    giftedness: list[e.GiftednessArea] = field(default_factory=list)
    diagnostics: list[e.Diagnostic] = field(default_factory=list)
    achievements: list[e.Achievement] = field(default_factory=list)
    attachments: list[e.Attachment] = field(default_factory=list)
    #: Contents of attachments added in the editor and not yet saved, by SHA-256.
    new_files: dict[str, bytes] = field(default_factory=dict)

    def copy(self) -> PupilRecord:
        return copy.deepcopy(self)


#: The record's lists and the tables they are stored in.
CHILD_TABLES = {
    "guardians": "guardians",
    "categories": "pupil_categories",
    "giftedness": "giftedness_areas",
    "diagnostics": "diagnostics",
    "achievements": "achievements",
    "attachments": "attachments",
}


def load_record(store: Store, pupil_id: str) -> PupilRecord:
    """The pupil and all their records, as the editor opens them."""
    repos = store.repos
    return PupilRecord(
        pupil=repos.pupils.get(pupil_id),
        guardians=repos.guardians.for_parent(pupil_id),
        categories=repos.categories.for_parent(pupil_id),
        giftedness=repos.giftedness.for_parent(pupil_id),
        diagnostics=repos.diagnostics.for_parent(pupil_id),
        achievements=repos.achievements.for_parent(pupil_id),
        attachments=repos.attachments.for_parent(pupil_id),
    )


def _write_children(w: Writer, table: str, items: Iterable[Any], before: dict[str, Any]) -> None:
    for item in items:
        row = to_row(item)
        row_id = row.pop("id")
        if row_id in before:
            w.update(table, row_id, row)
        else:
            w.insert(table, {**row, "id": row_id})


def save_record(store: Store, record: PupilRecord, *, original: PupilRecord | None = None,
                author: str | None = None) -> None:
    """Write a new or edited record in one transaction: only fields that differ are written
    (and logged); either everything is saved or nothing is.

    ``original`` is the record as loaded (None for a new pupil). Records cannot be removed
    through sync-safe storage, so every list item is either new (inserted) or kept (updated).
    """
    pupils = store.repos.pupils
    pupils.check_unique_iin(record.pupil)
    with store.transaction(author) as w:
        row = to_row(record.pupil)
        pupil_id = row.pop("id")
        if original is None:
            w.insert("pupils", {**row, "id": pupil_id})
        else:
            w.update("pupils", pupil_id, row)
        for name, table in CHILD_TABLES.items():
            before = {item.id: item for item in getattr(original, name, [])} if original else {}
            items = getattr(record, name)
            if name == "attachments":
                for item in items:
                    if item.id not in before:
                        data = record.new_files.get(item.sha256)
                        if data is None:
                            raise KeyError(f"no content for attachment {item.filename}")
                        w.db.execute("INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)",
                                     [item.sha256, data])
            _write_children(w, table, items, before)
    record.new_files.clear()


def validate_children(record: PupilRecord) -> list[Finding]:
    """Errors in the record's lists; the field is "<list>.<index>.<column>"."""
    found: list[Finding] = []
    required = N_("This field is required.")
    for i, guardian in enumerate(record.guardians):
        if not guardian.full_name.strip():
            found.append(error(f"guardians.{i}.full_name", required))
    for i, category in enumerate(record.categories):
        if category.since and category.until and category.until < category.since:
            found.append(error(f"categories.{i}.until",
                               N_("The end date is before the start date.")))
    for i, area in enumerate(record.giftedness):
        if not area.field.strip():
            found.append(error(f"giftedness.{i}.field", required))
    for i, achievement in enumerate(record.achievements):
        if not achievement.event_name.strip():
            found.append(error(f"achievements.{i}.event_name", required))
        try:
            AcademicYear.parse(achievement.academic_year)
        except ValueError:
            found.append(error(f"achievements.{i}.academic_year",
                               N_("Write the academic year as 2025-2026.")))
    return found
