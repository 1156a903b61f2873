"""Whether a logged action counts on a given day: the one place that decides "sent by D".

Today an Acties row counts from its own date (``Tijdstip``). The letter state of issue 10 (made
but not sent, sent on a date, failed) will decide it instead; every reader that asks "was this
letter sent by D" goes through :func:`sent_by`, so that change is made here once.
"""

from __future__ import annotations

from datetime import date

from .model import Action

__all__ = ["sent_by"]


def sent_by(action: Action, day: date) -> bool:
    """Return True when ``action`` happened (a letter: went out) on or before ``day``.

    >>> from .model import Step
    >>> sent_by(Action(on=date(2026, 3, 1), debtor="K1", step=Step.REMINDER), date(2026, 3, 1))
    True
    """
    return action.on <= day
