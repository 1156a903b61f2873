"""Klanten abroad: any country, the applicable law, foreign IBANs and VAT numbers (stdnum)."""

from __future__ import annotations

import pytest

from conftest import KLANTEN
from debiteuren.core.model import Country, DebtorKind
from debiteuren.workbook.read import vat_problem

GERMAN = {
    "Klantnr": "3001",
    "Naam": "Müller Haustechnik GmbH",
    "Adres": "Jülicher Straße 112",
    "Postcode": "52070",
    "Plaats": "Aachen",
    "Land": "Duitsland",
    "Soort": "Onderneming",
    "Taal": "de",
    "Btw-nummer": "DE 136 695 976",
    "IBAN": "DE89 3704 0044 0532 0130 00",
}
FRENCH_CONSUMER = {
    "Klantnr": "3002",
    "Naam": "Camille Martin",
    "Adres": "12 rue de la Paix",
    "Postcode": "75002",
    "Plaats": "Paris",
    "Land": "fr",
    "Soort": "Consument",
    "Taal": "fr",
}


def where(issue) -> tuple[object, object, object]:
    return issue.source.sheet, issue.source.row, issue.source.column


def with_customers(book, *rows):
    return book.rows("Klanten", [*KLANTEN, *rows])


def test_a_business_abroad_is_read_with_its_country_code_and_no_law_of_its_own(book):
    data, issues = with_customers(book, GERMAN).read()
    assert issues == []
    debtor = data.debtors["3001"]
    assert (debtor.country, debtor.law, debtor.kind) == ("DE", None, DebtorKind.BUSINESS)
    assert (debtor.language, debtor.vat_number) == ("de", "DE 136 695 976")
    assert debtor.ibans == ("DE89370400440532013000",)


@pytest.mark.parametrize(
    ("land", "code"),
    [("SE", "SE"), ("se", "SE"), ("Zweden", "SE"), ("Sweden", "SE"), ("Suède", "SE")],
)
def test_the_country_may_be_a_code_or_a_name(book, land, code):
    data, issues = with_customers(book, {**GERMAN, "Land": land, "Btw-nummer": None}).read()
    assert issues == [] and data.debtors["3001"].country == code


@pytest.mark.parametrize(
    ("land", "code"),
    [("Belgie", "BE"), ("Osterreich", "AT"), ("Holland", "NL"), ("UK", "GB"), ("USA", "US")],
)
def test_the_country_as_a_newcomer_types_it(book, land, code):
    """'Belgie' (no diaeresis on the keyboard), 'Holland' and 'UK' were 'geen land': the
    whole workbook was refused for a country anyone reads at once."""
    data, issues = with_customers(book, {**GERMAN, "Land": land, "Btw-nummer": None}).read()
    assert issues == [] and data.debtors["3001"].country == code


def test_a_consumer_abroad_is_refused_until_the_law_is_set(book):
    data, issues = with_customers(book, FRENCH_CONSUMER).read()
    [issue] = issues
    assert where(issue) == ("Klanten", 5, "Toepasselijk recht")
    assert issue.message.startswith(
        "Klant 3002 is een consument in Frankrijk. Voor een consument kan het recht van zijn "
        "eigen land gelden (Rome I-Verordening, art. 6)"
    )
    assert "3002" not in data.debtors

    data, issues = with_customers(book, {**FRENCH_CONSUMER, "Toepasselijk recht": "NL"}).read()
    assert issues == [] and data.debtors["3002"].law is Country.NL


def test_a_law_on_a_dutch_customer_is_a_mistake_not_a_choice(book):
    rows = [dict(KLANTEN[0], **{"Toepasselijk recht": "BE"}), *KLANTEN[1:]]
    _, issues = book.rows("Klanten", rows).read()
    assert [(where(i), i.message) for i in issues] == [
        (
            ("Klanten", 2, "Toepasselijk recht"),
            "Toepasselijk recht geldt alleen voor een klant buiten Nederland en België; voor een "
            "klant in Nederland geldt Nederlands recht. Maak de cel leeg.",
        )
    ]


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        (
            {"Land": "Atlantis"},
            "Land",
            "'Atlantis' is geen land; vul de landcode in (zoals NL, BE, DE of FR) of de naam van "
            "het land.",
        ),
        (
            {"Btw-nummer": "DE123456789"},
            "Btw-nummer",
            "'DE123456789' is geen geldig btw-nummer van Duitsland; controleer het nummer.",
        ),
        (
            {"IBAN": "DE89 3704 0044 0532 0130 01"},
            "IBAN",
            "'DE89370400440532013001' is geen geldig IBAN-nummer; controleer het nummer.",
        ),
        (
            {"Toepasselijk recht": "DE"},
            "Toepasselijk recht",
            "'DE' is geen geldige keuze; kies NL of BE.",
        ),
    ],
)
def test_a_wrong_country_vat_number_iban_or_law_is_refused_at_its_cell(
    book, change, column, message
):
    _, issues = with_customers(book, {**GERMAN, **change}).read()
    assert [(where(i), i.message) for i in issues] == [(("Klanten", 5, column), message)]


def test_vat_numbers_are_checked_by_their_own_prefix_or_the_customers_country():
    assert vat_problem("SE556703748501", "SE") == ""
    assert vat_problem("556703748501", "SE") == ""  # without the prefix: the customer's country
    assert vat_problem("EL094014298", "GR") == ""  # Greece writes EL
    assert vat_problem("CHE-116.281.710 MWST", "CH") == ""  # outside the EU too
    assert vat_problem("NL853746333B01", "DE") == ""  # a Dutch branch of a German customer
    assert vat_problem("NL853746334B01", "NL") == (
        "'NL853746334B01' is geen geldig btw-nummer van Nederland; controleer het nummer."
    )
    assert vat_problem("12-3456789", "US") == ""  # no check known: accepted as typed


def test_a_vat_number_of_thousands_of_digits_is_a_message_not_a_traceback(book):
    """python-stdnum's Dutch and Belgian checks turn the digits into an integer: 5,000 of them
    passed Python's limit of 4,300 and stopped every command with a traceback."""
    assert vat_problem("NL" + "1" * 5000, "NL") == (
        f"'NL{'1' * 37}…' is geen btw-nummer: het is langer dan een btw-nummer (20 letters en "
        "cijfers); controleer het nummer."
    )
    assert vat_problem("BE" + "1" * 5000, "BE").startswith(f"'BE{'1' * 37}…' is geen btw-nummer")
    assert vat_problem("CHE-116.281.710 MWST", "CH") == ""  # the longest still checked
    _, issues = with_customers(book, {**GERMAN, "Btw-nummer": "DE" + "1" * 5000}).read()
    (issue,) = issues
    assert where(issue) == ("Klanten", 5, "Btw-nummer")
    assert issue.message.startswith(f"'DE{'1' * 37}…' is geen btw-nummer: het is langer")
