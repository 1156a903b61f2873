"""The address on an envelope: the postcode and place as the customer's country writes them,
and the block of lines behind the window.

Most countries write the postcode before the place on one line (``3451 BC  Utrecht``,
``10115 Berlin``, ``75008 Paris``), and so does this module unless the country is listed here.
The Universal Postal Union's address formats ("Postal addressing systems in member countries",
upu.int) put the postcode after the place in some countries: on a line of its own under the
post town in the United Kingdom, the Channel Islands, the Isle of Man and Ireland (Eircode), and
after the place on the same line in the United States, Canada, Australia and New Zealand, and
in Latvia (``Rīga, LV-1050``). The country name itself is the letter's (``klant.land``).

The address block behind the envelope's window (:func:`address_block`) follows PostNL's and
bpost's addressing rules: at most :data:`MAX_LINES` lines, the postcode and place on the last
line (the last but one for a letter abroad), the country in capitals on the last line; nothing
may disappear under the window's edge. A line longer than :data:`LINE_WIDTH` characters wraps
between words (bpost abbreviates only from 40 characters a line, and names never), so the
block's height is known before the letter is made. Sources:

* PostNL, "Addressing tips" (postnl.nl/en/sending/sending-a-parcel/addressing-tips): 3 to 6
  address lines, postcode and place separated by two spaces, a sans-serif font of 10 to 12 pt.
* bpost, "Juiste plaats van het adres" (bpost.be/nl/adressering-adres-positionering): no part
  of the address may disappear under the window; "Het adres volgens de wet" (KB of 24 April
  2014, art. 34): for abroad, the country in full on the last line.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

__all__ = ["LINE_WIDTH", "MAX_LINES", "AddressBlock", "address_block", "locality_line"]

#: The most lines of an address (PostNL: 3 to 6 address lines).
MAX_LINES = 6
#: The most characters of a line of the block. 10-point Calibri takes about 1.4 mm a character
#: of ordinary text, so 50 take some 70 mm of the window cell's 81 mm. A line of capitals is
#: wider and may wrap once more in Word; the cell has room for two lines more than six below the
#: return address, so the postcode and the country still show in the window.
LINE_WIDTH = 50
#: The words before the contact person, per letter language (as in the letter templates).
ATTENTION = {"nl": "t.a.v.", "fr": "À l'attention de", "en": "Attn.", "de": "z. Hd."}

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


@dataclass(frozen=True, slots=True)
class AddressBlock:
    """The lines of an address block, and whether they fit in the window.

    Attributes:
      lines: the lines, top to bottom (the country last, in capitals, for a letter abroad).
      too_long: "" when the block fits in :data:`MAX_LINES` lines; else the part that takes the
        most lines: ``name``, ``contact`` or ``address`` (the user's cell to shorten).
      parts: the lines each of those parts takes (``{"name": 2, "contact": 1, "address": 1}``).
    """

    lines: tuple[str, ...]
    too_long: str
    parts: dict[str, int]

    @property
    def text(self) -> str:
        """Return the lines as one text, a line break between two lines (for a template)."""
        return "\n".join(self.lines)


def address_block(
    name: str,
    contact: str,
    street: str,
    locality: str,
    country: str = "",
    *,
    language: str = "nl",
) -> AddressBlock:
    """Return the address block for the window: each cell's lines (Alt+Enter) on lines of
    their own where the block has room, else joined with a comma, and long lines wrapped.

    Args:
      name: the addressee's name (Klanten: Naam), perhaps on several lines.
      contact: the contact person or department, or "" (t.a.v. in the letter's language).
      street: street and number or PO box, perhaps with more lines (a building, a floor).
      locality: the postcode and place as :func:`locality_line` writes them.
      country: the country's name for a letter abroad, or "".
      language: the letter's language (``nl``, ``fr``, ``en``, ``de``).
    Returns:
      The block; ``too_long`` says which part to shorten when it needs more than
      :data:`MAX_LINES` lines even with every cell on as few lines as it can take.

    >>> block = address_block("P. de Vries\\nJ. de Vries", "", "Laan 4", "3571 AB  Utrecht")
    >>> block.lines, block.too_long
    (('P. de Vries', 'J. de Vries', 'Laan 4', '3571 AB  Utrecht'), '')
    >>> address_block("Van Dam\\nInkoop", "K. van Dam", "Weg 7\\nC\\nBus 2", "2712 LB  Delft").lines
    ('Van Dam', 'Inkoop', 't.a.v. K. van Dam', 'Weg 7, C, Bus 2', '2712 LB  Delft')
    """
    cells = {
        "name": _cell_lines(name),
        "contact": _cell_lines(contact),
        "address": _cell_lines(street),
    }
    if cells["contact"]:
        cells["contact"][0] = f"{ATTENTION.get(language, ATTENTION['nl'])} {cells['contact'][0]}"
    # the postcode and place as written (two spaces between them), on one or two lines
    tail = [line for line in locality.split("\n") if line.strip()]
    tail += [country.upper()] if country.strip() else []
    wrapped = {key: _wrapped(lines) for key, lines in cells.items()}
    for key in ("address", "contact", "name"):  # join a cell's lines only while needed
        if sum(map(len, wrapped.values())) + len(tail) <= MAX_LINES:
            break
        wrapped[key] = _wrapped(_joined(cells[key]))
    parts = {key: len(lines) for key, lines in wrapped.items()}
    fits = sum(parts.values()) + len(tail) <= MAX_LINES
    too_long = "" if fits else max(parts, key=lambda key: (parts[key], key == "address"))
    lines = tuple(line for key in ("name", "contact", "address") for line in wrapped[key])
    return AddressBlock(lines=lines + tuple(tail), too_long=too_long, parts=parts)


def _cell_lines(text: str) -> list[str]:
    """Return the non-empty lines of a cell (Alt+Enter), each with its spaces collapsed."""
    return [" ".join(line.split()) for line in str(text).splitlines() if line.strip()]


def _joined(lines: list[str]) -> list[str]:
    """Return ``lines`` joined with ", " into as few lines of :data:`LINE_WIDTH` as they fill."""
    out: list[str] = []
    for line in lines:
        if out and len(out[-1]) + 2 + len(line) <= LINE_WIDTH:
            out[-1] = f"{out[-1].rstrip(',')}, {line}"
        else:
            out.append(line)
    return out


def _wrapped(lines: list[str]) -> list[str]:
    """Return ``lines`` with each line longer than :data:`LINE_WIDTH` wrapped between words."""
    out: list[str] = []
    for line in lines:
        out += (
            textwrap.wrap(line, LINE_WIDTH, break_on_hyphens=False)
            if len(line) > LINE_WIDTH
            else [line]
        )
    return out
