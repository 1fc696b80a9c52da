"""Shared test set-up: headless Qt, a throw-away data folder, fast key derivation."""

from __future__ import annotations

import os

# Qt aborts without a display unless told to draw offscreen; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import contextlib

import pytest

from daryn_desktop.core.enums import Role
from daryn_desktop.i18n import set_language
from daryn_desktop.storage.database import create_store
from daryn_desktop.storage.keyring import TEST_KDF

PASSWORD = "correct horse 7"
AKTOBE = "150000000"


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path_factory, monkeypatch):
    """No test may touch the real user's data folder, password or language."""
    home = tmp_path_factory.mktemp("daryn-home")
    monkeypatch.setenv("DARYN_HOME", str(home))
    for var in ("DARYN_DB", "DARYN_PASSWORD", "DARYN_LANG"):
        monkeypatch.delenv(var, raising=False)
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def make_store(tmp_path):
    """A factory of new encrypted stores in the test's folder (closed at the end)."""
    made = []

    def factory(name="daryn.db", *, role=Role.DISTRICT, region=AKTOBE, district="153200000",
                password=PASSWORD):
        store, code = create_store(tmp_path / name, password, role=role, region_kato=region,
                                   district_kato=district if role == Role.DISTRICT else None,
                                   name="Тест", kdf=TEST_KDF)
        store.recovery_code = code
        made.append(store)
        return store

    yield factory
    for store in made:
        with contextlib.suppress(Exception):
            store.close()


@pytest.fixture
def store(make_store):
    return make_store()
