"""A fake of the part of xlwings that debiteuren.workbook.live uses, counting every call.

The fake holds a workbook as cells by (row, column) and Excel Tables by their corners; it is
built from a real .xlsx with openpyxl (:func:`book_from_file`). Values behave as in Excel:
numbers are floats, dates are datetimes, an empty cell is None; writing a Decimal fails, as it
should never reach Excel. A text written to a range is read the way Excel reads typing
(:func:`excel_entry`): ``=``, ``+``, ``-`` and ``@`` start a :class:`Formula`, ``00123`` becomes
the number 123, ``2026-04`` a date and ``WAAR`` a truth value; an apostrophe in front keeps the
rest as text (and is not stored); a text longer than a cell holds fails. ``Book.api`` tells the
book's date system as Excel does (``Date1904`` on Windows, ``date_1904.get()`` on macOS) and
whether it is open read-only (``ReadOnly``, ``read_only.get()``); ``Sheet.api`` whether the
sheet is protected (``ProtectContents``, ``protect_contents.get()``), and a protected sheet
refuses every change, as Excel does. Each call that would cross to
Excel (a COM or AppleScript round trip) is recorded in ``app.calls``; ``Range.options`` is
local in xlwings and not counted.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from debiteuren.untrusted import EXCEL_MAX_TEXT


class Formula(str):
    """A cell that Excel made a formula of (the text as written)."""


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})[-/](\d{1,2})(?:[-/](\d{2}|\d{4}))?$")
_MONTHS = [
    "jan",
    "feb",
    "mrt",
    "mar",
    "apr",
    "mei",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "oct",
    "nov",
    "dec",
]
_NAMED = re.compile(r"^(?:\d{1,2}[- ])?(" + "|".join(_MONTHS) + r")[a-z]*[- ]\d{1,4}$", re.I)
_BOOLEANS = {"TRUE": True, "WAAR": True, "FALSE": False, "ONWAAR": False}


def excel_entry(text: str) -> object:
    """Return what Excel stores when ``text`` is written to a cell (as if a user typed it)."""
    if text.startswith("'"):
        return text[1:] or None
    if text.startswith("=") and len(text) > 1:
        return Formula(text)
    stripped = text.strip()
    if _NUMBER.match(stripped):
        number = stripped.rstrip("%").replace(",", ".")
        return float(number) / (100 if stripped.endswith("%") else 1)
    if text[:1] in "+-@" and len(text) > 1:
        return Formula("=" + text.lstrip("@"))
    try:
        if found := _ISO_MONTH.match(stripped):
            return datetime(int(found[1]), int(found[2]), int(found[3] or 1))
        if found := _DAY_MONTH.match(stripped):
            year = int(found[3] or 2026)
            return datetime(year + 2000 if year < 100 else year, int(found[2]), int(found[1]))
    except ValueError:
        return text
    if _NAMED.match(stripped):
        return datetime(2026, 1, 1)  # some day of that month: a date, no longer the text
    return _BOOLEANS.get(stripped.upper(), text)


def excel_value(value: object) -> object:
    """Return ``value`` as Excel keeps it and xlwings reads it back."""
    if isinstance(value, Decimal):
        raise TypeError(f"a Decimal ({value}) was written to Excel")
    if value is None or value == "":
        return None
    if isinstance(value, str):
        # Excel keeps 32,767 characters of a text and drops the rest without a word
        assert len(value.removeprefix("'")) <= EXCEL_MAX_TEXT, f"a text of {len(value)} characters"
        return excel_entry(value)
    if isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(0))
    raise TypeError(f"{type(value).__name__} cannot be written to Excel: {value!r}")


class FakeApp:
    """Excel: calls, message boxes and the status bar."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.alerts: list[tuple[str, str, str]] = []
        self.answers: list[str] = []  # answers to yes/no questions, first first
        self._status: str | bool = False

    def count(self, name: str) -> None:
        self.calls.append(name)

    def alert(
        self,
        prompt: str,
        title: str | None = None,
        buttons: str = "ok",
        mode: str | None = None,
        callback: str | None = None,
    ) -> str:
        self.count("App.alert")
        self.alerts.append((title or "", prompt, buttons))
        if buttons == "yes_no":
            return self.answers.pop(0) if self.answers else "no"
        return "ok"

    @property
    def status_bar(self) -> str | bool:
        self.count("App.status_bar.get")
        return self._status

    @status_bar.setter
    def status_bar(self, value: str | bool) -> None:
        self.count("App.status_bar.set")
        self._status = value


class ComWorkbook:
    """``Book.api`` on Windows: the COM Workbook, of which only ``Date1904`` is faked."""

    def __init__(self, book: FakeBook) -> None:
        self._book = book

    @property
    def Date1904(self) -> bool:  # COM's name
        self._book.app.count("Workbook.Date1904")
        return self._book.date1904

    @property
    def ReadOnly(self) -> bool:  # COM's name
        self._book.app.count("Workbook.ReadOnly")
        return self._book.read_only


class MacProperty:
    def __init__(self, book: FakeBook) -> None:
        self._book = book

    def get(self) -> bool:
        self._book.app.count("workbook.date_1904.get")
        return self._book.date1904


class MacReadOnly:
    def __init__(self, book: FakeBook) -> None:
        self._book = book

    def get(self) -> bool:
        self._book.app.count("workbook.read_only.get")
        return self._book.read_only


class MacWorkbook:
    """``Book.api`` on macOS: an appscript reference, of which only ``date_1904`` and
    ``read_only`` are faked."""

    def __init__(self, book: FakeBook) -> None:
        self.date_1904 = MacProperty(book)
        self.read_only = MacReadOnly(book)


class ComWorksheet:
    """``Sheet.api`` on Windows: the COM Worksheet, of which only ``ProtectContents`` is faked."""

    def __init__(self, sheet: FakeSheet) -> None:
        self._sheet = sheet

    @property
    def ProtectContents(self) -> bool:  # COM's name
        self._sheet.book.app.count("Worksheet.ProtectContents")
        return self._sheet.protected


class MacProtected:
    def __init__(self, sheet: FakeSheet) -> None:
        self._sheet = sheet

    def get(self) -> bool:
        self._sheet.book.app.count("worksheet.protect_contents.get")
        return self._sheet.protected


class MacWorksheet:
    """``Sheet.api`` on macOS: an appscript reference; only ``protect_contents`` is faked."""

    def __init__(self, sheet: FakeSheet) -> None:
        self.protect_contents = MacProtected(sheet)


class SheetProtectedError(Exception):
    """What Excel raises (a COM or AppleScript error) on a change to a protected sheet."""


def refuse_protected(sheet: FakeSheet) -> None:
    if sheet.protected:
        raise SheetProtectedError(
            "De cel of grafiek die u probeert te wijzigen, bevindt zich op een beveiligd blad."
        )


class FakeBook:
    def __init__(self, fullname: str, app: FakeApp | None = None) -> None:
        self.app = app or FakeApp()
        self._fullname = fullname
        #: The book counts dates from 1904 (Excel's Date1904); ``api`` says so as Excel would.
        self.date1904 = False
        #: Excel opened the book read-only (``Workbook.ReadOnly``); ``api`` says so.
        self.read_only = False
        self.api: object = ComWorkbook(self)
        self._sheets: list[FakeSheet] = []
        self.selected: tuple[str, int, int] | None = None  # (sheet, row, column)
        self.active: str | None = None

    @property
    def fullname(self) -> str:
        self.app.count("Book.fullname")
        return self._fullname

    @property
    def sheets(self) -> FakeSheets:
        self.app.count("Book.sheets")
        return FakeSheets(self)

    @property
    def selection(self) -> FakeRange | None:
        self.app.count("Book.selection")
        if self.selected is None:
            return None
        name, row, column = self.selected
        sheet = self.sheet(name)
        return FakeRange(sheet, [(row, column, row, column)])

    # --- helpers for tests (not counted) ---

    def sheet(self, name: str) -> FakeSheet:
        return next(s for s in self._sheets if s.title == name)

    def table(self, name: str) -> FakeTable:
        return next(t for s in self._sheets for t in s.table_list if t.title == name)


class FakeSheets:
    def __init__(self, book: FakeBook) -> None:
        self.book = book

    def __iter__(self):
        self.book.app.count("Sheets.__iter__")
        return iter(list(self.book._sheets))

    def __len__(self) -> int:
        self.book.app.count("Sheets.__len__")
        return len(self.book._sheets)

    def __getitem__(self, name: str) -> FakeSheet:
        self.book.app.count("Sheets.__getitem__")
        return self.book.sheet(name)

    def add(self, name: str | None = None, before=None, after=None) -> FakeSheet:
        self.book.app.count("Sheets.add")
        cls = getattr(self.book, "sheet_class", FakeSheet)
        sheet = cls(self.book, name or f"Blad{len(self.book._sheets) + 1}")
        self.book._sheets.insert(0, sheet)
        return sheet


class FakeSheet:
    def __init__(self, book: FakeBook, title: str) -> None:
        self.book = book
        self.title = title
        self.cells: dict[tuple[int, int], object] = {}
        self.formats: dict[tuple[int, int], str] = {}
        self.bold: set[tuple[int, int]] = set()
        self.widths: dict[int, float] = {}
        self.table_list: list[FakeTable] = []
        #: The sheet is protected (Controleren > Blad beveiligen): every change fails.
        self.protected = False

    @property
    def api(self) -> ComWorksheet | MacWorksheet:
        if isinstance(self.book.api, MacWorkbook):
            return MacWorksheet(self)
        return ComWorksheet(self)

    @property
    def name(self) -> str:
        self.book.app.count("Sheet.name")
        return self.title

    @property
    def tables(self) -> FakeTables:
        self.book.app.count("Sheet.tables")
        return FakeTables(self)

    @property
    def used_range(self) -> FakeRange:
        self.book.app.count("Sheet.used_range")
        rows = [r for r, _ in self.cells] or [1]
        cols = [c for _, c in self.cells] or [1]
        return FakeRange(self, [(min(rows), min(cols), max(rows), max(cols))])

    def range(self, cell1, cell2=None) -> FakeRange:
        self.book.app.count("Sheet.range")
        if isinstance(cell1, str):
            assert cell2 is None
            return FakeRange(self, parse_address(cell1))
        (top, left), (bottom, right) = cell1, cell2 or cell1
        return FakeRange(self, [(top, left, bottom, right)])

    def clear(self) -> None:
        self.book.app.count("Sheet.clear")
        refuse_protected(self)
        self.cells.clear()
        self.formats.clear()
        self.bold.clear()

    def activate(self) -> None:
        self.book.app.count("Sheet.activate")
        self.book.active = self.title

    # --- helpers for tests (not counted) ---

    def formulas(self) -> dict[tuple[int, int], str]:
        """Return the cells that hold a formula."""
        return {rc: v for rc, v in self.cells.items() if isinstance(v, Formula)}

    def grid(
        self, top: int = 1, left: int = 1, bottom: int | None = None, right: int | None = None
    ) -> list[list[object]]:
        bottom = bottom or max((r for r, _ in self.cells), default=0)
        right = right or max((c for _, c in self.cells), default=0)
        return [
            [self.cells.get((r, c)) for c in range(left, right + 1)] for r in range(top, bottom + 1)
        ]


class FakeTables:
    def __init__(self, sheet: FakeSheet) -> None:
        self.sheet = sheet

    def __iter__(self):
        self.sheet.book.app.count("Tables.__iter__")
        return iter(list(self.sheet.table_list))

    def __getitem__(self, name: str) -> FakeTable:
        self.sheet.book.app.count("Tables.__getitem__")
        return next(t for t in self.sheet.table_list if t.title == name)


class FakeTable:
    def __init__(
        self,
        sheet: FakeSheet,
        title: str,
        top: int,
        left: int,
        bottom: int,
        right: int,
        totals: bool = False,
    ) -> None:
        self.sheet, self.title, self.totals = sheet, title, totals
        self.top, self.left, self.bottom, self.right = top, left, bottom, right

    @property
    def name(self) -> str:
        self.sheet.book.app.count("Table.name")
        return self.title

    @property
    def range(self) -> FakeRange:
        self.sheet.book.app.count("Table.range")
        return FakeRange(self.sheet, [(self.top, self.left, self.bottom, self.right)])

    @property
    def show_totals(self) -> bool:
        self.sheet.book.app.count("Table.show_totals")
        return self.totals

    def resize(self, rng: FakeRange) -> None:
        self.sheet.book.app.count("Table.resize")
        refuse_protected(self.sheet)
        ((top, left, bottom, right),) = rng.areas
        assert (top, left) == (self.top, self.left), "a table keeps its header row"
        self.bottom, self.right = bottom, right


class FakeFont:
    def __init__(self, rng: FakeRange) -> None:
        self.rng = rng

    @property
    def bold(self) -> bool:
        raise NotImplementedError

    @bold.setter
    def bold(self, value: bool) -> None:
        self.rng.sheet.book.app.count("Font.bold.set")
        refuse_protected(self.rng.sheet)
        for cell in self.rng.each_cell():
            (self.rng.sheet.bold.add if value else self.rng.sheet.bold.discard)(cell)


class FakeRange:
    def __init__(self, sheet: FakeSheet, areas: list[tuple[int, int, int, int]]) -> None:
        self.sheet = sheet
        self.areas = areas
        self.ndim: int | None = None

    def _count(self, name: str) -> None:
        self.sheet.book.app.count(name)

    def options(self, ndim: int | None = None, **kwargs) -> FakeRange:
        copy = FakeRange(self.sheet, self.areas)
        copy.ndim = ndim
        return copy

    def each_cell(self):
        for top, left, bottom, right in self.areas:
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    yield r, c

    @property
    def value(self) -> object:
        self._count("Range.value.get")
        assert len(self.areas) == 1
        assert self.ndim == 2, "read blocks with .options(ndim=2)"
        top, left, bottom, right = self.areas[0]
        return self.sheet.grid(top, left, bottom, right)

    @value.setter
    def value(self, rows: object) -> None:
        self._count("Range.value.set")
        refuse_protected(self.sheet)
        assert len(self.areas) == 1
        top, left, bottom, right = self.areas[0]
        assert isinstance(rows, list) and all(isinstance(r, list) for r in rows)
        assert len(rows) == bottom - top + 1, "block height differs from the range"
        for i, row in enumerate(rows):
            assert len(row) == right - left + 1, "block width differs from the range"
            for j, value in enumerate(row):
                stored = excel_value(value)
                if stored is None:
                    self.sheet.cells.pop((top + i, left + j), None)
                else:
                    self.sheet.cells[(top + i, left + j)] = stored

    @property
    def row(self) -> int:
        self._count("Range.row")
        return self.areas[0][0]

    @property
    def column(self) -> int:
        self._count("Range.column")
        return self.areas[0][1]

    @property
    def shape(self) -> tuple[int, int]:
        self._count("Range.shape")
        top, left, bottom, right = self.areas[0]
        return bottom - top + 1, right - left + 1

    @property
    def number_format(self) -> str:
        raise NotImplementedError

    @number_format.setter
    def number_format(self, value: str) -> None:
        self._count("Range.number_format.set")
        refuse_protected(self.sheet)
        for cell in self.each_cell():
            self.sheet.formats[cell] = value

    @property
    def font(self) -> FakeFont:
        return FakeFont(self)

    @property
    def column_width(self) -> float:
        raise NotImplementedError

    @column_width.setter
    def column_width(self, value: float) -> None:
        self._count("Range.column_width.set")
        refuse_protected(self.sheet)
        for _, left, _, right in self.areas:
            for c in range(left, right + 1):
                self.sheet.widths[c] = value


_AREA = re.compile(r"^([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?$")


def parse_address(address: str) -> list[tuple[int, int, int, int]]:
    """Parse "B2,E5:H9" into areas (top, left, bottom, right); Excel's limit is 255 chars."""
    assert len(address) <= 255, "Excel refuses a Range address longer than 255 characters"
    areas = []
    for part in address.split(","):
        match = _AREA.match(part)
        assert match, part
        left, top = column_index_from_string(match.group(1)), int(match.group(2))
        right = column_index_from_string(match.group(3) or match.group(1))
        bottom = int(match.group(4) or match.group(2))
        areas.append((top, left, bottom, right))
    return areas


def book_from_file(path: Path, fullname: str | None = None) -> FakeBook:
    """Return a fake book holding the values and Excel Tables of the .xlsx at ``path``."""
    source = openpyxl.load_workbook(path, data_only=True)
    book = FakeBook(fullname if fullname is not None else str(path))
    book.date1904 = source.epoch == CALENDAR_MAC_1904
    for ws in source.worksheets:
        sheet = FakeSheet(book, ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    value = cell.value or None  # a text in a file is a text
                elif isinstance(cell.value, Decimal):
                    value = float(cell.value)
                else:
                    value = excel_value(cell.value)
                if value is not None:
                    sheet.cells[(cell.row, cell.column)] = value
        for table in ws.tables.values():
            left, top, right, bottom = range_boundaries(table.ref)
            sheet.table_list.append(
                FakeTable(
                    sheet,
                    table.displayName,
                    top,
                    left,
                    bottom,
                    right,
                    totals=bool(table.totalsRowCount),
                )
            )
        book._sheets.append(sheet)
    return book
