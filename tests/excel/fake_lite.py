"""A fake of the book xlwings Lite hands a script, built on the fake of classic xlwings.

In xlwings Lite the book's values travel with the call, so reading costs nothing; every change
is queued as one action that Excel carries out when the script ends. The fake counts exactly
those actions (``book.app.calls``) and behaves like Lite where it differs from the desktop
(xlwings' remote engine): an address of several areas is refused, there is no status bar, a
message box returns nothing, a column width is given in points, and ``Book.fullname`` is only
the book's name.
"""

from __future__ import annotations

from pathlib import Path

from fake_xlwings import FakeApp, FakeBook, FakeRange, FakeSheet, book_from_file

#: The calls that change the book: each is one queued action in Lite.
ACTIONS = {
    "Range.value.set",
    "Range.number_format.set",
    "Font.bold.set",
    "Range.column_width.set",
    "Sheet.clear",
    "Sheet.activate",
    "Sheets.add",
    "Table.resize",
    "App.alert",
}


class LiteApp(FakeApp):
    """Excel as xlwings Lite sees it: actions only, no status bar, no answer to a message box."""

    def count(self, name: str) -> None:
        if name in ACTIONS:
            self.calls.append(name)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None) -> None:
        super().alert(prompt, title, buttons, mode, callback)
        return None

    @property
    def status_bar(self):
        raise NotImplementedError("App.status_bar is not supported on this engine")

    @status_bar.setter
    def status_bar(self, value) -> None:
        raise NotImplementedError("App.status_bar is not supported on this engine")


class LiteSheet(FakeSheet):
    @property
    def api(self) -> dict:
        """Lite's ``Sheet.api``: the sheet's data as the add-in sent them (no protection)."""
        return {"name": self.title, "values": self.grid()}

    def range(self, cell1, cell2=None) -> FakeRange:
        if isinstance(cell1, str) and "," in cell1:
            raise ValueError(f"xlwings Lite reads one area per address, not {cell1!r}")
        return super().range(cell1, cell2)


def lite_book_from_file(path: Path) -> FakeBook:
    """Return the fake Lite book holding the values and Excel Tables of the .xlsx at ``path``."""
    return as_lite(book_from_file(path))


def as_lite(book: FakeBook) -> FakeBook:
    """Turn a fake desktop book into a fake Lite book (same cells and tables)."""
    book.app = LiteApp()
    # Lite's Book.api is the book's data as the add-in sent it: no date system among them
    book.api = {"book": {"name": Path(book._fullname).name}}
    book._fullname = Path(book._fullname).name
    book.sheet_class = LiteSheet
    for sheet in book._sheets:
        sheet.__class__ = LiteSheet
    return book
