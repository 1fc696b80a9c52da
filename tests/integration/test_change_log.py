"""The change log as stored: compact rows, values the record holds left out and given back,
and the migration of a database written with the old log."""

from __future__ import annotations

import json

from daryn_desktop.core.enums import Role
from daryn_desktop.storage import migrations
from daryn_desktop.storage.apply import RemoteChange
from daryn_desktop.storage.changelog import log_json
from daryn_desktop.storage.connection import connect
from daryn_desktop.storage.database import open_store
from daryn_desktop.storage.keyring import TEST_KDF, Keyring, save_keyring
from daryn_desktop.storage.registry import pupil_history
from tests.conftest import PASSWORD
from tests.helpers import add_pupil, add_school, make_iin


def _view(store, row_id):
    return store.db.execute("SELECT origin_seq, op, data, supersedes FROM changes"
                            " WHERE row_id = ? ORDER BY seq", [row_id]).fetchall()


def _stored(store, origin_seq):
    return store.db.execute("SELECT data FROM change_log WHERE origin_seq = ? AND site ="
                            " (SELECT num FROM sites WHERE site_id = ?)",
                            [origin_seq, store.site_id]).fetchone()[0]


def test_an_insert_leaves_its_values_to_the_row_and_reads_them_back(store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Әбілқайыров", "Ұлықбек", grade=7)
    (seq, op, data, _sup), = _view(store, pupil.id)
    assert op == "insert" and _stored(store, seq) is None
    fields = json.loads(data)
    assert fields["surname"] == "Әбілқайыров" and fields["grade"] == 7
    assert data == log_json(fields)  # the canonical text, as sync sends it


def test_a_changed_field_is_written_back_into_the_versions_that_left_it_out(store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Сейітова", "Айгерім", grade=7)
    before = _view(store, pupil.id)[0][2]
    store.repos.pupils.update(pupil.id, grade=8, class_letter="Ә")
    store.repos.pupils.update(pupil.id, grade=9)
    insert, first, second = _view(store, pupil.id)
    assert insert[2] == before  # the insert still says grade 7
    assert json.loads(_stored(store, insert[0])) == {"class_letter": None, "grade": 7}
    assert json.loads(first[2]) == {"class_letter": "Ә", "grade": 8}
    assert json.loads(_stored(store, first[0])) == {"grade": 8}
    assert json.loads(second[2]) == {"grade": 9} and _stored(store, second[0]) is None
    history = pupil_history(store, pupil.id)
    assert [h.fields.get("grade") for h in history] == [9, 8, 7]
    assert history[-1].fields["surname"] == "Сейітова"


def test_a_value_the_row_would_store_differently_stays_in_the_log(store):
    school = add_school(store)
    with store.transaction() as w:
        # Text in an INTEGER column is stored as a number: the log keeps what was written.
        pupil_id = w.insert("pupils", {"surname": "Ким", "given_name": "Анна",
                                       "iin": make_iin(), "school_id": school.id,
                                       "grade": "7"})
    (seq, _op, data, _sup), = _view(store, pupil_id)
    assert json.loads(data)["grade"] == "7"
    assert _stored(store, seq) == data


def test_a_remote_edit_keeps_the_old_value_in_the_local_insert(store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ким", "Анна", grade=5)
    insert_seq = _view(store, pupil.id)[0][0]
    other = "f" * 32
    with store.transaction() as w:
        w.apply_remote([RemoteChange(other, 1, store.clock.now() + 1, "pupils", pupil.id,
                                     "update", {"grade": 6}, None, "2025-01-01T00:00:00+00:00",
                                     0, {"grade": [(store.site_id, insert_seq)]})],
                       received_from=other)
    assert store.repos.pupils.get(pupil.id).grade == 6
    insert, remote = _view(store, pupil.id)
    assert json.loads(insert[2])["grade"] == 5
    assert json.loads(remote[2]) == {"grade": 6}
    assert json.loads(remote[3]) == {"grade": [[store.site_id, insert_seq]]}


def test_ids_sites_and_times_are_stored_compactly(store):
    school = add_school(store)
    with store.transaction() as w:
        w.insert("schools", {"id": "school-7", "name": "№7 мектеп", "settlement_kato": "153239100",
                             "district_kato": "153200000", "language": "kk"})
    rows = store.db.execute("SELECT typeof(row_id), length(row_id), site, typeof(at)"
                            " FROM change_log ORDER BY seq").fetchall()
    assert rows == [("blob", 16, 1, "integer"), ("text", 8, 1, "integer")]
    assert [r[0] for r in store.db.execute("SELECT row_id FROM changes ORDER BY seq")] \
        == [school.id, "school-7"]
    at = store.db.execute("SELECT at FROM changes").fetchone()[0]
    assert at.endswith("+00:00") and len(at) == 25


# -- the migration --------------------------------------------------------------------------------
SITE, OTHER = "a" * 32, "b" * 32
SCHOOL, PUPIL = "0" * 31 + "1", "0" * 31 + "2"
AT = "2025-09-01T08:00:00+00:00"


def _old_database(path):
    """A database as the previous version left it: the old ``changes`` table."""
    ring, key, _code = Keyring.create(PASSWORD, TEST_KDF)
    db = connect(path, key)
    migrations.MIGRATIONS.apply(db, stop_before="0011_compact_log")
    school = {"name": "Абай мектебі", "settlement_kato": "153239100",
              "district_kato": "153200000", "language": "kk"}
    pupil = {"surname": "Нұрланұлы", "given_name": "Дәулет", "iin": make_iin(),
             "school_id": SCHOOL, "grade": 8, "status": "active"}
    rows = [
        (1, SITE, 1, 100, "schools", SCHOOL, "insert", log_json(school), None, AT, 0, None, None),
        (2, SITE, 2, 200, "pupils", PUPIL, "insert", log_json({**pupil, "grade": 7}), "Айгүл",
         AT, 0, None, None),
        (3, OTHER, 5, 300, "pupils", PUPIL, "update", log_json({"grade": 8}), None,
         "2025-09-02T10:00:00Z", 1, log_json({"grade": [[SITE, 2]]}), OTHER),
        (4, OTHER, 6, 400, "events", "event-1", "insert", log_json({"name": "Олимпиада"}),
         None, AT, 1, None, OTHER),
    ]
    with db.atomic():
        db.execute("INSERT INTO installation (id, role, region_kato, district_kato, name,"
                   " site_id, created_at) VALUES ('i', ?, '150000000', '153200000', 'Алға', ?,"
                   " ?)", [Role.DISTRICT.value, SITE, AT])
        db.execute("INSERT INTO schools (id, name, settlement_kato, district_kato, language)"
                   " VALUES (?, :name, :settlement_kato, :district_kato, :language)".replace(
                       "?", f"'{SCHOOL}'"), school)
        db["pupils"].insert({"id": PUPIL, **pupil})
        db.execute("INSERT INTO local_state (key, value) VALUES ('origin_seq', '3')")
        db.conn.executemany("INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            rows)
        db.execute("INSERT INTO version_links VALUES (?, 2, 'grade', ?, 5)", [SITE, OTHER])
        db.execute("INSERT INTO field_heads VALUES ('pupils', ?, 'grade', ?, 5, 300, 1, 8)",
                   [PUPIL, OTHER])
    db.conn.close()
    save_keyring(path, ring)
    return [r[:12] for r in rows]


def test_an_old_log_is_converted_and_reads_the_same(tmp_path):
    path = tmp_path / "old.db"
    old_rows = _old_database(path)
    store = open_store(path, password=PASSWORD)
    assert migrations.pending_names(store.db) == []
    rows = store.db.execute(
        "SELECT seq, origin_site, origin_seq, hlc, tbl, row_id, op, data, author, at, prio,"
        " supersedes FROM changes ORDER BY seq").fetchall()
    assert rows == old_rows
    stored = store.db.execute("SELECT data, received_from FROM change_log ORDER BY seq").fetchall()
    # The school and the update hold what the rows hold; the insert keeps its grade 7 only;
    # the event is not a row here (nothing to give it back).
    assert [json.loads(d) if d else d for d, _r in stored] == [
        None, {"grade": 7}, None, {"name": "Олимпиада"}]
    assert [r for _d, r in stored] == [None, None, 2, 2]
    assert store.db.execute("SELECT site_id FROM sites ORDER BY num").fetchall() == [
        (SITE,), (OTHER,)]
    assert store.db.execute("SELECT * FROM version_links").fetchall() == [
        (SITE, 2, "grade", OTHER, 5)]
    assert store.db.execute("SELECT * FROM log_links").fetchall() == [(1, 2, "grade", 2, 5)]
    assert store.db.execute("SELECT * FROM field_heads").fetchall() == [
        ("pupils", PUPIL, "grade", OTHER, 5, 300, 1, 8)]
    assert store.db.execute("SELECT typeof(row_id), site FROM log_heads").fetchall() == [
        ("blob", 2)]
    # A database upgraded keeps working: an edit logs and reads back as before, and
    # supersedes the head it had.
    store.repos.pupils.update(PUPIL, grade=9)
    assert store.db.execute("SELECT origin_site, value FROM field_heads").fetchall() == [
        (SITE, 9)]
    assert [json.loads(r[0])["grade"] for r in store.db.execute(
        "SELECT data FROM changes WHERE tbl = 'pupils' ORDER BY seq")] == [7, 8, 9]
    store.close()
    assert list((tmp_path / "backups").glob("*before-0011_compact_log*"))
