"""File names built from data: one safe name, and a check that a path stays in its folder.

A Klantnr, a customer name or an invoice number is data from the workbook or from outside (an
e-invoice). Put into a file name as it is, ``../../x``, ``/etc/x``, ``..\\x``, ``a/b``, ``CON``
or a control character writes somewhere else, or fails halfway. Every output name we build from
data goes through :func:`safe_name`, and the path through :func:`inside`.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

from .errors import DebiteurenError

__all__ = [
    "WORKBOOK_SUFFIXES",
    "OutsideFolder",
    "data_path",
    "existing_file",
    "inside",
    "is_inside",
    "safe_name",
    "shown_name",
]

#: The endings of the workbooks debiteuren reads (and Excel opens as such).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

#: Longest name part we make (a whole file name stays well below 255 bytes).
MAX_NAME = 80
#: And in bytes (UTF-8): Linux and macOS allow 255 bytes per name, and 80 characters of a
#: script with three or four bytes per character (Chinese, CJK Extension B) are 240 to 320.
#: With the hash of ``distinct`` the part stays under 128 bytes, which leaves room for what
#: the caller adds ("-ingebrekestelling-post.docx").
MAX_NAME_BYTES = 120

#: Device names Windows reserves, with or without an extension (``CON.docx`` too).
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{kind}{n}" for kind in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")}
)
_DASHES = re.compile(r"-{2,}")
#: What a message cannot show of a file name: a byte that is no UTF-8 (Python keeps it as a
#: lone surrogate, which no terminal or cell can print) and the control characters (C0, DEL,
#: C1) a name on Linux or macOS may hold (a line break, an escape sequence).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class OutsideFolder(DebiteurenError):
    """A path built from data would leave its folder."""

    def __init__(self, name: str, folder: Path) -> None:
        super().__init__(
            f"De bestandsnaam '{name}' zou buiten de map {folder} komen; daar schrijft "
            "debiteuren niet. Er is niets geschreven."
        )


def safe_name(text: str, *, fallback: str = "naamloos", distinct: bool = False) -> str:
    """Return ``text`` as one safe part of a file name.

    Letters and digits (of any script) stay, as do ``-``, ``_`` and ``.``; everything else
    (``/``, ``\\``, ``:``, spaces, control characters) becomes ``-``. Leading and trailing dots
    and dashes go (no ``..``, no hidden file, no name Windows trims), Windows device names get
    a ``_`` in front, and the result is at most :data:`MAX_NAME` characters and
    :data:`MAX_NAME_BYTES` bytes (UTF-8; with ``distinct`` seven more).

    Args:
      text: the data, e.g. a Klantnr.
      fallback: the name when nothing is left.
      distinct: when the name had to change, add six characters of the text's hash, so that
        two different texts (``a/b`` and ``a-b``) never give the same file name.
    Returns:
      The name part.

    >>> safe_name("K001"), safe_name("../../etc/passwd"), safe_name("CON")
    ('K001', 'etc-passwd', '_CON')
    """
    name = unicodedata.normalize("NFKC", text)
    name = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name)
    name = _DASHES.sub("-", name).strip(".-_ ")[:MAX_NAME]
    while len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        name = name[:-1]
    name = name.rstrip(".-_ ") or fallback
    if name.split(".", 1)[0].upper() in _RESERVED:
        name = "_" + name
    if distinct and name != text:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:6]
        name = f"{name}-{digest}"
    return name


def shown_name(path: Path) -> str:
    """Return a file's name as a message shows it: each byte that is no UTF-8 and each
    control character becomes the replacement character U+FFFD.

    A name given on the command line may hold both (a file saved under another code page, a
    name with a line break); printed as it is, the first stops the program with a
    UnicodeEncodeError and the second breaks the line.

    >>> shown_name(Path("factuur\\udcff.xml")), shown_name(Path("a\\nb.xml"))
    ('factuur�.xml', 'a�b.xml')
    """
    name = path.name
    return _UNSHOWABLE.sub("\ufffd", name) if _UNSHOWABLE.search(name) else name


def is_inside(folder: Path, path: Path) -> bool:
    """Return True when ``path`` (links followed) is ``folder`` or lies below it."""
    base = Path(os.path.realpath(folder))
    target = Path(os.path.realpath(path))
    return target == base or base in target.parents


def inside(folder: Path, name: str) -> Path:
    """Return ``folder / name`` after checking that it stays inside ``folder``.

    Raises:
      OutsideFolder: ``name`` is absolute, climbs out with ``..`` or goes through a link that
        points elsewhere.
    """
    target = Path(folder) / name
    if Path(name).is_absolute() or Path(name).drive or not is_inside(folder, target):
        raise OutsideFolder(name, Path(folder))
    return target


def data_path(name: str, base: Path, folder: Path) -> Path | None:
    """Return the path a file name from data stands for, when it names a place in ``folder``.

    Decided on the text alone, before the file system is asked anything: a name that leaves
    ``folder`` (absolute elsewhere, ``..``, another drive, a UNC path ``\\\\server\\share``)
    is never looked up. On Windows looking up a UNC path connects to that server and offers it
    the user's login; anywhere a lookup tells whether a file exists outside the folder. A
    backslash separates folders, as on Windows, where the user typed the name (a workbook made
    there and used on macOS or Linux names ``facturen\\2026-0116.pdf``).

    Args:
      name: a file name as data holds it (the Bestand column of Acties, a Factuur-pdf cell).
      base: the folder a relative name starts from (the workbook's folder).
      folder: the folder the file must lie in (itself trusted: it may be reached by a link).
    Returns:
      The path, ``..`` removed but links not followed (:func:`existing_file` and
      :func:`is_inside` follow them), or None when the text leaves ``folder``.
    """
    if not name or "\x00" in name:
        return None
    # an absolute text replaces ``base``; on POSIX normpath keeps the // of //server/share
    candidate = Path(os.path.abspath(Path(base, name.replace("\\", "/"))))
    for root in {Path(os.path.abspath(folder)), Path(os.path.realpath(folder))}:
        if candidate == root or root in candidate.parents:
            return candidate
    return None


def existing_file(name: str, base: Path) -> Path | None:
    """Return the regular file a name from data stands for, links and ``..`` resolved.

    Args:
      name: a file name as data holds it (the Bestand column of Acties, a Factuur-pdf cell);
        relative to ``base`` unless absolute.
      base: the folder a relative name starts from (the workbook's folder).
    Returns:
      The resolved file, or None when ``name`` is empty, names nothing or no regular file.
      Whether it may be used is the caller's question: :func:`is_inside` its folder.
    """
    if not name or "\x00" in name:
        return None
    candidate = Path(name)
    if not candidate.is_absolute():
        candidate = Path(base) / candidate
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    return resolved if resolved.is_file() else None
