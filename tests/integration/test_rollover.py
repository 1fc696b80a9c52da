"""The new academic year on a demo database: grades up, leavers archived, road maps carried."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from daryn_desktop.core.academic import AcademicYear
from daryn_desktop.core.enums import Role
from daryn_desktop.core.rollover import AlreadyInYear, NotTheNextYear, OneYearAtATime
from daryn_desktop.demo.generator import generate
from daryn_desktop.storage.rollover import (
    apply_rollover,
    grade_nine_pupils,
    preview_rollover,
    registry_year,
)

# The demo's year is the one in progress (its road maps still open); the move is made in
# the summer that ends it.
CURRENT = AcademicYear.containing(date.today())
YEAR, NEXT = CURRENT.label, CURRENT.next().label
TODAY = date(CURRENT.start + 1, 6, 20)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    from daryn_desktop.storage.database import create_store
    from daryn_desktop.storage.keyring import TEST_KDF
    from tests.conftest import PASSWORD

    path = tmp_path_factory.mktemp("rollover") / "demo.db"
    store, _code = create_store(path, PASSWORD, role=Role.REGION, region_kato="150000000",
                                name="Demo", kdf=TEST_KDF)
    generate(store, 400, seed=3, academic_year=YEAR)
    store.close()
    return path


@pytest.fixture
def demo(demo_file, tmp_path):
    import shutil

    from daryn_desktop.storage.database import open_store
    from daryn_desktop.storage.keyring import keyring_path
    from tests.conftest import PASSWORD

    copy = tmp_path / "demo.db"
    shutil.copy(demo_file, copy)
    shutil.copy(keyring_path(demo_file), keyring_path(copy))
    store = open_store(copy, password=PASSWORD)
    yield store
    store.close()


def _grades(store) -> Counter:
    return Counter(dict(store.db.execute(
        "SELECT grade, count(*) FROM pupils WHERE status = 'active' GROUP BY grade")))


def _changes(store) -> int:
    return store.db.execute("SELECT count(*) FROM changes").fetchone()[0]


def test_counts_per_grade_before_and_after(demo):
    before = _grades(demo)
    target = AcademicYear.parse(NEXT)
    nine = [pid for pid, _name, _school in grade_nine_pupils(demo)][:3]
    changes = _changes(demo)
    preview = preview_rollover(demo, target, leaving_after_9=nine, today=TODAY)
    assert _changes(demo) == changes  # a preview writes nothing
    plan = preview.plan
    assert plan.before == before
    assert len(plan.graduates) == before[11] + before.get(12, 0)
    assert len(plan.leavers) == 3
    result = apply_rollover(demo, preview, today=TODAY)
    after = _grades(demo)
    for grade in range(1, 12):
        expected = before.get(grade - 1, 0) - (3 if grade == 10 else 0)
        assert after.get(grade, 0) == expected, grade
    assert after == plan.after
    archived = demo.db.execute(
        "SELECT archive_reason, count(*) FROM pupils WHERE status = 'archived'"
        " AND archive_reason LIKE 'Finished%' GROUP BY archive_reason").fetchall()
    assert dict(archived) == {f"Finished school in {YEAR}": before[11],
                              f"Finished grade 9 in {YEAR}": 3}
    assert result.promoted == sum(plan.after.values())
    # Road maps of the year that ended are closed; next year's drafts continue them.
    open_old = demo.db.execute("SELECT count(*) FROM road_maps WHERE academic_year = ?"
                               " AND status != 'closed'", [YEAR]).fetchone()[0]
    assert open_old == 0 and result.closed_maps == len(preview.open_maps) > 0
    drafts = demo.db.execute("SELECT count(*) FROM road_maps WHERE academic_year = ?"
                             " AND status = 'draft'", [NEXT]).fetchone()[0]
    assert drafts >= result.continued_maps == len(preview.continuable) > 0
    assert registry_year(demo) == target
    # Written through the write path: the region receives it as ordinary changes.
    assert _changes(demo) > len(preview.continuable) + result.promoted // 100


def test_the_year_moves_one_step_at_a_time_and_never_twice(demo):
    with pytest.raises(NotTheNextYear):
        preview_rollover(demo, CURRENT.next().next().next(), today=TODAY)
    preview = preview_rollover(demo, AcademicYear.parse(NEXT), today=TODAY)
    maps = demo.db.execute("SELECT academic_year, status, count(*) FROM road_maps"
                           " GROUP BY 1, 2").fetchall()
    apply_rollover(demo, preview, close_maps=False, continue_maps=False, today=TODAY)
    with pytest.raises(AlreadyInYear):
        preview_rollover(demo, AcademicYear.parse(NEXT), today=TODAY)
    with pytest.raises(OneYearAtATime):
        preview_rollover(demo, CURRENT.next().next().next(), today=TODAY)
    # The road maps were left as they were, as asked.
    assert demo.db.execute("SELECT academic_year, status, count(*) FROM road_maps"
                           " GROUP BY 1, 2").fetchall() == maps
