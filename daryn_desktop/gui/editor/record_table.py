"""An editable table of one of a pupil's lists (guardians, categories, achievements …).

Every change goes through the editor's ``edit()`` so that it can be undone and validated;
the table only shows the editor's current record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.dates import format_date, parse_date
from daryn_desktop.core.enums import Labeled
from daryn_desktop.gui.models import label_of
from daryn_desktop.gui.widgets import FieldMessage, bold
from daryn_desktop.i18n import _

if TYPE_CHECKING:
    from daryn_desktop.gui.editor.host import RecordHost
    from daryn_desktop.storage.registry import PupilRecord

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
TEXT, ENUM, DATE, CHOICE = "text", "enum", "date", "choice"


@dataclass(frozen=True)
class ColumnSpec:
    """One column: which attribute, its title (a message id), and how it is edited."""

    attr: str
    title: str
    kind: str = TEXT
    enum: type[Labeled] | None = None
    #: For CHOICE columns: the ``(text, value)`` pairs offered (an empty value means none).
    choices: Callable[[], list[tuple[str, Any]]] | None = None
    #: Empty text is stored as None (optional columns) rather than "" (required ones).
    optional: bool = True
    width: int = 140


class RecordListModel(QAbstractTableModel):
    """The items of one list of the editor's record, as table rows."""

    def __init__(self, editor: RecordHost, list_name: str, columns: list[ColumnSpec],
                 parent=None):
        super().__init__(parent)
        self.editor = editor
        self.list_name = list_name
        self.columns = columns
        #: Error messages by (row, attribute), set from the editor's validation.
        self.errors: dict[tuple[int, str], str] = {}

    def items(self) -> list[Any]:
        return getattr(self.editor.record, self.list_name)

    def reload(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.items())

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.columns[section].title)
        return None

    def display(self, spec: ColumnSpec, value: Any) -> str:
        if value is None:
            return ""
        if spec.kind == ENUM and spec.enum is not None:
            return label_of(spec.enum, value.value if isinstance(value, Labeled) else value)
        if spec.kind == DATE:
            return format_date(value)
        if spec.kind == CHOICE and spec.choices is not None:
            return next((text for text, v in spec.choices() if v == value), "")
        return str(value)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        spec = self.columns[index.column()]
        item = self.items()[index.row()]
        value = getattr(item, spec.attr)
        problem = self.errors.get((index.row(), spec.attr))
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(spec, value)
        if role == Qt.ItemDataRole.EditRole:
            return value.value if isinstance(value, Labeled) else value
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem
        if role == Qt.ItemDataRole.BackgroundRole and problem:
            return QColor("#fde7ea")
        return None

    def setData(self, index: _Index, value: Any,  # noqa: N802 - Qt API
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        spec = self.columns[index.column()]
        if spec.kind == ENUM and spec.enum is not None and value is not None:
            value = spec.enum(value)
        elif spec.kind == TEXT:
            value = (value or "").strip()
            if not value and spec.optional:
                value = None
        row = index.row()
        if getattr(self.items()[row], spec.attr) == value:
            return False
        list_name, attr = self.list_name, spec.attr

        def change(record: PupilRecord) -> None:
            setattr(getattr(record, list_name)[row], attr, value)

        self.editor.edit(f"{list_name}.{row}.{attr}", change)
        return True


class RecordDelegate(QStyledItemDelegate):
    """Editors for the cells: a combo box for choices, dd.mm.yyyy text for dates."""

    invalid = Signal(str)

    def __init__(self, model: RecordListModel, parent=None):
        super().__init__(parent)
        self.model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: _Index) -> QWidget:
        spec = self.model.columns[index.column()]
        if spec.kind == ENUM and spec.enum is not None:
            combo = QComboBox(parent)
            for member in spec.enum:
                combo.addItem(member.label, member.value)
            return combo
        if spec.kind == CHOICE and spec.choices is not None:
            combo = QComboBox(parent)
            combo.addItem("", None)
            for text, value in spec.choices():
                combo.addItem(text, value)
            return combo
        line = QLineEdit(parent)
        if spec.kind == DATE:
            line.setPlaceholderText(_("dd.mm.yyyy"))
        return line

    def setEditorData(self, editor: QWidget, index: _Index) -> None:  # noqa: N802 - Qt API
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, QLineEdit):
            spec = self.model.columns[index.column()]
            editor.setText(format_date(value) if spec.kind == DATE else (value or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802
                     index: _Index) -> None:
        spec = self.model.columns[index.column()]
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
            return
        assert isinstance(editor, QLineEdit)  # createEditor makes a combo box or a line edit
        text = editor.text()
        if spec.kind == DATE:
            value: date | None = None
            if text.strip():
                try:
                    value = parse_date(text)
                except ValueError as exc:
                    self.invalid.emit(str(exc))
                    return
            model.setData(index, value)
            return
        model.setData(index, text)


class RecordTable(QWidget):
    """A titled, editable table of one list with Add and Remove buttons."""

    def __init__(self, editor: RecordHost, list_name: str, title: str,
                 columns: list[ColumnSpec], make: Callable[[PupilRecord], Any],
                 parent: QWidget | None = None, *, add_text: str | None = None,
                 remove_hint: str | None = None):
        super().__init__(parent)
        self.setObjectName(f"{list_name}Table")
        self.editor = editor
        self.list_name = list_name
        self.make = make
        self.remove_hint = remove_hint or _(
            "Saved records are kept: correct them instead of removing them.")
        self.model = RecordListModel(editor, list_name, columns, self)
        self.view = QTableView(self)
        self.view.setObjectName(f"{list_name}View")
        self.view.setModel(self.model)
        self.delegate = RecordDelegate(self.model, self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, spec in enumerate(columns):
            self.view.setColumnWidth(i, spec.width)
        self.title = bold(QLabel(title, self))
        self.title.setBuddy(self.view)
        self.add_button = QPushButton(add_text or _("&Add"), self)
        self.add_button.setObjectName(f"{list_name}Add")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.setObjectName(f"{list_name}Remove")
        self.remove_button.clicked.connect(self.remove)
        self.message = FieldMessage(self)
        self.delegate.invalid.connect(lambda text: self.message.show_message(text))
        self.view.selectionModel().currentChanged.connect(lambda *_a: self._update_buttons())

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.add_button)
        head.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self._update_buttons()

    def reload(self) -> None:
        current = self.view.currentIndex()
        self.model.reload()
        if current.isValid() and current.row() < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(current.row(), current.column()))
        self._update_buttons()

    def show_errors(self, errors: dict[tuple[int, str], str]) -> None:
        self.model.errors = errors
        self.message.show_message("\n".join(sorted(set(errors.values()))) if errors else None)
        self.view.viewport().update()

    def _update_buttons(self) -> None:
        index = self.view.currentIndex()
        removable = index.isValid() and self.editor.is_new_item(self.list_name, index.row())
        self.remove_button.setEnabled(removable)
        self.remove_button.setToolTip("" if removable or not index.isValid() else self.remove_hint)

    def add(self) -> None:
        list_name = self.list_name
        make = self.make

        def change(record: PupilRecord) -> None:
            getattr(record, list_name).append(make(record))

        self.editor.edit(f"{list_name}.add", change, merge=False)
        row = self.model.rowCount() - 1
        index = self.model.index(row, 0)
        self.view.setFocus()
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def remove(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.editor.is_new_item(self.list_name, index.row()):
            return
        row, list_name = index.row(), self.list_name

        def change(record: PupilRecord) -> None:
            del getattr(record, list_name)[row]

        self.editor.edit(f"{list_name}.remove", change, merge=False)
