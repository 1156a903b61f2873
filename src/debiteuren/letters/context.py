"""The letter context: (claim, step, language) -> the plain dict a template is filled with.

Pure: no files, no clock. The blocks and their fields are declared in ``letters/fields.py``;
here one builder per block fills them (``_letter_block`` for ``brief``, ``_costs_block`` for
``kosten`` …) from the facts of one letter, and :func:`letter_context` hands the template the
plain data. Amounts and dates are formatted here with babel for the letter's language and
country (nl_NL, nl_BE, fr_BE, en, de_DE), and so are country names (CLDR, in the letter's
language).

A customer abroad reads its letter in its own Taal (German too) and gets it at an address
written the way its country writes addresses (``letters/address.py``); the law the letter
applies and cites stays the Dutch or Belgian law that governs the claim (``brief.land``, from
:func:`~debiteuren.core.rules.rules_for`), and the EPC QR code is offered only where a euro
SEPA payment is usual (:func:`~debiteuren.core.rules.epc_qr_offered`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..core.claim import FORMAL_STEPS, InvoiceClaim
from ..core.letters import LetterPlan
from ..core.model import (
    Creditor,
    Debtor,
    DebtorKind,
    Settings,
    Step,
)
from ..core.money import ZERO, Decimal, round_cents, total
from ..core.rates import RateBook, builtin
from ..core.references import PaymentReference, invoice_reference
from ..core.rules import (
    COUNTRIES,
    Announcement,
    CountryRules,
    citation,
    epc_qr_offered,
    for_country,
    rules_for,
)
from ..formatting import (
    country_name,
    euro,
    locale_for,
    long_date,
    percent,
    phone_number,
    short_date,
)
from ..untrusted import one_line
from .address import AddressBlock, address_block, locality_line
from .fields import (
    BookXixBlock,
    CostLine,
    CostsBlock,
    CreditorBlock,
    CustomerBlock,
    HandoverAction,
    HandoverBlock,
    Instalment,
    InterestBlock,
    InterestPeriod,
    InvoiceLine,
    LetterBlock,
    LetterContext,
    LumpSumLine,
    PaymentBlock,
    PaymentsBlock,
    PlanBlock,
    Totals,
    template_data,
)

__all__ = [
    "LANGUAGES",
    "TEMPLATES",
    "TEMPLATE_IDS",
    "LetterPlan",
    "build_context",
    "invoice_reference",
    "letter_context",
    "template_for",
]

#: The letter languages; a customer with another language gets Dutch letters.
LANGUAGES = ("nl", "fr", "en", "de")

#: step -> template id, unless the country rules name their own (``LETTER_TEMPLATES``: the
#: formal demand is the NL "aanmaning", the BE "ingebrekestelling").
TEMPLATES: dict[Step, str] = {
    Step.REMINDER: "herinnering",
    Step.BE_FIRST_REMINDER: "eerste_herinnering",
    Step.FOURTEEN_DAY_LETTER: "veertiendagenbrief",
    Step.HANDOVER: "overdracht",
    Step.PLAN: "regeling",
}
#: The template ids: one ``letter_templates/<language>/<id>.docx`` each.
TEMPLATE_IDS = tuple(
    dict.fromkeys(
        [
            *TEMPLATES.values(),
            *(t for c in COUNTRIES for t in for_country(c).LETTER_TEMPLATES.values()),
        ]
    )
)

TITLES = {
    "herinnering": {
        "nl": "Betalingsherinnering",
        "fr": "Rappel de paiement",
        "en": "Payment reminder",
        "de": "Zahlungserinnerung",
    },
    "eerste_herinnering": {
        "nl": "Eerste herinnering (kosteloos)",
        "fr": "Premier rappel (gratuit)",
        "en": "First reminder (free of charge)",
        "de": "Erste Zahlungserinnerung (kostenlos)",
    },
    "veertiendagenbrief": {
        "nl": "Aanmaning: betaling binnen veertien dagen",
        "fr": "Mise en demeure : paiement dans les quatorze jours",
        "en": "Demand for payment within fourteen days",
        "de": "Zahlungsaufforderung: Zahlung innerhalb von vierzehn Tagen",
    },
    "aanmaning": {
        "nl": "Aanmaning en ingebrekestelling",
        "fr": "Mise en demeure",
        "en": "Final demand and notice of default",
        "de": "Mahnung und Inverzugsetzung",
    },
    "ingebrekestelling": {
        "nl": "Ingebrekestelling",
        "fr": "Mise en demeure",
        "en": "Notice of default",
        "de": "Inverzugsetzung",
    },
    "overdracht": {
        "nl": "Overdracht ter incasso",
        "fr": "Transfert pour recouvrement",
        "en": "Claim handed over for collection",
        "de": "Übergabe der Forderung zum Inkasso",
    },
    "regeling": {
        "nl": "Bevestiging betalingsregeling",
        "fr": "Confirmation du plan de paiement",
        "en": "Payment plan confirmation",
        "de": "Bestätigung der Ratenzahlungsvereinbarung",
    },
}

REGISTRATION_LABELS = {
    ("nl", "NL"): "KvK-nummer",
    ("nl", "BE"): "Ondernemingsnummer",
    ("fr", "NL"): "Numéro KvK",
    ("fr", "BE"): "Numéro d'entreprise",
    ("en", "NL"): "Chamber of Commerce no.",
    ("en", "BE"): "Enterprise number",
    ("de", "NL"): "KvK-Nr. (Handelsregister)",
    ("de", "BE"): "Unternehmensnummer",
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
    "de": {
        "betalingskenmerk": "Zahlungsreferenz",
        "ogm": "strukturierte Mitteilung",
        "rf": "Referenz",
    },
}

DAY_COUNT_WORDS = {
    "365": {
        "nl": "werkelijke dagen/365",
        "fr": "jours réels/365",
        "en": "actual days/365",
        "de": "tatsächliche Tage/365",
    },
    "werkelijk": {
        "nl": "werkelijke dagen/werkelijk jaar",
        "fr": "jours réels/année réelle",
        "en": "actual/actual",
        "de": "tatsächliche Tage/tatsächliche Jahreslänge",
    },
    "rentejaar": {
        "nl": "werkelijke dagen/lengte van het rentejaar",
        "fr": "jours réels/année d'intérêts",
        "en": "actual days/interest year",
        "de": "tatsächliche Tage/Länge des Zinsjahres",
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
        "letters_missing": " Van de brieven van {days} is geen kopie bijgevoegd.",
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
        "letters_missing": " Les courriers du {days} ne sont pas joints.",
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
        "letters_missing": " No copy of the letters of {days} is enclosed.",
    },
    "de": {
        "all": "Kopien der Rechnungen",
        "some": "Kopien der Rechnungen {attached}",
        "letters": "der versandten Schreiben",
        "letters_alone": "Kopien der versandten Schreiben",
        "and": " und ",
        "enclosed": "{what} liegen bei.",
        "missing": " Von Rechnung {missing} liegt keine Kopie bei; wir senden sie Ihnen auf "
        "Anfrage zu.",
        "none": "Die Rechnungen liegen nicht bei; wir senden sie Ihnen auf Anfrage zu.",
        "no_letters": " Kopien versandter Schreiben liegen nicht bei.",
        "letters_missing": " Von den Schreiben vom {days} liegt keine Kopie bei.",
    },
}


def handover_enclosures(
    lang: str,
    attached: Sequence[str],
    missing: Sequence[str],
    letters: int,
    letters_missing: Sequence[str] = (),
) -> str:
    """Return the hand-over letter's sentence on what is enclosed: never more than is.

    ``letters_missing`` are the days of the letters sent without a copy in the dossier.

    >>> handover_enclosures("nl", ("F1",), ("F2",), 2).split(". ")
    ['Kopieën van de facturen F1 en van de verstuurde brieven zijn bijgevoegd', 'Van factuur F2 \
is geen kopie bijgevoegd; die sturen wij u op verzoek.']
    """
    w = _ENCLOSED.get(lang, _ENCLOSED["nl"])
    text = _enclosed(w, attached, missing, letters)
    if letters and letters_missing:
        text += w["letters_missing"].format(days=", ".join(letters_missing))
    return text


def _enclosed(
    w: dict[str, str], attached: Sequence[str], missing: Sequence[str], letters: int
) -> str:
    """Return what the invoice copies and the letters enclosed come to, in the words ``w``."""
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
        first = w.get("letters_alone", w["letters"])
        text = w["enclosed"].format(what=first[0].upper() + first[1:]) + " " + text
    return text if letters else text + w["no_letters"]


#: The first interest day when the invoices start on different days; the templates put it
#: after "vanaf" / "à compter du" / "from" / "ab dem".
EACH_DUE_DATE = {
    "nl": "de dag na de vervaldatum van elke factuur",
    "fr": "lendemain de l'échéance de chaque facture",
    "en": "the day after each invoice's due date",
    "de": "Tag nach der Fälligkeit jeder Rechnung",
}


#: The same, when interest does not start the day after each due date (a Belgian consumer's
#: interest runs from the term of his first reminder, a Dutch consumer's can run from the end of
#: the 14-dagenbrief's term): the first interest day of each invoice is in the period table.
EACH_FIRST_DAY = {
    "nl": "de eerste rentedag van elke factuur (zie de berekening hieronder)",
    "fr": "premier jour d'intérêts de chaque facture (voir le calcul ci-dessous)",
    "en": "the first interest day of each invoice (see the calculation below)",
    "de": "ersten Zinstag jeder Rechnung (siehe die Berechnung unten)",
}


def _interest_from(rows: Sequence[InvoiceClaim], lang: str, day) -> str:
    """Return the first interest day, or a phrase when the invoices start on different days:
    "the day after each due date" only when that is where each invoice's interest starts."""
    running = [c for c in rows if c.interest_start is not None and c.interest]
    starts = {c.statement.start for c in running}
    if not starts:
        return ""
    if len(starts) == 1:
        return day(next(iter(starts)) + timedelta(days=1))
    if all(c.statement.start == c.invoice.due_date for c in running):
        return EACH_DUE_DATE[lang]
    return EACH_FIRST_DAY[lang]


def template_for(step: Step, rules: CountryRules | str) -> str:
    """Return the template id for a step under the debtor's rules (:func:`rules_for`; a
    country code picks that country's)."""
    own = (for_country(rules) if isinstance(rules, str) else rules).LETTER_TEMPLATES
    return own.get(step) or TEMPLATES[step]


def _group_iban(iban: str) -> str:
    compact = iban.replace(" ", "").upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


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
    if language == "de":
        return "Sehr geehrte Damen und Herren,"
    return "Geachte heer, mevrouw,"


@dataclass(frozen=True, slots=True)
class _Facts:
    """What every block of one letter is built from: the plan, the parties, the invoices in the
    letter (oldest due first) and their sums, and how the letter's language writes them."""

    plan: LetterPlan
    creditor: Creditor
    settings: Settings
    rates: RateBook | None
    #: The rules that govern the debtor's claim (``core/rules``).
    rules: CountryRules
    lang: str
    loc: str
    rows: tuple[InvoiceClaim, ...]
    reference: PaymentReference | None
    #: What a formal letter (14-dagenbrief, BE first reminder) announces for when its term
    #: passes unpaid; None in other letters.
    announced: Announcement | None
    # One meaning everywhere, in the table and in the text: what is still owed after the
    # payments were allocated (costs, then interest, then principal). The columns add up:
    # hoofdsom - betaald (on the principal) + rente (open) + kosten (open) = te betalen.
    interest_accrued: Decimal
    interest_open: Decimal
    costs_open: Decimal
    principal_open: Decimal
    amount_due: Decimal
    paid_all: Decimal
    paid_on_principal: Decimal

    @property
    def debtor(self) -> Debtor:
        return self.plan.claim.debtor

    def eur(self, x: Decimal) -> str:
        return euro(x, self.loc, unbreakable=True)  # "€" never ends a line of the letter

    def day(self, x: date | None) -> str:
        return short_date(x, self.loc, unbreakable=True) if x else ""  # "07-" never ends a line

    def long_day(self, x: date | None) -> str:
        return long_date(x, self.loc, unbreakable=True) if x else ""  # nor "7 juli"


def _facts(
    plan: LetterPlan, creditor: Creditor, settings: Settings, rates: RateBook | None
) -> _Facts:
    claim, debtor = plan.claim, plan.claim.debtor
    rules = rules_for(debtor, creditor)
    lang = plan.language if plan.language in LANGUAGES else "nl"
    rows = sorted(
        (claim.claim_for(n) for n in plan.invoices),
        key=lambda c: (c.invoice.due_date, c.invoice.number),
    )
    stored = plan.reference_stored or {}
    first_ref = (
        invoice_reference(
            rows[0].invoice.number, stored.get(rows[0].invoice.number, ""), debtor, creditor
        )
        if rows
        else None
    )
    announced = (
        rules.announced_costs(
            plan.sent_on,
            plan.channel,
            [(c.invoice.number, c.principal_open) for c in rows],
            debtor,
            creditor,
            settings,
            rates or builtin(),
        )
        if plan.step in FORMAL_STEPS
        else None
    )
    return _Facts(
        plan=plan,
        creditor=creditor,
        settings=settings,
        rates=rates,
        rules=rules,
        lang=lang,
        loc=locale_for(lang, str(debtor.country)),
        rows=tuple(rows),
        reference=first_ref,
        announced=announced,
        interest_accrued=total(c.statement.interest for c in rows),
        interest_open=total(c.interest_open for c in rows),
        costs_open=total(c.statement.costs_open for c in rows),
        principal_open=total(c.principal_open for c in rows),
        amount_due=total(c.outstanding for c in rows),
        paid_all=total(c.statement.paid for c in rows),
        paid_on_principal=total(c.invoice.amount - c.principal_open for c in rows),
    )


#: Letters without a payment term of their own: a plan letter has its instalments, the hand-over
#: letter goes to the agency (``brief.termijn_dagen`` 0, ``brief.termijn_tot`` empty).
_NO_TERM = (Step.PLAN, Step.HANDOVER)


def _term_days(f: _Facts) -> int:
    """Return the letter's term in days; 0 when it has none."""
    if f.plan.step in _NO_TERM:
        return 0
    if f.plan.step in (Step.FOURTEEN_DAY_LETTER, Step.BE_FIRST_REMINDER):
        return 14
    return f.settings.letter_term_days


def _term_end(f: _Facts) -> str:
    """Return the last day of the letter's term, as the letter writes it; "" when none is."""
    plan = f.plan
    if plan.step in _NO_TERM:
        return ""
    if f.announced is not None and plan.step is Step.BE_FIRST_REMINDER:
        return f.long_day(f.announced.term.last_day)
    if plan.step is Step.FOURTEEN_DAY_LETTER:
        return ""  # the term runs from the day after receipt: no date computed from sending
    return f.long_day(plan.sent_on + timedelta(days=f.settings.letter_term_days))


def _letter_block(f: _Facts) -> LetterBlock:
    """Return ``brief``: the step, title, date, reference and term of the letter."""
    plan, debtor = f.plan, f.debtor
    template = template_for(plan.step, f.rules)
    return LetterBlock(
        stap=plan.step.value,
        sjabloon=template,
        titel=TITLES[template][f.lang],
        # The hand-over letter goes to the agency: never with the debtor's own Aanhef.
        aanhef=salutation(f.lang, None if plan.step is Step.HANDOVER else debtor),
        vorige_datum=f.long_day(plan.previous_on),
        land=str(f.rules.COUNTRY),
        datum=f.long_day(plan.sent_on),
        plaats=f.creditor.city,
        kenmerk=f"{debtor.number}-{plan.sent_on:%Y%m%d}",
        termijn_dagen=_term_days(f),
        termijn_tot=_term_end(f),
        taal=f.lang,
        regeling_vervallen=plan.plan_broken,
        # the first written demand puts in default when the due date did not (core/rules):
        # an invoice past its due date (as core.claim.default_notices counts a notice) that
        # has no notice yet, or whose notice is this letter (made again after it went out)
        ingebrekestelling=plan.step in f.rules.default_notice_steps(debtor, f.settings)
        and any(
            plan.sent_on > c.invoice.due_date
            and (c.default_notice is None or c.default_notice.sent_on >= plan.sent_on)
            for c in f.rows
        ),
        # ... and a later letter says that notice, not the expired payment term, did
        na_ingebrekestelling=bool(f.rows)
        and all(
            c.default_notice is not None and c.default_notice.last_day < plan.sent_on
            for c in f.rows
        ),
        stuit_verjaring=plan.step in f.rules.INTERRUPTING_LETTERS,
        kanaal=plan.channel.value,
    )


def _creditor_block(f: _Facts) -> CreditorBlock:
    """Return ``schuldeiser``: the user's business for the letterhead and the footer."""
    creditor = f.creditor
    return CreditorBlock(
        naam=creditor.name,
        adres=creditor.address,
        postcode=creditor.postcode,
        plaats=creditor.city,
        land=country_name(creditor.country, f.lang),
        registratie_label=REGISTRATION_LABELS[(f.lang, str(creditor.country))],
        registratie=creditor.registration,
        btw_nummer=creditor.vat_number,
        iban=_group_iban(creditor.iban),
        bic=creditor.bic,
        email=creditor.email,
        telefoon=phone_number(creditor.phone),  # "via 030 - 123 45 / 67" split a sentence
        website=creditor.website,
        ondertekenaar=creditor.signatory or creditor.name,
        is_kmo=creditor.is_sme,
    )


def customer_address(debtor: Debtor, creditor: Creditor, lang: str) -> AddressBlock:
    """Return the debtor's address block for the window of a letter in ``lang``: the country
    only when it is abroad (from the creditor), named in the letter's language, and the
    postcode where its country writes it (:func:`~.address.address_block`)."""
    abroad = str(debtor.country).upper() != str(creditor.country).upper()
    return address_block(
        debtor.name,
        debtor.contact,
        debtor.address,
        locality_line(debtor.postcode, debtor.city, debtor.country),
        country_name(debtor.country, lang) if abroad else "",
        language=lang,
    )


def _customer_block(f: _Facts) -> CustomerBlock:
    """Return ``klant``: the debtor, with the country only when it is abroad (from the
    creditor), named in the letter's language, and the postcode where its country writes it."""
    debtor, creditor = f.debtor, f.creditor
    abroad = str(debtor.country).upper() != str(creditor.country).upper()
    return CustomerBlock(
        nummer=debtor.number,
        naam=debtor.name,
        contactpersoon=debtor.contact,
        adres=debtor.address,
        postcode=debtor.postcode,
        plaats=debtor.city,
        postcode_plaats=locality_line(debtor.postcode, debtor.city, debtor.country),
        land=country_name(debtor.country, f.lang) if abroad else "",
        landcode=str(debtor.country).upper(),
        adresblok=customer_address(debtor, creditor, f.lang).text,
        naam_regel=one_line(debtor.name, 60),
        email=debtor.email,
        telefoon=debtor.phone,
        is_consument=debtor.kind is DebtorKind.CONSUMER,
    )


#: The most characters of an invoice's Omschrijving a letter shows: a description pasted from
#: elsewhere (or an e-invoice's) of 32,000 characters made a reminder of four pages. The
#: invoice number, date and amount name the claim; the workbook keeps the whole text.
DESCRIPTION_CHARS = 300


def _invoice_lines(f: _Facts) -> tuple[InvoiceLine, ...]:
    """Return ``facturen``: one line per invoice, oldest due first (the description on one
    line, at most :data:`DESCRIPTION_CHARS`)."""
    return tuple(
        InvoiceLine(
            nummer=c.invoice.number,
            omschrijving=one_line(c.invoice.description, DESCRIPTION_CHARS),
            factuurdatum=f.day(c.invoice.invoice_date),
            vervaldatum=f.day(c.invoice.due_date),
            dagen_te_laat=max((f.plan.sent_on - c.invoice.due_date).days, 0),
            hoofdsom=f.eur(c.invoice.amount),
            betaald=f.eur(c.invoice.amount - c.principal_open),
            betaald_totaal=f.eur(c.statement.paid),
            openstaand=f.eur(c.principal_open),
            rente=f.eur(c.interest_open),
            kosten=f.eur(c.statement.costs_open),
            totaal=f.eur(c.outstanding),
        )
        for c in f.rows
    )


def _interest_periods(f: _Facts) -> tuple[InterestPeriod, ...]:
    """Return ``renteperioden``: each line the rounded result of its own formula (base x rate x
    days / divisor)."""
    return tuple(
        InterestPeriod(
            factuur=c.invoice.number,
            van=f.day(p.start),
            tot=f.day(p.end),
            dagen=p.days,
            grondslag=f.eur(p.base),
            percentage=percent(p.rate, f.loc),
            rente=f.eur(round_cents(p.exact)),
        )
        for c in f.rows
        for p in c.statement.periods
    )


def _totals(f: _Facts) -> Totals:
    """Return ``totaal``: the sums of the invoice lines."""
    return Totals(
        hoofdsom=f.eur(total(c.invoice.amount for c in f.rows)),
        betaald=f.eur(f.paid_on_principal),
        betaald_totaal=f.eur(f.paid_all),
        openstaand=f.eur(f.principal_open),
        rente=f.eur(f.interest_open),
        kosten=f.eur(f.costs_open),
        totaal=f.eur(f.amount_due),
    )


def _payments_block(f: _Facts) -> PaymentsBlock:
    """Return ``betalingen``: how much of the payments went to costs and interest first."""
    return PaymentsBlock(
        naar_rente_en_kosten=f.paid_all > f.paid_on_principal,
        totaal=f.eur(f.paid_all),
        rente_en_kosten=f.eur(f.paid_all - f.paid_on_principal),
    )


def _interest_block(f: _Facts) -> InterestBlock:
    """Return ``rente``: which interest, at what rate, from when, and its total.

    The total is the engine's (rounded per capitalisation year and at each payment), so it may
    differ by a cent or so from the sum of the rounded period lines: ``afronding`` says so.
    """
    periods = [p for c in f.rows for p in c.statement.periods]
    rounding = f.interest_accrued - total(round_cents(p.exact) for p in periods)
    paid_interest = f.interest_accrued - f.interest_open
    interest_key = f.rules.interest_basis(f.debtor, f.settings)
    # The rate in force now: that of the newest interest period.
    current = max(periods, key=lambda p: p.end, default=None)
    return InterestBlock(
        van_toepassing=bool(periods),
        omschrijving=citation(f.rules, f"letter_interest_{interest_key}", f.lang)
        if interest_key
        else "",
        dagtelling=DAY_COUNT_WORDS[f.settings.day_count.value][f.lang],
        percentage=percent(current.rate, f.loc) if current else "",
        vanaf=_interest_from(f.rows, f.lang, f.day),
        totaal=f.eur(f.interest_accrued),
        deels_betaald=paid_interest > 0,
        betaald=f.eur(paid_interest),
        open=f.eur(f.interest_open),
        afronding=bool(rounding),
        afronding_bedrag=f.eur(abs(rounding)),
    )


def _costs_block(f: _Facts) -> CostsBlock:
    """Return ``kosten``: the costs charged now (after a term, or B2B), or announced (the
    14-dagenbrief announces the costs it makes due when its term passes unpaid)."""
    plan, debtor, announced = f.plan, f.debtor, f.announced
    fourteen_day = plan.step is Step.FOURTEEN_DAY_LETTER
    amount = announced.costs if announced is not None and fourteen_day else f.costs_open
    lines = tuple(
        CostLine(factuur=c.invoice.number, bedrag=f.eur(c.statement.costs_open))
        for c in f.rows
        if c.statement.costs_open > 0
    )
    return CostsBlock(
        van_toepassing=amount > 0,
        bedrag=f.eur(amount),
        per_factuur_bedragen=lines if not fourteen_day else (),
        omschrijving=citation(f.rules, f"letter_costs_{debtor.kind.value}", f.lang),
        inclusief_btw=announced is not None
        and announced.includes_vat
        and amount > 0
        and fourteen_day,
        btw_bedrag=f.eur(announced.vat if announced is not None else ZERO),
        per_factuur=debtor.kind is DebtorKind.BUSINESS,
    )


def _payment_block(f: _Facts) -> PaymentBlock:
    """Return ``betaling``: amount (a plan's first instalment), account and reference."""
    plan, ref = f.plan, f.reference
    return PaymentBlock(
        bedrag=f.eur(plan.instalments[0].amount if plan.instalments else f.amount_due),
        iban=_group_iban(f.creditor.iban),
        bic=f.creditor.bic,
        kenmerk=ref.display if ref else "",
        kenmerk_soort=REFERENCE_WORDS[f.lang].get(ref.kind.value if ref else "", ""),
        qr="",
    )


def _book_xix_block(f: _Facts) -> BookXixBlock:
    """Return ``xix``: the Book XIX first reminder's term and the damages owed after it (as the
    rules announce them); empty in every other letter."""
    announced = f.announced
    if announced is None or f.plan.step is not Step.BE_FIRST_REMINDER:
        return BookXixBlock(
            forfait="",
            forfait_per_factuur=(),
            rente_percentage="",
            rente_vanaf="",
            laatste_dag="",
            kosteloos=False,
            heeft_forfait=False,
            heeft_rente=False,
            rente_beding=False,
        )
    rate = percent(announced.rate, f.loc) if announced.rate is not None else ""
    return BookXixBlock(
        forfait=f.eur(announced.costs),
        forfait_per_factuur=tuple(
            LumpSumLine(factuur=n, bedrag=f.eur(amount)) for n, amount in announced.per_invoice
        ),
        rente_percentage=rate,
        rente_vanaf=f.long_day(announced.interest_from),
        laatste_dag=f.long_day(announced.term.last_day),
        kosteloos=True,
        heeft_forfait=announced.costs > 0,
        heeft_rente=bool(rate),
        rente_beding=bool(rate) and f.settings.be_consumer_interest_clause is not None,
    )


def _plan_block(f: _Facts) -> PlanBlock:
    """Return ``regeling``: the instalments of a payment plan (none outside a plan letter)."""
    instalments = f.plan.instalments
    return PlanBlock(
        termijnen=tuple(
            Instalment(nummer=i.number, vervaldatum=f.day(i.due_date), bedrag=f.eur(i.amount))
            for i in instalments
        ),
        totaal=f.eur(total(i.amount for i in instalments)),
    )


def agency_address(plan: LetterPlan, creditor: Creditor, lang: str) -> AddressBlock:
    """Return the agency's address block for the window of the hand-over letter in ``lang``
    (:func:`~.address.address_block`)."""
    contact, address, postcode, city, country = plan.handover_address
    locality = f"{postcode}  {city}".strip()
    land = _agency_country(country, creditor, lang)
    return address_block(plan.handover_to, contact, address, locality, land, language=lang)


def _agency_country(country: str, creditor: Creditor, lang: str) -> str:
    """Return the agency's country for the envelope: like the customer's, only when it is
    abroad (from the creditor), named in the letter's language, never as the sheet's code."""
    abroad = bool(country) and country.upper() != str(creditor.country).upper()
    return country_name(country, lang) if abroad else ""


def _handover_block(f: _Facts) -> HandoverBlock:
    """Return ``overdracht``: the agency, the dossier and what was done before."""
    plan = f.plan
    contact, address, postcode, city, country = plan.handover_address
    return HandoverBlock(
        aan=plan.handover_to,
        contactpersoon=contact,
        adres=address,
        postcode=postcode,
        plaats=city,
        land=_agency_country(country, f.creditor, f.lang),
        adresblok=agency_address(plan, f.creditor, f.lang).text,
        dossier=f"{f.debtor.number}-{plan.sent_on:%Y%m%d}",
        bijlagen=handover_enclosures(
            f.lang,
            *plan.handover_enclosures,
            letters_missing=tuple(f.day(d) for d in plan.handover_letters_missing),
        ),
        acties=tuple(
            HandoverAction(datum=f.day(on), omschrijving=text) for on, text in plan.handover_history
        ),
    )


def build_context(
    plan: LetterPlan, creditor: Creditor, settings: Settings, rates: RateBook | None = None
) -> LetterContext:
    """Return the typed context of one letter (``letters/fields.py``), block by block."""
    return _build(_facts(plan, creditor, settings, rates))


def _build(f: _Facts) -> LetterContext:
    return LetterContext(
        brief=_letter_block(f),
        schuldeiser=_creditor_block(f),
        klant=_customer_block(f),
        facturen=_invoice_lines(f),
        renteperioden=_interest_periods(f),
        totaal=_totals(f),
        betalingen=_payments_block(f),
        rente=_interest_block(f),
        kosten=_costs_block(f),
        betaling=_payment_block(f),
        xix=_book_xix_block(f),
        regeling=_plan_block(f),
        overdracht=_handover_block(f),
    )


def letter_context(
    plan: LetterPlan, creditor: Creditor, settings: Settings, rates: RateBook | None = None
) -> dict:
    """Return the template context of one letter.

    Args:
      plan: the debtor's claim, the step, the invoices in the letter, the day and channel.
      creditor: the user's business (letterhead, bank account).
      settings: the legal choices (which interest, clauses, terms).
    Returns:
      A plain dict of formatted text (the blocks of ``letters/fields.py``, documented in
      letter_templates/README.md), plus ``_qr`` with the unformatted payment data for the EPC
      QR code (amount, IBAN, reference); a template cannot use ``_qr``. Its IBAN is empty
      (so no QR code is made) for a customer outside the euro area's SEPA countries.
    """
    f = _facts(plan, creditor, settings, rates)
    context = template_data(_build(f))
    context["_qr"] = {
        "amount": f.amount_due,
        "reference": f.reference,
        "name": creditor.name,
        # No IBAN, no QR code: only where the customer pays in euro over SEPA.
        "iban": creditor.iban if epc_qr_offered(f.debtor, creditor) else "",
        "bic": creditor.bic,
    }
    return context
