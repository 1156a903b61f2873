"""Example letter contexts for every template and language, made by the program itself.

Each sample is a small, realistic case (a creditor, a customer, invoices, payments and the
letters sent before) that runs through the same engine and context builder as a real letter:
:func:`~debiteuren.core.claim.assess_debtor` computes the claim at the letter's date and
:func:`~debiteuren.letters.context.build_context` fills the blocks declared in
``letters/fields.py``. So a sample is what the program would write, never a hand-made copy.
Tests render the shipped templates with them; ``tests/letters`` also checks that the examples
in ``letter_templates/README.md`` are values the samples really take.

The cases follow the worked examples in ``shared/domain``:

- NL business (``Jansen & Zn <BV>`` of Van Dijk Installatietechniek): commercial interest
  (art. 6:119a BW, 11.15 % in 2025 H1) from the day after each due date, and EUR 40 per invoice
  (art. 6:96 lid 4 BW).
- NL consumer (``Ruth O'Brien & Kees de Vries`` of a dental practice): statutory interest
  (art. 6:119 BW); the 14-day letter announces the WIK costs on the unpaid principal (15 % of
  EUR 1,450.00 = EUR 217.50) plus 21 % VAT, because the practice cannot deduct VAT; after its
  term the costs are due.
- BE consumer (``Lotte D'hondt & Jef Claes``): the Book XIX first reminder sent by post on
  Friday 3 October 2025 gives a term up to Tuesday 21 October (be.md §3.3); the lump sum on
  EUR 1,000.00 is EUR 90.00 (§3.5); the agreed 10.50 % interest runs from the start of the term
  for an SME creditor (§3.6).
- BE business (``Ça va Café SRL``, ``O'Brien Logistics BV``): interest at the rate of the Law of
  2 August 2002 from the due date and EUR 40 per invoice (§1.6).

The German letters go to customers who read German, under the Dutch or Belgian law that governs
their claims (``core/rules/abroad.py``):

- a business in Aachen (``Müller & Söhne Haustechnik GmbH``) of Van Dijk: Dutch law, the
  creditor's own (Rome I art. 4), so commercial interest and EUR 40 per invoice as for Jansen;
- consumers in Kleve (``Anna & Peter Schneider``) of the dental practice, for whom the practice
  chose Dutch law (Toepasselijk recht NL): the 14-day letter, presumed received five working
  days after posting;
- consumers in Eupen (``Hannah Kessler & Lukas Braun``), in the German-speaking Community of
  Belgium: the Book XIX first reminder (their own country's law);
- a business in Aachen (``Vogel & Partner Möbelwerkstatt GmbH``) of Peeters: Belgian law, the
  creditor's own: the Belgian notice of default.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..core.claim import assess_debtor
from ..core.model import (
    Action,
    Agency,
    Channel,
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    Invoice,
    Payment,
    PlanInstalment,
    Settings,
    Step,
)
from ..core.money import Decimal, allocate_cents
from ..core.rates import builtin
from .context import LANGUAGES, TEMPLATE_IDS, LetterPlan, build_context
from .fields import template_data

__all__ = ["LANGUAGES", "TEMPLATE_IDS", "context_fields", "sample_context", "sample_letter"]

# --------------------------------------------------------------------------------------------
# The parties
# --------------------------------------------------------------------------------------------

_VAN_DIJK = Creditor(
    name="Van Dijk Installatietechniek B.V.",
    country=Country("NL"),
    address="Kanaalweg 17",
    postcode="3526 KL",
    city="Utrecht",
    registration="61234567",
    vat_number="NL123456782B01",
    iban="NL91ABNA0417164300",
    bic="ABNANL2A",
    email="debiteuren@vandijk-installatie.nl",
    phone="030 123 45 67",
    website="www.vandijk-installatie.nl",
    signatory="Marieke van Dijk",
)
#: Medical care is exempt from VAT: no VAT number, and the collection costs carry VAT.
_ZONNEHOF = Creditor(
    name="Tandartspraktijk 't Zonnehof",
    country=Country("NL"),
    address="Zonnehof 3",
    postcode="3811 BK",
    city="Amersfoort",
    registration="70123458",
    iban="NL02ABNA0123456789",
    bic="ABNANL2A",
    email="administratie@zonnehof-tandarts.nl",
    phone="033 765 43 21",
    website="www.zonnehof-tandarts.nl",
    signatory="Esther Smit",
    vat_deductible=False,
)
_PEETERS = Creditor(
    name="Schrijnwerkerij Peeters BV",
    country=Country("BE"),
    address="Brugsesteenweg 210",
    postcode="9000",
    city="Gent",
    registration="0812.345.603",
    vat_number="BE 0812.345.603",
    iban="BE71096123456769",
    bic="GKCCBEBB",
    email="boekhouding@peeters-schrijnwerk.be",
    phone="09 123 45 67",
    website="www.peeters-schrijnwerk.be",
    signatory="Bart Peeters",
)

_JANSEN = Debtor(
    number="1042",
    name="Jansen & Zn <BV>",
    country=Country("NL"),
    kind=DebtorKind.BUSINESS,
    contact="de heer P. Jansen",
    address="Dorpsstraat 12",
    postcode="3451 BC",
    city="Utrecht",
    email="administratie@jansenzn.nl",
    phone="030 987 65 43",
)
_OBRIEN = Debtor(
    number="2087",
    name="Ruth O'Brien & Kees de Vries",
    country=Country("NL"),
    kind=DebtorKind.CONSUMER,
    address="Vondellaan 8",
    postcode="3817 AB",
    city="Amersfoort",
    email="ruth.obrien@example.nl",
    phone="06 12 34 56 78",
)
_DHONDT = Debtor(
    number="B-0315",
    name="Lotte D'hondt & Jef Claes",
    country=Country("BE"),
    kind=DebtorKind.CONSUMER,
    address="Zonnestraat 14",
    postcode="9050",
    city="Gentbrugge",
    email="lotte.dhondt@example.be",
    phone="0470 12 34 56",
)
_CAVA = Debtor(
    number="B-0221",
    name="Ça va Café SRL",
    country=Country("BE"),
    kind=DebtorKind.BUSINESS,
    contact="Mme Sophie Lambert",
    address="Place du Marché 3",
    postcode="5000",
    city="Namur",
    email="compta@cavacafe.be",
    phone="081 22 33 44",
)
_OBRIEN_LOGISTICS = Debtor(
    number="B-0407",
    name="O'Brien Logistics BV",
    country=Country("BE"),
    kind=DebtorKind.BUSINESS,
    contact="Ms Siobhan O'Brien",
    address="Noorderlaan 100",
    postcode="2030",
    city="Antwerpen",
    email="accounts@obrienlogistics.be",
    phone="03 555 66 77",
    salutation="Dear Ms O'Brien",
)

_MUELLER = Debtor(
    number="1107",
    name="Müller & Söhne Haustechnik GmbH",
    country="DE",
    kind=DebtorKind.BUSINESS,
    contact="Herr Jonas Müller",
    address="Jülicher Straße 112",
    postcode="52070",
    city="Aachen",
    email="buchhaltung@mueller-haustechnik.de",
    phone="+49 241 123456",
    vat_number="DE136695976",
)
_SCHNEIDER = Debtor(
    number="2130",
    name="Anna & Peter Schneider",
    country="DE",
    kind=DebtorKind.CONSUMER,
    address="Kavarinerstraße 21",
    postcode="47533",
    city="Kleve",
    email="schneider.kleve@example.de",
    law=Country("NL"),
)
_KESSLER = Debtor(
    number="B-0350",
    name="Hannah Kessler & Lukas Braun",
    country=Country("BE"),
    kind=DebtorKind.CONSUMER,
    address="Bergstraße 12",
    postcode="4700",
    city="Eupen",
    email="hannah.kessler@example.be",
    phone="0475 98 76 54",
)
_MOEBEL = Debtor(
    number="B-0412",
    name="Vogel & Partner Möbelwerkstatt GmbH",
    country="DE",
    kind=DebtorKind.BUSINESS,
    contact="Frau Katrin Vogel",
    address="Pontstraße 40",
    postcode="52062",
    city="Aachen",
    email="rechnungen@moebelwerkstatt-aachen.de",
    phone="+49 241 654321",
)

_BAILIFF_NL = Agency(
    name="Gerechtsdeurwaarders Bakker & Visser",
    contact="mr. L. Visser",
    address="Catharijnesingel 50",
    postcode="3511 GC",
    city="Utrecht",
)
_AGENCY_NL = Agency(
    name="Incassobureau Noorderlicht B.V.",
    contact="Mr J. Bos",
    address="Stationsplein 2",
    postcode="3818 LE",
    city="Amersfoort",
)
_LAWYERS_DE = Agency(
    name="Rechtsanwälte Becker & Hoffmann",
    contact="Frau Rechtsanwältin Dr. Anna Becker",
    address="Theaterstraße 10",
    postcode="52062",
    city="Aachen",
    country="Deutschland",
)
_BAILIFF_BE = Agency(
    name="Étude Dubois & Lemaire, huissiers de justice",
    contact="Maître Hélène Dubois",
    address="Rue de Fer 25",
    postcode="5000",
    city="Namur",
)

# --------------------------------------------------------------------------------------------
# Invoices, payments and the letters sent before
# --------------------------------------------------------------------------------------------


def _invoice(debtor: Debtor, number: str, text: str, issued: date, due: date, amount: str):
    return Invoice(
        number=number,
        debtor=debtor.number,
        invoice_date=issued,
        due_date=due,
        amount=Decimal(amount),
        description=text,
    )


def _paid(debtor: Debtor, on: date, amount: str, invoice: str) -> Payment:
    return Payment(on=on, amount=Decimal(amount), debtor=debtor.number, invoice=invoice)


def _sent(debtor: Debtor, on: date, step: Step, channel: Channel = Channel.POST) -> Action:
    return Action(on=on, debtor=debtor.number, step=step, channel=channel)


_NL_B2B = (
    _invoice(
        _JANSEN,
        "2025-0117",
        "Vervangen cv-ketel, Dorpsstraat 12",
        date(2025, 2, 1),
        date(2025, 3, 3),
        "3025.00",
    ),
    _invoice(
        _JANSEN,
        "2025-0142",
        "Onderhoud installaties februari",
        date(2025, 2, 15),
        date(2025, 3, 17),
        "605.00",
    ),
)
_NL_B2B_PAID = (_paid(_JANSEN, date(2025, 3, 12), "105.00", "2025-0142"),)
_NL_B2C = (
    _invoice(
        _OBRIEN,
        "F2025-0012",
        "Behandeling 8 januari 2025",
        date(2025, 1, 10),
        date(2025, 1, 24),
        "1250.00",
    ),
    _invoice(
        _OBRIEN, "F2025-0031", "Kroon element 36", date(2025, 2, 3), date(2025, 2, 17), "450.00"
    ),
)
_NL_B2C_PAID = (_paid(_OBRIEN, date(2025, 1, 20), "250.00", "F2025-0012"),)
_BE_B2C = (
    _invoice(
        _DHONDT,
        "2025-0311",
        "Plaatsing maatwerkkast slaapkamer",
        date(2025, 9, 16),
        date(2025, 9, 30),
        "1000.00",
    ),
)
_BE_B2B = (
    _invoice(
        _CAVA, "2025-0288", "Comptoir sur mesure", date(2025, 8, 29), date(2025, 9, 28), "4840.00"
    ),
    _invoice(_CAVA, "2025-0301", "Étagères bar", date(2025, 9, 8), date(2025, 10, 8), "1210.00"),
)
_BE_B2B_PAID = (_paid(_CAVA, date(2025, 10, 1), "210.00", "2025-0301"),)
_DE_B2B = (
    _invoice(
        _MUELLER,
        "2025-0133",
        "Lieferung Wärmepumpe, Jülicher Straße 112",
        date(2025, 2, 10),
        date(2025, 3, 12),
        "4200.00",
    ),
    _invoice(
        _MUELLER,
        "2025-0158",
        "Wartung Heizungsanlage",
        date(2025, 2, 24),
        date(2025, 3, 26),
        "480.00",
    ),
)
_DE_B2B_PAID = (_paid(_MUELLER, date(2025, 3, 20), "80.00", "2025-0158"),)
_DE_B2C = (
    _invoice(
        _SCHNEIDER,
        "F2025-0044",
        "Zahnbehandlung 12. Februar 2025",
        date(2025, 2, 14),
        date(2025, 2, 28),
        "960.00",
    ),
)
_BE_B2C_EUPEN = (
    _invoice(
        _KESSLER,
        "2025-0318",
        "Einbauschrank nach Maß, Schlafzimmer",
        date(2025, 9, 18),
        date(2025, 10, 2),
        "1500.00",
    ),
)
_BE_B2B_AACHEN = (
    _invoice(
        _MOEBEL,
        "2025-0290",
        "Eichenplatten, zugeschnitten",
        date(2025, 9, 2),
        date(2025, 10, 2),
        "2800.00",
    ),
)
_BE_B2B_LOGISTICS = (
    _invoice(
        _OBRIEN_LOGISTICS,
        "2025-0296",
        "Kantoorinrichting magazijn",
        date(2025, 9, 1),
        date(2025, 9, 30),
        "2420.00",
    ),
)

#: What the hand-over letters list as done before, per language.
_HISTORY = {
    "herinnering": {
        "nl": "Herinnering verstuurd (post)",
        "fr": "Rappel envoyé (courrier)",
        "en": "Reminder sent (post)",
        "de": "Zahlungserinnerung versandt (Post)",
    },
    "aanmaning": {
        "nl": "Aanmaning en ingebrekestelling verstuurd (aangetekend)",
        "fr": "Sommation et mise en demeure envoyées (recommandé)",
        "en": "Formal demand and notice of default sent (registered post)",
        "de": "Mahnung und Inverzugsetzung versandt (Einschreiben)",
    },
    "belofte": {
        "nl": "Telefonisch contact: betaling toegezegd vóór 7 mei 2025, niet nagekomen",
        "fr": "Contact téléphonique : paiement promis avant le 7 mai 2025, promesse non tenue",
        "en": "Telephone call: payment promised before 7 May 2025, promise not kept",
        "de": "Telefonat: Zahlung bis 7. Mai 2025 zugesagt, Zusage nicht eingehalten",
    },
    "14-dagenbrief": {
        "nl": "14-dagenbrief verstuurd (post, bezorgd op 4 maart 2025)",
        "fr": "Mise en demeure de 14 jours envoyée (courrier, remise le 4 mars 2025)",
        "en": "Fourteen-day letter sent (post, delivered on 4 March 2025)",
        "de": "Zahlungsaufforderung mit 14-Tage-Frist versandt (Post, zugestellt am 4. März 2025)",
    },
    "regeling": {
        "nl": "Betalingsregeling in drie termijnen afgesproken",
        "fr": "Plan de paiement en trois tranches convenu",
        "en": "Payment plan in three instalments agreed",
        "de": "Ratenzahlung in drei Raten vereinbart",
    },
    "regeling_vervallen": {
        "nl": "Eerste termijn niet betaald; regeling vervallen",
        "fr": "Première tranche impayée ; plan de paiement caduc",
        "en": "First instalment not paid; payment plan lapsed",
        "de": "Erste Rate nicht bezahlt; Ratenzahlungsvereinbarung hinfällig",
    },
    "ingebrekestelling": {
        "nl": "Ingebrekestelling verstuurd (aangetekend)",
        "fr": "Mise en demeure envoyée (recommandé)",
        "en": "Notice of default sent (registered post)",
        "de": "Inverzugsetzung versandt (Einschreiben)",
    },
}

#: The terms of the sample creditors: a Book XIX lump sum and 10.50 % interest for consumers.
_SETTINGS = Settings(be_consumer_interest_clause=Decimal("10.50"), be_consumer_lump_sum_clause=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Case:
    """One sample letter: the facts before it, and how it is sent."""

    creditor: Creditor
    debtor: Debtor
    invoices: tuple[Invoice, ...]
    step: Step
    on: date
    payments: tuple[Payment, ...] = ()
    sent: tuple[tuple[date, Step, Channel], ...] = ()
    channel: Channel = Channel.POST
    previous_on: date | None = None
    references: Mapping[str, str] | None = None
    instalments: tuple[date, ...] = ()
    agency: Agency | None = None
    history: tuple[tuple[date, str], ...] = ()


#: The customers of the samples, each with its creditor, invoices and payments.
_CUSTOMERS = {
    "nl_business": (_VAN_DIJK, _JANSEN, _NL_B2B, _NL_B2B_PAID),
    "nl_consumer": (_ZONNEHOF, _OBRIEN, _NL_B2C, _NL_B2C_PAID),
    "be_consumer": (_PEETERS, _DHONDT, _BE_B2C, ()),
    "be_business": (_PEETERS, _CAVA, _BE_B2B, _BE_B2B_PAID),
    "be_logistics": (_PEETERS, _OBRIEN_LOGISTICS, _BE_B2B_LOGISTICS, ()),
    "de_business": (_VAN_DIJK, _MUELLER, _DE_B2B, _DE_B2B_PAID),
    "de_consumer": (_ZONNEHOF, _SCHNEIDER, _DE_B2C, ()),
    "be_consumer_eupen": (_PEETERS, _KESSLER, _BE_B2C_EUPEN, ()),
    "be_business_aachen": (_PEETERS, _MOEBEL, _BE_B2B_AACHEN, ()),
}


def _letter_to(customer: str, step: Step, on: date, **facts: Any) -> _Case:
    creditor, debtor, invoices, payments = _CUSTOMERS[customer]
    return _Case(
        creditor=creditor,
        debtor=debtor,
        invoices=invoices,
        payments=payments,
        step=step,
        on=on,
        **facts,
    )


_NL_REMINDED = ((date(2025, 3, 24), Step.REMINDER, Channel.POST),)
_NL_CONSUMER_WARNED = (
    (date(2025, 2, 10), Step.REMINDER, Channel.EMAIL),
    (date(2025, 3, 3), Step.FOURTEEN_DAY_LETTER, Channel.POST),
)
_BE_FIRST_REMINDED = ((date(2025, 10, 3), Step.BE_FIRST_REMINDER, Channel.POST),)


def _german_case(template: str) -> _Case:
    """Return the sample case of a German letter (see the module docstring)."""
    if template in ("herinnering", "aanmaning"):
        reminded = ((date(2025, 4, 2), Step.REMINDER, Channel.POST),)
        if template == "herinnering":
            return _letter_to("de_business", Step.REMINDER, date(2025, 4, 2))
        return _letter_to(
            "de_business",
            Step.NOTICE_OF_DEFAULT,
            date(2025, 4, 23),
            sent=reminded,
            previous_on=date(2025, 4, 2),
            channel=Channel.REGISTERED,
        )
    if template == "veertiendagenbrief":
        return _letter_to(
            "de_consumer",
            Step.FOURTEEN_DAY_LETTER,
            date(2025, 3, 24),
            sent=((date(2025, 3, 10), Step.REMINDER, Channel.POST),),
            previous_on=date(2025, 3, 10),
        )
    if template == "eerste_herinnering":
        return _letter_to("be_consumer_eupen", Step.BE_FIRST_REMINDER, date(2025, 10, 10))
    if template == "ingebrekestelling":
        return _letter_to(
            "be_business_aachen",
            Step.NOTICE_OF_DEFAULT,
            date(2025, 11, 7),
            sent=((date(2025, 10, 17), Step.REMINDER, Channel.POST),),
            previous_on=date(2025, 10, 17),
        )
    if template == "regeling":
        return _letter_to(
            "de_business",
            Step.PLAN,
            date(2025, 5, 5),
            sent=((date(2025, 4, 2), Step.REMINDER, Channel.POST),),
            instalments=(date(2025, 5, 31), date(2025, 6, 30), date(2025, 7, 31)),
        )
    if template == "overdracht":
        return _letter_to(
            "de_business",
            Step.HANDOVER,
            date(2025, 5, 26),
            sent=(
                (date(2025, 4, 2), Step.REMINDER, Channel.POST),
                (date(2025, 4, 23), Step.NOTICE_OF_DEFAULT, Channel.REGISTERED),
            ),
            agency=_LAWYERS_DE,
            history=((date(2025, 4, 2), "herinnering"), (date(2025, 4, 23), "aanmaning")),
        )
    raise ValueError(f"onbekend sjabloon: {template!r}")


def _case(template: str, language: str) -> _Case:
    """Return the sample case of a template in a language (see the module docstring)."""
    if language == "de":
        return _german_case(template)
    if template == "herinnering":
        if language == "nl":
            return _letter_to("nl_business", Step.REMINDER, date(2025, 3, 24))
        if language == "fr":
            return _letter_to("be_business", Step.REMINDER, date(2025, 10, 15))
        return replace(
            _letter_to("nl_consumer", Step.REMINDER, date(2025, 2, 10), channel=Channel.EMAIL),
            invoices=_NL_B2C[:1],
        )
    if template == "veertiendagenbrief":
        return _letter_to(
            "nl_consumer",
            Step.FOURTEEN_DAY_LETTER,
            date(2025, 3, 3),
            sent=_NL_CONSUMER_WARNED[:1],
            previous_on=date(2025, 2, 10),
        )
    if template == "aanmaning":
        return _letter_to(
            "nl_business",
            Step.NOTICE_OF_DEFAULT,
            date(2025, 4, 14),
            sent=_NL_REMINDED,
            previous_on=date(2025, 3, 24),
            channel=Channel.REGISTERED,
        )
    if template == "eerste_herinnering":
        return _letter_to("be_consumer", Step.BE_FIRST_REMINDER, date(2025, 10, 3))
    if template == "ingebrekestelling":
        if language == "nl":
            return _letter_to(
                "be_consumer",
                Step.NOTICE_OF_DEFAULT,
                date(2025, 11, 6),
                sent=_BE_FIRST_REMINDED,
                previous_on=date(2025, 10, 3),
            )
        if language == "fr":
            return _letter_to(
                "be_business",
                Step.NOTICE_OF_DEFAULT,
                date(2025, 11, 5),
                sent=((date(2025, 10, 15), Step.REMINDER, Channel.POST),),
                previous_on=date(2025, 10, 15),
            )
        return _letter_to("be_logistics", Step.NOTICE_OF_DEFAULT, date(2025, 11, 5))
    if template == "regeling":
        if language == "nl":
            return _letter_to(
                "nl_consumer",
                Step.PLAN,
                date(2025, 3, 31),
                sent=_NL_CONSUMER_WARNED,
                instalments=(date(2025, 4, 15), date(2025, 5, 15), date(2025, 6, 15)),
            )
        if language == "fr":
            return _letter_to(
                "be_consumer",
                Step.PLAN,
                date(2025, 11, 12),
                sent=_BE_FIRST_REMINDED,
                instalments=(date(2025, 11, 30), date(2025, 12, 31)),
            )
        # A reference stored in the workbook wins: here an RF creditor reference.
        return _letter_to(
            "nl_business",
            Step.PLAN,
            date(2025, 5, 12),
            sent=_NL_REMINDED,
            references={"2025-0117": "RF18 5390 0754 7034"},
            instalments=(
                date(2025, 5, 31),
                date(2025, 6, 30),
                date(2025, 7, 31),
                date(2025, 8, 31),
            ),
        )
    if template == "overdracht":
        if language == "nl":
            return _letter_to(
                "nl_business",
                Step.HANDOVER,
                date(2025, 5, 12),
                sent=(
                    *_NL_REMINDED,
                    (date(2025, 4, 14), Step.NOTICE_OF_DEFAULT, Channel.REGISTERED),
                ),
                agency=_BAILIFF_NL,
                history=(
                    (date(2025, 3, 24), "herinnering"),
                    (date(2025, 4, 14), "aanmaning"),
                    (date(2025, 4, 30), "belofte"),
                ),
            )
        if language == "fr":
            return _letter_to(
                "be_business",
                Step.HANDOVER,
                date(2025, 12, 1),
                sent=(
                    (date(2025, 10, 15), Step.REMINDER, Channel.POST),
                    (date(2025, 11, 5), Step.NOTICE_OF_DEFAULT, Channel.REGISTERED),
                ),
                agency=_BAILIFF_BE,
                history=(
                    (date(2025, 10, 15), "herinnering"),
                    (date(2025, 11, 5), "ingebrekestelling"),
                ),
            )
        return _letter_to(
            "nl_consumer",
            Step.HANDOVER,
            date(2025, 4, 22),
            sent=_NL_CONSUMER_WARNED,
            agency=_AGENCY_NL,
            history=(
                (date(2025, 2, 10), "herinnering"),
                (date(2025, 3, 3), "14-dagenbrief"),
                (date(2025, 3, 31), "regeling"),
                (date(2025, 4, 16), "regeling_vervallen"),
            ),
        )
    raise ValueError(f"onbekend sjabloon: {template!r}")


def sample_letter(template: str, language: str) -> tuple[LetterPlan, Creditor, Settings]:
    """Return what the program needs to write a sample letter: the plan, creditor and settings.

    The claim in the plan is the engine's, at the letter's date, from the case's invoices,
    payments and the letters sent before.
    """
    if language not in LANGUAGES:
        raise ValueError(f"onbekende taal: {language!r}")
    case = _case(template, language)
    debtor = replace(case.debtor, language=language)
    actions = [
        Action(on=on, debtor=debtor.number, step=step, channel=channel, invoices=())
        for on, step, channel in case.sent
    ]
    claim = assess_debtor(
        debtor,
        case.invoices,
        case.payments,
        actions,
        case.creditor,
        _SETTINGS,
        builtin(),
        case.on,
    )
    numbers = tuple(i.number for i in case.invoices)
    amounts = allocate_cents(claim.outstanding, [Decimal(1)] * len(case.instalments))
    agency = case.agency or Agency(name="")
    plan = LetterPlan(
        claim=claim,
        step=case.step,
        invoices=numbers,
        sent_on=case.on,
        channel=case.channel,
        language=language,
        reference_stored=dict(case.references or {}),
        previous_on=case.previous_on,
        instalments=tuple(
            PlanInstalment(debtor=debtor.number, number=n, due_date=day, amount=amount)
            for n, (day, amount) in enumerate(zip(case.instalments, amounts, strict=True), 1)
        ),
        handover_to=agency.name,
        handover_address=(
            agency.contact,
            agency.address,
            agency.postcode,
            agency.city,
            agency.country,
        ),
        handover_history=tuple((on, _HISTORY[key][language]) for on, key in case.history),
        handover_enclosures=(numbers, (), len(case.history)) if case.agency else ((), (), 0),
    )
    return plan, case.creditor, _SETTINGS


def sample_context(template: str, language: str) -> dict[str, Any]:
    """Return the context of a sample letter, as a template receives it.

    Args:
      template: a template id, e.g. ``"veertiendagenbrief"``.
      language: ``"nl"``, ``"fr"``, ``"en"`` or ``"de"``.
    Returns:
      A fresh dict (safe to change) with every block of ``letters/fields.py``, and
      ``betaling.qr`` empty (``render_letter`` fills it).
    """
    plan, creditor, settings = sample_letter(template, language)
    return template_data(build_context(plan, creditor, settings, builtin()))


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
