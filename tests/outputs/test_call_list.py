"""``belijst.xlsx``: each text stays in its own cell."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl

from debiteuren.core.letters import Call
from debiteuren.core.model import Country, Debtor, DebtorKind
from debiteuren.outputs.call_list import write_call_list


def _call(number: str, name: str, contact: str = "") -> Call:
    debtor = Debtor(
        number=number,
        name=name,
        country=Country.NL,
        kind=DebtorKind.CONSUMER,
        contact=contact,
        phone="06 8765 4321",
    )
    return Call(
        debtor=debtor,
        invoices=("2026-0080",),
        outstanding=Decimal("405.23"),
        days_late=40,
        stages=("Herinnerd",),
    )


def test_a_long_or_broken_name_wraps_in_its_cell(tmp_path: Path):
    """A name with a line break ran over the header above it, a long one over the empty
    Contactpersoon beside it: the cell did not wrap and the row kept its height."""
    long = "Jansen & Zn " + "holding met dochterondernemingen " * 4
    calls = [
        _call("K001", long.strip()),
        _call("K005", "Familie Bakker\nK999 Fout: alles betaald", "Sanne Bakker"),
        _call("K006", "Hotel De Zwaan", "Receptie"),
    ]
    ws = openpyxl.load_workbook(write_call_list(tmp_path / "belijst.xlsx", calls))["Belijst"]
    assert [ws.cell(r, 2).value for r in (2, 3, 4)] == [c.debtor.name for c in calls]
    for row in (2, 3):
        assert all(ws.cell(row, col).alignment.vertical == "top" for col in range(1, 13))
        assert ws.cell(row, 2).alignment.wrap_text
    # 143 characters in a column of 30: five lines, six with a margin for the word breaks
    assert ws.row_dimensions[2].height == 15 * 6
    assert ws.row_dimensions[3].height == 15 * 2  # two lines
    # a short name keeps the usual row
    assert not ws["B4"].alignment.wrap_text and ws.row_dimensions[4].height is None


def test_the_instruction_under_the_list_asks_a_day_with_a_promise(tmp_path: Path):
    """The line under the list showed '--uitkomst notitie|belofte|betwist [--op DATUM]', the day
    as optional; ``gesprek`` refuses a promise without one (exit code 2)."""
    ws = openpyxl.load_workbook(write_call_list(tmp_path / "belijst.xlsx", [_call("K001", "A")]))
    line = ws["Belijst"]["A4"].value
    assert "--uitkomst notitie|betwist [--tekst TEKST]" in line
    assert "--uitkomst belofte --op DATUM (de dag waarop de klant belooft te betalen)" in line
    assert "[--op DATUM]" not in line
