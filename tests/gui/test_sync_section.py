"""The Sync section: pairing, export to a folder, import with per-file results, conflicts."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QTableWidget

from daryn_desktop.core.enums import Role
from daryn_desktop.gui import tasks
from daryn_desktop.sync.identity import ensure_identity
from tests.gui.conftest import click, press, when_shown
from tests.helpers import add_pupil, add_school

SHOTS = os.environ.get("DARYN_SCREENSHOTS")


@pytest.fixture(autouse=True)
def _synchronous_tasks():
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def two(make_store):
    region = make_store("region.db", role=Role.REGION)
    district = make_store("district.db")
    ensure_identity(region)
    ensure_identity(district)
    return region, district


def _shot(widget, name):
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


def _choose(monkeypatch, **answers):
    """Answer the file dialogs: ``open=[paths]`` (one per question), ``folder=[paths]``,
    ``save=[paths]``."""
    from PySide6.QtWidgets import QFileDialog

    queues = {kind: list(paths) for kind, paths in answers.items()}
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(
        lambda *a, **k: (str(queues["open"].pop(0)), "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(
        lambda *a, **k: ([str(p) for p in queues["open"].pop(0)], "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(
        lambda *a, **k: str(queues["folder"].pop(0))))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda *a, **k: (str(queues["save"].pop(0)), "")))


def _close_saved_box():
    from PySide6.QtWidgets import QPushButton

    return when_shown(lambda box: click(box.findChild(QPushButton, "savedClose")), "savedBox")


def _pair(qtbot, section, card_path, monkeypatch, answer):
    """Import a key card from the Pairing tab and confirm the fingerprints."""
    def compare(dialog):
        assert dialog.objectName() == "compareFingerprints"
        click(dialog.accept_button)

    _choose(monkeypatch, open=[card_path])
    when_shown(compare)
    section.tabs.setCurrentIndex(1)
    press(section, "importCardButton")
    return answer.asked[-1]


def test_pairing_export_import_and_a_conflict_through_the_screens(two, qtbot, tmp_path,
                                                                 monkeypatch, answer):
    from daryn_desktop.gui.sync.section import CHOOSE_FOLDER, SyncSection

    region, district = two
    at_district, at_region = SyncSection(district), SyncSection(region)
    for widget in (at_district, at_region):
        qtbot.addWidget(widget)
        widget.resize(900, 600)
        widget.show()
    # Before pairing, the overview says where to start.
    assert not at_region.findChild(QLabel, "syncNoPeers").isHidden()
    # Each side saves its card on the stick and imports the other's.
    stick = tmp_path / "stick"
    stick.mkdir()
    cards = {}
    for name, widget in (("region", at_region), ("district", at_district)):
        folder = tmp_path / f"card-{name}"
        folder.mkdir()
        _choose(monkeypatch, folder=[folder])
        _close_saved_box()
        widget.tabs.setCurrentIndex(1)
        press(widget, "saveCardButton")
        (cards[name],) = folder.glob("*.dkc")
    said = _pair(qtbot, at_district, cards["region"], monkeypatch, answer)
    assert said == ("Paired with “Тест”. It is now listed under “Export to a stick”.")
    # The export tab lists the region at once, without leaving the section; the overview
    # names its role in words.
    assert at_district.findChild(QLabel, "syncNoPeers").isHidden()
    peers_table = at_district.findChild(QTableWidget, "syncPeers")
    assert peers_table.item(0, 1).text() == "Regional centre"
    assert at_district.recipient_combo.count() == 1
    assert at_district.recipient_combo.currentData() == region.site_id
    _pair(qtbot, at_region, cards["district"], monkeypatch, answer)
    school = add_school(district, "Қарабұлақ мектебі")
    pupil = add_pupil(district, school, "Әбілқайыров", "Ұлықбек")
    at_district.refresh()
    assert "2 changes" in at_district.plan_label.text()
    at_district.tabs.setCurrentIndex(2)
    _shot(at_district, "sync-export")
    combo = at_district.destination_combo
    combo.setCurrentIndex(combo.findData(CHOOSE_FOLDER))

    def export(widget):
        _choose(monkeypatch, folder=[stick])
        widget.tabs.setCurrentIndex(2)
        assert widget.destination_combo.currentData() == CHOOSE_FOLDER
        before = set(stick.glob("*.dsb"))
        press(widget, "syncExportButton")
        (made,) = set(stick.glob("*.dsb")) - before
        return made

    made = export(at_district)
    assert "Safe to remove" in at_district.export_result.text()
    # The region imports it twice (the second time changes nothing).
    _choose(monkeypatch, open=[[made, made]])
    at_region.tabs.setCurrentIndex(3)
    press(at_region, "syncImportButton")
    assert [at_region.results_table.item(r, 1).text() for r in range(2)] == [
        "imported", "already imported"]
    _shot(at_region, "sync-import")
    # The region's answer tells the district what it holds.
    at_region.destination_combo.setCurrentIndex(
        at_region.destination_combo.findData(CHOOSE_FOLDER))
    back = export(at_region)
    _choose(monkeypatch, open=[[back]])
    at_district.tabs.setCurrentIndex(3)
    press(at_district, "syncImportButton")
    assert at_district.findChild(QLabel, "syncConfirmed").text() == (
        "“Тест” confirmed it holds 2 more of your changes.")
    # A concurrent edit on both sides becomes a conflict a person settles on the screen.
    region.repos.pupils.update(pupil.id, phone="+7 705")
    district.repos.pupils.update(pupil.id, phone="+7 702")
    _choose(monkeypatch, open=[[export(at_district)]])
    at_region.tabs.setCurrentIndex(3)
    press(at_region, "syncImportButton")
    assert at_region.conflicts_table.rowCount() == 1
    # The field as the editor names it, not the database column.
    assert at_region.conflicts_table.item(0, 1).text() == "Phone"
    at_region.tabs.setCurrentIndex(4)
    at_region.conflicts_table.selectRow(0)
    assert at_region.candidates.count() == 2
    _shot(at_region, "sync-conflicts")
    at_region.candidates.setCurrentRow(1)
    press(at_region, "syncKeepValue")
    assert at_region.conflicts_table.rowCount() == 0
    assert region.repos.pupils.get(pupil.id).phone == "+7 702"


def test_revoking_and_new_keys_ask_first_and_say_what_happens(two, qtbot, monkeypatch, answer):
    from PySide6.QtWidgets import QMessageBox

    from daryn_desktop.gui.sync.section import SyncSection
    from daryn_desktop.sync import peers
    from daryn_desktop.sync.card import card_bytes, parse_card
    from daryn_desktop.sync.identity import signing_key

    region, district = two
    peers.trust_card(region, parse_card(card_bytes(district)))
    widget = SyncSection(region)
    qtbot.addWidget(widget)
    widget.show()
    widget.tabs.setCurrentIndex(5)
    asked = answer(QMessageBox.StandardButton.No)
    press(widget, "syncRevoke")
    assert "cannot be undone" in asked[-1]
    assert not peers.get_peer(region, district.site_id).revoked
    key = signing_key(region).key_id
    press(widget, "syncRotateKeys")
    assert signing_key(region).key_id == key
    answer(QMessageBox.StandardButton.Yes)
    press(widget, "syncRevoke")
    assert peers.get_peer(region, district.site_id).revoked
    press(widget, "syncRotateKeys")
    assert signing_key(region).key_id != key


def test_a_key_backup_is_written_and_tested_from_the_keys_tab(two, qtbot, tmp_path, monkeypatch):
    from daryn_desktop.gui.sync.section import SyncSection

    _region, district = two
    widget = SyncSection(district)
    qtbot.addWidget(widget)
    widget.show()
    widget.tabs.setCurrentIndex(5)
    target = tmp_path / "keys.dkb"

    def passphrase(twice):
        def answer(dialog):
            dialog.first.setText("ұзын құпия сөз тіркесі")
            if twice:
                dialog.second.setText("ұзын құпия сөз тіркесі")
            click(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))

        return when_shown(answer, "passphraseDialog")

    _choose(monkeypatch, save=[target], open=[target])
    passphrase(True)
    _close_saved_box()  # shown after the passphrase dialog closed
    press(widget, "syncBackupKeys")
    assert target.exists()
    passphrase(False)
    press(widget, "syncCheckBackup")
    assert widget.keys_message.text().startswith("The backup opens:")


def test_a_refused_file_shows_its_reason(two, qtbot, tmp_path, monkeypatch):
    from daryn_desktop.gui.sync.section import SyncSection

    _region, district = two
    widget = SyncSection(district)
    qtbot.addWidget(widget)
    widget.show()
    junk = tmp_path / "junk.dsb"
    junk.write_bytes(b"not a bundle at all")
    _choose(monkeypatch, open=[[junk]])
    widget.tabs.setCurrentIndex(3)
    press(widget, "syncImportButton")
    assert widget.results_table.item(0, 1).text() == "refused"
    assert "not a Daryn sync bundle" in widget.results_table.item(0, 2).text()
    _shot(widget, "sync-refused")


# -- what will go: worked out on a worker thread ----------------------------------------------
WAIT_MS = 10000


@pytest.fixture
def background(monkeypatch):
    """Background work really runs on its worker thread; each plan's thread is recorded."""
    import threading

    from daryn_desktop.sync import export

    tasks.set_synchronous(False)
    calls = []
    original = export.plan_export

    def recording(store, peer, **kwargs):
        calls.append(threading.current_thread())
        return original(store, peer, **kwargs)

    monkeypatch.setattr(export, "plan_export", recording)
    return calls


def test_what_will_go_is_worked_out_off_the_ui_thread(two, qtbot, background):
    import threading

    from daryn_desktop.gui.sync.section import SyncSection
    from daryn_desktop.sync.card import card_bytes, parse_card
    from daryn_desktop.sync.peers import trust_card

    region, district = two
    trust_card(district, parse_card(card_bytes(region)))
    school = add_school(district, "Қарабұлақ мектебі")
    add_pupil(district, school, "Әбілқайыров", "Ұлықбек")
    widget = SyncSection(district)
    qtbot.addWidget(widget)
    assert widget.plan_label.text() == "Working out what will go…"
    assert widget.export_button.isEnabled()  # export does not wait for the plan
    qtbot.waitUntil(lambda: "2 changes" in widget.plan_label.text(), timeout=WAIT_MS)
    assert background and threading.main_thread() not in background


def test_choosing_another_district_meanwhile_shows_only_that_districts_plan(
        make_store, qtbot, background, monkeypatch):
    import threading

    from daryn_desktop.core import entities as e
    from daryn_desktop.gui.sync.section import SyncSection
    from daryn_desktop.sync import export
    from tests.integration.sync.conftest import make_world

    region, _districts = make_world(make_store, 2)
    # Mugalzhar gets two schools, Alga three: the two plans differ.
    for name in ("Қандыағаш №1 мектебі", "Қандыағаш №2 мектебі"):
        region.repos.schools.add(e.School(name=name, settlement_kato="154820100",
                                          district_kato="154800000"))
    for number in (1, 2, 3):
        add_school(region, f"Алға №{number} мектебі")
    started, release = threading.Event(), threading.Event()
    recording = export.plan_export

    def first_waits(store, peer, **kwargs):
        if not started.is_set():
            started.set()
            release.wait(WAIT_MS / 1000)
        return recording(store, peer, **kwargs)

    monkeypatch.setattr(export, "plan_export", first_waits)
    widget = SyncSection(region)
    qtbot.addWidget(widget)
    assert started.wait(WAIT_MS / 1000)
    widget.recipient_combo.setCurrentIndex(1)  # while the first district's plan is under way
    second = export.recipients_for_export(region, widget.recipient_combo.currentData())[0]
    expected = recording(region, second).changes
    first = export.recipients_for_export(region, widget.recipient_combo.itemData(0))[0]
    assert recording(region, first).changes != expected
    shown = []
    original_set_text = widget.plan_label.setText
    widget.plan_label.setText = lambda text: (shown.append(text), original_set_text(text))
    release.set()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    qtbot.wait(200)  # time for the superseded plan to arrive, were it delivered
    assert shown == [f"{expected} changes not yet acknowledged — schools: {expected}"]


def test_a_plan_that_fails_says_so_in_its_line(two, qtbot, background, monkeypatch):
    from daryn_desktop.gui.sync.section import SyncSection
    from daryn_desktop.paths import app_paths
    from daryn_desktop.sync import export
    from daryn_desktop.sync.card import card_bytes, parse_card
    from daryn_desktop.sync.peers import trust_card

    region, district = two
    trust_card(district, parse_card(card_bytes(region)))

    def revoked(store, peer, **kwargs):
        raise export.PeerRevoked(name=peer.name)

    monkeypatch.setattr(export, "plan_export", revoked)
    widget = SyncSection(district)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: "revoked" in widget.plan_label.text(), timeout=WAIT_MS)

    def bug(store, peer, **kwargs):
        raise KeyError("tbl")

    monkeypatch.setattr(export, "plan_export", bug)
    widget.refresh()
    qtbot.waitUntil(lambda: "could not be worked out" in widget.plan_label.text(),
                    timeout=WAIT_MS)
    logs = list(app_paths().logs.glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in widget.plan_label.text()
    assert "KeyError" in logs[0].read_text(encoding="utf-8")
