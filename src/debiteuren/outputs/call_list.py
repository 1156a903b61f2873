"""``belijst.xlsx``: the customers to call today, with columns for the caller to fill in.

One row per customer at the ladder's phone step: who, which invoices, how much, how late, the
stage and the last letter. The caller fills in Uitkomst (a choice), Beloofd op and Notitie, and
logs each call with ``debiteuren gesprek``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..core.letters import Call
from ..workbook.cells import text_only
from ..workbook.files import atomic_write
from ..workbook.write import page_setup
from .tables import Col, write_table

__all__ = ["CALL_OUTCOMES", "COLUMNS", "write_call_list"]

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


def write_call_list(target: Path, calls: Sequence[Call]) -> Path:
    """Write the call list to ``target`` (atomically); return it."""
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
        "--uitkomst notitie|belofte|betwist [--op DATUM] [--tekst TEKST]",
    ).font = Font(italic=True, color="808080")
    ws.freeze_panes = "A2"
    page_setup(ws)
    atomic_write(target, lambda tmp: text_only(wb).save(tmp))
    return target
