"""The letter context, declared once: every block and field a letter template can use.

A template gets one context: a dict of blocks (``brief``, ``klant``, ``facturen`` …), each a
dict of fields or a list of rows. Each block is declared here as a frozen dataclass and each
field carries its Dutch meaning and an example (``described``). From this declaration come:

- :func:`known_fields`: the field paths a template may use, for ``debiteuren sjablonen
  controleren`` and the renderer's field check;
- :func:`template_data`: the plain dict a template receives (dataclasses become dicts, tuples
  become lists; templates never see an object);
- the field tables of ``letter_templates/README.md`` (``python -m tools.build_letter_templates``
  writes them, a test compares);
- the sample contexts (``letters/samples.py`` runs the real builder of ``letters/context.py``,
  one builder per block, on sample claims).

Amounts, dates and percentages are text, formatted in the letter's language; counts are whole
numbers; yes/no fields are booleans.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

__all__ = [
    "BookXixBlock",
    "CostLine",
    "CostsBlock",
    "CreditorBlock",
    "CustomerBlock",
    "Example",
    "FieldDoc",
    "HandoverAction",
    "HandoverBlock",
    "Instalment",
    "InterestBlock",
    "InterestPeriod",
    "InvoiceLine",
    "LetterBlock",
    "LetterContext",
    "LumpSumLine",
    "PaymentBlock",
    "PaymentsBlock",
    "PlanBlock",
    "Totals",
    "described",
    "field_docs",
    "known_fields",
    "template_data",
]

#: An example value for the README: a text, a number, yes/no, several texts, or none.
Example = str | int | bool | tuple[str, ...] | None


def described(meaning: str, example: Example = None, *, intro: str = "", outro: str = "") -> Any:
    """Declare a context field with its Dutch meaning and an example.

    Args:
      meaning: what the field holds, in Dutch, as the README's field table says it.
      example: a value the field takes (in a Dutch letter), or None for no example.
      intro, outro: for a block, the README's paragraphs before and after its table.
    """
    return field(metadata={"doc": (meaning, example, intro, outro)})


# --------------------------------------------------------------------------------------------
# The blocks
# --------------------------------------------------------------------------------------------

_FROZEN = {"frozen": True, "slots": True, "kw_only": True}


@dataclass(**_FROZEN)
class LetterBlock:
    """``brief``: the letter itself."""

    stap: str = described("de stap op de ladder (zoals in het blad Acties)", "14-dagenbrief")
    sjabloon: str = described("de naam van het sjabloon", "veertiendagenbrief")
    titel: str = described("de onderwerpregel", "Aanmaning en ingebrekestelling")
    aanhef: str = described("de aanhef, met komma", "Geachte heer, mevrouw,")
    datum: str = described("de datum van de brief", "14 april 2025")
    plaats: str = described("de plaats bij de datum", "Utrecht")
    kenmerk: str = described("ons kenmerk", "1042-20250414")
    termijn_dagen: int = described("de betaaltermijn in dagen (getal; 0 als er geen is)", 14)
    termijn_tot: str = described(
        "de laatste dag van de termijn, of leeg. **Leeg in de 14-dagenbrief** (zie onder)",
        "28 april 2025",
    )
    vorige_datum: str = described(
        "de datum van de vorige brief op de ladder, of leeg", "24 maart 2025"
    )
    taal: str = described("de taal van de brief", "nl")
    land: str = described("het land waarvan het recht geldt: `NL` of `BE`", "NL")
    kanaal: str = described(
        "hoe de brief wordt verstuurd: `post`, `aangetekend` of `e-mail`", "post"
    )
    regeling_vervallen: bool = described(
        "ja als een betalingsregeling is vervallen doordat een termijn niet (op tijd) is "
        "betaald; de brief zegt dat dan",
        False,
    )
    ingebrekestelling: bool = described(
        "ja als de brief de klant in gebreke stelt: een Nederlandse consument is dan pas in "
        "verzuim als hij ook binnen de termijn van deze brief niet betaalt (instelling 'NL "
        "consument: rente pas na 14-dagenbrief'); de herinnering zegt dat dan",
        False,
    )
    na_ingebrekestelling: bool = described(
        "ja als de klant in verzuim is doordat hij ook binnen de termijn van een eerdere brief "
        "die als ingebrekestelling gold niet betaalde, niet doordat de betaaltermijn verstreek "
        "(instelling 'NL consument: rente pas na 14-dagenbrief'); de 14-dagenbrief zegt dat dan",
        False,
    )
    stuit_verjaring: bool = described(
        "ja als de brief in Nederland de verjaring stuit (art. 3:317 BW); dan staat het "
        "voorbehoud van ons recht op betaling in de brief",
        True,
    )


@dataclass(**_FROZEN)
class CreditorBlock:
    """``schuldeiser``: the user's business."""

    naam: str = described("de naam", "Van Dijk Installatietechniek B.V.")
    adres: str = described("straat en huisnummer", "Kanaalweg 17")
    postcode: str = described("postcode", "3526 KL")
    plaats: str = described("plaats", "Utrecht")
    land: str = described("land, in de taal van de brief", "Nederland")
    registratie_label: str = described(
        "het soort inschrijving", ("KvK-nummer", "Ondernemingsnummer", "Numéro d'entreprise")
    )
    registratie: str = described("het KvK- of ondernemingsnummer", ("61234567", "0812.345.603"))
    btw_nummer: str = described("het btw-nummer, of leeg", "NL123456782B01")
    iban: str = described("het IBAN, in groepjes van vier", "NL91 ABNA 0417 1643 00")
    bic: str = described("de BIC, of leeg", "ABNANL2A")
    email: str = described("e-mailadres", "debiteuren@vandijk-installatie.nl")
    telefoon: str = described("telefoonnummer, of leeg", "030 123 45 67")
    website: str = described("website, of leeg", "www.vandijk-installatie.nl")
    ondertekenaar: str = described(
        "wie de brief ondertekent; zonder Ondertekenaar op Instellingen de naam van het bedrijf "
        "(dan staat de naam één keer onder de brief)",
        "Marieke van Dijk",
    )
    is_kmo: bool = described(
        "ja voor een kleine of middelgrote onderneming (Belgische regels)", True
    )


@dataclass(**_FROZEN)
class CustomerBlock:
    """``klant``: the customer (debtor)."""

    nummer: str = described("klantnummer", "1042")
    naam: str = described("naam", "Jansen & Zn <BV>")
    contactpersoon: str = described("contactpersoon, of leeg", "de heer P. Jansen")
    adres: str = described("straat en huisnummer", "Dorpsstraat 12")
    postcode: str = described("postcode", "3451 BC")
    plaats: str = described("plaats", "Utrecht")
    postcode_plaats: str = described(
        "postcode en plaats zoals het land van de klant ze op de envelop schrijft: meestal de "
        "postcode vóór de plaats; in het Verenigd Koninkrijk en Ierland de postcode op een "
        "eigen regel onder de plaats, in onder meer de Verenigde Staten en Letland erachter",
        "3451 BC  Utrecht",
    )
    land: str = described(
        "land voor op de envelop, in de taal van de brief (bijvoorbeeld België); leeg als de "
        "klant in hetzelfde land woont als u. De sjablonen zetten het in hoofdletters: "
        "`{{ klant.land|upper }}`"
    )
    landcode: str = described(
        "het land waar de klant woont, als landcode (ISO 3166, twee hoofdletters), ook als dat "
        "uw eigen land is: `{% if klant.landcode == 'BE' %}`",
        "NL",
    )
    adresblok: str = described(
        "het hele adres voor het venster van de envelop, regel onder regel: naam, t.a.v. "
        "contactpersoon, adres, postcode en plaats, en het land in hoofdletters als de klant "
        "in een ander land woont. Hoogstens 6 regels (PostNL, bpost): een regeleinde in een "
        "cel (Alt+Enter) is een eigen regel zolang er ruimte is, anders een komma; een regel "
        "langer dan 50 tekens loopt door op de volgende regel"
    )
    naam_regel: str = described(
        "de naam op één regel (een regeleinde wordt een spatie), ingekort tot 60 tekens met …: "
        "voor een smalle plek, zoals de kop van de volgende pagina's",
        "Jansen & Zn <BV>",
    )
    email: str = described("e-mailadres, of leeg", "administratie@jansenzn.nl")
    telefoon: str = described("telefoonnummer, of leeg", "030 987 65 43")
    is_consument: bool = described("ja voor een particulier, nee voor een onderneming", False)


@dataclass(**_FROZEN)
class InvoiceLine:
    """One row of ``facturen``: an invoice in the letter."""

    nummer: str = described("factuurnummer", "2025-0117")
    omschrijving: str = described(
        "omschrijving van de levering of dienst (op één regel, ten hoogste 300 tekens), of leeg",
        "Vervangen cv-ketel, Dorpsstraat 12",
    )
    factuurdatum: str = described("factuurdatum", "01-02-2025")
    vervaldatum: str = described("vervaldatum (laatste dag om op tijd te betalen)", "03-03-2025")
    dagen_te_laat: int = described("dagen na de vervaldatum (getal)", 42)
    hoofdsom: str = described("het factuurbedrag (inclusief btw)", "€ 3.025,00")
    betaald: str = described("wat er op de hoofdsom is betaald (hoofdsom − openstaand)", "€ 0,00")
    betaald_totaal: str = described(
        "alles wat er op de factuur is betaald, ook wat naar kosten en rente ging", "€ 0,00"
    )
    openstaand: str = described("wat er van de hoofdsom nog openstaat", "€ 3.025,00")
    rente: str = described(
        "de rente die nog openstaat tot en met de datum van de brief (na betalingen)", "€ 38,81"
    )
    kosten: str = described("de kosten die nog openstaan (na betalingen)", "€ 40,00")
    totaal: str = described("openstaand + rente + kosten", "€ 3.103,81")


@dataclass(**_FROZEN)
class InterestPeriod:
    """One row of ``renteperioden``: interest on one base at one rate."""

    factuur: str = described("factuurnummer", "2025-0117")
    van: str = described("eerste rentedag", "04-03-2025")
    tot: str = described("laatste rentedag (tot en met)", "14-04-2025")
    dagen: int = described("aantal dagen (getal)", 42)
    grondslag: str = described("het bedrag waarover de rente loopt", "€ 3.025,00")
    percentage: str = described("de rentevoet per jaar", "11,15%")
    rente: str = described(
        "de rente over deze periode, afgerond op centen (grondslag × rentevoet × dagen / 365)",
        "€ 38,81",
    )


@dataclass(**_FROZEN)
class Totals:
    """``totaal``: the sums over the invoices of the letter."""

    hoofdsom: str = described("totaal van de factuurbedragen", "€ 3.630,00")
    betaald: str = described("totaal betaald op de hoofdsom", "€ 105,00")
    betaald_totaal: str = described("totaal van alle betalingen op deze facturen", "€ 105,00")
    openstaand: str = described("totaal openstaande hoofdsom", "€ 3.525,00")
    rente: str = described("de rente die nog openstaat", "€ 43,09")
    kosten: str = described("de kosten die nog openstaan", "€ 80,00")
    totaal: str = described("wat de klant nu moet betalen", "€ 3.648,09")


@dataclass(**_FROZEN)
class PaymentsBlock:
    """``betalingen``: where the payments went."""

    naar_rente_en_kosten: bool = described(
        "ja als een deel van de betalingen eerst naar kosten en rente ging; dan toont de brief "
        "een regel onder de tabel",
        False,
    )
    totaal: str = described("alle betalingen op deze facturen", "€ 105,00")
    rente_en_kosten: str = described("het deel dat naar kosten en rente ging", "€ 0,00")


@dataclass(**_FROZEN)
class InterestBlock:
    """``rente``: the interest charged."""

    van_toepassing: bool = described(
        "ja als er rente wordt gerekend; dan staan de rentetekst en -tabel in de brief", True
    )
    omschrijving: str = described(
        "welke rente, met de wettelijke grondslag en met lidwoord (Frans: `l'intérêt légal (…)`; "
        "Duits: een meervoud zonder lidwoord, `gesetzliche Zinsen nach Artikel 6:119 …`)",
        "de wettelijke handelsrente (artikel 6:119a BW)",
    )
    dagtelling: str = described("hoe de dagen worden geteld", "werkelijke dagen/365")
    percentage: str = described("de rentevoet van nu, per jaar", "11,15%")
    vanaf: str = described(
        'vanaf wanneer; past achter "vanaf" (Frans: achter "à compter du", dus zonder eigen '
        '"du": `lendemain de l\'échéance…`; Engels: achter "from"; Duits: achter "ab dem")',
        ("de dag na de vervaldatum van elke factuur", "08/10/2025"),
    )
    totaal: str = described(
        "alle rente over de perioden in de tabel (het totaal onder de rentetabel)", "€ 43,09"
    )
    deels_betaald: bool = described("ja als een deel van die rente al betaald is", False)
    betaald: str = described("het deel van de rente dat al betaald is", "€ 0,00")
    open: str = described("de rente die nog openstaat (gelijk aan `totaal.rente`)", "€ 43,09")
    afronding: bool = described(
        "ja als de optelling van de afgeronde regels afwijkt van het totaal (het totaal wordt "
        "over de onafgeronde bedragen berekend, per jaar)",
        False,
    )
    afronding_bedrag: str = described("dat verschil (bijvoorbeeld € 0,01)")


@dataclass(**_FROZEN)
class CostLine:
    """One row of ``kosten.per_factuur_bedragen``."""

    factuur: str = described("factuurnummer", "2025-0117")
    bedrag: str = described("de kosten van die factuur", "€ 40,00")


@dataclass(**_FROZEN)
class CostsBlock:
    """``kosten``: the collection costs or damages in the letter."""

    van_toepassing: bool = described("ja als er kosten in de brief staan", True)
    bedrag: str = described(
        "het bedrag, inclusief btw als die erbij komt. In de **14-dagenbrief** is dit het "
        "bedrag dat verschuldigd wordt als de klant niet op tijd betaalt; het zit dan nog niet "
        "in `totaal`",
        "€ 263,18",
    )
    omschrijving: str = described(
        'de wettelijke grondslag; past achter "op grond van" (Frans: achter "en vertu de", dus '
        'beginnend met `l\'article` of `la loi`, nooit met "de" of "du"; Engels: "under"; Duits: '
        'achter "gemäß", een datief: `Artikel 6:96 …` of `dem belgischen Gesetz …`)',
        "artikel 6:96 lid 4 BW (ten minste € 40 per factuur)",
    )
    inclusief_btw: bool = described(
        "ja als er btw bij de kosten komt omdat u de btw niet kunt verrekenen", False
    )
    btw_bedrag: str = described("de btw in `kosten.bedrag`", "€ 45,68")
    per_factuur: bool = described(
        "ja als de kosten per factuur zijn berekend (€ 40 per factuur)", True
    )
    per_factuur_bedragen: tuple[CostLine, ...] = described(
        "de openstaande kosten per factuur, een lijst; de brieven noemen ze als het er meer "
        "dan één zijn"
    )


@dataclass(**_FROZEN)
class PaymentBlock:
    """``betaling``: how to pay."""

    bedrag: str = described(
        "het te betalen bedrag (bij een regeling: de eerste termijn)", "€ 3.648,09"
    )
    iban: str = described("uw IBAN", "NL91 ABNA 0417 1643 00")
    bic: str = described("uw BIC, of leeg", "ABNANL2A")
    kenmerk: str = described(
        "het kenmerk dat de klant bij de betaling vermeldt",
        ("1000 0000 2025 0117", "+++002/0250/31109+++"),
    )
    kenmerk_soort: str = described(
        "het soort kenmerk, in de taal van de brief",
        ("betalingskenmerk", "gestructureerde mededeling"),
    )
    #: Empty here; the renderer puts the QR image in its place (``render_letter(qr_png=…)``).
    qr: str = described("de betaal-QR-code (afbeelding), of leeg als er geen is")


@dataclass(**_FROZEN)
class LumpSumLine:
    """One row of ``xix.forfait_per_factuur``."""

    factuur: str = described("factuurnummer", "2025-0311")
    bedrag: str = described("het forfait van die factuur", "€ 90,00")


@dataclass(**_FROZEN)
class BookXixBlock:
    """``xix``: Book XIX of the Belgian Code of Economic Law; empty unless it applies."""

    forfait: str = described(
        "de forfaitaire schadevergoeding die verschuldigd wordt, of leeg als uw voorwaarden er "
        "geen hebben",
        "€ 90,00",
    )
    forfait_per_factuur: tuple[LumpSumLine, ...] = described(
        "het forfait per factuur, een lijst (het wettelijke maximum geldt per factuur); de brief "
        "noemt ze als het er meer dan één zijn"
    )
    rente_percentage: str = described("de nalatigheidsinterest per jaar, of leeg", "10,50%")
    rente_vanaf: str = described("vanaf wanneer die interest loopt", "8 oktober 2025")
    laatste_dag: str = described(
        "de laatste dag van de termijn van de eerste herinnering", "21 oktober 2025"
    )
    kosteloos: bool = described(
        "ja als de herinnering kosteloos is (de eerste herinnering altijd)", True
    )
    heeft_forfait: bool = described(
        "ja als uw voorwaarden een forfaitaire schadevergoeding bevatten", True
    )
    heeft_rente: bool = described("ja als uw voorwaarden nalatigheidsinterest bevatten", True)
    rente_beding: bool = described(
        "ja als die interest in uw voorwaarden staat (een rentebeding); nee als het de "
        "wettelijke interest is (instelling 'BE consument: zonder beding')",
        True,
    )


@dataclass(**_FROZEN)
class Instalment:
    """One row of ``regeling.termijnen``."""

    nummer: int = described("volgnummer (getal)", 1)
    vervaldatum: str = described("uiterste betaaldatum", "15-04-2025")
    bedrag: str = described("bedrag", "€ 575,71")


@dataclass(**_FROZEN)
class PlanBlock:
    """``regeling``: the payment plan; empty unless the letter confirms one."""

    termijnen: tuple[Instalment, ...] = described(
        "de termijnen, een lijst (`{%tr for t in regeling.termijnen %}`)"
    )
    totaal: str = described("het totaal van de regeling", "€ 1.727,14")


@dataclass(**_FROZEN)
class HandoverAction:
    """One row of ``overdracht.acties``."""

    datum: str = described("datum", "14-04-2025")
    omschrijving: str = described(
        "wat er is gebeurd", "Aanmaning en ingebrekestelling verstuurd (aangetekend)"
    )


@dataclass(**_FROZEN)
class HandoverBlock:
    """``overdracht``: to whom the claim is handed over; empty unless it is."""

    aan: str = described(
        "incassobureau, gerechtsdeurwaarder of advocaat", "Gerechtsdeurwaarders Bakker & Visser"
    )
    contactpersoon: str = described("contactpersoon, of leeg", "mr. L. Visser")
    adres: str = described("straat en huisnummer", "Catharijnesingel 50")
    postcode: str = described("postcode", "3511 GC")
    plaats: str = described("plaats", "Utrecht")
    land: str = described("land voor op de envelop, of leeg")
    adresblok: str = described(
        "het hele adres voor het venster van de envelop, regel onder regel, zoals `klant.adresblok`"
    )
    dossier: str = described("uw dossiernummer", "1042-20250512")
    bijlagen: str = described(
        "de zin over wat is bijgevoegd: alleen de facturen waarvan een kopie (Factuur-pdf) in "
        "het dossier zit, en de verstuurde brieven",
        "Kopieën van de facturen en van de verstuurde brieven zijn bijgevoegd.",
    )
    acties: tuple[HandoverAction, ...] = described(
        "de verstuurde brieven en andere acties, een lijst (`{%tr for a in overdracht.acties %}`)"
    )


@dataclass(**_FROZEN)
class LetterContext:
    """The whole context of one letter: every block, in every letter."""

    brief: LetterBlock = described("de brief zelf")
    schuldeiser: CreditorBlock = described("uw bedrijf")
    klant: CustomerBlock = described("de klant (schuldenaar)")
    facturen: tuple[InvoiceLine, ...] = described(
        "een lijst, één regel per factuur",
        intro="Gebruik in een lus: `{%tr for f in facturen %}` … `{{ f.nummer }}` … "
        "`{%tr endfor %}`.",
        outro="De kolommen betekenen overal hetzelfde als de tekst van de brief: wat nog "
        "openstaat nadat de betalingen zijn verrekend (eerst kosten, dan rente, dan hoofdsom). "
        "Zo tellen ze op: hoofdsom − betaald + rente + kosten = totaal.",
    )
    renteperioden: tuple[InterestPeriod, ...] = described(
        "een lijst, één regel per renteperiode",
        intro="Een factuur heeft meer perioden als de rentevoet tussendoor verandert of als de "
        "rente na een jaar bij de hoofdsom wordt opgeteld. In een lus: "
        "`{%tr for r in renteperioden %}`.",
    )
    totaal: Totals = described("de optelling van alle facturen")
    betalingen: PaymentsBlock = described("waar de betalingen heen gingen")
    rente: InterestBlock = described("de rente die wordt gerekend")
    kosten: CostsBlock = described("de incasso- of invorderingskosten")
    betaling: PaymentBlock = described("de betaalgegevens")
    xix: BookXixBlock = described("Boek XIX WER (alleen gevuld voor een Belgische consument)")
    regeling: PlanBlock = described("de betalingsregeling")
    overdracht: HandoverBlock = described("aan wie de vordering wordt overgedragen")


# --------------------------------------------------------------------------------------------
# What the declaration gives
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldDoc:
    """One field of the context as the README documents it.

    Attributes:
      path: the dotted path (``klant.naam``; a list's rows share the list's path:
        ``facturen.nummer``).
      meaning, example, intro, outro: as declared with :func:`described`.
      block: True for a block of the context (``brief``, ``facturen``): a README section.
    """

    path: str
    meaning: str
    example: Example
    intro: str = ""
    outro: str = ""
    block: bool = False


def _row_type(hint: Any) -> Any:
    """Return the dataclass a field holds, directly or as the rows of a tuple; else None."""
    if typing.get_origin(hint) is tuple:
        hint = typing.get_args(hint)[0]
    return hint if dataclasses.is_dataclass(hint) else None


def _walk(cls: type, prefix: str) -> Iterator[FieldDoc]:
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        path = f"{prefix}.{f.name}" if prefix else f.name
        meaning, example, intro, outro = f.metadata["doc"]
        yield FieldDoc(path, meaning, example, intro, outro, block=not prefix)
        inner = _row_type(hints[f.name])
        if inner is not None:
            yield from _walk(inner, path)


@cache
def field_docs() -> tuple[FieldDoc, ...]:
    """Return every field of the letter context in declaration order, blocks included."""
    return tuple(_walk(LetterContext, ""))


def known_fields() -> set[str]:
    """Return the field paths a template may use: ``klant``, ``klant.naam``, ``facturen.nummer``.

    >>> {"brief.kenmerk", "facturen.nummer", "kosten.per_factuur_bedragen.bedrag"} <= known_fields()
    True
    """
    return {doc.path for doc in field_docs()}


def template_data(value: Any) -> Any:
    """Return ``value`` as a template receives it: dataclasses as dicts, tuples as lists.

    Text, numbers and truth values stay as they are; the result holds no object a template
    could call.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: template_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [template_data(item) for item in value]
    if isinstance(value, dict):
        return {key: template_data(item) for key, item in value.items()}
    return value
