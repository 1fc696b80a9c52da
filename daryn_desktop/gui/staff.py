"""Staff: teachers, mentors and psychologists that road maps and achievements refer to."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
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
from daryn_desktop.core.enums import StaffRole
from daryn_desktop.gui.widgets import FieldMessage, SearchCombo, fill_enum_combo, set_combo_value
from daryn_desktop.i18n import _
from daryn_desktop.i18n.collation import sort_key
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import default_author

#: Above this many people the list shows only those matching the search box.
MAX_LISTED = 500


class StaffDialog(QDialog):
    """Add or correct a teacher, mentor, psychologist or other specialist."""

    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 person: e.Staff | None = None):
        super().__init__(parent)
        self.setObjectName("staffDialog")
        self.store = store
        self.person = person
        self.setWindowTitle(_("Edit the person") if person else _("New teacher or specialist"))
        self.surname = QLineEdit(self)
        self.surname.setObjectName("staffSurname")
        self.given_name = QLineEdit(self)
        self.given_name.setObjectName("staffGivenName")
        self.patronymic = QLineEdit(self)
        self.role = QComboBox(self)
        self.role.setObjectName("staffRole")
        fill_enum_combo(self.role, StaffRole)
        self.school = SearchCombo(self, none_text=_("District education office"))
        self.school.setObjectName("staffSchool")
        inst = store.installation
        schools = (store.repos.schools.in_district(inst.district_kato) if inst.district_kato
                   else store.repos.schools.where("archived = 0", (), "sort_key"))
        self.school.set_items([(s.name, s.id) for s in schools],
                              person.school_id if person else None)
        self.subject = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.message = FieldMessage(self)
        if person:
            self.surname.setText(person.surname)
            self.given_name.setText(person.given_name)
            self.patronymic.setText(person.patronymic or "")
            set_combo_value(self.role, person.role)
            self.subject.setText(person.subject or "")
            self.phone.setText(person.phone or "")
        form = QFormLayout()
        for label, widget in ((_("&Surname"), self.surname), (_("&Given name"), self.given_name),
                              (_("&Patronymic"), self.patronymic), (_("&Role"), self.role),
                              (_("Sc&hool"), self.school), (_("S&ubject"), self.subject),
                              (_("P&hone"), self.phone)):
            title = QLabel(label, self)
            title.setBuddy(widget)
            form.addRow(title, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def problems(self) -> list[str]:
        found = []
        for widget, what in ((self.surname, _("the surname")),
                             (self.given_name, _("the given name"))):
            text = widget.text().strip()
            if not text:
                found.append(_("Enter {what}.").format(what=what))
            elif any(ch.isdigit() for ch in text):
                found.append(_("A name cannot contain digits."))
        return found

    def save(self) -> None:
        problems = self.problems()
        if problems:
            self.message.show_message("\n".join(problems))
            return
        values = {"surname": self.surname.text().strip(),
                  "given_name": self.given_name.text().strip(),
                  "patronymic": self.patronymic.text().strip() or None,
                  "role": StaffRole(self.role.currentData()),
                  "school_id": self.school.value(),
                  "subject": self.subject.text().strip() or None,
                  "phone": self.phone.text().strip() or None}
        if self.person is None:
            self.person = self.store.repos.staff.add(e.Staff(**values), author=default_author())
        else:
            for key, value in values.items():
                setattr(self.person, key, value)
            self.store.repos.staff.save(self.person, author=default_author())
        self.accept()


class StaffListDialog(QDialog):
    """Teachers and specialists, filtered by role and by a search text."""

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("staffListDialog")
        self.setWindowTitle(_("Teachers and specialists"))
        self.store = store
        self.search = QLineEdit(self)
        self.search.setObjectName("staffSearch")
        self.search.setPlaceholderText(_("Search by name"))
        self.search.setClearButtonEnabled(True)
        self.role = QComboBox(self)
        fill_enum_combo(self.role, StaffRole, any_text=_("All roles"))
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("staffTable")
        self.table.setHorizontalHeaderLabels([_("Full name"), _("Role"), _("School"),
                                              _("Subject")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((260, 140, 300)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.count = QLabel(self)
        add = QPushButton(_("&New person…"), self)
        add.setObjectName("newStaffButton")
        add.clicked.connect(lambda _checked=False: self.add())
        edit = QPushButton(_("&Edit…"), self)
        edit.setObjectName("editStaffButton")
        edit.clicked.connect(lambda _checked=False: self.edit_current())
        # Editing needs a chosen row: the button waits for one.
        edit.setEnabled(False)
        self.table.itemSelectionChanged.connect(
            lambda: edit.setEnabled(bool(self.table.selectedItems())))
        close = QPushButton(_("Close"), self)
        close.setObjectName("closeStaffList")
        close.clicked.connect(lambda _checked=False: self.accept())
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.role)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(edit)
        buttons.addWidget(self.count, 1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.people: list[e.Staff] = []
        self.search.textChanged.connect(lambda _t: self.load())
        self.role.currentIndexChanged.connect(lambda _i: self.load())
        self.load()
        self.resize(900, 560)

    def load(self) -> None:
        clauses, params = ["archived = 0"], []
        role = self.role.currentData()
        if role:
            clauses.append("role = ?")
            params.append(role)
        for word in self.search.text().split():
            # Names are compared through their sort keys, which fold case for every alphabet.
            clauses.append("instr(sort_key, ?) > 0")
            params.append(sort_key(word))
        found = self.store.repos.staff.where(" AND ".join(clauses), params, "sort_key")
        total = len(found)
        self.people = found[:MAX_LISTED]
        schools = {s.id: s.name for s in self.store.repos.schools.all()}
        self.table.setRowCount(len(self.people))
        for row, person in enumerate(self.people):
            cells = (person.full_name, person.role.label,
                     schools.get(person.school_id or "", _("District education office")),
                     person.subject or "")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.count.setText(_("Shown {shown} of {total}").format(shown=len(self.people),
                                                                total=total))

    def add(self) -> None:
        if StaffDialog(self.store, self).exec():
            self.load()

    def edit_current(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.people) and StaffDialog(self.store, self,
                                                  person=self.people[row]).exec():
            self.load()
