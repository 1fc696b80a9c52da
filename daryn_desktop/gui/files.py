"""Choosing files and folders where a coordinator looks for them, and opening what was saved.

File dialogs start on a USB stick when one is plugged in and the file is meant to travel
(key cards, bundles, backups), otherwise in the Documents folder, and afterwards where the
person last chose something in this session. After a document, a card or a backup is
written, the message offers to open the file or the folder that holds it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from daryn_desktop.i18n import _

#: The folder chosen last in this session (dialogs return there).
_last_folder: Path | None = None


def documents_folder() -> Path:
    """The person's Documents folder (their home folder if the system has none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def start_folder(*, prefer_stick: bool = False) -> Path:
    """Where a file dialog opens: the last folder chosen, else a stick, else Documents."""
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    if prefer_stick:
        from daryn_desktop.sync.transport import removable_drives  # not needed before

        drives = removable_drives()
        if drives:
            return drives[0]
    return documents_folder()


def _remember(path: Path) -> None:
    global _last_folder
    _last_folder = path if path.is_dir() else path.parent


def save_file(parent: QWidget | None, title: str, name: str, filters: str, *,
              prefer_stick: bool = False) -> Path | None:
    """Ask where to save a file suggested as ``name``; None when the person cancels."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, title, str(start_folder(prefer_stick=prefer_stick) / name), filters)
    if not chosen:
        return None
    path = Path(chosen)
    _remember(path)
    return path


def open_file(parent: QWidget | None, title: str, filters: str, *,
              prefer_stick: bool = False) -> Path | None:
    """Ask for an existing file; None when the person cancels."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, title, str(start_folder(prefer_stick=prefer_stick)), filters)
    if not chosen:
        return None
    path = Path(chosen)
    _remember(path)
    return path


def open_files(parent: QWidget | None, title: str, filters: str, *,
               prefer_stick: bool = False) -> list[Path]:
    """Ask for one or more existing files; empty when the person cancels."""
    chosen, _filter = QFileDialog.getOpenFileNames(
        parent, title, str(start_folder(prefer_stick=prefer_stick)), filters)
    paths = [Path(p) for p in chosen]
    if paths:
        _remember(paths[0])
    return paths


def choose_folder(parent: QWidget | None, title: str, *, prefer_stick: bool = True,
                  start: Path | None = None) -> Path | None:
    """Ask for a folder (a stick by default); None when the person cancels."""
    chosen = QFileDialog.getExistingDirectory(
        parent, title, str(start or start_folder(prefer_stick=prefer_stick)))
    if not chosen:
        return None
    path = Path(chosen)
    _remember(path)
    return path


def open_in_system(path: Path) -> bool:
    """Open a file or folder with the system's program for it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def offer_to_open(parent: QWidget | None, title: str, message: str, path: Path) -> None:
    """Say what was written where, with *Open the file* (for a file) and *Open the folder*."""
    box = QMessageBox(QMessageBox.Icon.Information, title, message,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("savedBox")
    open_file_button = None
    if path.is_file():
        open_file_button = box.addButton(_("Open the file"), QMessageBox.ButtonRole.ActionRole)
        open_file_button.setObjectName("savedOpenFile")
    open_folder = box.addButton(_("Open the folder"), QMessageBox.ButtonRole.ActionRole)
    open_folder.setObjectName("savedOpenFolder")
    close = box.addButton(QMessageBox.StandardButton.Close)
    close.setObjectName("savedClose")
    box.setDefaultButton(close)
    box.setEscapeButton(close)
    box.exec()
    clicked = box.clickedButton()
    if clicked is not None and clicked is open_file_button:
        open_in_system(path)
    elif clicked is open_folder:
        open_in_system(path if path.is_dir() else path.parent)
