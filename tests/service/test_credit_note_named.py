"""A credit note whose Crediteert factuur names no invoice it lowers: told, not guessed.

A credit note lowers the invoice of its customer whose number is exactly the one in Crediteert
factuur (outer spaces trimmed); any other goes as a payment to the customer's oldest open
invoice. A typo ('F2026-0O12'), other capitals or spaces ('f2026-0012', 'F 2026-0012') or another
customer's invoice went that way without a word. Now every command that reads the book says so,
naming sheet, row and column, and the Overzicht lists it; the figures stay as they were.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from test_payments_import import camt, entry  # the sibling module: a CAMT.053 statement

from debiteuren import cli
from debiteuren.cli import main
from debiteuren.core.claim import unlinked_credit_notes
from debiteuren.core.model import Invoice
from debiteuren.workbook.write import append_table_rows

DAY = "2026-10-15"
HEADING = "Te controleren in het werkboek"


def with_credit_note(demo: Path, credits: str) -> tuple[Path, int]:
    """Add to the demo invoice F2026-0012 of K001 (€ 500,00) and credit note C2026-0001 of
    K001 (€ -100,00) whose Crediteert factuur is ``credits``; return the book and the credit
    note's row on Facturen."""
    book = openpyxl.load_workbook(demo)
    invoice = {"debtor": "K001", "is_credit_note": "Nee", "description": "Drukwerk"}
    rows = append_table_rows(
        book,
        "Facturen",
        [
            {
                **invoice,
                "number": "F2026-0012",
                "invoice_date": date(2026, 9, 1),
                "due_date": date(2026, 10, 1),
                "amount": D("500.00"),
            },
            {
                **invoice,
                "number": "C2026-0001",
                "invoice_date": date(2026, 9, 10),
                "due_date": date(2026, 9, 10),
                "amount": D("-100.00"),
                "is_credit_note": "Ja",
                "credits": credits,
            },
        ],
    )
    book.save(demo)
    return demo, rows[1]


def command(*args: str) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output
    return " ".join(result.output.split())


def sheet(path: Path, title: str) -> list[list[object]]:
    ws = openpyxl.load_workbook(path, data_only=True)[title]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def facturen(path: Path) -> dict[str, dict[str, object]]:
    """Return invoice number -> header -> value of the Facturen sheet."""
    header, *rows = sheet(path, "Facturen")
    return {r[0]: dict(zip(header, r, strict=True)) for r in rows if r[0]}


def warning(row: int, typed: str, why: str, todo: str) -> str:
    return (
        f"Facturen, rij {row}, Crediteert factuur: Creditnota C2026-0001 crediteert factuur "
        f"'{typed}', maar {why}. Ze verlaagt dus geen factuur en gaat als betaling naar de "
        "oudste openstaande factuur van klant K001 (zonder openstaande factuur is ze een "
        f"tegoed). {todo}"
    )


MEANT = "Bedoelt u 'F2026-0012'? Typ het nummer precies zoals op Facturen."


@pytest.mark.parametrize(
    ("typed", "todo"),
    [
        (
            "F2026-0O12",
            "Verbeter het nummer; komt die factuur nog, dan verlaagt de creditnota haar zodra ze "
            "op Facturen staat.",
        ),
        ("f2026-0012", MEANT),
        ("f2026-0012 ", MEANT),
        ("F 2026-0012", MEANT),
    ],
)
def test_a_credit_note_naming_no_invoice_is_told_and_changes_nothing_else(
    demo: Path, tmp_path: Path, typed: str, todo: str
):
    # the same book with the cell empty: a credit note meant as a payment to the oldest
    empty, _ = with_credit_note(Path(shutil.copyfile(demo, tmp_path / "leeg.xlsx")), "")
    book, row = with_credit_note(demo, typed)
    expected = warning(row, typed.strip(), "die staat niet op het blad Facturen", todo)
    assert f"Let op: {expected}" in command("bijwerken", book, "--peildatum", DAY)
    command("bijwerken", empty, "--peildatum", DAY)
    # the figures are those of the credit note without an invoice named: nothing else changes
    told, plain = facturen(book), facturen(empty)
    assert told["C2026-0001"].pop("Crediteert factuur") == typed
    assert plain["C2026-0001"].pop("Crediteert factuur") is None
    assert told == plain
    assert told["F2026-0012"]["Openstaand"] == 500  # not lowered: the oldest open got it
    overzicht, without = sheet(book, "Overzicht"), sheet(empty, "Overzicht")
    start = overzicht.index([HEADING, *[None] * (len(overzicht[0]) - 1)])
    assert [r[0] for r in overzicht[start : start + 2]] == [HEADING, f"⚠ {expected}"]
    assert overzicht[: start - 1] + overzicht[start + 2 :] == without  # the blank row above
    # a second run with the same peildatum reads nothing, and still says there is something
    again = command("bijwerken", book, "--peildatum", DAY)
    assert "Niets veranderd sinds de vorige keer" in again
    assert (
        "Let op: 1 melding over het werkboek; zie het blad Overzicht onder Te controleren in "
        "het werkboek."
    ) in again


@pytest.mark.parametrize("typed", ["F2026-0012", "F2026-0012 ", " F2026-0012"])
def test_the_number_as_written_lowers_its_invoice_without_a_word(demo: Path, typed: str):
    book, _ = with_credit_note(demo, typed)
    output = command("bijwerken", book, "--peildatum", DAY)
    assert "Crediteert factuur" not in output and "melding" not in output
    assert facturen(book)["F2026-0012"]["Openstaand"] == 400
    assert HEADING not in [r[0] for r in sheet(book, "Overzicht")]


def test_another_customers_invoice_is_named(demo: Path):
    book, row = with_credit_note(demo, "2026-0035")  # K012's invoice
    expected = warning(
        row,
        "2026-0035",
        "die hoort bij klant K012, niet bij klant K001",
        "Controleer het klantnummer en het factuurnummer.",
    )
    assert f"Let op: {expected}" in command("bijwerken", book, "--peildatum", DAY)


def test_the_commands_that_read_the_book_say_it(demo: Path, tmp_path: Path, monkeypatch):
    book, row = with_credit_note(demo, "F2026-0O12")
    line = "Let op: " + warning(
        row,
        "F2026-0O12",
        "die staat niet op het blad Facturen",
        "Verbeter het nummer; komt die factuur nog, dan verlaagt de creditnota haar zodra ze "
        "op Facturen staat.",
    )
    monkeypatch.setattr(cli, "_now", lambda: datetime(2026, 10, 15, 9, 0))
    letters = command("brieven", book, "--peildatum", DAY, "--proef", "--toch")
    assert line in letters
    plan = ["--klant", "K009", "--termijnen", "3", "--eerste", "2026-11-01", "--peildatum", DAY]
    assert line in command("regeling", book, *plan)
    handover = ["--klant", "K012", "--aan", "NOORDERLICHT", "--peildatum", DAY]
    assert line in command("overdracht", book, *handover)
    assert line in command("export", book, "--per", DAY)
    statement = tmp_path / "afschrift.xml"
    paid = entry("B1", "10.00", "2026-10-14", name="Jean Dupont", iban="BE68539007547034")
    statement.write_text(camt(paid))
    assert line in command("betalingen", book, statement, "--peildatum", DAY, "--stil")


def invoice(number: str, debtor: str = "K1", amount: str = "100.00", credits: str = "") -> Invoice:
    day = date(2026, 9, 1)
    return Invoice(
        number=number,
        debtor=debtor,
        invoice_date=day,
        due_date=day,
        amount=D(amount),
        is_credit_note=D(amount) < 0,
        credits=credits,
    )


def test_unlinked_credit_notes_are_those_the_claim_does_not_link():
    f1, f2 = invoice("F1"), invoice("F2", debtor="K2")
    zero = invoice("F0", amount="0.00")
    notes = [
        invoice("C1", amount="-10.00", credits="F1"),  # linked
        invoice("C2", amount="-10.00", credits="f1"),  # not exactly F1
        invoice("C3", amount="-10.00", credits="F2"),  # K2's
        invoice("C4", amount="-10.00", credits="C1"),  # a credit note
        invoice("C5", amount="-10.00", credits="F0"),  # nothing to lower
        invoice("C6", amount="-10.00"),  # none named: meant as a payment
        invoice("C7", amount="-10.00", credits="X" * 100_000),
    ]
    found = unlinked_credit_notes([f1, f2, zero, *notes])
    assert [(n.number, i.number if i else None) for n, i in found] == [
        ("C2", None),
        ("C3", "F2"),
        ("C4", "C1"),
        ("C5", "F0"),
        ("C7", None),
    ]


def test_excel_lists_them_under_a_heading(demo: Path):
    from debiteuren import service
    from debiteuren.demo import DEMO_AS_OF
    from debiteuren.service.reports import Front, report

    book, row = with_credit_note(demo, "f2026-0012")
    result = service.update(book, DEMO_AS_OF, now=datetime(2026, 10, 15, 9, 0))
    notes = report(result, Front.EXCEL).notes
    at = notes.index("Te controleren in het werkboek:")
    assert notes[at + 1] == "• " + warning(
        row, "f2026-0012", "die staat niet op het blad Facturen", MEANT
    )


def test_an_e_invoice_credit_note_before_its_invoice_lowers_it_once_it_comes(
    demo: Path, tmp_path: Path
):
    """The import already said that credit note 2026-0205 names 2026-9999, not on Facturen;
    bijwerken says it too until the invoice is there, and then lowers it."""
    from test_einvoice_import import variant  # the sibling module: UBL fixtures

    from debiteuren.service.einvoice import import_invoices

    path = variant(tmp_path, "creditnote.xml", "cn.xml", ("2026-0057", "2026-9999"))
    now = datetime(2026, 10, 15, 9, 0)
    (f,) = import_invoices(demo, [path], now=now, as_of=date(2026, 10, 15)).files
    assert f.status == "toegevoegd" and "2026-9999" in f.messages[-1]
    row = facturen(demo)["2026-0205"]
    assert row["Crediteert factuur"] == "2026-9999"
    told = command("bijwerken", demo, "--peildatum", DAY)
    assert "Creditnota 2026-0205 crediteert factuur '2026-9999', maar die staat niet op" in told
    book = openpyxl.load_workbook(demo)
    invoice = {"number": "2026-9999", "debtor": "K003", "amount": D("1000.00")}
    day = {"invoice_date": date(2026, 10, 1), "due_date": date(2026, 10, 31)}
    append_table_rows(book, "Facturen", [{**invoice, **day, "is_credit_note": "Nee"}])
    book.save(demo)
    output = command("bijwerken", demo, "--peildatum", DAY)
    assert "Crediteert factuur" not in output and "melding" not in output
    assert facturen(demo)["2026-9999"]["Openstaand"] == 758  # 1,000.00 - 242.00


def test_past_the_first_hundred_checks_the_overzicht_says_where_the_rest_are(demo):
    """Past OVERVIEW_LIST_CAP, the Overzicht said the other checks 'staan ook in de uitvoer
    van bijwerken', which shows five of them and points back to the Overzicht: the rest stood
    nowhere. It now says how to find them on Facturen."""
    import dataclasses

    from debiteuren.core.book import overview
    from debiteuren.demo import DEMO_AS_OF
    from debiteuren.service.pipeline import assess, read_book
    from debiteuren.workbook import write

    loaded = read_book(demo, DEMO_AS_OF, for_writing=False)
    ov = overview(assess(loaded, DEMO_AS_OF), loaded.data.invoices)
    checks = tuple(f"Facturen, rij {k}, Crediteert factuur: …" for k in range(2, 106))
    ws = write.overview_book(dataclasses.replace(ov, checks=checks))["Overzicht"]
    texts = [row[0].value for row in ws.iter_rows() if isinstance(row[0].value, str)]
    start = texts.index(HEADING)
    assert texts[start + 1 : start + 1 + write.OVERVIEW_LIST_CAP] == [
        f"⚠ {c}" for c in checks[:100]
    ]
    assert texts[start + 1 + write.OVERVIEW_LIST_CAP] == (
        "… en nog 4 meldingen (de eerste 100 staan hierboven; filter op het blad Facturen de "
        "kolom Creditnota op Ja en vergelijk bij elke creditnota Crediteert factuur met de "
        "factuurnummers)."
    )
