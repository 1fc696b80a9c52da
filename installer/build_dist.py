"""Build the one-folder program, check it, and pack it for people (``installer/build``).

    installer/build            # dist/daryn-desktop/ and its archive
    installer/build --check    # ... then the built program's own self-tests (CLI and window)
    installer/build --check-only   # only the self-tests of an existing build

Linux: ``dist/daryn-desktop-<version>-linux-<arch>.tar.gz`` — the folder with a ``.desktop``
file, the icon and ``install-desktop-entry.sh`` (menu entry and ``.dsb`` file type, no root).
Windows: ``dist/daryn-desktop-<version>-windows-portable.zip`` — the folder with the
``portable`` marker, for a USB stick; the setup program is made from the same folder by
Inno Setup (``installer/daryn.iss``, see ``.github/workflows/windows.yml``).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "daryn.spec"
NAME = "daryn-desktop"
WINDOWS = sys.platform == "win32"
EXE_SUFFIX = ".exe" if WINDOWS else ""
#: Files beside the program in the Linux archive (desktop integration).
LINUX_EXTRAS = ("daryn-desktop.desktop", "daryn-bundle.xml", "install-desktop-entry.sh")
#: The self-tests must finish "within a few seconds"; this is only a guard against a hang.
SELF_TEST_TIMEOUT_S = 120


def say(text: str) -> None:
    print(f"[build] {text}", flush=True)


def project_version() -> str:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from installer.make_version_info import project_version as version

    return version()


def folder_size(folder: Path) -> int:
    """Bytes on disk; PyInstaller links some libraries twice by symlink: counted once."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def run_pyinstaller(dist: Path, work: Path, *, clean: bool) -> Path:
    """The one-folder build ``dist/daryn-desktop`` from the spec."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    if clean:
        command.insert(3, "--clean")
    say("PyInstaller: " + " ".join(command[3:]))
    subprocess.run(command, check=True, cwd=ROOT)
    return dist / NAME


def check_layout(folder: Path) -> None:
    """Both executables and the resources are where the program looks for them."""
    internal = folder / "_internal" / "resources"
    wanted = [folder / f"{NAME}{EXE_SUFFIX}", folder / f"daryn{EXE_SUFFIX}",
              internal / "fonts" / "DejaVuSans.ttf", internal / "fonts" / "LICENSE-DejaVu.txt",
              internal / "kato" / "kato.tsv.gz", internal / "icons" / "daryn-256.png",
              internal / "icons" / "daryn.ico", internal / "icons" / "daryn-bundle.ico",
              *(internal / "translations" / lang / "LC_MESSAGES" / "daryn.mo"
                for lang in ("kk", "ru", "en"))]
    missing = [str(p.relative_to(folder)) for p in wanted if not p.is_file()]
    if missing:
        raise SystemExit(f"[build] the build lacks: {', '.join(missing)}")


def _tar_filter(info: tarfile.TarInfo) -> tarfile.TarInfo:
    # Nothing of the build machine's accounts in the archive.
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def package_linux(folder: Path, version: str, dist: Path) -> Path:
    """A tar.gz of the folder with the desktop entry, the icon and the integration script."""
    arch = platform.machine().lower() or "unknown"
    top = f"{NAME}-{version}"
    target = dist / f"{top}-linux-{arch}.tar.gz"
    with tempfile.TemporaryDirectory(dir=dist) as scratch:
        staged = Path(scratch) / top
        shutil.copytree(folder, staged, symlinks=True)
        for extra in LINUX_EXTRAS:
            shutil.copy2(INSTALLER / "linux" / extra, staged / extra)
        (staged / "install-desktop-entry.sh").chmod(0o755)
        shutil.copy2(ROOT / "resources" / "icons" / "daryn-256.png", staged / f"{NAME}.png")
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            tar.add(staged, arcname=top, filter=_tar_filter)
        os.replace(partial, target)
    return target


def package_portable_zip(folder: Path, version: str, dist: Path) -> Path:
    """A zip of the folder with the ``portable`` marker: data stays beside the program."""
    top = f"{NAME}-{version}"
    target = dist / f"{top}-windows-portable.zip"
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():  # (Windows builds have no symlinks; elsewhere they become copies)
                zf.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
        zf.writestr(f"{top}/portable", "This file keeps the program's data in the 'data'"
                    " folder beside it (portable mode). Delete it to use the user's folder.\n")
    os.replace(partial, target)
    return target


def self_check(folder: Path) -> bool:
    """Run ``daryn self-test`` and ``daryn-desktop --self-test`` of the build; True if both pass.

    They run with a scratch ``DARYN_HOME``: a self-test never writes to the data folder, and
    this way the build machine's own data is out of reach even if one did (it is checked).
    """
    ok = True
    with tempfile.TemporaryDirectory(prefix="daryn-build-check-") as scratch:
        env = {**os.environ, "DARYN_HOME": str(Path(scratch) / "home" / "Daryn"),
               "QT_QPA_PLATFORM": "offscreen"}
        env.pop("DARYN_DB", None)
        report = Path(scratch) / "window-self-test.txt"
        for label, command in (
                ("daryn self-test", [str(folder / f"daryn{EXE_SUFFIX}"), "self-test"]),
                ("daryn-desktop --self-test",
                 [str(folder / f"{NAME}{EXE_SUFFIX}"), "--self-test", str(report)])):
            say(label)
            begin = time.perf_counter()
            result = subprocess.run(command, env=env, timeout=SELF_TEST_TIMEOUT_S,
                                    capture_output=True, text=True, encoding="utf-8",
                                    errors="replace")
            seconds = time.perf_counter() - begin
            # A windowed program on Windows has no console: its lines are in the report.
            output = result.stdout or (report.read_text(encoding="utf-8")
                                       if report.exists() and "desktop" in label else "")
            print(output.rstrip())
            if result.returncode != 0:
                print(result.stderr.rstrip(), file=sys.stderr)
                ok = False
            say(f"{label}: exit code {result.returncode} in {seconds:.1f} s")
        home = Path(scratch) / "home"
        leftovers = list(home.rglob("*")) if home.exists() else []
        if leftovers:
            say(f"a self-test wrote into the data folder: {leftovers}")
            ok = False
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="run the built program's self-tests after building")
    parser.add_argument("--check-only", action="store_true",
                        help="only run the self-tests of the existing build")
    parser.add_argument("--no-archive", action="store_true", help="skip the tar.gz / zip")
    parser.add_argument("--clean", action="store_true", help="rebuild PyInstaller's cache")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    folder = dist / NAME
    version = project_version()
    if not args.check_only:
        begin = time.perf_counter()
        folder = run_pyinstaller(dist, args.work.resolve(), clean=args.clean)
        check_layout(folder)
        say(f"built {folder} ({folder_size(folder) / 2**20:.0f} MB) in "
            f"{time.perf_counter() - begin:.0f} s")
        if not args.no_archive:
            archive = (package_portable_zip if WINDOWS else package_linux)(folder, version, dist)
            say(f"packed {archive} ({archive.stat().st_size / 2**20:.0f} MB)")
    if args.check or args.check_only:
        check_layout(folder)
        if not self_check(folder):
            say("the self-test of the build FAILED")
            return 1
        say("the self-test of the build passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
