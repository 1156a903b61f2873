"""The largest sheet of a workbook parsed by python-calamine in two halves at once (issue 17).

``bijwerken`` at 50,000 invoices waits about half a second for python-calamine to parse the
Facturen sheet (40 MB of XML) while the second core has nothing to do. python-calamine parses
without the GIL, so two threads can each parse half of the rows: the sheet's XML (already read
for the extent check, :class:`.read._CheckAside`) is cut before the row in its middle, and each
half becomes a small package of its own (the workbook's parts python-calamine reads for a sheet:
the workbook, its relationships, styles and shared strings; the sheet with the rows of its half)
in an unnamed temporary file (nothing else of the workbook is copied). The two grids are
joined into exactly the grid of the whole.

Only a sheet in the plain form is cut: every row and cell states its place (``<row r="7"``,
``<c r="B7"``), no comment, CDATA or processing instruction among the rows, no sheetData
named but where the rows start and end. A half whose cells fall outside its rows (a cell that
names a row of the other half, rows out of order) cannot be joined: the whole sheet is then
parsed as before. So can anything else that goes wrong: the result is the same either way,
only the time differs.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
import threading
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

__all__ = ["MIN_BYTES", "Halves", "parsed_in_halves"]

#: A sheet's XML from which it is parsed in two halves (about 10,000 invoices).
MIN_BYTES = 8 << 20

_SHEET_DATA = re.compile(rb"<sheetData\s*>")
_SHEET_DATA_END = b"</sheetData>"
_NAME = b"sheetData"
_ROW = b'<row r="'
#: How the row before the cut ends (with cells, or without).
_ROW_END = (b"</row>", b"/>")
#: An empty row element: its attributes in double quotes (no quote of another kind, no "<").
_EMPTY_ROW = re.compile(rb'<row(?:\s[^"\'<>]*(?:"[^"<>]*"[^"\'<>]*)*)?/>')
#: The bytes of shared strings, styles and the workbook a half's package may copy, besides a
#: quarter of the sheet's XML: each half parses them all, and a hostile part of a gigabyte would
#: be parsed twice at once (twice the memory of the whole parse) and written twice to disk.
_FEW_COPIED = 1 << 20
#: The places after the middle looked at for a row's start (a plain sheet's first is one).
_TRIES = 1000
#: What may hide text that looks like a row: the sheet is then parsed whole.
_HIDING = (b"<!--", b"<![CDATA[", b"<?")


class Halves:
    """A sheet parsed in two halves (:func:`parsed_in_halves`), joined by :meth:`to_python`
    as python-calamine's ``to_python(skip_empty_area=False)`` of the whole sheet."""

    def __init__(
        self,
        sheets: list[object],
        books: list[object],
        first_row: int,
        whole: Callable[[], object],
    ) -> None:
        self._sheets, self._books, self._first_row = sheets, books, first_row
        self._whole = whole

    def to_python(self, skip_empty_area: bool = False) -> list[list[object]]:
        """Return the grid of the whole sheet from A1 on: the halves joined, or (when a cell
        lies outside its half's rows, or asked again) the sheet parsed whole by ``whole``."""
        assert not skip_empty_area
        if not self._sheets:  # asked again (two tables on the sheet): the halves are let go
            return self._whole().to_python(skip_empty_area=False)  # type: ignore[attr-defined]
        try:
            early_sheet, late_sheet = self._sheets
            early = early_sheet.to_python(skip_empty_area=False)  # type: ignore[attr-defined]
            # from its first cell on: no empty rows above the half to make
            late = late_sheet.to_python(skip_empty_area=True)  # type: ignore[attr-defined]
            start = late_sheet.start if late else (0, 0)  # type: ignore[attr-defined]
        finally:
            self.close()
            _give_back()
        rows = _joined(early, late, start, self._first_row - 1)
        del early, late  # let go of before the whole parse makes a grid of its own
        if rows is None:
            return self._whole().to_python(skip_empty_area=False)  # type: ignore[attr-defined]
        return rows

    def close(self) -> None:
        """Let go of the parsed halves."""
        for book in self._books:
            with contextlib.suppress(Exception):
                book.close()  # type: ignore[attr-defined]
        self._books, self._sheets = [], []


def _give_back() -> None:
    """Return the memory the halves' parses freed to the system (glibc's ``malloc_trim``).

    python-calamine allocates a half's cells in the thread that parses it, from that thread's
    own malloc arena; freed, they stay with the process (25 MB at 50,000 invoices, which the
    save's peak then adds to: issue 17's memory goal). Nothing where there is no glibc.
    """
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _joined(
    early: list[list[object]], late: list[list[object]], start: tuple[int, int], cut: int
) -> list | None:
    """Return the rows of ``early`` (from A1; Excel rows before ``cut + 1``) and of ``late``
    (from its first cell at ``start``, 0-based; from row ``cut + 1`` on) as one grid from A1,
    every row as wide as the widest, as python-calamine gives the whole sheet; None when a half
    has a cell on the other side of the cut."""
    first, left = start
    if len(early) > cut or (late and first < cut):
        return None
    if left:
        late = [[""] * left + row for row in late]
    width = max(len(early[0]) if early else 0, len(late[0]) if late else 0)
    if not late:  # no cell from the cut on: the whole ends where the first half does
        rows = early
    else:
        rows = early
        rows += [[""] * width for _ in range(first - len(early))]
        rows += late
    for row in rows:
        if len(row) < width:
            row += [""] * (width - len(row))
    return rows


def parsed_in_halves(
    source: Path,
    parts: Sequence[str],
    part: str,
    title: str,
    data: bytes,
    whole: Callable[[], object],
) -> Halves | None:
    """Return sheet ``title`` (the part ``part`` of ``source``, whose XML is ``data``; each
    half's package holds ``parts`` of ``source`` too, :func:`.read.calamine_parts`) parsed
    by python-calamine in two halves at once; None when it is not cut (too small, not in the
    plain form, large other parts: :data:`_FEW_COPIED`) or a half could not be parsed: the
    caller then parses it whole, as ``whole`` does (the halves fall back on it when they
    cannot be joined)."""
    if len(data) < MIN_BYTES:
        return None
    cut = _cut(data)
    if cut is None:
        return None
    try:
        if _copied(source, parts, part) > max(len(data) // 4, _FEW_COPIED):
            return None  # the other parts are large: each half would parse them all
        # unnamed temporary files, opened by python-calamine through /proc (Linux, as the
        # check that comes before): no copy of the customers' data stays behind when stopped
        with tempfile.TemporaryFile() as early, tempfile.TemporaryFile() as late:
            return _parsed(source, parts, part, title, data, cut, (early, late), whole)
    except Exception:
        return None  # parsed whole instead, which names any damage


def _copied(source: Path, parts: Sequence[str], part: str) -> int:
    """Return the bytes of ``parts`` of ``source`` (but ``part``) each half's package copies
    (and python-calamine parses, for each half)."""
    with zipfile.ZipFile(source) as archive:
        return sum(archive.getinfo(name).file_size for name in parts if name != part)


def _parsed(
    source: Path,
    parts: Sequence[str],
    part: str,
    title: str,
    data: bytes,
    cut: tuple[int, int, int, int],
    files: tuple[IO[bytes], IO[bytes]],
    whole: Callable[[], object],
) -> Halves | None:
    """:func:`parsed_in_halves` of a sheet cut at ``cut`` (:func:`_cut`), its halves'
    packages written into ``files``."""
    start, middle, end, first_row = cut
    head, tail = data[:start], data[end:]
    for file, (a, b) in zip(files, ((start, middle), (middle, end)), strict=True):
        _package(source, parts, part, file, head, memoryview(data)[a:b], tail)
    paths = [f"/proc/self/fd/{file.fileno()}" for file in files]
    found: list[tuple[object, object] | None] = [None, None]
    other = threading.Thread(target=_parse, args=(paths[1], title, found, 1), daemon=True)
    other.start()
    _parse(paths[0], title, found, 0)
    other.join()
    if found[0] is None or found[1] is None:
        for one in found:
            if one is not None:
                with contextlib.suppress(Exception):
                    one[0].close()  # type: ignore[attr-defined]
        return None
    sheets, books = [f[1] for f in found], [f[0] for f in found]  # type: ignore[index]
    return Halves(sheets, books, first_row, whole)  # python-calamine holds its own files


def _cut(data: bytes) -> tuple[int, int, int, int] | None:
    """Return (where the rows start, where the second half starts, where the rows end, the
    second half's first row number) in a sheet's XML; None when it is not cut."""
    opening = _SHEET_DATA.search(data)
    end = data.rfind(_SHEET_DATA_END)
    if opening is None or end < opening.end():
        return None
    start = opening.end()
    if any(data.find(hiding, start, end) >= 0 for hiding in _HIDING):
        return None
    if not _sheet_data_only_at(data, opening.start(), end):
        return None
    middle = data.find(_ROW, (start + end) // 2, end)
    for _ in range(_TRIES):
        if middle <= 0 or _after_row(data, start, middle):
            break
        middle = data.find(_ROW, middle + 1, end)  # not after a row: no row starts there
    else:
        return None  # so many in a row: no plain sheet (each look costs, 1 s at 40 MB)
    if middle < 0:  # the last row is the longest: cut before it
        middle = data.rfind(_ROW, start + 1, end)
        if middle > 0 and not _after_row(data, start, middle):
            return None
    if middle <= start:  # one row, or none
        return None
    digits = re.match(rb'<row r="([0-9]{1,7})"', data[middle : middle + 20])
    if digits is None:
        return None
    return start, middle, end, int(digits.group(1))


def _sheet_data_only_at(data: bytes, opening: int, end: int) -> bool:
    """Return True when the sheet names its sheetData only where it opens (at ``opening``)
    and where it ends (at ``end``).

    python-calamine reads the cells from the first element of that name on to the first end
    of one, in any form (``</sheetData >``, ``<sheetData/>``, a prefix): one more before the
    cut's end would end the whole sheet's cells there but not the second half's, one after it
    could end a first half whose cut is no row's end.
    """
    after = end + len(_SHEET_DATA_END)
    return (
        data.find(_NAME) == opening + 1
        and data.find(_NAME, opening + 1 + len(_NAME), end) < 0
        and data.find(_NAME, after) < 0
    )


def _after_row(data: bytes, start: int, at: int) -> bool:
    """Return True when what comes before ``at`` (after white space) ends a row: a well-formed
    sheet starts a row there, and nothing else does.

    An empty element must be a row (``<row r="7" ht="20"/>``): after an empty cell, the next
    row's cells without a place follow it in the whole sheet (python-calamine counts the
    columns on until a row ends), in a half they would start at column A.
    """
    before = data[max(start, at - 256) : at].rstrip()
    if before.endswith(_ROW_END[0]):
        return True
    return (
        before.endswith(_ROW_END[1])
        and _EMPTY_ROW.fullmatch(before, before.rfind(b"<")) is not None
    )


def _package(
    source: Path,
    parts: Sequence[str],
    part: str,
    into: IO[bytes],
    head: bytes,
    rows: memoryview,
    tail: bytes,
) -> None:
    """Write into ``into`` a package with ``parts`` of ``source`` and, as ``part``, the sheet
    with only ``rows`` (stored, not compressed)."""
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(into, "w") as out:
        for name in parts:
            if name != part:
                out.writestr(name, archive.read(name))
        with out.open(part, "w", force_zip64=True) as sheet:
            sheet.write(head)
            sheet.write(rows)
            sheet.write(tail)
    into.flush()


def _parse(path: str, title: str, found: list, k: int) -> None:
    """Put (the book, its sheet ``title``) of the package at ``path`` in ``found[k]``; leave
    None when python-calamine cannot parse it."""
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(path)
        try:
            found[k] = (book, book.get_sheet_by_name(title))
        except BaseException:
            with contextlib.suppress(Exception):
                book.close()
            raise
    except BaseException:
        pass
