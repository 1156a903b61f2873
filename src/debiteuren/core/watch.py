"""Watching the book: claims about to become time-barred, what is with a collection agency, and
whether pursuing a debtor still pays.

Pure: an :class:`~debiteuren.core.book.Assessment` in, plain records out; no clock, no files.

Limitation (``shared/domain/nl.md`` §6, ``be.md`` §5): ``InvoiceClaim.limitation`` is, in the
Netherlands, the last day on which a written demand can still interrupt the limitation period
(art. 3:307, 3:317, 7:28 BW); in Belgium, the day the claim is barred or presumed paid (old art.
2262bis, 2272 BW). In Belgium the creditor's own letters never interrupt: only a lawyer's or
bailiff's notice (art. 2244 §2 old BW), a summons or the debtor's acknowledgement do.

Costs of the next step. The figures are **indicative**: court fees are indexed every 1 January,
bailiffs' fees every year, agencies set their own prices. The court fee and the bailiff's summons
are the country's (``court_fee`` and ``SUMMONS`` of ``core/rules/nl.py`` and ``be.py``, where
each figure names its source and year; ⚠ marks a figure that is an assumption or could not be
confirmed for 2025/2026).

- Agency: ⚠ assumption: no cure no pay, 15 % of what is collected, at least € 50.

>>> agency_fee(Decimal("1000.00"))
Decimal('150.00')
>>> agency_fee(Decimal("100.00"))
Decimal('50.00')
>>> court_fee("NL", Decimal("1200.00")).amount
Decimal('328.00')
>>> court_fee("BE", Decimal("1200.00")).amount
Decimal('74.00')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .ladder import InvoiceStage, Stage
from .model import Country, Creditor, Debtor, Step, quick_init
from .money import HUNDRED, ZERO, Decimal, euro_text, round_cents, total
from .rules import Fee, for_country, rules_for
from .rules import be as _be
from .rules import nl as _nl

if TYPE_CHECKING:
    from .book import Assessment

__all__ = [
    "AGENCY_MINIMUM",
    "AGENCY_PERCENT",
    "BE_FUND_CONTRIBUTION",
    "BE_ROLE_FEES",
    "BE_SUMMONS",
    "LIMITATION_WATCH_DAYS",
    "NL_COURT_FEES",
    "NL_SUMMONS",
    "Fee",
    "HandedOver",
    "LimitationWarning",
    "Watch",
    "WorthIt",
    "agency_fee",
    "collection_watch",
    "court_fee",
    "handed_over",
    "limitation_warnings",
    "merge_watches",
    "pursuit_checks",
    "summons_fee",
    "worth_pursuing",
]

#: Warn about claims that become time-barred within this many days.
LIMITATION_WATCH_DAYS = 90


# --- The agency ---------------------------------------------------------------------------------

#: ⚠ Assumption: a no-cure-no-pay agency keeps this percentage of what it collects.
AGENCY_PERCENT = Decimal(15)
#: ⚠ Assumption: and at least this amount per file once something is collected.
AGENCY_MINIMUM = Decimal("50.00")
AGENCY_DESCRIPTION = (
    "incassobureau op no-cure-no-pay-basis: {pct} % van het geïnde bedrag, minimaal {minimum} "
    "(⚠ aanname; elk bureau heeft eigen tarieven)"
)

# --- Court and bailiff: the country's (``core/rules``); the old names stay for callers ----------

NL_SUMMONS = _nl.SUMMONS
NL_COURT_FEES = _nl.COURT_FEES
NL_KANTON_LIMIT = _nl.KANTON_LIMIT
NL_COURT_FEES_SOURCE = _nl.COURT_FEES_SOURCE
BE_SUMMONS = _be.SUMMONS
BE_ROLE_FEES = _be.ROLE_FEES
BE_FUND_CONTRIBUTION = _be.FUND_CONTRIBUTION
BE_COURT_FEES_SOURCE = _be.COURT_FEES_SOURCE


_euro = euro_text


def agency_fee(
    amount: Decimal, percent: Decimal = AGENCY_PERCENT, minimum: Decimal = AGENCY_MINIMUM
) -> Decimal:
    """Return what a no-cure-no-pay agency keeps when it collects ``amount``.

    Args:
      amount: what the agency collects.
      percent: its percentage of the collected amount.
      minimum: its minimum fee, never more than what it collects.
    Returns:
      The fee, rounded half-up to cents; zero when nothing is collected.
    """
    if amount <= 0:
        return ZERO
    return round_cents(min(max(amount * percent / HUNDRED, minimum), amount))


def court_fee(country: Country | str, amount: Decimal, *, legal_person: bool = True) -> Fee:
    """Return the court fee for suing for ``amount`` in ``country`` (indicative).

    Args:
      country: ``NL`` (griffierecht) or ``BE`` (rolrecht plus the legal-aid contribution).
      amount: the claim in the summons (principal, interest and costs).
      legal_person: NL only: the claimant is a legal person (BV, NV, vof …), which pays the
        higher fee; a sole trader pays the fee for natural persons.
    Returns:
      The fee with its description and source.
    """
    return for_country(country).court_fee(amount, legal_person=legal_person)


def summons_fee(country: Country | str) -> Fee:
    """Return the bailiff's cost of a summons in ``country`` (indicative)."""
    return for_country(country).SUMMONS


@dataclass(frozen=True, slots=True, kw_only=True)
class WorthIt:
    """Is pursuing a debtor worth it? The claim against what the next steps would cost.

    The costs are counted as lost: a court may order the debtor to pay them, but that only helps
    when the debtor can pay.

    Attributes:
      claim: the most pursuing can bring in (open, undisputed invoices: principal, interest,
        costs).
      agency: the agency's fee on the whole claim.
      summons: the bailiff's summons.
      court: the court fee.
    """

    debtor: Debtor
    claim: Decimal
    agency: Decimal
    agency_description: str
    summons: Fee
    court: Fee

    @property
    def court_costs(self) -> Decimal:
        """Return the summons and the court fee together."""
        return self.summons.amount + self.court.amount

    @property
    def costs(self) -> Decimal:
        """Return what pursuing all the way costs: agency, summons and court fee."""
        return self.agency + self.court_costs

    @property
    def net(self) -> Decimal:
        """Return what is left of the claim after all costs (negative: pursuing loses money)."""
        return self.claim - self.costs

    @property
    def worth_it(self) -> bool:
        """Return True when pursuing can bring in more than it costs."""
        return self.net > 0

    @property
    def verdict(self) -> str:
        """Return the conclusion in one plain Dutch sentence."""
        if not self.worth_it:
            text = (
                f"Doorzetten kost meer dan het oplevert: incassobureau, dagvaarding en "
                f"griffierecht kosten samen ongeveer {_euro(self.costs)}, de vordering is "
                f"{_euro(self.claim)}."
            )
            if self.agency < self.claim:
                text += (
                    " Alleen een incassobureau op no-cure-no-pay-basis kost niets als er "
                    "niet wordt betaald."
                )
            return text
        return (
            f"Doorzetten kan lonen: na alle kosten (ongeveer {_euro(self.costs)}) blijft van "
            f"de vordering van {_euro(self.claim)} ongeveer {_euro(self.net)} over, als de "
            f"klant kan betalen."
        )

    @property
    def lines(self) -> tuple[str, ...]:
        """Return the cost items as Dutch lines, each with its amount and source."""

        def line(fee: Fee) -> str:
            mark = " ⚠" if fee.assumption else ""
            return f"{fee.description}: {_euro(fee.amount)}{mark} (bron: {fee.source})"

        return (
            f"{self.agency_description}: {_euro(self.agency)}",
            line(self.summons),
            line(self.court),
        )


def worth_pursuing(
    debtor: Debtor,
    claim: Decimal,
    *,
    agency_percent: Decimal = AGENCY_PERCENT,
    agency_minimum: Decimal = AGENCY_MINIMUM,
    legal_person: bool = True,
    creditor: Creditor | None = None,
) -> WorthIt:
    """Weigh a claim against the cost of an agency, a summons and the court fee.

    Args:
      debtor: the customer (the country decides the court and its fees).
      claim: what pursuing can bring in at most.
      agency_percent, agency_minimum: the agency's no-cure-no-pay terms.
      legal_person: NL court fee: the creditor is a legal person (the higher, safe default).
      creditor: the user's business (its country is the law of a business abroad; the fees
        are then those of that country's courts, indicative).
    Returns:
      The weighing, with a plain verdict.
    """
    description = AGENCY_DESCRIPTION.format(
        pct=f"{agency_percent:g}".replace(".", ","), minimum=_euro(agency_minimum)
    )
    rules = rules_for(debtor, creditor)
    return WorthIt(
        debtor=debtor,
        claim=claim,
        agency=agency_fee(claim, agency_percent, agency_minimum),
        agency_description=description[0].upper() + description[1:],
        summons=rules.SUMMONS,
        court=rules.court_fee(claim, legal_person=legal_person),
    )


_NOT_CLAIMABLE = (Stage.PAID, Stage.DISPUTED)


def _claimable(assessment: Assessment, number: str) -> Decimal:
    """Return a debtor's open, undisputed claim."""
    claim = assessment.claims[number]
    stages = assessment.stages[number]
    return total(
        c.outstanding
        for c in claim.invoices
        if c.outstanding > 0 and stages[c.invoice.number].stage not in _NOT_CLAIMABLE
    )


def pursuit_checks(assessment: Assessment, **terms: object) -> list[WorthIt]:
    """Weigh every debtor in demand (an invoice at stage Aangemaand) against the next step.

    Args:
      assessment: the book at the peildatum.
      terms: passed to :func:`worth_pursuing` (agency terms, ``legal_person``).
    Returns:
      One weighing per debtor, in customer-number order.
    """
    out = []
    for number in sorted(assessment.claims):
        stages = assessment.stages[number].values()
        if any(s.stage is Stage.DEMANDED for s in stages):
            amount = _claimable(assessment, number)
            if amount > 0:
                out.append(
                    worth_pursuing(
                        assessment.claims[number].debtor,
                        amount,
                        creditor=assessment.creditor,
                        **terms,  # type: ignore[arg-type]
                    )
                )
    return out


# --- Limitation ---------------------------------------------------------------------------------


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class LimitationWarning:
    """An unpaid invoice whose claim is (about to be) time-barred.

    Attributes:
      limitation: NL: the last day a written demand can interrupt; BE: the day it is barred.
      days_left: days from the peildatum to ``limitation``; negative once it passed.
    """

    debtor: Debtor
    invoice: str
    limitation: date
    days_left: int
    outstanding: Decimal
    handed_over: bool = False
    #: The user's business: its country is the law of a business abroad.
    creditor: Creditor | None = None

    @property
    def message(self) -> str:
        """Return the warning as one Dutch sentence with the date and what to do."""
        wording = rules_for(self.debtor, self.creditor).WORDING
        pattern = wording.limitation_passed if self.days_left < 0 else wording.limitation_ahead
        return pattern.format(
            who=f"Factuur {self.invoice} van {self.debtor.name} ({self.debtor.number})",
            day=f"{self.limitation:%d-%m-%Y}",
            days=self.days_left,
            amount=_euro(self.outstanding),
            agency=" (uit handen: vraag het incassobureau)" if self.handed_over else "",
        )


def limitation_warnings(
    assessment: Assessment, days: int = LIMITATION_WATCH_DAYS
) -> list[LimitationWarning]:
    """Return the unpaid invoices that are time-barred or become so within ``days`` days.

    Args:
      assessment: the book at the peildatum.
      days: how far ahead to look.
    Returns:
      The warnings, soonest first (already barred claims first of all).
    """
    as_of = assessment.as_of
    out = []
    for number in sorted(assessment.claims):
        claim = assessment.claims[number]
        stages = assessment.stages[number]
        for c in claim.invoices:
            owed = c.statement.outstanding  # c.outstanding, without the property's call
            if owed <= 0:
                continue
            left = (c.limitation - as_of).days
            if left <= days:
                out.append(
                    LimitationWarning(
                        debtor=claim.debtor,
                        invoice=c.invoice.number,
                        limitation=c.limitation,
                        days_left=left,
                        outstanding=owed,
                        handed_over=stages[c.invoice.number].stage is Stage.HANDED_OVER,
                        creditor=assessment.creditor,
                    )
                )
    return sorted(out, key=_soonest)


def _soonest(warning: LimitationWarning) -> tuple[date, str, str]:
    """The order of limitation warnings: soonest first (already barred ones first of all)."""
    return (warning.limitation, warning.debtor.number, warning.invoice)


# --- Handed over --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class HandedOver:
    """A debtor whose claim is with a collection agency or bailiff.

    Attributes:
      invoices: the unpaid invoices at stage "Uit handen".
      outstanding: what they still owe on them at the peildatum.
      since: the day of the hand-over logged in Acties, when known.
    """

    debtor: Debtor
    invoices: tuple[str, ...]
    outstanding: Decimal
    since: date | None


def _handed_over_on(stage: InvoiceStage) -> date | None:
    action = stage.last_action
    return action.on if action is not None and action.step is Step.HANDOVER else None


def handed_over(assessment: Assessment) -> list[HandedOver]:
    """Return the debtors with unpaid invoices that are handed over, in customer order."""
    out = []
    handed = Stage.HANDED_OVER
    for number in sorted(assessment.claims):
        claim = assessment.claims[number]
        stages = assessment.stages[number]
        if not any(s.stage is handed for s in stages.values()):
            continue  # most customers (issue 17: 50,000 invoices looked at one by one)
        mine = [
            c
            for c in claim.invoices
            if c.outstanding > 0 and stages[c.invoice.number].stage is Stage.HANDED_OVER
        ]
        logged = [c for c in mine if _handed_over_on(stages[c.invoice.number]) is not None]
        # A logged hand-over names its invoices (a disputed one stays with the creditor); a
        # customer only marked "Uit handen" has everything with the agency.
        mine = logged or mine
        if not mine:
            continue
        days = [d for c in mine if (d := _handed_over_on(stages[c.invoice.number])) is not None]
        out.append(
            HandedOver(
                debtor=claim.debtor,
                invoices=tuple(c.invoice.number for c in mine),
                outstanding=total(c.outstanding for c in mine),
                since=max(days, default=None),
            )
        )
    return out


# --- Everything for the Overzicht ---------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Watch:
    """What the Overzicht shows besides the figures: hand-overs, limitation, worth pursuing."""

    as_of: date
    days: int
    limitation: tuple[LimitationWarning, ...]
    handed_over: tuple[HandedOver, ...]
    pursuit: tuple[WorthIt, ...]


def collection_watch(assessment: Assessment, days: int = LIMITATION_WATCH_DAYS) -> Watch:
    """Return the limitation warnings, the hand-overs and the worth-it checks of a book.

    Args:
      assessment: the book at the peildatum.
      days: the limitation look-ahead.
    """
    return Watch(
        as_of=assessment.as_of,
        days=days,
        limitation=tuple(limitation_warnings(assessment, days)),
        handed_over=tuple(handed_over(assessment)),
        pursuit=tuple(pursuit_checks(assessment)),
    )


def merge_watches(parts: Sequence[Watch]) -> Watch:
    """Return the :func:`collection_watch` of a whole book from those of its parts (the claims
    of some customers each, the parts in customer order; see :func:`.book.merge_overviews`)."""
    first = parts[0]
    limitation = [w for p in parts for w in p.limitation]
    return Watch(
        as_of=first.as_of,
        days=first.days,
        limitation=tuple(sorted(limitation, key=_soonest)),
        handed_over=tuple(h for p in parts for h in p.handed_over),
        pursuit=tuple(w for p in parts for w in p.pursuit),
    )
