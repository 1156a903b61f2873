"""What a use case records, and the one rule about when: never in the future.

:class:`Changes` (rows to append, cells to set; :mod:`debiteuren.workbook.changes`) is what a
use case hands to :func:`.pipeline.write_back`, which writes it to the file or to the book open
in Excel in the same save as the computed columns.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date, datetime

from ..errors import DebiteurenError
from ..untrusted import spaceless_key
from ..workbook.changes import CellChange, Changes

__all__ = ["CellChange", "Changes", "FutureDate", "UnknownCustomer", "refuse_future", "stamp"]


class FutureDate(DebiteurenError):
    """A command would log something on a day that has not come yet."""

    def __init__(self, as_of: date, today: date, flag: str) -> None:
        super().__init__(
            f"De peildatum {as_of:%d-%m-%Y} ligt na vandaag ({today:%d-%m-%Y}); het blad Acties "
            "legt alleen vast wat al gebeurd is. Er is niets gewijzigd. Wilt u dit toch, geef "
            f"dan {flag}; daarna weigert elke opdracht met een eerdere peildatum het werkboek tot "
            "die dag."
        )


def refuse_future(as_of: date, now: datetime, *, confirmed: bool, flag: str = "--toekomst") -> None:
    """Raise :class:`FutureDate` when ``as_of`` lies after the day of ``now`` (unless confirmed).

    A command that logs in Acties (letters, a call, a payment plan, a hand-over) never logs into
    the future: the record holds what happened, with the day it happened.
    """
    if as_of > now.date() and not confirmed:
        raise FutureDate(as_of, now.date(), flag)


def stamp(as_of: date, now: datetime) -> date | datetime:
    """Return the Tijdstip of an Acties row made now for ``as_of``: with the time of day when
    ``as_of`` is today, else the day."""
    return now.replace(microsecond=0) if as_of == now.date() else as_of


class UnknownCustomer(DebiteurenError):
    """A ``--klant`` that is not on Klanten; the number meant is named when only one is
    close (``k001``, ``K009 `` or ``K 002`` for ``K001``, ``K009``, ``K002``; not ``K01``: K010,
    K011, K001...)."""

    def __init__(self, customer: str, known: Iterable[str]) -> None:
        numbers = list(known)
        typed = spaceless_key(customer)
        same = [n for n in numbers if spaceless_key(n) == typed]
        close = same or difflib.get_close_matches(customer, numbers, n=2, cutoff=0.75)
        hint = f" Bedoelt u '{close[0]}'?" if len(close) == 1 else ""
        super().__init__(f"Klant '{customer}' staat niet op het blad Klanten.{hint}")
