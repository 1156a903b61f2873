"""What a use case changes in the workbook besides the computed columns, and where it lands.

A use case computes a :class:`Changes` first: rows to append (typed :class:`~.schema.Row`\\ s,
built from the schema's records) and input cells to set. :func:`place` then puts them on the
workbook's cells, once, from the tables as read: the Excel row each new row goes to (after the
last filled row; empty rows at a table's end are filled first), the cells a change by key hits,
the number format of each typed column, and the table's new range. The same
:class:`Placement` is written to a file (:mod:`.source`) or to the book open in Excel
(:mod:`.live`), and gives the tables as they are afterwards, so the pipeline can convert and
assess the new state without reading the file again.

Every key is checked against the schema (:class:`~.schema.UnknownColumn`), and a value for a
column the user's table lacks is refused with a Dutch sentence before anything is written:
nothing is ever silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from operator import itemgetter

from ..errors import DebiteurenError
from ..untrusted import normalize_code
from . import schema
from .read import TableData, TableEdit
from .schema import ColumnType, Row, Sheet

__all__ = [
    "CellChange",
    "Changes",
    "MissingColumn",
    "Placement",
    "RowCells",
    "SheetEdit",
    "TableWithTotals",
    "code_text",
    "place",
    "refuse_totals_row",
]

#: Columns whose cells get the column's number format when we write a value there.
_FORMATTED = (ColumnType.MONEY, ColumnType.DATE, ColumnType.DATETIME)


class MissingColumn(DebiteurenError):
    """The user's table lacks a column a use case must write."""

    def __init__(self, sheet: str, header: str) -> None:
        super().__init__(
            f"Op het blad {sheet} ontbreekt de kolom '{header}'; voeg een kolom met die kop toe "
            "aan de tabel (zoals in het lege werkboek workbook_template.xlsx). Er is niets "
            "gewijzigd."
        )


class MissingSheet(DebiteurenError):
    """The workbook lacks a sheet a use case must write."""

    def __init__(self, sheet: str) -> None:
        super().__init__(
            f"Het werkblad '{sheet}' ontbreekt; voeg het weer toe, bijvoorbeeld door het over te "
            "nemen uit het lege werkboek workbook_template.xlsx. Er is niets gewijzigd."
        )


class TableWithTotals(DebiteurenError):
    """A use case must add rows to a table that shows a totals row: the first new row would
    take the totals row's place (Excel moves it down; the patcher and openpyxl do not)."""

    def __init__(self, sheet: str, table: str) -> None:
        super().__init__(
            f"Op het blad {sheet} heeft de tabel {table} een totaalrij; daar kan debiteuren geen "
            "rijen aan toevoegen. Er is niets gewijzigd. Zet de totaalrij uit (in Excel: klik in "
            "de tabel, Tabelontwerp > Totaalrij) en probeer opnieuw; daarna kunt u hem weer "
            "aanzetten."
        )


def refuse_totals_row(tables: Mapping[str, TableData], *sheets: Sheet) -> None:
    """Raise :class:`TableWithTotals` when the table of one of ``sheets`` has a totals row: for
    a use case that makes files (letters, a dossier) before it adds its rows there, so that it
    makes none (:func:`place` would refuse only after)."""
    for sheet in sheets:
        table = tables.get(sheet.name)
        if table is not None and table.totals_rows:
            raise TableWithTotals(table.sheet, table.table)


def _sheet(sheet: Sheet | str) -> Sheet:
    return sheet if isinstance(sheet, Sheet) else schema.sheet(sheet)


@dataclass(frozen=True, slots=True, kw_only=True)
class CellChange:
    """Set input cell ``key`` of ``sheet``: on the rows whose ``match_key`` column holds the
    code ``match``, or, when ``row`` is given, on that Excel row (a sheet without a key column,
    such as Acties)."""

    sheet: Sheet
    key: str
    value: object
    match_key: str = ""
    match: str = ""
    row: int | None = None

    def __post_init__(self) -> None:
        column = self.sheet.column(self.key)  # UnknownColumn for an undeclared key
        if self.row is None:
            self.sheet.column(self.match_key)
        object.__setattr__(self, "value", schema.cell_value(column, self.value))


@dataclass(slots=True)
class Changes:
    """Rows to append and input cells to set, in the order they were queued."""

    rows: list[Row] = field(default_factory=list)
    cells: list[CellChange] = field(default_factory=list)

    def add(self, *rows: Row) -> None:
        """Queue ``rows`` to append (each to its own sheet)."""
        self.rows.extend(rows)

    def add_rows(self, sheet: Sheet | str, records: Iterable[Row | Mapping[str, object]]) -> None:
        """Queue ``records`` (rows, or column key -> value) to append to ``sheet``."""
        declared = _sheet(sheet)
        for record in records:
            row = record if isinstance(record, Row) else declared.row(**record)
            if row.sheet is not declared:
                raise ValueError(f"a row of {row.sheet.name} queued for {declared.name}")
            self.rows.append(row)

    def set(self, sheet: Sheet | str, match_key: str, match: str, key: str, value: object) -> None:
        """Queue setting column ``key`` on the row(s) of ``sheet`` where ``match_key == match``."""
        self.cells.append(
            CellChange(sheet=_sheet(sheet), match_key=match_key, match=match, key=key, value=value)
        )

    def set_row(self, sheet: Sheet | str, row: int, key: str, value: object) -> None:
        """Queue setting column ``key`` on Excel row ``row`` of ``sheet``."""
        self.cells.append(CellChange(sheet=_sheet(sheet), key=key, value=value, row=row))

    def appended(self, sheet: Sheet | str) -> list[Row]:
        """Return the rows queued for ``sheet``."""
        declared = _sheet(sheet)
        return [r for r in self.rows if r.sheet is declared]

    @property
    def append(self) -> dict[str, list[dict[str, object]]]:
        """Return the rows to append by sheet name, as column key -> value."""
        out: dict[str, list[dict[str, object]]] = {}
        for r in self.rows:
            out.setdefault(r.sheet.name, []).append(dict(r.values))
        return out

    def __bool__(self) -> bool:
        return bool(self.rows) or bool(self.cells)


def code_text(value: object) -> str:
    """Return a cell value as the text of a code, as the reader compares codes (a number read
    as ``1001.0`` is ``"1001"``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalize_code(str(value))


class RowCells(Mapping[int, object]):
    """The cells of one appended row: Excel column -> value.

    The rows of one import share one tuple of columns and keep one tuple of values each: a
    dict per row held about 50 MB for 104,000 rows of a bank statement (issue 17).
    """

    __slots__ = ("_columns", "_values")

    def __init__(self, columns: tuple[int, ...], values: tuple[object, ...]) -> None:
        self._columns, self._values = columns, values

    def __getitem__(self, column: int) -> object:
        try:
            return self._values[self._columns.index(column)]
        except ValueError:
            raise KeyError(column) from None

    def __iter__(self) -> Iterator[int]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    @property
    def columns(self) -> tuple[int, ...]:
        """Return the row's columns (shared by the rows of its shape)."""
        return self._columns

    @property
    def row_values(self) -> tuple[object, ...]:
        """Return the row's values, in the order of :attr:`columns`."""
        return self._values

    def items(self) -> tuple[tuple[int, object], ...]:  # type: ignore[override]
        """Return (column, value) pairs, in the order the row gives them."""
        return tuple(zip(self._columns, self._values, strict=True))

    def __repr__(self) -> str:
        return f"RowCells({dict(self.items())!r})"

    def __reduce__(self) -> tuple[type, tuple[tuple[int, ...], tuple[object, ...]]]:
        """Pickle as the two tuples (the copy that assesses half the customers sends its
        22,000 changed rows a day this way; a quarter faster than by the slots, issue 17)."""
        return RowCells, (self._columns, self._values)


@dataclass(frozen=True, slots=True, kw_only=True)
class SheetEdit:
    """The changes of one sheet, placed on its cells.

    Attributes:
      table: the table as read.
      cells: cells of existing rows to set: Excel row -> Excel column -> value.
      rows: the appended rows: Excel row -> Excel column -> value, in order.
      formats: Excel column -> the number format a typed column's cells get.
      ref: the table's new range (``A1:N42``) when appended rows pass its end; else None.
    """

    table: TableData
    cells: dict[int, dict[int, object]]
    rows: dict[int, Mapping[int, object]]
    formats: dict[int, str]
    ref: str | None = None

    def after(self) -> TableData:
        """Return the table as it is once the edit is written.

        The rows the edit does not touch are the table's own (a row is never changed in
        place); each touched row is a new list.
        """
        t = self.table
        rows = list(t.rows)
        width = len(t.headers)
        first_row, first_column = t.first_row, t.first_column
        copied: set[int] = set()
        scatter: dict[tuple[int, ...], Callable[[tuple], tuple] | None] = {}
        for excel_row, values in (*self.cells.items(), *self.rows.items()):
            index = excel_row - first_row
            if index == len(rows) and isinstance(values, RowCells):
                # a row appended after the others: its line made in one step per shape
                make = scatter.get(values.columns, False)
                if make is False:
                    make = scatter[values.columns] = _scatter(values.columns, first_column, width)
                if make is not None:
                    rows.append(list(make((*values.row_values, None))))
                    copied.add(index)
                    continue
            while len(rows) <= index:
                rows.append([])
                copied.add(len(rows) - 1)
            if index not in copied:
                rows[index] = list(rows[index])
                copied.add(index)
            line = rows[index]
            line.extend([None] * (width - len(line)))
            for column, value in values.items():
                line[column - first_column] = value
        last = t.last_row
        if self.rows and last is not None:
            last = max(last, max(self.rows))
        return replace(t, rows=rows, last_row=last)


def _scatter(columns: tuple[int, ...], first_column: int, width: int):
    """Return a function of (a row's values..., None) -> the table's line of that row (the
    values in their columns, None elsewhere); None when a column lies outside the table."""
    positions = [c - first_column for c in columns]
    if len(set(positions)) != len(positions) or not all(0 <= p < width for p in positions):
        return None
    at = dict(zip(positions, range(len(columns)), strict=True))
    pick = [at.get(p, len(columns)) for p in range(width)]  # the None after the values
    if width == 1:
        return lambda values: (values[pick[0]],)
    return itemgetter(*pick)


@dataclass(frozen=True, slots=True)
class Placement:
    """Every sheet's edit: declared sheet name -> :class:`SheetEdit`."""

    edits: dict[str, SheetEdit]

    def tables(self, tables: Mapping[str, TableData]) -> dict[str, TableData]:
        """Return ``tables`` as they are once the placement is written."""
        return {
            name: (self.edits[name].after() if name in self.edits else t)
            for name, t in tables.items()
        }

    def appended(self, sheet: Sheet | str) -> list[int]:
        """Return the Excel rows the rows appended to ``sheet`` went to, in order."""
        edit = self.edits.get(_sheet(sheet).name)
        return list(edit.rows) if edit is not None else []

    def table_edits(self) -> dict[str, TableEdit]:
        """Return declared sheet name -> where its table changed (for
        :func:`~.read.convert_tables` to convert only that)."""
        return {
            name: TableEdit(
                before=edit.table,
                rows=frozenset(edit.cells).union(edit.rows),
                columns=frozenset(col for cells in edit.cells.values() for col in cells),
            )
            for name, edit in self.edits.items()
        }

    def __bool__(self) -> bool:
        return any(e.cells or e.rows for e in self.edits.values())


def place(tables: Mapping[str, TableData], changes: Changes) -> Placement:
    """Put ``changes`` on the cells of the workbook whose tables are ``tables``.

    Raises:
      MissingSheet, MissingColumn: a change needs a sheet or column the workbook lacks (a
        value to write, never an empty one); nothing may be written then.
      TableWithTotals: rows are to be added to a table with a totals row.
    """
    by_sheet: dict[str, tuple[list[CellChange], list[Row]]] = {}
    for c in changes.cells:
        by_sheet.setdefault(c.sheet.name, ([], []))[0].append(c)
    for r in changes.rows:
        by_sheet.setdefault(r.sheet.name, ([], []))[1].append(r)
    edits = {}
    for name, (cells, rows) in by_sheet.items():
        table = tables.get(name)
        if table is None:
            raise MissingSheet(name)
        if rows and table.totals_rows:
            raise TableWithTotals(table.sheet, table.table)
        edits[name] = _edit(schema.sheet(name), table, cells, rows)
    return Placement(edits)


def _edit(sheet: Sheet, table: TableData, cells: Sequence[CellChange], rows: Sequence[Row]):
    positions = schema.match_headers(sheet, table.headers).index

    def column(key: str, value: object) -> int | None:
        """Return the Excel column of ``key``; None for an empty value in a missing column."""
        if key in positions:
            return table.first_column + positions[key]
        if value is None or value == "":
            return None
        raise MissingColumn(table.sheet, sheet.column(key).header)

    changed: dict[int, dict[int, object]] = {}
    for c in cells:
        col = column(c.key, c.value)
        targets = [c.row] if c.row is not None else _matching(table, positions, c)
        for excel_row in targets if col is not None else ():
            changed.setdefault(excel_row, {})[col] = c.value
    filled = len(table.rows)
    while filled and not any(v is not None and v != "" for v in table.rows[filled - 1]):
        filled -= 1
    appended: dict[int, Mapping[int, object]] = {}
    shapes: dict[tuple[int, ...], tuple[int, ...]] = {}
    # the keys of a row whose columns are all in the table -> their columns (one tuple for the
    # rows of one shape): 104,000 rows of a bank statement have a handful of shapes
    by_keys: dict[tuple[str, ...], tuple[int, ...]] = {}
    first = table.first_row + filled
    for k, r in enumerate(rows):
        keys = tuple(r.values)
        columns = by_keys.get(keys)  # type: ignore[assignment]
        if columns is None and all(key in positions for key in keys):
            columns = tuple(table.first_column + positions[key] for key in keys)
            columns = by_keys[keys] = shapes.setdefault(columns, columns)
        if columns is not None:
            appended[first + k] = RowCells(columns, tuple(r.values.values()))
            continue
        placed = [(col, v) for key, v in r.values.items() if (col := column(key, v)) is not None]
        columns = tuple(col for col, _ in placed)
        columns = shapes.setdefault(columns, columns)  # one tuple for the rows of one shape
        appended[first + k] = RowCells(columns, tuple(v for _, v in placed))
    formats = {
        table.first_column + pos: sheet.column(key).excel_format
        for key, pos in positions.items()
        if sheet.column(key).type in _FORMATTED
    }
    for values in changed.values():
        for col, value in values.items():
            if isinstance(value, date) and col not in formats:
                formats[col] = schema.DATE_FORMAT  # a date in a text column (Instellingen)
    _date_formats(appended.values(), formats)
    ref = _grown_ref(table, appended)
    return SheetEdit(table=table, cells=changed, rows=appended, formats=formats, ref=ref)


def _date_formats(rows: Iterable[Mapping[int, object]], formats: dict[int, str]) -> None:
    """Give a column without a format the date format where a row puts a date in it (as each
    cell's own check would, looking per shape only at the columns still without one)."""
    unformatted: dict[tuple[int, ...], tuple[int, ...]] = {}
    for values in rows:
        if not isinstance(values, RowCells):
            found = [col for col, v in values.items() if isinstance(v, date)]
        else:
            picks = unformatted.get(values.columns)
            if picks is None:
                columns = values.columns
                picks = unformatted[values.columns] = tuple(
                    i for i, col in enumerate(columns) if col not in formats
                )
            if not picks:
                continue
            cells = values.row_values
            classes = {cells[i].__class__ for i in picks}
            if not any(issubclass(c, date) for c in classes):
                continue
            found = [values.columns[i] for i in picks if isinstance(cells[i], date)]
        for col in found:
            if col not in formats:
                formats[col] = schema.DATE_FORMAT  # a date in a text column (Instellingen)
                unformatted.clear()  # the shapes' columns without a format are fewer now


def _matching(table: TableData, positions: Mapping[str, int], change: CellChange) -> list[int]:
    """Return the Excel rows whose ``change.match_key`` cell holds the code ``change.match``."""
    pos = positions.get(change.match_key)
    if pos is None:
        return []
    wanted = normalize_code(change.match)
    return [
        table.first_row + i
        for i, values in enumerate(table.rows)
        if pos < len(values) and code_text(values[pos]) == wanted
    ]


def _grown_ref(table: TableData, appended: Mapping[int, object]) -> str | None:
    """Return the table's range taking in the appended rows, when they pass its end."""
    if not appended or not table.table:
        return None
    end = table.last_row if table.last_row is not None else table.first_row + len(table.rows) - 1
    last = max(appended)
    if last <= end:
        return None
    from openpyxl.utils.cell import get_column_letter

    left = get_column_letter(table.first_column)
    right = get_column_letter(table.first_column + len(table.headers) - 1)
    return f"{left}{table.first_row - 1}:{right}{last}"
