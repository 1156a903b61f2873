"""Read the workbook: cells become model objects, and every problem becomes a located Issue.

Two layers, so that other readers (a live Excel book via xlwings, a fast calamine reader) reuse
the conversion:

1. a loader turns each sheet's Excel Table into a plain :class:`TableData` (header texts, row
   values, where the rows start). :func:`load_tables` is the openpyxl loader (``read_only``,
   ``data_only``);
2. :func:`convert_tables` is pure: TableData -> :class:`WorkbookData` plus a list of
   :class:`~debiteuren.errors.Issue`, each located at a :class:`~debiteuren.errors.CellRef`
   (sheet, Excel row, column header) with a Dutch sentence saying what is wrong and what to do.

Excel values are converted once, here: floats become ``Decimal(repr(x))`` rounded to cents,
amounts typed as text are read as a Dutch user types them (``'1.250,00``, ``€ 500,-``; an
ambiguous ``1,250`` is refused), datetimes become dates, date texts ``31-12-2025`` and
``2025-12-31`` are read, empty strings become None. A date or number typed as text is listed in
``WorkbookData.text_cells``, so that a command that saves the workbook writes it back as a real
date or number (Excel's sums skip text); rows typed under a table that did not grow
(LibreOffice does not grow Excel tables) are read, and :func:`table_growth` says how to take
them into the table.
Columns are found by header text (:mod:`.schema`); unknown columns and sheets are ignored, and
completely empty rows are skipped.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import posixpath
import re
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from difflib import SequenceMatcher
from operator import itemgetter
from pathlib import Path
from typing import IO, NamedTuple
from xml.etree import ElementTree

from stdnum import get_cc_module
from stdnum import iban as stdnum_iban

from ..core.claim import OpenAmount, unlinked_credit_notes
from ..core.model import (
    YEARS,
    YEARS_NOTE,
    Action,
    Agency,
    Channel,
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    LetterState,
    Payment,
    PlanInstalment,
    Settings,
    Step,
)
from ..core.money import MAX_AMOUNT, ZERO, Decimal, round_cents, to_decimal
from ..core.rates import RateRow, builtin, series_label
from ..core.references import is_valid_iban
from ..core.review import PaymentToReview
from ..core.rules import first_uncovered_day, law_problem
from ..core.rules.lifecycle import MADE_LATER, made_on
from ..errors import CellRef, DebiteurenError, Issue
from ..filenames import WORKBOOK_SUFFIXES
from ..formatting import country_code, country_name, whole_number
from ..inputs import LZMAError
from ..untrusted import (
    BLANK_LETTERS,
    SPACED_ADDRESS,
    email_problem,
    long_number_problem,
    normalize_code,
    one_line,
    quoted_value,
    recipients,
    shows_nothing,
    spaceless_key,
    visible_text,
)
from . import inflated, schema
from .files import missing_workbook
from .schema import ColumnType, SettingTarget, Sheet

__all__ = [
    "DamagedPart",
    "DamagedSheet",
    "InTurn",
    "NotAWorkbook",
    "OtherFileType",
    "ReadAgain",
    "RowsOutOfOrder",
    "StrictWorkbook",
    "TableData",
    "TableEdit",
    "TableGrowth",
    "TextCell",
    "WorkbookData",
    "WorkbookNotFound",
    "convert_tables",
    "fastest_engine",
    "load_tables",
    "open_book",
    "payments_to_review",
    "read_workbook",
    "sheet_titles",
    "sheet_values",
    "stored_open_amounts",
    "table_growth",
    "vat_problem",
]


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TableData:
    """One sheet's table as plain values, independent of the library that read it.

    Attributes:
      sheet: the worksheet's name as in the workbook (used in every CellRef).
      headers: the header texts, left to right ("" for an empty header cell).
      rows: the data rows' values, in the same column order; a row may be shorter than
        ``headers`` (missing cells are empty). Values are what Excel holds: str, int, float,
        bool, datetime, date or None.
      first_row: the Excel row number of ``rows[0]`` (the header is on ``first_row - 1``).
      first_column: the Excel column number (1 = A) of ``headers[0]``.
      table: the Excel Table's name, or "" when the header row 1 was used (no table found).
      last_row: the Excel row of the table's last data row as the table is defined; ``rows``
        may go on below it (rows typed under a table that did not grow). None: no table, or
        a reader that gives the table's rows only.
      uncached: the cells (Excel row, column number, error) that hold a formula without a
        computed value (saved by openpyxl or another program that does not calculate; error
        "") or an error value (``#DEELN/0!``, ``#N/B``: error is its text): readers give them
        as empty or as text, but they are neither; or a formula with TODAY() or NOW()
        (error "VANDAAG"), whose value moves every day.
      date1904: the workbook counts dates from 1904 (Excel for Mac's old date system): a day
        number in a date column that is not marked as a date counts from there.
      totals_rows: the rows of the table's totals row (Excel's Totaalrij), below ``last_row``:
        a row added to the table would land on it.
    """

    sheet: str
    headers: list[str]
    rows: Sequence[Sequence[object]]
    first_row: int = 2
    first_column: int = 1
    table: str = ""
    last_row: int | None = None
    uncached: tuple[tuple[int, int, str], ...] = ()
    date1904: bool = False
    totals_rows: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class TextCell:
    """A date or number that was typed as text; read as its value, to be written back as one.

    Excel skips text in its sums and sorts it apart from dates, so a command that saves the
    workbook writes ``value`` into the cell (with the column's number format) and says so.

    Attributes:
      sheet: the worksheet's name; ``row`` and ``column`` the Excel row and column (1 = A).
      header: the column's header, for the message.
      text: what the cell held.
      value: the date, Decimal amount, whole number or percentage fraction it means.
      number_format: the column's Excel number format.
    """

    sheet: str
    row: int
    column: int
    header: str
    text: str
    value: object
    number_format: str

    @property
    def message(self) -> str:
        """Return the Dutch sentence that says what was converted."""
        value = self.value
        if isinstance(value, datetime):
            shown = f"de datum {value:%d-%m-%Y %H:%M}"
        elif isinstance(value, date):
            shown = f"de datum {_nl_date(value)}"
        elif self.number_format.endswith("%"):
            percent = f"{Decimal(str(value)) * 100:f}".rstrip("0").rstrip(".")
            shown = f"het percentage {percent.replace('.', ',')}%"
        elif isinstance(value, Decimal):
            shown = f"het bedrag {_nl_money(value)}"
        else:
            shown = f"het getal {value}"
        where = CellRef(sheet=self.sheet, row=self.row, column=self.header)
        return f"{where}: '{quoted_value(self.text)}' stond als tekst in de cel; nu {shown}."


@dataclass(frozen=True, slots=True, kw_only=True)
class TableGrowth:
    """Rows typed directly under an Excel Table that did not grow with them.

    Attributes:
      sheet: the worksheet's name; ``table`` the Excel Table's name.
      ref: the table's range now (``A1:V41``); ``new_ref`` the range that takes the rows in.
      first, last: the Excel rows taken in.
    """

    sheet: str
    table: str
    ref: str
    new_ref: str
    first: int
    last: int

    @property
    def message(self) -> str:
        """Return the Dutch sentence that says which rows joined the table."""
        rows = (
            f"rij {self.first}" if self.first == self.last else f"rij {self.first} t/m {self.last}"
        )
        return f"{self.sheet}: {rows}, onder de tabel getypt, hoort nu bij de tabel {self.table}."


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkbookData:
    """Everything read from the workbook, as model objects.

    Attributes:
      creditor: the user's business (Instellingen).
      settings: the legal choices (Instellingen); defaults where a row is missing or empty.
      letter_folder: "Uitvoermap brieven", or "" for the default.
      debtors: customer number -> Debtor.
      invoices: in sheet order.
      payments: in sheet order; ``payment_rows[i]`` is the Excel row of ``payments[i]``.
      actions: the Acties log, in sheet order.
      plans: payment plan instalments, in sheet order.
      rate_rows: the Rentes sheet's rows as :class:`~debiteuren.core.rates.RateRow` (rate in
        percent; status the rates.csv code, ``user`` for an own row); for
        ``RateBook.with_rows``. Empty when the sheet is missing.
      invoice_rows: invoice number -> Excel row on Facturen, for writing back.
      last_statement: the date of the newest bank statement read ("Laatste bankafschrift",
        else the newest payment imported from a statement), or None.
      own_ibans: the creditor's IBAN and "Andere eigen rekeningen (IBAN)", compact.
      to_review: the payments with the status "Te controleren" (not counted anywhere).
      text_cells: dates and numbers typed as text, read as their value; a command that saves
        the workbook writes them back as real dates and numbers (:class:`TextCell`).
      action_rows: the Excel row on Acties of each of ``actions`` (same order), so a letter's
        Status can be set (``debiteuren verzonden``).
      warnings: what the book records that is read, but that the user should check, each at
        its cell: a credit note whose Crediteert factuur names no invoice it lowers
        (:func:`_credit_note_warnings`). They stop nothing.
    """

    creditor: Creditor
    settings: Settings = field(default_factory=Settings)
    letter_folder: str = ""
    debtors: dict[str, Debtor] = field(default_factory=dict)
    invoices: list[Invoice] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    plans: list[PlanInstalment] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    rate_rows: list[RateRow] = field(default_factory=list)
    invoice_rows: dict[str, int] = field(default_factory=dict)
    payment_rows: list[int] = field(default_factory=list)
    action_rows: list[int] = field(default_factory=list)
    last_statement: date | None = None
    own_ibans: tuple[str, ...] = ()
    to_review: list[PaymentToReview] = field(default_factory=list)
    text_cells: list[TextCell] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    #: Klanten and Facturen as converted, for :func:`convert_tables` to reuse when they are
    #: unchanged (not part of the data: not compared, not shown).
    converted: _Converted | None = field(default=None, repr=False, compare=False)
    #: Betalingen as converted, for :func:`convert_tables` to convert only its changed rows.
    payments_read: _PaymentsRead | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class _Converted:
    """Klanten and Facturen converted from these very tables at this peildatum."""

    as_of: date
    klanten: TableData | None
    facturen: TableData | None
    debtors: tuple
    invoices: tuple
    issues: tuple[Issue, ...]
    text_cells: tuple[TextCell, ...]

    def fits(self, tables: Mapping[str, TableData], as_of: date) -> bool:
        """Return True when ``tables`` hold the same Klanten and Facturen objects."""
        return (
            self.as_of == as_of
            and tables.get(schema.KLANTEN.name) is self.klanten
            and tables.get(schema.FACTUREN.name) is self.facturen
        )


@dataclass(frozen=True, slots=True)
class TableEdit:
    """How a table changed since it was converted, for :func:`convert_tables` to convert only
    what changed.

    Attributes:
      before: the table as it was converted.
      rows: the Excel rows whose cells changed, and those appended.
      columns: the Excel columns of the cells changed on rows that were there before.
    """

    before: TableData
    rows: frozenset[int]
    columns: frozenset[int]


@dataclass(frozen=True, slots=True)
class _PaymentsRead:
    """Betalingen converted from this very table at this peildatum, without a problem: a
    change that appends rows (``betalingen`` appends 100,000 to 20,000) or sets a few cells is
    converted row by row from here (issue 17).

    Attributes:
      payments, payment_rows: the payments counted and their rows (as converted: the data's
        lists may be changed by their user).
      uncounted: (bank reference, row) of each row with a bank reference that is not counted
        (under review, reversed): with the payments, every row that has one.
      text_cells: the cells of Betalingen typed as text (:class:`TextCell`).
      to_review: the rows under review (:func:`_review_payments`).
      newest: the newest day of a row from a bank statement (:func:`_last_statement`).
    """

    table: TableData
    as_of: date
    payments: tuple[Payment, ...]
    payment_rows: tuple[int, ...]
    uncounted: tuple[tuple[str, int], ...]
    text_cells: tuple[TextCell, ...]
    to_review: tuple[PaymentToReview, ...]
    newest: date | None


class WorkbookNotFound(DebiteurenError):
    """The workbook file does not exist."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(missing_workbook(path, "controleer de naam en de map"))


class NotAWorkbook(DebiteurenError):
    """The file is not an .xlsx/.xlsm workbook, or cannot be opened."""

    def __init__(self, path: str | os.PathLike[str], reason: str = "") -> None:
        detail = f": {reason}" if reason else ""
        super().__init__(
            f"{path} is geen Excel-werkboek (.xlsx) of kan niet geopend worden{detail}; "
            "sla het op als Excel-werkmap en probeer opnieuw."
        )


def _unreadable(exc: Exception) -> str:
    """Return in Dutch why a workbook could not be opened (not the Python name of the error,
    which told a user nothing)."""
    if isinstance(exc, zipfile.BadZipFile):
        return "het is geen .xlsx-pakket (beschadigd, of een ander soort bestand met die naam)"
    if isinstance(exc, KeyError):
        return "er ontbreekt een onderdeel dat elk Excel-werkboek heeft"
    if isinstance(exc, SyntaxError | zlib.error | TypeError):
        return "een onderdeel ervan is beschadigd"
    if isinstance(exc, OSError):
        return f"het kon niet gelezen worden ({exc.strerror or exc})"
    if isinstance(exc, NotImplementedError):
        return (
            "het is ingepakt op een manier die debiteuren niet kan lezen (een nieuwere "
            "zip-versie of compressie)"
        )
    return "de inhoud is niet zoals Excel een werkboek schrijft"


class OtherFileType(NotAWorkbook):
    """The file's name does not end in .xlsx or .xlsm (an .xls, .ods or .csv, or a workbook
    renamed so): python-calamine picks its reader by that ending, and Excel refuses a workbook
    whose ending does not match its content."""

    def __init__(self, path: Path) -> None:
        DebiteurenError.__init__(
            self,
            f"{path.name} is geen Excel-werkmap: debiteuren leest alleen bestanden die op "
            ".xlsx of .xlsm eindigen. Open het in Excel of LibreOffice, kies Bestand > Opslaan "
            "als > 'Excel-werkmap (*.xlsx)' en geef dat bestand. Er is niets gewijzigd.",
        )


def _refuse_other_file_type(source: Path) -> None:
    """Raise :class:`OtherFileType` unless ``source`` ends in .xlsx or .xlsm."""
    if source.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise OtherFileType(source)


class StrictWorkbook(DebiteurenError):
    """The workbook is saved as Strict Open XML (Excel's "Strict Open XML-spreadsheet"): its
    parts use other namespaces, which neither the readers nor the patcher nor openpyxl know, so
    it is refused whole before anything is read or written."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(
            f"{path} is opgeslagen als 'Strict Open XML-spreadsheet'; dat formaat kan debiteuren "
            "niet lezen of bijwerken. Er is niets gewijzigd. Open het werkboek in Excel, kies "
            "Bestand > Opslaan als > 'Excel-werkmap (*.xlsx)' en probeer opnieuw."
        )


class RowsOutOfOrder(DebiteurenError):
    """A worksheet's rows are not in ascending order in its XML (the standard asks for it;
    Excel, LibreOffice and openpyxl write them so): openpyxl's read-only reader, which reads a
    sheet with a far-away cell, skips a row that comes after a later one, so a whole invoice or
    payment would be missing without a word."""

    def __init__(self, path: str | os.PathLike[str], title: str, row: int) -> None:
        super().__init__(
            f"Op het werkblad '{title}' in {path} staan de rijen niet op volgorde (rij {row} "
            "staat na een latere rij), zoals Excel en LibreOffice ze nooit bewaren; debiteuren "
            "zou rijen overslaan. Er is niets gewijzigd. Open het werkboek in Excel of "
            "LibreOffice, sla het opnieuw op (dan staan de rijen op volgorde) en probeer opnieuw."
        )


class TableOnOverview(DebiteurenError):
    """A sheet titled Overzicht holds an Excel Table: debiteuren draws the Overzicht anew on
    every saving run, and that table would be gone (tblFacturen with every invoice, when
    Facturen was renamed Overzicht and the old Overzicht deleted)."""

    def __init__(self, path: str | os.PathLike[str], title: str, tables: list[str]) -> None:
        names = ", ".join(one_line(t, 60) for t in tables[:5])
        noun = "de tabel" if len(tables) == 1 else "de tabellen"
        super().__init__(
            f"Het blad '{one_line(title, 60)}' in {path} bevat {noun} {names}. debiteuren "
            "tekent het blad Overzicht bij elke opdracht opnieuw en zou die tabel dan "
            "overschrijven; er is niets gewijzigd. Geef dat blad in Excel een andere naam (de "
            "naam die het hoort te hebben, zoals Facturen), of zet de tabel op een ander blad, "
            "en probeer opnieuw."
        )


def _refuse_tables_on_overview(path: Path, parts: dict[str, list[_TablePart]]) -> None:
    """Raise TableOnOverview when the sheet titled Overzicht (as a title is compared) holds an
    Excel Table: every table is looked at, also of sheets this command does not read."""
    overview = schema.normalize_header(schema.OVERZICHT.name)
    for title, found in parts.items():
        if found and schema.normalize_header(title) == overview:
            raise TableOnOverview(path, title, [t.name or "(zonder naam)" for t in found])


class HugeMerge(DebiteurenError):
    """A sheet merges cells over so large a range that openpyxl, which makes an object of every
    merged cell when it loads a workbook to save it, would fill the memory."""

    def __init__(self, path: str | os.PathLike[str], title: str, ref: str) -> None:
        super().__init__(
            f"Het blad '{one_line(title, 60)}' in {path} voegt cellen samen over een heel groot "
            f"bereik ({one_line(ref, 40)}); zo'n werkboek kan debiteuren niet veilig opslaan. Er "
            "is niets gewijzigd. Maak het samenvoegen ongedaan (Start > Samenvoegen en "
            "centreren) of sla het werkboek in Excel opnieuw op, en probeer opnieuw."
        )


#: The most cells a workbook may merge, all sheets together, for :func:`open_book` (a merged
#: title over a few columns is some dozens; openpyxl makes an object of about 100 bytes for each).
MAX_MERGED_CELLS = 1_000_000
_MERGE = re.compile(
    rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})\""
)


def _refuse_huge_merges(path: Path) -> None:
    """Raise HugeMerge when the merged cells of the workbook's sheets together are more than
    :data:`MAX_MERGED_CELLS` (a merge of A100:XFD1048576 made openpyxl fill all memory before
    a save: found by fuzzing). The sheets' merge lists are searched, not parsed."""
    total = 0
    with zipfile.ZipFile(path) as archive:
        for title, part in _sheet_parts(archive).items():
            with archive.open(part) as stream:
                data = stream.read()
            for found in _MERGE.finditer(data):
                first, top, last, bottom = found.groups()
                columns = _column_number(last.decode()) - _column_number(first.decode()) + 1
                total += max(columns, 1) * max(int(bottom) - int(top) + 1, 1)
                if total > MAX_MERGED_CELLS:
                    ref = b"%s%s:%s%s" % (first, top, last, bottom)
                    raise HugeMerge(path, title, ref.decode("ascii"))


class DamagedSheet(DebiteurenError):
    """A worksheet's XML cannot be read (a number that is no number, bytes that are no UTF-8,
    an unknown cell type): the file is damaged, and nothing was changed."""

    def __init__(self, path: str | os.PathLike[str], title: str, reason: str = "") -> None:
        detail = f" ({reason})" if reason else ""
        super().__init__(
            f"Het werkblad '{title}' in {path} is beschadigd en kan niet gelezen worden{detail}. "
            "Er is niets gewijzigd. Open het werkboek in Excel en sla het opnieuw op (Excel "
            "herstelt wat het kan), of zet de laatste reservekopie terug."
        )


class DamagedPart(DebiteurenError):
    """A part of the workbook's package does not unpack as its zip entry says (its CRC or
    size), found while the workbook is saved: nothing was changed."""

    def __init__(self, path: str | os.PathLike[str], part: str = "") -> None:
        detail = f" ({part})" if part else ""
        super().__init__(
            f"{path} is beschadigd: een deel van het bestand klopt niet{detail}. Er is niets "
            "gewijzigd. Open het werkboek in Excel en sla het opnieuw op (Excel herstelt wat "
            "het kan), of zet de laatste reservekopie terug."
        )


# --- entry point --------------------------------------------------------------------------------


def read_workbook(
    path: str | os.PathLike[str], as_of: date, *, engine: str = "openpyxl"
) -> tuple[WorkbookData, list[Issue]]:
    """Read the workbook at ``path`` into model objects and the problems found.

    Args:
      path: the .xlsx (or .xlsm) file.
      as_of: the peildatum; dates after it (invoice, payment, action) are reported.
      engine: the loader, ``"openpyxl"`` or ``"calamine"`` (see :func:`load_tables`).
    Returns:
      ``(data, issues)``; with issues, ``data`` holds what could be read and must not be used
      to write anything. Raises :class:`WorkbookNotFound` or :class:`NotAWorkbook` when the file
      cannot be read at all.
    """
    return convert_tables(load_tables(path, engine=engine), as_of)


# --- layer 1: the openpyxl loader ---------------------------------------------------------------


class _TablePart(NamedTuple):
    name: str
    ref: str
    header_rows: int
    totals_rows: int


def load_tables(
    path: str | os.PathLike[str],
    *,
    engine: str = "openpyxl",
    only: Iterable[str] | None = None,
    in_turn: bool = False,
) -> dict[str, TableData]:
    """Load every declared sheet's table from an .xlsx file as plain values.

    Each sheet's table is found by its Excel Table name (``tblFacturen``, on whatever sheet it
    is), else by the sheet name (its first table, or else the header on row 1). Rows typed
    directly under a table that did not grow with them are read too.

    Args:
      path: the workbook file.
      engine: ``"openpyxl"`` (read-only mode; a dependency) or ``"calamine"`` (the optional
        python-calamine package, about eight times faster on large workbooks). Both give the
        same TableData for the conversion.
      only: the declared sheet names to read (default: all).
      in_turn: return at once when only the largest sheet is left to read, as an
        :class:`InTurn` that reads it in a thread meanwhile (python-calamine parses without the
        GIL: the caller converts the other sheets in the meantime).
    Returns:
      Declared sheet name -> TableData, for the sheets found (missing sheets are absent).
    """
    from openpyxl.utils.exceptions import InvalidFileException

    source = Path(path)
    if not source.is_file():
        raise WorkbookNotFound(source)
    _refuse_other_file_type(source)
    checking = None  # the large sheet's extent, checked on a second core meanwhile
    try:
        _refuse_a_bomb(source)
        _refuse_doctypes(source)
        parts, date1904 = _table_parts(source)
        _refuse_tables_on_overview(source, parts)
        if engine == "calamine":
            declared = _declared_titles(parts)
            checking = _check_aside(source, declared)
            if checking is not None:
                declared -= {checking.title}
                checking.scan_here()  # its cells here, its rows in the copy meanwhile
            if not _dense_ok(source, declared):
                engine = "openpyxl"  # a far-away cell: read only the tables' used range
                checking = checking.close() if checking is not None else None
        if engine == "openpyxl":
            _refuse_rows_out_of_order(source, _declared_titles(parts))
        opened = _Calamine(source) if engine == "calamine" else _Openpyxl(source)
    except (
        zipfile.BadZipFile,
        KeyError,
        SyntaxError,  # ElementTree's ParseError, and lxml's XMLSyntaxError (openpyxl uses lxml)
        InvalidFileException,
        OSError,
        ValueError,
        TypeError,  # openpyxl's descriptors: a sheetId "abc", a property without a name
        zlib.error,  # a part whose compressed data is damaged
        NotImplementedError,  # a zip version or compression zipfile does not know
    ) as exc:
        raise NotAWorkbook(source, _unreadable(exc)) from exc
    try:
        titles = {schema.normalize_header(title): title for title in opened.sheetnames}
        wanted = None if only is None else set(only)
        found = []
        for sheet in schema.SHEETS:
            if not sheet.table or (wanted is not None and sheet.name not in wanted):
                continue
            title, part = _locate(sheet, titles, parts)
            if title is not None:
                found.append((sheet.name, title, part))
        parsing = None
        if in_turn and checking is not None and any(t == checking.title for _, t, _ in found):
            # parsed in a thread from now on, while the other sheets are read here
            parsing, checking = _Parsing(source, checking), None  # it takes over the check
        large = parsing.title if parsing is not None else getattr(checking, "title", None)
        tables: dict[str, TableData] = {}
        later = []  # the large sheet: read once its extent is known to be safe
        for name, title, part in found:
            if title == large:
                later.append((name, title, part))
                continue
            try:
                tables[name] = opened.table(title, part)
            except CalaminePanic:  # only python-calamine panics: every sheet by openpyxl
                if parsing is not None:
                    parsing.join()
                    parsing.close()
                return load_tables(source, engine="openpyxl", only=only)
        if parsing is not None:
            ordered = {s.name: tables[s.name] for s in schema.SHEETS if s.name in tables}
            ordered = _dated(ordered, date1904)
            return InTurn(source, ordered, later, parsing, only, date1904)  # type: ignore[return-value]
        if checking is not None and not checking.result():
            # a far-away cell on the large sheet: all read as when it was found beforehand
            return load_tables(source, engine="openpyxl", only=only)
        try:
            for name, title, part in later:
                tables[name] = opened.table(title, part)
        except CalaminePanic:
            return load_tables(source, engine="openpyxl", only=only)
        return _dated({s.name: tables[s.name] for s in schema.SHEETS if s.name in tables}, date1904)
    finally:
        if checking is not None:
            checking.close()
        opened.close()


class ReadAgain(Exception):
    """The large sheet of an :class:`InTurn` turned out not to be safe for python-calamine (a
    far-away cell): every sheet was read again with openpyxl; convert ``tables`` instead."""

    def __init__(self, tables: dict[str, TableData]) -> None:
        super().__init__("read again with openpyxl")
        self.tables = tables


class _Parsing:
    """The large sheet parsed by python-calamine in a thread (it runs without the GIL), as soon
    as its extent check (:class:`_CheckAside`) says that is safe; the thread closes the check."""

    def __init__(self, source: Path, checking: _CheckAside) -> None:
        self.source, self.title, self.checking = source, checking.title, checking
        self.parsed: tuple[object, object] | None = None  # the book and its sheet
        self.safe = True
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._parse, name="calamine", daemon=True)
        self._thread.start()

    def _parse(self) -> None:
        try:
            self.safe = self.checking.result()
            self.checking.close()  # its result stays
            if self.safe:
                book = _calamine_book(self.source)
                self.parsed = (book, _calamine_sheet(book, self.source, self.title))
        except BaseException as exc:  # raised where the sheet is looked up
            self.error = exc

    def join(self) -> None:
        self._thread.join()

    def close(self) -> None:
        """Let go of the parsed sheet (a thread still reading lets go of it when it ends)."""
        if self._thread.is_alive():
            return
        book, self.parsed = (self.parsed or (None, None))[0], None
        close = getattr(book, "close", None)
        if close is not None:
            close()


class InTurn(Mapping[str, TableData]):
    """A workbook's tables while its largest sheet is still being read (issue 17).

    A thread waits for that sheet's extent check (:class:`_CheckAside`) and has python-calamine
    parse it, which runs without the GIL (:class:`_Parsing`, started before the other sheets
    are read); looking the sheet up waits for it. Until then the other tables can be converted
    (:func:`convert_tables` takes Instellingen and Klanten first). When the check finds a
    far-away cell, the lookup raises :class:`ReadAgain` with every table read by openpyxl, as
    :func:`load_tables` would have returned them.
    """

    def __init__(
        self,
        source: Path,
        tables: dict[str, TableData],
        later: list[tuple[str, str, _TablePart | None]],
        parsing: _Parsing,
        only: Iterable[str] | None,
        date1904: bool = False,
    ) -> None:
        self._source, self._tables, self._later = source, tables, later
        self._parsing, self._only, self._date1904 = parsing, only, date1904
        waiting = {name for name, _, _ in later}
        self._names = [s.name for s in schema.SHEETS if s.name in tables or s.name in waiting]

    def finished(self) -> dict[str, TableData]:
        """Return every table, once the large sheet is read."""
        if self._later:
            parsing = self._parsing
            later, self._later = self._later, []
            # the cells of formulas without a value, found while the thread parses (issue 17),
            # in the XML the extent check read
            kept = self._parsing.checking.data
            marks = {
                title: _uncached_on(self._source, title)
                if kept is None or title != self._parsing.title
                else _uncached_cells(kept)
                for _, title, _ in later
            }
            parsing.join()  # its thread has asked the check, which reads the XML too
            self._parsing.checking.data = None
            if kept is not None:  # kept for the save, which patches this sheet (issue 17)
                inflated.keep(self._source, self._parsing.checking.part, kept)
            del kept
            try:
                if parsing.error is not None:
                    raise parsing.error
                if not parsing.safe:
                    raise ReadAgain(load_tables(self._source, engine="openpyxl", only=self._only))
                assert parsing.parsed is not None
                for name, title, part in later:
                    try:
                        table = _calamine_table(parsing.parsed[1], title, part)
                    except CalaminePanic:
                        raise ReadAgain(
                            load_tables(self._source, engine="openpyxl", only=self._only)
                        ) from None
                    table = _marked(table, marks[title])
                    if self._date1904:
                        table = dataclasses.replace(table, date1904=True)
                    self._tables[name] = table
                self._tables = {n: self._tables[n] for n in self._names}
            finally:
                self.close()
        return self._tables

    def close(self) -> None:
        """Let go of the parsed sheet (the thread ends on its own)."""
        self._parsing.close()

    def __getitem__(self, name: str) -> TableData:
        if name not in self._tables and name in self._names:
            self.finished()
        return self._tables[name]

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def sheet_values(path: str | os.PathLike[str], title: str) -> list[list[object]] | None:
    """Return the cell values of sheet ``title`` from A1 on, or None when there is no such sheet.

    None too when the sheet spans more than :data:`MAX_DENSE_CELLS` cells (a value far away).
    Read with python-calamine when installed (empty cells are ""), else openpyxl's read-only
    mode (empty cells are None).
    """
    source = Path(path)
    if not _dense_ok(source, (title,)):
        return None  # too far-flung to compare cell by cell: the caller rewrites the sheet
    if fastest_engine() == "calamine":
        from python_calamine import CalamineError

        book = _calamine_book(source)
        try:
            if title not in book.sheet_names:
                return None
            return _calamine_grid(book.get_sheet_by_name(title))
        except (CalamineError, CalaminePanic):  # compared with nothing, so written anew
            return None
        finally:
            close = getattr(book, "close", None)
            if close is not None:
                close()
    import openpyxl

    try:
        _refuse_doctypes(source)
    except (zipfile.BadZipFile, OSError, zlib.error) as exc:
        raise NotAWorkbook(source, _unreadable(exc)) from exc
    wb = openpyxl.load_workbook(source, read_only=True, data_only=True)
    try:
        if title not in wb.sheetnames:
            return None
        return [list(row) for row in wb[title].iter_rows(values_only=True)]
    finally:
        wb.close()


def open_book(path: str | os.PathLike[str]):
    """Open a workbook fully for changing it (formulas kept, macros kept in an .xlsm).

    Raises WorkbookNotFound or NotAWorkbook with a Dutch message.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    source = Path(path)
    if not source.is_file():
        raise WorkbookNotFound(source)
    _refuse_other_file_type(source)
    try:
        _refuse_doctypes(source)
        _refuse_huge_merges(source)
        return openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    except (
        zipfile.BadZipFile,
        KeyError,
        SyntaxError,  # ElementTree's ParseError, and lxml's XMLSyntaxError (openpyxl uses lxml)
        InvalidFileException,
        OSError,
        ValueError,
        TypeError,  # openpyxl's descriptors: a sheetId "abc", a property without a name
        zlib.error,  # a part whose compressed data is damaged
        NotImplementedError,  # a zip version or compression zipfile does not know
    ) as exc:
        raise NotAWorkbook(source, _unreadable(exc)) from exc


def fastest_engine() -> str:
    """Return ``"calamine"`` when python-calamine is installed, else ``"openpyxl"``."""
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return "openpyxl"
    return "calamine"


class _Openpyxl:
    """Values of a workbook through openpyxl's read-only mode, with cached formula results."""

    def __init__(self, path: Path) -> None:
        import openpyxl

        self.book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        self.sheetnames: list[str] = self.book.sheetnames
        self.path = path

    def table(self, title: str, part: _TablePart | None) -> TableData:
        try:
            sheet = self.book[title]
            # every row up to Excel's last, as python-calamine reads them: read-only openpyxl
            # stopped at the extent the sheet's <dimension> states, and a program that wrote a
            # stale one (A1:E83 with a value in row 1048576) made that value count only after a
            # save had corrected it: one run accepted the book and the next refused it
            sheet.reset_dimensions()
            return _mark_uncached(self.path, _read_sheet(sheet, title, part))
        except (
            SyntaxError,
            ValueError,
            zlib.error,
            IndexError,
            TypeError,
            OverflowError,
            KeyError,
        ) as exc:
            # a cell openpyxl cannot read: XML that does not parse (ElementTree's ParseError and
            # lxml's XMLSyntaxError are SyntaxErrors), a number that is no number, a shared
            # string that is not there (IndexError, or OverflowError for a huge index); or a
            # sheet openpyxl left out where this reader found it (KeyError: a relationship
            # target such as /xl/worksheets/../worksheets/sheet2.xml)
            raise DamagedSheet(self.path, title, type(exc).__name__) from exc

    def close(self) -> None:
        self.book.close()


class _Calamine:
    """Values of a workbook through python-calamine (Rust); imported only when asked for."""

    def __init__(self, path: Path) -> None:
        self.book = _calamine_book(path)
        self.sheetnames: list[str] = list(self.book.sheet_names)
        self.path = path

    def table(self, title: str, part: _TablePart | None) -> TableData:
        table = _calamine_table(_calamine_sheet(self.book, self.path, title), title, part)
        return _mark_uncached(self.path, table)

    def close(self) -> None:
        close = getattr(self.book, "close", None)
        if close is not None:
            close()


def _calamine_book(path: Path) -> object:
    """Return the workbook ``path`` opened by python-calamine; :class:`NotAWorkbook` when a
    part it reads on opening (the shared strings, the workbook part) cannot be read: a damaged
    or hostile package (a DOCTYPE, XML that is not well-formed, a part larger than its zip
    entry declares) stopped the command with a traceback."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except CalamineError as exc:
        raise NotAWorkbook(path, "een onderdeel ervan is beschadigd") from exc


def _calamine_sheet(book: object, path: Path, title: str) -> object:
    """Return sheet ``title`` parsed by python-calamine; :class:`DamagedSheet` when it cannot
    be parsed."""
    from python_calamine import CalamineError

    try:
        return book.get_sheet_by_name(title)  # type: ignore[attr-defined]
    except CalamineError as exc:
        raise DamagedSheet(path, title, type(exc).__name__) from exc


class CalaminePanic(Exception):
    """python-calamine panicked on a cell it cannot convert (a date serial such as -1E+308):
    the sheet is read again by openpyxl, which turns such a cell into an error value."""


def _calamine_grid(sheet: object) -> list[list[object]]:
    """Return the cells of a sheet python-calamine parsed, from A1 on; :class:`CalaminePanic`
    when it panics (pyo3's PanicException derives from BaseException)."""
    with _PanicText() as text:
        try:
            return sheet.to_python(skip_empty_area=False)  # type: ignore[attr-defined]
        except BaseException as exc:
            if type(exc).__name__ != "PanicException":
                raise
            text.panicked = True
            raise CalaminePanic(str(exc)) from None


class _PanicText:
    """Keeps what Rust prints when python-calamine panics off the user's screen.

    Rust writes the panic (in English, with a backtrace of a hundred lines when
    ``RUST_BACKTRACE`` is set) to file descriptor 2 itself, before pyo3 raises it in Python;
    the sheet is then read again by openpyxl and any problem is said in Dutch. While the sheet
    is parsed, descriptor 2 goes to a temporary file; what it caught is written to the real
    descriptor 2 afterwards, unless there was a panic.
    """

    def __init__(self) -> None:
        self.panicked = False
        self._saved: int | None = None
        self._caught: IO[bytes] | None = None

    def __enter__(self) -> _PanicText:
        try:
            self._caught = tempfile.TemporaryFile()
            self._saved = os.dup(2)
            os.dup2(self._caught.fileno(), 2)
        except OSError:  # no descriptor 2 to keep clean, or none to spare: leave it
            self._close()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved is None or self._caught is None:
            return
        try:
            os.dup2(self._saved, 2)
            if not self.panicked:
                self._caught.seek(0)
                while piece := self._caught.read(1 << 16):
                    view = memoryview(piece)
                    while view:
                        view = view[os.write(2, view) :]
        except OSError:
            pass
        finally:
            self._close()

    def _close(self) -> None:
        if self._saved is not None:
            os.close(self._saved)
            self._saved = None
        if self._caught is not None:
            self._caught.close()
            self._caught = None


def _calamine_table(sheet: object, title: str, part: _TablePart | None) -> TableData:
    """Return the table of a sheet python-calamine parsed."""
    from openpyxl.utils.cell import range_boundaries

    # Index 0 is Excel row 1 and column A when the empty area is kept.
    grid = _calamine_grid(sheet)
    if part is not None and part.header_rows:
        min_col, min_row, max_col, max_row = range_boundaries(part.ref)
        last = max_row - part.totals_rows if part.totals_rows else len(grid)
        name, end = part.name, max_row - part.totals_rows
    else:
        min_col, min_row, max_col, last, name, end = 1, 1, None, len(grid), "", None
    lines = grid[min_row - 1 : last]
    if min_col > 1 or (max_col is not None and any(len(r) > max_col for r in lines)):
        lines = [row[min_col - 1 : max_col] for row in lines]  # else each row is the table's
    header = lines[0] if lines else []
    rows = _used(lines[1:])
    return TableData(
        sheet=title,
        headers=["" if h is None else str(h).strip() for h in header],
        rows=rows,
        first_row=min_row + 1,
        first_column=min_col,
        table=name,
        last_row=end,
        totals_rows=part.totals_rows if part is not None and part.header_rows else 0,
    )


def _locate(
    sheet: Sheet, titles: dict[str, str], parts: dict[str, list[_TablePart]]
) -> tuple[str | None, _TablePart | None]:
    wanted = sheet.table.casefold()
    for title, found in parts.items():
        for part in found:
            if part.name.casefold() == wanted:
                return title, part
    title = titles.get(schema.normalize_header(sheet.name))
    if title is None:
        return None, None
    on_sheet = [p for p in parts.get(title, []) if p.header_rows]
    return title, (on_sheet[0] if on_sheet else None)


#: An escape in a cell's text that Excel and python-calamine decode (ECMA-376 ST_Xstring;
#: :func:`debiteuren.untrusted.xlsx_text` writes them); openpyxl's reader leaves it as it is.
_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def _unescaped(text: str) -> str:
    """Return a cell's text as Excel shows it: each ``_xHHHH_`` decoded (a surrogate stays, as
    python-calamine leaves it). Read by openpyxl, ``_x003D_`` stayed ``_x003D_`` where Excel
    and python-calamine read ``=``: ``2026_x002D_0001`` and ``2026-0001`` (one number in Excel)
    slipped past the duplicate check when a far-away cell made the reader openpyxl.

    >>> _unescaped("2026_x002D_0001"), _unescaped("_x005F_x003D_1")
    ('2026-0001', '_x003D_1')
    """

    def one(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)

    return _ESCAPE.sub(one, text)


def _as_excel_shows(rows: Iterable[tuple[object, ...]]) -> Iterator[tuple[object, ...]]:
    """Yield openpyxl's rows with every text as Excel shows it (:func:`_unescaped`)."""
    for row in rows:
        if any(v.__class__ is str and "_x" in v for v in row):  # type: ignore[operator]
            row = tuple(_unescaped(v) if v.__class__ is str else v for v in row)  # type: ignore[arg-type]
        yield row


def _read_sheet(ws: object, title: str, part: _TablePart | None) -> TableData:
    from openpyxl.utils.cell import range_boundaries

    if part is not None and part.header_rows:
        min_col, min_row, max_col, max_row = range_boundaries(part.ref)
        # Read on below the table unless it has a totals row: rows typed under a table that
        # did not grow (LibreOffice, other programs) still count.
        last = max_row - part.totals_rows if part.totals_rows else None
        rows = ws.iter_rows(  # type: ignore[attr-defined]
            min_row=min_row, max_row=last, min_col=min_col, max_col=max_col, values_only=True
        )
        name, end = part.name, max_row - part.totals_rows
    else:
        # No table: the header is row 1, as wide as its last filled cell (a value far to the
        # right must not make every row 16,384 cells wide).
        min_row, min_col, name, end = 1, 1, "", None
        first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())  # type: ignore[attr-defined]
        width = max((i + 1 for i, v in enumerate(first) if v not in (None, "")), default=1)
        rows = iter([first[:width]])
        rows = itertools.chain(
            rows,
            ws.iter_rows(min_row=2, max_col=width, values_only=True),  # type: ignore[attr-defined]
        )
    # openpyxl yields a row for every number from min_row on (an empty one for each missing):
    # none past Excel's last row (a row numbered 9999999999 is none of the sheet's)
    rows = _as_excel_shows(itertools.islice(rows, EXCEL_ROWS + 1 - min_row))
    header = next(rows, ())
    headers = ["" if h is None else str(h).strip() for h in header]
    return TableData(
        sheet=title,
        headers=headers,
        rows=_used(rows),
        first_row=min_row + 1,
        first_column=min_col,
        table=name,
        last_row=end,
        totals_rows=part.totals_rows if part is not None and part.header_rows else 0,
    )


#: A cell holding a formula and no computed value: ``<c r="J2"><f>DATE(2027,1,1)</f><v></v></c>``.
_UNCACHED = re.compile(
    rb"<c\b([^>]*?)(?<!/)>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>"
)
_FORMULA = re.compile(rb"<f[\s>/]")
_CELL_R = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_TEXT_TYPE = re.compile(rb'\bt="(?:str|s|inlineStr)"')
#: A cell holding an error value, computed or typed:
#: ``<c r="I2" t="e"><f>1/0</f><v>#DIV/0!</v></c>``.
_ERROR = re.compile(
    rb'<c\b([^>]*?\bt="e"[^>]*?)(?<!/)>(?:\s*<f\b[^>]*(?:/>|>[^<]*</f>))?\s*<v>([^<]*)</v>\s*</c>'
)


#: A formula that gives today's date or time (stored in English: TODAY(), NOW()).
_TODAY = re.compile(
    rb"<c\b([^>]*?)(?<!/)>\s*<f\b[^>]*>[^<]*\b(?:TODAY|NOW)\s*\([^<]*</f>", re.IGNORECASE
)
#: The mark of a cell whose formula gives a date that moves every day.
_MOVES = "VANDAAG"


def _mark_uncached(path: Path, table: TableData) -> TableData:
    """Return ``table`` with the cells of its sheet that hold a formula without a value.

    Excel and LibreOffice store a formula's result next to it; openpyxl and some other
    programs store the formula only, and every reader then sees an empty cell. An empty
    Pauze tot or Betwist would silently mean "no pause", "not disputed": such cells are
    reported instead (:class:`_Rows`). A formula whose stored result is an empty text is
    computed and is not marked. A formula with TODAY() or NOW() (VANDAAG(), NU()) is marked
    too: the date it gives moves every day, and a record must keep the day it happened.
    """
    return _marked(table, _uncached_on(path, table.sheet))


def _uncached_on(path: Path, title: str) -> list[tuple[int, int, str]]:
    """Return the cells :func:`_mark_uncached` marks on sheet ``title`` of the file."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_parts(archive).get(title)
            if part is None or archive.getinfo(part).file_size > _MAX_SCANNED:
                return []
            data = archive.read(part)
            inflated.keep(path, part, data)  # for the save (issue 17)
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError, zlib.error):
        return []
    return _uncached_cells(data)


def _marked(table: TableData, cells: Sequence[tuple[int, int, str]]) -> TableData:
    return dataclasses.replace(table, uncached=tuple(cells)) if cells else table


def _uncached_cells(data: bytes) -> list[tuple[int, int, str]]:
    """Return (row, column, error or :data:`_MOVES` or "") of each cell of a worksheet part
    that :func:`_mark_uncached` marks."""
    formulas, errors = _FORMULA.search(data), b't="e"' in data
    cells: list[tuple[int, int, str]] = []
    if not formulas and not errors:
        return cells
    for match in _UNCACHED.finditer(data) if formulas else ():
        attributes = match.group(1)
        where = _CELL_R.search(attributes)
        if where is None or _TEXT_TYPE.search(attributes):
            continue
        cells.append((int(where.group(2)), _column_number(where.group(1).decode()), ""))
    for match in _TODAY.finditer(data) if formulas else ():
        where = _CELL_R.search(match.group(1))
        if where is not None:
            cells.append((int(where.group(2)), _column_number(where.group(1).decode()), _MOVES))
    for match in _ERROR.finditer(data) if errors else ():
        where = _CELL_R.search(match.group(1))
        if where is not None:
            error = match.group(2).decode(errors="replace").strip() or "#"
            cells.append((int(where.group(2)), _column_number(where.group(1).decode()), error))
    return cells


#: A row's number, with or without a namespace prefix, ``r`` anywhere among its attributes.
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr\s*=\s*["\']([0-9]{1,9})["\']')


def _refuse_rows_out_of_order(source: Path, titles: set[str]) -> None:
    """Raise :class:`RowsOutOfOrder` when a sheet of ``titles`` has a row after a later one
    (only before openpyxl reads the file: python-calamine places each row by its number)."""
    with zipfile.ZipFile(source) as archive:
        for title, part in _sheet_parts(archive).items():
            if title not in titles or archive.getinfo(part).file_size > _MAX_SCANNED:
                continue
            last = 0
            for found in _ROW_NUMBER.finditer(archive.read(part)):
                row = int(found.group(1))
                if row <= last:
                    raise RowsOutOfOrder(source, title, row)
                last = row


def _declared_titles(parts: Mapping[str, Sequence[_TablePart]]) -> set[str]:
    """Return the titles of the sheets :func:`load_tables` may read (not the Overzicht)."""
    wanted = {schema.normalize_header(s.name) for s in schema.SHEETS if s.table}
    return {t for t, found in parts.items() if found or schema.normalize_header(t) in wanted}


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _used(rows: Iterable[Sequence[object]]) -> list[Sequence[object]]:
    """Return ``rows`` without the empty rows at the end (a value far below is not a row)."""
    if isinstance(rows, list):  # look from the end: the last row is usually filled
        end = len(rows)
        while end and not any(v is not None and v != "" for v in rows[end - 1]):
            end -= 1
        return rows[:end]
    kept: list[Sequence[object]] = []
    pending: list[Sequence[object]] = []  # empty rows, kept only when a filled row follows
    for row in rows:
        if any(v is not None and v != "" for v in row):
            kept += pending
            pending.clear()
            kept.append(row)
        else:
            pending.append(row)
    return kept


#: The rows of a worksheet in Excel (1,048,576).
EXCEL_ROWS = 1 << 20

#: Cells (rows x columns) a sheet may span for python-calamine, which allocates every one of
#: them (a single value in XFD1048576 would ask for 512 GiB). A larger sheet is read with
#: openpyxl, which streams the rows and keeps only the tables' used range.
MAX_DENSE_CELLS = 4_000_000

#: A cell reference's column letters (one to three: XFD is the last column).
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_PREFIXED = re.compile(rb":(?:c|row)[\s>/]")  # a namespace prefix on cells or rows
#: A row's number (``<row r="7"``), or a row or cell that may not state its place (an empty
#: group): an empty ``<c/>`` or ``<row/>`` too (a reader moves on one place for it), with the
#: rest of its tag, in which :data:`_PLACE_LATER` looks for a place in another form.
_ROW_OR_LOOSE = re.compile(rb'<(?:row(?: r="([0-9]{1,9})"|([>/]|\s[^>]*))|c([>/]|\s(?!r=")[^>]*))')
#: An attribute ``r`` (a place) in the rest of a tag that does not start with ``r="``:
#: python-calamine reads such a place too (another attribute first, single quotes, spaces
#: around "="), so the scan, which knows only the first form, cannot bound the sheet
#: (session 9: a cell ``<c s="1" r="XFD1048576">`` made python-calamine abort the process).
_PLACE_LATER = re.compile(rb"\br\s*=")
#: A cell reference's row number.
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,9})"')
#: A worksheet part larger than this (uncompressed) is streamed by openpyxl, never scanned.
_MAX_SCANNED = 1 << 30


def _dense_ok(path: Path, titles: Iterable[str] | None = None) -> bool:
    """Return True when every sheet (or the ``titles``) spans at most MAX_DENSE_CELLS cells.

    The extent is an upper bound found from the cell references in the sheet's XML: the last
    row and column referred to, plus one for every cell or row that does not state its place.
    An unusual sheet (namespace prefixes, a huge part) is not dense-safe: openpyxl reads it.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            for title, part in _sheet_parts(archive).items():
                if titles is not None and title not in titles:
                    continue
                rows, columns = _extent(archive, part)
                if rows * columns > MAX_DENSE_CELLS:
                    return False
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError, zlib.error):
        return True  # the reader reports the broken file itself
    return True


class TooLargeUnpacked(DebiteurenError):
    """The workbook's parts, unpacked, are larger than any administration (a zip bomb)."""

    def __init__(self, path: str | os.PathLike[str], size: int) -> None:
        size_mb, most = (whole_number(n >> 20) for n in (size, MAX_UNPACKED))
        super().__init__(
            f"{path} is uitgepakt {size_mb} MB groot, meer dan de {most} MB die debiteuren "
            "leest; zo groot is geen "
            "debiteurenadministratie. Het bestand is beschadigd of bewust zo gemaakt. Er is "
            "niets gewijzigd."
        )


#: The most bytes a workbook's parts may hold unpacked (as the package declares them): far
#: more than a row of an invoice (about 1 KB of XML) times any administration, while a few
#: megabytes of repeated XML can unpack to many gigabytes, which the readers would hold.
MAX_UNPACKED = 2 << 30


#: The most bytes of a part read to find where its prolog (XML declaration, comments) ends and
#: its root element begins: Excel writes a prolog of one line; a longer one is not a real part.
_MAX_PROLOG = 1 << 16
#: What a prolog may hold before the root element, DOCTYPE aside: white space, the XML
#: declaration or another processing instruction, comments.
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
#: The parts of a package an XML reader parses (openpyxl reads relationships and VML too).
_XML_PART = re.compile(r".*\.(?:xml|rels|vml)", re.IGNORECASE)


def _refuse_doctypes(source: Path) -> None:
    """Raise NotAWorkbook when an XML part of the package has a DOCTYPE (a DTD), as
    python-calamine's message for its shared strings says: "een onderdeel ervan is beschadigd".

    A package part may not hold a DTD, and a reader shall treat one as an error (Open Packaging
    Conventions, ECMA-376 Part 2, M1.18: internal entities are the way to a "billion laughs").
    python-calamine refused a DOCTYPE in the shared strings only when an entity was used, and
    read one in a sheet; openpyxl, which reads a workbook python-calamine cannot (a far-away
    cell, a cell it panics on) and saves one that cannot be updated in place, expanded the
    entities. Only each part's prolog is read: a DOCTYPE can stand nowhere else. A part whose
    data is damaged is left to the reader, which names the sheet; a part packed in a way a
    package may not be (:data:`_PACKED`), or encrypted, refuses the workbook here.
    """
    with zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            if info.compress_type not in _PACKED or info.flag_bits & 0x1:
                raise NotAWorkbook(source, _unreadable(NotImplementedError()))
            if _XML_PART.fullmatch(info.filename) and _doctype_in(archive, info.filename):
                raise NotAWorkbook(source, "een onderdeel ervan is beschadigd")


#: The ways a package part may be packed (ECMA-376 Part 2, 8.4: stored or deflated; Excel and
#: LibreOffice write nothing else). Another (LZMA, bzip2) or an encrypted part refuses the
#: workbook before any reader unpacks it: each reader failed on it in its own way.
_PACKED = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _doctype_in(archive: zipfile.ZipFile, name: str) -> bool:
    """Return True when part ``name`` has a DOCTYPE (or another ``<!`` declaration) before its
    root element, or a prolog longer than :data:`_MAX_PROLOG` bytes.

    The part is unpacked a piece at a time, up to its root element. It is read as UTF-8, or
    UTF-16 when it starts so (the two encodings a package part may have, ECMA-376 Part 2,
    M1.17); a part that is no XML at all, or cannot be unpacked, is the reader's to refuse.
    """
    head = b""
    try:
        with archive.open(name) as stream:
            while piece := stream.read(4096):
                head += piece
                found = _prolog_doctype(head)
                if found is not None:
                    return found
                if len(head) >= _MAX_PROLOG:
                    return True
    except (
        zipfile.BadZipFile,
        zlib.error,
        LZMAError,
        EOFError,
        OSError,  # bz2's damaged data
        NotImplementedError,  # a compression zipfile does not know
        RuntimeError,  # an encrypted part
    ):
        return False
    return False


def _prolog_doctype(head: bytes) -> bool | None:
    """Return whether the start of a part has a DOCTYPE before its root element; None when the
    prolog goes on past ``head``."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        little = head[:2] == b"\xff\xfe" or head[:1] == b"<"
        text = head[: len(head) // 2 * 2].decode("utf-16-le" if little else "utf-16-be", "replace")
    else:
        text = head.decode("utf-8", "replace")
    text = text.removeprefix("\ufeff")
    at = 0
    while (item := _PROLOG_ITEM.match(text, at)) is not None:
        at = item.end()
    rest = text[at : at + 4]
    if rest.startswith(("<!--", "<?")) or "<!--".startswith(rest):  # unfinished, or not yet
        return None
    return rest.startswith("<!")


def _refuse_a_bomb(source: Path) -> None:
    """Raise TooLargeUnpacked when the package declares more than MAX_UNPACKED bytes."""
    with zipfile.ZipFile(source) as archive:
        size = sum(info.file_size for info in archive.infolist())
    if size > MAX_UNPACKED:
        raise TooLargeUnpacked(source, size)


#: A worksheet part (uncompressed) from which :func:`load_tables` checks its extent on a second
#: core while it reads the other sheets (about 10,000 invoices).
ASIDE_BYTES = 8 << 20


class _CheckAside:
    """:func:`_dense_ok` of one large sheet, in two halves at once (issue 17): a forked copy
    (:mod:`.aside`) reads the rows' places (:func:`_row_places`), while this process reads
    the cells' references (:meth:`scan_here`, :func:`_scan_cells`) and keeps the sheet's
    XML for the scan of formulas that follows (:attr:`data`). :meth:`result` joins both as
    :func:`_extent` does."""

    def __init__(self, source: Path, title: str, part: str) -> None:
        from .aside import Aside

        self.title, self._source, self.part = title, source, part
        self._made = Aside(lambda: _row_places_of(source, part))
        #: the sheet's XML once :meth:`scan_here` read it (None: unread or unreadable)
        self.data: bytes | None = None
        self._cells: tuple[int, int] | None = None
        self._readable = True
        self._answer: bool | None = None

    def scan_here(self) -> None:
        """Read the sheet and scan its cell references in this process (before
        :meth:`result`; the copy reads the rows meanwhile)."""
        try:
            with zipfile.ZipFile(self._source) as archive:
                if archive.getinfo(self.part).file_size <= _MAX_SCANNED:
                    self.data = archive.read(self.part)
        except (zipfile.BadZipFile, KeyError, OSError, zlib.error):
            self._readable = False  # the reader reports the broken file itself
            return
        if self.data is not None:
            self._cells = _scan_cells(self.data)

    def result(self) -> bool:
        """Return True when the sheet spans at most :data:`MAX_DENSE_CELLS` cells (asked
        again, the same answer, also once :attr:`data` is let go)."""
        if self._answer is None:
            self._answer = self._joined()
        return self._answer

    def _joined(self) -> bool:
        places = self._made.result()
        if not self._readable:
            return True  # as _dense_ok: python-calamine names the damage
        if self.data is None or places is None or self._cells is None:
            return False  # too large to scan, or a place in a form the scans do not know
        rows, columns = _joined_extent(self.data, places, self._cells)
        return rows * columns <= MAX_DENSE_CELLS

    def close(self) -> None:
        self._made.close()


def _check_aside(source: Path, titles: set[str]) -> _CheckAside | None:
    """Return the extent check of the largest of ``titles`` made aside, when that pays off."""
    from .aside import can_fork

    if not can_fork():
        return None
    try:
        with zipfile.ZipFile(source) as archive:
            sizes = {
                title: (archive.getinfo(part).file_size, part)
                for title, part in _sheet_parts(archive).items()
                if title in titles
            }
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return None
    largest = max(sizes, key=sizes.__getitem__, default=None)
    if largest is None or sizes[largest][0] < ASIDE_BYTES:
        return None
    return _CheckAside(source, largest, sizes[largest][1])


def _extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """Return (rows, columns) a worksheet part spans at most; huge when unsure."""
    unsure = (1 << 20, 1 << 14)
    if archive.getinfo(part).file_size > _MAX_SCANNED:
        return unsure
    data = archive.read(part)
    places, cells = _row_places(data), _scan_cells(data)
    if places is None or cells is None:
        return unsure
    return _joined_extent(data, places, cells)


def _row_places_of(source: Path, part: str) -> tuple[int, int] | bool | None:
    """:func:`_row_places` of a part of the file ``source`` (in the copy of
    :class:`_CheckAside`); True when it cannot be read (the reader reports that itself)."""
    try:
        with zipfile.ZipFile(source) as archive:
            if archive.getinfo(part).file_size > _MAX_SCANNED:
                return None
            return _row_places(archive.read(part))
    except (zipfile.BadZipFile, KeyError, OSError, zlib.error):
        return True


def _row_places(data: bytes) -> tuple[int, int] | None:
    """Return (the largest row number, the tags that state no place) of a worksheet part's
    XML; None when a row or cell may state its place in a form the scans do not know (then
    the extent is unsure)."""
    if _PREFIXED.search(data):
        return None
    # one pass for both (issue 17): each starts at a "<" and holds no other, so none overlap
    found = _ROW_OR_LOOSE.findall(data)
    numbers = [number for number, _, _ in found if number]  # the rows' numbers
    if any(_PLACE_LATER.search(row or cell) for number, row, cell in found if not number):
        return None
    loose = len(found) - len(numbers)  # each could add a row or a column
    return max(map(int, numbers), default=0), loose


def _joined_extent(
    data: bytes, places: tuple[int, int] | bool, cells: tuple[int, int]
) -> tuple[int, int]:
    """Return (rows, columns) a worksheet part spans at most, from its rows' places
    (:func:`_row_places`; True: unreadable, reported by the reader) and its cell references
    (:func:`_scan_cells`)."""
    if places is True:
        return 0, 0
    last_row, loose = places  # type: ignore[misc]
    widest, most = cells
    rows, columns = last_row + loose, widest + loose  # each loose tag could add a row or column
    deeper = most > len(str(rows))  # a cell names a row of more digits than any row
    return max(rows, _deepest(data, rows, columns, deeper)), columns


def _deepest(data: bytes, rows: int, columns: int, deeper: bool) -> int:
    """Return a bound of the row numbers in the cell references of ``data`` (a cell may name a
    row below that of the row it stands in, and python-calamine puts it there), all of the
    form ``A1`` (:func:`_scan_cells` found no other).

    ``deeper``: a reference has more digits than ``rows``. Without one, the references are
    bounded by the largest number of as many digits as ``rows``, when that keeps the sheet
    small enough; else every reference is read.
    """
    bound = 10 ** len(str(rows)) - 1
    if not deeper and bound * columns <= MAX_DENSE_CELLS:
        return bound
    return max(map(int, _CELL_ROW.findall(data)), default=0)


def _scan_cells(data: bytes) -> tuple[int, int] | None:
    """Return the largest column number of a cell reference in ``data`` and the most digits
    of a reference's row; None when a reference is not of the form ``A1`` (small letters, four
    letters, more than nine digits: python-calamine may read it as a place far away).

    A sheet of columns A to Z is searched for a column after the widest found so far or a row
    of more digits than the most found so far, from where that was found (each search finds
    the next wider column or longer row, or an odd reference; the last one finds none): about
    one pass without making an object per cell (issue 17). A reference of two or more letters
    anywhere is left to a pass over every reference.
    """
    widest, most, start = 0, 0, 0
    while True:
        found = _cells_pattern(widest, most + 1).search(data, start)
        if found is None:
            return widest, most
        letters = found.group(1)
        if letters is not None:
            if len(letters) > 1:
                break
            widest = letters[0] - 64
        elif found.group(2) is not None:
            most = _digits_at(data, found.start(2))
        else:
            return None  # an odd reference
        start = found.start()
    # two letters: one pass for all widths (a wider reference is always a later column)
    if _cells_pattern(-1, 0).search(data) is not None:
        return None  # an odd reference
    while (found := _cells_pattern(-1, most + 1).search(data, start)) is not None:
        most, start = _digits_at(data, found.start(2)), found.start()
    every = set(_CELL_REF.findall(data))
    return max((_column_number(x.decode("ascii")) for x in every), default=0), most


def _digits_at(data: bytes, at: int) -> int:
    """Return how many digits follow in ``data`` from ``at`` on (a reference has at most
    nine: :func:`_scan_cells` found it of the form ``A1``)."""
    end = at
    while end < len(data) and 48 <= data[end] <= 57:
        end += 1
    return end - at


_CELL_PATTERNS: dict[tuple[int, int], re.Pattern[bytes]] = {}


def _cells_pattern(widest: int, digits: int) -> re.Pattern[bytes]:
    """Return the pattern of a cell reference of two letters or of one after column
    ``widest`` (group 1: its letters; -1: none wanted), of ``digits`` digits or more (group 2;
    0: none wanted), or not of the form ``A1`` (no group)."""
    key = (widest, digits)
    found = _CELL_PATTERNS.get(key)
    if found is None:
        wider = rb"((?!))"  # never (the group is there, for its number)
        if widest >= 0:
            later = b"|[" + bytes([65 + widest]) + b"-Z](?=[0-9])" if widest < 26 else b""
            wider = rb"([A-Z]{2}" + later + rb")"
        more = rb"[A-Z]{1,3}([0-9]{%d})" % digits if digits else rb"(?!)()"
        pattern = rb'<c r="(?:' + wider + b"|" + more + rb'|(?![A-Z]{1,3}[0-9]{1,9}"))'
        found = _CELL_PATTERNS[key] = re.compile(pattern)
    return found


def sheet_titles(path: str | os.PathLike[str]) -> list[str]:
    """Return the worksheets' titles (from the package's workbook part; [] when unreadable)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return list(_sheet_parts(archive))
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return []


def _workbook_part(archive: zipfile.ZipFile) -> str:
    """Return the package's workbook part (``xl/workbook.xml`` when the package says none)."""
    return next(
        (t for kind, t in _relationships(archive, "").values() if kind.endswith("/officeDocument")),
        "xl/workbook.xml",
    )


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return sheet title -> its worksheet part in the package."""
    workbook = _workbook_part(archive)
    targets = _relationships(archive, workbook)
    names = set(archive.namelist())
    result = {}
    for element in ElementTree.fromstring(archive.read(workbook)).iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id" and "}" in k), "")
        target = targets.get(rid, ("", ""))[1]
        if target in names:  # of two sheets with one name, the readers take the first
            result.setdefault(element.get("name", ""), target)
    return result


def _counts_from_1904(book: ElementTree.Element) -> bool:
    """Return True when the workbook part ``book`` counts dates from 1904
    (``<workbookPr date1904="1"/>``: Excel for Mac's date system before 2011, kept by Excel in
    such a workbook)."""
    for element in book:
        if _local(element.tag) == "workbookPr":
            return element.get("date1904", "").strip() in ("1", "true")
    return False


def _dated(tables: dict[str, TableData], date1904: bool) -> dict[str, TableData]:
    """Return ``tables``, marked as counting dates from 1904 when the workbook does."""
    if not date1904:
        return tables
    return {name: dataclasses.replace(t, date1904=True) for name, t in tables.items()}


#: Days from 1-1-1904 (day 0 of the 1904 system) to 30-12-1899 (day 0 of the 1900 system).
_DAYS_1904 = 1462


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Return relationship id -> (type, target path) for ``part``'s .rels file."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in archive.namelist():
        return {}
    result = {}
    for rel in ElementTree.fromstring(archive.read(rels)):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        result[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(path))
    return result


#: The namespace of a Strict Open XML workbook (ISO/IEC 29500 Strict; transitional is
#: http://schemas.openxmlformats.org/spreadsheetml/2006/main).
_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"


#: A table's range as Excel writes it (``A1:H41``): a table whose ``ref`` is empty, a whole column
#: (``A:H``) or no range at all (its relationship pointing at another part) is damaged.
_TABLE_REF = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}:[A-Z]{1,3}[1-9][0-9]{0,6}")


def _table_parts(path: Path) -> tuple[dict[str, list[_TablePart]], bool]:
    """Return sheet title -> its Excel Tables, read from the package parts, and whether the
    workbook counts dates from 1904 (:func:`_counts_from_1904`).

    openpyxl's read-only mode does not load tables, so the few XML parts are read directly.
    """
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        workbook = _workbook_part(archive)
        sheet_targets = _relationships(archive, workbook)
        result: dict[str, list[_TablePart]] = {}
        root = ElementTree.fromstring(archive.read(workbook))
        if root.tag.startswith(f"{{{_STRICT_MAIN}}}"):
            raise StrictWorkbook(path)
        for element in root.iter():
            if _local(element.tag) != "sheet":
                continue
            rid = next((v for k, v in element.attrib.items() if _local(k) == "id" and "}" in k), "")
            target = sheet_targets.get(rid, ("", ""))[1]
            if target not in names:
                continue
            found = []
            for kind, table_path in _relationships(archive, target).values():
                if not kind.endswith("/table") or table_path not in names:
                    continue
                table = ElementTree.fromstring(archive.read(table_path))
                name = table.get("displayName") or table.get("name") or ""
                ref = table.get("ref", "")
                counts = (table.get("headerRowCount", "1"), table.get("totalsRowCount", "0"))
                if not _TABLE_REF.fullmatch(ref) or any(c not in ("0", "1") for c in counts):
                    raise NotAWorkbook(
                        path,
                        f"de tabel {one_line(name, 60) or '(zonder naam)'} heeft geen geldig "
                        f"bereik ('{one_line(ref, 40)}'); een onderdeel ervan is beschadigd",
                    )
                found.append(
                    _TablePart(
                        name=name,
                        ref=ref,
                        header_rows=int(counts[0]),
                        totals_rows=int(counts[1]),
                    )
                )
            result.setdefault(element.get("name", ""), found)  # the first, as _sheet_parts
        return result, _counts_from_1904(root)


# --- layer 2: conversion of plain values --------------------------------------------------------


class _Bad(Exception):
    """A cell value that cannot be converted; ``message`` is the Dutch sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _show(value: object) -> str:
    """Return ``value`` as a user recognises it in a message."""
    if isinstance(value, datetime):
        midnight = value.time() == time(0)
        return _nl_date(value.date()) if midnight else value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return _nl_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return schema.YES if value else schema.NO
    return str(value).strip()


def _quoted(value: object) -> str:
    """Return a cell's value as a message quotes it: as the user recognises it (:func:`_show`),
    on one line and cut to :data:`~debiteuren.untrusted.QUOTED_CHARS` characters: a cell holds
    up to 32,767, and a pasted text was quoted whole in the message."""
    return quoted_value(_show(value))


def _nl_date(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _nl_money(amount: Decimal) -> str:
    text = f"{abs(amount):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"€ -{text}" if amount < 0 else f"€ {text}"


def _or_list(choices: Sequence[str]) -> str:
    items = list(choices)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " of " + items[-1]


def _text(value: object) -> str:
    if isinstance(value, str):
        return visible_text(value).strip()  # a pasted control character is no text
    return _show(value)


def _one_line(value: object) -> str:
    """Return a text that must stay on one line (an e-mail address, a server name)."""
    text = _text(value)
    if "\n" in text or "\r" in text:
        shown = " ".join(text.split())
        raise _Bad(
            f"'{quoted_value(shown)}' staat op meer dan één regel (Alt+Enter); zet alles op één "
            "regel, "
            "meer e-mailadressen gescheiden door komma's."
        )
    return text


def _recipients(value: object) -> str:
    """Return a customer's e-mail address(es): one line, and no address hidden behind another."""
    text = _one_line(value)
    problem = email_problem(text)
    if problem.endswith("zonder komma ertussen"):
        raise _Bad(f"{problem}; zet een komma tussen twee e-mailadressen.")
    if problem.endswith(SPACED_ADDRESS):
        raise _Bad(
            f"{problem}; haal de spatie weg, of zet het adres na een naam tussen punthaken "
            "(Jan Jansen <jan@voorbeeld.nl>)."
        )
    if problem.endswith("geen @ in") and "<" in text:  # "Jansen, Jan <jan@x.nl>": split
        raise _Bad(
            f"{problem}; staat er een naam met een komma voor een adres, zet die naam dan "
            'tussen aanhalingstekens ("Jansen, Jan" <jan@voorbeeld.nl>).'
        )
    if problem:
        raise _Bad(f"{problem}; verbeter het adres of maak de cel leeg (dan per post).")
    return text


def _own_address(value: object) -> str:
    """Return the business's own e-mail address (Instellingen: E-mail, Afzender e-mail): one
    line, one address, read as a mail program reads it. Only the line was checked: with
    ``.:_]@…`` the mail server was told the sender was ``_``, and of ``a@x.nl, b@y.nl`` the
    second address was dropped without a word."""
    text = _one_line(value)
    problem = email_problem(text)
    if not problem and len(recipients(text)) > 1:
        problem = f"'{quoted_value(text)}' is meer dan één e-mailadres"
    if problem:
        raise _Bad(f"{problem}; vul één e-mailadres in, zoals info@uwbedrijf.nl.")
    return text


def _code(value: object) -> str:
    if isinstance(value, datetime | date):
        raise _Bad(
            f"'{_quoted(value)}' is als datum opgeslagen, niet als nummer; maak de cel tekst "
            "(celeigenschappen: Tekst) en typ het nummer opnieuw."
        )
    if problem := long_number_problem(value):
        raise _Bad(problem)
    if isinstance(value, float) and not value.is_integer():
        return repr(value)
    return normalize_code(_text(value))  # 2024\u200b-017 is 2024-017: no duplicate slips past


def _money(value: object) -> Decimal:
    try:
        if isinstance(value, bool | datetime | date):
            raise ValueError(value)
        if isinstance(value, float) and value != value:  # NaN
            raise ValueError(value)
        if isinstance(value, float) and abs(value) >= float(MAX_AMOUNT):
            raise OverflowError(value)
        if isinstance(value, int | Decimal):
            amount = round_cents(to_decimal(value))
        elif isinstance(value, float):
            amount = round_cents(to_decimal(repr(value)))
        else:
            amount = _text_money(str(value))
        if abs(amount) >= MAX_AMOUNT:
            raise OverflowError(value)
        return amount
    except (OverflowError, ArithmeticError):
        raise _Bad(
            f"'{_quoted(value)}' is te groot voor een bedrag (het grootste is 999.999.999.999,99); "
            "controleer het bedrag."
        ) from None
    except ValueError:
        raise _Bad(
            f"'{_quoted(value)}' is geen bedrag; vul een bedrag in zoals 1.234,56."
        ) from None


#: An amount as a Dutch user types it: 1250, 1.250, 1250,5, 1.250,00, 500,- (no decimals).
_NL_AMOUNT = re.compile(r"(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+)(?:,(?:\d{1,2}|-{1,2}))?")
#: An amount with a decimal point: 1250.00, 1,250.00, 12.5.
_EN_AMOUNT = re.compile(r"(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)\.\d{1,2}")
_CURRENCY = re.compile(r"€|\bEUR\b|\beuro\b", re.IGNORECASE)


def _text_money(text: str) -> Decimal:
    """Return an amount typed as text (``'1.250,00``, ``€ 500,-``, ``1250.50``) in euro.

    Only forms that can mean one amount are read: ``1,250`` (1,25 or 1.250?) and ``0.125``
    (more than two decimals) are refused rather than guessed.
    """
    # every space: also the no-break, narrow no-break (U+202F, French and Belgian Excel's
    # thousands separator) and thin spaces of an amount pasted from a PDF or web page
    s = "".join(_CURRENCY.sub("", text).split())
    sign = ""
    if s.startswith(("+", "-")):  # not s[:1] in "+-": "" is in every text ('€' alone)
        sign, s = s[0].replace("+", ""), s[1:]
    if _NL_AMOUNT.fullmatch(s):
        whole, _, cents = s.partition(",")
        number = whole.replace(".", "") + "." + (cents.strip("-") or "0")
    elif _EN_AMOUNT.fullmatch(s):
        number = s.replace(",", "")
    elif (s.endswith("-") and not s.endswith(",-")) or (s[:1], s[-1:]) == ("(", ")"):
        inner = s.strip("()-")
        if _NL_AMOUNT.fullmatch(inner) or _EN_AMOUNT.fullmatch(inner):
            # an accounting notation for a negative amount (12,50- or (12,50)): not guessed
            raise _Bad(
                f"'{_quoted(text)}' is een negatief bedrag in boekhoudnotatie; typ het als "
                f"-{quoted_value(inner)}, met het minteken vooraan."
            )
        raise ValueError(text)
    elif s and all(ch in "0123456789.,-" for ch in s):
        raise _Bad(
            f"'{_quoted(text)}' is geen eenduidig bedrag (een komma of punt met drie cijfers "
            "erachter, of meer dan twee decimalen); typ het bedrag zoals 1250,00 of 1.250,00."
        )
    else:
        raise ValueError(text)
    return round_cents(to_decimal(sign + number))


_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 32874, 109574  # 1990-01-01 .. 2199-12-31
#: The first day Excel can hold as a date, in the 1900 and in the 1904 date system.
_FIRST, _FIRST_1904 = date(1900, 1, 1), date(1904, 1, 1)
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
#: A date with the year in two digits (01-02-26): which century is not guessed.
_SHORT_YEAR = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{2})")
_YMD = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")  # 2026-02-01, 2026/02/01
_TIME = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
#: A date with the month written out: 15 okt 2026, 15 oktober 2026, 1er mars 2026, 3 Oct. 2026,
#: and with hyphens as Excel in Dutch shows and takes it: 15-okt-2026.
_DAY_MONTH_YEAR = re.compile(
    r"(\d{1,2})(?:e|er|ste|de)?\.?(?:\s+|-)([^\W\d_]+)\.?(?:,?\s+|-)(\d{4})"
)
_MONTH_NAMES = (
    ("januari", "janvier", "january"),
    ("februari", "février", "fevrier", "february"),
    ("maart", "mars", "march", "mrt"),
    ("april", "avril"),
    ("mei", "mai", "may"),
    ("juni", "juin", "june"),
    ("juli", "juillet", "july"),
    ("augustus", "août", "aout", "august"),
    ("september", "septembre"),
    ("oktober", "octobre", "october"),
    ("november", "novembre"),
    ("december", "décembre", "decembre"),
)


def _month_words() -> dict[str, int]:
    """Return every Dutch, French and English month name and its prefixes of three or more
    letters (okt, sept, févr) -> month number; a prefix of two months (jui) is left out."""
    found: dict[str, set[int]] = {}
    for month, names in enumerate(_MONTH_NAMES, 1):
        for name in names:
            for end in range(3, len(name) + 1):
                found.setdefault(name[:end], set()).add(month)
    return {word: months.pop() for word, months in found.items() if len(months) == 1}


_MONTH_WORDS = _month_words()


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A serial day number where Excel did not mark the cell as a date.
        if _SERIAL_MIN <= value <= _SERIAL_MAX:
            return _EXCEL_EPOCH + timedelta(days=int(value))
    elif isinstance(value, str):
        text = value.strip()
        _refuse_bad_clock(text)
        for pattern, order in ((_DMY, (3, 2, 1)), (_YMD, (1, 3, 4))):
            match = pattern.match(text)
            if match and _TIME.fullmatch(text, match.end()):
                year, month, day = (int(match.group(i)) for i in order)
                try:
                    return date(year, month, day)
                except ValueError:
                    break
        else:
            match = _DAY_MONTH_YEAR.match(text)
            month = _MONTH_WORDS.get(match.group(2).casefold()) if match else None
            if match and month and _TIME.fullmatch(text, match.end()):
                try:
                    return date(int(match.group(3)), month, int(match.group(1)))
                except ValueError:
                    pass
        short = _SHORT_YEAR.fullmatch(text)
        if short:
            day, sep, month, year = short.groups()
            if _is_day(2000 + int(year), int(month), int(day)):
                raise _Bad(
                    f"'{_quoted(value)}' heeft een jaar van twee cijfers; typ het jaar voluit, "
                    f"zoals {day}{sep}{month}{sep}20{year}."
                )
    raise _Bad(f"'{_quoted(value)}' is geen datum; vul een datum in zoals 31-12-2025.")


def _is_day(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _integer(value: object) -> int:
    number: object = value
    if isinstance(value, str):
        text = value.strip()
        number = int(text) if text.isascii() and text.isdigit() else None
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    if isinstance(number, int) and not isinstance(number, bool) and number >= 0:
        if number > MAX_WHOLE_NUMBER:
            # a count of days that large ran dates past the year 9999 (a traceback), or
            # counted working days for ever
            raise _Bad(
                f"{_show(value)} kan niet kloppen; vul een getal in van 0 tot en met "
                f"{whole_number(MAX_WHOLE_NUMBER)}."
            )
        return number
    raise _Bad(f"'{_quoted(value)}' is geen heel getal; vul een getal in zoals 30.")


#: The largest whole number a cell may hold: the day counts (a payment term, the days between
#: the steps, working days for the post) and the numbers of a plan's instalments.
MAX_WHOLE_NUMBER = 99_999


def _percent(value: object) -> Decimal:
    """Return a percentage in percent points: the cell 0.105 (shown 10,50%) or text "10,5%"."""
    bad = f"'{_quoted(value)}' is geen percentage; vul een percentage in zoals 10,50%."
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Bad(bad)
    if isinstance(value, str):
        text = value.strip().removesuffix("%").replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        factor = 1
    else:
        text, factor = repr(value), 100  # Excel keeps 10,5% as the fraction 0.105
    try:
        result = to_decimal(text) * factor
    except ValueError:
        raise _Bad(bad) from None
    if result < 0 or result > 100:
        shown = f"{result:f}"
        shown = (shown.rstrip("0").rstrip(".") if "." in shown else shown).replace(".", ",")
        raise _Bad(
            f"Een percentage van {shown}% kan niet kloppen; typ het percentage met een "
            "%-teken, zoals 10,50%."
        )
    result = result.quantize(_PERCENT_STEP).normalize()
    return result.quantize(_ONE) if result.as_tuple().exponent > 0 else result  # type: ignore[operator]


#: Column types whose values Excel must hold as numbers or dates, not as text.
_TYPED = (
    ColumnType.MONEY,
    ColumnType.DATE,
    ColumnType.DATETIME,
    ColumnType.INTEGER,
    ColumnType.PERCENT,
)
_CLOCK = re.compile(r"[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


def _refuse_bad_clock(text: str) -> None:
    """Refuse a date written with a time of day that does not exist (``15-3-2026 25:00``): it
    was read as the day alone, and the time was lost without a word."""
    found = _CLOCK.search(text)
    if found is None:
        return
    hour, minute, second = (int(g or 0) for g in found.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise _Bad(
            f"'{_quoted(text)}': {found.group(0).strip()} is geen tijd; vul een datum in zoals "
            "31-12-2025, met een tijd zoals 14:30."
        )


def _with_time(text: str, day: date) -> date | datetime:
    """Return ``day`` with the time of day written in ``text`` (``15-3-2026 14:30``), if any."""
    found = _CLOCK.search(text.strip())
    if found is None:
        return day
    hour, minute, second = (int(g or 0) for g in found.groups())
    if hour > 23 or minute > 59 or second > 59:
        return day
    return datetime.combine(day, time(hour, minute, second))


_PERCENT_STEP = Decimal("0.000001")
_ONE = Decimal(1)
#: The header Excel (Dutch, English, French, German) gives a table column whose header was cleared.
_DEFAULT_HEADER = re.compile(r"(?i)(kolom|column|colonne|spalte)\s*\d+")
_YES_WORDS = {"ja", "j", "yes", "waar", "true"}
_NO_WORDS = {"nee", "n", "no", "onwaar", "false"}


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = _text(value).casefold()
    if word in _YES_WORDS:
        return True
    if word in _NO_WORDS:
        return False
    raise _Bad(f"'{_quoted(value)}' is geen geldige keuze; kies Ja of Nee.")


def _chooser(choices: Sequence[str], mapping: Mapping[str, object]) -> Callable[[object], object]:
    """Return a converter for a choice column: case-insensitive text -> model value."""
    lookup = {schema.normalize_header(k): v for k, v in mapping.items()}
    message = _or_list(choices)

    def convert(value: object) -> object:
        found = lookup.get(schema.normalize_header(_text(value)), _MISSING)
        if found is _MISSING:
            raise _Bad(f"'{_quoted(value)}' is geen geldige keuze; kies {message}.")
        return found

    return convert


_MISSING = object()
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("ma", "maandag"),
            ("di", "dinsdag"),
            ("wo", "woensdag"),
            ("do", "donderdag"),
            ("vr", "vrijdag"),
            ("za", "zaterdag"),
            ("zo", "zondag"),
        )
    )
    for name in names
}


def _weekdays(value: object) -> tuple[int, ...]:
    days = set()
    for word in re.split(r"[,;\s]+", _text(value).casefold()):
        if not word:
            continue
        if word not in _WEEKDAYS:
            raise _Bad(
                f"'{quoted_value(word)}' is geen dag; schrijf de dagen als ma, di, wo, do, vr, "
                "za, zo, "
                "gescheiden door komma's."
            )
        days.add(_WEEKDAYS[word])
    return tuple(sorted(days))


def _codes(value: object) -> tuple[str, ...]:
    return tuple(part for part in (p.strip() for p in re.split(r"[,;]", _code(value))) if part)


_CONVERTERS: dict[ColumnType, Callable[[object], object]] = {
    ColumnType.TEXT: _text,
    ColumnType.CODE: _code,
    ColumnType.MONEY: _money,
    ColumnType.DATE: _date,
    ColumnType.DATETIME: _date,
    ColumnType.INTEGER: _integer,
    ColumnType.PERCENT: _percent,
    ColumnType.YES_NO: _yes_no,
    ColumnType.LIST: _codes,
    ColumnType.WEEKDAYS: _weekdays,
}

_EXAMPLES: dict[ColumnType, str] = {
    ColumnType.DATE: "een datum in zoals 31-12-2025",
    ColumnType.DATETIME: "een datum in zoals 31-12-2025",
    ColumnType.MONEY: "een bedrag in zoals 1.234,56",
    ColumnType.INTEGER: "een getal in zoals 30",
    ColumnType.PERCENT: "een percentage in zoals 10,50%",
    ColumnType.YES_NO: "Ja of Nee in",
}


#: What a required cell of nothing but invisible characters is told, instead of "is leeg".
_ONLY_INVISIBLE = (
    "bevat alleen onzichtbare tekens (zoals een zachte afbreking of een spatie zonder breedte)"
)


def _empty_message(header: str, kind: ColumnType, choices: Sequence[str] = ()) -> str:
    if kind is ColumnType.CHOICE and choices:
        return f"{header} is leeg; vul {_or_list(choices)} in."
    return f"{header} is leeg; vul {_EXAMPLES.get(kind, 'een waarde in')}."


_COUNTRIES = {
    **{c.value: c for c in Country},
    **schema.COUNTRY_WORDS,
}
_KINDS: dict[str, object] = {
    **schema.KIND_WORDS,
    "Particulier": DebtorKind.CONSUMER,
    "Bedrijf": DebtorKind.BUSINESS,
    "Zakelijk": DebtorKind.BUSINESS,
}
_LANGUAGES = {code: code for code in schema.KLANTEN.column("language").choices}
_STEPS = {s.value: s for s in Step}
_STATES = {s.value: s for s in LetterState} | {
    "verstuurd": LetterState.SENT,
    "geannuleerd": LetterState.CANCELLED,
    "niet verzonden": LetterState.FAILED,
}
_CHANNELS = {**{c.value: c for c in Channel}, "email": Channel.EMAIL, "mail": Channel.EMAIL}
_SERIES = {s: s for s in schema.RATE_SERIES} | {
    label: code for code, label in schema.RATE_SERIES_LABELS.items()
}
_STATUS = {word: code for code, word in schema.RATE_STATUS.items()} | {
    code: code for code in schema.RATE_STATUS
}


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


#: A cell :func:`_fast_cells` leaves to the general conversion (``_Rows.get``).
_SLOW = object()
_FAST_TYPES = frozenset(
    {
        ColumnType.TEXT,
        ColumnType.CODE,
        ColumnType.MONEY,
        ColumnType.DATE,
        ColumnType.DATETIME,
        ColumnType.YES_NO,
    }
)
_MAX_FLOAT_AMOUNT = float(MAX_AMOUNT)
#: What a printable text that shows nothing is made of (:func:`_fast_cells`).
_BLANK_OR_SPACE = BLANK_LETTERS + " "


def _fast_cells(kind: ColumnType, cells: Sequence[object], required: bool) -> list[object]:
    """Return ``cells`` (one column) converted as ``_Rows.get`` converts them, in one pass.

    Only the plain cases are converted: text that needs no cleaning (printable; for a code
    ASCII too), a date, an amount held as a finite float, int or Decimal below the largest,
    Ja or Nee.
    Every other cell is :data:`_SLOW`: ``get`` converts it (and reports it) cell by cell, as
    is an empty cell of a required column. An empty cell of another column is None. At 50,000
    invoices the cell-by-cell path cost a second (issue 17).
    """
    empty = _SLOW if required else None
    out: list[object] = []
    add = out.append
    if kind is ColumnType.TEXT or kind is ColumnType.CODE:
        code = kind is ColumnType.CODE
        for v in cells:
            if v is None:
                add(empty)
            elif v.__class__ is str and v.isprintable() and (not code or v.isascii()):
                text = v.strip()
                if text.isascii() or text.strip(_BLANK_OR_SPACE):
                    add(text or empty)
                else:  # only Hangul fillers, letters that show nothing: ``get`` says so
                    add(_SLOW)
            else:
                add(_SLOW)
    elif kind is ColumnType.DATE or kind is ColumnType.DATETIME:
        for v in cells:
            cls = v.__class__
            if cls is date:
                add(v)
            elif cls is datetime:
                add(v.date())  # type: ignore[union-attr]
            elif v is None or v == "":
                add(empty)
            else:
                add(_SLOW)
    elif kind is ColumnType.MONEY:
        limit = _MAX_FLOAT_AMOUNT
        for v in cells:
            cls = v.__class__
            if cls is float and -limit < v < limit:  # type: ignore[operator]
                amount = round_cents(Decimal(repr(v)))
            elif cls is int:
                amount = round_cents(Decimal(v))  # type: ignore[arg-type]
            elif cls is Decimal and v.is_finite() and -limit < v < limit:  # type: ignore[union-attr,operator]
                amount = round_cents(v)  # type: ignore[arg-type]  # the rows a command appends
            else:
                add(empty if v is None or v == "" else _SLOW)
                continue
            add(amount if -MAX_AMOUNT < amount < MAX_AMOUNT else _SLOW)
    elif kind is ColumnType.YES_NO:
        for v in cells:
            if v.__class__ is bool:
                add(v)
            elif v is None:
                add(empty)
            elif v.__class__ is str and v.isascii() and v.isprintable():
                word = v.strip().casefold()
                if not word:
                    add(empty)
                elif word in _YES_WORDS:
                    add(True)
                elif word in _NO_WORDS:
                    add(False)
                else:
                    add(_SLOW)
            else:
                add(_SLOW)
    else:
        out = [_SLOW] * len(cells)
    return out


class _Rows:
    """Reads one table's rows by column key, collecting Issues at CellRefs.

    Iterate it to visit the non-empty rows; ``get`` then converts one cell of the current row.
    ``ok`` turns False when a cell of the current row had a problem.
    """

    def __init__(
        self,
        sheet: Sheet,
        table: TableData,
        issues: list[Issue],
        text_cells: list[TextCell] | None = None,
        *,
        fast: bool = True,
        only: Sequence[int] | None = None,
    ) -> None:
        self.sheet = sheet
        self.table = table
        #: the offsets of the rows to read, ascending (None: every row)
        self.only = only
        # column key -> the column's cells converted in one pass where that is certain
        # (:func:`_fast_cells`); ``False`` for a column read cell by cell (issue 17)
        self._fast: dict[str, list[object] | bool] | None = {} if fast else None
        self._shortest: int | None = None  # the fewest cells of a row read, once known
        self.issues = issues
        #: the cells named for their formula or error value: no second issue about them
        #: ("... is leeg" for a value that is not empty but unknown)
        self._named: set[tuple[int | None, str | None]] = set()
        self.text_cells = text_cells if text_cells is not None else []
        match = schema.match_headers(sheet, table.headers)
        self.position = match.index
        self._columns = {c.key: c for c in sheet.columns}
        self._converters = {
            c.key: _CONVERTERS[c.type] for c in sheet.columns if c.type in _CONVERTERS
        }
        self.values: Sequence[object] = ()
        self.row = 0
        self.offset = 0
        self.ok = True
        header_row = table.first_row - 1
        self.usable = True
        for key, positions in match.duplicates.items():
            header = sheet.column(key).header
            letters = " en ".join(_column_letter(table.first_column + p) for p in positions)
            self._add(
                header_row,
                header,
                f"De kolom '{header}' staat meer dan eens in de tabel (kolom {letters}); "
                "verwijder of hernoem de extra kolom.",
            )
        self._report_uncached(match.index)
        for column in match.missing(c for c in sheet.input_columns if c.required):
            self.usable = False
            where = f"de tabel {table.table}" if table.table else f"rij {header_row}"
            self._add(
                header_row,
                column.header,
                f"De kolom '{column.header}' ontbreekt; voeg een kolom met de kop "
                f"'{column.header}' toe aan {where}.",
            )
        self._refuse_renamed(match, header_row)

    def _refuse_renamed(self, match: schema.HeaderMatch, header_row: int) -> None:
        """Report each missing column of :data:`~.schema.HOLDING_COLUMNS` when the table has a
        column debiteuren does not know that looks like it renamed (:meth:`_looks_renamed`):
        its values would be lost without a word."""
        holding = schema.HOLDING_COLUMNS.get(self.sheet.name)
        if not holding or all(k in match.index for k in holding):
            return
        missing = [c for c in match.missing(self.sheet.input_columns) if c.key in holding]
        unknown = self._unknown_columns(match) if missing else []
        for column in missing:
            suspects = [
                shown
                for position, text, shown in unknown
                if self._looks_renamed(column, position, text)
            ]
            if not suspects:
                continue
            self.usable = False
            self._add(
                header_row,
                column.header,
                f"De kolom '{column.header}' ontbreekt, en de tabel heeft een kolom die "
                f"debiteuren niet kent ({', '.join(suspects)}). Is '{column.header}' hernoemd "
                f"of de kop gewist? Geef die kolom de kop '{column.header}' terug; gebruikt u "
                f"hem niet, voeg dan een lege kolom '{column.header}' toe. Anders telt wat erin "
                "staat zonder melding niet mee.",
            )

    def _looks_renamed(self, column: schema.Column, position: int, text: str) -> bool:
        """Return whether the unknown column at ``position`` (header ``text``) may be
        ``column`` renamed: its header cleared (empty, or Excel's "Kolom1"), like the old one
        ("Betwist?", "Status brief"), or every value in it one that ``column`` holds (Ja/Nee, a
        status word, a date, an amount). A column of the user's own (notes, a contact) in a
        workbook made before ``column`` existed is none of these."""
        if not text or _DEFAULT_HEADER.fullmatch(text):
            return True
        old, new = schema.normalize_header(column.header), schema.normalize_header(text)
        if old in new or new in old or SequenceMatcher(None, old, new).ratio() >= 0.6:
            return True
        values = [
            v
            for row in self.table.rows
            if position < len(row)
            if (v := row[position]) is not None and (not isinstance(v, str) or v.strip())
        ]
        if not values:
            return False
        kind = column.type
        if column.choices:
            words = {c.casefold() for c in column.choices}
            if kind is ColumnType.YES_NO:
                words |= _YES_WORDS | _NO_WORDS
            return all(isinstance(v, bool) or str(v).strip().casefold() in words for v in values)
        if kind is ColumnType.DATE or kind is ColumnType.DATETIME:
            return all(isinstance(v, date) for v in values)
        if kind is ColumnType.MONEY:
            return all(
                isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values
            )
        return False

    def _unknown_columns(self, match: schema.HeaderMatch) -> list[tuple[int, str, str]]:
        """Return the table's columns that are none of the sheet's: (position, header, as
        "'kop' (kolom X)"); an empty header only when a row has a value in its column."""
        table = self.table
        known = set(match.index.values())
        for positions in match.duplicates.values():
            known.update(positions)
        found = []
        for position, header in enumerate(table.headers):
            if position in known:
                continue
            text = str(header or "").strip()
            if not text and not any(
                position < len(row) and row[position] not in (None, "") for row in table.rows
            ):
                continue
            letter = _column_letter(table.first_column + position)
            shown = (
                f"'{quoted_value(text)}' (kolom {letter})"
                if text
                else f"zonder kop (kolom {letter})"
            )
            found.append((position, text, shown))
        return found

    def __iter__(self) -> Iterator[int]:
        if not self.usable:
            return
        watched = [self.position[c.key] for c in self.sheet.input_columns if c.key in self.position]
        first = self.table.first_row
        rows = self.table.rows
        chosen = enumerate(rows) if self.only is None else ((k, rows[k]) for k in self.only)
        for k, (offset, values) in enumerate(chosen):
            for position in watched:
                if position < len(values):
                    value = values[position]
                    if value is not None and (not isinstance(value, str) or value.strip()):
                        break
            else:
                continue
            self.values, self.row, self.offset, self.ok = values, first + offset, k, True
            yield self.row

    def raw(self, key: str) -> object:
        """Return the current row's value in column ``key``; None for empty or missing."""
        position = self.position.get(key)
        if position is None or position >= len(self.values):
            return None
        value = self.values[position]
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def get(
        self,
        key: str,
        *,
        required: bool | None = None,
        default: object = None,
        convert: Callable[[object], object] | None = None,
    ) -> object:
        """Return the current row's cell ``key`` converted by its column type.

        An empty cell gives ``default`` (an Issue when required); a bad value gives an Issue
        and ``default``.
        """
        if convert is None and required is None and self._fast is not None:
            fast = self._fast.get(key)
            if fast is None:
                fast = self._fast[key] = self._fast_column(key)
            if fast is not False:
                value = fast[self.offset]  # type: ignore[index]
                if value is not _SLOW:
                    return default if value is None else value
        column = self._columns[key]
        # self.raw(key), inlined: this runs for every cell of every table.
        position = self.position.get(key)
        values = self.values
        value = None if position is None or position >= len(values) else values[position]
        if isinstance(value, str):
            value = value.strip() or None
        if value is None or (value.__class__ is str and shows_nothing(value)):
            if column.required if required is None else required:
                message = _empty_message(column.header, column.type, column.choices)
                if value is not None:  # "Naam is leeg" for a cell that is not would puzzle
                    message = message.replace(" is leeg;", f" {_ONLY_INVISIBLE};", 1)
                self.problem(key, message)
            return default
        converter = convert or self._converters[key]
        if converter is _date and self.table.date1904 and value.__class__ in (int, float):
            value += _DAYS_1904  # type: ignore[operator]  # a day number of the 1904 system
        try:
            result = converter(value)
        except _Bad as bad:
            self.problem(key, bad.message)
            return default
        if isinstance(value, str) and column.type in _TYPED and convert is None:
            self._typed_as_text(column, position, value, result)  # type: ignore[arg-type]
        return result

    def fast_rows(
        self, keys: Sequence[str], defaults: Sequence[object]
    ) -> list[tuple[object, ...]]:
        """Return, per row offset, the cells of ``keys`` as ``get(key, default=…)`` returns
        them where that is certain, else :data:`_SLOW` (then ``get`` converts and reports the
        cell); one pass per column instead of a call per cell (issue 17)."""
        n = len(self.table.rows) if self.only is None else len(self.only)
        columns = []
        for key, default in zip(keys, defaults, strict=True):
            fast = False
            if self._fast is not None:
                fast = self._fast.get(key)  # type: ignore[assignment]
                if fast is None:
                    fast = self._fast[key] = self._fast_column(key)
            if fast is False:
                columns.append(itertools.repeat(_SLOW, n))
            elif default is None:
                columns.append(fast)  # type: ignore[arg-type]
            else:
                columns.append([default if v is None else v for v in fast])  # type: ignore[union-attr]
        return list(zip(*columns, strict=True)) if columns else [()] * n

    def _fast_column(self, key: str) -> list[object] | bool:
        """Return column ``key`` converted for every row (see :func:`_fast_cells`), or False
        when the table lacks it or its type has no fast path."""
        column = self._columns[key]
        position = self.position.get(key)
        if position is None or column.type not in _FAST_TYPES:
            return False
        rows = self.table.rows
        chosen = rows if self.only is None else [rows[k] for k in self.only]
        if self._shortest is None:
            self._shortest = min(map(len, chosen), default=0)
        if position < self._shortest:  # every row has the cell (python-calamine's rows)
            cells = list(map(itemgetter(position), chosen))
        else:
            cells = [v[position] if position < len(v) else None for v in chosen]
        return _fast_cells(column.type, cells, column.required)

    def _typed_as_text(
        self, column: schema.Column, position: int, text: str, result: object
    ) -> None:
        """Record a date or number that the cell holds as text (see :class:`TextCell`).

        A day before the workbook's first date (1-1-1900, or 1-1-1904) stays text: Excel has
        no serial for it, and python-calamine read the negative one back as a time of day."""
        if isinstance(result, date) and result < (_FIRST_1904 if self.table.date1904 else _FIRST):
            return
        value = result
        if column.type is ColumnType.PERCENT:
            value = Decimal(str(result)) / 100
        elif column.type is ColumnType.DATETIME:
            value = _with_time(text, result)  # type: ignore[arg-type]
        self.text_cells.append(
            TextCell(
                sheet=self.table.sheet,
                row=self.row,
                column=self.table.first_column + position,
                header=column.header,
                text=text,
                value=value,
                number_format=column.excel_format,
            )
        )

    def problem(self, key: str, message: str) -> None:
        """Record an Issue at the current row, column ``key``."""
        self.ok = False
        self._add(self.row, self.sheet.column(key).header, message)

    def _report_uncached(self, position: Mapping[str, int]) -> None:
        """Add an issue for each input cell that holds a formula without a computed value."""
        if not self.table.uncached:
            return
        inputs = {c.key for c in self.sheet.input_columns}
        keys = {p: k for k, p in position.items() if k in inputs}
        first, end = self.table.first_row, self.table.first_row + len(self.table.rows)
        for row, column, error in sorted(self.table.uncached):
            key = keys.get(column - self.table.first_column)
            if key is None or not first <= row < end:
                continue
            letters = _column_letter(column)
            if error == _MOVES:
                message = (
                    f"Cel {letters}{row} bevat een formule met VANDAAG() of NU(); die datum "
                    "verschuift elke dag. Typ de datum zelf in (Ctrl+; zet de datum van vandaag "
                    "vast in de cel)."
                )
            elif error:
                message = (
                    f"Cel {letters}{row} bevat de foutwaarde {error}; verbeter de formule of "
                    "typ de waarde zelf in."
                )
            else:
                message = (
                    f"Cel {letters}{row} bevat een formule zonder berekende waarde (het werkboek "
                    "is bewaard door een programma dat niet rekent); open het werkboek in Excel "
                    "of LibreOffice en bewaar het opnieuw, of typ de waarde zelf in."
                )
            header = self.sheet.column(key).header
            self._add(row, header, message)
            self._named.add((row, header))

    def _add(self, row: int | None, header: str | None, message: str) -> None:
        if (row, header) in self._named:
            return
        source = CellRef(sheet=self.table.sheet, row=row, column=header)
        self.issues.append(Issue(source=source, message=message))


@dataclass(slots=True)
class _Index:
    """Numbers seen on a sheet (case-insensitive), whether or not their row was valid."""

    rows: dict[str, int] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)
    complete: bool = True  # False when the sheet could not be read; lookups then always pass
    squeezed: dict[str, str] | None = None  # without spaces -> number; see spaced_otherwise

    def add(self, number: str, row: int) -> int | None:
        """Register ``number``; return the earlier row when it is a duplicate."""
        key = number.casefold()
        if key in self.rows:
            return self.rows[key]
        self.rows[key] = row
        self.canonical[key] = number
        return None

    def find(self, number: str) -> str | None:
        """Return the number as spelled on its sheet, or None when unknown."""
        return self.canonical.get(number.casefold())

    def spaced_otherwise(self, number: str) -> str | None:
        """Return a number on the sheet that is ``number`` with other spaces ('K 002' for
        'K002'), or None; built on the first unknown number only."""
        if self.squeezed is None:
            self.squeezed = {spaceless_key(n): n for n in reversed(self.canonical.values())}
        return self.squeezed.get(spaceless_key(number))


def _missing_sheets(tables: Mapping[str, TableData]) -> list[Issue]:
    """Return an Issue per required sheet that is missing; one Issue when every one is (a
    workbook of another program, or the wrong file)."""
    missing = [s for s in schema.SHEETS if s.table and s.required and s.name not in tables]
    if missing and not any(s.name in tables for s in schema.SHEETS if s.table):
        names = ", ".join(s.name for s in missing)
        return [
            Issue(
                source=CellRef(sheet="Werkboek"),
                message=f"Dit is geen werkboek van debiteuren: de bladen {names} ontbreken. "
                "Maak een leeg werkboek met 'debiteuren nieuw BOEK.xlsx' en zet uw gegevens "
                "daarin.",
            )
        ]
    return [
        Issue(
            source=CellRef(sheet=sheet.name),
            message=f"Het werkblad '{sheet.name}' ontbreekt; voeg het weer toe met "
            f"de tabel {sheet.table}, bijvoorbeeld door het over te nemen uit het "
            "lege werkboek workbook_template.xlsx.",
        )
        for sheet in missing
    ]


def convert_tables(
    tables: Mapping[str, TableData],
    as_of: date,
    *,
    earlier: WorkbookData | None = None,
    edits: Mapping[str, TableEdit] | None = None,
) -> tuple[WorkbookData, list[Issue]]:
    """Convert the loaded tables into model objects, collecting every problem.

    Args:
      tables: declared sheet name -> TableData (as :func:`load_tables` returns).
      as_of: the peildatum; invoice, payment and action dates after it are reported.
      earlier: the data converted from tables that share their Klanten and Facturen objects
        with ``tables`` (a change that only adds payments or letters); those two sheets are
        then taken over as converted, which gives the same result.
      edits: declared sheet name -> how that table changed since ``earlier`` was converted;
        with Klanten and Facturen taken over, only the changed rows of Betalingen are then
        converted (and merged with ``earlier``'s), which gives the same result.
    Returns:
      ``(data, issues)``, issues ordered by sheet (in workbook order) and row.
    """
    issues: list[Issue] = []
    text_cells: list[TextCell] = []
    issues += _missing_sheets(tables)

    def rows_of(sheet: Sheet) -> _Rows | None:
        table = tables.get(sheet.name)
        return None if table is None else _Rows(sheet, table, issues, text_cells)

    creditor, settings, letter_folder, app = _read_settings(rows_of(schema.INSTELLINGEN), issues)
    converted = earlier.converted if earlier is not None else None
    reused = converted is not None and converted.fits(tables, as_of)
    if converted is not None and reused:
        (debtors, debtor_index), (invoices, *rest) = converted.debtors, converted.invoices
        invoices = list(invoices)
        issues += converted.issues
        text_cells += converted.text_cells
    else:
        first_issue, first_cell = len(issues), len(text_cells)
        debtors, debtor_index = _read_debtors(rows_of(schema.KLANTEN))
        invoices, *rest = _read_invoices(rows_of(schema.FACTUREN), debtors, debtor_index, as_of)
        converted = _Converted(
            as_of=as_of,
            klanten=tables.get(schema.KLANTEN.name),
            facturen=tables.get(schema.FACTUREN.name),
            debtors=(debtors, debtor_index),
            invoices=(tuple(invoices), *rest),
            issues=tuple(issues[first_issue:]),
            text_cells=tuple(text_cells[first_cell:]),
        )
    invoice_rows, invoice_index, references, owners = rest
    betalingen = tables.get(schema.BETALINGEN.name)
    first_issue, first_cell = len(issues), len(text_cells)
    payments_read = earlier.payments_read if earlier is not None and reused else None
    edit = (edits or {}).get(schema.BETALINGEN.name)
    changed = _changed_payments(payments_read, edit, betalingen, as_of)
    uncounted: list[tuple[str, int]] = []
    if changed is not None and betalingen is not None:
        assert payments_read is not None
        payments, payment_rows, uncounted, cells = _read_changed_payments(
            _Rows(schema.BETALINGEN, betalingen, issues, text_cells, only=changed),
            payments_read,
            (debtor_index, invoice_index, references, owners, as_of),
        )
        text_cells[first_cell:] = cells
        to_review, newest = _reviewed_again(payments_read, edit, betalingen)  # type: ignore[arg-type]
    else:
        to_review = _review_payments(betalingen)
        newest = _last_statement(betalingen)
        payments, payment_rows = _read_payments(
            rows_of(schema.BETALINGEN),
            debtor_index,
            invoice_index,
            references,
            owners,
            as_of,
            uncounted=uncounted,
        )
    payments_read = None
    if betalingen is not None and len(issues) == first_issue:
        payments_read = _PaymentsRead(
            betalingen,
            as_of,
            tuple(payments),
            tuple(payment_rows),
            tuple(uncounted),
            tuple(text_cells[first_cell:]),
            tuple(to_review),
            newest,
        )
    action_rows: list[int] = []
    actions = _read_actions(
        rows_of(schema.ACTIES), debtor_index, invoice_index, owners, as_of, action_rows
    )
    plans = _read_plans(rows_of(schema.REGELINGEN), debtor_index)
    agencies = _read_agencies(rows_of(schema.INCASSO))
    rate_rows = _read_rates(rows_of(schema.RENTES))
    issues += _uncovered_interest(
        tables.get(schema.FACTUREN.name),
        invoices,
        invoice_rows,
        debtors,
        creditor,
        settings,
        rate_rows,
    )

    facturen = tables.get(schema.FACTUREN.name)
    warnings = _credit_note_warnings(facturen, invoices, invoice_rows, invoice_index)
    order = {sheet.name: i for i, sheet in enumerate(schema.SHEETS)}
    real_names = {t.sheet: name for name, t in tables.items()}
    issues.sort(
        key=lambda i: (
            order.get(real_names.get(i.source.sheet, i.source.sheet), len(order)),
            i.source.row or 0,
        )
    )
    data = WorkbookData(
        creditor=creditor,
        settings=settings,
        letter_folder=letter_folder,
        debtors=debtors,
        invoices=invoices,
        payments=payments,
        actions=actions,
        plans=plans,
        agencies=agencies,
        rate_rows=rate_rows,
        invoice_rows=invoice_rows,
        payment_rows=payment_rows,
        last_statement=_newest(app.get("statement_read"), newest),
        text_cells=list({(c.sheet, c.row, c.column): c for c in text_cells}.values()),
        own_ibans=tuple(dict.fromkeys(i for i in (creditor.iban, *app.get("own_ibans", ())) if i)),
        to_review=to_review,
        action_rows=action_rows,
        warnings=warnings,
        converted=converted,
        payments_read=payments_read,
    )
    return data, issues


def _changed_payments(
    before: _PaymentsRead | None, edit: TableEdit | None, table: TableData | None, as_of: date
) -> list[int] | None:
    """Return the offsets of the Betalingen rows to convert again when the others may be
    taken over from ``before``; None when the whole table must be converted.

    The others are taken over when ``table`` is the table converted before with rows changed
    or appended (same header, same place) and no changed cell is a bank reference: a row's
    conversion depends on its own cells and on the bank references of the rows above it.
    """
    if before is None or edit is None or table is None:
        return None
    old = before.table
    if edit.before is not old or before.as_of != as_of:
        return None
    if (table.headers, table.first_row, table.first_column) != (
        old.headers,
        old.first_row,
        old.first_column,
    ) or len(table.rows) < len(old.rows):
        return None
    position = schema.match_headers(schema.BETALINGEN, table.headers).index.get("bank_reference")
    if position is not None and table.first_column + position in edit.columns:
        return None
    size = len(table.rows)
    offsets = sorted(r - table.first_row for r in edit.rows)
    if offsets and (offsets[0] < 0 or offsets[-1] >= size):
        return None
    return offsets


def _read_changed_payments(
    rows: _Rows, before: _PaymentsRead, context: tuple
) -> tuple[list[Payment], list[int], list[tuple[str, int]], list[TextCell]]:
    """Convert the changed rows (those ``rows`` reads) and merge them with the payments of the
    other rows as converted ``before``; return (payments, their rows, the uncounted references, the
    text cells of Betalingen), each in row order, as :func:`_read_payments` of the whole table
    gives them."""
    assert rows.only is not None
    first = rows.table.first_row
    changed = {first + k for k in rows.only}
    # every row's bank reference (unchanged), first row first: what the rows above see
    registered: dict[str, int] = {}
    every = [
        *((p.bank_reference, r) for p, r in zip(before.payments, before.payment_rows, strict=True)),
        *before.uncounted,
    ]
    for reference, row in sorted(every, key=_row_of):
        if reference:
            registered.setdefault(reference, row)
    del every
    cells_from = len(rows.text_cells)
    uncounted: list[tuple[str, int]] = []
    payments, payment_rows = _read_typed_payments(rows, context, registered, uncounted)
    cells = rows.text_cells[cells_from:]
    del rows.text_cells[cells_from:]
    kept = [
        (p, r)
        for p, r in zip(before.payments, before.payment_rows, strict=True)
        if r not in changed
    ]
    merged = _in_row_order(kept, list(zip(payments, payment_rows, strict=True)))
    return (
        [p for p, _ in merged],
        [r for _, r in merged],
        _in_row_order([u for u in before.uncounted if u[1] not in changed], uncounted),
        [
            c
            for c, _ in _in_row_order(
                [(c, c.row) for c in before.text_cells if c.row not in changed],
                [(c, c.row) for c in cells],
            )
        ],
    )


#: The Betalingen columns :func:`_read_typed_payments` reads, in this order.
_TYPED_PAYMENT_KEYS = (
    "status",
    "on",
    "amount",
    "debtor",
    "invoice",
    "text",
    "source",
    "bank_reference",
    "payer_iban",
)


def _read_typed_payments(
    rows: _Rows,
    context: tuple,
    registered: dict[str, int],
    uncounted: list[tuple[str, int]],
) -> tuple[list[Payment], list[int]]:
    """Return what :func:`_read_payments` returns for the rows ``rows`` reads (``rows.only``).

    A row as a command appends it (texts that need no cleaning, a date, an amount as a Decimal)
    that converts without a problem is converted here directly from its values, with the same
    checks (issue 17: ``betalingen`` appends 100,000 such rows); any other row, and any row
    with a problem, is read by :func:`_read_payments` itself, in its turn.
    """
    table = rows.table
    assert rows.only is not None
    width = len(table.headers)
    pick = itemgetter(*(rows.position.get(k, width) for k in _TYPED_PAYMENT_KEYS))
    pad = (None,) * (width + 1)
    payments: list[Payment] = []
    payment_rows: list[int] = []
    first = table.first_row
    one: _Rows | None = None  # the reader of the other rows, one at a time
    for offset in rows.only if rows.usable else ():
        values = table.rows[offset]
        cells = pick((*values, *pad[len(values) :]))
        payment = _typed_payment(first + offset, cells, registered, context)
        if payment is not None:
            payments.append(payment)
            payment_rows.append(first + offset)
            continue
        # read as any row is read, problems and all
        if one is None:
            one = _Rows(schema.BETALINGEN, table, rows.issues, rows.text_cells, fast=False)
        one.only = [offset]
        found, at = _read_payments(one, *context, registered=registered, uncounted=uncounted)
        payments += found
        payment_rows += at
    return payments, payment_rows


#: The statuses of rows :func:`_typed_payment` leaves to :func:`_read_payments`: not counted,
#: or a refund (a negative amount, with its own checks).
_NOT_TYPED_STATUSES = (*schema.PAYMENT_IGNORED, schema.REFUND_STATUS)


def _typed_payment(
    row: int, cells: tuple, registered: dict[str, int], context: tuple
) -> Payment | None:
    """Return the payment of a row whose cells (:data:`_TYPED_PAYMENT_KEYS`) are as a command
    writes them and that :func:`_read_payments` counts without a problem; else None (nothing
    registered then)."""
    debtor_index, invoice_index, references, owners, as_of = context
    status, on, amount, *texts = cells
    if status is not None and (
        status.__class__ is not str or status.strip().casefold() in _NOT_TYPED_STATUSES
    ):
        return None
    if on.__class__ is not date or on > as_of:
        return None
    if amount.__class__ is not Decimal or not amount.is_finite() or not 0 < amount < MAX_AMOUNT:
        return None
    amount = round_cents(amount)
    if not 0 < amount < MAX_AMOUNT:
        return None
    for value in texts:  # texts that need no cleaning; the codes in ASCII (as _fast_cells)
        if value is not None and (value.__class__ is not str or not value.isprintable()):
            return None
    debtor, named, text, source, bank_reference, payer_iban = (
        "" if value is None else value.strip() for value in texts
    )
    if not (debtor + named + bank_reference + payer_iban).isascii():
        return None
    # the checks of _find_invoice, _check_debtor and _check_owner, a problem ending the try
    invoice = ""
    if named:
        found = invoice_index.find(named) or references.get(_compact(named))
        if found is None and invoice_index.complete:
            return None
        invoice = found or named
    if debtor:
        known = debtor_index.find(debtor)
        if known is None and debtor_index.complete:
            return None
        known = known or debtor
        owner = owners.get(invoice) if invoice else None
        if owner is not None and owner.casefold() != known.casefold():
            return None
        debtor = known
    elif invoice:
        debtor = owners.get(invoice, "")
    if not debtor:
        return None
    if bank_reference and registered.setdefault(bank_reference, row) != row:
        return None  # a second row with it: read again, the problem said
    return Payment(
        on=on,
        amount=amount,
        debtor=debtor,
        invoice=invoice,
        text=text,
        source=source,
        bank_reference=bank_reference,
        payer_iban=_iban_text(payer_iban),
    )


def _reviewed_again(
    before: _PaymentsRead, edit: TableEdit, table: TableData
) -> tuple[list[PaymentToReview], date | None]:
    """Return the rows under review and the newest statement day of ``table``, looking again
    only at its changed rows where that gives the same (see :func:`_changed_payments`)."""
    first = table.first_row
    offsets = sorted(r - first for r in edit.rows)
    kept = [(p, p.row) for p in before.to_review if p.row not in edit.rows]
    new = [(p, p.row) for p in _review_payments(table, offsets)]
    to_review = [p for p, _ in _in_row_order(kept, new)]
    index = schema.match_headers(schema.BETALINGEN, table.headers).index
    dated = {
        table.first_column + index[k] for k in ("on", "bank_reference", "source") if k in index
    }
    if dated & edit.columns:  # a day, a reference or a source changed: look at every row
        return to_review, _last_statement(table)
    return to_review, _newest(before.newest, _last_statement(table, offsets))


def _row_of(item: tuple[object, int]) -> int:
    return item[1]


def _in_row_order(kept: list, new: list) -> list:
    """Return (item, row) pairs ``kept`` and ``new`` (each in row order) in row order; items
    of one row stay in their order (a row is in only one of the two)."""
    if not new:
        return kept
    if not kept or kept[-1][1] < new[0][1]:  # rows appended after the others: the usual case
        return kept + new
    return sorted(kept + new, key=_row_of)


def _newest(*days: object) -> date | None:
    found = [d for d in days if isinstance(d, date)]
    return max(found) if found else None


def table_growth(tables: Mapping[str, TableData]) -> list[TableGrowth]:
    """Return the tables that rows typed directly under them should join.

    LibreOffice (and other programs) do not grow an Excel Table when a row is typed under it;
    such rows are read as part of the table (:func:`load_tables`), and a command that saves the
    workbook makes the table take them in, so that Excel's filter, sort and totals see them.

    Args:
      tables: declared sheet name -> TableData, as loaded.
    Returns:
      One :class:`TableGrowth` per table with filled rows below its defined end.
    """
    grown = []
    for table in tables.values():
        if not table.table or table.last_row is None:
            continue
        below = max(0, table.last_row - table.first_row + 1)  # the rows under the table
        filled = [
            table.first_row + offset
            for offset, values in enumerate(table.rows[below:], below)
            if table.first_row + offset > table.last_row
            and any(v is not None and (not isinstance(v, str) or v.strip()) for v in values)
        ]
        if not filled:
            continue
        left = _column_letter(table.first_column)
        right = _column_letter(table.first_column + len(table.headers) - 1)
        header = table.first_row - 1
        grown.append(
            TableGrowth(
                sheet=table.sheet,
                table=table.table,
                ref=f"{left}{header}:{right}{table.last_row}",
                new_ref=f"{left}{header}:{right}{filled[-1]}",
                first=table.last_row + 1,
                last=filled[-1],
            )
        )
    return grown


# --- Instellingen -------------------------------------------------------------------------------


#: Settings that go into an e-mail header or a server connection: one line only.
_ONE_LINE_SETTINGS = frozenset({"smtp_host", "smtp_user"})
#: Settings that hold the business's own e-mail address: one address.
_OWN_ADDRESS_SETTINGS = frozenset({"email", "smtp_sender"})


def _setting_converter(setting: schema.SettingField) -> Callable[[object], object]:
    if setting.field in _OWN_ADDRESS_SETTINGS:
        return _own_address
    if setting.field in _ONE_LINE_SETTINGS:
        return _one_line
    if setting.type is ColumnType.CHOICE:
        return _chooser(
            [text for text, _ in setting.choices], dict(setting.choices + setting.aliases)
        )
    return _CONVERTERS[setting.type]


def _read_settings(
    rows: _Rows | None, issues: list[Issue]
) -> tuple[Creditor, Settings, str, dict[str, object]]:
    values: dict[tuple[SettingTarget, str], object] = {}
    seen: dict[str, int] = {}
    sheet_name = rows.table.sheet if rows is not None else schema.INSTELLINGEN.name
    for setting in schema.SETTINGS:
        if setting.default is not None:
            values[setting.target, setting.field] = _setting_converter(setting)(setting.default)
        else:
            values[setting.target, setting.field] = None
    if rows is not None:
        for row in rows:
            label = rows.raw("label")
            setting = schema.setting_by_label(label)
            if setting is None:
                continue  # a row of the user's own
            if setting.label in seen:
                rows.problem(
                    "label",
                    f"De instelling '{setting.label}' staat twee keer in de lijst (rij "
                    f"{seen[setting.label]} en rij {row}); verwijder er een.",
                )
                continue
            seen[setting.label] = row
            raw = rows.raw("value")
            if raw is None:
                if setting.required:
                    what = _SETTING_EXAMPLES.get(setting.field) or _EXAMPLES.get(
                        setting.type, "een waarde in"
                    )
                    rows.problem("value", f"{setting.label} is leeg; vul {what}.")
                continue
            try:
                value = _setting_converter(setting)(raw)
                if setting.field == "iban":
                    value = _iban(value)
                elif setting.field == "own_ibans":
                    value = tuple(_iban(p) for p in str(value).split(",") if p.strip())
            except _Bad as bad:
                rows.problem("value", f"{setting.label}: {bad.message}")
                continue
            values[setting.target, setting.field] = value
    if rows is not None and rows.usable:
        for setting in schema.SETTINGS:
            if setting.required and setting.default is None and setting.label not in seen:
                issues.append(
                    Issue(
                        source=CellRef(sheet=sheet_name, column="Instelling"),
                        message=f"De instelling '{setting.label}' ontbreekt; voeg een rij toe "
                        f"met '{setting.label}' in de kolom Instelling en vul de Waarde in.",
                    )
                )

    def record(target: SettingTarget) -> dict[str, object]:
        return {
            name: value
            for (kind, name), value in values.items()
            if kind is target and value is not None
        }

    creditor_fields = record(SettingTarget.CREDITOR)
    creditor_fields.setdefault("name", "")
    creditor = Creditor(**creditor_fields)  # type: ignore[arg-type]
    settings = Settings(**record(SettingTarget.SETTINGS))  # type: ignore[arg-type]
    letter_folder = str(values.get((SettingTarget.APP, "letter_folder")) or "")
    app = {name: value for (kind, name), value in values.items() if kind is SettingTarget.APP}
    app["own_ibans"] = app.get("own_ibans") or ()
    return creditor, settings, letter_folder, app


_SETTING_EXAMPLES = {"name": "de naam van uw bedrijf in"}


def _iban(value: object) -> str:
    text = str(value)
    if not is_valid_iban(text):
        raise _Bad(f"'{quoted_value(text)}' is geen geldig IBAN-nummer; controleer het nummer.")
    return stdnum_iban.compact(text)


# --- Klanten ------------------------------------------------------------------------------------


def _country(value: object) -> str:
    """Return the ISO code of the country in a Land cell: a code or a name (nl, fr, en, de)."""
    code = country_code(_text(value))
    if code is None:
        raise _Bad(
            f"'{_quoted(value)}' is geen land; vul de landcode in (zoals NL, BE, DE of FR) of de "
            "naam van het land."
        )
    return code


#: VAT prefixes that are not the country's ISO code (Greece, Northern Ireland).
_VAT_PREFIXES = {"EL": "GR", "XI": "GB"}

#: The most letters and digits a VAT number has: 14 in the EU (``NL853746333B01``), 16 in
#: Switzerland (``CHE123456789MWST``); some room above that for what a check can still read.
MAX_VAT_CHARS = 20


def vat_problem(vat: str, country: str) -> str:
    """Return why ``vat`` is no valid VAT number of its country (Dutch); "" when it is one, or
    when python-stdnum knows no check for that country.

    The country is the number's own prefix (``DE…``, ``EL…`` for Greece), else the customer's.

    >>> vat_problem("NL853746333B01", "NL"), vat_problem("556703748501", "SE")
    ('', '')
    >>> vat_problem("DE123", "DE")
    "'DE123' is geen geldig btw-nummer van Duitsland; controleer het nummer."

    A text of more than :data:`MAX_VAT_CHARS` letters and digits is no VAT number of any
    country; it is not given to the check (python-stdnum turned the 5,000 digits of a hostile
    e-invoice or cell into an integer and stopped with a traceback), and quoted short.
    """
    compact = "".join(ch for ch in vat if ch.isalnum()).upper()
    if len(compact) > MAX_VAT_CHARS:
        return (
            f"'{one_line(vat, 40)}' is geen btw-nummer: het is langer dan een btw-nummer "
            f"({MAX_VAT_CHARS} letters en cijfers); controleer het nummer."
        )
    prefix = compact[:2] if compact[:2].isalpha() else ""
    code = _VAT_PREFIXES.get(prefix, prefix) or country.upper()
    module = get_cc_module(code.lower(), "vat") if code.isalpha() and len(code) == 2 else None
    if module is None or module.is_valid(vat):
        return ""
    return (
        f"'{quoted_value(vat)}' is geen geldig btw-nummer van {country_name(code)}; "
        "controleer het nummer."
    )


def _indexed_number(
    rows: _Rows, row: int, index: _Index, label: str, thing: str, number: object = _SLOW
) -> object:
    """Return the row's number after adding it to ``index``; a number already there is a problem
    ("{label} '…' staat twee keer in de lijst …; geef elke {thing} een eigen nummer").

    ``number``: the cell as ``rows.get`` gives it, when known already (:meth:`_Rows.fast_rows`).
    """
    if number is _SLOW:
        number = rows.get("number")
    if not number and rows.raw("number") is not None:
        index.complete = False  # an unreadable number: do not call others unknown
    if number:
        earlier = index.add(number, row)  # type: ignore[arg-type]
        if earlier is not None:
            rows.problem(
                "number",
                f"{label} '{quoted_value(number)}' staat twee keer in de lijst (rij {earlier} "
                f"en rij {row}); "
                f"geef elke {thing} een eigen nummer.",
            )
    return number


def _read_debtors(rows: _Rows | None) -> tuple[dict[str, Debtor], _Index]:
    debtors: dict[str, Debtor] = {}
    index = _Index(complete=rows is not None and rows.usable)
    if rows is None:
        return debtors, index
    law = _chooser(schema.KLANTEN.column("law").choices, _COUNTRIES)
    kind = _chooser(schema.KLANTEN.column("kind").choices, _KINDS)
    language = _chooser(schema.KLANTEN.column("language").choices, _LANGUAGES)
    for row in rows:
        number = _indexed_number(rows, row, index, "Klantnummer", "klant")
        debtor = dict(
            name=rows.get("name"),
            country=rows.get("country", convert=_country),
            kind=rows.get("kind", convert=kind),
            law=rows.get("law", convert=law),
            contact=rows.get("contact", default=""),
            salutation=rows.get("salutation", default=""),
            address=rows.get("address", default=""),
            postcode=rows.get("postcode", default=""),
            city=rows.get("city", default=""),
            email=rows.get("email", default="", convert=_recipients),
            phone=rows.get("phone", default=""),
            language=rows.get("language", default="nl", convert=language),
            registration=rows.get("registration", default=""),
            vat_number=rows.get("vat_number", default=""),
            payment_term_days=rows.get("payment_term_days"),
            handed_over=rows.get("handed_over", default=False),
            ibans=tuple(
                _iban_text(part)
                for part in str(rows.get("iban", default="") or "").replace(";", ",").split(",")
                if part.strip()
            ),
        )
        for account in debtor["ibans"]:  # type: ignore[attr-defined]
            if not is_valid_iban(account):
                rows.problem(
                    "iban",
                    f"'{quoted_value(account)}' is geen geldig IBAN-nummer; controleer het nummer.",
                )
        if debtor["vat_number"] and debtor["country"]:
            problem = vat_problem(str(debtor["vat_number"]), str(debtor["country"]))
            if problem:
                rows.problem("vat_number", problem)
        if rows.ok:
            record = Debtor(number=number, **debtor)  # type: ignore[arg-type]
            problem = law_problem(record)
            if problem:
                rows.problem("law", problem)
            else:
                debtors[number] = record
    return debtors, index


# --- Facturen -----------------------------------------------------------------------------------


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"


def _compact(reference: str) -> str:
    spaced = reference.replace(" ", "")  # RF30 F000 000 as bijwerken writes it: no pattern
    if spaced.isalnum():
        return spaced.casefold()
    return _NOT_ALNUM.sub("", reference).casefold()


def _check_debtor(rows: _Rows, key: str, number: str, index: _Index) -> str | None:
    """Return the customer number as spelled on Klanten; None (and an Issue) when unknown."""
    found = index.find(number)
    if found is None and index.complete:
        alike = index.spaced_otherwise(number)
        rows.problem(
            key,
            f"Klant '{quoted_value(number)}' staat niet op het werkblad Klanten; voeg de klant "
            "toe of verbeter "
            "het klantnummer."
            if alike is None
            else f"Klant '{quoted_value(number)}' staat niet op het werkblad Klanten, maar "
            f"'{quoted_value(alike)}' wel: "
            "schrijf het klantnummer overal hetzelfde, met of zonder spatie.",
        )
        return None
    return found or number


def _check_years(rows: _Rows, **days: date | None) -> None:
    """Report each of ``days`` (column key -> day) whose year is outside :data:`YEARS`."""
    for key, day in days.items():
        if day is not None and day.year not in YEARS:
            rows.problem(
                key,
                f"{rows.sheet.column(key).header} {_nl_date(day)} kan niet kloppen; controleer "
                f"het jaar ({YEARS_NOTE}).",
            )


def _check_made_later(rows: _Rows, on: date | None, sent_on: date | None, note: str) -> None:
    """Refuse a Verzonden op before the day a letter made for an earlier peildatum was really
    made (its Notitie says so): it cannot have gone out before it existed."""
    if sent_on is None or on is None or sent_on < on or not note:
        return
    made = made_on(on, note)
    if sent_on < made:
        rows.problem(
            "sent_on",
            f"Verzonden op {_nl_date(sent_on)} ligt vóór {_nl_date(made)}, de dag waarop de "
            f"brief gemaakt is (Notitie: {MADE_LATER.format(made)}); controleer de datum.",
        )


def _check_receipt(rows: _Rows, received_on: date | None, went_out: date | None) -> None:
    """Report an Ontvangen op before the day the letter went out: its term (and, where a letter
    puts the debtor in default, the interest) would start before the letter was sent. A year
    outside :data:`YEARS` is reported once, by :func:`_check_years`."""
    if received_on is None or went_out is None or received_on.year not in YEARS:
        return
    if received_on < went_out:
        rows.problem(
            "received_on",
            f"Ontvangen op {_nl_date(received_on)} ligt vóór de dag waarop de brief verstuurd "
            f"is ({_nl_date(went_out)}); controleer de datum.",
        )


def _check_not_future(rows: _Rows, key: str, day: date | None, as_of: date) -> None:
    if day is not None and day > as_of:
        header = rows.sheet.column(key).header
        rows.problem(
            key,
            f"{header} {_nl_date(day)} ligt na de peildatum {_nl_date(as_of)}; controleer de "
            "datum.",
        )


#: The Facturen cells :func:`_read_invoices` reads, and what an empty one gives.
_INVOICE_KEYS = (
    "number",
    "debtor",
    "invoice_date",
    "due_date",
    "amount",
    "is_credit_note",
    "reference",
    "description",
    "disputed",
    "paused_until",
    "note",
    "credits",
    "file",
)
_INVOICE_DEFAULTS = (None, None, None, None, None, False, "", "", False, None, "", "", "")


def _read_invoices(
    rows: _Rows | None, debtors: dict[str, Debtor], debtor_index: _Index, as_of: date
) -> tuple[list[Invoice], dict[str, int], _Index, dict[str, str], dict[str, str]]:
    invoices: list[Invoice] = []
    invoice_rows: dict[str, int] = {}
    index = _Index(complete=rows is not None and rows.usable)
    references: dict[str, str] = {}  # compact payment reference -> invoice number
    owners: dict[str, str] = {}  # invoice number -> customer number
    if rows is None:
        return invoices, invoice_rows, index, references, owners
    cells = rows.fast_rows(_INVOICE_KEYS, _INVOICE_DEFAULTS)
    spelled: dict[str, str] = {}  # customer number -> as on Klanten, for the numbers found
    for row in rows:
        (
            number,
            debtor,
            invoice_date,
            due_date,
            amount,
            credit_note,
            reference,
            description,
            disputed,
            paused_until,
            note,
            credits,
            file,
        ) = cells[rows.offset]
        # each cell as rows.get gives it, in the same order: a _SLOW cell is converted (and a
        # problem reported) by rows.get itself
        number = _indexed_number(rows, row, index, "Factuurnummer", "factuur", number)
        debtor = rows.get("debtor") if debtor is _SLOW else debtor
        if debtor:
            known = spelled.get(debtor)  # type: ignore[call-overload]
            if known is None:
                known = _check_debtor(rows, "debtor", debtor, debtor_index)  # type: ignore[arg-type]
                if known is not None:  # no problem reported: the same for every row
                    spelled[debtor] = known  # type: ignore[index]
            debtor = known or debtor
            if known and number:
                owners.setdefault(number, known)  # type: ignore[arg-type]
        if invoice_date is _SLOW:
            invoice_date = rows.get("invoice_date")
        _check_not_future(rows, "invoice_date", invoice_date, as_of)  # type: ignore[arg-type]
        due_date = rows.get("due_date") if due_date is _SLOW else due_date
        amount = rows.get("amount") if amount is _SLOW else amount
        if credit_note is _SLOW:
            credit_note = rows.get("is_credit_note", default=False)
        reference = rows.get("reference", default="") if reference is _SLOW else reference
        if reference and number:
            references.setdefault(_compact(reference), number)  # type: ignore[arg-type]
        if description is _SLOW:
            description = rows.get("description", default="")
        disputed = rows.get("disputed", default=False) if disputed is _SLOW else disputed
        if paused_until is _SLOW:
            paused_until = rows.get("paused_until")
        note = rows.get("note", default="") if note is _SLOW else note
        if not credit_note:
            credits = ""
        elif credits is _SLOW:
            credits = rows.get("credits", default="")
        file = rows.get("file", default="") if file is _SLOW else file
        if amount is not None:
            if amount < 0 and not credit_note:
                rows.problem(
                    "amount",
                    f"Het bedrag {_nl_money(amount)} is negatief, maar Creditnota staat niet op "
                    "Ja; zet Creditnota op Ja of maak het bedrag positief.",
                )
            elif amount >= 0 and credit_note:
                rows.problem(
                    "amount",
                    "Een creditnota moet een negatief bedrag hebben; zet een minteken voor het "
                    "bedrag of zet Creditnota op Nee.",
                )
        if invoice_date is not None and due_date is not None and due_date < invoice_date:
            rows.problem(
                "due_date",
                f"De vervaldatum {_nl_date(due_date)} ligt vóór de factuurdatum "
                f"{_nl_date(invoice_date)}; verbeter een van beide.",
            )
        if (
            (invoice_date is not None and invoice_date.year not in YEARS)
            or (due_date is not None and due_date.year not in YEARS)
            or (paused_until is not None and paused_until.year not in YEARS)  # type: ignore[attr-defined]
        ):
            _check_years(
                rows,
                invoice_date=invoice_date,
                due_date=due_date,
                paused_until=paused_until,  # type: ignore[arg-type]
            )
        if due_date is None and invoice_date is not None and rows.ok:
            if credit_note:
                due_date = invoice_date
            else:
                known = debtors.get(debtor)  # type: ignore[arg-type]
                term = known.payment_term_days if known is not None else None
                if term is not None:
                    due_date = invoice_date + timedelta(days=term)
                elif known is not None:
                    rows.problem(
                        "due_date",
                        f"Vervaldatum is leeg en klant '{quoted_value(debtor)}' heeft geen "
                        "betaaltermijn; vul "
                        "een vervaldatum in, of een betaaltermijn bij de klant op het werkblad "
                        "Klanten.",
                    )
        if rows.ok and due_date is not None:
            invoices.append(
                Invoice(
                    number=number,  # type: ignore[arg-type]
                    debtor=debtor,  # type: ignore[arg-type]
                    invoice_date=invoice_date,  # type: ignore[arg-type]
                    due_date=due_date,  # type: ignore[arg-type]
                    amount=amount,  # type: ignore[arg-type]
                    reference=reference,  # type: ignore[arg-type]
                    is_credit_note=credit_note,  # type: ignore[arg-type]
                    description=description,  # type: ignore[arg-type]
                    disputed=disputed,  # type: ignore[arg-type]
                    paused_until=paused_until,  # type: ignore[arg-type]
                    note=note,  # type: ignore[arg-type]
                    credits=credits,  # type: ignore[arg-type]
                    file=file,  # type: ignore[arg-type]
                )
            )
            invoice_rows[number] = row  # type: ignore[index]
    return invoices, invoice_rows, index, references, owners


def _credit_note_warnings(
    table: TableData | None,
    invoices: Sequence[Invoice],
    invoice_rows: Mapping[str, int],
    index: _Index,
) -> list[Issue]:
    """Return a warning at the Crediteert factuur cell of each credit note that names no
    invoice it lowers (:func:`~..core.claim.unlinked_credit_notes`): a typo ('F2026-0O12'),
    the number in other capitals or spaces ('f2026-0012', 'F 2026-0012'), another customer's
    invoice, or an invoice that is not on Facturen yet (an e-invoice credit note may come
    before its invoice). The credit note then goes as a payment to the customer's oldest open
    invoice; it is read so, and the user is told instead of the number being guessed."""
    unlinked = unlinked_credit_notes(invoices)
    if table is None or not unlinked:
        return []
    header = schema.FACTUREN.column("credits").header
    out = []
    for note, found in unlinked:
        named = one_line(note.credits, 60)  # as typed, cut: a pasted text may be long
        if found is None:
            meant = index.find(note.credits) or index.spaced_otherwise(note.credits)
            why = "die staat niet op het blad Facturen"
            todo = (
                f"Bedoelt u '{meant}'? Typ het nummer precies zoals op Facturen."
                if meant
                else "Verbeter het nummer; komt die factuur nog, dan verlaagt de creditnota haar "
                "zodra ze op Facturen staat."
            )
        elif found.debtor != note.debtor:
            why = f"die hoort bij klant {found.debtor}, niet bij klant {note.debtor}"
            todo = "Controleer het klantnummer en het factuurnummer."
        elif found.is_credit_note:
            why, todo = "dat is een creditnota", "Vul de factuur in die ze crediteert."
        else:
            why = f"die heeft het bedrag {_nl_money(found.amount)}"
            todo = "Controleer het nummer."
        message = (
            f"Creditnota {note.number} crediteert factuur '{named}', maar {why}. Ze verlaagt "
            "dus geen factuur en gaat als betaling naar de oudste openstaande factuur van klant "
            f"{note.debtor} (zonder openstaande factuur is ze een tegoed). {todo}"
        )
        source = CellRef(sheet=table.sheet, row=invoice_rows.get(note.number), column=header)
        out.append(Issue(source=source, message=one_line(message)))
    return out


def _uncovered_interest(
    table: TableData | None,
    invoices: Sequence[Invoice],
    invoice_rows: Mapping[str, int],
    debtors: Mapping[str, Debtor],
    creditor: Creditor,
    settings: Settings,
    rate_rows: Sequence[RateRow],
) -> list[Issue]:
    """Report each invoice whose interest would run on a day before the rate table of its
    customer's law begins (a due date in 1950): the interest engine would refuse the whole
    book for that day without naming the invoice.

    The Rentes sheet can only add earlier rows, so only a due date before the latest first row
    of the built-in tables is looked at further: one comparison per invoice (issue 17). The
    cell named is Vervaldatum, or Factuurdatum when the due date follows from it (an empty
    Vervaldatum and the customer's payment term).
    """
    shipped = builtin()
    latest = max(t.days[0] for t in shipped.tables.values())
    early = [i for i in invoices if i.due_date < latest]
    if not early or table is None:
        return []
    book = shipped.with_rows(rate_rows)
    position = schema.match_headers(schema.FACTUREN, table.headers).index.get("due_date")
    issues: list[Issue] = []
    for invoice in early:
        debtor, row = debtors.get(invoice.debtor), invoice_rows.get(invoice.number)
        found = (
            None
            if debtor is None
            else first_uncovered_day(invoice, debtor, creditor, settings, book)
        )
        if found is None or row is None:
            continue
        day, series = found
        values = table.rows[row - table.first_row]
        typed = position is not None and position < len(values) and values[position] is not None
        due = _nl_date(invoice.due_date)
        if typed and not (isinstance(values[position], str) and not values[position].strip()):
            key, said = "due_date", f"Vervaldatum {due} ligt"
        else:
            key = "invoice_date"
            said = (
                f"Factuurdatum {_nl_date(invoice.invoice_date)} geeft met de betaaltermijn de "
                f"vervaldatum {due}; die ligt"
            )
        message = (
            f"{said} vóór de eerste dag waarvoor debiteuren de {series_label(series)} kent "
            f"({_nl_date(book.table(series).days[0])}), dus de rente vanaf {_nl_date(day)} is niet "
            "te berekenen. Controleer het jaar, of vul op het blad Rentes het percentage aan "
            f"dat vanaf {_nl_date(day)} gold."
        )
        header = schema.FACTUREN.column(key).header
        issues.append(
            Issue(source=CellRef(sheet=table.sheet, row=row, column=header), message=message)
        )
    return issues


# --- Betalingen ---------------------------------------------------------------------------------


def _find_invoice(
    rows: _Rows, key: str, named: str, index: _Index, references: dict[str, str]
) -> str | None:
    """Return the invoice number that ``named`` (a number or payment reference) refers to."""
    found = index.find(named) or references.get(_compact(named))
    if found is None and index.complete:
        rows.problem(
            key,
            f"Factuur '{quoted_value(named)}' staat niet op het werkblad Facturen; verbeter het "
            "factuurnummer "
            "of maak de cel leeg.",
        )
    return found


def _check_owner(rows: _Rows, key: str, invoice: str, debtor: str, owners: dict[str, str]) -> None:
    owner = owners.get(invoice)
    if owner is not None and owner.casefold() != debtor.casefold():
        rows.problem(
            key,
            f"Factuur '{quoted_value(invoice)}' hoort bij klant '{quoted_value(owner)}', niet bij "
            f"klant '{quoted_value(debtor)}'; "
            "verbeter het klantnummer of het factuurnummer.",
        )


def _last_statement(table: TableData | None, offsets: Sequence[int] | None = None) -> date | None:
    """Return the newest date of a row imported from a bank statement (any status), of the
    rows at ``offsets`` (all rows for None)."""
    if table is None:
        return None
    match = schema.match_headers(schema.BETALINGEN, table.headers)
    on, ref, source = (match.index.get(k) for k in ("on", "bank_reference", "source"))
    if on is None or ref is None:
        return None
    newest = None
    rows = table.rows
    for values in rows if offsets is None else (rows[k] for k in offsets):
        if ref >= len(values) or not values[ref] or on >= len(values):
            continue
        if (
            source is not None
            and source < len(values)
            and str(values[source] or "").strip().casefold() in ("", "handmatig")
        ):
            continue
        try:
            day = _date(values[on])
        except _Bad:
            continue
        newest = day if newest is None or day > newest else newest
    return newest


def stored_open_amounts(
    tables: Mapping[str, TableData], data: WorkbookData
) -> list[tuple[str, list[OpenAmount]]] | None:
    """Return (customer, what is open on each of its invoices) of every customer with an open
    invoice, in customer order, read from the Facturen columns Totaal, Openstaand and Kosten.

    That is what :func:`~..core.book.open_amounts_by_debtor` works out, when those columns
    hold the assessment at the peildatum (:func:`.digest.tables_current` says so: a bank
    import right after ``bijwerken`` then matches without assessing every customer again,
    issue 17). None when a column is missing or a cell of a real invoice holds no amount.
    """
    table = tables.get(schema.FACTUREN.name)
    if table is None:
        return None
    index = schema.match_headers(schema.FACTUREN, table.headers).index
    if not {"total", "outstanding", "costs"} <= index.keys():
        return None
    total, principal, costs = index["total"], index["outstanding"], index["costs"]
    width = max(total, principal, costs) + 1
    rows, first, where = table.rows, table.first_row, data.invoice_rows
    found: dict[str, list[OpenAmount]] = {}
    try:
        for invoice in data.invoices:
            if invoice.is_credit_note or invoice.amount <= 0:  # as the claim leaves them out
                continue
            values = rows[where[invoice.number] - first]
            if len(values) < width:
                return None
            outstanding = _stored_money(values[total])
            if outstanding > 0:
                found.setdefault(invoice.debtor, []).append(
                    OpenAmount(
                        invoice,
                        outstanding,
                        _stored_money(values[principal]),
                        _stored_money(values[costs]),
                    )
                )
    except (_Bad, KeyError, IndexError):
        return None
    return sorted(found.items())


def _stored_money(value: object) -> Decimal:
    """Return a computed amount as the assessment had it, rounded to cents (a computed column
    holds a number, which python-calamine reads as a float)."""
    if value.__class__ is float and abs(value) < _MAX_FLOAT_AMOUNT:  # type: ignore[operator]
        amount = round_cents(Decimal(repr(value)))
    else:
        amount = _money(value)
    return amount


def payments_to_review(tables: Mapping[str, TableData]) -> list[PaymentToReview]:
    """Return the payments with the status "Te controleren", from the tables alone (cheap:
    for a run that converts nothing else)."""
    return _review_payments(tables.get(schema.BETALINGEN.name))


def _review_payments(
    table: TableData | None, offsets: Sequence[int] | None = None
) -> list[PaymentToReview]:
    """Return the Betalingen rows with the status "Te controleren", read leniently (they are
    not counted, so a missing or odd value is no problem; the row is shown as it is); of the
    rows at ``offsets`` (all rows for None)."""
    if table is None:
        return []
    match = schema.match_headers(schema.BETALINGEN, table.headers)
    index = match.index
    if "status" not in index:
        return []

    def cell(values: Sequence[object], key: str) -> object:
        pos = index.get(key)
        return values[pos] if pos is not None and pos < len(values) else None

    def text(values: Sequence[object], key: str) -> str:
        value = cell(values, key)
        return "" if value is None else " ".join(str(value).split())

    found = []
    rows = table.rows
    chosen = enumerate(rows) if offsets is None else ((k, rows[k]) for k in offsets)
    at = index["status"]
    for offset, values in chosen:
        status = values[at] if at < len(values) else None
        if status is None or (status.__class__ is str and "controleren" not in status.casefold()):
            continue  # the test below, at once for most rows
        if text(values, "status").casefold() != "te controleren":
            continue
        try:
            on = _date(cell(values, "on")) if cell(values, "on") is not None else None
        except _Bad:
            on = None
        try:
            raw = cell(values, "amount")
            amount = None if raw in (None, "") else _money(raw)
        except _Bad:
            amount = None
        candidates = tuple(c.strip() for c in text(values, "candidates").split(",") if c.strip())
        found.append(
            PaymentToReview(
                row=table.first_row + offset,
                on=on,
                amount=amount,
                text=text(values, "text"),
                debtor=text(values, "debtor"),
                payer_name=text(values, "payer_name"),
                payer_iban=_iban_text(cell(values, "payer_iban")),
                candidates=candidates,
                reason=text(values, "reason"),
            )
        )
    return found


def _iban_text(value: object) -> str:
    """Return an IBAN in compact upper-case form ("" for empty)."""
    return "".join(str(value or "").split()).upper()


#: The Betalingen cells :func:`_read_payments` reads, and what an empty one gives.
_PAYMENT_KEYS = (
    "on",
    "amount",
    "debtor",
    "invoice",
    "bank_reference",
    "text",
    "source",
    "payer_iban",
)
_PAYMENT_DEFAULTS = (None, None, "", "", "", "", "", "")


def _read_payments(
    rows: _Rows | None,
    debtor_index: _Index,
    invoice_index: _Index,
    references: dict[str, str],
    owners: dict[str, str],
    as_of: date,
    *,
    registered: dict[str, int] | None = None,
    uncounted: list[tuple[str, int]] | None = None,
) -> tuple[list[Payment], list[int]]:
    """Return the payments counted and their Excel rows.

    Args:
      registered: bank reference -> the first row that has it, of the rows before (the rows
        read are checked against them); it grows with the rows read.
      uncounted: gets (bank reference, row) of each row read that has a bank reference but is
        not counted (see :class:`_PaymentsRead`).
    """
    payments: list[Payment] = []
    payment_rows: list[int] = []
    if rows is None:
        return payments, payment_rows
    bank_references: dict[str, int] = {} if registered is None else registered
    cells = rows.fast_rows(_PAYMENT_KEYS, _PAYMENT_DEFAULTS)
    spelled: dict[str, str] = {}  # customer number -> as on Klanten, for the numbers found
    for row in rows:
        # each cell as rows.get gives it, in the same order: a _SLOW cell is converted (and a
        # problem reported) by rows.get itself
        on, amount, debtor, named, bank_reference, text, source, payer_iban = cells[rows.offset]
        status = str(rows.raw("status") or "").strip().casefold()
        if status in schema.PAYMENT_IGNORED:
            # Under review, reversed or a storno: kept in the sheet, not counted.
            if bank_reference is _SLOW:
                bank_reference = rows.get("bank_reference", default="")
            if bank_reference:
                bank_references.setdefault(bank_reference, row)  # type: ignore[arg-type]
                if uncounted is not None:
                    uncounted.append((bank_reference, row))  # type: ignore[arg-type]
            continue
        on = rows.get("on") if on is _SLOW else on
        _check_not_future(rows, "on", on, as_of)  # type: ignore[arg-type]
        amount = rows.get("amount") if amount is _SLOW else amount
        refund = status == schema.REFUND_STATUS
        if amount is not None:
            _check_sign(rows, amount, refund)  # type: ignore[arg-type]
        debtor = rows.get("debtor", default="") if debtor is _SLOW else debtor
        named = rows.get("invoice", default="") if named is _SLOW else named
        if refund:
            _check_refund(rows, debtor, named)  # type: ignore[arg-type]
        invoice = ""
        if named:
            invoice = _find_invoice(rows, "invoice", named, invoice_index, references) or named  # type: ignore[arg-type]
        if debtor:
            known = spelled.get(debtor)  # type: ignore[call-overload]
            if known is None:
                known = _check_debtor(rows, "debtor", debtor, debtor_index)  # type: ignore[arg-type]
                if known is not None:  # no problem reported: the same for every row
                    spelled[debtor] = known  # type: ignore[index]
            if known and invoice:
                _check_owner(rows, "debtor", invoice, known, owners)
            debtor = known or debtor
        elif invoice:
            debtor = owners.get(invoice, "")
        elif rows.ok:
            rows.problem(
                "debtor",
                "Klantnr en Factuurnr zijn allebei leeg; vul minstens een van beide in.",
            )
        if bank_reference is _SLOW:
            bank_reference = rows.get("bank_reference", default="")
        if bank_reference:
            earlier = bank_references.setdefault(bank_reference, row)  # type: ignore[arg-type]
            if earlier != row:
                rows.problem(
                    "bank_reference",
                    f"Bankreferentie '{quoted_value(bank_reference)}' staat twee keer in de "
                    "lijst (rij "
                    f"{earlier} en rij {row}); is deze betaling dubbel ingelezen? Haal er een weg.",
                )
        text = rows.get("text", default="") if text is _SLOW else text
        source = rows.get("source", default="") if source is _SLOW else source
        if rows.ok and debtor:
            payments.append(
                Payment(
                    on=on,  # type: ignore[arg-type]
                    amount=amount,  # type: ignore[arg-type]
                    debtor=debtor,
                    invoice=invoice,
                    text=text,  # type: ignore[arg-type]
                    source=source,  # type: ignore[arg-type]
                    bank_reference=bank_reference,
                    payer_iban=_iban_text(
                        rows.get("payer_iban", default="") if payer_iban is _SLOW else payer_iban
                    ),
                )
            )
            payment_rows.append(row)
        elif bank_reference and uncounted is not None:
            uncounted.append((bank_reference, row))
    return payments, payment_rows


def _check_sign(rows: _Rows, amount: Decimal, refund: bool) -> None:
    """Report a payment of zero or less, and a refund (Status Terugbetaling) that is not
    below zero."""
    if refund and amount >= 0:
        rows.problem(
            "amount",
            "Een terugbetaling is geld dat naar de klant terugging: zet een min voor het bedrag "
            + (f"({_nl_money(-amount)})." if amount else "(bijvoorbeeld € -25,00)."),
        )
    elif not refund and amount <= 0:
        rows.problem(
            "amount",
            f"Het bedrag {_nl_money(amount)} is geen ontvangen betaling; een betaling moet "
            "groter dan nul zijn. Stortte u de klant geld terug (een te veel betaald bedrag), "
            "zet dan de Status op Terugbetaling.",
        )


def _check_refund(rows: _Rows, debtor: str, named: str) -> None:
    """Report a refund without a customer, or with an invoice: it comes off the customer's
    credit, not off one invoice (:func:`debiteuren.core.claim.assess_debtor`)."""
    if named:
        rows.problem(
            "invoice",
            "Een terugbetaling gaat af van het tegoed van de klant, niet van één factuur: laat "
            "Factuurnr leeg en vul Klantnr in (noem de factuur eventueel in de Mededeling).",
        )
    elif not debtor:
        rows.problem("debtor", "Vul bij een terugbetaling het Klantnr in van de klant.")


# --- Acties -------------------------------------------------------------------------------------


def _read_actions(
    rows: _Rows | None,
    debtor_index: _Index,
    invoice_index: _Index,
    owners: dict[str, str],
    as_of: date,
    action_rows: list[int] | None = None,
) -> list[Action]:
    actions: list[Action] = []
    if rows is None:
        return actions
    step = _chooser(schema.ACTIES.column("step").choices, _STEPS)
    channel = _chooser(schema.ACTIES.column("channel").choices, _CHANNELS)
    state_of = _chooser(schema.ACTIES.column("state").choices, _STATES)
    for row in rows:
        on: date | None = rows.get("on")  # type: ignore[assignment]
        _check_not_future(rows, "on", on, as_of)
        state: LetterState | None = rows.get("state", convert=state_of)  # type: ignore[assignment]
        sent_on: date | None = rows.get("sent_on")  # type: ignore[assignment]
        _check_not_future(rows, "sent_on", sent_on, as_of)
        if sent_on is not None and on is not None and sent_on < on:
            rows.problem(
                "sent_on",
                f"Verzonden op {_nl_date(sent_on)} ligt vóór het Tijdstip {_nl_date(on)} waarop "
                "de brief gemaakt is; controleer de datum.",
            )
        if sent_on is not None and state in (LetterState.FAILED, LetterState.CANCELLED):
            rows.problem(
                "sent_on",
                f"De Status is '{state.value}' maar Verzonden op is ingevuld; is de brief "
                "verstuurd, zet de Status dan op verzonden, anders maak Verzonden op leeg.",
            )
        debtor: str = rows.get("debtor")  # type: ignore[assignment]
        known = _check_debtor(rows, "debtor", debtor, debtor_index) if debtor else None
        debtor = known or debtor
        invoices: list[str] = []
        for named in rows.get("invoices", default=()):  # type: ignore[union-attr]
            found = _find_invoice(rows, "invoices", named, invoice_index, {})
            if (found or named) not in invoices:
                invoices.append(found or named)
            if found and known:
                _check_owner(rows, "invoices", found, known, owners)
        fields = dict(
            step=rows.get("step", convert=step),
            channel=rows.get("channel", default=Channel.POST, convert=channel),
            tracking=rows.get("tracking", default=""),
            file=rows.get("file", default=""),
            amount_claimed=rows.get("amount_claimed", default=ZERO),
            deadline=rows.get("deadline"),
            received_on=rows.get("received_on"),
            promised_on=rows.get("promised_on"),
            note=rows.get("note", default=""),
            state=state,
            sent_on=sent_on,
        )
        _check_years(
            rows,
            deadline=fields["deadline"],  # type: ignore[arg-type]
            received_on=fields["received_on"],  # type: ignore[arg-type]
            promised_on=fields["promised_on"],  # type: ignore[arg-type]
        )
        _check_receipt(rows, fields["received_on"], sent_on or on)  # type: ignore[arg-type]
        _check_made_later(rows, on, sent_on, fields["note"])  # type: ignore[arg-type]
        if rows.ok:
            actions.append(
                Action(on=on, debtor=debtor, invoices=tuple(invoices), **fields)  # type: ignore[arg-type]
            )
            if action_rows is not None:
                action_rows.append(row)
    return actions


# --- Regelingen ---------------------------------------------------------------------------------


def _read_plans(rows: _Rows | None, debtor_index: _Index) -> list[PlanInstalment]:
    plans: list[PlanInstalment] = []
    if rows is None:
        return plans
    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        debtor: str = rows.get("debtor")  # type: ignore[assignment]
        if debtor:
            debtor = _check_debtor(rows, "debtor", debtor, debtor_index) or debtor
        number: int | None = rows.get("number")  # type: ignore[assignment]
        if number == 0:
            rows.problem("number", "Termijn 0 bestaat niet; nummer de termijnen 1, 2, 3, ...")
        elif number is not None and debtor:
            earlier = seen.setdefault((debtor.casefold(), number), row)
            if earlier != row:
                rows.problem(
                    "number",
                    f"Termijn {number} van klant '{quoted_value(debtor)}' staat twee keer in de "
                    "lijst (rij "
                    f"{earlier} en rij {row}); nummer de termijnen 1, 2, 3, ...",
                )
        due_date = rows.get("due_date")
        amount: Decimal | None = rows.get("amount")  # type: ignore[assignment]
        if amount is not None and amount <= 0:
            rows.problem(
                "amount",
                f"Het bedrag {_nl_money(amount)} van een termijn moet groter dan nul zijn.",
            )
        if rows.ok:
            plans.append(
                PlanInstalment(
                    debtor=debtor,
                    number=number,  # type: ignore[arg-type]
                    due_date=due_date,  # type: ignore[arg-type]
                    amount=amount,  # type: ignore[arg-type]
                )
            )
    return plans


# --- Incassobureaus ----------------------------------------------------------------------------


def _read_agencies(rows: _Rows | None) -> list[Agency]:
    agencies: list[Agency] = []
    if rows is None:
        return agencies
    country_of = _chooser(schema.INCASSO.column("country").choices, _COUNTRIES)
    seen: dict[str, int] = {}
    for row in rows:
        code: str = rows.get("code")  # type: ignore[assignment]
        if code:
            earlier = seen.setdefault(code.casefold(), row)
            if earlier != row:
                rows.problem(
                    "code",
                    f"De code '{quoted_value(code)}' staat twee keer in de lijst (rij {earlier} "
                    f"en rij {row}); "
                    "geef elk incassobureau een eigen code.",
                )
        values = {
            key: rows.get(key, default="")
            for key in ("name", "contact", "address", "postcode", "city", "email")
        }
        country = rows.get("country", default="", convert=country_of)
        if rows.ok:
            agencies.append(Agency(code=code, country=str(country), **values))  # type: ignore[arg-type]
    return agencies


# --- Rentes -------------------------------------------------------------------------------------


def _read_rates(rows: _Rows | None) -> list[RateRow]:
    rates: list[RateRow] = []
    if rows is None:
        return rates
    series_of = _chooser(schema.RENTES.column("series").choices, _SERIES)
    status_of = _chooser(schema.RENTES.column("status").choices, _STATUS)
    seen: dict[tuple[str, date], int] = {}
    for row in rows:
        series: str | None = rows.get("series", convert=series_of)  # type: ignore[assignment]
        effective_from: date | None = rows.get("effective_from")  # type: ignore[assignment]
        if series and effective_from:
            earlier = seen.setdefault((series, effective_from), row)
            if earlier != row:
                rows.problem(
                    "effective_from",
                    f"Voor de {series_label(series)} staan twee rentes met ingangsdatum "
                    f"{_nl_date(effective_from)} "
                    f"(rij {earlier} en rij {row}); haal er een weg.",
                )
        rate = rows.get("rate")
        status = rows.get("status", default="user", convert=status_of)
        source = rows.get("source", default="")
        if rows.ok:
            rates.append(
                RateRow(
                    series=series,  # type: ignore[arg-type]
                    effective_from=effective_from,  # type: ignore[arg-type]
                    rate=rate,  # type: ignore[arg-type]
                    status=status,  # type: ignore[arg-type]
                    source=source,  # type: ignore[arg-type]
                )
            )
    return rates
