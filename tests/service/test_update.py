"""bijwerken on real files: figures, idempotence, safety, and what an accountant opens."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren import service
from debiteuren.cli import main
from debiteuren.core.book import assess_book
from debiteuren.core.rates import builtin
from debiteuren.demo import DEMO_AS_OF
from debiteuren.errors import ValidationFailed
from debiteuren.workbook.files import FileLocked, FileReadOnly
from debiteuren.workbook.read import read_workbook
from debiteuren.workbook.template import template_path
from debiteuren.workbook.write import append_table_rows, set_settings

NOW = datetime(2026, 11, 27, 10, 0)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def small_book(tmp_path: Path, invoices, customers, payments=(), actions=(), settings=None) -> Path:
    book = openpyxl.load_workbook(template_path())
    set_settings(
        book,
        {
            "Naam": "Testbedrijf B.V.",
            "Adres": "Oudegracht 1",
            "Postcode": "3511 AA",
            "Plaats": "Utrecht",
            "KvK/KBO-nummer": "12345678",
            "IBAN": "NL91ABNA0417164300",
            "E-mail": "debiteuren@testbedrijf.example",
            **(settings or {}),
        },
    )
    append_table_rows(book, "Klanten", list(customers))
    append_table_rows(book, "Facturen", list(invoices))
    if payments:
        append_table_rows(book, "Betalingen", list(payments))
    if actions:
        append_table_rows(book, "Acties", list(actions))
    path = tmp_path / "boek.xlsx"
    book.save(path)
    return path


def facturen(path: Path) -> dict[str, dict[str, object]]:
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb["Facturen"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    return {r[0]: dict(zip(head, r, strict=False)) for r in rows[1:] if r[0]}


def test_b2_and_tv08_through_the_workbook(tmp_path):
    path = small_book(
        tmp_path,
        invoices=[
            {
                "number": "B2",
                "debtor": "BE1",
                "invoice_date": date(2025, 3, 1),
                "due_date": date(2025, 3, 31),
                "amount": D("1000.00"),
            },
            {
                "number": "TV08",
                "debtor": "NL1",
                "invoice_date": date(2025, 1, 1),
                "due_date": date(2025, 1, 31),
                "amount": D("1000.00"),
            },
        ],
        customers=[
            {"number": "BE1", "name": "Garage NV", "country": "BE", "kind": "Onderneming"},
            {"number": "NL1", "name": "P. de Vries", "country": "NL", "kind": "Consument"},
        ],
        payments=[
            {"on": date(2025, 4, 30), "amount": D("500.00"), "debtor": "NL1", "invoice": "TV08"}
        ],
        actions=[
            {
                "on": date(2025, 2, 3),
                "debtor": "NL1",
                "invoices": "TV08",
                "step": "14-dagenbrief",
                "channel": "post",
            }
        ],
    )
    service.update(path, date(2025, 5, 30), now=NOW)
    rows = facturen(path)
    b2 = rows["B2"]
    assert (b2["Rente"], b2["Kosten"], b2["Totaal"], b2["Dagen te laat"]) == (
        18.9,
        40.0,
        1058.9,
        60,
    )
    service.update(path, date(2025, 7, 31), now=NOW)
    tv08 = facturen(path)["TV08"]
    assert (tv08["Betaald"], tv08["Openstaand"], tv08["Rente"], tv08["Totaal"]) == (
        500.0,
        664.63,
        10.05,
        674.68,
    )
    assert tv08["Fase"] == "Aangemaand" and tv08["Volgende stap"] == "overdracht"


def test_update_writes_the_engine_figures_to_the_cent(demo):
    result = service.update(demo, DEMO_AS_OF, now=NOW)
    data, issues = read_workbook(demo, DEMO_AS_OF)
    assert not issues
    engine = assess_book(
        data.debtors,
        data.invoices,
        data.payments,
        data.actions,
        data.plans,
        data.creditor,
        data.settings,
        builtin().with_rows(data.rate_rows),
        DEMO_AS_OF,
    )
    rows = facturen(demo)
    checked = 0
    for claim in engine.claims.values():
        for c in claim.invoices:
            row = rows[c.invoice.number]
            assert D(str(row["Totaal"])).quantize(D("0.01")) == c.outstanding
            # Openstaand is the unpaid invoice amount; Rente includes capitalised interest
            assert D(str(row["Openstaand"])).quantize(D("0.01")) == c.statement.principal_open
            assert D(str(row["Rente"])).quantize(D("0.01")) == (
                c.statement.capitalised_open + c.statement.interest_open
            )
            assert D(str(row["Kosten"])).quantize(D("0.01")) == c.statement.costs_open
            assert D(str(row["Betaald"])).quantize(D("0.01")) == c.statement.paid
            checked += 1
    assert checked == len([i for i in data.invoices if not i.is_credit_note])
    # the Overzicht total is the sum of the rows
    total = sum(D(str(r["Totaal"])) for r in rows.values() if isinstance(r["Totaal"], int | float))
    assert total.quantize(D("0.01")) == result.overview.outstanding


def test_values_are_values_for_calamine_and_openpyxl(demo):
    from python_calamine import CalamineWorkbook

    service.update(demo, DEMO_AS_OF, now=NOW)
    sheet = CalamineWorkbook.from_path(str(demo)).get_sheet_by_name("Facturen").to_python()
    head = sheet[0]
    totals = [r[head.index("Totaal")] for r in sheet[1:] if r[0]]
    assert all(isinstance(t, float) or t == "" for t in totals)
    assert any(t and t > 0 for t in totals)
    wb = openpyxl.load_workbook(demo)  # not data_only: still no formulas
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=")
        for row in wb["Facturen"].iter_rows()
        for c in row
    )
    overview = CalamineWorkbook.from_path(str(demo)).get_sheet_by_name("Overzicht").to_python()
    assert overview[0][0] == "Overzicht debiteuren"
    assert wb["Overzicht"]._charts, "the aging chart is there"


def test_second_update_is_a_no_op(demo):
    service.update(demo, DEMO_AS_OF, now=NOW)
    before = sha(demo)
    result = service.update(demo, DEMO_AS_OF, now=NOW)
    assert result.cells_changed == 0 and not result.saved
    assert sha(demo) == before


def test_a_save_without_a_changed_cell_says_the_overzicht_was_updated(demo):
    # e.g. every invoice paid: a new peildatum changes only the Overzicht, and "0 cellen
    # bijgewerkt" next to a new backup read as if nothing had happened
    from dataclasses import replace

    from debiteuren.service import reports

    result = service.update(demo, DEMO_AS_OF, now=NOW)
    texts = [line.text for line in reports.lines(replace(result, cells_changed=0))]
    assert f"Alleen het Overzicht bijgewerkt in {demo.name} (reservekopie: " in "\n".join(texts)
    assert not any(t.startswith("0 cellen") for t in texts)


def test_user_columns_sheets_and_formats_survive(demo):
    wb = openpyxl.load_workbook(demo)
    ws = wb["Facturen"]
    extra_col = ws.max_column + 2
    ws.cell(row=1, column=extra_col, value="Mijn opmerking")
    ws.cell(row=2, column=extra_col, value="bellen na de vakantie")
    ws.cell(row=2, column=extra_col).font = openpyxl.styles.Font(bold=True, color="FF0000")
    own = wb.create_sheet("Eigen berekening")
    own["A1"] = "Budget"
    own["B1"] = 1234.5
    own["C1"] = "=B1*2"
    wb.save(demo)
    service.update(demo, DEMO_AS_OF, now=NOW)
    wb = openpyxl.load_workbook(demo)
    assert wb["Facturen"].cell(row=2, column=extra_col).value == "bellen na de vakantie"
    assert wb["Facturen"].cell(row=2, column=extra_col).font.bold
    assert wb["Eigen berekening"]["C1"].value == "=B1*2"
    assert wb["Facturen"].cell(row=1, column=extra_col).value == "Mijn opmerking"


def test_reordered_columns_are_written_by_header(tmp_path, demo):
    service.update(demo, DEMO_AS_OF, now=NOW)
    expected = facturen(demo)
    # move the "Totaal" header and values to another place: swap two computed columns
    wb = openpyxl.load_workbook(demo)
    ws = wb["Facturen"]
    head = [c.value for c in ws[1]]
    a, b = head.index("Rente") + 1, head.index("Totaal") + 1
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        row[a - 1].value, row[b - 1].value = row[b - 1].value, None
    wb.save(demo)
    service.update(demo, DEMO_AS_OF, now=NOW)
    got = facturen(demo)
    for number, row in expected.items():
        assert got[number]["Totaal"] == row["Totaal"]


def test_bad_input_leaves_the_file_untouched(demo):
    wb = openpyxl.load_workbook(demo)
    ws = wb["Facturen"]
    head = [c.value for c in ws[1]]
    ws.cell(row=12, column=head.index("Vervaldatum") + 1, value="morgen")
    ws.cell(row=5, column=head.index("Bedrag (incl. btw)") + 1, value="veel")
    wb.save(demo)
    before = sha(demo)
    with pytest.raises(ValidationFailed) as info:
        service.update(demo, DEMO_AS_OF, now=NOW)
    text = info.value.message
    assert "Facturen, rij 12, Vervaldatum" in text and "'morgen'" in text
    assert "Facturen, rij 5, Bedrag (incl. btw)" in text
    assert sha(demo) == before
    result = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    assert result.exit_code == 2
    assert "Facturen, rij 12, Vervaldatum" in result.output
    assert sha(demo) == before
    assert not list(demo.parent.glob(".~debiteuren-*"))


def test_refuses_a_workbook_open_in_excel(demo):
    lock = demo.with_name("~$" + demo.name)
    lock.write_bytes(b"owner")
    before = sha(demo)
    with pytest.raises(FileLocked, match="geopend in Excel"):
        service.update(demo, DEMO_AS_OF, now=NOW)
    assert sha(demo) == before
    result = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    assert result.exit_code == 2 and "Sluit het bestand" in result.output


def test_refuses_a_read_only_workbook(demo):
    os.chmod(demo, 0o444)
    before = sha(demo)
    try:
        with pytest.raises(FileReadOnly, match="alleen-lezen"):
            service.update(demo, DEMO_AS_OF, now=NOW)
    finally:
        os.chmod(demo, 0o644)
    assert sha(demo) == before


def test_backups_keep_the_last_five(demo):
    for day in range(1, 9):
        service.update(demo, date(2026, 10, 15 + day), now=datetime(2026, 11, day, 9, 0))
    copies = sorted((demo.parent / "reservekopieen").glob("demo-*.xlsx"))
    assert len(copies) == 5
    assert copies[-1].name == "demo-20261108-090000.xlsx"


def test_nieuw_refuses_to_overwrite(tmp_path):
    path = tmp_path / "nieuw.xlsx"
    assert CliRunner().invoke(main, ["nieuw", str(path)]).exit_code == 0
    before = sha(path)
    result = CliRunner().invoke(main, ["nieuw", str(path)])
    assert result.exit_code == 2 and "bestaat al" in result.output
    assert sha(path) == before


def test_demo_command(tmp_path):
    result = CliRunner().invoke(main, ["demo", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert "Voorbeeldwerkboek" in result.output
    assert (tmp_path / "d" / "voorbeeld-debiteuren.xlsx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_updated_workbook(demo, tmp_path):
    service.update(demo, DEMO_AS_OF, now=NOW)
    out = tmp_path / "pdf"
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(demo)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / "demo.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000


def test_one_invoice_one_customer_one_letter_are_singular(tmp_path):
    # "1 open facturen (1 vervallen) bij 1 klanten." and "1 daarvan staat als concept: ze
    # tellen pas als ze verstuurd zijn" on a first workbook with one customer.
    path = small_book(
        tmp_path,
        invoices=[
            {
                "number": "F1",
                "debtor": "K1",
                "invoice_date": date(2026, 9, 1),
                "due_date": date(2026, 9, 15),
                "amount": D("100.00"),
            }
        ],
        customers=[
            {
                "number": "K1",
                "name": "Jan Test",
                "address": "Straat 1",
                "postcode": "1234 AB",
                "city": "Utrecht",
                "country": "NL",
                "kind": "Consument",
            }
        ],
    )
    runner = CliRunner()
    for _ in range(2):  # computed, then recognised as unchanged
        result = runner.invoke(main, ["bijwerken", str(path), "--peildatum", "2026-10-15"])
        assert result.exit_code == 0, result.output
        assert "Peildatum 15-10-2026: 1 open factuur (1 vervallen) bij 1 klant." in result.output
    result = runner.invoke(
        main, ["brieven", str(path), "--peildatum", "2026-10-15", "--geen-pdf", "--stil"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "1 daarvan staat als concept: hij telt pas als hij verstuurd is. Post u hem of "
        "verstuurt u het e-mailconcept, leg dat dan vast met: debiteuren verzonden"
    ) in result.output


def test_a_payment_to_review_says_how_to_link_it(tmp_path):
    """The demo listed 'Te controleren op het blad Betalingen: 1 betaling ...' and its row,
    and left a newcomer to find out in the README what to do with it."""
    result = CliRunner().invoke(main, ["demo", str(tmp_path / "demo"), "--geen-pdf"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert (
        "rij 19: 14-10-2026 € 162,50 van Stichting Buurthuis De Linde – Bijdrage drukwerk "
        "jubileumfeest Koppelen: vul op die rij Klantnr of Factuurnr in (de kolom Kandidaten "
        "noemt de facturen die in aanmerking komen) en zet de Status op Gematcht."
    ) in text
