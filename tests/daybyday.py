"""The day-by-day reference: a claim computed one calendar day at a time.

Written from the project conventions (shared/domain/README.md, nl.md §1.6-§1.8 and Appendix B,
be.md §10.0), not from the engine: a plain day-by-day loop that reads the shipped ``rates.csv``
itself. It keeps the unrounded interest exactly (per divisor, the sum of ``base x rate`` as a
``Decimal`` with the Inexact trap on, divided by ``100 x divisor`` only when rounding), so a half
cent is rounded up, never lost to a truncated 1/365.

Shared by the tests that check the engine against it (``tests/test_bereken.py`` through the
calculator and the command line, ``tests/core/test_interest.py`` through the engine itself).
The semantics are listed in ``tests/test_bereken.py``'s docstring.
"""

from __future__ import annotations

import calendar
import csv
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, Inexact, localcontext
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RATES_CSV = ROOT / "src" / "debiteuren" / "core" / "data" / "rates.csv"
CENT = Decimal("0.01")
DAY = timedelta(days=1)

# --rente choice -> (rates.csv series, capitalise yearly)
REF_SERIES: dict[str, tuple[str | None, bool]] = {
    "nl-wettelijk": ("nl_wettelijke_rente", True),
    "nl-handels": ("nl_handelsrente", True),
    "be-handels": ("be_handelsrente", False),
    "be-wettelijk": ("be_wettelijke_interest", False),
    "geen": (None, False),
}
COST_KINDS = ("geen", "nl-wik", "nl-wik-btw", "be-40", "be-consument")
DAY_COUNTS = ("365", "werkelijk", "rentejaar")


# --------------------------------------------------------------------------------------------
# Reference implementation
# --------------------------------------------------------------------------------------------


def _read_rates() -> dict[str, list[tuple[date, Decimal]]]:
    out: dict[str, list[tuple[date, Decimal]]] = {}
    with RATES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = (line for line in fh if line.strip() and not line.startswith("#"))
        for rec in csv.DictReader(rows):
            out.setdefault(rec["series"].strip(), []).append(
                (date.fromisoformat(rec["effective_from"].strip()), Decimal(rec["rate_percent"]))
            )
    for rows_ in out.values():
        rows_.sort()
    return out


REF_RATES = _read_rates()


class RefNoRate(Exception):
    """The reference has no rate for a day."""


def ref_rate(series: str, day: date) -> Decimal:
    """Return the rate of the last row with effective_from <= day."""
    found = None
    for start, pct in REF_RATES[series]:
        if start <= day:
            found = pct
        else:
            break
    if found is None:
        raise RefNoRate(f"{series} {day}")
    return found


def half_up(x: Decimal | Fraction) -> Decimal:
    """Round a non-negative exact amount half-up to cents."""
    if isinstance(x, Decimal):
        return x.quantize(CENT, rounding=ROUND_HALF_UP)
    assert x >= 0
    return Decimal(math.floor(x * 100 + Fraction(1, 2))).scaleb(-2).quantize(CENT)


def ref_anniversary(first: date, k: int) -> date:
    """Return the k-th anniversary of the first interest day; 29 Feb -> 28 Feb."""
    year = first.year + k
    if (first.month, first.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, first.month, first.day)


def ref_wik(amount: Decimal) -> Decimal:
    """WIK scale (nl.md §3.2): 15/10/5/1/0.5 %, at least 40, at most 6,775, excl. VAT."""
    bands = [
        (Decimal(0), Decimal(2500), Decimal("0.15")),
        (Decimal(2500), Decimal(5000), Decimal("0.10")),
        (Decimal(5000), Decimal(10000), Decimal("0.05")),
        (Decimal(10000), Decimal(200000), Decimal("0.01")),
        (Decimal(200000), None, Decimal("0.005")),
    ]
    raw = Decimal(0)
    for low, high, pct in bands:
        part = (amount if high is None else min(amount, high)) - low
        if part > 0:
            raw += part * pct
    return half_up(min(max(raw, Decimal(40)), Decimal(6775)))


def ref_book19(balance: Decimal) -> Decimal:
    """Art. XIX.4 WER maximum lump sum (be.md §3.5)."""
    if balance <= Decimal(150):
        cap = Decimal(20)
    elif balance <= Decimal(500):
        cap = Decimal(30) + (balance - Decimal(150)) * Decimal("0.10")
    else:
        cap = min(Decimal(2000), Decimal(65) + (balance - Decimal(500)) * Decimal("0.05"))
    return half_up(cap)


def ref_costs(kind: str, amount: Decimal) -> Decimal:
    if kind == "geen":
        return Decimal("0.00")
    if kind == "nl-wik":
        return ref_wik(amount)
    if kind == "nl-wik-btw":  # VAT on the (rounded) collection costs
        return half_up(ref_wik(amount) * Decimal("1.21"))
    if kind == "be-40":
        return Decimal("40.00")
    if kind == "be-consument":
        return ref_book19(amount)
    raise ValueError(kind)


@dataclass
class RefResult:
    rente: Decimal
    kosten: Decimal
    betaald: Decimal
    openstaand: Decimal
    caps: list[Decimal] = field(default_factory=list)
    pieces: list[Decimal] = field(default_factory=list)


def reference(
    amount: Decimal,
    due: date,
    until: date,
    series: str,
    day_count: str = "365",
    payments: list[tuple[date, Decimal]] | tuple = (),
    costs: str = "geen",
    *,
    year_accumulator: bool = False,
) -> RefResult:
    """Compute a claim day by day under the project conventions.

    ``year_accumulator=False`` (the calculator's semantics): at a payment the interest accrued
    since the last rounding is rounded and booked; the next piece starts from zero.
    ``year_accumulator=True`` (literal nl.md Appendix B): one unrounded accumulator per
    capitalisation year (BE: per claim); a payment books round(accumulator) minus what was
    already booked, and the anniversary capitalises round(year's interest) minus what was paid.
    """
    table, compound = REF_SERIES[series]
    first = due + DAY
    kosten = Decimal("0.00")
    base = amount  # principal incl. capitalised interest
    open_interest = Decimal("0.00")
    open_costs = Decimal("0.00")
    paid = Decimal("0.00")
    pieces: list[Decimal] = []
    caps: list[Decimal] = []
    numer = {365: Decimal(0), 366: Decimal(0)}  # running Σ base × rate per divisor (exact)
    booked = Decimal("0.00")  # pieces already booked from the running accumulator
    year = 1  # the capitalisation year containing the current day

    def book() -> None:
        nonlocal booked, open_interest
        exact = sum((Fraction(v) / (100 * d) for d, v in numer.items()), Fraction(0))
        piece = half_up(exact) - booked
        pieces.append(piece)
        open_interest += piece
        booked += piece

    def restart() -> None:
        nonlocal booked
        numer[365] = Decimal(0)
        numer[366] = Decimal(0)
        booked = Decimal("0.00")

    def pay(value: Decimal) -> None:
        nonlocal open_costs, open_interest, base, paid
        rest = value
        for_costs = min(rest, open_costs)
        open_costs -= for_costs
        rest -= for_costs
        for_interest = min(rest, open_interest)
        open_interest -= for_interest
        rest -= for_interest
        for_base = min(rest, base)
        base -= for_base
        rest -= for_base
        paid += value - rest

    todo = sorted((p for p in payments if p[0] <= until), key=lambda p: p[0])
    while todo and todo[0][0] <= due:  # paid on (or before) the due date: no interest yet
        pay(todo.pop(0)[1])
    if until > due and base > 0:  # costs only on what is still open after the due date
        kosten = ref_costs(costs, base)
        open_costs = kosten

    with localcontext() as ctx:
        ctx.prec = 60
        ctx.traps[Inexact] = True
        d = first
        while d <= until:
            if d == ref_anniversary(first, year):
                if compound:
                    book()
                    restart()
                    caps.append(open_interest)
                    base += open_interest
                    open_interest = Decimal("0.00")
                year += 1
            if table is not None and base > 0:
                if day_count == "365":
                    den = 365
                elif day_count == "werkelijk":
                    den = 366 if calendar.isleap(d.year) else 365
                else:
                    den = (ref_anniversary(first, year) - ref_anniversary(first, year - 1)).days
                numer[den] += base * ref_rate(table, d)
            while todo and todo[0][0] == d:
                book()
                if not year_accumulator:
                    restart()
                pay(todo.pop(0)[1])
            d += DAY
        book()
    rente = sum(pieces, Decimal("0.00"))
    return RefResult(
        rente=rente,
        kosten=kosten,
        betaald=paid,
        openstaand=base + open_interest + open_costs,
        caps=caps,
        pieces=pieces,
    )
