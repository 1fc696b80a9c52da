"""The person's preferences, kept in the data folder's ``settings.json``: typed, never fatal."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from daryn_desktop.files import write_atomic
from daryn_desktop.i18n import LANGUAGES
from daryn_desktop.paths import AppPaths


@dataclass
class Settings:
    """What the program remembers between runs (nothing secret, nothing about children)."""

    #: The interface language ("kk", "ru" or "en"); None until the person chooses one.
    language: str | None = None
    #: The database opened last, so that the next start offers to unlock it.
    last_database: str | None = None
    #: The main window's geometry and state as Qt saves them (base64 text).
    window_geometry: str | None = None
    window_state: str | None = None

    @classmethod
    def from_dict(cls, data: Any) -> Settings:
        """Settings from parsed JSON; unknown keys and values of the wrong type are dropped."""
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known and (v is None or isinstance(v, str))}
        settings = cls(**values)
        if settings.language not in LANGUAGES:
            settings.language = None
        return settings


def load_settings(paths: AppPaths) -> Settings:
    """The saved settings; defaults when the file is missing or damaged (a bad file must
    never stop the program from starting — it is rewritten on the next save)."""
    try:
        text = paths.settings_file.read_text(encoding="utf-8")
        return Settings.from_dict(json.loads(text))
    except (OSError, ValueError):
        return Settings()


def save_settings(paths: AppPaths, settings: Settings) -> None:
    """Write the settings atomically, so that a crash never leaves half a file."""
    target: Path = paths.settings_file
    # Often the first thing written to the data folder: it is made owner-only (POSIX).
    write_atomic(target, json.dumps(asdict(settings), ensure_ascii=False, indent=2).encode())


def update_settings(paths: AppPaths, **changes: str | None) -> Settings:
    """Load, change some fields, save; returns the new settings."""
    settings = load_settings(paths)
    known = {f.name for f in fields(Settings)}
    unknown = set(changes) - known
    if unknown:
        raise KeyError(f"unknown settings {sorted(unknown)}")
    for name, value in changes.items():
        setattr(settings, name, value)
    save_settings(paths, settings)
    return settings
