"""Customers abroad through every command: refused or followed under the right law, and said so.

The demo workbook gets three customers abroad: a German business (K101, letters in German), a
French consumer (K102, refused until Toepasselijk recht is set) and a Swedish business (K103,
letters in English, no EPC QR code: Sweden pays in kronor).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal as D
from email import message_from_bytes, policy
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.errors import ValidationFailed
from debiteuren.letters.render import letter_text
from debiteuren.service.export import SHEET_BE, SHEET_ITEMS, SHEET_VAT_NL, export
from debiteuren.service.handover import handover
from debiteuren.workbook.read import open_book
from debiteuren.workbook.write import append_table_rows

NOW = datetime(2026, 10, 15, 9, 30)
CUSTOMERS = [
    {
        "number": "K101",
        "name": "Müller Haustechnik GmbH",
        "contact": "Herr Jonas Müller",
        "address": "Jülicher Straße 112",
        "postcode": "52070",
        "city": "Aachen",
        "country": "DE",
        "kind": "Onderneming",
        "language": "de",
        "email": "buchhaltung@mueller-haustechnik.de",
        "vat_number": "DE136695976",
        "handed_over": "Nee",
    },
    {
        "number": "K102",
        "name": "Camille Martin",
        "address": "12 rue de la Paix",
        "postcode": "75002",
        "city": "Paris",
        "country": "FR",
        "kind": "Consument",
        "language": "fr",
        "email": "",
        "handed_over": "Nee",
    },
    {
        "number": "K103",
        "name": "Nordljus Design AB",
        "address": "Sveavägen 44",
        "postcode": "111 34",
        "city": "Stockholm",
        "country": "SE",
        "kind": "Onderneming",
        "language": "en",
        "email": "",
        "handed_over": "Nee",
    },
]


def invoice(number: str, customer: str, amount: str) -> dict[str, object]:
    return {
        "number": number,
        "debtor": customer,
        "invoice_date": date(2026, 8, 3),
        "due_date": date(2026, 9, 2),
        "amount": float(amount),
        "description": "Drukwerk",
        "is_credit_note": "Nee",
        "disputed": "Nee",
    }


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def set_law(path: Path, customer: str, law: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Klanten"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[head.index("Klantnr")].value == customer:
            row[head.index("Toepasselijk recht")].value = law
    wb.save(path)


@pytest.fixture
def demo(demo: Path) -> Path:
    path = demo  # the shared demo workbook (conftest), changed here
    book = open_book(path)
    append_table_rows(book, "Klanten", CUSTOMERS)
    append_table_rows(
        book,
        "Facturen",
        [
            invoice("2026-0301", "K101", "2420.00"),
            invoice("2026-0302", "K102", "300.00"),
            invoice("2026-0303", "K103", "1500.00"),
        ],
    )
    book.save(path)
    return path


@pytest.fixture
def chosen(demo) -> Path:
    set_law(demo, "K102", "NL")
    service.update(demo, DEMO_AS_OF, now=NOW)
    return demo


def test_a_french_consumer_stops_every_command_until_the_law_is_set(demo):
    before = sha(demo)
    with pytest.raises(ValidationFailed) as refused:
        service.update(demo, DEMO_AS_OF, now=NOW)
    [issue] = refused.value.issues
    assert (issue.source.sheet, issue.source.column) == ("Klanten", "Toepasselijk recht")
    assert "Klant K102 is een consument in Frankrijk" in issue.message
    assert "(Rome I-Verordening, art. 6)" in issue.message
    assert sha(demo) == before
    set_law(demo, "K102", "NL")
    service.update(demo, DEMO_AS_OF, now=NOW)  # now it reads


def test_the_overzicht_names_the_law_of_each_customer_abroad(chosen):
    ws = openpyxl.load_workbook(chosen)["Overzicht"]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    start = next(
        i for i, r in enumerate(rows) if r[0] == "Klanten in het buitenland: toepasselijk recht"
    )
    assert rows[start + 1][:4] == ("Klantnr", "Naam", "Land", "Toepasselijk recht")
    listed = {r[0]: r[2:4] for r in rows[start + 2 : start + 5]}
    assert listed == {
        "K101": (
            "Duitsland",
            "Nederlands recht: de klant is een onderneming in Duitsland; zonder andere keuze "
            "geldt het recht van de verkoper of dienstverlener (Rome I-Verordening, art. 4 lid 1 "
            "onder a en b)",
        ),
        "K102": (
            "Frankrijk",
            "Nederlands recht, gekozen in de kolom Toepasselijk recht: de klant is een consument "
            "in Frankrijk; de dwingende regels van dat land blijven gelden als u uw verkoop op "
            "dat land richtte (Rome I-Verordening, art. 6)",
        ),
        "K103": (
            "Zweden",
            "Nederlands recht: de klant is een onderneming in Zweden; zonder andere keuze geldt "
            "het recht van de verkoper of dienstverlener (Rome I-Verordening, art. 4 lid 1 onder "
            "a en b)",
        ),
    }
    facturen = openpyxl.load_workbook(chosen)["Facturen"]
    head = [c.value for c in facturen[1]]
    values = {
        r[head.index("Factuurnr")]: r
        for r in facturen.iter_rows(min_row=2, values_only=True)
        if r[0]
    }
    # 2,420.00 at the Dutch commercial rate of 2026 H2 (10.40 %, unconfirmed) from 3 September
    # to 15 October 2026 (43 days) and 40 euro (art. 6:96 lid 4 BW)
    row = values["2026-0301"]
    interest = (D("2420.00") * D("10.40") / 100 * 43 / 365).quantize(D("0.01"))
    assert D(str(row[head.index("Rente")])) == interest == D("29.65")
    assert D(str(row[head.index("Kosten")])) == D("40.00")
    # the French consumer owes no costs without a 14-dagenbrief (art. 6:96 lid 6 BW)
    assert D(str(values["2026-0302"][head.index("Kosten")])) == 0


def test_letters_abroad_speak_the_customers_language_and_say_which_law_applies(chosen, tmp_path):
    made = {}
    for customer in ("K101", "K102", "K103"):
        result = service.letters(chosen, DEMO_AS_OF, now=NOW, customer=customer, pdf=False)
        [letter] = result.letters
        made[customer] = (result, Document(letter.docx))
    german, consumer, swedish = (made[k] for k in ("K101", "K102", "K103"))
    text = letter_text(german[0].letters[0].docx.read_bytes())
    assert "Zahlungserinnerung" in text and "Sehr geehrte Damen und Herren," in text
    assert "52070  Aachen\nDEUTSCHLAND" in text
    mail = message_from_bytes(german[0].letters[0].eml.read_bytes(), policy=policy.default)
    assert mail["Subject"] == "Zahlungserinnerung – Drukkerij De Letterzetter B.V."
    body = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("Sehr geehrte Damen und Herren,\n\nim Anhang erhalten Sie unser")
    # a business abroad needs no warning about its law (only the 2026 H2 rate is unconfirmed)
    assert not any("Toepasselijk recht" in w for w in german[0].warnings)
    assert (
        "klant K102 is een consument in Frankrijk; debiteuren past Nederlands recht toe omdat u "
        "dat koos in de kolom Toepasselijk recht. De dwingende regels van Frankrijk blijven voor "
        "deze klant gelden als u uw verkoop op dat land richtte (Rome I-Verordening, art. 6)."
    ) in consumer[0].warnings
    assert "Rappel de paiement" in letter_text(consumer[0].letters[0].docx.read_bytes())

    def images(doc) -> int:
        return len(doc.element.body.findall(".//" + qn("a:blip")))

    assert images(german[1]) == 1  # Germany pays in euro over SEPA
    assert images(swedish[1]) == 0  # Sweden: IBAN, BIC and the RF reference, no QR code
    swedish_text = letter_text(swedish[0].letters[0].docx.read_bytes())
    assert "reference" in swedish_text and "RF" in swedish_text and "SWEDEN" in swedish_text


def test_the_accountant_export_keeps_customers_abroad_off_the_vat_sheets(chosen, tmp_path):
    result = export(chosen, DEMO_AS_OF, out_dir=tmp_path / "export")
    wb = openpyxl.load_workbook(result.workbook)
    items = list(wb[SHEET_ITEMS].iter_rows(values_only=True))
    head = list(next(r for r in items if "Klantnr" in r))
    lands = {
        r[head.index("Klantnr")]: r[head.index("Land")]
        for r in items
        if r and r[0] in ("K101", "K102", "K103")
    }
    assert lands == {"K101": "DE", "K102": "FR", "K103": "SE"}
    vat_sheets = [
        str(v)
        for name in (SHEET_VAT_NL, SHEET_BE)
        for r in wb[name].iter_rows(values_only=True)
        for v in r
    ]
    assert not any(k in vat_sheets for k in ("K101", "K102", "K103"))


def test_the_dossier_names_the_applicable_law(chosen, tmp_path):
    r = handover(
        chosen,
        DEMO_AS_OF,
        customer="K101",
        to="Incassobureau Noord",
        now=datetime(2026, 10, 15, 10),
        force=True,
        out_dir=tmp_path / "dossiers",
    )
    record = json.loads((r.folder / "debiteur.json").read_text("utf-8"))
    assert (record["land"], record["toepasselijk_recht"]) == ("DE", "NL")
    ws = openpyxl.load_workbook(r.folder / "specificatie.xlsx").worksheets[0]
    info = {row[0]: row[1] for row in ws.iter_rows(max_row=12, values_only=True)}
    assert info["Toepasselijk recht"].startswith(
        "Nederlands recht: de klant is een onderneming in Duitsland"
    )
    spec = letter_text((r.folder / "specificatie.docx").read_bytes())
    assert "Toepasselijk recht" in spec and "Duitsland; onderneming" in spec
