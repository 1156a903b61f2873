"""Customer credit (tegoed) on the Overzicht and in the report of bijwerken and betalingen.

What a customer paid (or was credited) beyond all its invoices stays with the business; the
bookkeeper sees who and how much, to pay it back or set it off against a next invoice.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from test_payments_import import camt, entry  # the sibling module: a CAMT.053 statement

from debiteuren import service
from debiteuren.cli import main
from debiteuren.core.book import overview
from debiteuren.demo import DEMO_AS_OF
from debiteuren.letters.render import letter_text
from debiteuren.outputs.specification import REOPENED
from debiteuren.service.pipeline import assess, read_book
from debiteuren.workbook import digest, write
from debiteuren.workbook.template import template_path
from debiteuren.workbook.write import append_table_rows, set_settings

NOW = datetime(2026, 10, 15, 12, 0)
HEADING = "Tegoed: klanten die te veel betaalden"
LINE_K010 = "1 klant heeft € 35,00 tegoed (te veel betaald); zie het Overzicht."


def overzicht(path: Path) -> list[tuple]:
    """Return the Overzicht's rows as values, without the empty cells at their end."""
    ws = openpyxl.load_workbook(path, data_only=True)["Overzicht"]
    rows = []
    for row in ws.iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        rows.append(tuple(values))
    return rows


def credit_section(path: Path) -> list[tuple]:
    """Return the rows of the section on credit: heading to advice, or [] when there is none."""
    rows = overzicht(path)
    if (HEADING,) not in rows:
        return []
    start = rows.index((HEADING,))
    end = rows.index((), start)
    return rows[start:end]


def bijwerken(path: Path) -> str:
    result = CliRunner().invoke(main, ["bijwerken", str(path), "--peildatum", "2026-10-15"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def overpaid(demo: Path) -> Path:
    """The demo workbook where Jean Dupont (K010: 2026-0061, -0098 and -0135, € 465,00 open
    without interest or costs) paid € 500,00 on 14-10-2026: € 35,00 too much."""
    book = openpyxl.load_workbook(demo)
    append_table_rows(
        book,
        "Betalingen",
        [
            {
                "on": date(2026, 10, 14),
                "amount": D("500.00"),
                "debtor": "K010",
                "invoice": "2026-0061",
            }
        ],
    )
    book.save(demo)
    return demo


def test_the_overzicht_lists_the_customer_who_paid_too_much(overpaid):
    output = bijwerken(overpaid)

    assert LINE_K010 in output.splitlines()
    assert credit_section(overpaid) == [
        (HEADING,),
        ("Klantnr", "Naam", "Tegoed"),
        ("K010", "Jean Dupont", 35),
        ("Totaal tegoed", None, 35),
        (write.CREDIT_ADVICE,),
    ]
    ws = openpyxl.load_workbook(overpaid)["Overzicht"]
    amounts = [c for row in ws.iter_rows() for c in row if c.value == 35]
    assert [c.number_format for c in amounts] == [write.MONEY_FORMAT] * 2
    # K010 owes nothing more, so it is in no other list of the sheet
    assert [r for r in overzicht(overpaid) if r and r[0] == "K010"] == [("K010", "Jean Dupont", 35)]
    # the unchanged run says the same from the figures stored in the file
    stored = digest.read_summary(digest.custom_properties(overpaid)[digest.SUMMARY_PROPERTY])
    assert (stored["tegoed_klanten"], stored["tegoed"]) == ("1", "35.00")
    again = bijwerken(overpaid)
    assert "Niets veranderd sinds de vorige keer" in again
    assert LINE_K010 in again.splitlines()


def _refund(path: Path, amount: str, **extra: object) -> None:
    """Add a refund to K010 on 15-10-2026 (Betalingen: a negative amount, Status
    Terugbetaling)."""
    book = openpyxl.load_workbook(path)
    row = {"on": date(2026, 10, 15), "amount": D(amount), "debtor": "K010"}
    append_table_rows(book, "Betalingen", [{**row, "status": "Terugbetaling", **extra}])
    book.save(path)


def test_a_refund_of_the_credit_takes_the_customer_off_the_list(overpaid):
    # Before, a refund could not be entered (an amount below zero was refused): the € 35,00
    # stayed on the Overzicht, in the export and at a hand-over, and paid the next invoice.
    _refund(overpaid, "-35.00")
    output = bijwerken(overpaid)

    assert "tegoed" not in output
    assert credit_section(overpaid) == []
    facturen = {
        r[0]: r for r in openpyxl.load_workbook(overpaid)["Facturen"].iter_rows(values_only=True)
    }
    assert facturen["2026-0061"][1] == "K010"


def test_a_partial_refund_leaves_the_rest(overpaid):
    _refund(overpaid, "-20.00")
    assert (
        "1 klant heeft € 15,00 tegoed (te veel betaald); zie het Overzicht."
        in bijwerken(overpaid).splitlines()
    )
    assert credit_section(overpaid)[2] == ("K010", "Jean Dupont", 15)


@pytest.mark.parametrize(
    ("amount", "extra", "column", "message"),
    [
        (
            "35.00",
            {},
            "Bedrag",
            "Een terugbetaling is geld dat naar de klant terugging: zet een min voor het bedrag "
            "(€ -35,00).",
        ),
        (
            "-35.00",
            {"invoice": "2026-0061"},
            "Factuurnr",
            "Een terugbetaling gaat af van het tegoed van de klant, niet van één factuur",
        ),
    ],
)
def test_a_refund_that_cannot_be_one_is_refused_and_the_file_kept(
    overpaid, amount, extra, column, message
):
    _refund(overpaid, amount, **extra)
    before = overpaid.read_bytes()
    result = CliRunner().invoke(main, ["bijwerken", str(overpaid), "--peildatum", "2026-10-15"])

    row = openpyxl.load_workbook(overpaid)["Betalingen"].max_row  # the refund, the last row
    assert result.exit_code == 2
    assert f"Betalingen, rij {row}, {column}: {message}" in result.output, result.output
    assert message in result.output
    assert overpaid.read_bytes() == before


def test_betalingen_says_who_paid_too_much(demo, tmp_path):
    service.update(demo, DEMO_AS_OF, now=NOW)
    statement = tmp_path / "afschrift.xml"
    statement.write_text(
        camt(
            entry(
                "B1",
                "500.00",
                "2026-10-14",
                name="Jean Dupont",
                iban="BE68539007547034",
                structured="RF6020260061",  # invoice 2026-0061 of K010
            )
        )
    )
    args = ["betalingen", str(demo), str(statement), "--peildatum", "2026-10-15", "--stil"]
    result = CliRunner().invoke(main, args)

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == LINE_K010
    assert credit_section(demo)[2:4] == [("K010", "Jean Dupont", 35), ("Totaal tegoed", None, 35)]


def test_a_book_without_credit_has_no_such_section_or_line(demo):
    output = bijwerken(demo)

    assert "tegoed" not in output
    assert credit_section(demo) == []
    stored = digest.read_summary(digest.custom_properties(demo)[digest.SUMMARY_PROPERTY])
    assert "tegoed" not in stored and "tegoed_klanten" not in stored


def _small_book(path: Path, names: dict[str, str], invoices: list, payments: list) -> Path:
    """Write a new workbook at ``path`` with the customers ``names`` (number -> name, Dutch
    businesses) and the Facturen and Betalingen rows given."""
    book = openpyxl.load_workbook(template_path())
    set_settings(
        book, {"Naam": "Testbedrijf B.V.", "Plaats": "Utrecht", "IBAN": "NL91ABNA0417164300"}
    )
    customers = [
        {"number": n, "name": name, "country": "NL", "kind": "Onderneming"}
        for n, name in names.items()
    ]
    append_table_rows(book, "Klanten", customers)
    append_table_rows(book, "Facturen", invoices)
    append_table_rows(book, "Betalingen", payments)
    book.save(path)
    return path


def test_overpayment_and_a_credit_note_beyond_the_invoice_both_count(tmp_path):
    """K1 paid 130,00 on an invoice of 100,00; K2's credit note of 150,00 credits an invoice of
    100,00; K3 still owes 200,00 and has no credit."""
    day, due = date(2026, 9, 1), date(2026, 10, 1)
    invoice = {"invoice_date": day, "due_date": due}
    path = _small_book(
        tmp_path / "boek.xlsx",
        {"K1": "Bakkerij Smit", "K2": "=Gevaarlijk", "K3": "Kapper Jan"},
        [
            {"number": "F1", "debtor": "K1", "amount": D("100.00"), **invoice},
            {"number": "F2", "debtor": "K2", "amount": D("100.00"), **invoice},
            {
                "number": "C2",
                "debtor": "K2",
                "amount": D("-150.00"),
                "is_credit_note": "Ja",
                "credits": "F2",
                "invoice_date": date(2026, 9, 10),
                "due_date": date(2026, 9, 10),
            },
            {"number": "F3", "debtor": "K3", "amount": D("200.00"), **invoice},
        ],
        [{"on": date(2026, 9, 20), "amount": D("130.00"), "debtor": "K1", "invoice": "F1"}],
    )

    output = bijwerken(path)

    line = "2 klanten hebben samen € 80,00 tegoed (te veel betaald); zie het Overzicht."
    assert line in output.splitlines()
    assert credit_section(path)[2:5] == [
        ("K1", "Bakkerij Smit", 30),
        ("K2", "=Gevaarlijk", 50),  # a text, never a formula
        ("Totaal tegoed", None, 80),
    ]


@pytest.mark.parametrize("shared", [False, True])
def test_a_payment_of_a_customer_without_invoices_is_credit(tmp_path, monkeypatch, shared):
    """K2 paid € 75,00 in advance and has no invoice yet. Before, only customers with invoices
    were assessed: the money reached the bank and showed nowhere (not on the Overzicht, not in
    the export, not as a payment to check). Now it is K2's credit, also when the book is
    assessed on two cores (``shared``)."""
    from debiteuren.service import shards

    if shared:
        monkeypatch.setattr(shards, "MIN_INVOICES", 0)
    invoice = {"invoice_date": date(2026, 9, 1), "due_date": date(2026, 10, 1)}
    path = _small_book(
        tmp_path / "boek.xlsx",
        {"K1": "Bakkerij Smit", "K2": "Voorschot B.V.", "K3": "Kapper Jan"},
        [
            {"number": "F1", "debtor": "K1", "amount": D("100.00"), **invoice},
            {"number": "F3", "debtor": "K3", "amount": D("200.00"), **invoice},
        ],
        [{"on": date(2026, 9, 20), "amount": D("75.00"), "debtor": "K2", "text": "voorschot"}],
    )

    output = bijwerken(path)

    assert "1 klant heeft € 75,00 tegoed (te veel betaald); zie het Overzicht." in output
    assert credit_section(path)[2:4] == [("K2", "Voorschot B.V.", 75), ("Totaal tegoed", None, 75)]
    loaded = read_book(path, DEMO_AS_OF, for_writing=False)
    claim = assess(loaded, DEMO_AS_OF).claims["K2"]
    assert (claim.invoices, claim.unallocated) == ((), D("75.00"))
    # a first invoice for K2 is paid with it
    book = openpyxl.load_workbook(path)
    append_table_rows(
        book, "Facturen", [{"number": "F2", "debtor": "K2", "amount": D("60.00"), **invoice}]
    )
    book.save(path)
    assert "€ 15,00 tegoed" in bijwerken(path)


@pytest.mark.parametrize("shared", [False, True])
def test_a_refund_with_no_payment_to_take_it_from_is_shown(tmp_path, monkeypatch, shared):
    """K2 has no invoice and no payment, but a refund of € 40,00 (the payment it refunded was
    never entered). Before, its claim of minus € 40,00 credit showed nowhere: money that left
    the bank is shown too, to check; also when the book is assessed on two cores."""
    from debiteuren.service import shards

    if shared:
        monkeypatch.setattr(shards, "MIN_INVOICES", 0)
    invoice = {"invoice_date": date(2026, 9, 1), "due_date": date(2026, 10, 1)}
    refund = {"on": date(2026, 9, 20), "amount": D("-40.00"), "debtor": "K2"}
    path = _small_book(
        tmp_path / "boek.xlsx",
        {"K1": "Bakkerij Smit", "K2": "Voorschot B.V.", "K3": "Kapper Jan"},
        [
            {"number": "F1", "debtor": "K1", "amount": D("100.00"), **invoice},
            {"number": "F3", "debtor": "K3", "amount": D("200.00"), **invoice},
        ],
        [{**refund, "status": "Terugbetaling"}],
    )

    output = bijwerken(path)

    assert (
        "Let op: 1 klant kreeg € 40,00 meer terugbetaald dan er van hen op Betalingen staat; "
        "zie het Overzicht." in output.splitlines()
    )
    rows = overzicht(path)
    start = rows.index(("Te controleren: meer terugbetaald dan ontvangen",))
    assert rows[start : start + 4] == [
        ("Te controleren: meer terugbetaald dan ontvangen",),
        ("Klantnr", "Naam", "Meer terugbetaald"),
        ("K2", "Voorschot B.V.", 40),
        (write.REFUNDED_ADVICE,),
    ]
    assert credit_section(path) == []  # no credit
    # the unchanged run says the same from the figures stored in the file
    again = bijwerken(path)
    assert "Niets veranderd sinds de vorige keer" in again
    assert (
        "Let op: 1 klant kreeg € 40,00 meer terugbetaald dan er van hen op Betalingen staat; "
        "zie het Overzicht." in again.splitlines()
    )


def test_a_long_list_shows_the_first_ones_and_the_total_of_all(demo):
    loaded = read_book(demo, DEMO_AS_OF, for_writing=False)
    ov = overview(assess(loaded, DEMO_AS_OF), loaded.data.invoices)
    debtor = ov.debtors[0].debtor
    many = write.OVERVIEW_LIST_CAP + 3
    credits = tuple(
        (dataclasses.replace(debtor, number=f"K{k:04d}"), D("0.01") * k) for k in range(1, many + 1)
    )
    ws = write.overview_book(dataclasses.replace(ov, credits=credits))["Overzicht"]
    rows = [tuple(c.value for c in row[:3]) for row in ws.iter_rows()]
    start = rows.index((HEADING, None, None))
    shown = rows[start + 2 : start + 2 + write.OVERVIEW_LIST_CAP]
    assert shown[0][::2] == ("K0001", D("0.01")) and shown[-1][::2] == ("K0100", D("1.00"))
    more, total = rows[start + 2 + write.OVERVIEW_LIST_CAP : start + 4 + write.OVERVIEW_LIST_CAP]
    assert more[0].startswith("… en nog 3 klanten (de eerste 100 staan hierboven;")
    assert total == ("Totaal tegoed", None, D("53.56"))  # 0,01 + … + 1,03 = 103 × 104 / 2 cents
    assert ov.credits == () and dataclasses.replace(ov, credits=credits).credit_total == total[2]


def test_the_hand_over_shows_the_principal_a_refund_took_back(overpaid):
    """K010 paid € 500,00 for € 465,00 and got € 100,00 back: € 35,00 credit and € 65,00 of
    2026-0135 (the invoice paid last) open again; the bailiff sees why."""
    _refund(overpaid, "-100.00", text="te veel betaald")
    result = service.handover(
        overpaid,
        date(2026, 12, 1),
        customer="K010",
        to="Incasso B.V.",
        now=datetime(2026, 12, 1, 10),
        force=True,
        confirm_stale=True,
    )
    assert result.invoices == ("2026-0135",)
    ws = openpyxl.load_workbook(result.folder / "specificatie.xlsx")
    allocated = [r for r in ws["Betalingen"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert [(r[0], r[2], r[5]) for r in allocated] == [
        ("2026-0135", 110, 75),
        ("2026-0135", -65, -65),
    ]
    received = [r[1:4] for r in ws["Ontvangen"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert (-100, None, "terugbetaald aan de klant: te veel betaald") in received
    text = letter_text((result.folder / "specificatie.docx").read_bytes())
    assert REOPENED in text


def test_a_storno_after_a_refund_leaves_the_refund_owed(demo, tmp_path):
    """K010 paid € 500,00 for € 465,00 and got € 35,00 back; then the € 500,00 came back by a
    storno. He owes € 465,00 + € 35,00. Before, the refund became a negative credit that no
    sheet showed: Facturen said € 465,00 and the export "€ -35,00 ... tegoed van klanten"."""
    iban = "BE41063012345610"
    paid = entry("B1", "500.00", "2026-10-14", name="Jean Dupont", iban=iban, text="2026-0061")
    storno = entry("B2", "500.00", "2026-10-15", name="Jean Dupont", iban=iban, reversal=True)
    runner = CliRunner()
    for k, line in enumerate((paid, storno)):
        if k:  # the refund, typed before the statement with the storno is read
            book = openpyxl.load_workbook(demo)
            refund = {"on": date(2026, 10, 15), "amount": D("-35.00"), "debtor": "K010"}
            append_table_rows(book, "Betalingen", [{**refund, "status": "Terugbetaling"}])
            book.save(demo)
        statement = tmp_path / f"afschrift-{k}.xml"
        statement.write_text(camt(line, stmt=f"S{k}"))
        args = ["betalingen", str(demo), str(statement), "--peildatum", "2026-10-15", "--stil"]
        assert runner.invoke(main, args).exit_code == 0

    statuses = [
        r[10]
        for r in openpyxl.load_workbook(demo)["Betalingen"].iter_rows()
        if r[2].value == "K010"
    ]
    assert [c.value for c in statuses] == ["Teruggeboekt", "Terugbetaling"]
    facturen = openpyxl.load_workbook(demo, data_only=True)["Facturen"].iter_rows(values_only=True)
    k010 = {r[0]: r[14] for r in facturen if r[1] == "K010"}  # Openstaand
    assert k010 == {"2026-0061": 240, "2026-0098": 150, "2026-0135": 110}
    assert credit_section(demo) == []
