"""Country rules: one module per country with the same protocol (stdnum-style).

Every legal decision that differs between countries is made in a country module (``nl.py``,
``be.py``), each of which implements every member of :class:`CountryRules`; a decision that is
the same everywhere but reads a country's rules lives beside it (``lifecycle.py``, and the
functions below). The rest of the program never compares a country: it asks the rules of a claim,
which :func:`rules_for` selects, or the registry (:func:`for_country`, :func:`is_supported`,
:data:`COUNTRIES`).

Adding a country: a member of :class:`~debiteuren.core.model.Country`, a module here that
implements :class:`CountryRules` (``tests/core/test_rules_protocol.py`` checks every member and
its signature), and its entry in :func:`for_country`.

>>> from ..model import Debtor, DebtorKind
>>> rules = rules_for(Debtor(number="K1", name="X", country=Country.BE, kind=DebtorKind.CONSUMER))
>>> rules.COUNTRY, rules.ladder(DebtorKind.CONSUMER)[0].value
(<Country.BE: 'BE'>, 'eerste herinnering')
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import cast

from ...errors import DebiteurenError
from ..model import (
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    ReferenceKind,
)
from ..rates import RateRow
from .base import (
    Announcement,
    CostRule,
    CountryRules,
    Fee,
    LetterTerm,
    VatRelief,
    Wording,
    add_years,
    day_text,
)

__all__ = [
    "COUNTRIES",
    "Announcement",
    "CostRule",
    "CountryRules",
    "Fee",
    "LetterTerm",
    "UnknownCountry",
    "VatRelief",
    "Wording",
    "add_years",
    "citation",
    "costs_gap",
    "day_text",
    "for_country",
    "is_supported",
    "payment_reference_kind",
    "rate_citation",
    "rules_for",
]

#: The countries whose law debiteuren knows, each with a rules module.
COUNTRIES: tuple[Country, ...] = tuple(Country)


class UnknownCountry(DebiteurenError):
    """A country for which no rules exist."""

    def __init__(self, country: str) -> None:
        super().__init__(f"Onbekend land '{country}'; debiteuren kent NL en BE.")


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
    """Return country code -> rules module (imported on first use)."""
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

    Today the debtor's country decides. The creditor is taken so that a claim on a customer
    abroad that follows Dutch or Belgian law (a "Toepasselijk recht") is decided here, without
    touching the callers.
    """
    return for_country(debtor.country)


def citation(country: Country | str | CountryRules, subject: str, language: str = "nl") -> str:
    """Return the article a statement cites for ``subject`` under a country's law.

    Args:
      country: a country code, or the rules themselves (:func:`rules_for`).
      subject: ``allocation``, ``capitalisation``, ``limitation``, ``interruption``,
        ``costs_consumer``, ``costs_business``, the rate series names, and for letters (after
        "op grond van") ``letter_costs_consumer``, ``letter_costs_business`` and
        ``letter_interest_`` + :meth:`CountryRules.interest_basis`.
      language: ``nl``, ``fr`` or ``en`` (another gives Dutch).

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
    if bank == str(debtor.country) and is_supported(bank):
        return for_country(bank).PAYMENT_REFERENCE
    return ReferenceKind.RF


_OWN_ROW = {
    "nl": "percentage van het blad Rentes (eigen invoer, geen bekendmaking vastgelegd)",
    "fr": "taux de la feuille Rentes (saisi par le créancier, sans publication enregistrée)",
    "en": "rate from the Rentes sheet (entered by the creditor, no publication recorded)",
}
_CONTRACT = {
    "nl": "overeengekomen percentage",
    "fr": "taux convenu",
    "en": "agreed rate",
}
_UNCONFIRMED = {
    "nl": " (percentage niet bevestigd)",
    "fr": " (taux non confirmé)",
    "en": " (rate not confirmed)",
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
