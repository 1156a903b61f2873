"""Reading a user's input file whole, but never more than a limit.

A bank statement or an e-invoice is read into memory whole before it is parsed. Its size on
disk is checked first, but a device or a pipe (``/dev/zero``, a FIFO) has no size there and
never ends: such a path is refused before it is opened, and a file is read at most one byte
past the limit, so that no input can make a command read without end.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from .untrusted import one_line


class NotAFile(Exception):
    """The path is a folder, a device or a pipe, not a file."""


class TooLarge(Exception):
    """The file holds more bytes than the limit.

    Attributes:
      size: its size in bytes; None when it grew past the limit while it was read.
    """

    def __init__(self, path: Path, size: int | None) -> None:
        super().__init__(path)
        self.size = size


def read_limited(path: Path, limit: int) -> bytes:
    """Return the bytes of the regular file ``path``.

    Raises NotAFile for a folder, device or pipe; TooLarge when it holds more than ``limit``
    bytes (also when it grew past it while being read); OSError as ``open`` does.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise NotAFile(path)
    if info.st_size > limit:
        raise TooLarge(path, info.st_size)
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(path, None)
    return data


# --- Files that are recognisably something else --------------------------------------------------

PDF = "pdf"
OLD_OFFICE = "oud-office"
OFX = "ofx"
ZIP = "zip"
EXCEL = "excel"
WORD = "word"

#: The first bytes of files a user may give instead of a statement or an e-invoice.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", PDF),
    (b"\xd0\xcf\x11\xe0", OLD_OFFICE),  # OLE2: .xls, .doc
    (b"OFXHEADER", OFX),
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),  # an empty zip
)


#: The first line of a table saved as text: at least three columns split by ``;``, ``,`` or a
#: tab (the CSV exports of ING, Rabobank, ABN AMRO, KBC, Revolut and Wise).
_CSV_HEADER = re.compile(rb"[^;,\t]*(?:([;,\t])[^;,\t]*)(?:\1[^;,\t]*){2,}")


def is_csv(head: bytes) -> bool:
    """Tell whether ``head`` (BOM and leading white space removed by the caller) starts with a
    line of a table saved as text (CSV): a bank's export for Excel, a spreadsheet's list."""
    return bool(_CSV_HEADER.match(head.split(b"\n", 1)[0].rstrip(b"\r")))


def other_kind(head: bytes) -> str:
    """Return what a file is by its first bytes (BOM and leading white space removed by the
    caller): :data:`PDF`, :data:`OLD_OFFICE`, :data:`OFX` or :data:`ZIP`; "" when it is none of
    them."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return ""


def zip_contents(data: bytes) -> tuple[str, list[str]]:
    """Return what a zip file holds: (:data:`EXCEL`, :data:`WORD` or :data:`ZIP`, the names of
    all its files without their folders). A damaged zip is a :data:`ZIP` with no names.

    The names come from the zip's central directory, which ``zipfile`` reads whole when it opens
    the archive: listing them all costs no more than opening it, and a message can count them
    all (:func:`name_list` shows a few)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        names = []
    files = [n.rsplit("/", 1)[-1] for n in names if not n.endswith("/")]
    if any(name.startswith("xl/") for name in names):
        return EXCEL, files
    if any(name.startswith("word/") for name in names):
        return WORD, files
    return ZIP, files


def name_list(names: list[str], shown: int = 5) -> str:
    """Return the first ``shown`` names, then how many more (``a.xml, b.xml en nog 2``)."""
    more = f" en nog {len(names) - shown}" if len(names) > shown else ""
    return ", ".join(one_line(name, 60) for name in names[:shown]) + more
