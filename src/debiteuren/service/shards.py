"""A large book assessed on two cores (issue 17).

The bank import matches a statement against what every customer owes; at 50,000 invoices that
takes a second or two on one core while the second waits. :func:`picked_claims` cuts the
customers into groups that this process and a forked copy of it take in turns, so that both
end together (:func:`_in_turns`). The copy sends back only what the caller picks from each
customer's open amounts (a few plain values per open invoice), never model objects: pickling
them costs more than computing them. Without a copy (one core, no ``fork``, a small book, a
failed copy) the same values are computed here, in the same order.

:func:`refresh` does the same for writing a book back: each process assesses its groups and
makes their part of the Overzicht and their changed Facturen cells; the parts are joined into
exactly what one process makes (:func:`~..core.book.merge_overviews`).
"""

from __future__ import annotations

import os
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
from ..workbook.aside import Aside, Parts, Turns, can_fork

__all__ = ["MIN_INVOICES", "Refreshed", "picked_claims", "refresh", "subset", "worth_sharing"]

T = TypeVar("T")
R = TypeVar("R")

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

    ``pick`` runs in the copy for some of the customers, so what it returns must pickle.
    ``fork``: False to compute everything here (a test compares both ways).
    """
    groups = _Groups(d) if fork and worth_sharing(d) else None
    if groups is None:
        return _picked(d, rates, as_of, pick)

    def group(k: int) -> list[T]:
        return _picked(groups.book(k), rates, as_of, pick)

    return [value for part in _in_turns(len(groups.members), group) for value in part]


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
    pick: Callable[[str, list[OpenAmount]], Sequence[T]],
) -> list[T]:
    """Return ``pick``'s values of the open amounts of the customers of ``d``."""
    each = open_amounts_by_debtor(
        d.debtors, d.invoices, d.payments, d.actions, d.creditor, d.settings, rates, as_of
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
    """Return True when :func:`refresh` and :func:`picked_claims` would assess ``d`` in two
    processes: a large book of more than one customer, where a copy can be made."""
    if len(d.invoices) < MIN_INVOICES or not can_fork():
        return False
    first = d.invoices[0].debtor
    return any(i.debtor != first for i in d.invoices)


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

    The customers are cut into :data:`TURNS` groups of about as many invoices, taken in turns
    (:class:`~..workbook.aside.Turns`) by this process and a forked copy: whoever is free takes
    the next, so both end together. The copy sends each group's part as it is done; a group
    the copy took and did not send (it died) is assessed here (:func:`_in_turns`).

    Args:
      tables: the tables ``d`` was converted from (the Facturen cells now).
      references: invoice number -> the payment reference for an empty Betalingskenmerk.
      progress: called with the number of customers done here.
      fork: False to assess everything here (a test compares both ways).
    """
    facturen = tables[schema.FACTUREN.name]
    groups = _Groups(d) if fork and worth_sharing(d) else None
    if groups is None:
        part = _refreshed(d, rates, as_of, facturen, d.invoice_rows, references, progress)
        return _joined(d, rates, as_of, [part], d.invoice_rows, whole=part[3])
    done = [0]

    def group(k: int) -> tuple:
        rows = groups.rows(k)
        counted = None if progress is None else (lambda n: progress(done[0] + n))
        part = _refreshed(groups.book(k), rates, as_of, facturen, rows, references, counted)
        done[0] += len(groups.members[k])
        return part[:3]

    parts = _in_turns(len(groups.members), group)
    return _joined(d, rates, as_of, parts, d.invoice_rows, None)


def _in_turns(count: int, work: Callable[[int], R]) -> list[R]:
    """Return ``work(k)`` for k in ``0 .. count - 1``, computed in turns here and in a forked
    copy (:class:`~..workbook.aside.Turns`): whoever is free takes the next. The copy sends
    each result as it is done (:class:`~..workbook.aside.Parts`), taken here between this
    process's own turns; what the copy took and did not send (it died) is computed here."""
    turns, sent, here = Turns(count), Parts(), os.getpid()

    def theirs() -> dict[int, R]:
        if os.getpid() == here:  # no copy could be made: all computed here, at once
            return {k: work(k) for k in iter(turns.take, None)}
        for k in iter(turns.take, None):
            sent.send((k, work(k)))
        return {}

    try:
        with Aside(theirs, fallback=dict) as copy:
            sent.opened()
            parts: dict[int, R] = {}
            for k in iter(turns.take, None):
                parts[k] = work(k)
                parts.update(sent.ready())  # type: ignore[arg-type]
            turns.close()
            parts.update(sent.rest())  # type: ignore[arg-type]
            parts.update(copy.result())
    finally:
        turns.close()
        sent.close()
    parts.update((k, work(k)) for k in range(count) if k not in parts)
    return [parts[k] for k in range(count)]


#: The groups of customers :func:`refresh` assesses in turns: enough that the process that
#: ends first waits little for the other (a group takes some 20 ms at 50,000 invoices; as many
#: groups cost no more than one).
TURNS = 128


class _Groups:
    """The customers of a book in :data:`TURNS` groups of consecutive customer numbers with
    about as many invoices each (:func:`refresh`)."""

    def __init__(self, d: read.WorkbookData) -> None:
        self.d = d
        own: dict[str, tuple[list, list, list, list]] = {}
        for k, items in enumerate((d.invoices, d.payments, d.actions, d.plans)):
            for item in items:
                found = own.get(item.debtor)
                if found is None:
                    found = own[item.debtor] = ([], [], [], [])
                found[k].append(item)
        self.own = own
        size = max(1, -(-len(d.invoices) // TURNS))
        members: list[list[str]] = [[]]
        count = 0
        # every customer with invoices or payments, as assess_book assesses them
        for number in sorted(
            n for n, found in own.items() if (found[0] or found[1]) and n in d.debtors
        ):
            if count >= size and len(members) < TURNS:
                members.append([])
                count = 0
            members[-1].append(number)
            count += len(own[number][0])
        self.members = members

    def book(self, k: int) -> read.WorkbookData:
        """Return group ``k`` as the book of its customers only."""
        own, members = self.own, self.members[k]
        invoices, payments, actions, plans = (
            [item for n in members for item in own[n][j]] for j in range(4)
        )
        return replace(self.d, invoices=invoices, payments=payments, actions=actions, plans=plans)

    def rows(self, k: int) -> dict[str, int]:
        """Return the Excel rows of the invoices of group ``k`` (the rows of no invoice go
        with the first group)."""
        d, at, own = self.d, self.d.invoice_rows, self.own
        rows = {
            i.number: at[i.number] for n in self.members[k] for i in own[n][0] if i.number in at
        }
        if k == 0:
            known = {i.number for i in d.invoices}
            rows.update((n, r) for n, r in at.items() if n not in known)
        return rows


def _refreshed(
    d: read.WorkbookData,
    rates: RateBook,
    as_of: date,
    facturen: read.TableData,
    invoice_rows: Mapping[str, int],
    references: Mapping[str, str],
    progress: Callable[[int], None] | None = None,
) -> tuple:
    """Return (overview, rate ground, changed cells, assessment) of the customers of ``d``."""
    assessment = assess_book(
        d.debtors,
        d.invoices,
        d.payments,
        d.actions,
        d.plans,
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
        every: dict[int, Mapping[int, object]] = {}
        for part in parts:
            every.update(part[2])  # each row is in one part only
        computed = {row: every[row] for row in invoice_rows.values() if row in every}
    return Refreshed(assessment=whole, overview=ov, warnings=warnings, computed=computed)
