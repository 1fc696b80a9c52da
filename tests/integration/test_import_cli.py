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


def test_a_list_imported_twice_at_once_registers_each_pupil_once(db, tmp_path, capsys,
                                                                  monkeypatch):
    """Two programs import the same class list at once: the second checked the file before
    the first wrote, and finds the registry changed when it takes the lock. It checks the
    file again, and then finds its pupils there."""
    from daryn_desktop.cli import import_commands
    from daryn_desktop.core.imports.plan import ImportKind
    from daryn_desktop.spreadsheets.importer import ImportRequest, plan_import, run_import

    path, school_id = db
    class_list = write_xlsx(tmp_path / "7А.xlsx", list(pupil_rows(5)))
    real_plan = import_commands.plan_import
    planned: list[object] = []

    def plan_then_the_other_program_imports(store, request, **kwargs):
        plan = real_plan(store, request, **kwargs)
        if not planned:  # the other program: the same list, checked and written meanwhile
            other = open_store(path, password=PASSWORD)
            run_import(other, plan_import(other, ImportRequest(
                class_list, ImportKind.PUPILS, school_id=school_id)))
            other.close()
        planned.append(plan)
        return plan

    monkeypatch.setattr(import_commands, "plan_import", plan_then_the_other_program_imports)
    assert main(["--lang", "en", "--db", str(path), "import", "pupils", str(class_list),
                 "--school", school_id]) == 0
    assert len(planned) == 2  # checked again after the registry changed
    assert "Nothing to change" in capsys.readouterr().out
    store = open_store(path, password=PASSWORD)
    assert store.repos.pupils.count() == 5
    store.close()


def test_a_plan_checked_before_another_write_is_refused_and_writes_nothing(db, tmp_path):
    from daryn_desktop.core.imports.plan import ImportKind
    from daryn_desktop.spreadsheets.importer import ImportRequest, plan_import, run_import
    from daryn_desktop.storage.imports import RegistryChanged

    path, school_id = db
    store = open_store(path, password=PASSWORD)
    request = ImportRequest(write_xlsx(tmp_path / "7А.xlsx", list(pupil_rows(4))),
                            ImportKind.PUPILS, school_id=school_id)
    first, second = plan_import(store, request), plan_import(store, request)
    assert run_import(store, first) is not None
    with pytest.raises(RegistryChanged):
        run_import(store, second)
    assert store.repos.pupils.count() == 4
    assert len(store.db.execute("SELECT id FROM import_batches").fetchall()) == 1
    store.close()


def test_rejected_rows_that_cannot_be_saved_stop_the_import_before_it_writes(
        db, tmp_path, capsys):
    from tests.filesystems import set_read_only, small_disk

    path, school_id = db
    rows = [*pupil_rows(3), [4, "Қасымов Дәулет", "120315500019", "15.03.2012", "7А", "", ""]]
    with small_disk(tmp_path / "stick", "1m") as stick:
        class_list = write_xlsx(stick / "7А.xlsx", rows)
        set_read_only(stick)
        try:
            args = ["--lang", "en", "--db", str(path), "import", "pupils", str(class_list),
                    "--school", school_id]
            assert main(args) == 1
            assert "read-only disk" in capsys.readouterr().err
            store = open_store(path, password=PASSWORD)
            assert store.repos.pupils.count() == 0  # nothing was imported
            store.close()
            # Told where else to put them, the same import goes through.
            assert main([*args, "--rejected", str(tmp_path / "rejected.xlsx")]) == 0
        finally:
            set_read_only(stick, False)
    assert (tmp_path / "rejected.xlsx").exists()
    store = open_store(path, password=PASSWORD)
    assert store.repos.pupils.count() == 3
    store.close()
