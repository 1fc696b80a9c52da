"""The coordinator's own road-map templates (else the built-in ones), per track and language."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from daryn_desktop.core.findings import has_errors
from daryn_desktop.core.templates import (
    RoadMapTemplate,
    Track,
    builtin_template,
    validate_template,
)
from daryn_desktop.i18n import gettext_for

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store
from daryn_desktop.storage.roadmaps.base import invalid_entries


class RoadMapTemplates:
    """The template part of the road-map service."""

    store: Store

    def template(self, track: Track, language: str) -> RoadMapTemplate:
        """The coordinator's template for the track and language, else the built-in one."""
        row = self.store.db.execute(
            "SELECT id, items FROM road_map_templates WHERE track = ? AND language = ?"
            " AND archived = 0 ORDER BY rowid DESC LIMIT 1", [track.value, language]).fetchone()
        if row:
            return RoadMapTemplate.from_json(track, language, row[1], row[0])
        return builtin_template(track, language, gettext_for(language))

    def save_template(self, template: RoadMapTemplate, *,
                      author: str | None = None) -> RoadMapTemplate:
        """Store an edited template (it replaces the built-in one for its track and language)."""
        findings = validate_template(template)
        if has_errors(findings):
            raise invalid_entries(findings)
        current = self.template(template.track, template.language)
        with self.store.transaction(author) as w:
            if current.id is not None:
                w.update("road_map_templates", current.id, {"items": template.items_json()})
                template_id = current.id
            else:
                template_id = w.insert("road_map_templates", {
                    "track": template.track.value, "language": template.language,
                    "items": template.items_json(), "archived": False})
        return dataclasses.replace(template, id=template_id)

    def reset_template(self, track: Track, language: str, *, author: str | None = None) -> None:
        """Go back to the built-in template (the edited one is archived, not deleted)."""
        rows = self.store.db.execute(
            "SELECT id FROM road_map_templates WHERE track = ? AND language = ? AND archived = 0",
            [track.value, language]).fetchall()
        if rows:
            with self.store.transaction(author) as w:
                for (template_id,) in rows:
                    w.update("road_map_templates", template_id, {"archived": True})
