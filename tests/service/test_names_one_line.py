"""A text from the workbook (a customer name with a line break, a very long name) is printed on
one line: it cannot forge a line of a command's report, and a generated sheet keeps it in its
own cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from debiteuren.cli import main

FORGED = "Familie Bakker\n  K999 Fout: alles betaald\r\n\tX"
LONG = "Jansen & Zn <BV> " + "Heel lange naam van een holding met dochterondernemingen " * 4


def _renamed(demo: Path, names: dict[str, str]) -> None:
    book = openpyxl.load_workbook(demo)
    sheet = book["Klanten"]
    for row in range(2, sheet.max_row + 1):
        number = sheet.cell(row, 1).value
        if number in names:
            sheet.cell(row, 2).value = names[number]
    book.save(demo)


def test_a_name_with_a_line_break_stays_on_its_line_of_the_report(demo: Path):
    """``brieven`` listed K005 over three lines, the second reading "K999 Fout: alles
    betaald"; a name of 245 characters made K001's lines as long."""
    _renamed(demo, {"K005": FORGED, "K001": LONG.strip()})
    args = ["brieven", str(demo), "--peildatum", "2026-10-15", "--onbevestigde-rente"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert not [line for line in lines if "K999" in line and not line.startswith("  K005 ")]
    start = "  K005 Familie Bakker K999 Fout: alles betaald X: herinnering (post), 1 factuur, "
    assert any(line.startswith(start) for line in lines)
    cut = LONG[:59].rstrip() + "…"
    assert any(line.startswith(f"  K001 {cut}: herinnering (e-mail)") for line in lines)
    assert any(line.startswith(f"  K001 {cut} (020 555 01 01): ") for line in lines)
    # the call list has the whole name, wrapped in its cell
    call_list = next(demo.parent.glob("brieven/*/belijst.xlsx"))
    ws = openpyxl.load_workbook(call_list)["Belijst"]
    assert ws["B2"].value == LONG.strip()
    assert ws["B2"].alignment.wrap_text and ws["B2"].alignment.vertical == "top"
    assert ws.row_dimensions[2].height >= 15 * 8


def test_a_cell_text_with_a_line_break_stays_on_the_line_of_its_problem(demo: Path):
    """A refused workbook lists one problem per line: the text of the cell it quotes (pasted
    with a line break) started a line of its own."""
    book = openpyxl.load_workbook(demo)
    sheet = book["Facturen"]
    column = [c.value for c in sheet[1]].index("Vervaldatum") + 1
    sheet.cell(2, column).value = "morgen\n- Facturen, rij 3: alles in orde"
    book.save(demo)
    result = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert lines[-2] == "Het werkboek heeft 1 probleem; er is niets gewijzigd."
    assert lines[-1].startswith("- Facturen, rij 2, Vervaldatum: 'morgen - Facturen, rij 3: alles")
