"""The day a Dutch or Belgian user sees for a date-time in a bank statement.

A CAMT.053 ``DtTm`` (ISO 8601, XML Schema ``dateTime``) may be given in UTC
(``2026-12-31T23:30:00Z``) or with an offset (``2027-01-01T00:30:00+01:00``): the day is the
one on the clock in the Netherlands and Belgium, which keep the same time (Europe/Amsterdam,
Europe/Brussels: CET, UTC+1, and from the last Sunday of March 01:00 UTC to the last Sunday of
October 01:00 UTC CEST, UTC+2; EU Directive 2000/84/EC, art. 2 and 3). A date-time without an
offset is local time as written; a date (``Dt``) is that day.

The zone comes from the standard library's :mod:`zoneinfo`; where it has no time zone data
(Windows and Pyodide without the ``tzdata`` package, which is no dependency) the EU rule above
gives the offset.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache

#: A date-time that states its offset: ``T``, the time, then ``Z`` or ``±hh:mm`` (``±hhmm``).
_OFFSET = re.compile(r"T[0-9:.,]+(?:[Zz]|[+-]\d{2}:?\d{2})")
_ZONE = "Europe/Amsterdam"
#: The end of a day as ISO 8601 and XML Schema allow it (``2026-10-14T24:00:00``): the first
#: moment of the next day. Any other time in hour 24 does not exist.
_END_OF_DAY = re.compile(r"T24:00(?::00(?:[.,]0+)?)?(?=[Zz+-]|$)")
#: What may follow the date (XML Schema ``date`` and ``dateTime``, ISO 8601 extended): a time
#: of hours 00-23, minutes and seconds 00-59 (the seconds and their fraction optional), then
#: ``Z`` or an offset of at most 14 hours (``±hh:mm``, ``±hhmm``); or only the zone.
_TIME = re.compile(
    r"(?:T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.,][0-9]+)?)?)?"
    r"(?:[Zz]|[+-](?:0[0-9]|1[0-4]):?[0-5][0-9])?"
)


def local_day(text: str) -> date:
    """Return the local day of an ISO date or date-time text.

    Args:
      text: ``2026-12-31``, ``2026-12-31T10:00:00`` (local), ``2026-12-31T23:30:00Z`` or
        ``2027-01-01T00:30:00+01:00``; the text is stripped.
    Returns:
      The day on the clock in the Netherlands and Belgium.
    Raises:
      ValueError: the first ten characters are no date, or what follows them is no time a
        clock shows (``T25:00``, ``T23:61Z``, ``+15:00``): a bank never writes one, and it
        was dated as written.

    >>> local_day("2026-12-31T23:30:00Z"), local_day("2026-07-01T22:30:00.000+00:00")
    (datetime.date(2027, 1, 1), datetime.date(2026, 7, 2))
    >>> local_day("2027-01-01T00:30:00+01:00"), local_day("2026-12-31T23:30:00")
    (datetime.date(2027, 1, 1), datetime.date(2026, 12, 31))
    >>> local_day("2026-12-31T23:30Z"), local_day("2026-12-31T20:30:00-05:00")
    (datetime.date(2027, 1, 1), datetime.date(2027, 1, 1))

    The end of a day (``24:00``) is the first moment of the next:

    >>> local_day("2026-10-14T24:00:00"), local_day("2026-12-31T24:00:00+01:00")
    (datetime.date(2026, 10, 15), datetime.date(2027, 1, 1))
    """
    day = date.fromisoformat(text[:10])
    if text[10:13] == "T24":
        text = _next_day(text, day)
        day = date.fromisoformat(text[:10])
    if not _TIME.fullmatch(text, 10):
        raise ValueError(text)
    if len(text) < 17 or not _OFFSET.fullmatch(text, 10):  # shortest: ...T23:30Z
        return day
    try:
        moment = datetime.fromisoformat(text).astimezone(UTC)
        zone = _zone()
        if zone is not None:
            return moment.astimezone(zone).date()
        return (moment + eu_offset(moment)).date()
    except (ValueError, OverflowError):  # 0001-01-01T00:30+01:00 lies before year 1 in UTC
        return day  # a time Python cannot read or place: the day as written, as before


def _next_day(text: str, day: date) -> str:
    """Return a date-time at the end of ``day`` (``T24:00``) as the first moment of the next
    day (``T00:00``, its offset kept); raise ValueError for another time in hour 24."""
    end = _END_OF_DAY.match(text, 10)
    if end is None or day == date.max:
        raise ValueError(text)
    return f"{day + timedelta(days=1)}T00:00:00{text[end.end() :]}"


def eu_offset(moment: datetime) -> timedelta:
    """Return the offset of Dutch and Belgian time from UTC at a moment given in UTC.

    >>> eu_offset(datetime(2026, 3, 29, 0, 59, tzinfo=UTC)).seconds // 3600
    1
    >>> eu_offset(datetime(2026, 3, 29, 1, 0, tzinfo=UTC)).seconds // 3600
    2
    """
    year = moment.year
    summer_from = datetime.combine(_last_sunday(year, 3), datetime.min.time(), UTC)
    summer_to = datetime.combine(_last_sunday(year, 10), datetime.min.time(), UTC)
    hour = timedelta(hours=1)
    return 2 * hour if summer_from + hour <= moment < summer_to + hour else hour


def _last_sunday(year: int, month: int) -> date:
    """Return the last Sunday of a month of 31 days (March, October)."""
    last = date(year, month, 31)
    return last - timedelta(days=(last.weekday() + 1) % 7)


@lru_cache(maxsize=1)
def _zone() -> tzinfo | None:
    """Return the Dutch and Belgian time zone, or None when there is no time zone data."""
    try:
        return zoneinfo.ZoneInfo(_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None
