"""Which statutory rate series a ledger uses, and the rate warnings for it (rates.rate_warnings).

Pure: debtors, settings and an assessment in, series names and Dutch warnings out. The series
follow the country rules (``series_in_use`` of ``rules/nl.py``, ``rules/be.py``); the engine
itself is not consulted or changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .model import Creditor, Debtor, Settings
from .money import Decimal
from .rates import RateBook, RateRow, RateTableGap, known_until, rate_warnings
from .rules import rules_for

if TYPE_CHECKING:
    from .book import Assessment
    from .claim import InvoiceClaim

__all__ = [
    "assessment_rate_warnings",
    "carried_quoted",
    "ground_rate_warnings",
    "rate_ground",
    "series_in_use",
    "unconfirmed_quoted",
]


def series_in_use(
    debtors: Iterable[Debtor], settings: Settings, creditor: Creditor | None = None
) -> set[str]:
    """Return the statutory series whose rates the interest of ``debtors`` depends on.

    - NL consumer: ``nl_wettelijke_rente``; NL business: ``nl_handelsrente``;
    - BE business: ``be_handelsrente``;
    - BE consumer: ``be_handelsrente`` when an interest clause is set (the rate is capped at it),
      otherwise ``be_wettelijke_interest`` when ``be_consumer_no_clause`` is
      ``wettelijke_interest``, otherwise none (no interest).

    A customer abroad: the series of the law that governs its claims (``creditor``'s country
    for a business without a chosen law).
    """
    return {str(s) for d in debtors for s in rules_for(d, creditor).series_in_use(d, settings)}


def assessment_rate_warnings(
    assessment: Assessment, settings: Settings, rates: RateBook
) -> list[str]:
    """Return the rate warnings for the open, overdue invoices of ``assessment``.

    The series are those of the debtors with an open invoice whose due date lies before the
    peildatum (interest can run); the period starts on the first interest day of the oldest of
    those invoices (its due date + 1) and ends on the peildatum.
    """
    return ground_rate_warnings(
        [rate_ground(assessment)], settings, rates, assessment.creditor, assessment.as_of
    )


def rate_ground(assessment: Assessment) -> tuple[dict[str, Debtor], date | None]:
    """Return what the rate warnings of ``assessment`` depend on: the debtors with an open,
    overdue invoice, and the oldest due date among those invoices (None: there is none)."""
    as_of = assessment.as_of
    debtors: dict[str, Debtor] = {}
    first: date | None = None
    for number, claim in assessment.claims.items():
        for c in claim.invoices:
            due = c.invoice.due_date
            if c.outstanding <= 0 or due >= as_of:
                continue
            debtors[number] = claim.debtor
            first = due if first is None else min(first, due)
    return debtors, first


def ground_rate_warnings(
    grounds: Iterable[tuple[dict[str, Debtor], date | None]],
    settings: Settings,
    rates: RateBook,
    creditor: Creditor | None,
    as_of: date,
) -> list[str]:
    """Return :func:`assessment_rate_warnings` of a book from the :func:`rate_ground` of its
    parts (a large book is assessed in two parts, :mod:`..service.shards`)."""
    debtors: dict[str, Debtor] = {}
    days = []
    for part, day in grounds:
        debtors.update(part)
        if day is not None:
            days.append(day)
    if not days:
        return []
    return rate_warnings(
        rates,
        series_in_use(debtors.values(), settings, creditor),
        min(days) + timedelta(days=1),
        as_of,
    )


def unconfirmed_quoted(
    claims: Sequence[InvoiceClaim],
    debtor: Debtor,
    settings: Settings,
    rates: RateBook,
    quoted: Iterable[tuple[date, Decimal]] = (),
    creditor: Creditor | None = None,
) -> list[RateRow]:
    """Return the rate rows marked not confirmed whose percentage a letter would state.

    A letter states the rate of every interest period of its invoices (the period table and
    "currently … per year"), and a Book XIX first reminder the rate that will run after its
    term (``quoted``: day and rate). A period's rate is quoted from a row when the row of the
    debtor's statutory series in force on that day has the same percentage (a lower agreed
    rate under a cap is the creditor's own, confirmed by the contract).

    Args:
      claims: the invoices the letter is about, at the letter's date.
      debtor, settings, rates: which series apply, and the rate tables (the Rentes sheet's
        rows merged in: a row the user marks officieel there is confirmed).
      quoted: other (day, rate) pairs the letter states.
      creditor: the user's business (its country is the law of a business abroad).
    Returns:
      The unconfirmed rows, oldest first, each once.
    """
    series, wanted = _stated(claims, debtor, settings, quoted, creditor, at_end=False)
    tables = [rates.tables[s] for s in series if s in rates.tables]
    found: dict[tuple[str, date], RateRow] = {}
    for table in tables:
        for day, rate in wanted:
            try:
                row = table.row_on(day)
            except RateTableGap:
                continue
            if row.status.strip().lower() == "unconfirmed" and row.rate == rate:
                found[(row.series, row.effective_from)] = row
    return sorted(found.values(), key=lambda r: (r.effective_from, r.series))


def carried_quoted(
    claims: Sequence[InvoiceClaim],
    debtor: Debtor,
    settings: Settings,
    rates: RateBook,
    quoted: Iterable[tuple[date, Decimal]] = (),
    creditor: Creditor | None = None,
) -> list[tuple[str, date, Decimal]]:
    """Return the rates a letter would state for days after the series' known period.

    Past :func:`~.rates.known_until` the newest rate is carried forward although the published
    figure is not known yet (domain README rule 6: never guess silently), so a formal letter
    must not state it as the law's rate. An interest period counts when it ends after that day
    at the carried rate (a lower agreed rate under a cap is the creditor's own); ``quoted`` as
    for :func:`unconfirmed_quoted`.

    Returns:
      (series, last known day, carried rate) per series, by series name.
    """
    names, wanted = _stated(claims, debtor, settings, quoted, creditor, at_end=True)
    found: list[tuple[str, date, Decimal]] = []
    for series in names:
        table = rates.tables.get(series)
        until = known_until(table) if table is not None else None
        if table is None or until is None:
            continue
        newest = table.rows[-1].rate
        if any(day > until and rate == newest for day, rate in wanted):
            found.append((series, until, newest))
    return found


def _stated(
    claims: Sequence[InvoiceClaim],
    debtor: Debtor,
    settings: Settings,
    quoted: Iterable[tuple[date, Decimal]],
    creditor: Creditor | None,
    *,
    at_end: bool,
) -> tuple[list[str], list[tuple[date, Decimal]]]:
    """Return the debtor's statutory series by name and the (day, rate) pairs a letter states:
    each interest period's first day (or, ``at_end``, its last day) with its rate, and ``quoted``.
    """
    series = sorted(series_in_use([debtor], settings, creditor))
    wanted = [(p.end if at_end else p.start, p.rate) for c in claims for p in c.statement.periods]
    return series, wanted + list(quoted)
