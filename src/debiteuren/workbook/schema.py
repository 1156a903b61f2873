"""The workbook's shape, declared once: every sheet, Excel Table and column, and every setting.

Everything that reads or writes the workbook finds its columns here, by header text (never by
column letter or position), so a user may reorder columns and add columns of their own. Header
matching ignores case, surrounding spaces and repeated inner spaces (:func:`normalize_header`).

Headers, labels and help texts are Dutch (the user reads them); keys are English and match the
field names of :mod:`debiteuren.core.model` where a column maps onto one.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum

from ..core.ladder import Stage
from ..core.model import (
    Action,
    Channel,
    Country,
    DayCount,
    DebtorKind,
    Feb29Anniversary,
    LetterState,
    PlanInstalment,
    Step,
    quick_init,
)
from ..core.rates import RateSeries
from ..untrusted import loose_key

#: The Fase debiteuren writes for a credit note (it is on no ladder).
CREDIT_NOTE_STAGE = "Creditnota"

__all__ = [
    "ACTIES",
    "BETALINGEN",
    "COUNTRY_WORDS",
    "CREDIT_NOTE_STAGE",
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "FACTUREN",
    "INCASSO",
    "INSTELLINGEN",
    "INTEGER_FORMAT",
    "KIND_WORDS",
    "KLANTEN",
    "MONEY_FORMAT",
    "NO",
    "OVERZICHT",
    "RATE_SERIES",
    "RATE_SERIES_LABELS",
    "RATE_STATUS",
    "REGELINGEN",
    "RENTES",
    "SETTINGS",
    "SHEETS",
    "STATEMENT_READ_LABEL",
    "TYPE_FORMATS",
    "VALIDATION_LAST_ROW",
    "YES",
    "Column",
    "ColumnType",
    "HeaderMatch",
    "PaymentRecord",
    "Row",
    "SettingField",
    "SettingTarget",
    "Sheet",
    "UnknownColumn",
    "action_row",
    "cell_value",
    "match_headers",
    "normalize_header",
    "payment_row",
    "plan_row",
    "setting_by_label",
    "sheet",
    "sheet_by_name",
]

#: Data validations and conditional formats of the template reach this Excel row.
VALIDATION_LAST_ROW = 20000

YES = "Ja"
NO = "Nee"


class ColumnType(StrEnum):
    """What a cell holds; decides the conversion on reading and the Excel display format."""

    TEXT = "text"
    CODE = "code"  # an identifier or number kept as text: Factuurnr, Klantnr, IBAN, postcode
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"  # a date, optionally with a time of day
    INTEGER = "integer"
    PERCENT = "percent"  # stored as a fraction (0.105), shown as 10,50%
    CHOICE = "choice"
    YES_NO = "yes_no"
    LIST = "list"  # comma-separated codes, e.g. invoice numbers
    WEEKDAYS = "weekdays"  # comma-separated Dutch weekday abbreviations: "di, wo, do"


#: Excel number formats per type. Excel stores format codes in its neutral notation (comma for
#: thousands, dot for decimals) and displays them in the user's locale: in a Dutch Excel the money
#: format shows "€ 1.234,56" and "€ -12,50". "@" keeps typed text as text, so "0012" or
#: "2025-01" in a Factuurnr cell is not turned into a number or a date.
TYPE_FORMATS: dict[ColumnType, str] = {
    ColumnType.TEXT: "@",
    ColumnType.CODE: "@",
    ColumnType.MONEY: '"€" #,##0.00;"€" -#,##0.00',
    ColumnType.DATE: "dd-mm-yyyy",
    ColumnType.DATETIME: "dd-mm-yyyy hh:mm",
    ColumnType.INTEGER: "0",
    ColumnType.PERCENT: "0.00%",
    ColumnType.CHOICE: "@",
    ColumnType.YES_NO: "@",
    ColumnType.LIST: "@",
    ColumnType.WEEKDAYS: "@",
}

#: The number formats every file we write uses (the workbook, the call list, the dossier's
#: specification, the accountant's export): declared once, here.
MONEY_FORMAT = TYPE_FORMATS[ColumnType.MONEY]
DATE_FORMAT = TYPE_FORMATS[ColumnType.DATE]
DATETIME_FORMAT = TYPE_FORMATS[ColumnType.DATETIME]
INTEGER_FORMAT = TYPE_FORMATS[ColumnType.INTEGER]


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """One column of a sheet's Excel Table.

    Attributes:
      key: English identifier used in code (``"due_date"``).
      header: the Dutch header text in the workbook (``"Vervaldatum"``).
      type: what the cells hold.
      computed: True for a column the program fills (grey header; typing is refused).
      required: a row with data must have a value here.
      width: Excel column width (characters).
      number_format: Excel display format; empty for the default of ``type``.
      choices: the allowed values (dropdown) of a CHOICE or YES_NO column, as displayed.
      help: Dutch explanation, shown as a comment on the header cell.
      aliases: other headers accepted for this column when reading (e.g. ``"Factuurnummer"``).
      choices_from: the sheet whose first column lists this column's values (a drop-down in
        Excel: ``"Klanten"`` for a Klantnr); "" for none.
    """

    key: str
    header: str
    type: ColumnType
    computed: bool = False
    required: bool = False
    width: float = 14
    number_format: str = ""
    choices: tuple[str, ...] = ()
    help: str = ""
    aliases: tuple[str, ...] = ()
    choices_from: str = ""

    @property
    def excel_format(self) -> str:
        """Return the Excel number format of the column's cells."""
        return self.number_format or TYPE_FORMATS[self.type]


@dataclass(frozen=True, slots=True, kw_only=True)
class Sheet:
    """One worksheet with (at most) one Excel Table.

    Attributes:
      name: the Dutch sheet name.
      table: the Excel Table name (no spaces), or "" for a sheet without a table (Overzicht).
      columns: the declared columns, in template order.
      required: reading reports a problem when the sheet is missing.
      help: a Dutch sentence about what the sheet is for.
    """

    name: str
    table: str
    columns: tuple[Column, ...] = ()
    required: bool = True
    help: str = ""
    _by_key: dict[str, Column] = field(init=False, repr=False, compare=False)
    _by_header: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key = {c.key: c for c in self.columns}
        by_header: dict[str, Column] = {}
        for column in self.columns:
            for text in (column.header, *column.aliases):
                by_header.setdefault(normalize_header(text), column)
        if len(by_key) != len(self.columns):
            raise ValueError(f"duplicate column key in sheet {self.name}")
        object.__setattr__(self, "_by_key", by_key)
        object.__setattr__(self, "_by_header", by_header)

    def column(self, key: str) -> Column:
        """Return the column with ``key``; raise :class:`UnknownColumn` for an unknown key."""
        try:
            return self._by_key[key]
        except KeyError:
            raise UnknownColumn(self, key) from None

    def row(self, **values: object) -> Row:
        """Return a row to append to this sheet: column key -> value, each written as its
        column holds it (:func:`cell_value`). An undeclared key is :class:`UnknownColumn`."""
        return Row(self, {key: cell_value(self.column(key), v) for key, v in values.items()})

    def by_header(self, text: object) -> Column | None:
        """Return the column whose header (or alias) matches ``text``, or None."""
        if not isinstance(text, str):
            return None
        return self._by_header.get(normalize_header(text))

    @property
    def input_columns(self) -> tuple[Column, ...]:
        """Return the columns the user fills in."""
        return tuple(c for c in self.columns if not c.computed)

    @property
    def computed_columns(self) -> tuple[Column, ...]:
        """Return the columns the program fills in."""
        return tuple(c for c in self.columns if c.computed)


class UnknownColumn(KeyError):
    """Code names a column its sheet does not declare: a mistake in the program, never data."""

    def __init__(self, sheet: Sheet, key: str) -> None:
        super().__init__(f"sheet {sheet.name} declares no column {key!r}")
        self.sheet, self.key = sheet, key


def normalize_header(text: str) -> str:
    """Return ``text`` as compared when matching headers: case-folded, spaces collapsed."""
    return loose_key(text)


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """Where a sheet's declared columns are in an actual header row.

    Attributes:
      index: column key -> 0-based position in the header row, for the columns found.
      duplicates: column key -> all positions, for columns whose header occurs more than once.
    """

    index: dict[str, int]
    duplicates: dict[str, list[int]]

    def missing(self, columns: Iterable[Column]) -> list[Column]:
        """Return those of ``columns`` that the header row lacks."""
        return [c for c in columns if c.key not in self.index]


def match_headers(sheet: Sheet, headers: Sequence[object]) -> HeaderMatch:
    """Find the sheet's declared columns in an actual header row.

    Args:
      sheet: the declared sheet.
      headers: the header row's cell values, left to right (other values are ignored).
    Returns:
      The positions found; the first occurrence wins when a header occurs twice.
    """
    positions: dict[str, list[int]] = {}
    for position, text in enumerate(headers):
        column = sheet.by_header(text)
        if column is not None:
            positions.setdefault(column.key, []).append(position)
    index = {key: found[0] for key, found in positions.items()}
    duplicates = {key: found for key, found in positions.items() if len(found) > 1}
    return HeaderMatch(index=index, duplicates=duplicates)


def _yes_no(key: str, header: str, help: str, **kwargs: object) -> Column:
    return Column(
        key=key,
        header=header,
        type=ColumnType.YES_NO,
        choices=(YES, NO),
        width=12,
        help=help,
        **kwargs,  # type: ignore[arg-type]
    )


def _money(key: str, header: str, help: str = "", **kwargs: object) -> Column:
    return Column(key=key, header=header, type=ColumnType.MONEY, width=15, help=help, **kwargs)  # type: ignore[arg-type]


def _date(key: str, header: str, help: str = "", **kwargs: object) -> Column:
    return Column(key=key, header=header, type=ColumnType.DATE, width=13, help=help, **kwargs)  # type: ignore[arg-type]


_COMPUTED_HELP = "Vult debiteuren zelf in bij Bijwerken; typ hier niets."

FACTUREN = Sheet(
    name="Facturen",
    table="tblFacturen",
    help="Eén rij per verkoopfactuur of creditnota.",
    columns=(
        Column(
            key="number",
            header="Factuurnr",
            type=ColumnType.CODE,
            required=True,
            width=14,
            aliases=("Factuurnummer", "Factuur nr"),
            help="Het factuurnummer; elk nummer maar één keer.",
        ),
        Column(
            key="debtor",
            header="Klantnr",
            type=ColumnType.CODE,
            required=True,
            width=11,
            aliases=("Klantnummer", "Klant nr"),
            choices_from="Klanten",
            help="Het klantnummer uit het werkblad Klanten.",
        ),
        _date("invoice_date", "Factuurdatum", "De datum op de factuur.", required=True),
        _date(
            "due_date",
            "Vervaldatum",
            "De laatste dag om te betalen. Leeg: factuurdatum plus de betaaltermijn van de klant.",
        ),
        _money(
            "amount",
            "Bedrag (incl. btw)",
            "Het factuurbedrag inclusief btw. Een creditnota is negatief.",
            required=True,
            aliases=("Bedrag", "Bedrag incl. btw", "Bedrag incl btw"),
        ),
        Column(
            key="description",
            header="Omschrijving",
            type=ColumnType.TEXT,
            width=32,
            help="Wat u leverde; komt in de brief.",
        ),
        _yes_no("is_credit_note", "Creditnota", "Ja voor een creditnota (negatief bedrag)."),
        Column(
            key="credits",
            header="Crediteert factuur",
            type=ColumnType.CODE,
            width=14,
            help="Bij een creditnota: het factuurnummer dat zij verlaagt. Die factuur telt dan "
            "vanaf het begin met het lagere bedrag (rente en kosten ook; de instelling "
            "'Creditnota met factuurnummer telt vanaf' kan dat veranderen). Leeg: de creditnota "
            "gaat als betaling naar de oudste openstaande factuur.",
        ),
        _yes_no("disputed", "Betwist", "Ja als de klant de factuur betwist: dan geen brieven."),
        _date("paused_until", "Pauze tot", "Tot en met deze dag geen brieven voor deze factuur."),
        Column(
            key="reference",
            header="Betalingskenmerk",
            type=ColumnType.CODE,
            width=22,
            help="Betalingskenmerk of gestructureerde mededeling (OGM). Leeg: debiteuren "
            "maakt er een.",
        ),
        Column(
            key="note",
            header="Notitie",
            type=ColumnType.TEXT,
            width=28,
            help="Uw eigen aantekening; komt niet in brieven.",
        ),
        Column(
            key="file",
            header="Factuur-pdf",
            type=ColumnType.TEXT,
            width=24,
            aliases=("Factuur pdf", "Factuurbestand"),
            help="De factuur als bestand, in de map van dit werkboek of een map daarbinnen, "
            "bijvoorbeeld facturen/2026-0116.pdf. Bij een overdracht komt een kopie in het "
            "dossier; leeg: het dossier zegt dat de factuur er niet bij zit.",
        ),
        _money(
            "paid",
            "Betaald",
            "Alles wat op deze factuur betaald is (kosten, rente en hoofdsom). " + _COMPUTED_HELP,
            computed=True,
        ),
        _money(
            "outstanding",
            "Openstaand",
            "De onbetaalde hoofdsom: het factuurbedrag min wat daarop betaald is. "
            + _COMPUTED_HELP,
            computed=True,
        ),
        Column(
            key="days_late",
            header="Dagen te laat",
            type=ColumnType.INTEGER,
            computed=True,
            width=9,
            help="Dagen na de vervaldatum op de peildatum (0 als betaald). " + _COMPUTED_HELP,
        ),
        _money(
            "interest",
            "Rente",
            "De onbetaalde rente tot en met de peildatum, ook de rente die na een jaar bij de "
            "hoofdsom is gekomen (NL). " + _COMPUTED_HELP,
            computed=True,
        ),
        _money(
            "costs",
            "Kosten",
            "De onbetaalde incassokosten of forfaitaire vergoeding die de wet nu "
            "toestaat. " + _COMPUTED_HELP,
            computed=True,
        ),
        _money(
            "total",
            "Totaal",
            "Openstaand + Rente + Kosten: wat de klant nu moet betalen. " + _COMPUTED_HELP,
            computed=True,
        ),
        Column(
            key="stage",
            header="Fase",
            type=ColumnType.TEXT,
            computed=True,
            width=13,
            choices=(*(s.value for s in Stage), CREDIT_NOTE_STAGE),
            help="Waar de factuur op de ladder staat (herinnering, aanmaning, overdracht). "
            + _COMPUTED_HELP,
        ),
        Column(
            key="next_step",
            header="Volgende stap",
            type=ColumnType.TEXT,
            computed=True,
            width=26,
            help="De volgende stap: herinnering, telefoon, 14-dagenbrief, eerste herinnering, "
            "ingebrekestelling of overdracht. '(wacht op verzending)': er is een brief aan deze "
            "klant gemaakt die nog niet als verzonden op het blad Acties staat. " + _COMPUTED_HELP,
        ),
        _date(
            "next_on",
            "Per",
            "De dag vanaf wanneer de volgende stap mag. " + _COMPUTED_HELP,
            computed=True,
        ),
        _date(
            "limitation_date",
            "Verjaart op",
            "De laatste dag voordat de vordering verjaart, tenzij u de verjaring stuit. "
            + _COMPUTED_HELP,
            computed=True,
        ),
    ),
)

#: Betalingen "Status" values; only rows that count are passed to the engine.
PAYMENT_STATUSES = (
    "Gematcht",
    "Te controleren",
    "Teruggeboekt",
    "Storno",
    "Dubbel",
    "Terugbetaling",
    "Geen klant",
)
PAYMENT_IGNORED = ("te controleren", "teruggeboekt", "storno", "dubbel", "geen klant")
#: The status of a refund to the customer: a negative amount that counts (``core.claim``).
REFUND_STATUS = "terugbetaling"

#: Optional input columns whose values hold an invoice, payment or letter back, or change what
#: counts and from when (a dispute, a pause, a status, the day a letter went out or arrived, the
#: law): such a column missing while its table has a column debiteuren does not know that looks
#: like it renamed (``read._Rows._looks_renamed``) is refused. A renamed header ("Betwist" typed
#: over, or cleared so that Excel names it "Kolom1") made its column the user's own, and every
#: value in it was silently gone: a disputed invoice got letters again, a payment to check
#: counted. Otherwise the column was removed, and its values read as empty, as in a workbook
#: made before it existed.
HOLDING_COLUMNS: dict[str, frozenset[str]] = {
    "Klanten": frozenset({"law", "payment_term_days", "handed_over"}),
    "Facturen": frozenset({"due_date", "is_credit_note", "credits", "disputed", "paused_until"}),
    "Betalingen": frozenset({"debtor", "invoice", "status"}),
    "Acties": frozenset(
        {
            "invoices",
            "channel",
            "state",
            "sent_on",
            "amount_claimed",
            "deadline",
            "received_on",
            "promised_on",
        }
    ),
}

KLANTEN = Sheet(
    name="Klanten",
    table="tblKlanten",
    help="Eén rij per klant.",
    columns=(
        Column(
            key="number",
            header="Klantnr",
            type=ColumnType.CODE,
            required=True,
            width=11,
            aliases=("Klantnummer", "Klant nr"),
            help="Uw klantnummer; elk nummer maar één keer.",
        ),
        Column(
            key="name",
            header="Naam",
            type=ColumnType.TEXT,
            required=True,
            width=28,
            help="Naam van de klant (persoon of bedrijf) zoals op de brief.",
        ),
        Column(
            key="contact",
            header="Contactpersoon",
            type=ColumnType.TEXT,
            width=20,
            help="Ter attentie van (bij een bedrijf).",
        ),
        Column(
            key="salutation",
            header="Aanhef",
            type=ColumnType.TEXT,
            width=26,
            help="De aanhef van de brieven aan deze klant, zoals 'Geachte mevrouw De Vries' of "
            "'Madame Lambert'. Leeg: 'Geachte heer, mevrouw' (of 'Madame, Monsieur', "
            "'Dear Sir or Madam').",
        ),
        Column(
            key="address",
            header="Adres",
            type=ColumnType.TEXT,
            width=28,
            help="Straat en huisnummer.",
        ),
        Column(
            key="postcode",
            header="Postcode",
            type=ColumnType.CODE,
            width=10,
            help="Postcode van de klant.",
        ),
        Column(
            key="city",
            header="Plaats",
            type=ColumnType.TEXT,
            width=18,
            help="Woonplaats of vestigingsplaats van de klant.",
        ),
        Column(
            key="country",
            header="Land",
            type=ColumnType.CODE,
            required=True,
            width=8,
            help="De landcode van de klant (NL, BE, DE, FR, SE …; ook de naam, zoals Duitsland). "
            "Voor een klant in Nederland of België bepaalt het land welk recht geldt voor rente, "
            "kosten en brieven; voor een klant elders de kolom Toepasselijk recht.",
        ),
        Column(
            key="kind",
            header="Soort",
            type=ColumnType.CHOICE,
            required=True,
            width=13,
            choices=("Consument", "Onderneming"),
            help="Consument: een particulier. Onderneming: een bedrijf, zzp'er of "
            "organisatie. Bepaalt welke regels gelden.",
        ),
        Column(
            key="law",
            header="Toepasselijk recht",
            type=ColumnType.CHOICE,
            width=12,
            choices=tuple(c.value for c in Country),
            aliases=("Recht",),
            help="Alleen voor een klant buiten Nederland en België: NL of BE, het recht dat de "
            "vordering beheerst. Leeg bij een onderneming: het recht van uw eigen land "
            "(Instellingen, Land), want zonder andere keuze geldt het recht van de verkoper "
            "(Rome I-Verordening, art. 4). Leeg bij een consument: geweigerd, want voor een "
            "consument kan het recht van zijn eigen land gelden (art. 6); vul het alleen in als "
            "NL of BE echt van toepassing is.",
        ),
        Column(
            key="email",
            header="E-mail",
            type=ColumnType.TEXT,
            width=26,
            help="Het e-mailadres voor brieven per e-mail.",
        ),
        Column(
            key="phone",
            header="Telefoon",
            type=ColumnType.CODE,
            width=14,
            help="Zonder telefoonnummer slaat debiteuren de belstap over.",
        ),
        Column(
            key="language",
            header="Taal",
            type=ColumnType.CHOICE,
            width=7,
            choices=("nl", "fr", "en", "de"),
            help="Taal van de brieven: nl, fr, en of de. Leeg: nl.",
        ),
        Column(
            key="registration",
            header="KvK/KBO",
            type=ColumnType.CODE,
            width=14,
            aliases=("KvK", "KBO", "KvK-nummer", "Ondernemingsnummer"),
            help="KvK-nummer (NL) of ondernemingsnummer (BE) van een zakelijke klant.",
        ),
        Column(
            key="vat_number",
            header="Btw-nummer",
            type=ColumnType.CODE,
            width=16,
            help="Btw-nummer van een zakelijke klant.",
        ),
        Column(
            key="iban",
            header="IBAN",
            type=ColumnType.CODE,
            width=22,
            help="De rekening(en) waarvan de klant betaalt, gescheiden door komma's; zo worden "
            "betalingen zonder kenmerk toch herkend.",
        ),
        Column(
            key="payment_term_days",
            header="Betaaltermijn (dagen)",
            type=ColumnType.INTEGER,
            width=11,
            aliases=("Betaaltermijn",),
            help="Afgesproken betaaltermijn in dagen; gebruikt als een factuur geen "
            "vervaldatum heeft.",
        ),
        _yes_no(
            "handed_over",
            "Uit handen",
            "Ja als u de klant hebt overgedragen aan een incassobureau of deurwaarder.",
        ),
    ),
)

BETALINGEN = Sheet(
    name="Betalingen",
    table="tblBetalingen",
    help="Eén rij per ontvangen betaling (zelf ingetypt of ingelezen van de bank).",
    columns=(
        _date("on", "Datum", "De dag waarop het geld op uw rekening stond.", required=True),
        _money(
            "amount",
            "Bedrag",
            "Het ontvangen bedrag. Een terugbetaling aan de klant: het bedrag met een min ervoor "
            "en de Status Terugbetaling.",
            required=True,
        ),
        Column(
            key="debtor",
            header="Klantnr",
            type=ColumnType.CODE,
            width=11,
            aliases=("Klantnummer", "Klant nr"),
            choices_from="Klanten",
            help="De klant die betaalde. Leeg: de klant van de factuur.",
        ),
        Column(
            key="invoice",
            header="Factuurnr",
            type=ColumnType.CODE,
            width=14,
            aliases=("Factuurnummer", "Factuur nr"),
            help="De factuur die de klant noemt (factuurnummer of betalingskenmerk). Leeg: "
            "de oudste openstaande factuur eerst.",
        ),
        Column(
            key="text",
            header="Mededeling",
            type=ColumnType.TEXT,
            width=30,
            help="De omschrijving bij de betaling op het bankafschrift.",
        ),
        Column(
            key="source",
            header="Bron",
            type=ColumnType.TEXT,
            width=12,
            help="Waar de betaling vandaan komt, bijvoorbeeld 'handmatig' of het bankbestand.",
        ),
        Column(
            key="bank_reference",
            header="Bankreferentie",
            type=ColumnType.CODE,
            width=20,
            help="De unieke referentie van de bank; voorkomt dubbel inlezen.",
        ),
        Column(
            key="payer_name",
            header="Naam betaler",
            type=ColumnType.TEXT,
            width=24,
            help="De naam van de rekeninghouder die betaalde (van het bankafschrift).",
        ),
        Column(
            key="payer_iban",
            header="IBAN betaler",
            type=ColumnType.CODE,
            width=22,
            help="De rekening waarvan betaald is; helpt bij het herkennen van latere betalingen.",
        ),
        Column(
            key="structured_reference",
            header="Gestructureerde mededeling",
            type=ColumnType.CODE,
            width=22,
            help="Het betalingskenmerk, de OGM of de RF-referentie van de betaling.",
        ),
        Column(
            key="status",
            header="Status",
            type=ColumnType.CHOICE,
            width=15,
            choices=PAYMENT_STATUSES,
            help="Gematcht of leeg: de betaling telt mee. 'Te controleren': nog niet aan een "
            "factuur gekoppeld (vul Klantnr of Factuurnr in en zet de status op Gematcht). "
            "'Teruggeboekt' en 'Storno': telt niet mee. 'Dubbel': dezelfde bijschrijving als een "
            "eerder ingelezen rij (een afschrift in twee formaten); telt niet mee. "
            "'Terugbetaling': geld dat u de klant terugstortte (een negatief bedrag, met Klantnr "
            "en zonder Factuurnr); gaat af van zijn tegoed. 'Geen klant': geld dat niet van een "
            "klant is (rente van de bank, een terugbetaling van een leverancier, een eigen "
            "storting); telt niet mee.",
        ),
        Column(
            key="reason",
            header="Reden",
            type=ColumnType.TEXT,
            width=40,
            help="Waarom de betaling bij deze factuur hoort (ingevuld bij het inlezen).",
        ),
        Column(
            key="candidates",
            header="Kandidaten",
            type=ColumnType.TEXT,
            width=24,
            help="Bij 'Te controleren': de facturen die in aanmerking komen.",
        ),
    ),
)

ACTIES = Sheet(
    name="Acties",
    table="tblActies",
    help="Logboek van elke brief, elk telefoontje, elke afspraak en overdracht. Alleen "
    "rijen toevoegen, niets weghalen.",
    columns=(
        Column(
            key="on",
            header="Tijdstip",
            type=ColumnType.DATETIME,
            required=True,
            width=16,
            help="Wanneer de actie plaatsvond; bij een brief: wanneer hij gemaakt is (de datum "
            "op de brief).",
        ),
        Column(
            key="debtor",
            header="Klantnr",
            type=ColumnType.CODE,
            required=True,
            width=11,
            aliases=("Klantnummer", "Klant nr"),
            choices_from="Klanten",
            help="Het klantnummer uit het werkblad Klanten.",
        ),
        Column(
            key="invoices",
            header="Facturen",
            type=ColumnType.LIST,
            width=22,
            help="De factuurnummers waar de actie over gaat, gescheiden door komma's.",
        ),
        Column(
            key="step",
            header="Actie",
            type=ColumnType.CHOICE,
            required=True,
            width=18,
            choices=tuple(s.value for s in Step),
            help="Wat er gebeurde: een brief (herinnering, 14-dagenbrief, ingebrekestelling, "
            "overdracht), een telefoontje, een betaalbelofte, een betwisting of een notitie.",
        ),
        Column(
            key="channel",
            header="Kanaal",
            type=ColumnType.CHOICE,
            width=12,
            choices=tuple(c.value for c in Channel),
            help="Hoe de brief verstuurd is; bepaalt wanneer hij als ontvangen geldt. Leeg: post.",
        ),
        Column(
            key="state",
            header="Status",
            type=ColumnType.CHOICE,
            width=12,
            choices=tuple(s.value for s in LetterState),
            help="Of de brief echt verstuurd is. concept: gemaakt, nog niet verstuurd (een "
            "e-mailconcept of een brief in het afdrukbestand); telt nergens voor mee. "
            "verzonden: verstuurd op 'Verzonden op' (leeg: op Tijdstip). mislukt: niet "
            "aangekomen (de reden staat bij Notitie). geannuleerd: u verstuurt hem niet. Leeg "
            "(een rij die u zelf typt): telt als verstuurd op Tijdstip. Alleen verstuurde brieven "
            "tellen voor termijnen, kosten, de volgende stap en de overdracht.",
        ),
        _date(
            "sent_on",
            "Verzonden op",
            "De dag waarop de brief echt de deur uit ging (gepost of verstuurd). De termijn van de "
            "brief telt vanaf deze dag. Vul hem in als u een concept later verstuurt, of gebruik "
            "'debiteuren verzonden'.",
        ),
        Column(
            key="tracking",
            header="Track & trace",
            type=ColumnType.CODE,
            width=18,
            help="Het track & trace-nummer van een aangetekende brief.",
        ),
        Column(
            key="file",
            header="Bestand",
            type=ColumnType.TEXT,
            width=30,
            help="Het bestand van de brief.",
        ),
        _money("amount_claimed", "Gevorderd bedrag", "Het totaal dat de brief vorderde."),
        _date("deadline", "Termijn tot", "De laatste dag van de termijn die de brief gaf."),
        _date(
            "received_on",
            "Ontvangen op",
            "De dag waarop de klant de brief aantoonbaar ontving (bijvoorbeeld volgens "
            "track & trace). Leeg: berekend uit verzenddatum en kanaal.",
        ),
        _date(
            "promised_on",
            "Beloofd op",
            "Bij een betaalbelofte: de dag waarop de klant beloofde te betalen.",
        ),
        Column(
            key="note",
            header="Notitie",
            type=ColumnType.TEXT,
            width=30,
            help="Wat er besproken of afgesproken is.",
        ),
    ),
)

REGELINGEN = Sheet(
    name="Regelingen",
    table="tblRegelingen",
    help="Betalingsregelingen: één rij per termijn.",
    columns=(
        Column(
            key="debtor",
            header="Klantnr",
            type=ColumnType.CODE,
            required=True,
            width=11,
            aliases=("Klantnummer", "Klant nr"),
            choices_from="Klanten",
            help="Het klantnummer uit het werkblad Klanten.",
        ),
        Column(
            key="number",
            header="Termijn",
            type=ColumnType.INTEGER,
            required=True,
            width=9,
            help="Het volgnummer van de termijn: 1, 2, 3, ...",
        ),
        _date(
            "due_date",
            "Vervaldatum",
            "De dag waarop deze termijn betaald moet zijn.",
            required=True,
        ),
        _money("amount", "Bedrag", "Het bedrag van deze termijn.", required=True),
    ),
)

INCASSO = Sheet(
    name="Incassobureaus",
    table="tblIncassobureaus",
    required=False,
    help="Incassobureaus en gerechtsdeurwaarders aan wie u overdraagt; 'overdracht --aan' "
    "noemt de Code of de Naam.",
    columns=(
        Column(
            key="code",
            header="Code",
            type=ColumnType.CODE,
            required=True,
            width=10,
            help="Een korte naam voor 'overdracht --aan', bijvoorbeeld NOORD.",
        ),
        Column(
            key="name",
            header="Naam",
            type=ColumnType.TEXT,
            required=True,
            width=32,
            help="De naam van het incassobureau of de gerechtsdeurwaarder, zoals op de brief.",
        ),
        Column(
            key="contact",
            header="Contactpersoon",
            type=ColumnType.TEXT,
            width=22,
            help="Ter attentie van.",
        ),
        Column(
            key="address",
            header="Adres",
            type=ColumnType.TEXT,
            required=True,
            width=28,
            help="Straat en huisnummer (of postbus).",
        ),
        Column(
            key="postcode",
            header="Postcode",
            type=ColumnType.CODE,
            required=True,
            width=10,
            help="Postcode.",
        ),
        Column(
            key="city",
            header="Plaats",
            type=ColumnType.TEXT,
            required=True,
            width=18,
            help="Plaats.",
        ),
        Column(
            key="country",
            header="Land",
            type=ColumnType.CHOICE,
            width=7,
            choices=("NL", "BE"),
            help="NL of BE. Leeg: NL.",
        ),
        Column(
            key="email",
            header="E-mail",
            type=ColumnType.TEXT,
            width=26,
            help="Het e-mailadres voor het dossier.",
        ),
    ),
)

INSTELLINGEN = Sheet(
    name="Instellingen",
    table="tblInstellingen",
    help="Uw bedrijfsgegevens en de keuzes die de wet open laat.",
    columns=(
        Column(
            key="label",
            header="Instelling",
            type=ColumnType.TEXT,
            required=True,
            width=44,
            help="De naam van de instelling; verander deze tekst niet.",
        ),
        Column(
            key="value",
            header="Waarde",
            type=ColumnType.TEXT,
            width=30,
            help="Uw keuze. Leeg: de standaardwaarde uit de toelichting.",
        ),
        Column(
            key="help",
            header="Toelichting",
            type=ColumnType.TEXT,
            width=100,
            help="Wat de instelling doet en welke keuze de wet open laat.",
        ),
    ),
)

#: Rate series, as in core/data/rates.csv.
RATE_SERIES: tuple[str, ...] = (
    "nl_wettelijke_rente",
    "nl_handelsrente",
    "be_handelsrente",
    "be_wettelijke_interest",
)

#: Rate series code -> its Dutch name on the Rentes sheet (``NL wettelijke rente``). Reading
#: accepts both.
RATE_SERIES_LABELS: dict[str, str] = {s.value: s.short_label for s in RateSeries}

#: Status of a rate row: code in rates.csv -> Dutch word in the workbook. "user" is a row the
#: user added (Status left empty or "eigen").
RATE_STATUS: dict[str, str] = {
    "official": "officieel",
    "secondary": "secundair",
    "derived": "afgeleid",
    "unconfirmed": "onbevestigd",
    "user": "eigen",
}

RENTES = Sheet(
    name="Rentes",
    table="tblRentes",
    required=False,
    help="De rentetabellen. Voeg een rij toe als er een nieuwe rente is; uw rij gaat voor.",
    columns=(
        Column(
            key="series",
            header="Soort",
            type=ColumnType.CHOICE,
            required=True,
            width=24,
            choices=tuple(RATE_SERIES_LABELS.values()),
            help="NL wettelijke rente (art. 6:119 BW), NL handelsrente (art. 6:119a BW), BE "
            "handelsrente (wet van 2 augustus 2002) of BE wettelijke interest (wet van 5 mei "
            "1865).",
        ),
        _date(
            "effective_from", "Ingangsdatum", "De eerste dag waarop de rente geldt.", required=True
        ),
        Column(
            key="rate",
            header="Percentage",
            type=ColumnType.PERCENT,
            required=True,
            width=12,
            help="De rente per jaar, bijvoorbeeld 10,50%.",
        ),
        Column(
            key="status",
            header="Status",
            type=ColumnType.CHOICE,
            width=12,
            choices=tuple(RATE_STATUS.values()),
            help="officieel: Staatsblad of Belgisch Staatsblad gezien; secundair: "
            "vakliteratuur; afgeleid: uit de wettelijke formule; onbevestigd: niet "
            "bevestigd; eigen: door u toegevoegd.",
        ),
        Column(
            key="source",
            header="Bron",
            type=ColumnType.TEXT,
            width=90,
            help="Waar de rente vandaan komt.",
        ),
    ),
)

OVERZICHT = Sheet(
    name="Overzicht",
    table="",
    required=False,
    help="Overzicht voor u en uw boekhouder; debiteuren vult het bij Bijwerken. Heeft een klant "
    "meer betaald dan al zijn facturen vragen (of crediteert een creditnota meer dan de "
    "factuur), dan staat dat tegoed boven de tabel per klant onder 'Tegoed: klanten die te "
    "veel betaalden': Klantnr, Naam en Tegoed, de eerste 100 klanten, het totaal van allemaal "
    "en wat u ermee doet: terugbetalen (en die terugbetaling op Betalingen zetten: het bedrag "
    "met een min, Status Terugbetaling), of verrekenen met een volgende factuur (bijwerken trekt "
    "het af van de volgende factuur die u voor die klant op Facturen zet). Zonder tegoed "
    "ontbreekt dat deel.",
)

SHEETS: tuple[Sheet, ...] = (
    FACTUREN,
    KLANTEN,
    BETALINGEN,
    ACTIES,
    REGELINGEN,
    INCASSO,
    INSTELLINGEN,
    RENTES,
    OVERZICHT,
)

_SHEETS_BY_NAME = {normalize_header(s.name): s for s in SHEETS}


def sheet_by_name(name: str) -> Sheet | None:
    """Return the declared sheet called ``name`` (case and spaces ignored), or None."""
    return _SHEETS_BY_NAME.get(normalize_header(name))


# --- Instellingen -------------------------------------------------------------------------------


class SettingTarget(StrEnum):
    """Which record a setting fills."""

    CREDITOR = "creditor"  # debiteuren.core.model.Creditor
    SETTINGS = "settings"  # debiteuren.core.model.Settings
    APP = "app"  # a program option outside the domain (e.g. the letter folder)


@dataclass(frozen=True, slots=True, kw_only=True)
class SettingField:
    """One labelled row of the Instellingen table.

    Attributes:
      label: the Dutch text in the Instelling column.
      target: the record the value goes to.
      field: the field name in that record.
      type: how the Waarde cell is read.
      default: the value the template writes (as a cell value); also used for an empty cell.
      choices: for CHOICE: (text shown in the workbook, value in the model) pairs.
      aliases: for CHOICE: more (text, value) pairs that are read but not offered in the
        cell's list: a former spelling, or the part of one that an older workbook's list
        offered.
      required: the Waarde may not be empty.
      help: Dutch explanation in the Toelichting column.
    """

    label: str
    target: SettingTarget
    field: str
    type: ColumnType
    default: object = None
    choices: tuple[tuple[str, object], ...] = ()
    aliases: tuple[tuple[str, object], ...] = ()
    required: bool = False
    help: str = ""


_C = SettingTarget.CREDITOR
_S = SettingTarget.SETTINGS

#: The Instellingen row that ``betalingen`` keeps up to date.
STATEMENT_READ_LABEL = "Laatste bankafschrift"

SETTINGS: tuple[SettingField, ...] = (
    # The creditor: the user's business.
    SettingField(
        label="Naam",
        target=_C,
        field="name",
        type=ColumnType.TEXT,
        required=True,
        help="De naam van uw bedrijf zoals die boven de brieven staat. Verplicht.",
    ),
    SettingField(
        label="Adres",
        target=_C,
        field="address",
        type=ColumnType.TEXT,
        help="Straat en huisnummer van uw bedrijf.",
    ),
    SettingField(
        label="Postcode",
        target=_C,
        field="postcode",
        type=ColumnType.CODE,
        help="De postcode van uw bedrijf.",
    ),
    SettingField(
        label="Plaats",
        target=_C,
        field="city",
        type=ColumnType.TEXT,
        help="De plaats van uw bedrijf.",
    ),
    SettingField(
        label="Land",
        target=_C,
        field="country",
        type=ColumnType.CHOICE,
        default="NL",
        choices=tuple((c.value, c) for c in Country),
        help="NL of BE: het land waar uw bedrijf gevestigd is.",
    ),
    SettingField(
        label="KvK/KBO-nummer",
        target=_C,
        field="registration",
        type=ColumnType.CODE,
        help="Nederland: uw KvK-nummer. België: uw ondernemingsnummer (KBO); dat moet "
        "op een herinnering aan een Belgische consument staan.",
    ),
    SettingField(
        label="Btw-nummer",
        target=_C,
        field="vat_number",
        type=ColumnType.CODE,
        help="Uw btw-identificatienummer, zoals op uw facturen.",
    ),
    SettingField(
        label="IBAN",
        target=_C,
        field="iban",
        type=ColumnType.CODE,
        help="Het rekeningnummer waarop klanten betalen; staat op elke brief en in de QR-code.",
    ),
    SettingField(
        label="BIC",
        target=_C,
        field="bic",
        type=ColumnType.CODE,
        help="De BIC van uw bank. Mag leeg blijven bij een Nederlandse of Belgische rekening.",
    ),
    SettingField(
        label="E-mail",
        target=_C,
        field="email",
        type=ColumnType.TEXT,
        help="Uw e-mailadres voor vragen van klanten; ook de afzender van e-mails.",
    ),
    SettingField(
        label="Telefoon",
        target=_C,
        field="phone",
        type=ColumnType.CODE,
        help="Het telefoonnummer waarop klanten u kunnen bellen; staat op de brieven.",
    ),
    SettingField(
        label="Website",
        target=_C,
        field="website",
        type=ColumnType.TEXT,
        help="Uw website; staat op de brieven. Mag leeg blijven.",
    ),
    SettingField(
        label="Ondertekenaar",
        target=_C,
        field="signatory",
        type=ColumnType.TEXT,
        help="De naam onder de brieven.",
    ),
    SettingField(
        label="Btw aftrekbaar",
        target=_C,
        field="vat_deductible",
        type=ColumnType.YES_NO,
        default=YES,
        help="Ja (standaard): u bent btw-ondernemer en kunt btw aftrekken. Nee: u kunt "
        "geen btw aftrekken (bijvoorbeeld een vrijgesteld beroep of de "
        "kleineondernemersregeling); dan wordt bij Nederlandse incassokosten btw "
        "opgeteld. Let op: of dat ook mag als u zelf incasseert, zonder "
        "incassobureau, is juridisch niet zeker.",
    ),
    SettingField(
        label="KMO",
        target=_C,
        field="is_sme",
        type=ColumnType.YES_NO,
        default=YES,
        help="Alleen België. Ja (standaard): uw bedrijf is een kleine of middelgrote "
        "onderneming (art. 1:24 WVV). Een KMO mag bij een Belgische consument de rente "
        "laten lopen vanaf het begin van de termijn van de eerste herinnering.",
    ),
    SettingField(
        label="Uitvoermap brieven",
        target=SettingTarget.APP,
        field="letter_folder",
        type=ColumnType.TEXT,
        help="De map waarin debiteuren de brieven opslaat. Leeg: de standaardmap naast "
        "dit werkboek.",
    ),
    # The choices the law leaves open (shared/domain ⚠ points), with the safe defaults.
    SettingField(
        label="Dagtelling rente",
        target=_S,
        field="day_count",
        type=ColumnType.CHOICE,
        default="365",
        choices=tuple((d.value, d) for d in DayCount),
        help="Hoe de rente per dag wordt berekend; de wet zegt het niet en er is geen "
        "uitspraak over. 365 (standaard): altijd delen door 365. werkelijk: in een "
        "schrikkeljaar delen door 366. rentejaar: delen door de lengte van het "
        "rentejaar (366 als daar 29 februari in valt). Het verschil is een paar cent.",
    ),
    SettingField(
        label="Verjaardag bij start op 29 februari",
        target=_S,
        field="feb29_anniversary",
        type=ColumnType.CHOICE,
        default="28 februari",
        choices=(("28 februari", Feb29Anniversary.FEB_28), ("1 maart", Feb29Anniversary.MAR_1)),
        help="Nederland: na elk jaar wordt de rente bij de hoofdsom opgeteld, op de "
        "verjaardag van de eerste rentedag. Begint de rente op 29 februari, dan valt "
        "die verjaardag in een gewoon jaar op 28 februari (standaard, zoals de "
        "gangbare rekenprogramma's) of op 1 maart. Geen wettelijke regel; het "
        "verschil is centen.",
    ),
    SettingField(
        label="NL consument: rente pas na 14-dagenbrief",
        target=_S,
        field="nl_consumer_interest_from_letter",
        type=ColumnType.YES_NO,
        default=NO,
        help="Nee (standaard): de wettelijke rente loopt vanaf de dag na de "
        "vervaldatum. Kies Ja als de betaaltermijn alleen op de factuur stond en niet "
        "vooraf is afgesproken (bijvoorbeeld in uw algemene voorwaarden): dan is de "
        "klant pas in verzuim na een ingebrekestelling. De eerste schriftelijke herinnering "
        "is dan de ingebrekestelling en zegt dat ook; de rente loopt vanaf de dag na haar "
        "termijn (14 dagen na ontvangst, of de latere datum in de brief). Een 14-dagenbrief "
        "telt pas voor de incassokosten als hij daarna is verstuurd; ging er toch eerst een "
        "14-dagenbrief, dan was die zelf de ingebrekestelling en stelt debiteuren een nieuwe "
        "voor.",
    ),
    SettingField(
        label="NL zakelijk: incassokosten",
        target=_S,
        field="nl_b2b_costs",
        type=ColumnType.CHOICE,
        default="40",
        choices=(("40", "40"), ("staffel", "staffel")),
        help="Een Nederlandse zakelijke klant die te laat betaalt, is per factuur "
        "minstens € 40 verschuldigd, zonder aanmaning. 40 (standaard): reken € 40 per "
        "factuur. staffel: reken de wettelijke staffel (15% over de eerste € 2.500 "
        "enzovoort, minstens € 40). Of de volle staffel vanzelf verschuldigd is of pas "
        "na incassowerk, is niet beslist; een rechter kan hoge kosten matigen.",
    ),
    SettingField(
        label="NL bezorgdagen post",
        target=_S,
        field="nl_postal_delivery_weekdays",
        type=ColumnType.WEEKDAYS,
        default="di, wo, do, vr, za",
        help="De dagen waarop gewone post in Nederland wordt bezorgd. Een 14-dagenbrief "
        "per post geldt als ontvangen op de eerstvolgende bezorgdag na verzending; de "
        "14 dagen beginnen de dag daarna. Pas dit aan als de bezorgdagen veranderen. "
        "Schrijf de dagen als ma, di, wo, do, vr, za, zo, gescheiden door komma's.",
    ),
    SettingField(
        label="Postbezorging buitenland (werkdagen)",
        target=_S,
        field="abroad_delivery_days",
        type=ColumnType.INTEGER,
        default=5,
        help="Na hoeveel werkdagen (ma t/m vr, zonder feestdagen van het land van bestemming) "
        "een brief per post aan een klant in het buitenland als ontvangen geldt, voor termijnen "
        "die bij ontvangst beginnen (de 14-dagenbrief) en voor het stuiten van de verjaring. "
        "Standaard 5: de EU-norm voor grensoverschrijdende post is bezorging binnen 3 "
        "werkdagen voor 85% en binnen 5 werkdagen voor 97% van de brieven (Postrichtlijn "
        "97/67/EG, bijlage II). 0: zoals in het land van het recht.",
    ),
    SettingField(
        label="NL consument: verjaring 2 jaar (koop)",
        target=_S,
        field="nl_consumer_goods_sale",
        type=ColumnType.YES_NO,
        default=YES,
        help="Ja (standaard, veilig): vorderingen op Nederlandse consumenten verjaren "
        "na 2 jaar, zoals bij de koop van spullen (art. 7:28 BW). Nee: u levert "
        "consumenten alleen diensten; dan geldt 5 jaar (art. 3:307 BW). Een aanmaning "
        "die de klant bereikt, stuit de verjaring.",
    ),
    SettingField(
        label="Creditnota met factuurnummer telt vanaf",
        target=_S,
        field="credit_note_from",
        type=ColumnType.CHOICE,
        default="factuur",
        choices=(("factuur", "factuur"), ("creditnota", "creditnota")),
        help="Een creditnota die in 'Crediteert factuur' een factuur noemt, verlaagt die "
        "factuur. factuur (standaard): vanaf het begin, alsof de factuur altijd het lagere "
        "bedrag had; rente en kosten worden dan ook over het lagere bedrag berekend. "
        "creditnota: pas vanaf de datum van de creditnota; tot die dag loopt de rente over "
        "het volle bedrag. De wet zegt het niet; kies wat bij de afspraak met de klant past.",
    ),
    SettingField(
        label="NL: e-mail stuit de verjaring",
        target=_S,
        field="nl_email_interrupts_limitation",
        type=ColumnType.YES_NO,
        default=NO,
        help="Of een aanmaning per e-mail de verjaring stuit. Daarover bestaat geen uitspraak "
        "van de Hoge Raad en u moet de ontvangst kunnen bewijzen; daarom telt standaard alleen "
        "een brief per post.",
    ),
    SettingField(
        label="BE consument: verjaring 1 jaar (koop)",
        target=_S,
        field="be_consumer_goods_sale",
        type=ColumnType.YES_NO,
        default=YES,
        help="Ja (standaard, veilig): u verkoopt goederen aan Belgische consumenten. Na 1 jaar "
        "geldt dan een vermoeden dat de klant betaald heeft (art. 2272 oud BW), tenzij hij de "
        "schuld schriftelijk erkende of gedagvaard is; debiteuren waarschuwt ruim vooraf. Nee: u "
        "levert alleen diensten; dan geldt de algemene termijn van 10 jaar.",
    ),
    SettingField(
        label="BE: zaterdag is werkdag",
        target=_S,
        field="be_saturday_is_working_day",
        type=ColumnType.YES_NO,
        default=NO,
        help="De termijn van een Belgische eerste herinnering per post begint op de "
        "derde werkdag na verzending. Of zaterdag een werkdag is, is niet duidelijk. "
        "Nee (standaard, veilig): zaterdag telt niet mee en de klant krijgt iets meer "
        "tijd.",
    ),
    SettingField(
        label="BE: termijn verlengen tot werkdag",
        target=_S,
        field="be_extend_term_to_working_day",
        type=ColumnType.YES_NO,
        default=YES,
        help="Ja (standaard, veilig): eindigt de termijn van een Belgische eerste "
        "herinnering op een zaterdag, zondag of feestdag, dan loopt hij door tot de "
        "volgende werkdag. De bronnen zeggen hier niets over. Nee: de termijn eindigt "
        "op de veertiende dag.",
    ),
    SettingField(
        label="BE zakelijk: schadebeding percentage",
        target=_S,
        field="be_b2b_clause_percent",
        type=ColumnType.PERCENT,
        help="Alleen als uw algemene voorwaarden een schadebeding hebben voor Belgische "
        "zakelijke klanten, bijvoorbeeld 10% van het factuurbedrag. Leeg: geen beding. "
        "Per factuur rekent debiteuren het hoogste van € 40 en het beding, niet beide "
        "samen (de wet zegt het niet). Een rechter kan een te hoog beding matigen.",
    ),
    SettingField(
        label="BE zakelijk: schadebeding minimum",
        target=_S,
        field="be_b2b_clause_minimum",
        type=ColumnType.MONEY,
        default=0,
        help="Het minimumbedrag uit uw schadebeding, bijvoorbeeld € 50. 0: geen minimum.",
    ),
    SettingField(
        label="BE zakelijk: schadebeding maximum",
        target=_S,
        field="be_b2b_clause_maximum",
        type=ColumnType.MONEY,
        help="Het maximumbedrag uit uw schadebeding. Leeg: geen maximum.",
    ),
    SettingField(
        label="BE consument: rentebeding",
        target=_S,
        field="be_consumer_interest_clause",
        type=ColumnType.PERCENT,
        help="De nalatigheidsrente per jaar die uw voorwaarden met Belgische consumenten "
        "vooraf afspreken. De wet begrenst die tot de rente voor handelstransacties; "
        "debiteuren past die grens per halfjaar toe. Leeg: geen geldig rentebeding.",
    ),
    SettingField(
        label="BE consument: forfaitbeding",
        target=_S,
        field="be_consumer_lump_sum_clause",
        type=ColumnType.YES_NO,
        default=NO,
        help="Ja: uw voorwaarden met consumenten spreken vooraf een forfaitaire "
        "schadevergoeding af. Dan rekent debiteuren na een onbetaalde eerste "
        "herinnering het wettelijke maximum van Boek XIX (€ 20 tot € 2.000, naar het "
        "openstaande bedrag). Nee (standaard): geen forfait.",
    ),
    SettingField(
        label="BE consument: zonder beding",
        target=_S,
        field="be_consumer_no_clause",
        type=ColumnType.CHOICE,
        default="niets",
        choices=(("niets", "niets"), ("wettelijke interest", "wettelijke_interest")),
        help="Wat een Belgische consument zonder geldig beding meer betaalt dan het "
        "factuurbedrag; de bronnen zijn het oneens. niets (standaard, veilig): alleen "
        "het factuurbedrag. wettelijke interest: de wettelijke interest na de eerste "
        "herinnering; een rechter kan die weigeren.",
    ),
    SettingField(
        label="BE consument: KMO-rente vanaf begin termijn",
        target=_S,
        field="be_consumer_sme_interest_from_term_start",
        type=ColumnType.YES_NO,
        default=YES,
        help="Geldt alleen als KMO op Ja staat en er een rentebeding is. Ja "
        "(standaard): de rente loopt vanaf het begin van de termijn van de eerste "
        "herinnering en is verschuldigd als de klant niet binnen de termijn betaalt. "
        "Nee: rente pas na afloop van de termijn. De juiste startdag is niet zeker.",
    ),
    SettingField(
        label="Btw-percentage op incassokosten",
        target=_S,
        field="vat_rate",
        type=ColumnType.PERCENT,
        default=0.21,
        required=True,
        help="Het btw-percentage dat bij Nederlandse incassokosten komt als Btw "
        "aftrekbaar op Nee staat.",
    ),
    SettingField(
        label="Herinnering na (dagen)",
        target=_S,
        field="reminder_after_days",
        type=ColumnType.INTEGER,
        default=7,
        help="Zoveel dagen na de vervaldatum komt de eerste herinnering.",
    ),
    SettingField(
        label="Telefoon na (dagen)",
        target=_S,
        field="call_after_days",
        type=ColumnType.INTEGER,
        default=10,
        help="Zoveel dagen na de herinnering staat bellen op de lijst (alleen als de klant "
        "een telefoonnummer heeft).",
    ),
    SettingField(
        label="Aanmaning na (dagen)",
        target=_S,
        field="demand_after_days",
        type=ColumnType.INTEGER,
        default=14,
        help="Zoveel dagen na de vorige actie (herinnering of telefoontje) komt de aanmaning "
        "(14-dagenbrief of ingebrekestelling); nooit voordat de termijn van de vorige brief "
        "voorbij is.",
    ),
    SettingField(
        label="Overdracht na (dagen)",
        target=_S,
        field="handover_after_days",
        type=ColumnType.INTEGER,
        default=14,
        help="Zoveel dagen na de aanmaning stelt debiteuren overdracht aan een incassobureau "
        "of deurwaarder voor; nooit voordat de termijn van de aanmaning voorbij is.",
    ),
    SettingField(
        label="Termijn in brieven (dagen)",
        target=_S,
        field="letter_term_days",
        type=ColumnType.INTEGER,
        default=14,
        help="De betaaltermijn die een brief geeft. Voor consumenten (NL en BE) is 14 "
        "dagen het wettelijke minimum.",
    ),
    SettingField(
        label="Restbedrag dat als betaald geldt",
        target=_S,
        field="small_balance",
        type=ColumnType.MONEY,
        default=5,
        help="Staat er na betaling minder open dan dit bedrag (bijvoorbeeld een paar cent rente "
        "van de dagen na de brief), dan geldt de factuur als betaald: geen brieven meer, en "
        "ook geen incassokosten of forfait voor een klant die binnen de termijn betaalde wat "
        "de brief vroeg.",
    ),
    SettingField(
        label="Bankafschrift maximaal oud (werkdagen)",
        target=_S,
        field="statement_max_age_days",
        type=ColumnType.INTEGER,
        default=3,
        help="Brieven die om betaling vragen worden pas gemaakt als het laatst ingelezen "
        "bankafschrift niet ouder is dan dit aantal werkdagen, zodat niemand die al betaalde "
        "een brief krijgt. Met --toch kunt u dit bewust overslaan.",
    ),
    SettingField(
        label=STATEMENT_READ_LABEL,
        target=SettingTarget.APP,
        field="statement_read",
        type=ColumnType.DATE,
        help="De datum van het laatst ingelezen bankafschrift, ook een afschrift zonder "
        "bijschrijvingen. Debiteuren vult dit zelf in bij Betalingen importeren; de "
        "brieven wachten op een afschrift dat niet ouder is dan de instelling hierboven.",
    ),
    SettingField(
        label="Andere eigen rekeningen (IBAN)",
        target=SettingTarget.APP,
        field="own_ibans",
        type=ColumnType.TEXT,
        help="Uw andere rekeningen waarvan u afschriften inleest (een tweede bank, een "
        "spaarrekening), gescheiden door komma's. Debiteuren waarschuwt als een afschrift "
        "van een rekening is die hier en bij IBAN niet staat.",
    ),
    SettingField(
        label="E-factuur: dagen einde maand",
        target=_S,
        field="einvoice_month_end",
        type=ColumnType.CHOICE,
        default="einde maand plus dagen",
        # No comma in a choice: Excel and LibreOffice split a cell's list at every comma, so
        # "dagen, dan einde maand" was offered as "dagen" and "dan einde maand", both refused,
        # and the value itself could not be typed (the list refuses what it does not offer).
        choices=(
            ("einde maand plus dagen", "einde maand plus dagen"),
            ("dagen dan einde maand", "dagen dan einde maand"),
        ),
        aliases=(
            ("dagen, dan einde maand", "dagen dan einde maand"),
            ("dan einde maand", "dagen dan einde maand"),
        ),
        help="Hoe 'facturen' de betalingsvoorwaarden '30 dagen einde maand' (fr. '30 jours fin "
        "de mois') leest in een e-factuur zonder vervaldatum. einde maand plus dagen "
        "(standaard): het einde van de maand van de factuurdatum plus 30 dagen (factuur van "
        "1-10 vervalt op 30-11). dagen dan einde maand: factuurdatum plus 30 dagen, dan het "
        "einde van die maand (factuur van 1-10 vervalt op 31-10). Beide lezingen komen voor; "
        "kies wat u met uw klanten afsprak.",
    ),
    # Sending e-mail; the password is never stored in the workbook.
    SettingField(
        label="SMTP-server",
        target=_S,
        field="smtp_host",
        type=ColumnType.TEXT,
        help="De uitgaande mailserver voor 'brieven --verstuur', bijvoorbeeld smtp.office365.com. "
        "Het wachtwoord staat nooit in het werkboek: zet het in de omgevingsvariabele "
        "DEBITEUREN_SMTP_WACHTWOORD of in de sleutelhanger van uw computer.",
    ),
    SettingField(
        label="SMTP-poort",
        target=_S,
        field="smtp_port",
        type=ColumnType.INTEGER,
        default=587,
        help="De poort van de mailserver: meestal 587 (met STARTTLS) of 465 (met SSL).",
    ),
    SettingField(
        label="SMTP-beveiliging",
        target=_S,
        field="smtp_security",
        type=ColumnType.CHOICE,
        default="STARTTLS",
        choices=(("STARTTLS", "starttls"), ("SSL", "ssl"), ("geen", "none")),
        help="STARTTLS (poort 587) of SSL (poort 465). 'geen' alleen voor een server in uw "
        "eigen netwerk.",
    ),
    SettingField(
        label="SMTP-gebruiker",
        target=_S,
        field="smtp_user",
        type=ColumnType.TEXT,
        help="De gebruikersnaam bij de mailserver; leeg als de server geen aanmelding vraagt.",
    ),
    SettingField(
        label="SMTP: aanmelden zonder versleuteling",
        target=_S,
        field="smtp_plain_login",
        type=ColumnType.YES_NO,
        default=NO,
        help="Nee (standaard): met SMTP-beveiliging 'geen' meldt debiteuren zich niet aan, "
        "want dan gaan gebruikersnaam en wachtwoord leesbaar over het netwerk. Ja alleen voor "
        "een mailserver in uw eigen, vertrouwde netwerk.",
    ),
    SettingField(
        label="Afzender e-mail",
        target=_S,
        field="smtp_sender",
        type=ColumnType.TEXT,
        help="Het adres waarvan de brieven vertrekken; leeg: het e-mailadres van uw bedrijf.",
    ),
)

_SETTINGS_BY_LABEL = {normalize_header(s.label): s for s in SETTINGS}


def setting_by_label(label: object) -> SettingField | None:
    """Return the setting whose label matches ``label`` (case and spaces ignored), or None."""
    if not isinstance(label, str):
        return None
    return _SETTINGS_BY_LABEL.get(normalize_header(label))


#: The Dutch words for a debtor's kind in the Soort column.
KIND_WORDS: dict[str, DebtorKind] = {
    "Consument": DebtorKind.CONSUMER,
    "Onderneming": DebtorKind.BUSINESS,
}

#: The Dutch names of a country accepted in a Land column besides its code.
COUNTRY_WORDS: dict[str, Country] = {
    "Nederland": Country.NL,
    "België": Country.BE,
    "Belgie": Country.BE,
}


def sheet(name: str) -> Sheet:
    """Return the declared sheet called ``name``; raise KeyError when there is none."""
    found = sheet_by_name(name)
    if found is None:
        raise KeyError(f"no declared sheet {name!r}")
    return found


# --- rows we write ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One row to append to a declared sheet: column key -> cell value.

    Build it with :meth:`Sheet.row` or a record builder (:func:`action_row`, :func:`plan_row`,
    :func:`payment_row`); every key is a declared column of ``sheet``.
    """

    sheet: Sheet
    values: Mapping[str, object]

    def __post_init__(self) -> None:
        for key in self.values:
            self.sheet.column(key)  # UnknownColumn for a key the sheet does not declare

    def __repr__(self) -> str:
        return f"Row({self.sheet.name}, {dict(self.values)!r})"


def cell_value(column: Column, value: object) -> object:
    """Return ``value`` as the cell of ``column`` holds it.

    An enum becomes its Dutch word, a list of codes ``"a, b"``, a truth value Ja or Nee;
    dates, amounts and texts stay what they are.

    >>> cell_value(ACTIES.column("invoices"), ("2026-0001", "2026-0002"))
    '2026-0001, 2026-0002'
    >>> cell_value(ACTIES.column("step"), Step.REMINDER)
    'herinnering'
    """
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if value is not None and not isinstance(value, str | int | float | Decimal | date):
        raise TypeError(f"{column.header}: cannot write {type(value).__name__}")
    return value


def action_row(action: Action) -> Row:
    """Return the Acties row of ``action``; fields at their empty default stay empty cells."""
    values: dict[str, object] = {
        "on": action.on,
        "debtor": action.debtor,
        "step": action.step,
        "channel": action.channel,
    }
    optional = {
        "invoices": action.invoices,
        "state": action.state,
        "sent_on": action.sent_on,
        "tracking": action.tracking,
        "file": action.file,
        "amount_claimed": action.amount_claimed or None,
        "deadline": action.deadline,
        "received_on": action.received_on,
        "promised_on": action.promised_on,
        "note": action.note,
    }
    values.update({key: v for key, v in optional.items() if v not in (None, "", ())})
    return ACTIES.row(**values)


def plan_row(instalment: PlanInstalment) -> Row:
    """Return the Regelingen row of one instalment of a payment plan."""
    return REGELINGEN.row(**{f.name: getattr(instalment, f.name) for f in fields(instalment)})


@quick_init  # 100,000 rows of a large statement (issue 17)
@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentRecord:
    """One Betalingen row as a bank statement import writes it (the field names are the
    column keys). ``amount`` is None for a payment in another currency (the user fills in the
    euro that was credited)."""

    on: date
    amount: Decimal | None
    debtor: str = ""
    invoice: str = ""
    text: str = ""
    source: str = ""
    bank_reference: str = ""
    payer_name: str = ""
    payer_iban: str = ""
    structured_reference: str = ""
    status: str = ""
    reason: str = ""
    candidates: str = ""


def payment_row(record: PaymentRecord) -> Row:
    """Return the Betalingen row of ``record``; empty fields stay empty cells."""
    values = {
        key: value
        for key, value in zip(_PAYMENT_KEYS, _payment_values(record), strict=True)
        if value or (value is not None and value != "")  # a zero amount is a value
    }
    for value in values.values():
        if not isinstance(value, _AS_THEY_ARE):
            return BETALINGEN.row(**values)
    return _declared_row(BETALINGEN, values)  # texts, amounts and dates are written as they are


#: The fields of a PaymentRecord, each the key of its Betalingen column.
_PAYMENT_KEYS = tuple(f.name for f in fields(PaymentRecord))
_payment_values = operator.attrgetter(*_PAYMENT_KEYS)
#: The values a cell holds as they are (:func:`cell_value` gives them back unchanged).
_AS_THEY_ARE = (str, Decimal, date)
for _key in _PAYMENT_KEYS:
    BETALINGEN.column(_key)  # every field is a declared column (UnknownColumn otherwise)
del _key


def _declared_row(sheet: Sheet, values: Mapping[str, object]) -> Row:
    """Return ``Row(sheet, values)`` for keys known to be declared columns of ``sheet``,
    without checking each key again (104,000 rows of a bank statement; issue 17)."""
    row = object.__new__(Row)
    object.__setattr__(row, "sheet", sheet)
    object.__setattr__(row, "values", values)
    return row
