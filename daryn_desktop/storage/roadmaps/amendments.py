"""What an edit changes in a plan: the writes it makes and the amendment's summary."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from daryn_desktop.core import roadmap as rules
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.entities import (
    Activity,
    Goal,
)
from daryn_desktop.core.enums import ActivityStatus
from daryn_desktop.i18n import N_, _
from daryn_desktop.storage.rows import to_row

if TYPE_CHECKING:
    from daryn_desktop.storage.writer import Writer


#: An amendment's summary lists at most this many changes, then "and N more".
SUMMARY_ITEMS = 12
_ACTIVITY_FIELD_LABELS = {
    "measure": N_("type"), "title": N_("title"), "responsible": N_("responsible"),
    "start_date": N_("start"), "due_date": N_("due date"), "due_quarter": N_("quarter"),
    "status": N_("status"), "result": N_("result"),
}
_MAP_FIELD_LABELS = {
    "identification": N_("How the ability was identified"),
    "strengths": N_("Strengths"), "interests": N_("Interests"),
    "coordinator_id": N_("Coordinator"), "mentor_id": N_("Mentor"),
    "psychologist_id": N_("Psychologist"),
}


def _shown(value: Any, t: Callable[[str], str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return format_date(value)
    if hasattr(value, "label_id"):
        return _(value.label_id)
    return str(value)


class PlanDiff:
    """The difference between the stored plan and the edited one."""

    def __init__(self, fields: dict[str, Any], old_goals: list[Goal], goals: list[Goal] | None,
                 old_acts: list[Activity], acts: list[Activity] | None):
        self.fields = fields
        self.old_fields: dict[str, Any] = {}
        self.goal_adds: list[Goal] = []
        self.goal_removes: list[Goal] = []
        self.goal_changes: list[tuple[Goal, Goal, dict[str, Any]]] = []
        self.act_adds: list[Activity] = []
        self.act_removes: list[Activity] = []
        self.act_changes: list[tuple[Activity, Activity, dict[str, Any]]] = []
        if goals is not None:
            self.goal_adds, self.goal_removes, self.goal_changes = compare(old_goals, goals)
        if acts is not None:
            self.act_adds, self.act_removes, self.act_changes = compare(old_acts, acts)

    @property
    def empty(self) -> bool:
        return not (self.fields or self.goal_adds or self.goal_removes or self.goal_changes
                    or self.act_adds or self.act_removes or self.act_changes)

    @property
    def changes_plan(self) -> bool:
        if set(self.fields) & rules.PLAN_FIELDS:
            return True
        if self.goal_adds or self.goal_removes or self.act_adds or self.act_removes:
            return True
        if any(set(ch) & rules.GOAL_PLAN_FIELDS for _o, _n, ch in self.goal_changes):
            return True
        for _old, _new, changed in self.act_changes:
            if set(changed) & rules.ACTIVITY_PLAN_FIELDS:
                return True
            if changed.get("status") == ActivityStatus.CANCELLED.value:
                return True
        return False

    def write(self, w: Writer, road_map_id: str) -> None:
        if self.fields:
            w.update("road_maps", road_map_id, self.fields)
        for table, adds, removes, changes in (
                ("goals", self.goal_adds, self.goal_removes, self.goal_changes),
                ("activities", self.act_adds, self.act_removes, self.act_changes)):
            for entity in removes:
                w.update(table, entity.id, {"removed": True})
            for _old, new, changed in changes:
                w.update(table, new.id, changed)
            if adds:
                w.insert_many(table, [to_row(e) for e in adds])

    def summary(self, _: Callable[[str], str], staff_names: dict[str, str]) -> str:
        """What changed, in the language of ``_`` (the document's), for the amendment."""
        items: list[str] = []
        for key, value in self.fields.items():
            if key not in _MAP_FIELD_LABELS:
                continue
            if key.endswith("_id"):
                items.append(_("{field}: {new}").format(
                    field=_(_MAP_FIELD_LABELS[key]),
                    new=staff_names.get(value, "—") if value else "—"))
            else:
                items.append(_("{field}: changed").format(field=_(_MAP_FIELD_LABELS[key])))
        for goal in self.goal_adds:
            items.append(_("Goal added: «{text}»").format(text=goal.text))
        for goal in self.goal_removes:
            items.append(_("Goal removed: «{text}»").format(text=goal.text))
        for old_goal, new_goal, changed in self.goal_changes:
            if "text" in changed:
                items.append(_("Goal changed: «{old}» → «{new}»").format(old=old_goal.text,
                                                                          new=new_goal.text))
        for act in self.act_adds:
            items.append(_("Activity added: «{title}»").format(title=act.title))
        for act in self.act_removes:
            items.append(_("Activity removed: «{title}»").format(title=act.title))
        reordered = False
        for old, new, changed in self.act_changes:
            if changed.get("status") == ActivityStatus.CANCELLED.value:
                items.append(_("Activity cancelled: «{title}»").format(title=old.title))
            parts = []
            for key in rules.ACTIVITY_PLAN_FIELDS - {"position", "responsible_id"}:
                if key in changed:
                    parts.append(_("{field} {old} → {new}").format(
                        field=_(_ACTIVITY_FIELD_LABELS[key]), old=_shown(getattr(old, key), _),
                        new=_shown(getattr(new, key), _)))
            if parts:
                items.append(_("Activity «{title}»: {changes}").format(
                    title=old.title, changes=", ".join(sorted(parts))))
            reordered = reordered or "position" in changed
        if reordered:
            items.append(_("Order of the activities changed"))
        if len(items) > SUMMARY_ITEMS:
            more = len(items) - SUMMARY_ITEMS
            items = [*items[:SUMMARY_ITEMS], _("and {count} more").format(count=more)]
        return "; ".join(items)


def compare(old: Sequence[Any],
            new: Sequence[Any]) -> tuple[list[Any], list[Any], list[Any]]:
    old_by_id = {e.id: e for e in old}
    new_ids = {e.id for e in new}
    adds = [e for e in new if e.id not in old_by_id]
    removes = [e for e in old if e.id not in new_ids]
    changes = []
    for entity in new:
        before = old_by_id.get(entity.id)
        if before is None:
            continue
        a, b = to_row(before), to_row(entity)
        changed = {k: v for k, v in b.items() if k != "id" and a.get(k) != v}
        if changed:
            changes.append((before, entity, changed))
    return adds, removes, changes
