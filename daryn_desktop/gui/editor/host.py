"""What the pupil editor's tabs may use of the editor that holds them (so no tab imports it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from daryn_desktop.core.enums import Language
from daryn_desktop.gui.editor.choices import SharedChoices
from daryn_desktop.storage.database import Store
from daryn_desktop.storage.registry import PupilRecord, SchoolInfo


class RecordHost(Protocol):
    """The editor of one pupil's record, as its tabs see it."""

    store: Store
    #: The record as edited so far (replaced by undo and redo).
    record: PupilRecord
    #: True while the tabs are being filled from the record (their edits are not changes).
    loading: bool
    choices: SharedChoices

    def edit(self, key: str, change: Callable[[PupilRecord], None], *, merge: bool = True,
             reload: bool = False) -> None:
        """Apply a change to the record as one undoable step."""

    def refresh_state(self) -> None:
        """Update the title, the checks and the Save button after a change."""

    def is_new_item(self, list_name: str, row: int) -> bool:
        """Whether the row of the list was added since the record was opened."""

    def school(self, school_id: str | None) -> SchoolInfo | None: ...

    def forget_choices(self) -> None:
        """Read the schools and staff again (a school or person was just added)."""

    def staff_choices(self) -> list[tuple[str, str]]: ...

    def default_district(self) -> str | None: ...

    def profile_language_of(self, school_id: str) -> Language | None: ...
