"""The workbook open in xlwings Lite (Excel on Windows, Mac and the web), through the live adapter.

xlwings Lite runs Python in the browser (Pyodide) and hands a script the open book as an
``xlwings.Book`` of its own engine: the book's cell values arrive with the call, so reading is
free, and every change (a block of values, a number format) is queued as one action that Excel
carries out when the script ends. That is the API :class:`~.live.LiveBook` already uses, with
four differences, and :class:`LiteBook` is the live adapter with those four taken into account:

* an address of several areas (``"A1:B2,D4"``) is not understood: one rectangle per call;
* a column width is set in points, not in characters;
* there is no status bar and no modal message box: status lines and messages go to the output
  pane of the xlwings Lite task pane (``print``) and are kept in :attr:`LiteBook.messages`;
  a yes/no question cannot be asked, so :meth:`LiteBook.ask` answers no;
* the book has no path on this computer (``Book.fullname`` is its name): nothing is written
  beside it, so letters, statements and dossiers stay with the desktop program.

Everything else (finding the tables by name, reading each in one block, writing computed columns
and the Overzicht in a few blocks) is the live adapter's, so the number of actions depends on
the number of sheets, tables and columns, never on the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .live import LiveBook

__all__ = ["POINTS_PER_CHARACTER", "LiteBook"]

#: Column width in points per character of the default font (Calibri 11: 7 pixels, 5.25 points).
POINTS_PER_CHARACTER = 5.25


class LiteBook(LiveBook):
    """An open workbook in xlwings Lite.

    Args:
      book: the ``xlwings.Book`` a Lite script receives.
      say: shows one message to the user (default: ``print``, the task pane's output).
    """

    ADDRESS_LIMIT = 0
    WIDTH_UNIT = POINTS_PER_CHARACTER

    def __init__(self, book: Any, say: Callable[[str], None] = print) -> None:
        super().__init__(book)
        self._say = say
        self.messages: list[str] = []

    def _show(self, text: str) -> None:
        self.messages.append(text)
        self._say(text)

    def alert(self, text: str, title: str) -> None:
        """Show ``text`` under ``title`` in the output pane."""
        self._show(f"{title}\n{text}")

    def ask(self, text: str, title: str) -> bool:
        """Say the question and answer no: Lite cannot wait for a Ja/Nee button."""
        self._show(f"{title}\n{text}\n(xlwings Lite kan dit niet vragen; er is niets gedaan.)")
        return False

    def status(self, text: str) -> None:
        """Show a status line in the output pane (Lite has no status bar)."""
        self._show(text)

    def progress(self, phase: str, done: int = 0, total: int = 0) -> None:
        """Show nothing: Lite shows printed output only when the script has ended."""
