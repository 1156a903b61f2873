"""The receivables at a date, as the accountant needs them: open items, aging, VAT relief.

Pure: an :class:`~debiteuren.core.book.Assessment` in, the figures out. The figures reconcile:
per invoice, *Totaal open* = *Open hoofdsom* + (*Rente berekend* − *Rente ontvangen*) +
(*Kosten berekend* − *Kosten ontvangen*), and *Hoofdsom* − *Open hoofdsom* = *Betaald* −
*Rente ontvangen* − *Kosten ontvangen*; every total is the sum of its rows, and the total open
equals the Overzicht's "Totaal te vorderen" at the same peildatum.

VAT (``shared/domain/nl.md`` §7, ``be.md`` §6): the debtor's rules say how VAT comes back
(:class:`~debiteuren.core.rules.VatRelief`): a Dutch creditor may reclaim the VAT on an invoice
still unpaid one year after it became due, pro rata of the unpaid part; Belgium refunds only a
proven, definitive loss, so Belgian claims are only listed as candidates to review. A customer
abroad is on neither VAT sheet: an invoice across the border usually carries no Dutch or Belgian
VAT (``core/rules/abroad.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from .book import AGING_BUCKETS, Assessment, bucket_of
from .ladder import Stage
from .model import Action, Debtor, Invoice, PlanInstalment, Step
from .money import HUNDRED, ZERO, Decimal, round_cents, total
from .rules import VatRelief, vat_relief
from .rules.lifecycle import counts_from
from .sent import sent_by

__all__ = [
    "BE_REVIEW_DAYS",
    "DEFAULT_VAT_RATE",
    "BeCandidate",
    "ExportSummary",
    "OpenItem",
    "VatCandidate",
    "be_candidates",
    "handed_over_by",
    "nl_vat_candidates",
    "open_items",
    "plans_by",
    "summarise",
    "vat_in",
]

#: A Belgian claim this many days past its due date is listed for review ("BE mogelijk oninbaar").
BE_REVIEW_DAYS = 365
DEFAULT_VAT_RATE = Decimal(21)


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenItem:
    """One invoice that is (partly) unpaid at the peildatum.

    Attributes:
      days_late: days after the due date (0 when not yet due).
      bucket: index into :data:`~debiteuren.core.book.AGING_BUCKETS`.
      principal: the invoice amount (incl. VAT).
      paid: everything paid on the invoice (costs, interest and principal).
      principal_open: the unpaid part of the invoice amount (capitalised interest not included).
      interest: all interest charged up to the peildatum, capitalised interest included.
      interest_received: the interest paid, capitalised interest included.
      costs, costs_received: collection costs charged, and paid.
      outstanding: the total still owed.
      handed_over_on: the day of the hand-over action, when logged.
      vat_refund_from: NL: the day from which the VAT may be reclaimed; BE: None.
    """

    debtor: Debtor
    invoice: Invoice
    days_late: int
    bucket: int
    principal: Decimal
    paid: Decimal
    principal_open: Decimal
    interest: Decimal
    interest_received: Decimal
    costs: Decimal
    costs_received: Decimal
    outstanding: Decimal
    stage: str
    handed_over: bool
    handed_over_on: date | None = None
    handover_note: str = ""
    vat_refund_from: date | None = None

    @property
    def interest_open(self) -> Decimal:
        """Return the unpaid interest (capitalised interest included)."""
        return self.interest - self.interest_received

    @property
    def costs_open(self) -> Decimal:
        """Return the unpaid costs."""
        return self.costs - self.costs_received

    @property
    def extras_open(self) -> Decimal:
        """Return the unpaid interest and costs."""
        return self.interest_open + self.costs_open


@dataclass(frozen=True, slots=True, kw_only=True)
class VatCandidate:
    """An NL invoice whose VAT may be reclaimed as uncollectible at the peildatum.

    Attributes:
      rate: the VAT rate assumed (percent); the invoice's real rate must be checked.
      vat: the VAT in the unpaid part: ``principal_open × rate / (100 + rate)``, in cents.
    """

    item: OpenItem
    rate: Decimal
    vat: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class BeCandidate:
    """A BE claim to review for a VAT refund on a definitive loss (never automatic).

    Attributes:
      reasons: why it is listed (Dutch phrases).
      vat: the VAT in the unpaid part at the assumed rate, if the loss is proven.
    """

    item: OpenItem
    reasons: tuple[str, ...]
    rate: Decimal
    vat: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportSummary:
    """The totals of an export.

    Attributes:
      buckets: per aging bucket (number of invoices, open principal, total open).
      unallocated: payments and credit notes not allocated to any invoice (a credit in the
        customers' favour); not in the totals.
      skipped_invoices: invoices dated after the peildatum, left out.
      unmatched_count: money received up to the peildatum that is linked to no invoice yet
        ("Te controleren" on Betalingen): how many payments; not in the totals.
      unmatched_total: their amount in euro (a payment in another currency has none yet).
    """

    per: date
    count: int
    principal_open: Decimal
    interest_open: Decimal
    costs_open: Decimal
    outstanding: Decimal
    buckets: tuple[tuple[int, Decimal, Decimal], ...]
    vat_rate: Decimal
    vat_count: int
    vat_total: Decimal
    handed_over_count: int
    handed_over_total: Decimal
    be_count: int
    be_total: Decimal
    unallocated: Decimal
    skipped_invoices: int
    unmatched_count: int = 0
    unmatched_total: Decimal = ZERO


def _handover(stage_action: Action | None, debtor: Debtor) -> tuple[date | None, str]:
    """Return (hand-over day, note) from the ladder's last action or the Klanten flag."""
    if stage_action is not None and stage_action.step is Step.HANDOVER:
        return stage_action.on, stage_action.note
    return None, "klant staat op 'uit handen'" if debtor.handed_over else ""


def open_items(assessment: Assessment) -> list[OpenItem]:
    """Return every invoice with something still owed at the assessment's peildatum.

    Sorted by customer number, due date and invoice number.
    """
    per = assessment.as_of
    items = []
    for number in sorted(assessment.claims):
        claim = assessment.claims[number]
        for c in claim.invoices:
            st = c.statement
            if st.outstanding <= 0:
                continue
            stage = assessment.stages[number][c.invoice.number]
            capitalised = total(k.amount for k in st.capitalisations)
            capitalised_paid = capitalised - st.capitalised_open
            days = (per - c.invoice.due_date).days
            on, note = _handover(stage.last_action, claim.debtor)
            items.append(
                OpenItem(
                    debtor=claim.debtor,
                    invoice=c.invoice,
                    days_late=max(days, 0),
                    bucket=bucket_of(days),
                    principal=c.invoice.amount,
                    paid=st.paid,
                    principal_open=st.principal_open,
                    interest=st.interest,
                    interest_received=st.paid_interest + capitalised_paid,
                    costs=st.costs,
                    costs_received=st.paid_costs,
                    outstanding=st.outstanding,
                    stage=stage.stage.value,
                    handed_over=stage.stage is Stage.HANDED_OVER,
                    handed_over_on=on,
                    handover_note=note,
                    vat_refund_from=c.vat_refund,
                )
            )
    items.sort(key=lambda i: (i.debtor.number, i.invoice.due_date, i.invoice.number))
    return items


def vat_in(amount: Decimal, rate: Decimal) -> Decimal:
    """Return the VAT contained in an amount including VAT: ``amount × rate / (100 + rate)``.

    >>> vat_in(Decimal("1210.00"), Decimal(21))
    Decimal('210.00')
    """
    return round_cents(amount * rate / (HUNDRED + rate))


def nl_vat_candidates(
    items: Iterable[OpenItem], per: date, rate: Decimal = DEFAULT_VAT_RATE
) -> list[VatCandidate]:
    """Return the invoices whose VAT comes back one year after the due date (NL), whose refund
    date is on or before ``per`` and whose principal is still (partly) unpaid."""
    return [
        VatCandidate(item=i, rate=rate, vat=vat_in(i.principal_open, rate))
        for i in items
        if vat_relief(i.debtor) is VatRelief.AFTER_ONE_YEAR
        and i.vat_refund_from is not None
        and i.vat_refund_from <= per
        and i.principal_open > 0
    ]


def be_candidates(
    items: Iterable[OpenItem], rate: Decimal = DEFAULT_VAT_RATE, review_days: int = BE_REVIEW_DAYS
) -> list[BeCandidate]:
    """Return the claims to review for a VAT refund where only a proven loss gives the VAT back
    (BE): handed over, or very old.

    Args:
      review_days: a claim more than this many days past its due date is listed.
    """
    out = []
    for i in items:
        if vat_relief(i.debtor) is not VatRelief.PROVEN_LOSS or i.principal_open <= 0:
            continue
        reasons = []
        if i.handed_over:
            reasons.append("uit handen gegeven")
        if i.days_late > review_days:
            reasons.append(f"meer dan {review_days} dagen na de vervaldatum")
        if reasons:
            out.append(
                BeCandidate(
                    item=i, reasons=tuple(reasons), rate=rate, vat=vat_in(i.principal_open, rate)
                )
            )
    return out


def summarise(
    per: date,
    items: Sequence[OpenItem],
    vat: Sequence[VatCandidate],
    be: Sequence[BeCandidate],
    unallocated: Decimal = ZERO,
    skipped: int = 0,
    vat_rate: Decimal = DEFAULT_VAT_RATE,
    *,
    unmatched: Sequence[Decimal | None] = (),
) -> ExportSummary:
    """Return the totals of an export; every total is the sum of its rows.

    ``unmatched`` are the amounts of the money received that is linked to no invoice yet
    (None: a payment in another currency, not yet in euro)."""
    buckets = []
    for k in range(len(AGING_BUCKETS)):
        mine = [i for i in items if i.bucket == k]
        buckets.append(
            (len(mine), total(i.principal_open for i in mine), total(i.outstanding for i in mine))
        )
    handed = [i for i in items if i.handed_over]
    return ExportSummary(
        per=per,
        count=len(items),
        principal_open=total(i.principal_open for i in items),
        interest_open=total(i.interest_open for i in items),
        costs_open=total(i.costs_open for i in items),
        outstanding=total(i.outstanding for i in items),
        buckets=tuple(buckets),
        vat_rate=vat_rate,
        vat_count=len(vat),
        vat_total=total(v.vat for v in vat),
        handed_over_count=len(handed),
        handed_over_total=total(i.outstanding for i in handed),
        be_count=len(be),
        be_total=total(b.item.principal_open for b in be),
        unallocated=unallocated,
        skipped_invoices=skipped,
        unmatched_count=len(unmatched),
        unmatched_total=total(a for a in unmatched if a is not None),
    )


def handed_over_by(
    debtors: dict[str, Debtor], actions: Sequence[Action], per: date
) -> dict[str, Debtor]:
    """Return the debtors as they stood on ``per``: "Uit handen" only when handed over by then.

    The Klanten flag says what is true today. A customer whose overdracht rows in Acties all lie
    after ``per`` was not handed over yet on ``per``; a flag without any overdracht row (set by
    hand) has no date and is kept.
    """
    handovers: dict[str, list[Action]] = {}
    for a in actions:
        if a.step is Step.HANDOVER:
            handovers.setdefault(a.debtor, []).append(a)
    out = dict(debtors)
    for number, debtor in debtors.items():
        rows = handovers.get(number)
        if debtor.handed_over and rows and not any(sent_by(a, per) for a in rows):
            out[number] = replace(debtor, handed_over=False)
    return out


def plans_by(
    plans: Sequence[PlanInstalment], actions: Sequence[Action], per: date
) -> list[PlanInstalment]:
    """Return the payment plans as they stood on ``per``: a plan agreed after ``per`` is not.

    Regelingen holds one plan per customer, the one agreed last, and has no date of its own;
    the day it was agreed is that of the customer's last ``regeling`` row in Acties. When that
    day lies after ``per`` the plan did not exist yet: without this, an export on an earlier
    day left the plan's Acties row out but not its instalments, and showed the Fase 'Regeling'
    for invoices then still on the ladder. A plan without such a row (typed by hand) has no
    date and is kept, as :func:`handed_over_by` keeps a flag without a row.
    """
    agreed: dict[str, date] = {}
    for a in actions:
        day = counts_from(a) if a.step is Step.PLAN else None
        if day is not None and day > agreed.get(a.debtor, date.min):
            agreed[a.debtor] = day
    return [p for p in plans if p.debtor not in agreed or agreed[p.debtor] <= per]
