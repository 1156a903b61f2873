"""``belijst.xlsx``: the customers to call today, with columns for the caller to fill in.

One row per customer at the ladder's phone step: who, which invoices, how much, how late, the
stage and the last letter. The caller fills in Uitkomst (a choice), Beloofd op and Notitie, and
logs each call with ``debiteuren gesprek``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..core.letters import Call
from ..filenames import inside
from ..workbook.cells import text_only
from ..workbook.files import atomic_write
from ..workbook.write import page_setup
from .letters import free_name
from .tables import Col, write_table

__all__ = ["CALL_OUTCOMES", "COLUMNS", "place_call_list", "write_call_list"]

#: The words of the Uitkomst column, as ``debiteuren gesprek --uitkomst`` takes them.
CALL_OUTCOMES = ("notitie", "belofte", "betwist")

COLUMNS = (
    Col("Klantnr", "text", 10),
    Col("Naam", "text", 30),
    Col("Contactpersoon", "text", 20),
    Col("Telefoon", "text", 16),
    Col("Facturen", "text", 24),
    Col("Openstaand", "money", 14),
    Col("Dagen te laat", "", 16),
    Col("Fase", "text", 14),
    Col("Laatste brief", "text", 34),
    Col("Uitkomst", "text", 12),
    Col("Beloofd op", "date", 13),
    Col("Notitie", "text", 40),
)
#: The columns the caller fills in (a light yellow).
_TO_FILL = 3
_FILL = PatternFill("solid", fgColor="FFF2CC")


def _row(call: Call) -> list[object]:
    last = ""
    if call.last is not None:
        action, day = call.last
        last = f"{action.step.value} ({action.channel.value}) {day:%d-%m-%Y}"
    d = call.debtor
    facts = [d.number, d.name, d.contact, d.phone, ", ".join(call.invoices), call.outstanding]
    return [*facts, call.days_late, ", ".join(call.stages), last, None, None, None]


def place_call_list(folder: Path, calls: Sequence[Call], now: datetime) -> tuple[Path, bool]:
    """Write today's call list into ``folder``, never over one the caller may have filled in.

    The first run of a day writes ``belijst.xlsx``. A later run of that day whose calls are
    those of a list already in the folder (the same customers, invoices and figures) keeps
    that list as it is, with what the caller wrote in it; other calls go into a new list
    beside it, ``belijst-UUMMSS.xlsx`` (as the print file), so no outcome or note is lost.

    Returns:
      The list the caller uses, and whether it was there already (kept, not written).
    """
    made = _book(calls)
    facts = _facts(made)
    for earlier in sorted(folder.glob("belijst*.xlsx")):
        if _facts_of(earlier) == facts:
            return earlier, True
    target = inside(folder, "belijst.xlsx")
    if target.exists() or target.is_symlink():
        target = free_name(folder, f"belijst-{now:%H%M%S}", ".xlsx")
    atomic_write(target, lambda tmp: made.save(tmp))
    return target, False


def write_call_list(target: Path, calls: Sequence[Call]) -> Path:
    """Write the call list to ``target`` (atomically); return it."""
    made = _book(calls)
    atomic_write(target, lambda tmp: made.save(tmp))
    return target


#: The columns of the facts of a call (who, which invoices, how much): not those filled in.
_FACTS = len(COLUMNS) - _TO_FILL

#: A call list larger than this is not one debiteuren wrote: never the same list.
_MAX_BYTES = 5_000_000


def _facts(wb: openpyxl.Workbook) -> list[tuple[object, ...]]:
    """Return the facts of the calls of a call list as it reads back from its file."""
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return _read_facts(buffer)


def _facts_of(path: Path) -> list[tuple[object, ...]] | None:
    """Return the facts of the calls of the list in ``path``; None when it cannot be read."""
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > _MAX_BYTES:
            return None
        with path.open("rb") as handle:
            return _read_facts(handle)
    except Exception:  # a list the user broke or replaced: a new list beside it
        return None


def _read_facts(handle) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    try:
        ws = wb["Belijst"]
        return [
            tuple(row[:_FACTS])
            for row in ws.iter_rows(min_row=2, max_col=_FACTS, values_only=True)
            if any(v is not None for v in row)
        ]
    finally:
        wb.close()


def _book(calls: Sequence[Call]) -> openpyxl.Workbook:
    """Return the call list as a workbook, not yet saved."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Belijst"
    last = write_table(ws, COLUMNS, [_row(c) for c in calls], fill=False)
    for col in range(len(COLUMNS) - _TO_FILL + 1, len(COLUMNS) + 1):
        for row in range(1, last + 1):
            ws.cell(row=row, column=col).fill = _FILL
    letter = get_column_letter(len(COLUMNS) - _TO_FILL + 1)
    choice = DataValidation(
        type="list",
        formula1='"' + ",".join(CALL_OUTCOMES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Uitkomst",
        error="Kies notitie, belofte of betwist.",
    )
    choice.add(f"{letter}2:{letter}{last}")
    ws.add_data_validation(choice)
    ws.cell(
        row=last + 2,
        column=1,
        value="Leg elk gesprek daarna vast met: debiteuren gesprek WERKBOEK --klant KLANTNR "
        "--uitkomst notitie|betwist [--tekst TEKST], of bij een belofte: --uitkomst belofte "
        "--op DATUM (de dag waarop de klant belooft te betalen) [--tekst TEKST]",
    ).font = Font(italic=True, color="808080")
    ws.freeze_panes = "A2"
    page_setup(ws)
    return text_only(wb)
