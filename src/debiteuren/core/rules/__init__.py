"""Country rules: one module per country with the same protocol (stdnum-style).

:func:`for_country` picks the module; each exposes the functions of :class:`CountryRules`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from types import ModuleType
from typing import Protocol

from ...errors import DebiteurenError
from ..model import Channel, Country, Creditor, Debtor, Invoice, Settings
from ..money import ZERO, Decimal
from ..rates import RateBook, RateSchedule

__all__ = [
    "CostRule",
    "CountryRules",
    "LetterTerm",
    "UnknownCountry",
    "add_years",
    "for_country",
]


class UnknownCountry(DebiteurenError):
    """A country for which no rules exist."""

    def __init__(self, country: str) -> None:
        super().__init__(f"Onbekend land '{country}'; debiteuren kent NL en BE.")


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterTerm:
    """The term a formal letter gives: when it counts as received, its days, and what follows.

    Attributes:
      sent_on: the day the letter was sent.
      received_on: the (proven or presumed) day of receipt.
      first_day: the first day of the term.
      last_day: the last day of the term.
      charges_from: the first day costs (or interest) may be charged if still unpaid.
    """

    sent_on: date
    received_on: date
    first_day: date
    last_day: date
    charges_from: date
    amount_claimed: Decimal = ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class CostRule:
    """Costs due from ``on`` over a group of invoices.

    ``amount`` computes the costs from the principal still unpaid on the day before ``on`` (for a
    group, their sum); the result is split over the invoices pro rata.
    """

    on: date
    invoices: tuple[str, ...]
    amount: Callable[[Decimal], Decimal]
    description: str
    term: LetterTerm | None = None


class CountryRules(Protocol):
    """What a country module provides (``rules/nl.py``, ``rules/be.py``)."""

    COUNTRY: Country
    COMPOUND: bool

    def interest_schedule(
        self, debtor: Debtor, creditor: Creditor, settings: Settings, rates: RateBook
    ) -> RateSchedule | None: ...

    def interest_start(
        self,
        invoice: Invoice,
        debtor: Debtor,
        creditor: Creditor,
        settings: Settings,
        notice: LetterTerm | None,
    ) -> date | None: ...

    def cost_rules(
        self,
        invoices: Sequence[Invoice],
        debtor: Debtor,
        creditor: Creditor,
        settings: Settings,
        notices: dict[str, LetterTerm],
    ) -> list[CostRule]: ...

    def letter_term(
        self, sent_on: date, channel: Channel, settings: Settings, received_on: date | None = None
    ) -> LetterTerm: ...

    def limitation_date(
        self, invoice: Invoice, debtor: Debtor, settings: Settings, interruptions: Sequence[date]
    ) -> date: ...

    def vat_refund_date(self, invoice: Invoice) -> date | None: ...


def add_years(day: date, years: int) -> date:
    """Return the same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


ONE_DAY = timedelta(days=1)


def for_country(country: Country | str) -> ModuleType:
    """Return the rules module for ``country`` (``"NL"`` or ``"BE"``)."""
    from . import be, nl

    modules = {Country.NL: nl, Country.BE: be}
    try:
        return modules[Country(str(country).upper())]
    except (ValueError, KeyError):
        raise UnknownCountry(str(country)) from None
