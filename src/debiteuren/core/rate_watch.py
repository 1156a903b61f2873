"""Which statutory rate series a ledger uses, and the rate warnings for it (rates.rate_warnings).

Pure: debtors, settings and an assessment in, series names and Dutch warnings out. The series
follow the country rules (``rules/nl.py``, ``rules/be.py`` ``interest_schedule``); the engine
itself is not consulted or changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .model import Country, Debtor, DebtorKind, Settings
from .rates import RateBook, RateSeries, rate_warnings

if TYPE_CHECKING:
    from .book import Assessment

__all__ = ["assessment_rate_warnings", "series_in_use"]


def series_in_use(debtors: Iterable[Debtor], settings: Settings) -> set[str]:
    """Return the statutory series whose rates the interest of ``debtors`` depends on.

    - NL consumer: ``nl_wettelijke_rente``; NL business: ``nl_handelsrente``;
    - BE business: ``be_handelsrente``;
    - BE consumer: ``be_handelsrente`` when an interest clause is set (the rate is capped at it),
      otherwise ``be_wettelijke_interest`` when ``be_consumer_no_clause`` is
      ``wettelijke_interest``, otherwise none (no interest).
    """
    used: set[str] = set()
    for debtor in debtors:
        if debtor.country is Country.NL:
            used.add(
                RateSeries.NL_STATUTORY
                if debtor.kind is DebtorKind.CONSUMER
                else RateSeries.NL_COMMERCIAL
            )
        elif debtor.kind is DebtorKind.BUSINESS or settings.be_consumer_interest_clause is not None:
            used.add(RateSeries.BE_COMMERCIAL)  # a consumer clause is capped at this rate
        elif settings.be_consumer_no_clause == "wettelijke_interest":
            used.add(RateSeries.BE_LEGAL)
    return {str(s) for s in used}


def assessment_rate_warnings(
    assessment: Assessment, settings: Settings, rates: RateBook
) -> list[str]:
    """Return the rate warnings for the open, overdue invoices of ``assessment``.

    The series are those of the debtors with an open invoice whose due date lies before the
    peildatum (interest can run); the period starts on the first interest day of the oldest of
    those invoices (its due date + 1) and ends on the peildatum.
    """
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
    if first is None:
        return []
    return rate_warnings(
        rates, series_in_use(debtors.values(), settings), first + timedelta(days=1), as_of
    )
