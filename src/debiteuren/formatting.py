"""Amounts, dates and percentages as a reader expects them, per language and country (babel)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

__all__ = ["euro", "locale_for", "long_date", "percent", "short_date"]


def locale_for(language: str, country: str = "NL") -> str:
    """Return the babel locale for a letter: nl_NL, nl_BE, fr_BE or en_IE (euro, day-month).

    >>> locale_for("fr", "BE"), locale_for("nl", "BE"), locale_for("en", "NL")
    ('fr_BE', 'nl_BE', 'en_IE')
    """
    language = (language or "nl").lower()
    if language == "fr":
        return "fr_BE"
    if language == "en":
        return "en_IE"
    from .core.rules import is_supported

    code = str(country).strip().upper()
    return f"nl_{code}" if is_supported(code) else "nl_NL"  # Dutch as written in that country


def euro(amount: Decimal, locale: str = "nl_NL") -> str:
    """Return ``amount`` as euro with two decimals: ``€ 1.234,56`` in nl_NL.

    >>> euro(Decimal("1234.5"))
    '€ 1.234,50'
    """
    return (
        format_currency(amount, "EUR", locale=locale, format_type="standard")
        .replace("\xa0", " ")
        .replace("\u202f", " ")
    )


def percent(rate: Decimal, locale: str = "nl_NL") -> str:
    """Return a yearly percentage with two decimals: ``6,00%`` in nl_NL."""
    return format_decimal(rate, format="#,##0.00", locale=locale) + "%"


def short_date(day: date, locale: str = "nl_NL") -> str:
    """Return ``31-03-2025`` (nl), ``31/03/2025`` (fr_BE, nl_BE) or ``31/03/2025`` (en_IE)."""
    if locale == "nl_NL":
        return f"{day:%d-%m-%Y}"
    return f"{day:%d/%m/%Y}"


def long_date(day: date, locale: str = "nl_NL") -> str:
    """Return ``27 november 2026`` in the reader's language."""
    return format_date(day, format="long", locale=locale)
