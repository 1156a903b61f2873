"""The workbook open in Excel, read and written through xlwings in whole blocks.

:class:`LiveBook` is the live counterpart of :mod:`.read` and :mod:`.write`: it turns the open
book's Excel Tables into the same :class:`~.read.TableData` the file reader produces (so
:func:`~.read.convert_tables` converts them with the same rules and the same located problems),
and it writes what the pipeline saves (:class:`~.source.Write`: a use case's placed changes,
the computed columns, the Overzicht) back: it is a :class:`~.source.BookSource` and a
:class:`~.source.BookSink`. Columns are found by header text
(:mod:`.schema`), never by letter.

Every read and write is a whole range at once: the number of xlwings calls depends on the
number of sheets, tables and columns, never on the number of rows. An update of 10 invoices
and one of 10,000 make the same calls (``tests/excel`` counts them).

The xlwings API used here, and nothing else (``tests/excel/fake_xlwings.py`` fakes exactly this):

======================================  ========================================================
``Book.fullname``                       the workbook's path
``Book.api``                            only its date system: ``Date1904`` (Windows, COM) or
                                        ``date_1904.get()`` (macOS, AppleScript), and whether
                                        it is open read-only: ``ReadOnly`` (Windows) or
                                        ``read_only.get()`` (macOS)
``Book.sheets``                         iteration; ``.add(name)`` (only to create Overzicht)
``Book.selection``                      the selected range (``.sheet.name``, ``.row``), or None
``Book.app.alert(prompt, title, buttons)``  a message box; ``buttons`` "ok" or "yes_no"
``Book.app.status_bar``                 set to a text
``Sheet.name``, ``Sheet.tables``        the sheet's name; iteration over its Excel Tables
``Sheet.api``                           only whether it is protected: ``ProtectContents``
                                        (Windows) or ``protect_contents.get()`` (macOS)
``Sheet.used_range``                    only for a sheet without an Excel Table
``Sheet.range(cell1, cell2)``           a block by (row, column) corners, or ``range(address)``
                                        with an A1 address of one or more areas
``Sheet.clear()``, ``Sheet.activate()``  clear values and formats (Overzicht); show the sheet
``Table.name``, ``Table.range``,        the table's name, its whole range (header included),
``Table.show_totals``, ``Table.resize`` whether its last row is a totals row, grow it
``Range.options(ndim=2).value``         read a block as a list of rows
``Range.value = rows``                  write a block (a list of equally long rows)
``Range.row``, ``Range.column``         the top-left cell
``Range.number_format``,                set a format, bold text or the column width of all
``Range.font.bold``, ``Range.column_width``  the cells of a (multi-area) range
======================================  ========================================================

Values cross the boundary once, here. Reading: Excel's numbers arrive as floats and its dates as
datetimes, exactly as a file reader sees them, and :func:`~.read.convert_tables` converts them.
Writing: Decimals become floats (Excel has no other number; Decimals would reach Excel through
COM as a currency type), enums their text; dates go as they are, and a text that Excel would read
as a formula, a number or a date gets an apostrophe in front (:func:`.cells.excel_text`), so it
stays the text it is.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import get_column_letter

from ..core.book import Overview
from ..errors import DebiteurenError
from . import schema, write
from .cells import excel_text
from .changes import Changes, Placement, code_text
from .changes import place as place_changes
from .read import TableData, TableOnOverview
from .source import Write

__all__ = [
    "LOCAL_ERRORS",
    "BookReadOnly",
    "CellsBelowTable",
    "LiveBook",
    "SheetProtected",
    "recognise_local_errors",
]

#: Longest address Excel accepts in one ``Range("...")`` call.
_MAX_ADDRESS = 255


#: The error values as Excel shows them in Dutch, French and German. xlwings on macOS finds
#: errors by the text a cell shows, which is in Excel's language (see
#: :func:`recognise_local_errors`); a text that equals one of them cannot be typed in that
#: language's Excel (Excel makes an error value of it).
LOCAL_ERRORS = (
    *("#DEEL/0!", "#N/B", "#NAAM?", "#LEEG!", "#GETAL!", "#VERW!", "#WAARDE!", "#OVERLOOP!"),
    *("#NOM?", "#NUL!", "#NOMBRE!", "#VALEUR!"),
    *("#NV", "#ZAHL!", "#BEZUG!", "#WERT!"),
)

#: The error values xlwings gives as text with ``err_to_str`` (Excel's English codes, and the
#: local ones above).
_EXCEL_ERRORS = frozenset(
    {
        *LOCAL_ERRORS,
        "#DIV/0!",
        "#N/A",
        "#NAME?",
        "#NULL!",
        "#NUM!",
        "#REF!",
        "#VALUE!",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#GETTING_DATA",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)


class CellsBelowTable(DebiteurenError):
    """The rows a use case adds to a table would land on cells below it that hold something.

    The file readers take rows typed under a table into it (and check them); in the open book
    the table is read as Excel defines it, so what lies below would be overwritten.
    """

    def __init__(self, sheet: str, table: str, cells: Sequence[tuple[int, int]]) -> None:
        row, column = cells[0]
        first = f"{get_column_letter(column)}{row}"
        more = len(cells) - 1
        also = f" (en {more} andere {'cel' if more == 1 else 'cellen'})" if more else ""
        super().__init__(
            f"Op het blad {sheet} staat onder de tabel {table} iets in cel {first}{also}; de "
            "rijen die debiteuren aan de tabel toevoegt, zouden dat overschrijven. Het werkboek "
            "is niet gewijzigd. Verplaats wat daar staat, of neem het op in de tabel (sleep de "
            "hoek rechtsonder van de tabel omlaag), en probeer opnieuw."
        )


class BookReadOnly(DebiteurenError):
    """The book is open read-only in Excel: what a button writes into it cannot be saved."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name} is in Excel alleen-lezen geopend (iemand anders heeft het open, het is als "
            "alleen-lezen gemarkeerd of het komt uit een e-mail of van internet). Wat debiteuren "
            "erin schrijft, kunt u dan niet opslaan: gemaakte brieven zouden niet vastliggen op "
            "het blad Acties en de volgende keer opnieuw gemaakt worden. Er is niets gewijzigd. "
            "Open het werkboek zo dat u het kunt bewerken (klik op 'Bewerken inschakelen', of "
            "sluit het bij de ander) en probeer opnieuw."
        )


class SheetProtected(DebiteurenError):
    """A sheet the use case writes is protected: Excel would refuse the write half-way."""

    def __init__(self, titles: Sequence[str]) -> None:
        if len(titles) == 1:
            sheets = f"Het blad {titles[0]} is"
        else:
            sheets = f"De bladen {', '.join(titles[:-1])} en {titles[-1]} zijn"
        super().__init__(
            f"{sheets} beveiligd (Controleren > Blad beveiligen), en debiteuren schrijft erin: "
            "Excel zou dat halverwege weigeren. Er is niets gewijzigd en er zijn geen brieven "
            "gemaakt. Hef de beveiliging op (Controleren > Beveiliging blad opheffen) en probeer "
            "opnieuw; daarna kunt u het blad weer beveiligen."
        )


@dataclass(slots=True)
class _Place:
    """Where a declared sheet's table is in the open book."""

    sheet: Any  # xlwings Sheet
    title: str  # the sheet's real name
    table: Any | None  # xlwings Table, or None: header on the sheet's first used row


class LiveBook:
    """An open Excel workbook, read and written through a small part of xlwings.

    Args:
      book: an ``xlwings.Book`` (or anything with the API listed in the module docstring).
    """

    #: Longest A1 address of several areas that one ``Range("...")`` call takes (0: one area a
    #: call, for an engine that cannot read "A1:B2,D4").
    ADDRESS_LIMIT = _MAX_ADDRESS
    #: What ``Range.column_width`` counts per character of width (Excel's desktop: characters).
    WIDTH_UNIT = 1.0

    def __init__(self, book: Any) -> None:
        self._book = book
        self._date1904: bool | None = None
        self._places: dict[str, _Place] | None = None
        self._read: dict[str, TableData] = {}
        self._progress_shown: tuple[str, int] | None = None
        self._overview: Any = None  # the Overzicht sheet; False: the book has none
        self._written = False

    # --- the book --------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        """Return the workbook's full name as a path (only a name for a book never saved)."""
        return Path(self._book.fullname)

    @property
    def untouched(self) -> bool:
        """Return True while no change has reached the open book (a write that Excel refused,
        such as a call it rejected while the user clicked in it, changed nothing)."""
        return not self._written

    def tables(self) -> dict[str, TableData]:
        """Read every declared sheet's table: one block read per table.

        Returns:
          Declared sheet name -> TableData, for the sheets found (as :func:`.read.load_tables`).
        """
        self._places = self._locate()
        self._read = {name: self._read_place(place) for name, place in self._places.items()}
        return dict(self._read)

    def counts_from_1904(self) -> bool:
        """Return True when the book counts dates from 1904 (asked once, then remembered).

        Excel says so through the workbook's ``Date1904`` property (Windows) or its AppleScript
        property ``date 1904`` (macOS). A book that cannot say counts from 1900, as before.
        """
        if self._date1904 is None:
            self._date1904 = _counts_from_1904(self._book)
        return self._date1904

    # --- writing ---------------------------------------------------------------------------

    def write_computed(self, changes: Mapping[int, Mapping[int, object]]) -> int:
        """Write the computed Facturen cells that change (Excel row -> column -> value).

        When any computed cell changes, each run of adjacent computed columns is written as one
        block over all the table's rows; filled payment references are written as one block
        from the first to the last filled cell. Nothing is written when nothing changes.

        Returns:
          The number of cells whose value changed.
        """
        changed = sum(len(cells) for cells in changes.values())
        if not changed:
            return 0
        table = self._table(schema.FACTUREN.name)
        place = self._place(schema.FACTUREN.name)
        cols = schema.match_headers(schema.FACTUREN, table.headers).index
        computed = sorted(pos for key, pos in cols.items() if key in write.CREDIT_NOTE_VALUES)
        by_column: dict[int, dict[int, object]] = {}
        for row, cells in changes.items():
            for col, value in cells.items():
                by_column.setdefault(col - table.first_column, {})[row] = value
        if any(pos in by_column for pos in computed):
            last = table.first_row + len(table.rows) - 1
            for run in _runs(computed):
                self._write_columns(place.sheet, table, run, table.first_row, last, by_column)
        reference = cols.get("reference")
        if reference is not None and reference in by_column:
            rows = by_column[reference]
            self._write_columns(place.sheet, table, [reference], min(rows), max(rows), by_column)
        return changed

    def write_typed(self, text_cells: Sequence[Any]) -> None:
        """Write dates and numbers typed as text (``read.TextCell``) as real ones, cell by cell.

        There are few such cells (each one a user typed); the number format goes first, so that
        Excel shows the value as the column does.
        """
        sheets = {sheet.name: sheet for sheet in self._book.sheets}
        for c in text_cells:
            cell = sheets[c.sheet].range((c.row, c.column))
            cell.number_format = c.number_format
            self._written = True
            cell.value = [[_to_excel(c.value)]]

    def write_overview(
        self, overview: Overview, last_statement: date | None, to_review: Sequence = ()
    ) -> None:
        """Replace the Overzicht's cells by the dashboard, as one block plus its formats.

        The layout is the file's (:func:`.write.write_overview`), so a chart the file path put
        on the sheet keeps pointing at the right cells. The sheet is cleared (values and
        formats) and written in one block; number formats, bold text and column widths follow
        in one call per format (per 255 characters of address) and per column.
        """
        scratch = write.overview_book(overview, last_statement, to_review)[schema.OVERZICHT.name]
        height, width = scratch.max_row, scratch.max_column
        block: list[list[object]] = []
        formats: dict[str, list[tuple[int, int]]] = {}
        bold: list[tuple[int, int]] = []
        for r, row in enumerate(scratch.iter_rows(min_row=1, max_row=height, max_col=width), 1):
            block.append([_to_excel(cell.value) for cell in row])
            for c, cell in enumerate(row, 1):
                if cell.value is None:
                    continue
                if cell.number_format != "General":
                    formats.setdefault(cell.number_format, []).append((r, c))
                if cell.font is not None and cell.font.b:
                    bold.append((r, c))
        sheet = self._overview_sheet()
        sheet.clear()
        self._written = True
        sheet.range((1, 1), (height, width)).value = block
        for fmt, cells in sorted(formats.items()):
            for address in _addresses(cells, self.ADDRESS_LIMIT):
                sheet.range(address).number_format = fmt
        for address in _addresses(bold, self.ADDRESS_LIMIT):
            sheet.range(address).font.bold = True
        for c in range(1, width + 1):
            dimension = scratch.column_dimensions.get(get_column_letter(c))
            if dimension is not None and dimension.customWidth and dimension.width:
                sheet.range((1, c), (1, c)).column_width = dimension.width * self.WIDTH_UNIT

    def apply(self, changes: Changes) -> None:
        """Apply a use case's :class:`~.changes.Changes` to the open book (read afresh)."""
        placement = place_changes(self.tables(), changes)
        self.refuse_overwrite(placement)
        self.write_placement(placement)

    def write_placement(self, placement: Placement) -> None:
        """Write placed changes: per sheet, one block per changed column (from the first to
        the last changed row) and one block for the appended rows (over the columns they use),
        then a resize of the table when the rows pass its end (see :meth:`refuse_overwrite`,
        which the callers ask first)."""
        for name, edit in placement.edits.items():
            sheet = self._place(name).sheet
            table = edit.table
            by_column: dict[int, dict[int, object]] = {}
            for row, cells in edit.cells.items():
                for col, value in cells.items():
                    by_column.setdefault(col - table.first_column, {})[row] = value
            for col, rows in sorted(by_column.items()):
                self._write_columns(sheet, table, [col], min(rows), max(rows), by_column)
            if edit.rows:
                self._write_rows(sheet, table, edit.rows)
                self._format_rows(sheet, edit.rows, edit.formats)
            if edit.ref is not None and self._place(name).table is not None:
                self._place(name).table.resize(sheet.range(edit.ref))
                self._written = True
            self._read[name] = edit.after()

    def _write_rows(
        self, sheet: Any, table: TableData, rows: Mapping[int, Mapping[int, object]]
    ) -> None:
        """Write appended rows as one block over the columns they use."""
        used = sorted({col for values in rows.values() for col in values})
        if not used:
            return
        left, right = used[0], used[-1]
        block = []
        for row in range(min(rows), max(rows) + 1):
            line: list[object] = [None] * (right - left + 1)
            for col, value in rows.get(row, {}).items():
                line[col - left] = _to_excel(value)
            block.append(line)
        sheet.range((min(rows), left), (max(rows), right)).value = block
        self._written = True

    def refuse_overwrite(self, placement: Placement) -> None:
        """Raise :class:`CellsBelowTable` when rows to be added pass a table's end onto cells
        that hold something (one block read per such table; nothing is written before)."""
        for name, edit in placement.edits.items():
            if edit.ref is not None and edit.rows:
                self._refuse_filled(name, edit.table, max(edit.rows))

    def refuse_rows_below(self, counts: Mapping[str, int]) -> None:
        """Raise :class:`CellsBelowTable` when ``counts[name]`` rows added to that declared
        sheet's table would land on cells that hold something: for a use case that makes files
        (letters, a confirmation) before it adds its rows, so that it makes none
        (:meth:`refuse_overwrite` would refuse only when the rows are written). Raise
        :class:`SheetProtected` when one of those sheets, Facturen or the Overzicht (which the
        book's update after them writes) is protected."""
        added = [name for name, count in counts.items() if count > 0]
        self.refuse_protected([*added, schema.FACTUREN.name], overview=True)
        for name, count in counts.items():
            table = self._table(name)
            if count > 0:
                self._refuse_filled(name, table, table.first_row + len(table.rows) + count - 1)

    def _refuse_filled(self, name: str, table: TableData, bottom: int) -> None:
        """Raise :class:`CellsBelowTable` when a cell from the row under ``table`` down to row
        ``bottom``, over the table's columns, holds something (a sheet without an Excel table
        reads what lies below as rows: nothing to check)."""
        place = self._place(name)
        top = table.first_row + len(table.rows)
        if place.table is None or bottom < top:
            return
        left, right = table.first_column, table.first_column + len(table.headers) - 1
        grid = place.sheet.range((top, left), (bottom, right)).options(ndim=2).value or []
        filled = [
            (top + i, left + j)
            for i, row in enumerate(grid)
            for j, value in enumerate(row)
            if value is not None and value != ""
        ]
        if filled:
            raise CellsBelowTable(table.sheet, table.table, filled)

    def _format_rows(
        self, sheet: Any, rows: Mapping[int, Mapping[int, object]], formats: Mapping[int, str]
    ) -> None:
        """Give the appended rows' money and date cells their column's number format, one
        call per run of adjacent columns with the same format (new cells have none: an amount
        would show as 1445.02, not as € 1.445,02 as on the rows above)."""
        used = {col for values in rows.values() for col in values}
        columns = sorted(col for col in formats if col in used)
        runs: list[list[int]] = []
        for col in columns:
            if runs and runs[-1][-1] == col - 1 and formats[runs[-1][-1]] == formats[col]:
                runs[-1].append(col)
            else:
                runs.append([col])
        top, bottom = min(rows), max(rows)
        for run in runs:
            sheet.range((top, run[0]), (bottom, run[-1])).number_format = formats[run[0]]
            self._written = True

    # --- the sink of the pipeline ----------------------------------------------------------

    def check_writable(self) -> None:
        """Raise :class:`BookReadOnly` when the book is open read-only in Excel.

        The book is changed in Excel and the user saves it there: in a book opened read-only
        the changes (the Acties rows of the letters made, the payments read) could only be
        saved as another file, and the letters would be made again from the book on disk.
        """
        if _read_only(self._book):
            raise BookReadOnly(self.path.name)

    def current_overview(self) -> None:
        """The Overzicht of the open book is always written anew."""
        return None

    def refuse_protected(self, names: Iterable[str], overview: bool = False) -> None:
        """Raise :class:`SheetProtected` when a sheet to be written is protected, before the
        first cell is written (Excel refuses a write to a protected sheet's locked cells: the
        sheets written before it stayed changed, and a cleared Overzicht stayed empty).

        Args:
          names: declared sheet names (their tables' sheets are asked) or real sheet titles.
          overview: ask the Overzicht too, when the book has one.
        """
        if self._places is None:
            self._places = self._locate()
        titles = {place.title: place.sheet for place in self._places.values()}
        sheets: dict[str, Any] = {}
        for name in names:
            place = self._places.get(name)
            if place is not None:
                sheets.setdefault(place.title, place.sheet)
            elif name in titles:  # a sheet's real name (a typed cell's)
                sheets.setdefault(name, titles[name])
        if overview and (found := self._existing_overview()) is not None:
            sheets.setdefault(schema.OVERZICHT.name, found)
        protected = [title for title, sheet in sheets.items() if _protected(sheet)]
        if protected:
            raise SheetProtected(protected)

    def save(self, changes: Write, now: datetime | None = None, progress=None) -> None:
        """Write ``changes`` into the open book; nothing is saved to disk."""
        written = [c.sheet for c in changes.text_cells]
        written += list(changes.placement.edits)
        if changes.computed:
            written.append(schema.FACTUREN.name)
        self.refuse_protected(written, overview=changes.overview is not None)
        self.refuse_overwrite(changes.placement)  # before the first cell is written
        self.write_typed(changes.text_cells)
        self.write_placement(changes.placement)
        self.write_computed(changes.computed)
        if changes.overview is not None:
            o = changes.overview
            self.write_overview(o.overview, o.last_statement, o.to_review)

    # --- Excel's user interface ------------------------------------------------------------

    def alert(self, text: str, title: str) -> None:
        """Show a message box with an OK button."""
        self._book.app.alert(text, title=title, buttons="ok")

    def ask(self, text: str, title: str) -> bool:
        """Show a message box with Ja/Nee buttons; return True for Ja."""
        return self._book.app.alert(text, title=title, buttons="yes_no") == "yes"

    def status(self, text: str) -> None:
        """Show ``text`` in Excel's status bar."""
        self._book.app.status_bar = text

    def progress(self, phase: str, done: int = 0, total: int = 0) -> None:
        """Show how far long work is in the status bar: ``Debiteuren: Berekenen 50%...``.

        Shown when the phase starts and at every quarter, so that a large workbook does not
        spend its time talking to Excel.
        """
        percent = min(100, done * 100 // total) if total > 0 else -1
        key = (phase, percent // 25 if percent >= 0 else -1)
        if key == self._progress_shown:
            return
        self._progress_shown = key
        amount = f" {percent}%" if percent >= 0 else ""
        self.status(f"Debiteuren: {phase}{amount}...")

    def activate(self, name: str) -> bool:
        """Show the declared sheet ``name``; return False when the book has no such sheet."""
        place = self._locate().get(name)
        if place is None:
            return False
        place.sheet.activate()
        return True

    def customer_at_selection(self) -> str | None:
        """Return the Klantnr on the selected cell's row of Klanten or Facturen, else None."""
        selection = self._book.selection
        if selection is None:
            return None
        title, row = selection.sheet.name, selection.row
        if not self._read:
            self.tables()
        for sheet in (schema.KLANTEN, schema.FACTUREN):
            table = self._read.get(sheet.name)
            if table is None or table.sheet != title:
                continue
            index = row - table.first_row
            key = "number" if sheet is schema.KLANTEN else "debtor"
            pos = schema.match_headers(sheet, table.headers).index.get(key)
            if pos is None or not 0 <= index < len(table.rows):
                return None
            values = table.rows[index]
            return code_text(values[pos]) if pos < len(values) else None
        return None

    # --- internals -------------------------------------------------------------------------

    def _locate(self) -> dict[str, _Place]:
        """Find each declared sheet's table: by Excel Table name, else by sheet name."""
        by_table: dict[str, _Place] = {}
        by_sheet: dict[str, _Place] = {}
        overview = schema.normalize_header(schema.OVERZICHT.name)
        for sheet in self._book.sheets:
            title = sheet.name
            tables = list(sheet.tables)
            if tables and schema.normalize_header(title) == overview:
                # the Overzicht is cleared and drawn anew: its table's rows would be gone
                raise TableOnOverview(self.path.name, title, [t.name for t in tables])
            for table in tables:
                by_table.setdefault(table.name.casefold(), _Place(sheet, title, table))
            by_sheet.setdefault(
                schema.normalize_header(title), _Place(sheet, title, tables[0] if tables else None)
            )
        places: dict[str, _Place] = {}
        for declared in schema.SHEETS:
            if not declared.table:
                continue  # the Overzicht: written, never read
            place = by_table.get(declared.table.casefold())
            if place is None:
                place = by_sheet.get(schema.normalize_header(declared.name))
            if place is not None:
                places[declared.name] = place
        return places

    def _place(self, name: str) -> _Place:
        if self._places is None or name not in self._places:
            self._places = self._locate()
        return self._places[name]

    def _table(self, name: str) -> TableData:
        if name not in self._read:
            self._read[name] = self._read_place(self._place(name))
        return self._read[name]

    def _read_place(self, place: _Place) -> TableData:
        """Read one table (or a sheet's used range) as one block.

        In a book that counts dates from 1904, a bare day number in a date column counts from
        there, as the file readers read it (:attr:`~.read.TableData.date1904`).
        """
        totals = 0
        if place.table is not None:
            whole = place.table.range
            grid = whole.options(ndim=2, err_to_str=True).value
            top, left = whole.row, whole.column
            if place.table.show_totals:
                grid, totals = grid[:-1], 1  # a row added would land on it: refused (changes)
            name = place.table.name
        else:
            whole = place.sheet.used_range
            grid = whole.options(ndim=2, err_to_str=True).value
            top, left, name = whole.row, whole.column, ""
        grid = [list(row) for row in grid or [[]]]
        # An error value (#DIV/0!) would read as empty (xlwings' default) or as text: it is
        # taken out and reported where it is (the file readers do the same).
        errors = tuple(
            (top + k, left + j, value)
            for k, row in enumerate(grid[1:], 1)
            for j, value in enumerate(row)
            if value.__class__ is str and value in _EXCEL_ERRORS
        )
        for row, column, _ in errors:
            grid[row - top][column - left] = None
        return TableData(
            sheet=place.title,
            headers=["" if h is None else str(h).strip() for h in grid[0]],
            rows=grid[1:],
            first_row=top + 1,
            first_column=left,
            table=name,
            uncached=errors,
            date1904=self.counts_from_1904(),
            totals_rows=totals,
        )

    def _write_columns(
        self,
        sheet: Any,
        table: TableData,
        positions: Sequence[int],
        first: int,
        last: int,
        new: Mapping[int, Mapping[int, object]],
    ) -> None:
        """Write table columns ``positions`` (adjacent) from Excel row ``first`` to ``last``.

        A cell keeps the value read unless ``new[position]`` has a value for its row.
        """
        block = []
        for row in range(first, last + 1):
            index = row - table.first_row
            current = table.rows[index] if 0 <= index < len(table.rows) else ()
            line = []
            for pos in positions:
                changed = new.get(pos, {})
                value = (
                    changed[row]
                    if row in changed
                    else (current[pos] if pos < len(current) else None)
                )
                line.append(_to_excel(value))
            block.append(line)
        left = table.first_column + positions[0]
        right = table.first_column + positions[-1]
        sheet.range((first, left), (last, right)).value = block
        self._written = True

    def _existing_overview(self) -> Any | None:
        """Return the book's Overzicht sheet, None when it has none (asked once)."""
        if self._overview is None:
            wanted = schema.normalize_header(schema.OVERZICHT.name)
            self._overview = next(
                (s for s in self._book.sheets if schema.normalize_header(s.name) == wanted), False
            )
        return self._overview or None

    def _overview_sheet(self) -> Any:
        found = self._existing_overview()
        if found is None:
            found = self._overview = self._book.sheets.add(schema.OVERZICHT.name)
        return found


def recognise_local_errors() -> None:
    """Make xlwings on macOS give a Dutch, French or German error value as text too.

    With ``err_to_str`` xlwings on macOS compares the text each cell shows with the English
    codes (``#N/A``); a Dutch Excel shows ``#N/B``, which xlwings then gives as an empty cell:
    an error in Betwist would silently read as Nee. On Windows xlwings gets the error's
    number, whatever the language, and needs nothing.
    """
    module = sys.modules.get("xlwings._xlmac")
    known = getattr(module, "cell_errors", None)
    if isinstance(known, tuple):
        module.cell_errors = (*known, *(e for e in LOCAL_ERRORS if e not in known))  # type: ignore[union-attr]


def _counts_from_1904(book: Any) -> bool:
    """Ask an xlwings book whether it counts dates from 1904; False when it cannot say."""
    return _book_flag(book, "Date1904", "date_1904")


def _read_only(book: Any) -> bool:
    """Ask an xlwings book whether Excel opened it read-only; False when it cannot say."""
    return _book_flag(book, "ReadOnly", "read_only")


def _book_flag(book: Any, windows: str, macos: str) -> bool:
    """Return a yes/no property of an xlwings book: the COM Workbook's ``windows`` on Windows,
    the AppleScript property ``macos`` on macOS; False in xlwings Lite (the book's data carry
    no such property) and when the engine has neither."""
    try:
        api = book.api
        if isinstance(api, Mapping):
            return False
        flag = getattr(api, windows, None)
        if flag is None:
            flag = getattr(api, macos).get()
    except Exception:  # an engine without either property (COM or AppleScript errors alike)
        return False
    return flag is True


def _protected(sheet: Any) -> bool:
    """Ask an xlwings sheet whether it is protected; False when the engine cannot say."""
    try:
        api = sheet.api
        flag = getattr(api, "ProtectContents", None)  # Windows: the COM Worksheet's property
        if flag is None:
            flag = api.protect_contents.get()  # macOS: the AppleScript "protect contents"
    except Exception:  # xlwings Lite, or an engine without either property
        return False
    return flag is True


def _to_excel(value: object) -> object:
    """Return ``value`` as xlwings should hand it to Excel."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        return excel_text(value)  # Excel keeps it as the text it is
    return value


def _runs(positions: Iterable[int]) -> list[list[int]]:
    """Split sorted positions into runs of adjacent ones: [3, 4, 6] -> [[3, 4], [6]]."""
    runs: list[list[int]] = []
    for pos in positions:
        if runs and runs[-1][-1] == pos - 1:
            runs[-1].append(pos)
        else:
            runs.append([pos])
    return runs


def _rectangles(cells: Iterable[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Cover (row, column) cells exactly by rectangles (top, left, bottom, right).

    Vertical runs per column, then columns side by side with the same runs are merged, so a
    table of any length is one rectangle per run of columns.
    """
    by_column: dict[int, list[int]] = {}
    for row, col in sorted(set(cells), key=lambda rc: (rc[1], rc[0])):
        by_column.setdefault(col, []).append(row)
    spans: dict[int, list[tuple[int, int]]] = {}
    for col, rows in by_column.items():
        spans[col] = [(run[0], run[-1]) for run in _runs(rows)]
    rectangles: list[tuple[int, int, int, int]] = []
    active: dict[tuple[int, int], int] = {}  # (top, bottom) -> left column
    previous = 0
    for col in sorted(spans):
        here = set(spans[col])
        kept: dict[tuple[int, int], int] = {}
        for span, left in active.items():
            if col == previous + 1 and span in here:
                kept[span] = left
            else:
                rectangles.append((span[0], left, span[1], previous))
        for span in here - set(kept):
            kept[span] = col
        active, previous = kept, col
    rectangles += [(top, left, bottom, previous) for (top, bottom), left in active.items()]
    return sorted(rectangles)


def _addresses(cells: Iterable[tuple[int, int]], limit: int = _MAX_ADDRESS) -> list[str]:
    """Return A1 addresses covering ``cells``, each at most ``limit`` characters long (or one
    rectangle)."""
    parts = []
    for top, left, bottom, right in _rectangles(cells):
        start = f"{get_column_letter(left)}{top}"
        end = f"{get_column_letter(right)}{bottom}"
        parts.append(start if start == end else f"{start}:{end}")
    addresses: list[str] = []
    for part in parts:
        if addresses and len(addresses[-1]) + 1 + len(part) <= limit:
            addresses[-1] += "," + part
        else:
            addresses.append(part)
    return addresses
