"""Patching a row's cells found by text (issue 17) gives what parsing the row's cells gives.

``xlsx_patch._Sheet._patch_row`` finds each cell by its reference and reads its style directly
where it follows the reference (``_cell_style``); ``_patch_row_parsed`` parses every cell of the
row. On rows of cells as Excel, LibreOffice and openpyxl write them, both give the same row.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren.workbook import xlsx_patch

_SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData></sheetData></worksheet>"
)

STYLE = st.one_of(st.none(), st.integers(0, 40).map(str), st.sampled_from(["", "x", "\u0663"]))
OTHER = st.sampled_from(["", ' t="n"', ' t="inlineStr"', ' t="s"', ' cm="1"', ' t="b"'])
CONTENT = st.sampled_from(
    [
        "",
        "<v>1.5</v>",
        "<v>0</v>",
        "<is><t>Betaald</t></is>",
        "<f>A1+1</f><v>2</v>",
        "<v>s=</v>",
        '<f t="shared" ref="A1:A3" si="0">B1</f><v>4</v>',  # refused: others depend on it
    ]
)


@st.composite
def rows(draw):
    row = draw(st.integers(1, 60000))
    columns = sorted(draw(st.sets(st.integers(1, 30), min_size=1, max_size=10)))
    cells = []
    for col in columns:
        ref = f"{xlsx_patch._column_letters(col)}{row}"
        style = draw(STYLE)
        before = draw(st.booleans())  # the style right after the reference, or after t=
        s = "" if style is None else f' s="{style}"'
        other = draw(OTHER)
        attrs = f' r="{ref}"' + (s + other if before else other + s)
        content = draw(CONTENT)
        cells.append(f"<c{attrs}/>" if not content else f"<c{attrs}>{content}</c>")
    wanted = draw(st.sets(st.sampled_from(columns), min_size=1))
    return row, "".join(cells), {c: f"new{c}" for c in sorted(wanted, reverse=draw(st.booleans()))}


def _cell_xml(ref: str, style: int, column: int, value: object) -> str:
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t>{value}</t></is></c>'


@settings(max_examples=400, deadline=None)
@given(rows())
def test_cells_found_by_text_are_patched_as_when_the_row_is_parsed(case):
    row, inner, wanted = case
    sheet = xlsx_patch._Sheet(_SHEET)
    attrs = f' r="{row}"'
    assert _outcome(sheet._patch_row, attrs, inner, row, wanted) == _outcome(
        sheet._patch_row_parsed, attrs, inner, row, wanted
    )


def _outcome(patch, *args):
    try:
        return patch(*args, _cell_xml)
    except xlsx_patch.UnexpectedStructure as exc:
        return f"refused: {exc}"


@given(st.text(alphabet=' s="0123456789x\u0663t>', max_size=14))
def test_the_style_read_directly_is_the_one_the_pattern_finds(rest):
    inner = '<c r="A1"' + rest + ">"
    after, close = len('<c r="A1"'), len(inner) - 1
    found = re.compile(r'\bs="(\d+)"').search(inner, after, close)
    expected = int(found.group(1)) if found else 0
    assert xlsx_patch._cell_style(inner, after, close) == expected
