"""Demo names of children and adults in the proportions of Kazakhstan's schools."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from daryn_desktop.demo import names as words
from daryn_desktop.demo.draws import Choice, pairs


def _kazakh_surnames(root: str) -> tuple[str, str]:
    """The male and female surname made from an ancestor's name (Жұмабай → Жұмабаев/-ева)."""
    if root.endswith("й"):
        male = root[:-1] + "ев"
    elif root.endswith("и"):
        male = root + "ев"
    elif root.endswith(("ы", "і")):
        male = root[:-1] + "иев"
    elif root.endswith("а"):
        male = root[:-1] + "ин"
    else:
        male = root + "ов"
    return male, male + "а"


def feminine(surname: str) -> str:
    """The female form of a Russian-type surname; others (Ким, Шмидт, Коваленко) do not change."""
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith(("ский", "цкий")):
        return surname[:-2] + "ая"
    return surname


def _unchanged(surnames: Sequence[str]) -> tuple[tuple[str, str], ...]:
    return tuple((s, s) for s in surnames)


#: Surname, given name, patronymic (if any), the father's surname and given name.
_ChildName = tuple[str, str, str | None, str, str]


@dataclass(frozen=True)
class _Group:
    """An origin of names: surnames (male, female), given names, fathers and women's names."""

    surnames: tuple[tuple[str, str], ...]
    boys: Choice[str]
    girls: Choice[str]
    fathers: tuple[tuple[str, str, str], ...]
    women: tuple[str, ...]


class Names:
    """Draws full names of children and adults in the proportions of Kazakhstan's schools."""

    def __init__(self) -> None:
        roots = words.KAZAKH_SURNAME_ROOTS
        self.kz_surnames = tuple(_kazakh_surnames(r) for r in roots)
        self.kz_roots = roots
        # The rare Һ names: about one Kazakh boy or girl in a hundred, as in life.
        self.kz_boys = Choice(words.KAZAKH_BOYS + words.KAZAKH_BOYS_RARE,
                              [1.0] * len(words.KAZAKH_BOYS) + [0.5] * len(words.KAZAKH_BOYS_RARE))
        self.kz_girls = Choice(
            words.KAZAKH_GIRLS + words.KAZAKH_GIRLS_RARE,
            [1.0] * len(words.KAZAKH_GIRLS) + [0.5] * len(words.KAZAKH_GIRLS_RARE))
        russian = tuple((s, feminine(s)) for s in words.RUSSIAN_SURNAMES)
        ru_boys = Choice(words.RUSSIAN_BOYS, [1.0] * len(words.RUSSIAN_BOYS))
        ru_girls = Choice(words.RUSSIAN_GIRLS, [1.0] * len(words.RUSSIAN_GIRLS))
        turkic_boys = Choice(words.TURKIC_BOYS + words.RUSSIAN_BOYS,
                             [2.0] * len(words.TURKIC_BOYS) + [0.3] * len(words.RUSSIAN_BOYS))
        turkic_girls = Choice(words.TURKIC_GIRLS + words.RUSSIAN_GIRLS,
                              [2.0] * len(words.TURKIC_GIRLS) + [0.3] * len(words.RUSSIAN_GIRLS))
        turkic = tuple((s, feminine(s)) for s in words.TURKIC_SURNAMES)
        # Non-Kazakh families: Russians most, then Tatars/Uzbeks/Uyghurs, Koreans, Ukrainians,
        # Germans.
        self.others = pairs([
            (_Group(russian, ru_boys, ru_girls, words.RUSSIAN_FATHERS, words.RUSSIAN_WOMEN), 62),
            (_Group(turkic, turkic_boys, turkic_girls,
                    words.TURKIC_FATHERS + words.RUSSIAN_FATHERS[:8],
                    words.RUSSIAN_WOMEN + words.TURKIC_GIRLS), 15),
            (_Group(_unchanged(words.KOREAN_SURNAMES), ru_boys, ru_girls, words.RUSSIAN_FATHERS,
                    words.RUSSIAN_WOMEN), 8),
            (_Group(_unchanged(words.UKRAINIAN_SURNAMES), ru_boys, ru_girls, words.RUSSIAN_FATHERS,
                    words.RUSSIAN_WOMEN), 8),
            (_Group(_unchanged(words.GERMAN_SURNAMES), ru_boys, ru_girls, words.RUSSIAN_FATHERS,
                    words.RUSSIAN_WOMEN), 7),
        ])

    def child(self, rng: random.Random, kazakh: bool, female: bool) -> _ChildName:
        """Surname, given name, patronymic, and the father's surname and given name."""
        if kazakh:
            i = rng.randrange(len(self.kz_surnames))
            father = rng.choice(words.KAZAKH_MEN)
            given = (self.kz_girls if female else self.kz_boys).pick(rng)
            if rng.random() < 0.06:
                # A growing number of families write the -ұлы/-қызы form as the surname; such a
                # child has no separate patronymic.
                root = self.kz_roots[i]
                surname = root + ("қызы" if female else "ұлы")
                return surname, given, None, root + "ұлы", father
            male, fem = self.kz_surnames[i]
            patronymic = father + ("қызы" if female else "ұлы")
            return (fem if female else male), given, patronymic, male, father
        group = self.others.pick(rng)
        male, fem = rng.choice(group.surnames)
        father, son_of, daughter_of = rng.choice(group.fathers)
        given = (group.girls if female else group.boys).pick(rng)
        return (fem if female else male), given, (daughter_of if female else son_of), male, father

    def adult(self, rng: random.Random, kazakh: bool, female: bool) -> tuple[str, str, str]:
        """Surname, given name and patronymic of a parent or a member of staff."""
        if kazakh:
            male, fem = rng.choice(self.kz_surnames)
            father = rng.choice(words.KAZAKH_MEN)
            if female:
                return fem, rng.choice(words.KAZAKH_WOMEN), father + "қызы"
            return male, rng.choice(words.KAZAKH_MEN), father + "ұлы"
        group = self.others.pick(rng)
        male, fem = rng.choice(group.surnames)
        _father, son_of, daughter_of = rng.choice(group.fathers)
        if female:
            return fem, rng.choice(group.women), daughter_of
        return male, rng.choice(group.fathers)[0], son_of


def short_name(surname: str, given: str, patronymic: str | None) -> str:
    """Surname and initials, as signature blocks print them (Сейітова А.Б.)."""
    initials = "".join(f"{p[0]}." for p in (given, patronymic) if p)
    return f"{surname} {initials}"


def phone(rng: random.Random) -> str:
    n = rng.randrange(10_000_000)
    code = rng.choice(words.MOBILE_CODES)
    return f"+7 {code} {n // 10000:03d} {n // 100 % 100:02d} {n % 100:02d}"
