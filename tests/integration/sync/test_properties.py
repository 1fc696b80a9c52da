"""Properties of the merge over real encrypted files and real bundles (Hypothesis).

One regional centre and three districts exchange bundles through a pile of "sticks":
bundles are made at random moments, delivered in any order, more than once, or lost; the
PCs' clocks are up to decades apart. After everything left is delivered and two quiet
rounds, every installation must show the same records and the same open conflicts as the
region (for its territory), no version may be missing, and replaying every bundle again
must change nothing. A deliberately wrong merge ("last delivered wins") must fail.
"""

from __future__ import annotations

import os
import random
import shutil
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from daryn_desktop.core.enums import Award, Role, SupportMeasure
from daryn_desktop.core.events import EventTemplate, ResultLine
from daryn_desktop.storage import apply as apply_module
from daryn_desktop.storage.database import create_store, open_store
from daryn_desktop.storage.events import Events
from daryn_desktop.storage.keyring import TEST_KDF
from daryn_desktop.storage.schema import SYNCED_COLUMNS
from daryn_desktop.sync import importer, payload_format
from daryn_desktop.sync.export import export_bundle
from daryn_desktop.sync.identity import ensure_identity
from daryn_desktop.sync.importer import REFUSED, import_bundle
from daryn_desktop.sync.peers import get_peer, peers
from daryn_desktop.sync.scope import build_scope
from tests.helpers import make_iin
from tests.integration.sync.conftest import DISTRICTS, pair

PASSWORD = "property-pass"
NAMES = ("region", "alga", "mugalzhar", "khromtau")
EXAMPLES = int(os.environ.get("DARYN_SYNC_EXAMPLES", "20"))
#: Clock offsets of a PC: exact, a little fast, an hour slow, ten years fast, twenty slow.
YEAR_MS = 365 * 24 * 3600 * 1000
OFFSETS = (0, 1500, -3600 * 1000, 10 * YEAR_MS, -20 * YEAR_MS)
FIELDS = ("grade", "class_letter", "phone", "notes", "surname")
#: Awards a result may be given (and changed to) in the programs.
AWARDS = (None, Award.PARTICIPANT, Award.PLACE_3, Award.PLACE_2, Award.PLACE_1)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Four paired installations, each district with a school and a pupil, synced once."""
    folder = tmp_path_factory.mktemp("sync-world")
    stores = []
    region, _ = create_store(folder / "region.db", PASSWORD, role=Role.REGION,
                             region_kato="150000000", name="Ақтөбе Дарын", kdf=TEST_KDF)
    ensure_identity(region)
    # The region's calendar: the rural olympiad, whose school stage the results are of.
    Events(region).create_from_template(EventTemplate.RURAL_OLYMPIAD, "2025-2026")
    stores.append(region)
    for name, kato in zip(NAMES[1:], DISTRICTS):
        store, _ = create_store(folder / f"{name}.db", PASSWORD, role=Role.DISTRICT,
                                region_kato="150000000", district_kato=kato, name=name,
                                kdf=TEST_KDF)
        ensure_identity(store)
        pair(region, store)
        with store.transaction() as w:
            school = w.insert("schools", {"name": f"{name} мектебі", "language": "kk",
                                          "settlement_kato": kato, "district_kato": kato})
            w.insert("pupils", {"surname": "Әлі", "given_name": "Ұлан", "iin": make_iin(),
                                "school_id": school, "grade": 5})
        stores.append(store)
    for store in stores:
        store.close()
    world = World(folder)
    world.quiesce()
    world.close()
    shutil.rmtree(folder / "sticks")
    return folder


class World:
    def __init__(self, folder):
        self.folder = folder
        self.stores = [open_store(folder / f"{n}.db", password=PASSWORD) for n in NAMES]
        self.sticks: list[tuple[int, object]] = []
        self.created: set[tuple[str, int]] = set()
        self.serial = 100

    def close(self):
        for store in self.stores:
            store.close()

    def set_clock(self, i, offset):
        self.stores[i].clock.wall_ms = lambda: time.time_ns() // 1_000_000 + offset

    def export(self, i, j):
        """A bundle from site i to site j (district → region, or region → district)."""
        if (i == 0) == (j == 0):
            return
        source, target = self.stores[i], self.stores[j]
        peer = get_peer(source, target.site_id)
        result = export_bundle(source, self.folder / "sticks", peer)
        self.sticks.append((j, result.path))

    def deliver(self, k):
        j, path = self.sticks[k]
        outcome = import_bundle(self.stores[j], path)
        # Only a district whose database was put back from a copy may be refused (until the
        # region's next bundle tells it to renumber what it wrote since).
        assert outcome.status != REFUSED or outcome.reason == "sender_rolled_back", \
            outcome.describe()

    def pupils(self, i):
        return [r[0] for r in self.stores[i].db.execute("SELECT id FROM pupils ORDER BY id")]

    def create(self, i):
        store = self.stores[i]
        school = store.db.execute("SELECT id FROM schools ORDER BY id").fetchone()
        if school is None:
            return
        self.serial += 1
        with store.transaction() as w:
            w.insert("pupils", {"surname": "Бала", "given_name": f"№{self.serial}",
                                "iin": make_iin(serial=self.serial), "school_id": school[0],
                                "grade": 3})

    def edit(self, i, k, column, value):
        ids = self.pupils(i)
        if not ids:
            return
        text = {"grade": None, "class_letter": "ӘБВГҒ"[value % 5], "phone": f"+7 70{value}",
                "notes": f"ескерту {value}", "surname": f"Тегі{value}"}[column]
        self.stores[i].repos.pupils.update(ids[k % len(ids)], **{
            column: value % 11 + 1 if column == "grade" else text})

    def result(self, i, k, value):
        """Installation ``i`` records (or changes) pupil ``k``'s school-stage result."""
        store = self.stores[i]
        ids = self.pupils(i)
        stage = store.db.execute("SELECT id FROM event_stages WHERE level = 'school'"
                                 " ORDER BY id").fetchone()
        if not ids or stage is None:
            return
        events = Events(store)
        pupil = ids[k % len(ids)]
        held = [r for r in events.results(stage[0]) if r.pupil_id == pupil]
        line = held[0].line() if held else ResultLine(pupil_id=pupil, subject="Математика")
        award = AWARDS[value % len(AWARDS)]
        if line.award is not None and award is None:
            award = Award.PARTICIPANT  # a recorded result is changed, never removed
        score = float(value) if award is not None else None  # a score goes with an award
        events.save_results(stage[0], [
            ResultLine(**{**line.__dict__, "award": award, "score": score})])

    def support(self, i, k, value):
        """Installation ``i`` records pupil ``k``'s scholarship, or changes its amount."""
        store = self.stores[i]
        ids = self.pupils(i)
        if not ids:
            return
        pupil = ids[k % len(ids)]
        held = store.db.execute("SELECT id FROM support_records WHERE pupil_id = ? ORDER BY id",
                                [pupil]).fetchone()
        with store.transaction() as w:
            if held:
                w.update("support_records", held[0], {"amount": 1000 * (value + 1)})
            else:
                w.insert("support_records", {
                    "pupil_id": pupil, "measure": SupportMeasure.SCHOLARSHIP.value,
                    "academic_year": "2025-2026", "status": "granted", "kind": "state",
                    "amount": 1000 * (value + 1), "order_number": f"№{value}"})

    def move(self, k, d):
        """The region moves a pupil to a school of district ``d`` (maybe the one it is in)."""
        region = self.stores[0]
        ids = self.pupils(0)
        school = region.db.execute("SELECT id FROM schools WHERE district_kato = ? ORDER BY id",
                                   [DISTRICTS[d]]).fetchone()
        if ids and school is not None:
            region.repos.pupils.update(ids[k % len(ids)], school_id=school[0])

    def snapshot(self, i):
        """A copy of district ``i``'s database file, as a backup would take it."""
        path = self.folder / f"{NAMES[i]}.db"
        self.stores[i].close()
        shutil.copy(path, self.folder / f"{NAMES[i]}.copy")
        self.stores[i] = open_store(path, password=PASSWORD)

    def put_back(self, i):
        """District ``i``'s PC fails and its last copy is put back (if it has one)."""
        copy = self.folder / f"{NAMES[i]}.copy"
        if copy.exists():
            path = self.folder / f"{NAMES[i]}.db"
            self.stores[i].close()
            shutil.copy(copy, path)
            self.stores[i] = open_store(path, password=PASSWORD)

    def own_versions(self):
        out = set()
        for store in self.stores:
            out |= set(store.db.execute("SELECT origin_site, origin_seq FROM changes"
                                        " WHERE received_from IS NULL").fetchall())
        return out

    def quiesce(self):
        for _round in range(2):
            for j in range(1, 4):
                self.export(j, 0)
                self.deliver(len(self.sticks) - 1)
            for j in range(1, 4):
                self.export(0, j)
                self.deliver(len(self.sticks) - 1)


def _rows(store, table, ids):
    cols = ", ".join(["id", *SYNCED_COLUMNS[table]])
    marks = ",".join("?" * len(ids))
    return store.db.execute(f"SELECT {cols} FROM [{table}] WHERE id IN ({marks}) ORDER BY id",
                            list(ids)).fetchall()


def assert_converged(world):
    region = world.stores[0]
    for j in range(1, 4):
        district = world.stores[j]
        peer = next(p for p in peers(region) if p.site_id == district.site_id)
        build_scope(region, peer.district_kato, [peer.site_id])
        for table in SYNCED_COLUMNS:
            scoped = [r[0] for r in region.db.execute(
                "SELECT row_id FROM temp.sync_scope WHERE tbl = ?", [table])]
            held = [r[0] for r in district.db.execute(f"SELECT id FROM [{table}]")]
            assert sorted(held) == sorted(scoped), (NAMES[j], table)
            assert _rows(district, table, held) == _rows(region, table, held), (NAMES[j], table)
            heads = "SELECT * FROM field_heads WHERE tbl = ? ORDER BY 2, 3, 4, 5"
            assert district.db.execute(heads, [table]).fetchall() == [
                h for h in region.db.execute(heads, [table]).fetchall() if h[1] in set(held)]


operation = st.one_of(
    st.tuples(st.just("create"), st.integers(0, 3)),
    st.tuples(st.just("edit"), st.integers(0, 3), st.integers(0, 50), st.sampled_from(FIELDS),
              st.integers(0, 99)),
    st.tuples(st.just("export"), st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.just("deliver"), st.integers(0, 1000)),
    st.tuples(st.just("clock"), st.integers(0, 3), st.sampled_from(OFFSETS)),
    st.tuples(st.just("move"), st.integers(0, 50), st.integers(0, 2)),
    st.tuples(st.just("result"), st.integers(0, 3), st.integers(0, 50), st.integers(0, 99)),
    st.tuples(st.just("support"), st.integers(0, 3), st.integers(0, 50), st.integers(0, 99)),
    st.tuples(st.just("snapshot"), st.integers(1, 3)),
    st.tuples(st.just("put_back"), st.integers(1, 3)),
)

#: Concurrent edits of one field at a district and at the region, each delivered to the
#: other: the smallest program on which "last delivered wins" diverges.
CONCURRENT_EDITS = [("edit", 1, 0, "grade", 7), ("export", 1, 0), ("edit", 0, 0, "grade", 9),
                    ("export", 0, 1), ("deliver", 0), ("deliver", 1)]



#: A district and the region record the same pupil's result and scholarship without seeing
#: each other, then correct them after a round trip; a moved pupil takes them along.
RESULTS_BOTH_WAYS = [("result", 1, 0, 4), ("result", 0, 0, 2), ("support", 1, 0, 3),
                     ("support", 0, 0, 5), ("export", 1, 0), ("export", 0, 1), ("deliver", 1),
                     ("deliver", 0), ("result", 0, 0, 3), ("support", 1, 0, 7),
                     ("move", 0, 1), ("export", 0, 2), ("deliver", 2)]


def _round_trip(first_stick):
    """Every district to the region and back, each bundle delivered at once."""
    ops, k = [], first_stick
    for i, j in [(d, 0) for d in (1, 2, 3)] + [(0, d) for d in (1, 2, 3)]:
        ops += [("export", i, j), ("deliver", k)]
        k += 1
    return ops


#: A pupil taken round every district and back to where it was before: each district it
#: leaves removes it, and gets it back whole.
ROUND_THE_REGION = [op for d, first in zip((1, 2, 0, 1), range(0, 24, 6))
                    for op in [("move", 0, d), *_round_trip(first)]]

#: A district takes a copy of its database, goes on working and syncing, then its PC fails
#: and the copy is put back; it goes on working and its next bundle reaches the region
#: before the region's bundle reaches it.
PUT_BACK_A_COPY = [("snapshot", 1), ("edit", 1, 0, "grade", 3), ("export", 1, 0),
                   ("deliver", 0), ("export", 0, 1), ("deliver", 1), ("put_back", 1),
                   ("edit", 1, 0, "phone", 4), ("edit", 1, 0, "notes", 5), ("export", 1, 0),
                   ("deliver", 2)]

#: The copy put back only received the region's versions since (the region acknowledged the
#: district's log up to there); the next edit must not take an acknowledged position.
PUT_BACK_AFTER_RECEIVING = [
    ("snapshot", 1), ("edit", 0, 0, "notes", 1), ("edit", 0, 1, "notes", 2),
    ("export", 0, 1), ("deliver", 0), ("export", 1, 0), ("deliver", 1), ("put_back", 1),
    ("export", 0, 1), ("deliver", 2), ("edit", 1, 0, "phone", 4)]


def run_program(folder, tmp_path, program, order, replays):
    target = tmp_path / f"w{time.perf_counter_ns()}"
    shutil.copytree(folder, target)
    world = World(target)
    try:
        for op in program:
            kind = op[0]
            if kind == "create":
                world.create(op[1])
            elif kind == "edit":
                world.edit(*op[1:])
            elif kind == "export":
                world.export(op[1], op[2])
            elif kind == "deliver" and world.sticks:
                world.deliver(op[1] % len(world.sticks))
            elif kind == "clock":
                world.set_clock(op[1], op[2])
            elif kind == "move":
                world.move(op[1], op[2])
            elif kind == "result":
                world.result(*op[1:])
            elif kind == "support":
                world.support(*op[1:])
            elif kind == "snapshot":
                world.snapshot(op[1])
            elif kind == "put_back":
                world.put_back(op[1])
        # Everything still on the sticks arrives, in an arbitrary order, some twice.
        pending = list(range(len(world.sticks)))
        order.shuffle(pending)
        for k in pending:
            world.deliver(k)
        for k in pending[: replays]:
            world.deliver(k)
        created = world.own_versions()
        world.quiesce()
        assert_converged(world)
        region_versions = set(world.stores[0].db.execute(
            "SELECT origin_site, origin_seq FROM changes").fetchall())
        assert created <= region_versions, "a version was lost"
        # Replaying every bundle ever made (bypassing the "already imported" shortcut)
        # changes nothing.
        from tests.integration.sync.conftest import state_digest

        digests = [state_digest(s) for s in world.stores]
        for store in world.stores:
            store.db.execute("DELETE FROM bundle_log WHERE direction = 'in'")
        for k in reversed(range(len(world.sticks))):
            world.deliver(k)
        assert [state_digest(s) for s in world.stores] == digests, "replay changed the state"
    finally:
        world.close()
        shutil.rmtree(target, ignore_errors=True)


PROPERTY_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                             suppress_health_check=[HealthCheck.too_slow,
                                                    HealthCheck.function_scoped_fixture,
                                                    HealthCheck.data_too_large])


def _property(template, tmp_path):
    @PROPERTY_SETTINGS
    @example(program=CONCURRENT_EDITS, replays=1, order=random.Random(1))
    @example(program=ROUND_THE_REGION, replays=2, order=random.Random(2))
    @example(program=PUT_BACK_A_COPY, replays=1, order=random.Random(3))
    @example(program=PUT_BACK_AFTER_RECEIVING, replays=0, order=random.Random(4))
    @example(program=RESULTS_BOTH_WAYS, replays=1, order=random.Random(5))
    @given(program=st.lists(operation, max_size=25), replays=st.integers(0, 3),
           order=st.randoms(use_true_random=False))
    def check(program, replays, order):
        run_program(template, tmp_path, program, order, replays)

    return check


def test_all_installations_converge_whatever_the_delivery(template, tmp_path):
    _property(template, tmp_path)()


def test_bundles_applied_a_few_versions_at_a_time_converge_alike(template, tmp_path,
                                                                 monkeypatch):
    """A large bundle is read again and applied in batches: with batches of a version or two,
    batch boundaries fall between every kind of version (an insert and the update after it,
    a move and the records under the pupil, both sides of a conflict)."""
    monkeypatch.setattr(importer, "APPLY_BATCH", 2)
    # ... read a second time to be applied, as a large bundle is (a small one is applied
    # from its checking reading, in the property above).
    monkeypatch.setattr(importer, "KEEP_CHECKED_PAYLOAD", 0)
    monkeypatch.setattr(payload_format, "_LINES_AT_ONCE", 1)
    _property(template, tmp_path)()


def _last_delivered_wins(heads, new, supersedes, superseded):
    return [new]


def test_a_wrong_merge_fails_the_convergence_property(template, tmp_path, monkeypatch):
    monkeypatch.setattr(apply_module, "merge_heads", _last_delivered_wins)
    with pytest.raises(AssertionError):
        _property(template, tmp_path)()
