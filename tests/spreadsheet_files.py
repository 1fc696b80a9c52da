"""Real spreadsheet files for the import tests, made as schools and diaries make them."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

from tests.helpers import make_iin

SURNAMES = ("Әбілқайыров", "Сейітова", "Ахметов", "Нұрланова", "Қасымов", "Өмірбекова",
            "Жақсылықов", "Ғабитова", "Үсенов", "Иванова", "Ким", "Һадиев", "Ілиясова",
            "Бекова", "Құдайбергенов", "Ерғалиева")
GIVEN = ("Ұлықбек", "Айгүл", "Ерқанат", "Әсел", "Нұрислам", "Гүлнұр", "Дәулет", "Аружан",
         "Мағжан", "Мария", "Виктор", "Іңкәр", "Шыңғыс", "Қарлығаш")
HEADER_KK = ("№", "Аты-жөні", "ЖСН", "Туған күні", "Сынып", "Санаты", "Дарындылық саласы")
HEADER_RU = ("№ п/п", "ФИО", "ИИН", "Дата рождения", "Класс", "Категория", "Предмет")


def pupil_rows(count: int, *, start: int = 0, grade: str = "7А") -> Iterator[list[object]]:
    """Class-list rows: number, full name, IIN, birth date (text), grade, category, area."""
    first = date(2011, 1, 1)
    for i in range(start, start + count):
        born = first + timedelta(days=i % 3000)
        sex = 6 if i % 2 else 5
        iin = make_iin(born.strftime("%y%m%d"), sex, 1 + (i // 3000) * 3)
        name = f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[(i // len(SURNAMES)) % len(GIVEN)]}"
        category = ("көп балалы", "", "АӘК", "", "")[i % 5]
        area = ("Математика", "Домбыра", "", "Шахмат")[i % 4]
        yield [i + 1, name, iin, born.strftime("%d.%m.%Y"), grade, category, area]


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], *,
               header: Sequence[str] = HEADER_KK, title_rows: bool = True) -> Path:
    """An Excel class list: merged title rows above the header, as schools print them."""
    book = Workbook()
    sheet = book.active
    sheet.title = "7А"
    if title_rows:
        sheet.append(["Қарабұлақ орта мектебінің 7 «А» сынып оқушыларының тізімі"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append(["2025-2026 оқу жылы"])
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
        sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def write_big_xlsx(path: Path, count: int) -> Path:
    """A long list, streamed (openpyxl's write-only mode), with one title row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Тізім")
    sheet.append(["Ауданның оқушылар тізімі"])
    sheet.append(list(HEADER_KK))
    for row in pupil_rows(count):
        sheet.append(row)
    book.save(path)
    return path


def csv_bytes(rows: Sequence[Sequence[object]], *, encoding: str, delimiter: str,
              header: Sequence[str] = HEADER_KK) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["7 «А» сынып тізімі"])
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def write_ods(path: Path, rows: Sequence[Sequence[object]], *, header: Sequence[str] = HEADER_KK
              ) -> Path:
    """An OpenDocument spreadsheet as LibreOffice writes one (repeated empty rows at the end)."""
    def cell(value: object) -> str:
        if value is None or value == "":
            return "<table:table-cell/>"
        if isinstance(value, int):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
                "</text:p></table:table-cell>")

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in r)}</table:table-row>"
                   for r in [header, *rows])
    body += ('<table:table-row table:number-rows-repeated="1048000">'
             '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f'<office:body><office:spreadsheet><table:table table:name="Тізім">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return path


def write_rows(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """A plain sheet of the rows as given (the header among them), one sheet only."""
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


PROTOCOL_HEADER_KK = ("№", "Оқушының аты-жөні", "ЖСН", "Мектеп", "Сынып", "Пән", "Балл", "Орны",
                      "Марапаты", "Дайындаған мұғалім")


def write_protocol(path: Path, rows: Sequence[Sequence[object]], *,
                   title: str = "Олимпиаданың мектепішілік кезеңінің хаттамасы",
                   header: Sequence[str] = PROTOCOL_HEADER_KK) -> Path:
    """A stage's protocol as a school sends it: a merged title, Kazakh headers, the rows,
    and the jury's signature line under them."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Хаттама"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    sheet.append([])
    sheet.append(["", "Қазылар алқасының төрағасы: ____________"])
    book.save(path)
    return path
