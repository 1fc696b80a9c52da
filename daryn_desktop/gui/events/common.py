"""What the tabs of the Events & achievements section share: tables, pickers, PDF saving."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QMessageBox,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.errors import UserError
from daryn_desktop.gui.buttons import button as button  # shared; imported from here too
from daryn_desktop.gui.exports import save_as_excel
from daryn_desktop.gui.tasks import start_task, user_errors
from daryn_desktop.i18n import _
from daryn_desktop.reports.tables_xlsx import save_rows
from daryn_desktop.storage.database import Store

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
DISPLAY, EDIT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole
#: The background of a cell with a mistake.
ERROR_BRUSH = QBrush(QColor("#fde2e2"))
#: Where the section keeps the folder last used for PDFs (per window, not saved).
_last_folder: dict[str, str] = {}


def dialog_buttons(dialog: QDialog, ok_text: str, ok_name: str, ok: Callable[[], Any],
                   cancel_name: str, *, cancel_text: str | None = None) -> QDialogButtonBox:
    """The OK-like button (default, named ``ok_name``) and Cancel, both with object names."""
    buttons = QDialogButtonBox(dialog)
    accept = button(ok_text, ok_name, ok, dialog)
    accept.setDefault(True)
    buttons.addButton(accept, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton(button(cancel_text or _("Cancel"), cancel_name, dialog.reject, dialog),
                      QDialogButtonBox.ButtonRole.RejectRole)
    return buttons


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a yes/no question; True for yes."""
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes


def grade_box(name: str, value: int | None = None, parent: QWidget | None = None) -> QSpinBox:
    """A grade 0–12, or "—" for none (stored as None)."""
    box = QSpinBox(parent)
    box.setObjectName(name)
    box.setRange(-1, 12)
    box.setSpecialValueText("—")
    box.setValue(-1 if value is None else value)
    return box


def grade_of(box: QSpinBox) -> int | None:
    return None if box.value() < 0 else box.value()


def show_error(parent: QWidget | None, exc: UserError, title: str | None = None) -> None:
    QMessageBox.warning(parent, title or _("Events & achievements"), exc.translated())


def table_view(name: str, model: QAbstractItemModel, *, editable: bool = False,
               parent: QWidget | None = None) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if not editable:
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    else:
        view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def table_widget(name: str, headers: list[str], parent: QWidget | None = None) -> QTableWidget:
    """A read-only table filled row by row (short lists)."""
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill(table: QTableWidget, rows: list[list[Any]], *, data: list[Any] | None = None) -> None:
    """Put ``rows`` in the table; ``data`` (one per row) is kept as the first cell's user data."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(str(text))
            if c == 0 and data is not None:
                item.setData(Qt.ItemDataRole.UserRole, data[r])
            table.setItem(r, c, item)


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item of a cell that :func:`fill` filled (every cell of its rows has one)."""
    item = table.item(row, column)
    if item is None:
        raise LookupError(f"no item at ({row}, {column})")
    return item


def headers_of(table: QTableWidget) -> list[str]:
    return [item.text() if (item := table.horizontalHeaderItem(c)) is not None else ""
            for c in range(table.columnCount())]


def texts_of(table: QTableWidget) -> list[list[Any]]:
    """The table's cells as shown (numbers as numbers, for a spreadsheet)."""
    rows = []
    for r in range(table.rowCount()):
        row: list[Any] = []
        for c in range(table.columnCount()):
            item = table.item(r, c)
            text = item.text() if item is not None else ""
            row.append(int(text) if text.isdigit() and len(text) < 10 else text)
        rows.append(row)
    return rows


def row_data(table: QTableWidget, row: int | None = None) -> Any:
    """The user data of a row's first cell (the current row by default)."""
    row = table.currentRow() if row is None else row
    item = table.item(row, 0) if row >= 0 else None
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def year_combo(name: str, years: list[str], parent: QWidget | None = None, *,
               any_text: str | None = None) -> QComboBox:
    """Academic years, the current and next one always offered, the current one chosen."""
    combo = QComboBox(parent)
    combo.setObjectName(name)
    current = AcademicYear.containing(date.today())
    labels = sorted({*years, current.label, current.next().label, current.previous().label},
                    reverse=True)
    if any_text is not None:
        combo.addItem(any_text, None)
    for label in labels:
        combo.addItem(label, label)
    combo.setCurrentIndex(combo.findData(current.label))
    return combo


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down of ``(text, value)`` pairs, from a function of the cell being edited
    (read when the editor opens: a pupil's teachers are those of the pupil's school)."""

    def __init__(self, choices: Callable[[Index], list[tuple[str, Any]]],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: Index) -> QWidget:
        box = QComboBox(parent)
        for text, value in self.choices(index):
            box.addItem(text, value)
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)  # made by createEditor
        value = index.data(EDIT)
        found = editor.findData(getattr(value, "value", value))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802
                     index: Index) -> None:
        assert isinstance(editor, QComboBox)  # made by createEditor
        model.setData(index, editor.currentData(), EDIT)


def save_pdf(parent: QWidget, title: str, suggested: str,
             write: Callable[[str], Path]) -> None:
    """Ask where to save, write the PDF off the UI thread, say where it went."""
    folder = _last_folder.get("pdf", str(Path.home()))
    path, _filter = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / suggested),
                                                _("PDF documents (*.pdf)"))
    if not path:
        return
    if not path.lower().endswith(".pdf"):
        path += ".pdf"

    def done(written: Path) -> None:
        _last_folder["pdf"] = str(Path(path).parent)
        QMessageBox.information(parent, title, _("Saved: {path}").format(path=str(written)))

    start_task(parent, _("Printing the list…"), lambda _report, _cancel: write(path), done,
               user_errors(lambda exc: show_error(parent, exc)), writes_data=False)


def save_xlsx(parent: QWidget, title: str, suggested: str, headers: list[str],
              rows: list[list[Any]], *, heading: Sequence[str] = ()) -> None:
    """Save a list as it is shown (every row, not only those on screen) as a spreadsheet."""
    save_as_excel(parent, suggested, lambda path, report, cancel: save_rows(
        path, title, headers, rows, heading=heading, total=len(rows), progress=report,
        cancel=cancel))


def staff_choices(store: Store, *, none_text: str = "—",
                  school_id: str | None = None) -> list[tuple[str, Any]]:
    """Teachers, mentors and other staff by name, for the pickers (None first); with
    ``school_id``, that school's and the district office's only."""
    people = store.repos.staff.all(serving_school=school_id)
    return [(none_text, None), *((p.full_name, p.id) for p in people)]
