"""What the build carries besides code: the ``resources/`` files, with catalogues compiled.

Everything lands under ``resources/`` inside the build's ``_internal`` folder, where
``daryn_desktop.paths.resource_path`` finds it through ``sys._MEIPASS``. Translations are
shipped as compiled ``.mo`` files only (compiled here, into the build folder, never into the
source tree): the program then needs no ``.po`` parser (Babel) at run time.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
LANGUAGES = ("kk", "ru", "en")
DOMAIN = "daryn"
#: Files of ``resources/`` the program reads, by folder (glob patterns); licences included.
SHIPPED = {
    "fonts": ("*.ttf", "LICENSE*", "README.md"),
    "kato": ("*.tsv.gz",),
    "icons": ("*.png", "*.ico"),
    "guide": ("*/index.html", "images/*.png"),
}


def compile_catalogues(out: Path) -> list[Path]:
    """Compile each language's ``.po`` into ``out/<lang>/LC_MESSAGES/daryn.mo``."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for lang in LANGUAGES:
        po = RESOURCES / "translations" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        with open(po, "rb") as fh:
            catalog = read_po(fh, locale=lang)
        mo = out / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        with open(mo, "wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def resource_files() -> list[Path]:
    """The files of ``resources/`` that go into the build (not the .po/.pot sources)."""
    files: list[Path] = []
    for folder, patterns in SHIPPED.items():
        for pattern in patterns:
            files.extend(sorted((RESOURCES / folder).glob(pattern)))
    return files


def datas(build_dir: Path) -> list[tuple[str, str]]:
    """PyInstaller ``datas`` entries (source file, destination folder) for every resource."""
    entries = [(str(f), str(f.parent.relative_to(ROOT))) for f in resource_files()]
    for mo in compile_catalogues(build_dir / "translations"):
        lang_folder = mo.parent.relative_to(build_dir / "translations")
        entries.append((str(mo), str(Path("resources") / "translations" / lang_folder)))
    return entries


#: Qt's own translations the program installs (``gui/app.py``): the rest of Qt's 99 are cut.
QT_TRANSLATIONS = {f"qtbase_{lang}.qm" for lang in LANGUAGES}
#: Qt plugins for embedded boards and remote displays (framebuffer, EGLFS, VNC, evdev),
#: and image formats of other systems: PySide6's hook collects them, no desktop needs them.
UNUSED_QT_PLUGINS = {
    "egldeviceintegrations": None,  # the whole folder
    "generic": None,
    "platforms": ("eglfs", "linuxfb", "vnc", "vkkhrdisplay", "minimalegl"),
    "imageformats": ("icns", "tga", "wbmp"),
    # QtNetwork's: the program uses only its local socket (no TLS, no network state).
    "tls": None,
    "networkinformation": None,
}
UNUSED_QT_LIBRARIES = ("Qt6EglFSDeviceIntegration", "Qt6EglFsKmsSupport")


def keep_in_build(dest: str) -> bool:
    """False for a file PyInstaller collected that the program never loads (by build path)."""
    parts = Path(dest.replace("\\", "/")).parts
    if not parts or parts[0] != "PySide6":
        return True
    name = parts[-1]
    if "translations" in parts:
        return name in QT_TRANSLATIONS
    if "plugins" in parts:
        folder = parts[parts.index("plugins") + 1] if len(parts) > parts.index("plugins") + 2 \
            else ""
        if folder in UNUSED_QT_PLUGINS:
            kinds = UNUSED_QT_PLUGINS[folder]
            return kinds is not None and not any(f"q{kind}" in name for kind in kinds)
    return not any(lib in name for lib in UNUSED_QT_LIBRARIES)


def prune(toc: list[tuple]) -> list[tuple]:
    """A PyInstaller TOC (binaries or datas) without what :func:`keep_in_build` refuses."""
    return [entry for entry in toc if keep_in_build(entry[0])]
