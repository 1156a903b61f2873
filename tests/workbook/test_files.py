"""debiteuren.workbook.files: the lock, changes behind our back, links, backups, temp files,
and the permissions of the files we make."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from debiteuren.workbook import files
from debiteuren.workbook.files import (
    BACKUP_DIR,
    WorkbookBusy,
    WorkbookChanged,
    atomic_write,
    backup,
    lock_path,
    save_workbook,
    workbook_lock,
)

NOW = datetime(2026, 10, 15, 12, 0)

HOLD = """
import sys
from debiteuren.workbook.files import workbook_lock
with workbook_lock(sys.argv[1]):
    print("vast", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "boek.xlsx"
    path.write_bytes(b"versie 1")
    return path


@pytest.fixture
def holder(book: Path):
    """Another process that holds the workbook's lock until the test ends."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(book)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "vast"
    yield process
    process.stdin.close()
    process.wait(timeout=30)


class TestLock:
    def test_a_second_command_is_refused_in_dutch(self, book: Path, holder):
        with pytest.raises(WorkbookBusy) as caught, workbook_lock(book):
            pass
        message = caught.value.message
        assert message.startswith("boek.xlsx wordt al bijgewerkt door een andere opdracht")
        assert f"proces {holder.pid}" in message
        assert message.endswith("er is niets gewijzigd.")

    def test_the_lock_is_released_when_the_holder_ends(self, book: Path, holder):
        holder.stdin.close()
        holder.wait(timeout=30)
        with workbook_lock(book):
            assert lock_path(book).exists()
        assert not lock_path(book).exists()

    def test_a_lock_left_by_a_dead_process_is_taken_over(self, book: Path):
        dead = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        )
        record = {"pid": int(dead.stdout), "host": socket.gethostname(), "time": time.time()}
        lock_path(book).write_text(json.dumps(record) + "\n")
        with workbook_lock(book):
            held = json.loads(lock_path(book).read_text())
            assert held["pid"] == os.getpid()
        assert not lock_path(book).exists()

    def test_without_file_system_locks_the_record_decides(self, book: Path, monkeypatch):
        monkeypatch.setattr(files, "_os_lock", lambda fd: None)
        alive = {"pid": os.getppid(), "host": socket.gethostname(), "time": time.time()}
        lock_path(book).write_text(json.dumps(alive) + "\n")
        with pytest.raises(WorkbookBusy), workbook_lock(book):
            pass
        old = dict(alive, time=time.time() - files.STALE_LOCK_AFTER - 60)
        lock_path(book).write_text(json.dumps(old) + "\n")
        with workbook_lock(book):
            pass

    @pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
    def test_a_forked_copy_does_not_keep_the_lock_when_this_process_is_gone(self, book: Path):
        """A copy forked while the lock is held (workbook/aside.py) holds no descriptor of the
        lock file: killed, this process leaves no copy that keeps the workbook locked."""
        import fcntl

        with workbook_lock(book):
            held = files._held[files._real(book)]
            go_read, go_write = os.pipe()
            ready_read, ready_write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the copy, alive until this process lets it go
                os.close(go_write)
                os.write(ready_write, b"1")  # it runs: its fork is complete
                os.read(go_read, 1)
                os._exit(0)
            os.close(go_read)
            os.close(ready_write)
            os.read(ready_read, 1)
            os.close(ready_read)
            try:
                os.close(held.fd)  # what this process's end does to its descriptor
                held.fd = os.open(os.devnull, os.O_RDONLY)
                other = os.open(lock_path(book), os.O_RDWR)
                try:
                    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: the next run
                finally:
                    os.close(other)
            finally:
                os.close(go_write)
                os.waitpid(pid, 0)

    def test_is_reentrant_in_one_process(self, book: Path):
        with workbook_lock(book), workbook_lock(book):
            assert lock_path(book).exists()
        assert not lock_path(book).exists()


class TestChangedOnDisk:
    def test_a_save_refuses_when_another_program_changed_the_file(self, book: Path):
        with workbook_lock(book):
            book.write_bytes(b"versie van een ander")  # e.g. Excel saved it meanwhile
            with pytest.raises(WorkbookChanged, match="boek.xlsx is gewijzigd door een ander"):
                save_workbook(book, lambda tmp: tmp.write_bytes(b"onze versie"), NOW)
        assert book.read_bytes() == b"versie van een ander"
        assert not (book.parent / BACKUP_DIR).exists()

    def test_our_own_saves_do_not_count_as_changes(self, book: Path):
        with workbook_lock(book):
            save_workbook(book, lambda tmp: tmp.write_bytes(b"versie 2"), NOW)
            save_workbook(book, lambda tmp: tmp.write_bytes(b"versie 3"), NOW)
        assert book.read_bytes() == b"versie 3"

    def test_touching_the_file_without_changing_it_is_fine(self, book: Path):
        with workbook_lock(book):
            os.utime(book, (time.time() + 5, time.time() + 5))
            save_workbook(book, lambda tmp: tmp.write_bytes(b"versie 2"), NOW)
        assert book.read_bytes() == b"versie 2"


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need extra rights on Windows")
def test_a_linked_workbook_stays_a_link(tmp_path: Path):
    real = tmp_path / "echt" / "boek.xlsx"
    real.parent.mkdir()
    real.write_bytes(b"versie 1")
    os.chmod(real, 0o640)
    link = tmp_path / "boek.xlsx"
    link.symlink_to(real)
    with workbook_lock(link):
        save_workbook(link, lambda tmp: tmp.write_bytes(b"versie 2"), NOW)
    assert link.is_symlink() and link.read_bytes() == b"versie 2"
    assert real.read_bytes() == b"versie 2" and (real.stat().st_mode & 0o777) == 0o640


def test_backups_of_another_workbook_are_not_pruned(tmp_path: Path):
    folder = tmp_path / BACKUP_DIR
    folder.mkdir()
    theirs = [folder / f"boek-2025-20250101-0000{n:02d}.xlsx" for n in range(8)]
    for path in theirs:
        path.write_bytes(b"2025")
    book = tmp_path / "boek.xlsx"
    for second in range(7):
        book.write_bytes(f"versie {second}".encode())
        backup(book, NOW.replace(second=second))
    assert all(p.exists() for p in theirs)
    own = sorted(p.name for p in folder.iterdir() if p.name.startswith("boek-2026"))
    assert own == [f"boek-20261015-1200{s:02d}.xlsx" for s in range(2, 7)]


def _five_backups(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    book = tmp_path / "boek.xlsx"
    for second in range(5):
        book.write_bytes(f"versie {second}".encode())
        backup(book, NOW.replace(second=second))
    book.write_bytes(b"versie 5, nog niet bewaard")
    folder = tmp_path / BACKUP_DIR
    return book, {p.name: p.read_bytes() for p in folder.iterdir()}


def test_a_full_disk_leaves_no_partial_backup_and_keeps_the_older_ones(tmp_path, monkeypatch):
    import errno

    book, before = _five_backups(tmp_path)
    assert len(before) == 5

    def half_a_copy(src, dst, *args, **kwargs):
        data = Path(src).read_bytes()
        Path(dst).write_bytes(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(files.shutil, "copy2", half_a_copy)
    for second in range(10, 13):
        with pytest.raises(OSError) as failed:
            backup(book, NOW.replace(second=second))
        assert failed.value.errno == errno.ENOSPC
    folder = tmp_path / BACKUP_DIR
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert book.read_bytes() == b"versie 5, nog niet bewaard"


def test_a_full_disk_gives_the_dutch_message_and_leaves_the_workbook(tmp_path, monkeypatch):
    import errno

    from debiteuren.cli import _run

    book, before = _five_backups(tmp_path)

    def half_a_copy(src, dst, *args, **kwargs):
        Path(dst).write_bytes(Path(src).read_bytes()[:4])
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(files.shutil, "copy2", half_a_copy)
    with pytest.raises(Exception) as failed:
        _run(lambda: save_workbook(book, lambda tmp: tmp.write_bytes(b"versie 6"), NOW))
    assert "Een bestand of map kon niet gelezen of geschreven worden" in str(failed.value)
    assert "schijfruimte" in str(failed.value)
    assert book.read_bytes() == b"versie 5, nog niet bewaard"
    assert {p.name: p.read_bytes() for p in (tmp_path / BACKUP_DIR).iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []


def test_no_new_backup_when_the_newest_has_the_same_bytes(tmp_path: Path):
    book, _ = _five_backups(tmp_path)
    first = backup(book, NOW.replace(second=30))
    assert first.name == "boek-20261015-120030.xlsx"
    assert first.read_bytes() == b"versie 5, nog niet bewaard"
    # The same content again (a run that failed after its backup): the newest copy is returned
    # and none of the older ones is pruned.
    for second in range(31, 40):
        assert backup(book, NOW.replace(second=second)) == first
    names = sorted(p.name for p in (tmp_path / BACKUP_DIR).iterdir())
    assert names == [f"boek-20261015-1200{s:02d}.xlsx" for s in (1, 2, 3, 4, 30)]
    # Same size, other bytes: a new copy.
    book.write_bytes(b"versie 5, nog niet BEWAARD")
    second = backup(book, NOW.replace(second=41))
    assert second.name == "boek-20261015-120041.xlsx"
    assert second.read_bytes() == b"versie 5, nog niet BEWAARD"
    assert first.read_bytes() == b"versie 5, nog niet bewaard"


def test_stale_temporary_files_are_removed(tmp_path: Path):
    old = tmp_path / ".~debiteuren-abcd_123.xlsx"
    fresh = tmp_path / ".~debiteuren-zyxw9876.xlsx"
    other = tmp_path / ".~debiteuren-mijn-notities.txt"
    for path in (old, fresh, other):
        path.write_bytes(b"rest")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    os.utime(other, (hours_ago, hours_ago))
    atomic_write(tmp_path / "boek.xlsx", lambda tmp: tmp.write_bytes(b"nieuw"))
    assert not old.exists()
    assert fresh.exists() and other.exists()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".~debiteuren-")]
    assert sorted(leftovers) == [other.name, fresh.name]


posix_modes = pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX modes")


@pytest.fixture
def umask():
    """Set the umask for one test and restore it afterwards."""
    old = os.umask(0o022)

    def set_(mask: int) -> None:
        os.umask(mask)

    yield set_
    os.umask(old)


@posix_modes
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_gets_the_umask_mode(tmp_path, umask, mask, mode):
    umask(mask)
    target = tmp_path / "brief.docx"
    atomic_write(target, lambda tmp: tmp.write_bytes(b"x"))
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() == b"x"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.docx"]


@posix_modes
def test_a_replaced_file_keeps_its_mode(tmp_path, umask):
    umask(0o022)
    target = tmp_path / "boek.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write(target, lambda tmp: tmp.write_bytes(b"new"))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_bytes() == b"new"


@posix_modes
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664)])
def test_the_lock_file_follows_the_umask_too(book: Path, umask, mask, mode):
    """A colleague in the group of a shared folder (umask 002) can take over a stale lock."""
    umask(mask)
    with workbook_lock(book):
        assert stat.S_IMODE(lock_path(book).stat().st_mode) == mode


@posix_modes
def test_a_save_under_the_lock_keeps_the_workbooks_mode(book: Path, umask):
    umask(0o022)
    book.chmod(0o660)
    with workbook_lock(book):
        save_workbook(book, lambda tmp: tmp.write_bytes(b"versie 2"), NOW)
    assert stat.S_IMODE(book.stat().st_mode) == 0o660
