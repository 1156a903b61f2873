"""The accountant's export: a workbook, a CSV file and a one-page summary, values only.

* ``debiteuren-<peildatum>.xlsx``, a workbook without macros or formulas (values only), with the
  sheets *Openstaande posten*, *Ouderdom*, *Uit handen*, *Btw-teruggaaf NL*, *BE mogelijk
  oninbaar*, *Toelichting* and *Ongekoppelde ontvangsten*, and when there are any, *Tegoed*
  (credit per customer) and *Meer terugbetaald* (refunds beyond what a customer paid);
* ``openstaande-posten-<peildatum>.csv``: the open items, semicolon-separated, UTF-8 with a BOM,
  decimal comma, dates as dd-mm-jjjj; a text cell that a spreadsheet could run as a formula
  (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``,
  and so does such a character after a comma, semicolon, tab or line break inside a text (an
  Excel whose list separator is a comma splits the line there: :func:`csv_text`);
* ``samenvatting-<peildatum>.pdf``: one page with the totals (made from a .docx by LibreOffice;
  without LibreOffice the .docx is kept instead).

The figures come from :mod:`debiteuren.core.receivables`; every table is written by
:func:`~.tables.write_table`.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ..core.book import AGING_BUCKETS
from ..core.model import DayCount, Debtor, DebtorKind
from ..core.money import HUNDRED, ZERO, Decimal, total
from ..core.receivables import BE_REVIEW_DAYS, BeCandidate, ExportSummary, OpenItem, VatCandidate
from ..formatting import euro, long_date, short_date
from ..untrusted import FORMULA_START
from ..workbook.files import atomic_write
from .tables import (
    BOLD,
    HEADER_FILL,
    ITALIC,
    TITLE,
    Col,
    a4_document,
    docx_table,
    docx_text,
    money_totals,
    put,
    write_table,
)

__all__ = [
    "ITEM_COLUMNS",
    "SHEET_AGING",
    "SHEET_BE",
    "SHEET_CREDITS",
    "SHEET_HANDED_OVER",
    "SHEET_ITEMS",
    "SHEET_NOTES",
    "SHEET_REFUNDED",
    "SHEET_UNMATCHED",
    "SHEET_VAT_NL",
    "Context",
    "credits_sheet",
    "csv_text",
    "item_row",
    "received_by",
    "refunded_sheet",
    "summary_pdf",
    "unmatched_receipts_sheet",
    "workbook",
    "write_csv",
]

SHEET_ITEMS = "Openstaande posten"
SHEET_AGING = "Ouderdom"
SHEET_HANDED_OVER = "Uit handen"
SHEET_VAT_NL = "Btw-teruggaaf NL"
SHEET_BE = "BE mogelijk oninbaar"  # Excel forbids '?' in a sheet name
SHEET_NOTES = "Toelichting"
SHEET_UNMATCHED = "Ongekoppelde ontvangsten"
SHEET_CREDITS = "Tegoed"
SHEET_REFUNDED = "Meer terugbetaald"

#: Characters that make a spreadsheet read a text cell as a formula (OWASP "CSV injection"),
#: with the full-width forms some Excel versions also accept.
_FORMULA_START = FORMULA_START
#: Spaces a spreadsheet may trim from the start of a cell before it looks for a formula.
_SPACES = " \u00a0"
#: A formula character where a program with another list separator starts a field inside a
#: text: after a comma, semicolon, tab or line break, and any spaces and double quotes after it
#: (Excel reads a quoted ``"=1+1"`` as a formula too).
_SPLIT_FORMULA = re.compile(r'([,;\t\r\n][\s"]*)([=+\-@\uff1d\uff0b\uff0d\uff20])')


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """What every page of the export names: the workbook, the business, the peildatum."""

    source: str
    creditor: str
    day_count: DayCount
    per: date


# --- the open items as rows ---------------------------------------------------------------------

#: The open-items table (the workbook's first sheet and the CSV file).
ITEM_COLUMNS: tuple[Col, ...] = (
    Col("Klantnr", "text", 10),
    Col("Klant", "text", 30),
    Col("Land", "text", 6),
    Col("Soort", "text", 13),
    Col("Factuurnr", "text", 13),
    Col("Omschrijving", "text", 30),
    Col("Factuurdatum", "date", 15),  # 13 broke the bold header as "Factuurdatu/m"
    Col("Vervaldatum", "date", 13),
    Col("Dagen te laat", "int", 9),
    Col("Ouderdom", "text", 14),
    Col("Hoofdsom", "money", 13),
    Col("Betaald", "money", 13),
    Col("Open hoofdsom", "money", 13),
    Col("Rente berekend", "money", 13),
    Col("Rente ontvangen", "money", 13),
    Col("Kosten berekend", "money", 13),
    Col("Kosten ontvangen", "money", 13),
    Col("Totaal open", "money", 13),
    Col("Fase", "text", 13),
    Col("Uit handen", "text", 9),
)


def _kind(debtor: Debtor) -> str:
    return "Consument" if debtor.kind is DebtorKind.CONSUMER else "Onderneming"


def item_row(item: OpenItem) -> list[object]:
    """Return an open item's values in the order of :data:`ITEM_COLUMNS`."""
    return [
        item.debtor.number,
        item.debtor.name,
        str(item.debtor.country),
        _kind(item.debtor),
        item.invoice.number,
        item.invoice.description,
        item.invoice.invoice_date,
        item.invoice.due_date,
        item.days_late,
        AGING_BUCKETS[item.bucket][0],
        item.principal,
        item.paid,
        item.principal_open,
        item.interest,
        item.interest_received,
        item.costs,
        item.costs_received,
        item.outstanding,
        item.stage,
        "Ja" if item.handed_over else "Nee",
    ]


def csv_text(value: str) -> str:
    """Return a text cell for a CSV file with spreadsheet formula injection neutralised.

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or a full-width
    ``＝ ＋ － ＠``), also after spaces, gets a leading apostrophe, so Excel and LibreOffice show
    it as text. The file is separated by semicolons, but an Excel whose list separator is a
    comma (an English Windows, the accountant abroad) splits each line at every comma, also
    inside a quoted text: ``Klant,=HYPERLINK(…)`` would become a cell holding a formula. So an apostrophe also goes
    before such a character after a comma, semicolon, tab or line break in the text (after any
    spaces and double quotes there). Nothing else changes: a CSV reader gets the text back
    with only these apostrophes added.

    >>> csv_text('=HYPERLINK("http://x","y")'), csv_text("Jansen")
    ('\\'=HYPERLINK("http://x","y")', 'Jansen')
    >>> csv_text('Klant,=HYPERLINK("http://x")'), csv_text("Korting, 10%")
    ('Klant,\\'=HYPERLINK("http://x")', 'Korting, 10%')
    """
    if value.lstrip(_SPACES).startswith(_FORMULA_START):
        value = "'" + value  # also after spaces: LibreOffice may trim them on import
    return _SPLIT_FORMULA.sub(r"\1'\2", value)


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return short_date(value)
    return csv_text(str(value))


def write_csv(target: Path, items: Sequence[OpenItem]) -> None:
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow([csv_text(c.header) for c in ITEM_COLUMNS])
        for item in items:
            writer.writerow([_csv_value(v) for v in item_row(item)])


# --- the workbook -------------------------------------------------------------------------------


def _title(ws: Worksheet, title: str, context: Context, lines: Sequence[str] = ()) -> int:
    """Write the sheet's title, the peildatum and explanatory lines; return the next row."""
    put(ws, 1, 1, title, font=TITLE)
    put(
        ws,
        2,
        1,
        f"{context.creditor} — peildatum {short_date(context.per)} — bron: {context.source}",
        font=ITALIC,
    )
    row = 3
    for line in lines:
        put(ws, row, 1, line)
        row += 1
    ws.oddHeader.center.text = f"{title} per {short_date(context.per)}"
    ws.oddFooter.center.text = "Pagina &P van &N"
    _one_page_wide(ws)
    return row + 1


def _table(
    ws: Worksheet,
    row: int,
    columns: Sequence[Col],
    rows: Sequence[Sequence[object]],
    name: str,
    totals: dict[int, object] | None = None,
    empty: str = "",
) -> int:
    """Write a table as an Excel Table (:func:`~.tables.write_table`); return the row after
    the blank row that follows it."""
    last = write_table(
        ws,
        columns,
        rows,
        top=row,
        table=name,
        totals=totals,
        empty=empty or "Geen.",
        fit_header=True,
        wrap=False,  # up to a row per invoice; Omschrijving and Klant have filled neighbours
    )
    return last + 2


def workbook(
    items: Sequence[OpenItem],
    vat: Sequence[VatCandidate],
    be: Sequence[BeCandidate],
    summary: ExportSummary,
    context: Context,
    csv_name: str,
) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.properties.creator = "debiteuren"
    book.properties.title = f"Debiteuren per {short_date(context.per)}"
    ws = book.active
    ws.title = SHEET_ITEMS
    _items_sheet(ws, items, context)
    _aging_sheet(book.create_sheet(SHEET_AGING), items, summary, context)
    _handed_over_sheet(book.create_sheet(SHEET_HANDED_OVER), items, context)
    _vat_sheet(book.create_sheet(SHEET_VAT_NL), vat, summary, context)
    _be_sheet(book.create_sheet(SHEET_BE), be, summary, context)
    _notes_sheet(book.create_sheet(SHEET_NOTES), summary, context, csv_name)
    return book


def _items_sheet(ws: Worksheet, items: Sequence[OpenItem], context: Context) -> None:
    row = _title(
        ws,
        "Openstaande posten",
        context,
        [
            "Eén rij per factuur met een openstaand bedrag op de peildatum. Uitleg van de kolommen: "
            "zie het blad Toelichting.",
        ],
    )
    rows = [item_row(i) for i in items]
    _table(
        ws,
        row,
        ITEM_COLUMNS,
        rows,
        "tblOpenstaandePosten",
        money_totals(ITEM_COLUMNS, rows),
        "Geen openstaande posten op de peildatum.",
    )
    ws.freeze_panes = ws.cell(row=row + 1, column=3)


def _aging_sheet(
    ws: Worksheet, items: Sequence[OpenItem], summary: ExportSummary, context: Context
) -> None:
    row = _title(
        ws,
        "Ouderdom",
        context,
        [
            "Indeling naar dagen na de vervaldatum op de peildatum. 'Open hoofdsom' is het onbetaalde "
            "deel van de factuurbedragen; rente en kosten staan apart.",
        ],
    )
    put(ws, row, 1, "Totaal per periode", font=BOLD)
    columns = (
        Col("Periode na vervaldatum", "text", 24),
        Col("Aantal facturen", "int", 12),
        Col("Open hoofdsom", "money", 15),
        Col("Rente en kosten open", "money", 15),
        Col("Totaal open", "money", 15),
    )
    rows = [
        [label, count, principal, outstanding - principal, outstanding]
        for (label, _, _), (count, principal, outstanding) in zip(
            AGING_BUCKETS, summary.buckets, strict=True
        )
    ]
    totals = money_totals(columns, rows)
    totals[1] = summary.count
    row = _table(ws, row + 1, columns, rows, "tblOuderdom", totals)
    put(ws, row, 1, "Open hoofdsom per klant en periode", font=BOLD)
    per_columns = (
        Col("Klantnr", "text", 10),
        Col("Klant", "text", 30),
        Col("Land", "text", 6),
        *(Col(label, "money", 14) for label, _, _ in AGING_BUCKETS),
        Col("Open hoofdsom", "money", 14),
        Col("Rente en kosten open", "money", 14),
        Col("Totaal open", "money", 14),
    )
    by_debtor: dict[str, list[OpenItem]] = {}
    for i in items:
        by_debtor.setdefault(i.debtor.number, []).append(i)
    per_rows = []
    for number, mine in by_debtor.items():
        debtor = mine[0].debtor
        buckets = [
            total(i.principal_open for i in mine if i.bucket == k)
            for k in range(len(AGING_BUCKETS))
        ]
        per_rows.append(
            [
                number,
                debtor.name,
                str(debtor.country),
                *buckets,
                total(i.principal_open for i in mine),
                total(i.extras_open for i in mine),
                total(i.outstanding for i in mine),
            ]
        )
    _table(
        ws,
        row + 1,
        per_columns,
        per_rows,
        "tblOuderdomPerKlant",
        money_totals(per_columns, per_rows),
        "Geen openstaande posten op de peildatum.",
    )


def _handed_over_sheet(ws: Worksheet, items: Sequence[OpenItem], context: Context) -> None:
    row = _title(
        ws,
        "Uit handen",
        context,
        [
            "Vorderingen die aan een incassobureau of deurwaarder zijn overgedragen (Fase 'Uit "
            "handen'): volgens het blad Acties (stap 'overdracht') of de kolom 'Uit handen' op "
            "Klanten.",
        ],
    )
    columns = (
        Col("Klantnr", "text", 10),
        Col("Klant", "text", 30),
        Col("Land", "text", 6),
        Col("Factuurnr", "text", 13),
        Col("Vervaldatum", "date", 13),
        Col("Dagen te laat", "int", 9),
        Col("Uit handen sinds", "date", 12),
        Col("Open hoofdsom", "money", 14),
        Col("Rente en kosten open", "money", 14),
        Col("Totaal open", "money", 14),
        Col("Notitie", "text", 36),
    )
    rows = [
        [
            i.debtor.number,
            i.debtor.name,
            str(i.debtor.country),
            i.invoice.number,
            i.invoice.due_date,
            i.days_late,
            i.handed_over_on,
            i.principal_open,
            i.extras_open,
            i.outstanding,
            i.handover_note,
        ]
        for i in items
        if i.handed_over
    ]
    _table(
        ws,
        row,
        columns,
        rows,
        "tblUitHanden",
        money_totals(columns, rows),
        "Geen vorderingen uit handen op de peildatum.",
    )


def _vat_sheet(
    ws: Worksheet, vat: Sequence[VatCandidate], summary: ExportSummary, context: Context
) -> None:
    rate = f"{summary.vat_rate.normalize():f}".replace(".", ",")
    row = _title(
        ws,
        "Btw-teruggaaf bij oninbaarheid (Nederland)",
        context,
        [
            "Nederlandse facturen die één jaar na de vervaldatum nog (deels) onbetaald zijn: de btw "
            "over het onbetaalde deel mag u terugvragen (regeling sinds 1-1-2017).",
            "Vraag de btw terug in de gewone btw-aangifte over het tijdvak waarin dat recht ontstond "
            "(de datum in 'Teruggaaf mogelijk vanaf'); later terugvragen kan geweigerd worden.",
            f"De btw is berekend als open hoofdsom × {rate}/(100+{rate}). CONTROLEER PER FACTUUR "
            "het werkelijke btw-tarief (9%, 0%, verlegd of vrijgesteld) en of er btw op de factuur "
            "stond.",
            "Het open deel volgt de toerekening van betalingen (eerst kosten, dan rente, dan "
            "hoofdsom); laat uw adviseur beoordelen of dat voor de btw ook zo telt.",
            "Wordt later toch betaald, dan bent u de btw over dat bedrag weer verschuldigd. Vraag "
            "btw maar één keer terug: oudere facturen kunnen al in een eerdere aangifte zitten.",
        ],
    )
    columns = (
        Col("Klantnr", "text", 10),
        Col("Klant", "text", 30),
        Col("Factuurnr", "text", 13),
        Col("Factuurdatum", "date", 15),  # 13 broke the bold header as "Factuurdatu/m"
        Col("Vervaldatum", "date", 13),
        Col("Teruggaaf mogelijk vanaf", "date", 13),
        Col("Open hoofdsom (incl. btw)", "money", 15),
        Col("Btw-tarief (aanname)", "percent", 11),
        Col("Btw in open deel", "money", 14),
    )
    rows = [
        [
            v.item.debtor.number,
            v.item.debtor.name,
            v.item.invoice.number,
            v.item.invoice.invoice_date,
            v.item.invoice.due_date,
            v.item.vat_refund_from,
            v.item.principal_open,
            v.rate / HUNDRED,
            v.vat,
        ]
        for v in vat
    ]
    _table(
        ws,
        row,
        columns,
        rows,
        "tblBtwTeruggaafNL",
        money_totals(columns, rows),
        "Geen Nederlandse facturen die op de peildatum langer dan een jaar vervallen en nog "
        "open zijn.",
    )


def _be_sheet(
    ws: Worksheet, be: Sequence[BeCandidate], summary: ExportSummary, context: Context
) -> None:
    row = _title(
        ws,
        "België: mogelijk oninbare vorderingen (te beoordelen)",
        context,
        [
            "België geeft de btw alleen terug bij een BEWEZEN, DEFINITIEF verlies (art. 77 §1, 7° "
            "WBTW). Er is geen Belgische regel die de btw na een jaar vanzelf teruggeeft.",
            "Het verlies staat vast bij: een vonnis van faillietverklaring (vanaf die datum), een "
            "gehomologeerd reorganisatieplan (voor het afgeschreven deel), of ander bewijs dat de "
            "vordering echt oninbaar is (alle invorderingsstappen uitgeput) én als verlies geboekt.",
            "Een voorziening voor dubieuze debiteuren is niet genoeg. De teruggaaf gaat met een "
            "interne creditnota en de periodieke btw-aangifte; wordt later toch betaald, dan is de "
            "btw weer verschuldigd.",
            f"Deze lijst noemt Belgische vorderingen die uit handen zijn of meer dan {BE_REVIEW_DAYS} "
            "dagen over de vervaldatum: alleen om te beoordelen, NIET als teruggaaf. De btw-kolom "
            "geldt pas als het verlies bewezen is; controleer het werkelijke tarief.",
        ],
    )
    columns = (
        Col("Klantnr", "text", 10),
        Col("Klant", "text", 30),
        Col("Soort", "text", 13),
        Col("Factuurnr", "text", 13),
        Col("Vervaldatum", "date", 13),
        Col("Dagen te laat", "int", 9),
        Col("Fase", "text", 13),
        Col("Waarom beoordelen", "text", 36),
        Col("Open hoofdsom (incl. btw)", "money", 15),
        Col("Btw in open deel (alleen bij bewezen verlies)", "money", 16),
    )
    rows = [
        [
            b.item.debtor.number,
            b.item.debtor.name,
            _kind(b.item.debtor),
            b.item.invoice.number,
            b.item.invoice.due_date,
            b.item.days_late,
            b.item.stage,
            "; ".join(b.reasons),
            b.item.principal_open,
            b.vat,
        ]
        for b in be
    ]
    _table(
        ws,
        row,
        columns,
        rows,
        "tblBEOninbaar",
        money_totals(columns, rows),
        "Geen Belgische vorderingen om te beoordelen.",
    )


_DAY_COUNT_TEXT = {
    DayCount.ACT_365: "werkelijke dagen / 365, ook in een schrikkeljaar",
    DayCount.ACTUAL: "werkelijke dagen / 365, in een schrikkeljaar / 366",
    DayCount.INTEREST_YEAR: "werkelijke dagen / lengte van het rentejaar, 365 of 366",
}


def _notes_sheet(ws: Worksheet, summary: ExportSummary, context: Context, csv_name: str) -> None:
    put(ws, 1, 1, "Toelichting", font=TITLE)
    rows: list[tuple[str, object]] = [
        ("Peildatum", context.per),
        ("Bedrijf", context.creditor),
        ("Bron", context.source),
        (
            "Bedragen",
            "In euro, inclusief btw, afgerond op centen. Alle cijfers zijn waarden, geen "
            "formules; het bestand heeft geen macro's.",
        ),
        (
            "Wat telt mee",
            "Facturen met een factuurdatum tot en met de peildatum; betalingen, "
            "creditnota's en brieven tot en met de peildatum. Rente loopt tot en met "
            "de peildatum. 'Uit handen' alleen als de overdracht op het blad Acties op of "
            "vóór de peildatum ligt.",
        ),
        (
            "Weggelaten",
            f"{summary.skipped_invoices} factu"
            f"{'ur' if summary.skipped_invoices == 1 else 'ren'} met een factuurdatum "
            "na de peildatum.",
        ),
        (
            "Rente",
            "Nederland: wettelijke (handels)rente met rente op rente na elk vol jaar "
            "(art. 6:119 en 6:119a BW). België: interest zonder rente op rente. Volgens "
            "de tarieven op het blad Rentes van het werkboek.",
        ),
        (
            "Dagtelling",
            _DAY_COUNT_TEXT[context.day_count].capitalize()
            + " (instelling 'Dagtelling rente' op het blad Instellingen).",
        ),
        (
            "Betalingen",
            "Een betaling gaat eerst naar de kosten, dan naar de rente, dan naar de "
            "hoofdsom (NL art. 6:44 BW; BE art. 5.210 BW, voorheen art. 1254 oud BW); zonder "
            "factuurnummer eerst naar de oudste vervallen factuur. Een creditnota "
            "telt als betaling.",
        ),
        ("Hoofdsom", "Het factuurbedrag inclusief btw."),
        ("Betaald", "Alles wat op de factuur is betaald: kosten, rente en hoofdsom."),
        (
            "Open hoofdsom",
            "Het onbetaalde deel van het factuurbedrag. Rente die na een jaar bij "
            "de hoofdsom is gevoegd (kapitalisatie) staat hier onder rente; het "
            "blad Overzicht in het werkboek telt die rente bij de hoofdsom. Het "
            "totaal open is in beide gelijk.",
        ),
        (
            "Rente berekend / ontvangen",
            "Alle rente tot en met de peildatum, en het deel dat is "
            "betaald (gekapitaliseerde rente inbegrepen).",
        ),
        (
            "Kosten berekend / ontvangen",
            "Incassokosten of forfaitaire vergoeding die "
            "verschuldigd werden, en het deel dat is betaald.",
        ),
        (
            "Totaal open",
            "Open hoofdsom + (rente berekend − rente ontvangen) + (kosten berekend − "
            "kosten ontvangen). Het totaal is de som van de rijen.",
        ),
        ("Controle", "Hoofdsom − open hoofdsom = betaald − rente ontvangen − kosten ontvangen."),
        (
            "Dagen te laat / Ouderdom",
            "Dagen na de vervaldatum op de peildatum (0 als de factuur "
            "nog niet vervallen is); periodes: " + ", ".join(b[0] for b in AGING_BUCKETS) + ".",
        ),
        (
            "Fase",
            "De stand van de invordering (Niet vervallen, Vervallen, Herinnerd, Gebeld, "
            "Aangemaand, Uit handen, Betwist, Gepauzeerd, Betaalbelofte, Regeling).",
        ),
        ("Uit handen", "Ja als de vordering is overgedragen aan een incassobureau of deurwaarder."),
        (
            "Niet toegewezen",
            f"{euro(summary.unallocated)} aan betalingen of creditnota's die "
            "niet aan een openstaande factuur konden worden toegerekend (tegoed "
            "van klanten); niet in de totalen. Per klant: het blad "
            f"{SHEET_CREDITS} (alleen als er tegoed is).",
        ),
        (
            SHEET_REFUNDED,
            "Zie dat blad (alleen als het er is): klanten aan wie meer is terugbetaald dan er "
            "van hen op Betalingen staat; niet in de totalen, te controleren.",
        ),
        (
            "Btw-teruggaaf NL",
            "Zie dat blad: een aanname van het btw-tarief, per factuur te controleren.",
        ),
        (
            "BE mogelijk oninbaar",
            "Zie dat blad: alleen kandidaten om te beoordelen; België geeft "
            "de btw alleen terug bij een bewezen definitief verlies.",
        ),
        (
            "Klanten in het buitenland",
            "Staan niet op de btw-bladen: een factuur naar het buitenland bevat meestal geen "
            "Nederlandse of Belgische btw (btw verlegd binnen de EU, uitvoer, of btw van het "
            "land van de klant via het éénloketsysteem OSS). Bevat een factuur toch uw eigen "
            "btw, beoordeel de teruggaaf dan zelf. Rente en kosten volgen het recht van de "
            "kolom Toepasselijk recht (leeg bij een onderneming: het land van uw bedrijf).",
        ),
        (
            "CSV-bestand",
            f"{csv_name}: dezelfde openstaande posten, zonder totaalregel. "
            "Scheidingsteken puntkomma (;), tekenset UTF-8 met BOM, decimale komma "
            "zonder duizendtalscheiding (1234,56), datums als dd-mm-jjjj. Tekst die "
            "begint met =, +, -, @, een tab of een regelterugloop krijgt een "
            "apostrof (') ervoor, zodat een spreadsheet hem niet als formule "
            "uitvoert, en zo'n teken na een komma, puntkomma, tab of regeleinde in een "
            "tekst ook (een Excel met de komma als lijstscheidingsteken splitst daar); "
            "getallen blijven getallen.",
        ),
    ]
    put(ws, 3, 1, "Onderwerp", font=BOLD)
    put(ws, 3, 2, "Uitleg", font=BOLD)
    ws.cell(row=3, column=1).fill = HEADER_FILL
    ws.cell(row=3, column=2).fill = HEADER_FILL
    for k, (label, text) in enumerate(rows, 4):
        put(ws, k, 1, label, font=BOLD)
        put(ws, k, 2, text)
        ws.cell(row=k, column=1).alignment = Alignment(vertical="top")
        ws.cell(row=k, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 100


# --- the summary page ---------------------------------------------------------------------------


def _summary_docx(
    target: Path, summary: ExportSummary, context: Context, book_name: str, csv_name: str
) -> None:
    from docx.shared import Pt

    doc = a4_document(landscape=False, side=2.0, top=1.8, size=10, after=3)

    def heading(text: str, size: float) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(10)
        p.paragraph_format.space_after = Pt(4)
        run = p.add_run(text)
        run.bold = True
        run.font.size = Pt(size)

    def table(
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        bold_last: bool = False,
    ) -> None:
        right = range(1, len(headers))
        docx_table(doc, headers, rows, widths, right=right, bold_last=bold_last, cell_space=1)

    heading(f"Debiteuren per {long_date(context.per)}", 16)
    # the workbook's file name may hold a control character (a name on Linux or macOS), which
    # a Word document cannot: the summary stopped with a traceback after the .xlsx and the CSV
    doc.add_paragraph(docx_text(f"{context.creditor} — samenvatting voor de accountant"))
    intro = doc.add_paragraph()
    intro.add_run("Peildatum: ")
    intro.add_run(short_date(context.per)).bold = True
    intro.add_run(docx_text(f" (rente tot en met die dag). Bron: {context.source}."))
    heading("Totalen", 12)
    table(
        ["Post", "Bedrag"],
        [
            ["Openstaande facturen (aantal)", str(summary.count)],
            ["Open hoofdsom", euro(summary.principal_open)],
            ["Open rente", euro(summary.interest_open)],
            ["Open kosten", euro(summary.costs_open)],
            ["Totaal open", euro(summary.outstanding)],
        ],
        [11.0, 4.5],
        bold_last=True,
    )
    heading("Ouderdom (dagen na de vervaldatum)", 12)
    rows = [
        [label, str(count), euro(principal), euro(outstanding)]
        for (label, _, _), (count, principal, outstanding) in zip(
            AGING_BUCKETS, summary.buckets, strict=True
        )
    ]
    rows.append(
        ["Totaal", str(summary.count), euro(summary.principal_open), euro(summary.outstanding)]
    )
    table(
        ["Periode", "Aantal", "Open hoofdsom", "Totaal open"],
        rows,
        [5.5, 2.5, 3.75, 3.75],
        bold_last=True,
    )
    heading("Aandachtspunten", 12)
    rate = f"{summary.vat_rate.normalize():f}".replace(".", ",")
    table(
        ["Post", "Aantal", "Bedrag"],
        [
            [
                "Uit handen (totaal open)",
                str(summary.handed_over_count),
                euro(summary.handed_over_total),
            ],
            [
                f"Btw-teruggaaf NL mogelijk (btw bij {rate}%)",
                str(summary.vat_count),
                euro(summary.vat_total),
            ],
            [
                "BE: te beoordelen op definitief verlies (open hoofdsom)",
                str(summary.be_count),
                euro(summary.be_total),
            ],
            ["Niet toegewezen betalingen en creditnota's", "", euro(summary.unallocated)],
            [
                # on the bank account, in none of the open items: the sheet names each one
                f"Ontvangsten nog niet gekoppeld (blad {SHEET_UNMATCHED})",
                str(summary.unmatched_count),
                euro(summary.unmatched_total),
            ],
        ],
        [9.5, 2.0, 4.0],
    )
    note = doc.add_paragraph()
    note.paragraph_format.space_before = Pt(10)
    run = note.add_run(
        f"Details per factuur: {book_name} en {csv_name}. Dagtelling rente: "
        f"{_DAY_COUNT_TEXT[context.day_count]}. De btw-bedragen gaan uit van {rate}%; "
        "controleer per factuur het werkelijke tarief. België geeft btw alleen terug bij een "
        "bewezen definitief verlies (faillissement, homologatie of bewezen oninbaar), nooit "
        "vanzelf na een jaar."
    )
    run.font.size = Pt(8.5)
    run.italic = True
    doc.save(target)


def summary_pdf(
    folder: Path, summary: ExportSummary, context: Context, book_name: str, csv_name: str
) -> tuple[Path | None, Path | None, str]:
    """Write the summary page as PDF; return (pdf, docx, note); the docx only without PDF."""
    from ..letters.render import ConversionError, convert_to_pdf

    stem = f"samenvatting-{context.per.isoformat()}"
    kept = folder / f"{stem}.docx"
    with tempfile.TemporaryDirectory(prefix="debiteuren-export-") as scratch:
        docx = Path(scratch) / f"{stem}.docx"
        _summary_docx(docx, summary, context, book_name, csv_name)
        try:
            pdfs = convert_to_pdf([docx], folder)
            problem = ""
        except ConversionError as exc:
            pdfs, problem = None, exc.message
        if pdfs:
            kept.unlink(missing_ok=True)
            return pdfs[0], None, ""
        atomic_write(kept, lambda tmp: shutil.copyfile(docx, tmp))
    if problem:
        note = (
            f"De PDF kon niet gemaakt worden ({problem}); de samenvatting staat in "
            f"{kept.name}. Open die in Word en sla hem op als PDF."
        )
    else:
        note = (
            f"LibreOffice is niet geïnstalleerd: de samenvatting staat in {kept.name} in "
            "plaats van als PDF. Open die in Word en sla hem op als PDF."
        )
    return None, kept, note


SHEET_UNMATCHED = "Ongekoppelde ontvangsten"


def _one_page_wide(ws: Worksheet) -> None:
    """Print ``ws`` landscape on A4, one page wide and as many pages long as it takes."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _note(ws: Worksheet, text: str, columns: Sequence[Col]) -> None:
    """Put the explanation in row 2 over the width of the table below it, wrapped, and print
    the sheet one page wide: unwrapped it ran on over two more pages of the PDF."""
    put(ws, 2, 1, text)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
    ws.cell(row=2, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    width = sum(c.width for c in columns)
    ws.row_dimensions[2].height = 15 * (len(text) // max(int(width * 0.9), 1) + 1)
    _one_page_wide(ws)


def received_by(payments: Sequence, per: date) -> list:
    """Return the payments under review ("Te controleren") received up to ``per``: the rows of
    :func:`unmatched_receipts_sheet` and of the summary page (a row without a date too)."""
    return [p for p in payments if p.on is None or p.on <= per]


def unmatched_receipts_sheet(book: openpyxl.Workbook, payments: Sequence, per: date) -> None:
    """Add the money received up to ``per`` that is not linked to an invoice ("Te controleren"
    on Betalingen): it is on the bank account but in none of the open items."""
    ws = book.create_sheet(SHEET_UNMATCHED)
    shown = received_by(payments, per)
    put(ws, 1, 1, f"Ongekoppelde ontvangsten per {short_date(per)}", font=Font(bold=True, size=13))
    _note(
        ws,
        "Ontvangen betalingen die nog niet aan een factuur gekoppeld zijn (status 'Te "
        "controleren' op het blad Betalingen); ze zijn niet afgetrokken van de openstaande "
        f"posten. Aantal: {len(shown)}.",
        _UNMATCHED,
    )
    rows = [(p.on, p.amount, p.payer_name, p.payer_iban, p.text, p.row) for p in shown]
    last = write_table(ws, _UNMATCHED, rows, top=4, fill=False, widen=False)
    put(ws, last + 1, 1, "Totaal", font=BOLD)  # "Totaal in euro" was cut by its neighbour
    put(ws, last + 1, 2, sum((p.amount or ZERO for p in shown), ZERO), "money")


_UNMATCHED = (
    Col("Datum", "", 12),
    Col("Bedrag", "", 14),
    Col("Betaler", "text", 28),
    Col("IBAN betaler", "text", 24),
    Col("Mededeling", "text", 50),
    Col("Rij Betalingen", "", 14),
)


def credits_sheet(
    book: openpyxl.Workbook, credits: Sequence[tuple[Debtor, Decimal]], per: date
) -> None:
    """Add, when any customer has one, the credit per customer at ``per``: what he paid (or a
    credit note credited) beyond all his invoices. It is owed to him, is in none of the open
    items, and the export's total of it ("Niet toegewezen") does not say whose it is."""
    _customer_amounts_sheet(
        book,
        SHEET_CREDITS,
        f"Tegoed van klanten per {short_date(per)}",
        "Klanten die meer betaalden dan al hun facturen vragen (of van wie een creditnota meer "
        "crediteert dan de factuur): dit bedrag komt hun toe. Het staat in geen van de "
        "openstaande posten; terugbetalen of verrekenen met een volgende factuur.",
        _CREDITS,
        credits,
    )


def refunded_sheet(
    book: openpyxl.Workbook, refunded: Sequence[tuple[Debtor, Decimal]], per: date
) -> None:
    """Add, when any customer has one, what was paid back to a customer up to ``per`` beyond
    what he paid: money that left the bank, shown as the money that came in is (the Overzicht
    lists the same customers to check)."""
    _customer_amounts_sheet(
        book,
        SHEET_REFUNDED,
        f"Meer terugbetaald dan ontvangen per {short_date(per)}",
        "Klanten aan wie meer is terugbetaald dan er van hen op Betalingen staat: de betaling "
        "die werd terugbetaald ontbreekt daar, of het bedrag van de terugbetaling klopt niet. "
        "Dit geld ging van de bank af en staat in geen van de openstaande posten; te "
        "controleren.",
        _REFUNDED,
        refunded,
    )


def _customer_amounts_sheet(
    book: openpyxl.Workbook,
    name: str,
    title: str,
    note: str,
    columns: Sequence[Col],
    amounts: Sequence[tuple[Debtor, Decimal]],
) -> None:
    """Add sheet ``name`` with an amount per customer and their total, when there are any."""
    if not amounts:
        return
    ws = book.create_sheet(name)
    put(ws, 1, 1, title, font=Font(bold=True, size=13))
    _note(ws, note, columns)
    rows = [(d.number, d.name, str(d.country), amount) for d, amount in amounts]
    last = write_table(ws, columns, rows, top=4, fill=False, widen=False)
    put(ws, last + 1, 1, "Totaal", font=BOLD)
    put(ws, last + 1, 4, total(amount for _, amount in amounts), "money")


_CREDITS = (
    Col("Klantnr", "text", 12),
    Col("Klant", "text", 36),
    Col("Land", "text", 8),
    Col("Tegoed", "money", 14),
)
_REFUNDED = (*_CREDITS[:3], Col("Meer terugbetaald", "money", 18))
