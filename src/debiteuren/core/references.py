"""Payment references: the Dutch betalingskenmerk, the Belgian OGM/VCS and the ISO 11649 RF.

A payment reference lets a bank payment be matched back to its invoice. Three kinds are made,
checked, printed and found in remittance text here (``shared/domain/payments.md`` §1–§3):

* **Betalingskenmerk** (NL): 16 digits, a check digit followed by 15 digits; also 7 digits (no
  check) and 9–14 digits (check digit, length code, digits). Weighted modulus 11 with weights
  2, 4, 8, 5, 10, 9, 7, 3, 6, 1 from the right; a check of 10 becomes 1 and 11 becomes 0.
  Source: Betaalvereniging, "Specificaties betalingskenmerk"; wiki.xmldation.com
  "Betalinskenmerk". python-stdnum has no module for it, so it is computed here.
* **Gestructureerde mededeling** (BE, OGM/VCS): a 10-digit base and 2 check digits, base mod 97
  with 0 → 97; printed ``+++123/4567/89002+++``. Source: Febelfin banking standards for online
  banking (2023), through :mod:`stdnum.be.ogm_vcs`.
* **RF creditor reference** (ISO 11649): ``RF``, 2 check digits (ISO 7064 mod 97-10) and 1–21
  letters or digits; printed in groups of four. Source: ISO 11649, through
  :mod:`stdnum.iso11649`.

Note on the betalingskenmerk: because both 10 and 1 become check digit 1, two references whose
weighted sums are 1 and 10 mod 11 share a check digit. A single changed digit is therefore
caught unless the sum moves between those two remainders (``1000000000000006`` and
``1000000000000005`` are both valid). The OGM and the RF catch every single changed digit.

>>> nl_payment_reference("56789012345")
'5000056789012345'
>>> ogm_reference("F-1234567890")
'123456789002'
>>> rf_reference("inv-2026-042")
'RF67INV2026042'
>>> reference_for("2026-042", "BE").display
'+++000/2026/04203+++'
>>> [r.display for r in find_references("Betaling fact. +++123/4567/89002+++ dank u")]
['+++123/4567/89002+++']
"""

from __future__ import annotations

import contextlib
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from stdnum import exceptions as stdnum_exceptions
from stdnum import iban as stdnum_iban
from stdnum import iso11649
from stdnum.be import ogm_vcs
from stdnum.iso7064 import mod_97_10

from debiteuren.errors import DebiteurenError
from debiteuren.untrusted import quoted_value

from . import rules
from .model import Creditor, Debtor, Invoice, ReferenceKind

__all__ = [
    "DuplicateReference",
    "InvalidReference",
    "PaymentReference",
    "ReferenceError",
    "ReferenceKind",
    "UnusableInvoiceNumber",
    "book_references",
    "compact_kind",
    "find_references",
    "format_nl_payment_reference",
    "format_ogm",
    "format_rf",
    "invoice_reference",
    "is_valid_iban",
    "is_valid_nl_payment_reference",
    "is_valid_ogm",
    "is_valid_rf",
    "national_kind",
    "nl_payment_reference",
    "ogm_reference",
    "read_reference",
    "reference_for",
    "reference_of_kind",
    "references_to_write",
    "rf_reference",
    "stored_reference",
    "unique_references",
    "validate_nl_payment_reference",
    "validate_ogm",
    "validate_rf",
]


def is_valid_iban(text: str) -> bool:
    """Return whether ``text`` is an IBAN: the length and layout of its country and its check
    digits (ISO 13616, MOD 97-10), spaces allowed.

    Not python-stdnum's checks per country, which refuse a Belgian IBAN whose bank code is not
    in its list of Belgian banks: an account at a bank newer than the installed list (or the
    standard example ``BE68 5390 0754 7034``) would make the whole workbook refused. A typing
    error still fails the check digits.

    >>> is_valid_iban("BE68 5390 0754 7034"), is_valid_iban("BE68 5390 0754 7035")
    (True, False)
    """
    return stdnum_iban.is_valid(text, check_country=False)


#: How each kind is called in a Dutch sentence.
_KIND_NAMES = {
    ReferenceKind.NL: "Nederlands betalingskenmerk",
    ReferenceKind.OGM: "gestructureerde mededeling (OGM)",
    ReferenceKind.RF: "RF-betalingskenmerk",
}

#: The start of the sentence for an invalid reference of each kind.
_INVALID = {
    ReferenceKind.NL: "Ongeldig Nederlands betalingskenmerk",
    ReferenceKind.OGM: "Ongeldige gestructureerde mededeling (OGM)",
    ReferenceKind.RF: "Ongeldig RF-betalingskenmerk",
}


class ReferenceError(DebiteurenError):
    """A payment reference is invalid, or cannot be made from an invoice number.

    Shadows the builtin ``ReferenceError`` inside modules that import it by name.
    """

    message = "Ongeldig betalingskenmerk."


class InvalidReference(ReferenceError):
    """A given payment reference fails its format, length or check digits."""

    def __init__(self, kind: ReferenceKind, value: str, problem: str) -> None:
        """Build the sentence.

        Args:
          kind: the kind the value was checked as.
          value: the value as given.
          problem: what is wrong, a Dutch phrase (``"de controlecijfers kloppen niet"``).
        """
        self.kind = kind
        self.value = value
        super().__init__(f"{_INVALID[kind]} '{quoted_value(value)}': {problem}.")


class UnusableInvoiceNumber(ReferenceError):
    """An invoice number cannot produce a payment reference of the asked kind."""

    def __init__(self, invoice_number: str, kind: ReferenceKind, problem: str) -> None:
        """Build the sentence.

        Args:
          invoice_number: the invoice number as given.
          kind: the kind of reference that was asked for.
          problem: why it cannot be made, a Dutch phrase.
        """
        self.invoice_number = invoice_number
        self.kind = kind
        super().__init__(
            f"Van factuurnummer '{quoted_value(invoice_number)}' kan geen "
            f"{_KIND_NAMES[kind]} worden gemaakt: {problem}."
        )


# --- Dutch betalingskenmerk -------------------------------------------------------------------

_NL_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)
_NL_SEPARATORS = re.compile(r"[ .\-]")


def _nl_check_digit(digits: str) -> str:
    """Return the check digit C for the digits that follow it (length code included)."""
    weights = _NL_WEIGHTS * (len(digits) // len(_NL_WEIGHTS) + 1)
    total = sum(map(operator.mul, map(int, reversed(digits)), weights))
    check = 11 - total % 11
    return {10: "1", 11: "0"}.get(check, str(check))


def validate_nl_payment_reference(value: str) -> str:
    """Check a Dutch betalingskenmerk and return its compact form (digits only).

    Accepts the 16-digit form (check digit + 15 digits), the 9–14 digit forms (check digit,
    length code, digits) and the 7-digit form, which carries no check. Spaces, dots and hyphens
    are ignored. A reference of only zeros is refused.

    Args:
      value: the reference as typed or printed, e.g. ``"5000 0567 8901 2345"``.
    Returns:
      The digits, e.g. ``"5000056789012345"``. Raises :class:`InvalidReference` when invalid.
    """
    compact = _NL_SEPARATORS.sub("", value.strip())
    kind = ReferenceKind.NL
    if not compact:
        raise InvalidReference(kind, value, "het is leeg")
    if not (compact.isascii() and compact.isdigit()):
        raise InvalidReference(kind, value, "het mag alleen cijfers bevatten")
    length = len(compact)
    if length not in (7, 9, 10, 11, 12, 13, 14, 16):
        raise InvalidReference(
            kind, value, f"het heeft {length} cijfers; toegestaan zijn 7, 9 tot en met 14 of 16"
        )
    if int(compact) == 0:
        raise InvalidReference(kind, value, "het bestaat alleen uit nullen")
    if length == 7:
        return compact
    if length <= 14 and compact[1] != str((length - 2) % 10):
        raise InvalidReference(
            kind, value, f"de lengtecode (tweede cijfer) moet {(length - 2) % 10} zijn"
        )
    if _nl_check_digit(compact[1:]) != compact[0]:
        raise InvalidReference(kind, value, "het controlecijfer (eerste cijfer) klopt niet")
    return compact


def is_valid_nl_payment_reference(value: str) -> bool:
    """Return whether ``value`` is a valid Dutch betalingskenmerk (see the validator)."""
    try:
        validate_nl_payment_reference(value)
    except ReferenceError:
        return False
    return True


def format_nl_payment_reference(value: str) -> str:
    """Return the printed form of a betalingskenmerk: groups of four digits from the right.

    Args:
      value: a valid betalingskenmerk in any spacing.
    Returns:
      E.g. ``"5000 0567 8901 2345"`` or ``"12 2345 3462 2567"``. Raises
      :class:`InvalidReference` when invalid.
    """
    return _group_from_right(validate_nl_payment_reference(value))


def _group_from_right(digits: str) -> str:
    """Return ``digits`` in groups of four counted from the right, separated by spaces."""
    head = len(digits) % 4
    groups = [digits[:head]] if head else []
    groups += [digits[i : i + 4] for i in range(head, len(digits), 4)]
    return " ".join(groups)


def nl_payment_reference(invoice_number: str) -> str:
    """Make a 16-digit Dutch betalingskenmerk from the digits of an invoice number.

    Args:
      invoice_number: e.g. ``"2024-017"``; its digits are left-padded with zeros to 15.
    Returns:
      The check digit and the 15 digits, e.g. ``"5000000002024017"``. Raises
      :class:`UnusableInvoiceNumber` when the number has no digits, more than 15, or only zeros.
    """
    digits = _ascii_digits(invoice_number)
    kind = ReferenceKind.NL
    if not digits:
        raise UnusableInvoiceNumber(invoice_number, kind, "het bevat geen cijfers")
    if len(digits) > 15:
        raise UnusableInvoiceNumber(
            invoice_number, kind, f"het bevat {len(digits)} cijfers en er passen er maar 15 in"
        )
    if int(digits) == 0:
        raise UnusableInvoiceNumber(invoice_number, kind, "het bevat alleen nullen")
    payload = digits.rjust(15, "0")
    return _nl_check_digit(payload) + payload


# --- Belgian structured communication (OGM/VCS) ----------------------------------------------


def _ogm_compact(value: str) -> str:
    """Strip the ``+``, ``*``, ``/`` and spaces around and inside an OGM."""
    return ogm_vcs.compact(value.replace("*", ""))


def validate_ogm(value: str) -> str:
    """Check a Belgian structured communication and return its 12 digits.

    Args:
      value: e.g. ``"+++123/4567/89002+++"``, ``"***123/4567/89002***"`` or ``"123456789002"``.
    Returns:
      The 12 digits, e.g. ``"123456789002"``. Raises :class:`InvalidReference` when invalid
      (wrong characters or length, wrong check digits, or all zeros).
    """
    compact = _ogm_compact(value)
    kind = ReferenceKind.OGM
    if not compact:
        raise InvalidReference(kind, value, "het is leeg")
    if not (compact.isascii() and compact.isdigit()):
        raise InvalidReference(kind, value, "het mag alleen cijfers bevatten")
    if len(compact) != 12:
        raise InvalidReference(kind, value, f"het heeft {len(compact)} cijfers in plaats van 12")
    try:
        return ogm_vcs.validate(compact)
    except stdnum_exceptions.InvalidChecksum:
        raise InvalidReference(kind, value, "de controlecijfers kloppen niet") from None
    except stdnum_exceptions.ValidationError:
        raise InvalidReference(kind, value, "het bestaat alleen uit nullen") from None


def is_valid_ogm(value: str) -> bool:
    """Return whether ``value`` is a valid Belgian structured communication."""
    try:
        validate_ogm(value)
    except ReferenceError:
        return False
    return True


def format_ogm(value: str) -> str:
    """Return the printed form of an OGM.

    Args:
      value: a valid OGM in any notation.
    Returns:
      E.g. ``"+++123/4567/89002+++"``. Raises :class:`InvalidReference` when invalid.
    """
    return f"+++{ogm_vcs.format(validate_ogm(value))}+++"


def ogm_reference(invoice_number: str) -> str:
    """Make a Belgian structured communication from the digits of an invoice number.

    Args:
      invoice_number: e.g. ``"2026-000042"``; its digits are left-padded with zeros to 10.
    Returns:
      The 12 digits, e.g. ``"202600004236"``. Raises :class:`UnusableInvoiceNumber` when the
      number has no digits or more than 10.
    """
    digits = _ascii_digits(invoice_number)
    kind = ReferenceKind.OGM
    if not digits:
        raise UnusableInvoiceNumber(invoice_number, kind, "het bevat geen cijfers")
    if len(digits) > 10:
        raise UnusableInvoiceNumber(
            invoice_number, kind, f"het bevat {len(digits)} cijfers en er passen er maar 10 in"
        )
    base = digits.rjust(10, "0")
    return base + ogm_vcs.calc_check_digits(base)


# --- ISO 11649 RF creditor reference ---------------------------------------------------------

_RF_BODY_MAX = 21
_RF_SHAPE = re.compile(r"RF[0-9]{2}[A-Z0-9]{1,21}")


def validate_rf(value: str) -> str:
    """Check an ISO 11649 creditor reference and return its compact form.

    Args:
      value: e.g. ``"RF18 5390 0754 7034"`` or ``"rf18539007547034"``.
    Returns:
      Upper case without spaces, e.g. ``"RF18539007547034"``. Raises :class:`InvalidReference`
      when invalid.
    """
    compact = iso11649.compact(value)
    kind = ReferenceKind.RF
    if not compact.startswith("RF"):
        raise InvalidReference(kind, value, "het moet met RF beginnen")
    if not (compact.isascii() and compact.isalnum()):
        raise InvalidReference(kind, value, "het mag alleen letters en cijfers bevatten")
    if not 5 <= len(compact) <= 4 + _RF_BODY_MAX:
        raise InvalidReference(
            kind, value, f"het heeft {len(compact)} tekens; toegestaan zijn 5 tot en met 25"
        )
    if not _RF_SHAPE.fullmatch(compact):
        raise InvalidReference(kind, value, "na RF moeten twee controlecijfers staan")
    if not iso11649.is_valid(compact):
        raise InvalidReference(kind, value, "de controlecijfers kloppen niet")
    return compact


def is_valid_rf(value: str) -> bool:
    """Return whether ``value`` is a valid ISO 11649 creditor reference."""
    try:
        validate_rf(value)
    except ReferenceError:
        return False
    return True


def format_rf(value: str) -> str:
    """Return the printed form of an RF reference, in groups of four.

    Args:
      value: a valid RF reference in any spacing or case.
    Returns:
      E.g. ``"RF18 5390 0754 7034"``. Raises :class:`InvalidReference` when invalid.
    """
    return iso11649.format(validate_rf(value))


def rf_reference(invoice_number: str) -> str:
    """Make an ISO 11649 creditor reference from the letters and digits of an invoice number.

    Args:
      invoice_number: e.g. ``"inv-2026-042"``; its ASCII letters and digits, upper-cased,
        form the body.
    Returns:
      ``RF``, the two check digits and the body, e.g. ``"RF67INV2026042"``. Raises
      :class:`UnusableInvoiceNumber` when the number has no letters or digits, or more than 21.
    """
    body = "".join(ch for ch in invoice_number.upper() if ch.isascii() and ch.isalnum())
    kind = ReferenceKind.RF
    if not body:
        raise UnusableInvoiceNumber(invoice_number, kind, "het bevat geen letters of cijfers")
    if len(body) > _RF_BODY_MAX:
        raise UnusableInvoiceNumber(
            invoice_number,
            kind,
            f"het bevat {len(body)} letters en cijfers en er passen er maar {_RF_BODY_MAX} in",
        )
    check = mod_97_10.calc_check_digits(body + "RF")
    return f"RF{check}{body}"


# --- The reference as a value ----------------------------------------------------------------

_VALIDATORS = {
    ReferenceKind.NL: validate_nl_payment_reference,
    ReferenceKind.OGM: validate_ogm,
    ReferenceKind.RF: validate_rf,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentReference:
    """A valid structured payment reference.

    Attributes:
      kind: which standard the reference follows.
      value: the compact (electronic) form: digits only for NL and OGM, ``RF…`` without spaces
        for RF. Construction fails with :class:`InvalidReference` when ``value`` is not a valid
        reference of ``kind`` in compact form.
    """

    kind: ReferenceKind
    value: str

    def __post_init__(self) -> None:
        if _VALIDATORS[self.kind](self.value) != self.value:
            raise InvalidReference(self.kind, self.value, "het is niet in de compacte vorm")

    @property
    def display(self) -> str:
        """The printed form: ``5000 0567 8901 2345``, ``+++123/4567/89002+++``, ``RF18 5390 …``."""
        # the value is valid and compact (checked when it was made): only the spacing is added,
        # as format_nl_payment_reference, format_ogm and format_rf would
        value = self.value
        if self.kind is ReferenceKind.NL:
            return _group_from_right(value)
        if self.kind is ReferenceKind.OGM:
            return f"+++{value[:3]}/{value[3:7]}/{value[7:]}+++"
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


#: How a reference of each national kind is made from an invoice number.
_MAKERS = {ReferenceKind.NL: nl_payment_reference, ReferenceKind.OGM: ogm_reference}


def reference_for(invoice_number: str, country: str) -> PaymentReference:
    """Make the payment reference to print on an invoice or letter for a creditor's country.

    The kind the country's banks read (its rules' ``PAYMENT_REFERENCE``: NL a betalingskenmerk,
    BE an OGM); when the invoice number cannot make that kind (no digits, too many digits), and
    for any other country, an RF reference is made.

    Args:
      invoice_number: the invoice number, e.g. ``"2024-017"``.
      country: an ISO 3166 country code, e.g. ``"NL"`` or ``"be"``.
    Returns:
      The reference. Raises :class:`UnusableInvoiceNumber` when not even an RF reference can
      be made (no letters or digits, or more than 21).
    """
    code = country.strip()
    kind = rules.for_country(code).PAYMENT_REFERENCE if rules.is_supported(code) else None
    return reference_of_kind(invoice_number, kind or ReferenceKind.RF)


def national_kind(country: str) -> ReferenceKind | None:
    """Return the kind of reference a country's banks read (its rules' ``PAYMENT_REFERENCE``:
    NL a betalingskenmerk, BE an OGM), or None for any other country or "".

    >>> national_kind("nl"), national_kind("FR")
    (<ReferenceKind.NL: 'betalingskenmerk'>, None)
    """
    code = country.strip()
    return rules.for_country(code).PAYMENT_REFERENCE if rules.is_supported(code) else None


def reference_of_kind(invoice_number: str, kind: ReferenceKind) -> PaymentReference:
    """Make a reference of ``kind`` from an invoice number, else an RF reference.

    Returns:
      The reference. Raises :class:`UnusableInvoiceNumber` when not even an RF reference can
      be made.

    >>> reference_of_kind("2026-042", ReferenceKind.NL).display
    '4000 0000 0202 6042'
    >>> reference_of_kind("INV-ABC", ReferenceKind.OGM).kind.value
    'rf'
    """
    if kind in _MAKERS:
        try:
            return PaymentReference(kind=kind, value=_MAKERS[kind](invoice_number))
        except UnusableInvoiceNumber:
            pass
    return PaymentReference(kind=ReferenceKind.RF, value=rf_reference(invoice_number))


def invoice_reference(
    invoice_number: str, stored: str, debtor: Debtor, creditor: Creditor
) -> PaymentReference:
    """Return the payment reference of an invoice.

    A reference stored in the workbook wins (:func:`stored_reference`, 12 digits of both
    kinds read as the creditor's country's kind). Otherwise the kind the country rules choose for
    this creditor and debtor (:func:`~debiteuren.core.rules.payment_reference_kind`: the
    creditor's bank's own kind for a debtor in the same country, across the border an RF).
    """
    if stored:
        found = stored_reference(stored, national_kind(creditor.country))
        if found is not None:
            return found
    return reference_of_kind(invoice_number, rules.payment_reference_kind(debtor, creditor))


# --- Finding references in remittance text ---------------------------------------------------

#: ``+++123/4567/89002+++`` or ``***…***`` (spaces tolerated; between the pluses or stars the
#: groups may also be apart by hyphens or dots, or by spaces alone, as some invoicing programs
#: write them: ``+++123-4567-89002+++``), or the bare ``123/4567/89002``. The spaces after a
#: separator belong to it: two runs of spaces in a row would make a long run take quadratic time.
_OGM_DELIMITED = re.compile(
    r"(?P<open>\+{3}|\*{3})\s*(?P<a>\d{3})\s*(?:[/.\-]\s*)?(?P<b>\d{4})\s*(?:[/.\-]\s*)?"
    r"(?P<c>\d{5})\s*"
    r"(?P=open)"
    r"|(?<![\d/])(?P<a2>\d{3})/(?P<b2>\d{4})/(?P<c2>\d{5})(?![\d/])",
    re.ASCII,
)
#: ``RF`` and two digits, then letters and digits in tokens separated by single spaces.
#: At most 22 groups after ``RFcc`` are read: a body has at most 21 characters, so a longer
#: run of groups holds no more references, and reading it all made a long text cost the square
#: of its length.
_RF_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9])RF(?P<check>\d{2})(?P<rest>[A-Za-z0-9]*(?: [A-Za-z0-9]+){0,22})",
    re.ASCII | re.IGNORECASE,
)
#: 16 digits in a row, or four groups of four separated by single spaces, or the 9 to 14 digits
#: of a short form in its groups of four from the right ("2026 0000 0192").
_NL_CANDIDATE = re.compile(
    r"(?<!\d)(?<!\d )(?:\d{16}|\d{4} \d{4} \d{4} \d{4}|\d{1,4}(?: \d{4}){2}|\d{1,2}(?: \d{4}){3})"
    r"(?!\d)(?! \d)",
    re.ASCII,
)
#: 12 digits in a row, not part of a longer run of digits.
_OGM_PLAIN = re.compile(r"(?<!\d)\d{12}(?!\d)", re.ASCII)


def find_references(text: str) -> list[PaymentReference]:
    """Find every valid structured payment reference in a free remittance text.

    Looks for OGMs (``+++123/4567/89002+++``, ``***123/4567/89002***``, ``123/4567/89002`` or 12
    digits in a row), RF references (with or without spaces, any case) and Dutch
    betalingskenmerken (16 digits in a row or four groups of four, or the 9 to 14 digits of a
    short one in its printed groups of four from the right, ``2026 0000 0192``). Only
    references whose check digits are valid are returned; a span of text is used for one
    reference at most, the delimited forms first. A Belgian account number (BBAN) written as 12
    digits in a row passes the OGM check and is returned as an OGM.

    Args:
      text: the remittance information of a bank payment.
    Returns:
      The references in the order they appear in ``text``, each once.
    """
    found: list[tuple[int, PaymentReference]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(start: int, end: int, reference: PaymentReference) -> None:
        taken.append((start, end))
        found.append((start, reference))

    for match in _OGM_DELIMITED.finditer(text):
        digits = "".join(g for g in match.group("a", "b", "c", "a2", "b2", "c2") if g)
        if is_valid_ogm(digits):
            add(match.start(), match.end(), PaymentReference(kind=ReferenceKind.OGM, value=digits))

    position = 0
    while (match := _RF_CANDIDATE.search(text, position)) is not None:
        position = match.start() + 4
        hit = _rf_in_candidate(match)
        if hit is not None and free(match.start(), match.start() + hit[0]):
            add(match.start(), match.start() + hit[0], hit[1])
            position = match.start() + hit[0]

    for match in _NL_CANDIDATE.finditer(text):
        digits = match.group().replace(" ", "")
        if free(match.start(), match.end()) and is_valid_nl_payment_reference(digits):
            add(match.start(), match.end(), PaymentReference(kind=ReferenceKind.NL, value=digits))

    for match in _OGM_PLAIN.finditer(text):
        digits = match.group()
        if free(match.start(), match.end()) and is_valid_ogm(digits):
            add(match.start(), match.end(), PaymentReference(kind=ReferenceKind.OGM, value=digits))

    result: list[PaymentReference] = []
    for _, reference in sorted(found, key=lambda item: item[0]):
        if reference not in result:
            result.append(reference)
    return result


#: The printed forms :attr:`PaymentReference.display` gives (what ``bijwerken`` stores).
#: A betalingskenmerk in groups of four from the right: 16 digits, or the 9 to 14 of the short
#: forms ("2026 0000 0192"), as an e-invoice's kenmerk is written to Facturen.
_PRINTED_NL = re.compile(
    r"\d{4} \d{4} \d{4} \d{4}|\d{1,4}(?: \d{4}){2}|\d{1,2}(?: \d{4}){3}", re.ASCII
)
_PRINTED_OGM = re.compile(r"\+\+\+(\d{3})/(\d{4})/(\d{5})\+\+\+", re.ASCII)
_PRINTED_RF = re.compile(r"RF\d\d(?: [A-Z0-9]{4})*(?: [A-Z0-9]{1,4})", re.ASCII)


#: A letter as its ISO 7064 number (A = 10 … Z = 35), for the RF check.
_AS_DIGITS = str.maketrans({chr(ord("A") + i): str(10 + i) for i in range(26)})


def stored_reference(text: str, kind: ReferenceKind | None = None) -> PaymentReference | None:
    """Return the first valid reference in a stored Betalingskenmerk cell, or None.

    :func:`read_reference` with the search alone: ``find_references(text)[0]``, but a cell that
    holds exactly one reference in its printed form (as ``bijwerken`` writes it) is checked by
    its check digits alone, without the regular-expression search and python-stdnum's generic
    cleaning (a workbook of 50,000 invoices is read every day), and 12 digits in a row that
    pass both the OGM and the betalingskenmerk check are of ``kind`` (the creditor's country's,
    :func:`national_kind`).
    """
    return read_reference(text, kind, whole=False)


def read_reference(
    text: str, kind: ReferenceKind | None = None, *, search: bool = True, whole: bool = True
) -> PaymentReference | None:
    """Return the structured payment reference a text holds, or None.

    The one place that decides which kind of reference a text is, for every front end: the
    Betalingskenmerk cell of Facturen (:func:`stored_reference`), an e-invoice's BT-83 and the
    structured field of a bank payment. In this order of precedence:

    1. The whole text in a printed form (:attr:`PaymentReference.display`), or an RF, a
       16-digit betalingskenmerk or 12 digits written compact, checked by their check digits
       alone (issue 17); 12 digits are tried as an OGM here.
    2. With ``search``: the first reference :func:`find_references` finds in the text.
    3. With ``whole``: the whole text as one reference in any spelling its validator accepts,
       tried as an RF, then an OGM, then a betalingskenmerk.

    Twelve digits can be both an OGM (mod 97) and a betalingskenmerk (weighted mod 11, length
    code 0): about one in 97 betalingskenmerken of 12 digits passes the OGM check too. Such a
    number is read by how it is written: in an OGM's form (``+++…+++``, ``***…***``,
    ``123/4567/89012``, groups of 3, 4 and 5) an OGM; in a betalingskenmerk's printed groups
    of four (``7020 2600 0042``) a betalingskenmerk; otherwise (12 digits in a row, or with
    other spaces, dots or hyphens) as ``kind`` says: a betalingskenmerk when it is NL, else an
    OGM (:func:`compact_kind`).

    Args:
      text: the text, e.g. ``"+++123/4567/89002+++"`` or ``"Factuur 2026-042, RF18 5390 …"``.
      kind: the kind of reference the creditor's (or the seller's) country uses
        (:func:`national_kind`), or None.
      search: look for a reference inside a longer text (a cell or field that may hold text).
      whole: read the text as one reference in any spelling (a field meant for one).
    Returns:
      The reference, or None.

    >>> read_reference("702026000042", ReferenceKind.NL).kind.value
    'betalingskenmerk'
    >>> read_reference("702026000042", ReferenceKind.OGM).kind.value
    'ogm'
    >>> read_reference("+++702/0260/00042+++", ReferenceKind.NL).kind.value
    'ogm'
    """
    compact = _compact_as_printed(text)
    found = _printed(compact or text)
    if found is not None:  # printed: its form is its kind; written compact: not yet
        return _of_kind(found, kind) if compact else found
    if search and (references := find_references(text)):
        found = references[0]  # a delimited or grouped one is of its form's kind, a bare one not
        return _of_kind(found, kind) if found.value in _BARE_TWELVE.findall(text) else found
    found = _one_reference(text) if whole else None
    return None if found is None else _as_written(found, text.strip(), kind)


def _compact_as_printed(text: str) -> str:
    """Return a compact RF, 16-digit betalingskenmerk or 12 digits in the printed form of an RF,
    a betalingskenmerk or an OGM, or "": banks mostly send references compact, and the printed
    form's check (:func:`_printed`) is what the validator that comes first for that text
    gives, without raising through the others."""
    if _COMPACT_RF.fullmatch(text):
        return " ".join([text[:4], *(text[k : k + 4] for k in range(4, len(text), 4))])
    if text.isascii() and text.isdigit():
        if len(text) == 16:
            return " ".join(text[k : k + 4] for k in range(0, 16, 4))
        if len(text) == 12:
            return f"+++{text[:3]}/{text[3:7]}/{text[7:]}+++"
    return ""


_COMPACT_RF = re.compile(r"RF[0-9]{2}[A-Z0-9]{1,21}", re.ASCII)


def _one_reference(text: str) -> PaymentReference | None:
    """Return the whole text read as one reference in any spelling its validator accepts: an
    RF, else an OGM, else a betalingskenmerk; None when it is none of them."""
    for kind in (ReferenceKind.RF, ReferenceKind.OGM, ReferenceKind.NL):
        try:
            return _trusted(kind, _VALIDATORS[kind](text))
        except ReferenceError:
            continue
    return None


#: A text written as an OGM: between ``+++`` or ``***``, with slashes, or in groups of 3, 4, 5.
_OGM_WRITTEN = re.compile(
    r"(\+{3}|\*{3}).*\1|\d{3}\s*/\s*\d{4}\s*/\s*\d{5}|\d{3}([ .\-])\d{4}\2\d{5}",
    re.ASCII | re.DOTALL,
)
#: 12 digits in a row, not part of a longer run nor next to an OGM's ``+``, ``*`` or ``/``.
_BARE_TWELVE = re.compile(r"(?<![0-9+*/])(?<![+*/] )[0-9]{12}(?![0-9+*/])(?! [+*/])", re.ASCII)


def _as_written(
    found: PaymentReference, plain: str, kind: ReferenceKind | None
) -> PaymentReference:
    """Return ``found``, the whole of ``plain`` read as one reference, as the kind its writing
    gives when it has 12 digits of both kinds: in an OGM's form an OGM, in a betalingskenmerk's
    printed groups a betalingskenmerk, written otherwise with only spaces, dots or hyphens as
    :func:`_of_kind` reads it."""
    value = found.value
    if found.kind is ReferenceKind.RF or len(value) != 12:
        return found
    if _OGM_WRITTEN.fullmatch(plain):
        is_ogm = found.kind is ReferenceKind.OGM or _checks(ReferenceKind.OGM, value)
        return found if not is_ogm else _trusted(ReferenceKind.OGM, value)
    if _NL_SEPARATORS.sub("", plain) != value or _PRINTED_NL.fullmatch(plain):
        return found
    return _of_kind(found, kind)


def _of_kind(found: PaymentReference, kind: ReferenceKind | None) -> PaymentReference:
    """Return ``found``, written in no form of its own, as :func:`compact_kind` reads it for
    ``kind``: 12 digits of both kinds are a betalingskenmerk for NL, else an OGM."""
    if found.kind is ReferenceKind.RF or len(found.value) != 12:
        return found
    if found.kind is ReferenceKind.OGM and kind is not ReferenceKind.NL:
        return found  # most 12-digit references: no other kind to choose
    chosen = compact_kind(found.value, kind)
    return found if chosen is found.kind else _trusted(chosen, found.value)


def _checks(kind: ReferenceKind, value: str) -> bool:
    """Return whether 12 ASCII digits pass the check of ``kind`` (OGM or betalingskenmerk)."""
    if kind is ReferenceKind.OGM:
        return int(value) != 0 and (int(value[:10]) % 97 or 97) == int(value[10:])
    return value[1] == "0" and int(value) != 0 and _nl_check_ascii(value[1:]) == value[0]


def compact_kind(value: str, kind: ReferenceKind | None = None) -> ReferenceKind:
    """Return the kind of a valid reference in its compact form, as :func:`read_reference`
    reads it written so: an RF when it starts with ``RF``; 12 digits that pass the OGM check a
    betalingskenmerk when ``kind`` is NL and they pass that check too, else an OGM; any other
    digits a betalingskenmerk. Without python-stdnum (35,000 payments by reference; issue 17).

    Args:
      value: the compact form of a valid reference, e.g. ``"702026000042"``.
      kind: the kind the creditor's country uses (:func:`national_kind`), or None.
    Returns:
      The kind.

    >>> compact_kind("702026000042", ReferenceKind.NL).value, compact_kind("702026000042").value
    ('betalingskenmerk', 'ogm')
    """
    if value.startswith("RF"):
        return ReferenceKind.RF
    if len(value) != 12:
        return ReferenceKind.NL
    if not (value.isascii() and value.isdigit()):  # stdnum reads other digits too
        return ReferenceKind.OGM if is_valid_ogm(value) else ReferenceKind.NL
    if not _checks(ReferenceKind.OGM, value):
        return ReferenceKind.NL
    if kind is ReferenceKind.NL and _checks(ReferenceKind.NL, value):
        return ReferenceKind.NL
    return ReferenceKind.OGM


def printed_compact(text: str) -> str | None:
    """Return the compact form of a reference written exactly in its printed form (as
    :attr:`PaymentReference.display` gives it) with valid check digits, or None for any other
    text; a fast path before the validators, which accept every other spelling too."""
    reference = _printed(text)
    return None if reference is None else reference.value


def _printed(text: str) -> PaymentReference | None:
    found = _printed_parts(text)
    return None if found is None else _trusted(*found)


def _printed_parts(text: str) -> tuple[ReferenceKind, str] | None:
    """Return the kind and compact value of a reference in its printed form, else None."""
    # each printed form has its own first character: only its pattern can match
    first = text[:1]
    if first == "R":
        if _PRINTED_RF.fullmatch(text):
            value = text.replace(" ", "")
            if len(value) <= 4 + _RF_BODY_MAX:
                moved = value[4:] + value[:4]
                if int(moved.translate(_AS_DIGITS)) % 97 == 1:
                    return ReferenceKind.RF, value
    elif first == "+":
        if match := _PRINTED_OGM.fullmatch(text):
            digits = "".join(match.groups())
            base = int(digits[:10])
            if int(digits) and (base % 97 or 97) == int(digits[10:]):
                return ReferenceKind.OGM, digits
    elif _PRINTED_NL.fullmatch(text):
        digits = text.replace(" ", "")
        short = len(digits) < 16  # 9 to 14 digits: the second is the length code
        if short and (len(digits) < 9 or digits[1] != str((len(digits) - 2) % 10)):
            return None
        if int(digits) and _nl_check_ascii(digits[1:]) == digits[0]:
            return ReferenceKind.NL, digits
    return None


def _nl_check_ascii(digits: str) -> str:
    """:func:`_nl_check_digit` of ASCII digits, in one step: its weights are the powers of 2
    modulo 11 (2, 4, 8, 5, 10, 9, 7, 3, 6, 1, 2, …), and 13 is 2 modulo 11, so the weighted sum
    is twice the digits read in base 13, modulo 11."""
    check = 11 - 2 * int(digits, 13) % 11
    return "1" if check == 10 else "0" if check == 11 else str(check)


def _trusted(kind: ReferenceKind, value: str) -> PaymentReference:
    """Build a reference whose check digits were just verified (skips ``__post_init__``)."""
    reference = object.__new__(PaymentReference)
    object.__setattr__(reference, "kind", kind)
    object.__setattr__(reference, "value", value)
    return reference


def _rf_in_candidate(match: re.Match[str]) -> tuple[int, PaymentReference] | None:
    """Return the longest valid RF reference at the start of a candidate, with its length.

    The body is the text after ``RFcc``; when it has spaces, it is read as printed groups of
    four (every group but the last exactly four characters), so that a following word is tried
    both with and without.
    """
    rest = match.group("rest")
    head, *groups = rest.split(" ")
    offsets = [len(head)] if head else []
    tokens = [head] if head else []
    position = len(head)
    for group in groups:
        position += 1 + len(group)
        tokens.append(group)
        offsets.append(position)
    for count in range(len(tokens), 0, -1):
        chosen = tokens[:count]
        if len(chosen) > 1 and any(len(token) != 4 for token in chosen[int(bool(head)) : -1]):
            continue
        body = "".join(chosen).upper()
        if len(body) > _RF_BODY_MAX:
            continue
        value = f"RF{match.group('check')}{body}"
        if is_valid_rf(value):
            return 4 + offsets[count - 1], PaymentReference(kind=ReferenceKind.RF, value=value)
    return None


def _ascii_digits(text: str) -> str:
    """Return the ASCII digits of ``text`` in order."""
    return "".join(ch for ch in text if ch in "0123456789")


# --- Unique references within a workbook -----------------------------------------------------


class DuplicateReference(DebiteurenError):
    """Two invoices would carry the same payment reference."""

    def __init__(self, first: str, second: str, reference: PaymentReference) -> None:
        self.first = first
        self.second = second
        self.reference = reference
        super().__init__(
            f"De facturen {first} en {second} hebben hetzelfde betalingskenmerk "
            f"{reference.display}; een betaling zou dan niet te koppelen zijn."
        )


def _letters_as_digits(invoice_number: str) -> str:
    """Return the invoice number's letters and digits with each letter as two digits (A=10 …
    Z=35, as in ISO 7064), so that ``A001`` and ``B001`` give different digits."""
    out = []
    for ch in invoice_number.upper():
        if ch.isascii() and ch.isdigit():
            out.append(ch)
        elif ch.isascii() and ch.isalpha():
            out.append(str(ord(ch) - ord("A") + 10))
    return "".join(out)


def _punctuation_spelled(invoice_number: str) -> str:
    """Return the invoice number with every character that is not an ASCII letter or digit
    written as its code in hexadecimal (``-`` is ``2D``, ``/`` is ``2F``), so that ``X-1`` and
    ``X/1``, which have the same letters and digits, give different RF references."""
    return "".join(
        ch if ch.isascii() and ch.isalnum() else f"{ord(ch):X}" for ch in invoice_number.strip()
    )


def unique_references(
    invoices: list[tuple[str, PaymentReference | None, PaymentReference]],
) -> dict[str, PaymentReference]:
    """Give every invoice a payment reference that no other invoice of the workbook has.

    A reference typed in the workbook (stored) is kept as it is; two invoices with the same
    stored reference are refused. A made reference that another invoice already has (invoice
    numbers that differ only in letters, like ``A001`` and ``B001``, or ``CN-2026-0001`` and
    ``2026-0001``, have the same digits) is made again from the letters too (each letter as two
    digits), else as an RF reference from the letters and digits, else from the number with its
    other characters spelled as their codes (``X-1`` and ``X/1``); when even that is taken, the
    two invoices are refused. The first invoice (in the order given) keeps the plain reference,
    so references already printed stay the same.

    Args:
      invoices: ``(number, stored, made)`` per invoice in sheet order: the stored reference (or
        None) and the one :func:`reference_for` (or the creditor's choice of kind) makes.
    Returns:
      Invoice number -> reference. Raises :class:`DuplicateReference` naming both invoices.

    >>> refs = unique_references([
    ...     ("A001", None, reference_for("A001", "NL")),
    ...     ("B001", None, reference_for("B001", "NL")),
    ... ])
    >>> refs["A001"].value != refs["B001"].value
    True
    >>> refs = unique_references([(n, None, reference_for(n, "DE")) for n in ("X-1", "X/1")])
    >>> refs["X-1"].display, refs["X/1"].display
    ('RF88 X1', 'RF62 X2F1')
    """
    taken: dict[str, str] = {}
    result: dict[str, PaymentReference] = {}
    for number, stored, _ in invoices:
        if stored is None:
            continue
        other = taken.setdefault(stored.value, number)
        if other != number:
            raise DuplicateReference(other, number, stored)
        result[number] = stored
    for number, stored, made in invoices:
        if stored is not None:
            continue
        options = [made]
        maker = _MAKERS.get(made.kind)
        digits = _letters_as_digits(number)
        if maker is not None and digits:
            with contextlib.suppress(UnusableInvoiceNumber):
                options.append(PaymentReference(kind=made.kind, value=maker(digits)))
        with contextlib.suppress(UnusableInvoiceNumber):
            options.append(PaymentReference(kind=ReferenceKind.RF, value=rf_reference(number)))
        with contextlib.suppress(UnusableInvoiceNumber):  # X-1 and X/1: RF88X1 for both
            spelled = rf_reference(_punctuation_spelled(number))
            options.append(PaymentReference(kind=ReferenceKind.RF, value=spelled))
        for option in options:
            if option.value not in taken:
                taken[option.value] = number
                result[number] = option
                break
        else:
            raise DuplicateReference(taken[made.value], number, made)
    return result


def book_references(
    invoices: Sequence[Invoice], debtors: Mapping[str, Debtor], creditor: Creditor
) -> dict[str, PaymentReference]:
    """Return invoice number -> payment reference for every invoice that can be paid: the
    reference typed in its Betalingskenmerk, else the one debiteuren makes; unique within the
    book (:func:`unique_references`). Letters, matching and the write-back use the same.

    An invoice whose number gives no reference (and that has none typed) is left out. Raises
    :class:`DuplicateReference` when two invoices would share one.
    """
    items = []
    kind = national_kind(creditor.country)
    for inv in invoices:
        if inv.is_credit_note or inv.amount <= 0:
            continue
        stored = stored_reference(inv.reference, kind) if inv.reference else None
        _add_item(items, inv, stored, debtors, creditor)
    return unique_references(items)


def _add_item(
    items: list, inv: Invoice, stored: object, debtors: Mapping[str, Debtor], creditor: Creditor
) -> None:
    """Add ``inv`` to the items :func:`unique_references` takes: its ``stored`` reference kept
    as it is (nothing to make, issue 17), else the one made; none when its number gives none."""
    if stored is not None:
        items.append((inv.number, stored, stored))
        return
    try:
        made = invoice_reference(inv.number, "", debtors[inv.debtor], creditor)
    except DebiteurenError:
        return
    items.append((inv.number, None, made))


class _Typed(NamedTuple):
    """A valid reference typed in a Betalingskenmerk cell, by its compact value alone."""

    value: str
    text: str
    kind: ReferenceKind | None

    @property
    def display(self) -> str:
        return self.reference().display

    def reference(self) -> PaymentReference:
        found = stored_reference(self.text, self.kind)
        assert found is not None and found.value == self.value
        return found


def references_to_write(
    invoices: Sequence[Invoice], debtors: Mapping[str, Debtor], creditor: Creditor
) -> dict[str, PaymentReference]:
    """Return :func:`book_references` of the invoices whose Betalingskenmerk is empty (the
    cells the write-back fills), and raise :class:`DuplicateReference` where it raises.

    A typed reference is only checked and compared by its compact value: no reference object
    and no printed form is made for it (issue 17: at 50,000 invoices, every one typed).
    """
    payable = [inv for inv in invoices if not inv.is_credit_note and inv.amount > 0]
    values = [_stored_value(inv.reference) if inv.reference else None for inv in payable]
    if None not in values and len(set(values)) == len(values):
        return {}  # each has a reference of its own typed: none to make, none shared
    items: list[tuple[str, Any, Any]] = []
    kind = national_kind(creditor.country)
    for inv, value in zip(payable, values, strict=True):
        typed = None if value is None else _Typed(value, inv.reference, kind)
        _add_item(items, inv, typed, debtors, creditor)
    try:
        chosen = unique_references(items)
    except DuplicateReference as exc:
        if isinstance(exc.reference, _Typed):  # named as book_references names it
            typed = exc.reference.reference()
            raise DuplicateReference(exc.first, exc.second, typed) from None
        raise
    typed_in = {inv.number for inv in invoices if inv.reference}
    return {n: r for n, r in chosen.items() if n not in typed_in}


def reference_owners(
    invoices: Sequence[Invoice], debtors: Mapping[str, Debtor], creditor: Creditor
) -> dict[str, str]:
    """Return compact reference value -> invoice number for every reference the invoices of a
    book have or get: :func:`book_references` as a lookup, with a typed reference compared by
    its value alone (issue 17: at 50,000 invoices, every one typed, that is all it reads). A
    value typed twice keeps its first invoice (the workbook refuses that pair itself).
    """
    payable = [inv for inv in invoices if not inv.is_credit_note and inv.amount > 0]
    owners: dict[str, str] = {}
    untyped = False
    for inv in payable:
        value = _stored_value(inv.reference) if inv.reference else None
        if value is None:
            untyped = True
        else:
            owners.setdefault(value, inv.number)
    if untyped:  # a reference to make (or free text typed): the whole rule, made ones too
        with contextlib.suppress(DuplicateReference):
            for number, made in book_references(invoices, debtors, creditor).items():
                owners.setdefault(made.value, number)
    return owners


def _stored_value(text: str) -> str | None:
    """Return ``stored_reference(text).value``, or None when that is None."""
    found = _printed_parts(text)
    if found is not None:
        return found[1]
    references = find_references(text)
    return references[0].value if references else None
