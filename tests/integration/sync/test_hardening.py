"""Hostile and broken files, true refusal reasons, the escrow key after a rotation, and a
shared folder that settles in one round."""

from __future__ import annotations

import io
import json
import os
import tracemalloc
import zipfile

import pytest

from daryn_desktop.cli.main import main
from daryn_desktop.i18n import set_language
from daryn_desktop.sync import bundle, crypto, payload
from daryn_desktop.sync.card import card_bytes, parse_card, write_card
from daryn_desktop.sync.errors import NotAKeyCard
from daryn_desktop.sync.export import export_bundle, recipients_for_export
from daryn_desktop.sync.folders import QUARANTINE_COPY_MAX, quarantine_dir, quarantined
from daryn_desktop.sync.identity import age_secrets, new_escrow_key, signing_key
from daryn_desktop.sync.importer import IMPORTED, REFUSED, import_bundle, import_files
from daryn_desktop.sync.transport import set_folders, sync_now
from tests.conftest import PASSWORD
from tests.helpers import add_pupil, add_school
from tests.integration.sync.conftest import make_world, state_digest

GIB = 1024**3


def _export(store, tmp_path, to=None):
    return export_bundle(store, tmp_path / "stick", recipients_for_export(store, to)[0])


def _resigned(path, header, ciphertext, signer):
    body = crypto.canonical(header)
    signed = bundle.MAGIC + len(body).to_bytes(4, "big") + body
    path.write_bytes(signed + crypto.sign(signing_key(signer).secret, signed) + ciphertext)
    return path


def _refused(store, path, code):
    before = state_digest(store)
    outcome = import_bundle(store, path)
    assert outcome.status == REFUSED and outcome.reason == code, outcome.describe()
    assert state_digest(store) == before
    return outcome


# -- 1: ids from a bundle, a card or a file never name a file elsewhere ----------------------
def test_a_signed_bundle_id_that_climbs_out_of_the_archive_is_refused(world, tmp_path,
                                                                      monkeypatch):
    region, district = world
    add_school(district)
    # A paired installation (a hostile or broken one) signs a bundle whose id is a path;
    # its manifest says the same, so every other check passes.
    monkeypatch.setattr("daryn_desktop.sync.export.new_id", lambda: "../escaped")
    made = export_bundle(district, tmp_path / "out" / "stick", recipients_for_export(district)[0])
    assert made.bundle_id == "../escaped"
    _refused(region, made.path, "bad_header")
    sync = region.path.parent / "sync"
    assert not (sync / "escaped.dsb").exists()
    assert not (sync / "archive").exists() or not any((sync / "archive").iterdir())


def test_an_attachment_entry_named_like_a_path_is_refused(world, tmp_path):
    region, district = world
    add_school(district)
    sealed = bundle.split(_export(district, tmp_path).path.read_bytes())
    plain = crypto.decrypt(sealed.ciphertext, age_secrets(region))
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(buffer, "w") as zf:
        for info in source.infolist():
            zf.writestr(info.filename, source.read(info))
        zf.writestr("blobs/../../escaped", b"x")
    with pytest.raises(payload.PayloadError, match="attachment name"):
        payload.decode(buffer.getvalue())


def test_a_key_card_whose_site_id_is_a_path_is_refused(make_store):
    store = make_store()
    from daryn_desktop.sync.identity import ensure_identity

    ensure_identity(store)
    raw = json.loads(card_bytes(store))
    raw.pop("signature")
    raw["site_id"] = "../../escaped"
    signature = crypto.sign(signing_key(store).secret, crypto.canonical(raw))
    forged = json.dumps({**raw, "signature": crypto.b64(signature)}).encode()
    with pytest.raises(NotAKeyCard):
        parse_card(forged)


def test_a_file_name_quarantine_cannot_keep_is_shortened_and_the_next_files_still_import(
        world, tmp_path):
    region, district = world
    add_school(district)
    good = _export(district, tmp_path)
    odd = tmp_path / ("ж" * 100 + "\\..\\x:" + "a" * 30 + ".dsb")  # 244 bytes in UTF-8
    assert len(odd.name.encode()) >= 240
    odd.write_bytes(b"not a bundle at all" * 100)
    first, second = import_files(region, [odd, good.path])
    assert first.status == REFUSED and first.reason == "not_a_bundle"
    assert first.quarantine_path.exists()
    assert first.quarantine_path.read_bytes() == odd.read_bytes()
    assert first.quarantine_path.parent == quarantine_dir(region)
    assert "\\" not in first.quarantine_path.name and ":" not in first.quarantine_path.name
    assert second.status == IMPORTED
    (note,) = quarantined(region)
    assert note["file"] == odd.name


# -- 4: memory stays flat on hostile files -------------------------------------------------
def _measured_import(store, path):
    """Import ``path``; returns the outcome and the peak of Python's allocations (MiB)."""
    tracemalloc.start()
    try:
        outcome = import_bundle(store, path)
        return outcome, tracemalloc.get_traced_memory()[1] / 1024**2
    finally:
        tracemalloc.stop()


def test_a_gigabyte_of_junk_is_refused_without_being_read(world, tmp_path):
    region, _district = world
    junk = tmp_path / "junk.dsb"
    with open(junk, "wb") as fh:
        fh.truncate(GIB)  # sparse: a gigabyte of zeros that takes no room
    outcome, peak = _measured_import(region, junk)
    assert peak < 16
    assert outcome.status == REFUSED and outcome.reason == "not_a_bundle"
    # Too large to copy: noted in the quarantine, the file left where it was.
    (note,) = quarantined(region)
    assert note["copied"] is False and note["size"] == GIB and junk.exists()
    assert sum(p.stat().st_size for p in quarantine_dir(region).iterdir()) < 10_000


def test_a_valid_bundle_with_a_gigabyte_appended_is_refused_at_once(world, tmp_path):
    region, district = world
    add_school(district)
    made = _export(district, tmp_path)
    longer = tmp_path / "longer.dsb"
    longer.write_bytes(made.path.read_bytes())
    with open(longer, "r+b") as fh:
        fh.truncate(longer.stat().st_size + GIB)
    outcome, peak = _measured_import(region, longer)
    assert peak < 16
    assert outcome.status == REFUSED and outcome.reason == "tampered_payload"
    assert QUARANTINE_COPY_MAX < GIB and not quarantined(region)[0]["copied"]


def test_a_bundle_of_attachments_is_imported_without_holding_it_whole(world, tmp_path):
    region, district = world
    school = add_school(district)
    pupil = add_pupil(district, school, "Әбілқайыров", "Ұлықбек")
    blob = 6 * 1024**2
    for n in range(4):
        district.repos.attachments.add_file(pupil.id, f"scan-{n}.pdf", "application/pdf",
                                            os.urandom(blob - n))
    made = _export(district, tmp_path)
    assert made.size > 4 * blob - 10
    outcome, peak = _measured_import(region, made.path)
    # One attachment (and its joined copy) at a time, not the 24 MB bundle, twice over.
    assert peak < 2 * blob / 1024**2 + 8
    assert outcome.status == IMPORTED
    assert region.db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 4
    assert region.repos.attachments.content(
        district.db.execute("SELECT sha256 FROM blobs LIMIT 1").fetchone()[0]) is not None


# -- 10: refusal reasons that are true -----------------------------------------------------
@pytest.mark.parametrize("magic", [b"DARXNSB1", b"DARYNSB\x01", b"EARYNSB1"])
def test_a_damaged_magic_is_damage_not_a_newer_version(world, tmp_path, magic):
    region, district = world
    add_school(district)
    made = _export(district, tmp_path)
    damaged = tmp_path / "damaged.dsb"
    damaged.write_bytes(magic + made.path.read_bytes()[8:])
    outcome = _refused(region, damaged, "damaged")
    assert "newer" not in outcome.message


def test_header_fields_are_judged_only_after_the_signature(make_store, tmp_path):
    region, (alga,) = make_world(make_store, 1)
    add_school(alga)
    made = _export(alga, tmp_path)
    data = made.path.read_bytes()
    for before, after in ((b'"region":"150000000"', b'"region":"270000000"'),
                          (b'"from":"' + alga.site_id.encode(), b'"from":"' + b"0" * 32)):
        changed = tmp_path / "changed.dsb"
        changed.write_bytes(data.replace(before, after, 1))
        _refused(region, changed, "bad_signature")


def test_the_quarantine_note_keeps_the_reason_as_it_was_shown(make_store, tmp_path):
    region, (alga,) = make_world(make_store, 1)
    add_school(alga)
    sealed = bundle.split(_export(alga, tmp_path).path.read_bytes())
    west = _resigned(tmp_path / "west.dsb", dict(sealed.header, region="270000000"),
                     sealed.ciphertext, alga)
    set_language("ru")
    outcome = _refused(region, west, "another_region")
    (note,) = quarantined(region)
    assert note["message"] == outcome.message
    assert "270000000" in note["message"] and "{region}" not in note["message"]
    assert "другой области" in note["message"]  # translated, as it was shown


# -- 7: a new escrow key reaches the districts ---------------------------------------------
def test_districts_encrypt_to_the_regions_new_escrow_key(world, tmp_path):
    region, district = world
    add_school(district)
    fresh = new_escrow_key(region)
    assert import_bundle(district, _export(region, tmp_path, to=district.site_id).path
                         ).status == IMPORTED
    add_school(district, "Жаңа мектеп")
    sealed = bundle.split(_export(district, tmp_path).path.read_bytes())
    plain = crypto.decrypt(sealed.ciphertext, [fresh.pending_secret])  # the new sheet opens it
    assert payload.decode(plain).manifest["from"] == district.site_id


def test_an_older_region_bundle_does_not_bring_the_old_escrow_key_back(world, tmp_path):
    region, district = world
    old = _export(region, tmp_path, to=district.site_id)
    fresh = new_escrow_key(region)
    newer = _export(region, tmp_path, to=district.site_id)
    assert import_bundle(district, newer.path).status == IMPORTED
    assert import_bundle(district, old.path).status == IMPORTED
    escrow = district.db.execute("SELECT escrow FROM peers").fetchone()[0]
    assert escrow == fresh.recipient


# -- 12: a shared folder settles in one round, without empty files --------------------------
def test_sync_now_imports_first_writes_nothing_empty_and_removes_what_was_acknowledged(
        world, tmp_path):
    region, district = world
    up, down = tmp_path / "to-region", tmp_path / "to-district"
    up.mkdir()
    down.mkdir()
    set_folders(district, up, down)
    set_folders(region, down, up)
    add_pupil(district, add_school(district), "Әбілқайыров", "Ұлықбек")

    first = sync_now(district)
    assert len(first.exported) == 1 and len(list(up.iterdir())) == 1
    answer = sync_now(region)
    assert [o.status for o in answer.imported] == [IMPORTED] and len(answer.exported) == 1
    # The district imports the answer first, so its next bundle acknowledges it; and the
    # region's acknowledgement of the first one lets it go from the shared folder.
    settle = sync_now(district)
    assert [o.status for o in settle.imported] == [IMPORTED] and len(settle.exported) == 1
    assert settle.removed == [first.exported[0].path] and not first.exported[0].path.exists()
    last = sync_now(region)
    assert [o.status for o in last.imported] == [IMPORTED]
    assert last.exported == [] and [p.site_id for p in last.nothing_new] == [district.site_id]
    # Settled: nothing new on either side, so no file is written any more; only each side's
    # newest bundle stays in the shared folder.
    for store in (district, region, district):
        run = sync_now(store)
        assert run.exported == [] and run.imported == [] and len(run.nothing_new) == 1
    assert [p.name for p in up.iterdir()] == [settle.exported[0].path.name]
    assert [p.name for p in down.iterdir()] == [answer.exported[0].path.name]


def test_key_cards_of_two_installations_do_not_overwrite_each_other(make_store, tmp_path):
    region, (alga, mugalzhar) = make_world(make_store, 2)
    stick = tmp_path / "cards"
    stick.mkdir()
    paths = {write_card(store, stick) for store in (region, alga, mugalzhar)}
    assert len(paths) == 3 and len(list(stick.iterdir())) == 3
    assert all(parse_card(p.read_bytes()) for p in paths)


def test_sync_status_lists_each_conflict_with_both_values(world, tmp_path, monkeypatch, capsys):
    region, district = world
    from tests.integration.sync.conftest import carry

    pupil = add_pupil(district, add_school(district), "Серікқызы", "Дана")
    carry(district, region, tmp_path)
    carry(region, district, tmp_path)
    district.repos.pupils.update(pupil.id, phone="+7 702 111")
    region.repos.pupils.update(pupil.id, phone="+7 705 999")
    carry(district, region, tmp_path)
    monkeypatch.setenv("DARYN_PASSWORD", PASSWORD)
    path = region.path
    region.close()
    assert main(["--db", str(path), "sync", "status", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "Серікқызы Дана" in line)
    assert "Phone" in line and "+7 702 111" in line and "+7 705 999" in line
    assert main(["--db", str(path), "sync", "status", "--json"]) == 0
    (conflict,) = json.loads(capsys.readouterr().out)["conflict_list"]
    assert {v["value"] for v in conflict["values"]} == {"+7 702 111", "+7 705 999"}


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions (Windows: the user profile)")
def test_bundles_key_backups_and_the_escrow_sheet_are_owner_only(world, tmp_path):
    import stat

    from daryn_desktop.storage.keyring import TEST_KDF
    from daryn_desktop.sync.backup import write_key_backup
    from daryn_desktop.sync.escrow import write_escrow_sheet

    region, district = world
    add_school(district)
    old = os.umask(0o022)
    try:
        made = _export(district, tmp_path)
        backup = write_key_backup(district, tmp_path / "keys.dkb", "a long passphrase",
                                  kdf=TEST_KDF)
        fresh = new_escrow_key(region)
        sheet = write_escrow_sheet(tmp_path / "escrow.pdf", fresh.pending_secret,
                                   fresh.recipient, "Ақтөбе")
        assert import_bundle(region, made.path).status == IMPORTED
    finally:
        os.umask(old)
    archived = region.path.parent / "sync" / "archive" / made.path.name
    for path in (made.path, backup, sheet, archived):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(archived.parent.stat().st_mode) == 0o700
