"""Portable mode: with ``--data-dir`` or a ``portable`` marker beside the program, database,
keys, logs and settings stay beside it, and nothing is written anywhere else.

Each run is a fresh process whose home and XDG folders point at an empty folder (and whose
temporary folder is another one): afterwards the home must still be empty and the temporary
folder too, while the data folder got the files.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox(tmp_path):
    """An empty home, an empty temporary folder, and the environment pointing at them."""
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "DARYN_")) and k not in ("HOME", "APPDATA",
                                                               "LOCALAPPDATA")}
    env.update({
        "HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"), "XDG_RUNTIME_DIR": str(temp),
        "TMPDIR": str(temp), "DARYN_PASSWORD": PASSWORD, "QT_QPA_PLATFORM": "offscreen",
        # Python's own byte-code cache would otherwise be a write outside the data folder.
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    return home, temp, env


def _everything(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _run(env, *args: str, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code, *args] if code else \
        [sys.executable, "-m", "daryn_desktop", *args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _cli_session(env, *base: str, code: str | None = None) -> None:
    """What a coordinator does from the command line: set up, fill, search, check, pair."""
    _run(env, *base, "init", "--role", "district", "--region", "150000000",
         "--district", "153200000", "--name", "Алға", code=code)
    _run(env, *base, "demo", "--pupils", "20", code=code)
    _run(env, *base, "pupils", "list", "--search", "а", code=code)
    _run(env, *base, "doctor", code=code)


def test_data_dir_keeps_everything_beside_the_program(sandbox, tmp_path):
    home, temp, env = sandbox
    data = tmp_path / "stick" / "data"
    _cli_session(env, "--data-dir", str(data))
    assert {"daryn.db", "daryn.db.keys"} <= set(_everything(data))
    assert _everything(home) == []
    assert _everything(temp) == []


def test_a_portable_marker_beside_the_executable_keeps_the_data_beside_it(sandbox, tmp_path):
    home, temp, env = sandbox
    program = tmp_path / "stick" / "Daryn Desktop"
    program.mkdir(parents=True)
    (program / "portable").write_text("")
    # As the built program sees itself: frozen, its executable in the program folder.
    code = textwrap.dedent(f"""
        import sys
        sys.frozen = True
        sys.executable = {str(program / "daryn")!r}
        from daryn_desktop.cli.main import main
        sys.exit(main(sys.argv[1:]))
    """)
    _cli_session(env, code=code)
    assert {"data/daryn.db", "data/daryn.db.keys"} <= set(_everything(program))
    assert _everything(home) == []
    assert _everything(temp) == []


GUI_START = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from daryn_desktop.gui import app as gui_app

    def close_when_shown():
        # The person looks at the main window, then closes it (geometry and settings saved).
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "mainWindow" and widget.isVisible():
                widget.close()
                return
        QTimer.singleShot(20, close_when_shown)

    qt = QApplication([sys.argv[0]])
    QTimer.singleShot(0, close_when_shown)
    sys.exit(gui_app.main(sys.argv[1:]))
""")


def test_the_application_start_path_writes_only_into_the_data_dir(sandbox, tmp_path):
    home, temp, env = sandbox
    data = tmp_path / "stick" / "data"
    # The demo database opens without a password dialog; a small one is made beforehand.
    from daryn_desktop.core.enums import Role
    from daryn_desktop.gui.app import DEMO_PASSWORD, DEMO_REGION
    from daryn_desktop.paths import app_paths
    from daryn_desktop.storage.database import create_store
    from daryn_desktop.storage.keyring import TEST_KDF

    store, _code = create_store(app_paths(str(data)).demo_db, DEMO_PASSWORD, role=Role.REGION,
                                region_kato=DEMO_REGION, name="Демо", kdf=TEST_KDF)
    store.close()
    before = set(_everything(data))
    _run(env, "--data-dir", str(data), "--demo", "--lang", "kk", code=GUI_START)
    written = set(_everything(data)) - before
    assert "settings.json" in written  # the window's geometry, remembered beside the program
    assert _everything(home) == []
    assert _everything(temp) == []
