"""Everything fits a 1366×768 laptop screen (the coordinators' old laptops), in every language
and role: the main window in each section, the pupil editor and the road-map editor."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QWidget

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import Role
from daryn_desktop.gui.app import apply_language
from daryn_desktop.gui.editor.pupil_editor import PupilEditor
from daryn_desktop.gui.labels import ElidedLabel
from daryn_desktop.gui.main_window import MainWindow
from daryn_desktop.gui.roadmaps.section import RoadMapDialog
from daryn_desktop.gui.widgets import WINDOW_FRAME
from tests.helpers import ALGA, add_pupil, add_school

pytestmark = pytest.mark.usefixtures("tasks_inline")

#: The main window's largest minimum size: a 1366×768 screen less the window's frame, the
#: title bar and a task bar, with some room to spare.
LARGEST = QSize(1280, 720)
#: A 1366×768 screen's free area under a 40-pixel task bar.
LAPTOP = QRect(0, 0, 1366, 728)
#: School names as long as real ones: they fill the schools' filters.
LONG_SCHOOL = "Абай атындағы №12 жалпы білім беретін мектеп-гимназиясы"
LANGUAGES = ("kk", "ru", "en")


@pytest.fixture
def language(qapp, request):
    """Our texts and Qt's own in the language of the test; English again afterwards."""
    apply_language(qapp, request.param)
    yield request.param
    apply_language(qapp, "en")


def _filled(make_store, role: Role, school: str = "Абай атындағы орта мектеп"):
    store = make_store(role=role)
    pupil = add_pupil(store, add_school(store, name=school), "Жұмабайұлы", "Әліһан",
                      patronymic="Ғабитұлы", serial=1)
    return store, pupil


def _cut_off(window: QWidget, page: QWidget, room: QRect) -> list[str]:
    """The buttons, pickers and labels of ``page`` that are squeezed or lie outside ``room``
    (in the window's coordinates), and so are not shown whole."""
    bad = []
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, QAbstractButton | QComboBox | QLabel) or \
                not widget.isVisible() or isinstance(widget, ElidedLabel):
            continue
        where = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        name = widget.objectName() or getattr(widget, "text", widget.objectName)()
        if not room.contains(where):
            bad.append(f"{name!r} outside the window at {where}")
        elif widget.width() < widget.minimumSizeHint().width():
            bad.append(f"{name!r} squeezed to {widget.width()} pixels")
    return bad


def _laptop_window(qtbot, store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.refresh_status()
    assert window.pending_label.text()  # the status bar's message is there, maybe elided
    return window


def _show_at_largest(qtbot, window: MainWindow, key: str) -> QWidget:
    """Show the section, check the window's minimum size, and make the window that large."""
    page = window.show_section(key)
    hint = window.minimumSizeHint()
    assert hint.width() <= LARGEST.width(), (key, hint)
    assert hint.height() <= LARGEST.height(), (key, hint)
    window.resize(LARGEST)
    qtbot.waitUntil(lambda: window.size() == LARGEST, timeout=1000)
    return page


def _page_room(window: MainWindow) -> QRect:
    viewport = window.area.viewport()
    return QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size())


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
@pytest.mark.parametrize("role", [Role.DISTRICT, Role.REGION], ids=["district", "region"])
def test_every_section_fits_a_laptop_screen(qtbot, make_store, role, language):
    store, _pupil = _filled(make_store, role)
    window = _laptop_window(qtbot, store)
    for key in window.section_keys():
        page = _show_at_largest(qtbot, window, key)
        # Whole: nothing scrolls, nothing is cut off or squeezed.
        assert not window.area.needs_scrolling(), (key, page.minimumSizeHint())
        for bar in (window.area.horizontalScrollBar(), window.area.verticalScrollBar()):
            assert not bar.isVisible(), key
        assert not _cut_off(window, page, _page_room(window)), key
        # So too at the window's smallest.
        window.resize(window.minimumSizeHint())
        qtbot.wait(10)
        smallest = window.size()
        assert smallest.width() <= LARGEST.width() and smallest.height() <= LARGEST.height()
        for bar in (window.area.horizontalScrollBar(), window.area.verticalScrollBar()):
            assert not bar.isVisible(), (key, smallest)
        assert not _cut_off(window, page, _page_room(window)), (key, smallest)


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_long_school_names_do_not_widen_the_window(qtbot, make_store, language):
    store, _pupil = _filled(make_store, Role.REGION, LONG_SCHOOL)
    window = _laptop_window(qtbot, store)
    for key in ("pupils", "road_maps"):  # their school filters
        page = _show_at_largest(qtbot, window, key)
        assert not window.area.needs_scrolling(), (key, page.minimumSizeHint())
        assert not _cut_off(window, page, _page_room(window)), key
        # As narrow as the window goes: the rows of filters and buttons wrap, whole.
        narrow = QSize(window.minimumSizeHint().width(), LARGEST.height())
        window.resize(narrow)
        qtbot.waitUntil(lambda n=narrow: window.size() == n, timeout=1000)
        assert not window.area.horizontalScrollBar().isVisible(), key
        assert not _cut_off(window, page, _page_room(window)), key


#: Real schools' names in the region, 55 characters and more.
LONG_KAZAKH_SCHOOLS = (
    "Мұхтар Әуезов атындағы №5 жалпы орта білім беретін мектеп-лицейі",
    "Ғабит Мүсірепов атындағы дарынды балаларға арналған облыстық мектеп-интернаты",
    "Қаныш Сәтбаев атындағы №17 жалпы білім беретін мектеп-гимназиясы КММ")


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_the_reports_pickers_stay_narrow_with_long_school_names(qtbot, make_store, language):
    store, _pupil = _filled(make_store, Role.REGION, LONG_SCHOOL)
    for name in LONG_KAZAKH_SCHOOLS:
        add_school(store, name=name)
    assert min(len(name) for name in LONG_KAZAKH_SCHOOLS) >= 55
    window = _laptop_window(qtbot, store)
    section = _show_at_largest(qtbot, window, "reports")
    bar = section.tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert section.tabs.currentIndex() == 1
    # The district whose schools have the long names, and the longest of them.
    district = window.findChild(QComboBox, "reportDistrict")
    district.setCurrentIndex(district.findData(ALGA))
    school = window.findChild(QComboBox, "reportSchool")
    texts = [school.itemText(i) for i in range(school.count())]
    longest = max(texts, key=len)
    school.setCurrentIndex(texts.index(longest))
    assert school.toolTip() == longest  # the whole name, when the box shows part of it
    hint = window.minimumSizeHint()
    assert hint.width() <= LARGEST.width(), hint
    window.resize(LARGEST)
    qtbot.wait(10)
    assert not window.area.needs_scrolling(), section.minimumSizeHint()
    assert not window.area.horizontalScrollBar().isVisible()
    assert not _cut_off(window, section, _page_room(window))
    # No picker asks for the width of its longest entry; its list shows the entries whole.
    for name in ("reportTable", "reportDistrict", "reportSchool", "reportYear",
                 "reportLanguage"):
        combo = window.findChild(QComboBox, name)
        widest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i))
                     for i in range(combo.count()))
        if name == "reportSchool":
            assert combo.sizeHint().width() < widest, (combo.sizeHint(), widest)
        QTest.mouseClick(combo, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda c=combo: c.view().isVisible(), timeout=1000)
        assert combo.view().width() >= widest, (name, combo.view().width(), widest)
        combo.hidePopup()
    # As narrow as the window goes: still whole, no sideways scrolling.
    narrow = QSize(window.minimumSizeHint().width(), LARGEST.height())
    window.resize(narrow)
    qtbot.waitUntil(lambda: window.size() == narrow, timeout=1000)
    assert not window.area.horizontalScrollBar().isVisible()
    assert not _cut_off(window, section, _page_room(window))


@pytest.mark.parametrize("language", ["kk", "ru"], indirect=True)
def test_the_registry_school_filter_stays_narrow_and_its_list_shows_names_whole(
        qtbot, make_store, language):
    """The school filter is as wide as a few words (measuring a thousand names for its width
    slowed the registry's first screen); its list opens as wide as the longest name, and
    its tooltip has the whole name of the school chosen."""
    store, _pupil = _filled(make_store, Role.REGION, LONG_SCHOOL)
    for name in LONG_KAZAKH_SCHOOLS:
        add_school(store, name=name)
    window = _laptop_window(qtbot, store)
    _show_at_largest(qtbot, window, "pupils")
    school = window.findChild(QComboBox, "filterSchool")
    texts = [school.itemText(i) for i in range(school.count())]
    longest = max(texts, key=len)
    widest = school.fontMetrics().horizontalAdvance(longest)
    assert school.sizeHint().width() < widest, (school.sizeHint(), widest)
    QTest.keyClick(school, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: school.view().isVisible(), timeout=1000)
    assert school.view().width() >= widest, (school.view().width(), widest)
    QTest.keyClick(school.view(), Qt.Key.Key_Escape)
    school.setCurrentIndex(texts.index(longest))
    assert longest in school.toolTip()
    school.setCurrentIndex(0)  # "All schools": the tooltip names the filter only
    assert "\n" not in school.toolTip()


@pytest.mark.parametrize("language", ["kk", "ru"], indirect=True)
def test_a_long_status_message_is_elided_with_the_full_text_in_its_tooltip(
        qtbot, make_store, language):
    store, _pupil = _filled(make_store, Role.REGION)
    window = _laptop_window(qtbot, store)
    label = window.pending_label
    full = label.text()
    assert "→" in full  # no district is paired yet (Sync → Pairing)
    # The message does not widen the window: the status bar asks for less than its width.
    needed = label.fontMetrics().horizontalAdvance(full)
    assert window.statusBar().minimumSizeHint().width() < needed
    label.resize(needed // 2, label.height())
    assert label.is_elided()
    shown = label.elided_text()
    assert shown.endswith("…") and full.startswith(shown[:-1])
    assert full in label.toolTip().split("\n")
    label.resize(needed + 20, label.height())
    assert not label.is_elided() and label.elided_text() == full
    assert full not in label.toolTip().split("\n")


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_the_pupil_editor_and_the_road_map_editor_fit_a_laptop_screen(qtbot, make_store,
                                                                      language):
    store, pupil = _filled(make_store, Role.DISTRICT)
    editor = PupilEditor(store, pupil.id)
    qtbot.addWidget(editor)
    editor.show()
    room = LAPTOP.size() - WINDOW_FRAME
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        hint = editor.minimumSizeHint()
        assert hint.width() <= room.width() and hint.height() <= room.height(), (
            editor.tabs.tabText(index), hint)
    editor.baseline = editor.record.copy()
    editor.reject()
    # The road map's own window, as the Road maps section opens it.
    dialog = RoadMapDialog(store, pupil.id, AcademicYear.containing(date.today()).label)
    qtbot.addWidget(dialog)
    dialog.show()
    hint = dialog.minimumSizeHint()
    assert hint.width() <= room.width() and hint.height() <= room.height(), hint
    dialog.resize(room)
    qtbot.waitUntil(lambda: dialog.size() == room, timeout=1000)
    assert not _cut_off(dialog, dialog.editor, dialog.rect())
