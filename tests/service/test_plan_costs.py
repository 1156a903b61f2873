"""A payment plan agreed while a formal letter's term still runs: its costs are not in the plan.

Unless what the 14-dagenbrief asked is paid within its term, the costs it announced are due
the day after (art. 6:96 lid 6 BW); an agreed plan does not stop that, and the instalments then
pay those costs first (art. 6:44 BW). The plan's letter names only the amount owed on the day
it was agreed, so `regeling` tells the user.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren.cli import main
from debiteuren.workbook.template import template_path
from debiteuren.workbook.write import append_table_rows, set_settings


def book(tmp_path: Path, letter: date) -> Path:
    """A Dutch consumer owing € 1.000,00 (due 15-01-2026), sent a 14-dagenbrief on ``letter``."""
    wb = openpyxl.load_workbook(template_path())
    set_settings(
        wb,
        {
            "Naam": "Testbedrijf B.V.",
            "Adres": "Oudegracht 1",
            "Postcode": "3511 AA",
            "Plaats": "Utrecht",
            "KvK/KBO-nummer": "12345678",
            "IBAN": "NL91ABNA0417164300",
            "Telefoon": "030 123 45 67",
            "Laatste bankafschrift": date(2026, 2, 10),
        },
    )
    append_table_rows(
        wb,
        "Klanten",
        [
            {
                "number": "K1",
                "name": "Jan Jansen",
                "address": "Dorpsstraat 1",
                "postcode": "1234 AB",
                "city": "Ergens",
                "country": "NL",
                "kind": "Consument",
            }
        ],
    )
    append_table_rows(
        wb,
        "Facturen",
        [
            {
                "number": "F1",
                "debtor": "K1",
                "invoice_date": date(2025, 12, 16),
                "due_date": date(2026, 1, 15),
                "amount": D("1000.00"),
                "description": "Levering",
            }
        ],
    )
    append_table_rows(
        wb,
        "Acties",
        [
            {
                "on": letter,
                "debtor": "K1",
                "invoices": "F1",
                "step": "14-dagenbrief",
                "channel": "post",
                "state": "verzonden",
                "amount_claimed": D("1001.00"),
            }
        ],
    )
    path = tmp_path / "boek.xlsx"
    wb.save(path)
    return path


def regeling(path: Path, day: str):
    args = ["regeling", str(path), "--klant", "K1", "--termijnen", "3", "--eerste", "2026-03-01"]
    return CliRunner().invoke(main, [*args, "--peildatum", day])


def test_a_plan_within_the_term_says_the_costs_come_on_top(tmp_path, monkeypatch):
    # 14-dagenbrief posted Tuesday 03-02-2026, presumed received Wednesday 04-02, term
    # 05-02 to 18-02; unpaid, the WIK costs of 15 % of € 1.000,00 = € 150,00 from 19-02.
    monkeypatch.setattr("debiteuren.cli._now", lambda: datetime(2026, 2, 10, 12))
    path = book(tmp_path, date(2026, 2, 3))
    result = regeling(path, "2026-02-10")

    assert result.exit_code == 0, result.output
    assert (
        "Let op: de termijn van de brief van 03-02-2026 loopt nog tot en met 18-02-2026. "
        "Betaalt de klant in die termijn niet € 1.001,00 (wat de brief vroeg), dan zijn op "
        "19-02-2026 € 150,00 kosten verschuldigd die niet in de regeling zitten, en gaan de "
        "termijnen eerst naar die kosten. Wilt u ze in de regeling, spreek haar dan af na "
        "18-02-2026."
    ) in " ".join(result.output.split())


@pytest.mark.parametrize("day", ["2026-02-19", "2026-02-25"])
def test_a_plan_after_the_term_has_the_costs_in_it_and_no_such_note(tmp_path, monkeypatch, day):
    monkeypatch.setattr("debiteuren.cli._now", lambda: datetime(2026, 2, 28, 12))
    path = book(tmp_path, date(2026, 2, 3))
    result = regeling(path, day)

    assert result.exit_code == 0, result.output
    assert "loopt nog tot en met" not in result.output
