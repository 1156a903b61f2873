"""UN/CEFACT CII invoices (EN 16931-3-3; Factur-X/ZUGFeRD's XML, XRechnung CII): read into the same
EInvoice as a UBL one. The fixture is written from the CII syntax binding, not copied."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from debiteuren.core.references import ReferenceKind
from debiteuren.einvoice import (
    EInvoiceError,
    InvalidValue,
    MissingElement,
    Party,
    VatBreakdown,
    parse_einvoice,
    read_einvoice,
)

CII = Path(__file__).parent / "fixtures" / "cii"
SUMMATION = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/" + (
    "ram:SpecifiedTradeSettlementHeaderMonetarySummation"
)
PREPAID = "<ram:TotalPrepaidAmount>100.00</ram:TotalPrepaidAmount>"
PAYABLE = "<ram:DuePayableAmount>611.00</ram:DuePayableAmount>"
DUE = (
    "<ram:DueDateDateTime>\n          "
    '<udt:DateTimeString format="102">20261101</udt:DateTimeString>\n        '
    "</ram:DueDateDateTime>"
)


def text() -> str:
    return (CII / "invoice-cii.xml").read_text(encoding="utf-8")


def parse(changed: str, name: str = "cii.xml"):
    return parse_einvoice(changed.encode("utf-8"), source=name)


def test_every_field_of_a_cii_invoice():
    inv = read_einvoice(CII / "invoice-cii.xml")
    assert (inv.document, inv.number, inv.issue_date, inv.currency) == (
        "CrossIndustryInvoice",
        "2026-0301",
        date(2026, 10, 2),
        "EUR",
    )
    assert (inv.due_date, inv.due_date_source, inv.payment_terms) == (
        date(2026, 11, 1),
        "PaymentDueDate",
        "Betaling binnen 30 dagen",
    )
    assert (inv.amount, inv.payable_amount, inv.tax_inclusive_amount, inv.prepaid_amount) == (
        D("611.00"),
        D("611.00"),
        D("711.00"),
        D("100.00"),
    )
    assert inv.vat == (
        VatBreakdown(
            category="S", percent=D(21), taxable_amount=D("500.00"), tax_amount=D("105.00")
        ),
        VatBreakdown(category="S", percent=D(6), taxable_amount=D("100.00"), tax_amount=D("6.00")),
    )
    assert inv.buyer == Party(
        name="Imprimerie Mosane SRL",
        trading_name="Mosane Print",
        endpoint_id="0456789133",
        endpoint_scheme="0208",
        registration="0456789133",
        registration_scheme="0208",
        vat_number="BE0456789133",
        street="Rue de Fer 25",
        additional_street="Bâtiment B",
        postcode="5000",
        city="Namur",
        country="BE",
        contact="Claire Dubois",
        email="compta@mosane.be",
        phone="+32 81 22 33 44",
    )
    assert (inv.seller.name, inv.seller.vat_number) == (
        "Drukkerij De Letterzetter B.V.",
        "NL812345678B01",
    )
    assert inv.payment_reference is not None
    assert (inv.payment_reference.kind, inv.payment_reference.value) == (
        ReferenceKind.OGM,
        "002026020307",
    )
    assert (inv.buyer_reference, inv.order_reference, inv.description) == (
        "REF-NAMUR",
        "PO-77",
        "Affiches A2",
    )
    assert inv.warnings == () and not inv.is_credit_note


def test_a_cii_credit_note_is_a_credit_with_its_invoice():
    """CII has one document for both: type code 381 (BT-3) with positive amounts."""
    changed = (
        text()
        .replace("<ram:TypeCode>380<", "<ram:TypeCode>381<")
        .replace("<ram:ID>2026-0301<", "<ram:ID>CN-2026-0007<")
        .replace(PREPAID, "")
        .replace(PAYABLE, "<ram:DuePayableAmount>711.00</ram:DuePayableAmount>")
        .replace(
            "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>",
            "</ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:InvoiceReferencedDocument>"
            "<ram:IssuerAssignedID>2026-0301</ram:IssuerAssignedID></ram:InvoiceReferencedDocument>",
        )
    )
    inv = parse(changed)
    assert (inv.number, inv.amount, inv.billing_reference) == (
        "CN-2026-0007",
        D("-711.00"),
        "2026-0301",
    )
    assert inv.is_credit_note and inv.warnings == ()


def test_without_a_due_date_the_cii_terms_are_read():
    inv = parse(text().replace(DUE, ""))
    assert (inv.due_date, inv.due_date_source, inv.terms_reading) == (
        date(2026, 11, 1),
        "PaymentTerms",
        "factuurdatum plus 30 dagen",
    )


def test_two_cii_due_dates_are_not_guessed():
    second = (
        "<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>"
        '<udt:DateTimeString format="102">20261201</udt:DateTimeString></ram:DueDateDateTime>'
        "</ram:SpecifiedTradePaymentTerms><ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
    )
    inv = parse(text().replace("<ram:SpecifiedTradeSettlementHeaderMonetarySummation>", second))
    assert inv.due_date is None
    assert inv.terms_not_read.startswith(
        "ze noemen meer dan één vervaldatum: 01-11-2026 en 01-12-2026"
    )


def test_a_cii_amount_due_that_does_not_agree_is_refused():
    with pytest.raises(EInvoiceError) as exc:
        parse(text().replace(PREPAID, ""), "fout.xml")
    assert exc.value.message == (
        f"E-factuur 'fout.xml' ({SUMMATION}/ram:DuePayableAmount): het te betalen bedrag "
        "€ 611,00 is niet het bedrag inclusief btw € 711,00 (GrandTotalAmount), dat is € 711,00; "
        "de e-factuur klopt niet met zichzelf (EN 16931, regel BR-CO-16) en welk bedrag "
        "verschuldigd is, is niet te zeggen. Vraag de afzender om een juiste factuur."
    )


@pytest.mark.parametrize(
    ("old", "new", "error", "where"),
    [
        ("20261002", "2026-10-02", InvalidValue, "rsm:ExchangedDocument/ram:IssueDateTime"),
        (  # full-width digits ("\uff12\uff10..."): a date of 102 is ASCII digits only
            "20261002",
            "\uff12\uff10\uff12\uff16\uff11\uff10\uff10\uff12",
            InvalidValue,
            "rsm:ExchangedDocument/ram:IssueDateTime",
        ),
        (PAYABLE, PAYABLE.replace("611.00", "\u09ec11.00"), InvalidValue, "DuePayableAmount"),
        ("<ram:ID>2026-0301</ram:ID>", "", MissingElement, "rsm:ExchangedDocument/ram:ID"),
        (PAYABLE, "", MissingElement, f"{SUMMATION}/ram:DuePayableAmount"),
        (PAYABLE, PAYABLE.replace("611.00", "611,00"), InvalidValue, "DuePayableAmount"),
        (
            "<ram:GrandTotalAmount>",
            '<ram:GrandTotalAmount currencyID="USD">',
            InvalidValue,
            "GrandTotalAmount/@currencyID",
        ),
    ],
)
def test_wrong_cii_values_name_the_element(old, new, error, where):
    assert old in text()
    with pytest.raises(error) as exc:
        parse(text().replace(old, new))
    assert where in exc.value.where


def test_a_mailto_uri_is_read_as_the_e_mail_address():
    """CII's e-mail is a URI: "mailto:compta@mosane.be" went to Klanten as it was."""
    changed = text().replace("<ram:URIID>compta@mosane.be", "<ram:URIID>mailto:compta@mosane.be")
    assert parse(changed).buyer.email == "compta@mosane.be"


def test_a_buyer_identifier_in_a_registration_scheme_is_its_registration():
    """Only ram:SpecifiedLegalOrganization was read; a ram:GlobalID with scheme 0208 (BT-46)
    was passed over, and one without a scheme (a customer number) still is."""
    legal = (
        '<ram:SpecifiedLegalOrganization>\n          <ram:ID schemeID="0208">0456789133</ram:ID>'
    )
    changed = text().replace(
        legal,
        '<ram:ID>KL-4471</ram:ID><ram:GlobalID schemeID="0088">5412345000013</ram:GlobalID>'
        '<ram:GlobalID schemeID="0208">0456789133</ram:GlobalID><ram:SpecifiedLegalOrganization>',
    )
    assert legal in text() and changed != text()
    buyer = parse(changed).buyer
    assert (buyer.registration, buyer.registration_scheme) == ("0456789133", "0208")


def test_an_old_zugferd_1_invoice_says_what_to_ask_for():
    data = b'<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"/>'
    with pytest.raises(EInvoiceError) as exc:
        parse_einvoice(data, source="zugferd1.xml")
    assert exc.value.message.endswith(
        "(element CrossIndustryDocument): dit is een e-factuur in het oude ZUGFeRD 1.0-formaat "
        "(hoofdelement CrossIndustryDocument), dat debiteuren niet leest; vraag de afzender om "
        "ZUGFeRD 2, Factur-X of XRechnung (CII) of om UBL."
    )


def test_a_cii_vat_total_that_does_not_add_up_is_booked_with_a_warning():
    """BR-CO-15: GrandTotalAmount 711.00 is TaxBasisTotalAmount 600.00 plus TaxTotalAmount
    111.00. A VAT total that is not (here 121.00) was read without a word; the amount due,
    which agrees with the grand total, is booked, with a warning. A second VAT total in the
    accounting currency (BT-111) is not counted."""
    wrong = text().replace(
        '<ram:TaxTotalAmount currencyID="EUR">111.00</ram:TaxTotalAmount>',
        '<ram:TaxTotalAmount currencyID="EUR">121.00</ram:TaxTotalAmount>',
    )
    inv = parse(wrong)
    assert inv.amount == D("611.00")
    assert inv.warnings[-1].startswith(
        "De totalen in de e-factuur kloppen niet met elkaar: het bedrag exclusief btw € 600,00 "
        "(TaxBasisTotalAmount) plus de btw € 121,00 (ram:TaxTotalAmount) is € 721,00, niet het "
        "bedrag inclusief btw € 711,00 (GrandTotalAmount; EN 16931, regel BR-CO-15)."
    )
    second = text().replace(
        '<ram:TaxTotalAmount currencyID="EUR">111.00</ram:TaxTotalAmount>',
        '<ram:TaxTotalAmount currencyID="EUR">111.00</ram:TaxTotalAmount>\n'
        '        <ram:TaxTotalAmount currencyID="SEK">1265.40</ram:TaxTotalAmount>',
    )
    assert not any("BR-CO-15" in w for w in parse(second).warnings)
