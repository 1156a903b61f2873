"""Safe file handling for the workbook: one writer at a time, back up, save atomically.

Bad input never loses data, and neither does a second run:

- **A lock per workbook.** A command that writes the workbook holds :func:`workbook_lock` while
  it reads, computes and saves: a lock file beside the workbook (``.~debiteuren.<name>.lock``)
  with an operating-system lock on it, which the system releases when the process ends, however
  it ends. A second command on the same workbook is refused with :class:`WorkbookBusy`; a lock
  file left by a process that died is stale and taken over. Where a file system has no locks,
  the record in the file decides (a process that no longer runs on this computer, or a lock
  older than :data:`STALE_LOCK_AFTER`, is stale).
- **Nothing changed behind our back.** The lock remembers the workbook as it was when the
  command began; a save refuses with :class:`WorkbookChanged` when another program changed the
  file meanwhile (Excel, a synchronisation tool, an older debiteuren without the lock).
- **Atomic saves.** :func:`atomic_write` writes a temporary file beside the target and replaces
  the target in one step (``os.replace``); a symbolic link stays a link and the file it points
  at is replaced. Temporary files that a crashed run left behind (``.~debiteuren-*``, older
  than an hour) are removed.
- **Backups.** :func:`backup` keeps a timestamped copy of the previous version in
  ``reservekopieen/``; the newest five copies *of this workbook* are kept (``boek.xlsx`` never
  prunes the copies of ``boek-2025.xlsx``). A copy is written under a temporary name and
  renamed when complete, so a full disk leaves no truncated copy; when the newest copy already
  holds the same bytes no new one is made, so runs that fail again and again do not push the
  older copies out.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import socket
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from ..errors import DebiteurenError
from ..filenames import WORKBOOK_SUFFIXES

__all__ = [
    "BACKUP_DIR",
    "OWN_PREFIX",
    "FileLocked",
    "FileReadOnly",
    "WorkbookBusy",
    "WorkbookChanged",
    "atomic_write",
    "backup",
    "check_writable",
    "locks_workbook",
    "made_for_a_moment",
    "replaced",
    "save_workbook",
    "workbook_lock",
]

BACKUP_DIR = "reservekopieen"
KEEP_BACKUPS = 5
#: A lock whose holder cannot be checked (no file-system lock, another computer) is stale
#: after this many seconds.
STALE_LOCK_AFTER = 2 * 3600
#: A temporary file of an atomic save is left over (its writer died) after this many seconds.
STALE_TEMP_AFTER = 3600
#: The start of the name of every file debiteuren makes for a moment beside a workbook: its
#: temporary files and its lock (:func:`made_for_a_moment`).
OWN_PREFIX = ".~debiteuren"
_TEMP_PREFIX = OWN_PREFIX + "-"
_TEMP_NAME = re.compile(r"^\.~debiteuren-[a-z0-9_]{8}(\.[A-Za-z0-9]{1,8})?$")


class FileLocked(DebiteurenError):
    """Excel (or LibreOffice) has the workbook open."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path.name} is geopend in Excel (of een ander programma). Sluit het bestand en "
            "probeer het opnieuw; er is niets gewijzigd."
        )


class FileReadOnly(DebiteurenError):
    """The workbook cannot be written."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path.name} is alleen-lezen. Haal het vinkje 'Alleen-lezen' weg bij de "
            "eigenschappen van het bestand; er is niets gewijzigd."
        )


class FolderReadOnly(DebiteurenError):
    """No lock file can be made beside the workbook."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"In de map {path.parent} kan debiteuren geen vergrendelbestand maken ({reason}); "
            f"zonder dat kan {path.name} niet veilig worden bijgewerkt. Controleer of u in die "
            "map mag schrijven. Er is niets gewijzigd."
        )


def missing_workbook(path: str | os.PathLike[str], advice: str = "") -> str:
    """Return the message for a workbook ``path`` that does not exist: with the name and its
    extension when that file exists ("debiteuren bijwerken b" beside b.xlsx), else
    ``advice`` after the sentence (e.g. "controleer de naam en de map").

    The extension is added to the name as typed, not put in place of a dot's tail: "boek.2026"
    suggests "boek.2026.xlsx".
    """
    name = os.fspath(path)
    if not name.lower().endswith(WORKBOOK_SUFFIXES):
        for suffix in WORKBOOK_SUFFIXES:
            if os.path.isfile(name + suffix):
                return f"Het werkboek {name} bestaat niet; bedoelt u {name}{suffix}?"
    return f"Het werkboek {name} bestaat niet" + (f"; {advice}." if advice else ".")


class FileMissing(DebiteurenError):
    """The workbook does not exist."""

    def __init__(self, path: Path) -> None:
        super().__init__(missing_workbook(path))


class NotAWorkbookFile(DebiteurenError):
    """The workbook's path is a folder, a device or a pipe."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} is geen gewoon bestand (maar een map, apparaat of pijp); geef het "
            "werkboek zelf (.xlsx). Er is niets gewijzigd."
        )


def _refuse_other_than_file(path: Path) -> None:
    """Raise NotAWorkbookFile when ``path`` exists but is not a regular file (reading ``/dev/zero``
    or a pipe as a workbook would never end)."""
    if path.exists() and not path.is_file():
        raise NotAWorkbookFile(path)


class WorkbookBusy(DebiteurenError):
    """Another command is changing the workbook now."""

    def __init__(self, path: Path, holder: dict[str, Any] | None) -> None:
        who = ""
        if holder:
            since = str(holder.get("since", ""))[11:16]
            parts = [f"sinds {since}" if since else "", f"op {holder['host']}"]
            if holder.get("host") == socket.gethostname():
                parts[1] = f"proces {holder.get('pid')}"
            who = " (" + ", ".join(p for p in parts if p) + ")"
        super().__init__(
            f"{path.name} wordt al bijgewerkt door een andere opdracht van debiteuren{who}. "
            "Wacht tot die klaar is en probeer het daarna opnieuw; er is niets gewijzigd."
        )


class WorkbookChanged(DebiteurenError):
    """The workbook changed on disk between this command's read and its write."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path.name} is gewijzigd door een ander programma terwijl debiteuren ermee bezig "
            "was. Er is niets opgeslagen, zodat die wijziging niet verloren gaat; voer de "
            "opdracht opnieuw uit."
        )


def lock_files(path: Path) -> list[Path]:
    """Return the lock files Excel and LibreOffice leave beside an open workbook."""
    candidates = [
        path.with_name("~$" + path.name),
        path.with_name("~$" + path.name[2:]) if len(path.name) > 2 else None,
        path.with_name(".~lock." + path.name + "#"),
    ]
    return [p for p in candidates if p is not None and p.exists()]


def check_writable(path: Path) -> None:
    """Raise FileMissing, FileLocked or FileReadOnly unless ``path`` may be replaced now."""
    if not path.exists():
        raise FileMissing(path)
    _refuse_other_than_file(path)
    if lock_files(path):
        raise FileLocked(path)
    # The mode bits too: an administrator (root) may write anything, but a file marked
    # read-only by its owner must stay untouched.
    if not (path.stat().st_mode & stat.S_IWUSR) or not os.access(path, os.W_OK):
        raise FileReadOnly(path)


# --- the lock -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Fingerprint:
    """What a file was: enough to notice any change of its content."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> _Fingerprint | None:
        try:
            info = path.stat()
            return cls(info.st_size, info.st_mtime_ns, _sha256(path))
        except FileNotFoundError:
            return None

    def matches(self, path: Path) -> bool:
        """Return True when ``path`` still holds the same content."""
        try:
            info = path.stat()
        except FileNotFoundError:
            return False
        if (info.st_size, info.st_mtime_ns) == (self.size, self.mtime_ns):
            return True
        return info.st_size == self.size and _sha256(path) == self.sha256


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(slots=True)
class _Held:
    """A workbook lock this process holds."""

    workbook: Path
    lock: Path
    fd: int
    depth: int
    seen: _Fingerprint | None


_held: dict[Path, _Held] = {}
_registry = threading.RLock()
#: The files this process replaced, in order: the command line names them when the user stops
#: a command after its save ("Afgebroken" alone would suggest nothing was written).
_replaced: list[Path] = []
#: The workbooks this process locked to change them, in order: stopped after saving its
#: letters but before saving the workbook, a command must not say that all is complete.
_locked: list[Path] = []


def _real(path: str | os.PathLike[str]) -> Path:
    """Return the file a path stands for: symbolic links followed, made absolute."""
    return Path(os.path.realpath(path))


def _let_go_in_copy() -> None:
    """In a forked copy of this process: close its descriptors of the held lock files.

    The lock stays this process's (an operating-system lock belongs to the open file, which
    this process still holds), but a copy that outlives this process (killed) no longer keeps
    the workbook locked. A copy never releases a lock itself: it ends without unwinding."""
    for held in list(_held.values()):
        with contextlib.suppress(OSError):
            os.close(held.fd)
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_let_go_in_copy)


def lock_path(path: str | os.PathLike[str]) -> Path:
    """Return the lock file of a workbook (beside the file a link points at)."""
    real = _real(path)
    return real.with_name(f"{OWN_PREFIX}.{real.name}.lock")


def made_for_a_moment(path: str | os.PathLike[str]) -> bool:
    """Return True for a temporary file or lock debiteuren makes beside a workbook: a file the
    user never made and will not find afterwards."""
    return os.path.basename(os.fspath(path)).startswith(OWN_PREFIX)


@contextlib.contextmanager
def workbook_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the workbook's lock while the block runs; re-entrant within this process.

    The lock remembers the workbook as it is now: a save through :func:`atomic_write` inside
    the block refuses with :class:`WorkbookChanged` when the file changed meanwhile.

    Raises:
      WorkbookBusy: another command (another process) holds the lock.
      FolderReadOnly: no lock file can be made beside the workbook.
    """
    real = _real(path)
    _refuse_other_than_file(real)
    with _registry:
        held = _held.get(real)
        if held is not None:
            held.depth += 1
        else:
            held = _held[real] = _acquire(real)
            _locked.append(real)
    try:
        yield
    finally:
        with _registry:
            held.depth -= 1
            if held.depth == 0:
                del _held[real]
                _release(held)


F = TypeVar("F", bound=Callable[..., Any])


def locks_workbook(fn: F) -> F:
    """Decorate a use case ``fn(book, ...)`` so that it runs holding the workbook's lock.

    ``book`` is a path, or an object whose ``locked_path`` is the file to lock (a file book);
    the book open in Excel has none (its button holds the lock). A call with ``dry_run=True``
    writes nothing and takes no lock.
    """

    @functools.wraps(fn)
    def run(book: Any, *args: Any, **kwargs: Any) -> Any:
        path = book if isinstance(book, str | os.PathLike) else getattr(book, "locked_path", None)
        if path is None or kwargs.get("dry_run"):
            return fn(book, *args, **kwargs)
        with workbook_lock(path):
            return fn(book, *args, **kwargs)

    return run  # type: ignore[return-value]


def _acquire(real: Path) -> _Held:
    lock = real.with_name(f"{OWN_PREFIX}.{real.name}.lock")
    for _ in range(5):
        try:
            # 0666 less the umask, as atomic_write's new files: a colleague who shares the
            # folder can take over a stale lock
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except FileNotFoundError:
            raise FileMissing(real) from None
        except OSError as exc:
            raise FolderReadOnly(real, exc.strerror or type(exc).__name__) from None
        locked = _os_lock(fd)
        if locked is False:
            holder = _read_record(fd)
            os.close(fd)
            raise WorkbookBusy(real, holder)
        if locked is None:  # no file-system locks here: the record decides
            holder = _read_record(fd)
            if holder and not _stale(holder):
                os.close(fd)
                raise WorkbookBusy(real, holder)
        if not _same_file(fd, lock):  # removed by its previous holder meanwhile: again
            os.close(fd)
            continue
        _write_record(fd)
        return _Held(workbook=real, lock=lock, fd=fd, depth=1, seen=_Fingerprint.of(real))
    raise WorkbookBusy(real, None)


def _release(held: _Held) -> None:
    if os.name == "nt":  # Windows cannot remove a file that is still open
        os.close(held.fd)
        _unlink_quietly(held.lock)
        return
    _unlink_quietly(held.lock)  # while still locked: no one can take it over half-removed
    os.close(held.fd)


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):  # held again by another process already (Windows)
        path.unlink(missing_ok=True)


_LOCK_OFFSET = 1 << 20  # Windows locks a byte range: lock one far past the record


def _os_lock(fd: int) -> bool | None:
    """Take the operating-system lock on ``fd`` without waiting.

    Returns True when taken, False when another process holds it, None when the file system
    has no locks.
    """
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError:
            return False
        except OSError:
            return None
        return True
    import errno
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        return None
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _read_record(fd: int) -> dict[str, Any] | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, 4096)
        record = json.loads(data.split(b"\n", 1)[0].decode("utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _write_record(fd: int) -> None:
    record = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now().isoformat(timespec="seconds"),
        "time": time.time(),
    }
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, (json.dumps(record) + "\n").encode("utf-8"))


def _stale(holder: dict[str, Any]) -> bool:
    """Return True when the process that wrote a lock record can no longer hold it."""
    try:
        age = time.time() - float(holder.get("time", 0))
    except (TypeError, ValueError):
        return True
    if age > STALE_LOCK_AFTER:
        return True
    if holder.get("host") != socket.gethostname() or os.name == "nt":
        return False
    try:
        os.kill(int(holder.get("pid", 0)), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError, OverflowError):
        return False
    return False


# --- saving -------------------------------------------------------------------------------------


_BACKUP_STAMP = r"-(\d{8}-\d{6})(?:-(\d+))?"


def backup(path: Path, now: datetime, keep: int = KEEP_BACKUPS) -> Path:
    """Copy ``path`` into the backup folder beside it with a timestamp; keep the newest ``keep``.

    Only this workbook's own copies count (``<stem>-YYYYMMDD-HHMMSS[-n]<suffix>``): the
    copies of ``boek-2025.xlsx`` are never pruned by a save of ``boek.xlsx``.

    Returns:
      The path of the copy.
    """
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    own = re.compile(re.escape(path.stem) + _BACKUP_STAMP + re.escape(path.suffix) + "$")
    copies = sorted(_own_backups(folder, own))
    if copies and _same_bytes(copies[-1][-1], path):
        # Nothing new to keep: a run that fails again and again must not push the older,
        # different copies out.
        return copies[-1][-1]
    target = folder / f"{path.stem}-{now:%Y%m%d-%H%M%S}{path.suffix}"
    n = 1
    while target.exists():
        target = folder / f"{path.stem}-{now:%Y%m%d-%H%M%S}-{n}{path.suffix}"
        n += 1
    # Copy to a temporary name and rename when complete: a full disk leaves no truncated copy
    # that looks like a good backup.
    fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=path.suffix, dir=folder)
    os.close(fd)
    temp = Path(name)
    try:
        shutil.copy2(path, temp)
        os.replace(temp, target)
    except BaseException:
        _unlink_quietly(temp)
        raise
    copies = sorted(_own_backups(folder, own))
    for *_, old in copies[:-keep]:
        old.unlink()
    return target


def _own_backups(folder: Path, own: re.Pattern[str]) -> Iterator[tuple[str, int, Path]]:
    """Yield (stamp, counter, path) of the copies in ``folder`` whose names ``own`` matches."""
    for p in folder.iterdir():
        found = own.match(p.name)
        if found:
            yield found.group(1), int(found.group(2) or 0), p


def _same_bytes(a: Path, b: Path) -> bool:
    """Return True when two files hold the same bytes (the sizes first, then the content)."""
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with open(a, "rb") as fa, open(b, "rb") as fb:
            while True:
                chunk = fa.read(1 << 20)
                if chunk != fb.read(1 << 20):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False


def save_workbook(path: Path, write: Callable[[Path], None], now: datetime) -> Path:
    """Save the workbook: refuse when it changed on disk, back it up, replace it atomically.

    Args:
      path: the workbook.
      write: writes the new workbook to the temporary path it is given.
      now: the time for the backup's name.
    Returns:
      The backup of the previous version.
    """
    _check_unchanged(path)
    copy = backup(path, now)
    atomic_write(path, write)
    return copy


def _check_unchanged(path: Path) -> None:
    with _registry:
        held = _held.get(_real(path))
    if held is not None and held.seen is not None and not held.seen.matches(held.workbook):
        raise WorkbookChanged(path)


def _umask() -> int:
    """Return the process's umask (reading it means setting it; it is set straight back)."""
    with _registry:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temp_path)`` for a temporary file beside ``path``, then replace ``path``.

    A symbolic link stays a link: the file it points at is replaced. The temporary file is
    removed when ``write`` fails; ``path`` is then untouched. Inside :func:`workbook_lock`, a
    workbook that changed on disk since the command began is not replaced
    (:class:`WorkbookChanged`). A file that is replaced keeps its permissions; a new file gets
    the user's normal ones (0666 less the umask, as any program's new file), not the 0600 of a
    temporary file, so that a colleague or the accountant who shares the folder can open the
    letters and exports.
    """
    target = _real(path) if os.path.islink(path) else Path(path)
    _remove_stale_temps(target.parent)
    fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        write(temp)
        with open(temp, "rb") as fh:
            os.fsync(fh.fileno())
        if target.exists():
            shutil.copymode(target, temp)
        else:
            os.chmod(temp, 0o666 & ~_umask())
        _check_unchanged(target)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    with _registry:
        _replaced.append(target)
        held = _held.get(_real(target))
        if held is not None:
            held.seen = _Fingerprint.of(held.workbook)


def _remove_stale_temps(folder: Path) -> None:
    """Remove temporary files of atomic saves whose writer died (older than an hour)."""
    limit = time.time() - STALE_TEMP_AFTER
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not _TEMP_NAME.match(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < limit:
                os.unlink(entry.path)
        except OSError:
            continue


def replaced() -> tuple[Path, ...]:
    """Return the files this process replaced (:func:`atomic_write`), oldest first."""
    with _registry:
        return tuple(_replaced)


def locked() -> tuple[Path, ...]:
    """Return the workbooks this process locked (:func:`workbook_lock`), oldest first, each as
    the file it is (links followed)."""
    with _registry:
        return tuple(_locked)
