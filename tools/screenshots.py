"""Render the main screens with demo data, in Kazakh and Russian, into docs/screenshots/.

    .venv/bin/python tools/screenshots.py            # kk and ru
    .venv/bin/python tools/screenshots.py --lang kk  # one language

Runs headless (Qt's offscreen platform) on a throw-away demo database of 2,000 synthetic
pupils; nothing in the user's data folder is touched. Each screen is drawn with
``QWidget.grab()`` at a fixed size, so that the pictures are comparable between runs.

The same run makes the pictures of the guide shown in the program (F1), in kk, ru and en,
into ``resources/guide/images/`` (at the width the guide shows them: they ship with the
program).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "screenshots"
GUIDE = ROOT / "resources" / "guide" / "images"
#: The width the guide shows each of its pictures at (``width`` in its HTML): the picture
#: is made at that size, so that the guide does not scale it again.
GUIDE_WIDTHS = {"sign": 560, "backup": 560, "unlock": 480}
GUIDE_WIDTH = 700
PUPILS = 2000
PASSWORD = "screenshots-only"
#: What a coordinator would type into the dialogs shown (sample text, like the demo data).
SAMPLE_RESULT = {
    "kk": "Облыстық олимпиадада II орын; олимпиадаға дайындық келесі жылы жалғасады.",
    "ru": "II место на областной олимпиаде; подготовка к олимпиаде продолжится в следующем"
          " году.",
    "en": "2nd place at the regional olympiad; the preparation goes on next year."}
SAMPLE_REASON = {
    "kk": "Жоспарға ата-анасы танысқанға дейін қол қойылған.",
    "ru": "План подписан до того, как с ним ознакомились родители.",
    "en": "The plan was signed before the parents had seen it."}
SAMPLE_DISTRICT = {"kk": "Алға аудандық білім бөлімі", "ru": "Алгинский районный отдел"
                   " образования", "en": "Alga district education department"}


def _settle(app) -> None:
    for _ in range(3):
        app.processEvents()


def _save(widget, name: str, lang: str, app, *, docs: bool = True,
          guide: str | None = None) -> Path | None:
    """The widget's picture into docs/screenshots (``docs``) and as the guide's ``guide``."""
    _settle(app)
    image = widget.grab().toImage()
    path = None
    if docs:
        path = OUT / f"{lang}-{name}.png"
        image.save(str(path))
        print(f"  {path.relative_to(ROOT)}")
    if guide:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QImage

        width = GUIDE_WIDTHS.get(guide, GUIDE_WIDTH)
        small = image.scaledToWidth(min(width, image.width()),
                                    Qt.TransformationMode.SmoothTransformation)
        small = small.convertToFormat(QImage.Format.Format_RGB888)  # no alpha channel
        target = GUIDE / f"{lang}-{guide}.png"
        small.save(str(target), "PNG", 9)
        print(f"  {target.relative_to(ROOT)}")
    return path


def _pick_pupil(store) -> str:
    """A pupil with a Kazakh name, categories, achievements and a road map: a full profile."""
    row = store.db.execute(
        "SELECT p.id FROM pupils p WHERE p.status = 'active'"
        " AND EXISTS (SELECT 1 FROM pupil_categories c WHERE c.pupil_id = p.id)"
        " AND (SELECT count(*) FROM achievements a WHERE a.pupil_id = p.id) >= 2"
        " AND EXISTS (SELECT 1 FROM road_maps r WHERE r.pupil_id = p.id)"
        " AND p.language = 'kk' ORDER BY p.sort_key LIMIT 1 OFFSET 7").fetchone()
    return row[0]


def shoot(lang: str, store, work: Path, app, *, docs: bool = True) -> None:
    from PySide6.QtWidgets import QWizard

    from daryn_desktop.gui import tasks
    from daryn_desktop.gui.app import apply_language
    from daryn_desktop.gui.main_window import MainWindow
    from daryn_desktop.gui.schools import SchoolsDialog
    from daryn_desktop.gui.staff import StaffListDialog
    from daryn_desktop.gui.unlock import UnlockDialog
    from daryn_desktop.gui.wizard import FirstRunWizard
    from daryn_desktop.paths import app_paths
    from daryn_desktop.storage.keyring import TEST_KDF

    tasks.set_synchronous(True)
    apply_language(app, lang)
    print(f"{lang}:")

    # The first-run wizard: language, territory, the recovery code.
    paths = app_paths(work / f"wizard-{lang}")
    wizard = FirstRunWizard(paths, kdf=TEST_KDF, on_language=lambda code: None)
    wizard.resize(760, 560)
    wizard.show()
    _save(wizard, "wizard-language", lang, app, docs=docs)
    wizard.next()
    wizard.next()
    page = wizard.territory_page
    page.region.set_value("150000000")
    page.district.set_value("153200000")
    _save(wizard, "wizard-territory", lang, app, docs=docs, guide="first-territory")
    wizard.next()
    wizard.next()
    wizard.password_page.fields.first.setText("Алға-2025 ауданы")
    wizard.password_page.fields.second.setText("Алға-2025 ауданы")
    _save(wizard, "wizard-password", lang, app, docs=docs)
    wizard.next()
    _save(wizard, "wizard-recovery-code", lang, app, docs=docs, guide="first-code")
    wizard.code_page.confirm.setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    if wizard.store is not None:
        wizard.store.close()
    wizard.deleteLater()

    # The unlock screen after a wrong password.
    unlock = UnlockDialog(store.path)
    unlock.password.setText("wrong password")
    unlock.show()
    unlock.try_open()
    _save(unlock, "unlock-wrong-password", lang, app, docs=docs)
    unlock.deleteLater()
    unlock = UnlockDialog(store.path)
    unlock.show()
    _save(unlock, "unlock", lang, app, docs=False, guide="unlock")
    unlock.deleteLater()

    window = MainWindow(store, data_dir=str(work / "home"))
    window.resize(1400, 820)
    window.show()
    section = window.show_section("pupils")
    _save(window, "registry", lang, app, docs=docs)
    # The guide's pictures of a section: the page alone, in a smaller window (readable
    # when shown at the guide's width).
    window.resize(1000, 600)
    _save(section, "registry-page", lang, app, docs=False, guide="registry")
    window.resize(1400, 820)
    section.search.setText("нұр")
    section.apply()
    _save(window, "registry-search", lang, app, docs=docs)
    section.search.clear()
    filters = section.filters
    filters.category.setCurrentIndex(filters.category.findData("social_assistance"))
    filters.giftedness.setCurrentIndex(filters.giftedness.findData("technical"))
    _save(window, "registry-filters", lang, app, docs=docs)
    filters.clear()

    editor = section.open_pupil(_pick_pupil(store))
    editor.resize(1100, 720)
    for index, name in enumerate(("profile", "family", "giftedness", "achievements",
                                  "attachments", "history", "road-map")):
        editor.tabs.setCurrentIndex(index)
        _save(editor, f"editor-{name}", lang, app, docs=docs)
    editor.tabs.setCurrentIndex(0)
    editor.profile.iin.setText(editor.profile.iin.text()[:11] + "0")
    editor.profile.given_name.clear()
    _save(editor, "editor-validation", lang, app, docs=docs)
    editor.baseline = editor.record.copy()  # leave without the unsaved-changes question
    editor.reject()

    new = section.new_pupil()
    new.resize(1100, 720)
    _save(new, "editor-new-pupil", lang, app, docs=docs, guide="new-pupil")
    new.reject()

    schools = SchoolsDialog(store, window)
    schools.show()
    _save(schools, "schools", lang, app, docs=docs)
    schools.deleteLater()
    staff = StaffListDialog(store, window)
    staff.show()
    _save(staff, "staff", lang, app, docs=docs)
    staff.deleteLater()

    window.show_section("settings")
    _save(window, "settings", lang, app, docs=docs)
    if docs:
        _shoot_events(window, store, lang, app)
    window.show_section("road_maps")
    _save(window, "section-road-maps", lang, app, docs=docs)
    # A shared folder as a coordinator would choose it (the default is beside the database,
    # here a throw-away temporary folder whose name means nothing to a reader).
    from daryn_desktop.sync import transport

    share = Path("/mnt/daryn-share/Alga")
    transport.set_folders(store, share / "outbox", share / "inbox")
    window.show_section("sync")
    _save(window, "section-sync", lang, app, docs=docs)
    if docs:
        reports = window.show_section("reports")
        _save(window, "reports-overview", lang, app)
        reports.tabs.setCurrentIndex(1)
        reports.lang_combo.setCurrentIndex(reports.lang_combo.findData(lang))
        _save(window, "reports-table", lang, app)
    shoot_steps(lang, store, work, app, window, docs=docs)
    if docs:
        shoot_spreadsheets(lang, store, work, app, window)
        shoot_stage_import(lang, store, work, app, window)
    window._replacing = True  # no geometry to remember for a throw-away window
    window.close()
    window.deleteLater()
    _settle(app)


def _pupil_with_open_activities(store) -> str:
    """A Kazakh-medium pupil whose road map this year is active, with many activities."""
    from daryn_desktop.core.academic import AcademicYear

    year = AcademicYear.containing(date.today()).label
    row = store.db.execute(
        "SELECT r.pupil_id FROM road_maps r JOIN pupils p ON p.id = r.pupil_id"
        " WHERE r.academic_year = ? AND r.status = 'active' AND p.language = 'kk'"
        " AND (SELECT count(*) FROM activities a WHERE a.road_map_id = r.id"
        "      AND a.removed = 0) >= 10 ORDER BY p.sort_key LIMIT 1", [year]).fetchone()
    return row[0]


def _modal(app, opener, answer) -> None:
    """Open a modal dialog with ``opener()`` and run ``answer(dialog)`` while it is open."""
    from PySide6.QtCore import QTimer

    def look() -> None:
        dialog = app.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, look)
            return
        answer(dialog)
        dialog.reject()

    QTimer.singleShot(0, look)
    opener()


def shoot_steps(lang: str, store, work: Path, app, window, *, docs: bool) -> None:
    """The road map on a laptop screen, signing, closing the year, reopening, the backup,
    pairing and export, and the guide."""
    from PySide6.QtCore import QRect, QSize

    from daryn_desktop.core.enums import Role
    from daryn_desktop.gui.backup import BackupDialog
    from daryn_desktop.gui.editor.pupil_editor import PupilEditor
    from daryn_desktop.gui.guide import show_guide
    from daryn_desktop.gui.widgets import fit_to_screen
    from daryn_desktop.storage.database import create_store
    from daryn_desktop.storage.keyring import TEST_KDF
    from daryn_desktop.storage.roadmaps import RoadMaps
    from daryn_desktop.sync.card import card_bytes, parse_card
    from daryn_desktop.sync.identity import ensure_identity
    from daryn_desktop.sync.peers import trust_card

    # The pupil editor's road map, as it opens on a 1366×768 laptop (task bar: 40 pixels).
    editor = PupilEditor(store, _pupil_with_open_activities(store))
    fit_to_screen(editor, QSize(1320, 840), QRect(0, 0, 1366, 728))
    editor.show()
    editor.tabs.setCurrentWidget(editor.road_map_page)
    road = editor.road_map_editor
    _save(editor, "road-map-editor-1366", lang, app, docs=docs, guide="road-map")
    _modal(app, road.sign, lambda d: _save(d, "sign-dialog", lang, app, docs=docs,
                                           guide="sign"))
    _modal(app, road.close_year, lambda d: (
        d.comment.setPlainText(SAMPLE_RESULT[lang]),
        _save(d, "close-year-dialog", lang, app, docs=docs)))
    maps = RoadMaps(store)
    data = road.data
    if data.status.value == "active":
        maps.sign(data.road_map.id, signed_by="—")
        road.load()
        _modal(app, road.reopen, lambda d: (
            d.reason.setPlainText(SAMPLE_REASON[lang]),
            _save(d, "reopen-dialog", lang, app, docs=docs)))
        maps.reopen(data.road_map.id, reason="—")
    editor.baseline = editor.record.copy()
    editor.reject()

    # A backup on a USB stick.
    stick = work / "media" / "USB"
    stick.mkdir(parents=True, exist_ok=True)
    backup = BackupDialog(store, window)
    backup.folder = stick
    backup.folder_label.setText(str(stick))
    backup.back_up()
    backup.show()
    _save(backup, "backup-dialog", lang, app, docs=docs, guide="backup")
    backup.deleteLater()

    # Pairing and export, with a district paired (the key cards are its and ours).
    district_path = work / f"district-{lang}.db"
    if not district_path.exists():
        district, _code = create_store(district_path, PASSWORD, role=Role.DISTRICT,
                                       region_kato="150000000", district_kato="153200000",
                                       name=SAMPLE_DISTRICT[lang],
                                       kdf=TEST_KDF)
        ensure_identity(district)
        trust_card(store, parse_card(card_bytes(district)))
        district.close()
    page = window.show_section("sync")
    page.refresh()
    window.resize(1000, 520)
    page.tabs.setCurrentIndex(1)
    _save(page, "sync-pairing", lang, app, docs=False, guide="pairing")
    page.tabs.setCurrentIndex(2)
    _save(page, "sync-export", lang, app, docs=False, guide="export")
    page.tabs.setCurrentIndex(0)
    window.resize(1400, 820)

    guide = show_guide(window, "road-map")
    _save(guide, "guide", lang, app, docs=docs)
    guide.close()


def _shoot_events(window, store, lang: str, app) -> None:
    """The Events & achievements section: calendar, results, support, projects, staff."""
    from daryn_desktop.gui.events.event_dialogs import EventDialog
    from daryn_desktop.storage.events import Events

    section = window.show_section("events")
    _save(window, "events-calendar", lang, app)
    events = Events(store)
    rural = store.db.execute("SELECT id FROM events WHERE template = 'rural_olympiad'"
                             " ORDER BY academic_year DESC LIMIT 1").fetchone()[0]
    editor = EventDialog(store, events.event(rural), window)
    editor.resize(980, 600)
    editor.show()
    _save(editor, "events-editor", lang, app)
    editor.deleteLater()
    # The stage with the most results of the rural-school olympiad.
    stage = store.db.execute(
        "SELECT s.id FROM event_stages s JOIN participants p ON p.stage_id = s.id"
        " WHERE s.event_id = ? GROUP BY s.id ORDER BY count(*) DESC LIMIT 1", [rural]).fetchone()
    section.open_results(rural)
    if stage is not None:
        section.results.show_event(rural, stage[0])
    _save(window, "events-results", lang, app)
    support = section.support
    section.tabs.setCurrentWidget(support)
    support.measure.setCurrentIndex(support.measure.findData("scholarship"))
    _save(window, "events-support-eligible", lang, app)
    support.tabs.setCurrentIndex(1)
    support.order.setCurrentIndex(min(1, support.order.count() - 1))  # the first order
    _save(window, "events-support-register", lang, app)
    support.tabs.setCurrentIndex(0)
    section.tabs.setCurrentWidget(section.projects)
    _save(window, "events-projects", lang, app)
    section.tabs.setCurrentWidget(section.staff)
    staff = section.staff
    best = max(range(len(staff.people)), key=lambda i: (staff.people[i].trainings > 1,
                                                        staff.people[i].prize_winners))
    staff.table.selectRow(best)
    _save(window, "events-staff", lang, app)
    section.tabs.setCurrentWidget(section.calendar)


def shoot_stage_import(lang: str, store, work: Path, app, window) -> None:
    """A stage's protocol in the import wizard opened from its results grid: the stage
    chosen, and the check of every row (nothing is imported: the demo stays as it is)."""
    from openpyxl import Workbook

    from daryn_desktop.gui.imports.wizard import ImportWizard
    from daryn_desktop.storage.events import Events

    rural = store.db.execute("SELECT id FROM events WHERE template = 'rural_olympiad'"
                             " ORDER BY academic_year DESC LIMIT 1").fetchone()[0]
    stage = store.db.execute(
        "SELECT s.id FROM event_stages s JOIN participants p ON p.stage_id = s.id"
        " WHERE s.event_id = ? GROUP BY s.id ORDER BY count(*) DESC LIMIT 1", [rural]).fetchone()
    if stage is None:
        return
    rows = Events(store).results(stage[0])[:14]
    book = Workbook()
    sheet = book.active
    sheet.title = "Хаттама"
    sheet.append(["Ауыл мектептері оқушыларының олимпиадасы: кезең хаттамасы"])
    sheet.append(["№", "Оқушының аты-жөні", "ЖСН", "Мектеп", "Сынып", "Пән", "Балл", "Орны",
                  "Марапаты", "Дайындаған мұғалім"])
    for i, row in enumerate(rows):
        # Some rows as the grid holds them already, the others with the stage's new figures.
        same = row.award is not None and i % 4 == 1
        score = row.score if same else 50 - 3 * i if i < 12 else -4
        place = row.place if same else i + 1 if i < 3 else None
        award = row.award.label if same and row.award else (
            "Диплом II дәрежелі" if i == 3 else None)
        sheet.append([i + 1, row.full_name, row.iin, row.school_name,
                      f"{row.grade}{row.class_letter or ''}", row.participant.subject,
                      score, place, award, row.teacher_name])
    # Pupils the grid does not hold yet (entered by the protocol) and one nobody registered.
    newcomers = store.db.execute(
        "SELECT p.surname || ' ' || p.given_name, p.iin, s.name, p.grade FROM pupils p"
        " JOIN schools s ON s.id = p.school_id WHERE p.status = 'active' AND p.grade"
        " BETWEEN 5 AND 11 AND p.id NOT IN (SELECT pupil_id FROM participants WHERE"
        " stage_id = ?) ORDER BY p.sort_key LIMIT 3", [stage[0]]).fetchall()
    for i, (name, iin, school, grade) in enumerate(newcomers):
        sheet.append([len(rows) + i + 1, name, iin, school, grade, "Математика", 30 - i,
                      None, None, None])
    sheet.append([len(rows) + len(newcomers) + 1, "Белгісіз Бала", "", "", "8", "Физика", 12,
                  None, None, None])
    path = work / f"protocol-{lang}.xlsx"
    book.save(path)
    wizard = ImportWizard(store, window, stage_id=stage[0])
    wizard.resize(1000, 660)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    wizard.file_page.load(None)
    _save(wizard, "import-stage-file", lang, app)
    wizard.next()
    wizard.next()
    _save(wizard, "import-stage-check", lang, app)
    wizard.deleteLater()


def _class_list(path: Path, school: str, offset: int, year: str) -> Path:
    """A school's class list as it comes from a diary: titles above, a wrong IIN, a repeat."""
    from openpyxl import Workbook

    from daryn_desktop.core.iin import check_digit

    def iin(birth: str, sex: int, serial: int) -> str:
        while check_digit(f"{birth}{sex}{serial:04d}") is None:
            serial += 1
        return f"{birth}{sex}{serial:04d}{check_digit(f'{birth}{sex}{serial:04d}')}"

    people = [("Әбілқайыров Ұлықбек Ғабитұлы", "120315", 5), ("Сейітова Айгүл Бақытқызы",
              "120522", 6), ("Нұрмағамбетов Дәулет", "120109", 5), ("Өмірбекова Іңкәр",
              "120811", 6), ("Жақсылықов Мағжан", "121003", 5), ("Ысқақова Аружан", "120214",
              6), ("Қасымов Ерқанат", "120707", 5), ("Тоқтарова Гүлнұр", "121119", 6)]
    book = Workbook()
    sheet = book.active
    sheet.title = "7 А"
    sheet.append([f"{school}: 7 «А» сынып оқушыларының тізімі"])
    sheet.merge_cells("A1:G1")
    sheet.append(["2025-2026 оқу жылы"])
    sheet.append([])
    sheet.append(["№", "Аты-жөні", "ЖСН", "Туған күні", "Сынып", "Санаты",
                  "Дарындылық саласы"])
    for i, (name, birth, sex) in enumerate(people):
        birth = year + birth[2:]  # each language its own pupils: the screens show new rows
        day = f"{birth[4:6]}.{birth[2:4]}.20{birth[:2]}"
        sheet.append([i + 1, name, iin(birth, sex, offset + i + 1), day, "7 «А»",
                      ("көп балалы", "", "АӘК", "", "көп балалы, жетім", "", "", "")[i],
                      ("Математика", "Домбыра", "Шахмат", "Физика", "", "Робототехника",
                       "Биология", "Вокал")[i]])
    sheet.append([9, "Бекова Әсел", "120315500019", "15.03.2012", "7 «А»", "", ""])
    sheet.append([10, "Ғабитов Нұрислам", "120431", "31.04.2012", "7 «А»", "", ""])
    sheet.append(["Сынып жетекшісі: Сәрсенбаева Г.Қ."])
    book.save(path)
    return path


def shoot_spreadsheets(lang: str, store, work: Path, app, window) -> None:
    """The import wizard page by page, Save as Excel, the new academic year."""
    from PySide6.QtWidgets import QWizard

    from daryn_desktop.core.enums import Role
    from daryn_desktop.gui.imports.wizard import ImportWizard
    from daryn_desktop.gui.main_window import MainWindow
    from daryn_desktop.gui.rollover import RolloverDialog
    from daryn_desktop.storage.database import create_store
    from daryn_desktop.storage.imports import undo_import
    from daryn_desktop.storage.keyring import TEST_KDF

    school_id, school = store.db.execute(
        "SELECT id, name FROM schools WHERE language = 'kk' ORDER BY sort_key LIMIT 1"
    ).fetchone()
    path = _class_list(work / f"7А-{lang}.xlsx", school, {"kk": 100, "ru": 300}.get(lang, 500),
                       {"kk": "12", "ru": "11"}.get(lang, "10"))
    wizard = ImportWizard(store, window)
    wizard.resize(1000, 660)
    wizard.show()
    page = wizard.file_page
    page.school.set_value(school_id)
    page.path.setText(str(path))
    page.load(None)
    _save(wizard, "import-file", lang, app)
    wizard.next()
    _save(wizard, "import-columns", lang, app)
    wizard.next()
    _save(wizard, "import-check", lang, app)
    wizard.button(QWizard.WizardButton.CommitButton).click()
    _save(wizard, "import-done", lang, app)
    if wizard.batch is not None:
        undo_import(store, wizard.batch.id)  # the demo stays as it was for the next screens
    wizard.deleteLater()

    dialog = RolloverDialog(store, window)
    dialog.resize(900, 620)
    dialog.show()
    _save(dialog, "new-academic-year", lang, app)
    dialog.deleteLater()

    empty, _code = create_store(work / f"new-{lang}.db", PASSWORD, role=Role.DISTRICT,
                                region_kato="150000000", district_kato="153200000",
                                name="Алға", kdf=TEST_KDF)
    with empty:
        fresh = MainWindow(empty, data_dir=str(work / "home"))
        fresh.resize(1400, 560)
        fresh.show()
        _save(fresh, "registry-empty", lang, app)
        fresh._replacing = True
        fresh.close()
        fresh.deleteLater()
        _settle(app)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", choices=("kk", "ru", "en"), action="append")
    args = parser.parse_args()
    languages = args.lang or ["kk", "ru"]
    # The guide's pictures are made in every language; the README's in kk and ru.
    guide_only = [lang for lang in ("kk", "ru", "en") if lang not in languages] if not args.lang \
        else []

    work = Path(tempfile.mkdtemp(prefix="daryn-screens-"))
    os.environ["DARYN_HOME"] = str(work / "home")
    from PySide6.QtWidgets import QApplication

    from daryn_desktop.core.enums import Role
    from daryn_desktop.demo.generator import generate
    from daryn_desktop.gui.fonts import install_fonts
    from daryn_desktop.i18n import _
    from daryn_desktop.storage.database import create_store
    from daryn_desktop.storage.keyring import TEST_KDF
    from daryn_desktop.sync.identity import ensure_identity

    app = QApplication([])
    install_fonts(app)
    OUT.mkdir(parents=True, exist_ok=True)
    GUIDE.mkdir(parents=True, exist_ok=True)
    store, _code = create_store(work / "daryn-demo.db", PASSWORD, role=Role.REGION,
                                region_kato="150000000", name=_("Demo installation"),
                                kdf=TEST_KDF)
    with store:
        ensure_identity(store)
        print(f"generating {PUPILS} demo pupils…")
        generate(store, PUPILS, seed=1)
        for lang in languages:
            shoot(lang, store, work, app)
        for lang in guide_only:
            shoot(lang, store, work, app, docs=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
