"""Schools: the list of the territory's schools and the form that adds one to a settlement."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import Language
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.gui.widgets import FieldMessage, SearchCombo, fill_enum_combo, set_combo_value
from daryn_desktop.i18n import _, current_language
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import active_pupils_per_school, default_author


def territory_districts(store: Store) -> list[tuple[str, str]]:
    """The districts a school may be added in: this office's district, or the region's."""
    inst = store.installation
    places = gazetteer()
    lang = current_language()
    if inst.district_kato:
        place = places.find(inst.district_kato)
        return [(place.name(lang) if place else inst.district_kato, inst.district_kato)]
    return [(p.name(lang), p.code) for p in places.districts(inst.region_kato)]


class SchoolDialog(QDialog):
    """Add a school to a settlement (or correct one)."""

    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 school: e.School | None = None, district: str | None = None):
        super().__init__(parent)
        self.setObjectName("schoolDialog")
        self.store = store
        self.school = school
        self.setWindowTitle(_("Edit the school") if school else _("New school"))
        self.name = QLineEdit(self)
        self.name.setObjectName("schoolName")
        self.district = SearchCombo(self)
        self.district.setObjectName("schoolDistrict")
        self.settlement = SearchCombo(self)
        self.settlement.setObjectName("schoolSettlement")
        self.place_kind = QLabel(self)
        self.language = QComboBox(self)
        self.language.setObjectName("schoolLanguage")
        fill_enum_combo(self.language, Language)
        self.small = QCheckBox(_("Small ungraded school (шағын жинақты мектеп)"), self)
        self.small.setObjectName("schoolSmall")
        self.address = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.message = FieldMessage(self)

        districts = territory_districts(store)
        chosen = school.district_kato if school else (district or (
            districts[0][1] if len(districts) == 1 else None))
        self.district.set_items(districts, chosen)
        self.district.setEnabled(len(districts) > 1)
        self._fill_settlements(school.settlement_kato if school else None)
        if school:
            self.name.setText(school.name)
            set_combo_value(self.language, school.language)
            self.small.setChecked(school.small_ungraded)
            self.address.setText(school.address or "")
            self.phone.setText(school.phone or "")

        form = QFormLayout()
        for label, widget in ((_("&Name"), self.name), (_("&District"), self.district),
                              (_("&Settlement"), self.settlement),
                              (_("&Language of instruction"), self.language),
                              (_("&Address"), self.address), (_("&Phone"), self.phone)):
            title = QLabel(label, self)
            title.setBuddy(widget)
            form.addRow(title, widget)
        form.addRow("", self.place_kind)
        form.addRow("", self.small)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.district.currentIndexChanged.connect(lambda _i: self._fill_settlements(None))
        self.settlement.currentIndexChanged.connect(lambda _i: self._update_kind())
        self._update_kind()
        self.resize(560, self.sizeHint().height())

    def _fill_settlements(self, chosen: str | None) -> None:
        district = self.district.value()
        lang = current_language()
        places = gazetteer().settlements(district) if district else []
        self.settlement.set_items([(p.name(lang), p.code) for p in places], chosen)

    def _update_kind(self) -> None:
        place = gazetteer().find(self.settlement.value())
        self.place_kind.setText("" if place is None else (
            _("A rural settlement") if place.is_rural else _("A town")))

    def problems(self) -> list[str]:
        found = []
        if not self.name.text().strip():
            found.append(_("Enter the school's name."))
        if not self.settlement.value():
            found.append(_("Choose the settlement from the list (type a few letters)."))
        return found

    def save(self) -> None:
        problems = self.problems()
        if problems:
            self.message.show_message("\n".join(problems))
            return
        settlement = self.settlement.value()
        district = gazetteer().district_of(settlement)
        values = {"name": self.name.text().strip(), "settlement_kato": settlement,
                  "district_kato": district.code if district else self.district.value(),
                  "language": Language(self.language.currentData()),
                  "small_ungraded": self.small.isChecked(),
                  "address": self.address.text().strip() or None,
                  "phone": self.phone.text().strip() or None}
        if self.school is None:
            self.school = self.store.repos.schools.add(e.School(**values),
                                                       author=default_author())
        else:
            for key, value in values.items():
                setattr(self.school, key, value)
            self.store.repos.schools.save(self.school, author=default_author())
        self.accept()


class SchoolsDialog(QDialog):
    """The schools of this territory, with their settlements and pupil counts."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("schoolsDialog")
        self.setWindowTitle(_("Schools"))
        self.store = store
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("schoolsTable")
        self.table.setHorizontalHeaderLabels([_("School"), _("Settlement"), _("Rural / urban"),
                                              _("Language of instruction"), _("Pupils")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((330, 200, 110, 170)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        add = QPushButton(_("&New school…"), self)
        add.setObjectName("newSchoolButton")
        add.clicked.connect(lambda _checked=False: self.add())
        edit = QPushButton(_("&Edit…"), self)
        edit.setObjectName("editSchoolButton")
        edit.clicked.connect(lambda _checked=False: self.edit_current())
        # Editing needs a chosen row: the button waits for one.
        edit.setEnabled(False)
        self.table.itemSelectionChanged.connect(
            lambda: edit.setEnabled(bool(self.table.selectedItems())))
        close = QPushButton(_("Close"), self)
        close.setObjectName("closeSchools")
        close.clicked.connect(lambda _checked=False: self.accept())
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(edit)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.schools: list[e.School] = []
        self.load()
        self.resize(950, 560)

    def load(self) -> None:
        inst = self.store.installation
        repos = self.store.repos
        self.schools = (repos.schools.in_district(inst.district_kato) if inst.district_kato
                        else repos.schools.where("archived = 0", (), "sort_key"))
        counts = active_pupils_per_school(self.store)
        places = gazetteer()
        lang = current_language()
        self.table.setRowCount(len(self.schools))
        for row, school in enumerate(self.schools):
            place = places.find(school.settlement_kato)
            cells = (school.name, place.name(lang) if place else school.settlement_kato,
                     "" if place is None else (_("Rural") if place.is_rural else _("Urban")),
                     school.language.label, str(counts.get(school.id, 0)))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def add(self) -> None:
        dialog = SchoolDialog(self.store, self)
        if dialog.exec():
            self.load()

    def edit_current(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.schools) and SchoolDialog(self.store, self,
                                                  school=self.schools[row]).exec():
            self.load()
