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

from datetime import date, timedelta
from functools import cache, lru_cache
from typing import cast

from ..model import (
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    ReferenceKind,
    Settings,
)
from ..rates import RateBook, RateRow, RateSeries
from .abroad import (
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
from .abroad import letter_language as abroad_language
from .base import (
    Announcement,
    CostRule,
    CountryRules,
    Fee,
    LetterTerm,
    VatRelief,
    Wording,
    add_months,
    add_years,
    day_text,
)
from .registry import COUNTRIES, UnknownCountry, for_country, is_supported

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
    "add_months",
    "add_years",
    "applicable_law",
    "chosen_law_notice",
    "citation",
    "consumer_abroad_problem",
    "costs_gap",
    "day_text",
    "epc_qr_offered",
    "first_uncovered_day",
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
    home = _home_rules(debtor.country)
    if home is not None:
        return home
    law = applicable_law(debtor, creditor)
    if is_supported(debtor.country):
        return for_country(law)
    return _abroad(law, str(debtor.country).strip().upper())


@lru_cache(maxsize=256)
def _home_rules(country: str) -> CountryRules | None:
    """Return the rules of a customer in a country whose law debiteuren knows: its own
    country's (the first case of :func:`~.abroad.applicable_law`); None for one abroad. Asked
    a few times per customer (issue 17: 16,000 times at 50,000 invoices)."""
    return for_country(str(country).strip()) if is_supported(country) else None


@cache
def _abroad(law: Country, country: str) -> CountryRules:
    return cast(CountryRules, AbroadRules(for_country(law), country))


def first_uncovered_day(
    invoice: Invoice, debtor: Debtor, creditor: Creditor, settings: Settings, rates: RateBook
) -> tuple[date, RateSeries] | None:
    """Return the first day on which interest on ``invoice`` would run without a rate.

    Interest that runs from the due date (:meth:`CountryRules.interest_start` without a
    letter) needs a rate on every day after it, in each series the debtor's interest depends
    on (:meth:`CountryRules.series_in_use`); a table covers the days from its first row on.

    Returns:
      ``(day after the due date, series whose table starts after it)``, or None when every
      series covers that day, or when interest only runs after a letter (its own date).

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> from ..model import Settings
    >>> from ..rates import builtin
    >>> due = date(1950, 4, 14)
    >>> invoice = Invoice(number="F1", debtor="K1", invoice_date=due, due_date=due,
    ...     amount=Decimal("100.00"))
    >>> firm = Debtor(number="K1", name="X", country=Country.NL, kind=DebtorKind.BUSINESS)
    >>> first_uncovered_day(invoice, firm, Creditor(name="Y"), Settings(), builtin())
    (datetime.date(1950, 4, 15), <RateSeries.NL_COMMERCIAL: 'nl_handelsrente'>)
    """
    if invoice.is_credit_note or invoice.amount <= 0:
        return None
    rules = rules_for(debtor, creditor)
    start = rules.interest_start(invoice, debtor, creditor, settings, None)
    if start is None:
        return None
    first = start + timedelta(days=1)
    for series in rules.series_in_use(debtor, settings):
        table = rates.tables.get(series.value)
        if table is None or not table.days or table.days[0] > first:
            return first, series
    return None


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


def costs_gap(
    rules: CountryRules,
    kind: DebtorKind,
    notice: LetterTerm | None,
    as_of: date,
    after_notice: bool = False,
) -> str:
    """Return why the law does not (yet) allow a debtor's costs at ``as_of``; "" when it does.

    Where the law makes costs (or damages and interest) depend on a formal letter whose term
    expired unpaid (NL consumer: the 14-dagenbrief, art. 6:96 lid 6 BW; BE consumer: the first
    reminder, Book XIX WER), they are not owed without that letter (``notice`` None) nor while
    its term runs. ``after_notice``: a notice of default, not the due date, put the debtor in
    default (:meth:`CountryRules.default_notice_steps`), so the letter had to come after that.

    >>> from ..model import Channel, Settings
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
        return (after_notice and rules.WORDING.no_letter_after_notice) or rules.WORDING.no_letter
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
    >>> from decimal import Decimal
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
