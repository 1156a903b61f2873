"""The worksheet functions: the engine in a cell of any workbook.

Four functions with Dutch names and arguments in the order a Dutch user reads them (Excel shows
``;`` between arguments and a decimal comma with Dutch regional settings)::

    =WETTELIJKE_RENTE(bedrag; vervaldatum; tot; soort; [dagtelling]; [kosten]; [betalingen])
    =INCASSOKOSTEN(bedrag; soort)
    =RENTE_SPECIFICATIE(bedrag; vervaldatum; tot; soort; [dagtelling]; [kosten]; [betalingen])
    =BETALINGSKENMERK(factuurnr; land)

They call the calculator behind ``debiteuren bereken`` (:func:`~debiteuren.calculator.calculate`,
:func:`~debiteuren.calculator.costs_for`) and the payment references of
:mod:`~debiteuren.core.references`, so a cell shows the same figures, to the cent, as the
command line. The functions here take what Excel hands a function (numbers as floats, dates as
datetimes or as Excel serial numbers, texts, a range as a list of rows, an empty cell as None)
and return what Excel shows (numbers, dates, texts, a list of rows that spills). The two front
ends only wrap them: :mod:`debiteuren.udfs` (classic xlwings, Windows) and ``lite/main.py``
(xlwings Lite: Windows, Mac and Excel on the web).

A bad argument never raises into Excel: the cell shows a Dutch sentence starting with ``Fout:``
(:data:`ERROR_PREFIX`), which names the argument and what to write instead. A formula that
calculates on with it gets ``#WAARDE!``, as it should.

Pure: no Excel, no clock, no files; importable without any compiled package (Pyodide).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from .calculator import COSTS, SERIES, Calculation, calculate, costs_for
from .core.model import YEARS, YEARS_NOTE, DayCount
from .core.money import CENT, AmountFormatError, parse_exact_money
from .core.references import reference_for
from .core.rules import rate_citation
from .errors import DebiteurenError
from .untrusted import cell_text, long_number_problem, quoted_value

__all__ = [
    "ERROR_PREFIX",
    "FUNCTIONS",
    "SPECIFICATION_HEADER",
    "FunctionError",
    "Signature",
    "betalingskenmerk",
    "incassokosten",
    "rente_specificatie",
    "wettelijke_rente",
]

#: How an error value starts in a cell.
ERROR_PREFIX = "Fout: "

#: Excel's day 0 (serial numbers count from 30-12-1899 in the 1900 date system).
_EXCEL_EPOCH = date(1899, 12, 30)
#: Serial numbers below 61 fall before Excel's fictitious 29-02-1900 and mean something else.
_FIRST_SERIAL, _LAST_SERIAL = 61, 2_958_465  # 01-03-1900 .. 31-12-9999

#: Amounts from a trillion euro on are refused (no claim is that large; Decimal stays exact).
_LARGEST = Decimal(10) ** 12

#: The header row of :func:`rente_specificatie`.
SPECIFICATION_HEADER = ("Van", "Tot en met", "Dagen", "Grondslag", "Rente %", "Rente", "Bron")

_T = TypeVar("_T")


class FunctionError(DebiteurenError):
    """An argument of a worksheet function that cannot be used."""


# --- reading arguments ---------------------------------------------------------------------------


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _one_cell(value: object, what: str) -> object:
    """Return ``value`` when it is one cell's value; refuse a range (xlwings hands a range of
    more than one cell as a list): its text read as one value gave a number, a payment reference
    or a message of a list."""
    if isinstance(value, list | tuple):
        raise FunctionError(f"{what}: kies één cel, geen bereik van meer cellen.")
    return value


def _amount(value: object, what: str) -> Decimal:
    """Read an amount exactly: a number as Excel keeps it, or a text as a person types it.

    Excel keeps 15 significant digits; a number with more than two decimals after that (a
    formula such as ``=1000/3``) is refused, as ``bereken`` refuses it: round it in Excel first.
    """
    if _empty(_one_cell(value, what)):
        raise FunctionError(f"{what} ontbreekt.")
    if isinstance(value, bool):
        raise FunctionError(f"{what}: {value} is geen bedrag.")
    if isinstance(value, str):
        try:
            exact = parse_exact_money(value)
        except (AmountFormatError, InvalidOperation) as exc:
            reason = getattr(exc, "reason", "geen bedrag")
            raise FunctionError(
                f"{what}: '{quoted_value(value)}' is geen exact bedrag ({reason}); schrijf "
                "bijvoorbeeld 1250,00."
            ) from None
    elif isinstance(value, float) and not math.isfinite(value):
        raise FunctionError(f"{what} is geen getal.")
    else:
        try:
            exact = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            raise FunctionError(f"{what}: {quoted_value(repr(value))} is geen bedrag.") from None
    if abs(exact) >= _LARGEST:
        raise FunctionError(f"{what}: {quoted_value(value)} is te groot voor een bedrag.")
    if exact != exact.quantize(CENT):
        raise FunctionError(
            f"{what}: {format(value, '.15g')} heeft meer dan twee decimalen; rond het bedrag "
            "eerst af op centen (AFRONDEN(…; 2))."
        )
    return exact.quantize(CENT)


def _day(value: object, what: str) -> date:
    """Read a date: a date cell, an Excel serial number, or ``31-03-2025`` / ``2025-03-31``,
    in the years debiteuren reckons with (:data:`~.core.model.YEARS`)."""
    day = _any_day(value, what)
    if day.year not in YEARS:
        raise FunctionError(
            f"{what}: {day.day:02d}-{day.month:02d}-{day.year:04d} kan niet kloppen; {YEARS_NOTE}."
        )
    return day


def _any_day(value: object, what: str) -> date:
    if _empty(_one_cell(value, what)):
        raise FunctionError(f"{what} ontbreekt.")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not (math.isfinite(value) and _FIRST_SERIAL <= value <= _LAST_SERIAL):
            raise FunctionError(f"{what}: {value} is geen datum.")
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = str(value).strip()
    parts = text.replace("/", "-").replace(".", "-").split("-")
    try:
        if len(parts) == 3 and len(parts[0]) == 4:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 3 and len(parts[2]) == 4:
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        pass
    raise FunctionError(
        f"{what}: '{quoted_value(text)}' is geen datum; schrijf bijvoorbeeld 31-03-2025."
    )


def _choice(value: object, what: str, choices: Sequence[str], default: str | None = None) -> str:
    """Read one of ``choices`` (case and spaces ignored); empty gives ``default``."""
    if _empty(_one_cell(value, what)):
        if default is None:
            raise FunctionError(f"{what} ontbreekt; kies uit {', '.join(choices)}.")
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a day count typed as the number 365
    text = str(value).strip().lower()
    if text not in choices:
        raise FunctionError(
            f"{what}: '{quoted_value(value)}' is onbekend; kies uit {', '.join(choices)}."
        )
    return text


def _payments(value: object) -> list[tuple[date, Decimal]]:
    """Read a range of payments: rows of (datum, bedrag); empty rows are skipped."""
    if _empty(value):
        return []
    rows = value if isinstance(value, list | tuple) else [[value]]
    if rows and not isinstance(rows[0], list | tuple):
        rows = [rows]  # one row arrives as a flat list
    payments = []
    for number, row in enumerate(rows, 1):
        cells = list(row)
        if all(_empty(cell) for cell in cells):
            continue
        if len(cells) < 2:
            raise FunctionError(
                "betalingen: kies een bereik van twee kolommen, datum en bedrag "
                f"(rij {number} heeft er één)."
            )
        payments.append(
            (
                _day(cells[0], f"betalingen, rij {number}, datum"),
                _amount(cells[1], f"betalingen, rij {number}, bedrag"),
            )
        )
    return payments


def _invoice_number(value: object) -> str:
    if _empty(_one_cell(value, "factuurnr")):
        raise FunctionError("factuurnr ontbreekt.")
    if isinstance(value, date):  # as the workbook reader refuses a Factuurnr stored as a date
        shown = value.strftime("%d-%m-%Y")
        raise FunctionError(
            f"factuurnr: '{shown}' is als datum opgeslagen, niet als nummer; maak de cel tekst "
            "(celeigenschappen: Tekst) en typ het nummer opnieuw."
        )
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        raise FunctionError(f"factuurnr: {value} is geen factuurnummer.")
    if problem := long_number_problem(value):
        raise FunctionError(f"factuurnr: {problem}")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number cell: 2026042.0 is invoice 2026042
    return str(value).strip()


# --- the functions -------------------------------------------------------------------------------


def _calculation(
    bedrag: object,
    vervaldatum: object,
    tot: object,
    soort: object,
    dagtelling: object,
    kosten: object,
    betalingen: object,
    whole: bool = False,
) -> Calculation:
    return calculate(
        amount=_amount(bedrag, "bedrag"),
        due=_day(vervaldatum, "vervaldatum"),
        until=_day(tot, "tot"),
        series=_choice(soort, "soort", tuple(SERIES)),
        day_count=DayCount(_choice(dagtelling, "dagtelling", tuple(DayCount), DayCount.ACT_365)),
        payments=_payments(betalingen),
        costs=_choice(kosten, "kosten", tuple(COSTS), "geen"),
        whole=whole,
    )


def _cell_value(fn: Callable[..., _T]) -> Callable[..., _T | str]:
    """Turn every problem into an error text instead of an exception (Excel shows no traceback)."""

    @functools.wraps(fn)
    def run(*args: Any) -> _T | str:
        try:
            return fn(*args)
        except DebiteurenError as exc:  # a cell holds 32,767 characters at most
            return cell_text(ERROR_PREFIX + exc.message)
        except Exception as exc:  # the cell must show something readable, whatever happened
            return f"{ERROR_PREFIX}onverwachte fout in {fn.__name__} ({type(exc).__name__})."

    return run


@_cell_value
def wettelijke_rente(
    bedrag: object,
    vervaldatum: object,
    tot: object,
    soort: object,
    dagtelling: object = None,
    kosten: object = None,
    betalingen: object = None,
) -> float:
    """Return the interest on ``bedrag`` from the day after ``vervaldatum`` to ``tot`` (inclusive).

    As ``debiteuren bereken --rente SOORT``: ``soort`` is ``nl-wettelijk``, ``nl-handels``,
    ``be-handels``, ``be-wettelijk`` or ``geen``; NL interest is capitalised yearly, BE interest
    is simple; ``dagtelling`` is ``365`` (default), ``werkelijk`` or ``rentejaar``;
    ``betalingen`` a range of rows (datum, bedrag), applied costs → interest → principal, so
    that with payments the interest also depends on ``kosten`` (as :func:`incassokosten`).

    >>> wettelijke_rente(10000, date(2022, 6, 30), date(2024, 9, 30), "nl-wettelijk")
    1163.74
    >>> wettelijke_rente(1000, "31-03-2025", "30-05-2025", "be-handels")  # be.md B2
    18.9
    >>> wettelijke_rente("duizend", date(2025, 3, 31), date(2025, 5, 30), "be-handels")
    "Fout: bedrag: 'duizend' is geen exact bedrag (geen bedrag); schrijf bijvoorbeeld 1250,00."
    """
    # one number shows no warning: no interest for days before the rate table is refused (the
    # specification, which lists the warnings under its table, gives the rest)
    calc = _calculation(bedrag, vervaldatum, tot, soort, dagtelling, kosten, betalingen, True)
    return float(calc.statement.interest)


@_cell_value
def incassokosten(bedrag: object, soort: object) -> float:
    """Return the collection costs the law allows on ``bedrag``.

    ``soort`` as ``debiteuren bereken --kosten``: ``nl-wik`` (the WIK scale), ``nl-wik-btw``
    (plus 21% VAT), ``be-40`` (B2B fixed compensation), ``be-consument`` (the cap of art. XIX.4
    WER) or ``geen``.

    >>> incassokosten(2500, "nl-wik"), incassokosten("1.250,00", "nl-wik-btw")
    (375.0, 226.88)
    """
    kind = _choice(soort, "soort", tuple(COSTS))
    amount = _amount(bedrag, "bedrag")
    if amount < 0:
        raise FunctionError(f"bedrag mag niet negatief zijn ({amount}).")
    return float(costs_for(kind, amount))


@_cell_value
def rente_specificatie(
    bedrag: object,
    vervaldatum: object,
    tot: object,
    soort: object,
    dagtelling: object = None,
    kosten: object = None,
    betalingen: object = None,
) -> list[list[object]]:
    """Return the interest periods as rows that spill: a header, one row per period, the totals.

    Each period (``Van``, ``Tot en met``, ``Dagen``, ``Grondslag``, ``Rente %``, ``Rente``,
    ``Bron``) as in ``debiteuren bereken --json``; then ``Totaal rente``, ``Kosten`` (when
    ``kosten`` is given), ``Betaald`` and ``Openstaand``; then a ``Let op:`` row per warning
    (an unconfirmed rate, a rate past the last known one, a claim older than the rate table).
    """
    calc = _calculation(bedrag, vervaldatum, tot, soort, dagtelling, kosten, betalingen)
    st = calc.statement
    width = len(SPECIFICATION_HEADER)
    rows: list[list[object]] = [list(SPECIFICATION_HEADER)]
    rows += [
        [
            p.start,
            p.end,
            p.days,
            float(p.base),
            float(p.rate),
            float(p.interest),
            rate_citation(p.rate_row),
        ]
        for p in st.periods
    ]
    totals: list[tuple[str, Decimal]] = [("Totaal rente", st.interest)]
    if calc.costs_kind != "geen":
        totals.append(("Kosten", st.costs))
    if st.paid:
        totals.append(("Betaald", st.paid))
    totals.append(("Openstaand", st.outstanding))
    rows += [[label, *[None] * (width - 3), float(value), None] for label, value in totals]
    rows += [[f"Let op: {warning}", *[None] * (width - 1)] for warning in calc.warnings]
    return rows


@_cell_value
def betalingskenmerk(factuurnr: object, land: object) -> str:
    """Return the payment reference to print for an invoice, as the creditor's bank reads it.

    NL: a betalingskenmerk (16 digits), BE: a gestructureerde mededeling (OGM); an invoice
    number that cannot make one, and another country, gets an RF reference (ISO 11649).

    >>> betalingskenmerk("2026-042", "BE"), betalingskenmerk(2026042.0, "NL")
    ('+++000/2026/04203+++', '4000 0000 0202 6042')
    """
    if _empty(_one_cell(land, "land")):
        raise FunctionError("land ontbreekt; geef de landcode van uw bank, bijvoorbeeld NL of BE.")
    return reference_for(_invoice_number(factuurnr), str(land).strip().upper()).display


# --- the list the front ends register ------------------------------------------------------------


class Signature:
    """A worksheet function as Excel shows it: its name, arguments and one line of help."""

    __slots__ = ("arguments", "function", "help", "name")

    def __init__(
        self, name: str, function: Callable[..., object], arguments: str, help: str
    ) -> None:
        self.name = name
        self.function = function
        self.arguments = arguments
        self.help = help


#: Every worksheet function, in the order the documentation lists them.
FUNCTIONS: tuple[Signature, ...] = (
    Signature(
        "WETTELIJKE_RENTE",
        wettelijke_rente,
        "bedrag; vervaldatum; tot; soort; [dagtelling]; [kosten]; [betalingen]",
        "De rente over een bedrag van de dag na de vervaldatum tot en met 'tot'.",
    ),
    Signature(
        "INCASSOKOSTEN",
        incassokosten,
        "bedrag; soort",
        "De incassokosten of forfaitaire vergoeding die de wet toestaat.",
    ),
    Signature(
        "RENTE_SPECIFICATIE",
        rente_specificatie,
        "bedrag; vervaldatum; tot; soort; [dagtelling]; [kosten]; [betalingen]",
        "De renteperioden met percentage en bron, als een tabel die overloopt.",
    ),
    Signature(
        "BETALINGSKENMERK",
        betalingskenmerk,
        "factuurnr; land",
        "Het betalingskenmerk (NL), de gestructureerde mededeling (BE) of RF-referentie.",
    ),
)
