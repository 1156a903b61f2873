"""Whether a logged action counts on a given day: the one place that decides "sent by D".

A row counts from the day :func:`~debiteuren.core.rules.lifecycle.counts_from` gives: the day a
letter went out (a concept, a failed or a cancelled letter never counts), or the day of a
decision (a payment plan, a hand-over).
"""

from __future__ import annotations

from datetime import date

from .model import Action
from .rules.lifecycle import counts_from

__all__ = ["sent_by"]


def sent_by(action: Action, day: date) -> bool:
    """Return True when ``action`` happened (a letter: went out) on or before ``day``.

    >>> from .model import Step
    >>> sent_by(Action(on=date(2026, 3, 1), debtor="K1", step=Step.REMINDER), date(2026, 3, 1))
    True
    """
    on = counts_from(action)
    return on is not None and on <= day
