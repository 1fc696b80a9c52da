"""Importing a spreadsheet: read the sheet, find its table, plan every row against the
registry (nothing written), then write the plan as one batch that can be undone."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from daryn_desktop.core.events import describe_stage
from daryn_desktop.core.imports.fields import ImportKind
from daryn_desktop.core.imports.layout import (
    Layout,
    RowCounts,
    apply_overrides,
    data_rows,
    find_layout,
)
from daryn_desktop.core.imports.plan import ImportPlan, Insert, RowOutcome
from daryn_desktop.core.imports.pupils import PupilOptions, plan_pupils
from daryn_desktop.core.imports.results import EventInfo, ResultOptions, plan_results
from daryn_desktop.core.imports.schools import plan_schools
from daryn_desktop.core.imports.staff import plan_staff
from daryn_desktop.core.imports.stage_results import (
    StageOptions,
    StageTarget,
    plan_stage_results,
)
from daryn_desktop.core.progress import CancelToken, Progress, cyclic_gc_paused
from daryn_desktop.spreadsheets.reading import SheetData, read_sheet
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.events import Events
from daryn_desktop.storage.imports import (
    ImportBatch,
    StoreDirectory,
    apply_plan,
    registry_position,
)

ProgressSink = Callable[[Progress], None]


@dataclass
class ImportRequest:
    """What to import and how (the CLI's options, the wizard's choices)."""

    path: Path
    kind: ImportKind
    sheet: str | None = None
    #: Column (header or letter) → field, over the guessed mapping.
    overrides: Mapping[str, str] = field(default_factory=dict)
    #: The school of rows that name none.
    school_id: str | None = None
    #: Create the schools a class list names that are not registered (confirmed by a person).
    create_schools: bool = False
    #: The event of a protocol whose rows do not name it.
    event: EventInfo = field(default_factory=EventInfo)
    #: The stage of a calendar event a protocol of results goes into (its entries and
    #: results, as the stage's grid writes them); None: plain achievements of ``event``.
    stage_id: str | None = None
    today: date = field(default_factory=date.today)


def read(request: ImportRequest, *, limit: int | None = None,
         progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> SheetData:
    return read_sheet(request.path, request.sheet, limit=limit, progress=progress,
                      cancel=cancel)


def layout_of(data: SheetData, request: ImportRequest) -> Layout:
    """The table of the sheet with the columns mapped (guesses, then the overrides)."""
    layout = find_layout(data.rows, request.kind)
    if request.overrides:
        layout = apply_overrides(layout, request.overrides)
    return layout


def plan_import(store: Store, request: ImportRequest, *, data: SheetData | None = None,
                layout: Layout | None = None, progress: ProgressSink | None = None,
                cancel: CancelToken | None = None) -> ImportPlan:
    """What the import would do, row by row; nothing is written."""
    with cyclic_gc_paused():
        return _plan(store, request, data, layout, progress, cancel)


def _plan(store: Store, request: ImportRequest, data: SheetData | None, layout: Layout | None,
          progress: ProgressSink | None, cancel: CancelToken | None) -> ImportPlan:
    # Taken before anything is read: a write after it, even during the check, is noticed.
    made_at = registry_position(store)
    data = data if data is not None else read(request, progress=progress, cancel=cancel)
    layout = layout if layout is not None else layout_of(data, request)
    layout.check()
    counts = RowCounts()
    rows = list(data_rows(layout, data.rows, counts=counts))
    if cancel is not None:
        cancel.raise_if_cancelled()
    directory = StoreDirectory(store)
    prelude: list[Insert] = []
    outcomes: list[RowOutcome]
    into = ""
    if request.kind == ImportKind.PUPILS:
        outcomes, prelude = plan_pupils(rows, layout, directory, PupilOptions(
            request.school_id, request.create_schools, request.today))
    elif request.kind == ImportKind.SCHOOLS:
        outcomes = plan_schools(rows, layout, directory)
    elif request.kind == ImportKind.STAFF:
        outcomes, prelude = plan_staff(rows, layout, directory, school_id=request.school_id,
                                       create_schools=request.create_schools)
    elif request.stage_id is not None:
        target, into = stage_target(store, request.stage_id)
        outcomes = plan_stage_results(rows, layout, directory, StageOptions(
            target, request.school_id, request.event.subject))
    else:
        outcomes = plan_results(rows, layout, directory, ResultOptions(
            request.event, request.school_id, request.today))
    return ImportPlan(request.kind, layout, outcomes, counts, prelude,
                      file_name=os.path.basename(request.path), sheet=data.name,
                      into=into, made_at=made_at)


def stage_target(store: Store, stage_id: str) -> tuple[StageTarget, str]:
    """The stage a protocol goes into, and how a person names it ("Olympiad — District
    stage (14.10.2025–15.10.2025)")."""
    events = Events(store)
    stage = events.stage(stage_id)
    event = events.event(stage.event_id)
    subject = event.subject if event.subject and "," not in event.subject else None
    target = StageTarget(stage.id, subject, event.grade_from, event.grade_to)
    return target, describe_stage(event, stage)


def run_import(store: Store, plan: ImportPlan, *, author: str | None = None,
               progress: ProgressSink | None = None,
               cancel: CancelToken | None = None) -> ImportBatch | None:
    """Write the plan in one transaction; None when it changes nothing (a file imported
    again), so that nothing at all is written then."""
    if not plan.writes() and not plan.prelude:
        return None
    with cyclic_gc_paused():
        return apply_plan(store, plan, author=author, progress=progress, cancel=cancel)
