"""Departures in the corners: a restore, a copy put back, a school moved, moves in a row."""
from __future__ import annotations

from daryn_desktop.core import entities as e
from daryn_desktop.sync.export import export_bundle, recipients_for_export
from daryn_desktop.sync.importer import IMPORTED, import_bundle
from daryn_desktop.sync.peers import request_restore
from tests.helpers import add_pupil, add_school
from tests.integration.sync.conftest import carry as send
from tests.integration.sync.conftest import make_world

MUGALZHAR, KANDYAGASH = "154800000", "154820100"


def setup(make_store, tmp_path):
    region, (alga, mug) = make_world(make_store, 2)
    pupil = add_pupil(alga, add_school(alga), "Қайратұлы", "Әлішер", serial=7)
    school_b = mug.repos.schools.add(e.School(name="Қандыағаш №1", settlement_kato=KANDYAGASH,
                                              district_kato=MUGALZHAR))
    for d in (alga, mug):
        send(d, region, tmp_path)
        send(region, d, tmp_path)
        send(d, region, tmp_path)
    return region, alga, mug, pupil, school_b


def test_full_restore_while_a_departure_is_pending(make_store, tmp_path):
    region, alga, _mug, pupil, school_b = setup(make_store, tmp_path)
    region.repos.pupils.update(pupil.id, school_id=school_b.id)   # moved to Mugalzhar
    request_restore(region, alga.site_id)                         # e.g. asked for a restore
    made, _ = send(region, alga, tmp_path)                        # full bundle (since = 0)
    assert made.since == 0
    send(alga, region, tmp_path)                                  # acks the full bundle
    send(region, alga, tmp_path)                                  # ordinary bundle
    send(alga, region, tmp_path)
    send(region, alga, tmp_path)
    # Alga must have been told: the pupil is in Mugalzhar now.
    assert alga.repos.pupils.find(pupil.id) is None


def test_district_copy_put_back_from_before_a_departure_keeps_the_pupil(make_store, tmp_path):
    import shutil

    from daryn_desktop.storage.database import open_store
    from tests.conftest import PASSWORD

    region, alga, _mug, pupil, school_b = setup(make_store, tmp_path)
    path = alga.path
    alga.close()
    shutil.copy(path, tmp_path / "alga.copy")
    alga = open_store(path, password=PASSWORD)
    region.repos.pupils.update(pupil.id, school_id=school_b.id)
    send(region, alga, tmp_path)
    assert alga.repos.pupils.find(pupil.id) is None            # removed, as designed
    alga.repos.schools.add(e.School(name="Жаңа мектеп", settlement_kato="153239100",
                                    district_kato="153200000"))  # a post-copy edit
    send(alga, region, tmp_path)
    # The PC fails; last month's copy is put back.
    alga.close()
    shutil.copy(tmp_path / "alga.copy", path)
    alga = open_store(path, password=PASSWORD)
    for _ in range(3):
        send(region, alga, tmp_path)
        send(alga, region, tmp_path)
    assert alga.repos.pupils.find(pupil.id) is None
    alga.close()


def test_a_school_the_region_moves_to_another_district(make_store, tmp_path):
    """The region corrects a school's district (a KATO reorganisation, a typo): its pupils
    leave Alga's territory with it."""
    region, alga, mug, pupil, _school_b = setup(make_store, tmp_path)
    school_a = alga.repos.pupils.get(pupil.id).school_id
    with region.transaction() as w:
        w.update("schools", school_a, {"district_kato": MUGALZHAR})
    for _ in range(2):
        send(region, alga, tmp_path)
        send(alga, region, tmp_path)
        send(region, mug, tmp_path)
        send(mug, region, tmp_path)
    assert mug.repos.pupils.find(pupil.id) is not None       # Mugalzhar has it now
    assert alga.repos.pupils.find(pupil.id) is None


def test_a_requested_restore_is_not_settled_by_the_district_s_next_bundle(make_store, tmp_path):
    region, alga, _mug, _pupil, _school_b = setup(make_store, tmp_path)
    request_restore(region, alga.site_id)
    send(alga, region, tmp_path)        # an ordinary bundle from Alga arrives first
    peer = recipients_for_export(region, alga.site_id)[0]
    # Not settled by the acknowledgement of a restore made long before the request.
    assert peer.restore_requested


def test_away_back_and_away_again_before_alga_imports_anything(make_store, tmp_path):
    """One bundle carries the pupil's record with both moves: the pupil stays away, and an
    old stick's edit of a guardian is not stored (another district's pupil's data)."""
    region, alga, _mug, pupil, school_b = setup(make_store, tmp_path)
    school_a = alga.repos.pupils.get(pupil.id).school_id
    guardian = alga.repos.guardians.add(e.Guardian(pupil_id=pupil.id, full_name="Анасы"))
    send(alga, region, tmp_path)
    send(region, alga, tmp_path)
    send(alga, region, tmp_path)
    region.repos.guardians.update(guardian.id, phone="+7 777 000")
    old = export_bundle(region, tmp_path / "old", recipients_for_export(region, alga.site_id)[0])
    send(alga, region, tmp_path)
    region.repos.pupils.update(pupil.id, school_id=school_b.id)
    send(region, alga, tmp_path)            # removed, guardian marked (not yet acknowledged)
    assert alga.repos.pupils.find(pupil.id) is None
    assert alga.db.execute("SELECT count(*) FROM moved_rows").fetchone()[0] == 2
    region.repos.pupils.update(pupil.id, school_id=school_a)      # back ...
    region.repos.pupils.update(pupil.id, school_id=school_b.id)   # ... and away again
    send(region, alga, tmp_path)            # Alga imports only now
    assert alga.repos.pupils.find(pupil.id) is None
    outcome = import_bundle(alga, old.path)   # the old stick
    held = alga.db.execute("SELECT tbl, data FROM changes WHERE row_id = ?",
                           [guardian.id]).fetchall()
    marks = alga.db.execute("SELECT * FROM moved_rows").fetchall()
    assert outcome.status == IMPORTED
    assert held == [] and marks
