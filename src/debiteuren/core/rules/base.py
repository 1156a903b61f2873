"""The protocol every country's rules implement, and the records and helpers they share.

The country modules (``nl.py``, ``be.py``) import from here; :mod:`debiteuren.core.rules`
chooses among them and re-exports everything below.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol, runtime_checkable

from ..model import (
    Action,
    Channel,
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    ReferenceKind,
    Settings,
    Step,
)
from ..money import ZERO, Decimal
from ..rates import RateBook, RateRow, RateSchedule, RateSeries

__all__ = [
    "ONE_DAY",
    "Announcement",
    "CostRule",
    "CountryRules",
    "Fee",
    "LetterTerm",
    "VatRelief",
    "Wording",
    "add_years",
    "day_text",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterTerm:
    """The term a formal letter gives: when it counts as received, its days, and what follows.

    Attributes:
      sent_on: the day the letter was sent.
      received_on: the (proven or presumed) day of receipt.
      first_day: the first day of the term.
      last_day: the last day of the term.
      charges_from: the first day costs (or interest) may be charged if still unpaid.
    """

    sent_on: date
    received_on: date
    first_day: date
    last_day: date
    charges_from: date
    amount_claimed: Decimal = ZERO

    @property
    def span(self) -> str:
        """Return the term as a cost's description names it: ``termijn 05-02-2025 tot en met
        18-02-2025`` (the bailiff must show the costs came after an unpaid term)."""
        return f"termijn {self.first_day:%d-%m-%Y} tot en met {self.last_day:%d-%m-%Y}"


@dataclass(frozen=True, slots=True, kw_only=True)
class CostRule:
    """Costs due from ``on`` over a group of invoices.

    ``amount`` computes the costs from the principal still unpaid on the day before ``on`` (for a
    group, their sum); the result is split over the invoices pro rata.
    """

    on: date
    invoices: tuple[str, ...]
    amount: Callable[[Decimal], Decimal]
    description: str
    term: LetterTerm | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Announcement:
    """What a formal letter announces for the day its term passes unpaid.

    Attributes:
      term: the letter's term, from the day it is sent.
      costs: the costs it announces in total (VAT included where the creditor must add it).
      vat: the VAT included in ``costs``.
      includes_vat: the costs carry VAT (the creditor cannot deduct it).
      per_invoice: (invoice, amount) when the costs are charged per invoice, else empty.
      rate: the yearly interest rate that runs after the term, or None when none is announced.
      interest_from: the first day of that interest, or None.
    """

    term: LetterTerm
    costs: Decimal = ZERO
    vat: Decimal = ZERO
    includes_vat: bool = False
    per_invoice: tuple[tuple[str, Decimal], ...] = ()
    rate: Decimal | None = None
    interest_from: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Fee:
    """One cost figure of a next step, with a Dutch description and its source.

    Attributes:
      amount: euro, excluding VAT.
      description: what it is, in Dutch, for the user.
      source: where the figure comes from, with its year.
      assumption: True when the figure is an estimate or unconfirmed for 2025/2026 (⚠).
    """

    amount: Decimal
    description: str
    source: str
    assumption: bool = False


class VatRelief(StrEnum):
    """How a creditor gets the VAT back on a claim that stays unpaid."""

    #: The VAT may be reclaimed once the claim is unpaid one year after it became due.
    AFTER_ONE_YEAR = "na een jaar"
    #: Only a proven, definitive loss gives the VAT back: claims can only be reviewed.
    PROVEN_LOSS = "bewezen verlies"
    #: A customer abroad: an invoice across the border usually carries no Dutch or Belgian VAT
    #: (reverse charge within the EU, an export, VAT of the customer's country through the OSS),
    #: so nothing is listed; only an invoice that did carry it follows the law's own relief.
    NOT_DOMESTIC = "geen binnenlandse btw"


@dataclass(frozen=True, slots=True, kw_only=True)
class Wording:
    """The Dutch sentences in which a country's law reaches the user, with their citations.

    Each is a :meth:`str.format` pattern; the placeholders are named per field.

    Attributes:
      law_name: the law itself, as a sentence names it ("Nederlands recht").
      costs_not_claimed: what a consumer owes only after the formal letter ("geen … gevorderd").
      costs_left_out: the same, as in "zonder … voor 2026-0012" (a hand-over's Acties note).
      no_letter: why those costs are not owed: no formal letter was sent after the due date.
      no_letter_after_notice: the same where a notice put the debtor in default, not the due
        date (:meth:`CountryRules.default_notice_steps`); "" when the law has no such case.
      default_note: the dossier's note on such a default: ``{invoice}``, ``{day}`` (the first
        day of default and of interest), ``{sent}`` and ``{last}`` (the notice's date and the
        last day of its term); "" when the law has no such case.
      term_runs: why not yet: ``{sent}``, ``{last}`` and ``{charges}`` (dates) of its term.
      remedy: what to do before a hand-over can claim them.
      limitation_note: the dossier's limitation note: ``{invoice}``, ``{day}``.
      limitation_passed: the Overzicht's warning for a barred claim: ``{who}``, ``{day}``,
        ``{amount}``, ``{agency}``.
      limitation_ahead: the same before that day: also ``{days}``, and how to interrupt.
    """

    law_name: str
    costs_not_claimed: str
    costs_left_out: str
    no_letter: str
    term_runs: str
    remedy: str
    limitation_note: str
    limitation_passed: str
    limitation_ahead: str
    no_letter_after_notice: str = ""
    default_note: str = ""


@runtime_checkable
class CountryRules(Protocol):
    """What a country module provides (``rules/nl.py``, ``rules/be.py``).

    Data:

    - ``COUNTRY``: the country; ``COMPOUND``: statutory interest is capitalised yearly;
    - ``CITATIONS``: subject -> language -> the article cited (see :func:`citation`);
    - ``LETTER_TEMPLATES``: step -> the template of the country's own letter for that step;
    - ``INTERRUPTING_LETTERS``: the creditor's letters that interrupt limitation (may be empty);
    - ``PAYMENT_REFERENCE``: the structured reference the country's banks read;
    - ``VAT_RELIEF``: how VAT on a bad debt comes back;
    - ``SUMMONS``: a bailiff's summons, indicative;
    - ``WORDING``: the Dutch sentences of the hand-over and the limitation watch;
    - ``EAS_REGISTRATION``, ``EAS_VAT``: the Peppol address schemes (ISO 6523) of a business's
      enterprise number and VAT number.
    """

    COUNTRY: Country
    COMPOUND: bool
    CITATIONS: Mapping[str, Mapping[str, str]]
    LETTER_TEMPLATES: Mapping[Step, str]
    INTERRUPTING_LETTERS: tuple[Step, ...]
    PAYMENT_REFERENCE: ReferenceKind
    VAT_RELIEF: VatRelief
    SUMMONS: Fee
    WORDING: Wording
    EAS_REGISTRATION: str
    EAS_VAT: str

    # --- the ladder and its letters ---

    def ladder(self, kind: DebtorKind) -> tuple[Step, ...]:
        """Return every step for a debtor of ``kind``, the phone step included."""
        ...

    def formal_letter(self, kind: DebtorKind) -> Step | None:
        """Return the letter whose expired term the law requires before costs, or None."""
        ...

    def default_notice_steps(self, debtor: Debtor, settings: Settings) -> tuple[Step, ...]:
        """Return the letters that put ``debtor`` in default when its due date does not (a
        term not agreed beforehand), else ()."""
        ...

    def letter_term(
        self, sent_on: date, channel: Channel, settings: Settings, received_on: date | None = None
    ) -> LetterTerm:
        """Return the statutory term of the formal letter sent on ``sent_on``."""
        ...

    def announced_costs(
        self,
        sent_on: date,
        channel: Channel,
        principals: Sequence[tuple[str, Decimal]],
        debtor: Debtor,
        creditor: Creditor,
        settings: Settings,
        rates: RateBook,
    ) -> Announcement:
        """Return what the formal letter announces for (invoice, unpaid principal) pairs."""
        ...

    # --- interest ---

    def interest_schedule(
        self, debtor: Debtor, creditor: Creditor, settings: Settings, rates: RateBook
    ) -> RateSchedule | None:
        """Return the interest rates that run, or None when no interest runs."""
        ...

    def interest_start(
        self,
        invoice: Invoice,
        debtor: Debtor,
        creditor: Creditor,
        settings: Settings,
        notice: LetterTerm | None,
        notice_paid: bool = False,
    ) -> date | None:
        """Return the last day without interest, or None while no interest runs."""
        ...

    def interest_basis(self, debtor: Debtor, settings: Settings) -> str | None:
        """Return the interest a letter names: a rate series, ``contract``, or None."""
        ...

    def series_in_use(self, debtor: Debtor, settings: Settings) -> tuple[RateSeries, ...]:
        """Return the statutory rate series the debtor's interest depends on."""
        ...

    # --- costs ---

    def cost_rules(
        self,
        invoices: Sequence[Invoice],
        debtor: Debtor,
        creditor: Creditor,
        settings: Settings,
        notices: dict[str, LetterTerm],
    ) -> list[CostRule]:
        """Return the collection costs that apply."""
        ...

    def court_fee(self, amount: Decimal, legal_person: bool = True) -> Fee:
        """Return the court fee for suing for ``amount`` (indicative)."""
        ...

    # --- limitation ---

    def interrupts_limitation(
        self, step: Step, channel: Channel, settings: Settings, note: str = ""
    ) -> bool:
        """Return True when a logged action of ``step`` interrupts limitation once sent."""
        ...

    def interruptions(
        self, invoice: Invoice, actions: Sequence[Action], settings: Settings
    ) -> list[date]:
        """Return the days on which ``actions`` interrupted limitation of ``invoice``."""
        ...

    def limitation_date(
        self, invoice: Invoice, debtor: Debtor, settings: Settings, interruptions: Sequence[date]
    ) -> date:
        """Return the last day to interrupt (NL) or the day the claim is barred (BE)."""
        ...

    # --- VAT, publications, identifiers ---

    def vat_refund_date(self, invoice: Invoice) -> date | None:
        """Return the day from which VAT on the unpaid invoice may be reclaimed, or None."""
        ...

    def rate_publication(self, row: RateRow, language: str = "nl") -> str:
        """Return the legal basis and official publication of a statutory rate row."""
        ...

    def letter_language(self, postcode: str) -> str:
        """Return the letter language for a new customer at ``postcode``."""
        ...

    def registration_number(self, digits: str) -> str:
        """Return an enterprise number as the Klanten sheet writes it, or "" when not one."""
        ...

    def registration_in_vat(self, vat: str) -> str:
        """Return the enterprise number a VAT number contains, or ""."""
        ...


def add_months(day: date, months: int) -> date:
    """Return the same day ``months`` calendar months later, or the last day of that month when
    it is shorter (31 January plus one month: 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """Return the same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


ONE_DAY = timedelta(days=1)


def day_text(day: date, language: str = "nl") -> str:
    """Return a date in a citation: ``03-07-2003`` (nl), ``03/07/2003`` (fr, en) or
    ``03.07.2003`` (de)."""
    if language == "de":
        return f"{day:%d.%m.%Y}"
    return f"{day:%d-%m-%Y}" if language == "nl" else f"{day:%d/%m/%Y}"
