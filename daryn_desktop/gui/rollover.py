"""*File → New academic year…*: the move previewed (pupils per grade now and after, who
leaves, road maps to close and to continue), then done in one step."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.errors import UserError
from daryn_desktop.gui.tasks import start_task, user_errors
from daryn_desktop.i18n import _, ngettext
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import default_author
from daryn_desktop.storage.rollover import (
    MSG_DONE,
    RolloverPreview,
    RolloverResult,
    apply_rollover,
    grade_nine_pupils,
    preview_rollover,
    registry_year,
)


def target_years(store: Store, today: date | None = None) -> list[AcademicYear]:
    """The years the registry may be moved to now (the next after the last move; before the
    first one, this academic year or the next)."""
    current = registry_year(store)
    if current is not None:
        return [current.next()]
    today = today or date.today()
    now = AcademicYear.containing(today)
    # In the summer the year that ends is still "now": the move goes to the next one. During
    # the school year a registry never moved still holds last year's grades.
    summer = 6 <= today.month <= 8
    return [now.next(), now] if summer else [now, now.next()]


class RolloverDialog(QDialog):
    """The new academic year, previewed; *Move* writes it as one batch."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rolloverDialog")
        self.setWindowTitle(_("New academic year"))
        self.store = store
        self.preview: RolloverPreview | None = None
        self.outcome: RolloverResult | None = None

        self.year = QComboBox(self)
        self.year.setObjectName("rolloverYear")
        for year in target_years(store):
            self.year.addItem(year.label, year.label)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("rolloverGrades")
        self.table.setHorizontalHeaderLabels([_("Grade"), _("Pupils now"), _("After")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(self)
        self.summary.setObjectName("rolloverSummary")
        self.summary.setWordWrap(True)
        self.close_maps = QCheckBox(self)
        self.close_maps.setObjectName("rolloverCloseMaps")
        self.close_maps.setChecked(True)
        self.continue_maps = QCheckBox(self)
        self.continue_maps.setObjectName("rolloverContinueMaps")
        self.continue_maps.setChecked(True)
        self.leavers = QListWidget(self)
        self.leavers.setObjectName("rolloverLeavers")
        for pupil_id, name, school in grade_nine_pupils(store):
            item = QListWidgetItem(f"{name} — {school}", self.leavers)
            item.setData(Qt.ItemDataRole.UserRole, pupil_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.move_button = self.buttons.addButton(_("Move to the new year"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.move_button.setObjectName("rolloverApply")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName(
            "rolloverCancel")
        self.buttons.accepted.connect(lambda: self.apply())
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("The new academic year:"), self))
        top.addWidget(self.year)
        top.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel(_("Grade 9 pupils who leave school (tick them):"), self))
        right.addWidget(self.leavers, 1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Every studying pupil moves up one grade; those who finished"
                                  " grade 11 are archived as having finished school. Nothing is"
                                  " written until you press the button below."), self))
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.close_maps)
        layout.addWidget(self.continue_maps)
        layout.addWidget(self.buttons)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.leavers.itemChanged.connect(lambda _item: self.refresh())
        self.resize(820, 600)
        self.refresh()

    def leaving(self) -> list[str]:
        return [self.leavers.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.leavers.count())
                if self.leavers.item(i).checkState() == Qt.CheckState.Checked]

    def refresh(self) -> None:
        """The preview for the chosen year and the ticked leavers."""
        self.preview = None
        try:
            target = AcademicYear.parse(self.year.currentData() or "")
            self.preview = preview_rollover(self.store, target, leaving_after_9=self.leaving())
        except (UserError, ValueError) as exc:
            self.summary.setText(exc.translated() if isinstance(exc, UserError) else str(exc))
            self.move_button.setEnabled(False)
            self.table.setRowCount(0)
            return
        plan = self.preview.plan
        grades = sorted(set(plan.before) | set(plan.after))
        self.table.setRowCount(len(grades) + 1)
        for row, grade in enumerate(grades):
            label = _("Pre-school class") if grade == 0 else str(grade)
            for column, text in enumerate((label, plan.before.get(grade, 0),
                                           plan.after.get(grade, 0))):
                self.table.setItem(row, column, QTableWidgetItem(str(text)))
        total = len(grades)
        for column, text in enumerate((_("Total"), sum(plan.before.values()),
                                       sum(plan.after.values()))):
            item = QTableWidgetItem(str(text))
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            self.table.setItem(total, column, item)
        lines = [ngettext("{count} pupil finishes school and is archived as graduated.",
                          "{count} pupils finish school and are archived as graduated.",
                          len(plan.graduates)).format(count=len(plan.graduates))]
        if plan.leavers:
            lines.append(ngettext("{count} pupil leaves after grade 9.",
                                  "{count} pupils leave after grade 9.",
                                  len(plan.leavers)).format(count=len(plan.leavers)))
        if self.preview.left_to_districts:
            lines.append(ngettext(
                "{count} pupil of a district with its own installation is moved up there.",
                "{count} pupils of districts with their own installation are moved up there.",
                self.preview.left_to_districts).format(count=self.preview.left_to_districts))
        self.summary.setText(" ".join(lines))
        self.close_maps.setText(_("Close the {count} road maps of {year} still open").format(
            count=len(self.preview.open_maps), year=plan.from_year.label))
        self.continue_maps.setText(_("Start {count} drafts for {year} from last year's road"
                                     " maps").format(count=len(self.preview.continuable),
                                                     year=plan.to_year.label))
        self.move_button.setEnabled(True)

    def apply(self) -> None:
        preview = self.preview
        if preview is None:
            return
        store = self.store
        close_maps, continue_maps = self.close_maps.isChecked(), self.continue_maps.isChecked()
        author = default_author()
        start_task(self, _("Moving to the new year…"), lambda report, cancel:
                   apply_rollover(store, preview, close_maps=close_maps,
                                  continue_maps=continue_maps, author=author,
                                  progress=report, cancel=cancel),
                   lambda outcome: self._moved(preview, outcome), user_errors(
                       lambda exc: QMessageBox.warning(self, _("New academic year"),
                                                       exc.translated()),
                       cancelled=lambda _exc: QMessageBox.information(
                           self, _("New academic year"), _("Cancelled: nothing was changed."))))

    def _moved(self, preview: RolloverPreview, outcome: RolloverResult) -> None:
        self.outcome = r = outcome
        QMessageBox.information(self, _("New academic year"), _(MSG_DONE).format(
                year=preview.plan.to_year.label, promoted=r.promoted, left=r.graduated,
                closed=r.closed_maps, drafts=r.continued_maps))
        self.accept()
