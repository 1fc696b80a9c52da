"""The Windows version resource (Properties → Details) of both executables, from the version.

The one version source is ``daryn_desktop.__version__``; the spec calls :func:`version_info`
for each executable. Run alone (on Windows, where PyInstaller's ``versioninfo`` module
loads), it writes the resource as text for a look::

    python installer/make_version_info.py --out build/version_info.txt
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PyInstaller.utils.win32.versioninfo import VSVersionInfo

ROOT = Path(__file__).resolve().parent.parent
COMPANY = "Daryn Desktop team"
COPYRIGHT = "© Daryn Desktop team"
#: US English, Unicode: the string table Windows Explorer shows.
LANGUAGE, CODEPAGE = 0x0409, 1200
#: FixedFileInfo constants: VOS_NT_WINDOWS32 and VFT_APP.
VOS_NT_WINDOWS32, VFT_APP = 0x40004, 0x1


def project_version() -> str:
    """``daryn_desktop.__version__`` of this source tree (the package itself imports nothing)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from daryn_desktop import __version__

    return __version__


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """Four numbers for Windows: ``0.1.0`` → (0, 1, 0, 0); ``1.2.0rc1`` → (1, 2, 0, 0)."""
    match = re.match(r"^\d+(\.\d+)*", version)
    if not match:
        raise ValueError(f"not a version: {version!r}")
    numbers = [int(n) for n in match.group(0).split(".")][:4]
    if any(n > 0xFFFF for n in numbers):
        raise ValueError(f"version parts must be below 65536: {version!r}")
    return tuple(numbers + [0] * (4 - len(numbers)))  # type: ignore[return-value]


def version_info(version: str, *, filename: str, description: str) -> VSVersionInfo:
    """The version resource of one executable (``filename`` as in ``daryn-desktop.exe``).

    PyInstaller's ``versioninfo`` module loads only on Windows (where the resource is used).
    """
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    numbers = version_tuple(version)
    table = StringTable(f"{LANGUAGE:04X}{CODEPAGE:04X}", [
        StringStruct("CompanyName", COMPANY),
        StringStruct("FileDescription", description),
        StringStruct("FileVersion", version),
        StringStruct("InternalName", filename.removesuffix(".exe")),
        StringStruct("LegalCopyright", COPYRIGHT),
        StringStruct("OriginalFilename", filename),
        StringStruct("ProductName", "Daryn Desktop"),
        StringStruct("ProductVersion", version),
    ])
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers, mask=0x3F, flags=0x0,
                          OS=VOS_NT_WINDOWS32, fileType=VFT_APP, subtype=0x0, date=(0, 0)),
        kids=[StringFileInfo([table]), VarFileInfo([VarStruct("Translation", [LANGUAGE,
                                                                              CODEPAGE])])])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--filename", default="daryn-desktop.exe")
    parser.add_argument("--description", default="Daryn Desktop")
    args = parser.parse_args(argv)
    info = version_info(project_version(), filename=args.filename,
                        description=args.description)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(str(info), encoding="utf-8")
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
