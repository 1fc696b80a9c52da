"""Memory of importing bundles, large ones and hostile ones (DESIGN §6: a hostile or broken
file of 1 GB is refused in seconds with RSS ≤ 250 MB; import memory flat).

    python -m benchmarks.hostile              # about a minute and a half
    python -m benchmarks.hostile --quick      # 1 MB and 10 MB bundles, 100 MB of junk

A district with 200 demo pupils and scanned attachments (random bytes: scans do not
compress) exports one bundle of about 1 MB and one of about 100 MB; the region imports
each. Then three hostile files are offered: 1 GiB of zeros, a valid bundle with 1 GiB of
junk appended, and the 100 MB bundle with one byte of its payload changed. Each import
runs in a fresh process; its peak RSS is measured from the moment the database is open
(Linux resets the peak there), and the floor is that process's RSS at that moment.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from daryn_desktop.core.enums import Role
from daryn_desktop.demo.generator import generate
from daryn_desktop.storage.database import create_store, open_store
from daryn_desktop.storage.keyring import TEST_KDF
from daryn_desktop.sync.card import card_bytes, parse_card
from daryn_desktop.sync.export import export_bundle
from daryn_desktop.sync.identity import ensure_identity
from daryn_desktop.sync.importer import import_bundle
from daryn_desktop.sync.peers import get_peer, trust_card

PASSWORD = "benchmark-password"
RESULTS = Path(__file__).resolve().parent / "results"
MIB = 1024**2
RSS_BUDGET_MB = 250.0
REFUSE_BUDGET_S = 5.0


def _status_mb(field: str) -> float | None:
    """A memory figure of this process from Linux's /proc (VmRSS now, VmHWM its peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _rss_mb() -> float:
    """The peak RSS since the last :func:`_reset_peak` (or since the process began)."""
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(
        resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _reset_peak() -> None:
    """Start measuring the peak afresh (Linux: writing 5 to clear_refs resets VmHWM), so
    that opening the database does not hide a smaller import's own peak."""
    with contextlib.suppress(OSError):  # not Linux: the peak since the start is used
        Path("/proc/self/clear_refs").write_text("5")


def child(db: str, bundle: str) -> dict:
    """One import in this process (run as a subprocess, so that its peak RSS is its own)."""
    store = open_store(db, password=PASSWORD)
    _reset_peak()
    floor = _status_mb("VmRSS") or _rss_mb()
    start = time.perf_counter()
    outcome = import_bundle(store, Path(bundle))
    seconds = time.perf_counter() - start
    store.close()
    return {"status": outcome.status, "reason": outcome.reason, "seconds": round(seconds, 2),
            "rss_floor_mb": round(floor, 1), "rss_peak_mb": round(_rss_mb(), 1)}


def _run_child(db: Path, bundle: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.hostile", "--child", str(bundle),
                           "--db", str(db)], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["file_mb"] = round(bundle.stat().st_size / MIB, 1)
    return figures


def _district_with_scans(folder: Path, megabytes: int, seed: int):
    """A paired district and region; the district holds about ``megabytes`` of scans."""
    region, _ = create_store(folder / f"region-{megabytes}.db", PASSWORD, role=Role.REGION,
                             region_kato="150000000", name="Ақтөбе-Дарын", kdf=TEST_KDF)
    district, _ = create_store(folder / f"district-{megabytes}.db", PASSWORD,
                               role=Role.DISTRICT, region_kato="150000000",
                               district_kato="153200000", name="Алға", kdf=TEST_KDF)
    for store in (region, district):
        ensure_identity(store)
    trust_card(region, parse_card(card_bytes(district)))
    trust_card(district, parse_card(card_bytes(region)))
    generate(district, 200, seed=seed)
    pupils = [r[0] for r in district.db.execute("SELECT id FROM pupils ORDER BY rowid")]
    scan = 5 * MIB if megabytes >= 20 else 256 * 1024
    for n in range(max(1, megabytes * MIB // scan)):
        district.repos.attachments.add_file(pupils[n % len(pupils)], f"scan-{n}.pdf",
                                            "application/pdf", os.urandom(scan))
    return region, district


def _bundle(folder: Path, megabytes: int, seed: int) -> tuple[Path, Path]:
    """(the region's database, a bundle of about ``megabytes`` MB for it)."""
    region, district = _district_with_scans(folder, megabytes, seed)
    made = export_bundle(district, folder / f"stick-{megabytes}",
                         get_peer(district, region.site_id))
    region.close()
    district.close()
    return folder / f"region-{megabytes}.db", made.path


def _sparse(path: Path, prefix: bytes, size: int) -> Path:
    with open(path, "wb") as fh:
        fh.write(prefix)
        fh.truncate(size)  # zeros that take no room on the disk
    return path


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hostile")
    parser.add_argument("--quick", action="store_true", help="smaller files (a trial run)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.db, args.child)))
        return 0
    small, large, junk = (1, 10, 100 * MIB) if args.quick else (1, 100, 1024 * MIB)
    work = Path(tempfile.mkdtemp(prefix="daryn-bench-hostile-"))
    figures: dict = {}
    db_small, bundle_small = _bundle(work, small, 1)
    db_large, bundle_large = _bundle(work, large, 2)
    figures[f"bundle_{small}mb"] = _run_child(db_small, bundle_small)
    figures[f"bundle_{large}mb"] = _run_child(db_large, bundle_large)
    # (the file, the region it is offered to): a refusal comes before "already imported".
    hostile = {
        "zeros": (_sparse(work / "zeros.dsb", b"", junk), db_small),
        "bundle_plus_junk": (_sparse(work / "appended.dsb", bundle_small.read_bytes(),
                                     bundle_small.stat().st_size + junk), db_small),
    }
    changed = bytearray(bundle_large.read_bytes())
    changed[-1000] ^= 0x55
    (work / "changed.dsb").write_bytes(bytes(changed))
    del changed
    hostile["bundle_changed"] = (work / "changed.dsb", db_large)
    for name, (path, db) in hostile.items():
        figures[f"hostile_{name}"] = _run_child(db, path)
    peaks = [f["rss_peak_mb"] for f in figures.values()]
    figures["budget"] = {"rss_peak_mb": RSS_BUDGET_MB, "hostile_refused_within_s":
                         REFUSE_BUDGET_S,
                         "within_budget": max(peaks) <= RSS_BUDGET_MB and all(
                             f["seconds"] <= REFUSE_BUDGET_S for k, f in figures.items()
                             if k.startswith("hostile_"))}
    print(json.dumps(figures, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "hostile.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    for leftover in sorted(work.rglob("*"), reverse=True):
        leftover.unlink() if leftover.is_file() else leftover.rmdir()
    work.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
