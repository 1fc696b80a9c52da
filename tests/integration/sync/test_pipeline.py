"""The import pipeline: every refusal has its reason, the database stays as it was."""

from __future__ import annotations

import shutil

import pytest

from daryn_desktop.sync import bundle
from daryn_desktop.sync.export import export_bundle, recipients_for_export
from daryn_desktop.sync.folders import quarantined
from daryn_desktop.sync.identity import rotate_keys
from daryn_desktop.sync.importer import ALREADY, IMPORTED, REFUSED, import_bundle
from daryn_desktop.sync.peers import revoke
from tests.helpers import add_pupil, add_school
from tests.integration.sync.conftest import make_world, state_digest


def _export(store, tmp_path, to=None):
    peer = recipients_for_export(store, to)[0]
    return export_bundle(store, tmp_path / "stick", peer)


@pytest.fixture
def filled(world, tmp_path):
    region, district = world
    school = add_school(district, "Қарабұлақ мектебі")
    pupil = add_pupil(district, school, "Әбілқайыров", "Ұлықбек")
    return region, district, pupil, _export(district, tmp_path)


def _refused(store, path, code):
    before = state_digest(store)
    outcome = import_bundle(store, path)
    assert outcome.status == REFUSED and outcome.reason == code, outcome.describe()
    assert state_digest(store) == before
    assert outcome.quarantine_path.exists() and path.exists()
    return outcome


def test_a_bundle_is_imported_once_and_a_replay_changes_nothing(filled):
    region, _district, pupil, result = filled
    first = import_bundle(region, result.path)
    assert first.status == IMPORTED and first.new_changes == 2
    assert region.repos.pupils.get(pupil.id).surname == "Әбілқайыров"
    digest = state_digest(region)
    assert import_bundle(region, result.path).status == ALREADY
    assert state_digest(region) == digest
    assert (region.path.parent / "sync" / "archive" / result.path.name).exists()


def test_the_file_name_and_header_reveal_no_names(filled):
    _region, _district, _pupil, result = filled
    data = result.path.read_bytes()
    sealed = bundle.split(data)
    for secret in ("Әбілқайыров", "Қарабұлақ", "120315"):
        assert secret.encode() not in data
    assert set(sealed.header) <= {"v", "min_reader", "bundle", "from", "from_key", "to",
                                  "to_key", "region", "created", "schema", "payload_sha256",
                                  "payload_len", "endorse"}
    name = result.path.name
    assert len(name) <= 40 and all(c in "0123456789abcdef." or c.isalpha() for c in name)


def test_every_single_byte_flip_is_refused_with_the_database_unchanged(filled):
    region, _district, _pupil, result = filled
    data = result.path.read_bytes()
    before = state_digest(region)
    tampered = result.path.with_name("tampered.dsb")
    for position in range(len(data)):
        flipped = bytearray(data)
        flipped[position] ^= 0x5A
        tampered.write_bytes(bytes(flipped))
        outcome = import_bundle(region, tampered)
        assert outcome.status == REFUSED, position
    assert state_digest(region) == before
    assert import_bundle(region, result.path).status == IMPORTED


@pytest.mark.parametrize("cut", [0, 5, 11, 40, 100, -1000, -1])
def test_a_truncated_bundle_is_refused(filled, cut):
    region, _district, _pupil, result = filled
    data = result.path.read_bytes()
    short = result.path.with_name("short.dsb")
    short.write_bytes(data[:cut] if cut >= 0 else data[: len(data) + cut])
    outcome = import_bundle(region, short)
    assert outcome.status == REFUSED
    assert outcome.reason in ("truncated", "not_a_bundle")
    if cut in (-1000, -1, 100):
        assert outcome.reason == "truncated"


def test_appended_garbage_and_plain_garbage_are_refused(filled, tmp_path):
    region, _district, _pupil, result = filled
    longer = tmp_path / "longer.dsb"
    longer.write_bytes(result.path.read_bytes() + b"\x00junk")
    _refused(region, longer, "tampered_payload")
    garbage = tmp_path / "garbage.dsb"
    garbage.write_bytes(b"PK\x03\x04 this is a zip, not a bundle" * 10)
    _refused(region, garbage, "not_a_bundle")
    assert len(quarantined(region)) == 2


def test_unknown_sender_and_misdelivery_are_refused(make_store, tmp_path):
    region, (alga, mugalzhar) = make_world(make_store, 2)
    add_school(alga)
    _other, (stranger,) = make_world(lambda name, **kw: make_store("x" + name, **kw), 1)
    add_school(stranger)
    from_stranger = _export(stranger, tmp_path)
    _refused(region, from_stranger.path, "unknown_sender")
    for_alga = _export(region, tmp_path, to=alga.site_id)
    _refused(mugalzhar, for_alga.path, "not_addressed_to_us")
    _refused(region, for_alga.path, "from_ourselves")
    assert import_bundle(alga, for_alga.path).status == IMPORTED


def test_a_bundle_claiming_another_sender_is_refused(make_store, tmp_path):
    region, (alga, mugalzhar) = make_world(make_store, 2)
    add_school(alga)
    genuine = _export(alga, tmp_path)
    sealed = bundle.split(genuine.path.read_bytes())
    # Mugalzhar re-signs Alga's bundle with its own key while claiming to be Alga.
    from daryn_desktop.sync import crypto
    from daryn_desktop.sync.identity import signing_key

    header = dict(sealed.header, from_key=signing_key(mugalzhar).key_id)
    body = crypto.canonical(header)
    signed = bundle.MAGIC + len(body).to_bytes(4, "big") + body
    forged = tmp_path / "forged.dsb"
    forged.write_bytes(signed + crypto.sign(signing_key(mugalzhar).secret, signed)
                       + sealed.ciphertext)
    _refused(region, forged, "bad_signature")


def _resealed(path, header, sealed, signer):
    """A bundle file of ``header`` and ``sealed``'s payload, signed by ``signer`` (or with
    the old signature kept, when None)."""
    from daryn_desktop.sync import crypto
    from daryn_desktop.sync.identity import signing_key

    body = crypto.canonical(header)
    signed = bundle.MAGIC + len(body).to_bytes(4, "big") + body
    signature = (crypto.sign(signing_key(signer).secret, signed) if signer is not None
                 else sealed.signature)
    path.write_bytes(signed + signature + sealed.ciphertext)
    return path


def test_a_bundle_from_another_region_names_the_reason(make_store, tmp_path):
    region, (alga,) = make_world(make_store, 1)
    add_school(alga)
    sealed = bundle.split(_export(alga, tmp_path).path.read_bytes())
    header = dict(sealed.header, region="270000000")
    # The header changed after signing: refused as changed, not for what it now claims.
    _refused(region, _resealed(tmp_path / "odd.dsb", header, sealed, None), "bad_signature")
    # Signed so by the sender itself: then what it claims is judged.
    _refused(region, _resealed(tmp_path / "west.dsb", header, sealed, alga), "another_region")


def test_a_newer_format_is_refused_with_its_own_reason(filled, tmp_path):
    region, _district, _pupil, result = filled
    data = result.path.read_bytes().replace(bundle.MAGIC, b"DARYNSB2", 1)
    newer = tmp_path / "newer.dsb"
    newer.write_bytes(data)
    outcome = _refused(region, newer, "newer_format")
    assert "newer version" in outcome.message


def test_a_revoked_installation_is_refused(filled):
    region, _district, _pupil, result = filled
    revoke(region, result.bundle_id and _district.site_id)
    _refused(region, result.path, "revoked_key")


def test_rotated_keys_are_accepted_through_the_endorsement_and_old_bundles_still_open(
        world, tmp_path):
    region, district = world
    add_school(district)
    old_for_district = _export(region, tmp_path, to=district.site_id)
    rotate_keys(district)
    add_school(district, "Жаңа мектеп")
    after = _export(district, tmp_path)
    assert import_bundle(region, after.path).status == IMPORTED
    assert region.repos.schools.count() == 2
    # A bundle the region made for the old key still opens after the rotation.
    assert import_bundle(district, old_for_district.path).status == IMPORTED
    newer_for_district = _export(region, tmp_path, to=district.site_id)
    assert import_bundle(district, newer_for_district.path).status == IMPORTED


def test_refused_files_are_kept_never_deleted(filled, tmp_path):
    region, _district, _pupil, result = filled
    copy = tmp_path / "copy.dsb"
    shutil.copy(result.path, copy)
    copy.write_bytes(copy.read_bytes()[:-10])
    outcome = import_bundle(region, copy)
    assert outcome.status == REFUSED
    assert copy.exists() and outcome.quarantine_path.read_bytes() == copy.read_bytes()
    note = quarantined(region)[0]
    assert note["reason"] == "truncated"
