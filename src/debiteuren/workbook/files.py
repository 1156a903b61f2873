"""Safe file handling for the workbook: refuse when Excel has it open, back up, save atomically.

Bad input never loses data: a save writes a temporary file beside the workbook and replaces the
workbook in one step (``os.replace``), after a timestamped copy of the previous version was kept
(the last five are kept).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ..errors import DebiteurenError

__all__ = ["BACKUP_DIR", "FileLocked", "FileReadOnly", "atomic_write", "backup", "check_writable"]

BACKUP_DIR = "reservekopieen"
KEEP_BACKUPS = 5


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


class FileMissing(DebiteurenError):
    """The workbook does not exist."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"Het werkboek {path} bestaat niet.")


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
    if lock_files(path):
        raise FileLocked(path)
    # The mode bits too: an administrator (root) may write anything, but a file marked
    # read-only by its owner must stay untouched.
    if not (path.stat().st_mode & stat.S_IWUSR) or not os.access(path, os.W_OK):
        raise FileReadOnly(path)


def backup(path: Path, now: datetime, keep: int = KEEP_BACKUPS) -> Path:
    """Copy ``path`` into the backup folder beside it with a timestamp; keep the newest ``keep``.

    Returns:
      The path of the copy.
    """
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    target = folder / f"{path.stem}-{now:%Y%m%d-%H%M%S}{path.suffix}"
    n = 1
    while target.exists():
        target = folder / f"{path.stem}-{now:%Y%m%d-%H%M%S}-{n}{path.suffix}"
        n += 1
    shutil.copy2(path, target)
    copies = sorted(folder.glob(f"{path.stem}-*{path.suffix}"), key=lambda p: p.name)
    for old in copies[:-keep]:
        old.unlink()
    return target


def _umask() -> int:
    """Return the process's umask (reading it means setting it; it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temp_path)`` for a temporary file beside ``path``, then replace ``path``.

    The temporary file is removed when ``write`` fails; ``path`` is then untouched. A file that
    is replaced keeps its permissions; a new file gets the user's normal ones (0666 less the
    umask, as any program's new file), not the 0600 of a temporary file, so that a colleague or
    the accountant who shares the folder can open the letters and exports.
    """
    fd, name = tempfile.mkstemp(prefix=".~debiteuren-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        write(temp)
        with open(temp, "rb") as fh:
            os.fsync(fh.fileno())
        if path.exists():
            shutil.copymode(path, temp)
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
