"""Appended rows written from one template per shape (issue 17) are the rows ``cell_xml``
writes cell by cell.

``xlsx_patch._RowTemplates`` writes a row whose texts need nothing done (no escaping, no quote
prefix, no space to keep) with one ``str.format``; any other row goes cell by cell. Rows of the
shape a bank statement gives (the compact ``RowCells`` of :func:`~debiteuren.workbook.changes.place`)
are compared with the same rows inserted the general way, byte for byte.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_xlsx_patch import build, patched  # the sibling module: a small book

from debiteuren.workbook import xlsx_patch
from debiteuren.workbook.changes import RowCells
from debiteuren.workbook.xlsx_patch import Patch

#: Texts around every edge of the plain ones: escaped, dropped, formula starts, spaces.
_EDGES = "aZ09 é€\t\n\r&<>\"'=+-@{}\x00\x01\x0b\x7f\u00a0\u2028\uff1d\uff20\ue000\ue001\ufffe"
TEXTS = st.one_of(
    st.text(alphabet=_EDGES, max_size=6), st.text(max_size=8), st.sampled_from(["F2026-1", "Sepa"])
)
VALUES = st.one_of(
    TEXTS,
    TEXTS,
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, max_value=10**9, min_value=-(10**9)
    ),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.integers(-5, 5),
    st.none(),
)
SHAPES = st.lists(
    st.lists(st.integers(1, 9), min_size=1, max_size=6, unique=True), min_size=1, max_size=3
)


@st.composite
def appended(draw):
    shapes = [tuple(s) for s in draw(SHAPES)]
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        columns = draw(st.sampled_from(shapes))
        rows.append(RowCells(columns, tuple(draw(VALUES) for _ in columns)))
    return rows


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=appended(), plain_dicts=st.booleans())
def test_rows_from_templates_are_those_written_cell_by_cell(
    tmp_path, monkeypatch, rows, plain_dicts
):
    source = tmp_path / "in.xlsx"
    if not source.exists():
        build(source)
    cells = {8 + k: (dict(r.items()) if plain_dicts else r) for k, r in enumerate(rows)}

    def change(patch: Patch) -> None:
        patch.set_cells("Data", cells, {2: '"€" #,##0.00', 4: "dd-mm-yyyy"}, create=True)

    fast = patched(source, tmp_path / "fast.xlsx", change)
    with monkeypatch.context() as m:
        m.setattr(xlsx_patch._RowTemplates, "_template", lambda self, *key: None)
        slow = patched(source, tmp_path / "slow.xlsx", change)
    assert fast.read_bytes() == slow.read_bytes()


def test_a_plain_row_is_written_from_its_template():
    made = []

    def cell_xml(ref, style, column, value):
        made.append(ref)
        if isinstance(value, date):
            value = (value - date(1899, 12, 30)).days
        text = f"{value:f}" if isinstance(value, Decimal) else str(value)
        return f'<c r="{ref}" s="{style}">{text}</c>'

    templates = xlsx_patch._RowTemplates("x:", {2: 7}, cell_xml)
    row = RowCells((3, 2), ("Sepa", Decimal("1E+1")))
    assert (
        templates.row(12, row)
        == '<x:row r="12"><c r="B12" s="7">10</c><c r="C12" s="0">Sepa</c></x:row>'
    )
    assert templates.row(13, RowCells((3, 2), ("Jansen", date(2026, 1, 2)))) == (
        '<x:row r="13"><c r="B13" s="7">46024</c><c r="C13" s="0">Jansen</c></x:row>'
    )
    assert templates.row(14, row).startswith('<x:row r="14"><c r="B14" s="7">10</c>')
    assert len(made) == 4  # two templates (two cells each), each made once
    assert templates.row(15, RowCells((3, 2), ("=1+1", Decimal(1)))) == templates.cells(
        15, [(3, "=1+1"), (2, Decimal(1))]
    )
    assert len(made) == 8  # a text to escape or mark: cell by cell
