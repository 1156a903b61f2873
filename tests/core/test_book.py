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
