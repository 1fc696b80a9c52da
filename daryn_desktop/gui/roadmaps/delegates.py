"""Editors for the activity table: a list of choices for enumerations, dates typed as dd.mm.yyyy."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate, QWidget

from daryn_desktop.i18n import _

EDIT = Qt.ItemDataRole.EditRole


class EnumDelegate(QStyledItemDelegate):
    """A drop-down of an enumeration's members, shown by their translated labels."""

    def __init__(self, enum: type, parent=None):
        super().__init__(parent)
        self.enum = enum

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802
        box = QComboBox(parent)
        for member in self.enum:
            box.addItem(member.label, member.value)
        return box

    def setEditorData(self, editor: QComboBox, index: QModelIndex) -> None:  # noqa: N802
        value = index.data(EDIT)
        found = editor.findData(getattr(value, "value", value))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QComboBox, model: QAbstractItemModel,  # noqa: N802
                     index: QModelIndex) -> None:
        model.setData(index, editor.currentData(), EDIT)


class QuarterDelegate(QStyledItemDelegate):
    """No quarter, or I–IV."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802
        box = QComboBox(parent)
        box.addItem("—", 0)
        for number, roman in ((1, "I"), (2, "II"), (3, "III"), (4, "IV")):
            box.addItem(roman, number)
        return box

    def setEditorData(self, editor: QComboBox, index: QModelIndex) -> None:  # noqa: N802
        editor.setCurrentIndex(max(editor.findData(index.data(EDIT) or 0), 0))

    def setModelData(self, editor: QComboBox, model: QAbstractItemModel,  # noqa: N802
                     index: QModelIndex) -> None:
        model.setData(index, editor.currentData(), EDIT)


class DateDelegate(QStyledItemDelegate):
    """A date typed as dd.mm.yyyy; an empty text clears it, anything else is refused."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802
        edit = QLineEdit(parent)
        edit.setPlaceholderText(_("dd.mm.yyyy"))
        edit.setInputMask("")
        return edit

    def setEditorData(self, editor: QLineEdit, index: QModelIndex) -> None:  # noqa: N802
        editor.setText(index.data(EDIT) or "")

    def setModelData(self, editor: QLineEdit, model: QAbstractItemModel,  # noqa: N802
                     index: QModelIndex) -> None:
        if not model.setData(index, editor.text(), EDIT):
            editor.setToolTip(_("Write the date as dd.mm.yyyy, for example 01.09.2025."))
