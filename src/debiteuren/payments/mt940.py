"""Read SWIFT MT940 customer statements, with the Dutch bank variants of the ``:86:`` field.

Own parser (no dependency): the fields used are few and the Dutch ``:86:`` variants need their
own handling anyway.

Structure: a file holds one or more messages (optionally in SWIFT blocks ``{1:…}{2:…}{4:`` …
``-}``, or separated by a line ``-``, ``-XXX``, ``$`` or a blank line, or by nothing but the
next ``:20:``; header lines such as ING's ``0000 01INGBNL2AXXXX00001``,
Rabobank's ``:940:`` or ABN AMRO's ``ABNANL2A`` / ``940`` are ignored). Per message:

* ``:20:`` starts it; ``:25:`` is our account (an IBAN, possibly followed by the currency, as
  ING writes it); ``:60F:``/``:60M:`` the opening balance (mark, date, currency, amount) and
  ``:62F:``/``:62M:`` the closing balance. Opening balance + credits − debits must equal the
  closing balance, or the file is refused as incomplete. A statement over pages ends a page
  with an intermediate balance (``:62M:``) that the next page opens with (``:60M:``); a page
  that is not followed or preceded so refuses the file (:func:`_check_pages`). ING counts
  the statement's bookings in an ``:86:`` after the closing balance (``/SUM/`` debits, credits
  and their totals); a count that differs from the bookings read refuses the file
  (:meth:`_Statement.check_count`).
* ``:61:`` one booking: value date YYMMDD, optional entry date MMDD (ASN writes four spaces
  without one: the wolph/mt940 ASNB sample), the mark (``C`` credit,
  ``D`` debit, ``RC`` reversal of a credit, ``RD`` reversal of a debit), an optional funds code,
  the amount with a decimal comma (``1234,56``), the transaction type (``N``/``F``/``S`` and
  three characters), the reference for the account owner and, after ``//``, the bank's
  reference; an optional second line with supplementary details (Rabobank puts the
  counterparty's IBAN there). Without the entry date the booking date is the value date, and
  the line says so (``booking_date_given``).
* ``:86:`` after a ``:61:``: the details of that booking, in one of these layouts:

  - structured, with codes between slashes: ING (``/EREF/…//CNTP/IBAN/BIC/NAME/CITY/`` or
    ``/ORDP//NAME/…/IBAN/…``, ``/REMI/USTD//text/`` or ``/REMI/STRD/CUR/kenmerk/``), Rabobank
    (``/EREF/``, ``/ORDP//NAME/…/ADDR/…``, ``/BENM//NAME/…``, ``/REMI/USTD//…`` or
    ``/REMI/STRD/CUR/…``; a Belgian OGM as printed, with its own slashes, in
    ``/REMI/STRD/BBA//+++090/9337/55493+++/``), ABN AMRO SEPA
    (``/TRTP/…/IBAN/…/BIC/…/NAME/…/REMI/…/EREF/…``);
  - ABN AMRO's older layout with labels (``IBAN: … BIC: … NAAM: … OMSCHRIJVING: …``), and
    Knab's (description, ``BETALINGSKENMERK: …,`` then ``REK: …/NAAM: …``);
  - ING's unstructured layout: the counterparty's IBAN and BIC, then name and text; the IBAN
    (when valid) is the payer's, the text is kept whole as the remittance;
  - the German layout (Deutsche Bank, Commerzbank, Sparkassen: DFÜ-Abkommen Anlage 3): a
    business transaction code and subfields ``?00``…``?34``, the purpose in SEPA items
    (``EREF+``, ``SVWZ+``, ``ABWA+``), ``?31`` the payer's IBAN and ``?32``/``?33`` the name;
    a debit with code 108, 109 or 193 is a returned direct debit (a storno), a credit with
    code 159, 160, 181, 184 or 193 our own transfer or direct debit that came back (no line);
  - any other text, kept whole as the remittance.

  The payer is the ordering party (``ORDP``), else ``CNTP``, else the top-level ``NAME`` and
  ``IBAN``, else (for a reversal) the beneficiary (``BENM``).

Only ``C`` (credit) and ``RC`` (reversal of a credit, returned with ``is_reversal``) are returned,
and a ``D`` whose ``:86:`` gives a return reason (ING ``/RTRN/MS03/``, a returned direct debit;
ING's unstructured layout starts the text with the ISO reason, e.g. ``MD06 NL…``), returned as a
reversal too. A ``C`` with a return reason is our own payment that came back: no line. Other
``D``, ``RD`` and the expected entries ``EC``/``ED`` are skipped. A batch booked as one ``:61:``
is one line: MT940 has no details.

Wrapped text: the lines of ``:86:`` are joined without a space after a line of the field's full
width (65 characters, or 61 for the first, after the tag: the bank cut the text there), with a
space after a shorter line; in the structured layout not at a code's slash either
(:func:`_join_coded`).
Rabobank's and ABN AMRO's creditor reference (``/CDTRREF/``) is the structured reference, and
so is one that ABN AMRO gives in ``/REMI/`` with its issuer (``ISSUER: CUR  REF: …``,
``/REMI//CUR/…``: :data:`_ISSUED`).

Bank reference: MT940's references are optional and not unique, so a stable key is built from
the content and the bank's reference (:func:`debiteuren.payments._stable_key`).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import pairwise

from stdnum import iban
from stdnum.iban import is_valid as iban_is_valid

from debiteuren.core.money import MAX_AMOUNT, Decimal
from debiteuren.core.references import find_references
from debiteuren.formatting import euro

from .lines import (
    MAX_ACCOUNT,
    NotAStatement,
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
    _shown,
    dated_before,
    key_parts,
    payer_from_text,
)

__all__ = ["coded_details", "parse", "parse_file"]

_FIELD = re.compile(r":(?P<tag>\d{2}[A-Z]?|NS):")
_AMOUNT = r"\d{1,15}[,.]\d{0,2}"
_BALANCE = re.compile(
    rf"(?P<mark>[CD])(?P<date>\d{{6}})(?P<currency>[A-Z]{{3}})(?P<amount>{_AMOUNT})"
)
_ENTRY = re.compile(
    r"(?P<value>\d{6})(?:(?P<entry>\d{4})| {4})?(?P<mark>RC|RD|EC|ED|C|D)(?P<funds>[A-Z])?"
    rf"(?P<amount>{_AMOUNT}) ?(?P<type>[NFS][A-Z0-9]{{2}}[A-Z0-9 ])(?P<rest>.*)"
)
#: A booking or balance whose amount has no decimal separator (``C1000NTRF``): SWIFT requires
#: the comma (``1000,`` or ``1000,00``), and without it the amount cannot be told from an amount
#: in cents (what a converter from a bank's CSV may have meant). Only to say so when refusing.
_NO_DECIMAL = re.compile(
    r"(?:\d{6}(?:\d{4}| {4})?(?:RC|RD|EC|ED|C|D)[A-Z]?|[CD]\d{6}[A-Z]{3})"
    r"(\d{1,15})(?= ?[NFS][A-Z0-9]{2}[A-Z0-9 ]|$)"
)
#: Old Rabobank: the counter-account and, after a run of spaces, the payer's name in subfield 7.
_OWNER_AND_NAME = re.compile(r"(?P<owner>\S{1,16})\s{2,}(?P<name>\S.*)")
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}")
#: The fields of an MT940 message (SWIFT, and the Dutch banks' guides).
_KNOWN_TAGS = {"20", "21", "25", "25P", "28", "28C", "60F", "60M", "61", "86", "62F", "62M", "NS"}
_AFTER_CLOSING = {"64", "65", "86"}
#: The subfields of a German bank's own field ``:NS:`` after a booking's ``:61:`` (one a line,
#: two digits first; the layout of the Deutsche Kreditwirtschaft before SEPA, as the National-
#: Bank's MT940 manual shows it: "01Verwendungszweck 1", "02Verwendungszweck 2", "15Empfänger",
#: "17Buchungstext"): 01-14 the purpose, 15 and 16 the other party's name.
_NS_PURPOSE = frozenset(f"{code:02d}" for code in range(1, 15))
_NS_NAME = frozenset({"15", "16"})
#: Fields that only an MT942 (interim transaction report) has.
_MT942_TAGS = {"13", "13D", "34F", "90C", "90D"}
_MT942_BLOCK = re.compile(r"\{2:[IO]942")
#: A balance of a day's statement (MT940), which an MT942 does not have.
_MT940_BALANCE = re.compile(r"\s*(?:\{4:)?:6[02][FM]:")
_MT942 = (
    "dit is een tussentijds overzicht (MT942) met voorlopige boekingen, geen dagafschrift; "
    "exporteer bij uw bank het dagafschrift als MT940 (of CAMT.053) en lees dat in"
)
_STRUCTURED_KEYS = (
    "EREF|KREF|MARF|CSID|CNTP|REMI|PURP|ULTC|ULTD|ULTB|ORDP|BENM|NAME|ADDR|IBAN|BIC|ID|TRTP"
    "|ISDT|RTRN|SVCL|BUSP|PREF|NRTX|IREF|CREF|CDTRREFTP|CDTRREF|CITY|CTRY|ACCW|BBAN|BYOR"
)
_KEY = re.compile(rf"/(?P<key>{_STRUCTURED_KEYS})/")
_PARTY_KEYS = {"NAME", "ADDR", "IBAN", "BIC", "ID", "CITY", "CTRY"}
_PARTY_ROLES = {"ORDP": "ordp", "BENM": "benm", "ULTC": "ult", "ULTD": "ultd", "ULTB": "ult"}
#: ``\b``: a label is a word of its own (``KENMERK`` in Knab's ``BETALINGSKENMERK:`` is none).
_LABEL = re.compile(
    r"\b(?P<label>IBAN|BIC|NAAM|NAME|OMSCHRIJVING|KENMERK|BETALINGSKENMERK|BETALINGSKENM\."
    r"|MACHTIGING|INCASSANT|REK)\s*:",
    re.IGNORECASE,
)
#: Labels that say the same: ABN AMRO's ``BETALINGSKENM.:`` and Knab's ``BETALINGSKENMERK:``.
_LABEL_NAMES = {"BETALINGSKENM.": "BETALINGSKENM", "BETALINGSKENMERK": "BETALINGSKENM"}
#: Triodos: ``000>100000000000`` then ``>20`` … ``>33`` subfields (the German layout has ``?``).
_SUBFIELD = re.compile(r">(?P<code>\d{2})")
#: The German layout (Deutsche Kreditwirtschaft, DFÜ-Abkommen Anlage 3; Deutsche Bank,
#: Commerzbank, Sparkassen, Volksbanken): the business transaction code (GVC, three digits),
#: then subfields ``?00`` (booking text), ``?10``, ``?20``-``?29`` and ``?60``-``?63`` (the
#: purpose), ``?30`` (the payer's BIC or bank code), ``?31`` (IBAN or account), ``?32``-``?33``
#: (name) and ``?34``.
_GVC = re.compile(r"\s*\d{3}\?\d{2}")
_GVC_SUBFIELD = re.compile(r"\?(?P<code>\d{2})")
#: The width of a German subfield: a subfield this long was cut there, the next one goes on
#: without a space (the DK's rules cut trailing spaces, so a shorter one ended at a space).
_GVC_WIDTH = 27
#: The identifiers that start a SEPA item in the German purpose subfields (DK's SEPA rules for
#: MT940): a subfield that starts with none goes on with the item before it.
_SEPA_ITEM = re.compile(
    r"(?P<key>EREF|KREF|MREF|CRED|DEBT|COAM|OAMT|SVWZ|ABWA|ABWE|IBAN|BIC|BREF|RREF)\+"
)
#: The German business transaction codes (GVC, DK's DFÜ-Abkommen Anlage 3, "Geschäftsvorfall-
#: codes"; as UniCredit/HypoVereinsbank's "Geschäftsvorfall- und Rückgabecodes" lists them) of
#: a booking that undoes an earlier one. On a debit, a storno of a payment to us: 108 and 109
#: a returned SEPA direct debit we collected (Rücklastschrift, B2B and core), 193 the reversal
#: of one. On a credit, no payment by a customer: 159 and 160 a transfer of ours returned
#: (SEPA-Überweisung and -Echtzeitüberweisung Retoure/Rückbuchung), 181 and 184 a direct debit
#: taken from us and credited back (Wiedergutschrift, core and B2B), 193 the reversal of one.
_GERMAN_STORNOS = frozenset({"108", "109", "193"})
_GERMAN_OWN_RETURNS = frozenset({"159", "160", "181", "184", "193"})
_NOT_PROVIDED = {"", "NOTPROVIDED", "NOT PROVIDED", "NONREF"}
#: The width of a line of the ``:86:`` field (SWIFT ``6*65x``); a line this long was cut by the
#: bank at the width, possibly inside a word or a reference.
_DETAILS_WIDTH = 65
#: The width of the field's first line, after the tag ``:86:`` on the same line of the file.
_FIRST_WIDTH = _DETAILS_WIDTH - len(":86:")
#: ING's unstructured MT940 (InsideBusiness Payments, Mijn ING Zakelijk "ongestructureerd"):
#: the ``:86:`` of a SEPA booking starts with the counterparty's IBAN and BIC, then the name and
#: the text (zilverline/mt940 ``ing_structured.txt``: "NL57ABNA0987654321 ABNANL2A J AAP
#: NOTPROVIDED kilometervergoeding"; ING's IBP Structured and Unstructured MT940 description).
_LEADING_ACCOUNT = re.compile(
    r"\s*(?P<iban>[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30})\s+[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?:\s|$)"
)
#: ISO return reason codes of SEPA R-transactions (EPC guidance on reason codes): ING's
#: unstructured MT940 starts the ``:86:`` of a returned payment with one, then the IBAN.
_RETURN_REASON = re.compile(
    r"\s*(?:AC0[1-6]|AC1[3-4]|AG0[1-2]|AM0[1-9]|BE0[1-8]|CNOR|CUST|DNOR|DUPL|ED05|FF0[1-5]"
    r"|FOCR|FRAD|MD0[1-7]|MS0[23]|RC01|RR0[1-4]|SL0[1-2]|TECH)\s+(?P<iban>[A-Z]{2}[0-9]{2}"
    r"[A-Z0-9]{10,30})\b(?P<bic>\s+[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b)?"
)

#: ING's count of a statement's bookings, in the ``:86:`` after its closing balance (and
#: ``:64:``/``:65:``): structured ``/SUM/`` number of debits / number of credits / debit total /
#: credit total (ING's sample message, in gingerpayments/python-libmt94x
#: ``ing-provided-example-single-message.txt``: one debit of 15,00 and no credit give
#: ``/SUM/1/0/15,00/0,/``); unstructured ``D`` debits ``C`` credits ``D`` total ``C`` total
#: (ING's IBP sample ``ibp-ing-provided-example.txt``: three debits of 0,15 together and two
#: credits of 0,06 give ``D000003C000002D0,15C0,06``). Read with all whitespace left out
#: (the field may be cut at 65 characters, inside a total).
_COUNT_AMOUNT = r"\d{1,15}[,.]\d{0,2}"
_SUM = re.compile(
    rf"/SUM/(?P<debits>\d{{1,9}})/(?P<credits>\d{{1,9}})/(?P<debit_total>{_COUNT_AMOUNT})"
    rf"/(?P<credit_total>{_COUNT_AMOUNT})(?:/|$)"
)
_UNSTRUCTURED_SUM = re.compile(
    rf"D(?P<debits>\d{{1,9}})C(?P<credits>\d{{1,9}})D(?P<debit_total>{_COUNT_AMOUNT})"
    rf"C(?P<credit_total>{_COUNT_AMOUNT})"
)
#: A line after a statement's closing balance that is no text of its :86:, but what stands
#: between two messages when a file has no ``-`` or ``-XXX`` there: a blank line, a ``$`` (as
#: SWIFT's RJE files and some exports write), or the header lines of the next message (ING's
#: ``0000 01INGBNL2AXXXX00001`` and ``940 00``, Rabobank's ``:940:``).
_BETWEEN_MESSAGES = re.compile(
    r"\s*(?:\$?|\d{4} \d{2}[A-Z]{6}[A-Z0-9]{2}\S*|:?940(?::| \d{2})?)\s*"
)


def _count_in(text: str) -> re.Match[str] | None:
    """Return the bank's count in the text of the :86: after a closing balance, None if it
    holds none (:data:`_SUM`, :data:`_UNSTRUCTURED_SUM`).

    The text is read with all whitespace left out (a count cut at 65 characters, inside a
    total, is read whole). A count not found so is looked for in the lines before the first
    line that stands between two messages (:data:`_BETWEEN_MESSAGES`): where a file separates
    its messages only by a blank line or ``$``, the lines up to the next ``:20:`` are read
    with the count, and the count would otherwise not be seen.
    """
    lines = text.split("\n")
    # the first line is the field's own (":86:" may stand alone, the count on the next line)
    cut = next(
        (n for n, line in enumerate(lines[1:], start=1) if _BETWEEN_MESSAGES.fullmatch(line)),
        None,
    )
    candidates = [text] if cut is None else [text, "\n".join(lines[:cut])]
    for candidate in candidates:
        joined = "".join(candidate.split())
        found = _SUM.search(joined) or _UNSTRUCTURED_SUM.fullmatch(joined)
        if found is not None:
            return found
    return None


@dataclass(slots=True)
class _Field:
    tag: str
    value: str
    line: int


@dataclass(slots=True)
class _Message:
    line: int
    fields: list[_Field] = field(default_factory=list)
    closed: bool = False


def parse(data: bytes, *, source: str) -> list[StatementLine]:
    """Parse an MT940 file; see :func:`parse_file`.

    Returns:
      The credits and reversals of credits, in file order.
    """
    return parse_file(data, source=source)[0]


def parse_file(data: bytes, *, source: str) -> tuple[list[StatementLine], list[StatementSummary]]:
    """Parse an MT940 file whole, checking every statement's balance.

    Args:
      data: the file content (UTF-8, else Windows-1252 / Latin-1).
      source: the file name.
    Returns:
      The credits and reversals of credits, in file order, and one summary per statement.
      Raises :class:`~debiteuren.payments.StatementError` naming the line.
    """
    messages = _messages(_decode(data).splitlines(), source)
    if not messages:
        raise StatementError(source, "", "geen MT940-afschrift gevonden (veld :20: ontbreekt)")
    drafts: list[_Draft] = []
    summaries: list[StatementSummary] = []
    repeats = _Repeats(source)
    previous: _Statement | None = None
    whole: _Counts | None = None  # the counts of a statement's pages up to this one
    marked: _Counts | None = None  # the same, a reversal counted by its mark
    for message in messages:
        statement = _Statement(source, message)
        read = statement.read()
        _check_pages(previous, statement)
        own = _counts(statement.summary)
        more = statement.opening_tag == "60M"
        whole = _added(whole, own) if whole and more else own
        marked = _added(marked, statement.by_mark) if marked and more else statement.by_mark
        statement.check_count(whole, marked)
        # a page that opens with the intermediate balance of the page before (_check_pages)
        repeats.check(statement.summary, read, f"regel {message.line}", continues=more)
        drafts += read
        summaries.append(statement.summary)
        previous = statement
    _check_pages(previous, None)
    return _finish(drafts, source=source, prefix="MT940"), summaries


#: A statement's bookings as counted: credits, their total, debits, their total.
_Counts = tuple[int, Decimal, int, Decimal]


def _counts(summary: StatementSummary) -> _Counts:
    """Return the booked credits and debits of a statement, counted and added up."""
    return (summary.credits, summary.credit_total, summary.debits, summary.debit_total)


def _added(one: _Counts, other: _Counts) -> _Counts:
    """Return two counts together (the pages of one statement)."""
    return (one[0] + other[0], one[1] + other[1], one[2] + other[2], one[3] + other[3])


def _shown_counts(counts: _Counts) -> str:
    """Return counts for the user: ``4 bijschrijvingen (€ 1.056,00) en 1 afschrijving (…)``."""
    credits, credit_total, debits, debit_total = counts
    return (
        f"{credits} bijschrijving{'' if credits == 1 else 'en'} ({euro(credit_total)}) en "
        f"{debits} afschrijving{'' if debits == 1 else 'en'} ({euro(debit_total)})"
    )


def _check_pages(previous: _Statement | None, statement: _Statement | None) -> None:
    """Refuse a statement split over pages whose next page is not the one that follows.

    A bank splits a long statement over messages: a page ends with an intermediate closing
    balance (``:62M:``) and the next opens with the same intermediate balance (``:60M:``).
    Each page balances on its own, so a page left out (a file cut between messages, or a page
    lost on the way) left its bookings out unseen. ``previous`` is the statement before
    ``statement`` in the file (None at the start), ``statement`` None at the end.
    """
    if previous is not None and previous.closing_tag == "62M":
        closing = previous.summary.closing
        if statement is None:
            found = "het bestand houdt daar op"
        elif statement.account != previous.account:
            found = f"het volgende afschrift is van rekening {statement.account}"
        elif statement.opening_tag != "60M" or statement.summary.opening != closing:
            shown = euro(statement.summary.opening or Decimal(0))
            found = (
                f"het volgende afschrift begint met :{statement.opening_tag}: {shown}, niet met "
                f"dat tussensaldo"
            )
        else:
            return
        raise previous.fail(
            previous.closing_line,
            f"{previous.label} van rekening {previous.account} eindigt met een tussensaldo "
            f"(:62M: {euro(closing or Decimal(0))}) en gaat verder op een volgende pagina, maar "
            f"{found}: er ontbreekt een pagina met boekingen; het bestand is onvolledig",
        )
    if (
        statement is not None
        and statement.opening_tag == "60M"
        and (previous is None or previous.closing_tag != "62M")
    ):
        raise statement.fail(
            statement.opening_line,
            f"{statement.label} van rekening {statement.account} begint met een tussensaldo "
            "(:60M:): het is het vervolg van een vorige pagina, die niet in het bestand staat; "
            "het bestand is onvolledig",
        )


def _decode(data: bytes) -> str:
    """Decode as UTF-8, else Windows-1252, else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _messages(lines: list[str], source: str) -> list[_Message]:
    """Split the lines into messages of fields, each from ``:20:`` to its closing balance.

    A message ends at its closing balance ``:62F:``/``:62M:`` (and the ``:64:``, ``:65:`` and
    ``:86:`` that may follow it). A line ``-`` before the closing balance is text of the field
    it stands in (a wrapped ``:86:``), never the end of the statement; so is a line in a
    ``:86:`` that starts like a field with two digits that no MT940 field has, or like a
    header field (:21:, :25:, :28:; :20: when no :21: or :25: follows) after a booking: a
    time cut after its hour (``:00:00/``, ``:25:00``, :func:`_time_in_details`). A statement
    that stops before its closing balance, a field outside a statement and an unknown field
    refuse the file, so that no booking is ever skipped. After the closing balance a line
    ``-XXX`` ends the message too (:data:`_TRAILER`: ING's unstructured layout, Van
    Lanschot), with the header lines of the next message after it.
    """

    def fail(number: int, problem: str) -> StatementError:
        return StatementError(source, f"regel {number}", problem)

    def interim(number: int) -> StatementError:
        # only a file without any day's statement is a report beside one (in a zip: left out)
        report = not any(_MT940_BALANCE.match(line) for line in lines)
        kind = "een tussentijds overzicht (MT942)" if report else ""
        return NotAStatement(source, f"regel {number}", _MT942, kind)

    def unfinished(message: _Message, number: int) -> StatementError:
        return fail(
            number,
            f"het afschrift dat op regel {message.line} begint, houdt hier op vóór het eindsaldo "
            "(:62F:); het bestand is onvolledig",
        )

    messages: list[_Message] = []
    message: _Message | None = None
    current: _Field | None = None
    number = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if line.startswith("{"):
            if _MT942_BLOCK.search(line):
                raise interim(number)
            block = line.find("{4:")
            if block < 0:
                if message is not None and not message.closed:
                    raise unfinished(message, number)
                current = None
                continue
            line = line[block + 3 :]
            if not line.strip():
                continue
        stripped = line.strip()
        if stripped == _TRAILER and (message is None or message.closed):
            message, current = None, None  # no text of the :86: with the bank's count
            continue
        if stripped in ("-", "-}") or stripped.startswith("-}"):
            if message is not None and not message.closed:
                if stripped == "-" and current is not None:
                    current.value += "\n" + line
                    continue
                raise unfinished(message, number)
            message, current = None, None
            continue
        match = _FIELD.match(line)
        if not match:
            if current is not None:
                current.value += "\n" + line
            continue
        tag = match.group("tag")
        if tag == "NS" and (message is None or message.closed):
            if current is not None:  # outside a statement's bookings: nothing to read
                current.value += "\n" + line
            continue
        if _time_in_details(current, message, tag, lines, number):
            current.value += "\n" + line  # type: ignore[union-attr]  # current is an :86:
            continue
        if tag in _MT942_TAGS:
            raise interim(number)
        if tag == "20":
            if message is not None and not message.closed:
                raise unfinished(message, number)
            message = _Message(line=number)
            messages.append(message)
        elif message is None:
            raise fail(
                number,
                f"veld :{tag}: staat buiten een afschrift (er gaat geen :20: aan vooraf); "
                "het bestand heeft een vorm die debiteuren niet kent",
            )
        elif message.closed and tag not in _AFTER_CLOSING:
            raise fail(
                number,
                f"veld :{tag}: staat na het eindsaldo (:62F:) van het afschrift dat op regel "
                f"{message.line} begint; het bestand heeft een vorm die debiteuren niet kent",
            )
        if tag not in _KNOWN_TAGS and tag not in _AFTER_CLOSING:
            raise fail(
                number,
                f"onbekend veld :{tag}:; het bestand heeft een vorm die debiteuren niet kent",
            )
        current = _Field(tag, line[match.end() :], number)
        message.fields.append(current)
        if tag in ("62F", "62M"):
            message.closed = True
    if message is not None and not message.closed:
        raise unfinished(message, number)
    return messages


#: The end of a message in ING's unstructured MT940 (ING's IBP sample
#: ``ibp-ing-provided-example.txt``: ``:86:D000003C000002D0,15C0,06`` then ``-XXX``) and Van
#: Lanschot's (zilverline/mt940 ``van_lanschot.txt``), instead of ``-``.
_TRAILER = "-XXX"

#: Fields of a statement's header that a time in the text can look like (minutes 21, 25, 28):
#: after a booking's :86: they can only be text (a new statement starts with :20:).
_HEADER_TAGS = {"21", "25", "28"}


def _header(lines: list[str], number: int) -> bool:
    """Return whether the first field after line ``number`` (1-based) is a statement's
    :21: or :25:, as after the :20: that starts a statement; after a :20: that is a time cut
    in an :86: (":20:00/") the next field is a booking or the closing balance."""
    for line in lines[number:]:
        match = _FIELD.match(line)
        if match is not None and match.group("tag") != "NS":
            return match.group("tag") in ("21", "25", "25P")
    return False


def _time_in_details(
    current: _Field | None, message: _Message | None, tag: str, lines: list[str], number: int
) -> bool:
    """Return whether line ``number`` of ``lines``, which starts like field ``tag``, is text
    of the :86: before it: a time cut after its hour (ING cuts the text at 65 characters:
    "… 11" and ":25:00" on the next line). True for two digits that no MT940 field has and,
    inside a statement, for the header fields that cannot follow a booking, and for a :20:
    that no :21: or :25: follows (a new statement's :20: has them)."""
    if current is None or current.tag != "86" or not tag.isdigit():
        return False
    if tag not in _KNOWN_TAGS and tag not in _AFTER_CLOSING:
        return True
    if message is None or message.closed:
        return False
    return tag in _HEADER_TAGS or (tag == "20" and not _header(lines, number))


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
    name: str = ""
    info: str = ""
    ns: str = ""  # the :NS: fields between the :61: and its :86:, each with its tag
    has_info: bool = False  # an :86: came (its text may be empty)
    booking_date_given: bool = True
    key_date: date | None = None  # the booking date the stable key was built from, if another


#: The words of the refusal of a field a statement has once, given twice (before its closing
#: balance; a new statement starts with :20:).
_SECOND = "tweede"
_SAME = (
    " in hetzelfde afschrift, vóór het eindsaldo; het bestand heeft een vorm die debiteuren "
    "niet kent"
)


class _Statement:
    """One message: account, balances and bookings."""

    def __init__(self, source: str, message: _Message) -> None:
        self.source = source
        self.message = message
        self.account = ""
        self.currency = ""
        self.label = ""
        self.summary = StatementSummary(label="", account="", currency="", day=None)
        #: The tags and lines of the opening and closing balances (F final, M intermediate).
        self.opening_tag = self.closing_tag = ""
        self.opening_line = self.closing_line = 0
        #: The statement's own :86: after its closing balance (ING counts its bookings there).
        self.after_closing: _Field | None = None
        #: Its bookings counted with a reversal by its mark: RC with the credits, RD with the
        #: debits (:meth:`check_count`).
        self.by_mark: _Counts = (0, Decimal(0), 0, Decimal(0))

    def fail(self, line: int, problem: str) -> StatementError:
        return StatementError(self.source, f"regel {line}", problem)

    def read(self) -> list[_Draft]:
        entries: list[_Entry] = []
        opening: Decimal | None = None
        closing: tuple[Decimal, date, _Field] | None = None
        last: _Entry | None = None
        reference = number = ""
        for item in self.message.fields:
            tag = item.tag
            if tag == "20":
                reference = _collapse(item.value)
            elif tag in ("28", "28C"):
                number = _collapse(item.value)
            elif tag in ("25", "25P"):
                if self.account:  # its bookings would be given to the second account
                    raise self.fail(item.line, f"{_SECOND} rekeningnummer (:{tag}:){_SAME}")
                self.account = self._account(item)
            elif tag in ("60F", "60M"):
                if opening is not None:  # the bookings before it would go unchecked
                    raise self.fail(item.line, f"{_SECOND} beginsaldo (:{tag}:){_SAME}")
                opening, _, self.currency = self._balance(item)
                self.opening_tag, self.opening_line = tag, item.line
            elif tag == "61":
                if not self.account:
                    raise self.fail(item.line, "boeking (:61:) vóór het rekeningnummer (:25:)")
                if opening is None:
                    raise self.fail(item.line, "boeking (:61:) vóór het beginsaldo (:60F:)")
                last = self._entry(item)
                entries.append(last)
                continue
            elif tag == "86":
                if last is not None:
                    last.info = f"{last.info}\n{item.value}" if last.info else item.value
                    last.has_info = True
                elif closing is not None:
                    self.after_closing = item
                continue
            elif tag == "NS":  # a German bank's own field: in the booking's, else nothing
                if last is not None and last.has_info:  # after the :86:, its text (as before)
                    last.info += f"\n:NS:{item.value}"
                elif last is not None:
                    last.ns = f"{last.ns}\n:NS:{item.value}" if last.ns else f":NS:{item.value}"
                continue
            elif tag in ("62F", "62M"):
                amount, day, _ = self._balance(item)
                closing = (amount, day, item)
                self.closing_tag, self.closing_line = tag, item.line
            last = None
        self.label = f"afschrift {_shown(number)}" if number and number.strip("0/") else ""
        self.label = self.label or (f"afschrift {_shown(reference)}" if reference else "afschrift")
        start = self.message.line
        if not self.account:
            raise self.fail(start, f"{self.label}: het rekeningnummer (:25:) ontbreekt")
        if opening is None:
            raise self.fail(start, f"{self.label}: het beginsaldo (:60F:) ontbreekt")
        assert closing is not None  # a message always ends at its closing balance
        booked = [e for e in entries if e.booked]
        moved = sum((e.amount if e.credit else -e.amount for e in booked), Decimal(0))
        if opening + moved != closing[0]:
            raise self.fail(
                closing[2].line,
                f"{self.label} van rekening {self.account} klopt niet: beginsaldo "
                f"{euro(opening)} plus de boekingen ({euro(moved)}) is {euro(opening + moved)}, "
                f"maar het eindsaldo is {euro(closing[0])} (verschil "
                f"{euro(closing[0] - opening - moved)}); het bestand is onvolledig of beschadigd",
            )
        drafts: list[_Draft] = []
        credits = [e for e in booked if e.credit]
        marked = [e for e in booked if e.credit != e.reversal]  # C and RC
        self.by_mark = (
            len(marked),
            sum((e.amount for e in marked), Decimal(0)),
            len(booked) - len(marked),
            sum((e.amount for e in booked if e.credit == e.reversal), Decimal(0)),
        )
        returned = Decimal(0)
        returned_count = 0
        for entry in entries:
            draft = self._draft(entry)
            if draft is not None:
                drafts.append(draft)
            elif entry.booked and entry.credit and entry.amount:
                returned += entry.amount
                returned_count += 1
        self.summary = StatementSummary(
            label=self.label,
            account=self.account,
            currency=self.currency,
            day=closing[1],
            credits=len(credits),
            credit_total=sum((e.amount for e in credits), Decimal(0)),
            debits=len(booked) - len(credits),
            debit_total=sum((e.amount for e in booked if not e.credit), Decimal(0)),
            returned=returned_count,
            returned_total=returned,
            opening=opening,
            closing=closing[0],
        )
        return drafts

    def check_count(self, whole: _Counts, marked: _Counts) -> None:
        """Refuse the statement when the bank's count of its bookings after the closing
        balance (ING: :data:`_SUM`, :data:`_UNSTRUCTURED_SUM`) differs from the bookings read.

        The balances alone pass a file that lost a credit and a debit of the same amount, or
        a booking whose balances a tool added up again; the count tells. ``whole`` is the
        count of the statement's pages up to this one (the same as this page's own when the
        statement has one page): a count on the last page may be the whole statement's. A
        reversal may be counted by what it does (RD, a debit booked back, with the credits) or
        by its mark (RD with the debits; ``marked``: the pages up to this one so counted): ING's
        format descriptions do not say which, and a correct file is not refused for it. No
        count, or one in another layout, checks nothing.
        """
        if self.after_closing is None:
            return
        found = _count_in(self.after_closing.value)
        if found is None:
            return
        said = (
            int(found.group("credits")),
            _amount(found.group("credit_total")),
            int(found.group("debits")),
            _amount(found.group("debit_total")),
        )
        own = _counts(self.summary)
        if said in (own, whole, self.by_mark, marked):
            return
        pages = "" if whole == own else f"; met de vorige pagina's samen {_shown_counts(whole)}"
        raise self.fail(
            self.after_closing.line,
            f"{self.label} van rekening {self.account} klopt niet met de telling van de bank "
            f"(het veld :86: na het eindsaldo): volgens de bank {_shown_counts(said)}, maar "
            f"het bestand geeft {_shown_counts(own)}{pages}; er ontbreekt een boeking of het "
            "bestand is beschadigd",
        )

    # -- fields -----------------------------------------------------------------------------

    def _account(self, item: _Field) -> str:
        text = item.value.split("\n")[0].strip()
        if "/" in text and not text.startswith("/"):
            text = text.rsplit("/", 1)[1]  # Triodos: TRIODOSBANK/0123456789
        value = _compact_iban(text.lstrip("/"))
        if not value:
            raise self.fail(item.line, "het rekeningnummer (:25:) is leeg")
        if len(value) > 3 and value[-3:].isalpha() and not value[-4].isalpha():
            bare = value[:-3]
            if iban.is_valid(bare) or not bare.isalpha():
                value = bare  # ING, Rabobank, bunq: the currency after the account
        if len(value) > MAX_ACCOUNT:
            raise self.fail(
                item.line,
                f"het rekeningnummer (:25:) '{_shown(value)}' is te lang: een rekeningnummer "
                f"heeft hoogstens {MAX_ACCOUNT} tekens",
            )
        return value

    def _balance(self, item: _Field) -> tuple[Decimal, date, str]:
        text = item.value.split("\n")[0].strip()
        match = _BALANCE.fullmatch(text)
        if not match:
            raise self.fail(
                item.line, f"saldo :{item.tag}: '{_shown(text)}' is ongeldig" + _why(text)
            )
        day = self._date(match.group("date"), item)
        amount = _amount(match.group("amount"))
        signed = amount if match.group("mark") == "C" else -amount
        return signed, day, match.group("currency")

    def _entry(self, item: _Field) -> _Entry:
        first, _, supplementary = item.value.partition("\n")
        match = _ENTRY.fullmatch(first.strip())
        if not match:
            raise self.fail(
                item.line,
                f"boeking :61: '{_shown(first.strip())}' is ongeldig" + _why(first.strip()),
            )
        value_date = self._date(match.group("value"), item)
        booking_date, key_date = value_date, None
        if match.group("entry"):
            booking_date, key_date = self._entry_date(match.group("entry"), value_date, item)
        mark = match.group("mark")
        rest = match.group("rest")
        owner, _, bank = rest.partition("//")
        name = ""
        if not bank:
            old = _OWNER_AND_NAME.fullmatch(rest.strip())
            if old:
                owner, name = old.group("owner"), _collapse(old.group("name"))
        return _Entry(
            field=item,
            booked=mark not in ("EC", "ED"),
            credit=mark in ("C", "RD", "EC"),
            reversal=mark in ("RC", "RD"),
            amount=self._booked_amount(match.group("amount"), item),
            value_date=value_date,
            booking_date=booking_date,
            bank_reference=bank.strip(),
            owner_reference=owner.strip(),
            supplementary=supplementary,
            name=name,
            booking_date_given=bool(match.group("entry")),
            key_date=key_date,
        )

    def _booked_amount(self, text: str, item: _Field) -> Decimal:
        """Return the amount of a booking; refuse one of a trillion euro or more, which no
        workbook cell holds to the cent (:data:`~debiteuren.core.money.MAX_AMOUNT`)."""
        amount = _amount(text)
        if amount >= MAX_AMOUNT:
            raise self.fail(item.line, f"bedrag {text} is te groot voor een boeking")
        return amount

    def _entry_date(self, text: str, value_date: date, item: _Field) -> tuple[date, date | None]:
        """Return the booking date of an entry date MMDD, and the one the key was built from.

        The year is the one that puts the entry date nearest the value date (value date
        2026-11-30, entry date 0102: 2027-01-02). Up to this release only December and
        January were taken across the year end; a date that gave another year then keeps the
        stable key it had (the second date, else None).
        """
        month, day = int(text[:2]), int(text[2:])
        year = value_date.year
        try:
            same = date(year, month, day)
        except ValueError:
            same = None
        if same is not None and -183 < (same - value_date).days < 183:
            return same, None  # the common case: no other year is nearer
        candidates = [] if same is None else [same]
        for other in (year - 1, year + 1):
            with contextlib.suppress(ValueError):
                candidates.append(date(other, month, day))
        nearest = min(candidates, key=lambda x: abs(x - value_date), default=None)
        # 0229 near a value date of 2025-03-01 is no day of 2025: not 2024-02-29, a year before
        if nearest is None or (same is None and abs((nearest - value_date).days) >= 183):
            raise self.fail(item.line, f"boekingsdatum '{_shown(text)}' is ongeldig")
        if month == 12 and value_date.month == 1:
            year -= 1
        elif month == 1 and value_date.month == 12:
            year += 1
        if nearest.year == year:
            return nearest, None
        try:
            return nearest, date(year, month, day)
        except ValueError:  # refused before (29 February): no key to keep
            return nearest, None

    def _date(self, text: str, item: _Field) -> date:
        try:
            return date(2000 + int(text[0:2]), int(text[2:4]), int(text[4:6]))
        except ValueError:
            raise self.fail(item.line, f"datum '{_shown(text)}' is ongeldig") from None

    # -- the line ---------------------------------------------------------------------------

    def _draft(self, entry: _Entry) -> _Draft | None:
        if not entry.booked or entry.amount == 0:
            return None
        if entry.credit and entry.reversal:
            return None  # RD: a debit of ours booked back, no customer payment
        details = parse_details(entry.info, reversal=not entry.credit)
        if entry.credit:
            if details.returned:
                return None  # our own transfer that came back (ING /RTRN/): no customer payment
            is_reversal = False
        elif entry.reversal or details.returned:
            # RC, or a debit with a return reason (ING /RTRN/MS03/ on a D entry): a returned
            # direct debit or a payment sent back takes back an earlier credit, a storno.
            is_reversal = True
        else:
            return None
        draft = self._line(entry, details, is_reversal)
        if details.before is not None or entry.ns:  # read otherwise before: the key it had then
            earlier = self._line(_as_read_before(entry), details.before or details, is_reversal)
            draft.key_parts = earlier.key_parts or key_parts(earlier)
        # a payer's IBAN that only the free text names ("IBAN: BE71 0961 …"), as in CAMT.053
        payer_from_text(draft, (draft.remittance,))
        if "/OCMT/" in entry.supplementary or "/CHGS/" in entry.supplementary:
            note = _stated_amounts(entry.supplementary)
            if note:  # a text added since: the key stays the one the line had
                draft.key_parts = draft.key_parts or key_parts(draft)
                draft.remittance = _join_texts([draft.remittance, note])
        if entry.key_date is not None:  # dated in another year before: the key it had then
            dated_before(draft, entry.key_date)
        return draft

    def _line(self, entry: _Entry, details: Details, is_reversal: bool) -> _Draft:
        """Return the line of a booking with these details."""
        owner = "" if entry.owner_reference.upper() in _NOT_PROVIDED else entry.owner_reference
        # the IBAN that starts an unstructured text (ING) counts only where nothing else names
        # the payer's: ASN's "IBAN GEMEENTE ..." reads as "IBAN BIC name" too
        iban = ("" if details.iban_in_text else details.iban) or _supplementary_iban(
            entry.supplementary
        )
        if not iban and _is_iban(owner.upper()):
            iban = owner.upper()  # ASN, SNS: the payer's IBAN as the reference
        from_text = not iban and details.iban_in_text and details.iban != self.account
        if from_text:  # not our own account named in the text
            iban = details.iban
        name = (
            details.name
            or entry.name
            or _ns_text(entry.ns, _NS_NAME)
            or _supplementary_name(entry.supplementary)
        )
        draft = _Draft(
            account_iban=self.account,
            booking_date=entry.booking_date,
            value_date=entry.value_date,
            amount=entry.amount,
            currency=self.currency,
            counterparty_name=name,
            counterparty_iban=iban,
            remittance=details.remittance or _ns_text(entry.ns, _NS_PURPOSE),
            structured_reference=details.structured,
            is_reversal=is_reversal,
            key_extra="|".join((entry.bank_reference, owner, details.end_to_end)),
            booking_date_given=entry.booking_date_given,
            shown_name=details.ultimate if name == details.name else "",
        )
        if from_text:  # read from the text since this release: the key it had without it
            draft.key_parts = key_parts(replace(draft, counterparty_iban=""))
        return draft


def _as_read_before(entry: _Entry) -> _Entry:
    """Return a booking as versions that did not know ``:NS:`` read it: its :NS: fields were
    lines of the ``:61:``'s supplementary details."""
    if not entry.ns:
        return entry
    supplementary = f"{entry.supplementary}\n{entry.ns}" if entry.supplementary else entry.ns
    return replace(entry, supplementary=supplementary, ns="")


def _ns_text(ns: str, codes: frozenset[str]) -> str:
    """Return the subfields with these codes of a booking's ``:NS:`` fields, joined."""
    if not ns:
        return ""
    lines = (line.removeprefix(":NS:") for line in ns.split("\n"))
    return _join_texts([" ".join(line[2:] for line in lines if line[:2] in codes)])


#: SWIFT's codes in a ``:61:``'s supplementary details (ING writes ``/TRCD/00100/OCMT/...``):
#: the original amount in its currency, and the charges, each a currency and an amount.
_STATED = re.compile(r"/(OCMT|CHGS)/([A-Z]{3})(\d{1,15}[,.]\d{0,2})(?![\d,.])")


def _stated_amounts(supplementary: str) -> str:
    """Return what a booking's supplementary details say of its original amount and charges,
    for the user (the booked amount is what reached the account and counts), or "".

    >>> _stated_amounts("/TRCD/00100/OCMT/USD1000,00/CHGS/EUR5,/")
    'Oorspronkelijk bedrag USD 1.000,00; kosten € 5,00'
    """
    words = {"OCMT": "Oorspronkelijk bedrag", "CHGS": "kosten"}
    parts = []
    for code, currency, amount in _STATED.findall(supplementary.replace("\n", "")):
        shown = euro(_amount(amount))
        if currency != "EUR":
            shown = shown.replace("€", currency)
        parts.append(f"{words[code]} {shown}")
    return "; ".join(dict.fromkeys(parts))


def _why(text: str) -> str:
    """Return why a ``:61:`` or balance is refused when its amount lacks the decimal comma,
    else ""."""
    missing = _NO_DECIMAL.match(text)
    if missing is None:
        return ""
    digits = missing.group(1)
    cents = f"{int(digits) // 100},{int(digits) % 100:02d}"
    return (
        f": het bedrag '{digits}' heeft geen decimaalkomma, die MT940 voorschrijft; zonder "
        f"komma is niet zeker of het {int(digits)},00 of {cents} is. Download het afschrift "
        "opnieuw bij uw bank, of vraag de bank (of de maker van het bestand) om een afschrift "
        "met de komma"
    )


def _amount(text: str) -> Decimal:
    """Return an MT940 amount (``1234,56``, ``1234,``; old Rabobank ``1234.56``) as a Decimal."""
    whole, _, fraction = text.replace(".", ",").partition(",")
    return _cents(Decimal(f"{whole}.{fraction or '0'}"))


def _supplementary_name(text: str) -> str:
    """Return the payer's name from the ``:61:`` supplementary details (ASN, SNS), or ""."""
    first = _collapse(text.split("\n", 1)[0])
    if not first or first.startswith("/") or _IBAN.fullmatch(first.upper()):
        return ""
    return first


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
      returned: the booking carries a return reason (``/RTRN/``): on a credit, it is our own
        transfer that came back, not a payment by a customer.
      iban_in_text: ``iban`` is the IBAN that starts an unstructured text (ING), which was
        not read before: the booking keeps the stable key it had without it.
      ultimate: the name of the ultimate debtor (``/ULTD/``) a payment service paid for,
        shown instead of ``name`` (the payment service's), or "".
      before: the details as read before this layout was known (the German one was plain
        text), or None: the booking keeps the stable key it had then.
    """

    name: str = ""
    iban: str = ""
    remittance: str = ""
    structured: str = ""
    end_to_end: str = ""
    returned: bool = False
    iban_in_text: bool = False
    ultimate: str = ""
    before: Details | None = None


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
        spaced = _join_coded(info) if "\n" in info else joined
        details = _structured_details(spaced, reversal=reversal)
        if spaced != joined or details.before is not None:
            # read without these spaces, and a name with a slash cut there, before: it keeps
            # the key it had then
            before = _structured_details(
                joined,
                reversal=reversal,
                slash_in_name=False,
                issued=False,
                slashed_reference=False,
            )
            details = replace(details, before=before)
        return details
    if re.match(r"\s*\d{3}\s*>\d{2}", info):
        return _subfield_details(info)
    if _GVC.match(info):
        before = _read_text(info, first_width=_DETAILS_WIDTH)  # as read before
        return replace(_german_details(info, reversal=reversal), before=before)
    return _text_details(info)


def _text_details(info: str) -> Details:
    """Read a ``:86:`` of text (:func:`_read_text`); a text whose first line fills the line of
    the file after the tag (61 characters) was read with a space after it before, and a label
    that begins a line after a full one was joined to that line's last word: the details keep
    the key they had then."""
    details = _read_text(info)
    if "\n" not in info:
        return details
    if len(info.split("\n", 1)[0]) == _FIRST_WIDTH:
        before = _read_text(info, first_width=_DETAILS_WIDTH, labels_apart=False)
    elif _unwrap(info, labels_apart=False) != _unwrap(info):  # a label after a full line
        before = _read_text(info, labels_apart=False)
    else:  # read the same before (the text is all that differs between the readings)
        return details
    return replace(details, before=before)


def _read_text(info: str, *, first_width: int = _FIRST_WIDTH, labels_apart: bool = True) -> Details:
    """Read a ``:86:`` of text: labels (ABN AMRO, Knab), ING's unstructured layout, or any
    text, kept whole as the remittance (``first_width``, ``labels_apart``: see
    :func:`_unwrap`)."""
    spaced = _unwrap(info, first_width, labels_apart=labels_apart)
    if len({m.group("label").upper() for m in _LABEL.finditer(spaced)}) >= 2:
        details = _labelled_details(spaced)
        if details.structured:
            return details
        return replace(details, structured=_bridged_reference(info, first_width))
    returned = _RETURN_REASON.match(spaced)
    if returned and (returned.group("bic") or iban_is_valid(returned.group("iban"))):
        # ING unstructured: "AC04 NL20INGB0002222222 INGBNL2A name ..." is a payment that
        # came back with its return reason, like /RTRN/ in the structured layout.
        return Details(iban=returned.group("iban"), remittance=spaced, returned=True)
    leading = _LEADING_ACCOUNT.match(spaced)
    if leading and iban_is_valid(leading.group("iban")):
        return Details(
            iban=leading.group("iban"),
            remittance=spaced,
            structured=_bridged_reference(info, first_width),
            iban_in_text=True,
        )
    return Details(remittance=spaced, structured=_bridged_reference(info, first_width))


def coded_details(text: str, *, reversal: bool = False) -> Details | None:
    """Read a text in the structured ``:86:`` layout (``/TRTP/…/IBAN/…/NAME/…/REMI/…``), or
    return None for any other text.

    ABN AMRO (and bunq) write this layout in a camt.053 entry's ``AddtlNtryInf`` too, where
    it is often the only place that names the payer's account.

    Args:
      text: the text, on one line.
      reversal: True for a reversal, where the beneficiary may be the payer.
    Returns:
      The details, or None.
    """
    if not text.lstrip().startswith("/") or not _KEY.search(text):
        return None
    return _structured_details(text, reversal=reversal)


def _unwrap(info: str, first_width: int = _FIRST_WIDTH, *, labels_apart: bool = True) -> str:
    r"""Join the lines of a ``:86:`` field into one text, whitespace collapsed.

    After a line of the field's full width (65 characters; the first line also at 61, where
    the tag ``:86:`` filled the rest of the file's line, as ING cuts it) the next line follows
    without a space: the bank cut the text at the width, inside a word or reference ("RF15
    2026 00" and "95 dank u" on the next line is "RF15 2026 0095 dank u"). After a shorter line
    a space separates the two: the bank ended the line itself. A line padded with spaces to the
    width keeps its spaces, so its last word stays apart from the next line's first. A line
    that begins with a label (``OMSCHRIJVING:``, as ABN AMRO starts a field on a new line
    after a name that filled the line) begins a new field: a space separates it
    (``labels_apart``; without it, as read before, the label was glued to the name).

    >>> _unwrap("x" * 52 + " RF15 2026 00\n95 dank u")[-23:]
    'x RF15 2026 0095 dank u'
    >>> _unwrap("Betaling factuur\n2026-0110")
    'Betaling factuur 2026-0110'
    >>> _unwrap("Betaling sieraden".ljust(65) + "\nklant K009")
    'Betaling sieraden klant K009'
    >>> _unwrap("BIC: RABONL2U".ljust(33) + "NAAM: BAKKERIJ DE KORENSCHOOF BV\nOMSCHRIJVING: F 7")
    'BIC: RABONL2U NAAM: BAKKERIJ DE KORENSCHOOF BV OMSCHRIJVING: F 7'
    """
    lines = info.split("\n")
    joined = [lines[0]]
    for n, (previous, line) in enumerate(pairwise(lines)):
        cut = _cut_at_width(previous, first=n == 0, first_width=first_width)
        if cut and labels_apart and _LABEL.match(line):
            cut = False
        joined.append(line if cut else f" {line}")
    return _collapse("".join(joined))


def _cut_at_width(line: str, *, first: bool, first_width: int = _FIRST_WIDTH) -> bool:
    """Return True when a line of an unstructured ``:86:`` fills the field's width (see
    :func:`_unwrap`; ``first``: the field's first line)."""
    return len(line) == _DETAILS_WIDTH or (first and len(line) == first_width)


def _join_coded(info: str) -> str:
    r"""Join the lines of a ``:86:`` in the structured layout (``/NAME/…/REMI/…``).

    A line of the field's full width (65 characters; the first line 61, after the tag
    ``:86:``) was cut there by the bank (ING, Rabobank, ABN AMRO), inside a word, a value or a
    code: the next line follows without a space. A shorter line was ended by the bank between
    two words (bunq wraps its text at a space, which it leaves out): when the line ends in a
    letter, a digit or a full stop, comma and the like, and the next begins with a letter or
    digit, a space separates them, unless the two sides make a code (``/RE`` and ``MI/``). A
    break at a code's slash (``…/NAME/`` and ``Jansen/REMI/…``) or before punctuation joins
    without one, as before.

    >>> _join_coded("/NAME/J. Jansen/REMI/Factuur 2026-0110 voor het\nonderhoud van de tuin/")
    '/NAME/J. Jansen/REMI/Factuur 2026-0110 voor het onderhoud van de tuin/'
    >>> _join_coded("/EREF/X/NAME/\nJ. Jansen\n/REMI/Factuur 2026-0110/")
    '/EREF/X/NAME/J. Jansen/REMI/Factuur 2026-0110/'
    """
    lines = info.split("\n")
    joined = [lines[0]]
    width = _FIRST_WIDTH
    for previous, line in pairwise(lines):
        joined.append(line if _no_space_between(previous, line, width) else f" {line}")
        width = _DETAILS_WIDTH
    return "".join(joined)


#: What may end a word that a space follows ("J." "Jansen", "Factuur:" "2026-0110").
_WORD_END = frozenset(".,;:!?)")


def _no_space_between(previous: str, line: str, width: int) -> bool:
    """Return True when two lines of a structured ``:86:`` join without a space (see
    :func:`_join_coded`)."""
    end = previous[-1:]
    if len(previous) >= width or not (line[:1].isalnum() and (end.isalnum() or end in _WORD_END)):
        return True  # cut at the width, or not between two words ("…/NAME/", "11" ":00:00")
    left, right = previous[-_BRIDGE:], line[:_BRIDGE]
    return any(m.start() < len(left) < m.end() for m in _KEY.finditer(left + right))


#: How much text on either side of a line break :func:`_bridged_reference` looks at.
_BRIDGE = 40


def _bridged_reference(info: str, first_width: int = _FIRST_WIDTH) -> str:
    """Return the one valid reference that a line break read as a space cut in two, or "".

    ASN, SNS and RegioBank cut the ``:86:`` text at 65 columns and pad the last line with
    spaces (the wolph/mt940 ASNB and zilverline/mt940 SNS samples: "Betaling aan I" / "CS",
    "…SCT2015…0009" / "44"); a reference cut there is joined by :func:`_unwrap`. A line that
    ends before the width is read as the end of a word; should a reference still be cut there
    (a file saved again without its padding, a bank that pads a line it cut), the two sides
    are tried together: when they hold a valid RF, OGM or betalingskenmerk (its check digits
    hold) that neither side holds alone nor the text with the space, and the words at the
    break hold none on their own, that reference is returned. The matcher counts it only when
    it is one we issued: two unrelated numbers make at most an unknown reference, never a
    match.
    """
    lines = info.split("\n")
    found: list[str] = []
    for n, (previous, line) in enumerate(pairwise(lines)):
        cut = _cut_at_width(previous, first=n == 0, first_width=first_width)
        if cut and not previous[-1].isspace():
            continue  # cut at the width: joined without a space already
        left, right = previous.rstrip()[-_BRIDGE:], line.lstrip()[:_BRIDGE]
        if not (left and right and left[-1].isalnum() and right[0].isalnum()):
            continue
        last, first = left.rsplit(None, 1)[-1], right.split(None, 1)[0]
        if not any(c.isdigit() for c in last + first):
            continue
        if find_references(last) or find_references(first):
            continue  # a whole reference at the break: the next word is another one
        apart = {
            r.value for text in (left, right, f"{left} {right}") for r in find_references(text)
        }
        for reference in find_references(left + right):
            if reference.value not in apart and reference.value not in found:
                found.append(reference.value)
    return found[0] if len(found) == 1 else ""


def _structured_details(
    text: str,
    *,
    reversal: bool,
    slash_in_name: bool = True,
    issued: bool = True,
    slashed_reference: bool = True,
) -> Details:
    """Read a ``:86:`` with ``/CODE/value`` pairs (ING, Rabobank, ABN AMRO SEPA).

    ING's ``/CNTP/`` has four parts, account, BIC, name and city: more parts are a name with
    a slash in it (``/CNTP/NL…/RABONL2U/Jansen/De Vries VOF/UTRECHT/``), read whole
    (``slash_in_name``; without it, as before, the name was cut at its slash). A ``/REMI/``
    that names a creditor reference with its issuer (ABN AMRO, :data:`_ISSUED`) gives the
    structured reference (``issued``; without it, as before, it was text). A structured
    reference written with slashes of its own after ``/REMI/STRD/`` and its issuer, as a
    Belgian OGM is printed (``/REMI/STRD/BBA//+++090/9337/55493+++/``), is read whole
    (``slashed_reference``; without it, as before, only its part after the last slash was
    read, as text).
    """
    matches = list(_KEY.finditer(text))
    parties: dict[str, dict[str, str]] = {}
    role = "top"
    slashed = issuer_read = rejoined = False
    remittance: list[str] = []
    structured = ""
    end_to_end = ""
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        key = match.group("key")
        value = text[match.end() : end].strip("/").strip()
        if key in _PARTY_ROLES:
            role = _PARTY_ROLES[key]
            if value and role == "ultd":  # /ULTD/name/id/: the name first
                parties.setdefault(role, {}).setdefault("NAME", value.split("/")[0])
            elif value and role != "ult":
                parties.setdefault(role, {}).setdefault("NAME", value)
            continue
        if key in _PARTY_KEYS:
            parties.setdefault(role, {}).setdefault(key, value)
            continue
        role = "top"
        if key == "CNTP":
            parts = [p.strip() for p in value.split("/")]
            if slash_in_name and len(parts) > 4:
                parts = [*parts[:2], "/".join(parts[2:-1]), parts[-1]]
                slashed = True
            party = parties.setdefault("cntp", {})
            for name, part in zip(("IBAN", "BIC", "NAME", "CITY"), parts, strict=False):
                if part:
                    party.setdefault(name, part)
        elif key == "REMI":
            kind, _, rest = value.partition("/")
            given = _issued_reference(value) if issued else ""
            if given:
                issuer_read = True
                if not structured:
                    structured = given
                else:
                    remittance.append(value)
            elif kind.upper() == "USTD":
                remittance.append(rest.lstrip("/"))
            elif kind.upper() == "CDTRREFTP":
                pass  # the type of the creditor reference (CD/SCOR/ISSR/CUR); see CDTRREF
            elif kind.upper() == "STRD":
                pieces = [p for p in rest.split("/") if p]
                raw = pieces[-1] if pieces else ""
                compact = _parse_reference(raw)
                if not compact and slashed_reference:
                    # the issuer (CUR, ISO, BBA) or none, then the reference with its slashes
                    for start in (1, 0)[: len(pieces) - 1]:
                        whole = "/".join(pieces[start:])
                        if compact := _parse_reference(whole):
                            raw, rejoined = whole, True
                            break
                if compact and not structured:
                    structured = compact
                elif raw:
                    remittance.append(raw)
            else:
                remittance.append(value)
        elif key == "CDTRREF":
            # Rabobank and ABN AMRO: /REMI//CDTRREFTP//CD/SCOR/ISSR/CUR/CDTRREF/kenmerk/
            compact = _parse_reference(value)
            if compact and not structured:
                structured = compact
            elif value:
                remittance.append(value)
        elif key == "EREF":
            end_to_end = "" if value.upper() in _NOT_PROVIDED else value
    order = ["ordp", "cntp", "top", "benm"] if reversal else ["ordp", "cntp", "top"]
    name, iban = "", ""
    payer = ""
    for candidate in order:
        party = parties.get(candidate)
        if not party:
            continue
        name = name or _collapse(party.get("NAME", ""))
        iban = iban or _compact_iban(party.get("IBAN", ""))
        payer = payer or candidate
        if name and iban:
            break
    # the ultimate debtor a payment service paid for (ING /ULTD/), as in CAMT's UltmtDbtr
    ultimate = _collapse(parties.get("ultd", {}).get("NAME", "")) if payer != "benm" else ""
    return Details(
        name=name,
        iban=iban,
        ultimate=ultimate if name and ultimate != name else "",
        remittance=_join_texts(remittance),
        structured=structured,
        end_to_end=end_to_end,
        returned=any(m.group("key") == "RTRN" for m in matches),
        before=(
            _structured_details(
                text,
                reversal=reversal,
                slash_in_name=False,
                issued=False,
                slashed_reference=False,
            )
            if slashed or issuer_read or rejoined
            else None
        ),
    )


#: A creditor reference with its issuer in ``/REMI/`` (ABN AMRO's ``/TRTP/`` layout): the
#: issuer (``CUR`` a Dutch betalingskenmerk, ``ISO`` an RF) and the reference, in columns
#: (``ISSUER: CUR                   REF: 7852983426401110``, as the ABN AMRO statements of
#: several open-source readers show an acceptgiro), with slashes (``ISSUER/CUR/REF/…``), or
#: the issuer alone after an empty type (``/REMI//CUR/…``).
_ISSUED = re.compile(
    r"(?:ISSUER\s*[:/]\s*[A-Z]{0,4}\s*/?\s*REF\s*[:/]|(?:CUR|ISO)\s*/)\s*(?P<reference>.+)",
    re.IGNORECASE,
)


def _issued_reference(value: str) -> str:
    """Return the compact form of the valid creditor reference a ``/REMI/`` value names with
    its issuer (:data:`_ISSUED`), or "" (no such form, or no valid reference: the value stays
    text, for the matcher to search)."""
    found = _ISSUED.fullmatch(value)
    if found is None:
        return ""
    return _parse_reference(found.group("reference").strip().strip("/").strip())


def _subfield_details(text: str) -> Details:
    """Read a ``:86:`` with numbered subfields (Triodos): ``000>10…>20…>21…>31…``.

    ``>21`` holds the counterparty's IBAN when there is one (``>20`` is then its BIC); the
    other subfields ``>20`` to ``>29`` hold the name, address and description, cut at fixed
    widths; ``>31`` is an account number and ``>32``/``>33`` a name (GVC layout).
    """
    joined = text.replace("\n", "")
    matches = list(_SUBFIELD.finditer(joined))
    values: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(joined)
        values.setdefault(match.group("code"), joined[match.end() : end])
    counter = _compact_iban(values.get("21", ""))
    has_iban = _is_iban(counter)
    texts = [
        values[code]
        for code in ("20", "21", "22", "23", "24", "25", "26", "27", "28", "29")
        if code in values and not (has_iban and code in ("20", "21"))
    ]
    name = _collapse(values.get("32", "") + values.get("33", ""))
    return Details(
        name=name, iban=counter if has_iban else "", remittance=_collapse("".join(texts))
    )


def _german_details(text: str, *, reversal: bool) -> Details:
    """Read a ``:86:`` in the German layout: ``166?00SEPA-GUTSCHRIFT?20EREF+…?21SVWZ+…?31…``.

    The purpose subfields hold SEPA items, each starting with its identifier (``EREF+`` the
    end-to-end reference, ``SVWZ+`` the remittance text, ``ABWA+`` the ultimate debtor) and
    going on in the next subfields; text before any identifier is remittance too. ``?31`` is
    the payer's IBAN (when valid; else ``IBAN+``), ``?32`` and ``?33`` the name. A debit
    (``reversal``) with the code of a returned or reversed direct debit (108, 109, 193) is
    ``returned``, and so is a credit with the code of our own transfer or direct debit that
    came back (159, 160, 181, 184, 193).
    A field ``:NS:`` after it (some German banks' own information, lines ``01…``, ``02…``,
    which reach this text as its next lines) is no part of it.
    """
    joined = text.split("\n:NS:", 1)[0].replace("\n", "")
    matches = list(_GVC_SUBFIELD.finditer(joined))
    purpose: list[str] = []
    values: dict[str, list[str]] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(joined)
        code, value = match.group("code"), joined[match.end() : end]
        if "20" <= code <= "29" or "60" <= code <= "63":
            purpose.append(value)
        else:
            values.setdefault(code, []).append(value)
    items = _sepa_items(purpose)
    counter = _compact_iban(_german_text(values.get("31", [])))
    if not _is_iban(counter):
        counter = _compact_iban(items.get("IBAN", ""))
        counter = counter if _is_iban(counter) else ""
    remittance = _join_texts([items.get("", ""), items.get("SVWZ", "")])
    end_to_end = items.get("EREF", "")
    name = _german_text(values.get("32", []) + values.get("33", []))
    ultimate = items.get("ABWA", "")
    return Details(
        name=name,
        iban=counter,
        remittance=remittance,
        structured=_parse_reference(items.get("SVWZ", "")),
        end_to_end="" if end_to_end.upper() in _NOT_PROVIDED else end_to_end,
        ultimate=ultimate if name and ultimate != name else "",
        returned=joined.lstrip()[:3] in (_GERMAN_STORNOS if reversal else _GERMAN_OWN_RETURNS),
    )


def _is_iban(text: str) -> bool:
    """Return True when ``text`` is an IBAN (its form and its check digits)."""
    return bool(_IBAN.fullmatch(text)) and iban_is_valid(text)


def _german_text(parts: list[str]) -> str:
    """Join German subfields: without a space after one of the full width (cut there)."""
    joined = "".join(
        part if not index or len(parts[index - 1]) == _GVC_WIDTH else f" {part}"
        for index, part in enumerate(parts)
    )
    return _collapse(joined)


def _sepa_items(purpose: list[str]) -> dict[str, str]:
    """Return the SEPA items of the German purpose subfields by identifier ("" for text
    before any identifier), each joined over the subfields it fills (after one of the full
    width without a space, as :func:`_german_text`)."""
    items: dict[str, str] = {}
    key, previous = "", 0
    for value in purpose:
        match = _SEPA_ITEM.match(value)
        if match:
            key, text, glue = match.group("key"), value[match.end() :], " "
        else:
            text, glue = value, ("" if previous == _GVC_WIDTH else " ")
        items[key] = f"{items[key]}{glue}{text}" if key in items else text
        previous = len(value)
    return {key: _collapse(text) for key, text in items.items()}


def _labelled_details(text: str) -> Details:
    """Read ABN AMRO's older ``:86:`` with ``IBAN:``, ``NAAM:``, ``OMSCHRIJVING:`` labels."""
    matches = list(_LABEL.finditer(text))
    values: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        label = match.group("label").upper()
        values.setdefault(_LABEL_NAMES.get(label, label), text[match.end() : end].strip())
    # Knab writes more text after the reference, after a comma: "…KENMERK: 1234…, 22-10-2014"
    given, _, after = values.get("BETALINGSKENM", "").partition(",")
    structured = _parse_reference(given.strip())
    texts = [values.get("OMSCHRIJVING", "")]
    if "REK" in values and not values.get("OMSCHRIJVING"):
        texts.append(text[: matches[0].start()])  # Knab: the description comes first
    if structured:
        texts.append(after)
    elif values.get("BETALINGSKENM"):
        texts.append(values["BETALINGSKENM"])
    return Details(
        name=values.get("NAAM", values.get("NAME", "")).strip("/ "),
        iban=_compact_iban(values.get("IBAN", values.get("REK", "")).strip("/")),
        remittance=_join_texts(texts),
        structured=structured,
        end_to_end=values.get("KENMERK", ""),
    )
