"""Worked examples of shared/domain (nl.md §9, be.md §10, README) to the cent, and the engine
against the day-by-day reference on random claims."""

import copy
import sys
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren.core.interest import CostCharge, Ledger, statement
from debiteuren.core.model import DayCount, Feb29Anniversary
from debiteuren.core.money import precise
from debiteuren.core.rates import RateSeries, RateTableGap, builtin

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from daybyday import REF_SERIES, RefNoRate, ref_anniversary, reference  # the shared reference

RATES = builtin()
W = RATES.table(RateSeries.NL_STATUTORY)
H = RATES.table(RateSeries.NL_COMMERCIAL)
BH = RATES.table(RateSeries.BE_COMMERCIAL)
BL = RATES.table(RateSeries.BE_LEGAL)

# (vector, principal, start, end, table, day count, capitalised amounts, total interest)
NL_VECTORS = [
    ("TV-01", "1000", date(2024, 3, 15), date(2024, 6, 15), W, "365", [], "17.64"),
    ("TV-01", "1000", date(2024, 3, 15), date(2024, 6, 15), W, "werkelijk", [], "17.60"),
    ("TV-01", "1000", date(2024, 3, 15), date(2024, 6, 15), W, "rentejaar", [], "17.64"),
    ("TV-02", "2500", date(2024, 11, 30), date(2025, 2, 28), W, "365", [], "39.11"),
    ("TV-02", "2500", date(2024, 11, 30), date(2025, 2, 28), W, "werkelijk", [], "39.07"),
    ("TV-02", "2500", date(2024, 11, 30), date(2025, 2, 28), W, "rentejaar", [], "39.11"),
    (
        "TV-03",
        "10000",
        date(2022, 6, 30),
        date(2024, 9, 30),
        W,
        "365",
        ["299.18", "671.00"],
        "1163.74",
    ),
    (
        "TV-03",
        "10000",
        date(2022, 6, 30),
        date(2024, 9, 30),
        W,
        "werkelijk",
        ["299.18", "670.02"],
        "1162.21",
    ),
    (
        "TV-03",
        "10000",
        date(2022, 6, 30),
        date(2024, 9, 30),
        W,
        "rentejaar",
        ["299.18", "669.17"],
        "1161.87",
    ),
    (
        "TV-04",
        "50000",
        date(2021, 3, 31),
        date(2025, 3, 31),
        H,
        "365",
        ["4000.00", "4652.88", "6911.40"],
        "23458.94",
    ),
    (
        "TV-04",
        "50000",
        date(2021, 3, 31),
        date(2025, 3, 31),
        H,
        "werkelijk",
        ["4000.00", "4652.88", "6906.40"],
        "23436.69",
    ),
    (
        "TV-04",
        "50000",
        date(2021, 3, 31),
        date(2025, 3, 31),
        H,
        "rentejaar",
        ["4000.00", "4652.88", "6892.51"],
        "23437.77",
    ),
    (
        "TV-04b",
        "50000",
        date(2021, 3, 31),
        date(2025, 6, 30),
        H,
        "365",
        ["4000.00", "4652.88", "6911.40", "7894.66"],
        "25501.00",
    ),
    (
        "TV-04b",
        "50000",
        date(2021, 3, 31),
        date(2025, 6, 30),
        H,
        "werkelijk",
        ["4000.00", "4652.88", "6906.40", "7877.41"],
        "25478.13",
    ),
    ("TV-05", "3000", date(2025, 6, 30), date(2025, 8, 14), H, "365", [], "37.54"),
    ("TV-05", "3000", date(2025, 6, 30), date(2025, 8, 14), H, "werkelijk", [], "37.54"),
    ("TV-06", "1210", date(2025, 2, 9), date(2025, 3, 11), H, "365", [], "11.09"),
    ("TV-06 alt", "1210", date(2025, 2, 10), date(2025, 3, 11), H, "365", [], "10.72"),
    ("TV-10", "5000", date(2024, 2, 28), date(2025, 3, 15), W, "365", ["342.05"], "356.10"),
    ("TV-10", "5000", date(2024, 2, 28), date(2025, 3, 15), W, "werkelijk", ["341.25"], "355.30"),
    ("TV-10", "5000", date(2024, 2, 28), date(2025, 3, 15), W, "rentejaar", ["342.05"], "356.10"),
]


@pytest.mark.parametrize(
    ("vector", "principal", "start", "end", "table", "basis", "caps", "expected"), NL_VECTORS
)
def test_nl_vectors(vector, principal, start, end, table, basis, caps, expected):
    st_ = statement(D(principal), start, end, table, compound=True, day_count=DayCount(basis))
    assert [str(c.amount) for c in st_.capitalisations] == caps
    assert st_.interest == D(expected)
    assert sum(p.interest for p in st_.periods) == st_.interest
    # principal + interest = grown base + running interest
    assert st_.outstanding == D(principal) + st_.interest


def test_tv10_march_first_anniversary_variant():
    # nl.md TV-10: the 1-March anniversary gives 356.05 (365) and 355.24 (werkelijk).
    for basis, expected in (("365", "356.05"), ("werkelijk", "355.24")):
        st_ = statement(
            D(5000),
            date(2024, 2, 28),
            date(2025, 3, 15),
            W,
            compound=True,
            day_count=DayCount(basis),
            feb29=Feb29Anniversary.MAR_1,
        )
        assert st_.capitalisations[0].on == date(2025, 3, 1)
        assert st_.interest == D(expected)


def test_tv04_breakdown_periods():
    st_ = statement(D(50000), date(2021, 3, 31), date(2025, 3, 31), H, compound=True)
    got = [(p.start, p.end, p.days, p.base, p.rate) for p in st_.periods]
    assert got[:4] == [
        (date(2021, 4, 1), date(2022, 3, 31), 365, D("50000"), D("8.00")),
        (date(2022, 4, 1), date(2022, 12, 31), 275, D("54000.00"), D("8.00")),
        (date(2023, 1, 1), date(2023, 3, 31), 90, D("54000.00"), D("10.50")),
        (date(2023, 4, 1), date(2023, 6, 30), 91, D("58652.88"), D("10.50")),
    ]
    assert got[-1] == (date(2025, 1, 1), date(2025, 3, 31), 90, D("65564.28"), D("11.15"))
    # the payment day is the last day of year 4: not capitalised
    assert st_.interest_open == D("7894.66")


BE_VECTORS = [
    ("B2", "1000", date(2025, 3, 31), date(2025, 5, 30), BH, "365", "18.90"),
    ("B4", "5000", date(2023, 11, 30), date(2024, 2, 29), BH, "365", "153.70"),
    ("B4", "5000", date(2023, 11, 30), date(2024, 2, 29), BH, "werkelijk", "153.42"),
    ("B6a", "100", date(2025, 1, 31), date(2025, 3, 2), BH, "365", "0.95"),
    ("B6b", "200", date(2025, 1, 31), date(2025, 3, 2), BH, "365", "1.89"),
    ("B6c", "300", date(2025, 1, 31), date(2025, 3, 2), BH, "365", "2.84"),
    ("B9", "50", date(2025, 10, 31), date(2025, 11, 10), BH, "365", "0.14"),
    ("B10", "8000", date(2024, 12, 15), date(2025, 1, 14), BH, "365", "79.12"),
    ("B10", "8000", date(2024, 12, 15), date(2025, 1, 14), BH, "werkelijk", "79.00"),
    ("L1", "2000", date(2025, 11, 15), date(2026, 2, 14), BL, "365", "22.44"),
    ("L2", "1000", date(2024, 12, 1), date(2025, 1, 31), BL, "365", "8.55"),
    ("L2", "1000", date(2024, 12, 1), date(2025, 1, 31), BL, "werkelijk", "8.54"),
]


@pytest.mark.parametrize(
    ("vector", "principal", "start", "end", "table", "basis", "expected"), BE_VECTORS
)
def test_be_vectors(vector, principal, start, end, table, basis, expected):
    st_ = statement(D(principal), start, end, table, compound=False, day_count=DayCount(basis))
    assert st_.interest == D(expected)
    assert not st_.capitalisations
    assert sum(p.interest for p in st_.periods) == st_.interest


def test_be_simple_interest_never_capitalises_over_years():
    st_ = statement(D(1000), date(2015, 1, 31), date(2025, 1, 31), BH, compound=False)
    assert not st_.capitalisations
    assert all(p.base == D(1000) for p in st_.periods)


def test_tv08_partial_payment_allocation():
    # nl.md TV-08: BIK 150 due from 19-02-2025; 500 paid 30-04-2025.
    st_ = statement(
        D("1000.00"),
        date(2025, 1, 31),
        date(2025, 7, 31),
        W,
        compound=True,
        charges=[CostCharge(on=date(2025, 2, 19), amount=D("150.00"))],
        payments=[(date(2025, 4, 30), D("500.00"))],
    )
    (alloc,) = st_.allocations
    assert (alloc.to_costs, alloc.to_interest, alloc.to_principal) == (
        D("150.00"),
        D("14.63"),
        D("335.37"),
    )
    assert st_.principal_open == D("664.63")
    assert st_.interest_open == D("10.05")
    assert st_.outstanding == D("674.68")
    # the wrong implementation (principal first) would give 672.19: a difference of 2.49
    assert st_.outstanding - D("672.19") == D("2.49")


def test_b7_partial_payment_then_final():
    st_ = statement(
        D("3000.00"),
        date(2025, 6, 30),
        date(2025, 9, 30),
        BH,
        compound=False,
        charges=[CostCharge(on=date(2025, 7, 1), amount=D("40.00"))],
        payments=[(date(2025, 7, 31), D("1000.00"))],
    )
    assert st_.allocations[0].to_interest == D("26.75")
    assert st_.principal_open == D("2066.75")
    assert st_.interest_open == D("36.27")
    assert st_.outstanding == D("2103.02")


def test_c6_partial_payment_after_term():
    # be.md C6: lump sum 90 and interest from 22-10-2025; 600 paid 20-11-2025.
    st_ = statement(
        D("1000.00"),
        date(2025, 10, 21),
        date(2025, 12, 31),
        BH,
        compound=False,
        charges=[CostCharge(on=date(2025, 10, 22), amount=D("90.00"))],
        payments=[(date(2025, 11, 20), D("600.00"))],
    )
    assert st_.principal_open == D("498.63")
    assert st_.interest_open == D("5.88")
    assert st_.outstanding == D("504.51")


def test_payment_larger_than_claim_leaves_surplus():
    st_ = statement(
        D("100.00"),
        date(2025, 1, 31),
        date(2025, 3, 31),
        W,
        compound=True,
        payments=[(date(2025, 2, 10), D("150.00"))],
    )
    assert st_.outstanding == 0
    assert st_.surplus == D("150.00") - D("100.00") - st_.interest
    assert st_.interest == D("0.16")  # 10 days x 6% on 100


def test_interest_stops_when_paid_and_capitalised_interest_is_paid_first():
    st_ = statement(
        D("1000.00"),
        date(2023, 1, 31),
        date(2025, 1, 31),
        W,
        compound=True,
        payments=[(date(2024, 6, 30), D("2000.00"))],
    )
    assert st_.outstanding == 0
    assert st_.periods[-1].end == date(2024, 6, 30)


def test_no_schedule_means_no_interest():
    st_ = statement(D("500.00"), date(2025, 1, 31), date(2026, 1, 31), None, compound=True)
    assert st_.interest == 0 and st_.outstanding == D("500.00")


amounts = st.integers(min_value=1, max_value=100_000_000).map(lambda c: D(c) / 100)
days = st.dates(min_value=date(2010, 1, 1), max_value=date(2025, 12, 31))


@settings(max_examples=200, deadline=None)
@given(
    amounts,
    days,
    st.integers(0, 3000),
    st.sampled_from([W, H, BH, BL]),
    st.sampled_from(list(DayCount)),
)
def test_interest_is_never_negative(principal, start, length, table, basis):
    from datetime import timedelta

    st_ = statement(
        principal,
        start,
        start + timedelta(days=length),
        table,
        compound=table in (W, H),
        day_count=basis,
    )
    assert st_.interest >= 0
    assert all(p.interest >= 0 for p in st_.periods)


@settings(max_examples=200, deadline=None)
@given(
    amounts,
    days,
    st.integers(1, 2000),
    st.data(),
    st.sampled_from([BH, BL, W, H]),
    st.sampled_from([DayCount.ACT_365, DayCount.ACTUAL]),
)
def test_splitting_a_period_keeps_simple_interest(principal, start, length, data, table, basis):
    """Simple interest over (a, c] equals (a, b] + (b, c] up to the rounding of each part."""
    from datetime import timedelta

    cut = data.draw(st.integers(0, length))
    end = start + timedelta(days=length)
    mid = start + timedelta(days=cut)
    whole = statement(principal, start, end, table, compound=False, day_count=basis)
    exact_whole = sum(p.exact for p in whole.periods)
    first = statement(principal, start, mid, table, compound=False, day_count=basis)
    second = statement(principal, mid, end, table, compound=False, day_count=basis)
    exact_parts = sum(p.exact for p in first.periods) + sum(p.exact for p in second.periods)
    assert abs(exact_whole - exact_parts) < D("1e-20")
    assert abs(whole.interest - first.interest - second.interest) <= D("0.01")


# --------------------------------------------------------------------------------------------
# The closed-form engine against the day-by-day reference (tests/daybyday.py)
# --------------------------------------------------------------------------------------------

#: The reference's series names (as ``bereken --rente`` spells them) with the engine's table.
SERIES = {name: RATES.table(REF_SERIES[name][0]) for name in REF_SERIES if name != "geen"}


@st.composite
def random_claims(draw):
    """A claim due between 2002 and 2026 with up to five payments, in any series and day count.

    Payments fall on random days and on the days around anniversaries, year ends and rate
    changes, where the engine's runs of days begin and end.
    """
    cents = draw(st.one_of(st.integers(1, 500_000_000), st.sampled_from([1, 49, 50, 99_999])))
    # Early 2002 lies before the first BE commercial and NL commercial rates.
    due = draw(
        st.dates(date(2002, 1, 1), date(2026, 12, 31))
        | st.dates(date(2002, 1, 1), date(2003, 1, 31))
    )
    years = draw(st.integers(0, 24))
    length = years * 365 + draw(st.integers(0, 366) | st.sampled_from([0, 1, years // 4]))
    until = due + timedelta(days=length)
    series = draw(st.sampled_from(sorted(SERIES)))
    first = due + timedelta(days=1)
    edges = [ref_anniversary(first, k) for k in range(1, 26)]
    edges += [date(y, 1, 1) for y in range(due.year + 1, until.year + 1)]
    edges += [r.effective_from for r in SERIES[series].rows]
    near = [d + timedelta(days=shift) for d in edges for shift in (-1, 0) if due <= d <= until]
    day = st.one_of(
        st.integers(0, length).map(lambda n: due + timedelta(days=n)),
        st.sampled_from(near) if near else st.just(until),
    )
    pays = draw(
        st.lists(
            st.tuples(
                day,
                st.one_of(
                    st.integers(1, max(1, cents * 6 // 5)), st.integers(1, 10_000), st.just(cents)
                ).map(lambda c: D(c).scaleb(-2)),
            ),
            max_size=5,
        )
    )
    return {
        "amount": D(cents).scaleb(-2),
        "due": due,
        "until": until,
        "series": series,
        "day_count": draw(st.sampled_from(list(DayCount))),
        "payments": sorted(pays, key=lambda p: p[0]),
    }


@settings(max_examples=300, deadline=None)
@given(random_claims())
def test_engine_matches_the_day_by_day_reference(c):
    """Interest, payments and what is owed agree to the cent with a loop over every day."""

    def engine():
        return statement(
            c["amount"],
            c["due"],
            c["until"],
            SERIES[c["series"]],
            compound=REF_SERIES[c["series"]][1],
            day_count=c["day_count"],
            payments=c["payments"],
        )

    try:
        ref = reference(
            c["amount"], c["due"], c["until"], c["series"], c["day_count"].value, c["payments"]
        )
    except RefNoRate:  # a day before the table's first rate: the engine refuses it too
        with pytest.raises(RateTableGap):
            engine()
        return
    got = engine()
    assert (got.interest, got.paid, got.outstanding) == (ref.rente, ref.betaald, ref.openstaand)
    assert [cap.amount for cap in got.capitalisations] == [x for x in ref.caps if x]
    assert sum(p.interest for p in got.periods) == got.interest


def test_costs_charged_mid_run_do_not_split_the_interest_line():
    """Demo K008 (Belgian consumer, 10 % agreed): the lump sum charged on 19-08-2026, the day
    after the first reminder's term, split the interest into "05-08 t/m 18-08" and "19-08 t/m
    15-10" at the same rate and base in the letter. One line now, with the same interest."""
    from debiteuren.core.rates import FixedRate

    ten = FixedRate(D("10"))
    start, end = date(2026, 8, 4), date(2026, 10, 15)
    charged = statement(
        D("380.00"),
        start,
        end,
        ten,
        compound=False,
        charges=[CostCharge(on=date(2026, 8, 19), amount=D("53.00"))],
    )
    plain = statement(D("380.00"), start, end, ten, compound=False)
    assert [(p.start, p.end, p.days, p.base, p.rate, p.interest) for p in charged.periods] == [
        (date(2026, 8, 5), date(2026, 10, 15), 72, D("380.00"), D("10"), D("7.50"))
    ]
    assert charged.periods == plain.periods
    assert (charged.interest, charged.costs) == (plain.interest, D("53.00")) == (D("7.50"), 53)
    with precise():  # the line is its own product: 380 x 10 % x 72 / 365
        assert charged.periods[0].exact == D("380.00") * 10 * 72 / (100 * 365)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 400), st.integers(1, 400), st.integers(0, 3))
def test_runs_of_one_rate_and_base_are_one_line_and_keep_every_cent(before, after, k):
    """A charge inside a run of one rate and base: the lines are those of the run without it,
    and the shares still add up to the interest (merging lines changes no amount)."""
    start = date(2024, 1, 1) + timedelta(days=k * 91)
    end = start + timedelta(days=before + after)
    charge = [CostCharge(on=start + timedelta(days=before + 1), amount=D("40.00"))]
    charged = statement(D("1234.56"), start, end, H, compound=True, charges=charge)
    plain = statement(D("1234.56"), start, end, H, compound=True)
    assert charged.interest == plain.interest
    assert [(p.start, p.end, p.base, p.rate) for p in charged.periods] == [
        (p.start, p.end, p.base, p.rate) for p in plain.periods
    ]
    assert sum(p.interest for p in charged.periods) == charged.interest


def test_periods_are_made_from_the_history_once():
    """The runs are kept as values and made into InterestPeriod lines when read, once; each
    line's exact interest is its own product (TV-03's first run: 10,000 at 2 % for 184 days)."""
    got = statement(D("10000"), date(2022, 6, 30), date(2024, 9, 30), W, compound=True)
    assert got.periods is got.periods
    first = got.periods[0]
    assert (first.start, first.end, first.base, first.rate, first.interest) == (
        date(2022, 7, 1),
        date(2022, 12, 31),
        D("10000"),
        D("2.00"),
        D("100.82"),
    )
    with precise():  # 40 digits, as the engine computes a run
        assert first.exact == first.base * first.rate * first.days / (100 * first.divisor)
    assert sum(p.interest for p in got.periods) == got.interest
    # the history: per rounding the number of runs, six values per run, the rounded total
    at, runs, rounded = 0, 0, []
    while at < len(got.history):
        runs += got.history[at]
        rounded.append(got.history[at + 1 + 6 * got.history[at]])
        at += 2 + 6 * got.history[at]
    assert runs == len(got.periods) == 5
    # rounded on each anniversary (capitalised) and at the peildatum
    assert rounded == [D("299.18"), D("671.00"), D("193.56")]
    assert sum(rounded) == got.interest == D("1163.74")


@settings(max_examples=200, deadline=None)
@given(random_claims(), st.data())
def test_a_settled_ledger_owes_nothing_later_and_asking_changes_nothing(c, data):
    """Issue 17: a payment spread over a customer's invoices passes a ``settled`` invoice by
    without asking what it owes. That is sound only if such a ledger owes nothing on any later
    day, and if not asking (not advancing it to that day) leaves its statement the same."""
    if c["series"] not in SERIES:
        return

    def ledger():
        return Ledger(
            c["amount"],
            c["due"],
            SERIES[c["series"]],
            REF_SERIES[c["series"]][1],
            c["day_count"],
        )

    asked, left = ledger(), ledger()
    try:
        for on, amount in c["payments"]:
            owed = asked.owed(on)  # as a spread payment asked of every invoice before
            if not left.settled:  # as it asks now
                assert left.owed(on) == owed
            else:
                assert owed == 0
                later = on + timedelta(days=data.draw(st.integers(0, 4000)))
                assert copy.deepcopy(left).owed(later) == 0
            if owed > 0:
                asked.pay(on, amount)
                left.pay(on, amount)
        got, expected = left.close(c["until"]), asked.close(c["until"])
    except RateTableGap:
        return
    assert got == expected
    assert got.periods == expected.periods
