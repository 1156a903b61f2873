"""The letter context: (claim, step, language) -> the plain dict a template is filled with.

Pure: no files, no clock. Amounts and dates are formatted here with babel for the letter's
language and country (nl_NL, nl_BE, fr_BE, en); the field list is documented in
``letter_templates/README.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..core import references
from ..core.claim import DebtorClaim, InvoiceClaim
from ..core.model import (
    Channel,
    Country,
    Creditor,
    Debtor,
    DebtorKind,
    PlanInstalment,
    Settings,
    Step,
)
from ..core.money import ZERO, Decimal, round_cents, total
from ..core.rates import RateBook, builtin
from ..core.rules import be, nl
from ..formatting import euro, locale_for, long_date, percent, short_date

__all__ = ["TEMPLATES", "LetterPlan", "invoice_reference", "letter_context", "template_for"]

#: (step, country) -> template id; None for the country means both.
TEMPLATES: dict[tuple[Step, Country | None], str] = {
    (Step.REMINDER, None): "herinnering",
    (Step.BE_FIRST_REMINDER, None): "eerste_herinnering",
    (Step.FOURTEEN_DAY_LETTER, None): "veertiendagenbrief",
    (Step.NOTICE_OF_DEFAULT, Country.NL): "aanmaning",
    (Step.NOTICE_OF_DEFAULT, Country.BE): "ingebrekestelling",
    (Step.HANDOVER, None): "overdracht",
    (Step.PLAN, None): "regeling",
}

TITLES = {
    "herinnering": {
        "nl": "Betalingsherinnering",
        "fr": "Rappel de paiement",
        "en": "Payment reminder",
    },
    "eerste_herinnering": {
        "nl": "Eerste herinnering (kosteloos)",
        "fr": "Premier rappel (gratuit)",
        "en": "First reminder (free of charge)",
    },
    "veertiendagenbrief": {
        "nl": "Aanmaning: betaling binnen veertien dagen",
        "fr": "Mise en demeure : paiement dans les quatorze jours",
        "en": "Demand for payment within fourteen days",
    },
    "aanmaning": {
        "nl": "Aanmaning en ingebrekestelling",
        "fr": "Mise en demeure",
        "en": "Final demand and notice of default",
    },
    "ingebrekestelling": {
        "nl": "Ingebrekestelling",
        "fr": "Mise en demeure",
        "en": "Notice of default",
    },
    "overdracht": {
        "nl": "Overdracht ter incasso",
        "fr": "Transfert pour recouvrement",
        "en": "Claim handed over for collection",
    },
    "regeling": {
        "nl": "Bevestiging betalingsregeling",
        "fr": "Confirmation du plan de paiement",
        "en": "Payment plan confirmation",
    },
}

COUNTRY_NAMES = {
    "nl": {"NL": "Nederland", "BE": "België"},
    "fr": {"NL": "Pays-Bas", "BE": "Belgique"},
    "en": {"NL": "The Netherlands", "BE": "Belgium"},
}

REGISTRATION_LABELS = {
    ("nl", "NL"): "KvK-nummer",
    ("nl", "BE"): "Ondernemingsnummer",
    ("fr", "NL"): "Numéro KvK",
    ("fr", "BE"): "Numéro d'entreprise",
    ("en", "NL"): "Chamber of Commerce no.",
    ("en", "BE"): "Enterprise number",
}

REFERENCE_WORDS = {
    "nl": {
        "betalingskenmerk": "betalingskenmerk",
        "ogm": "gestructureerde mededeling",
        "rf": "referentie",
    },
    "fr": {
        "betalingskenmerk": "référence de paiement",
        "ogm": "communication structurée",
        "rf": "référence",
    },
    "en": {
        "betalingskenmerk": "payment reference",
        "ogm": "structured reference",
        "rf": "reference",
    },
}

INTEREST_WORDS = {
    "nl_wettelijke_rente": {
        "nl": "de wettelijke rente (artikel 6:119 BW)",
        "fr": "l'intérêt légal néerlandais (article 6:119 BW)",
        "en": "statutory interest (article 6:119 Dutch Civil Code)",
    },
    "nl_handelsrente": {
        "nl": "de wettelijke handelsrente (artikel 6:119a BW)",
        "fr": "l'intérêt commercial légal (article 6:119a BW)",
        "en": "statutory commercial interest (article 6:119a Dutch Civil Code)",
    },
    "be_handelsrente": {
        "nl": "de interest van de wet van 2 augustus 2002 betreffende de "
        "bestrijding van de betalingsachterstand bij handelstransacties",
        "fr": "l'intérêt de la loi du 2 août 2002 concernant la lutte contre le "
        "retard de paiement dans les transactions commerciales",
        "en": "interest under the Belgian Late Payment Act of 2 August 2002",
    },
    "be_wettelijke_interest": {
        "nl": "de wettelijke interest",
        "fr": "l'intérêt légal",
        "en": "statutory interest (Belgium)",
    },
    "contract": {
        "nl": "de overeengekomen nalatigheidsinterest",
        "fr": "l'intérêt de retard convenu",
        "en": "the agreed late-payment interest",
    },
}

DAY_COUNT_WORDS = {
    "365": {"nl": "werkelijke dagen/365", "fr": "jours réels/365", "en": "actual days/365"},
    "werkelijk": {
        "nl": "werkelijke dagen/werkelijk jaar",
        "fr": "jours réels/année réelle",
        "en": "actual/actual",
    },
    "rentejaar": {
        "nl": "werkelijke dagen/lengte van het rentejaar",
        "fr": "jours réels/année d'intérêts",
        "en": "actual days/interest year",
    },
}


#: The legal basis of the costs, per (country, kind) and language; the templates put it after
#: "op grond van" / "en vertu de" / "under". The French phrases start with the article that
#: "de" keeps ("l'article", "la loi"), so that the letter never says "de de" or "de du".
COST_BASIS = {
    ("NL", "consumer"): {
        "nl": "het Besluit vergoeding voor buitengerechtelijke incassokosten (artikel 6:96 BW)",
        "fr": "l'article 6:96 du Code civil néerlandais et du décret néerlandais sur "
        "l'indemnisation des frais de recouvrement extrajudiciaires",
        "en": "the Dutch Extrajudicial Collection Costs Decree (article 6:96 Dutch Civil Code)",
    },
    ("NL", "business"): {
        "nl": "artikel 6:96 lid 4 BW (ten minste € 40 per factuur)",
        "fr": "l'article 6:96, alinéa 4, du Code civil néerlandais (au moins 40 € par facture)",
        "en": "article 6:96(4) of the Dutch Civil Code (at least €40 per invoice)",
    },
    ("BE", "business"): {
        "nl": "de wet van 2 augustus 2002 betreffende de bestrijding van de betalingsachterstand "
        "bij handelstransacties (€ 40 per factuur)",
        "fr": "la loi du 2 août 2002 concernant la lutte contre le retard de paiement dans les "
        "transactions commerciales (40 € par facture)",
        "en": "the Belgian Act of 2 August 2002 on combating late payment in commercial "
        "transactions (€40 per invoice)",
    },
    ("BE", "consumer"): {
        "nl": "artikel XIX.4 van het Wetboek van economisch recht en onze algemene voorwaarden",
        "fr": "l'article XIX.4 du Code de droit économique et de nos conditions générales",
        "en": "article XIX.4 of the Belgian Code of Economic Law and our terms and conditions",
    },
}


_ENCLOSED = {
    "nl": {
        "all": "Kopieën van de facturen",
        "some": "Kopieën van de facturen {attached}",
        "letters": "de verstuurde brieven",
        "and": " en van ",
        "enclosed": "{what} zijn bijgevoegd.",
        "missing": " Van factuur {missing} is geen kopie bijgevoegd; die sturen wij u op verzoek.",
        "none": "Kopieën van de facturen zijn niet bijgevoegd; die sturen wij u op verzoek.",
        "no_letters": " Kopieën van verstuurde brieven zijn niet bijgevoegd.",
    },
    "fr": {
        "all": "Une copie des factures",
        "some": "Une copie des factures {attached}",
        "letters": "des courriers envoyés",
        "and": " et ",
        "enclosed": "{what} est jointe en annexe.",
        "missing": " La facture {missing} n'est pas jointe ; nous vous l'enverrons sur demande.",
        "none": "Les factures ne sont pas jointes ; nous vous les enverrons sur demande.",
        "no_letters": " Les courriers envoyés ne sont pas joints.",
    },
    "en": {
        "all": "Copies of the invoices",
        "some": "Copies of invoices {attached}",
        "letters": "the letters sent",
        "and": " and of ",
        "enclosed": "{what} are enclosed.",
        "missing": " No copy of invoice {missing} is enclosed; we will send it on request.",
        "none": "The invoices are not enclosed; we will send them on request.",
        "no_letters": " Copies of letters sent are not enclosed.",
    },
}


def handover_enclosures(
    lang: str, attached: Sequence[str], missing: Sequence[str], letters: int
) -> str:
    """Return the hand-over letter's sentence on what is enclosed: never more than is.

    >>> handover_enclosures("nl", ("F1",), ("F2",), 2).split(". ")
    ['Kopieën van de facturen F1 en van de verstuurde brieven zijn bijgevoegd', 'Van factuur F2 \
is geen kopie bijgevoegd; die sturen wij u op verzoek.']
    """
    w = _ENCLOSED.get(lang, _ENCLOSED["nl"])
    if attached:
        what = w["some"].format(attached=", ".join(attached)) if missing else w["all"]
        if letters:
            what += w["and"] + w["letters"]
        text = w["enclosed"].format(what=what)
        if missing:
            text += w["missing"].format(missing=", ".join(missing))
        return text + ("" if letters else w["no_letters"])
    text = w["none"]
    if letters:
        first = w["letters"]
        text = w["enclosed"].format(what=first[0].upper() + first[1:]) + " " + text
    return text


#: The first interest day when the invoices start on different days; the templates put it
#: after "vanaf" / "à compter du" / "from".
EACH_DUE_DATE = {
    "nl": "de dag na de vervaldatum van elke factuur",
    "fr": "lendemain de l'échéance de chaque facture",
    "en": "the day after each invoice's due date",
}


def _interest_from(rows: Sequence[InvoiceClaim], lang: str, day) -> str:
    """Return the first interest day, or a phrase when the invoices start on different days."""
    starts = {c.statement.start for c in rows if c.interest_start is not None and c.interest}
    if not starts:
        return ""
    if len(starts) == 1:
        return day(next(iter(starts)) + timedelta(days=1))
    return EACH_DUE_DATE[lang]


def template_for(step: Step, country: Country) -> str:
    """Return the template id for a step and the debtor's country."""
    return TEMPLATES.get((step, country)) or TEMPLATES[(step, None)]


def invoice_reference(
    invoice_number: str, stored: str, debtor: Debtor, creditor: Creditor
) -> references.PaymentReference:
    """Return the payment reference of an invoice.

    A reference stored in the workbook wins. Otherwise the kind follows the creditor's bank:
    a Belgian creditor gives a Belgian debtor an OGM, a Dutch creditor a Dutch debtor a
    betalingskenmerk; across the border an ISO 11649 RF reference, which every SEPA bank accepts.
    """
    if stored:
        found = references.find_references(stored)
        if found:
            return found[0]
    bank_country = (creditor.iban[:2] or str(creditor.country)).upper()
    if bank_country == str(debtor.country):
        return references.reference_for(invoice_number, bank_country)
    return references.PaymentReference(
        kind=references.ReferenceKind.RF, value=references.rf_reference(invoice_number)
    )


def _group_iban(iban: str) -> str:
    compact = iban.replace(" ", "").upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterPlan:
    """What one letter is about: a debtor, a step, the invoices, when and how it is sent."""

    claim: DebtorClaim
    step: Step
    invoices: tuple[str, ...]
    sent_on: date
    channel: Channel = Channel.POST
    language: str = "nl"
    reference_stored: dict[str, str] | None = None
    handover_to: str = ""
    handover_address: tuple[str, str, str, str, str] = ("", "", "", "", "")
    handover_history: tuple[tuple[date, str], ...] = ()
    #: (invoices whose copy is enclosed, invoices without a copy, number of letters enclosed).
    handover_enclosures: tuple[tuple[str, ...], tuple[str, ...], int] = ((), (), 0)
    instalments: tuple[PlanInstalment, ...] = ()
    previous_on: date | None = None
    plan_broken: bool = False


def _interest_key(debtor: Debtor, settings: Settings) -> str | None:
    if debtor.country is Country.NL:
        return nl.interest_series(debtor).value
    if debtor.kind is DebtorKind.CONSUMER and settings.be_consumer_interest_clause is not None:
        return "contract"
    series = be.interest_series(debtor, settings)
    return series.value if series else None


def salutation(language: str, debtor: Debtor | None = None) -> str:
    """Return the salutation line with its comma.

    The debtor's own Aanhef (Klanten) when filled in (``Geachte mevrouw De Vries`` becomes
    ``Geachte mevrouw De Vries,``), else the neutral line of ``language`` (the contact is on the
    address block).
    """
    own = " ".join((debtor.salutation if debtor is not None else "").split())
    if own:
        return own if own[-1] in ",:;!." else own + ","
    if language == "fr":
        return "Madame, Monsieur,"
    if language == "en":
        return "Dear Sir or Madam,"
    return "Geachte heer, mevrouw,"


def letter_context(
    plan: LetterPlan, creditor: Creditor, settings: Settings, rates: RateBook | None = None
) -> dict:
    """Return the template context of one letter.

    Args:
      plan: the debtor's claim, the step, the invoices in the letter, the day and channel.
      creditor: the user's business (letterhead, bank account).
      settings: the legal choices (which interest, clauses, terms).
    Returns:
      A plain dict of formatted text (see letter_templates/README.md), plus ``_qr`` with the
      unformatted payment data for the EPC QR code (amount, IBAN, reference).
    """
    claim, debtor = plan.claim, plan.claim.debtor
    lang = plan.language if plan.language in ("nl", "fr", "en") else "nl"
    loc = locale_for(lang, str(debtor.country))
    template = template_for(plan.step, debtor.country)
    rows: list[InvoiceClaim] = [claim.claim_for(n) for n in plan.invoices]
    rows.sort(key=lambda c: (c.invoice.due_date, c.invoice.number))
    stored = plan.reference_stored or {}

    def eur(x: Decimal) -> str:
        return euro(x, loc)

    def day(x: date | None) -> str:
        return short_date(x, loc) if x else ""

    # One meaning everywhere, in the table and in the text: what is still owed after the
    # payments were allocated (costs, then interest, then principal). The columns add up:
    # hoofdsom - betaald (on the principal) + rente (open) + kosten (open) = te betalen.
    interest_accrued = total(c.statement.interest for c in rows)
    interest_open = total(c.interest_open for c in rows)
    costs_open = total(c.statement.costs_open for c in rows)
    principal_open = total(c.principal_open for c in rows)
    amount_due = total(c.outstanding for c in rows)
    paid_all = total(c.statement.paid for c in rows)
    paid_on_principal = total(c.invoice.amount - c.principal_open for c in rows)

    # The costs: charged now (B2B, after a term), or announced (14-dagenbrief, BE first reminder).
    announced = ZERO
    announced_vat = ZERO
    if plan.step is Step.FOURTEEN_DAY_LETTER:
        base = nl.wik_costs(principal_open)
        announced = nl.with_vat(base, creditor, settings)
        announced_vat = announced - base
    costs_amount = announced if plan.step is Step.FOURTEEN_DAY_LETTER else costs_open
    cost_text = COST_BASIS[(str(debtor.country), debtor.kind.value)][lang]

    # Terms.
    term_days = settings.letter_term_days
    term_end = ""
    xix = None
    if plan.step is Step.BE_FIRST_REMINDER:
        term = be.letter_term(plan.sent_on, plan.channel, settings)
        term_end = long_date(term.last_day, loc)
        lump = (
            total(be.lump_sum_cap(c.principal_open) for c in rows)
            if (settings.be_consumer_lump_sum_clause)
            else ZERO
        )
        rate = ""
        rate_from = ""
        schedule = be.interest_schedule(debtor, creditor, settings, rates or builtin())
        if schedule is not None:
            rate = percent(schedule.rate_on(term.charges_from), loc)
            start = (
                term.first_day
                if creditor.is_sme and settings.be_consumer_sme_interest_from_term_start
                else term.charges_from
            )
            rate_from = long_date(start, loc)
        per_invoice = [
            {"factuur": c.invoice.number, "bedrag": eur(be.lump_sum_cap(c.principal_open))}
            for c in rows
            if settings.be_consumer_lump_sum_clause and c.principal_open > 0
        ]
        xix = {
            "forfait": eur(lump),
            "forfait_per_factuur": per_invoice,
            "rente_percentage": rate,
            "rente_vanaf": rate_from,
            "laatste_dag": term_end,
            "kosteloos": True,
            "heeft_forfait": lump > 0,
            "heeft_rente": bool(rate),
        }
    elif plan.step is Step.FOURTEEN_DAY_LETTER:
        term_end = ""  # the term runs from the day after receipt: no date computed from sending
    else:
        term_end = long_date(plan.sent_on + timedelta(days=term_days), loc)

    interest_key = _interest_key(debtor, settings)
    # Each line is the rounded result of its own formula (base x rate x days / divisor); the
    # total is the engine's (rounded per capitalisation year and at each payment), so the two
    # may differ by a cent or so: the footnote says so.
    periods = [
        {
            "factuur": c.invoice.number,
            "van": day(p.start),
            "tot": day(p.end),
            "dagen": p.days,
            "grondslag": eur(p.base),
            "percentage": percent(p.rate, loc),
            "rente": eur(round_cents(p.exact)),
        }
        for c in rows
        for p in c.statement.periods
    ]
    lines_total = total(round_cents(p.exact) for c in rows for p in c.statement.periods)
    rounding = interest_accrued - lines_total
    paid_interest = interest_accrued - interest_open
    costs_lines = [
        {"factuur": c.invoice.number, "bedrag": eur(c.statement.costs_open)}
        for c in rows
        if c.statement.costs_open > 0
    ]
    first_ref = (
        invoice_reference(
            rows[0].invoice.number, stored.get(rows[0].invoice.number, ""), debtor, creditor
        )
        if rows
        else None
    )
    ref_kind = first_ref.kind.value if first_ref else ""
    country_names = COUNTRY_NAMES[lang]
    # The rate in force now: that of the newest interest period.
    current = max((p for c in rows for p in c.statement.periods), key=lambda p: p.end, default=None)
    context = {
        "brief": {
            "stap": plan.step.value,
            "sjabloon": template,
            "titel": TITLES[template][lang],
            "aanhef": salutation(lang, debtor),
            "vorige_datum": long_date(plan.previous_on, loc) if plan.previous_on else "",
            "land": str(debtor.country),
            "datum": long_date(plan.sent_on, loc),
            "plaats": creditor.city,
            "kenmerk": f"{debtor.number}-{plan.sent_on:%Y%m%d}",
            "termijn_dagen": 14
            if plan.step in (Step.FOURTEEN_DAY_LETTER, Step.BE_FIRST_REMINDER)
            else term_days,
            "termijn_tot": term_end,
            "taal": lang,
            "regeling_vervallen": plan.plan_broken,
            "stuit_verjaring": debtor.country is Country.NL
            and plan.step in (Step.REMINDER, Step.FOURTEEN_DAY_LETTER, Step.NOTICE_OF_DEFAULT),
            "kanaal": plan.channel.value,
        },
        "schuldeiser": {
            "naam": creditor.name,
            "adres": creditor.address,
            "postcode": creditor.postcode,
            "plaats": creditor.city,
            "land": country_names.get(str(creditor.country), str(creditor.country)),
            "registratie_label": REGISTRATION_LABELS[(lang, str(creditor.country))],
            "registratie": creditor.registration,
            "btw_nummer": creditor.vat_number,
            "iban": _group_iban(creditor.iban),
            "bic": creditor.bic,
            "email": creditor.email,
            "telefoon": creditor.phone,
            "website": creditor.website,
            "ondertekenaar": creditor.signatory or creditor.name,
            "is_kmo": creditor.is_sme,
        },
        "klant": {
            "nummer": debtor.number,
            "naam": debtor.name,
            "contactpersoon": debtor.contact,
            "adres": debtor.address,
            "postcode": debtor.postcode,
            "plaats": debtor.city,
            "land": country_names.get(str(debtor.country), str(debtor.country))
            if debtor.country != creditor.country
            else "",
            "email": debtor.email,
            "telefoon": debtor.phone,
            "is_consument": debtor.kind is DebtorKind.CONSUMER,
        },
        "facturen": [
            {
                "nummer": c.invoice.number,
                "omschrijving": c.invoice.description,
                "factuurdatum": day(c.invoice.invoice_date),
                "vervaldatum": day(c.invoice.due_date),
                "dagen_te_laat": max((plan.sent_on - c.invoice.due_date).days, 0),
                "hoofdsom": eur(c.invoice.amount),
                "betaald": eur(c.invoice.amount - c.principal_open),
                "betaald_totaal": eur(c.statement.paid),
                "openstaand": eur(c.principal_open),
                "rente": eur(c.interest_open),
                "kosten": eur(c.statement.costs_open),
                "totaal": eur(c.outstanding),
            }
            for c in rows
        ],
        "renteperioden": periods,
        "totaal": {
            "hoofdsom": eur(total(c.invoice.amount for c in rows)),
            "betaald": eur(paid_on_principal),
            "betaald_totaal": eur(paid_all),
            "openstaand": eur(principal_open),
            "rente": eur(interest_open),
            "kosten": eur(costs_open),
            "totaal": eur(amount_due),
        },
        "betalingen": {
            "naar_rente_en_kosten": paid_all > paid_on_principal,
            "totaal": eur(paid_all),
            "rente_en_kosten": eur(paid_all - paid_on_principal),
        },
        "rente": {
            "van_toepassing": bool(periods),
            "omschrijving": INTEREST_WORDS[interest_key][lang] if interest_key else "",
            "dagtelling": DAY_COUNT_WORDS[settings.day_count.value][lang],
            "percentage": percent(current.rate, loc) if current else "",
            "vanaf": _interest_from(rows, lang, day),
            "totaal": eur(interest_accrued),
            "deels_betaald": paid_interest > 0,
            "betaald": eur(paid_interest),
            "open": eur(interest_open),
            "afronding": bool(rounding),
            "afronding_bedrag": eur(abs(rounding)),
        },
        "kosten": {
            "van_toepassing": costs_amount > 0,
            "bedrag": eur(costs_amount),
            "per_factuur_bedragen": costs_lines
            if plan.step is not Step.FOURTEEN_DAY_LETTER
            else [],
            "omschrijving": cost_text,
            "inclusief_btw": not creditor.vat_deductible
            and debtor.country is Country.NL
            and costs_amount > 0
            and plan.step is Step.FOURTEEN_DAY_LETTER,
            "btw_bedrag": eur(announced_vat),
            "per_factuur": debtor.kind is DebtorKind.BUSINESS,
        },
        "betaling": {
            "bedrag": eur(plan.instalments[0].amount if plan.instalments else amount_due),
            "iban": _group_iban(creditor.iban),
            "bic": creditor.bic,
            "kenmerk": first_ref.display if first_ref else "",
            "kenmerk_soort": REFERENCE_WORDS[lang].get(ref_kind, ""),
            "qr": "",
        },
        "xix": xix
        or {
            "forfait": "",
            "forfait_per_factuur": [],
            "rente_percentage": "",
            "rente_vanaf": "",
            "laatste_dag": "",
            "kosteloos": False,
            "heeft_forfait": False,
            "heeft_rente": False,
        },
        "regeling": {
            "termijnen": [
                {"nummer": i.number, "vervaldatum": day(i.due_date), "bedrag": eur(i.amount)}
                for i in plan.instalments
            ],
            "totaal": eur(total(i.amount for i in plan.instalments)),
        },
        "overdracht": {
            "aan": plan.handover_to,
            "contactpersoon": plan.handover_address[0],
            "adres": plan.handover_address[1],
            "postcode": plan.handover_address[2],
            "plaats": plan.handover_address[3],
            "land": plan.handover_address[4],
            "dossier": f"{debtor.number}-{plan.sent_on:%Y%m%d}",
            "bijlagen": handover_enclosures(lang, *plan.handover_enclosures),
            "acties": [
                {"datum": day(on), "omschrijving": text} for on, text in plan.handover_history
            ],
        },
        "_qr": {
            "amount": amount_due,
            "reference": first_ref,
            "name": creditor.name,
            "iban": creditor.iban,
            "bic": creditor.bic,
        },
    }
    return context
