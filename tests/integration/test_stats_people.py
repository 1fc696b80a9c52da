"""The records the statistics compare as possibly one child (T6, the duplicates list) equal
those a plain reading of every record finds: sharing an IIN, or a name and birth date."""

from __future__ import annotations

from datetime import date

import pytest

from daryn_desktop.core import entities as e
from daryn_desktop.core.enums import PupilStatus, Role
from daryn_desktop.core.stats.duplicates import Person
from daryn_desktop.core.stats.model import Territory
from daryn_desktop.demo.generator import generate
from daryn_desktop.storage.database import create_store
from daryn_desktop.storage.keyring import TEST_KDF
from daryn_desktop.storage.statistics import _people, pupil_names


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("people") / "demo.db"
    store, _code = create_store(path, "correct horse 7", role=Role.REGION,
                                region_kato="150000000", name="Облыс", kdf=TEST_KDF)
    generate(store, 150, seed=7)
    school = store.db.execute("SELECT id FROM schools LIMIT 1").fetchone()[0]
    other = store.db.execute("SELECT id FROM schools WHERE district_kato !="
                             " (SELECT district_kato FROM schools WHERE id = ?) LIMIT 1",
                             [school]).fetchone()[0]
    born = date(2012, 3, 15)

    def add(surname, given, iin, school_id=school, **more):
        # The IIN set after: the registry refuses a second record of one IIN, which two
        # districts' bundles bring to the region all the same.
        pupil = store.repos.pupils.add(e.Pupil(surname=surname, given_name=given, iin="",
                                               school_id=school_id, grade=6, **more))
        with store.transaction() as writer:
            writer.update("pupils", pupil.id, {"iin": iin})
        return pupil

    # One child in two districts (same IIN and name); an IIN with two names; the same
    # name and birth date under two IINs; a record archived as another's duplicate.
    first = add("Әбілқайыров", "Ұлықбек", "120315612345", birth_date=born)
    add("Әбілқайыров", "Ұлықбек", "120315612345", other, birth_date=born)
    add("Сейітқали", "Өмірзақ", "110101500001")
    add("Нұрғалиева", "Гүлнұр", "110101500001", other)
    add("Құрманғазы", "Іңкәр", "120101600002", birth_date=born)
    add("Құрманғазы", "Іңкәр", "120101600003", other, birth_date=born,
        status=PupilStatus.LEFT)
    archived = add("Жұмабай", "Һарун", "130202700004")
    add("Жұмабай", "Һарун", "130202700004", other)
    with store.transaction() as writer:
        writer.update("pupils", archived.id, {"duplicate_of": first.id})
    yield store
    store.close()


def _plain(store, territory: Territory, probable: bool) -> list[Person]:
    """The rule over every record of the territory, read whole."""
    where = {"region": "1", "district": "s.district_kato = ?", "school": "s.id = ?"}
    rows = [r for r in store.db.execute(
        "SELECT p.id, p.iin, p.surname, p.given_name, p.birth_date, p.status, p.sort_key,"
        " p.duplicate_of FROM pupils p JOIN schools s ON s.id = p.school_id"
        f" WHERE {where[territory.level]} ORDER BY p.rowid",
        [territory.code] if territory.level != "region" else []).fetchall() if not r[7]]
    iins = [r[1] for r in rows if r[1]]
    names = [(r[6], r[4]) for r in rows if r[4]] if probable else []
    return [Person(r[0], r[1], r[2], r[3], r[4], r[5] == "active") for r in rows
            if (r[1] and iins.count(r[1]) > 1) or (r[4] and names.count((r[6], r[4])) > 1)]


@pytest.mark.parametrize("probable", [True, False])
def test_records_compared_equal_a_plain_reading_at_every_level(store, probable):
    districts = [r[0] for r in store.db.execute(
        "SELECT DISTINCT district_kato FROM schools ORDER BY 1")]
    territories = [Territory("region", "150000000")]
    territories += [Territory("district", code) for code in districts]
    territories += [Territory("school", r[0]) for r in store.db.execute(
        "SELECT DISTINCT school_id FROM pupils WHERE iin = '120315612345'")]
    for territory in territories:
        assert _people(store, territory, probable=probable) == _plain(
            store, territory, probable), territory
    found = {p.surname for p in _people(store, territories[0], probable=probable)}
    assert {"Әбілқайыров", "Сейітқали", "Нұрғалиева"} <= found
    assert ("Құрманғазы" in found) is probable
    assert "Жұмабай" not in found  # its other record is archived as a duplicate


def test_names_of_pupils_are_read_for_the_lists(store):
    ids = [r[0] for r in store.db.execute(
        "SELECT id FROM pupils WHERE surname = 'Әбілқайыров'")]
    assert pupil_names(store, ids) == dict.fromkeys(ids, "Әбілқайыров Ұлықбек")
