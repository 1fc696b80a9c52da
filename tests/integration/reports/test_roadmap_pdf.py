"""Road-map PDFs checked by their text (pypdf) and their font resources."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pypdf import PdfReader

from daryn_desktop.core.enums import ActivityStatus, Language
from daryn_desktop.core.progress import Cancelled, CancelToken
from daryn_desktop.core.templates import Track
from daryn_desktop.i18n import gettext_for
from daryn_desktop.reports.batch import NothingToPrint, print_road_maps
from daryn_desktop.reports.pupil_list import print_pupil_list
from daryn_desktop.storage.roadmaps import RoadMaps
from tests.integration.reports.fixtures import YEAR, activity, gifted_pupil


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _pages(path) -> list[str]:
    return [_flat(p.extract_text()) for p in PdfReader(path, strict=True).pages]


@pytest.fixture
def maps(store):
    return RoadMaps(store)


@pytest.fixture
def signed_map(store, maps):
    school, pupil = gifted_pupil(store)
    road_map = maps.create(pupil.id, YEAR, track=Track.OLYMPIAD)
    maps.save(road_map.id, fields={"strengths": "Логикалық ойлау"})
    maps.sign(road_map.id, on=date(2025, 10, 1))
    data = maps.load(road_map.id)
    maps.update_activity(road_map.id, data.activities[1].id, status=ActivityStatus.DONE,
                         result="Аудандық кезеңде ІІ орын")
    maps.add_activity(road_map.id, activity(road_map.id, "«Ғарыш әлемін игереміз» байқауы"),
                      reason="Жаңа байқау жарияланды", on=date(2025, 11, 3))
    maps.add_review(road_map.id, 1, "Мектеп кезеңінде І орын алды", on=date(2025, 11, 1),
                    author="Сейітова А.Б.")
    return school, pupil, road_map


def test_one_road_map_has_everything_in_kazakh_letters(store, maps, signed_map, tmp_path):
    _school, _pupil, road_map = signed_map
    out = tmp_path / "map.pdf"
    result = print_road_maps(store, [road_map.id], out, generated=date(2025, 11, 22))
    assert result.road_maps == 1 and result.pages == len(_pages(out)) >= 2
    text = " ".join(_pages(out))
    for expected in ("Әбілқайыров Ұлықбек Серікұлы", "Абай атындағы орта мектеп",
                     "Алға ауданы", "Ақтөбе облысы", "120315600016", "15.03.2012",
                     "Көп балалы отбасы", "Әбілқайырова Сәуле", "Аудандық олимпиада, II орын",
                     "«Ғарыш әлемін игереміз» байқауы", "Аудандық кезеңде ІІ орын",
                     "Мектеп кезеңінде І орын алды", "Жаңа байқау жарияланды",
                     "Жұмабаев Қ.Ө.", "22.11.2025", "Логикалық ойлау"):
        assert expected in text, expected
    for title in (a.title for a in maps.load(road_map.id).activities):
        assert _flat(title) in text, title
    pages = _pages(out)
    assert all(f"/ {len(pages)}" in page for page in pages)
    assert [re.search(r"(\d+) / \d+", page).group(1) for page in pages] == [
        str(i) for i in range(1, len(pages) + 1)]


def test_fonts_are_embedded_dejavu_and_nothing_else(store, signed_map, tmp_path):
    out = tmp_path / "map.pdf"
    print_road_maps(store, [signed_map[2].id], out)
    seen = set()
    for page in PdfReader(out).pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            seen.add(str(font["/BaseFont"]))
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
                else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # the TrueType program is in the file
    assert seen and all("DejaVuSans" in name for name in seen), seen


def test_many_activities_flow_over_pages_without_losing_or_cutting_a_row(store, maps, tmp_path):
    _school, pupil = gifted_pupil(store)
    road_map = maps.create(pupil.id, YEAR)
    titles = [f"Қосымша сабақ №{i}: математикалық олимпиадаға дайындық, геометрия және"
              f" комбинаторика есептері ({i})" for i in range(60)]
    maps.save(road_map.id, activities=[activity(road_map.id, t) for t in titles])
    short = tmp_path / "short.pdf"
    maps_few = maps.create(gifted_pupil(store, surname="Сапаров", given="Аян", serial=2,
                                        school=store.repos.schools.all()[0])[1].id, YEAR)
    maps.save(maps_few.id, activities=[activity(maps_few.id, titles[0])])
    print_road_maps(store, [maps_few.id], short)
    out = tmp_path / "long.pdf"
    print_road_maps(store, [road_map.id], out)
    pages = _pages(out)
    assert len(pages) > len(_pages(short)) + 2
    for title in titles:
        # Every row is whole on exactly one page: never lost, never cut by a page break.
        holders = [i for i, page in enumerate(pages) if _flat(title) in page]
        assert len(holders) == 1, (title, holders)
    table_pages = [p for p in pages if "Қосымша сабақ" in p]
    assert len(table_pages) >= 3
    # The header row is repeated on every page of the table (a Kazakh-medium pupil's map
    # is printed in Kazakh).
    kk = gettext_for("kk")
    header = (_flat(kk("Type of support")), _flat(kk("Responsible")))
    assert header[0] != "Type of support"
    assert all(header[0] in p and header[1] in p for p in table_pages)


def test_the_signed_version_prints_as_signed(store, maps, signed_map, tmp_path):
    _school, _pupil, road_map = signed_map
    out = tmp_path / "signed.pdf"
    print_road_maps(store, [road_map.id], out, as_signed=True, lang="en")
    text = " ".join(_pages(out))
    assert "Version as signed on 01.10.2025" in text
    assert "«Ғарыш әлемін игереміз» байқауы" not in text.split("Amendments after signing")[0]
    assert "Жаңа байқау жарияланды" in text  # the amendments made since are listed


def test_the_document_language_defaults_to_the_pupils(store, maps, tmp_path):
    _school, pupil = gifted_pupil(store, surname="Иванов", given="Пётр",
                                  language=Language.RUSSIAN)
    road_map = maps.create(pupil.id, YEAR, track=Track.OLYMPIAD)
    out = tmp_path / "ru.pdf"
    print_road_maps(store, [road_map.id], out)
    text = " ".join(_pages(out))
    assert "Подготовка к олимпиаде" in text and "Олимпиадаға дайындық" not in text
    print_road_maps(store, [road_map.id], out, lang="kk")
    assert "Олимпиадаға дайындық" in " ".join(_pages(out))


def test_a_batch_is_one_file_with_a_bookmark_per_pupil_and_progress(store, maps, tmp_path):
    school, first = gifted_pupil(store)
    pupils = [first] + [gifted_pupil(store, surname=s, given="Бала", serial=i + 2,
                                     school=school)[1]
                        for i, s in enumerate(("Ерланов", "Қасымов", "Үсенов", "Іргебаев"))]
    ids = [maps.create(p.id, YEAR, track=Track.SPORT).id for p in pupils]
    seen = []
    out = tmp_path / "batch.pdf"
    result = print_road_maps(store, ids, out, progress=seen.append, chunk=2)
    reader = PdfReader(out, strict=True)
    assert result.pages == len(reader.pages)
    assert [p.done for p in seen] == [1, 2, 3, 4, 5] and seen[-1].total == 5
    titles = [item.title for item in reader.outline]
    assert [t.split(",")[0] for t in titles] == [p.full_name for p in pupils]
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert starts[0] == 0 and starts == sorted(starts)
    for page_number, pupil in zip(starts, pupils):
        assert pupil.full_name in _flat(reader.pages[page_number].extract_text())


def test_a_cancelled_batch_leaves_no_file(store, maps, tmp_path):
    _school, pupil = gifted_pupil(store)
    ids = [maps.create(pupil.id, YEAR, track=Track.SPORT).id]
    token = CancelToken()
    out = tmp_path / "cancelled.pdf"

    def cancel_after_first(_progress):
        token.cancel()

    with pytest.raises(Cancelled):
        print_road_maps(store, ids * 3, out, progress=cancel_after_first, cancel=token)
    assert list(tmp_path.glob("cancelled.pdf*")) == []
    with pytest.raises(NothingToPrint):
        print_road_maps(store, [], out)


def test_the_school_list_names_pupils_with_their_categories(store, maps, tmp_path):
    school, pupil = gifted_pupil(store)
    maps.create(pupil.id, YEAR)
    out = tmp_path / "list.pdf"
    print_pupil_list(store, school.id, out, academic_year=YEAR, generated=date(2025, 11, 1))
    text = " ".join(_pages(out))
    for expected in ("Әбілқайыров Ұлықбек Серікұлы", "Көп балалы отбасы", "математика",
                     "Абай атындағы орта мектеп", "Қаралама", "1 / 1"):
        assert expected in text, expected
