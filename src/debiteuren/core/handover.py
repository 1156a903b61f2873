"""Handing a claim over: which invoices go, and what the debtor's law does not allow yet.

Pure: a debtor's claim and ladder positions in, plain records out; the service
(``service/handover.py``) only writes the dossier and formats these records.

Which invoices: the ladder decides, with the same function that fills the columns Volgende stap
and Per (:func:`~debiteuren.core.ladder.handover_readiness`, over the stages of
:func:`~debiteuren.core.ladder.plan_debtor`). So the hand-over reads an invoice's stage, never
raw Acties rows: a dispute is what the Betwist column says (an old "betwisting" row in Acties is
history), a pause what Gepauzeerd tot says, a promise or a payment plan what the ladder holds.

What the law allows: the rules' :func:`~debiteuren.core.rules.costs_gap` (a consumer owes
costs, or damages and interest, only after the formal letter's term expired unpaid).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .claim import DebtorClaim, InvoiceClaim
from .ladder import InvoiceStage, handover_readiness
from .model import Creditor, Debtor, Settings
from .rules import costs_gap, rules_for

__all__ = ["LegalGap", "Selection", "legal_gaps", "select"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """The invoices a hand-over takes, and those it does not.

    Attributes:
      chosen: the invoices to hand over, oldest due date first.
      left_out: (invoice, Dutch reason) for those that stay; each front end says once that
        they are not handed over.
      forced: (invoice, Dutch reason) for those taken with ``force`` although the ladder did not
        call them ready.
    """

    chosen: tuple[InvoiceClaim, ...]
    left_out: tuple[tuple[str, str], ...] = ()
    forced: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LegalGap:
    """An invoice whose costs the debtor's law does not (yet) allow.

    Attributes:
      invoice: the invoice number.
      reason: a Dutch phrase: which letter is missing, or until when its term runs, and the law.
    """

    invoice: str
    reason: str


def select(
    claim: DebtorClaim,
    stages: Mapping[str, InvoiceStage],
    as_of: date,
    wanted: Sequence[str] = (),
    force: bool = False,
) -> Selection:
    """Return the invoices to hand over at ``as_of`` and why the others stay.

    An invoice is handed over when the ladder calls it ready: its last formal letter's term,
    counted from the day the letter was sent, has ended. Paid, disputed (the Betwist column),
    paused, promised and planned invoices never are; with ``force`` an invoice whose term still
    runs, or whose ladder stands at an earlier step, is.

    Args:
      claim: the debtor's claim at ``as_of``.
      stages: the ladder position of each of its invoices at ``as_of``.
      wanted: only these invoices (``--facturen``), paid ones included so that they are named.
      force: take invoices held only by the ladder's timing (``--toch``).
    """
    keep, out, forced = [], [], []
    for c in sorted(claim.invoices, key=lambda c: (c.invoice.due_date, c.invoice.number)):
        number = c.invoice.number
        if wanted and number not in wanted:
            continue
        if c.outstanding <= 0 and not wanted:
            continue
        ready = handover_readiness(stages[number], as_of)
        if ready.ready:
            keep.append(c)
            continue
        reason = ready.reason
        if c.invoice.disputed and c.invoice.note:
            reason += f" ({c.invoice.note})"
        if ready.forcible and force:
            keep.append(c)
            forced.append((number, reason))
            continue
        if ready.ready_on is not None and "vanaf" not in reason:
            reason += f"; klaar voor overdracht vanaf {ready.ready_on:%d-%m-%Y}"
        out.append((number, reason))
    return Selection(chosen=tuple(keep), left_out=tuple(out), forced=tuple(forced))


def legal_gaps(
    debtor: Debtor,
    invoices: Sequence[InvoiceClaim],
    as_of: date,
    creditor: Creditor | None = None,
    settings: Settings | None = None,
) -> list[LegalGap]:
    """Return the invoices whose costs the debtor's law does not (yet) allow at ``as_of``.

    A business owes its costs from the day after the due date: no gap. A consumer owes them
    only after the formal letter's term (each invoice's ``notice``) expired unpaid. The law is
    that of :func:`~.rules.rules_for` (``creditor``: the user's business); ``settings`` say
    whether a notice of default, not the due date, put the debtor in default (the reason then
    says so).
    """
    rules = rules_for(debtor, creditor)
    after_notice = settings is not None and bool(rules.default_notice_steps(debtor, settings))
    gaps = []
    for c in invoices:
        reason = costs_gap(rules, debtor.kind, c.notice, as_of, after_notice)
        if reason:
            gaps.append(LegalGap(invoice=c.invoice.number, reason=reason))
    return gaps
