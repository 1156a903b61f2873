"""The whole ledger at a date: every debtor's claim and ladder position, and the overview.

Pure: model objects in, results out. Used by ``bijwerken`` (computed columns and Overzicht) and
by the letters.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from .claim import DebtorClaim, InvoiceClaim, OpenAmount, assess_debtor, open_amounts
from .ladder import InvoiceStage, Stage, plan_debtor
from .model import Action, Creditor, Debtor, Invoice, Payment, PlanInstalment, Settings
from .money import ZERO, Decimal, total
from .rates import RateBook, RateTableGap
from .rules import is_abroad, law_statement
from .watch import Watch, collection_watch, merge_watches

T = TypeVar("T")

__all__ = [
    "AGING_BUCKETS",
    "Assessment",
    "DebtorAging",
    "Overview",
    "assess_book",
    "merge_overviews",
    "no_cycle_collection",
    "open_amounts_by_debtor",
    "overview",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    """Every debtor's claim and every invoice's ladder position at ``as_of``."""

    as_of: date
    claims: dict[str, DebtorClaim]
    stages: dict[str, dict[str, InvoiceStage]]
    #: The user's business: its country is the law of a business abroad (``core/rules``).
    creditor: Creditor | None = None

    def invoice(self, number: str) -> tuple[InvoiceClaim, InvoiceStage] | None:
        """Return the claim and stage of invoice ``number``, or None (credit notes)."""
        for debtor, claim in self.claims.items():
            st = self.stages[debtor].get(number)
            if st is not None:
                return claim.claim_for(number), st
        return None


def _group(items: Iterable, key: Callable) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while the assessment builds its records.

    The assessment makes hundreds of thousands of small immutable records and no reference
    cycles; the collector would scan the whole heap (the workbook's data included) again and
    again as they pile up, a third of the assessment's time at 50,000 invoices. Reference
    counting frees everything as usual; the collector's state is restored afterwards.
    ``bijwerken`` pauses it for its whole run: every step after the assessment (the Overzicht,
    the patch) would otherwise trigger full collections over those records.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@no_cycle_collection()
def assess_book(
    debtors: Mapping[str, Debtor],
    invoices: Sequence[Invoice],
    payments: Sequence[Payment],
    actions: Sequence[Action],
    plans: Sequence[PlanInstalment],
    creditor: Creditor,
    settings: Settings,
    rates: RateBook,
    as_of: date,
    progress: Callable[[int], None] | None = None,
) -> Assessment:
    """Assess every debtor that has invoices or payments (:func:`_each`).

    Args:
      progress: called with the number of debtors done, for a progress bar.
    """
    pays = _group(payments, lambda p: p.debtor)
    acts = _group(actions, lambda a: a.debtor)
    inst = _group(plans, lambda p: p.debtor)
    claims: dict[str, DebtorClaim] = {}
    stages: dict[str, dict[str, InvoiceStage]] = {}
    each = _claims(debtors, invoices, pays, acts, creditor, settings, rates, as_of)
    for k, (number, claim) in enumerate(each):
        claims[number] = claim
        stages[number] = plan_debtor(
            claim,
            acts.get(number, []),
            inst.get(number, []),
            pays.get(number, []),
            settings,
            as_of,
            creditor,
        )
        if progress is not None:
            progress(k + 1)
    return Assessment(as_of=as_of, claims=claims, stages=stages, creditor=creditor)


@no_cycle_collection()
def open_amounts_by_debtor(
    debtors: Mapping[str, Debtor],
    invoices: Sequence[Invoice],
    payments: Sequence[Payment],
    actions: Sequence[Action],
    creditor: Creditor,
    settings: Settings,
    rates: RateBook,
    as_of: date,
) -> Iterator[tuple[str, list[OpenAmount]]]:
    """Yield (debtor number, :func:`~.claim.open_amounts`) of every debtor with invoices or
    payments, in debtor order: what :func:`assess_book`'s claims have open, for a use that
    needs only the amounts (the bank import matches payments against them)."""
    pays = _group(payments, lambda p: p.debtor)
    acts = _group(actions, lambda a: a.debtor)
    return _each(open_amounts, debtors, invoices, pays, acts, creditor, settings, rates, as_of)


def _claims(
    debtors: Mapping[str, Debtor],
    invoices: Sequence[Invoice],
    pays: Mapping[str, list[Payment]],
    acts: Mapping[str, list[Action]],
    creditor: Creditor,
    settings: Settings,
    rates: RateBook,
    as_of: date,
) -> Iterator[tuple[str, DebtorClaim]]:
    """Yield (debtor number, claim) of every debtor with invoices or payments, in debtor order."""
    return _each(assess_debtor, debtors, invoices, pays, acts, creditor, settings, rates, as_of)


def _each(
    work: Callable[..., T],
    debtors: Mapping[str, Debtor],
    invoices: Sequence[Invoice],
    pays: Mapping[str, list[Payment]],
    acts: Mapping[str, list[Action]],
    creditor: Creditor,
    settings: Settings,
    rates: RateBook,
    as_of: date,
) -> Iterator[tuple[str, T]]:
    """Yield (debtor number, ``work`` of the debtor's rows) of every debtor with invoices or
    payments, in debtor order.

    A customer with payments and no invoice (a prepayment, or a payment for an invoice not yet
    on Facturen) is assessed too: its money is its credit (``DebtorClaim.unallocated``), which
    the Overzicht and the export show; money that reached the bank is never left out.
    """
    own = _group(invoices, lambda i: i.debtor)
    for number in pays:
        if number not in own and number in debtors:
            own[number] = []
    for number, invs in sorted(own.items()):
        own_pays, own_acts = pays.get(number, []), acts.get(number, [])
        try:
            done = work(debtors[number], invs, own_pays, own_acts, creditor, settings, rates, as_of)
        except RateTableGap as gap:  # a day before the table that reading could not see
            raise gap.for_debtor(number) from None
        yield number, done


#: Aging buckets by days after the due date: (label, lowest day, highest day or None).
AGING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("Niet vervallen", -(10**6), 0),
    ("1–30 dagen", 1, 30),
    ("31–60 dagen", 31, 60),
    ("61–90 dagen", 61, 90),
    ("> 90 dagen", 91, None),
)


def _bucket(days: int) -> int:
    """:func:`bucket_of` for the buckets as they are (issue 17: once per open invoice)."""
    if days <= 0:
        return 0 if days >= -(10**6) else len(AGING_BUCKETS) - 1  # as bucket_of: none fits
    if days <= 30:
        return 1
    if days <= 60:
        return 2
    return 3 if days <= 90 else 4


def bucket_of(days_after_due: int) -> int:
    """Return the index of the aging bucket for a number of days after the due date."""
    for i, (_, low, high) in enumerate(AGING_BUCKETS):
        if days_after_due >= low and (high is None or days_after_due <= high):
            return i
    return len(AGING_BUCKETS) - 1


@dataclass(frozen=True, slots=True, kw_only=True)
class DebtorAging:
    """One debtor's open principal per aging bucket, and their claim in total."""

    debtor: Debtor
    buckets: tuple[Decimal, ...]
    principal_open: Decimal
    interest_open: Decimal
    costs_open: Decimal
    outstanding: Decimal
    oldest_days: int
    stage: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Overview:
    """The Overzicht: totals, aging per debtor and in total, top debtors, DSO.

    Attributes:
      watch: limitation warnings, hand-overs and worth-pursuing checks (core/watch.py).
      rate_warnings: rates carried past their known period or not confirmed
        (core/rate_watch.py); set by the service, empty from :func:`overview`.
      checks: what the book records that the user should check, one Dutch line each naming
        its sheet, row and column (a credit note whose Crediteert factuur names no invoice it
        lowers); set by the service from the reader's warnings, empty from :func:`overview`.
      dso: days sales outstanding = open principal / sales of the last ``dso_days`` days ×
        ``dso_days``; None without sales in that period.
      abroad: the customers outside NL and BE with something open, each with the law that
        governs their claims and why (:func:`~.rules.law_statement`).
      credits: the customers who paid (or were credited) more than all their invoices owe, in
        customer order, each with that credit (``DebtorClaim.unallocated``, "tegoed"): money
        the business holds for them, to pay back or to set off against a next invoice.
      refunded: the customers who were paid back more than they paid, in customer order, each
        with how much more: a refund (Status Terugbetaling) with no payment on Betalingen to
        take it from, only for a customer without invoices (a refund beyond what a customer
        with invoices paid is owed on an invoice again, ``core.claim``). Money that left the
        bank is shown too: the payment it refunded is missing, or the refund is wrong.
    """

    as_of: date
    debtors: tuple[DebtorAging, ...]
    buckets: tuple[Decimal, ...]
    principal_open: Decimal
    interest_open: Decimal
    costs_open: Decimal
    outstanding: Decimal
    invoices_open: int
    invoices_overdue: int
    dso: Decimal | None
    dso_days: int = 90
    stage_counts: dict[str, int] = field(default_factory=dict)
    watch: Watch | None = None
    rate_warnings: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    abroad: tuple[tuple[Debtor, str], ...] = ()
    credits: tuple[tuple[Debtor, Decimal], ...] = ()
    refunded: tuple[tuple[Debtor, Decimal], ...] = ()

    @property
    def credit_total(self) -> Decimal:
        """Return the credit of all customers together (:attr:`credits`)."""
        return total(amount for _, amount in self.credits)

    @property
    def refunded_total(self) -> Decimal:
        """Return what was paid back beyond what was paid, all customers together
        (:attr:`refunded`)."""
        return total(amount for _, amount in self.refunded)

    def top(self, n: int = 10) -> list[DebtorAging]:
        """Return the ``n`` debtors who owe the most."""
        return sorted(self.debtors, key=lambda d: (-d.outstanding, d.debtor.number))[:n]


_STAGE_ORDER = [s.value for s in Stage]
_STAGE_RANK = {value: rank for rank, value in enumerate(_STAGE_ORDER)}
#: ``stage.value`` without the enum's descriptor (issue 17: once per invoice).
_STAGE_VALUE = {s: s.value for s in Stage}


def overview(assessment: Assessment, invoices: Sequence[Invoice], dso_days: int = 90) -> Overview:
    """Summarise an assessment for the Overzicht sheet."""
    as_of = assessment.as_of
    rows = []
    totals = [ZERO] * len(AGING_BUCKETS)
    counts: dict[str, int] = defaultdict(int)
    n_open = n_overdue = 0
    credits, refunded = [], []
    for number in sorted(assessment.claims):
        claim = assessment.claims[number]
        if claim.unallocated > 0:
            credits.append((claim.debtor, claim.unallocated))
        elif claim.unallocated < 0:
            refunded.append((claim.debtor, -claim.unallocated))
        stages = assessment.stages[number]
        buckets = [ZERO] * len(AGING_BUCKETS)
        oldest = 0
        worst = ""
        # the claim's totals (DebtorClaim's properties), added in the same order here
        principal_open = interest_open = costs_open = outstanding = ZERO
        for c in claim.invoices:
            st = c.statement
            principal = st.principal_open
            owed = st.outstanding
            principal_open += principal
            interest_open += st.capitalised_open + st.interest_open
            costs_open += st.costs_open
            outstanding += owed
            stage = _STAGE_VALUE[stages[c.invoice.number].stage]
            counts[stage] += 1
            if owed <= 0:
                continue
            n_open += 1
            days = (as_of - c.invoice.due_date).days
            if days > 0:
                n_overdue += 1
            if days > oldest:
                oldest = days
            i = _bucket(days)
            buckets[i] += principal
            totals[i] += principal
            if not worst or _STAGE_RANK[stage] > _STAGE_RANK[worst]:
                worst = stage
        if outstanding > 0:
            rows.append(
                DebtorAging(
                    debtor=claim.debtor,
                    buckets=tuple(buckets),
                    principal_open=principal_open,
                    interest_open=interest_open,
                    costs_open=costs_open,
                    outstanding=outstanding,
                    oldest_days=oldest,
                    stage=worst,
                )
            )
    since = as_of - timedelta(days=dso_days)
    sales = total(i.amount for i in invoices if since < i.invoice_date <= as_of)
    principal = total(r.principal_open for r in rows)
    dso = (principal / sales * dso_days).quantize(Decimal("0.1")) if sales > 0 else None
    creditor = assessment.creditor
    abroad = tuple(
        (r.debtor, law_statement(r.debtor, creditor))
        for r in rows
        if creditor is not None and is_abroad(r.debtor)
    )
    return Overview(
        as_of=as_of,
        debtors=tuple(rows),
        buckets=tuple(totals),
        principal_open=principal,
        interest_open=total(r.interest_open for r in rows),
        costs_open=total(r.costs_open for r in rows),
        outstanding=total(r.outstanding for r in rows),
        invoices_open=n_open,
        invoices_overdue=n_overdue,
        dso=dso,
        dso_days=dso_days,
        stage_counts=dict(counts),
        watch=collection_watch(assessment),
        abroad=abroad,
        credits=tuple(credits),
        refunded=tuple(refunded),
    )


def merge_overviews(
    parts: Sequence[Overview], invoices: Sequence[Invoice], dso_days: int = 90
) -> Overview:
    """Return the :func:`overview` of a whole book from the overviews of its parts.

    Each part is the overview of the claims of some customers, the parts in customer order
    (the first customers first, each customer in one part), as :mod:`..service.shards` assesses
    a large book on two cores. The result equals the overview of all claims at once: rows and
    lists in the same order, totals to the digit; the DSO is computed again from ``invoices``.
    """
    first = parts[0]
    as_of = first.as_of
    rows = tuple(r for p in parts for r in p.debtors)
    buckets = list(first.buckets)
    counts: dict[str, int] = defaultdict(int)
    for p in parts:
        if p is not first:
            buckets = [a + b for a, b in zip(buckets, p.buckets, strict=True)]
        for stage, n in p.stage_counts.items():
            counts[stage] += n
    since = as_of - timedelta(days=dso_days)
    sales = total(i.amount for i in invoices if since < i.invoice_date <= as_of)
    principal = total(r.principal_open for r in rows)
    dso = (principal / sales * dso_days).quantize(Decimal("0.1")) if sales > 0 else None
    watches = [p.watch for p in parts if p.watch is not None]
    return Overview(
        as_of=as_of,
        debtors=rows,
        buckets=tuple(buckets),
        principal_open=principal,
        interest_open=total(r.interest_open for r in rows),
        costs_open=total(r.costs_open for r in rows),
        outstanding=total(r.outstanding for r in rows),
        invoices_open=sum(p.invoices_open for p in parts),
        invoices_overdue=sum(p.invoices_overdue for p in parts),
        dso=dso,
        dso_days=dso_days,
        stage_counts=dict(counts),
        watch=merge_watches(watches) if watches else None,
        abroad=tuple(a for p in parts for a in p.abroad),
        credits=tuple(c for p in parts for c in p.credits),
        refunded=tuple(r for p in parts for r in p.refunded),
    )
