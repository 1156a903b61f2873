"""Rate warnings: a rate carried past its known period, an unconfirmed rate (README rule 6)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import openpyxl
from click.testing import CliRunner

from debiteuren import service
from debiteuren.cli import main
from debiteuren.core.book import assess_book
from debiteuren.core.model import Country, Creditor, Debtor, DebtorKind, Invoice, Settings
from debiteuren.core.rate_watch import assessment_rate_warnings, carried_quoted, series_in_use
from debiteuren.core.rates import (
    CONFIRMED_UNTIL,
    RateBook,
    RateRow,
    builtin,
    known_until,
    rate_warnings,
)

BE_B2B = "be_handelsrente"
NOW = datetime(2027, 9, 1, 9, 0)


def debtor(number: str, country: str, kind: DebtorKind) -> Debtor:
    return Debtor(number=number, name=f"Klant {number}", country=Country(country), kind=kind)


def row(series: str, day: date, rate: str, status: str = "secondary", source: str = "") -> RateRow:
    return RateRow(series=series, effective_from=day, rate=D(rate), status=status, source=source)


class TestKnownPeriod:
    def test_be_b2b_past_its_known_period_warns_with_the_rate_carried_forward(self):
        warnings = rate_warnings(builtin(), {BE_B2B}, date(2026, 5, 1), date(2027, 3, 1))
        assert warnings == [
            "Het percentage van de BE handelsrente (wet van 2 augustus 2002) na 30-06-2026 is "
            "nog niet bekend; debiteuren rekent door met 10,50 %. Controleer het gepubliceerde "
            "percentage en vul het aan op het blad Rentes."
        ]

    def test_no_warning_within_the_known_period(self):
        # The newest row is 2025-07-01; 2026 H1 is confirmed unchanged (CONFIRMED_UNTIL).
        assert CONFIRMED_UNTIL[BE_B2B] == date(2026, 6, 30)
        assert rate_warnings(builtin(), {BE_B2B}, date(2025, 9, 1), date(2026, 6, 30)) == []
        assert rate_warnings(builtin(), {BE_B2B}, date(2025, 9, 1), date(2026, 7, 1)) != []

    def test_half_year_and_year_of_the_newest_row(self):
        book = RateBook.from_rows(
            [
                row("nl_handelsrente", date(2030, 1, 1), "9.00"),
                row("be_wettelijke_interest", date(2030, 1, 1), "3.00"),
                row("nl_wettelijke_rente", date(2030, 7, 1), "5.00"),
            ]
        )
        assert known_until(book.table("nl_handelsrente")) == date(2030, 6, 30)
        assert known_until(book.table("be_wettelijke_interest")) == date(2030, 12, 31)
        assert known_until(book.table("nl_wettelijke_rente")) == date(2030, 12, 31)

    def test_a_user_row_for_the_missing_half_year_removes_the_warning(self):
        user = row(BE_B2B, date(2026, 7, 1), "10.25", status="user", source="Staatsblad")
        book = builtin().with_rows([user])
        assert rate_warnings(book, {BE_B2B}, date(2026, 5, 1), date(2026, 12, 31)) == []
        # ... but not the next one.
        later = rate_warnings(book, {BE_B2B}, date(2026, 5, 1), date(2027, 3, 1))
        assert len(later) == 1 and "na 31-12-2026" in later[0] and "10,25 %" in later[0]


class TestUnconfirmed:
    BOOK = RateBook.from_rows(
        [
            row("nl_wettelijke_rente", date(2025, 1, 1), "6.00"),
            row("nl_wettelijke_rente", date(2026, 1, 1), "4.00", "unconfirmed", "code only"),
            row("nl_wettelijke_rente", date(2026, 7, 1), "4.00", "official", "Stb."),
        ]
    )

    def test_an_unconfirmed_row_overlapping_the_period_warns(self):
        warnings = rate_warnings(
            self.BOOK, {"nl_wettelijke_rente"}, date(2025, 11, 1), date(2026, 8, 1)
        )
        assert warnings == [
            "Het percentage van 4,00 % voor de NL wettelijke rente (art. 6:119 BW) vanaf "
            "01-01-2026 is niet bevestigd; controleer het aan de hand van de bron op het blad "
            "Rentes."
        ]

    def test_no_warning_outside_the_unconfirmed_period(self):
        series = {"nl_wettelijke_rente"}
        assert rate_warnings(self.BOOK, series, date(2025, 2, 1), date(2025, 12, 31)) == []
        assert rate_warnings(self.BOOK, series, date(2026, 7, 1), date(2026, 12, 31)) == []
        assert rate_warnings(self.BOOK, series, date(2026, 6, 30), date(2026, 12, 31)) != []

    def test_builtin_unconfirmed_rows_are_named_and_point_to_their_source(self):
        warnings = rate_warnings(
            builtin(), ["nl_handelsrente", "nl_handelsrente"], date(2026, 8, 1), date(2026, 9, 1)
        )
        assert len(warnings) == 1
        assert "10,40 %" in warnings[0] and "vanaf 01-07-2026" in warnings[0]
        assert "bron op het blad Rentes" in warnings[0]
        assert "rente.php" not in warnings[0]  # the English citation stays on the Rentes sheet


class TestSeriesInUse:
    def test_series_per_country_and_kind(self):
        debtors = [
            debtor("K1", "NL", DebtorKind.CONSUMER),
            debtor("K2", "NL", DebtorKind.BUSINESS),
            debtor("K3", "BE", DebtorKind.BUSINESS),
        ]
        assert series_in_use(debtors, Settings()) == {
            "nl_wettelijke_rente",
            "nl_handelsrente",
            "be_handelsrente",
        }

    def test_be_consumers_follow_the_settings(self):
        consumer = [debtor("K1", "BE", DebtorKind.CONSUMER)]
        assert series_in_use(consumer, Settings()) == set()
        assert series_in_use(consumer, Settings(be_consumer_interest_clause=D("8"))) == {BE_B2B}
        legal = Settings(be_consumer_no_clause="wettelijke_interest")
        assert series_in_use(consumer, legal) == {"be_wettelijke_interest"}

    def test_no_warning_for_a_series_not_in_use(self):
        # be_handelsrente is past its known period, but only NL debtors are open.
        used = series_in_use([debtor("K1", "NL", DebtorKind.BUSINESS)], Settings())
        assert BE_B2B not in used
        warnings = rate_warnings(builtin(), used, date(2026, 5, 1), date(2027, 3, 1))
        assert warnings and not any(BE_B2B in w for w in warnings)

    def test_from_an_assessment_only_open_overdue_invoices_count(self):
        creditor = Creditor(name="Test BV", city="Gent", iban="BE68539007547034")
        debtors = {
            "K1": debtor("K1", "BE", DebtorKind.BUSINESS),
            "K2": debtor("K2", "NL", DebtorKind.BUSINESS),
        }
        invoices = [
            Invoice(
                number="F1",
                debtor="K1",
                invoice_date=date(2026, 4, 1),
                due_date=date(2026, 5, 1),
                amount=D("1000.00"),
            ),
            Invoice(  # not yet due: no interest, no rate in use
                number="F2",
                debtor="K2",
                invoice_date=date(2027, 2, 1),
                due_date=date(2027, 4, 1),
                amount=D("1000.00"),
            ),
        ]

        def warnings(as_of: date) -> list[str]:
            a = assess_book(debtors, invoices, [], [], [], creditor, Settings(), builtin(), as_of)
            return assessment_rate_warnings(a, Settings(), builtin())

        assert warnings(date(2026, 6, 15)) == []
        late = warnings(date(2027, 3, 1))
        assert (
            len(late) == 1 and "BE handelsrente (wet van 2 augustus 2002) na 30-06-2026" in late[0]
        )


def _overzicht_rows(path) -> list[tuple]:
    return list(
        openpyxl.load_workbook(path, data_only=True)["Overzicht"].iter_rows(values_only=True)
    )


def test_update_reports_the_warnings_on_the_overzicht_and_a_rerun_changes_nothing(tmp_path):
    path = service.demo_workbook(tmp_path / "d.xlsx")
    first = service.update(path, date(2027, 9, 1), now=NOW)
    assert first.saved
    assert any(
        "BE handelsrente (wet van 2 augustus 2002) na 30-06-2026" in w for w in first.warnings
    )
    assert first.overview.rate_warnings == first.warnings
    cells = [v for r in _overzicht_rows(path) for v in r if isinstance(v, str)]
    assert "Rentepercentages" in cells
    assert all(f"⚠ {w}" in cells for w in first.warnings)
    before = path.read_bytes()
    again = service.update(path, date(2027, 9, 1), now=NOW)
    assert not again.saved and again.cells_changed == 0 and again.warnings == first.warnings
    assert path.read_bytes() == before


def test_bijwerken_prints_the_rate_warnings(tmp_path):
    path = service.demo_workbook(tmp_path / "d.xlsx")
    result = CliRunner().invoke(main, ["bijwerken", str(path), "--peildatum", "2027-09-01"])
    assert result.exit_code == 0, result.output
    assert (
        "Let op: Het percentage van de BE handelsrente (wet van 2 augustus 2002) na 30-06-2026 "
        "is nog niet bekend; debiteuren rekent door met 10,50 %."
    ) in result.output


class TestCarriedQuoted:
    """A letter that would state a rate past the series' known period (carried forward)."""

    def claims(self, as_of: date):
        from debiteuren.core.claim import assess_debtor

        d = debtor("K1", "NL", DebtorKind.BUSINESS)
        inv = Invoice(
            number="F1",
            debtor="K1",
            invoice_date=date(2026, 5, 1),
            due_date=date(2026, 6, 1),
            amount=D("1000.00"),
        )
        claim = assess_debtor(d, [inv], [], [], Creditor(name="X"), Settings(), builtin(), as_of)
        return d, claim.invoices

    def test_a_period_past_the_known_half_year_is_named_with_its_last_known_day(self):
        assert known_until(builtin().table("nl_handelsrente")) == date(2026, 12, 31)
        d, claims = self.claims(date(2027, 2, 1))
        assert carried_quoted(claims, d, Settings(), builtin()) == [
            ("nl_handelsrente", date(2026, 12, 31), D("10.40"))
        ]

    def test_nothing_within_the_known_period(self):
        d, claims = self.claims(date(2026, 12, 31))
        assert carried_quoted(claims, d, Settings(), builtin()) == []

    def test_a_quoted_day_after_the_known_period_counts(self):
        d, claims = self.claims(date(2026, 12, 1))
        quoted = [(date(2027, 1, 5), D("10.40"))]
        assert carried_quoted(claims, d, Settings(), builtin(), quoted) == [
            ("nl_handelsrente", date(2026, 12, 31), D("10.40"))
        ]
