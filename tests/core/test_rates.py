"""The shipped rate tables: sorted, complete from 2010, overridable."""

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
    with pytest.raises(RateTableGap, match="01-01-2005.*Rentes"):
        builtin().table(RateSeries.NL_STATUTORY).rate_on(date(2005, 1, 1))


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
