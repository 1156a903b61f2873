"""Does a customer's address fit in the envelope's window? The Dutch sentence when it does not.

The block is built as the letter prints it (:func:`debiteuren.letters.context.customer_address`,
at most six lines: PostNL and bpost). A letter by post whose block needs more is not made:
the post may return it, and a term counts from receipt. The sentence names the Klanten cell
to shorten (row and column), the way a problem in the workbook is named.
"""

from __future__ import annotations

from ..core.model import Creditor, Debtor
from ..errors import CellRef, DebiteurenError
from ..letters.address import LINE_WIDTH, MAX_LINES
from ..letters.context import customer_address
from ..untrusted import normalize_code
from ..workbook import schema
from .pipeline import LoadedBook

__all__ = [
    "MissingDetails",
    "address_problem",
    "missing_address",
    "missing_details",
    "window_problem",
]

#: The creditor's details every letter prints (Instellingen): the sender's address, the
#: registration number (NL: art. 27 Handelsregisterwet 2007; BE: art. III.25 WER) and the
#: account the customer is asked to pay to; and one way to reach the creditor.
_LETTER_DETAILS = ("address", "postcode", "city", "registration", "iban")
_CONTACT = ("email", "phone")

#: What to do with each part of the block that is too long.
_ADVICE = {
    "name": "een kortere naam of minder regels (Alt+Enter)",
    "contact": "een kortere contactpersoon of afdeling, of laat die leeg",
    "address": "minder regels (Alt+Enter) of een kortere regel",
}


def window_problem(loaded: LoadedBook, debtor: Debtor, creditor: Creditor, lang: str) -> str:
    """Return why ``debtor``'s address does not fit in the window of a letter in ``lang``, as
    a Dutch phrase naming the Klanten cell to shorten; "" when it fits.

    Args:
      loaded: the book (for the Klanten row of the customer).
      debtor: the customer.
      creditor: the user's business (whether the customer is abroad).
      lang: the letter's language.
    Returns:
      The phrase, or "".
    """
    block = customer_address(debtor, creditor, lang)
    if not block.too_long:
        return ""
    column = schema.KLANTEN.column(block.too_long).header
    row = _klanten_row(loaded, debtor.number)
    where = CellRef(sheet=schema.KLANTEN.name, row=row, column=column)
    return (
        f"het adres past niet in het venster van de envelop: het neemt {len(block.lines)} "
        f"regels en PostNL en bpost nemen er hoogstens {MAX_LINES}, ook met de regels van "
        f"een cel achter elkaar en {LINE_WIDTH} tekens per regel. Maak {where} korter "
        f"({block.parts[block.too_long]} regels in het adres): {_ADVICE[block.too_long]}"
    )


def address_problem(loaded: LoadedBook, debtor: Debtor, lang: str, *, post: bool) -> str:
    """Return why a letter in ``lang`` to ``debtor`` has an address the post cannot deliver,
    as a Dutch phrase naming the Klanten cell; "" when there is none. By post (``post``) the
    address must be there (:func:`missing_address`) and fit in the window
    (:func:`window_problem`); by e-mail only the fit matters, once the letter is printed."""
    missing = missing_address(loaded, debtor) if post else ""
    return missing or window_problem(loaded, debtor, loaded.data.creditor, lang)


def missing_address(loaded: LoadedBook, debtor: Debtor) -> str:
    """Return why a letter by post to ``debtor`` cannot be delivered for want of an address, as
    a Dutch phrase naming the empty Klanten cell; "" when the address has a street and a
    postcode or place (PostNL and bpost: at least the name, the street and the postcode with
    the place)."""
    if not debtor.address.strip():
        empty = "address"
    elif not (debtor.postcode.strip() or debtor.city.strip()):
        empty = "city"
    else:
        return ""
    column = schema.KLANTEN.column(empty).header
    where = CellRef(
        sheet=schema.KLANTEN.name, row=_klanten_row(loaded, debtor.number), column=column
    )
    return (
        f"{where} is leeg: een brief per post komt zonder straat en postcode of plaats niet "
        "aan, en een termijn telt pas vanaf de ontvangst. Vul het adres in"
    )


def _klanten_row(loaded: LoadedBook, number: str) -> int | None:
    """Return the Excel row of customer ``number`` on Klanten, or None when not found."""
    table = loaded.tables.get(schema.KLANTEN.name)
    if table is None:
        return None
    position = schema.match_headers(schema.KLANTEN, table.headers).index.get("number")
    if position is None:
        return None
    for offset, values in enumerate(table.rows):
        value = values[position] if position < len(values) else None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value is not None and normalize_code(str(value)) == number:
            return table.first_row + offset
    return None


class MissingDetails(DebiteurenError):
    """Letters would go out without details of the user's business they print."""

    def __init__(self, places: list[str]) -> None:
        what = f"gegevens van uw bedrijf die op elke brief staan: {'; '.join(places)}"
        #: The warning of a preview (``--proef``), which makes nothing either way.
        self.preview = f"de brieven missen {what}; zonder die gegevens worden ze niet gemaakt"
        super().__init__(
            f"De brieven missen {what}. Vul ze in en probeer het opnieuw; er is niets gemaakt "
            "of gewijzigd."
        )


def missing_details(loaded: LoadedBook) -> list[str]:
    """Return the Instellingen cells a letter prints that are empty, each as ``Instellingen,
    rij 9, Waarde (IBAN)``; the e-mail address and the phone number as one place (either
    will do). Empty when the letters have what they print: an address, a KvK/KBO number, an
    IBAN and a way to reach the business."""
    creditor = loaded.data.creditor
    places = [_setting_place(loaded, f) for f in _LETTER_DETAILS if not _filled(creditor, f)]
    if not any(_filled(creditor, f) for f in _CONTACT):
        places.append(" of ".join(_setting_place(loaded, f) for f in _CONTACT))
    return places


def _filled(creditor: Creditor, field: str) -> bool:
    return bool(str(getattr(creditor, field) or "").strip())


def _setting_place(loaded: LoadedBook, field: str) -> str:
    """Return the Instellingen cell of the business detail ``field``, with its label."""
    setting = next(
        s for s in schema.SETTINGS if s.target is schema.SettingTarget.CREDITOR and s.field == field
    )
    label = setting.label
    table = loaded.tables.get(schema.INSTELLINGEN.name)
    sheet = table.sheet if table is not None else schema.INSTELLINGEN.name
    position = None
    if table is not None:
        position = schema.match_headers(schema.INSTELLINGEN, table.headers).index.get("label")
    for offset, values in enumerate(table.rows if position is not None else ()):
        value = values[position] if position < len(values) else None
        if schema.setting_by_label(value) is setting:
            where = CellRef(sheet=sheet, row=table.first_row + offset, column="Waarde")
            return f"{where} ({label})"
    return f"{sheet} ({label}: voeg een rij {label} toe)"
