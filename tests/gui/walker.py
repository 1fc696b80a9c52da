"""Presses everything a person can press, as a person would, and notes what went wrong.

Used by ``test_walk.py``. The walker finds buttons and actions by itself (a new section, a
new dialog or a new button is walked without changing this file) and answers every dialog
as a careful person who changes their mind would: message boxes with No, Discard or Cancel;
other dialogs after pressing their own buttons, with Cancel; file dialogs opening nothing,
save dialogs with a path in a temporary folder. Besides an exception, a failure is a button
or menu item whose text ends with "…" (a promise to ask first) that asks nothing and yet
changes the database, or does nothing a person can see at all (the test also fails on a
crash log).

**How a dialog is answered.** Generically, as above. A dialog that needs something else is
named in :data:`ANSWERS` by its object name, with a function that answers it (it receives
the walker and the dialog, and must close the dialog).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QTabBar,
    QTabWidget,
    QWidget,
)

#: How each dialog that needs more than the generic answer is answered (by object name).
ANSWERS: dict[str, Callable[[Walker, QDialog], None]] = {
    # Pairing happens only after the fingerprints were compared by a person: never here.
    "compareFingerprints": lambda walker, dialog: dialog.reject(),
}
#: Buttons that close their window: pressed after all the others.
CLOSERS = {"closeButton", "guideClose", "savedClose", "closeSchools", "closeStaffList"}
#: Menu items the walk leaves alone (it would end the walk; languages have their own test).
SKIPPED_ACTIONS = {"fileQuit"}
_NO_ANSWERS = (QMessageBox.StandardButton.No, QMessageBox.StandardButton.Discard,
               QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Close,
               QMessageBox.StandardButton.Ok)
_CLOSING_ROLES = {QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.RejectRole,
                  QDialogButtonBox.ButtonRole.DestructiveRole, QDialogButtonBox.ButtonRole.YesRole,
                  QDialogButtonBox.ButtonRole.NoRole}
MAX_DEPTH = 3


def _label(widget: QAbstractButton | QAction) -> str:
    return widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def _box(button: QAbstractButton) -> QDialogButtonBox | None:
    parent = button.parent()
    return parent if isinstance(parent, QDialogButtonBox) else None


def _is_closer(button: QAbstractButton) -> bool:
    box = _box(button)
    return button.objectName() in CLOSERS or (
        box is not None and box.buttonRole(button) in _CLOSING_ROLES)


class Walker(QObject):
    """Walks windows, pages and dialogs; see the module's docstring."""

    def __init__(self, monkeypatch, tmp: Path, changes: Callable[[], int]):
        super().__init__()
        self.tmp = tmp
        self.changes = changes
        #: Questions asked (file dialogs, input, yes/no, our dialogs) and messages only shown.
        self.asked = 0
        self.told = 0
        self.pressed: list[str] = []
        self.dialogs: set[str] = set()
        self.failures: list[str] = []
        self.opened_urls: list[str] = []
        self._depth = 0
        self._walked_windows: set[str] = set()
        self._files = itertools.count(1)
        self._patch(monkeypatch)
        QApplication.instance().installEventFilter(self)

    def close(self) -> None:
        QApplication.instance().removeEventFilter(self)

    # -- the static dialogs ------------------------------------------------------------------
    def _patch(self, monkeypatch) -> None:
        from PySide6.QtGui import QDesktopServices
        from PySide6.QtWidgets import QFileDialog, QInputDialog

        def box_answer(_parent, _title, _text, buttons=None, *args, **kwargs):
            if buttons is None:
                return QMessageBox.StandardButton.Ok
            for answer in _NO_ANSWERS:
                if buttons & answer:
                    return answer
            return QMessageBox.StandardButton.NoButton

        def question(*args, **kwargs):
            self.asked += 1
            return box_answer(*args, **kwargs)

        def message(*args, **kwargs):
            self.told += 1
            return box_answer(*args, **kwargs)

        monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
        for name in ("warning", "information", "critical", "about"):
            monkeypatch.setattr(QMessageBox, name, staticmethod(message))

        def save_name(_parent, _title, suggested="", *_a, **_k):
            self.asked += 1
            folder = self.tmp / f"saved-{next(self._files)}"
            folder.mkdir(parents=True)
            return str(folder / (Path(suggested).name or "file")), ""

        def folder_name(*_a, **_k):
            self.asked += 1
            folder = self.tmp / f"folder-{next(self._files)}"
            folder.mkdir(parents=True)
            return str(folder)

        def nothing(*_a, **_k):
            self.asked += 1
            return "", ""

        def no_files(*_a, **_k):
            self.asked += 1
            return [], ""

        def cancelled(*_a, **_k):
            self.asked += 1
            return "", False

        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(folder_name))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(nothing))
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(no_files))
        for name in ("getItem", "getText", "getMultiLineText"):
            monkeypatch.setattr(QInputDialog, name, staticmethod(cancelled))
        monkeypatch.setattr(QDesktopServices, "openUrl",
                            staticmethod(lambda url: self.opened_urls.append(url.toString())
                                         or True))

    # -- dialogs run with exec() -------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Show:
            if isinstance(watched, QMenu):
                QTimer.singleShot(0, lambda menu=watched: shiboken6.isValid(menu)
                                  and menu.close())
            elif (isinstance(watched, QDialog) and not isinstance(watched, QProgressDialog)
                  and watched.windowModality() == Qt.WindowModality.ApplicationModal):
                QTimer.singleShot(0, lambda dialog=watched: self._answer(dialog))
        return False

    def _answer(self, dialog: QDialog) -> None:
        if not shiboken6.isValid(dialog) or not dialog.isVisible():
            return
        if isinstance(dialog, QMessageBox) and dialog.icon() != QMessageBox.Icon.Question:
            self.told += 1  # a message, with or without buttons to go on from it
        else:
            self.asked += 1
        name = dialog.objectName() or type(dialog).__name__
        self.dialogs.add(name)
        if isinstance(dialog, QMessageBox):
            self._answer_box(dialog)
        elif name in ANSWERS:
            ANSWERS[name](self, dialog)
        else:
            # Our own dialogs are walked (once each); Qt's (print, page set-up) are cancelled.
            ours = type(dialog).__module__.startswith("daryn_desktop")
            if ours and self._depth < MAX_DEPTH and name not in self._walked_windows:
                self._walked_windows.add(name)
                self.walk(dialog, closers=False)
            if shiboken6.isValid(dialog) and dialog.isVisible():
                self._cancel(dialog)

    def _answer_box(self, box: QMessageBox) -> None:
        for answer in _NO_ANSWERS:
            button = box.button(answer)
            if button is not None:
                button.click()
                return
        escape = box.escapeButton()
        if escape is not None:
            escape.click()
        else:
            box.reject()

    def _cancel(self, dialog: QDialog) -> None:
        for box in dialog.findChildren(QDialogButtonBox):
            for button in box.buttons():
                if box.buttonRole(button) == QDialogButtonBox.ButtonRole.RejectRole:
                    button.click()
                    if not dialog.isVisible():
                        return
        dialog.reject()

    # -- pressing ----------------------------------------------------------------------------
    def buttons(self, container: QWidget) -> list[QAbstractButton]:
        """The buttons a person sees in ``container`` (its own window), closers last."""
        found = [b for b in container.findChildren(QAbstractButton)
                 if b.window() is container.window() and b.isVisible()
                 and not isinstance(b.parent(), QTabBar)
                 and type(b).__name__ not in ("QTableCornerButton",)]
        return sorted(found, key=_is_closer)

    def walk(self, container: QWidget, *, closers: bool = True) -> None:
        """Press every enabled button of ``container`` once, tab by tab."""
        self._depth += 1
        done: set[int] = set()
        try:
            for tabs in container.findChildren(QTabWidget):
                if tabs.window() is not container.window():
                    continue
                for index in range(tabs.count()):
                    if not (shiboken6.isValid(tabs) and tabs.isVisible()):
                        break
                    tabs.setCurrentIndex(index)
                    self._press_all(container, done, closers=False)
            self._press_all(container, done, closers=closers)
        finally:
            self._depth -= 1

    def _press_all(self, container: QWidget, done: set[int], *, closers: bool) -> None:
        for button in self.buttons(container):
            if not shiboken6.isValid(container) or not container.isVisible():
                return
            if not shiboken6.isValid(button) or id(button) in done:
                continue
            if _is_closer(button) and not closers:
                continue
            if button.isVisible() and button.isEnabled():
                done.add(id(button))
                self.press(button)

    def press(self, target: QAbstractButton | QAction) -> None:
        """Press a button (a mouse click) or trigger a menu item, then walk what it opened."""
        text = _label(target)
        key = target.objectName() or text
        self.pressed.append(key)
        before_windows = {id(w) for w in self._windows()}
        asked, told, changes = self.asked, self.told, self.changes()
        if isinstance(target, QAction):
            target.trigger()
        else:
            QTest.mouseClick(target, Qt.MouseButton.LeftButton)
        QApplication.processEvents()
        if text.endswith("…") and self.asked == asked:
            if self.changes() != changes:
                self.failures.append(f"“{text}” ({key}) changed the database without asking")
            elif self.told == told:
                self.failures.append(f"“{text}” ({key}) did nothing a person could see")
        for window in self._windows():
            if id(window) in before_windows or not shiboken6.isValid(window):
                continue
            if isinstance(window, (QMenu, QProgressDialog)) or not isinstance(window, QWidget):
                continue
            self.walk_window(window)

    @staticmethod
    def _windows() -> list[QWidget]:
        """The visible top-level windows (left-overs of other tests already gone included)."""
        return [w for w in QApplication.topLevelWidgets()
                if shiboken6.isValid(w) and w.isVisible()]

    def walk_window(self, window: QWidget, *, again: bool = False) -> None:
        """A window opened without blocking (the pupil editor, the guide): walk and close.

        A window is walked once (``again`` walks it anyway: another pupil, say)."""
        name = window.objectName() or type(window).__name__
        self.dialogs.add(name)
        if self._depth < MAX_DEPTH and (again or name not in self._walked_windows):
            self._walked_windows.add(name)
            self.walk(window)
        if shiboken6.isValid(window) and window.isVisible():
            window.close()
            QApplication.processEvents()

    def trigger_menus(self, window) -> None:
        """Every item of the window's menus (except those in :data:`SKIPPED_ACTIONS`)."""
        for menu in window.menuBar().findChildren(QMenu):
            for action in menu.actions():
                if (action.isSeparator() or action.menu() is not None
                        or action.objectName() in SKIPPED_ACTIONS
                        or action.objectName().startswith("language_")
                        or not action.isEnabled()):
                    continue
                self.press(action)
