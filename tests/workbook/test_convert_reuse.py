"""Converting after a change reuses the unchanged Klanten and Facturen, with the same result."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from debiteuren import service
from debiteuren.demo import DEMO_AS_OF
from debiteuren.workbook import read, schema
from debiteuren.workbook.changes import Changes, place


def _demo(tmp_path):
    path = service.demo_workbook(tmp_path / "demo.xlsx")
    tables = read.load_tables(path)
    data, issues = read.convert_tables(tables, DEMO_AS_OF)
    assert not issues
    return tables, data


def _paid(tables, number: str) -> dict:
    changes = Changes()
    changes.add(
        schema.payment_row(
            schema.PaymentRecord(
                on=date(2026, 10, 1), amount=Decimal("12.34"), invoice=number, text="deel"
            )
        )
    )
    return place(tables, changes).tables(tables)


def test_a_payment_added_reuses_the_invoices_and_gives_the_same_data(tmp_path):
    tables, before = _demo(tmp_path)
    after_tables = _paid(tables, before.invoices[0].number)
    reused, issues = read.convert_tables(after_tables, DEMO_AS_OF, earlier=before)
    fresh, fresh_issues = read.convert_tables(after_tables, DEMO_AS_OF)
    assert issues == fresh_issues == []
    assert reused == fresh  # every field compared, the new payment included
    assert len(reused.payments) == len(before.payments) + 1
    assert reused.payments[-1].amount == Decimal("12.34")
    assert all(a is b for a, b in zip(reused.invoices, before.invoices, strict=True))
    assert reused.debtors is before.debtors


def test_a_changed_invoice_sheet_or_peildatum_is_converted_again(tmp_path):
    tables, before = _demo(tmp_path)
    facturen = tables[schema.FACTUREN.name]
    copied = {
        **tables,
        schema.FACTUREN.name: read.TableData(
            **{name: getattr(facturen, name) for name in facturen.__slots__}
        ),
    }
    again, _ = read.convert_tables(copied, DEMO_AS_OF, earlier=before)
    assert again.invoices == before.invoices
    assert not any(a is b for a, b in zip(again.invoices, before.invoices, strict=True))
    later, _ = read.convert_tables(tables, date(2026, 12, 1), earlier=before)
    assert not any(a is b for a, b in zip(later.invoices, before.invoices, strict=True))
