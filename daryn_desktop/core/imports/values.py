"""Reading one cell: names, IINs, dates, grades with their letters, yes/no, words of a list.

A parser returns the value, or raises :class:`CellProblem` with an untranslated message and
its parameters, so that the reason can be shown later in whatever language is current.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import TypeVar

from daryn_desktop.core.dates import MSG_NOT_A_DATE
from daryn_desktop.core.enums import (
    Award,
    EventKind,
    EventLevel,
    FamilyCategory,
    GiftednessKind,
    Language,
    Sex,
    StaffRole,
)
from daryn_desktop.core.iin import normalize_iin
from daryn_desktop.core.imports.subjects import kind_of_subject
from daryn_desktop.core.imports.text import (
    cell_text,
    collapse,
    fold,
    is_blank,
    mend_script,
    to_cyrillic,
)
from daryn_desktop.core.imports.vocabulary import match_word
from daryn_desktop.i18n import N_

E = TypeVar("E", bound=Enum)

MSG_ONE_WORD_NAME = N_("“{text}” is not a full name: write the surname and the given name.")
MSG_IIN_SCIENTIFIC = N_(
    "The IIN “{text}” was saved as a rounded number: format the column as text in Excel and"
    " type the IIN again.")
MSG_NOT_A_GRADE = N_("“{text}” is not a grade: write it as 7, 7А or 7 «А».")
MSG_NOT_A_NUMBER = N_("“{text}” is not a number.")
MSG_NOT_YES_NO = N_("“{text}” is neither yes nor no: write иә/да or leave the cell empty.")
MSG_NOT_A_PLACE = N_("“{text}” is not a place: write 1, 2, 3 … or the award (the template's codes"
                    " sheet lists them).")
MSG_TWO_DIGIT_YEAR = N_(
    "“{text}” has a two-digit year: write the year in full, for example 15.03.2012.")

#: What each vocabulary is called in a reason (one message per kind, so it translates whole).
MSG_UNKNOWN: dict[type[Enum], str] = {
    Sex: N_("“{text}” is not a sex: write ер/ұл or әйел/қыз (м or ж)."),
    Language: N_("“{text}” is not a language of instruction: write қазақ, орыс or аралас."),
    FamilyCategory: N_("“{text}” is not a family category (the template's codes sheet lists"
                       " them)."),
    GiftednessKind: N_("“{text}” is not a kind of giftedness: write зияткерлік,"
                       " шығармашылық, спорттық or ғылыми-техникалық."),
    StaffRole: N_("“{text}” is not a position the program knows: write мұғалім, тәлімгер,"
                  " психолог, үйлестіруші, директор or директордың орынбасары."),
    Award: N_("“{text}” is not a place or award the program knows (the template's codes sheet"
              " lists them)."),
    EventLevel: N_("“{text}” is not a level of an event: write мектепішілік, аудандық,"
                   " облыстық, республикалық or халықаралық."),
    EventKind: N_("“{text}” is not a kind of event (the template's codes sheet lists them)."),
}

#: The first day Excel counts serial dates from (its 1900 leap-year bug included).
_EXCEL_EPOCH = date(1899, 12, 30)
#: Serial numbers of 1 January 1900 and 31 December 2100: anything else is no date.
_SERIALS = range(1, 73051)
_PATRONYMIC_ENDINGS = frozenset({"ұлы", "улы", "қызы", "кызы", "оглы", "оғлы", "кизи", "угли"})
_DOTTED = re.compile(r"(\d{1,2})[./\-,](\d{1,2})[./\-,](\d{2,4})", re.ASCII)
_ISO = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})", re.ASCII)
_TIME_PART = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_GRADE_WORDS = re.compile(
    r"сыныбы|сынып|класса|классы|класс|кл\.?|grade|class|оқушысы", re.IGNORECASE)
_QUOTES = re.compile(r"[«»\"'“”„‟‘’`]")
_GRADE = re.compile(r"(\d{1,2})\s*[-./]?\s*([^\W\d_]{1,2})?", re.UNICODE)
_ROMAN_GRADES = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8,
                 "ix": 9, "x": 10, "xi": 11, "xii": 12}
_ROMAN_GRADE = re.compile(r"(x?i{1,3}|iv|v|vi{1,3}|ix|xi{1,2}|x)\s*[-.]?\s*([^\W\d_]{1,2})?",
                          re.UNICODE)
_PRE_SCHOOL = ("мектепалды", "мектепке дейінгі", "даярлық", "предшкол", "подготовит")
_YES = frozenset({"иә", "ия", "иа", "да", "yes", "y", "+", "1", "true", "ақиқат", "бар", "есть",
                  "✓", "✔", "v", "х", "x"})
_NO = frozenset({"жоқ", "нет", "no", "n", "-", "0", "false", "—", "–"})
_LIST_SEPARATORS = re.compile(r"[;\n]+")
#: A place as protocols write it: "1", "I", "1 орын", "II орын", "3-е место", "2nd".
_PLACE = re.compile(r"(\d{1,3}|i{1,3}|iv|v|vi{1,3}|ix|x)(?:\s*-?\s*(?:орын|орынға|место|ое|е|"
                    r"ші|шы|st|nd|rd|th|place))*\.?", re.UNICODE)
_ROMAN_PLACES = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8,
                 "ix": 9, "x": 10}
#: What a protocol writes for a pupil registered who did not come.
_ABSENT = frozenset({"қатыспады", "қатыспаған", "келмеді", "келген жоқ", "не участвовал",
                     "не участвовала", "не участвовал(а)", "не явился", "не явилась", "неявка",
                     "н/я", "absent", "did not take part"})


class CellProblem(Exception):
    """A cell that cannot be read; ``message`` is an untranslated message id."""

    def __init__(self, message: str, **params: object):
        super().__init__(message)
        self.message = message
        self.params = params


def text(value: object) -> str | None:
    """The cell as text, or None when it is empty."""
    shown = cell_text(value)
    return shown or None


def name_part(value: object) -> str | None:
    """One part of a name, with mixed scripts mended and CAPITALS made Title Case."""
    shown = text(value)
    if shown is None:
        return None
    shown = mend_script(shown)
    letters = [ch for ch in shown if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        shown = "-".join(part.capitalize() for part in shown.split("-"))
        shown = " ".join(word[:1].upper() + word[1:] for word in shown.split(" "))
    return shown


def split_full_name(value: object) -> tuple[str, str, str | None]:
    """Surname, given name and patronymic from one cell ("Әбілқайыров Ұлықбек Ғабитұлы").

    A Kazakh patronymic written as two words ("Ғабит ұлы") stays one patronymic.
    """
    full = name_part(value) or ""
    words = full.split()
    if len(words) >= 4 and fold(words[-1]) in _PATRONYMIC_ENDINGS:
        words = [*words[:-2], f"{words[-2]} {words[-1]}"]
    if len(words) < 2:
        raise CellProblem(MSG_ONE_WORD_NAME, text=full)
    if len(words) == 2:
        return words[0], words[1], None
    return words[0], words[1], " ".join(words[2:])


def iin(value: object) -> str | None:
    """An IIN as 12 digits where it can be read as one (checked later with the editor's rules).

    A number cell loses the leading zero of IINs of people born in 2000–2009: 11 digits
    from a number get it back. Rounded numbers ("1,20315E+11") cannot be mended.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer() or value >= 1e12:
            raise CellProblem(MSG_IIN_SCIENTIFIC, text=cell_text(value))
        value = int(value)
    if isinstance(value, int):
        digits = str(value)
        return digits.zfill(12) if len(digits) == 11 else digits
    shown = normalize_iin(str(value)).lstrip("'")
    if not shown:
        return None
    if re.fullmatch(r"\d[.,]\d+[eE]\+?\d+", shown):
        raise CellProblem(MSG_IIN_SCIENTIFIC, text=str(value).strip())
    if re.fullmatch(r"\d{12}\.0+", shown):
        shown = shown.split(".")[0]
    if re.fullmatch(r"\d{11}", shown):
        return "0" + shown
    return shown


def excel_serial_date(serial: float) -> date | None:
    """The date of an Excel serial number, None outside 1900–2100."""
    if int(serial) not in _SERIALS:
        return None
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def a_date(value: object) -> date | None:
    """A date from a date cell, an Excel serial number, dd.mm.yyyy or yyyy-mm-dd text."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        found = excel_serial_date(value)
        if found is None:
            raise CellProblem(MSG_NOT_A_DATE, text=cell_text(value))
        return found
    shown = _TIME_PART.sub("", collapse(str(value))).strip()
    if re.fullmatch(r"\d{4,5}", shown):
        found = excel_serial_date(int(shown))
        if found is not None:
            return found
    try:
        dotted = _DOTTED.fullmatch(shown)
        if dotted:
            day, month, year = (int(g) for g in dotted.groups())
            if len(dotted.group(3)) != 4:
                raise CellProblem(MSG_TWO_DIGIT_YEAR, text=shown)
            return date(year, month, day)
        iso = _ISO.fullmatch(shown)
        if iso:
            year, month, day = (int(g) for g in iso.groups())
            return date(year, month, day)
    except ValueError:
        pass  # an impossible date (31.02) gets the message of a malformed one
    raise CellProblem(MSG_NOT_A_DATE, text=shown)


def grade_and_letter(value: object) -> tuple[int | None, str | None]:
    """Grade and class letter: "7А", "7 «А»", "7-а", "7 А сынып", "VII А", 7, "0" …"""
    if is_blank(value):
        return None, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value), None
        raise CellProblem(MSG_NOT_A_GRADE, text=cell_text(value))
    shown = collapse(str(value))
    folded = fold(shown)
    if any(folded.startswith(word) for word in _PRE_SCHOOL):
        return 0, None
    bare = _QUOTES.sub(" ", _GRADE_WORDS.sub(" ", shown))
    bare = collapse(bare.replace("(", " ").replace(")", " "))
    found = _GRADE.fullmatch(bare)
    if found:
        return int(found.group(1)), class_letter(found.group(2))
    roman = _ROMAN_GRADE.fullmatch(bare.casefold())
    if roman and bare[:1].isascii():
        return _ROMAN_GRADES[roman.group(1)], class_letter(bare[len(roman.group(1)):].strip(
            " -.") or None)
    raise CellProblem(MSG_NOT_A_GRADE, text=shown)


def class_letter(value: object) -> str | None:
    """A class letter in capitals, Latin look-alikes as Cyrillic ("a" → "А")."""
    shown = text(value)
    if shown is None:
        return None
    shown = _QUOTES.sub("", shown).strip(" -.")
    if not shown:
        return None
    return to_cyrillic(shown).upper()


def number(value: object) -> float | None:
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    shown = collapse(str(value)).replace(" ", "").replace(",", ".")
    try:
        return float(shown)
    except ValueError:
        raise CellProblem(MSG_NOT_A_NUMBER, text=collapse(str(value))) from None


@dataclass(frozen=True)
class PlaceCell:
    """What a protocol's place or award cell says: a place, an award, or that the pupil did
    not take part."""

    place: int | None = None
    award: Award | None = None
    absent: bool = False


def place_or_award(value: object) -> PlaceCell | None:
    """A place ("1", "II орын", "3-е место"), an award ("Диплом I дәрежелі", "қатысушы") or
    "did not take part" ("қатыспады", "неявка"); None for an empty cell."""
    shown = text(value)
    if shown is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and value >= 1:
            return PlaceCell(place=int(value))
        raise CellProblem(MSG_NOT_A_PLACE, text=shown)
    folded = fold(shown).strip(" .")
    if folded in _ABSENT:
        return PlaceCell(absent=True)
    found = _PLACE.fullmatch(folded)
    if found is not None:
        number = found.group(1)
        return PlaceCell(place=int(number) if number.isdigit() else _ROMAN_PLACES[number])
    award = match_word(Award, shown)
    if award is None:
        raise CellProblem(MSG_NOT_A_PLACE, text=shown)
    return PlaceCell(award=award)


def award_or_absent(value: object) -> PlaceCell | None:
    """An award cell: the award, or "did not take part"; None for an empty cell."""
    shown = text(value)
    if shown is None:
        return None
    if fold(shown).strip(" .") in _ABSENT:
        return PlaceCell(absent=True)
    award = word(Award, value)
    return PlaceCell(award=award)


def yes_no(value: object) -> bool | None:
    """True, False, or None for an empty cell."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    folded = fold(str(value)).strip(".")
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise CellProblem(MSG_NOT_YES_NO, text=collapse(str(value)))


def word(enum: type[E], value: object) -> E | None:
    """The member of ``enum`` the cell names, None for an empty cell."""
    shown = text(value)
    if shown is None:
        return None
    found = match_word(enum, shown)
    if found is None:
        raise CellProblem(MSG_UNKNOWN[enum], text=shown)
    return found


def words(enum: type[E], value: object) -> list[E]:
    """Several members named in one cell, separated by commas, semicolons or new lines.

    A label that itself holds a comma ("Семья, пострадавшая от …") is still read whole.
    """
    shown = text(value)
    if shown is None:
        return []
    whole = match_word(enum, shown)
    if whole is not None:
        return [whole]
    found: list[E] = []
    for chunk in _LIST_SEPARATORS.split(shown):
        parts = [p.strip() for p in chunk.split(",") if p.strip()]
        start = 0
        while start < len(parts):
            for end in range(len(parts), start, -1):
                member = match_word(enum, ", ".join(parts[start:end]))
                if member is not None:
                    if member not in found:
                        found.append(member)
                    start = end
                    break
            else:
                raise CellProblem(MSG_UNKNOWN[enum], text=parts[start])
    return found


def areas(kind: GiftednessKind | None, value: object) -> list[tuple[GiftednessKind, str]]:
    """Giftedness areas of one cell: "Математика", "Шығармашылық: Домбыра", "Домбыра (шығ.)".

    The kind is the one written, else ``kind`` (of a column of its own), else the usual kind of
    the subject (mathematics is intellectual, dombyra creative), else intellectual.
    """
    shown = text(value)
    if shown is None:
        return []
    found: list[tuple[GiftednessKind, str]] = []
    for part in re.split(r"[;,\n]+", shown):
        part = collapse(part)
        if not part:
            continue
        written: GiftednessKind | None = None
        field = part
        if ":" in part:
            head, tail = part.split(":", 1)
            written = match_word(GiftednessKind, head)
            if written is not None:
                field = collapse(tail)
        bracket = re.fullmatch(r"(.+?)\s*\((.+)\)", field)
        if written is None and bracket:
            written = match_word(GiftednessKind, bracket.group(2))
            if written is not None:
                field = bracket.group(1)
        field = mend_script(field)
        if not field:
            continue
        chosen = written or kind or kind_of_subject(field) or GiftednessKind.INTELLECTUAL
        if all(fold(f) != fold(field) for _k, f in found):
            found.append((chosen, field[:1].upper() + field[1:]))
    return found
