"""The records every statement reader returns, and the helpers the readers share.

:class:`StatementLine` (one credit, or the reversal of one), :class:`StatementSummary` (one
statement of a file, checked), :class:`StatementFile`, and :class:`StatementError`. The
readers (:mod:`.camt053`, :mod:`.coda`, :mod:`.mt940`) build their lines through the helpers
below, so that the rules of :mod:`debiteuren.payments` (only credits, a stable bank reference)
are kept the same way in every format.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache

from debiteuren.core.money import CENT, ZERO, Decimal
from debiteuren.core.references import is_valid_iban, read_reference
from debiteuren.errors import DebiteurenError
from debiteuren.formatting import euro
from debiteuren.untrusted import one_line

__all__ = ["StatementError", "StatementFile", "StatementLine", "StatementSummary"]


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
      booking_date_given: False when the file gives no booking date for the line (an MT940
        ``:61:`` without its optional entry date) and ``booking_date`` is the value date: the
        bank may have booked it on another day (after a weekend or holiday).
      booked_before: the booking date an earlier release gave this line, when it was another
        (a CAMT.053 date-time dated as written, an MT940 entry date put in another year), or
        None: a row of that day under this bank reference is this booking, read before.
      review: why the line is to be checked by hand whatever it names, in Dutch (a batch
        whose listed payments do not account for its amount), or "": the matcher then makes
        it "Te controleren" with this reason.
      read_before_as: the bank reference an earlier release gave the one line it read the
        booking as, when this line is part of it (a batch that lists fewer payments than it
        holds, since read as its payments and a rest), or "": a row under that reference is
        this booking, read before (the line adds nothing).
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
    booking_date_given: bool = True
    booked_before: date | None = None
    review: str = ""
    read_before_as: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PageEnds:
    """The balances a page of a CAMT.053 statement over pages opens and closes with, to check
    that the pages of one statement in separate files follow on each other.

    Attributes:
      page: the page's number (``PgNb``).
      opens: the balances it may open with: its entries lead from them to a closing balance.
      closes: the balances it may close with.
      interim: they are interim balances (ITBD), checked against the page's entries.
      where: the page's balances in the file, for a message (``element …/Stmt[2]/Bal``).
    """

    page: int
    opens: frozenset[Decimal]
    closes: frozenset[Decimal]
    interim: bool
    where: str


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
      next_page: the page of the statement that another file holds (CAMT.053 ``StmtPgntn`` or
        ``MsgPgntn`` with ``LastPgInd`` false: its movements are not in this file); 0 when
        this is the last page, or the file names no pages.
      pages: the page this statement is of a statement over pages (CAMT.053), with the
        balances it opens and closes with; None when it is no page, or gives no balances that
        could be checked.
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
    next_page: int = 0
    pages: PageEnds | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementFile:
    """Everything read from one statement file.

    Attributes:
      source: the file name.
      format: ``"camt053"``, ``"coda"`` or ``"mt940"``.
      lines: the credits and reversals of credits, in file order.
      statements: one summary per statement in the file, in file order.
      notes: Dutch sentences for the user about the file (what a zip held besides statements).
    """

    source: str
    format: str
    lines: list[StatementLine]
    statements: list[StatementSummary]
    notes: tuple[str, ...] = ()

    @property
    def day(self) -> date | None:
        """Return the date of the newest statement in the file, or None."""
        days = [s.day for s in self.statements if s.day is not None]
        return max(days) if days else None


#: Setters of :class:`StatementLine`'s slots, in field order (see :func:`_new_line`).
_LINE_SETTERS = tuple(StatementLine.__dict__[f.name].__set__ for f in fields(StatementLine))
assert not hasattr(StatementLine, "__post_init__")  # _new_line would skip it


(
    _SET_SOURCE,
    _SET_ACCOUNT,
    _SET_BOOKED,
    _SET_VALUE,
    _SET_AMOUNT,
    _SET_CURRENCY,
    _SET_NAME,
    _SET_IBAN,
    _SET_TEXT,
    _SET_STRUCTURED,
    _SET_REFERENCE,
    _SET_REVERSAL,
    _SET_GIVEN,
    _SET_BEFORE,
    _SET_REVIEW,
    _SET_READ_BEFORE_AS,
) = _LINE_SETTERS
_NEW = object.__new__


def _new_line(values: tuple) -> StatementLine:
    """Return ``StatementLine(**dict(zip(field names, values)))``, every field given in field
    order, five times as fast: the frozen dataclass's ``__init__`` parses keywords and sets
    each field through ``object.__setattr__``; this sets the slots directly, one call each
    rather than in a loop (100,000 lines of a large file, issue 17). The same object, equal
    and with the same hash."""
    (
        source,
        account,
        booked,
        value,
        amount,
        currency,
        name,
        iban,
        text,
        structured,
        reference,
        reversal,
        given,
        before,
        review,
        read_before_as,
    ) = values  # every field, no fewer (ValueError)
    line = _NEW(StatementLine)
    _SET_SOURCE(line, source)
    _SET_ACCOUNT(line, account)
    _SET_BOOKED(line, booked)
    _SET_VALUE(line, value)
    _SET_AMOUNT(line, amount)
    _SET_CURRENCY(line, currency)
    _SET_NAME(line, name)
    _SET_IBAN(line, iban)
    _SET_TEXT(line, text)
    _SET_STRUCTURED(line, structured)
    _SET_REFERENCE(line, reference)
    _SET_REVERSAL(line, reversal)
    _SET_GIVEN(line, given)
    _SET_BEFORE(line, before)
    _SET_REVIEW(line, review)
    _SET_READ_BEFORE_AS(line, read_before_as)
    return line


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


class NotAStatement(StatementError):
    """A file that is another report of the bank than a statement: an interim report
    (camt.052, MT942) or a notification (camt.054), whose bookings a day's statement holds.

    On its own it is refused as any file that is no statement; in a zip beside statements it
    is left out with a note (:func:`debiteuren.payments._statements_of`).

    Attributes:
      kind: what it is, for the user, e.g. ``"een melding van bij- en afschrijvingen
        (camt.054)"``.
    """

    def __init__(self, source: str, where: str, problem: str, kind: str = "") -> None:
        super().__init__(source, where, problem)
        self.kind = kind


# --- Helpers shared by the readers -----------------------------------------------------------

#: How many characters of a value from the file a message quotes (an amount, a date, a
#: statement's number): enough to recognise it; a value of 100,000 characters made a message
#: of 100,000 characters in the terminal and Excel's message box.
_QUOTED = 80
#: An account is at most 34 characters (an IBAN, ISO 13616; ISO 20022 ``Othr/Id``).
MAX_ACCOUNT = 34


def _shown(text: str) -> str:
    """Return a value from a file as a message or a report quotes it: on one line, cut at
    :data:`_QUOTED` characters (the last one "…").

    >>> _shown("2026-11-06" + "x" * 500)[-5:], len(_shown("1" * 500))
    ('xxxx…', 80)
    """
    return one_line(text, _QUOTED)


def is_currency_code(text: str) -> bool:
    """Return whether a statement's currency is a code of three letters (ISO 4217's form;
    small letters are read as they were). A longer or other text went into the reason of
    every line as it stood.

    >>> is_currency_code("EUR"), is_currency_code("eur"), is_currency_code("<UR")
    (True, True, False)
    """
    return len(text) == 3 and text.isascii() and text.isalpha()


def _collapse(text: str) -> str:
    """Return ``text`` with runs of whitespace replaced by one space, stripped."""
    return " ".join(text.split())


def _join_texts(texts: Iterable[str]) -> str:
    """Join non-empty texts with a space, each collapsed, without repeating a text."""
    if texts.__class__ is list and len(texts) == 1:  # the common case
        return _collapse(texts[0])
    seen: list[str] = []
    for text in texts:
        text = _collapse(text)
        if text and text not in seen:
            seen.append(text)
    return " ".join(seen)


#: Texts that banks put in a reference field when they have no reference: never a reference.
_PLACEHOLDERS = frozenset(
    {"NONREF", "NOTPROVIDED", "NOREF", "NONE", "NA", "NOTAVAILABLE", "UNKNOWN", "NULL", "NIL"}
)


#: What is not a letter or digit: ``\W`` is exactly what ``str.isalnum`` refuses, plus "_".
_NOT_ALNUM = re.compile(r"[\W_]+")
_NONZERO_DIGIT = re.compile(r"[1-9]")


def _is_placeholder(value: str) -> bool:
    """Return whether a reference field holds no reference: empty, a placeholder such as
    ``NONREF`` (German banks put it in every ``AcctSvcrRef``), ``NOTPROVIDED`` or
    ``NOT PROVIDED``, ``n/a``, only zeros (``000000``), or only punctuation; ``C2-0001`` is a
    reference.
    """
    if _NONZERO_DIGIT.search(value):  # a letter or digit that is no zero, and no word
        return False
    letters = _NOT_ALNUM.sub("", value.upper())  # the characters for which isalnum() holds
    return not letters.strip("0") or letters in _PLACEHOLDERS


def _reference(value: str) -> str:
    """Return a reference field's text, stripped, or "" when it is a placeholder."""
    value = value.strip()
    return "" if not value or _is_placeholder(value) else value


def _compact_iban(value: str) -> str:
    """Return an account number without spaces, in upper case."""
    return "".join(value.split()).upper()


#: IBAN -> whether it is valid (:func:`valid_iban`); also filled with the answers of the process
#: that parses a large statement (:mod:`.background`)
_VALID_IBANS: dict[str, bool] = {}


def valid_iban(iban: str) -> bool:
    """Return whether ``iban`` is a valid IBAN (asked once per account in a run): as the
    workbook checks a customer's IBAN (:func:`~debiteuren.core.references.is_valid_iban`), so
    that a payer's Belgian IBAN at a bank newer than python-stdnum's list keeps its IBAN on the
    row and matches the customer who has it."""
    valid = _VALID_IBANS.get(iban)
    if valid is None:
        valid = _VALID_IBANS[iban] = not _fails_checksum(iban) and is_valid_iban(iban)
    return valid


#: What may begin an IBAN in a text: a country code and check digits, with or without a space
#: after them (``BE71 0961 2345 6769``, ``NL91ABNA0417164300``).
_TEXT_IBAN_START = r"(?<![0-9A-Z])[A-Z]{2}[0-9]{2}"
#: A label just before an account in a payment's free text that says it is the payer's: ``VAN:
#: BE71 0961 2345 6769``, ``IBAN: NL91ABNA0417164300``, ``REKENING OPDRACHTGEVER …``,
#: ``TEGENREKENING``, French ``DE LA PART DE`` / ``COMPTE DU DONNEUR D'ORDRE``. Not after a word
#: that sends money elsewhere (``NAAR IBAN``, ``OP IBAN``, ``TO``, ``VERS``, ``AAN``): that is an
#: account to pay to, such as ours on the invoice.
_PAYER_LABEL = re.compile(
    r"(?<![0-9A-Z])(?<!NAAR )(?<!AAN )(?<!OP )(?<!TO )(?<!VERS )(?<!SUR )"
    r"(?:VAN|IBAN|REKENING(?:NUMMER)?(?: OPDRACHTGEVER)?|TEGENREKENING|OPDRACHTGEVER"
    r"|DE LA PART DE|COMPTE(?: DU DONNEUR D'ORDRE)?|DONNEUR D'ORDRE|FROM(?: ACCOUNT)?)"
    r"(?: IBAN)? ?[:.]? ?(?=" + _TEXT_IBAN_START + ")",
    re.ASCII,
)
#: A bank's own text of a credit transfer received, that names the payer's account before the
#: payer's bank (BNP Paribas Fortis: ``EUROPESE OVERSCHRIJVING VAN <naam> <adres> BE32 9642 0052
#: 9867 BIC RABOBE22 …``; KBC: ``EUROPESE OVERSCHRIJVING VAN 04-01 BE… BANKIER OPDRACHTGEVER:
#: BBRUBEBB …``; in French ``VIREMENT EUROPEEN DE … BANQUE DU DONNEUR D'ORDRE: …``).
_TRANSFER_RECEIVED = re.compile(
    r"\s*(?:(?:EUROPESE |SEPA )?(?:INSTANT)?OVERSCHRIJVING VAN|VIREMENT (?:EUROPEEN |SEPA )?"
    r"(?:INSTANTANE )?DE)\b",
    re.ASCII,
)
_IBAN_START = re.compile(_TEXT_IBAN_START, re.ASCII)
_PAYER_BANK_AFTER = re.compile(
    r" ?(?:BIC|BANKIER OPDRACHTGEVER|BANQUE DU DONNEUR D'ORDRE)\b", re.ASCII
)


def payer_iban_in_text(texts: Iterable[str], own: str) -> str:
    """Return the payer's IBAN that a credit names only in its free text, or "".

    Some banks give the payer's account only in the text of a booking (BNP Paribas Fortis's
    ``AddtlNtryInf``), and a payer may write it in the description (``VAN: BE71 0961 2345
    6769 NAAM …``, ``IBAN: NL91ABNA0417164300``). An account counts only when it is a valid IBAN
    (:func:`valid_iban`: the layout of its country and its check digits, so a creditor id such
    as ``NL12ZZZ123456780000`` never is), is not ``own`` (the statement's account), and is
    labelled as the payer's: just after a label such as ``VAN``, ``IBAN`` or ``REKENING``
    (:data:`_PAYER_LABEL`), or in a bank's text of a transfer received just before the payer's
    bank (:data:`_TRANSFER_RECEIVED`). Two different such accounts name none.

    >>> payer_iban_in_text(["VAN: BE71 0961 2345 6769 JANSSENS BVBA factuur 17"], "")
    'BE71096123456769'
    >>> payer_iban_in_text(["Graag betalen naar IBAN: NL91ABNA0417164300"], "")
    ''
    """
    found: set[str] = set()
    for text in texts:
        upper = text.upper()
        if _IBAN_START.search(upper) is None:
            continue  # no account in it (most texts): the labels are not looked for
        labelled = {match.end() for match in _PAYER_LABEL.finditer(upper)}
        starts = set(labelled)
        if _TRANSFER_RECEIVED.match(upper):
            starts.update(match.start() for match in _IBAN_START.finditer(upper))
        for start in starts:
            account, end = _iban_at(upper, start)
            if not account or account == own:
                continue
            if start in labelled or _PAYER_BANK_AFTER.match(upper, end):
                found.add(account)
    return found.pop() if len(found) == 1 else ""


def payer_from_text(draft: _Draft, texts: Iterable[str]) -> None:
    """Give a credit the payer's IBAN that only its free texts name (:func:`payer_iban_in_text`),
    when nothing else in the booking names the payer's account: the one rule for every format
    (CAMT.053 ``Ustrd`` and ``AddtlNtryInf``, an MT940 ``:86:``, a CODA communication in
    records 21-23 and 31-33). A reversal or a line to check keeps what it has. The line keeps
    the stable key it had without the IBAN, so a statement read before adds nothing.

    Args:
      draft: the line being built; its ``account_iban`` is our own account, never the payer's.
      texts: the booking's free texts.
    """
    if draft.counterparty_iban or draft.is_reversal or draft.review:
        return
    found = payer_iban_in_text(texts, draft.account_iban)
    if found:
        draft.key_parts = draft.key_parts or key_parts(draft)
        draft.counterparty_iban = found


def _iban_at(text: str, start: int) -> tuple[str, int]:
    """Return the valid IBAN that begins at ``start`` of ``text`` (compact) and where it ends,
    or ("", start): its groups may be apart by one space, and the words after it are no part
    of it (the length of its country's IBAN decides where it ends)."""
    compact = ""
    position = start
    while position < len(text) and len(compact) < 34:
        char = text[position]
        if char.isascii() and char.isalnum():
            compact += char
            position += 1
            if len(compact) >= 15 and valid_iban(compact):
                following = text[position : position + 1]
                if not (following.isascii() and following.isalnum()):
                    return compact, position
        elif char == " " and text[position + 1 : position + 2].isalnum():
            position += 1
        else:
            break
    return "", start


#: An IBAN as stdnum compacts it (upper-case letters and digits), no longer than any IBAN.
_PLAIN_IBAN = re.compile(r"[0-9A-Z]{1,34}", re.ASCII)
#: A letter as the decimal digits of its value in base 36 (A is 10), as ISO 7064 MOD 97-10 reads it.
_BASE36 = str.maketrans({letter: str(int(letter, 36)) for letter in string.ascii_uppercase})


def _fails_checksum(iban: str) -> bool:
    """Return whether a compact IBAN fails the MOD 97-10 check, which python-stdnum (behind
    :func:`~debiteuren.core.references.is_valid_iban`) makes first and then says False: in C,
    where stdnum costs 10 µs a number (thousands of payers' accounts in a large statement,
    issue 17). False for anything else: stdnum decides."""
    if not _PLAIN_IBAN.fullmatch(iban):
        return False
    return int((iban[4:] + iban[:4]).translate(_BASE36)) % 97 != 1


@lru_cache(maxsize=1 << 16)
def _parse_reference(value: str) -> str:
    """Return the compact form of a valid structured reference, or "" when it is none.

    The whole value read as one reference (:func:`~debiteuren.core.references.read_reference`
    without the search in free text): its printed or compact form first, then an RF creditor
    reference, a Belgian OGM and a Dutch betalingskenmerk. The compact form is the same
    whichever kind 12 digits of both kinds are read as, so no creditor's country is needed
    here (the parser runs before the workbook is read); the matching names the kind
    (:func:`~debiteuren.core.references.compact_kind`).

    Args:
      value: the reference as given, e.g. ``"+++123/4567/89002+++"`` or ``"RF18 5390 0754 7034"``.
    Returns:
      The compact form, e.g. ``"123456789002"``, or "".
    """
    if not value.strip():
        return ""
    found = read_reference(value, search=False)
    return "" if found is None else found.value


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
    content and ``key_extra`` (the format's informative references); ``key_parts``, when set,
    is the content the key is built from instead (:func:`key_parts`: a reader that completes
    a line from text it read differently before keeps the key the line had, so that reading
    an old file again still finds it). ``shown_name``, when set, is the payer's name on the
    line instead of ``counterparty_name`` (the ultimate debtor a payment service paid for),
    which the key keeps. ``key_date``, when set, is the booking date an earlier release gave
    the line (a date-time dated as written, an MT940 entry date in another year): the key is
    built from it, and the line's ``booked_before`` is it. ``review`` is the line's
    :attr:`StatementLine.review`. ``before``, when set, is the one draft an earlier release
    made of the booking this draft is part of: the line's ``read_before_as`` is the bank
    reference that draft got (:func:`_references_before`).
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
    booking_date_given: bool = True
    key_parts: tuple[object, ...] | None = None
    shown_name: str = ""
    key_date: date | None = None
    review: str = ""
    before: _Draft | None = None


def key_parts(draft: _Draft) -> tuple[object, ...]:
    """Return the content a draft's stable key is built from (see :func:`_stable_key`)."""
    return (
        draft.key_date or draft.booking_date,
        draft.account_iban,
        draft.amount,
        draft.is_reversal,
        draft.counterparty_iban,
        draft.counterparty_name,
        draft.remittance,
        draft.structured_reference,
        draft.key_extra,
    )


def dated_before(draft: _Draft, day: date) -> None:
    """Mark a draft as dated ``day`` by an earlier release: its stable key stays the one it
    had then, and its line's ``booked_before`` says so."""
    draft.key_date = day
    if draft.key_parts is not None:
        draft.key_parts = (day, *draft.key_parts[1:])


class _Repeats:
    """The statements of one file read so far, to refuse one that stands in it a second time.

    Two downloads put into one file hold the overlapping statement twice: each copy reconciles
    on its own, and the second copy's bookings would be counted again (a format without unique
    references numbers a repeated booking as a new one). A statement with the same account,
    number, day, balances and totals as an earlier one of the file, and the same credits, is
    such a copy; one without credits adds nothing and passes. So is a credit that stands in two
    statements of the same account (downloads of overlapping periods, each a statement of its
    own): the same bank reference and the same content. A credit without any reference (ASN,
    SNS) cannot be told from a second payment of the same day and is not compared. The
    statements of an account are compared only from its second statement on: a file of one
    statement per account costs nothing more. The pages of one statement (MT940: a page that
    ends with an intermediate balance, the next that opens with it; CAMT.053: the page a
    statement's ``StmtPgntn`` said follows) are one statement here: the same payment twice on
    one day may fall on two pages.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.seen: dict[StatementSummary, list[tuple[str, list[_Draft]]]] = {}
        #: (account, currency) -> the statements read, as (label, where, drafts, where its
        #: first page is)
        self.accounts: dict[tuple[str, str], list[tuple[str, str, list[_Draft], str]]] = {}
        #: (account, currency) -> the credits of its statements -> (label, where, where its
        #: first page is), made at its second statement
        self.credits: dict[tuple[str, str], dict[tuple[object, ...], tuple[str, str, str]]] = {}
        #: (account, currency) -> where the first page of its last statement is
        self.first_page: dict[tuple[str, str], str] = {}

    def check(
        self,
        summary: StatementSummary,
        drafts: list[_Draft],
        where: str,
        *,
        continues: bool = False,
    ) -> None:
        """Refuse the file when this statement (its summary and its drafts, at ``where``) is
        a copy of an earlier one, or holds a credit of an earlier statement of its account.

        ``continues``: the statement is the next page of the account's statement before it
        (checked by the caller); a credit on it may equal one on an earlier page."""
        account = (summary.account, summary.currency)
        if continues and account in self.first_page:
            page_one = self.first_page[account]
        else:
            page_one = self.first_page[account] = where
        if not drafts:
            return
        earlier = self.seen.setdefault(summary, [])
        for first, lines in earlier:
            if lines == drafts:
                raise StatementError(
                    self.source,
                    where,
                    f"{summary.label} van rekening {summary.account} staat twee keer in dit "
                    f"bestand ({first} en hier), met dezelfde bijschrijvingen; is het uit twee "
                    "downloads samengevoegd? Geef elk afschrift één keer (een afschrift dat al "
                    "eerder is ingelezen, voegt niets toe)",
                )
        earlier.append((where, drafts))
        self._overlap(summary, drafts, where, page_one)

    def _overlap(
        self, summary: StatementSummary, drafts: list[_Draft], where: str, page_one: str
    ) -> None:
        """Refuse the file when a credit of this statement stands in an earlier statement of
        the same account in the file (not an earlier page of it: ``page_one`` is where its
        first page is)."""
        account = (summary.account, summary.currency)
        statements = self.accounts.setdefault(account, [])
        statements.append((summary.label, where, drafts, page_one))
        if len(statements) < 2:
            return
        known = self.credits.get(account)
        if known is None:
            known = self.credits[account] = {}
            for label, at, lines, first_at in statements[:-1]:
                for draft in lines:
                    if (identity := _identity(draft)) is not None:
                        known.setdefault(identity, (label, at, first_at))
        for draft in drafts:
            identity = _identity(draft)
            if identity is None:
                continue
            first = known.setdefault(identity, (summary.label, where, page_one))
            if first[2] != page_one:
                name = draft.shown_name or draft.counterparty_name
                amount = euro(draft.amount)
                if draft.currency.upper() not in ("", "EUR"):
                    amount = amount.replace("€", draft.currency)
                raise StatementError(
                    self.source,
                    where,
                    f"de bijschrijving van {draft.booking_date:%d-%m-%Y} van {amount}"
                    + (f" van {name}" if name else "")
                    + f" staat in {first[0]} ({first[1]}) en in {summary.label} (hier) van "
                    f"rekening {summary.account}: twee afschriften over dezelfde dagen in één "
                    "bestand (twee downloads samengevoegd?) zouden haar twee keer tellen. Geef "
                    "de afschriften als aparte bestanden (een bijschrijving die al is "
                    "ingelezen, voegt niets toe)",
                )


def _identity(draft: _Draft) -> tuple[object, ...] | None:
    """Return what makes a credit the same booking in two statements (its bank reference and
    content), or None for one without any reference of the bank or the payer."""
    reference = _reference(draft.bank_reference)
    if not reference and not draft.key_extra.strip("|"):
        return None
    return (reference, draft.key_parts or key_parts(draft))


#: The longest remittance text and payer's name kept (characters). Banks send a few hundred at
#: most (SEPA 140, MT940 6 x 65, CAMT's names 140); a longer text is cut with "…", so that a
#: cell stays far below Excel's 32,767 characters (a longer one makes Excel repair the
#: workbook) and the matcher reads no megabytes.
_MAX_TEXT = 4000
_MAX_NAME = 500
#: A bank reference longer than this (CAMT's is 35 characters at most) is kept as its start and
#: a digest of the whole: as unique as the whole, and short enough for a cell.
_MAX_REFERENCE = 100


def _bounded(text: str, limit: int) -> str:
    """Return ``text``, cut to ``limit`` characters with "…" when it is longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short_reference(reference: str) -> str:
    """Return a bank reference of at most :data:`_MAX_REFERENCE` characters, still unique."""
    if len(reference) <= _MAX_REFERENCE:
        return reference
    digest = hashlib.sha256(reference.encode("utf-8")).hexdigest()[:16]
    return f"{reference[: _MAX_REFERENCE - 17]}#{digest}"


def _finish(
    drafts: list[_Draft], *, source: str, prefix: str, checked: bool = False
) -> list[StatementLine]:
    """Turn drafts into statement lines, giving each a bank reference unique in the file.

    Drafts without a bank reference get a :func:`_stable_key`. When the format's own references
    repeat within the file, the second and later get ``/2``, ``/3`` appended (in file order).

    Args:
      drafts: the drafts, in file order.
      source: the file name.
      prefix: the format name for stable keys.
      checked: every draft's ``bank_reference`` is already what :func:`_reference` makes of
        it (stripped, "" for a placeholder), so it is not checked again.
    Returns:
      The lines, in file order.
    """
    occurrences: dict[tuple[object, ...], int] = {}
    used: dict[str, int] = {}
    lines: list[StatementLine] = []
    before = (
        _references_before(drafts, prefix, checked)
        if any(draft.before is not None for draft in drafts)
        else None
    )
    for draft in drafts:
        reference = _line_reference(draft, prefix, checked, occurrences, used)
        name = draft.shown_name or draft.counterparty_name
        iban, text = draft.counterparty_iban, draft.remittance
        lines.append(
            _new_line(
                (
                    source,
                    draft.account_iban,
                    draft.booking_date,
                    draft.value_date,
                    draft.amount,
                    draft.currency,
                    name if len(name) <= _MAX_NAME else _bounded(name, _MAX_NAME),
                    iban if len(iban) <= _MAX_NAME else _bounded(iban, _MAX_NAME),
                    text if len(text) <= _MAX_TEXT else _bounded(text, _MAX_TEXT),
                    draft.structured_reference,
                    reference,
                    draft.is_reversal,
                    draft.booking_date_given,
                    draft.key_date,
                    draft.review,
                    "",
                )
            )
        )
    if before is not None:
        made = {line.bank_reference for line in lines}
        for line, earlier in zip(lines, before, strict=True):
            # a reference of this file is a line of its own, never one read before
            if earlier and earlier not in made:
                _SET_READ_BEFORE_AS(line, earlier)
    return lines


def _line_reference(
    draft: _Draft,
    prefix: str,
    checked: bool,
    occurrences: dict[tuple[object, ...], int],
    used: dict[str, int],
) -> str:
    """Return the bank reference of a draft's line, unique in its file (see :func:`_finish`;
    ``occurrences`` and ``used`` count the keys and references of the drafts before it)."""
    reference = draft.bank_reference if checked else _reference(draft.bank_reference)
    if len(reference) > _MAX_REFERENCE:
        reference = _short_reference(reference)
    if not reference:
        parts = draft.key_parts or key_parts(draft)
        occurrence = occurrences.get(parts, 0) + 1
        occurrences[parts] = occurrence
        reference = _stable_key(prefix, parts, occurrence)
    count = used.get(reference, 0) + 1
    used[reference] = count
    return f"{reference}/{count}" if count > 1 else reference


def _references_before(drafts: list[_Draft], prefix: str, checked: bool) -> list[str]:
    """Return per draft the bank reference an earlier release gave the line it read its
    booking as (``draft.before``), or "" for a draft without one: the references that release
    made of the same file, in which the drafts of one such booking were one line."""
    occurrences: dict[tuple[object, ...], int] = {}
    used: dict[str, int] = {}
    made: dict[int, str] = {}  # id of the line read before -> its reference
    found: list[str] = []
    for draft in drafts:
        earlier = draft.before or draft
        if id(earlier) not in made:
            made[id(earlier)] = _line_reference(earlier, prefix, checked, occurrences, used)
        found.append(made[id(earlier)] if draft.before is not None else "")
    return found
