"""The line with postcode and place on an envelope, as the customer's country writes it.

Most countries write the postcode before the place on one line (``3451 BC  Utrecht``,
``10115 Berlin``, ``75008 Paris``), and so does this module unless the country is listed here.
The Universal Postal Union's address formats ("Postal addressing systems in member countries",
upu.int) put the postcode after the place in some countries: on a line of its own under the
post town in the United Kingdom, the Channel Islands, the Isle of Man and Ireland (Eircode), and
after the place on the same line in the United States, Canada, Australia and New Zealand, and
in Latvia (``Rīga, LV-1050``). The country name itself is the letter's (``klant.land``).
"""

from __future__ import annotations

__all__ = ["locality_line"]

#: Countries where the postcode stands on its own line, under the place.
_OWN_LINE = frozenset({"GB", "GG", "JE", "IM", "IE"})
#: Countries where the postcode follows the place on the same line, with this separator.
_AFTER = {"US": " ", "CA": " ", "AU": " ", "NZ": " ", "LV": ", "}


def locality_line(postcode: str, city: str, country: str) -> str:
    """Return the postcode and place as the address's last line before the country.

    A line break (``\\n``) separates them where the postcode has a line of its own.

    >>> locality_line("3451 BC", "Utrecht", "NL"), locality_line("SW1A 1AA", "London", "GB")
    ('3451 BC  Utrecht', 'London\\nSW1A 1AA')
    >>> locality_line("LV-1050", "Rīga", "LV"), locality_line("", "Paris", "FR")
    ('Rīga, LV-1050', 'Paris')
    """
    postcode, city = " ".join(postcode.split()), " ".join(city.split())
    if not postcode or not city:
        return postcode or city
    country = str(country).upper()
    if country in _OWN_LINE:
        return f"{city}\n{postcode}"
    if country in _AFTER:
        return f"{city}{_AFTER[country]}{postcode}"
    return f"{postcode}  {city}"
