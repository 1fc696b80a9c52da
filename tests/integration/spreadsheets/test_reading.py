"""Reading real files: Excel, OpenDocument, CSV in every usual encoding and delimiter, HTML
saved as .xls, and the files that are no spreadsheet at all."""

from __future__ import annotations

import zipfile

import pytest

from daryn_desktop.spreadsheets.csv_text import detect_encoding
from daryn_desktop.spreadsheets.reading import (
    EmptyFile,
    EmptySheet,
    NotASpreadsheet,
    PackedTooTightly,
    PasswordProtected,
    SaveAsXlsx,
    UnknownSheet,
    read_sheet,
)
from tests.spreadsheet_files import HEADER_KK, csv_bytes, pupil_rows, write_ods, write_xlsx

KAZAKH_ROW = [1, "Әбілқайыров Ұлықбек Ғабитұлы", "120315500012", "15.03.2012", "7 «Ә»",
              "Көп балалы отбасы", "Қобыз, Һарп, Өнер, Үміт, Ңң, Ғылым, Іңкәр, Ұлан"]


def _text_rows(data):
    return [tuple(str(v) for v in row) for row in data.rows]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "kz1048"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_with_kazakh_letters_in_every_encoding_and_delimiter(tmp_path, encoding,
                                                                   delimiter):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes([KAZAKH_ROW], encoding=encoding, delimiter=delimiter))
    data = read_sheet(path)
    assert data.rows[1] == HEADER_KK
    assert data.rows[2] == tuple(str(v) for v in KAZAKH_ROW)
    assert "Әбілқайыров Ұлықбек Ғабитұлы" in data.rows[2]


def test_a_russian_list_in_windows_1251_reads_as_windows_1251(tmp_path):
    path = tmp_path / "список.csv"
    row = [1, "Иванова Мария Петровна", "120315600016", "15.03.2012", "7Б", "Многодетная",
           "Математика"]
    path.write_bytes(csv_bytes([row], encoding="cp1251", delimiter=";",
                               header=("№", "ФИО", "ИИН", "Дата рождения", "Класс",
                                       "Категория", "Предмет")))
    data = read_sheet(path)
    assert data.rows[2][1] == "Иванова Мария Петровна"
    assert "Windows-1251" in data.details


def test_kz1048_is_told_from_windows_1251_by_the_kazakh_letters():
    text = "Әбілқайыров Ұлықбек Ғабитұлы; Өмірбекова Іңкәр; Үсенов Һадис"
    assert detect_encoding(text.encode("kz1048")) == "kz1048"
    assert detect_encoding("Иванов Пётр".encode("cp1251")) == "cp1251"
    assert detect_encoding("Әбілқайыров".encode("utf-16-le")) == "utf-16-le"


def test_excel_sep_line_and_quoted_delimiters(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("sep=,\r\nФИО,Категория\r\n\"Ахметов Ерқанат\",\"Многодетная, АСП\"\r\n"
                     .encode("utf-8-sig"))
    data = read_sheet(path)
    assert data.rows == [(), ("ФИО", "Категория"), ("Ахметов Ерқанат", "Многодетная, АСП")]


def test_xlsx_with_merged_title_rows_keeps_row_numbers_and_types(tmp_path):
    rows = list(pupil_rows(3))
    path = write_xlsx(tmp_path / "7А.xlsx", rows)
    data = read_sheet(path)
    assert data.name == "7А" and data.sheets == ["7А"]
    assert data.rows[0][0].startswith("Қарабұлақ") and data.rows[2] == ()
    assert data.rows[3] == HEADER_KK
    assert data.rows[4][1] == rows[0][1] and data.rows[4][0] == 1


def test_an_unknown_sheet_names_the_ones_there_are(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", list(pupil_rows(1)))
    with pytest.raises(UnknownSheet) as info:
        read_sheet(path, "8Б")
    assert "7А" in info.value.translated()


def test_ods_as_libreoffice_saves_it(tmp_path):
    rows = list(pupil_rows(2))
    path = write_ods(tmp_path / "тізім.ods", rows)
    data = read_sheet(path)
    assert data.name == "Тізім" and len(data.rows) == 3
    assert data.rows[1][1] == rows[0][1] and data.rows[1][0] == 1


def test_an_html_table_saved_with_an_xls_name(tmp_path):
    path = tmp_path / "kundelik.xls"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><table>"
        "<tr><th colspan=2>Оқушылар</th></tr>"
        "<tr><th>Аты-жөні</th><th>ЖСН</th></tr>"
        "<tr><td>Әбілқайыров<br>Ұлықбек</td><td>120315500012</td></tr>"
        "</table></body></html>", encoding="utf-8")
    data = read_sheet(path)
    assert data.rows == [("Оқушылар",), ("Аты-жөні", "ЖСН"),
                         ("Әбілқайыров Ұлықбек", "120315500012")]


def test_an_empty_file_and_an_empty_sheet(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFile):
        read_sheet(empty)
    blank = tmp_path / "blank.csv"
    blank.write_text("\r\n;;\r\n", encoding="utf-8")
    with pytest.raises(EmptySheet):
        read_sheet(blank)


@pytest.mark.parametrize("content", [
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    bytes(range(256)) * 8,
])
def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly(tmp_path, content):
    path = tmp_path / "list.xlsx"
    path.write_bytes(content)
    with pytest.raises(NotASpreadsheet) as info:
        read_sheet(path)
    assert "not a spreadsheet" in info.value.translated()


def test_a_word_document_and_an_xlsb_workbook(tmp_path):
    docx = tmp_path / "тізім.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(NotASpreadsheet):
        read_sheet(docx)
    xlsb = tmp_path / "list.xlsb"
    with zipfile.ZipFile(xlsb, "w") as archive:
        archive.writestr("xl/workbook.bin", b"\x00")
    with pytest.raises(SaveAsXlsx) as info:
        read_sheet(xlsb)
    assert ".xlsx" in info.value.translated()


def test_a_password_protected_workbook_says_what_to_do(tmp_path):
    path = tmp_path / "protected.xlsx"
    # An encrypted Office file is an OLE2 container with an "EncryptedPackage" stream.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
                     + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1024)
    with pytest.raises(PasswordProtected) as info:
        read_sheet(path)
    assert "password" in info.value.translated()


def test_a_damaged_old_excel_file_is_refused_not_crashed(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 2048)
    with pytest.raises(NotASpreadsheet):
        read_sheet(path)


def test_a_workbook_packed_to_unpack_to_a_huge_cell_is_refused_at_once(tmp_path):
    """One cell of 64 million letters packs into a few hundred KB: read, it would take
    seconds per megabyte and gigabytes of memory. The sizes in the zip's directory tell."""
    plain = write_xlsx(tmp_path / "plain.xlsx", list(pupil_rows(3)))
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w",
                                                          zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            data = source.read(name)
            if name != "xl/worksheets/sheet1.xml":
                out.writestr(name, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with out.open(name, "w", force_zip64=True) as part:
                part.write(head + b'<row r="99"><c r="A99" t="inlineStr"><is><t>')
                part.write(b"x" * (64 << 20))
                part.write(b"</t></is></c></row></sheetData>" + tail)
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(PackedTooTightly) as error:
        read_sheet(bomb)
    assert "bomb.xlsx" in error.value.translated()
    assert read_sheet(plain).rows  # an ordinary workbook is read as before


def test_a_csv_cell_longer_than_any_list_has_is_told_as_such(tmp_path):
    from daryn_desktop.spreadsheets.reading import CannotReadFile

    path = tmp_path / "long.csv"
    path.write_text("Аты-жөні;ЖСН\n" + "Ә" * 200_000 + ";1\n", encoding="utf-8")
    with pytest.raises(CannotReadFile) as error:
        read_sheet(path)
    assert "more than 131072 characters" in error.value.translated()
