"""One undoable edit of the pupil's record, as the states before and after it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from daryn_desktop.storage.registry import PupilRecord

if TYPE_CHECKING:
    from daryn_desktop.gui.editor.pupil_editor import PupilEditor

_merge_ids: dict[str, int] = {}


def _merge_id(key: str) -> int:
    return _merge_ids.setdefault(key, len(_merge_ids) + 1)


class EditCommand(QUndoCommand):
    """One edit of the record, as the states before and after it (consecutive typing into
    the same field merges into one command, so Undo takes back a whole word or field)."""

    def __init__(self, editor: PupilEditor, key: str, before: PupilRecord, after: PupilRecord,
                 merge: bool):
        super().__init__(key)
        self.editor, self.key, self.merge = editor, key, merge
        self.before, self.after = before, after
        self._applied = True  # the widgets already show the new state when pushed

    def id(self) -> int:
        return _merge_id(self.key) if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not isinstance(other, EditCommand) or other.key != self.key or not self.merge:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.editor.restore(self.after)

    def undo(self) -> None:
        self.editor.restore(self.before)
