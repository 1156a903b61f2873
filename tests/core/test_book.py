"""The Overzicht's aging buckets (core/book.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from debiteuren.core.book import AGING_BUCKETS, _bucket, bucket_of


@given(st.integers(-(10**7), 10**7))
def test_the_quick_bucket_is_the_table_s_bucket(days):
    assert _bucket(days) == bucket_of(days)


def test_the_bucket_edges():
    assert [AGING_BUCKETS[_bucket(d)][0] for d in (0, 1, 30, 31, 60, 61, 90, 91)] == [
        "Niet vervallen",
        "1–30 dagen",
        "1–30 dagen",
        "31–60 dagen",
        "31–60 dagen",
        "61–90 dagen",
        "61–90 dagen",
        "> 90 dagen",
    ]


def test_a_day_before_the_rate_table_names_the_customer():
    """What reading cannot see (interest from a letter dated before the table) stopped every
    command with "Geen percentage ... op ..." naming no customer."""
    from datetime import date

    import pytest

    from debiteuren.core.book import assess_book
    from debiteuren.core.model import Country, Creditor, Debtor, DebtorKind, Invoice, Settings
    from debiteuren.core.money import Decimal
    from debiteuren.core.rates import RateBook, RateRow, RateTableGap

    firm = Debtor(number="K7", name="X", country=Country.NL, kind=DebtorKind.BUSINESS)
    due = date(2019, 12, 31)
    invoice = Invoice(number="F1", debtor="K7", invoice_date=due, due_date=due, amount=Decimal(9))
    late = RateRow(series="nl_handelsrente", effective_from=date(2020, 7, 1), rate=Decimal(8))
    with pytest.raises(RateTableGap, match=r"^Klant 'K7': geen percentage .* op 01-01-2020;"):
        assess_book(
            {"K7": firm},
            [invoice],
            [],
            [],
            [],
            Creditor(name="Y"),
            Settings(),
            RateBook.from_rows([late]),
            date(2026, 1, 1),
        )
