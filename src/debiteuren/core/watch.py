"""Watching the book: claims about to become time-barred, what is with a collection agency, and
whether pursuing a debtor still pays.

Pure: an :class:`~debiteuren.core.book.Assessment` in, plain records out; no clock, no files.

Limitation (``shared/domain/nl.md`` §6, ``be.md`` §5): ``InvoiceClaim.limitation`` is, in the
Netherlands, the last day on which a written demand can still interrupt the limitation period
(art. 3:307, 3:317, 7:28 BW); in Belgium, the day the claim is barred or presumed paid (old art.
2262bis, 2272 BW). In Belgium the creditor's own letters never interrupt: only a lawyer's or
bailiff's notice (art. 2244 §2 old BW), a summons or the debtor's acknowledgement do.

Costs of the next step. The figures below are **indicative**: court fees are indexed every
1 January, bailiffs' fees every year, agencies set their own prices. Each figure names its
source and year; ⚠ marks a figure that is an assumption or could not be confirmed for 2025/2026.

- NL griffierecht kantonrechter: the table of the Wet griffierechten burgerlijke zaken as
  published on wvhl.nl/tools/proceskosten (the page's salary table is "per 01-02-2024"; the fees
  are the 2024 figures). ⚠ The 2025 indexation (Regeling 8-11-2024, Stcrt. 2024, 38002) and the
  2026 one are not in these figures; check rechtspraak.nl ("Griffierechten") before relying on
  them. Earlier tables for comparison: 2022 (weersinkincasso.nl) 128/86, 322/214 … 1384/693.
- NL bailiff's summons: Besluit tarieven ambtshandelingen gerechtsdeurwaarders art. 2 onder a
  (oproeping in een vorderingsprocedure), € 106,73 excl. btw as amended by Stb. 2023, 63.
  ⚠ indexed yearly since; 2025/2026 not verified.
- BE rolrecht: € 50 at the vrederechter, € 165 at the rechtbank van eerste aanleg /
  ondernemingsrechtbank, since 1-02-2019 (Wet 14-10-2018, BS 21-12-2018; helderrecht.be,
  ardent.be, tcm.be; wetwijzer.be lists the same € 50 for 2024-2025). Plus the contribution to the
  Begrotingsfonds juridische tweedelijnsbijstand, € 24 since 1-10-2022 (bpb-advocaten.be,
  carlier-law.be) ⚠ indexed when the index moves 10 points. The vrederechter hears claims up to
  € 5.000 (art. 590 Ger.W.) ⚠ limit not re-verified.
- BE bailiff's summons: ⚠ an estimate, € 250 (wetwijzer.be: "Dagvaarding: ± €250-400").
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

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .ladder import InvoiceStage, Stage
from .model import Country, Debtor, Step
from .money import HUNDRED, ZERO, Decimal, round_cents, total

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
    "pursuit_checks",
    "summons_fee",
    "worth_pursuing",
]

#: Warn about claims that become time-barred within this many days.
LIMITATION_WATCH_DAYS = 90


@dataclass(frozen=True, slots=True, kw_only=True)
class Fee:
    """One cost figure of a next step, with a Dutch description and its source.

    Attributes:
      amount: euro, excluding VAT.
      description: what it is, in Dutch, for the user.
      source: where the figure comes from, with its year.
      assumption: True when the figure is an estimate or unconfirmed for 2025/2026 (⚠).
    """

    amount: Decimal
    description: str
    source: str
    assumption: bool = False


# --- The agency ---------------------------------------------------------------------------------

#: ⚠ Assumption: a no-cure-no-pay agency keeps this percentage of what it collects.
AGENCY_PERCENT = Decimal(15)
#: ⚠ Assumption: and at least this amount per file once something is collected.
AGENCY_MINIMUM = Decimal("50.00")
AGENCY_DESCRIPTION = (
    "incassobureau op no-cure-no-pay-basis: {pct} % van het geïnde bedrag, minimaal {minimum} "
    "(⚠ aanname; elk bureau heeft eigen tarieven)"
)

# --- NL: bailiff and kantonrechter --------------------------------------------------------------

NL_SUMMONS = Fee(
    amount=Decimal("106.73"),
    description="dagvaarding uitbrengen door de gerechtsdeurwaarder (exploot, excl. btw)",
    source="Besluit tarieven ambtshandelingen gerechtsdeurwaarders art. 2 onder a, "
    "Stb. 2023, 63 (2023); sindsdien jaarlijks geïndexeerd",
    assumption=True,
)

#: (claim up to and including, fee for a legal person as claimant, fee for a natural person);
#: up to € 25.000 the kantonrechter, above it the rechtbank (a lawyer is then required).
NL_COURT_FEES: tuple[tuple[Decimal | None, Decimal, Decimal], ...] = (
    (Decimal(500), Decimal(130), Decimal(87)),
    (Decimal(1500), Decimal(328), Decimal(218)),
    (Decimal(2500), Decimal(372), Decimal(248)),
    (Decimal(5000), Decimal(496), Decimal(248)),
    (Decimal(12500), Decimal(524), Decimal(248)),
    (Decimal(25000), Decimal(1409), Decimal(706)),
    (Decimal(100000), Decimal(2889), Decimal(1325)),
    (Decimal(1000000), Decimal(6617), Decimal(2626)),
    (None, Decimal(9825), Decimal(2626)),
)
NL_KANTON_LIMIT = Decimal(25000)
NL_COURT_FEES_SOURCE = (
    "tabel Wet griffierechten burgerlijke zaken, tarieven 2024 (wvhl.nl/tools/proceskosten); "
    "elk jaar per 1 januari geïndexeerd (2025: Stcrt. 2024, 38002) – controleer rechtspraak.nl"
)

# --- BE: bailiff and vrederechter ---------------------------------------------------------------

BE_SUMMONS = Fee(
    amount=Decimal("250.00"),
    description="dagvaarding door de gerechtsdeurwaarder (schatting, excl. btw)",
    source="schatting; wetwijzer.be (2024-2025): 'Dagvaarding: ± €250-400'",
    assumption=True,
)
#: Rolrecht since 1-02-2019: (claim up to and including, fee); the vrederechter up to € 5.000.
BE_ROLE_FEES: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal(5000), Decimal(50)),
    (None, Decimal(165)),
)
BE_FUND_CONTRIBUTION = Decimal(24)
BE_COURT_FEES_SOURCE = (
    "rolrecht sinds 1-02-2019 (wet 14-10-2018; helderrecht.be, wetwijzer.be 2024-2025) plus "
    "€ 24 bijdrage Fonds juridische tweedelijnsbijstand (sinds 1-10-2022; bpb-advocaten.be)"
)


def _euro(amount: Decimal) -> str:
    """Return ``€ 1.234,56`` (kept here so the core needs no babel)."""
    text = f"{round_cents(amount):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}"


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
    """Return the court fee for suing for ``amount`` (indicative; see the module docstring).

    Args:
      country: ``NL`` (griffierecht) or ``BE`` (rolrecht plus the legal-aid contribution).
      amount: the claim in the summons (principal, interest and costs).
      legal_person: NL only: the claimant is a legal person (BV, NV, vof …), which pays the
        higher fee; a sole trader pays the fee for natural persons.
    Returns:
      The fee with its description and source.
    """
    if str(country).upper() == "BE":
        for upper, fee in BE_ROLE_FEES:
            if upper is None or amount <= upper:
                court = "vrederechter" if upper is not None else "rechtbank"
                return Fee(
                    amount=round_cents(fee + BE_FUND_CONTRIBUTION),
                    description=f"rolrecht {court} ({_euro(fee)}) en bijdrage Fonds juridische "
                    f"tweedelijnsbijstand ({_euro(BE_FUND_CONTRIBUTION)})",
                    source=BE_COURT_FEES_SOURCE,
                    assumption=True,
                )
    for upper, legal, natural in NL_COURT_FEES:
        if upper is None or amount <= upper:
            court = (
                "kantonrechter"
                if amount <= NL_KANTON_LIMIT
                else ("rechtbank (advocaat verplicht; advocaatkosten niet meegeteld)")
            )
            who = "rechtspersoon" if legal_person else "natuurlijk persoon"
            return Fee(
                amount=round_cents(legal if legal_person else natural),
                description=f"griffierecht {court}, eiser {who}",
                source=NL_COURT_FEES_SOURCE,
                assumption=True,
            )
    raise AssertionError("the last band is open")  # pragma: no cover


def summons_fee(country: Country | str) -> Fee:
    """Return the bailiff's cost of a summons in ``country`` (indicative)."""
    return BE_SUMMONS if str(country).upper() == "BE" else NL_SUMMONS


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
) -> WorthIt:
    """Weigh a claim against the cost of an agency, a summons and the court fee.

    Args:
      debtor: the customer (the country decides the court and its fees).
      claim: what pursuing can bring in at most.
      agency_percent, agency_minimum: the agency's no-cure-no-pay terms.
      legal_person: NL court fee: the creditor is a legal person (the higher, safe default).
    Returns:
      The weighing, with a plain verdict.
    """
    description = AGENCY_DESCRIPTION.format(
        pct=f"{agency_percent:g}".replace(".", ","), minimum=_euro(agency_minimum)
    )
    return WorthIt(
        debtor=debtor,
        claim=claim,
        agency=agency_fee(claim, agency_percent, agency_minimum),
        agency_description=description[0].upper() + description[1:],
        summons=summons_fee(debtor.country),
        court=court_fee(debtor.country, claim, legal_person=legal_person),
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
                out.append(worth_pursuing(assessment.claims[number].debtor, amount, **terms))  # type: ignore[arg-type]
    return out


# --- Limitation ---------------------------------------------------------------------------------


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

    @property
    def message(self) -> str:
        """Return the warning as one Dutch sentence with the date and what to do."""
        who = f"Factuur {self.invoice} van {self.debtor.name} ({self.debtor.number})"
        day = f"{self.limitation:%d-%m-%Y}"
        agency = " (uit handen: vraag het incassobureau)" if self.handed_over else ""
        if self.debtor.country == Country.BE:
            if self.days_left < 0:
                return (
                    f"{who} is verjaard of geldt als betaald sinds {day}; "
                    f"{_euro(self.outstanding)} staat nog open{agency}."
                )
            return (
                f"{who} verjaart (of geldt als betaald) op {day}, over {self.days_left} "
                f"dagen: {_euro(self.outstanding)}{agency}. Uw eigen brieven stuiten de "
                "verjaring in België niet; laat een advocaat of gerechtsdeurwaarder een "
                "ingebrekestelling sturen (art. 2244 §2 oud BW) of dagvaard, en leg die vast "
                "op het blad Acties als 'ingebrekestelling advocaat of deurwaarder'."
            )
        if self.days_left < 0:
            return (
                f"{who} is verjaard sinds {day}; {_euro(self.outstanding)} staat nog open{agency}."
            )
        return (
            f"{who} verjaart na {day}, over {self.days_left} dagen: "
            f"{_euro(self.outstanding)}{agency}. Een schriftelijke aanmaning die de klant "
            "vóór die dag ontvangt, stuit de verjaring (art. 3:317 BW)."
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
            if c.outstanding <= 0:
                continue
            left = (c.limitation - as_of).days
            if left <= days:
                out.append(
                    LimitationWarning(
                        debtor=claim.debtor,
                        invoice=c.invoice.number,
                        limitation=c.limitation,
                        days_left=left,
                        outstanding=c.outstanding,
                        handed_over=stages[c.invoice.number].stage is Stage.HANDED_OVER,
                    )
                )
    return sorted(out, key=lambda w: (w.limitation, w.debtor.number, w.invoice))


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
    for number in sorted(assessment.claims):
        claim = assessment.claims[number]
        stages = assessment.stages[number]
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
