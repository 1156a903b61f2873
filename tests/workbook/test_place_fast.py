"""Placing rows per shape (issue 17) gives what placing them cell by cell gives.

:func:`~debiteuren.workbook.changes.place` finds the columns of a row's keys once per shape,
looks for dates in columns without a format only where a shape has such columns, and
:meth:`~debiteuren.workbook.changes.SheetEdit.after` makes an appended row's line in one step
per shape. The general way of each, as it was, is written out here and compared.
"""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren.workbook import schema
from debiteuren.workbook.changes import Changes, place
from debiteuren.workbook.read import TableData

SHEET = schema.INSTELLINGEN  # text columns: a date there gets the date format
KEYS = [c.key for c in SHEET.columns]
VALUES = st.one_of(
    st.none(),
    st.just(""),
    st.text(max_size=3),
    st.decimals(places=2, min_value=-10, max_value=10),
    st.dates(),
    st.datetimes(min_value=datetime(2000, 1, 1)),
)


@st.composite
def cases(draw):
    headers = draw(st.permutations([c.header for c in SHEET.columns]))
    width = draw(st.integers(1, len(headers)))
    headers = headers[:width]
    rows = draw(
        st.lists(
            st.lists(st.sampled_from([None, "", "x"]), max_size=width + 1).map(tuple), max_size=4
        )
    )
    table = TableData(
        sheet="Blad",
        headers=headers,
        rows=rows,
        first_row=draw(st.integers(2, 4)),
        first_column=draw(st.integers(1, 3)),
        table="tbl",
    )
    present = [k for k in KEYS if SHEET.column(k).header in headers]
    shapes = draw(st.lists(st.lists(st.sampled_from(present), unique=True), min_size=1, max_size=3))
    records = []
    for _ in range(draw(st.integers(0, 8))):
        keys = draw(st.sampled_from(shapes))
        records.append({k: draw(VALUES) for k in keys})
    cells = draw(
        st.lists(st.tuples(st.integers(0, 5), st.sampled_from(present), VALUES), max_size=3)
        if present
        else st.just([])
    )
    return table, records, cells


def _reference_after(edit):
    """SheetEdit.after as it was: every row copied, then each changed cell set."""
    t = edit.table
    rows = [list(r) for r in t.rows]
    width = len(t.headers)
    for excel_row, values in (*edit.cells.items(), *edit.rows.items()):
        index = excel_row - t.first_row
        while len(rows) <= index:
            rows.append([])
        line = rows[index]
        line.extend([None] * (width - len(line)))
        for column, value in values.items():
            line[column - t.first_column] = value
    return rows


def _reference_formats(edit, base):
    formats = dict(base)
    for values in (*edit.cells.values(), *edit.rows.values()):
        for col, value in values.items():
            if isinstance(value, date) and col not in formats:
                formats[col] = schema.DATE_FORMAT
    return formats


@settings(max_examples=300, deadline=None)
@given(cases())
def test_rows_placed_per_shape_are_those_placed_cell_by_cell(case):
    table, records, cells = case
    changes = Changes()
    changes.add(*(schema.Row(SHEET, r) for r in records))
    for offset, key, value in cells:
        changes.set_row(SHEET, table.first_row + offset, key, value)
    if not changes:
        return
    edit = place({SHEET.name: table}, changes).edits[SHEET.name]
    positions = schema.match_headers(SHEET, table.headers).index
    for k, r in enumerate(records):
        row = edit.rows[table.first_row + len(_filled(table)) + k]
        assert dict(row.items()) == {table.first_column + positions[key]: v for key, v in r.items()}
        assert list(row) == [table.first_column + positions[key] for key in r]
    typed = {
        table.first_column + pos: SHEET.column(key).excel_format
        for key, pos in positions.items()
        if SHEET.column(key).type in (schema.ColumnType.MONEY, schema.ColumnType.DATE)
    }
    assert edit.formats == _reference_formats(edit, typed)
    after = edit.after()
    assert [list(r) for r in after.rows] == _reference_after(edit)
    assert all(a is b for a, b in zip(after.rows, table.rows, strict=False) if not _touched(a, b))


def _filled(table):
    filled = len(table.rows)
    while filled and not any(v is not None and v != "" for v in table.rows[filled - 1]):
        filled -= 1
    return table.rows[:filled]


def _touched(a, b):
    return a is not b


def test_a_date_in_a_text_column_gets_the_date_format():
    headers = [c.header for c in SHEET.columns]
    table = TableData(sheet="Blad", headers=headers, rows=[], first_row=2, table="tbl")
    changes = Changes()
    changes.add(schema.Row(SHEET, {"label": "a", "value": "x"}))
    changes.add(schema.Row(SHEET, {"label": "b", "value": date(2026, 1, 2)}))
    edit = place({SHEET.name: table}, changes).edits[SHEET.name]
    column = 1 + headers.index(SHEET.column("value").header)
    assert edit.formats == {column: schema.DATE_FORMAT}
    assert [r[:2] for r in edit.after().rows] == [["a", "x"], ["b", date(2026, 1, 2)]]
