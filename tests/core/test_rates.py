"""The shipped rate tables: sorted, complete back to their first row, with sources, overridable."""

import math
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren.core.rates import (
    CappedRate,
    FixedRate,
    RateRow,
    RateSeries,
    RateTableGap,
    UnknownRateSeries,
    builtin,
    rate_segments,
)


@pytest.mark.parametrize("series", list(RateSeries))
def test_every_table_is_sorted_and_covers_2010(series):
    table = builtin().table(series)
    days = [r.effective_from for r in table.rows]
    assert days == sorted(days) and len(set(days)) == len(days)
    assert days[0] <= date(2010, 1, 1)
    assert table.rate_on(date(2010, 1, 1)) > 0
    assert all(r.source for r in table.rows)
    assert all(D(0) < r.rate < D(20) for r in table.rows)


def test_rate_lookup_on_change_days():
    w = builtin().table(RateSeries.NL_STATUTORY)
    assert w.rate_on(date(2024, 12, 31)) == D("7.00")
    assert w.rate_on(date(2025, 1, 1)) == D("6.00")
    assert w.change_days(date(2024, 1, 1), date(2025, 6, 30)) == [date(2025, 1, 1)]
    assert builtin().table(RateSeries.BE_COMMERCIAL).rate_on(date(2019, 10, 1)) == D("8.00")


def test_a_gap_survives_pickling_with_its_customer():
    """A worker process sends its error pickled: RateTableGap(series, day) unpickled as
    RateTableGap(message), a TypeError (missing 'day') instead of the Dutch message."""
    import pickle

    gap = RateTableGap("nl_handelsrente", date(1950, 4, 15)).for_debtor("K003")
    back = pickle.loads(pickle.dumps(gap))
    assert (back.series, back.day, back.debtor, str(back)) == (
        gap.series,
        gap.day,
        "K003",
        "Klant 'K003': geen percentage voor de NL handelsrente (art. 6:119a BW) op 15-04-1950; "
        "vul het ontbrekende percentage aan (in het werkboek op het blad Rentes).",
    )


def test_gap_before_the_first_row_is_a_clear_error():
    with pytest.raises(RateTableGap, match="31-12-2000.*Rentes"):
        builtin().table(RateSeries.NL_STATUTORY).rate_on(date(2000, 12, 31))


#: The first row of each series (README "Rentetabellen"): NL from 2001 / 1-12-2002 (the start of
#: 6:119a BW), BE legal interest from 1-09-1996; BE late-payment rate from 7-08-2002, the day the
#: Law of 2 August 2002 came into force (every semester since, see the comment in rates.csv).
FIRST_ROWS = {
    RateSeries.NL_STATUTORY: (date(2001, 1, 1), D("8.00")),
    RateSeries.NL_COMMERCIAL: (date(2002, 12, 1), D("10.35")),
    RateSeries.BE_COMMERCIAL: (date(2002, 8, 7), D("10.50")),
    RateSeries.BE_LEGAL: (date(1996, 9, 1), D("7.00")),
}


@pytest.mark.parametrize("series", list(RateSeries))
def test_first_row_of_each_series(series):
    first = builtin().table(series).rows[0]
    assert (first.effective_from, first.rate) == FIRST_ROWS[series]


@pytest.mark.parametrize(
    ("series", "day", "rate", "gazette", "ref", "published"),
    [
        (RateSeries.NL_STATUTORY, date(2002, 6, 30), "7.00", "stb", "", None),
        (RateSeries.NL_STATUTORY, date(2003, 8, 1), "5.00", "stb", "2003, 280", date(2003, 7, 3)),
        (RateSeries.NL_STATUTORY, date(2005, 1, 1), "4.00", "stb", "2004, 13", date(2004, 1, 15)),
        (RateSeries.NL_STATUTORY, date(2008, 1, 1), "6.00", "stb", "2006, 700", date(2006, 12, 11)),
        (RateSeries.NL_STATUTORY, date(2009, 7, 1), "4.00", "stb", "2009, 262", date(2009, 6, 19)),
        (RateSeries.NL_COMMERCIAL, date(2004, 10, 1), "9.01", "", "", None),
        (RateSeries.NL_COMMERCIAL, date(2008, 1, 1), "11.20", "", "", None),
        (
            RateSeries.BE_COMMERCIAL,
            date(2008, 9, 1),
            "11.50",
            "bs",
            "2008003014",
            date(2008, 1, 14),
        ),
        (RateSeries.BE_COMMERCIAL, date(2009, 7, 1), "8.00", "bs", "", date(2009, 7, 22)),
        (RateSeries.BE_COMMERCIAL, date(2002, 8, 7), "10.50", "bs", "", date(2002, 10, 3)),
        (RateSeries.BE_COMMERCIAL, date(2003, 6, 30), "10.00", "bs", "", date(2003, 2, 14)),
        # 2003 H2 to 2006 H1 unchanged at 9.5 %: one row, the first semester's notice
        (RateSeries.BE_COMMERCIAL, date(2005, 9, 1), "9.50", "bs", "", date(2003, 7, 17)),
        (RateSeries.BE_COMMERCIAL, date(2006, 7, 1), "10.00", "bs", "", None),
        (
            RateSeries.BE_COMMERCIAL,
            date(2007, 6, 30),
            "11.00",
            "bs",
            "2007003049",
            date(2007, 1, 30),
        ),
        (RateSeries.BE_COMMERCIAL, date(2007, 12, 31), "11.50", "bs", "", None),
        (RateSeries.BE_LEGAL, date(2003, 1, 1), "7.00", "bs", "", None),
        (RateSeries.BE_LEGAL, date(2008, 6, 1), "7.00", "bs", "", date(2008, 1, 15)),
    ],
)
def test_old_rates_and_their_publications(series, day, rate, gazette, ref, published):
    row = builtin().table(series).row_on(day)
    assert row.rate == D(rate)
    assert (row.gazette, row.gazette_ref, row.gazette_date) == (gazette, ref, published)


def test_unverified_rows_are_marked():
    unconfirmed = {(r.series, r.effective_from) for r in builtin().all_rows() if not r.verified}
    assert ("nl_handelsrente", date(2004, 7, 1)) in unconfirmed
    assert ("nl_wettelijke_rente", date(2026, 1, 1)) in unconfirmed
    assert ("nl_wettelijke_rente", date(2003, 8, 1)) not in unconfirmed


def test_the_belgian_late_payment_rate_before_2008_row_by_row():
    rows = [
        r for r in builtin().table(RateSeries.BE_COMMERCIAL).rows if r.effective_from.year < 2008
    ]
    assert [(r.effective_from, r.rate, r.status) for r in rows] == [
        (date(2002, 8, 7), D("10.50"), "secondary"),
        (date(2003, 1, 1), D("10.00"), "secondary"),
        (date(2003, 7, 1), D("9.50"), "secondary"),
        (date(2006, 7, 1), D("10.00"), "secondary"),
        (date(2007, 1, 1), D("11.00"), "official"),
        (date(2007, 7, 1), D("11.50"), "derived"),
    ]
    # the law is not in force before 7-08-2002: no rate, a clear error
    with pytest.raises(RateTableGap, match="06-08-2002"):
        builtin().table(RateSeries.BE_COMMERCIAL).rate_on(date(2002, 8, 6))


@pytest.mark.parametrize(
    ("ecb", "rate"),
    [
        # ECB rate of the last main refinancing operation before the half-year (the marginal
        # rate of a variable-rate tender) -> the published rate (rates.csv header)
        ("3.35", "10.50"),  # 2002 H2
        ("2.85", "10.00"),  # 2003 H1 (the minister's figure)
        ("2.10", "9.50"),  # 2003 H2
        ("2.83", "10.00"),  # 2006 H2
        ("3.58", "11.00"),  # 2007 H1, BS 30-01-2007
        ("4.07", "11.50"),  # 2007 H2, derived
        ("4.20", "11.50"),  # 2008 H1, BS 14-01-2008
        ("2.50", "9.50"),  # 2009 H1: a value on a half point is not raised
    ],
)
def test_the_pre_2013_rule_gives_the_loaded_rates(ecb, rate):
    # ECB + 7, rounded up to the next half point (art. 5 of the Law of 2 August 2002)
    assert math.ceil((D(ecb) + 7) * 2) / D(2) == D(rate)


def test_a_derived_belgian_rate_says_how_it_was_computed():
    from debiteuren.core.rules import rate_citation

    row = builtin().table(RateSeries.BE_COMMERCIAL).row_on(date(2007, 9, 1))
    assert rate_citation(row) == (
        "art. 5 wet van 2 augustus 2002; publicatie in het Belgisch Staatsblad niet "
        "teruggevonden; percentage berekend volgens art. 5 (referentie-interestvoet van de ECB "
        "plus 7 procentpunten, afgerond tot het hogere halve procentpunt)"
    )
    assert "majoré de 7 points" in rate_citation(row, "fr")


def test_a_sheet_row_with_the_same_rate_keeps_the_publication():
    sheet = RateRow(
        series="nl_wettelijke_rente",
        effective_from=date(2003, 8, 1),
        rate=D("5.00"),
        status="official",
        source="eigen notitie",
    )
    row = builtin().with_rows([sheet]).table("nl_wettelijke_rente").row_on(date(2003, 9, 1))
    assert (row.source, row.gazette_ref) == ("eigen notitie", "2003, 280")
    changed = builtin().with_rows(
        [
            RateRow(
                series="nl_wettelijke_rente",
                effective_from=date(2003, 8, 1),
                rate=D("5.50"),
                source="correctie",
            )
        ]
    )
    assert changed.table("nl_wettelijke_rente").row_on(date(2003, 9, 1)).gazette_ref == ""


def test_rows_added_at_run_time_win():
    book = builtin().with_rows(
        [
            RateRow(
                series="be_handelsrente",
                effective_from=date(2026, 7, 1),
                rate=D("10.00"),
                source="BS 2026",
            ),
            RateRow(
                series="nl_wettelijke_rente",
                effective_from=date(2026, 1, 1),
                rate=D("4.50"),
                source="eigen correctie",
            ),
        ]
    )
    assert book.table("be_handelsrente").rate_on(date(2026, 8, 1)) == D("10.00")
    assert book.table("nl_wettelijke_rente").rate_on(date(2026, 2, 1)) == D("4.50")
    assert builtin().table("nl_wettelijke_rente").rate_on(date(2026, 2, 1)) == D("4.00")


def test_unknown_series():
    with pytest.raises(UnknownRateSeries, match="Onbekende rentesoort 'xx'"):
        builtin().table("xx")


def test_the_readme_rate_table_lists_the_first_row_of_each_series():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Rentetabellen", 1)[1].split("\n## ", 1)[0]
    for series, (day, rate) in FIRST_ROWS.items():
        line = next(x for x in section.splitlines() if x.startswith(f"| {series.short_label} ("))
        assert f"{day:%d-%m-%Y}: {rate:.2f}".replace(".", ",") + "%" in line, series


class _Plain:
    """A schedule that offers only the protocol (no stretches of its own)."""

    def __init__(self, table):
        self.table = table

    def rate_on(self, day):
        return self.table.rate_on(day)

    def change_days(self, first, last):
        return self.table.change_days(first, last)

    def source_on(self, day):
        return self.table.source_on(day)


SCHEDULES = [
    *(builtin().table(s) for s in RateSeries),
    FixedRate(D("7.5")),
    CappedRate(FixedRate(D("9"), "beding"), builtin().table(RateSeries.BE_COMMERCIAL)),
    _Plain(builtin().table(RateSeries.NL_STATUTORY)),
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SCHEDULES), st.dates(date(1990, 1, 1), date(2035, 12, 31)))
def test_stretches_give_the_schedules_rate_source_and_row_on_every_day(schedule, day):
    """The interest engine reads the stretches instead of the schedule: they must agree."""
    stretches = rate_segments(schedule)
    k = stretches.index(day)
    assert stretches.starts[k] <= day
    assert k + 1 == len(stretches.starts) or day < stretches.starts[k + 1]
    try:
        rate = schedule.rate_on(day)
    except RateTableGap:
        assert stretches.rates[k] is None
        return
    assert stretches.rates[k] == rate
    assert stretches.sources[k] == schedule.source_on(day)
    row_on = getattr(schedule, "row_on", None)
    assert stretches.rows[k] == (row_on(day) if row_on else None)


def test_a_table_is_cut_once_per_run():
    table = builtin().with_rows([]).table(RateSeries.NL_COMMERCIAL)
    assert rate_segments(table) is rate_segments(table)
    assert rate_segments(table).starts[1:] == table.days
