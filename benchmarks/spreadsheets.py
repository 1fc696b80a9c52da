"""Spreadsheet figures of DESIGN §6, each next to a floor measured in the same run.

    python -m benchmarks.spreadsheets                     # 5,000-row import, 100,000-row export
    python -m benchmarks.spreadsheets --pupils 20000      # a quicker look at the export
    python -m benchmarks.spreadsheets --reuse /tmp/x.db   # keep and reuse the demo database

Figures:
* import of a 5,000-row class list (xlsx: merged title rows, the header below them, names,
  IINs, birth dates, grades with letters, categories, giftedness areas) into a new
  district database: reading and checking every row, then writing it as one batch. The
  floor is openpyxl's own read of the same file (read-only, values only) plus the raw write
  path for the same pupils (``Writer.insert_many`` of ready rows). Budget: ≤ 10 s and
  ≤ 5 × the floor;
* export of the whole registry of a demo region (100,000 pupils) as Excel, with the
  registry's columns, with progress. The floor is openpyxl's write-only mode appending the
  same rows, read beforehand. Budget: ≤ 15 s.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook

from daryn_desktop.core.entities import School
from daryn_desktop.core.enums import Role
from daryn_desktop.core.iin import check_digit
from daryn_desktop.core.imports.fields import ImportKind
from daryn_desktop.demo.generator import generate
from daryn_desktop.demo.names import KAZAKH_BOYS, KAZAKH_GIRLS, KAZAKH_SURNAME_ROOTS
from daryn_desktop.reports.tables_xlsx import REGISTRY_COLUMNS, registry_cell, save_registry
from daryn_desktop.spreadsheets.importer import ImportRequest, plan_import, run_import
from daryn_desktop.storage.database import create_store, open_store
from daryn_desktop.storage.keyring import TEST_KDF
from daryn_desktop.storage.registry import ordered_keys
from daryn_desktop.storage.registry_export import iter_registry_rows
from daryn_desktop.storage.search import PupilQuery

PASSWORD = "benchmark-password"
RESULTS = Path(__file__).resolve().parent / "results"
IMPORT_BUDGET_S, IMPORT_RATIO, EXPORT_BUDGET_S = 10.0, 5.0, 15.0
HEADER = ("№", "Аты-жөні", "ЖСН", "Туған күні", "Жынысы", "Сынып", "Санаты",
          "Дарындылық саласы")


def _iin(born: date, female: bool, serial: int) -> str:
    while True:
        first = f"{born:%y%m%d}{6 if female else 5}{serial:04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
        serial += 1


def class_list(path: Path, rows: int) -> list[dict]:
    """A class list as schools keep them, and the same pupils as ready rows for the floor."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Тізім")
    sheet.append(["Алға ауданының дарынды оқушылары, 2025-2026 оқу жылы"])
    sheet.append([])
    sheet.append(list(HEADER))
    ready = []
    first = date(2009, 1, 1)
    for i in range(rows):
        female = i % 2 == 1
        root = KAZAKH_SURNAME_ROOTS[i % len(KAZAKH_SURNAME_ROOTS)]
        surname = f"{root}ова" if female else f"{root}ов"
        given = (KAZAKH_GIRLS if female else KAZAKH_BOYS)[(i // 7) % 20]
        born = first + timedelta(days=(i * 37) % 3300)
        iin = _iin(born, female, 1 + (i // 3300) * 3)
        grade = 2026 - born.year - 7
        letter = "АӘБВ"[i % 4]
        sheet.append([i + 1, f"{surname} {given}", iin, born.strftime("%d.%m.%Y"),
                      "әйел" if female else "ер", f"{grade} «{letter}»",
                      ("көп балалы", "", "АӘК", "")[i % 4],
                      ("Математика", "Домбыра", "Шахмат", "")[i % 4]])
        ready.append({"surname": surname, "given_name": given, "iin": iin,
                      "birth_date": born.isoformat(), "sex": "female" if female else "male",
                      "grade": grade, "class_letter": letter})
    book.save(path)
    return ready


def _new_district(path: Path):
    store, _code = create_store(path, PASSWORD, role=Role.DISTRICT, region_kato="150000000",
                                district_kato="153200000", name="Алға", kdf=TEST_KDF)
    school = store.repos.schools.add(School(name="Қарабұлақ орта мектебі",
                                            settlement_kato="153239100",
                                            district_kato="153200000"))
    return store, school


def measure_import(work: Path, rows: int) -> dict[str, object]:
    path = work / "class_list.xlsx"
    ready = class_list(path, rows)
    start = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    read_rows = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    read_floor = time.perf_counter() - start

    floor_store, floor_school = _new_district(work / "floor.db")
    start = time.perf_counter()
    with floor_store.transaction() as w:
        w.insert_many("pupils", [{**r, "school_id": floor_school.id} for r in ready])
    write_floor = time.perf_counter() - start
    floor_store.close()

    store, school = _new_district(work / "import.db")
    request = ImportRequest(path, ImportKind.PUPILS, school_id=school.id)
    start, cpu = time.perf_counter(), time.process_time()
    plan = plan_import(store, request)
    planned = time.perf_counter() - start
    start = time.perf_counter()
    batch = run_import(store, plan)
    written = time.perf_counter() - start
    import_cpu = time.process_time() - cpu
    again = plan_import(store, request)
    store.close()
    total = planned + written
    floor = read_floor + write_floor
    return {
        "rows": rows, "sheet_rows_read": read_rows, "summary": plan.summary(),
        "second_run": again.summary(), "new": batch.new if batch else 0,
        "import_s": round(total, 2), "import_cpu_s": round(import_cpu, 2),
        "check_s": round(planned, 2),
        "write_s": round(written, 2), "floor_openpyxl_read_s": round(read_floor, 2),
        "floor_raw_write_s": round(write_floor, 2), "floor_s": round(floor, 2),
        "ratio_to_floor": round(total / floor, 2), "budget_s": IMPORT_BUDGET_S,
        "budget_ratio": IMPORT_RATIO,
        "within_budget": total <= IMPORT_BUDGET_S and total / floor <= IMPORT_RATIO,
    }


def measure_export(db: Path, work: Path) -> dict[str, object]:
    store = open_store(db, password=PASSWORD)
    query = PupilQuery()
    reports: list[int] = []
    start, cpu = time.perf_counter(), time.process_time()
    count = save_registry(store, query, work / "registry.xlsx",
                          progress=lambda p: reports.append(p.done))
    export_s, export_cpu = time.perf_counter() - start, time.process_time() - cpu
    # The floor: the same rows, read beforehand, appended by openpyxl's write-only mode.
    keys = ordered_keys(store, query)
    rows = [[registry_cell(row, k) for k in REGISTRY_COLUMNS]
            for row in iter_registry_rows(store, keys)]
    store.close()
    start, cpu = time.perf_counter(), time.process_time()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Pupils")
    sheet.append(list(REGISTRY_COLUMNS))
    for row in rows:
        sheet.append(row)
    book.save(work / "floor.xlsx")
    floor, floor_cpu = time.perf_counter() - start, time.process_time() - cpu
    size = os.path.getsize(work / "registry.xlsx")
    return {"rows": count, "export_s": round(export_s, 2), "progress_reports": len(reports),
            # CPU seconds: what the wall clock shows on a machine nobody else is using.
            "export_cpu_s": round(export_cpu, 2), "floor_cpu_s": round(floor_cpu, 2),
            "floor_openpyxl_write_s": round(floor, 2),
            "ratio_to_floor": round(export_s / floor, 2), "file_mb": round(size / 1e6, 1),
            "budget_s": EXPORT_BUDGET_S, "within_budget": export_s <= EXPORT_BUDGET_S}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000, help="rows of the class list")
    parser.add_argument("--pupils", type=int, default=100_000, help="pupils to export")
    parser.add_argument("--reuse", type=Path, help="demo database to reuse (made if missing)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="daryn-bench-xlsx-"))
    figures: dict[str, object] = {"import": measure_import(work, args.rows)}
    print(json.dumps(figures, indent=2, ensure_ascii=False), flush=True)
    db = args.reuse or work / "demo.db"
    if not db.exists():
        store, _code = create_store(db, PASSWORD, role=Role.REGION, region_kato="150000000",
                                    name="Ақтөбе-Дарын", kdf=TEST_KDF)
        generate(store, args.pupils, seed=1)
        store.close()
    figures["export"] = measure_export(db, work)
    print(json.dumps(figures["export"], indent=2, ensure_ascii=False))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "spreadsheets.json").write_text(json.dumps(figures, indent=2,
                                                          ensure_ascii=False))
    for leftover in work.iterdir():
        if leftover != db and not str(leftover).startswith(str(db)):
            leftover.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
