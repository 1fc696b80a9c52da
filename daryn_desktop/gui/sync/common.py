"""What the Sync section's tabs share: read-only tables, and what the other side confirmed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

from daryn_desktop.i18n import ngettext
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.health import own_changes_between
from daryn_desktop.sync import peers


def make_table(headers: list[str], name: str) -> QTableWidget:
    """A read-only table of whole rows with the given column headers and object name."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[object]]) -> None:
    """Replace the table's rows (None shows as an empty cell)."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))


def acknowledgements(store: Store) -> dict[str, int]:
    """How far each paired installation has confirmed this one's change log."""
    return {p.site_id: p.their_ack for p in peers.peers(store)}


def confirmed_lines(store: Store, before: dict[str, int]) -> list[str]:
    """What the bundles just imported acknowledged (against :func:`acknowledgements` taken
    before): one line per installation."""
    lines = []
    for peer in peers.peers(store):
        count = own_changes_between(store, before.get(peer.site_id, 0), peer.their_ack)
        if count:
            lines.append(ngettext(
                "“{name}” confirmed it holds {count} more of your changes.",
                "“{name}” confirmed it holds {count} more of your changes.",
                count).format(name=peer.name, count=count))
    return lines
