"""The shipped rate tables: sorted, complete back to their first row, with sources, overridable."""

from datetime import date
from decimal import Decimal as D

import pytest

from debiteuren.core.rates import RateRow, RateSeries, RateTableGap, UnknownRateSeries, builtin


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


def test_gap_before_the_first_row_is_a_clear_error():
    with pytest.raises(RateTableGap, match="31-12-2000.*Rentes"):
        builtin().table(RateSeries.NL_STATUTORY).rate_on(date(2000, 12, 31))


#: The first row of each series (README "Rentetabellen"): NL from 2001 / 1-12-2002 (the start of
#: 6:119a BW), BE legal interest from 1-09-1996; BE late-payment rate from 2008 (earlier
#: semesters are incomplete in the sources, see the comment in rates.csv).
FIRST_ROWS = {
    RateSeries.NL_STATUTORY: (date(2001, 1, 1), D("8.00")),
    RateSeries.NL_COMMERCIAL: (date(2002, 12, 1), D("10.35")),
    RateSeries.BE_COMMERCIAL: (date(2008, 1, 1), D("11.50")),
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
