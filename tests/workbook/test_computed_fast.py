"""The computed Facturen cells (issue 17): the fast comparison gives what the general one gives.

``write.computed_changes`` takes each invoice's values straight from the claims (a tuple, no dict
per invoice) when it is given :func:`write.assessment_values`, and decides a changed amount over
a whole-cent float without ``_same``. These tests compare it with the general path (any mapping
of dicts, every cell through ``_same``) on the demo book, whatever the sheet holds now.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.service import pipeline
from debiteuren.workbook import read, schema, write


class _Plain(Mapping):
    """The assessment's values as a plain mapping: the general path."""

    def __init__(self, values: Mapping) -> None:
        self.values = values

    def __getitem__(self, key):
        return self.values[key]

    def __iter__(self):
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = service.demo_workbook(tmp_path_factory.mktemp("demo") / "demo.xlsx")
    loaded = service.load(path, DEMO_AS_OF)
    assessment = service.assess(loaded, DEMO_AS_OF)
    return loaded, assessment


def _general(table, rows, values, references):
    """computed_changes with every changed cell through ``_same``: the whole-cent shortcut is
    never taken (``round`` gives what no float equals) and the values come as dicts."""
    with mock.patch.object(write, "round", create=True, new=lambda x, n: object()):
        return write.computed_changes(table, rows, _Plain(values), references)


OLD = st.one_of(
    st.none(),
    st.just(""),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e13, max_value=1e13),
    st.floats(min_value=-5000, max_value=5000).map(lambda x: round(x, 2)),
    st.integers(min_value=-10, max_value=400),
    st.booleans(),
    st.text(max_size=6),
    st.sampled_from(["Vervallen", "Betaald", "herinnering", "aanmaning", "Creditnota"]),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 1, 1)),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1)),
    st.just(float("inf")),
)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_the_changes_are_those_of_the_general_comparison(book, data):
    loaded, assessment = book
    table = loaded.tables[schema.FACTUREN.name]
    cols = write._table_columns(table.headers)
    computed = [pos for key, pos in cols.items() if key in write.CREDIT_NOTE_VALUES]
    rows = [list(r) + [""] * (len(table.headers) - len(r)) for r in table.rows]
    for _ in range(data.draw(st.integers(0, 30))):  # what the sheet holds now: anything
        r = data.draw(st.integers(0, len(rows) - 1))
        rows[r][data.draw(st.sampled_from(computed))] = data.draw(OLD)
    values = write.assessment_values(assessment)
    by_row = {row - table.first_row: n for n, row in loaded.data.invoice_rows.items()}
    money = [(k, p) for k, p in cols.items() if k in ("paid", "outstanding", "interest", "total")]
    for _ in range(data.draw(st.integers(0, 30))):  # an amount a little off, or not at all
        r = data.draw(st.sampled_from(sorted(by_row)))
        key, pos = data.draw(st.sampled_from(money))
        new = values.get(by_row[r], write.CREDIT_NOTE_VALUES)[key]
        delta = data.draw(st.sampled_from([0, 0.001, 0.004, 0.005, 0.006, -0.004, 0.01, 1e-9]))
        rows[r][pos] = float(new or 0) + delta
    if data.draw(st.booleans()):  # or just what was written last time
        written = write.computed_changes(
            table, loaded.data.invoice_rows, write.assessment_values(assessment)
        )
        for row, cells in written.items():
            for col, value in cells.items():
                rows[row - table.first_row][col - table.first_column] = read_back(value)
    changed = read.TableData(
        sheet=table.sheet, headers=table.headers, rows=rows, first_row=table.first_row
    )
    references = pipeline.payment_references(loaded.data)
    fast = write.computed_changes(changed, loaded.data.invoice_rows, values, references)
    general = _general(changed, loaded.data.invoice_rows, values, references)
    assert fast == general
    assert {(r, c): type(v) for r, cells in fast.items() for c, v in cells.items()} == {
        (r, c): type(v) for r, cells in general.items() for c, v in cells.items()
    }


def read_back(value):
    """A written value as python-calamine reads it again."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return float(value)
    return "" if value is None else value


def test_an_amount_typed_as_true_or_too_large_is_rewritten_not_a_crash():
    # TRUE over an amount failed with decimal.InvalidOperation (Decimal("True"))
    assert not write._same(True, Decimal("1.00"))
    assert not write._same(1e30, Decimal("1.00"))
    assert not write._same(float("inf"), Decimal("1.00"))
    assert write._same(1.0, Decimal("1.00")) and write._same(1.004, Decimal("1.00"))


def test_a_whole_cent_float_that_differs_is_a_change_without_asking_same(book):
    loaded, assessment = book
    table = loaded.tables[schema.FACTUREN.name]
    values = write.assessment_values(assessment)
    cols = write._table_columns(table.headers)
    by_row = {row: number for number, row in loaded.data.invoice_rows.items()}
    rows = [list(r) + [""] * (len(table.headers) - len(r)) for r in table.rows]
    expected = 0
    for offset, r in enumerate(rows):
        number = by_row.get(table.first_row + offset)
        if number is None:
            continue
        new = values.get(number, write.CREDIT_NOTE_VALUES)
        for key, pos in cols.items():
            if key not in write.CREDIT_NOTE_VALUES:
                continue
            value = new[key]
            if isinstance(value, Decimal):  # one cent off: a change
                r[pos] = round(float(value) + 0.01, 2)
                expected += 1
            else:  # as it will be: no change
                r[pos] = value
    changed = read.TableData(
        sheet=table.sheet, headers=table.headers, rows=rows, first_row=table.first_row
    )
    with mock.patch.object(write, "_same", side_effect=AssertionError("asked")):
        found = write.computed_changes(changed, loaded.data.invoice_rows, values)
    assert sum(len(cells) for cells in found.values()) == expected > 0


def test_the_changed_rows_are_compact_and_share_their_columns(book):
    """Each changed row is one tuple of values beside a tuple of columns that the rows of one
    shape share (issue 17, memory at the save); it reads as the column -> value mapping."""
    from debiteuren.workbook.changes import RowCells

    loaded, assessment = book
    table = loaded.tables[schema.FACTUREN.name]
    values = write.assessment_values(assessment)
    changes = write.computed_changes(table, loaded.data.invoice_rows, values)
    rows = list(changes.values())
    assert len(rows) > 10 and all(isinstance(r, RowCells) for r in rows)
    shapes = {id(r._columns) for r in rows}
    assert len(shapes) == len({r._columns for r in rows}) < len(rows)
    first = rows[0]
    assert dict(first.items()) == {c: first[c] for c in first}
