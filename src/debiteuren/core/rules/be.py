"""Belgium: late-payment interest, the €40 compensation, Book XIX for consumers.

Sources (``shared/domain/be.md``):

- Law of 2 August 2002 on late payment in commercial transactions: interest from the day after
  the due date without notice (art. 5 rate), €40 per invoice (CJEU C-585/20), a damages clause
  may replace it (default: the higher of the two, ⚠ §1.6);
- Book XIX WER (Law of 4 May 2023, in force 1 September 2023): a free first reminder with a term
  of at least 14 calendar days, starting on the third working day after posting or the day after
  an e-mail; afterwards the agreed lump sum (capped, art. XIX.4) and interest (capped at the art. 5
  rate);
- Law of 5 May 1865 (legal interest), old art. 1154 BW (no automatic capitalisation);
- old art. 2262bis (10 years), art. 2272 (1-year presumption of payment for goods sold to
  consumers) BW; the creditor's own letters never interrupt limitation, only a lawyer's or
  bailiff's notice of default (art. 2244 §2 old BW, logged as the action "ingebrekestelling
  advocaat of deurwaarder"), a summons or the debtor's acknowledgement (be.md §5.2);
- VAT on a bad debt comes back only for a proven, definitive loss (be.md §6);
- the gestructureerde mededeling (OGM/VCS) of Febelfin, which Belgian banks read (made in
  ``core/references``);
- the ladder: a consumer gets the free first reminder of Book XIX first, then the
  ingebrekestelling; a business a reminder, then the ingebrekestelling;
- court costs (indicative): rolrecht € 50 at the vrederechter, € 165 at the rechtbank van
  eerste aanleg / ondernemingsrechtbank, since 1-02-2019 (Wet 14-10-2018, BS 21-12-2018;
  helderrecht.be, ardent.be, tcm.be; wetwijzer.be lists the same € 50 for 2024-2025), plus the
  contribution to the Begrotingsfonds juridische tweedelijnsbijstand, € 24 since 1-10-2022
  (bpb-advocaten.be, carlier-law.be; ⚠ indexed when the index moves 10 points); the
  vrederechter hears claims up to € 5.000 (art. 590 Ger.W.; ⚠ limit not re-verified). A
  bailiff's summons: ⚠ an estimate, € 250 (wetwijzer.be: "Dagvaarding: ± €250-400");
- language: a new customer in Brussels (1000–1299, bilingual: French is the more common choice)
  or Wallonia (1300–1499 Walloon Brabant, 4000–7999 Liège, Namur, Hainaut, Luxembourg) gets
  French letters, in the German-speaking Community (4700–4799) German, elsewhere Dutch;
- Peppol: a Belgian business is addressed by its enterprise number (KBO/BCE, ISO 6523 ICD 0208)
  or its VAT number (EAS 9925), which is ``BE`` followed by the enterprise number.

>>> lump_sum_cap(Decimal("400.00"))
Decimal('55.00')
>>> lump_sum_cap(Decimal("50000.00"))
Decimal('2000.00')
>>> [s.value for s in ladder(DebtorKind.CONSUMER)]
['eerste herinnering', 'telefoon', 'ingebrekestelling', 'overdracht']
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache

import holidays

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
from ..money import ZERO, Decimal, euro_text, round_cents, total
from ..rates import CappedRate, FixedRate, RateBook, RateRow, RateSchedule, RateSeries
from .base import (
    ONE_DAY,
    Announcement,
    CostRule,
    Fee,
    LetterTerm,
    VatRelief,
    Wording,
    add_years,
    day_text,
)

COUNTRY = Country.BE
COMPOUND = False
PAYMENT_REFERENCE = ReferenceKind.OGM
VAT_RELIEF = VatRelief.PROVEN_LOSS
EAS_REGISTRATION = "0208"
EAS_VAT = "9925"

#: The formal demand is the "ingebrekestelling" (the others: letters/).
LETTER_TEMPLATES = {Step.NOTICE_OF_DEFAULT: "ingebrekestelling"}
#: The creditor's own letters never interrupt limitation (be.md §5.2).
INTERRUPTING_LETTERS: tuple[Step, ...] = ()

_LADDERS = {
    DebtorKind.CONSUMER: (
        Step.BE_FIRST_REMINDER,
        Step.CALL,
        Step.NOTICE_OF_DEFAULT,
        Step.HANDOVER,
    ),
    DebtorKind.BUSINESS: (Step.REMINDER, Step.CALL, Step.NOTICE_OF_DEFAULT, Step.HANDOVER),
}
B2B_COMPENSATION = Decimal("40.00")
LUMP_SUM_MAXIMUM = Decimal("2000.00")
#: The reference rate plus 8 instead of 7 points applies from this day (Law of 22 November 2013;
#: contracts from 16-03-2013, all contracts from 16-03-2015; be.md §1.3).
NEW_REGIME_START = date(2013, 3, 16)


#: The articles a Belgian statement or dossier cites, per subject and language (nl, fr, en, de).
CITATIONS: dict[str, dict[str, str]] = {
    "allocation": {
        "nl": "art. 5.210 BW (voorheen art. 1254 oud BW)",
        "fr": "art. 5.210 du Code civil (anciennement art. 1254 de l'ancien Code civil)",
        "en": "art. 5.210 of the Belgian Civil Code (formerly art. 1254 of the old Civil Code)",
        "de": "Art. 5.210 des belgischen Zivilgesetzbuches (vormals Art. 1254 des alten "
        "Zivilgesetzbuches)",
    },
    "capitalisation": {
        "nl": "geen kapitalisatie (art. 1154 oud BW)",
        "fr": "pas de capitalisation (art. 1154 de l'ancien Code civil)",
        "en": "no capitalisation (art. 1154 of the old Belgian Civil Code)",
        "de": "keine Kapitalisierung (Art. 1154 des alten belgischen Zivilgesetzbuches)",
    },
    "limitation": {
        "nl": "art. 2262bis en 2272 oud BW",
        "fr": "art. 2262bis et 2272 de l'ancien Code civil",
        "en": "art. 2262bis and 2272 of the old Belgian Civil Code",
        "de": "Art. 2262bis und 2272 des alten belgischen Zivilgesetzbuches",
    },
    "interruption": {
        "nl": "art. 2244 §2 oud BW",
        "fr": "art. 2244, §2 de l'ancien Code civil",
        "en": "art. 2244(2) of the old Belgian Civil Code",
        "de": "Art. 2244 § 2 des alten belgischen Zivilgesetzbuches",
    },
    "costs_consumer": {
        "nl": "art. XIX.4 WER",
        "fr": "art. XIX.4 du Code de droit économique",
        "en": "art. XIX.4 of the Belgian Code of Economic Law",
        "de": "Art. XIX.4 des belgischen Wirtschaftsgesetzbuches",
    },
    "costs_business": {
        "nl": "art. 6 van de wet van 2 augustus 2002 betreffende de bestrijding van de "
        "betalingsachterstand bij handelstransacties",
        "fr": "art. 6 de la loi du 2 août 2002 concernant la lutte contre le retard de paiement "
        "dans les transactions commerciales",
        "en": "art. 6 of the Belgian Act of 2 August 2002 on combating late payment in "
        "commercial transactions",
        "de": "Art. 6 des belgischen Gesetzes vom 2. August 2002 zur Bekämpfung des "
        "Zahlungsverzugs im Handelsverkehr",
    },
    # What a letter names after "op grond van" / "en vertu de" / "under" / "gemäß": the French
    # phrases start with the article that "de" keeps, so that a letter never says "de de" or
    # "de du"; the German ones are datives (after "gemäß") and, for interest, plurals without
    # an article (see rules/nl.py).
    # the amounts with a no-break space (\u00a0), as formatting.euro writes them in a letter
    "letter_costs_business": {
        "nl": "de wet van 2 augustus 2002 betreffende de bestrijding van de betalingsachterstand "
        "bij handelstransacties (€\u00a040 per factuur)",
        "fr": "la loi du 2 août 2002 concernant la lutte contre le retard de paiement dans les "
        "transactions commerciales (40\u00a0€ par facture)",
        "en": "the Belgian Act of 2 August 2002 on combating late payment in commercial "
        "transactions (€40 per invoice)",
        "de": "dem belgischen Gesetz vom 2. August 2002 zur Bekämpfung des Zahlungsverzugs im "
        "Handelsverkehr (40\u00a0€ je Rechnung)",
    },
    "letter_costs_consumer": {
        "nl": "artikel XIX.4 van het Wetboek van economisch recht en onze algemene voorwaarden",
        "fr": "l'article XIX.4 du Code de droit économique et de nos conditions générales",
        "en": "article XIX.4 of the Belgian Code of Economic Law and our terms and conditions",
        "de": "Artikel XIX.4 des belgischen Wirtschaftsgesetzbuches und unseren Allgemeinen "
        "Geschäftsbedingungen",
    },
    "letter_interest_be_handelsrente": {
        "nl": "de interest van de wet van 2 augustus 2002 betreffende de "
        "bestrijding van de betalingsachterstand bij handelstransacties",
        "fr": "l'intérêt de la loi du 2 août 2002 concernant la lutte contre le "
        "retard de paiement dans les transactions commerciales",
        "en": "interest under the Belgian Late Payment Act of 2 August 2002",
        "de": "Verzugszinsen nach dem belgischen Gesetz vom 2. August 2002 zur Bekämpfung des "
        "Zahlungsverzugs im Handelsverkehr",
    },
    "letter_interest_be_wettelijke_interest": {
        "nl": "de wettelijke interest",
        "fr": "l'intérêt légal",
        "en": "statutory interest (Belgium)",
        "de": "gesetzliche Zinsen nach belgischem Recht",
    },
    "letter_interest_contract": {
        "nl": "de overeengekomen nalatigheidsinterest",
        "fr": "l'intérêt de retard convenu",
        "en": "the agreed late-payment interest",
        "de": "vereinbarte Verzugszinsen",
    },
    RateSeries.BE_COMMERCIAL.value: {
        "nl": "art. 5 wet van 2 augustus 2002",
        "fr": "art. 5 de la loi du 2 août 2002",
        "en": "art. 5 of the Belgian Act of 2 August 2002",
        "de": "Art. 5 des belgischen Gesetzes vom 2. August 2002",
    },
    RateSeries.BE_LEGAL.value: {
        "nl": "art. 2 wet van 5 mei 1865",
        "fr": "art. 2 de la loi du 5 mai 1865",
        "en": "art. 2 of the Belgian Act of 5 May 1865",
        "de": "Art. 2 des belgischen Gesetzes vom 5. Mai 1865",
    },
}

#: The Dutch sentences of the hand-over and the limitation watch (see :class:`Wording`).
WORDING = Wording(
    law_name="Belgisch recht",
    costs_not_claimed="schadevergoeding of interest",
    costs_left_out="schadevergoeding en interest",
    no_letter="er is geen kosteloze eerste herinnering verstuurd na de vervaldag; zonder die "
    "herinnering is een consument geen schadevergoeding of interest verschuldigd (Boek XIX WER)",
    term_runs="de termijn van de eerste herinnering van {sent} loopt nog tot en met {last} "
    "(Boek XIX WER)",
    remedy="Stuur eerst de eerste herinnering (debiteuren brieven --stap eerste-herinnering) en "
    "wacht tot de termijn is verstreken, of draag toch over zonder schadevergoeding en interest "
    "met --toch.",
    limitation_note="Verjaring factuur {invoice}: verjaart (of geldt als betaald) op {day}; "
    "alleen een ingebrekestelling door een advocaat of gerechtsdeurwaarder ("
    + CITATIONS["interruption"]["nl"]
    + "), een dagvaarding of een erkenning door de klant stuit de verjaring.",
    limitation_passed="{who} is verjaard of geldt als betaald sinds {day}; {amount} staat nog "
    "open{agency}.",
    limitation_ahead="{who} verjaart (of geldt als betaald) op {day}, over {days} dagen: "
    "{amount}{agency}. Uw eigen brieven stuiten de verjaring in België niet; laat een advocaat "
    "of gerechtsdeurwaarder een ingebrekestelling sturen (art. 2244 §2 oud BW) of dagvaard, en "
    "leg die vast op het blad Acties als '" + Step.BE_FORMAL_NOTICE.value + "'.",
)

SUMMONS = Fee(
    amount=Decimal("250.00"),
    description="dagvaarding door de gerechtsdeurwaarder (schatting, excl. btw)",
    source="schatting; wetwijzer.be (2024-2025): 'Dagvaarding: ± €250-400'",
    assumption=True,
)
#: Rolrecht since 1-02-2019: (claim up to and including, fee); the vrederechter up to € 5.000.
ROLE_FEES: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal(5000), Decimal(50)),
    (None, Decimal(165)),
)
FUND_CONTRIBUTION = Decimal(24)
COURT_FEES_SOURCE = (
    "rolrecht sinds 1-02-2019 (wet 14-10-2018; helderrecht.be, wetwijzer.be 2024-2025) plus "
    "€ 24 bijdrage Fonds juridische tweedelijnsbijstand (sinds 1-10-2022; bpb-advocaten.be)"
)

_GAZETTE = {
    "nl": ("Belgisch Staatsblad {day} (numac {ref})", "Belgisch Staatsblad {day}"),
    "fr": ("Moniteur belge du {day} (numac {ref})", "Moniteur belge du {day}"),
    "en": (
        "Belgian Official Gazette (Moniteur belge) of {day} (numac {ref})",
        "Belgian Official Gazette (Moniteur belge) of {day}",
    ),
    "de": (
        "Belgisches Staatsblatt vom {day} (numac {ref})",
        "Belgisches Staatsblatt vom {day}",
    ),
}
_NOT_LOCATED = {
    "nl": "publicatie in het Belgisch Staatsblad niet teruggevonden; percentage uit de "
    "vakliteratuur",
    "fr": "publication au Moniteur belge non retrouvée; taux selon la littérature professionnelle",
    "en": "publication in the Belgian Official Gazette not located; rate from practitioner sources",
    "de": "Veröffentlichung im Belgischen Staatsblatt nicht aufgefunden; Zinssatz aus der "
    "Fachliteratur",
}
#: A rate with status ``derived``: computed by the method of art. 5 (ECB reference rate plus 7
#: points, 8 for semesters from 16-03-2013, rounded up to the next half point) because no notice
#: was found.
_DERIVED = {
    "nl": "publicatie in het Belgisch Staatsblad niet teruggevonden; percentage berekend "
    "volgens art. 5 (referentie-interestvoet van de ECB plus {points} procentpunten, afgerond "
    "tot het hogere halve procentpunt)",
    "fr": "publication au Moniteur belge non retrouvée; taux calculé selon l'art. 5 (taux "
    "d'intérêt de référence de la BCE majoré de {points} points, arrondi au demi-point supérieur)",
    "en": "publication in the Belgian Official Gazette not located; rate computed by the method of "
    "art. 5 (ECB reference rate plus {points} points, rounded up to the next half point)",
    "de": "Veröffentlichung im Belgischen Staatsblatt nicht aufgefunden; Zinssatz berechnet nach "
    "Art. 5 (Referenzzinssatz der EZB zuzüglich {points} Prozentpunkten, aufgerundet auf den "
    "nächsten halben Prozentpunkt)",
}


def rate_publication(row: RateRow, language: str = "nl") -> str:
    """Return the official publication of a Belgian rate row in ``language``.

    >>> from datetime import date
    >>> row = RateRow(series="be_handelsrente", effective_from=date(2008, 1, 1),
    ...     rate=Decimal("11.5"), gazette="bs", gazette_date=date(2008, 1, 14))
    >>> rate_publication(row, "fr")
    'art. 5 de la loi du 2 août 2002; Moniteur belge du 14/01/2008'
    """
    lang = language if language in _GAZETTE else "nl"
    basis = CITATIONS.get(row.series, {}).get(lang, "")
    if row.gazette_date is not None:
        with_ref, without_ref = _GAZETTE[lang]
        text = (with_ref if row.gazette_ref else without_ref).format(
            day=day_text(row.gazette_date, lang), ref=row.gazette_ref
        )
    elif row.status.strip().lower() == "derived":
        points = 7 if row.effective_from < NEW_REGIME_START else 8
        text = _DERIVED[lang].format(points=points)
    else:
        text = _NOT_LOCATED[lang] if row.verified else _NOT_LOCATED[lang].split(";")[0]
    return f"{basis}; {text}" if basis else text


def lump_sum_cap(balance: Decimal) -> Decimal:
    """Return the highest lump sum art. XIX.4 WER allows on an outstanding ``balance``.

    20 up to €150; 30 + 10 % of the part between 150 and 500; 65 + 5 % of the part above 500,
    at most €2,000 (be.md §3.5).
    """
    if balance <= 0:
        return ZERO
    if balance <= Decimal("150.00"):
        cap = Decimal("20.00")
    elif balance <= Decimal("500.00"):
        cap = Decimal("30.00") + (balance - Decimal("150.00")) * Decimal("0.10")
    else:
        cap = min(
            LUMP_SUM_MAXIMUM, Decimal("65.00") + (balance - Decimal("500.00")) * Decimal("0.05")
        )
    return round_cents(cap)


def b2b_compensation(balance: Decimal, settings: Settings) -> Decimal:
    """Return the fixed compensation for one invoice: €40, or a higher damages clause.

    The clause is ``percent`` of the unpaid amount, at least ``minimum`` and at most ``maximum``;
    the result is max(40, clause) (be.md §1.6 and §4.2; ⚠ the default of an open question).
    """
    if balance <= 0:
        return ZERO
    amount = B2B_COMPENSATION
    if settings.be_b2b_clause_percent is not None:
        clause = balance * settings.be_b2b_clause_percent / 100
        clause = max(clause, settings.be_b2b_clause_minimum)
        if settings.be_b2b_clause_maximum is not None:
            clause = min(clause, settings.be_b2b_clause_maximum)
        amount = max(amount, clause)
    return round_cents(amount)


def interest_series(debtor: Debtor, settings: Settings) -> RateSeries | None:
    """Return the statutory series that applies, or None when only a clause (or nothing) does."""
    if debtor.kind is DebtorKind.BUSINESS:
        return RateSeries.BE_COMMERCIAL
    if settings.be_consumer_interest_clause is None and (
        settings.be_consumer_no_clause == "wettelijke_interest"
    ):
        return RateSeries.BE_LEGAL
    return None


def interest_basis(debtor: Debtor, settings: Settings) -> str | None:
    """Return the interest a letter names: ``contract`` for a consumer's agreed rate, else the
    statutory series, or None when no interest runs."""
    if debtor.kind is DebtorKind.CONSUMER and settings.be_consumer_interest_clause is not None:
        return "contract"
    series = interest_series(debtor, settings)
    return series.value if series else None


def series_in_use(debtor: Debtor, settings: Settings) -> tuple[RateSeries, ...]:
    """Return the statutory series the debtor's interest depends on.

    A business: the art. 5 rate; a consumer with an interest clause: the same (the clause is
    capped at it); without a clause the legal interest when ``be_consumer_no_clause`` says so,
    otherwise none.
    """
    if debtor.kind is DebtorKind.BUSINESS or settings.be_consumer_interest_clause is not None:
        return (RateSeries.BE_COMMERCIAL,)
    if settings.be_consumer_no_clause == "wettelijke_interest":
        return (RateSeries.BE_LEGAL,)
    return ()


def interest_schedule(
    debtor: Debtor, creditor: Creditor, settings: Settings, rates: RateBook
) -> RateSchedule | None:
    """Return the interest of a debtor.

    Businesses: the art. 5 rate of the Law of 2 August 2002. Consumers: the agreed rate capped at
    that art. 5 rate (Book XIX); without a valid clause nothing, or the legal interest when the
    setting ``be_consumer_no_clause`` says so (be.md §3.6 ⚠).
    """
    if debtor.kind is DebtorKind.BUSINESS:
        return rates.table(RateSeries.BE_COMMERCIAL)
    if settings.be_consumer_interest_clause is not None:
        return CappedRate(
            FixedRate(settings.be_consumer_interest_clause, "contractuele nalatigheidsinterest"),
            rates.table(RateSeries.BE_COMMERCIAL),
        )
    if settings.be_consumer_no_clause == "wettelijke_interest":
        return rates.table(RateSeries.BE_LEGAL)
    return None


def interest_start(
    invoice: Invoice,
    debtor: Debtor,
    creditor: Creditor,
    settings: Settings,
    notice: LetterTerm | None,
    notice_paid: bool = False,
) -> date | None:
    """Return the last day without interest.

    Businesses: the due date (interest runs without notice). Consumers: only after a first
    reminder under Book XIX; from the end of its term, or for an SME creditor (setting) from the
    start of the term (be.md §3.6, C1). None while no first reminder was sent. A consumer who
    paid what the first reminder asked within its term (``notice_paid``) owes no interest from
    the start of the term: it is only claimable if still unpaid at expiry (be.md §3.6).
    """
    if debtor.kind is DebtorKind.BUSINESS:
        return invoice.due_date
    if notice is None:
        return None
    if notice_paid:
        return notice.last_day
    return _consumer_interest_start(notice, creditor, settings)


def _consumer_interest_start(notice: LetterTerm, creditor: Creditor, settings: Settings) -> date:
    """Return a consumer's last day without interest after the first reminder ``notice``.

    The SME start (the start of the term) is for an agreed rate only, as the setting says; the
    legal interest owed without a clause runs after the term (be.md §3.6).
    """
    if (
        creditor.is_sme
        and settings.be_consumer_sme_interest_from_term_start
        and settings.be_consumer_interest_clause is not None
    ):
        return notice.first_day - ONE_DAY
    return notice.last_day


def announced_costs(
    sent_on: date,
    channel: Channel,
    principals: Sequence[tuple[str, Decimal]],
    debtor: Debtor,
    creditor: Creditor,
    settings: Settings,
    rates: RateBook,
) -> Announcement:
    """Return what a Book XIX first reminder announces for when its term passes unpaid.

    With a lump-sum clause the art. XIX.4 maximum per invoice on its unpaid principal (be.md
    §3.5); the interest that will run (the agreed rate capped at the art. 5 rate, or the legal
    interest) at its rate on the first day after the term, from the day it starts (§3.6).

    >>> from ..model import Settings
    >>> from ..rates import builtin
    >>> shop = Creditor(name="KMO", is_sme=True)
    >>> a = announced_costs(date(2025, 10, 3), Channel.POST, [("F1", Decimal("1000.00"))],
    ...     Debtor(number="K1", name="X", country=COUNTRY, kind=DebtorKind.CONSUMER), shop,
    ...     Settings(be_consumer_lump_sum_clause=True, be_consumer_interest_clause=Decimal(12)),
    ...     builtin())
    >>> a.costs, a.rate, a.interest_from, a.term.last_day
    (Decimal('90.00'), Decimal('10.50'), datetime.date(2025, 10, 8), datetime.date(2025, 10, 21))
    """
    term = letter_term(sent_on, channel, settings)
    lump = settings.be_consumer_lump_sum_clause
    schedule = interest_schedule(debtor, creditor, settings, rates)
    return Announcement(
        term=term,
        costs=total(lump_sum_cap(p) for _, p in principals) if lump else ZERO,
        per_invoice=tuple((n, lump_sum_cap(p)) for n, p in principals if lump and p > 0),
        rate=schedule.rate_on(term.charges_from) if schedule is not None else None,
        interest_from=(
            _consumer_interest_start(term, creditor, settings) + ONE_DAY
            if schedule is not None
            else None
        ),
    )


def first_reminder_gaps(debtor: str, creditor: Creditor, invoices: Sequence[Invoice]) -> str:
    """Return the warning for a Book XIX first reminder that lacks a mention it must make (after
    "Let op: "), or "" when none is missing.

    The first reminder names the creditor with its enterprise number and describes what is owed
    (be.md §3.2, §3.8: KPMG, quorumlaw.be, villajuris.be; ⚠ the article text is not verified):
    the creditor's KvK/KBO-nummer and each invoice's Omschrijving must be filled in.

    >>> first_reminder_gaps("K1", Creditor(name="X", registration="0403.170.701"), [])
    ''
    """
    gaps = []
    if not creditor.registration.strip():
        gaps.append("geen ondernemingsnummer (KvK/KBO-nummer op het blad Instellingen)")
    gaps += [
        f"bij factuur {i.number} geen omschrijving (Omschrijving op het blad Facturen)"
        for i in invoices
        if not i.description.strip()
    ]
    if not gaps:
        return ""
    return (
        f"de eerste herinnering aan klant {debtor} noemt {'; '.join(gaps)}. Boek XIX WER vraagt "
        "in de eerste herinnering het ondernemingsnummer van de schuldeiser en een omschrijving "
        "van wat openstaat; vul het in en maak de brief opnieuw (brieven --opnieuw) voordat u "
        "hem verstuurt."
    )


def cost_rules(
    invoices: Sequence[Invoice],
    debtor: Debtor,
    creditor: Creditor,
    settings: Settings,
    notices: dict[str, LetterTerm],
) -> list[CostRule]:
    """Return the costs that apply.

    Businesses: the fixed compensation (or clause) per invoice from the day after its due date.
    Consumers: when the terms stipulate a lump sum, the art. XIX.4 maximum on the balance still
    unpaid at the end of the first reminder's term, per invoice (be.md §3.5, C3 ⚠).
    """
    rules = []
    if debtor.kind is DebtorKind.BUSINESS:
        for inv in invoices:
            rules.append(
                CostRule(
                    on=inv.due_date + ONE_DAY,
                    invoices=(inv.number,),
                    amount=lambda base: b2b_compensation(base, settings),
                    description=(
                        "forfaitaire vergoeding voor invorderingskosten (art. 6 wet van 2 "
                        "augustus 2002)"
                    ),
                )
            )
        return rules
    if not settings.be_consumer_lump_sum_clause:
        return rules
    for inv in invoices:
        term = notices.get(inv.number)
        if term is not None:
            rules.append(
                CostRule(
                    on=term.charges_from,
                    invoices=(inv.number,),
                    term=term,
                    amount=lump_sum_cap,
                    description=(
                        "forfaitaire schadevergoeding (art. XIX.4 WER), na de eerste herinnering "
                        f"van {term.sent_on:%d-%m-%Y} ({term.span})"
                    ),
                )
            )
    return rules


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("BE", years=year)


def is_working_day(day: date, settings: Settings) -> bool:
    """Return True for a Belgian working day: not Sunday, not a legal holiday, and not Saturday
    unless the setting ``be_saturday_is_working_day`` says so (be.md §3.2 ⚠)."""
    if day.weekday() == 6 or (day.weekday() == 5 and not settings.be_saturday_is_working_day):
        return False
    return day not in _holidays(day.year)


def letter_term(
    sent_on: date, channel: Channel, settings: Settings, received_on: date | None = None
) -> LetterTerm:
    """Return the term of a Book XIX first reminder (be.md §3.2–3.3, T1–T3).

    Post: the 14 calendar days start on the third working day after sending; e-mail: on the
    calendar day after sending. With ``be_extend_term_to_working_day`` a term ending on a
    non-working day ends on the next working day.

    >>> from ..model import Settings
    >>> letter_term(date(2025, 10, 3), Channel.POST, Settings()).charges_from
    datetime.date(2025, 10, 22)
    >>> letter_term(date(2025, 10, 3), Channel.EMAIL, Settings()).charges_from
    datetime.date(2025, 10, 18)
    """
    if channel is Channel.EMAIL:
        first = sent_on + ONE_DAY
    else:
        first, count = sent_on, 0
        while count < 3:
            first += ONE_DAY
            if is_working_day(first, settings):
                count += 1
    last = first + timedelta(days=13)
    if settings.be_extend_term_to_working_day:
        while not is_working_day(last, settings):
            last += ONE_DAY
    return LetterTerm(
        sent_on=sent_on,
        received_on=received_on or first,
        first_day=first,
        last_day=last,
        charges_from=last + ONE_DAY,
    )


def limitation_date(
    invoice: Invoice, debtor: Debtor, settings: Settings, interruptions: Sequence[date]
) -> date:
    """Return the day the claim is time-barred or presumed paid (be.md §5).

    Businesses and consumer services: 10 years from the due date (art. 2262bis old BW). Goods
    sold to a consumer: the 1-year presumption of payment (art. 2272), with the setting
    ``be_consumer_goods_sale``. The creditor's own letters never interrupt (be.md §5.2), so
    ``interruptions`` is only used for a lawyer's or bailiff's notice (art. 2244 §2): at most one
    more year, never earlier than the original date.
    """
    if debtor.kind is DebtorKind.CONSUMER and settings.be_consumer_goods_sale:
        last = add_years(invoice.due_date, 1)
    else:
        last = add_years(invoice.due_date, 10)
    for notice in sorted(interruptions):
        if notice <= last:
            last = max(last, add_years(notice, 1))
    return last


def vat_refund_date(invoice: Invoice) -> date | None:
    """Return None: Belgium refunds VAT only for a proven, definitive loss (be.md §6)."""
    return None


def ladder(kind: DebtorKind) -> tuple[Step, ...]:
    """Return the steps for a debtor of ``kind``: the first reminder (a consumer's is the free
    one of Book XIX), telefoon, ingebrekestelling, overdracht."""
    return _LADDERS[kind]


def formal_letter(kind: DebtorKind) -> Step | None:
    """Return the free first reminder for a consumer (Book XIX WER): no damages or interest
    before its term expired; None for a business (interest and € 40 without notice)."""
    return Step.BE_FIRST_REMINDER if kind is DebtorKind.CONSUMER else None


def default_notice_steps(debtor: Debtor, settings: Settings) -> tuple[Step, ...]:
    """Return (): the free first reminder of a consumer is the formal letter itself
    (:func:`formal_letter`, whose term :func:`interest_start` follows), and a business is in
    default from the due date."""
    return ()


def court_fee(amount: Decimal, legal_person: bool = True) -> Fee:
    """Return the rolrecht and the legal-aid contribution for suing for ``amount``.

    Indicative (:data:`COURT_FEES_SOURCE`); the same for every claimant (``legal_person`` is
    not used).

    >>> court_fee(Decimal("1200.00")).amount
    Decimal('74.00')
    """
    for upper, fee in ROLE_FEES:
        if upper is None or amount <= upper:
            court = "vrederechter" if upper is not None else "rechtbank"
            return Fee(
                amount=round_cents(fee + FUND_CONTRIBUTION),
                description=f"rolrecht {court} ({euro_text(fee)}) en bijdrage Fonds juridische "
                f"tweedelijnsbijstand ({euro_text(FUND_CONTRIBUTION)})",
                source=COURT_FEES_SOURCE,
                assumption=True,
            )
    raise AssertionError("the last band is open")  # pragma: no cover


def interrupts_limitation(step: Step, channel: Channel, settings: Settings, note: str = "") -> bool:
    """Return True for a lawyer's or bailiff's notice of default (art. 2244 §2 old BW).

    The action "ingebrekestelling advocaat of deurwaarder"; older workbooks logged it as an
    overdracht whose note starts with "2244", which still counts.

    >>> from ..model import Settings
    >>> interrupts_limitation(Step.NOTICE_OF_DEFAULT, Channel.POST, Settings())
    False
    >>> interrupts_limitation(Step.HANDOVER, Channel.POST, Settings(), "2244 §2: deurwaarder")
    True
    """
    return step is Step.BE_FORMAL_NOTICE or (
        step is Step.HANDOVER and note.lower().startswith("2244")
    )


def interruptions(invoice: Invoice, actions: Sequence[Action], settings: Settings) -> list[date]:
    """Return the days of the lawyers' or bailiffs' notices about ``invoice``."""
    return [
        a.on
        for a in actions
        if interrupts_limitation(a.step, a.channel, settings, a.note)
        and (not a.invoices or invoice.number in a.invoices)
    ]


def letter_language(postcode: str) -> str:
    """Return ``fr`` for a postcode in Brussels or Wallonia, ``de`` in the German-speaking
    Community (Eupen, Sankt Vith: 4700–4799), else ``nl``.

    >>> letter_language("5000"), letter_language("1000"), letter_language("9000")
    ('fr', 'fr', 'nl')
    >>> letter_language("4700")
    'de'
    >>> letter_language("²⁰⁰⁰")  # superscripts are digits to isdigit, not to int
    'nl'
    """
    digits = "".join(ch for ch in postcode if ch.isascii() and ch.isdigit())
    if len(digits) != 4:
        return "nl"
    number = int(digits)
    if 4700 <= number <= 4799:
        return "de"
    if 1000 <= number <= 1499 or 4000 <= number <= 7999:
        return "fr"
    return "nl"


def registration_number(digits: str) -> str:
    """Return an enterprise number (9 or 10 digits) as printed, ``0403.170.701``, or "".

    >>> registration_number("403170701"), registration_number("12345678")
    ('0403.170.701', '')
    """
    if len(digits) not in (9, 10):
        return ""
    digits = digits.zfill(10)
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def registration_in_vat(vat: str) -> str:
    """Return the enterprise number in a Belgian VAT number (``BE`` + the number), or "".

    >>> registration_in_vat("BE0403170701"), registration_in_vat("NL123456789B01")
    ('0403170701', '')
    """
    return vat[2:] if vat.startswith(COUNTRY.value) else ""


__all__ = [
    "CITATIONS",
    "COMPOUND",
    "COUNTRY",
    "COURT_FEES_SOURCE",
    "EAS_REGISTRATION",
    "EAS_VAT",
    "FUND_CONTRIBUTION",
    "INTERRUPTING_LETTERS",
    "LETTER_TEMPLATES",
    "PAYMENT_REFERENCE",
    "ROLE_FEES",
    "SUMMONS",
    "VAT_RELIEF",
    "WORDING",
    "announced_costs",
    "b2b_compensation",
    "cost_rules",
    "court_fee",
    "default_notice_steps",
    "first_reminder_gaps",
    "formal_letter",
    "interest_basis",
    "interest_schedule",
    "interest_series",
    "interest_start",
    "interruptions",
    "interrupts_limitation",
    "is_working_day",
    "ladder",
    "letter_language",
    "letter_term",
    "limitation_date",
    "lump_sum_cap",
    "rate_publication",
    "registration_in_vat",
    "registration_number",
    "series_in_use",
    "vat_refund_date",
]
