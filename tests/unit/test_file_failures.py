"""What a person is told when a file cannot be written: each failure of the operating system
has its own message, always about the file the person chose, in their language."""

from __future__ import annotations

import errno

import pytest

from daryn_desktop.files import (
    DiskFull,
    DiskGone,
    FileInUse,
    FileMissing,
    FolderMissing,
    IsAFolder,
    explain_os_error,
    os_reason,
    write_atomic,
    written_whole,
)
from daryn_desktop.i18n import set_language


@pytest.fixture(autouse=True)
def english():
    yield
    set_language("en")


def test_a_stick_taken_out_is_told_as_such(tmp_path):
    error = explain_os_error(OSError(errno.EIO, "Input/output error"), tmp_path / "a.pdf")
    assert isinstance(error, DiskGone)
    set_language("kk")
    assert "флешка суырылып алынған жоқ па" in error.translated()
    set_language("ru")
    assert "флешку вынули" in error.translated()


def test_a_file_open_in_another_program_on_windows_is_told_as_such(tmp_path):
    denied = PermissionError(errno.EACCES, "The process cannot access the file")
    denied.winerror = 32  # ERROR_SHARING_VIOLATION, as Windows sets it
    error = explain_os_error(denied, tmp_path / "тізім.xlsx")
    assert isinstance(error, FileInUse) and error.params["path"].endswith("тізім.xlsx")


def test_a_missing_folder_and_a_missing_file_are_told_apart(tmp_path):
    gone = OSError(errno.ENOENT, "No such file or directory")
    folder = explain_os_error(gone, tmp_path / "stick" / "a.pdf")
    assert isinstance(folder, FolderMissing) and folder.params["folder"] == str(tmp_path / "stick")
    assert isinstance(explain_os_error(gone, tmp_path / "a.pdf"), FileMissing)


def test_written_whole_appears_only_when_complete(tmp_path):
    target = tmp_path / "есеп.json"
    with pytest.raises(RuntimeError), written_whole(target) as part:
        part.write_text("жартысы", encoding="utf-8")
        raise RuntimeError("the program failed midway")
    assert list(tmp_path.iterdir()) == []
    with written_whole(target) as part:
        part.write_text("бүтін", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "бүтін"
    assert [p.name for p in tmp_path.iterdir()] == ["есеп.json"]


def test_a_disk_failure_inside_written_whole_is_said_of_the_chosen_file(tmp_path):
    target = tmp_path / "s.xlsx"
    with pytest.raises(DiskFull) as error, written_whole(target):
        raise OSError(errno.ENOSPC, "No space left on device")  # a write names no file
    assert error.value.params["path"] == str(target)
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_names_the_chosen_file_when_a_write_fails(tmp_path):
    def pieces():
        yield b"first"
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as error:
        write_atomic(tmp_path / "bundle.dsb", pieces())
    assert error.value.errno == errno.ENOSPC
    assert error.value.filename == str(tmp_path / "bundle.dsb")  # not the temporary copy
    assert isinstance(explain_os_error(error.value), DiskFull)
    assert list(tmp_path.iterdir()) == []


def test_a_reason_inside_another_message_is_in_the_persons_language():
    full = OSError(errno.ENOSPC, "No space left on device")
    set_language("kk")
    assert os_reason(full) == "диск толып қалған"
    set_language("ru")
    assert os_reason(full) == "диск заполнен"
    assert os_reason(OSError(errno.EIO, "Input/output error")).startswith("диск перестал")


def test_a_folder_chosen_as_the_file_is_told_and_left_as_it_was(tmp_path):
    folder = tmp_path / "есеп.xlsx"
    folder.mkdir()
    with pytest.raises(IsAFolder) as error, written_whole(folder) as part:
        part.write_text("x", encoding="utf-8")
    assert error.value.params["path"] == str(folder)
    assert folder.is_dir() and list(tmp_path.iterdir()) == [folder]
