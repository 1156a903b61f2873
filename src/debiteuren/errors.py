"""Errors and problems: what goes wrong, said in Dutch, with where it went wrong.

Two kinds (shared/style.md §6): bad user data becomes an :class:`Issue` located at a
:class:`CellRef`, collected and reported together; faults in configuration or the program raise a
:class:`DebiteurenError` subclass whose constructor builds the sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from .untrusted import one_line

__all__ = ["CellRef", "DebiteurenError", "Issue", "ValidationFailed", "quoted", "system_error"]


def quoted(detail: object) -> str:
    """Return a technical message (often English, from the system or a library) as a quote.

    It follows the Dutch sentence that says what happened and what to do, so that a helpdesk
    can still look it up: ``(melding: 'Permission denied')``.
    """
    text = " ".join(str(detail).split()) or type(detail).__name__
    return f"(melding: '{text}')"


def system_error(exc: OSError) -> str:
    """Return the system's text of an OSError (``Permission denied``), without the file name."""
    return exc.strerror or str(exc) or type(exc).__name__


@dataclass(frozen=True, slots=True, kw_only=True)
class CellRef:
    """A place in the workbook: sheet, Excel row number (1-based) and column header.

    ``row`` and ``column`` may be None for a problem with a whole sheet or column.
    """

    sheet: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [self.sheet]
        if self.row is not None:
            parts.append(f"rij {self.row}")
        if self.column:
            parts.append(self.column)
        return ", ".join(parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    """One problem in the user's data: where, and a Dutch sentence saying what to do."""

    source: CellRef
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class DebiteurenError(Exception):
    """Base of every error the program reports to a user; ``message`` is Dutch."""

    message = "Er ging iets mis."

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(self.message)


class ValidationFailed(DebiteurenError):
    """The workbook has problems; nothing was written."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = list(issues)
        count = len(self.issues)
        noun = "probleem" if count == 1 else "problemen"
        lines = [f"Het werkboek heeft {count} {noun}; er is niets gewijzigd."]
        # one line per issue: a cell's text with a line break cannot start a line of its own
        lines += [f"- {one_line(str(issue))}" for issue in self.issues]
        super().__init__("\n".join(lines))
