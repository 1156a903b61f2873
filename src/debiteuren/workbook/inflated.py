"""The XML of a large worksheet, inflated once by the read and used again by the save (issue 17).

While python-calamine parses the largest sheet (Facturen: 40 MB of XML at 50,000 invoices) in
a thread, this process inflates the same part to look for formulas without a value
(:func:`.read._uncached_on`), and the save inflated it a second time to patch its rows
(:meth:`.xlsx_patch.Patch.set_cells`): 0.11 s on the save's critical path. The read's bytes are
kept here (one part at most) and taken by the save, when they are those of the same part of the
same unchanged file: the same path, the same zip entry (CRC-32, sizes, place in the file) and
the same file on disk (inode, size, modification time). Anything else reads the part again.
Of the parts of one file, the largest is kept.
"""

from __future__ import annotations

import os
import zipfile

__all__ = ["MIN_BYTES", "keep", "take"]

#: Parts at least this large are kept (a smaller one inflates in a few milliseconds).
MIN_BYTES = 1 << 23

#: (what identifies the part, its bytes), or None.
_kept: tuple[tuple, bytes] | None = None


def _identity(path: str | os.PathLike[str], part: str, info: zipfile.ZipInfo) -> tuple | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (
        os.path.abspath(os.fspath(path)),
        part,
        info.CRC,
        info.file_size,
        info.compress_size,
        info.header_offset,
        stat.st_ino,
        stat.st_size,
        stat.st_mtime_ns,
    )


def keep(path: str | os.PathLike[str], part: str, data: bytes) -> None:
    """Keep the inflated ``data`` of ``part`` of the package at ``path`` when it is large
    enough to be worth it: in place of what was kept before, unless that is a larger part of
    the same file (the largest sheet is the one a save patches most)."""
    global _kept
    if len(data) < MIN_BYTES:
        return
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(part)
    except (zipfile.BadZipFile, KeyError, OSError):
        return
    if len(data) != info.file_size:
        return
    identity = _identity(path, part, info)
    if identity is None:
        return
    if _kept is not None and _same_file(_kept[0], identity) and len(_kept[1]) > len(data):
        return
    _kept = (identity, data)


def _same_file(one: tuple, other: tuple) -> bool:
    """Return True when two identities (:func:`_identity`) are of parts of the same file."""
    return one[0] == other[0] and one[6:] == other[6:]


def take(path: str | os.PathLike[str], part: str, info: zipfile.ZipInfo) -> bytes | None:
    """Return the kept bytes of ``part`` of the package at ``path`` and let go of them; None
    when another part is kept (it stays), or when nothing is, or the file or the part changed
    since (what was kept is let go)."""
    global _kept
    if _kept is None or _kept[0][1] != part:
        return None
    (identity, data), _kept = _kept, None  # stale when it is not the one asked for
    return data if _identity(path, part, info) == identity else None
