"""The pupil editor's questions before archiving a pupil and before erasing one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import PupilStatus
from daryn_desktop.i18n import _


class ArchiveDialog(QDialog):
    """Archive instead of delete: the reason is required and kept with the record."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("archiveDialog")
        self.setWindowTitle(_("Archive {name}").format(name=name))
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("archiveStatus")
        for status in (PupilStatus.ARCHIVED, PupilStatus.LEFT):
            self.status_combo.addItem(status.label, status.value)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("archiveReason")
        self.reason_edit.setPlaceholderText(_("e.g. moved to another district"))
        explanation = QLabel(_("The pupil leaves the registry's list but nothing is deleted:"
                               " the record, its history and road maps stay and can be"
                               " returned."), self)
        explanation.setWordWrap(True)
        form = QFormLayout()
        status_label = QLabel(_("&Status"), self)
        status_label.setBuddy(self.status_combo)
        reason_label = QLabel(_("&Reason"), self)
        reason_label.setBuddy(self.reason_edit)
        form.addRow(status_label, self.status_combo)
        form.addRow(reason_label, self.reason_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Archive"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.reason_edit.text().strip()))

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def status(self) -> PupilStatus:
        return PupilStatus(self.status_combo.currentData())


class PurgeDialog(QDialog):
    """Erasing a record for a legal request: says what happens, wants the IIN typed."""

    def __init__(self, pupil: e.Pupil, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("purgeDialog")
        self.setWindowTitle(_("Erase {name}").format(name=pupil.full_name))
        self.iin = pupil.iin
        explanation = QLabel(_(
            "This erases {name} (IIN {iin}) and everything recorded about them — family,"
            " achievements, road maps, documents — from this database and, with the next"
            " bundles, from every district. Only an identifier is kept, so that an old stick"
            " cannot bring the record back. It cannot be undone. Use it only for a legal"
            " request to erase personal data: a pupil who left is archived instead.").format(
                name=pupil.full_name, iin=pupil.iin), self)
        explanation.setWordWrap(True)
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("purgeConfirm")
        self.confirm.setPlaceholderText(_("The pupil's IIN"))
        form = QFormLayout()
        label = QLabel(_("Type the &IIN to confirm"), self)
        label.setBuddy(self.confirm)
        form.addRow(label, self.confirm)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.erase_button = self.buttons.addButton(_("Erase"),
                                                   QDialogButtonBox.ButtonRole.DestructiveRole)
        self.erase_button.setObjectName("purgeAccept")
        self.erase_button.clicked.connect(lambda _checked=False: self.accept())
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.confirm.textChanged.connect(lambda _text: self._update())
        self._update()
        self.setMinimumWidth(560)

    def _update(self) -> None:
        typed = "".join(ch for ch in self.confirm.text() if ch.isdigit())
        self.erase_button.setEnabled(typed == self.iin)
