"""Customers abroad: which law governs their claims, and what changes when a letter crosses a
border.

debiteuren knows the law of the Netherlands and of Belgium. A claim on a customer elsewhere is
followed under one of those two, or not at all (:func:`applicable_law`):

- **a customer in NL or BE**: its own country's law, as always;
- **a business abroad**: the law in the Klanten column "Toepasselijk recht", by default the
  creditor's own. Between businesses the law chosen in the general terms applies (Rome I
  Regulation 593/2008, art. 3); without a choice a sale of goods follows the law of the seller
  and a service the law of the provider (art. 4 lid 1 onder a en b): the creditor's. The EU
  late-payment directive 2011/7/EU gives every business creditor in the EU the statutory
  commercial rate and at least € 40 per invoice, whichever Member State's law implements it;
- **a consumer abroad** is not guessed. A consumer contract follows the law of the consumer's
  country when the seller directs its activities there (art. 6 lid 1), and a chosen law cannot
  take away the protection of that country's mandatory rules (art. 6 lid 2). Such a customer is
  refused (:class:`LawNotChosen`) until the user sets the law explicitly; the letter commands
  then say on every run which law they applied (:func:`chosen_law_notice`).

What else changes across a border, and only there:

- a letter by post takes longer to arrive: :class:`AbroadRules` presumes it received after
  ``Settings.abroad_delivery_days`` working days (the law's own presumption stays for e-mail,
  for a proven day of receipt and for terms the law counts from sending);
- the EPC QR code is printed only for a customer in a country that pays in euro over SEPA
  (:func:`epc_qr_offered`); elsewhere the letter gives IBAN, BIC and the RF reference;
- the letter language of a new customer follows its country (:func:`letter_language`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

import holidays

from ...errors import DebiteurenError
from ...formatting import country_name
from ..model import Action, Channel, Country, Creditor, Debtor, DebtorKind, Invoice, Settings
from .base import VatRelief
from .registry import for_country

if TYPE_CHECKING:
    from ..money import Decimal
    from ..rates import RateBook
    from .base import Announcement, CountryRules, LetterTerm

__all__ = [
    "EURO_SEPA_COUNTRIES",
    "AbroadRules",
    "LawNotChosen",
    "applicable_law",
    "chosen_law_notice",
    "consumer_abroad_problem",
    "epc_qr_offered",
    "is_abroad",
    "law_problem",
    "law_statement",
    "letter_language",
    "presumed_receipt_abroad",
]

ONE_DAY = timedelta(days=1)

#: Where a customer pays in euro over SEPA, so that a banking app can read an EPC QR code: the
#: euro area (Bulgaria from 1 January 2026), the French overseas departments and collectivities
#: that use the euro and French IBANs, the Åland Islands, and the microstates in SEPA with a
#: monetary agreement (Andorra, Monaco, San Marino, Vatican City). Sources: ECB "Euro area
#: 1999-2026"; EPC "List of countries in the SEPA schemes' geographical scope" (EPC409-09).
EURO_SEPA_COUNTRIES = frozenset(
    {
        *("AT", "BE", "BG", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT"),
        *("LT", "LU", "LV", "MT", "NL", "PT", "SI", "SK"),
        *("GF", "GP", "MQ", "RE", "YT", "BL", "MF", "PM", "AX"),
        *("AD", "MC", "SM", "VA"),
    }
)

#: The letter language of a new customer abroad, by country; any other country gets English.
#: Switzerland and Luxembourg have several official languages: the most used one in business
#: (German, French); the user changes the Taal cell when the customer reads another.
_LANGUAGES = {
    **dict.fromkeys(("DE", "AT", "LI", "CH"), "de"),
    **dict.fromkeys(("FR", "LU", "MC", "GF", "GP", "MQ", "RE", "YT", "BL", "MF", "PM"), "fr"),
    **dict.fromkeys(("SR", "CW", "AW", "SX", "BQ"), "nl"),
}


class LawNotChosen(DebiteurenError):
    """A consumer abroad whose applicable law is not set: the consumer's own law may apply."""


def _home(country: str) -> Country | None:
    """Return the country whose law debiteuren knows, when ``country`` is one; else None."""
    try:
        return Country(str(country).strip().upper())
    except ValueError:
        return None


def is_abroad(debtor: Debtor) -> bool:
    """Return True when the customer lives outside the countries whose law debiteuren knows.

    >>> from ..model import Debtor, DebtorKind
    >>> is_abroad(Debtor(number="K1", name="X", country="DE", kind=DebtorKind.BUSINESS))
    True
    """
    return _home(debtor.country) is None


def consumer_abroad_problem(debtor: Debtor) -> str:
    """Return why a consumer abroad without a chosen law is refused (Dutch); "" otherwise."""
    if not is_abroad(debtor) or debtor.law is not None or debtor.kind is not DebtorKind.CONSUMER:
        return ""
    where = country_name(debtor.country, "nl")
    return (
        f"klant {debtor.number} is een consument in {where}. Voor een consument kan het recht "
        "van zijn eigen land gelden (Rome I-Verordening, art. 6): als u uw verkoop op dat land "
        "richtte, en een gekozen recht neemt hem de bescherming van de dwingende regels van dat "
        "land niet af. debiteuren kiest dat recht niet zelf. Vul in de kolom Toepasselijk recht "
        "NL of BE in als dat recht op de overeenkomst van toepassing is; de brieven en de "
        "uitvoer van debiteuren zeggen dan welk recht u koos"
    )


def law_problem(debtor: Debtor) -> str:
    """Return why the customer's "Toepasselijk recht" cannot be used (Dutch); "" when it can.

    A consumer abroad needs one (:func:`consumer_abroad_problem`); a customer in NL or BE
    follows its own country's law, so another law there is a mistake, not a choice debiteuren
    could apply.

    >>> from ..model import Debtor, DebtorKind
    >>> law_problem(Debtor(number="K1", name="X", country="BE", kind=DebtorKind.BUSINESS,
    ...     law=Country.NL))  # doctest: +NORMALIZE_WHITESPACE
    'Toepasselijk recht geldt alleen voor een klant buiten Nederland en België; voor een klant
    in België geldt Belgisch recht. Maak de cel leeg.'
    """
    home = _home(debtor.country)
    if home is None:
        problem = consumer_abroad_problem(debtor)
        return problem[0].upper() + problem[1:] + "." if problem else ""
    if debtor.law is None or debtor.law is home:
        return ""
    return (
        "Toepasselijk recht geldt alleen voor een klant buiten Nederland en België; voor een "
        f"klant in {country_name(home.value, 'nl')} geldt "
        f"{for_country(home).WORDING.law_name}. Maak de cel leeg."
    )


def applicable_law(debtor: Debtor, creditor: Creditor | None = None) -> Country:
    """Return the law that governs ``debtor``'s claims (see the module).

    Raises :class:`LawNotChosen` for a consumer abroad without a chosen law, and ValueError
    when the creditor is needed (a business abroad without a chosen law) and not given.

    >>> from ..model import Debtor, DebtorKind
    >>> shop = Creditor(name="Winkel", country=Country.BE)
    >>> applicable_law(Debtor(number="K1", name="X", country="DE", kind=DebtorKind.BUSINESS), shop)
    <Country.BE: 'BE'>
    """
    home = _home(debtor.country)
    if home is not None:
        return home
    if debtor.law is not None:
        return Country(debtor.law)
    problem = consumer_abroad_problem(debtor)
    if problem:
        raise LawNotChosen(problem[0].upper() + problem[1:] + ".")
    if creditor is None:
        raise ValueError(f"the creditor's country decides the law of customer {debtor.number}")
    return Country(creditor.country)


def law_statement(debtor: Debtor, creditor: Creditor) -> str:
    """Return, in Dutch, which law governs the customer's claims and why (for the dossier).

    >>> from ..model import Debtor, DebtorKind
    >>> law_statement(Debtor(number="K1", name="X", country="DE", kind=DebtorKind.BUSINESS),
    ...     Creditor(name="Winkel"))  # doctest: +NORMALIZE_WHITESPACE
    'Nederlands recht: de klant is een onderneming in Duitsland; zonder andere keuze geldt het
    recht van de verkoper of dienstverlener (Rome I-Verordening, art. 4 lid 1 onder a en b)'
    """
    law = applicable_law(debtor, creditor)
    name = for_country(law).WORDING.law_name
    if not is_abroad(debtor):
        return f"{name}: de klant woont of is gevestigd in {country_name(law.value, 'nl')}"
    where = country_name(debtor.country, "nl")
    if debtor.kind is DebtorKind.CONSUMER:
        return (
            f"{name}, gekozen in de kolom Toepasselijk recht: de klant is een consument in "
            f"{where}; de dwingende regels van dat land blijven gelden als u uw verkoop op dat "
            "land richtte (Rome I-Verordening, art. 6)"
        )
    if debtor.law is not None:
        return (
            f"{name}, gekozen in de kolom Toepasselijk recht: de klant is een onderneming in "
            f"{where} (rechtskeuze, Rome I-Verordening, art. 3)"
        )
    return (
        f"{name}: de klant is een onderneming in {where}; zonder andere keuze geldt het recht "
        "van de verkoper of dienstverlener (Rome I-Verordening, art. 4 lid 1 onder a en b)"
    )


def chosen_law_notice(debtor: Debtor, creditor: Creditor) -> str:
    """Return the warning a letter command prints for a consumer abroad (after "Let op: ");
    "" for any other customer.

    >>> from ..model import Debtor, DebtorKind
    >>> chosen_law_notice(Debtor(number="K9", name="X", country="FR", kind=DebtorKind.CONSUMER,
    ...     law=Country.NL), Creditor(name="Winkel"))  # doctest: +NORMALIZE_WHITESPACE
    'klant K9 is een consument in Frankrijk; debiteuren past Nederlands recht toe omdat u dat
    koos in de kolom Toepasselijk recht. De dwingende regels van Frankrijk blijven voor deze
    klant gelden als u uw verkoop op dat land richtte (Rome I-Verordening, art. 6).'
    """
    if not is_abroad(debtor) or debtor.kind is not DebtorKind.CONSUMER or debtor.law is None:
        return ""
    where = country_name(debtor.country, "nl")
    name = for_country(applicable_law(debtor, creditor)).WORDING.law_name
    return (
        f"klant {debtor.number} is een consument in {where}; debiteuren past {name} toe "
        f"omdat u dat koos in de kolom Toepasselijk recht. De dwingende regels van {where} "
        "blijven voor deze klant gelden als u uw verkoop op dat land richtte (Rome I-Verordening, "
        "art. 6)."
    )


@cache
def _holidays(country: str, year: int) -> Any:
    try:
        return holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return frozenset()


def presumed_receipt_abroad(sent_on: date, country: str, settings: Settings) -> date | None:
    """Return the day a letter posted on ``sent_on`` to ``country`` is presumed received.

    ``Settings.abroad_delivery_days`` working days later (Monday to Friday, not on the
    destination's public holidays); None when the setting is 0 (the law's own presumption).

    >>> presumed_receipt_abroad(date(2026, 3, 6), "DE", Settings())  # a Friday
    datetime.date(2026, 3, 13)
    """
    days = settings.abroad_delivery_days
    if days <= 0:
        return None
    day, counted = sent_on, 0
    while counted < days:
        day += ONE_DAY
        if day.weekday() < 5 and day not in _holidays(country, day.year):
            counted += 1
    return day


class AbroadRules:
    """A law's rules for a claim on a customer abroad (what :func:`rules_for` returns then).

    Everything is the law's own (the attributes are those of the country module), except:

    - a letter sent by post (ordinary or registered, without a proven day of receipt) is
      presumed received :func:`presumed_receipt_abroad`: the 14-day term of a Dutch
      14-dagenbrief then starts later, and so does the interruption of Dutch limitation. A term
      the law counts from sending (the Belgian Book XIX first reminder) keeps its statutory
      start;
    - the VAT: an invoice to a customer abroad usually carries no Dutch or Belgian VAT, so no
      refund is foreseen (:attr:`VatRelief.NOT_DOMESTIC`, no refund date).
    """

    __slots__ = ("_rules", "country")

    VAT_RELIEF = VatRelief.NOT_DOMESTIC

    def __init__(self, rules: CountryRules, country: str) -> None:
        self._rules = rules
        #: The customer's country (ISO 3166 code).
        self.country = country

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rules, name)

    def __repr__(self) -> str:
        return f"<rules of {self._rules.COUNTRY.value} law for a customer in {self.country}>"

    def _receipt(
        self, sent_on: date, channel: Channel, settings: Settings, received_on: date | None
    ) -> date | None:
        if received_on is not None or channel not in (Channel.POST, Channel.REGISTERED):
            return received_on
        return presumed_receipt_abroad(sent_on, self.country, settings)

    def letter_term(
        self, sent_on: date, channel: Channel, settings: Settings, received_on: date | None = None
    ) -> LetterTerm:
        """Return the law's term of a letter, from its (presumed) receipt abroad."""
        received = self._receipt(sent_on, channel, settings, received_on)
        return self._rules.letter_term(sent_on, channel, settings, received)

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
        """Return what the law's formal letter announces, with the term from receipt abroad."""
        announced = self._rules.announced_costs(
            sent_on, channel, principals, debtor, creditor, settings, rates
        )
        return replace(announced, term=self.letter_term(sent_on, channel, settings))

    def interruptions(
        self, invoice: Invoice, actions: Sequence[Action], settings: Settings
    ) -> list[date]:
        """Return the law's interruptions, each letter received as presumed abroad."""
        dated = [
            a
            if a.received_on is not None
            else replace(a, received_on=self._receipt(a.on, a.channel, settings, None))
            for a in actions
        ]
        return self._rules.interruptions(invoice, dated, settings)

    def vat_refund_date(self, invoice: Invoice) -> date | None:
        """Return None: no refund of Dutch or Belgian VAT is foreseen across the border."""
        return None


def letter_language(country: str) -> str:
    """Return the letter language of a new customer in ``country`` (outside NL and BE).

    >>> letter_language("AT"), letter_language("FR"), letter_language("SE")
    ('de', 'fr', 'en')
    """
    return _LANGUAGES.get(str(country).upper(), "en")


def epc_qr_offered(debtor: Debtor, creditor: Creditor) -> bool:
    """Return True when a letter to ``debtor`` may carry the EPC QR code.

    The EPC QR code starts a SEPA credit transfer in euro; it works when the customer pays from
    a euro account in SEPA and the creditor's account (its IBAN's country, else the creditor's
    country) is one too. A customer elsewhere (Sweden, Switzerland, the United States) gets the
    IBAN, BIC and reference without the code, which its bank app would not read.

    >>> from ..model import Debtor, DebtorKind
    >>> shop = Creditor(name="Winkel", iban="NL91ABNA0417164300")
    >>> [epc_qr_offered(Debtor(number="K1", name="X", country=c, kind=DebtorKind.BUSINESS), shop)
    ...  for c in ("DE", "SE", "NL")]
    [True, False, True]
    """
    bank = (creditor.iban.strip()[:2] or str(creditor.country)).upper()
    return str(debtor.country).upper() in EURO_SEPA_COUNTRIES and bank in EURO_SEPA_COUNTRIES
