"""A save whose digests and Overzicht are made on a second core (issue 17; :mod:`.aside`)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .aside import Aside, LazyMapping, can_fork
from .source import OverviewSheet, Write

__all__ = ["MIN_ROWS", "prepare_save", "worth_it"]


@dataclass(frozen=True, slots=True, kw_only=True)
class _PreparedOverview(OverviewSheet):
    """An Overzicht whose package (:meth:`package`) an :class:`Aside` makes."""

    made: Aside

    def package(self, date1904: bool = False) -> tuple[bytes, bytes]:
        if date1904:  # made aside for the usual date system: made again for this book's
            return OverviewSheet.package(self, date1904)
        return self.made.result()[1]


#: Facturen rows from which a save makes its digests and Overzicht aside: below, forking costs
#: about what it saves.
MIN_ROWS = 5_000


def worth_it(facturen: object) -> bool:
    """Return True when the save of a book with this Facturen table (a TableData) should make
    its digests and Overzicht aside (:func:`prepare_save`)."""
    rows = getattr(facturen, "rows", ())
    return len(rows) >= MIN_ROWS and can_fork()


def prepare_save(
    pending: Write,
    properties: Callable[[], Mapping[str, str]] | None,
    *,
    fork: bool = True,
    properties_here: Callable[[], Mapping[str, str]] | None = None,
) -> dict[str, object]:
    """Return the changes to ``pending`` that make its custom properties (``properties()``,
    the digests of :mod:`.digest`; None: none) and its Overzicht's package aside.

    The save asks for both only after it patched the Facturen sheet. When the copy fails, the
    properties are made here by ``properties_here`` (from what it reads again: ``properties``
    holds tables this process lets go of) and the Overzicht is made here; the file is then the
    same as when the copy did it. Without ``properties_here``, or when it fails too, the
    properties are left out (the next run then does its full work, as after a program that
    dropped them). The copy ends (is reaped, or killed when its result was never taken) when
    the save lets go of the changes.
    """
    sheet = pending.overview

    def work() -> tuple[Mapping[str, str], tuple[bytes, bytes] | None]:
        found = properties() if properties is not None else {}
        return found, sheet.package() if sheet is not None else None

    def fallback() -> tuple[Mapping[str, str], tuple[bytes, bytes] | None]:
        found: Mapping[str, str] = {}
        if properties_here is not None:
            with contextlib.suppress(Exception):  # left out, as the docstring says
                found = properties_here()
        return found, sheet.package() if sheet is not None else None

    made = Aside(work, fallback=fallback, fork=fork)
    changes: dict[str, object] = {}
    if properties is not None:
        changes["properties"] = LazyMapping(lambda: made.result()[0])
    if sheet is not None:
        changes["overview"] = _PreparedOverview(
            overview=sheet.overview,
            last_statement=sheet.last_statement,
            to_review=sheet.to_review,
            made=made,
        )
    return changes
