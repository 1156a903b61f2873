"""Bank statements: read CAMT.053, CODA and MT940 files into one kind of record.

:func:`read_statement` reads a statement file, recognises its format by its content (not by its
extension) and returns one :class:`StatementLine` per credit booked on our account. Matching the
lines to open invoices is :mod:`debiteuren.payments.matching`.

Rules shared by the three readers:

* **Only credits.** Debits are skipped. A reversal (storno) of an earlier credit is returned with
  ``is_reversal=True`` and a positive amount, so that the caller can cancel the original payment.
  A reversal of a debit (money coming back from one of our own payments) is skipped: it is no
  customer payment.
* **All or nothing.** A file is parsed to its end before anything is returned; a broken or
  unknown file raises :class:`StatementError` (Dutch message with the file name and the line
  number, or the XML element path for CAMT), so a broken file imports nothing.
* **A stable bank reference.** ``bank_reference`` identifies the booking across imports, so that
  importing the same file twice is a no-op. CAMT's ``AcctSvcrRef`` is unique by definition and
  used as it is. CODA's bank reference is "purely informative" in the standard and MT940's is
  optional, so for those (and for CAMT entries without ``AcctSvcrRef``) a key is built: see
  :func:`_stable_key`.

The formats: :mod:`.camt053` (ISO 20022 camt.053.001.02 to .08), :mod:`.coda` (Febelfin CODA
2.x) and :mod:`.mt940` (SWIFT MT940 with the ING, Rabobank and ABN AMRO variants).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from debiteuren.core.money import CENT, ZERO, Decimal
from debiteuren.core.references import ReferenceError as PaymentReferenceError
from debiteuren.core.references import (
    validate_nl_payment_reference,
    validate_ogm,
    validate_rf,
)
from debiteuren.errors import DebiteurenError, quoted, system_error

__all__ = [
    "StatementError",
    "StatementFile",
    "StatementLine",
    "StatementSummary",
    "detect_format",
    "parse_statement",
    "parse_statement_file",
    "read_statement",
    "read_statement_file",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementLine:
    """One credit (or reversal of a credit) booked on our account, from any statement format.

    Attributes:
      source: the file name the line was read from.
      account_iban: our account (an IBAN; a bare account number when the file has no IBAN).
      booking_date: the day the bank booked the amount.
      value_date: the value date (the booking date when the file gives none).
      amount: the amount credited, positive; for a reversal the amount taken back, positive.
      currency: ISO 4217 code, e.g. ``"EUR"``.
      counterparty_name: the payer's name, or "".
      counterparty_iban: the payer's IBAN (compact, upper case), or "".
      remittance: the unstructured remittance text (whitespace collapsed), or "".
      structured_reference: a valid structured reference given in the structured field of the
        payment (OGM, RF or betalingskenmerk) in compact form, or "". References typed in the
        free text stay in ``remittance``; the matcher finds those itself.
      bank_reference: the key that identifies the booking across imports (see the module text).
      is_reversal: True for a reversal (storno) of an earlier credit.
    """

    source: str
    account_iban: str
    booking_date: date
    value_date: date
    amount: Decimal
    currency: str
    counterparty_name: str = ""
    counterparty_iban: str = ""
    remittance: str = ""
    structured_reference: str = ""
    bank_reference: str = ""
    is_reversal: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementSummary:
    """One statement (one account, one period) of a file, as the reader checked it.

    Every booked movement is counted here, also the debits and our own returned transfers that
    give no :class:`StatementLine`, so that a caller can show what the file held and test that
    nothing was lost.

    Attributes:
      label: how the statement is named in messages, e.g. ``"afschrift 63"``.
      account: our account (compact IBAN, or the account number the file gives).
      currency: the account currency.
      day: the date of the statement (its closing balance, else its last booking); this is the
        date the "recent statement" gate looks at.
      credits: the number of booked credit movements (batches counted once).
      credit_total: their sum.
      debits: the number of booked debit movements.
      debit_total: their sum (positive).
      returned: credits that are our own returned transfers or reversed debits (no payment).
      returned_total: their sum.
      opening: the opening balance, when the file gives one.
      closing: the closing balance, when the file gives one.
    """

    label: str
    account: str
    currency: str
    day: date | None
    credits: int = 0
    credit_total: Decimal = ZERO
    debits: int = 0
    debit_total: Decimal = ZERO
    returned: int = 0
    returned_total: Decimal = ZERO
    opening: Decimal | None = None
    closing: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementFile:
    """Everything read from one statement file.

    Attributes:
      source: the file name.
      format: ``"camt053"``, ``"coda"`` or ``"mt940"``.
      lines: the credits and reversals of credits, in file order.
      statements: one summary per statement in the file, in file order.
    """

    source: str
    format: str
    lines: list[StatementLine]
    statements: list[StatementSummary]

    @property
    def day(self) -> date | None:
        """Return the date of the newest statement in the file, or None."""
        days = [s.day for s in self.statements if s.day is not None]
        return max(days) if days else None


class StatementError(DebiteurenError):
    """A statement file cannot be read: unknown format, or broken at a given place."""

    def __init__(self, source: str, where: str, problem: str) -> None:
        """Build the sentence.

        Args:
          source: the file name.
          where: the place in the file, e.g. ``"regel 12"`` or
            ``"element Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt"``; "" for the whole file.
          problem: what is wrong, a Dutch phrase without a final full stop.
        """
        self.source = source
        self.where = where
        self.problem = problem
        place = f" ({where})" if where else ""
        super().__init__(
            f"Bankafschrift '{source}'{place}: {problem}. Er is niets uit dit bestand ingelezen."
        )


#: The largest statement file read (bytes); a bigger file is refused before it is parsed.
MAX_FILE_BYTES = 512 * 1024 * 1024


def read_statement(path: str | Path) -> list[StatementLine]:
    """Read a bank statement file in CAMT.053, CODA or MT940 format.

    Args:
      path: the file; its format is recognised by its content, whatever its extension.
    Returns:
      The credits and reversals of credits, in file order. Raises :class:`StatementError` for
      an unreadable, unknown, broken or non-reconciling file (and then returns nothing at all).
    """
    return read_statement_file(path).lines


def read_statement_file(path: str | Path) -> StatementFile:
    """Read a bank statement file whole: its lines and a checked summary of each statement.

    Args:
      path: the file; its format is recognised by its content, whatever its extension.
    Returns:
      The :class:`StatementFile`. Raises :class:`StatementError` as :func:`read_statement`.
    """
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise StatementError(
                path.name, "", "het bestand is groter dan 512 MB; dat is geen rekeningafschrift"
            )
        data = path.read_bytes()
    except OSError as exc:
        problem = (
            "het bestand kan niet worden gelezen; controleer de naam en of u het mag openen "
            + quoted(system_error(exc))
        )
        raise StatementError(path.name, "", problem) from None
    return parse_statement_file(data, source=path.name)


def parse_statement(data: bytes, *, source: str) -> list[StatementLine]:
    """Parse the bytes of a statement file; see :func:`read_statement`.

    Args:
      data: the file content.
      source: the file name, used in the lines and in error messages.
    Returns:
      The credits and reversals of credits, in file order.
    """
    return parse_statement_file(data, source=source).lines


def parse_statement_file(data: bytes, *, source: str) -> StatementFile:
    """Parse the bytes of a statement file; see :func:`read_statement_file`.

    Args:
      data: the file content.
      source: the file name, used in the lines and in error messages.
    Returns:
      The lines and the statements' summaries.
    """
    kind = detect_format(data, source=source)
    if kind == "camt053":
        from debiteuren.payments import camt053 as reader
    elif kind == "coda":
        from debiteuren.payments import coda as reader  # type: ignore[no-redef]
    else:
        from debiteuren.payments import mt940 as reader  # type: ignore[no-redef]
    lines, statements = reader.parse_file(data, source=source)
    return StatementFile(source=source, format=kind, lines=lines, statements=statements)


_BOM = b"\xef\xbb\xbf"
_CODA_HEADER = re.compile(rb"0{5}\d{6}")
_MT940_FIELD = re.compile(rb"(?m)^(?:\{4:\s*)?:(?:20|25|28C?|60[FM]|61|86|940):")
_GIVE = "geef een rekeningafschrift in CAMT.053 (XML), CODA of MT940"
#: Files that are recognisably something else than a statement, by their first bytes.
_OTHER_FILES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", f"dit is een PDF-document, geen afschrift dat debiteuren kan lezen; {_GIVE}"),
    (
        b"\xd0\xcf\x11\xe0",
        f"dit is een oud Office-bestand (bijvoorbeeld .xls), geen rekeningafschrift; {_GIVE}",
    ),
    (b"OFXHEADER", f"dit is een OFX-bestand, geen rekeningafschrift dat debiteuren leest; {_GIVE}"),
)


def detect_format(data: bytes, *, source: str) -> str:
    """Recognise a statement format by its content.

    Args:
      data: the file content.
      source: the file name, for the error message.
    Returns:
      ``"camt053"`` for XML, ``"coda"`` when the first record is a CODA header (``0`` and four
      zeros, then a DDMMYY creation date), ``"mt940"`` when SWIFT fields such as ``:20:`` or
      ``:61:`` start a line. Raises :class:`StatementError` otherwise.
    """
    head = data[:8192]
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    head = head.lstrip(b" \t\r\n")
    if not head:
        raise StatementError(source, "", "het bestand is leeg")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        raise StatementError(source, "", _zip_problem(data))
    for magic, problem in _OTHER_FILES:
        if head.startswith(magic):
            raise StatementError(source, "", problem)
    if head.startswith(b"<"):
        return "camt053"
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    if _CODA_HEADER.match(first_line):
        return "coda"
    if head.startswith(b"{1:") or _MT940_FIELD.search(head):
        return "mt940"
    raise StatementError(
        source,
        "",
        "onbekend bestandsformaat; kies een rekeningafschrift in CAMT.053 (XML), CODA of MT940",
    )


def _zip_problem(data: bytes) -> str:
    """Say what a zip file is (an Excel or Word file, or an archive of statements)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [info.filename for info in archive.infolist()[:1000]]
    except (zipfile.BadZipFile, OSError, ValueError):
        names = []
    if any(name.startswith("xl/") for name in names):
        return f"dit is een Excel-werkboek, geen rekeningafschrift; {_GIVE}"
    if any(name.startswith("word/") for name in names):
        return f"dit is een Word-document, geen rekeningafschrift; {_GIVE}"
    files = [n.rsplit("/", 1)[-1] for n in names if not n.endswith("/")]
    shown = ", ".join(files[:5]) + (f" en nog {len(files) - 5}" if len(files) > 5 else "")
    inside = f" met {shown}" if shown else ""
    return (
        f"dit is een zip-bestand{inside}; pak het eerst uit en geef de afschriften die erin "
        "zitten (CAMT.053, CODA of MT940) één voor één op"
    )


# --- Helpers shared by the readers -----------------------------------------------------------


def _collapse(text: str) -> str:
    """Return ``text`` with runs of whitespace replaced by one space, stripped."""
    return " ".join(text.split())


def _join_texts(texts: Iterable[str]) -> str:
    """Join non-empty texts with a space, each collapsed, without repeating a text."""
    seen: list[str] = []
    for text in texts:
        text = _collapse(text)
        if text and text not in seen:
            seen.append(text)
    return " ".join(seen)


def _compact_iban(value: str) -> str:
    """Return an account number without spaces, in upper case."""
    return "".join(value.split()).upper()


@lru_cache(maxsize=1 << 16)
def _parse_reference(value: str) -> str:
    """Return the compact form of a valid structured reference, or "" when it is none.

    Tries, in this order, an RF creditor reference, a Belgian OGM (12 digits; a 12-digit value
    is an OGM when its mod-97 check holds) and a Dutch betalingskenmerk.

    Args:
      value: the reference as given, e.g. ``"+++123/4567/89002+++"`` or ``"RF18 5390 0754 7034"``.
    Returns:
      The compact form, e.g. ``"123456789002"``, or "".
    """
    if not value.strip():
        return ""
    for validate in (validate_rf, validate_ogm, validate_nl_payment_reference):
        try:
            return validate(value)
        except PaymentReferenceError:
            continue
    return ""


def _cents(value: Decimal) -> Decimal:
    """Return ``value`` with two decimals when that is exact (CODA gives three)."""
    rounded = value.quantize(CENT)
    return rounded if rounded == value else value


def _stable_key(prefix: str, parts: tuple[object, ...], occurrence: int) -> str:
    """Build the bank reference of a booking whose format gives no unique one.

    The key is ``PREFIX-YYYYMMDD-`` and 16 hex digits of the SHA-256 of the booking's content:
    our account, the booking date, the amount, the reversal flag, the counterparty's IBAN and
    name, the remittance text, the structured reference, the bank's own (non-unique) reference
    when the format has one, and the occurrence number: 1 for the first booking with exactly this
    content in the file, 2 for the second, and so on. The occurrence number is counted per
    content rather than by position in the file, so that two downloads of overlapping periods
    give the same key to the same booking, while two identical payments on one day still get
    different keys.

    Args:
      prefix: the format, e.g. ``"MT940"``.
      parts: the content, the booking date (a date) first.
      occurrence: the occurrence number of this content in the file, from 1.
    Returns:
      E.g. ``"MT940-20250301-3f9a1c0b2d4e5f60"``.
    """
    text = "\x1f".join(str(part) for part in (*parts, occurrence))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    booking_date = parts[0]
    day = booking_date.strftime("%Y%m%d") if isinstance(booking_date, date) else "00000000"
    return f"{prefix}-{day}-{digest}"


@dataclass(slots=True, kw_only=True)
class _Draft:
    """A line being built by a reader, before its bank reference is final.

    ``bank_reference`` is the format's unique reference, or "" to build a stable key from the
    content and ``key_extra`` (the format's informative references).
    """

    account_iban: str
    booking_date: date
    value_date: date
    amount: Decimal
    currency: str
    counterparty_name: str = ""
    counterparty_iban: str = ""
    remittance: str = ""
    structured_reference: str = ""
    bank_reference: str = ""
    is_reversal: bool = False
    key_extra: str = ""


def _finish(drafts: list[_Draft], *, source: str, prefix: str) -> list[StatementLine]:
    """Turn drafts into statement lines, giving each a bank reference unique in the file.

    Drafts without a bank reference get a :func:`_stable_key`. When the format's own references
    repeat within the file, the second and later get ``/2``, ``/3`` appended (in file order).

    Args:
      drafts: the drafts, in file order.
      source: the file name.
      prefix: the format name for stable keys.
    Returns:
      The lines, in file order.
    """
    occurrences: dict[tuple[object, ...], int] = {}
    used: dict[str, int] = {}
    lines: list[StatementLine] = []
    for draft in drafts:
        reference = draft.bank_reference
        if not reference:
            parts: tuple[object, ...] = (
                draft.booking_date,
                draft.account_iban,
                draft.amount,
                draft.is_reversal,
                draft.counterparty_iban,
                draft.counterparty_name,
                draft.remittance,
                draft.structured_reference,
                draft.key_extra,
            )
            occurrence = occurrences.get(parts, 0) + 1
            occurrences[parts] = occurrence
            reference = _stable_key(prefix, parts, occurrence)
        count = used.get(reference, 0) + 1
        used[reference] = count
        if count > 1:
            reference = f"{reference}/{count}"
        lines.append(
            StatementLine(
                source=source,
                account_iban=draft.account_iban,
                booking_date=draft.booking_date,
                value_date=draft.value_date,
                amount=draft.amount,
                currency=draft.currency,
                counterparty_name=draft.counterparty_name,
                counterparty_iban=draft.counterparty_iban,
                remittance=draft.remittance,
                structured_reference=draft.structured_reference,
                bank_reference=reference,
                is_reversal=draft.is_reversal,
            )
        )
    return lines
