"""Reading the workbook: cells -> model objects, every problem located and said in Dutch."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal as D

import pytest

from debiteuren.core.model import (
    Action,
    Channel,
    Country,
    Creditor,
    DayCount,
    Debtor,
    DebtorKind,
    Feb29Anniversary,
    Invoice,
    Payment,
    PlanInstalment,
    Settings,
    Step,
)
from debiteuren.core.rates import RateBook, RateRow
from debiteuren.errors import CellRef
from debiteuren.workbook import schema
from debiteuren.workbook.read import (
    NotAWorkbook,
    TableData,
    WorkbookNotFound,
    convert_tables,
    load_tables,
    read_workbook,
)
from debiteuren.workbook.template import template_path

AS_OF = date(2026, 1, 15)  # the peildatum of Book.read() in conftest.py


def settings_row(label: str) -> int:
    """Return the Excel row of a setting in the template's Instellingen table."""
    return 2 + [s.label for s in schema.SETTINGS].index(label)


def where(issue) -> tuple[object, object, object]:
    return issue.source.sheet, issue.source.row, issue.source.column


# --- the happy path -----------------------------------------------------------------------------

EXPECTED_DEBTORS = {
    "1001": Debtor(
        number="1001",
        name="Jansen Installatietechniek B.V.",
        country=Country.NL,
        kind=DebtorKind.BUSINESS,
        contact="R. Jansen",
        address="Industrieweg 4",
        postcode="3542 AD",
        city="Utrecht",
        email="administratie@jansen-installatie.nl",
        phone="030-1234567",
        language="nl",
        registration="87654321",
        payment_term_days=30,
    ),
    "1002": Debtor(
        number="1002",
        name="P. de Vries",
        country=Country.NL,
        kind=DebtorKind.CONSUMER,
        address="Lindelaan 8",
        postcode="3601 CD",
        city="Maarssen",
        payment_term_days=14,
    ),
    "2001": Debtor(
        number="2001",
        name="Boulangerie Dupont SRL",
        country=Country.BE,
        kind=DebtorKind.BUSINESS,
        address="Rue Haute 1",
        postcode="1000",
        city="Brussel",
        language="fr",
        registration="0123.456.789",
    ),
}

EXPECTED_INVOICES = [
    Invoice(
        number="2025-001",
        debtor="1001",
        invoice_date=date(2025, 10, 1),
        due_date=date(2025, 10, 31),
        amount=D("1210.10"),
        description="Broodbezorging oktober",
        reference="1234 5678 9012 3456",
    ),
    Invoice(  # no due date: invoice date + the customer's 14 days
        number="2025-002",
        debtor="1002",
        invoice_date=date(2025, 11, 3),
        due_date=date(2025, 11, 17),
        amount=D("1234.56"),
        description="Bruidstaart",
    ),
    Invoice(
        number="2025-003",
        debtor="2001",
        invoice_date=date(2025, 11, 10),
        due_date=date(2025, 12, 10),
        amount=D("2500.00"),
        disputed=True,
        paused_until=date(2026, 2, 1),
        note="Klant zegt: niet besteld",
    ),
    Invoice(  # a credit note is due on its date
        number="2025-004",
        debtor="1001",
        invoice_date=date(2025, 11, 15),
        due_date=date(2025, 11, 15),
        amount=D("-121.00"),
        is_credit_note=True,
        description="Creditnota retour kratten",
    ),
]

EXPECTED_PAYMENTS = [
    Payment(
        on=date(2025, 11, 20),
        amount=D("500.00"),
        debtor="1001",
        invoice="2025-001",
        text="Factuur 2025-001 deel",
        source="handmatig",
    ),
    Payment(  # names the invoice by its payment reference; the customer follows from it
        on=date(2025, 12, 1),
        amount=D("100.10"),
        debtor="1001",
        invoice="2025-001",
        bank_reference="NTRF-2025-12-01-0001",
    ),
]

EXPECTED_ACTIONS = [
    Action(
        on=date(2025, 11, 14),
        debtor="1001",
        step=Step.REMINDER,
        invoices=("2025-001",),
        channel=Channel.EMAIL,
        file="brieven/2025-11-14 1001 herinnering.docx",
        amount_claimed=D("1210.10"),
        deadline=date(2025, 11, 28),
    ),
    Action(
        on=date(2025, 12, 1),
        debtor="1002",
        step=Step.FOURTEEN_DAY_LETTER,
        invoices=("2025-002",),
        channel=Channel.REGISTERED,
        tracking="3SABCD1234567",
        amount_claimed=D("1274.56"),
        deadline=date(2025, 12, 16),
        received_on=date(2025, 12, 2),
    ),
    Action(
        on=date(2026, 1, 5),
        debtor="1002",
        step=Step.PROMISE,
        channel=Channel.PHONE,
        promised_on=date(2026, 1, 31),
        note="Belt terug",
    ),
]

EXPECTED_PLANS = [
    PlanInstalment(debtor="1001", number=1, due_date=date(2026, 1, 31), amount=D("300.00")),
    PlanInstalment(debtor="1001", number=2, due_date=date(2026, 2, 28), amount=D("289.50")),
]


def test_realistic_workbook_reads_into_model_objects(book):
    data, issues = book.read()

    assert issues == []
    assert data.creditor == Creditor(
        name="Bakkerij De Korenschoof B.V.",
        address="Molenstraat 12",
        postcode="3511 AB",
        city="Utrecht",
        registration="12345678",
        vat_number="NL123456789B01",
        iban="NL91ABNA0417164300",
        email="info@korenschoof.nl",
        signatory="A. Bakker",
    )
    assert data.settings == Settings()
    assert data.letter_folder == ""
    assert data.debtors == EXPECTED_DEBTORS
    assert data.invoices == EXPECTED_INVOICES
    assert data.invoice_rows == {"2025-001": 2, "2025-002": 3, "2025-003": 4, "2025-004": 5}
    assert data.payments == EXPECTED_PAYMENTS
    assert data.payment_rows == [2, 3]
    assert data.actions == EXPECTED_ACTIONS
    assert data.plans == EXPECTED_PLANS


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_both_loaders_give_the_same_model_and_problems(book, engine):
    if engine == "calamine":
        pytest.importorskip("python_calamine")
    book.cell("Facturen", 3, "Vervaldatum", "morgen")

    data, issues = read_workbook(book.save(), AS_OF, engine=engine)

    assert [(where(i), i.message) for i in issues] == [
        (
            ("Facturen", 3, "Vervaldatum"),
            "'morgen' is geen datum; vul een datum in zoals 31-12-2025.",
        )
    ]
    assert data.debtors == EXPECTED_DEBTORS
    assert data.invoices == [EXPECTED_INVOICES[0], *EXPECTED_INVOICES[2:]]
    assert (data.payments, data.actions, data.plans) == (
        EXPECTED_PAYMENTS,
        EXPECTED_ACTIONS,
        EXPECTED_PLANS,
    )
    assert len(data.rate_rows) == 82
    assert data.settings == Settings()


def test_rentes_are_read_as_rate_rows_in_percent(book):
    data, _ = book.read()

    assert len(data.rate_rows) == 82
    assert data.rate_rows[0] == RateRow(
        series="nl_wettelijke_rente",
        effective_from=date(2001, 1, 1),
        rate=D("8.00"),
        status="secondary",
        source=data.rate_rows[0].source,
    )
    assert data.rate_rows[0].source.startswith("raadvanarbitrage.nl")
    handel = [r for r in data.rate_rows if r.series == "nl_handelsrente"]
    assert (handel[-2].effective_from, handel[-2].rate) == (date(2025, 7, 1), D("10.15"))
    assert RateBook.from_rows(data.rate_rows).table("be_handelsrente").rows


@pytest.mark.parametrize("series", ["BE handelsrente", "be_handelsrente", "be handelsrente"])
def test_a_row_the_user_adds_to_rentes(book, series):
    ws = book.wb["Rentes"]
    row = ws.max_row + 1
    for column, value in enumerate([series, datetime(2026, 7, 1), "10,75%"], start=1):
        ws.cell(row=row, column=column, value=value)

    data, issues = book.read()

    assert issues == []
    assert data.rate_rows[-1] == RateRow(
        series="be_handelsrente",
        effective_from=date(2026, 7, 1),
        rate=D("10.75"),
        status="user",
        source="",
    )


def test_the_template_reads_as_the_documented_defaults():
    data, issues = read_workbook(template_path(), AS_OF)

    assert data.settings == Settings()
    assert data.creditor == Creditor(name="")
    assert (data.debtors, data.invoices, data.payments, data.actions, data.plans) == (
        {},
        [],
        [],
        [],
        [],
    )
    assert [(where(i), i.message) for i in issues] == [
        (
            ("Instellingen", settings_row("Naam"), "Waarde"),
            "Naam is leeg; vul de naam van uw bedrijf in.",
        )
    ]


def test_every_setting_label_reaches_its_field(book):
    book.settings(
        {
            "Land": "BE",
            "BIC": "GEBABEBB",
            "Telefoon": "+32 2 123 45 67",
            "Website": "www.korenschoof.be",
            "Btw aftrekbaar": "Nee",
            "KMO": "nee",
            "Uitvoermap brieven": r"C:\Brieven",
            "Dagtelling rente": "werkelijk",
            "Verjaardag bij start op 29 februari": "1 maart",
            "NL consument: rente pas na 14-dagenbrief": "Ja",
            "NL zakelijk: incassokosten": "staffel",
            "NL bezorgdagen post": "ma, di,wo do",
            "NL consument: verjaring 2 jaar (koop)": False,
            "Creditnota met factuurnummer telt vanaf": "creditnota",
            "BE consument: verjaring 1 jaar (koop)": "Nee",
            "BE: zaterdag is werkdag": "Ja",
            "BE: termijn verlengen tot werkdag": "Nee",
            "BE zakelijk: schadebeding percentage": 0.1,
            "BE zakelijk: schadebeding minimum": "€ 50",
            "BE zakelijk: schadebeding maximum": 2500,
            "BE consument: rentebeding": "8,5%",
            "BE consument: forfaitbeding": "Ja",
            "BE consument: zonder beding": "Wettelijke interest",
            "BE consument: KMO-rente vanaf begin termijn": "Nee",
            "Btw-percentage op incassokosten": 0.09,
            "Herinnering na (dagen)": 3,
            "Telefoon na (dagen)": 5.0,
            "Aanmaning na (dagen)": "21",
            "Overdracht na (dagen)": 30,
            "Termijn in brieven (dagen)": 15,
        }
    )

    data, issues = book.read()

    assert issues == []
    assert data.letter_folder == r"C:\Brieven"
    assert (data.creditor.country, data.creditor.bic, data.creditor.phone) == (
        Country.BE,
        "GEBABEBB",
        "+32 2 123 45 67",
    )
    assert (data.creditor.website, data.creditor.vat_deductible, data.creditor.is_sme) == (
        "www.korenschoof.be",
        False,
        False,
    )
    assert data.settings == Settings(
        day_count=DayCount.ACTUAL,
        feb29_anniversary=Feb29Anniversary.MAR_1,
        nl_consumer_interest_from_letter=True,
        nl_b2b_costs="staffel",
        nl_postal_delivery_weekdays=(0, 1, 2, 3),
        nl_consumer_goods_sale=False,
        be_consumer_goods_sale=False,
        be_saturday_is_working_day=True,
        be_extend_term_to_working_day=False,
        be_b2b_clause_percent=D("10"),
        be_b2b_clause_minimum=D("50.00"),
        be_b2b_clause_maximum=D("2500.00"),
        be_consumer_interest_clause=D("8.5"),
        be_consumer_lump_sum_clause=True,
        be_consumer_no_clause="wettelijke_interest",
        be_consumer_sme_interest_from_term_start=False,
        vat_rate=D("9"),
        credit_note_from="creditnota",
        reminder_after_days=3,
        call_after_days=5,
        demand_after_days=21,
        handover_after_days=30,
        letter_term_days=15,
    )


def test_every_settings_field_has_a_labelled_row():
    fields = {s.field for s in schema.SETTINGS if s.target is schema.SettingTarget.SETTINGS}
    assert fields == set(Settings.__dataclass_fields__)
    creditor = {s.field for s in schema.SETTINGS if s.target is schema.SettingTarget.CREDITOR}
    assert creditor == set(Creditor.__dataclass_fields__)


# --- columns found by header text ---------------------------------------------------------------


def test_reordered_columns_and_own_columns_read_the_same(book):
    facturen, klanten_rows = book.records["Facturen"], book.records["Klanten"]
    declared = [c.header for c in schema.FACTUREN.columns]
    shuffled = [*reversed(declared[:11]), "Mijn opmerking", *declared[11:]]
    variants = {"Factuurnr": "  factuurnr ", "Bedrag (incl. btw)": "BEDRAG  (incl. btw)"}
    headers = [variants.get(h, h) for h in shuffled]
    records = [
        {variants.get(k, k): v for k, v in {**record, "Mijn opmerking": "eigen"}.items()}
        for record in facturen
    ]
    book.rows("Facturen", records, headers=headers)
    klanten = ["Eigen code", *reversed([c.header for c in schema.KLANTEN.columns])]
    book.rows("Klanten", [{**r, "Eigen code": 7} for r in klanten_rows], headers=klanten)

    data, issues = book.read()

    assert issues == []
    assert data.invoices == EXPECTED_INVOICES
    assert data.debtors == EXPECTED_DEBTORS


def test_a_shortened_header_is_accepted_as_alias(book):
    headers = ["Factuurnummer" if c.key == "number" else c.header for c in schema.FACTUREN.columns]
    records = [
        {("Factuurnummer" if k == "Factuurnr" else k): v for k, v in r.items()}
        for r in book.records["Facturen"]
    ]
    book.rows("Facturen", records, headers=headers)

    data, issues = book.read()

    assert issues == []
    assert [i.number for i in data.invoices] == ["2025-001", "2025-002", "2025-003", "2025-004"]


def test_empty_rows_are_skipped_silently_and_rows_keep_their_numbers(book):
    first, second = book.records["Facturen"][:2]
    book.rows("Facturen", [first, None, {"Notitie": "   "}, second])
    book.cell("Facturen", 3, "Betaald", 12.5)  # a leftover computed value is no data

    data, issues = book.read()

    assert issues == []
    assert data.invoice_rows == {"2025-001": 2, "2025-002": 5}


def test_rows_typed_under_a_table_that_did_not_grow_are_read(book):
    ws = book.wb["Facturen"]
    table = ws.tables["tblFacturen"]
    table.ref = "A1:U3"  # the table covers two invoices; two more rows sit under it

    data, issues = book.read()

    assert issues == []
    assert data.invoice_rows == {"2025-001": 2, "2025-002": 3, "2025-003": 4, "2025-004": 5}


def test_a_sheet_without_an_excel_table_is_read_from_header_row_1(book):
    del book.wb["Klanten"].tables["tblKlanten"]

    tables = load_tables(book.save())
    data, issues = convert_tables(tables, AS_OF)

    assert tables["Klanten"].table == ""
    assert issues == []
    assert data.debtors == EXPECTED_DEBTORS


def test_a_renamed_sheet_is_found_by_its_table_and_named_in_problems(book):
    book.wb["Facturen"].title = "Facturen 2025"
    book.cell("Facturen 2025", 2, "Vervaldatum", "morgen")

    data, issues = book.read()

    assert [where(i) for i in issues] == [("Facturen 2025", 2, "Vervaldatum")]
    assert len(data.invoices) == 3


def test_issues_are_ordered_by_sheet_then_row(book):
    book.cell("Regelingen", 2, "Bedrag", "veel")
    book.cell("Facturen", 4, "Vervaldatum", "morgen")
    book.cell("Facturen", 2, "Vervaldatum", "gisteren")
    book.cell("Klanten", 3, "Land", "Atlantis")

    _, issues = book.read()

    assert [where(i) for i in issues] == [
        ("Facturen", 2, "Vervaldatum"),
        ("Facturen", 4, "Vervaldatum"),
        ("Klanten", 3, "Land"),
        ("Regelingen", 2, "Bedrag"),
    ]


# --- one test per validation rule ---------------------------------------------------------------


def _drop_sheet(name):
    def change(book) -> None:
        del book.wb[name]

    return change


def _cell(sheet, row, header, value):
    def change(book) -> None:
        book.cell(sheet, row, header, value)

    return change


def _cells(*changes):
    def change(book) -> None:
        for sheet, row, header, value in changes:
            book.cell(sheet, row, header, value)

    return change


def _setting(label, value):
    def change(book) -> None:
        book.settings({label: value})

    return change


def _extra_row(sheet, make_record):
    def change(book) -> None:
        records = book.records[sheet]
        book.rows(sheet, [*records, make_record(records)])

    return change


RULES = [
    pytest.param(
        _drop_sheet("Betalingen"),
        ("Betalingen", None, None),
        "Het werkblad 'Betalingen' ontbreekt; voeg het weer toe met de tabel tblBetalingen, "
        "bijvoorbeeld door het over te nemen uit het lege werkboek workbook_template.xlsx.",
        id="missing-sheet",
    ),
    pytest.param(
        lambda book: book.drop_column("Facturen", "Factuurdatum"),
        ("Facturen", 1, "Factuurdatum"),
        "De kolom 'Factuurdatum' ontbreekt; voeg een kolom met de kop 'Factuurdatum' toe aan de "
        "tabel tblFacturen.",
        id="missing-required-column",
    ),
    pytest.param(
        _cell("Facturen", 2, "Factuurdatum", None),
        ("Facturen", 2, "Factuurdatum"),
        "Factuurdatum is leeg; vul een datum in zoals 31-12-2025.",
        id="empty-required-date",
    ),
    pytest.param(
        _cell("Facturen", 3, "Klantnr", "  "),
        ("Facturen", 3, "Klantnr"),
        "Klantnr is leeg; vul een waarde in.",
        id="empty-required-code",
    ),
    pytest.param(
        _cell("Klanten", 3, "Soort", None),
        ("Klanten", 3, "Soort"),
        "Soort is leeg; vul Consument of Onderneming in.",
        id="empty-required-choice",
    ),
    pytest.param(
        _cell("Facturen", 2, "Vervaldatum", "morgen"),
        ("Facturen", 2, "Vervaldatum"),
        "'morgen' is geen datum; vul een datum in zoals 31-12-2025.",
        id="text-in-date",
    ),
    pytest.param(
        _cell("Facturen", 2, "Vervaldatum", "31-02-2025"),
        ("Facturen", 2, "Vervaldatum"),
        "'31-02-2025' is geen datum; vul een datum in zoals 31-12-2025.",
        id="impossible-date",
    ),
    # a date typed in a text cell with the year in two digits: it said only "vul een datum in
    # zoals 31-12-2025", not that the year was the problem
    pytest.param(
        _cell("Facturen", 2, "Vervaldatum", "01-02-26"),
        ("Facturen", 2, "Vervaldatum"),
        "'01-02-26' heeft een jaar van twee cijfers; typ het jaar voluit, zoals 01-02-2026.",
        id="two-digit-year",
    ),
    pytest.param(
        _cell("Facturen", 4, "Bedrag (incl. btw)", "twaalf"),
        ("Facturen", 4, "Bedrag (incl. btw)"),
        "'twaalf' is geen bedrag; vul een bedrag in zoals 1.234,56.",
        id="text-in-amount",
    ),
    pytest.param(
        _cell("Facturen", 2, "Bedrag (incl. btw)", -50),
        ("Facturen", 2, "Bedrag (incl. btw)"),
        "Het bedrag € -50,00 is negatief, maar Creditnota staat niet op Ja; zet Creditnota op Ja "
        "of maak het bedrag positief.",
        id="negative-amount-without-credit-note",
    ),
    pytest.param(
        _cell("Facturen", 5, "Bedrag (incl. btw)", 121),
        ("Facturen", 5, "Bedrag (incl. btw)"),
        "Een creditnota moet een negatief bedrag hebben; zet een minteken voor het bedrag of zet "
        "Creditnota op Nee.",
        id="positive-credit-note",
    ),
    pytest.param(
        _cell("Facturen", 5, "Factuurnr", "2025-001"),
        ("Facturen", 5, "Factuurnr"),
        "Factuurnummer '2025-001' staat twee keer in de lijst (rij 2 en rij 5); geef elke factuur "
        "een eigen nummer.",
        id="duplicate-invoice-number",
    ),
    pytest.param(
        _extra_row("Klanten", lambda rows: {**rows[0], "Naam": "Jansen (oud)"}),
        ("Klanten", 5, "Klantnr"),
        "Klantnummer '1001' staat twee keer in de lijst (rij 2 en rij 5); geef elke klant een "
        "eigen nummer.",
        id="duplicate-customer-number",
    ),
    pytest.param(
        _cell("Facturen", 4, "Klantnr", "9999"),
        ("Facturen", 4, "Klantnr"),
        "Klant '9999' staat niet op het werkblad Klanten; voeg de klant toe of verbeter het "
        "klantnummer.",
        id="invoice-unknown-customer",
    ),
    pytest.param(  # a newcomer typed 'K 002' on one sheet and 'K002' on the other
        _cell("Facturen", 4, "Klantnr", "10 01"),
        ("Facturen", 4, "Klantnr"),
        "Klant '10 01' staat niet op het werkblad Klanten, maar '1001' wel: schrijf het "
        "klantnummer overal hetzelfde, met of zonder spatie.",
        id="invoice-customer-spaced-otherwise",
    ),
    pytest.param(
        _cell("Betalingen", 2, "Klantnr", "9999"),
        ("Betalingen", 2, "Klantnr"),
        "Klant '9999' staat niet op het werkblad Klanten; voeg de klant toe of verbeter het "
        "klantnummer.",
        id="payment-unknown-customer",
    ),
    pytest.param(
        _cell("Betalingen", 2, "Factuurnr", "2024-999"),
        ("Betalingen", 2, "Factuurnr"),
        "Factuur '2024-999' staat niet op het werkblad Facturen; verbeter het factuurnummer of "
        "maak de cel leeg.",
        id="payment-unknown-invoice",
    ),
    pytest.param(
        _cell("Betalingen", 2, "Klantnr", "1002"),
        ("Betalingen", 2, "Klantnr"),
        "Factuur '2025-001' hoort bij klant '1001', niet bij klant '1002'; verbeter het "
        "klantnummer of het factuurnummer.",
        id="payment-invoice-of-another-customer",
    ),
    pytest.param(
        _cell("Betalingen", 3, "Factuurnr", None),
        ("Betalingen", 3, "Klantnr"),
        "Klantnr en Factuurnr zijn allebei leeg; vul minstens een van beide in.",
        id="payment-without-customer-or-invoice",
    ),
    pytest.param(
        _cell("Betalingen", 2, "Bedrag", 0),
        ("Betalingen", 2, "Bedrag"),
        "Het bedrag € 0,00 is geen ontvangen betaling; een betaling moet groter dan nul zijn. "
        "Stortte u de klant geld terug (een te veel betaald bedrag), zet dan de Status op "
        "Terugbetaling.",
        id="payment-not-positive",
    ),
    pytest.param(
        _cells(("Betalingen", 2, "Status", "Terugbetaling"), ("Betalingen", 2, "Factuurnr", None)),
        ("Betalingen", 2, "Bedrag"),
        "Een terugbetaling is geld dat naar de klant terugging: zet een min voor het bedrag "
        "(€ -500,00).",
        id="refund-not-negative",
    ),
    pytest.param(
        _cells(("Betalingen", 2, "Status", "Terugbetaling"), ("Betalingen", 2, "Bedrag", -10)),
        ("Betalingen", 2, "Factuurnr"),
        "Een terugbetaling gaat af van het tegoed van de klant, niet van één factuur: laat "
        "Factuurnr leeg en vul Klantnr in (noem de factuur eventueel in de Mededeling).",
        id="refund-of-an-invoice",
    ),
    pytest.param(
        _cell("Betalingen", 2, "Bankreferentie", "NTRF-2025-12-01-0001"),
        ("Betalingen", 3, "Bankreferentie"),
        "Bankreferentie 'NTRF-2025-12-01-0001' staat twee keer in de lijst (rij 2 en rij 3); is "
        "deze betaling dubbel ingelezen? Haal er een weg.",
        id="payment-read-twice",
    ),
    pytest.param(
        _cell("Facturen", 2, "Vervaldatum", datetime(2025, 9, 30)),
        ("Facturen", 2, "Vervaldatum"),
        "De vervaldatum 30-09-2025 ligt vóór de factuurdatum 01-10-2025; verbeter een van beide.",
        id="due-date-before-invoice-date",
    ),
    pytest.param(
        _cell("Facturen", 4, "Vervaldatum", None),
        ("Facturen", 4, "Vervaldatum"),
        "Vervaldatum is leeg en klant '2001' heeft geen betaaltermijn; vul een vervaldatum in, of "
        "een betaaltermijn bij de klant op het werkblad Klanten.",
        id="no-due-date-and-no-payment-term",
    ),
    pytest.param(
        _cell("Klanten", 2, "Land", "Atlantis"),
        ("Klanten", 2, "Land"),
        "'Atlantis' is geen land; vul de landcode in (zoals NL, BE, DE of FR) of de naam van het "
        "land.",
        id="country-unknown",
    ),
    pytest.param(
        _cell("Klanten", 2, "Soort", "Stichting"),
        ("Klanten", 2, "Soort"),
        "'Stichting' is geen geldige keuze; kies Consument of Onderneming.",
        id="kind-outside-list",
    ),
    pytest.param(
        _cell("Klanten", 4, "Taal", "es"),
        ("Klanten", 4, "Taal"),
        "'es' is geen geldige keuze; kies nl, fr, en of de.",
        id="language-outside-list",
    ),
    pytest.param(
        _cell("Facturen", 3, "Betwist", "misschien"),
        ("Facturen", 3, "Betwist"),
        "'misschien' is geen geldige keuze; kies Ja of Nee.",
        id="yes-no-outside-list",
    ),
    pytest.param(
        _cell("Klanten", 3, "Betaaltermijn (dagen)", "twee weken"),
        ("Klanten", 3, "Betaaltermijn (dagen)"),
        "'twee weken' is geen heel getal; vul een getal in zoals 30.",
        id="text-in-whole-number",
    ),
    pytest.param(
        _cells(
            ("Facturen", 2, "Factuurdatum", datetime(2026, 1, 16)),
            ("Facturen", 2, "Vervaldatum", datetime(2026, 2, 15)),
        ),
        ("Facturen", 2, "Factuurdatum"),
        "Factuurdatum 16-01-2026 ligt na de peildatum 15-01-2026; controleer de datum.",
        id="invoice-date-after-as-of",
    ),
    pytest.param(
        _cell("Betalingen", 2, "Datum", datetime(2026, 1, 16)),
        ("Betalingen", 2, "Datum"),
        "Datum 16-01-2026 ligt na de peildatum 15-01-2026; controleer de datum.",
        id="payment-date-after-as-of",
    ),
    pytest.param(
        _cell("Acties", 4, "Tijdstip", datetime(2026, 1, 20, 9, 15)),
        ("Acties", 4, "Tijdstip"),
        "Tijdstip 20-01-2026 ligt na de peildatum 15-01-2026; controleer de datum.",
        id="action-date-after-as-of",
    ),
    pytest.param(
        _cell("Acties", 2, "Facturen", "2025-001, 2025-099"),
        ("Acties", 2, "Facturen"),
        "Factuur '2025-099' staat niet op het werkblad Facturen; verbeter het factuurnummer of "
        "maak de cel leeg.",
        id="action-unknown-invoice",
    ),
    pytest.param(
        _cell("Acties", 2, "Facturen", "2025-002"),
        ("Acties", 2, "Facturen"),
        "Factuur '2025-002' hoort bij klant '1002', niet bij klant '1001'; verbeter het "
        "klantnummer of het factuurnummer.",
        id="action-invoice-of-another-customer",
    ),
    pytest.param(
        _cell("Acties", 3, "Klantnr", "1003"),
        ("Acties", 3, "Klantnr"),
        "Klant '1003' staat niet op het werkblad Klanten; voeg de klant toe of verbeter het "
        "klantnummer.",
        id="action-unknown-customer",
    ),
    pytest.param(
        _cell("Acties", 2, "Actie", "brief"),
        ("Acties", 2, "Actie"),
        "'brief' is geen geldige keuze; kies herinnering, telefoon, 14-dagenbrief, eerste "
        "herinnering, ingebrekestelling, overdracht, betaalbelofte, betwisting, notitie, "
        "regeling of ingebrekestelling advocaat of deurwaarder.",
        id="action-step-outside-list",
    ),
    pytest.param(
        _cell("Acties", 2, "Kanaal", "fax"),
        ("Acties", 2, "Kanaal"),
        "'fax' is geen geldige keuze; kies post, aangetekend, e-mail of telefoon.",
        id="action-channel-outside-list",
    ),
    pytest.param(
        _cell("Regelingen", 3, "Termijn", 1),
        ("Regelingen", 3, "Termijn"),
        "Termijn 1 van klant '1001' staat twee keer in de lijst (rij 2 en rij 3); nummer de "
        "termijnen 1, 2, 3, ...",
        id="plan-duplicate-instalment",
    ),
    pytest.param(
        _cell("Regelingen", 2, "Klantnr", "1009"),
        ("Regelingen", 2, "Klantnr"),
        "Klant '1009' staat niet op het werkblad Klanten; voeg de klant toe of verbeter het "
        "klantnummer.",
        id="plan-unknown-customer",
    ),
    pytest.param(
        _cell("Regelingen", 3, "Bedrag", -10),
        ("Regelingen", 3, "Bedrag"),
        "Het bedrag € -10,00 van een termijn moet groter dan nul zijn.",
        id="plan-amount-not-positive",
    ),
    pytest.param(
        _cell("Rentes", 3, "Ingangsdatum", "1 juli"),
        ("Rentes", 3, "Ingangsdatum"),
        "'1 juli' is geen datum; vul een datum in zoals 31-12-2025.",
        id="rate-bad-date",
    ),
    pytest.param(
        _cell("Rentes", 4, "Percentage", "veel"),
        ("Rentes", 4, "Percentage"),
        "'veel' is geen percentage; vul een percentage in zoals 10,50%.",
        id="rate-bad-percentage",
    ),
    pytest.param(
        _cell("Rentes", 4, "Percentage", 8),
        ("Rentes", 4, "Percentage"),
        "Een percentage van 800% kan niet kloppen; typ het percentage met een %-teken, zoals "
        "10,50%.",
        id="rate-percentage-typed-without-percent-sign",
    ),
    pytest.param(
        _cell("Rentes", 2, "Soort", "nl_rente"),
        ("Rentes", 2, "Soort"),
        "'nl_rente' is geen geldige keuze; kies NL wettelijke rente, NL handelsrente, "
        "BE handelsrente of BE wettelijke interest.",
        id="rate-unknown-series",
    ),
    pytest.param(
        _cell("Rentes", 3, "Ingangsdatum", datetime(2001, 1, 1)),
        ("Rentes", 3, "Ingangsdatum"),
        "Voor de NL wettelijke rente (art. 6:119 BW) staan twee rentes met ingangsdatum "
        "01-01-2001 (rij 2 en rij 3); haal er een weg.",
        id="rate-duplicate-day",
    ),
    pytest.param(
        _setting("Dagtelling rente", 366),
        ("Instellingen", settings_row("Dagtelling rente"), "Waarde"),
        "Dagtelling rente: '366' is geen geldige keuze; kies 365, werkelijk of rentejaar.",
        id="setting-choice-outside-list",
    ),
    pytest.param(
        _setting("KMO", "soms"),
        ("Instellingen", settings_row("KMO"), "Waarde"),
        "KMO: 'soms' is geen geldige keuze; kies Ja of Nee.",
        id="setting-yes-no-outside-list",
    ),
    pytest.param(
        _setting("IBAN", "NL00 ABNA 0417 1643 00"),
        ("Instellingen", settings_row("IBAN"), "Waarde"),
        "IBAN: 'NL00 ABNA 0417 1643 00' is geen geldig IBAN-nummer; controleer het nummer.",
        id="setting-bad-iban",
    ),
    # the mail server was told the sender was "_", and the second address was dropped
    pytest.param(
        _setting("Afzender e-mail", ".:_]@letterzetter.nl"),
        ("Instellingen", settings_row("Afzender e-mail"), "Waarde"),
        "Afzender e-mail: '.:_]@letterzetter.nl' is geen geldig e-mailadres: een mailprogramma "
        "leest er een ander adres in, of geen; vul één e-mailadres in, zoals info@uwbedrijf.nl.",
        id="setting-sender-read-otherwise",
    ),
    pytest.param(
        _setting("E-mail", "info@letterzetter.nl, boekhouding@letterzetter.nl"),
        ("Instellingen", settings_row("E-mail"), "Waarde"),
        "E-mail: 'info@letterzetter.nl, boekhouding@letterzetter.nl' is meer dan één "
        "e-mailadres; vul één e-mailadres in, zoals info@uwbedrijf.nl.",
        id="setting-two-own-addresses",
    ),
    pytest.param(
        _setting("NL bezorgdagen post", "di, wo, vrij"),
        ("Instellingen", settings_row("NL bezorgdagen post"), "Waarde"),
        "NL bezorgdagen post: 'vrij' is geen dag; schrijf de dagen als ma, di, wo, do, vr, za, "
        "zo, gescheiden door komma's.",
        id="setting-bad-weekday",
    ),
    pytest.param(
        _setting("Herinnering na (dagen)", "een week"),
        ("Instellingen", settings_row("Herinnering na (dagen)"), "Waarde"),
        "Herinnering na (dagen): 'een week' is geen heel getal; vul een getal in zoals 30.",
        id="setting-bad-number",
    ),
    pytest.param(
        _setting("BE consument: rentebeding", "hoog"),
        ("Instellingen", settings_row("BE consument: rentebeding"), "Waarde"),
        "BE consument: rentebeding: 'hoog' is geen percentage; vul een percentage in zoals 10,50%.",
        id="setting-bad-percentage",
    ),
    pytest.param(
        _setting("Btw-percentage op incassokosten", None),
        ("Instellingen", settings_row("Btw-percentage op incassokosten"), "Waarde"),
        "Btw-percentage op incassokosten is leeg; vul een percentage in zoals 10,50%.",
        id="setting-required-empty",
    ),
    pytest.param(
        _setting("naam ", "Tweede naam"),
        ("Instellingen", 2 + len(schema.SETTINGS), "Instelling"),
        f"De instelling 'Naam' staat twee keer in de lijst (rij {settings_row('Naam')} en rij "
        f"{2 + len(schema.SETTINGS)}); verwijder er een.",
        id="setting-twice",
    ),
    pytest.param(
        _cell("Instellingen", settings_row("Naam"), "Instelling", "Bedrijfsnaam"),
        ("Instellingen", None, "Instelling"),
        "De instelling 'Naam' ontbreekt; voeg een rij toe met 'Naam' in de kolom Instelling en "
        "vul de Waarde in.",
        id="setting-row-missing",
    ),
    pytest.param(
        _cell("Facturen", 2, "Factuurnr", datetime(2025, 1, 1)),
        ("Facturen", 2, "Factuurnr"),
        "'01-01-2025' is als datum opgeslagen, niet als nummer; maak de cel tekst "
        "(celeigenschappen: Tekst) en typ het nummer opnieuw.",
        id="number-turned-into-a-date",
    ),
    # Excel keeps 15 digits of a number: the reference was made of 12345678901234567168
    pytest.param(
        _cell("Facturen", 2, "Factuurnr", 1.2345678901234568e19),
        ("Facturen", 2, "Factuurnr"),
        "'1,23456789012346E+19' is als getal opgeslagen, en van een getal bewaart Excel maar 15 "
        "cijfers: de laatste cijfers kunnen al weg zijn; maak de cel tekst (celeigenschappen: "
        "Tekst) en typ het nummer opnieuw.",
        id="invoice-number-longer-than-excel-keeps",
    ),
    pytest.param(
        _cell("Facturen", 3, "Betalingskenmerk", 4000000002026042),
        ("Facturen", 3, "Betalingskenmerk"),
        "'4,00000000202604E+15' is als getal opgeslagen, en van een getal bewaart Excel maar 15 "
        "cijfers: de laatste cijfers kunnen al weg zijn; maak de cel tekst (celeigenschappen: "
        "Tekst) en typ het nummer opnieuw.",
        id="payment-reference-typed-as-a-number",
    ),
]


@pytest.mark.parametrize(("change", "place", "message"), RULES)
def test_validation_rule(book, change, place, message):
    from debiteuren import service
    from debiteuren.errors import ValidationFailed

    change(book)
    path = book.save()
    before = path.read_bytes()

    _, issues = read_workbook(path, AS_OF)

    assert [(where(i), i.message) for i in issues] == [(place, message)]
    # bijwerken refuses with the same message and leaves the file exactly as it was
    with pytest.raises(ValidationFailed) as refused:
        service.update(path, AS_OF, now=datetime(2026, 1, 15, 9, 0))
    assert message in refused.value.message
    assert path.read_bytes() == before


def test_a_header_twice_is_reported_with_both_columns(book):
    headers = [c.header for c in schema.FACTUREN.columns] + ["notitie "]
    book.rows("Facturen", book.records["Facturen"], headers=headers)
    del book.wb["Facturen"].tables["tblFacturen"]  # Excel itself refuses twin table headers

    _, issues = book.read()

    assert [(where(i), i.message) for i in issues] == [
        (
            ("Facturen", 1, "Notitie"),
            "De kolom 'Notitie' staat meer dan eens in de tabel (kolom L en X); verwijder of "
            "hernoem de extra kolom.",
        )
    ]


def test_a_bad_row_is_left_out_but_the_rest_is_read(book):
    book.cell("Facturen", 3, "Bedrag (incl. btw)", "twaalf")

    data, issues = book.read()

    assert len(issues) == 1
    assert [i.number for i in data.invoices] == ["2025-001", "2025-003", "2025-004"]
    assert [a.invoices for a in data.actions][1] == ("2025-002",)  # no follow-up problems


# --- the pure conversion layer ------------------------------------------------------------------


def _one_invoice(**cells: object) -> dict[str, TableData]:
    """Return plain tables (no file) with one customer and one invoice."""
    tables = {
        sheet.name: TableData(sheet=sheet.name, headers=[c.header for c in sheet.columns], rows=[])
        for sheet in schema.SHEETS
        if sheet.table
    }
    tables["Instellingen"] = TableData(
        sheet="Instellingen", headers=["Instelling", "Waarde"], rows=[("Naam", "Bakkerij")]
    )
    tables["Klanten"] = TableData(
        sheet="Klanten",
        headers=["Klantnr", "Naam", "Land", "Soort"],
        rows=[("1", "A", "NL", "Onderneming")],
    )
    values = {"Factuurnr": "F1", "Klantnr": "1", "Factuurdatum": date(2025, 1, 1)}
    values |= {"Vervaldatum": date(2025, 1, 31), "Bedrag (incl. btw)": 10} | cells
    tables["Facturen"] = TableData(
        sheet="Facturen", headers=list(values), rows=[tuple(values.values())]
    )
    return tables


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        (1210.1, D("1210.10")),
        (0.1 + 0.2, D("0.30")),
        (12.345, D("12.35")),
        (1500, D("1500.00")),
        ("1.234,56", D("1234.56")),
        ("€ 1.234,56", D("1234.56")),
        ("1234.5", D("1234.50")),
        (" 99,95 ", D("99.95")),
    ],
)
def test_amounts_from_excel_values(cell, amount):
    data, _ = convert_tables(_one_invoice(**{"Bedrag (incl. btw)": cell}), AS_OF)

    assert data.invoices[0].amount == amount


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        (datetime(2025, 1, 31, 14, 30), date(2025, 1, 31)),
        (date(2025, 1, 31), date(2025, 1, 31)),
        ("31-01-2025", date(2025, 1, 31)),
        ("31/1/2025", date(2025, 1, 31)),
        ("31.01.2025", date(2025, 1, 31)),
        ("2025-01-31", date(2025, 1, 31)),
        ("2025-01-31 00:00:00", date(2025, 1, 31)),
        (45688, date(2025, 1, 31)),  # an Excel serial day number in a cell not marked as date
    ],
)
def test_dates_from_excel_values(cell, day):
    data, issues = convert_tables(_one_invoice(Vervaldatum=cell), AS_OF)

    assert issues == []
    assert data.invoices[0].due_date == day


@pytest.mark.parametrize(
    ("cell", "code"), [(1001, "1001"), (1001.0, "1001"), ("  F-7 ", "F-7"), ("007", "007")]
)
def test_numbers_kept_as_text(cell, code):
    data, _ = convert_tables(_one_invoice(Factuurnr=cell), AS_OF)

    assert data.invoices[0].number == code


def test_empty_strings_are_empty():
    data, issues = convert_tables(
        _one_invoice(Omschrijving="", Betwist="", **{"Pauze tot": ""}), AS_OF
    )

    assert issues == []
    assert (data.invoices[0].description, data.invoices[0].disputed) == ("", False)
    assert data.invoices[0].paused_until is None


def test_numbers_match_case_insensitively_and_keep_the_sheet_spelling():
    tables = _one_invoice(Factuurnr="F-1A")
    tables["Betalingen"] = TableData(
        sheet="Betalingen",
        headers=["Datum", "Bedrag", "Factuurnr"],
        rows=[(date(2025, 2, 1), 10, "f-1a")],
    )

    data, issues = convert_tables(tables, AS_OF)

    assert [i for i in issues if i.source.sheet == "Betalingen"] == []
    assert data.payments[0].invoice == "F-1A"
    assert data.payments[0].debtor == "1"


# --- files --------------------------------------------------------------------------------------


def test_a_missing_file_raises_a_dutch_error(tmp_path):
    with pytest.raises(WorkbookNotFound, match="bestaat niet"):
        read_workbook(tmp_path / "weg.xlsx", AS_OF)


def test_a_file_that_is_no_workbook_raises_a_dutch_error(tmp_path):
    path = tmp_path / "boek.xlsx"
    path.write_text("Factuurnr;Bedrag\n", encoding="utf-8")

    with pytest.raises(NotAWorkbook, match="geen Excel-werkboek") as raised:
        read_workbook(path, AS_OF)
    assert "het is geen .xlsx-pakket" in str(raised.value)
    assert "BadZipFile" not in str(raised.value)


def test_a_zip_without_a_workbook_says_so_in_dutch(tmp_path):
    # an OpenDocument spreadsheet renamed .xlsx: a zip, but without the parts of a workbook
    path = tmp_path / "boek.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")

    with pytest.raises(NotAWorkbook) as raised:
        read_workbook(path, AS_OF)
    message = str(raised.value)
    assert "ontbreekt een onderdeel" in message or "niet zoals Excel" in message
    assert "KeyError" not in message and "Error" not in message


def test_issue_source_is_a_cellref(book):
    book.cell("Facturen", 2, "Vervaldatum", "morgen")

    _, issues = book.read()

    assert issues[0].source == CellRef(sheet="Facturen", row=2, column="Vervaldatum")
    assert str(issues[0]) == (
        "Facturen, rij 2, Vervaldatum: 'morgen' is geen datum; vul een datum in zoals 31-12-2025."
    )


def test_an_iban_at_a_bank_missing_from_python_stdnums_list_is_read(book):
    # BE68 5390 0754 7034 is the standard example IBAN (ECBS, ISO 13616): its check digits
    # hold, but python-stdnum's list of Belgian banks has no bank 539; an account at a bank
    # newer than the installed list must not make the whole workbook refused
    book.settings({"IBAN": "BE68 5390 0754 7034"})
    klanten = book.records["Klanten"]
    book.rows("Klanten", [{**klanten[0], "IBAN": "BE68539007547034"}, *klanten[1:]])
    data, issues = book.read()
    assert issues == []
    assert data.creditor.iban == "BE68539007547034"
    assert data.debtors["1001"].ibans == ("BE68539007547034",)
    # a typing error still fails the check digits
    book.settings({"IBAN": "BE68 5390 0754 7035"})
    _, issues = book.read()
    assert [i.message for i in issues] == [
        "IBAN: 'BE68 5390 0754 7035' is geen geldig IBAN-nummer; controleer het nummer."
    ]
