"""facturen: add e-invoices (UBL: Peppol BIS Billing 3.0; UN/CEFACT CII) to the Facturen sheet,
and new buyers to Klanten.

Per file, one invoice or credit note (:mod:`debiteuren.einvoice` reads it). The workbook is read
and validated first; every file is then checked on its own, and a file that fails adds nothing
(not its invoice, not its new customer). The rest is written in one save, after a backup.

A zip file (a download of an accounting program's or a Peppol inbox's invoices) is read as the
files in it, each on its own, in the order of their names (:func:`_documents`); a file in it
that is no e-invoice (a PDF copy of the invoice, a README, an XML of another kind) is left out
with a note (``geen e-factuur``), and a zip without any e-invoice is refused. A zip inside the
zip, an encrypted or damaged one, more than :data:`MAX_ZIP_FILES` files or more than
:data:`MAX_ZIP_BYTES` unpacked refuse the zip (:func:`..inputs.zip_members`). The names in it are
only shown, never used as paths.

The rules, kept simple and written down here so a user can predict them:

* **Duplicates are refused.** An invoice number already on Facturen (case-insensitive, as the
  workbook reader compares them), or earlier in the same batch, is skipped with a message. A
  credit note with an invoice's number (or an invoice with a credit note's: a series of its
  own) is no duplicate: the file is refused with what to do; nor is one whose buyer is another
  known customer than the invoice with that number (refused, naming both), and one whose buyer
  is no known customer is skipped with a word that it is not that invoice's customer. A
  number of more than 100 characters (:data:`MAX_NUMBER_CHARS`) refuses the file.
* **Customers.** The buyer is matched to an existing customer by enterprise number (KvK/KBO, digits
  compared; a Belgian VAT number holds the enterprise number), then by VAT number, then by exact
  name (case, repeated spaces and invisible characters ignored), unless that customer has another
  KvK/KBO number or another VAT number of the same country (another business of the same name: a new
  customer, and the message names the customer it is not). An unknown buyer becomes a new customer
  numbered after the existing ones (``K012`` → ``K013``), with Soort *Onderneming* (Peppol buyers
  are businesses), Land from the address (any country; a file without one, or with a code that is no
  country, is refused), the e-mail, phone, contact, KvK/KBO (Dutch and Belgian buyers) and VAT
  number from the invoice (a VAT number that fails its country's check is left out, with a message).
  The e-mail is the contact's (BT-58), else the buyer's electronic address (BT-49) when its
  scheme is EM (e-mail: the mailbox where the buyer receives invoices); either is checked as a
  typed one, and one that fails is left out with a message.
  A buyer outside the Netherlands and Belgium keeps Toepasselijk recht empty: as a business its
  claims follow the law of the creditor's country (Rome I art. 4, ``core/rules/abroad.py``); the
  message says so.
* **Language.** ``nl`` for the Netherlands. For Belgium ``fr`` when the postcode is in Brussels
  (1000–1299, bilingual: French is the more common choice; change the Taal cell when needed) or
  in Wallonia (1300–1499 Walloon Brabant, 4000–7999 Liège, Namur, Hainaut and Luxembourg), ``de``
  in the German-speaking Community (4700–4799), else ``nl``. Abroad: ``de`` in Germany,
  Austria, Liechtenstein and Switzerland, ``fr`` in France, Luxembourg and Monaco, ``nl`` in
  Suriname and the Dutch Caribbean, ``en`` elsewhere.
* **Due date.** From the invoice (BT-9, or payment terms in days: the net term before a term
  for a discount, "einde maand" as the setting *E-factuur: dagen einde maand* says; or the one
  day the terms name to pay by; or the invoice date for terms that only say to pay at once,
  "per omgaande", "Zahlbar sofort", "due on receipt"; see
  ``einvoice.read_payment_terms``). When it has none, or terms that cannot be ranked (two
  different terms, instalments, only a discount term, a term over a year, a text over 1,000
  characters): the invoice date plus the customer's Betaaltermijn, or 30 days (the statutory
  default in both countries) when the customer has none; the message says so, and quotes terms
  that were not read (at most 200 characters). A credit note without one keeps Vervaldatum
  empty (the workbook then uses its date).
* **Amount.** The amount due (BT-115, after any prepaid amount), negative for a credit note (also
  an Invoice with a credit note's type code, 381), with Creditnota *Ja*. Only euro invoices are
  accepted (one in another currency is refused for that before it is checked as a
  duplicate); a file whose amount due is not its total less the prepaid amount (BR-CO-16), or
  whose totals are in another currency, is refused by the parser; one whose total with VAT is
  not its total without VAT plus the VAT (BR-CO-15) is added for its amount due, with a
  warning. An amount due of zero (paid
  in full beforehand, or a credit note settled already) is nothing to collect: the file is skipped
  (``overgeslagen``) with a message, not booked as an open invoice of € 0,00. An invoice
  whose terms or notes say it is paid ("reeds voldaan", "Betrag dankend erhalten") while its
  amount due says otherwise is added for that amount with a warning (words are read by
  phrases; the amount is the invoice's own figure). A credit note
  that names another customer's invoice is added with a warning (it lowers its own customer's
  balance, not that invoice), and so is one that names an invoice on neither Facturen nor the
  batch (it goes to the customer's oldest open invoice like a payment until that invoice is
  there).
* **Payment reference.** A structured reference in BT-83 (OGM, RF, betalingskenmerk) is stored in
  its printed form; other text as it is. A reference that another invoice on Facturen or
  earlier in the batch already has (typed, or the one debiteuren made for it) is not stored,
  with a warning: one reference belongs to one invoice, and the workbook refuses two invoices
  with the same (the next ``bijwerken`` stopped); the invoice gets a reference of its own.
* **Seller.** When the seller's VAT number (or, without one, its name) differs from the business
  on Instellingen, the invoice is imported with a warning: check it is really your sales invoice.
  When the buyer has the business's VAT or KvK/KBO number (or, giving neither, its name), it is
  a purchase invoice: refused.
* **Account.** When an invoice asks to be paid to accounts (BT-84) none of which is the IBAN
  or one of the other own accounts on Instellingen (factoring: the factor's account), it is
  imported with a warning naming both: the letters name the business's own IBAN.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from ..core.model import Creditor, Debtor, DebtorKind
from ..core.money import Decimal
from ..core.references import is_valid_iban, national_kind, reference_owners, stored_reference
from ..core.rules import COUNTRIES, applicable_law, for_country, new_customer_language
from ..einvoice import (
    EAS_EMAIL,
    EInvoice,
    EInvoiceError,
    NotUbl,
    OtherFile,
    Party,
    compact_account,
    named_amounts,
    parse_einvoice,
    quote_terms,
    read_einvoice,
    shown_value,
    starts_as_xml,
)
from ..errors import DebiteurenError, Issue
from ..facturx import is_pdf
from ..filenames import shown_name
from ..formatting import country_code, country_name, euro, short_date, whole_number
from ..inputs import (
    ZIP,
    NotAFile,
    TooLarge,
    ZipRefused,
    is_zip,
    name_list,
    other_kind,
    read_limited,
    zip_members,
)
from ..untrusted import (
    EXCEL_MAX_TEXT,
    cell_text,
    company_key,
    email_problem,
    loose_key,
    normalize_code,
)
from ..workbook import read, schema
from ..workbook.changes import Placement
from ..workbook.files import locks_workbook
from ..workbook.schema import NO, YES
from ..workbook.source import BookSource
from .changes import Changes
from .pipeline import Refused, read_book, write_back

__all__ = ["DEFAULT_TERM_DAYS", "FileResult", "ImportResult", "import_invoices", "language_for"]

#: How much of a name from the file a message quotes at most.
NAME_CHARS = 100

#: The longest invoice number an e-invoice may bring: the workbook sets no limit, but a real
#: invoice number is a code of a few dozen characters at most; a longer one is a broken or
#: hostile file, and would fill every message and letter that names the invoice.
MAX_NUMBER_CHARS = 100

#: The payment term used when neither the invoice nor the customer gives one.
DEFAULT_TERM_DAYS = 30

#: A zip of e-invoices: at most this many files in it, and this many bytes unpacked together.
MAX_ZIP_FILES = 1000
MAX_ZIP_BYTES = 256 * 1024 * 1024

#: The status of a file in a zip that is no e-invoice (left out, with a note).
NOT_AN_INVOICE = "geen e-factuur"

#: The buyer's countries whose law debiteuren knows (the rules registry): their enterprise
#: numbers can be read and matched.
_COUNTRIES = {c.value: c.value for c in COUNTRIES}


@dataclass(frozen=True, slots=True, kw_only=True)
class FileResult:
    """What happened to one e-invoice file.

    Attributes:
      status: ``"toegevoegd"`` (added), ``"geweigerd"`` (a duplicate, skipped),
        ``"overgeslagen"`` (nothing to collect: its amount due is zero), ``"geen e-factuur"``
        (a file in a zip that is no e-invoice: left out) or ``"fout"`` (the file could not be
        used; nothing of it was added).
      member: the name of the file in the zip ``file``; "" for a file given itself.
      invoice: the invoice number, when it could be read.
      customer: the customer number the invoice was booked on ("" when not added).
      new_customer: True when that customer was added to Klanten by this import.
      messages: Dutch sentences: what was added, refused or wrong, and the assumptions made.
    """

    file: Path
    status: str
    member: str = ""
    invoice: str = ""
    customer: str = ""
    new_customer: bool = False
    amount: Decimal | None = None
    due_date: date | None = None
    messages: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        """Return True when the file could not be used."""
        return self.status == "fout"

    @property
    def name(self) -> str:
        """Return the file's name as a message shows it (``facturen.zip/2026-0101.xml``)."""
        shown = shown_name(self.file)
        return f"{shown}/{self.member}" if self.member else shown


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportResult:
    """What an import did.

    Attributes:
      files: one result per file, in the order given.
      saved: True when the workbook was written.
      backup: the copy of the previous workbook, when saved.
    """

    path: Path
    files: tuple[FileResult, ...]
    saved: bool
    backup: Path | None = None

    @property
    def added(self) -> tuple[FileResult, ...]:
        """Return the files whose invoice was added."""
        return tuple(f for f in self.files if f.status == "toegevoegd")

    @property
    def refused(self) -> tuple[FileResult, ...]:
        """Return the files skipped as duplicates."""
        return tuple(f for f in self.files if f.status == "geweigerd")

    @property
    def skipped(self) -> tuple[FileResult, ...]:
        """Return the files that ask for no payment (amount due zero): not added."""
        return tuple(f for f in self.files if f.status == "overgeslagen")

    @property
    def failed(self) -> tuple[FileResult, ...]:
        """Return the files that could not be used."""
        return tuple(f for f in self.files if f.failed)

    @property
    def not_invoices(self) -> tuple[FileResult, ...]:
        """Return the files in a zip that are no e-invoice (left out)."""
        return tuple(f for f in self.files if f.status == NOT_AN_INVOICE)

    @property
    def new_customers(self) -> tuple[str, ...]:
        """Return the customer numbers added to Klanten."""
        return tuple(f.customer for f in self.files if f.new_customer)


class _Refused(DebiteurenError):
    """A file that is read correctly but cannot be imported (country, currency, date)."""


class _UnknownBuyer(_Refused):
    """An unknown buyer that cannot be a new customer (no country, a code that is no country,
    no name): a later file of the batch may bring that buyer as a new customer
    (:meth:`_Batch.add_waiting`)."""


class _NothingDue(DebiteurenError):
    """A file that asks for no payment (its amount due is zero): nothing to book."""


class _Duplicate(DebiteurenError):
    """An invoice number that is already there."""


#: The status of a file that is not added, by the reason.
_STATUS = {
    _Duplicate: "geweigerd",
    _Refused: "fout",
    _UnknownBuyer: "fout",
    _NothingDue: "overgeslagen",
}


def language_for(country: str, postcode: str) -> str:
    """Return the letter language for a new customer (see the module rules; the country's rules
    decide, ``new_customer_language``).

    >>> language_for("BE", "5000"), language_for("BE", "1000"), language_for("BE", "9000")
    ('fr', 'fr', 'nl')
    >>> language_for("NL", "1015 TH"), language_for("DE", "10115"), language_for("SE", "11122")
    ('nl', 'de', 'en')
    """
    return new_customer_language(country, postcode)


# --- identifiers --------------------------------------------------------------------------------


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _registration_key(text: str) -> str:
    """Return an enterprise number as compared: digits without leading zeros."""
    return _digits(text).lstrip("0")


def _vat_key(text: str, country: str) -> str:
    """Return a VAT number as compared: letters and digits, upper case, with a country prefix."""
    compact = "".join(ch for ch in text if ch.isalnum()).upper()
    if compact and not compact[:2].isalpha():
        compact = country + compact
    return compact


def _buyer_registration(invoice: EInvoice, country: str) -> str:
    """Return the buyer's KvK or KBO number as the Klanten sheet writes it, or "".

    The country's rules say which Peppol scheme is its enterprise number, how it is written,
    and whether the VAT number holds it (a Belgian one: BE + the enterprise number).
    """
    rules = for_country(country)
    buyer = invoice.buyer
    wanted = rules.EAS_REGISTRATION
    candidates = []
    if buyer.registration and buyer.registration_scheme in (wanted, ""):
        candidates.append(buyer.registration)
    if buyer.endpoint_scheme == wanted:
        candidates.append(buyer.endpoint_id)
    vat = _vat_key(buyer.vat_number, country) or (
        _vat_key(buyer.endpoint_id, country) if buyer.endpoint_scheme == rules.EAS_VAT else ""
    )
    if rules.registration_in_vat(vat):
        candidates.append(rules.registration_in_vat(vat))
    for text in candidates:
        number = rules.registration_number(_digits(text))
        if number:
            return number
    return ""


def _buyer_vat(invoice: EInvoice, country: str) -> str:
    buyer = invoice.buyer
    if buyer.vat_number:
        return _vat_key(buyer.vat_number, country)
    if buyer.endpoint_scheme in {for_country(c).EAS_VAT for c in COUNTRIES}:
        return _vat_key(buyer.endpoint_id, country)
    return ""


def _buyer_email(invoice: EInvoice) -> tuple[str, str]:
    """Return the buyer's e-mail address and the element it is in: the contact's (BT-58),
    else the electronic address (BT-49) when its scheme is EM (e-mail): the mailbox where the
    buyer receives its invoices, as XRechnung buyers often give it; ("", "") without either."""
    buyer = invoice.buyer
    if buyer.email:
        return buyer.email, invoice.element("buyer_email")
    if buyer.endpoint_scheme == EAS_EMAIL and buyer.endpoint_id:
        return buyer.endpoint_id, invoice.element("buyer_endpoint")
    return "", ""


def _street(buyer: Party) -> str:
    """Return the street and the additional street (BT-50, BT-51) as the Adres cell holds them."""
    return ", ".join(p for p in (buyer.street, buyer.additional_street) if p)


def _name_key(name: str) -> str:
    """Return a name as the buyer's and a customer's are compared: case and runs of white
    space ignored (:func:`loose_key`), and without invisible characters, compatibility forms
    as their plain letters (:func:`normalize_code`): "Bouw\\u00adbedrijf" with a soft hyphen, or
    with a zero-width space from the buyer's system, is the customer typed without it."""
    return loose_key(normalize_code(name))


def _names(invoice: EInvoice) -> set[str]:
    """Return the buyer's legal and trading name as compared."""
    return {_name_key(invoice.buyer.name), _name_key(invoice.buyer.trading_name)} - {""}


def _registrations(country: str, registration: str, vat: str) -> set[str]:
    """Return the KvK/KBO numbers of a known customer as compared: its own and the one its
    VAT number holds (a Belgian one)."""
    keys = {_registration_key(registration)} - {""}
    if vat and country in _COUNTRIES:
        in_vat = for_country(country).registration_in_vat(_vat_key(vat, country))
        if in_vat:
            keys.add(_registration_key(in_vat))
    return keys


def _same_registration(one: str, other: str) -> bool:
    """Return True when two enterprise numbers (as :func:`_registration_key` gives them) are
    the same business's: equal, or one the other with digits after it (a KvK number typed with
    its branch number, "27123456 0000")."""
    return one.startswith(other) or other.startswith(one)


def _other_numbers(
    invoice: EInvoice, buyer_registration: str, country: str, registration: str, vat: str
) -> bool:
    """Return True when a known customer of the buyer's name has another KvK/KBO number, or
    another VAT number of the same country: another business with the same name ("Jansen
    B.V." in Breda and in Groningen), not the customer. (A VAT number of another country
    may be the same business's registration there.)"""
    keys = _registrations(country, registration, vat)
    if (
        buyer_registration
        and keys
        and not any(_same_registration(buyer_registration, k) for k in keys)
    ):
        return True
    theirs, ours = _buyer_vat(invoice, invoice.buyer.country or country), _vat_key(vat, country)
    return bool(vat and theirs and theirs[:2] == ours[:2] and theirs != ours)


# --- customers ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Customers:
    """The customers known so far: the workbook's and the ones this batch adds."""

    debtors: dict[str, Debtor]
    new: dict[str, dict[str, object]] = field(default_factory=dict)

    def find(self, invoice: EInvoice) -> tuple[str, str] | None:
        """Return (customer number, how it matched) for the buyer, or None."""
        buyer = invoice.buyer
        country = buyer.country if buyer.country in _COUNTRIES else ""
        known = [
            (d.number, str(d.country), d.name, d.registration, d.vat_number)
            for d in self.debtors.values()
        ]
        known += [
            (
                str(r["number"]),
                str(r["country"]),
                str(r["name"]),
                str(r["registration"]),
                str(r["vat_number"]),
            )
            for r in self.new.values()
        ]
        # the buyer's KvK or KBO number per country it may belong to (both for an address
        # abroad: a known Dutch or Belgian customer may have a branch elsewhere)
        registrations = {
            c: _registration_key(_buyer_registration(invoice, c))
            for c in ((country,) if country else tuple(_COUNTRIES))
        }
        for number, c, _, reg, vat in known:
            if registrations.get(c) and registrations[c] in _registrations(c, reg, vat):
                return number, "KvK/KBO-nummer"
        for number, c, _, _, vat in known:
            if vat and _buyer_vat(invoice, country or c) == _vat_key(vat, c):
                return number, "btw-nummer"
        names = _names(invoice)
        for number, c, known_name, reg, vat in known:
            if _name_key(known_name) in names and not _other_numbers(
                invoice, registrations.get(c, ""), c, reg, vat
            ):
                return number, "naam"
        return None

    def namesake(self, invoice: EInvoice) -> str:
        """Return the number of a known customer with the buyer's name, or "" (one that
        :meth:`find` passed over: another KvK/KBO or VAT number, another business)."""
        known = [(d.number, d.name) for d in self.debtors.values()]
        known += [(str(r["number"]), str(r["name"])) for r in self.new.values()]
        return next((n for n, name in known if _name_key(name) in _names(invoice)), "")

    def next_number(self) -> str:
        """Return the next customer number, continuing the existing pattern (K012 -> K013)."""
        numbers = [*self.debtors, *self.new]
        pattern = re.compile(r"(.*?)(\d+)")
        best: tuple[str, int, int] | None = None  # prefix, value, width
        counts: dict[str, int] = {}
        parsed = []
        for number in numbers:
            match = pattern.fullmatch(number)
            if match:
                prefix, digits = match.groups()
                counts[prefix] = counts.get(prefix, 0) + 1
                parsed.append((prefix, int(digits), len(digits)))
        if not parsed:
            candidate = "K001"
        else:
            prefix = max(counts, key=lambda p: (counts[p], p))
            for p, value, width in parsed:
                if p == prefix and (best is None or value > best[1]):
                    best = (p, value, width)
            assert best is not None
            candidate = f"{prefix}{best[1] + 1:0{best[2]}d}"
        taken = {n.casefold() for n in numbers}
        while candidate.casefold() in taken:  # pragma: no cover - only with odd numbering
            candidate = candidate + "-1"
        return candidate

    def record(self, invoice: EInvoice) -> dict[str, object]:
        """Return the Klanten record of the buyer as a new customer (registered in ``new`` by
        the caller once the invoice is added)."""
        buyer = invoice.buyer
        country = country_code(buyer.country) or buyer.country
        street = _street(buyer)
        vat = _buyer_vat(invoice, country)
        email = _buyer_email(invoice)[0]
        record: dict[str, object] = {
            "number": self.next_number(),
            "name": buyer.name,
            "contact": buyer.contact,
            "address": street,
            "postcode": buyer.postcode,
            "city": buyer.city,
            "country": country,
            "kind": "Onderneming",
            "email": "" if email_problem(email) else email,
            "phone": buyer.phone,
            "language": language_for(country, buyer.postcode),
            "registration": _buyer_registration(invoice, country) if country in _COUNTRIES else "",
            "vat_number": "" if read.vat_problem(vat, country) else vat,
            "handed_over": NO,
        }
        return record

    def name(self, number: str) -> str:
        """Return a known customer's name as a message quotes it ("" for an unknown number)."""
        debtor = self.debtors.get(number)
        name = debtor.name if debtor is not None else str(self.new.get(number, {}).get("name", ""))
        return shown_value(name, NAME_CHARS)

    def term(self, number: str) -> int | None:
        debtor = self.debtors.get(number)
        return debtor.payment_term_days if debtor is not None else None


# --- the use case -------------------------------------------------------------------------------


def _law_note(country: str, data: read.WorkbookData) -> str:
    """Return the sentence on the law of a new buyer abroad ("" in NL and BE)."""
    if country in _COUNTRIES:
        return ""
    buyer = Debtor(number="", name="", country=country, kind=DebtorKind.BUSINESS)
    law = for_country(applicable_law(buyer, data.creditor)).WORDING.law_name
    return (
        f" Toepasselijk recht: {law}, het recht van uw eigen land, zoals zonder andere keuze "
        "voor een verkoop aan een onderneming (Rome I-Verordening, art. 4); kies in de kolom "
        "Toepasselijk recht een ander als u dat overeenkwam."
    )


def _seller_warning(invoice: EInvoice, creditor_name: str, creditor_vat: str) -> str:
    seller = invoice.seller
    if seller.vat_number and creditor_vat:
        same = _vat_key(seller.vat_number, "") == _vat_key(creditor_vat, "")
    elif seller.name and creditor_name:
        same = company_key(seller.name) == company_key(creditor_name)
    else:
        return ""
    if same:
        return ""
    shown = shown_value(seller.name, NAME_CHARS) if seller.name else "onbekend"
    if seller.vat_number:
        shown += f", btw-nummer {shown_value(seller.vat_number)}"
    ours = creditor_name or "uw bedrijf"
    if creditor_vat:
        ours += f", btw-nummer {creditor_vat}"
    return (
        f"Let op: de verkoper in deze e-factuur ({shown}) is niet uw bedrijf ({ours}); "
        "controleer of dit wel uw eigen verkoopfactuur is."
    )


@locks_workbook
def import_invoices(
    book: str | Path | BookSource,
    files: Sequence[str | Path],
    *,
    now: datetime | None,
    as_of: date,
) -> ImportResult:
    """Add e-invoices (UBL Invoice/CreditNote) to the workbook.

    Args:
      book: the workbook file, or the book open in Excel.
      files: the UBL files, one invoice or credit note each.
      now: the current time (for the backup's name).
      as_of: today; an invoice dated after it is refused, as the workbook would report it.
    Returns:
      Per file what was added, refused or wrong. The workbook is saved (after a backup) only
      when something was added. Raises :class:`ValidationFailed` when the workbook itself has
      problems, and the errors of :func:`check_writable` when it cannot be written now.
    """
    loaded = read_book(book, as_of)
    documents = _documents(files)
    # a file whose rows the workbook would not take -> its invoice number and why
    refused: dict[_Document, tuple[str, str]] = {}
    while True:  # each turn refuses at least one more file, or ends
        batch = _Batch(loaded.data, as_of, refused)
        for document in documents:
            batch.add(document)
        batch.add_waiting()
        batch.credited_invoices()
        results = _zips_without_invoices(batch.results)
        if not batch.invoice_rows:
            return ImportResult(path=loaded.path, files=results, saved=False)
        try:
            copy = write_back(loaded, as_of, now, batch.changes(), refresh=False).backup
        except Refused as exc:
            files_refused = batch.files_refused(exc.issues, exc.placement)
            if files_refused is None:  # a problem no file of the batch brought
                raise
            refused.update(files_refused)
            continue
        return ImportResult(path=loaded.path, files=results, saved=True, backup=copy)


@dataclass(frozen=True, slots=True)
class _Document:
    """An e-invoice to read: a file given (``member`` ""), or a file in a zip given (its name
    in the zip, and its ``data``); ``problem``: why the zip ``path`` is not read at all."""

    path: Path
    member: str = ""
    data: bytes | None = field(default=None, compare=False, repr=False)
    problem: str = ""

    @property
    def name(self) -> str:
        """Return the name a message shows (``facturen.zip/2026-0101.xml``)."""
        shown = shown_name(self.path)
        return f"{shown}/{self.member}" if self.member else shown


def _documents(files: Sequence[str | Path]) -> list[_Document]:
    """Return the e-invoices to read: each file given, and for a zip the files in it (each
    read whole; :func:`..inputs.zip_members`). What cannot be read (a folder, a missing file)
    is left to :func:`..einvoice.read_einvoice`, which says what is wrong."""
    documents: list[_Document] = []
    for file in files:
        path = Path(file)
        data = _zip_bytes(path)
        if data is None:
            documents.append(_Document(path))
            continue
        try:
            found = zip_members(
                data,
                max_files=MAX_ZIP_FILES,
                max_bytes=MAX_ZIP_BYTES,
                documents="e-facturen",
                damaged="vraag de afzender om het opnieuw te sturen",
                too_large="dat zijn geen e-facturen",
            )
        except ZipRefused as exc:
            documents.append(_Document(path, problem=exc.problem))
            continue
        if not found:
            documents.append(_Document(path, problem="het zip-bestand is leeg"))
        documents += [_Document(path, name, content) for name, content in found]
    return documents


def _zip_bytes(path: Path) -> bytes | None:
    """Return the bytes of ``path`` when it is a zip file that is no Office file (at most
    :data:`MAX_ZIP_BYTES`), else None (also when it cannot be read: the reader says why)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with path.open("rb") as handle:
            if other_kind(handle.read(4)) != ZIP:
                return None
        data = read_limited(path, MAX_ZIP_BYTES)
    except (OSError, NotAFile, TooLarge):
        return None
    return data if is_zip(data) else None


def _xml_or_pdf(data: bytes) -> bool:
    """Return whether a file in a zip could be an e-invoice: XML (after a byte order mark and
    white space, or in UTF-16) or a PDF."""
    return starts_as_xml(data) or data[:2] in (b"\xff\xfe", b"\xfe\xff") or is_pdf(data)


def _zips_without_invoices(results: list[FileResult]) -> tuple[FileResult, ...]:
    """Return ``results`` with the files of a zip that holds no e-invoice at all replaced by
    one error for the zip that names them."""
    inside: dict[Path, list[str]] = {}
    for result in results:
        if result.member:
            inside.setdefault(result.file, []).append(result.member)
    empty = {
        path
        for path in inside
        if all(r.status == NOT_AN_INVOICE for r in results if r.member and r.file == path)
    }
    out: list[FileResult] = []
    for result in results:
        if not result.member or result.file not in empty:
            out.append(result)
        elif not out or out[-1].file != result.file:  # the zip's first file: the zip's error
            problem = (
                f"het zip-bestand bevat geen e-factuur (wel {name_list(inside[result.file])}); "
                "geef de e-facturen zelf (UBL- of CII-XML-bestanden, of Factur-X- of "
                "ZUGFeRD-PDF's)"
            )
            message = EInvoiceError(shown_name(result.file), "", problem).message
            out.append(
                FileResult(
                    file=result.file,
                    status="fout",
                    messages=(f"{message} Er is niets uit dit bestand ingelezen.",),
                )
            )
    return tuple(out)


class _Batch:
    """The files of one import: what each brought, and the rows to add."""

    def __init__(
        self,
        data: read.WorkbookData,
        as_of: date,
        refused: dict[_Document, tuple[str, str]] | None = None,
    ) -> None:
        self.data, self.as_of = data, as_of
        self.refused = refused or {}  # files an earlier turn found the workbook refuses
        self.existing = {number.casefold(): row for number, row in data.invoice_rows.items()}
        # number (casefold) -> the amount on Facturen or in this batch (below zero: a credit
        # note): a credit note with an invoice's number is another document, no duplicate
        self.amounts = {i.number.casefold(): i.amount for i in data.invoices}
        # invoice number (casefold) -> (the number as written, its customer), for a credit
        # note that names it: this batch's, and the workbook's (looked up only when a credit
        # note names an invoice)
        self.owners: dict[str, tuple[str, str]] = {}
        self.book_owners: dict[str, tuple[str, str]] | None = None
        self.customers = _Customers(dict(data.debtors))
        self.seen: dict[str, str] = {}  # invoice number (casefold) -> file name, this batch
        self.results: list[FileResult] = []
        self.invoice_rows: list[dict[str, object]] = []
        self.customer_rows: list[dict[str, object]] = []
        self.sources: list[_Document] = []  # the file of each invoice row
        self.customer_sources: list[_Document] = []  # the file that brought each new customer
        # the credit notes that name an invoice, with their Facturen row, by their place in results
        self.credit_notes: dict[int, tuple[EInvoice, dict[str, object]]] = {}
        # payment reference (compact) -> the invoice that has it: the workbook's (made on
        # first use) and this batch's
        self.references: dict[str, str] | None = None
        # the files whose unknown buyer could not be a new customer, by their place in results:
        # read again after the others, which may bring that buyer (add_waiting)
        self.waiting: list[tuple[int, _Document]] = []

    def changes(self) -> Changes:
        """Return the rows to add: the new customers and the invoices."""
        changes = Changes()
        changes.add_rows(schema.KLANTEN, self.customer_rows)
        changes.add_rows(schema.FACTUREN, self.invoice_rows)
        return changes

    def files_refused(
        self, issues: Sequence[Issue], placement: Placement | None
    ) -> dict[_Document, tuple[str, str]] | None:
        """Return the files whose rows hold the problems the workbook check found (a due date
        before the rate table of the customer's law, ...), each with its invoice number and
        the first of them; None when a problem is in no row this batch adds."""
        if placement is None:
            return None
        at = {
            (schema.FACTUREN.name, row): source
            for row, source in zip(placement.appended(schema.FACTUREN), self.sources, strict=True)
        }
        at |= {
            (schema.KLANTEN.name, row): source
            for row, source in zip(
                placement.appended(schema.KLANTEN), self.customer_sources, strict=True
            )
        }
        numbers = {
            source: str(row["number"])
            for row, source in zip(self.invoice_rows, self.sources, strict=True)
        }
        found: dict[_Document, tuple[str, str]] = {}
        for issue in issues:
            source = at.get((issue.source.sheet, issue.source.row))
            if source is None:
                return None
            column = f", kolom {issue.source.column}" if issue.source.column else ""
            why = (
                f"Het werkboek neemt deze factuur niet aan (blad {issue.source.sheet}{column}): "
                f"{issue.message} Er is niets uit dit bestand ingelezen."
            )
            found.setdefault(source, (numbers.get(source, ""), why))
        return found or None

    def add(self, source: _Document, *, may_wait: bool = True) -> None:
        """Read one file; add its invoice (and its new customer) or say why not (``may_wait``:
        an unknown buyer that cannot be a new customer waits for :meth:`add_waiting`)."""
        at = {"file": source.path, "member": source.member}
        if source in self.refused:
            number, why = self.refused[source]
            self.results.append(FileResult(**at, status="fout", invoice=number, messages=(why,)))
            return
        try:
            invoice = self.read(source)
        except EInvoiceError as exc:
            if source.member and isinstance(exc, OtherFile | NotUbl):  # a PDF copy, a README
                self.results.append(
                    FileResult(**at, status=NOT_AN_INVOICE, messages=(f"{exc.problem}.",))
                )
                return
            message = f"{exc.message} Er is niets uit dit bestand ingelezen."
            self.results.append(FileResult(**at, status="fout", messages=(message,)))
            return
        try:
            _in_euro(invoice, _where(invoice.number, self.existing, self.seen))
            _not_twice(invoice, self.existing, self.seen, self.amounts, self.other_buyer(invoice))
            _check(invoice, self.as_of)
            _not_to_ourselves(invoice, self.data.creditor)
            _something_to_collect(invoice)
            customer, is_new, how = _buyer(invoice, self.customers)
        except (_Duplicate, _Refused, _NothingDue) as exc:
            if may_wait and isinstance(exc, _UnknownBuyer):
                self.waiting.append((len(self.results), source))
            status = _STATUS[type(exc)]
            self.results.append(
                FileResult(**at, status=status, invoice=invoice.number, messages=(exc.message,))
            )
            return
        if is_new:
            self.customers.new[str(customer["number"])] = customer
            self.customer_rows.append(customer)
            self.customer_sources.append(source)
        record, notes = _invoice_row(invoice, customer, is_new, how, self.customers, self.data)
        notes += self.reference_taken(record)
        if invoice.is_credit_note and invoice.billing_reference:
            self.credit_notes[len(self.results)] = (invoice, record)
        self.owners[invoice.number.casefold()] = (invoice.number, str(customer["number"]))
        self.seen[invoice.number.casefold()] = source.name
        self.amounts[invoice.number.casefold()] = invoice.amount
        self.invoice_rows.append(record)
        self.sources.append(source)
        self.results.append(
            FileResult(
                **at,
                status="toegevoegd",
                invoice=invoice.number,
                customer=str(customer["number"]),
                new_customer=is_new,
                amount=invoice.amount,
                due_date=record["due_date"],  # type: ignore[arg-type]
                messages=tuple(notes),
            )
        )

    def reference_taken(self, record: dict[str, object]) -> list[str]:
        """Leave out the payment reference of a new Facturen row when another invoice (on
        Facturen, or earlier in this batch) has it already, and say so; register it otherwise.

        The workbook gives each invoice a reference of its own and refuses two invoices that
        share a typed one (:func:`..core.references.unique_references`): a sender that puts
        the same reference on every invoice of a customer made the next ``bijwerken`` stop.
        Credit notes are left alone, as the workbook leaves them (nothing is paid on one).
        """
        text = str(record["reference"] or "")
        amount = record["amount"]
        if not text or not isinstance(amount, Decimal) or amount <= 0:
            return []
        creditor = self.data.creditor
        found = stored_reference(text, national_kind(str(creditor.country)))
        if found is None:
            return []
        if self.references is None:
            data = self.data
            self.references = reference_owners(data.invoices, data.debtors, creditor)
        number = str(record["number"])
        other = self.references.setdefault(found.value, number)
        if other.casefold() == number.casefold():
            return []
        record["reference"] = ""
        row = self.existing.get(other.casefold())
        where = f"op het blad Facturen, rij {row}" if row else "eerder in deze reeks"
        return [
            f"Het betalingskenmerk {found.display} in de e-factuur is al het kenmerk van factuur "
            f"{other} ({where}); het is niet overgenomen, want een betaling met dat kenmerk "
            f"hoort bij één factuur. Factuur {number} krijgt bij 'bijwerken' een eigen "
            f"kenmerk; een betaling met {found.display} gaat naar factuur {other}. Vraag de "
            "afzender zo nodig om een eigen kenmerk per factuur."
        ]

    def add_waiting(self) -> None:
        """Read again each file whose unknown buyer could not be a new customer, now that every
        other file is read: a later file (in the order of names in a zip) may have brought
        that buyer as a new customer. Without this a MINIMUM file before its buyer's first
        full invoice was refused, and the same files given again added it (the result hung on
        the order)."""
        for k, source in self.waiting:
            at = len(self.results)
            self.add(source, may_wait=False)
            self.results[k] = self.results.pop()
            if at in self.credit_notes:
                self.credit_notes[k] = self.credit_notes.pop(at)
        self.waiting = []

    def read(self, source: _Document) -> EInvoice:
        """Return the e-invoice of a file given or of a file in a zip; raise
        :class:`..einvoice.EInvoiceError` when it cannot be read."""
        settings = {
            "month_end": self.data.settings.einvoice_month_end,
            "country": str(self.data.creditor.country),
        }
        if source.problem:
            raise EInvoiceError(source.name, "", source.problem)
        if source.data is None:
            return read_einvoice(source.path, **settings)
        if is_zip(source.data):
            raise EInvoiceError(
                source.name,
                "",
                "een zip-bestand in het zip-bestand wordt niet gelezen; pak het uit en geef de "
                "e-facturen die erin zitten",
            )
        if not _xml_or_pdf(source.data):  # a README, a CSV: nothing of an e-invoice
            raise OtherFile(source.name, "", "dit is geen XML-bestand en geen PDF")
        return parse_einvoice(source.data, source=source.name, **settings)

    def credited_invoices(self) -> None:
        """Add to each credit note's messages what is wrong with the invoice it names, now
        that every file is read (that invoice may come later in the batch): another
        customer's, or on no sheet (:func:`_credited_invoice`). The invoice is named as Facturen
        writes it: the engine links a credit note to its invoice by the exact number, and
        "inv-0500" for INV-0500 went to the oldest open invoice instead."""
        for k, (invoice, record) in self.credit_notes.items():
            result = self.results[k]
            found = self.owner(invoice.billing_reference)
            if found is not None:
                record["credits"] = found[0]
            credit = found is not None and self.amounts.get(found[0].casefold(), Decimal(0)) < 0
            notes = _credited_invoice(
                invoice, result.customer, found[1] if found else None, credit_note=credit
            )
            if notes:
                self.results[k] = replace(result, messages=(*result.messages, *notes))

    def other_buyer(self, invoice: EInvoice) -> _OtherBuyer | None:
        """Return whose the invoice with this e-invoice's number on Facturen or earlier in the
        batch is, when its buyer is not that customer (recognised as another, or not at all);
        None when it is, or when the number is new."""
        found = self.owner(invoice.number)
        if found is None or not found[1]:
            return None
        owner = found[1]
        buyer = self.customers.find(invoice)
        if buyer is not None and buyer[0] == owner:
            return None
        number, how = buyer if buyer is not None else ("", "")
        return _OtherBuyer(
            owner=owner,
            owner_name=self.customers.name(owner),
            customer=number,
            customer_name=self.customers.name(number) if number else _buyer_name(invoice),
            how=how,
        )

    def owner(self, number: str) -> tuple[str, str] | None:
        """Return an invoice on Facturen or added by this batch (its number as written there,
        its customer), found with case ignored as the workbook compares numbers; or None."""
        key = number.casefold()
        if key in self.owners:
            return self.owners[key]
        if self.book_owners is None:
            self.book_owners = {
                i.number.casefold(): (i.number, i.debtor) for i in self.data.invoices
            }
        return self.book_owners.get(key)


@dataclass(frozen=True, slots=True)
class _OtherBuyer:
    """The customer of an invoice on Facturen (or earlier in the batch) whose number an
    e-invoice to another buyer has: ``customer`` is the buyer's customer number when it is
    recognised (``how``: by what), "" when it is no known customer (``customer_name``: the
    buyer's name in the file)."""

    owner: str
    owner_name: str
    customer: str
    customer_name: str
    how: str

    def refusal(self, kind: str, number: str, where: str) -> str:
        """Return why a document to another known customer is refused (``kind``: "Factuur"
        or "Creditnota", ``where``: where the number is)."""
        return (
            f"{kind} {number} staat al in {where} voor klant {self.owner} ({self.owner_name}), "
            f"maar deze e-factuur is gericht aan klant {self.customer} ({self.customer_name}, "
            f"herkend aan {self.how}): een ander document met hetzelfde nummer, geen dubbele. "
            f"Op het blad Facturen heeft elk nummer één regel: voer de {kind.lower()} zelf in "
            f"met een nummer dat er nog niet staat (bijvoorbeeld '{number}-2'). Er is niets "
            "uit dit bestand ingelezen."
        )

    def note(self, kind: str, *, also: bool) -> str:
        """Return the words, after a skipped duplicate's message, that its buyer is no known
        customer and not that invoice's (``also``: after another "Let op")."""
        who = f"de koper in deze e-factuur ({self.customer_name})"
        not_known = (
            f"niet herkend als klant {self.owner} ({self.owner_name}) van die {kind.lower()}"
        )
        return (
            (f" Ook is {who} {not_known}" if also else f" Let op: {who} is {not_known}")
            + "; is dit een ander document met hetzelfde nummer, voer het dan zelf in met een "
            "nummer dat er nog niet staat."
        )


def _where(number: str, existing: dict[str, int], seen: dict[str, str]) -> str:
    """Return where an invoice number is already, as a message names it: on Facturen (its
    row) or in a file earlier in the batch; "" when it is new."""
    key = number.casefold()
    if key in existing:
        return f"het werkboek (Facturen, rij {existing[key]})"
    if key in seen:
        return f"{seen[key]} in deze reeks"
    return ""


def _in_euro(invoice: EInvoice, where: str) -> None:
    """Refuse a document in another currency than the euro, before it is taken for a duplicate.

    An invoice in dollars whose number is on Facturen was skipped as a duplicate: the message
    spoke of a second copy and the user never heard it was in another currency. The currency
    refusal comes first; when the number is there already (``where``), the message says so too,
    with what to check.
    """
    if invoice.currency == "EUR":
        return
    kind = "Creditnota" if invoice.is_credit_note else "Factuur"
    number = shown_value(invoice.number)
    there = (
        f"Het nummer staat al in {where}: controleer daar of die regel het bedrag in euro "
        "noemt; een tweede regel met dit nummer is niet nodig."
        if where
        else f"Vraag de afzender om de {kind.lower()} in euro, of zet haar zelf met het bedrag "
        "in euro op het blad Facturen."
    )
    raise _Refused(
        f"{kind} {number} is in {shown_value(invoice.currency)}; debiteuren rekent alleen in "
        f"euro. {there} Er is niets uit dit bestand ingelezen."
    )


def _not_twice(
    invoice: EInvoice,
    existing: dict[str, int],
    seen: dict[str, str],
    amounts: dict[str, Decimal],
    other_buyer: _OtherBuyer | None = None,
) -> None:
    """Skip a document whose number is on Facturen or earlier in the batch (a duplicate), and
    refuse one whose number is another kind of document's there, or another customer's.

    A credit note with an invoice's number (or an invoice with a credit note's) is no
    duplicate: Belgian and other sellers number their credit notes in a series of their own
    (credit note 2026-0012 beside invoice 2026-0012). Skipping it as a duplicate lost the credit
    without a word; Facturen holds one row per number, so the file is refused with what to do.
    A duplicate with another amount (an invoice corrected and sent again under its number) is
    skipped with a word about the difference: the amount on Facturen stays, and may be wrong.
    A document with the number of another known customer's invoice (``other_buyer``: the
    seller numbered two invoices alike) is no duplicate either: skipped as one, the claim on
    the second customer was lost with a message that it was already there; it is refused with
    both customers named. One whose buyer is no known customer is skipped as before (a
    customer typed in by hand may be written otherwise than the file writes it), with a word
    that the buyer is not that invoice's customer.
    """
    where = _where(invoice.number, existing, seen)
    if not where:
        return
    key = invoice.number.casefold()
    number = shown_value(invoice.number)  # as the messages quote it
    credit, known = invoice.is_credit_note, amounts.get(key)
    if known is None or (known < 0) == credit:
        kind = "Creditnota" if credit else "Factuur"
        if other_buyer is not None and other_buyer.customer:
            raise _Refused(other_buyer.refusal(kind, number, where))
        other = (
            f" Let op: ze noemt een ander bedrag ({euro(invoice.amount)}) dan daar "
            f"({euro(known)}); is dit een verbeterde versie, pas het bedrag dan zelf aan."
            if known is not None and known != invoice.amount
            else ""
        )
        if other_buyer is not None:
            other += other_buyer.note(kind, also=bool(other))
        raise _Duplicate(
            f"{kind} {number} staat al in {where}; deze e-factuur is overgeslagen.{other}"
        )
    this, other = ("Creditnota", "factuur") if credit else ("Factuur", "creditnota")
    raise _Refused(
        f"{this} {number} heeft hetzelfde nummer als een {other} in {where}, maar is een ander "
        f"document en geen dubbele. Op het blad Facturen heeft elk nummer één regel: voer de "
        f"{this.lower()} zelf in met een nummer dat er nog niet staat (bijvoorbeeld "
        f"'{'CN' if credit else 'F'} {number}'). Er is niets uit dit bestand ingelezen."
    )


def _check(invoice: EInvoice, as_of: date) -> None:
    """Refuse a text too long for a cell, a number too long, an invoice dated after today (a
    currency other than the euro is refused before, by :func:`_in_euro`)."""
    number = shown_value(invoice.number)  # as the messages quote it
    too_long = _too_long(invoice)
    if too_long:
        most = whole_number(EXCEL_MAX_TEXT)
        raise _Refused(
            f"Een tekst in deze e-factuur ({too_long}) is langer dan {most} tekens, meer dan "
            "Excel in een cel bewaart. Er is niets uit dit bestand ingelezen."
        )
    if len(invoice.number) > MAX_NUMBER_CHARS:
        length = whole_number(len(invoice.number))
        raise _Refused(
            f"Het factuurnummer '{number}' ({invoice.element('number')}) is {length} tekens "
            f"lang; debiteuren neemt een factuurnummer van hoogstens {MAX_NUMBER_CHARS} tekens "
            "aan (een echt factuurnummer is veel korter). Vraag de afzender om een juiste "
            "factuur. Er is niets uit dit bestand ingelezen."
        )
    if invoice.issue_date > as_of:
        raise _Refused(
            f"De factuurdatum {short_date(invoice.issue_date)} van factuur {number} "
            f"ligt na vandaag ({short_date(as_of)}). Er is niets uit dit bestand "
            "ingelezen."
        )


def _something_to_collect(invoice: EInvoice) -> None:
    """Skip a document whose amount due (BT-115) is zero: an invoice paid in full beforehand
    (PrepaidAmount is the total), a credit note settled already, or a document of € 0,00.
    There is nothing to collect or to credit; an open invoice of € 0,00 on Facturen would only
    stand in the way (a payment "for" it, a letter that lists it)."""
    if invoice.payable_amount != 0:
        return
    credit = invoice.document == "CreditNote" or invoice.amount.is_signed()  # -0.00 too
    kind = "Creditnota" if credit else "Factuur"
    if invoice.prepaid_amount:
        why = (
            f"is al helemaal voldaan: het vooruitbetaalde bedrag {euro(invoice.prepaid_amount)} "
            "is het hele bedrag, en er is niets meer te betalen"
        )
    else:
        why = "vraagt geen betaling: het te betalen bedrag is € 0,00"
    raise _NothingDue(
        f"{kind} {shown_value(invoice.number)} {why} ({invoice.element('payable')}). Ze is "
        "niet op het blad Facturen gezet: er is niets te innen of te verrekenen. Er is niets uit "
        "dit bestand ingelezen."
    )


def _part_paid(invoice: EInvoice) -> bool:
    """Return True when an invoice's words that say it is paid may be about a part: it has a
    prepaid amount, or the words name an amount that is neither the amount due nor the total."""
    amounts = named_amounts(invoice.paid_statement)
    whole = {invoice.payable_amount, invoice.tax_inclusive_amount}
    return bool(invoice.prepaid_amount) or bool(amounts and whole.isdisjoint(amounts))


def _paid_warning(invoice: EInvoice) -> list[str]:
    """Return the warning about an invoice whose payment terms or notes say it is paid
    ("reeds voldaan", "Betrag dankend erhalten": a counter sale the seller's program wrote with
    its full amount due) while its amount due says it is open.

    It is added for its amount due all the same: that is the invoice's own figure, and the
    words are free text read by phrases, which can misread a sentence about something else
    ("Goods remain our property until paid in full" is left out, others may not be). A claim
    skipped on such a reading would be gone from the record without a trace; added with this
    warning, the user books the payment (or removes the row) before any letter goes out. A
    credit note's words may be about the credit paid out; with a prepaid part, or another
    amount in the words ("Reeds betaald: € 500,00"), they may be about a part."""
    if not invoice.paid_statement:
        return []
    said = f"('{invoice.paid_statement}', {invoice.paid_statement_element})"
    number = shown_value(invoice.number)
    if invoice.is_credit_note:
        return [
            f"Let op: creditnota {number} zegt dat er al betaald is {said}. Is het tegoed al "
            "aan de klant terugbetaald, boek die terugbetaling dan op het blad Betalingen; "
            "anders telt het tegoed twee keer."
        ]
    if not _part_paid(invoice):
        return [
            f"Let op: factuur {number} zegt dat ze al betaald is {said}, maar noemt een te "
            f"betalen bedrag van {euro(invoice.payable_amount)} ({invoice.element('payable')}) "
            "zonder vooruitbetaald bedrag; ze is voor dat bedrag ingelezen. Is ze al betaald "
            "(bijvoorbeeld contant of per pin), boek die betaling dan op het blad Betalingen "
            "voordat er een herinnering uitgaat; staat er iets anders bedoeld, dan hoeft u "
            "niets te doen."
        ]
    if not invoice.prepaid_amount:
        return [
            f"Let op: factuur {number} zegt dat er al betaald is {said}, maar noemt een ander "
            f"bedrag dan het te betalen bedrag {euro(invoice.payable_amount)}; ze is voor dat "
            "bedrag ingelezen. Is er al een deel betaald, boek dat dan op het blad Betalingen."
        ]
    total = invoice.tax_inclusive_amount
    of_total = f"van het bedrag inclusief btw {euro(total)} " if total is not None else ""
    return [
        f"Let op: factuur {number} zegt dat ze al betaald is {said}, maar {of_total}is "
        f"{euro(invoice.prepaid_amount or Decimal(0))} vooruitbetaald en "
        f"{euro(invoice.payable_amount)} nog te betalen; ze is voor dat bedrag ingelezen. Is "
        "ze helemaal betaald, boek de betaling dan op het blad Betalingen."
    ]


def _credited_invoice(
    invoice: EInvoice, customer: str, owner: str | None, *, credit_note: bool = False
) -> list[str]:
    """Return the message about a credit note whose invoice (BT-25) is not its customer's:
    another customer's (its buyer, or the invoice it names, is not what it seems), on
    neither Facturen nor this batch (an invoice paid before the workbook was started, or not
    yet entered), or a credit note itself (``credit_note``; the workbook says so at the next
    ``bijwerken``, the import said nothing). Each way the credit goes to the credit note's
    customer like a payment, to the oldest open invoice, not to the document it names.
    ``owner``: the customer of the invoice it names, or None when that invoice is on neither."""
    named = invoice.billing_reference
    if credit_note:
        return [
            f"Let op: creditnota {invoice.number} crediteert {shown_value(named)}, maar dat is "
            "zelf een creditnota; ze verlaagt dus geen factuur en gaat als betaling naar de "
            f"oudste openstaande factuur van klant {customer} (zonder openstaande factuur is ze "
            "een tegoed). Vul bij Crediteert factuur de factuur in die ze crediteert."
        ]
    if owner == customer:
        return []
    if owner is None:
        return [
            f"Let op: creditnota {invoice.number} crediteert factuur {shown_value(named)}, "
            "maar die staat niet op het blad Facturen; de creditnota gaat dus als betaling "
            f"naar de oudste openstaande factuur van klant {customer} (zonder openstaande "
            "factuur is ze een tegoed). Staat die factuur nog open, zet haar dan op Facturen: "
            "dan verlaagt de creditnota haar."
        ]
    return [
        f"Let op: creditnota {invoice.number} crediteert factuur {shown_value(named)}, maar "
        f"die staat op klant {owner}, niet op {customer}; ze verlaagt die factuur dus niet. "
        "Controleer de koper en de factuur die ze noemt, en verbeter Klantnr of Crediteert "
        "factuur."
    ]


def _not_to_ourselves(invoice: EInvoice, creditor: Creditor) -> None:
    """Refuse an invoice whose buyer is the business on Instellingen (the same VAT number or
    KvK/KBO number, or, when the buyer gives neither, the same name): a purchase invoice,
    which would become a claim on ourselves. (A small supplier often names the buyer only:
    such an invoice became a new customer with the business's own name.)"""
    country = str(creditor.country)
    ours = _vat_key(creditor.vat_number, country)
    theirs = _buyer_vat(invoice, invoice.buyer.country or country)
    registration = _buyer_registration(invoice, country) if country in _COUNTRIES else ""
    how = ""
    if ours and theirs == ours:
        how = f"btw-nummer {creditor.vat_number}"
    elif creditor.registration and country in _COUNTRIES:
        key = _registration_key(creditor.registration)
        if key and _registration_key(registration) == key:
            how = f"KvK/KBO-nummer {creditor.registration}"
    if not how and not theirs and not registration and _has_our_name(invoice, creditor):
        how = "naam, en geen btw- of KvK/KBO-nummer"
    if how:
        raise _Refused(
            f"Factuur {invoice.number} is gericht aan uw eigen bedrijf (de koper, "
            f"{_buyer_name(invoice)}, heeft uw {how}): dit is een "
            "inkoopfactuur, geen vordering op een klant. Er is niets uit dit bestand ingelezen."
        )


def _has_our_name(invoice: EInvoice, creditor: Creditor) -> bool:
    """Return True when the buyer's legal or trading name is the business's own (legal form,
    case, dots and spaces aside: "De Letterzetter BV" is "De Letterzetter B.V.")."""
    ours = company_key(normalize_code(creditor.name))
    names = (invoice.buyer.name, invoice.buyer.trading_name)
    return bool(ours) and any(company_key(normalize_code(n)) == ours for n in names if n)


def _buyer_name(invoice: EInvoice) -> str:
    """Return the buyer's name as a refusal quotes it."""
    name = invoice.buyer.name
    return shown_value(name, NAME_CHARS) if name else "zonder naam"


def _too_long(invoice: EInvoice) -> str:
    """Return the element of a text that is too long for an Excel cell, or ""."""
    buyer = invoice.buyer
    texts = {
        "number": (invoice.number,),
        "description": (invoice.description,),
        "payment_id": (invoice.payment_id,),
        "billing_reference": (invoice.billing_reference,),
        "buyer_name": (buyer.name, buyer.trading_name),
        # one Adres cell holds both streets (_Customers.record)
        "buyer_address": (_street(buyer), buyer.postcode, buyer.city),
        "buyer_contact": (buyer.contact, buyer.email, buyer.phone),
        "buyer_endpoint": (_buyer_email(invoice)[0],),  # an e-mail address there is taken
    }
    for name, values in texts.items():
        if any(len(value) > EXCEL_MAX_TEXT for value in values):
            return invoice.element(name)
    return ""


def _buyer(invoice: EInvoice, customers: _Customers) -> tuple[dict[str, object], bool, str]:
    """Return the buyer's customer record, whether it is new, and how it was recognised.

    A new customer is made (not yet registered) only when the buyer's country and name allow.
    """
    found = customers.find(invoice)
    if found is not None:
        number, how = found
        if number in customers.new:
            return customers.new[number], False, f"herkend aan {how}"
        debtor = customers.debtors[number]
        return {"number": debtor.number, "name": debtor.name}, False, f"herkend aan {how}"
    number, country = invoice.number, invoice.buyer.country
    if not country:
        minimum = (
            " (een Factur-X- of ZUGFeRD-bestand van het profiel MINIMUM heeft geen adres van de "
            "koper)"
            if invoice.minimum_profile
            else ""
        )
        raise _UnknownBuyer(
            f"Bij factuur {number} ontbreekt het land van de koper "
            f"({invoice.element('buyer_country')}){minimum}; voeg de "
            "klant eerst zelf toe op het blad Klanten. Er is niets uit dit bestand ingelezen."
        )
    if country_code(country) is None:
        raise _UnknownBuyer(
            f"De koper van factuur {number} ({_buyer_name(invoice)}) heeft "
            f"landcode '{shown_value(country)}', en dat is geen land (ISO 3166); voeg de klant "
            "eerst zelf toe op het blad Klanten. Er is niets uit dit bestand ingelezen."
        )
    if not invoice.buyer.name:
        raise _UnknownBuyer(
            f"Bij factuur {number} ontbreekt de naam van de koper "
            f"({invoice.element('buyer_name')}). Er is niets uit dit bestand "
            "ingelezen."
        )
    namesake = customers.namesake(invoice)
    how = (
        f"nieuwe klant; klant {namesake} heeft dezelfde naam maar een ander KvK/KBO- of btw-nummer"
        if namesake
        else "nieuwe klant"
    )
    return customers.record(invoice), True, how


def _due(
    invoice: EInvoice, customer: dict[str, object], is_new: bool, customers: _Customers
) -> tuple[date | None, list[str]]:
    """Return the due date (from the invoice, else the customer's term, else 30 days) and
    the notes that say where it came from."""
    due = invoice.due_date
    if due is None and not invoice.is_credit_note:
        term = customers.term(str(customer["number"])) if not is_new else None
        days = term if term is not None else DEFAULT_TERM_DAYS
        due = invoice.issue_date + timedelta(days=days)
        why = (
            f"de betaaltermijn van de klant ({days} dagen)"
            if term is not None
            else f"de standaardtermijn van {DEFAULT_TERM_DAYS} dagen"
        )
        if invoice.terms_not_read:
            quoted = f" '{quote_terms(invoice.payment_terms)}'" if invoice.payment_terms else ""
            return due, [
                f"De betalingsvoorwaarden{quoted} zijn niet "
                f"gelezen: {invoice.terms_not_read}. De vervaldatum is gezet op {short_date(due)}: "
                f"factuurdatum plus {why}. Controleer die en pas hem aan als de voorwaarden "
                "iets anders zeggen."
            ]
        terms = (
            f" en de betalingsvoorwaarden '{quote_terms(invoice.payment_terms)}' noemen geen "
            "termijn in dagen"
            if invoice.payment_terms
            else ""
        )
        return due, [
            f"De e-factuur noemt geen vervaldatum{terms}; de vervaldatum is gezet op "
            f"{short_date(due)}: factuurdatum plus {why}. Pas die aan als u iets "
            "anders afsprak."
        ]
    if invoice.due_date_source == "PaymentTerms":
        return due, [
            f"De vervaldatum {short_date(due)} is afgeleid uit de betalingsvoorwaarden "  # type: ignore[arg-type]
            f"'{quote_terms(invoice.payment_terms)}': {invoice.terms_reading}."
        ]
    return due, []


def _account_warning(invoice: EInvoice, iban: str, own_ibans: Sequence[str]) -> str:
    """Return the warning about an invoice that asks to be paid to an account that is none of
    the business's own (BT-84 against IBAN and "Andere eigen rekeningen (IBAN)" on
    Instellingen); "" when it names one of them, names none, or Instellingen has no IBAN.

    Under factoring the seller's program writes the factor's account there, without a payee
    party (BG-10) or a factored type code: the invoice was imported without a word, and every
    reminder then asked for payment to the business's own account. A credit note is left out:
    its account (when given) is where the seller pays the credit back.
    """
    if invoice.is_credit_note or not iban or not invoice.payee_accounts:
        return ""
    own = {compact_account(i) for i in own_ibans} | {compact_account(iban)}
    if own.intersection(invoice.payee_accounts):
        return ""
    accounts = invoice.payee_accounts
    theirs = ", ".join(_account_shown(a) for a in accounts[:3]) + (
        f" en nog {len(accounts) - 3}" if len(accounts) > 3 else ""
    )
    which = "rekening" if len(accounts) == 1 else "rekeningen"
    return (
        f"Let op: factuur {shown_value(invoice.number)} vraagt betaling op {which} {theirs} "
        f"({invoice.element('payee_account')}), niet op uw rekening {_account_shown(iban)} "
        "(Instellingen, IBAN). Herinneringen en brieven van debiteuren noemen uw rekening. "
        "Moet de klant aan een factor of een ander betalen, haal de factuur dan weg van het "
        "blad Facturen; is de rekening wel van u, zet haar dan op Instellingen bij 'Andere "
        "eigen rekeningen (IBAN)'."
    )


def _account_shown(account: str) -> str:
    """Return an account for a message: an IBAN in groups of four, another number as given."""
    compact = compact_account(account)
    if is_valid_iban(compact):
        return " ".join(compact[k : k + 4] for k in range(0, len(compact), 4))
    return shown_value(account, 40)


def _invoice_row(
    invoice: EInvoice,
    customer: dict[str, object],
    is_new: bool,
    how: str,
    customers: _Customers,
    data: read.WorkbookData,
) -> tuple[dict[str, object], list[str]]:
    """Return the Facturen record of an e-invoice and the messages about it."""
    due, notes = _due(invoice, customer, is_new, customers)
    notes = [*invoice.warnings, *_paid_warning(invoice), *notes]
    warning = _seller_warning(invoice, data.creditor.name, data.creditor.vat_number)
    if warning:
        notes.append(warning)
    warning = _account_warning(invoice, data.creditor.iban, data.own_ibans)
    if warning:
        notes.append(warning)
    reference = (
        invoice.payment_reference.display if invoice.payment_reference else invoice.payment_id
    )
    note = f"Ingelezen uit e-factuur {invoice.source}"
    if invoice.billing_reference:
        about = "creditnota op" if invoice.is_credit_note else "verwijst naar"
        note += f"; {about} factuur {invoice.billing_reference}"
    if invoice.prepaid_amount:
        note += f"; vooruitbetaald {euro(invoice.prepaid_amount)}"
    record: dict[str, object] = {
        "number": invoice.number,
        "debtor": customer["number"],
        "invoice_date": invoice.issue_date,
        "due_date": due,
        "amount": invoice.amount,
        "description": invoice.description,
        "is_credit_note": YES if invoice.is_credit_note else NO,
        "credits": invoice.billing_reference if invoice.is_credit_note else "",
        "disputed": NO,
        "reference": reference,
        "note": cell_text(note),  # the billing reference may fill a cell already
    }
    kind = "creditnota" if invoice.is_credit_note else "factuur"
    due_text = (
        f", vervalt {short_date(due)}" if due is not None and not invoice.is_credit_note else ""
    )
    booked = (
        f"tegoed van {euro(-invoice.amount)} (op Facturen {euro(invoice.amount)})"
        if invoice.is_credit_note
        else euro(invoice.amount)
    )
    first = [
        f"{kind.capitalize()} {invoice.number} toegevoegd: {booked}{due_text}, "
        f"klant {customer['number']} {shown_value(str(customer['name']), NAME_CHARS)} ({how})."
    ]
    if is_new:
        first += _new_customer_notes(invoice, customer, data)
    return record, first + notes


def _new_customer_notes(
    invoice: EInvoice, customer: dict[str, object], data: read.WorkbookData
) -> list[str]:
    """Return the messages about a customer the import adds: who, and what was left out."""
    country = str(customer["country"])
    notes = [
        f"Klant {customer['number']} toegevoegd op het blad Klanten: "
        f"{country_name(country)}, onderneming, taal {customer['language']}."
        + _law_note(country, data)
    ]
    vat = _buyer_vat(invoice, country)
    problem = read.vat_problem(vat, country) if vat else ""
    if problem:
        notes.append(f"Btw-nummer niet overgenomen: {problem}")
    email, where = _buyer_email(invoice)
    problem = email_problem(email)
    if problem:
        notes.append(
            f"E-mailadres niet overgenomen: {problem} ({where}); "
            "vul het juiste adres zelf in op het blad Klanten."
        )
    elif where == invoice.element("buyer_endpoint"):
        notes.append(
            f"E-mailadres {shown_value(email, NAME_CHARS)} overgenomen uit het elektronisch "
            f"adres van de koper ({where}, schema {EAS_EMAIL}): daar ontvangt zij haar "
            "e-facturen; er staat geen contactpersoon met een e-mailadres in de e-factuur."
        )
    return notes
