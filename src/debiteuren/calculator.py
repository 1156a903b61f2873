"""The claim calculator behind ``debiteuren bereken``: one amount, one period, optional payments.

Pure: arguments in, a :class:`~debiteuren.core.interest.Statement` out. Costs are owed only when
the principal is not paid on the due date: they are computed on the principal still open after
the due date and due from the next day, as in the workbook. Payments are applied costs ->
interest -> principal on their day. Warnings (Dutch) say when a period uses an unconfirmed rate
or one past the last known rate, and when the claim starts before the rate table begins (the
days before the table's first row then bear no interest).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .core import rates as rates_mod
from .core.interest import CostCharge, Statement, statement
from .core.model import Creditor, DayCount, Settings
from .core.money import ZERO, Decimal
from .core.rules import be, nl
from .errors import DebiteurenError

__all__ = ["COSTS", "SERIES", "Calculation", "CalculatorError", "calculate"]

ONE_DAY = timedelta(days=1)

#: ``--rente`` choices: (series, compound).
SERIES: dict[str, tuple[rates_mod.RateSeries | None, bool]] = {
    "nl-wettelijk": (rates_mod.RateSeries.NL_STATUTORY, True),
    "nl-handels": (rates_mod.RateSeries.NL_COMMERCIAL, True),
    "be-handels": (rates_mod.RateSeries.BE_COMMERCIAL, False),
    "be-wettelijk": (rates_mod.RateSeries.BE_LEGAL, False),
    "geen": (None, False),
}

#: ``--kosten`` choices with their description.
COSTS = {
    "geen": "geen kosten",
    "nl-wik": "incassokosten volgens de WIK-staffel (min. € 40, max. € 6.775)",
    "nl-wik-btw": "incassokosten volgens de WIK-staffel plus 21% btw",
    "be-40": "forfaitaire vergoeding van € 40 (wet 2 augustus 2002)",
    "be-consument": "forfaitaire schadevergoeding, maximum van art. XIX.4 WER",
}


class CalculatorError(DebiteurenError):
    """A calculator argument that cannot be used."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Calculation:
    """A calculator result and the choices behind it."""

    series: str
    costs_kind: str
    statement: Statement
    warnings: tuple[str, ...] = ()

    @property
    def compound(self) -> bool:
        """Return True when interest was capitalised yearly."""
        return self.statement.compound


def costs_for(kind: str, amount: Decimal) -> Decimal:
    """Return the costs of ``kind`` on ``amount``."""
    if kind == "geen":
        return ZERO
    if kind == "nl-wik":
        return nl.wik_costs(amount)
    if kind == "nl-wik-btw":
        return nl.with_vat(
            nl.wik_costs(amount), Creditor(name="", vat_deductible=False), Settings()
        )
    if kind == "be-40":
        return be.B2B_COMPENSATION
    if kind == "be-consument":
        return be.lump_sum_cap(amount)
    raise CalculatorError(f"Onbekende kostensoort '{kind}'; kies uit: {', '.join(COSTS)}.")


def calculate(
    *,
    amount: Decimal,
    due: date,
    until: date,
    series: str,
    day_count: DayCount = DayCount.ACT_365,
    payments: list[tuple[date, Decimal]] | None = None,
    costs: str = "geen",
    rates: rates_mod.RateBook | None = None,
    whole: bool = False,
) -> Calculation:
    """Compute interest and costs on ``amount`` from ``due`` (exclusive) to ``until``.

    A claim that begins before the rate table gets no interest for the days before it, and a
    warning says so; with ``whole`` (a worksheet cell, which shows no warning) it is refused.

    Raises CalculatorError (Dutch message) for a negative amount, an end before the due date, an
    unknown series or cost kind, or a day without a rate.
    """
    if amount < 0:
        raise CalculatorError(f"Het bedrag mag niet negatief zijn ({amount}).")
    if until < due:
        raise CalculatorError(
            f"De einddatum {until:%d-%m-%Y} ligt vóór de vervaldatum {due:%d-%m-%Y}."
        )
    if series not in SERIES:
        raise CalculatorError(f"Onbekende rentesoort '{series}'; kies uit: {', '.join(SERIES)}.")
    payments = payments or []
    for day, paid in payments:
        if day > until:
            raise CalculatorError(
                f"De betaling van {day:%d-%m-%Y} ligt na de einddatum {until:%d-%m-%Y}."
            )
        if paid <= 0:
            raise CalculatorError(f"Een betaling moet positief zijn ({day:%d-%m-%Y}={paid}).")
    name, compound = SERIES[series]
    book = rates or rates_mod.builtin()
    schedule = book.table(name) if name is not None else None
    warnings: list[str] = []
    start = due
    if schedule is not None and schedule.rows:
        first = schedule.rows[0].effective_from
        if due + ONE_DAY < first:
            start = first - ONE_DAY
            before = (
                f"De vordering begint vóór de rentetabel: de {rates_mod.series_label(name)} "
                f"begint op {first:%d-%m-%Y}. "
            )
            if whole:
                raise CalculatorError(
                    f"{before}Over {due + ONE_DAY:%d-%m-%Y} tot en met "
                    f"{min(start, until):%d-%m-%Y} kan "
                    "debiteuren geen rente berekenen; reken met 'debiteuren bereken' (dat "
                    "rekent vanaf de tabel en zegt het) of reken die dagen zelf na met het "
                    "percentage uit de officiële bekendmaking."
                )
            warnings.append(
                f"{before}Over {due + ONE_DAY:%d-%m-%Y} tot en met {min(start, until):%d-%m-%Y} "
                "is geen rente berekend; reken die dagen zelf na met het percentage uit de "
                "officiële bekendmaking."
            )
        if until > start:
            warnings += rates_mod.rate_warnings(book, [name], start + ONE_DAY, until)
    # Paid on or before the due date: that goes to the principal, and costs are owed only on
    # what is still open after the due date (from the next day on).
    open_after_due = amount - sum((p for d, p in payments if d <= due), ZERO)
    cost = costs_for(costs, open_after_due) if open_after_due > 0 else ZERO
    charges = [CostCharge(on=due + ONE_DAY, amount=cost, description=COSTS[costs])] if cost else []
    st = statement(
        amount,
        start,
        until,
        schedule,
        compound=compound,
        day_count=day_count,
        charges=charges,
        payments=payments,
    )
    return Calculation(series=series, costs_kind=costs, statement=st, warnings=tuple(warnings))
