"""What can be imported, and the column headers each field is known by (kk, ru, en)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import Enum

from daryn_desktop.core.enums import FamilyCategory
from daryn_desktop.core.imports.text import header_key
from daryn_desktop.core.imports.vocabulary import SYNONYMS
from daryn_desktop.i18n import N_, gettext_for


class ImportKind(str, Enum):
    PUPILS = "pupils"
    SCHOOLS = "schools"
    STAFF = "staff"
    RESULTS = "results"

    @property
    def label_id(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    ImportKind.PUPILS: N_("Pupils (a class list)"),
    ImportKind.SCHOOLS: N_("Schools"),
    ImportKind.STAFF: N_("Teachers and specialists"),
    ImportKind.RESULTS: N_("Results of an event"),
}

#: The field of a column that is known and deliberately left out (a row number, a class
#: teacher's name): it is never guessed as anything else.
IGNORE = "ignore"


@dataclass(frozen=True)
class Field:
    """One thing a column can hold."""

    key: str
    #: Its name in the mapping and in reasons (an untranslated message id).
    label: str
    #: The header of the template, in Kazakh and Russian.
    template: tuple[str, str]
    #: Other headers it is known by (compared as :func:`header_key` makes them).
    names: tuple[str, ...] = ()
    #: Used as a column of the template.
    in_template: bool = True

    @functools.cached_property
    def header_keys(self) -> frozenset[str]:
        """The field's names as compared with headers; its name in every language too, so
        that a list this program saved reads back."""
        names = (*self.template, *self.names, self.label,
                 *(gettext_for(lang)(self.label) for lang in ("kk", "ru")))
        return frozenset(header_key(n) for n in names if header_key(n))


def _f(key: str, label: str, kk: str, ru: str, *names: str, in_template: bool = True) -> Field:
    return Field(key, label, (kk, ru), names, in_template)


_NAME_FIELDS = (
    _f("full_name", N_("Full name"), "Аты-жөні", "ФИО", "Т.А.Ә.", "ТАӘ", "Аты жөні",
       "Тегі, аты, әкесінің аты", "Тегі аты әкесінің аты", "Оқушының аты-жөні",
       "Оқушының Т.А.Ә.", "Білім алушының аты-жөні", "Білім алушының Т.А.Ә.",
       "Фамилия, имя, отчество", "Фамилия имя отчество", "Ф.И.О.", "ФИО учащегося",
       "ФИО ученика", "ФИО обучающегося", "ФИО участника", "Қатысушының аты-жөні",
       "Full name", "Name", "Pupil", "Оқушы", "Учащийся", "Ученик", in_template=False),
    _f("surname", N_("Surname"), "Тегі", "Фамилия", "Surname", "Last name", "Family name"),
    _f("given_name", N_("Given name"), "Аты", "Имя", "Given name", "First name"),
    _f("patronymic", N_("Patronymic"), "Әкесінің аты", "Отчество", "Patronymic",
       "Middle name", "Әкесінің есімі"),
)
_IIN = _f("iin", N_("IIN"), "ЖСН", "ИИН", "IIN", "ЖСН/ИИН", "ИИН/ЖСН",
          "Жеке сәйкестендіру нөмірі", "Индивидуальный идентификационный номер",
          "ИИН учащегося", "Оқушының ЖСН")
_BIRTH = _f("birth_date", N_("Date of birth"), "Туған күні", "Дата рождения",
            "Туған жылы, айы, күні", "Туылған күні", "Туған күні айы жылы", "Д.р.",
            "Дата рожд.", "Date of birth", "Birth date", "Born")
_SCHOOL = _f("school", N_("School"), "Мектеп", "Школа", "Мектеп атауы", "Білім беру ұйымы",
             "Білім беру ұйымының атауы", "Оқитын мектебі", "Мектебі", "Организация образования",
             "Наименование организации образования", "Учебное заведение",
             "Наименование школы", "Название школы", "School", "Мектеп ID", "ID школы")
_GRADE = _f("grade", N_("Grade"), "Сынып", "Класс", "Сыныбы", "Оқитын сыныбы", "Класс обучения",
            "Grade", "Class", "Параллель")
_SUBJECT = _f("subject", N_("Subject"), "Пән", "Предмет", "Пәні", "Пән атауы", "Subject",
              "Олимпиада пәні", "Предмет олимпиады", "Бағыты", "Секция", "Направление")

PUPIL_FIELDS: tuple[Field, ...] = (
    *_NAME_FIELDS, _IIN, _BIRTH,
    _f("sex", N_("Sex"), "Жынысы", "Пол", "Sex", "Gender", "Жыныс"),
    _SCHOOL, _GRADE,
    _f("class_letter", N_("Class letter"), "Литер", "Литера", "Сынып литері", "Буква класса",
       "Литер класса", "Letter"),
    _f("language", N_("Language of instruction"), "Оқыту тілі", "Язык обучения", "Тілі",
       "Язык", "Оқу тілі", "Language"),
    _f("categories", N_("Family categories"), "Әлеуметтік санаты", "Социальная категория",
       "Санаты", "Категория", "Отбасының санаты", "Категория семьи", "Социальный статус",
       "Әлеуметтік жағдайы", "Categories", "Санаттары", "Категории"),
    _f("areas", N_("Giftedness areas"), "Дарындылық саласы", "Область одарённости",
       "Дарындылық бағыты", "Направление одарённости", "Пән", "Предмет", "Бағыты",
       "Giftedness areas", "Areas"),
    _f("area_kind", N_("Kind of giftedness"), "Дарындылық түрі", "Вид одарённости",
       "Дарындылық", "Одарённость", "Kind of giftedness"),
    _f("phone", N_("Phone"), "Телефон", "Телефон", "Байланыс телефоны", "Контактный телефон",
       "Ұялы телефон", "Phone"),
    _f("address", N_("Address"), "Мекенжайы", "Адрес", "Тұратын мекенжайы",
       "Адрес проживания", "Address"),
    _f("consent_date", N_("Consent date"), "Келісім күні", "Дата согласия",
       "Дербес деректерді өңдеуге келісім", "Согласие на обработку персональных данных",
       "Келісім", "Согласие"),
    _f("notes", N_("Notes"), "Ескерту", "Примечание", "Ескертпе", "Notes", "Note"),
)

SCHOOL_FIELDS: tuple[Field, ...] = (
    _f("name", N_("School name"), "Мектеп атауы", "Название школы", "Мектеп", "Школа",
       "Атауы", "Наименование", "Білім беру ұйымының атауы",
       "Наименование организации образования", "Организация образования", "School", "Name"),
    _f("settlement", N_("Settlement (name or KATO code)"), "Елді мекен", "Населённый пункт",
       "КАТО", "КАТО коды", "Код КАТО", "Елді мекен (КАТО)", "Населённый пункт (КАТО)",
       "Ауыл", "Село", "Settlement", "KATO"),
    _f("language", N_("Language of instruction"), "Оқыту тілі", "Язык обучения", "Тілі",
       "Language"),
    _f("small_ungraded", N_("Small ungraded school"), "Шағын жинақты", "Малокомплектная",
       "Шағын жинақты мектеп", "Малокомплектная школа", "ШЖМ", "МКШ"),
    _f("address", N_("Address"), "Мекенжайы", "Адрес", "Address"),
    _f("phone", N_("Phone"), "Телефон", "Телефон", "Phone"),
    _f("id", N_("Code in the program"), "Коды", "Код", "ID", "Мектеп коды", "Код школы",
       in_template=False),
)

STAFF_FIELDS: tuple[Field, ...] = (
    _f("full_name", N_("Full name"), "Аты-жөні", "ФИО", "Т.А.Ә.", "ТАӘ", "Аты жөні",
       "Тегі, аты, әкесінің аты", "Фамилия, имя, отчество", "Ф.И.О.", "Мұғалімнің аты-жөні",
       "ФИО педагога", "ФИО учителя", "Педагогтың аты-жөні", "Full name", "Name",
       in_template=False),
    *_NAME_FIELDS[1:],
    _f("role", N_("Position"), "Лауазымы", "Должность", "Лауазым", "Қызметі", "Position",
       "Role"),
    _SCHOOL,
    _f("subject", N_("Subject"), "Пәні", "Предмет", "Пән", "Оқытатын пәні",
       "Преподаваемый предмет", "Subject"),
    _f("phone", N_("Phone"), "Телефон", "Телефон", "Байланыс телефоны", "Phone"),
)

RESULT_FIELDS: tuple[Field, ...] = (
    *_NAME_FIELDS, _IIN, _BIRTH, _SCHOOL, _GRADE, _SUBJECT,
    _f("score", N_("Score"), "Балл", "Балл", "Ұпай", "Жинаған балы", "Набранный балл",
       "Ұпай саны", "Score", "Points"),
    _f("place", N_("Place"), "Орны", "Место", "Орын", "Алған орны", "Жүлделі орын",
       "Призовое место", "Занятое место", "Орны / марапаты", "Место / награда", "Place"),
    _f("award", N_("Award"), "Марапаты", "Награда", "Марапат", "Нәтиже", "Результат",
       "Диплом", "Дипломы", "Диплом дәрежесі", "Степень диплома", "Award", "Result"),
    _f("teacher", N_("Preparing teacher"), "Дайындаған мұғалім", "Подготовивший учитель",
       "Жетекшісі", "Руководитель", "Жетекші мұғалім", "Ғылыми жетекші", "Научный руководитель",
       "Дайындаған педагог", "Учитель", "Мұғалім", "Teacher"),
    _f("event", N_("Event"), "Іс-шара", "Мероприятие", "Іс-шараның атауы",
       "Название мероприятия", "Олимпиада", "Байқау", "Конкурс", "Event"),
    _f("level", N_("Level"), "Деңгейі", "Уровень", "Кезең", "Этап", "Level"),
    _f("event_kind", N_("Kind of event"), "Іс-шара түрі", "Вид мероприятия", "Kind of event",
       in_template=False),
    _f("academic_year", N_("Academic year"), "Оқу жылы", "Учебный год", "Academic year",
       in_template=False),
    _f("date", N_("Date"), "Күні", "Дата", "Өткізілген күні", "Дата проведения", "Date",
       in_template=False),
    _f("note", N_("Note"), "Ескерту", "Примечание", "Note", in_template=False),
)

#: Headers that name something this program does not import, so that they are never taken
#: for a field they resemble ("Сынып жетекшісі" is not the grade).
IGNORED_NAMES = ("№", "Р/с", "р/с", "№ п/п", "Реттік нөмірі", "Сынып жетекшісі",
                 "Классный руководитель", "Ата-анасы", "Родители", "Ата-анасының аты-жөні",
                 "ФИО родителей", "Ұлты", "Национальность", "Қолы", "Подпись")


def category_field(category: FamilyCategory) -> Field:
    """A yes/no column of one category ("Көп балалы отбасы": иә)."""
    kk, ru = gettext_for("kk")(category.label_id), gettext_for("ru")(category.label_id)
    return Field(f"category:{category.value}", category.label_id, (kk, ru),
                 SYNONYMS.get(category, ()), in_template=False)


@functools.cache
def fields_of(kind: ImportKind) -> tuple[Field, ...]:
    """Every field of a kind, in the order of its template's columns."""
    if kind == ImportKind.PUPILS:
        return (*PUPIL_FIELDS, *(category_field(c) for c in FamilyCategory
                                 if c != FamilyCategory.OTHER))
    return {ImportKind.SCHOOLS: SCHOOL_FIELDS, ImportKind.STAFF: STAFF_FIELDS,
            ImportKind.RESULTS: RESULT_FIELDS}[kind]


def field_by_key(kind: ImportKind, key: str) -> Field | None:
    return next((f for f in fields_of(kind) if f.key == key), None)


#: Fields without which no row of a kind can be read (one of each group must be mapped).
REQUIRED: dict[ImportKind, tuple[tuple[str, ...], ...]] = {
    ImportKind.PUPILS: (("full_name", "surname"),),
    ImportKind.SCHOOLS: (("name",),),
    ImportKind.STAFF: (("full_name", "surname"),),
    ImportKind.RESULTS: (("full_name", "surname", "iin"), ("place", "award", "score")),
}
