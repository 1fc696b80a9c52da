"""The database's health, as ``daryn doctor`` and the Settings screen report it."""

from __future__ import annotations

from dataclasses import dataclass, field
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
        if self.healthy:
            out.append(_("The database is healthy."))
        else:
            out.append(_("Problems found:"))
            out += [f"  - {p}" for p in self.problems]
        return out


def unacknowledged_changes(store: Store) -> int:
    """Own changes the region has not yet confirmed (all of them until sync acknowledges)."""
    acked = int(store.state("acked_origin_seq") or 0)
    row = store.db.execute("SELECT count(*) FROM changes WHERE origin_site = ? AND origin_seq > ?",
                           [store.site_id, acked]).fetchone()
    return row[0]


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
    }
    return HealthReport(healthy=not problems, facts=facts, problems=problems)
