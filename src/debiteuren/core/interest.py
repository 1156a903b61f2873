"""Interest on one claim over time, with rate changes, capitalisation, costs and payments.

The rules are the project conventions of ``shared/domain/README.md``:

1. Interest accrues on each day D with ``start < D <= end``, at the rate in force on D.
2. Day count: ``365`` (default), ``werkelijk`` (days of a leap calendar year / 366) or
   ``rentejaar`` (divisor = length of the capitalisation year containing D).
3. NL capitalises on each anniversary of the first interest day (art. 6:119 lid 2 and 6:119a
   lid 3 BW); a 29-February start has its anniversary on 28 February in other years (setting).
   BE interest is simple (old art. 1154 BW: no automatic anatocism).
4. Interest is summed unrounded within a capitalisation year; the capitalised amount is rounded
   half-up on the anniversary; at a payment the interest accrued up to and including the payment
   day is rounded and then allocated; each reported component is rounded once.
5. A payment goes to costs already due, then interest, then principal (NL art. 6:44 BW; BE
   art. 5.210 BW, formerly art. 1254 old BW).

:class:`Ledger` runs one claim forward in time; :func:`statement` is the one-call form.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from .model import DayCount, Feb29Anniversary, quick_init
from .money import HUNDRED, ZERO, Decimal, precise, round_cents
from .rates import RateRow, RateSchedule, RateSegments, rate_segments

__all__ = [
    "Allocation",
    "Capitalisation",
    "CostCharge",
    "InterestPeriod",
    "Ledger",
    "Statement",
    "anniversary",
    "statement",
]

ONE_DAY = timedelta(days=1)

# The 40-digit context of money.precise(), kept to call its methods directly: the same rounding
# as arithmetic inside ``with precise():``, without entering a context for every run of days.
with precise() as _PRECISE:
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class InterestPeriod:
    """A run of days with one base, one rate and one divisor.

    Attributes:
      start: first interest day of the run (inclusive).
      end: last interest day of the run (inclusive).
      days: number of days, ``end - start + 1``.
      base: the amount bearing interest (principal plus capitalised interest).
      rate: yearly percentage.
      divisor: days in the year used (365 or 366).
      exact: the unrounded interest of the run.
      interest: the run's rounded share; the shares add up exactly to the reported interest.
    """

    start: date
    end: date
    days: int
    base: Decimal
    rate: Decimal
    divisor: int
    exact: Decimal
    interest: Decimal
    source: str = ""
    rate_row: RateRow | None = None


#: One object for each value that the claims of a book repeat: the days of their interest runs
#: and zero amounts (a Decimal keeps its exponent and sign: 0 and 0.00 stay apart). They are
#: immutable, so sharing them changes no result; at 50,000 invoices the assessment holds
#: ~180,000 runs and ~500,000 amounts, a third of them zero (issue 17).
_DAYS: dict[date, date] = {}
_ZEROS: dict[tuple[int, bool], Decimal] = {(ZERO.adjusted(), False): ZERO}


def _zero_shared(amount: Decimal) -> Decimal:
    """Return ``amount``; a zero as the one shared object with its exponent and sign.

    >>> _zero_shared(Decimal("0.00")) is _zero_shared(Decimal("1.00") - Decimal("1.00"))
    True
    >>> str(_zero_shared(Decimal("0"))), str(_zero_shared(Decimal("-0.00")))
    ('0', '-0.00')
    """
    if amount:
        return amount
    key = (amount.adjusted(), amount.is_signed())  # a zero's exponent, and its sign
    found = _ZEROS.get(key)
    if found is None:
        found = _ZEROS[key] = amount
    return found


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Capitalisation:
    """Interest added to the base on an anniversary (it bears interest from ``on``)."""

    on: date
    amount: Decimal
    base_after: Decimal


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class CostCharge:
    """Costs that became due on ``on`` (collection costs, a fixed compensation, a lump sum)."""

    on: date
    amount: Decimal
    description: str = ""


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Allocation:
    """How one payment was applied: costs, then interest, then principal; the rest is surplus.
    A refund that takes back what a payment paid is an allocation of minus each part
    (:meth:`Ledger.reopen`)."""

    on: date
    amount: Decimal
    to_costs: Decimal
    to_interest: Decimal
    to_principal: Decimal
    surplus: Decimal


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """The state of a claim at ``end``, with its history.

    Attributes:
      interest: all interest accrued from the start to ``end`` (sum of the rounded pieces).
      costs: all costs charged.
      paid: all payments applied to this claim (excluding surplus).
      principal_open: unpaid original principal.
      capitalised_open: unpaid capitalised interest (part of the base).
      interest_open: accrued interest not capitalised and not paid.
      costs_open: costs charged and not paid.
      outstanding: principal_open + capitalised_open + interest_open + costs_open.
      surplus: what payments brought in beyond the claim.
    """

    principal: Decimal
    start: date
    end: date
    day_count: DayCount
    compound: bool
    history: tuple
    segments: RateSegments | None
    capitalisations: tuple[Capitalisation, ...]
    charges: tuple[CostCharge, ...]
    allocations: tuple[Allocation, ...]
    interest: Decimal
    costs: Decimal
    paid: Decimal
    paid_costs: Decimal
    paid_interest: Decimal
    paid_principal: Decimal
    principal_open: Decimal
    capitalised_open: Decimal
    interest_open: Decimal
    costs_open: Decimal
    surplus: Decimal
    #: computed once when the ledger closes: the Overzicht, the watch lists and the letters
    #: ask for it several times per invoice (issue 17)
    outstanding: Decimal

    _periods: tuple[InterestPeriod, ...] | None = field(default=None, compare=False, repr=False)

    @property
    def periods(self) -> tuple[InterestPeriod, ...]:
        """Return the interest runs, oldest first, each with its exact and rounded interest.

        The ledger keeps each rounding's runs as plain values in one flat tuple (``history``:
        per rounding, the number of runs, six values per run: first and last day, base, rate,
        divisor and rate stretch, then the rounded total); the runs are made from them when
        asked for, once. A book's assessment reads only the
        totals, and at 50,000 invoices the runs were a third of its memory (issue 17).
        """
        made = self._periods
        if made is None:
            made = _runs_of(self.history, self.segments)
            object.__setattr__(self, "_periods", made)
        return made

    @property
    def base_open(self) -> Decimal:
        """Return the unpaid base: principal plus capitalised interest."""
        return self.principal_open + self.capitalised_open


def anniversary(
    first_day: date, years: int, rule: Feb29Anniversary = Feb29Anniversary.FEB_28
) -> date:
    """Return the ``years``-th anniversary of ``first_day``.

    A 29 February falls on 28 February (default) or 1 March in a non-leap year.

    >>> anniversary(date(2024, 2, 29), 1)
    datetime.date(2025, 2, 28)
    >>> anniversary(date(2024, 2, 29), 1, Feb29Anniversary.MAR_1)
    datetime.date(2025, 3, 1)
    """
    year = first_day.year + years
    if first_day.month == 2 and first_day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28) if rule is Feb29Anniversary.FEB_28 else date(year, 3, 1)
    return first_day.replace(year=year)


#: Many invoices share a due date: their anniversaries are computed once.
_anniversary = lru_cache(maxsize=1 << 16)(anniversary)


#: ``100 x divisor`` for the fixed divisors, the denominator of a run's interest.
_DENOMINATOR = {365: Decimal(36500), 366: Decimal(36600)}

#: What rounding no interest gives (``round_cents(ZERO)``, exponent and all).
_NO_CENTS = round_cents(ZERO)


@dataclass(slots=True)
class Ledger:
    """One claim, run forward in time: accrue, capitalise, charge costs, take payments.

    Args:
      principal: the amount owed (incl. VAT).
      start: the last day without interest; interest accrues from the next day.
      schedule: the rates, or None for a claim without interest.
      compound: capitalise yearly (NL) or not (BE).
      day_count: the day-count convention.
      feb29: the anniversary rule for a 29-February first day.

    Days must be given in non-decreasing order. Call :meth:`close` for the statement.

    Interest is computed in closed form per run of days with one base, one rate and one divisor:
    ``base x rate x days / (100 x divisor)``, one product per run. The runs end only where
    something changes: a rate (the schedule's stretches, :func:`~.rates.rate_segments`, cut once
    per schedule), an anniversary (capitalisation, and the divisor under ``rentejaar``), the end
    of a calendar year (``werkelijk``), or a day on which a caller stops the ledger (a payment,
    a cost, a credit note, the peildatum).
    """

    principal: Decimal
    start: date
    schedule: RateSchedule | None
    compound: bool = True
    day_count: DayCount = DayCount.ACT_365
    feb29: Feb29Anniversary = Feb29Anniversary.FEB_28
    day: date = field(init=False)
    principal_open: Decimal = field(init=False)
    capitalised_open: Decimal = ZERO
    interest_open: Decimal = ZERO
    costs_open: Decimal = ZERO
    interest_total: Decimal = ZERO
    costs_total: Decimal = ZERO
    paid_costs: Decimal = ZERO
    paid_interest: Decimal = ZERO
    paid_principal: Decimal = ZERO
    surplus: Decimal = ZERO
    _acc: Decimal = ZERO
    _next_year: int = 1
    # The next anniversary and, under ``rentejaar``, the length of the current interest year.
    _anniversary_next: date = field(init=False)
    _year_days: int = field(init=False)
    _years: bool = field(init=False)
    _segments: RateSegments | None = field(init=False)
    _segment: int = 0
    # Runs not yet rounded, six values each: first, last, base, rate, divisor, stretch.
    _pending: list = field(default_factory=list)
    # Per rounding: the number of runs, the runs (as in ``_pending``) and the rounded total.
    _history: list = field(default_factory=list)
    # Tuples, grown by one record at a time: most ledgers keep none or one of each, and the
    # statement takes them as they are (issue 17: no list per ledger to make and copy).
    _caps: tuple[Capitalisation, ...] = ()
    _charges: tuple[CostCharge, ...] = ()
    _allocations: tuple[Allocation, ...] = ()

    def __init__(
        self,
        principal: Decimal,
        start: date,
        schedule: RateSchedule | None,
        compound: bool = True,
        day_count: DayCount = DayCount.ACT_365,
        feb29: Feb29Anniversary = Feb29Anniversary.FEB_28,
    ) -> None:
        # Written out rather than generated: the generated one also takes every field with a
        # default as an argument, and a book makes one ledger per invoice (issue 17).
        self.principal = self.principal_open = principal
        self.start = self.day = start
        self.schedule = schedule
        self.compound = compound
        self.day_count = day_count
        self.feb29 = feb29
        self.capitalised_open = self.interest_open = self.costs_open = ZERO
        self.interest_total = self.costs_total = ZERO
        self.paid_costs = self.paid_interest = self.paid_principal = self.surplus = ZERO
        self._acc = ZERO
        self._next_year = 1
        self._segment = 0
        self._pending, self._history = [], []
        self._caps = self._charges = self._allocations = ()
        if schedule is None:
            self._segments = None
            self._years = False
            return
        self._segments = segments = rate_segments(schedule)
        self._segment = max(segments.index(start), 0)
        self._years = compound or day_count is DayCount.INTEREST_YEAR
        if self._years:
            first = start + ONE_DAY
            self._anniversary_next = following = _anniversary(first, 1, feb29)
            self._year_days = (following - first).days

    @property
    def first_day(self) -> date:
        """Return the first interest day."""
        return self.start + ONE_DAY

    @property
    def base(self) -> Decimal:
        """Return the amount bearing interest now."""
        return self.principal_open + self.capitalised_open

    def _anniversary(self, k: int) -> date:
        return _anniversary(self.start + ONE_DAY, k, self.feb29)

    def _new_year(self, first: date) -> None:
        """Start the next interest year on its first day ``first`` (an anniversary)."""
        if self.compound:
            self._capitalise(first)
        self._next_year += 1
        self._anniversary_next = self._anniversary(self._next_year)
        self._year_days = (self._anniversary_next - first).days

    def advance(self, to_day: date) -> None:
        """Accrue interest for every day up to and including ``to_day``."""
        day = self.day
        if to_day <= day:
            return
        segments = self._segments
        if segments is None:
            self.day = to_day
            return
        starts, rates = segments.starts, segments.rates
        final = len(starts) - 1  # the last stretch runs for ever
        day_count = self.day_count
        fixed = day_count is DayCount.ACT_365
        actual = day_count is DayCount.ACTUAL
        years = self._years
        pending, shared = self._pending, _DAYS
        ctx = _PRECISE
        multiply = ctx.multiply
        k = self._segment
        # The base changes only at a capitalisation: its runs share one Decimal.
        base = self.principal_open + self.capitalised_open
        while day < to_day:
            first = day + ONE_DAY
            last = to_day
            if years:
                if first == self._anniversary_next:
                    self._new_year(first)
                    base = self.principal_open + self.capitalised_open
                if self._anniversary_next <= last:
                    last = self._anniversary_next - ONE_DAY
            while k < final and starts[k + 1] <= first:
                k += 1
            if k < final and starts[k + 1] <= last:
                last = starts[k + 1] - ONE_DAY
            if actual and last.year != first.year:
                last = date(first.year, 12, 31)
            if base > 0:
                # a run of days: the operations of _exact, inline (issue 17: ~4 runs a claim)
                rate = rates[k]
                if rate is None:  # before the table: the schedule raises RateTableGap
                    rate = self.schedule.rate_on(first)  # type: ignore[union-attr]
                if fixed:
                    divisor = 365
                elif actual:
                    divisor = 366 if calendar.isleap(first.year) else 365
                else:
                    divisor = self._year_days
                denominator = _DENOMINATOR.get(divisor) or multiply(HUNDRED, divisor)
                self._acc += ctx.divide(
                    multiply(multiply(base, rate), (last - first).days + 1), denominator
                )
                pending += (shared.setdefault(first, first), shared.setdefault(last, last))
                pending += (base, rate, divisor, k)
            day = self.day = last
        self._segment = k

    def _crystallise(self) -> Decimal:
        """Round the interest accrued since the last rounding and book it as open interest.

        The runs since the last rounding go to the history with the rounded total; their
        :class:`InterestPeriod` lines are made from it when a statement's ``periods`` are read.
        """
        pending = self._pending
        if not pending:
            rounded = _NO_CENTS
        else:
            rounded = round_cents(self._acc)
            history = self._history
            history.append(len(pending) // 6)
            history += pending
            history.append(rounded)
            pending.clear()
            self._acc = ZERO
        self.interest_total += rounded
        self.interest_open += rounded
        return rounded

    def _capitalise(self, on: date) -> None:
        self._crystallise()
        amount = self.interest_open
        self.interest_open = ZERO
        if amount:
            self.capitalised_open += amount
            self._caps += (Capitalisation(on=on, amount=amount, base_after=self.base),)

    def charge(self, on: date, amount: Decimal, description: str = "") -> None:
        """Add costs due from ``on`` (interest is accrued up to the day before)."""
        self.advance(on - ONE_DAY)
        amount = round_cents(amount)
        if amount <= 0:
            return
        self.costs_open += amount
        self.costs_total += amount
        self._charges += (CostCharge(on=on, amount=amount, description=description),)

    def credit(self, on: date, amount: Decimal) -> Decimal:
        """Lower the principal from ``on`` on (a credit note); return what exceeds it.

        Interest is accrued on the full principal up to the day before ``on``.
        """
        self.advance(on - ONE_DAY)
        lower = min(amount, self.principal_open)
        self.principal_open -= lower
        return amount - lower

    def owed(self, on: date) -> Decimal:
        """Return what a payment on ``on`` would have to cover (accrues up to ``on``)."""
        self.advance(on)
        return (
            self.costs_open
            + self.interest_open
            + round_cents(self._acc)
            + self.capitalised_open
            + self.principal_open
        )

    @property
    def settled(self) -> bool:
        """Return True when nothing is open and nothing is accruing: then ``owed`` is zero on
        every later day until costs are charged, and advancing records nothing (no base, no
        open interest to capitalise). A payment spread over a customer's invoices passes such
        an invoice by without working out what it owes (issue 17: at 100,000 payments on
        50,000 invoices, most of 760,000 such questions)."""
        return not (
            self.principal_open
            or self.capitalised_open
            or self.interest_open
            or self.costs_open
            or self._acc
        )

    def pay(self, on: date, amount: Decimal) -> Decimal:
        """Apply a payment credited on ``on``; return the part this claim could not use."""
        self.advance(on)
        self._crystallise()
        # costs, then interest, then principal (rule 5 of the module docstring)
        owed = (self.costs_open, self.interest_open, self.capitalised_open, self.principal_open)
        (to_costs, to_interest, to_capitalised, to_principal), rest = _in_order(amount, owed)
        self.costs_open -= to_costs
        self.interest_open -= to_interest
        self.capitalised_open -= to_capitalised
        self.principal_open -= to_principal
        self.paid_costs += to_costs
        self.paid_interest += to_interest
        self.paid_principal += to_capitalised + to_principal
        z = _zero_shared  # most payments leave costs, interest or a surplus at zero
        self._allocations += (
            Allocation(
                on=_DAYS.setdefault(on, on),
                amount=amount,
                to_costs=z(to_costs),
                to_interest=z(to_interest),
                to_principal=z(to_capitalised + to_principal),
                surplus=z(rest),
            ),
        )
        return rest

    @property
    def allocations(self) -> tuple[Allocation, ...]:
        """Return the payments applied so far (and what refunds took back), in order."""
        return self._allocations

    def reopen(
        self, on: date, principal: Decimal, interest: Decimal = ZERO, costs: Decimal = ZERO
    ) -> None:
        """Take back what this claim was paid with: money refunded to the customer on ``on``.
        The principal, interest and costs taken back are owed again (the principal bears
        interest from the next day, as a payment on ``on`` stops it from then); the statement
        shows an allocation of minus each, so that its allocations add up to what was paid."""
        self.advance(on)
        self._crystallise()
        self.principal_open += principal
        self.paid_principal -= principal
        self.interest_open += interest
        self.paid_interest -= interest
        self.costs_open += costs
        self.paid_costs -= costs
        z = _zero_shared
        self._allocations += (
            Allocation(
                on=_DAYS.setdefault(on, on),
                amount=-(principal + interest + costs),
                to_costs=z(-costs),
                to_interest=z(-interest),
                to_principal=-principal,
                surplus=ZERO,
            ),
        )

    def close(self, end: date) -> Statement:
        """Accrue up to ``end``, round the running interest and return the statement."""
        self.advance(end)
        self._crystallise()
        # Zeros are shared (``_zero_shared``) without a call for an amount that is not zero
        # or still the ledger's ZERO, the shared zero of its kind (most are one or the other).
        z = _zero_shared
        (
            principal_open,
            capitalised_open,
            interest_open,
            costs_open,
            paid_costs,
            paid_interest,
            paid_principal,
            interest,
            costs,
            surplus,
        ) = [
            v if v or v is ZERO else z(v)
            for v in (
                self.principal_open,
                self.capitalised_open,
                self.interest_open,
                self.costs_open,
                self.paid_costs,
                self.paid_interest,
                self.paid_principal,
                self.interest_total,
                self.costs_total,
                self.surplus,
            )
        ]
        paid = paid_costs + paid_interest + paid_principal
        outstanding = principal_open + capitalised_open + interest_open + costs_open
        return Statement(
            principal=self.principal,
            start=self.start,
            end=end,
            day_count=self.day_count,
            compound=self.compound,
            history=tuple(self._history),
            segments=self._segments,
            capitalisations=self._caps,
            charges=self._charges,
            allocations=self._allocations,
            interest=interest,
            costs=costs,
            paid=paid or z(paid),
            paid_costs=paid_costs,
            paid_interest=paid_interest,
            paid_principal=paid_principal,
            principal_open=principal_open,
            capitalised_open=capitalised_open,
            interest_open=interest_open,
            costs_open=costs_open,
            surplus=surplus,
            outstanding=outstanding or z(outstanding),
        )


def _exact(base: Decimal, rate: Decimal, days: int, divisor: int) -> Decimal:
    """Return the unrounded interest of a run: ``base x rate x days / (100 x divisor)``, one
    product rounded once to 40 digits (the same operations as :meth:`Ledger.advance`)."""
    ctx = _PRECISE
    denominator = _DENOMINATOR.get(divisor) or ctx.multiply(HUNDRED, divisor)
    return ctx.divide(ctx.multiply(ctx.multiply(base, rate), days), denominator)


def _runs_of(history: Sequence, segments: RateSegments | None) -> tuple[InterestPeriod, ...]:
    """Return the interest runs of a ledger's ``history`` (see :attr:`Statement.periods`).

    Each run's share is its rounding's running sum rounded, minus what the runs before it got,
    so the shares of a rounding add up to its rounded total.

    Two runs of one rounding that follow each other with the same base, rate stretch and
    divisor are one line: the ledger also stops a run where nothing changes for interest (costs
    charged on the day after a letter's term), which showed the same rate and base twice in a
    letter. The line's exact interest is its own product; its share is the sum of the two.
    """
    if not history:
        return ()
    assert segments is not None
    sources, rows = segments.sources, segments.rows
    periods: list[InterestPeriod] = []
    append = periods.append
    at = 0
    while at < len(history):
        count = history[at]
        rounded = history[at + 1 + 6 * count]
        running = assigned = ZERO
        before = None  # (base, rate, divisor, stretch) of this rounding's previous run
        for n in range(count):
            first, last, base, rate, divisor, k = history[at + 1 + 6 * n : at + 7 + 6 * n]
            days = (last - first).days + 1
            exact = _exact(base, rate, days, divisor)
            if n == count - 1:  # the running sum is the accrued total, rounded already
                share = rounded - assigned if n else rounded
            else:
                running += exact
                share = round_cents(running) - assigned
                assigned += share
            if before == (base, rate, divisor, k) and periods[-1].end + ONE_DAY == first:
                merged = periods.pop()
                first, days = merged.start, merged.days + days
                exact, share = _exact(base, rate, days, divisor), merged.interest + share
            before = (base, rate, divisor, k)
            append(
                InterestPeriod(
                    start=first,
                    end=last,
                    days=days,
                    base=base,
                    rate=rate,
                    divisor=divisor,
                    exact=exact,
                    interest=share,
                    source=sources[k],
                    rate_row=rows[k],
                )
            )
        at += 2 + 6 * count
    return tuple(periods)


def statement(
    principal: Decimal,
    start: date,
    end: date,
    schedule: RateSchedule | None,
    *,
    compound: bool,
    day_count: DayCount = DayCount.ACT_365,
    feb29: Feb29Anniversary = Feb29Anniversary.FEB_28,
    charges: Iterable[CostCharge] = (),
    payments: Iterable[tuple[date, Decimal]] = (),
) -> Statement:
    """Compute one claim from ``start`` (exclusive) to ``end`` (inclusive).

    Args:
      principal: the amount owed.
      start: the due date (the last day without interest).
      end: the payment or reference date (peildatum).
      schedule: the rates, or None for no interest.
      compound: capitalise yearly (NL).
      charges: costs with the day from which each is due.
      payments: (day, amount) pairs; applied in date order, costs -> interest -> principal.
    Returns:
      The statement at ``end``; payments after ``end`` are ignored.
    """
    ledger = Ledger(principal, start, schedule, compound, day_count, feb29)
    events: list[tuple[date, int, object]] = [(c.on, 0, c) for c in charges]
    events += [(d, 1, a) for d, a in payments]
    for on, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
        if on > end:
            continue
        if kind == 0:
            assert isinstance(item, CostCharge)
            ledger.charge(on, item.amount, item.description)
        else:
            ledger.surplus += ledger.pay(on, item)  # type: ignore[arg-type]
    return ledger.close(end)


def _in_order(amount: Decimal, open_parts: Sequence[Decimal]) -> tuple[list[Decimal], Decimal]:
    """Return what ``amount`` pays of each open part in turn (each in full before the next), and
    the rest.

    >>> _in_order(Decimal("100"), (Decimal("40"), Decimal("30"), Decimal("50")))
    ([Decimal('40'), Decimal('30'), Decimal('30')], Decimal('0'))
    """
    taken = []
    rest = amount
    for part in open_parts:
        take = min(rest, part)
        taken.append(take)
        rest -= take
    return taken, rest
