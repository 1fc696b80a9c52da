"""The road-map editor and section with pytest-qt: inline editing, signing, amending, printing."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QPushButton, QTableView

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import ActivityStatus, RoadMapStatus
from daryn_desktop.core.templates import Track
from daryn_desktop.gui.roadmaps.editor import RoadMapEditor
from daryn_desktop.gui.roadmaps.models import ActivityTableModel
from daryn_desktop.gui.roadmaps.printing import paint_pdf
from daryn_desktop.gui.roadmaps.section import RoadMapsSection
from daryn_desktop.gui.roadmaps.templates_dialog import TemplatesDialog
from daryn_desktop.gui.sections import create_road_map_editor, is_ready, section
from daryn_desktop.storage.roadmaps import RoadMaps
from tests.gui.conftest import type_text
from tests.integration.reports.fixtures import activity, gifted_pupil

YEAR = AcademicYear.containing(date.today()).label
MARCH_15 = date(AcademicYear.parse(YEAR).start + 1, 3, 15)


@pytest.fixture
def pupil(store):
    return gifted_pupil(store)[1]


def _editor(qtbot, store, pupil_id):
    editor = RoadMapEditor(store, pupil_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def _cell(editor, row, column):
    return editor.activity_model.index(row, column)


def test_the_sections_registry_finds_the_editor_and_the_section(qtbot, store, pupil):
    assert is_ready(section("road_maps"))
    editor = create_road_map_editor(store, pupil.id)
    qtbot.addWidget(editor)
    assert editor.objectName() == "roadMapEditor"


def test_create_from_a_template_then_edit_inline_in_kazakh(qtbot, store, pupil):
    editor = _editor(qtbot, store, pupil.id)
    assert editor.findChild(QLabel, "roadMapEmpty").isVisible()
    editor.create(Track.OLYMPIAD, ask=False)
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
    assert editor.dirty and editor.save_button.isEnabled()
    # Dates through the model as the date editor sets them; a bad date is refused.
    assert not editor.activity_model.setData(_cell(editor, 0, ActivityTableModel.DUE),
                                             "31.02.2026")
    assert editor.activity_model.setData(_cell(editor, 0, ActivityTableModel.DUE),
                                         MARCH_15.strftime("%d.%m.%Y"))
    assert editor.save()
    stored = RoadMaps(store).load(editor.data.road_map.id).activities[0]
    assert (stored.title, stored.due_date) == ("Геометриядан жеке дайындық", MARCH_15)
    assert not editor.dirty


def test_sign_then_progress_is_free_and_the_plan_needs_an_amendment(qtbot, store, pupil,
                                                                     monkeypatch):
    RoadMaps(store).create(pupil.id, YEAR, track=Track.SPORT)
    editor = _editor(qtbot, store, pupil.id)
    editor.sign(on=date.today())
    assert editor.data.status == RoadMapStatus.SIGNED
    model = editor.activity_model
    title = _cell(editor, 0, ActivityTableModel.TITLE)
    status = _cell(editor, 0, ActivityTableModel.STATUS)
    assert not model.flags(title) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(status) & Qt.ItemFlag.ItemIsEditable
    model.setData(status, ActivityStatus.DONE.value)
    model.setData(_cell(editor, 0, ActivityTableModel.RESULT), "Аудандық жарыста І орын")
    assert editor.save()
    assert editor.data.amendments == []
    assert editor.data.activities[0].status == ActivityStatus.DONE

    amend = editor.findChild(QPushButton, "roadMapAmend")
    qtbot.mouseClick(amend, Qt.MouseButton.LeftButton)
    assert model.flags(title) & Qt.ItemFlag.ItemIsEditable
    model.setData(_cell(editor, 1, ActivityTableModel.TITLE), "Облыстық жарыс (күрес)")
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("Жарыс күні ауысты", True))
    monkeypatch.setattr("daryn_desktop.gui.roadmaps.editor.QMessageBox.information",
                        lambda *a, **k: None)
    assert editor.save()
    assert [(a.number, a.reason) for a in editor.data.amendments] == [(1, "Жарыс күні ауысты")]
    assert editor.amendment_table.rowCount() == 1
    assert "Облыстық жарыс (күрес)" in editor.amendment_table.item(0, 3).text()
    assert not editor.amending


def test_reviews_are_added_per_quarter(qtbot, store, pupil):
    maps = RoadMaps(store)
    road_map = maps.create(pupil.id, YEAR, track=Track.SPORT)
    maps.start(road_map.id)
    editor = _editor(qtbot, store, pupil.id)
    edit = editor.review_edits[2]
    edit.setFocus()
    type_text(edit, "Жақсы нәтиже көрсетті")
    editor.add_review(2)
    assert [r.text for r in maps.load(road_map.id).reviews] == ["Жақсы нәтиже көрсетті"]
    assert "Жақсы нәтиже көрсетті" in editor.review_views[2].text()


def test_print_and_save_as_pdf(qtbot, store, pupil, tmp_path):
    RoadMaps(store).create(pupil.id, YEAR, track=Track.OLYMPIAD)
    editor = _editor(qtbot, store, pupil.id)
    saved = editor.save_pdf(str(tmp_path / "map.pdf"))
    assert pupil.full_name in PdfReader(saved).pages[0].extract_text()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = paint_pdf(printer, editor.pdf_bytes())
    assert pages == len(PdfReader(saved).pages) >= 2
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000


def test_section_lists_filters_and_prints_the_filter(qtbot, store, pupil, tmp_path):
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
    page.search.setText("әбіл")
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 1, timeout=2000)
    page.search.clear()
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 2, timeout=2000)
    assert "Бүгін өтуі керек еді" in [r.title for r in page.due_model.rows]
    out = tmp_path / "batch.pdf"
    assert page.print_batch(str(out)) == str(out)
    assert len(PdfReader(out).outline) == 2
    page.school_box.setCurrentIndex(page.school_box.findData(school.id))
    listing = tmp_path / "list.pdf"
    assert page.print_school_list(str(listing)) == str(listing)
    assert "Сапаров Аян" in PdfReader(listing).pages[0].extract_text()


def test_templates_dialog_saves_and_resets(qtbot, store):
    dialog = TemplatesDialog(store)
    qtbot.addWidget(dialog)
    dialog.goals.setPlainText("Облыстық жарыста жүлде ({field})\nСпорт разряды")
    dialog.table.item(0, dialog.TITLE).setText("Жаттығу ({field})")
    assert dialog.save()
    stored = RoadMaps(store).template(dialog.track, dialog.language)
    assert not stored.is_builtin and stored.goals[1] == "Спорт разряды"
    assert stored.activities[0].title == "Жаттығу ({field})"
    dialog.reset()
    assert RoadMaps(store).template(dialog.track, dialog.language).is_builtin
