"""A hybrid logical clock: wall-clock milliseconds plus a counter, never running backwards."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

COUNTER_BITS = 16
#: How far ahead of our own wall clock a remote clock may pull ours (24 hours).
MAX_DRIFT_MS = 24 * 3600 * 1000


def pack(ms: int, counter: int) -> int:
    """One sortable integer from the millisecond part and the counter."""
    return (ms << COUNTER_BITS) | counter


def unpack(hlc: int) -> tuple[int, int]:
    return hlc >> COUNTER_BITS, hlc & ((1 << COUNTER_BITS) - 1)


@dataclass
class HybridClock:
    """Timestamps that order the changes of one installation and break ties between sites.

    ``now()`` is strictly increasing even when the PC's clock jumps back; ``observe()``
    moves the clock past a remote timestamp, but never more than ``MAX_DRIFT_MS`` beyond
    the local wall clock, so a PC whose clock says 2045 cannot drag everyone into the future.
    """

    last: int = 0
    wall_ms: Callable[[], int] = field(default=lambda: time.time_ns() // 1_000_000, repr=False)

    def now(self) -> int:
        ms, counter = unpack(self.last)
        wall = self.wall_ms()
        if wall > ms:
            self.last = pack(wall, 0)
        else:
            self.last = pack(ms, counter + 1) if counter + 1 < (1 << COUNTER_BITS) else pack(
                ms + 1, 0
            )
        return self.last

    def observe(self, remote: int) -> None:
        """Account for a timestamp received from another installation."""
        remote_ms, _ = unpack(remote)
        limit = self.wall_ms() + MAX_DRIFT_MS
        if remote_ms > limit:
            remote = pack(limit, 0)
        if remote > self.last:
            self.last = remote
