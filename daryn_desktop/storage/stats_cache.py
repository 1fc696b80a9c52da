"""The Reports overview's figures remembered, with the position of the data they were counted at."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from daryn_desktop import __version__

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store


OVERVIEW_KEY = "stats.overview"


def write_position(store: Store) -> str:
    """Changes with every write to the database (the change log's top, and purges, which
    erase versions)."""
    top = store.db.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
    purged = store.db.execute("SELECT count(*) FROM purges").fetchone()[0]
    return f"{top}:{purged}"


def data_position(store: Store, today: date | None = None) -> str:
    """Changes whenever the figures may: a write anywhere, a new day (dates decide who
    counts), another program version."""
    return f"{write_position(store)}:{(today or date.today()).isoformat()}:{__version__}"


def cached_overview(store: Store, position: str) -> dict[str, Any] | None:
    """The overview's figures as last computed, if nothing has changed since."""
    text = store.state(OVERVIEW_KEY)
    try:
        saved = json.loads(text) if text else None
    except ValueError:
        return None
    if not isinstance(saved, dict) or saved.get("position") != position:
        return None
    figures = saved.get("figures")
    return figures if isinstance(figures, dict) else None


def remember_overview(store: Store, position: str, figures: dict[str, Any]) -> None:
    store.set_state(OVERVIEW_KEY, json.dumps({"position": position, "figures": figures},
                                             ensure_ascii=False))
