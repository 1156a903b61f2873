"""Amounts, dates and percentages as a reader expects them, per language and country (babel)."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from .untrusted import loose_key

__all__ = [
    "COUNTRY_CODES",
    "country_code",
    "country_name",
    "euro",
    "locale_for",
    "long_date",
    "percent",
    "phone_number",
    "short_date",
    "whole_number",
]

#: Codes babel lists as territories that are not countries in ISO 3166-1 (regions, the EU, the
#: euro area, the United Nations, pseudo-locales, "unknown").
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)

#: Every country code (ISO 3166-1 alpha-2, with Kosovo's XK) that a customer's Land may hold.
COUNTRY_CODES: frozenset[str] = frozenset(
    code
    for code in Locale("en").territories
    if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
)

#: Where Dutch is written as in Belgium (dates with slashes); everywhere else as in the
#: Netherlands.
_DUTCH = {"BE": "nl_BE"}

#: The German-speaking countries whose own locale writes the euro as babel's de_DE does not.
_GERMAN = {"AT": "de_AT", "BE": "de_BE", "LU": "de_LU", "LI": "de_LI", "CH": "de_CH"}


def locale_for(language: str, country: str = "NL") -> str:
    """Return the babel locale for a letter: nl_NL, nl_BE, fr_BE, en_IE or de_DE (euro,
    day-month).

    >>> locale_for("fr", "BE"), locale_for("nl", "BE"), locale_for("en", "NL")
    ('fr_BE', 'nl_BE', 'en_IE')
    >>> locale_for("de", "DE"), locale_for("de", "AT"), locale_for("fr", "FR")
    ('de_DE', 'de_AT', 'fr_FR')
    """
    language = (language or "nl").lower()
    country = str(country).upper()
    if language == "fr":
        return "fr_FR" if country == "FR" else "fr_LU" if country == "LU" else "fr_BE"
    if language == "en":
        return "en_IE"
    if language == "de":
        return _GERMAN.get(country, "de_DE")
    return _DUTCH.get(country, "nl_NL")


@cache
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


def country_name(code: str, language: str = "nl") -> str:
    """Return the name of a country in ``language`` (babel's CLDR names); the code when unknown.

    >>> country_name("DE"), country_name("NL", "de"), country_name("SE", "fr")
    ('Duitsland', 'Niederlande', 'Suède')
    """
    code = str(code).strip().upper()
    return _territories(language if language in ("nl", "fr", "en", "de") else "nl").get(code, code)


#: Names of a country that users write and CLDR does not give: a colloquial name, an
#: abbreviation, "the" in front.
_OTHER_NAMES = {
    "holland": "NL",
    "the netherlands": "NL",
    "uk": "GB",
    "engeland": "GB",
    "england": "GB",
    "usa": "US",
    "amerika": "US",
}


def _name_key(text: str) -> str:
    """Return a country name as names are compared: case, white space and accents ignored
    (``Belgie`` typed without the diaeresis is ``België``)."""
    decomposed = unicodedata.normalize("NFKD", loose_key(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _names() -> dict[str, str]:
    names = dict(_OTHER_NAMES)
    for language in ("en", "fr", "de", "nl"):  # Dutch last: it wins a name two languages share
        for code, name in _territories(language).items():
            if code in COUNTRY_CODES:
                names[_name_key(name)] = code
    return names


def country_code(text: str) -> str | None:
    """Return the ISO code of a country given by its code or its name (nl, fr, en, de); None
    when it is neither.

    >>> country_code("de"), country_code("Duitsland"), country_code(" Belgique "), country_code("X")
    ('DE', 'DE', 'BE', None)
    >>> country_code("Belgie"), country_code("Holland"), country_code("UK")
    ('BE', 'NL', 'GB')
    """
    cleaned = " ".join(str(text).split())
    if cleaned.upper() in COUNTRY_CODES:
        return cleaned.upper()
    return _names().get(_name_key(cleaned))


_CENT = Decimal("0.01")
#: babel's spaces in an amount (no-break, narrow no-break) as ordinary spaces, and every space
#: as a no-break space.
_SPACES = str.maketrans({"\xa0": " ", "\u202f": " "})
_NO_BREAK = str.maketrans({" ": "\xa0", "\u202f": "\xa0"})


def euro(amount: Decimal, locale: str = "nl_NL", *, unbreakable: bool = False) -> str:
    """Return ``amount`` as euro with two decimals: ``€ 1.234,56`` in nl_NL.

    A negative amount that rounds to zero is shown as zero, not as "€ -0,00" (an e-invoice's
    payable of -0.00), rounded as babel rounds.

    Args:
      amount: the amount.
      locale: the babel locale (:func:`locale_for`).
      unbreakable: every space in the amount a no-break space (U+00A0), for running text
        that a word processor wraps (a letter): "€" never ends a line without its number, nor
        does "1" of "1 234,56 €". Otherwise ordinary spaces (a message, a cell, a CSV).

    >>> euro(Decimal("1234.5"))
    '€ 1.234,50'
    >>> euro(Decimal("-0.00")), euro(Decimal("-0.004"))
    ('€ 0,00', '€ 0,00')
    >>> euro(Decimal("1234.5"), unbreakable=True)
    '€\xa01.234,50'
    >>> euro(Decimal("1234.5"), "fr_BE", unbreakable=True)
    '1\xa0234,50\xa0€'
    """
    if amount.is_signed() and amount > -1 and not amount.quantize(_CENT, ROUND_HALF_EVEN):
        amount = -amount
    text = format_currency(amount, "EUR", locale=locale, format_type="standard")
    return text.translate(_NO_BREAK if unbreakable else _SPACES)


def whole_number(number: int) -> str:
    """Return a whole number with the Dutch thousands separator, as messages count things.

    >>> whole_number(1234567), whole_number(-40)
    ('1.234.567', '-40')
    """
    return f"{number:,}".replace(",", ".")


def percent(rate: Decimal, locale: str = "nl_NL") -> str:
    """Return a yearly percentage with two decimals: ``6,00%`` in nl_NL."""
    return format_decimal(rate, format="#,##0.00", locale=locale) + "%"


#: A date's hyphens as non-breaking hyphens (U+2011) and its spaces as no-break spaces: a
#: word processor breaks a line after a hyphen ("07-" / "07-2026") or at a space.
_DATE_NO_BREAK = str.maketrans({"-": "\u2011", " ": "\xa0", "\u202f": "\xa0"})


def short_date(day: date, locale: str = "nl_NL", *, unbreakable: bool = False) -> str:
    """Return ``31-03-2025`` (nl), ``31/03/2025`` (fr_BE, nl_BE, en_IE) or ``31.03.2025`` (de).

    With ``unbreakable`` (a letter), the hyphens are non-breaking hyphens (U+2011), so that
    Word and LibreOffice never end a line with "31-03-"; a slash or dot between digits keeps
    the date together already (Unicode line breaking, UAX #14 rule LB25).

    >>> short_date(date(2026, 7, 7), unbreakable=True)
    '07\u201107\u20112026'
    >>> short_date(date(2026, 7, 7), "fr_BE", unbreakable=True)
    '07/07/2026'
    """
    if locale == "nl_NL":
        text = f"{day:%d-%m-%Y}"
    elif locale.startswith("de"):
        text = f"{day:%d.%m.%Y}"
    else:
        text = f"{day:%d/%m/%Y}"
    return text.translate(_DATE_NO_BREAK) if unbreakable else text


def phone_number(text: str) -> str:
    """Return a telephone number as a letter prints it: on one line, its spaces no-break spaces
    and its hyphens non-breaking hyphens ("030 - 123 45" / "67" was split in a sentence).

    >>> phone_number("030 - 123 45 67")
    '030\xa0\u2011\xa0123\xa045\xa067'
    """
    return text.translate(_DATE_NO_BREAK)


def long_date(day: date, locale: str = "nl_NL", *, unbreakable: bool = False) -> str:
    """Return ``27 november 2026`` in the reader's language.

    With ``unbreakable`` (a letter, an e-mail), its spaces are no-break spaces (U+00A0).

    >>> long_date(date(2026, 11, 27), unbreakable=True)
    '27\xa0november\xa02026'
    """
    text = format_date(day, format="long", locale=locale)
    return text.translate(_DATE_NO_BREAK) if unbreakable else text
