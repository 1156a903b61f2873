"""Read ISO 20022 camt.053 bank-to-customer statements (versions 001.02 to 001.08).

Elements are matched on their local names, whatever the namespace, so every version from
``camt.053.001.02`` to ``camt.053.001.08`` is read by the same code. The file is read
incrementally (``lxml.etree.iterparse``) and each entry is dropped once read, so a file with
100,000 entries needs little memory. Entities are not resolved and nothing is fetched from the
network (no XXE); a file with a ``DOCTYPE`` is refused outright, as no bank sends one.

What is read, per ``BkToCstmrStmt/Stmt`` (a file may hold several accounts):

* ``Acct/Id/IBAN`` (or ``Acct/Id/Othr/Id``) and ``Acct/Ccy``: our account.
* ``Ntry``: ``Amt`` (with ``@Ccy``), ``CdtDbtInd`` (``CRDT``/``DBIT``), ``RvslInd``, ``Sts``
  (``BOOK``; from version 08 ``Sts/Cd``; other statuses are skipped), ``BookgDt`` and ``ValDt``
  (``Dt`` or ``DtTm``), ``AcctSvcrRef``, ``NtryRef``, ``AddtlNtryInf``.
* ``Ntry/NtryDtls/TxDtls`` (one or more; several make a batch booking): ``Amt`` (version 04
  and later) or ``AmtDtls/TxAmt/Amt``, ``CdtDbtInd``, ``Refs/AcctSvcrRef``, ``Refs/EndToEndId``,
  ``Refs/TxId``, ``RltdPties/Dbtr/Nm`` (from version 08 ``Dbtr/Pty/Nm``),
  ``RltdPties/DbtrAcct/Id/IBAN``, ``RmtInf/Ustrd``, ``RmtInf/Strd/CdtrRefInf/Ref`` (issuer
  SCOR/BBA/ISO/CUR), ``RmtInf/Strd/RfrdDocInf/Nb``, ``RmtInf/Strd/AddtlRmtInf``,
  ``AddtlTxInf``.

Direction: ``CRDT`` without ``RvslInd`` is a credit; ``DBIT`` with ``RvslInd=true`` is the
reversal of a credit (ISO: "if CdtDbtInd is DBIT and RvslInd is true, the original operation was
a credit"). Everything else is skipped.

Batch bookings: one line per ``TxDtls`` with its own amount when the detail amounts add up to
the entry amount; with a single ``TxDtls`` the entry amount (what was booked) is used; when the
details have no amounts or do not add up, one line with the entry amount and the texts of all
details is returned, so that no money is lost or counted twice.

Bank reference: ``TxDtls/Refs/AcctSvcrRef``, else ``Ntry/AcctSvcrRef`` (with ``/1``, ``/2``…
per detail of a batch), else a stable key (:func:`debiteuren.payments._stable_key`) that also
covers ``NtryRef``, ``TxId`` and ``EndToEndId``.
"""

from __future__ import annotations

import io
import re
from datetime import date

from lxml import etree

from debiteuren.core.money import Decimal
from debiteuren.payments import (
    StatementError,
    StatementLine,
    _cents,
    _compact_iban,
    _Draft,
    _finish,
    _join_texts,
    _parse_reference,
)

__all__ = ["parse"]

_AMOUNT = re.compile(r"[0-9]{1,18}(?:\.[0-9]{1,5})?")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_NOT_PROVIDED = {"", "NOTPROVIDED", "NOT PROVIDED", "NONREF"}
_OTHER_MESSAGES = {
    "BkToCstmrAcctRpt": "een tussentijds rekeningrapport (camt.052)",
    "BkToCstmrDbtCdtNtfctn": "een melding van bij- en afschrijvingen (camt.054)",
}


def parse(data: bytes, *, source: str) -> list[StatementLine]:
    """Parse a camt.053 file.

    Args:
      data: the XML bytes (any encoding the XML declaration names; UTF-8 by default).
      source: the file name.
    Returns:
      The credits and reversals of credits, in file order. Raises
      :class:`~debiteuren.payments.StatementError` naming the element path (or the line, for
      XML that is not well-formed).
    """
    if _DOCTYPE.search(data[:65536]):
        raise StatementError(source, "", "het XML-bestand bevat een DOCTYPE; dat wordt geweigerd")
    reader = _Reader(source)
    return reader.read(data)


class _Reader:
    """The state of one pass over a camt.053 file."""

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

    # -- the pass ---------------------------------------------------------------------------

    def read(self, data: bytes) -> list[StatementLine]:
        tags = ["{*}Document", "{*}BkToCstmrStmt", "{*}Stmt", "{*}Ntry", *_other_tags()]
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
                name = _local(element)
                if first:
                    first = False
                    self.root = name
                if event == "start":
                    self._start(name, element)
                elif name == "Ntry":
                    self._end_entry(element)
                elif name == "Stmt":
                    self._drop(element)
        except etree.XMLSyntaxError as exc:
            line = exc.lineno or (exc.position[0] if exc.position else 0)
            where = f"regel {line}" if line else ""
            if self.entry:
                where = f"{where}, in {self._entry_path()}" if where else self._entry_path()
            raise StatementError(
                self.source, where, f"het XML-bestand is beschadigd of onvolledig ({exc.msg})"
            ) from None
        if not self.seen_statement_root:
            raise StatementError(
                self.source,
                f"element {self.root}",
                "dit XML-bestand is geen rekeningafschrift in CAMT.053-formaat "
                "(BkToCstmrStmt ontbreekt)",
            )
        return _finish(self.drafts, source=self.source, prefix="CAMT")

    def _start(self, name: str, element: etree._Element) -> None:
        if name == "BkToCstmrStmt":
            self.seen_statement_root = True
        elif name in _OTHER_MESSAGES:
            raise StatementError(
                self.source,
                f"element {self.root}/{name}",
                f"dit is geen rekeningafschrift (camt.053) maar {_OTHER_MESSAGES[name]}",
            )
        elif name == "Stmt":
            self.statement += 1
            self.entry = 0
            self.account = ""
            self.account_currency = ""
            self.account_read = False
        elif name == "Ntry":
            self.entry += 1

    def _end_entry(self, entry: etree._Element) -> None:
        statement = entry.getparent()
        if not self.account_read and statement is not None:
            self._read_account(statement)
        self._read_entry(_Node(entry))
        self._drop(entry)

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

    def _fail(self, node: _Node, entry: _Node, problem: str) -> StatementError:
        path = "/".join([self._entry_path(), *_path_between(node.element, entry.element)])
        return StatementError(self.source, f"element {path}", problem)

    # -- the account ------------------------------------------------------------------------

    def _read_account(self, statement: etree._Element) -> None:
        self.account_read = True
        element = next((c for c in statement if _local(c) == "Acct"), None)
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
        self.account_currency = self._text(account, "Ccy")

    # -- an entry ---------------------------------------------------------------------------

    def _read_entry(self, entry: _Node) -> None:
        amount_element = self._child(entry, "Amt")
        if amount_element is None:
            raise StatementError(
                self.source, f"element {self._entry_path()}/Amt", "bedrag ontbreekt"
            )
        amount = self._amount(amount_element, entry)
        currency = amount_element.element.get("Ccy") or self.account_currency
        indicator_element = self._child(entry, "CdtDbtInd")
        indicator = (indicator_element.text or "").strip() if indicator_element is not None else ""
        if indicator not in ("CRDT", "DBIT"):
            where = f"element {self._entry_path()}/CdtDbtInd"
            shown = indicator or "leeg"
            raise StatementError(self.source, where, f"bij/af-teken '{shown}' is geen CRDT of DBIT")
        reversal = self._text(entry, "RvslInd").lower() in ("true", "1")
        status = self._text(entry, "Sts/Cd") or self._text(entry, "Sts")
        booking_date = self._date(entry, "BookgDt")
        value_date = self._date(entry, "ValDt")
        if booking_date is None:
            booking_date = value_date
        if booking_date is None:
            raise StatementError(
                self.source, f"element {self._entry_path()}/BookgDt", "boekingsdatum ontbreekt"
            )
        if value_date is None:
            value_date = booking_date
        if status and status.upper() != "BOOK":
            return
        if indicator == "CRDT" and not reversal:
            is_reversal = False
        elif indicator == "DBIT" and reversal:
            is_reversal = True
        else:
            return
        if amount == 0:
            return

        details = self._findall(entry, "NtryDtls/TxDtls")
        entry_reference = self._text(entry, "AcctSvcrRef")
        entry_info = self._text(entry, "AddtlNtryInf")
        base = {
            "account_iban": self.account,
            "booking_date": booking_date,
            "value_date": value_date,
            "currency": currency,
            "is_reversal": is_reversal,
        }
        if not details:
            self.drafts.append(
                _Draft(
                    **base,
                    amount=amount,
                    remittance=_join_texts([entry_info]),
                    bank_reference=entry_reference,
                    key_extra=self._text(entry, "NtryRef"),
                )
            )
            return
        parts = [self._detail(detail, entry, indicator, currency) for detail in details]
        split = len(parts) > 1 and all(part["amount"] is not None for part in parts)
        if split:
            signed = sum(
                (part["amount"] if part["same_direction"] else -part["amount"] for part in parts),
                Decimal(0),
            )
            split = signed == amount
        if split:
            for index, part in enumerate(parts, start=1):
                if not part["same_direction"] or part["amount"] == 0:
                    continue
                reference = part["reference"] or (
                    f"{entry_reference}/{index}" if entry_reference else ""
                )
                self.drafts.append(
                    _Draft(
                        **base,
                        amount=part["amount"],
                        counterparty_name=part["name"],
                        counterparty_iban=part["iban"],
                        remittance=part["remittance"] or _join_texts([entry_info]),
                        structured_reference=part["structured"],
                        bank_reference=reference,
                        key_extra=self._key_extra(entry, part),
                    )
                )
            return
        if len(parts) == 1:
            part = parts[0]
            self.drafts.append(
                _Draft(
                    **base,
                    amount=amount,
                    counterparty_name=part["name"],
                    counterparty_iban=part["iban"],
                    remittance=part["remittance"] or _join_texts([entry_info]),
                    structured_reference=part["structured"],
                    bank_reference=part["reference"] or entry_reference,
                    key_extra=self._key_extra(entry, part),
                )
            )
            return
        # A batch whose details cannot be split: one line for the entry amount.
        names = {part["name"] for part in parts}
        ibans = {part["iban"] for part in parts}
        structured = [part["structured"] for part in parts if part["structured"]]
        texts = [part["remittance"] for part in parts]
        texts += structured[1:]
        self.drafts.append(
            _Draft(
                **base,
                amount=amount,
                counterparty_name=names.pop() if len(names) == 1 else "",
                counterparty_iban=ibans.pop() if len(ibans) == 1 else "",
                remittance=_join_texts([*texts, entry_info]),
                structured_reference=structured[0] if structured else "",
                bank_reference=entry_reference,
                key_extra=self._text(entry, "NtryRef"),
            )
        )

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
        name, iban = "", ""
        if parties is not None:
            roles = ("Dbtr", "Cdtr") if indicator == "DBIT" else ("Dbtr",)
            for role in roles:
                party_name = self._party_name(self._child(parties, role))
                party_iban = _compact_iban(
                    self._text(parties, f"{role}Acct/Id/IBAN")
                    or self._text(parties, f"{role}Acct/Id/Othr/Id")
                )
                if party_iban and party_iban == self.account:
                    continue
                if party_name or party_iban:
                    name, iban = party_name, party_iban
                    break
            if not name:
                name = self._party_name(self._child(parties, "UltmtDbtr"))
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
            "same_direction": own_indicator == indicator,
            "name": name,
            "iban": iban,
            "remittance": _join_texts(texts),
            "structured": structured,
            "reference": self._text(detail, "Refs/AcctSvcrRef"),
            "tx_id": self._text(detail, "Refs/TxId"),
            "end_to_end": "" if end_to_end.upper() in _NOT_PROVIDED else end_to_end,
        }

    def _amount(self, element: _Node, entry: _Node) -> Decimal:
        text = (element.text or "").strip()
        if not _AMOUNT.fullmatch(text):
            shown = text or "leeg"
            raise self._fail(element, entry, f"bedrag '{shown}' is geen geldig bedrag")
        return _cents(Decimal(text))

    def _date(self, entry: _Node, name: str) -> date | None:
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
            return date.fromisoformat(text[:10])
        except ValueError:
            shown = text or "leeg"
            raise self._fail(element, entry, f"datum '{shown}' is geen geldige datum") from None

    # -- nodes by local names ---------------------------------------------------------------

    @staticmethod
    def _child(node: _Node | None, name: str) -> _Node | None:
        """Return the first child with local name ``name``, or None."""
        if node is None:
            return None
        found = node.children.get(name)
        return found[0] if found else None

    def _find(self, node: _Node | None, path: str) -> _Node | None:
        """Return the first node at a ``/``-separated path of local names, or None."""
        for name in path.split("/"):
            node = self._child(node, name)
            if node is None:
                return None
        return node

    @staticmethod
    def _findall(node: _Node, path: str) -> list[_Node]:
        """Return every node at a ``/``-separated path of local names."""
        nodes = [node]
        for name in path.split("/"):
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

    def _key_extra(self, entry: _Node, part: dict) -> str:
        """Return the informative references that go into a stable key."""
        return "|".join((self._text(entry, "NtryRef"), part["tx_id"], part["end_to_end"]))


class _Node:
    """An element of an entry, with its children by local name (namespaces dropped).

    Reading an entry into these once is several times faster than lxml's ``find`` with a
    namespace wildcard, and makes every lookup independent of the namespace. A node holds no
    reference to its parent (no reference cycles, so entries are freed at once).
    """

    __slots__ = ("children", "element", "name", "text")

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


def _other_tags() -> list[str]:
    return [f"{{*}}{name}" for name in _OTHER_MESSAGES]


def _local(element: etree._Element) -> str:
    """Return an element's local name; also for a namespace with a ``}`` (lxml's QName refuses)."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
