"""``daryn import``, ``daryn pupils list --out`` and ``daryn year rollover`` end to end."""

from __future__ import annotations

import openpyxl
import pytest

from daryn_desktop.cli.main import main
from daryn_desktop.storage.database import open_store
from tests.conftest import PASSWORD
from tests.helpers import add_school, make_iin
from tests.spreadsheet_files import pupil_rows, write_xlsx


@pytest.fixture
def db(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DARYN_PASSWORD", PASSWORD)
    path = tmp_path / "district.db"
    assert main(["--lang", "en", "--db", str(path), "init", "--role", "district",
                 "--region", "150000000", "--district", "153200000", "--name", "Алға"]) == 0
    store = open_store(path, password=PASSWORD)
    school = add_school(store, "Қарабұлақ орта мектебі")
    store.close()
    capsys.readouterr()
    return path, school.id


def test_a_class_list_dry_run_then_for_real_then_again(db, tmp_path, capsys):
    path, school_id = db
    rows = [*pupil_rows(25),
            [26, "Қасымов Дәулет", "120315500019", "15.03.2012", "7А", "", ""]]
    class_list = write_xlsx(tmp_path / "class_7A.xlsx", rows)
    args = ["--lang", "kk", "--db", str(path), "import", "pupils", str(class_list),
            "--school", school_id]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "25 жаңа, 0 өзгерген, 0 өзгермеген, 1 қабылданбаған" in out
    assert "30-жол: ЖСН:" in out
    store = open_store(path, password=PASSWORD)
    assert store.repos.pupils.count() == 0
    store.close()
    assert not (tmp_path / "class_7A.xlsx.rejected.xlsx").exists()

    assert main(args) == 0
    out = capsys.readouterr().out
    assert "daryn import undo" in out
    rejected = tmp_path / "class_7A.xlsx.rejected.xlsx"
    sheet = openpyxl.load_workbook(rejected).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[4][1] == "Қасымов Дәулет" and "бақылау" in values[4][-2]

    assert main(args) == 0
    assert "0 жаңа, 0 өзгерген, 25 өзгермеген, 1 қабылданбаған" in capsys.readouterr().out


def test_undo_the_last_import_and_history(db, tmp_path, capsys):
    path, school_id = db
    class_list = write_xlsx(tmp_path / "7А.xlsx", list(pupil_rows(3)))
    assert main(["--db", str(path), "import", "pupils", str(class_list), "--school",
                 school_id]) == 0
    assert main(["--lang", "en", "--db", str(path), "import", "history"]) == 0
    assert "3 new, 0 changed, 0 rejected" in capsys.readouterr().out
    assert main(["--lang", "en", "--db", str(path), "import", "undo", "last"]) == 0
    # The pupils, their categories and areas.
    assert "records it created, now archived or removed: 7" in capsys.readouterr().out
    assert main(["--lang", "en", "--db", str(path), "import", "undo", "last"]) == 1
    assert "already undone" in capsys.readouterr().err


def test_a_bad_file_is_one_clear_line(db, tmp_path, capsys):
    path, _school = db
    bad = tmp_path / "photo.xlsx"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert main(["--lang", "en", "--db", str(path), "import", "pupils", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "photo.xlsx is not a spreadsheet" in err and "Traceback" not in err
    assert main(["--lang", "en", "--db", str(path), "import", "pupils", str(bad),
                 "--map", "X=passport"]) == 1
    capsys.readouterr()
    assert main(["--lang", "en", "--db", str(path), "import", "pupils", str(bad),
                 "--school", "no-such-school"]) == 1
    assert "No school has the id no-such-school" in capsys.readouterr().err


def test_a_template_and_the_list_as_a_spreadsheet_with_filters(db, tmp_path, capsys):
    path, school_id = db
    assert main(["--lang", "en", "--db", str(path), "import", "template", "pupils", "--out",
                 str(tmp_path / "t.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames[1] == "Codes"
    rows = [[1, "Әбілқайыров Ұлықбек", make_iin("120315", 5, 1), "15.03.2012", "7А", "", ""],
            [2, "Сейітова Айгүл", make_iin("110315", 6, 2), "15.03.2011", "8Б",
             "көп балалы", ""]]
    main(["--db", str(path), "import", "pupils", str(write_xlsx(tmp_path / "l.xlsx", rows)),
          "--school", school_id])
    capsys.readouterr()
    out = tmp_path / "list.xlsx"
    assert main(["--lang", "en", "--db", str(path), "pupils", "list", "--category",
                 "Многодетная семья", "--out", str(out)]) == 0
    assert "Wrote 1 pupil" in capsys.readouterr().out
    data = [list(r) for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    assert data[5][0] == "Сейітова Айгүл" and data[5][3] == "8Б"
    assert main(["--lang", "en", "--db", str(path), "pupils", "list", "--grade", "7"]) == 0
    assert "1 of 1 pupil" in capsys.readouterr().out


def test_year_rollover_dry_run_and_for_real(db, tmp_path, capsys):
    from datetime import date

    from daryn_desktop.core.academic import AcademicYear

    path, school_id = db
    rows = [[1, "Әбілқайыров Ұлықбек", make_iin("080315", 5, 1), "15.03.2008", "11А", "", ""],
            [2, "Сейітова Айгүл", make_iin("110315", 6, 2), "15.03.2011", "8Б", "", ""]]
    main(["--db", str(path), "import", "pupils", str(write_xlsx(tmp_path / "l.xlsx", rows)),
          "--school", school_id])
    capsys.readouterr()
    target = AcademicYear.containing(date.today()).next().label
    args = ["--lang", "en", "--db", str(path), "year", "rollover", "--to", target]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Finish school (archived as graduated): 1" in out
    assert main(args) == 0
    assert "Moved up: 1; left school: 1" in capsys.readouterr().out
    assert main(args) == 1
    assert "already been moved" in capsys.readouterr().err
