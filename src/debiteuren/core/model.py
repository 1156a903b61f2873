"""The domain records: creditor, debtor, invoice, payment, action and settings.

All records are frozen, keyword-only dataclasses; change them with :func:`dataclasses.replace`.
Amounts are Decimal euro, dates are :class:`datetime.date`. Nothing here reads a clock or a file.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from .money import ZERO

__all__ = [
    "DEFAULT_COUNTRY",
    "YEARS",
    "Action",
    "Agency",
    "Channel",
    "Country",
    "Creditor",
    "DayCount",
    "Debtor",
    "DebtorKind",
    "Feb29Anniversary",
    "Invoice",
    "LetterState",
    "Payment",
    "PlanInstalment",
    "ReferenceKind",
    "Settings",
    "Step",
    "quick_init",
]


_Record = TypeVar("_Record", bound=type)


def quick_init(cls: _Record) -> _Record:
    """Give a frozen, slotted, keyword-only dataclass an ``__init__`` that stores each field
    through its slot, with the same parameters and defaults as the one ``dataclass`` made.

    That one stores a frozen record's fields through ``object.__setattr__``, which looks each
    name up again: ~50 ns a field more. The assessment makes a statement of 22 fields, a claim
    and a stage per invoice, and a record per payment and capitalisation (issue 17: 0.1 s at
    50,000 invoices). Only for records without a default factory, ``__post_init__`` or a field
    left out of ``__init__``; the made one stays as ``_dataclass_init`` (the tests compare).

    >>> @quick_init
    ... @dataclass(frozen=True, slots=True, kw_only=True)
    ... class Pair:
    ...     a: int
    ...     b: str = "x"
    >>> Pair(a=1), Pair(a=2, b="y") == Pair(b="y", a=2)
    (Pair(a=1, b='x'), True)
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: not a frozen, slotted dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: has __post_init__")
    names = []
    scope: dict[str, object] = {}
    for f in fields(cls):
        if not (f.init and f.kw_only) or f.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: not a plain keyword field")
        scope[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is MISSING:
            names.append(f.name)
        else:
            scope[f"_default_{f.name}"] = f.default
            names.append(f"{f.name}=_default_{f.name}")
    body = "".join(f"    _set_{f.name}(self, {f.name})\n" for f in fields(cls)) or "    pass\n"
    exec(f"def __init__(self, *, {', '.join(names)}):\n{body}", scope)
    made = scope["__init__"]
    made.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    made.__doc__ = cls.__init__.__doc__  # type: ignore[misc]
    cls._dataclass_init = cls.__init__  # type: ignore[attr-defined,misc]
    cls.__init__ = made  # type: ignore[misc]
    return cls


class Country(StrEnum):
    """A country whose law debiteuren knows; its rules are in ``core/rules`` (one module each).

    A customer may live anywhere (:attr:`Debtor.country` is any ISO 3166 code); the law that
    governs its claims is one of these (:func:`debiteuren.core.rules.rules_for`).
    """

    NL = "NL"
    BE = "BE"


#: The years a date may have (a workbook cell or the command line): a year such as 2926 or 1026
#: for 2026 is a typo, and 31-12-9999 ("never") overflowed the day after it; interest over
#: centuries ran until the Decimal context overflowed (a traceback).
YEARS = range(1900, 2200)
#: What a message about a year outside :data:`YEARS` says (in brackets or after a semicolon).
YEARS_NOTE = f"debiteuren rekent met de jaren {YEARS[0]} tot en met {YEARS[-1]}"

#: Where a creditor is established when nothing says otherwise (the Instellingen sheet's Land
#: defaults to it too).
DEFAULT_COUNTRY = Country("NL")


class ReferenceKind(StrEnum):
    """The kind of a structured payment reference (made and checked in ``core/references``)."""

    NL = "betalingskenmerk"
    OGM = "ogm"
    RF = "rf"


class DebtorKind(StrEnum):
    """Consumer (natural person outside a trade) or business."""

    CONSUMER = "consumer"
    BUSINESS = "business"


class DayCount(StrEnum):
    """Day-count conventions (shared/domain/README.md §2); ``ACT_365`` is the default."""

    ACT_365 = "365"
    ACTUAL = "werkelijk"
    INTEREST_YEAR = "rentejaar"


class Feb29Anniversary(StrEnum):
    """Anniversary of a first interest day on 29 February in a non-leap year (nl.md §1.6 ⚠)."""

    FEB_28 = "28-02"
    MAR_1 = "01-03"


class Channel(StrEnum):
    """How a letter was sent; it decides when it counts as received."""

    POST = "post"
    REGISTERED = "aangetekend"
    EMAIL = "e-mail"
    PHONE = "telefoon"


class LetterState(StrEnum):
    """Whether a logged letter really went out (the Status column of Acties).

    An empty Status (``None`` on :class:`Action`) is a row the user typed or an old row: it
    records what happened, so it counts as sent on its own date. Which letters count and from
    which day is decided in :mod:`debiteuren.core.rules.lifecycle`.
    """

    DRAFT = "concept"  # made, not sent yet: an e-mail draft, a letter in the print file
    SENT = "verzonden"  # sent, on ``Action.sent_on`` (else on ``Action.on``)
    FAILED = "mislukt"  # could not be sent (the reason is in the note)
    CANCELLED = "geannuleerd"  # made, and the user decided not to send it


class Step(StrEnum):
    """The steps of the ladder; the value is the Dutch word used in the workbook."""

    REMINDER = "herinnering"
    CALL = "telefoon"
    FOURTEEN_DAY_LETTER = "14-dagenbrief"
    BE_FIRST_REMINDER = "eerste herinnering"
    NOTICE_OF_DEFAULT = "ingebrekestelling"
    HANDOVER = "overdracht"
    PROMISE = "betaalbelofte"
    DISPUTE = "betwisting"
    NOTE = "notitie"
    PLAN = "regeling"
    #: BE: a notice of default by a lawyer or bailiff (art. 2244 §2 old BW); the only letter
    #: that interrupts Belgian limitation (be.md §5.2).
    BE_FORMAL_NOTICE = "ingebrekestelling advocaat of deurwaarder"


@dataclass(frozen=True, slots=True, kw_only=True)
class Creditor:
    """The user's business, as on the Instellingen sheet.

    Attributes:
      name: legal name on letters.
      country: where the creditor is established.
      registration: KvK number (NL) or enterprise number KBO/BCE (BE).
      vat_deductible: False when the creditor cannot deduct VAT (then NL costs get +21 %).
      is_sme: BE consumer rules: an SME may let interest run from the start of the term.
    """

    name: str
    country: Country = DEFAULT_COUNTRY
    address: str = ""
    postcode: str = ""
    city: str = ""
    registration: str = ""
    vat_number: str = ""
    iban: str = ""
    bic: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    signatory: str = ""
    vat_deductible: bool = True
    is_sme: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Debtor:
    """A customer (Klanten sheet).

    Attributes:
      number: the customer number (Klantnr), unique.
      country: where the customer lives or is established: an ISO 3166 alpha-2 code (``NL``,
        ``BE``, ``DE`` …), upper case.
      kind: consumer or business; decides the regime (WIK / Book XIX / B2B law).
      language: letter language, ``nl``, ``fr``, ``en`` or ``de``.
      payment_term_days: agreed payment term, used when an invoice has no due date.
      salutation: the letters' salutation line (``Geachte mevrouw De Vries``); "" for the
        neutral one of the letter's language.
      law: the law the user set for the customer's claims (the Klanten column "Toepasselijk
        recht"), or None; it only decides for a customer outside the Netherlands and Belgium
        (:func:`debiteuren.core.rules.applicable_law`).
    """

    number: str
    name: str
    country: str
    kind: DebtorKind
    contact: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    email: str = ""
    phone: str = ""
    language: str = "nl"
    registration: str = ""
    vat_number: str = ""
    payment_term_days: int | None = None
    handed_over: bool = False
    ibans: tuple[str, ...] = ()
    salutation: str = ""
    law: Country | None = None


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Invoice:
    """A sales invoice (Facturen sheet).

    Attributes:
      amount: the amount payable including VAT; negative for a credit note.
      due_date: the agreed last day of payment; interest accrues from the next day.
      disputed: a disputed invoice never gets a letter.
      paused_until: no letters until (and including) this day.
      reference: the payment reference printed on letters (betalingskenmerk / OGM / RF).
    """

    number: str
    debtor: str
    invoice_date: date
    due_date: date
    amount: Decimal
    description: str = ""
    disputed: bool = False
    paused_until: date | None = None
    reference: str = ""
    is_credit_note: bool = False
    credits: str = ""
    note: str = ""
    file: str = ""


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Payment:
    """A payment received (Betalingen sheet); credited on ``on``.

    Attributes:
      invoice: the invoice the payment names (by reference or number), or "" when none.
    """

    on: date
    amount: Decimal
    debtor: str
    invoice: str = ""
    text: str = ""
    source: str = ""
    bank_reference: str = ""
    payer_iban: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """One logged step in the Acties sheet: a letter, a call, a promise, a hand-over.

    Attributes:
      on: the day the action was logged (a letter: the day it was made and dated).
      invoices: the invoice numbers it covers.
      received_on: the day a letter was (proven) received, when known.
      deadline: the last day of the term the letter gave.
      promised_on: for a promise to pay, the day by which the debtor promised to pay.
      state: whether a letter went out; None (an empty Status) counts as sent on ``on``.
      sent_on: the day the letter went out, when it differs from ``on`` or was marked later.
    """

    on: date
    debtor: str
    step: Step
    invoices: tuple[str, ...] = ()
    channel: Channel = Channel.POST
    file: str = ""
    amount_claimed: Decimal = ZERO
    deadline: date | None = None
    received_on: date | None = None
    promised_on: date | None = None
    note: str = ""
    tracking: str = ""
    state: LetterState | None = None
    sent_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Agency:
    """A collection agency or bailiff (Incassobureaus sheet), the addressee of a hand-over."""

    name: str
    code: str = ""
    contact: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanInstalment:
    """One instalment of a payment plan (Regelingen sheet)."""

    debtor: str
    number: int
    due_date: date
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Every choice the law leaves open, with the documented defaults (shared/domain ⚠ points).

    Attributes:
      day_count: ``365`` (default), ``werkelijk`` or ``rentejaar`` (README §2).
      feb29_anniversary: capitalisation anniversary for a 29-Feb start in non-leap years.
      nl_consumer_interest_from_letter: NL consumer interest only from the end of the 14-day
        letter's term (when the invoice term is not an agreed fatal term); default False:
        from the day after the due date.
      nl_b2b_costs: ``"40"`` (the automatic minimum per invoice, default) or ``"staffel"``
        (the WIK scale per invoice, at least 40), nl.md §5.3 ⚠.
      nl_postal_delivery_weekdays: weekdays (0 = Monday) on which ordinary mail is delivered in
        the Netherlands; default Tuesday to Saturday (nl.md §4.3 ⚠).
      nl_consumer_goods_sale: limitation of NL consumer claims: True applies the 2-year rule of
        art. 7:28 BW (sale of goods, the safe default), False the 5 years of art. 3:307.
      credit_note_from: when a credit note that names its invoice takes effect: ``"factuur"``
        (default: it corrects the invoice from its start, interest and costs included) or
        ``"creditnota"`` (the invoice is lower from the credit note's own date on).
      einvoice_month_end: how "30 dagen einde maand" in an e-invoice's payment terms is read:
        ``"einde maand plus dagen"`` (default: the end of the invoice month, then the days) or
        ``"dagen dan einde maand"`` (``debiteuren.einvoice.read_payment_terms``).
      be_consumer_goods_sale: BE consumer claims for goods: warn at the 1-year presumption of
        payment of art. 2272 old BW (default True); False uses the general 10 years.
      be_saturday_is_working_day: Book XIX postal term start (be.md §3.2 ⚠); default False.
      be_extend_term_to_working_day: a Book XIX term ending on a weekend or holiday ends on the
        next working day (be.md §3.3 ⚠); default True (safe).
      be_b2b_clause_percent / _minimum / _maximum: a B2B damages clause; the charge is
        max(40, clause) per invoice (be.md §1.6 ⚠ default).
      be_consumer_interest_clause: the agreed consumer interest rate (percent), capped at the
        B2B statutory rate; None when the terms have no valid clause.
      be_consumer_lump_sum_clause: the terms stipulate the Book XIX lump sum (charged at the cap).
      be_consumer_no_clause: what a BE consumer owes beyond the principal without a valid
        clause: ``"niets"`` (default, safe) or ``"wettelijke_interest"`` (be.md §3.6 ⚠).
      be_consumer_sme_interest_from_term_start: an SME creditor lets interest run from the start
        of the term (be.md §3.6 ⚠; default True when the creditor is an SME).
      vat_rate: the VAT percentage added to NL costs when the creditor cannot deduct VAT.
      abroad_delivery_days: working days (Monday to Friday, the destination's public holidays
        excluded) after which a letter sent by post to an address abroad is presumed received.
        Default 5: the EU quality standard for cross-border priority mail is delivery within
        three working days for 85 % and within five for 97 % of letters (Postal Services
        Directive 97/67/EC, annex II), so a term counted from the fifth working day starts no
        earlier than the letter arrives in nearly every case. 0: as in the law's own country.
    """

    day_count: DayCount = DayCount.ACT_365
    feb29_anniversary: Feb29Anniversary = Feb29Anniversary.FEB_28
    nl_consumer_interest_from_letter: bool = False
    nl_b2b_costs: str = "40"
    nl_postal_delivery_weekdays: tuple[int, ...] = (1, 2, 3, 4, 5)
    nl_consumer_goods_sale: bool = True
    nl_email_interrupts_limitation: bool = False
    be_consumer_goods_sale: bool = True
    be_saturday_is_working_day: bool = False
    be_extend_term_to_working_day: bool = True
    be_b2b_clause_percent: Decimal | None = None
    be_b2b_clause_minimum: Decimal = ZERO
    be_b2b_clause_maximum: Decimal | None = None
    be_consumer_interest_clause: Decimal | None = None
    be_consumer_lump_sum_clause: bool = False
    be_consumer_no_clause: str = "niets"
    be_consumer_sme_interest_from_term_start: bool = True
    vat_rate: Decimal = Decimal(21)
    abroad_delivery_days: int = 5
    credit_note_from: str = "factuur"
    einvoice_month_end: str = "einde maand plus dagen"
    # The ladder (issue 4): days between the steps.
    reminder_after_days: int = 7
    call_after_days: int = 10
    demand_after_days: int = 14
    handover_after_days: int = 14
    letter_term_days: int = 14
    statement_max_age_days: int = 3
    small_balance: Decimal = Decimal("5.00")
    # Sending e-mail (the password never lives in the workbook).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str = ""
    smtp_sender: str = ""
    smtp_plain_login: bool = False  # log in without encryption (only on one's own network)
