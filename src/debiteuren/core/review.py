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
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from debiteuren.core.model import Debtor
from debiteuren.core.money import Decimal

__all__ = [
    "NAME_THRESHOLD",
    "NameIndex",
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


class NameIndex:
    """Many names, searched for the ones that :func:`names_match` a given name.

    Gives exactly what ``sorted(k for k, n in names.items() if names_match(name, n))`` gives,
    without comparing every pair with :class:`difflib.SequenceMatcher` (a bank statement of
    100,000 lines against 5,000 customers would take hours). Each name is normalised once.
    ``SequenceMatcher.ratio`` is ``2 * M / (len(a) + len(b))`` where ``M`` counts characters of
    matching blocks, which form a common subsequence; so a name can only match when enough of
    its characters (counted with their repeats) are also in the other. Candidates are found
    through an index of those characters (prefix filtering: a name that has enough in common
    shares at least one of the given name's rarest characters), then ruled out by three upper
    bounds of the ratio (lengths, characters in common, the longest common subsequence of the
    names as written and with their words sorted) before the real comparison. None of these
    steps can drop a name that matches. Answers are kept per normalised name.

    Args:
      names: key (e.g. the customer number) -> name.
      threshold: as :func:`names_match`.
    """

    def __init__(self, names: Mapping[str, str], threshold: float = NAME_THRESHOLD) -> None:
        self.threshold = threshold
        self._entries: list[tuple[str, str, str, int, dict[str, int], dict[str, int]]] = []
        self._postings: dict[tuple[str, int], list[int]] = {}
        self._lengths: set[int] = set()
        for key, name in names.items():
            b = normalize_name(name)
            if not b:
                continue
            sb = " ".join(sorted(b.split()))
            for token in _tokens(b):
                self._postings.setdefault(token, []).append(len(self._entries))
            self._entries.append((key, b, sb, _char_bits(b), _positions(b), _positions(sb)))
            self._lengths.add(len(b))
        self._found: dict[str, list[str]] = {}

    def matches(self, name: str) -> list[str]:
        """Return the keys whose names match ``name``, sorted."""
        a = normalize_name(name)
        if not a:
            return []
        found = self._found.get(a)
        if found is None:
            found = self._found[a] = sorted(self._search(a))
        return found

    def _needed(self, la: int, lb: int) -> int:
        """The fewest characters in common for a ratio at or above the threshold."""
        total = la + lb
        for common in range(min(la, lb) + 1):
            if 2.0 * common / total >= self.threshold:
                return common
        return la + 1  # cannot match

    def _search(self, a: str) -> Iterator[str]:
        t = self.threshold
        la = len(a)
        needed = min((self._needed(la, lb) for lb in self._lengths), default=la + 1)
        if needed > la:
            return
        tokens = sorted(_tokens(a), key=lambda token: len(self._postings.get(token, ())))
        candidates: set[int] = set()
        for token in tokens[: la - needed + 1]:
            candidates.update(self._postings.get(token, ()))
        sa = " ".join(sorted(a.split()))
        bits_a = _char_bits(a)
        for i in candidates:
            key, b, sb, bits_b, positions_b, positions_sb = self._entries[i]
            if a == b:
                yield key
                continue
            lb = len(b)
            total = la + lb
            if 2.0 * min(la, lb) / total < t:
                continue
            if bits_a >= 0 and bits_b >= 0 and 2.0 * (bits_a & bits_b).bit_count() / total < t:
                continue
            common = max(_lcs(a, positions_b, lb), _lcs(sa, positions_sb, lb))
            if 2.0 * common / total < t:
                continue
            if max(SequenceMatcher(None, a, b).ratio(), SequenceMatcher(None, sa, sb).ratio()) >= t:
                yield key


def _tokens(text: str) -> list[tuple[str, int]]:
    """Return the characters of ``text`` with their repeat number (``a`` 0, the next ``a`` 1)."""
    seen: dict[str, int] = {}
    out = []
    for ch in text:
        n = seen.get(ch, 0)
        seen[ch] = n + 1
        out.append((ch, n))
    return out


#: Characters of a normalised name, each with room for this many repeats in :func:`_char_bits`.
_REPEATS = 8


def _char_bits(text: str) -> int:
    """Return the characters of ``text`` with their repeats as a bit set (the n-th ``a`` is one
    bit), so that the size of the intersection of two is the number of characters in common;
    -1 when a character repeats more than :data:`_REPEATS` times (no bound then)."""
    bits = 0
    seen: dict[str, int] = {}
    for ch in text:
        n = seen.get(ch, 0)
        if n >= _REPEATS:
            return -1
        seen[ch] = n + 1
        bits |= 1 << (ord(ch) * _REPEATS + n)
    return bits


def _positions(text: str) -> dict[str, int]:
    """Return character -> the bit set of its positions in ``text`` (for :func:`_lcs`)."""
    out: dict[str, int] = {}
    for i, ch in enumerate(text):
        out[ch] = out.get(ch, 0) | (1 << i)
    return out


def _lcs(a: str, positions_b: dict[str, int], lb: int) -> int:
    """Return the length of the longest common subsequence of ``a`` and a text ``b`` of length
    ``lb`` given by its :func:`_positions` (Hyyrö's bit-parallel algorithm)."""
    full = (1 << lb) - 1
    v = full
    for ch in a:
        u = v & positions_b.get(ch, 0)
        v = ((v + u) | (v - u)) & full
    return lb - v.bit_count()


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
