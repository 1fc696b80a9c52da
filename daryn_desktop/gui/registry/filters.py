"""The registry's filters: district, school, grade, category, giftedness, road map, archived."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from daryn_desktop.core.academic import GRADES
from daryn_desktop.core.enums import FamilyCategory, GiftednessKind, RoadMapStatus
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.gui.flow_layout import FlowLayout
from daryn_desktop.gui.widgets import SearchCombo, fill_enum_combo
from daryn_desktop.i18n import _, current_language
from daryn_desktop.storage.registry import current_academic_year, districts_with_schools
from daryn_desktop.storage.search import PupilQuery

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

#: Values of the "status" filter.
STUDYING, ARCHIVED, EVERYONE = "studying", "archived", "everyone"
#: The road-map filter's value for pupils without a road map this year.
NO_ROAD_MAP = "none"
#: Characters the district and school filters show (the whole name is in the list).
DISTRICT_CHARS, SCHOOL_CHARS = 18, 30


class FilterBar(QWidget):
    """Combo boxes that narrow the registry; each says "All …" when it does not filter."""

    changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.year = current_academic_year()
        self.district = SearchCombo(self, none_text=_("All districts"))
        self.district.setObjectName("filterDistrict")
        self.school = SearchCombo(self, none_text=_("All schools"))
        self.school.setObjectName("filterSchool")
        self.grade = QComboBox(self)
        self.grade.setObjectName("filterGrade")
        self.category = QComboBox(self)
        self.category.setObjectName("filterCategory")
        self.giftedness = QComboBox(self)
        self.giftedness.setObjectName("filterGiftedness")
        self.road_map = QComboBox(self)
        self.road_map.setObjectName("filterRoadMap")
        self.status = QComboBox(self)
        self.status.setObjectName("filterStatus")
        self.clear_button = QPushButton(_("Clear filters"), self)
        self.clear_button.setObjectName("filterClear")
        # "Pupils behind: …": exactly the pupils of a report's figure, removed by a click.
        self.only_ids: tuple[str, ...] | None = None
        self.only_chip = QPushButton(self)
        self.only_chip.setObjectName("filterOnlyIds")
        self.only_chip.setToolTip(_("Show every pupil again"))
        self.only_chip.hide()
        self.only_chip.clicked.connect(lambda: self.set_only(None))

        self.grade.addItem(_("All grades"), None)
        for grade in GRADES:
            self.grade.addItem(_("Pre-school class") if grade == 0 else
                               _("Grade {grade}").format(grade=grade), grade)
        fill_enum_combo(self.category, FamilyCategory, any_text=_("All categories"))
        fill_enum_combo(self.giftedness, GiftednessKind, any_text=_("All kinds of giftedness"))
        fill_enum_combo(self.road_map, RoadMapStatus, any_text=_("Any road map"),
                        extra=[(_("No road map"), NO_ROAD_MAP)])
        for text, value in ((_("Studying"), STUDYING), (_("Archived"), ARCHIVED),
                            (_("Studying and archived"), EVERYONE)):
            self.status.addItem(text, value)
        for picker, label, chars in ((self.district, _("District"), DISTRICT_CHARS),
                                     (self.school, _("School"), SCHOOL_CHARS)):
            # As wide as a few words, not as the longest of a thousand school names:
            # measuring every name for the width took the largest part of the registry's
            # first layout. The list opens as wide as the names (``SearchCombo.showPopup``),
            # and the tooltip has the whole name of the one chosen.
            picker.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            picker.setMinimumContentsLength(chars)
            picker.setToolTip(label)
            picker.currentTextChanged.connect(
                lambda text, p=picker, name=label: p.setToolTip(
                    f"{name}\n{text}" if p.currentIndex() > 0 and text else name))
        self.road_map.setToolTip(_("Road map for {year}").format(year=self.year))
        self.status.setToolTip(_("Studying or archived pupils"))
        self.load_places()

        # The filters wrap onto more rows in a narrow window (Kazakh and Russian "All …"
        # texts are long): one fixed grid would not fit a 1366×768 screen.
        flow = FlowLayout()
        for combo in self._combos().values():
            # Each row of filters fills the width, as a grid would.
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, combo.sizePolicy().verticalPolicy())
            flow.addWidget(combo)
        flow.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(flow)
        layout.addWidget(self.only_chip)

        self.district.currentIndexChanged.connect(self._district_changed)
        for combo in (self.school, self.grade, self.category, self.giftedness, self.road_map,
                      self.status):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.clear_button.clicked.connect(self.clear)

    def load_places(self) -> None:
        """Fill the district and school lists from the schools in the database."""
        places = gazetteer()
        lang = current_language()
        chosen = self.district.value()
        districts = []
        for code in districts_with_schools(self.store):
            place = places.find(code)
            districts.append((place.name(lang) if place else code, code))
        self.district.blockSignals(True)
        self.district.set_items(districts, chosen)
        self.district.blockSignals(False)
        self._fill_schools()

    def _fill_schools(self) -> None:
        schools = self.store.repos.schools.choices(self.district.value())
        chosen = self.school.value()
        self.school.blockSignals(True)
        self.school.set_items(schools, chosen)
        self.school.blockSignals(False)

    def _district_changed(self, _index: int) -> None:
        self._fill_schools()
        self.changed.emit()

    def set_only(self, ids: tuple[str, ...] | None, label: str = "") -> None:
        """Show exactly these pupils (a report's figure), or everyone again (None)."""
        self.only_ids = ids
        if ids is None:
            self.only_chip.hide()
        else:
            self.only_chip.setText(_("Pupils behind: {figure} ({count}) ✕").format(
                figure=label, count=len(ids)))
            self.only_chip.show()
        self.changed.emit()

    def clear(self) -> None:
        """Back to "everyone who studies", without a search for each combo reset."""
        self.only_ids = None
        self.only_chip.hide()
        for combo in (self.district, self.school, self.grade, self.category, self.giftedness,
                      self.road_map, self.status):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._fill_schools()
        self.changed.emit()

    def _combos(self) -> dict[str, QComboBox]:
        return {"district": self.district, "school": self.school, "grade": self.grade,
                "category": self.category, "giftedness": self.giftedness,
                "road_map": self.road_map, "status": self.status}

    def values(self) -> dict[str, object]:
        """The chosen value of each filter (to choose them again in a rebuilt window)."""
        return {name: combo.currentData() for name, combo in self._combos().items()}

    def set_values(self, values: dict[str, object]) -> None:
        """Choose the filters' values again (unknown names and values are left as they are)."""
        combos = self._combos()
        for name in ("district", "school", "grade", "category", "giftedness", "road_map",
                     "status"):
            combo = combos[name]
            index = combo.findData(values.get(name)) if name in values else -1
            if index >= 0:
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
            if name == "district":
                self._fill_schools()
        self.changed.emit()

    def is_filtering(self) -> bool:
        return self.only_ids is not None or any(combo.currentIndex() > 0 for combo in (
            self.district, self.school, self.grade, self.category, self.giftedness,
            self.road_map, self.status))

    def query(self, text: str = "") -> PupilQuery:
        status = self.status.currentData()
        road_map = self.road_map.currentData()
        return PupilQuery(
            text=text,
            district_kato=self.district.value(),
            school_id=self.school.value(),
            grade=self.grade.currentData(),
            category=self.category.currentData(),
            giftedness_kind=self.giftedness.currentData(),
            road_map_status=road_map,
            academic_year=self.year if road_map else None,
            include_archived=status == EVERYONE or self.only_ids is not None,
            only_archived=status == ARCHIVED,
            only_ids=self.only_ids,
        )
