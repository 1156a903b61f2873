"""The claims of a large book, assessed on two cores (issue 17).

The bank import matches a statement against what every customer owes; at 50,000 invoices that
assessment takes two seconds on one core while the second waits. :func:`picked_claims` assesses
the second half of the customers in a forked copy of this process (:class:`~..workbook.aside.Aside`)
while this one assesses the first half. The copy sends back only what the caller picks from each
claim (a few plain values per open invoice), never the claims themselves: pickling a claim costs
more than computing it. Without a copy (one core, no ``fork``, a small book, a failed copy) the
same values are computed here, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from ..core.book import assess_claims
from ..core.claim import DebtorClaim
from ..core.rates import RateBook
from ..workbook import read
from ..workbook.aside import Aside

__all__ = ["MIN_INVOICES", "picked_claims"]

T = TypeVar("T")

#: Below this many invoices one core assesses them all: the copy would cost more than it saves.
MIN_INVOICES = 5_000


def picked_claims(
    d: read.WorkbookData,
    rates: RateBook,
    as_of: date,
    pick: Callable[[str, DebtorClaim], Sequence[T]],
    *,
    fork: bool = True,
) -> list[T]:
    """Assess every customer with invoices at ``as_of`` and return what ``pick`` takes from
    each claim (customer number, claim -> values), all in customer order.

    ``pick`` runs in the copy for half of the customers, so what it returns must pickle.
    ``fork``: False to compute everything here (a test compares both ways).
    """
    counts: dict[str, int] = {}
    for inv in d.invoices:
        counts[inv.debtor] = counts.get(inv.debtor, 0) + 1
    numbers = sorted(counts)
    if not fork or len(d.invoices) < MIN_INVOICES or len(numbers) < 2:
        return _picked(d, rates, as_of, None, pick)
    half, seen = 0, 0  # the first customers with about half of the invoices stay here
    while half < len(numbers) - 1 and seen * 2 < len(d.invoices):
        seen += counts[numbers[half]]
        half += 1
    mine, theirs = set(numbers[:half]), set(numbers[half:])
    with Aside(lambda: _picked(d, rates, as_of, theirs, pick)) as copy:
        first = _picked(d, rates, as_of, mine, pick)
        return first + copy.result()


def _picked(
    d: read.WorkbookData,
    rates: RateBook,
    as_of: date,
    only: set[str] | None,
    pick: Callable[[str, DebtorClaim], Sequence[T]],
) -> list[T]:
    """Return ``pick``'s values of the claims of the customers in ``only`` (None: all)."""
    invoices, payments, actions = d.invoices, d.payments, d.actions
    if only is not None:
        invoices = [i for i in invoices if i.debtor in only]
        payments = [p for p in payments if p.debtor in only]
        actions = [a for a in actions if a.debtor in only]
    claims = assess_claims(
        d.debtors, invoices, payments, actions, d.creditor, d.settings, rates, as_of
    )
    return [value for number, claim in claims.items() for value in pick(number, claim)]
