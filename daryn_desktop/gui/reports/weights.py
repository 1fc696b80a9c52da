"""Editing the teacher weighting of T4 (measure 15): points by level and by award degree."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.enums import EventLevel
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.i18n import _


def _spin(value: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0, 1000)
    spin.setDecimals(1)
    spin.setSingleStep(0.5)
    spin.setValue(value)
    return spin


class WeightsDialog(QDialog):
    """A teacher's score is the sum, over the prizes of the pupils they prepared, of the
    level's points times the degree's points; this dialog edits those points."""

    def __init__(self, weights: d.TeacherWeights, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("weightsDialog")
        self.setWindowTitle(_("Teacher weights (T4)"))
        self.levels = {}
        self.degrees = {}
        explain = QLabel(_("A teacher's score adds, for each prize of a pupil they prepared,"
                           " the points of the event's level times the points of the award's"
                           " degree."))
        explain.setWordWrap(True)
        levels = QGroupBox(_("Points by the event's level"))
        form = QFormLayout(levels)
        for level in EventLevel:
            self.levels[level.value] = spin = _spin(weights.level.get(level.value, 0.0))
            spin.setObjectName(f"weightLevel_{level.value}")
            form.addRow(_(level.label_id), spin)
        degrees = QGroupBox(_("Points by the award's degree"))
        form = QFormLayout(degrees)
        for number in (1, 2, 3, 4):
            self.degrees[number] = spin = _spin(weights.degree.get(number, 0.0))
            spin.setObjectName(f"weightDegree_{number}")
            form.addRow(_(d.DEGREE_TITLES[number]), spin)
        self.only_target = QCheckBox(_("Count only prizes of pupils from the target groups"))
        self.only_target.setObjectName("weightTargetOnly")
        self.only_target.setChecked(weights.target_groups_only)
        reset = QPushButton(_("Reset to the defaults"))
        reset.setObjectName("weightsReset")
        reset.clicked.connect(lambda: self._load(d.TeacherWeights()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (explain, levels, degrees, self.only_target, reset, buttons):
            layout.addWidget(widget)

    def _load(self, weights: d.TeacherWeights) -> None:
        for key, spin in self.levels.items():
            spin.setValue(weights.level.get(key, 0.0))
        for number, spin in self.degrees.items():
            spin.setValue(weights.degree.get(number, 0.0))
        self.only_target.setChecked(weights.target_groups_only)

    def weights(self) -> d.TeacherWeights:
        weights = d.TeacherWeights()
        weights.level = {k: spin.value() for k, spin in self.levels.items()}
        weights.degree = {n: spin.value() for n, spin in self.degrees.items()}
        weights.target_groups_only = self.only_target.isChecked()
        return weights
