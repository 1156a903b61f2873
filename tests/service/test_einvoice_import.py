"""facturen: UBL e-invoices into Facturen and Klanten, duplicates refused, broken files harmless."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from debiteuren import service
from debiteuren.cli import main
from debiteuren.demo import DEMO_AS_OF
from debiteuren.errors import ValidationFailed
from debiteuren.service.einvoice import import_invoices, language_for
from debiteuren.workbook.files import BACKUP_DIR, FileLocked
from debiteuren.workbook.read import read_workbook
from debiteuren.workbook.template import template_path
from debiteuren.workbook.write import append_table_rows, set_settings

UBL = Path(__file__).parent.parent / "fixtures" / "ubl"
NOW = datetime(2026, 10, 15, 9, 0)
GOOD = [
    "invoice-due-date.xml",
    "invoice-no-due-date.xml",
    "invoice-ogm.xml",
    "invoice-multi-vat.xml",
    "creditnote.xml",
    "invoice-payment-terms.xml",
]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def again_changes_nothing(demo, files, status: str) -> None:
    """Import ``files`` again: each gets ``status``, nothing is saved, the file is unchanged."""
    before = sha(demo)
    again = import_invoices(demo, files, now=NOW, as_of=DEMO_AS_OF)
    assert [f.status for f in again.files] == [status] * len(files)
    assert not again.saved and again.backup is None
    assert sha(demo) == before


@pytest.fixture
def demo(tmp_path) -> Path:
    return service.demo_workbook(tmp_path / "demo.xlsx")


def rows_of(path: Path, sheet: str, key: str) -> dict[str, dict[str, object]]:
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[0])
    return {
        r[head.index(key)]: dict(zip(head, r, strict=False)) for r in rows[1:] if r[head.index(key)]
    }


def variant(tmp_path: Path, source: str, name: str, *changes: tuple[str, str]) -> Path:
    text = (UBL / source).read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    return target


def test_every_fixture_lands_in_facturen_and_klanten(demo):
    before_customers = set(rows_of(demo, "Klanten", "Klantnr"))
    result = import_invoices(demo, [UBL / f for f in GOOD], now=NOW, as_of=DEMO_AS_OF)
    assert [f.status for f in result.files] == ["toegevoegd"] * 6
    assert result.saved and result.backup is not None and result.backup.exists()
    assert result.backup.parent.name == BACKUP_DIR
    assert result.new_customers == ("K013", "K014", "K015")
    by_file = {f.file.name: f for f in result.files}
    assert (
        by_file["invoice-due-date.xml"].customer,
        by_file["invoice-due-date.xml"].new_customer,
    ) == ("K003", False)
    assert by_file["invoice-multi-vat.xml"].customer == "K009"  # BE VAT number = KBO number
    assert by_file["creditnote.xml"].customer == "K003"  # by exact name
    assert "herkend aan KvK/KBO-nummer" in by_file["invoice-due-date.xml"].messages[0]
    assert "herkend aan naam" in by_file["creditnote.xml"].messages[0]

    facturen = rows_of(demo, "Facturen", "Factuurnr")
    expected = {
        "2026-0201": (
            "K003",
            date(2026, 10, 1),
            date(2026, 10, 31),
            1210.0,
            "Bouwplaatsborden",
            "Nee",
            "6000 0000 0202 6201",
            "Ingelezen uit e-factuur invoice-due-date.xml",
        ),
        "2026-0202": (
            "K013",
            date(2026, 10, 5),
            date(2026, 11, 4),
            302.5,
            "Etiketten bloemstukken",
            "Nee",
            None,
            "Ingelezen uit e-factuur invoice-no-due-date.xml",
        ),
        "2026-0203": (
            "K014",
            date(2026, 10, 2),
            date(2026, 11, 1),
            605.0,
            "Affiches A2",
            "Nee",
            "+++002/0260/20307+++",
            "Ingelezen uit e-factuur invoice-ogm.xml",
        ),
        "2026-0204": (
            "K009",
            date(2026, 10, 6),
            date(2026, 11, 5),
            1372.0,
            "Werkplaatshandleidingen",
            "Nee",
            "+++002/0260/20408+++",
            "Ingelezen uit e-factuur invoice-multi-vat.xml; vooruitbetaald € 100,00",
        ),
        "2026-0205": (
            "K003",
            date(2026, 10, 8),
            date(2026, 10, 22),
            -242.0,
            "Correctie opleveringsmappen",
            "Ja",
            "RF52 2026 0205",
            "Ingelezen uit e-factuur creditnote.xml; creditnota op factuur 2026-0057",
        ),
        "2026-0206": (
            "K015",
            date(2026, 10, 9),
            date(2026, 10, 23),
            121.0,
            "Naamkaartjes",
            "Nee",
            None,
            "Ingelezen uit e-factuur invoice-payment-terms.xml",
        ),
    }
    for number, (debtor, issued, due, amount, text, credit, reference, note) in expected.items():
        row = facturen[number]
        assert row["Klantnr"] == debtor
        assert row["Factuurdatum"].date() == issued
        assert row["Vervaldatum"].date() == due
        assert row["Bedrag (incl. btw)"] == amount
        assert row["Omschrijving"] == text
        assert row["Creditnota"] == credit
        assert row["Betwist"] == "Nee"
        assert row["Betalingskenmerk"] == reference
        assert row["Notitie"] == note

    klanten = rows_of(demo, "Klanten", "Klantnr")
    assert set(klanten) - before_customers == {"K013", "K014", "K015"}
    wanted = {
        "K013": {
            "Naam": "Bloemenhandel Flora B.V.",
            "Contactpersoon": "Fleur de Bruin",
            "Adres": "Bloemgracht 12",
            "Postcode": "1015 TH",
            "Plaats": "Amsterdam",
            "Land": "NL",
            "Soort": "Onderneming",
            "E-mail": "inkoop@flora.nl",
            "Telefoon": "020 123 45 67",
            "Taal": "nl",
            "KvK/KBO": "61234567",
            "Btw-nummer": "NL004495445B01",
        },
        "K014": {
            "Naam": "Imprimerie Mosane SRL",
            "Contactpersoon": "Claire Dubois",
            "Adres": "Rue de Fer 25",
            "Postcode": "5000",
            "Plaats": "Namur",
            "Land": "BE",
            "Soort": "Onderneming",
            "E-mail": "compta@mosane.be",
            "Telefoon": "+32 81 22 33 44",
            "Taal": "fr",
            "KvK/KBO": "0456.789.133",
            "Btw-nummer": "BE0456789133",
        },
        "K015": {
            "Naam": "Drukwerk Vlaanderen BV",
            "Contactpersoon": "Jan Peeters",
            "Adres": "Meir 10",
            "Postcode": "2000",
            "Plaats": "Antwerpen",
            "Land": "BE",
            "Soort": "Onderneming",
            "E-mail": "facturen@drukwerkvlaanderen.be",
            "Telefoon": "+32 3 123 45 67",
            "Taal": "nl",
            "KvK/KBO": "0812.345.603",
            "Btw-nummer": "BE0812345603",
        },
    }
    for number, fields in wanted.items():
        for header, value in fields.items():
            assert klanten[number][header] == value, (number, header)
        assert klanten[number]["Betaaltermijn (dagen)"] is None

    # the workbook stays valid and the engine takes the new invoices
    data, issues = read_workbook(demo, DEMO_AS_OF)
    assert not issues
    assert {"2026-0201", "2026-0206"} <= {i.number for i in data.invoices}
    update = service.update(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 10, 0))
    assert "K014" in update.assessment.claims


def test_messages_say_what_was_assumed(demo):
    result = import_invoices(
        demo,
        [UBL / "invoice-no-due-date.xml", UBL / "invoice-payment-terms.xml"],
        now=NOW,
        as_of=DEMO_AS_OF,
    )
    no_due, terms = result.files
    assert no_due.messages == (
        "Factuur 2026-0202 toegevoegd: € 302,50, vervalt 04-11-2026, klant K013 Bloemenhandel "
        "Flora B.V. (nieuwe klant).",
        "Klant K013 toegevoegd op het blad Klanten: Nederland, onderneming, taal nl.",
        "De e-factuur noemt geen vervaldatum; de vervaldatum is gezet op 04-11-2026: "
        "factuurdatum plus de standaardtermijn van 30 dagen. Pas die aan als u iets anders "
        "afsprak.",
    )
    assert no_due.due_date == date(2026, 11, 4) and no_due.amount == D("302.50")
    assert terms.messages[-1] == (
        "De vervaldatum 23-10-2026 is afgeleid uit de "
        "betalingsvoorwaarden 'Betaling binnen 14 dagen na "
        "factuurdatum': factuurdatum plus 14 dagen."
    )


def small_book(tmp_path: Path, customers=(), invoices=()) -> Path:
    book = openpyxl.load_workbook(template_path())
    set_settings(
        book,
        {
            "Naam": "Drukkerij De Letterzetter B.V.",
            "Btw-nummer": "NL812345678B01",
            "IBAN": "NL91ABNA0417164300",
        },
    )
    if customers:
        append_table_rows(book, "Klanten", list(customers))
    if invoices:
        append_table_rows(book, "Facturen", list(invoices))
    path = tmp_path / "klein.xlsx"
    book.save(path)
    return path


def test_due_date_from_the_customers_payment_term(tmp_path):
    path = small_book(
        tmp_path,
        customers=[
            {
                "number": "C-0099",
                "name": "Flora",
                "country": "NL",
                "kind": "Onderneming",
                "registration": "61234567",
                "payment_term_days": 14,
            },
        ],
    )
    result = import_invoices(path, [UBL / "invoice-no-due-date.xml"], now=NOW, as_of=DEMO_AS_OF)
    (f,) = result.files
    assert (f.status, f.customer, f.new_customer) == ("toegevoegd", "C-0099", False)
    assert f.due_date == date(2026, 10, 19)
    assert "factuurdatum plus de betaaltermijn van de klant (14 dagen)" in f.messages[-1]
    assert rows_of(path, "Facturen", "Factuurnr")["2026-0202"]["Vervaldatum"].date() == date(
        2026, 10, 19
    )


def test_new_numbers_continue_the_pattern(tmp_path):
    path = small_book(
        tmp_path,
        customers=[
            {"number": "C-0099", "name": "Een", "country": "NL", "kind": "Onderneming"},
            {"number": "C-0007", "name": "Twee", "country": "NL", "kind": "Consument"},
        ],
    )
    result = import_invoices(
        path,
        [UBL / "invoice-ogm.xml", UBL / "invoice-payment-terms.xml"],
        now=NOW,
        as_of=DEMO_AS_OF,
    )
    assert result.new_customers == ("C-0100", "C-0101")


def test_first_customer_of_an_empty_book_is_k001(tmp_path):
    path = small_book(tmp_path)
    result = import_invoices(path, [UBL / "invoice-ogm.xml"], now=NOW, as_of=DEMO_AS_OF)
    assert result.new_customers == ("K001",)


def test_same_new_buyer_twice_in_a_batch_is_one_customer(tmp_path, demo):
    second = variant(
        tmp_path,
        "invoice-ogm.xml",
        "tweede.xml",
        ("<cbc:ID>2026-0203</cbc:ID>", "<cbc:ID>2026-0299</cbc:ID>"),
    )
    result = import_invoices(demo, [UBL / "invoice-ogm.xml", second], now=NOW, as_of=DEMO_AS_OF)
    assert [f.customer for f in result.files] == ["K013", "K013"]
    assert result.new_customers == ("K013",)
    assert "herkend aan KvK/KBO-nummer" in result.files[1].messages[0]


def test_name_match_ignores_case_and_spaces(tmp_path, demo):
    path = variant(
        tmp_path,
        "creditnote.xml",
        "cn.xml",
        (
            "<cbc:RegistrationName>Bouwbedrijf Van Dam B.V.</cbc:RegistrationName>",
            "<cbc:RegistrationName>BOUWBEDRIJF  van dam b.v.</cbc:RegistrationName>",
        ),
    )
    result = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF)
    assert result.files[0].customer == "K003"


@pytest.mark.parametrize(
    ("country", "postcode", "language"),
    [
        ("BE", "1000", "fr"),
        ("BE", "1210", "fr"),
        ("BE", "1300", "fr"),
        ("BE", "1500", "nl"),
        ("BE", "2000", "nl"),
        ("BE", "3000", "nl"),
        ("BE", "4000", "fr"),
        ("BE", "4700", "de"),
        ("BE", "6600", "fr"),
        ("BE", "7999", "fr"),
        ("BE", "8000", "nl"),
        ("BE", "9000", "nl"),
        ("BE", "B-5000", "fr"),
        ("BE", "", "nl"),
        ("NL", "6211 AB", "nl"),
    ],
)
def test_language_by_postcode(country, postcode, language):
    assert language_for(country, postcode) == language


def test_duplicates_are_refused_and_the_rest_imported(tmp_path, demo):
    existing = variant(
        tmp_path,
        "invoice-due-date.xml",
        "bestaat.xml",
        ("<cbc:ID>2026-0201</cbc:ID>", "<cbc:ID>2026-0057</cbc:ID>"),
    )
    result = import_invoices(
        demo,
        [
            UBL / "invoice-due-date.xml",
            existing,
            UBL / "invoice-due-date.xml",
            UBL / "invoice-ogm.xml",
        ],
        now=NOW,
        as_of=DEMO_AS_OF,
    )
    assert [f.status for f in result.files] == [
        "toegevoegd",
        "geweigerd",
        "geweigerd",
        "toegevoegd",
    ]
    row = openpyxl.load_workbook(demo)["Facturen"]
    assert (
        result.files[1]
        .messages[0]
        .startswith("Factuur 2026-0057 staat al in het werkboek (Facturen, rij ")
    )
    assert result.files[2].messages == (
        "Factuur 2026-0201 staat al in invoice-due-date.xml in deze reeks; deze e-factuur is "
        "overgeslagen.",
    )
    numbers = [r[0] for r in row.iter_rows(min_row=2, values_only=True) if r[0]]
    assert numbers.count("2026-0201") == 1 and numbers.count("2026-0057") == 1
    assert not result.failed

    # a second run adds nothing and leaves the file untouched
    again_changes_nothing(demo, [UBL / "invoice-due-date.xml"], "geweigerd")


def test_duplicate_check_ignores_case(tmp_path, demo):
    path = variant(
        tmp_path,
        "invoice-due-date.xml",
        "f.xml",
        ("<cbc:ID>2026-0201</cbc:ID>", "<cbc:ID>inv-1</cbc:ID>"),
    )
    other = variant(
        tmp_path,
        "invoice-ogm.xml",
        "g.xml",
        ("<cbc:ID>2026-0203</cbc:ID>", "<cbc:ID>INV-1</cbc:ID>"),
    )
    result = import_invoices(demo, [path, other], now=NOW, as_of=DEMO_AS_OF)
    assert [f.status for f in result.files] == ["toegevoegd", "geweigerd"]
    assert result.new_customers == ()  # the refused file's new buyer is not added


@pytest.mark.parametrize("name", ["broken.xml", "missing-payable.xml"])
def test_a_broken_file_changes_nothing(demo, name):
    before = sha(demo)
    result = import_invoices(demo, [UBL / name], now=NOW, as_of=DEMO_AS_OF)
    (f,) = result.files
    assert f.failed and f.status == "fout"
    assert name in f.messages[0]
    assert f.messages[0].endswith("Er is niets uit dit bestand ingelezen.")
    assert not result.saved
    assert sha(demo) == before
    assert not (demo.parent / BACKUP_DIR).exists()


def test_a_broken_file_among_good_ones(demo):
    result = import_invoices(
        demo,
        [UBL / "broken.xml", UBL / "invoice-ogm.xml", UBL / "missing-payable.xml"],
        now=NOW,
        as_of=DEMO_AS_OF,
    )
    assert [f.status for f in result.files] == ["fout", "toegevoegd", "fout"]
    numbers = set(rows_of(demo, "Facturen", "Factuurnr"))
    assert "2026-0203" in numbers and "2026-0207" not in numbers and "2026-0201" not in numbers


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        (
            (
                (
                    "<cbc:IdentificationCode>BE</cbc:IdentificationCode>\n        </cac:Country>\n      "
                    "</cac:PostalAddress>\n      <cac:PartyTaxScheme>\n        <cbc:CompanyID>BE0456",
                    "<cbc:IdentificationCode>XX</cbc:IdentificationCode>\n        </cac:Country>\n      "
                    "</cac:PostalAddress>\n      <cac:PartyTaxScheme>\n        <cbc:CompanyID>BE0456",
                ),
            ),
            "heeft landcode 'XX', en dat is geen land (ISO 3166)",
        ),
        (
            (("<cbc:DocumentCurrencyCode>EUR", "<cbc:DocumentCurrencyCode>USD"),),
            "is in USD; debiteuren rekent alleen in euro",
        ),
        (
            (
                ("<cbc:IssueDate>2026-10-02", "<cbc:IssueDate>2026-10-20"),
                ("<cbc:DueDate>2026-11-01", "<cbc:DueDate>2026-11-20"),
            ),
            "ligt na vandaag (15-10-2026)",
        ),
    ],
)
def test_refused_files_change_nothing(tmp_path, demo, changes, words):
    path = variant(tmp_path, "invoice-ogm.xml", "anders.xml", *changes)
    before = sha(demo)
    result = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF)
    (f,) = result.files
    assert f.status == "fout"
    assert words in f.messages[0]
    assert f.messages[0].endswith("Er is niets uit dit bestand ingelezen.")
    assert sha(demo) == before


def test_a_known_foreign_buyer_is_still_matched(tmp_path, demo):
    # K003 exists (NL); an address abroad does not matter once the buyer is known
    path = variant(
        tmp_path,
        "invoice-due-date.xml",
        "f.xml",
        (
            "<cbc:IdentificationCode>NL</cbc:IdentificationCode>\n        </cac:Country>\n"
            "      </cac:PostalAddress>\n      <cac:PartyTaxScheme>\n        "
            "<cbc:CompanyID>NL853",
            "<cbc:IdentificationCode>DE</cbc:IdentificationCode>\n        </cac:Country>\n"
            "      </cac:PostalAddress>\n      <cac:PartyTaxScheme>\n        "
            "<cbc:CompanyID>NL853",
        ),
    )
    result = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF)
    assert result.files[0].customer == "K003"


def test_a_different_seller_is_imported_with_a_warning(tmp_path, demo):
    path = variant(
        tmp_path,
        "invoice-ogm.xml",
        "ander.xml",
        (
            "<cbc:CompanyID>NL812345678B01</cbc:CompanyID>",
            "<cbc:CompanyID>NL004495445B01</cbc:CompanyID>",
        ),
    )
    result = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF)
    (f,) = result.files
    assert f.status == "toegevoegd"
    assert any(
        m.startswith(
            "Let op: de verkoper in deze e-factuur (Drukkerij De Letterzetter "
            "B.V., btw-nummer NL004495445B01) is niet uw bedrijf"
        )
        for m in f.messages
    )
    ours = import_invoices(demo, [UBL / "invoice-payment-terms.xml"], now=NOW, as_of=DEMO_AS_OF)
    assert not any("Let op" in m for m in ours.files[0].messages)


def _purchase_invoice(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """Return invoice-ogm.xml with seller and buyer swapped: an invoice to the demo business."""
    text = (UBL / "invoice-ogm.xml").read_text(encoding="utf-8")
    seller = text.split("<cac:AccountingSupplierParty>")[1].split("</cac:AccountingSupplierParty>")[
        0
    ]
    buyer = text.split("<cac:AccountingCustomerParty>")[1].split("</cac:AccountingCustomerParty>")[
        0
    ]
    text = text.replace(seller, "SELLER").replace(buyer, seller).replace("SELLER", buyer)
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "inkoop.xml"
    path.write_text(text, encoding="utf-8")
    return path


def _buyer_shown(changes) -> str:
    """Return the buyer's name the refusal quotes: the one the changes write, if any."""
    new = [n for o, n in changes if "RegistrationName" in o]
    return new[0].split(">")[1].split("<")[0] if new else "Drukkerij De Letterzetter B.V."


@pytest.mark.parametrize(
    ("changes", "how"),
    [
        ((), "btw-nummer NL812345678B01"),
        (
            (("<cbc:CompanyID>NL812345678B01</cbc:CompanyID>", "<cbc:CompanyID/>"),),
            "KvK/KBO-nummer 30123456",
        ),
        (  # a small supplier names the buyer only (legal form written otherwise): it was added
            # as a new customer K013 'Drukkerij De Letterzetter B.V.', a claim on ourselves
            (
                ("<cbc:CompanyID>NL812345678B01</cbc:CompanyID>", "<cbc:CompanyID/>"),
                ('<cbc:CompanyID schemeID="0106">30123456</cbc:CompanyID>', ""),
                ('<cbc:EndpointID schemeID="0106">30123456</cbc:EndpointID>', ""),
                (
                    "<cbc:RegistrationName>Drukkerij De Letterzetter B.V.</cbc:RegistrationName>",
                    "<cbc:RegistrationName>DRUKKERIJ DE LETTERZETTER BV</cbc:RegistrationName>",
                ),
            ),
            "naam, en geen btw- of KvK/KBO-nummer",
        ),
    ],
)
def test_an_invoice_to_ones_own_business_is_refused(tmp_path, demo, changes, how):
    """It was added, with the creditor as a new customer: a claim on ourselves."""
    before = sha(demo)
    path = _purchase_invoice(tmp_path, *changes)
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "fout"
    assert f.messages == (
        "Factuur 2026-0203 is gericht aan uw eigen bedrijf (de koper, "
        f"{_buyer_shown(changes)}, heeft uw {how}): dit is een inkoopfactuur, geen vordering op een "
        "klant. Er is niets uit dit bestand ingelezen.",
    )
    assert sha(demo) == before


def test_a_buyer_with_our_name_but_another_vat_number_is_a_customer(tmp_path, demo):
    """Another business of the same name (its own VAT number) is no purchase invoice."""
    path = _purchase_invoice(
        tmp_path,
        (
            "<cbc:CompanyID>NL812345678B01</cbc:CompanyID>",
            "<cbc:CompanyID>BE0477472701</cbc:CompanyID>",
        ),
        ('<cbc:CompanyID schemeID="0106">30123456</cbc:CompanyID>', ""),
        ('<cbc:EndpointID schemeID="0106">30123456</cbc:EndpointID>', ""),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.amount) == ("toegevoegd", "K013", D("605.00"))


def test_invalid_ogm_is_kept_as_text_with_a_warning(tmp_path, demo):
    path = variant(
        tmp_path, "invoice-ogm.xml", "ogm.xml", ("+++002/0260/20307+++", "+++002/0260/20308+++")
    )
    result = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF)
    assert any("controlecijfers kloppen niet" in m for m in result.files[0].messages)
    assert rows_of(demo, "Facturen", "Factuurnr")["2026-0203"]["Betalingskenmerk"] == (
        "+++002/0260/20308+++"
    )


def test_locked_workbook_is_refused_before_anything(demo):
    lock = demo.with_name("~$" + demo.name)
    lock.write_text("x")
    before = sha(demo)
    with pytest.raises(FileLocked):
        import_invoices(demo, [UBL / "invoice-ogm.xml"], now=NOW, as_of=DEMO_AS_OF)
    assert sha(demo) == before


def test_a_workbook_with_problems_is_not_changed(tmp_path):
    path = small_book(
        tmp_path,
        invoices=[
            {
                "number": "X1",
                "debtor": "ONBEKEND",
                "invoice_date": date(2026, 1, 1),
                "amount": D("10.00"),
            },
        ],
    )
    before = sha(path)
    with pytest.raises(ValidationFailed):
        import_invoices(path, [UBL / "invoice-ogm.xml"], now=NOW, as_of=DEMO_AS_OF)
    assert sha(path) == before


def test_cli_reports_each_file_and_fails_on_a_broken_one(demo):
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "facturen",
            str(demo),
            str(UBL / "invoice-ogm.xml"),
            str(UBL / "broken.xml"),
            "--peildatum",
            "2026-10-15",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "invoice-ogm.xml: Factuur 2026-0203 toegevoegd: € 605,00" in result.output
    assert "  - Klant K013 toegevoegd op het blad Klanten: België, onderneming, taal fr." in (
        result.output
    )
    assert "broken.xml: FOUT, niet ingelezen. E-factuur 'broken.xml'" in result.output
    assert "1 factuur toegevoegd; 1 nieuwe klant (K013); 1 met een fout." in result.output
    again = runner.invoke(
        main, ["facturen", str(demo), str(UBL / "invoice-ogm.xml"), "--peildatum", "2026-10-15"]
    )
    assert again.exit_code == 0, again.output
    assert "invoice-ogm.xml: geweigerd. Factuur 2026-0203 staat al in het werkboek" in (
        again.output
    )
    assert "Het werkboek is niet gewijzigd." in again.output


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (b"factuur-\xe9t\xe9.xml".decode("utf-8", "surrogateescape"), "factuur-\ufffdt\ufffd.xml"),
        ("factuur\nregel.xml", "factuur\ufffdregel.xml"),
    ],
)
def test_a_file_name_that_cannot_be_printed_is_shown_with_a_mark(tmp_path, demo, name, shown):
    """A name saved under another code page (bytes that are no UTF-8) stopped the command with
    a UnicodeEncodeError after the workbook was saved; a line break split the report line."""
    path = tmp_path / name
    path.write_bytes((UBL / "invoice-ogm.xml").read_bytes())
    result = CliRunner().invoke(
        main, ["facturen", str(demo), str(path), "--peildatum", "2026-10-15"]
    )
    assert result.exit_code == 0, result.output
    assert f"{shown}: Factuur 2026-0203 toegevoegd" in result.output
    notes = rows_of(demo, "Facturen", "Factuurnr")["2026-0203"]
    assert f"Ingelezen uit e-factuur {shown}" in str(notes.values())


def test_cli_missing_workbook_is_one_line(tmp_path):
    result = CliRunner().invoke(
        main, ["facturen", str(tmp_path / "weg.xlsx"), str(UBL / "invoice-ogm.xml")]
    )
    assert result.exit_code == 2
    assert result.output.startswith("Fout: ")


def test_texts_from_the_file_never_become_formulas(tmp_path, demo):
    import zipfile

    path = variant(
        tmp_path,
        "invoice-ogm.xml",
        "boos.xml",
        (
            "<cbc:RegistrationName>Imprimerie Mosane SRL</cbc:RegistrationName>",
            "<cbc:RegistrationName>=1+1</cbc:RegistrationName>",
        ),
        ("<cbc:Name>Affiches A2</cbc:Name>", '<cbc:Name>=HYPERLINK("http://x","y")</cbc:Name>'),
        ("<cbc:Name>Claire Dubois</cbc:Name>", "<cbc:Name>@SUM(A1)</cbc:Name>"),
    )
    result = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF)
    assert result.files[0].status == "toegevoegd"
    wb = openpyxl.load_workbook(demo)
    cells = [c for ws in (wb["Facturen"], wb["Klanten"]) for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in ("=1+1", '=HYPERLINK("http://x","y")', "@SUM(A1)"):
        assert texts[text].data_type == "s" and texts[text].quotePrefix
    with zipfile.ZipFile(demo) as archive:  # the demo has no formulas; none were added
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
    data, issues = read_workbook(demo, DEMO_AS_OF)
    assert not issues
    assert data.debtors["K013"].name == "=1+1"
    assert next(i for i in data.invoices if i.number == "2026-0203").description == (
        '=HYPERLINK("http://x","y")'
    )


def test_doctests():
    import doctest

    from debiteuren.service import einvoice as module

    assert doctest.testmod(module).failed == 0


# --- buyers abroad ------------------------------------------------------------------------------


def test_a_swedish_buyers_euro_invoice_imports_under_the_creditors_law(demo):
    result = import_invoices(demo, [UBL / "invoice-sweden.xml"], now=NOW, as_of=DEMO_AS_OF)
    (f,) = result.files
    assert f.status == "toegevoegd" and f.new_customer and result.saved
    assert f.messages[:2] == (
        "Factuur 2026-0210 toegevoegd: € 1.500,00, vervalt 05-11-2026, klant K013 Nordljus "
        "Design AB (nieuwe klant).",
        "Klant K013 toegevoegd op het blad Klanten: Zweden, onderneming, taal en. Toepasselijk "
        "recht: Nederlands recht, het recht van uw eigen land, zoals zonder andere keuze voor "
        "een verkoop aan een onderneming (Rome I-Verordening, art. 4); kies in de kolom "
        "Toepasselijk recht een ander als u dat overeenkwam.",
    )
    customer = rows_of(demo, "Klanten", "Klantnr")["K013"]
    assert (customer["Land"], customer["Soort"], customer["Taal"]) == ("SE", "Onderneming", "en")
    assert (customer["Plaats"], customer["Postcode"]) == ("Stockholm", "111 34")
    assert customer["Btw-nummer"] == "SE556703748501" and customer["KvK/KBO"] in (None, "")
    assert customer["Toepasselijk recht"] in (None, "")
    invoice = rows_of(demo, "Facturen", "Factuurnr")["2026-0210"]
    assert (invoice["Klantnr"], invoice["Bedrag (incl. btw)"]) == ("K013", 1500.0)
    assert invoice["Betalingskenmerk"] == "RF14 2026 0210"
    # the workbook reads and computes the new customer: Dutch law, not yet due
    data, issues = read_workbook(demo, DEMO_AS_OF)
    assert issues == [] and data.debtors["K013"].country == "SE"
    again = import_invoices(demo, [UBL / "invoice-sweden.xml"], now=NOW, as_of=DEMO_AS_OF)
    assert again.files[0].status == "geweigerd" and again.new_customers == ()  # known now


def test_a_swedish_buyers_invoice_in_kronor_stays_refused(tmp_path, demo):
    path = variant(
        tmp_path,
        "invoice-sweden.xml",
        "sek.xml",
        ("<cbc:DocumentCurrencyCode>EUR", "<cbc:DocumentCurrencyCode>SEK"),
    )
    before = sha(demo)
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "fout"
    assert f.messages == (
        "Factuur 2026-0210 is in SEK; debiteuren rekent alleen in euro. Vraag de afzender om "
        "de factuur in euro, of zet haar zelf met het bedrag in euro op het blad Facturen. Er "
        "is niets uit dit bestand ingelezen.",
    )
    assert sha(demo) == before


def test_an_invoice_in_dollars_with_a_number_on_facturen_is_refused_for_its_currency(
    tmp_path, demo
):
    """It was skipped as a duplicate ("geweigerd", "staat al in het werkboek"): the user never
    heard the file was in another currency."""
    assert import_invoices(demo, [UBL / "invoice-ogm.xml"], now=NOW, as_of=DEMO_AS_OF).saved
    row = read_workbook(demo, DEMO_AS_OF)[0].invoice_rows["2026-0203"]
    usd = variant(
        tmp_path,
        "invoice-ogm.xml",
        "usd.xml",
        ("<cbc:DocumentCurrencyCode>EUR", "<cbc:DocumentCurrencyCode>USD"),
    )
    before = sha(demo)
    (f,) = import_invoices(demo, [usd], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.invoice) == ("fout", "2026-0203")
    assert f.messages == (
        "Factuur 2026-0203 is in USD; debiteuren rekent alleen in euro. Het nummer staat al "
        f"in het werkboek (Facturen, rij {row}): controleer daar of die regel het bedrag in "
        "euro noemt; een tweede regel met dit nummer is niet nodig. Er is niets uit dit "
        "bestand ingelezen.",
    )
    assert sha(demo) == before


def test_an_invoice_in_dollars_after_its_euro_copy_in_the_batch_names_both(tmp_path, demo):
    usd = variant(
        tmp_path,
        "invoice-ogm.xml",
        "usd.xml",
        ("<cbc:DocumentCurrencyCode>EUR", "<cbc:DocumentCurrencyCode>USD"),
    )
    result = import_invoices(demo, [UBL / "invoice-ogm.xml", usd], now=NOW, as_of=DEMO_AS_OF)
    assert [f.status for f in result.files] == ["toegevoegd", "fout"]
    assert result.files[1].messages[0].startswith("Factuur 2026-0203 is in USD; ")
    assert "Het nummer staat al in invoice-ogm.xml in deze reeks: " in (result.files[1].messages[0])


def test_an_invalid_vat_number_of_a_buyer_abroad_is_left_out(tmp_path, demo):
    path = variant(tmp_path, "invoice-sweden.xml", "vat.xml", ("SE556703748501", "SE556703748502"))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    assert (
        "Btw-nummer niet overgenomen: 'SE556703748502' is geen geldig btw-nummer van Zweden; "
        "controleer het nummer." in f.messages
    )
    assert rows_of(demo, "Klanten", "Klantnr")["K013"]["Btw-nummer"] in (None, "")
    assert read_workbook(demo, DEMO_AS_OF)[1] == []  # the workbook stays readable


_ONE_REFERENCE = (
    "<cac:BillingReference>\n    <cac:InvoiceDocumentReference>\n      <cbc:ID>2026-0057</cbc:ID>"
)


def test_a_credit_note_for_two_invoices_names_neither_in_the_credits_column(tmp_path, demo):
    """All of it on the first invoice lowered that invoice by more than it corrects."""
    second = "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>2026-0058</cbc:ID>"
    second += "</cac:InvoiceDocumentReference></cac:BillingReference>\n  "
    path = variant(tmp_path, "creditnote.xml", "cn2.xml", (_ONE_REFERENCE, second + _ONE_REFERENCE))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    assert (
        "Creditnota 2026-0205 verwijst naar 2 facturen (2026-0058, 2026-0057; "
        "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID) en zegt niet hoeveel voor "
        "elk; ze is ingelezen zonder factuur in de kolom Crediteert factuur en gaat dus als "
        "betaling naar de oudste openstaande factuur. Vul daar zelf een factuur in als ze er "
        "één betreft." in f.messages
    )
    row = rows_of(demo, "Facturen", "Factuurnr")["2026-0205"]
    assert row["Crediteert factuur"] in (None, "") and row["Bedrag (incl. btw)"] == -242


def test_an_invoice_that_names_an_earlier_one_is_no_credit_note_in_its_note(tmp_path, demo):
    path = variant(
        tmp_path,
        "invoice-ogm.xml",
        "final.xml",
        (
            "<cac:AccountingSupplierParty>",
            "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>2026-0100</cbc:ID>"
            "</cac:InvoiceDocumentReference></cac:BillingReference><cac:AccountingSupplierParty>",
        ),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    row = rows_of(demo, "Facturen", "Factuurnr")["2026-0203"]
    assert row["Notitie"] == "Ingelezen uit e-factuur final.xml; verwijst naar factuur 2026-0100"
    assert row["Crediteert factuur"] in (None, "")


_MOSANE_IDS = (
    '<cbc:EndpointID schemeID="0208">0456789133</cbc:EndpointID>',
    "<cbc:CompanyID>BE0456789133</cbc:CompanyID>",
    '<cbc:CompanyID schemeID="0208">0456789133</cbc:CompanyID>',
)


@pytest.mark.parametrize(
    "ids",
    [
        # the Peppol BIS 2 / e-fff scheme name, and its old code 9956
        (
            '<cbc:EndpointID schemeID="BE:CBE">0456789133</cbc:EndpointID>',
            "<cbc:CompanyID></cbc:CompanyID>",
            '<cbc:CompanyID schemeID="9956">0456.789.133</cbc:CompanyID>',
        ),
        # only a party identifier (BT-46) holds it; the address is an e-mail address
        (
            '<cbc:EndpointID schemeID="EM">compta@mosane.be</cbc:EndpointID><cac:PartyIdentification>'
            "<cbc:ID>KL-4471</cbc:ID></cac:PartyIdentification><cac:PartyIdentification><cbc:ID "
            'schemeID="0208">0456789133</cbc:ID></cac:PartyIdentification>',
            "<cbc:CompanyID></cbc:CompanyID>",
            "",
        ),
        # e-fff (Belgian UBL 2.0) names the register in schemeAgencyName
        (
            '<cbc:EndpointID schemeID="EM">compta@mosane.be</cbc:EndpointID><cac:PartyIdentification>'
            '<cbc:ID schemeAgencyID="BE" schemeAgencyName="KBO" schemeURI="http://www.e-fff.be/KBO">'
            "0456789133</cbc:ID></cac:PartyIdentification>",
            "<cbc:CompanyID></cbc:CompanyID>",
            "",
        ),
    ],
)
def test_an_enterprise_number_in_an_older_scheme_or_a_party_identifier_is_read(tmp_path, demo, ids):
    """The new customer had no KBO number (and a known one was not recognised by it)."""
    path = variant(tmp_path, "invoice-ogm.xml", "kbo.xml", *zip(_MOSANE_IDS, ids, strict=True))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd" and f.new_customer
    assert rows_of(demo, "Klanten", "Klantnr")[f.customer]["KvK/KBO"] == "0456.789.133"
    renamed = variant(
        tmp_path,
        "invoice-ogm.xml",
        "kbo2.xml",
        *zip(_MOSANE_IDS, ids, strict=True),
        ("2026-0203", "2026-0299"),
        ("Imprimerie Mosane SRL", "Mosane SRL"),
    )
    (again,) = import_invoices(demo, [renamed], now=NOW, as_of=DEMO_AS_OF).files
    assert (again.customer, again.new_customer) == (f.customer, False)
    assert "herkend aan KvK/KBO-nummer" in again.messages[0]


def test_a_credit_note_with_a_negative_amount_due_is_refused(tmp_path, demo):
    """It was booked as a credit of € 242 (see tests/test_einvoice.py: Peppol reads it as a
    payment by the customer)."""
    payable = '<cbc:PayableAmount currencyID="EUR">242.00</cbc:PayableAmount>'
    with_vat = '<cbc:TaxInclusiveAmount currencyID="EUR">242.00</cbc:TaxInclusiveAmount>'
    path = variant(
        tmp_path,
        "creditnote.xml",
        "cn.xml",
        (payable, payable.replace("242.00", "-242.00")),
        (with_vat, with_vat.replace("242.00", "-242.00")),
    )
    before = sha(demo)
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "fout"
    (message,) = f.messages
    assert message.startswith(
        "E-factuur 'cn.xml' (cac:LegalMonetaryTotal/cbc:PayableAmount): creditnota 2026-0205 "
        "heeft een negatief te betalen bedrag (€ -242,00)."
    )
    assert message.endswith("Er is niets uit dit bestand ingelezen.")
    assert sha(demo) == before


def test_a_negative_invoice_stays_a_credit_without_a_warning(tmp_path, demo):
    path = variant(
        tmp_path,
        "invoice-due-date.xml",
        "neg.xml",
        (
            '<cbc:PayableAmount currencyID="EUR">1210.00</cbc:PayableAmount>',
            '<cbc:PayableAmount currencyID="EUR">-121.00</cbc:PayableAmount>',
        ),
        (
            '<cbc:TaxInclusiveAmount currencyID="EUR">1210.00</cbc:TaxInclusiveAmount>',
            '<cbc:TaxInclusiveAmount currencyID="EUR">-121.00</cbc:TaxInclusiveAmount>',
        ),
        (  # the totals agree with each other (BR-CO-15), as in a real negative invoice
            '<cbc:TaxExclusiveAmount currencyID="EUR">1000.00</cbc:TaxExclusiveAmount>',
            '<cbc:TaxExclusiveAmount currencyID="EUR">-100.00</cbc:TaxExclusiveAmount>',
        ),
        (
            '<cbc:TaxAmount currencyID="EUR">210.00</cbc:TaxAmount>',
            '<cbc:TaxAmount currencyID="EUR">-21.00</cbc:TaxAmount>',
        ),
    )
    result = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF)
    (f,) = result.files
    assert (f.status, f.amount) == ("toegevoegd", D("-121.00"))
    assert f.messages == (
        "Creditnota 2026-0201 toegevoegd: tegoed van € 121,00 (op Facturen € -121,00), klant K003 "
        "Bouwbedrijf Van Dam B.V. (herkend aan KvK/KBO-nummer).",
    )
    row = rows_of(demo, "Facturen", "Factuurnr")["2026-0201"]
    assert (row["Bedrag (incl. btw)"], row["Creditnota"]) == (-121.0, "Ja")


# --- Payment terms: the net term, "einde maand", terms that cannot be ranked ---------------------

TERMS = "Betaling binnen 14 dagen na factuurdatum"  # invoice-payment-terms.xml, dated 09-10-2026


def test_a_discount_term_does_not_shorten_the_due_date(tmp_path, demo):
    skonto = "2% korting bij betaling binnen 8 dagen, anders netto 30 dagen"
    path = variant(tmp_path, "invoice-payment-terms.xml", "skonto.xml", (TERMS, skonto))
    result = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF)
    (f,) = result.files
    assert (f.status, f.due_date, f.amount) == ("toegevoegd", date(2026, 11, 8), D("121.00"))
    assert f.messages[-1] == (
        "De vervaldatum 08-11-2026 is afgeleid uit de betalingsvoorwaarden '2% korting bij "
        "betaling binnen 8 dagen, anders netto 30 dagen': factuurdatum plus de nettotermijn van "
        "30 dagen."
    )
    row = rows_of(demo, "Facturen", "Factuurnr")["2026-0206"]
    assert row["Vervaldatum"].date() == date(2026, 11, 8)


def _month_end_book(tmp_path: Path, reading: str | None) -> Path:
    path = small_book(tmp_path)
    if reading is not None:
        book = openpyxl.load_workbook(path)
        set_settings(book, {"E-factuur: dagen einde maand": reading})
        book.save(path)
    return path


@pytest.mark.parametrize(
    ("reading", "due", "why"),
    [
        (
            None,
            date(2026, 11, 30),
            "het einde van de maand van de factuurdatum plus 30 dagen (instelling 'E-factuur: "
            "dagen einde maand': einde maand plus dagen)",
        ),
        (
            "dagen dan einde maand",
            date(2026, 11, 30),
            "factuurdatum plus 30 dagen, dan het einde van die maand (instelling 'E-factuur: "
            "dagen einde maand': dagen dan einde maand)",
        ),
        # as an earlier version wrote it, and what its list offered of it (split at the comma)
        (
            "dagen, dan einde maand",
            date(2026, 11, 30),
            "factuurdatum plus 30 dagen, dan het einde van die maand (instelling 'E-factuur: "
            "dagen einde maand': dagen dan einde maand)",
        ),
        (
            "dan einde maand",
            date(2026, 11, 30),
            "factuurdatum plus 30 dagen, dan het einde van die maand (instelling 'E-factuur: "
            "dagen einde maand': dagen dan einde maand)",
        ),
    ],
)
def test_days_end_of_month_follow_the_setting(tmp_path, reading, due, why):
    path = _month_end_book(tmp_path, reading)
    invoice = variant(
        tmp_path, "invoice-payment-terms.xml", "eom.xml", (TERMS, "30 jours fin de mois")
    )
    (f,) = import_invoices(path, [invoice], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.due_date) == ("toegevoegd", due)
    assert f.messages[-1] == (
        f"De vervaldatum {due:%d-%m-%Y} is afgeleid uit de betalingsvoorwaarden '30 jours fin "
        f"de mois': {why}."
    )


def test_the_two_month_end_readings_differ_on_the_first_of_the_month(tmp_path):
    dated = (
        "<cbc:IssueDate>2026-10-09</cbc:IssueDate>",
        "<cbc:IssueDate>2026-10-01</cbc:IssueDate>",
    )
    terms = (TERMS, "30 dagen einde maand")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    default = _month_end_book(tmp_path / "a", None)
    other = _month_end_book(tmp_path / "b", "dagen dan einde maand")
    invoice = variant(tmp_path, "invoice-payment-terms.xml", "eom1.xml", dated, terms)
    (a,) = import_invoices(default, [invoice], now=NOW, as_of=DEMO_AS_OF).files
    (b,) = import_invoices(other, [invoice], now=NOW, as_of=DEMO_AS_OF).files
    assert (a.due_date, b.due_date) == (date(2026, 11, 30), date(2026, 10, 31))


@pytest.mark.parametrize(
    ("terms", "reason"),
    [
        (
            "Betaling binnen 14 dagen; voor particulieren binnen 30 dagen",
            "ze noemen meer dan één termijn: 14 dagen en 30 dagen",
        ),
        (
            "2% korting bij betaling binnen 8 dagen",
            "ze noemen alleen een termijn voor betaling met korting: 8 dagen",
        ),
        (
            "Betaling: 50% binnen 14 dagen, 50% binnen 30 dagen",
            "ze noemen meer dan één termijn, elk voor een deel van het bedrag: 14 dagen en "
            "30 dagen",
        ),
        ("netto 30 of 60 dagen", "ze noemen meer dan één nettotermijn: 30 dagen en 60 dagen"),
        (
            "netto 999 dagen",
            "de termijn van 999 dagen is langer dan een jaar (365 dagen); dat is eerder een "
            "tikfout dan een betaaltermijn",
        ),
        # read as 30 days from the invoice date: before either reading of the end of the month
        (
            "Zahlbar 30 Tage, Monatsende",
            "ze noemen het einde van de maand, maar niet direct na de termijn (zoals in '30 "
            "dagen einde maand'); of de termijn vanaf het einde van de maand telt, wordt niet "
            "geraden",
        ),
        # read as the payment term
        (
            "Levering binnen 2 weken",
            "ze noemen alleen een termijn voor iets anders dan de betaling ('Levering binnen 2 "
            "weken')",
        ),
    ],
)
def test_terms_that_cannot_be_ranked_fall_back_with_a_warning(tmp_path, demo, terms, reason):
    path = variant(tmp_path, "invoice-payment-terms.xml", "twee.xml", (TERMS, terms))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.due_date) == ("toegevoegd", date(2026, 11, 8))
    assert f.messages[-1] == (
        f"De betalingsvoorwaarden '{terms}' zijn niet gelezen: {reason}. De vervaldatum is "
        "gezet op 08-11-2026: factuurdatum plus de standaardtermijn van 30 dagen. Controleer die "
        "en pas hem aan als de voorwaarden iets anders zeggen."
    )


def test_terms_without_a_term_in_days_are_quoted_in_the_message(tmp_path, demo):
    """The message said only "noemt geen vervaldatum": the terms were not shown."""
    path = variant(
        tmp_path,
        "invoice-payment-terms.xml",
        "sofort.xml",
        ("Betaling binnen 14 dagen na factuurdatum", "Zahlbar per Überweisung ohne Abzug."),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (
        "De e-factuur noemt geen vervaldatum en de betalingsvoorwaarden 'Zahlbar per Überweisung "
        "ohne Abzug.' noemen geen termijn in dagen; de vervaldatum is gezet op 08-11-2026: "
        "factuurdatum plus de standaardtermijn van 30 dagen. Pas die aan als u iets anders "
        "afsprak." in f.messages
    )


def test_a_term_in_brackets_is_read(tmp_path, demo):
    terms = "Betaling binnen dertig (30) dagen"
    path = variant(tmp_path, "invoice-payment-terms.xml", "dertig.xml", (TERMS, terms))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.due_date) == ("toegevoegd", date(2026, 11, 8))
    assert f.messages[-1] == (
        f"De vervaldatum 08-11-2026 is afgeleid uit de betalingsvoorwaarden '{terms}': "
        "factuurdatum plus 30 dagen."
    )


def test_terms_of_400_kb_are_not_read_and_quoted_in_200_characters(tmp_path, demo):
    terms = " ".join(f"{i % 999} dagen" for i in range(40_000))
    path = variant(tmp_path, "invoice-payment-terms.xml", "lang.xml", (TERMS, terms))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.due_date) == ("toegevoegd", date(2026, 11, 8))
    quoted = terms[:199] + "…"
    assert f.messages[-1] == (
        f"De betalingsvoorwaarden '{quoted}' zijn niet gelezen: ze zijn te lang om te lezen "
        "(meer dan 1.000 tekens). De vervaldatum is gezet op 08-11-2026: factuurdatum plus de "
        "standaardtermijn van 30 dagen. Controleer die en pas hem aan als de voorwaarden iets "
        "anders zeggen."
    )
    assert max(len(message) for message in f.messages) < 500


def test_unranked_terms_fall_back_to_the_customers_term(tmp_path):
    path = small_book(
        tmp_path,
        customers=[
            {
                "number": "C-0099",
                "name": "Flora",
                "country": "NL",
                "kind": "Onderneming",
                "registration": "61234567",
                "payment_term_days": 21,
            },
        ],
    )
    terms = "Netto 30 dagen; netto 60 dagen voor overheden"
    invoice = variant(
        tmp_path,
        "invoice-no-due-date.xml",
        "flora.xml",
        (
            "</cac:PaymentMeans>",
            f"</cac:PaymentMeans>\n  <cac:PaymentTerms><cbc:Note>{terms}</cbc:Note>"
            "</cac:PaymentTerms>",
        ),
    )
    (f,) = import_invoices(path, [invoice], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.due_date) == ("toegevoegd", "C-0099", date(2026, 10, 26))
    assert f.messages[-1] == (
        f"De betalingsvoorwaarden '{terms}' zijn niet gelezen: ze noemen meer dan één "
        "nettotermijn: 30 dagen en 60 dagen. De vervaldatum is gezet op 26-10-2026: factuurdatum "
        "plus de betaaltermijn van de klant (21 dagen). Controleer die en pas hem aan als de "
        "voorwaarden iets anders zeggen."
    )


def test_cli_says_a_pdf_without_xml_is_not_read_and_changes_nothing(tmp_path, demo):
    pdf = tmp_path / "factuur-2026-0230.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    before = sha(demo)
    result = CliRunner().invoke(
        main, ["facturen", str(demo), str(pdf), "--peildatum", "2026-10-15"]
    )
    assert result.exit_code == 2, result.output
    assert (
        "factuur-2026-0230.pdf: FOUT, niet ingelezen. E-factuur 'factuur-2026-0230.pdf': dit is "
        "een PDF-document zonder XML-factuur erin (geen Factur-X of ZUGFeRD)"
    ) in " ".join(result.output.split())
    assert sha(demo) == before


def _zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members:
            z.writestr(name, content)
    return path


def test_a_zip_of_e_invoices_is_read_file_by_file(tmp_path, demo):
    """A download of invoices as a zip (an accounting program, a Peppol inbox): each e-invoice
    in it is added as if given itself; a PDF copy and a README are left out with a note, what
    macOS adds is not mentioned. Given again, nothing changes. It was refused: 'pak het eerst
    uit'."""
    archive = _zip(
        tmp_path / "facturen oktober.zip",
        [
            ("oktober/invoice-ogm.xml", (UBL / "invoice-ogm.xml").read_bytes()),
            ("oktober/creditnote.xml", (UBL / "creditnote.xml").read_bytes()),
            ("oktober/kopie.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
            ("LEESMIJ.txt", b"Facturen van oktober"),
            ("__MACOSX/oktober/._invoice-ogm.xml", b"\x00\x05\x16\x07"),
        ],
    )
    result = CliRunner().invoke(
        main, ["facturen", str(demo), str(archive), "--peildatum", "2026-10-15"]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "facturen oktober.zip/LEESMIJ.txt: geen e-factuur, niet gelezen: " in text
    assert (
        "facturen oktober.zip/oktober/kopie.pdf: geen e-factuur, niet gelezen: dit is een "
        "PDF-document zonder XML-factuur erin (geen Factur-X of ZUGFeRD)"
    ) in text
    assert "facturen oktober.zip/oktober/invoice-ogm.xml: Factuur 2026-0203 toegevoegd" in text
    assert "facturen oktober.zip/oktober/creditnote.xml: Creditnota " in text
    assert "MACOSX" not in text
    assert text.endswith(
        "2 facturen toegevoegd; 1 nieuwe klant (K013); 2 bestanden in een zip zonder e-factuur. "
        f"Het werkboek is bijgewerkt (reservekopie: {next((demo.parent / 'reservekopieen').iterdir()).name})."
    )
    assert (
        "LEESMIJ.txt: geen e-factuur, niet gelezen: dit is geen XML-bestand en geen PDF. " in text
    )
    data, _ = read_workbook(demo, DEMO_AS_OF)
    added = {i.number: i for i in data.invoices if i.number == "2026-0203"}
    assert added["2026-0203"].amount == D("605.00")
    rows = list(openpyxl.load_workbook(demo)["Facturen"].iter_rows(values_only=True))
    notes = [row[rows[0].index("Notitie")] for row in rows[1:]]
    assert "Ingelezen uit e-factuur facturen oktober.zip/oktober/invoice-ogm.xml" in notes
    before = sha(demo)
    again = CliRunner().invoke(
        main, ["facturen", str(demo), str(archive), "--peildatum", "2026-10-15"]
    )
    assert again.exit_code == 0, again.output
    assert "0 facturen toegevoegd; 2 geweigerd (dubbel)" in " ".join(again.output.split())
    assert sha(demo) == before


def test_a_zip_without_e_invoices_or_that_cannot_be_read_adds_nothing_of_it(tmp_path, demo):
    """A zip with no e-invoice in it, a zip in the zip, a damaged zip: each refused with what
    to do; an e-invoice beside the zip in the zip is still added."""
    invoice = (UBL / "invoice-ogm.xml").read_bytes()
    none = _zip(tmp_path / "kopieen.zip", [("a.pdf", b"%PDF-1.4\n"), ("b.txt", b"hallo")])
    inner = _zip(tmp_path / "binnen.zip", [("invoice-ogm.xml", invoice)]).read_bytes()
    nested = _zip(
        tmp_path / "dubbel.zip",
        [("binnen.zip", inner), ("due.xml", (UBL / "invoice-due-date.xml").read_bytes())],
    )
    good = _zip(tmp_path / "goed.zip", [("x.xml", invoice)]).read_bytes()
    damaged = tmp_path / "kapot.zip"
    damaged.write_bytes(good[: len(good) // 2])
    result = import_invoices(demo, [none, nested, damaged], now=NOW, as_of=DEMO_AS_OF)
    by_name = {f.name: f for f in result.files}
    assert by_name["kopieen.zip"].status == "fout"
    assert by_name["kopieen.zip"].messages == (
        "E-factuur 'kopieen.zip': het zip-bestand bevat geen e-factuur (wel a.pdf, b.txt); geef "
        "de e-facturen zelf (UBL- of CII-XML-bestanden, of Factur-X- of ZUGFeRD-PDF's). Er is "
        "niets uit dit bestand ingelezen.",
    )
    assert by_name["dubbel.zip/binnen.zip"].status == "fout"
    assert (
        "een zip-bestand in het zip-bestand wordt niet gelezen"
        in (by_name["dubbel.zip/binnen.zip"].messages[0])
    )
    assert by_name["dubbel.zip/due.xml"].status == "toegevoegd"
    assert by_name["kapot.zip"].status == "fout"
    assert (
        "beschadigd of onvolledig; vraag de afzender om het opnieuw te sturen"
        in (by_name["kapot.zip"].messages[0])
    )
    assert [f.name for f in result.added] == ["dubbel.zip/due.xml"]


@pytest.mark.parametrize("twin", ["2026-0003\u200b", "２０２６-０００３", "2026-\u00ad0003"])
def test_an_invisible_twin_of_an_invoice_number_is_skipped_as_a_duplicate(tmp_path, demo, twin):
    """The workbook reader compares numbers without invisible characters and with plain digits
    (untrusted.normalize_code); the import refused the whole batch with a message about a row
    42 nobody had typed. Now only the twin is skipped, and the other file is added."""
    twin_file = variant(tmp_path, "invoice-ogm.xml", "twin.xml", ("2026-0203<", f"{twin}<"))
    result = import_invoices(
        demo, [twin_file, UBL / "invoice-due-date.xml"], now=NOW, as_of=DEMO_AS_OF
    )
    skipped, added = result.files
    assert (skipped.status, skipped.invoice) == ("geweigerd", "2026-0003")
    assert skipped.messages == (
        "Factuur 2026-0003 staat al in het werkboek (Facturen, rij 7); deze e-factuur is "
        "overgeslagen. Let op: ze noemt een ander bedrag (€ 605,00) dan daar (€ 968,00); is dit "
        "een verbeterde versie, pas het bedrag dan zelf aan. Ook is de koper in deze e-factuur "
        "(Imprimerie Mosane SRL) niet herkend als klant K006 (Hotel De Zwaan) van die factuur; is "
        "dit een ander document met hetzelfde nummer, voer het dan zelf in met een nummer dat er "
        "nog niet staat.",
    )
    assert (added.status, added.invoice, added.amount) == ("toegevoegd", "2026-0201", D("1210.00"))
    assert "2026-0201" in rows_of(demo, "Facturen", "Factuurnr")


def test_a_new_invoice_number_is_stored_without_invisible_characters(tmp_path, demo):
    path = variant(
        tmp_path, "invoice-ogm.xml", "zw.xml", ("2026-0203<", "\u200b２０２６-0203\ufeff<")
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.invoice) == ("toegevoegd", "2026-0203")
    assert rows_of(demo, "Facturen", "Factuurnr")["2026-0203"]["Bedrag (incl. btw)"] == 605


def test_an_e_mail_address_that_hides_a_second_one_is_left_out(tmp_path, demo):
    """A line break in cbc:ElectronicMail becomes a space; "a@b Bcc: x@y" would send the
    customer's letters to x@y as well (a mail program reads two recipients)."""
    path = variant(
        tmp_path,
        "invoice-ogm.xml",
        "mail.xml",
        ("compta@mosane.be", "compta@mosane.be&#13;&#10;Bcc: iemand@elders.example"),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    assert (
        "E-mailadres niet overgenomen: 'compta@mosane.be Bcc: iemand@elders.example' is meer "
        "dan één e-mailadres zonder komma ertussen (cac:AccountingCustomerParty/cac:Party/"
        "cac:Contact/cbc:ElectronicMail); vul het juiste adres zelf in op het blad Klanten."
        in f.messages
    )
    assert rows_of(demo, "Klanten", "Klantnr")["K013"]["E-mail"] in (None, "")
    assert read_workbook(demo, DEMO_AS_OF)[1] == []


def test_an_invoice_typed_as_a_credit_note_is_booked_as_a_credit(tmp_path, demo):
    """UBL Invoice with InvoiceTypeCode 381 (UNTDID 1001 "Credit note") and positive amounts, as
    EN 16931 writes a credit note: before, it was booked as € 605 owed by the customer."""
    path = variant(
        tmp_path,
        "invoice-ogm.xml",
        "cn381.xml",
        ("<cbc:InvoiceTypeCode>380<", "<cbc:InvoiceTypeCode>381<"),
        ("<cbc:DueDate>2026-11-01</cbc:DueDate>", ""),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.amount) == ("toegevoegd", D("-605.00"))
    row = rows_of(demo, "Facturen", "Factuurnr")["2026-0203"]
    assert (row["Bedrag (incl. btw)"], row["Creditnota"], row["Vervaldatum"]) == (-605, "Ja", None)


@pytest.mark.parametrize(
    ("old", "element"),
    [
        ("2026-0203<", "cbc:ID"),
        (
            "Imprimerie Mosane SRL<",
            "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName",
        ),
        ("Affiches A2<", "cac:InvoiceLine/cac:Item/cbc:Name"),
    ],
)
def test_a_text_longer_than_an_excel_cell_refuses_the_file(tmp_path, demo, old, element):
    """Excel holds at most 32,767 characters in a cell and reports a longer one as a damaged
    workbook; before, an invoice number of 40,000 characters was written into Facturen."""
    path = variant(tmp_path, "invoice-ogm.xml", "lang.xml", (old, "X" * 40000 + old))
    before = sha(demo)
    result = import_invoices(demo, [path, UBL / "invoice-due-date.xml"], now=NOW, as_of=DEMO_AS_OF)
    refused, added = result.files
    assert refused.status == "fout"
    assert refused.messages == (
        f"Een tekst in deze e-factuur ({element}) is langer dan 32.767 tekens, meer dan Excel in "
        "een cel bewaart. Er is niets uit dit bestand ingelezen.",
    )
    assert added.status == "toegevoegd" and sha(demo) != before
    assert "K013" not in rows_of(demo, "Klanten", "Klantnr")


def test_instalments_with_their_own_due_dates_fall_back_and_say_why(tmp_path, demo):
    """UBL 2.1 cac:PaymentTerms with one cbc:PaymentDueDate per instalment (no cbc:DueDate)."""
    terms = (
        "<cac:PaymentTerms><cbc:PaymentDueDate>2026-11-01</cbc:PaymentDueDate>"
        '<cbc:Amount currencyID="EUR">300.00</cbc:Amount></cac:PaymentTerms>'
        "<cac:PaymentTerms><cbc:PaymentDueDate>2026-12-15</cbc:PaymentDueDate>"
        '<cbc:Amount currencyID="EUR">305.00</cbc:Amount></cac:PaymentTerms><cac:TaxTotal>'
    )
    path = variant(
        tmp_path,
        "invoice-ogm.xml",
        "delen.xml",
        ("<cbc:DueDate>2026-11-01</cbc:DueDate>", ""),
        ("<cac:TaxTotal>", terms),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.due_date) == ("toegevoegd", date(2026, 11, 1))
    assert (
        "De betalingsvoorwaarden zijn niet gelezen: ze noemen meer dan één vervaldatum: "
        "01-11-2026 en 15-12-2026; welke voor het hele bedrag geldt, is niet te zeggen. De "
        "vervaldatum is gezet op 01-11-2026: factuurdatum plus de standaardtermijn van 30 "
        "dagen. Controleer die en pas hem aan als de voorwaarden iets anders zeggen." in f.messages
    )


def test_a_cii_invoice_lands_in_facturen_and_klanten(demo):
    """UN/CEFACT CII (tests/fixtures/cii, written from EN 16931-3-3): before, refused with "dit
    is een CII-factuur; alleen UBL wordt ingelezen"."""
    cii = Path(__file__).parent.parent / "fixtures" / "cii" / "invoice-cii.xml"
    run = CliRunner().invoke(main, ["facturen", str(demo), str(cii), "--peildatum", "2026-10-15"])
    assert run.exit_code == 0, run.output
    assert run.output.startswith(
        "invoice-cii.xml: Factuur 2026-0301 toegevoegd: € 611,00, vervalt 01-11-2026, klant K013 "
        "Imprimerie Mosane SRL (nieuwe klant)."
    )
    row = rows_of(demo, "Facturen", "Factuurnr")["2026-0301"]
    assert (row["Klantnr"], row["Bedrag (incl. btw)"], row["Betalingskenmerk"]) == (
        "K013",
        611,
        "+++002/0260/20307+++",
    )
    assert row["Notitie"] == "Ingelezen uit e-factuur invoice-cii.xml; vooruitbetaald € 100,00"
    customer = rows_of(demo, "Klanten", "Klantnr")["K013"]
    assert (customer["Naam"], customer["Land"], customer["Taal"], customer["E-mail"]) == (
        "Imprimerie Mosane SRL",
        "BE",
        "fr",
        "compta@mosane.be",
    )
    assert customer["Adres"] == "Rue de Fer 25, Bâtiment B"


def test_a_factur_x_minimum_invoice_of_a_known_buyer_is_read_and_of_a_new_one_refused(
    tmp_path, demo
):
    """MINIMUM has no lines, no due date and no buyer address: read for a known customer (the
    due date from the customer's term or 30 days), refused for a new one with what to do. The
    messages say that the file is of the MINIMUM profile and what it leaves out (before, only
    that it named no due date, and for a new buyer that its country was missing)."""
    minimum = Path(__file__).parent.parent / "fixtures" / "cii" / "factur-x-minimum.xml"
    (f,) = import_invoices(demo, [minimum], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.amount, f.due_date) == (
        "toegevoegd",
        "K003",
        D("121.00"),
        date(2026, 11, 4),
    )
    assert f.messages[1] == (
        "Dit is een Factur-X- of ZUGFeRD-bestand van het profiel MINIMUM: het bevat alleen de "
        "kop en de totalen van de factuur, zonder factuurregels, vervaldatum, "
        "betalingsvoorwaarden, betalingskenmerk of adres van de koper; de PDF zelf is de "
        "factuur. Controleer op het blad Facturen de vervaldatum, het betalingskenmerk en de "
        "omschrijving met de PDF."
    )
    assert f.messages[2].startswith("De e-factuur noemt geen vervaldatum; de vervaldatum is gezet")
    text = minimum.read_text(encoding="utf-8").replace("2026-0401", "2026-0402")
    unknown = tmp_path / "onbekend.xml"
    unknown.write_text(text.replace("Bouwbedrijf Van Dam B.V.", "Nieuw B.V."), encoding="utf-8")
    (g,) = import_invoices(demo, [unknown], now=NOW, as_of=DEMO_AS_OF).files
    assert g.status == "fout"
    assert g.messages[0].startswith(
        "Bij factuur 2026-0402 ontbreekt het land van de koper (rsm:SupplyChainTradeTransaction/"
        "ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:PostalTradeAddress/"
        "ram:CountryID) (een Factur-X- of ZUGFeRD-bestand van het profiel MINIMUM heeft geen "
        "adres van de koper); voeg de klant eerst zelf toe op het blad Klanten."
    )


def test_a_cii_message_names_the_cii_element(tmp_path, demo):
    cii = Path(__file__).parent.parent / "fixtures" / "cii" / "invoice-cii.xml"
    text = cii.read_text(encoding="utf-8").replace("<ram:CountryID>BE</ram:CountryID>", "")
    path = tmp_path / "geen-land.xml"
    path.write_text(text, encoding="utf-8")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "fout"
    assert f.messages == (
        "Bij factuur 2026-0301 ontbreekt het land van de koper (rsm:SupplyChainTradeTransaction/"
        "ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:PostalTradeAddress/"
        "ram:CountryID); voeg de klant eerst zelf toe op het blad Klanten. Er is niets uit dit "
        "bestand ingelezen.",
    )


def test_a_year_typo_in_one_file_refuses_that_file_not_the_batch(tmp_path, demo):
    """A due date in 2926 made the workbook refuse the saved rows: the whole batch failed
    with 'Facturen, rij 43, Vervaldatum', naming neither the file nor the element."""
    typo = variant(
        tmp_path,
        "invoice-due-date.xml",
        "tikfout.xml",
        ("<cbc:DueDate>2026-10-31</cbc:DueDate>", "<cbc:DueDate>2926-10-31</cbc:DueDate>"),
        ("<cbc:ID>2026-0201</cbc:ID>", "<cbc:ID>2026-0299</cbc:ID>"),
    )
    result = import_invoices(demo, [UBL / "invoice-due-date.xml", typo], now=NOW, as_of=DEMO_AS_OF)
    assert [f.status for f in result.files] == ["toegevoegd", "fout"]
    assert result.saved
    assert (
        result.files[1]
        .messages[0]
        .startswith(
            "E-factuur 'tikfout.xml' (cbc:DueDate): '2926-10-31' is geen datum die kan kloppen"
        )
    )
    assert "2026-0299" not in rows_of(demo, "Facturen", "Factuurnr")


def test_an_invoice_the_workbook_check_refuses_refuses_that_file_not_the_batch(tmp_path, demo):
    """An invoice of 1999 (before the Dutch rate table begins) passed the file's checks and
    was refused by the workbook's: the whole batch failed with 'Facturen, rij 43,
    Vervaldatum', a row the user never saw, and no file named. Now that file is refused with
    the workbook's reason, its new customer is not added, and the rest is imported."""
    old = variant(
        tmp_path,
        "invoice-no-due-date.xml",
        "oud.xml",
        ("<cbc:IssueDate>2026-10-05</cbc:IssueDate>", "<cbc:IssueDate>1999-03-01</cbc:IssueDate>"),
        ("<cbc:ID>2026-0202</cbc:ID>", "<cbc:ID>1999-0202</cbc:ID>"),
    )
    before = rows_of(demo, "Klanten", "Klantnr")
    result = import_invoices(demo, [old, UBL / "invoice-due-date.xml"], now=NOW, as_of=DEMO_AS_OF)
    assert [(f.status, f.invoice) for f in result.files] == [
        ("fout", "1999-0202"),
        ("toegevoegd", "2026-0201"),
    ]
    assert result.saved
    (message,) = result.files[0].messages
    assert message.startswith("Het werkboek neemt deze factuur niet aan (blad Facturen, kolom ")
    assert "NL handelsrente (art. 6:119a BW) kent (01-12-2002)" in message
    assert message.endswith("Er is niets uit dit bestand ingelezen.")
    assert "rij" not in message  # the row it would have had is no row of the workbook
    facturen = rows_of(demo, "Facturen", "Factuurnr")
    assert "2026-0201" in facturen and "1999-0202" not in facturen
    assert rows_of(demo, "Klanten", "Klantnr").keys() == before.keys()  # no Flora


def test_a_batch_of_only_invoices_the_workbook_refuses_changes_nothing(tmp_path, demo):
    old = variant(
        tmp_path,
        "invoice-due-date.xml",
        "oud.xml",
        ("<cbc:DueDate>2026-10-31</cbc:DueDate>", "<cbc:DueDate>1999-10-31</cbc:DueDate>"),
        ("<cbc:IssueDate>2026-10-01</cbc:IssueDate>", "<cbc:IssueDate>1999-10-01</cbc:IssueDate>"),
    )
    before = demo.read_bytes()
    result = import_invoices(demo, [old], now=NOW, as_of=DEMO_AS_OF)
    assert [f.status for f in result.files] == ["fout"] and not result.saved
    assert demo.read_bytes() == before


def test_a_buyer_with_a_customers_name_but_another_kvk_is_another_customer(tmp_path, demo):
    """K003 'Bouwbedrijf Van Dam B.V.' has KvK 27123456; a buyer of that name with KvK
    61234567 and its own VAT number is another business. It was booked on K003 ('herkend aan
    naam'), so K003 would have been asked to pay another company's invoice."""
    namesake = variant(
        tmp_path,
        "invoice-no-due-date.xml",
        "naamgenoot.xml",
        ("Bloemenhandel Flora B.V.", "Bouwbedrijf Van Dam B.V."),
    )
    (f,) = import_invoices(demo, [namesake], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.new_customer) == ("toegevoegd", "K013", True)
    assert f.messages[0].endswith(
        "klant K013 Bouwbedrijf Van Dam B.V. (nieuwe klant; klant K003 heeft dezelfde naam "
        "maar een ander KvK/KBO- of btw-nummer)."
    )
    assert rows_of(demo, "Klanten", "Klantnr")["K013"]["KvK/KBO"] == "61234567"
    # without a number of its own the name still finds the customer
    unnumbered = variant(
        tmp_path,
        "invoice-no-due-date.xml",
        "zonder-nummers.xml",
        ("Bloemenhandel Flora B.V.", "Bouwbedrijf Van Dam B.V."),
        ("2026-0202", "2026-0203"),
        ('<cbc:EndpointID schemeID="0106">61234567</cbc:EndpointID>', ""),
        ("<cbc:CompanyID>61234567</cbc:CompanyID>", ""),
        ("<cbc:CompanyID>NL004495445B01</cbc:CompanyID>", ""),
    )
    (g,) = import_invoices(demo, [unnumbered], now=NOW, as_of=DEMO_AS_OF).files
    assert (g.status, g.customer, g.new_customer) == ("toegevoegd", "K003", False)


@pytest.mark.parametrize("registration", ["61234567 0000", "61234567-0001", "612345670000"])
def test_a_customer_whose_kvk_has_its_branch_number_is_still_found_by_name(tmp_path, registration):
    """A KvK number typed with the branch number after it is the same business: the buyer
    (KvK 61234567) of that name became a second customer 'with another KvK number'."""
    path = small_book(
        tmp_path,
        customers=[
            {
                "number": "C-0099",
                "name": "Bloemenhandel Flora B.V.",
                "country": "NL",
                "kind": "Onderneming",
                "registration": registration,
            },
        ],
    )
    result = import_invoices(path, [UBL / "invoice-no-due-date.xml"], now=NOW, as_of=DEMO_AS_OF)
    (f,) = result.files
    assert (f.status, f.customer, f.new_customer) == ("toegevoegd", "C-0099", False)
    assert f.messages[0].endswith("(herkend aan naam).")


def test_two_streets_that_fill_a_cell_together_refuse_the_file(tmp_path, demo):
    """Adres holds the street and the additional street (BT-51) joined: two of 20,000
    characters each passed the check of each text and made a cell of 40,002 characters,
    which Excel reports as a damaged workbook."""
    path = variant(
        tmp_path,
        "invoice-ogm.xml",
        "twee-straten.xml",
        (
            "<cbc:StreetName>Rue de Fer 25</cbc:StreetName>",
            f"<cbc:StreetName>{'R' * 20000}</cbc:StreetName>"
            f"<cbc:AdditionalStreetName>{'A' * 20000}</cbc:AdditionalStreetName>",
        ),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "fout"
    assert "(cac:AccountingCustomerParty/cac:Party/cac:PostalAddress) is langer" in f.messages[0]


def test_the_note_of_a_credit_note_with_a_long_billing_reference_fits_a_cell(tmp_path, demo):
    """Notitie repeats the billing reference (BT-25): one of 32,767 characters, which fits
    Crediteert factuur, made Notitie longer than an Excel cell holds."""
    reference = "F" * 32767
    path = variant(tmp_path, "creditnote.xml", "lange-verwijzing.xml", ("2026-0057", reference))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    row = rows_of(demo, "Facturen", "Factuurnr")[f.invoice]
    assert row["Crediteert factuur"] == reference
    assert len(row["Notitie"]) == 32767 and row["Notitie"].endswith("F…")


def test_a_long_currency_or_country_code_is_quoted_short(tmp_path, demo):
    """A currency code of 10,000 letters was quoted whole in the refusal."""
    currency = variant(
        tmp_path,
        "invoice-ogm.xml",
        "munt.xml",
        ("<cbc:DocumentCurrencyCode>EUR<", f"<cbc:DocumentCurrencyCode>{'X' * 10_000}<"),
    )
    country = variant(
        tmp_path,
        "invoice-ogm.xml",
        "land.xml",
        (
            "<cbc:IdentificationCode>BE</cbc:IdentificationCode>\n        </cac:Country>\n"
            "      </cac:PostalAddress>\n      <cac:PartyTaxScheme>\n        <cbc:CompanyID>BE0",
            f"<cbc:IdentificationCode>{'Q' * 10_000}</cbc:IdentificationCode>\n"
            "        </cac:Country>\n      </cac:PostalAddress>\n      <cac:PartyTaxScheme>\n"
            "        <cbc:CompanyID>BE0",
        ),
    )
    result = import_invoices(demo, [currency, country], now=NOW, as_of=DEMO_AS_OF)
    assert [f.status for f in result.files] == ["fout", "fout"]
    assert result.files[0].messages[0].startswith(f"Factuur 2026-0203 is in {'X' * 39}…;")
    assert f"landcode '{'Q' * 39}…'" in result.files[1].messages[0]
    assert all(len(f.messages[0]) < 400 for f in result.files)


def test_a_long_seller_or_buyer_name_is_quoted_short(tmp_path, demo):
    """The seller's name (not checked against the cell size: it is not written) was quoted
    whole in the warning that it is not the business: 100,000 characters."""
    path = variant(
        tmp_path,
        "invoice-ogm.xml",
        "verkoper.xml",
        (
            "<cbc:RegistrationName>Drukkerij De Letterzetter B.V.<",
            f"<cbc:RegistrationName>{'D' * 100_000}<",
        ),
        ("<cbc:CompanyID>NL812345678B01<", "<cbc:CompanyID>NL004495445B01<"),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    (warning,) = [m for m in f.messages if m.startswith("Let op")]
    assert warning.startswith(
        f"Let op: de verkoper in deze e-factuur ({'D' * 99}…, btw-nummer NL004495445B01) is "
    )


def test_a_credit_note_for_another_customers_invoice_says_so(tmp_path, demo):
    """creditnote.xml's buyer is K003; naming 2025-0012, an invoice of K001, it was added
    without a word, and the credit went to K003's oldest invoice instead."""
    path = variant(tmp_path, "creditnote.xml", "ander.xml", ("2026-0057", "2025-0012"))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer) == ("toegevoegd", "K003")
    assert (
        "Let op: creditnota 2026-0205 crediteert factuur 2025-0012, maar die staat op klant "
        "K001, niet op K003; ze verlaagt die factuur dus niet. Controleer de koper en de "
        "factuur die ze noemt, en verbeter Klantnr of Crediteert factuur." in f.messages
    )
    (g,) = import_invoices(demo, [UBL / "creditnote.xml"], now=NOW, as_of=DEMO_AS_OF).files
    assert g.status == "geweigerd"  # the same number; its own invoice 2026-0057 is K003's
    own = variant(tmp_path, "creditnote.xml", "eigen.xml", ("2026-0205", "2026-0206"))
    (h,) = import_invoices(demo, [own], now=NOW, as_of=DEMO_AS_OF).files
    assert h.status == "toegevoegd" and not any("Let op" in m for m in h.messages)


def test_a_factored_invoice_with_two_accounts_lands_with_its_warnings(demo):
    """invoice-factored.xml: a payee that is a factor, two payment means with their own
    references (an OGM with dots first), terms in words, prepaid and rounding amounts, and a
    buyer known only by its VAT number as electronic address. Read twice: the second time
    changes nothing."""
    path = UBL / "invoice-factored.xml"
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.amount, f.due_date) == (
        "toegevoegd",
        "K009",
        D("505.00"),
        date(2026, 11, 5),
    )
    assert f.messages[0].endswith("(herkend aan KvK/KBO-nummer).")
    assert f.messages[1].startswith("De e-factuur noemt 2 verschillende betalingskenmerken")
    assert f.messages[2].startswith(
        "Let op: factuur 2026-0210 noemt een andere begunstigde dan de verkoper: Factoring "
        "Vlaanderen NV"
    )
    row = rows_of(demo, "Facturen", "Factuurnr")["2026-0210"]
    assert (row["Betalingskenmerk"], row["Notitie"]) == (
        "+++002/0260/20307+++",
        "Ingelezen uit e-factuur invoice-factored.xml; vooruitbetaald € 100,00",
    )
    before = sha(demo)
    (g,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert g.status == "geweigerd" and sha(demo) == before


def test_a_cii_credit_note_with_rounding_and_a_tax_currency(demo):
    """creditnote-cii.xml: TypeCode 381 with positive amounts, a rounding amount, the VAT total
    also in SEK (TaxCurrencyCode) and an RF reference with hyphens; it credits K003's
    2026-0057."""
    cii = Path(__file__).parent.parent / "fixtures" / "cii" / "creditnote-cii.xml"
    (f,) = import_invoices(demo, [cii], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.amount) == ("toegevoegd", "K003", D("-121.00"))
    assert not any("Let op" in m for m in f.messages)
    row = rows_of(demo, "Facturen", "Factuurnr")["2026-C0012"]
    assert (
        row["Bedrag (incl. btw)"],
        row["Creditnota"],
        row["Crediteert factuur"],
        row["Vervaldatum"],
        row["Betalingskenmerk"],
    ) == (-121, "Ja", "2026-0057", None, "RF18 5390 0754 7034")


# --- fix18 --------------------------------------------------------------------------------------


def test_an_invoice_paid_in_full_beforehand_is_skipped_and_the_rest_read(tmp_path, demo):
    """PrepaidAmount = total: the invoice was booked as an open invoice of € 0,00."""
    paid = UBL / "invoice-prepaid.xml"
    result = import_invoices(demo, [paid, UBL / "invoice-due-date.xml"], now=NOW, as_of=DEMO_AS_OF)
    skipped, added = result.files
    assert (skipped.status, skipped.invoice, skipped.customer) == ("overgeslagen", "2026-0210", "")
    assert skipped.messages == (
        "Factuur 2026-0210 is al helemaal voldaan: het vooruitbetaalde bedrag € 605,00 is het "
        "hele bedrag, en er is niets meer te betalen (cac:LegalMonetaryTotal/cbc:PayableAmount). "
        "Ze is niet op het blad Facturen gezet: er is niets te innen of te verrekenen. Er is "
        "niets uit dit bestand ingelezen.",
    )
    assert added.status == "toegevoegd" and result.saved
    assert result.skipped == (skipped,) and not result.failed
    facturen = rows_of(demo, "Facturen", "Factuurnr")
    assert "2026-0210" not in facturen and "2026-0201" in facturen
    assert "K013" not in rows_of(demo, "Klanten", "Klantnr")  # its buyer is not added either
    again_changes_nothing(demo, [paid], "overgeslagen")


def test_a_credit_note_with_nothing_to_pay_back_is_skipped(tmp_path, demo):
    path = variant(
        tmp_path,
        "creditnote.xml",
        "cn0.xml",
        (
            '<cbc:PayableAmount currencyID="EUR">242.00</cbc:PayableAmount>',
            '<cbc:PrepaidAmount currencyID="EUR">242.00</cbc:PrepaidAmount>\n'
            '    <cbc:PayableAmount currencyID="EUR">0.00</cbc:PayableAmount>',
        ),
    )
    before = sha(demo)
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "overgeslagen"
    assert f.messages[0].startswith("Creditnota 2026-0205 is al helemaal voldaan")
    assert sha(demo) == before


def test_a_cii_invoice_of_nothing_is_skipped(tmp_path, demo):
    text = (UBL.parent / "cii" / "invoice-cii.xml").read_text(encoding="utf-8")
    for old, new in (
        ("<ram:TotalPrepaidAmount>100.00<", "<ram:TotalPrepaidAmount>711.00<"),
        ("<ram:DuePayableAmount>611.00<", "<ram:DuePayableAmount>0.00<"),
    ):
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "cii0.xml"
    path.write_text(text, encoding="utf-8")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "overgeslagen"
    assert (
        "(ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:DuePayableAmount)"
        in (f.messages[0])
    )


def test_cli_says_an_invoice_with_nothing_to_collect_was_skipped_and_exits_0(demo):
    result = CliRunner().invoke(
        main,
        ["facturen", str(demo), str(UBL / "invoice-prepaid.xml"), "--peildatum", "2026-10-15"],
    )
    assert result.exit_code == 0, result.output
    assert "invoice-prepaid.xml: overgeslagen. Factuur 2026-0210 is al helemaal voldaan" in (
        result.output
    )
    assert "0 facturen toegevoegd; 1 overgeslagen (niets te innen). Het werkboek is niet " in (
        result.output
    )


def test_an_invoice_number_of_20000_characters_is_refused_and_quoted_short(tmp_path, demo):
    """A number of 20,000 characters (under Excel's 32,767) was added and quoted whole."""
    long_number = "2026-" + "0" * 20_000 + "1"
    path = variant(tmp_path, "invoice-ogm.xml", "lang.xml", ("2026-0203<", f"{long_number}<"))
    before = sha(demo)
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "fout"
    assert f.messages == (
        f"Het factuurnummer '2026-{'0' * 34}…' (cbc:ID) is 20.006 tekens lang; debiteuren neemt "
        "een factuurnummer van hoogstens 100 tekens aan (een echt factuurnummer is veel korter). "
        "Vraag de afzender om een juiste factuur. Er is niets uit dit bestand ingelezen.",
    )
    assert sha(demo) == before
    ok = variant(tmp_path, "invoice-ogm.xml", "100.xml", ("2026-0203<", "A" * 100 + "<"))
    assert import_invoices(demo, [ok], now=NOW, as_of=DEMO_AS_OF).files[0].status == "toegevoegd"


def test_a_long_number_with_commas_is_quoted_as_written(tmp_path, demo):
    long_number = "2026,0001," * 20
    path = variant(tmp_path, "invoice-ogm.xml", "komma.xml", ("2026-0203<", f"{long_number}<"))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "fout"
    assert f.messages[0].startswith(f"Het factuurnummer '{long_number[:39]}…' (cbc:ID) is 200 ")


def test_a_duplicate_with_a_long_number_is_quoted_short(tmp_path, demo):
    number = "A" * 100
    ok = variant(tmp_path, "invoice-ogm.xml", "100.xml", ("2026-0203<", f"{number}<"))
    import_invoices(demo, [ok], now=NOW, as_of=DEMO_AS_OF)
    (f,) = import_invoices(demo, [ok], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "geweigerd"
    assert f.messages[0].startswith(f"Factuur {'A' * 39}… staat al in het werkboek")


@pytest.mark.parametrize(
    "name",
    [
        "Drukkerij De Letterzetter BV",
        "DRUKKERIJ DE LETTERZETTER B. V.",
        "Drukkerij  De Letterzetter b.v",
    ],
)
def test_our_own_name_with_another_legal_form_spelling_is_no_other_seller(tmp_path, demo, name):
    """Without a VAT number the seller is compared by name: "BV" for "B.V." gave "the seller
    is not your business"."""
    path = variant(
        tmp_path,
        "invoice-ogm.xml",
        "bv.xml",
        ("<cbc:CompanyID>NL812345678B01</cbc:CompanyID>", "<cbc:CompanyID/>"),
        (
            "<cbc:RegistrationName>Drukkerij De Letterzetter B.V.</cbc:RegistrationName>",
            f"<cbc:RegistrationName>{name}</cbc:RegistrationName>",
        ),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    assert not any("is niet uw bedrijf" in m for m in f.messages), f.messages


def test_a_12_digit_reference_of_a_dutch_creditor_without_seller_country_is_a_kenmerk(
    tmp_path, demo
):
    """202600000192 passes both checks; the file names no seller country: the creditor on
    Instellingen (the demo business, NL) decides."""
    text = (UBL / "invoice-ogm.xml").read_text(encoding="utf-8")
    seller = text.split("<cac:AccountingSupplierParty>")[1].split("</cac:AccountingSupplierParty>")[
        0
    ]
    path = variant(
        tmp_path,
        "invoice-ogm.xml",
        "kenmerk.xml",
        ("+++002/0260/20307+++", "202600000192"),
        (seller, seller.replace("<cbc:IdentificationCode>NL</cbc:IdentificationCode>", "")),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    assert (
        rows_of(demo, "Facturen", "Factuurnr")["2026-0203"]["Betalingskenmerk"] == "2026 0000 0192"
    )


def test_terms_that_say_pay_at_once_make_the_invoice_date_the_due_date(tmp_path, demo):
    """ "Betaling per omgaande" without a DueDate got the standard term of 30 days."""
    path = variant(
        tmp_path, "invoice-payment-terms.xml", "direct.xml", (TERMS, "Betaling per omgaande")
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.due_date) == ("toegevoegd", date(2026, 10, 9))
    assert f.messages[-1] == (
        "De vervaldatum 09-10-2026 is afgeleid uit de betalingsvoorwaarden 'Betaling per "
        "omgaande': ze vragen betaling direct, dus op de factuurdatum."
    )


@pytest.mark.parametrize(
    ("kenmerk", "stored"),
    [
        ("202600000192", "2026 0000 0192"),  # also an OGM by its check: a Dutch seller's kenmerk
        ("101000000000", "1010 0000 0000"),  # a kenmerk only
    ],
)
def test_a_12_digit_kenmerk_of_an_e_invoice_is_the_one_letters_and_matching_use(
    tmp_path, demo, kenmerk, stored
):
    """The kenmerk was written to Facturen in print ("2026 0000 0192"), but the workbook read
    no reference in that cell and made another one from the invoice number: letters asked the
    customer for a reference other than the invoice's, and a payment with the invoice's was not
    matched by it."""
    from debiteuren.service.pipeline import invoice_references, read_book

    path = variant(tmp_path, "invoice-due-date.xml", "k.xml", ("6000000002026201", kenmerk))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    assert rows_of(demo, "Facturen", "Factuurnr")["2026-0201"]["Betalingskenmerk"] == stored
    reference = invoice_references(read_book(demo, DEMO_AS_OF).data)["2026-0201"]
    assert (reference.kind.value, reference.value, reference.display) == (
        "betalingskenmerk",
        kenmerk,
        stored,
    )


def test_a_vat_number_of_10000_digits_is_left_out_not_a_traceback(tmp_path, demo):
    """python-stdnum turned a Dutch or Belgian VAT number of thousands of digits into an
    integer: Python's limit of 4,300 digits stopped ``facturen`` with a traceback (exit 1)."""
    path = variant(
        tmp_path,
        "invoice-no-due-date.xml",
        "vat.xml",
        ("<cbc:CompanyID>NL004495445B01<", f"<cbc:CompanyID>NL{'1' * 10_000}<"),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    assert (
        f"Btw-nummer niet overgenomen: 'NL{'1' * 37}…' is geen btw-nummer: het is langer dan "
        "een btw-nummer (20 letters en cijfers); controleer het nummer." in f.messages
    )
    assert rows_of(demo, "Klanten", "Klantnr")["K013"]["Btw-nummer"] in (None, "")


def test_a_long_buyer_name_and_e_mail_address_are_quoted_short(tmp_path, demo):
    """The message that a buyer was added quoted its name whole (10,000 characters), and so
    did the one that its e-mail address was left out."""
    text = (UBL / "invoice-no-due-date.xml").read_text(encoding="utf-8")
    email = text.split("<cbc:ElectronicMail>")[1].split("<")[0]
    path = variant(
        tmp_path,
        "invoice-no-due-date.xml",
        "lang.xml",
        ("Bloemenhandel Flora B.V.", "B" * 10_000),
        (email, "x" * 10_000),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    assert max(len(m) for m in f.messages) < 400
    assert f"klant K013 {'B' * 99}… (nieuwe klant)." in f.messages[0]
    assert any(
        m.startswith(f"E-mailadres niet overgenomen: '{'x' * 99}…' is geen") for m in f.messages
    )
    assert rows_of(demo, "Klanten", "Klantnr")["K013"]["Naam"] == "B" * 10_000  # the cell keeps it


def _name_only(tmp_path: Path, name: str, number: str, buyer: str) -> Path:
    """invoice-no-due-date.xml with its buyer known only by ``buyer`` (no KvK, no VAT)."""
    return variant(
        tmp_path,
        "invoice-no-due-date.xml",
        name,
        ('<cbc:EndpointID schemeID="0106">61234567</cbc:EndpointID>', ""),
        ("<cbc:CompanyID>NL004495445B01</cbc:CompanyID>", ""),
        ("<cbc:CompanyID>61234567</cbc:CompanyID>", ""),
        ("Bloemenhandel Flora B.V.", buyer),
        ("Flora<", f"{buyer}<"),
        ("<cbc:ID>2026-0202</cbc:ID>", f"<cbc:ID>{number}</cbc:ID>"),
    )


def test_a_buyer_whose_name_holds_a_control_character_is_one_customer_in_the_next_import(
    tmp_path, demo
):
    """A name with a DEL or a C1 control (text of Windows-1252 read as Latin-1: 'D\\x92Hondt')
    went to Klanten as it was, and the workbook reads a cell without control characters: the
    next e-invoice of that buyer, known by its name only, made a second customer, and a third."""
    buyer = "D\x92Hondt\x7f Bloemen B.V."
    first = _name_only(tmp_path, "een.xml", "2026-0801", buyer)
    (f,) = import_invoices(demo, [first], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.new_customer) == ("toegevoegd", "K013", True)
    assert rows_of(demo, "Klanten", "Klantnr")["K013"]["Naam"] == "D Hondt Bloemen B.V."
    second = _name_only(tmp_path, "twee.xml", "2026-0802", buyer)
    (f,) = import_invoices(demo, [second], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.new_customer) == ("toegevoegd", "K013", False)
    assert "K014" not in rows_of(demo, "Klanten", "Klantnr")


@pytest.mark.parametrize(
    "name",
    [
        "Bouw\u00adbedrijf Van Dam B.V.",
        "Bouwbedrijf\u200b Van Dam B.V.",
        "\ufeffBOUWBEDRIJF VAN DAM B.V.",
    ],
)
def test_a_known_buyers_name_with_an_invisible_character_is_still_the_customer(
    tmp_path, demo, name
):
    """Factur-X MINIMUM names the buyer only: with a soft hyphen or a zero-width space from the
    buyer's system in its name it was not K003 'Bouwbedrijf Van Dam B.V.' but a new buyer,
    refused for want of a country (or, with an address, a second customer)."""
    minimum = Path(__file__).parent.parent / "fixtures" / "cii" / "factur-x-minimum.xml"
    path = tmp_path / "onzichtbaar.xml"
    text = minimum.read_text(encoding="utf-8")
    path.write_text(text.replace("Bouwbedrijf Van Dam B.V.", name), encoding="utf-8")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.new_customer) == ("toegevoegd", "K003", False)
    assert "(herkend aan naam)" in f.messages[0]


def test_an_ogm_with_hyphens_lands_as_the_ogm_without_a_warning(tmp_path, demo):
    """'+++002-0260-20307+++' was written to Betalingskenmerk as text, with a warning that its
    check digits were wrong: a payment with the OGM was then not matched by it."""
    path = variant(
        tmp_path, "invoice-ogm.xml", "ogm.xml", ("+++002/0260/20307+++", "+++002-0260-20307+++")
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    assert not any("controlecijfers" in m for m in f.messages)
    row = rows_of(demo, "Facturen", "Factuurnr")["2026-0203"]
    assert row["Betalingskenmerk"] == "+++002/0260/20307+++"


def test_a_credit_note_for_an_invoice_on_no_sheet_is_booked_and_says_where_it_goes(tmp_path, demo):
    """A credit note for 2026-9999, which is not on Facturen, was added without a word: the
    engine then takes it as a payment to the customer's oldest open invoice."""
    path = variant(tmp_path, "creditnote.xml", "cn.xml", ("2026-0057", "2026-9999"))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.amount) == ("toegevoegd", "K003", D("-242.00"))
    assert f.messages[-1] == (
        "Let op: creditnota 2026-0205 crediteert factuur 2026-9999, maar die staat niet op het "
        "blad Facturen; de creditnota gaat dus als betaling naar de oudste openstaande factuur "
        "van klant K003 (zonder openstaande factuur is ze een tegoed). Staat die factuur nog "
        "open, zet haar dan op Facturen: dan verlaagt de creditnota haar."
    )
    row = rows_of(demo, "Facturen", "Factuurnr")["2026-0205"]
    assert (row["Bedrag (incl. btw)"], row["Creditnota"], row["Crediteert factuur"]) == (
        -242,
        "Ja",
        "2026-9999",
    )
    assert read_workbook(demo, DEMO_AS_OF)[1] == []


def test_a_credit_note_before_its_invoice_in_the_batch_is_checked_against_it(tmp_path, demo):
    """The invoice a credit note names was looked up when the credit note was read: one later
    in the same batch was not seen (another customer's went without its warning)."""
    note = variant(tmp_path, "creditnote.xml", "cn.xml", ("2026-0057", "2026-0500"))
    own = variant(tmp_path, "invoice-due-date.xml", "own.xml", ("2026-0201", "2026-0500"))
    (f, g) = import_invoices(demo, [note, own], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, g.status) == ("toegevoegd", "toegevoegd")
    assert not any("Let op" in m for m in f.messages)
    note = variant(
        tmp_path, "creditnote.xml", "cn2.xml", ("2026-0057", "2026-0203"), ("0205", "0206")
    )
    (f, g) = import_invoices(demo, [note, UBL / "invoice-ogm.xml"], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, g.status, g.customer) == ("toegevoegd", "toegevoegd", "K013")
    assert f.messages[-1].startswith(
        "Let op: creditnota 2026-0206 crediteert factuur 2026-0203, maar die staat op klant "
        "K013, niet op K003"
    )


_FLORA_ENDPOINT = '<cbc:EndpointID schemeID="0106">61234567</cbc:EndpointID>'
_FLORA_MAIL = "<cbc:ElectronicMail>inkoop@flora.nl</cbc:ElectronicMail>"


@pytest.mark.parametrize("written", ["facturen@flora.nl", "mailto:facturen@flora.nl"])
def test_a_buyers_electronic_address_of_scheme_em_is_its_e_mail(tmp_path, demo, written):
    """BT-49 with scheme EM (an e-mail address, EAS code list; XRechnung buyers give their
    invoice mailbox so) was passed over: the new customer had no e-mail address."""
    endpoint = f'<cbc:EndpointID schemeID="EM">{written}</cbc:EndpointID>'
    path = variant(
        tmp_path,
        "invoice-no-due-date.xml",
        "em.xml",
        (_FLORA_ENDPOINT, endpoint),
        (_FLORA_MAIL, ""),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.new_customer) == ("toegevoegd", "K013", True)
    assert rows_of(demo, "Klanten", "Klantnr")["K013"]["E-mail"] == "facturen@flora.nl"
    assert (
        "E-mailadres facturen@flora.nl overgenomen uit het elektronisch adres van de koper "
        "(cac:AccountingCustomerParty/cac:Party/cbc:EndpointID, schema EM): daar ontvangt zij "
        "haar e-facturen; er staat geen contactpersoon met een e-mailadres in de e-factuur."
        in f.messages
    )
    assert read_workbook(demo, DEMO_AS_OF)[1] == []


def test_an_em_address_is_checked_and_the_contacts_address_goes_first(tmp_path, demo):
    bad = '<cbc:EndpointID schemeID="em">facturen flora.nl</cbc:EndpointID>'
    path = variant(
        tmp_path, "invoice-no-due-date.xml", "bad.xml", (_FLORA_ENDPOINT, bad), (_FLORA_MAIL, "")
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert rows_of(demo, "Klanten", "Klantnr")["K013"]["E-mail"] in (None, "")
    assert (
        "E-mailadres niet overgenomen: 'facturen flora.nl' is geen e-mailadres: er staat geen @ "
        "in (cac:AccountingCustomerParty/cac:Party/cbc:EndpointID); vul het juiste adres zelf "
        "in op het blad Klanten." in f.messages
    )
    good = '<cbc:EndpointID schemeID="EM">facturen@flora.nl</cbc:EndpointID>'
    both = variant(tmp_path, "invoice-no-due-date.xml", "both.xml", (_FLORA_ENDPOINT, good))
    book = service.demo_workbook(tmp_path / "other.xlsx")
    (g,) = import_invoices(book, [both], now=NOW, as_of=DEMO_AS_OF).files
    assert rows_of(book, "Klanten", "Klantnr")["K013"]["E-mail"] == "inkoop@flora.nl"
    assert not any("elektronisch adres" in m for m in g.messages)


def test_a_cii_buyers_uri_of_scheme_em_is_its_e_mail(tmp_path, demo):
    cii = Path(__file__).parent.parent / "fixtures" / "cii" / "invoice-cii.xml"
    text = cii.read_text(encoding="utf-8")
    contact = "<ram:URIID>compta@mosane.be</ram:URIID>"
    endpoint = '<ram:URIID schemeID="0208">0456789133</ram:URIID>'
    assert contact in text and text.count(endpoint) == 1
    text = text.replace(contact, "").replace(
        endpoint, '<ram:URIID schemeID="EM">mailto:boekhouding@mosane.be</ram:URIID>'
    )
    path = tmp_path / "em-cii.xml"
    path.write_text(text, encoding="utf-8")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd" and f.new_customer
    assert rows_of(demo, "Klanten", "Klantnr")[f.customer]["E-mail"] == "boekhouding@mosane.be"
    assert any(
        "(rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty"
        "/ram:URIUniversalCommunication/ram:URIID, schema EM)" in m
        for m in f.messages
    )


def test_an_xrechnung_skonto_line_without_a_due_date_falls_back_and_says_why(tmp_path, demo):
    """A CII invoice whose only terms are XRechnung's Skonto line: the message said the terms
    named no term in days; they name the discount's 14 days, which are no due date."""
    cii = Path(__file__).parent.parent / "fixtures" / "cii" / "invoice-cii.xml"
    text = cii.read_text(encoding="utf-8")
    due = (
        '<ram:DueDateDateTime>\n          <udt:DateTimeString format="102">20261101'
        "</udt:DateTimeString>\n        </ram:DueDateDateTime>"
    )
    assert due in text and "Betaling binnen 30 dagen" in text
    text = text.replace(due, "").replace(
        "Betaling binnen 30 dagen", "#SKONTO#TAGE=14#PROZENT=2.00#\n"
    )
    path = tmp_path / "skonto.xml"
    path.write_text(text, encoding="utf-8")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.due_date) == ("toegevoegd", date(2026, 11, 1))
    assert f.messages[-1] == (
        "De betalingsvoorwaarden '#SKONTO#TAGE=14#PROZENT=2.00#' zijn niet gelezen: ze noemen "
        "alleen een termijn voor betaling met korting: 14 dagen. De vervaldatum is gezet op "
        "01-11-2026: factuurdatum plus de standaardtermijn van 30 dagen. Controleer die en pas "
        "hem aan als de voorwaarden iets anders zeggen."
    )


def test_a_deposit_and_the_rest_in_14_days_fall_back_and_say_why(tmp_path, demo):
    terms = "50% vooraf, rest binnen 14 dagen"
    path = variant(tmp_path, "invoice-payment-terms.xml", "rest.xml", (TERMS, terms))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.due_date) == ("toegevoegd", date(2026, 11, 8))  # not 23-10-2026
    assert "ze noemen een termijn voor een deel van het bedrag: 14 dagen" in f.messages[-1]


def test_a_credit_note_names_its_invoice_as_facturen_writes_it(tmp_path, demo):
    """BT-25 'inv-0500' for invoice INV-0500: found (numbers compare without case), so no
    warning, but written as the file wrote it; the engine links a credit note by the exact
    number, and the credit went to the customer's oldest open invoice instead."""
    invoice = variant(tmp_path, "invoice-due-date.xml", "inv.xml", ("2026-0201", "INV-0500"))
    note = variant(tmp_path, "creditnote.xml", "cn.xml", ("2026-0057", "inv-0500"))
    (f, g) = import_invoices(demo, [invoice, note], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, g.status) == ("toegevoegd", "toegevoegd")
    assert not any("Let op" in m for m in g.messages)
    assert rows_of(demo, "Facturen", "Factuurnr")["2026-0205"]["Crediteert factuur"] == "INV-0500"
    service.update(demo, DEMO_AS_OF, now=datetime(2026, 10, 15, 10, 0))
    facturen = rows_of(demo, "Facturen", "Factuurnr")
    assert facturen["INV-0500"]["Openstaand"] == 968  # 1,210 less the credit of 242


def test_a_credit_note_numbered_like_an_invoice_is_refused_not_skipped(tmp_path, demo):
    """A credit note in a series of its own (credit note 2026-0011 beside the demo's invoice
    2026-0011 of K001): before, skipped as a duplicate ("Factuur 2026-0011 staat al in het
    werkboek"), and the credit was lost without a word. Now refused with what to do; the same
    credit note again is still a duplicate, and so is an invoice read twice."""
    credit = variant(
        tmp_path,
        "creditnote.xml",
        "cn.xml",
        ("<cbc:ID>2026-0205</cbc:ID>", "<cbc:ID>2026-0011</cbc:ID>"),
    )
    (f,) = import_invoices(demo, [credit], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "fout"
    assert f.messages[0].startswith(
        "Creditnota 2026-0011 heeft hetzelfde nummer als een factuur in het werkboek (Facturen, "
        "rij "
    )
    assert f.messages[0].endswith(
        "maar is een ander document en geen dubbele. Op het blad Facturen heeft elk nummer één "
        "regel: voer de creditnota zelf in met een nummer dat er nog niet staat (bijvoorbeeld "
        "'CN 2026-0011'). Er is niets uit dit bestand ingelezen."
    )
    # in one batch: the credit note 2026-0206 first, then an invoice with its number
    invoice = variant(
        tmp_path,
        "invoice-ogm.xml",
        "inv.xml",
        ("<cbc:ID>2026-0203</cbc:ID>", "<cbc:ID>2026-0206</cbc:ID>"),
    )
    second = variant(
        tmp_path,
        "creditnote.xml",
        "cn2.xml",
        ("<cbc:ID>2026-0205</cbc:ID>", "<cbc:ID>2026-0206</cbc:ID>"),
    )
    result = import_invoices(demo, [second, invoice, second], now=NOW, as_of=DEMO_AS_OF)
    assert [g.status for g in result.files] == ["toegevoegd", "fout", "geweigerd"]
    assert (
        result.files[1]
        .messages[0]
        .startswith(
            "Factuur 2026-0206 heeft hetzelfde nummer als een creditnota in cn2.xml in deze reeks"
        )
    )
    assert result.files[2].messages == (
        "Creditnota 2026-0206 staat al in cn2.xml in deze reeks; deze e-factuur is overgeslagen.",
    )
    again_changes_nothing(demo, [second], "geweigerd")


def test_a_duplicate_with_another_amount_says_so(tmp_path, demo):
    """An invoice corrected and sent again under its number: skipped as before, but the
    message names both amounts (before it said only that the number was there, and the old
    amount stayed on Facturen unnoticed). The same file again, with the same amount, says
    nothing more."""
    first = variant(
        tmp_path,
        "invoice-due-date.xml",
        "v1.xml",
    )
    corrected = variant(
        tmp_path,
        "invoice-due-date.xml",
        "v2.xml",
        ("1210.00</cbc:PayableAmount>", "1200.00</cbc:PayableAmount>"),
        ("1210.00</cbc:TaxInclusiveAmount>", "1200.00</cbc:TaxInclusiveAmount>"),
    )
    result = import_invoices(demo, [first, corrected, first], now=NOW, as_of=DEMO_AS_OF)
    assert [f.status for f in result.files] == ["toegevoegd", "geweigerd", "geweigerd"]
    assert result.files[1].messages == (
        "Factuur 2026-0201 staat al in v1.xml in deze reeks; deze e-factuur is overgeslagen. "
        "Let op: ze noemt een ander bedrag (€ 1.200,00) dan daar (€ 1.210,00); is dit een "
        "verbeterde versie, pas het bedrag dan zelf aan.",
    )
    assert result.files[2].messages == (
        "Factuur 2026-0201 staat al in v1.xml in deze reeks; deze e-factuur is overgeslagen.",
    )
    (again,) = import_invoices(demo, [corrected], now=NOW, as_of=DEMO_AS_OF).files
    assert again.status == "geweigerd"
    assert again.messages[0].endswith(
        "deze e-factuur is overgeslagen. Let op: ze noemt een ander bedrag (€ 1.200,00) dan "
        "daar (€ 1.210,00); is dit een verbeterde versie, pas het bedrag dan zelf aan."
    )


FACTOR_IBAN = "BE68539007547034"  # not the demo business's NL91 ABNA 0417 1643 00


def test_an_invoice_to_be_paid_to_another_account_is_added_with_a_warning(tmp_path, demo):
    """Factoring without a payee party: the factor's IBAN in PayeeFinancialAccount (BT-84).
    Before, it was added without a word, and the letters asked for payment to our account."""
    path = variant(tmp_path, "invoice-ogm.xml", "factor.xml", ("NL91ABNA0417164300", FACTOR_IBAN))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    assert "2026-0203" in rows_of(demo, "Facturen", "Factuurnr")
    assert (
        "Let op: factuur 2026-0203 vraagt betaling op rekening BE68 5390 0754 7034 "
        "(cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID), niet op uw rekening "
        "NL91 ABNA 0417 1643 00 (Instellingen, IBAN). Herinneringen en brieven van debiteuren "
        "noemen uw rekening. Moet de klant aan een factor of een ander betalen, haal de factuur "
        "dan weg van het blad Facturen; is de rekening wel van u, zet haar dan op Instellingen "
        "bij 'Andere eigen rekeningen (IBAN)'."
    ) in f.messages


def test_a_cii_invoice_to_be_paid_to_another_account_is_warned_about(tmp_path, demo):
    cii = Path(__file__).parent.parent / "fixtures" / "cii" / "invoice-cii.xml"
    text = cii.read_text(encoding="utf-8").replace(
        "<ram:IBANID>NL91ABNA0417164300", "<ram:IBANID>be68 5390 0754 7034"
    )
    path = tmp_path / "factor-cii.xml"
    path.write_text(text, encoding="utf-8")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    (warning,) = [m for m in f.messages if "vraagt betaling op" in m]
    assert warning.startswith(
        "Let op: factuur 2026-0301 vraagt betaling op rekening BE68 5390 0754 7034 "
        "(ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount/"
        "ram:IBANID), niet op uw rekening NL91 ABNA 0417 1643 00"
    )


@pytest.mark.parametrize(
    ("source", "changes"),
    [
        # our own IBAN written with spaces and in lower case
        ("invoice-ogm.xml", (("NL91ABNA0417164300", "nl91 abna 0417 1643 00"),)),
        # two accounts, one of them ours: the customer may pay ours
        (
            "invoice-ogm.xml",
            (
                (
                    "</cac:PaymentMeans>",
                    "</cac:PaymentMeans><cac:PaymentMeans><cbc:PaymentMeansCode>30"
                    "</cbc:PaymentMeansCode><cac:PayeeFinancialAccount><cbc:ID>"
                    f"{FACTOR_IBAN}</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>",
                ),
            ),
        ),
        # a credit note's account is where the seller pays the credit back
        ("creditnote.xml", (("NL91ABNA0417164300", FACTOR_IBAN),)),
    ],
)
def test_no_account_warning_for_our_own_account_or_a_credit_note(tmp_path, demo, source, changes):
    path = variant(tmp_path, source, "own.xml", *changes)
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    assert not [m for m in f.messages if "vraagt betaling op" in m]


def test_an_account_listed_among_our_other_accounts_gives_no_warning(tmp_path, demo):
    book = openpyxl.load_workbook(demo)
    set_settings(book, {"Andere eigen rekeningen (IBAN)": "BE68 5390 0754 7034"})
    book.save(demo)
    path = variant(tmp_path, "invoice-ogm.xml", "factor.xml", ("NL91ABNA0417164300", FACTOR_IBAN))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    assert not [m for m in f.messages if "vraagt betaling op" in m]


def test_a_day_to_pay_by_with_a_two_digit_year_is_the_due_date(tmp_path, demo):
    """Before: no due date was read from 'vóór 15-01-27', and 30 days after the invoice date
    (08-11-2026) were assumed, with the message that the terms name no term."""
    path = variant(
        tmp_path,
        "invoice-payment-terms.xml",
        "kort.xml",
        ("Betaling binnen 14 dagen na factuurdatum", "Te betalen vóór 15-01-27"),
    )
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.due_date) == ("toegevoegd", date(2027, 1, 15))
    assert (
        "De vervaldatum 15-01-2027 is afgeleid uit de betalingsvoorwaarden 'Te betalen vóór "
        "15-01-27': de datum die ze noemen (het jaar 27 gelezen als 2027)."
    ) in f.messages


def test_a_buyers_address_with_a_space_is_not_taken(tmp_path, demo):
    """'a b@flora.nl' went to Klanten as it was, and letters by e-mail to the mailbox
    '"a b"@flora.nl' that nobody has (found by the e-invoice review, session 26)."""
    mail = _FLORA_MAIL.replace("inkoop@flora.nl", "inkoop flora@flora.nl")
    assert mail != _FLORA_MAIL
    path = variant(tmp_path, "invoice-no-due-date.xml", "spatie.xml", (_FLORA_MAIL, mail))
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer) == ("toegevoegd", "K013")
    assert rows_of(demo, "Klanten", "Klantnr")["K013"]["E-mail"] in (None, "")
    assert (
        "E-mailadres niet overgenomen: 'inkoop flora@flora.nl' is geen e-mailadres: er staat "
        "een spatie in (cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ElectronicMail); "
        "vul het juiste adres zelf in op het blad Klanten." in f.messages
    )
    assert read_workbook(demo, DEMO_AS_OF)[1] == []


def test_a_payment_reference_another_invoice_has_is_left_out_and_the_next_run_accepts(
    demo, tmp_path
):
    """A sender that puts one reference on several invoices (one per customer): the workbook
    refuses two invoices with the same typed reference, so the import left the book to a
    `bijwerken` that stopped ('hebben hetzelfde betalingskenmerk'). Now the second keeps no
    reference, with a warning, and gets one of its own."""
    first = variant(tmp_path, "invoice-due-date.xml", "a.xml", ("2026-0201", "2026-0901"))
    second = variant(
        tmp_path,
        "invoice-due-date.xml",
        "b.xml",
        ("2026-0201", "2026-0902"),
    )
    # the reference debiteuren made for an invoice on Facturen (2024-0107 in the demo): the
    # letters sent for it name that reference
    third = variant(
        tmp_path,
        "invoice-due-date.xml",
        "c.xml",
        ("2026-0201", "2026-0903"),
        (
            "<cbc:PaymentID>6000000002026201</cbc:PaymentID>",
            "<cbc:PaymentID>RF80 2024 0107</cbc:PaymentID>",
        ),
    )
    result = import_invoices(demo, [first, second, third], now=NOW, as_of=DEMO_AS_OF)
    assert [f.status for f in result.files] == ["toegevoegd"] * 3
    facturen = rows_of(demo, "Facturen", "Factuurnr")
    assert facturen["2026-0901"]["Betalingskenmerk"] == "6000 0000 0202 6201"
    assert facturen["2026-0902"]["Betalingskenmerk"] is None
    assert facturen["2026-0903"]["Betalingskenmerk"] is None
    assert facturen["2026-0902"]["Bedrag (incl. btw)"] == 1210.0
    assert (
        "Het betalingskenmerk 6000 0000 0202 6201 in de e-factuur is al het kenmerk van factuur "
        "2026-0901 (eerder in deze reeks); het is niet overgenomen"
    ) in result.files[1].messages[-1]
    assert (
        "al het kenmerk van factuur 2024-0107 (op het blad Facturen, rij "
        in (result.files[2].messages[-1])
    )
    done = CliRunner().invoke(main, ["bijwerken", str(demo), "--peildatum", "2026-10-15"])
    assert done.exit_code == 0, done.output
    after = rows_of(demo, "Facturen", "Factuurnr")
    made = {after[n]["Betalingskenmerk"] for n in ("2026-0901", "2026-0902", "2026-0903")}
    assert len(made) == 3 and None not in made
    assert after["2024-0107"]["Betalingskenmerk"] == "RF80 2024 0107"
    # now every reference is typed on Facturen (bijwerken wrote them): compared by value
    fourth = variant(
        tmp_path,
        "invoice-due-date.xml",
        "d.xml",
        ("2026-0201", "2026-0904"),
        (
            "<cbc:PaymentID>6000000002026201</cbc:PaymentID>",
            "<cbc:PaymentID>RF802024 0107</cbc:PaymentID>",
        ),
    )
    (f,) = import_invoices(demo, [fourth], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "toegevoegd"
    assert "al het kenmerk van factuur 2024-0107 (op het blad Facturen, rij " in f.messages[-1]
    assert rows_of(demo, "Facturen", "Factuurnr")["2026-0904"]["Betalingskenmerk"] is None


def test_a_credit_note_keeps_a_reference_an_invoice_has(demo, tmp_path):
    """The workbook gives a credit note no reference of its own (nothing is paid on it), so
    the reference it names stands in no invoice's way and is kept."""
    note = variant(
        tmp_path,
        "creditnote.xml",
        "cn.xml",
        (
            "<cbc:PaymentID>RF5220260205</cbc:PaymentID>",
            "<cbc:PaymentID>RF80 2024 0107</cbc:PaymentID>",
        ),
    )
    result = import_invoices(demo, [note], now=NOW, as_of=DEMO_AS_OF)
    assert [f.status for f in result.files] == ["toegevoegd"]
    assert not any("betalingskenmerk" in m for m in result.files[0].messages)
    assert rows_of(demo, "Facturen", "Factuurnr")["2026-0205"]["Betalingskenmerk"] == (
        "RF80 2024 0107"
    )


def test_a_buyer_named_with_invisible_characters_only_is_refused(demo, tmp_path):
    """It became customer K013 with a zero-width space for a name; now it is a missing name."""
    path = variant(
        tmp_path,
        "invoice-no-due-date.xml",
        "zw.xml",
        ("<cbc:RegistrationName>Bloemenhandel Flora B.V.</cbc:RegistrationName>", ""),
        ("<cbc:Name>Flora</cbc:Name>", "<cbc:Name>\u200b\u200b</cbc:Name>"),
    )
    before = sha(demo)
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer) == ("fout", "")
    assert f.messages[0].startswith("Bij factuur 2026-0202 ontbreekt de naam van de koper")
    assert sha(demo) == before


def test_a_credit_note_that_credits_a_credit_note_says_so(demo, tmp_path):
    """The workbook reports it at the next bijwerken ('dat is een creditnota'); the import
    added it without a word, as if it lowered an invoice."""
    first = variant(tmp_path, "creditnote.xml", "cn1.xml", ("2026-0205", "CN-1"))
    second = variant(
        tmp_path,
        "creditnote.xml",
        "cn2.xml",
        ("2026-0205", "CN-2"),
        ("<cbc:ID>2026-0057</cbc:ID>", "<cbc:ID>cn-1</cbc:ID>"),
    )
    one, two = import_invoices(demo, [first, second], now=NOW, as_of=DEMO_AS_OF).files
    assert (one.status, two.status) == ("toegevoegd", "toegevoegd")
    assert not any("zelf een creditnota" in m for m in one.messages)
    assert two.messages[-1] == (
        "Let op: creditnota CN-2 crediteert cn-1, maar dat is zelf een creditnota; ze verlaagt "
        "dus geen factuur en gaat als betaling naar de oudste openstaande factuur van klant K003 "
        "(zonder openstaande factuur is ze een tegoed). Vul bij Crediteert factuur de factuur "
        "in die ze crediteert."
    )
    facturen = rows_of(demo, "Facturen", "Factuurnr")
    assert (facturen["CN-2"]["Crediteert factuur"], facturen["CN-2"]["Bedrag (incl. btw)"]) == (
        "CN-1",
        -242.0,
    )


def test_a_minimum_file_before_its_buyers_first_full_invoice_is_read_after_it(tmp_path, demo):
    """A Factur-X MINIMUM file has no buyer address. Before the full invoice that brings its
    buyer as a new customer (in the order of names in a zip), it was refused for the missing
    country, and the same files given again added it: the result hung on the order. It is
    now read again after the other files."""
    minimum = Path(__file__).parent.parent / "fixtures" / "cii" / "factur-x-minimum.xml"
    first = tmp_path / "a-minimum.xml"
    first.write_text(
        minimum.read_text(encoding="utf-8").replace(
            "Bouwbedrijf Van Dam B.V.", "Bloemenhandel Flora B.V."
        ),
        encoding="utf-8",
    )
    files = [first, UBL / "invoice-no-due-date.xml"]
    result = import_invoices(demo, files, now=NOW, as_of=DEMO_AS_OF)
    a, b = result.files
    assert (a.file.name, a.status, a.invoice, a.customer, a.new_customer, a.amount) == (
        "a-minimum.xml",
        "toegevoegd",
        "2026-0401",
        "K013",
        False,
        D("121.00"),
    )
    assert (b.status, b.customer, b.new_customer) == ("toegevoegd", "K013", True)
    assert "herkend aan naam" in a.messages[0]
    facturen = rows_of(demo, "Facturen", "Factuurnr")
    assert (facturen["2026-0401"]["Klantnr"], facturen["2026-0202"]["Klantnr"]) == ("K013", "K013")
    again_changes_nothing(demo, files, "geweigerd")


def test_a_buyer_without_name_known_by_a_later_file_is_read_after_it(tmp_path, demo):
    """The same for a buyer that gives its KvK number but no name: unknown, it cannot be a
    new customer; a later file adds it with that KvK number, and it is then recognised."""
    first = variant(
        tmp_path,
        "invoice-no-due-date.xml",
        "a.xml",
        ("2026-0202", "2026-0902"),
        ("<cbc:Name>Flora</cbc:Name>", "<cbc:Name/>"),
        ("<cbc:RegistrationName>Bloemenhandel Flora B.V.</cbc:RegistrationName>", ""),
    )
    files = [first, UBL / "invoice-no-due-date.xml"]
    a, b = import_invoices(demo, files, now=NOW, as_of=DEMO_AS_OF).files
    assert (a.status, a.invoice, a.customer, a.new_customer) == (
        "toegevoegd",
        "2026-0902",
        "K013",
        False,
    )
    assert "herkend aan KvK/KBO-nummer" in a.messages[0]
    assert (b.status, b.customer, b.new_customer) == ("toegevoegd", "K013", True)
    again_changes_nothing(demo, files, "geweigerd")
