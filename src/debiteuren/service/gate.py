"""The bank statement gate: letters that ask for payment, and a hand-over, wait for a recent
statement, and hold back a customer whose payment may be under review.

A reminder to a customer who already paid is the worst thing this program can do: ``brieven``
and ``overdracht`` ask :func:`statement_gate` first (the setting "Maximale ouderdom afschrift
(werkdagen)"), and ``brieven`` skips the customers :func:`held_back_for_review` names. Kept apart
from :mod:`.payments` so that the letters need no statement reader (lxml).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

from ..errors import DebiteurenError
from ..workbook import read

__all__ = ["StaleStatement", "held_back_for_review", "statement_gate", "working_days_between"]


class StaleStatement(DebiteurenError):
    """Letters that ask for payment would rest on an old bank statement."""

    def __init__(self, last: date, days: int) -> None:
        super().__init__(
            f"Het laatste ingelezen bankafschrift is van {last:%d-%m-%Y}, meer dan {days} "
            "werkdagen geleden. Lees eerst de nieuwe afschriften in (Betalingen importeren), "
            "zodat niemand die al betaalde een brief krijgt; of bevestig bewust dat u doorgaat "
            "(brieven --toch, overdracht --oud-afschrift)."
        )
        self.last = last


@cache
def _holidays(country: str, year: int):
    return holidays.country_holidays(country, years=year)


def working_days_between(start: date, end: date, country: str = "NL") -> int:
    """Return the number of working days after ``start`` up to and including ``end``."""
    days, d = 0, start
    while d < end:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in _holidays(country, d.year):
            days += 1
    return days


def statement_gate(data: read.WorkbookData, as_of: date) -> str:
    """Raise StaleStatement when the newest imported statement is too old.

    Returns:
      A Dutch warning when no statement was ever imported (the user types payments in), else "".
    """
    last = data.last_statement
    if last is None:
        return (
            "Er is nog nooit een bankafschrift ingelezen: controleer zelf of de betalingen "
            "op het blad Betalingen bij zijn."
        )
    limit = data.settings.statement_max_age_days
    if working_days_between(last, as_of, str(data.creditor.country)) > limit:
        raise StaleStatement(last, limit)
    return ""


def held_back_for_review(data: read.WorkbookData, assessment) -> dict[str, list]:
    """Return customer number -> the payments under review that may be theirs.

    ``brieven`` sends such a customer no letter and puts them on no call list until the user
    has linked the payment or confirms (``--ondanks-betaling``): a customer who paid must not
    be written to (:func:`debiteuren.core.review.payments_awaiting_review`).
    """
    from ..core.review import payments_awaiting_review

    if not data.to_review:
        return {}
    ibans: dict[str, set[str]] = {}
    for p in data.payments:
        if p.payer_iban:
            ibans.setdefault(p.debtor, set()).add(p.payer_iban)
    held: dict[str, list] = {}
    for number, claim in assessment.claims.items():
        if claim.outstanding <= 0:
            continue
        amounts = {claim.outstanding, claim.principal_open}
        for c in claim.invoices:
            if c.outstanding > 0:
                amounts |= {c.outstanding, c.principal_open, c.principal}
        found = payments_awaiting_review(
            data.debtors[number],
            data.to_review,
            invoices=[c.invoice.number for c in claim.invoices],
            ibans=ibans.get(number, ()),
            amounts=amounts,
        )
        if found:
            held[number] = found
    return held
