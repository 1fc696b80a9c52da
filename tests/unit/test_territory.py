"""The bundled KATO gazetteer loads, is consistent and is built reproducibly."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from types import ModuleType

import pytest

from daryn_desktop.core.territory import (
    Gazetteer,
    Place,
    gazetteer,
    load_gazetteer,
)
from daryn_desktop.i18n.collation import sort_key

REPO_ROOT = Path(__file__).resolve().parents[2]
ALMATY = "750000000"
AKTOBE = "150000000"


def _load_build_tool() -> ModuleType:
    # tools/ is not a package; load the script by path so that the test does not depend on
    # sys.path or on a stray "tools" package installed elsewhere.
    path = REPO_ROOT / "tools" / "build_kato.py"
    spec = importlib.util.spec_from_file_location("build_kato", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build_tool() -> ModuleType:
    return _load_build_tool()


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return gazetteer()


# --- the bundled data -----------------------------------------------------------------------


def test_is_loaded_once_and_cached() -> None:
    # How fast it loads is the start-up benchmark's business (benchmarks/gui.py), not a
    # unit test's: a timed assertion fails on a busy machine and proves nothing.
    gazetteer.cache_clear()
    first = gazetteer()
    assert gazetteer() is first
    assert len(first) > 0


def test_counts(gaz: Gazetteer) -> None:
    levels = [p.level for p in gaz]
    assert levels.count("region") == 20
    assert levels.count("district") == 228
    assert levels.count("settlement") == 12986
    assert len(gaz) == 20 + 228 + 12986
    assert len(gaz.regions()) == 20


def test_aktobe_region_and_its_districts(gaz: Gazetteer) -> None:
    aktobe = gaz.get(AKTOBE)
    assert aktobe.level == "region"
    assert aktobe.parent is None
    assert aktobe.name("kk") == "Ақтөбе облысы"
    assert aktobe.name("ru") == "Актюбинская область"
    assert aktobe.name("en") == "Aktobe Region"
    assert gaz.get("153200000").name("en") == "Alga District"

    districts = gaz.districts(AKTOBE)
    names = [d.name_kk for d in districts]
    assert len(districts) == 13
    for name in (
        "Ақтөбе Қ.Ә.",
        "Алға ауданы",
        "Мұғалжар ауданы",
        "Ырғыз ауданы",
        "Әйтеке би ауданы",
    ):
        assert name in names
    assert all(d.parent == AKTOBE and d.level == "district" for d in districts)
    assert names == sorted(names, key=sort_key)
    # Kazakh order: Ә comes right after А, before Б.
    assert names.index("Әйтеке би ауданы") < names.index("Байғанин ауданы")


def test_regions_include_the_three_cities_and_the_2022_regions(gaz: Gazetteer) -> None:
    codes = {r.code for r in gaz.regions()}
    assert {"710000000", ALMATY, "790000000"} <= codes  # Astana, Almaty, Shymkent
    assert {"100000000", "330000000", "620000000"} <= codes  # Abai, Jetisu, Ulytau
    names = [r.name_kk for r in gaz.regions()]
    assert names == sorted(names, key=sort_key)


def test_rural_village_and_town(gaz: Gazetteer) -> None:
    village = gaz.get("153235100")
    assert village.name_kk == "Бестамақ а."
    assert village.is_rural and gaz.is_rural("153235100")
    town = gaz.get("153220100")
    assert town.name_kk == "Алға қ."
    assert not town.is_rural and not gaz.is_rural("153220100")
    # Districts carry a type code too (Алға ауданы has 4), but only settlements count.
    assert not gaz.is_rural("153200000")
    assert not gaz.is_rural("999999999")


def test_settlement_resolves_to_district_and_region(gaz: Gazetteer) -> None:
    assert gaz.district_of("153235100") == gaz.get("153200000")
    assert gaz.region_of("153235100") == gaz.get(AKTOBE)
    assert gaz.district_of("153200000") == gaz.get("153200000")
    assert gaz.district_of(AKTOBE) is None
    assert gaz.region_of(AKTOBE) == gaz.get(AKTOBE)
    assert gaz.district_of("999999999") is None
    assert gaz.region_of("999999999") is None
    assert "153235100" in [s.code for s in gaz.settlements("153200000")]


def test_every_parent_is_known(gaz: Gazetteer) -> None:
    for place in gaz:
        if place.level == "region":
            assert place.parent is None
            continue
        parent = gaz.get(place.parent or "")
        if place.level == "district":
            assert parent.level == "region"
        else:
            assert parent.level in ("district", "region")
            assert gaz.region_of(place.code) is not None


def test_city_districts_of_astana_almaty_shymkent(gaz: Gazetteer) -> None:
    # In the source these are one level lower (751110000 is a "sub-district"); the positional
    # rule would give the non-existent 751100000 as their district.
    almaly = gaz.get("751110000")
    assert almaly.level == "district"
    assert almaly.name_kk == "Алмалы ауданы"
    assert gaz.district_of("751110000") == almaly
    assert gaz.region_of("751110000") == gaz.get(ALMATY)
    almaty_districts = [d.name_kk for d in gaz.districts(ALMATY)]
    assert almaty_districts == [
        "Алатау ауданы",
        "Алмалы ауданы",
        "Әуезов ауданы",
        "Бостандық ауданы",
        "Жетісу ауданы",
        "Медеу ауданы",
        "Наурызбай ауданы",
        "Түрксіб ауданы",
    ]
    assert len(gaz.districts("710000000")) == 6
    assert len(gaz.districts("790000000")) == 5


def test_aktau_correction_and_cleaned_names(gaz: Gazetteer) -> None:
    assert gaz.get("471000000").name_kk == "Ақтау Қ.Ә."
    # Old-font letters (Ќ for Қ, ї for ү) and doubled/no-break spaces are cleaned at build time.
    assert gaz.get("103665151").name_kk == "Қабырғатал а."
    assert gaz.get("634647308").name_kk == "Күшік жал а."
    for place in gaz:
        assert "  " not in place.name_kk and "\xa0" not in place.name_kk


def test_search_upper_case_kazakh(gaz: Gazetteer) -> None:
    found = gaz.search("ҚАРАҚҰДЫҚ", within=AKTOBE)
    assert "153237100" in [p.code for p in found]
    assert all(gaz.region_of(p.code) == gaz.get(AKTOBE) for p in found)
    assert [p.code for p in gaz.search("ӘУЕЗОВ", level="district")] == ["751310000"]
    # Stored with an old-font "Ќ" in the source; findable only because the build fixes it.
    assert "103665151" in [p.code for p in gaz.search("ҚАБЫРҒАТАЛ")]


def test_search_filters_order_and_limit(gaz: Gazetteer) -> None:
    # Russian names match too, and the order follows the requested language.
    found = gaz.search("алмалинский")
    assert [p.code for p in found] == ["751110000"]
    in_district = gaz.search("", level="settlement", within="153200000", limit=None)
    assert {p.code for p in in_district} == {p.code for p in gaz.settlements("153200000")}
    assert gaz.search("а", within=AKTOBE, level="region") == []
    assert gaz.search("а", within="999999999") == []
    assert len(gaz.search("а", limit=7)) == 7
    assert gaz.search("а", limit=0) == []
    kk = [p.name("kk") for p in gaz.search("ақ", level="district", limit=None)]
    assert kk == sorted(kk, key=sort_key)
    ru = [p.name("ru") for p in gaz.search("ақ", level="district", lang="ru", limit=None)]
    assert ru == sorted(ru, key=sort_key)
    limited = [p.name("kk") for p in gaz.search("ақ", level="district", limit=3)]
    assert limited == kk[:3]
    with pytest.raises(ValueError):
        gaz.search("а", level="village")


def test_get_and_find_unknown(gaz: Gazetteer) -> None:
    with pytest.raises(KeyError):
        gaz.get("000000000")
    assert gaz.find("000000000") is None
    assert gaz.find(AKTOBE) is gaz.get(AKTOBE)


# --- the Place value and a hand-made gazetteer ----------------------------------------------


def test_place_name_falls_back() -> None:
    only_ru = Place("1", "settlement", 2, None, "", "с.Тест")
    only_kk = Place("2", "settlement", 2, None, "Тест а.", "")
    assert only_ru.name("kk") == "с.Тест"
    assert only_kk.name("ru") == "Тест а."
    assert only_kk.name("en") == "Test village"
    assert only_ru.name("en") == "s.Test"


def test_gazetteer_rejects_duplicates() -> None:
    place = Place("100000000", "region", 0, None, "А", "А")
    with pytest.raises(ValueError):
        Gazetteer([place, place])


# --- the build ------------------------------------------------------------------------------

KATO_HEADER = "kato,kato_version,level,type_code,name_ru,name_kk\n"
EXTRACT_HEADER = "kato_code,level,parent_kato,name_kk,name_ru\n"


def _write_synthetic(tmp_path: Path) -> tuple[Path, Path]:
    # A miniature classifier with the awkward cases the real one has or could have:
    # a settlement under an Almaty city district (one level lower than usual) and one
    # whose district is missing altogether.
    kato = tmp_path / "kato.csv"
    kato.write_text(
        KATO_HEADER
        + "150000000,v,oblast,0,Актюбинская область,Ақтөбе облысы\n"
        + "153200000,v,district,4,Алгинский район,Алға ауданы\n"
        + "153233000,v,sub_district,2,Бескоспинский с.о.,Бесқоспа а.о.\n"
        + "153233100,v,settlement,2,с.Есет,Есет  батыр\xa0а.\n"
        + "155800000,v,sub_district,2,Пропавший с.о.,Жоқ а.о.\n"
        + "155833100,v,settlement,2,с.Потерянное,Жоғалған а.\n"
        + "750000000,v,oblast,1,г.Алматы,Алматы қ.\n"
        + "751110000,v,sub_district,1,Алмалинский район,Алмалы ауданы\n"
        + "751110100,v,settlement,1,мкр.Тест,Тест ы.а.\n",
        encoding="utf-8",
    )
    extract = tmp_path / "extract.csv"
    extract.write_text(
        EXTRACT_HEADER
        + "150000000,1,,Ақтөбе облысы,Актюбинская область\n"
        + "153200000,2,150000000,Алға ауданы,Алгинский район\n"
        + "750000000,1,,Алматы қ.,г.Алматы\n"
        + "751110000,2,750000000,Алмалы ауданы,Алмалинский район\n",
        encoding="utf-8",
    )
    return kato, extract


def test_build_resolves_irregular_parents(tmp_path: Path, build_tool: ModuleType) -> None:
    kato, extract = _write_synthetic(tmp_path)
    out = tmp_path / "out" / "kato.tsv.gz"
    summary = build_tool.build(kato, extract, out)
    assert summary["region"] == 2
    assert summary["district"] == 2
    assert summary["settlement"] == 3
    assert summary["rural"] == 2
    assert summary["settlements_via_sub_district"] == 1
    assert summary["settlements_under_region"] == 1

    gaz = load_gazetteer(out)
    assert gaz.get("751110100").parent == "751110000"
    assert gaz.district_of("751110100") == gaz.get("751110000")
    assert gaz.region_of("751110100") == gaz.get(ALMATY)
    assert gaz.get("155833100").parent == AKTOBE
    assert gaz.district_of("155833100") is None
    assert gaz.region_of("155833100") == gaz.get(AKTOBE)
    assert gaz.get("153233100").parent == "153200000"
    assert gaz.get("153233100").name_kk == "Есет батыр а."
    assert "153233000" not in gaz  # rural okrugs are not kept


def test_build_is_deterministic(
    tmp_path: Path, build_tool: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    kato, extract = _write_synthetic(tmp_path)
    first, second = tmp_path / "a.tsv.gz", tmp_path / "other-name.tsv.gz"
    # Different clocks and file names: neither may leak into the gzip header.
    monkeypatch.setattr(time, "time", lambda: 1_000_000_000.0)
    build_tool.build(kato, extract, first)
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)
    build_tool.build(kato, extract, second)
    assert first.read_bytes() == second.read_bytes()


def test_bundled_file_is_up_to_date(tmp_path: Path, build_tool: ModuleType) -> None:
    kato, extract = build_tool.DEFAULT_KATO, build_tool.DEFAULT_EXTRACT
    if not (kato.exists() and extract.exists()):
        pytest.skip("shared/reference lies outside the repository; CI has it beside the clone")
    out = tmp_path / "kato.tsv.gz"
    summary = build_tool.build(kato, extract, out)
    assert summary["region"] == 20
    assert summary["district"] == 228
    assert summary["settlement"] == 12986
    assert summary["rural"] == 12904
    assert out.read_bytes() == (REPO_ROOT / "resources" / "kato" / "kato.tsv.gz").read_bytes()
