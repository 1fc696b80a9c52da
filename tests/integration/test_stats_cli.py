"""``daryn stats`` end to end: JSON, XLSX and PDF of the same figures agree."""

from __future__ import annotations

import json

import openpyxl
import pytest
from pypdf import PdfReader

from daryn_desktop.cli.main import main
from daryn_desktop.demo.generator import generate
from daryn_desktop.storage.database import open_store
from tests.conftest import PASSWORD


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "region.db"
    mp = pytest.MonkeyPatch()
    mp.setenv("DARYN_PASSWORD", PASSWORD)
    assert main(["--lang", "en", "--db", str(path), "init", "--role", "region",
                 "--region", "150000000", "--name", "Облыс"]) == 0
    with open_store(path, password=PASSWORD) as store:
        generate(store, 300, seed=5)
    yield path
    mp.undo()


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv("DARYN_PASSWORD", PASSWORD)


def _json(db, capsys, *extra):
    capsys.readouterr()
    assert main(["--db", str(db), "stats", *extra, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_xlsx_and_pdf_agree(db, tmp_path, capsys):
    data = _json(db, capsys, "--lang", "ru", "--suppress-below", "0")
    assert data["language"] == "ru" and data["territory"]["name"] == "Актюбинская область"
    assert [t["key"] for t in data["tables"]] == ["T1", "T2", "T3", "T5", "T6"]
    t1 = data["tables"][0]
    total = next(r for r in t1["rows"] if r["key"] == "total")["values"]["total"]
    assert total == 300
    xlsx = tmp_path / "s.xlsx"
    assert main(["--db", str(db), "stats", "--lang", "ru", "--suppress-below", "0",
                 "--out", str(xlsx)]) == 0
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames[-1] == "Определения"
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Район")
    columns = list(rows[header])
    last = next(r for r in rows if r[0] == "Всего" and r[1] is None)
    assert last[columns.index("Всего")] == total
    pdf = tmp_path / "s.pdf"
    assert main(["--db", str(db), "stats", "--table", "T1", "--out", str(pdf)]) == 0
    text = PdfReader(pdf).pages[0].extract_text()
    assert "Анықталған дарынды балалар" in text and str(total) in text
    assert "Бет 1 /" in text


def test_files_withhold_small_counts_by_default_and_names_only_on_request(db, tmp_path,
                                                                           capsys):
    out = tmp_path / "s.json"
    assert main(["--db", str(db), "stats", "--table", "T1", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["suppress_below"] == 3
    table = data["tables"][0]
    counts = [c["key"] for c in table["columns"] if c["kind"] == "count"]
    values = [r["values"][k] for r in table["rows"] for k in counts]
    assert None in values and not any(isinstance(v, int) and 0 < v < 3 for v in values)
    shown = _json(db, capsys, "--table", "T4")
    assert shown["tables"][0]["personal"] is True


def test_bad_table_and_output_are_clear_errors(db, tmp_path, capsys):
    capsys.readouterr()
    assert main(["--lang", "en", "--db", str(db), "stats", "--table", "T9", "--json"]) == 1
    assert "There is no table “T9”" in capsys.readouterr().err
    assert main(["--lang", "en", "--db", str(db), "stats", "--out", str(tmp_path / "x.doc")]) == 1
    assert ".xlsx, .pdf or .json" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["-1", "үш"])
def test_a_negative_or_wordy_threshold_is_refused_in_the_messages_language(db, capsys, value):
    capsys.readouterr()
    assert main(["--lang", "ru", "--db", str(db), "stats", "--suppress-below", value,
                 "--json"]) == 1
    err = capsys.readouterr().err
    assert f"«{value}» — не число" in err and '"suppress_below"' not in err
