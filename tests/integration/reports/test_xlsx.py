"""The shared spreadsheet writer: streamed rows, Kazakh text intact, no formulas, no half files."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from daryn_desktop.core.progress import Cancelled, CancelToken
from daryn_desktop.files import FolderMissing
from daryn_desktop.reports.xlsx import (
    Column,
    Workbook,
    clean_text,
    sheet_title,
)

KAZAKH = "Әбілқайыров Ұлықбек Ғабитұлы — өңір, һ, і, ү, ң"


def test_heading_header_rows_and_totals_read_back(tmp_path):
    path = tmp_path / "тізім.xlsx"
    columns = [Column("Аты-жөні"), Column("Сынып", number_format="0", total=True),
               Column("Туған күні"), Column("Үлесі", number_format="0.0%")]
    with Workbook(path) as book:
        sheet = book.sheet("Дарынды оқушылар", columns,
                           heading=["Ақтөбе облысы", "2025-2026 оқу жылы"])
        sheet.append([KAZAKH, 7, date(2012, 3, 15), 0.25])
        sheet.append(["Иванова Анна", 8, None, 0.5])
        sheet.totals("Барлығы")
    assert not list(tmp_path.glob("*.part"))
    ws = openpyxl.load_workbook(path)["Дарынды оқушылар"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "Ақтөбе облысы" and rows[1][0] == "2025-2026 оқу жылы"
    assert rows[3] == ["Аты-жөні", "Сынып", "Туған күні", "Үлесі"]
    assert rows[4][0] == KAZAKH and rows[4][1] == 7 and rows[4][2].date() == date(2012, 3, 15)
    assert rows[6][:2] == ["Барлығы", 15]
    assert ws.freeze_panes == "A5"
    assert ws.cell(5, 3).number_format == "DD.MM.YYYY"
    assert ws.cell(5, 4).number_format == "0.0%"
    # Wide enough for the longest word of the header and for the data.
    assert ws.column_dimensions["A"].width >= len(KAZAKH)


def test_text_is_never_a_formula_and_illegal_characters_are_dropped(tmp_path):
    path = tmp_path / "x.xlsx"
    with Workbook(path) as book:
        sheet = book.sheet("S", [Column("A")])
        sheet.append(['=HYPERLINK("http://x","y")'])
        sheet.append(["Bell\x07 and NUL\x00 gone"])
    ws = openpyxl.load_workbook(path).active
    values = [r[0] for r in ws.iter_rows(values_only=True)]
    assert values[1] == '=HYPERLINK("http://x","y")'
    assert ws.cell(2, 1).data_type == "s"
    assert values[2] == "Bell and NUL gone"
    assert clean_text("a\x1bb") == "ab"


def test_many_rows_stream_without_a_cap(tmp_path):
    path = tmp_path / "big.xlsx"
    seen = []
    with Workbook(path) as book:
        sheet = book.sheet("Big", [Column("N", total=True), Column("Name")])
        count = sheet.append_all(([i, f"Оқушы {i}"] for i in range(35_000)),
                                 progress=seen.append, total=35_000)
    assert count == 35_000 and seen[-1].done == 35_000
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    assert len(rows) == 35_001 and rows[-1] == (34_999, "Оқушы 34999")


def test_an_exception_or_cancel_leaves_no_file(tmp_path):
    path = tmp_path / "never.xlsx"
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled), Workbook(path) as book:
        book.sheet("S", [Column("N")]).append_all(([i] for i in range(5000)), cancel=token)
    assert not path.exists() and not list(tmp_path.iterdir())


def test_an_unwritable_place_is_a_clear_error(tmp_path):
    with pytest.raises(FolderMissing) as info, Workbook(tmp_path / "no" / "x.xlsx") as b:
        b.sheet("S", [Column("N")]).append([1])
    assert info.value.params["folder"] == str(tmp_path / "no")
    assert "does not exist" in info.value.translated()
    assert not list(tmp_path.iterdir())


def test_sheet_titles_are_valid_and_unique():
    assert sheet_title("T1: оқушылар [аудан/қала]") == "T1  оқушылар  аудан қала"[:31]
    long = "Қолдау шаралары бойынша қамту — аудандар бойынша"
    first = sheet_title(long)
    assert len(first) == 31
    second = sheet_title(long, [first])
    assert len(second) <= 31 and second != first and second.endswith("(2)")
