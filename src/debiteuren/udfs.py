"""The worksheet functions as classic xlwings UDFs (Excel for Windows with a local Python).

Classic xlwings registers the functions of a module with its **Import Functions** button: set
``UDF Modules`` to ``debiteuren.udfs`` (the xlwings add-in's settings, or ``UDF_MODULES`` in an
``xlwings.conf`` sheet or file) and click Import Functions; Excel then knows
``=WETTELIJKE_RENTE(…)`` and the others in that workbook. The names are the Excel names (classic
xlwings uses the Python name), the arguments are in the Dutch order of
:mod:`debiteuren.functions`, which does all the work; a range of payments arrives as rows
(``ndim=2``) and the specification spills (Excel 365). On Mac and in Excel on the web, classic
UDFs do not exist: use xlwings Lite (``lite/README.md``).
"""

import xlwings as xw

from . import functions

__all__ = ["BETALINGSKENMERK", "INCASSOKOSTEN", "RENTE_SPECIFICATIE", "WETTELIJKE_RENTE"]


@xw.func
@xw.arg("betalingen", ndim=2)
def WETTELIJKE_RENTE(
    bedrag, vervaldatum, tot, soort, dagtelling=None, kosten=None, betalingen=None
):
    """De rente over een bedrag van de dag na de vervaldatum tot en met 'tot'."""
    return functions.wettelijke_rente(
        bedrag, vervaldatum, tot, soort, dagtelling, kosten, betalingen
    )


@xw.func
def INCASSOKOSTEN(bedrag, soort):
    """De incassokosten of forfaitaire vergoeding die de wet toestaat."""
    return functions.incassokosten(bedrag, soort)


@xw.func
@xw.arg("betalingen", ndim=2)
def RENTE_SPECIFICATIE(
    bedrag, vervaldatum, tot, soort, dagtelling=None, kosten=None, betalingen=None
):
    """De renteperioden met percentage en bron, als een tabel die overloopt."""
    return functions.rente_specificatie(
        bedrag, vervaldatum, tot, soort, dagtelling, kosten, betalingen
    )


@xw.func
def BETALINGSKENMERK(factuurnr, land):
    """Het betalingskenmerk (NL), de gestructureerde mededeling (BE) of een RF-referentie."""
    return functions.betalingskenmerk(factuurnr, land)
