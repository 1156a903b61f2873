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
  consumers) BW.

>>> lump_sum_cap(Decimal("400.00"))
Decimal('55.00')
>>> lump_sum_cap(Decimal("50000.00"))
Decimal('2000.00')
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache

import holidays

from ..model import Channel, Country, Creditor, Debtor, DebtorKind, Invoice, Settings
from ..money import ZERO, Decimal, round_cents
from ..rates import CappedRate, FixedRate, RateBook, RateRow, RateSchedule, RateSeries
from . import CostRule, LetterTerm, add_years, day_text

COUNTRY = Country.BE
COMPOUND = False
ONE_DAY = timedelta(days=1)
B2B_COMPENSATION = Decimal("40.00")
LUMP_SUM_MAXIMUM = Decimal("2000.00")
#: The reference rate plus 8 instead of 7 points applies from this day (Law of 22 November 2013;
#: contracts from 16-03-2013, all contracts from 16-03-2015; be.md §1.3).
NEW_REGIME_START = date(2013, 3, 16)


#: The articles a Belgian statement or dossier cites, per subject and language (nl, fr, en).
CITATIONS: dict[str, dict[str, str]] = {
    "allocation": {
        "nl": "art. 5.210 BW (voorheen art. 1254 oud BW)",
        "fr": "art. 5.210 du Code civil (anciennement art. 1254 de l'ancien Code civil)",
        "en": "art. 5.210 of the Belgian Civil Code (formerly art. 1254 of the old Civil Code)",
    },
    "capitalisation": {
        "nl": "geen kapitalisatie (art. 1154 oud BW)",
        "fr": "pas de capitalisation (art. 1154 de l'ancien Code civil)",
        "en": "no capitalisation (art. 1154 of the old Belgian Civil Code)",
    },
    "limitation": {
        "nl": "art. 2262bis en 2272 oud BW",
        "fr": "art. 2262bis et 2272 de l'ancien Code civil",
        "en": "art. 2262bis and 2272 of the old Belgian Civil Code",
    },
    "interruption": {
        "nl": "art. 2244 §2 oud BW",
        "fr": "art. 2244, §2 de l'ancien Code civil",
        "en": "art. 2244(2) of the old Belgian Civil Code",
    },
    "costs_consumer": {
        "nl": "art. XIX.4 WER",
        "fr": "art. XIX.4 du Code de droit économique",
        "en": "art. XIX.4 of the Belgian Code of Economic Law",
    },
    "costs_business": {
        "nl": "art. 6 van de wet van 2 augustus 2002 betreffende de bestrijding van de "
        "betalingsachterstand bij handelstransacties",
        "fr": "art. 6 de la loi du 2 août 2002 concernant la lutte contre le retard de paiement "
        "dans les transactions commerciales",
        "en": "art. 6 of the Belgian Act of 2 August 2002 on combating late payment in "
        "commercial transactions",
    },
    RateSeries.BE_COMMERCIAL.value: {
        "nl": "art. 5 wet van 2 augustus 2002",
        "fr": "art. 5 de la loi du 2 août 2002",
        "en": "art. 5 of the Belgian Act of 2 August 2002",
    },
    RateSeries.BE_LEGAL.value: {
        "nl": "art. 2 wet van 5 mei 1865",
        "fr": "art. 2 de la loi du 5 mai 1865",
        "en": "art. 2 of the Belgian Act of 5 May 1865",
    },
}

_GAZETTE = {
    "nl": ("Belgisch Staatsblad {day} (numac {ref})", "Belgisch Staatsblad {day}"),
    "fr": ("Moniteur belge du {day} (numac {ref})", "Moniteur belge du {day}"),
    "en": (
        "Belgian Official Gazette (Moniteur belge) of {day} (numac {ref})",
        "Belgian Official Gazette (Moniteur belge) of {day}",
    ),
}
_NOT_LOCATED = {
    "nl": "publicatie in het Belgisch Staatsblad niet teruggevonden; percentage uit de "
    "vakliteratuur",
    "fr": "publication au Moniteur belge non retrouvée; taux selon la littérature professionnelle",
    "en": "publication in the Belgian Official Gazette not located; rate from practitioner sources",
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
) -> date | None:
    """Return the last day without interest.

    Businesses: the due date (interest runs without notice). Consumers: only after a first
    reminder under Book XIX; from the end of its term, or for an SME creditor (setting) from the
    start of the term (be.md §3.6, C1). None while no first reminder was sent.
    """
    if debtor.kind is DebtorKind.BUSINESS:
        return invoice.due_date
    if notice is None:
        return None
    if creditor.is_sme and settings.be_consumer_sme_interest_from_term_start:
        return notice.first_day - ONE_DAY
    return notice.last_day


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
                    description="forfaitaire schadevergoeding (art. XIX.4 WER)",
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


__all__ = [
    "CITATIONS",
    "COMPOUND",
    "COUNTRY",
    "b2b_compensation",
    "cost_rules",
    "interest_schedule",
    "interest_series",
    "interest_start",
    "is_working_day",
    "letter_term",
    "limitation_date",
    "lump_sum_cap",
    "rate_publication",
    "vat_refund_date",
]
