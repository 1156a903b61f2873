"""Money helpers: Decimal only, half-up to cents, Dutch input."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debiteuren.core.money import allocate_cents, money, parse_money, round_cents, to_decimal


def test_half_up():
    assert round_cents(D("0.005")) == D("0.01")
    assert round_cents(D("2.675")) == D("2.68")
    assert round_cents(D("-0.005")) == D("-0.01")
    assert money("12.345") == D("12.35")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        to_decimal(0.1)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234,56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("€ 1.234,56", "1234.56"),
        ("-12,50", "-12.50"),
        ("1.234", "1234"),
        ("12", "12"),
        ("0,5", "0.50"),
        ("1.234.567,89", "1234567.89"),
    ],
)
def test_parse_money(text, value):
    assert parse_money(text) == D(value)


@pytest.mark.parametrize("text", ["morgen", "", "1,2,3.4.5", "12a", "1.23.45"])
def test_parse_money_rejects(text):
    with pytest.raises(ValueError):
        parse_money(text)


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**7), min_size=1, max_size=8))
def test_allocate_cents_adds_up(cents, weights):
    total = D(cents) / 100
    parts = allocate_cents(total, [D(w) for w in weights])
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)
