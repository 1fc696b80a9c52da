"""Words a spreadsheet may use for the program's vocabulary (categories, awards, roles …).

Every member of an enumeration is known by its label in Kazakh, Russian and English (from
the catalogues, so a file saved from this program reads back), by its stored value, and by
the common variants listed here: abbreviations (АӘК, АСП), other spellings and the words of
the forms schools and olympiad committees fill in.
"""

from __future__ import annotations

import functools
import re
from enum import Enum
from typing import TypeVar

from daryn_desktop.core.enums import (
    Award,
    EventKind,
    EventLevel,
    FamilyCategory,
    GiftednessKind,
    Labeled,
    Language,
    Sex,
    StaffRole,
)
from daryn_desktop.core.imports.text import fold, header_key
from daryn_desktop.i18n import gettext_for

E = TypeVar("E", bound=Enum)

#: Variants beyond the translated labels (compared after :func:`header_key`).
SYNONYMS: dict[Enum, tuple[str, ...]] = {
    Sex.MALE: ("ер", "ер бала", "ұл", "ұл бала", "м", "муж", "мужской", "мальчик", "male", "m",
               "е"),
    Sex.FEMALE: ("әйел", "қыз", "қыз бала", "ж", "жен", "женский", "девочка", "female", "f",
                 "ә"),
    Language.KAZAKH: ("қазақ", "қазақша", "каз", "казахский", "kazakh", "kz", "kk", "қаз"),
    Language.RUSSIAN: ("орыс", "орысша", "рус", "русский", "russian", "ru"),
    Language.MIXED: ("аралас", "смешанный", "смешанная", "қазақ орыс", "каз рус",
                     "казахский русский", "mixed"),
    Language.UZBEK: ("өзбек", "узбекский"),
    Language.UYGHUR: ("ұйғыр", "уйгурский"),
    Language.TAJIK: ("тәжік", "таджикский"),
    Language.ENGLISH: ("ағылшын", "английский"),
    FamilyCategory.LARGE_FAMILY: ("көп балалы", "көпбалалы", "многодетные", "многодетный",
                                  "многодетная", "large family"),
    FamilyCategory.SOCIAL_ASSISTANCE: ("аәк", "асп", "атаулы әлеуметтік көмек",
                                       "адресная социальная помощь", "получатель асп",
                                       "аәк алушы"),
    FamilyCategory.LOW_INCOME: ("аз қамтылған", "аз қамтылған отбасы", "малообеспеченная",
                                "малообеспеченные", "малоимущая", "low income"),
    FamilyCategory.ORPHAN: ("жетім", "сирота", "жетім бала", "orphan"),
    FamilyCategory.NO_PARENTAL_CARE: ("ата анасының қамқорлығынсыз",
                                      "без попечения родителей", "опека", "қамқорлықта"),
    FamilyCategory.DISABILITY: ("мүгедек", "мүгедектігі бар", "ерекше білім беру қажеттілігі",
                                "инвалид", "инвалидность", "с инвалидностью", "оов"),
    FamilyCategory.SINGLE_PARENT: ("толық емес", "толық емес отбасы", "неполная",
                                   "неполная семья", "single parent"),
    FamilyCategory.EMERGENCY: ("төтенше жағдай", "чс", "пострадавшие от чс"),
    GiftednessKind.INTELLECTUAL: ("зияткерлік", "интеллектуальный", "интеллектуальная",
                                  "пәндік", "предметная", "академическая"),
    GiftednessKind.CREATIVE: ("шығармашылық", "творческий", "творческая", "өнер", "искусство"),
    GiftednessKind.SPORT: ("спорт", "спорттық", "спортивный", "спортивная"),
    GiftednessKind.TECHNICAL: ("техникалық", "ғылыми техникалық", "технический",
                               "научно технический", "техническая", "робототехника"),
    EventLevel.SCHOOL: ("мектеп", "мектепішілік", "школьный", "школа", "внутришкольный"),
    EventLevel.DISTRICT: ("аудандық", "қалалық", "аудан", "районный", "городской", "район",
                          "город", "аудандық қалалық", "районный городской"),
    EventLevel.REGIONAL: ("облыстық", "облыс", "областной", "область", "региональный"),
    EventLevel.REPUBLICAN: ("республикалық", "республика", "республиканский", "национальный",
                            "ұлттық"),
    EventLevel.INTERNATIONAL: ("халықаралық", "международный", "международная"),
    EventKind.SUBJECT_OLYMPIAD: ("олимпиада", "пән олимпиадасы", "предметная олимпиада"),
    EventKind.SCIENCE_PROJECTS: ("ғылыми жоба", "ғылыми жобалар", "научный проект",
                                 "научные проекты", "конкурс научных проектов"),
    EventKind.CREATIVE_CONTEST: ("байқау", "конкурс", "творческий конкурс"),
    EventKind.SPORT_COMPETITION: ("жарыс", "спорт", "соревнование", "турнир", "спартакиада"),
    EventKind.DEBATE: ("дебат", "дебаты", "дебатный турнир"),
    EventKind.FESTIVAL: ("фестиваль",),
    EventKind.INTELLECTUAL_GAME: ("зияткерлік ойын", "интеллектуальная игра"),
    StaffRole.TEACHER: ("мұғалім", "пән мұғалімі", "учитель", "педагог", "преподаватель",
                        "teacher"),
    StaffRole.MENTOR: ("тәлімгер", "жетекші", "наставник", "руководитель", "куратор", "mentor"),
    StaffRole.PSYCHOLOGIST: ("психолог", "педагог психолог", "мектеп психологы",
                             "школьный психолог"),
    StaffRole.COORDINATOR: ("үйлестіруші", "координатор", "әдіскер", "методист"),
    StaffRole.SCHOOL_HEAD: ("директор", "мектеп директоры", "директор школы", "басшы"),
    StaffRole.DEPUTY_HEAD: ("директордың орынбасары", "орынбасар", "завуч",
                            "заместитель директора", "замдиректора", "оту жөніндегі орынбасар"),
    Award.PLACE_1: ("1", "i", "1 орын", "i орын", "бірінші орын", "1 место", "i место",
                    "первое место", "1st", "1 place", "жеңімпаз", "победитель", "winner"),
    Award.PLACE_2: ("2", "ii", "2 орын", "ii орын", "екінші орын", "2 место", "ii место",
                    "второе место", "2nd"),
    Award.PLACE_3: ("3", "iii", "3 орын", "iii орын", "үшінші орын", "3 место", "iii место",
                    "третье место", "3rd"),
    Award.DIPLOMA_1: ("i дәрежелі", "1 дәрежелі диплом", "диплом i", "диплом 1 степени",
                      "диплом 1", "i дәрежелі диплом", "диплом i дәрежелі",
                      "диплом i степени"),
    Award.DIPLOMA_2: ("ii дәрежелі", "2 дәрежелі диплом", "диплом ii", "диплом 2 степени",
                      "диплом 2", "диплом ii дәрежелі", "диплом ii степени"),
    Award.DIPLOMA_3: ("iii дәрежелі", "3 дәрежелі диплом", "диплом iii", "диплом 3 степени",
                      "диплом 3", "диплом iii дәрежелі", "диплом iii степени"),
    Award.GOLD: ("алтын", "золото", "золотая", "gold"),
    Award.SILVER: ("күміс", "серебро", "серебряная", "silver"),
    Award.BRONZE: ("қола", "бронза", "бронзовая", "bronze"),
    Award.GRAND_PRIX: ("гран при", "grand prix", "бас жүлде"),
    Award.HONOURABLE_MENTION: ("мақтау қағазы", "почетный отзыв", "похвальный отзыв",
                               "honourable mention", "honorable mention"),
    Award.CERTIFICATE_OF_MERIT: ("грамота", "мақтау грамотасы", "почетная грамота",
                                 "похвальная грамота", "алғыс хат", "благодарственное письмо"),
    Award.PARTICIPANT: ("қатысушы", "участник", "участие", "қатысқаны үшін", "сертификат",
                        "сертификат участника", "participant"),
}

_ROMAN = {"i": "1", "ii": "2", "iii": "3"}
_TOKEN = re.compile(r"\w+", re.UNICODE)


def _word_key(text: str) -> str:
    """Words of ``text`` folded, with I/II/III as digits, joined without spaces."""
    words = [_ROMAN.get(w, w) for w in _TOKEN.findall(fold(text).replace("-", " "))]
    return header_key(" ".join(words))


@functools.cache
def _index(enum: type[Labeled]) -> dict[str, Labeled]:
    found: dict[str, Labeled] = {}
    for member in enum:
        keys = {member.value, member.label_id}
        for lang in ("kk", "ru", "en"):
            keys.add(gettext_for(lang)(member.label_id))
        keys.update(SYNONYMS.get(member, ()))
        for key in keys:
            found.setdefault(_word_key(key), member)
    return found


def match_word(enum: type[E], text: str) -> E | None:
    """The member of ``enum`` that ``text`` names (any of its languages or variants), or None."""
    key = _word_key(text)
    if not key:
        return None
    found = _index(enum).get(key)
    # _index(enum) holds members of `enum` only; the cache cannot carry the type variable.
    return found  # type: ignore[return-value]
