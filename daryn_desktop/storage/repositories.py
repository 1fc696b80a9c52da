"""Reading and writing each kind of record; every write goes through the write path."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import PupilStatus
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_
from daryn_desktop.storage.rows import from_row, to_db, to_row
from daryn_desktop.storage.writer import Writer

if TYPE_CHECKING:
    from sqlite_utils import Database

    from daryn_desktop.core.enums import AttachmentKind
    from daryn_desktop.storage.database import Store

T = TypeVar("T")


class NotFound(UserError):
    message = N_("The record was not found; it may have been removed.")


class DuplicateIin(UserError):
    message = N_("A pupil with IIN {iin} is already registered: {name}.")


class TableRepository(Generic[T]):
    """Generic access to one synced table whose rows are entities of one dataclass."""

    table: str
    entity: type

    def __init__(self, store: Store):
        self.store = store

    @property
    def db(self) -> Database:
        return self.store.db

    @contextmanager
    def _writer(self, writer: Writer | None, author: str | None) -> Iterator[Writer]:
        if writer is not None:
            yield writer
        else:
            with self.store.transaction(author) as w:
                yield w

    def _rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r)) for r in cursor.fetchall()]

    def find(self, row_id: str) -> T | None:
        rows = self._rows(f"SELECT * FROM [{self.table}] WHERE id = ?", [row_id])
        return from_row(self.entity, rows[0]) if rows else None

    def get(self, row_id: str) -> T:
        found = self.find(row_id)
        if found is None:
            raise NotFound()
        return found

    def where(self, clause: str, params: Any = (), order_by: str = "rowid") -> list[T]:
        sql = f"SELECT * FROM [{self.table}] WHERE {clause} ORDER BY {order_by}"
        return [from_row(self.entity, r) for r in self._rows(sql, params)]

    def count(self) -> int:
        return int(self.db.execute(f"SELECT count(*) FROM [{self.table}]").fetchone()[0])

    def add(self, entity: T, *, writer: Writer | None = None, author: str | None = None) -> T:
        with self._writer(writer, author) as w:
            w.insert(self.table, to_row(entity))
        return entity

    def update(self, row_id: str, *, writer: Writer | None = None, author: str | None = None,
               **fields: Any) -> dict[str, Any]:
        """Change fields of a record; returns what changed."""
        with self._writer(writer, author) as w:
            return w.update(self.table, row_id, fields)

    def save(self, entity: T, *, writer: Writer | None = None,
             author: str | None = None) -> dict[str, Any]:
        """Write an edited entity: only the fields that differ are changed and logged."""
        row = to_row(entity)
        row_id = row.pop("id")
        return self.update(row_id, writer=writer, author=author, **row)


class ChildRepository(TableRepository[T]):
    """Records that belong to one parent (a pupil or a road map)."""

    parent_column = "pupil_id"
    order = "rowid"
    #: Whether the table has a synced ``removed`` flag (records taken back by an import's
    #: undo); removed records are left out of every list.
    soft_removed = False

    def for_parent(self, parent_id: str) -> list[T]:
        removed = " AND removed = 0" if self.soft_removed else ""
        return self.where(f"{self.parent_column} = ?{removed}", [parent_id], self.order)


class SchoolRepository(TableRepository[e.School]):
    table, entity = "schools", e.School

    def in_district(self, district_kato: str, *, include_archived: bool = False) -> list[e.School]:
        clause = "district_kato = ?" + ("" if include_archived else " AND archived = 0")
        return self.where(clause, [district_kato], "sort_key")

    def all(self) -> list[e.School]:
        return self.where("1", (), "sort_key")

    def choices(self, district_kato: str | None = None) -> list[tuple[str, str]]:
        """(name, id) of the schools in use, in name order, of one district or all: what a
        picker lists (a region's thousand schools read without making a record of each)."""
        clause, params = ("archived = 0 AND district_kato = ?", [district_kato]) \
            if district_kato else ("archived = 0", [])
        return [(name, school_id) for name, school_id in self.db.execute(
            f"SELECT name, id FROM schools WHERE {clause} ORDER BY sort_key", params)]


class StaffRepository(TableRepository[e.Staff]):
    table, entity = "staff", e.Staff

    def all(self, *, role: str | None = None, include_archived: bool = False,
            serving_school: str | None = None) -> list[e.Staff]:
        """Staff in alphabetical order; ``serving_school``: only that school's people and
        the district office's (who have no school), as a pupil's pickers offer."""
        clauses, params = ["1"], []
        if role:
            clauses.append("role = ?")
            params.append(to_db(role))
        if serving_school:
            clauses.append("(school_id = ? OR school_id IS NULL)")
            params.append(serving_school)
        if not include_archived:
            clauses.append("archived = 0")
        return self.where(" AND ".join(clauses), params, "sort_key")


class PupilRepository(TableRepository[e.Pupil]):
    table, entity = "pupils", e.Pupil

    def by_iin(self, iin: str) -> e.Pupil | None:
        found = self.where("iin = ?", [iin])
        return found[0] if found else None

    def check_unique_iin(self, pupil: e.Pupil) -> None:
        other = self.by_iin(pupil.iin)
        if other is not None and other.id != pupil.id:
            raise DuplicateIin(iin=pupil.iin, name=other.full_name)

    def add(self, entity: e.Pupil, *, writer: Writer | None = None,
            author: str | None = None) -> e.Pupil:
        self.check_unique_iin(entity)
        return super().add(entity, writer=writer, author=author)

    def save(self, entity: e.Pupil, *, writer: Writer | None = None,
             author: str | None = None) -> dict[str, Any]:
        self.check_unique_iin(entity)
        return super().save(entity, writer=writer, author=author)

    def archive(self, pupil_id: str, reason: str, *, status: PupilStatus = PupilStatus.ARCHIVED,
                author: str | None = None) -> dict[str, Any]:
        """Archive instead of delete: the record stays, marked with the reason."""
        return self.update(pupil_id, author=author, status=status, archive_reason=reason)

    def restore(self, pupil_id: str, *, author: str | None = None) -> dict[str, Any]:
        return self.update(pupil_id, author=author, status=PupilStatus.ACTIVE,
                           archive_reason=None, duplicate_of=None)


class GuardianRepository(ChildRepository[e.Guardian]):
    table, entity = "guardians", e.Guardian


class CategoryRepository(ChildRepository[e.CategoryRecord]):
    table, entity, soft_removed = "pupil_categories", e.CategoryRecord, True


class GiftednessRepository(ChildRepository[e.GiftednessArea]):
    table, entity, soft_removed = "giftedness_areas", e.GiftednessArea, True


class DiagnosticRepository(ChildRepository[e.Diagnostic]):
    table, entity, order = "diagnostics", e.Diagnostic, "date"


class EventRepository(TableRepository[e.Event]):
    table, entity = "events", e.Event


class AchievementRepository(ChildRepository[e.Achievement]):
    table, entity, order = "achievements", e.Achievement, "academic_year DESC, date DESC"
    soft_removed = True


class RoadMapRepository(ChildRepository[e.RoadMap]):
    table, entity, order = "road_maps", e.RoadMap, "academic_year"

    def for_year(self, pupil_id: str, academic_year: str) -> e.RoadMap | None:
        found = self.where("pupil_id = ? AND academic_year = ?", [pupil_id, academic_year])
        return found[0] if found else None

    def years_of(self, pupil_id: str) -> list[str]:
        """The academic years the pupil has a road map for, oldest first."""
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT academic_year FROM road_maps WHERE pupil_id = ?"
            " ORDER BY academic_year", [pupil_id]).fetchall()]

    def signed_snapshot(self, road_map_id: str) -> str | None:
        """The JSON of the version as signed (see storage/roadmaps/snapshot.py), or None."""
        row = self.db.execute("SELECT signed_snapshot FROM road_maps WHERE id = ?",
                              [road_map_id]).fetchone()
        return row[0] if row else None


class GoalRepository(ChildRepository[e.Goal]):
    table, entity, parent_column, order = "goals", e.Goal, "road_map_id", "position"

    def current_for(self, road_map_id: str) -> list[e.Goal]:
        """The goals of a road map, without removed ones (removal is a synced flag)."""
        return self.where("road_map_id = ? AND removed = 0", [road_map_id], "position, rowid")


class ActivityRepository(ChildRepository[e.Activity]):
    table, entity, parent_column, order = "activities", e.Activity, "road_map_id", "position"

    def current_for(self, road_map_id: str) -> list[e.Activity]:
        """The activities of a road map, without removed ones (removal is a synced flag)."""
        return self.where("road_map_id = ? AND removed = 0", [road_map_id], "position, rowid")


class ReviewRepository(ChildRepository[e.Review]):
    table, entity, parent_column, order = "reviews", e.Review, "road_map_id", "quarter, date"


class AmendmentRepository(ChildRepository[e.Amendment]):
    table, entity, parent_column, order = "amendments", e.Amendment, "road_map_id", "number"


class AttachmentRepository(ChildRepository[e.Attachment]):
    table, entity = "attachments", e.Attachment

    def add_file(self, pupil_id: str, filename: str, mime: str, data: bytes, *,
                 kind: AttachmentKind | None = None, note: str | None = None,
                 author: str | None = None) -> e.Attachment:
        """Store the content once (by its SHA-256) and link it to the pupil."""
        digest = hashlib.sha256(data).hexdigest()
        attachment = e.Attachment(pupil_id=pupil_id, sha256=digest, filename=filename, mime=mime,
                                  size=len(data), note=note)
        if kind is not None:
            attachment.kind = kind
        with self.store.transaction(author) as w:
            self.db.execute("INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)",
                            [digest, data])
            w.insert(self.table, to_row(attachment))
        return attachment

    def content(self, sha256: str) -> bytes:
        row = self.db.execute("SELECT data FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
        if row is None:
            raise NotFound()
        return bytes(row[0])


class Repositories:
    """All repositories of one store."""

    def __init__(self, store: Store):
        self.schools = SchoolRepository(store)
        self.staff = StaffRepository(store)
        self.pupils = PupilRepository(store)
        self.guardians = GuardianRepository(store)
        self.categories = CategoryRepository(store)
        self.giftedness = GiftednessRepository(store)
        self.diagnostics = DiagnosticRepository(store)
        self.events = EventRepository(store)
        self.achievements = AchievementRepository(store)
        self.road_maps = RoadMapRepository(store)
        self.goals = GoalRepository(store)
        self.activities = ActivityRepository(store)
        self.reviews = ReviewRepository(store)
        self.amendments = AmendmentRepository(store)
        self.attachments = AttachmentRepository(store)
