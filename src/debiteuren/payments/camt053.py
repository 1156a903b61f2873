"""Read ISO 20022 camt.053 bank-to-customer statements (versions 001.02 to 001.13).

Elements are matched on their local names, whatever the namespace, so every version from
``camt.053.001.02`` to ``camt.053.001.13`` is read by the same code (the versions after 08 keep
the elements read here where 08 has them). The file is read
incrementally (``lxml.etree.iterparse``) and each entry is dropped once read, so a file with
100,000 entries needs little memory. Entities are not resolved and nothing is fetched from the
network (no XXE); a file with a ``DOCTYPE`` is refused outright, as no bank sends one.

What is read, per ``BkToCstmrStmt/Stmt`` (a file may hold several accounts):

* ``Acct/Id/IBAN`` (or ``Acct/Id/Othr/Id``) and ``Acct/Ccy``: our account.
* ``Ntry``: ``Amt`` (with ``@Ccy``), ``CdtDbtInd`` (``CRDT``/``DBIT``), ``RvslInd``, ``Sts``
  (``BOOK``; from version 08 ``Sts/Cd``; ``PDNG``, ``INFO`` and ``FUTR`` are skipped, any
  other status refuses the file), ``BookgDt`` and ``ValDt``
  (``Dt`` or ``DtTm``: one in UTC or with an offset is the day on the Dutch and Belgian clock,
  :func:`debiteuren.payments.localtime.local_day`), ``AcctSvcrRef``, ``NtryRef``,
  ``AddtlNtryInf``.
* ``Ntry/NtryDtls/TxDtls`` (one or more; several make a batch booking): ``Amt`` (version 04
  and later) or ``AmtDtls/TxAmt/Amt``, ``CdtDbtInd``, ``Refs/AcctSvcrRef``, ``Refs/EndToEndId``,
  ``Refs/TxId``, ``RltdPties/Dbtr/Nm`` (from version 08 ``Dbtr/Pty/Nm``),
  ``RltdPties/DbtrAcct/Id/IBAN`` (without one, the payer's IBAN that the texts of an entry
  of one payment name as the payer's, :func:`~debiteuren.payments.lines.payer_iban_in_text`),
  ``RltdPties/UltmtDbtr/Nm`` (the customer a payment service
  paid for: its name is shown instead of the debtor's, the debtor's account kept),
  ``RmtInf/Ustrd``, ``RmtInf/Strd/CdtrRefInf/Ref`` (issuer SCOR/BBA/ISO/CUR),
  ``RmtInf/Strd/RfrdDocInf/Nb``, ``RmtInf/Strd/AddtlRmtInf``, ``AddtlTxInf``.

Direction: ``CRDT`` without ``RvslInd`` is a credit; ``DBIT`` with ``RvslInd=true`` is the
reversal of a credit (ISO: "if CdtDbtInd is DBIT and RvslInd is true, the original operation was
a credit"). So is a ``DBIT`` that books a payment back without ``RvslInd``: a returned direct
debit or returned transfer, with ``TxDtls/RtrInf`` (return information) or a return sub-family
in ``BkTxCd`` (``UPDD``, ``PRDD``, ``RCDD``, ``RRTN``, ``RPCR``). Everything else is skipped.

Reading: an entry is serialised by lxml in one call; where the texts that are read stand is
worked out once per shape of entry (:class:`_Shape`, each ``TxDtls`` of a batch on its own), as
a file holds a handful of shapes, and the serialisation is matched whole against its shape's
pattern, which captures just those texts. An entry of another kind (repeated elements on the
way to a text that is read) or with an error is read element by element (:class:`_Node`), which
also names the place of the error; tests compare the two on generated entries.

Version ``camt.053.001.01`` (root ``BkToCstmrStmtV01``) is refused with a message that names
it: its balances and entries are laid out differently (``Bal/Tp/Cd``, ``Ntry/TxDtls``).

Batch bookings: one line per ``TxDtls`` with its own amount when the detail amounts add up to
the entry amount; with a single ``TxDtls`` the entry amount (what was booked) is used; when the
details have no amounts or do not add up, one line with the entry amount and the texts of all
details is returned, so that no money is lost or counted twice. A credit batch that says it
holds more payments (``Btch/NbOfTxs``) than it lists, whose listed amounts do not give the
entry's, is read by :func:`_incomplete_batch`: the listed payments and a rest to check, or one
line to check.

Balances: the opening balance (``OPBD``, else ``PRCD``) plus the booked entries must be the
closing balance (``CLBD``). A statement over pages (``StmtPgntn`` or ``GrpHdr/MsgPgntn``) gives
each page its interim booked balances (``ITBD``, ISO's one code for MT940's ``:60M:`` and
``:62M:``) where it has no OPBD or CLBD: a page none of whose opening and closing balances
agree with its entries, or that does not open with the balance the page before it in the file
closed with, refuses the file (:meth:`_Reader._check_page`, :meth:`_Reader._check_chain`).

Bank reference: ``TxDtls/Refs/AcctSvcrRef``, else ``Ntry/AcctSvcrRef`` (with ``/1``, ``/2``…
per detail of a batch), else (also when these hold a placeholder such as ``NONREF``) a stable
key (:func:`debiteuren.payments.lines._stable_key`) that also covers ``NtryRef``, ``TxId`` and
``EndToEndId``.
"""

from __future__ import annotations

import gc
import io
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache

from lxml import etree

from debiteuren.core.model import YEARS, YEARS_NOTE
from debiteuren.core.money import CENT, MAX_AMOUNT, Decimal
from debiteuren.errors import quoted
from debiteuren.formatting import euro

from .lines import (
    MAX_ACCOUNT,
    NotAStatement,
    PageEnds,
    StatementError,
    StatementLine,
    StatementSummary,
    _cents,
    _compact_iban,
    _Draft,
    _finish,
    _join_texts,
    _parse_reference,
    _reference,
    _Repeats,
    _shown,
    dated_before,
    is_currency_code,
    key_parts,
    payer_from_text,
)
from .localtime import local_day
from .mt940 import coded_details

__all__ = ["parse", "parse_file"]

_AMOUNT = re.compile(r"[0-9]{1,18}(?:\.[0-9]{1,5})?")
#: A currency code (ISO 4217, the schema's ActiveOrHistoricCurrencyCode).
_CURRENCY = re.compile(r"[A-Z]{3}")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_NOT_PROVIDED = {"", "NOTPROVIDED", "NOT PROVIDED", "NONREF"}
_INSTEAD = (
    "; exporteer bij uw bank het dagafschrift (rekeningafschrift) als CAMT.053, MT940 of CODA "
    "en lees dat in"
)
_OTHER_MESSAGES = {
    "BkToCstmrAcctRpt": "een tussentijds rekeningrapport (camt.052) met mogelijk voorlopige "
    "boekingen" + _INSTEAD,
    "BkToCstmrDbtCdtNtfctn": "een melding van bij- en afschrijvingen (camt.054), geen "
    "volledig afschrift" + _INSTEAD,
    "CstmrCdtTrfInitn": "een betaalopdracht (pain.001) die u naar de bank stuurt; die bevat "
    "geen ontvangen betalingen" + _INSTEAD,
    "CstmrDrctDbtInitn": "een incasso-opdracht (pain.008) die u naar de bank stuurt; die bevat "
    "geen ontvangen betalingen" + _INSTEAD,
    "CstmrPmtStsRpt": "een statusrapport van de bank over uw opdrachten (pain.002)" + _INSTEAD,
}
#: Of the messages above, the bank's reports whose bookings a day's statement holds, and what
#: each is (:class:`~.lines.NotAStatement`).
_REPORTS = {
    "BkToCstmrAcctRpt": "een tussentijds rekeningrapport (camt.052)",
    "BkToCstmrDbtCdtNtfctn": "een melding van bij- en afschrijvingen (camt.054)",
}
#: The root of camt.053.001.01 (2008), whose entries and balances are laid out differently.
_FIRST_VERSION = "BkToCstmrStmtV01"
#: The starts of libxml2's messages for something after the end of the document: more
#: content, or a second document's declaration (two statements in one file).
_AFTER_THE_END = (
    "Extra content at the end of the document",
    "XML declaration allowed only at the start of the document",
)
_CII_NAMESPACE = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
#: Bank transaction code family of our own (issued) credit transfers: a credit in this family
#: is a transfer of ours that came back, not a customer's payment.
_ISSUED_TRANSFERS = "ICDT"
#: Bank transaction sub-families (ISO ExternalBankTransactionSubFamily1Code) that book a payment
#: back: UPDD "reversal due to return/unpaid direct debit", PRDD "reversal due to payment
#: reversal", RCDD "reversal due to payment cancellation request" (direct debits we collected),
#: RRTN "reversal due to payment return" and RPCR "reversal due to payment cancellation
#: request" (credit transfers we received). A debit with one of these takes back a credit.
_RETURN_SUBFAMILIES = frozenset({"UPDD", "PRDD", "RCDD", "RRTN", "RPCR"})
#: The statuses of an entry (ISO EntryStatus2Code, ExternalEntryStatus1Code): booked, and
#: pending, information only and future (not booked: no money received yet), as a code or
#: (version 08) a proprietary status (``Sts/Prtry``). Another status refuses the file: an
#: entry it would skip could be a booked credit, lost without a word where the statement
#: gives no balances to check (Revolut, Wise).
_STATUSES = frozenset({"BOOK", "PDNG", "INFO", "FUTR"})


def parse(data: bytes, *, source: str) -> list[StatementLine]:
    """Parse a camt.053 file; see :func:`parse_file`."""
    return parse_file(data, source=source)[0]


def parse_file(data: bytes, *, source: str) -> tuple[list[StatementLine], list[StatementSummary]]:
    """Parse a camt.053 file whole, checking each statement's balances and totals.

    Args:
      data: the XML bytes (any encoding the XML declaration names; UTF-8 by default).
      source: the file name.
    Returns:
      The credits and reversals of credits, in file order, and one summary per statement.
      Raises :class:`~debiteuren.payments.StatementError` naming the element path (or the line,
      for XML that is not well-formed), also when a statement's opening balance plus its
      entries is not its closing balance, or its ``TxsSummry`` totals differ from the entries.
    """
    if _DOCTYPE.search(data[:65536]):
        raise _doctype(source)
    reader = _Reader(source)
    # The reader makes a record or two per entry and no reference cycles; the collector would
    # scan them again and again as they pile up (0.3 of 3 s at 100,000 entries). Paused here
    # as core.book.no_cycle_collection does, without importing the calculator for it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        lines = reader.read(data)
    finally:
        if collecting:
            gc.enable()
    return lines, reader.summaries


class _Tally:
    """The entries of one statement, counted for the balance and summary checks."""

    __slots__ = ("all", "booked", "credit", "debit", "net", "returned")

    def __init__(self) -> None:
        self.all = [0, Decimal(0), 0, Decimal(0), 0, Decimal(0)]  # n, sum, credits, debits
        self.booked = [0, Decimal(0), 0, Decimal(0), 0, Decimal(0)]
        self.net = Decimal(0)
        self.credit = Decimal(0)
        self.debit = Decimal(0)
        self.returned = [0, Decimal(0)]

    def add(self, amount: Decimal, credit: bool, booked: bool) -> None:
        """Count an entry in every list, and if booked in the booked list and the net amount
        (the counting written out in the loop, not a call per list: it runs for every entry,
        issue 17)."""
        for counts in (self.all, self.booked) if booked else (self.all,):
            counts[0] += 1
            counts[1] += amount
            if credit:
                counts[2] += 1
                counts[3] += amount
            else:
                counts[4] += 1
                counts[5] += amount
        if booked:
            self.net += amount if credit else -amount


class _Reader:
    """The state of one pass over a camt.053 file."""

    #: Read entries of a common shape from their texts (:meth:`_read_by_shape`); off, every
    #: entry is read through :class:`_Node` (the tests compare the two).
    by_shape = True

    def __init__(self, source: str) -> None:
        self.source = source
        self.drafts: list[_Draft] = []
        self.root = "Document"
        self.statement = 0
        self.entry = 0
        self.account = ""
        self.account_currency = ""
        self.account_read = False
        self.seen_statement_root = False
        self.summaries: list[StatementSummary] = []
        self.repeats = _Repeats(source)
        self.first_draft = 0  # the first draft of the statement being read
        self.tally = _Tally()
        self.header: dict[str, object] = {}
        self.last_booking: date | None = None
        self.message_next_page: int | None = None  # GrpHdr/MsgPgntn, once read
        self.message_page = 1  # its PgNb
        #: the index in ``summaries`` of a page of a statement (StmtPgntn) -> the balances it
        #: may close with (its CLBD or ITBD that its entries lead to), for the next page's check
        self.page_ends: dict[int, tuple[frozenset[Decimal], bool]] = {}
        self.page_before: int | None = None  # the page the statement just read continues
        #: (account, currency) -> the index in ``summaries`` of its last statement, when that
        #: is a page of its own (StmtPgntn) that another page follows
        self.paged: dict[tuple[str, str], int] = {}
        self.shapes: dict[str, object] = {}
        self.tried: dict[int, list[_Shape]] = {}  # the shapes to try, by their number of tags
        self.seen: dict[str, int] = {}  # how often the tags of a shape not worked out were seen
        self.days: dict[str, date] = {}  # the dates of the date texts read by shape
        #: the date texts whose local day is another than the day written, with that day
        self.written: dict[str, date] = {}

    # -- the pass ---------------------------------------------------------------------------

    def read(self, data: bytes) -> list[StatementLine]:
        tags = [
            "{*}Document",
            "{*}BkToCstmrStmt",
            f"{{*}}{_FIRST_VERSION}",
            "{*}Stmt",
            "{*}Ntry",
            *_other_tags(),
        ]
        events = etree.iterparse(
            io.BytesIO(data),
            events=("start", "end"),
            tag=tags,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            remove_comments=True,
            remove_pis=True,
            huge_tree=False,
        )
        first = True
        try:
            for event, element in events:
                tag = element.tag  # only elements pass the tag filter
                name = tag[tag.rfind("}") + 1 :]
                if first:
                    first = False
                    self.root = name
                    if element.getroottree().docinfo.doctype:  # after a long comment, say
                        raise _doctype(self.source)
                if name == "Ntry":  # the common case first
                    if event == "start":
                        self.entry += 1
                    else:
                        self._end_entry(element)
                elif event == "start":
                    self._start(name, element)
                elif name == "Stmt":
                    if not self.account_read:
                        self._read_account(element)
                    self._end_statement()
                    self._drop(element)
        except etree.XMLSyntaxError as exc:
            line = exc.lineno or (exc.position[0] if exc.position else 0)
            where = f"regel {line}" if line else ""
            if self.entry:
                where = f"{where}, in {self._entry_path()}" if where else self._entry_path()
            problem = (
                "het XML-bestand is beschadigd of onvolledig; download het afschrift opnieuw "
                "bij uw bank"
            )
            if exc.msg.startswith(_AFTER_THE_END):
                problem = (
                    "na het einde van het XML-document staat nog meer in het bestand, zoals "
                    "een tweede afschrift dat erachter is geplakt; geef elk afschrift als een "
                    "apart bestand"
                )
            elif "in character encoding" in exc.msg or "Input is not proper UTF-8" in exc.msg:
                problem = (
                    "het XML-bestand bevat tekens in een andere tekenset dan het bestand zegt "
                    "(zonder opgave UTF-8), zoals een é die een ander programma bij het opslaan "
                    "heeft veranderd; download het afschrift opnieuw bij uw bank en lees het in "
                    "zonder het eerst te openen en op te slaan"
                )
            raise StatementError(self.source, where, f"{problem} {quoted(exc.msg)}") from None
        if not self.seen_statement_root:
            raise self._not_a_statement(data)
        # every bank reference of a draft went through _reference (a batch's "/n" after one)
        return _finish(self.drafts, source=self.source, prefix="CAMT", checked=True)

    def _not_a_statement(self, data: bytes) -> StatementError:
        """Say what a well-formed XML file without ``BkToCstmrStmt`` is, at its real root."""
        root, namespace = _root_element(data)
        if namespace == _CII_NAMESPACE:
            problem = (
                "dit is een e-factuur in CII-formaat (UN/CEFACT), geen rekeningafschrift; "
                "debiteuren leest alleen e-facturen in UBL-formaat, met 'debiteuren facturen'"
            )
        elif root in ("Invoice", "CreditNote", "StandardBusinessDocument"):
            problem = (
                "dit is een e-factuur (UBL), geen rekeningafschrift; lees e-facturen in met "
                "'debiteuren facturen' en bankafschriften (CAMT.053, MT940 of CODA) met "
                "'debiteuren betalingen'"
            )
        else:
            problem = (
                "dit XML-bestand is geen rekeningafschrift in CAMT.053-formaat "
                "(BkToCstmrStmt ontbreekt)"
            )
        return StatementError(self.source, f"element {root or self.root}", problem)

    def _start(self, name: str, element: etree._Element) -> None:
        if name == "BkToCstmrStmt":
            self.seen_statement_root = True
        elif name == _FIRST_VERSION:
            raise StatementError(
                self.source,
                f"element {self.root}/{name}",
                "dit is een rekeningafschrift in de eerste CAMT.053-versie (camt.053.001.01, "
                "uit 2008); die versie leest debiteuren niet, omdat de posten en saldi er "
                "anders in staan dan in de latere versies; exporteer het afschrift bij uw bank "
                "als CAMT.053 versie 001.02 of nieuwer, als MT940 of als CODA",
            )
        elif name in _OTHER_MESSAGES:
            raise NotAStatement(
                self.source,
                f"element {self.root}/{name}",
                f"dit is geen rekeningafschrift (camt.053) maar {_OTHER_MESSAGES[name]}",
                _REPORTS.get(name, ""),
            )
        elif name == "Stmt":
            self.statement += 1
            self.entry = 0
            self.account = ""
            self.account_currency = ""
            self.account_read = False
            self.tally = _Tally()
            self.header = {}
            self.last_booking = None

    def _end_entry(self, entry: etree._Element) -> None:
        if not self.account_read:
            statement = entry.getparent()
            if statement is not None:
                self._read_account(statement)
        if not self.by_shape or not self._read_by_shape(entry):
            self._read_entry(_Node.tree(entry))
        self._drop(entry)

    def _read_by_shape(self, entry: etree._Element) -> bool:
        """Read an entry of a common shape from its texts; False (having changed nothing)
        when :meth:`_read_entry` must read it.

        The entry is serialised by lxml (one call in C). Most files hold a handful of shapes,
        so the positions of the texts the reader needs are worked out once per shape
        (:class:`_Shape`) instead of walking the elements of every entry. The serialisation
        is matched whole against the pattern of each common shape with as many tags (at most
        :data:`_TRIED`): a match proves the entry has exactly that shape's tags, in that
        order, and captures only the texts that are read. An entry that matches none is cut
        into its tags and texts, and its tags are looked up among the shapes (added at their
        :data:`_BUILD`-th entry); a shape read that way :data:`_COMMON` times gets its
        pattern (compiling one costs what matching saves a few hundred times).
        """
        xml = etree.tostring(entry, encoding="unicode", with_tail=False)
        tags = xml.count("<")  # "<" stands only before a tag: a text has it as "&lt;"
        for shape in self.tried.get(tags, ()):
            match = shape.pattern.fullmatch(xml)
            if match is not None:
                texts: Sequence[str] = match.groups()  # the last one ("") stands for none
                break
        else:
            parts = xml.replace(">", "<").split("<")
            key = "<".join(parts[1::2])
            shape = self.shapes.get(key, _UNSEEN)
            if shape is _UNSEEN:
                seen = self.seen.get(key, 0) + 1
                if seen < _BUILD:  # perhaps the only one: not worth working out (a batch's)
                    if len(self.shapes) + len(self.seen) >= _SHAPES:  # ever new shapes
                        return False
                    self.seen[key] = seen
                    return False
                self.seen.pop(key, None)
                shape = self.shapes[key] = _Shape.of(parts[1::2])
            if shape is None:
                return False
            # the text after each tag that is read: what the pattern captures
            texts = [parts[2 * position + 2] for position in shape.captured]  # type: ignore[attr-defined]
            texts.append("")
            shape.uses += 1  # type: ignore[attr-defined]
            if shape.uses == _COMMON:  # type: ignore[attr-defined]
                tried = self.tried.setdefault(tags, [])
                if len(tried) < _TRIED:
                    shape.compile(parts[1::2])  # type: ignore[attr-defined]
                    tried.append(shape)  # type: ignore[arg-type]
        if "&" in xml:
            if _OTHER_REFERENCE.search(xml):  # an entity lxml kept (there is no DTD, though)
                return False
            texts = [_unescape(text) for text in texts]
        return self._read_shaped(shape, texts)  # type: ignore[arg-type]

    @staticmethod
    def _drop(element: etree._Element) -> None:
        """Free an element that has been read, and its earlier siblings."""
        element.clear()
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]

    # -- places -----------------------------------------------------------------------------

    def _statement_path(self) -> str:
        return f"{self.root}/BkToCstmrStmt/Stmt[{self.statement}]"

    def _entry_path(self) -> str:
        return f"{self._statement_path()}/Ntry[{self.entry}]"

    def _currency_code(self, code: str, where: str) -> str:
        """Return ``code`` (a currency's ``Ccy``, "" when not given); refuse one that is no
        code of three letters (ISO 4217): the amounts it goes with cannot be read as meant, and
        it went into the reason of every line as it was (3,000 characters on the terminal)."""
        code = code.strip()
        if code and not is_currency_code(code):
            raise StatementError(
                self.source,
                f"element {where}",
                f"valutacode '{_shown(code)}' is geen valutacode (drie letters, zoals EUR)",
            )
        return code

    def _fail(self, node: _Node, entry: _Node, problem: str) -> StatementError:
        path = "/".join([self._entry_path(), *_path_between(node.element, entry.element)])
        return StatementError(self.source, f"element {path}", problem)

    # -- the account ------------------------------------------------------------------------

    def _read_account(self, statement: etree._Element) -> None:
        self.account_read = True
        element = _child_named(statement, "Acct")
        account = _Node(element) if element is not None else None
        if account is None:
            raise StatementError(
                self.source, f"element {self._statement_path()}/Acct", "de rekening ontbreekt"
            )
        self.account = _compact_iban(
            self._text(account, "Id/IBAN") or self._text(account, "Id/Othr/Id") or ""
        )
        if not self.account:
            raise StatementError(
                self.source,
                f"element {self._statement_path()}/Acct/Id",
                "het rekeningnummer ontbreekt",
            )
        if len(self.account) > MAX_ACCOUNT:
            raise StatementError(
                self.source,
                f"element {self._statement_path()}/Acct/Id",
                f"het rekeningnummer '{_shown(self.account)}' is te lang: een rekeningnummer "
                f"heeft hoogstens {MAX_ACCOUNT} tekens",
            )
        self.account_currency = self._currency_code(
            self._text(account, "Ccy"), f"{self._statement_path()}/Acct/Ccy"
        )
        self._read_statement_header(statement)

    def _read_statement_header(self, statement: etree._Element) -> None:
        """Read the statement's id, date, balances and ``TxsSummry`` (all before its entries)."""
        header: dict[str, object] = {"id": "", "balances": {}, "summary": None, "to": None}
        balances: dict[str, tuple[Decimal, date | None, str]] = {}
        #: every OPBD, PRCD, ITBD and CLBD in file order, for the check of a page
        every: list[tuple[str, Decimal | None, str]] = []
        counted: dict[str, int] = {}
        for child in statement:
            if not isinstance(child.tag, str):
                continue
            name = _local(child)
            counted[name] = counted.get(name, 0) + 1
            place = f"{self._statement_path()}/{name}[{counted[name]}]"
            if name in ("Id", "ElctrncSeqNb", "LglSeqNb") and not header["id"]:
                header["id"] = (child.text or "").strip()
            elif name == "FrToDt":
                node = _Node(child)
                path = "ToDtTm" if self._text(node, "ToDtTm") else "ToDt"
                header["to"] = self._header_day(node, path, place)
            elif name == "Bal":
                node = _Node(child)
                code = (
                    self._text(node, "Tp/CdOrPrtry/Cd") or self._text(node, "Tp/CdOrPrtry/Prtry")
                ).upper()
                amount_node = self._child(node, "Amt")
                if amount_node is not None:
                    self._currency_code(amount_node.element.get("Ccy", ""), f"{place}/Amt")
                if code in _PAGE_BALANCES and amount_node is not None:
                    every.append((code, *_page_balance(node, amount_node)))
                if not code or code in balances or amount_node is None:
                    continue
                amount = self._balance_amount(amount_node)
                if self._text(node, "CdtDbtInd") == "DBIT":
                    amount = -amount
                path = "Dt/Dt" if self._text(node, "Dt/Dt") else "Dt/DtTm"
                day = self._header_day(node, path, place)
                balances[code] = (amount, day, amount_node.element.get("Ccy", ""))
            elif name == "TxsSummry":
                header["summary"] = self._read_summary(_Node(child))
            elif name == "StmtPgntn":
                header["next_page"] = _next_page(_Node(child))
                header["page"] = _page(_Node(child))
                header["paged"] = bool(header["next_page"]) or (header["page"] or 1) > 1
        # the message's pages, in its group header: read at the first statement also when that
        # names its own pages (the header goes with it), for a later one that names none
        message = self._message_next_page(statement)
        header.setdefault("next_page", message)
        header.setdefault("paged", bool(message) or self.message_page > 1)
        header["balances"] = balances
        header["every"] = every
        self.header = header

    def _message_next_page(self, statement: etree._Element) -> int:
        """Return the page of the message that another file holds (``GrpHdr/MsgPgntn``),
        0 when there is none; read at the first statement (the group header goes once that
        is read, :meth:`_drop`)."""
        if self.message_next_page is None:
            document = statement.getparent()
            found = None if document is None else _child_named(document, "GrpHdr")
            pages = None if found is None else _child_named(found, "MsgPgntn")
            self.message_next_page = _next_page(_Node(pages)) if pages is not None else 0
            self.message_page = (_page(_Node(pages)) or 1) if pages is not None else 1
        return self.message_next_page

    def _header_day(self, node: _Node, path: str, place: str) -> date | None:
        """Return the local day of a statement's date (None: none written); refuse one that
        is no date or no time a clock shows (2026-02-31, T25:00, T23:61Z) at its element."""
        text = self._text(node, path)
        if not text:
            return None
        try:
            return local_day(text)
        except ValueError:
            raise StatementError(
                self.source,
                f"element {place}/{path}",
                f"datum '{_shown(text)}' is geen geldige datum",
            ) from None

    def _balance_amount(self, node: _Node) -> Decimal:
        text = (node.text or "").strip()
        if not _AMOUNT.fullmatch(text):
            raise StatementError(
                self.source,
                f"element {self._statement_path()}/Bal/Amt",
                f"saldo '{_shown(text) or 'leeg'}' is geen geldig bedrag",
            )
        return _cents(Decimal(text))

    def _read_summary(self, node: _Node) -> dict[str, Decimal | int | None]:
        """Return the counts and sums of ``TxsSummry`` that are present."""
        found: dict[str, Decimal | int | None] = {}

        def number(path: str) -> int | None:
            text = self._text(node, path)
            return int(text) if 0 < len(text) <= 15 and text.isascii() and text.isdigit() else None

        def amount(path: str) -> Decimal | None:
            text = self._text(node, path)
            return _cents(Decimal(text)) if _AMOUNT.fullmatch(text) else None

        found["n"] = number("TtlNtries/NbOfNtries")
        found["sum"] = amount("TtlNtries/Sum")
        net = amount("TtlNtries/TtlNetNtry/Amt")
        indicator = self._text(node, "TtlNtries/TtlNetNtry/CdtDbtInd")
        if net is None:
            net = amount("TtlNtries/TtlNetNtryAmt")
            indicator = self._text(node, "TtlNtries/CdtDbtInd")
        found["net"] = -net if net is not None and indicator == "DBIT" else net
        found["credits"] = number("TtlCdtNtries/NbOfNtries")
        found["credit_sum"] = amount("TtlCdtNtries/Sum")
        found["debits"] = number("TtlDbtNtries/NbOfNtries")
        found["debit_sum"] = amount("TtlDbtNtries/Sum")
        return found

    def _end_statement(self) -> None:
        """Check the statement's balances and totals, and add its summary."""
        tally, header = self.tally, self.header
        statement_id = str(header.get("id") or "")
        label = f"afschrift {_shown(statement_id) if statement_id else self.statement}"
        where = f"element {self._statement_path()}"
        balances: dict = header.get("balances") or {}  # type: ignore[assignment]
        opening = balances.get("OPBD") or balances.get("PRCD")
        closing = balances.get("CLBD")
        if opening is not None and closing is not None:
            expected = opening[0] + tally.net
            if expected != closing[0]:
                raise StatementError(
                    self.source,
                    f"{where}/Bal",
                    f"{label} van rekening {self.account} klopt niet: beginsaldo "
                    f"{euro(opening[0])} plus de geboekte posten ({euro(tally.net)}) is "
                    f"{euro(expected)}, maar het eindsaldo is {euro(closing[0])} (verschil "
                    f"{euro(closing[0] - expected)}); het bestand is onvolledig of beschadigd",
                )
        ends: tuple[frozenset[Decimal], frozenset[Decimal], bool] | None = None
        if opening is not None and closing is not None:
            ends = (frozenset([opening[0]]), frozenset([closing[0]]), False)
        elif header.get("paged"):
            ends = self._check_page(header, label, f"{where}/Bal")
        summary = header.get("summary")
        if isinstance(summary, dict):
            self._check_summary(summary, label, f"{where}/TxsSummry")
        day = (closing[1] if closing is not None else None) or header.get("to") or self.last_booking
        booked = tally.booked
        self.summaries.append(
            StatementSummary(
                label=label,
                account=self.account,
                currency=self.account_currency or (closing[2] if closing else ""),
                day=day,  # type: ignore[arg-type]
                credits=booked[2],
                credit_total=booked[3],
                debits=booked[4],
                debit_total=booked[5],
                returned=tally.returned[0],
                returned_total=tally.returned[1],
                opening=opening[0] if opening is not None else None,
                closing=closing[0] if closing is not None else None,
                next_page=header.get("next_page") or 0,  # type: ignore[arg-type]
                pages=self._page_ends(header, ends, f"{where}/Bal"),
            )
        )
        continues = self._page_found(header.get("page"))  # type: ignore[arg-type]
        if ends is not None:
            self._check_chain(ends, header.get("page"), label, f"{where}/Bal", continues)  # type: ignore[arg-type]
        self.repeats.check(
            self.summaries[-1], self.drafts[self.first_draft :], where, continues=continues
        )
        self.first_draft = len(self.drafts)

    def _page_ends(
        self,
        header: dict,
        ends: tuple[frozenset[Decimal], frozenset[Decimal], bool] | None,
        where: str,
    ) -> PageEnds | None:
        """Return the page a statement is of a statement over pages, with the balances it
        opens and closes with (``ends``), for the check across files
        (:func:`~debiteuren.payments.pages_follow_on`); None when it is no page or gives no
        balances that could be checked."""
        if ends is None or not header.get("paged"):
            return None
        page = header.get("page")
        if page is None and "page" not in header:  # paged by its message (MsgPgntn)
            page = self.message_page
        if not page:
            return None
        return PageEnds(page=page, opens=ends[0], closes=ends[1], interim=ends[2], where=where)

    def _page_found(self, page: int | None) -> bool:
        """Return whether the statement just read is the next page of the statement of its
        account just before it in this file: it is page ``page`` of its own (``StmtPgntn``;
        None: it names none), the page that statement said it goes on at. That statement then
        no longer goes on in another file (its note would send the user to look for a page
        that is here)."""
        current = self.summaries[-1]
        account = (current.account, current.currency)
        before = self.paged.pop(account, None)
        self.page_before = before
        if page is None:
            return False
        continues = before is not None and self.summaries[before].next_page == page
        if before is not None and continues:
            self.summaries[before] = replace(self.summaries[before], next_page=0)
        if current.next_page:
            self.paged[account] = len(self.summaries) - 1
        return continues

    def _check_page(
        self, header: dict, label: str, where: str
    ) -> tuple[frozenset[Decimal], frozenset[Decimal], bool] | None:
        """Check a page of a statement over pages that has no OPBD/PRCD and CLBD both: its
        opening balance (OPBD or PRCD on the first page, an interim ITBD on a later one) plus
        its booked entries must be its closing balance (an ITBD, CLBD on the last page).

        ISO 20022 has one code for both interim balances of a page (as MT940's :60M: and
        :62M:); banks write the opening one first, but the order is not a rule, and a bank may
        add an ITBD of its own. So a page is refused only when no opening balance and no other
        closing balance of it agree with its entries: a page that lost entries. A page with no
        such pair (one ITBD alone, or no balances) checks nothing.

        Returns:
          The balances the page may open and close with (those that agree) and True (they
          are interim balances), None when nothing could be checked. Raises
          :class:`StatementError` naming the statement and its page.
        """
        every = [
            (index, code, amount)
            for index, (code, amount, currency) in enumerate(header.get("every") or ())
            if amount is not None
            and (not currency or not self.account_currency or currency == self.account_currency)
        ]
        openings = [(i, a) for i, code, a in every if code in ("OPBD", "PRCD", "ITBD")]
        closings = [(i, a) for i, code, a in every if code in ("CLBD", "ITBD")]
        pairs = [(o, c) for i, o in openings for j, c in closings if i != j]
        if not pairs:
            return None
        net = self.tally.net
        agree = [(o, c) for o, c in pairs if o + net == c]
        if agree:
            return (frozenset(o for o, _ in agree), frozenset(c for _, c in agree), True)
        shown_open, shown_close = openings[0][1], closings[-1][1]
        if openings[0][0] == closings[-1][0]:  # one ITBD, and a CLBD or an OPBD
            shown_open, shown_close = pairs[0]
        page = header.get("page")
        raise StatementError(
            self.source,
            where,
            f"{label}{_page_label(page)} van rekening {self.account} klopt niet: het "
            f"beginsaldo van de pagina ({euro(shown_open)}) plus de geboekte posten "
            f"({euro(net)}) is {euro(shown_open + net)}, maar het saldo aan het eind van de "
            f"pagina is {euro(shown_close)} (verschil {euro(shown_close - shown_open - net)}); "
            "er ontbreken boekingen: het bestand is onvolledig of beschadigd",
        )

    def _check_chain(
        self,
        ends: tuple[frozenset[Decimal], frozenset[Decimal], bool],
        page: int | None,
        label: str,
        where: str,
        continues: bool,
    ) -> None:
        """Refuse a page whose opening balance is not the closing balance of the page before
        it in this file (the page that page said follows, :meth:`_page_found`): the entries
        between the two are lost. Checked where either page was checked by its interim
        balances (ITBD, :meth:`_check_page`); pages that each give OPBD and CLBD are checked
        each on their own, as before. Keep this page's closing balances for the next page."""
        index = len(self.summaries) - 1
        if self.summaries[index].next_page:
            self.page_ends[index] = (ends[1], ends[2])
        before = self.page_before
        if not continues or before is None or before not in self.page_ends:
            return
        closed, interim = self.page_ends.pop(before)
        if closed & ends[0] or not (interim or ends[2]):
            return
        shown_close, shown_open = min(closed), min(ends[0])
        raise StatementError(
            self.source,
            where,
            f"{label}{_page_label(page)} van rekening {self.account} begint met saldo "
            f"{euro(shown_open)}, maar de pagina ervoor eindigt met {euro(shown_close)} "
            f"(verschil {euro(shown_open - shown_close)}); er ontbreken boekingen tussen de "
            "pagina's: het bestand is onvolledig of beschadigd",
        )

    def _check_summary(self, summary: dict, label: str, where: str) -> None:
        """Refuse when ``TxsSummry`` disagrees with the entries (all, or only the booked)."""
        checks = [
            ("n", 0, "het aantal posten"),
            ("sum", 1, "de som van de posten"),
            ("credits", 2, "het aantal bijschrijvingen"),
            ("credit_sum", 3, "de som van de bijschrijvingen"),
            ("debits", 4, "het aantal afschrijvingen"),
            ("debit_sum", 5, "de som van de afschrijvingen"),
        ]
        for counts in (self.tally.all, self.tally.booked):
            wrong = [
                (what, summary[key], counts[index])
                for key, index, what in checks
                if summary.get(key) is not None and summary[key] != counts[index]
            ]
            net = summary.get("net")
            if net is not None and counts is self.tally.booked and net != self.tally.net:
                wrong.append(("het nettobedrag", net, self.tally.net))
            if not wrong:
                return
        what, said, found = wrong[0]
        shown = (str(said), str(found)) if isinstance(said, int) else (euro(said), euro(found))
        difference = "" if isinstance(said, int) else f", verschil {euro(found - said)}"
        raise StatementError(
            self.source,
            where,
            f"{label}: volgens de totalen is {what} {shown[0]}, maar de posten in het bestand "
            f"geven {shown[1]}{difference}; het bestand is onvolledig of beschadigd",
        )

    # -- an entry ---------------------------------------------------------------------------

    def _read_entry(self, entry: _Node) -> None:
        amount_element = self._child(entry, "Amt")
        if amount_element is None:
            raise StatementError(
                self.source, f"element {self._entry_path()}/Amt", "bedrag ontbreekt"
            )
        amount = self._amount(amount_element, entry)
        currency = (
            self._currency_code(amount_element.element.get("Ccy", ""), f"{self._entry_path()}/Amt")
            or self.account_currency
        )
        indicator_element = self._child(entry, "CdtDbtInd")
        indicator = (indicator_element.text or "").strip() if indicator_element is not None else ""
        if indicator not in ("CRDT", "DBIT"):
            where = f"element {self._entry_path()}/CdtDbtInd"
            shown = indicator or "leeg"
            raise StatementError(
                self.source, where, f"bij/af-teken '{_shown(shown)}' is geen CRDT of DBIT"
            )
        reversal = self._text(entry, "RvslInd").lower() in ("true", "1")
        status = (
            self._text(entry, "Sts/Cd")
            or self._text(entry, "Sts/Prtry")
            or self._text(entry, "Sts")
        )
        if status and status.upper() not in _STATUSES:
            raise StatementError(
                self.source,
                f"element {self._entry_path()}/Sts",
                f"status '{_shown(status)}' van een boeking is onbekend (BOOK is geboekt, PDNG, "
                "INFO en FUTR niet); vraag uw bank om het afschrift met de gewone ISO-statuscodes",
            )
        booking = self._date(entry, "BookgDt")
        value = self._date(entry, "ValDt")
        booking = booking or value
        if booking is None:
            raise StatementError(
                self.source, f"element {self._entry_path()}/BookgDt", "boekingsdatum ontbreekt"
            )
        booking_date, written = booking
        value_date = (value or booking)[0]
        booked = not status or status.upper() == "BOOK"
        self.tally.add(amount, indicator == "CRDT", booked)
        if not booked:
            return
        if self.last_booking is None or booking_date > self.last_booking:
            self.last_booking = booking_date
        if indicator == "CRDT" and (reversal or self._own_return(entry)):
            # A reversed debit, or a transfer of ours that came back: no customer payment.
            self.tally.returned[0] += 1
            self.tally.returned[1] += amount
            return
        details = self._findall(entry, "NtryDtls/TxDtls")
        # A debit that books a credit back: RvslInd, or (a returned direct debit, a returned
        # credit transfer, without RvslInd) a return sub-family or return information.
        entry_returned = indicator == "DBIT" and (reversal or self._is_return(entry))
        if indicator == "CRDT":
            is_reversal = False
        elif entry_returned or any(self._is_return(detail) for detail in details):
            is_reversal = True
        else:
            return
        if amount == 0:
            return

        entry_reference = _reference(self._text(entry, "AcctSvcrRef"))
        entry_info = self._text(entry, "AddtlNtryInf")
        base = {
            "account_iban": self.account,
            "booking_date": booking_date,
            "value_date": value_date,
            "currency": currency,
            "is_reversal": is_reversal,
        }
        declared = 0 if is_reversal else self._declared(entry)
        about = (entry_reference, entry_info, self._text(entry, "NtryRef"))
        parts = [self._detail(detail, entry, indicator, currency) for detail in details]
        returns_only = is_reversal and not entry_returned
        if not details and declared > 1:  # a batch total: its payments are not in this file
            drafts = _incomplete_batch(base, amount, [], declared, about)
        elif not details:
            drafts = [_entry_draft(base, amount, about)]
        else:
            drafts = self._part_drafts(
                base, amount, parts, returns_only, about, self.tally, declared
            )
        earlier: list[_Draft] = []
        if declared > 1 and any(draft.review for draft in drafts):
            # up to 61bafd6 read as if it named no count: that line is this booking
            earlier = (
                self._part_drafts(base, amount, parts, returns_only, about, self.tally)
                if details
                else [_entry_draft(base, amount, about)]
            )
            _read_before(drafts, earlier)
        if written != booking_date:  # a date-time whose local day is another day
            _key_by_written_day([*drafts, *earlier], written)
        if len(details) <= 1:
            self._payer_from_text(drafts, entry_info)
        self.drafts += drafts

    def _declared(self, entry: _Node) -> int:
        """Return how many payments an entry's batches say they hold (``Btch/NbOfTxs``), or
        0 when it names none."""
        counts = self._findall(entry, "NtryDtls/Btch/NbOfTxs")
        return sum(_declared(node.text or "") for node in counts)

    @staticmethod
    def _part_drafts(
        base: dict,
        amount: Decimal,
        parts: list[dict],
        returns_only: bool,
        entry: tuple,
        tally: _Tally,
        declared: int = 0,
    ) -> list[_Draft]:
        """Return the lines of an entry with details (as :meth:`_detail` reads them): one per
        detail of a batch whose amounts add up to the entry's, else one for the entry; a
        batch that says it holds more payments than it lists (``declared``) and whose listed
        amounts do not add up to the entry's: :func:`_incomplete_batch`.

        Args:
          base: the fields every line of the entry has.
          amount: the entry's amount.
          parts: the details.
          returns_only: a debit in which only the details that book a payment back give a
            line (the others are debits of ours).
          entry: the entry's own reference (checked), its text and its ``NtryRef``.
          tally: counts a transfer of ours that came back in a batch of credits (no line).
        """
        entry_reference, entry_info, entry_key = entry
        if declared > len(parts) and not base["is_reversal"] and not _adds_up(parts, amount):
            return _incomplete_batch(base, amount, parts, declared, entry)
        if len(parts) > 1 and _adds_up(parts, amount):
            drafts = []
            for index, part in enumerate(parts, start=1):
                if not part["same_direction"] or part["amount"] == 0:
                    continue
                if returns_only and not part["returned"]:
                    continue  # a debit of ours in a batch that also holds returns
                if part["ours_back"]:  # among customers' credits: our own money back
                    tally.returned[0] += 1
                    tally.returned[1] += part["amount"]
                    continue
                drafts.append(_detail_draft(base, part, index, entry))
            return drafts
        if len(parts) == 1:
            part = parts[0]
            draft = _Draft(
                **base,
                amount=amount,
                counterparty_name=part["name"],
                counterparty_iban=part["iban"],
                remittance=part["remittance"] or _join_texts([entry_info]),
                structured_reference=part["structured"],
                bank_reference=part["reference"] or entry_reference,
                key_extra="|".join((entry_key, part["tx_id"], part["end_to_end"])),
                shown_name=part["ultimate"],
            )
            draft = draft if part["remittance"] else _from_info(draft)
            note = _amount_note(amount, base["currency"], part["amounts"])
            if note:  # a text added since: the key stays the one the line had
                draft.key_parts = draft.key_parts or key_parts(draft)
                draft.remittance = _join_texts([draft.remittance, note])
            return [draft]
        # A batch whose details cannot be split: one line for the entry amount.
        draft = _batch_draft(base, amount, parts, entry)
        if not base["is_reversal"] and all(
            part["amount"] is not None and part["same_direction"] for part in parts
        ):
            # payments the bank booked together net of its charges: the user sees the difference
            stated = sum((part["amount"] for part in parts), Decimal(0))
            note = _amount_note(amount, base["currency"], [(base["currency"], stated)])
            if note:  # a text added since: the key stays the one the line had
                draft.key_parts = draft.key_parts or key_parts(draft)
                draft.remittance = _join_texts([draft.remittance, note])
        return [draft]

    def _read_shaped(self, shape: _Shape, texts: Sequence[str]) -> bool:
        """Read an entry of a known shape from its texts, as :meth:`_read_entry` reads it.

        Return False, having changed nothing, for an entry :meth:`_read_entry` might refuse
        (a broken amount, date or sign): that reader then reads it and says where.
        """
        listed = len(shape.batch) if shape.batch is not None else int(shape.detail)
        if _declared(texts[shape.batch_count]) > listed:
            return False  # a batch that lists some of its payments: the general reader
        text = texts[shape.amount].strip()
        if not _AMOUNT.fullmatch(text):
            return False  # the general reader says what is wrong with it
        if shape.currency and not is_currency_code(shape.currency):
            return False  # no currency code: the general reader refuses it
        if text[-3:-2] == ".":  # two decimals, as nearly every amount: _amount_of's own case
            amount = Decimal(text)
        elif _sub_cent(text):
            return False  # more than two decimals: the general reader refuses it
        else:
            amount = _amount_of(text)
        if amount >= MAX_AMOUNT:
            return False  # too large: the general reader refuses it
        indicator = texts[shape.indicator].strip()
        if indicator == "CRDT":
            credit = True
        elif indicator == "DBIT":
            credit = False
        else:
            return False
        days = self.days  # a file's dates repeat: each is read once (see _shaped_day)
        booking_date = None if shape.booking is None else days.get(texts[shape.booking].strip())
        value_date = None if shape.value is None else days.get(texts[shape.value].strip())
        if booking_date is None or value_date is None:
            try:
                booking_date = self._shaped_day(texts, shape.booking)
                value_date = self._shaped_day(texts, shape.value)
            except ValueError:
                return False
        if booking_date is None:
            if value_date is None:
                return False
            booking_date = value_date
        elif value_date is None:
            value_date = booking_date
        status = (
            texts[shape.status_code].strip()
            or texts[shape.status_proprietary].strip()
            or texts[shape.status].strip()
        )
        booked = not status or status == "BOOK" or status.upper() == "BOOK"
        if not booked and status.upper() not in _STATUSES:
            return False  # the general reader refuses it
        returned_credit = False
        draft = None
        if booked and shape.batch is not None:
            found = self._shaped_batch_drafts(
                shape, texts, amount, credit, (booking_date, value_date)
            )
            if found is None:
                return False
            returned_credit, drafts = found
        elif booked:
            reversal = shape.reversal >= 0 and texts[shape.reversal].strip().lower() in (
                "true",
                "1",
            )
            if credit and (
                reversal
                or (shape.family >= 0 and texts[shape.family].strip().upper() == _ISSUED_TRANSFERS)
                or (shape.detail and shape.detail_returned)
            ):
                returned_credit = True
            elif amount and (
                credit
                or reversal
                or shape.returned
                or texts[shape.sub_family].strip().upper() in _RETURN_SUBFAMILIES
                or (
                    shape.detail
                    and (
                        shape.detail_returned
                        or texts[shape.detail_sub_family].strip().upper() in _RETURN_SUBFAMILIES
                    )
                )
            ):
                draft = self._shaped_draft(shape, texts, amount, credit, booking_date, value_date)
                if draft is None:
                    return False
            drafts = () if draft is None else (draft,)
        tally = self.tally
        tally.add(amount, credit, booked)
        if not booked:
            return True
        if self.last_booking is None or booking_date > self.last_booking:
            self.last_booking = booking_date
        if returned_credit:
            tally.returned[0] += 1
            tally.returned[1] += amount
            return True
        if self.written and drafts:  # a date-time whose local day is another day
            position = shape.booking if shape.booking is not None else shape.value
            written = self.written.get(texts[position].strip())
            if written is not None:
                _key_by_written_day(drafts, written)
        if shape.batch is None:
            self._payer_from_text(drafts, texts[shape.info].strip())  # type: ignore[arg-type]
        self.drafts += drafts
        return True

    def _payer_from_text(self, drafts: Sequence[_Draft], entry_info: str) -> None:
        """Give the credit of an entry of one payment the payer's IBAN that only its texts
        name (its ``Ustrd`` and the like, and the entry's ``AddtlNtryInf``, where BNP Paribas
        Fortis writes it), when its details name no account (:func:`payer_from_text`)."""
        for draft in drafts:
            payer_from_text(draft, (draft.remittance, entry_info))

    def _shaped_day(self, texts: Sequence[str], position: int | None) -> date | None:
        """Return the date at a position of an entry's texts (None: no ``Dt`` or ``DtTm``);
        raise ValueError for a broken one. A file's dates repeat: each is read once."""
        if position is None:
            return None
        text = texts[position].strip()
        day = self.days.get(text)
        if day is None:
            day = local_day(text)
            if day.year not in YEARS:  # the general reader names it
                raise ValueError(text)
            self.days[text] = day
            if len(text) > 10 and day.isoformat() != text[:10]:
                self.written[text] = date.fromisoformat(text[:10])
        return day

    def _shaped_batch_drafts(
        self, shape: _Shape, texts: Sequence[str], amount: Decimal, credit: bool, days: tuple
    ) -> tuple[bool, list[_Draft]] | None:
        """Read a booked batch of a known shape as :meth:`_read_entry` reads it: return
        whether it is a credit of ours that came back, and its lines; None when one of its
        ``TxDtls`` amounts is broken (the general reader says what is wrong)."""
        batch = shape.batch or ()
        reversal = texts[shape.reversal].strip().lower() in ("true", "1")
        if credit and (
            reversal
            or texts[shape.family].strip().upper() == _ISSUED_TRANSFERS
            or all(part.returned for part in batch)
        ):
            return True, []
        entry_returned = not credit and (
            reversal
            or shape.returned
            or texts[shape.sub_family].strip().upper() in _RETURN_SUBFAMILIES
        )
        if not (credit or entry_returned) and not any(
            part.returned or texts[part.sub_family].strip().upper() in _RETURN_SUBFAMILIES
            for part in batch
        ):
            return False, []  # a debit of ours
        if amount == 0:
            return False, []
        currency = shape.currency or self.account_currency
        indicator = "CRDT" if credit else "DBIT"
        parts = []
        for part in batch:
            read = self._shaped_part(part, texts, indicator, currency)
            if read is None:
                return None
            parts.append(read)
        base = {
            "account_iban": self.account,
            "booking_date": days[0],
            "value_date": days[1],
            "currency": currency,
            "is_reversal": not credit,
        }
        entry = (
            _reference(texts[shape.entry_reference]),
            texts[shape.info].strip(),
            texts[shape.entry_key].strip(),
        )
        return False, self._part_drafts(
            base, amount, parts, not credit and not entry_returned, entry, self.tally
        )

    def _shaped_part(
        self, part: _DetailShape, texts: Sequence[str], indicator: str, currency: str
    ) -> dict | None:
        """Read one ``TxDtls`` of a batch of a known shape as :meth:`_detail` reads it; None
        when its amount is broken."""
        readable, amount = _shaped_detail_amount(texts, part.amounts, currency)
        if not readable:
            return None  # the general reader says what is wrong
        name = iban = ultimate = ""
        if part.parties:
            name, iban, ultimate = self._shaped_payer(
                texts, part.roles if indicator == "DBIT" else part.roles[:1], part.ultimate
            )
        found, structured = _shaped_remittance(
            texts, part.unstructured, part.references, part.more, part.tx_info
        )
        end_to_end = texts[part.end_to_end].strip()
        sub_family = texts[part.sub_family].strip().upper()
        return {
            "amount": amount,
            "same_direction": (texts[part.indicator].strip() or indicator) == indicator,
            "name": name,
            "iban": iban,
            "ultimate": ultimate,
            "remittance": _join_texts(found),
            "structured": structured,
            "reference": _reference(texts[part.reference]),
            "returned": indicator == "DBIT"
            and (part.returned or sub_family in _RETURN_SUBFAMILIES),
            "ours_back": indicator == "CRDT" and part.returned,
            "tx_id": texts[part.tx_id].strip(),
            "end_to_end": "" if end_to_end.upper() in _NOT_PROVIDED else end_to_end,
        }

    def _shaped_payer(
        self, texts: Sequence[str], roles: tuple, ultimate: tuple[int, int]
    ) -> tuple[str, str, str]:
        """Return the name and account of the payer of a ``TxDtls`` of a known shape: of the
        first of ``roles`` (the debtor; for a debit taken back, the creditor next) that is not
        our own account; the ultimate debtor's name where that gives no name. Third, the
        ultimate debtor's name to show when the debtor has a name of its own (see
        :func:`_payer`)."""
        name = iban = ""
        debtor = False
        for index, (first, other, account, other_account) in enumerate(roles):
            party_name = texts[first].strip() or texts[other].strip()
            party_iban = texts[account].strip() or texts[other_account].strip()
            if party_iban:
                party_iban = _compact_iban(party_iban)
                if party_iban == self.account:
                    continue
            if party_name or party_iban:
                name, iban, debtor = party_name, party_iban, index == 0
                break
        first, other = ultimate
        return _payer(name, iban, texts[first].strip() or texts[other].strip(), debtor=debtor)

    def _shaped_draft(
        self,
        shape: _Shape,
        texts: Sequence[str],
        amount: Decimal,
        credit: bool,
        booking_date: date,
        value_date: date,
    ) -> _Draft | None:
        """Return the line of an entry of a known shape (a credit, or a debit that takes one
        back), or None when its ``TxDtls`` amount is broken."""
        currency = shape.currency or self.account_currency
        entry_reference = _reference(texts[shape.entry_reference])
        entry_info = texts[shape.info].strip()
        entry_key = texts[shape.entry_key].strip()
        if not shape.detail:
            return _from_info(
                _Draft(
                    account_iban=self.account,
                    booking_date=booking_date,
                    value_date=value_date,
                    amount=amount,
                    currency=currency,
                    remittance=_join_texts([entry_info]),
                    bank_reference=entry_reference,
                    is_reversal=not credit,
                    key_extra=entry_key,
                )
            )
        if not _shaped_detail_amount(texts, shape.detail_amounts, currency)[0]:
            return None  # the general reader says what is wrong (the entry's amount counts)
        shown = texts[shape.amount].strip()
        for position, own_currency in shape.detail_amounts:
            stated = texts[position].strip()
            if (
                stated != shown
                if own_currency in (None, currency)
                else bool(_AMOUNT.fullmatch(stated))
            ):
                return None  # maybe net of charges or in another currency: see _amount_note
        name = iban = ultimate = ""
        if shape.parties:
            name, iban, ultimate = self._shaped_payer(
                texts, shape.roles if not credit else shape.payer, shape.ultimate
            )
        found, structured = _shaped_remittance(
            texts, shape.unstructured, shape.references, shape.more, shape.tx_info
        )
        end_to_end = texts[shape.end_to_end].strip()
        if end_to_end in _NOT_PROVIDED or end_to_end.upper() in _NOT_PROVIDED:
            end_to_end = ""
        remittance = _join_texts(found)
        draft = _Draft(
            account_iban=self.account,
            booking_date=booking_date,
            value_date=value_date,
            amount=amount,
            currency=currency,
            counterparty_name=name,
            counterparty_iban=iban,
            remittance=remittance or _join_texts([entry_info]),
            structured_reference=structured,
            bank_reference=_reference(texts[shape.detail_reference]) or entry_reference,
            is_reversal=not credit,
            key_extra="|".join((entry_key, texts[shape.tx_id].strip(), end_to_end)),
            shown_name=ultimate,
        )
        return draft if remittance else _from_info(draft)

    def _own_return(self, entry: _Node) -> bool:
        """Return whether a credit is our own transfer coming back (ISO family ``ICDT``, or
        return information on every transaction)."""
        family = self._text(entry, "BkTxCd/Domn/Fmly/Cd").upper()
        if family == _ISSUED_TRANSFERS:
            return True
        details = self._findall(entry, "NtryDtls/TxDtls")
        return bool(details) and all(self._find(d, "RtrInf") is not None for d in details)

    def _is_return(self, node: _Node) -> bool:
        """Return whether an entry or a ``TxDtls`` says it books a payment back: a return
        sub-family in ``BkTxCd/Domn/Fmly/SubFmlyCd``, or ``RtrInf`` (return information)."""
        sub_family = self._text(node, "BkTxCd/Domn/Fmly/SubFmlyCd").upper()
        return sub_family in _RETURN_SUBFAMILIES or self._find(node, "RtrInf") is not None

    def _detail(self, detail: _Node, entry: _Node, indicator: str, currency: str) -> dict:
        """Read one ``TxDtls``: amount (or None), direction, party, texts and references."""
        amount: Decimal | None = None
        for path in ("Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/InstdAmt/Amt"):
            element = self._find(detail, path)
            if element is None:
                continue
            if path.endswith("InstdAmt/Amt") and element.element.get("Ccy", currency) != currency:
                continue
            amount = self._amount(element, entry)
            break
        own_indicator = self._text(detail, "CdtDbtInd") or indicator
        parties = self._find(detail, "RltdPties")
        name, iban, ultimate = "", "", ""
        if parties is not None:
            roles = ("Dbtr", "Cdtr") if indicator == "DBIT" else ("Dbtr",)
            debtor = False
            for role in roles:
                party_name = self._party_name(self._child(parties, role))
                party_iban = _compact_iban(
                    self._text(parties, f"{role}Acct/Id/IBAN")
                    or self._text(parties, f"{role}Acct/Id/Othr/Id")
                )
                if party_iban and party_iban == self.account:
                    continue
                if party_name or party_iban:
                    name, iban, debtor = party_name, party_iban, role == "Dbtr"
                    break
            name, iban, ultimate = _payer(
                name,
                iban,
                self._party_name(self._child(parties, "UltmtDbtr")),
                debtor=debtor,
            )
        texts: list[str] = []
        structured = ""
        remittance = self._child(detail, "RmtInf")
        if remittance is not None:
            texts += [(u.text or "") for u in self._findall(remittance, "Ustrd")]
            for block in self._findall(remittance, "Strd"):
                for ref in self._findall(block, "CdtrRefInf/Ref"):
                    raw = (ref.text or "").strip()
                    compact = _parse_reference(raw)
                    if compact and not structured:
                        structured = compact
                    elif raw and raw != structured:
                        texts.append(raw)
                texts += [(n.text or "") for n in self._findall(block, "RfrdDocInf/Nb")]
                texts += [(a.text or "") for a in self._findall(block, "AddtlRmtInf")]
        if not texts and not structured:
            texts.append(self._text(detail, "AddtlTxInf"))
        end_to_end = self._text(detail, "Refs/EndToEndId")
        return {
            "amount": amount,
            "amounts": self._other_amounts(detail, entry, currency),
            "same_direction": own_indicator == indicator,
            "name": name,
            "iban": iban,
            "ultimate": ultimate,
            "remittance": _join_texts(texts),
            "structured": structured,
            "reference": _reference(self._text(detail, "Refs/AcctSvcrRef")),
            "returned": indicator == "DBIT" and self._is_return(detail),
            # a transfer of ours that came back, in a batch of credits
            "ours_back": indicator == "CRDT" and self._find(detail, "RtrInf") is not None,
            "tx_id": self._text(detail, "Refs/TxId"),
            "end_to_end": "" if end_to_end.upper() in _NOT_PROVIDED else end_to_end,
        }

    def _other_amounts(
        self, detail: _Node, entry: _Node, currency: str
    ) -> list[tuple[str, Decimal]]:
        """Return the amounts a ``TxDtls`` states (``Amt``, ``AmtDtls/TxAmt``,
        ``AmtDtls/InstdAmt``) as (currency, amount), the instructed first; one that cannot be
        read is left out (only the entry's amount is booked; also one whose ``Ccy`` is no code of
        three capitals, ISO 4217), and so is an ``Amt`` or ``TxAmt``
        in another currency than the account's (ISO: the instructed amount is the one in the
        payer's currency)."""
        found = []
        for path in ("AmtDtls/InstdAmt/Amt", "AmtDtls/TxAmt/Amt", "Amt"):
            element = self._find(detail, path)
            if element is None:
                continue
            text = (element.text or "").strip()
            own = element.element.get("Ccy") or currency
            if not _CURRENCY.fullmatch(own):  # no currency code: nothing to show the user
                continue
            if _AMOUNT.fullmatch(text) and (own == currency or path.endswith("InstdAmt/Amt")):
                found.append((own, _cents(Decimal(text))))
        return found

    def _amount(self, element: _Node, entry: _Node) -> Decimal:
        text = (element.text or "").strip()
        if not _AMOUNT.fullmatch(text):
            shown = text or "leeg"
            raise self._fail(element, entry, f"bedrag '{_shown(shown)}' is geen geldig bedrag")
        amount = _cents(Decimal(text))
        if amount >= MAX_AMOUNT:  # no workbook cell holds it to the cent
            raise self._fail(
                element, entry, f"bedrag '{_shown(text)}' is te groot voor een boeking"
            )
        if amount != amount.quantize(CENT) and (element.element.get("Ccy") or "EUR") == "EUR":
            raise self._fail(
                element,
                entry,
                f"bedrag '{_shown(text)}' heeft meer dan twee decimalen: geen eurobedrag",
            )
        return amount

    def _date(self, entry: _Node, name: str) -> tuple[date, date] | None:
        """Return the local day of an entry's date (see :func:`local_day`) and the day as
        written, or None when it has none."""
        holder = self._child(entry, name)
        if holder is None:
            return None
        element = self._child(holder, "Dt")
        if element is None:
            element = self._child(holder, "DtTm")
        if element is None:
            return None
        text = (element.text or "").strip()
        try:
            written = date.fromisoformat(text[:10])
            day = written if len(text) <= 10 else local_day(text)
        except ValueError:
            shown = text or "leeg"
            raise self._fail(
                element, entry, f"datum '{_shown(shown)}' is geen geldige datum"
            ) from None
        if written.year not in YEARS or day.year not in YEARS:  # 0001-01-01 broke Betalingen
            raise self._fail(element, entry, f"datum '{_shown(text)}' kan niet ({YEARS_NOTE})")
        return day, written

    # -- nodes by local names ---------------------------------------------------------------

    @staticmethod
    def _child(node: _Node | None, name: str) -> _Node | None:
        """Return the first child with local name ``name``, or None."""
        if node is None:
            return None
        found = node.children.get(name)
        return found[0] if found else None

    @staticmethod
    def _find(node: _Node | None, path: str) -> _Node | None:
        """Return the first node at a ``/``-separated path of local names, or None."""
        for name in _steps(path):
            if node is None:
                return None
            found = node.children.get(name)
            node = found[0] if found else None
        return node

    @staticmethod
    def _findall(node: _Node, path: str) -> list[_Node]:
        """Return every node at a ``/``-separated path of local names."""
        nodes = [node]
        for name in _steps(path):
            nodes = [child for parent in nodes for child in parent.children.get(name, ())]
        return nodes

    def _text(self, node: _Node | None, path: str) -> str:
        """Return the stripped text at a path of local names, or ""."""
        found = self._find(node, path)
        if found is None or found.text is None:
            return ""
        return found.text.strip()

    def _party_name(self, party: _Node | None) -> str:
        """Return a party's name: ``Nm``, or ``Pty/Nm`` (version 08)."""
        return self._text(party, "Nm") or self._text(party, "Pty/Nm")


def _payer(name: str, iban: str, ultimate: str, *, debtor: bool) -> tuple[str, str, str]:
    """Return the payer's name, account and the name to show instead (or "").

    A payment service (PayPal, Adyen, Mollie, a factoring company) that pays on behalf of a
    customer is the debtor, with its own account; the customer it paid for is the ultimate
    debtor (``UltmtDbtr``, ISO 20022: "ultimate party that owes an amount of money to the
    (ultimate) creditor"). The customer's name is what the matcher can recognise: it is shown
    for the debtor's (whose account is kept: it is the account the money came from). Without
    a debtor's name the ultimate debtor's name is the name, as before.
    """
    if not name:
        return ultimate, iban, ""
    return name, iban, (ultimate if debtor and ultimate != name else "")


def _from_info(draft: _Draft) -> _Draft:
    """Return a line whose text is its entry's ``AddtlNtryInf``, completed from that text when
    it is in the layout of an MT940 ``:86:`` (``/TRTP/…/IBAN/…/NAME/…/REMI/…``): ABN AMRO
    names the payer's account (and often the payer) only there. The text becomes the
    description (``REMI``); the payer's name, account and structured reference fill what the
    entry's details leave empty. Any other text stays as it is."""
    if draft.remittance[:1] != "/":  # nearly every line: no such text
        return draft
    details = coded_details(draft.remittance, reversal=draft.is_reversal)
    if details is None:
        return draft
    draft.key_parts = key_parts(draft)  # the key it had when the text was kept whole
    draft.remittance = details.remittance
    if not draft.counterparty_name:
        draft.counterparty_name = details.name
        draft.shown_name = details.ultimate  # /ULTD/: whom a payment service paid for
    if not draft.counterparty_iban and details.iban != draft.account_iban:
        draft.counterparty_iban = details.iban
    draft.structured_reference = draft.structured_reference or details.structured
    return draft


class _Node:
    """An element of an entry, with its children by local name (namespaces dropped).

    Reading an entry into these once is several times faster than lxml's ``find`` with a
    namespace wildcard, and makes every lookup independent of the namespace. A node holds no
    reference to its parent (no reference cycles, so entries are freed at once).
    """

    __slots__ = ("children", "element", "name", "text")

    @classmethod
    def tree(cls, top: etree._Element) -> _Node:
        """Return the node of ``top`` with all its descendants: the same as ``_Node(top)``, in
        one pass over the elements instead of one call per element (and without asking lxml
        for any element's parent)."""
        new = cls.__new__
        root = new(cls)
        tag = top.tag
        root.name = tag[tag.rfind("}") + 1 :]
        root.text = top.text
        root.element = top
        root.children = {}
        stack = [(root, top)]
        pop, push = stack.pop, stack.append
        while stack:
            parent, element = pop()
            children = parent.children
            for child in element:
                tag = child.tag
                if not isinstance(tag, str):  # a comment or processing instruction
                    continue
                node = new(cls)
                name = tag[tag.rfind("}") + 1 :]
                node.name = name
                node.text = child.text
                node.element = child
                node.children = {}
                same = children.get(name)
                if same is None:
                    children[name] = [node]
                else:
                    same.append(node)
                if len(child):
                    push((node, child))
        return root

    def __init__(self, element: etree._Element) -> None:
        tag = element.tag
        self.name = tag[tag.rfind("}") + 1 :]
        self.text: str | None = element.text
        self.element = element
        self.children: dict[str, list[_Node]] = {}
        for child in element:
            if isinstance(child.tag, str):
                node = _Node(child)
                self.children.setdefault(node.name, []).append(node)


#: At most this many entry shapes are remembered per file (a real file has a handful).
_SHAPES = 1024
#: At most this many shapes with the same number of tags are tried on an entry, in the order
#: they became common; an entry of another one is looked up by its tags.
_TRIED = 8
#: A shape is worked out when this many entries of the file have had it (one seen once, such
#: as a large batch, is read by the general reader at less cost).
_BUILD = 2
#: A shape whose entries have been looked up by their tags this many times is tried first.
_COMMON = 256
_UNSEEN = object()
_TAG = re.compile(r"([^\s/'\"=]+)((?:\s+[^\s/'\"=]+=(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)")
_ATTRIBUTE = re.compile(r"([^\s=]+)=(?:\"([^\"]*)\"|'([^']*)')")
_ESCAPE = re.compile(r"&(?:#([0-9]+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_OTHER_REFERENCE = re.compile(r"&(?!#[0-9]+;|#x[0-9a-fA-F]+;|(?:lt|gt|amp|quot|apos);)")
_DETAIL = "NtryDtls/TxDtls/"
_PARTIES = _DETAIL + "RltdPties/"
_STRUCTURED = _DETAIL + "RmtInf/Strd/"
#: The paths (below ``Ntry``) the shape reader reads; an entry in which an element on the way
#: to one of them repeats (a batch, two ``Strd`` blocks) is read by the general reader.
_SHAPE_PATHS = (
    "Amt",
    "CdtDbtInd",
    "RvslInd",
    "Sts/Cd",
    "Sts/Prtry",
    "BookgDt/Dt",
    "BookgDt/DtTm",
    "ValDt/Dt",
    "ValDt/DtTm",
    "AcctSvcrRef",
    "AddtlNtryInf",
    "NtryRef",
    "BkTxCd/Domn/Fmly/Cd",
    "BkTxCd/Domn/Fmly/SubFmlyCd",
    "RtrInf",
    "NtryDtls/Btch/NbOfTxs",
    _DETAIL + "Amt",
    _DETAIL + "AmtDtls/TxAmt/Amt",
    _DETAIL + "AmtDtls/InstdAmt/Amt",
    *(
        _PARTIES + path
        for role in ("Dbtr", "Cdtr", "UltmtDbtr")
        for path in (
            f"{role}/Nm",
            f"{role}/Pty/Nm",
            f"{role}Acct/Id/IBAN",
            f"{role}Acct/Id/Othr/Id",
        )
    ),
    _DETAIL + "RmtInf/Ustrd",
    _STRUCTURED + "CdtrRefInf/Ref",
    _STRUCTURED + "RfrdDocInf/Nb",
    _STRUCTURED + "AddtlRmtInf",
    _DETAIL + "AddtlTxInf",
    _DETAIL + "Refs/EndToEndId",
    _DETAIL + "Refs/AcctSvcrRef",
    _DETAIL + "Refs/TxId",
    _DETAIL + "BkTxCd/Domn/Fmly/SubFmlyCd",
    _DETAIL + "RtrInf",
)


#: The attributes of a :class:`_Shape` that hold one position.
_SHAPE_POSITIONS = (
    "amount",
    "batch_count",
    "indicator",
    "reversal",
    "status_code",
    "status_proprietary",
    "status",
    "entry_reference",
    "info",
    "entry_key",
    "family",
    "sub_family",
    "tx_info",
    "end_to_end",
    "detail_reference",
    "tx_id",
    "detail_sub_family",
)


class _Shape:
    """Where the texts an entry reader needs are, in entries of one shape (the same elements
    and attributes in the same order), and the pattern that matches their serialisation.

    Worked out from the entry's tags, a position is that of the text after an element's start
    tag; once the shape is built (:meth:`_capture`) it is the index of the pattern's group that
    captures that text, and -1 (the empty group at the end) stands for an element that is
    missing or empty. Built only for entries in which no element on the way to a text that is
    read repeats (in each ``TxDtls`` of a batch on its own: :attr:`batch`, else None), so that
    "the first element at a path" means the same as in :meth:`_Reader._find`.
    """

    __slots__ = (
        "amount",
        "batch",
        "batch_count",
        "booking",
        "captured",
        "currency",
        "detail",
        "detail_amounts",
        "detail_reference",
        "detail_returned",
        "detail_sub_family",
        "end_to_end",
        "entry_key",
        "entry_reference",
        "family",
        "indicator",
        "info",
        "more",
        "parties",
        "pattern",
        "payer",
        "references",
        "returned",
        "reversal",
        "roles",
        "status",
        "status_code",
        "status_proprietary",
        "sub_family",
        "tx_id",
        "tx_info",
        "ultimate",
        "unstructured",
        "uses",
        "value",
    )

    @classmethod
    def of(cls, tags: list[str]) -> _Shape | None:
        """Return the shape of an entry from its serialised tags (``Ntry xmlns="…"``, ``Amt
        Ccy="EUR"``, ``/Amt``, ``RmtInf/``…), or None when the general reader must read it."""
        where: dict[str, list[int]] = {}  # path below Ntry -> positions (-1: no text)
        attributes: dict[str, dict[str, str]] = {}
        stack: list[str] = []
        for position, tag in enumerate(tags):
            if tag.startswith("/"):
                if not stack or tag[1:] != stack.pop():
                    return None
                continue
            match = _TAG.fullmatch(tag)
            if match is None or (position and not stack):
                return None
            name = match[1]
            local = name.rpartition(":")[2]
            path = "/".join([*_local_names(stack), local]) if position else ""
            empty = bool(match[3])
            where.setdefault(path, []).append(-1 if empty else position)
            if match[2] and path not in attributes:
                attributes[path] = _attributes(match[2])
            if not empty:
                stack.append(name)
        if stack or not tags:
            return None
        del where[""]  # the entry itself
        batch = None
        if len(where.get(_DETAIL[:-1], ())) > 1:  # a batch: each TxDtls read on its own
            if len(where.get("NtryDtls", ())) > 1:
                return None
            batch = _details(tags)
            if batch is None:
                return None
        for path in _SHAPE_PATHS:
            steps = path.split("/")
            for end in range(1, len(steps)):
                prefix = "/".join(steps[:end])
                if batch is not None and prefix.startswith(_DETAIL[:-1]):
                    break  # checked in each detail
                if len(where.get(prefix, ())) > 1:
                    return None
        if "Amt" not in where:
            return None

        def first(path: str) -> int:
            found = where.get(path)
            return found[0] if found else -1

        def every(path: str) -> tuple[int, ...]:
            return tuple(where.get(path, ()))

        def day(holder: str) -> int | None:
            for path in (f"{holder}/Dt", f"{holder}/DtTm"):
                if path in where:
                    return first(path)
            return None

        shape = cls.__new__(cls)
        shape.amount = first("Amt")
        shape.currency = attributes.get("Amt", {}).get("Ccy", "")
        shape.indicator = first("CdtDbtInd")
        shape.reversal = first("RvslInd")
        shape.status_code = first("Sts/Cd")
        shape.status_proprietary = first("Sts/Prtry")
        shape.status = first("Sts")
        shape.booking = day("BookgDt")
        shape.value = day("ValDt")
        shape.entry_reference = first("AcctSvcrRef")
        shape.info = first("AddtlNtryInf")
        shape.entry_key = first("NtryRef")
        shape.family = first("BkTxCd/Domn/Fmly/Cd")
        shape.sub_family = first("BkTxCd/Domn/Fmly/SubFmlyCd")
        shape.returned = "RtrInf" in where
        shape.batch_count = first("NtryDtls/Btch/NbOfTxs")
        shape.detail = _DETAIL[:-1] in where
        part = _DetailShape.of(where, attributes, _DETAIL)
        shape.detail_amounts = part.amounts
        shape.parties = part.parties
        shape.roles = part.roles
        shape.payer = part.roles[:1]
        shape.ultimate = part.ultimate
        shape.unstructured = part.unstructured
        shape.references = part.references
        shape.more = part.more
        shape.tx_info = part.tx_info
        shape.end_to_end = part.end_to_end
        shape.detail_reference = part.reference
        shape.tx_id = part.tx_id
        shape.detail_sub_family = part.sub_family
        shape.detail_returned = part.returned
        shape.batch = batch
        shape._capture()
        return shape

    def _capture(self) -> None:
        """Turn the positions into indexes of the texts that are read, in document order (the
        groups of :meth:`compile`'s pattern); -1, no text, into an empty text at the end."""
        single = [name for name in _SHAPE_POSITIONS if getattr(self, name) is not None]
        single += [name for name in ("booking", "value") if getattr(self, name) is not None]
        several = ("unstructured", "references", "more", "ultimate")
        used = {getattr(self, name) for name in single}
        for name in several:
            used.update(getattr(self, name))
        used.update(position for position, _ in self.detail_amounts)
        for role in self.roles:
            used.update(role)
        for part in self.batch or ():
            used.update(part.positions())
        used.discard(-1)
        group = {position: k for k, position in enumerate(sorted(used))}  # in document order
        group[-1] = -1
        for part in self.batch or ():
            part.regroup(group)

        for name in single:
            setattr(self, name, group[getattr(self, name)])
        for name in several:
            setattr(self, name, tuple(group[position] for position in getattr(self, name)))
        self.detail_amounts = tuple((group[p], currency) for p, currency in self.detail_amounts)
        self.roles = tuple(tuple(group[position] for position in role) for role in self.roles)
        self.payer = self.roles[:1]
        self.captured = tuple(sorted(group))[1:]  # the positions read, without -1
        self.uses = 0
        self.pattern = None

    def compile(self, tags: list[str]) -> None:
        """Make the pattern of this shape's serialisation (its ``tags``): a group for each
        text that is read, and an empty one at the end."""
        captured = set(self.captured)
        pattern = []
        for position, tag in enumerate(tags):
            text = "([^<]*)" if position in captured else "[^<]*"
            pattern.append(f"<{re.escape(tag)}>{text}")
        pattern.append("()")
        self.pattern = re.compile("".join(pattern))


def _entry_draft(base: dict, amount: Decimal, entry: tuple) -> _Draft:
    """Return the line of an entry without details (``entry``: its reference, text and
    ``NtryRef``)."""
    entry_reference, entry_info, entry_key = entry
    return _from_info(
        _Draft(
            **base,
            amount=amount,
            remittance=_join_texts([entry_info]),
            bank_reference=entry_reference,
            key_extra=entry_key,
        )
    )


def _read_before(drafts: list[_Draft], earlier: list[_Draft]) -> None:
    """Mark the lines of a batch that lists fewer payments than it holds as read before as
    ``earlier``, when that is one line: what a release before 61bafd6 made of it (the whole
    amount, with the listed payment's or the entry's reference). Read again, the booking adds
    nothing (:attr:`~.lines.StatementLine.read_before_as`). A listed payment that has that
    line's reference gets the reference with its number (``T1/1``): a reference read before
    is no line of the file."""
    if len(earlier) != 1 or len(drafts) < 2:
        return  # one line: the same reference (and key) as before
    (whole,) = earlier
    for index, draft in enumerate(drafts, start=1):
        if whole.bank_reference and draft.bank_reference == whole.bank_reference:
            draft.bank_reference = f"{whole.bank_reference}/{index}"
        draft.before = whole


def _declared(text: str) -> int:
    """Return the number of payments a batch says it holds (``Btch/NbOfTxs``, ISO 20022
    Max15NumericText: 1 to 15 digits), or 0 when the text is no such number."""
    text = text.strip()
    return int(text) if 0 < len(text) <= 15 and text.isascii() and text.isdigit() else 0


def _adds_up(parts: list[dict], amount: Decimal) -> bool:
    """Return whether every detail of an entry states its amount and together (a detail in
    the other direction taken off) they give the entry's amount."""
    if any(part["amount"] is None for part in parts):
        return False
    signed = sum(
        (part["amount"] if part["same_direction"] else -part["amount"] for part in parts),
        Decimal(0),
    )
    return signed == amount


def _detail_draft(base: dict, part: dict, index: int, entry: tuple) -> _Draft:
    """Return the line of one payment of a batch, the ``index``-th ``TxDtls`` of its entry
    (``entry``: the entry's reference, text and ``NtryRef``)."""
    entry_reference, entry_info, entry_key = entry
    return _Draft(
        **base,
        amount=part["amount"],
        counterparty_name=part["name"],
        counterparty_iban=part["iban"],
        remittance=part["remittance"] or _join_texts([entry_info]),
        structured_reference=part["structured"],
        bank_reference=part["reference"]
        or (f"{entry_reference}/{index}" if entry_reference else ""),
        key_extra="|".join((entry_key, part["tx_id"], part["end_to_end"])),
        shown_name=part["ultimate"],
    )


def _batch_draft(base: dict, amount: Decimal, parts: list[dict], entry: tuple) -> _Draft:
    """Return one line for a batch entry's whole amount, with the texts of all its details
    (the payer and structured reference when they name one)."""
    entry_reference, entry_info, entry_key = entry
    names = {part["name"] for part in parts}
    ibans = {part["iban"] for part in parts}
    ultimates = {part["ultimate"] for part in parts}
    structured = [part["structured"] for part in parts if part["structured"]]
    texts = [part["remittance"] for part in parts]
    texts += structured[1:]
    name = names.pop() if len(names) == 1 else ""
    return _Draft(
        **base,
        amount=amount,
        counterparty_name=name,
        counterparty_iban=ibans.pop() if len(ibans) == 1 else "",
        remittance=_join_texts([*texts, entry_info]),
        structured_reference=structured[0] if structured else "",
        bank_reference=entry_reference,
        key_extra=entry_key,
        shown_name=ultimates.pop() if name and len(ultimates) == 1 else "",
    )


#: What the user does with a batch whose statement does not say what each part paid.
_LOOK_UP = (
    "Zoek {} op in de specificatie van de verzamelboeking bij uw bank (bijvoorbeeld een "
    "CAMT.054) en koppel ze zelf"
)


def _incomplete_batch(
    base: dict, amount: Decimal, parts: list[dict], declared: int, entry: tuple
) -> list[_Draft]:
    """Return the lines of a credit booked as a batch that says it holds more payments
    (``Btch/NbOfTxs``) than it lists (``TxDtls``), whose listed amounts do not give the
    amount booked (banks often list a few, or none: the rest is in a camt.054).

    Splitting it into the listed payments would lose the rest; one line with the listed
    payments' payer and reference would pay all of it to their invoice. When every listed
    payment states its amount and together they are less than the entry's, each is a line of
    its own (matched as any payment) and the rest is one line without a payer, to be checked
    (:attr:`StatementLine.review`); otherwise the whole entry is one line to be checked, with
    the texts of what it lists. Every euro booked is on a line, and no invoice is paid with
    money the statement does not attribute to it.
    """
    entry_reference, entry_info, entry_key = entry
    currency = base["currency"]
    whole = f"verzamelboeking van {declared} betalingen ({_money(amount, currency)}): "
    listed = len(parts)
    stated = sum((part["amount"] or Decimal(0) for part in parts), Decimal(0))
    if (
        parts
        and stated < amount
        and all(
            part["amount"] is not None and part["same_direction"] and not part["ours_back"]
            for part in parts
        )
    ):
        drafts = [
            _detail_draft(base, part, index, entry)
            for index, part in enumerate(parts, start=1)
            if part["amount"]
        ]
        rest = amount - stated
        others = declared - listed
        why = (
            f"{whole}het afschrift noemt er {listed} (samen {_money(stated, currency)}); voor "
            f"de andere {others} ({_money(rest, currency)}) noemt het geen betaler of kenmerk. "
            + _LOOK_UP.format("ze")
        )
        note = f"Rest van een verzamelboeking: {others} van de {declared} betalingen"
        drafts.append(
            _Draft(
                **base,
                amount=rest,
                remittance=_join_texts([note, entry_info]),
                bank_reference=f"{entry_reference}/rest" if entry_reference else "",
                key_extra=f"{entry_key}|rest",
                review=why,
            )
        )
        return drafts
    if parts:
        named = (
            f"het afschrift noemt er {listed}, zonder bedragen die samen het geboekte bedrag "
            "geven; welke factuur welk deel betaalt, is niet te zeggen. "
        )
    else:
        named = (
            "het afschrift noemt geen van de betalingen; welke facturen ermee betaald zijn, "
            "is niet te zeggen. "
        )
    draft = _batch_draft(base, amount, parts, entry)
    draft.review = whole + named + _LOOK_UP.format("de betalingen")
    return [draft]


def _amount_note(amount: Decimal, currency: str, stated: Sequence[tuple[str, Decimal]]) -> str:
    """Return what a single payment's details say it was when the entry books another amount
    (the bank kept charges, or converted another currency), else "": the entry's amount is
    what reached the account and what counts, and the user sees the difference.

    >>> _amount_note(Decimal("842.00"), "EUR", [("EUR", Decimal("847.00"))])
    'Overgemaakt € 847,00, bijgeschreven € 842,00 (€ 5,00 minder: kosten of inhouding)'
    >>> dollars = [("USD", Decimal("1000")), ("EUR", Decimal("920.5"))]
    >>> _amount_note(Decimal("920.50"), "EUR", dollars)
    'Oorspronkelijk bedrag USD 1.000,00'
    """
    parts = []
    for own, value in stated:
        if own != currency:
            parts.append(f"Oorspronkelijk bedrag {_money(value, own)}")
            break
    for own, value in stated:
        if own == currency and value != amount:
            less = value > amount
            difference = _money(abs(value - amount), currency)
            parts.append(
                f"Overgemaakt {_money(value, currency)}, bijgeschreven "
                f"{_money(amount, currency)} ({difference} "
                + ("minder: kosten of inhouding)" if less else "meer)")
            )
            break
    return "; ".join(parts)


def _money(value: Decimal, currency: str) -> str:
    shown = euro(value)
    return shown if currency.upper() == "EUR" else shown.replace("€", currency.upper())


def _shaped_detail_amount(
    texts: Sequence[str], amounts: tuple[tuple[int, str | None], ...], currency: str
) -> tuple[bool, Decimal | None]:
    """Return whether the amount of a ``TxDtls`` of a known shape can be read as
    :meth:`_Reader._detail` reads it (False: it is broken, or has more than two decimals), and
    that amount: the first of ``Amt``, ``AmtDtls/TxAmt/Amt`` and ``AmtDtls/InstdAmt/Amt`` (if in
    ``currency``) that is there, or None."""
    for position, own_currency in amounts:
        if own_currency is not None and own_currency != currency:
            continue
        text = texts[position].strip()
        if not _AMOUNT.fullmatch(text) or _sub_cent(text):
            return False, None
        amount = _amount_of(text)
        return amount < MAX_AMOUNT, amount
    return True, None


def _shaped_remittance(
    texts: Sequence[str],
    unstructured: tuple[int, ...],
    references: tuple[int, ...],
    more: tuple[int, ...],
    tx_info: int,
) -> tuple[list[str], str]:
    """Return the remittance texts of a ``TxDtls`` of a known shape and its structured
    reference, as :meth:`_Reader._detail` reads them: the unstructured texts, the references
    that are no valid structured one (the first valid one is), the document numbers and
    additional texts; ``AddtlTxInf`` when there is none of these."""
    found = [texts[position] for position in unstructured]
    structured = ""
    for position in references:
        raw = texts[position].strip()
        compact = _parse_reference(raw)
        if compact and not structured:
            structured = compact
        elif raw and raw != structured:
            found.append(raw)
    if more:
        found += [texts[position] for position in more]
    if not found and not structured:
        found.append(texts[tx_info])
    return found, structured


class _DetailShape:
    """Where the texts of one ``TxDtls`` are (see :class:`_Shape`): of the only one of an
    entry (``prefix`` ``NtryDtls/TxDtls/``), or of one of a batch (``prefix`` "", the paths
    below that ``TxDtls``)."""

    __slots__ = (
        "amounts",
        "end_to_end",
        "indicator",
        "more",
        "parties",
        "reference",
        "references",
        "returned",
        "roles",
        "sub_family",
        "tx_id",
        "tx_info",
        "ultimate",
        "unstructured",
    )

    @classmethod
    def of(
        cls, where: dict[str, list[int]], attributes: dict[str, dict[str, str]], prefix: str
    ) -> _DetailShape:
        def first(path: str) -> int:
            found = where.get(prefix + path)
            return found[0] if found else -1

        def every(path: str) -> tuple[int, ...]:
            return tuple(where.get(prefix + path, ()))

        part = cls.__new__(cls)
        amounts = []
        for path in ("Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/InstdAmt/Amt"):
            if prefix + path in where:
                currency = None
                if path.endswith("InstdAmt/Amt"):
                    currency = attributes.get(prefix + path, {}).get("Ccy")
                amounts.append((first(path), currency))
        part.amounts = tuple(amounts)
        part.indicator = first("CdtDbtInd")
        part.parties = prefix + "RltdPties" in where
        roles = tuple(
            (
                first(f"RltdPties/{role}/Nm"),
                first(f"RltdPties/{role}/Pty/Nm"),
                first(f"RltdPties/{role}Acct/Id/IBAN"),
                first(f"RltdPties/{role}Acct/Id/Othr/Id"),
            )
            for role in ("Dbtr", "Cdtr", "UltmtDbtr")
        )
        part.roles = roles[:2]  # the payer; for a debit taken back, the creditor next
        part.ultimate = roles[2][:2]
        part.unstructured = every("RmtInf/Ustrd")
        part.references = every("RmtInf/Strd/CdtrRefInf/Ref")
        # the document numbers, then the additional texts (one Strd block)
        part.more = every("RmtInf/Strd/RfrdDocInf/Nb") + every("RmtInf/Strd/AddtlRmtInf")
        part.tx_info = first("AddtlTxInf")
        part.end_to_end = first("Refs/EndToEndId")
        part.reference = first("Refs/AcctSvcrRef")
        part.tx_id = first("Refs/TxId")
        part.sub_family = first("BkTxCd/Domn/Fmly/SubFmlyCd")
        part.returned = prefix + "RtrInf" in where
        return part

    def positions(self) -> list[int]:
        """Return every position this detail reads."""
        found = [position for position, _ in self.amounts]
        found += [self.indicator, self.tx_info, self.end_to_end, self.reference, self.tx_id]
        found += [self.sub_family, *self.ultimate, *self.unstructured, *self.references]
        found += self.more
        for role in self.roles:
            found += role
        return found

    def regroup(self, group: dict[int, int]) -> None:
        """Turn the positions into indexes of a pattern's groups (see :meth:`_Shape._capture`)."""
        self.amounts = tuple((group[p], currency) for p, currency in self.amounts)
        for name in ("indicator", "tx_info", "end_to_end", "reference", "tx_id", "sub_family"):
            setattr(self, name, group[getattr(self, name)])
        for name in ("ultimate", "unstructured", "references", "more"):
            setattr(self, name, tuple(group[p] for p in getattr(self, name)))
        self.roles = tuple(tuple(group[p] for p in role) for role in self.roles)


def _details(tags: list[str]) -> tuple[_DetailShape, ...] | None:
    """Return the shapes of the ``TxDtls`` of a batch (the entry's tags are well nested), or
    None when in one of them an element on the way to a text that is read repeats."""
    details = []
    depth = 0
    start = -1
    where: dict[str, list[int]] = {}
    attributes: dict[str, dict[str, str]] = {}
    stack: list[str] = []
    for position, tag in enumerate(tags):
        closing = tag.startswith("/")
        if not closing:
            match = _TAG.fullmatch(tag)
            assert match is not None  # as _Shape.of found
            name, empty = match[1], bool(match[3])
            local = name.rpartition(":")[2]
            if depth == 2 and local == "TxDtls" and stack[-1].rpartition(":")[2] == "NtryDtls":
                start, where, attributes = position, {}, {}
            if start >= 0:
                path = "/".join([*_local_names(stack[2:]), local]) if position > start else ""
                where.setdefault(path, []).append(-1 if empty else position)
                if match[2] and path not in attributes:
                    attributes[path] = _attributes(match[2])
            if not empty:
                stack.append(name)
                depth += 1
            elif position == start:
                details.append(_finished(where, attributes))
                start = -1
                if details[-1] is None:
                    return None
        else:
            stack.pop()
            depth -= 1
            if start >= 0 and depth == 2:
                details.append(_finished(where, attributes))
                start = -1
                if details[-1] is None:
                    return None
    return tuple(details)  # type: ignore[arg-type]


def _finished(
    where: dict[str, list[int]], attributes: dict[str, dict[str, str]]
) -> _DetailShape | None:
    """Return the shape of one ``TxDtls`` of a batch from its paths, or None when an element
    on the way to a text that is read repeats."""
    del where[""]
    for path in _SHAPE_PATHS:
        if not path.startswith(_DETAIL):
            continue
        steps = path[len(_DETAIL) :].split("/")
        for end in range(1, len(steps)):
            if len(where.get("/".join(steps[:end]), ())) > 1:
                return None
    return _DetailShape.of(where, attributes, "")


def _attributes(serialised: str) -> dict[str, str]:
    """Return the attributes of a serialised start tag (what follows its name)."""
    return {
        key: _unescape(double or single) for key, double, single in _ATTRIBUTE.findall(serialised)
    }


def _local_names(stack: list[str]) -> list[str]:
    """Return the local names of the open elements below the entry."""
    return [name.rpartition(":")[2] for name in stack[1:]]


def _unescape(text: str) -> str:
    """Return a text of lxml's serialisation with its character references resolved."""
    if "&" not in text:
        return text
    return _ESCAPE.sub(_resolve, text)


def _resolve(match: re.Match[str]) -> str:
    decimal, hexadecimal, name = match.groups()
    if name:
        return _NAMED[name]
    return chr(int(decimal) if decimal else int(hexadecimal, 16))


def _sub_cent(text: str) -> bool:
    """Return whether a valid amount text has a digit other than 0 after the cents."""
    return bool(text.partition(".")[2][2:].strip("0"))


def _amount_of(text: str) -> Decimal:
    """Return the amount of a valid amount text, as ``_cents(Decimal(text))``."""
    value = Decimal(text)
    return value if text[-3:-2] == "." else _cents(value)  # two decimals: already in cents


@lru_cache(maxsize=256)
def _steps(path: str) -> tuple[str, ...]:
    """Return the local names of a ``/``-separated path (the readers use a few dozen)."""
    return tuple(path.split("/"))


def _path_between(element: etree._Element, top: etree._Element) -> list[str]:
    """Return the local names from ``top`` (excluded) down to ``element``, with ``[n]`` where a
    name repeats among siblings."""
    names: list[str] = []
    node = element
    while node is not None and node is not top:
        parent = node.getparent()
        name = _local(node)
        if parent is not None:
            same = [c for c in parent if isinstance(c.tag, str) and _local(c) == name]
            if len(same) > 1:
                name = f"{name}[{same.index(node) + 1}]"
        names.append(name)
        node = parent
    return list(reversed(names))


def _key_by_written_day(drafts: Sequence[_Draft], written: date) -> None:
    """Build the stable keys of an entry's lines from its booking day as written: up to this
    release a date-time in UTC or with an offset was dated so (2026-12-31T23:30:00Z on
    31 December, now on 1 January), and a file read then must not be read again as new."""
    for draft in drafts:
        dated_before(draft, written)


def _root_element(data: bytes) -> tuple[str, str]:
    """Return the local name and namespace of a well-formed XML file's root element."""
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    try:
        for _, element in events:
            tag = element.tag if isinstance(element.tag, str) else ""
            namespace = tag[1:].rpartition("}")[0] if tag.startswith("{") else ""
            return _local(element), namespace
    except etree.XMLSyntaxError:
        pass
    return "", ""


def _doctype(source: str) -> StatementError:
    return StatementError(source, "", "het XML-bestand bevat een DOCTYPE; dat wordt geweigerd")


def _other_tags() -> list[str]:
    return [f"{{*}}{name}" for name in _OTHER_MESSAGES]


#: A page number (ISO 20022 ``Max5NumericText``); not ``str.isdigit``, which takes "²" too.
_PAGE_NUMBER = re.compile(r"[0-9]{1,5}")


def _next_page(pages: _Node) -> int:
    """Return the number of the page after this one of a ``StmtPgntn`` or ``MsgPgntn``
    (``PgNb``, ``LastPgInd``) when it says it is not the last page, else 0. A page number that
    is no number counts as the first page: the note then still says that pages follow."""
    last, number = (
        ((found.text or "").strip() if found is not None else "")
        for found in (_Reader._find(pages, "LastPgInd"), _Reader._find(pages, "PgNb"))
    )
    if last.lower() not in ("false", "0"):
        return 0
    return int(number) + 1 if _PAGE_NUMBER.fullmatch(number) else 2


#: The balances of a statement's page: its opening (OPBD, PRCD, or ITBD on a later page) and
#: its closing (CLBD, or ITBD on a page another follows).
_PAGE_BALANCES = frozenset({"OPBD", "PRCD", "ITBD", "CLBD"})


def _page_balance(node: _Node, amount: _Node) -> tuple[Decimal | None, str]:
    """Return a balance's amount (negative for DBIT; None when it is no amount: the checks
    of the page leave it out) and its currency."""
    text = (amount.text or "").strip()
    if not _AMOUNT.fullmatch(text):
        return None, amount.element.get("Ccy", "")
    value = _cents(Decimal(text))
    mark = _Reader._find(node, "CdtDbtInd")
    if mark is not None and (mark.text or "").strip() == "DBIT":
        value = -value
    return value, amount.element.get("Ccy", "")


def _page_label(page: int | None) -> str:
    """Return ``", pagina 2"`` for a page that names its number, else ``""``."""
    return f", pagina {page}" if page else ""


def _page(pages: _Node) -> int | None:
    """Return the number of the page of a ``StmtPgntn`` (``PgNb``), None when it gives none
    that is a number."""
    found = _Reader._find(pages, "PgNb")
    number = (found.text or "").strip() if found is not None else ""
    return int(number) if _PAGE_NUMBER.fullmatch(number) else None


def _child_named(element: etree._Element, name: str) -> etree._Element | None:
    """Return the first child element of ``element`` with local name ``name``, or None."""
    return next((c for c in element if _local(c) == name), None)


def _local(element: etree._Element) -> str:
    """Return an element's local name; also for a namespace with a ``}`` (lxml's QName refuses)."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
