"""A stage's result lines as the writes they make, worked out against the stored rows.

A line of a stage's results makes (or changes) the pupil's entry in the stage (a
``participants`` row) and, when it has an award, the achievement that is the entry's result
(id :func:`core.events.result_id`). The writes are worked out first, nothing written, so
that the results grid, the preview of a spreadsheet import and the import itself do exactly
the same: :meth:`Events.save_results` and the importer both call :func:`plan_lines`, then
:func:`apply_writes` inside their one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.entities import Event
from daryn_desktop.core.events import (
    EventStage,
    Participant,
    ResultLine,
    participant_id,
    result_id,
)
from daryn_desktop.core.imports.plan import Insert, Update, Write
from daryn_desktop.storage.rows import to_db, to_row

if TYPE_CHECKING:
    from sqlite_utils import Database

    from daryn_desktop.storage.writer import Writer

#: What a write did, as an import records it for its undo: table, row id, column (None: the
#: row was created), the value before and after.
LogEntry = tuple[str, str, str | None, Any, Any]


@dataclass
class LineWrites:
    """What saving one line writes: its entry's id and the inserts and updates."""

    participant_id: str
    writes: list[Write] = field(default_factory=list)

    @property
    def joins(self) -> bool:
        """The pupil is new to the stage (with this subject)."""
        return any(isinstance(w, Insert) and w.table == "participants" for w in self.writes)

    @property
    def entry_changed(self) -> bool:
        return any(isinstance(w, Update) and w.table == "participants" for w in self.writes)

    @property
    def result_written(self) -> bool:
        return any(w.table == "achievements" for w in self.writes)


def _key(pupil_id: str, subject: str | None) -> tuple[str, str]:
    return pupil_id, (subject or "").casefold()


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _rows(db: Database, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def _by_ids(db: Database, table: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    wanted = list(ids)
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for row in _rows(db, f"SELECT * FROM [{table}] WHERE id IN (SELECT value FROM"
                             " json_each(?))", [json.dumps(chunk)]):
            found[row["id"]] = row
    return found


def _result_values(event: Event, stage: EventStage, entry: Participant,
                   line: ResultLine) -> dict[str, Any]:
    """The achievement a recorded result is: the event's and the stage's data copied in."""
    assert line.award is not None
    return {"pupil_id": entry.pupil_id, "event_name": event.name,
            "event_kind": to_db(event.kind), "level": to_db(stage.level),
            "academic_year": event.academic_year, "award": to_db(line.award),
            "subject": entry.subject, "date": to_db(stage.last_day or event.date),
            "event_id": event.id, "teacher_id": entry.teacher_id, "stage_id": stage.id,
            "score": line.score, "place": line.place, "removed": 0}


def _write(table: str, row_id: str, current: dict[str, dict[str, Any]],
           values: dict[str, Any]) -> Write | None:
    """An insert, or an update of the fields that differ (None: nothing differs); the
    overlay ``current`` then holds the row as it will be."""
    row = current.get(row_id)
    if row is None:
        current[row_id] = {**values, "id": row_id}
        return Insert(table, {**values, "id": row_id})
    diff = {k: (row.get(k), v) for k, v in values.items() if row.get(k) != v}
    if not diff:
        return None
    row.update({k: new for k, (_old, new) in diff.items()})
    return Update(table, row_id, diff)


def plan_lines(db: Database, event: Event, stage: EventStage,
               lines: Sequence[ResultLine]) -> list[LineWrites]:
    """The writes each line makes, in order, against the rows as stored (nothing written).

    A line without ``participant_id`` joins the stage, or updates the pupil's entry when the
    pupil takes part already with the same subject (two lines of one pupil and subject are
    one entry). A line with an award records the result; one without takes back a result
    recorded before (its achievement is marked removed, a synced flag: sync never deletes).
    """
    entries = {r["id"]: r for r in _rows(db, "SELECT * FROM participants WHERE stage_id = ?",
                                         [stage.id])}
    by_pupil = {_key(r["pupil_id"], r["subject"]): pid for pid, r in entries.items()}
    derived = {participant_id(stage.id, line.pupil_id, line.subject) for line in lines}
    entries.update(_by_ids(db, "participants", derived - set(entries)))
    results = _by_ids(db, "achievements", {result_id(pid) for pid in [*entries, *derived]})
    #: Results recorded before these lines (the ones a line without an award takes back).
    recorded = {aid for aid, row in results.items() if not row["removed"]}
    stored = set(entries)
    planned = []
    for line in lines:
        key = _key(line.pupil_id, line.subject)
        pid = line.participant_id or by_pupil.get(key)
        entry = Participant(
            pupil_id=line.pupil_id, stage_id=stage.id, subject=_clean(line.subject),
            teacher_id=line.teacher_id, project_id=line.project_id, withdrawn=line.withdrawn,
            note=_clean(line.note),
            id=pid or participant_id(stage.id, line.pupil_id, line.subject))
        by_pupil[key] = entry.id
        out = LineWrites(entry.id)
        values = to_row(entry)
        values.pop("id")
        writes = [_write("participants", entry.id, entries, values)]
        achievement_id = result_id(entry.id)
        if line.award is not None:
            writes.append(_write("achievements", achievement_id, results,
                                 _result_values(event, stage, entry, line)))
        elif entry.id in stored and achievement_id in recorded:
            writes.append(_write("achievements", achievement_id, results, {"removed": 1}))
        out.writes = [w for w in writes if w is not None]
        planned.append(out)
    return planned


def apply_writes(w: Writer, planned: Iterable[LineWrites]) -> list[LogEntry]:
    """Write the planned lines through the write path (inside the caller's transaction);
    returns what was written, field by field, for an import's undo."""
    log: list[LogEntry] = []
    for line in planned:
        for write in line.writes:
            if isinstance(write, Insert):
                w.insert(write.table, write.values)
                log.append((write.table, write.row_id, None, None, None))
                continue
            changed = w.update(write.table, write.row_id,
                               {col: new for col, (_old, new) in write.fields.items()})
            log += [(write.table, write.row_id, col, write.fields[col][0], value)
                    for col, value in changed.items()]
    return log
