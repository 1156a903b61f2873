"""
# Debiteuren

Rente, incassokosten en betalingskenmerken volgens Nederlands en Belgisch recht, in elke cel:

- `=WETTELIJKE_RENTE(bedrag; vervaldatum; tot; soort)`
- `=INCASSOKOSTEN(bedrag; soort)`
- `=RENTE_SPECIFICATIE(bedrag; vervaldatum; tot; soort)` (loopt over in de cellen eronder)
- `=BETALINGSKENMERK(factuurnr; land)`

En drie knoppen voor uw debiteurenwerkboek: **Bijwerken**, **Rekenhulp** en
**Briefgegevens**. De brieven zelf (Word, PDF, e-mail) maakt u met debiteuren op Windows of
Mac; zie lite/README.md.
"""

import datetime as dt
from typing import Literal

import xlwings as xw
from xlwings import func, script

from debiteuren import functions, lite

Rente = Literal["nl-wettelijk", "nl-handels", "be-handels", "be-wettelijk", "geen"]
Kosten = Literal["geen", "nl-wik", "nl-wik-btw", "be-40", "be-consument"]
Dagtelling = Literal["365", "werkelijk", "rentejaar"]


@func
def wettelijke_rente(
    bedrag, vervaldatum, tot, soort, dagtelling=None, kosten=None, betalingen=None
):
    """De rente over een bedrag van de dag na de vervaldatum tot en met 'tot'. Soort:
    nl-wettelijk, nl-handels, be-handels, be-wettelijk of geen; dagtelling: 365, werkelijk of
    rentejaar; kosten: zoals INCASSOKOSTEN; betalingen: een bereik met datum en bedrag."""
    return functions.wettelijke_rente(
        bedrag, vervaldatum, tot, soort, dagtelling, kosten, betalingen
    )


@func
def incassokosten(bedrag, soort):
    """De incassokosten die de wet toestaat. Soort: nl-wik, nl-wik-btw, be-40, be-consument
    of geen."""
    return functions.incassokosten(bedrag, soort)


@func
def rente_specificatie(
    bedrag, vervaldatum, tot, soort, dagtelling=None, kosten=None, betalingen=None
):
    """De renteperioden (van, tot en met, dagen, grondslag, rente %, rente, bron) met de
    totalen, als een tabel die overloopt in de cellen eronder."""
    return functions.rente_specificatie(
        bedrag, vervaldatum, tot, soort, dagtelling, kosten, betalingen
    )


@func
def betalingskenmerk(factuurnr, land):
    """Het betalingskenmerk van een factuur: NL betalingskenmerk, BE gestructureerde
    mededeling, anders een RF-referentie."""
    return functions.betalingskenmerk(factuurnr, land)


@script
def bijwerken(book: xw.Book):
    """# Bijwerken
    Berekent elke factuur op vandaag: Betaald, Openstaand, Dagen te laat, Rente, Kosten,
    Totaal, Fase, Volgende stap, Per en Verjaart op, en maakt het Overzicht opnieuw."""
    lite.bijwerken(book, dt.date.today())


@script
def rekenhulp(
    book: xw.Book,
    bedrag: str,
    vervaldatum: dt.date,
    tot: dt.date,
    rente: Rente = "nl-wettelijk",
    kosten: Kosten = "geen",
    dagtelling: Dagtelling = "365",
):
    """# Rekenhulp
    Rente en kosten over één bedrag, zoals `debiteuren bereken`, met de perioden op het blad
    Rekenhulp."""
    lite.rekenhulp(book, bedrag, vervaldatum, tot, rente, kosten, dagtelling)


@script
def briefgegevens(book: xw.Book, klantnr: str = ""):
    """# Briefgegevens
    De gegevens van de brieven die vandaag aan de beurt zijn voor een klant (het klantnummer,
    of de klant van de geselecteerde rij), op het blad Briefgegevens. De brief zelf maakt u met
    debiteuren op Windows of Mac."""
    lite.briefgegevens(book, dt.date.today(), klantnr)
