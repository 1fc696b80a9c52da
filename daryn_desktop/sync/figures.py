"""A district's own headline figures (T1, T2, T5) carried in its bundles for the region.

The district computes them for its territory when it writes a bundle — counts only, inside
the encrypted payload's manifest. The region keeps the newest ones of each district and T6
compares them with the same figures computed from the merged data: "in agreement", or the
difference — an early warning of edits that never arrived.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from daryn_desktop.core.enums import Role
from daryn_desktop.storage import syncstate
from daryn_desktop.storage.statistics import own_figures
from daryn_desktop.storage.stats_sync import save_district_figures

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

#: The manifest's key (older programs ignore it; a bundle without it is compared with nothing).
KEY = "figures"


def for_bundle(store: Store) -> dict[str, Any] | None:
    """The figures a district puts in its bundle; None for a regional centre."""
    if store.installation.role is not Role.DISTRICT:
        return None
    try:
        return own_figures(store)
    except Exception:
        # The figures only serve a check at the region; a fault in counting them must never
        # keep a district's data from travelling (the region then shows "no figures").
        return None


def receive(store: Store, sender: str, bundle_id: str, manifest: dict[str, Any]) -> None:
    """Keep the figures of a district's bundle (the newest win: bundles are imported in any
    order, but a district's figures only ever describe its latest state)."""
    figures = manifest.get(KEY)
    if store.installation.role is not Role.REGION or not isinstance(figures, dict):
        return
    if not isinstance(figures.get("figures"), dict):
        return
    held = syncstate.held_figures(store.db, sender)
    if held is not None and str(figures.get("computed_at", "")) < _computed_at(held):
        return
    save_district_figures(store, sender, bundle_id, figures)


def _computed_at(text: str) -> str:
    try:
        return str(json.loads(text).get("computed_at", ""))
    except (ValueError, AttributeError):
        return ""
