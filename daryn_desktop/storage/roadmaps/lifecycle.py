"""A road map's life: start, sign (keeping the signed version), close, reopen."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, Any

from daryn_desktop.core import roadmap as rules
from daryn_desktop.core.entities import (
    Amendment,
    RoadMap,
)
from daryn_desktop.core.enums import RoadMapStatus
from daryn_desktop.core.findings import has_errors
from daryn_desktop.i18n import N_, _, gettext_for
from daryn_desktop.storage.rows import to_row

if TYPE_CHECKING:
    from daryn_desktop.storage.writer import Writer
from daryn_desktop.storage.roadmaps.base import invalid_entries
from daryn_desktop.storage.roadmaps.editing import RoadMapEditing
from daryn_desktop.storage.roadmaps.snapshot import snapshot_json

#: The summary of the amendment that records a reopening (in the document's language).
MSG_REOPENED = N_("Reopened: “{old}” → “{new}”")


class RoadMapLifecycle(RoadMapEditing):
    """Moving road maps through their statuses."""

    def start(self, road_map_id: str, *, author: str | None = None) -> RoadMap:
        """Draft → active: the plan is being carried out (signatures may follow)."""
        road_map = self.get(road_map_id)
        rules.check_transition(road_map.status, RoadMapStatus.ACTIVE)
        with self.store.transaction(author) as w:
            w.update("road_maps", road_map_id, {"status": RoadMapStatus.ACTIVE})
        return self.get(road_map_id)

    def sign(self, road_map_id: str, *, on: date | None = None, signed_by: str | None = None,
             author: str | None = None) -> RoadMap:
        """Mark the plan signed on ``on`` and keep a snapshot of the document as signed.

        ``signed_by`` names the people who signed (kept in the snapshot, so it travels and
        is printed with the version as signed); the window always asks for it.
        """
        on = on or date.today()
        data = self.load(road_map_id)
        rules.check_transition(data.status, RoadMapStatus.SIGNED)
        problems = rules.sign_problems(data.road_map, data.goals, data.activities)
        if problems:
            raise rules.NotReadyToSign(problems="; ".join(_(p) for p in problems))
        if signed_by is not None:
            findings = rules.validate_signing(on, signed_by)
            if has_errors(findings):
                raise invalid_entries(findings)
        signed = dataclasses.replace(data.road_map, status=RoadMapStatus.SIGNED, signed_date=on)
        document = self._document(signed, data.goals, data.activities, [], [])
        snapshot = snapshot_json(document, on, signed_by=(signed_by or "").strip() or None)
        with self.store.transaction(author) as w:
            w.update("road_maps", road_map_id, {"status": RoadMapStatus.SIGNED,
                                                "signed_date": on, "signed_snapshot": snapshot})
        return self.get(road_map_id)

    def close(self, road_map_id: str, *, on: date | None = None, comment: str | None = None,
              author: str | None = None, writer: Writer | None = None) -> RoadMap:
        """Close the road map (its year is over, or the pupil left): it becomes read-only.

        ``comment`` is the year's result in a few words, kept in the road map's note (the
        window always asks for it); reopening with a reason undoes a closing made by mistake.
        """
        road_map = self.get(road_map_id)
        rules.check_transition(road_map.status, RoadMapStatus.CLOSED)
        fields: dict[str, Any] = {"status": RoadMapStatus.CLOSED,
                                  "closed_date": on or date.today()}
        if comment is not None:
            findings = rules.validate_closing(comment)
            if has_errors(findings):
                raise invalid_entries(findings)
            fields["note"] = comment.strip()
        with self._writer(writer, author) as w:
            w.update("road_maps", road_map_id, fields)
        return self.get(road_map_id)

    def reopen(self, road_map_id: str, *, reason: str, on: date | None = None,
               author: str | None = None) -> Amendment:
        """Open a signed or closed road map again, for a reason kept as the next amendment.

        A signed one becomes active (its signed version stays printable until it is signed
        anew); a closed one returns to signed, or to active if it was never signed. The
        status change and the amendment are written in one transaction through the logged
        write path, so they reach the region like any other edit.
        """
        on = on or date.today()
        data = self.load(road_map_id)
        road_map = data.road_map
        target = rules.reopened_status(road_map.status,
                                       was_signed=road_map.signed_date is not None)
        if has_errors(rules.validate_reason(reason)):
            raise rules.AmendmentReasonRequired()
        pupil = self.repos.pupils.get(road_map.pupil_id)
        t = gettext_for(self.document_language(pupil))
        summary = t(MSG_REOPENED).format(old=t(road_map.status.label_id),
                                         new=t(target.label_id))
        amendment = Amendment(road_map_id=road_map_id, number=self._next_number(road_map_id),
                              date=on, reason=reason.strip(), summary=summary)
        fields: dict[str, Any] = {"status": target}
        if road_map.status == RoadMapStatus.CLOSED:
            fields["closed_date"] = None
        else:  # signed → active: to be signed again
            fields["signed_date"] = None
        with self.store.transaction(author) as w:
            w.update("road_maps", road_map_id, fields)
            w.insert("amendments", to_row(amendment))
        return amendment
