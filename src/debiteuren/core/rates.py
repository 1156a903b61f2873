"""Dated interest-rate tables: the four statutory series with their sources.

Series (``shared/domain/rates.csv``, shipped as package data ``core/data/rates.csv``):

- ``nl_wettelijke_rente`` — NL statutory interest, art. 6:119 BW (consumers, non-commercial);
- ``nl_handelsrente`` — NL commercial interest, art. 6:119a BW (business to business);
- ``be_handelsrente`` — BE late-payment rate, Law of 2 August 2002 art. 5 (business to
  business; also the cap of consumer interest under Book XIX WER);
- ``be_wettelijke_interest`` — BE legal interest, Law of 5 May 1865 art. 2.

A row applies from its ``effective_from`` (inclusive) until the next row of the same series.
Rows from the workbook's Rentes sheet are merged in at run time with :meth:`RateBook.with_rows`:
a row for the same series and day replaces the built-in row, a new day adds a row.
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from importlib import resources
from typing import Protocol

from ..errors import DebiteurenError
from .money import Decimal, to_decimal

__all__ = [
    "CappedRate",
    "FixedRate",
    "RateBook",
    "RateRow",
    "RateSchedule",
    "RateSeries",
    "RateTable",
    "RateTableGap",
    "UnknownRateSeries",
]


class RateSeries(StrEnum):
    """The statutory rate series."""

    NL_STATUTORY = "nl_wettelijke_rente"
    NL_COMMERCIAL = "nl_handelsrente"
    BE_COMMERCIAL = "be_handelsrente"
    BE_LEGAL = "be_wettelijke_interest"

    @property
    def label(self) -> str:
        """The Dutch name of the series with its legal basis."""
        return _LABELS[self]


_LABELS = {
    RateSeries.NL_STATUTORY: "wettelijke rente (art. 6:119 BW)",
    RateSeries.NL_COMMERCIAL: "wettelijke handelsrente (art. 6:119a BW)",
    RateSeries.BE_COMMERCIAL: (
        "interest betalingsachterstand handelstransacties (wet 2 augustus 2002)"
    ),
    RateSeries.BE_LEGAL: "wettelijke interest (wet 5 mei 1865)",
}


class RateTableGap(DebiteurenError):
    """A day for which a series has no rate."""

    def __init__(self, series: str, day: date) -> None:
        self.series, self.day = series, day
        super().__init__(
            f"Geen rentepercentage voor '{series}' op {day:%d-%m-%Y}; vul het ontbrekende "
            "percentage aan (in het werkboek op het blad Rentes)."
        )


class UnknownRateSeries(DebiteurenError):
    """A series name that does not exist."""

    def __init__(self, series: str) -> None:
        known = ", ".join(s.value for s in RateSeries)
        super().__init__(f"Onbekende rentesoort '{series}'; kies uit: {known}.")


@dataclass(frozen=True, slots=True, kw_only=True)
class RateRow:
    """One published rate: in force from ``effective_from`` until the next row of its series."""

    series: str
    effective_from: date
    rate: Decimal
    status: str = ""
    source: str = ""


class RateSchedule(Protocol):
    """Anything that gives a percentage per day and the days on which it changes."""

    def rate_on(self, day: date) -> Decimal:
        """Return the yearly percentage in force on ``day``."""
        ...

    def change_days(self, first: date, last: date) -> list[date]:
        """Return the days ``d`` with ``first < d <= last`` on which a new rate starts."""
        ...

    def source_on(self, day: date) -> str:
        """Return where the rate in force on ``day`` comes from."""
        ...


@dataclass(frozen=True, slots=True)
class RateTable:
    """One series: its rows sorted by ``effective_from``."""

    series: str
    rows: tuple[RateRow, ...]
    days: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", tuple(r.effective_from for r in self.rows))

    def row_on(self, day: date) -> RateRow:
        """Return the row in force on ``day``; raise RateTableGap before the first row."""
        i = bisect.bisect_right(self.days, day)
        if i == 0:
            raise RateTableGap(self.series, day)
        return self.rows[i - 1]

    def rate_on(self, day: date) -> Decimal:
        """Return the percentage in force on ``day``."""
        return self.row_on(day).rate

    def source_on(self, day: date) -> str:
        """Return the source of the rate in force on ``day``."""
        return self.row_on(day).source

    def change_days(self, first: date, last: date) -> list[date]:
        """Return the days ``d`` with ``first < d <= last`` on which a new row starts."""
        days = self.days
        lo = bisect.bisect_right(days, first)
        hi = bisect.bisect_right(days, last)
        return list(days[lo:hi])


@dataclass(frozen=True, slots=True)
class FixedRate:
    """A constant contractual rate."""

    rate: Decimal
    source: str = "contractueel percentage"

    def rate_on(self, day: date) -> Decimal:
        """Return the fixed percentage."""
        return self.rate

    def change_days(self, first: date, last: date) -> list[date]:
        """A fixed rate never changes."""
        return []

    def source_on(self, day: date) -> str:
        """Return the description of the clause."""
        return self.source


@dataclass(frozen=True, slots=True)
class CappedRate:
    """A rate never higher than a cap that changes over time (BE consumers, Book XIX)."""

    rate: RateSchedule
    cap: RateSchedule

    def rate_on(self, day: date) -> Decimal:
        """Return the lower of the rate and the cap on ``day``."""
        return min(self.rate.rate_on(day), self.cap.rate_on(day))

    def change_days(self, first: date, last: date) -> list[date]:
        """Return the change days of both schedules."""
        return sorted(
            set(self.rate.change_days(first, last)) | set(self.cap.change_days(first, last))
        )

    def source_on(self, day: date) -> str:
        """Say which of the two applies on ``day``."""
        if self.rate.rate_on(day) <= self.cap.rate_on(day):
            return self.rate.source_on(day)
        return f"begrensd tot {self.cap.source_on(day)}"


@dataclass(frozen=True, slots=True)
class RateBook:
    """All series by name."""

    tables: dict[str, RateTable]

    @staticmethod
    def from_rows(rows: Iterable[RateRow]) -> RateBook:
        """Build a book from rows in any order; a later row for the same (series, day) wins."""
        by_key: dict[tuple[str, date], RateRow] = {}
        for row in rows:
            by_key[(row.series, row.effective_from)] = row
        grouped: dict[str, list[RateRow]] = {}
        for row in by_key.values():
            grouped.setdefault(row.series, []).append(row)
        return RateBook(
            {
                s: RateTable(s, tuple(sorted(rs, key=lambda r: r.effective_from)))
                for s, rs in grouped.items()
            }
        )

    def with_rows(self, rows: Iterable[RateRow]) -> RateBook:
        """Return a book with ``rows`` added; a row on the same series and day replaces ours."""
        return RateBook.from_rows([*self.all_rows(), *rows])

    def all_rows(self) -> list[RateRow]:
        """Return every row of every series, sorted by series and day."""
        return [row for name in sorted(self.tables) for row in self.tables[name].rows]

    def table(self, series: str) -> RateTable:
        """Return the table of ``series``; raise UnknownRateSeries for an unknown name."""
        try:
            return self.tables[series]
        except KeyError:
            raise UnknownRateSeries(series) from None


def parse_rates_csv(text: str) -> list[RateRow]:
    """Parse ``series,effective_from,rate_percent,status,source`` rows (comment lines: ``#``)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = []
    for rec in csv.DictReader(io.StringIO("\n".join(lines))):
        rows.append(
            RateRow(
                series=rec["series"].strip(),
                effective_from=date.fromisoformat(rec["effective_from"].strip()),
                rate=to_decimal(rec["rate_percent"].strip()),
                status=(rec.get("status") or "").strip(),
                source=(rec.get("source") or "").strip(),
            )
        )
    return rows


@functools.cache
def builtin() -> RateBook:
    """Return the rate tables shipped with the program (loaded once)."""
    text = resources.files("debiteuren.core.data").joinpath("rates.csv").read_text("utf-8")
    return RateBook.from_rows(parse_rates_csv(text))
