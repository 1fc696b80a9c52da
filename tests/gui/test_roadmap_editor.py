"""The road-map editor and section, driven as a person drives them: buttons, keys, dialogs."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
)

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import ActivityStatus, RoadMapStatus
from daryn_desktop.core.templates import Track
from daryn_desktop.gui.app import apply_language
from daryn_desktop.gui.editor.pupil_editor import PupilEditor
from daryn_desktop.gui.roadmaps.editor import RoadMapEditor
from daryn_desktop.gui.roadmaps.models import ActivityTableModel
from daryn_desktop.gui.roadmaps.printing import paint_pdf
from daryn_desktop.gui.roadmaps.section import RoadMapsSection
from daryn_desktop.gui.roadmaps.templates_dialog import TemplatesDialog
from daryn_desktop.gui.sections import create_road_map_editor, is_ready, section
from daryn_desktop.gui.widgets import fit_to_screen
from daryn_desktop.i18n import translator
from daryn_desktop.storage.roadmaps import RoadMaps, snapshot_signed_by
from tests.gui.conftest import activate, click, press, type_text, when_shown
from tests.integration.reports.fixtures import activity, gifted_pupil

pytestmark = pytest.mark.usefixtures("tasks_inline")

YEAR = AcademicYear.containing(date.today()).label
MARCH_15 = date(AcademicYear.parse(YEAR).start + 1, 3, 15)
#: The free area of a 1366×768 screen under a 40-pixel task bar.
LAPTOP = QRect(0, 0, 1366, 728)


@pytest.fixture
def pupil(store):
    return gifted_pupil(store)[1]


@pytest.fixture
def opened(monkeypatch):
    """Files and folders the program asked the system to open."""
    from PySide6.QtGui import QDesktopServices

    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: urls.append(url.toLocalFile()) or True))
    return urls


def _editor(qtbot, store, pupil_id):
    editor = RoadMapEditor(store, pupil_id)
    qtbot.addWidget(editor)
    editor.resize(1280, 720)
    editor.show()
    return editor


def _cell(editor, row, column):
    return editor.activity_model.index(row, column)


def _choose_template(monkeypatch, label):
    asked = []

    def get_item(_parent, _title, _label, items, current, _editable):
        asked.append((list(items), current))
        return label, True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    return asked


def test_the_sections_registry_finds_the_editor_and_the_section(qtbot, store, pupil):
    assert is_ready(section("road_maps"))
    editor = create_road_map_editor(store, pupil.id)
    qtbot.addWidget(editor)
    assert editor.objectName() == "roadMapEditor"


def test_create_from_a_template_then_edit_inline_in_kazakh(qtbot, store, pupil, monkeypatch):
    editor = _editor(qtbot, store, pupil.id)
    assert editor.findChild(QLabel, "roadMapEmpty").isVisible()
    asked = _choose_template(monkeypatch, Track.OLYMPIAD.label)
    press(editor, "roadMapCreate")
    items, current = asked[0]
    assert items[current] == Track.OLYMPIAD.label  # the pupil's giftedness suggests it
    assert editor.status_label.text() == "Draft"
    view = editor.findChild(QTableView, "roadMapActivities")
    assert editor.activity_model.rowCount() == 6
    index = _cell(editor, 0, ActivityTableModel.TITLE)
    view.setCurrentIndex(index)
    view.edit(index)
    line = view.focusWidget()
    assert isinstance(line, QLineEdit)
    line.selectAll()
    type_text(line, "Геометриядан жеке дайындық")
    QTest.keyClick(line, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn
    qtbot.waitUntil(lambda: index.data() == "Геометриядан жеке дайындық", timeout=2000)
    # A date typed in the date column's editor; a date that does not exist is refused.
    due = _cell(editor, 0, ActivityTableModel.DUE)
    for text, stored in (("31.02.2026", None), (MARCH_15.strftime("%d.%m.%Y"), MARCH_15)):
        view.setCurrentIndex(due)
        view.edit(due)
        line = view.focusWidget()
        line.setText(text)
        QTest.keyClick(line, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: view.focusWidget() is view, timeout=2000)
        assert editor.activity_model.activities[0].due_date == stored
    assert editor.dirty and editor.save_button.isEnabled()
    press(editor, "roadMapSave")
    stored = RoadMaps(store).load(editor.data.road_map.id).activities[0]
    assert (stored.title, stored.due_date) == ("Геометриядан жеке дайындық", MARCH_15)
    assert not editor.dirty


def test_cancelling_create_makes_nothing(qtbot, store, pupil, monkeypatch):
    editor = _editor(qtbot, store, pupil.id)
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("", False)))
    press(editor, "roadMapCreate")
    assert RoadMaps(store).for_pupil(pupil.id, YEAR) is None
    assert editor.findChild(QLabel, "roadMapEmpty").isVisible()


def _fill_sign_dialog(people: str | None, *, accept: bool):
    def answer(dialog):
        assert dialog.objectName() == "signDialog"
        if people is not None:
            dialog.signed_by.setPlainText(people)
        button = dialog.accept_button if accept else dialog.buttons.button(
            dialog.buttons.StandardButton.Cancel)
        click(button)

    return when_shown(answer)


def test_sign_asks_the_date_and_who_signed_and_says_what_is_frozen(qtbot, store, pupil):
    maps = RoadMaps(store)
    road_map = maps.create(pupil.id, YEAR, track=Track.SPORT)
    editor = _editor(qtbot, store, pupil.id)
    # Cancel: nothing changes.
    seen = _fill_sign_dialog(None, accept=False)
    press(editor, "roadMapSign")
    dialog = seen[0]
    frozen = dialog.findChild(QLabel, "signFrozen").text()
    goals, activities = maps.load(road_map.id).goals, maps.load(road_map.id).activities
    assert f"{len(goals)} goals:" in frozen and f"{len(activities)} activities:" in frozen
    assert activities[0].title in frozen
    # The people named in the road map and the parent are suggested.
    assert "Mentor: Сейітова Айгүл Бекқызы" in dialog.signed_by.toPlainText()
    assert "Mother: Әбілқайырова Сәуле" in dialog.signed_by.toPlainText()
    assert maps.get(road_map.id).status == RoadMapStatus.DRAFT
    # Nobody named: the dialog does not sign.
    seen = _fill_sign_dialog("", accept=False)
    press(editor, "roadMapSign")
    assert not seen[0].accept_button.isEnabled()
    # Signed, with the date (today) and who signed.
    _fill_sign_dialog("Оспанов Е. (үйлестіруші)\nӘбілқайырова С. (анасы)", accept=True)
    press(editor, "roadMapSign")
    signed = maps.get(road_map.id)
    assert (signed.status, signed.signed_date) == (RoadMapStatus.SIGNED, date.today())
    snapshot = store.repos.road_maps.signed_snapshot(road_map.id)
    assert snapshot_signed_by(snapshot) == "Оспанов Е. (үйлестіруші)\nӘбілқайырова С. (анасы)"
    details = editor.findChild(QLabel, "roadMapStatusDetails").text()
    assert "Оспанов Е. (үйлестіруші); Әбілқайырова С. (анасы)" in details


def test_after_signing_progress_is_free_and_the_plan_needs_an_amendment(qtbot, store, pupil,
                                                                        monkeypatch, answer):
    maps = RoadMaps(store)
    road_map = maps.create(pupil.id, YEAR, track=Track.SPORT)
    maps.sign(road_map.id, signed_by="Оспанов Е.")
    editor = _editor(qtbot, store, pupil.id)
    model = editor.activity_model
    title = _cell(editor, 0, ActivityTableModel.TITLE)
    status = _cell(editor, 0, ActivityTableModel.STATUS)
    assert not model.flags(title) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(status) & Qt.ItemFlag.ItemIsEditable
    # The status through its drop-down, as a person chooses it.
    view = editor.activity_table
    view.setCurrentIndex(status)
    view.edit(status)
    combo = view.focusWidget()
    combo.setCurrentIndex(combo.findData(ActivityStatus.DONE.value))
    QTest.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.activities[0].status == ActivityStatus.DONE, timeout=2000)
    press(editor, "roadMapSave")
    assert editor.data.amendments == []
    assert editor.data.activities[0].status == ActivityStatus.DONE

    press(editor, "roadMapAmend")
    assert model.flags(title) & Qt.ItemFlag.ItemIsEditable
    model.setData(_cell(editor, 1, ActivityTableModel.TITLE), "Облыстық жарыс (күрес)")
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        staticmethod(lambda *a, **k: ("Жарыс күні ауысты", True)))
    assert editor.save_button.text() == "Save amendment…"
    press(editor, "roadMapSave")
    assert [(a.number, a.reason) for a in editor.data.amendments] == [(1, "Жарыс күні ауысты")]
    assert answer.asked == ["Saved as amendment No. 1."]
    assert editor.amendment_table.rowCount() == 1
    assert "Облыстық жарыс (күрес)" in editor.amendment_table.item(0, 3).text()
    assert not editor.amending


def _close_year(comment: str | None, *, confirm: bool, accept: bool):
    def answer(dialog):
        assert dialog.objectName() == "closeYearDialog"
        if comment is not None:
            dialog.comment.setPlainText(comment)
        if confirm and dialog.confirm is not None:
            click(dialog.confirm)
        if accept:
            assert dialog.accept_button.isEnabled()
            click(dialog.accept_button)
        else:
            dialog.reject()

    return when_shown(answer)


def test_close_the_year_counts_what_is_not_done_and_asks_for_the_result(qtbot, store, pupil):
    maps = RoadMaps(store)
    road_map = maps.create(pupil.id, YEAR, track=Track.SPORT)
    maps.sign(road_map.id)
    open_count = len(maps.load(road_map.id).open_activities)
    editor = _editor(qtbot, store, pupil.id)
    button = editor.findChild(QPushButton, "roadMapClose")
    assert button.text() == "Close the year…"
    seen = _close_year("Облыстық жарыста II орын", confirm=False, accept=False)
    click(button)
    dialog = seen[0]
    assert dialog.findChild(QLabel, "closeYearOpen").text().startswith(
        f"{open_count} activities are not done")
    # With activities not done the result alone is not enough: the person confirms.
    assert not dialog.accept_button.isEnabled()
    assert maps.get(road_map.id).status == RoadMapStatus.SIGNED
    _close_year("Облыстық жарыста II орын", confirm=True, accept=True)
    click(button)
    closed = maps.get(road_map.id)
    assert (closed.status, closed.closed_date, closed.note) == (
        RoadMapStatus.CLOSED, date.today(), "Облыстық жарыста II орын")
    assert not editor.findChild(QPushButton, "roadMapClose").isVisible()
    assert "II орын" in editor.findChild(QLabel, "roadMapStatusDetails").text()


def test_a_closed_or_signed_road_map_is_reopened_with_a_reason(qtbot, store, pupil):
    maps = RoadMaps(store)
    road_map = maps.create(pupil.id, YEAR, track=Track.SPORT)
    maps.sign(road_map.id, signed_by="Оспанов Е.")
    maps.close(road_map.id, comment="Жыл аяқталды")
    editor = _editor(qtbot, store, pupil.id)
    assert not editor.add_activity_button.isEnabled()  # closed: read-only

    def give_reason(text):
        def answer(dialog):
            assert dialog.objectName() == "reopenDialog"
            assert not dialog.accept_button.isEnabled()  # no reason yet
            type_text(dialog.reason, text)
            click(dialog.accept_button)

        return when_shown(answer)

    give_reason("Жыл қате жабылды")
    press(editor, "roadMapReopen")
    assert maps.get(road_map.id).status == RoadMapStatus.SIGNED  # back to where it was
    give_reason("Жоспарды қайта келісу керек")
    press(editor, "roadMapReopen")
    reopened = maps.get(road_map.id)
    assert (reopened.status, reopened.signed_date) == (RoadMapStatus.ACTIVE, None)
    assert editor.add_activity_button.isEnabled()
    reasons = [(a.number, a.reason) for a in maps.load(road_map.id).amendments]
    assert reasons == [(1, "Жыл қате жабылды"), (2, "Жоспарды қайта келісу керек")]
    assert editor.amendment_table.rowCount() == 2
    # The signed version stays printable until it is signed anew.
    assert editor.as_signed.isVisible()


def test_reviews_are_added_per_quarter(qtbot, store, pupil):
    maps = RoadMaps(store)
    road_map = maps.create(pupil.id, YEAR, track=Track.SPORT)
    maps.start(road_map.id)
    editor = _editor(qtbot, store, pupil.id)
    editor.tabs.setCurrentIndex(2)
    edit = editor.review_edits[2]
    edit.setFocus()
    type_text(edit, "Жақсы нәтиже көрсетті")
    press(editor, "roadMapAddReview2")
    assert [r.text for r in maps.load(road_map.id).reviews] == ["Жақсы нәтиже көрсетті"]
    assert "Жақсы нәтиже көрсетті" in editor.review_views[2].text()


def test_save_as_pdf_asks_where_and_offers_to_open_it(qtbot, store, pupil, tmp_path,
                                                      monkeypatch, opened):
    RoadMaps(store).create(pupil.id, YEAR, track=Track.OLYMPIAD)
    editor = _editor(qtbot, store, pupil.id)
    suggested = []

    def save_name(_parent, _title, start, _filter):
        suggested.append(start)
        return str(tmp_path / "map.pdf"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    seen = when_shown(lambda box: click(box.findChild(QPushButton, "savedOpenFile")))
    press(editor, "roadMapSavePdf")
    assert suggested[0].endswith(f"Әбілқайыров_Ұлықбек_{YEAR}.pdf")
    assert seen[0].objectName() == "savedBox" and "map.pdf" in seen[0].text()
    assert opened == [str(tmp_path / "map.pdf")]
    saved = PdfReader(tmp_path / "map.pdf")
    assert pupil.full_name in saved.pages[0].extract_text()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = paint_pdf(printer, editor.pdf_bytes())
    assert pages == len(saved.pages) >= 2
    # Cancelled: nothing is written, nothing is said.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    press(editor, "roadMapSavePdf")
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["map.pdf", "printed.pdf"]


def _pupil_editor_on_the_road_map(qtbot, store, pupil_id, available=LAPTOP):
    editor = PupilEditor(store, pupil_id)
    qtbot.addWidget(editor)
    fit_to_screen(editor, QSize(1320, 840), available)
    editor.show()
    editor.tabs.setCurrentWidget(editor.road_map_page)
    QApplication.processEvents()
    return editor


def _fully_visible_rows(table) -> int:
    height = table.viewport().height()
    return sum(1 for row in range(table.model().rowCount())
               if table.rowViewportPosition(row) >= 0
               and table.rowViewportPosition(row) + table.rowHeight(row) <= height)


def test_the_pupil_editor_has_one_save_for_the_pupil_and_the_road_map(qtbot, store, pupil):
    maps = RoadMaps(store)
    road_map = maps.create(pupil.id, YEAR, track=Track.OLYMPIAD)
    editor = _pupil_editor_on_the_road_map(qtbot, store, pupil.id)
    road = editor.road_map_editor
    assert not road.findChild(QPushButton, "roadMapSave").isVisible()
    assert not editor.save_button.isEnabled()
    road.activity_model.setData(road.activity_model.index(0, ActivityTableModel.TITLE),
                                "Математикадан жеке сабақ")
    assert editor.save_button.isEnabled() and editor.windowTitle().startswith("* ")
    QTest.keyClick(road.activity_table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert maps.load(road_map.id).activities[0].title == "Математикадан жеке сабақ"
    assert not editor.save_button.isEnabled()


def test_eight_activities_show_at_1366_by_768(qtbot, store, pupil):
    maps = RoadMaps(store)
    road_map = maps.create(pupil.id, YEAR, track=Track.OLYMPIAD)
    long_title = ("Республикалық олимпиаданың облыстық кезеңіне дайындық: апта сайын екі рет"
                  " жеке сабақ және өткен жылдардың есептерін шешу")
    maps.save(road_map.id, activities=[
        activity(road_map.id, f"{n}. {long_title}", due_quarter=n % 4 + 1) for n in range(12)])
    editor = _pupil_editor_on_the_road_map(qtbot, store, pupil.id)
    assert editor.height() <= LAPTOP.height()
    assert _fully_visible_rows(editor.road_map_editor.activity_table) >= 8


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_headers_and_statuses_are_never_cut_at_1280_by_720(qtbot, store, pupil, qapp, lang):
    from daryn_desktop.gui.main_window import MainWindow

    apply_language(qapp, lang)
    try:
        maps = RoadMaps(store)
        road_map = maps.create(pupil.id, YEAR, track=Track.OLYMPIAD)
        editor = _pupil_editor_on_the_road_map(qtbot, store, pupil.id, QRect(0, 0, 1280, 720))
        table = editor.road_map_editor.activity_table
        _check_headers(table.horizontalHeader())
        status = table.horizontalHeader().sectionSize(ActivityTableModel.STATUS)
        widest = max(table.fontMetrics().horizontalAdvance(s.label) for s in ActivityStatus)
        assert widest + 8 <= status
        window = MainWindow(store)
        qtbot.addWidget(window)
        window.resize(1280, 720)
        window.show()
        _check_headers(window.page("pupils").table.horizontalHeader())
        templates = TemplatesDialog(store)
        qtbot.addWidget(templates)
        templates.show()
        _check_headers(templates.table.horizontalHeader())
        for column in (templates.MEASURE, templates.START, templates.DUE, templates.WHO):
            combo = templates.table.cellWidget(0, column)
            assert combo.sizeHint().width() <= templates.table.columnWidth(column)
        assert maps.get(road_map.id) is not None
    finally:
        apply_language(qapp, "en")


def _check_headers(header: QHeaderView) -> None:
    for column in range(header.count()):
        if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
            continue
        label = header.model().headerData(column, Qt.Orientation.Horizontal)
        needed = header.sectionSizeFromContents(column).width()
        assert header.sectionSize(column) >= needed, label


def test_kazakh_labels_of_the_lifecycle(qtbot, store, pupil, qapp):
    apply_language(qapp, "kk")
    try:
        maps = RoadMaps(store)
        maps.create(pupil.id, YEAR, track=Track.SPORT)
        editor = _editor(qtbot, store, pupil.id)
        kk = translator("kk")
        assert editor.findChild(QPushButton, "roadMapClose").text() == (
            "Жыл қорытындысы: жол картасын жабу…")
        assert editor.findChild(QPushButton, "roadMapSign").text() == kk.gettext("Sign…")
    finally:
        apply_language(qapp, "en")


def test_section_lists_filters_and_prints_the_filter(qtbot, store, pupil, tmp_path, monkeypatch,
                                                     answer):
    maps = RoadMaps(store)
    road_map = maps.create(pupil.id, YEAR, track=Track.OLYMPIAD)
    maps.save(road_map.id, activities=[
        activity(road_map.id, "Бүгін өтуі керек еді", due_date=date.today().replace(day=1),
                 due_quarter=None)])
    school, other = gifted_pupil(store, surname="Сапаров", given="Аян", serial=2,
                                 school=store.repos.schools.all()[0])
    maps.sign(maps.create(other.id, YEAR, track=Track.SPORT).id)
    page = RoadMapsSection(store)
    qtbot.addWidget(page)
    page.show()
    assert page.list_model.rowCount() == 2
    assert page.findChild(QLabel, "roadMapsCount").text() == "2 road maps"
    page.status_box.setCurrentIndex(page.status_box.findData("signed"))
    assert [r.pupil_name for r in page.list_model.rows] == [other.full_name]
    page.status_box.setCurrentIndex(0)
    page.search.setFocus()
    type_text(page.search, "әбіл")
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 1, timeout=2000)
    page.search.clear()
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 2, timeout=2000)
    assert "Бүгін өтуі керек еді" in [r.title for r in page.due_model.rows]
    names = iter([tmp_path / "batch.pdf", tmp_path / "list.pdf"])
    suggested = []

    def save_name(_parent, _title, start, _filter):
        suggested.append(start)
        return str(next(names)), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    when_shown(lambda box: click(box.findChild(QPushButton, "savedClose")))
    press(page, "roadMapsPrint")
    assert len(PdfReader(tmp_path / "batch.pdf").outline) == 2
    page.school_box.setCurrentIndex(page.school_box.findData(school.id))
    when_shown(lambda box: click(box.findChild(QPushButton, "savedClose")))
    press(page, "roadMapsPupilList")
    assert "Сапаров Аян" in PdfReader(tmp_path / "list.pdf").pages[0].extract_text()
    assert [s.rsplit("/", 1)[-1] for s in suggested] == ["road_maps.pdf", "gifted_pupils.pdf"]


def test_the_list_opens_a_road_map_in_a_window_with_one_save(qtbot, store, pupil):
    maps = RoadMaps(store)
    road_map = maps.create(pupil.id, YEAR, track=Track.OLYMPIAD)
    page = RoadMapsSection(store)
    qtbot.addWidget(page)
    page.show()

    def work_in_it(dialog):
        assert dialog.objectName() == "roadMapDialog"
        assert dialog.windowTitle() == f"Road map — {pupil.full_name}"
        saves = [b for b in dialog.findChildren(QPushButton)
                 if b.isVisible() and b.objectName() == "roadMapSave"]
        assert len(saves) == 1
        editor = dialog.editor
        editor.activity_model.setData(editor.activity_model.index(0, 1), "Жаңа атау")
        activate(qtbot, dialog)
        QTest.keyClick(editor.activity_table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        dialog.reject()

    view = page.list_view
    rect = view.visualRect(page.list_model.index(0, 0))
    when_shown(work_in_it)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert maps.load(road_map.id).activities[0].title == "Жаңа атау"


def test_templates_show_a_word_for_the_subject_and_save_and_reset(qtbot, store, monkeypatch,
                                                                  answer):
    page = RoadMapsSection(store)
    qtbot.addWidget(page)
    page.show()
    answer(QMessageBox.StandardButton.Yes)

    def edit_the_template(dialog):
        assert dialog.objectName() == "roadMapTemplates"
        goals = dialog.goals.toPlainText()
        assert "{field}" not in goals and "[subject]" in goals
        dialog.goals.setPlainText("Облыстық жарыста жүлде ([subject])\nСпорт разряды")
        dialog.table.item(0, dialog.TITLE).setText("Жаттығу ([subject])")
        press(dialog, "templateSave")
        stored = RoadMaps(store).template(dialog.track, dialog.language)
        assert not stored.is_builtin and stored.goals == ["Облыстық жарыста жүлде ({field})",
                                                          "Спорт разряды"]
        assert stored.activities[0].title == "Жаттығу ({field})"
        press(dialog, "templateReset")
        assert RoadMaps(store).template(dialog.track, dialog.language).is_builtin
        dialog.reject()

    when_shown(edit_the_template)
    press(page, "roadMapsTemplates")


def test_a_new_year_without_a_road_map_can_continue_last_years(qtbot, store, pupil):
    maps = RoadMaps(store)
    last = AcademicYear.parse(YEAR).previous().label
    old = maps.create(pupil.id, last, track=Track.OLYMPIAD)
    maps.sign(old.id)
    editor = _editor(qtbot, store, pupil.id)
    press(editor, "roadMapContinue")
    made = maps.for_pupil(pupil.id, YEAR)
    assert made is not None and maps.load(made.id).activities
    assert editor.status_label.text() == "Draft"


def test_the_list_shows_a_road_map_written_elsewhere_without_refresh(qtbot, store, pupil):
    page = RoadMapsSection(store)
    qtbot.addWidget(page)
    page.show()
    assert page.list_model.rowCount() == 0
    # As the pupil editor's road-map tab or a sync would: through the store.
    RoadMaps(store).create(pupil.id, YEAR, track=Track.OLYMPIAD)
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 1, timeout=3000)
    assert page.findChild(QLabel, "roadMapsCount").text() == "1 road map"
