"""The import wizard's columns page: each column of the file with the field it is read as."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from daryn_desktop.core.imports.fields import IGNORE, fields_of
from daryn_desktop.core.imports.layout import Layout, NoHeader, find_layout, layout_at
from daryn_desktop.core.imports.text import cell_text
from daryn_desktop.errors import UserError
from daryn_desktop.gui.imports.pages_file import PREVIEW_ROWS
from daryn_desktop.i18n import _

if TYPE_CHECKING:
    from daryn_desktop.gui.imports.wizard import ImportWizard

#: Data rows shown under the mapping.
SAMPLE_ROWS = 8


class MappingPage(QWizardPage):
    """Each column of the file with the field it is read as (guessed, and changeable)."""

    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.setObjectName("importMappingPage")
        self.wiz = wizard
        self.setTitle(_("The columns"))
        self.setSubTitle(_("Check what each column holds; change a guess in the list above"
                           " the column. Columns left as “—” are not imported."))
        self.header_row = QSpinBox(self)
        self.header_row.setObjectName("importHeaderRow")
        self.header_row.setRange(0, PREVIEW_ROWS)
        self.header_row.setSpecialValueText(_("no header"))
        self.table = QTableWidget(self)
        self.table.setObjectName("importMapping")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.message = QLabel(self)
        self.message.setObjectName("importMappingMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000;")
        top = QHBoxLayout()
        top.addWidget(QLabel(_("The header is in row:"), self))
        top.addWidget(self.header_row)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.header_row.valueChanged.connect(lambda value: self._header_moved(value))
        self._combos: list[QComboBox] = []

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        data, kind = self.wiz.data, self.wiz.file_page.current_kind()
        assert data is not None
        if self.wiz.table_layout is None or self.wiz.table_layout.kind != kind:
            try:
                self.wiz.table_layout = find_layout(data.rows, kind)
            except NoHeader as exc:
                self.wiz.table_layout = layout_at(data.rows, kind, None)
                self.message.setText(exc.translated())
        layout = self.wiz.table_layout
        self.header_row.blockSignals(True)
        self.header_row.setValue(layout.header_rows[-1] + 1 if layout.header_rows else 0)
        self.header_row.blockSignals(False)
        self._fill()

    def _header_moved(self, value: int) -> None:
        data = self.wiz.data
        if data is None:
            return
        self.wiz.table_layout = layout_at(data.rows, self.wiz.file_page.current_kind(),
                                    value - 1 if value else None)
        self._fill()

    def _fill(self) -> None:
        layout, data = self.wiz.table_layout, self.wiz.data
        assert layout is not None and data is not None
        fields = fields_of(layout.kind)
        width = max([len(layout.headers), *(len(r) for r in data.rows[:PREVIEW_ROWS])])
        samples = [r for r in data.rows[layout.first_data_row:] if any(
            cell_text(v) for v in r)][:SAMPLE_ROWS]
        self.table.clear()
        self.table.setColumnCount(width)
        self.table.setRowCount(1 + len(samples))
        self.table.setHorizontalHeaderLabels([layout.header_of(c) for c in range(width)])
        self.table.setVerticalHeaderLabels(["", *(str(layout.first_data_row + i + 1)
                                                  for i in range(len(samples)))])
        self._combos = []
        for column in range(width):
            combo = QComboBox(self.table)
            combo.setObjectName(f"importField_{column}")
            combo.addItem("—", IGNORE)
            for f in fields:
                combo.addItem(_(f.label), f.key)
            index = combo.findData(layout.mapping.get(column, IGNORE))
            combo.setCurrentIndex(max(index, 0))
            combo.currentIndexChanged.connect(lambda _i: self._mapping_changed())
            self.table.setCellWidget(0, column, combo)
            self._combos.append(combo)
            for row, values in enumerate(samples, start=1):
                text = cell_text(values[column]) if column < len(values) else ""
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        for column in range(width):
            self.table.setColumnWidth(column, min(max(self.table.columnWidth(column), 120), 260))
        self._mapping_changed()

    def _mapping_changed(self) -> None:
        layout = self.wiz.table_layout
        assert layout is not None
        mapping = {c: combo.currentData() for c, combo in enumerate(self._combos)
                   if combo.currentData() != IGNORE}
        # A field chosen for one column is taken from the column that had it.
        seen: dict[str, int] = {}
        for column, key in sorted(mapping.items()):
            seen[key] = column
        mapping = {column: key for key, column in seen.items()}
        self.wiz.table_layout = Layout(layout.kind, layout.header_rows, layout.headers, mapping)
        try:
            self.wiz.table_layout.check()
            self.message.setText("")
        except UserError as exc:
            self.message.setText(exc.translated())
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return not self.message.text()
