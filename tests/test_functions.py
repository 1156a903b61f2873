"""The worksheet functions against ``debiteuren bereken`` on the worked examples, to the cent.

Each worked example of the domain folder (the vectors of ``test_bereken.py``) is run twice: as
``debiteuren bereken --json`` on the command line and as the worksheet function with the
arguments as Excel hands them over (numbers as floats, dates as datetimes or serial numbers,
payments as a range of rows). Both must give the published figure, to the cent. A bad argument
gives a Dutch ``Fout:`` text, never an exception.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren.cli import main
from debiteuren.functions import (
    ERROR_PREFIX,
    FUNCTIONS,
    SPECIFICATION_HEADER,
    betalingskenmerk,
    incassokosten,
    rente_specificatie,
    wettelijke_rente,
)
from test_bereken import BOOK19_TABLE, DOMAIN_VECTORS, README_NL, WIK_TABLE

EXCEL_EPOCH = date(1899, 12, 30)


def excel_day(day: date) -> datetime:
    """A date cell as xlwings hands it over (classic xlwings: a datetime)."""
    return datetime(day.year, day.month, day.day)


def serial(day: date) -> float:
    """A date cell as an Office.js custom function receives it: the serial number."""
    return float((day - EXCEL_EPOCH).days)


def cents(value: float) -> Decimal:
    """The figure a cell shows, as an exact amount (a float of a cent amount reads back)."""
    assert isinstance(value, float), value
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def bereken(amount, due, until, series, day_count="365", payments=(), costs="geen") -> dict:
    args = ["bereken", "--bedrag", str(amount), "--vervaldatum", due.isoformat()]
    args += ["--tot", until.isoformat(), "--rente", series, "--dagtelling", day_count]
    args += ["--kosten", costs, "--json"]
    for day, paid in payments:
        args += ["--betaling", f"{day.isoformat()}={paid}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# The worked examples: (id, (amount, due, until, series), options, expected interest)
CASES = [pytest.param(v[1], v[2], v[3], id=v[0]) for v in DOMAIN_VECTORS] + [
    pytest.param(args, {"day_count": dc}, lines[dc].split(" = ")[1], id=f"{name}-{dc}")
    for name, (args, lines) in README_NL.items()
    for dc in lines
]


def function_args(args, kwargs, day=excel_day):
    amount, due, until, series = args
    payments = [[day(d), float(p)] for d, p in kwargs.get("payments", ())]
    return (
        float(amount),
        day(due),
        day(until),
        series,
        kwargs.get("day_count"),
        kwargs.get("costs"),
        payments or None,
    )


@pytest.mark.parametrize(("args", "kwargs", "rente"), CASES)
def test_wettelijke_rente_gives_the_figure_of_bereken_to_the_cent(args, kwargs, rente):
    cli = bereken(*args, **kwargs)
    amount, due, until, series, day_count, costs, payments = function_args(args, kwargs)
    cell = wettelijke_rente(amount, due, until, series, day_count, costs, payments)
    assert cents(cell) == Decimal(cli["rente"]) == Decimal(rente)
    # Office.js hands dates over as serial numbers: the same figure
    _, due_serial, until_serial, *_ = function_args(args, kwargs, serial)
    again = wettelijke_rente(amount, due_serial, until_serial, series, day_count, costs, payments)
    assert again == cell


@pytest.mark.parametrize(("args", "kwargs", "rente"), CASES)
def test_rente_specificatie_spills_the_periods_of_bereken(args, kwargs, rente):
    cli = bereken(*args, **kwargs)
    rows = rente_specificatie(*function_args(args, kwargs))
    assert rows[0] == list(SPECIFICATION_HEADER)
    periods = rows[1 : 1 + len(cli["perioden"])]
    assert [
        [
            p[0].isoformat(),
            p[1].isoformat(),
            p[2],
            f"{cents(p[3])}",
            f"{Decimal(repr(p[4])):.2f}",
            f"{cents(p[5])}",
            p[6],
        ]
        for p in periods
    ] == [
        [q["van"], q["tot"], q["dagen"], q["grondslag"], q["percentage"], q["rente"], q["bron"]]
        for q in cli["perioden"]
    ]
    totals = {row[0]: cents(row[5]) for row in rows[1 + len(periods) :] if row[5] is not None}
    assert totals["Totaal rente"] == Decimal(cli["rente"]) == Decimal(rente)
    assert totals["Openstaand"] == Decimal(cli["openstaand"])
    if kwargs.get("costs"):
        assert totals["Kosten"] == Decimal(cli["kosten"])
    if kwargs.get("payments"):
        assert totals["Betaald"] == Decimal(cli["betaald"])
    assert all(len(row) == len(SPECIFICATION_HEADER) for row in rows)  # a rectangle spills


def test_a_specification_ends_with_the_warnings_of_bereken():
    # a claim before the rate table begins: bereken warns, and so does the spilled table
    cli = bereken(Decimal("1000"), date(1990, 1, 1), date(2003, 1, 1), "be-handels")
    rows = rente_specificatie(1000.0, excel_day(date(1990, 1, 1)), "01-01-2003", "be-handels")
    warnings = [row[0] for row in rows if str(row[0]).startswith("Let op: ")]
    assert warnings == [f"Let op: {w}" for w in cli["waarschuwingen"]] and warnings


@pytest.mark.parametrize(("amount", "bik", "with_vat"), WIK_TABLE)
def test_incassokosten_follow_the_wik_scale(amount, bik, with_vat):
    assert cents(incassokosten(float(amount), "nl-wik")) == Decimal(bik)
    assert cents(incassokosten(amount.replace(".", ","), "NL-WIK-BTW")) == Decimal(with_vat)


@pytest.mark.parametrize(("amount", "cap"), BOOK19_TABLE)
def test_incassokosten_follow_the_book_xix_caps(amount, cap):
    assert cents(incassokosten(float(amount), "be-consument")) == Decimal(cap)
    assert incassokosten(float(amount), "be-40") == 40.0


@pytest.mark.parametrize(
    ("number", "country", "printed"),
    [
        ("56789012345", "NL", "5000 0567 8901 2345"),  # payments.md §1.3, official example
        (2026042.0, "nl", "4000 0000 0202 6042"),  # a number cell is the invoice number
        ("1234567890", "BE", "+++123/4567/89002+++"),  # payments.md §2 worked example
        ("2026000042", "BE", "+++202/6000/04236+++"),
        ("INV2026042", "DE", "RF67 INV2 0260 42"),  # payments.md §3: another country, RF
        ("INV-ABC", "BE", "RF40 INVA BC"),  # no digits, so no OGM: an RF
    ],
)
def test_betalingskenmerk_gives_the_reference_the_bank_reads(number, country, printed):
    assert betalingskenmerk(number, country) == printed


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: wettelijke_rente("veel", "31-03-2025", "30-05-2025", "be-handels"), "bedrag"),
        (lambda: wettelijke_rente(1000 / 3, "31-03-2025", "30-05-2025", "be-handels"), "AFRONDEN"),
        (lambda: wettelijke_rente(-5.0, "31-03-2025", "30-05-2025", "be-handels"), "negatief"),
        (lambda: wettelijke_rente(1000.0, "morgen", "30-05-2025", "be-handels"), "vervaldatum"),
        (lambda: wettelijke_rente(1000.0, "31-03-2025", None, "be-handels"), "tot ontbreekt"),
        (lambda: wettelijke_rente(1000.0, "30-05-2025", "31-03-2025", "be-handels"), "vóór"),
        (lambda: wettelijke_rente(1000.0, "31-03-2025", "30-05-2025", "fr-legal"), "nl-wettelijk"),
        (lambda: wettelijke_rente(1000.0, 45747.0, 45807.0, "nl-handels", "360"), "dagtelling"),
        (
            lambda: wettelijke_rente(1.0, 45747.0, 45807.0, "nl-handels", None, None, [[1.0]]),
            "twee",
        ),
        (lambda: incassokosten(True, "nl-wik"), "geen bedrag"),
        (lambda: incassokosten(1000.0, None), "soort ontbreekt"),
        (lambda: rente_specificatie(1.0, 45747.0, 45807.0, "geen", None, "nl-bik"), "kosten"),
        (lambda: betalingskenmerk("2026-1", ""), "land ontbreekt"),
        (lambda: betalingskenmerk(None, "NL"), "factuurnr"),
        (lambda: betalingskenmerk("---", "NL"), "---"),
    ],
)
def test_a_bad_argument_gives_a_dutch_error_text(call, words):
    result = call()
    if isinstance(result, list):  # a spilled function shows the error in its first cell
        assert len(result) == 1
        result = result[0]
    assert isinstance(result, str) and result.startswith(ERROR_PREFIX), result
    assert words in result


def test_one_figure_refuses_a_claim_that_begins_before_the_rate_table():
    # 1990 to 1995: no rate in the table; the figure was 0.00, and 1990 to 2025 gave the
    # interest from 2001 on as if it were all (bereken and the specification say so in words)
    for until in ("01-01-1995", "01-01-2025"):
        assert wettelijke_rente(1000.0, "01-01-1990", until, "nl-wettelijk") == (
            "Fout: De vordering begint vóór de rentetabel: de NL wettelijke rente (art. 6:119 BW) "
            f"begint op 01-01-2001. Over 02-01-1990 tot en met {min(until, '31-12-2000', key=day)} "
            "kan debiteuren geen rente berekenen; reken met 'debiteuren bereken' (dat rekent "
            "vanaf de tabel en zegt het) of reken die dagen zelf na met het percentage uit de "
            "officiële bekendmaking."
        )
    # from the table's first day on, the figure as before
    assert wettelijke_rente(1000.0, "31-12-2000", "01-01-2025", "nl-wettelijk") == 1512.8


@pytest.mark.parametrize("due", [date(9999, 12, 30), "31-12-9999", date(1, 1, 1)])
def test_a_date_outside_the_years_gives_a_dutch_error_text(due):
    shown = "01-01-0001" if due == date(1, 1, 1) else str(due)[:10]
    shown = {"9999-12-30": "30-12-9999", "31-12-9999": "31-12-9999"}.get(shown, shown)
    assert wettelijke_rente(1000.0, due, "01-01-2025", "nl-wettelijk") == (
        f"Fout: vervaldatum: {shown} kan niet kloppen; debiteuren rekent met de jaren 1900 tot "
        "en met 2199."
    )


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        # a range of two invoice numbers gave the reference of the text "[['2026-1'], …]"
        (
            lambda: betalingskenmerk([["2026-1"], ["2026-2"]], "NL"),
            "Fout: factuurnr: kies één cel, geen bereik van meer cellen.",
        ),
        (
            lambda: betalingskenmerk("2026-1", [["NL"], ["BE"]]),
            "Fout: land: kies één cel, geen bereik van meer cellen.",
        ),
        (
            lambda: wettelijke_rente(
                [[1000.0], [2000.0]], "31-03-2025", "30-05-2025", "nl-handels"
            ),
            "Fout: bedrag: kies één cel, geen bereik van meer cellen.",
        ),
        (
            lambda: incassokosten(2500.0, ["nl-wik", "be-40"]),
            "Fout: soort: kies één cel, geen bereik van meer cellen.",
        ),
        # 2026-01 typed in a cell is a date to Excel: its reference was that of "2026-01-01 00:00:00"
        (
            lambda: betalingskenmerk(datetime(2026, 1, 1), "NL"),
            "Fout: factuurnr: '01-01-2026' is als datum opgeslagen, niet als nummer; maak de cel "
            "tekst (celeigenschappen: Tekst) en typ het nummer opnieuw.",
        ),
        (
            lambda: betalingskenmerk(float("nan"), "BE"),
            "Fout: factuurnr: nan is geen factuurnummer.",
        ),
        # Excel keeps 15 digits: it was the reference of 12345678901234567168
        (
            lambda: betalingskenmerk(1.2345678901234568e19, "NL"),
            "Fout: factuurnr: '1,23456789012346E+19' is als getal opgeslagen, en van een getal "
            "bewaart Excel maar 15 cijfers: de laatste cijfers kunnen al weg zijn; maak de cel "
            "tekst (celeigenschappen: Tekst) en typ het nummer opnieuw.",
        ),
    ],
)
def test_a_range_or_a_date_never_makes_a_figure_or_a_reference(call, expected):
    assert call() == expected


def test_an_error_text_quotes_a_long_argument_in_short():
    """A cell holds 32,767 characters: an error text that quoted a whole pasted text (or a
    range's values) was longer, and Excel showed #WAARDE! instead of the sentence."""
    long = "x" * 32_767
    assert wettelijke_rente(long, "31-03-2025", "30-05-2025", "nl-handels") == (
        f"Fout: bedrag: '{'x' * 79}…' is geen exact bedrag (geen bedrag); schrijf bijvoorbeeld "
        "1250,00."
    )
    assert wettelijke_rente(1000.0, long, "30-05-2025", "nl-handels") == (
        f"Fout: vervaldatum: '{'x' * 79}…' is geen datum; schrijf bijvoorbeeld 31-03-2025."
    )
    assert incassokosten(1000.0, long).startswith(f"Fout: soort: '{'x' * 79}…' is onbekend")
    assert betalingskenmerk("9" * 32_767, "NL") == (
        f"Fout: Van factuurnummer '{'9' * 79}…' kan geen RF-betalingskenmerk worden gemaakt: het "
        "bevat 32767 letters en cijfers en er passen er maar 21 in."
    )


def day(text: str) -> date:
    return datetime.strptime(text, "%d-%m-%Y").date()


excel_values = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
    st.text(max_size=12),
    st.datetimes(),
    st.lists(
        st.lists(st.one_of(st.none(), st.floats(), st.text(max_size=5)), max_size=3), max_size=3
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(excel_values, min_size=7, max_size=7))
def test_no_argument_makes_a_function_raise(values):
    """Whatever a cell holds, a function answers with a value or a Fout: text."""
    for signature in FUNCTIONS:
        count = signature.function.__wrapped__.__code__.co_argcount
        result = signature.function(*values[:count])
        if isinstance(result, str) and result.startswith(ERROR_PREFIX):
            assert "onverwachte" not in result, result
        elif isinstance(result, list):
            assert result[0] == list(SPECIFICATION_HEADER) or result[0][0].startswith(ERROR_PREFIX)
        else:
            assert isinstance(result, float | str)


def test_the_functions_have_dutch_names_and_arguments_in_the_documented_order():
    assert [f.name for f in FUNCTIONS] == [
        "WETTELIJKE_RENTE",
        "INCASSOKOSTEN",
        "RENTE_SPECIFICATIE",
        "BETALINGSKENMERK",
    ]
    for f in FUNCTIONS:
        code = f.function.__wrapped__.__code__
        names = [n.strip("[]") for n in f.arguments.split("; ")]
        assert list(code.co_varnames[: code.co_argcount]) == names


def test_a_long_claim_in_a_cell_is_one_number():
    # ten years of NL commercial interest: capitalised every year, still one figure
    due = date(2015, 1, 31)
    cli = bereken(Decimal("12345.67"), due, due + timedelta(days=3652), "nl-handels")
    cell = wettelijke_rente(
        "12.345,67", excel_day(due), serial(due + timedelta(days=3652)), "nl-handels"
    )
    assert cents(cell) == Decimal(cli["rente"])


def test_the_classic_udfs_are_the_functions_under_their_excel_names():
    from debiteuren import udfs

    assert udfs.__all__ == sorted(f.name for f in FUNCTIONS)
    for f in FUNCTIONS:
        udf = getattr(udfs, f.name)
        code = udf.__code__
        assert (
            code.co_varnames[: code.co_argcount]
            == f.function.__wrapped__.__code__.co_varnames[: code.co_argcount]
        )
    assert (
        udfs.WETTELIJKE_RENTE(10000.0, datetime(2022, 6, 30), datetime(2024, 9, 30), "nl-wettelijk")
        == 1163.74
    )
    assert udfs.BETALINGSKENMERK("56789012345", "NL") == "5000 0567 8901 2345"
