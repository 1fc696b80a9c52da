#!/usr/bin/env python3
"""Set everything up and run Daryn Desktop or its tests — one command each.

    python3 dev.py app     # installs what is missing, then starts the application (demo database)
    python3 dev.py test    # installs what is missing, then runs every test headless

On Windows use ``py dev.py app`` / ``py dev.py test``. Extra arguments are passed on
(``python3 dev.py app --lang ru``, ``python3 dev.py test -k search``).

The script creates ``.venv`` beside itself, installs the project into it (again only when
``pyproject.toml`` changes), and on Debian/Ubuntu checks the system libraries Qt needs:
as root it installs them with apt-get, otherwise it prints the exact command to run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".daryn-installed"
WINDOWS = os.name == "nt"

# Debian package -> a library file it provides (what Qt's xcb/offscreen plugins load).
QT_RUNTIME = {
    "libglib2.0-0": "libglib-2.0.so.0", "libgl1": "libGL.so.1", "libegl1": "libEGL.so.1",
    "libx11-6": "libX11.so.6", "libdbus-1-3": "libdbus-1.so.3",
    "libfontconfig1": "libfontconfig.so.1", "libfreetype6": "libfreetype.so.6",
    "libxkbcommon0": "libxkbcommon.so.0",
}
QT_WINDOW = {
    "libxcb-cursor0": "libxcb-cursor.so.0", "libxcb-icccm4": "libxcb-icccm.so.4",
    "libxcb-image0": "libxcb-image.so.0", "libxcb-keysyms1": "libxcb-keysyms.so.1",
    "libxcb-render-util0": "libxcb-render-util.so.0", "libxcb-shape0": "libxcb-shape.so.0",
    "libxkbcommon-x11-0": "libxkbcommon-x11.so.0",
}


def say(text: str) -> None:
    print(f"[dev] {text}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")


def _missing_libraries(wanted: dict[str, str]) -> list[str]:
    try:
        known = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    except OSError:
        return []  # not a glibc Linux we can inspect; let Qt speak for itself
    return [pkg for pkg, lib in wanted.items() if lib not in known]


def _apt_install(packages: list[str], why: str) -> None:
    command = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        say(f"installing {why}: {' '.join(packages)}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        return
    say(f"{why} are missing. Install them with:")
    say("    sudo apt-get install -y " + " ".join(packages))
    sys.exit(1)


def ensure_system_libraries(*, window: bool) -> None:
    if not sys.platform.startswith("linux"):
        return
    wanted = dict(QT_RUNTIME)
    if window:
        wanted.update(QT_WINDOW)
    missing = _missing_libraries(wanted)
    if missing:
        _apt_install(missing, "libraries Qt needs")


def ensure_venv() -> None:
    if venv_python().exists():
        return
    say(f"creating {VENV.name}")
    try:
        venv.EnvBuilder(with_pip=True).create(VENV)
    except Exception:
        # Debian/Ubuntu ship venv's pip bootstrap separately (python3-venv).
        shutil.rmtree(VENV, ignore_errors=True)
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        _apt_install([f"{version}-venv"], "Python's venv module")
        venv.EnvBuilder(with_pip=True).create(VENV)


def ensure_installed() -> None:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    say("installing Daryn Desktop and its dependencies into .venv (first run takes a while)")
    pip = [str(venv_python()), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(digest)


def setup(*, window: bool) -> None:
    if sys.version_info < (3, 10):
        say("Python 3.10 or newer is needed.")
        sys.exit(1)
    ensure_system_libraries(window=window)
    ensure_venv()
    ensure_installed()


def run_app(extra: list[str]) -> int:
    has_display = WINDOWS or sys.platform == "darwin" or os.environ.get("DISPLAY") \
        or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    setup(window=True)
    if not has_display:
        say("no display found (DISPLAY is not set): run this on a desktop session.")
        return 1
    args = extra or ["--demo"]
    return subprocess.call([str(venv_python()), "-m", "daryn_desktop.gui.app", *args], cwd=ROOT)


def run_tests(extra: list[str]) -> int:
    setup(window=False)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.call([str(venv_python()), "-m", "pytest", *extra], cwd=ROOT, env=env)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("app", "test", "setup"):
        print(__doc__)
        return 2
    command, extra = sys.argv[1], sys.argv[2:]
    if command == "setup":
        setup(window=True)
        return 0
    return run_app(extra) if command == "app" else run_tests(extra)


if __name__ == "__main__":
    sys.exit(main())
