"""The registry of the countries whose law debiteuren knows: each has a rules module
(``nl.py``, ``be.py``) that implements :class:`~.base.CountryRules`."""

from __future__ import annotations

from functools import cache
from typing import cast

from ...errors import DebiteurenError
from ..model import Country
from .base import CountryRules

__all__ = ["COUNTRIES", "UnknownCountry", "for_country", "is_supported"]

#: The countries whose law debiteuren knows, each with a rules module.
COUNTRIES: tuple[Country, ...] = tuple(Country)


class UnknownCountry(DebiteurenError):
    """A country for which no rules exist."""

    def __init__(self, country: str) -> None:
        super().__init__(f"Onbekend land '{country}'; debiteuren kent NL en BE.")


def for_country(country: Country | str) -> CountryRules:
    """Return the rules module for ``country`` (``"NL"`` or ``"BE"``, any case).

    Raises :class:`UnknownCountry` for any other.
    """
    try:
        return _registry()[str(country).upper()]
    except KeyError:
        raise UnknownCountry(str(country)) from None


@cache
def _registry() -> dict[str, CountryRules]:
    """Return country code -> rules module (imported on first use)."""
    from . import be, nl

    return {Country.NL.value: cast(CountryRules, nl), Country.BE.value: cast(CountryRules, be)}


def is_supported(country: str) -> bool:
    """Return True when debiteuren has rules for the country code ``country`` (any case).

    >>> is_supported("be"), is_supported("DE"), is_supported("")
    (True, False, False)
    """
    return str(country).strip().upper() in _CODES


_CODES = frozenset(c.value for c in COUNTRIES)
