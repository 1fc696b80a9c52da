"""The editor's Profile tab: names, IIN with its live check, school, grade and place."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from daryn_desktop.core.academic import GRADES
from daryn_desktop.core.dates import format_date
from daryn_desktop.core.enums import Language, Sex
from daryn_desktop.core.iin import normalize_iin, suggested_birth_date_and_sex
from daryn_desktop.core.territory import gazetteer
from daryn_desktop.gui.widgets import DateField, FieldMessage, SearchCombo, fill_enum_combo
from daryn_desktop.i18n import _, current_language

if TYPE_CHECKING:
    from daryn_desktop.gui.editor.host import RecordHost
    from daryn_desktop.storage.registry import PupilRecord


class ProfileTab(QWidget):
    """Who the pupil is and where they study."""

    def __init__(self, editor: RecordHost, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = editor
        self.messages: dict[str, FieldMessage] = {}
        self.surname = QLineEdit(self)
        self.surname.setObjectName("surname")
        self.given_name = QLineEdit(self)
        self.given_name.setObjectName("givenName")
        self.patronymic = QLineEdit(self)
        self.patronymic.setObjectName("patronymic")
        self.iin = QLineEdit(self)
        self.iin.setObjectName("iin")
        self.iin.setMaxLength(20)  # room for the spaces and dashes people paste
        self.iin.setPlaceholderText(_("12 digits"))
        self.birth_date = DateField(self)
        self.birth_date.setObjectName("birthDate")
        self.sex = QComboBox(self)
        self.sex.setObjectName("sex")
        self.sex.addItem("—", None)
        for member in Sex:
            self.sex.addItem(member.label, member.value)
        self.suggestion = QLabel(self)
        self.suggestion.setObjectName("iinSuggestion")
        self.suggestion.setWordWrap(True)
        self.use_suggestion = QPushButton(_("&Use the IIN's date and sex"), self)
        self.use_suggestion.setObjectName("useIinSuggestion")
        self.use_suggestion.clicked.connect(lambda _checked=False: self._use_suggestion())
        self.school = SearchCombo(self)
        self.school.setObjectName("school")
        self.add_school = QPushButton(_("New s&chool…"), self)
        self.add_school.setObjectName("addSchool")
        self.add_school.clicked.connect(lambda _checked=False: self._new_school())
        self.grade = QComboBox(self)
        self.grade.setObjectName("grade")
        self.grade.addItem("—", None)
        for grade in GRADES:
            self.grade.addItem(_("0 (pre-school class)") if grade == 0 else str(grade), grade)
        self.class_letter = QLineEdit(self)
        self.class_letter.setObjectName("classLetter")
        self.class_letter.setMaxLength(3)
        self.class_letter.setMaximumWidth(60)
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        fill_enum_combo(self.language, Language, any_text="—")
        self.settlement = SearchCombo(self, none_text=_("Where the school is"))
        self.settlement.setObjectName("settlement")
        self.place_kind = QLabel(self)
        self.place_kind.setObjectName("placeKind")
        self.phone = QLineEdit(self)
        self.phone.setObjectName("phone")
        self.address = QLineEdit(self)
        self.address.setObjectName("address")
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(70)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._row(form, _("&Surname"), self.surname, "surname", required=True)
        self._row(form, _("&Given name"), self.given_name, "given_name", required=True)
        self._row(form, _("&Patronymic"), self.patronymic, "patronymic")
        iin_box = QWidget(self)
        iin_layout = QVBoxLayout(iin_box)
        iin_layout.setContentsMargins(0, 0, 0, 0)
        iin_layout.addWidget(self.iin)
        hint = QHBoxLayout()
        hint.addWidget(self.suggestion, 1)
        hint.addWidget(self.use_suggestion)
        iin_layout.addLayout(hint)
        self._row(form, _("&IIN"), iin_box, "iin", buddy=self.iin, required=True)
        dates = QWidget(self)
        dates_layout = QHBoxLayout(dates)
        dates_layout.setContentsMargins(0, 0, 0, 0)
        dates_layout.addWidget(self.birth_date)
        sex_label = QLabel(_("Se&x"), self)
        sex_label.setBuddy(self.sex)
        dates_layout.addWidget(sex_label)
        dates_layout.addWidget(self.sex)
        dates_layout.addStretch(1)
        self._row(form, _("&Date of birth"), dates, "birth_date", buddy=self.birth_date.line,
                  extra_fields=("sex",))
        school_box = QWidget(self)
        school_layout = QHBoxLayout(school_box)
        school_layout.setContentsMargins(0, 0, 0, 0)
        school_layout.addWidget(self.school, 1)
        school_layout.addWidget(self.add_school)
        self._row(form, _("Sc&hool"), school_box, "school_id", buddy=self.school, required=True)
        grade_box = QWidget(self)
        grade_layout = QHBoxLayout(grade_box)
        grade_layout.setContentsMargins(0, 0, 0, 0)
        grade_layout.addWidget(self.grade)
        letter_label = QLabel(_("C&lass letter"), self)
        letter_label.setBuddy(self.class_letter)
        grade_layout.addWidget(letter_label)
        grade_layout.addWidget(self.class_letter)
        grade_layout.addStretch(1)
        self._row(form, _("G&rade"), grade_box, "grade", buddy=self.grade,
                  extra_fields=("class_letter",), required=True)
        self._row(form, _("Lan&guage of instruction"), self.language, "language")
        place_box = QWidget(self)
        place_layout = QHBoxLayout(place_box)
        place_layout.setContentsMargins(0, 0, 0, 0)
        place_layout.addWidget(self.settlement, 1)
        place_layout.addWidget(self.place_kind)
        self._row(form, _("Se&ttlement"), place_box, "settlement_kato", buddy=self.settlement)
        self._row(form, _("Ph&one"), self.phone, "phone")
        self._row(form, _("Addr&ess"), self.address, "address")
        self._row(form, _("N&otes"), self.notes, "notes")
        required_note = QLabel(_("Fields marked * are required."), self)
        required_note.setObjectName("requiredNote")
        required_note.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(required_note)
        layout.addStretch(1)

        text_fields: list[tuple[QLineEdit, str]] = [
            (self.surname, "surname"), (self.given_name, "given_name"),
            (self.patronymic, "patronymic"), (self.class_letter, "class_letter"),
            (self.phone, "phone"), (self.address, "address")]
        for widget, name in text_fields:
            widget.textChanged.connect(self._text_setter(name, widget))
        self.iin.textChanged.connect(self._iin_changed)
        self.birth_date.edited.connect(self._birth_date_changed)
        self.notes.textChanged.connect(self._notes_changed)
        self.sex.currentIndexChanged.connect(
            lambda _i: self._set("sex", self.sex.currentData(), Sex))
        self.grade.currentIndexChanged.connect(
            lambda _i: self._set("grade", self.grade.currentData()))
        self.language.currentIndexChanged.connect(
            lambda _i: self._set("language", self.language.currentData(), Language))
        self.school.currentIndexChanged.connect(lambda _i: self._school_changed())
        self.settlement.currentIndexChanged.connect(lambda _i: self._settlement_changed())

    def _row(self, form: QFormLayout, label: str, widget: QWidget, field: str, *,
             buddy: QWidget | None = None, extra_fields: tuple[str, ...] = (),
             required: bool = False) -> None:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(widget)
        message = FieldMessage(box)
        layout.addWidget(message)
        # A required field's label ends with an asterisk, explained under the form.
        title = QLabel(f"{label} *" if required else label, self)
        title.setObjectName(f"label_{field}")
        title.setBuddy(buddy or widget)
        form.addRow(title, box)
        for name in (field, *extra_fields):
            self.messages[name] = message

    # -- from the record to the widgets ----------------------------------------------------
    def load(self, record: PupilRecord) -> None:
        pupil = record.pupil
        self.surname.setText(pupil.surname)
        self.given_name.setText(pupil.given_name)
        self.patronymic.setText(pupil.patronymic or "")
        self.iin.setText(pupil.iin)
        self.birth_date.set_value(pupil.birth_date)
        self._select(self.sex, pupil.sex)
        self._fill_schools(pupil.school_id)
        self._select(self.grade, pupil.grade)
        self.class_letter.setText(pupil.class_letter or "")
        self._select(self.language, pupil.language)
        self._fill_settlements(pupil.school_id, pupil.settlement_kato)
        self.phone.setText(pupil.phone or "")
        self.address.setText(pupil.address or "")
        if self.notes.toPlainText() != (pupil.notes or ""):
            self.notes.setPlainText(pupil.notes or "")
        self._update_suggestion()
        self._update_place_kind()

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        stored = value.value if hasattr(value, "value") else value
        combo.setCurrentIndex(max(combo.findData(stored), 0))

    def _fill_schools(self, school_id: str | None) -> None:
        choices = self.editor.choices
        if not school_id or school_id in choices.schools():
            self.school.set_model_items(choices.school_model(), school_id)
            return
        # The pupil's school was archived: it is listed (for this pupil only) so that the
        # record shows where the pupil studied.
        listed = [(s.name, s.id) for s in choices.schools().values()]
        old = choices.school(school_id)
        self.school.set_model_items(QStandardItemModel(self.school))
        self.school.set_items([*listed, (old.name if old else school_id, school_id)], school_id)

    def _fill_settlements(self, school_id: str | None, settlement: str | None) -> None:
        school = self.editor.school(school_id)
        lang = current_language()
        items: list[tuple[str, str]] = []
        if school is not None:
            items = [(p.name(lang), p.code) for p in gazetteer().settlements(school.district_kato)]
        if settlement and all(code != settlement for _t, code in items):
            place = gazetteer().find(settlement)
            items.append((place.name(lang) if place else settlement, settlement))
        self.settlement.set_items(items, settlement)

    # -- from the widgets to the record ----------------------------------------------------
    def _set(self, attr: str, value: Any, enum: type | None = None) -> None:
        if self.editor.loading:
            return
        if enum is not None and value is not None:
            value = enum(value)
        if getattr(self.editor.record.pupil, attr) == value:
            return

        def change(record: PupilRecord) -> None:
            setattr(record.pupil, attr, value)

        self.editor.edit(f"pupil.{attr}", change)

    def _text_setter(self, attr: str, widget: QLineEdit) -> Callable[[str], None]:
        required = attr in ("surname", "given_name")

        def setter(_text: str) -> None:
            text = widget.text().strip()
            self._set(attr, text if (text or required) else None)

        return setter

    def _notes_changed(self) -> None:
        self._set("notes", self.notes.toPlainText().strip() or None)

    def _iin_changed(self, _text: str) -> None:
        self._set("iin", normalize_iin(self.iin.text()))
        self._update_suggestion()

    def _birth_date_changed(self) -> None:
        # Text that is not (yet) a date is left out of the record; the editor reports it.
        self._set("birth_date", self.birth_date.value())
        self._update_suggestion()
        if not self.editor.loading:
            self.editor.refresh_state()

    def _school_changed(self) -> None:
        if self.editor.loading:
            return
        school_id = self.school.value() or ""
        if self.editor.record.pupil.school_id != school_id:
            language = self.editor.profile_language_of(school_id) if school_id else None

            def change(record: PupilRecord) -> None:
                record.pupil.school_id = school_id
                # A pupil learns in the school's language unless the person chose otherwise
                # (a mixed school leaves the choice to them); one undo takes back both.
                if language is not None and record.pupil.language is None:
                    record.pupil.language = language

            self.editor.edit("pupil.school_id", change)
            self._select(self.language, self.editor.record.pupil.language)
        settlement = self.editor.record.pupil.settlement_kato
        self._fill_settlements(school_id, settlement)
        self._update_place_kind()

    def _settlement_changed(self) -> None:
        if self.editor.loading:
            return
        self._set("settlement_kato", self.settlement.value())
        self._update_place_kind()

    def _update_place_kind(self) -> None:
        pupil = self.editor.record.pupil
        code = pupil.settlement_kato
        if not code:
            school = self.editor.school(pupil.school_id)
            code = school.settlement_kato if school else None
        place = gazetteer().find(code)
        if place is None:
            self.place_kind.clear()
        else:
            self.place_kind.setText(_("Rural") if place.is_rural else _("Urban"))

    def _update_suggestion(self) -> None:
        pupil = self.editor.record.pupil
        birth, sex = suggested_birth_date_and_sex(pupil.iin)
        if birth is None and sex is None:
            self.suggestion.clear()
            self.suggestion.hide()
            self.use_suggestion.hide()
            return
        parts = []
        if birth is not None:
            parts.append(_("born {date}").format(date=format_date(birth)))
        if sex is not None:
            parts.append(sex.label.lower())
        self.suggestion.setText(_("The IIN says: {facts}.").format(facts=", ".join(parts)))
        self.suggestion.show()
        differs = (birth is not None and pupil.birth_date != birth) or (
            sex is not None and pupil.sex != sex)
        self.use_suggestion.setVisible(differs)

    def _use_suggestion(self) -> None:
        birth, sex = suggested_birth_date_and_sex(self.editor.record.pupil.iin)

        def change(record: PupilRecord) -> None:
            if birth is not None:
                record.pupil.birth_date = birth
            if sex is not None:
                record.pupil.sex = sex

        self.editor.edit("pupil.iin_suggestion", change, merge=False, reload=True)

    def _new_school(self) -> None:
        from daryn_desktop.gui.schools import SchoolDialog

        dialog = SchoolDialog(self.editor.store, self, district=self.editor.default_district())
        if dialog.exec() and dialog.school is not None:
            self.editor.forget_choices()
            self._fill_schools(self.editor.record.pupil.school_id)
            self.school.set_value(dialog.school.id)
            self._school_changed()

    # -- messages --------------------------------------------------------------------------
    def show_findings(self, messages: dict[str, tuple[str, bool]]) -> None:
        """Show each field's first message; ``messages`` maps field → (text, is_error)."""
        shown: set[int] = set()
        for field, label in self.messages.items():
            found = messages.get(field)
            if id(label) in shown:
                if found:
                    label.show_message(f"{label.text()}\n{found[0]}", is_error=found[1])
                continue
            label.show_message(found[0] if found else None, is_error=found[1] if found else True)
            if found:
                shown.add(id(label))
