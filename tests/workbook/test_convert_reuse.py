"""Converting after a change reuses the unchanged Klanten and Facturen, with the same result."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# --- Betalingen: only the changed rows converted again (issue 17) -------------------------------

_DEMO: dict = {}


def _demo_once(tmp_path_factory):
    if not _DEMO:
        path = service.demo_workbook(tmp_path_factory.mktemp("demo") / "demo.xlsx")
        tables = read.load_tables(path)
        # a few rows from a statement: references, one under review, one reversed, a text date
        changes = Changes()
        changes.add_rows(
            schema.BETALINGEN,
            [
                dict(
                    on=date(2026, 9, 1),
                    amount=Decimal("10"),
                    invoice="2026-0003",
                    bank_reference="REF-1",
                    source="camt",
                ),
                dict(
                    on=date(2026, 9, 2),
                    amount=Decimal("11"),
                    debtor="K006",
                    bank_reference="REF-2",
                    status="Te controleren",
                    source="camt",
                ),
                dict(
                    on=date(2026, 9, 3),
                    amount=Decimal("12"),
                    debtor="K006",
                    bank_reference="REF-3",
                    status="Teruggeboekt",
                    source="camt",
                ),
            ],
        )
        tables = place(tables, changes).tables(tables)
        raw = tables[schema.BETALINGEN.name]
        rows = [list(r) for r in raw.rows]
        rows[0][0] = "18-02-2025"  # a date typed as text
        tables[schema.BETALINGEN.name] = read.TableData(
            **{**{n: getattr(raw, n) for n in raw.__slots__}, "rows": [tuple(r) for r in rows]}
        )
        data, issues = read.convert_tables(tables, DEMO_AS_OF)
        assert not issues and data.payments_read is not None and data.text_cells
        _DEMO.update(tables=tables, data=data)
    return _DEMO["tables"], _DEMO["data"]


_REFERENCES = st.sampled_from(["", "REF-1", "REF-2", "REF-3", "REF-4", "REF-5", "réf-6"])
_VALUES = {
    "on": st.one_of(
        st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 1, 1)),
        st.sampled_from(["", "01-10-2026", "gisteren", datetime(2026, 9, 1)]),
    ),
    "amount": st.one_of(
        st.decimals(min_value=-5, max_value=10**4, places=3, allow_nan=False),
        st.sampled_from(["12,50", "", "veel", Decimal("0.004"), Decimal("1E+13"), 7, 7.5]),
    ),
    "debtor": st.sampled_from(["", "K001", "K006", "k006", "K999", " K006 ", "K006\x0b", 6]),
    "invoice": st.sampled_from(["", "2026-0003", "2025-0012", "2026-0066", "X-1", "2026-0003 "]),
    "bank_reference": _REFERENCES,
    "status": st.sampled_from(["", "Te controleren", "Teruggeboekt", "Storno", "Gekoppeld", 1]),
    "reason": st.sampled_from(["", "terug"]),
    "text": st.sampled_from(["", "Factuur 2026-0003", " ruimte ", "Café", "a\x0bb", 3]),
    "source": st.sampled_from(["", "camt", "Bank\u200b"]),
    "payer_iban": st.sampled_from(["", "nl91 abna 0417 1643 00", "NL91ÄBNA"]),
}
#: A row as a statement gives it, some of its cells then drawn from the values above.
_ROWS = st.builds(
    lambda base, changed: {k: v for k, v in {**base, **changed}.items() if v != ""},
    st.fixed_dictionaries(
        {
            "on": st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 10, 15)),
            "amount": st.decimals(min_value="0.01", max_value=10**4, places=3),
            "invoice": st.sampled_from(["2026-0003", "2025-0012", "2026-0066"]),
            "bank_reference": _REFERENCES,
            "source": st.just("camt"),
            "payer_iban": st.just("NL91ABNA0417164300"),
        }
    ),
    st.fixed_dictionaries({}, optional=_VALUES),
)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    appended=st.lists(_ROWS, max_size=6),
    edits=st.lists(
        st.tuples(st.integers(0, 30), st.sampled_from(sorted(_VALUES)), st.data()), max_size=4
    ),
    twice=st.booleans(),
)
def test_changed_payment_rows_alone_converted_give_the_whole_conversion(
    tmp_path_factory, appended, edits, twice
):
    tables, before = _demo_once(tmp_path_factory)
    for _ in range(2 if twice else 1):
        changes = Changes()
        changes.add(*(schema.Row(schema.BETALINGEN, values) for values in appended))
        table = tables[schema.BETALINGEN.name]
        for offset, key, data in edits:
            if offset < len(table.rows):
                value = data.draw(_VALUES[key])
                changes.set_row(schema.BETALINGEN, table.first_row + offset, key, value)
        placement = place(tables, changes)
        after = placement.tables(tables)
        edited = placement.table_edits()
        reused, issues = read.convert_tables(after, DEMO_AS_OF, earlier=before, edits=edited)
        fresh, fresh_issues = read.convert_tables(after, DEMO_AS_OF)
        assert [str(i) for i in issues] == [str(i) for i in fresh_issues]
        assert reused == fresh  # payments, rows, text cells, to review: every field
        if issues:
            assert reused.payments_read is None
            return
        ours, theirs = reused.payments_read, fresh.payments_read
        assert (ours.payments, ours.payment_rows) == (theirs.payments, theirs.payment_rows)
        assert (ours.uncounted, ours.text_cells) == (theirs.uncounted, theirs.text_cells)
        tables, before = after, reused


def test_a_changed_bank_reference_converts_the_whole_table(tmp_path_factory, monkeypatch):
    tables, before = _demo_once(tmp_path_factory)
    table = tables[schema.BETALINGEN.name]
    changes = Changes()
    changes.set_row(schema.BETALINGEN, table.first_row + 2, "bank_reference", "REF-9")
    placement = place(tables, changes)
    calls = []
    real = read._read_changed_payments
    monkeypatch.setattr(read, "_read_changed_payments", lambda *a: calls.append(1) or real(*a))
    after = placement.tables(tables)
    read.convert_tables(after, DEMO_AS_OF, earlier=before, edits=placement.table_edits())
    assert calls == []
    changes = Changes()
    changes.set_row(schema.BETALINGEN, table.first_row + 2, "status", "Teruggeboekt")
    placement = place(tables, changes)
    after = placement.tables(tables)
    data, _ = read.convert_tables(after, DEMO_AS_OF, earlier=before, edits=placement.table_edits())
    assert calls == [1] and len(data.payments) == len(before.payments) - 1


_AWKWARD = [
    ("text", "a\x0bb"),
    ("text", " ruimte "),
    ("text", "Café"),
    ("text", 3),
    ("source", "Bank\u200b"),
    ("debtor", "K006\x0b"),
    ("debtor", " K006 "),
    ("debtor", "k006"),
    ("debtor", "K001"),
    ("debtor", 6),
    ("invoice", "2026-0003 "),
    ("invoice", "X-1"),
    ("bank_reference", "réf-6"),
    ("bank_reference", "REF-1"),
    ("payer_iban", "NL91ÄBNA"),
    ("payer_iban", "nl91 abna 0417 1643 00"),
    ("amount", Decimal("0.004")),
    ("amount", Decimal("12.345")),
    ("amount", Decimal("1E+13")),
    ("amount", 7.5),
    ("on", datetime(2026, 9, 1)),
    ("on", date(2026, 12, 1)),
    ("status", "Te controleren"),
    ("status", " gekoppeld "),
    ("status", 1),
]


@pytest.mark.parametrize(("key", "value"), _AWKWARD)
def test_an_awkward_cell_in_an_appended_row_converts_as_in_the_whole_table(
    tmp_path_factory, key, value
):
    tables, before = _demo_once(tmp_path_factory)
    row = {
        "on": date(2026, 9, 1),
        "amount": Decimal("12.50"),
        "invoice": "2026-0003",
        "bank_reference": "REF-8",
        key: value,
    }
    changes = Changes()
    changes.add(schema.Row(schema.BETALINGEN, row))
    placement = place(tables, changes)
    after = placement.tables(tables)
    edits = placement.table_edits()
    reused, issues = read.convert_tables(after, DEMO_AS_OF, earlier=before, edits=edits)
    fresh, fresh_issues = read.convert_tables(after, DEMO_AS_OF)
    assert [str(i) for i in issues] == [str(i) for i in fresh_issues]
    assert reused == fresh


@pytest.mark.parametrize(("key", "value"), [("on", date(2026, 1, 5)), ("source", "handmatig")])
def test_the_newest_statement_row_changed_gives_the_whole_tables_last_statement(
    tmp_path_factory, key, value
):
    tables, before = _demo_once(tmp_path_factory)
    table = tables[schema.BETALINGEN.name]
    newest = before.payments_read.newest
    assert newest == date(2026, 9, 3)
    changes = Changes()
    changes.set(schema.BETALINGEN, "bank_reference", "REF-3", key, value)
    placement = place(tables, changes)
    after = placement.tables(tables)
    assert placement.edits[schema.BETALINGEN.name].cells  # a cell of a row that was there
    reused, _ = read.convert_tables(
        after, DEMO_AS_OF, earlier=before, edits=placement.table_edits()
    )
    fresh, _ = read.convert_tables(after, DEMO_AS_OF)
    assert reused == fresh and reused.last_statement != newest
    assert len(table.rows) == len(after[schema.BETALINGEN.name].rows)


_STATUSES = st.one_of(
    st.sampled_from(
        [
            "Te controleren",
            " te  CONTROLEREN ",
            "te\u00a0controleren",
            "Te controleren.",
            "",
            None,
            5,
        ]
    ),
    st.text(alphabet="te conrlTEß\u00a0\t", max_size=16),
)


@settings(max_examples=200, deadline=None)
@given(statuses=st.lists(_STATUSES, max_size=8))
def test_the_rows_under_review_are_those_whose_status_says_so(statuses):
    headers = [c.header for c in schema.BETALINGEN.columns]
    at = [c.key for c in schema.BETALINGEN.columns].index("status")
    rows = [tuple(status if k == at else None for k in range(len(headers))) for status in statuses]
    table = read.TableData(sheet="Betalingen", headers=headers, rows=rows, first_row=2)
    expected = [
        2 + k
        for k, status in enumerate(statuses)
        if status is not None and " ".join(str(status).split()).casefold() == "te controleren"
    ]
    assert [p.row for p in read._review_payments(table)] == expected
    assert [p.row for p in read._review_payments(table, range(len(rows)))] == expected
