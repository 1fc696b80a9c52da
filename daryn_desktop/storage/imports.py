"""Spreadsheet imports in the database: the look-ups a plan needs, writing a plan as one
batch through the write path, and undoing a batch as one unit."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import PupilStatus
from daryn_desktop.core.events import ResultLine
from daryn_desktop.core.ids import new_id
from daryn_desktop.core.imports.directory import (
    KnownAchievement,
    KnownRecord,
    SchoolRef,
    person_key,
    school_key,
)
from daryn_desktop.core.imports.plan import (
    ImportPlan,
    Insert,
    RowStatus,
    StageEntry,
    Update,
    Write,
)
from daryn_desktop.core.imports.text import fold
from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import N_, _
from daryn_desktop.storage.events import Events
from daryn_desktop.storage.rows import from_row, to_db
from daryn_desktop.storage.stage_results import LineWrites
from daryn_desktop.storage.stats_cache import write_position

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store
    from daryn_desktop.storage.writer import Writer

#: Ids per query (SQLite's limit of bound parameters, with room to spare).
_CHUNK = 500
#: Writes between two progress reports (and looks at Cancel).
PROGRESS_EVERY = 500
#: The order records are created in: what others refer to first.
_TABLE_ORDER = ("schools", "staff", "pupils", "pupil_categories", "giftedness_areas",
                "participants", "achievements")
#: How an undo takes back a record the import created: archived, or removed; a pupil's
#: entry in a stage is marked "did not take part" (its result, an achievement, is removed).
_TAKE_BACK: dict[str, dict[str, Any]] = {
    "schools": {"archived": 1}, "staff": {"archived": 1},
    "pupil_categories": {"removed": 1}, "giftedness_areas": {"removed": 1},
    "achievements": {"removed": 1}, "participants": {"withdrawn": 1},
}
MSG_MARKED_UNDONE = N_("Import undone")
MSG_UNDONE = N_("The import was undone. Fields given back their old values: {restored};"
                " records it created, now archived or removed: {taken}; fields changed since,"
                " left as they are: {kept}.")

MSG_PROGRESS_WRITING = N_("Writing {done} of {total}…")


class AlreadyUndone(UserError):
    message = N_("This import was already undone on {date}.")


class RegistryChanged(UserError):
    """The database was written between checking a file and importing it."""

    message = N_("The registry changed while the file was being checked (another program, a"
                 " bundle or another import wrote to it).")
    hint = N_("Check the file again: nothing was imported.")


def registry_position(store: Store) -> str:
    """The database's write position: a plan made at one position is applied only at the
    same one."""
    return write_position(store)


class UnknownImport(UserError):
    message = N_("No import {id} was made in this database.")


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


class StoreDirectory:
    """The registered schools, pupils, staff and achievements, as an import looks them up.

    The indexes are read once, when first needed: a class list of 5,000 rows asks 10,000
    questions, a region holds 100,000 pupils.
    """

    def __init__(self, store: Store):
        self.store = store
        inst = store.installation
        self.district_kato = inst.district_kato
        self.region_kato = inst.region_kato
        self._schools: dict[str, SchoolRef] | None = None
        self._school_names: dict[str, list[SchoolRef]] = {}
        self._by_iin: dict[str, list[str]] | None = None
        self._by_birth: dict[tuple[str, str, str], list[str]] = {}
        self._by_school: dict[tuple[str, str, str], list[str]] = {}
        self._staff: dict[str, list[KnownRecord]] | None = None
        self._undone: set[str] | None = None

    # -- schools -----------------------------------------------------------------------------
    def _load_schools(self) -> dict[str, SchoolRef]:
        if self._schools is None:
            self._schools = {}
            for sid, name, settlement, district, language, archived in self.store.db.execute(
                    "SELECT id, name, settlement_kato, district_kato, language, archived"
                    " FROM schools"):
                ref = SchoolRef(sid, name, settlement, district, language, bool(archived))
                self._schools[sid] = ref
                self._school_names.setdefault(school_key(name), []).append(ref)
        return self._schools

    def school(self, school_id: str) -> SchoolRef | None:
        return self._load_schools().get(school_id.strip())

    def schools(self, text: str) -> list[SchoolRef]:
        by_id = self.school(text)
        if by_id is not None:
            return [by_id]
        self._load_schools()
        return list(self._school_names.get(school_key(text), []))

    def school_values(self, school_id: str) -> dict[str, Any]:
        cursor = self.store.db.execute(
            "SELECT name, settlement_kato, district_kato, language, small_ungraded, address,"
            " phone FROM schools WHERE id = ?", [school_id])
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        return dict(zip(names, row)) if row else {}

    # -- pupils ------------------------------------------------------------------------------
    def _load_pupils(self) -> dict[str, list[str]]:
        if self._by_iin is None:
            self._by_iin = {}
            for pid, iin, surname, given, birth, school_id in self.store.db.execute(
                    "SELECT id, iin, surname, given_name, birth_date, school_id FROM pupils"):
                self._by_iin.setdefault(iin, []).append(pid)
                key = person_key(surname, given)
                if birth:
                    self._by_birth.setdefault((*key, birth), []).append(pid)
                self._by_school.setdefault((*key, school_id), []).append(pid)
        return self._by_iin

    def pupils_by_iin(self, iin: str) -> list[str]:
        return list(self._load_pupils().get(iin, []))

    def pupils_by_name_birth(self, surname: str, given: str, birth: date) -> list[str]:
        self._load_pupils()
        return list(self._by_birth.get((surname, given, birth.isoformat()), []))

    def pupils_by_name_school(self, surname: str, given: str, school_id: str) -> list[str]:
        self._load_pupils()
        return list(self._by_school.get((surname, given, school_id), []))

    def pupils(self, ids: Iterable[str]) -> dict[str, KnownRecord]:
        wanted = sorted(ids)
        found: dict[str, KnownRecord] = {}
        db = self.store.db
        names = [f.name for f in dataclasses.fields(e.Pupil)]
        for part in _chunks(wanted):
            cursor = db.execute(f"SELECT * FROM pupils WHERE id IN ({_marks(len(part))})", part)
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                pupil = from_row(e.Pupil, dict(zip(columns, row)))
                found[pupil.id] = KnownRecord(pupil.id, {n: getattr(pupil, n) for n in names})
            for pid, category in db.execute(
                    "SELECT pupil_id, category FROM pupil_categories WHERE removed = 0 AND"
                    f" pupil_id IN ({_marks(len(part))})", part):
                found[pid].categories.add(category)
            for pid, kind, area in db.execute(
                    "SELECT pupil_id, kind, field FROM giftedness_areas WHERE removed = 0 AND"
                    f" pupil_id IN ({_marks(len(part))})", part):
                found[pid].areas.add((kind, fold(area)))
        return found

    def undone_pupils(self) -> set[str]:
        if self._undone is None:
            self._undone = {r[0] for r in self.store.db.execute(
                "SELECT w.row_id FROM import_writes w JOIN import_batches b ON b.id = w.batch_id"
                " WHERE b.undone_at IS NOT NULL AND w.tbl = 'pupils' AND w.col IS NULL")}
        return self._undone

    # -- staff and achievements --------------------------------------------------------------
    def staff(self, surname: str, given: str | None, school_id: str | None) -> list[KnownRecord]:
        if self._staff is None:
            self._staff = {}
            cursor = self.store.db.execute(
                "SELECT id, surname, given_name, patronymic, role, school_id, subject, phone"
                " FROM staff WHERE archived = 0")
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                values = dict(zip(columns, row))
                self._staff.setdefault(fold(values["surname"]), []).append(
                    KnownRecord(values.pop("id"), values))
        found = self._staff.get(fold(surname), [])
        if given:
            wanted = fold(given).rstrip(".")
            found = [s for s in found if fold(s.values["given_name"]) == wanted
                     or (len(wanted) == 1 and fold(s.values["given_name"]).startswith(wanted))]
        if school_id is not None:
            found = [s for s in found if s.values["school_id"] == school_id]
        return found

    def achievements(self, pupil_ids: Iterable[str]) -> dict[str, list[KnownAchievement]]:
        wanted = sorted(pupil_ids)
        found: dict[str, list[KnownAchievement]] = {}
        for part in _chunks(wanted):
            cursor = self.store.db.execute(
                "SELECT id, pupil_id, event_name, academic_year, subject, level, award,"
                " teacher_id, date, note, event_kind FROM achievements WHERE removed = 0 AND"
                f" pupil_id IN ({_marks(len(part))})", part)
            for aid, pid, event, year, subject, level, award, teacher, day, note, kind in cursor:
                found.setdefault(pid, []).append(KnownAchievement(
                    aid, pid, event, year, subject, level,
                    {"award": award, "teacher_id": teacher, "date": day, "note": note,
                     "event_kind": kind}))
        return found

    def staff_name(self, staff_id: str) -> str | None:
        row = self.store.db.execute("SELECT surname, given_name, patronymic FROM staff WHERE"
                                    " id = ?", [staff_id]).fetchone()
        return " ".join(p for p in row if p) if row else None

    # -- a stage's results -------------------------------------------------------------------
    def stage_lines(self, stage_id: str) -> list[ResultLine]:
        return [r.line() for r in Events(self.store).results(stage_id)]

    def stage_writes(self, stage_id: str, lines: Sequence[ResultLine]) -> list[list[Write]]:
        planned: list[LineWrites] = Events(self.store).planned_results(stage_id, lines)
        return [p.writes for p in planned]


# -- writing a plan ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportBatch:
    """An import made in this database (for its summary and its undo)."""

    id: str
    kind: str
    file_name: str
    sheet: str | None
    at: datetime
    author: str | None
    new: int
    changed: int
    unchanged: int
    rejected: int
    undone_at: datetime | None

    @property
    def undone(self) -> bool:
        return self.undone_at is not None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def apply_plan(store: Store, plan: ImportPlan, *, author: str | None = None,
               progress: Callable[[Progress], None] | None = None,
               cancel: CancelToken | None = None) -> ImportBatch:
    """Write every new and changed row of ``plan`` (and the schools it creates) in one
    transaction, and record the batch for its undo. Cancel leaves nothing written."""
    writes = [*plan.prelude, *plan.writes()]
    total = len(writes)
    batch_id = new_id()
    counts = plan.counts()
    done = 0
    log: list[tuple[Any, ...]] = []

    def step(n: int) -> None:
        nonlocal done
        before, done = done, done + n
        if cancel is not None and done // PROGRESS_EVERY != before // PROGRESS_EVERY:
            cancel.raise_if_cancelled()
        if progress is not None and (done // PROGRESS_EVERY != before // PROGRESS_EVERY
                                     or done == total):
            progress(Progress(done, total, _(MSG_PROGRESS_WRITING).format(done=done,
                                                                          total=total)))

    with store.transaction(author) as w:
        # The write lock is held from here: nobody writes between this check and the import.
        # A plan checked against an older registry would insert a pupil a second time (two
        # programs importing the same list at once) or change what someone just changed.
        if plan.made_at and registry_position(store) != plan.made_at:
            raise RegistryChanged()
        inserts: dict[str, list[dict[str, Any]]] = {}
        updates: list[Update] = []
        stages: dict[str, list[ResultLine]] = {}
        for write in writes:
            if isinstance(write, Insert):
                inserts.setdefault(write.table, []).append(write.values)
            elif isinstance(write, StageEntry):
                stages.setdefault(write.stage_id, []).append(write.line)
            else:
                updates.append(write)
        for table in sorted(inserts, key=lambda t: (_TABLE_ORDER.index(t)
                                                   if t in _TABLE_ORDER else 99)):
            rows = inserts[table]
            for start in range(0, len(rows), PROGRESS_EVERY):
                part = rows[start:start + PROGRESS_EVERY]
                w.insert_many(table, part)
                log += [(table, r["id"], None, None, None) for r in part]
                step(len(part))
        for update in updates:
            changed = w.update(update.table, update.row_id,
                               {col: new for col, (_old, new) in update.fields.items()})
            log += [(update.table, update.row_id, col, to_db(update.fields[col][0]), value)
                    for col, value in changed.items()]
            step(1)
        # A stage's results are written by the stage's own save, as the results grid does.
        for stage_id, lines in stages.items():
            for start in range(0, len(lines), PROGRESS_EVERY):
                chunk = lines[start:start + PROGRESS_EVERY]
                log += Events(store).write_results(w, stage_id, chunk)[1]
                step(len(chunk))
        db = w.db
        db.execute("INSERT INTO import_batches (id, kind, file_name, sheet, at, author, new,"
                   " changed, unchanged, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [batch_id, plan.kind.value, plan.file_name, plan.sheet or None, _now(),
                    author, counts[RowStatus.NEW], counts[RowStatus.CHANGED],
                    counts[RowStatus.UNCHANGED], counts[RowStatus.REJECTED]])
        db.conn.executemany(
            "INSERT INTO import_writes (batch_id, position, tbl, row_id, col, old_value,"
            " new_value) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(batch_id, i, *entry) for i, entry in enumerate(log)])
    return get_batch(store, batch_id)


def _batch(row: Sequence[Any]) -> ImportBatch:
    (bid, kind, file_name, sheet, at, author, new, changed, unchanged, rejected,
     undone) = row
    return ImportBatch(bid, kind, file_name, sheet, datetime.fromisoformat(at), author, new,
                       changed, unchanged, rejected,
                       datetime.fromisoformat(undone) if undone else None)


_BATCH_SQL = ("SELECT id, kind, file_name, sheet, at, author, new, changed, unchanged, rejected,"
              " undone_at FROM import_batches")


def get_batch(store: Store, batch_id: str) -> ImportBatch:
    row = store.db.execute(f"{_BATCH_SQL} WHERE id = ?", [batch_id]).fetchone()
    if row is None:
        raise UnknownImport(id=batch_id)
    return _batch(row)


def recent_batches(store: Store, limit: int = 20) -> list[ImportBatch]:
    """The imports made here, newest first."""
    return [_batch(r) for r in store.db.execute(f"{_BATCH_SQL} ORDER BY at DESC, rowid DESC"
                                                 " LIMIT ?", [limit])]


# -- undo -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UndoResult:
    #: Fields given back their value from before the import.
    restored: int
    #: Records the import created, now archived or removed.
    taken_back: int
    #: Fields changed again since the import: left as they are now.
    kept: int


def undo_import(store: Store, batch_id: str, *, author: str | None = None) -> UndoResult:
    """Revert an import as one unit through the write path (so the undo also syncs).

    Fields it changed get their old values back as new versions, unless they were changed
    again since (those are kept and counted); pupils it created are archived as "import
    undone", schools and staff archived, categories, areas and achievements removed.
    """
    get_batch(store, batch_id)  # an unknown import is refused before taking the lock
    restored = taken_back = kept = 0
    reason = _(MSG_MARKED_UNDONE)
    with store.transaction(author) as w:
        # Asked under the write lock: of two undos at once, the second finds it done.
        batch = get_batch(store, batch_id)
        if batch.undone_at is not None:
            raise AlreadyUndone(date=batch.undone_at.date().strftime("%d.%m.%Y"))
        entries = w.db.execute(
            "SELECT tbl, row_id, col, old_value, new_value FROM import_writes"
            " WHERE batch_id = ? ORDER BY position DESC", [batch_id]).fetchall()
        for table, row_id, col, old, new in entries:
            current = _current(w, table, row_id)
            if current is None:
                continue  # removed meanwhile (a purge, a pupil moved to another district)
            if col is None:
                fields = ({"status": PupilStatus.ARCHIVED, "archive_reason": reason}
                          if table == "pupils" else _TAKE_BACK.get(table, {}))
                if fields and w.update(table, row_id, fields):
                    taken_back += 1
                continue
            if current.get(col) != to_db(new):
                kept += 1
                continue
            if w.update(table, row_id, {col: old}):
                restored += 1
        w.db.execute("UPDATE import_batches SET undone_at = ? WHERE id = ?", [_now(), batch_id])
    return UndoResult(restored, taken_back, kept)


def _current(w: Writer, table: str, row_id: str) -> dict[str, Any] | None:
    cursor = w.db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    return dict(zip(names, row)) if row else None
