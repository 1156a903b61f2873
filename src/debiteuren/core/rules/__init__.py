"""Country rules: one module per country with the same protocol (stdnum-style).

Every legal decision that differs between countries is made in a country module (``nl.py``,
``be.py``), each of which implements every member of :class:`CountryRules`; a decision that is
the same everywhere but reads a country's rules lives beside it (``lifecycle.py``, and the
functions below). The rest of the program never compares a country: it asks the rules of a claim,
which :func:`rules_for` selects, or the registry (:func:`for_country`, :func:`is_supported`,
:data:`COUNTRIES`).

A customer may live anywhere; the law that governs its claims is always one whose rules exist:
its own country's for a customer in NL or BE, and for a customer abroad the law chosen on the
Klanten sheet ("Toepasselijk recht") or, for a business, the creditor's own (``abroad.py``, Rome I
art. 3, 4 and 6). :func:`rules_for` decides that, and nothing else does.

Adding a country: a member of :class:`~debiteuren.core.model.Country`, a module here that
implements :class:`CountryRules` (``tests/core/test_rules_protocol.py`` checks every member and
its signature), and its entry in :func:`for_country`.

>>> from ..model import Debtor, DebtorKind
>>> rules = rules_for(Debtor(number="K1", name="X", country=Country.BE, kind=DebtorKind.CONSUMER))
>>> rules.COUNTRY, rules.ladder(DebtorKind.CONSUMER)[0].value
(<Country.BE: 'BE'>, 'eerste herinnering')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import Protocol, cast, runtime_checkable

from ...errors import DebiteurenError
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
    "COUNTRIES",
    "AbroadRules",
    "Announcement",
    "CostRule",
    "CountryRules",
    "Fee",
    "LawNotChosen",
    "LetterTerm",
    "UnknownCountry",
    "VatRelief",
    "Wording",
    "add_years",
    "applicable_law",
    "chosen_law_notice",
    "citation",
    "consumer_abroad_problem",
    "costs_gap",
    "day_text",
    "epc_qr_offered",
    "for_country",
    "is_abroad",
    "is_supported",
    "law_problem",
    "law_statement",
    "new_customer_language",
    "payment_reference_kind",
    "rate_citation",
    "rules_for",
    "vat_relief",
]

#: The countries whose law debiteuren knows, each with a rules module.
COUNTRIES: tuple[Country, ...] = tuple(Country)


class UnknownCountry(DebiteurenError):
    """A country for which no rules exist."""

    def __init__(self, country: str) -> None:
        super().__init__(f"Onbekend land '{country}'; debiteuren kent NL en BE.")


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


def add_years(day: date, years: int) -> date:
    """Return the same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


ONE_DAY = timedelta(days=1)


def for_country(country: Country | str) -> CountryRules:
    """Return the rules module for ``country`` (``"NL"`` or ``"BE"``, any case).

    Raises :class:`UnknownCountry` for any other.
    """
    try:
        return _registry()[str(country).upper()]
    except KeyError:
        raise UnknownCountry(str(country)) from None


@cache
def _registry() -> dict[str, CountryRules]:
    """Return country code -> rules module (imported on first use: they import this module)."""
    from . import be, nl

    return {Country.NL.value: cast(CountryRules, nl), Country.BE.value: cast(CountryRules, be)}


def is_supported(country: str) -> bool:
    """Return True when debiteuren has rules for the country code ``country`` (any case).

    >>> is_supported("be"), is_supported("DE"), is_supported("")
    (True, False, False)
    """
    return str(country).strip().upper() in {c.value for c in COUNTRIES}


def rules_for(debtor: Debtor, creditor: Creditor | None = None) -> CountryRules:
    """Return the rules that govern ``debtor``'s claims: the one way to select them.

    The applicable law decides (:func:`~.abroad.applicable_law`): for a customer in NL or BE
    its own country's law; for a business abroad the chosen law or else the ``creditor``'s; a
    consumer abroad only with a chosen law (else :class:`LawNotChosen`). For a customer abroad
    the law's rules come with the presumed delivery of post abroad (:class:`AbroadRules`).

    >>> from ..model import Debtor, DebtorKind
    >>> rules_for(Debtor(number="K1", name="X", country="DE", kind=DebtorKind.BUSINESS),
    ...     Creditor(name="Winkel", country=Country.BE))
    <rules of BE law for a customer in DE>
    """
    law = applicable_law(debtor, creditor)
    if is_supported(debtor.country):
        return for_country(law)
    return _abroad(law, str(debtor.country).strip().upper())


@cache
def _abroad(law: Country, country: str) -> CountryRules:
    return cast(CountryRules, AbroadRules(for_country(law), country))


def vat_relief(debtor: Debtor) -> VatRelief:
    """Return how the VAT on ``debtor``'s unpaid invoices comes back.

    The rules of the customer's own country in NL and BE; for a customer abroad
    :attr:`VatRelief.NOT_DOMESTIC` whatever law governs the claim: the invoice usually carries
    no Dutch or Belgian VAT (:class:`~.abroad.AbroadRules`).
    """
    if is_supported(debtor.country):
        return for_country(debtor.country).VAT_RELIEF
    return VatRelief.NOT_DOMESTIC


def new_customer_language(country: str, postcode: str = "") -> str:
    """Return the letter language of a new customer: its country's rules decide in NL and BE
    (``letter_language``), the country itself elsewhere (:func:`~.abroad.letter_language`).

    >>> new_customer_language("BE", "5000"), new_customer_language("DE")
    ('fr', 'de')
    """
    if is_supported(country):
        return for_country(country).letter_language(postcode)
    return abroad_language(country)


def day_text(day: date, language: str = "nl") -> str:
    """Return a date in a citation: ``03-07-2003`` (nl), ``03/07/2003`` (fr, en) or
    ``03.07.2003`` (de)."""
    if language == "de":
        return f"{day:%d.%m.%Y}"
    return f"{day:%d-%m-%Y}" if language == "nl" else f"{day:%d/%m/%Y}"


def citation(country: Country | str | CountryRules, subject: str, language: str = "nl") -> str:
    """Return the article a statement cites for ``subject`` under a country's law.

    Args:
      country: a country code, or the rules themselves (:func:`rules_for`).
      subject: ``allocation``, ``capitalisation``, ``limitation``, ``interruption``,
        ``costs_consumer``, ``costs_business``, the rate series names, and for letters (after
        "op grond van") ``letter_costs_consumer``, ``letter_costs_business`` and
        ``letter_interest_`` + :meth:`CountryRules.interest_basis`.
      language: ``nl``, ``fr``, ``en`` or ``de`` (another gives Dutch).

    >>> citation("BE", "allocation")
    'art. 5.210 BW (voorheen art. 1254 oud BW)'
    >>> citation("NL", "allocation", "en")
    'art. 6:44 of the Dutch Civil Code (BW)'
    """
    rules = for_country(country) if isinstance(country, str) else country
    texts = rules.CITATIONS[subject]
    return texts.get(language, texts["nl"])


def costs_gap(rules: CountryRules, kind: DebtorKind, notice: LetterTerm | None, as_of: date) -> str:
    """Return why the law does not (yet) allow a debtor's costs at ``as_of``; "" when it does.

    Where the law makes costs (or damages and interest) depend on a formal letter whose term
    expired unpaid (NL consumer: the 14-dagenbrief, art. 6:96 lid 6 BW; BE consumer: the first
    reminder, Book XIX WER), they are not owed without that letter (``notice`` None) nor while
    its term runs.

    >>> from ..model import Settings
    >>> nl = for_country("NL")
    >>> term = nl.letter_term(date(2026, 3, 2), Channel.POST, Settings())
    >>> costs_gap(nl, DebtorKind.CONSUMER, term, date(2026, 3, 10))
    'de termijn van de 14-dagenbrief van 02-03-2026 loopt nog tot en met 17-03-2026; \
incassokosten pas vanaf 18-03-2026 (art. 6:96 lid 6 BW)'
    >>> costs_gap(nl, DebtorKind.BUSINESS, None, date(2026, 3, 10))
    ''
    """
    if rules.formal_letter(kind) is None:
        return ""
    if notice is None:
        return rules.WORDING.no_letter
    if notice.charges_from > as_of:
        return rules.WORDING.term_runs.format(
            sent=f"{notice.sent_on:%d-%m-%Y}",
            last=f"{notice.last_day:%d-%m-%Y}",
            charges=f"{notice.charges_from:%d-%m-%Y}",
        )
    return ""


def payment_reference_kind(debtor: Debtor, creditor: Creditor) -> ReferenceKind:
    """Return the kind of payment reference the creditor prints for ``debtor``.

    The creditor's bank decides (its IBAN's country, else the creditor's country): a debtor in
    that same country gets the reference that country's banks read (betalingskenmerk, OGM);
    across the border an ISO 11649 RF reference, which every SEPA bank accepts.

    >>> from ..model import Debtor, DebtorKind
    >>> shop = Creditor(name="Winkel", iban="BE68539007547034")
    >>> payment_reference_kind(Debtor(number="K1", name="X", country=Country.BE,
    ...     kind=DebtorKind.BUSINESS), shop).value
    'ogm'
    """
    bank = (creditor.iban[:2] or str(creditor.country)).upper()
    if bank == str(debtor.country).upper() and is_supported(bank):
        return for_country(bank).PAYMENT_REFERENCE
    return ReferenceKind.RF


_OWN_ROW = {
    "nl": "percentage van het blad Rentes (eigen invoer, geen bekendmaking vastgelegd)",
    "fr": "taux de la feuille Rentes (saisi par le créancier, sans publication enregistrée)",
    "en": "rate from the Rentes sheet (entered by the creditor, no publication recorded)",
    "de": "Zinssatz aus dem Blatt Rentes (vom Gläubiger eingegeben, ohne erfasste "
    "Veröffentlichung)",
}
_CONTRACT = {
    "nl": "overeengekomen percentage",
    "fr": "taux convenu",
    "en": "agreed rate",
    "de": "vereinbarter Zinssatz",
}
_UNCONFIRMED = {
    "nl": " (percentage niet bevestigd)",
    "fr": " (taux non confirmé)",
    "en": " (rate not confirmed)",
    "de": " (Zinssatz nicht bestätigt)",
}


def rate_citation(row: RateRow | None, language: str = "nl") -> str:
    """Return the official source of a rate for a bailiff or lawyer, in ``language``.

    The legal basis and the publication (Staatsblad, Belgisch Staatsblad) with its date, never
    the internal notes of the Rentes sheet. ``None`` is a contractual rate.

    >>> from datetime import date
    >>> rate_citation(RateRow(series="be_wettelijke_interest", effective_from=date(2024, 1, 1),
    ...     rate=Decimal("5.75"), gazette="bs", gazette_date=date(2024, 2, 23)))
    'art. 2 wet van 5 mei 1865; Belgisch Staatsblad 23-02-2024'
    """
    lang = language if language in _CONTRACT else "nl"
    if row is None:
        return _CONTRACT[lang]
    if row.status.strip().lower() in ("user", "eigen") and not row.gazette_date:
        return _OWN_ROW[lang]
    text = _series_rules(row.series).rate_publication(row, lang)
    return text if row.verified else text + _UNCONFIRMED[lang]


def _series_rules(series: str) -> CountryRules:
    """Return the rules of the country whose law sets the rate series ``series``.

    A series is named after its country (``nl_handelsrente``, ``be_wettelijke_interest``); a
    name without a known country is read as the first country's (the workbook's default).
    """
    prefix = series.split("_", 1)[0]
    return for_country(prefix if is_supported(prefix) else COUNTRIES[0])


# The rules for customers abroad use the types above; imported last (they import this module).
from .abroad import (  # noqa: E402
    AbroadRules,
    LawNotChosen,
    applicable_law,
    chosen_law_notice,
    consumer_abroad_problem,
    epc_qr_offered,
    is_abroad,
    law_problem,
    law_statement,
)
from .abroad import letter_language as abroad_language  # noqa: E402
