"""``daryn self-test`` and ``daryn-desktop --self-test``: what they check, what they leave."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from daryn_desktop.cli import selftest
from daryn_desktop.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_cli_self_test_passes_one_line_per_check_and_leaves_nothing(capsys, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # its temporary folder goes here, then away
    home = Path(os.environ["DARYN_HOME"])
    assert main(["--lang", "en", "self-test"]) == 0
    lines = _lines(capsys.readouterr().out)
    assert len(lines) == len(selftest.CHECKS) + 1
    assert all(line.startswith("[ok]") for line in lines[:-1])
    assert "Әбілқайыров Ұлықбек Жаһангерұлы" in lines[2]
    assert "passed: 6 checks" in lines[-1]
    assert list(tmp_path.iterdir()) == []  # the throw-away folder was removed
    assert not home.exists() or list(home.iterdir()) == []  # the data folder untouched


def test_keep_leaves_the_databases_the_pdf_and_the_bundle_for_a_look(capsys, tmp_path):
    kept = tmp_path / "kept"
    assert main(["--lang", "en", "self-test", "--keep", str(kept)]) == 0
    assert (kept / "road-map.pdf").read_bytes().startswith(b"%PDF")
    assert (kept / "district" / "daryn.db").exists()
    assert (kept / "region" / "daryn.db").exists()
    assert len(list((kept / "stick").glob("*.dsb"))) == 1
    assert main(["--lang", "en", "self-test", "--keep", str(kept)]) == 1
    assert "is not empty" in capsys.readouterr().err


def test_a_failed_check_is_named_with_its_reason_and_the_rest_not_run(capsys, monkeypatch,
                                                                      tmp_path):
    # A build that lost its fonts folder.
    monkeypatch.setattr(selftest, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    assert main(["--lang", "en", "self-test"]) == 1
    lines = _lines(capsys.readouterr().out)
    assert lines[0] == "[FAILED]  Bundled resources: DejaVuSans.ttf is missing"
    assert all(line.startswith("[not run]") for line in lines[1:-1])
    assert lines[-1].endswith("FAILED.")


def test_an_unexpected_error_is_reported_with_its_type(capsys, monkeypatch):
    def broken(ws):
        raise RuntimeError("no PDF writer in this build")

    checks = list(selftest.CHECKS)
    checks[3] = (checks[3][0], broken)
    monkeypatch.setattr(selftest, "CHECKS", tuple(checks))
    assert main(["--lang", "en", "self-test"]) == 1
    captured = capsys.readouterr()
    lines = _lines(captured.out)
    assert lines[3] == "[FAILED]  Road-map PDF: RuntimeError: no PDF writer in this build"
    assert lines[4].startswith("[not run]")
    assert "Traceback" in captured.err  # for whoever supports the program


def test_the_cli_self_test_never_loads_qt():
    code = ("import sys; from daryn_desktop.cli.main import main; rc = main(['self-test']);"
            " assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))];"
            " sys.exit(rc)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_window_self_test_runs_offscreen_and_writes_its_report(tmp_path):
    report = tmp_path / "out" / "window.txt"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # it sets it itself
    result = subprocess.run(
        [sys.executable, "-m", "daryn_desktop.gui.app", "--lang", "en", "--self-test",
         str(report)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = _lines(report.read_text(encoding="utf-8"))
    assert lines == _lines(result.stdout)
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "[ok]      Qt and the bundled font", "[ok]      Qt's own translations",
        "[ok]      Icons", "[ok]      Main window", "[ok]      Sections of the main window"]
    assert "(window) passed" in lines[-1]
    screenshot = report.with_suffix(".png")
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    # Nothing was written to the data folder.
    home = Path(os.environ["DARYN_HOME"])
    assert not home.exists() or list(home.iterdir()) == []


@pytest.mark.parametrize("argv, expected", [
    (["--self-test"], ""),
    (["--self-test", "r.txt"], "r.txt"),
    ([], None),
])
def test_gui_accepts_self_test_with_an_optional_report(argv, expected):
    from daryn_desktop.gui.app import parse_args

    assert parse_args(argv).self_test == expected
