"""Recovering from losses: a dead PC, a newer program's columns, a purge, a killed import."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from daryn_desktop.core.enums import PupilStatus
from daryn_desktop.storage import schema
from daryn_desktop.storage.database import open_store
from daryn_desktop.storage.keyring import TEST_KDF
from daryn_desktop.sync.backup import read_key_backup, restore_key_backup, write_key_backup
from daryn_desktop.sync.conflicts import count_conflicts, list_conflicts, resolve
from daryn_desktop.sync.errors import WrongPassphrase
from daryn_desktop.sync.export import export_bundle, recipients_for_export
from daryn_desktop.sync.identity import ensure_identity
from daryn_desktop.sync.importer import IMPORTED, import_bundle
from daryn_desktop.sync.purge import purge_record
from tests.conftest import PASSWORD
from tests.helpers import add_pupil, add_school
from tests.integration.sync.conftest import pair, state_digest


def _send(source, target, tmp_path, **kw):
    peer = recipients_for_export(source, target.site_id if source.installation.role.value
                                 == "region" else None)[0]
    result = export_bundle(source, tmp_path / "stick", peer, **kw)
    outcome = import_bundle(target, result.path)
    assert outcome.status == IMPORTED, outcome.describe()
    return result


def test_a_dead_pc_is_restored_from_the_region_with_every_acknowledged_edit(world, make_store,
                                                                             tmp_path):
    region, district = world
    school = add_school(district)
    pupils = [add_pupil(district, school, "Оқушы", f"№{n}", serial=n) for n in range(1, 6)]
    district.repos.pupils.update(pupils[0].id, grade=10, phone="+7 701 000 00 00")
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)  # carries the region's acknowledgement
    from daryn_desktop.storage.health import unacknowledged_changes

    assert unacknowledged_changes(district) == 0
    district.repos.pupils.update(pupils[1].id, grade=11)  # never exported: will be lost
    assert unacknowledged_changes(district) == 1
    old_site, kato = district.site_id, district.installation.district_kato
    district.close()
    # The PC dies. A new installation of the same district, new site id and keys.
    fresh = make_store("new-pc.db", district=kato)
    ensure_identity(fresh)
    pair(region, fresh)
    _send(region, fresh, tmp_path)
    restored = {p.id: p for p in fresh.repos.pupils.where("1")}
    assert set(restored) == {p.id for p in pupils}
    assert restored[pupils[0].id].grade == 10
    assert restored[pupils[0].id].phone == "+7 701 000 00 00"
    assert restored[pupils[1].id].grade == 7  # the unexported edit is the only loss
    assert fresh.site_id != old_site
    # The new PC carries on; its edits reach the region and nothing is sent twice.
    fresh.repos.pupils.update(pupils[2].id, grade=9)
    result = _send(fresh, region, tmp_path)
    assert result.changes == 1
    assert region.repos.pupils.get(pupils[2].id).grade == 9


def test_a_full_restore_can_be_requested_for_an_existing_pc(world, tmp_path):
    from daryn_desktop.sync.peers import request_restore

    region, district = world
    add_school(district)
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)
    _send(district, region, tmp_path)  # the region learns the district has everything
    request_restore(region, district.site_id)
    peer = recipients_for_export(region, district.site_id)[0]
    assert peer.restore_requested
    result = export_bundle(region, tmp_path / "stick", peer)
    assert result.since == 0 and result.changes >= 1


@contextlib.contextmanager
def newer_program():
    """The program of a later release: pupils have a column this one does not know."""
    original = schema.SYNCED_COLUMNS["pupils"]
    schema.SYNCED_COLUMNS["pupils"] = (*original, "nickname")
    try:
        yield
    finally:
        schema.SYNCED_COLUMNS["pupils"] = original


def test_an_unknown_column_from_a_newer_program_is_stored_relayed_and_applied_later(
        world, make_store, tmp_path):
    region, district = world
    district.db.execute("ALTER TABLE pupils ADD COLUMN nickname TEXT")
    school = add_school(district)
    with newer_program():
        pupil = add_pupil(district, school, "Жаңа", "Нұсқа")
        with district.transaction() as w:
            w.update("pupils", pupil.id, {"nickname": "Нұрик"})
            w.update("pupils", pupil.id, {"nickname": "Нұрасыл"})
        result = export_bundle(district, tmp_path / "stick", recipients_for_export(district)[0])
    assert import_bundle(region, result.path).status == IMPORTED  # the old program
    assert region.repos.pupils.get(pupil.id).surname == "Жаңа"
    assert "nickname" not in region.db["pupils"].columns_dict
    # Relayed: a new PC of the district (newer program) gets the value back from the region.
    fresh = make_store("new-pc.db", district=district.installation.district_kato)
    fresh.db.execute("ALTER TABLE pupils ADD COLUMN nickname TEXT")
    ensure_identity(fresh)
    pair(region, fresh)
    with newer_program():
        _send(region, fresh, tmp_path)
        assert fresh.db.execute("SELECT nickname FROM pupils").fetchone()[0] == "Нұрасыл"
        # The region upgrades: the stored versions are applied to the new column.
        region.db.execute("ALTER TABLE pupils ADD COLUMN nickname TEXT")
        with region.transaction() as w:
            assert w.materialize_pending() == 1
        assert region.db.execute("SELECT nickname FROM pupils").fetchone()[0] == "Нұрасыл"


def test_concurrent_edits_become_a_conflict_a_person_resolves(world, tmp_path):
    region, district = world
    school = add_school(district)
    pupil = add_pupil(district, school, "Серікқызы", "Дана")
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)
    district.repos.pupils.update(pupil.id, phone="+7 702 111")
    region.repos.pupils.update(pupil.id, phone="+7 705 999")
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)
    for store in (region, district):
        (conflict,) = list_conflicts(store)
        assert conflict.col == "phone" and conflict.record == "Серікқызы Дана"
        assert [c.shown for c in conflict.candidates] == [True, False]
        assert conflict.candidates[0].value == "+7 705 999"  # the region's correction
    # The coordinator keeps the district's number; the region learns the decision.
    (conflict,) = list_conflicts(district)
    resolve(district, conflict, "+7 702 111")
    assert count_conflicts(district) == 0
    _send(district, region, tmp_path)
    assert count_conflicts(region) == 0
    assert region.repos.pupils.get(pupil.id).phone == "+7 702 111"


def _activity_status_race(world, tmp_path, at_district, at_region):
    """One activity's status set at the district and at the region, neither seeing the other."""
    from daryn_desktop.core.templates import Track
    from daryn_desktop.storage.roadmaps import RoadMaps

    region, district = world
    pupil = add_pupil(district, add_school(district), "Серікқызы", "Дана")
    road_map = RoadMaps(district).create(pupil.id, "2026-2027", track=Track.OLYMPIAD)
    activity = district.repos.activities.current_for(road_map.id)[0]
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)
    for store, status in ((district, at_district), (region, at_region)):
        with store.transaction() as writer:
            writer.update("activities", activity.id, {"status": status})
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)
    return [store.repos.activities.get(activity.id).status.value
            for store in (region, district)]


def test_an_activity_started_in_one_place_and_done_in_another_is_done(world, tmp_path):
    # The region's value would win a plain conflict; progress only goes forward.
    assert _activity_status_race(world, tmp_path, "done", "in_progress") == ["done", "done"]
    for store in world:
        assert count_conflicts(store) == 0 and list_conflicts(store) == []


def test_an_activity_done_in_one_place_and_cancelled_in_another_asks_a_person(world,
                                                                              tmp_path):
    shown = _activity_status_race(world, tmp_path, "done", "cancelled")
    assert shown == ["cancelled", "cancelled"]  # the region's, until a person decides
    for store in world:
        (conflict,) = list_conflicts(store)
        assert conflict.col == "status" and count_conflicts(store) == 1
        assert {c.value for c in conflict.candidates} == {"done", "cancelled"}


def test_the_same_value_typed_in_two_places_is_no_conflict(world, tmp_path):
    region, district = world
    pupil = add_pupil(district, add_school(district), "Серікқызы", "Дана")
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)
    for store in world:
        store.repos.pupils.update(pupil.id, phone="+7 702 111")
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)
    for store in world:
        assert store.db.execute("SELECT count(*) FROM field_heads WHERE col = 'phone'"
                                ).fetchone()[0] == 2  # both versions are kept
        assert count_conflicts(store) == 0 and list_conflicts(store) == []


def test_edits_to_different_fields_merge_without_conflict(world, tmp_path):
    region, district = world
    school = add_school(district)
    pupil = add_pupil(district, school, "Серікқызы", "Дана")
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)
    district.repos.pupils.update(pupil.id, grade=9)
    region.repos.pupils.archive(pupil.id, "Облыстан кетті")
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)
    for store in (region, district):
        got = store.repos.pupils.get(pupil.id)
        assert (got.grade, got.status) == (9, PupilStatus.ARCHIVED)
        assert count_conflicts(store) == 0


def test_a_purge_leaves_a_tombstone_and_an_old_stick_cannot_bring_the_child_back(world,
                                                                                  tmp_path):
    region, district = world
    school = add_school(district)
    pupil = add_pupil(district, school, "Өшірілетін", "Бала")
    from daryn_desktop.core import entities as e

    district.repos.guardians.add(e.Guardian(pupil_id=pupil.id, full_name="Анасы"))
    old_stick = export_bundle(district, tmp_path / "old", recipients_for_export(district)[0])
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)
    purge_record(region, "pupils", pupil.id)
    assert region.repos.pupils.find(pupil.id) is None
    _send(region, district, tmp_path)
    for store in (region, district):
        assert store.repos.pupils.find(pupil.id) is None
        assert store.repos.guardians.count() == 0
        names = store.db.execute("SELECT count(*) FROM changes WHERE data LIKE '%Өшірілетін%'")
        assert names.fetchone()[0] == 0
        assert store.db.execute("SELECT count(*) FROM tombstones").fetchone()[0] == 2
    # The old stick (made before the purge) is imported at the region again, as a copy.
    copy = tmp_path / "again.dsb"
    shutil.copy(old_stick.path, copy)
    region.db.execute("DELETE FROM bundle_log WHERE direction = 'in'")
    assert import_bundle(region, copy).status == IMPORTED
    assert region.repos.pupils.find(pupil.id) is None


def test_what_the_region_writes_after_a_purge_still_reaches_a_district(world, tmp_path):
    region, district = world
    pupil = add_pupil(district, add_school(district), "Өшірілетін", "Бала")
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)
    _send(district, region, tmp_path)
    # The district has now acknowledged the region's log up to the pupil's versions, the
    # newest rows there; the purge erases them.
    purge_record(region, "pupils", pupil.id)
    from daryn_desktop.core import entities as e
    from daryn_desktop.core.enums import EventKind, EventLevel

    event = region.repos.events.add(e.Event(
        name="Облыстық пән олимпиадасы", kind=EventKind.SUBJECT_OLYMPIAD,
        level=EventLevel.REGIONAL, academic_year="2026-2027"))
    _send(region, district, tmp_path)
    # Had the event's versions taken the erased positions, the district would never get it.
    assert district.repos.events.get(event.id).name == "Облыстық пән олимпиадасы"


def test_key_backup_round_trip_and_wrong_passphrase(world, tmp_path):
    _region, district = world
    path = write_key_backup(district, tmp_path / "keys.dkb", "a long passphrase", kdf=TEST_KDF)
    keys = read_key_backup(path, "a long passphrase")
    assert {k["kind"] for k in keys} == {"sign", "age"}
    assert b"AGE-SECRET-KEY" not in path.read_bytes()
    with pytest.raises(WrongPassphrase):
        read_key_backup(path, "not the phrase")


def test_restored_keys_open_bundles_for_the_old_pc(world, make_store, tmp_path):
    region, district = world
    add_school(district)
    _send(district, region, tmp_path)
    backup = write_key_backup(district, tmp_path / "keys.dkb", "a long passphrase", kdf=TEST_KDF)
    late = export_bundle(region, tmp_path / "late", recipients_for_export(
        region, district.site_id)[0])
    fresh = make_store("new-pc.db", district=district.installation.district_kato)
    ensure_identity(fresh)
    pair(region, fresh)
    assert import_bundle(fresh, late.path).reason == "not_addressed_to_us"
    assert restore_key_backup(fresh, backup, "a long passphrase") == 2
    assert import_bundle(fresh, late.path).status == IMPORTED


@pytest.mark.skipif(shutil.which("age") is None,
                    reason="the `age` command-line tool is not installed (apt-get install age)")
def test_the_payload_opens_with_the_standard_age_tool(make_store, tmp_path):
    from daryn_desktop.core.enums import Role
    from daryn_desktop.sync import bundle
    from daryn_desktop.sync.identity import current_escrow

    region = make_store("region.db", role=Role.REGION)
    ensure_identity(region)
    secret = current_escrow(region).pending_secret
    district = make_store("district.db")
    ensure_identity(district)
    pair(region, district)
    add_pupil(district, add_school(district), "Әбілқайыров", "Ұлықбек")
    result = export_bundle(district, tmp_path / "stick", recipients_for_export(district)[0])
    data = result.path.read_bytes()
    offset = bundle.split(data).header_end
    (tmp_path / "payload.age").write_bytes(data[offset:])
    (tmp_path / "escrow.txt").write_text(secret + "\n")
    # The offset IT staff compute from the header length, as the README describes.
    n = int.from_bytes(data[8:12], "big")
    assert offset == 76 + n
    subprocess.run(["age", "-d", "-i", str(tmp_path / "escrow.txt"), "-o",
                    str(tmp_path / "payload.zip"), str(tmp_path / "payload.age")], check=True)
    import zipfile

    with zipfile.ZipFile(tmp_path / "payload.zip") as zf:
        assert "Әбілқайыров" in zf.read("changes.jsonl").decode()
        assert "manifest.json" in zf.namelist()


_IMPORT_SCRIPT = """
import sys
from daryn_desktop.storage.database import open_store
from daryn_desktop.sync.importer import import_bundle
store = open_store(sys.argv[1], password=sys.argv[2])
print("open", flush=True)
outcome = import_bundle(store, sys.argv[3])
print(outcome.status, flush=True)
"""


@pytest.mark.slow
def test_an_import_killed_at_any_moment_leaves_the_database_before_or_after(world, tmp_path):
    """Kill the importing process at random moments (SIGKILL, like a power cut).

    Slow (about 5 s): eight subprocesses each start Python and open the database; that is
    the only honest way to cut an import off without letting it clean up.
    """
    region, district = world
    school = add_school(district)
    with district.transaction() as w:
        for n in range(1500):
            w.insert("pupils", {"surname": "Оқушы", "given_name": f"№{n}", "iin": f"{n:012d}",
                                "school_id": school.id, "grade": 5})
    result = export_bundle(district, tmp_path / "stick", recipients_for_export(district)[0])
    region_path = region.path
    before = state_digest(region)
    region.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    region.close()
    pristine = tmp_path / "pristine"
    pristine.mkdir()
    for f in region_path.parent.glob(region_path.name + "*"):
        shutil.copy2(f, pristine / f.name)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    script = tmp_path / "imp.py"
    script.write_text(_IMPORT_SCRIPT)
    rng = random.Random(5)
    after = None
    outcomes = {"before": 0, "after": 0}
    for attempt in range(8):
        for f in pristine.iterdir():
            shutil.copy2(f, region_path.parent / f.name)
        for stale in (region_path.parent / "sync",):
            shutil.rmtree(stale, ignore_errors=True)
        proc = subprocess.Popen([sys.executable, str(script), str(region_path), PASSWORD,
                                 str(result.path)], stdout=subprocess.PIPE, env=env)
        proc.stdout.readline()  # opened: now the import runs
        time.sleep(rng.uniform(0.0, 0.25) if attempt else 0.0)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        store = open_store(region_path, password=PASSWORD)
        digest = state_digest(store)
        store.close()
        if digest == before:
            outcomes["before"] += 1
        else:
            if after is None:
                done = open_store(region_path, password=PASSWORD)
                after = digest
                done.close()
            assert digest == after
            outcomes["after"] += 1
    assert outcomes["before"] >= 1
    # The import completes afterwards, and the result is the same state as any "after".
    store = open_store(region_path, password=PASSWORD)
    import_bundle(store, result.path)
    final = state_digest(store)
    store.close()
    assert after is None or final == after


def _take_copy(store, copy):
    """Copy ``store``'s database file, as a backup would; returns the store opened again."""
    path = store.path
    store.close()
    shutil.copy(path, copy)
    return open_store(path, password=PASSWORD)


def _reopen_from(store, copy):
    """Close ``store``'s database and put an older copy of it in its place."""
    path = store.path
    store.close()
    shutil.copy(copy, path)
    return open_store(path, password=PASSWORD)


def _synced_pupil_and_a_copy(world, tmp_path, copy):
    """A pupil synced both ways, then a copy of the district's database taken."""
    region, district = world
    pupil = add_pupil(district, add_school(district), "Серікқызы", "Дана")
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)
    return region, _take_copy(district, copy), pupil


def test_a_district_database_restored_from_an_old_copy_loses_nothing(world, tmp_path):
    copy = tmp_path / "copy-of-last-month.db"
    region, district, pupil = _synced_pupil_and_a_copy(world, tmp_path, copy)
    district.repos.pupils.update(pupil.id, grade=9)  # reaches the region, then the PC fails
    _send(district, region, tmp_path)
    _send(region, district, tmp_path)
    district = _reopen_from(district, copy)
    assert district.repos.pupils.get(pupil.id).grade == 7
    # Typed after the copy was put back: its version numbers are ones the region already
    # holds for the grade. The region refuses rather than drop it as a duplicate.
    district.repos.pupils.update(pupil.id, phone="+7 701 222 33 44")
    before = state_digest(region)
    made = export_bundle(district, tmp_path / "stick", recipients_for_export(district)[0])
    refused = import_bundle(region, made.path)
    assert (refused.status, refused.reason) == ("refused", "sender_rolled_back")
    assert state_digest(region) == before
    # The region's next bundle tells the district; it renumbers the phone and asks for
    # everything of its own back.
    told = _send(region, district, tmp_path)
    assert district.repos.pupils.get(pupil.id).phone == "+7 701 222 33 44"
    _send(district, region, tmp_path)
    assert region.repos.pupils.get(pupil.id).phone == "+7 701 222 33 44"
    restore = _send(region, district, tmp_path)
    assert restore.since == 0 and told.since != 0
    _send(district, region, tmp_path)
    for store in (region, district):
        got = store.repos.pupils.get(pupil.id)
        assert (got.grade, got.phone) == (9, "+7 701 222 33 44")
        assert count_conflicts(store) == 0
    # Settled: nothing more to send either way, and later edits flow as usual.
    assert recipients_for_export(region, district.site_id)[0].restore_requested is False
    district.repos.pupils.update(pupil.id, grade=10)
    _send(district, region, tmp_path)
    assert region.repos.pupils.get(pupil.id).grade == 10
    district.close()


def test_a_copy_put_back_and_synced_before_any_edit_just_carries_on(world, tmp_path):
    region, district = world
    pupil = add_pupil(district, add_school(district), "Серікқызы", "Дана")
    _send(district, region, tmp_path)
    copy = tmp_path / "copy.db"
    district = _take_copy(district, copy)
    district.repos.pupils.update(pupil.id, grade=8)
    _send(district, region, tmp_path)
    district = _reopen_from(district, copy)
    _send(region, district, tmp_path)
    district.repos.pupils.update(pupil.id, class_letter="Ә")
    _send(district, region, tmp_path)
    assert region.repos.pupils.get(pupil.id).class_letter == "Ә"
    _send(region, district, tmp_path)  # the full restore brings the grade back
    assert district.repos.pupils.get(pupil.id).grade == 8
    district.close()


def test_a_copy_put_back_does_not_reuse_log_positions_the_region_acknowledged(world,
                                                                             tmp_path):
    # After the copy the district only received the region's corrections (its log moved on
    # and the region acknowledged that); nothing it wrote itself is newer than the copy.
    copy = tmp_path / "copy.db"
    region, district, pupil = _synced_pupil_and_a_copy(world, tmp_path, copy)
    for n in range(10):
        region.repos.pupils.update(pupil.id, notes=f"түзету {n}")
    _send(region, district, tmp_path)
    _send(district, region, tmp_path)
    district = _reopen_from(district, copy)
    _send(region, district, tmp_path)  # acknowledges positions this copy never sent
    district.repos.pupils.update(pupil.id, phone="+7 701 222 33 44")
    from daryn_desktop.storage.health import unacknowledged_changes

    assert unacknowledged_changes(district) == 1
    _send(district, region, tmp_path)
    assert region.repos.pupils.get(pupil.id).phone == "+7 701 222 33 44"
    district.close()
