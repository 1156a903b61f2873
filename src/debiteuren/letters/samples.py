"""Example letter contexts: realistic, legally consistent, for every template and language.

Tests, the template README and ``debiteuren sjablonen controleren`` use these contexts. They
have the exact shape that ``letters/context.py`` builds (documented field by field in
``letter_templates/README.md``): every top-level block is present in every context, and blocks
that do not apply hold empty values. Amounts, dates and percentages are formatted with babel
the way a letter in that language shows them.

The scenarios follow the worked examples in ``shared/domain``:

- NL business (``Jansen & Zn <BV>``): commercial interest (art. 6:119a BW, 11.15 % in 2025 H1)
  from the day after each due date, and EUR 40 per invoice (art. 6:96 lid 4 BW).
- NL consumer (``Ruth O'Brien & Kees de Vries``): statutory interest (art. 6:119 BW, 6 %);
  the 14-day letter announces the WIK costs on the unpaid principal (15 % of EUR 1,450.00 =
  EUR 217.50) plus 21 % VAT, because the creditor, a dental practice, cannot deduct VAT.
- BE consumer (``Lotte D'hondt & Jef Claes``): the Book XIX first reminder sent by post on
  Friday 3 October 2025 gives a term up to Tuesday 21 October (be.md §3.3); the lump sum on
  EUR 1,000.00 is EUR 90.00 (§3.5); interest at the capped 10.50 % runs from the start of the
  term for an SME creditor (§3.6).
- BE business (``Ça va Café SRL``, ``O'Brien Logistics BV``): interest at the B2B rate of the
  Law of 2 August 2002 (10.50 % in 2025 H2) from the due date and EUR 40 per invoice (§1.6).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from .context import handover_enclosures

__all__ = ["LANGUAGES", "TEMPLATE_IDS", "context_fields", "known_fields", "sample_context"]

TEMPLATE_IDS = (
    "herinnering",
    "veertiendagenbrief",
    "aanmaning",
    "eerste_herinnering",
    "ingebrekestelling",
    "regeling",
    "overdracht",
)
LANGUAGES = ("nl", "fr", "en")

_CENT = Decimal("0.01")
_ZERO = Decimal(0)


# --------------------------------------------------------------------------------------------
# Formatting, the way a letter in each language shows it
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    """How amounts, dates and percentages look in one language and country."""

    language: str
    country: str

    @property
    def locale(self) -> str:
        if self.language == "nl":
            return f"nl_{self.country}"
        return {"fr": "fr_BE", "en": "en_IE"}[self.language]

    def money(self, amount: Decimal) -> str:
        return format_currency(amount, "EUR", locale=self.locale)

    def long(self, day: date) -> str:
        return format_date(day, "long", locale=self.locale)

    def short(self, day: date) -> str:
        pattern = {"nl": "dd-MM-yyyy" if self.country == "NL" else "dd/MM/yyyy"}.get(
            self.language, "dd/MM/yyyy" if self.language == "fr" else "d MMM yyyy"
        )
        return format_date(day, pattern, locale=self.locale)

    def percent(self, rate: Decimal) -> str:
        number = format_decimal(rate, "#,##0.00", locale=self.locale)
        return f"{number}\u00a0%" if self.language == "fr" else f"{number}%"


def _cents(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------
# Scenario data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Invoice:
    number: str
    description: str
    invoice_date: date
    due_date: date
    amount: Decimal
    paid: Decimal = _ZERO
    interest_from: date | None = None  # first interest day; None: no interest


@dataclass(frozen=True)
class _Party:
    name: str
    address: str
    postcode: str
    city: str
    contact: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class _Creditor:
    party: _Party
    country: str
    registration: str
    vat: str
    iban: str
    bic: str
    website: str
    signatory: str
    is_sme: bool = True
    city_fr: str = ""


@dataclass(frozen=True)
class _Case:
    """One letter's facts; everything else is derived and formatted."""

    template: str
    step: str
    creditor: _Creditor
    debtor: _Party
    debtor_number: str
    consumer: bool
    country: str
    letter_date: date
    invoices: tuple[_Invoice, ...]
    rate: Decimal | None  # annual interest rate in percent
    interest_kind: str  # key into _INTEREST_TEXT, or ""
    costs: str  # "", "b2b40", "wik_announced", "wik", "xix"
    reference: str
    reference_kind: str  # "nl", "ogm", "rf"
    term_days: int = 0
    previous: date | None = None
    interrupts: bool = False
    xix: Mapping[str, Any] = field(default_factory=dict)
    plan: tuple[date, ...] = ()
    handover: _Party | None = None
    dossier: str = ""
    actions: tuple[tuple[date, str], ...] = ()
    channel: str = "post"


_VAN_DIJK = _Creditor(
    party=_Party(
        "Van Dijk Installatietechniek B.V.",
        "Kanaalweg 17",
        "3526 KL",
        "Utrecht",
        email="debiteuren@vandijk-installatie.nl",
        phone="030 123 45 67",
    ),
    country="NL",
    registration="61234567",
    vat="NL123456782B01",
    iban="NL91 ABNA 0417 1643 00",
    bic="ABNANL2A",
    website="www.vandijk-installatie.nl",
    signatory="Marieke van Dijk",
)
_ZONNEHOF = _Creditor(
    party=_Party(
        "Tandartspraktijk 't Zonnehof",
        "Zonnehof 3",
        "3811 BK",
        "Amersfoort",
        email="administratie@zonnehof-tandarts.nl",
        phone="033 765 43 21",
    ),
    country="NL",
    registration="70123458",
    vat="",  # medical care is exempt from VAT: no VAT number, costs carry VAT
    iban="NL02 ABNA 0123 4567 89",
    bic="ABNANL2A",
    website="www.zonnehof-tandarts.nl",
    signatory="Esther Smit",
)
_PEETERS = _Creditor(
    party=_Party(
        "Schrijnwerkerij Peeters BV",
        "Brugsesteenweg 210",
        "9000",
        "Gent",
        email="boekhouding@peeters-schrijnwerk.be",
        phone="09 123 45 67",
    ),
    country="BE",
    registration="0812.345.603",
    vat="BE 0812.345.603",
    iban="BE71 0961 2345 6769",
    bic="GKCCBEBB",
    website="www.peeters-schrijnwerk.be",
    signatory="Bart Peeters",
    city_fr="Gand",
)

_JANSEN = _Party(
    "Jansen & Zn <BV>",
    "Dorpsstraat 12",
    "3451 BC",
    "Utrecht",
    contact="de heer P. Jansen",
    email="administratie@jansenzn.nl",
    phone="030 987 65 43",
)
_OBRIEN = _Party(
    "Ruth O'Brien & Kees de Vries",
    "Vondellaan 8",
    "3817 AB",
    "Amersfoort",
    email="ruth.obrien@example.nl",
    phone="06 12 34 56 78",
)
_DHONDT = _Party(
    "Lotte D'hondt & Jef Claes",
    "Zonnestraat 14",
    "9050",
    "Gentbrugge",
    email="lotte.dhondt@example.be",
    phone="0470 12 34 56",
)
_CAVA = _Party(
    "Ça va Café SRL",
    "Place du Marché 3",
    "5000",
    "Namur",
    contact="Mme Sophie Lambert",
    email="compta@cavacafe.be",
    phone="081 22 33 44",
)
_OBRIEN_LOGISTICS = _Party(
    "O'Brien Logistics BV",
    "Noorderlaan 100",
    "2030",
    "Antwerpen",
    contact="Ms Siobhan O'Brien",
    email="accounts@obrienlogistics.be",
    phone="03 555 66 77",
)
_BAILIFF_NL = _Party(
    "Gerechtsdeurwaarders Bakker & Visser",
    "Catharijnesingel 50",
    "3511 GC",
    "Utrecht",
    contact="mr. L. Visser",
)
_AGENCY_NL = _Party(
    "Incassobureau Noorderlicht B.V.",
    "Stationsplein 2",
    "3818 LE",
    "Amersfoort",
    contact="Mr J. Bos",
)
_BAILIFF_BE = _Party(
    "Étude Dubois & Lemaire, huissiers de justice",
    "Rue de Fer 25",
    "5000",
    "Namur",
    contact="Maître Hélène Dubois",
)

# Invoices of the scenarios.
_NL_B2B = (
    _Invoice(
        "2025-0117",
        "Vervangen cv-ketel, Dorpsstraat 12",
        date(2025, 2, 1),
        date(2025, 3, 3),
        Decimal("3025.00"),
        interest_from=date(2025, 3, 4),
    ),
    _Invoice(
        "2025-0142",
        "Onderhoud installaties februari",
        date(2025, 2, 15),
        date(2025, 3, 17),
        Decimal("605.00"),
        paid=Decimal("105.00"),
        interest_from=date(2025, 3, 18),
    ),
)
_NL_B2C = (
    _Invoice(
        "F2025-0012",
        "Behandeling 8 januari 2025",
        date(2025, 1, 10),
        date(2025, 1, 24),
        Decimal("1250.00"),
        paid=Decimal("250.00"),
        interest_from=date(2025, 1, 25),
    ),
    _Invoice(
        "F2025-0031",
        "Kroon element 36",
        date(2025, 2, 3),
        date(2025, 2, 17),
        Decimal("450.00"),
        interest_from=date(2025, 2, 18),
    ),
)
_BE_B2C = (
    _Invoice(
        "2025-0311",
        "Plaatsing maatwerkkast slaapkamer",
        date(2025, 9, 16),
        date(2025, 9, 30),
        Decimal("1000.00"),
        interest_from=date(2025, 10, 8),  # SME creditor: from the start of the 14-day term
    ),
)
_BE_B2B = (
    _Invoice(
        "2025-0288",
        "Comptoir sur mesure",
        date(2025, 8, 29),
        date(2025, 9, 28),
        Decimal("4840.00"),
        interest_from=date(2025, 9, 29),
    ),
    _Invoice(
        "2025-0301",
        "Étagères bar",
        date(2025, 9, 8),
        date(2025, 10, 8),
        Decimal("1210.00"),
        paid=Decimal("210.00"),
        interest_from=date(2025, 10, 9),
    ),
)
_BE_B2B_LOGISTICS = (
    _Invoice(
        "2025-0296",
        "Kantoorinrichting magazijn",
        date(2025, 9, 1),
        date(2025, 9, 30),
        Decimal("2420.00"),
        interest_from=date(2025, 10, 1),
    ),
)

_XIX_FIRST = {
    "forfait": Decimal("90.00"),
    "rate": Decimal("10.50"),
    "interest_from": date(2025, 10, 8),
    "last_day": date(2025, 10, 21),
}

_NL_B2B_ACTIONS = (
    (date(2025, 3, 24), "herinnering"),
    (date(2025, 4, 14), "aanmaning"),
    (date(2025, 4, 30), "belofte"),
)
_NL_B2C_ACTIONS = (
    (date(2025, 2, 10), "herinnering"),
    (date(2025, 3, 3), "14-dagenbrief"),
    (date(2025, 3, 31), "regeling"),
    (date(2025, 4, 16), "regeling_vervallen"),
)
_BE_B2B_ACTIONS = (
    (date(2025, 10, 15), "herinnering"),
    (date(2025, 11, 5), "ingebrekestelling"),
)


def _case(template: str, language: str) -> _Case:
    """Pick the scenario for a template and language (see the module docstring)."""
    nl_b2b = {
        "creditor": _VAN_DIJK,
        "debtor": _JANSEN,
        "debtor_number": "1042",
        "consumer": False,
        "country": "NL",
        "invoices": _NL_B2B,
        "rate": Decimal("11.15"),
        "interest_kind": "nl_b2b",
        "reference": "5000 0567 8901 2345",
        "reference_kind": "nl",
    }
    nl_b2c = {
        "creditor": _ZONNEHOF,
        "debtor": _OBRIEN,
        "debtor_number": "2087",
        "consumer": True,
        "country": "NL",
        "invoices": _NL_B2C,
        "rate": Decimal("6.00"),
        "interest_kind": "nl_b2c",
        "reference": "0123 4567 8901 2345",
        "reference_kind": "nl",
    }
    be_b2c = {
        "creditor": _PEETERS,
        "debtor": _DHONDT,
        "debtor_number": "B-0315",
        "consumer": True,
        "country": "BE",
        "invoices": _BE_B2C,
        "reference": "+++202/5100/31177+++",
        "reference_kind": "ogm",
    }
    be_b2b = {
        "creditor": _PEETERS,
        "debtor": _CAVA,
        "debtor_number": "B-0221",
        "consumer": False,
        "country": "BE",
        "invoices": _BE_B2B,
        "rate": Decimal("10.50"),
        "interest_kind": "be_b2b",
        "reference": "+++202/5110/51293+++",
        "reference_kind": "ogm",
    }
    if template == "herinnering":
        if language == "nl":
            return _Case(
                template,
                "herinnering",
                letter_date=date(2025, 3, 24),
                costs="",
                term_days=7,
                interrupts=True,
                **nl_b2b,
            )
        if language == "fr":
            return _Case(
                template,
                "herinnering",
                letter_date=date(2025, 10, 15),
                costs="",
                term_days=10,
                **be_b2b,
            )
        case = dict(nl_b2c, invoices=_NL_B2C[:1], rate=None, interest_kind="")
        return _Case(
            template,
            "herinnering",
            letter_date=date(2025, 2, 10),
            costs="",
            term_days=7,
            interrupts=True,
            channel="e-mail",
            **case,
        )
    if template == "veertiendagenbrief":
        return _Case(
            template,
            "14-dagenbrief",
            letter_date=date(2025, 3, 3),
            costs="wik_announced",
            term_days=14,
            interrupts=True,
            previous=date(2025, 2, 10),
            **nl_b2c,
        )
    if template == "aanmaning":
        return _Case(
            template,
            "ingebrekestelling",
            letter_date=date(2025, 4, 14),
            costs="b2b40",
            term_days=14,
            interrupts=True,
            previous=date(2025, 3, 24),
            channel="aangetekend",
            **nl_b2b,
        )
    if template == "eerste_herinnering":
        return _Case(
            template,
            "eerste herinnering",
            letter_date=date(2025, 10, 3),
            costs="",
            term_days=14,
            rate=None,
            interest_kind="",
            xix=_XIX_FIRST,
            **be_b2c,
        )
    if template == "ingebrekestelling":
        if language == "nl":
            return _Case(
                template,
                "ingebrekestelling",
                letter_date=date(2025, 11, 5),
                costs="xix",
                term_days=14,
                previous=date(2025, 10, 3),
                rate=Decimal("10.50"),
                interest_kind="be_b2c",
                xix=_XIX_FIRST,
                **be_b2c,
            )
        if language == "fr":
            return _Case(
                template,
                "ingebrekestelling",
                letter_date=date(2025, 11, 5),
                costs="b2b40",
                term_days=14,
                previous=date(2025, 10, 15),
                **be_b2b,
            )
        case = dict(
            be_b2b,
            debtor=_OBRIEN_LOGISTICS,
            debtor_number="B-0407",
            invoices=_BE_B2B_LOGISTICS,
            reference="+++202/5110/50788+++",
        )
        return _Case(
            template,
            "ingebrekestelling",
            letter_date=date(2025, 11, 5),
            costs="b2b40",
            term_days=14,
            **case,
        )
    if template == "regeling":
        if language == "nl":
            return _Case(
                template,
                "regeling",
                letter_date=date(2025, 3, 31),
                costs="wik",
                interrupts=True,
                plan=(date(2025, 4, 15), date(2025, 5, 15), date(2025, 6, 15)),
                **nl_b2c,
            )
        if language == "fr":
            case = dict(be_b2c, rate=Decimal("10.50"), interest_kind="be_b2c")
            return _Case(
                template,
                "regeling",
                letter_date=date(2025, 11, 12),
                costs="xix",
                xix=_XIX_FIRST,
                plan=(date(2025, 11, 30), date(2025, 12, 31)),
                **case,
            )
        case = dict(nl_b2b, reference="RF18 5390 0754 7034", reference_kind="rf")
        return _Case(
            template,
            "regeling",
            letter_date=date(2025, 5, 12),
            costs="b2b40",
            interrupts=True,
            plan=(date(2025, 5, 31), date(2025, 6, 30), date(2025, 7, 31), date(2025, 8, 31)),
            **case,
        )
    if template == "overdracht":
        if language == "nl":
            return _Case(
                template,
                "overdracht",
                letter_date=date(2025, 5, 12),
                costs="b2b40",
                handover=_BAILIFF_NL,
                dossier="VDI-2025-014",
                actions=_NL_B2B_ACTIONS,
                **nl_b2b,
            )
        if language == "fr":
            return _Case(
                template,
                "overdracht",
                letter_date=date(2025, 12, 1),
                costs="b2b40",
                handover=_BAILIFF_BE,
                dossier="SP-2025-031",
                actions=_BE_B2B_ACTIONS,
                **be_b2b,
            )
        return _Case(
            template,
            "overdracht",
            letter_date=date(2025, 4, 22),
            costs="wik",
            handover=_AGENCY_NL,
            dossier="TZ-2025-007",
            actions=_NL_B2C_ACTIONS,
            **nl_b2c,
        )
    raise ValueError(f"onbekend sjabloon: {template!r}")


# --------------------------------------------------------------------------------------------
# Words per language
# --------------------------------------------------------------------------------------------

_SUBJECT = {
    "herinnering": {
        "nl": "Herinnering: openstaande {n}",
        "fr": "Rappel de paiement : {n} impayée(s)",
        "en": "Payment reminder: outstanding {n}",
    },
    "veertiendagenbrief": {
        "nl": "Aanmaning: betaal binnen veertien dagen zonder incassokosten",
        "fr": "Mise en demeure : payez dans les quatorze jours sans frais de recouvrement",
        "en": "Final reminder: pay within fourteen days without collection costs",
    },
    "aanmaning": {
        "nl": "Aanmaning en ingebrekestelling",
        "fr": "Sommation et mise en demeure",
        "en": "Formal demand and notice of default",
    },
    "eerste_herinnering": {
        "nl": "Eerste herinnering (kosteloos)",
        "fr": "Premier rappel (gratuit)",
        "en": "First reminder (free of charge)",
    },
    "ingebrekestelling": {
        "nl": "Ingebrekestelling",
        "fr": "Mise en demeure",
        "en": "Notice of default",
    },
    "regeling": {
        "nl": "Bevestiging van uw betalingsregeling",
        "fr": "Confirmation de votre plan de paiement",
        "en": "Confirmation of your payment plan",
    },
    "overdracht": {
        "nl": "Overdracht vordering ter incasso: {debtor}",
        "fr": "Transmission d'une créance pour recouvrement : {debtor}",
        "en": "Transfer of claim for collection: {debtor}",
    },
}
_INVOICE_WORD = {
    "nl": ("factuur", "facturen"),
    "fr": ("facture", "factures"),
    "en": ("invoice", "invoices"),
}
_INTEREST_TEXT = {
    "nl_b2b": {
        "nl": "de wettelijke handelsrente (artikel 6:119a BW)",
        "fr": "l'intérêt commercial légal (article 6:119a du Code civil néerlandais)",
        "en": "statutory commercial interest (Article 6:119a of the Dutch Civil Code)",
    },
    "nl_b2c": {
        "nl": "de wettelijke rente (artikel 6:119 BW)",
        "fr": "l'intérêt légal (article 6:119 du Code civil néerlandais)",
        "en": "statutory interest (Article 6:119 of the Dutch Civil Code)",
    },
    "be_b2b": {
        "nl": "de verwijlinteresten van de wet van 2 augustus 2002 betreffende de bestrijding "
        "van de betalingsachterstand bij handelstransacties",
        "fr": "l'intérêt de retard de la loi du 2 août 2002 concernant la lutte contre le "
        "retard de paiement dans les transactions commerciales",
        "en": "late-payment interest under the Belgian Law of 2 August 2002 on combating late "
        "payment in commercial transactions",
    },
    "be_b2c": {
        "nl": "de nalatigheidsinteresten volgens onze algemene voorwaarden",
        "fr": "l'intérêt de retard prévu par nos conditions générales",
        "en": "late-payment interest under our general terms and conditions",
    },
}
_INTEREST_FROM_DUE = {
    "nl": "de dag na de vervaldatum van elke factuur",
    "fr": "lendemain de l'échéance de chaque facture",
    "en": "the day after each invoice's due date",
}
_DAY_COUNT = {"nl": "werkelijke dagen/365", "fr": "jours réels/365", "en": "actual days/365"}
_COSTS_TEXT = {
    "b2b40": {
        "NL": {
            "nl": "artikel 6:96 lid 4 BW",
            "fr": "l'article 6:96, paragraphe 4, du Code civil néerlandais",
            "en": "Article 6:96(4) of the Dutch Civil Code",
        },
        "BE": {
            "nl": "artikel 6 van de wet van 2 augustus 2002",
            "fr": "l'article 6 de la loi du 2 août 2002",
            "en": "Article 6 of the Belgian Law of 2 August 2002",
        },
    },
    "wik": {
        "NL": {
            "nl": "artikel 6:96 BW en het Besluit vergoeding voor buitengerechtelijke "
            "incassokosten",
            "fr": "l'article 6:96 du Code civil néerlandais et du décret néerlandais relatif aux "
            "frais de recouvrement extrajudiciaires (Besluit vergoeding voor "
            "buitengerechtelijke incassokosten)",
            "en": "Article 6:96 of the Dutch Civil Code and the Dutch Decree on compensation for "
            "extrajudicial collection costs",
        },
    },
    "xix": {
        "BE": {
            "nl": "artikel XIX.4 van het Wetboek van economisch recht en onze algemene voorwaarden",
            "fr": "l'article XIX.4 du Code de droit économique et de nos conditions générales",
            "en": "Article XIX.4 of the Belgian Code of Economic Law and our general terms and "
            "conditions",
        },
    },
}
_REFERENCE_KIND = {
    "nl": {"nl": "betalingskenmerk", "fr": "référence de paiement", "en": "payment reference"},
    "ogm": {
        "nl": "gestructureerde mededeling",
        "fr": "communication structurée",
        "en": "structured reference",
    },
    "rf": {"nl": "referentie", "fr": "référence", "en": "creditor reference"},
}
_REGISTRATION = {
    "NL": {"nl": "KvK-nummer", "fr": "N° KvK", "en": "Chamber of Commerce no."},
    "BE": {"nl": "Ondernemingsnummer", "fr": "Numéro d'entreprise", "en": "Enterprise number"},
}
_COUNTRY_NAME = {
    "NL": {"nl": "Nederland", "fr": "Pays-Bas", "en": "The Netherlands"},
    "BE": {"nl": "België", "fr": "Belgique", "en": "Belgium"},
}
_ACTION_TEXT = {
    "herinnering": {
        "nl": "Herinnering verstuurd (post)",
        "fr": "Rappel envoyé (courrier)",
        "en": "Reminder sent (post)",
    },
    "aanmaning": {
        "nl": "Aanmaning en ingebrekestelling verstuurd (aangetekend)",
        "fr": "Sommation et mise en demeure envoyées (recommandé)",
        "en": "Formal demand and notice of default sent (registered post)",
    },
    "belofte": {
        "nl": "Telefonisch contact: betaling toegezegd vóór 7 mei 2025, niet nagekomen",
        "fr": "Contact téléphonique : paiement promis avant le 7 mai 2025, promesse non tenue",
        "en": "Telephone call: payment promised before 7 May 2025, promise not kept",
    },
    "14-dagenbrief": {
        "nl": "14-dagenbrief verstuurd (post, bezorgd op 4 maart 2025)",
        "fr": "Mise en demeure de 14 jours envoyée (courrier, remise le 4 mars 2025)",
        "en": "Fourteen-day letter sent (post, delivered on 4 March 2025)",
    },
    "regeling": {
        "nl": "Betalingsregeling in drie termijnen afgesproken",
        "fr": "Plan de paiement en trois tranches convenu",
        "en": "Payment plan in three instalments agreed",
    },
    "regeling_vervallen": {
        "nl": "Eerste termijn niet betaald; regeling vervallen",
        "fr": "Première tranche impayée ; plan de paiement caduc",
        "en": "First instalment not paid; payment plan lapsed",
    },
    "ingebrekestelling": {
        "nl": "Ingebrekestelling verstuurd (aangetekend)",
        "fr": "Mise en demeure envoyée (recommandé)",
        "en": "Notice of default sent (registered post)",
    },
}


def _salutation(language: str, party: _Party) -> str:
    """Return the salutation line, with its comma."""
    if language == "fr":
        for title, salutation in (("Maître", "Maître,"), ("Mme", "Madame,"), ("M.", "Monsieur,")):
            if party.contact.startswith(title):
                return salutation
        return "Madame, Monsieur,"
    if language == "en":
        if party.contact.startswith(("Ms ", "Mr ")):
            return f"Dear {party.contact.split(' ', 1)[0]} {party.contact.rsplit(' ', 1)[-1]},"
        return "Dear Sir or Madam,"
    if party.contact.startswith("de heer"):
        return f"Geachte heer {party.contact.rsplit(' ', 1)[-1]},"
    if party.contact.startswith("mr."):
        return f"Geachte mr. {party.contact.rsplit(' ', 1)[-1]},"
    return "Geachte heer, mevrouw,"


# --------------------------------------------------------------------------------------------
# Building the context
# --------------------------------------------------------------------------------------------


def _interest_periods(case: _Case) -> list[tuple[_Invoice, date, date, int, Decimal, Decimal]]:
    """Return (invoice, first day, last day, days, base, interest) per invoice with interest."""
    periods = []
    if case.rate is None:
        return periods
    for invoice in case.invoices:
        first = invoice.interest_from
        if first is None or first > case.letter_date:
            continue
        days = (case.letter_date - first).days + 1
        base = invoice.amount - invoice.paid
        interest = _cents(base * case.rate / 100 * days / 365)
        periods.append((invoice, first, case.letter_date, days, base, interest))
    return periods


def _costs_per_invoice(case: _Case, principal_open: Decimal) -> tuple[list[Decimal], Decimal]:
    """Return the costs charged per invoice and the VAT included in them."""
    count = len(case.invoices)
    if case.costs == "b2b40":
        return [Decimal("40.00")] * count, _ZERO
    if case.costs == "wik":
        bik, vat = _wik(principal_open, case.creditor)
        # one 14-day letter for all invoices: one amount, shown on the first invoice
        return [bik + vat] + [_ZERO] * (count - 1), vat
    if case.costs == "xix":
        return [Decimal(case.xix["forfait"])] + [_ZERO] * (count - 1), _ZERO
    return [_ZERO] * count, _ZERO


def _wik(principal: Decimal, creditor: _Creditor) -> tuple[Decimal, Decimal]:
    """Return the WIK costs (excluding VAT) and the VAT a non-deducting creditor adds."""
    bands = ((2500, "0.15"), (2500, "0.10"), (5000, "0.05"), (190000, "0.01"))
    rest, raw = principal, _ZERO
    for width, rate in bands:
        part = min(rest, Decimal(width))
        raw += part * Decimal(rate)
        rest -= part
    raw += max(rest, _ZERO) * Decimal("0.005")
    bik = _cents(min(max(raw, Decimal(40)), Decimal(6775)))
    vat = _ZERO if creditor.vat else _cents(bik * Decimal("0.21"))
    return bik, vat


def _split(total: Decimal, parts: int) -> list[Decimal]:
    """Split ``total`` into equal instalments; the last takes the rounding difference."""
    each = (total / parts).quantize(_CENT, rounding=ROUND_DOWN)
    return [each] * (parts - 1) + [total - each * (parts - 1)]


def _build(case: _Case, language: str) -> dict[str, Any]:
    fmt = _Style(language, case.country)
    creditor = case.creditor
    periods = _interest_periods(case)
    interest_by_invoice = {p[0].number: p[5] for p in periods}
    principal_open = sum((i.amount - i.paid for i in case.invoices), _ZERO)
    costs, vat_in_costs = _costs_per_invoice(case, principal_open)

    invoices = []
    totals = dict.fromkeys(
        ("hoofdsom", "betaald", "openstaand", "rente", "kosten", "totaal"), _ZERO
    )
    for invoice, cost in zip(case.invoices, costs, strict=True):
        open_ = invoice.amount - invoice.paid
        interest = interest_by_invoice.get(invoice.number, _ZERO)
        row = {
            "hoofdsom": invoice.amount,
            "betaald": invoice.paid,
            "openstaand": open_,
            "rente": interest,
            "kosten": cost,
            "totaal": open_ + interest + cost,
        }
        for key, value in row.items():
            totals[key] += value
        invoices.append(
            {
                "nummer": invoice.number,
                "omschrijving": invoice.description,
                "factuurdatum": fmt.short(invoice.invoice_date),
                "vervaldatum": fmt.short(invoice.due_date),
                "dagen_te_laat": max((case.letter_date - invoice.due_date).days, 0),
                **{key: fmt.money(value) for key, value in row.items()},
                # the samples' payments all went to the principal
                "betaald_totaal": fmt.money(invoice.paid),
            }
        )
    cost_lines = [
        {"factuur": invoice.number, "bedrag": fmt.money(cost)}
        for invoice, cost in zip(case.invoices, costs, strict=True)
        if cost > 0
    ]

    if case.costs == "wik_announced":
        bik, vat = _wik(principal_open, creditor)
        costs_block = {
            "van_toepassing": True,
            "bedrag": fmt.money(bik + vat),
            "omschrijving": _COSTS_TEXT["wik"][case.country][language],
            "inclusief_btw": bool(vat),
            "btw_bedrag": fmt.money(vat),
            "per_factuur": False,
            "per_factuur_bedragen": [],
        }
    elif case.costs:
        costs_block = {
            "van_toepassing": True,
            "bedrag": fmt.money(totals["kosten"]),
            "omschrijving": _COSTS_TEXT[case.costs][case.country][language],
            "inclusief_btw": bool(vat_in_costs),
            "btw_bedrag": fmt.money(vat_in_costs),
            "per_factuur": case.costs == "b2b40",
            "per_factuur_bedragen": cost_lines,
        }
    else:
        costs_block = {
            "van_toepassing": False,
            "bedrag": fmt.money(_ZERO),
            "omschrijving": "",
            "inclusief_btw": False,
            "btw_bedrag": fmt.money(_ZERO),
            "per_factuur": False,
            "per_factuur_bedragen": [],
        }

    no_rounding = {
        "totaal": fmt.money(totals["rente"]),
        "deels_betaald": False,
        "betaald": fmt.money(_ZERO),
        "open": fmt.money(totals["rente"]),
        "afronding": False,
        "afronding_bedrag": fmt.money(_ZERO),
    }
    if periods:
        starts = {p[1] for p in periods}
        from_text = (
            fmt.long(next(iter(starts)))
            if len(starts) == 1 and case.interest_kind == "be_b2c"
            else _INTEREST_FROM_DUE[language]
        )
        interest_block = {
            "van_toepassing": True,
            "omschrijving": _INTEREST_TEXT[case.interest_kind][language],
            "dagtelling": _DAY_COUNT[language],
            "percentage": fmt.percent(case.rate),
            "vanaf": from_text,
            **no_rounding,
        }
    else:
        interest_block = {
            "van_toepassing": False,
            "omschrijving": "",
            "dagtelling": _DAY_COUNT[language],
            "percentage": "",
            "vanaf": "",
            **no_rounding,
        }

    term_end = case.letter_date + timedelta(days=case.term_days) if case.term_days else None
    if case.template == "veertiendagenbrief":
        term_end = None  # the term runs from the day after delivery: never print a date
    if case.template == "eerste_herinnering":
        term_end = case.xix["last_day"]

    plan: dict[str, Any] = {"termijnen": [], "totaal": ""}
    amount_due = totals["totaal"]
    if case.plan:
        parts = _split(totals["totaal"], len(case.plan))
        plan = {
            "termijnen": [
                {"nummer": n, "vervaldatum": fmt.long(day), "bedrag": fmt.money(amount)}
                for n, (day, amount) in enumerate(zip(case.plan, parts, strict=True), start=1)
            ],
            "totaal": fmt.money(totals["totaal"]),
        }
        amount_due = parts[0]

    if case.xix:
        xix = {
            "forfait": fmt.money(Decimal(case.xix["forfait"])),
            "forfait_per_factuur": [
                {"factuur": i.number, "bedrag": fmt.money(Decimal(case.xix["forfait"]))}
                for i in case.invoices[:1]
            ],  # one invoice: its own lump sum is the sum (the letter lists it only for two)
            "rente_percentage": fmt.percent(Decimal(case.xix["rate"])),
            "rente_vanaf": fmt.long(case.xix["interest_from"]),
            "laatste_dag": fmt.long(case.xix["last_day"]),
            "kosteloos": case.template == "eerste_herinnering",
            "heeft_forfait": True,
            "heeft_rente": True,
        }
    else:
        xix = {
            "forfait": "",
            "forfait_per_factuur": [],
            "rente_percentage": "",
            "rente_vanaf": "",
            "laatste_dag": "",
            "kosteloos": False,
            "heeft_forfait": False,
            "heeft_rente": False,
        }

    handover = case.handover
    if handover is not None:
        handover_block = {
            "aan": handover.name,
            "contactpersoon": handover.contact,
            "adres": handover.address,
            "postcode": handover.postcode,
            "plaats": handover.city,
            "land": "",
            "dossier": case.dossier,
            "bijlagen": handover_enclosures(
                language, tuple(i.number for i in case.invoices), (), len(case.actions)
            ),
            "acties": [
                {"datum": fmt.short(day), "omschrijving": _ACTION_TEXT[key][language]}
                for day, key in case.actions
            ],
        }
    else:
        handover_block = {
            "aan": "",
            "contactpersoon": "",
            "adres": "",
            "postcode": "",
            "plaats": "",
            "land": "",
            "dossier": "",
            "bijlagen": "",
            "acties": [],
        }

    one, many = _INVOICE_WORD[language]
    subject = _SUBJECT[case.template][language].format(
        n=one if len(case.invoices) == 1 else many, debtor=case.debtor.name
    )
    city = creditor.city_fr if language == "fr" and creditor.city_fr else creditor.party.city
    code = {
        "herinnering": "H",
        "veertiendagenbrief": "V",
        "aanmaning": "A",
        "eerste_herinnering": "EH",
        "ingebrekestelling": "I",
        "regeling": "R",
        "overdracht": "O",
    }[case.template]
    salutation_party = handover if handover is not None else case.debtor

    return {
        "brief": {
            "stap": case.step,
            "sjabloon": case.template,
            "titel": subject,
            "aanhef": _salutation(language, salutation_party),
            "datum": fmt.long(case.letter_date),
            "plaats": city,
            "kenmerk": f"{case.debtor_number}-{code}-{case.letter_date:%Y%m%d}",
            "termijn_dagen": case.term_days,
            "termijn_tot": fmt.long(term_end) if term_end else "",
            "vorige_datum": fmt.long(case.previous) if case.previous else "",
            "taal": language,
            "land": case.country,
            "stuit_verjaring": case.interrupts,
            "regeling_vervallen": False,
            "kanaal": case.channel,
        },
        "schuldeiser": {
            "naam": creditor.party.name,
            "adres": creditor.party.address,
            "postcode": creditor.party.postcode,
            "plaats": creditor.party.city,
            "land": _COUNTRY_NAME[creditor.country][language],
            "registratie_label": _REGISTRATION[creditor.country][language],
            "registratie": creditor.registration,
            "btw_nummer": creditor.vat,
            "iban": creditor.iban,
            "bic": creditor.bic,
            "email": creditor.party.email,
            "telefoon": creditor.party.phone,
            "website": creditor.website,
            "ondertekenaar": creditor.signatory,
            "is_kmo": creditor.is_sme,
        },
        "klant": {
            "nummer": case.debtor_number,
            "naam": case.debtor.name,
            "contactpersoon": case.debtor.contact,
            "adres": case.debtor.address,
            "postcode": case.debtor.postcode,
            "plaats": case.debtor.city,
            "land": "",
            "email": case.debtor.email,
            "telefoon": case.debtor.phone,
            "is_consument": case.consumer,
        },
        "facturen": invoices,
        "renteperioden": [
            {
                "factuur": invoice.number,
                "van": fmt.short(first),
                "tot": fmt.short(last),
                "dagen": days,
                "grondslag": fmt.money(base),
                "percentage": fmt.percent(case.rate),
                "rente": fmt.money(interest),
            }
            for invoice, first, last, days, base, interest in periods
        ],
        "totaal": {
            **{key: fmt.money(value) for key, value in totals.items()},
            "betaald_totaal": fmt.money(totals["betaald"]),
        },
        "betalingen": {
            "naar_rente_en_kosten": False,
            "totaal": fmt.money(totals["betaald"]),
            "rente_en_kosten": fmt.money(_ZERO),
        },
        "rente": interest_block,
        "kosten": costs_block,
        "betaling": {
            "bedrag": fmt.money(amount_due),
            "iban": creditor.iban,
            "bic": creditor.bic,
            "kenmerk": case.reference,
            "kenmerk_soort": _REFERENCE_KIND[case.reference_kind][language],
            "qr": "",
        },
        "xix": xix,
        "regeling": plan,
        "overdracht": handover_block,
    }


def sample_context(template: str, language: str) -> dict[str, Any]:
    """Return an example context for a letter template in a language.

    Args:
      template: a template id, e.g. ``"veertiendagenbrief"``.
      language: ``"nl"``, ``"fr"`` or ``"en"``.
    Returns:
      A fresh dict (safe to change) in the shape of the context contract, with
      ``betaling.qr`` empty (``render_letter`` fills it).
    """
    if language not in LANGUAGES:
        raise ValueError(f"onbekende taal: {language!r}")
    return _build(_case(template, language), language)


def _walk(value: Any, prefix: str) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield path
            yield from _walk(item, path)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk(item, prefix)


def context_fields(context: Mapping[str, Any]) -> set[str]:
    """Return every field path in a context: ``klant``, ``klant.naam``, ``facturen.nummer``.

    Items of a list share the list's path (``facturen.nummer`` for each invoice).
    """
    return set(_walk(context, ""))


def known_fields() -> set[str]:
    """Return the field paths of the context contract (all templates and languages)."""
    fields: set[str] = set()
    for template in TEMPLATE_IDS:
        for language in LANGUAGES:
            fields |= context_fields(sample_context(template, language))
    return fields
