"""The matcher's fast paths (issue 17) give what the general paths they stand in for give."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren.core.references import (
    ReferenceKind,
    UnusableInvoiceNumber,
    compact_kind,
    find_references,
    is_valid_ogm,
    reference_of_kind,
)
from debiteuren.payments import StatementLine, matching
from debiteuren.payments.lines import _parse_reference

#: Invoice numbers of every shape a workbook may hold.
numbers = st.one_of(
    st.from_regex(r"[A-Z]{0,3}[ -/]?[0-9]{1,15}", fullmatch=True),
    st.from_regex(r"[0-9]{4}[-/.][0-9]{1,6}", fullmatch=True),
    st.text(alphabet="AFX0123456789-/ .", min_size=1, max_size=20),
)

#: Remittance texts: words, numbers, amounts, dates and references mixed.
texts = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "Factuur",
                "fact. nr.",
                "INV-",
                "betaling",
                "€ 1.234,56",
                "12,50",
                "2025-03-01",
                "1/3/25",
                "+++090/9337/55493+++",
                "RF18 5390 0754 7034",
                "RF18539007547034",
                "5000 0567 8901 2345",
                "NL44RABO0123456789",
                "dank u",
                "",
            ]
        ),
        st.from_regex(r"[A-Z]{0,2}[0-9]{1,16}", fullmatch=True),
        st.text(max_size=12),
    ),
    max_size=6,
).map(" ".join)


def _reference(kind: ReferenceKind, number: str):
    try:
        return reference_of_kind(number, kind)
    except UnusableInvoiceNumber:
        return None


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(list(ReferenceKind)), number=numbers)
def test_the_phrase_of_an_indexed_reference_is_the_general_phrase(kind, number):
    """A reference the index holds (a valid one, compact) is named as _reference_phrase names it,
    without python-stdnum: RF-kenmerk, gestructureerde mededeling or betalingskenmerk."""
    reference = _reference(kind, number)
    if reference is None:
        return
    value = reference.value
    assert matching._indexed_phrase(value) == matching._reference_phrase.__wrapped__(value)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.from_regex(r"[0-9]{7,16}", fullmatch=True),
        st.from_regex(r"(RF|rf)[0-9]{2}[A-Za-z0-9]{1,21}", fullmatch=True),
        texts,
    )
)
def test_the_phrase_of_any_reference_the_index_reads_is_the_general_phrase(value):
    """The index's other keys: what ``_parse_reference`` makes of a reference as given (any
    kind, any length a betalingskenmerk may have)."""
    compact = _parse_reference(value)
    if compact:
        assert matching._indexed_phrase(compact) == matching._reference_phrase.__wrapped__(compact)


def test_a_twelve_digit_betalingskenmerk_that_passes_the_ogm_check_is_named_as_an_ogm():
    """As _reference_phrase reads it: 12 digits with a valid OGM check are an OGM."""
    value = "090933755493"
    assert is_valid_ogm(value)
    assert matching._indexed_phrase(value) == "gestructureerde mededeling +++090/9337/55493+++"
    assert matching._indexed_phrase(value) == matching._reference_phrase.__wrapped__(value)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.from_regex(r"[0-9]{12}", fullmatch=True),
        st.from_regex(r"[0-9]{10}", fullmatch=True).map(
            lambda d: d + f"{int(d) % 97 or 97:02d}"  # a valid check
        ),
        st.sampled_from(
            ["000000000000", "000000000097", "00000000009７", "１２３４５６７８９０１２"]
        ),
        st.text(min_size=12, max_size=12),
    )
)
def test_the_ogm_check_is_is_valid_ogm_on_twelve_characters(value):
    # as compact_kind checks it without python-stdnum
    assert (compact_kind(value) is ReferenceKind.OGM) == is_valid_ogm(value)


@settings(max_examples=500, deadline=None)
@given(texts)
def test_references_in_a_text_are_those_find_references_finds(text):
    assert list(matching._references_in(text)) == find_references(text)
    assert list(matching._references_in(text)) == find_references(text)  # from the cache


@settings(max_examples=500, deadline=None)
@given(st.one_of(texts, st.text(max_size=30)))
def test_invoice_numbers_in_a_text_once_per_text_are_those_found_each_time(text):
    """The cached reading is the reading, and a text without digits names no number (the
    reading stops before its regular expressions)."""
    found = matching.invoice_numbers_in(text)
    assert matching._numbers_in(text) == tuple(found)
    assert matching._numbers_in(text) == tuple(found)  # from the cache
    if not any(ch in "0123456789" for ch in text):
        assert found == []


def _invoice(k: int, cents: int) -> matching.OpenInvoice:
    return matching.OpenInvoice(
        number=f"F{k:03d}",
        debtor="K001",
        open_amount=Decimal(cents) / 100,
        due_date=date(2026, 1, 1) + timedelta(days=k),
    )


@settings(max_examples=200, deadline=None)
@given(
    amounts=st.lists(st.integers(1, 3000), min_size=2, max_size=9),
    picks=st.sets(st.integers(0, 8), min_size=2, max_size=6),
)
def test_the_sets_with_a_total_are_every_set_of_two_to_six_with_that_total(amounts, picks):
    """Rule (d)'s search finds exactly the sets of 2 to MAX_SUBSET invoices that add up to
    the total (compared with trying every combination)."""
    pool = [_invoice(k, cents) for k, cents in enumerate(amounts)]
    total = sum(amounts[k] for k in picks if k < len(amounts))
    wanted = {
        frozenset(inv.number for inv in combo)
        for size in range(2, matching.MAX_SUBSET + 1)
        for combo in itertools.combinations(pool, size)
        if sum(inv.open_amount for inv in combo) * 100 == total
    }
    found = matching._subsets_with_total(pool, Decimal(total) / 100, limit=10**6)
    assert len(found) == len(wanted)
    assert {frozenset(inv.number for inv in s) for s in found} == wanted


@settings(max_examples=200, deadline=None)
@given(
    cents=st.integers(-5000, 5000),
    paid=st.integers(1, 5000),
    note=st.booleans(),
)
def test_a_match_of_one_invoice_is_the_match_of_that_invoice_named_twice(cents, paid, note):
    """The short way for one invoice gives what the general way gives (which names each
    invoice once and adds each open amount once)."""
    invoice = _invoice(1, cents)
    line = StatementLine(
        source="a.xml",
        account_iban="NL91ABNA0417164300",
        booking_date=date(2026, 3, 2),
        value_date=date(2026, 3, 2),
        amount=Decimal(paid) / 100,
        currency="EUR",
        bank_reference="B1",
    )
    one = matching._matched(line, [invoice], "factuurnummer F001", amount_note=note)
    general = matching._matched(line, [invoice, invoice], "factuurnummer F001", amount_note=note)
    assert one == general


@settings(max_examples=1000, deadline=None)
@given(
    st.one_of(
        texts,
        st.text(max_size=30),
        st.text(alphabet="€EeUuRrOo0123456789 ,.-/+*KſSsAaBbıİ\u212a", max_size=30),
    )
)
def test_a_text_is_cleaned_as_the_pattern_of_things_that_are_not_numbers_cleans_it(text):
    """The quick look for what any alternative needs never skips a text it would change."""
    assert matching._not_numbers_blanked(text) == matching._NOT_NUMBERS.sub(matching._blank, text)
