"""A large book assessed on two cores (issue 17).

The bank import matches a statement against what every customer owes; at 50,000 invoices that
takes a second or two on one core while the second waits. :func:`picked_claims` works out the
second half of the customers in a forked copy of this process (:class:`~..workbook.aside.Aside`)
while this one does the first half. The copy sends back only what the caller picks from each
customer's open amounts (a few plain values per open invoice), never model objects: pickling
them costs more than computing them. Without a copy (one core, no ``fork``, a small book, a
failed copy) the same values are computed here, in the same order.

:func:`refresh` does the same for writing a book back: each process assesses its customers and
makes their part of the Overzicht and their changed Facturen cells; the parts are joined into
exactly what one process makes (:func:`~..core.book.merge_overviews`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from ..core.book import (
    Assessment,
    Overview,
    assess_book,
    merge_overviews,
    open_amounts_by_debtor,
    overview,
)
from ..core.claim import OpenAmount
from ..core.model import Action, Invoice, Payment, PlanInstalment
from ..core.rate_watch import ground_rate_warnings, rate_ground
from ..core.rates import RateBook
from ..workbook import read, schema, write
from ..workbook.aside import Aside, can_fork

__all__ = ["MIN_INVOICES", "Refreshed", "picked_claims", "refresh", "subset", "worth_sharing"]

T = TypeVar("T")

#: Below this many invoices one core assesses them all: the copy would cost more than it saves.
MIN_INVOICES = 5_000


def picked_claims(
    d: read.WorkbookData,
    rates: RateBook,
    as_of: date,
    pick: Callable[[str, list[OpenAmount]], Sequence[T]],
    *,
    fork: bool = True,
) -> list[T]:
    """Work out what is open at ``as_of`` on every customer's invoices
    (:func:`~..core.claim.open_amounts`) and return what ``pick`` takes from each customer's
    (customer number, open amounts -> values), all in customer order.

    ``pick`` runs in the copy for half of the customers, so what it returns must pickle.
    ``fork``: False to compute everything here (a test compares both ways).
    """
    halves = _halves(d) if fork else None
    if halves is None:
        return _picked(d, rates, as_of, None, pick)
    mine, theirs = halves
    with Aside(lambda: _picked(d, rates, as_of, theirs, pick)) as copy:
        first = _picked(d, rates, as_of, mine, pick)
        return first + copy.result()


#: The share of the invoices assessed here: a bit more than half, as the copy also packs what
#: it sends back (measured at 50,000 invoices: with half each, this process waited 0.3 s).
HERE_PERCENT = 55


def _halves(d: read.WorkbookData) -> tuple[set[str], set[str]] | None:
    """Return the customers assessed here and those assessed in the copy (the first customers,
    in customer order, with :data:`HERE_PERCENT` of the invoices stay here); None when a copy
    is not worth it (a small book) or cannot be made."""
    if len(d.invoices) < MIN_INVOICES or not can_fork():
        return None
    counts: dict[str, int] = {}
    for inv in d.invoices:
        counts[inv.debtor] = counts.get(inv.debtor, 0) + 1
    numbers = sorted(counts)
    if len(numbers) < 2:
        return None
    half, seen = 0, 0
    while half < len(numbers) - 1 and seen * 100 < len(d.invoices) * HERE_PERCENT:
        seen += counts[numbers[half]]
        half += 1
    return set(numbers[:half]), set(numbers[half:])


def subset(
    d: read.WorkbookData, only: set[str] | None
) -> tuple[Sequence[Invoice], Sequence[Payment], Sequence[Action], Sequence[PlanInstalment]]:
    """Return the invoices, payments, actions and plan instalments of the customers in
    ``only`` (None: all, as they are)."""
    if only is None:
        return d.invoices, d.payments, d.actions, d.plans
    return (
        [i for i in d.invoices if i.debtor in only],
        [p for p in d.payments if p.debtor in only],
        [a for a in d.actions if a.debtor in only],
        [p for p in d.plans if p.debtor in only],
    )


def _picked(
    d: read.WorkbookData,
    rates: RateBook,
    as_of: date,
    only: set[str] | None,
    pick: Callable[[str, list[OpenAmount]], Sequence[T]],
) -> list[T]:
    """Return ``pick``'s values of the open amounts of the customers in ``only`` (None: all)."""
    invoices, payments, actions, _ = subset(d, only)
    each = open_amounts_by_debtor(
        d.debtors, invoices, payments, actions, d.creditor, d.settings, rates, as_of
    )
    return [value for number, amounts in each for value in pick(number, amounts)]


@dataclass(frozen=True, slots=True)
class Refreshed:
    """A book assessed for writing back (:func:`refresh`).

    Attributes:
      assessment: the whole assessment when one process made it; None when the customers were
        assessed in two processes (each claim is then in one of them only).
      overview: the Overzicht of the whole book, with the rate warnings.
      warnings: the rate warnings.
      computed: the changed Facturen cells, as :func:`~..workbook.write.computed_changes`.
    """

    assessment: Assessment | None
    overview: Overview
    warnings: tuple[str, ...]
    computed: dict[int, Mapping[int, object]]


def worth_sharing(d: read.WorkbookData) -> bool:
    """Return True when :func:`refresh` would assess ``d`` in two processes."""
    return _halves(d) is not None


def refresh(
    tables: dict[str, read.TableData],
    d: read.WorkbookData,
    rates: RateBook,
    as_of: date,
    references: Mapping[str, str],
    progress: Callable[[int], None] | None = None,
    *,
    fork: bool = True,
) -> Refreshed:
    """Assess every customer of ``d`` and return the Overzicht and the changed Facturen cells,
    on two cores where :func:`worth_sharing` (else here, as one process would).

    Args:
      tables: the tables ``d`` was converted from (the Facturen cells now).
      references: invoice number -> the payment reference for an empty Betalingskenmerk.
      progress: called with the number of customers done here.
      fork: False to assess everything here (a test compares both ways).
    """
    halves = _halves(d) if fork else None
    facturen = tables[schema.FACTUREN.name]
    if halves is None:
        part = _refreshed(d, rates, as_of, None, facturen, d.invoice_rows, references, progress)
        return _joined(d, rates, as_of, [part], d.invoice_rows, whole=part[3])
    mine, theirs = halves
    debtor_of = {i.number: i.debtor for i in d.invoices}
    rows_theirs = {n: r for n, r in d.invoice_rows.items() if debtor_of.get(n) in theirs}
    rows_mine = {n: r for n, r in d.invoice_rows.items() if n not in rows_theirs}

    def work() -> tuple:
        return _refreshed(d, rates, as_of, theirs, facturen, rows_theirs, references)[:3]

    with Aside(work) as copy:
        first = _refreshed(d, rates, as_of, mine, facturen, rows_mine, references, progress)
        second = copy.result()
    return _joined(d, rates, as_of, [first[:3], second], d.invoice_rows, whole=None)


def _refreshed(
    d: read.WorkbookData,
    rates: RateBook,
    as_of: date,
    only: set[str] | None,
    facturen: read.TableData,
    invoice_rows: Mapping[str, int],
    references: Mapping[str, str],
    progress: Callable[[int], None] | None = None,
) -> tuple:
    """Return (overview, rate ground, changed cells, assessment) of the customers in ``only``."""
    invoices, payments, actions, plans = subset(d, only)
    assessment = assess_book(
        d.debtors,
        invoices,
        payments,
        actions,
        plans,
        d.creditor,
        d.settings,
        rates,
        as_of,
        progress,
    )
    values = write.assessment_values(assessment)
    computed = write.computed_changes(facturen, invoice_rows, values, references)
    return overview(assessment, ()), rate_ground(assessment), computed, assessment


def _joined(
    d: read.WorkbookData,
    rates: RateBook,
    as_of: date,
    parts: Sequence[tuple],
    invoice_rows: Mapping[str, int],
    whole: Assessment | None,
) -> Refreshed:
    """Return the parts' (overview, rate ground, changed cells) as one :class:`Refreshed`."""
    warnings = tuple(
        ground_rate_warnings([p[1] for p in parts], d.settings, rates, d.creditor, as_of)
    )
    ov = replace(merge_overviews([p[0] for p in parts], d.invoices), rate_warnings=warnings)
    if len(parts) == 1:
        computed = parts[0][2]
    else:  # in the order one process makes them: the Facturen rows' order
        cells = [p[2] for p in parts]
        computed = {}
        for row in invoice_rows.values():
            for part in cells:
                found = part.get(row)
                if found is not None:
                    computed[row] = found
                    break
    return Refreshed(assessment=whole, overview=ov, warnings=warnings, computed=computed)
