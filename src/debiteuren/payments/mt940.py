"""Read SWIFT MT940 customer statements, with the Dutch bank variants of the ``:86:`` field.

Own parser (no dependency): the fields used are few and the Dutch ``:86:`` variants need their
own handling anyway.

Structure: a file holds one or more messages (optionally in SWIFT blocks ``{1:…}{2:…}{4:`` …
``-}``, or separated by a line ``-``; header lines such as ING's ``0000 01INGBNL2AXXXX00001``,
Rabobank's ``:940:`` or ABN AMRO's ``ABNANL2A`` / ``940`` are ignored). Per message:

* ``:20:`` starts it; ``:25:`` is our account (an IBAN, possibly followed by the currency, as
  ING writes it); ``:60F:``/``:60M:`` the opening balance (mark, date, currency, amount) and
  ``:62F:``/``:62M:`` the closing balance. Opening balance + credits − debits must equal the
  closing balance, or the file is refused as incomplete.
* ``:61:`` one booking: value date YYMMDD, optional entry date MMDD, the mark (``C`` credit,
  ``D`` debit, ``RC`` reversal of a credit, ``RD`` reversal of a debit), an optional funds code,
  the amount with a decimal comma (``1234,56``), the transaction type (``N``/``F``/``S`` and
  three characters), the reference for the account owner and, after ``//``, the bank's
  reference; an optional second line with supplementary details (Rabobank puts the
  counterparty's IBAN there).
* ``:86:`` after a ``:61:``: the details of that booking, in one of these layouts:

  - structured, with codes between slashes: ING (``/EREF/…//CNTP/IBAN/BIC/NAME/CITY/`` or
    ``/ORDP//NAME/…/IBAN/…``, ``/REMI/USTD//text/`` or ``/REMI/STRD/CUR/kenmerk/``), Rabobank
    (``/EREF/``, ``/ORDP//NAME/…/ADDR/…``, ``/BENM//NAME/…``, ``/REMI/USTD//…`` or
    ``/REMI/STRD/CUR/…``), ABN AMRO SEPA (``/TRTP/…/IBAN/…/BIC/…/NAME/…/REMI/…/EREF/…``);
  - ABN AMRO's older layout with labels (``IBAN: … BIC: … NAAM: … OMSCHRIJVING: …``);
  - any other text, kept whole as the remittance.

  The payer is the ordering party (``ORDP``), else ``CNTP``, else the top-level ``NAME`` and
  ``IBAN``, else (for a reversal) the beneficiary (``BENM``).

Only ``C`` (credit) and ``RC`` (reversal of a credit, returned with ``is_reversal``) are returned;
``D``, ``RD`` and the expected entries ``EC``/``ED`` are skipped. A batch booked as one ``:61:``
is one line: MT940 has no details.

Bank reference: MT940's references are optional and not unique, so a stable key is built from
the content and the bank's reference (:func:`debiteuren.payments._stable_key`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from stdnum import iban

from debiteuren.core.money import Decimal
from debiteuren.payments import (
    StatementError,
    StatementLine,
    _cents,
    _collapse,
    _compact_iban,
    _Draft,
    _finish,
    _join_texts,
    _parse_reference,
)

__all__ = ["parse"]

_FIELD = re.compile(r":(?P<tag>\d{2}[A-Z]?):")
_BALANCE = re.compile(
    r"(?P<mark>[CD])(?P<date>\d{6})(?P<currency>[A-Z]{3})(?P<amount>\d{1,15},\d{0,2})"
)
_ENTRY = re.compile(
    r"(?P<value>\d{6})(?P<entry>\d{4})?(?P<mark>RC|RD|EC|ED|C|D)(?P<funds>[A-Z])?"
    r"(?P<amount>\d{1,15},\d{0,2})(?P<type>[NFS][A-Z0-9]{3})(?P<rest>.*)"
)
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}")
_STRUCTURED_KEYS = (
    "EREF|KREF|MARF|CSID|CNTP|REMI|PURP|ULTC|ULTD|ULTB|ORDP|BENM|NAME|ADDR|IBAN|BIC|ID|TRTP"
    "|ISDT|RTRN|SVCL|BUSP|PREF|NRTX|IREF|CREF|CDTRREFTP|CDTRREF|CITY|CTRY|ACCW|BBAN|BYOR"
)
_KEY = re.compile(rf"/(?P<key>{_STRUCTURED_KEYS})/")
_PARTY_KEYS = {"NAME", "ADDR", "IBAN", "BIC", "ID", "CITY", "CTRY"}
_PARTY_ROLES = {"ORDP": "ordp", "BENM": "benm", "ULTC": "ult", "ULTD": "ult", "ULTB": "ult"}
_LABEL = re.compile(
    r"(?P<label>IBAN|BIC|NAAM|NAME|OMSCHRIJVING|KENMERK|BETALINGSKENM\.|MACHTIGING|INCASSANT)"
    r"\s*:",
    re.IGNORECASE,
)
_NOT_PROVIDED = {"", "NOTPROVIDED", "NOT PROVIDED", "NONREF"}


@dataclass(slots=True)
class _Field:
    tag: str
    value: str
    line: int


@dataclass(slots=True)
class _Message:
    fields: list[_Field] = field(default_factory=list)


def parse(data: bytes, *, source: str) -> list[StatementLine]:
    """Parse an MT940 file.

    Args:
      data: the file content (UTF-8, else Windows-1252 / Latin-1).
      source: the file name.
    Returns:
      The credits and reversals of credits, in file order. Raises
      :class:`~debiteuren.payments.StatementError` naming the line.
    """
    messages = _messages(_decode(data).splitlines())
    if not messages:
        raise StatementError(source, "", "geen MT940-afschrift gevonden (veld :20: ontbreekt)")
    drafts: list[_Draft] = []
    for message in messages:
        drafts += _Statement(source, message).read()
    return _finish(drafts, source=source, prefix="MT940")


def _decode(data: bytes) -> str:
    """Decode as UTF-8, else Windows-1252, else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _messages(lines: list[str]) -> list[_Message]:
    """Split the lines into messages of fields, each starting at ``:20:``."""
    messages: list[_Message] = []
    message: _Message | None = None
    current: _Field | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if line.startswith("{"):
            block = line.find("{4:")
            if block < 0:
                current = None
                continue
            line = line[block + 3 :]
            if not line.strip():
                continue
        stripped = line.strip()
        if stripped in ("-", "-}") or stripped.startswith("-}"):
            message, current = None, None
            continue
        match = _FIELD.match(line)
        if match:
            tag = match.group("tag")
            if tag == "20":
                message = _Message()
                messages.append(message)
            if message is None:
                current = None
                continue
            current = _Field(tag, line[match.end() :], number)
            message.fields.append(current)
        elif current is not None:
            current.value += "\n" + line
    return messages


@dataclass(slots=True)
class _Entry:
    field: _Field
    booked: bool
    credit: bool
    reversal: bool
    amount: Decimal
    value_date: date
    booking_date: date
    bank_reference: str
    owner_reference: str
    supplementary: str
    info: str = ""


class _Statement:
    """One message: account, balances and bookings."""

    def __init__(self, source: str, message: _Message) -> None:
        self.source = source
        self.message = message
        self.account = ""
        self.currency = ""

    def fail(self, line: int, problem: str) -> StatementError:
        return StatementError(self.source, f"regel {line}", problem)

    def read(self) -> list[_Draft]:
        entries: list[_Entry] = []
        opening: Decimal | None = None
        closing: tuple[Decimal, _Field] | None = None
        last: _Entry | None = None
        for item in self.message.fields:
            tag = item.tag
            if tag == "25":
                self.account = self._account(item)
            elif tag in ("60F", "60M"):
                opening, self.currency = self._balance(item)
            elif tag == "61":
                if not self.account:
                    raise self.fail(item.line, "boeking (:61:) vóór het rekeningnummer (:25:)")
                if opening is None:
                    raise self.fail(item.line, "boeking (:61:) vóór het beginsaldo (:60F:)")
                last = self._entry(item)
                entries.append(last)
                continue
            elif tag == "86" and last is not None:
                last.info = item.value
            elif tag in ("62F", "62M"):
                closing = (self._balance(item)[0], item)
            last = None
        if opening is not None and closing is not None:
            moved = sum(
                (e.amount if e.credit else -e.amount for e in entries if e.booked),
                Decimal(0),
            )
            if opening + moved != closing[0]:
                raise self.fail(
                    closing[1].line,
                    f"het eindsaldo klopt niet met het beginsaldo en de boekingen (verschil "
                    f"{closing[0] - opening - moved}); het bestand is onvolledig of beschadigd",
                )
        return [draft for entry in entries if (draft := self._draft(entry)) is not None]

    # -- fields -----------------------------------------------------------------------------

    def _account(self, item: _Field) -> str:
        value = _compact_iban(item.value.split("\n")[0])
        if not value:
            raise self.fail(item.line, "het rekeningnummer (:25:) is leeg")
        if value[-3:].isalpha() and iban.is_valid(value[:-3]):
            return value[:-3]
        return value

    def _balance(self, item: _Field) -> tuple[Decimal, str]:
        text = item.value.split("\n")[0].strip()
        match = _BALANCE.fullmatch(text)
        if not match:
            raise self.fail(item.line, f"saldo :{item.tag}: '{text}' is ongeldig")
        self._date(match.group("date"), item)
        amount = _amount(match.group("amount"))
        return (amount if match.group("mark") == "C" else -amount), match.group("currency")

    def _entry(self, item: _Field) -> _Entry:
        first, _, supplementary = item.value.partition("\n")
        match = _ENTRY.fullmatch(first.strip())
        if not match:
            raise self.fail(item.line, f"boeking :61: '{first.strip()}' is ongeldig")
        value_date = self._date(match.group("value"), item)
        booking_date = value_date
        if match.group("entry"):
            month, day = int(match.group("entry")[:2]), int(match.group("entry")[2:])
            year = value_date.year
            if month == 12 and value_date.month == 1:
                year -= 1
            elif month == 1 and value_date.month == 12:
                year += 1
            try:
                booking_date = date(year, month, day)
            except ValueError:
                raise self.fail(
                    item.line, f"boekingsdatum '{match.group('entry')}' is ongeldig"
                ) from None
        mark = match.group("mark")
        owner, _, bank = match.group("rest").partition("//")
        return _Entry(
            field=item,
            booked=mark not in ("EC", "ED"),
            credit=mark in ("C", "RD", "EC"),
            reversal=mark in ("RC", "RD"),
            amount=_amount(match.group("amount")),
            value_date=value_date,
            booking_date=booking_date,
            bank_reference=bank.strip(),
            owner_reference=owner.strip(),
            supplementary=supplementary,
        )

    def _date(self, text: str, item: _Field) -> date:
        try:
            return date(2000 + int(text[0:2]), int(text[2:4]), int(text[4:6]))
        except ValueError:
            raise self.fail(item.line, f"datum '{text}' is ongeldig") from None

    # -- the line ---------------------------------------------------------------------------

    def _draft(self, entry: _Entry) -> _Draft | None:
        if not entry.booked or entry.amount == 0:
            return None
        if entry.credit and not entry.reversal:
            is_reversal = False
        elif not entry.credit and entry.reversal:
            is_reversal = True
        else:
            return None
        details = parse_details(entry.info, reversal=is_reversal)
        iban = details.iban or _supplementary_iban(entry.supplementary)
        owner = "" if entry.owner_reference.upper() in _NOT_PROVIDED else entry.owner_reference
        return _Draft(
            account_iban=self.account,
            booking_date=entry.booking_date,
            value_date=entry.value_date,
            amount=entry.amount,
            currency=self.currency,
            counterparty_name=details.name,
            counterparty_iban=iban,
            remittance=details.remittance,
            structured_reference=details.structured,
            is_reversal=is_reversal,
            key_extra="|".join((entry.bank_reference, owner, details.end_to_end)),
        )


def _amount(text: str) -> Decimal:
    """Return an MT940 amount (``1234,56`` or ``1234,``) as a Decimal with two decimals."""
    whole, _, fraction = text.partition(",")
    return _cents(Decimal(f"{whole}.{fraction or '0'}"))


def _supplementary_iban(text: str) -> str:
    """Return an IBAN at the start of the ``:61:`` supplementary details (Rabobank), or ""."""
    for token in text.split():
        token = token.strip().upper()
        if _IBAN.fullmatch(token):
            return token
        break
    return ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Details:
    """What a ``:86:`` field says about a booking.

    Attributes:
      name: the payer's name, or "".
      iban: the payer's IBAN, or "".
      remittance: the free text, or "".
      structured: a valid structured reference from ``/REMI/STRD/``, in compact form, or "".
      end_to_end: the end-to-end reference (``/EREF/``), or "".
    """

    name: str = ""
    iban: str = ""
    remittance: str = ""
    structured: str = ""
    end_to_end: str = ""


def parse_details(info: str, *, reversal: bool = False) -> Details:
    """Read the ``:86:`` field of a booking in any of the known layouts.

    Args:
      info: the field's text, continuation lines separated by newlines.
      reversal: True for a reversal, where the beneficiary may be the payer.
    Returns:
      The details.

    >>> parse_details("/TRTP/SEPA OVERBOEKING/IBAN/NL44RABO0123456789/BIC/RABONL2U"
    ...               "/NAME/J. JANSEN/REMI/Factuur 2025-017/EREF/NOTPROVIDED").name
    'J. JANSEN'
    """
    joined = info.replace("\n", "")
    if _KEY.search(joined) and joined.lstrip().startswith("/"):
        return _structured_details(joined, reversal=reversal)
    spaced = _collapse(info.replace("\n", " "))
    if len({m.group("label").upper() for m in _LABEL.finditer(spaced)}) >= 2:
        return _labelled_details(spaced)
    return Details(remittance=spaced)


def _structured_details(text: str, *, reversal: bool) -> Details:
    """Read a ``:86:`` with ``/CODE/value`` pairs (ING, Rabobank, ABN AMRO SEPA)."""
    matches = list(_KEY.finditer(text))
    parties: dict[str, dict[str, str]] = {}
    role = "top"
    remittance: list[str] = []
    structured = ""
    end_to_end = ""
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        key = match.group("key")
        value = text[match.end() : end].strip("/").strip()
        if key in _PARTY_ROLES:
            role = _PARTY_ROLES[key]
            if value and role != "ult":
                parties.setdefault(role, {}).setdefault("NAME", value)
            continue
        if key in _PARTY_KEYS:
            parties.setdefault(role, {}).setdefault(key, value)
            continue
        role = "top"
        if key == "CNTP":
            parts = [p.strip() for p in value.split("/")]
            party = parties.setdefault("cntp", {})
            for name, part in zip(("IBAN", "BIC", "NAME", "CITY"), parts, strict=False):
                if part:
                    party.setdefault(name, part)
        elif key == "REMI":
            kind, _, rest = value.partition("/")
            if kind.upper() == "USTD":
                remittance.append(rest.lstrip("/"))
            elif kind.upper() == "STRD":
                pieces = [p for p in rest.split("/") if p]
                raw = pieces[-1] if pieces else ""
                compact = _parse_reference(raw)
                if compact and not structured:
                    structured = compact
                elif raw:
                    remittance.append(raw)
            else:
                remittance.append(value)
        elif key == "EREF":
            end_to_end = "" if value.upper() in _NOT_PROVIDED else value
    order = ["ordp", "cntp", "top", "benm"] if reversal else ["ordp", "cntp", "top"]
    name, iban = "", ""
    for candidate in order:
        party = parties.get(candidate)
        if not party:
            continue
        name = name or _collapse(party.get("NAME", ""))
        iban = iban or _compact_iban(party.get("IBAN", ""))
        if name and iban:
            break
    return Details(
        name=name,
        iban=iban,
        remittance=_join_texts(remittance),
        structured=structured,
        end_to_end=end_to_end,
    )


def _labelled_details(text: str) -> Details:
    """Read ABN AMRO's older ``:86:`` with ``IBAN:``, ``NAAM:``, ``OMSCHRIJVING:`` labels."""
    matches = list(_LABEL.finditer(text))
    values: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        label = match.group("label").upper().rstrip(".")
        values.setdefault(label, text[match.end() : end].strip())
    structured = _parse_reference(values.get("BETALINGSKENM", ""))
    texts = [values.get("OMSCHRIJVING", "")]
    if values.get("BETALINGSKENM") and not structured:
        texts.append(values["BETALINGSKENM"])
    return Details(
        name=values.get("NAAM", values.get("NAME", "")),
        iban=_compact_iban(values.get("IBAN", "")),
        remittance=_join_texts(texts),
        structured=structured,
        end_to_end=values.get("KENMERK", ""),
    )
