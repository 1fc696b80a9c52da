"""Build ``resources/kato/kato.tsv.gz``: the regions, districts and settlements of the KATO.

Usage (from the repository root)::

    python tools/build_kato.py [--kato ../shared/reference/kato.csv]
                               [--extract ../shared/reference/kato_regions_districts.csv]
                               [--out resources/kato/kato.tsv.gz]

The output is a gzip-compressed, tab-separated UTF-8 file with the header
``code level type_code parent name_kk name_ru``, one row per place, sorted by code.
Rebuilding from the same input gives identical bytes (gzip mtime 0, no file name stored).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KATO = REPO_ROOT.parent / "shared" / "reference" / "kato.csv"
DEFAULT_EXTRACT = REPO_ROOT.parent / "shared" / "reference" / "kato_regions_districts.csv"
DEFAULT_OUT = REPO_ROOT / "resources" / "kato" / "kato.tsv.gz"

HEADER = ("code", "level", "type_code", "parent", "name_kk", "name_ru")
CODE_LEN = 9
RURAL = 2  # the classifier's "type of locality" sign for a rural area

# A few source names were typed with an old Kazakh font that put Kazakh letters on the
# code points of Macedonian/Ukrainian/Belarusian ones (e.g. "Ќабырғатал", "Нўрғазы").
# Nobody can find such a name by typing it, so they are mapped back to the Kazakh letters;
# the Russian names of the same rows confirm the reading (с.Кабыргатал, с.Нургазы, ...).
_LEGACY_LETTERS = str.maketrans("ЌќЎўЇїЈј", "ҚқҰұҮүӘә")
# Runs of spaces and no-break spaces occur inside ~100 names; they would defeat search.
_SPACES = re.compile(r"\s+")


def _clean(name: str) -> str:
    return _SPACES.sub(" ", name.translate(_LEGACY_LETTERS)).strip()


def _pad(prefix: str) -> str:
    return prefix.ljust(CODE_LEN, "0")


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _district_of(code: str, districts: set[str]) -> str | None:
    """The district a settlement belongs to, found from the data rather than assumed.

    Normally that is the first four digits + zeros. The city districts of Astana (71),
    Almaty (75) and Shymkent (79) sit one level lower in the source (they are its
    "sub-districts", e.g. 751110000), so a settlement under one of them is reached through
    its six-digit sub-district code. The deeper candidate is tried first: for an ordinary
    settlement it is a rural okrug, which is never a district, so nothing is mistaken.
    """
    for prefix_len in (6, 4):
        candidate = _pad(code[:prefix_len])
        if candidate != code and candidate in districts:
            return candidate
    return None


def build(kato_csv: Path | str, extract_csv: Path | str, out_path: Path | str) -> dict[str, int]:
    """Build the compact gazetteer file and return counts for a summary.

    Regions and districts come from the clean extract (it lists the city districts of
    Astana, Almaty and Shymkent as districts and carries the Aktau name correction); their
    ``type_code`` and all settlements come from the full classifier.
    """
    source = {row["kato"]: row for row in _read_csv(Path(kato_csv))}
    extract = _read_csv(Path(extract_csv))

    rows: list[tuple[str, str, int, str, str, str]] = []
    regions: set[str] = set()
    districts: set[str] = set()
    for row in extract:
        code = row["kato_code"]
        if code not in source:
            raise ValueError(f"{code} of the extract is not in the classifier")
        if row["level"] == "1":
            level, parent = "region", ""
            regions.add(code)
        elif row["level"] == "2":
            level, parent = "district", row["parent_kato"]
            districts.add(code)
        else:
            raise ValueError(f"{code}: unexpected level {row['level']!r} in the extract")
        type_code = int(source[code]["type_code"])
        rows.append((code, level, type_code, parent, row["name_kk"], row["name_ru"]))

    source_regions = {code for code, row in source.items() if row["level"] == "oblast"}
    if regions != source_regions:
        raise ValueError(f"regions differ from the classifier: {sorted(regions ^ source_regions)}")
    for code, level, _, parent, _, _ in rows:
        if level == "district" and (parent not in regions or parent != _pad(code[:2])):
            raise ValueError(f"district {code} has a bad parent {parent!r}")

    counts: Counter[str] = Counter()
    for code, row in source.items():
        if row["level"] != "settlement":
            continue
        district = _district_of(code, districts)
        if district is None:
            # No district at all: hang the settlement on its region rather than invent one.
            parent = _pad(code[:2])
            if parent not in regions:
                raise ValueError(f"settlement {code} has neither a district nor a region")
            counts["settlements_under_region"] += 1
        else:
            parent = district
            if district != _pad(code[:4]):
                counts["settlements_via_sub_district"] += 1
        type_code = int(row["type_code"])
        counts["rural"] += type_code == RURAL
        rows.append((code, "settlement", type_code, parent, row["name_kk"], row["name_ru"]))

    rows.sort()
    text = io.StringIO()
    text.write("\t".join(HEADER) + "\n")
    for code, level, type_code, parent, raw_kk, raw_ru in rows:
        name_kk, name_ru = _clean(raw_kk), _clean(raw_ru)
        counts["names_cleaned"] += (name_kk, name_ru) != (raw_kk, raw_ru)
        for name in (name_kk, name_ru):
            if not name or "\t" in name or "\n" in name:
                raise ValueError(f"{code}: name {name!r} cannot be stored")
        text.write(f"{code}\t{level}\t{type_code}\t{parent}\t{name_kk}\t{name_ru}\n")

    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 and an empty file name keep the gzip header free of anything that changes
    # between builds, so a rebuild from the same data gives byte-identical output.
    with (
        open(out, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(text.getvalue().encode("utf-8"))

    by_level = Counter(level for _, level, *_ in rows)
    return {
        "region": by_level["region"],
        "district": by_level["district"],
        "settlement": by_level["settlement"],
        "rural": counts["rural"],
        "settlements_via_sub_district": counts["settlements_via_sub_district"],
        "settlements_under_region": counts["settlements_under_region"],
        "names_cleaned": counts["names_cleaned"],
        "bytes": out.stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kato", type=Path, default=DEFAULT_KATO, help="full classifier CSV")
    parser.add_argument(
        "--extract", type=Path, default=DEFAULT_EXTRACT, help="regions and districts CSV"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output .tsv.gz")
    args = parser.parse_args(argv)

    summary = build(args.kato, args.extract, args.out)
    print(f"wrote {args.out} ({summary['bytes']:,} bytes)")
    print(f"  regions:     {summary['region']}")
    print(f"  districts:   {summary['district']}")
    print(
        f"  settlements: {summary['settlement']} "
        f"({summary['rural']} rural, {summary['settlement'] - summary['rural']} urban)"
    )
    print(f"  settlements placed through a sub-district: {summary['settlements_via_sub_district']}")
    print(
        f"  settlements with no district (under their region): "
        f"{summary['settlements_under_region']}"
    )
    print(f"  rows whose names were cleaned (spaces, legacy letters): {summary['names_cleaned']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
