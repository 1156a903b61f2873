"""Tests for debiteuren.payments.matching: each rule, the ambiguous cases, IBAN fallbacks."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debiteuren.core.references import (
    ReferenceKind,
    UnusableInvoiceNumber,
    format_nl_payment_reference,
    format_ogm,
    format_rf,
    nl_payment_reference,
    ogm_reference,
    reference_for,
    reference_of_kind,
    rf_reference,
)
from debiteuren.payments import StatementLine, read_statement
from debiteuren.payments.matching import (
    InvoiceIndex,
    Match,
    MatchStatus,
    OpenInvoice,
    invoice_number_key,
    invoice_numbers_in,
    match_payments,
)

FIXTURES = Path(__file__).parent / "fixtures"
MATCHED, REVIEW, DOUBLE = MatchStatus.MATCHED, MatchStatus.REVIEW, MatchStatus.DUPLICATE

IBAN_K012 = "NL44RABO0123456789"
IBAN_K013 = "NL20INGB0001234567"
IBAN_SHARED = "NL63TRIO0212345678"
IBAN_UNKNOWN = "DE89370400440532013000"


def invoice(number, debtor, amount, due="2025-02-01", references=(), ibans=(), name=""):
    return OpenInvoice(
        number=number,
        debtor=debtor,
        open_amount=Decimal(amount),
        due_date=date.fromisoformat(due),
        references=tuple(references),
        debtor_ibans=tuple(ibans),
        debtor_name=name,
    )


def line(
    amount="100.00",
    *,
    iban="",
    text="",
    structured="",
    reference="B1",
    reversal=False,
    name="Betaler",
):
    return StatementLine(
        source="test",
        account_iban="NL91ABNA0417164300",
        booking_date=date(2025, 3, 3),
        value_date=date(2025, 3, 3),
        amount=Decimal(amount),
        currency="EUR",
        counterparty_name=name,
        counterparty_iban=iban,
        remittance=text,
        structured_reference=structured,
        bank_reference=reference,
        is_reversal=reversal,
    )


LETTER_OGM = format_ogm(ogm_reference("1112222333"))  # one letter about two invoices
K012 = [IBAN_K012]
K013 = [IBAN_K013]
INVOICES = [
    invoice("2025-017", "K012", "1210.00", "2025-01-15", [ogm_reference("2025-017")], K012),
    invoice("2025-018", "K012", "484.00", "2025-01-20", [nl_payment_reference("2025-018")], K012),
    invoice(
        "2025-020",
        "K012",
        "250.00",
        "2025-02-01",
        [rf_reference("2025-020"), LETTER_OGM],  # invoice + letter reference
        K012,
    ),
    invoice("2025-021", "K012", "250.00", "2025-02-10", [], K012),
    invoice("2025-022", "K013", "99.00", "2025-02-01", [ogm_reference("2025-022")], K013),
    invoice("2025-023", "K013", "75.00", "2025-02-05", [LETTER_OGM], K013),
    invoice("INV-1234", "K014", "40.00", "2025-02-05", [], ()),
    invoice("2025-030", "K015", "300.00", "2025-02-05", [], [IBAN_SHARED]),
    invoice("2025-031", "K016", "300.00", "2025-02-06", [], [IBAN_SHARED]),
    invoice("2025-032", "K016", "55.00", "2025-02-06", [], [IBAN_SHARED]),
]


def one(payment: StatementLine, invoices=INVOICES, imported=()) -> Match:
    [result] = match_payments([payment], invoices, imported)
    assert result.line is payment
    return result


def outcome(result: Match) -> tuple:
    return (result.status, result.invoices, result.debtor, result.reason, result.candidates)


# --- Rule (a): structured references ---------------------------------------------------------


class TestStructuredReference:
    def test_ogm_in_the_structured_field(self):
        result = one(line("1210.00", structured=ogm_reference("2025-017")))
        assert outcome(result) == (
            MATCHED,
            ("2025-017",),
            "K012",
            "gestructureerde mededeling +++000/2025/01745+++ van factuur 2025-017",
            (),
        )

    def test_betalingskenmerk_typed_in_the_text(self):
        printed = format_nl_payment_reference(nl_payment_reference("2025-018"))
        result = one(line("484.00", text=f"kenmerk {printed}"))
        assert outcome(result) == (
            MATCHED,
            ("2025-018",),
            "K012",
            "betalingskenmerk 9000 0000 0202 5018 van factuur 2025-018",
            (),
        )

    def test_rf_in_lower_case_in_the_text_with_a_partial_payment(self):
        reference = format_rf(rf_reference("2025-020")).lower()
        result = one(line("100.00", text=f"betaling {reference}"))
        assert outcome(result) == (
            MATCHED,
            ("2025-020",),
            "K012",
            "RF-kenmerk RF66 2025 020 van factuur 2025-020; betaald € 100,00, openstaand € 250,00",
            (),
        )

    def test_the_reference_wins_over_the_iban_of_another_customer(self):
        result = one(line("99.00", iban=IBAN_K012, structured=ogm_reference("2025-022")))
        assert (result.status, result.invoices, result.debtor) == (MATCHED, ("2025-022",), "K013")

    def test_a_letter_reference_for_invoices_of_two_customers_is_to_be_checked(self):
        result = one(line("325.00", structured=ogm_reference("1112222333")))
        assert outcome(result) == (
            REVIEW,
            (),
            "",
            f"gestructureerde mededeling {LETTER_OGM} van facturen 2025-020, 2025-023: "
            "facturen van verschillende klanten (K012, K013)",
            ("2025-020", "2025-023"),
        )

    def test_two_references_of_one_customer_match_both_invoices(self):
        text = f"{format_ogm(ogm_reference('2025-017'))} en {rf_reference('2025-020')}"
        result = one(line("1460.00", text=text))
        assert outcome(result) == (
            MATCHED,
            ("2025-017", "2025-020"),
            "K012",
            "gestructureerde mededeling +++000/2025/01745+++ van factuur 2025-017; "
            "RF-kenmerk RF66 2025 020 van factuur 2025-020",
            (),
        )

    def test_a_valid_reference_we_did_not_issue_falls_through_to_the_other_rules(self):
        result = one(line("484.00", iban=IBAN_K012, structured=ogm_reference("9999-999")))
        assert (result.status, result.invoices) == (MATCHED, ("2025-018",))
        assert result.reason.startswith("exact openstaand bedrag")

    def test_an_unknown_reference_is_mentioned_when_nothing_matches(self):
        result = one(line("1.00", structured=ogm_reference("9999-999")))
        assert result.status is REVIEW
        shown = format_ogm(ogm_reference("9999-999"))
        assert result.reason == (
            f"gestructureerde mededeling {shown} hoort bij geen openstaande factuur; "
            "geen bekend kenmerk, factuurnummer of IBAN"
        )

    def test_an_invalid_reference_in_the_text_is_ignored(self):
        result = one(line("1.00", text="+++000/2025/01746+++"))  # check digits off by one
        assert result.status is REVIEW
        assert result.invoices == ()


# --- Rule (b): invoice numbers ---------------------------------------------------------------


class TestInvoiceNumber:
    @pytest.mark.parametrize(
        "text",
        [
            "Factuur 2025-017",
            "factuur 2025 - 017",
            "F 2025/00017",
            "fact.nr. 2025.17",
            "inzake 2025_017 dank",
            "2025-017",
            "Betaling F2025-0017 K012",
        ],
    )
    def test_spaces_dashes_and_leading_zeros_do_not_matter(self, text):
        result = one(line("1210.00", text=text))
        assert outcome(result) == (
            MATCHED,
            ("2025-017",),
            "K012",
            "factuurnummer 2025-017 in de omschrijving",
            (),
        )

    def test_the_amount_is_noted_when_it_differs(self):
        result = one(line("1000.00", text="Factuur 2025-017"))
        assert result.reason == (
            "factuurnummer 2025-017 in de omschrijving; betaald € 1.000,00, openstaand € 1.210,00"
        )

    def test_two_numbers_of_one_customer(self):
        result = one(line("1694.00", text="facturen 2025-017 en 2025/018"))
        assert outcome(result) == (
            MATCHED,
            ("2025-017", "2025-018"),
            "K012",
            "factuurnummers 2025-017, 2025-018 in de omschrijving",
            (),
        )

    def test_numbers_of_two_customers_are_to_be_checked(self):
        result = one(line("1309.00", text="2025-017 / 2025-022"))
        assert (result.status, result.candidates) == (REVIEW, ("2025-017", "2025-022"))
        assert "verschillende klanten (K012, K013)" in result.reason

    def test_one_normalised_number_for_two_invoices_is_ambiguous(self):
        invoices = [*INVOICES, invoice("2025-0017", "K099", "5.00")]
        result = one(line("1210.00", text="Factuur 2025-17"), invoices)
        assert (result.status, result.candidates) == (REVIEW, ("2025-017", "2025-0017"))

    @pytest.mark.parametrize(
        "text",
        [
            "INV-1234",
            "inv 1234",
            "INV1234",
            "factuur 1234",
            "Factuurnr. 1234",
            "1234",
            " 1234. ",
        ],
    )
    def test_a_one_group_number_needs_its_prefix_a_keyword_or_to_stand_alone(self, text):
        result = one(line("40.00", text=text))
        assert (result.status, result.invoices) == (MATCHED, ("INV-1234",))

    @pytest.mark.parametrize(
        "text",
        [
            "bestelling 1234",  # another word before it
            "order nr 1234",  # "nr" alone does not announce an invoice
            "1234 stuks geleverd",  # a bare number in a sentence
            "betaald € 1.234,00",  # an amount
            "bedrag 1234,00 EUR",
            "afgesproken op 2025-03-01",  # a date; no invoice 2025-3
            "K1234",  # other letters
        ],
    )
    def test_bare_numbers_amounts_and_dates_are_not_invoice_numbers(self, text):
        invoices = [*INVOICES, invoice("2025-003", "K012", "7.00", ibans=K012)]
        result = one(line("40.00", text=text), invoices)
        assert result.status is REVIEW
        assert result.invoices == ()

    def test_an_iban_or_reference_in_the_text_is_no_invoice_number(self):
        invoices = [*INVOICES, invoice("4171-64300", "K077", "1.00")]
        result = one(line("1.00", text="van NL91 ABNA 0417 1643 00"), invoices)
        assert result.status is REVIEW

    def test_a_date_equal_to_an_invoice_number_still_matches(self):
        invoices = [invoice("2025-03-01", "K050", "12.00")]
        result = one(line("12.00", text="nota 2025-03-01"), invoices)
        assert (result.status, result.invoices) == (MATCHED, ("2025-03-01",))

    def test_a_number_without_separators_matches_its_written_out_form(self):
        invoices = [invoice("F2025017", "K060", "12.00")]
        result = one(line("12.00", text="factuur 2025-017"), invoices)
        assert (result.status, result.invoices) == (MATCHED, ("F2025017",))

    def test_the_reference_rule_comes_before_the_number_rule(self):
        result = one(line("99.00", structured=ogm_reference("2025-022"), text="Factuur 2025-017"))
        assert result.invoices == ("2025-022",)


# --- Rules (c) and (d): IBAN and amounts -----------------------------------------------------


class TestIbanAndAmount:
    def test_exact_amount_of_the_only_fitting_invoice(self):
        result = one(line("484.00", iban=IBAN_K012, text="bedankt"))
        assert outcome(result) == (
            MATCHED,
            ("2025-018",),
            "K012",
            "exact openstaand bedrag van de enige passende factuur van klant K012 "
            "(IBAN NL44RABO0123456789)",
            (),
        )

    def test_the_iban_is_compared_without_spaces_and_case(self):
        invoices = [invoice("A-1", "K1", "10.00", ibans=["nl44 rabo 0123 4567 89"])]
        result = one(line("10.00", iban=IBAN_K012), invoices)
        assert (result.status, result.invoices) == (MATCHED, ("A-1",))

    def test_two_invoices_with_the_amount_are_to_be_checked(self):
        result = one(line("250.00", iban=IBAN_K012))
        assert outcome(result) == (
            REVIEW,
            (),
            "K012",
            "bedrag € 250,00 past bij meerdere facturen van klant K012 "
            "(IBAN NL44RABO0123456789): 2025-020, 2025-021",
            ("2025-020", "2025-021"),
        )

    def test_exact_total_of_several_invoices(self):
        result = one(line("1694.00", iban=IBAN_K012))
        assert outcome(result) == (
            MATCHED,
            ("2025-017", "2025-018"),
            "K012",
            "exact totaal van facturen 2025-017, 2025-018 van klant K012",
            (),
        )

    def test_two_combinations_with_the_total_are_to_be_checked(self):
        result = one(line("734.00", iban=IBAN_K012))  # 484 + 250 (2025-020 or 2025-021)
        assert result.status is REVIEW
        assert result.reason.startswith("bedrag € 734,00 is het totaal van meer dan één")
        assert set(result.candidates) == {"2025-018", "2025-020", "2025-021"}

    def test_nothing_fits_the_customer(self):
        result = one(line("1.23", iban=IBAN_K012))
        assert outcome(result) == (
            REVIEW,
            (),
            "K012",
            "geen factuur of combinatie van facturen van klant K012 (IBAN NL44RABO0123456789) "
            "met een openstaand bedrag van € 1,23",
            ("2025-017", "2025-018", "2025-020", "2025-021"),
        )

    def test_unknown_iban_lists_invoices_with_the_amount(self):
        result = one(line("300.00", iban=IBAN_UNKNOWN))
        assert outcome(result) == (
            REVIEW,
            (),
            "",
            "geen bekend kenmerk, factuurnummer of IBAN; het bedrag € 300,00 is wel het "
            "openstaande bedrag van factuur 2025-030 (klant K015), factuur 2025-031 "
            "(klant K016)",
            ("2025-030", "2025-031"),
        )

    def test_no_iban_and_no_fitting_amount(self):
        result = one(line("0.50"))
        assert outcome(result) == (
            REVIEW,
            (),
            "",
            "geen bekend kenmerk, factuurnummer of IBAN",
            (),
        )

    def test_an_iban_shared_by_two_customers_with_one_fitting_invoice(self):
        result = one(line("55.00", iban=IBAN_SHARED))
        assert (result.status, result.invoices, result.debtor) == (
            MATCHED,
            ("2025-032",),
            "K016",
        )

    def test_an_iban_shared_by_two_customers_with_two_fitting_invoices(self):
        result = one(line("300.00", iban=IBAN_SHARED))
        assert (result.status, result.debtor, result.candidates) == (
            REVIEW,
            "",
            ("2025-030", "2025-031"),
        )
        assert "de klanten K015, K016" in result.reason

    def test_a_total_never_mixes_two_customers(self):
        result = one(line("600.00", iban=IBAN_SHARED))  # 300 (K015) + 300 (K016)
        assert result.status is REVIEW
        assert result.invoices == ()

    def test_credit_notes_take_no_part_in_amounts(self):
        invoices = [
            invoice("A-1", "K1", "100.00", ibans=K012),
            invoice("C-1", "K1", "-20.00", ibans=K012),
        ]
        result = one(line("80.00", iban=IBAN_K012), invoices)
        assert result.status is REVIEW

    def test_the_total_uses_at_most_six_of_the_twenty_oldest(self):
        due = date(2025, 1, 1)
        many = [
            invoice(f"B-{i:02d}", "K2", "10.00", (due + timedelta(days=i)).isoformat(), ibans=K013)
            for i in range(1, 8)
        ]
        assert one(line("70.00", iban=IBAN_K013), many).status is REVIEW  # 7 invoices
        old = [
            invoice(
                f"C-{i:02d}", "K3", f"{i}.00", (due + timedelta(days=i)).isoformat(), ibans=K013
            )
            for i in range(1, 21)
        ]
        late = invoice("C-99", "K3", "1000.00", "2026-01-01", ibans=K013)
        result = one(line("1001.00", iban=IBAN_K013), [*old, late])
        assert result.status is REVIEW  # C-99 + C-01 would fit, but C-99 is not among the oldest

    def test_subset_search_stops_early_on_equal_amounts(self):
        many = [invoice(f"D-{i:02d}", "K4", "10.00", ibans=K013) for i in range(20)]
        steps = []  # the search's steps, counted instead of timed: C(20, 6) = 38,760 without cuts

        def count(frame, event, arg):
            if event == "call" and frame.f_code.co_name == "search":
                steps.append(frame.f_code.co_filename)

        sys.setprofile(count)
        try:
            result = one(line("60.00", iban=IBAN_K013), many)
        finally:
            sys.setprofile(None)
        assert result.status is REVIEW
        assert 0 < len(steps) <= 20, len(steps)


# --- Duplicates and reversals ----------------------------------------------------------------


class TestDuplicatesAndReversals:
    def test_an_imported_bank_reference_is_double(self):
        result = one(
            line("1210.00", text="Factuur 2025-017", reference="ABN-1"), imported={"ABN-1"}
        )
        assert outcome(result) == (
            DOUBLE,
            (),
            "",
            "al eerder ingelezen (bankreferentie ABN-1)",
            (),
        )

    def test_the_same_line_twice_in_one_run(self):
        payment = line("1210.00", text="Factuur 2025-017", reference="ABN-2")
        results = match_payments([payment, payment], INVOICES)
        assert [r.status for r in results] == [MATCHED, DOUBLE]

    def test_reimporting_a_fixture_is_a_no_op(self):
        lines = read_statement(FIXTURES / "coda_normal.cod")
        first = match_payments(lines, INVOICES)
        imported = {m.line.bank_reference for m in first}
        again = match_payments(read_statement(FIXTURES / "coda_normal.cod"), INVOICES, imported)
        assert [m.status for m in again] == [DOUBLE] * len(lines)

    def test_a_reversal_is_always_to_be_checked(self):
        payment = line("300.00", iban=IBAN_SHARED, text="Storno Factuur 2025-030", reversal=True)
        result = one(payment)
        assert outcome(result) == (
            REVIEW,
            (),
            "K015",
            "terugboeking (storno) van € 300,00: een eerdere betaling is teruggedraaid; boek die "
            "betaling terug (factuurnummer 2025-030 in de omschrijving)",
            ("2025-030",),
        )

    def test_a_reversal_without_clues(self):
        result = one(line("300.00", iban=IBAN_UNKNOWN, reversal=True))
        assert (result.status, result.candidates, result.debtor) == (REVIEW, (), "")


class TestForeignCurrency:
    def test_a_payment_in_another_currency_is_never_matched_on_amount(self):
        import dataclasses

        payment = dataclasses.replace(line("484.00", iban=IBAN_K012), currency="USD")
        result = one(payment)
        assert outcome(result) == (
            REVIEW,
            (),
            "K012",
            "betaling in USD, niet in euro: controleer het bedrag na omrekening",
            (),
        )

    def test_a_reference_still_names_the_candidate(self):
        import dataclasses

        payment = dataclasses.replace(
            line("1300.00", structured=ogm_reference("2025-017")), currency="USD"
        )
        result = one(payment)
        assert (result.status, result.candidates, result.debtor) == (REVIEW, ("2025-017",), "K012")


# --- Normalisation ---------------------------------------------------------------------------


def test_invoice_number_key():
    assert invoice_number_key("2025-017") == ("2025-17", "", 2)
    assert invoice_number_key("F 2025/00017") == ("2025-17", "F", 2)
    assert invoice_number_key("INV-0001234") == ("1234", "INV", 1)
    assert invoice_number_key("ABC") is None


def test_invoice_numbers_in_skips_amounts_dates_and_references():
    assert invoice_numbers_in("€ 1.234,56 op 01-03-2025 +++000/2025/01745+++") == [
        ("multi", "1-3-2025", "", True)
    ]


# --- The fixtures, end to end ----------------------------------------------------------------


def test_fixture_lines_end_to_end():
    be_invoices = [
        invoice("2025-017", "B1", "1210.00", references=[ogm_reference("2025-017")]),
        invoice("2025-020", "B2", "250.00"),
        invoice("2025-023", "B3", "80.00", references=[rf_reference("2025-023")]),
    ]
    results = match_payments(read_statement(FIXTURES / "coda_normal.cod"), be_invoices)
    assert [(r.status, r.invoices) for r in results] == [
        (MATCHED, ("2025-017",)),
        (MATCHED, ("2025-020",)),
        (MATCHED, ("2025-023",)),
        (REVIEW, ()),
    ]


def test_a_prebuilt_index_can_be_reused():
    index = InvoiceIndex(INVOICES)
    first = match_payments([line("484.00", iban=IBAN_K012, reference="X")], index)
    second = match_payments([line("484.00", iban=IBAN_K012, reference="Y")], index)
    assert first[0].invoices == second[0].invoices == ("2025-018",)


# --- Property: an unambiguous reference never points to another customer ---------------------

amounts = st.integers(min_value=1, max_value=500_000).map(lambda c: Decimal(c) / 100)
noise = st.text(alphabet="abcdefghij klmnop/-.0123456789€,", max_size=30)


@st.composite
def scenarios(draw):
    customers = draw(st.integers(min_value=2, max_value=5))
    invoices = []
    sequence = 0
    for c in range(customers):
        country = draw(st.sampled_from(["NL", "BE", "DE"]))
        for _ in range(draw(st.integers(min_value=1, max_value=6))):
            sequence += 1
            number = f"2025-{sequence:04d}"
            references = [reference_for(number, country).value]
            if draw(st.booleans()):  # a letter reference too
                references.append(reference_for(f"9{sequence:05d}", country).value)
            invoices.append(
                invoice(
                    number,
                    f"K{c:03d}",
                    str(draw(amounts)),
                    f"2025-01-{draw(st.integers(1, 28)):02d}",
                    references,
                    [draw(st.sampled_from([IBAN_K012, IBAN_K013, IBAN_SHARED]))],
                )
            )
    paid = draw(st.sampled_from(invoices))
    reference = draw(st.sampled_from(paid.references))
    placement = draw(st.sampled_from(["structured", "compact", "printed"]))
    if placement == "printed":
        if reference.startswith("RF"):
            shown = format_rf(reference)
        elif len(reference) == 12:
            shown = format_ogm(reference)
        else:
            shown = format_nl_payment_reference(reference)
    else:
        shown = reference
    before, after = draw(noise), draw(noise)
    payment = line(
        str(draw(st.sampled_from([paid.open_amount, *[i.open_amount for i in invoices]]))),
        iban=draw(st.sampled_from([IBAN_K012, IBAN_K013, IBAN_SHARED, IBAN_UNKNOWN, ""])),
        structured=reference if placement == "structured" else "",
        # The reference stands apart from the noise, so that it is unambiguous.
        text=f"{before} / {shown} / {after}" if placement != "structured" else f"{before} {after}",
    )
    return invoices, paid, payment


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_an_unambiguous_reference_never_points_to_another_customer(scenario):
    invoices, paid, payment = scenario
    result = one(payment, invoices)
    customer = {i.number for i in invoices if i.debtor == paid.debtor}
    assert result.status is MATCHED
    assert paid.number in result.invoices
    assert set(result.invoices) <= customer
    assert result.debtor == paid.debtor


class TestPayerName:
    def test_a_name_close_to_one_customer_finds_the_invoice_with_the_amount(self):
        invoices = [
            invoice("N-1", "K1", "100.00", name="Bakkerij De Korenschoof B.V."),
            invoice("N-2", "K2", "100.00", name="Garage Van den Broeck NV"),
        ]
        result = one(line("100.00", name="BAKKERIJ DE KORENSCHOOF BV"), invoices)
        assert (result.status, result.invoices, result.debtor) == (MATCHED, ("N-1",), "K1")
        assert "naam betaler" in result.reason

    def test_a_name_close_to_two_customers_is_never_a_guess(self):
        invoices = [
            invoice("N-1", "K1", "100.00", name="Jansen Installatie"),
            invoice("N-2", "K2", "100.00", name="Jansen Installaties"),
        ]
        result = one(line("100.00", name="Jansen Installatie BV"), invoices)
        assert result.status is REVIEW and result.invoices == ()
        assert "lijkt op meer dan één klant" in result.reason


@settings(max_examples=200, deadline=None)
@given(
    number=st.from_regex(r"[A-Z]{0,3}[-/ ]?[0-9]{1,9}([-/][0-9]{1,5})?", fullmatch=True),
    kind=st.sampled_from(list(ReferenceKind)),
)
def test_references_checked_by_the_caller_index_as_read_again(number, kind):
    """Issue 17: an open invoice may carry the compact form of its references (the book's own,
    validated when made); the index then takes them as they are, and finds exactly what it
    finds when it reads the printed reference again."""
    from dataclasses import replace

    try:
        ref = reference_of_kind(number, kind)
    except UnusableInvoiceNumber:
        return
    invoice = OpenInvoice(
        number=number,
        debtor="K1",
        open_amount=Decimal("10.00"),
        due_date=date(2026, 1, 1),
        references=(ref.display,),
        checked=(ref.value,),
    )
    fast = InvoiceIndex([invoice])
    slow = InvoiceIndex([replace(invoice, checked=None)])
    assert {k: [i.number for i in v] for k, v in fast.by_reference.items()} == {
        k: [i.number for i in v] for k, v in slow.by_reference.items()
    }
    assert set(fast.by_reference) == {ref.value}
