"""A small sync world: one regional centre and districts of Aktobe region, paired."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pytest

from daryn_desktop.core.enums import Role
from daryn_desktop.storage.schema import SYNCED_COLUMNS
from daryn_desktop.sync.card import card_bytes, parse_card
from daryn_desktop.sync.identity import ensure_identity
from daryn_desktop.sync.peers import trust_card

#: Districts of Aktobe region (KATO): Alga, Mugalzhar, Khromtau.
DISTRICTS = ("153200000", "154800000", "155600000")


def pair(region, district) -> None:
    trust_card(region, parse_card(card_bytes(district)))
    trust_card(district, parse_card(card_bytes(region)))


def make_world(make_store, districts=1):
    region = make_store("region.db", role=Role.REGION)
    ensure_identity(region)
    made = []
    for n, kato in enumerate(DISTRICTS[:districts]):
        store = make_store(f"district{n}.db", district=kato)
        ensure_identity(store)
        pair(region, store)
        made.append(store)
    return region, made


def state_digest(store, *, tables=None) -> str:
    """A hash of everything sync is responsible for: records, versions and field heads."""
    h = hashlib.sha256()
    for table in sorted(tables or SYNCED_COLUMNS):
        cols = ", ".join(["id", *SYNCED_COLUMNS[table]])
        for row in store.db.execute(f"SELECT {cols} FROM [{table}] ORDER BY id"):
            h.update(json.dumps(row, ensure_ascii=False, default=str).encode())
    for sql in ("SELECT origin_site, origin_seq, tbl, row_id, op, data, hlc, prio, supersedes"
                " FROM changes ORDER BY origin_site, origin_seq",
                "SELECT * FROM field_heads ORDER BY 1, 2, 3, 4, 5",
                "SELECT * FROM version_links ORDER BY 1, 2, 3, 4, 5",
                "SELECT site_id, their_ack, our_ack, status FROM peers ORDER BY 1",
                "SELECT * FROM tombstones ORDER BY 1, 2",
                "SELECT sha256 FROM blobs ORDER BY 1"):
        for row in store.db.execute(sql):
            h.update(json.dumps(row, ensure_ascii=False, default=str).encode())
    return h.hexdigest()


@pytest.fixture
def world(make_store):
    region, (district,) = make_world(make_store, 1)
    return region, district


@dataclass
class Carried:
    """A bundle taken from one installation to another, and what its import did."""

    bundle: object
    outcome: object

    @property
    def changes(self):
        return self.bundle.changes

    def __iter__(self):
        return iter((self.bundle, self.outcome))


def carry(source, target, tmp_path) -> Carried:
    """Export from ``source`` for ``target`` and import it there (it must be imported)."""
    from daryn_desktop.sync.export import export_bundle, recipients_for_export
    from daryn_desktop.sync.importer import IMPORTED, import_bundle

    to = target.site_id if source.installation.role.value == "region" else None
    made = export_bundle(source, tmp_path / "stick", recipients_for_export(source, to)[0])
    outcome = import_bundle(target, made.path)
    assert outcome.status == IMPORTED, outcome.describe()
    return Carried(made, outcome)
