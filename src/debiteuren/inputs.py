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

try:
    from lzma import LZMAError
except ImportError:  # Pyodide (xlwings Lite) ships lzma as a package of its own

    class LZMAError(Exception):  # type: ignore[no-redef]
        """Never raised: without the lzma module zipfile unpacks no LZMA."""


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
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):  # a newer zip version
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


# --- The files in a zip -------------------------------------------------------------------------


class ZipRefused(Exception):
    """A zip file that is not read at all; ``problem`` says why, in Dutch."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def no_delivered_file(name: str) -> bool:
    """Return whether a name in a zip is a folder, or what macOS adds to a zip it makes (its
    ``__MACOSX/`` folder, ``.DS_Store``): nothing the sender delivered."""
    last = name.rstrip("/").rsplit("/", 1)[-1]
    return name.endswith("/") or name.startswith("__MACOSX/") or last == ".DS_Store"


def zip_members(
    data: bytes, *, max_files: int, max_bytes: int, documents: str, damaged: str, too_large: str
) -> list[tuple[str, bytes]]:
    """Return (name, content) of every file in a zip, in the order of their names (folders and
    what macOS adds left out: :func:`no_delivered_file`).

    A name is only for showing (on one line, cut at 100 characters), never a path. More than
    ``max_files`` files, more than ``max_bytes`` unpacked together (a zip bomb unpacks to far
    more than it holds: refused once the limit is passed, before the rest is unpacked), an
    encrypted file, a damaged zip or one packed in a way ``zipfile`` cannot unpack raise
    :class:`ZipRefused`.

    Args:
      documents: what the files are, in the plural ("afschriften", "e-facturen").
      damaged: what to do with a damaged zip ("download het opnieuw bij uw bank").
      too_large: what the files are not when the zip unpacks too large ("dat zijn geen
        rekeningafschriften").
    """
    import io
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not no_delivered_file(m.filename)]
            if len(members) > max_files:
                raise ZipRefused(
                    f"het zip-bestand bevat {len(members)} bestanden, meer dan de "
                    f"{max_files} die debiteuren in één keer leest; geef de {documents} in delen"
                )
            members.sort(key=lambda m: m.filename)  # stable: the same name in zip order
            found: list[tuple[str, bytes]] = []
            total = 0
            for member in members:
                name = one_line(member.filename, 100)
                if member.flag_bits & 0x1:
                    raise ZipRefused(
                        f"'{name}' in het zip-bestand is versleuteld; pak het uit met het "
                        f"wachtwoord en geef de {documents} zelf"
                    )
                with archive.open(member) as handle:
                    content = handle.read(max_bytes - total + 1)
                total += len(content)
                if total > max_bytes:
                    mb, rest = divmod(max_bytes, 1024 * 1024)
                    size = f"{mb} MB" if mb and not rest else f"{max_bytes} bytes"
                    raise ZipRefused(f"het zip-bestand is uitgepakt groter dan {size}; {too_large}")
                found.append((name, content))
    except (zipfile.BadZipFile, zlib.error, LZMAError, EOFError, OSError, ValueError):
        raise ZipRefused(f"het zip-bestand is beschadigd of onvolledig; {damaged}") from None
    except (NotImplementedError, RuntimeError):
        raise ZipRefused(
            "het zip-bestand is ingepakt op een manier die debiteuren niet kan lezen "
            f"(versleuteld of een andere compressie); pak het zelf uit en geef de {documents} "
            "die erin zitten"
        ) from None
    return found


def is_zip(data: bytes) -> bool:
    """Return True when ``data`` is a zip file that is no Office file (:func:`zip_contents`)."""
    return other_kind(data[:4]) == ZIP and zip_contents(data)[0] == ZIP
