"""The database's health, as ``daryn doctor`` and the Settings screen report it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from daryn_desktop import __version__
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.i18n import _
from daryn_desktop.storage import migrations
from daryn_desktop.storage.keyring import keyring_path, load_keyring

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store


@dataclass
class HealthReport:
    healthy: bool
    facts: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"healthy": self.healthy, **self.facts, "problems": self.problems}

    def lines(self) -> list[str]:
        f = self.facts
        out = [
            _("Database: {path}").format(path=f["path"]),
            _("Program version: {version}").format(version=f["program_version"]),
            _("Schema: {version} (pending migrations: {pending})").format(
                version=f["schema_version"], pending=len(f["pending_migrations"])),
            _("Installation: {name} — {role}, {territory}").format(
                name=f["installation"]["name"], role=f["installation"]["role_label"],
                territory=f["installation"]["territory"]),
            _("Encryption: SQLCipher, key wrapped under the password and the recovery code"
              " ({keys})").format(keys=f["keyring"]),
            _("Pupils: {pupils}; schools: {schools}; road maps: {road_maps}").format(**f["counts"]),
            _("Changes not yet acknowledged by the region: {count}").format(
                count=f["unacknowledged_changes"]),
        ]
        keys = f["sync_keys"]
        if keys["present"]:
            out.append(_("Sync keys: present, fingerprint {fingerprint}; old keys kept: {old};"
                         " paired installations: {paired}").format(
                fingerprint=keys["fingerprint"], old=keys["old_keys"], paired=keys["paired"]))
        else:
            out.append(_("Sync keys: missing (they are made when the installation is set up)"))
        if self.healthy:
            out.append(_("The database is healthy."))
        else:
            out.append(_("Problems found:"))
            out += [f"  - {p}" for p in self.problems]
        return out


def unacknowledged_changes(store: Store) -> int:
    """Changes written here that the region has not yet confirmed it holds.

    The region confirms, in every bundle it sends, the position in this installation's
    change log up to which it has applied everything; only changes above it count. A
    regional centre's own changes are safe where they are written, so it has none.
    """
    if store.installation.role.value == "region":
        return 0
    acked = store.db.execute("SELECT coalesce(max(their_ack), 0) FROM peers"
                             " WHERE role = 'region'").fetchone()[0]
    row = store.db.execute("SELECT count(*) FROM change_log WHERE received_from IS NULL"
                           " AND seq > ?", [acked]).fetchone()
    return int(row[0])


#: A district that has sent no bundle for longer than this is "silent" for the region.
SILENT_DAYS = 30


def silent_districts(store: Store, *, days: int = SILENT_DAYS,
                     now: datetime | None = None) -> list[tuple[str, str | None]]:
    """Paired, unrevoked districts whose last bundle reached this region more than ``days``
    ago, or never: ``(name, last import time or None)``, the longest silent first."""
    limit = ((now or datetime.now(timezone.utc)) - timedelta(days=days)).isoformat(
        timespec="seconds")
    rows = store.db.execute(
        "SELECT name, last_import_at FROM peers WHERE role = 'district' AND status != 'revoked'"
        " AND (last_import_at IS NULL OR last_import_at < ?)"
        " ORDER BY last_import_at IS NOT NULL, last_import_at, name", [limit]).fetchall()
    return [(name, last) for name, last in rows]


def own_changes_between(store: Store, low: int, high: int) -> int:
    """How many changes written here lie in the change-log positions ``(low, high]``: what a
    peer's new acknowledgement confirms."""
    if high <= low:
        return 0
    return int(store.db.execute("SELECT count(*) FROM change_log WHERE received_from IS NULL"
                                " AND seq > ? AND seq <= ?", [low, high]).fetchone()[0])


def key_fingerprint(site_id: str, sign_key: str, age_recipient: str, escrow: str | None) -> str:
    """The fingerprint read aloud when pairing: twenty digits in groups of four (≈66 bits of
    the SHA-256 of the keys). Here rather than in ``sync.card`` so that this report, below
    the sync layer, can show it too."""
    data = json.dumps([site_id, sign_key, age_recipient, escrow], sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False).encode()
    digits = f"{int.from_bytes(hashlib.sha256(data).digest()[:12], 'big') % 10**20:020d}"
    return " ".join(digits[i : i + 4] for i in range(0, 20, 4))


def sync_keys_facts(store: Store) -> dict[str, Any]:
    """This installation's sync keys for the report: present, fingerprint, old keys, peers."""
    keys = {kind: public for kind, public in store.db.execute(
        "SELECT kind, public FROM sync_keys WHERE status = 'current'")}
    escrow = store.db.execute("SELECT recipient FROM escrow_keys WHERE status = 'current'"
                              ).fetchone()
    old = store.db.execute("SELECT count(*) FROM sync_keys WHERE status != 'current'"
                           ).fetchone()[0]
    peers = store.db.execute("SELECT count(*) FROM peers WHERE status = 'trusted'").fetchone()[0]
    present = "sign" in keys and "age" in keys
    return {"present": present,
            "fingerprint": key_fingerprint(store.site_id, keys["sign"], keys["age"],
                                          escrow[0] if escrow else None) if present else None,
            "old_keys": old, "paired": peers}


def health_report(store: Store, *, lang: str = "kk") -> HealthReport:
    problems = store.integrity_problems()
    pending = migrations.pending_names(store.db)
    if pending:
        problems.append(_("Migrations not applied: {names}").format(names=", ".join(pending)))
    try:
        ring = load_keyring(store.path)
        keyring = keyring_path(store.path).name + f" ({ring.key_id})"
    except Exception as exc:  # the report must describe the problem, not stop on it
        keyring = "—"
        problems.append(str(exc))
    inst = store.installation
    places = gazetteer()
    territory_code = inst.district_kato or inst.region_kato
    place = places.find(territory_code)
    counts = {
        table: store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("pupils", "schools", "road_maps")
    }
    facts = {
        "path": str(store.path),
        "program_version": __version__,
        "schema_version": migrations.schema_version(store.db),
        "pending_migrations": pending,
        "installation": {"name": inst.name, "role": inst.role.value, "role_label": inst.role.label,
                         "region_kato": inst.region_kato, "district_kato": inst.district_kato,
                         "territory": place.name(lang) if place else territory_code,
                         "site_id": inst.site_id},
        "keyring": keyring,
        "counts": counts,
        "unacknowledged_changes": unacknowledged_changes(store),
        "sync_keys": sync_keys_facts(store),
    }
    return HealthReport(healthy=not problems, facts=facts, problems=problems)
