"""Money received that is not yet linked to an invoice: who it may belong to.

A payment on the Betalingen sheet with the status "Te controleren" is money that reached the
bank but that debiteuren could not link to an invoice with certainty. Such money is never
invisible: every command lists it, and no letter or phone call goes to a customer who may have
paid with it until the user has looked (:func:`payments_awaiting_review`).

A payment *may be* a customer's when anything links it to them: the customer number filled in
on the row, a candidate invoice of theirs, the payer's IBAN known for them, the payer's name
close to theirs (:func:`names_match`), or an amount equal to one of their open amounts.

Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from debiteuren.core.model import Debtor
from debiteuren.core.money import Decimal

__all__ = [
    "NAME_THRESHOLD",
    "PaymentToReview",
    "name_similarity",
    "names_match",
    "normalize_name",
    "payments_awaiting_review",
]

#: Two names match when their similarity (0 to 1, :func:`name_similarity`) is at least this.
NAME_THRESHOLD = 0.85

#: Legal forms and filler words left out before names are compared.
_NOISE = frozenset(
    [
        "bv",
        "nv",
        "vof",
        "cv",
        "bvba",
        "sprl",
        "srl",
        "sa",
        "gmbh",
        "ltd",
        "inc",
        "eenmanszaak",
        "en",
        "of",
        "de",
        "het",
        "van",
        "der",
        "den",
        "the",
        "fa",
        "firma",
        "hr",
        "mw",
        "dhr",
        "mevr",
        "mr",
        "mrs",
    ]
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentToReview:
    """A received payment not yet linked to an invoice (status "Te controleren").

    Attributes:
      row: the Excel row on Betalingen.
      on: the booking date, when readable.
      amount: the amount in euro, or None when the row has none (a payment in another
        currency whose euro amount the user has to fill in).
      text: the Mededeling, e.g. ``"USD 120,00: ..."`` for a foreign-currency payment.
      debtor: the Klantnr on the row, or "".
      payer_name: the payer's name from the statement, or "".
      payer_iban: the payer's IBAN (compact), or "".
      candidates: the invoice numbers listed as candidates.
      reason: why the payment is under review.
    """

    row: int
    on: date | None
    amount: Decimal | None
    text: str = ""
    debtor: str = ""
    payer_name: str = ""
    payer_iban: str = ""
    candidates: tuple[str, ...] = ()
    reason: str = ""


def normalize_name(name: str) -> str:
    """Return a name for comparison: no accents, lower case, no legal forms or punctuation.

    >>> normalize_name("Bakkerij De Korenschoof B.V.")
    'bakkerij korenschoof'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"(?<=\b[a-z])\.(?=[a-z]\b)", "", text)  # b.v. -> bv
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(word for word in words if word not in _NOISE)


def name_similarity(first: str, second: str) -> float:
    """Return how alike two names are, from 0 (nothing in common) to 1 (the same).

    The normalised names (:func:`normalize_name`) are compared as written and with their
    words sorted (``"Jansen Piet"`` and ``"Piet Jansen"`` are the same); a name whose words
    all occur in the other (``"Jansen"`` in ``"Installatiebedrijf Jansen"``) does not count as
    the same, as one word is too little to go on.
    """
    a, b = normalize_name(first), normalize_name(second)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    sorted_a, sorted_b = " ".join(sorted(a.split())), " ".join(sorted(b.split()))
    return max(
        SequenceMatcher(None, a, b).ratio(),
        SequenceMatcher(None, sorted_a, sorted_b).ratio(),
    )


def names_match(first: str, second: str, threshold: float = NAME_THRESHOLD) -> bool:
    """Return whether two names are alike enough to be the same customer."""
    return name_similarity(first, second) >= threshold


def payments_awaiting_review(
    debtor: Debtor,
    payments: Iterable[PaymentToReview],
    *,
    invoices: Collection[str] = (),
    ibans: Collection[str] = (),
    amounts: Collection[Decimal] = (),
) -> list[PaymentToReview]:
    """Return the unreviewed payments that may be ``debtor``'s.

    Args:
      debtor: the customer.
      payments: every payment under review.
      invoices: the customer's invoice numbers (a candidate among them links the payment).
      ibans: IBANs known for the customer besides ``debtor.ibans`` (earlier payments).
      amounts: the customer's open amounts (per invoice and in total) at the date.
    Returns:
      The payments, in the order given.
    """
    own_ibans = {_compact(i) for i in (*debtor.ibans, *ibans) if i}
    numbers = set(invoices)
    wanted = set(amounts)
    found = []
    for payment in payments:
        if payment.debtor:
            if payment.debtor.casefold() == debtor.number.casefold():
                found.append(payment)
            continue  # the user named another customer
        if (
            numbers.intersection(payment.candidates)
            or (payment.payer_iban and _compact(payment.payer_iban) in own_ibans)
            or (payment.payer_name and names_match(payment.payer_name, debtor.name))
            or (payment.amount is not None and payment.amount in wanted)
        ):
            found.append(payment)
    return found


def _compact(iban: str) -> str:
    return "".join(iban.split()).upper()
