"""Makes the demo's next chunk of pupils on a helper thread while SQLite commits one."""

from __future__ import annotations

import threading
from typing import Any

from daryn_desktop.core.ids import new_id
from daryn_desktop.demo.pupils import TABLES, Pupils


class Prefetcher:
    """Makes the next chunk on a helper thread while SQLite commits the current one.

    The commit (writing and encrypting the WAL pages, the checkpoint) runs in C without the
    GIL, so the helper can generate meanwhile. At other times it waits: letting it run while
    rows are inserted would make the threads fight over the GIL on every row, which is slower
    than no helper at all. Only one thread at a time generates, chunk after chunk, so a seed
    still gives the same data.
    """

    #: Pupils generated between looks at the gate, so that the helper stops soon after.
    BATCH = 20

    def __init__(self, gen: Pupils) -> None:
        self._gen = gen
        self._gate = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._tables: dict[str, list[dict[str, Any]]] | None = None
        self._error: BaseException | None = None

    def start(self, count: int) -> None:
        """Begin the next chunk of ``count`` pupils (made while the gate is open)."""
        self._tables, self._error = None, None
        self._thread = threading.Thread(target=self._work, args=(count,),
                                        name="daryn-demo", daemon=True)
        self._thread.start()

    def _work(self, count: int) -> None:
        try:
            tables: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
            done = dict.fromkeys(TABLES, 0)
            made = 0
            while made < count:
                self._gate.wait()
                if self._stopping:
                    return
                batch = min(self.BATCH, count - made)
                for _i in range(batch):
                    self._gen.pupil(tables)
                made += batch
                self._give_ids(tables, done)
            self._tables = tables
        except BaseException as exc:  # handed to the main thread by result()
            self._error = exc

    @staticmethod
    def _give_ids(tables: dict[str, list[dict[str, Any]]], done: dict[str, int]) -> None:
        """Give the rows made since ``done`` (per table) the ids the writer would give them.

        Here, while SQLite commits, rather than on the thread that inserts the rows.
        """
        for table, rows in tables.items():
            for row in rows[done[table]:]:
                if not row.get("id"):
                    row["id"] = new_id()
            done[table] = len(rows)

    def run(self) -> None:
        """Let the helper work (the caller is about to spend time outside Python)."""
        self._gate.set()

    def pause(self) -> None:
        self._gate.clear()

    def result(self) -> dict[str, list[dict[str, Any]]]:
        """The chunk begun by :meth:`start`, waiting for it to be finished."""
        assert self._thread is not None
        self._gate.set()
        self._thread.join()
        self._gate.clear()
        if self._error is not None:
            raise self._error
        assert self._tables is not None
        return self._tables

    def stop(self) -> None:
        """End the helper, finished or not (after an error or a cancel)."""
        self._stopping = True
        self._gate.set()
        if self._thread is not None:
            self._thread.join()
