"""Read e-invoices: UBL 2.1 (Peppol BIS Billing 3.0 Invoice and CreditNote) and UN/CEFACT CII.

CII (``rsm:CrossIndustryInvoice``, the XML of Factur-X/ZUGFeRD and XRechnung CII) is read by
:class:`_CiiReader` into the same :class:`EInvoice`, from the same business terms (BT-...) in
their EN 16931-3-3 places; what follows names the UBL elements.

Pure: bytes in, an :class:`EInvoice` out; nothing here touches the workbook. Since 1 January 2026
a Belgian B2B invoice is a structured e-invoice (Peppol BIS Billing 3.0, EN 16931), so the UBL
file is the source of truth for the receivable (``shared/domain/payments.md`` §5). Sources:
OpenPEPPOL, *Peppol BIS Billing 3.0* (docs.peppol.eu/poacc/billing/3.0), its syntax bindings
``ubl-invoice.xml`` and ``ubl-creditnote.xml``, and the EAS code list (``eas.xml``).

What is read (BT = EN 16931 business term):

* root ``Invoice`` (``urn:oasis:names:specification:ubl:schema:xsd:Invoice-2``) or ``CreditNote``
  (``…:CreditNote-2``), also inside a Peppol ``StandardBusinessDocument`` envelope (which may
  carry a CII ``CrossIndustryInvoice`` as well: Peppol BIS Billing 3.0 has both syntaxes);
* ``cbc:ID`` (BT-1, invoice number), ``cbc:IssueDate`` (BT-2), ``cbc:DocumentCurrencyCode``
  (BT-5), ``cbc:CustomizationID`` (BT-24), ``cbc:BuyerReference`` (BT-10),
  ``cac:OrderReference/cbc:ID`` (BT-13), ``cac:BillingReference/cac:InvoiceDocumentReference/
  cbc:ID`` (BT-25, the invoice a credit note corrects);
* the due date (BT-9): ``cbc:DueDate`` (Invoice), else ``cac:PaymentMeans/cbc:PaymentDueDate``
  (CreditNote) or the UBL 2.1 ``cac:PaymentTerms/cbc:PaymentDueDate`` and
  ``cbc:InstallmentDueDate`` (one date; several are not guessed), else a term in
  ``cac:PaymentTerms/cbc:Note`` (BT-20, "30 dagen", "Payment within 10 days", "netto 30 dagen"
  before "2% korting binnen 8 dagen", "30 jours fin de mois", "binnen veertien dagen", "within
  a month"; only the clauses about paying, not "Levering binnen 2 weken", nor a grace period;
  or a fixed day of the following month, "bis zum 15. des Folgemonats") counted from the issue
  date
  (:func:`read_payment_terms`); None when none of them is there, or when the terms name several
  terms or dates that cannot be ranked (``terms_not_read`` says so);
* ``cac:LegalMonetaryTotal/cbc:PayableAmount`` (BT-115, the amount due), ``TaxInclusiveAmount``
  (BT-112), ``PrepaidAmount`` (BT-113), ``PayableRoundingAmount`` (BT-114); the amount due must
  be BT-112 - BT-113 + BT-114 (EN 16931 rule BR-CO-16) and every total must be in the document's
  currency, else the file is refused; a credit note's amount is returned negative (one with a
  negative amount due is refused: Peppol reads it as a payment by the customer, some senders as
  a credit), and so is an Invoice whose ``cbc:InvoiceTypeCode`` (BT-3) is a credit note's (381,
  ...);
* per ``cac:TaxTotal/cac:TaxSubtotal`` (BG-23): ``cbc:TaxableAmount``, ``cbc:TaxAmount``,
  ``cac:TaxCategory/cbc:ID`` and ``cbc:Percent``;
* buyer and seller (``cac:AccountingCustomerParty/cac:Party``, ``cac:AccountingSupplierParty/
  cac:Party``): ``cbc:EndpointID`` with ``@schemeID`` (0208 Belgian enterprise number, 0106 Dutch
  KvK, 9925 Belgian VAT, 9944 Dutch VAT, EM an e-mail address, …),
  ``cac:PartyLegalEntity/cbc:RegistrationName`` and ``cbc:CompanyID``,
  ``cac:PartyTaxScheme/cbc:CompanyID``, ``cac:PostalAddress`` (street, additional street and
  address line, postcode, city,
  ``cac:Country/cbc:IdentificationCode``), ``cac:Contact`` (name, phone, e-mail);
* ``cac:PaymentMeans/cbc:PaymentID`` (BT-83): a Belgian OGM (``+++123/4567/89002+++`` or the 12
  digits), an RF creditor reference or a Dutch betalingskenmerk is recognised with
  :mod:`debiteuren.core.references`; other text is kept as it is; of several different ones
  (one per ``cac:PaymentMeans``) the first, with a warning;
* ``cac:PayeeParty/cac:PartyName/cbc:Name`` (BT-59): a payee other than the seller (a factor),
  or the type code of a factored invoice (393), gives a warning; a pro forma invoice (325)
  claims no payment and is refused;
* words in the payment terms or a note (``cbc:Note``, BT-22) that say the invoice is paid
  ("reeds voldaan", "Betrag dankend erhalten": :func:`paid_statement`);
* the first line's ``cac:Item/cbc:Name`` as a description.

A Factur-X or ZUGFeRD 2 PDF (PDF/A-3) is read by the CII XML attached to it
(:mod:`debiteuren.facturx`); the PDF's text is not read.

Safety: entities are not resolved, nothing is fetched from the network, and a document with a
``DOCTYPE`` is refused (no Peppol document has one). Every problem raises an
:class:`EInvoiceError` whose Dutch sentence names the file and the element.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from lxml import etree

from .core import references
from .core.model import YEARS, YEARS_NOTE
from .core.money import MAX_AMOUNT, Decimal, money
from .core.rules import add_months
from .errors import DebiteurenError, quoted, system_error
from .facturx import NoInvoiceInPdf, invoice_xml, is_pdf
from .filenames import shown_name
from .formatting import euro, short_date, whole_number
from .inputs import (
    EXCEL,
    PDF,
    WORD,
    ZIP,
    NotAFile,
    TooLarge,
    is_csv,
    name_list,
    other_kind,
    read_limited,
    zip_contents,
)
from .untrusted import (
    company_key,
    has_doctype,
    normalize_code,
    quoted_value,
    shows_nothing,
    visible_text,
)

__all__ = [
    "DAYS_THEN_MONTH_END",
    "MONTH_END_THEN_DAYS",
    "WORKING_DAYS",
    "EInvoice",
    "EInvoiceError",
    "InvalidValue",
    "MissingElement",
    "NotUbl",
    "NotWellFormed",
    "OtherFile",
    "Party",
    "RefusedXml",
    "TermsReading",
    "VatBreakdown",
    "compact_account",
    "named_amounts",
    "paid_statement",
    "parse_einvoice",
    "quote_terms",
    "read_einvoice",
    "read_payment_terms",
    "shown_value",
]

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
_SBDH_NS = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
_CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"

_UBL_BUYER = "cac:AccountingCustomerParty/cac:Party"
_CII_BUYER = (
    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty"
)
#: Where each syntax keeps the fields the import names in its messages (False: UBL, True: CII).
_ELEMENTS = {
    False: {
        "number": "cbc:ID",
        "description": "cac:InvoiceLine/cac:Item/cbc:Name",
        "payment_id": "cac:PaymentMeans/cbc:PaymentID",
        "billing_reference": "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",
        "buyer_name": f"{_UBL_BUYER}/cac:PartyLegalEntity/cbc:RegistrationName",
        "buyer_address": f"{_UBL_BUYER}/cac:PostalAddress",
        "buyer_country": f"{_UBL_BUYER}/cac:PostalAddress/cac:Country",
        "buyer_contact": f"{_UBL_BUYER}/cac:Contact",
        "buyer_email": f"{_UBL_BUYER}/cac:Contact/cbc:ElectronicMail",
        "buyer_endpoint": f"{_UBL_BUYER}/cbc:EndpointID",
        "payable": "cac:LegalMonetaryTotal/cbc:PayableAmount",
        "payee_account": "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID",
    },
    True: {
        "number": "rsm:ExchangedDocument/ram:ID",
        "description": "ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedTradeProduct/ram:Name",
        "payment_id": "ram:ApplicableHeaderTradeSettlement/ram:PaymentReference",
        "billing_reference": "ram:InvoiceReferencedDocument/ram:IssuerAssignedID",
        "buyer_name": f"{_CII_BUYER}/ram:Name",
        "buyer_address": f"{_CII_BUYER}/ram:PostalTradeAddress",
        "buyer_country": f"{_CII_BUYER}/ram:PostalTradeAddress/ram:CountryID",
        "buyer_contact": f"{_CII_BUYER}/ram:DefinedTradeContact",
        "buyer_email": f"{_CII_BUYER}/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication",
        "buyer_endpoint": f"{_CII_BUYER}/ram:URIUniversalCommunication/ram:URIID",
        "payable": "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:DuePayableAmount",
        "payee_account": "ram:SpecifiedTradeSettlementPaymentMeans/"
        "ram:PayeePartyCreditorFinancialAccount/ram:IBANID",
    },
}

#: The totals (BG-22) that carry a currency, in the order of the UBL schema.
_TOTALS = (
    "LineExtensionAmount",
    "TaxExclusiveAmount",
    "TaxInclusiveAmount",
    "AllowanceTotalAmount",
    "ChargeTotalAmount",
    "PrepaidAmount",
    "PayableRoundingAmount",
    "PayableAmount",
)
#: Document type codes (UNTDID 1001, BT-3) of a credit note, as Peppol BIS Billing 3.0 lists
#: them for a CreditNote (rule PEPPOL-EN16931-P0101), and the French CIUS's 502 and 503.
_CREDIT_TYPE_CODES = frozenset(
    {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "502", "503", "532"}
)

#: The document type code (UNTDID 1001, BT-3) of a corrected invoice: it may replace the
#: invoice it names (BT-25) or add to it, and the file does not say which.
_CORRECTED = "384"

#: The document type code (UNTDID 1001, BT-3) of an invoice assigned to a third party for
#: collection ("factored invoice"; a factored credit note, 396, asks no payment).
_FACTORED = frozenset({"393"})

#: The document type code of a pro forma invoice (UNTDID 1001: "a preliminary invoice ... but
#: not actually claiming payment").
_PRO_FORMA = "325"

#: An OGM written in its groups with spaces, dots or hyphens instead of slashes
#: ("202.6020.30627").
_OGM_GROUPS = re.compile(r"\d{3}([ .-])\d{4}\1\d{5}")

#: The largest file read (a Peppol message is limited to 100 MB; an invoice is far smaller).
MAX_BYTES = 50 * 1024 * 1024

#: The most tags (``<``) a file may hold. Each element costs libxml2 a hundred bytes or more:
#: 50 MB of empty elements took 1.5 GB to parse. An invoice of 30,000 lines has about 1.2
#: million; its attachments (base64) have none.
MAX_TAGS = 4_000_000

#: Electronic address schemes (EAS code list) that carry a registration or VAT number.
EAS_BE_ENTERPRISE = "0208"
EAS_NL_KVK = "0106"
EAS_BE_VAT = "9925"
EAS_NL_VAT = "9944"
#: The scheme of an electronic address that is an e-mail address (EAS "EM", "Electronic mail";
#: XRechnung's buyers often give their invoice mailbox so).
EAS_EMAIL = "EM"
#: The schemes older senders still write for these (Peppol BIS 2 scheme names, and 9956,
#: "BE:CBE", the Belgian enterprise number's code until 0208 replaced it; removed from the
#: Peppol code list on 31 December 2023): read as the current code.
_EAS_ALIASES = {
    "9956": EAS_BE_ENTERPRISE,
    "BE:CBE": EAS_BE_ENTERPRISE,
    "BE:EN": EAS_BE_ENTERPRISE,
    "NL:KVK": EAS_NL_KVK,
    "BE:VAT": EAS_BE_VAT,
    "NL:VAT": EAS_NL_VAT,
    # the register's name as e-fff (the Belgian UBL 2.0 format) writes it in schemeAgencyName
    "KBO": EAS_BE_ENTERPRISE,
    "BCE": EAS_BE_ENTERPRISE,
    "KVK": EAS_NL_KVK,
    "EM": EAS_EMAIL,  # also written "em"
}
#: The schemes of a party identifier (BT-46, ``cac:PartyIdentification``) that are a
#: registration number.
_REGISTRATION_SCHEMES = (EAS_BE_ENTERPRISE, EAS_NL_KVK)
#: The scheme of a Dutch government's organisation number (EAS 0190, OIN), and the OIN of an
#: organisation whose main number is its KvK number: prefix 00000003, the 8 digits, suffix
#: 0000 (Logius, OIN-stelsel, "Samenstelling OIN"; prefix 00000001 is an RSIN, no KvK number).
EAS_NL_OIN = "0190"
_OIN_KVK = re.compile(r"00000003(\d{8})0000")

#: An amount or percentage (xs:decimal). ASCII digits only, as the schema has them: Python's
#: ``\d`` and ``Decimal`` take the digits of every script, and some look like other digits
#: (Bengali '৪' is 4 and looks like 8: '৪00.00' was booked as € 400,00).
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
#: A UBL date (xs:date, with its zone when it has one). The date of a date and time
#: ("2026-10-09T00:00:00", "2026-10-09T00:00:00.000+02:00"), as .NET's XmlSerializer and Java's
#: JAXB write a date field that is not marked as a date, is the date written.
_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:\d{2})?",
    re.ASCII,  # as _DECIMAL
)
_NET = r"(?:netto|nett|nets?)"
#: The unit of a term in calendar days, as a word, and abbreviated: the "d" of "30 d", the
#: Dutch "dgn" and "dg." ("14 dgn"), the German "Tg." ("30 Tg. netto") and the French "j" and
#: "jrs" ("45j FDM", "30 jrs"). Not working days ("werkdagen", "jours ouvrables", "jours
#: ouvrés", "10 j ouvrés", "working days", "business days", "Werktage", "Arbeitstage"): they are
#: no calendar days.
_DAYS = r"(?:kalenderdagen|dagen|dag|calendar\s+days|days?|jours?(?!\s+ouvr)|tagen?)\b"
_UNIT = rf"(?:{_DAYS}|(?:d|dgn|dg|tge?|jrs|j)\b(?!\.?\s+ouvr))"
#: The dot of an abbreviated unit before a word in lower case ("30 Tg. netto", "30 dgn. na
#: factuurdatum"): no end of a clause. Before a capital or a number ("14 dgn. 2% korting
#: binnen 8 dgn.") it may end a sentence, and stays.
_UNIT_DOT = re.compile(r"(\b\d{1,3}\s*(?i:dgn|dg|tge?|jrs|j|d))\.(?=\s*[a-zäöüßàâçéèêëîïôûùœ])")
#: A term in weeks ("binnen 2 weken", "2 weeks", "2 semaines", "2 Wochen"): seven days each.
_WEEKS = r"(?:weken|week|weeks?|semaines?|wochen?)\b"
#: A term in calendar months ("2 maanden", "2 months", "1 mois", "1 Monat", "een
#: kalendermaand", "a calendar month", "eines Kalendermonats"): the same day of the later month,
#: or its last day when it has no such day.
_MONTHS = (
    r"(?:(?:kalender)?(?:maanden|maand)|(?:calendar\s+)?months?|mois|"
    r"(?:kalender)?(?:monate?n?|monats))\b"
)
#: The usual terms written in words (Dutch, English, German, French): "binnen een maand",
#: "binnen veertien dagen", "within thirty days", "innerhalb eines Monats", "à trente jours".
#: Only these; a word of two parts may be written with a hyphen or a space ("vingt et un").
_NUMBER_WORDS = {
    1: "een één eén one ein eine einen einem einer eines un une",
    2: "twee two zwei deux",
    3: "drie three drei trois",
    4: "vier four quatre",
    7: "zeven seven sieben sept",
    8: "acht eight huit",
    10: "tien ten zehn dix",
    14: "veertien fourteen vierzehn quatorze",
    15: "vijftien fifteen fünfzehn quinze",
    20: "twintig twenty zwanzig vingt",
    21: "eenentwintig twenty-one einundzwanzig vingt-et-un vingt-et-une",
    28: "achtentwintig twenty-eight achtundzwanzig vingt-huit",
    30: "dertig thirty dreißig dreissig trente",
    45: "vijfenveertig forty-five fünfundvierzig quarante-cinq",
    60: "zestig sixty sechzig soixante",
    90: "negentig ninety neunzig quatre-vingt-dix",
}
_NUMBER_OF_WORD = {
    word: number for number, words in _NUMBER_WORDS.items() for word in words.split()
}
#: A number word right before a unit of a term ("veertien dagen", "d'un mois"; not "one
#: percent", nor the "d" of "30 d": "un d'accord" is no term).
_NUMBER_WORD = re.compile(
    r"\b(?:"
    + "|".join(
        r"[\s-]+".join(map(re.escape, word.split("-")))
        for word in sorted(_NUMBER_OF_WORD, key=len, reverse=True)
    )
    + rf")(?=\s*(?:{_DAYS}|{_WEEKS}|{_MONTHS}))",
    re.IGNORECASE,
)
#: The English article as the length of a term: "within a month", "in a week" ("within an
#: hour" is no term in days and is left alone). Only after "within" or "in": "1% a month" and
#: "interest after a month" are no term.
_ARTICLE = re.compile(rf"\b(within|in)\s+an?\s+(?=(?:{_DAYS}|{_WEEKS}|{_MONTHS}))", re.IGNORECASE)
#: The end of the month in payment terms: "einde maand", "maandeinde", "fin de mois", "fin du
#: mois", "FDM" (its French abbreviation: "45 jours FDM"), "end of month", "EOM", "Monatsende",
#: "Ende des Monats".
_MONTH_END_WORDS = (
    r"(?:einde?\s+(?:van\s+de\s+)?maand|maandeinde|fin\s+(?:d[eu]\s+)?mois|fdm|"
    r"end\s+of\s+(?:the\s+)?month|month[\s-]?end|eom|monatsende|ende\s+des\s+monats)\b"
)
#: The end of the month right after a term: "30 dagen einde maand", "30 days after the end of
#: the month", "30 Tagen zum Monatsende", "Net 30 EOM".
_MONTH_END = (
    r"\s*(?:(?:na|vanaf|after|from|nach|ab|zum|bis\s+zum|at|à\s+la)\s+)?(?:het\s+|the\s+)?"
    + _MONTH_END_WORDS
)
#: A term in the payment terms text: "30 dagen", "netto 30 Tage", "30 jours net", "net 30",
#: "30 dagen einde maand", "30 jours fin de mois", "30 days end of month", "Net 30 EOM", "2
#: weken", "2 maanden", and two terms that share their words ("netto 30 of 60 dagen": 30 and
#: 60 days). "10 werkdagen" is no term in calendar days and is not matched.
_TERM = re.compile(
    rf"(?:\b(?P<net_before>{_NET})\s+)?"
    r"(?:(?P<other_days>\d{1,3})\s+(?:of|or|ou|oder)\s+)?"
    rf"(?P<days>\d{{1,3}})\s*(?:{_UNIT}|(?P<weeks>{_WEEKS})|(?P<months>{_MONTHS}))"
    rf"(?P<net_after>\s+{_NET}\b)?"
    rf"(?P<month_end>{_MONTH_END})?"
    rf"|\b(?P<net_bare>{_NET})\s*(?P<bare_days>\d{{1,3}})\b(?!\s*%)"
    rf"(?P<bare_month_end>{_MONTH_END})?",
    re.IGNORECASE,
)
#: The end of the month named elsewhere than right after a term ("einde maand + 30 dagen",
#: "30 Tage, Monatsende", "30 Tage ultimo"): which due date it gives is not guessed.
_OTHER_MONTH_END = re.compile(rf"\b(?:{_MONTH_END_WORDS}|(?:monats)?ultimo\b)", re.IGNORECASE)
#: What joins two terms of one clause: "netto 30 dagen of 60 dagen".
_OR = re.compile(r"\s*(?:of|or|ou|oder)\s*", re.IGNORECASE)
#: A grace period: time the creditor allows after the due date ("One day grace", "5 days'
#: grace", "grace period of 5 days", "Respijttermijn 7 dagen", "3 dagen respijt", "Nachfrist
#: von 10 Tagen", "Karenzzeit 5 Tage", "délai de grâce de 5 jours", "8 jours de grâce").
_GRACE_WORD = (
    r"(?:grace(?:\s+period)?|d[ée]lai\s+de\s+gr[âa]ce|gr[âa]ce|respijt\w*|coulance\w*|"
    r"gratie(?:periode|termijn)|nachfrist\w*|karenz\w*|kulanz\w*)"
)


def _length(side: str) -> str:
    """Return a pattern of a term's length in digits with its unit, its groups named for
    ``side`` ("a_days", "a_weeks", "a_months")."""
    return (
        rf"(?P<{side}days>\d{{1,3}})\s*"
        rf"(?:{_DAYS}|(?P<{side}weeks>{_WEEKS})|(?P<{side}months>{_MONTHS}))"
    )


#: A term that is a grace period, right before or after the word (the term in digits).
_GRACE = re.compile(
    rf"{_length('a_')}'?\s+(?:(?:of|de|van|von)\s+)?{_GRACE_WORD}\b"
    rf"|\b{_GRACE_WORD}\s*(?:(?:of|van|von|de|d'|:|-)\s*)?{_length('b_')}",
    re.IGNORECASE,
)
#: A number in brackets right before the unit, "binnen dertig (30) dagen": read as the term.
_BRACKETED = re.compile(
    rf"\(\s*(\d{{1,3}})\s*\)(?=\s*(?:{_UNIT}|{_WEEKS}|{_MONTHS}))", re.IGNORECASE
)
#: Where one term of a text ends and the next begins: punctuation, "anders", "otherwise", ...
#: (not the Dutch "of": it is also the English "end of month"; nor "or", "ou", "oder" right
#: after a number: "30 or 60 days" are two terms of one clause)
_CLAUSE = re.compile(
    r"[;,.:()\n]|\b(?:anders|otherwise|else|sinon|sonst)\b|(?<!\d\s)\b(?:or|ou|oder)\b",
    re.IGNORECASE,
)
#: A clause that names a discount for early payment in words or as "2/10" ("2% korting",
#: "Skonto", "escompte").
_DISCOUNT_WORD = re.compile(
    r"\b\d{1,2}\s*/\s*\d{1,3}\b|korting|discount|skonto|escompte|remise|rabatt|kredietbeperking",
    re.IGNORECASE,
)
#: A text about a discount: in words, as "2/10" or as a percentage.
_DISCOUNT = re.compile("%|" + _DISCOUNT_WORD.pattern, re.IGNORECASE)
#: A percentage ("2%", "1,5 %", "50%"): its whole number.
_PERCENT = re.compile(r"(\d{1,3})(?:[.,]\d+)?\s*%")
#: XRechnung's structured discount line in BT-20 (KoSIT, "#SKONTO#TAGE=14#PROZENT=2.00#", with
#: "BASISBETRAG=…#" when the discount is on part of the amount; rule BR-DE-18): a term for a
#: discount, never the due date.
_SKONTO_LINE = re.compile(
    r"#SKONTO#TAGE=(\d{1,3})#PROZENT=\d{1,3}(?:\.\d+)?#(?:BASISBETRAG=-?\d+(?:\.\d+)?#)?",
    re.IGNORECASE,
)
#: Words that make the terms a payment in parts even without a percentage: "50% vooraf, rest
#: binnen 14 dagen", "het restant", "Restbetrag", "the remainder", "le reste", "in 3
#: termijnen van 30 dagen", "in drei Raten", "in 3 instalments" ("termijn" alone is a period;
#: one instalment, "en 1 fois", is the whole amount).
_IN_PARTS = re.compile(
    r"\b(?:rest|restant|restbedrag|resterende|restbetrag|restlichen?|remainder|remaining|reste)"
    r"\b|\b(?:[2-9]|[1-9]\d)\s+(?:termijnen|raten|instal?lments|mensualit[ée]s|[ée]ch[ée]ances|fois|"
    r"teilzahlungen)\b",
    re.IGNORECASE,
)
#: "the balance" of an amount a share of which is due earlier ("30% Now, Balance 60 Days", an
#: Odoo payment term): a part, when the text names a share of :data:`INSTALMENT_PERCENT` or more
#: ("Balance due in 30 days" alone is the whole amount).
_BALANCE = re.compile(r"\b(?:balance|saldo|solde|restsaldo)\b", re.IGNORECASE)
#: Terms counted from something else than the invoice date or the end of its month, which
#: neither reading of "einde maand" gives: the end of a later month ("10 Days after End of Next
#: Month", "30 jours fin de mois suivant") or a fixed day of the month ("90 days, on the 10th",
#: "30 jours fin de mois le 10"). Not guessed.
_OTHER_START = (
    (
        re.compile(
            r"\b(?:next|following)\s+month\b|\bvolgende\s+(?:kalender)?maand\b|\bmois\s+suivant\b|"
            r"\bfolgemonats?\b|\bn[äa]chsten\s+monats?\b",
            re.IGNORECASE,
        ),
        "ze noemen naast de termijn de volgende maand (zoals in '10 Days after End of Next "
        "Month'); welke vervaldatum dat geeft, wordt niet geraden",
    ),
    (
        re.compile(
            r"\bon\s+the\s+\d{1,2}(?:st|nd|rd|th)\b|\ble\s+\d{1,2}(?:er)?\b(?!\s*[./\-]\s*\d)|"
            r"\bop\s+de\s+\d{1,2}(?:e|ste|de)\b|\b(?:am|zum)\s+\d{1,2}\.(?!\s*\d)",
            re.IGNORECASE,
        ),
        "ze noemen naast de termijn een vaste dag van de maand (zoals 'on the 10th' of 'le "
        "10'); welke vervaldatum dat geeft, wordt niet geraden",
    ),
)
#: Where a clause of the payment terms ends, for :func:`_payment_clauses`: ".", "!" or "?"
#: before a space or at the end (not the dots of "30.11.2026"), ";", a new line, and "," before
#: a space (not "1,5 %"). A clause is only left out when it is clearly about something else, so
#: a comma splits safely ("Levering binnen 2 weken, betaling binnen 30 dagen").
_SENTENCE = re.compile(r"([.!?](?=\s|\Z)|[;\n]|,(?=\s))")
#: Words of a clause about something else than paying: delivery, warranty, an offer's validity,
#: reminders, complaints, returns, cancelling and the period a subscription covers ("Levering
#: binnen 2 weken", "12 maanden garantie op onderdelen", "Le 1er rappel est gratuit", "Returns
#: accepted within 14 days", "Abonnement voor de volgende maand").
_OTHER_TOPIC = re.compile(
    r"\b(?:lever|aflever|geleverd|verzend|verzonden|deliver|ship|dispatch|liefer|ausgeliefer|"
    r"geliefert|versand|livr|expédi|garant|guarant|waarborg|warrant|gewährleist|geldig|gültig|"
    r"valid|valable|offer|quot(?:e|ation)\b|angebot|devis|herinner|aanman|remind|mahnung|rappel|"
    r"klacht|reclam|complain|reklam|mängel|réclam|contest|retour|return|rücksend|rückgabe|"
    r"widerruf|herroep|bedenktijd|rétract|annul|cancel|storn|abonne|abonnie|subscri)",
    re.IGNORECASE,
)
#: A reference to quote with the payment: a clause that asks for one ("Vermeld bij betaling het
#: factuurnummer", "Bitte geben Sie bei Zahlung die Rechnungsnummer an", "Please quote the
#: invoice number with your payment", "Merci d'indiquer le numéro de facture") is about the
#: transfer's text, not its day, when it says nothing of when to pay (:func:`_says_when`).
_REFERENCE_TO_QUOTE = re.compile(
    r"\b(?:factuurnummer|factuurnr|betalingskenmerk|kenmerk|referentie|klantnummer|mededeling|"
    r"rechnungsnummer|rechnungsnr|kundennummer|verwendungszweck|referenz|"
    r"invoice\s+(?:number|no)|reference|customer\s+number|"
    r"num[ée]ro\s+de\s+facture|référence|communication)\b",
    re.IGNORECASE,
)
#: The delivery as the day a payment term counts from ("30 dagen na levering", "30 Tage nach
#: Erhalt der Lieferung"; right after a unit "30 jours date de livraison", "within 30 days of
#: delivery", "30 jours suivant la livraison", but not "Date of delivery", "Date de
#: livraison"), and the general terms of sale named after the delivery
#: ("leveringsvoorwaarden", "Lieferbedingungen", "conditions générales de livraison"): no
#: clause about something else.
_COUNTED_FROM = re.compile(
    r"\b(?:(?:algemene\s+)?leverings?voorwaarden|(?:allgemeinen?\s+)?lieferbedingungen|"
    r"conditions\s+générales\s+de\s+livraison)\b|"
    r"(?:\b(?:na|vanaf|bij|after|from|on|upon|nach|ab|bei|seit|après|dès|à)|"
    r"\b(?:days?|weeks?|months?|jours|semaines|mois)\s+(?:of|following|suivant|date))\s+"
    r"(?:\S+\s+){0,3}?(?:lever|aflever|deliver|ship|dispatch|liefer|versand|livr|expédi|verzend)",
    re.IGNORECASE,
)
#: "netto", "net": a clause with a net term is about paying ("Net 30").
_NET_WORD = re.compile(rf"\b{_NET}\b", re.IGNORECASE)
#: The smallest share that is a part of the amount (an instalment: "50% binnen 14 dagen"),
#: not a discount for early payment (which is a few percent).
INSTALMENT_PERCENT = 20
#: The longest payment terms text that is read (a Peppol note of terms is a sentence or two).
MAX_TERMS_CHARS = 1000
#: The longest term read, in days: a longer one is a typing error more likely than a term.
MAX_TERM_DAYS = 365
#: How much of the payment terms a message quotes at most.
QUOTED_TERMS_CHARS = 200

#: Why terms that name the end of the month elsewhere than right after the term are not read.
MONTH_END_ELSEWHERE = (
    "ze noemen het einde van de maand, maar niet direct na de termijn (zoals in '30 dagen einde "
    "maand'); of de termijn vanaf het einde van de maand telt, wordt niet geraden"
)

#: Working days as the unit of a term: "10 werkdagen", "dix jours ouvrables", "10 j. ouvrés",
#: "10 working days", "10 business days", "10 Werktagen", "10 Arbeitstagen".
_WORKING_DAYS = re.compile(
    r"\b(?:werkdag(?:en)?|(?:jours?|j)\.?\s+ouvr(?:ables?|[ée]s?)|(?:working|business)\s+"
    r"days?|(?:werk|arbeits)tag(?:e|en)?)\b",
    re.IGNORECASE,
)

#: Why a term in working days gives no due date.
WORKING_DAYS = (
    "ze noemen een termijn in werkdagen, en die telt debiteuren niet (welke dagen vrij zijn, "
    "verschilt per bedrijf)"
)

#: How "30 dagen einde maand" is read (the setting "E-factuur: dagen einde maand").
MONTH_END_THEN_DAYS = "einde maand plus dagen"
DAYS_THEN_MONTH_END = "dagen dan einde maand"


class EInvoiceError(DebiteurenError):
    """An e-invoice cannot be read: not XML, not UBL, or a required element missing or wrong."""

    def __init__(self, source: str, where: str, problem: str) -> None:
        """Build the sentence.

        Args:
          source: the file name.
          where: the element, e.g. ``"cac:LegalMonetaryTotal/cbc:PayableAmount"`` or
            ``"regel 12"``; "" for the whole file.
          problem: what is wrong, a Dutch phrase without a final full stop.
        """
        self.source = source
        self.where = where
        self.problem = problem
        place = f" ({where})" if where else ""
        super().__init__(f"E-factuur '{source}'{place}: {problem}.")


class NotWellFormed(EInvoiceError):
    """The file is not (well-formed) XML."""

    def __init__(self, source: str, line: int, detail: str) -> None:
        super().__init__(
            source,
            f"regel {line}" if line else "",
            "dit is geen geldig XML-bestand; het is beschadigd of onvolledig. Vraag de afzender "
            f"om de factuur opnieuw te sturen {quoted(detail)}",
        )


class OtherFile(EInvoiceError):
    """The file is no XML but recognisably something else: a PDF, a zip, an Office file."""


class RefusedXml(EInvoiceError):
    """The XML uses a feature that is refused for safety (DOCTYPE, entities), or is too large."""


class NotUbl(EInvoiceError):
    """The XML is not a UBL Invoice or CreditNote (nor CII); ``problem`` replaces the whole
    sentence for an invoice in a format that is not read (ZUGFeRD 1.0)."""

    def __init__(self, source: str, root: str, hint: str = "", *, problem: str = "") -> None:
        extra = f"; {hint}" if hint else ""
        super().__init__(
            source,
            f"element {root}",
            problem
            or "dit XML-bestand is geen e-factuur of -creditnota: het hoofdelement moet Invoice "
            "of CreditNote zijn (UBL, Peppol BIS Billing 3.0) of CrossIndustryInvoice (UN/CEFACT "
            f"CII){extra}",
        )


class MissingElement(EInvoiceError):
    """A required element is missing or empty."""

    def __init__(self, source: str, element: str, meaning: str) -> None:
        super().__init__(source, element, f"{meaning} ontbreekt; dit element is verplicht")


class InvalidValue(EInvoiceError):
    """An element holds a value of the wrong kind (an amount that is no number, a bad date)."""

    def __init__(self, source: str, element: str, value: str, expected: str) -> None:
        super().__init__(source, element, f"'{shown_value(value)}' is {expected}")


#: How much of a wrong value a message quotes: a number of 200,000 digits was quoted whole.
QUOTED_VALUE_CHARS = 40


def _value_list(values: list[str], shown: int = 5) -> str:
    """Return values from the file as a message lists them: "2026-1, 2026-2", at most
    ``shown`` of them (each cut by :func:`shown_value`), then "en nog 7 andere"."""
    listed = ", ".join(shown_value(value) for value in values[:shown])
    return listed + (f" en nog {len(values) - shown} andere" if len(values) > shown else "")


def shown_value(value: str, limit: int = QUOTED_VALUE_CHARS) -> str:
    """Return a value from the file as a message quotes it: one line, at most ``limit``
    characters (:data:`QUOTED_VALUE_CHARS`; a name may take more), cut with "…".

    >>> shown_value("9" * 100)
    '999999999999999999999999999999999999999…'
    """
    return quoted_value(value, limit)


@dataclass(frozen=True, slots=True, kw_only=True)
class Party:
    """A buyer or seller as the e-invoice describes it; "" where an element is absent.

    Attributes:
      name: the legal name (``PartyLegalEntity/RegistrationName``), else the trading name.
      endpoint_id, endpoint_scheme: the Peppol electronic address and its EAS scheme
        (``0208`` Belgian enterprise number, ``0106`` KvK, ``9925``/``9944`` VAT number).
      registration, registration_scheme: ``PartyLegalEntity/CompanyID`` and its scheme.
      vat_number: ``PartyTaxScheme/CompanyID`` (e.g. ``BE0403170701``).
      country: the ISO 3166 code of the postal address, upper case.
    """

    name: str = ""
    trading_name: str = ""
    endpoint_id: str = ""
    endpoint_scheme: str = ""
    registration: str = ""
    registration_scheme: str = ""
    vat_number: str = ""
    street: str = ""
    additional_street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    contact: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class VatBreakdown:
    """One VAT subtotal (BG-23): per category and rate.

    Attributes:
      category: the VAT category code (UNCL5305: S standard, Z zero, E exempt, AE reverse charge,
        K intra-community, G export, O outside scope).
      percent: the rate in percent, or None when the subtotal gives none (category O).
    """

    category: str
    percent: Decimal | None
    taxable_amount: Decimal
    tax_amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class EInvoice:
    """What the collection needs from one UBL invoice or credit note.

    Attributes:
      source: the file name (for messages).
      document: ``"Invoice"`` or ``"CreditNote"``.
      number: the invoice number (BT-1).
      due_date: the due date, or None when the document gives neither a date nor a term in days.
      due_date_source: where ``due_date`` came from: ``"DueDate"``, ``"PaymentDueDate"``,
        ``"PaymentTerms"`` or "" (none).
      amount: the amount due (BT-115) as the Facturen sheet holds it: negative for a credit note.
      payable_amount: BT-115 as written in the document.
      payment_id: ``PaymentMeans/PaymentID`` as written ("" when absent).
      payment_reference: the structured reference found in ``payment_id``, or None.
      billing_reference: the invoice a credit note corrects (BT-25), or "": also when it names
        several (with a warning; an invoice that names several keeps them, comma-separated).
      description: the first line's item name, else the document note.
      warnings: Dutch sentences about things that look wrong but do not stop the import.
      terms_reading: how the due date was read from the payment terms (a Dutch phrase, see
        :func:`read_payment_terms`); "" when it did not come from them.
      terms_not_read: why the payment terms, which name terms in days, gave no due date (a
        Dutch phrase); "" otherwise. The due date is then None.
      paid_statement: the words of the payment terms (BT-20) or an invoice note (BT-22) that
        say the invoice is paid ("reeds voldaan", "Betrag dankend erhalten"), as written; "" when
        none does (see :func:`paid_statement`). ``paid_statement_element``: where they are.
      payee_accounts: the accounts the document asks to be paid to (BT-84, one per payment
        means), compact (no spaces, upper case), distinct, in order; () when it names none.
    """

    source: str
    document: str
    customization_id: str
    number: str
    issue_date: date
    due_date: date | None
    due_date_source: str
    payment_terms: str
    currency: str
    amount: Decimal
    payable_amount: Decimal
    tax_inclusive_amount: Decimal | None
    prepaid_amount: Decimal | None
    vat: tuple[VatBreakdown, ...]
    buyer: Party
    seller: Party
    payment_id: str
    payment_reference: references.PaymentReference | None
    billing_reference: str
    buyer_reference: str
    order_reference: str
    description: str
    warnings: tuple[str, ...] = ()
    terms_reading: str = ""
    terms_not_read: str = ""
    paid_statement: str = ""
    paid_statement_element: str = ""
    payee_accounts: tuple[str, ...] = ()

    @property
    def minimum_profile(self) -> bool:
        """Return True for a Factur-X/ZUGFeRD file of the MINIMUM profile (BT-24
        ``urn:factur-x.eu:1p0:minimum``, ZUGFeRD 2.0 ``urn:zugferd.de:2p0:minimum``): the
        header and totals of the invoice in the PDF, without lines, due date, payment terms,
        payment reference or the buyer's address."""
        return self.customization_id.lower().endswith(":minimum")

    @property
    def is_credit_note(self) -> bool:
        """Return True for a credit note (or a negative invoice): the amount is negative."""
        return self.amount < 0

    def element(self, field: str) -> str:
        """Return where this document's syntax keeps a field, for a message: "buyer_country"
        is ``cac:AccountingCustomerParty/.../cac:Country`` in UBL, ``.../ram:CountryID`` in
        CII (the keys of :data:`_ELEMENTS`)."""
        return _ELEMENTS[self.document == "CrossIndustryInvoice"][field]


@dataclass(frozen=True, slots=True, kw_only=True)
class TermsReading:
    """What a payment terms text (BT-20) says about the due date.

    Attributes:
      due_date: the due date it gives, or None.
      reading: how the due date was found, a Dutch phrase ("factuurdatum plus 30 dagen"); "".
      not_read: why the text gives no due date although it names terms in days, a Dutch phrase
        ("ze noemen meer dan één termijn: 14 en 30 dagen"); "" when it was read or names none.
    """

    due_date: date | None = None
    reading: str = ""
    not_read: str = ""


@dataclass(frozen=True, slots=True)
class _Term:
    """A term of the payment terms: ``days`` (a term in weeks as its days), or ``months``
    calendar months (then ``days`` is 0), from the invoice date or the end of its month."""

    days: int
    month_end: bool
    months: int = 0

    def __str__(self) -> str:
        if self.months:
            length = f"{self.months} {'maand' if self.months == 1 else 'maanden'}"
        else:
            length = f"{self.days} dagen"
        return length + (" einde maand" if self.month_end else "")

    @staticmethod
    def read(number: str, match: re.Match[str], month_end: bool) -> _Term:
        """Return the term ``number`` in the unit of a :data:`_TERM` match."""
        if match.group("months"):
            return _Term(0, month_end, int(number))
        return _Term(int(number) * (7 if match.group("weeks") else 1), month_end)


def read_payment_terms(
    text: str, issue: date, *, month_end: str = MONTH_END_THEN_DAYS
) -> TermsReading:
    """Read the due date from a payment terms text, counted from the invoice date.

    The net term wins over a term for a discount: "2% korting bij betaling binnen 8 dagen,
    anders netto 30 dagen", "2/10 net 30" and "Skonto 2% bei Zahlung innerhalb 10 Tagen, netto
    30 Tage" are 30 days. A term is *net* when "netto", "net" or "nets" stands next to it; a
    term is for a *discount* when its clause (up to a comma, semicolon, "anders", "otherwise",
    "oder", ...) speaks of one (%, "korting", "discount", "Skonto", "escompte", "2/10"), and
    so is XRechnung's structured line ``#SKONTO#TAGE=14#PROZENT=2.00#``. A term whose clause
    speaks of a part of the amount ("50% binnen 14 dagen", "rest binnen 14 dagen", "in 3
    termijnen van 30 dagen") is the term of a part: not read. Without
    a net term the one remaining term counts ("Betaling binnen 14 dagen"). A text that only asks
    for payment at once ("per omgaande", "Zahlbar sofort", "due on receipt", "à réception")
    gives the invoice date (:func:`_due_at_once`). When the text names
    more than one different term of the same rank, or only a discount term, nothing is guessed:
    ``not_read`` says why, and the caller uses its own fallback. A text without a term in days
    that names one day to pay by ("Zahlbar bis 30.11.2026") gives that day (:func:`_due_by_date`).
    Only the clauses about paying are read: one about a delivery, a warranty, a reminder, ...
    is left out (:func:`_payment_clauses`): "Levering binnen 2 weken, betaling binnen 30 dagen"
    is 30 days, and a text with only such a term gives no due date. A grace period is no term to
    pay in (:func:`_grace_periods`): "Payment 30 days. One day grace" is 30 days, and the
    reading says the grace period was left out. The usual terms are read in
    words as well ("binnen een maand", "within thirty days", "à trente jours":
    :data:`_NUMBER_WORDS`).

    "30 dagen einde maand" (fr. "30 jours fin de mois", en. "30 days end of month") is read in
    two ways in practice. The Dutch CBS payment codes count the days from the end of the month
    ("MAAND8: vervaldatum = 8 dagen na maandeinde", userguidescb.atlassian.net, 0416
    Betalingsregelingen), and so does most French guidance (lediffa.fr, "30 jours fin de mois":
    10 March -> 31 March + 30 days = 30 April); others add the days first and then go to the
    end of that month (edd-seriousgame.fr: 5 January + 30 days = 4 February -> 28 February),
    and French practice accepts both as long as the contract says which (fnaseph.org on the
    Banque de France's two methods). Hence the setting: ``month_end`` is
    :data:`MONTH_END_THEN_DAYS` (default: the end of the invoice month, then the days) or
    :data:`DAYS_THEN_MONTH_END` (the days, then the end of that month). Terms counted from the
    end of a later month ("10 Days after End of Next Month") or to a fixed day of the month
    ("90 days, on the 10th", "30 jours fin de mois le 10") are neither: not read. The end of the
    month is read right after the term ("30 Tagen zum Monatsende", "Net 30 EOM"); named
    elsewhere ("einde maand + 30 dagen", "30 Tage, Monatsende") it is not guessed
    (:data:`MONTH_END_ELSEWHERE`): read as the days alone, the due date would come before
    either reading.

    >>> terms = read_payment_terms("2% korting binnen 8 dagen, anders netto 30 dagen",
    ...                            date(2026, 10, 15))
    >>> terms.due_date, terms.reading
    (datetime.date(2026, 11, 14), 'factuurdatum plus de nettotermijn van 30 dagen')
    >>> read_payment_terms("30 dagen einde maand", date(2026, 10, 1)).due_date
    datetime.date(2026, 11, 30)
    >>> read_payment_terms("30 dagen einde maand", date(2026, 10, 1),
    ...                    month_end=DAYS_THEN_MONTH_END).due_date
    datetime.date(2026, 10, 31)
    """
    if len(text) > MAX_TERMS_CHARS:
        most = whole_number(MAX_TERMS_CHARS)
        return TermsReading(not_read=f"ze zijn te lang om te lezen (meer dan {most} tekens)")
    discount = [_Term(int(days), False) for days in _SKONTO_LINE.findall(text)]
    text = _BRACKETED.sub(r"\1", _SKONTO_LINE.sub(";", text) if discount else text)
    text = _NO_DISCOUNT.sub(" ", _UNIT_DOT.sub(r"\1", text))
    text, other = _payment_clauses(text)
    text, grace = _grace_periods(_in_digits(text))
    share = any(int(p) >= INSTALMENT_PERCENT for p in _PERCENT.findall(text))
    nets: list[_Term] = []
    plain: list[_Term] = []
    parts: list[_Term] = []
    month_end_elsewhere = False  # "einde maand + 30 dagen": not right after a term
    start = 0
    for clause_end in [m.start() for m in _CLAUSE.finditer(text)] + [len(text)]:
        clause = text[start:clause_end]
        start = clause_end + 1
        # "50% vooraf, rest binnen 14 dagen", "Restbetrag 14 Tage netto": terms of a part
        in_parts = bool(_IN_PARTS.search(clause) or (share and _BALANCE.search(clause)))
        month_end_elsewhere = month_end_elsewhere or bool(
            not _DISCOUNT.search(clause) and _OTHER_MONTH_END.search(_TERM.sub(" ", clause))
        )  # ("2% Skonto bis Monatsende" is the term of a discount)
        nets_here = parts if in_parts else nets
        # where the clause's terms without "netto" go, decided once per clause
        bucket: list[_Term] | None = parts if in_parts else None
        net_end = -1  # where the clause's last net term ends
        for match in _TERM.finditer(clause):
            if match.group("bare_days"):
                month_end_too = bool(match.group("bare_month_end"))
                nets_here.append(_Term(int(match.group("bare_days")), month_end_too))
                net_end = match.end()
                continue
            month_end_too = bool(match.group("month_end"))
            terms = [_Term.read(match.group("days"), match, month_end_too)]
            if match.group("other_days"):
                terms.insert(0, _Term.read(match.group("other_days"), match, month_end_too))
            if (
                match.group("net_before")
                or match.group("net_after")
                or (net_end >= 0 and _OR.fullmatch(clause, net_end, match.start()))
            ):  # "netto 30 dagen of 60 dagen": the second is a net term as well
                nets_here.extend(terms)
                net_end = match.end()
                continue
            if bucket is None:
                bucket = _clause_bucket(clause, plain, discount, parts)
            bucket.extend(terms)
    if parts:
        return TermsReading(not_read=_parts_not_read(list(dict.fromkeys(parts))))
    for pattern, why in _OTHER_START if nets or plain else ():
        if pattern.search(text):
            return TermsReading(not_read=why)
    if month_end_elsewhere and (nets or plain):
        return TermsReading(not_read=MONTH_END_ELSEWHERE)
    for terms, kind in ((nets, "nettotermijn"), (plain, "termijn")):
        distinct = list(dict.fromkeys(terms))
        if len(distinct) > 1:
            return TermsReading(not_read=f"ze noemen meer dan één {kind}: {_term_list(distinct)}")
        if distinct:
            (term,) = distinct
            if term.days > MAX_TERM_DAYS or term.months > 12:
                return TermsReading(
                    not_read=f"de termijn van {term} is langer dan een jaar "
                    f"({MAX_TERM_DAYS} dagen); dat is eerder een tikfout dan een betaaltermijn"
                )
            net = kind != "termijn" and bool(discount or _DISCOUNT.search(text))
            return _grace_left_out(_due_by_term(term, issue, month_end, net=net), grace)
    if discount:
        # XRechnung: the discount in its structured line, the day to pay net in words
        found = _due_next_month(text, issue) or _due_by_date(text, issue)
        if found.due_date is not None:
            reading = f"{found.reading} (de termijn voor korting telt niet mee)"
            return _grace_left_out(replace(found, reading=reading), grace)
        distinct = list(dict.fromkeys(discount))
        some = "termijnen" if len(distinct) > 1 else "een termijn"
        return TermsReading(
            not_read=f"ze noemen alleen {some} voor betaling met korting: {_term_list(distinct)}"
        )
    found = _due_at_once(text, issue) or _due_next_month(text, issue) or _due_by_date(text, issue)
    if found.due_date is None and not found.not_read and _OTHER_START[0][0].search(text):
        return TermsReading(not_read=_NEXT_MONTH_NOT_NAMED)
    if found.due_date is None and grace:
        return TermsReading(
            not_read=f"ze noemen alleen een respijttermijn ({_grace_list(grace)}), geen "
            "betaaltermijn"
        )
    if found.due_date is None and other:
        return TermsReading(
            not_read="ze noemen alleen een termijn voor iets anders dan de betaling "
            f"('{shown_value(other)}')"
        )
    if found.due_date is None and not found.not_read and _WORKING_DAYS.search(text):
        # the message said the terms named no term in days (session 26 review)
        return TermsReading(not_read=WORKING_DAYS)
    return _grace_left_out(found, grace)


def _grace_periods(text: str) -> tuple[str, list[_Term]]:
    """Return a terms text without its grace periods (:data:`_GRACE`, each cut to a clause
    end), and those periods. A grace period is time allowed after the due date, no term to
    pay in: "Payment 30 days. One day grace" is due in 30 days."""
    grace: list[_Term] = []

    def cut(match: re.Match[str]) -> str:
        side = "a_" if match.group("a_days") else "b_"
        number = int(match.group(f"{side}days"))
        if match.group(f"{side}months"):
            grace.append(_Term(0, False, number))
        else:
            grace.append(_Term(number * (7 if match.group(f"{side}weeks") else 1), False))
        return ";"

    return _GRACE.sub(cut, text), grace


def _grace_list(grace: list[_Term]) -> str:
    """Return grace periods as a message names them: "1 dag", "5 dagen en 7 dagen"."""
    names = [
        "1 dag" if (term.days, term.months) == (1, 0) else str(term)
        for term in dict.fromkeys(grace)
    ]
    return _listed(names, len(names), len(names))


def _grace_left_out(found: TermsReading, grace: list[_Term]) -> TermsReading:
    """Return a reading that says which grace periods it left out (none: as it is)."""
    if not grace or found.due_date is None:
        return found
    which = "respijttermijn" if len(set(grace)) == 1 else "respijttermijnen"
    counts = "telt" if len(set(grace)) == 1 else "tellen"
    return TermsReading(
        due_date=found.due_date,
        reading=f"{found.reading} (de {which} van {_grace_list(grace)} daarna {counts} niet mee)",
    )


def _in_digits(text: str) -> str:
    """Return a terms text with the lengths of its terms in words in digits: "binnen veertien
    dagen" is "binnen 14 dagen", "within a month" "within 1 month" (:data:`_NUMBER_WORDS`,
    :data:`_ARTICLE`)."""
    return _NUMBER_WORD.sub(_number, _ARTICLE.sub(r"\1 1 ", text))


def _number(word: re.Match[str]) -> str:
    """Return the number a :data:`_NUMBER_WORD` match names, in digits; the word as written
    when it is no word of the table in lower case ("ſeven", "EİN": letters that the pattern
    matches regardless of case, but that no lower case turns into the table's)."""
    number = _NUMBER_OF_WORD.get(re.sub(r"[\s-]+", "-", word.group().lower()))
    return str(number) if number is not None else word.group()


def _payment_clauses(text: str) -> tuple[str, str]:
    """Return the payment terms without their clauses about something else, and the first of
    those that names a term ("" when none).

    A clause (up to ".", ";", a new line or ", ") is about something else when it names a
    delivery, a warranty, a reminder, ... (:data:`_OTHER_TOPIC`, not as the day a term counts
    from: "30 dagen na levering") and no payment, net term or discount: "Levering binnen 2
    weken, betaling binnen 30 dagen" is 30 days, and the "le 1er" of "Le 1er rappel est
    gratuit" is no day of the month to pay on. A clause without such a word stays, even
    without a word about paying: "Betaling binnen 14 dagen. Voor particulieren 30 dagen." names
    two terms. A clause that only asks to quote a reference with the payment ("Bitte geben Sie
    bei Zahlung die Rechnungsnummer an") is left out too: "Zahlbar sofort ohne Abzug. Bitte
    geben Sie …" asks to pay at once.

    >>> _payment_clauses("Betaling binnen 30 dagen. 12 maanden garantie.")
    ('Betaling binnen 30 dagen..', '12 maanden garantie')
    """
    pieces = _SENTENCE.split(text)
    other = ""
    for i in range(0, len(pieces), 2):  # the clauses; the separators between them stay
        clause = pieces[i]
        if _about_something_else(clause):
            named = _TERM.search(_in_digits(clause))
            other = other or (clause.strip() if named else "")
            pieces[i] = ""
    return "".join(pieces), other


def _about_something_else(clause: str) -> bool:
    """Return True when a clause of the payment terms is about something else than paying
    (see :func:`_payment_clauses`), or only asks to quote a reference with the payment
    (:data:`_REFERENCE_TO_QUOTE`) and says nothing of when to pay."""
    if _REFERENCE_TO_QUOTE.search(clause) and not _says_when(clause):
        return True
    if _PAY_WORD.search(clause) or _NET_WORD.search(clause) or _DISCOUNT.search(clause):
        return False
    return bool(_OTHER_TOPIC.search(_COUNTED_FROM.sub(" ", clause)))


def _says_when(clause: str) -> bool:
    """Return True when a clause may say when to pay: it names a term, a date, a discount, a
    net term or paying at once."""
    return bool(
        _TERM.search(_in_digits(clause))
        or _TERMS_DATE.search(clause)
        or _TERMS_DATE_WORDS.search(clause)
        or _DISCOUNT.search(clause)
        or _NET_WORD.search(clause)
        or _AT_ONCE.search(clause.casefold())
    )


#: Words that say there is no discount: "zonder korting", "sans escompte", "ohne Skonto",
#: "ohne Abzug", "kein Skonto", "geen korting", "no discount", and the mention French law asks
#: on every invoice, "Pas d'escompte pour paiement anticipé", "Escompte pour paiement anticipé :
#: néant" (Code de commerce, art. L441-9), also "Skonto: keins", "Escompte : 0 %". They name no
#: term for a discount: a term beside them is the term to pay in, and a day or "à réception"
#: beside them the day to pay on.
_NO_DISCOUNT_WORD = r"(?:korting|escompte|skonto|abzug|discount|remise|rabatt)"
_NO_DISCOUNT = re.compile(
    r"\b(?:zonder|sans|ohne|without|no|geen|kein(?:e[nrs]?)?|aucune?|pas\s+d['’]\s*)\s*"
    + _NO_DISCOUNT_WORD
    + r"\b(?:\s+(?:pour|en\s+cas\s+de|bij|voor|for|on|bei|für)(?:\s+(?:un|une|le|la|de|het|een|"
    r"eerdere?|early|prompt|vorzeitiger?|frühzeitiger?|vervroegde|snelle))*\s+"
    r"(?:paiement|règlement|betaling|payment|zahlung)(?:\s+anticip[ée]e?)?)?"
    r"|\b" + _NO_DISCOUNT_WORD + r"\b[^.;:\n]{0,40}:\s*(?:néant|nul(?:le)?|aucun|geen|keins?|keine|"
    r"none|entfällt|0(?:[.,]0+)?\s*%)(?!\w)",
    re.IGNORECASE,
)
#: Words that only say that a text is about paying ("Betaling", "Zahlbar", "Payment terms").
_PAYING_WORDS = frozenset(
    {
        "betaling",
        "betalen",
        "te",
        "betaalbaar",
        "betalingstermijn",
        "betalingsvoorwaarden",
        "betalingsconditie",
        "voorwaarden",
        "termijn",
        "netto",
        "net",
        "nett",
        "rein",
        "is",
        "zahlbar",
        "zahlung",
        "zahlungsbedingungen",
        "zahlungsziel",
        "fällig",
        "payment",
        "payable",
        "pay",
        "terms",
        "term",
        "due",
        "paiement",
        "payer",
        "règlement",
        "conditions",
        "de",
        # the amount as the subject: "Der Rechnungsbetrag ist sofort fällig", "Het bedrag is
        # direct te voldoen", "The invoice amount is due immediately", "Le montant est payable
        # immédiatement"
        "der",
        "betrag",
        "rechnungsbetrag",
        "ist",
        "het",
        "bedrag",
        "factuurbedrag",
        "voldoen",
        "the",
        "amount",
        "invoice",
        "le",
        "montant",
        "est",
    }
)
#: What is left of a text that asks to pay at once, with what may follow it: "on receipt of
#: the invoice", "nach Erhalt der Rechnung", "na ontvangst van de factuur".
_AT_ONCE = re.compile(
    r"(?:per omgaande|directe?|direkt|onmiddellijke?|contant|au comptant|comptant|bij ontvangst|"
    r"sofort(?:ige?)?|immediately|immediate|immédiatement|immédiate?|on receipt|upon receipt|"
    r"à réception|dès réception)"
    r"(?: (?:na|nach|after|on|upon|of|van|der|des|the|la|het|deze|this|ontvangst|receipt|"
    r"réception|erhalt|rechnungserhalt|factuur|facture|rechnung|invoice))*"
)


def _due_at_once(text: str, issue: date) -> TermsReading | None:
    """Return the invoice date as the due date when a terms text says only that the invoice
    is to be paid at once ("per omgaande", "Betaling direct", "contant", "bij ontvangst",
    "Zahlbar sofort ohne Abzug", "payable immediately", "due on receipt", "à réception",
    "comptant"), else None. Any other word (a number of days, a date, a discount, "na
    levering") is not read so: the caller's other readings or its fallback apply."""
    cleaned = _NO_DISCOUNT.sub(" ", text)
    if _DISCOUNT.search(cleaned):
        return None
    words = [
        word
        for word in re.split(r"[\s.,;:!()/\-]+", cleaned.casefold())
        if word and word not in _PAYING_WORDS
    ]
    if not words or not _AT_ONCE.fullmatch(" ".join(words)):
        return None
    return TermsReading(due_date=issue, reading="ze vragen betaling direct, dus op de factuurdatum")


#: A date in a terms text: 30-11-2026, 30.11.2026, 30/11/2026 (day first, as in the
#: Netherlands, Belgium, Germany and France) or 2026-11-30; also with the year in two digits,
#: 30-11-26 (see :func:`_short_year_date`).
_TERMS_DATE = re.compile(
    r"(?<![\d.\-/])(?:(\d{1,2})[-./](\d{1,2})[-./](\d{4}|\d{2})|(\d{4})-(\d{2})-(\d{2}))"
    r"(?![\d\-/]|\.\d)"
)
#: The months by name, as a terms text writes a date in words (Dutch, English, German, French;
#: in full and abbreviated).
_MONTH_NAMES = {
    1: "januari jan january januar jänner janvier janv",
    2: "februari feb february februar février fevrier févr fevr fév",
    3: "maart mrt march mar märz maerz mär mars",
    4: "april apr avril avr",
    5: "mei may mai",
    6: "juni jun june juin",
    7: "juli jul july juillet juil",
    8: "augustus aug august août aout",
    9: "september sep sept septembre",
    10: "oktober okt october oct octobre",
    11: "november nov novembre",
    12: "december dec dezember dez décembre decembre déc",
}
_MONTH_OF_NAME = {name: month for month, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH_NAME = "|".join(sorted(map(re.escape, _MONTH_OF_NAME), key=len, reverse=True))
#: A date in a terms text with the month in words: "30 november 2026", "30. November 2026",
#: "le 1er décembre 2026", "30 Nov. 2026", "November 30, 2026", "30th November 2026".
_TERMS_DATE_WORDS = re.compile(
    rf"(?<![\w.])(?P<day>\d{{1,2}})(?:\.|e|er|st|nd|rd|th)?\s+(?P<month>{_MONTH_NAME})\.?\s+"
    rf"(?P<year>\d{{4}})(?!\w)"
    rf"|\b(?P<month_first>{_MONTH_NAME})\.?\s+(?P<day_after>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
    rf"(?P<year_after>\d{{4}})(?!\w)",
    re.IGNORECASE,
)
#: A word that makes a text about paying: a date in it is a day to pay by.
_PAY_WORD = re.compile(
    r"betal|voldoen|vervalt|vervaldatum|uiterlijk|zahl|fällig|pay|due|paiement|payer|régler|"
    r"échéance|echeance|overmak|over\s+te\s+maken|überweis|virement|transfer",
    re.IGNORECASE,
)


def _due_by_date(text: str, issue: date) -> TermsReading:
    """Return the due date a terms text names as a date ("Zahlbar bis 30.11.2026", "te
    betalen vóór 15-11-2026", "te voldoen vóór 30 november 2026", "payable by 30 Nov 2026"):
    when it names no term in days, speaks of paying, names no discount (a date for a discount
    is no due date) and names one date, on or after the invoice date and within
    :data:`MAX_TERM_DAYS`. Else nothing is read."""
    if not _PAY_WORD.search(text) or _DISCOUNT.search(_TERMS_DATE.sub(" ", text)):
        return TermsReading()  # (30/11/2026 is no discount "2/10")
    days = set()
    short = False  # a date with its year in two digits was read
    for match in _TERMS_DATE.finditer(text):
        day, month, year, *iso = match.groups()
        if year and len(year) == 2:
            found = _short_year_date(day, month, year, issue)
            if found is None:
                return TermsReading()  # no date in range, or two readings: not guessed
            days.add(found)
            short = True
            continue
        try:
            found = date(*map(int, iso)) if iso[0] else date(int(year), int(month), int(day))
        except ValueError:
            return TermsReading()  # "31-02-2026" or a month 13: not guessed
        days.add(found)
    for match in _TERMS_DATE_WORDS.finditer(text):
        name = (match.group("month") or match.group("month_first")).lower()
        day = match.group("day") or match.group("day_after")
        year = match.group("year") or match.group("year_after")
        try:
            days.add(date(int(year), _MONTH_OF_NAME[name], int(day)))
        except (KeyError, ValueError):
            return TermsReading()  # "31 februari 2026", or "MÄRZ" in another case: not guessed
    if len(days) != 1:
        return TermsReading()
    (due,) = days
    if not 0 <= (due - issue).days <= MAX_TERM_DAYS:
        return TermsReading()
    if short:
        year = f"het jaar {due.year % 100:02d} gelezen als {due.year}"
        return TermsReading(due_date=due, reading=f"de datum die ze noemen ({year})")
    return TermsReading(due_date=due, reading="de datum die ze noemen")


def _short_year_date(day: str, month: str, year: str, issue: date) -> date | None:
    """Return the date "15-01-27" names (day, month and the year 2027) when that is the one
    reading: a real date, on or after the invoice date and at most :data:`MAX_TERM_DAYS` after
    it, and not also a date in that range when read year first (26-03-27 is 26 March 2027 or
    27 March 2026: both, for an invoice of 27 March 2026); else None. The year is always
    20yy: an invoice is dated 1900-2199, and a due date a year at most after it.

    >>> _short_year_date("15", "01", "27", date(2026, 12, 1))
    datetime.date(2027, 1, 15)
    >>> _short_year_date("26", "03", "27", date(2026, 3, 27)) is None  # two readings
    True
    >>> _short_year_date("15", "01", "26", date(2026, 12, 1)) is None  # before the invoice
    True
    """

    def in_range(y: int, m: int, d: int) -> date | None:
        try:
            found = date(y, m, d)
        except ValueError:
            return None
        return found if 0 <= (found - issue).days <= MAX_TERM_DAYS else None

    found = in_range(2000 + int(year), int(month), int(day))
    if found is None:
        return None
    other = in_range(2000 + int(day), int(month), int(year)) if len(day) == 2 else None
    return found if other in (None, found) else None


#: The month after the invoice's: "de volgende maand", "de maand volgend op de factuurdatum",
#: "the following month", "next month", "the month following the invoice date",
#: "Folgemonats", "des auf die Rechnung folgenden Monats", "du mois suivant (la date de
#: facture)".
_NEXT_MONTH = (
    r"(?:(?:de\s+)?volgende\s+(?:kalender)?maand|(?:de\s+)?maand\s+(?:daarna|erna|volgend\s+op"
    r"\s+(?:de\s+)?factuur\w*|na\s+(?:de\s+)?factuur\w*)|(?:the\s+)?(?:following|next)\s+"
    r"month|(?:the\s+)?month\s+(?:following|after)(?:\s+(?:the\s+)?(?:invoice|month\s+of\s+"
    r"(?:the\s+)?invoice)(?:\s+date)?)?|folgemonats?|(?:(?:auf\s+(?:die|den|das)|dem)\s+\w+\s+)?"
    r"folgenden\s+monats|mois\s+suivant)\b"
)
#: A fixed day of the month after the invoice's, or its end, as the day to pay by ("bis zum
#: 15. des Folgemonats", "voor de 15e van de volgende maand", "le 15 du mois suivant", "on the
#: 15th of the following month", "einde volgende maand", "Ende des Folgemonats", "fin du mois
#: suivant", "the end of the following month").
_NEXT_MONTH_DAY = re.compile(
    r"\b(?:(?P<day>\d{1,2})(?:e|ste|de|st|nd|rd|th|er|\.)?(?:\s+day)?|(?P<end>einde?|end|ende|fin))"
    rf"\s+(?:(?:van|of|des|du|de)\s+)?(?:de\s+|the\s+)?{_NEXT_MONTH}",
    re.IGNORECASE,
)
#: A day of the month named in a terms text ("de 10e", "the 1st", "le 5", "am 15."), to see
#: whether the text names another day beside the one of the following month.
_DAY_NAMED = re.compile(
    r"\b(?:de|the|le|am|zum|den|on)\s+(\d{1,2})(?:e|ste|de|st|nd|rd|th|er)?\b(?![.,/-]?\d)",
    re.IGNORECASE,
)
#: Why terms that name the following month but no day of it that is read give no due date.
_NEXT_MONTH_NOT_NAMED = (
    "ze noemen de volgende maand, maar geen dag ervan die te lezen is; welke vervaldatum dat "
    "geeft, wordt niet geraden"
)
#: The delivery or receipt the following month is counted from, right after it ("le 15 du mois
#: suivant la livraison", "of the month following delivery", "des Folgemonats nach Erhalt der
#: Ware", "na ontvangst"): a day the invoice does not give.
_AFTER_DELIVERY = re.compile(
    r"\s*(?:(?:after|na|nach|following|van|of|de|du)\s+)?(?:(?:la|le|l'|the|de|der|die|het)\s*)?"
    r"(?:date\s+(?:de\s+)?(?:la\s+)?|datum\s+(?:van\s+)?(?:de\s+)?)?"
    r"(?:livraison|r[ée]ception|delivery|receipt|lieferung|leistung\w*|erhalt|eingang|"
    r"wareneingang|levering|aflevering|ontvangst|prestation)\b",
    re.IGNORECASE,
)
#: Why a day of the month after the delivery is not read.
_AFTER_DELIVERY_NOT_READ = (
    "ze noemen een dag van de maand na de levering of ontvangst, niet na de factuurdatum; welke "
    "vervaldatum dat geeft, wordt niet geraden"
)
#: Why a fixed day of the following month is not read.
_NEXT_MONTH_NOT_READ = (
    "ze noemen een vaste dag van de volgende maand naast een korting of meer dan één zo'n dag; "
    "welke dag de vervaldatum is, wordt niet geraden"
)


def _due_next_month(text: str, issue: date) -> TermsReading | None:
    """Return the due date of terms that name a fixed day of the month after the invoice
    date, or its end, and no term in days: "zahlbar bis zum 15. des Folgemonats", "te betalen
    voor de 15e van de volgende maand", "payable le 15 du mois suivant" (the day itself, as
    "vóór 15-11-2026" is read as that day: :func:`_due_by_date`), "einde volgende maand".
    A day that month does not have is its last day (as a term in months counts). Two
    different days, a discount beside it, or the month after a delivery or receipt ("le 15 du
    mois suivant la livraison": a day the invoice does not give) are not guessed; None when
    the text names no such day."""
    found = list(_NEXT_MONTH_DAY.finditer(text))
    if not found:
        return None
    if any(_AFTER_DELIVERY.match(text, match.end()) for match in found):
        return TermsReading(not_read=_AFTER_DELIVERY_NOT_READ)
    days = {match.group("day") and int(match.group("day")) for match in found}
    days |= {int(day) for day in _DAY_NAMED.findall(text)}
    if len(days) > 1 or _DISCOUNT.search(_NO_DISCOUNT.sub(" ", text)):
        return TermsReading(not_read=_NEXT_MONTH_NOT_READ)
    (day,) = days
    month = add_months(issue.replace(day=1), 1)
    last = _end_of_month(month)
    if day is None:
        return TermsReading(due_date=last, reading="het einde van de maand na de factuurdatum")
    if not 1 <= day <= 31:
        return TermsReading(not_read=_NEXT_MONTH_NOT_READ)
    reading = f"de {day}e van de maand na de factuurdatum"
    if day > last.day:
        reading += f"; die maand heeft geen {day}e, dus de laatste dag"
    return TermsReading(due_date=month.replace(day=min(day, last.day)), reading=reading)


#: Words that say an invoice is paid: "reeds voldaan", "contant betaald", "already paid",
#: "paid in full", "bereits bezahlt", "Betrag dankend erhalten", "déjà payé", "facture
#: acquittée".
_PAID = re.compile(
    r"\b(?:(?:reeds|al|inmiddels)\s+(?:voldaan|betaald)|(?:contant|per\s+pin|per\s+kas)\s+"
    r"(?:voldaan|betaald)|betaald\s+(?:per|met|via)\s+(?:pin|kas|contant|creditcard|ideal|"
    r"bancontact)|already\s+(?:been\s+)?paid|paid\s+in\s+full|has\s+been\s+paid|(?:payment\s+)?"
    r"received\s+with\s+thanks|bereits\s+(?:bezahlt|beglichen|bezahlt|erhalten|überwiesen)|"
    r"bar\s+bezahlt|bar\s+erhalten|dankend\s+erhalten|d[ée]j[àa]\s+(?:pay[ée]e?|r[ée]gl[ée]e?|acquitt[ée]e?)|"
    r"facture\s+acquitt[ée]e|pour\s+acquit)(?!\w)",
    re.IGNORECASE,
)
#: A sentence that is only the word "paid", as a stamp: "Voldaan", "BETAALD", "Betaald per pin",
#: "Paid by credit card", "Bezahlt", "Facture payée", "Acquittée".
_PAID_ALONE = re.compile(
    r"(?:(?:factuur|rechnung|invoice|facture)\s+)?(?:voldaan|betaald|paid|bezahlt|beglichen|"
    r"pay[ée]e?|r[ée]gl[ée]e?|acquitt[ée]e?)(?:\s+(?:per|met|via|by|with|mit|par|en)\s+\S+"
    r"(?:\s+\S+)?)?[!.]*",
    re.IGNORECASE,
)
#: Words that make a sentence about being paid a condition or a denial ("Indien reeds voldaan,
#: ...", "If already paid, please disregard", "Falls bereits bezahlt", "Si déjà payé", "nog
#: niet betaald", "Heeft u al betaald, dan ..."), an instruction or a term to pay in ("must be
#: paid in full within 30 days", "Please make sure it has been paid by ...", "Goods remain our
#: property until paid in full", "te betalen"), or about a part paid beforehand ("Aanbetaling
#: reeds voldaan", "Anzahlung bereits erhalten"): no statement that the invoice is paid.
_NOT_PAID = re.compile(
    r"\b(?:indien|als|mocht|wanneer|zodra|tenzij|if|unless|once|when|falls|sofern|wenn|sollten?|"
    r"si|lorsque|niet|not|nicht|pas|non|aanbetaling|voorschot|vooruitbetaling|deelbetaling|"
    r"gedeeltelijk|deposit|advance|partial|part|anzahlung|abschlag\w*|teilzahlung|vorauszahlung|"
    r"acompte|avance|partiel\w*|"
    # an instruction, a term or a condition of ownership (the words say what must be done)
    r"must|should|shall|please|ensure|make\s+sure|until|till|within|before|heeft\s+u|hebt\s+u|"
    r"have\s+you|moet(?:en)?|dient|dienen|gelieve|graag|binnen|uiterlijk|vóór|tot|bis|"
    r"innerhalb|bitte|muss|müssen|haben\s+sie|avant|dans|jusqu\w*|doit|doivent|veuillez|"
    r"avez-vous|te\s+betalen|to\s+be\s+paid|zu\s+(?:be)?zahlen|à\s+payer|remains?|blijft|"
    r"blijven|bleibt|bleiben|reste(?:nt)?)\b",
    re.IGNORECASE,
)


def paid_statement(text: str) -> str:
    """Return the sentence of a text that says the invoice is paid ("Deze factuur is reeds
    voldaan", "Betrag dankend erhalten"), as written; "" when none does. A sentence with a
    condition, a question, a denial or a part paid beforehand says no such thing ("Indien
    reeds voldaan, ...", "Heeft u al betaald?", "Not yet paid", "Aanbetaling reeds voldaan").

    >>> paid_statement("Betrag dankend erhalten."), paid_statement("If already paid, ignore.")
    ('Betrag dankend erhalten', '')
    """
    if len(text) > MAX_TERMS_CHARS:
        return ""
    pieces = _SENTENCE.split(text)
    for i in range(0, len(pieces), 2):
        sentence = pieces[i].strip()
        question = i + 1 < len(pieces) and pieces[i + 1] == "?"
        said = _PAID.search(sentence) or _PAID_ALONE.fullmatch(sentence)
        if said and not question and not _NOT_PAID.search(sentence):
            return shown_value(sentence, QUOTED_TERMS_CHARS)
    return ""


#: An amount in a text: "780,00", "1.000,00", "780.00", "1 000,00" (not the "30.11" of a date).
_AMOUNT_IN_TEXT = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[. \u00a0]\d{3})+|\d+)[.,](\d{2})(?![.,/-]?\d)"
)


def named_amounts(text: str) -> list[Decimal]:
    """Return the amounts a text names ("Reeds betaald: € 500,00": 500.00).

    >>> named_amounts("Betrag von 1.000,00 EUR dankend erhalten, am 30.11.2026")
    [Decimal('1000.00')]
    """
    return [
        Decimal(f"{re.sub(r'[^0-9]', '', whole)}.{cents}")
        for whole, cents in _AMOUNT_IN_TEXT.findall(text)
    ]


def _clause_bucket(
    clause: str, plain: list[_Term], discount: list[_Term], parts: list[_Term]
) -> list[_Term]:
    """Return the list a clause's terms without "netto" belong to.

    A clause names a discount by a word ("korting", "Skonto", ...), as "2/10" or by a small
    percentage ("2% binnen 8 dagen"); a percentage of :data:`INSTALMENT_PERCENT` or more is a
    part of the amount ("50% binnen 14 dagen"): a payment in instalments.
    """
    if _DISCOUNT_WORD.search(clause):
        return discount
    shares = [int(share) for share in _PERCENT.findall(clause)]
    if not shares:
        return plain
    return parts if min(shares) >= INSTALMENT_PERCENT else discount


def _parts_not_read(parts: list[_Term]) -> str:
    if len(parts) > 1:
        return (
            f"ze noemen meer dan één termijn, elk voor een deel van het bedrag: {_term_list(parts)}"
        )
    return f"ze noemen een termijn voor een deel van het bedrag: {parts[0]}"


def _term_list(terms: list[_Term], shown: int = 5) -> str:
    """Return "14 dagen en 30 dagen", "1 dagen, 2 dagen, ... en nog 7 andere"."""
    return _listed([str(term) for term in terms[: shown + 1]], len(terms), shown)


def _date_list(days: list[date], shown: int = 5) -> str:
    """Return "01-11-2026 en 01-12-2026", "01-11-2026, ... en nog 2.995 andere" (a file of
    3,000 instalments made a message of 36,000 characters)."""
    return _listed([day.strftime("%d-%m-%Y") for day in days[: shown + 1]], len(days), shown)


def _listed(names: list[str], total: int, shown: int) -> str:
    """Return the first of ``total`` names as a message lists them: "a, b en c", or ``shown``
    of them and how many more."""
    if total > shown:
        return ", ".join(names[:shown]) + f" en nog {whole_number(total - shown)} andere"
    return ", ".join(names[:-1]) + f" en {names[-1]}" if len(names) > 1 else names[0]


def _joined_notes(notes: Iterable[str]) -> str:
    """Return the notes of the payment terms (BT-20 repeats: one per term, or a line each) as
    one text, each note a clause of its own: "Netto 30 dagen" and "2% korting binnen 8 dagen"
    are two clauses, not one clause about a discount with two terms."""
    text = ""
    for note in notes:
        if text:
            text += " " if text[-1] in ".;:,!?" else "; "
        text += note
    return text


def quote_terms(text: str) -> str:
    """Return payment terms as a message quotes them: at most :data:`QUOTED_TERMS_CHARS`
    characters, cut with "…"."""
    if len(text) <= QUOTED_TERMS_CHARS:
        return text
    return text[: QUOTED_TERMS_CHARS - 1].rstrip() + "…"


def _due_by_term(term: _Term, issue: date, month_end: str, *, net: bool) -> TermsReading:
    if term.months:
        return _due_by_months(term, issue, net=net)
    what = f"de nettotermijn van {term.days} dagen" if net else f"{term.days} dagen"
    if not term.month_end:
        return TermsReading(
            due_date=issue + timedelta(days=term.days), reading=f"factuurdatum plus {what}"
        )
    setting = f" (instelling 'E-factuur: dagen einde maand': {month_end})"
    if month_end == DAYS_THEN_MONTH_END:
        return TermsReading(
            due_date=_end_of_month(issue + timedelta(days=term.days)),
            reading=f"factuurdatum plus {what}, dan het einde van die maand{setting}",
        )
    return TermsReading(
        due_date=_end_of_month(issue) + timedelta(days=term.days),
        reading=f"het einde van de maand van de factuurdatum plus {what}{setting}",
    )


def _due_by_months(term: _Term, issue: date, *, net: bool) -> TermsReading:
    """A term in calendar months: the same day so many months after the invoice date, or the
    last day of that month when it has no such day (31 January plus one month: 28 or 29
    February); "einde maand" after it: the end of that month."""
    length = _Term(0, False, term.months)
    what = f"de nettotermijn van {length}" if net else str(length)
    due = add_months(issue, term.months)
    due = _end_of_month(due) if term.month_end else due
    end = ", dan het einde van die maand" if term.month_end else ""
    return TermsReading(due_date=due, reading=f"factuurdatum plus {what}{end}")


def _end_of_month(day: date) -> date:
    following = day.replace(day=28) + timedelta(days=4)
    return following - timedelta(days=following.day)


def read_einvoice(
    path: str | Path, *, month_end: str = MONTH_END_THEN_DAYS, country: str = ""
) -> EInvoice:
    """Read a UBL e-invoice file; see :func:`parse_einvoice`.

    Raises :class:`EInvoiceError` also when the file cannot be opened.
    """
    source = Path(path)
    name = shown_name(source)
    try:
        data = read_limited(source, MAX_BYTES)
    except TooLarge as exc:
        raise RefusedXml(name, "", _too_large(exc.size)) from None
    except NotAFile:
        raise EInvoiceError(
            name,
            "",
            "dit is geen gewoon bestand (maar een map, apparaat of pijp); geef het "
            "e-factuurbestand zelf",
        ) from None
    except OSError as exc:
        raise EInvoiceError(
            name,
            "",
            "het bestand kan niet gelezen worden; controleer de naam en of u het mag openen "
            + quoted(system_error(exc)),
        ) from None
    return parse_einvoice(data, source=name, month_end=month_end, country=country)


def _too_large(size: int | None) -> str:
    """Say that a file is over :data:`MAX_BYTES`, with its size when it is known."""
    limit = f"meer dan {MAX_BYTES // (1024 * 1024)} MB"
    if size is None:
        return f"het bestand is te groot ({limit})"
    grouped = whole_number(size)
    return f"het bestand is te groot ({grouped} bytes, {limit})"


def parse_einvoice(
    data: bytes, *, source: str, month_end: str = MONTH_END_THEN_DAYS, country: str = ""
) -> EInvoice:
    """Parse a UBL 2.1 Invoice or CreditNote (Peppol BIS Billing 3.0), a CII invoice, or the
    one a Factur-X or ZUGFeRD PDF carries attached (:mod:`debiteuren.facturx`).

    Args:
      data: the XML bytes, or a PDF's.
      source: the file name, used in messages.
      month_end: how "30 dagen einde maand" in the payment terms is read; see
        :func:`read_payment_terms`.
      country: the creditor's country ("NL", "BE" or ""), for a 12-digit payment reference
        that is both an OGM and a betalingskenmerk when the file names no seller country of
        its own (see :func:`_structured_reference`).
    Returns:
      The invoice. Raises :class:`NotWellFormed`, :class:`RefusedXml`, :class:`NotUbl`,
      :class:`MissingElement` or :class:`InvalidValue` (all :class:`EInvoiceError`).
    """
    if is_pdf(data):  # Factur-X, ZUGFeRD: the invoice is the XML attached to the PDF
        try:
            data = invoice_xml(data)
        except NoInvoiceInPdf as exc:
            raise OtherFile(source, "", exc.reason) from None
    data, declared = _utf8_declared_otherwise(_without_end_mark(data))
    root = _parse_xml(data, source)
    doc = _document(root, source)
    kind = _CiiReader if etree.QName(doc).namespace == _CII_NS else _Reader
    reader = kind(doc, source, month_end, country)
    if declared.lower() in _TWO_BYTE:
        reader.warnings.append(
            f"Het bestand noemt de tekenset {declared}, maar is in UTF-8 geschreven (een "
            "programma dat de XML als tekst maakt en als UTF-8 opslaat, doet dat); het is als "
            "UTF-8 gelezen. Controleer de naam en het adres van de klant."
        )
    elif declared:
        reader.warnings.append(
            f"Het bestand noemt de tekenset {declared}, maar is in UTF-8 geschreven (zoals 'é' "
            "als de twee bytes van UTF-8); het is als UTF-8 gelezen, anders werd 'Café' "
            "'CafÃ©'. Controleer de naam en het adres van de klant."
        )
    return reader.invoice()


# --- XML ----------------------------------------------------------------------------------------


#: The encoding an XML declaration names (``<?xml version="1.0" encoding="ISO-8859-1"?>``).
_DECLARED_ENCODING = re.compile(
    rb"\A(?:\xef\xbb\xbf)?[ \t\r\n]{0,4096}<\?xml[^>]{0,200}?encoding[ \t\r\n]*=[ \t\r\n]*"
    rb"[\"']([A-Za-z][A-Za-z0-9._-]{0,39})[\"']"
)
#: Encodings of one byte per character that invoicing programs declare while writing UTF-8.
_SINGLE_BYTE = frozenset(
    {
        "iso-8859-1",
        "iso_8859-1",
        "iso8859-1",
        "latin1",
        "latin-1",
        "iso-8859-15",
        "iso8859-15",
        "windows-1252",
        "cp1252",
        "us-ascii",
        "ascii",
    }
)


#: Encodings of two bytes per character that a declaration may name over a file of one byte per
#: character: .NET's StringWriter writes ``encoding="utf-16"`` in the declaration of XML that
#: the program then saves as UTF-8.
_TWO_BYTE = frozenset({"utf-16", "utf16", "utf-16le", "utf-16be", "ucs-2", "iso-10646-ucs-2"})


def starts_as_xml(data: bytes) -> bool:
    """Return whether ``data`` starts as XML in UTF-8: ``<`` after a byte order mark and white
    space."""
    return data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"<")


def _without_end_mark(data: bytes) -> bytes:
    """Return an invoice without the DOS end-of-file mark (Ctrl-Z) or NUL bytes after its end
    (as an old Windows program or a fixed-size buffer leaves them; the statement readers drop
    them too), unless it is in UTF-16, where a NUL is half of every character."""
    if data[-1:] not in (b"\x1a", b"\x00") or data[:2] in (b"<\x00", b"\x00<"):
        return data
    if not starts_as_xml(data):
        return data  # no XML (a zip ends in NUL bytes): the reader says what it is
    return data.rstrip(b"\x1a\x00 \t\r\n")


def _utf8_declared_otherwise(data: bytes) -> tuple[bytes, str]:
    """Return ``data`` declared as UTF-8, and the encoding it declared, when it declares a
    one-byte encoding (ISO-8859-1, Windows-1252, ASCII) but is UTF-8: its bytes above 127
    all form UTF-8 characters (as text in ISO-8859-1 they would be pairs such as "Ã©", which no
    name or address holds). Else ``(data, "")``. A file that declares UTF-16 (:data:`_TWO_BYTE`)
    but is written one byte per character is UTF-8 too, when it reads as UTF-8 (the encoding
    is returned only when it holds other characters than ASCII, whose reading is certain).

    Programs that write their XML with a fixed declaration do this; read as declared, the
    buyer "Café Zürich" became "CafÃ© ZÃ¼rich" on Klanten, without a word.
    """
    found = _DECLARED_ENCODING.match(data, 0, 4600)
    name = found.group(1).decode("ascii").lower() if found else ""
    if found is not None and name in _TWO_BYTE:
        # the declaration was found as one byte per character, so the file is no UTF-16 (whose
        # "<?xml" takes two bytes a character): libxml2 refused it as damaged
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return data, ""  # refused by the parser: in no encoding it names
        shown = found.group(1).decode("ascii") if not data.isascii() else ""
        return data[: found.start(1)] + b"UTF-8" + data[found.end(1) :], shown
    if found is None or name not in _SINGLE_BYTE:
        return data, ""
    if data.isascii():
        return data, ""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data, ""
    declared = found.group(1).decode("ascii")
    return data[: found.start(1)] + b"UTF-8" + data[found.end(1) :], declared


def _parse_xml(data: bytes, source: str) -> etree._Element:
    if len(data) > MAX_BYTES:
        raise RefusedXml(source, "", _too_large(len(data)))
    problem = _other_file(data)
    if problem:
        raise OtherFile(source, "", problem)
    if has_doctype(data):
        raise RefusedXml(
            source,
            "",
            "het XML-bestand bevat een DOCTYPE; dat wordt om veiligheidsredenen "
            "geweigerd (een Peppol-factuur heeft er nooit een)",
        )
    if data.count(b"<") > MAX_TAGS:
        most = whole_number(MAX_TAGS)
        raise RefusedXml(
            source,
            "",
            f"het XML-bestand bevat meer dan {most} tags; zoveel heeft geen e-factuur, en "
            "zo'n bestand kost gigabytes geheugen om te lezen. Vraag de afzender om de "
            "factuur opnieuw te sturen",
        )
    data = _declaration_first(data)
    # huge_tree lifts libxml2's limit of 10 MB on one text node: an invoice may carry its PDF
    # (base64 in cac:AdditionalDocumentReference/cac:Attachment), and Peppol allows a message up
    # to 100 MB. The input is capped at MAX_BYTES above, and the safety does not rest on
    # libxml2's limits: a DOCTYPE is refused before parsing and after it, entities are never
    # resolved, and no DTD or other file is loaded, from disk or network.
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )
    try:
        tree = etree.fromstring(data, parser=parser).getroottree()
    except etree.XMLSyntaxError as exc:
        if exc.msg and exc.msg.startswith("Excessive depth in document"):
            raise RefusedXml(source, "", _TOO_DEEP) from None
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        encoding = _encoding_problem(data, exc.msg or "")
        if encoding:
            raise EInvoiceError(source, f"regel {line}" if line else "", encoding) from None
        raise NotWellFormed(source, line, exc.msg or "onleesbaar") from None
    except ValueError as exc:  # e.g. an encoding declaration lxml cannot use
        raise NotWellFormed(source, 0, str(exc)) from None
    if tree.docinfo.doctype:
        raise RefusedXml(source, "", "het XML-bestand bevat een DOCTYPE; dat wordt geweigerd")
    return tree.getroot()


def _encoding_problem(data: bytes, message: str) -> str:
    """Return why a file's characters cannot be read, in Dutch, when libxml2's ``message`` is
    about its encoding; "" otherwise. Said before: "dit is geen geldig XML-bestand; het is
    beschadigd of onvolledig" with libxml2's English, for a file that is whole but saved in
    another encoding than it declares (often Windows-1252 without a declaration)."""
    found = _DECLARED_ENCODING.match(data, 0, 4600)
    if found is not None and found.group(1).decode("ascii").lower() in _TWO_BYTE:
        # one byte per character under a UTF-16 declaration, and no UTF-8 (that is read as
        # UTF-8, _utf8_declared_otherwise): libxml2 says 'Blank needed here' or the like
        return (
            f"het bestand noemt de tekenset {found.group(1).decode('ascii')}, maar is geschreven "
            "met één byte per teken en niet in UTF-8 (vaak Windows-1252 of ISO-8859-1). Vraag "
            "de afzender om de factuur in UTF-8 te sturen"
        )
    if message.startswith("Unsupported encoding"):
        found = _DECLARED_ENCODING.match(data, 0, 4600)
        name = f" ('{found.group(1).decode('ascii')}')" if found else ""
        return (
            f"het bestand noemt een tekenset{name} die niet gelezen wordt; vraag de afzender om "
            "de factuur in UTF-8 te sturen"
        )
    if not message.startswith(("Invalid bytes in character encoding", "Input is not proper")):
        return ""
    found = _DECLARED_ENCODING.match(data, 0, 4600)
    declared = found.group(1).decode("ascii") if found else "UTF-8"
    named = "die het bestand noemt" if found else "van een XML-bestand zonder opgave"
    return (
        f"de tekens op deze regel zijn geen {declared}, de tekenset {named}: het bestand is in "
        "een andere tekenset opgeslagen (vaak Windows-1252 of ISO-8859-1). Vraag de afzender om "
        f"de factuur in UTF-8 te sturen, of met de tekenset die ze gebruikt in de eerste regel"
    )


#: Why a file nested deeper than libxml2 reads (2,048 levels with ``huge_tree``) is refused;
#: libxml2's own message ("use XML_PARSE_HUGE option") called it damaged and gave a
#: programmer's advice. An e-invoice is nested some ten levels deep.
_TOO_DEEP = (
    "het XML-bestand is dieper genest (meer dan 2.048 niveaus) dan een e-factuur ooit is; zo'n "
    "bestand wordt om veiligheidsredenen niet gelezen. Vraag de afzender om de factuur "
    "opnieuw te sturen"
)

_BOM = b"\xef\xbb\xbf"


def _declaration_first(data: bytes) -> bytes:
    """Return ``data`` without the blank lines or spaces before its XML declaration.

    XML allows nothing before ``<?xml``, but some invoicing programs write a line break first
    (a template or script that starts with an empty line); libxml2 then refuses the file as if
    it were damaged. What follows is the same document, so it is read without them.
    """
    start = len(_BOM) if data.startswith(_BOM) else 0
    if data[start : start + 1] not in (b" ", b"\t", b"\r", b"\n"):
        return data  # the common case: nothing is copied
    head = data[start : start + 4096]
    blank = len(head) - len(head.lstrip(b" \t\r\n"))
    if not head.startswith(b"<?xml", blank):
        return data
    return data[:start] + data[start + blank :]


_ASK_UBL = (
    "vraag de afzender om de e-factuur als UBL-XML-bestand (Peppol BIS Billing 3.0), of voer "
    "de factuur zelf in op het blad Facturen"
)
#: What a file that is recognisably no XML is, and what to do instead (``inputs.other_kind``).
_OTHER_FILES = {
    PDF: f"dit is een PDF-document, geen UBL-e-factuur; {_ASK_UBL}",
    EXCEL: f"dit is een Excel-werkboek, geen UBL-e-factuur; {_ASK_UBL}",
    WORD: f"dit is een Word-document, geen UBL-e-factuur; {_ASK_UBL}",
}


def _other_file(data: bytes) -> str:
    """Return why a file that is recognisably no XML (a PDF, a zip) cannot be read; "" else."""
    head = data[:8192].removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    kind = other_kind(head)
    if not kind:
        return _text_statement(head)
    if kind == ZIP:
        kind, files = zip_contents(data)
        if kind == ZIP:
            xml = [name for name in files if name.lower().endswith(".xml")]
            if not xml:
                inside = f" met {name_list(files)}" if files else ""
                return (
                    f"dit is een zip-bestand{inside}, zonder XML-bestand erin; geef de e-facturen "
                    "zelf (UBL-XML-bestanden)"
                )
            return (
                f"dit is een zip-bestand met {name_list(xml)}; pak het eerst uit en geef de "
                "XML-bestanden die erin zitten (de e-facturen) op"
            )
    return _OTHER_FILES.get(kind, f"dit is geen XML-bestand en dus geen UBL-e-factuur; {_ASK_UBL}")


def _document(root: etree._Element, source: str) -> etree._Element:
    """Return the Invoice, CreditNote or CrossIndustryInvoice element, unwrapping a Peppol SBD
    envelope (Peppol BIS Billing 3.0 carries the invoice in UBL or in CII)."""
    name = etree.QName(root)
    if name.namespace == _SBDH_NS and name.localname == "StandardBusinessDocument":
        inside = [
            child
            for child in root
            if isinstance(child.tag, str)
            and etree.QName(child).namespace in (INVOICE_NS, CREDIT_NOTE_NS, _CII_NS)
        ]
        if len(inside) > 1:  # a file is read whole or refused whole: never only the first
            raise EInvoiceError(
                source,
                "StandardBusinessDocument",
                f"de envelop bevat {len(inside)} facturen of creditnota's; een Peppol-envelop "
                "hoort er één te bevatten. Geef elke factuur als een eigen bestand",
            )
        if inside:
            return _document(inside[0], source)
        raise NotUbl(
            source,
            "StandardBusinessDocument",
            "de envelop bevat geen Invoice, CreditNote of CrossIndustryInvoice",
        )
    if (name.namespace, name.localname) in (
        (INVOICE_NS, "Invoice"),
        (CREDIT_NOTE_NS, "CreditNote"),
    ):
        return root
    if (name.namespace, name.localname) == (_CII_NS, "CrossIndustryInvoice"):
        return root
    if name.localname == "CrossIndustryDocument":  # an invoice, in a format that is not read
        raise NotUbl(source, name.localname, problem=_ZUGFERD_1)
    if name.localname == "Document" and (name.namespace or "").startswith(_CAMT_NS):
        raise NotUbl(source, name.localname, problem=_STATEMENT.format("CAMT.053"))
    hint = ""
    if name.localname in ("Invoice", "CreditNote", "CrossIndustryInvoice"):
        cii = name.localname == "CrossIndustryInvoice"
        wanted = "die van CII D16B" if cii else "die van UBL 2.1"
        namespace = shown_value(name.namespace, 100) if name.namespace else "geen"
        hint = f"de namespace is '{namespace}' in plaats van {wanted}"
    else:
        hint = _OTHER_DOCUMENTS.get(name.localname, "")
    raise NotUbl(source, shown_value(name.localname, 100), hint)


#: Why a ZUGFeRD 1.0 invoice (root ``CrossIndustryDocument``, namespace
#: ``urn:ferd:CrossIndustryDocument:invoice:1p0``) is refused: it is an e-invoice, in the format
#: that ZUGFeRD 2 and Factur-X replaced in 2019 (said before: "geen e-factuur", then "een
#: factuur in het oude ZUGFeRD 1.0-formaat").
_ZUGFERD_1 = (
    "dit is een e-factuur in het oude ZUGFeRD 1.0-formaat (hoofdelement CrossIndustryDocument), "
    "dat debiteuren niet leest; vraag de afzender om ZUGFeRD 2, Factur-X of XRechnung (CII) of "
    "om UBL"
)

#: A bank statement given to ``facturen`` instead of ``betalingen``: the demo prints the two
#: commands one above the other, and ``betalingen`` names ``facturen`` for an e-invoice.
_STATEMENT = (
    "dit is een bankafschrift ({}), geen e-factuur; lees het in met 'debiteuren betalingen' (in "
    "Excel: de knop Betalingen importeren) en e-facturen met 'debiteuren facturen'"
)
#: The namespaces of the ISO 20022 cash management messages (camt.053, camt.052, camt.054).
_CAMT_NS = "urn:iso:std:iso:20022:tech:xsd:camt."
#: A CODA file's first record (``0`` and four zeros, then the DDMMYY creation date) and the
#: SWIFT fields that start the lines of an MT940 statement, as ``betalingen`` recognises them.
_CODA_HEADER = re.compile(rb"0{5}\d{6}")
_MT940_FIELD = re.compile(rb"(?m)^(?:\{4:\s*)?:(?:20|25|28C?|60[FM]|61|86|940):")


#: A table saved as text (a bank's CSV export, a spreadsheet's list): what facturen reads.
_CSV = (
    "dit is een CSV-bestand (een tabel met kolommen, zoals een bank of een spreadsheet die "
    "maakt), geen e-factuur; 'debiteuren facturen' leest e-facturen als XML-bestand (UBL of "
    "CII, zoals Peppol) of als PDF met de XML erin (Factur-X, ZUGFeRD). Een bankexport leest "
    "'debiteuren betalingen', als CAMT.053 (XML), MT940 of CODA: exporteer het afschrift "
    "daarin bij uw bank"
)


def _text_statement(head: bytes) -> str:
    """Return why ``head``, the start of a CODA or MT940 statement or of a CSV file, is no
    e-invoice; "" for anything else (an XML file is read as XML, whatever its text holds)."""
    if head.startswith(b"<"):
        return ""
    if _CODA_HEADER.match(head):
        return _STATEMENT.format("CODA")
    if head.startswith(b"{1:") or _MT940_FIELD.search(head.replace(b"\r", b"\n")):
        return _STATEMENT.format("MT940")
    if is_csv(head):
        return _CSV
    return ""


#: What a document is that arrives with e-invoices but is none (by its root element), and what
#: to do with it.
_OTHER_DOCUMENTS = {
    "DebitNote": (
        "dit is een debetnota (UBL DebitNote), die debiteuren niet leest; voer het bedrag zelf "
        "in op het blad Facturen of vraag de afzender om een Invoice"
    ),
    "ApplicationResponse": (
        "dit is een Peppol-antwoord (ApplicationResponse: een ontvangst- of statusbericht over "
        "een factuur), geen factuur; er is niets in te lezen"
    ),
    "Order": "dit is een bestelling (UBL Order), geen factuur; er is niets in te lezen",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class _Syntax:
    """Where a syntax keeps the fields that are read (paths from the document element)."""

    ns: dict[str, str]
    number: str
    issue_date: str
    type_code: str
    currency: str
    customization: str
    totals: str  # the element that holds the totals (BG-22)
    payable: str
    with_vat: str
    without_vat: str  # the total without VAT (BT-109), one of the totals
    vat_total: str  # the path of the VAT total (BT-110, and BT-111 in another currency)
    prepaid: str
    rounding: str
    currency_totals: tuple[str, ...]  # the totals that must be in the document's currency
    due_date: str
    terms: str
    notes: str  # the invoice notes (BT-22)
    payment_id: str
    payment_means: str  # the code of each way to pay (BT-81)
    billing_reference: str
    buyer_reference: str
    order_reference: str
    buyer: str
    seller: str
    payee: str  # the payee's name (BT-59), when it is not the seller
    payee_accounts: tuple[str, ...]  # the account to pay to (BT-84), by the syntax's elements
    date: re.Pattern[str]
    date_form: str


#: The payment means codes (UNCL 4461, BT-81) of a direct debit: 49 (direct debit) and 59 (SEPA
#: direct debit).
_DIRECT_DEBIT = frozenset({"49", "59"})
#: The payment means codes of a payment card (UNCL 4461: 48 bank card, 54 credit card, 55 debit
#: card); EN 16931 gives the card (BG-18) for a payment "contemporaneous with invoice issuance".
_CARD = frozenset({"48", "54", "55"})

_UBL = _Syntax(
    ns=NS,
    number="cbc:ID",
    issue_date="cbc:IssueDate",
    type_code="cbc:InvoiceTypeCode",
    currency="cbc:DocumentCurrencyCode",
    customization="cbc:CustomizationID",
    totals="cac:LegalMonetaryTotal",
    payable="PayableAmount",
    with_vat="TaxInclusiveAmount",
    without_vat="TaxExclusiveAmount",
    vat_total="cac:TaxTotal/cbc:TaxAmount",
    prepaid="PrepaidAmount",
    rounding="PayableRoundingAmount",
    currency_totals=_TOTALS,
    due_date="cbc:DueDate",
    terms="cac:PaymentTerms/cbc:Note",
    notes="cbc:Note",
    payment_id="cac:PaymentMeans/cbc:PaymentID",
    payment_means="cac:PaymentMeans/cbc:PaymentMeansCode",
    billing_reference="cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",
    buyer_reference="cbc:BuyerReference",
    order_reference="cac:OrderReference/cbc:ID",
    buyer="cac:AccountingCustomerParty/cac:Party",
    seller="cac:AccountingSupplierParty/cac:Party",
    payee="cac:PayeeParty/cac:PartyName/cbc:Name",
    payee_accounts=("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID",),
    date=_DATE,
    date_form="JJJJ-MM-DD",
)


def compact_account(text: str) -> str:
    """Return an account number as it is compared: without spaces, dots or dashes, upper case.

    >>> compact_account("nl91 abna 0417.1643-00")
    'NL91ABNA0417164300'
    """
    return re.sub(r"[\s.\-]", "", text).upper()


def _plain(text: str | None) -> str:
    """Return the text of an element as it is read: control characters (DEL, the C1 controls
    of text decoded with the wrong code page) as spaces, and each run of white space one space.

    The workbook reads a cell so (``read._text``): a buyer named ``"D\\x92Hondt BV"`` was
    written to Klanten with its control character and read back without it, and was then a
    new customer at every next e-invoice.

    >>> _plain(" Bloemen\\x7fhuis\\n  Flora\\x90 ")
    'Bloemen huis Flora'
    """
    return " ".join(visible_text(text).split()) if text else ""


def _name(text: str) -> str:
    """Return a party's name as read, or "" when nothing of it shows: only zero-width spaces,
    soft hyphens, direction marks or a byte order mark (:func:`.untrusted.shows_nothing`).
    Such a buyer became a new customer without a visible name, whom letters address as nobody.

    >>> _name("\u200b"), _name("Flora\u00ad BV")
    ('', 'Flora\xad BV')
    """
    return "" if shows_nothing(text) else text


def _address(email: str) -> str:
    """Return an e-mail address without the ``mailto:`` a URI field may carry (CII's
    ``ram:URIID`` is a URI): a letter to "mailto:x@example.be" never arrives."""
    return email[7:].strip() if email[:7].lower() == "mailto:" else email


def _scheme(scheme_id: str) -> str:
    """Return an identifier's scheme as its current EAS code ("BE:CBE" and 9956 are 0208,
    "em" is EM)."""
    scheme = scheme_id.strip()
    return _EAS_ALIASES.get(scheme.upper(), scheme)


def _endpoint(address: str, scheme: str) -> str:
    """Return an electronic address (BT-49, BT-34) as read: an e-mail address (scheme EM)
    without the ``mailto:`` a URI may carry."""
    return _address(address) if scheme == EAS_EMAIL else address


def _label(syntax: _Syntax) -> str:
    """Return the element the issue date is named by: cbc:IssueDate, ram:IssueDateTime."""
    return [part for part in syntax.issue_date.split("/") if part != "udt:DateTimeString"][-1]


class _Reader:
    """Reads the fields of one Invoice or CreditNote element."""

    syntax = _UBL

    def __init__(self, doc: etree._Element, source: str, month_end: str, country: str = "") -> None:
        self.doc = doc
        self.source = source
        self.month_end = month_end
        self.country = country  # the creditor's, when the workbook gives it
        self.terms_reading = self.terms_not_read = ""
        self.credit = etree.QName(doc).localname == "CreditNote"
        self.negative = False  # an amount due below zero: a credit, whatever the document
        self.warnings: list[str] = []
        self.due_where: dict[date, str] = {}  # a due date outside BT-9 -> its element

    # -- primitives -------------------------------------------------------------------------

    def text(self, path: str, node: etree._Element | None = None) -> str:
        found = (self.doc if node is None else node).find(path, self.syntax.ns)
        if found is None or found.text is None:
            return ""
        return _plain(found.text)

    def attribute(self, path: str, name: str, node: etree._Element | None = None) -> str:
        found = (self.doc if node is None else node).find(path, self.syntax.ns)
        return "" if found is None else (found.get(name) or "").strip()

    def required(self, path: str, meaning: str) -> str:
        value = self.text(path)
        if not value:
            raise MissingElement(self.source, path, meaning)
        return value

    def amount(
        self,
        path: str,
        meaning: str,
        *,
        node: etree._Element | None = None,
        required: bool = False,
        where: str = "",
    ) -> Decimal | None:
        value = self.text(path, node)
        element = where or path
        if not value:
            if required:
                raise MissingElement(self.source, element, meaning)
            return None
        if not _DECIMAL.fullmatch(value):
            raise InvalidValue(
                self.source,
                element,
                value,
                f"geen bedrag; {meaning} moet een getal zijn zoals 1210.00",
            )
        if abs(Decimal(value)) >= MAX_AMOUNT:
            raise InvalidValue(
                self.source, element, value, "te groot voor een bedrag; controleer het bestand"
            )
        return money(value)

    def day(self, path: str, meaning: str, *, required: bool = False) -> date | None:
        value = self.text(path)
        if not value:
            if required:
                raise MissingElement(self.source, path, meaning)
            return None
        return self._date(value, path, meaning)

    def _date(self, value: str, where: str, meaning: str) -> date:
        match = self.syntax.date.fullmatch(value)
        try:
            if match is None:
                raise ValueError(value)
            day = date(*(int(g) for g in match.groups()))
        except ValueError:
            raise InvalidValue(
                self.source,
                where,
                value,
                f"geen datum; {meaning} moet de vorm {self.syntax.date_form} hebben",
            ) from None
        if day.year not in YEARS:  # a typo (2926 for 2026): the workbook would refuse it
            raise InvalidValue(
                self.source,
                where,
                value,
                f"geen datum die kan kloppen als {meaning}; controleer het jaar ({YEARS_NOTE})",
            )
        return day

    # -- the document -----------------------------------------------------------------------

    def invoice(self) -> EInvoice:
        # compared and stored as the workbook reads a number: "2026-0003" with a zero-width
        # space or in full-width digits is 2026-0003 (a duplicate, not a second invoice)
        syntax = self.syntax
        self.one_each()
        self.not_pro_forma()
        meaning = f"het factuurnummer ({syntax.number.rsplit('/', 1)[-1]})"
        number = normalize_code(self.required(syntax.number, meaning))
        if not number:
            raise MissingElement(self.source, syntax.number, meaning)
        issue = self.day(syntax.issue_date, f"de factuurdatum ({_label(syntax)})", required=True)
        assert issue is not None
        payable_path = self.total(syntax.payable)
        payable = self.amount(
            payable_path, f"het te betalen bedrag ({syntax.payable})", required=True
        )
        assert payable is not None
        self.one_amount_due(payable_path)
        written = self.text(payable_path)
        if Decimal(written) != payable:  # "169.505": more than the cents (BR-DEC-18 allows 2)
            self.warnings.append(
                f"Het te betalen bedrag staat in de e-factuur als {shown_value(written, 40)} "
                f"({payable_path}), met meer dan twee decimalen; het is afgerond op "
                f"{euro(payable)}. Controleer het bedrag met de afzender."
            )
        currency = self.text(syntax.currency).upper()
        if not currency:
            currency = self.attribute(payable_path, "currencyID").upper()
        if not currency:
            name = syntax.currency.rsplit(":", 1)[-1]
            raise MissingElement(self.source, syntax.currency, f"de munteenheid ({name})")
        self.same_currency(currency)
        tax_inclusive, prepaid = self.totals(payable)
        self.vat_adds_up(tax_inclusive, currency, payable)
        self.negative = payable < 0
        due, due_source, terms = self.due_date(issue)
        paid = self.paid_statement(terms)
        payment_id = self.payment_id()
        shown = shown_value(number)  # messages quote a long number short
        self.direct_debit(shown)
        self.card(shown)
        amount = self.signed(shown, payable)
        corrects = self.billing_reference(number, amount < 0)
        seller = self.party(syntax.seller)
        self.payee(shown, seller)
        kind = references.national_kind(seller.country) or references.national_kind(self.country)
        reference = self.reference(payment_id, kind)
        return EInvoice(
            source=self.source,
            document=etree.QName(self.doc).localname,
            customization_id=self.text(syntax.customization),
            number=number,
            issue_date=issue,
            due_date=due,
            due_date_source=due_source,
            payment_terms=terms,
            currency=currency,
            amount=amount,
            payable_amount=payable,
            tax_inclusive_amount=tax_inclusive,
            prepaid_amount=prepaid,
            vat=self.vat(),
            buyer=self.party(syntax.buyer),
            seller=seller,
            payment_id=payment_id,
            payment_reference=reference,
            billing_reference=corrects,
            buyer_reference=self.text(syntax.buyer_reference),
            order_reference=self.text(syntax.order_reference),
            description=self.description(),
            warnings=tuple(self.warnings),
            terms_reading=self.terms_reading if due_source == "PaymentTerms" else "",
            terms_not_read=self.terms_not_read,
            paid_statement=paid[0],
            paid_statement_element=paid[1],
            payee_accounts=self.payee_accounts(),
        )

    def payee_accounts(self) -> tuple[str, ...]:
        """Return the accounts the document asks to be paid to (BT-84): compact, distinct."""
        found = (
            compact_account(_plain(node.text))
            for path in self.syntax.payee_accounts
            for node in self.doc.findall(path, self.syntax.ns)
        )
        return tuple(dict.fromkeys(account for account in found if account))

    def paid_statement(self, terms: str) -> tuple[str, str]:
        """Return (the words that say the invoice is paid, their element): in the payment
        terms (BT-20), else in an invoice note (BT-22); ("", "") when neither says so."""
        said = paid_statement(terms)
        if said:
            return said, self.syntax.terms
        for note in self.doc.findall(self.syntax.notes, self.syntax.ns):
            said = paid_statement(_plain(note.text))
            if said:
                return said, self.syntax.notes
        return "", ""

    def billing_reference(self, number: str, credit: bool) -> str:
        """Return the invoice the document corrects (BT-25), or "" when it names none.

        A credit note for several invoices (BG-3 repeats) does not say how much of it goes to
        each: it is read without an invoice, as a credit that goes to the oldest open invoice,
        with a warning that names them; putting all of it on the first would lower that
        invoice by more than it corrects. An invoice that names several keeps them all. A
        corrected invoice (type 384) may replace the invoice it names: a warning says so. A
        credit note that names its own number (a sender's template that copies BT-1 into
        BT-25) does not credit itself: that name is left out, with a warning.
        """
        path = self.syntax.billing_reference
        named = list(
            dict.fromkeys(
                code
                for node in self.doc.findall(path, self.syntax.ns)
                if (code := normalize_code(_plain(node.text)))
            )
        )
        if credit and number.casefold() in {code.casefold() for code in named}:
            named = [code for code in named if code.casefold() != number.casefold()]
            self.warnings.append(self.credits_itself(number, path, named))
        listed = ", ".join(named)
        shown, shown_number = _value_list(named), shown_value(number)
        if credit and len(named) > 1:
            self.warnings.append(
                f"Creditnota {shown_number} verwijst naar {len(named)} facturen ({shown}; "
                f"{path}) en zegt niet hoeveel voor elk; ze is ingelezen zonder factuur in de "
                "kolom Crediteert factuur en gaat dus als betaling naar de oudste openstaande "
                "factuur. Vul daar zelf een factuur in als ze er één betreft."
            )
            return ""
        if named and not credit and self.text(self.syntax.type_code) == _CORRECTED:
            which = "factuur" if len(named) == 1 else "facturen"
            self.warnings.append(
                f"Factuur {shown_number} is een gecorrigeerde factuur (type {_CORRECTED}) van "
                f"{which} {shown} en is ingelezen als een factuur ernaast. Vervangt ze die, "
                f"boek daar dan een creditnota voor; anders telt het bedrag twee keer."
            )
        return listed

    @staticmethod
    def credits_itself(number: str, path: str, others: list[str]) -> str:
        """Return the warning about a credit note that names its own number as the invoice it
        corrects (BT-25): it does not credit itself; it is read with the other invoices it
        names, or, naming none, as a credit note without an invoice."""
        if others:
            rest = f"de andere factu{'ur' if len(others) == 1 else 'ren'} die ze noemt"
            what = f"Ze is ingelezen met alleen {rest} ({_value_list(others)})."
        else:
            what = (
                "Ze is ingelezen zonder factuur in de kolom Crediteert factuur en gaat dus als "
                "betaling naar de oudste openstaande factuur. Vul daar zelf de factuur in die "
                "ze crediteert als ze er één betreft."
            )
        return (
            f"Creditnota {shown_value(number)} noemt haar eigen nummer als de factuur die ze "
            f"crediteert ({path}); een creditnota crediteert zichzelf niet. {what}"
        )

    def payee(self, number: str, seller: Party) -> None:  # number: as a message quotes it
        """Warn when the file names a payee (BG-10) other than the seller: a factor or an
        assignee to whom the claim was sold or pledged. The customer then pays the payee, and
        a reminder from the seller asks for payment to the wrong party."""
        name = self.text(self.syntax.payee)
        code = self.text(self.syntax.type_code)
        if name and company_key(name) not in {
            company_key(seller.name),
            company_key(seller.trading_name),
        }:
            what = (
                f"noemt een andere begunstigde dan de verkoper: {shown_value(name, 100)} "
                f"({self.syntax.payee})"
            )
        elif code in _FACTORED:
            what = (
                f"is gefactoreerd ({self.syntax.type_code} {code}: overgedragen aan een derde "
                "om te innen)"
            )
        else:
            return
        self.warnings.append(
            f"Let op: factuur {number} {what}. Bij factoring of cessie betaalt de klant aan die "
            "derde, en vraagt een herinnering van u om betaling aan de verkeerde; haal de "
            "factuur dan weg van het blad Facturen."
        )

    def payment_id(self) -> str:
        """Return the payment reference (BT-83): the first, with a warning when the file
        names others (UBL repeats ``cac:PaymentMeans``, one per bank account, each with its
        own ``cbc:PaymentID``): which one the customer uses cannot be known."""
        path = self.syntax.payment_id
        texts = [
            text for node in self.doc.findall(path, self.syntax.ns) if (text := _plain(node.text))
        ]
        # one reference written two ways ("+++123/4567/89012+++" and "123456789012") is one
        by_key: dict[str, str] = {}
        for text in texts:
            structured = _structured_reference(text, None) if len(texts) > 1 else None
            by_key.setdefault(structured.value if structured else text, text)
        found = list(by_key.values())
        if len(found) > 1:
            listed = _value_list(found)
            self.warnings.append(
                f"De e-factuur noemt {len(found)} verschillende betalingskenmerken ({listed}; "
                f"{path}); het eerste is overgenomen in de kolom Betalingskenmerk. Een betaling "
                "met een van de andere wordt niet aan zijn kenmerk herkend."
            )
        return found[0] if found else ""

    def _only_paid_by(self, kinds: Collection[str]) -> str:
        """Return the codes of the ways to pay the invoice names (BT-81, UNCL 4461), listed
        once each, when every one of them is in ``kinds``; else ""."""
        codes = [
            _plain(node.text)
            for node in self.doc.findall(self.syntax.payment_means, self.syntax.ns)
        ]
        if not codes or not all(code in kinds for code in codes):
            return ""
        return _value_list(list(dict.fromkeys(codes)))

    def direct_debit(self, shown: str) -> None:
        """Warn when every way to pay the invoice names (BT-81) is a direct debit (UNCL 4461
        49, 59): the creditor collects the money, and a reminder before the collection failed
        asks the customer for what is taken from the account anyway."""
        listed = self._only_paid_by(_DIRECT_DEBIT)
        if listed:
            self.warnings.append(
                f"Factuur {shown} wordt volgens de e-factuur met een incasso betaald "
                f"(betaalwijze {listed}): u schrijft het "
                "bedrag zelf af van de rekening van de klant. Stuur geen herinnering zolang de "
                "incasso niet is mislukt; een teruggeboekte incasso komt als storno op het blad "
                "Betalingen. Incasseert u na de vervaldatum, vul dan bij deze factuur op het blad "
                "Facturen Pauze tot in met de dag van de incasso."
            )

    def card(self, shown: str) -> None:
        """Warn when every way to pay an invoice names (BT-81) is a payment card (UNCL 4461 48,
        54, 55): the card is charged with the invoice (EN 16931 BG-18), and a reminder asks the
        customer for what the card company pays. Not for a credit note (a refund to the card)."""
        if self.credit or self.negative or self.text(self.syntax.type_code) in _CREDIT_TYPE_CODES:
            return
        listed = self._only_paid_by(_CARD)
        if listed:
            self.warnings.append(
                f"Factuur {shown} wordt volgens de e-factuur met een betaalkaart betaald "
                f"(betaalwijze {listed}): het bedrag wordt van "
                "de kaart van de klant afgeschreven, meestal al bij de factuur. Boek de betaling "
                "op het blad Betalingen zodra ze op uw rekening staat, en stuur geen herinnering "
                "zolang u niet weet dat de kaartbetaling is mislukt."
            )

    def not_pro_forma(self) -> None:
        """Refuse a pro forma invoice (type code 325): it claims no payment."""
        if self.text(self.syntax.type_code) == _PRO_FORMA:
            raise EInvoiceError(
                self.source,
                self.syntax.type_code,
                f"dit is een pro-formafactuur (type {_PRO_FORMA}), die geen betaling vraagt; er "
                "is niets in te lezen. Lees de factuur zelf in als die er is",
            )

    def one_each(self) -> None:
        """Refuse a document with two invoice numbers, issue dates, due dates, currencies,
        type codes or buyers (the schema allows one of each): which one holds cannot be
        known, and reading the first could book a wrong date or customer."""
        syntax = self.syntax
        for path in (
            syntax.number,
            syntax.issue_date,
            syntax.due_date,
            syntax.currency,
            syntax.type_code,
            syntax.buyer,
        ):
            count = len(self.doc.findall(path, syntax.ns)) if path else 0
            if count > 1:
                raise EInvoiceError(
                    self.source,
                    path,
                    f"het bestand noemt dit {count} keer, waar een e-factuur het één keer "
                    "heeft; welke geldt, is niet te zeggen. Vraag de afzender om een juiste "
                    "factuur",
                )

    def one_amount_due(self, path: str) -> None:
        """Refuse a document with two amounts due (two sets of totals, BG-22, or two
        PayableAmounts; the schema allows one): which is owed cannot be known, and reading
        the first could book the wrong amount."""
        count = len(self.doc.findall(path, self.syntax.ns))
        if count > 1:
            raise EInvoiceError(
                self.source,
                path,
                f"het bestand noemt {count} te betalen bedragen, waar een e-factuur er één "
                "heeft; welk bedrag verschuldigd is, is niet te zeggen. Vraag de afzender om "
                "een juiste factuur",
            )

    def same_currency(self, currency: str) -> None:
        """Refuse a total in another currency than the document's (PEPPOL-EN16931-R051: every
        amount is in the invoice currency BT-5, only the VAT total in accounting currency
        BT-111 may differ): an amount in dollars is never booked as euros. A document in
        another currency than the euro is refused by the import for that reason already."""
        if currency != "EUR":
            return
        for element in self.syntax.currency_totals:
            path = self.total(element)
            other = self.attribute(path, "currencyID").upper()
            if other and other != currency:
                raise InvalidValue(
                    self.source,
                    f"{path}/@currencyID",
                    other,
                    f"een andere munt dan die van de factuur ({currency}, "
                    f"{self.syntax.currency}); een bedrag wordt niet in een andere munt "
                    "ingelezen. Vraag de afzender om een juiste factuur",
                )

    def total(self, element: str) -> str:
        """Return the path of one of the totals (BG-22), e.g. PayableAmount."""
        prefix = "cbc" if self.syntax is _UBL else "ram"
        return f"{self.syntax.totals}/{prefix}:{element}"

    def totals(self, payable: Decimal) -> tuple[Decimal | None, Decimal | None]:
        """Return (TaxInclusiveAmount, PrepaidAmount) after checking that the amount due agrees
        with them.

        EN 16931 rule BR-CO-16: amount due (BT-115) = amount with VAT (BT-112) - paid amount
        (BT-113) + rounding amount (BT-114). A file whose amount due says something else does
        not agree with itself, and which of its amounts is owed cannot be known: it is refused
        (a difference of one cent, from an amount with more than two decimals, is allowed).
        """
        syntax = self.syntax
        with_vat = self.amount(self.total(syntax.with_vat), "het bedrag inclusief btw")
        prepaid = self.amount(self.total(syntax.prepaid), "het vooruitbetaalde bedrag")
        rounding = self.amount(self.total(syntax.rounding), "het afrondingsbedrag")
        if with_vat is None:
            return None, prepaid
        expected = with_vat - (prepaid or 0) + (rounding or 0)
        if abs(expected - payable) > Decimal("0.01"):
            parts = f"het bedrag inclusief btw {euro(with_vat)} ({syntax.with_vat})"
            if prepaid:
                parts += f" min het vooruitbetaalde bedrag {euro(prepaid)} ({syntax.prepaid})"
            if rounding:
                parts += f" plus de afronding {euro(rounding)} ({syntax.rounding})"
            raise EInvoiceError(
                self.source,
                self.total(syntax.payable),
                f"het te betalen bedrag {euro(payable)} is niet {parts}, dat is "
                f"{euro(expected)}; de e-factuur klopt niet met zichzelf (EN 16931, regel "
                "BR-CO-16) en welk bedrag verschuldigd is, is niet te zeggen. Vraag de "
                "afzender om een juiste factuur",
            )
        return with_vat, prepaid

    def vat_adds_up(self, with_vat: Decimal | None, currency: str, payable: Decimal) -> None:
        """Warn when the total with VAT (BT-112) is not the total without VAT (BT-109) plus the
        VAT total in the invoice's currency (BT-110): EN 16931 rule BR-CO-15 (a difference of
        one cent is allowed, as in :meth:`totals`).

        The amount due agrees with BT-112 (:meth:`totals`) and is booked, as the invoice asks
        it; but one of the totals is wrong (a program that left the VAT out of the amount due,
        a VAT total given twice), and the file said nothing: the claim may be too low or too
        high. Without BT-109 or a VAT total in the invoice's currency nothing is compared."""
        syntax = self.syntax
        without = self.amount(self.total(syntax.without_vat), "het bedrag exclusief btw")
        if with_vat is None or without is None:
            return
        vat: Decimal | None = None
        for node in self.doc.findall(syntax.vat_total, syntax.ns):
            if (node.get("currencyID") or currency).strip().upper() != currency:
                continue  # the VAT in the accounting currency (BT-111)
            value = self.amount(".", "het btw-bedrag", node=node, where=syntax.vat_total)
            if value is not None:
                vat = value if vat is None else vat + value
        if vat is None or abs(without + vat - with_vat) <= Decimal("0.01"):
            return
        vat_element = syntax.vat_total.rsplit("/", 1)[-1]
        self.warnings.append(
            f"De totalen in de e-factuur kloppen niet met elkaar: het bedrag exclusief btw "
            f"{euro(without)} ({syntax.without_vat}) plus de btw {euro(vat)} ({vat_element}) "
            f"is {euro(without + vat)}, niet het bedrag inclusief btw {euro(with_vat)} "
            f"({syntax.with_vat}; EN 16931, regel BR-CO-15). Het te betalen bedrag "
            f"{euro(payable)} is overgenomen zoals de factuur het vraagt; controleer het met de "
            "afzender voordat u een herinnering stuurt."
        )

    def signed(self, number: str, payable: Decimal) -> Decimal:
        """Return the amount as the Facturen sheet holds it.

        A credit note with a positive amount due is a credit: negative on the sheet. With a
        negative amount due it is refused: Peppol reads it as a payment from the customer to
        the supplier (rule NL-R-007: a payment means is needed unless "Invoice and
        PayableAmount <= 0 or CreditNote and PayableAmount >= 0"), a correction of a credit
        note, while some senders write an ordinary credit note so (Billit has to tell its users
        "the amounts stay positive", docs.billit.be/docs/sending-a-credit-note); which is meant
        cannot be told, and either reading could book the wrong sign. An Invoice keeps its
        sign: a negative invoice is a correction that credits the customer (OpenPEPPOL's
        example base-negative-inv-correction.xml), and the workbook treats it as a credit note.
        An Invoice whose type code (BT-3) is a credit note's (381 and the others of
        :data:`_CREDIT_TYPE_CODES`) is a credit note too: EN 16931 writes a credit note with
        positive amounts whatever its document, and some senders put it in an Invoice.
        """
        if not self.credit:
            type_code = self.text(self.syntax.type_code)
            if type_code not in _CREDIT_TYPE_CODES:
                return payable
            if self.syntax is not _UBL or payable < 0:  # CII: a credit note is type 381
                return self.credit_note(number, payable)
            self.warnings.append(
                f"Factuur {number} is een creditnota (cbc:InvoiceTypeCode {type_code}) in de "
                f"vorm van een Invoice; ze is ingelezen als creditnota van {euro(payable)}."
            )
            return -payable
        return self.credit_note(number, payable)

    def credit_note(self, number: str, payable: Decimal) -> Decimal:
        """Return a credit note's amount, negative; refuse one with a negative amount due
        (see :meth:`signed`)."""
        if payable < 0:
            raise EInvoiceError(
                self.source,
                self.total(self.syntax.payable),
                f"creditnota {number} heeft een negatief te betalen bedrag ({euro(payable)}). "
                "Volgens Peppol betaalt de klant dan (een correctie op een creditnota, regel "
                "NL-R-007), maar sommige programma's schrijven een gewone creditnota zo; welk "
                "van de twee bedoeld is, is niet te zeggen. Vraag de afzender om een creditnota "
                "met een positief bedrag (een tegoed voor de klant) of een factuur (als de klant "
                "moet betalen), of voer het bedrag zelf in op het blad Facturen",
            )
        return -payable

    def due_date(self, issue: date) -> tuple[date | None, str, str]:
        """Return (due date, where it came from, the payment terms text)."""
        terms = _joined_notes(
            _plain(note.text)
            for note in self.doc.findall(self.syntax.terms, self.syntax.ns)
            if note.text and note.text.strip()
        )
        due_path = self.syntax.due_date
        due = self.day(due_path, f"de vervaldatum ({due_path})") if due_path else None
        source = "DueDate"
        if due is None:
            days = self.other_due_dates()
            if len(days) > 1:  # payment in instalments, or means that disagree: not guessed
                self.terms_not_read = (
                    f"ze noemen meer dan één vervaldatum: {_date_list(days)}; welke voor het "
                    "hele bedrag geldt, is niet te zeggen"
                )
                return None, "", terms
            if days:
                due, source = days[0], "PaymentDueDate"
        if due is None and terms:
            reading = read_payment_terms(terms, issue, month_end=self.month_end)
            due, self.terms_reading, self.terms_not_read = (
                reading.due_date,
                reading.reading,
                reading.not_read,
            )
            source = "PaymentTerms"
        if due is None:
            return None, "", terms
        if due < issue:
            where = {"DueDate": due_path, "PaymentTerms": self.syntax.terms}.get(source)
            return self.before_issue(due, issue, where or self.due_where.get(due, ""), terms)
        return due, source, terms

    def before_issue(
        self, due: date, issue: date, where: str, terms: str
    ) -> tuple[date | None, str, str]:
        """Refuse a due date before the issue date, naming the element it is in; a credit
        note's is left out with a warning (nobody is asked to pay a credit note by it, and
        refusing the file lost the credit: some programs copy the credited invoice's due date),
        and so is a negative invoice's (a credit too, :meth:`signed`; it was refused)."""
        credit_note = self.credit or self.text(self.syntax.type_code) in _CREDIT_TYPE_CODES
        if credit_note or self.negative:
            what = "De creditnota" if credit_note else "De negatieve factuur (een creditering)"
            self.warnings.append(
                f"{what} noemt een vervaldatum ({short_date(due)}, {where}) vóór haar "
                f"datum {short_date(issue)}; die is niet overgenomen."
            )
            return None, "", terms
        raise InvalidValue(
            self.source,
            where or "vervaldatum",
            due.isoformat(),
            f"een vervaldatum vóór de factuurdatum {issue.isoformat()}",
        )

    def other_due_dates(self) -> list[date]:
        """Return the distinct due dates outside ``cbc:DueDate``, in order of time.

        ``cac:PaymentMeans/cbc:PaymentDueDate`` (a CreditNote's due date in Peppol BIS Billing
        3.0), and the UBL 2.1 elements of ``cac:PaymentTerms`` that older and non-Peppol UBL
        invoices use: ``cbc:PaymentDueDate`` and ``cbc:InstallmentDueDate``, one per instalment.
        """
        found = []
        for parent, children in (
            ("cac:PaymentMeans", ("cbc:PaymentDueDate",)),
            ("cac:PaymentTerms", ("cbc:PaymentDueDate", "cbc:InstallmentDueDate")),
        ):
            for k, node in enumerate(self.doc.findall(parent, NS), 1):
                for child in children:
                    value = self.text(child, node)
                    if value:
                        where = f"{parent}[{k}]/{child}"
                        found.append(self._date(value, where, "de vervaldatum"))
                        self.due_where.setdefault(found[-1], where)
        return sorted(set(found))

    def vat(self) -> tuple[VatBreakdown, ...]:
        rows = []
        k = 0
        for total in self.doc.findall("cac:TaxTotal", NS):
            for sub in total.findall("cac:TaxSubtotal", NS):
                k += 1
                where = f"cac:TaxTotal/cac:TaxSubtotal[{k}]"
                taxable = self.amount(
                    "cbc:TaxableAmount",
                    "het bedrag waarover btw gaat",
                    node=sub,
                    required=True,
                    where=f"{where}/cbc:TaxableAmount",
                )
                tax = self.amount(
                    "cbc:TaxAmount",
                    "het btw-bedrag",
                    node=sub,
                    required=True,
                    where=f"{where}/cbc:TaxAmount",
                )
                rows.append(
                    VatBreakdown(
                        category=self.text("cac:TaxCategory/cbc:ID", sub),
                        percent=self.percent("cac:TaxCategory/cbc:Percent", sub, where),
                        taxable_amount=taxable,  # type: ignore[arg-type]
                        tax_amount=tax,  # type: ignore[arg-type]
                    )
                )
        return tuple(rows)

    def percent(self, path: str, node: etree._Element, where: str) -> Decimal | None:
        """Return a VAT rate (21, 5.5) or None when the subtotal gives none (category O)."""
        text = self.text(path, node)
        if not text:
            return None
        if not _DECIMAL.fullmatch(text):
            raise InvalidValue(self.source, f"{where}/{path}", text, "geen percentage")
        percent = Decimal(text).normalize()
        if abs(percent) > 100:  # no VAT rate; 10**30 also overflowed quantize (a traceback)
            raise InvalidValue(
                self.source, f"{where}/{path}", text, "geen btw-percentage (0 tot 100)"
            )
        return percent.quantize(Decimal(1)) if percent == percent.to_integral_value() else percent

    def party(self, path: str) -> Party:
        node = self.doc.find(path, NS)
        if node is None:
            return Party()
        tax = ""
        for scheme in node.findall("cac:PartyTaxScheme", NS):
            kind = self.text("cac:TaxScheme/cbc:ID", scheme).upper()
            if kind in ("VAT", "") and not tax:
                tax = self.text("cbc:CompanyID", scheme)
        legal = _name(self.text("cac:PartyLegalEntity/cbc:RegistrationName", node))
        trading = _name(self.text("cac:PartyName/cbc:Name", node))
        registration, registration_scheme = _kvk_number(*self.registration(node))
        endpoint_scheme = _scheme(self.attribute("cbc:EndpointID", "schemeID", node))
        return Party(
            name=legal or trading,
            trading_name=trading,
            endpoint_id=_endpoint(self.text("cbc:EndpointID", node), endpoint_scheme),
            endpoint_scheme=endpoint_scheme,
            registration=registration,
            registration_scheme=registration_scheme,
            vat_number=tax,
            street=self.street(node),
            additional_street=self.additional_street(node),
            postcode=self.text("cac:PostalAddress/cbc:PostalZone", node),
            city=self.text("cac:PostalAddress/cbc:CityName", node),
            country=self.text("cac:PostalAddress/cac:Country/cbc:IdentificationCode", node).upper(),
            contact=self.text("cac:Contact/cbc:Name", node),
            email=_address(self.text("cac:Contact/cbc:ElectronicMail", node)),
            phone=self.text("cac:Contact/cbc:Telephone", node),
        )

    def street(self, party: etree._Element) -> str:
        """Return the street of a UBL party's address (BT-50), with its house number.

        Peppol writes the number in ``cbc:StreetName``; other UBL senders (e-fff, OIOUBL,
        SI-UBL 1) in ``cbc:BuildingNumber``, which a letter needs as much. Without a
        StreetName, the address lines (``cac:AddressLine/cbc:Line``, BT-162) are the street,
        the number after them (only the number was kept).
        """
        address = party.find("cac:PostalAddress", NS)
        if address is None:
            return ""
        street = self.text("cbc:StreetName", address)
        if not street:  # a house number alone is no street: it goes after the address lines
            lines = (_plain(line.text) for line in address.findall("cac:AddressLine/cbc:Line", NS))
            street = ", ".join(line for line in lines if line)
        number = self.text("cbc:BuildingNumber", address)
        if number and street.split()[-1:] != [number]:  # not written twice
            street = f"{street} {number}".strip()
        return street

    def additional_street(self, party: etree._Element) -> str:
        """Return the additional street (BT-51, ``cbc:AdditionalStreetName``) with the address
        line (BT-163, ``cac:AddressLine/cbc:Line``) of an address that has a street: "Unit 4",
        "t.a.v. Financiële administratie". (Without a StreetName the address line is the street,
        :meth:`street`.) The address line was left out, and a letter lost the line that takes
        it to the department that pays. A line that repeats the street is not written twice."""
        address = party.find("cac:PostalAddress", NS)
        if address is None:
            return ""
        street = self.text("cbc:StreetName", address)
        parts = [self.text("cbc:AdditionalStreetName", address)]
        if street:
            parts += (_plain(line.text) for line in address.findall("cac:AddressLine/cbc:Line", NS))
        unique = dict.fromkeys(part for part in parts if part)  # in order, each once
        return ", ".join(part for part in unique if part.casefold() != street.casefold())

    def registration(self, party: etree._Element) -> tuple[str, str]:
        """Return (registration number, its scheme) of a UBL party: ``PartyLegalEntity/
        CompanyID`` (BT-47), else a party identifier (BT-46) in a registration scheme, by its
        ``schemeID`` or (e-fff) its ``schemeAgencyName`` "KBO" (an identifier without either is
        often the seller's own customer number: not taken)."""
        path = "cac:PartyLegalEntity/cbc:CompanyID"
        number = self.text(path, party)
        if number:
            return number, _scheme(self.attribute(path, "schemeID", party))
        for node in party.findall("cac:PartyIdentification/cbc:ID", NS):
            scheme = _scheme(node.get("schemeID") or node.get("schemeAgencyName") or "")
            number = _plain(node.text)
            if number and scheme in _REGISTRATION_SCHEMES:
                return number, scheme
        oins = [
            _plain(node.text)
            for node in (
                *party.findall("cbc:EndpointID", NS),
                *party.findall("cac:PartyIdentification/cbc:ID", NS),
            )
            if _scheme(node.get("schemeID") or "") == EAS_NL_OIN
        ]
        return _kvk_in_oin(oins)

    def reference(
        self, payment_id: str, kind: references.ReferenceKind | None
    ) -> references.PaymentReference | None:
        """Return the structured payment reference in BT-83, if there is one (see
        :func:`_structured_reference`); warn when it looks like one whose check digits fail."""
        if not payment_id:
            return None
        found = _structured_reference(payment_id, kind)
        if found is not None:
            return found
        compact = re.sub(r"[ .\-]", "", payment_id)
        if payment_id.strip().startswith(("+++", "***")) or (
            compact.isdigit() and len(compact) == 12
        ):
            self.warnings.append(
                f"Het betalingskenmerk '{shown_value(payment_id)}' lijkt een gestructureerde "
                "mededeling (OGM), maar de controlecijfers kloppen niet; het is als gewone tekst "
                "overgenomen."
            )
        elif compact.upper().startswith("RF") and compact[2:4].isdigit():
            self.warnings.append(
                f"Het betalingskenmerk '{shown_value(payment_id)}' lijkt een RF-kenmerk, maar de "
                "controlecijfers kloppen niet; het is als gewone tekst overgenomen."
            )
        return None

    def description(self) -> str:
        line = "cac:CreditNoteLine" if self.credit else "cac:InvoiceLine"
        first = self.doc.find(line, NS)
        if first is not None:
            name = self.text("cac:Item/cbc:Name", first)
            if name:
                return name
        return self.text("cbc:Note")


#: A KvK number named as such in a registration without a scheme ("KvK 27123456 0000").
_KVK_LABEL = re.compile(
    r"\bk\.?\s?v\.?\s?k\b|handelsregister|chamber\s+of\s+commerce", re.IGNORECASE
)


def _kvk_number(number: str, scheme: str) -> tuple[str, str]:
    """Return (registration, scheme) with a Dutch KvK number (scheme 0106, or named "KvK")
    as its 8 digits where the sender wrote more: the old 12-digit form with its subdossier
    number ("27123456 0000", "271234560000"), or a branch's 12-digit establishment number
    beside it ("KvK 27123456, vestigingsnummer 000012345678"; KvK: the KVK number has 8
    digits, a branch number 12). A branch number alone holds no KvK number: kept as written,
    as is any other form.

    >>> _kvk_number("KvK 27123456 0000", ""), _kvk_number("000012345678", "0106")
    (('27123456', ''), ('000012345678', '0106'))
    """
    if scheme != EAS_NL_KVK and not (scheme == "" and _KVK_LABEL.search(number)):
        return number, scheme
    runs = re.findall(r"\d+", number)
    if len("".join(runs)) == 8:
        return number, scheme  # the number itself, with dots or spaces as written
    eights = [run for run in runs if len(run) == 8]
    others = [run for run in runs if len(run) != 8]
    if len(eights) == 1 and all(
        len(run) == 4 or (len(run) == 12 and run.startswith("0000")) for run in others
    ):
        return eights[0], scheme
    if len(runs) == 1 and len(runs[0]) == 12 and not runs[0].startswith("0000"):
        return runs[0][:8], scheme  # the dossier number and a subdossier number of 4 digits
    return number, scheme


def _kvk_in_oin(oins: Iterable[str]) -> tuple[str, str]:
    """Return (the KvK number, 0106) in the first OIN that holds one (prefix 00000003,
    :data:`_OIN_KVK`), or ("", ""): a Dutch public buyer often gives only its OIN as Peppol
    address (EndpointID 0190), and was then neither matched to the customer with that KvK
    number nor added with it.

    >>> _kvk_in_oin(["00000001002564440000", "00000003170123450000"])
    ('17012345', '0106')
    """
    for oin in oins:
        found = _OIN_KVK.fullmatch(oin.replace(" ", ""))
        if found:
            return found.group(1), EAS_NL_KVK
    return "", ""


def _structured_reference(
    payment_id: str, kind: references.ReferenceKind | None
) -> references.PaymentReference | None:
    """Return the structured payment reference in a BT-83 text, or None.

    :func:`references.read_reference` decides, with the search in free text and the whole
    text as one reference; ``kind`` is the reference the seller's country uses (the seller's
    country in the file, else the creditor's; :func:`references.national_kind`): 12 digits
    that are both an OGM and a betalingskenmerk (about one in 97 betalingskenmerken of 12
    digits) are its kind when written in neither's form, an OGM when it is not NL. Before that,
    two spellings an e-invoice uses are read as what they are written as:

    * 7 digits with a hyphen or dot (``2026-001``) are an invoice number, the text the
      customer is to quote, not a betalingskenmerk (whose 7-digit form has no check digit);
    * digits in an OGM's groups of 3, 4 and 5 (``202.6020.30627``) are an OGM, also when
      their 12 digits pass the betalingskenmerk's check as well (one in eleven does);
    * digits with dots or hyphens that the validators do not drop (an OGM as ``0020-2602-0307``)
      are read without them when they are no reference as written.
    """
    compact = _SPELLING_SEPARATORS.sub("", payment_id)
    plain = payment_id.strip()
    if len(compact) == 7 and compact.isdigit() and compact != payment_id.replace(" ", ""):
        return None
    if _OGM_GROUPS.fullmatch(plain):
        ogm = f"+++{compact[:3]}/{compact[3:7]}/{compact[7:]}+++"
        return references.read_reference(ogm, kind)
    found = references.read_reference(payment_id, kind)
    if found is None and compact.isdigit() and compact != plain:
        found = references.read_reference(compact, kind)
    return found


_SPELLING_SEPARATORS = re.compile(r"[ .\-]")


# --- UN/CEFACT CII ------------------------------------------------------------------------------

#: The namespaces of a UN/CEFACT Cross Industry Invoice (D16B), EN 16931-3-3.
NS_CII = {
    "rsm": _CII_NS,
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
_DOC = "rsm:ExchangedDocument"
_TX = "rsm:SupplyChainTradeTransaction"
_AGREEMENT = f"{_TX}/ram:ApplicableHeaderTradeAgreement"
_SETTLEMENT = f"{_TX}/ram:ApplicableHeaderTradeSettlement"
_CII_TERMS = f"{_SETTLEMENT}/ram:SpecifiedTradePaymentTerms"

#: What a Factur-X/ZUGFeRD file of the MINIMUM profile leaves out (Factur-X 1.0, the profile's
#: business terms: BT-1, 2, 3, 5, 10, 13, 24, 27, 30, 31, 40, 44, 46, 47, 106, 109, 110, 112,
#: 115 and no more).
_MINIMUM = (
    "Dit is een Factur-X- of ZUGFeRD-bestand van het profiel MINIMUM: het bevat alleen de kop "
    "en de totalen van de factuur, zonder factuurregels, vervaldatum, betalingsvoorwaarden, "
    "betalingskenmerk of adres van de koper; de PDF zelf is de factuur. Controleer op het blad "
    "Facturen de vervaldatum, het betalingskenmerk en de omschrijving met de PDF."
)

#: The account to pay to (BT-84) in CII: an IBAN, or another account number.
_CII_ACCOUNT = (
    f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount"
)

_CII = _Syntax(
    ns=NS_CII,
    number=f"{_DOC}/ram:ID",
    issue_date=f"{_DOC}/ram:IssueDateTime/udt:DateTimeString",
    type_code=f"{_DOC}/ram:TypeCode",
    currency=f"{_SETTLEMENT}/ram:InvoiceCurrencyCode",
    customization="rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/"
    "ram:ID",
    totals=f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation",
    payable="DuePayableAmount",
    with_vat="GrandTotalAmount",
    without_vat="TaxBasisTotalAmount",
    vat_total=f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount",
    prepaid="TotalPrepaidAmount",
    rounding="RoundingAmount",
    # not TaxTotalAmount: it may be given a second time in the accounting currency (BT-111)
    currency_totals=(
        "LineTotalAmount",
        "ChargeTotalAmount",
        "AllowanceTotalAmount",
        "TaxBasisTotalAmount",
        "GrandTotalAmount",
        "TotalPrepaidAmount",
        "RoundingAmount",
        "DuePayableAmount",
    ),
    due_date="",  # in the payment terms, see _CiiReader.other_due_dates
    terms=f"{_CII_TERMS}/ram:Description",
    notes=f"{_DOC}/ram:IncludedNote/ram:Content",
    payment_id=f"{_SETTLEMENT}/ram:PaymentReference",
    payment_means=f"{_SETTLEMENT}/ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode",
    billing_reference=f"{_SETTLEMENT}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID",
    buyer_reference=f"{_AGREEMENT}/ram:BuyerReference",
    order_reference=f"{_AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID",
    buyer=f"{_AGREEMENT}/ram:BuyerTradeParty",
    seller=f"{_AGREEMENT}/ram:SellerTradeParty",
    payee=f"{_SETTLEMENT}/ram:PayeeTradeParty/ram:Name",
    payee_accounts=(
        f"{_CII_ACCOUNT}/ram:IBANID",
        f"{_CII_ACCOUNT}/ram:ProprietaryID",
    ),
    date=re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII),
    date_form="JJJJMMDD (format 102)",
)


class _CiiReader(_Reader):
    """Reads a CII invoice (``rsm:CrossIndustryInvoice``: Factur-X/ZUGFeRD's XML, XRechnung
    CII) into the same :class:`EInvoice` as a UBL one.

    Paths from EN 16931-3-3 (the CII syntax binding) and the Factur-X 1.0 EN 16931 profile. A
    credit note is the same document with type code 381 (BT-3) and positive amounts; the due
    date (BT-9) and the terms (BT-20) are in ``ram:SpecifiedTradePaymentTerms``.
    """

    syntax = _CII

    def invoice(self) -> EInvoice:
        if self.text(self.syntax.customization).lower().endswith(":minimum"):
            self.warnings.append(_MINIMUM)
        return super().invoice()

    def other_due_dates(self) -> list[date]:
        """Return the distinct ``ram:DueDateDateTime`` of the payment terms, in order of time."""
        found = []
        for k, node in enumerate(self.doc.findall(_CII_TERMS, NS_CII), 1):
            value = self.text("ram:DueDateDateTime/udt:DateTimeString", node)
            if value:
                where = f"{_CII_TERMS}[{k}]/ram:DueDateDateTime"
                found.append(self._date(value, where, "de vervaldatum"))
                self.due_where.setdefault(found[-1], where)
        return sorted(set(found))

    def vat(self) -> tuple[VatBreakdown, ...]:
        rows = []
        for k, tax in enumerate(self.doc.findall(f"{_SETTLEMENT}/ram:ApplicableTradeTax", NS_CII)):
            where = f"{_SETTLEMENT}/ram:ApplicableTradeTax[{k + 1}]"
            amounts = [
                self.amount(
                    f"ram:{element}", meaning, node=tax, required=True, where=f"{where}/{element}"
                )
                for element, meaning in (
                    ("BasisAmount", "het bedrag waarover btw gaat"),
                    ("CalculatedAmount", "het btw-bedrag"),
                )
            ]
            rows.append(
                VatBreakdown(
                    category=self.text("ram:CategoryCode", tax),
                    percent=self.percent("ram:RateApplicablePercent", tax, where),
                    taxable_amount=amounts[0],  # type: ignore[arg-type]
                    tax_amount=amounts[1],  # type: ignore[arg-type]
                )
            )
        return tuple(rows)

    def party(self, path: str) -> Party:
        node = self.doc.find(path, NS_CII)
        if node is None:
            return Party()
        tax = ""
        for registration in node.findall("ram:SpecifiedTaxRegistration/ram:ID", NS_CII):
            if (registration.get("schemeID") or "").strip().upper() == "VA" and not tax:
                tax = _plain(registration.text)
        address = "ram:PostalTradeAddress/ram:"
        contact = "ram:DefinedTradeContact/ram:"
        uri = "ram:URIUniversalCommunication/ram:"
        registration, registration_scheme = _kvk_number(*self.registration(node))
        endpoint_scheme = _scheme(self.attribute(f"{uri}URIID", "schemeID", node))
        return Party(
            name=_name(self.text("ram:Name", node)),
            trading_name=_name(
                self.text("ram:SpecifiedLegalOrganization/ram:TradingBusinessName", node)
            ),
            endpoint_id=_endpoint(self.text(f"{uri}URIID", node), endpoint_scheme),
            endpoint_scheme=endpoint_scheme,
            registration=registration,
            registration_scheme=registration_scheme,
            vat_number=tax,
            street=self.text(f"{address}LineOne", node),
            # BT-51 and the address line BT-163 (LineThree), as in UBL
            additional_street=", ".join(
                line
                for line in (
                    self.text(f"{address}LineTwo", node),
                    self.text(f"{address}LineThree", node),
                )
                if line
            ),
            postcode=self.text(f"{address}PostcodeCode", node),
            city=self.text(f"{address}CityName", node),
            country=self.text(f"{address}CountryID", node).upper(),
            contact=self.text(f"{contact}PersonName", node),
            email=_address(self.text(f"{contact}EmailURIUniversalCommunication/ram:URIID", node)),
            phone=self.text(f"{contact}TelephoneUniversalCommunication/ram:CompleteNumber", node),
        )

    def registration(self, party: etree._Element) -> tuple[str, str]:
        """Return (registration number, its scheme) of a CII party: ``ram:SpecifiedLegal
        Organization/ram:ID`` (BT-47), else a ``ram:GlobalID`` (BT-46) in a registration
        scheme."""
        path = "ram:SpecifiedLegalOrganization/ram:ID"
        number = self.text(path, party)
        if number:
            return number, _scheme(self.attribute(path, "schemeID", party))
        for node in party.findall("ram:GlobalID", NS_CII):
            scheme = _scheme(node.get("schemeID") or "")
            number = _plain(node.text)
            if number and scheme in _REGISTRATION_SCHEMES:
                return number, scheme
        return _kvk_in_oin(
            _plain(node.text)
            for node in (
                *party.findall("ram:URIUniversalCommunication/ram:URIID", NS_CII),
                *party.findall("ram:GlobalID", NS_CII),
            )
            if _scheme(node.get("schemeID") or "") == EAS_NL_OIN
        )

    def description(self) -> str:
        name = self.text(
            f"{_TX}/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedTradeProduct/ram:Name"
        )
        return name or self.text(f"{_DOC}/ram:IncludedNote/ram:Content")
