"""The ``daryn demo`` generator: schools, staff, pupils and road maps that look like real ones."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.progress import CancelToken, Progress, cyclic_gc_paused
from daryn_desktop.demo.calendar import Calendar
from daryn_desktop.demo.prefetch import Prefetcher
from daryn_desktop.demo.pupils import TABLES, Pupils
from daryn_desktop.demo.run import Run
from daryn_desktop.demo.schools import Schools
from daryn_desktop.i18n import N_, _

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

#: Pupils written per transaction, with everything that belongs to them. Big enough that the
#: commit cost is spread thin, small enough that Cancel answers within a second or two.
CHUNK = 2000

MSG_PROGRESS = N_("Generating demo pupils…")


@dataclass
class DemoSummary:
    """How many rows of each table a run wrote, and how long it took."""

    schools: int = 0
    staff: int = 0
    pupils: int = 0
    guardians: int = 0
    pupil_categories: int = 0
    giftedness_areas: int = 0
    diagnostics: int = 0
    achievements: int = 0
    road_maps: int = 0
    goals: int = 0
    activities: int = 0
    reviews: int = 0
    events: int = 0
    event_stages: int = 0
    staff_trainings: int = 0
    participants: int = 0
    research_projects: int = 0
    support_records: int = 0
    #: Wall-clock seconds of the whole run.
    seconds: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        """Rows written per table."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "seconds"}

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


#: ``local_state`` key of a database that holds demo data.
DEMO_DATA = "demo_data"


def generate(store: Store, pupils: int, *, seed: int = 1, academic_year: str | None = None,
             progress: Callable[[Progress], None] | None = None,
             cancel: CancelToken | None = None, today: date | None = None) -> DemoSummary:
    """Fill ``store`` with ``pupils`` synthetic gifted pupils of its territory.

    Schools (about one per 90 pupils, in real settlements of the installation's district or
    region) and their staff are written first, then the pupils in chunks of ``CHUNK``, each
    with its guardians, categories, areas, diagnostics, achievements and road maps, one
    transaction per chunk. The same ``seed``, number, year and ``today`` give the same data
    (only ids and clocks differ). ``academic_year`` ("2025-2026") defaults to the one
    containing ``today``, itself the real date unless given. A cancelled run keeps the chunks
    already committed.
    """
    if pupils < 0:
        raise ValueError("the number of pupils cannot be negative")
    # Remembered, so that the command line adds more demo data only to a demo database.
    store.set_state(DEMO_DATA, "1")
    # The run makes millions of small dicts: the cyclic collector would walk them again and
    # again for nothing (about a tenth of the run time).
    with cyclic_gc_paused(), store.bulk_cache():
        return _generate(store, pupils, seed=seed, academic_year=academic_year,
                         progress=progress, cancel=cancel, today=today)


def _generate(store: Store, pupils: int, *, seed: int, academic_year: str | None,
              progress: Callable[[Progress], None] | None, cancel: CancelToken | None,
              today: date | None) -> DemoSummary:
    started = time.perf_counter()
    today = today or date.today()
    year = AcademicYear.parse(academic_year) if academic_year else AcademicYear.containing(today)
    summary = DemoSummary()
    if cancel is not None:
        cancel.raise_if_cancelled()
    run = Run(store, seed, year, today)
    schools = Schools(run)
    school_rows, staff_rows = schools.make_schools(pupils)
    event_rows, stage_rows = Calendar(run).make()
    training_rows = schools.make_trainings(staff_rows)
    with store.transaction() as writer:
        summary.schools = writer.insert_many("schools", school_rows)
        summary.staff = writer.insert_many("staff", staff_rows)
        summary.staff_trainings = writer.insert_many("staff_trainings", training_rows)
        summary.events = writer.insert_many("events", event_rows)
        summary.event_stages = writer.insert_many("event_stages", stage_rows)
    gen = Pupils(run)  # its draws of the schools' weights come after the staff's

    message = _(MSG_PROGRESS)
    if progress is not None:
        progress(Progress(0, pupils, message))
    sizes = [min(CHUNK, pupils - start) for start in range(0, pupils, CHUNK)]
    done = 0
    ahead = Prefetcher(gen)
    try:
        if sizes:
            ahead.start(sizes[0])
        for i, size in enumerate(sizes):
            if cancel is not None:
                cancel.raise_if_cancelled()
            tables = ahead.result()
            if i + 1 < len(sizes):
                ahead.start(sizes[i + 1])
            with store.transaction() as writer:
                # Parents before children: pupils, what hangs on them, then road-map parts.
                for table in TABLES[2:]:
                    added = writer.insert_many(table, tables[table])
                    setattr(summary, table, getattr(summary, table) + added)
                # The commit, which ends this block, runs without the GIL.
                ahead.run()
            ahead.pause()
            done += size
            if progress is not None:
                progress(Progress(done, pupils, message))
    finally:
        ahead.stop()
    summary.seconds = time.perf_counter() - started
    return summary
