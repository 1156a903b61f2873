"""Recognise a workbook that ``bijwerken`` already brought up to date, without assessing it.

After a saving run, ``bijwerken`` stores a digest in the workbook: a SHA-256 over every cell of
every table it reads (Facturen with its computed columns, Klanten, Betalingen, Acties, Regelingen,
Incassobureaus, Instellingen, Rentes: headers and rows, as they will be read back), the
peildatum, the program version and the shipped rate table (``core/data/rates.csv``). The next run
with the same peildatum reads the tables (python-calamine), computes the digest of what it read
and, when it is the stored one, knows that assessing would write exactly what is there: it
returns without assessing, writing or opening anything else. One changed cell anywhere in those
tables (an input or a computed value typed over), another peildatum, another program version or
rate table gives another digest, and the run does all its work.

The digest and a summary of the figures (for the command line's two lines) are kept as custom
document properties (``docProps/custom.xml``, :data:`DIGEST_PROPERTY` and
:data:`SUMMARY_PROPERTY`). Excel and LibreOffice keep custom properties when they save the file
(Excel shows them under File > Info > Properties > Advanced > Custom); they hold no formula, no
macro and nothing an accountant needs to see. A program that drops them only costs one full run.

The Overzicht is not part of the digest: it is regenerated from the tables, and a hand edit on it
stays until the next run that changes something (the sheet says "wijzig hier niets").
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from ..inputs import LZMAError

__all__ = [
    "DIGEST_PROPERTY",
    "FILE_PROPERTY",
    "SUMMARY_PROPERTY",
    "custom_properties",
    "inputs_digest",
    "package_digest",
    "same_day",
    "tables_current",
]

#: The custom document property that holds the digest (hex).
DIGEST_PROPERTY = "debiteuren-bijgewerkt"
#: The custom document property that holds the figures of the last run (JSON).
SUMMARY_PROPERTY = "debiteuren-samenvatting"
#: The custom document property that holds the digest of the file's bytes as written (hex).
FILE_PROPERTY = "debiteuren-bestand"

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

#: The most bytes of ``docProps/custom.xml`` read (a real one is a few hundred bytes).
_MAX_PROPERTIES = 1 << 20

#: (sheet title, Excel row, Excel column) -> the value as written.
Edits = Mapping[str, Mapping[int, Mapping[int, object]]]


@cache
def _rates_version() -> str:
    data = resources.files("debiteuren.core.data").joinpath("rates.csv").read_bytes()
    return hashlib.sha256(data).hexdigest()


def _as_read(value: object) -> object:
    """Return a value as python-calamine gives it back once written.

    Empty is "", every number a float (Excel keeps no other), a date at midnight a date, text
    and booleans as they are.
    """
    if value is None:
        return ""
    cls = value.__class__
    if cls is str or cls is float or cls is bool or cls is date:
        return value
    if cls is int or cls is Decimal:
        return float(value)  # type: ignore[arg-type]
    if cls is datetime:
        return value.date() if value.time() == datetime.min.time() else value  # type: ignore[attr-defined]
    return value


def inputs_digest(
    tables: Mapping[str, object],
    as_of: date,
    version: str,
    edits: Edits | None = None,
) -> str:
    """Return the hex digest of the tables (as :func:`~.read.load_tables` gives them).

    The rows are hashed as read (python-calamine: "" for empty, floats, dates); an edited row
    is first put in that form, so that the digest after a write is the one the next read gives.
    Read with openpyxl (None for empty, ints), the same workbook gives another digest: the next
    run then simply does its work.

    Args:
      tables: declared sheet name -> TableData.
      as_of: the peildatum.
      version: the program version.
      edits: cells about to be written (sheet title -> Excel row -> Excel column -> value):
        the digest is then that of the tables as they will be read after the write (only the
        edited cells are put in python-calamine's form; the others are as read).
    """
    h = hashlib.sha256(salt(as_of, version).encode())
    edits = edits or {}
    for name in sorted(tables):
        table = tables[name]
        h.update(f"\x1e{name}\x1f{table.headers!r}\n".encode())  # type: ignore[attr-defined]
        rows: Sequence[Sequence[object]] = table.rows  # type: ignore[attr-defined]
        changed = edits.get(table.sheet) or {}  # type: ignore[attr-defined]
        first_row, first_column = table.first_row, table.first_column  # type: ignore[attr-defined]
        # "\n".join(map(repr, rows)), hashed in pieces: the text of 50,000 invoices is not
        # held whole, and a piece's rows are edited only while it is hashed (issue 17)
        for start in range(0, len(rows), _ROWS_PER_PIECE):
            piece = rows[start : start + _ROWS_PER_PIECE]
            if changed:
                piece = [
                    _edited(row, cells, first_column)
                    if (cells := changed.get(first_row + start + k)) is not None
                    else row
                    for k, row in enumerate(piece)
                ]
            text = "\n".join(map(repr, piece))
            if start:
                text = "\n" + text
            h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


_ROWS_PER_PIECE = 2_000


def _edited(row: Sequence[object], cells: Mapping[int, object], first_column: int) -> list:
    out = list(row)
    columns = getattr(cells, "columns", None)  # a RowCells: its columns and values, no pairs
    values = cells.row_values if columns is not None else None  # type: ignore[attr-defined]
    pairs = cells.items() if columns is None else zip(columns, values, strict=True)
    for column, value in pairs:
        pos = column - first_column
        if pos < 0:
            continue
        if pos >= len(out):
            out.extend([""] * (pos + 1 - len(out)))
        cls = value.__class__
        # an amount or a whole number reads back as a float (_as_read, inlined: 115,000 a day)
        out[pos] = float(value) if cls is Decimal or cls is int else _as_read(value)  # type: ignore[arg-type]
    return out


def salt(as_of: date, version: str) -> str:
    """Return what besides the file decides the result: program version, peildatum, rates."""
    return f"{version}\n{as_of.isoformat()}\n{_rates_version()}\n"


def combine(salt_text: str, hashes: Mapping[str, str]) -> str:
    """Return the package digest from the SHA-256 of each part (name -> hex)."""
    h = hashlib.sha256(salt_text.encode())
    for name in sorted(hashes):
        h.update(f"{name}\x1f{hashes[name]}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def package_digest(path: str | Path, salt_text: str) -> str | None:
    """Return the digest of every part of the package but its custom properties, or None.

    The cheap first check of an unchanged workbook: right after ``bijwerken`` saved it, the
    file's parts are exactly what it wrote (any program that saves the file again writes other
    bytes, and the digest of the tables' values decides then). Decompressing and hashing costs
    a fraction of reading the cells.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            custom = _custom_part(archive.read("_rels/.rels"))
            hashes = {}
            for info in archive.infolist():
                if info.filename == custom:
                    continue
                h = hashlib.sha256()
                with archive.open(info) as part:
                    while chunk := part.read(1 << 20):
                        h.update(chunk)
                hashes[info.filename] = h.hexdigest()
    except _UNREADABLE:
        return None
    return combine(salt_text, hashes)


#: What reading a damaged or unusual package raises: a broken zip or part, a part missing, XML
#: that is not well-formed, a zip version or compression zipfile does not know
#: (NotImplementedError, a RuntimeError, as is an encrypted part), damaged LZMA or deflate data.
_UNREADABLE = (
    zipfile.BadZipFile,
    KeyError,
    OSError,
    etree.XMLSyntaxError,
    ValueError,
    RuntimeError,
    EOFError,
    LZMAError,
    zlib.error,
)


def same_day(stored: Mapping[str, str], as_of: date) -> bool:
    """Return True when the last saving run stored its figures for peildatum ``as_of``
    (``stored``: :func:`custom_properties`)."""
    return read_summary(stored.get(SUMMARY_PROPERTY)).get("peildatum") == as_of.isoformat()


def tables_current(
    stored: Mapping[str, str], tables: Mapping[str, object], as_of: date, version: str
) -> bool:
    """Return True when ``tables`` are those the last saving run left, for peildatum
    ``as_of`` (``stored``: :func:`custom_properties`): their computed columns then hold the
    assessment at ``as_of``, as assessing again would write them."""
    digest = stored.get(DIGEST_PROPERTY)
    return (
        bool(digest) and same_day(stored, as_of) and digest == inputs_digest(tables, as_of, version)
    )


def summary_text(figures: Mapping[str, object]) -> str:
    """Return the summary property's text: JSON, amounts as strings (Decimal stays exact)."""
    return json.dumps({k: str(v) for k, v in figures.items()}, separators=(",", ":"))


def read_summary(text: str | None) -> dict[str, str]:
    """Return the figures of :func:`summary_text`, or {} when ``text`` is not such a summary."""
    try:
        found = json.loads(text or "")
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    return {str(k): str(v) for k, v in found.items()}


def custom_properties(path: str | Path) -> dict[str, str]:
    """Return the text custom document properties of an .xlsx file ({} when it has none).

    Reads only the package's relationships and ``docProps/custom.xml``; a damaged or unusual
    package gives {} (the caller then does the full run that reports the problem).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            part = _custom_part(archive.read("_rels/.rels"))
            if part is None or archive.getinfo(part).file_size > _MAX_PROPERTIES:
                return {}
            return parse_properties(archive.read(part))
    except _UNREADABLE:
        return {}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _custom_part(rels: bytes) -> str | None:
    root = etree.fromstring(rels, _parser())
    for el in root:
        if el.get("Type") == CUSTOM_REL and el.get("TargetMode") != "External":
            return el.get("Target", "").lstrip("/")
    return None


def parse_properties(data: bytes) -> dict[str, str]:
    """Return name -> text of the custom properties in ``docProps/custom.xml`` data."""
    root = etree.fromstring(data, _parser())
    out = {}
    for prop in root:
        if etree.QName(prop).localname != "property":
            continue
        values = [v.text or "" for v in prop if etree.QName(v).localname in ("lpwstr", "lpstr")]
        if values:
            out[prop.get("name", "")] = values[0]
    return out


def properties_xml(existing: bytes | None, values: Mapping[str, str]) -> bytes:
    """Return ``docProps/custom.xml`` with ``values`` set (text properties), others kept."""
    if existing is not None:
        root = etree.fromstring(existing, _parser())
    else:
        root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    props = [p for p in root if etree.QName(p).localname == "property"]
    given = [p.get("pid") or "" for p in props]
    pids = [int(pid) for pid in given if pid.isascii() and pid.isdigit()]  # "²" is a digit too
    next_pid = max(pids, default=1) + 1
    for name, text in values.items():
        prop = next((p for p in props if p.get("name") == name), None)
        if prop is None:
            prop = etree.SubElement(
                root,
                f"{{{CUSTOM_NS}}}property",
                fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}",
                pid=str(next_pid),
                name=name,
            )
            next_pid += 1
        for child in list(prop):
            prop.remove(child)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def properties_for(
    tables: Mapping[str, object],
    as_of: date,
    version: str,
    computed: Mapping[int, Mapping[int, object]],
    text_cells: Sequence[object],
    ov: object,
    to_review: int = 0,
) -> dict[str, str]:
    """Return the custom properties that let the next run see that nothing changed: the digest
    of the tables as they will be read after writing ``computed`` (on Facturen) and the
    ``text_cells`` as real values, and the figures of the Overzicht ``ov``."""
    from . import schema

    facturen = tables[schema.FACTUREN.name]
    # the computed cells as they are; a row that text cells change too is merged into a copy
    # (copying every row's cells held 15 MB more at 50,000 invoices, issue 17)
    extra: dict[str, dict[int, dict[int, object]]] = {}
    for c in text_cells:
        extra.setdefault(c.sheet, {}).setdefault(c.row, {})[c.column] = c.value  # type: ignore[attr-defined]
    edits: dict[str, Mapping[int, Mapping[int, object]]] = dict(extra)
    sheet = facturen.sheet  # type: ignore[attr-defined]
    merged: dict[int, Mapping[int, object]] = dict(computed)
    for row, cells in extra.get(sheet, {}).items():
        merged[row] = {**computed.get(row, {}), **cells}
    edits[sheet] = merged
    watch = getattr(ov, "watch", None)
    figures = {
        "peildatum": as_of.isoformat(),
        "open": ov.invoices_open,  # type: ignore[attr-defined]
        "vervallen": ov.invoices_overdue,  # type: ignore[attr-defined]
        "klanten": len(ov.debtors),  # type: ignore[attr-defined]
        "hoofdsom": ov.principal_open,  # type: ignore[attr-defined]
        "rente": ov.interest_open,  # type: ignore[attr-defined]
        "kosten": ov.costs_open,  # type: ignore[attr-defined]
        "totaal": ov.outstanding,  # type: ignore[attr-defined]
        "verjaring": len(watch.limitation) if watch is not None else 0,
        "rentewaarschuwingen": len(ov.rate_warnings),  # type: ignore[attr-defined]
        "te_controleren": to_review,
    }
    checks = getattr(ov, "checks", ())
    if checks:  # only then, as below: a book with nothing to check keeps its summary
        figures["controleren_werkboek"] = len(checks)
    credits = getattr(ov, "credits", ())
    if credits:  # only then: the summary of a book without credit stays as it was
        figures["tegoed_klanten"] = len(credits)
        figures["tegoed"] = ov.credit_total  # type: ignore[attr-defined]
    refunded = getattr(ov, "refunded", ())
    if refunded:  # likewise
        figures["terugbetaald_klanten"] = len(refunded)
        figures["terugbetaald"] = ov.refunded_total  # type: ignore[attr-defined]
    return {
        DIGEST_PROPERTY: inputs_digest(tables, as_of, version, edits),
        SUMMARY_PROPERTY: summary_text(figures),
    }
