"""Change an .xlsx package in place of a full openpyxl load and save.

``bijwerken`` changes two things in the workbook: some cells of the Facturen sheet (the computed
columns) and the Overzicht sheet (regenerated). A full openpyxl load and save of a workbook with
50,000 invoices takes most of the run, and it drops what openpyxl does not know (charts and
images on the user's own sheets, pivot tables, slicers, ...). A :class:`Patch` instead:

- rewrites only the rows of the worksheet XML that change, as text: every other row is copied
  character for character. A number is written as ``<v>``, a text as an inline string
  (``t="inlineStr"``, so the shared strings need not change), a date as its serial day number
  with a date format. A cell keeps its style; where the column asks for a number format and the
  cell has none (General), a copy of the cell's style with that format is added to styles.xml,
  as openpyxl does when a number format is set;
- replaces a sheet by the same sheet of a small workbook that openpyxl wrote (the Overzicht with
  its chart): the sheet's XML, its drawing and chart parts with their relationships and content
  types, and the styles it uses, merged into styles.xml (an identical style is reused, so a
  daily run does not grow the file);
- copies every other part of the package unchanged (its compressed bytes as they are), and drops
  ``xl/calcChain.xml`` (Excel rebuilds it; a stale one would point at cells that no longer hold
  a formula).

New rows (a use case's rows appended to a table) are inserted in order, the sheet's dimension
grows with them, and :meth:`Patch.set_table_ref` gives the Excel Table (``xl/tables/*.xml``) its
new range. Anything the patcher does not expect
(a sheet that is missing, XML comments in the cell data, a strict-OOXML or non-UTF-8 part)
raises :class:`UnexpectedStructure` before anything is written; the caller then falls back to
openpyxl.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import posixpath
import re
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple
from xml.sax.saxutils import escape

from lxml import etree
from openpyxl.utils.datetime import to_excel

from ..untrusted import xlsx_text
from . import inflated
from .cells import needs_quote_prefix

if TYPE_CHECKING:
    from .aside import Aside

__all__ = ["BadPart", "CellValue", "Patch", "SharedFormula", "UnexpectedStructure"]

#: What a cell can be set to: None empties it (its style stays); a datetime keeps its time.
CellValue = str | int | float | Decimal | date | datetime | None

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
CALC_CHAIN = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"
STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

#: Day 0 of Excel's 1900 date system (every date debiteuren writes is after 1-3-1900, past the
#: day 29-2-1900 that system counts), and of the 1904 system of workbooks made by Excel for Mac
#: before 2011 (``<workbookPr date1904="1"/>``; Excel keeps it when it opens them).
_EXCEL_EPOCH = date(1899, 12, 30)
_MAC_EPOCH = date(1904, 1, 1)
_DEFAULT_DATE_FORMAT = "dd-mm-yyyy"
_FIRST_CUSTOM_FORMAT = 164


class BadPart(zipfile.BadZipFile):
    """A part of the package does not unpack as its zip entry says."""

    def __init__(self, part: str, reason: str) -> None:
        super().__init__(f"{part}: {reason}")
        self.part = part


class UnexpectedStructure(Exception):
    """The package is not shaped as the patcher expects; use openpyxl instead."""


class SharedFormula(UnexpectedStructure):
    """A cell to write is the first of a shared or array formula (a formula filled down a
    column debiteuren writes): the other cells depend on it."""


# --- package parts and relationships -----------------------------------------------------------


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(source: str, target: str) -> str:
    """Return the part name a relationship of ``source`` points at (no leading slash)."""
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _parse(data: bytes) -> etree._Element:
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise UnexpectedStructure(str(exc)) from exc


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class _Rels:
    """One .rels part: relationship id -> (type, target as written, target mode)."""

    def __init__(self, source: str, data: bytes | None) -> None:
        self.source = source
        self.root = (
            _parse(data)
            if data is not None
            else etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})
        )

    def items(self) -> list[etree._Element]:
        return [el for el in self.root if etree.QName(el).localname == "Relationship"]

    def internal_targets(self) -> list[tuple[str, str, str]]:
        """Return (id, type, part name) of the relationships inside the package."""
        return [
            (el.get("Id", ""), el.get("Type", ""), _resolve(self.source, el.get("Target", "")))
            for el in self.items()
            if el.get("TargetMode") != "External"
        ]


class _Package:
    """The parts of a zip package: read lazily, changed parts kept in memory."""

    def __init__(self, source: Path | IO[bytes]) -> None:
        try:
            self.zip = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError) as exc:
            raise UnexpectedStructure(str(exc)) from exc
        self.infos = {info.filename: info for info in self.zip.infolist()}
        self.changed: dict[str, bytes | bytearray | _Pieces] = {}
        self.deleted: set[str] = set()
        self._workers: ThreadPoolExecutor | None = None
        self._deflating: dict[str, Future[_Deflated]] = {}

    def names(self) -> set[str]:
        return (set(self.infos) | set(self.changed)) - self.deleted

    def has(self, name: str) -> bool:
        return name in self.names()

    def read(self, name: str) -> bytes:
        if name in self.deleted:
            raise KeyError(name)
        if name in self.changed:
            self._settled(name)  # a thread that still reads it is done first
            # a sheet patched row by row is a bytearray; one with rows appended, _Pieces
            return bytes(self.changed[name])
        return self.zip.read(name)

    def rels(self, part: str) -> _Rels:
        name = _rels_name(part)
        return _Rels(part, self.read(name) if self.has(name) else None)

    def put(self, name: str, data: bytes | bytearray | _Pieces) -> None:
        self._discard(name)
        self.deleted.discard(name)
        _close_pieces(self.changed.get(name))
        self.changed[name] = data

    def delete(self, name: str) -> None:
        self._discard(name)
        _close_pieces(self.changed.pop(name, None))
        if name in self.infos:
            self.deleted.add(name)

    def put_deflating(self, name: str, data: _Deflating) -> None:
        """:meth:`put` a part deflated while it was made: written as deflated there."""
        self.put(name, data)
        self._deflating[name] = data.finish()

    def deflate_soon(self, name: str) -> None:
        """Start deflating the changed part ``name`` in a thread (zlib and hashlib let other
        threads run meanwhile): the save then writes it as it is. A later change of the part
        makes it be deflated again."""
        data = self.changed.get(name)
        if data is None or name in self._deflating:
            return
        self._deflating[name] = self._pool().submit(_deflate, _chunks(data))

    def _pool(self) -> ThreadPoolExecutor:
        """Return the threads that deflate and read parts for the save (made once)."""
        if self._workers is None:
            self._workers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="deflate")
        return self._workers

    def _discard(self, name: str) -> None:
        """Forget the deflated bytes of ``name`` (the part is about to change)."""
        deflated = self._settled(name, drop=True)
        if deflated is not None:
            deflated.pieces.close()

    def _settled(self, name: str, *, drop: bool = False) -> _Deflated | None:
        """Wait for the thread deflating ``name``, if any; return its result (and forget it
        when ``drop``: the part is about to change)."""
        found = self._deflating.pop(name, None) if drop else self._deflating.get(name)
        if found is None:
            return None
        try:
            return found.result()
        except Exception:  # deflated again when written, where the error then shows
            self._deflating.pop(name, None)
            return None

    def write(
        self,
        target: Path | io.BytesIO,
        progress: Callable[[int, int], None] | None = None,
        last: tuple[str, Callable[[dict[str, str]], bytes]] | None = None,
    ) -> None:
        """Write the package: unchanged parts copied, changed parts deflated.

        Args:
          progress: called with (bytes written, bytes in all) after each part (uncompressed).
          last: (part name, make): the part is written after all others, with the bytes
            ``make`` returns when given part name -> SHA-256 (hex) of every other part's bytes.
        """
        hashes: dict[str, str] = {}
        final = last[0] if last else None
        sizes = {n: len(d) for n, d in self.changed.items()}
        for name, info in self.infos.items():
            sizes.setdefault(name, info.file_size)
        total = max(1, sum(size for name, size in sizes.items() if name not in self.deleted))
        done = 0
        copies = self._copies(final)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            written = set()
            stamp = (1980, 1, 1, 0, 0, 0)
            for name, info in self.infos.items():
                if name in self.deleted or name == final:
                    continue
                stamp = info.date_time
                if name in self.changed:
                    digest = self._write_changed(out, _info(name, info.date_time), name, last)
                    if digest is not None:
                        hashes[name] = digest
                elif name in copies:
                    hashes[name] = _write_deflated(out, _copy_info(info), copies[name].result())
                else:
                    hashes[name] = _copy(self.zip, info, out)
                written.add(name)
                done += sizes[name]
                if progress:
                    progress(done, total)
            for name in list(self.changed):
                if name not in written and name != final:
                    digest = self._write_changed(out, _info(name, stamp), name, last)
                    if digest is not None:
                        hashes[name] = digest
                    done += sizes[name]
                    if progress:
                        progress(done, total)
            if last is not None and final is not None:
                if final in self.infos:
                    stamp = self.infos[final].date_time
                out.writestr(_info(final, stamp), last[1](hashes), **_FAST)

    def _copies(self, final: str | None) -> dict[str, Future[_Deflated]]:
        """Start reading the unchanged parts that are copied as compressed (with their
        digests), and deflating the large changed ones, in threads; return the copies."""
        source = getattr(self.zip, "filename", None)
        if not source:  # a package in memory: copied part by part, as zipfile does
            return {}
        for name, data in self.changed.items():
            if name != final and len(data) >= _THREAD_BYTES:
                self.deflate_soon(name)
        return {
            name: self._pool().submit(_compressed, source, info)
            for name, info in self.infos.items()
            if name not in self.changed
            and name not in self.deleted
            and name != final
            and _copied_as_compressed(info)
        }

    def _write_changed(
        self, out: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, last: object
    ) -> str | None:
        """Write the changed part ``name`` (deflated in a thread, or here); return its digest
        when ``last``."""
        deflated = self._settled(name, drop=True) or _deflate(_chunks(self.changed[name]))
        digest = _write_deflated(out, info, deflated)
        return digest if last else None

    def close(self) -> None:
        for name in list(self._deflating):
            self._discard(name)
        if self._workers is not None:
            self._workers.shutdown(wait=True)
            self._workers = None
        for data in self.changed.values():
            _close_pieces(data)
        self.zip.close()


class _Pieces:
    """A changed part held as pieces, the large ones in a temporary file (issue 17).

    The rows ``betalingen`` appends to Betalingen (100,000 from one large statement) are 70 MB
    of XML: held as text and then as bytes beside everything else the run holds, they made the
    run's peak. Written to a temporary file as they are made, and copied from there into the
    package when it is written, they take next to no memory. ``bytes(pieces)`` gives the whole
    part (when it is changed once more).
    """

    def __init__(self) -> None:
        self._pieces: list[bytes | bytearray | memoryview | tuple[int, int]] = []
        self._file: IO[bytes] | None = None
        self._size = 0
        self._tail = bytearray()  # what ``+=`` added last, until it reaches _CHUNK

    @classmethod
    def of_file(cls, file: IO[bytes], size: int) -> _Pieces:
        """Return the pieces of the first ``size`` bytes of ``file`` (then owned and closed
        by them)."""
        pieces = cls()
        pieces._file, pieces._pieces, pieces._size = file, [(0, size)], size
        return pieces

    def __len__(self) -> int:
        return self._size

    def __bytes__(self) -> bytes:
        return b"".join(self.chunks())

    def __iadd__(self, data: bytes | bytearray) -> _Pieces:
        """Add ``data``: gathered in memory up to about a megabyte, then to the temporary file
        (a whole patched sheet, written piece by piece, is not held)."""
        self._tail += data
        self._size += len(data)
        if len(self._tail) >= _CHUNK:
            start = self._open().seek(0, io.SEEK_END)
            self._open().write(self._tail)
            self._pieces.append((start, len(self._tail)))
            self._tail = bytearray()
        return self

    def _open(self) -> IO[bytes]:
        if self._file is None:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by close())
        return self._file

    def _flush(self) -> None:
        if self._tail:
            self._pieces.append(self._tail)
            self._tail = bytearray()

    def add(self, data: bytes | bytearray | memoryview) -> None:
        """Add ``data`` (held as it is)."""
        self._flush()
        self._pieces.append(data)
        self._size += len(data)

    def add_pieces(self, other: _Pieces) -> None:
        """Add the pieces of ``other`` (which then holds nothing)."""
        self._flush()
        other._flush()
        if other._file is not None:
            if self._file is not None:
                raise ValueError("one temporary file per part")
            self._file, other._file = other._file, None
        self._pieces += other._pieces
        self._size += other._size
        other._pieces, other._size = [], 0

    def spool(self, texts: Iterable[str]) -> None:
        """Add ``texts``, encoded, through the temporary file."""
        self._flush()
        file = self._open()
        start = file.seek(0, io.SEEK_END)
        batch: list[str] = []
        held = 0
        for text in texts:
            batch.append(text)
            held += len(text)
            if held >= _CHUNK:
                file.write("".join(batch).encode("utf-8"))
                batch, held = [], 0
        file.write("".join(batch).encode("utf-8"))
        end = file.tell()
        self._pieces.append((start, end - start))
        self._size += end - start

    def chunks(self) -> Iterable[bytes | bytearray | memoryview]:
        """Yield the part's bytes in order (pieces of at most about a megabyte from the file)."""
        for piece in (*self._pieces, self._tail):
            if not isinstance(piece, tuple):
                yield piece
                continue
            assert self._file is not None
            start, length = piece
            self._file.seek(start)
            while length > 0:
                chunk = self._file.read(min(length, _CHUNK))
                if not chunk:
                    raise OSError("temporary file ended early")
                length -= len(chunk)
                yield chunk

    def close(self) -> None:
        """Remove the temporary file."""
        if self._file is not None:
            self._file.close()
            self._file = None


def _close_pieces(data: object) -> None:
    if isinstance(data, _Pieces | _Deflating):
        data.close()


#: Deflate level of a changed part: 3 instead of zlib's 6 deflates the 40 MB Facturen sheet of
#: 50,000 invoices twice as fast for a file about 15 % larger (issue 17).
_FAST = {"compresslevel": 3}


class _Deflated(NamedTuple):
    """A part deflated for the package: the compressed stream, in pieces, and what the zip
    entry and the seal need of the bytes (their CRC-32, size and SHA-256)."""

    pieces: _Pieces | _Span
    crc: int
    size: int
    compressed: int
    sha256: str


#: A changed part at least this large is deflated in a thread while the save goes on.
_THREAD_BYTES = 1 << 20

#: Above this size a zip entry needs the ZIP64 extensions: such a package is not patched
#: (UnexpectedStructure; no workbook read gets there, :data:`.read.MAX_UNPACKED`).
_ZIP32 = (1 << 32) - 1


def _chunks(
    data: bytes | bytearray | _Pieces | _Deflating,
) -> Iterable[bytes | bytearray | memoryview]:
    return data.chunks() if isinstance(data, _Pieces | _Deflating) else (data,)


def _deflate(chunks: Iterable[bytes | bytearray | memoryview]) -> _Deflated:
    """Deflate ``chunks`` as zipfile does for :data:`_FAST` (the same bytes)."""
    compressor = zlib.compressobj(_FAST["compresslevel"], zlib.DEFLATED, -15)
    pieces = _Pieces()  # a large part's compressed bytes wait in a temporary file
    crc, size, sha = 0, 0, hashlib.sha256()
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        sha.update(chunk)
        if piece := compressor.compress(chunk):
            pieces += piece
    pieces += compressor.flush()
    return _Deflated(pieces, crc, size, len(pieces), sha.hexdigest())


class _Deflating:
    """A changed part deflated in a thread while it is made (issue 17).

    The patched Facturen sheet of 50,000 invoices is 40 MB of XML: deflating it took most of
    half a second after it was made, and it waited in a temporary file meanwhile. Given to the
    deflater a piece at a time as the rows are patched (``+=``), it is deflated on the second
    core while the next rows are; only the compressed bytes are kept. Deflated as
    :func:`_deflate` deflates the whole part: the same bytes (a deflate stream does not depend
    on how its input is cut), CRC-32, size and SHA-256. Read again (``bytes()``,
    :meth:`chunks`), the part is inflated from them.
    """

    def __init__(self) -> None:
        self._compressor = zlib.compressobj(_FAST["compresslevel"], zlib.DEFLATED, -15)
        self._pieces = _Pieces()
        self._crc, self._size, self._sha = 0, 0, hashlib.sha256()
        self._worker: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="deflate"
        )
        self._done: Future[_Deflated] | None = None
        self._failed: BaseException | None = None

    def __len__(self) -> int:
        return self._size

    def __iadd__(self, data: bytes) -> _Deflating:
        """Add ``data`` (bytes, not changed afterwards) to the part."""
        if self._worker is None or self._done is not None:
            raise ValueError("the part is finished")
        self._size += len(data)
        self._worker.submit(self._deflate, data)  # one thread: in the order given
        return self

    def _deflate(self, data: bytes) -> None:
        if self._failed is not None:
            return
        try:
            self._crc = zlib.crc32(data, self._crc)
            self._sha.update(data)
            if piece := self._compressor.compress(data):
                self._pieces += piece
        except BaseException as exc:  # given when the result is taken
            self._failed = exc

    def finish(self) -> Future[_Deflated]:
        """Return the part deflated (when every piece added is)."""
        if self._done is None:
            assert self._worker is not None
            self._done = self._worker.submit(self._finish)
            self._worker.shutdown(wait=False)
        return self._done

    def _finish(self) -> _Deflated:
        if self._failed is not None:
            raise self._failed
        self._pieces += self._compressor.flush()
        compressed = len(self._pieces)
        return _Deflated(self._pieces, self._crc, self._size, compressed, self._sha.hexdigest())

    def __bytes__(self) -> bytes:
        return b"".join(self.chunks())

    def chunks(self) -> Iterator[bytes]:
        """Yield the part's bytes, inflated from the deflated ones."""
        deflated = self.finish().result()
        inflate = zlib.decompressobj(-15)
        for piece in deflated.pieces.chunks():
            data = piece
            while data:
                yield inflate.decompress(data, _CHUNK)
                data = inflate.unconsumed_tail
        while not inflate.eof and (plain := inflate.decompress(b"", _CHUNK)):
            yield plain

    def close(self) -> None:
        """Stop the thread and remove the compressed bytes."""
        if self._worker is not None:
            self._failed = self._failed or ValueError("closed")  # what is queued is skipped
            self._worker.shutdown(wait=True)
            self._worker = None
        self._pieces.close()


class _Span:
    """The compressed bytes of an entry as they stand in a zip file, read when written."""

    def __init__(self, source: str, start: int, length: int) -> None:
        self.source, self.start, self.length = source, start, length

    def chunks(self) -> Iterator[bytes]:
        with open(self.source, "rb") as file:
            file.seek(self.start)
            left = self.length
            while left > 0:
                piece = file.read(min(left, _CHUNK))
                if not piece:
                    raise BadPart(self.source, "cut off")
                left -= len(piece)
                yield piece

    def close(self) -> None:
        """Nothing is held."""


def _copied_as_compressed(info: zipfile.ZipInfo) -> bool:
    """Return True when an unchanged entry can be copied with its compressed bytes as they
    are: stored or deflated, not encrypted, and small enough for a plain zip entry."""
    return (
        info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        and not info.flag_bits & 0x1
        and max(info.file_size, info.compress_size, info.header_offset) < _ZIP32
    )


def _compressed(source: str, info: zipfile.ZipInfo) -> _Deflated:
    """Return an entry of the zip file ``source`` as compressed there, checked: its bytes are
    inflated once for their digest, and must have the size and CRC-32 the zip gives them."""
    with open(source, "rb") as file:
        file.seek(info.header_offset)
        head = file.read(30)
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            raise BadPart(info.filename, "no local header")
        name_length, extra_length = struct.unpack("<HH", head[26:30])
    pieces = _Span(source, info.header_offset + 30 + name_length + extra_length, info.compress_size)
    crc, size, sha = 0, 0, hashlib.sha256()
    for plain in _inflated(pieces.chunks(), info):
        crc, size = zlib.crc32(plain, crc), size + len(plain)
        if size > info.file_size:  # more than the zip says: stop before it fills the memory
            break
        sha.update(plain)
    if (crc, size) != (info.CRC, info.file_size):
        raise BadPart(info.filename, "CRC or size does not match")
    return _Deflated(pieces, crc, size, info.compress_size, sha.hexdigest())


def _inflated(pieces: Iterable[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield an entry's bytes from its compressed ``pieces``, a megabyte at most at a time."""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        yield from pieces
        return
    inflate = zlib.decompressobj(-15)
    try:
        for piece in pieces:
            data = piece
            while data:
                yield inflate.decompress(data, 1 << 20)
                data = inflate.unconsumed_tail
        while not inflate.eof and (plain := inflate.decompress(b"", 1 << 20)):
            yield plain
        yield inflate.flush()
    except zlib.error as exc:
        raise BadPart(info.filename, str(exc)) from exc
    if not inflate.eof:
        raise BadPart(info.filename, "deflate stream cut off")


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """Return the entry for a copy of ``info``: its name, time, attributes and compression."""
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.compress_type = info.compress_type
    copy.external_attr = info.external_attr
    copy.create_system = info.create_system
    copy.comment = info.comment
    return copy


def _write_deflated(out: zipfile.ZipFile, info: zipfile.ZipInfo, data: _Deflated) -> str:
    """Write an entry whose compressed bytes are ready; return the SHA-256 of its bytes.

    Written as zipfile writes an entry to a file it can seek in (a local header with the
    sizes and CRC, no data descriptor), and given to zipfile's list for its central directory.
    """
    if max(data.size, data.compressed, out.fp.tell()) >= _ZIP32:  # type: ignore[union-attr]
        raise UnexpectedStructure("part too large for a plain zip entry")
    info.flag_bits = 0
    info.CRC, info.file_size, info.compress_size = data.crc, data.size, data.compressed
    info.header_offset = out.fp.tell()  # type: ignore[union-attr]
    out.fp.write(info.FileHeader(False))  # type: ignore[union-attr]
    for piece in data.pieces.chunks():
        out.fp.write(piece)  # type: ignore[union-attr]
    data.pieces.close()
    out.filelist.append(info)
    out.NameToInfo[info.filename] = info
    out.start_dir = out.fp.tell()  # type: ignore[union-attr]
    return data.sha256


def _info(name: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def _copy(source: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> str:
    """Copy one entry with its original compression, name, time and attributes; return the
    SHA-256 (hex) of its bytes."""
    copy = _copy_info(info)
    digest = hashlib.sha256()
    with source.open(info) as src, out.open(copy, "w") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
            digest.update(chunk)
    return digest.hexdigest()


# --- content types ------------------------------------------------------------------------------


class _ContentTypes:
    def __init__(self, data: bytes) -> None:
        self.root = _parse(data)
        self.changed = False

    def _overrides(self) -> dict[str, etree._Element]:
        return {
            el.get("PartName", "").lstrip("/"): el
            for el in self.root
            if etree.QName(el).localname == "Override"
        }

    def of(self, part: str) -> str | None:
        found = self._overrides().get(part)
        if found is not None:
            return found.get("ContentType")
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        for el in self.root:
            if etree.QName(el).localname == "Default" and el.get("Extension", "").lower() == ext:
                return el.get("ContentType")
        return None

    def remove(self, part: str) -> None:
        found = self._overrides().get(part)
        if found is not None:
            self.root.remove(found)
            self.changed = True

    def add(self, part: str, content_type: str) -> None:
        if self.of(part) == content_type:
            return
        self.remove(part)
        etree.SubElement(
            self.root, f"{{{CT_NS}}}Override", PartName="/" + part, ContentType=content_type
        )
        self.changed = True


# --- styles -------------------------------------------------------------------------------------


def _id_number(text: str) -> int | None:
    """Return a part's numeric id (a ``numFmtId``, a ``sheetId``: at most ten digits) as a
    number, or None when it is none (``"x"``, ``"²"``: a damaged or hostile part; ``int``
    stopped the save with a ValueError, found by fuzzing)."""
    return int(text) if 0 < len(text) <= 10 and text.isascii() and text.isdigit() else None


def _canon(el: etree._Element) -> tuple:
    """Return a comparable form of an element, independent of namespace prefixes."""
    return (
        etree.QName(el).localname,
        tuple(sorted((etree.QName(k).localname, v) for k, v in el.attrib.items())),
        (el.text or "").strip(),
        tuple(_canon(child) for child in el if isinstance(child.tag, str)),
    )


def _builtin_formats() -> dict[int, str]:
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    return dict(BUILTIN_FORMATS)


def _is_date_format(code: str) -> bool:
    from openpyxl.styles.numbers import is_date_format

    return bool(is_date_format(code))


class _Styles:
    """styles.xml: number formats, cell formats (xf) and the parts they point at."""

    def __init__(self, data: bytes) -> None:
        self.root = _parse(data)
        if etree.QName(self.root).namespace != MAIN_NS:
            raise UnexpectedStructure("styles.xml is not transitional SpreadsheetML")
        self.changed = False
        self.builtin = _builtin_formats()
        self._derived: dict[tuple[int, str], int] = {}
        self._codes: dict[int, str] = {}

    def _list(self, name: str, create_before: Iterable[str] = ()) -> etree._Element:
        found = self.root.find(f"{{{MAIN_NS}}}{name}")
        if found is None:
            found = etree.Element(f"{{{MAIN_NS}}}{name}", count="0")
            anchor = None
            for later in create_before:
                anchor = self.root.find(f"{{{MAIN_NS}}}{later}")
                if anchor is not None:
                    break
            if anchor is not None:
                anchor.addprevious(found)
            else:
                self.root.insert(0, found)
        return found

    def _items(self, name: str) -> list[etree._Element]:
        found = self.root.find(f"{{{MAIN_NS}}}{name}")
        return [] if found is None else [el for el in found if isinstance(el.tag, str)]

    def _append(self, name: str, el: etree._Element) -> int:
        parent = self._list(name)
        parent.append(el)
        count = len([c for c in parent if isinstance(c.tag, str)])
        parent.set("count", str(count))
        self.changed = True
        return count - 1

    def xfs(self) -> list[etree._Element]:
        return self._items("cellXfs")

    def format_code(self, style: int) -> str:
        """Return the number format code of cell style ``style`` ("General" when unknown)."""
        code = self._codes.get(style)
        if code is None:
            code = self._codes[style] = self._format_code(style)
        return code

    def _format_code(self, style: int) -> str:
        xfs = self.xfs()
        if not 0 <= style < len(xfs):
            return "General"
        number = _id_number(xfs[style].get("numFmtId", "0"))
        if number is None:  # no number: a damaged style, read as Excel reads it
            return "General"
        for el in self._items("numFmts"):
            if _id_number(el.get("numFmtId", "")) == number:
                return el.get("formatCode", "General")
        return self.builtin.get(number, "General")

    def format_id(self, code: str) -> int:
        """Return the numFmtId of ``code``, adding a custom number format when needed."""
        for number, builtin in self.builtin.items():
            if builtin == code:
                return number
        ids = []
        for el in self._items("numFmts"):
            number = _id_number(el.get("numFmtId", ""))
            if number is None:
                continue  # a damaged entry no cell can name
            if el.get("formatCode") == code:
                return number
            ids.append(number)
        new = max([_FIRST_CUSTOM_FORMAT - 1, *ids]) + 1
        el = etree.Element(f"{{{MAIN_NS}}}numFmt", numFmtId=str(new), formatCode=code)
        parent = self._list("numFmts", ("fonts", "fills", "borders", "cellStyleXfs", "cellXfs"))
        parent.append(el)
        parent.set("count", str(len([c for c in parent if isinstance(c.tag, str)])))
        self.changed = True
        return new

    def _find_or_add(self, name: str, el: etree._Element) -> int:
        wanted = _canon(el)
        for i, existing in enumerate(self._items(name)):
            if _canon(existing) == wanted:
                return i
        return self._append(name, el)

    def with_format(self, style: int, code: str) -> int:
        """Return a cell style like ``style`` but with number format ``code``."""

        def change(xf: etree._Element) -> None:
            xf.set("numFmtId", str(self.format_id(code)))
            xf.set("applyNumberFormat", "1")
            xf.attrib.pop("quotePrefix", None)  # a number or date is no typed text

        return self._derive(style, code, change)

    def with_quote_prefix(self, style: int) -> int:
        """Return a cell style like ``style`` with Excel's quote prefix (the text stays text)."""
        return self._derive(style, "'", lambda xf: xf.set("quotePrefix", "1"))

    def _derive(self, style: int, what: str, change: Callable[[etree._Element], None]) -> int:
        """Return the cell style ``style`` changed by ``change`` (made once per ``what``)."""
        key = (style, what)
        if key not in self._derived:
            xfs = self.xfs()
            if not xfs:
                raise UnexpectedStructure("styles.xml has no cellXfs")
            base = xfs[style] if 0 <= style < len(xfs) else xfs[0]
            xf = etree.fromstring(etree.tostring(base))
            change(xf)
            self._derived[key] = self._find_or_add("cellXfs", xf)
        return self._derived[key]

    def importer(self, other: _Styles) -> Callable[[int], int]:
        """Return a function mapping a cell style of ``other`` to an equal style here."""
        cache: dict[int, int] = {0: 0}
        fonts, fills, borders = (other._items(n) for n in ("fonts", "fills", "borders"))
        other_xfs = other.xfs()

        def part(name: str, items: list[etree._Element], index: str | None) -> str:
            i = int(index or "0")
            if not 0 <= i < len(items):
                raise UnexpectedStructure(f"style refers to a missing {name} entry")
            copy = etree.fromstring(etree.tostring(items[i]))
            return str(self._find_or_add(name, copy))

        def convert(style: int) -> int:
            if style not in cache:
                if not 0 <= style < len(other_xfs):
                    raise UnexpectedStructure("style index out of range")
                xf = etree.fromstring(etree.tostring(other_xfs[style]))
                xf.set("fontId", part("fonts", fonts, xf.get("fontId")))
                xf.set("fillId", part("fills", fills, xf.get("fillId")))
                xf.set("borderId", part("borders", borders, xf.get("borderId")))
                xf.set("numFmtId", str(self.format_id(other.format_code(style))))
                xf.set("xfId", "0")
                cache[style] = self._find_or_add("cellXfs", xf)
            return cache[style]

        return convert

    def serialise(self) -> bytes:
        return _serialise(self.root)


# --- worksheet XML: rows and cells as text ------------------------------------------------------


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


@lru_cache(maxsize=1 << 14)
def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_ATTR_R = re.compile(r'\br="([A-Z]{1,3})?(\d+)"')
_ATTR_ROW_R = re.compile(r'\br="(\d+)"')
_ATTR_S = re.compile(r'\bs="(\d+)"')
_ATTR_CUSTOM_FORMAT = re.compile(r'\bcustomFormat="(1|true)"')
_ATTR_SPANS = re.compile(r'\s+spans="[^"]*"')
_DIMENSION = re.compile(
    r'<(?:\w+:)?dimension\b[^>]*?\bref="(([A-Z]{1,3}\d+)(?::([A-Z]{1,3}\d+))?)"'
)
_XML_DECL = re.compile(r'<\?xml[^>]*encoding="([^"]+)"')


class _Sheet:
    """A worksheet's XML split into the part before the rows, the rows and the part after."""

    def __init__(self, data: bytes) -> None:
        head = data[:200].decode("ascii", "replace")
        declared = _XML_DECL.search(head)
        if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise UnexpectedStructure("worksheet is not UTF-8")
        text = data.decode("utf-8")
        root = re.search(r"<(?:(\w+):)?worksheet\b", text)
        if root is None or "purl.oclc.org" in text[: root.end() + 2000]:
            raise UnexpectedStructure("no transitional worksheet element")
        self.prefix = f"{root.group(1)}:" if root.group(1) else ""
        p = re.escape(self.prefix)
        opening = re.search(rf"<{p}sheetData\b[^>]*?(/?)>", text)
        if opening is None:
            raise UnexpectedStructure("no sheetData")
        if opening.group(1):
            self.head, self.body, self.tail = text[: opening.start()], "", text[opening.end() :]
            self.open_tag = f"<{self.prefix}sheetData>"
        else:
            close = text.find(f"</{self.prefix}sheetData>", opening.end())
            if close < 0:
                raise UnexpectedStructure("sheetData not closed")
            self.head = text[: opening.start()]
            self.open_tag = opening.group(0)
            self.tail = text[close:]
            # The rows are decoded once more from the bytes, not sliced from the text, so
            # that the text is let go first: one copy fewer of a large sheet (issue 17).
            start = len(text[: opening.end()].encode("utf-8"))
            end = len(data) - len(self.tail.encode("utf-8"))
            del text, root, opening  # a match holds its text
            self.body = str(memoryview(data)[start:end], "utf-8")
        if "<!--" in self.body or "<![CDATA[" in self.body or "<?" in self.body:
            # a processing instruction may hold "<row ...>" that no row is: read by openpyxl
            raise UnexpectedStructure("comments, CDATA or processing instructions in sheetData")
        self.row_re = re.compile(rf"<{p}row\b([^>]*?)(?:/>|>(.*?)</{p}row>)", re.S)
        self.cell_re = re.compile(rf"<{p}c\b([^>]*?)(?:/>|>(.*?)</{p}c>)", re.S)
        self.col_styles = self._column_styles()
        #: The whole sheet, encoded while its rows were patched (see :meth:`patch_rows`).
        self._encoded: bytearray | _Pieces | None = None

    def _column_styles(self) -> dict[int, int]:
        styles: dict[int, int] = {}
        p = re.escape(self.prefix)
        for m in re.finditer(rf"<{p}col\b([^>]*?)/?>", self.head):
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
            if "style" in attrs and "min" in attrs and "max" in attrs:
                for col in range(int(attrs["min"]), int(attrs["max"]) + 1):
                    styles[col] = int(attrs["style"])
        return styles

    def serialise(self) -> bytes | bytearray | _Pieces:
        if self._encoded is not None:
            return self._encoded
        if not self.body and self.open_tag.endswith("/>"):
            return (self.head + self.open_tag + self.tail).encode("utf-8")
        return (self.head + self.open_tag + self.body + self.tail).encode("utf-8")

    def patch_rows(
        self,
        cells: Mapping[int, Mapping[int, CellValue]],
        cell_xml: Callable[..., str],
        create: bool = False,
        epoch: date = _EXCEL_EPOCH,
    ) -> int:
        """Set ``cells`` (Excel row -> column -> value); return the cells written (``epoch``:
        day 0 of the book's date system, as ``cell_xml`` writes dates).

        Rows are found by their ``r`` attribute; a sheet whose rows do not start with it (not
        Excel's, LibreOffice's or openpyxl's way) is read row by row. A row that is not in the
        sheet is inserted in its place with ``create`` (the sheet's dimension grows with it);
        without, it raises UnexpectedStructure.
        """
        if self._encoded is not None:  # patched before: split the sheet again
            encoded, self._encoded = bytes(self._encoded), None
            self.__init__(encoded)  # type: ignore[misc]
        wanted = {row: values for row, values in cells.items() if values}
        appended = None
        if create:
            present = self._row_numbers()
            new = {row: values for row, values in wanted.items() if row not in present}
            wanted = {row: values for row, values in wanted.items() if row in present}
            if new and self._after_the_rows(present, new):
                appended = self._append_rows(new, cell_xml, epoch)
            elif new:
                self._insert_rows(new, cell_xml)
        try:
            self._encoded = self._patch_found_rows(wanted, cell_xml)
            self.body = ""  # the rows are in the encoded sheet now
        except LookupError:
            self.body = self._patch_all_rows(wanted, cell_xml)
        if appended is not None:
            self._encoded = self._with_appended(appended)
        return sum(len(c) for c in wanted.values())

    @staticmethod
    def _after_the_rows(present: set[int], new: Mapping[int, object]) -> bool:
        """Return True when every new row comes after the sheet's rows (the usual append):
        then they are written by :meth:`_append_rows`."""
        return not present or max(present) < min(new)

    def _append_rows(
        self,
        new: Mapping[int, Mapping[int, CellValue]],
        cell_xml: Callable[..., str],
        epoch: date,
    ) -> _Pieces:
        """Write the rows ``new`` (all after the sheet's last row) to a temporary file, as
        :meth:`_insert_rows` would put them at the end of the rows, and grow the dimension;
        return them as pieces (:meth:`_with_appended` puts them in the sheet)."""
        templates = _RowTemplates(self.prefix, self.col_styles, cell_xml, epoch)
        rows = _Pieces()
        elements = (templates.row(row, new[row]) for row in sorted(new))
        rows.spool(elements)
        self._grow_dimension(max(new), max(max(v) for v in new.values()))
        return rows

    def _with_appended(self, rows: _Pieces) -> _Pieces:
        """Return the whole sheet with ``rows`` (:meth:`_append_rows`) after its last row."""
        whole = self.serialise()
        assert not isinstance(whole, _Pieces)
        self.body = ""
        tail = len(self.tail.encode("utf-8"))
        view = memoryview(whole)
        out = _Pieces()
        out.add(view[: len(whole) - tail])
        out.add_pieces(rows)
        out.add(view[len(whole) - tail :])
        return out

    def _row_numbers(self) -> set[int]:
        """Return the numbers of the rows in the sheet; UnexpectedStructure when a row does not
        say its number (then no row can be put in its place)."""
        numbers = set()
        for m in self.row_re.finditer(self.body):
            found = _ATTR_ROW_R.search(m.group(1))
            if found is None:
                raise UnexpectedStructure("a row without its number")
            numbers.add(int(found.group(1)))
        return numbers

    def _insert_rows(
        self, new: Mapping[int, Mapping[int, CellValue]], cell_xml: Callable[..., str]
    ) -> None:
        """Insert the rows ``new`` (none of them in the sheet yet) before the first higher row."""
        p = self.prefix
        elements = {
            row: f'<{p}row r="{row}">'
            + "".join(
                cell_xml(f"{_column_letters(col)}{row}", self.col_styles.get(col, 0), col, v)
                for col, v in sorted(values.items())
            )
            + f"</{p}row>"
            for row, values in new.items()
        }
        pending = sorted(elements)
        out: list[str] = []
        pos = 0
        for m in self.row_re.finditer(self.body):
            number = int(_ATTR_ROW_R.search(m.group(1)).group(1))  # type: ignore[union-attr]
            while pending and pending[0] < number:
                out += [self.body[pos : m.start()], elements[pending.pop(0)]]
                pos = m.start()
        out += [self.body[pos:], *(elements[row] for row in pending)]
        self.body = "".join(out)
        self._grow_dimension(max(new), max(max(v) for v in new.values()))

    def _grow_dimension(self, row: int, column: int) -> None:
        """Make the sheet's dimension (``<dimension ref="A1:N40"/>``) reach row and column."""
        found = _DIMENSION.search(self.head)
        if found is None:
            return
        last = _ATTR_R.search(f'r="{found.group(3) or found.group(2)}"')
        if last is None:
            return
        right = max(_column_number(last.group(1) or "A"), column)
        bottom = max(int(last.group(2)), row)
        ref = f"{found.group(2)}:{_column_letters(right)}{bottom}"
        self.head = self.head[: found.start(1)] + ref + self.head[found.end(1) :]

    def _patch_found_rows(
        self, wanted: Mapping[int, Mapping[int, CellValue]], cell_xml: Callable[..., str]
    ) -> bytearray:
        """Find each row by text (``<row r="12"``), in order; LookupError when one is not.

        Returns the whole sheet encoded, written piece by piece as the rows are patched: a
        sheet of 50,000 invoices is not held as text twice more (the pieces and their join).
        """
        body = self.body
        p = self.prefix
        out = bytearray((self.head + self.open_tag).encode("utf-8"))
        pos = 0
        for row in sorted(wanted):
            found = _row_element(body, p, row, pos)
            if found is None:
                raise LookupError(row)
            start, attrs, inner, end = found
            if end < 0:
                raise UnexpectedStructure(f"row {row} cannot be read")
            out += body[pos:start].encode("utf-8")
            out += self._patch_row(attrs, inner, row, wanted[row], cell_xml).encode("utf-8")
            pos = end
        out += body[pos:].encode("utf-8")
        out += self.tail.encode("utf-8")
        return out

    def _patch_all_rows(
        self, wanted: Mapping[int, Mapping[int, CellValue]], cell_xml: Callable[..., str]
    ) -> str:
        out: list[str] = []
        pos = 0
        row_number = 0
        done = 0
        for m in self.row_re.finditer(self.body):
            found = _ATTR_ROW_R.search(m.group(1))
            row_number = int(found.group(1)) if found else row_number + 1
            values = wanted.get(row_number)
            if not values:
                continue
            out.append(self.body[pos : m.start()])
            out.append(self._patch_row(m.group(1), m.group(2) or "", row_number, values, cell_xml))
            pos = m.end()
            done += 1
        if done != len(wanted):
            raise UnexpectedStructure("a row to write is missing from the sheet")
        out.append(self.body[pos:])
        return "".join(out)

    def _patch_row(
        self,
        attrs: str,
        inner: str,
        row: int,
        wanted: Mapping[int, CellValue],
        cell_xml: Callable[..., str],
    ) -> str:
        """Return the row element with the ``wanted`` cells set.

        Each cell is first looked up by text (``<c r="L12"``); when one is not found (a new
        cell, or cells without ``r``) the row's cells are all parsed.
        """
        p = self.prefix
        opening, closing, formula = f'<{p}c r="', f"</{p}c>", f"<{p}f"
        found: list[tuple[int, int, str]] = []  # (start, end, new element)
        number = str(row)
        pos = 0  # the cells come in the row's order, as a rule: each found after the last
        in_order = True
        for col, value in wanted.items():
            ref = _column_letters(col) + number
            tag = f'{opening}{ref}"'
            start = inner.find(tag, pos)
            if start < 0:
                start = inner.find(tag)
                if start < 0:
                    return self._patch_row_parsed(attrs, inner, row, wanted, cell_xml)
                in_order = False
            after = start + len(tag)
            close = inner.find(">", after)
            if inner[close - 1] == "/":
                end = close + 1
            else:
                end = inner.find(closing, close)
                if end < 0:
                    raise UnexpectedStructure(f"cell {ref} not closed")
                end += len(closing)
            if inner.find(formula, start, end) >= 0:  # only then: a formula it may not lose
                _check_formula(inner[start:end], p)
            found.append((start, end, cell_xml(ref, _cell_style(inner, after, close), col, value)))
            pos = end
        if not in_order:
            found.sort()
        parts = [f"<{p}row{attrs}>"]
        pos = 0
        for start, end, element in found:
            parts.append(inner[pos:start])
            parts.append(element)
            pos = end
        parts.append(inner[pos:])
        parts.append(f"</{p}row>")
        return "".join(parts)

    def _patch_row_parsed(
        self,
        attrs: str,
        inner: str,
        row: int,
        wanted: Mapping[int, CellValue],
        cell_xml: Callable[..., str],
    ) -> str:
        row_style = None
        if _ATTR_CUSTOM_FORMAT.search(attrs):
            found = _ATTR_S.search(attrs)
            row_style = int(found.group(1)) if found else None
        existing: list[tuple[int, str, str]] = []  # (column, attributes, whole element)
        column = 0
        last = 0
        for m in self.cell_re.finditer(inner):
            if inner[last : m.start()].strip():
                raise UnexpectedStructure("unexpected content in a row")
            last = m.end()
            found = _ATTR_R.search(m.group(1))
            column = _column_number(found.group(1)) if found and found.group(1) else column + 1
            whole = m.group(0)
            if not found:
                whole = whole.replace(
                    f"<{self.prefix}c", f'<{self.prefix}c r="{_column_letters(column)}{row}"', 1
                )
            existing.append((column, m.group(1), whole))
        rest = inner[last:]
        by_column = {c: (a, w) for c, a, w in existing}
        for col, value in wanted.items():
            if col in by_column:
                _check_formula(by_column[col][1], self.prefix)
                found = _ATTR_S.search(by_column[col][0])
                style = int(found.group(1)) if found else 0
            else:
                style = row_style if row_style is not None else self.col_styles.get(col, 0)
            by_column[col] = ("", cell_xml(f"{_column_letters(col)}{row}", style, col, value))
        cells = "".join(by_column[c][1] for c in sorted(by_column))
        if any(c not in {e[0] for e in existing} for c in wanted):
            attrs = _ATTR_SPANS.sub("", attrs)
        return f"<{self.prefix}row{attrs}>{cells}{rest}</{self.prefix}row>"


#: Bytes of a worksheet read at a time when its rows are patched as they stream by.
_CHUNK = 1 << 20
#: The most characters before ``<sheetData>`` a streamed sheet may have (columns, views, ...).
_MAX_HEAD = 1 << 22
_SHEET_DATA_OPEN = re.compile(r"<((?:\w+:)?)sheetData\b[^>]*?(/?)>")


class _StreamedSheet:
    """A worksheet whose rows are patched as its XML streams out of the package (issue 17).

    The sheet of 50,000 invoices is 40 MB of XML: read whole, it was held as bytes and as text
    while the patched copy was made. Streamed, only the patched copy (encoded) is held, and the
    XML is patched as bytes: the text between the changed cells is copied as it is, never
    decoded or encoded (all markup is ASCII, which UTF-8 never uses inside another character).
    The same rows and cells are found in the same way as :meth:`_Sheet._patch_found_rows` and
    :meth:`_Sheet._patch_row` find them; a row whose cells are not as expected (a cell that is
    not there or out of order, a formula) is patched by :meth:`_Sheet._patch_row` itself. When
    the rows are not found (rows out of order, a row that is missing) or the part holds comments,
    CDATA or a processing instruction, :meth:`patch` returns None and the caller reads the sheet
    whole.
    """

    def __init__(self, stream: IO[bytes], sheet: _Sheet, rest: bytes) -> None:
        self.stream, self.sheet, self._rest = stream, sheet, rest
        self.chunk = _CHUNK
        #: the whole part, when it streams from bytes in memory (:meth:`Patch._open_rows`)
        self.data: bytes | None = None

    @classmethod
    def open(cls, stream: IO[bytes]) -> _StreamedSheet | None:
        """Read up to the opening of ``sheetData``; None for an empty or unusual sheet."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        data, text, opening, chunk = b"", "", None, b"x"
        while opening is None and chunk and len(text) < _MAX_HEAD:
            chunk = stream.read(_CHUNK)
            data += chunk
            text += decoder.decode(chunk, final=not chunk)
            opening = _SHEET_DATA_OPEN.search(text)
        if opening is None or opening.group(2):
            return None
        p = opening.group(1)
        head = text[: opening.end()]
        # The sheet's head with no rows: its prefix, column styles and checks, as when read whole.
        sheet = _Sheet(f"{head}</{p}sheetData></{p}worksheet>".encode())
        if sheet.prefix != p:
            return None
        return cls(stream, sheet, data[len(head.encode("utf-8")) :])

    def patch(
        self,
        cells: Mapping[int, Mapping[int, CellValue]],
        cell_xml: Callable[..., str],
        cell_rest: Callable[[int, int, CellValue], bytes],
        out: _Pieces | _Deflating,
        *,
        head: bool = True,
    ) -> _Pieces | _Deflating | None:
        """Return ``out`` with the whole part, ``cells`` set, added (encoded, a piece at a
        time); None when the caller must read the sheet whole.

        ``cell_rest(style, column, value)``: what ``cell_xml`` writes after a cell's reference,
        encoded (:class:`_CellRest`). ``head``: False for a stream that starts at a row (the
        second half, :meth:`Patch.set_cells`): only what follows is added.
        """
        sheet = self.sheet
        p = sheet.prefix.encode("utf-8")
        wanted = {row: values for row, values in cells.items() if values}
        rows = sorted(wanted)
        if head:
            out += (sheet.head + sheet.open_tag).encode("utf-8")
        buf, pos, i, done = self._rest, 0, 0, False
        if b"<!--" in buf or b"<![CDATA[" in buf or b"<?" in buf:
            return None  # their text may hold what looks like a row: read whole
        keep = 32 + len(p)  # enough of the end of the text for a row's opening cut in two
        opening, closing = b"<" + p + b'row r="', b"</" + p + b"row>"
        cells_of = _RowCells(sheet, cell_xml, cell_rest)
        while True:
            pieces: list[bytes | memoryview] = []
            view = memoryview(buf)
            while i < len(rows):
                row = rows[i]
                start = buf.find(b'%s%d"' % (opening, row), pos)
                if start < 0:
                    break
                close = buf.find(b">", start)
                if close < 0:
                    break  # cut off by the chunk
                if buf[close - 1] == 47:  # "/": a row without cells
                    end = after = close + 1
                else:
                    end = buf.find(closing, close)
                    if end < 0:
                        break  # cut off by the chunk
                    after = end + len(closing)
                pieces.append(view[pos:start])
                cells_of.patch(buf, view, pieces, start, close, end, after, row, wanted[row])
                pos = after
                i += 1
            if not done:
                # Write what cannot hold the next row's opening; keep the rest for the next chunk.
                found = buf.find(b'%s%d"' % (opening, rows[i]), pos) if i < len(rows) else -1
                upto = found if found >= 0 else max(pos, len(buf) - keep)
                pieces.append(view[pos:upto])
            out += b"".join(pieces)
            del pieces, view
            if done:
                break
            chunk = self.stream.read(self.chunk)
            done = not chunk
            seam = buf[-8:] + chunk
            if b"<!--" in seam or b"<![CDATA[" in seam or b"<?" in seam:
                return None
            buf, pos = buf[upto:] + chunk, 0
        if i < len(rows):
            return None  # a row out of order or missing
        out += buf[pos:]
        return out


#: Changed rows from which a save that leaves the second core free patches a large sheet in two
#: halves at once (:meth:`Patch._halves`).
HALVES_ROWS = 5_000


class _SpanReader:
    """Reads ``data[start:end]`` a piece at a time, without copying the rest (a stream for
    :class:`_StreamedSheet`)."""

    def __init__(self, data: bytes, start: int, end: int) -> None:
        self._data, self._pos, self._end = data, start, end

    def read(self, size: int) -> bytes:
        upto = min(self._pos + size, self._end)
        piece, self._pos = self._data[self._pos : upto], max(self._pos, upto)
        return piece

    def close(self) -> None:
        pass

    def __enter__(self) -> _SpanReader:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def _from_row(opened: _StreamedSheet, data: bytes, start: int) -> _StreamedSheet:
    """Return the rows of ``opened`` from ``start`` (a row's opening tag in ``data``, the
    part's XML) to the part's end, to patch with ``head=False``."""
    return _StreamedSheet(_SpanReader(data, start, len(data)), opened.sheet, b"")  # type: ignore[arg-type]


def _written_to(into: IO[bytes], data: bytes | bytearray | _Pieces) -> int:
    """Write a part's bytes to ``into`` (a forked copy's file, :func:`.aside.into_file`);
    return their size."""
    size = 0
    for chunk in _chunks(data):
        into.write(chunk)
        size += len(chunk)
    into.flush()
    return size


def _patch_halves(
    opened: _StreamedSheet,
    cells: Mapping[int, Mapping[int, CellValue]],
    cell_xml: Callable[..., str],
    rest: _CellRest,
    out: _Pieces | _Deflating,
    middle: int,
    start: int,
    copy: Aside[int | None],
    file: IO[bytes],
) -> _Pieces | _Deflating | None:
    """:meth:`_StreamedSheet.patch` of ``opened`` in two halves (:meth:`Patch._halves`): the
    rows before ``middle`` here, the others from the copy (or here, when it gave none); the
    same bytes as in one go. None when the caller must read the sheet whole."""
    data = opened.data
    assert data is not None
    try:
        first = _StreamedSheet.open(_SpanReader(data, 0, start))  # type: ignore[arg-type]
        if first is None:
            return None
        early = {row: values for row, values in cells.items() if row < middle}
        if first.patch(early, cell_xml, rest, out) is None:
            return None
        size = copy.result()
        if size is None:  # the copy gave up: the second half here, as in one go
            late = {row: values for row, values in cells.items() if row >= middle}
            return _from_row(opened, data, start).patch(late, cell_xml, rest, out, head=False)
        file.seek(0)
        while size > 0:
            chunk = file.read(min(size, _CHUNK))
            if not chunk:
                return None  # cut off: read whole instead
            out += chunk
            size -= len(chunk)
        return out
    finally:
        copy.close()
        file.close()


class _RowCells:
    """Sets the cells of one row in a sheet's XML as bytes (:class:`_StreamedSheet`)."""

    def __init__(
        self,
        sheet: _Sheet,
        cell_xml: Callable[..., str],
        cell_rest: Callable[[int, int, CellValue], bytes],
    ) -> None:
        self.sheet, self.cell_xml, self.cell_rest = sheet, cell_xml, cell_rest
        self.prefix = sheet.prefix.encode("utf-8")
        self.closing, self.formula = b"</" + self.prefix + b"c>", b"<" + self.prefix + b"f"
        self._tags: dict[int, bytes] = {}  # column -> the start of its cells' opening tags
        self._styles: dict[bytes, int] = {}  # a cell's attributes after its reference -> style

    def patch(
        self,
        buf: bytes,
        view: memoryview,
        pieces: list[bytes | memoryview],
        start: int,
        close: int,
        end: int,
        after: int,
        row: int,
        wanted: Mapping[int, CellValue],
    ) -> None:
        """Add to ``pieces`` the row element at ``start`` (its opening tag closed at ``close``,
        its cells up to ``end``, the element up to ``after``) with the ``wanted`` cells set, as
        :meth:`_Sheet._patch_row` writes it."""
        found = self._found(buf, close + 1, end, row, wanted)
        if found is None:  # not as expected: the general way, with the row as text
            bare = after == close + 1
            attrs = buf[start + len(self.prefix) + 4 : close - 1 if bare else close]
            inner = "" if bare else buf[close + 1 : end].decode("utf-8")
            patched = self.sheet._patch_row(
                attrs.decode("utf-8"), inner, row, wanted, self.cell_xml
            )
            pieces.append(patched.encode("utf-8"))
            return
        rest, styles = self.cell_rest, self._styles
        pos = start
        for tag_end, tag_close, cell_end, column, value in found:
            pieces.append(view[pos:tag_end])
            attrs = buf[tag_end:tag_close]
            style = styles.get(attrs)
            if style is None:
                style = styles[attrs] = _cell_style_bytes(buf, tag_end, tag_close)
            pieces.append(rest(style, column, value))
            pos = cell_end
        pieces.append(view[pos:after])

    def _found(
        self, buf: bytes, inner: int, end: int, row: int, wanted: Mapping[int, CellValue]
    ) -> list[tuple[int, int, int, int, CellValue]] | None:
        """Return (end of the reference, end of the opening tag, end, column, value) of each
        wanted cell of the row whose cells are from ``inner`` to ``end``, as
        :meth:`_Sheet._patch_row` finds them; None when that finds one by parsing the row, out
        of order, or with a formula (that way is then taken, :meth:`patch`)."""
        number = b'%d"' % row
        tags, closing, formula = self._tags, self.closing, self.formula
        found = []
        pos = inner
        columns = getattr(wanted, "columns", None)  # a RowCells: its columns and values
        if columns is not None:
            items = zip(columns, wanted.row_values, strict=True)  # type: ignore[attr-defined]
        else:
            items = wanted.items()  # type: ignore[assignment]
        for column, value in items:
            tag = tags.get(column)
            if tag is None:
                letters = _column_letters(column).encode("ascii")
                tag = tags[column] = b"<" + self.prefix + b'c r="' + letters
            tag += number
            start = buf.find(tag, pos, end)
            if start < 0:
                return None
            tag_end = start + len(tag)
            close = buf.find(b">", tag_end, end)
            if close < 0:
                return None
            if buf[close - 1] == 47:  # "/"
                pos = close + 1
            else:
                pos = buf.find(closing, close, end)
                if pos < 0:
                    return None
                pos += len(closing)
            if buf.find(formula, start, pos) >= 0:
                return None
            found.append((tag_end, close, pos, column, value))
        return found


def _cell_style_bytes(buf: bytes, after: int, close: int) -> int:
    """:func:`_cell_style` of a cell in a sheet's XML as bytes."""
    if buf.startswith(b' s="', after):
        quote = buf.find(b'"', after + 4, close)
        if quote > 0:
            digits = buf[after + 4 : quote]
            if digits.isdigit():
                return int(digits)
    text = buf[after:close].decode("utf-8")
    return _cell_style(text, 0, len(text))


#: A text written as it is by ``cell_xml``: not empty, no space at either end, no character that
#: is escaped or dropped (``&<>``, what XML cannot hold) and no start of a formula. Stricter
#: than needed is fine: any other text is written by ``cell_xml`` itself.
_PLAIN_TEXT = re.compile(
    "[^\\s=+\\-@\uff1d\uff0b\uff0d\uff20&<>\x00-\x1f\ud800-\udfff\ufffe\uffff]"
    "(?:[^&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]*"
    "[^\\s&<>\x00-\x1f\ud800-\udfff\ufffe\uffff])?"
)
#: Stand-ins ``cell_xml`` writes unchanged, replaced by the fields of a row's template.
_ROW_MARK, _TEXT_MARK = "\ue001", "\ue000"
_DECIMAL_MARK = Decimal("0.918273645546372819")
_DATE_MARK = date(9999, 12, 31)


class _CellRest:
    """What ``cell_xml`` writes after a cell's reference, encoded, made faster (issue 17).

    At 50,000 invoices a day's save sets 115,000 cells. An amount, a whole number or a date is
    written into a template that ``rest`` made once per style, column and kind of value, from a
    stand-in value (the template is made at the first such cell, where ``rest`` would add the
    style it needs); a text, a truth value or an empty cell is written once per style, column
    and value. Any other value is written by ``rest`` itself. Each gives ``rest``'s text.
    """

    _MARKS: Mapping[type, tuple[object, str]] = {
        Decimal: (_DECIMAL_MARK, f"{_DECIMAL_MARK:f}"),
        int: (918273645546372819, "918273645546372819"),
        date: (_DATE_MARK, ""),  # the day number of the book's date system: see __init__
    }

    def __init__(
        self, rest: Callable[[int, int, CellValue], str], epoch: date = _EXCEL_EPOCH
    ) -> None:
        self.rest = rest
        self._epoch = epoch.toordinal()
        self._marks = {**self._MARKS, date: (_DATE_MARK, str(_DATE_MARK.toordinal() - self._epoch))}
        self._templates: dict[tuple[int, int, type], tuple[bytes, bytes] | None] = {}
        self._same: dict[tuple[int, int, type, object], bytes] = {}

    def __call__(self, style: int, column: int, value: CellValue) -> bytes:
        kind = value.__class__
        if kind is Decimal or kind is int or kind is date:
            key = (style, column, kind)
            template = self._templates.get(key, False)
            if template is False:
                template = self._templates[key] = self._template(*key)
            if template is not None:
                if kind is Decimal:
                    text = format(value, "f")
                elif kind is int:
                    text = str(value)
                else:
                    text = str(value.toordinal() - self._epoch)  # type: ignore[union-attr]
                return template[0] + text.encode("ascii") + template[1]
        elif kind is str or kind is bool or value is None:
            same = (style, column, kind, value)
            found = self._same.get(same)
            if found is None:
                found = self._same[same] = self.rest(style, column, value).encode("utf-8")
            return found
        return self.rest(style, column, value).encode("utf-8")

    def _template(self, style: int, column: int, kind: type) -> tuple[bytes, bytes] | None:
        mark, text = self._marks[kind]
        made = self.rest(style, column, mark)  # type: ignore[arg-type]
        if made.count(text) != 1:
            return None
        before, after = made.split(text)
        return before.encode("utf-8"), after.encode("utf-8")


class _RowTemplates:
    """The XML of appended rows, made from one template per shape (issue 17).

    ``betalingen`` appends 100,000 rows of about eleven cells: a call of ``cell_xml`` per cell
    was a third of the save. Rows with the same columns and the same kinds of values (texts
    written as they are, amounts, dates) are written by one ``str.format`` of a template that
    ``cell_xml`` itself made once, from stand-in values; any other row is written cell by cell
    by ``cell_xml``. Both give the same text.
    """

    def __init__(
        self, prefix: str, col_styles: Mapping[int, int], cell_xml, epoch: date = _EXCEL_EPOCH
    ) -> None:
        self.prefix, self.col_styles, self.cell_xml = prefix, col_styles, cell_xml
        self._epoch = epoch.toordinal()  # a date's day number is its ordinal less this
        self._templates: dict[tuple, tuple | None] = {}

    def row(self, row: int, values: Mapping[int, CellValue]) -> str:
        """Return the element of Excel row ``row`` holding ``values`` (column -> value)."""
        columns = getattr(values, "columns", None)
        if columns is not None:  # a RowCells: its columns and values as tuples
            cells = values.row_values  # type: ignore[attr-defined]
        else:
            columns = tuple(values)
            cells = tuple([values[c] for c in columns])
        key = (columns, tuple(map(type, cells)))
        template = self._templates.get(key, False)
        if template is False and all(
            _PLAIN_TEXT.fullmatch(v) for v in cells if v.__class__ is str
        ):  # made at the first row that can use it: cell_xml adds styles in the same order
            template = self._templates[key] = self._template(*key)
        if template:
            text, order, texts, dates = template
            args = list(cells) if order is None else [cells[i] for i in order]
            if all(map(_PLAIN_TEXT.fullmatch, texts(args))):
                for i in dates:
                    args[i] = args[i].toordinal() - self._epoch
                return text.format(row, *args)
        return self.cells(row, values.items())

    def cells(self, row: int, items: Iterable[tuple[int, CellValue]]) -> str:
        """Return the element of row ``row`` with ``items``, cell by cell (the general way)."""
        p, col_styles, cell_xml = self.prefix, self.col_styles, self.cell_xml
        cells = "".join(
            cell_xml(f"{_column_letters(col)}{row}", col_styles.get(col, 0), col, v)
            for col, v in sorted(items)
        )
        return f'<{p}row r="{row}">{cells}</{p}row>'

    def _template(self, columns: tuple[int, ...], kinds: tuple[type, ...]) -> tuple | None:
        """Return (template, order of the values or None when it is theirs, a function of the
        values in order -> the texts, fields that are dates) for rows of these columns and
        kinds of values; None when there is none."""
        marks = {str: _TEXT_MARK, Decimal: _DECIMAL_MARK, date: _DATE_MARK}
        if len(set(columns)) != len(columns) or not all(k in marks for k in kinds):
            return None
        order = sorted(range(len(columns)), key=columns.__getitem__)
        parts, texts, dates = [], [], []
        for field, i in enumerate(order, start=1):
            col, kind = columns[i], kinds[i]
            ref = f"{_column_letters(col)}{_ROW_MARK}"
            xml = self.cell_xml(ref, self.col_styles.get(col, 0), col, marks[kind])
            xml = xml.replace("{", "{{").replace("}", "}}")
            day = str(_DATE_MARK.toordinal() - self._epoch)
            mark = {str: _TEXT_MARK, Decimal: f"{_DECIMAL_MARK:f}", date: day}[kind]
            if xml.count(mark) != 1 or xml.count(_ROW_MARK) != 1:
                return None
            spec = ":f" if kind is Decimal else ""  # as cell_xml writes an amount
            parts.append(xml.replace(_ROW_MARK, "{0}").replace(mark, f"{{{field}{spec}}}"))
            if kind is str:
                texts.append(field - 1)
            elif kind is date:
                dates.append(field - 1)
        p = self.prefix.replace("{", "{{").replace("}", "}}")
        text = f'<{p}row r="{{0}}">{"".join(parts)}</{p}row>'
        if len(texts) > 1:
            pick = itemgetter(*texts)
        else:
            pick = (lambda args: (args[texts[0]],)) if texts else (lambda args: ())
        same = order == list(range(len(order)))
        return text, (None if same else order), pick, tuple(dates)


def _row_element(text: str, prefix: str, row: int, pos: int) -> tuple[int, str, str, int] | None:
    """Find the element of row ``row`` in ``text`` from ``pos`` on, as ``row_re`` would match it,
    with ``str.find`` (45,000 rows a day at 50,000 invoices).

    Returns (start, attributes, inner XML, end), end -1 when the element is cut off; None when
    the row's opening tag is not there.
    """
    start = text.find(f'<{prefix}row r="{row}"', pos)
    if start < 0:
        return None
    close = text.find(">", start)
    if close < 0:
        return start, "", "", -1
    attrs_start = start + len(prefix) + 4
    if text[close - 1] == "/":
        return start, text[attrs_start : close - 1], "", close + 1
    end = text.find(f"</{prefix}row>", close)
    if end < 0:
        return start, "", "", -1
    return start, text[attrs_start:close], text[close + 1 : end], end + len(prefix) + 6


def _cell_style(inner: str, after: int, close: int) -> int:
    """Return the style (``s="…"``) of the cell whose opening tag ends at ``close``, the text
    from ``after`` on following its reference: ``_ATTR_S`` searched there, read directly in the
    usual case (`` s="5"`` right after the reference) for the 115,000 cells of a day."""
    if inner.startswith(' s="', after):
        quote = inner.find('"', after + 4, close)
        digits = inner[after + 4 : quote]
        if quote > 0 and digits.isascii() and digits.isdigit():
            return int(digits)
    style = _ATTR_S.search(inner, after, close)
    return int(style.group(1)) if style else 0


def _check_formula(element: str, prefix: str) -> None:
    """Refuse to overwrite the master cell of a shared or array formula (others depend on it)."""
    start = element.find(f"<{prefix}f")
    if start >= 0 and " ref=" in element[start : element.find(">", start)]:
        raise SharedFormula("a shared or array formula would be overwritten")


def _text_xml(prefix: str, text: str) -> str:
    text = xlsx_text(text)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<{prefix}is><{prefix}t{space}>{escape(text)}</{prefix}t></{prefix}is>"


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    return repr(value)


# --- the patch ----------------------------------------------------------------------------------


class Patch:
    """A set of changes to one .xlsx package, applied when written.

    Args:
      path: the workbook; it is read, never changed (write the result elsewhere).
    Raises UnexpectedStructure when the package cannot be patched.
    """

    def __init__(self, path: str | Path | IO[bytes]) -> None:
        self.package = _Package(path if hasattr(path, "read") else Path(path))  # type: ignore[arg-type]
        try:
            self._index()
        except (KeyError, ValueError) as exc:
            self.package.close()
            raise UnexpectedStructure(str(exc)) from exc
        self._styles: _Styles | None = None
        self._prepared = False
        self._custom: tuple[str, dict[str, str]] | None = None
        self._seal: tuple[str, str] | None = None
        #: A large sheet whose rows stream is deflated in a thread as it is patched
        #: (:class:`_Deflating`); False where it must be held as bytes.
        self.deflate_as_made = True
        #: Patch a large sheet's rows in two halves, the second in a forked copy
        #: (:meth:`_halves`), where the save leaves the second core free.
        self.in_halves = False

    def _index(self) -> None:
        pkg = self.package
        self.types = _ContentTypes(pkg.read("[Content_Types].xml"))
        root_rels = _Rels("", pkg.read("_rels/.rels"))
        workbooks = [t for _, kind, t in root_rels.internal_targets() if kind == OFFICE_DOCUMENT]
        if len(workbooks) != 1:
            raise UnexpectedStructure("no single workbook part")
        self.workbook = workbooks[0]
        book = _parse(pkg.read(self.workbook))
        if etree.QName(book).namespace != MAIN_NS:
            raise UnexpectedStructure("workbook is not transitional SpreadsheetML")
        properties = book.find(f"{{{MAIN_NS}}}workbookPr")
        #: The book counts dates from 1904 (:data:`_MAC_EPOCH`): every date written counts so.
        self.date1904 = properties is not None and properties.get("date1904", "").strip() in (
            "1",
            "true",
        )
        self.epoch = _MAC_EPOCH if self.date1904 else _EXCEL_EPOCH
        self.book_rels = pkg.rels(self.workbook)
        targets = {rid: (kind, t) for rid, kind, t in self.book_rels.internal_targets()}
        self.sheets: dict[str, str] = {}
        for el in book.iter(f"{{{MAIN_NS}}}sheet"):
            rid = el.get(f"{{{DOC_REL_NS}}}id", "")
            if rid in targets:
                self.sheets[el.get("name", "")] = targets[rid][1]
        styles = [t for kind, t in targets.values() if kind == STYLES]
        self.styles_part = styles[0] if styles else None

    @property
    def styles(self) -> _Styles:
        if self._styles is None:
            if self.styles_part is None or not self.package.has(self.styles_part):
                raise UnexpectedStructure("no styles part")
            self._styles = _Styles(self.package.read(self.styles_part))
        return self._styles

    def sheet_part(self, title: str) -> str:
        """Return the part name of the worksheet ``title``; UnexpectedStructure if missing."""
        part = self.sheets.get(title)
        if part is None or not self.package.has(part):
            raise UnexpectedStructure(f"sheet {title!r} not found")
        if self.types.of(part) != _WORKSHEET:
            raise UnexpectedStructure(f"{title!r} is not a worksheet")
        return part

    def set_cells(
        self,
        title: str,
        cells: Mapping[int, Mapping[int, CellValue]],
        formats: Mapping[int, str] | None = None,
        *,
        retype: bool = False,
        create: bool = False,
        tail: Iterable[tuple[str, str]] = (),
    ) -> int:
        """Set cell values on sheet ``title``; return the cells written.

        Args:
          cells: Excel row -> Excel column -> value.
          formats: Excel column -> the number format a number or date written there gets when
            its cell has the General or the Text format (a date always gets a date format).
          retype: the cells held text that is now written as a number or date: they get the
            column's format whatever they had, and lose the text mark (``quotePrefix``).
          create: insert the rows the sheet does not have yet (rows appended to a table); else
            such a row raises UnexpectedStructure.
          tail: (old, new) texts to replace after the rows (in the data validations, say), each
            where it stands exactly so.
        """
        part = self.sheet_part(title)
        if not any(cells.values()):
            return 0
        tail = [(old, new) for old, new in tail if old != new]
        opened = None if create or tail else self._open_rows(part)
        sheet = opened.sheet if opened is not None else _Sheet(self.package.read(part))
        for old, new in tail:
            sheet.tail = sheet.tail.replace(old, new)
        formats = formats or {}
        styles = self.styles
        prefix, epoch = sheet.prefix, self.epoch

        # The style a cell gets depends only on its style, its column and whether the value
        # is a date: decided once per such triple (115,000 cells a day at 50,000 invoices).
        restyled: dict[tuple[int, int, bool], int] = {}

        def new_style(style: int, column: int, is_date: bool) -> int:
            wanted = formats.get(column)
            code = styles.format_code(style)
            if retype and wanted:
                return styles.with_format(style, wanted)
            if is_date:
                if not _is_date_format(code):
                    return styles.with_format(
                        style,
                        wanted if wanted and _is_date_format(wanted) else _DEFAULT_DATE_FORMAT,
                    )
            elif wanted and code in ("General", "@"):
                return styles.with_format(style, wanted)
            return style

        def cell_rest(style: int, column: int, value: CellValue) -> str:
            """Return a cell's element after its reference (``<c r="A1"``)."""
            key = (style, column, isinstance(value, date))
            found = restyled.get(key)
            if found is None:
                found = restyled[key] = new_style(*key)
            style = found
            if value.__class__ is Decimal:  # most computed cells: money
                s = f' s="{style}"' if style else ""
                return f"{s}><{prefix}v>{value:f}</{prefix}v></{prefix}c>"
            if isinstance(value, str) and needs_quote_prefix(value):
                style = styles.with_quote_prefix(style)
            s = f' s="{style}"' if style else ""
            if value is None or value == "":
                return f"{s}/>"
            if isinstance(value, str):
                return f'{s} t="inlineStr">{_text_xml(prefix, value)}</{prefix}c>'
            if isinstance(value, bool):
                return f'{s} t="b"><{prefix}v>{int(value)}</{prefix}v></{prefix}c>'
            if isinstance(value, datetime):
                number = _number_text(to_excel(value, datetime.combine(epoch, time())))
            elif isinstance(value, date):
                number = str((value - epoch).days)
            else:
                number = _number_text(value)
            return f"{s}><{prefix}v>{number}</{prefix}v></{prefix}c>"

        def cell_xml(ref: str, style: int, column: int, value: CellValue) -> str:
            return f'<{prefix}c r="{ref}"' + cell_rest(style, column, value)

        if opened is not None:
            large = self.package.infos[part].file_size >= _THREAD_BYTES
            into = _Deflating() if large and self.deflate_as_made else _Pieces()
            try:
                with opened.stream:
                    rest = _CellRest(cell_rest, epoch)
                    halves = self._halves(opened, cells, cell_xml, rest) if self.in_halves else None
                    if halves is None:
                        out = opened.patch(cells, cell_xml, rest, into)
                    else:
                        out = _patch_halves(opened, cells, cell_xml, rest, into, *halves)
            except BaseException:
                into.close()
                raise
            if out is None:
                into.close()
            elif isinstance(out, _Deflating):
                self.package.put_deflating(part, out)
                return sum(len(c) for c in cells.values() if c)
            else:
                self.package.put(part, out)
                return sum(len(c) for c in cells.values() if c)
            sheet = _Sheet(self.package.read(part))  # not as expected: read it whole
        written = sheet.patch_rows(cells, cell_xml, create, epoch)
        self.package.put(part, sheet.serialise())
        return written

    def _halves(
        self,
        opened: _StreamedSheet,
        cells: Mapping[int, Mapping[int, CellValue]],
        cell_xml: Callable[..., str],
        rest: _CellRest,
    ) -> tuple[int, int, Aside[int | None], IO[bytes]] | None:
        """Start patching the second half of the rows of ``opened`` (a large sheet held in
        memory) in a forked copy (:mod:`.aside`) that writes its part of the XML to a file of
        its own; return (the first row of that half, where it starts in the part's XML, the
        copy, the file), or None when the sheet is patched in one go here.

        The copy patches the rows from the middle changed row on, which the XML holds from
        that row's opening tag on (markup: never inside a text). It gives up (this process
        patches that half too, as it would have) when a cell needs a cell style the package
        lacks: only the process that writes the package may add one.
        """
        from .aside import can_fork, into_file

        data = opened.data
        wanted = sorted(row for row, values in cells.items() if values)
        if data is None or len(wanted) < HALVES_ROWS or not can_fork():
            return None
        middle = wanted[len(wanted) // 2]
        prefix = opened.sheet.prefix.encode("utf-8")
        start = data.find(b'<%srow r="%d"' % (prefix, middle))
        if (
            start < 0
            or data.find(b"<![CDATA[") >= 0
            or data.find(b"<!--") >= 0
            or data.count(b"<?") > 1  # a processing instruction besides the declaration
        ):
            return None
        second = {row: cells[row] for row in wanted if row >= middle}
        styles = self.styles

        def work(into: IO[bytes]) -> int | None:
            styles.changed = False
            out = _from_row(opened, data, start).patch(
                second, cell_xml, rest, _Pieces(), head=False
            )
            if out is None or styles.changed:
                return None
            return _written_to(into, out)

        return (middle, start, *into_file(work))

    def set_cells_into(
        self,
        title: str,
        cells: Mapping[int, Mapping[int, CellValue]],
        formats: Mapping[int, str] | None,
        into: IO[bytes],
        *,
        create: bool = False,
        tail: Iterable[tuple[str, str]] = (),
    ) -> int | None:
        """In a forked copy of this process (:mod:`.aside`): :meth:`set_cells` (with ``create``
        and ``tail`` as there) and write the sheet's new part to ``into``; return its size, or
        None when the cells need a cell style the package lacks (only the process that writes
        the package may add one).

        The package is read through a file of its own: the copy shares the open file's
        position with the process that forked it.
        """
        pkg = self.package
        source = getattr(pkg.zip, "filename", None)
        if not source:
            return None
        pkg.zip = zipfile.ZipFile(source)
        styles = self.styles
        styles.changed = False
        self.deflate_as_made = False  # the sheet's bytes are wanted here, and no thread
        self.set_cells(title, cells, formats, create=create, tail=tail)
        if styles.changed:
            return None
        return _written_to(into, pkg.changed[self.sheet_part(title)])

    def put_sheet(self, title: str, into: IO[bytes], size: int) -> None:
        """Take the first ``size`` bytes of ``into`` as sheet ``title``'s part (what
        :meth:`set_cells_into` wrote); ``into`` is then closed with the package."""
        self.package.put(self.sheet_part(title), _Pieces.of_file(into, size))

    def deflate_soon(self, title: str) -> None:
        """Start deflating sheet ``title`` as it stands now, in a thread (:meth:`write` then
        takes it as it is, unless the sheet changes again meanwhile)."""
        self.package.deflate_soon(self.sheet_part(title))

    def owns(self, file: IO[bytes]) -> bool:
        """Return True when ``file`` holds a part of the package (:meth:`put_sheet`)."""
        parts = self.package.changed.values()
        return any(isinstance(data, _Pieces) and data._file is file for data in parts)

    def _open_rows(self, part: str) -> _StreamedSheet | None:
        """Open a worksheet part that is still as read, to patch its rows as they stream by;
        None when it cannot be (changed already, no rows, an unusual head)."""
        pkg = self.package
        if part in pkg.changed or part in pkg.deleted or part not in pkg.infos:
            return None
        source = getattr(pkg.zip, "filename", None)
        data = inflated.take(source, part, pkg.infos[part]) if source else None
        # the part as the read inflated it, else inflated here as it streams
        stream = io.BytesIO(data) if data is not None else pkg.zip.open(part)
        try:
            opened = _StreamedSheet.open(stream)
        except (UnexpectedStructure, UnicodeDecodeError):
            opened = None
        if opened is None:
            stream.close()
        else:
            opened.data = data
        return opened

    def set_table_ref(self, table: str, ref: str) -> None:
        """Give the Excel Table named ``table`` the range ``ref`` (its filter too).

        Used to take in rows typed directly under the table. Raises UnexpectedStructure when
        there is no such table.
        """
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
        for part in sorted(self.package.names()):
            if self.types.of(part) != kind:
                continue
            root = _parse(self.package.read(part))
            if (root.get("displayName") or root.get("name") or "").casefold() != table.casefold():
                continue
            root.set("ref", ref)
            for child in root:
                if etree.QName(child).localname == "autoFilter":
                    child.set("ref", ref)
            self.package.put(part, _serialise(root))
            return
        raise UnexpectedStructure(f"table {table!r} not found")

    def set_custom_properties(self, values: Mapping[str, str]) -> None:
        """Set text custom document properties (``docProps/custom.xml``), keeping the others.

        Adds the part, its relationship and its content type when the package has none.
        """
        from .digest import CUSTOM_REL, properties_xml

        pkg = self.package
        rels = _Rels("", pkg.read("_rels/.rels"))
        part = next((t for _, kind, t in rels.internal_targets() if kind == CUSTOM_REL), None)
        if part is None:
            part = "docProps/custom.xml"
            if pkg.has(part):
                raise UnexpectedStructure(f"{part} without a relationship")
            taken = {el.get("Id", "") for el in rels.items()}
            n = 1
            while f"rId{n}" in taken:
                n += 1
            etree.SubElement(
                rels.root, f"{{{REL_NS}}}Relationship", Id=f"rId{n}", Type=CUSTOM_REL, Target=part
            )
            pkg.put("_rels/.rels", _serialise(rels.root))
        self.types.add(part, "application/vnd.openxmlformats-officedocument.custom-properties+xml")
        try:
            pkg.put(part, properties_xml(pkg.read(part) if pkg.has(part) else None, values))
        except etree.XMLSyntaxError as exc:
            raise UnexpectedStructure(str(exc)) from exc
        self._custom = (part, dict(values))

    def seal(self, name: str, salt: str) -> None:
        """When written, also set custom property ``name`` to the digest of the written package
        (every part but the custom properties; :func:`.digest.package_digest`) with ``salt``.
        Call after :meth:`set_custom_properties`."""
        if self._custom is None:
            raise ValueError("set_custom_properties first")
        self._seal = (name, salt)

    def has_sheet(self, title: str) -> bool:
        """Return True when the workbook has a sheet (worksheet or chart sheet) ``title``."""
        return title in self.sheets

    def add_sheet(self, title: str) -> None:
        """Add an empty worksheet ``title`` after the others, for :meth:`replace_sheet` to fill.

        For the Overzicht when the user deleted or renamed it: debiteuren makes it anew, as
        openpyxl would, instead of leaving the whole workbook to openpyxl (which drops what it
        does not know).
        """
        pkg = self.package
        part = self._free_name("xl/worksheets/sheet1.xml", set())
        pkg.put(part, _serialise(etree.Element(f"{{{MAIN_NS}}}worksheet", nsmap={None: MAIN_NS})))
        self.types.add(part, _WORKSHEET)
        taken = {el.get("Id", "") for el in self.book_rels.items()}
        rid = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
        etree.SubElement(
            self.book_rels.root,
            f"{{{REL_NS}}}Relationship",
            Id=rid,
            Type=f"{DOC_REL_NS}/worksheet",
            Target="/" + part,
        )
        pkg.put(_rels_name(self.workbook), _serialise(self.book_rels.root))
        book = _parse(pkg.read(self.workbook))
        sheets = book.find(f"{{{MAIN_NS}}}sheets")
        if sheets is None:
            raise UnexpectedStructure("workbook without sheets")
        found = (_id_number(el.get("sheetId", "")) for el in sheets)
        ids = [number for number in found if number is not None]
        sheet = etree.SubElement(sheets, f"{{{MAIN_NS}}}sheet", name=title)
        sheet.set("sheetId", str(max(ids, default=0) + 1))
        sheet.set(f"{{{DOC_REL_NS}}}id", rid)
        pkg.put(self.workbook, _serialise(book))
        self.sheets[title] = part

    def replace_sheet(
        self,
        title: str,
        source: bytes,
        source_title: str | None = None,
        *,
        xml: bytes | None = None,
    ) -> None:
        """Replace sheet ``title`` by a sheet of another package, with its drawings and charts.

        Args:
          source: the other .xlsx package (e.g. a small workbook openpyxl wrote to memory).
          source_title: the sheet's name there; default ``title``.
          xml: the sheet's XML to use instead of the one in ``source`` (the same sheet with its
            cells: :func:`.write.overview_package`); its styles are those of ``source``, its
            cells' and rows' style numbers may be marked (:data:`STYLE_MARK`).
        The sheet keeps its name, position, tab selection and VBA code name; everything that
        hung only from the old sheet (drawings, charts, images, comments) is removed.
        """
        target = self.sheet_part(title)
        other = Patch(io.BytesIO(source))
        try:
            self._replace(target, other, other.sheet_part(source_title or title), xml)
        finally:
            other.package.close()

    def _replace(self, target: str, other: Patch, source: str, xml: bytes | None = None) -> None:
        pkg = self.package
        old_xml = pkg.read(target).decode("utf-8", "replace")
        for part in self._owned_by(target):
            self._drop(part)
        pkg.delete(_rels_name(target))

        # Bring the parts hanging from the source sheet, under free names.
        names = {source: target}
        queue = [source]
        while queue:
            part = queue.pop()
            for _, _, child in other.package.rels(part).internal_targets():
                if child not in names:
                    names[child] = self._free_name(child, set(names.values()))
                    queue.append(child)
        for old, new in names.items():
            rels = other.package.rels(old)
            for el in rels.items():
                if el.get("TargetMode") != "External":
                    el.set("Target", "/" + names[_resolve(old, el.get("Target", ""))])
            if rels.items():
                pkg.put(_rels_name(new), _serialise(rels.root))
            if old == source:
                continue
            pkg.put(new, other.package.read(old))
            content_type = other.types.of(old)
            if content_type is None:
                raise UnexpectedStructure(f"no content type for {old}")
            self.types.add(new, content_type)

        convert = self.styles.importer(other.styles)
        text = (other.package.read(source) if xml is None else xml).decode("utf-8")
        text = _restyle(text, convert)
        text = _keep_sheet_properties(text, old_xml)
        pkg.put(target, text.encode("utf-8"))

    def _owned_by(self, sheet: str) -> set[str]:
        """Return the parts reachable only through ``sheet`` (its drawings, charts, ...)."""
        pkg = self.package
        below: set[str] = set()
        queue = [sheet]
        while queue:
            for _, _, child in pkg.rels(queue.pop()).internal_targets():
                if child not in below and child != sheet and pkg.has(child):
                    below.add(child)
                    queue.append(child)
        elsewhere: set[str] = set()
        queue = [""]
        seen = {""}
        while queue:
            part = queue.pop()
            if part == sheet:
                continue
            rels = _Rels(part, pkg.read("_rels/.rels")) if part == "" else pkg.rels(part)
            for _, _, child in rels.internal_targets():
                if child not in seen and pkg.has(child):
                    seen.add(child)
                    elsewhere.add(child)
                    queue.append(child)
        return below - elsewhere

    def _drop(self, part: str) -> None:
        self.package.delete(part)
        self.package.delete(_rels_name(part))
        self.types.remove(part)

    def _free_name(self, part: str, taken: set[str]) -> str:
        folder, name = posixpath.split(part)
        stem, ext = posixpath.splitext(name)
        stem = stem.rstrip("0123456789") or "part"
        used = self.package.names() | taken
        n = 1
        while posixpath.join(folder, f"{stem}{n}{ext}") in used:
            n += 1
        return posixpath.join(folder, f"{stem}{n}{ext}")

    def _drop_calc_chain(self) -> None:
        rels = self.book_rels
        for el in rels.items():
            if el.get("Type") == CALC_CHAIN:
                self._drop(_resolve(self.workbook, el.get("Target", "")))
                rels.root.remove(el)
                self.package.put(_rels_name(self.workbook), _serialise(rels.root))

    def prepare(self) -> None:
        """Finish the changed parts in memory; after this, :meth:`write` only writes the zip."""
        if self._prepared:
            return
        self._drop_calc_chain()
        if self._styles is not None and self._styles.changed and self.styles_part:
            self.package.put(self.styles_part, self._styles.serialise())
        if self.types.changed:
            self.package.put("[Content_Types].xml", _serialise(self.types.root))
        self._prepared = True

    def write(self, target: str | Path, progress: Callable[[int, int], None] | None = None) -> None:
        """Write the patched package to ``target`` (a new file; the source stays as it was).

        ``progress``: called with (bytes written, bytes in all) after each part.
        """
        from .digest import combine, properties_xml

        self.prepare()
        last = None
        if self._custom is not None and self._seal is not None:
            part, values = self._custom
            name, salt = self._seal
            existing = self.package.read(part)

            def make(hashes: dict[str, str]) -> bytes:
                return properties_xml(existing, {**values, name: combine(salt, hashes)})

            last = (part, make)
        self.package.write(Path(target), progress, last)

    def close(self) -> None:
        """Close the source package."""
        self.package.close()

    def __enter__(self) -> Patch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_COL_TAG = re.compile(r"<((?:\w+:)?col)\b([^>]*)>")
_STYLE_ATTR = re.compile(r'\bstyle="(\d+)"')


#: The style of a cell or row: its tag up to the style's number, and the number (the tag's first
#: ``s="…"``; a tag has each attribute once).
_TAG_STYLE = re.compile(r'(<(?:\w+:)?(?:c|row)\b[^>]*?\bs=")(\d+)(?="[^>]*>)')


#: Put on both sides of each style number of a sheet's cells and rows by a writer that knows
#: them (:func:`.write.overview_package`): XML cannot hold it, and :func:`_restyle` then maps
#: the numbers between the marks without reading the tags.
STYLE_MARK = "\x00"


def _restyle(xml: str, convert: Callable[[int], int]) -> str:
    """Map the style indices of a worksheet's cells, rows and columns through ``convert``.

    ``convert`` is called once per style, in the order the styles first appear (it may add a
    style to the package). The sheet is split at the style numbers and joined again: the
    Overzicht of 5,000 customers has 45,000 styled cells (issue 17). A tag with a second style
    attribute (``x:s="…"``) is mapped by :func:`_restyle_by_tag`, as the whole sheet then is.
    """
    if STYLE_MARK in xml:
        return _restyle_marked(xml, convert)
    parts = _TAG_STYLE.split(xml)
    for text in parts[3::3]:  # from a style number to the next styled tag
        if 's="' in text:  # another style attribute in the same tag?
            end = text.find(">")
            if _ATTR_S.search(text, 0, end if end >= 0 else len(text)):
                return _restyle_by_tag(xml, convert)
    numbers = parts[2::3]
    mapped: dict[str, str] = {}
    for number in dict.fromkeys(numbers):
        mapped[number] = str(convert(int(number)))
    parts[2::3] = [mapped[number] for number in numbers]
    return _COL_TAG.sub(lambda m: _restyle_col(m, convert), "".join(parts))


def _restyle_marked(xml: str, convert: Callable[[int], int]) -> str:
    """:func:`_restyle` of a sheet whose cells' and rows' style numbers are marked
    (:data:`STYLE_MARK`); the columns are read in the text around the rows, which hold no
    column."""
    parts = xml.split(STYLE_MARK)
    numbers = parts[1::2]
    if len(parts) % 2 == 0 or not all(n.isascii() and n.isdigit() for n in numbers):
        raise UnexpectedStructure("style marks out of place")
    mapped: dict[str, str] = {}
    for number in dict.fromkeys(numbers):
        mapped[number] = str(convert(int(number)))
    parts[1::2] = [mapped[number] for number in numbers]
    text = "".join(parts)
    start, end = text.find("<sheetData>"), text.rfind("</sheetData>")
    if not 0 <= start < end:
        raise UnexpectedStructure("style marks out of place")

    def col(m: re.Match[str]) -> str:
        return _restyle_col(m, convert)

    return _COL_TAG.sub(col, text[:start]) + text[start:end] + _COL_TAG.sub(col, text[end:])


_CELL_OR_ROW_TAG = re.compile(r"<((?:\w+:)?(?:c|row))\b([^>]*)>")


def _restyle_by_tag(xml: str, convert: Callable[[int], int]) -> str:
    """:func:`_restyle`, tag by tag (the general way)."""

    def cell(m: re.Match[str]) -> str:
        attrs = _ATTR_S.sub(lambda s: f's="{convert(int(s.group(1)))}"', m.group(2))
        return f"<{m.group(1)}{attrs}>"

    return _COL_TAG.sub(lambda m: _restyle_col(m, convert), _CELL_OR_ROW_TAG.sub(cell, xml))


def _restyle_col(m: re.Match[str], convert: Callable[[int], int]) -> str:
    attrs = _STYLE_ATTR.sub(lambda s: f'style="{convert(int(s.group(1)))}"', m.group(2))
    return f"<{m.group(1)}{attrs}>"


_SHEET_VIEW = re.compile(r"<((?:\w+:)?sheetView)\b([^>]*?)(/?)>")
_SHEET_PR = re.compile(r"<((?:\w+:)?sheetPr)\b([^>]*?)(/?)>")
_TAB_SELECTED = re.compile(r'\s+tabSelected="[^"]*"')
_CODE_NAME = re.compile(r'\bcodeName="([^"]*)"')


def _keep_sheet_properties(new: str, old: str) -> str:
    """Carry the old sheet's tab selection and VBA code name over to its replacement."""
    old_view = _SHEET_VIEW.search(old)
    selected = bool(old_view and re.search(r'tabSelected="(1|true)"', old_view.group(2)))

    def view(m: re.Match[str]) -> str:
        attrs = _TAB_SELECTED.sub("", m.group(2))
        if selected:
            attrs = ' tabSelected="1"' + attrs
        return f"<{m.group(1)}{attrs}{m.group(3)}>"

    new = _SHEET_VIEW.sub(view, new, count=1)
    old_pr = _SHEET_PR.search(old)
    code = _CODE_NAME.search(old_pr.group(2)) if old_pr else None
    if code:
        new_pr = _SHEET_PR.search(new)
        if new_pr is None:
            raise UnexpectedStructure("replacement sheet has no sheetPr")
        attrs = _CODE_NAME.sub("", new_pr.group(2))
        new = (
            new[: new_pr.start()] + f'<{new_pr.group(1)} codeName="{code.group(1)}"{attrs}'
            f"{new_pr.group(3)}>" + new[new_pr.end() :]
        )
    return new
