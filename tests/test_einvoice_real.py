"""E-invoices laid out as real senders write them (tests/fixtures/real): every field the import
takes, read as the file says, and the whole batch imported into the demo workbook once."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.einvoice import (
    DAYS_THEN_MONTH_END,
    EInvoiceError,
    parse_einvoice,
    read_einvoice,
)
from debiteuren.service.einvoice import import_invoices
from test_einvoice_pdf import hybrid_pdf  # the sibling module: a PDF with attachments

REAL = Path(__file__).parent / "fixtures" / "real"
NOW = datetime(2026, 10, 15, 9, 0)

#: file -> (document, number, issue date, due date, where the due date came from, amount on
#: Facturen, BT-115, prepaid BT-113, payment reference as Facturen shows it, billing reference)
DOCUMENTS = {
    "nl-exact-invoice.xml": (
        "Invoice", "2026-0310", date(2026, 10, 5), date(2026, 11, 4), "DueDate",
        D("1210.00"), D("1210.00"), None, "9000 0000 2026 0310", "",
    ),
    "nl-moneybird-creditnote.xml": (
        "CreditNote", "2026-0311", date(2026, 10, 6), date(2026, 10, 20), "PaymentDueDate",
        D("-181.50"), D("181.50"), None, "", "2026-0073",
    ),
    "nl-eboekhouden-ubl20.xml": (
        "Invoice", "2026-0312", date(2026, 10, 7), date(2026, 10, 21), "PaymentDueDate",
        D("484.00"), D("484.00"), None, "2026-0312", "",
    ),
    "nl-twinfield-prepaid.xml": (
        "Invoice", "2026-0313", date(2026, 10, 8), date(2026, 11, 7), "DueDate",
        D("667.65"), D("667.65"), D("500.00"), "4000 0000 2026 0318", "",
    ),
    "nl-snelstart-rounding.xml": (
        "Invoice", "2026-0314", date(2026, 10, 9), date(2026, 10, 23), "DueDate",
        D("169.50"), D("169.50"), None, "2000 0000 2026 0319", "",
    ),
    "be-billit-sbdh.xml": (
        "Invoice", "2026-0316", date(2026, 10, 9), date(2026, 11, 8), "DueDate",
        D("302.50"), D("302.50"), None, "+++002/0260/31623+++", "",
    ),
    "be-odoo-creditnote.xml": (
        "CreditNote", "RINV/2026/00003", date(2026, 10, 10), date(2026, 10, 10),
        "PaymentDueDate", D("-127.20"), D("127.20"), D("0.00"), "RINV/2026/00003",
        "INV/2026/00041",
    ),
    "be-teamleader-terms.xml": (
        "Invoice", "2026 / 318", date(2026, 10, 12), date(2026, 10, 26), "PaymentTerms",
        D("780.00"), D("780.00"), None, "+++002/0260/31825+++", "",
    ),
    "be-negative-invoice.xml": (
        "Invoice", "2026-0319", date(2026, 10, 13), date(2026, 10, 13), "DueDate",
        D("-121.00"), D("-121.00"), None, "RF78 2026 0319", "2026-0019",
    ),
    "de-xrechnung-cii.xml": (
        "CrossIndustryInvoice", "2026-0320", date(2026, 10, 14), date(2026, 11, 13),
        "PaymentDueDate", D("1428.00"), D("1428.00"), None, "RE 2026-0320", "",
    ),
    "fr-facturx-basicwl.xml": (
        "CrossIndustryInvoice", "FA-2026-0321", date(2026, 10, 14), date(2026, 11, 28),
        "PaymentDueDate", D("2450.00"), D("2450.00"), None, "RF62 2026 0316", "",
    ),
    "de-facturx-extended.xml": (
        "CrossIndustryInvoice", "2026-0322", date(2026, 10, 14), date(2026, 11, 13),
        "PaymentDueDate", D("850.00"), D("850.00"), D("300.00"), "2026-0322", "",
    ),
}  # fmt: skip

#: file -> the buyer: (name, street, postcode, city, country, VAT number, registration and its
#: scheme, e-mail of the contact, electronic address and its scheme)
BUYERS = {
    "nl-exact-invoice.xml": (
        "Groothandel Vermeer B.V.", "Nijverheidsweg 12", "3812 PM", "Amersfoort", "NL",
        "NL123456782B01", ("34567890", "0106"), "facturen@vermeer-groothandel.nl",
        ("34567890", "0106"),
    ),
    "nl-moneybird-creditnote.xml": (
        "Jansen & Zn B.V.", "Keizersgracht 10", "1015 CN", "Amsterdam", "NL", "",
        ("12345678", "0106"), "administratie@jansen-zn.nl", ("12345678", "0106"),
    ),
    "nl-eboekhouden-ubl20.xml": (
        "Bouwbedrijf Van Dam B.V.", "Industrieweg 77", "2712 LB", "Zoetermeer", "NL", "",
        ("27123456", "0106"), "crediteuren@vandam-bouw.nl", ("", ""),
    ),
    "nl-twinfield-prepaid.xml": (
        "Gemeente Voorbeeldstad", "Postbus 1000", "9700 AA", "Voorbeeldstad", "NL",
        "NL004495445B01", ("45678901", "0106"), "facturen@voorbeeldstad.nl",
        ("00000001234567890000", "0190"),
    ),
    "nl-snelstart-rounding.xml": (
        "Visserij De Hoop V.O.F.", "Havenstraat 3", "8861 XB", "Harlingen", "NL", "", ("", ""),
        "", ("NL810433941B01", "9944"),
    ),
    "be-billit-sbdh.xml": (
        "Bakkerij Verstraete BV", "Veldstraat 41", "9000", "Gent", "BE", "BE0412345614",
        ("0412345614", "0208"), "boekhouding@bakkerij-verstraete.be", ("0412345614", "0208"),
    ),
    "be-odoo-creditnote.xml": (
        "Librairie Meuse SRL", "Rue Léopold 12", "4000", "Liège", "BE", "BE0765432146",
        ("BE0765432146", ""), "comptabilite@librairie-meuse.be", ("BE0765432146", "9925"),
    ),
    "be-teamleader-terms.xml": (
        "Agence Pixel", "Avenue Louise 54", "1050", "Bruxelles", "BE", "",
        ("0555.123.476", "0208"), "", ("invoices@agence-pixel.be", "EM"),
    ),
    "be-negative-invoice.xml": (
        "Ça va Café BV", "Grote Markt 5", "1000", "Brussel", "BE", "", ("", ""), "",
        ("0403170701", "0208"),
    ),
    "de-xrechnung-cii.xml": (
        "Stadt Köln, Amt für Öffentlichkeitsarbeit", "Rathausplatz 1", "50667", "Köln", "DE",
        "", ("", ""), "", ("rechnungseingang@stadt-koeln.example", "EM"),
    ),
    "fr-facturx-basicwl.xml": (
        "Éditions du Nord SARL", "12 rue Nationale", "59000", "Lille", "FR", "FR40303265045",
        ("732829320", "0002"), "", ("", ""),
    ),
    "de-facturx-extended.xml": (
        "Bouwbedrijf Van Dam", "Industrieweg 77", "2712 LB", "Zoetermeer", "NL", "",
        ("27123456", "0106"), "", ("", ""),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_document_fields_are_read_as_the_file_says(name):
    inv = read_einvoice(REAL / name)
    reference = inv.payment_reference.display if inv.payment_reference else inv.payment_id
    assert (
        inv.document,
        inv.number,
        inv.issue_date,
        inv.due_date,
        inv.due_date_source,
        inv.amount,
        inv.payable_amount,
        inv.prepaid_amount,
        reference,
        inv.billing_reference,
    ) == DOCUMENTS[name]
    assert inv.currency == "EUR"
    assert inv.warnings == ()


@pytest.mark.parametrize("name", sorted(BUYERS))
def test_the_buyer_is_read_as_the_file_says(name):
    buyer = read_einvoice(REAL / name).buyer
    assert (
        buyer.name,
        buyer.street,
        buyer.postcode,
        buyer.city,
        buyer.country,
        buyer.vat_number,
        (buyer.registration, buyer.registration_scheme),
        buyer.email,
        (buyer.endpoint_id, buyer.endpoint_scheme),
    ) == BUYERS[name]


def test_the_structured_references_are_recognised_with_their_kind():
    kinds = {name: read_einvoice(REAL / name).payment_reference for name in sorted(DOCUMENTS)}
    assert {name: ref.kind.value for name, ref in kinds.items() if ref is not None} == {
        "nl-exact-invoice.xml": "betalingskenmerk",
        "nl-twinfield-prepaid.xml": "betalingskenmerk",
        "nl-snelstart-rounding.xml": "betalingskenmerk",
        "be-billit-sbdh.xml": "ogm",
        "be-teamleader-terms.xml": "ogm",
        "be-negative-invoice.xml": "rf",
        "fr-facturx-basicwl.xml": "rf",
    }


def test_zugferd_1_is_refused_as_an_e_invoice_in_a_format_that_is_not_read():
    """It is an e-invoice: the message no longer begins by saying it is none."""
    with pytest.raises(EInvoiceError) as caught:
        read_einvoice(REAL / "de-zugferd1.xml")
    assert caught.value.message == (
        "E-factuur 'de-zugferd1.xml' (element CrossIndustryDocument): dit is een e-factuur in het "
        "oude ZUGFeRD 1.0-formaat (hoofdelement CrossIndustryDocument), dat debiteuren niet "
        "leest; vraag de afzender om ZUGFeRD 2, Factur-X of XRechnung (CII) of om UBL."
    )  # before: "dit XML-bestand is geen e-factuur ...; dit is een factuur in ... ZUGFeRD 1.0"


def _rows(path: Path, sheet: str, key: str) -> dict[str, dict[str, object]]:
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    head = list(rows[0])
    return {r[head.index(key)]: dict(zip(head, r, strict=False)) for r in rows[1:] if r[0]}


def test_the_batch_lands_in_the_demo_and_a_second_import_changes_nothing(tmp_path):
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    files = [REAL / name for name in sorted(DOCUMENTS)]
    result = import_invoices(demo, files, now=NOW, as_of=DEMO_AS_OF)
    assert {f.file.name: (f.status, f.customer, f.amount) for f in result.files} == {
        "be-billit-sbdh.xml": ("toegevoegd", "K013", D("302.50")),
        "be-negative-invoice.xml": ("toegevoegd", "K007", D("-121.00")),
        "be-odoo-creditnote.xml": ("toegevoegd", "K014", D("-127.20")),
        "be-teamleader-terms.xml": ("toegevoegd", "K015", D("780.00")),
        "de-facturx-extended.xml": ("toegevoegd", "K003", D("850.00")),
        "de-xrechnung-cii.xml": ("toegevoegd", "K016", D("1428.00")),
        "fr-facturx-basicwl.xml": ("toegevoegd", "K017", D("2450.00")),
        "nl-eboekhouden-ubl20.xml": ("toegevoegd", "K003", D("484.00")),
        "nl-exact-invoice.xml": ("toegevoegd", "K018", D("1210.00")),
        "nl-moneybird-creditnote.xml": ("toegevoegd", "K001", D("-181.50")),
        "nl-snelstart-rounding.xml": ("toegevoegd", "K019", D("169.50")),
        "nl-twinfield-prepaid.xml": ("toegevoegd", "K020", D("667.65")),
    }
    invoices = _rows(demo, "Facturen", "Factuurnr")
    assert (
        invoices["2026-0311"]["Creditnota"],
        invoices["2026-0311"]["Crediteert factuur"],
        invoices["2026-0319"]["Crediteert factuur"],
        invoices["2026-0313"]["Betalingskenmerk"],
        invoices["2026-0316"]["Betalingskenmerk"],
    ) == ("Ja", "2026-0073", "2026-0019", "4000 0000 2026 0318", "+++002/0260/31623+++")
    customers = _rows(demo, "Klanten", "Klantnr")
    assert customers["K020"]["Adres"] == "Postbus 1000, t.a.v. Financiële administratie"
    assert customers["K018"]["Adres"] == "Nijverheidsweg 12, Unit 4"
    assert {
        number: (c["Naam"], c["Land"], c["Taal"], c["E-mail"], c["KvK/KBO"], c["Btw-nummer"])
        for number, c in customers.items()
        if number >= "K013"
    } == {
        "K013": (
            "Bakkerij Verstraete BV", "BE", "nl", "boekhouding@bakkerij-verstraete.be",
            "0412.345.614", "BE0412345614",
        ),
        "K014": (
            "Librairie Meuse SRL", "BE", "fr", "comptabilite@librairie-meuse.be",
            "0765.432.146", "BE0765432146",
        ),
        "K015": ("Agence Pixel", "BE", "fr", "invoices@agence-pixel.be", "0555.123.476", None),
        "K016": (
            "Stadt Köln, Amt für Öffentlichkeitsarbeit", "DE", "de",
            "rechnungseingang@stadt-koeln.example", None, None,
        ),
        "K017": ("Éditions du Nord SARL", "FR", "fr", None, None, "FR40303265045"),
        "K018": (
            "Groothandel Vermeer B.V.", "NL", "nl", "facturen@vermeer-groothandel.nl",
            "34567890", "NL123456782B01",
        ),
        "K019": ("Visserij De Hoop V.O.F.", "NL", "nl", None, None, "NL810433941B01"),
        "K020": (
            "Gemeente Voorbeeldstad", "NL", "nl", "facturen@voorbeeldstad.nl", "45678901",
            "NL004495445B01",
        ),
    }  # fmt: skip
    before = hashlib.sha256(demo.read_bytes()).hexdigest()
    again = import_invoices(demo, files, now=NOW, as_of=DEMO_AS_OF)
    assert {f.status for f in again.files} == {"geweigerd"} and not again.saved
    assert hashlib.sha256(demo.read_bytes()).hexdigest() == before


def test_an_address_line_beside_the_street_is_kept_with_the_additional_street():
    """BT-163 (UBL cac:AddressLine/cbc:Line, CII ram:LineThree) was left out when the address had
    a street: Gemeente Voorbeeldstad lost 't.a.v. Financiële administratie'."""
    assert read_einvoice(REAL / "nl-twinfield-prepaid.xml").buyer.additional_street == (
        "t.a.v. Financiële administratie"
    )
    assert read_einvoice(REAL / "nl-exact-invoice.xml").buyer.additional_street == "Unit 4"
    twice = (
        (REAL / "nl-exact-invoice.xml")
        .read_text(encoding="utf-8")
        .replace(
            "<cbc:AdditionalStreetName>Unit 4</cbc:AdditionalStreetName>",
            "<cbc:AdditionalStreetName>Unit 4</cbc:AdditionalStreetName><cac:AddressLine><cbc:Line>"
            "Nijverheidsweg 12</cbc:Line></cac:AddressLine><cac:AddressLine><cbc:Line>Unit 4"
            "</cbc:Line></cac:AddressLine>",
        )
    )
    assert parse_einvoice(twice.encode(), source="x.xml").buyer.additional_street == "Unit 4"
    text = (REAL / "de-xrechnung-cii.xml").read_text(encoding="utf-8")
    changed = text.replace(
        "<ram:LineTwo>Zimmer 204</ram:LineTwo>",
        "<ram:LineTwo>Zimmer 204</ram:LineTwo><ram:LineThree>Rechnungsstelle</ram:LineThree>",
    )
    assert changed != text
    buyer = parse_einvoice(changed.encode("utf-8"), source="x.xml").buyer
    assert (buyer.street, buyer.additional_street) == (
        "Rathausplatz 1",
        "Zimmer 204, Rechnungsstelle",
    )


def _with_accents(encoding: str, declared: str | None) -> bytes:
    """Return the Billit invoice with an accented buyer name, its declaration naming
    ``declared`` (None: no declaration), written in ``encoding``."""
    text = (REAL / "be-billit-sbdh.xml").read_text(encoding="utf-8")
    text = text.replace("Bakkerij Verstraete BV", "Café Zürich BV")
    head, rest = text.split("?>", 1)
    if declared is None:
        return rest.lstrip().encode(encoding)
    return (head.replace('encoding="UTF-8"', f'encoding="{declared}"') + "?>" + rest).encode(
        encoding
    )


@pytest.mark.parametrize("declared", ["ISO-8859-1", "windows-1252", "us-ascii"])
def test_utf_8_declared_as_a_one_byte_encoding_is_read_as_utf_8_with_a_warning(declared):
    """Before, read as declared: the buyer 'Café Zürich BV' became 'CafÃ© ZÃ¼rich BV' on Klanten
    without a word (ISO-8859-1, Windows-1252), or the file was refused as damaged (ASCII)."""
    inv = parse_einvoice(_with_accents("utf-8", declared), source="f.xml")
    assert inv.buyer.name == "Café Zürich BV"
    assert inv.warnings == (
        f"Het bestand noemt de tekenset {declared}, maar is in UTF-8 geschreven (zoals 'é' als "
        "de twee bytes van UTF-8); het is als UTF-8 gelezen, anders werd 'Café' 'CafÃ©'. "
        "Controleer de naam en het adres van de klant.",
    )
    # written in the encoding it names, it is read as such, without a warning
    if declared != "us-ascii":
        inv = parse_einvoice(_with_accents("cp1252", declared), source="f.xml")
        assert (inv.buyer.name, inv.warnings) == ("Café Zürich BV", ())


@pytest.mark.parametrize(
    ("declared", "named"),
    [("UTF-8", "UTF-8, de tekenset die het bestand noemt"), (None, "UTF-8, de tekenset van een "
     "XML-bestand zonder opgave")],
)  # fmt: skip
def test_a_file_in_another_encoding_than_it_names_is_refused_as_such(declared, named):
    """Before: "dit is geen geldig XML-bestand; het is beschadigd of onvolledig" with libxml2's
    'Invalid bytes in character encoding': the file is whole, in Windows-1252."""
    with pytest.raises(EInvoiceError) as caught:
        parse_einvoice(_with_accents("cp1252", declared), source="f.xml")
    line = 1 + _with_accents("utf-8", declared).split(b"Caf")[0].count(b"\n")
    assert caught.value.message == (
        f"E-factuur 'f.xml' (regel {line}): de tekens op deze regel zijn geen {named}: het "
        "bestand is in een andere tekenset opgeslagen (vaak Windows-1252 of ISO-8859-1). Vraag "
        "de afzender om de factuur in UTF-8 te sturen, of met de tekenset die ze gebruikt in de "
        "eerste regel."
    )


def test_an_encoding_that_is_not_read_is_named():
    with pytest.raises(EInvoiceError) as caught:
        parse_einvoice(_with_accents("utf-8", "x-mac-unknown"), source="f.xml")
    assert caught.value.message == (
        "E-factuur 'f.xml' (regel 1): het bestand noemt een tekenset ('x-mac-unknown') die niet "
        "gelezen wordt; vraag de afzender om de factuur in UTF-8 te sturen."
    )


def test_a_negative_invoice_with_the_corrected_invoices_due_date_is_read_as_a_credit_note_is():
    """A negative invoice is a credit (the workbook books it as a credit note), and like a
    credit note's, a due date before its date (copied from the invoice it corrects) is left out
    with a warning. Before, the file was refused: "'2026-07-20' is een vervaldatum vóór de
    factuurdatum 2026-10-13"."""
    text = (REAL / "be-negative-invoice.xml").read_text(encoding="utf-8")
    changed = text.replace("<cbc:DueDate>2026-10-13<", "<cbc:DueDate>2026-07-20<")
    assert changed != text
    inv = parse_einvoice(changed.encode("utf-8"), source="x.xml")
    assert (inv.amount, inv.due_date, inv.billing_reference) == (D("-121.00"), None, "2026-0019")
    assert inv.warnings == (
        "De negatieve factuur (een creditering) noemt een vervaldatum (20-07-2026, cbc:DueDate) "
        "vóór haar datum 13-10-2026; die is niet overgenomen.",
    )
    # a positive invoice with it is still refused
    positive = changed.replace(">-", ">")
    with pytest.raises(EInvoiceError, match="is een vervaldatum vóór de factuurdatum"):
        parse_einvoice(positive.encode("utf-8"), source="x.xml")


@pytest.mark.parametrize(
    ("name", "attachment"),
    [
        ("fr-facturx-basicwl.xml", "factur-x.xml"),
        ("de-facturx-extended.xml", "factur-x.xml"),
        ("de-xrechnung-cii.xml", "xrechnung.xml"),
        ("nl-exact-invoice.xml", "invoice.xml"),
    ],
)
def test_a_hybrid_pdf_with_the_xml_attached_reads_as_the_xml(name, attachment):
    """Factur-X BASIC WL and EXTENDED, XRechnung CII and a UBL invoice, each attached to a PDF
    (with a logo beside it, as invoicing programs add one): the same invoice as the XML."""
    xml = (REAL / name).read_bytes()
    pdf = hybrid_pdf([("logo.png", b"\x89PNG\r\n\x1a\n" + bytes(2000)), (attachment, xml)])
    from_pdf = parse_einvoice(pdf, source="f.pdf")
    from_xml = parse_einvoice(xml, source="f.pdf")
    assert from_pdf == from_xml
    assert from_pdf.amount == DOCUMENTS[name][5]


def test_a_tax_currency_beside_the_euro_changes_no_amount():
    """BT-6 TaxCurrencyCode: the VAT total once more in the tax currency (a second
    cac:TaxTotal without subtotals, PEPPOL-EN16931-R053). The amount due stays the euro one."""
    text = (REAL / "nl-exact-invoice.xml").read_text(encoding="utf-8")
    changed = text.replace(
        "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>",
        "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>"
        "<cbc:TaxCurrencyCode>SEK</cbc:TaxCurrencyCode>",
    ).replace(
        "<cac:LegalMonetaryTotal>",
        '<cac:TaxTotal><cbc:TaxAmount currencyID="SEK">2415.30</cbc:TaxAmount></cac:TaxTotal>'
        "<cac:LegalMonetaryTotal>",
    )
    assert changed.count("SEK") == 2
    inv = parse_einvoice(changed.encode("utf-8"), source="x.xml")
    assert (inv.currency, inv.amount, inv.warnings) == ("EUR", D("1210.00"), ())
    assert [(v.category, v.percent, v.tax_amount) for v in inv.vat] == [("S", D("21"), D("210.00"))]


def test_a_kvk_number_in_an_oin_matches_the_customer(tmp_path):
    """An OIN with prefix 00000003 holds the KvK number (Logius, OIN-stelsel). A buyer that
    gives only its OIN (EndpointID 0190) was neither matched to the customer with that KvK
    number nor added with it: here the demo's K006 (KvK 17012345) under another name became a
    new customer. An OIN of an RSIN (prefix 00000001) holds no KvK number."""
    text = (REAL / "nl-twinfield-prepaid.xml").read_text(encoding="utf-8")
    changed = (
        text.replace("00000001234567890000", "00000003170123450000")
        .replace('<cbc:CompanyID schemeID="0106">45678901</cbc:CompanyID>', "")
        .replace("NL004495445B01", "")
        .replace("Gemeente Voorbeeldstad</cbc:RegistrationName>", "Zwaan Hotels B.V.<")
        .replace("Zwaan Hotels B.V.<", "Zwaan Hotels B.V.</cbc:RegistrationName>")
    )
    path = tmp_path / "oin.xml"
    path.write_text(changed, encoding="utf-8")
    buyer = read_einvoice(path).buyer
    assert (buyer.name, buyer.registration, buyer.registration_scheme) == (
        "Zwaan Hotels B.V.",
        "17012345",
        "0106",
    )
    assert (buyer.endpoint_id, buyer.endpoint_scheme) == ("00000003170123450000", "0190")
    assert read_einvoice(REAL / "nl-twinfield-prepaid.xml").buyer.registration == "45678901"
    rsin = changed.replace("00000003170123450000", "00000001002564440000")
    assert parse_einvoice(rsin.encode(), source="x.xml").buyer.registration == ""
    cii = (REAL / "de-xrechnung-cii.xml").read_text(encoding="utf-8")
    cii = cii.replace(
        '<ram:URIID schemeID="EM">rechnungseingang@stadt-koeln.example</ram:URIID>',
        '<ram:URIID schemeID="0190">00000003170123450000</ram:URIID>',
    )
    buyer = parse_einvoice(cii.encode(), source="x.xml").buyer
    assert (buyer.registration, buyer.registration_scheme) == ("17012345", "0106")
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.new_customer) == ("toegevoegd", "K006", False)
    assert f.messages[0].endswith("klant K006 Hotel De Zwaan (herkend aan KvK/KBO-nummer).")


#: A buyer's name in the letters ISO-8859-1 and Windows-1252 share (no markup characters).
_LATIN_NAMES = st.text(
    alphabet=st.sampled_from(
        [chr(c) for c in range(0x20, 0x7F) if chr(c) not in "<>&"]
        + [chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7)]
    ),
    min_size=1,
    max_size=40,
).map(lambda name: " ".join(name.split()) or "x")


@settings(max_examples=40, deadline=None)
@given(name=_LATIN_NAMES, declared=st.sampled_from(["ISO-8859-1", "windows-1252"]))
def test_a_name_in_a_one_byte_declaration_reads_the_same_in_either_writing(name, declared):
    """Written in the encoding it names, or in UTF-8 under that declaration, the buyer's name is
    read as written; only the second carries the warning."""
    text = (REAL / "be-billit-sbdh.xml").read_text(encoding="utf-8")
    text = text.replace(
        "Bakkerij Verstraete BV</cbc:RegistrationName>", f"{name}</cbc:RegistrationName>"
    ).replace('encoding="UTF-8"', f'encoding="{declared}"', 1)
    as_named = parse_einvoice(text.encode("cp1252"), source="f.xml")
    as_utf8 = parse_einvoice(text.encode("utf-8"), source="f.xml")
    assert as_named.buyer.name == as_utf8.buyer.name == name
    assert as_named.warnings == ()
    assert len(as_utf8.warnings) == (0 if name.isascii() else 1)


def _teamleader_with_terms(tmp_path: Path, terms: str) -> Path:
    """Return the Teamleader invoice (no BT-9) with other payment terms (BT-20)."""
    text = (REAL / "be-teamleader-terms.xml").read_text(encoding="utf-8")
    changed = text.replace("Betaalbaar binnen 14 dagen na factuurdatum.", terms)
    assert changed != text
    path = tmp_path / "terms.xml"
    path.write_text(changed, encoding="utf-8")
    return path


def test_a_grace_period_in_the_terms_is_imported_as_the_payment_term_alone(tmp_path):
    """'Respijttermijn 3 dagen' beside the term made the terms two terms: the due date fell
    back to 30 days, with a message that the terms were not read."""
    path = _teamleader_with_terms(
        tmp_path, "Betaalbaar binnen 14 dagen na factuurdatum. Respijttermijn 3 dagen."
    )
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.due_date) == ("toegevoegd", date(2026, 10, 26))
    assert f.messages[-1] == (
        "De vervaldatum 26-10-2026 is afgeleid uit de betalingsvoorwaarden 'Betaalbaar binnen "
        "14 dagen na factuurdatum. Respijttermijn 3 dagen.': factuurdatum plus 14 dagen (de "
        "respijttermijn van 3 dagen daarna telt niet mee)."
    )


def test_an_invoice_that_says_it_is_paid_is_added_with_a_warning(tmp_path):
    """'Betrag dankend erhalten' (a counter sale paid in cash, written by the seller's own
    program with the full amount due): it was added as an open claim without a word, and the
    ladder sent reminders for a paid invoice. It is added for its amount due (the invoice's
    own figure: the words are read by phrases, and a claim skipped on a misreading would be
    gone from the record), and the message says to book the payment first."""
    path = _teamleader_with_terms(tmp_path, "Betrag dankend erhalten.")
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    result = import_invoices(demo, [path, REAL / "nl-exact-invoice.xml"], now=NOW, as_of=DEMO_AS_OF)
    paid, other = result.files
    assert (paid.status, paid.invoice, other.status) == ("toegevoegd", "2026 / 318", "toegevoegd")
    assert paid.amount == D("780.00")
    assert (
        "Let op: factuur 2026 / 318 zegt dat ze al betaald is ('Betrag dankend erhalten', "
        "cac:PaymentTerms/cbc:Note), maar noemt een te betalen bedrag van € 780,00 "
        "(cac:LegalMonetaryTotal/cbc:PayableAmount) zonder vooruitbetaald bedrag; ze is voor "
        "dat bedrag ingelezen. Is ze al betaald (bijvoorbeeld contant of per pin), boek die "
        "betaling dan op het blad Betalingen voordat er een herinnering uitgaat; staat er iets "
        "anders bedoeld, dan hoeft u niets te doen."
    ) in paid.messages
    assert result.saved
    invoices = _rows(demo, "Facturen", "Factuurnr")
    assert "2026 / 318" in invoices and "2026-0310" in invoices


def test_an_invoice_that_says_it_is_paid_beside_a_part_prepaid_is_added_with_a_warning(
    tmp_path,
):
    """With a prepaid amount (BT-113) below the total, 'Reeds voldaan' may mean that part:
    the invoice is added for the amount due, and the message says what to check."""
    text = (REAL / "nl-twinfield-prepaid.xml").read_text(encoding="utf-8")
    path = tmp_path / "deels.xml"
    path.write_text(text.replace("30 dagen netto", "Reeds voldaan."), encoding="utf-8")
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.amount) == ("toegevoegd", D("667.65"))
    assert (
        "Let op: factuur 2026-0313 zegt dat ze al betaald is ('Reeds voldaan', "
        "cac:PaymentTerms/cbc:Note), maar van het bedrag inclusief btw € 1.167,65 is € 500,00 "
        "vooruitbetaald en € 667,65 nog te betalen; ze is voor dat bedrag ingelezen. Is ze "
        "helemaal betaald, boek de betaling dan op het blad Betalingen."
    ) in f.messages


def test_a_credit_note_that_says_it_is_paid_is_added_with_a_warning(tmp_path):
    """A credit note's 'already paid' may be the credit paid out: it is added (a credit is
    not skipped), and the message says to book the refund."""
    text = (REAL / "nl-moneybird-creditnote.xml").read_text(encoding="utf-8")
    changed = text.replace(
        "Creditering van factuur 2026-0073", "Creditering van factuur 2026-0073. Already paid."
    )
    assert changed != text
    path = tmp_path / "credit.xml"
    path.write_text(changed, encoding="utf-8")
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.amount) == ("toegevoegd", D("-181.50"))
    assert f.messages[1] == (
        "Let op: creditnota 2026-0311 zegt dat er al betaald is ('Already paid', cbc:Note). "
        "Is het tegoed al aan de klant terugbetaald, boek die terugbetaling dan op het blad "
        "Betalingen; anders telt het tegoed twee keer."
    )


def test_a_cii_note_that_says_the_invoice_is_paid_is_read():
    text = (REAL / "de-facturx-extended.xml").read_text(encoding="utf-8")
    changed = text.replace("Bouwborden tweede levering", "Rechnungsbetrag dankend erhalten")
    assert changed != text
    inv = parse_einvoice(changed.encode("utf-8"), source="x.xml")
    assert (inv.paid_statement, inv.paid_statement_element) == (
        "Rechnungsbetrag dankend erhalten",
        "rsm:ExchangedDocument/ram:IncludedNote/ram:Content",
    )
    assert read_einvoice(REAL / "de-facturx-extended.xml").paid_statement == ""


@pytest.mark.parametrize(
    ("terms", "says"),
    [
        # the amount due itself: the invoice is paid
        ("Betrag von 780,00 EUR dankend erhalten.", "zegt dat ze al betaald is"),
        ("Already paid: EUR 780.00", "zegt dat ze al betaald is"),
        # another amount: a part was paid, the rest is open
        ("Reeds betaald: € 500,00", "zegt dat er al betaald is"),
        ("Bereits bezahlt 1.000,00 EUR", "zegt dat er al betaald is"),
    ],
)
def test_words_that_say_paid_with_another_amount_are_about_a_part(tmp_path, terms, says):
    """'Reeds betaald: € 500,00' on an invoice of € 780,00 (no PrepaidAmount written) says a
    part is paid, the amount due itself that the invoice is: either way it is added for its
    amount due, and the warning says which."""
    path = _teamleader_with_terms(tmp_path, terms)
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.amount) == ("toegevoegd", D("780.00"))
    assert any(m.startswith(f"Let op: factuur 2026 / 318 {says}") for m in f.messages)


@pytest.mark.parametrize(
    "written",
    [
        "27123456 0000",  # with the subdossier number of the old 12-digit form
        "27123456-0000",
        "271234560000",
        "KvK 27123456 0000",
        "KvK 27123456, vestigingsnummer 000012345678",  # with a 12-digit branch number
        "27123456 000012345678",
    ],
)
def test_a_kvk_number_written_with_a_branch_or_subdossier_number_is_the_kvk_number(
    tmp_path, written
):
    """The 8-digit KvK number is read from the forms senders write in the legal registration
    (BT-30, BT-47): the buyer was not recognised by it (K003 became a new customer) and a new
    buyer was added without its KvK number."""
    text = (REAL / "de-facturx-extended.xml").read_text(encoding="utf-8")
    changed = text.replace(
        '<ram:ID schemeID="0106">27123456</ram:ID>', f'<ram:ID schemeID="0106">{written}</ram:ID>'
    ).replace("<ram:Name>Bouwbedrijf Van Dam</ram:Name>", "<ram:Name>Van Dam Holding</ram:Name>")
    assert changed.count(written) == 1
    path = tmp_path / "kvk.xml"
    path.write_text(changed, encoding="utf-8")
    buyer = read_einvoice(path).buyer
    assert (buyer.registration, buyer.registration_scheme) == ("27123456", "0106")
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.new_customer) == ("toegevoegd", "K003", False)
    assert f.messages[0].endswith("(herkend aan KvK/KBO-nummer).")


@pytest.mark.parametrize(
    ("written", "registration", "on_klanten"),
    [
        ("34567890 0000", "34567890", "34567890"),
        ("KvK: 34567890 0000", "34567890", "34567890"),
        # without a scheme: the Dutch buyer's rules read the 12-digit form
        ("<no scheme>34567890 0000", "34567890 0000", "34567890"),
        # a branch number alone holds no KvK number: read as written, the buyer still added
        ("000012345678", "000012345678", None),
    ],
)
def test_a_new_buyer_gets_the_8_digit_kvk_number(tmp_path, written, registration, on_klanten):
    text = (REAL / "nl-exact-invoice.xml").read_text(encoding="utf-8")
    element = f'<cbc:CompanyID schemeID="0106">{written}</cbc:CompanyID>'
    if written.startswith("<no scheme>"):
        written = written.removeprefix("<no scheme>")
        element = f"<cbc:CompanyID>{written}</cbc:CompanyID>"
    changed = text.replace(
        '<cbc:CompanyID schemeID="0106">34567890</cbc:CompanyID>', element
    ).replace('<cbc:EndpointID schemeID="0106">34567890</cbc:EndpointID>', "")
    assert changed.count(written) == 1 and "34567890<" not in changed
    path = tmp_path / "nieuw.xml"
    path.write_text(changed, encoding="utf-8")
    assert read_einvoice(path).buyer.registration == registration
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.new_customer) == ("toegevoegd", "K013", True)
    assert _rows(demo, "Klanten", "Klantnr")["K013"]["KvK/KBO"] == on_klanten


def test_a_buyer_with_our_kvk_number_and_its_subdossier_is_a_purchase_invoice(tmp_path):
    """The seller's KvK with '0000' after it, as the buyer (and the seller's own legal
    registration so written): the buyer is still our business, and the seller reads as 8
    digits."""
    text = (REAL / "nl-exact-invoice.xml").read_text(encoding="utf-8")
    changed = (
        text.replace(
            '<cbc:CompanyID schemeID="0106">30123456</cbc:CompanyID>',
            '<cbc:CompanyID schemeID="0106">30123456 0000</cbc:CompanyID>',
        )
        .replace('<cbc:EndpointID schemeID="0106">34567890</cbc:EndpointID>', "")
        .replace(
            '<cbc:CompanyID schemeID="0106">34567890</cbc:CompanyID>',
            '<cbc:CompanyID schemeID="0106">KvK 30123456 0000</cbc:CompanyID>',
        )
        .replace("NL123456782B01", "")
    )
    path = tmp_path / "inkoop.xml"
    path.write_text(changed, encoding="utf-8")
    assert read_einvoice(path).seller.registration == "30123456"
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert f.status == "fout"
    assert "is gericht aan uw eigen bedrijf" in f.messages[0]


def test_the_files_with_terms_to_read_land_in_the_demo_as_their_terms_say(tmp_path):
    """Three files without a due date (BT-9): XRechnung's discount line with a day of the
    following month, a counter sale that says it is paid, and a month's term with a grace
    period and a KvK number with its branch number."""
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    files = [
        REAL / "de-xrechnung-folgemonat.xml",
        REAL / "nl-kassa-voldaan.xml",
        REAL / "nl-kvk-vestiging-respijt.xml",
    ]
    result = import_invoices(demo, files, now=NOW, as_of=DEMO_AS_OF)
    assert [(f.status, f.invoice, f.customer, f.due_date) for f in result.files] == [
        ("toegevoegd", "2026-0330", "K013", date(2026, 11, 15)),
        ("toegevoegd", "2026-0331", "K014", date(2026, 11, 8)),
        ("toegevoegd", "2026-0332", "K015", date(2026, 11, 5)),
    ]
    folgemonat, kassa, kvk = result.files
    assert folgemonat.messages[-1] == (
        "De vervaldatum 15-11-2026 is afgeleid uit de betalingsvoorwaarden '#SKONTO#TAGE=10#"
        "PROZENT=2.00# Zahlbar ohne Abzug bis zum 15. des Folgemonats.': de 15e van de maand na "
        "de factuurdatum (de termijn voor korting telt niet mee)."
    )
    assert any(
        m.startswith(
            "Let op: factuur 2026-0331 zegt dat ze al betaald is ('Voldaan per pin', "
            "cac:PaymentTerms/cbc:Note), maar noemt een te betalen bedrag van € 169,50"
        )
        for m in kassa.messages
    )
    assert kvk.messages[-1].endswith(
        ": factuurdatum plus 1 maand (de respijttermijn van 3 dagen daarna telt niet mee)."
    )
    customers = _rows(demo, "Klanten", "Klantnr")
    assert (customers["K015"]["Naam"], customers["K015"]["KvK/KBO"]) == (
        "Groothandel Vermeer B.V.",
        "34567890",
    )
    assert "2026-0331" in _rows(demo, "Facturen", "Factuurnr")


def test_a_french_term_to_the_end_of_the_month_written_fdm_is_read_by_the_setting(tmp_path):
    """'45 jours FDM' (FDM: fin de mois, as French invoicing programs write it) was read as 45
    days from the invoice date, 23-11-2026: three weeks before the 15-12-2026 of either reading
    of the end of the month, so the customer was reminded before the agreed day."""
    path = REAL / "fr-ubl-fdm.xml"
    inv = read_einvoice(path)
    assert (inv.number, inv.issue_date, inv.due_date, inv.due_date_source, inv.amount) == (
        "2026-0340",
        date(2026, 10, 9),
        date(2026, 12, 15),
        "PaymentTerms",
        D("1850.00"),
    )
    assert read_einvoice(path, month_end=DAYS_THEN_MONTH_END).due_date == date(2026, 11, 30)
    assert (inv.buyer.registration, inv.buyer.registration_scheme, inv.buyer.vat_number) == (
        "552100554",
        "0002",
        "FR96552100554",
    )
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.amount, f.due_date) == (
        "toegevoegd",
        "K013",
        D("1850.00"),
        date(2026, 12, 15),
    )
    assert f.messages[-1].endswith(
        ": het einde van de maand van de factuurdatum plus 45 dagen (instelling 'E-factuur: "
        "dagen einde maand': einde maand plus dagen)."
    )
    row = _rows(demo, "Facturen", "Factuurnr")["2026-0340"]
    assert (row["Klantnr"], row["Vervaldatum"], row["Bedrag (incl. btw)"]) == (
        "K013",
        datetime(2026, 12, 15),
        1850,
    )


def test_prefixes_other_than_cac_and_cbc_and_a_term_in_dgn_are_read(tmp_path):
    """JAXB's ns2 and ns3 are the UBL namespaces all the same; '14 dgn.' named no term in days,
    so the due date fell back to the standard 30 days (08-11-2026) with a message that the
    terms name none."""
    path = REAL / "nl-jaxb-dgn.xml"
    inv = read_einvoice(path)
    assert (
        inv.number,
        inv.issue_date,
        inv.due_date,
        inv.due_date_source,
        inv.amount,
        inv.payment_id,
        inv.buyer.name,
        inv.buyer.vat_number,
        inv.buyer.city,
        inv.buyer_reference,
    ) == (
        "2026-0341",
        date(2026, 10, 9),
        date(2026, 10, 23),
        "PaymentTerms",
        D("169.50"),
        "3000 0000 2026 0341",
        "Kwekerij Het Groene Blad B.V.",
        "",
        "Zwolle",
        "PO-4471",
    )
    assert inv.warnings == ()
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.due_date) == ("toegevoegd", "K013", date(2026, 10, 23))
    assert f.messages[-1] == (
        "De vervaldatum 23-10-2026 is afgeleid uit de betalingsvoorwaarden 'Betalingstermijn: "
        "14 dgn. na factuurdatum': factuurdatum plus 14 dagen."
    )
    row = _rows(demo, "Facturen", "Factuurnr")["2026-0341"]
    assert (row["Vervaldatum"], row["Bedrag (incl. btw)"]) == (datetime(2026, 10, 23), 169.5)


def test_an_invoice_to_another_customer_with_a_known_number_is_refused_not_skipped(tmp_path):
    """2026-0057 is the demo's invoice to K003; this file's 2026-0057 is to K006 (by its KvK
    number), another claim. It was skipped as a duplicate ('staat al in het werkboek; deze
    e-factuur is overgeslagen', exit code 0): the claim on Hotel De Zwaan was lost with a
    message that it was already there."""
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    before = hashlib.sha256(demo.read_bytes()).hexdigest()
    path = REAL / "nl-nummer-opnieuw.xml"
    result = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF)
    (f,) = result.files
    assert (f.status, f.invoice) == ("fout", "2026-0057")
    assert f.messages == (
        "Factuur 2026-0057 staat al in het werkboek (Facturen, rij 16) voor klant K003 "
        "(Bouwbedrijf Van Dam B.V.), maar deze e-factuur is gericht aan klant K006 (Hotel De "
        "Zwaan, herkend aan KvK/KBO-nummer): een ander document met hetzelfde nummer, geen "
        "dubbele. Op het blad Facturen heeft elk nummer één regel: voer de factuur zelf in met "
        "een nummer dat er nog niet staat (bijvoorbeeld '2026-0057-2'). Er is niets uit dit "
        "bestand ingelezen.",
    )
    assert result.failed and not result.saved
    assert hashlib.sha256(demo.read_bytes()).hexdigest() == before


def test_two_files_with_one_number_to_two_customers_in_one_batch(tmp_path):
    """The second of two invoices numbered alike: refused when its buyer is another known
    customer; skipped with a word when its buyer is no customer yet (its name may be written
    otherwise on Klanten)."""
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    first = REAL / "nl-jaxb-dgn.xml"  # 2026-0341, a new customer
    text = (REAL / "nl-nummer-opnieuw.xml").read_text(encoding="utf-8")
    known = tmp_path / "known.xml"  # 2026-0341 to K006
    known.write_text(text.replace("2026-0057</cbc:ID>", "2026-0341</cbc:ID>"), encoding="utf-8")
    new = tmp_path / "new.xml"  # 2026-0341 to a buyer not on Klanten
    new.write_text(
        known.read_text(encoding="utf-8")
        .replace("Hotel De Zwaan", "Hotel Het Hert")
        .replace("17012345", "17099999"),
        encoding="utf-8",
    )
    result = import_invoices(demo, [first, known, new, first], now=NOW, as_of=DEMO_AS_OF)
    assert [(f.status, f.customer) for f in result.files] == [
        ("toegevoegd", "K013"),
        ("fout", ""),
        ("geweigerd", ""),
        ("geweigerd", ""),
    ]
    assert (
        result.files[1]
        .messages[0]
        .startswith(
            "Factuur 2026-0341 staat al in nl-jaxb-dgn.xml in deze reeks voor klant K013 (Kwekerij "
            "Het Groene Blad B.V.), maar deze e-factuur is gericht aan klant K006 (Hotel De Zwaan, "
            "herkend aan KvK/KBO-nummer): een ander document met hetzelfde nummer, geen dubbele."
        )
    )
    assert result.files[2].messages == (
        "Factuur 2026-0341 staat al in nl-jaxb-dgn.xml in deze reeks; deze e-factuur is "
        "overgeslagen. Let op: de koper in deze e-factuur (Hotel Het Hert) is niet herkend als "
        "klant K013 (Kwekerij Het Groene Blad B.V.) van die factuur; is dit een ander document "
        "met hetzelfde nummer, voer het dan zelf in met een nummer dat er nog niet staat.",
    )
    assert result.files[3].messages == (  # the same file again: a duplicate, nothing more
        "Factuur 2026-0341 staat al in nl-jaxb-dgn.xml in deze reeks; deze e-factuur is "
        "overgeslagen.",
    )
    assert [n for n in _rows(demo, "Facturen", "Factuurnr") if n == "2026-0341"] == ["2026-0341"]


def test_a_day_to_pay_by_beside_the_french_no_discount_mention_is_the_due_date(tmp_path):
    """'Escompte pour paiement anticipé : néant' made the terms a discount's, so the day to pay
    by beside it was not read: due 13-11-2026 (the standard 30 days), a month before the
    15-12-2026 the invoice names."""
    path = REAL / "fr-facturx-sans-escompte.xml"
    inv = read_einvoice(path)
    assert (inv.number, inv.due_date, inv.due_date_source, inv.amount, inv.terms_not_read) == (
        "FA-2026-0342",
        date(2026, 12, 15),
        "PaymentTerms",
        D("980.00"),
        "",
    )
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer, f.due_date) == ("toegevoegd", "K013", date(2026, 12, 15))
    assert f.messages[-1].endswith(": de datum die ze noemen.")
    row = _rows(demo, "Facturen", "Factuurnr")["FA-2026-0342"]
    assert (row["Vervaldatum"], row["Betalingskenmerk"]) == (datetime(2026, 12, 15), "FA-2026-0342")


def test_utf_8_declared_as_utf_16_is_read_as_utf_8(tmp_path):
    """.NET programs that make the XML as text and save it as UTF-8 declare 'utf-16': libxml2
    refused the file as damaged ('dit is geen geldig XML-bestand; het is beschadigd of
    onvolledig', 'Blank needed here'), though every byte of it is the invoice."""
    path = REAL / "nl-dotnet-utf16-declared.xml"
    inv = read_einvoice(path)
    assert (inv.number, inv.due_date, inv.amount, inv.buyer.name, inv.buyer.street) == (
        "2026-0343",
        date(2026, 10, 26),
        D("169.50"),
        "Eetcafé Het Gouden Hoofd",
        "Crêpeplein 7",
    )
    assert inv.warnings == (
        "Het bestand noemt de tekenset utf-16, maar is in UTF-8 geschreven (een programma dat "
        "de XML als tekst maakt en als UTF-8 opslaat, doet dat); het is als UTF-8 gelezen. "
        "Controleer de naam en het adres van de klant.",
    )
    ascii_only = path.read_bytes().replace("é".encode(), b"e").replace("ê".encode(), b"e")
    plain = parse_einvoice(ascii_only, source="x.xml")  # nothing to read otherwise: no warning
    assert (plain.buyer.name, plain.warnings) == ("Eetcafe Het Gouden Hoofd", ())
    # a file in UTF-16 as it declares is read as before
    utf16 = path.read_bytes().decode("utf-8").encode("utf-16")
    assert parse_einvoice(utf16, source="y.xml").buyer.name == "Eetcafé Het Gouden Hoofd"
    # in Windows-1252 under that declaration it is refused as such, not as damaged
    with pytest.raises(EInvoiceError) as caught:
        parse_einvoice(path.read_bytes().decode("utf-8").encode("cp1252"), source="z.xml")
    assert caught.value.message == (
        "E-factuur 'z.xml' (regel 1): het bestand noemt de tekenset utf-16, maar is geschreven "
        "met één byte per teken en niet in UTF-8 (vaak Windows-1252 of ISO-8859-1). Vraag de "
        "afzender om de factuur in UTF-8 te sturen."
    )
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.customer) == ("toegevoegd", "K013")
    customer = _rows(demo, "Klanten", "Klantnr")["K013"]
    assert (customer["Naam"], customer["Adres"], customer["Btw-nummer"]) == (
        "Eetcafé Het Gouden Hoofd",
        "Crêpeplein 7",
        "NL154321205B01",
    )


def test_an_invoice_charged_to_a_card_is_added_with_a_warning(tmp_path):
    """Its only payment means is a credit card (54, with the card: BG-18): it was added as an
    open claim without a word, due on its date, so the next run reminded the customer."""
    path = REAL / "nl-creditcard.xml"
    demo = service.demo_workbook(tmp_path / "demo.xlsx")
    (f,) = import_invoices(demo, [path], now=NOW, as_of=DEMO_AS_OF).files
    assert (f.status, f.invoice, f.amount, f.due_date) == (
        "toegevoegd",
        "2026-0344",
        D("169.50"),
        date(2026, 10, 9),
    )
    assert (
        "Factuur 2026-0344 wordt volgens de e-factuur met een betaalkaart betaald (betaalwijze "
        "54): het bedrag wordt van de kaart van de klant afgeschreven, meestal al bij de "
        "factuur. Boek de betaling op het blad Betalingen zodra ze op uw rekening staat, en "
        "stuur geen herinnering zolang u niet weet dat de kaartbetaling is mislukt."
    ) in f.messages
