"""Typed writes (issue 16): the rows we append are built from the schema's records, and a column
key the sheet does not declare is an error of the program, never a silently skipped cell."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debiteuren.core.model import Action, Channel, LetterState, PlanInstalment, Step
from debiteuren.workbook import schema
from debiteuren.workbook.changes import Changes


def test_an_acties_row_is_built_from_the_action():
    action = Action(
        on=date(2026, 10, 15),
        debtor="K001",
        step=Step.REMINDER,
        channel=Channel.EMAIL,
        invoices=("2026-0001", "2026-0002"),
        state=LetterState.DRAFT,
        amount_claimed=Decimal("1234.50"),
    )
    row = schema.action_row(action)
    assert row.sheet is schema.ACTIES
    assert dict(row.values) == {
        "on": date(2026, 10, 15),
        "debtor": "K001",
        "step": "herinnering",
        "channel": "e-mail",
        "invoices": "2026-0001, 2026-0002",
        "state": "concept",
        "amount_claimed": Decimal("1234.50"),
    }


def test_a_regelingen_row_and_a_betalingen_row_come_from_their_records():
    plan = schema.plan_row(
        PlanInstalment(debtor="K002", number=2, due_date=date(2026, 11, 1), amount=Decimal("50"))
    )
    assert plan.sheet is schema.REGELINGEN
    assert dict(plan.values) == {
        "debtor": "K002",
        "number": 2,
        "due_date": date(2026, 11, 1),
        "amount": Decimal("50"),
    }
    paid = schema.payment_row(
        schema.PaymentRecord(on=date(2026, 10, 1), amount=Decimal("10.00"), debtor="K002")
    )
    assert paid.sheet is schema.BETALINGEN
    assert dict(paid.values) == {
        "on": date(2026, 10, 1),
        "amount": Decimal("10.00"),
        "debtor": "K002",
    }


def test_an_unknown_column_key_is_an_error():
    with pytest.raises(schema.UnknownColumn, match="Acties declares no column 'onbekend'"):
        schema.ACTIES.row(on=date(2026, 10, 15), onbekend="x")
    with pytest.raises(schema.UnknownColumn):
        schema.Row(schema.BETALINGEN, {"amount": Decimal(1), "bedrag_typo": 2})
    changes = Changes()
    with pytest.raises(schema.UnknownColumn):
        changes.add_rows(schema.REGELINGEN, [{"debtor": "K1", "termijn": 1}])
    with pytest.raises(schema.UnknownColumn):
        changes.set(schema.KLANTEN, "number", "K001", "uit_handen", True)
    with pytest.raises(schema.UnknownColumn):
        changes.set(schema.KLANTEN, "nummer", "K001", "handed_over", True)
    assert changes.rows == [] and changes.cells == []


def test_a_row_for_one_sheet_is_not_queued_for_another():
    row = schema.plan_row(
        PlanInstalment(debtor="K002", number=1, due_date=date(2026, 11, 1), amount=Decimal("5"))
    )
    with pytest.raises(ValueError, match="Regelingen"):
        Changes().add_rows(schema.ACTIES, [row])


@settings(max_examples=200, deadline=None)
@given(
    st.builds(
        schema.PaymentRecord,
        on=st.dates(),
        amount=st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=2)),
        debtor=st.text(max_size=5),
        invoice=st.text(max_size=5),
        text=st.text(max_size=8),
        status=st.sampled_from(["", "Gematcht", "Te controleren"]),
    )
)
def test_a_payment_row_is_the_row_the_sheet_builds_from_the_same_values(record):
    """payment_row's fast path writes what Sheet.row (through cell_value) would write."""
    filled = {
        f.name: getattr(record, f.name)
        for f in dataclasses.fields(record)
        if getattr(record, f.name) not in (None, "")
    }
    assert dict(schema.payment_row(record).values) == dict(schema.BETALINGEN.row(**filled).values)


def test_appended_rows_are_placed_as_compact_cells_equal_to_the_values():
    """An appended row's cells are one shared tuple of columns and a tuple of values per row
    (issue 17, memory); they read as the column -> value mapping they stand for."""
    from debiteuren.workbook.changes import RowCells, place
    from debiteuren.workbook.read import TableData

    headers = [c.header for c in schema.BETALINGEN.columns]
    table = TableData(sheet="Betalingen", headers=headers, rows=[], first_row=2, table="tbl")
    changes = Changes()
    changes.add_rows(
        schema.BETALINGEN,
        [
            {"on": date(2026, 1, 2), "amount": Decimal("1.50"), "debtor": "K1"},
            {"on": date(2026, 1, 3), "amount": Decimal("2.50"), "debtor": "K2"},
        ],
    )
    edit = place({"Betalingen": table}, changes).edits["Betalingen"]
    first, second = edit.rows[2], edit.rows[3]
    assert isinstance(first, RowCells) and first._columns is second._columns
    assert first == {1: date(2026, 1, 2), 2: Decimal("1.50"), 3: "K1"}
    assert dict(second.items()) == {1: date(2026, 1, 3), 2: Decimal("2.50"), 3: "K2"}
    assert (second[3], len(second), list(second), 4 in second) == ("K2", 3, [1, 2, 3], False)
    with pytest.raises(KeyError):
        second[4]
    assert edit.after().rows[1][:3] == [date(2026, 1, 3), Decimal("2.50"), "K2"]
