"""Append rows to the declared tables and set input cells by patching the package.

The same changes :func:`debiteuren.workbook.write.append_table_rows` and ``apply_to_book`` make
through a full openpyxl load and save, made with :class:`~.xlsx_patch.Patch` instead: only the
rows that change are written, every other part of the package is copied as it is. Where the
rows go is read from the tables already read (:func:`~.read.load_tables`), so the workbook is
not loaded a second time. ``betalingen`` uses this to append 100,000 Betalingen rows to a large
workbook in seconds.

The result is the one openpyxl gives: rows appended after the table's last filled row (empty
rows at the end of the table are filled first), the table (and its filter) grown over them,
money and date cells in the column's number format, a text that looks like a formula stored as
text with the quote prefix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from ..untrusted import normalize_code, xml_safe
from . import schema
from .read import TableData
from .xlsx_patch import CellValue, Patch, UnexpectedStructure

__all__ = ["CellToSet", "Pending", "patch_changes"]


class CellToSet(Protocol):
    """A cell to set: the row of ``sheet`` whose ``match_key`` column is ``match`` (or the Excel
    ``row`` when given), column ``key``. ``service.changes.CellChange`` is one."""

    sheet: str
    match_key: str
    match: str
    key: str
    value: object
    row: int | None


@dataclass(slots=True)
class Pending:
    """Rows to append and cells to set, not written yet, with the tables they go into.

    ``betalingen`` hands this to ``bijwerken`` (``service.update``), which computes on
    :meth:`merged` (the tables as they will be) and writes everything with one save.

    Attributes:
      tables: the workbook's tables as read from the file.
      append: records to append per declared sheet (column key -> value).
      cells: the cells to set.
    """

    tables: Mapping[str, TableData]
    append: Mapping[str, Sequence[Mapping[str, object]]]
    cells: Sequence[CellToSet] = ()
    _plan: _Plan | None = field(default=None, repr=False)

    def plan(self) -> _Plan:
        if self._plan is None:
            self._plan = _make_plan(self.tables, self.append, self.cells)
        return self._plan

    def merged(self) -> dict[str, TableData]:
        """Return the tables with the rows appended and the cells set, valued as python-calamine
        reads them back from the saved file (money as float, a date as date, empty as "")."""
        plan = self.plan()
        out = dict(self.tables)
        for name, table in self.tables.items():
            writes = plan.writes.get(table.sheet)
            if not writes:
                continue
            rows = list(table.rows)
            width = len(table.headers)
            for row, values in writes.items():
                i = row - table.first_row
                if i < 0:
                    continue
                while len(rows) <= i:
                    rows.append([""] * width)
                changed = list(rows[i]) + [""] * (width - len(rows[i]))
                for column, value in values.items():
                    position = column - table.first_column
                    if 0 <= position < width:
                        changed[position] = _as_read(value)
                rows[i] = changed
            last_row = plan.last_rows.get(name, table.last_row)
            out[name] = replace(table, rows=rows, last_row=last_row)
        return out

    def write(self, patch: Patch) -> dict[str, list[int]]:
        """Queue the changes on ``patch``; return the Excel rows of the appended records."""
        plan = self.plan()
        for table_name, ref in plan.table_refs.items():
            patch.set_table_ref(table_name, ref)
        for title, by_row in plan.writes.items():
            patch.set_cells(title, by_row, plan.formats.get(title), add_rows=True)  # type: ignore[arg-type]
        return plan.appended


@dataclass(slots=True)
class _Plan:
    """Where every value goes: sheet title -> Excel row -> Excel column -> value."""

    writes: dict[str, dict[int, dict[int, CellValue]]] = field(default_factory=dict)
    formats: dict[str, dict[int, str]] = field(default_factory=dict)
    table_refs: dict[str, str] = field(default_factory=dict)
    last_rows: dict[str, int] = field(default_factory=dict)
    appended: dict[str, list[int]] = field(default_factory=dict)


def patch_changes(
    patch: Patch,
    tables: Mapping[str, TableData],
    append: Mapping[str, Sequence[Mapping[str, object]]],
    cells: Iterable[CellToSet] = (),
) -> dict[str, list[int]]:
    """Queue appending ``append`` (sheet name -> records by column key) and setting ``cells``.

    Args:
      patch: the open package.
      tables: the workbook's tables as read from the same file.
      append: the records to append per declared sheet; unknown keys and columns the
        workbook lacks are skipped.
      cells: the cells to set.
    Returns:
      Per sheet, the Excel rows the appended records went to, in order. Raises
      UnexpectedStructure (nothing written) for a sheet that was not read, or a value the patch
      cannot write (a date with a time of day).
    """
    return Pending(tables, append, list(cells)).write(patch)


def _make_plan(
    tables: Mapping[str, TableData],
    append: Mapping[str, Sequence[Mapping[str, object]]],
    cells: Iterable[CellToSet],
) -> _Plan:
    plan = _Plan()
    for change in cells:
        sheet, table, columns = _table(tables, change.sheet)
        column = columns.get(change.key)
        if column is None:
            continue
        rows = [change.row] if change.row is not None else _rows_with(table, columns, change)
        for row in rows:
            plan.writes.setdefault(table.sheet, {}).setdefault(row, {})[column] = _cell(
                change.value
            )
        _format(plan.formats.setdefault(table.sheet, {}), sheet, change.key, column, change.value)
    for name, records in append.items():
        sheet, table, columns = _table(tables, name)
        row = _last_filled_row(table)
        rows = plan.appended.setdefault(name, [])
        formats = plan.formats.setdefault(table.sheet, {})
        by_row = plan.writes.setdefault(table.sheet, {})
        for record in records:
            row += 1
            target = by_row.setdefault(row, {})
            for key, value in record.items():
                column = columns.get(key)
                if column is None:
                    continue
                target[column] = _cell(value)
                if column not in formats:
                    _format(formats, sheet, key, column, value)
            rows.append(row)
        if rows and rows[-1] > (table.last_row or table.first_row - 1):
            plan.last_rows[name] = rows[-1]
            if table.table:
                last_column = table.first_column + max(len(table.headers), 1) - 1
                plan.table_refs[table.table] = (
                    f"{_letters(table.first_column)}{table.first_row - 1}:"
                    f"{_letters(last_column)}{rows[-1]}"
                )
    return plan


def _as_read(value: CellValue) -> object:
    """Return a written value as python-calamine reads it from the file."""
    if value is None:
        return ""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _table(
    tables: Mapping[str, TableData], name: str
) -> tuple[schema.Sheet, TableData, dict[str, int]]:
    """Return the declared sheet, its table and column key -> Excel column."""
    sheet = schema.sheet_by_name(name)
    table = tables.get(name)
    if sheet is None or table is None:
        raise UnexpectedStructure(f"sheet {name!r} was not read")
    match = schema.match_headers(sheet, table.headers)
    return sheet, table, {k: table.first_column + i for k, i in match.index.items()}


def _rows_with(table: TableData, columns: Mapping[str, int], change: CellToSet) -> list[int]:
    """Return the Excel rows whose ``match_key`` cell is ``match`` (codes compared normalised)."""
    column = columns.get(change.match_key)
    if column is None:
        return []
    position = column - table.first_column
    wanted = normalize_code(change.match)
    return [
        table.first_row + i
        for i, values in enumerate(table.rows)
        if position < len(values)
        and values[position] is not None
        and normalize_code(str(values[position])) == wanted
    ]


def _last_filled_row(table: TableData) -> int:
    """Return the Excel row of the table's last row with a value (the header row when none)."""
    for i in range(len(table.rows) - 1, -1, -1):
        if any(v not in (None, "") for v in table.rows[i]):
            return table.first_row + i
    return table.first_row - 1


def _cell(value: object) -> CellValue:
    """Return ``value`` as the patch writes it; UnexpectedStructure for what it cannot."""
    if value is None or isinstance(value, str | bool | int | float | Decimal):
        return value  # type: ignore[return-value]
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise UnexpectedStructure(f"cannot write a {type(value).__name__} by patching")


def _format(
    formats: dict[int, str], sheet: schema.Sheet, key: str, column: int, value: object
) -> None:
    """Give money and date columns their number format (as ``append_table_rows`` does)."""
    declared = sheet.column(key)
    if isinstance(value, Decimal | date) or declared.type.value in ("money", "date"):
        formats[column] = declared.excel_format


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
