"""The example workbook behind ``debiteuren demo``: 12 customers, about 40 invoices.

The customers cover every regime and situation: NL and BE, consumers and businesses, paid,
partly paid, a few days, months and years late, disputed, paused, in a payment plan, a promise to
pay, letters already sent. The peildatum is fixed, so the demo gives the same figures every time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.workbook import Workbook

from .filenames import inside, safe_name
from .workbook import schema
from .workbook.files import atomic_write
from .workbook.write import append_table_rows, set_settings

__all__ = [
    "AGENCY",
    "DEMO_AS_OF",
    "EINVOICES",
    "STATEMENTS",
    "einvoice_xml",
    "fill_demo",
    "statement_xml",
    "write_einvoices",
    "write_statement",
]

DEMO_AS_OF = date(2026, 10, 15)

CREDITOR = {
    "Naam": "Drukkerij De Letterzetter B.V.",
    "Adres": "Oudegracht 112",
    "Postcode": "3511 AX",
    "Plaats": "Utrecht",
    "Land": "NL",
    "KvK/KBO-nummer": "30123456",
    "Btw-nummer": "NL812345678B01",
    "IBAN": "NL91ABNA0417164300",
    "BIC": "ABNANL2A",
    "E-mail": "debiteuren@letterzetter.nl",
    "Telefoon": "030 123 45 67",
    "Website": "www.letterzetter.nl",
    "Ondertekenaar": "Anna de Wit, financiële administratie",
    "BE consument: rentebeding": "10",
    "BE consument: forfaitbeding": "Ja",
}

CUSTOMERS = [
    # number, name, contact, address, postcode, city, country, kind, email, phone, language, reg
    (
        "K001",
        "Jansen & Zn <BV>",
        "Piet Jansen",
        "Keizersgracht 10",
        "1015 CN",
        "Amsterdam",
        "NL",
        "Onderneming",
        "administratie@jansen-zn.nl",
        "020 555 01 01",
        "nl",
        "12345678",
    ),
    (
        "K002",
        "Petra de Vries",
        "",
        "Lindelaan 4",
        "3571 AB",
        "Utrecht",
        "NL",
        "Consument",
        "petra.devries@example.nl",
        "06 1234 5678",
        "nl",
        "",
    ),
    (
        "K003",
        "Bouwbedrijf Van Dam B.V.",
        "Karel van Dam",
        "Industrieweg 77",
        "2712 LB",
        "Zoetermeer",
        "NL",
        "Onderneming",
        "crediteuren@vandam-bouw.nl",
        "079 222 33 44",
        "nl",
        "27123456",
    ),
    (
        "K004",
        "Michael O'Brien",
        "",
        "Parkstraat 9",
        "2514 JG",
        "Den Haag",
        "NL",
        "Consument",
        "m.obrien@example.com",
        "",
        "en",
        "",
    ),
    (
        "K005",
        "Familie Bakker",
        "Sanne Bakker",
        "Dorpsstraat 21",
        "1741 BE",
        "Schagen",
        "NL",
        "Consument",
        "",
        "06 8765 4321",
        "nl",
        "",
    ),
    (
        "K006",
        "Hotel De Zwaan",
        "Receptie",
        "Markt 1",
        "5611 EB",
        "Eindhoven",
        "NL",
        "Onderneming",
        "boekhouding@hoteldezwaan.nl",
        "040 244 55 66",
        "nl",
        "17012345",
    ),
    (
        "K007",
        "Ça va Café BV",
        "Sophie Lambert",
        "Grote Markt 5",
        "1000",
        "Brussel",
        "BE",
        "Onderneming",
        "compta@cavacafe.be",
        "+32 2 511 22 33",
        "fr",
        "0403.170.701",
    ),
    (
        "K008",
        "Els Peeters",
        "",
        "Kerkstraat 14",
        "2000",
        "Antwerpen",
        "BE",
        "Consument",
        "els.peeters@example.be",
        "",
        "nl",
        "",
    ),
    (
        "K009",
        "Garage Van den Broeck NV",
        "Tom Van den Broeck",
        "Steenweg 200",
        "9000",
        "Gent",
        "BE",
        "Onderneming",
        "boekhouding@garagevdb.be",
        "+32 9 222 11 00",
        "nl",
        "0202.239.951",
    ),
    (
        "K010",
        "Jean Dupont",
        "",
        "Rue de la Station 3",
        "4000",
        "Liège",
        "BE",
        "Consument",
        "jean.dupont@example.be",
        "+32 470 12 34 56",
        "fr",
        "",
    ),
    (
        "K011",
        "Webwinkel Noord B.V.",
        "Lisa Mulder",
        "Zuiderdiep 50",
        "9711 HJ",
        "Groningen",
        "NL",
        "Onderneming",
        "facturen@webwinkelnoord.nl",
        "",
        "nl",
        "01234567",
    ),
    (
        "K012",
        "Antwerp Logistics NV",
        "Finance department",
        "Havenlaan 99",
        "2030",
        "Antwerpen",
        "BE",
        "Onderneming",
        "ap@antwerplogistics.be",
        "+32 3 333 44 55",
        "en",
        "0417.497.106",
    ),
]

# invoice number, customer, invoice date, term (days), amount, description, extra
INVOICES = [
    (
        "2023-0041",
        "K003",
        date(2023, 3, 15),
        30,
        "18450.00",
        "Drukwerk brochures project Meerzicht",
        {},
    ),
    ("2024-0107", "K012", date(2024, 5, 2), 30, "7260.00", "Verpakkingsdrukwerk Q2", {}),
    ("2025-0012", "K001", date(2025, 1, 20), 30, "1210.00", "Visitekaartjes en briefpapier", {}),
    ("2025-0088", "K003", date(2025, 6, 10), 30, "4235.00", "Bouwborden", {}),
    ("2025-0150", "K009", date(2025, 11, 5), 30, "2420.00", "Werkplaatsborden", {}),
    ("2026-0003", "K006", date(2026, 1, 12), 14, "968.00", "Menukaarten", {}),
    ("2026-0011", "K001", date(2026, 2, 2), 30, "605.00", "Flyers voorjaarsactie", {}),
    ("2026-0019", "K007", date(2026, 2, 20), 30, "1815.00", "Affiches en menukaarten", {}),
    ("2026-0024", "K002", date(2026, 3, 3), 14, "450.00", "Trouwkaarten", {}),
    (
        "2026-0031",
        "K004",
        date(2026, 3, 20),
        14,
        "325.00",
        "Fotoboek",
        {"disputed": True, "note": "Klant zegt dat de kleuren afwijken"},
    ),
    ("2026-0035", "K012", date(2026, 4, 1), 30, "3630.00", "Etiketten", {}),
    ("2026-0040", "K005", date(2026, 4, 7), 14, "1250.00", "Geboortekaartjes en fotowand", {}),
    ("2026-0046", "K008", date(2026, 4, 15), 14, "380.00", "Uitnodigingen communie", {}),
    ("2026-0052", "K009", date(2026, 5, 4), 30, "1089.00", "Stickers", {}),
    ("2026-0057", "K003", date(2026, 5, 12), 30, "9680.00", "Drukwerk opleveringsmappen", {}),
    ("2026-0061", "K010", date(2026, 5, 19), 14, "240.00", "Faire-parts", {}),
    ("2026-0066", "K006", date(2026, 6, 1), 14, "2178.00", "Gastenmappen", {}),
    ("2026-0070", "K007", date(2026, 6, 8), 30, "726.00", "Kassabonnen bedrukt", {}),
    ("2026-0073", "K001", date(2026, 6, 15), 30, "2904.00", "Catalogus", {}),
    ("2026-0077", "K002", date(2026, 6, 22), 14, "180.00", "Bedankkaarten", {}),
    ("2026-0081", "K011", date(2026, 7, 1), 30, "4840.00", "Verzenddozen bedrukt", {}),
    ("2026-0084", "K008", date(2026, 7, 6), 14, "95.00", "Naamkaartjes", {}),
    ("2026-0088", "K012", date(2026, 7, 13), 30, "12100.00", "Palletlabels jaarcontract", {}),
    ("2026-0091", "K005", date(2026, 7, 20), 14, "640.00", "Fotoafdrukken", {}),
    ("2026-0095", "K009", date(2026, 8, 3), 30, "3025.00", "Showroomdisplays", {}),
    ("2026-0098", "K010", date(2026, 8, 10), 14, "150.00", "Cartes de visite", {}),
    ("2026-0101", "K006", date(2026, 8, 17), 14, "1452.00", "Menukaarten najaar", {}),
    (
        "2026-0104",
        "K011",
        date(2026, 8, 24),
        30,
        "1936.00",
        "Retourlabels",
        {"paused_until": date(2026, 10, 31), "note": "Afspraak: betaling na hun inventarisatie"},
    ),
    ("2026-0107", "K001", date(2026, 9, 1), 30, "847.00", "Jubileumkaarten", {}),
    ("2026-0110", "K003", date(2026, 9, 7), 30, "6050.00", "Bouwtekeningen plotten", {}),
    ("2026-0113", "K007", date(2026, 9, 14), 30, "544.50", "Flyers terras", {}),
    ("2026-0116", "K004", date(2026, 9, 16), 14, "89.00", "Kalender", {}),
    ("2026-0119", "K002", date(2026, 9, 21), 14, "265.00", "Fotokaarten", {}),
    ("2026-0122", "K009", date(2026, 9, 28), 30, "1331.00", "Werkorders drukwerk", {}),
    ("2026-0125", "K012", date(2026, 10, 1), 30, "2420.00", "Vrachtbrieven", {}),
    ("2026-0128", "K006", date(2026, 10, 5), 14, "363.00", "Roomservicekaarten", {}),
    ("2026-0130", "K011", date(2026, 10, 7), 30, "1210.00", "Pakbonnen", {}),
    ("2026-0132", "K008", date(2026, 10, 8), 14, "60.00", "Kaartjes", {}),
    (
        "2026-0134",
        "K001",
        date(2026, 10, 12),
        30,
        "-121.00",
        "Creditnota op 2026-0011 (misdruk)",
        {"credit": True, "credits": "2026-0011"},
    ),
    ("2026-0135", "K010", date(2026, 10, 13), 14, "75.00", "Enveloppen", {}),
]

PAYMENTS = [
    # date, amount, customer, invoice, text
    (date(2025, 2, 18), "1210.00", "K001", "2025-0012", "Factuur 2025-0012"),
    (date(2026, 1, 23), "968.00", "K006", "2026-0003", "2026-0003"),
    (date(2026, 6, 29), "2178.00", "K006", "2026-0066", "fact 2026-0066"),
    (date(2026, 8, 31), "1452.00", "K006", "2026-0101", "2026-0101 menukaarten"),
    (date(2026, 4, 20), "200.00", "K002", "2026-0024", "deel trouwkaarten"),
    (date(2026, 5, 5), "250.00", "K005", "", "termijn 1"),
    (date(2026, 6, 5), "250.00", "K005", "", "termijn 2"),
    (date(2026, 7, 3), "250.00", "K005", "", "termijn 3"),
    (date(2026, 8, 5), "250.00", "K005", "", "termijn 4"),
    (date(2026, 9, 4), "250.00", "K005", "", "termijn 5"),
    (date(2026, 10, 5), "250.00", "K005", "", "termijn 6"),
    (date(2026, 1, 15), "1000.00", "K009", "2025-0150", "voorschot werkplaatsborden"),
    (date(2026, 7, 10), "1089.00", "K009", "2026-0052", "Factuur 2026/52 stickers"),
    (date(2026, 3, 2), "2000.00", "K003", "2025-0088", "Betaling deel bouwborden"),
    (date(2026, 8, 20), "600.00", "K007", "2026-0019", "Facture 2026-0019 acompte"),
    (date(2026, 10, 9), "363.00", "K006", "2026-0128", "kamerkaarten"),
]

ACTIONS = [
    # date, customer, invoices, step, channel, note, extra
    (date(2026, 4, 14), "K002", "2026-0024", "herinnering", "e-mail", "", {}),
    (date(2026, 5, 4), "K002", "2026-0024", "14-dagenbrief", "post", "", {}),
    (date(2026, 8, 1), "K008", "2026-0046", "eerste herinnering", "post", "", {}),
    (date(2026, 4, 10), "K012", "2024-0107", "herinnering", "e-mail", "", {}),
    (
        date(2026, 5, 20),
        "K012",
        "2024-0107",
        "ingebrekestelling",
        "aangetekend",
        "",
        {"tracking": "3SDEVC123456789"},
    ),
    (date(2026, 9, 20), "K001", "2026-0073", "herinnering", "e-mail", "", {}),
    (
        date(2026, 9, 30),
        "K001",
        "2026-0073",
        "betaalbelofte",
        "telefoon",
        "Belooft te betalen na ontvangst van een grote order",
        {"promised_on": date(2026, 10, 10)},
    ),
    (
        date(2026, 5, 1),
        "K005",
        "2026-0040",
        "regeling",
        "telefoon",
        "Betalingsregeling 6 x € 250 afgesproken",
        {},
    ),
    (
        date(2026, 4, 2),
        "K004",
        "2026-0031",
        "betwisting",
        "e-mail",
        "Kleuren wijken af van de proef; herdruk besproken",
        {},
    ),
    # On the demo date these make a 14-dagenbrief due (K002: reminder, then a call) and an
    # ingebrekestelling (K011: a business without a phone number, reminded a month ago).
    (date(2026, 8, 20), "K002", "2026-0077", "herinnering", "e-mail", "", {}),
    (
        date(2026, 9, 10),
        "K002",
        "2026-0077",
        "telefoon",
        "telefoon",
        "Belt terug na de vakantie; nog niet betaald",
        {},
    ),
    (date(2026, 9, 10), "K011", "2026-0081", "herinnering", "e-mail", "", {}),
]

#: The Aanhef (salutation) of a few customers; the others get the neutral one.
SALUTATIONS = {
    "K002": "Geachte mevrouw De Vries",
    "K004": "Dear Mr O'Brien",
    "K007": "Madame Lambert",
}

PLAN = [("K005", n, date(2026, 4 + n, 5), "250.00") for n in range(1, 7)]

#: The collection agency the demo hands a customer over to (``overdracht --aan`` names its
#: Code); on the Incassobureaus sheet so that the hand-over letter has an address.
AGENCY = {
    "code": "NOORDERLICHT",
    "name": "Incassobureau Noorderlicht B.V.",
    "contact": "mr. J. Bos",
    "address": "Stationsplein 2",
    "postcode": "3818 LE",
    "city": "Amersfoort",
    "country": "NL",
    "email": "dossiers@example.nl",
}


def fill_demo(book: Workbook) -> None:
    """Fill a workbook made from the template with the demo business, customers and history."""
    set_settings(book, CREDITOR)
    append_table_rows(
        book,
        schema.KLANTEN.name,
        [
            {
                "number": c[0],
                "name": c[1],
                "contact": c[2],
                "address": c[3],
                "postcode": c[4],
                "city": c[5],
                "country": c[6],
                "kind": c[7],
                "email": c[8],
                "phone": c[9],
                "language": c[10],
                "registration": c[11],
                "salutation": SALUTATIONS.get(c[0], ""),
            }
            for c in CUSTOMERS
        ],
    )
    append_table_rows(
        book,
        schema.FACTUREN.name,
        [
            {
                "number": n,
                "debtor": k,
                "invoice_date": d,
                "due_date": d + timedelta(days=term),
                "amount": D(a),
                "description": desc,
                "is_credit_note": "Ja" if extra.get("credit") else "Nee",
                "credits": extra.get("credits", ""),
                "disputed": "Ja" if extra.get("disputed") else "Nee",
                "paused_until": extra.get("paused_until"),
                "note": extra.get("note", ""),
            }
            for n, k, d, term, a, desc, extra in INVOICES
        ],
    )
    append_table_rows(
        book,
        schema.BETALINGEN.name,
        [
            {
                "on": d,
                "amount": D(a),
                "debtor": k,
                "invoice": inv,
                "text": text,
                "source": "handmatig",
            }
            for d, a, k, inv, text in PAYMENTS
        ],
    )
    append_table_rows(
        book,
        schema.ACTIES.name,
        [
            {
                "on": d,
                "debtor": k,
                "invoices": invs,
                "step": step,
                "channel": ch,
                "note": note,
                **extra,
            }
            for d, k, invs, step, ch, note, extra in ACTIONS
        ],
    )
    append_table_rows(
        book,
        schema.REGELINGEN.name,
        [{"debtor": k, "number": n, "due_date": d, "amount": D(a)} for k, n, d, a in PLAN],
    )
    append_table_rows(book, schema.INCASSO.name, [AGENCY])


# --- Sample files to try the other commands with ------------------------------------------------
#
# ``debiteuren demo`` writes two bank statements (CAMT.053, as Dutch banks offer them for
# download) and two e-invoices (UBL 2.1, Peppol BIS Billing 3.0) of the demo business. The first
# statement is read in by the demo itself, so that the workbook has a recent statement (letters
# wait for one) and shows a credit that needs checking; the second and the e-invoices are for the
# user to try ``betalingen`` and ``facturen`` with.


@dataclass(frozen=True, slots=True)
class Credit:
    """One credit on a sample statement: paid with the invoice's payment reference, or with a
    free text (``text``) that may name the invoice."""

    amount: str
    payer: str
    iban: str
    invoice: str = ""  # paid with this invoice's structured reference
    text: str = ""


#: The demo statements: (booking day, credits). The first is read in by ``debiteuren demo``.
STATEMENTS: tuple[tuple[date, tuple[Credit, ...]], ...] = (
    (
        date(2026, 10, 14),
        (
            Credit("1331.00", "Garage Van den Broeck NV", "BE71096123456769", invoice="2026-0122"),
            Credit(
                "162.50",
                "Stichting Buurthuis De Linde",
                "NL67INGB0006543210",
                text="Bijdrage drukwerk jubileumfeest",
            ),
        ),
    ),
    (
        date(2026, 10, 15),
        (
            Credit("847.00", "Jansen & Zn BV", "NL81RABO0312345678", invoice="2026-0107"),
            Credit(
                "1355.33",
                "CA VA CAFE BV",
                "BE71096123456769",
                text="Facture 2026-0019 solde apres rappel",
            ),
        ),
    ),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Buyer:
    """The buyer of a sample e-invoice."""

    name: str
    street: str
    city: str
    postcode: str
    country: str
    kvk: str = ""
    vat: str = ""
    contact: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SampleInvoice:
    """One sample e-invoice: its number, dates, buyer and lines (description, net amount)."""

    number: str
    issued: date
    due: date
    buyer: Buyer
    lines: tuple[tuple[str, str], ...]


#: Two e-invoices: one to a customer the workbook knows (found by its KvK number), one to a new
#: customer (added to Klanten on import).
EINVOICES = (
    SampleInvoice(
        number="2026-0136",
        issued=date(2026, 10, 14),
        due=date(2026, 11, 13),
        buyer=Buyer(
            name="Bouwbedrijf Van Dam B.V.",
            street="Industrieweg 77",
            city="Zoetermeer",
            postcode="2712 LB",
            country="NL",
            kvk="27123456",
            contact="Karel van Dam",
            email="crediteuren@vandam-bouw.nl",
        ),
        lines=(("Bouwplaatsborden project Meerzicht fase 2", "1450.00"),),
    ),
    SampleInvoice(
        number="2026-0137",
        issued=date(2026, 10, 15),
        due=date(2026, 10, 29),
        buyer=Buyer(
            name="Bloemenhuis Flora V.O.F.",
            street="Voorstraat 8",
            city="Dordrecht",
            postcode="3311 EP",
            country="NL",
            kvk="24123457",
            vat="NL024123456B01",
            contact="Floor Verbeek",
            email="info@bloemenhuisflora.nl",
        ),
        lines=(("Etiketten en bloemenkaartjes", "240.00"), ("Ontwerp huisstijl", "310.00")),
    ),
)


@dataclass(frozen=True, slots=True)
class SampleFiles:
    """Where ``debiteuren demo`` put the sample files."""

    statements: tuple[Path, ...]
    einvoices: tuple[Path, ...]


STATEMENT_FOLDER = "bankafschriften"
EINVOICE_FOLDER = "e-facturen"


def statement_xml(day: date, credits: Sequence[Credit], references: Mapping[str, str]) -> bytes:
    """Return a CAMT.053 (001.02) day statement of the demo business's account.

    Args:
      day: the booking day of every credit.
      credits: the credits; a credit with ``invoice`` is paid with that invoice's reference.
      references: invoice number -> the compact payment reference the letters print.
    """
    iban = CREDITOR["IBAN"]
    stamp = f"{day:%Y%m%d}"
    total = sum((D(c.amount) for c in credits), D(0))
    opening = D("25000.00")
    entries = []
    for n, c in enumerate(credits, start=1):
        if c.invoice:
            ref = references[c.invoice]
            issuer = "CUR" if ref.isdigit() else "ISO"
            remittance = (
                "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry>"
                f"<Issr>{issuer}</Issr></Tp><Ref>{escape(ref)}</Ref></CdtrRefInf></Strd>"
            )
        else:
            remittance = f"<Ustrd>{escape(c.text)}</Ustrd>"
        entries.append(
            f"""      <Ntry>
        <Amt Ccy="EUR">{c.amount}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{day.isoformat()}</Dt></BookgDt>
        <ValDt><Dt>{day.isoformat()}</Dt></ValDt>
        <AcctSvcrRef>DEMO-{stamp}-{n:04d}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="EUR">{c.amount}</Amt></TxAmt></AmtDtls>
            <RltdPties>
              <Dbtr><Nm>{escape(c.payer)}</Nm></Dbtr>
              <DbtrAcct><Id><IBAN>{c.iban}</IBAN></Id></DbtrAcct>
            </RltdPties>
            <RmtInf>{remittance}</RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
"""
        )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- A sample day statement made by 'debiteuren demo' (not from a bank). -->
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>DEMO-{stamp}</MsgId><CreDtTm>{day.isoformat()}T18:00:00+02:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>DEMO-STMT-{stamp}</Id>
      <ElctrncSeqNb>{day.timetuple().tm_yday}</ElctrncSeqNb>
      <CreDtTm>{day.isoformat()}T18:00:00+02:00</CreDtTm>
      <Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>
{_balance("OPBD", opening, day)}
{_balance("CLBD", opening + total, day)}
{"".join(entries)}    </Stmt>
  </BkToCstmrStmt>
</Document>
"""
    return text.encode("utf-8")


def _balance(kind: str, amount: D, day: date) -> str:
    return (
        f'      <Bal><Tp><CdOrPrtry><Cd>{kind}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{amount}</Amt>'
        f"<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>"
    )


def einvoice_xml(invoice: SampleInvoice, reference: str) -> bytes:
    """Return ``invoice`` as a UBL 2.1 Invoice (Peppol BIS Billing 3.0) of the demo business.

    Args:
      reference: the payment reference (betalingskenmerk) in PaymentID.
    """
    c, b = CREDITOR, invoice.buyer
    net = sum((D(amount) for _, amount in invoice.lines), D(0))
    vat = (net * D("0.21")).quantize(D("0.01"))
    term = (invoice.due - invoice.issued).days
    lines = "".join(
        f"""  <cac:InvoiceLine>
    <cbc:ID>{n}</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">{amount}</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Name>{escape(text)}</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">{amount}</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
"""
        for n, (text, amount) in enumerate(invoice.lines, start=1)
    )
    buyer_tax = (
        f"<cac:PartyTaxScheme><cbc:CompanyID>{b.vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT"
        "</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
        if b.vat
        else ""
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- A sample e-invoice made by 'debiteuren demo' (UBL 2.1, Peppol BIS Billing 3.0). -->
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
         xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
         xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>{invoice.number}</cbc:ID>
  <cbc:IssueDate>{invoice.issued.isoformat()}</cbc:IssueDate>
  <cbc:DueDate>{invoice.due.isoformat()}</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>{invoice.number}</cbc:BuyerReference>
  <cac:AccountingSupplierParty>
    <cac:Party>
      <cbc:EndpointID schemeID="0106">{c["KvK/KBO-nummer"]}</cbc:EndpointID>
      <cac:PartyName><cbc:Name>{escape(c["Naam"])}</cbc:Name></cac:PartyName>
      <cac:PostalAddress>
        <cbc:StreetName>{escape(c["Adres"])}</cbc:StreetName>
        <cbc:CityName>{escape(c["Plaats"])}</cbc:CityName>
        <cbc:PostalZone>{c["Postcode"]}</cbc:PostalZone>
        <cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyTaxScheme><cbc:CompanyID>{c["Btw-nummer"]}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
      <cac:PartyLegalEntity>
        <cbc:RegistrationName>{escape(c["Naam"])}</cbc:RegistrationName>
        <cbc:CompanyID schemeID="0106">{c["KvK/KBO-nummer"]}</cbc:CompanyID>
      </cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    <cac:Party>
      <cbc:EndpointID schemeID="0106">{b.kvk}</cbc:EndpointID>
      <cac:PartyName><cbc:Name>{escape(b.name)}</cbc:Name></cac:PartyName>
      <cac:PostalAddress>
        <cbc:StreetName>{escape(b.street)}</cbc:StreetName>
        <cbc:CityName>{escape(b.city)}</cbc:CityName>
        <cbc:PostalZone>{b.postcode}</cbc:PostalZone>
        <cac:Country><cbc:IdentificationCode>{b.country}</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      {buyer_tax}
      <cac:PartyLegalEntity>
        <cbc:RegistrationName>{escape(b.name)}</cbc:RegistrationName>
        <cbc:CompanyID schemeID="0106">{b.kvk}</cbc:CompanyID>
      </cac:PartyLegalEntity>
      <cac:Contact><cbc:Name>{escape(b.contact)}</cbc:Name><cbc:ElectronicMail>{b.email}</cbc:ElectronicMail></cac:Contact>
    </cac:Party>
  </cac:AccountingCustomerParty>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode name="SEPA credit transfer">58</cbc:PaymentMeansCode>
    <cbc:PaymentID>{reference}</cbc:PaymentID>
    <cac:PayeeFinancialAccount><cbc:ID>{c["IBAN"]}</cbc:ID><cbc:Name>{escape(c["Naam"])}</cbc:Name></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:PaymentTerms><cbc:Note>Betaling binnen {term} dagen</cbc:Note></cac:PaymentTerms>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">{vat}</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">{net}</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">{vat}</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">{net}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">{net}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">{net + vat}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">{net + vat}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
{lines}</Invoice>
"""
    return text.encode("utf-8")


def write_statement(folder: Path, index: int, references: Mapping[str, str]) -> Path:
    """Write demo statement ``index`` (0: the one the demo reads in; 1: the user's) to
    ``folder`` and return its path."""
    day, credits = STATEMENTS[index]
    folder.mkdir(parents=True, exist_ok=True)
    target = inside(folder, f"afschrift-{day.isoformat()}.xml")
    content = statement_xml(day, credits, references)
    atomic_write(target, lambda tmp: tmp.write_bytes(content))
    return target


def write_einvoices(folder: Path) -> tuple[Path, ...]:
    """Write the sample e-invoices to ``folder``; return their paths."""
    from .core.references import nl_payment_reference

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for invoice in EINVOICES:
        target = inside(folder, f"factuur-{safe_name(invoice.number, distinct=True)}.xml")
        reference = nl_payment_reference(invoice.number.replace("-", ""))
        content = einvoice_xml(invoice, reference)
        atomic_write(target, lambda tmp, c=content: tmp.write_bytes(c))
        paths.append(target)
    return tuple(paths)
