"""What a use case wants changed in the workbook, apart from the computed columns.

Use cases (letters, payments, plans, hand-over) compute a :class:`Changes` first; the caller then
applies it to the workbook file (:func:`apply_to_file`, the command line) or to the open book
in Excel (``debiteuren.workbook.live.LiveBook.apply``). So the same logic serves both, and
nothing is written before everything is computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..errors import DebiteurenError
from ..untrusted import normalize_code
from ..workbook import read, schema
from ..workbook.cells import set_value
from ..workbook.files import check_writable, locks_workbook, save_workbook
from ..workbook.write import append_table_rows, find_table

__all__ = [
    "CellChange",
    "Changes",
    "FutureDate",
    "apply_to_book",
    "apply_to_file",
    "refuse_future",
]


class FutureDate(DebiteurenError):
    """A command would log something on a day that has not come yet."""

    def __init__(self, as_of: date, today: date, flag: str) -> None:
        super().__init__(
            f"De peildatum {as_of:%d-%m-%Y} ligt na vandaag ({today:%d-%m-%Y}); het blad Acties "
            "legt alleen vast wat al gebeurd is. Er is niets gewijzigd. Wilt u dit toch, geef "
            f"dan {flag}; daarna weigert elke opdracht met een eerdere peildatum het werkboek tot "
            "die dag."
        )


def refuse_future(as_of: date, now: datetime, *, confirmed: bool, flag: str = "--toekomst") -> None:
    """Raise :class:`FutureDate` when ``as_of`` lies after the day of ``now`` (unless confirmed).

    A command that logs in Acties (letters, a call, a payment plan, a hand-over) never logs into
    the future: the record holds what happened, with the day it happened.
    """
    if as_of > now.date() and not confirmed:
        raise FutureDate(as_of, now.date(), flag)


@dataclass(frozen=True, slots=True, kw_only=True)
class CellChange:
    """Set one input cell: on ``sheet``, the row whose ``match_key`` column equals ``match``,
    or, when ``row`` is given, that Excel row (a sheet without a key column, such as Acties)."""

    sheet: str
    match_key: str
    match: str
    key: str
    value: object
    row: int | None = None


@dataclass(slots=True)
class Changes:
    """Rows to append (sheet name -> records by column key) and cells to set."""

    append: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    cells: list[CellChange] = field(default_factory=list)

    def add_rows(self, sheet: str, records: list[dict[str, object]]) -> None:
        """Queue ``records`` to append to ``sheet``."""
        if records:
            self.append.setdefault(sheet, []).extend(records)

    def set(self, sheet: str, match_key: str, match: str, key: str, value: object) -> None:
        """Queue setting column ``key`` on the row(s) of ``sheet`` where ``match_key == match``."""
        self.cells.append(
            CellChange(sheet=sheet, match_key=match_key, match=match, key=key, value=value)
        )

    def set_row(self, sheet: str, row: int, key: str, value: object) -> None:
        """Queue setting column ``key`` on Excel row ``row`` of ``sheet``."""
        self.cells.append(
            CellChange(sheet=sheet, match_key="", match="", key=key, value=value, row=row)
        )

    def __bool__(self) -> bool:
        return bool(self.append) or bool(self.cells)


def apply_to_book(book, changes: Changes) -> dict[str, list[int]]:
    """Apply ``changes`` to an openpyxl workbook (full mode).

    Returns:
      Per sheet, the Excel rows the appended records went to (in order).
    """
    from openpyxl.utils.cell import range_boundaries

    for cell in changes.cells:
        sheet = schema.sheet_by_name(cell.sheet)
        assert sheet is not None
        ws, table = find_table(book, sheet)
        min_col, min_row, max_col, _ = (
            range_boundaries(table.ref) if table is not None else (1, 1, ws.max_column, ws.max_row)
        )
        headers = [ws.cell(row=min_row, column=c).value for c in range(min_col, max_col + 1)]
        match = schema.match_headers(sheet, headers)
        key_col, col = match.index.get(cell.match_key), match.index.get(cell.key)
        if cell.row is not None and col is not None:
            target = ws.cell(row=cell.row, column=min_col + col)
            set_value(target, cell.value)
            if isinstance(cell.value, date):
                target.number_format = sheet.column(cell.key).excel_format
            continue
        if key_col is None or col is None:
            continue
        key_column = min_col + key_col
        matching = [
            r
            for (r, c), found in list(ws._cells.items())
            if c == key_column
            and r > min_row
            and found.value is not None
            and normalize_code(str(found.value)) == normalize_code(cell.match)
        ]
        for r in sorted(matching):
            set_value(ws.cell(row=r, column=min_col + col), cell.value)
    appended = {}
    for sheet_name, records in changes.append.items():
        appended[sheet_name] = append_table_rows(book, sheet_name, records)
    return appended


@locks_workbook
def apply_to_file(
    path: Path,
    changes: Changes,
    now: datetime,
    appended: dict[str, list[int]] | None = None,
    *,
    tables: Mapping[str, read.TableData] | None = None,
) -> Path | None:
    """Apply ``changes`` to the workbook file (backup, atomic replace).

    Args:
      appended: when given, filled with the Excel rows of the appended records per sheet.
      tables: the workbook's tables as just read from ``path``: then the rows and cells are
        written by patching the package (:mod:`..workbook.patched`), without loading the
        workbook with openpyxl; a package the patcher does not expect falls back to openpyxl.
    Returns:
      The backup made of the previous version, or None when there was nothing to change.
    """
    if not changes:
        return None
    check_writable(path)
    if tables is not None:
        from ..workbook import patched, xlsx_patch  # lxml: desktop only

        try:
            with xlsx_patch.Patch(path) as patch:
                rows = patched.patch_changes(patch, tables, changes.append, changes.cells)
                patch.prepare()
                copy = save_workbook(path, patch.write, now)
        except xlsx_patch.UnexpectedStructure:
            pass
        else:
            if appended is not None:
                appended.update(rows)
            return copy
    book = read.open_book(path)
    rows = apply_to_book(book, changes)
    if appended is not None:
        appended.update(rows)
    return save_workbook(path, lambda tmp: book.save(tmp), now)
