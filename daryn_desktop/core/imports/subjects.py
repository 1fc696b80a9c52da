"""The usual kind of giftedness of a subject, art or sport named in a class list."""

from __future__ import annotations

from daryn_desktop.core.enums import GiftednessKind
from daryn_desktop.core.imports.text import fold

_I, _C, _S, _T = (GiftednessKind.INTELLECTUAL, GiftednessKind.CREATIVE, GiftednessKind.SPORT,
                  GiftednessKind.TECHNICAL)

#: Beginnings of subject names (folded, Kazakh, Russian and English) and their kind. Only
#: the creative, sport and technical ones are needed: everything else is intellectual.
_STEMS: tuple[tuple[str, GiftednessKind], ...] = (
    ("домбыр", _C), ("домбр", _C), ("қобыз", _C), ("кобыз", _C), ("вокал", _C), ("ән", _C),
    ("пение", _C), ("музык", _C), ("music", _C), ("хореограф", _C), ("би", _C), ("танец", _C),
    ("танц", _C), ("dance", _C), ("бейнелеу", _C), ("изобразит", _C), ("сурет", _C),
    ("рисован", _C), ("живопис", _C), ("art", _C), ("театр", _C), ("әдеби шығармашылық", _C),
    ("литературное творчество", _C), ("сәндік", _C), ("декоративн", _C), ("көркем", _C),
    ("художеств", _C), ("шығармашылық", _C), ("творчеств", _C),
    ("шахмат", _S), ("chess", _S), ("тоғыз", _S), ("тогыз", _S), ("күрес", _S), ("борьб", _S),
    ("атлетик", _S), ("футбол", _S), ("football", _S), ("волейбол", _S), ("баскетбол", _S),
    ("бокс", _S), ("дзюдо", _S), ("самбо", _S), ("асық", _S), ("асык", _S), ("жүзу", _S),
    ("плавани", _S), ("спорт", _S), ("дене шынықтыру", _S), ("физическая культура", _S),
    ("таеквондо", _S), ("тхэквондо", _S), ("қазақ күресі", _S), ("sport", _S),
    ("робот", _T), ("бағдарламала", _T), ("программирован", _T), ("programming", _T),
    ("3d", _T), ("модельде", _T), ("моделирован", _T), ("авиамодел", _T), ("электроник", _T),
    ("техни", _T), ("инженер", _T), ("конструкт", _T),
)
# "би" (dance) and "ән" (song) are short: they must be a whole first word.
_WHOLE_WORDS = frozenset({"би", "ән", "art"})


def kind_of_subject(name: str) -> GiftednessKind | None:
    """The kind a subject usually belongs to, or None when the name says nothing."""
    folded = fold(name)
    first = folded.split(" ", 1)[0] if folded else ""
    for stem, kind in _STEMS:
        if stem in _WHOLE_WORDS:
            if first == stem:
                return kind
        elif folded.startswith(stem):
            return kind
    return None
