"""Where things live: bundled resources, and the user's data folders (normal or portable)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

#: File beside the executable that switches the program into portable mode.
PORTABLE_MARKER = "portable"
#: Environment variable that moves every data folder under one directory (tests, USB sticks).
HOME_ENV = "DARYN_HOME"
#: Environment variable naming the database file for commands that take ``--db``.
DB_ENV = "DARYN_DB"
DB_FILENAME = "daryn.db"


def resources_dir() -> Path:
    """The ``resources/`` folder, from a source checkout or from a PyInstaller build."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a bundled resource, e.g. ``resource_path("fonts", "NotoSans-Regular.ttf")``."""
    return resources_dir().joinpath(*parts)


def _executable_dir() -> Path:
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class AppPaths:
    """The folders of one installation's data."""

    data: Path

    @property
    def default_db(self) -> Path:
        return self.data / DB_FILENAME

    @property
    def demo_db(self) -> Path:
        return self.data / "demo" / "daryn-demo.db"

    @property
    def backups(self) -> Path:
        return self.data / "backups"

    @property
    def logs(self) -> Path:
        return self.data / "logs"

    @property
    def settings_file(self) -> Path:
        return self.data / "settings.json"

    @property
    def sync(self) -> Path:
        return self.data / "sync"


def app_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """The data folder: ``--data-dir``, else ``DARYN_HOME``, else portable, else the OS default.

    Portable mode (a ``portable`` marker file beside the executable) keeps everything in a
    ``data`` folder beside the program so that it can run from a USB stick.
    """
    if data_dir:
        return AppPaths(Path(data_dir).expanduser().resolve())
    env = os.environ.get(HOME_ENV)
    if env:
        return AppPaths(Path(env).expanduser().resolve())
    exe_dir = _executable_dir()
    if (exe_dir / PORTABLE_MARKER).exists():
        return AppPaths(exe_dir / "data")
    from platformdirs import user_data_path

    return AppPaths(user_data_path("Daryn", appauthor=False, roaming=False))


def default_db_path(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The database a command uses when ``--db`` is not given: ``DARYN_DB`` or the data folder's."""
    env = os.environ.get(DB_ENV)
    if env and not data_dir:
        return Path(env).expanduser()
    return app_paths(data_dir).default_db
