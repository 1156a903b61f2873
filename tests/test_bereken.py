"""``debiteuren bereken`` checked against an independent reference calculation.

The reference below is written from the project conventions (shared/domain/README.md, nl.md
§1.6-§1.8 and Appendix B, be.md §10.0), not from the engine: a plain day-by-day loop that reads
the shipped ``rates.csv`` itself. It keeps the unrounded interest exactly (per divisor, the sum
of ``base x rate`` as a ``Decimal`` with the Inexact trap on, divided by ``100 x divisor`` only
when rounding), so a half cent is rounded up, never lost to a truncated 1/365.

Semantics (README "Project conventions" 1-5 and the calculator's brief):

* interest accrues on each day D with ``vervaldatum < D <= tot`` at the rate in force on D;
* day count ``365``; ``werkelijk`` = /366 for a day in a leap calendar year; ``rentejaar`` = the
  length of the capitalisation year (anniversary k-1 .. k) that contains D;
* NL: on each anniversary of the first interest day (29 Feb -> 28 Feb) the unpaid interest of
  the year is rounded half-up and added to the base, which bears interest from that day on;
  BE: simple interest;
* costs are owed only when the principal is not paid on the due date: computed on the principal
  still open after the due date (payments on or before it go to the principal) and due from the
  next day;
* a payment rounds the interest accrued up to and including its day half-up to cents and goes to
  costs, then interest, then principal (capitalised interest counts as principal); the rest is
  surplus;
* ``rente`` is the sum of the rounded pieces; ``openstaand`` = base + open interest + open costs.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debiteuren.calculator import calculate
from debiteuren.cli import main
from debiteuren.core.model import DayCount

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daybyday import (  # the shared day-by-day reference
    CENT,
    COST_KINDS,
    DAY,
    DAY_COUNTS,
    REF_SERIES,
    RefResult,
    ref_anniversary,
    ref_costs,
    ref_rate,
    reference,
)


def D(text: str) -> Decimal:
    return Decimal(text)


def engine(amount, due, until, series, day_count="365", payments=(), costs="geen"):
    """Call the calculator and return its statement."""
    return calculate(
        amount=amount,
        due=due,
        until=until,
        series=series,
        day_count=DayCount(day_count),
        payments=list(payments),
        costs=costs,
    ).statement


def figures(st_or_ref) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    if isinstance(st_or_ref, RefResult):
        r = st_or_ref
        return r.rente, r.kosten, r.betaald, r.openstaand
    s = st_or_ref
    return s.interest, s.costs, s.paid, s.outstanding


# --------------------------------------------------------------------------------------------
# 2. The reference reproduces the fixed figures of the domain folder
# --------------------------------------------------------------------------------------------

# README.md "Recomputation script" output: capitalised amounts + running interest = total.
README_NL = {
    "TV-03": (
        (D("10000"), date(2022, 6, 30), date(2024, 9, 30), "nl-wettelijk"),
        {
            "365": "299.18 + 671.00 + 193.56 = 1163.74",
            "werkelijk": "299.18 + 670.02 + 193.01 = 1162.21",
            "rentejaar": "299.18 + 669.17 + 193.52 = 1161.87",
        },
    ),
    "TV-04": (
        (D("50000"), date(2021, 3, 31), date(2025, 3, 31), "nl-handels"),
        {
            "365": "4000.00 + 4652.88 + 6911.40 + 7894.66 = 23458.94",
            "werkelijk": "4000.00 + 4652.88 + 6906.40 + 7877.41 = 23436.69",
            "rentejaar": "4000.00 + 4652.88 + 6892.51 + 7892.38 = 23437.77",
        },
    ),
    "TV-04b": (
        (D("50000"), date(2021, 3, 31), date(2025, 6, 30), "nl-handels"),
        {
            "365": "4000.00 + 4652.88 + 6911.40 + 7894.66 + 2042.06 = 25501.00",
            "werkelijk": "4000.00 + 4652.88 + 6906.40 + 7877.41 + 2041.44 = 25478.13",
            "rentejaar": "4000.00 + 4652.88 + 6892.51 + 7892.38 + 2041.47 = 25479.24",
        },
    ),
    "TV-10": (
        (D("5000"), date(2024, 2, 28), date(2025, 3, 15), "nl-wettelijk"),
        {
            "365": "342.05 + 14.05 = 356.10",
            "werkelijk": "341.25 + 14.05 = 355.30",
            "rentejaar": "342.05 + 14.05 = 356.10",
        },
    ),
}
README_CASES = [
    pytest.param(name, dc, id=f"{name}-{dc}") for name in README_NL for dc in DAY_COUNTS
]


@pytest.mark.parametrize(("name", "day_count"), README_CASES)
def test_reference_reproduces_readme_recomputation(name, day_count):
    args, lines = README_NL[name]
    parts, total = lines[day_count].split(" = ")
    ref = reference(*args, day_count=day_count)
    assert [str(p) for p in ref.pieces] == parts.split(" + ")
    assert [str(c) for c in ref.caps] == parts.split(" + ")[:-1]
    assert ref.rente == D(total)
    assert ref.openstaand == args[0] + D(total)


@pytest.mark.parametrize(("name", "day_count"), README_CASES)
def test_engine_reproduces_readme_recomputation(name, day_count):
    args, lines = README_NL[name]
    total = D(lines[day_count].split(" = ")[1])
    s = engine(*args, day_count=day_count)
    assert s.interest == total
    assert [c.amount for c in s.capitalisations] == [
        D(x) for x in lines[day_count].split(" = ")[0].split(" + ")[:-1]
    ]


# Other vectors of nl.md §9 / be.md §10 under the same conventions, with payments and costs:
# (id, args, kwargs, expected rente, expected openstaand or None)
DOMAIN_VECTORS = [
    (
        "TV-01-365",
        (D("1000"), date(2024, 3, 15), date(2024, 6, 15), "nl-wettelijk"),
        {},
        "17.64",
        None,
    ),
    (
        "TV-01-werkelijk",
        (D("1000"), date(2024, 3, 15), date(2024, 6, 15), "nl-wettelijk"),
        {"day_count": "werkelijk"},
        "17.60",
        None,
    ),
    (
        "TV-01-rentejaar",
        (D("1000"), date(2024, 3, 15), date(2024, 6, 15), "nl-wettelijk"),
        {"day_count": "rentejaar"},
        "17.64",
        None,
    ),
    (
        "TV-02-365",
        (D("2500"), date(2024, 11, 30), date(2025, 2, 28), "nl-wettelijk"),
        {},
        "39.11",
        None,
    ),
    (
        "TV-02-werkelijk",
        (D("2500"), date(2024, 11, 30), date(2025, 2, 28), "nl-wettelijk"),
        {"day_count": "werkelijk"},
        "39.07",
        None,
    ),
    (
        "TV-05",
        (D("3000"), date(2025, 6, 30), date(2025, 8, 14), "nl-handels"),
        {"costs": "nl-wik"},
        "37.54",
        "3462.54",
    ),
    (
        "TV-06",
        (D("1210"), date(2025, 2, 9), date(2025, 3, 11), "nl-handels"),
        {"costs": "nl-wik"},
        "11.09",
        "1402.59",
    ),
    # TV-08: BIK 150.00 = WIK on 1,000; payment 500 on 30-04-2025 -> costs, interest, principal
    (
        "TV-08",
        (D("1000"), date(2025, 1, 31), date(2025, 7, 31), "nl-wettelijk"),
        {"costs": "nl-wik", "payments": [(date(2025, 4, 30), D("500.00"))]},
        "24.68",
        "674.68",
    ),
    (
        "B2",
        (D("1000"), date(2025, 3, 31), date(2025, 5, 30), "be-handels"),
        {"costs": "be-40"},
        "18.90",
        "1058.90",
    ),
    (
        "B4-365",
        (D("5000"), date(2023, 11, 30), date(2024, 2, 29), "be-handels"),
        {},
        "153.70",
        None,
    ),
    (
        "B4-werkelijk",
        (D("5000"), date(2023, 11, 30), date(2024, 2, 29), "be-handels"),
        {"day_count": "werkelijk"},
        "153.42",
        None,
    ),
    (
        "B7",
        (D("3000"), date(2025, 6, 30), date(2025, 9, 30), "be-handels"),
        {"costs": "be-40", "payments": [(date(2025, 7, 31), D("1000.00"))]},
        "63.02",
        "2103.02",
    ),
    (
        "B9",
        (D("50"), date(2025, 10, 31), date(2025, 11, 10), "be-handels"),
        {"costs": "be-40"},
        "0.14",
        "90.14",
    ),
    (
        "B10-365",
        (D("8000"), date(2024, 12, 15), date(2025, 1, 14), "be-handels"),
        {},
        "79.12",
        None,
    ),
    (
        "B10-werkelijk",
        (D("8000"), date(2024, 12, 15), date(2025, 1, 14), "be-handels"),
        {"day_count": "werkelijk"},
        "79.00",
        None,
    ),
    # C6: lump sum 90.00 (XIX.4 on 1,000), payment 600 on 20-11-2025
    (
        "C6",
        (D("1000"), date(2025, 10, 21), date(2025, 12, 31), "be-handels"),
        {"costs": "be-consument", "payments": [(date(2025, 11, 20), D("600.00"))]},
        "14.51",
        "504.51",
    ),
    ("L2-365", (D("1000"), date(2024, 12, 1), date(2025, 1, 31), "be-wettelijk"), {}, "8.55", None),
    (
        "L2-werkelijk",
        (D("1000"), date(2024, 12, 1), date(2025, 1, 31), "be-wettelijk"),
        {"day_count": "werkelijk"},
        "8.54",
        None,
    ),
]


@pytest.mark.parametrize(
    ("args", "kwargs", "rente", "openstaand"),
    [pytest.param(*v[1:], id=v[0]) for v in DOMAIN_VECTORS],
)
def test_domain_vectors(args, kwargs, rente, openstaand):
    ref = reference(*args, **kwargs)
    s = engine(*args, **kwargs)
    assert ref.rente == D(rente)
    if openstaand is not None:
        assert ref.openstaand == D(openstaand)
    assert figures(s) == figures(ref)


# nl.md §3.7 (excl. VAT, +21% VAT) and be.md §3.5 worked examples.
WIK_TABLE = [
    ("100.00", "40.00", "48.40"),
    ("266.66", "40.00", "48.40"),
    ("267.00", "40.05", "48.46"),
    ("2500.00", "375.00", "453.75"),
    ("3000.00", "425.00", "514.25"),
    ("6000.00", "675.00", "816.75"),
    ("7500.00", "750.00", "907.50"),
    ("10000.00", "875.00", "1058.75"),
    ("15000.00", "925.00", "1119.25"),
    ("250000.00", "3025.00", "3660.25"),
    ("1000000.00", "6775.00", "8197.75"),
    ("1500000.00", "6775.00", "8197.75"),
]
BOOK19_TABLE = [
    ("100.00", "20.00"),
    ("150.00", "20.00"),
    ("150.01", "30.00"),
    ("250.00", "40.00"),
    ("400.00", "55.00"),
    ("500.00", "65.00"),
    ("1000.00", "90.00"),
    ("2500.00", "165.00"),
    ("39200.00", "2000.00"),
    ("50000.00", "2000.00"),
]


@pytest.mark.parametrize(("amount", "bik", "with_vat"), WIK_TABLE)
def test_wik_costs_match_scale(amount, bik, with_vat):
    assert ref_costs("nl-wik", D(amount)) == D(bik)
    assert ref_costs("nl-wik-btw", D(amount)) == D(with_vat)
    due, day_after = date(2025, 1, 31), date(2025, 2, 1)
    assert engine(D(amount), due, day_after, "geen", costs="nl-wik").costs == D(bik)
    assert engine(D(amount), due, day_after, "geen", costs="nl-wik-btw").costs == D(with_vat)
    assert engine(D(amount), due, due, "geen", costs="nl-wik").costs == D("0.00")


@pytest.mark.parametrize(("amount", "cap"), BOOK19_TABLE)
def test_book19_lump_sum_matches_table(amount, cap):
    assert ref_costs("be-consument", D(amount)) == D(cap)
    due, day_after = date(2025, 1, 31), date(2025, 2, 1)
    s = engine(D(amount), due, day_after, "geen", costs="be-consument")
    assert s.costs == D(cap)
    assert engine(D(amount), due, day_after, "geen", costs="be-40").costs == D("40.00")


def test_payment_rounds_and_restarts_the_running_interest():
    """Pin the reading of "at a payment, round the interest accrued ... and allocate".

    1,000.00 at 6 % (2025), due 31-01-2025, 500.00 paid 10-02-2025, statement on 11-02-2025:
    10 days = 1.643836 -> 1.64 paid; base 501.64; 1 day = 0.082461 -> 0.08; rente 1.72.
    The calculator (and the vectors TV-08, B7, C6, which round the interest after a payment as
    a new piece) book 1.64 + 0.08. A literal reading of nl.md Appendix B
    (``cap = round(year_acc - paid)``, one unrounded accumulator per capitalisation year) and of
    README rule 4 ("the rounded interest since the last anniversary") gives
    round(1.643836 + 0.082461) = 1.73. Both readings agree on every vector of the domain folder;
    the README should say which one is meant.
    """
    args = (D("1000.00"), date(2025, 1, 31), date(2025, 2, 11), "nl-wettelijk")
    pays = [(date(2025, 2, 10), D("500.00"))]
    s = engine(*args, payments=pays)
    assert (s.interest, s.outstanding) == (D("1.72"), D("501.72"))
    assert figures(reference(*args, payments=pays)) == figures(s)
    literal = reference(*args, payments=pays, year_accumulator=True)
    assert (literal.rente, literal.openstaand) == (D("1.73"), D("501.73"))


# --------------------------------------------------------------------------------------------
# 3. Property tests: calculate() agrees with the reference to the cent
# --------------------------------------------------------------------------------------------

EDGE_CENTS = [
    1,
    2,
    14999,
    15000,
    15001,
    26666,
    26667,
    50000,
    50001,
    250000,
    500000,
    1000000,
    3920000,
    20000000,
    100000000,
    200000000,
]
EDGE_DUES = [
    date(2011, 2, 28),
    date(2012, 2, 28),
    date(2016, 2, 28),
    date(2020, 2, 28),
    date(2024, 2, 28),
    date(2023, 2, 28),
    date(2012, 2, 29),
    date(2010, 1, 1),
    date(2012, 12, 31),
    date(2022, 12, 31),
    date(2023, 6, 30),
    date(2025, 12, 31),
]


@st.composite
def claims(draw):
    cents = draw(st.one_of(st.integers(1, 200_000_000), st.sampled_from(EDGE_CENTS)))
    amount = Decimal(cents).scaleb(-2)
    dues = st.dates(date(2010, 1, 1), date(2025, 12, 31))
    due = draw(st.one_of(dues, st.sampled_from(EDGE_DUES)))
    length = draw(st.one_of(st.integers(0, 4400), st.sampled_from([0, 1, 365, 366, 730, 1461])))
    until = due + timedelta(days=length)
    first = due + DAY
    annivs = [
        (ref_anniversary(first, k) - due).days
        for k in range(1, 14)
        if ref_anniversary(first, k) <= until
    ]
    day_offsets = st.integers(0, length)
    if annivs:
        special = st.sampled_from([*annivs, *(a - 1 for a in annivs), 0, length])
    else:
        special = st.sampled_from([0, length])
    n = draw(st.integers(0, 4))
    payments = []
    for _ in range(n):
        offset = draw(st.one_of(day_offsets, special))
        paid_cents = draw(
            st.one_of(
                st.integers(1, max(1, cents * 6 // 5)),
                st.integers(1, 10_000),
                st.just(cents),
            )
        )
        payments.append((due + timedelta(days=offset), Decimal(paid_cents).scaleb(-2)))
    return {
        "amount": amount,
        "due": due,
        "until": until,
        "series": draw(st.sampled_from(list(REF_SERIES))),
        "day_count": draw(st.sampled_from(DAY_COUNTS)),
        "payments": payments,
        "costs": draw(st.sampled_from(COST_KINDS)),
    }


def _ref_of(c: dict) -> RefResult:
    return reference(
        c["amount"], c["due"], c["until"], c["series"], c["day_count"], c["payments"], c["costs"]
    )


def _engine_of(c: dict):
    return engine(
        c["amount"], c["due"], c["until"], c["series"], c["day_count"], c["payments"], c["costs"]
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims())
def test_calculate_matches_reference(c):
    s = _engine_of(c)
    ref = _ref_of(c)
    assert figures(s) == figures(ref), c
    assert sum((p.interest for p in s.periods), Decimal("0.00")) == s.interest
    assert [cap.amount for cap in s.capitalisations] == [x for x in ref.caps if x], c


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims())
def test_statement_is_consistent(c):
    s = _engine_of(c)
    total_paid = sum((p for d, p in c["payments"] if d <= c["until"]), Decimal("0.00"))
    # nothing is lost: claim + interest + costs = paid + outstanding; the rest is surplus
    assert c["amount"] + s.interest + s.costs == s.paid + s.outstanding
    assert s.paid + s.surplus == total_paid
    assert s.outstanding >= 0 and s.surplus >= 0
    assert s.surplus == 0 or s.outstanding == 0
    # the periods tile the interest days while the base is positive
    for p in s.periods:
        assert p.days == (p.end - p.start).days + 1
        assert p.start > c["due"] and p.end <= c["until"]
    for a, b in zip(s.periods, s.periods[1:], strict=False):
        assert b.start == a.end + DAY


# --------------------------------------------------------------------------------------------
# 4. The command line
# --------------------------------------------------------------------------------------------


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        return CliRunner()  # click >= 8.2 keeps stderr apart


def _cli_args(amount, due, until, series, day_count, payments, costs, *, as_json=True):
    args = [
        "bereken",
        "--bedrag",
        f"{amount}",
        "--vervaldatum",
        due.isoformat(),
        "--tot",
        until.isoformat(),
        "--rente",
        series,
        "--dagtelling",
        day_count,
        "--kosten",
        costs,
    ]
    for day, paid in payments:
        args += ["--betaling", f"{day.isoformat()}={paid}"]
    if as_json:
        args.append("--json")
    return args


CLI_CASES = [
    # NL commercial over 12 years; a payment on an anniversary (first day 16-05), one on
    # 29-02-2020, one large one late; costs with VAT.
    (
        "nl-handels",
        D("25000.00"),
        date(2013, 5, 15),
        date(2025, 11, 30),
        "nl-wik-btw",
        [
            (date(2016, 5, 16), D("3000.00")),
            (date(2020, 2, 29), D("1500.50")),
            (date(2024, 12, 31), D("20000.00")),
        ],
    ),
    # NL statutory starting on 29-02-2012 (anniversary 28-02 in other years), 11 years.
    (
        "nl-wettelijk",
        D("7777.77"),
        date(2012, 2, 28),
        date(2023, 3, 1),
        "nl-wik",
        [
            (date(2015, 2, 28), D("1000.00")),
            (date(2016, 2, 29), D("250.00")),
            (date(2021, 7, 1), D("4321.09")),
        ],
    ),
    # NL statutory, payments leaving interest open before an anniversary.
    (
        "nl-wettelijk",
        D("1234567.89"),
        date(2010, 12, 31),
        date(2022, 12, 31),
        "nl-wik",
        [(date(2011, 12, 31), D("5000.00")), (date(2018, 6, 15), D("7000.00"))],
    ),
    # BE commercial over 10 years, simple interest, lump sum.
    (
        "be-handels",
        D("3456.78"),
        date(2014, 6, 30),
        date(2024, 6, 30),
        "be-consument",
        [
            (date(2015, 1, 1), D("100.00")),
            (date(2020, 2, 29), D("1000.00")),
            (date(2023, 7, 1), D("999.99")),
        ],
    ),
    # BE legal interest across leap years with the €40.
    (
        "be-wettelijk",
        D("15000.00"),
        date(2011, 9, 30),
        date(2023, 9, 30),
        "be-40",
        [(date(2012, 10, 1), D("40.00")), (date(2019, 12, 31), D("2500.00"))],
    ),
]


@pytest.mark.parametrize("day_count", DAY_COUNTS)
@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c[0]}-{c[2].year}") for c in CLI_CASES])
def test_cli_json_matches_reference(case, day_count):
    series, amount, due, until, costs, payments = case
    result = _runner().invoke(
        main, _cli_args(amount, due, until, series, day_count, payments, costs)
    )
    assert result.exit_code == 0, (result.output, result.exception)
    data = json.loads(result.stdout)
    ref = reference(amount, due, until, series, day_count, payments, costs)
    assert data["hoofdsom"] == f"{amount:.2f}"
    for key in ("rente", "kosten", "betaald", "openstaand"):
        assert data[key] == f"{getattr(ref, key):.2f}", key
    periods = data["perioden"]
    assert sum(Decimal(p["rente"]) for p in periods) == Decimal(data["rente"])
    # none of these claims is paid off: the periods cover every interest day
    assert periods[0]["van"] == (due + DAY).isoformat()
    assert periods[-1]["tot"] == until.isoformat()
    assert sum(p["dagen"] for p in periods) == (until - due).days
    table = REF_SERIES[series][0]
    for p in periods:
        assert Decimal(p["percentage"]) == ref_rate(table, date.fromisoformat(p["van"]))
        assert p["dagen"] == (date.fromisoformat(p["tot"]) - date.fromisoformat(p["van"])).days + 1
    if REF_SERIES[series][1]:
        assert [Decimal(k["bedrag"]) for k in data["kapitalisaties"]] == [x for x in ref.caps if x]
    else:
        assert data["kapitalisaties"] == []


def test_cli_readable_output_has_dutch_totals():
    # be.md B2: 1,000.00 at 11.5 % for 60 days plus the €40 -> 1,058.90
    result = _runner().invoke(
        main,
        [
            "bereken",
            "--bedrag",
            "1000.00",
            "--vervaldatum",
            "2025-03-31",
            "--tot",
            "2025-05-30",
            "--rente",
            "be-handels",
            "--kosten",
            "be-40",
        ],
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "rente: BE handelsrente (wet van 2 augustus 2002)" in " ".join(out.split())
    assert "Openstaand" in out
    assert "€ 1.058,90" in out
    assert "€ 18,90" in out
    assert "€ 40,00" in out
    assert result.stderr == ""


BASE_ARGS = {
    "--bedrag": "1000.00",
    "--vervaldatum": "2025-03-31",
    "--tot": "2025-05-30",
    "--rente": "nl-wettelijk",
}


def _args(**changes: str) -> list[str]:
    opts = dict(BASE_ARGS)
    extra = changes.pop("extra", None)
    for key, value in changes.items():
        opts["--" + key] = value
    out = ["bereken"]
    for key, value in opts.items():
        out += [key, value]
    if extra:
        out += extra.split()
    return out


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(_args(rente="fr-wettelijk"), id="unknown-series"),
        pytest.param(_args(bedrag="0.125"), id="ambiguous-three-decimals"),
        pytest.param(_args(bedrag="2500.001"), id="three-decimals"),
        pytest.param(_args(bedrag="266.667"), id="ambiguous-separator"),
        pytest.param(_args(bedrag="1.250,005"), id="more-than-two-decimals"),
        pytest.param(_args(extra="--betaling 2025-04-30=0.125"), id="betaling-three-decimals"),
        pytest.param(_args(bedrag="-100.00"), id="negative-amount"),
        pytest.param(_args(tot="2025-03-01"), id="tot-before-vervaldatum"),
        pytest.param(_args(extra="--betaling 2025-04-30"), id="betaling-without-amount"),
        pytest.param(_args(extra="--betaling 2025-04-30=abc"), id="betaling-bad-amount"),
        pytest.param(_args(extra="--betaling 30/04/25=10.00"), id="betaling-bad-date"),
        pytest.param(_args(extra="--betaling 2025-04-30=-5.00"), id="betaling-negative"),
        pytest.param(_args(extra="--dagtelling 360"), id="unknown-dagtelling"),
        pytest.param(_args(extra="--kosten nl-bik"), id="unknown-kosten"),
        pytest.param(_args(bedrag="veel"), id="bad-amount"),
        pytest.param(_args(tot="2025-02-30"), id="bad-date"),
    ],
)
def test_cli_bad_arguments(argv):
    for as_json in (False, True):
        result = _runner().invoke(main, argv + (["--json"] if as_json else []))
        assert result.exit_code == 2, (result.output, result.exception)
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("Fout: ")


# --------------------------------------------------------------------------------------------
# 5. Exact input, costs only after the due date, honest rates (issue 13)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["0.125", "2500.001", "266.667"])
def test_cli_refuses_an_amount_it_would_have_to_guess(amount):
    result = _runner().invoke(main, _args(bedrag=amount))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"Fout: --bedrag: '{amount}' is geen exact bedrag (dubbelzinnig: duizendtallen of drie "
        "decimalen); schrijf het bedrag met ten hoogste twee decimalen, bijvoorbeeld 1250,00, "
        "1.250,00 of 1250.00.\n"
    )


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1250,00", "1250.00"),
        ("1.250,00", "1250.00"),
        ("1250.00", "1250.00"),
        ("€ 500,-", "500.00"),
        ("1.250,-", "1250.00"),
        ("1,250.50", "1250.50"),
    ],
)
def test_cli_accepts_the_usual_forms(text, amount):
    result = _runner().invoke(
        main,
        [*_args(bedrag=text, tot="2025-03-31", rente="geen"), "--json"],
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["hoofdsom"] == amount


def test_a_payment_on_the_due_date_leaves_nothing_owed():
    # B2B NL: 1,000.00 due 31-03-2025, paid in full that day; the € 40 and interest never arise
    argv = ["bereken", "--bedrag", "1000,00", "--vervaldatum", "2025-03-31", "--tot"]
    argv += ["2025-06-30", "--rente", "nl-handels", "--kosten", "be-40", "--json"]
    result = _runner().invoke(main, [*argv, "--betaling", "2025-03-31=1000,00"])
    data = json.loads(result.stdout)
    assert (data["rente"], data["kosten"], data["openstaand"]) == ("0.00", "0.00", "0.00")
    # one day late: the costs (on the principal still open after the due date) and the interest
    late = _runner().invoke(main, [*argv, "--betaling", "2025-04-01=1000,00"])
    data = json.loads(late.stdout)
    # 1 day at 11.15 % on 1,000.00 = 0.305479 -> 0.31; the payment goes to costs and interest
    # first, so 40.31 of the principal stays open and bears 90 days: 1.108270 -> 1.11
    assert (data["rente"], data["kosten"], data["openstaand"]) == ("1.42", "40.00", "41.42")


def test_a_part_payment_on_the_due_date_lowers_the_costs_base():
    # WIK on the 1,500.00 still open after the due date: 15 % = 225.00 (not 375.00 on 2,500.00)
    s = engine(
        D("2500.00"),
        date(2025, 3, 31),
        date(2025, 4, 30),
        "geen",
        payments=[(date(2025, 3, 31), D("1000.00"))],
        costs="nl-wik",
    )
    assert (s.costs, s.outstanding) == (D("225.00"), D("1725.00"))


NL_2003 = [
    # (first day, percentage, source in the output) for an NL consumer claim due 01-01-2003
    ("2003-01-02", "7.00", "besluit niet teruggevonden"),
    ("2003-08-01", "5.00", "Besluit van 03-07-2003, Stb. 2003, 280"),
    ("2004-02-01", "4.00", "Besluit van 15-01-2004, Stb. 2004, 13"),
    ("2007-01-01", "6.00", "Besluit van 11-12-2006, Stb. 2006, 700"),
    ("2009-07-01", "4.00", "Besluit van 19-06-2009, Stb. 2009, 262"),
    ("2010-01-01", "3.00", "Besluit van 23-12-2009, Stb. 2009, 618"),
    ("2011-07-01", "4.00", "Besluit van 23-06-2011 (Staatsblad)"),
    ("2012-07-01", "3.00", "Besluit van 25-06-2012, Stb. 2012, 285"),
    ("2015-01-01", "2.00", "Besluit van 04-12-2014, Stb. 2014, 491"),
    ("2023-01-01", "4.00", "Besluit van 15-12-2022 (Staatsblad)"),
    ("2023-07-01", "6.00", "besluit niet teruggevonden"),
    ("2024-01-01", "7.00", "Besluit van 20-12-2023 (Staatsblad)"),
    ("2025-01-01", "6.00", "besluit niet teruggevonden"),
    ("2026-01-01", "4.00", "(percentage niet bevestigd)"),
]


def test_an_nl_claim_from_2003_uses_every_rate_since_and_names_its_sources():
    amount, due, until = D("1000.00"), date(2003, 1, 1), date(2026, 6, 30)
    result = _runner().invoke(
        main, _cli_args(amount, due, until, "nl-wettelijk", "365", [], "geen")
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    ref = reference(amount, due, until, "nl-wettelijk")
    assert (data["rente"], data["openstaand"]) == ("1349.79", "2349.79")
    assert (data["rente"], data["openstaand"]) == (f"{ref.rente:.2f}", f"{ref.openstaand:.2f}")
    # every rate change since 2003 starts a period (capitalisation days add more periods)
    starts = {p["van"]: p for p in data["perioden"]}
    for first, rate, source in NL_2003:
        assert starts[first]["percentage"] == rate, first
        assert source in starts[first]["bron"], (first, starts[first]["bron"])
        assert starts[first]["bron"].startswith("art. 6:119 jo. 6:120 lid 1 BW")
    assert all("nl.vlex" not in p["bron"] and ".nl" not in p["bron"] for p in data["perioden"])
    assert data["waarschuwingen"] == [
        "Het percentage van 4,00 % voor de NL wettelijke rente (art. 6:119 BW) vanaf "
        "01-01-2026 is niet bevestigd; controleer het aan de hand van de bron op het blad Rentes."
    ]
    text = (
        _runner()
        .invoke(
            main, _cli_args(amount, due, until, "nl-wettelijk", "365", [], "geen", as_json=False)
        )
        .stdout
    )
    assert "Bronnen van de rentepercentages:" in text
    assert "Stb. 2003, 280" in text and "Let op: Het percentage van 4,00 %" in text


#: A BE B2B claim of 1,000.00 due 31-01-2003, computed to 30-06-2008: (first day, last day, days,
#: percentage, interest of the period unrounded, publication named). Worked by hand:
#: 1,000 x rate x days / 365, simple interest, rounded once for the claim (be.md §10.0).
BE_2003 = [
    # 01-02 .. 30-06-2003: 28 + 31 + 30 + 31 + 30 = 150 days; 1,000 x 10 % x 150 / 365 = 41.0959
    ("2003-02-01", "2003-06-30", 150, "10.00", "Belgisch Staatsblad 14-02-2003"),
    # 01-07-2003 .. 30-06-2006 unchanged at 9.5 %: 3 x 365 + 29-02-2004 = 1096 days = 285.2603
    ("2003-07-01", "2006-06-30", 1096, "9.50", "Belgisch Staatsblad 17-07-2003"),
    # 01-07 .. 31-12-2006: 184 days = 50.4110
    (
        "2006-07-01",
        "2006-12-31",
        184,
        "10.00",
        "niet teruggevonden; percentage uit de vakliteratuur",
    ),
    # 01-01 .. 30-06-2007: 181 days = 54.5479
    ("2007-01-01", "2007-06-30", 181, "11.00", "Belgisch Staatsblad 30-01-2007 (numac 2007003049)"),
    # 01-07 .. 31-12-2007: 184 days = 57.9726 (derived: no notice found)
    ("2007-07-01", "2007-12-31", 184, "11.50", "percentage berekend volgens art. 5"),
    # 01-01 .. 30-06-2008 (leap year): 182 days = 57.3425
    ("2008-01-01", "2008-06-30", 182, "11.50", "Belgisch Staatsblad 14-01-2008 (numac 2008003014)"),
]


def test_a_be_claim_from_2003_uses_the_rates_before_2008_and_names_their_sources():
    amount, due, until = D("1000.00"), date(2003, 1, 31), date(2008, 6, 30)
    # by hand: 1,000 x (10 x 150 + 9.5 x 1096 + 10 x 184 + 11 x 181 + 11.5 x 366) / 100 / 365
    # = 1,000 x 199.52 / 365 = 546.630137 -> 546.63
    hand = (D(1000) * D("199.52") / 365).quantize(CENT, ROUND_HALF_UP)
    assert hand == D("546.63")
    assert sum(days for _, _, days, _, _ in BE_2003) == (until - due).days
    result = _runner().invoke(main, _cli_args(amount, due, until, "be-handels", "365", [], "geen"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["rente"], data["openstaand"]) == ("546.63", "1546.63")
    ref = reference(amount, due, until, "be-handels")
    assert (data["rente"], data["openstaand"]) == (f"{ref.rente:.2f}", f"{ref.openstaand:.2f}")
    periods = [(p["van"], p["tot"], p["dagen"], p["percentage"]) for p in data["perioden"]]
    assert periods == [(first, last, days, rate) for first, last, days, rate, _ in BE_2003]
    for period, (*_, source) in zip(data["perioden"], BE_2003, strict=True):
        assert period["bron"].startswith("art. 5 wet van 2 augustus 2002; "), period
        assert source in period["bron"], (period["van"], period["bron"])
    # inside the table, no unconfirmed row: no warning
    assert data["waarschuwingen"] == []


def test_warnings_past_the_last_known_rate_and_before_the_table():
    # BE B2B 2027: past the last known rate (2026 H1)
    late = calculate(
        amount=D("1000.00"), due=date(2026, 1, 31), until=date(2027, 3, 31), series="be-handels"
    )
    assert late.warnings == (
        "Het percentage van de BE handelsrente (wet van 2 augustus 2002) na 30-06-2026 is nog "
        "niet bekend; debiteuren rekent door met 10,50 %. Controleer het gepubliceerde "
        "percentage en vul het aan op het blad Rentes.",
    )
    # BE B2B due before the Law of 2 August 2002 came into force: the table starts on
    # 07-08-2002, the days before bear no interest
    early = calculate(
        amount=D("1000.00"), due=date(2002, 6, 30), until=date(2002, 12, 31), series="be-handels"
    )
    assert early.warnings[0] == (
        "De vordering begint vóór de rentetabel: de BE handelsrente (wet van 2 augustus 2002) "
        "begint op 07-08-2002. Over "
        "01-07-2002 tot en met 06-08-2002 is geen rente berekend; reken die dagen zelf na met "
        "het percentage uit de officiële bekendmaking."
    )
    # 147 days (07-08 .. 31-12-2002: 25 + 30 + 31 + 30 + 31) at 10.5 % on 1,000.00
    # = 42.287671 -> 42.29
    assert early.statement.interest == D("42.29")
    assert early.statement.periods[0].start == date(2002, 8, 7)
    # a claim wholly inside the known, confirmed table: no warning
    quiet = calculate(
        amount=D("1000.00"), due=date(2025, 3, 31), until=date(2025, 5, 30), series="be-handels"
    )
    assert quiet.warnings == ()
    result = _runner().invoke(
        main,
        _cli_args(
            D("1000.00"), date(2002, 6, 30), date(2002, 12, 31), "be-handels", "365", [], "geen"
        ),
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["waarschuwingen"] == list(early.warnings)
