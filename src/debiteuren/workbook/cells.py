"""Cell values we write: a text stays a text, in every .xlsx file and in the book open in Excel.

A customer name typed as text, a buyer name from an e-invoice or a remittance from a bank file
can read ``=HYPERLINK("http://x";"y")`` or ``+cmd|' /C calc'!A0``. Whatever we write is data:

- **openpyxl** turns any text starting with ``=`` into a formula. :func:`set_value` writes every
  text as a string cell, with Excel's quote prefix when a spreadsheet could read it as a formula
  (so it stays text when a user edits the cell), and without the characters XML cannot hold.
  :func:`text_only` does the same for every cell of a workbook or sheet that we made ourselves
  (the Overzicht, ``belijst.xlsx``, ``specificatie.xlsx``, the export): such a file never holds a
  formula, wherever its texts came from.
- **The xlsx patcher** writes texts as inline strings, which are never formulas; it asks
  :func:`needs_quote_prefix` for the same quote prefix.
- **Excel itself** (xlwings) reads a text it is given the way a user's typing is read: ``=``,
  ``+``, ``-`` and ``@`` start a formula, ``2026-04`` becomes a date and ``00123`` the number
  123. :func:`excel_text` puts an apostrophe before every text Excel would not keep as it is;
  Excel stores the text without it.
"""

from __future__ import annotations

from typing import Any

from ..untrusted import cell_text, starts_formula, xlsx_text

__all__ = ["excel_text", "needs_quote_prefix", "set_value", "text_only"]

#: Words Excel reads as a truth value (English, Dutch, French and German Excel).
_BOOLEAN_WORDS = frozenset({"TRUE", "FALSE", "WAAR", "ONWAAR", "VRAI", "FAUX", "WAHR", "FALSCH"})


def needs_quote_prefix(text: str) -> bool:
    """Return True when a text cell should carry Excel's quote prefix (it looks like a formula)."""
    return starts_formula(text)


def set_value(cell: Any, value: object) -> None:
    """Set an openpyxl cell to ``value``; a text becomes a string cell, never a formula.

    Args:
      cell: an openpyxl cell.
      value: any value openpyxl accepts; a text loses the characters XML cannot hold, keeps
        a ``_xHHHH_`` in it as text (:func:`~debiteuren.untrusted.xlsx_text`) and gets the
        quote prefix when a spreadsheet could read it as a formula.
    """
    if isinstance(value, str):
        value = xlsx_text(value)
        cell.value = value
        cell.data_type = "s"
        if needs_quote_prefix(value):
            cell.quotePrefix = True
    else:
        cell.value = value


def text_only(book_or_sheet: Any) -> Any:
    """Make every formula cell of a workbook (or one sheet) we made a text cell; return it.

    For the files debiteuren makes from scratch, which hold values only: a text that openpyxl
    took for a formula (any text starting with ``=``) is stored as the text it was.
    """
    sheets = getattr(book_or_sheet, "worksheets", None) or [book_or_sheet]
    for ws in sheets:
        for cell in list(ws._cells.values()):
            if cell.data_type == "f" or (
                isinstance(cell.value, str)
                and needs_quote_prefix(cell.value)
                and not cell.quotePrefix  # set by set_value, which made the text safe
            ):
                set_value(cell, cell.value if isinstance(cell.value, str) else str(cell.value))
    return book_or_sheet


def excel_text(text: str) -> str:
    """Return ``text`` as it must be handed to Excel (xlwings) to be kept exactly as text.

    Excel reads what it is given as if a user typed it. A text is kept as it is only when it
    starts with a letter, has no digit and is not a truth value (``WAAR``); any other text gets
    an apostrophe in front, which Excel does not store: ``=SOM(1)``, ``+31 6``, ``-``,
    ``@SUM(1)``, ``2026-04``, ``00123`` and ``'quoted`` all stay the texts they are.

    >>> excel_text("Herinnerd"), excel_text("2026-04"), excel_text("=1+1")
    ('Herinnerd', "'2026-04", "'=1+1")

    A text longer than a cell holds (32,767 characters) is cut, the last one "…"
    (:func:`~debiteuren.untrusted.cell_text`): Excel cut it there without a mark.
    """
    if not text:
        return text
    text = cell_text(text)
    plain = (
        text[0].isalpha()
        and not any(ch.isdigit() for ch in text)
        and text.strip().upper() not in _BOOLEAN_WORDS
    )
    return text if plain else "'" + text
