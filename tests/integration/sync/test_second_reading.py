"""The second reading of a bundle (the one that applies it) trusts what the first reading
checked only if it reads the very same bytes: a payload changed in between is refused
before a version of the changed part is applied, and nothing stays applied."""

from __future__ import annotations

import io
import zipfile

import pytest

from daryn_desktop.storage.writer import Writer
from daryn_desktop.sync import bundle, crypto, importer, payload, payload_format
from daryn_desktop.sync.export import export_bundle, recipients_for_export
from daryn_desktop.sync.identity import age_secrets
from daryn_desktop.sync.importer import IMPORTED, REFUSED, import_bundle
from tests.helpers import add_pupil, add_school
from tests.integration.sync.conftest import state_digest
from tests.integration.sync.test_payload_format import AWKWARD, _encode_v1, _log


def _filled(district):
    school = add_school(district)
    pupils = [add_pupil(district, school, "Әбілқайыров", "Ұлықбек", serial=n)
              for n in range(1, 5)]
    with district.transaction() as w:
        w.update("pupils", pupils[0].id, {"notes": AWKWARD, "grade": 9})
        w.update("pupils", pupils[1].id, {"given_name": "Айгерім"})
    return pupils


def _first_reading(sites, text, fmt, piece):
    """Versions handed on by a checking reading of ``text`` (``piece`` bytes at a time),
    and the blocks it recorded."""
    batches = []
    lines = payload.ChangeLines(sites, fmt, batches.append)
    _feed(lines, text, piece)
    return [c for batch in batches for c in batch], tuple(lines.blocks)


def _feed(lines, text, piece):
    data = text if isinstance(text, bytes) else text.encode()
    for start in range(0, len(data), piece):
        lines.write(data[start:start + piece])
    lines.close()


def _second_reading(sites, text, fmt, piece, blocks, batches):
    lines = payload.ProvenLines(sites, fmt, batches.append, blocks)
    _feed(lines, text, piece)
    return lines


@pytest.mark.parametrize("piece", [1, 5, 64, 1 << 20])
def test_a_second_reading_of_the_same_text_gives_the_same_versions(world, monkeypatch, piece):
    _region, district = world
    _filled(district)
    rows = _log(district)
    monkeypatch.setattr(payload_format, "_LINES_AT_ONCE", 3)
    for fmt, (sites, text) in ((2, payload.encode_changes(rows)), (1, _encode_v1(rows))):
        checked, blocks = _first_reading(sites, text, fmt, piece)
        assert checked == payload.decode_changes(sites, text, fmt)
        assert sum(length for length, _digest in blocks) + len(blocks) - 1 == len(text.encode())
        for second_piece in (piece, 7):  # pieces cut elsewhere than the first time
            batches: list = []
            lines = _second_reading(sites, text, fmt, second_piece, blocks, batches)
            assert [c for batch in batches for c in batch] == checked
            assert lines.count == len(checked)
    # An empty text: no block, and nothing read the second time either.
    assert _first_reading([], "", 2, piece) == ([], ())
    assert _second_reading([], "", 2, piece, (), []).count == 0


def _changed_texts(text):
    """The text with: one letter of a value changed, a line left out, a line added, the
    end cut off, a newline added at the end, nothing."""
    lines = text.split("\n")
    *first, last = lines
    return {
        "a letter of the last line": "\n".join([*first, last.replace("Айгерім", "Айгерiм")]),
        "a value of the first line": "\n".join(
            [lines[0].replace('"archived":0', '"archived":1'), *lines[1:]]),
        "a line left out": "\n".join(lines[:2] + lines[3:]),
        "a line added": "\n".join([*lines[:3], *lines[2:]]),
        "the end cut off": text[:-5],
        "a newline after the end": text + "\n",
        "nothing": "",
    }


@pytest.mark.parametrize("piece", [1, 64, 1 << 20])
def test_a_changed_text_is_refused_before_its_changed_block_is_handed_on(world, monkeypatch,
                                                                       piece):
    _region, district = world
    _filled(district)
    sites, text = payload.encode_changes(_log(district))
    assert "Айгерім" in text.split("\n")[-1] and '"archived":0' in text.split("\n")[0]
    monkeypatch.setattr(payload_format, "_LINES_AT_ONCE", 2)
    checked, blocks = _first_reading(sites, text, 2, piece)
    assert len(blocks) >= 2
    for name, changed in _changed_texts(text).items():
        batches: list = []
        with pytest.raises(payload.PayloadError, match="changed"):
            _second_reading(sites, changed, 2, piece, blocks, batches)
        handed = [c for batch in batches for c in batch]
        # Only versions of blocks read exactly as checked went on, the first ones.
        assert handed == checked[:len(handed)], name
        assert len(handed) < len(checked), name


def _payload_zip(manifest: bytes, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(payload.MANIFEST, manifest)
        zf.writestr(payload.CHANGES, text)
    return buffer.getvalue()


def test_a_reader_with_a_proof_refuses_a_changed_manifest():
    text = '{"a":1}\t[0,1,5,"pupils","r","i",null,"t",0]'
    manifest = b'{"format":2,"sites":["' + b"a" * 32 + b'"]}'
    first = payload.PayloadReader(changes=lambda _batch: None)
    first.stream.write(_payload_zip(manifest, text))
    proof = first.payload().proof
    assert proof is not None and len(proof.blocks) == 1
    again = payload.PayloadReader(changes=lambda _batch: None, proof=proof)
    again.stream.write(_payload_zip(manifest, text))
    assert again.payload().count == 1
    spaced = payload.PayloadReader(changes=lambda _batch: None, proof=proof)
    with pytest.raises(payload.PayloadError, match=r"manifest\.json changed"):
        spaced.stream.write(_payload_zip(manifest.replace(b",", b", "), text))


def test_a_payload_changed_between_the_readings_is_refused_and_nothing_applied(
        world, tmp_path, monkeypatch):
    """As if the stick's file changed after it was checked: the second reading decrypts
    other (well-formed, validly encrypted) versions. The file's bytes are still read whole,
    so the signed hash of the encrypted payload matches: only the proof catches it."""
    region, district = world
    pupils = _filled(district)
    made = export_bundle(district, tmp_path / "stick", recipients_for_export(district)[0])
    raw = made.path.read_bytes()
    head = bundle.read_head(io.BytesIO(raw), len(raw))
    plain = crypto.decrypt(raw[head.header_end:], age_secrets(region))
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        manifest, text = zf.read(payload.MANIFEST), zf.read(payload.CHANGES).decode()
    assert "Айгерім" in text
    swapped = _payload_zip(manifest, text.replace("Айгерім", "Айгерiм"))

    real = crypto.decrypt_stream
    readings = []

    def second_reading_changed(source, sink, secrets):
        readings.append(1)
        if len(readings) == 1:
            return real(source, sink, secrets)
        while source.read(1 << 16):  # the file read whole, its hash as signed
            pass
        for start in range(0, len(swapped), 1000):
            sink.write(swapped[start:start + 1000])
        return None

    applied = []
    apply_remote = Writer.apply_remote

    def spy(self, changes, **kwargs):
        applied.append(len(list(changes)))
        return apply_remote(self, changes, **kwargs)

    monkeypatch.setattr(crypto, "decrypt_stream", second_reading_changed)
    monkeypatch.setattr(Writer, "apply_remote", spy)
    monkeypatch.setattr(importer, "KEEP_CHECKED_PAYLOAD", 0)  # read twice, as a large one
    before = state_digest(region)
    outcome = import_bundle(region, made.path)
    assert outcome.status == REFUSED and outcome.reason == "tampered_payload"
    assert len(readings) == 2 and applied == []
    assert state_digest(region) == before
    # Read as it is, the same file imports.
    monkeypatch.setattr(crypto, "decrypt_stream", real)
    assert import_bundle(region, made.path).status == IMPORTED
    assert applied and region.repos.pupils.get(pupils[1].id).given_name == "Айгерім"


@pytest.mark.parametrize("limit, readings_expected", [
    (None, 1),
    (("KEEP_CHECKED_VERSIONS", 3), 2),  # more versions than are kept
    (("KEEP_CHECKED_TEXT", 40), 2),  # more text than is kept (a payload that compresses well)
], ids=["small", "many versions", "much text"])
def test_a_small_payload_is_decrypted_once_and_applied_as_checked(
        world, tmp_path, monkeypatch, limit, readings_expected):
    """A day's edits are applied from the checking reading: one decryption; a payload that
    holds more than a few MB once decoded is read again instead. (The convergence
    properties run both ways: these small bundles in the main one, read twice in the one
    that applies a version or two at a time.)"""
    if limit is not None:
        monkeypatch.setattr(importer, *limit)
    region, district = world
    pupils = _filled(district)
    made = export_bundle(district, tmp_path / "stick", recipients_for_export(district)[0])
    real = crypto.decrypt_stream
    readings = []

    def counted(source, sink, secrets):
        readings.append(1)
        return real(source, sink, secrets)

    monkeypatch.setattr(crypto, "decrypt_stream", counted)
    outcome = import_bundle(region, made.path)
    assert outcome.status == IMPORTED and outcome.new_changes > 3
    assert len(readings) == readings_expected
    assert region.repos.pupils.get(pupils[1].id).given_name == "Айгерім"
    assert region.repos.pupils.get(pupils[0].id).grade == 9
