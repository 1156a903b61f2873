"""Read Belgian CODA statements (Febelfin "Standard CODA 2.x", version code 2).

A CODA file is a series of 128-character records; a file may hold several statements (one per
account), each running from a header record 0 to a trailer record 9. Files are usually written
in ISO 8859-1 or Windows-1252; UTF-8 is accepted when every record still has at most 128
characters.

Record positions used here (1-based, inclusive, as in the standard):

=======  =====================================================================================
Record   Positions
=======  =====================================================================================
0        1 ``0``; 2-5 zeros; 6-11 creation date DDMMYY; 128 version code (must be ``2``)
1        2 account structure (0 Belgian number, 1 foreign number, 2 Belgian IBAN, 3 foreign
         IBAN); 6-42 account and currency: structure 0: 6-17 number, 19-21 currency;
         structure 2: 6-36 IBAN, 40-42 currency; structures 1 and 3: 6-39 number, 40-42
         currency
21       3-6 continuous sequence number; 7-10 detail number (0000 for the movement itself);
         11-31 bank reference (informative); 32 sign (0 credit, 1 debit); 33-47 amount (12
         digits, 3 decimals); 48-53 value date DDMMYY (000000 when unknown); 54-61 transaction
         code (54 type, 55-56 family, 57-58 transaction, 59-61 category); 62 communication
         type (0 free, 1 structured); 63-115 communication (structured: 63-65 type code, 66-77
         the OGM for types 101 and 102); 116-121 entry date DDMMYY
22       11-63 communication (continued); 64-98 customer reference; 99-109 counterparty BIC;
         113 type of R-transaction (1 reject, 2 return, 3 refund, 4 reversal, 5 cancellation)
23       11-47 counterparty account and currency; 48-82 counterparty name; 83-125
         communication (continued)
31-33    information records: counted; 31 with structured communication type 001 (data of
         the counterparty) after a movement with its sequence number: 44-113 the
         counterparty's name, up to 70 characters, shown instead of record 23's (35) when
         that is its start or empty; the free communication of 31 (41-113), 32 (11-115)
         and 33 (11-100) of the movement before them is read for the payer's IBAN only
         (:func:`~debiteuren.payments.lines.payer_from_text`)
4        free communication: not read
8        new balance: counted
9        17-22 number of records 1, 2x, 3x and 8; 23-37 debit total and 38-52 credit total:
         the sums of the amounts of the 21 records with detail number 0000
=======  =====================================================================================

Checks: every record has at most 128 characters (shorter ones are padded with spaces); amounts
and dates are valid; 22, 23 and 3x records follow their movement, and a detail (21 with a
detail number) the movement of its sequence number; each statement ends with a
trailer whose count and totals agree. Anything else raises a StatementError with the line.

Movements: transaction-code type 1 or 2 (a total made by the customer or the bank) followed by
details of type 5, 6 or 7 is a batch: its details are returned, each with its own amount, when
they add up to the total; otherwise the total is returned. Details of type 8 and 9 are for
information only and skipped. A credit (sign 0) is returned; a debit is returned as a reversal
of a credit when it is an R-transaction (22 position 113, or communication 127, is 1 to 5) or
has transaction code 99 ("cancellation or correction" of a credit transaction; 89 in family
00) or 49, or a code that names the undoing of a credit (a reimbursed or reversed direct debit,
05 54 and 05 58; a reversed voucher or cheque, 03 60, 03 62, 43 62); other debits are
skipped. A credit that is an R-transaction, an unexecutable transfer order of ours (01 54,
41 54) or the cancellation of a debit transaction (49; 39 in family 00) gives back our own
money: no line, counted as returned.

Communication: structured type 101 or 102 gives the OGM as ``structured_reference`` (an OGM that
fails its check is kept as text), type 100 an RF creditor reference the same way, type 127 (SEPA
direct debit) its communication as text and its type of R-transaction, type 105 (the original
amount of a payment from abroad) a text with that amount, its currency and rate and the gross
amount (the booked amount stays the movement's); other known structured types (a card
terminal, a term investment, a closing) say their kind in Dutch, without their data; free
communication is the concatenation of the parts in records 21, 22 and 23.

Bank reference: the standard calls the bank reference informative, so a stable key is built
from the content and that reference (:func:`debiteuren.payments._stable_key`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from debiteuren.core.money import CENT, ZERO, Decimal
from debiteuren.formatting import euro

from .lines import (
    StatementError,
    StatementLine,
    StatementSummary,
    _cents,
    _collapse,
    _compact_iban,
    _Draft,
    _finish,
    _join_texts,
    _parse_reference,
    _Repeats,
    is_currency_code,
    key_parts,
    payer_from_text,
)

__all__ = ["parse", "parse_file"]

_RECORD = 128
_THOUSAND = Decimal(1000)
_BATCH_TOTAL = {"1", "2"}
_BATCH_DETAIL = {"5", "6", "7"}
_INFO_DETAIL = {"8", "9"}
_R_TYPES = {"1", "2", "3", "4", "5"}
#: Transaction families of transfers we issued (domestic, foreign) and the transaction code of
#: an "unexecutable transfer order": a credit with it is our own transfer coming back.
_ISSUED_FAMILIES = {"01", "41"}
_UNEXECUTABLE = "54"
#: Transactions 01-49 are debits and 50-99 credits (Febelfin CODA 2.6, annex II), and every
#: family ends both with "cancellation or correction": 49 of a debit transaction (booked as a
#: credit it gives back money that went out: no customer payment), 99 of a credit transaction
#: (booked as a debit it takes back money that came in: a storno); family 00, "undefined
#: transactions", has 39 and 89 ("cancellation of a transaction").
_CANCELS_DEBIT = "49"
_CANCELS_CREDIT = "99"
_UNDEFINED = "00"
_UNDEFINED_CANCELS = {"39": _CANCELS_DEBIT, "89": _CANCELS_CREDIT}
#: Transactions (family, transaction) in the credit range that undo money that came in, by
#: their name alone (Febelfin CODA 2.6, annex II): a direct debit collected for us that the
#: debtor had reimbursed (05 54) or that was reversed (05 58), a voucher or cheque credited
#: under usual reserve and then reversed (03 60, 03 62; foreign cheques 43 62). Booked as a
#: debit they are a storno, also without an R-transaction type.
_REVERSES_CREDIT = {("05", "54"), ("05", "58"), ("03", "60"), ("03", "62"), ("43", "62")}


@dataclass(slots=True, kw_only=True)
class _Movement:
    """One movement (record 21 and its 22 and 23), as read."""

    line: int
    sequence: str
    detail: str
    bank_reference: str
    credit: bool
    amount: Decimal
    value_date: date | None
    entry_date: date
    code: str
    structured: bool
    communication: list[str] = field(default_factory=list)
    r_type: str = ""
    customer_reference: str = ""
    counterparty_iban: str = ""
    counterparty_name: str = ""
    full_name: str = ""
    information: list[str] = field(default_factory=list)
    expects_more: bool = False

    @property
    def kind(self) -> str:
        """The transaction-code type (position 54)."""
        return self.code[0]

    @property
    def signed(self) -> Decimal:
        return self.amount if self.credit else -self.amount


def _follows_its_movement(movements: list[_Movement], sequence: str) -> bool:
    """Return whether the last movement of the statement (its record 21 with detail number
    0000) has this sequence number, so that a detail with it belongs to that movement."""
    for movement in reversed(movements):
        if movement.detail == "0000":
            return movement.sequence == sequence
    return False


@dataclass(slots=True)
class _Statement:
    """The records of one statement, between a record 0 and a record 9."""

    line: int
    account: str = ""
    currency: str = ""
    number: str = ""
    old_balance: Decimal = ZERO
    new_balance: Decimal | None = None
    new_date: date | None = None
    created: date | None = None
    counted: int = 0
    debit_total: Decimal = ZERO
    credit_total: Decimal = ZERO
    movements: list[_Movement] = field(default_factory=list)


def parse(data: bytes, *, source: str) -> list[StatementLine]:
    """Parse a CODA file; see :func:`parse_file`."""
    return parse_file(data, source=source)[0]


def parse_file(data: bytes, *, source: str) -> tuple[list[StatementLine], list[StatementSummary]]:
    """Parse a CODA file whole: trailer counts and totals, and old + movements = new balance.

    Args:
      data: the file content (ISO 8859-1 or Windows-1252, or UTF-8).
      source: the file name.
    Returns:
      The credits and reversals of credits, in file order, and one summary per statement.
      Raises :class:`~debiteuren.payments.StatementError` naming the line.
    """
    reader = _Reader(source)
    records, reader.windows = _decode(data)
    lines = reader.read(records)
    return lines, reader.summaries


def _decode(data: bytes) -> tuple[list[str], bool]:
    """Return the records of a CODA file: UTF-8 when that keeps them at 128 characters or less,
    else Windows-1252 (Latin-1 with ``’``, ``€``, ``Œ`` where Latin-1 has control codes: what
    Windows programs write as "ANSI"), else Latin-1; and whether Windows-1252 read a byte
    that Latin-1 reads otherwise (one of 0x80 to 0x9F)."""
    try:
        lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        lines = []
    if lines and all(len(line) <= _RECORD for line in lines):
        return lines, False
    data = data.removeprefix(b"\xef\xbb\xbf")  # an editor's UTF-8 mark before Windows text
    try:
        return data.decode("cp1252").splitlines(), _WINDOWS_ONLY.search(data) is not None
    except UnicodeDecodeError:
        return data.decode("latin-1").splitlines(), False


#: The bytes Windows-1252 reads as characters and Latin-1 as control codes.
_WINDOWS_ONLY = re.compile(rb"[\x80-\x9f]")


def _as_latin1(text: str) -> str:
    """Return a text read as Windows-1252 as Latin-1 reads the same bytes (what versions that
    read CODA as Latin-1 made of it)."""
    try:
        return text.encode("cp1252").decode("latin-1")
    except UnicodeEncodeError:
        return text


class _Reader:
    """The state of one pass over a CODA file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.drafts: list[_Draft] = []
        self.statement: _Statement | None = None
        self.movement: _Movement | None = None
        self.lineno = 0
        self.summaries: list[StatementSummary] = []
        self.returned = [0, ZERO]
        self.repeats = _Repeats(source)
        self.windows = False

    def fail(self, problem: str, line: int | None = None) -> StatementError:
        return StatementError(self.source, f"regel {line or self.lineno}", problem)

    def read(self, lines: list[str]) -> list[StatementLine]:
        for self.lineno, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            if len(raw) > _RECORD:
                raise self.fail(f"een CODA-record heeft 128 tekens, deze regel heeft er {len(raw)}")
            record = raw.ljust(_RECORD)
            kind = record[0]
            if kind == "0":
                self._header(record)
                continue
            statement = self.statement
            if statement is None:
                raise self.fail("record zonder voorafgaand beginrecord (type 0)")
            if kind == "1":
                statement.counted += 1
                self._old_balance(record, statement)
            elif kind == "2":
                statement.counted += 1
                self._movement(record, statement)
            elif kind == "3":
                statement.counted += 1
                self._information(record)
            elif kind == "4":
                self.movement = None
            elif kind == "8":
                statement.counted += 1
                self.movement = None
                self._new_balance(record, statement)
            elif kind == "9":
                self._trailer(record, statement)
            else:
                raise self.fail(f"onbekend recordtype '{kind}'")
        if self.statement is not None:
            raise self.fail(
                "het bestand houdt hier op zonder afsluitrecord (type 9) voor het afschrift "
                f"dat op regel {self.statement.line} begint; het is onvolledig"
            )
        return _finish(self.drafts, source=self.source, prefix="CODA")

    # -- records ----------------------------------------------------------------------------

    def _header(self, record: str) -> None:
        if self.statement is not None:
            raise self.fail(
                "nieuw beginrecord (type 0) voordat het vorige afschrift is afgesloten (type 9)"
            )
        if record[1:5] != "0000":
            raise self.fail("beginrecord (type 0) moet met 00000 beginnen")
        created = self._date(record[5:11], "aanmaakdatum")
        version = record[127]
        if version != "2":
            raise self.fail(
                f"CODA-versie '{version.strip() or 'leeg'}' wordt niet ondersteund; "
                "vraag de bank om CODA 2"
            )
        self.statement = _Statement(self.lineno, created=created)
        self.movement = None

    def _old_balance(self, record: str, statement: _Statement) -> None:
        if statement.account:
            raise self.fail(
                "tweede record 1 (oud saldo) in hetzelfde afschrift; het bestand heeft een vorm "
                "die debiteuren niet kent"
            )
        structure = record[1]
        if structure == "0":
            account, currency = record[5:17], record[18:21]
        elif structure == "2":
            account, currency = record[5:36], record[39:42]
        elif structure in "13":
            account, currency = record[5:39], record[39:42]
        else:
            raise self.fail(f"onbekende rekeningstructuur '{structure}' in record 1")
        statement.account = _compact_iban(account)
        statement.currency = currency.strip() or "EUR"
        if not is_currency_code(statement.currency):
            shown = statement.currency.replace("'", "")
            raise self.fail(f"valutacode '{shown}' in record 1 is geen valutacode (zoals EUR)")
        if not statement.account:
            raise self.fail("het rekeningnummer ontbreekt in record 1")
        sign = record[42]
        if sign not in "01":
            raise self.fail(f"teken van het oud saldo '{sign}' is geen 0 of 1")
        old = self._amount(record[43:58], "oud saldo")
        statement.old_balance = -old if sign == "1" else old
        statement.number = record[125:128].strip()

    def _new_balance(self, record: str, statement: _Statement) -> None:
        sign = record[41]
        if sign not in "01":
            raise self.fail(f"teken van het nieuw saldo '{sign}' is geen 0 of 1")
        new = self._amount(record[42:57], "nieuw saldo")
        statement.new_balance = -new if sign == "1" else new
        text = record[57:63]
        statement.new_date = None if not text.strip("0 ") else self._date(text, "datum nieuw saldo")

    def _movement(self, record: str, statement: _Statement) -> None:
        if not statement.account:
            raise self._no_old_balance()
        article = record[1]
        sequence, detail = record[2:6], record[6:10]
        if article == "1":
            if self.movement is not None and self.movement.expects_more:
                raise self.fail("een vervolgrecord (22 of 23) ontbreekt vóór deze regel")
            sign = record[31]
            if sign not in "01":
                raise self.fail(f"bij/af-teken '{sign}' is geen 0 of 1")
            amount = self._amount(record[32:47], "bedrag")
            if amount != amount.quantize(CENT) and statement.currency in ("", "EUR"):
                raise self.fail(
                    f"bedrag {record[32:47]} heeft een derde decimaal die geen nul is: geen "
                    "eurobedrag"
                )
            value_text = record[47:53]
            value_date = None if value_text == "000000" else self._date(value_text, "valutadatum")
            entry_date = self._date(record[115:121], "boekingsdatum")
            code = record[53:61]
            if not (code.isascii() and code.isdigit()):
                raise self.fail(f"transactiecode '{code}' is ongeldig")
            if detail != "0000" and not _follows_its_movement(statement.movements, sequence):
                # a detail's amount is no part of the trailer's totals: read on its own it
                # would be money the balance does not show
                raise self.fail(
                    f"detail {detail} van beweging {sequence} staat niet na die beweging "
                    "(record 21 met detailnummer 0000); het bestand heeft een vorm die "
                    "debiteuren niet kent"
                )
            movement = _Movement(
                line=self.lineno,
                sequence=sequence,
                detail=detail,
                bank_reference=record[10:31].strip(),
                credit=sign == "0",
                amount=amount,
                value_date=value_date,
                entry_date=entry_date,
                code=code,
                structured=record[61] == "1",
                communication=[record[62:115]],
                expects_more=record[125] == "1",
            )
            statement.movements.append(movement)
            if detail == "0000":
                if sign == "0":
                    statement.credit_total += amount
                else:
                    statement.debit_total += amount
            self.movement = movement
            return
        movement = self.movement
        if article not in "23":
            raise self.fail(f"onbekend bewegingsrecord '2{article}'")
        if movement is None or not movement.expects_more:
            raise self.fail(f"record 2{article} zonder voorafgaand bewegingsrecord 21")
        if (sequence, detail) != (movement.sequence, movement.detail):
            raise self.fail(
                f"record 2{article} hoort bij beweging {sequence}/{detail}, "
                f"maar volgt op beweging {movement.sequence}/{movement.detail}"
            )
        if article == "2":
            movement.communication.append(record[10:63])
            movement.customer_reference = record[63:98].strip()
            movement.r_type = record[112].strip()
        else:
            account = record[10:47].split()
            movement.counterparty_iban = _compact_iban(account[0]) if account else ""
            movement.counterparty_name = _collapse(record[47:82])
            movement.communication.append(record[82:125])
        movement.expects_more = record[125] == "1"

    def _information(self, record: str) -> None:
        if record[1] not in "123":
            raise self.fail(f"onbekend informatierecord '3{record[1]}'")
        movement = self.movement
        if movement is not None and movement.expects_more:
            raise self.fail("een vervolgrecord (22 of 23) ontbreekt vóór deze regel")
        # of the movement before it: its sequence number (banks give it the movement's
        # detail number or the next one, KBC 0001 after 0000)
        if movement is None or record[2:6] != movement.sequence:
            return
        if record[1] == "1" and record[39:43] == "1001":
            # structured, type 001: data of the counterparty
            movement.full_name = movement.full_name or _collapse(record[43:113])
        elif record[1] == "1" and record[39] == "0":  # free communication
            movement.information.append(record[40:113])
        elif record[1] == "2":
            movement.information.append(record[10:115])
        elif record[1] == "3":
            movement.information.append(record[10:100])

    def _no_old_balance(self) -> StatementError:
        """The error for a record of a statement whose record 1 (our account and its old
        balance) did not come first: its lines would have no account, its balance no start."""
        return self.fail(
            "het afschrift heeft geen record 1 (rekening en oud saldo) vóór deze regel; het "
            "bestand is onvolledig of beschadigd"
        )

    def _trailer(self, record: str, statement: _Statement) -> None:
        if not statement.account:
            raise self._no_old_balance()
        if self.movement is not None and self.movement.expects_more:
            raise self.fail("een vervolgrecord (22 of 23) ontbreekt vóór deze regel")
        count_text = record[16:22]
        if not (count_text.isascii() and count_text.isdigit()):
            raise self.fail(f"aantal records '{count_text}' is geen getal")
        label = self._label(statement)
        if int(count_text) != statement.counted:
            raise self.fail(
                f"{label}: het afsluitrecord telt {int(count_text)} records, maar het afschrift "
                f"heeft er {statement.counted} (verschil {statement.counted - int(count_text)}); "
                "het bestand is onvolledig of beschadigd"
            )
        debit = self._amount(record[22:37], "totaal debet")
        credit = self._amount(record[37:52], "totaal credit")
        for what, said, found in (
            ("debet", debit, statement.debit_total),
            ("credit", credit, statement.credit_total),
        ):
            if said != found:
                raise self.fail(
                    f"{label}: het totaal {what} in het afsluitrecord is {euro(said)}, maar de "
                    f"bewegingen geven {euro(found)} (verschil {euro(found - said)}); het bestand "
                    "is onvolledig of beschadigd"
                )
        if statement.new_balance is None:
            raise self.fail(f"{label}: het nieuw saldo (record 8) ontbreekt")
        expected = statement.old_balance + statement.credit_total - statement.debit_total
        if expected != statement.new_balance:
            raise self.fail(
                f"{label} van rekening {statement.account} klopt niet: oud saldo "
                f"{euro(statement.old_balance)} plus de bewegingen is {euro(expected)}, maar het "
                f"nieuw saldo is {euro(statement.new_balance)} (verschil "
                f"{euro(statement.new_balance - expected)}); het bestand is onvolledig of "
                "beschadigd"
            )
        self.returned = [0, ZERO]
        first = len(self.drafts)
        self._emit(statement)
        credits = sum(1 for m in statement.movements if m.detail == "0000" and m.credit)
        debits = sum(1 for m in statement.movements if m.detail == "0000" and not m.credit)
        self.summaries.append(
            StatementSummary(
                label=label,
                account=statement.account,
                currency=statement.currency,
                day=statement.new_date or statement.created,
                credits=credits,
                credit_total=statement.credit_total,
                debits=debits,
                debit_total=statement.debit_total,
                returned=self.returned[0],
                returned_total=self.returned[1],
                opening=statement.old_balance,
                closing=statement.new_balance,
            )
        )
        self.repeats.check(self.summaries[-1], self.drafts[first:], f"regel {statement.line}")
        self.statement = None
        self.movement = None

    @staticmethod
    def _label(statement: _Statement) -> str:
        return f"afschrift {statement.number}" if statement.number.strip("0") else "afschrift"

    # -- fields -----------------------------------------------------------------------------

    def _amount(self, text: str, what: str) -> Decimal:
        if len(text) != 15 or not text.isascii() or not text.isdigit():
            raise self.fail(f"{what} '{text.strip() or 'leeg'}' is geen geldig bedrag")
        return _cents(Decimal(int(text)) / _THOUSAND)

    def _date(self, text: str, what: str) -> date:
        try:
            if not (text.isascii() and text.isdigit()):
                raise ValueError
            return date(2000 + int(text[4:6]), int(text[2:4]), int(text[0:2]))
        except ValueError:
            raise self.fail(f"{what} '{text.strip() or 'leeg'}' is geen geldige datum") from None

    # -- lines ------------------------------------------------------------------------------

    def _emit(self, statement: _Statement) -> None:
        """Add the drafts of a complete, checked statement."""
        movements = statement.movements
        index = 0
        while index < len(movements):
            movement = movements[index]
            index += 1
            if movement.detail != "0000":
                if movement.kind not in _INFO_DETAIL:
                    self._add(movement, statement)
                continue
            details: list[_Movement] = []
            while (
                index < len(movements)
                and movements[index].detail != "0000"
                and movements[index].sequence == movement.sequence
            ):
                details.append(movements[index])
                index += 1
            batch = [d for d in details if d.kind in _BATCH_DETAIL]
            if (
                movement.kind in _BATCH_TOTAL
                and batch
                and sum((d.signed for d in batch), Decimal(0)) == movement.signed
            ):
                for detail in batch:
                    self._add(detail, statement)
            else:
                self._add(movement, statement)

    def _add(self, movement: _Movement, statement: _Statement) -> None:
        remittance, structured, r_type = _communication(movement)
        family, transaction = movement.code[1:3], movement.code[3:5]
        if family == _UNDEFINED:
            transaction = _UNDEFINED_CANCELS.get(transaction, transaction)
        own_return = (
            r_type in _R_TYPES
            or (family in _ISSUED_FAMILIES and transaction == _UNEXECUTABLE)
            or transaction == _CANCELS_DEBIT
        )
        if movement.credit and own_return:
            # A transfer of ours that came back (rejected, returned, cancelled): no customer
            # payment.
            self.returned[0] += 1
            self.returned[1] += movement.amount
            return
        if movement.credit:
            is_reversal = False
        elif (
            r_type in _R_TYPES
            or transaction == _CANCELS_CREDIT
            or movement.code[3:5] == "49"  # on a debit as before; it corrects a debit
            or (family, transaction) in _REVERSES_CREDIT
        ):
            is_reversal = True
        else:
            return
        if movement.amount == 0:
            return
        draft = _Draft(
            account_iban=statement.account,
            booking_date=movement.entry_date,
            value_date=movement.value_date or movement.entry_date,
            amount=movement.amount,
            currency=statement.currency,
            counterparty_name=movement.counterparty_name,
            counterparty_iban=movement.counterparty_iban,
            remittance=remittance,
            structured_reference=structured,
            is_reversal=is_reversal,
            key_extra="|".join(
                (movement.bank_reference, movement.detail, movement.customer_reference)
            ),
        )
        full, name = movement.full_name, movement.counterparty_name
        if full != name and full.startswith(name):
            draft.shown_name = full  # the name record 23 cut at 35 characters (or left out)
        before = draft
        if self.windows:  # read as Latin-1 before: the line keeps the key it had then
            before = replace(
                draft,
                counterparty_name=_as_latin1(draft.counterparty_name),
                remittance=_as_latin1(draft.remittance),
                key_extra=_as_latin1(draft.key_extra),
            )
        if movement.structured and (remittance or structured) and not _read_before(movement):
            # types other than 101 and 102 gave no text before: the line keeps the key it
            # had then
            draft.key_parts = key_parts(replace(before, remittance="", structured_reference=""))
        elif before is not draft:
            draft.key_parts = key_parts(before)
        # a payer's IBAN that only the free communication names, as in CAMT.053
        information = "".join(movement.information)
        payer_from_text(
            draft, (remittance, _collapse(information)) if information else (remittance,)
        )
        self.drafts.append(draft)


def _communication(movement: _Movement) -> tuple[str, str, str]:
    """Return the remittance text, the structured reference (compact, or "") and the type of
    R-transaction of a movement, from its communication (records 21, 22 and 23 joined).

    Structured types read: 101 and 102 (the OGM, 12 digits; one that fails its check stays
    as text), 100 (an ISO 11649 RF creditor reference, 25 positions) and 127 (a SEPA direct
    debit: its communication, positions 80-141 after the type, and the type of
    R-transaction, position 142, which some banks give only here, not in record 22) and 105
    (the original amount of the transaction: :func:`_original_amount`; the movement's amount,
    what reached the account, stays the booked amount). Other structured types (card and
    terminal data, interest, fees) give what kind of communication they are (:data:`_KINDS`),
    without their data: no number of a card, terminal or period to read as an invoice number.
    """
    communication = "".join(movement.communication)
    if not movement.structured:
        return _collapse(communication), "", movement.r_type
    kind = communication[:3]
    if kind in ("101", "102"):
        given = communication[3:15]
    elif kind == "100":
        given = communication[3:28]
    elif kind == "127":
        return _collapse(communication[82:144]), "", movement.r_type or communication[144:145]
    elif kind == "105":
        text, given = _original_amount(communication[3:77])
        structured = _parse_reference(given)
        return _join_texts([text, "" if structured else given]), structured, movement.r_type
    else:
        return _KINDS.get(kind, ""), "", movement.r_type
    structured = _parse_reference(given.strip())
    return ("" if structured else _collapse(given)), structured, movement.r_type


#: The structured communications read by their kind only (Febelfin, Standard CODA 2.6, annex
#: III), as Dutch texts without digits: a credit from a card terminal, a term investment or a
#: closing says what it is instead of nothing, and gives the matcher no number to read.
_KINDS = {
    "103": "Nummer (cheque, kaart)",
    "104": "Tegenwaarde in euro",
    "106": "Berekening (btw, roerende voorheffing, commissie)",
    "107": "Domiciliëring (oud formaat)",
    "108": "Afsluiting (interest en kosten)",
    "111": "Betaalterminal, verzamelde betalingen",
    "112": "Betaling aan een geldautomaat",
    "113": "Betaling met een bankkaart (geldautomaat of betaalterminal)",
    "114": "Betaalterminal, één betaling",
    "115": "Storting aan een terminal",
    "120": "Correctie van een verrichting",
    "121": "Handelspapier",
    "122": "Handelspapier, interestberekening",
    "123": "Kosten en commissies",
    "124": "Kredietkaart",
    "125": "Krediet",
    "126": "Termijnbelegging",
}


def _original_amount(fields: str) -> tuple[str, str]:
    """Return the text of structured communication type 105, "original amount of the
    transaction", and the structured format communication it holds ("" when none).

    Layout (Febelfin, Standard CODA 2.6, annex III, after the type code): 15 the gross amount
    in the currency of the account (12 digits, 3 decimals), 15 the gross amount in the
    original currency, 12 the rate (4 digits, 8 decimals), 3 the original currency, 12 a
    structured format communication, 2 the principal's country code, 15 the equivalent in
    EUR. A part that is empty, zero or not digits is left out of the text.

    >>> text, given = _original_amount(
    ...     "000000001152060000000001250000000092165000USD090933755493US000000001152060"
    ... )
    >>> text.split(", "), given
    (['Oorspronkelijk bedrag USD 1.250,00', 'koers 0,92165', 'bruto 1.152,06 in de munt van de \
rekening', 'opdrachtgever uit US'], '090933755493')
    """
    parts = []
    original, currency = _coda_number(fields[15:30], 3), fields[42:45].strip()
    if original:
        parts.append(f"Oorspronkelijk bedrag {currency} {_dutch(original, 2)}".replace("  ", " "))
    rate = _coda_number(fields[30:42], 8)
    if rate:
        parts.append(f"koers {_dutch(rate, 4)}")
    gross = _coda_number(fields[0:15], 3)
    if gross:
        parts.append(f"bruto {_dutch(gross, 2)} in de munt van de rekening")
    country = fields[57:59].strip()
    if country.isalpha():
        parts.append(f"opdrachtgever uit {country.upper()}")
    text = ", ".join(parts)
    return (text[:1].upper() + text[1:]), fields[45:57].strip()


def _coda_number(text: str, decimals: int) -> Decimal:
    """Return a CODA number with implied decimals, or zero when it is empty or not digits
    (0-9 only: a superscript ² of a Latin-1 file is a digit to :meth:`str.isdigit`)."""
    text = text.strip()
    return Decimal(int(text)).scaleb(-decimals) if text.isascii() and text.isdigit() else ZERO


def _dutch(value: Decimal, places: int) -> str:
    """Return a number as written in Dutch (``1.250,00``) with at least ``places`` decimals."""
    shown = f"{value:,.{max(places, -value.normalize().as_tuple().exponent)}f}"
    return shown.replace(",", "_").replace(".", ",").replace("_", ".")


def _read_before(movement: _Movement) -> bool:
    """Return whether a structured communication is of a type read before types 100 and 127
    were (101 and 102)."""
    return movement.communication[0][:3] in ("101", "102")
