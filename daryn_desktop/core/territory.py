"""Kazakhstan's regions, districts and settlements (KATO), looked up by code and by name."""

from __future__ import annotations

import functools
import gzip
import heapq
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from daryn_desktop.i18n.collation import sort_key
from daryn_desktop.paths import resource_path

REGION = "region"
DISTRICT = "district"
SETTLEMENT = "settlement"
LEVELS = (REGION, DISTRICT, SETTLEMENT)

_RURAL_TYPE = 2  # the classifier's "type of locality" sign for a rural area
# The classifier's marks of the kind of place around a name ("Ақай а.", "с.Акай").
_KK_SUFFIX = re.compile(r"\s+(а\.|к\.|қ\.|ауылы|ат\.ауыл|ауыл|ауданы|Қ\.Ә\.)$")
_RU_PREFIX = re.compile(r"^(с\.|п\.|г\.|ст\.|село|район)\s*")
_RU_SUFFIX = re.compile(r"\s+(Г\.А\.|район)$")
# Settlements where a school can stand: villages (а.), towns (қ.), settlements (к.), and
# villages named after someone (ат.ауыл). Wintering places, farms and railway sidings cannot.
_INHABITED = re.compile(r"(\sа\.|\sк\.|\sқ\.|ауыл|ауылы)$")
_HEADER = "code\tlevel\ttype_code\tparent\tname_kk\tname_ru"


@dataclass(frozen=True, slots=True)
class Place:
    """One unit of the classifier: a region, a district or a settlement."""

    code: str
    level: str  # "region" | "district" | "settlement"
    type_code: int
    parent: str | None
    name_kk: str
    name_ru: str

    def name(self, lang: str) -> str:
        """The name in ``lang``: Kazakh, Russian, or for "en" in English (see
        :func:`english_name`); a missing name falls back to the other language's."""
        if lang == "kk":
            return self.name_kk or self.name_ru
        if lang == "en":
            return english_name(self)
        return self.name_ru or self.name_kk

    def bare_names(self) -> tuple[str, str]:
        """The Kazakh and Russian names without the classifier's marks ("Ақай", "Акай")."""
        kk = _KK_SUFFIX.sub("", self.name_kk).strip()
        ru = _RU_SUFFIX.sub("", _RU_PREFIX.sub("", self.name_ru)).strip()
        return kk or self.name_kk, ru or self.name_ru

    @property
    def is_inhabited(self) -> bool:
        """A village, town or settlement (not a wintering place, farm or railway siding)."""
        return self.level == SETTLEMENT and bool(_INHABITED.search(self.name_kk))

    @property
    def is_rural(self) -> bool:
        """Whether this is a rural settlement (the classifier marks regions and districts too,
        but only a settlement says where a child actually lives)."""
        return self.level == SETTLEMENT and self.type_code == _RURAL_TYPE


#: The regions and cities of republican significance as they are named in English.
ENGLISH_REGIONS = {
    "Абай облысы": "Abai Region", "Ақмола облысы": "Akmola Region",
    "Ақтөбе облысы": "Aktobe Region", "Алматы қ.": "Almaty", "Алматы облысы": "Almaty Region",
    "Астана қ.": "Astana", "Атырау облысы": "Atyrau Region",
    "Батыс Қазақстан облысы": "West Kazakhstan Region", "Жамбыл облысы": "Zhambyl Region",
    "Жетісу облысы": "Zhetisu Region", "Қарағанды облысы": "Karaganda Region",
    "Қостанай облысы": "Kostanay Region", "Қызылорда облысы": "Kyzylorda Region",
    "Маңғыстау облысы": "Mangystau Region", "Павлодар облысы": "Pavlodar Region",
    "Солтүстік Қазақстан облысы": "North Kazakhstan Region",
    "Түркістан облысы": "Turkistan Region", "Ұлытау облысы": "Ulytau Region",
    "Шығыс Қазақстан облысы": "East Kazakhstan Region", "Шымкент қ.": "Shymkent",
}
#: The words and abbreviations that say what kind of place it is, in English.
_ENGLISH_KINDS = {"облысы": "Region", "ауданы": "District", "Қ.Ә.": "City", "қ.": "town",
                  "а.": "village", "ст.": "station"}
#: Kazakh (and Russian) Cyrillic in the Latin spelling used for place names in English.
_LATIN = str.maketrans({
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya"})


def latin(text: str) -> str:
    """Cyrillic text spelled in Latin letters as English texts spell Kazakh names."""
    out = []
    for ch in text:
        low = ch.lower()
        spelled = low.translate(_LATIN)
        out.append(spelled[:1].upper() + spelled[1:] if ch != low else spelled)
    return "".join(out)


def english_name(place: Place) -> str:
    """The place's name in an English text: the usual English name of a region, otherwise
    its Kazakh name in Latin letters with the kind of place in English ("Alga District")."""
    kazakh = place.name_kk or place.name_ru
    known = ENGLISH_REGIONS.get(kazakh)
    if known:
        return known
    words = kazakh.split(" ")
    if len(words) > 1 and words[-1] in _ENGLISH_KINDS:
        return f"{latin(' '.join(words[:-1]))} {_ENGLISH_KINDS[words[-1]]}"
    return latin(kazakh)


def _fold(text: str) -> str:
    # casefold() lowers Kazakh letters (Ә→ә, Қ→қ, І→і, ...) as well as Russian and Latin ones;
    # whitespace runs are collapsed so that a double space typed or stored still matches.
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _kk_key(place: Place) -> tuple[str, str]:
    return sort_key(place.name_kk), place.code


class Gazetteer:
    """An in-memory index of places by code, by parent and by name."""

    def __init__(self, places: Iterable[Place]) -> None:
        self._by_code: dict[str, Place] = {}
        self._children: dict[str | None, list[Place]] = {}
        for place in places:
            if place.level not in LEVELS:
                raise ValueError(f"{place.code}: unknown level {place.level!r}")
            if place.code in self._by_code:
                raise ValueError(f"duplicate code {place.code}")
            self._by_code[place.code] = place
            self._children.setdefault(place.parent, []).append(place)
        # Sorting and case folding are done on first use, not here: most runs of the program
        # only resolve a few codes, and loading must stay fast.
        self._sorted_children: dict[str | None, tuple[Place, ...]] = {}
        self._haystack: list[tuple[Place, str]] | None = None

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Place:
        """The place with this code; ``KeyError`` if there is none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"unknown KATO code {code!r}") from None

    def find(self, code: str | None) -> Place | None:
        """The place with this code, or ``None``."""
        return self._by_code.get(code) if code else None

    def _sorted(self, parent: str | None, level: str) -> list[Place]:
        cached = self._sorted_children.get(parent)
        if cached is None:
            cached = tuple(sorted(self._children.get(parent, ()), key=_kk_key))
            self._sorted_children[parent] = cached
        return [p for p in cached if p.level == level]

    def regions(self) -> list[Place]:
        """All regions (with Astana, Almaty and Shymkent), in Kazakh alphabetical order."""
        return self._sorted(None, REGION)

    def districts(self, region_code: str) -> list[Place]:
        """The districts (and city administrations) of a region, in Kazakh alphabetical order."""
        return self._sorted(region_code, DISTRICT)

    def settlements(self, district_code: str) -> list[Place]:
        """The settlements of a district, in Kazakh alphabetical order."""
        return self._sorted(district_code, SETTLEMENT)

    def district_of(self, code: str) -> Place | None:
        """The district of a settlement, a district itself, else ``None`` (regions, unknown)."""
        place = self.find(code)
        while place is not None and place.level != DISTRICT:
            if place.level == REGION:
                return None
            place = self.find(place.parent)
        return place

    def region_of(self, code: str) -> Place | None:
        """The region a place lies in (a region is its own), ``None`` for an unknown code."""
        place = self.find(code)
        while place is not None and place.level != REGION:
            place = self.find(place.parent)
        return place

    def is_rural(self, code: str) -> bool:
        """Whether the code is a rural settlement; ``False`` for anything else or unknown."""
        place = self.find(code)
        return place is not None and place.is_rural

    def _is_within(self, place: Place, ancestor: str) -> bool:
        parent = place.parent
        while parent is not None:
            if parent == ancestor:
                return True
            up = self._by_code.get(parent)
            parent = up.parent if up is not None else None
        return False

    def search(
        self,
        text: str,
        *,
        level: str | None = None,
        within: str | None = None,
        lang: str = "kk",
        limit: int | None = 50,
    ) -> list[Place]:
        """Places whose Kazakh or Russian name contains ``text``, case ignored.

        ``level`` keeps one level only; ``within`` keeps places inside that region or
        district (not the place itself; nothing for an unknown code). An empty ``text``
        matches every place, so a picker can list, say, all villages of a district. Results
        are in Kazakh alphabetical order of the name in ``lang``; at most ``limit`` of them.
        """
        if level is not None and level not in LEVELS:
            raise ValueError(f"unknown level {level!r}")
        if within is not None and within not in self._by_code:
            return []
        if limit is not None and limit <= 0:
            return []
        if self._haystack is None:
            # One folded string per place holding both names; "\n" never occurs in a name or
            # in a folded query, so a match cannot straddle the two.
            self._haystack = [
                (p, f"{_fold(p.name_kk)}\n{_fold(p.name_ru)}") for p in self._by_code.values()
            ]
        needle = _fold(text)
        found = [
            place
            for place, names in self._haystack
            if (level is None or place.level == level)
            and needle in names
            and (within is None or self._is_within(place, within))
        ]

        def key(place: Place) -> tuple[str, str]:
            return sort_key(place.name(lang)), place.code

        if limit is None or limit >= len(found):
            return sorted(found, key=key)
        return heapq.nsmallest(limit, found, key=key)


def load_gazetteer(path: str | os.PathLike[str]) -> Gazetteer:
    """Read a file written by ``tools/build_kato.py`` (gzip, tab-separated, with a header)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="\n") as fh:
        # split("\n"), not splitlines(): the latter also breaks on rarer separators.
        lines = fh.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0] != _HEADER:
        raise ValueError(f"{path}: not a KATO gazetteer file")
    places = []
    for line in lines[1:]:
        code, level, type_code, parent, name_kk, name_ru = line.split("\t")
        places.append(Place(code, level, int(type_code), parent or None, name_kk, name_ru))
    return Gazetteer(places)


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The bundled classifier, read once per process."""
    return load_gazetteer(resource_path("kato", "kato.tsv.gz"))
