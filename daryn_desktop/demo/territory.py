"""Where demo schools stand: weighted sites among a district's settlements."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from daryn_desktop.core.territory import Gazetteer, Place


@dataclass(frozen=True)
class Site:
    """A place a school can stand in: a settlement, or a city given by its district's code."""

    code: str
    district: str
    name_kk: str
    name_ru: str
    rural: bool
    weight: float


def _bare_names(place: Place) -> tuple[str, str]:
    return place.bare_names()


#: Weights of a school site: a city (shared by its city districts), a town, the centre of a
#: rural okrug (its first village, KATO code ending in 100), and any other village.
_CITY_WEIGHT, _TOWN_WEIGHT, _CENTRE_WEIGHT, _VILLAGE_WEIGHT = 30.0, 4.0, 2.0, 1.0


def district_sites(gaz: Gazetteer, district: Place, region: Place | None) -> list[Site]:
    """Where schools of a district may stand, each with a weight for how many it gets."""
    settlements = gaz.settlements(district.code)
    city = district.name_kk.endswith("Қ.Ә.") or (region is not None and region.type_code == 1)
    sites: list[Site] = []
    # A city administration lists either its city districts (Ақтөбе: Алматы ауданы, Астана
    # ауданы), which share the city's weight, or only the towns and villages around it.
    city_parts = [s for s in settlements if not s.is_rural and s.name_kk.endswith("ауданы")]
    for s in settlements:
        kk, ru = _bare_names(s)
        if not s.is_rural:
            weight = (_CITY_WEIGHT / len(city_parts) if city and s in city_parts
                      else _TOWN_WEIGHT)
            sites.append(Site(s.code, district.code, kk, ru, False, weight))
        elif s.is_inhabited:
            weight = _CENTRE_WEIGHT if s.code.endswith("100") else _VILLAGE_WEIGHT
            sites.append(Site(s.code, district.code, kk, ru, True, weight))
    if city and not city_parts:
        # Big cities have no settlement level in the classifier: the city administration's
        # (or city district's) own code stands for the city.
        kk, ru = _bare_names(district)
        if region is not None and region.type_code == 1:
            kk, ru = _bare_names(region)
        sites.append(Site(district.code, district.code, kk, ru, False, _CITY_WEIGHT))
    if not sites:
        # A district with no recognisable village (should not happen): use its settlements as
        # they are, or the district itself.
        sites = [Site(s.code, district.code, *_bare_names(s), s.is_rural, 1.0)
                 for s in settlements]
        if not sites:
            kk, ru = _bare_names(district)
            sites = [Site(district.code, district.code, kk, ru, False, 1.0)]
    return sites


def allocate(total: int, weights: Sequence[float], rng: random.Random) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder; ties broken at random)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], rng.random()))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts
