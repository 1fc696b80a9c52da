"""Real small and read-only file systems for tests of full and write-protected disks.

A tmpfs of a few megabytes is mounted in the test's folder (tests run as root, here and on
CI) and unmounted at the end, whatever happens. Where mounting is not possible (not root,
or a container without the right), the test is skipped with that reason. Being root, a
test cannot use file permissions to make something read-only: root writes anyway. A
read-only *mount* stops root too.
"""

from __future__ import annotations

import contextlib
import gc
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False)


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "4m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``folder`` (made if missing) for the block."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (tests run as root on CI)")
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder))
    if done.returncode != 0:
        pytest.skip(f"this machine cannot mount a tmpfs: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        gc.collect()  # connections that were not closed explicitly
        if _run("umount", str(folder)).returncode != 0:
            _run("umount", "-l", str(folder))  # still busy: detach it now, freed when idle


def set_read_only(folder: Path, read_only: bool = True) -> None:
    """Remount the small disk at ``folder`` read-only (or writable again)."""
    mode = "ro" if read_only else "rw"
    done = _run("mount", "-o", f"remount,{mode}", str(folder))
    assert done.returncode == 0, done.stderr


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the disk at ``folder`` until at most ``leave`` bytes are free."""
    filler = folder / "filler"
    with open(filler, "wb") as fh:
        block = b"\0" * 65536
        with contextlib.suppress(OSError):
            while True:
                free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
                if free <= leave:
                    break
                fh.write(block[: max(min(len(block), free - leave), 1)])
                fh.flush()
    return filler
