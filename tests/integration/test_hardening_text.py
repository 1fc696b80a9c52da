"""Names are kept in one Unicode form and without characters that act on a terminal or hide:
typed, or arriving in a bundle from a program that let them in."""

from __future__ import annotations

from datetime import date

import pytest

from daryn_desktop.core import entities as e
from daryn_desktop.core.text import clean_text, has_unsafe_characters, printable
from daryn_desktop.core.validation import validate_pupil
from daryn_desktop.storage import writer as writer_module
from daryn_desktop.sync.export import export_bundle, recipients_for_export
from daryn_desktop.sync.importer import IMPORTED, import_bundle
from tests.helpers import add_pupil, add_school, make_iin
from tests.integration.sync.conftest import make_world

HOSTILE = ["\x1b[31m", "\x07", "\r", "\x00", "\u202e", "\u200b", "\u2066", "\ufeff", "\x85",
           "\ud800"]


@pytest.mark.parametrize("bad", HOSTILE)
def test_control_and_invisible_characters_are_removed_from_a_name(bad):
    cleaned = clean_text(f"Әбіл{bad}қайыров")
    assert cleaned in ("Әбілқайыров", "Әбіл[31mқайыров", "Әбіл қайыров")
    assert not has_unsafe_characters(cleaned)
    cleaned.encode("utf-8")  # storable: no lone surrogate left


def test_names_are_normalised_to_the_composed_form():
    decomposed = "Аи\u0306гері\u0308м"  # й and ї typed as a letter and a combining mark
    assert clean_text(decomposed) == "Айгерїм"
    assert clean_text("бір\r\nекі", multiline=True) == "бір\nекі"
    assert clean_text("бір\nекі\tүш") == "бір екі үш"  # a name is one line


def test_printable_shows_escapes_instead_of_acting_on_the_terminal():
    assert printable("А\x1b[2J\u202eБ\n") == "А\\u001b[2J\\u202eБ\n"


def test_the_validator_judges_a_name_as_it_will_be_kept():
    pupil = e.Pupil(surname="\u200b\u200b", given_name="Ұлықбек\x07", iin=make_iin(),
                    school_id="s", grade=7, birth_date=date(2012, 3, 15))
    fields = {f.field: f for f in validate_pupil(pupil, today=date(2025, 9, 1))}
    assert fields["surname"].message == "This field is required."
    assert "given_name" not in fields


def test_typed_names_are_stored_clean_and_a_lone_surrogate_does_not_lose_the_record(store):
    school = add_school(store, "Абай\u202e мектебі")
    pupil = add_pupil(store, school, "Әбіл\x1bқайыров\u200b", "Ұлық\ud800бек")
    kept = store.repos.pupils.get(pupil.id)
    assert (kept.surname, kept.given_name) == ("Әбілқайыров", "Ұлықбек")
    assert store.repos.schools.get(school.id).name == "Абай мектебі"
    store.repos.pupils.update(pupil.id, notes="бір\r\nекі\x00")
    assert store.repos.pupils.get(pupil.id).notes == "бір\nекі"


def test_names_with_control_characters_from_an_older_program_arrive_clean(make_store, tmp_path,
                                                                          monkeypatch):
    region, (district,) = make_world(make_store, 1)
    # The district runs a program that let such characters in.
    monkeypatch.setattr(writer_module, "clean_fields", lambda values: values)
    pupil = add_pupil(district, add_school(district), "Әбіл\x1b[2Jқайыров", "Ұлық\u202eбек")
    monkeypatch.undo()
    made = export_bundle(district, tmp_path / "stick", recipients_for_export(district)[0])
    assert import_bundle(region, made.path).status == IMPORTED
    kept = region.repos.pupils.get(pupil.id)
    assert (kept.surname, kept.given_name) == ("Әбіл[2Jқайыров", "Ұлықбек")
    logged = region.db.execute("SELECT data FROM changes WHERE row_id = ?",
                               [pupil.id]).fetchone()[0]
    assert "\\u001b" not in logged and "\u202e" not in logged


def test_names_from_a_spreadsheet_lose_control_and_invisible_characters():
    from daryn_desktop.core.imports.values import name_part, text

    assert name_part("Әбіл\u200bқайыров\x1b") == "Әбілқайыров"
    assert text("Ұлық\u202eбек\r\n") == "Ұлықбек"
