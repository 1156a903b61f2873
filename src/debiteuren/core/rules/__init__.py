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
from ..rates import RateBook, RateRow, RateSchedule

__all__ = [
    "CostRule",
    "CountryRules",
    "LetterTerm",
    "UnknownCountry",
    "add_years",
    "citation",
    "day_text",
    "for_country",
    "rate_citation",
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


#: The modules found so far, by the country as callers name it (the assessment asks per debtor).
_MODULES: dict[Country | str, ModuleType] = {}


def for_country(country: Country | str) -> ModuleType:
    """Return the rules module for ``country`` (``"NL"`` or ``"BE"``)."""
    found = _MODULES.get(country)
    if found is not None:
        return found
    from . import be, nl

    modules = {Country.NL: nl, Country.BE: be}
    try:
        found = modules[Country(str(country).upper())]
    except (ValueError, KeyError):
        raise UnknownCountry(str(country)) from None
    _MODULES[country] = found
    return found


def day_text(day: date, language: str = "nl") -> str:
    """Return a date in a citation: ``03-07-2003`` (nl) or ``03/07/2003`` (fr, en)."""
    return f"{day:%d-%m-%Y}" if language == "nl" else f"{day:%d/%m/%Y}"


def citation(country: Country | str, subject: str, language: str = "nl") -> str:
    """Return the article a statement cites for ``subject`` under ``country``'s law.

    Subjects: ``allocation``, ``capitalisation``, ``limitation``, ``interruption``,
    ``costs_consumer``, ``costs_business`` and the rate series names.

    >>> citation("BE", "allocation")
    'art. 5.210 BW (voorheen art. 1254 oud BW)'
    >>> citation("NL", "allocation", "en")
    'art. 6:44 of the Dutch Civil Code (BW)'
    """
    texts = for_country(country).CITATIONS[subject]
    return texts.get(language, texts["nl"])


_OWN_ROW = {
    "nl": "percentage van het blad Rentes (eigen invoer, geen bekendmaking vastgelegd)",
    "fr": "taux de la feuille Rentes (saisi par le créancier, sans publication enregistrée)",
    "en": "rate from the Rentes sheet (entered by the creditor, no publication recorded)",
}
_CONTRACT = {
    "nl": "overeengekomen percentage",
    "fr": "taux convenu",
    "en": "agreed rate",
}
_UNCONFIRMED = {
    "nl": " (percentage niet bevestigd)",
    "fr": " (taux non confirmé)",
    "en": " (rate not confirmed)",
}


def rate_citation(row: RateRow | None, language: str = "nl") -> str:
    """Return the official source of a rate for a bailiff or lawyer, in ``language``.

    The legal basis and the publication (Staatsblad, Belgisch Staatsblad) with its date, never
    the internal notes of the Rentes sheet. ``None`` is a contractual rate.

    >>> from datetime import date
    >>> rate_citation(RateRow(series="be_wettelijke_interest", effective_from=date(2024, 1, 1),
    ...     rate=Decimal("5.75"), gazette="bs", gazette_date=date(2024, 2, 23)))
    'art. 2 wet van 5 mei 1865; Belgisch Staatsblad 23-02-2024'
    """
    lang = language if language in _CONTRACT else "nl"
    if row is None:
        return _CONTRACT[lang]
    country = "BE" if row.series.startswith("be_") else "NL"
    if row.status.strip().lower() in ("user", "eigen") and not row.gazette_date:
        return _OWN_ROW[lang]
    text = for_country(country).rate_publication(row, lang)
    return text if row.verified else text + _UNCONFIRMED[lang]
