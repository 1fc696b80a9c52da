"""The versions inside a bundle: format 2 (fields as logged, a tab, the version), format 1
still read, and every malformed line refused before anything is applied."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from daryn_desktop.storage.changelog import log_json
from daryn_desktop.sync import bundle, payload, payload_format
from daryn_desktop.sync.export import export_bundle, recipients_for_export
from daryn_desktop.sync.importer import IMPORTED, REFUSED, import_bundle
from tests.helpers import add_pupil, add_school
from tests.integration.sync.conftest import state_digest

SITE = "a" * 32
#: The log's versions as the ``changes`` view gives them (the order the payload encodes).
_COLUMNS = ("c.origin_site, c.origin_seq, c.hlc, c.tbl, c.row_id, c.op, c.data, c.author, c.at,"
            " c.prio, c.supersedes")
#: Characters that once split a line, or that JSON escapes: line and paragraph separators,
#: a tab, a newline, quotes, a backslash and an emoji. (Control characters such as NEL never
#: reach the log: the write path removes them, see test_hardening_text.py.)
AWKWARD = "бір\u2028екі\u2029үш төрт\tбес\nалты \"жеті\" \\ 🎓"


def _encode_v1(rows):
    """``changes.jsonl`` as the previous version of the program wrote it (format 1)."""
    sites: dict[str, int] = {}
    lines = []
    last_hlc = 0
    for site, seq, hlc, tbl, row_id, op, data, author, at, prio, supersedes in rows:
        index = sites.setdefault(site, len(sites))
        sup = None
        if supersedes:
            parsed = json.loads(supersedes) if isinstance(supersedes, str) else supersedes
            sup = {col: [[sites.setdefault(s, len(sites)), q] for s, q in ids]
                   for col, ids in parsed.items()}
        line = [index, seq, hlc - last_hlc, tbl, row_id, op[0], json.loads(data), author, at,
                prio]
        last_hlc = hlc
        if sup:
            line.append(sup)
        lines.append(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
    return list(sites), "\n".join(lines)


def _export(store, tmp_path):
    return export_bundle(store, tmp_path / "stick", recipients_for_export(store)[0])


def _log(store, where="1"):
    return store.db.execute(f"SELECT {_COLUMNS} FROM changes c WHERE {where} ORDER BY c.seq"
                            ).fetchall()


def _filled(district):
    school = add_school(district)
    pupil = add_pupil(district, school, "Әбілқайыров", "Ұлықбек")
    add_pupil(district, school, "Сейітова", "Айгерім", serial=2)
    with district.transaction() as w:
        w.update("pupils", pupil.id, {"notes": AWKWARD, "grade": 9})
    return pupil


def test_a_line_is_the_logged_fields_a_tab_and_the_version(world):
    _region, district = world
    _filled(district)
    rows = _log(district)
    sites, text = payload.encode_changes(rows)
    lines = text.split("\n")
    assert len(lines) == len(rows)
    for line, row in zip(lines, rows):
        fields, meta = line.split("\t")
        assert fields == row[6]  # the log's own text, not encoded again
        meta = json.loads(meta)
        assert meta[:6] == [0, row[1], meta[2], row[3], row[4], row[5][0]]
        assert len(meta) == (10 if row[10] else 9)
    decoded = payload.decode_changes(sites, text)
    assert [(c.origin_site, c.origin_seq, c.hlc, c.tbl, c.row_id, c.op, c.data_json, c.author,
             c.at, c.prio) for c in decoded] == [r[:10] for r in rows]
    assert [c.data for c in decoded] == [json.loads(r[6]) for r in rows]
    update = decoded[-1]
    assert update.data["notes"] == AWKWARD
    assert update.supersedes == {col: [tuple(v) for v in ids]
                                 for col, ids in json.loads(rows[-1][10]).items()}


def test_the_region_logs_the_districts_text_and_shows_its_values(world, tmp_path):
    region, district = world
    pupil = _filled(district)
    assert import_bundle(region, _export(district, tmp_path).path).status == IMPORTED
    assert _log(region) == _log(district)
    assert region.repos.pupils.get(pupil.id).notes == AWKWARD


def test_a_bundle_of_the_previous_format_is_still_read(world, tmp_path, monkeypatch):
    region, district = world
    pupil = _filled(district)
    with monkeypatch.context() as patch:
        patch.setattr(bundle, "FORMAT_VERSION", 1)
        patch.setattr(payload, "PAYLOAD_FORMAT", 1)
        patch.setattr(payload, "encode_changes", _encode_v1)
        old = _export(district, tmp_path)
    assert bundle.split(old.path.read_bytes()).header["v"] == 1
    outcome = import_bundle(region, old.path)
    assert outcome.status == IMPORTED and outcome.new_changes == len(_log(district))
    assert region.repos.pupils.get(pupil.id).notes == AWKWARD
    assert _log(region) == _log(district)  # encoded again into the same canonical text
    # The same versions in format 2 (not acknowledged yet, so sent again) change nothing.
    digest = state_digest(region)
    new = _export(district, tmp_path)
    assert bundle.split(new.path.read_bytes()).header["v"] == 2
    outcome = import_bundle(region, new.path)
    assert outcome.status == IMPORTED and outcome.new_changes == 0
    assert state_digest(region) == digest


def test_the_previous_program_refuses_a_new_bundle_as_newer(world, tmp_path, monkeypatch):
    region, district = world
    _filled(district)
    result = _export(district, tmp_path)
    monkeypatch.setattr(bundle, "FORMAT_VERSION", 1)  # the reader of the previous version
    outcome = import_bundle(region, result.path)
    assert outcome.status == REFUSED and outcome.reason == "newer_format"


def test_a_payload_of_a_newer_format_is_refused_as_newer(world, tmp_path, monkeypatch):
    region, district = world
    _filled(district)
    with monkeypatch.context() as patch:
        patch.setattr(payload, "PAYLOAD_FORMAT", 3)
        result = _export(district, tmp_path)
    before = state_digest(region)
    outcome = import_bundle(region, result.path)
    assert outcome.status == REFUSED and outcome.reason == "newer_format"
    assert state_digest(region) == before and outcome.quarantine_path.exists()


def _line(fields: str, meta: list | None = None) -> str:
    return fields + "\t" + json.dumps(meta or [0, 1, 5, "pupils", "r" * 32, "i", None,
                                               "2026-01-05T10:00:00+00:00", 0])


@pytest.mark.parametrize("fields", [
    '{"b":1,"a":2}',            # keys not sorted
    '{"a": 1}',                 # a space
    '{"a":1,"a":1}',            # a key twice
    '{"a":"\\u0410"}',          # a letter escaped
    '{"a":"\\/"}',              # a needless escape
    '{"a":1.0e2}',              # a number not written as Python writes it
    '{"a":NaN}',                # not JSON
    '{"a":"\\ud800"}',          # half of a surrogate pair
    '[1,2]',                    # not an object
    '{"a":1}{"b":2}',           # two objects
    '{"a":1} ',                 # text after it
    '{"a":' + "[" * 100000 + "]" * 100000 + "}",  # nested beyond any stack
    '',
])
def test_fields_not_in_canonical_form_are_refused(fields):
    good = _line(log_json({"a": 1, "b": "x"}))
    with pytest.raises(payload.PayloadError, match="line 2"):
        payload.decode_changes([SITE], "\n".join([good, _line(fields), good]))


def test_lines_cannot_borrow_from_each_other():
    # Joined with commas these parse as exactly three objects, none of them a line's own.
    parts = ['{"a":[{}', '{}]}', '{},{}']
    with pytest.raises(payload.PayloadError):
        payload.decode_changes([SITE], "\n".join(_line(p) for p in parts))
    metas = ['[0,1,5,"pupils","r","i",null,"t",0],[0', '2,5,"pupils","s","i",null,"t",0]',
             '[0,3,5,"pupils","t","i",null,"t",0]']
    with pytest.raises(payload.PayloadError):
        payload.decode_changes([SITE], "\n".join(f'{{"a":{i}}}\t{m}'
                                                 for i, m in enumerate(metas)))


@pytest.mark.parametrize("meta", [
    [0, "1", 5, "pupils", "r", "i", None, "t", 0],          # seq as text
    [-1, 1, 5, "pupils", "r", "i", None, "t", 0],           # a site index from the end
    [1, 1, 5, "pupils", "r", "i", None, "t", 0],            # no such site
    [0, 1, 5, "pupils", "r", "x", None, "t", 0],            # no such operation
    [0, 1, 5, "pupils", "r", "i", None, "t", True],         # a flag for the priority
    [0, 1, 5, "pupils", 7, "i", None, "t", 0],              # a number for the row id
    [0, 1, 5, "pupils", "r", "u", None, "t", 0, {"a": [[-1, 1]]}],
    [0, 1, 5, "pupils", "r", "u", None, "t", 0, []],
    [0, 1, 5, "pupils", "r", "i", None, "t"],
    {"site": 0},
])
def test_a_version_with_a_wrong_value_is_refused(meta):
    with pytest.raises(payload.PayloadError, match="line 1"):
        payload.decode_changes([SITE], _line('{"a":1}', meta))


@pytest.mark.parametrize("text", ['{"a":1}', '{"a":1}\t[0]\t[1]', '{"a":1}\t{"a":1}'])
def test_a_line_that_is_not_fields_tab_version_is_refused(text):
    with pytest.raises(payload.PayloadError):
        payload.decode_changes([SITE], text)


def test_format_1_lines_split_only_at_newlines():
    data = {"notes": AWKWARD}
    line = json.dumps([0, 1, 5, "pupils", "r" * 32, "i", data, None, "t", 0],
                      ensure_ascii=False, separators=(",", ":"))
    (change,) = payload.decode_changes([SITE], line, 1)
    assert change.data == data and change.data_json is None


def test_lines_are_decoded_in_parts_with_the_same_result(world, monkeypatch):
    _region, district = world
    _filled(district)
    sites, text = payload.encode_changes(_log(district))
    whole = payload.decode_changes(sites, text)
    monkeypatch.setattr(payload_format, "_LINES_AT_ONCE", 2)
    assert payload.decode_changes(sites, text) == whole
    lines = text.split("\n")
    lines[3] = lines[3].replace("\t", " \t", 1)
    with pytest.raises(payload.PayloadError, match="line 4:"):
        payload.decode_changes(sites, "\n".join(lines))


def _streamed(sites, text, fmt, piece):
    """The batches :class:`payload.ChangeLines` hands on when ``text`` arrives ``piece``
    bytes at a time."""
    batches = []
    lines = payload.ChangeLines(sites, fmt, batches.append)
    data = text if isinstance(text, bytes) else text.encode()
    for start in range(0, len(data), piece):
        lines.write(data[start:start + piece])
    lines.close()
    assert lines.count == sum(map(len, batches))
    return batches


@pytest.mark.parametrize("piece", [1, 3, 7, 64, 1 << 20])
def test_versions_streamed_in_pieces_are_the_versions_of_the_text(world, monkeypatch, piece):
    _region, district = world
    _filled(district)
    rows = _log(district)
    monkeypatch.setattr(payload_format, "_LINES_AT_ONCE", 2)
    for fmt, (sites, text) in ((2, payload.encode_changes(rows)), (1, _encode_v1(rows))):
        whole = payload.decode_changes(sites, text, fmt)
        batches = _streamed(sites, text, fmt, piece)
        assert [c for batch in batches for c in batch] == whole
        assert all(1 <= len(batch) <= 2 for batch in batches)
    sites, text = payload.encode_changes(rows)
    assert _streamed(sites, "", 2, piece) == []
    lines = text.split("\n")
    lines[3] = lines[3].replace("\t", " \t", 1)
    with pytest.raises(payload.PayloadError, match="line 4:"):
        _streamed(sites, "\n".join(lines), 2, piece)
    with pytest.raises(payload.PayloadError, match="line 3:"):  # a trailing newline
        _streamed(sites, "\n".join(lines[:2]) + "\n", 2, piece)
    with pytest.raises(payload.PayloadError, match="line 2:"):  # not UTF-8
        _streamed(sites, "\n".join(lines[:3]).encode().replace(b"\n", b"\n\xff", 1), 2,
                  piece)


def test_a_payload_streamed_needs_its_manifest_before_its_versions():
    sites, text = [SITE], _line('{"a":1}')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(payload.CHANGES, text)
        zf.writestr(payload.MANIFEST, json.dumps({"format": 2, "sites": sites}))
    whole = payload.decode(buffer.getvalue())  # read whole, the order does not matter
    assert whole.count == 1 and whole.changes[0].data == {"a": 1}
    reader = payload.PayloadReader(changes=lambda _batch: None)
    with pytest.raises(payload.PayloadError, match="after"):
        reader.stream.write(buffer.getvalue())
