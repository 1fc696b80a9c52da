"""Editors for the activity table: a list of choices for enumerations, dates typed as dd.mm.yyyy."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from daryn_desktop.i18n import _

EDIT = Qt.ItemDataRole.EditRole
#: The index types Qt hands a delegate.
Index = QModelIndex | QPersistentModelIndex


class _ComboDelegate(QStyledItemDelegate):
    """A drop-down whose items carry the values written to the model."""

    def choices(self) -> list[tuple[str, object]]:
        raise NotImplementedError

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: Index) -> QWidget:
        box = QComboBox(parent)
        for text, value in self.choices():
            box.addItem(text, value)
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            value = index.data(EDIT)
            editor.setCurrentIndex(max(editor.findData(self.data_of(value)), 0))

    def data_of(self, value: object) -> object:
        """The item data that stands for the model's ``value``."""
        return value

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802
                     index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), EDIT)


class EnumDelegate(_ComboDelegate):
    """A drop-down of an enumeration's members, shown by their translated labels."""

    def __init__(self, enum: type[Enum], parent: QObject | None = None):
        super().__init__(parent)
        self.enum = enum

    def choices(self) -> list[tuple[str, object]]:
        return [(getattr(member, "label", member.name), member.value) for member in self.enum]

    def data_of(self, value: object) -> object:
        return getattr(value, "value", value)


class QuarterDelegate(_ComboDelegate):
    """No quarter, or I–IV."""

    def choices(self) -> list[tuple[str, object]]:
        return [("—", 0), ("I", 1), ("II", 2), ("III", 3), ("IV", 4)]

    def data_of(self, value: object) -> object:
        return value or 0


class DateDelegate(QStyledItemDelegate):
    """A date typed as dd.mm.yyyy; an empty text clears it, anything else is refused."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: Index) -> QWidget:
        edit = QLineEdit(parent)
        edit.setPlaceholderText(_("dd.mm.yyyy"))
        edit.setInputMask("")
        return edit

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QLineEdit):
            editor.setText(index.data(EDIT) or "")

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802
                     index: Index) -> None:
        if isinstance(editor, QLineEdit) and not model.setData(index, editor.text(), EDIT):
            editor.setToolTip(_("Write the date as dd.mm.yyyy, for example 01.09.2025."))
