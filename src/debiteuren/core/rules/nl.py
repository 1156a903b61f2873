"""Netherlands: statutory and commercial interest, collection costs, the 14-day letter.

Sources (``shared/domain/nl.md``):

- art. 6:119 BW (wettelijke rente) and 6:119a BW (handelsrente), yearly capitalisation;
- art. 6:96 lid 2 sub c, lid 4 (B2B at least €40, per invoice) and lid 6 (the consumer
  14-dagenbrief) BW; the Besluit vergoeding voor buitengerechtelijke incassokosten (Stb. 2012,
  141): the WIK scale, minimum €40, maximum €6,775, plus VAT for a creditor that cannot deduct it;
- art. 3:307, 3:317, 3:319 and 7:28 BW (limitation and its interruption): every written demand
  the debtor receives interrupts, so the reminder, the 14-dagenbrief and the ingebrekestelling do
  (by e-mail only with the setting ``nl_email_interrupts_limitation``, nl.md §6 ⚠);
- the VAT refund for bad debts one year after the claim became due (Wet OB 1968, since 2017);
- the betalingskenmerk of the Betaalvereniging ("Specificaties betalingskenmerk"), which Dutch
  banks read (made in ``core/references``);
- the ladder: a consumer gets the 14-dagenbrief (art. 6:96 lid 6 BW) as formal demand, a
  business the aanmaning en ingebrekestelling (art. 6:82 BW);
- court costs (indicative, see :data:`COURT_FEES_SOURCE`): the Wet griffierechten burgerlijke
  zaken, the table of wvhl.nl/tools/proceskosten (2024 figures; ⚠ the 2025 indexation, Stcrt.
  2024, 38002, and 2026 are not in them: check rechtspraak.nl "Griffierechten"); earlier tables
  for comparison: 2022 (weersinkincasso.nl) 128/86, 322/214 … 1384/693. A bailiff's summons:
  Besluit tarieven ambtshandelingen gerechtsdeurwaarders art. 2 onder a, € 106,73 excl. btw
  (Stb. 2023, 63; ⚠ indexed yearly since, 2025/2026 not verified);
- Peppol: a Dutch business is addressed by its KvK number (ISO 6523 ICD 0106) or its VAT number
  (EAS 9944); a Dutch VAT number does not contain the KvK number.

>>> wik_costs(Decimal("3000.00"))
Decimal('425.00')
>>> wik_costs(Decimal("266.66"))
Decimal('40.00')
>>> [s.value for s in ladder(DebtorKind.CONSUMER)]
['herinnering', 'telefoon', '14-dagenbrief', 'overdracht']
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
from ..money import ZERO, Decimal, round_cents
from ..rates import RateBook, RateRow, RateSchedule, RateSeries
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

COUNTRY = Country.NL
COMPOUND = True
PAYMENT_REFERENCE = ReferenceKind.NL
VAT_RELIEF = VatRelief.AFTER_ONE_YEAR
EAS_REGISTRATION = "0106"
EAS_VAT = "9944"

#: The letter of the formal demand to a business is the "aanmaning" (the others: letters/).
LETTER_TEMPLATES = {Step.NOTICE_OF_DEFAULT: "aanmaning"}
#: Written demands that interrupt limitation once received (art. 3:317 BW).
INTERRUPTING_LETTERS = (Step.REMINDER, Step.FOURTEEN_DAY_LETTER, Step.NOTICE_OF_DEFAULT)

_LADDERS = {
    DebtorKind.CONSUMER: (Step.REMINDER, Step.CALL, Step.FOURTEEN_DAY_LETTER, Step.HANDOVER),
    DebtorKind.BUSINESS: (Step.REMINDER, Step.CALL, Step.NOTICE_OF_DEFAULT, Step.HANDOVER),
}

#: (upper bound of the band, percentage) of art. 2 lid 1 Besluit; the last band is open.
WIK_BANDS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal(2500), Decimal("0.15")),
    (Decimal(5000), Decimal("0.10")),
    (Decimal(10000), Decimal("0.05")),
    (Decimal(200000), Decimal("0.01")),
    (None, Decimal("0.005")),
)
WIK_MINIMUM = Decimal("40.00")
WIK_MAXIMUM = Decimal("6775.00")
B2B_MINIMUM = Decimal("40.00")


#: The articles a Dutch statement or dossier cites, per subject and language (nl, fr, en, de).
CITATIONS: dict[str, dict[str, str]] = {
    "allocation": {
        "nl": "art. 6:44 BW",
        "fr": "art. 6:44 du Code civil néerlandais (BW)",
        "en": "art. 6:44 of the Dutch Civil Code (BW)",
        "de": "Art. 6:44 des niederländischen Bürgerlichen Gesetzbuchs (BW)",
    },
    "capitalisation": {
        "nl": "art. 6:119 lid 2 / 6:119a lid 3 BW",
        "fr": "art. 6:119, al. 2 / 6:119a, al. 3 du Code civil néerlandais",
        "en": "art. 6:119(2) / 6:119a(3) of the Dutch Civil Code",
        "de": "Art. 6:119 Abs. 2 / 6:119a Abs. 3 des niederländischen Bürgerlichen Gesetzbuchs",
    },
    "limitation": {
        "nl": "art. 3:307, 3:317 en 7:28 BW",
        "fr": "art. 3:307, 3:317 et 7:28 du Code civil néerlandais",
        "en": "art. 3:307, 3:317 and 7:28 of the Dutch Civil Code",
        "de": "Art. 3:307, 3:317 und 7:28 des niederländischen Bürgerlichen Gesetzbuchs",
    },
    "interruption": {
        "nl": "art. 3:317 BW",
        "fr": "art. 3:317 du Code civil néerlandais",
        "en": "art. 3:317 of the Dutch Civil Code",
        "de": "Art. 3:317 des niederländischen Bürgerlichen Gesetzbuchs",
    },
    "costs_consumer": {
        "nl": "art. 6:96 lid 2 sub c, lid 5 en lid 6 BW en het Besluit vergoeding voor "
        "buitengerechtelijke incassokosten",
        "fr": "art. 6:96 du Code civil néerlandais et le décret néerlandais sur les frais de "
        "recouvrement extrajudiciaires",
        "en": "art. 6:96 of the Dutch Civil Code and the Dutch Extrajudicial Collection Costs "
        "Decree",
        "de": "Art. 6:96 des niederländischen Bürgerlichen Gesetzbuchs und der niederländische "
        "Erlass über die Vergütung außergerichtlicher Inkassokosten",
    },
    "costs_business": {
        "nl": "art. 6:96 lid 4 BW",
        "fr": "art. 6:96, al. 4 du Code civil néerlandais",
        "en": "art. 6:96(4) of the Dutch Civil Code",
        "de": "Art. 6:96 Abs. 4 des niederländischen Bürgerlichen Gesetzbuchs",
    },
    RateSeries.NL_STATUTORY.value: {
        "nl": "art. 6:119 jo. 6:120 lid 1 BW",
        "fr": "art. 6:119 et 6:120, al. 1 du Code civil néerlandais",
        "en": "art. 6:119 and 6:120(1) of the Dutch Civil Code",
        "de": "Art. 6:119 i. V. m. 6:120 Abs. 1 des niederländischen Bürgerlichen Gesetzbuchs",
    },
    # What a letter names after "op grond van" / "en vertu de" / "under" / "gemäß": the French
    # phrases start with the article that "de" keeps, so that a letter never says "de de" or
    # "de du"; the German ones are datives without an article of their own ("gemäß Artikel …").
    # The interest a German letter names is a plural without an article ("gesetzliche Zinsen
    # …"), which reads the same as subject and as object.
    "letter_costs_consumer": {
        "nl": "het Besluit vergoeding voor buitengerechtelijke incassokosten (artikel 6:96 BW)",
        "fr": "l'article 6:96 du Code civil néerlandais et du décret néerlandais sur "
        "l'indemnisation des frais de recouvrement extrajudiciaires",
        "en": "the Dutch Extrajudicial Collection Costs Decree (article 6:96 Dutch Civil Code)",
        "de": "Artikel 6:96 des niederländischen Bürgerlichen Gesetzbuchs (BW) und dem "
        "niederländischen Erlass über die Vergütung außergerichtlicher Inkassokosten (Besluit "
        "vergoeding voor buitengerechtelijke incassokosten)",
    },
    # the amounts with a no-break space (\u00a0), as formatting.euro writes them in a letter
    "letter_costs_business": {
        "nl": "artikel 6:96 lid 4 BW (ten minste €\u00a040 per factuur)",
        "fr": "l'article 6:96, alinéa 4, du Code civil néerlandais (au moins 40\u00a0€ par "
        "facture)",
        "en": "article 6:96(4) of the Dutch Civil Code (at least €40 per invoice)",
        "de": "Artikel 6:96 Absatz 4 des niederländischen Bürgerlichen Gesetzbuchs (BW; "
        "mindestens 40\u00a0€ je Rechnung)",
    },
    "letter_interest_nl_wettelijke_rente": {
        "nl": "de wettelijke rente (artikel 6:119 BW)",
        "fr": "l'intérêt légal néerlandais (article 6:119 BW)",
        "en": "statutory interest (article 6:119 Dutch Civil Code)",
        "de": "gesetzliche Zinsen nach Artikel 6:119 des niederländischen Bürgerlichen "
        "Gesetzbuchs (BW)",
    },
    "letter_interest_nl_handelsrente": {
        "nl": "de wettelijke handelsrente (artikel 6:119a BW)",
        "fr": "l'intérêt commercial légal (article 6:119a BW)",
        "en": "statutory commercial interest (article 6:119a Dutch Civil Code)",
        "de": "gesetzliche Verzugszinsen im Geschäftsverkehr (Handelszinsen) nach Artikel 6:119a "
        "des niederländischen Bürgerlichen Gesetzbuchs (BW)",
    },
    RateSeries.NL_COMMERCIAL.value: {
        "nl": "art. 6:119a jo. 6:120 lid 2 BW (herfinancieringsrente van de ECB plus 7 "
        "procentpunten, vanaf 16-03-2013 plus 8); er is geen afzonderlijke bekendmaking",
        "fr": "art. 6:119a et 6:120, al. 2 du Code civil néerlandais (taux de refinancement de "
        "la BCE majoré de 7 points, de 8 points depuis le 16/03/2013); pas de publication "
        "séparée",
        "en": "art. 6:119a and 6:120(2) of the Dutch Civil Code (ECB refinancing rate plus 7 "
        "points, plus 8 from 16/03/2013); no separate publication",
        "de": "Art. 6:119a i. V. m. 6:120 Abs. 2 des niederländischen Bürgerlichen Gesetzbuchs "
        "(Hauptrefinanzierungssatz der EZB zuzüglich 7 Prozentpunkten, ab dem 16.03.2013 "
        "zuzüglich 8); keine gesonderte Bekanntmachung",
    },
}

#: The Dutch sentences of the hand-over and the limitation watch (see :class:`Wording`).
WORDING = Wording(
    law_name="Nederlands recht",
    costs_not_claimed="incassokosten",
    costs_left_out="incassokosten",
    no_letter="er is geen 14-dagenbrief verstuurd na de vervaldatum; zonder die brief is een "
    "consument geen incassokosten verschuldigd (art. 6:96 lid 6 BW)",
    no_letter_after_notice="er is geen 14-dagenbrief verstuurd nadat de klant in verzuim was (de "
    "betaaltermijn was niet vooraf afgesproken: pas na afloop van de termijn van de eerste "
    "aanmaning, art. 6:82 BW); zonder die brief is een consument geen incassokosten "
    "verschuldigd (art. 6:96 lid 6 BW)",
    default_note="Factuur {invoice}: de betaaltermijn was niet vooraf afgesproken; de klant is in "
    "verzuim sinds {day}, na de ingebrekestelling van {sent} (termijn tot en met {last}, "
    "art. 6:82 BW). De rente loopt vanaf die dag, niet vanaf de dag na de vervaldatum.",
    term_runs="de termijn van de 14-dagenbrief van {sent} loopt nog tot en met {last}; "
    "incassokosten pas vanaf {charges} (art. 6:96 lid 6 BW)",
    remedy="Stuur eerst de 14-dagenbrief (debiteuren brieven --stap 14-dagenbrief) en wacht tot "
    "de termijn onbetaald is verstreken, of draag toch over zonder die incassokosten met --toch.",
    limitation_note="Verjaring factuur {invoice}: een schriftelijke aanmaning moet uiterlijk "
    "{day} zijn ontvangen om de verjaring te stuiten (" + CITATIONS["interruption"]["nl"] + ").",
    limitation_passed="{who} is verjaard sinds {day}; {amount} staat nog open{agency}.",
    limitation_ahead="{who} verjaart na {day}, over {days} dagen: {amount}{agency}. Een "
    "schriftelijke aanmaning die de klant vóór die dag ontvangt, stuit de verjaring "
    "(art. 3:317 BW).",
)

SUMMONS = Fee(
    amount=Decimal("106.73"),
    description="dagvaarding uitbrengen door de gerechtsdeurwaarder (exploot, excl. btw)",
    source="Besluit tarieven ambtshandelingen gerechtsdeurwaarders art. 2 onder a, "
    "Stb. 2023, 63 (2023); sindsdien jaarlijks geïndexeerd",
    assumption=True,
)

#: (claim up to and including, fee for a legal person as claimant, fee for a natural person);
#: up to € 25.000 the kantonrechter, above it the rechtbank (a lawyer is then required).
COURT_FEES: tuple[tuple[Decimal | None, Decimal, Decimal], ...] = (
    (Decimal(500), Decimal(130), Decimal(87)),
    (Decimal(1500), Decimal(328), Decimal(218)),
    (Decimal(2500), Decimal(372), Decimal(248)),
    (Decimal(5000), Decimal(496), Decimal(248)),
    (Decimal(12500), Decimal(524), Decimal(248)),
    (Decimal(25000), Decimal(1409), Decimal(706)),
    (Decimal(100000), Decimal(2889), Decimal(1325)),
    (Decimal(1000000), Decimal(6617), Decimal(2626)),
    (None, Decimal(9825), Decimal(2626)),
)
KANTON_LIMIT = Decimal(25000)
COURT_FEES_SOURCE = (
    "tabel Wet griffierechten burgerlijke zaken, tarieven 2024 (wvhl.nl/tools/proceskosten); "
    "elk jaar per 1 januari geïndexeerd (2025: Stcrt. 2024, 38002) – controleer rechtspraak.nl"
)

_GAZETTE = {
    "nl": ("Besluit van {day}, Stb. {ref}", "Besluit van {day} (Staatsblad)", "Staatsblad"),
    "fr": (
        "Décret du {day}, Staatsblad {ref}",
        "Décret du {day} (Staatsblad)",
        "Staatsblad",
    ),
    "en": ("Decree of {day}, Staatsblad {ref}", "Decree of {day} (Staatsblad)", "Staatsblad"),
    "de": (
        "Beschluss vom {day}, Staatsblad {ref}",
        "Beschluss vom {day} (Staatsblad)",
        "Staatsblad",
    ),
}
_NOT_LOCATED = {
    "nl": "besluit niet teruggevonden; percentage uit de vakliteratuur",
    "fr": "décret non retrouvé; taux selon la littérature professionnelle",
    "en": "decree not located; rate from practitioner sources",
    "de": "Beschluss nicht aufgefunden; Zinssatz aus der Fachliteratur",
}


def rate_publication(row: RateRow, language: str = "nl") -> str:
    """Return the official publication of a Dutch rate row in ``language``.

    >>> from datetime import date
    >>> row = RateRow(series="nl_wettelijke_rente", effective_from=date(2003, 8, 1),
    ...     rate=Decimal(5), gazette="stb", gazette_ref="2003, 280", gazette_date=date(2003, 7, 3))
    >>> rate_publication(row)
    'art. 6:119 jo. 6:120 lid 1 BW; Besluit van 03-07-2003, Stb. 2003, 280'
    """
    lang = language if language in _GAZETTE else "nl"
    basis = CITATIONS.get(row.series, {}).get(lang, "")
    if row.series == RateSeries.NL_COMMERCIAL.value and not row.gazette:
        return basis
    with_ref, without_ref, _ = _GAZETTE[lang]
    if row.gazette_date is not None:
        text = (with_ref if row.gazette_ref else without_ref).format(
            day=day_text(row.gazette_date, lang), ref=row.gazette_ref
        )
    else:
        text = _NOT_LOCATED[lang] if row.verified else _NOT_LOCATED[lang].split(";")[0]
    return f"{basis}; {text}" if basis else text


def wik_costs(principal: Decimal) -> Decimal:
    """Return the collection costs of the WIK scale on ``principal``, excluding VAT.

    Args:
      principal: the unpaid principal (for one 14-day letter: the sum of its invoices).
    Returns:
      The scale amount, at least €40 and at most €6,775, rounded half-up to cents.
    """
    if principal <= 0:
        return ZERO
    raw, lower = ZERO, ZERO
    for upper, pct in WIK_BANDS:
        top = principal if upper is None else min(principal, upper)
        if top > lower:
            raw += (top - lower) * pct
        if upper is None or principal <= upper:
            break
        lower = upper
    return round_cents(min(max(raw, WIK_MINIMUM), WIK_MAXIMUM))


def with_vat(amount: Decimal, creditor: Creditor, settings: Settings) -> Decimal:
    """Add VAT to costs when the creditor cannot deduct VAT (nl.md §3.6)."""
    if creditor.vat_deductible:
        return amount
    return round_cents(amount * (1 + settings.vat_rate / 100))


def interest_schedule(
    debtor: Debtor, creditor: Creditor, settings: Settings, rates: RateBook
) -> RateSchedule:
    """Return statutory interest for a consumer, commercial interest for a business."""
    if debtor.kind is DebtorKind.CONSUMER:
        return rates.table(RateSeries.NL_STATUTORY)
    return rates.table(RateSeries.NL_COMMERCIAL)


def interest_series(debtor: Debtor, settings: Settings | None = None) -> RateSeries:
    """Return the rate series for ``debtor``: statutory interest for a consumer, commercial
    interest for a business."""
    if debtor.kind is DebtorKind.CONSUMER:
        return RateSeries.NL_STATUTORY
    return RateSeries.NL_COMMERCIAL


def interest_start(
    invoice: Invoice,
    debtor: Debtor,
    creditor: Creditor,
    settings: Settings,
    notice: LetterTerm | None,
    notice_paid: bool = False,
) -> date | None:
    """Return the last day without interest (interest accrues from the next day).

    The agreed due date puts the debtor in default (art. 6:83 sub a, 6:119a lid 1 BW). With the
    setting ``nl_consumer_interest_from_letter`` a consumer owes interest only after the term of
    a notice of default (the 14-day letter) expired; None while there is none. Paying what the
    14-dagenbrief asked within its term (``notice_paid``) saves its costs, not the interest.
    """
    if debtor.kind is DebtorKind.CONSUMER and settings.nl_consumer_interest_from_letter:
        return notice.last_day if notice is not None else None
    return invoice.due_date


def cost_rules(
    invoices: Sequence[Invoice],
    debtor: Debtor,
    creditor: Creditor,
    settings: Settings,
    notices: dict[str, LetterTerm],
) -> list[CostRule]:
    """Return the collection costs that apply.

    Consumers: the WIK scale on the principal still unpaid when the 14-day letter's term expired,
    once per letter over the invoices it named (nl.md §3.4, TV-09, TV-11). Businesses: €40 per
    invoice from the day after the due date, or the scale per invoice with the setting
    ``nl_b2b_costs = "staffel"`` (nl.md §5).
    """
    rules: list[CostRule] = []
    if debtor.kind is DebtorKind.CONSUMER:
        groups: dict[LetterTerm, list[str]] = {}
        for inv in invoices:
            term = notices.get(inv.number)
            if term is not None:
                groups.setdefault(term, []).append(inv.number)
        vat = "" if creditor.vat_deductible else f" plus {settings.vat_rate}% btw"
        for term, numbers in groups.items():
            rules.append(
                CostRule(
                    on=term.charges_from,
                    invoices=tuple(numbers),
                    term=term,
                    amount=lambda base: with_vat(wik_costs(base), creditor, settings),
                    description=(
                        "buitengerechtelijke incassokosten volgens de staffel van het Besluit "
                        f"vergoeding voor buitengerechtelijke incassokosten{vat} (art. 6:96 BW), "
                        f"na de 14-dagenbrief van {term.sent_on:%d-%m-%Y} ({term.span})"
                    ),
                )
            )
        return rules
    staffel = settings.nl_b2b_costs == "staffel"
    for inv in invoices:
        if staffel:

            def amount(base: Decimal) -> Decimal:
                return with_vat(max(wik_costs(base), B2B_MINIMUM), creditor, settings)

            text = "incassokosten volgens de staffel (ten minste € 40, art. 6:96 lid 4 BW)"
        else:

            def amount(base: Decimal) -> Decimal:
                return B2B_MINIMUM if base > 0 else ZERO

            text = "vergoeding voor invorderingskosten van € 40 (art. 6:96 lid 4 BW)"
        rules.append(
            CostRule(
                on=inv.due_date + ONE_DAY, invoices=(inv.number,), amount=amount, description=text
            )
        )
    return rules


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def is_delivery_day(day: date, settings: Settings) -> bool:
    """Return True when ordinary mail is delivered in the Netherlands on ``day``."""
    return day.weekday() in settings.nl_postal_delivery_weekdays and day not in _holidays(day.year)


def presumed_receipt(sent_on: date, channel: Channel, settings: Settings) -> date:
    """Return the presumed day of receipt: the next delivery day for mail, the day itself for
    e-mail (nl.md §4.3 and §4.4)."""
    if channel is Channel.EMAIL:
        return sent_on
    day = sent_on + ONE_DAY
    while not is_delivery_day(day, settings):
        day += ONE_DAY
    return day


def letter_term(
    sent_on: date, channel: Channel, settings: Settings, received_on: date | None = None
) -> LetterTerm:
    """Return the 14-day term of a letter: it starts the day after receipt (art. 6:96 lid 6 BW).

    >>> from ..model import Settings
    >>> t = letter_term(date(2025, 2, 3), Channel.POST, Settings())
    >>> t.received_on, t.last_day, t.charges_from
    (datetime.date(2025, 2, 4), datetime.date(2025, 2, 18), datetime.date(2025, 2, 19))
    """
    received = received_on or presumed_receipt(sent_on, channel, settings)
    return LetterTerm(
        sent_on=sent_on,
        received_on=received,
        first_day=received + ONE_DAY,
        last_day=received + timedelta(days=14),
        charges_from=received + timedelta(days=15),
    )


def limitation_years(invoice: Invoice, debtor: Debtor, settings: Settings) -> int:
    """Return 2 for a consumer sale of goods (art. 7:28 BW), else 5 (art. 3:307 BW)."""
    if debtor.kind is DebtorKind.CONSUMER and settings.nl_consumer_goods_sale:
        return 2
    return 5


def limitation_date(
    invoice: Invoice, debtor: Debtor, settings: Settings, interruptions: Sequence[date]
) -> date:
    """Return the last day on which the claim can still be interrupted (nl.md §6, TV-14).

    The claim is due (opeisbaar) on the day after the due date; the period starts the day after
    that. A written demand received on R interrupts: a new period of the same length (at most 5
    years) runs from R + 1, so its last day is R plus the period.

    Args:
      interruptions: days on which written demands were received.
    """
    years = limitation_years(invoice, debtor, settings)
    last = add_years(invoice.due_date + ONE_DAY, years)
    for received in sorted(interruptions):
        if received <= last:
            last = max(last, add_years(received, years))
    return last


def vat_refund_date(invoice: Invoice) -> date:
    """Return the day from which the VAT on an unpaid invoice may be reclaimed: one year after
    it became due (nl.md §7, TV-15)."""
    return add_years(invoice.due_date, 1)


def ladder(kind: DebtorKind) -> tuple[Step, ...]:
    """Return the steps for a debtor of ``kind``: herinnering, telefoon, the formal demand
    (a consumer's 14-dagenbrief, a business's ingebrekestelling), overdracht."""
    return _LADDERS[kind]


def formal_letter(kind: DebtorKind) -> Step | None:
    """Return the 14-dagenbrief for a consumer (art. 6:96 lid 6 BW): no collection costs before
    its term expired unpaid; None for a business (€ 40 from the day after the due date)."""
    return Step.FOURTEEN_DAY_LETTER if kind is DebtorKind.CONSUMER else None


#: The letters that can put a debtor in default: a written demand to pay within a term
#: (ingebrekestelling, art. 6:82 BW).
_DEFAULT_NOTICES = (Step.REMINDER, Step.FOURTEEN_DAY_LETTER, Step.NOTICE_OF_DEFAULT)


def default_notice_steps(debtor: Debtor, settings: Settings) -> tuple[Step, ...]:
    """Return the letters that put ``debtor`` in default when the due date does not, else ().

    An agreed payment term puts the debtor in default when it expires (art. 6:83 sub a BW).
    With the setting ``nl_consumer_interest_from_letter`` the term of a consumer's invoice was
    not agreed beforehand: the first written demand with a term (a herinnering, or else the
    14-dagenbrief itself) is then the notice of default (art. 6:82 BW, nl.md §1.4). Interest
    runs from the end of its term, and a 14-dagenbrief counts for the costs only when it was
    sent after that (art. 6:96 lid 6 BW: "na het intreden van het verzuim", nl.md §4.2 item 2).
    """
    if debtor.kind is DebtorKind.CONSUMER and settings.nl_consumer_interest_from_letter:
        return _DEFAULT_NOTICES
    return ()


def announced_costs(
    sent_on: date,
    channel: Channel,
    principals: Sequence[tuple[str, Decimal]],
    debtor: Debtor,
    creditor: Creditor,
    settings: Settings,
    rates: RateBook,
) -> Announcement:
    """Return what a 14-dagenbrief announces: the WIK scale on the unpaid principal of all its
    invoices together, plus VAT when the creditor cannot deduct it (nl.md §3.4, §3.6).

    >>> from ..model import Settings
    >>> a = announced_costs(date(2025, 2, 3), Channel.POST, [("F1", Decimal("1450.00"))],
    ...     None, Creditor(name="Tandarts", vat_deductible=False), Settings(), None)
    >>> a.costs, a.vat, a.term.last_day
    (Decimal('263.18'), Decimal('45.68'), datetime.date(2025, 2, 18))
    """
    base = wik_costs(sum((p for _, p in principals), ZERO))
    costs = with_vat(base, creditor, settings)
    return Announcement(
        term=letter_term(sent_on, channel, settings),
        costs=costs,
        vat=costs - base,
        includes_vat=not creditor.vat_deductible,
    )


def interest_basis(debtor: Debtor, settings: Settings) -> str | None:
    """Return the rate series a letter names as the debtor's interest."""
    return interest_series(debtor, settings).value


def series_in_use(debtor: Debtor, settings: Settings) -> tuple[RateSeries, ...]:
    """Return the statutory series the debtor's interest depends on: one, always."""
    return (interest_series(debtor, settings),)


def court_fee(amount: Decimal, legal_person: bool = True) -> Fee:
    """Return the griffierecht for suing for ``amount`` (indicative, :data:`COURT_FEES_SOURCE`).

    Args:
      amount: the claim in the summons (principal, interest and costs).
      legal_person: the claimant is a legal person (BV, NV, vof …), which pays the higher fee;
        a sole trader pays the fee for natural persons.

    >>> court_fee(Decimal("1200.00")).amount
    Decimal('328.00')
    """
    for upper, legal, natural in COURT_FEES:
        if upper is None or amount <= upper:
            court = (
                "kantonrechter"
                if amount <= KANTON_LIMIT
                else ("rechtbank (advocaat verplicht; advocaatkosten niet meegeteld)")
            )
            who = "rechtspersoon" if legal_person else "natuurlijk persoon"
            return Fee(
                amount=round_cents(legal if legal_person else natural),
                description=f"griffierecht {court}, eiser {who}",
                source=COURT_FEES_SOURCE,
                assumption=True,
            )
    raise AssertionError("the last band is open")  # pragma: no cover


def interrupts_limitation(step: Step, channel: Channel, settings: Settings, note: str = "") -> bool:
    """Return True when a letter of ``step`` interrupts limitation once the debtor received it.

    A written demand interrupts (art. 3:317 BW); by e-mail only with the setting
    ``nl_email_interrupts_limitation``: no ruling settles e-mail interruption (nl.md §6 ⚠), and
    receipt must be provable.

    >>> from ..model import Settings
    >>> interrupts_limitation(Step.REMINDER, Channel.EMAIL, Settings())
    False
    """
    return (
        step in INTERRUPTING_LETTERS
        and channel is not Channel.PHONE
        and (channel is not Channel.EMAIL or settings.nl_email_interrupts_limitation)
    )


def interruptions(invoice: Invoice, actions: Sequence[Action], settings: Settings) -> list[date]:
    """Return the days written demands about ``invoice`` were (presumed) received."""
    return [
        a.received_on or presumed_receipt(a.on, a.channel, settings)
        for a in actions
        if interrupts_limitation(a.step, a.channel, settings, a.note)
        and (not a.invoices or invoice.number in a.invoices)
    ]


def letter_language(postcode: str) -> str:
    """Return ``nl``: a Dutch customer gets Dutch letters."""
    return "nl"


def registration_number(digits: str) -> str:
    """Return a KvK number (8 digits) as the Klanten sheet writes it, or "" when not one.

    The old 12-digit form, the dossier number with a subdossier number of 4 digits after it
    ("27123456 0000"), is its first 8 digits. A branch's establishment number
    (vestigingsnummer) has 12 digits as well, written with leading zeros ("000012345678"; KvK,
    "Numbers in the Business Register"): it holds no KvK number.

    >>> registration_number("12345678"), registration_number("123")
    ('12345678', '')
    >>> registration_number("271234560000"), registration_number("000012345678")
    ('27123456', '')
    """
    if len(digits) == 12 and not digits.startswith("0000"):
        return digits[:8]
    return digits if len(digits) == 8 else ""


def registration_in_vat(vat: str) -> str:
    """Return "": a Dutch VAT number does not contain the KvK number."""
    return ""


__all__ = [
    "CITATIONS",
    "COMPOUND",
    "COUNTRY",
    "COURT_FEES",
    "COURT_FEES_SOURCE",
    "EAS_REGISTRATION",
    "EAS_VAT",
    "INTERRUPTING_LETTERS",
    "LETTER_TEMPLATES",
    "PAYMENT_REFERENCE",
    "SUMMONS",
    "VAT_RELIEF",
    "WORDING",
    "announced_costs",
    "cost_rules",
    "court_fee",
    "default_notice_steps",
    "formal_letter",
    "interest_basis",
    "interest_schedule",
    "interest_series",
    "interest_start",
    "interruptions",
    "interrupts_limitation",
    "ladder",
    "letter_language",
    "letter_term",
    "limitation_date",
    "presumed_receipt",
    "rate_publication",
    "registration_in_vat",
    "registration_number",
    "series_in_use",
    "vat_refund_date",
    "wik_costs",
    "with_vat",
]
