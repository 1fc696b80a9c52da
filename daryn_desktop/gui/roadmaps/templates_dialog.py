"""Editing the road-map templates: goals and activities per track and document language.

Where a template says ``{field}`` (the pupil's subject, sport or art, filled in when a road
map is made from it) the editor shows a readable word in brackets, e.g. «[пән]», and turns
it back into ``{field}`` when the template is saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.enums import SupportMeasure
from daryn_desktop.core.templates import (
    FIELD,
    Responsible,
    RoadMapTemplate,
    TemplateActivity,
    Track,
)
from daryn_desktop.errors import UserError
from daryn_desktop.gui.widgets import fit_to_screen
from daryn_desktop.i18n import LANGUAGE_NAMES, N_, _
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.roadmaps import RoadMaps

_SUMMER = 5  # the "when" choice after the four quarters
#: What the editor shows for ``{field}``: a word a coordinator reads as "the subject goes here".
FIELD_WORD = N_("[subject]")


def shown(text: str) -> str:
    """A template's text as the editor shows it (``{field}`` as a readable word)."""
    return text.replace(FIELD, _(FIELD_WORD))


def stored(text: str) -> str:
    """The text typed in the editor as the template keeps it (the word back as ``{field}``)."""
    return text.replace(_(FIELD_WORD), FIELD).strip()


class TemplatesDialog(QDialog):
    """One template at a time: choose the track and language, edit, save or reset."""

    MEASURE, TITLE, START, DUE, WHO = range(5)

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("roadMapTemplates")
        self.setWindowTitle(_("Road-map templates"))
        self.maps = RoadMaps(store)
        self.track_box = QComboBox()
        for track in Track:
            self.track_box.addItem(track.label, track.value)
        self.lang_box = QComboBox()
        for lang in ("kk", "ru"):
            self.lang_box.addItem(LANGUAGE_NAMES[lang], lang)
        self.origin = QLabel()
        self.goals = QPlainTextEdit()
        self.goals.setObjectName("templateGoals")
        self.goals.setPlaceholderText(_("One goal per line; {word} is replaced by the pupil's"
                                        " subject, sport or art").format(word=_(FIELD_WORD)))
        hint = QLabel(_("{word} stands for the pupil's subject, sport or art: it is filled in"
                        " when a road map is made from the template.").format(
                            word=_(FIELD_WORD)))
        hint.setObjectName("templateFieldHint")
        hint.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("templateActivities")
        self.table.setHorizontalHeaderLabels([_("Type of support"), _("Activity"), _("From"),
                                              _("To"), _("Responsible")])
        self.table.horizontalHeader().setSectionResizeMode(self.TITLE,
                                                           QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        add = QPushButton(_("Add activity"))
        add.setObjectName("templateAddActivity")
        add.clicked.connect(
            lambda _checked=False: self._add_row(TemplateActivity(SupportMeasure.OTHER, "", 1, 1)))
        remove = QPushButton(_("Remove activity"))
        remove.setObjectName("templateRemoveActivity")
        remove.clicked.connect(lambda _checked=False: self.table.removeRow(self.table.currentRow()))
        self.save_button = QPushButton(_("Save template"))
        self.save_button.setObjectName("templateSave")
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.reset_button = QPushButton(_("Reset to the default"))
        self.reset_button.setObjectName("templateReset")
        self.reset_button.clicked.connect(lambda _checked=False: self.reset())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Track:")))
        top.addWidget(self.track_box)
        top.addWidget(QLabel(_("Language:")))
        top.addWidget(self.lang_box)
        top.addWidget(self.origin, 1)
        rows = QHBoxLayout()
        for b in (add, remove):
            rows.addWidget(b)
        rows.addStretch(1)
        rows.addWidget(self.reset_button)
        rows.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(_("Goals")))
        layout.addWidget(hint)
        layout.addWidget(self.goals, 1)
        layout.addWidget(QLabel(_("Activities")))
        layout.addWidget(self.table, 3)
        layout.addLayout(rows)
        layout.addWidget(close)
        self.track_box.currentIndexChanged.connect(self.load)
        self.lang_box.currentIndexChanged.connect(self.load)
        fit_to_screen(self, QSize(1150, 680))
        self.load()

    @property
    def track(self) -> Track:
        return Track(self.track_box.currentData())

    @property
    def language(self) -> str:
        return self.lang_box.currentData()

    def load(self) -> None:
        template = self.maps.template(self.track, self.language)
        self.origin.setText(_("Built-in template") if template.is_builtin
                            else _("Edited by the coordinator"))
        self.reset_button.setEnabled(not template.is_builtin)
        self.goals.setPlainText("\n".join(shown(goal) for goal in template.goals))
        self.table.setRowCount(0)
        for item in template.activities:
            self._add_row(item)
        self._fit_columns()

    def _combo(self, items: Sequence[tuple[str, object]], value: object) -> QComboBox:
        box = QComboBox()
        for text, data in items:
            box.addItem(text, data)
        box.setCurrentIndex(max(box.findData(value), 0))
        return box

    def _add_row(self, item: TemplateActivity) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        when = [(_("Quarter {number}").format(number=n), i)
                for i, n in enumerate(("I", "II", "III", "IV"), start=1)]
        when.append((_("Summer"), _SUMMER))
        self.table.setCellWidget(row, self.MEASURE, self._combo(
            [(m.label, m.value) for m in SupportMeasure], item.measure.value))
        self.table.setItem(row, self.TITLE, QTableWidgetItem(shown(item.title)))
        self.table.setCellWidget(row, self.START, self._combo(
            when, _SUMMER if item.summer else item.start_quarter))
        self.table.setCellWidget(row, self.DUE, self._combo(
            when, _SUMMER if item.summer else item.due_quarter))
        self.table.setCellWidget(row, self.WHO, self._combo(
            [(r.label, r.value) for r in Responsible], item.responsible.value))

    def _fit_columns(self) -> None:
        """The choice columns as wide as their longest choice (and header): never cut."""
        header = self.table.horizontalHeader()
        for column in (self.MEASURE, self.START, self.DUE, self.WHO):
            widest = header.sectionSizeFromContents(column).width()
            for row in range(self.table.rowCount()):
                widest = max(widest, self.table.cellWidget(row, column).sizeHint().width())
            self.table.setColumnWidth(column, widest)

    def _choice(self, row: int, column: int) -> Any:
        """The data of the choice made in a cell's drop-down."""
        box = self.table.cellWidget(row, column)
        return box.currentData() if isinstance(box, QComboBox) else None

    def current_template(self) -> RoadMapTemplate:
        activities = []
        for row in range(self.table.rowCount()):
            start = self._choice(row, self.START)
            due = self._choice(row, self.DUE)
            summer = _SUMMER in (start, due)
            title_item = self.table.item(row, self.TITLE)
            activities.append(TemplateActivity(
                measure=SupportMeasure(self._choice(row, self.MEASURE)),
                title=stored(title_item.text()) if title_item else "",
                start_quarter=None if summer else start, due_quarter=None if summer else due,
                summer=summer,
                responsible=Responsible(self._choice(row, self.WHO))))
        goals = [stored(line) for line in self.goals.toPlainText().splitlines() if line.strip()]
        return RoadMapTemplate(self.track, self.language, goals, activities)

    def save(self) -> bool:
        try:
            self.maps.save_template(self.current_template())
        except UserError as exc:
            QMessageBox.warning(self, _("Road-map templates"), exc.translated())
            return False
        self.load()
        return True

    def reset(self) -> None:
        self.maps.reset_template(self.track, self.language)
        self.load()
