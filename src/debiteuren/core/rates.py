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

Because the newest row of a series applies for ever, :func:`rate_warnings` says when a peildatum
lies past the period for which that row is known to hold (:data:`CONFIRMED_UNTIL`), and when a
row with status ``unconfirmed`` is used (domain README rule 6: never guess silently).
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from importlib import resources
from typing import Protocol

from ..errors import DebiteurenError
from .money import Decimal, to_decimal

__all__ = [
    "CONFIRMED_UNTIL",
    "CappedRate",
    "FixedRate",
    "RateBook",
    "RateRow",
    "RateSchedule",
    "RateSegments",
    "RateSeries",
    "RateTable",
    "RateTableGap",
    "UnknownRateSeries",
    "known_until",
    "rate_segments",
    "rate_warnings",
    "series_label",
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

    @property
    def short_label(self) -> str:
        """The Dutch name of the series on the Rentes sheet: ``NL wettelijke rente``."""
        return _SHORT_LABELS[self]


_LABELS = {
    RateSeries.NL_STATUTORY: "wettelijke rente (art. 6:119 BW)",
    RateSeries.NL_COMMERCIAL: "wettelijke handelsrente (art. 6:119a BW)",
    RateSeries.BE_COMMERCIAL: (
        "interest betalingsachterstand handelstransacties (wet 2 augustus 2002)"
    ),
    RateSeries.BE_LEGAL: "wettelijke interest (wet 5 mei 1865)",
}

_SHORT_LABELS = {
    RateSeries.NL_STATUTORY: "NL wettelijke rente",
    RateSeries.NL_COMMERCIAL: "NL handelsrente",
    RateSeries.BE_COMMERCIAL: "BE handelsrente",
    RateSeries.BE_LEGAL: "BE wettelijke interest",
}

_LAWS = {
    RateSeries.NL_STATUTORY: "art. 6:119 BW",
    RateSeries.NL_COMMERCIAL: "art. 6:119a BW",
    RateSeries.BE_COMMERCIAL: "wet van 2 augustus 2002",
    RateSeries.BE_LEGAL: "wet van 5 mei 1865",
}


def series_label(series: str) -> str:
    """Return how a user reads a series' name: ``NL wettelijke rente (art. 6:119 BW)``.

    An unknown name (a series a user typed) is returned as it is.
    """
    try:
        known = RateSeries(series)
    except ValueError:
        return series
    return f"{known.short_label} ({_LAWS[known]})"


class RateTableGap(DebiteurenError):
    """A day for which a series has no rate; ``debtor`` names the customer whose interest
    needed it, once known (:meth:`for_debtor`).

    Reading the workbook reports such an invoice at its cell first
    (:func:`~.rules.first_uncovered_day`); this error is what remains (a letter dated before
    the table), said in Dutch and picklable, so that a worker process can send it.
    """

    def __init__(self, series: str, day: date, debtor: str = "") -> None:
        self.series, self.day, self.debtor = series, day, debtor
        whose = f"Klant '{debtor}': geen" if debtor else "Geen"
        super().__init__(
            f"{whose} percentage voor de {series_label(series)} op {day:%d-%m-%Y}; vul het "
            "ontbrekende percentage aan (in het werkboek op het blad Rentes)."
        )

    def __reduce__(self) -> tuple:
        return (type(self), (self.series, self.day, self.debtor))

    def for_debtor(self, debtor: str) -> RateTableGap:
        """Return the same gap, naming the customer ``debtor``."""
        return RateTableGap(self.series, self.day, debtor)


class UnknownRateSeries(DebiteurenError):
    """A series name that does not exist."""

    def __init__(self, series: str) -> None:
        known = ", ".join(s.short_label for s in RateSeries)
        super().__init__(f"Onbekende rentesoort '{series}'; kies uit: {known}.")


@dataclass(frozen=True, slots=True, kw_only=True)
class RateRow:
    """One published rate: in force from ``effective_from`` until the next row of its series."""

    series: str
    effective_from: date
    rate: Decimal
    status: str = ""
    source: str = ""
    gazette: str = ""
    gazette_ref: str = ""
    gazette_date: date | None = None

    @property
    def verified(self) -> bool:
        """Return False for a row whose figure is not confirmed (status ``unconfirmed``)."""
        return self.status.strip().lower() != "unconfirmed"


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

    def row_on(self, day: date) -> RateRow | None:
        """Return the published row in force on ``day`` (None for a contractual rate)."""
        ...


@dataclass(frozen=True, slots=True)
class RateSegments:
    """A schedule cut into stretches of one rate, computed once per schedule.

    Stretch ``k`` runs from ``starts[k]`` (inclusive) to the day before ``starts[k + 1]`` (the
    last one for ever); ``starts[0]`` is ``date.min``. ``rates[k]`` is None for a stretch
    without a rate (before a table's first row): the schedule itself says why
    (:class:`RateTableGap`). The interest engine walks these stretches instead of asking the
    schedule per run of days.
    """

    starts: tuple[date, ...]
    rates: tuple[Decimal | None, ...]
    sources: tuple[str, ...]
    rows: tuple[RateRow | None, ...]

    def index(self, day: date) -> int:
        """Return the number of the stretch that contains ``day``."""
        return bisect.bisect_right(self.starts, day) - 1


def _segments_of(schedule: RateSchedule) -> RateSegments:
    """Cut any schedule into stretches of one rate through its protocol methods."""
    starts = sorted({date.min, *schedule.change_days(date.min, date.max)})
    row_on = getattr(schedule, "row_on", None)
    rates: list[Decimal | None] = []
    sources: list[str] = []
    rows: list[RateRow | None] = []
    for day in starts:
        try:
            rate = schedule.rate_on(day)
        except RateTableGap:
            rates.append(None)
            sources.append("")
            rows.append(None)
            continue
        rates.append(rate)
        sources.append(schedule.source_on(day))
        rows.append(row_on(day) if row_on is not None else None)
    return RateSegments(tuple(starts), tuple(rates), tuple(sources), tuple(rows))


def rate_segments(schedule: RateSchedule) -> RateSegments:
    """Return ``schedule`` cut into stretches of one rate.

    The built-in schedules (:class:`RateTable`, :class:`FixedRate`, :class:`CappedRate`) cut
    themselves once and keep the result, so a run that assesses thousands of invoices on the
    same tables computes their stretches once; any other schedule is cut on every call.
    """
    own = getattr(schedule, "segments", None)
    return own() if own is not None else _segments_of(schedule)


def _cached_segments(schedule) -> RateSegments:
    """Return the stretches kept on a frozen schedule, computing them on first use."""
    found = schedule._segments
    if found is None:
        found = _segments_of(schedule)
        object.__setattr__(schedule, "_segments", found)
    return found


@dataclass(frozen=True, slots=True)
class RateTable:
    """One series: its rows sorted by ``effective_from``."""

    series: str
    rows: tuple[RateRow, ...]
    days: tuple[date, ...] = field(init=False, repr=False, compare=False)
    _segments: RateSegments | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", tuple(r.effective_from for r in self.rows))

    def segments(self) -> RateSegments:
        """Return the table as stretches of one rate (computed once)."""
        return _cached_segments(self)

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
    _segments: RateSegments | None = field(default=None, init=False, repr=False, compare=False)

    def segments(self) -> RateSegments:
        """Return the one stretch of the fixed rate."""
        return _cached_segments(self)

    def rate_on(self, day: date) -> Decimal:
        """Return the fixed percentage."""
        return self.rate

    def change_days(self, first: date, last: date) -> list[date]:
        """A fixed rate never changes."""
        return []

    def source_on(self, day: date) -> str:
        """Return the description of the clause."""
        return self.source

    def row_on(self, day: date) -> RateRow | None:
        """A contractual rate has no published row."""
        return None


@dataclass(frozen=True, slots=True)
class CappedRate:
    """A rate never higher than a cap that changes over time (BE consumers, Book XIX)."""

    rate: RateSchedule
    cap: RateSchedule
    _segments: RateSegments | None = field(default=None, init=False, repr=False, compare=False)

    def segments(self) -> RateSegments:
        """Return the stretches on which neither the rate nor the cap changes (computed once)."""
        return _cached_segments(self)

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

    def row_on(self, day: date) -> RateRow | None:
        """Return the cap's row on a day the cap applies, else the rate's own row."""
        if self.rate.rate_on(day) <= self.cap.rate_on(day):
            return self.rate.row_on(day)
        return self.cap.row_on(day)


@dataclass(frozen=True, slots=True)
class RateBook:
    """All series by name."""

    tables: dict[str, RateTable]

    @staticmethod
    def from_rows(rows: Iterable[RateRow]) -> RateBook:
        """Build a book from rows in any order; a later row for the same (series, day) wins.

        A later row with the same percentage keeps the earlier row's official publication when
        it names none itself (a Rentes sheet row seeded from the built-in table).
        """
        by_key: dict[tuple[str, date], RateRow] = {}
        for row in rows:
            key = (row.series, row.effective_from)
            earlier = by_key.get(key)
            if (
                earlier is not None
                and not row.gazette
                and earlier.gazette
                and earlier.rate == row.rate
            ):
                row = replace(
                    row,
                    gazette=earlier.gazette,
                    gazette_ref=earlier.gazette_ref,
                    gazette_date=earlier.gazette_date,
                )
            by_key[key] = row
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
    """Parse ``series,effective_from,rate_percent,status,source[,gazette,gazette_ref,gazette_date]``
    rows (comment lines: ``#``)."""
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
                gazette=(rec.get("gazette") or "").strip(),
                gazette_ref=(rec.get("gazette_ref") or "").strip(),
                gazette_date=(
                    date.fromisoformat(rec["gazette_date"].strip())
                    if (rec.get("gazette_date") or "").strip()
                    else None
                ),
            )
        )
    return rows


@functools.cache
def builtin() -> RateBook:
    """Return the rate tables shipped with the program (loaded once)."""
    text = resources.files("debiteuren.core.data").joinpath("rates.csv").read_text("utf-8")
    return RateBook.from_rows(parse_rates_csv(text))


# --- Warnings: a rate past its known period, an unconfirmed rate ------------------------------

#: Series published per calendar year (1 January); every other series per half year (1 January
#: and 1 July).
YEARLY_SERIES = frozenset({RateSeries.BE_LEGAL.value})

#: The last day for which each series is known, also where no row says so because the rate did
#: not change ("unchanged half-years have no row" in rates.csv). A series is known at least up to
#: the end of the half-year (year for ``be_wettelijke_interest``) that contains its newest row's
#: ``effective_from``; a date here extends that, never shortens it. Sources: shared/domain
#: README "Rates to confirm", be.md §1.4 and §2.2, nl.md §1.3 and §2.3.
CONFIRMED_UNTIL: dict[str, date] = {
    # Newest row 2026-01-01 (4.00, unconfirmed). 2026 H2 "unchanged at 4 %" is only implied by an
    # open-source config that omits unchanged half-years (nl.md §1.3: weak), so not extended.
    RateSeries.NL_STATUTORY.value: date(2026, 6, 30),
    # Newest row 2026-07-01 (10.40, unconfirmed: one open-source config only, nl.md §2.3); the
    # end of its half-year. The row itself is flagged as unconfirmed by rate_warnings.
    RateSeries.NL_COMMERCIAL.value: date(2026, 12, 31),
    # Newest row 2025-07-01 (10.50); 2026 H1 unchanged at 10.50 per axiris-fiduciaire.be and
    # embuild.be/fr (publication pending at the time; be.md §1.4). 2026 H2: not found.
    RateSeries.BE_COMMERCIAL.value: date(2026, 6, 30),
    # Newest row 2025-01-01 (4.50); 2026 unchanged at 4.50, published in the Belgisch Staatsblad
    # per embuild.be/fr and axiris-fiduciaire.be (be.md §2.2). 2027: not known.
    RateSeries.BE_LEGAL.value: date(2026, 12, 31),
}


def _period_end(series: str, day: date) -> date:
    """Return the last day of the publication period (half-year or year) that contains ``day``."""
    if series in YEARLY_SERIES or day.month > 6:
        return date(day.year, 12, 31)
    return date(day.year, 6, 30)


def known_until(table: RateTable) -> date | None:
    """Return the last day for which ``table``'s rates are known (None for an empty table).

    That is the end of the half-year (year for ``be_wettelijke_interest``) of the newest row, or
    the later date in :data:`CONFIRMED_UNTIL`.
    """
    if not table.rows:
        return None
    end = _period_end(table.series, table.rows[-1].effective_from)
    confirmed = CONFIRMED_UNTIL.get(table.series)
    return max(end, confirmed) if confirmed is not None else end


def _nl_percent(rate: Decimal) -> str:
    return f"{rate:.2f}".replace(".", ",") + " %"


def _series_order(names: Iterable[str]) -> list[str]:
    """The four statutory series in their usual order, then any other name alphabetically."""
    canonical = [s.value for s in RateSeries]
    unique = set(names)
    return [s for s in canonical if s in unique] + sorted(unique - set(canonical))


def rate_warnings(
    book: RateBook, series_used: Iterable[str], first_day: date, as_of: date
) -> list[str]:
    """Return Dutch warnings about the rates used between ``first_day`` and ``as_of``.

    Per series in use (in the order of :class:`RateSeries`):

    - when ``as_of`` lies after :func:`known_until`: the newest rate is carried forward but the
      published rate is not known yet;
    - every row with status ``unconfirmed`` whose period (its ``effective_from`` until the day
      before the next row) overlaps ``[first_day, as_of]``.

    Pure; a series the book does not hold is skipped (the engine reports that gap itself).
    """
    out: dict[str, None] = {}
    for series in _series_order(series_used):
        table = book.tables.get(series)
        if table is None or not table.rows:
            continue
        until = known_until(table)
        if until is not None and as_of > until:
            newest = table.rows[-1]
            out[
                f"Het percentage van de {series_label(series)} na {until:%d-%m-%Y} is nog niet "
                f"bekend; debiteuren rekent door met {_nl_percent(newest.rate)}. Controleer het "
                "gepubliceerde percentage en vul het aan op het blad Rentes."
            ] = None
        for i, row in enumerate(table.rows):
            if row.status.strip().lower() != "unconfirmed" or row.effective_from > as_of:
                continue
            following = table.rows[i + 1].effective_from if i + 1 < len(table.rows) else None
            if following is not None and following - timedelta(days=1) < first_day:
                continue
            # The Rentes sheet shows the source of each row.
            out[
                f"Het percentage van {_nl_percent(row.rate)} voor de {series_label(series)} vanaf "
                f"{row.effective_from:%d-%m-%Y} is niet bevestigd; controleer het aan de hand van "
                "de bron op het blad Rentes."
            ] = None
    return list(out)
