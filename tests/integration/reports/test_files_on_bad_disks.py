"""Every document the program writes (statistics as XLSX, PDF and JSON, a pupil list, a PDF
list, road maps) on a full disk, a write-protected one and in a folder that is not there:
the person's message names the file, nothing is left behind (neither half a file nor its
temporary copy), and no second report of the same failure reaches the console."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from daryn_desktop.core.enums import Role
from daryn_desktop.core.stats import definitions as d
from daryn_desktop.demo.generator import generate
from daryn_desktop.files import DiskFull, FolderMissing, ReadOnlyDisk
from daryn_desktop.i18n import set_language
from daryn_desktop.reports.batch import print_road_maps
from daryn_desktop.reports.listdoc import ListDocument, TableBlock, write_list
from daryn_desktop.reports.statistics import write_json, write_xlsx
from daryn_desktop.reports.statistics_pdf import write_pdf
from daryn_desktop.reports.xlsx import Column, Workbook
from daryn_desktop.storage.database import create_store
from daryn_desktop.storage.keyring import TEST_KDF
from daryn_desktop.storage.statistics import default_request
from daryn_desktop.storage.stats_prepared import compute_report
from tests.filesystems import fill, set_read_only, small_disk

KAZAKH = "Әбілқайыров Ұлықбек Ғабитұлы (ә ғ қ ң ө ұ ү һ і)"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("files") / "demo.db"
    store, _code = create_store(path, "correct horse 7", role=Role.REGION,
                                region_kato="150000000", name="Облыс", kdf=TEST_KDF)
    generate(store, 150, seed=5)
    report = compute_report(store, default_request(store, d.AGGREGATE_TABLES))
    yield store, report
    store.close()


def _pupil_list(path: Path) -> Path:
    with Workbook(path) as book:
        sheet = book.sheet("Оқушылар", [Column("Аты-жөні"), Column("Сынып")])
        for n in range(3000):  # more than the few bytes a full disk has left
            sheet.append([f"{KAZAKH} {n}", n % 11 + 1])
    return path


def _list_pdf(path: Path) -> Path:
    rows = [[str(n), f"{KAZAKH} {n}"] for n in range(400)]
    doc = ListDocument("Тізім", ["Облыс"], [TableBlock(["№", "Аты-жөні"], (15, 0), rows)])
    return write_list(doc, path, lambda text: text)


def writers(demo) -> dict[str, Callable[[Path], object]]:
    store, report = demo
    maps = [r[0] for r in store.db.execute("SELECT id FROM road_maps LIMIT 20")]
    return {
        "stats.xlsx": lambda p: write_xlsx(report, p, lang="kk"),
        "stats.pdf": lambda p: write_pdf(report, p, lang="kk"),
        "stats.json": lambda p: write_json(report, p, lang="ru"),
        "pupils.xlsx": _pupil_list,
        "list.pdf": _list_pdf,
        "road-maps.pdf": lambda p: print_road_maps(store, maps, p, lang="kk"),
    }


NAMES = ["stats.xlsx", "stats.pdf", "stats.json", "pupils.xlsx", "list.pdf", "road-maps.pdf"]


@pytest.fixture
def unraisable(monkeypatch):
    """Failures Python could only print (a library's clean-up failing once more)."""
    seen: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: seen.append(info.exc_value))
    return seen


@pytest.mark.parametrize("name", NAMES)
def test_a_full_disk_is_told_for_the_file_and_leaves_nothing(demo, tmp_path, name, unraisable):
    write = writers(demo)[name]
    with small_disk(tmp_path / "stick", "1m") as stick:
        fill(stick)
        target = stick / name
        with pytest.raises(DiskFull) as error:
            write(target)
        gc.collect()  # whatever the library left open is collected now, not after the test
        assert error.value.params["path"] == str(target)
        set_language("kk")
        assert "бос орын қалмады" in error.value.translated()
        set_language("en")
        assert sorted(p.name for p in stick.iterdir()) == ["filler"]
        assert unraisable == []
        (stick / "filler").unlink()
        write(target)  # with room again the same file is written whole
        assert target.stat().st_size > 0
        assert sorted(p.name for p in stick.iterdir()) == [name]


@pytest.mark.parametrize("name", NAMES)
def test_a_write_protected_disk_and_a_missing_folder_are_told_as_such(demo, tmp_path, name):
    write = writers(demo)[name]
    with pytest.raises(FolderMissing) as missing:
        write(tmp_path / "taken-out" / name)
    assert missing.value.params["folder"] == str(tmp_path / "taken-out")
    assert not (tmp_path / "taken-out").exists()
    with small_disk(tmp_path / "stick", "1m") as stick:
        set_read_only(stick)
        try:
            with pytest.raises(ReadOnlyDisk) as error:
                write(stick / name)
            assert error.value.params["path"] == str(stick / name)
        finally:
            set_read_only(stick, False)
        assert list(stick.iterdir()) == []
