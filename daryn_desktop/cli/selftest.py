"""``daryn self-test``: the program checks itself end to end, in a throw-away folder.

Meant for the built program (is everything it needs inside the build?) and for support on a
coordinator's PC. It never touches the person's data folder: every database it makes lives
in a temporary folder that is removed afterwards (or kept with ``--keep DIR``). One line per
check; exit code 0 only if every check passed. The window check is ``daryn-desktop
--self-test`` (``gui/selftest.py``): this command does not load Qt.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from daryn_desktop import __version__
from daryn_desktop.checks import run_check_list
from daryn_desktop.core import entities as e
from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import GiftednessKind, Language, Role, StaffRole
from daryn_desktop.core.iin import check_digit
from daryn_desktop.errors import UserError
from daryn_desktop.i18n import LANGUAGES, N_, _, gettext_for, ngettext
from daryn_desktop.paths import resource_path
from daryn_desktop.storage.database import Store

#: The pupil of the checks: between them, the name and the school use all nine letters of
#: the Kazakh alphabet that Russian lacks.
SURNAME, GIVEN_NAME, PATRONYMIC = "Әбілқайыров", "Ұлықбек", "Жаһангерұлы"
FULL_NAME = f"{SURNAME} {GIVEN_NAME} {PATRONYMIC}"
SCHOOL_NAME = "Ақай ауылының Ғабит Мүсірепов атындағы Төлеби орта мектебі"
KAZAKH_LETTERS = "әғқңөұүһі"
#: A throw-away password for throw-away databases (they are removed after the test).
PASSWORD = "self-test only 7"
REGION, DISTRICT, SETTLEMENT = "150000000", "153200000", "153239100"  # Aktobe, Alga, Akai


class CheckFailed(UserError):
    """A check saw something wrong; the message says what."""


@dataclass
class Workspace:
    """What the checks share: the temporary folder and what earlier checks made in it."""

    folder: Path
    stores: list[Store] = field(default_factory=list)
    pupil_id: str | None = None

    @property
    def district(self) -> Store:
        return self.stores[0]

    @property
    def pupil(self) -> str:
        """The id of the pupil an earlier check saved."""
        if self.pupil_id is None:
            raise CheckFailed(N_("no pupil was saved"))
        return self.pupil_id

    def close(self) -> None:
        for store in self.stores:
            store.close()
        self.stores.clear()


def expect(condition: object, message: str, **params: Any) -> None:
    """Fail the current check with ``message`` (an ``N_`` id) unless ``condition`` holds."""
    if not condition:
        raise CheckFailed(message, **params)


# -- the checks ------------------------------------------------------------------------------
def check_resources(ws: Workspace) -> str:
    """Fonts with their licence, translations and the KATO classifier are in the program."""
    from daryn_desktop.core.territory import gazetteer

    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"):
        expect(resource_path("fonts", name).is_file(), N_("{file} is missing"), file=name)
    for lang in LANGUAGES:
        if lang == "en":
            continue  # English is the message ids themselves
        # A message of the first catalogues: it is translated in every language.
        probe = "Error: {message}"
        expect(gettext_for(lang)(probe) != probe, N_("the {lang} translation is missing"),
               lang=lang)
    places = gazetteer()
    expect(places.find(DISTRICT) is not None, N_("the KATO classifier is missing or damaged"))
    return _("fonts, {count} languages, KATO").format(count=len(LANGUAGES))


def check_database(ws: Workspace) -> str:
    """An encrypted database is created with the real key derivation, and reopened."""
    from daryn_desktop.storage.database import create_store, open_store
    from daryn_desktop.storage.keyring import WrongPassword

    path = ws.folder / "district" / "daryn.db"
    store, _code = create_store(path, PASSWORD, role=Role.DISTRICT, region_kato=REGION,
                                district_kato=DISTRICT, name="Өзін-өзі тексеру (аудан)")
    store.close()
    try:
        open_store(path, password=PASSWORD + "x").close()
    except WrongPassword:
        pass
    else:
        raise CheckFailed(N_("a wrong password opened the database"))
    with open(path, "rb") as fh:
        expect(not fh.read(16).startswith(b"SQLite format 3"),
               N_("the database file is not encrypted"))
    ws.stores.append(open_store(path, password=PASSWORD))
    return _("created, encrypted, reopened; a wrong password refused")


def _iin(serial: int) -> str:
    while True:
        first = f"1203156{serial:04d}"  # born 15.03.2012, a boy of the 21st century
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
        serial += 1


def check_pupil(ws: Workspace) -> str:
    """A pupil with Kazakh letters is saved, survives reopening and is found by search."""
    from daryn_desktop.storage.database import open_store
    from daryn_desktop.storage.search import PupilQuery, search_pupils

    store = ws.district
    repos = store.repos
    school = repos.schools.add(e.School(name=SCHOOL_NAME, settlement_kato=SETTLEMENT,
                                        district_kato=DISTRICT, language=Language.KAZAKH))
    repos.staff.add(e.Staff(surname="Сейітова", given_name="Айгүл", patronymic="Бекқызы",
                            role=StaffRole.MENTOR, school_id=school.id))
    pupil = repos.pupils.add(e.Pupil(
        surname=SURNAME, given_name=GIVEN_NAME, patronymic=PATRONYMIC, iin=_iin(1),
        school_id=school.id, grade=7, language=Language.KAZAKH, birth_date=date(2012, 3, 15),
        settlement_kato=SETTLEMENT))
    repos.giftedness.add(e.GiftednessArea(pupil_id=pupil.id, kind=GiftednessKind.INTELLECTUAL,
                                          field="математика"))
    ws.pupil_id = pupil.id
    path = store.path
    store.close()
    ws.stores[0] = store = open_store(path, password=PASSWORD)
    again = store.repos.pupils.get(pupil.id)
    expect(again.full_name == FULL_NAME,
           N_("the name came back as {name}"), name=again.full_name)
    # Lower-case query, Kazakh letters folded by the search index.
    found = search_pupils(store, PupilQuery(text="әбіл ұлық"))
    expect([row.id for row in found] == [pupil.id], N_("the search did not find the pupil"))
    return again.full_name


def check_road_map_pdf(ws: Workspace) -> str:
    """A road map is made from a template and printed; the PDF's text is read back."""
    from pypdf import PdfReader

    from daryn_desktop.core.templates import TRACK_FOR_KIND
    from daryn_desktop.reports.batch import print_road_maps
    from daryn_desktop.reports.roadmap_pdf import TITLE
    from daryn_desktop.storage.roadmaps import RoadMaps

    store = ws.district
    year = AcademicYear.containing(date.today()).label
    maps = RoadMaps(store)
    road_map = maps.create(ws.pupil, year, track=TRACK_FOR_KIND[GiftednessKind.INTELLECTUAL])
    out = ws.folder / "road-map.pdf"
    result = print_road_maps(store, [road_map.id], out, lang="kk")
    reader = PdfReader(out)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    expect(FULL_NAME in text, N_("the PDF does not show the name {name}"), name=FULL_NAME)
    title = " ".join(gettext_for("kk")(TITLE).split())
    expect(title.casefold() in text.casefold(), N_("the PDF does not show its title {title}"),
           title=title)
    missing = [ch for ch in KAZAKH_LETTERS if ch not in text.casefold()]
    expect(not missing, N_("the letters {letters} did not come out of the PDF"),
           letters=" ".join(missing))
    fonts = _pdf_fonts(reader)
    # reportlab's built-in fonts turn Kazakh letters into black squares: the bundled one
    # must be embedded.
    expect(any("DejaVu" in name for name in fonts),
           N_("the PDF does not use the bundled font (it uses {fonts})"),
           fonts=", ".join(sorted(fonts)) or "—")
    return ngettext("{pages} page, the text checked", "{pages} pages, the text checked",
                    result.pages).format(pages=result.pages)


def _pdf_fonts(reader) -> set[str]:
    """The names of the fonts the pages of a PDF use."""
    names = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont", "")))
    return names


def check_sync(ws: Workspace) -> str:
    """Two installations pair by key cards; a bundle goes from the district to the region."""
    from daryn_desktop.storage.database import create_store
    from daryn_desktop.storage.keyring import TEST_KDF
    from daryn_desktop.sync.card import read_card, write_card
    from daryn_desktop.sync.export import export_bundle, recipients_for_export
    from daryn_desktop.sync.identity import ensure_identity
    from daryn_desktop.sync.importer import ALREADY, IMPORTED, import_files
    from daryn_desktop.sync.peers import trust_card

    district = ws.district
    pupil_id = ws.pupil
    # The real key derivation was proved by the first database; the region's throw-away
    # database uses the fastest parameters, so that the test stays quick on old PCs.
    region, _code = create_store(ws.folder / "region" / "daryn.db", PASSWORD, role=Role.REGION,
                                 region_kato=REGION, name="Өзін-өзі тексеру (облыс)",
                                 kdf=TEST_KDF)
    ws.stores.append(region)
    stick = ws.folder / "stick"
    stick.mkdir()
    for store in (district, region):
        ensure_identity(store)
    cards = {store.site_id: read_card(write_card(store, stick)) for store in (district, region)}
    trust_card(region, cards[district.site_id], fingerprint=cards[district.site_id].fingerprint)
    trust_card(district, cards[region.site_id], fingerprint=cards[region.site_id].fingerprint)
    (peer,) = recipients_for_export(district)
    exported = export_bundle(district, stick, peer)
    expect(exported.verified, N_("the bundle was not verified after writing"))
    first = import_files(region, [exported.path])[0]
    expect(first.status == IMPORTED, N_("the region refused the bundle: {reason}"),
           reason=first.message or first.status)
    pupil = region.repos.pupils.find(pupil_id)
    expect(pupil is not None and pupil.full_name == FULL_NAME,
           N_("the pupil did not arrive at the region"))
    second = import_files(region, [exported.path])[0]
    expect(second.status == ALREADY, N_("importing the same bundle again was not harmless"))
    return ngettext("{count} change, {size} bytes, imported once",
                    "{count} changes, {size} bytes, imported once",
                    exported.changes).format(count=exported.changes, size=exported.size)


#: The checks in order; each later one builds on what the earlier ones made.
def check_spreadsheets(ws: Workspace) -> str:
    """The registry saved as Excel reads back as a class list with nothing to change, and a
    CSV in the Kazakh code page KZ-1048 reads with its letters intact."""
    import xlrd  # noqa: F401 - old .xls workbooks are read with it: it must be in the program

    from daryn_desktop.core.imports.fields import ImportKind
    from daryn_desktop.reports.tables_xlsx import save_registry
    from daryn_desktop.spreadsheets.importer import ImportRequest, plan_import
    from daryn_desktop.spreadsheets.reading import read_sheet
    from daryn_desktop.storage.search import PupilQuery

    store = ws.district
    path = ws.folder / "тізім.xlsx"
    expect(save_registry(store, PupilQuery(), path) == 1, N_("the list was not saved"))
    plan = plan_import(store, ImportRequest(path, ImportKind.PUPILS))
    expect([r.status.value for r in plan.rows] == ["unchanged"],
           N_("the saved list did not read back: {reason}"),
           reason="; ".join(r.reason() for r in plan.rows))
    csv = ws.folder / "тізім.csv"
    csv.write_bytes(f"Аты-жөні;ЖСН\r\n{FULL_NAME};{_iin(1)}\r\n".encode("kz1048"))
    expect(read_sheet(csv).rows[1][0] == FULL_NAME, N_("a KZ-1048 list lost its letters"))
    return _("saved as Excel and read back; KZ-1048")


CHECKS: tuple[tuple[str, Callable[[Workspace], str]], ...] = (
    (N_("Bundled resources"), check_resources),
    (N_("Encrypted database"), check_database),
    (N_("Pupil with Kazakh letters"), check_pupil),
    (N_("Road-map PDF"), check_road_map_pdf),
    (N_("Spreadsheets"), check_spreadsheets),
    (N_("Sync bundle between two installations"), check_sync),
)


# -- running them ----------------------------------------------------------------------------
def run_checks(folder: Path, write: Callable[[str], None]) -> bool:
    """Run :data:`CHECKS` in ``folder``, writing one line per check; True if all passed."""
    ws = Workspace(folder)
    started = time.perf_counter()
    try:
        ok = run_check_list(CHECKS, ws, write,
                            on_bug=lambda: traceback.print_exc(file=sys.stderr))
    finally:
        ws.close()
    seconds = f"{time.perf_counter() - started:.1f}"
    if not ok:
        write(_("Self-test of Daryn Desktop {version} FAILED.").format(version=__version__))
    else:
        write(_("Self-test of Daryn Desktop {version} passed: {count} checks in {seconds} s.")
              .format(version=__version__, count=len(CHECKS), seconds=seconds))
    return ok


def self_test(args: argparse.Namespace) -> int:
    if args.keep:
        folder = Path(args.keep)
        if folder.exists() and any(folder.iterdir()):
            raise CheckFailed(N_("The folder {path} is not empty; choose a new or empty one."),
                              path=str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        ok = run_checks(folder, lambda line: print(line, flush=True))
    else:
        folder = Path(tempfile.mkdtemp(prefix="daryn-self-test-"))
        try:
            ok = run_checks(folder, lambda line: print(line, flush=True))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``daryn self-test`` to the command line."""
    p = sub.add_parser("self-test", help=_("check that the program works: database, PDF, sync"
                                           " (in a temporary folder)"))
    p.add_argument("--keep", metavar="DIR",
                   help=_("keep the test files (databases, PDF, bundle) in this new folder"))
    p.set_defaults(func=self_test)
