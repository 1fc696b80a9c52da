"""The encrypted store: creation, opening, passwords, recovery code, the write path."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from daryn_desktop.core.enums import PupilStatus
from daryn_desktop.storage.database import (
    DatabaseExists,
    DatabaseMissing,
    NotADatabase,
    change_password,
    open_store,
)
from daryn_desktop.storage.keyring import (
    TEST_KDF,
    KeyringMissing,
    WeakPassword,
    WrongPassword,
    WrongRecoveryCode,
    keyring_path,
    normalize_recovery_code,
)
from tests.conftest import PASSWORD
from tests.helpers import add_pupil, add_school


def _reopen(store, **kwargs):
    path = store.path
    store.close()
    return open_store(path, **kwargs)


def test_a_copy_of_the_file_reveals_nothing_to_plain_sqlite(store, tmp_path):
    school = add_school(store, "Қызылжар мектебі")
    add_pupil(store, school, "Әбілқайыр", "Ұлықбек")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "copy.db"
    shutil.copy(store.path, copy)
    raw = copy.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    for secret in ("Әбілқайыр", "Қызылжар", "120315"):
        assert secret.encode() not in raw
    conn = sqlite3.connect(copy)
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT * FROM sqlite_master").fetchall()
    conn.close()


def test_wrong_password_is_refused_and_changes_nothing(store):
    path = store.path
    store.close()
    ring_before = keyring_path(path).read_bytes()
    db_before = path.read_bytes()
    with pytest.raises(WrongPassword) as err:
        open_store(path, password="not the password")
    assert "password is wrong" in err.value.translated()
    assert keyring_path(path).read_bytes() == ring_before
    assert path.read_bytes() == db_before
    open_store(path, password=PASSWORD).close()


def test_recovery_code_opens_and_tolerates_spacing_and_case(store):
    code = store.recovery_code
    typed = code.lower().replace("-", " ")
    reopened = _reopen(store, recovery_code=typed)
    assert reopened.installation.name == "Тест"
    reopened.close()
    with pytest.raises(WrongRecoveryCode):
        open_store(reopened.path, recovery_code="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")


def test_recovery_code_normalisation_accepts_confusable_letters():
    assert normalize_recovery_code("o1l i-abcd") == "0111-ABCD"


def test_changing_the_password_rewraps_the_key_without_reencrypting(store):
    path = store.path
    store.close()
    db_before = path.read_bytes()
    change_password(path, "a brand new secret", old_password=PASSWORD, kdf=TEST_KDF)
    assert path.read_bytes() == db_before
    with pytest.raises(WrongPassword):
        open_store(path, password=PASSWORD)
    open_store(path, password="a brand new secret").close()


def test_forgotten_password_is_replaced_with_the_recovery_code(store):
    path, code = store.path, store.recovery_code
    store.close()
    change_password(path, "set by recovery", recovery_code=code, kdf=TEST_KDF)
    open_store(path, password="set by recovery").close()


def test_wrong_old_password_does_not_change_the_key_file(store):
    path = store.path
    store.close()
    before = keyring_path(path).read_bytes()
    with pytest.raises(WrongPassword):
        change_password(path, "whatever12345", old_password="guess", kdf=TEST_KDF)
    assert keyring_path(path).read_bytes() == before


def test_short_password_is_refused_before_anything_is_written(make_store, tmp_path):
    with pytest.raises(WeakPassword):
        make_store("weak.db", password="short")
    assert list(tmp_path.iterdir()) == []


def test_existing_database_is_never_overwritten(make_store):
    make_store("same.db")
    with pytest.raises(DatabaseExists):
        make_store("same.db")


def test_missing_database_and_missing_key_file_have_clear_messages(store, tmp_path):
    with pytest.raises(DatabaseMissing):
        open_store(tmp_path / "nope.db", password=PASSWORD)
    store.close()
    keyring_path(store.path).rename(tmp_path / "elsewhere.keys")
    with pytest.raises(KeyringMissing) as err:
        open_store(store.path, password=PASSWORD)
    assert ".keys" in err.value.translated()


def test_key_file_of_another_database_is_detected(make_store):
    one, two = make_store("one.db"), make_store("two.db")
    one.close()
    two.close()
    shutil.copy(keyring_path(two.path), keyring_path(one.path))
    with pytest.raises(NotADatabase):
        open_store(one.path, password=PASSWORD)


def test_every_write_is_logged_with_site_and_sequence(store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Сейітова", "Айгерім")
    store.repos.pupils.update(pupil.id, grade=8, class_letter="Ә")
    store.repos.pupils.update(pupil.id, grade=8)  # no change: nothing logged
    rows = store.db.execute(
        "SELECT origin_site, origin_seq, tbl, op, data FROM changes ORDER BY seq").fetchall()
    assert [(r[2], r[3]) for r in rows] == [("schools", "insert"), ("pupils", "insert"),
                                            ("pupils", "update")]
    assert {r[0] for r in rows} == {store.site_id}
    assert [r[1] for r in rows] == [1, 2, 3]
    assert '"class_letter":"Ә"' in rows[2][4]
    hlcs = [r[0] for r in store.db.execute("SELECT hlc FROM changes ORDER BY seq")]
    assert hlcs == sorted(hlcs) and len(set(hlcs)) == 3


def test_sequence_and_clock_survive_reopening(store):
    school = add_school(store)
    last_hlc = store.clock.last
    reopened = _reopen(store, password=PASSWORD)
    add_pupil(reopened, school, "Ким", "Анна")
    seqs = [r[0] for r in reopened.db.execute("SELECT origin_seq FROM changes ORDER BY seq")]
    assert seqs == [1, 2]
    assert reopened.clock.last > last_hlc
    reopened.close()


def test_direct_writes_to_synced_tables_are_refused(store):
    school = add_school(store)
    add_pupil(store, school, "Иванов", "Сергей")
    for sql in ("UPDATE pupils SET grade = 1", "DELETE FROM pupils",
                "INSERT INTO schools (id, name, settlement_kato, district_kato, language)"
                " VALUES ('x', 'y', 'z', 'w', 'kk')"):
        with pytest.raises(Exception, match="not authorized"):
            store.db.execute(sql)
    assert store.db.execute("SELECT grade FROM pupils").fetchone()[0] == 7


def test_a_failed_transaction_leaves_no_trace(store):
    school = add_school(store)
    changes_before = store.db.execute("SELECT count(*) FROM changes").fetchone()[0]
    with pytest.raises(RuntimeError), store.transaction() as w:
        w.insert("pupils", {"surname": "Жоқ", "given_name": "Бала", "iin": "120315601232",
                            "school_id": school.id, "grade": 3})
        raise RuntimeError("power cut")
    assert store.repos.pupils.count() == 0
    assert store.db.execute("SELECT count(*) FROM changes").fetchone()[0] == changes_before
    add_pupil(store, school, "Бар", "Бала")
    seqs = [r[0] for r in store.db.execute("SELECT origin_seq FROM changes ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))


def test_archive_keeps_the_record_with_its_reason(store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Нұрланұлы", "Дәулет")
    store.repos.pupils.archive(pupil.id, "Басқа облысқа көшті")
    archived = store.repos.pupils.get(pupil.id)
    assert archived.status is PupilStatus.ARCHIVED
    assert archived.archive_reason == "Басқа облысқа көшті"
    store.repos.pupils.restore(pupil.id)
    assert store.repos.pupils.get(pupil.id).status is PupilStatus.ACTIVE


def test_the_same_iin_cannot_be_registered_twice(store):
    from daryn_desktop.storage.repositories import DuplicateIin

    school = add_school(store)
    first = add_pupil(store, school, "Әлиев", "Арман", serial=7)
    with pytest.raises(DuplicateIin) as err:
        add_pupil(store, school, "Басқа", "Бала", serial=7)
    assert first.full_name in err.value.translated()


def test_attachments_are_stored_once_by_content(store):
    school = add_school(store)
    pupil = add_pupil(store, school, "Ерғалиева", "Мөлдір")
    data = b"%PDF-1.4 scanned diploma"
    a = store.repos.attachments.add_file(pupil.id, "диплом.pdf", "application/pdf", data)
    b = store.repos.attachments.add_file(pupil.id, "көшірме.pdf", "application/pdf", data)
    assert a.sha256 == b.sha256
    assert store.db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
    assert store.repos.attachments.content(a.sha256) == data
    assert len(store.repos.attachments.for_parent(pupil.id)) == 2


def test_integrity_check_is_clean_after_writes(store):
    school = add_school(store)
    add_pupil(store, school, "Тәжібаев", "Ерқанат")
    assert store.integrity_problems() == []


def test_a_second_connection_for_another_thread_reads_the_same_data(store):
    school = add_school(store, "Қызылжар мектебі")
    with store.reopen() as other:
        assert other.db.conn is not store.db.conn
        assert other.repos.schools.get(school.id).name == "Қызылжар мектебі"
        # What the window writes meanwhile is seen at once (same file, same key).
        add_pupil(store, school, "Әбілқайыр", "Ұлықбек")
        assert other.db.execute("SELECT count(*) FROM pupils").fetchone()[0] == 1
    assert store.repos.schools.get(school.id) is not None  # the window's connection stays open


def test_a_cancelled_long_query_stops_soon_and_the_connection_stays_usable(store):
    from daryn_desktop.core.progress import Cancelled, CancelToken

    cancel = CancelToken()
    calls = []

    def stop_after_a_while():
        calls.append(1)
        if len(calls) == 3:
            cancel.cancel()
        return 0

    # About a second of work if nothing stopped it; the cancel comes after a few steps.
    long = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 + tick() FROM n"
            " WHERE i < 2000000) SELECT max(i) FROM n")
    with store.reopen() as other:
        other.db.conn.create_function("tick", 0, stop_after_a_while)
        with pytest.raises(Cancelled), other.stopped_by(cancel):
            other.db.execute(long).fetchone()
        assert len(calls) < 100_000  # stopped at the next look, not after 2,000,000 rows
        assert other.db.execute("SELECT count(*) FROM schools").fetchone() == (0,)


def test_school_choices_are_the_schools_in_use_in_name_order(store):
    from daryn_desktop.core import entities as e

    second = add_school(store, "Ұлытау мектебі")
    first = add_school(store, "Әл-Фараби мектебі")
    closed = add_school(store, "Ескі мектеп")
    store.repos.schools.update(closed.id, archived=True)
    other = store.repos.schools.add(e.School(name="Қарабұтақ мектебі",
                                             settlement_kato="154030100",
                                             district_kato="154000000"))
    everywhere = store.repos.schools.choices()
    assert (closed.name, closed.id) not in everywhere
    assert everywhere == [(s.name, s.id) for s in store.repos.schools.where(
        "archived = 0", (), "sort_key")]
    assert (other.name, other.id) in everywhere
    alga = store.repos.schools.choices(second.district_kato)
    assert alga == [(s.name, s.id) for s in store.repos.schools.in_district(second.district_kato)]
    assert {first.id, second.id} <= {i for _n, i in alga} and other.id not in {i for _n, i in alga}
