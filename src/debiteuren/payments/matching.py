"""Match bank statement lines to open invoices: pure, fast, and never guessing.

:func:`match_payments` gives one :class:`Match` per :class:`~debiteuren.payments.StatementLine`.
The rules are tried in this order; the first that finds something decides:

0. **Dubbel.** The line's bank reference was imported before (or occurs earlier in this run).
1. **Structured reference** (a). A valid OGM, RF or betalingskenmerk, in the structured field or
   typed in the text, that we issued for an invoice (its own reference, or one printed on a
   letter). All references found must point to invoices of one customer; otherwise the line is
   "Te controleren".
2. **Invoice number in the text** (b); see :func:`invoice_numbers_in` for the normalisation.
3. **Known payer and an amount we asked for** (c). The payer's IBAN is known for a customer
   (or, without a known IBAN, the payer's name is close to exactly one customer's name, see
   :func:`debiteuren.core.review.names_match`), and exactly one invoice (or one letter) of that
   customer has exactly the amount as its open amount, its unpaid principal, its principal
   plus costs, or the amount a letter asked for.
4. **Known payer and exact total** (d). The amount is exactly the total of a set of 2 to
   :data:`MAX_SUBSET` open invoices among the :data:`SUBSET_POOL` oldest (by due date) of that
   customer, and exactly one such set exists.

A payer's name that is close to the names of two or more customers decides nothing: the line is
"Te controleren" with their invoices as candidates (never a guess between two customers).

A line that matches nothing, or in more than one way (two invoices with the amount, two sets
with the total, references or numbers of different customers), is "Te controleren" with the
candidate invoices; nothing is guessed. A reversal (storno) is always "Te controleren": the
payment it cancels must be undone by the user or the caller; the candidates are the invoices its
references or invoice numbers name. So is a payment in another currency than the euro (the open
amounts are in euro), with the invoices rules (a) and (b) find as candidates.

Matching does not use up open amounts between lines: two lines can match the same invoice (a
double payment is then visible to the user). Open amounts must be positive for rules (c) and
(d); credit notes (negative) take no part in them.

Speed: invoices are indexed once by reference, by normalised invoice number, by the debtor's
IBANs and by amount, so each line costs a few dictionary look-ups and one scan of its text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from debiteuren.core.money import ZERO, Decimal
from debiteuren.core.references import (
    PaymentReference,
    ReferenceKind,
    _trusted,
    compact_kind,
    find_references,
)
from debiteuren.core.references import (
    ReferenceError as PaymentReferenceError,
)
from debiteuren.core.review import NameIndex
from debiteuren.formatting import euro

from .lines import StatementLine, _compact_iban, _parse_reference

__all__ = [
    "MAX_SUBSET",
    "SUBSET_POOL",
    "ClaimedAmount",
    "InvoiceIndex",
    "Match",
    "MatchStatus",
    "OpenInvoice",
    "forget_texts",
    "invoice_number_key",
    "invoice_numbers_in",
    "match_payments",
]

#: Rule (d): the largest number of invoices one payment may settle together.
MAX_SUBSET = 6
#: Rule (d): how many of the customer's oldest open invoices are considered.
SUBSET_POOL = 20
#: How many candidates a "Te controleren" line lists at most.
MAX_CANDIDATES = 10


class MatchStatus(StrEnum):
    """The outcome for one statement line; the value is the Dutch word shown to the user."""

    MATCHED = "Gematcht"
    REVIEW = "Te controleren"
    DUPLICATE = "Dubbel"


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenInvoice:
    """An invoice that can still be paid, as the matcher sees it.

    Attributes:
      number: the invoice number, e.g. ``"2025-017"``.
      debtor: the customer number, e.g. ``"K012"``.
      open_amount: what is still open (positive; a credit note is negative).
      due_date: the due date; rule (d) looks at the oldest invoices first.
      references: the structured references issued for this invoice, in any notation: its own
        and those printed on letters that cover it (a letter's reference may cover several
        invoices).
      debtor_ibans: the IBANs known for the customer, in any notation.
      debtor_name: the customer's name, for the payer's name (rule c without a known IBAN).
      amounts: other amounts that settle the invoice, each with how it is called in a reason,
        e.g. ``(("de hoofdsom", Decimal("1210.00")),)``: the unpaid principal, principal plus
        costs.
      checked: the compact forms of ``references``, when the caller validated them already
        (:class:`~debiteuren.core.references.PaymentReference` values): the index takes them
        as they are instead of reading each reference again (45,000 at 50,000 invoices).
    """

    number: str
    debtor: str
    open_amount: Decimal
    due_date: date
    references: tuple[str, ...] = ()
    debtor_ibans: tuple[str, ...] = ()
    debtor_name: str = ""
    amounts: tuple[tuple[str, Decimal], ...] = ()
    checked: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimedAmount:
    """An amount a letter asked a customer to pay for one or more invoices.

    Attributes:
      debtor: the customer number.
      invoices: the invoice numbers the letter covered (still open).
      amount: the total the letter asked for.
      label: how it is called in a reason, e.g. ``"het bedrag van de herinnering van 01-03-2025"``.
    """

    debtor: str
    invoices: tuple[str, ...]
    amount: Decimal
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    """The outcome for one statement line.

    Attributes:
      line: the statement line.
      status: Gematcht, Te controleren or Dubbel.
      invoices: the invoice numbers the payment is for (Gematcht only).
      debtor: the customer number, when known (also for some "Te controleren" lines).
      reason: why, in Dutch, e.g. ``"factuurnummer 2025-017 in de omschrijving"``.
      candidates: for "Te controleren", the invoice numbers the user should look at.
    """

    line: StatementLine
    status: MatchStatus
    invoices: tuple[str, ...] = ()
    debtor: str = ""
    reason: str = ""
    candidates: tuple[str, ...] = ()


# --- Invoice numbers -------------------------------------------------------------------------

_DIGITS = re.compile(r"[0-9]+")
_LETTERS = re.compile(r"[A-Za-z]+")

#: Separators that may join the digit groups of one invoice number in a text (at most three).
_CHAIN = re.compile(r"[0-9]+(?:[ \-/._]{1,3}[0-9]+)*")
#: A word right before a number that announces an invoice number ("factuur", "fact. nr.").
_KEYWORD = re.compile(
    r"(?<![A-Za-z])(?:factuurnummer|factuurnr|factuur|facturen|fact|fac|fa|fctr|ftr|invoices"
    r"|invoice|inv|factures|facture|rechnung|rg)[\s.:#°-]{0,3}(?:(?:nummer|nr|no|num)[\s.:#°-]{0,3})?$",
    re.IGNORECASE,
)
#: The letters (and up to three separators) right before a number.
_PREFIX = re.compile(r"([A-Za-z]+)[ \-/._#:]{0,3}$")

#: Things in a text that are not invoice numbers: amounts, IBANs, structured references and
#: long digit runs. Their digits are blanked out before numbers are looked for.
_NOT_NUMBERS = re.compile(
    r"(?:€|\bEUR\b|\beuro?\b)\s*-?[0-9][0-9.,]*"  # € 1.234,56 / EUR 12
    r"|[0-9][0-9.]*,[0-9]{2}(?![0-9])"  # 1.234,56 and 12,50
    r"|[0-9][0-9.,]*[.,][0-9]{2}\s*(?:€|\bEUR\b|\beuro?\b)"  # 12.50 EUR
    r"|\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"  # IBAN, RF
    r"|(?:\+{3}|\*{3})[0-9 /]+(?:\+{3}|\*{3})"  # +++123/4567/89002+++
    r"|(?<![0-9])[0-9]{3}/[0-9]{4}/[0-9]{5}(?![0-9])"  # 123/4567/89002
    r"|(?<![0-9])[0-9]{3}-[0-9]{7}-[0-9]{2}(?![0-9])"  # Belgian account 123-4567890-12
    r"|(?<![0-9])[0-9]{4} [0-9]{4} [0-9]{4} [0-9]{4}(?![0-9])"  # betalingskenmerk
    r"|(?<![0-9])[0-9]{12,}(?![0-9])",  # OGM, betalingskenmerk, account numbers
    re.IGNORECASE,
)
#: What each alternative of :data:`_NOT_NUMBERS` needs somewhere in a text, in the same flags:
#: a euro sign or word, a comma, two letters and two digits, +++ or ***, a slash, a hyphen,
#: four digits, a space and a digit, or twelve digits.
_MAY_HOLD_NOT_NUMBERS = re.compile(
    r"€|eur|,|[A-Z]{2}[0-9]{2}|\+{3}|\*{3}|/|-|[0-9]{4} [0-9]|[0-9]{12}", re.IGNORECASE
)


def _not_numbers_blanked(text: str) -> str:
    """Return ``_NOT_NUMBERS.sub(_blank, text)``; a text that holds nothing any of its
    alternatives needs is returned as it is, without trying them at every position
    ("Factuur F019273 dank u")."""
    if _MAY_HOLD_NOT_NUMBERS.search(text) is None:
        return text
    return _NOT_NUMBERS.sub(_blank, text)


#: Dates: 2025-03-01, 01-03-2025, 1/3/25, 01.03.2025 (checked for a valid day and month).
_DATE = re.compile(
    r"(?<![0-9])(?:(?P<y1>[0-9]{4})(?P<s1>[-/.])(?P<m1>[0-9]{1,2})(?P=s1)(?P<d1>[0-9]{1,2})"
    r"|(?P<d2>[0-9]{1,2})(?P<s2>[-/.])(?P<m2>[0-9]{1,2})(?P=s2)(?P<y2>[0-9]{4}|[0-9]{2}))"
    r"(?![0-9])"
)


def _is_date(match: re.Match[str]) -> bool:
    """Return whether a :data:`_DATE` match has a valid month and day."""
    month = int(match.group("m1") or match.group("m2"))
    day = int(match.group("d1") or match.group("d2"))
    return 1 <= month <= 12 and 1 <= day <= 31


def invoice_number_key(number: str) -> tuple[str, str, int] | None:
    """Return the normalised form of an invoice number, used to find it in texts.

    The key is the digit groups without leading zeros, joined by ``-``; letters and separators
    are dropped, but the letters are kept apart so that a one-group number can be recognised by
    its prefix (``INV 1234``).

    Args:
      number: the invoice number, e.g. ``"2025-017"`` or ``"F 2025/00017"``.
    Returns:
      ``(key, letters, groups)``, e.g. ``("2025-17", "", 2)`` or ``("2025-17", "F", 2)``; None
      for a number without digits.

    >>> invoice_number_key("F 2025/00017")
    ('2025-17', 'F', 2)
    """
    groups = _DIGITS.findall(number)
    if not groups:
        return None
    key = "-".join(str(int(group)) for group in groups)
    letters = "".join(_LETTERS.findall(number)).upper()
    return key, letters, len(groups)


def invoice_numbers_in(text: str) -> list[tuple[str, str, int, bool]]:
    """Find what may be invoice numbers in a remittance text, normalised.

    The text is first cleaned: amounts (``€ 1.234,56``, ``12,50``, ``12.50 EUR``), IBANs, RF
    references, OGMs, betalingskenmerken and runs of 12 or more digits are blanked out, as are
    dates (``2025-03-01``, ``01-03-2025``, ``1/3/25``), except that a whole date may still equal
    an invoice number. Then every chain of digit groups joined by up to three of the separators
    space, ``-``, ``/``, ``.`` and ``_`` is read. From a chain ``g1 … gn``:

    * every run of two or more consecutive groups gives a *multi* key (``2025-17`` from
      ``F 2025/00017``: leading zeros do not count); a run of digits written together with at
      least six digits in all also gives a *single* key of those digits (``2025017``);
    * a chain of one group gives a *single* key only when the number cannot be something else:
      it is preceded by a word such as ``factuur``, ``fact``, ``inv`` or ``nr``, or by letters
      (``INV-1234``; the caller checks them against the invoice's letters), or it is the whole
      text. A bare number in a sentence may be an amount, a quantity or a date and is ignored.

    Args:
      text: the remittance text.
    Returns:
      ``(kind, key, letters, announced)`` tuples, ``kind`` ``"multi"`` or ``"single"``;
      ``letters`` are the letters right before a one-group number (upper case) and
      ``announced`` tells whether a keyword or the whole text vouches for it.
    """
    if not _DIGITS.search(text):  # every number and date has a digit
        return []
    cleaned = _not_numbers_blanked(text)
    found: list[tuple[str, str, int, bool]] = []
    dates = [m for m in _DATE.finditer(cleaned) if _is_date(m)]
    for date_match in dates:
        groups = _DIGITS.findall(date_match.group())
        found.append(("multi", "-".join(str(int(g)) for g in groups), "", True))
    if dates:
        cleaned = _DATE.sub(lambda m: _blank(m) if _is_date(m) else m.group(), cleaned)
    whole = cleaned.strip(" .,:;-/#")
    for chain in _CHAIN.finditer(cleaned):
        groups = _DIGITS.findall(chain.group())
        numbers = [str(int(group)) for group in groups]
        count = len(groups)
        for width in range(2, min(count, 5) + 1):
            for start in range(count - width + 1):
                found.append(("multi", "-".join(numbers[start : start + width]), "", False))
                together = "".join(groups[start : start + width])
                if len(together) >= 6:
                    found.append(("single", str(int(together)), "", True))
        if count != 1:
            continue
        before = cleaned[max(0, chain.start() - 24) : chain.start()]
        announced = bool(_KEYWORD.search(before)) or chain.group() == whole
        prefix = _PREFIX.search(before)
        letters = prefix.group(1).upper() if prefix else ""
        if announced or letters:
            found.append(("single", numbers[0], letters, announced))
    return found


@lru_cache(maxsize=1 << 14)
def _numbers_in(text: str) -> tuple[tuple[str, str, int, bool], ...]:
    """Return :func:`invoice_numbers_in` of ``text``, once per text a run meets often (a
    customer who pays each invoice with the same words)."""
    return tuple(invoice_numbers_in(text))


def forget_texts() -> None:
    """Let go of the texts read once per text (:func:`_numbers_in`, :func:`_references_in`):
    a run that is done matching does not keep them through its write-back (peak memory)."""
    _numbers_in.cache_clear()
    _references_in.cache_clear()


def _blank(match: re.Match[str]) -> str:
    """Replace a match by as many ``#`` characters, so that no chain runs through it."""
    return "#" * len(match.group())


# --- The index -------------------------------------------------------------------------------


class InvoiceIndex:
    """The open invoices, indexed for matching; build it once per run.

    Args:
      invoices: the open invoices.
      claimed: amounts letters asked for (rule c).
      closed: gives the invoices that cannot be paid any more (see below).
      reference_kind: the kind of payment reference the creditor's country uses
        (:func:`~debiteuren.core.references.national_kind`), or None: a reason names 12 digits
        that pass both the OGM and the betalingskenmerk check as that kind.
    """

    def __init__(
        self,
        invoices: Iterable[OpenInvoice],
        claimed: Iterable[ClaimedAmount] = (),
        closed: Callable[[], Iterable[tuple[str, str]]] | None = None,
        *,
        reference_kind: ReferenceKind | None = None,
    ) -> None:
        self.reference_kind = reference_kind
        #: gives (number, what it is) of the invoices that cannot be paid any more, e.g.
        #: ``("2025-0012", "al betaald of gecrediteerd")``: a reason to check names them
        self._closed_source = closed
        self._closed: dict[tuple[str, str], list[tuple[str, str]]] | None = None
        self.by_number: dict[str, OpenInvoice] = {}
        self.by_reference: dict[str, list[OpenInvoice]] = defaultdict(list)
        self.by_key: dict[tuple[str, str], list[OpenInvoice]] = defaultdict(list)
        self.by_iban: dict[str, set[str]] = defaultdict(set)
        self.by_debtor: dict[str, list[OpenInvoice]] = defaultdict(list)
        self.by_amount: dict[Decimal, list[OpenInvoice]] = defaultdict(list)
        self.letters: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self._name_index: NameIndex | None = None
        #: (customer, amount) -> [(label, invoices)]: the amounts that settle something.
        self.settles: dict[tuple[str, Decimal], list[tuple[str, tuple[OpenInvoice, ...]]]] = (
            defaultdict(list)
        )
        last: tuple[str, tuple[str, ...]] | None = None
        for invoice in invoices:
            self.by_number[invoice.number] = invoice
            checked = invoice.checked
            if checked is None or len(checked) != len(invoice.references):
                checked = tuple(_parse_reference(r) for r in invoice.references)
            for compact in checked:
                if compact and invoice not in self.by_reference[compact]:
                    self.by_reference[compact].append(invoice)
            normalised = invoice_number_key(invoice.number)
            if normalised is not None:
                key, letters, groups = normalised
                kind = "multi" if groups > 1 else "single"
                self.by_key[(kind, key)].append(invoice)
                self.letters[invoice.number] = letters
            if (invoice.debtor, invoice.debtor_ibans) != last:  # a customer's invoices come
                last = (invoice.debtor, invoice.debtor_ibans)  # together, with one tuple
                for iban in invoice.debtor_ibans:
                    compact_iban = _compact_iban(iban)
                    if compact_iban:
                        self.by_iban[compact_iban].add(invoice.debtor)
            self.by_debtor[invoice.debtor].append(invoice)
            if invoice.debtor_name:
                self.names.setdefault(invoice.debtor, invoice.debtor_name)
            if invoice.open_amount > 0:
                self.by_amount[invoice.open_amount].append(invoice)
                self.settles[(invoice.debtor, invoice.open_amount)].append(
                    ("exact openstaand bedrag", (invoice,))
                )
                for label, amount in invoice.amounts:
                    if amount > 0 and amount != invoice.open_amount:
                        self.settles[(invoice.debtor, amount)].append((label, (invoice,)))
        #: an invoice -> the invoices of the latest letter that lists it, oldest first, when
        #: it is that letter's oldest and all of them are open: the letter prints the
        #: reference of its oldest invoice, and the engine pays the letter's invoices with it
        #: (:func:`debiteuren.core.claim.letter_group`)
        self.letter_groups: dict[str, tuple[OpenInvoice, ...]] = {}
        latest: dict[str, tuple[OpenInvoice, ...]] = {}
        for claim in claimed:
            found = tuple(
                self.by_number[n]
                for n in claim.invoices
                if n in self.by_number and self.by_number[n].debtor == claim.debtor
            )
            if found and claim.amount > 0:
                self.settles[(claim.debtor, claim.amount)].append((claim.label, found))
            whole = len(found) == len(set(claim.invoices))
            group = tuple(sorted(found, key=lambda inv: (inv.due_date, inv.number)))
            for number in claim.invoices:
                latest[number] = group if whole else ()
        for number, group in latest.items():
            if len(group) > 1 and group[0].number == number:
                self.letter_groups[number] = group
        for debtor_invoices in self.by_debtor.values():
            debtor_invoices.sort(key=lambda inv: (inv.due_date, inv.number))

    def names_like(self, name: str) -> list[str]:
        """Return the customers whose names match ``name`` (:func:`~debiteuren.core.review.
        names_match`), sorted; the name index is built on first use."""
        if self._name_index is None:
            self._name_index = NameIndex(self.names)
        return self._name_index.matches(name)

    def closed_named(self, text: str) -> list[tuple[str, str]]:
        """Return (number, what it is) of each invoice that cannot be paid any more (paid,
        credited, a credit note) whose number ``text`` names, as rule (b) reads numbers; the
        index of those numbers is built on first use (only lines to be checked need it)."""
        if self._closed is None:
            self._closed = defaultdict(list)
            for number, what in self._closed_source() if self._closed_source else ():
                normalised = invoice_number_key(number)
                if normalised is not None:
                    key, letters, groups = normalised
                    kind = "multi" if groups > 1 else "single"
                    self._closed[(kind, key)].append((number, what))
                    self.letters.setdefault(number, letters)
        found: list[tuple[str, str]] = []
        for kind, key, letters, announced in _numbers_in(text):
            for number, what in self._closed.get((kind, key), ()):
                if kind == "single" and not announced and letters != self.letters.get(number):
                    continue
                if (number, what) not in found:
                    found.append((number, what))
        return found

    def open_invoices(self, debtor: str) -> list[OpenInvoice]:
        """Return a customer's open invoices with a positive open amount, oldest first."""
        return [inv for inv in self.by_debtor.get(debtor, ()) if inv.open_amount > 0]


# --- Matching --------------------------------------------------------------------------------


def match_payments(
    lines: Sequence[StatementLine],
    invoices: Iterable[OpenInvoice] | InvoiceIndex,
    imported_references: Collection[str] = (),
    claimed: Iterable[ClaimedAmount] = (),
) -> list[Match]:
    """Match statement lines to open invoices.

    Args:
      lines: the statement lines, e.g. from :func:`debiteuren.payments.read_statement`.
      invoices: the open invoices, or an :class:`InvoiceIndex` of them.
      imported_references: the bank references of lines imported before.
      claimed: amounts letters asked for (used when ``invoices`` is not an index yet).
    Returns:
      One :class:`Match` per line, in the same order.
    """
    index = invoices if isinstance(invoices, InvoiceIndex) else InvoiceIndex(invoices, claimed)
    return list(iter_matches(lines, index, imported_references))


def iter_matches(
    lines: Iterable[StatementLine], index: InvoiceIndex, imported_references: Collection[str] = ()
) -> Iterator[Match]:
    """Yield the matches of :func:`match_payments` one by one, as the lines come (a caller that
    keeps only what it makes of each does not hold 100,000 matches at once)."""
    seen = set(imported_references)
    for line in lines:
        if line.bank_reference and line.bank_reference in seen:
            yield Match(
                line=line,
                status=MatchStatus.DUPLICATE,
                reason=f"al eerder ingelezen (bankreferentie {line.bank_reference})",
            )
            continue
        if line.read_before_as and line.read_before_as in seen:  # part of a line read before
            yield Match(
                line=line,
                status=MatchStatus.DUPLICATE,
                reason=f"al eerder ingelezen als één regel (bankreferentie {line.read_before_as})",
            )
            continue
        if line.bank_reference:
            seen.add(line.bank_reference)
        yield match_line(line, index)


def match_line(line: StatementLine, index: InvoiceIndex) -> Match:
    """Match one statement line (no duplicate check); see the module text for the rules.

    Args:
      line: the statement line.
      index: the open invoices.
    Returns:
      The match.
    """
    if line.review:  # the reader could not tell what the line pays (a batch without its details)
        return _review(line, line.review, ())
    debtors = sorted(index.by_iban.get(_compact_iban(line.counterparty_iban), ()))
    iban_debtor = debtors[0] if len(debtors) == 1 else ""
    notes: list[str] = []
    outcome = _by_reference(line, index, notes)
    if outcome is None:
        outcome = _by_number(line, index)
    if line.is_reversal:
        return _reversal(line, outcome, iban_debtor)
    if line.currency.upper() != "EUR":
        return _foreign_currency(line, outcome, iban_debtor)
    named: list[str] = []
    if not debtors and line.counterparty_name:
        named = index.names_like(line.counterparty_name)
        if len(named) > 1 and outcome is None:
            return _many_names(line, index, named)
    if outcome is None and (debtors or named):
        outcome = _by_amount(line, index, debtors or named, by_name=not debtors)
        if outcome is None:
            outcome = _by_total(line, index, debtors or named)
    if outcome is not None:
        return outcome
    return _nothing(line, index, debtors or named, notes)


def _matched(
    line: StatementLine, invoices: Sequence[OpenInvoice], reason: str, *, amount_note: bool
) -> Match:
    one = len(invoices) == 1  # most lines: the same as for several, without the generators
    # Several invoices: oldest due first, whatever order the text named them in. The rows
    # split the payment in this order, and what the customer did not say goes to the oldest
    # due claim first (art. 6:43 lid 2 BW; old art. 1256 BW): a partial payment of
    # "2026-0107 en 2026-0073" pays 2026-0073 first.
    ordered = invoices if one else sorted(invoices, key=lambda inv: (inv.due_date, inv.number))
    numbers = (invoices[0].number,) if one else _unique(inv.number for inv in ordered)
    if amount_note:
        if one:
            open_total = ZERO + invoices[0].open_amount
        else:
            open_total = sum((inv.open_amount for inv in _unique_invoices(invoices)), ZERO)
        if open_total != line.amount:
            reason += f"; betaald {euro(line.amount)}, openstaand {euro(open_total)}"
    return Match(
        line=line,
        status=MatchStatus.MATCHED,
        invoices=numbers,
        debtor=invoices[0].debtor,
        reason=reason,
    )


def _review(
    line: StatementLine, reason: str, candidates: Iterable[OpenInvoice], debtor: str = ""
) -> Match:
    return Match(
        line=line,
        status=MatchStatus.REVIEW,
        debtor=debtor,
        reason=reason,
        candidates=_unique(inv.number for inv in candidates)[:MAX_CANDIDATES],
    )


def _by_reference(line: StatementLine, index: InvoiceIndex, notes: list[str]) -> Match | None:
    """Rule (a): structured references we issued."""
    references: list[str] = []
    if line.structured_reference:
        references.append(line.structured_reference)
    for found in _references_in(line.remittance):
        if found.value not in references:
            references.append(found.value)
    if not references:
        return None
    hits: list[tuple[str, list[OpenInvoice]]] = []
    for reference in references:
        invoices = index.by_reference.get(reference)
        if invoices:
            hits.append((reference, invoices))
        else:
            phrase = _reference_phrase(reference, index.reference_kind)
            notes.append(f"{phrase} hoort bij geen openstaande factuur")
    if not hits:
        return None
    if len(hits) == 1 and len(hits[0][1]) == 1:  # most lines: one reference of one invoice
        reference, (invoice,) = hits[0]
        reason = f"{_indexed_phrase(reference, index.reference_kind)} van factuur {invoice.number}"
        return _matched(line, *_letter_of(line, invoice, index, reason), amount_note=True)
    invoices = [inv for _, found in hits for inv in found]
    debtors = _unique(inv.debtor for inv in invoices)
    kind = index.reference_kind
    phrases = [
        f"{_indexed_phrase(reference, kind)} van {_invoice_phrase(found)}"
        for reference, found in hits
    ]
    if len(debtors) > 1:
        return _review(
            line,
            "; ".join(phrases) + f": facturen van verschillende klanten ({', '.join(debtors)})",
            invoices,
        )
    return _matched(line, invoices, "; ".join(phrases), amount_note=True)


def _letter_of(
    line: StatementLine, invoice: OpenInvoice, index: InvoiceIndex, reason: str
) -> tuple[Sequence[OpenInvoice], str]:
    """Return the invoices a payment naming one invoice pays, and the reason: the invoices of
    the latest letter when the invoice is the letter's oldest (the letter prints its reference)
    and the payment is more than that invoice owes, as the engine pays them
    (:func:`debiteuren.core.claim.letter_group`): the rows then say what Facturen shows.
    Otherwise just the invoice."""
    group = index.letter_groups.get(invoice.number)
    if group is None or line.amount <= invoice.open_amount:
        return (invoice,), reason
    numbers = ", ".join(inv.number for inv in group)
    return group, f"{reason}, het kenmerk van de brief voor facturen {numbers}"


def _by_number(line: StatementLine, index: InvoiceIndex) -> Match | None:
    """Rule (b): invoice numbers in the remittance text."""
    invoices: list[OpenInvoice] = []
    for kind, key, letters, announced in _numbers_in(line.remittance):
        for invoice in index.by_key.get((kind, key), ()):
            if kind == "single" and not announced and not letters:
                continue
            if kind == "single" and not announced and letters != index.letters[invoice.number]:
                continue
            if invoice not in invoices:
                invoices.append(invoice)
    if not invoices:
        return None
    if len(invoices) == 1:  # most lines: one invoice number
        reason = f"factuurnummer {invoices[0].number} in de omschrijving"
        return _matched(line, *_letter_of(line, invoices[0], index, reason), amount_note=True)
    numbers = _unique(inv.number for inv in invoices)
    debtors = _unique(inv.debtor for inv in invoices)
    noun = "factuurnummer" if len(numbers) == 1 else "factuurnummers"
    reason = f"{noun} {', '.join(numbers)} in de omschrijving"
    if len(debtors) > 1:
        return _review(
            line, f"{reason}: facturen van verschillende klanten ({', '.join(debtors)})", invoices
        )
    return _matched(line, invoices, reason, amount_note=True)


def _by_amount(
    line: StatementLine, index: InvoiceIndex, debtors: list[str], *, by_name: bool = False
) -> Match | None:
    """Rule (c): exactly one invoice (or letter) of the payer's customer asks for the amount."""
    options: list[tuple[str, tuple[OpenInvoice, ...]]] = []
    for debtor in debtors:
        for label, invoices in index.settles.get((debtor, line.amount), ()):
            if all(inv.number not in {i.number for _, o in options for i in o} for inv in invoices):
                options.append((label, invoices))
    if not options:
        return None
    if len(options) == 1:
        label, invoices = options[0]
        chosen = sorted(invoices, key=lambda inv: (inv.due_date, inv.number))
        noun = "factuur" if len(chosen) == 1 else "facturen"
        numbers = ", ".join(inv.number for inv in chosen)
        payer = (
            f"naam betaler '{line.counterparty_name}'"
            if by_name
            else f"IBAN {_compact_iban(line.counterparty_iban)}"
        )
        if label == "exact openstaand bedrag" and len(chosen) == 1:
            reason = (
                f"exact openstaand bedrag van de enige passende factuur van klant "
                f"{chosen[0].debtor} ({payer})"
            )
        else:
            reason = f"{label} van {noun} {numbers} van klant {chosen[0].debtor} ({payer})"
        return _matched(line, chosen, reason, amount_note=False)
    candidates = [inv for _, invoices in options for inv in invoices]
    numbers = ", ".join(_unique(inv.number for inv in candidates))
    who = _customer_phrase(debtors, line, by_name=by_name)
    reason = f"bedrag {euro(line.amount)} past bij meerdere facturen van {who}: {numbers}"
    return _review(line, reason, candidates, debtors[0] if len(debtors) == 1 else "")


def _many_names(line: StatementLine, index: InvoiceIndex, debtors: list[str]) -> Match:
    """The payer's name is close to several customers' names: never guess between them."""
    names = ", ".join(f"{d} ({index.names[d]})" for d in debtors)
    candidates = [inv for debtor in debtors for inv in index.open_invoices(debtor)]
    reason = (
        f"de naam van de betaler '{line.counterparty_name}' lijkt op meer dan één klant: "
        f"{names}; kies zelf"
    )
    return _review(line, reason, candidates)


def _by_total(line: StatementLine, index: InvoiceIndex, debtors: list[str]) -> Match | None:
    """Rule (d): exactly one set of the customer's oldest open invoices adds up to the amount."""
    solutions: list[tuple[OpenInvoice, ...]] = []
    for debtor in debtors:
        pool = index.open_invoices(debtor)[:SUBSET_POOL]
        solutions += _subsets_with_total(pool, line.amount, limit=2 - len(solutions))
        if len(solutions) >= 2:
            break
    if not solutions:
        return None
    if len(solutions) == 1:
        chosen = sorted(solutions[0], key=lambda inv: (inv.due_date, inv.number))
        numbers = ", ".join(inv.number for inv in chosen)
        reason = f"exact totaal van facturen {numbers} van klant {chosen[0].debtor}"
        return _matched(line, chosen, reason, amount_note=False)
    candidates = [inv for solution in solutions for inv in solution]
    reason = (
        f"bedrag {euro(line.amount)} is het totaal van meer dan één combinatie van facturen van "
        f"{_customer_phrase(debtors, line)}"
    )
    return _review(line, reason, candidates, debtors[0] if len(debtors) == 1 else "")


def _subsets_with_total(
    pool: Sequence[OpenInvoice], total: Decimal, *, limit: int
) -> list[tuple[OpenInvoice, ...]]:
    """Return up to ``limit`` sets of 2 to MAX_SUBSET invoices whose open amounts add up to total.

    A depth-first search over the amounts in cents, largest first, cut off when the rest cannot
    reach the total any more (amounts are positive). At most C(20, 2) + … + C(20, 6) = 60,439
    sets exist; the cuts make the usual case far cheaper.
    """
    if limit <= 0 or len(pool) < 2:
        return []
    target = int(total * 100)
    if Decimal(target) != total * 100 or target <= 0:
        return []
    items = sorted(
        ((int(inv.open_amount * 100), inv) for inv in pool if inv.open_amount > 0),
        key=lambda item: -item[0],
    )
    cents = [c for c, _ in items]
    chosen = _Search(cents, limit).run(target)
    return [tuple(items[i][1] for i in indices) for indices in chosen]


class _Search:
    """The depth-first search of :func:`_subsets_with_total` over amounts in cents (sorted
    descending): the positions of up to ``limit`` sets. A class rather than a nested function
    that calls itself, which made a reference cycle per search: 5,000 of them, with their
    lists, waited for the cyclic collector."""

    __slots__ = ("cents", "chosen", "count", "found", "limit")

    def __init__(self, cents: list[int], limit: int) -> None:
        self.cents, self.count, self.limit = cents, len(cents), limit
        self.found: list[tuple[int, ...]] = []
        self.chosen: list[int] = []

    def run(self, target: int) -> list[tuple[int, ...]]:
        self.search(0, target)
        return self.found

    def search(self, start: int, remaining: int) -> None:
        found, chosen, cents = self.found, self.chosen, self.cents
        if len(found) >= self.limit:
            return
        if remaining == 0:
            if len(chosen) >= 2:
                found.append(tuple(chosen))
            return
        if len(chosen) >= MAX_SUBSET:
            return
        slots = MAX_SUBSET - len(chosen)
        for i in range(start, self.count):
            amount = cents[i]
            if amount > remaining:
                continue
            # The largest reachable with the slots left, starting at i (sorted descending).
            if sum(cents[i : i + slots]) < remaining:
                return
            chosen.append(i)
            self.search(i + 1, remaining - amount)
            chosen.pop()
            if len(found) >= self.limit:
                return


def _reversal(line: StatementLine, outcome: Match | None, iban_debtor: str) -> Match:
    """A reversal (storno): always for the user to check, with what rules (a) and (b) found."""
    reason = (
        f"terugboeking (storno) van {euro(line.amount)}: een eerdere betaling is teruggedraaid; "
        "boek die betaling terug"
    )
    if outcome is None:
        return _review(line, reason, (), iban_debtor)
    numbers = outcome.invoices or outcome.candidates
    if outcome.reason:
        reason += f" ({outcome.reason})"
    return Match(
        line=line,
        status=MatchStatus.REVIEW,
        debtor=outcome.debtor or iban_debtor,
        reason=reason,
        candidates=numbers[:MAX_CANDIDATES],
    )


def _foreign_currency(line: StatementLine, outcome: Match | None, iban_debtor: str) -> Match:
    """A payment in another currency than the euro: the amounts cannot be compared."""
    reason = f"betaling in {line.currency}, niet in euro: controleer het bedrag na omrekening"
    if outcome is None:
        return _review(line, reason, (), iban_debtor)
    return Match(
        line=line,
        status=MatchStatus.REVIEW,
        debtor=outcome.debtor or iban_debtor,
        reason=f"{reason} ({outcome.reason})",
        candidates=(outcome.invoices or outcome.candidates)[:MAX_CANDIDATES],
    )


def _nothing(
    line: StatementLine, index: InvoiceIndex, debtors: list[str], notes: list[str]
) -> Match:
    """No rule matched: say why, and list the invoices the user may want to look at."""
    if debtors:
        candidates = [inv for debtor in debtors for inv in index.open_invoices(debtor)]
        reason = (
            f"geen factuur of combinatie van facturen van {_customer_phrase(debtors, line)} "
            f"met een openstaand bedrag van {euro(line.amount)}"
        )
        debtor = debtors[0] if len(debtors) == 1 else ""
    else:
        candidates = index.by_amount.get(line.amount, [])
        reason = "geen bekend kenmerk, factuurnummer of IBAN"
        if candidates:
            reason += f"; het bedrag {euro(line.amount)} is wel het openstaande bedrag van "
            reason += ", ".join(
                f"factuur {inv.number} (klant {inv.debtor})" for inv in candidates[:3]
            )
            if len(candidates) > 3:
                reason += f" en {len(candidates) - 3} andere"
        debtor = ""
    notes += [
        f"factuur {number} in de omschrijving {what}"
        for number, what in index.closed_named(line.remittance)
    ]
    if notes:
        reason = "; ".join([*notes, reason])
    return _review(line, reason, candidates, debtor)


# --- Phrases ---------------------------------------------------------------------------------


#: How each kind of reference is called in a reason.
_NOUNS = {
    ReferenceKind.RF: "RF-kenmerk",
    ReferenceKind.OGM: "gestructureerde mededeling",
    ReferenceKind.NL: "betalingskenmerk",
}


@lru_cache(maxsize=1 << 16)
def _reference_phrase(reference: str, kind: ReferenceKind | None = None) -> str:
    """Return e.g. ``gestructureerde mededeling +++123/4567/89002+++`` for a compact reference.

    Its kind is :func:`~debiteuren.core.references.compact_kind`'s: 12 digits that pass both
    the OGM and the betalingskenmerk check are named as ``kind`` says (the creditor's country's,
    :attr:`InvoiceIndex.reference_kind`), an OGM when it is not NL.
    """
    chosen = compact_kind(reference, kind)
    try:
        shown = PaymentReference(kind=chosen, value=reference).display
    except PaymentReferenceError:  # not valid as that kind: show it as it is
        shown = reference
    return f"{_NOUNS[chosen]} {shown}"


def _indexed_phrase(reference: str, kind: ReferenceKind | None = None) -> str:
    """Return :func:`_reference_phrase` of a reference an index holds: the compact form of a
    valid reference (checked by the caller, :attr:`OpenInvoice.checked`, or read by
    ``_parse_reference``), whose kind :func:`~debiteuren.core.references.compact_kind` tells
    without python-stdnum (35,000 lines paid by reference; issue 17)."""
    chosen = compact_kind(reference, kind)
    return f"{_NOUNS[chosen]} {_trusted(chosen, reference).display}"


#: Two ASCII digits in a row: every structured reference has them (its check digits).
_TWO_DIGITS = re.compile(r"[0-9]{2}")


@lru_cache(maxsize=1 << 14)
def _references_in(text: str) -> tuple[PaymentReference, ...]:
    """Return :func:`find_references` of ``text``, once per text a run meets often; a text
    without two digits in a row has none ('Betaling openstaande post')."""
    return tuple(find_references(text)) if _TWO_DIGITS.search(text) else ()


def _invoice_phrase(invoices: Sequence[OpenInvoice]) -> str:
    numbers = _unique(inv.number for inv in invoices)
    if len(numbers) == 1:
        return f"factuur {numbers[0]}"
    return f"facturen {', '.join(numbers)}"


def _customer_phrase(debtors: Sequence[str], line: StatementLine, *, by_name: bool = False) -> str:
    iban = _compact_iban(line.counterparty_iban)
    payer = f"naam betaler '{line.counterparty_name}'" if by_name or not iban else f"IBAN {iban}"
    if len(debtors) == 1:
        return f"klant {debtors[0]} ({payer})"
    return f"de klanten {', '.join(debtors)} ({payer})"


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _unique_invoices(invoices: Iterable[OpenInvoice]) -> list[OpenInvoice]:
    seen: dict[str, OpenInvoice] = {}
    for invoice in invoices:
        seen.setdefault(invoice.number, invoice)
    return list(seen.values())
