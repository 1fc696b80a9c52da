"""The build's parts that can be checked here: spec, resources, version resource, icons,
Linux desktop integration, the Windows installer script and workflow, bundle files passed on.

The build itself (``installer/build --check``: PyInstaller, then the built program's own
self-tests) takes about a minute, so it runs in ``.ci/run`` rather than here.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from daryn_desktop import __version__
from installer import bundle_resources
from installer.make_version_info import project_version, version_tuple

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


# -- PyInstaller spec and what it carries -----------------------------------------------------
def test_spec_builds_two_executables_into_one_folder_from_the_launchers():
    text = (INSTALLER / "daryn.spec").read_text(encoding="utf-8")
    compile(text, "daryn.spec", "exec")  # valid Python
    assert text.count("Analysis(") == 2 and text.count("COLLECT(") == 1
    assert '"daryn-desktop", console=False' in text and '"daryn", console=True' in text
    for launcher in ("launch_gui.py", "launch_cli.py"):
        assert launcher in text and (INSTALLER / launcher).is_file()
    assert "collect_submodules(\"daryn_desktop\")" in text  # sections are imported by name
    assert "datas(Path(workpath))" in text and "project_version()" in text


def test_the_build_carries_fonts_with_licence_kato_icons_and_no_sources():
    files = {p.relative_to(ROOT).as_posix() for p in bundle_resources.resource_files()}
    assert {"resources/fonts/DejaVuSans.ttf", "resources/fonts/LICENSE-DejaVu.txt",
            "resources/kato/kato.tsv.gz", "resources/icons/daryn.ico",
            "resources/icons/daryn-bundle.ico", "resources/icons/daryn-16.png"} <= files
    assert not [f for f in files if f.endswith((".po", ".pot", ".svg"))]
    # The guide (F1) with its pictures, in every language.
    assert {f"resources/guide/{lang}/index.html" for lang in ("kk", "ru", "en")} <= files
    assert "resources/guide/images/kk-road-map.png" in files


def test_catalogues_are_compiled_into_the_build_folder_and_translate(tmp_path):
    entries = bundle_resources.datas(tmp_path)
    mo_entries = [(src, dest) for src, dest in entries if src.endswith(".mo")]
    assert sorted(dest for _src, dest in mo_entries) == [
        f"resources/translations/{lang}/LC_MESSAGES" for lang in ("en", "kk", "ru")]
    for src, _dest in mo_entries:
        assert Path(src).is_relative_to(tmp_path)  # never into the source tree
    kk = next(src for src, dest in mo_entries if "/kk/" in dest)
    with open(kk, "rb") as fh:
        assert gettext.GNUTranslations(fh).gettext("Error: {message}") == "Қате: {message}"


@pytest.mark.parametrize("dest, kept", [
    ("PySide6/Qt/translations/qtbase_kk.qm", True),
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6/Qt/translations/qt_help_ru.qm", False),
    ("PySide6\\translations\\qtbase_ru.qm", True),  # the Windows wheel's layout
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6\\plugins\\platforms\\qwindows.dll", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-egldevice-integration.so", False),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
    ("PySide6/Qt/plugins/imageformats/libqicns.so", False),
    ("PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6", False),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
    ("resources/fonts/DejaVuSans.ttf", True),
    ("libpython3.11.so.1.0", True),
])
def test_only_unused_qt_files_are_pruned(dest, kept):
    assert bundle_resources.keep_in_build(dest) is kept


# -- version -----------------------------------------------------------------------------------
def test_the_version_comes_from_the_one_version_source():
    assert project_version() == __version__


@pytest.mark.parametrize("version, numbers", [
    ("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("1.2.3.4", (1, 2, 3, 4)),
    ("1.2.0rc1", (1, 2, 0, 0)), ("2.0.1.dev3", (2, 0, 1, 0)), ("1.0+local", (1, 0, 0, 0)),
])
def test_windows_version_numbers(version, numbers):
    assert version_tuple(version) == numbers


def test_a_version_windows_cannot_hold_is_refused():
    with pytest.raises(ValueError):
        version_tuple("70000.1")
    with pytest.raises(ValueError):
        version_tuple("beta")


def test_the_windows_version_resource_names_the_file_and_the_version(monkeypatch):
    # PyInstaller's versioninfo module refuses to load off Windows only for want of win32api,
    # which building the resource does not use.
    import PyInstaller.compat

    monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    from installer.make_version_info import version_info

    info = version_info("0.1.0", filename="daryn-desktop.exe", description="Daryn Desktop")
    raw = info.toRaw()
    for text in ("0.1.0", "daryn-desktop.exe", "Daryn Desktop", "ProductVersion"):
        assert text.encode("utf-16-le") in raw
    assert info.ffi.fileVersionMS == (0 << 16) | 1
    assert "VSVersionInfo(" in str(info)  # the text form PyInstaller also reads


# -- icons ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["daryn", "daryn-bundle"])
def test_every_icon_is_rendered_in_every_size_and_in_its_ico(name):
    from PIL import Image

    from daryn_desktop.gui.icons import ICON_SIZES

    assert ICON_SIZES == SIZES
    assert (ICONS / f"{name}.svg").is_file()
    for size in SIZES:
        with Image.open(ICONS / f"{name}-{size}.png") as image:
            assert image.size == (size, size) and image.mode == "RGBA"
            assert image.getextrema()[3][1] == 255  # something is drawn, opaque somewhere
    with Image.open(ICONS / f"{name}.ico") as ico:
        assert sorted(ico.info["sizes"]) == [(s, s) for s in SIZES]


def test_render_icons_draws_the_svgs_into_pngs_and_icos(tmp_path):
    import sys

    from PIL import Image

    # Its own process: the tool makes a QGuiApplication, which must not outlive it here
    # (the GUI tests need a QApplication).
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "render_icons.py"), "--out",
                             str(tmp_path)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    written = result.stdout.split()
    assert len(written) == 2 * (len(SIZES) + 1)
    with Image.open(tmp_path / "daryn-16.png") as small:
        # 16 px comes from the simplified drawing: mostly opaque (a full tile), not a blur.
        opaque = sum(small.getchannel("A").histogram()[201:])
        assert opaque > 0.7 * 16 * 16
    with Image.open(io.BytesIO((tmp_path / "daryn-bundle.ico").read_bytes())) as ico:
        assert len(ico.info["sizes"]) == len(SIZES)


# -- Linux ---------------------------------------------------------------------------------
def test_desktop_entry_and_file_type_match_the_bundle_format():
    from daryn_desktop.sync.bundle import MAGIC, SUFFIX

    entry = (INSTALLER / "linux" / "daryn-desktop.desktop").read_text(encoding="utf-8")
    mime = (INSTALLER / "linux" / "daryn-bundle.xml").read_text(encoding="utf-8")
    assert "\nExec=daryn-desktop --import %F\n" in entry  # the install script rewrites it
    assert "MimeType=application/x-daryn-bundle;" in entry
    assert 'type="application/x-daryn-bundle"' in mime
    assert f'<glob pattern="*{SUFFIX}"/>' in mime
    assert MAGIC.decode().startswith(re.search(r'value="(\w+)"', mime).group(1))


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_desktop_integration_script_installs_and_removes_for_this_user_only(tmp_path):
    program = tmp_path / "daryn-desktop-0.1.0"
    shutil.copytree(ICONS, program / "_internal" / "resources" / "icons")
    for extra in ("daryn-desktop.desktop", "daryn-bundle.xml", "install-desktop-entry.sh"):
        shutil.copy2(INSTALLER / "linux" / extra, program / extra)
    data = tmp_path / "share"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(data)}
    subprocess.run(["sh", str(program / "install-desktop-entry.sh")], env=env, check=True,
                   capture_output=True)
    entry = (data / "applications" / "daryn-desktop.desktop").read_text(encoding="utf-8")
    assert f'Exec="{program}/daryn-desktop" --import %F' in entry
    assert (data / "icons/hicolor/16x16/apps/daryn-desktop.png").is_file()
    assert (data / "icons/hicolor/256x256/mimetypes/application-x-daryn-bundle.png").is_file()
    assert (data / "mime/packages/daryn-bundle.xml").is_file()
    subprocess.run(["sh", str(program / "install-desktop-entry.sh"), "--remove"], env=env,
                   check=True, capture_output=True)
    assert not (data / "applications" / "daryn-desktop.desktop").exists()
    assert not list(data.glob("icons/hicolor/*/apps/daryn-desktop.png"))


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_build_scripts_are_valid_shell():
    subprocess.run(["bash", "-n", str(INSTALLER / "build")], check=True)
    subprocess.run(["sh", "-n", str(INSTALLER / "linux" / "install-desktop-entry.sh")],
                   check=True)


def test_the_linux_archive_holds_the_program_desktop_entry_icon_and_script(tmp_path,
                                                                          monkeypatch):
    import tarfile

    from installer import build_dist

    folder = tmp_path / "dist" / "daryn-desktop"
    (folder / "_internal").mkdir(parents=True)
    (folder / "daryn-desktop").write_bytes(b"\x7fELF")
    (folder / "daryn-desktop").chmod(0o755)
    archive = build_dist.package_linux(folder, "0.1.0", tmp_path / "dist")
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        script = tar.getmember("daryn-desktop-0.1.0/install-desktop-entry.sh")
        assert script.mode & 0o111 and tar.getmember("daryn-desktop-0.1.0/daryn-desktop").uid == 0
    assert {"daryn-desktop-0.1.0/daryn-desktop", "daryn-desktop-0.1.0/daryn-desktop.desktop",
            "daryn-desktop-0.1.0/daryn-desktop.png", "daryn-desktop-0.1.0/daryn-bundle.xml",
            } <= names
    assert [p.name for p in (tmp_path / "dist").iterdir() if p.is_file()] == [archive.name]


def test_the_portable_zip_carries_the_marker(tmp_path):
    import zipfile

    from daryn_desktop.paths import PORTABLE_MARKER
    from installer import build_dist

    folder = tmp_path / "daryn-desktop"
    (folder / "_internal").mkdir(parents=True)
    (folder / "daryn-desktop.exe").write_bytes(b"MZ")
    archive = build_dist.package_portable_zip(folder, "0.1.0", tmp_path)
    with zipfile.ZipFile(archive) as zf:
        assert set(zf.namelist()) == {"daryn-desktop-0.1.0/daryn-desktop.exe",
                                      f"daryn-desktop-0.1.0/{PORTABLE_MARKER}"}


# -- Windows ---------------------------------------------------------------------------------
def _iss() -> str:
    return (INSTALLER / "daryn.iss").read_text(encoding="utf-8")


def test_setup_is_per_user_without_admin_and_opens_bundles_with_import():
    from daryn_desktop.sync.bundle import SUFFIX

    iss = _iss()
    assert "PrivilegesRequired=lowest" in iss
    assert r"DefaultDirName={localappdata}\Programs\{#AppName}" in iss
    assert f'#define BundleExt "{SUFFIX}"' in iss
    assert '"""{app}\\{#AppExe}"" --import ""%1"""' in iss
    assert "{autoprograms}" in iss
    assert "#define AppExe \"daryn-desktop.exe\"" in iss
    # The data folder the uninstaller asks about is the program's (platformdirs, "Daryn").
    assert r'#define DataDir "{localappdata}\Daryn"' in iss
    paths_source = (ROOT / "daryn_desktop" / "paths.py").read_text(encoding="utf-8")
    assert 'user_data_path("Daryn", appauthor=False, roaming=False)' in paths_source


def test_every_custom_message_exists_in_every_setup_language():
    iss = _iss()
    languages = re.findall(r'^Name: "(\w+)"; MessagesFile: "([^"]+)"', iss, re.MULTILINE)
    assert [name for name, _file in languages] == ["kk", "ru", "en"]
    kazakh = (INSTALLER / "languages" / "Kazakh.isl").read_text(encoding="utf-8-sig")
    used = set(re.findall(r"\{cm:(\w+)", iss)) | set(re.findall(r"CustomMessage\('(\w+)'\)",
                                                                  iss))
    standard = {"CreateDesktopIcon", "AdditionalIcons", "LaunchProgram"}
    for message in used - standard:
        values = {lang: re.search(rf"^{lang}\.{message}=(.*)$", iss, re.MULTILINE)
                  for lang in ("kk", "ru", "en")}
        assert all(values.values()), message
        placeholders = {lang: sorted(re.findall(r"%\d", v.group(1))) for lang, v in
                        values.items()}
        assert len({tuple(p) for p in placeholders.values()}) == 1, message
    for message in standard:
        assert re.search(rf"^{message}=", kazakh, re.MULTILINE), message


def test_kazakh_setup_messages_are_a_unicode_language_file():
    raw = (INSTALLER / "languages" / "Kazakh.isl").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Inno Setup 6 reads it as such
    text = raw.decode("utf-8-sig")
    assert "LanguageID=$043F" in text and "LanguageName=Қазақ тілі" in text
    names = re.findall(r"^(\w+)=", text, re.MULTILINE)
    assert len(names) == len(set(names)), "a message is defined twice"
    for key in ("ButtonNext", "ButtonInstall", "WizardSelectDir", "FinishedHeadingLabel",
                "ConfirmUninstall", "UninstalledAll", "SelectLanguageLabel"):
        assert key in names
    # Wizard placeholders must survive translation.
    assert "[name]" in re.search(r"^WelcomeLabel1=(.*)$", text, re.MULTILINE).group(1)
    assert "[name/ver]" in re.search(r"^WelcomeLabel2=(.*)$", text, re.MULTILINE).group(1)
    assert "%1" in re.search(r"^ConfirmUninstall=(.*)$", text, re.MULTILINE).group(1)


def test_workflow_builds_checks_packs_and_uploads_with_the_version_source():
    workflow = (ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8")
    assert "runs-on: windows-" in workflow
    assert "daryn_desktop.__version__" in workflow
    assert "python installer/build_dist.py --check" in workflow
    assert '"/DAppVersion=${{ steps.version.outputs.version }}" installer\\daryn.iss' in workflow
    assert "-setup.exe" in workflow and "-windows-portable.zip" in workflow
    assert workflow.count("actions/upload-artifact@") == 2


# -- bundle files passed to the application ------------------------------------------------------
def test_the_application_takes_bundle_files_and_hands_them_to_the_sync_section(tmp_path):
    from daryn_desktop.gui.app import parse_args, pass_on_imports

    args = parse_args(["--import", "a.dsb", str(tmp_path / "b.dsb")])
    assert args.import_files == ["a.dsb", str(tmp_path / "b.dsb")]
    assert parse_args(["--import"]).import_files == []  # "--import %F" with no file
    assert parse_args([]).import_files == []

    received = []

    class SyncPage:
        def import_files(self, paths):
            received.append(paths)

    class Window:
        def show_section(self, key):
            assert key == "sync"
            return SyncPage()

    pass_on_imports(Window(), args.import_files)
    assert received == [[Path("a.dsb").resolve(), tmp_path / "b.dsb"]]
