"""What every module of sync's tables shares: the time stamp and the one-value query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database


def now_text() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _one(db: Database, sql: str, params: Sequence[Any] = ()) -> Any:
    """The first column of the first row (None when there is none)."""
    row = db.execute(sql, list(params)).fetchone()
    return None if row is None else row[0]
