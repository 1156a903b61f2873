"""The claims of a book assessed on two cores give what one core gives, in the same order."""

from __future__ import annotations

import pytest

from debiteuren.core.book import assess_book
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service import pipeline, shards
from debiteuren.workbook import aside


def _open(number, claim):
    return [
        (c.invoice.number, number, c.outstanding, c.principal_open, c.statement.costs_open)
        for c in claim.invoices
        if c.outstanding > 0
    ]


@pytest.mark.parametrize("fork", [False, True])
def test_picked_claims_are_those_of_the_whole_assessment(demo, monkeypatch, fork):
    monkeypatch.setattr(shards, "MIN_INVOICES", 0)  # the demo is small: share it anyway
    loaded = pipeline.read_book(demo, DEMO_AS_OF, for_writing=False)
    d = loaded.data
    whole = assess_book(
        d.debtors,
        d.invoices,
        d.payments,
        d.actions,
        d.plans,
        d.creditor,
        d.settings,
        loaded.rates,
        DEMO_AS_OF,
    )
    expected = [v for n, claim in whole.claims.items() for v in _open(n, claim)]
    assert len({v[1] for v in expected}) > 2  # several customers, so both halves have some
    got = shards.picked_claims(d, loaded.rates, DEMO_AS_OF, _open, fork=fork)
    assert got == expected
    assert [str(v[2]) for v in got] == [str(v[2]) for v in expected]


def test_the_copy_does_the_second_half(demo, monkeypatch):
    """With a copy, this process assesses only the first customers."""
    if not aside.can_fork():
        pytest.skip("no second core or no fork here")
    monkeypatch.setattr(shards, "MIN_INVOICES", 0)
    loaded = pipeline.read_book(demo, DEMO_AS_OF, for_writing=False)
    seen: list[str] = []

    def pick(number, claim):
        seen.append(number)  # only this process's list grows
        return _open(number, claim)

    got = shards.picked_claims(loaded.data, loaded.rates, DEMO_AS_OF, pick)
    everyone = sorted({i.debtor for i in loaded.data.invoices})
    assert seen == everyone[: len(seen)] and 0 < len(seen) < len(everyone)
    assert {v[1] for v in got} - set(seen)  # the copy's customers came back
