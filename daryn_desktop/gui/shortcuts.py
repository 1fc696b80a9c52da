"""The keyboard shortcuts, listed once: the Help window and the guide show this same list.

Keys that Qt defines per platform (Find, New, Save, Undo, Redo, Quit) are read from Qt, in
the order Qt gives them; the first is the one a button shows in its label, so the list and
the buttons always agree (Redo is Ctrl+Y on Windows and Ctrl+Shift+Z on Linux, with the
other one as a second key).
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.gui import sections
from daryn_desktop.i18n import N_, _

Key = QKeySequence.StandardKey | str

#: Keys beyond the sections' Ctrl+1 … Ctrl+N: (key or keys, what it does — a message id).
_KEYS: tuple[tuple[tuple[Key, ...], str], ...] = (
    (("F1",), N_("The guide")),
    (("Ctrl+F1",), N_("This list of keys")),
    ((QKeySequence.StandardKey.Find,), N_("Search pupils")),
    ((QKeySequence.StandardKey.New,), N_("New pupil")),
    (("Enter",), N_("Open the selected pupil (or the only one found)")),
    ((QKeySequence.StandardKey.Save,), N_("Save the pupil and the road map")),
    ((QKeySequence.StandardKey.Undo,), N_("Undo in the pupil editor")),
    ((QKeySequence.StandardKey.Redo,), N_("Redo in the pupil editor")),
    (("Ctrl+1 … Ctrl+7",), N_("Tabs of the pupil editor")),
    (("Esc",), N_("Close the editor or dialog")),
    (("Ctrl+Shift+S",), N_("Schools")),
    (("Ctrl+Shift+T",), N_("Teachers and specialists")),
    (("Ctrl+Shift+B",), N_("Back up the database")),
    (("Ctrl+Q",), N_("Quit")),
)


def key_texts(key: Key) -> list[str]:
    """A key as the keyboard shows it; a standard key gives each of its usual bindings
    (with Ctrl, or a function key), in Qt's order: the first is what buttons show."""
    if isinstance(key, str):
        return [key]
    native = QKeySequence.SequenceFormat.NativeText
    texts = [k.toString(native) for k in QKeySequence.keyBindings(key)]
    # Keys of special keyboards ("Undo", "Find") and rare chords are left out.
    usual = [t for t in texts if "Ctrl+" in t or (t[:1] == "F" and t[1:].isdigit())]
    return usual or texts[:1]


def shortcut_rows() -> list[tuple[str, str]]:
    """(keys, what they do) in the interface language, sections first."""
    rows = [(f"Ctrl+{number}", _(entry.title))
            for number, entry in enumerate(sections.SECTIONS, start=1)]
    for keys, what in _KEYS:
        texts = [text for key in keys for text in key_texts(key)]
        rows.append((_(" or ").join(texts), _(what)))
    return rows


class ShortcutsDialog(QDialog):
    """The keys in two aligned columns."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(_("Keyboard shortcuts"))
        rows = shortcut_rows()
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels([_("Keys"), _("What they do")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setShowGrid(False)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 560)
