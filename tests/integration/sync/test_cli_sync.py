"""``daryn keys`` and ``daryn sync`` end to end on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from daryn_desktop.cli.main import main
from daryn_desktop.storage.database import open_store
from tests.conftest import PASSWORD
from tests.helpers import add_pupil, add_school


@pytest.fixture
def pair_of(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DARYN_PASSWORD", PASSWORD)
    monkeypatch.setenv("DARYN_LANG", "en")  # the assertions below read English messages
    region, district = tmp_path / "region.db", tmp_path / "district.db"
    assert main(["--db", str(region), "init", "--role", "region", "--region", "150000000",
                 "--name", "Ақтөбе-Дарын"]) == 0
    out = capsys.readouterr().out
    assert "AGE-SECRET-KEY-1" in out  # the escrow key, shown once for printing
    assert main(["--db", str(district), "init", "--role", "district", "--region", "150000000",
                 "--district", "153200000", "--name", "Алға"]) == 0
    capsys.readouterr()
    return region, district


def _fingerprint(output: str) -> str:
    return output.rsplit(":", 1)[1].strip()


def test_pairing_export_and_import_through_the_command_line(pair_of, tmp_path, capsys):
    region, district = pair_of
    stick = tmp_path / "stick"
    stick.mkdir()
    assert main(["--db", str(region), "keys", "card", "--out", str(stick / "region.dkc")]) == 0
    region_fp = _fingerprint(capsys.readouterr().out.splitlines()[1])
    assert main(["--db", str(district), "keys", "card", "--out", str(stick / "district.dkc")]) == 0
    district_fp = _fingerprint(capsys.readouterr().out.splitlines()[1])
    # Without a compared fingerprint the command refuses (no terminal to ask on).
    assert main(["--db", str(district), "keys", "trust", str(stick / "region.dkc")]) == 1
    assert "fingerprint" in capsys.readouterr().err
    assert main(["--db", str(district), "keys", "trust", str(stick / "region.dkc"),
                 "--fingerprint", "1111 2222 3333 4444 5555"]) == 1
    assert "does not match" in capsys.readouterr().err
    assert main(["--db", str(district), "keys", "trust", str(stick / "region.dkc"),
                 "--fingerprint", region_fp]) == 0
    assert main(["--db", str(region), "keys", "trust", str(stick / "district.dkc"),
                 "--fingerprint", district_fp.replace(" ", "")]) == 0
    capsys.readouterr()

    store = open_store(district, password=PASSWORD)
    add_pupil(store, add_school(store), "Әбілқайыров", "Ұлықбек")
    store.close()
    assert main(["--db", str(district), "sync", "export", "--out", str(stick), "--json"]) == 0
    (made,) = json.loads(capsys.readouterr().out)
    assert made["changes"] == 2
    assert main(["--db", str(region), "sync", "import", made["file"], "--json"]) == 0
    (done,) = json.loads(capsys.readouterr().out)
    assert done["status"] == "imported" and done["new_changes"] == 2
    # Importing it again is harmless; a damaged copy is refused with its reason.
    assert main(["--db", str(region), "sync", "import", made["file"]]) == 0
    assert "already imported" in capsys.readouterr().out
    damaged = tmp_path / "damaged.dsb"
    damaged.write_bytes(Path(made["file"]).read_bytes()[:-7])
    assert main(["--db", str(region), "sync", "import", str(damaged)]) == 1
    assert "incomplete" in capsys.readouterr().err
    assert main(["--db", str(region), "sync", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["quarantined"][0]["reason"] == "truncated"
    assert main(["--db", str(district), "doctor", "--json"]) == 0
    doctor = json.loads(capsys.readouterr().out)
    assert doctor["sync_keys"]["present"] and doctor["sync_keys"]["paired"] == 1
    assert doctor["unacknowledged_changes"] == 2


def test_key_backup_commands(pair_of, tmp_path, monkeypatch, capsys):
    _region, district = pair_of
    monkeypatch.setenv("DARYN_BACKUP_PASSPHRASE", "long enough phrase")
    backup = tmp_path / "keys.dkb"
    assert main(["--db", str(district), "keys", "backup", "--out", str(backup)]) == 0
    assert main(["--db", str(district), "keys", "check-backup", str(backup)]) == 0
    assert "2 keys" in capsys.readouterr().out
    monkeypatch.setenv("DARYN_BACKUP_PASSPHRASE", "wrong phrase!!")
    assert main(["--db", str(district), "keys", "check-backup", str(backup)]) == 1
    assert "passphrase is wrong" in capsys.readouterr().err
