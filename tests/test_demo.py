"""``debiteuren demo`` shows everything: letters of every kind, a statement, e-invoices."""

from __future__ import annotations

import shlex
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren.cli import main


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("demo") / "demo"
    result = CliRunner().invoke(main, ["demo", str(folder), "--geen-pdf"])
    assert result.exit_code == 0, result.output
    return folder, result.output


def test_the_demo_folder_holds_everything(demo):
    folder, output = demo
    letters = folder / "brieven" / "2026-10-15"
    names = {p.name for p in letters.iterdir()}
    # Not only first reminders: a 14-dagenbrief and ingebrekestellingen are due on its date.
    assert {"K002-14-dagenbrief.docx", "K011-ingebrekestelling.docx"} <= names
    assert {"K008-ingebrekestelling.docx", "K010-eerste-herinnering.docx"} <= names
    assert {"alle-brieven-afdrukken.docx", "belijst.xlsx"} <= names
    assert sorted(p.name for p in (folder / "bankafschriften").iterdir()) == [
        "afschrift-2026-10-14.xml",
        "afschrift-2026-10-15.xml",
    ]
    assert sorted(p.name for p in (folder / "e-facturen").iterdir()) == [
        "factuur-2026-0136.xml",
        "factuur-2026-0137.xml",
    ]
    assert "(herinnering, 14-dagenbrief, eerste herinnering, ingebrekestelling)" in output
    assert "2 bijschrijvingen, 1 gekoppeld, 1 te controleren" in output


def test_the_overzicht_has_a_statement(demo):
    folder, _ = demo
    ws = openpyxl.load_workbook(folder / "voorbeeld-debiteuren.xlsx")["Overzicht"]
    assert (ws["A3"].value, ws["B3"].value) == ("Laatste bankafschrift", datetime(2026, 10, 14))
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("nog geen afschrift" in t for t in texts)
    payments = openpyxl.load_workbook(folder / "voorbeeld-debiteuren.xlsx")["Betalingen"]
    statuses = [r[10] for r in payments.iter_rows(min_row=2, values_only=True) if r[6]]
    assert sorted(statuses) == ["Gematcht", "Te controleren"]


def test_the_printed_next_commands_work(demo):
    _, output = demo
    lines = output.splitlines()
    start = lines.index("Probeer daarna, in deze volgorde:")
    commands = [shlex.split(line) for line in lines[start + 1 :] if line.startswith("    ")]
    assert [c[1] for c in commands] == ["betalingen", "facturen", "gesprek", "overdracht", "export"]
    runner = CliRunner()
    statement = runner.invoke(main, commands[0][1:])
    assert statement.exit_code == 0, statement.output
    assert "2 bijschrijvingen, 2 gekoppeld, 0 te controleren" in statement.output
    einvoices = runner.invoke(main, commands[1][1:])
    assert einvoices.exit_code == 0, einvoices.output
    assert "2 facturen toegevoegd; 1 nieuwe klant (K013)" in einvoices.output


def test_the_demo_salutes_customers_with_their_aanhef(demo):
    from docx import Document

    folder, _ = demo
    letter = Document(folder / "brieven" / "2026-10-15" / "K002-14-dagenbrief.docx")
    assert "Geachte mevrouw De Vries," in [p.text for p in letter.paragraphs]
    eml = (folder / "brieven" / "2026-10-15" / "K004-herinnering.eml").read_text()
    assert "Dear Mr O'Brien," in eml
